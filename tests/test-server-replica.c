// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydesk-server --read-db on a real streaming replica (the hot standby
// build-aux/with-postgresql runs beside its primary): the feed and the
// thin reads through it equal the primary's; with its replay paused, a
// client that has seen more than it replayed still gets what it has seen
// (from the primary), and one that says nothing may get the older head;
// stopped, every read still answers; a bad X-Citydesk-Min-Seq is 400; a
// replica of another schema is refused at start. Skipped without
// CITYDESK_TEST_PG_REPLICA.

#include "config.h"

#include "cd-client.h"
#include "cd-journal-db.h"
#include "cd-store.h"
#include "cd-test.h"
#include "cd-test-pg.h"
#include "cd-test-server.h"

#define PASSWORD "s3cret-password"

static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"flat\":\"12\",\"name\":\"Ivan Petrov\","
  "\"phone\":\"+375 29 123-45-67\",\"description\":\"No heating\",\"executor\":\"org-a\"}";

typedef struct
{
  char *primary;
  char *replica;
} Databases;

static void
databases_clear (Databases *dbs)
{
  if (dbs->primary != NULL)
    cd_test_pg_drop_database (dbs->primary);
  g_clear_pointer (&dbs->primary, g_free);
  g_clear_pointer (&dbs->replica, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Databases, databases_clear)

/* The replica's URI of the primary's database @uri. */
static char *
replica_of (const char *uri)
{
  const char *path = strchr (strstr (uri, "://") + 3, '/') + 1;
  g_autofree char *name = g_strndup (path, strcspn (path, "?"));

  return cd_test_pg_uri_for (g_getenv ("CITYDESK_TEST_PG_REPLICA"), name);
}

static gboolean
have_replica (void)
{
  const char *replica = g_getenv ("CITYDESK_TEST_PG_REPLICA");

  if (replica == NULL || *replica == '\0' || g_getenv ("CITYDESK_TEST_PG_REPLICA_CTL") == NULL)
    {
      g_test_skip ("CITYDESK_TEST_PG_REPLICA is not set: no streaming replica to test on "
                   "(build-aux/with-postgresql starts one)");
      return FALSE;
    }
  return TRUE;
}

static gint64
head_of (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (location, &error);
  gint64 head;

  g_assert_no_error (error);
  head = cd_store_get_last_seq (store, &error);
  g_assert_no_error (error);
  return head;
}

/* Waits until the replica has replayed the primary's head, the database
 * itself first (a new database appears there once replayed). */
static void
wait_for_replica (Databases *dbs)
{
  gint64 want = head_of (dbs->primary);

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdStore) store = cd_store_open_replica (dbs->replica, &error);

      if (store != NULL && cd_store_get_last_seq (store, NULL) >= want)
        return;
      g_usleep (20 * 1000);
    }
  g_error ("The replica did not replay seq %" G_GINT64_FORMAT " in 20 s", want);
}

/* A database of its own with its accounts, replayed on the replica. */
static gboolean
new_databases (Databases  *dbs,
               const char *tag)
{
  if (!have_replica () || (dbs->primary = cd_test_pg_new_database (tag)) == NULL)
    return FALSE;
  dbs->replica = replica_of (dbs->primary);
  cd_test_add_user (dbs->primary, "oper", "operator", NULL, PASSWORD);
  cd_test_add_user (dbs->primary, "exec", "executor", "org-a", PASSWORD);
  cd_test_add_user (dbs->primary, "other", "executor", "org-b", PASSWORD);
  wait_for_replica (dbs);
  return TRUE;
}

