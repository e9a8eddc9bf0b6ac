// SPDX-License-Identifier: GPL-3.0-or-later
//
// The server's part of the first sound: from sending GET /api/v1/recordings/{call}/audio
// to the first audio byte read, from a real citydesk-server on loopback
// with a real recordings folder, as a player starts a call (no Range: a
// new playback, its `listen` event journaled first) and as it seeks (a
// Range in the middle: no event). The goal: under 300 ms. Each is given
// as a ratio to GET /api/v1/version timed in the same run (no token, no
// database), and to the recording's facts (a token and one row read).
// The recording is ten minutes of synthesized two-channel audio (19 MB),
// 40 s in the small mode (cd-bench.h).

#include "config.h"

#include <stdio.h>

#include "../cd-test-server.h"
#include "cd-bench.h"
#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"

#define UNIQUEID "1767225600.5"
#define PASSWORD "bench-recording-password"

typedef struct
{
  SoupSession *session;
  const char  *base;
  const char  *token;
} Client;

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* Seconds from sending @path to its first body byte; the rest is read
 * and dropped, so that the connection is reused as a player's is. */
static double
first_byte (Client     *client,
            const char *path,
            const char *range,
            guint       expected)
{
  g_autofree char *url = g_strconcat (client->base, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GInputStream) body = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[65536];
  double start, first;
  gssize n;

  if (client->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", client->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  if (range != NULL)
    soup_message_headers_replace (headers, "Range", range);
  start = now_seconds ();
  body = soup_session_send (client->session, msg, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (body, buffer, 1, NULL, &error);
  first = now_seconds () - start;
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected);
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

/* The median of @rounds. */
static double
median (Client     *client,
        const char *path,
        const char *range,
        guint       expected,
        guint       rounds)
{
  g_autofree double *times = g_new (double, rounds);

  for (guint i = 0; i < rounds; i++)
    times[i] = first_byte (client, path, range, expected);
  qsort (times, rounds, sizeof *times, compare_doubles);
  return times[rounds / 2];
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
  g_autofree char *id = NULL, *audio = NULL, *facts = NULL, *middle = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  CdTestServer server = { 0 };
  const char *extra[] = { "--recordings", NULL, NULL };
  guint seconds, rounds;
  gboolean added = FALSE;
  double version, read_facts, play, seek;
  Client client = { 0 };

  cd_test_own_tmp_dir ();
  small = cd_bench_small ();
  seconds = small ? 40 : 600;
  rounds = small ? 5 : 41;

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

  /* The synthesis stops at 10 minutes. */
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

  client.session = session;
  client.base = server.url;
  audio = g_strdup_printf ("/api/v1/recordings/%s/audio", id);
  facts = g_strdup_printf ("/api/v1/recordings/%s", id);
  middle = g_strdup_printf ("bytes=%" G_GSIZE_FORMAT "-", g_bytes_get_size (wav) / 2);

  /* The server links the recording while it answers. */
  client.token = token;
  for (guint i = 0; i < 1500; i++)
    {
      g_autofree char *url = g_strconcat (server.url, facts + 1, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
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
  client.token = NULL;

  /* One of each first, so that every figure has a warm connection. */
  first_byte (&client, "/api/v1/version", NULL, 200);
  version = median (&client, "/api/v1/version", NULL, 200, rounds);
  client.token = token;
  first_byte (&client, facts, NULL, 200);
  read_facts = median (&client, facts, NULL, 200, rounds);
  play = median (&client, audio, NULL, 200, rounds);
  seek = median (&client, audio, middle, 206, rounds);

  printf ("recording: %u s, %" G_GSIZE_FORMAT " bytes; median of %u requests each\n", seconds,
          g_bytes_get_size (wav), rounds);
  printf ("baseline: GET /api/v1/version            %8.2f ms\n", version * 1e3);
  printf ("facts: GET /recordings/{call}            %8.2f ms  %6.2f× version\n",
          read_facts * 1e3, read_facts / version);
  printf ("first sound: audio, a new playback       %8.2f ms  %6.2f× version  (goal < 300 ms)\n",
          play * 1e3, play / version);
  printf ("first sound: audio, a seek to the middle %8.2f ms  %6.2f× version\n", seek * 1e3,
          seek / version);

  cd_test_server_clear (&server);
  return 0;
}
