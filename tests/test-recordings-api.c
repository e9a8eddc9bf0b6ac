// SPDX-License-Identifier: GPL-3.0-or-later
//
// Call recordings through a real citydesk-server on 127.0.0.1 with a real
// recordings folder: the scan at start links a demo recording to its call
// by uniqueid; the audio is served with HTTP Range (first, middle and last
// bytes, a suffix, an open end, a range past the end, an invalid one
// answered 416, several ranges answered whole) and every byte matches the
// file; the roles that may listen get it, the others 403, no token 401;
// one `listen` event per playback, and `citydeskctl verify` passes; names
// and stored paths that would lead out of the folder are refused; a
// recording dropped into the folder while the server runs is served; the
// facts name the tickets registered during the call, not another caller's,
// another channel's or those outside its window or nearer another call.

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <unistd.h>

#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"
#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"
#include "cd-store-users.h"

#define PASSWORD "recordings-test-password"
#define UNIQUEID "1767225600.77"

typedef struct _Fixture Fixture;

/* What a test adds to the server's database before the server starts. */
typedef struct
{
  void (*before_start) (Fixture *f,
                        CdStore *store);
} Setup;

struct _Fixture
{
  CdTestServer  server;
  SoupSession  *session;
  char         *folder;
  char         *call;
  GBytes       *wav;
  GHashTable   *tokens;
  GPtrArray    *linked;
};

static const char * const roles[] = {
  "operator", "supervisor", "qc", "feedback", "executor", "admin",
};

static GBytes *
get_bytes (Fixture     *f,
           const char  *path,
           const char  *role,
           const char  *range,
           guint       *status,
           char       **content_range,
           char       **content_type)
{
  g_autofree char *url = g_strconcat (f->server.url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  SoupMessageHeaders *request = soup_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (role != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", g_hash_table_lookup (f->tokens, role),
                                             NULL);

      soup_message_headers_replace (request, "Authorization", bearer);
    }
  if (range != NULL)
    soup_message_headers_replace (request, "Range", range);
  body = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (content_range != NULL)
    *content_range = g_strdup (soup_message_headers_get_one (
                                 soup_message_get_response_headers (msg), "Content-Range"));
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_content_type (
                                soup_message_get_response_headers (msg), NULL));
  if (g_str_has_suffix (path, "/audio") &&
      (*status == SOUP_STATUS_OK || *status == SOUP_STATUS_PARTIAL_CONTENT))
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Accept-Ranges"), ==, "bytes");
  return body;
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
count_listens (Fixture *f)
{
  g_autofree char *text = cd_test_sql_text (f->server.db, "SELECT count(*) FROM events "
                                                          "WHERE type = 'listen'");

  return g_ascii_strtoll (text, NULL, 10);
}

static char *
audio_path (Fixture *f)
{
  return g_strdup_printf ("/api/v1/recordings/%s/audio", f->call);
}

/* The server scans its folder while it answers: until the recording is
 * linked, its call has none (404). */
static void
wait_for_scan (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/recordings/%s", f->call);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      guint status = 0;
      g_autoptr(GBytes) body = get_bytes (f, path, "qc", NULL, &status, NULL, NULL);

      if (status == SOUP_STATUS_OK)
        return;
      g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *dated = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdCall) call = cd_call_new (UNIQUEID, "city", 1767225600);
  const char *extra[] = { "--recordings", NULL, NULL };
  gboolean added = FALSE;

  /* A call answered and talked for three minutes, as the PBX logged it. */
  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  call->answered_at = call->entered_at + 12;
  call->ended_at = call->entered_at + 192;
  call->outcome = CD_CALL_ANSWERED;
  call->hold_seconds = 12;
  call->talk_seconds = 180;
  call->agent = g_strdup ("anna");
  call->caller = g_strdup ("+375291234567");
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  f->call = cd_call_dup_entity (call);
  g_clear_object (&store);

  f->folder = g_build_filename (dir, "recordings", NULL);
  dated = g_build_filename (f->folder, "2026", "01", "01", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dated, 0700), ==, 0);
  f->wav = cd_demo_recording_synthesize (UNIQUEID, 180, NULL);
  file = g_build_filename (dated, UNIQUEID ".wav", NULL);
  g_file_set_contents (file, g_bytes_get_data (f->wav, NULL), g_bytes_get_size (f->wav), &error);
  g_assert_no_error (error);

  f->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    cd_test_add_user (db, roles[i], roles[i],
                      g_str_equal (roles[i], "executor") ? "heating" : NULL, PASSWORD);
  if (data != NULL)
    {
      store = cd_store_open (db, &error);
      g_assert_no_error (error);
      ((const Setup *) data)->before_start (f, store);
      g_clear_object (&store);
    }
  extra[1] = f->folder;
  cd_test_server_start_full (&f->server, db, extra, FALSE);
  f->session = soup_session_new ();
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    g_hash_table_insert (f->tokens, (gpointer) roles[i],
                         cd_test_login (f->session, f->server.url, roles[i], PASSWORD));
  wait_for_scan (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cd_test_server_clear (&f->server);
  g_clear_object (&f->session);
  g_clear_pointer (&f->tokens, g_hash_table_unref);
  g_clear_pointer (&f->wav, g_bytes_unref);
  g_clear_pointer (&f->linked, g_ptr_array_unref);
  g_free (f->folder);
  g_free (f->call);
}

