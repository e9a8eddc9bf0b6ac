// SPDX-License-Identifier: GPL-3.0-or-later
//
// The demo's recordings and their analysis: a synthesized recording's
// truth (who speaks when) against what the WAV reader and the detector
// find in the file, within a frame or two per turn; the same call id
// gives the same bytes; G.711 files read; a damaged WAV refused with a
// clear reason and nothing stored; names and paths that would lead out
// of the recordings folder refused; the scan linking files to calls by
// uniqueid in dated folders, once.

#include "config.h"

#include <string.h>
#include <unistd.h>

#if HAVE_GSTREAMER
#include <gst/gst.h>
#endif

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"
#include "cd-store-qa.h"
#include "cd-store-recordings.h"

#define FRAME_MS 10
#define HANGOVER_MS 200

static char *
write_file (const char *dir,
            const char *relative,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static JsonObject *
parse (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* Each turn's two edges may each cost a frame or two. */
static double
tolerance (const CdDemoRecordingTruth *truth)
{
  guint edges = 0;

  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    edges += 2 * truth->speech[c]->len;
  return (double) (2 * edges) / (double) (truth->duration_ms / FRAME_MS);
}

static void
check_against_truth (const char *call_id,
                     guint       seconds)
{
  g_autoptr(CdDemoRecordingTruth) truth = NULL;
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize (call_id, seconds, &truth);
  g_autofree char *path = write_file (g_get_tmp_dir (), "truth.wav", wav);
  g_autofree char *figures = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) found = NULL;
  CdDemoRecordingFigures expected;
  JsonObject *talk;
  gint64 duration = 0;
  double slack = tolerance (truth);

  g_assert_cmpuint (g_bytes_get_size (wav), ==,
                    CD_DEMO_RECORDING_HEADER + truth->duration_ms * 8 * 2 * 2);
  cd_demo_recording_truth_figures (truth, FRAME_MS, HANGOVER_MS, &expected);
  g_assert_true (cd_recording_analyze_file (path, &duration, &figures, &note, &error));
  g_assert_no_error (error);
  g_assert_null (note);
  g_assert_nonnull (figures);
  g_assert_cmpint (duration, ==, truth->duration_ms);

  found = parse (figures);
  talk = json_object_get_object_member (found, "talk_share");
  g_test_message ("%s: talk %.4f/%.4f (truth %.4f/%.4f), silence %.4f (%.4f), overtalk %.4f "
                  "(%.4f), longest silence %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT "), "
                  "slack %.4f",
                  call_id, json_object_get_double_member (talk, "operator"),
                  json_object_get_double_member (talk, "resident"), expected.talk_share[0],
                  expected.talk_share[1], json_object_get_double_member (found, "silence_share"),
                  expected.silence_share, json_object_get_double_member (found, "overtalk_share"),
                  expected.overtalk_share,
                  json_object_get_int_member (found, "longest_silence_ms"),
                  expected.longest_silence_ms, slack);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (talk, "operator"),
                                  expected.talk_share[0], slack);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (talk, "resident"),
                                  expected.talk_share[1], slack);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (found, "silence_share"),
                                  expected.silence_share, slack);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (found, "overtalk_share"),
                                  expected.overtalk_share, slack);
  /* The longest silence: within two frames at each end. */
  g_assert_cmpint (ABS (json_object_get_int_member (found, "longest_silence_ms") -
                        expected.longest_silence_ms), <=, 4 * FRAME_MS);
  g_assert_cmpint (ABS (json_object_get_int_member (found, "longest_silence_start_ms") -
                        expected.longest_silence_start_ms), <=, 2 * FRAME_MS);
  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
