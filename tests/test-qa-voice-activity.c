// SPDX-License-Identifier: GPL-3.0-or-later
/* test-qa-voice-activity.c: the voice-activity detector on generated audio
 *
 * Two-channel recordings are generated here with talk, dead air and
 * overtalk at known times: speech is bursts of a tone (the operator) or of
 * loud noise (the resident), 250 ms on and 50 ms off like syllables, over
 * a faint line noise. The figures must match the spans within two frames,
 * allowing for the configured hangover, and must not change with the way
 * the samples are cut into chunks.
 */

#include <math.h>
#include <string.h>

#include "cd-voice-activity.h"
#include "cd-test.h"

#define RATE 8000
#define TOLERANCE_MS 20
#define HANGOVER_MS 200

typedef struct
{
  gint16 *samples;   /* interleaved */
  gsize   n_frames;
} Recording;

static void
recording_free (Recording *r)
{
  g_free (r->samples);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recording, recording_free)

static gsize
ms_to_frame (guint ms)
{
  return (gsize) ms * RATE / 1000;
}

/* A recording of @ms with line noise of @noise peak on both channels. */
static Recording *
recording_new (guint   ms,
               int     noise,
               guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Recording *r = g_new0 (Recording, 1);

  r->n_frames = ms_to_frame (ms);
  r->samples = g_new0 (gint16, 2 * r->n_frames);
  for (gsize i = 0; noise > 0 && i < 2 * r->n_frames; i++)
    r->samples[i] = (gint16) g_rand_int_range (rand, -noise, noise + 1);
  return r;
}

/* Speech on @channel from @start_ms to @end_ms: bursts of 250 ms every
 * 300 ms, a tone or noise of @amplitude. Returns where the last burst
 * ends, the last loud moment. */
static guint
add_speech (Recording *r,
            guint      channel,
            guint      start_ms,
            guint      end_ms,
            int        amplitude,
            gboolean   tone,
            guint32    seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint last = start_ms;

  for (gsize i = ms_to_frame (start_ms); i < ms_to_frame (end_ms); i++)
    {
      gsize into = (i - ms_to_frame (start_ms)) % ms_to_frame (300);
      int value;

      if (into >= ms_to_frame (250))
        continue;
      if (tone)
        value = (int) (amplitude * sin (2 * G_PI * 440.0 * i / RATE));
      else
        value = g_rand_int_range (rand, -amplitude, amplitude + 1);
      r->samples[2 * i + channel] = (gint16) CLAMP (r->samples[2 * i + channel] + value,
                                                    G_MININT16, G_MAXINT16);
      last = (guint) ((i + 1) * 1000 / RATE);
    }
  return last;
}

static CdVoiceActivityResult *
analyze (const Recording *r)
{
  g_autoptr(GError) error = NULL;
  CdVoiceActivityConfig config;
  CdVoiceActivityResult *result;

  cd_voice_activity_config_init (&config, RATE);
  result = cd_voice_activity_analyze (&config, r->samples, 2 * r->n_frames, &error);
  g_assert_no_error (error);
  return result;
}

static void
assert_ms (gint64      actual,
           gint64      expected,
           const char *what)
{
  if (ABS (actual - expected) > TOLERANCE_MS)
    g_error ("%s is %" G_GINT64_FORMAT " ms, not %" G_GINT64_FORMAT " ms", what, actual,
             expected);
}

static void
assert_share (double      actual,
              double      expected_ms,
              double      total_ms,
              guint       n_edges,
              const char *what)
{
  /* Each edge of a span may move by the tolerance. */
  if (fabs (actual * total_ms - expected_ms) > n_edges * TOLERANCE_MS)
    g_error ("%s is %.4f, not %.4f", what, actual, expected_ms / total_ms);
}

/* 20 s: the operator talks from 1 s, the resident joins at 5 s (overtalk
 * to the operator's end), then 5 s of dead air, then the operator alone to
 * the end. */