static void
test_facts (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/recordings/%s", f->call);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) missing = NULL;
  JsonObject *analysis;
  const char *bearer = g_hash_table_lookup (f->tokens, "qc");

  answer = cd_test_call (f->session, f->server.url, "GET", path, bearer, NULL, NULL,
                         SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "path"), ==,
                   "2026/01/01/" UNIQUEID ".wav");
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==,
                   (gint64) g_bytes_get_size (f->wav));
  g_assert_cmpstr (json_object_get_string_member (answer, "format"), ==, "wav");
  analysis = json_object_get_object_member (answer, "analysis");
  g_assert_nonnull (analysis);
  g_assert_cmpint (json_object_get_int_member (analysis, "duration_ms"), ==,
                   json_object_get_int_member (answer, "duration_ms"));
  g_assert_cmpfloat (json_object_get_double_member (analysis, "silence_share"), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "tickets")), ==,
                    0);
  /* Reading the facts is no listen. */
  g_assert_cmpint (count_listens (f), ==, 0);

  missing = cd_test_call (f->session, f->server.url, "GET",
                          "/api/v1/recordings/00000000-0000-8000-8000-000000000000", bearer,
                          NULL, NULL, SOUP_STATUS_NOT_FOUND);
  cd_test_assert_error (missing, "not_found", NULL);

  /* Which calls of a period have a recording: the call entered the queue
   * on 1 January 2026 at midnight. */
  {
    g_autoptr(JsonObject) day = NULL;
    g_autoptr(JsonObject) before = NULL;
    g_autoptr(JsonObject) refused = NULL;
    g_autoptr(JsonObject) forbidden = NULL;
    JsonArray *list;
    JsonObject *entry;

    day = cd_test_call (f->session, f->server.url, "GET",
                        "/api/v1/recordings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
                        bearer, NULL, NULL, SOUP_STATUS_OK);
    list = json_object_get_array_member (day, "recordings");
    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    entry = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "call"), ==, f->call);
    g_assert_cmpint (json_object_get_int_member (entry, "duration_ms"), ==,
                     json_object_get_int_member (answer, "duration_ms"));
    /* The period leaves its end out. */
    before = cd_test_call (f->session, f->server.url, "GET",
                           "/api/v1/recordings?from=2025-12-31T00:00:00Z"
                           "&to=2026-01-01T00:00:00Z",
                           bearer, NULL, NULL, SOUP_STATUS_OK);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (before,
                                                                           "recordings")),
                      ==, 0);
    refused = cd_test_call (f->session, f->server.url, "GET",
                            "/api/v1/recordings?from=2026-01-02T00:00:00Z"
                            "&to=2026-01-01T00:00:00Z",
                            bearer, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
    cd_test_assert_error (refused, "bad_request", "to");
    g_clear_pointer (&refused, json_object_unref);
    refused = cd_test_call (f->session, f->server.url, "GET",
                            "/api/v1/recordings?to=2026-01-01T00:00:00Z", bearer, NULL, NULL,
                            SOUP_STATUS_BAD_REQUEST);
    cd_test_assert_error (refused, "bad_request", "from");
    forbidden = cd_test_call (f->session, f->server.url, "GET",
                              "/api/v1/recordings?from=2026-01-01T00:00:00Z"
                              "&to=2026-01-02T00:00:00Z",
                              g_hash_table_lookup (f->tokens, "operator"), NULL, NULL,
                              SOUP_STATUS_FORBIDDEN);
    g_assert_nonnull (forbidden);
  }
  g_assert_cmpint (count_listens (f), ==, 0);
}