test_truth (void)
{
  gboolean dead_air = FALSE, overtalk = FALSE, hang_up = FALSE;

  /* Enough calls that each feature shows at least once. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *id = g_strdup_printf ("1767225600.%u", i);
      g_autoptr(CdDemoRecordingTruth) truth = NULL;
      g_autoptr(GBytes) wav = cd_demo_recording_synthesize (id, 30 + 7 * i, &truth);
      CdDemoRecordingFigures figures;

      cd_demo_recording_truth_figures (truth, FRAME_MS, 0, &figures);
      dead_air |= truth->long_dead_air;
      hang_up |= truth->hang_up;
      overtalk |= figures.overtalk_share > 0;
      if (i % 8 == 0 || truth->long_dead_air)
        check_against_truth (id, 30 + 7 * i);
    }
  g_assert_true (dead_air);
  g_assert_true (overtalk);
  g_assert_true (hang_up);
}

static void
test_deterministic (void)
{
  g_autoptr(GBytes) a = cd_demo_recording_synthesize ("1767225600.7", 60, NULL);
  g_autoptr(GBytes) b = cd_demo_recording_synthesize ("1767225600.7", 60, NULL);
  g_autoptr(GBytes) c = cd_demo_recording_synthesize ("1767225600.8", 60, NULL);
  const guint8 *header = g_bytes_get_data (a, NULL);

  g_assert_true (g_bytes_equal (a, b));
  g_assert_false (g_bytes_equal (a, c));
  g_assert_cmpmem (header, 4, "RIFF", 4);
  g_assert_cmpmem (header + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpmem (header + 36, 4, "data", 4);
}

/* A 16-bit linear sample to G.711 µ-law (ITU-T G.711, as sox does). */
static guint8
to_mulaw (gint16 sample)
{
  int value = sample, sign = 0, exponent = 7, mantissa;

  if (value < 0)
    {
      value = -value;
      sign = 0x80;
    }
  value = MIN (value, 32635) + 0x84;
  for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
    exponent--;
  mantissa = (value >> (exponent + 3)) & 0x0F;
  return (guint8) ~(sign | exponent << 4 | mantissa);
}

static void
test_mulaw (void)
{
  g_autoptr(GBytes) pcm = cd_demo_recording_synthesize ("1767225600.11", 40, NULL);
  gsize size, n;
  const guint8 *data = g_bytes_get_data (pcm, &size);
  g_autofree guint8 *law = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *pcm_path = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *pcm_figures = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  gint64 duration = 0, pcm_duration = 0;
  guint32 value;
  guint16 half;

  n = (size - CD_DEMO_RECORDING_HEADER) / 2;
  law = g_malloc (CD_DEMO_RECORDING_HEADER + n);
  memcpy (law, data, CD_DEMO_RECORDING_HEADER);
  half = GUINT16_TO_LE (7);
  memcpy (law + 20, &half, 2);
  value = GUINT32_TO_LE (8000 * 2);
  memcpy (law + 28, &value, 4);
  half = GUINT16_TO_LE (2);
  memcpy (law + 32, &half, 2);
  half = GUINT16_TO_LE (8);
  memcpy (law + 34, &half, 2);
  value = GUINT32_TO_LE ((guint32) n);
  memcpy (law + 40, &value, 4);
  for (gsize i = 0; i < n; i++)
    {
      gint16 sample;

      memcpy (&sample, data + CD_DEMO_RECORDING_HEADER + 2 * i, 2);
      law[CD_DEMO_RECORDING_HEADER + i] = to_mulaw (GINT16_FROM_LE (sample));
    }
  bytes = g_bytes_new (law, CD_DEMO_RECORDING_HEADER + n);
  path = write_file (g_get_tmp_dir (), "ulaw.wav", bytes);
  pcm_path = write_file (g_get_tmp_dir (), "pcm.wav", pcm);

  g_assert_true (cd_recording_analyze_file (path, &duration, &figures, &note, &error));
  g_assert_no_error (error);
  g_clear_pointer (&note, g_free);
  g_assert_true (cd_recording_analyze_file (pcm_path, &pcm_duration, &pcm_figures, &note,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpint (duration, ==, pcm_duration);
  a = parse (figures);
  b = parse (pcm_figures);
  /* µ-law keeps the loudness to a few per cent: the same turns. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "silence_share"),
                                  json_object_get_double_member (b, "silence_share"), 0.01);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "overtalk_share"),
                                  json_object_get_double_member (b, "overtalk_share"), 0.01);
}

/* Ogg/Opus, through GStreamer: the same turns as the WAV it was encoded
 * from, within what a lossy codec's loudness changes may move. */
static void
test_ogg_opus (void)
{
#if HAVE_GSTREAMER
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767225600.21", 45, NULL);
  g_autofree char *wav_path = write_file (g_get_tmp_dir (), "opus-source.wav", wav);
  g_autofree char *ogg_path = g_build_filename (g_get_tmp_dir (), "1767225600.21.opus", NULL);
  g_autofree char *bad_path = NULL;
  g_autofree char *launch = NULL;
  g_autofree char *a_figures = NULL, *b_figures = NULL, *a_note = NULL, *b_note = NULL;
  g_autofree char *c_figures = NULL, *c_note = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("OggS but not really an Ogg stream at all", 41);
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  gint64 a_duration = 0, b_duration = 0, c_duration = 0;

  g_assert_true (gst_init_check (NULL, NULL, &error));
  launch = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! audioconvert ! audioresample ! "
                            "opusenc ! oggmux ! filesink location=\"%s\"", wav_path, ogg_path);
  pipeline = gst_object_ref_sink (gst_parse_launch (launch, &error));
  g_assert_no_error (error);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  g_assert_cmpint (GST_MESSAGE_TYPE (message), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_assert_true (cd_recording_analyze_file (wav_path, &a_duration, &a_figures, &a_note, &error));
  g_assert_true (cd_recording_analyze_file (ogg_path, &b_duration, &b_figures, &b_note, &error));
  g_assert_no_error (error);
  g_assert_nonnull (b_figures);
  a = parse (a_figures);
  b = parse (b_figures);
  g_test_message ("WAV %s\nOpus %s", a_figures, b_figures);
  /* Opus decodes at the rate asked for: the file's 8 kHz here. */
  g_assert_cmpint (json_object_get_int_member (b, "rate"), ==, 8000);
  g_assert_cmpint (ABS (b_duration - a_duration), <=, 100);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "silence_share"),
                                  json_object_get_double_member (b, "silence_share"), 0.02);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (a, "overtalk_share"),
                                  json_object_get_double_member (b, "overtalk_share"), 0.02);
  g_assert_cmpint (ABS (json_object_get_int_member (a, "longest_silence_ms") -
                        json_object_get_int_member (b, "longest_silence_ms")), <=, 100);

  /* Not audio at all: refused with GStreamer's reason, nothing made up. */
  bad_path = write_file (g_get_tmp_dir (), "bad.ogg", junk);
  g_assert_false (cd_recording_analyze_file (bad_path, &c_duration, &c_figures, &c_note,
                                             &error));
  g_assert_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_FORMAT);
  g_assert_null (c_figures);
#else
  g_test_skip ("built without GStreamer: Ogg/Opus is not analysed");
#endif
}

