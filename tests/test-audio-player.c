// SPDX-License-Identifier: GPL-3.0-or-later
//
// CdAudioPlayer streaming a recording from a real citydesk-server on
// 127.0.0.1 with a real recordings folder, without a display (and without
// a sound card: the clock-synced fakesink): it prepares with the duration
// of the file, plays (the position moves), seeks forward, back and to the
// start, changes the speed while playing, plays to the end and again; all
// of that is one `listen` in the server's journal, and a second opening is
// a second (bench-recording-first-sound checks that the first sound of a
// long recording comes with only part of it fetched); a wrong token is an error and the player
// stays stopped; and `citydeskctl verify` passes.

#include "config.h"

#include <libsoup/soup.h>

#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

#include "cd-audio-player.h"
#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"

#define PASSWORD "audio-player-test-password"
#define UNIQUEID "1767225600.91"
#define SECONDS 30

typedef struct
{
  CdTestServer   server;
  CdAudioPlayer *player;
  char          *uri;
  char          *call;
  char          *token;
  gsize          size;
} Fixture;

static gboolean
prepared_or_failed (gpointer data)
{
  CdAudioPlayer *player = data;

  return cd_audio_player_get_prepared (player) || cd_audio_player_get_error (player) != NULL;
}

static gboolean
failed (gpointer data)
{
  return cd_audio_player_get_error (data) != NULL;
}

static gboolean
ended (gpointer data)
{
  return cd_audio_player_get_ended (data) || cd_audio_player_get_error (data) != NULL;
}

static gboolean
sounded (gpointer data)
{
  CdAudioPlayer *player = data;

  return cd_audio_player_get_error (player) != NULL ||
         cd_audio_player_get_first_sound (player) != 0;
}

typedef struct
{
  CdAudioPlayer *player;
  gint64         past;
} Past;

static gboolean
played_past (gpointer data)
{
  Past *past = data;

  return cd_audio_player_get_error (past->player) != NULL ||
         cd_audio_player_get_position (past->player) > past->past;
}

static gint64
count_listens (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE type = 'listen' "
                                          "AND entity = '%s' AND actor = 'qc'",
                                          f->call);
  g_autofree char *text = cd_test_sql_text (f->server.db, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static void
play_past (Fixture *f,
           gint64   past)
{
  Past p = { f->player, past };

  cd_test_wait_for (played_past, &p, "the position to move on");
  g_assert_no_error (cd_audio_player_get_error (f->player));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdCall) call = cd_call_new (UNIQUEID, "city", 1767225600);
  g_autoptr(GBytes) wav = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *folder = g_build_filename (dir, "recordings", NULL);
  g_autofree char *file = g_build_filename (folder, UNIQUEID ".wav", NULL);
  g_autofree char *facts = NULL;
  const char *extra[] = { "--recordings", folder, NULL };
  gboolean added = FALSE;

  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  call->answered_at = call->entered_at + 5;
  call->ended_at = call->entered_at + 5 + SECONDS;
  call->outcome = CD_CALL_ANSWERED;
  call->talk_seconds = SECONDS;
  call->agent = g_strdup ("anna");
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  f->call = cd_call_dup_entity (call);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  wav = cd_demo_recording_synthesize (UNIQUEID, SECONDS, NULL);
  f->size = g_bytes_get_size (wav);
  g_file_set_contents (file, g_bytes_get_data (wav, NULL), f->size, &error);
  g_assert_no_error (error);

  cd_test_add_user (db, "qc", "qc", NULL, PASSWORD);
  cd_test_server_start_full (&f->server, db, extra, FALSE);
  f->token = cd_test_login (session, f->server.url, "qc", PASSWORD);
  f->uri = g_strdup_printf ("%sapi/v1/recordings/%s/audio", f->server.url, f->call);

  /* The server links the recording while it answers. */
  facts = g_strdup_printf ("%sapi/v1/recordings/%s", f->server.url, f->call);
  for (guint i = 0; i < 1500; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", facts);
      g_autofree char *bearer = g_strconcat ("Bearer ", f->token, NULL);
      g_autoptr(GBytes) body = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      if (soup_message_get_status (msg) == SOUP_STATUS_OK)
        break;
      g_usleep (20000);
    }
  f->player = cd_audio_player_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->player);
  g_assert_cmpint (cd_test_verify (f->server.db), ==, 0);
  cd_test_server_clear (&f->server);
  g_free (f->uri);
  g_free (f->call);
  g_free (f->token);
}