static void
check_range (Fixture    *f,
             const char *range,
             gint64      first,
             gint64      last)
{
  g_autofree char *path = audio_path (f);
  g_autofree char *content_range = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize size;
  const guint8 *file = g_bytes_get_data (f->wav, &size);
  guint status = 0;

  g_test_message ("Range: %s", range);
  body = get_bytes (f, path, "qc", range, &status, &content_range, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_PARTIAL_CONTENT);
  expected = g_strdup_printf ("bytes %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "/%" G_GSIZE_FORMAT,
                              first, last, size);
  g_assert_cmpstr (content_range, ==, expected);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), file + first,
                   (gsize) (last - first + 1));
}

static void
test_ranges (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = audio_path (f);
  g_autofree char *type = NULL;
  gsize size = g_bytes_get_size (f->wav);
  gint64 n = (gint64) size, middle = n / 2;
  guint status = 0;
  const char *unsatisfiable[] = { "bytes=99999999-", "bytes=-0", "bytes=500-100", "bytes=x-y",
                                  "bytes=5", "bytes=--5" };

  /* The whole file, with its type. */
  {
    g_autoptr(GBytes) whole = get_bytes (f, path, "qc", NULL, &status, NULL, &type);

    g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (type, ==, "audio/wav");
    g_assert_true (g_bytes_equal (whole, f->wav));
  }
  check_range (f, "bytes=0-0", 0, 0);
  check_range (f, "bytes=0-43", 0, 43);
  {
    g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                              middle, middle + 99999);

    check_range (f, range, middle, middle + 99999);
  }
  {
    g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                              n - 1, n - 1);

    check_range (f, range, n - 1, n - 1);
  }
  check_range (f, "bytes=-100", n - 100, n - 1);
  {
    g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", middle);

    check_range (f, range, middle, n - 1);
  }
  /* A last byte past the end is the end; a suffix longer than the file
   * is the whole file. */
  {
    g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                              n - 10, n + 1000);

    check_range (f, range, n - 10, n - 1);
  }
  {
    g_autofree char *range = g_strdup_printf ("bytes=-%" G_GINT64_FORMAT, n + 5);

    check_range (f, range, 0, n - 1);
  }

  for (guint i = 0; i < G_N_ELEMENTS (unsatisfiable); i++)
    {
      g_autofree char *content_range = NULL;
      g_autofree char *expected = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);
      g_autoptr(GBytes) body = NULL;

      g_test_message ("Range: %s", unsatisfiable[i]);
      body = get_bytes (f, path, "qc", unsatisfiable[i], &status, &content_range, NULL);
      g_assert_cmpuint (status, ==, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE);
      g_assert_cmpstr (content_range, ==, expected);
    }

  /* Several ranges, or another unit: the whole file. */
  {
    g_autoptr(GBytes) whole = get_bytes (f, path, "qc", "bytes=0-9,100-199", &status, NULL,
                                         NULL);

    g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
    g_assert_true (g_bytes_equal (whole, f->wav));
  }
  {
    g_autoptr(GBytes) whole = get_bytes (f, path, "qc", "seconds=0-9", &status, NULL, NULL);

    g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
    g_assert_true (g_bytes_equal (whole, f->wav));
  }
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = audio_path (f);
  const guint expected[] = { 403, 200, 200, 403, 403, 200 };
  guint status = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (expected) == G_N_ELEMENTS (roles));
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr(GBytes) body = NULL;

      g_test_message ("GET audio as %s", roles[i]);
      body = get_bytes (f, path, roles[i], "bytes=0-99", &status, NULL, NULL);
      g_assert_cmpuint (status, ==, expected[i] == 200 ? 206 : expected[i]);
      if (expected[i] == 200)
        g_assert_cmpuint (g_bytes_get_size (body), ==, 100);
      else
        g_assert_null (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                     "RIFF"));
    }
  {
    g_autoptr(GBytes) body = get_bytes (f, path, NULL, NULL, &status, NULL, NULL);

    g_assert_cmpuint (status, ==, SOUP_STATUS_UNAUTHORIZED);
  }
  /* Only the three that listened are in the journal, once each. */
  g_assert_cmpint (count_listens (f), ==, 3);
}