static void
test_spans (void)
{
  g_autoptr(Recording) r = recording_new (20000, 40, 1);
  g_autoptr(CdVoiceActivityResult) result = NULL;
  const CdVoiceSpan *span;
  guint op_end, res_end, op2_end;
  double op_talk, res_talk, silence, overtalk;

  op_end = add_speech (r, CD_VOICE_OPERATOR, 1000, 6000, 8000, TRUE, 2);
  res_end = add_speech (r, CD_VOICE_RESIDENT, 5000, 9000, 6000, FALSE, 3);
  op2_end = add_speech (r, CD_VOICE_OPERATOR, 14000, 20000, 8000, TRUE, 4);
  g_assert_cmpuint (op_end, ==, 6000);
  g_assert_cmpuint (res_end, ==, 9000);
  g_assert_cmpuint (op2_end, ==, 19950);

  result = analyze (r);
  g_assert_cmpuint (result->n_frames, ==, 160000);
  g_assert_cmpint (result->duration_ms, ==, 20000);

  /* The operator: 1000 to 6000 + hangover, 14000 to the end. */
  op_talk = (op_end + HANGOVER_MS - 1000) + (20000 - 14000);
  res_talk = res_end + HANGOVER_MS - 5000;
  silence = 1000 + (14000 - (res_end + HANGOVER_MS));
  overtalk = op_end + HANGOVER_MS - 5000;
  assert_share (result->talk_share[CD_VOICE_OPERATOR], op_talk, 20000, 3, "operator talk");
  assert_share (result->talk_share[CD_VOICE_RESIDENT], res_talk, 20000, 2, "resident talk");
  assert_share (result->silence_share, silence, 20000, 3, "silence");
  assert_share (result->overtalk_share, overtalk, 20000, 2, "overtalk");

  assert_ms (result->longest_silence_ms, 14000 - (res_end + HANGOVER_MS), "longest silence");
  assert_ms (result->longest_silence_start_ms, res_end + HANGOVER_MS, "its start");
  /* Only the dead air of 2 s or more is listed: not the first second. */
  g_assert_cmpuint (result->silences->len, ==, 1);
  span = &g_array_index (result->silences, CdVoiceSpan, 0);
  assert_ms (span->start_ms, res_end + HANGOVER_MS, "the silence's start");
  assert_ms (span->end_ms, 14000, "the silence's end");
  g_assert_cmpuint (result->overtalks->len, ==, 1);
  span = &g_array_index (result->overtalks, CdVoiceSpan, 0);
  assert_ms (span->start_ms, 5000, "the overtalk's start");
  assert_ms (span->end_ms, op_end + HANGOVER_MS, "the overtalk's end");

  /* The waveform: a value per 100 ms, loud where the tone is (8000 of
   * 32768 is 62 of 255), faint in the dead air. */
  g_assert_cmpuint (result->peaks[CD_VOICE_OPERATOR]->len, ==, 200);
  g_assert_cmpuint (result->peaks[CD_VOICE_RESIDENT]->len, ==, 200);
  g_assert_cmpuint (result->peaks[CD_VOICE_OPERATOR]->data[20], >=, 60);
  g_assert_cmpuint (result->peaks[CD_VOICE_OPERATOR]->data[20], <=, 63);
  g_assert_cmpuint (result->peaks[CD_VOICE_OPERATOR]->data[100], <=, 1);
  g_assert_cmpuint (result->peaks[CD_VOICE_RESIDENT]->data[60], >=, 40);
  g_assert_cmpuint (result->peaks[CD_VOICE_RESIDENT]->data[5], <=, 1);
}

/* A noisy line on the resident's side (noise at about -35 dBFS, above the
 * absolute level): the floor follows it, so only the speech is talk. A
 * silent (all zero) operator's channel never talks. */
static void
test_noisy_line (void)
{
  g_autoptr(Recording) r = recording_new (12000, 0, 5);
  g_autoptr(GRand) rand = g_rand_new_with_seed (6);
  g_autoptr(CdVoiceActivityResult) result = NULL;
  guint end;

  for (gsize i = 0; i < r->n_frames; i++)
    r->samples[2 * i + 1] = (gint16) g_rand_int_range (rand, -1000, 1001);
  end = add_speech (r, CD_VOICE_RESIDENT, 3000, 7000, 12000, TRUE, 7);
  result = analyze (r);
  g_assert_cmpfloat (result->talk_share[CD_VOICE_OPERATOR], ==, 0.0);
  assert_share (result->talk_share[CD_VOICE_RESIDENT], end + HANGOVER_MS - 3000, 12000, 2,
                "talk on a noisy line");
  g_assert_cmpfloat (result->overtalk_share, ==, 0.0);
  assert_ms (result->longest_silence_ms, 12000 - (end + HANGOVER_MS), "longest silence");
}

/* However the samples are cut (odd counts between the two samples of a
 * frame, single samples, large chunks), the figures are the same. */
