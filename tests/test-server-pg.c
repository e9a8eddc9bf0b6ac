// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydesk-server on PostgreSQL: the API's ticket flow and the calls'
// recordings (scanned by the server's own connection, listed, their facts,
// the audio served with HTTP Range) on both backends (a table; PostgreSQL's cases
// skip without CITYDESK_TEST_PG), then two
// server processes on one database: a client of one sees on its stream,
// in order, the events written through the other, and one Idempotency-Key
// sent to both at once acts once. And the calls' API on both backends: a
// queue_log imported, its statistics, its missed calls and a callback; and
// the quality-control desk's routes on both backends. The database's
// connections lost (a restart, a failover): both servers connect again.

#include "config.h"

#include "cd-call.h"
#include "cd-demo-recording.h"
#include "cd-store-calls.h"
#include "cd-store-notifications.h"
#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-pg.h"
#include "cd-test-server.h"
#include "cd-test-stream.h"

#define PASSWORD "s3cret-password"

typedef struct
{
  const char *name;
  gboolean    postgresql;
} Backend;

static const Backend backends[] = {
  { "sqlite", FALSE },
  { "postgresql", TRUE },
};

static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"flat\":\"12\",\"name\":\"Ivan Petrov\","
  "\"phone\":\"+375 29 123-45-67\",\"description\":\"No heating\",\"executor\":\"org-a\"}";

/* A new database of @backend with its accounts, or %NULL (skipped). */
static char *
new_database (const Backend *backend,
              const char    *tag)
{
  char *location = backend->postgresql ? cd_test_pg_new_database (tag) : cd_test_new_db_path ();

  if (location == NULL)
    return NULL;
  cd_test_add_user (location, "oper", "operator", NULL, PASSWORD);
  cd_test_add_user (location, "exec", "executor", "org-a", PASSWORD);
  cd_test_add_user (location, "other", "executor", "org-b", PASSWORD);
  cd_test_add_user (location, "super", "supervisor", NULL, PASSWORD);
  return location;
}

static void
drop_database (const Backend *backend,
               const char    *location)
{
  if (backend->postgresql)
    {
      cd_test_pg_drop_database (location);
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (location);
      g_autofree char *wal = g_strconcat (location, "-wal", NULL);
      g_autofree char *shm = g_strconcat (location, "-shm", NULL);

      g_remove (location);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (dir);
    }
}

static char *
register_ticket (SoupSession *session,
                 const char  *url,
                 const char  *token)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonObject) answer = cd_test_call (session, url, "POST", "/api/v1/tickets", token,
                                                key, registration, SOUP_STATUS_CREATED);

  return g_strdup (
      json_object_get_string_member (json_object_get_object_member (answer, "ticket"), "number"));
}

static void
act_to (SoupSession *session,
        const char  *url,
        const char  *token,
        const char  *number,
        const char  *body,
        guint        expected,
        const char  *state)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  g_autoptr(JsonObject) answer = cd_test_call (session, url, "POST", path, token, key, body,
                                                expected);

  if (state != NULL)
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer,
                                                                                   "ticket"),
                                                    "state"),
                     ==, state);
}