static void
test_listen_events (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = audio_path (f);
  g_autofree char *actor = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *payload = NULL;
  gint64 n = (gint64) g_bytes_get_size (f->wav);
  guint status = 0;

  /* A player's session: the first bytes, then seeks and the end. */
  g_bytes_unref (get_bytes (f, path, "qc", "bytes=0-", &status, NULL, NULL));
  g_assert_cmpuint (status, ==, 206);
  g_assert_cmpint (count_listens (f), ==, 1);
  for (guint i = 1; i < 5; i++)
    {
      g_autofree char *range = g_strdup_printf ("bytes=%" G_GINT64_FORMAT "-", n * i / 5);

      g_bytes_unref (get_bytes (f, path, "qc", range, &status, NULL, NULL));
      g_assert_cmpuint (status, ==, 206);
    }
  g_bytes_unref (get_bytes (f, path, "qc", "bytes=-4096", &status, NULL, NULL));
  g_assert_cmpint (count_listens (f), ==, 1);

  actor = cd_test_sql_text (f->server.db, "SELECT actor || '/' || role FROM events "
                                          "WHERE type = 'listen'");
  entity = cd_test_sql_text (f->server.db, "SELECT entity FROM events WHERE type = 'listen'");
  payload = cd_test_sql_text (f->server.db, "SELECT payload FROM events WHERE type = 'listen'");
  g_assert_cmpstr (actor, ==, "qc/qc");
  g_assert_cmpstr (entity, ==, f->call);
  g_assert_cmpstr (payload, ==, "{}");

  /* A new playback (no Range) is a second listen; a refused range none. */
  g_bytes_unref (get_bytes (f, path, "supervisor", NULL, &status, NULL, NULL));
  g_assert_cmpuint (status, ==, 200);
  g_bytes_unref (get_bytes (f, path, "qc", "bytes=99999999-", &status, NULL, NULL));
  g_assert_cmpuint (status, ==, 416);
  g_assert_cmpint (count_listens (f), ==, 2);

  /* Who listened is personal: the feed names no one to a role the role
   * table keeps out of recordings, and qc reads it whole. */
  for (guint r = 0; r < 2; r++)
    {
      const char *role = r == 0 ? "operator" : "qc";
      g_autoptr(JsonObject) feed = cd_test_call (f->session, f->server.url, "GET",
                                                 "/api/v1/events?after=0&limit=10000",
                                                 g_hash_table_lookup (f->tokens, role), NULL,
                                                 NULL, SOUP_STATUS_OK);
      JsonArray *events = json_object_get_array_member (feed, "events");
      guint listens = 0;

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);

          if (!g_str_equal (json_object_get_string_member (e, "type"), "listen"))
            continue;
          listens++;
          g_assert_cmpstr (json_object_get_string_member (e, "actor"), ==,
                           r == 0 ? "" : (listens == 1 ? "qc" : "supervisor"));
          g_assert_cmpint (json_object_has_member (e, "masked"), ==, r == 0);
        }
      g_assert_cmpuint (listens, ==, 2);
    }

  /* The journal with its listens still verifies. */
  g_assert_cmpint (cd_test_verify (f->server.db), ==, 0);
}