static void
test_corrupt (void)
{
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767225600.3", 20, NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (wav, &size);
  g_autoptr(GBytes) cut = g_bytes_new (data, size / 2);
  g_autoptr(GBytes) text = g_bytes_new_static ("not a recording at all", 22);
  g_autofree guint8 *mp3ish = g_memdup2 (data, size);
  g_autoptr(GBytes) other = NULL;
  struct { const char *name; GBytes *bytes; const char *reason; } cases[] = {
    { "cut.wav", cut, "shorter than its header says" },
    { "text.wav", text, "not a RIFF WAVE file" },
    { "other.wav", NULL, "only 16-bit PCM" },
  };

  mp3ish[20] = 0x55; /* MPEG Layer 3 in a WAV wrapper */
  other = g_bytes_new (mp3ish, size);
  cases[2].bytes = other;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (g_get_tmp_dir (), cases[i].name, cases[i].bytes);
      g_autofree char *figures = NULL;
      g_autofree char *note = NULL;
      g_autoptr(GError) error = NULL;
      gint64 duration = 0;

      g_assert_false (cd_recording_analyze_file (path, &duration, &figures, &note, &error));
      g_assert_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, cases[i].reason));
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_assert_null (figures);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
}

static void
test_names (void)
{
  const char *good[] = { "1767225600.42.wav", "1767225600.42.WAV", "abc-1_2.ogg", "x.opus" };
  const char *bad[] = { "", "../x.wav", "..wav", ".hidden.wav", "a/b.wav", "a b.wav",
                        "1767225600.42.mp3", "1767225600", "a\\b.wav", "é.wav", "-x.wav" };
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "names", NULL);
  g_autofree char *outside = g_build_filename (g_get_tmp_dir (), "secret.wav", NULL);
  g_autofree char *link = g_build_filename (folder, "2026", "link.wav", NULL);
  g_autofree char *inside = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1", 8, NULL);
  g_autofree char *resolved = NULL;
  const char *bad_paths[] = { "../secret.wav", "2026/../../secret.wav", "/etc/passwd",
                              "2026/link.wav", "x/1.wav", "2026/01/02/03/1.wav", "1.wav/" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (cd_recording_check_name (good[i], NULL, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (cd_recording_check_name (bad[i], NULL, NULL, &error));
      g_assert_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME);
      g_clear_error (&error);
    }

  g_free (write_file (g_get_tmp_dir (), "secret.wav", wav));
  inside = write_file (folder, "2026/01/02/1.wav", wav);
  g_assert_cmpint (symlink (outside, link), ==, 0);
  resolved = cd_recording_resolve (folder, "2026/01/02/1.wav", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (resolved, "/names/2026/01/02/1.wav"));
  for (guint i = 0; i < G_N_ELEMENTS (bad_paths); i++)
    {
      g_autofree char *path = cd_recording_resolve (folder, bad_paths[i], &error);

      g_assert_null (path);
      g_assert_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME);
      g_clear_error (&error);
    }
}