/* The messages to residents that @location queues: every row. */
static guint
count_notifications (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (location, &error);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_no_error (error);
  g_assert_true (cd_store_list_notifications (store, -1, "admin", 0, &rows, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpstr (((CdNotification *) rows->pdata[i])->channel, ==, "sms");
  return rows->len;
}

/* Login, registration, every action through resolve, reopen and close
 * (which queue messages to the resident), the role and state refusals,
 * the feed, the statistics and the reference data. */
static void
test_flow (gconstpointer data)
{
  const Backend *backend = data;
  g_autofree char *location = new_database (backend, "flow");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *oper = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *other = NULL;
  g_autofree char *super = NULL;
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonObject) reference = NULL;
  JsonArray *executors;
  gboolean found_executor = FALSE;
  CdTestServer server = { 0 };

  if (location == NULL)
    return;
  cd_test_server_start (&server, location);
  oper = cd_test_login (session, server.url, "oper", PASSWORD);
  exec = cd_test_login (session, server.url, "exec", PASSWORD);
  other = cd_test_login (session, server.url, "other", PASSWORD);
  super = cd_test_login (session, server.url, "super", PASSWORD);

  number = register_ticket (session, server.url, oper);
  path = g_strdup_printf ("/api/v1/tickets/%s", number);
  shown = cd_test_call (session, server.url, "GET", path, oper, NULL, NULL, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (shown, "state"), ==, "assigned");
  act_to (session, server.url, other, number, "{\"action\":\"accept\"}", SOUP_STATUS_FORBIDDEN,
          NULL);
  act_to (session, server.url, exec, number, "{\"action\":\"accept\"}", SOUP_STATUS_OK,
          "accepted");
  act_to (session, server.url, exec, number, "{\"action\":\"start\"}", SOUP_STATUS_OK,
          "in_progress");
  act_to (session, server.url, exec, number, "{\"action\":\"wait\",\"note\":\"No access\"}",
          SOUP_STATUS_OK, "waiting");
  act_to (session, server.url, oper, number, "{\"action\":\"resume\"}", SOUP_STATUS_OK,
          "in_progress");
  act_to (session, server.url, oper, number, "{\"action\":\"comment\",\"note\":\"Called\"}",
          SOUP_STATUS_OK, "in_progress");
  act_to (session, server.url, exec, number, "{\"action\":\"accept\"}", SOUP_STATUS_CONFLICT,
          NULL);
  act_to (session, server.url, exec, number, "{\"action\":\"resolve\"}", SOUP_STATUS_OK,
          "resolved");
  act_to (session, server.url, exec, number, "{\"action\":\"close\"}", SOUP_STATUS_FORBIDDEN,
          NULL);
  act_to (session, server.url, super, number, "{\"action\":\"reopen\",\"note\":\"Still cold\"}",
          SOUP_STATUS_OK, "reopened");
  act_to (session, server.url, exec, number, "{\"action\":\"accept\"}", SOUP_STATUS_OK,
          "accepted");
  act_to (session, server.url, exec, number, "{\"action\":\"resolve\"}", SOUP_STATUS_OK,
          "resolved");
  act_to (session, server.url, super, number, "{\"action\":\"close\"}", SOUP_STATUS_OK,
          "closed");
  act_to (session, server.url, super, number, "{\"action\":\"close\"}", SOUP_STATUS_CONFLICT,
          NULL);

  page = cd_test_call (session, server.url, "GET", "/api/v1/events?limit=100", oper, NULL, NULL,
                       SOUP_STATUS_OK);
  /* Registration's two events, then ten actions. */
  g_assert_cmpint (json_object_get_int_member (page, "head"), ==, 12);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "events")), ==,
                    12);

  /* The statistics and the reference data read the same on both. */
  stats = cd_test_call (session, server.url, "GET", "/api/v1/stats", super, NULL, NULL,
                        SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (stats, "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "by_state"),
                                               "closed"),
                   ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (stats, "reopen_rate"), ==, 1.0);
  reference = cd_test_call (session, server.url, "GET", "/api/v1/reference", super, NULL, NULL,
                            SOUP_STATUS_OK);
  executors = json_object_get_array_member (reference, "executors");
  g_assert_nonnull (executors);
  for (guint i = 0; i < json_array_get_length (executors); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (executors, i),
                                                    "code"),
                     "org-a"))
      found_executor = TRUE;
  g_assert_true (found_executor);
  cd_test_server_stop (&server);
  /* Two resolves and a close, each a message to the resident's phone. */
  g_assert_cmpuint (count_notifications (location), ==, 3);
  g_assert_cmpint (cd_test_verify (location), ==, 0);
  cd_test_server_clear (&server);
  drop_database (backend, location);
}

/* The number of missed calls the API lists as waiting. */
static guint
n_waiting (SoupSession *session,
           const char  *url,
           const char  *token)
{
  g_autoptr(JsonObject) list = cd_test_call (session, url, "GET", "/api/v1/calls/missed", token,
                                             NULL, NULL, SOUP_STATUS_OK);

  return json_array_get_length (json_object_get_array_member (list, "missed_calls"));
}

/* A queue_log imported by citydeskctl, then the calls' statistics, the
 * missed calls and a callback (once, however often it is sent) through
 * the API, the same on both backends. */