static void
on_standby (const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (g_getenv ("CITYDESK_TEST_PG_REPLICA"), &error);

  g_assert_no_error (error);
  cd_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static void
standby_ctl (const char *verb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                                  g_getenv ("CITYDESK_TEST_PG_REPLICA_CTL"), verb,
                                                  NULL);

  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint  status;
  char  *body;
  gint64 head;
  char  *read;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_free);
  g_clear_pointer (&answer->read, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

/* A GET with X-Citydesk-Min-Seq @min_seq (NULL: none), its answer and the
 * head and database it says it read. */
static void
get (SoupSession *session,
     const char  *url,
     const char  *path,
     const char  *token,
     const char  *min_seq,
     Answer      *answer)
{
  g_autofree char *full = g_strconcat (url, path + 1, NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", full);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *head;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  if (min_seq != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "X-Citydesk-Min-Seq",
                                 min_seq);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  answer->status = soup_message_get_status (msg);
  answer->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  head = soup_message_headers_get_one (headers, "X-Citydesk-Head");
  answer->head = head != NULL ? g_ascii_strtoll (head, NULL, 10) : -1;
  answer->read = g_strdup (soup_message_headers_get_one (headers, "X-Citydesk-Read"));
}

/* Registers a ticket; its number, and the last seq of its answer. */
static char *
register_ticket (SoupSession *session,
                 const char  *url,
                 const char  *token,
                 gint64      *last_seq)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonObject) answer = cd_test_call (session, url, "POST", "/api/v1/tickets", token,
                                                key, registration, SOUP_STATUS_CREATED);
  JsonArray *events = json_object_get_array_member (answer, "events");
  guint n = json_array_get_length (events);

  g_assert_cmpuint (n, >, 0);
  if (last_seq != NULL)
    *last_seq = json_object_get_int_member (json_array_get_object_element (events, n - 1), "seq");
  return g_strdup (
      json_object_get_string_member (json_object_get_object_member (answer, "ticket"), "number"));
}

static void
act (SoupSession *session,
     const char  *url,
     const char  *token,
     const char  *number,
     const char  *body)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  g_autoptr(JsonObject) answer = cd_test_call (session, url, "POST", path, token, key, body,
                                                SOUP_STATUS_OK);
}

static void
start_with_replica (CdTestServer *server,
                    Databases    *dbs)
{
  const char * const extra[] = { "--read-db", dbs->replica, NULL };

  cd_test_server_start_full (server, dbs->primary, extra, FALSE);
}

/* The same page, list and ticket from the replica as from the primary,
 * for a reader of everything and for an executor's filtered feed. */
static void
test_same_answers (void)
{
  g_auto(Databases) dbs = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *oper = NULL;
  g_autofree char *exec_r = NULL;
  g_autofree char *exec_p = NULL;
  g_autofree char *oper_p = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  CdTestServer replica = { 0 };
  CdTestServer primary = { 0 };
  gint64 head;
  const char *paths[] = {
    "/api/v1/events", "/api/v1/events?after=3&limit=4", "/api/v1/events?limit=1",
    "/api/v1/tickets", "/api/v1/tickets?state=accepted", NULL, NULL,
  };

  if (!new_databases (&dbs, "rsame"))
    return;
  start_with_replica (&replica, &dbs);
  cd_test_server_start (&primary, dbs.primary);
  oper = cd_test_login (session, replica.url, "oper", PASSWORD);
  exec_r = cd_test_login (session, replica.url, "exec", PASSWORD);
  /* Another session on the other process: the same account. */
  oper_p = cd_test_login (session, primary.url, "oper", PASSWORD);
  exec_p = cd_test_login (session, primary.url, "exec", PASSWORD);

  for (guint i = 0; i < 6; i++)
    {
      char *number = register_ticket (session, replica.url, oper, NULL);

      g_ptr_array_add (numbers, number);
      if (i % 2 == 0)
        act (session, replica.url, exec_r, number, "{\"action\":\"accept\"}");
    }
  /* org-b's tickets leave holes in org-a's feed. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions",
                                               (char *) numbers->pdata[2 * i + 1]);
      g_autoptr(JsonObject) answer = cd_test_call (
          session, replica.url, "POST", path, oper, key,
          "{\"action\":\"assign\",\"executor\":\"org-b\",\"note\":\"Theirs\"}", SOUP_STATUS_OK);
    }
  wait_for_replica (&dbs);
  head = head_of (dbs.primary);
  paths[5] = g_strdup_printf ("/api/v1/tickets/%s", (char *) numbers->pdata[0]);

  for (guint i = 0; paths[i] != NULL; i++)
    for (guint who = 0; who < 2; who++)
      {
        g_auto(Answer) a = { 0 };
        g_auto(Answer) b = { 0 };

        get (session, replica.url, paths[i], who == 0 ? oper : exec_r, NULL, &a);
        get (session, primary.url, paths[i], who == 0 ? oper_p : exec_p, NULL, &b);
        g_test_message ("%s as %s: %u %u", paths[i], who == 0 ? "oper" : "exec", a.status,
                        b.status);
        g_assert_cmpuint (a.status, ==, SOUP_STATUS_OK);
        g_assert_cmpuint (b.status, ==, SOUP_STATUS_OK);
        g_assert_cmpstr (a.read, ==, "replica");
        g_assert_cmpstr (b.read, ==, "primary");
        g_assert_cmpint (a.head, ==, head);
        g_assert_cmpint (b.head, ==, head);
        g_assert_cmpstr (a.body, ==, b.body);
      }
  g_free ((char *) paths[5]);

  /* The executor's feed is filtered there too. */
  {
    g_auto(Answer) a = { 0 };
    g_autoptr(JsonObject) page = NULL;

    get (session, replica.url, "/api/v1/events", exec_r, NULL, &a);
    page = cd_test_parse_object (a.body);
    g_assert_true (json_object_get_boolean_member (page, "filtered"));
  }

  cd_test_server_stop (&replica);
  cd_test_server_stop (&primary);
  g_assert_cmpint (cd_test_verify (dbs.primary), ==, 0);
  cd_test_server_clear (&replica);
  cd_test_server_clear (&primary);
}