static CdStore *
store_with_calls (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db, &error);
  const char *ids[] = { "1767225600.1", "1767225600.2", "1767225600.3", "1767225600.1" };
  const char *queues[] = { "city", "city", "city", "heating" };

  g_assert_no_error (error);
  g_assert_true (cd_store_begin (store, &error));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      /* The fourth: the first call transferred on to a second queue, under
       * the first leg's uniqueid, which the PBX names the file after. */
      g_autoptr(CdCall) call = cd_call_new (ids[i], queues[i], 1767225600 + 100 * i);
      gboolean added = FALSE;

      call->answered_at = call->entered_at + 10;
      call->ended_at = call->entered_at + 70;
      call->outcome = CD_CALL_ANSWERED;
      call->hold_seconds = 10;
      call->talk_seconds = 60;
      call->agent = g_strdup ("anna");
      g_assert_true (cd_store_add_call (store, call, &added, &error));
      g_assert_no_error (error);
      g_assert_true (added);
    }
  g_assert_true (cd_store_commit (store, &error));
  return g_steal_pointer (&store);
}

static void
test_scan (void)
{
  g_autofree char *db = g_build_filename (g_get_tmp_dir (), "scan.db", NULL);
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "recordings", NULL);
  g_autofree char *outside = g_build_filename (g_get_tmp_dir (), "1767225600.3.wav", NULL);
  g_autofree char *link = g_build_filename (folder, "1767225600.3.wav", NULL);
  g_autoptr(CdStore) store = store_with_calls (db);
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767225600.1", 20, NULL);
  g_autoptr(GBytes) junk = g_bytes_new_static ("RIFF....WAVEjunk", 16);
  g_autoptr(CdRecordingScan) scan = NULL;
  g_autoptr(CdRecordingScan) again = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdRecording) recording = NULL;
  g_autoptr(JsonObject) json = NULL;

  g_free (write_file (folder, "2026/01/01/1767225600.1.wav", wav));
  g_free (write_file (folder, "2026/01/01/1767225600.2.wav", junk));
  g_free (write_file (folder, "1767225600.9.ogg", junk));
  g_free (write_file (folder, "notes.txt", junk));
  g_free (write_file (g_get_tmp_dir (), "1767225600.3.wav", wav));
  g_assert_cmpint (symlink (outside, link), ==, 0);

  g_assert_true (cd_store_scan_recordings (store, folder, 1767300000, NULL, &scan, &error));
  g_assert_no_error (error);
  /* .1 in two queues, one file; .2 damaged; .9 of no call; .3 a link out. */
  g_assert_cmpuint (scan->n_files, ==, 3);
  g_assert_cmpuint (scan->n_linked, ==, 2);
  g_assert_cmpuint (scan->n_unmatched, ==, 1);
  g_assert_cmpuint (scan->problems->len, ==, 2);
  g_assert_true (g_str_has_prefix (scan->problems->pdata[0], "1767225600.3.wav: refused"));
  g_assert_true (g_str_has_prefix (scan->problems->pdata[1], "2026/01/01/1767225600.2.wav: "));

  g_assert_true (cd_store_list_recordings (store, &list, &error));
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      CdRecording *one = list->pdata[i];

      g_assert_cmpstr (one->path, ==, "2026/01/01/1767225600.1.wav");
      g_assert_cmpstr (one->format, ==, "wav");
      g_assert_cmpint (one->size, ==, (gint64) g_bytes_get_size (wav));
      g_assert_nonnull (one->figures);
      g_assert_cmpint (one->duration_ms, >, 8000);
    }
  recording = g_ptr_array_steal_index (list, 0);
  json = cd_recording_to_json (recording, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_object_get_object_member (json, "analysis"),
                                         "talk_share"));

  /* Nothing new: nothing analysed again. */
  g_assert_true (cd_store_scan_recordings (store, folder, 1767300100, NULL, &again, &error));
  g_assert_cmpuint (again->n_linked, ==, 0);
  g_assert_cmpuint (again->n_known, ==, 2);

  /* The week's sample flags a call by its recording's figures, as the
   * thresholds say (docs/qa.md, "Sampling"). */
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr(JsonObject) sample = cd_store_qa_sample (store, "2026-W01", 0, utc, &error);
    JsonObject *analysis = json_object_get_object_member (json, "analysis");
    gboolean silent = json_object_get_int_member (analysis, "longest_silence_ms") >=
                      CD_QA_SAMPLE_LONG_SILENCE_MS;
    gboolean overtalk = json_object_get_double_member (analysis, "overtalk_share") >=
                        CD_QA_SAMPLE_OVERTALK_SHARE;
    JsonArray *calls;
    guint flagged = 0;

    g_assert_no_error (error);
    calls = json_object_get_array_member (sample, "calls");
    for (guint i = 0; i < json_array_get_length (calls); i++)
      {
        JsonObject *entry = json_array_get_object_element (calls, i);
        JsonArray *reasons = json_object_get_array_member (entry, "reasons");
        g_autoptr(GString) words = g_string_new (NULL);

        for (guint r = 0; r < json_array_get_length (reasons); r++)
          g_string_append_printf (words, "%s ", json_array_get_string_element (reasons, r));
        g_assert_cmpint (strstr (words->str, "long-silence") != NULL, ==, silent);
        g_assert_cmpint (strstr (words->str, "overtalk") != NULL, ==, overtalk);
        flagged++;
      }
    /* Per operator 0: only flagged calls, both legs of the one recorded. */
    g_assert_cmpuint (flagged, ==, silent || overtalk ? 2 : 0);
  }
}