static void
test_calls (gconstpointer data)
{
  const Backend *backend = data;
  g_autofree char *location = new_database (backend, "calls");
  g_autofree char *log = g_test_build_filename (G_TEST_DIST, "data", "queue-log", "missed.log",
                                                NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *oper = NULL;
  g_autofree char *super = NULL;
  g_autofree char *path = NULL;
  g_autofree char *call = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(JsonObject) missed = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) page = NULL;
  CdTestServer server = { 0 };

  if (location == NULL)
    return;
  g_assert_cmpint (cd_test_ctl (&out, &err, "import", "queue-log", "--db", location, log, NULL),
                   ==, 0);
  cd_test_server_start (&server, location);
  oper = cd_test_login (session, server.url, "oper", PASSWORD);
  super = cd_test_login (session, server.url, "super", PASSWORD);

  stats = cd_test_call (session, server.url, "GET",
                        "/api/v1/calls/stats?from=2026-01-01T06:00:00Z&to=2026-01-01T08:00:00Z"
                        "&interval=30m", super, NULL, NULL, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "total"),
                                               "offered"),
                   ==, 7);

  missed = cd_test_call (session, server.url, "GET", "/api/v1/calls/missed", oper, NULL, NULL,
                         SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (missed,
                                                                         "missed_calls")),
                    ==, 3);
  call = g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (missed, "missed_calls"), 0),
      "call"));
  path = g_strdup_printf ("/api/v1/calls/%s/callbacks", call);
  answer = cd_test_call (session, server.url, "POST", path, oper, "cb-1",
                         "{\"outcome\":\"reached\"}", SOUP_STATUS_CREATED);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer,
                                                                                 "missed_call"),
                                                  "state"),
                   ==, "called_back");
  again = cd_test_call (session, server.url, "POST", path, oper, "cb-1",
                        "{\"outcome\":\"reached\"}", SOUP_STATUS_CREATED);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (again, "events")), ==,
                   1);
  g_assert_cmpint (json_object_get_int_member (
                       json_array_get_object_element (json_object_get_array_member (again,
                                                                                    "events"),
                                                      0),
                       "seq"),
                   ==, 8);
  g_assert_cmpuint (n_waiting (session, server.url, oper), ==, 2);
  /* Seven calls and one callback: the retry journaled nothing. */
  page = cd_test_call (session, server.url, "GET", "/api/v1/events?limit=100", super, NULL, NULL,
                       SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (page, "head"), ==, 8);
  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (location), ==, 0);
  cd_test_server_clear (&server);
  drop_database (backend, location);
}