static void
test_one_listen (Fixture       *f,
                 gconstpointer  data)
{
  gint64 duration;
  gint64 at;

  g_assert_cmpint (count_listens (f), ==, 0);
  cd_audio_player_open (f->player, f->uri, f->token, NULL);
  g_assert_cmpstr (cd_audio_player_get_uri (f->player), ==, f->uri);
  g_assert_false (cd_audio_player_get_prepared (f->player));
  cd_test_wait_for (prepared_or_failed, f->player, "the recording to be prepared");
  g_assert_no_error (cd_audio_player_get_error (f->player));
  duration = cd_audio_player_get_duration (f->player);
  /* 8 kHz, two channels of 16 bits, after a 44-byte header. */
  g_assert_cmpint (ABS (duration - (gint64) (f->size - 44) * G_USEC_PER_SEC / 32000), <=, 1000);
  g_assert_false (cd_audio_player_get_playing (f->player));

  cd_audio_player_play (f->player);
  g_assert_true (cd_audio_player_get_playing (f->player));
  cd_test_wait_for (sounded, f->player, "the first sound");
  g_assert_cmpint (cd_audio_player_get_first_sound_bytes (f->player), >, 0);
  g_assert_cmpint (cd_audio_player_get_first_sound_bytes (f->player), <=, (gint64) f->size);
  play_past (f, 0);

  /* Forward, at 2×, back, to the start: Range requests, not playbacks. */
  cd_audio_player_seek (f->player, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (cd_audio_player_get_position (f->player), ==, 10 * G_USEC_PER_SEC);
  play_past (f, 10 * G_USEC_PER_SEC);
  cd_audio_player_set_rate (f->player, 2.0);
  g_assert_cmpfloat (cd_audio_player_get_rate (f->player), ==, 2.0);
  cd_audio_player_set_rate (f->player, 3.0);
  g_assert_cmpfloat (cd_audio_player_get_rate (f->player), ==, CD_AUDIO_PLAYER_MAX_RATE);
  at = cd_audio_player_get_position (f->player);
  play_past (f, at + G_USEC_PER_SEC / 2);
  cd_audio_player_seek (f->player, 4 * G_USEC_PER_SEC);
  play_past (f, 4 * G_USEC_PER_SEC);
  cd_audio_player_seek (f->player, 0);
  g_assert_cmpint (cd_audio_player_get_position (f->player), ==, 0);
  play_past (f, G_USEC_PER_SEC / 4);

  /* Paused, the position stays. */
  cd_audio_player_pause (f->player);
  g_assert_false (cd_audio_player_get_playing (f->player));

  /* To the end, and again from the start. */
  cd_audio_player_seek (f->player, duration - G_USEC_PER_SEC / 2);
  cd_audio_player_play (f->player);
  cd_test_wait_for (ended, f->player, "the end");
  g_assert_no_error (cd_audio_player_get_error (f->player));
  g_assert_false (cd_audio_player_get_playing (f->player));
  g_assert_cmpint (cd_audio_player_get_position (f->player), ==, duration);
  cd_audio_player_play (f->player);
  g_assert_false (cd_audio_player_get_ended (f->player));
  g_assert_cmpint (cd_audio_player_get_position (f->player), ==, 0);
  play_past (f, G_USEC_PER_SEC / 4);
  g_assert_cmpint (count_listens (f), ==, 1);

  /* Opened again: a new playback. The speed stays. */
  cd_audio_player_open (f->player, f->uri, f->token, NULL);
  g_assert_false (cd_audio_player_get_prepared (f->player));
  g_assert_cmpint (cd_audio_player_get_position (f->player), ==, 0);
  g_assert_cmpfloat (cd_audio_player_get_rate (f->player), ==, CD_AUDIO_PLAYER_MAX_RATE);
  cd_test_wait_for (prepared_or_failed, f->player, "the recording to be prepared again");
  g_assert_no_error (cd_audio_player_get_error (f->player));
  g_assert_cmpint (count_listens (f), ==, 2);
  cd_audio_player_close (f->player);
  g_assert_null (cd_audio_player_get_uri (f->player));
  g_assert_false (cd_audio_player_get_prepared (f->player));
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  cd_audio_player_open (f->player, f->uri, "not-a-token", NULL);
  cd_test_wait_for (failed, f->player, "the server's refusal");
  g_assert_nonnull (cd_audio_player_get_error (f->player));
  g_test_message ("refused: %s", cd_audio_player_get_error (f->player)->message);
  g_assert_false (cd_audio_player_get_prepared (f->player));
  cd_audio_player_play (f->player);
  g_assert_false (cd_audio_player_get_playing (f->player));
  g_assert_cmpint (count_listens (f), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add ("/audio-player/one-listen", Fixture, NULL, fixture_set_up, test_one_listen,
              fixture_tear_down);
  g_test_add ("/audio-player/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  return g_test_run ();
}