/* A file the PBX is still writing is left for a later look until its
 * size stays the same over two looks; a look limited to one dated folder
 * does not climb out of the recordings folder. */
static void
test_settled (void)
{
  g_autofree char *db = g_build_filename (g_get_tmp_dir (), "settled.db", NULL);
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "settled", NULL);
  g_autoptr(CdStore) store = store_with_calls (db);
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767225600.1", 10, NULL);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (wav, 0, g_bytes_get_size (wav) / 2);
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "..", "2026/../..", "notes", "2026/01/01/02" };

  g_free (write_file (folder, "2026/01/03/1767225600.1.wav", half));
  for (guint look = 0; look < 4; look++)
    {
      g_autoptr(CdRecordingScan) scan = NULL;

      /* Look 0 sees it first, look 1 sees it grown, look 2 the same. */
      if (look == 1)
        g_free (write_file (folder, "2026/01/03/1767225600.1.wav", wav));
      g_assert_true (cd_store_scan_recordings_settled (store, folder, "2026/01/03", FALSE,
                                                       1767300000, sizes, NULL, &scan, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (scan->n_files, ==, 1);
      g_assert_cmpuint (scan->n_unsettled, ==, look < 2 ? 1 : 0);
      g_assert_cmpuint (scan->n_linked, ==, look == 2 ? 2 : 0);
      g_assert_cmpuint (scan->n_known, ==, look == 3 ? 2 : 0);
      g_assert_cmpuint (scan->problems->len, ==, 0);
      g_assert_cmpuint (g_hash_table_size (sizes), ==, look < 2 ? 1 : 0);
    }
  {
    g_autoptr(CdRecording) recording = NULL;
    g_autoptr(GPtrArray) list = NULL;

    g_assert_true (cd_store_list_recordings (store, &list, &error));
    g_assert_cmpuint (list->len, ==, 2);
    recording = g_ptr_array_steal_index (list, 0);
    g_assert_cmpint (recording->size, ==, (gint64) g_bytes_get_size (wav));
    g_assert_nonnull (recording->figures);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CdRecordingScan) scan = NULL;

      g_assert_false (cd_store_scan_recordings_settled (store, folder, bad[i], TRUE, 1767300000,
                                                        sizes, NULL, &scan, &error));
      g_assert_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME);
      g_clear_error (&error);
    }
}