/* GET @path as @token with @range: the body, the status in @status. */
static GBytes *
get_range (SoupSession *session,
           const char  *url,
           const char  *path,
           const char  *token,
           const char  *range,
           guint       *status)
{
  g_autofree char *full = g_strconcat (url, path + 1, NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", full);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return body;
}

/* A call with a recording in the server's folder: the server's scanner
 * (a connection of its own, with the URI) links it; the period's list
 * names it; its audio is served whole and by ranges, byte for byte; the
 * playback is journaled once. */
static void
test_recordings (gconstpointer data)
{
  const Backend *backend = data;
  g_autofree char *location = new_database (backend, "recordings");
  g_autofree char *folder = g_build_filename (g_get_tmp_dir (), "recordings", backend->name,
                                              NULL);
  g_autofree char *dated = g_build_filename (folder, "2026", "01", "01", NULL);
  g_autofree char *file = g_build_filename (dated, "1767225600.5.wav", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CdCall) call = cd_call_new ("1767225600.5", "city", 1767225600);
  g_autoptr(GBytes) wav = cd_demo_recording_synthesize ("1767225600.5", 20, NULL);
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) part = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *super = NULL;
  g_autofree char *entity = NULL;
  g_autofree char *audio = NULL;
  g_autofree char *facts_path = NULL;
  g_autoptr(JsonObject) facts = NULL;
  const char *extra[] = { "--recordings", folder, NULL };
  const guint8 *bytes;
  gsize size = 0;
  CdTestServer server = { 0 };
  gint64 deadline;
  gboolean added = FALSE;
  guint status = 0, listens = 0;

  if (location == NULL)
    return;
  store = cd_store_open (location, &error);
  g_assert_no_error (error);
  call->answered_at = call->entered_at + 5;
  call->ended_at = call->entered_at + 30;
  call->outcome = CD_CALL_ANSWERED;
  call->talk_seconds = 25;
  call->agent = g_strdup ("anna");
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  entity = cd_call_dup_entity (call);
  g_assert_cmpint (g_mkdir_with_parents (dated, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, g_bytes_get_data (wav, NULL),
                                      g_bytes_get_size (wav), &error));
  bytes = g_bytes_get_data (wav, &size);

  cd_test_server_start_full (&server, location, extra, FALSE);
  super = cd_test_login (session, server.url, "super", PASSWORD);

  /* The scan runs while the server answers: listed once linked. */
  deadline = g_get_monotonic_time () + CD_TEST_WAIT_SECONDS * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(JsonObject) answer = cd_test_call (
          session, server.url, "GET",
          "/api/v1/recordings?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", super, NULL,
          NULL, SOUP_STATUS_OK);
      JsonArray *found = json_object_get_array_member (answer, "recordings");

      if (json_array_get_length (found) == 1)
        {
          JsonObject *entry = json_array_get_object_element (found, 0);

          g_assert_cmpstr (json_object_get_string_member (entry, "call"), ==, entity);
          g_assert_cmpint (json_object_get_int_member (entry, "duration_ms"), >, 0);
          break;
        }
      g_assert_cmpuint (json_array_get_length (found), ==, 0);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }

  facts_path = g_strdup_printf ("/api/v1/recordings/%s", entity);
  facts = cd_test_call (session, server.url, "GET", facts_path, super, NULL, NULL,
                        SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (facts, "path"), ==,
                   "2026/01/01/1767225600.5.wav");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (facts, "tickets")), ==,
                    0);
  audio = g_strdup_printf ("/api/v1/recordings/%s/audio", entity);
  whole = get_range (session, server.url, audio, super, NULL, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_true (g_bytes_equal (whole, wav));
  part = get_range (session, server.url, audio, super, "bytes=100-1099", &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_PARTIAL_CONTENT);
  g_assert_cmpuint (g_bytes_get_size (part), ==, 1000);
  g_assert_cmpmem (g_bytes_get_data (part, NULL), 1000, bytes + 100, 1000);
  tail = get_range (session, server.url, audio, super, "bytes=-16", &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_PARTIAL_CONTENT);
  g_assert_cmpmem (g_bytes_get_data (tail, NULL), g_bytes_get_size (tail), bytes + size - 16, 16);
  cd_test_server_stop (&server);

  /* One playback from its first byte: one listen, by the supervisor. */
  store = cd_store_open (location, &error);
  g_assert_no_error (error);
  events = cd_store_list_events (store, entity, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((CdEvent *) events->pdata[i])->type, "listen"))
      {
        g_assert_cmpstr (((CdEvent *) events->pdata[i])->actor, ==, "super");
        listens++;
      }
  g_assert_cmpuint (listens, ==, 1);
  g_clear_object (&store);
  g_assert_cmpint (cd_test_verify (location), ==, 0);
  cd_test_server_clear (&server);
  cd_test_remove_tree (folder);
  drop_database (backend, location);
}

static void
wait_for_messages (CdTestStream *stream,
                   guint         n)
{
  while (stream->messages->len < n)
    g_main_context_iteration (NULL, TRUE);
}

/* Every message @stream received is an event, the journal's in order from
 * the first, none missing, none twice. */
static void
assert_events_in_order (CdTestStream *stream)
{
  for (guint i = 0; i < stream->messages->len; i++)
    {
      g_autoptr(JsonObject) message = cd_test_parse_object (stream->messages->pdata[i]);

      g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "event");
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (message,
                                                                                  "event"),
                                                   "seq"),
                       ==, i + 1);
    }
}

/* Two server processes on one new PostgreSQL database, an operator's
 * stream on A, the operator and the executor logged in on B. */
typedef struct
{
  char         *location;
  SoupSession  *session;
  SoupSession  *ws_session;
  CdTestServer  a;
  CdTestServer  b;
  char         *oper_a;
  char         *oper_b;
  char         *exec_b;
  CdTestStream  stream;
} TwoProcesses;

static gboolean
two_processes_start (TwoProcesses *f,
                     const char   *tag)
{
  memset (f, 0, sizeof *f);
  if ((f->location = new_database (&backends[1], tag)) == NULL)
    return FALSE;
  f->session = soup_session_new ();
  f->ws_session = soup_session_new ();
  cd_test_server_start (&f->a, f->location);
  cd_test_server_start (&f->b, f->location);
  f->oper_a = cd_test_login (f->session, f->a.url, "oper", PASSWORD);
  f->oper_b = cd_test_login (f->session, f->b.url, "oper", PASSWORD);
  f->exec_b = cd_test_login (f->session, f->b.url, "exec", PASSWORD);
  cd_test_stream_open (&f->stream, f->ws_session, f->a.url, "?after=0", f->oper_a);
  g_assert_no_error (f->stream.error);
  return TRUE;
}