static void
test_traversal (Fixture       *f,
                gconstpointer  data)
{
  const char *paths[] = {
    "/api/v1/recordings/..%2F..%2Fetc%2Fpasswd/audio",
    "/api/v1/recordings/../../etc/passwd",
    "/api/v1/recordings/%2Fetc%2Fpasswd/audio",
    "/api/v1/recordings/abc/def/audio",
    "/api/v1/recordings/zzzz/audio",
  };
  g_autofree char *secret = NULL;
  g_autofree char *update = NULL;
  g_autofree char *path = audio_path (f);
  g_autofree char *parent = g_path_get_dirname (f->folder);
  g_autoptr(GError) error = NULL;
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GBytes) body = NULL;

      g_test_message ("GET %s", paths[i]);
      body = get_bytes (f, paths[i], "qc", NULL, &status, NULL, NULL);
      /* The server's path check (400) or this route's (404). */
      g_assert_true (status == SOUP_STATUS_BAD_REQUEST || status == SOUP_STATUS_NOT_FOUND);
      g_assert_null (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   "root:"));
    }

  /* A stored path that leads out of the folder (a database edited, a
   * link planted after the scan) serves nothing. */
  secret = g_build_filename (parent, "secret.wav", NULL);
  g_file_set_contents (secret, "RIFF-secret", -1, &error);
  g_assert_no_error (error);
  update = g_strdup_printf ("UPDATE recordings SET path = '../secret.wav' WHERE call = '%s'",
                            f->call);
  sql_exec (f->server.db, update);
  {
    g_autoptr(GBytes) body = get_bytes (f, path, "qc", NULL, &status, NULL, NULL);

    g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
    g_assert_null (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                 "secret"));
  }
  g_free (update);
  update = g_strdup_printf ("UPDATE recordings SET path = '2026/01/01/link.wav' "
                            "WHERE call = '%s'", f->call);
  sql_exec (f->server.db, update);
  {
    g_autofree char *link = g_build_filename (f->folder, "2026", "01", "01", "link.wav", NULL);
    g_autoptr(GBytes) body = NULL;

    g_assert_cmpint (symlink (secret, link), ==, 0);
    body = get_bytes (f, path, "qc", NULL, &status, NULL, NULL);
    g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  }
  g_assert_cmpint (count_listens (f), ==, 0);
}

/* A recording the PBX writes while the server runs, in a new day's
 * folder: the folder's monitor tells of it, and it is linked, listed and
 * served without a restart. */
static void
test_watch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdCall) call = cd_call_new ("1767312000.5", "city", 1767312000);
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767312000.5", 8, NULL);
  g_autoptr(GBytes) whole = NULL;
  g_autofree char *id = NULL;
  g_autofree char *day = g_build_filename (f->folder, "2026", "01", "02", NULL);
  g_autofree char *file = g_build_filename (day, "1767312000.5.wav", NULL);
  g_autofree char *path = NULL;
  g_autofree char *audio = NULL;
  gint64 deadline = g_get_monotonic_time () + CD_TEST_WAIT_SECONDS * G_USEC_PER_SEC;
  gboolean added = FALSE;
  guint status = 0;

  /* The call's queue_log lines came first, as a PBX's do. */
  store = cd_store_open (f->server.db, &error);
  g_assert_no_error (error);
  call->answered_at = call->entered_at + 3;
  call->talk_seconds = 8;
  call->agent = g_strdup ("boris");
  cd_call_end (call, CD_CALL_ANSWERED, call->entered_at + 11);
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  id = cd_call_dup_entity (call);
  path = g_strdup_printf ("/api/v1/recordings/%s", id);
  audio = g_strdup_printf ("/api/v1/recordings/%s/audio", id);
  {
    g_autoptr(GBytes) body = get_bytes (f, path, "qc", NULL, &status, NULL, NULL);

    g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
  }

  g_assert_cmpint (g_mkdir_with_parents (day, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav),
                                      &error));
  for (;;)
    {
      g_autoptr(GBytes) body = get_bytes (f, path, "qc", NULL, &status, NULL, NULL);

      if (status == SOUP_STATUS_OK)
        break;
      g_assert_cmpuint (status, ==, SOUP_STATUS_NOT_FOUND);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  whole = get_bytes (f, audio, "supervisor", NULL, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (whole, wav));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT path FROM recordings WHERE call = '%s'", id);
    g_autofree char *stored = cd_test_sql_text (f->server.db, sql);

    g_assert_cmpstr (stored, ==, "2026/01/02/1767312000.5.wav");
  }
}

/* The call was answered at T + 12 and ended at T + 192, from
 * +375291234567, by agent anna, whose account is `operator`. */
#define T 1767225600

static char *
register_ticket (CdStore    *store,
                 const char *channel,
                 const char *phone,
                 const char *actor,
                 gint64      time)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  /* A building each, so that no ticket repeats another. */
  g_autofree char *building = g_strdup_printf ("%" G_GINT64_FORMAT, time - T);

  json_object_set_string_member (fields, "kind", "routine");
  json_object_set_string_member (fields, "category", "housing.heating");
  json_object_set_string_member (fields, "district", "Central");
  json_object_set_string_member (fields, "street", "Lenina");
  json_object_set_string_member (fields, "building", building);
  json_object_set_string_member (fields, "channel", channel);
  json_object_set_string_member (fields, "phone", phone);
  json_object_set_string_member (fields, "executor", "heating");
  ticket = cd_store_register (store, fields, actor, "operator", time, &error);
  g_assert_no_error (error);
  return g_strdup (ticket->number);
}