/* A call whose recording holds a long dead air is on the week's list for
 * it, with no random sample drawn (per operator 0); one without is not. */
static void
test_sample_flags (void)
{
  g_autofree char *db = g_build_filename (g_get_tmp_dir (), "flags.db", NULL);
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "flagged", NULL);
  g_autoptr(CdStore) store = store_with_calls (db);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(CdRecordingScan) scan = NULL;
  g_autoptr(JsonObject) sample = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) silent = NULL;
  g_autoptr(GBytes) ordinary = NULL;
  JsonArray *calls;

  /* The synthesis says which of its recordings has a silence of 8 s or
   * more (the threshold), and which has neither that nor much overtalk. */
  for (guint i = 0; i < 2000 && (silent == NULL || ordinary == NULL); i++)
    {
      g_autofree char *id = g_strdup_printf ("seed.%u", i);
      CdDemoRecordingTruth *truth = NULL;
      g_autoptr(GBytes) wav = cd_demo_recording_synthesize (id, 40, &truth);
      CdDemoRecordingFigures figures;

      cd_demo_recording_truth_figures (truth, 20, 200, &figures);
      cd_demo_recording_truth_free (truth);
      if (silent == NULL && figures.longest_silence_ms >= CD_QA_SAMPLE_LONG_SILENCE_MS + 500 &&
          figures.overtalk_share < CD_QA_SAMPLE_OVERTALK_SHARE - 0.02)
        silent = g_bytes_ref (wav);
      else if (ordinary == NULL &&
               figures.longest_silence_ms < CD_QA_SAMPLE_LONG_SILENCE_MS - 1000 &&
               figures.overtalk_share < CD_QA_SAMPLE_OVERTALK_SHARE - 0.02)
        ordinary = g_bytes_ref (wav);
    }
  g_assert_nonnull (silent);
  g_assert_nonnull (ordinary);
  g_free (write_file (folder, "1767225600.1.wav", silent));
  g_free (write_file (folder, "1767225600.2.wav", ordinary));
  g_assert_true (cd_store_scan_recordings (store, folder, 1767300000, NULL, &scan, &error));
  g_assert_no_error (error);

  sample = cd_store_qa_sample (store, "2026-W01", 0, utc, &error);
  g_assert_no_error (error);
  calls = json_object_get_array_member (sample, "calls");
  /* Both legs of the transferred call .1 (one file), and not .2. */
  g_assert_cmpuint (json_array_get_length (calls), ==, 2);
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *entry = json_array_get_object_element (calls, i);
      JsonArray *reasons = json_object_get_array_member (entry, "reasons");

      g_assert_cmpuint (json_array_get_length (reasons), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (reasons, 0), ==, "long-silence");
    }
}

/* A `listen` event: refused for no such call, journaled on the call's
 * entity, and taken by a desktop's cache as a call's event (no ticket). */