static void
two_processes_clear (TwoProcesses *f)
{
  cd_test_stream_clear (&f->stream);
  cd_test_server_clear (&f->a);
  cd_test_server_clear (&f->b);
  g_free (f->oper_a);
  g_free (f->oper_b);
  g_free (f->exec_b);
  g_clear_object (&f->session);
  g_clear_object (&f->ws_session);
  drop_database (&backends[1], f->location);
  g_free (f->location);
}

/* Two processes on one database: a client of A sees every event written
 * through B, in order, and soon (B's commit wakes A). */
static void
test_two_processes_stream (void)
{
  TwoProcesses f;
  guint n_written = 0;

  if (!two_processes_start (&f, "stream"))
    return;
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *number = register_ticket (f.session, f.b.url, f.oper_b);

      act_to (f.session, f.b.url, f.exec_b, number, "{\"action\":\"accept\"}", SOUP_STATUS_OK,
              "accepted");
      n_written += 3;
    }
  wait_for_messages (&f.stream, n_written);
  assert_events_in_order (&f.stream);
  two_processes_clear (&f);
}

typedef struct
{
  const char *url;
  const char *token;
  const char *key;
  GMutex     *lock;
  GCond      *cond;
  int        *n_ready;
  guint       status;
  char       *answer;
} Sender;

static gpointer
send_registration (gpointer data)
{
  Sender *sender = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  g_mutex_lock (sender->lock);
  (*sender->n_ready)++;
  g_cond_broadcast (sender->cond);
  while (*sender->n_ready < 2)
    g_cond_wait (sender->cond, sender->lock);
  g_mutex_unlock (sender->lock);
  sender->answer = cd_test_request (session, sender->url, "POST", "/api/v1/tickets",
                                    sender->token, sender->key, registration, (gsize) -1,
                                    &sender->status);
  return NULL;
}


/* Ends every connection to @location's database but the caller's, as a
 * PostgreSQL restart or a failover does. */
static void
terminate_connections (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);

  g_assert_no_error (error);
  g_assert_true (cd_db_exec (db,
                             "SELECT pg_terminate_backend (pid) FROM pg_stat_activity "
                             "WHERE datname = current_database () AND pid <> pg_backend_pid ()",
                             &error));
  g_assert_no_error (error);
}

/* The database's connections lost (a restart, a failover): the servers
 * connect again by themselves. A read and a write at once after it
 * answer as before; the stream of process A goes on with what B writes;
 * logins work; the journal stays whole. */
static void
test_reconnect (void)
{
  TwoProcesses f;
  g_autofree char *number = NULL;
  g_autofree char *second = NULL;
  g_autofree char *again = NULL;

  if (!two_processes_start (&f, "reconnect"))
    return;
  number = register_ticket (f.session, f.b.url, f.oper_b);
  wait_for_messages (&f.stream, 2);

  for (int round = 0; round < 2; round++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", number);
      g_autoptr(JsonObject) ticket = NULL;

      terminate_connections (f.location);
      /* The first request after the loss is answered, not failed. */
      ticket = cd_test_call (f.session, f.a.url, "GET", path, f.oper_a, NULL, NULL,
                             SOUP_STATUS_OK);
      if (round == 0)
        act_to (f.session, f.b.url, f.exec_b, number, "{\"action\":\"accept\"}",
                SOUP_STATUS_OK, "accepted");
      else
        act_to (f.session, f.b.url, f.exec_b, number, "{\"action\":\"start\"}",
                SOUP_STATUS_OK, "in_progress");
      wait_for_messages (&f.stream, 3 + (guint) round);
    }
  /* A login after the loss: a new session on the new connection. */
  terminate_connections (f.location);
  again = cd_test_login (f.session, f.a.url, "oper", PASSWORD);
  g_assert_nonnull (again);
  terminate_connections (f.location);
  second = register_ticket (f.session, f.a.url, again);
  g_assert_nonnull (second);
  wait_for_messages (&f.stream, 6);
  assert_events_in_order (&f.stream);
  cd_test_server_stop (&f.a);
  cd_test_server_stop (&f.b);
  g_assert_cmpint (cd_test_verify (f.location), ==, 0);
  two_processes_clear (&f);
}