static void
test_chunks (void)
{
  g_autoptr(Recording) r = recording_new (9000, 40, 8);
  g_autoptr(CdVoiceActivityResult) whole = NULL;
  g_autofree char *expected = NULL;
  CdVoiceActivityConfig config;
  static const gsize patterns[][4] = {
    { 1, 1, 1, 1 }, { 3, 7, 161, 1001 }, { 159, 160, 161, 8191 }, { 99999, 1, 2, 3 },
  };

  add_speech (r, CD_VOICE_OPERATOR, 500, 4000, 9000, TRUE, 9);
  add_speech (r, CD_VOICE_RESIDENT, 3500, 8000, 5000, FALSE, 10);
  whole = analyze (r);
  expected = cd_voice_activity_result_to_json (whole);
  cd_voice_activity_config_init (&config, RATE);
  for (guint p = 0; p < G_N_ELEMENTS (patterns); p++)
    {
      g_autoptr(CdVoiceActivity) vad = cd_voice_activity_new (&config, NULL);
      g_autoptr(CdVoiceActivityResult) result = NULL;
      g_autofree char *json = NULL;
      gsize n = 2 * r->n_frames;
      gsize at = 0;

      for (guint k = 0; at < n; k++)
        {
          gsize take = MIN (patterns[p][k % 4], n - at);

          cd_voice_activity_feed (vad, r->samples + at, take);
          /* An empty chunk changes nothing either. */
          cd_voice_activity_feed (vad, r->samples + at, 0);
          at += take;
        }
      result = cd_voice_activity_finish (vad);
      json = cd_voice_activity_result_to_json (result);
      g_assert_cmpstr (json, ==, expected);
    }
}

/* The last, partial frame and waveform window count; full scale is 255. */
static void
test_edges (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdVoiceActivityResult) empty = NULL;
  g_autoptr(CdVoiceActivityResult) result = NULL;
  g_autofree gint16 *samples = g_new0 (gint16, 2 * 805);
  g_autofree char *json = NULL;
  CdVoiceActivityConfig config;

  cd_voice_activity_config_init (&config, RATE);
  empty = cd_voice_activity_analyze (&config, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->n_frames, ==, 0);
  g_assert_cmpfloat (empty->silence_share, ==, 0.0);
  g_assert_cmpuint (empty->peaks[0]->len, ==, 0);

  samples[2 * 804] = G_MININT16;
  samples[2 * 804 + 1] = G_MAXINT16;
  result = cd_voice_activity_analyze (&config, samples, 2 * 805, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_frames, ==, 805);
  /* 805 samples are 100.6 ms: two waveform values, the second from 5. */
  g_assert_cmpuint (result->peaks[0]->len, ==, 2);
  g_assert_cmpuint (result->peaks[0]->data[1], ==, 255);
  g_assert_cmpuint (result->peaks[1]->data[1], ==, 255);
  g_assert_cmpuint (result->peaks[0]->data[0], ==, 0);
  json = cd_voice_activity_result_to_json (result);
  g_assert_nonnull (strstr (json, "\"duration_ms\":100,"));
  g_assert_nonnull (strstr (json, "\"waveform\":{\"peak_ms\":100,\"operator\":\"AP8=\""));
}

static void
test_config (void)
{
  static const struct { guint rate; guint frame_ms; gboolean ok; } cases[] = {
    { 8000, 10, TRUE }, { 16000, 20, TRUE }, { 44100, 10, TRUE }, { 48000, 20, TRUE },
    { 22050, 10, FALSE }, { 22050, 20, TRUE }, { 7999, 10, FALSE }, { 8000, 15, FALSE },
    { 400000, 10, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdVoiceActivity) vad = NULL;
      CdVoiceActivityConfig config;

      cd_voice_activity_config_init (&config, cases[i].rate);
      config.frame_ms = cases[i].frame_ms;
      vad = cd_voice_activity_new (&config, &error);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, CD_VOICE_ACTIVITY_ERROR, CD_VOICE_ACTIVITY_ERROR_INVALID);
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qa-voice-activity/spans", test_spans);
  g_test_add_func ("/qa-voice-activity/noisy-line", test_noisy_line);
  g_test_add_func ("/qa-voice-activity/chunks", test_chunks);
  g_test_add_func ("/qa-voice-activity/edges", test_edges);
  g_test_add_func ("/qa-voice-activity/config", test_config);

  return g_test_run ();
}