static void
test_listen_import (void)
{
  g_autofree char *db = g_build_filename (g_get_tmp_dir (), "listen.db", NULL);
  g_autofree char *copy_path = g_build_filename (g_get_tmp_dir (), "listen-copy.db", NULL);
  g_autoptr(CdStore) store = store_with_calls (db);
  g_autoptr(CdStore) copy = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) copied = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  gint64 checked = 0, bad = 0;
  CdEvent *last;

  g_assert_true (cd_store_list_calls (store, 0, G_MAXINT64, &calls, &error));
  g_assert_cmpuint (calls->len, >, 0);
  g_assert_false (cd_store_record_listen (store, "no-such-call", "anna", "qc", 1767300000,
                                          &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *id = cd_call_dup_entity (calls->pdata[0]);

    g_assert_true (cd_store_record_listen (store, id, "anna", "qc", 1767300000, &error));
    g_assert_no_error (error);
    events = cd_store_list_events (store, NULL, 0, 0, &error);
    last = events->pdata[events->len - 1];
    g_assert_cmpstr (last->type, ==, "listen");
    g_assert_cmpstr (last->entity, ==, id);
    g_assert_cmpstr (last->payload, ==, "{}");
  }
  g_assert_true (cd_store_verify (store, &checked, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, events->len);

  copy = cd_store_open (copy_path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (copy, &error));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_true (cd_store_import (copy, events->pdata[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (cd_store_commit (copy, &error));
  copied = cd_store_list_events (copy, NULL, 0, 0, &error);
  g_assert_cmpuint (copied->len, ==, events->len);
}

/* citydeskctl recordings scan and list on the same folder. */
static void
test_cli (void)
{
  g_autofree char *db = g_build_filename (g_get_tmp_dir (), "cli.db", NULL);
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "cli-recordings", NULL);
  g_autoptr(CdStore) store = store_with_calls (db);
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767225600.2", 30, NULL);
  g_autoptr(GBytes) junk = g_bytes_new_static ("RIFF", 4);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) list = NULL;
  JsonArray *recordings;
  JsonObject *one;

  g_clear_object (&store);
  g_free (write_file (folder, "2026/01/01/1767225600.2.wav", wav));
  g_free (write_file (folder, "2026/01/01/1767225600.3.wav", junk));

  /* A file refused: exit 1, the reason on standard error. */
  g_assert_cmpint (cd_test_ctl (&out, &err, "recordings", "scan", "--db", db, "--dir", folder,
                                NULL), ==, 1);
  g_assert_nonnull (strstr (err, "1767225600.3.wav"));
  g_assert_nonnull (strstr (err, "not a RIFF WAVE file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "recordings", "list", "--db", db, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2026/01/01/1767225600.2.wav"));
  g_assert_null (strstr (out, "1767225600.3.wav"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "recordings", "list", "--db", db, "--json", NULL),
                   ==, 0);
  list = parse (out);
  recordings = json_object_get_array_member (list, "recordings");
  g_assert_cmpuint (json_array_get_length (recordings), ==, 1);
  one = json_array_get_object_element (recordings, 0);
  g_assert_cmpstr (json_object_get_string_member (one, "format"), ==, "wav");
  g_assert_true (json_object_has_member (json_object_get_object_member (one, "analysis"),
                                         "waveform"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "recordings", "scan", "--db", db, NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recordings/deterministic", test_deterministic);
  g_test_add_func ("/recordings/truth", test_truth);
  g_test_add_func ("/recordings/mulaw", test_mulaw);
  g_test_add_func ("/recordings/ogg-opus", test_ogg_opus);
  g_test_add_func ("/recordings/corrupt", test_corrupt);
  g_test_add_func ("/recordings/names", test_names);
  g_test_add_func ("/recordings/scan", test_scan);
  g_test_add_func ("/recordings/settled", test_settled);
  g_test_add_func ("/recordings/sample-flags", test_sample_flags);
  g_test_add_func ("/recordings/listen-import", test_listen_import);
  g_test_add_func ("/recordings/cli", test_cli);
  return g_test_run ();
}