static void
pair_ctl (const char  *verb,
          const char  *name,
          char       **out)
{
  const char *argv[] = { g_getenv ("CITYDESK_TEST_PG_PAIR_CTL"), verb, name, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, NULL,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

/* The failover docs/deploy.md describes: the server is given both hosts
 * with target_session_attrs=read-write; the primary dies, the standby is
 * promoted, and the server goes on on it by itself, its stream too, the
 * journal whole there (a primary and standby of the test's own, from
 * build-aux/with-postgresql). */
static void
test_failover (void)
{
  g_autofree char *name = g_strdup_printf ("failover-%d", (int) getpid ());
  g_autofree char *dirs = NULL;
  g_auto(GStrv) hosts = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *standby = NULL;
  g_autofree char *lsn = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *oper = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;
  g_autofree char *again = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupSession) ws_session = soup_session_new ();
  g_autoptr(JsonObject) ticket = NULL;
  CdTestServer server = { 0 };
  CdTestStream stream = { 0 };
  gint64 deadline;

  if (g_getenv ("CITYDESK_TEST_PG_PAIR_CTL") == NULL)
    {
      g_test_skip ("CITYDESK_TEST_PG_PAIR_CTL is not set (build-aux/with-postgresql sets it)");
      return;
    }
  pair_ctl ("create", name, &dirs);
  hosts = g_strsplit (g_strstrip (dirs), " ", 2);
  g_assert_cmpuint (g_strv_length (hosts), ==, 2);
  uri = g_strdup_printf ("postgresql:///citydesk?host=%s,%s&user=citydesk"
                         "&target_session_attrs=read-write", hosts[0], hosts[1]);
  standby = g_strdup_printf ("postgresql:///citydesk?host=%s&user=citydesk", hosts[1]);
  cd_test_add_user (uri, "oper", "operator", NULL, PASSWORD);
  cd_test_add_user (uri, "exec", "executor", "org-a", PASSWORD);

  cd_test_server_start (&server, uri);
  oper = cd_test_login (session, server.url, "oper", PASSWORD);
  exec = cd_test_login (session, server.url, "exec", PASSWORD);
  cd_test_stream_open (&stream, ws_session, server.url, "?after=0", oper);
  g_assert_no_error (stream.error);
  number = register_ticket (session, server.url, oper);
  act_to (session, server.url, exec, number, "{\"action\":\"accept\"}", SOUP_STATUS_OK,
          "accepted");
  wait_for_messages (&stream, 3);

  /* Replication is asynchronous: what the primary committed and the
   * standby had not replayed is lost with it (docs/deploy.md). Here the
   * standby has it all before the primary dies. */
  lsn = cd_test_db_value (uri, "SELECT pg_current_wal_lsn ()::text");
  sql = g_strdup_printf ("SELECT (pg_last_wal_replay_lsn () >= '%s'::pg_lsn)::text", lsn);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *replayed = cd_test_db_value (standby, sql);

      if (g_str_equal (replayed, "true"))
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
  pair_ctl ("stop-primary", name, NULL);
  /* Until the standby is promoted no database takes the server's
   * statements: 503 `unavailable`, to be sent again, nothing written. */
  {
    g_autofree char *ticket_path = g_strdup_printf ("/api/v1/tickets/%s", number);
    g_autofree char *text = NULL;
    g_autoptr(JsonObject) answer = NULL;
    guint status = 0;

    text = cd_test_request (session, server.url, "GET", ticket_path, oper, NULL, NULL, 0,
                            &status);
    g_assert_cmpuint (status, ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
    answer = cd_test_parse_object (text);
    cd_test_assert_error (answer, "unavailable", NULL);
  }
  pair_ctl ("promote", name, NULL);

  /* The next requests are answered by the promoted standby: a read, a
   * write, a login; the stream goes on, in order. */
  path = g_strdup_printf ("/api/v1/tickets/%s", number);
  ticket = cd_test_call (session, server.url, "GET", path, oper, NULL, NULL, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (ticket, "state"), ==, "accepted");
  act_to (session, server.url, exec, number, "{\"action\":\"start\"}", SOUP_STATUS_OK,
          "in_progress");
  again = cd_test_login (session, server.url, "oper", PASSWORD);
  g_assert_nonnull (again);
  g_free (register_ticket (session, server.url, again));
  wait_for_messages (&stream, 5);
  assert_events_in_order (&stream);
  {
    g_autofree char *recovering = cd_test_db_value (standby, "SELECT pg_is_in_recovery ()::text");

    g_assert_cmpstr (recovering, ==, "false");
  }

  cd_test_stream_clear (&stream);
  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (uri), ==, 0);
  cd_test_server_clear (&server);
  pair_ctl ("destroy", name, NULL);
}

/* One Idempotency-Key sent to two processes at once, many times over: each
 * time one registration, and both processes give its answer. */
static void
test_two_processes_idempotency (void)
{
  const Backend *backend = &backends[1];
  g_autofree char *location = new_database (backend, "idem");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *token = NULL;
  CdTestServer a = { 0 }, b = { 0 };
  GMutex lock;
  GCond cond;
  const int rounds = 10;
  g_autofree char *previous = NULL;
  gint64 last_seq = 0;

  if (location == NULL)
    return;
  g_mutex_init (&lock);
  g_cond_init (&cond);
  cd_test_server_start (&a, location);
  cd_test_server_start (&b, location);
  token = cd_test_login (session, a.url, "oper", PASSWORD);
  for (int round = 0; round < rounds; round++)
    {
      g_autofree char *key = g_uuid_string_random ();
      int n_ready = 0;
      Sender senders[2] = {
        { a.url, token, key, &lock, &cond, &n_ready, 0, NULL },
        { b.url, token, key, &lock, &cond, &n_ready, 0, NULL },
      };
      GThread *threads[2];
      g_autoptr(JsonObject) first = NULL;
      JsonArray *events;

      for (guint i = 0; i < 2; i++)
        threads[i] = g_thread_new ("sender", send_registration, &senders[i]);
      for (guint i = 0; i < 2; i++)
        g_thread_join (threads[i]);
      g_assert_cmpuint (senders[0].status, ==, SOUP_STATUS_CREATED);
      g_assert_cmpuint (senders[1].status, ==, SOUP_STATUS_CREATED);
      first = cd_test_parse_object (senders[0].answer);
      /* One answer, given twice: the same ticket, the same events. */
      g_assert_cmpstr (senders[0].answer, ==, senders[1].answer);
      events = json_object_get_array_member (first, "events");
      g_assert_cmpint (json_object_get_int_member (
                           json_array_get_object_element (events, 0), "seq"), ==, last_seq + 1);
      last_seq = json_object_get_int_member (
          json_array_get_object_element (events, json_array_get_length (events) - 1), "seq");
      g_assert_cmpstr (
          json_object_get_string_member (json_object_get_object_member (first, "ticket"),
                                         "number"),
          !=, previous);
      g_free (previous);
      previous = g_strdup (json_object_get_string_member (
          json_object_get_object_member (first, "ticket"), "number"));
      g_free (senders[0].answer);
      g_free (senders[1].answer);
    }
  page = cd_test_call (session, b.url, "GET", "/api/v1/events?limit=1", token, NULL, NULL,
                       SOUP_STATUS_OK);
  /* No event but those of the answers: one registration a key (the same
   * address makes the later ones repeats, with more events). */
  g_assert_cmpint (json_object_get_int_member (page, "head"), ==, last_seq);
  cd_test_server_clear (&a);
  cd_test_server_clear (&b);
  g_assert_cmpint (cd_test_verify (location), ==, 0);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
  drop_database (backend, location);
}

/* A call's row as the PBX's import writes it, for the desk to evaluate. */
static void
add_call (const char *location,
          const char *id,
          const char *agent,
          gint64      entered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);
  g_autoptr(CdDbStmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = cd_db_prepare (db, "INSERT INTO calls (id, seq, pbx_id, queue, entered_at, "
                            "answered_at, ended_at, outcome, hold_seconds, talk_seconds, agent, "
                            "ended_by, rings) VALUES (?1, 1, ?1, 'city', ?2, ?3, ?4, "
                            "'answered', 10, 180, ?5, 'caller', 1)", &error);
  g_assert_no_error (error);
  cd_db_bind_text (stmt, 1, id);
  cd_db_bind_int64 (stmt, 2, entered);
  cd_db_bind_int64 (stmt, 3, entered + 10);
  cd_db_bind_int64 (stmt, 4, entered + 190);
  cd_db_bind_text (stmt, 5, agent);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);
}