static void
add_call_tickets (Fixture *f,
                  CdStore *store)
{
  g_autoptr(CdCall) later = cd_call_new ("1767225900.80", "city", T + 300);
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  g_assert_true (cd_store_set_user_agent (store, "operator", "anna", NULL, &error));
  g_assert_no_error (error);
  /* The same caller again, answered by boris after the first call's end. */
  later->caller = g_strdup ("+375291234567");
  later->answered_at = T + 310;
  later->ended_at = T + 400;
  later->outcome = CD_CALL_ANSWERED;
  later->hold_seconds = 10;
  later->talk_seconds = 90;
  later->agent = g_strdup ("boris");
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, later, &added, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);

  f->linked = g_ptr_array_new_with_free_func (g_free);
  /* The caller's number in its national form, during the talk. */
  g_ptr_array_add (f->linked, register_ticket (store, "phone", "8 029 123-45-67", "olga",
                                               T + 60));
  /* Another number, registered by the operator's own account. */
  g_ptr_array_add (f->linked, register_ticket (store, "phone", "+375 44 555-66-77", "operator",
                                               T + 120));
  /* Another caller's, by another account; not on the phone; before the
   * answer; after the wrap-up; and the caller's next call's. */
  register_ticket (store, "phone", "+375 29 765-43-21", "olga", T + 90);
  register_ticket (store, "web", "+375 29 123-45-67", "olga", T + 100);
  register_ticket (store, "phone", "+375 29 123-45-67", "olga", T + 5);
  register_ticket (store, "phone", "+375 29 123-45-67", "olga", T + 192 + 301);
  register_ticket (store, "phone", "+375 29 123-45-67", "olga", T + 350);
}

static const Setup with_tickets = { add_call_tickets };

static void
test_tickets (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/recordings/%s", f->call);
  const char *who[] = { "qc", "operator" };

  for (guint w = 0; w < G_N_ELEMENTS (who); w++)
    {
      g_autoptr(JsonObject) answer = NULL;
      JsonArray *tickets;

      answer = cd_test_call (f->session, f->server.url, "GET", path,
                             g_hash_table_lookup (f->tokens, who[w]), NULL, NULL,
                             SOUP_STATUS_OK);
      tickets = json_object_get_array_member (answer, "tickets");
      g_assert_nonnull (tickets);
      g_assert_cmpuint (json_array_get_length (tickets), ==, f->linked->len);
      for (guint i = 0; i < f->linked->len; i++)
        {
          JsonObject *ticket = json_array_get_object_element (tickets, i);

          g_assert_cmpstr (json_object_get_string_member (ticket, "number"), ==,
                           f->linked->pdata[i]);
          g_assert_cmpstr (json_object_get_string_member (ticket, "category"), ==,
                           "housing.heating");
          g_assert_cmpstr (json_object_get_string_member (ticket, "status"), ==, "assigned");
          g_assert_cmpint (json_object_get_int_member (ticket, "created_at"), ==,
                           i == 0 ? T + 60 : T + 120);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add ("/recordings-api/facts", Fixture, NULL, fixture_set_up, test_facts,
              fixture_tear_down);
  g_test_add ("/recordings-api/ranges", Fixture, NULL, fixture_set_up, test_ranges,
              fixture_tear_down);
  g_test_add ("/recordings-api/roles", Fixture, NULL, fixture_set_up, test_roles,
              fixture_tear_down);
  g_test_add ("/recordings-api/listen-events", Fixture, NULL, fixture_set_up,
              test_listen_events, fixture_tear_down);
  g_test_add ("/recordings-api/watch", Fixture, NULL, fixture_set_up, test_watch,
              fixture_tear_down);
  g_test_add ("/recordings-api/tickets", Fixture, &with_tickets, fixture_set_up, test_tickets,
              fixture_tear_down);
  g_test_add ("/recordings-api/traversal", Fixture, NULL, fixture_set_up, test_traversal,
              fixture_tear_down);
  return g_test_run ();
}
