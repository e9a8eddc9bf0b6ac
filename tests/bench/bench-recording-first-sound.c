// SPDX-License-Identifier: GPL-3.0-or-later
//
// Time to the first sound as the app gets it: from choosing a call (the
// player opens the recording's address and plays) to the first buffer
// reaching the audio sink (a pad probe in CdAudioPlayer), streamed by
// GStreamer from a real citydesk-server on loopback with a real
// recordings folder. The goal: under 300 ms. It is given as a ratio to
// GET /api/v1/version timed in the same run, and to the first byte of the
// same audio (what the server alone costs). Each round is a new playback
// (a `listen` journaled first). It also checks that the player streams:
// when the first sound comes, less than the whole recording has been
// fetched. The recording is ten minutes of synthesized two-channel audio
// (19 MB), five minutes in the small mode (cd-bench.h). Without a sound
// card the player plays into a clock-synced fakesink: the same path to
// the sink.

#include "config.h"

#include <stdio.h>

#include "../cd-test-server.h"
#include "cd-audio-player.h"
#include "cd-bench.h"
#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"

#define UNIQUEID "1767225600.5"
#define PASSWORD "bench-recording-password"
#define ROUND_TIMEOUT_S 20

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Seconds from sending @path to its first body byte; the rest is read
 * and dropped. */
static double
first_byte (SoupSession *session,
            const char  *url,
            const char  *token)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[65536];
  double start, first;
  gssize n;

  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
    }
  start = now_seconds ();
  body = soup_session_send (session, msg, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (body, buffer, 1, NULL, &error);
  first = now_seconds () - start;
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  while ((n = g_input_stream_read (body, buffer, sizeof buffer, NULL, &error)) > 0)
    ;
  g_assert_no_error (error);
  return first;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Seconds from opening @uri to its first sound; @bytes: how much of the
 * recording had been fetched by then. */
static double
first_sound (CdAudioPlayer *player,
             const char    *uri,
             const char    *token,
             gint64        *bytes)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (ROUND_TIMEOUT_S, set_flag, &timed_out);
  gint64 start = g_get_monotonic_time ();
  double seconds;

  cd_audio_player_open (player, uri, token, NULL);
  cd_audio_player_play (player);
  while (cd_audio_player_get_first_sound (player) == 0 &&
         cd_audio_player_get_error (player) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (cd_audio_player_get_error (player));
  g_assert_false (timed_out);
  g_source_remove (timeout);
  seconds = (cd_audio_player_get_first_sound (player) - start) / 1e6;
  *bytes = cd_audio_player_get_first_sound_bytes (player);
  cd_audio_player_close (player);
  return seconds;
}

int
main (int    argc,
      char **argv)
{
  gboolean small;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdCall) call = cd_call_new (UNIQUEID, "city", 1767225600);
  g_autoptr(GBytes) wav = NULL;
  g_autofree char *db = NULL, *dir = NULL, *folder = NULL, *file = NULL;
  g_autofree char *id = NULL, *audio = NULL, *facts = NULL, *version_url = NULL;
  g_autofree char *token = NULL;
  g_autofree double *sounds = NULL, *bytes_read = NULL, *versions = NULL;
  g_autofree double *firsts = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CdAudioPlayer) player = NULL;
  CdTestServer server = { 0 };
  const char *extra[] = { "--recordings", NULL, NULL };
  guint seconds, rounds;
  gboolean added = FALSE;
  gint64 most = 0;
  double cold;

  cd_test_own_tmp_dir ();
  small = cd_bench_small ();
  seconds = small ? 300 : 600;
  rounds = small ? 3 : 21;

  db = cd_test_new_db_path ();
  dir = g_path_get_dirname (db);
  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  call->answered_at = call->entered_at + 5;
  call->ended_at = call->entered_at + 5 + seconds;
  call->outcome = CD_CALL_ANSWERED;
  call->hold_seconds = 5;
  call->talk_seconds = seconds;
  call->agent = g_strdup ("anna");
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  id = cd_call_dup_entity (call);

  folder = g_build_filename (dir, "recordings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  wav = cd_demo_recording_synthesize (UNIQUEID, seconds, NULL);
  file = g_build_filename (folder, UNIQUEID ".wav", NULL);
  g_file_set_contents (file, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &error);
  g_assert_no_error (error);

  cd_test_add_user (db, "qc", "qc", NULL, PASSWORD);
  extra[1] = folder;
  cd_test_server_start_full (&server, db, extra, FALSE);
  token = cd_test_login (session, server.url, "qc", PASSWORD);
  audio = g_strdup_printf ("%sapi/v1/recordings/%s/audio", server.url, id);
  facts = g_strdup_printf ("%sapi/v1/recordings/%s", server.url, id);
  version_url = g_strdup_printf ("%sapi/v1/version", server.url);

  /* The server links the recording while it answers. */
  for (guint i = 0; i < 1500; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", facts);
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
      g_autoptr(GBytes) body = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      if (soup_message_get_status (msg) == SOUP_STATUS_OK)
        break;
      g_usleep (20000);
    }

  /* One of each first: a warm connection for the baselines, GStreamer's
   * registry loaded for the player (as in an app that has played once). */
  player = cd_audio_player_new ();
  {
    gint64 bytes;

    first_byte (session, version_url, NULL);
    first_byte (session, audio, token);
    cold = first_sound (player, audio, token, &bytes);
  }
  versions = g_new (double, rounds);
  firsts = g_new (double, rounds);
  sounds = g_new (double, rounds);
  bytes_read = g_new (double, rounds);
  for (guint i = 0; i < rounds; i++)
    {
      gint64 bytes = 0;

      versions[i] = first_byte (session, version_url, NULL);
      firsts[i] = first_byte (session, audio, token);
      sounds[i] = first_sound (player, audio, token, &bytes);
      /* Streamed: the first sound comes before the whole file. */
      g_assert_cmpint (bytes, >, 0);
      g_assert_cmpint (bytes, <, (gint64) g_bytes_get_size (wav));
      bytes_read[i] = bytes;
      most = MAX (most, bytes);
    }
  qsort (versions, rounds, sizeof *versions, compare_doubles);
  qsort (firsts, rounds, sizeof *firsts, compare_doubles);
  qsort (sounds, rounds, sizeof *sounds, compare_doubles);
  qsort (bytes_read, rounds, sizeof *bytes_read, compare_doubles);

  printf ("recording: %u s, %" G_GSIZE_FORMAT " bytes; median of %u rounds each\n", seconds,
          g_bytes_get_size (wav), rounds);
  printf ("baseline: GET /api/v1/version        %8.2f ms\n", versions[rounds / 2] * 1e3);
  printf ("first byte of the audio               %8.2f ms  %7.2f× version\n",
          firsts[rounds / 2] * 1e3, firsts[rounds / 2] / versions[rounds / 2]);
  printf ("first sound: choose to audio sink     %8.2f ms  %7.2f× version  %6.2f× first byte"
          "  (goal < 300 ms)\n",
          sounds[rounds / 2] * 1e3, sounds[rounds / 2] / versions[rounds / 2],
          sounds[rounds / 2] / firsts[rounds / 2]);
  printf ("first sound, the process's first (GStreamer starting) %8.2f ms\n", cold * 1e3);
  printf ("fetched at the first sound: median %.0f bytes, at most %" G_GINT64_FORMAT
          " (%.1f%% of the file)\n",
          bytes_read[rounds / 2], most, 100.0 * most / g_bytes_get_size (wav));

  g_clear_object (&player);
  cd_test_server_clear (&server);
  return 0;
}