/* The quality-control desk's routes: the shipped form listed, a call
 * evaluated and scored, its evaluation listed, a calibration session
 * opened and read blind; an executor kept out. */
static void
test_qa (gconstpointer data)
{
  const Backend *backend = data;
  g_autofree char *location = new_database (backend, "qa");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) forms = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) listed = NULL;
  g_autoptr(JsonObject) opened = NULL;
  g_autoptr(JsonObject) blind = NULL;
  g_autofree char *qc = NULL;
  g_autofree char *exec = NULL;
  JsonObject *evaluation, *calibration;
  JsonArray *array;
  CdTestServer server = { 0 };
  const char *body =
    "{\"call\": \"call-1\", \"form\": \"contact-center\", \"answers\": {"
    "\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4,"
    " \"empathy\": 3, \"clarifying-questions\": true, \"information-correct\": \"partly\","
    " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true,"
    " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true,"
    " \"next-steps\": true, \"anything-else\": false, \"no-hang-up\": true},"
    " \"comments\": [{\"at_ms\": 12000, \"text\": \"Interrupted the caller\"}]}";

  if (location == NULL)
    return;
  cd_test_add_user (location, "qc1", "qc", NULL, PASSWORD);
  add_call (location, "call-1", "PJSIP/101", 1796000000);
  cd_test_server_start (&server, location);
  qc = cd_test_login (session, server.url, "qc1", PASSWORD);
  exec = cd_test_login (session, server.url, "exec", PASSWORD);

  forms = cd_test_call (session, server.url, "GET", "/api/v1/qa/forms", qc, NULL, NULL,
                        SOUP_STATUS_OK);
  array = json_object_get_array_member (forms, "forms");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"),
                   ==, "contact-center");
  created = cd_test_call (session, server.url, "POST", "/api/v1/qa/evaluations", qc, NULL, body,
                          SOUP_STATUS_CREATED);
  evaluation = json_object_get_object_member (created, "evaluation");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (evaluation, "total"), 75.4,
                                  1e-9);
  g_assert_cmpstr (json_object_get_string_member (evaluation, "operator"), ==, "PJSIP/101");
  listed = cd_test_call (session, server.url, "GET", "/api/v1/qa/evaluations", qc, NULL, NULL,
                         SOUP_STATUS_OK);
  array = json_object_get_array_member (listed, "evaluations");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                  "band"),
                   ==, "meets");
  g_clear_pointer (&listed, json_object_unref);
  listed = cd_test_call (session, server.url, "GET", "/api/v1/qa/evaluations", exec, NULL, NULL,
                         SOUP_STATUS_FORBIDDEN);

  opened = cd_test_call (session, server.url, "POST", "/api/v1/qa/calibrations", qc, NULL,
                         "{\"session\": \"w49\", \"call\": \"call-1\"}",
                         SOUP_STATUS_CREATED);
  blind = cd_test_call (session, server.url, "GET", "/api/v1/qa/calibrations/w49", qc, NULL,
                        NULL, SOUP_STATUS_OK);
  calibration = json_object_get_object_member (blind, "calibration");
  g_assert_false (json_object_get_boolean_member (calibration, "closed"));
  g_assert_cmpstr (json_object_get_string_member (calibration, "owner"), ==, "qc1");
  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (location), ==, 0);
  cd_test_server_clear (&server);
  drop_database (backend, location);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    {
      g_autofree char *flow = g_strdup_printf ("/server-pg/%s/flow", backends[i].name);
      g_autofree char *calls = g_strdup_printf ("/server-pg/%s/calls", backends[i].name);
      g_autofree char *qa = g_strdup_printf ("/server-pg/%s/qa", backends[i].name);
      g_autofree char *recordings = g_strdup_printf ("/server-pg/%s/recordings",
                                                     backends[i].name);

      g_test_add_data_func (flow, &backends[i], test_flow);
      g_test_add_data_func (calls, &backends[i], test_calls);
      g_test_add_data_func (qa, &backends[i], test_qa);
      g_test_add_data_func (recordings, &backends[i], test_recordings);
    }
  g_test_add_func ("/server-pg/postgresql/two-processes-stream", test_two_processes_stream);
  g_test_add_func ("/server-pg/postgresql/reconnect", test_reconnect);
  g_test_add_func ("/server-pg/postgresql/failover", test_failover);
  g_test_add_func ("/server-pg/postgresql/two-processes-idempotency",
                   test_two_processes_idempotency);
  return g_test_run ();
}