/* The standby's replay paused: writes go on on the primary; a client that
 * has seen them gets them, one that says nothing may get the replica's
 * older head; replay resumed, the replica serves again. */
static void
test_paused_replay (void)
{
  g_auto(Databases) dbs = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *oper = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *ticket_path = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *feed_after = NULL;
  CdTestServer server = { 0 };
  gint64 replayed, written;

  if (!new_databases (&dbs, "rpause"))
    return;
  start_with_replica (&server, &dbs);
  oper = cd_test_login (session, server.url, "oper", PASSWORD);
  first = register_ticket (session, server.url, oper, &replayed);
  wait_for_replica (&dbs);

  on_standby ("SELECT pg_wal_replay_pause ()");
  second = register_ticket (session, server.url, oper, &written);
  g_assert_cmpint (written, >, replayed);
  ticket_path = g_strdup_printf ("/api/v1/tickets/%s", second);
  seen = g_strdup_printf ("%" G_GINT64_FORMAT, written);

  /* What the client has seen: the primary answers, never an older head. */
  {
    g_auto(Answer) a = { 0 };
    g_auto(Answer) list = { 0 };
    g_autoptr(JsonObject) tickets = NULL;

    get (session, server.url, ticket_path, oper, seen, &a);
    g_assert_cmpuint (a.status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (a.head, >=, written);
    g_assert_cmpstr (a.read, ==, "primary");

    get (session, server.url, "/api/v1/tickets", oper, seen, &list);
    g_assert_cmpuint (list.status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (list.head, >=, written);
    tickets = cd_test_parse_object (list.body);
    g_assert_cmpint (json_object_get_int_member (tickets, "total"), ==, 2);
  }
  /* The feed's cursor past the replica: the primary's page. */
  feed_after = g_strdup_printf ("/api/v1/events?after=%" G_GINT64_FORMAT, replayed + 1);
  {
    g_auto(Answer) a = { 0 };
    g_autoptr(JsonObject) page = NULL;

    get (session, server.url, feed_after, oper, NULL, &a);
    g_assert_cmpuint (a.status, ==, SOUP_STATUS_OK);
    g_assert_cmpint (a.head, >=, written);
    g_assert_cmpstr (a.read, ==, "primary");
    page = cd_test_parse_object (a.body);
    g_assert_cmpint (json_object_get_int_member (page, "last"), ==, written);
  }
  /* Saying nothing: the replica, behind. */
  {
    g_auto(Answer) a = { 0 };
    g_auto(Answer) feed = { 0 };

    get (session, server.url, ticket_path, oper, NULL, &a);
    g_assert_cmpstr (a.read, ==, "replica");
    g_assert_cmpint (a.head, ==, replayed);
    g_assert_cmpuint (a.status, ==, SOUP_STATUS_NOT_FOUND);

    get (session, server.url, "/api/v1/events", oper, NULL, &feed);
    g_assert_cmpstr (feed.read, ==, "replica");
    g_assert_cmpint (feed.head, ==, replayed);
  }
  /* CdClient sends what it has seen by itself: its write's events. */
  {
    g_autoptr(CdClient) client = cd_client_new (server.url, NULL);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(JsonObject) written_answer = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *key = g_uuid_string_random ();
    g_autofree char *path = NULL;
    gint64 client_written;

    cd_client_set_token (client, oper);
    cd_client_post_async (client, "/api/v1/tickets", key, registration, NULL, cd_test_store_result,
                          &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    written_answer = cd_client_post_finish (client, result, &error);
    g_assert_no_error (error);
    g_clear_object (&result);
    client_written = cd_client_get_seen_seq (client);
    g_assert_cmpint (client_written, >, written);

    path = g_strdup_printf (
        "/api/v1/tickets/%s",
        json_object_get_string_member (json_object_get_object_member (written_answer, "ticket"),
                                       "number"));
    cd_client_get_async (client, path, NULL, cd_test_store_result, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    node = cd_client_get_finish (client, result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cd_client_get_seen_seq (client), >=, client_written);
    written = client_written;
  }

  on_standby ("SELECT pg_wal_replay_resume ()");
  wait_for_replica (&dbs);
  {
    g_auto(Answer) a = { 0 };

    get (session, server.url, ticket_path, oper, seen, &a);
    g_assert_cmpuint (a.status, ==, SOUP_STATUS_OK);
    g_assert_cmpstr (a.read, ==, "replica");
    g_assert_cmpint (a.head, >=, written);
  }

  cd_test_server_stop (&server);
  cd_test_server_clear (&server);
}

/* The standby stopped: every read answers from the primary, writes go on;
 * started again, the replica serves again. */
static void
test_replica_down (void)
{
  g_auto(Databases) dbs = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *oper = NULL;
  g_autofree char *number = NULL;
  g_autofree char *ticket_path = NULL;
  CdTestServer server = { 0 };
  const char *paths[] = { "/api/v1/events", "/api/v1/tickets", NULL, NULL };
  gboolean back = FALSE;

  if (!new_databases (&dbs, "rdown"))
    return;
  start_with_replica (&server, &dbs);
  oper = cd_test_login (session, server.url, "oper", PASSWORD);
  number = register_ticket (session, server.url, oper, NULL);
  /* The replica holds the ticket before it stops, so that its read there
   * after the restart is 200 whenever it has caught up. */
  wait_for_replica (&dbs);
  ticket_path = g_strdup_printf ("/api/v1/tickets/%s", number);
  paths[2] = ticket_path;

  standby_ctl ("stop");
  g_free (register_ticket (session, server.url, oper, NULL));
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; paths[i] != NULL; i++)
      {
        g_auto(Answer) a = { 0 };

        get (session, server.url, paths[i], oper, NULL, &a);
        g_assert_cmpuint (a.status, ==, SOUP_STATUS_OK);
        g_assert_cmpstr (a.read, ==, "primary");
        g_assert_cmpint (a.head, ==, head_of (dbs.primary));
      }

  standby_ctl ("start");
  wait_for_replica (&dbs);
  /* It is tried again a few seconds after it failed. */
  for (guint i = 0; i < 500 && !back; i++)
    {
      g_auto(Answer) a = { 0 };

      get (session, server.url, ticket_path, oper, NULL, &a);
      g_assert_cmpuint (a.status, ==, SOUP_STATUS_OK);
      back = g_strcmp0 (a.read, "replica") == 0;
      if (!back)
        g_usleep (20 * 1000);
    }
  g_assert_true (back);

  cd_test_server_stop (&server);
  cd_test_server_clear (&server);
}

/* One strict reader of X-Citydesk-Min-Seq, on every route that reads it. */
static void
test_bad_min_seq (void)
{
  g_auto(Databases) dbs = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *oper = NULL;
  g_autofree char *number = NULL;
  g_autofree char *ticket_path = NULL;
  CdTestServer server = { 0 };
  const char *bad[] = {
    "abc", "-1", "+1", "01", "1.0", "1e3", "0x10", "9223372036854775808",
    "99999999999999999999", "1, 2", "١", NULL,
  };
  const char *paths[] = { "/api/v1/events", "/api/v1/tickets", NULL, NULL };

  if (!new_databases (&dbs, "rbad"))
    return;
  start_with_replica (&server, &dbs);
  oper = cd_test_login (session, server.url, "oper", PASSWORD);
  number = register_ticket (session, server.url, oper, NULL);
  /* "0" asks nothing of the replica: it must hold the ticket already for
   * the ticket's read to be 200 there. */
  wait_for_replica (&dbs);
  ticket_path = g_strdup_printf ("/api/v1/tickets/%s", number);
  paths[2] = ticket_path;

  for (guint p = 0; paths[p] != NULL; p++)
    {
      for (guint i = 0; bad[i] != NULL; i++)
        {
          g_auto(Answer) a = { 0 };
          g_autoptr(JsonObject) error = NULL;

          get (session, server.url, paths[p], oper, bad[i], &a);
          g_test_message ("%s with %s: %u", paths[p], bad[i], a.status);
          g_assert_cmpuint (a.status, ==, SOUP_STATUS_BAD_REQUEST);
          error = cd_test_parse_object (a.body);
          cd_test_assert_error (error, "bad_request", "X-Citydesk-Min-Seq");
        }
      {
        g_auto(Answer) zero = { 0 };
        g_auto(Answer) big = { 0 };

        get (session, server.url, paths[p], oper, "0", &zero);
        g_assert_cmpuint (zero.status, ==, SOUP_STATUS_OK);
        /* Past every head: the primary answers after the wait. */
        get (session, server.url, paths[p], oper, "9223372036854775807", &big);
        g_assert_cmpuint (big.status, ==, SOUP_STATUS_OK);
        g_assert_cmpstr (big.read, ==, "primary");
      }
    }
  /* Two headers are two values. */
  {
    g_autofree char *url = g_strconcat (server.url, "api/v1/tickets", NULL);
    g_autofree char *bearer = g_strconcat ("Bearer ", oper, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;
    SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

    soup_message_headers_replace (headers, "Authorization", bearer);
    soup_message_headers_append (headers, "X-Citydesk-Min-Seq", "1");
    soup_message_headers_append (headers, "X-Citydesk-Min-Seq", "1");
    body = soup_session_send_and_read (session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_BAD_REQUEST);
  }

  cd_test_server_stop (&server);
  cd_test_server_clear (&server);
}

/* citydesk-server with --read-db on @dbs, expected to refuse to start
 * with a message that holds @says. */
static void
assert_refused (const char *primary,
                const char *replica,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, cd_test_program ("CITYDESK_SERVER"), "--listen",
                           "127.0.0.1:0", "--db", primary, "--read-db", replica, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), !=, 0);
  g_assert_nonnull (strstr (err, says));
}

/* A replica of an older or a newer schema is refused, never migrated. */
static void
test_schema (void)
{
  g_auto(Databases) dbs = { 0 };
  g_autofree char *empty = NULL;
  g_autofree char *empty_replica = NULL;
  g_autofree char *file = NULL;
  g_autofree char *newer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdDb) owner = NULL;

  if (!new_databases (&dbs, "rschema"))
    return;

  /* An empty database: schema 0, older. */
  empty = cd_test_pg_new_database ("rschema_empty");
  empty_replica = replica_of (empty);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(CdDb) db = cd_db_open (empty_replica, NULL);

      if (db != NULL)
        break;
      g_usleep (20 * 1000);
    }
  store = cd_store_open_replica (empty_replica, &error);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE);
  g_assert_null (store);
  g_clear_error (&error);
  assert_refused (dbs.primary, empty_replica, "schema version 0");
  /* Nothing was created there. */
  {
    g_autoptr(CdDb) db = cd_db_open (empty, &error);
    g_autoptr(CdDbStmt) stmt = NULL;

    g_assert_no_error (error);
    stmt = cd_db_prepare (db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
                          &error);
    g_assert_no_error (error);
    g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
    g_assert_cmpint (cd_db_column_int64 (stmt, 0), ==, 0);
  }
  cd_test_pg_drop_database (empty);

  /* A newer schema, as after an upgrade of the primary by a later
   * Citydesk. */
  owner = cd_db_open (dbs.primary, &error);
  g_assert_no_error (error);
  cd_db_exec (owner, "UPDATE citydesk_schema SET version = version + 1", &error);
  g_assert_no_error (error);
  newer = g_strdup_printf ("schema version %d", cd_journal_db_latest_version () + 1);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(CdStore) replica = cd_store_open_replica (dbs.replica, &error);

      if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE))
        break;
      g_clear_error (&error);
      g_usleep (20 * 1000);
    }
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, newer));
  g_clear_error (&error);

  /* A SQLite primary has no replica. */
  file = cd_test_new_db_path ();
  assert_refused (file, dbs.replica, "--read-db");
  {
    g_autofree char *dir = g_path_get_dirname (file);
    g_autofree char *wal = g_strconcat (file, "-wal", NULL);
    g_autofree char *shm = g_strconcat (file, "-shm", NULL);

    g_remove (file);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-replica/same-answers", test_same_answers);
  g_test_add_func ("/server-replica/paused-replay", test_paused_replay);
  g_test_add_func ("/server-replica/down", test_replica_down);
  g_test_add_func ("/server-replica/bad-min-seq", test_bad_min_seq);
  g_test_add_func ("/server-replica/schema", test_schema);
  return g_test_run ();
}
