// SPDX-License-Identifier: GPL-3.0-or-later
//
// The client against a real citydesk-server on 127.0.0.1: login, the
// cache after a sync equal to the server's own projections, resuming from
// the cursor, stream delivery, the outbox across a server restart, and
// reconnection after the server is killed.

#include "config.h"

#include <glib/gstdio.h>

#include "cd-client.h"
#include "cd-journal.h"
#include "cd-personal.h"
#include "cd-store-calls.h"
#include "cd-store-import.h"
#include "cd-sync.h"
#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"
#include "cd-store-search.h"

typedef struct
{
  CdTestServer server;
  char        *cache_path;
  guint        port;
} Fixture;

/* Helpers {{{1 */

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  cd_test_wait_for (cd_test_result_ready, slot, "an answer");
  return *slot;
}

static gboolean
login (CdClient    *client,
       const char  *user,
       const char  *password,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cd_client_login_async (client, user, password, NULL, cd_test_store_result, &result);
  return cd_client_login_finish (client, wait_result (&result), error);
}

static CdClient *
new_client (Fixture    *fixture,
            const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (fixture->server.url, &error);

  g_assert_no_error (error);
  login (client, user, "demo-password", &error);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static JsonObject *
post (CdClient    *client,
      const char  *ticket,
      const char  *body,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = cd_client_action_path (ticket);

  cd_client_post_async (client, path, key, body, NULL, cd_test_store_result, &result);
  return cd_client_post_finish (client, wait_result (&result), error);
}

static guint
port_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint) g_uri_get_port (uri);
}

/* Restarts the server on the port it had, so that the client finds it at
 * the same address. */
static void
restart_server (Fixture *fixture)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  const char *extra[] = { "--listen", listen, NULL };
  g_autofree char *db = g_strdup (fixture->server.db);

  cd_test_server_start_full (&fixture->server, db, extra, FALSE);
  g_assert_cmpuint (port_of (fixture->server.url), ==, fixture->port);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *days = data != NULL ? data : "2";

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           cd_test_program ("CITYDESK_CTL"), "demo", "generate",
                           "--db", db, "--days", days, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  cd_test_add_user (db, "supervisor", "supervisor", NULL, "demo-password");
  cd_test_add_user (db, "operator", "operator", NULL, "demo-password");
  cd_test_add_user (db, "qc", "qc", NULL, "demo-password");

  fixture->cache_path = g_build_filename (dir, "cache.db", NULL);
  cd_test_server_start (&fixture->server, db);
  fixture->port = port_of (fixture->server.url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_server_clear (&fixture->server);
  g_free (fixture->cache_path);
}

static gboolean
sync_caught_up (gpointer data)
{
  CdSync *sync = data;

  return cd_sync_get_state (sync) == CD_CONNECTION_STATE_ONLINE &&
         cd_sync_get_done (sync) >= cd_sync_get_total (sync);
}

static gint64
server_head (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (fixture->server.db, &error);
  gint64 head;

  g_assert_no_error (error);
  head = cd_store_get_last_seq (store, &error);
  g_assert_no_error (error);
  return head;
}

static gint64 wanted_seq;

static gboolean
sync_reached (gpointer data)
{
  return cd_sync_get_done (CD_SYNC (data)) >= wanted_seq;
}

static void
wait_seq (CdSync *sync,
          gint64  seq)
{
  wanted_seq = seq;
  cd_test_wait_for (sync_reached, sync, "the cache to reach an event");
}

static char *
ticket_text (const CdTicket *ticket)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, cd_ticket_to_json (ticket));
  return json_to_string (node, FALSE);
}

/* Every ticket's projection, and the last event's hash, equal on both. */
static void
assert_same_state (const char *server_db,
                   const char *cache_db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) server = cd_store_open (server_db, &error);
  g_autoptr(CdStore) cache = cd_store_open (cache_db, &error);
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) ea = NULL;
  g_autoptr(GPtrArray) eb = NULL;
  g_autoptr(GHashTable) projections = NULL;
  CdTicketFilter all = { 0 };
  gint64 head;

  g_assert_no_error (error);
  a = cd_store_list_tickets (server, &all, 0, &error);
  g_assert_no_error (error);
  b = cd_store_list_tickets (cache, &all, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, >, 0);
  g_assert_cmpuint (a->len, ==, b->len);
  projections = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < a->len; i++)
    {
      CdTicket *t = g_ptr_array_index (a, i);

      g_hash_table_insert (projections, g_strdup (t->number), ticket_text (t));
    }
  for (guint i = 0; i < b->len; i++)
    {
      CdTicket *t = g_ptr_array_index (b, i);
      g_autofree char *text = ticket_text (t);

      g_assert_cmpstr (text, ==, g_hash_table_lookup (projections, t->number));
    }

  head = cd_store_get_last_seq (server, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_last_seq (cache, &error), ==, head);
  ea = cd_store_list_events (server, NULL, head - 1, 1, &error);
  g_assert_no_error (error);
  eb = cd_store_list_events (cache, NULL, head - 1, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ea->len, ==, 1);
  g_assert_cmpuint (eb->len, ==, 1);
  g_assert_cmpstr (((CdEvent *) ea->pdata[0])->hash, ==, ((CdEvent *) eb->pdata[0])->hash);
}

static char *
some_open_ticket (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db, &error);
  g_autoptr(GPtrArray) tickets = NULL;
  /* Assigned: every test's actions need an active ticket that close refuses
   * (a resolved one would let close through), whichever one the list gives. */
  CdTicketFilter query = { .state = "assigned" };

  g_assert_no_error (error);
  tickets = cd_store_list_tickets (store, &query, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  return g_strdup (((CdTicket *) tickets->pdata[0])->number);
}

/* Tests {{{1 */

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (fixture->server.url, &error);
  g_autoptr(CdClient) nowhere = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  g_assert_false (login (client, "supervisor", "wrong", &error));
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_null (cd_client_get_token (client));
  g_clear_error (&error);

  g_assert_true (login (client, "supervisor", "demo-password", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cd_client_get_role (client), ==, "supervisor");
  g_assert_cmpstr (cd_client_get_user (client), ==, "supervisor");
  g_assert_nonnull (cd_client_get_token (client));

  cd_client_get_async (client, "/api/v1/version", NULL, cd_test_store_result, &result);
  node = cd_client_get_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_object (&result);

  /* After logout the token no longer opens anything. */
  {
    g_autofree char *token = g_strdup (cd_client_get_token (client));
    g_autoptr(JsonNode) refused = NULL;

    cd_client_logout_async (client, NULL, cd_test_store_result, &result);
    g_assert_true (cd_client_logout_finish (client, wait_result (&result), &error));
    g_assert_no_error (error);
    g_clear_object (&result);

    cd_client_set_token (client, token);
    cd_client_get_async (client, "/api/v1/events?after=0&limit=1", NULL, cd_test_store_result,
                         &result);
    refused = cd_client_get_finish (client, wait_result (&result), &error);
    g_assert_null (refused);
    g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
    g_clear_object (&result);
  }

  /* Port 1 on loopback: nothing listens there. */
  nowhere = cd_client_new ("http://127.0.0.1:1", &error);
  g_assert_no_error (error);
  g_assert_false (login (nowhere, "supervisor", "demo-password", &error));
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE);
  g_assert_true (cd_client_error_is_transient (error));
}

/* A server with a self-signed certificate the client does not trust. */
static void
test_tls_untrusted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (fixture->cache_path);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *line = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocess) tls_server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(GError) error = NULL;

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed (build-aux/install-deps test)");
      return;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                           NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);

  tls_server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                 &error, cd_test_program ("CITYDESK_SERVER"), "--listen",
                                 "127.0.0.1:0", "--db", fixture->server.db, "--tls-cert", cert,
                                 "--tls-key", key, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (tls_server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "Listening on https://127.0.0.1:"));

  client = cd_client_new (line + strlen ("Listening on "), &error);
  g_assert_no_error (error);
  g_assert_false (login (client, "supervisor", "demo-password", &error));
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_TLS);
  g_assert_false (cd_client_error_is_transient (error));

  g_subprocess_send_signal (tls_server, SIGTERM);
  g_subprocess_wait (tls_server, NULL, NULL);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(CdClient) supervisor = new_client (fixture, "supervisor");
  g_autoptr(CdClient) operator = new_client (fixture, "operator");
  g_autofree char *number = some_open_ticket (fixture->server.db);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;

  /* extend is a supervisor's: the operator is forbidden. */
  answer = post (
      operator, number,
      "{\"action\":\"extend\",\"target\":\"resolution\",\"seconds\":3600,\"note\":\"x\"}", &error);
  g_assert_null (answer);
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* close needs a resolved ticket: refused with the rule's message. */
  answer = post (supervisor, number, "{\"action\":\"close\"}", &error);
  g_assert_null (answer);
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_REFUSED);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  answer = post (supervisor, number, "{\"action\":\"comment\",\"note\":\"x\",\"colour\":1}",
                 &error);
  g_assert_null (answer);
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (error->message, "colour"));
  g_clear_error (&error);

  answer = post (supervisor, "2099-999999", "{\"action\":\"comment\",\"note\":\"x\"}", &error);
  g_assert_null (answer);
  g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  answer = post (supervisor, number, "{\"action\":\"comment\",\"note\":\"fine\"}", &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (answer, "ticket"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "events")), ==, 1);
}

static void
test_initial_sync (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = NULL;
  CdJournalHead cursor;
  gint64 head = server_head (fixture);

  g_assert_no_error (error);
  g_assert_cmpint (head, >, CD_SYNC_PAGE_SIZE);
  sync = cd_sync_new (client, cache, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_sync_get_done (sync), ==, 0);

  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");
  g_assert_cmpint (cd_sync_get_done (sync), ==, head);
  g_assert_cmpint (cd_sync_get_total (sync), ==, head);
  g_assert_cmpfloat (cd_sync_get_events_per_second (sync), >, 0);
  g_assert_null (cd_sync_get_last_error (sync));
  g_test_message ("%" G_GINT64_FORMAT " events at %.0f events/s", head,
                  cd_sync_get_events_per_second (sync));

  cd_store_get_sync_cursor (cache, cd_client_get_server_url (client), &cursor, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cursor.seq, ==, head);

  cd_sync_stop (sync);
  assert_same_state (fixture->server.db, fixture->cache_path);
  g_assert_cmpint (cd_test_verify (fixture->cache_path), ==, 0);
}

/* The demo's calls (citydeskctl demo generate runs its PBX) reach the
 * cache's calls table, one event per call, the same rows as the server's. */
static void
test_calls (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = NULL;
  const char *query = "SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || sum(hold_seconds) "
                      "|| ' ' || sum(talk_seconds) || ' ' || sum(rings) || ' ' || count(caller) "
                      "|| ' ' || sum(outcome = 'abandoned') || ' ' || max(seq) FROM calls";
  const char *events = "SELECT count(*) FROM events WHERE type = 'call'";
  g_autofree char *on_server = cd_test_sql_text (fixture->server.db, query);
  g_autofree char *call_events = cd_test_sql_text (fixture->server.db, events);
  g_autofree char *in_cache = NULL;
  g_autofree char *cache_events = NULL;
  gint64 n_calls = 0;

  g_assert_no_error (error);
  sync = cd_sync_new (client, cache, &error);
  g_assert_no_error (error);
  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");
  cd_sync_stop (sync);

  g_assert_true (cd_store_count_calls (cache, &n_calls, &error));
  g_assert_no_error (error);
  /* Two days of the demo's contact centre: thousands of calls. */
  g_assert_cmpint (n_calls, >, 4000);
  g_assert_cmpint (n_calls, ==, g_ascii_strtoll (call_events, NULL, 10));
  in_cache = cd_test_sql_text (fixture->cache_path, query);
  cache_events = cd_test_sql_text (fixture->cache_path, events);
  g_test_message ("server: %s; cache: %s", on_server, in_cache);
  g_assert_cmpstr (in_cache, ==, on_server);
  g_assert_cmpstr (cache_events, ==, call_events);
  g_assert_cmpint (cd_test_verify (fixture->cache_path), ==, 0);
}

static void
on_imported_count (CdSync  *sync,
                   gint64   last,
                   gint64  *first_seen)
{
  if (*first_seen == 0)
    *first_seen = last;
}


static gboolean
sync_failed (gpointer data)
{
  return cd_sync_get_last_error (CD_SYNC (data)) != NULL;
}

/* A cache that holds another server's journal: the events do not continue
 * it, the sync says so and stops, and the cache keeps what it had. */
static void
test_foreign_journal (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *other_db = cd_test_new_db_path ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  CdTestServer other = { 0 };
  gint64 held;

  /* Another city, a day shorter than the fixture's: fewer events. */
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           cd_test_program ("CITYDESK_CTL"), "demo", "generate",
                           "--db", other_db, "--days", "1", "--seed", "7", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  cd_test_add_user (other_db, "supervisor", "supervisor", NULL, "demo-password");
  cd_test_server_start (&other, other_db);

  {
    g_autoptr(CdClient) client = cd_client_new (other.url, &error);
    g_autoptr(CdStore) cache = NULL;
    g_autoptr(CdSync) sync = NULL;

    g_assert_no_error (error);
    login (client, "supervisor", "demo-password", &error);
    g_assert_no_error (error);
    cache = cd_store_open (fixture->cache_path, &error);
    sync = cd_sync_new (client, cache, &error);
    g_assert_no_error (error);
    cd_sync_start (sync);
    cd_test_wait_for (sync_caught_up, sync, "the sync from the other server");
    held = cd_sync_get_done (sync);
    cd_sync_stop (sync);
  }
  cd_test_server_clear (&other);
  g_assert_cmpint (held, >, 0);

  {
    g_autoptr(CdClient) client = new_client (fixture, "supervisor");
    g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
    g_autoptr(CdSync) sync = NULL;

    g_assert_no_error (error);
    sync = cd_sync_new (client, cache, &error);
    g_assert_no_error (error);
    cd_sync_start (sync);
    cd_test_wait_for (sync_failed, sync, "the sync to refuse the other journal");
    g_assert_nonnull (strstr (cd_sync_get_last_error (sync), "do not fit"));
    g_assert_cmpint (cd_sync_get_state (sync), ==, CD_CONNECTION_STATE_OFFLINE);
    g_assert_cmpint (cd_sync_get_done (sync), ==, held);
    cd_sync_stop (sync);

    g_assert_cmpint (cd_store_get_last_seq (cache, NULL), ==, held);
    g_assert_true (cd_store_verify (cache, NULL, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autofree char *number = some_open_ticket (fixture->server.db);
  g_autoptr(GError) error = NULL;
  gint64 first_head, first_imported = 0;

  {
    g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
    g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);

    g_assert_no_error (error);
    cd_sync_start (sync);
    cd_test_wait_for (sync_caught_up, sync, "the first sync");
    first_head = cd_sync_get_done (sync);
    cd_sync_stop (sync);
  }

  /* Three events the cache has not seen, while no sync runs. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) answer = post (client, number,
                                            "{\"action\":\"comment\",\"note\":\"while away\"}",
                                            &error);

      g_assert_no_error (error);
    }

  {
    g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
    g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);

    g_assert_no_error (error);
    /* The restarted sync starts from the cursor, not from zero ... */
    g_assert_cmpint (cd_sync_get_done (sync), ==, first_head);
    g_signal_connect (sync, "events-imported", G_CALLBACK (on_imported_count), &first_imported);
    cd_sync_start (sync);
    cd_test_wait_for (sync_caught_up, sync, "the second sync");
    g_assert_cmpint (cd_sync_get_done (sync), ==, first_head + 3);
    cd_sync_stop (sync);
  }
  /* ... so its first batch ends within the three new events. */
  g_assert_cmpint (first_imported, >, first_head);
  g_assert_cmpint (first_imported, <=, first_head + 3);
  assert_same_state (fixture->server.db, fixture->cache_path);
}

/* Once caught up, the first sync is over: news over the stream does not
 * make the dashboards show the sync's progress again. */
static void
assert_not_first_sync (CdSync *sync)
{
  g_assert_false (cd_sync_get_first_sync (sync));
}

static void
test_stream (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autoptr(CdClient) other = new_client (fixture, "operator");
  g_autofree char *number = some_open_ticket (fixture->server.db);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);

  g_assert_no_error (error);
  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");
  g_signal_connect (sync, "notify::total", G_CALLBACK (assert_not_first_sync), NULL);
  g_signal_connect (sync, "notify::done", G_CALLBACK (assert_not_first_sync), NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"action\":\"comment\",\"note\":\"streamed %u\"}",
                                               i);
      g_autoptr(JsonObject) answer = post (other, number, body, &error);
      JsonArray *events;
      gint64 seq;

      g_assert_no_error (error);
      events = json_object_get_array_member (answer, "events");
      seq = json_object_get_int_member (json_array_get_object_element (events, 0), "seq");
      /* Over the stream: the feed is not asked again while online. */
      wait_seq (sync, seq);
      g_assert_cmpint (cd_sync_get_state (sync), ==, CD_CONNECTION_STATE_ONLINE);
    }
  cd_sync_stop (sync);
  assert_same_state (fixture->server.db, fixture->cache_path);
}

static gint64
count_rows (const char *db,
            const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE %s", where);
  g_autofree char *text = cd_test_sql_text (db, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* Quality control does not see residents' phones: its cache gets them
 * masked, from the feed and from the stream, and the chain still holds. */
static void
test_masked_for_role (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "qc");
  g_autoptr(CdClient) operator = new_client (fixture, "operator");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);
  g_autoptr(CdStore) server = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GHashTable) phones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *number = NULL;
  g_autoptr(CdTicket) streamed = NULL;
  CdTicketFilter all = { 0 };
  guint n_phones = 0;
  gint64 seq;

  g_assert_no_error (error);
  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");

  /* One more registration, which reaches the cache over the stream. */
  cd_client_post_async (
      operator, "/api/v1/tickets", key,
      "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"North\","
      "\"street\":\"Pobedy\",\"building\":\"7\",\"name\":\"Ivan Petrov\","
      "\"phone\":\"+375 29 123-45-67\"}",
      NULL, cd_test_store_result, &result);
  answer = cd_client_post_finish (operator, wait_result (&result), &error);
  g_assert_no_error (error);
  number = g_strdup (
      json_object_get_string_member (json_object_get_object_member (answer, "ticket"), "number"));
  seq = json_object_get_int_member (
      json_array_get_object_element (json_object_get_array_member (answer, "events"), 0), "seq");
  wait_seq (sync, seq);
  cd_sync_stop (sync);

  /* Every phone is the server's, masked; the rest of the ticket is the same. */
  server = cd_store_open (fixture->server.db, &error);
  g_assert_no_error (error);
  theirs = cd_store_list_tickets (server, &all, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < theirs->len; i++)
    {
      CdTicket *t = g_ptr_array_index (theirs, i);

      if (t->resident_phone != NULL)
        g_hash_table_insert (phones, g_strdup (t->number), g_strdup (t->resident_phone));
    }
  ours = cd_store_list_tickets (cache, &all, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++)
    {
      CdTicket *t = g_ptr_array_index (ours, i);
      const char *phone = g_hash_table_lookup (phones, t->number);
      g_autofree char *masked = cd_personal_mask_phone (phone);

      g_assert_cmpstr (t->resident_phone, ==, masked);
      n_phones += phone != NULL;
      if (phone != NULL)
        g_assert_cmpstr (t->resident_phone, !=, phone);
    }
  g_assert_cmpuint (n_phones, >, 100);

  streamed = cd_store_load_ticket (cache, number, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (streamed->resident_phone, ==, "+375 29 ***-**-67");
  g_assert_cmpstr (streamed->resident_name, ==, "Ivan Petrov");

  /* No salt reached the cache: with it, a digest gives the number away. */
  g_assert_cmpint (count_rows (fixture->cache_path, "personal LIKE '%salt%'"), ==, 0);
  g_assert_cmpint (count_rows (fixture->cache_path,
                               "personal IS NOT NULL AND personal_hash IS NULL"),
                   ==, 0);
  g_assert_cmpint (count_rows (fixture->server.db, "personal NOT LIKE '%\"salt\":%'"), ==, 0);
  g_assert_cmpint (count_rows (fixture->server.db, "personal IS NOT NULL"), >, 100);
  g_assert_cmpint (cd_test_verify (fixture->cache_path), ==, 0);
}

typedef struct
{
  guint  sent;
  guint  refused;
  char  *refusal;
} Outcomes;

static void
on_sent (CdSync   *sync,
         gint64    id,
         Outcomes *outcomes)
{
  outcomes->sent++;
}

static void
on_refused (CdSync     *sync,
            gint64      id,
            const char *message,
            Outcomes   *outcomes)
{
  outcomes->refused++;
  g_free (outcomes->refusal);
  outcomes->refusal = g_strdup (message);
}

static gboolean
sync_offline (gpointer data)
{
  return cd_sync_get_state (CD_SYNC (data)) == CD_CONNECTION_STATE_OFFLINE;
}

static gboolean
outbox_empty (gpointer data)
{
  CdSync *sync = data;

  return cd_sync_get_pending_actions (sync) == 0 && sync_caught_up (sync);
}

static guint
count_events (const char *db,
              const char *number,
              const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db, &error);
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint n = 0;

  g_assert_no_error (error);
  ticket = cd_store_load_ticket (store, number, &error);
  g_assert_no_error (error);
  events = cd_store_list_events (store, ticket->id, 0, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((CdEvent *) events->pdata[i])->type, type))
      n++;
  return n;
}

static JsonObject *
action (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_node_dup_object (node);
}

static void
test_offline_outbox (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autofree char *number = some_open_ticket (fixture->server.db);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);
  Outcomes outcomes = { 0 };
  const struct
  {
    CdAction    action;
    const char *fields;
  } queued[] = {
    { CD_ACTION_COMMENT, "{\"note\":\"offline one\"}" },
    { CD_ACTION_CANCEL, "{\"note\":\"duplicate call\"}" },
    /* The ticket is cancelled by then: refused, and kept with the reason. */
    { CD_ACTION_CANCEL, "{\"note\":\"again\"}" },
    { CD_ACTION_COMMENT, "{\"note\":\"offline two\"}" },
  };
  guint comments_before = count_events (fixture->server.db, number, "comment");

  g_assert_no_error (error);
  cd_sync_set_backoff (sync, 100, 500);
  g_signal_connect (sync, "action-sent", G_CALLBACK (on_sent), &outcomes);
  g_signal_connect (sync, "action-refused", G_CALLBACK (on_refused), &outcomes);
  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");

  cd_test_server_stop (&fixture->server);
  cd_test_wait_for (sync_offline, sync, "the sync to notice the server is gone");
  g_assert_cmpint (cd_sync_get_offline_since (sync), >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (queued); i++)
    {
      g_autoptr(JsonObject) fields = action (queued[i].fields);

      g_assert_cmpint (cd_sync_act (sync, number, queued[i].action, fields, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (cd_sync_get_pending_actions (sync), ==, G_N_ELEMENTS (queued));
  g_assert_cmpuint (outcomes.sent, ==, 0);

  /* A registration is not an action on a ticket: it never enters the
   * outbox that way. */
  {
    g_autoptr(JsonObject) fields = action ("{\"note\":\"what to do?\"}");

    g_assert_cmpint (cd_sync_act (sync, number, CD_ACTION_REGISTER, fields, &error), ==, 0);
    g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_BAD_REQUEST);
    g_clear_error (&error);
  }

  restart_server (fixture);
  cd_test_wait_for (outbox_empty, sync, "the outbox to be replayed");
  g_assert_cmpuint (outcomes.sent, ==, 3);
  g_assert_cmpuint (outcomes.refused, ==, 1);
  g_assert_nonnull (outcomes.refusal);
  g_assert_cmpstr (outcomes.refusal, !=, "");
  g_assert_cmpint (cd_sync_get_offline_since (sync), ==, 0);

  /* Each exactly once on the server, and the cache follows. */
  g_assert_cmpuint (count_events (fixture->server.db, number, "comment"), ==, comments_before + 2);
  g_assert_cmpuint (count_events (fixture->server.db, number, "cancel"), ==, 1);
  cd_sync_stop (sync);
  assert_same_state (fixture->server.db, fixture->cache_path);
  g_free (outcomes.refusal);
}

static void
test_reconnect (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autofree char *number = some_open_ticket (fixture->server.db);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);
  g_autoptr(CdClient) other = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gint64 seq;

  g_assert_no_error (error);
  cd_sync_set_backoff (sync, 100, 400);
  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");

  cd_test_server_kill (&fixture->server);
  cd_test_wait_for (sync_offline, sync, "the sync to notice the server was killed");
  g_assert_nonnull (cd_sync_get_last_error (sync));
  g_assert_false (cd_sync_get_needs_login (sync));

  /* Let a few attempts fail before the server is back. */
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (cd_sync_get_state (sync), ==, CD_CONNECTION_STATE_OFFLINE);

  restart_server (fixture);
  cd_test_wait_for (sync_caught_up, sync, "the sync to reconnect");

  other = new_client (fixture, "operator");
  answer = post (other, number, "{\"action\":\"comment\",\"note\":\"after the restart\"}", &error);
  g_assert_no_error (error);
  seq = json_object_get_int_member (
      json_array_get_object_element (json_object_get_array_member (answer, "events"), 0), "seq");
  wait_seq (sync, seq);
  cd_sync_stop (sync);
  assert_same_state (fixture->server.db, fixture->cache_path);
}

/* A revoked token: the sync stops trying and says why, rather than
 * hammering the server with a login that cannot work. */
static void
test_unauthorized_stops (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(CdClient) client = new_client (fixture, "supervisor");
  g_autoptr(CdClient) revoker = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) cache = cd_store_open (fixture->cache_path, &error);
  g_autoptr(CdSync) sync = cd_sync_new (client, cache, &error);
  gint64 until;

  g_assert_no_error (error);
  cd_sync_set_backoff (sync, 50, 100);
  cd_sync_start (sync);
  cd_test_wait_for (sync_caught_up, sync, "the initial sync");

  revoker = cd_client_new (fixture->server.url, &error);
  g_assert_no_error (error);
  cd_client_set_token (revoker, cd_client_get_token (client));
  cd_client_logout_async (revoker, NULL, cd_test_store_result, &result);
  g_assert_true (cd_client_logout_finish (revoker, wait_result (&result), &error));
  g_assert_no_error (error);

  /* The open stream was authorized when it connected: a restart makes the
   * sync log in to the feed again. */
  cd_test_server_stop (&fixture->server);
  cd_test_wait_for (sync_offline, sync, "the sync to notice the server is gone");
  restart_server (fixture);

  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (cd_sync_get_state (sync), ==, CD_CONNECTION_STATE_OFFLINE);
  g_assert_true (cd_sync_get_needs_login (sync));
  g_assert_nonnull (cd_sync_get_last_error (sync));
  g_test_message ("last error: %s", cd_sync_get_last_error (sync));

  /* A new login lets it go on. */
  login (client, "supervisor", "demo-password", &error);
  g_assert_no_error (error);
  cd_sync_stop (sync);
  cd_sync_start (sync);
  g_assert_false (cd_sync_get_needs_login (sync));
  cd_test_wait_for (sync_caught_up, sync, "the sync after a new login");
  cd_sync_stop (sync);
}

/* An event the cache cannot read, though it continues the chain: the
 * client's projector names it by its seq and takes nothing, neither it
 * nor the events after it, so a sync stops there rather than skip it. */
static void
test_unreadable_event (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdEvent) bad = NULL;
  g_autoptr(CdEvent) after = NULL;
  CdEvent *events[2];
  CdJournalHead head;
  CdProjector *projector;
  CdImportBatch *batch;

  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  projector = cd_projector_new (db, &error);
  g_assert_no_error (error);

  cd_journal_head_init (&head);
  /* Strict JSON readers refuse it: a journal written by an older server. */
  bad = cd_event_new_stored (0, "00000000-0000-7000-8000-000000000002", "register", "x", "operator",
                             1, "{\"kind\":\"routine\",}", NULL);
  after = cd_event_new_stored (0, "00000000-0000-7000-8000-000000000003", "comment", "x",
                               "operator", 1, "{}", NULL);
  g_assert_true (cd_journal_seal (&head, bad, &error));
  g_assert_true (cd_journal_seal (&head, after, &error));
  g_assert_no_error (error);
  events[0] = bad;
  events[1] = after;
  batch = cd_projector_project (projector, events, 2, &error);
  g_assert_null (batch);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Event 1: "));

  /* The next attempt starts again from the same place and fails the
   * same way: the event is not skipped. */
  g_clear_error (&error);
  batch = cd_projector_project (projector, events, 2, &error);
  g_assert_null (batch);
  g_assert_true (g_str_has_prefix (error->message, "Event 1: "));
  cd_projector_free (projector);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);
  /* citydeskctl demo generate reads the SLA policies of the source tree. */
  if (g_getenv ("CITYDESK_DATA_DIR") == NULL)
    {
      g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);

      g_setenv ("CITYDESK_DATA_DIR", data_dir, TRUE);
    }

#define ADD(path, func, days) \
  g_test_add (path, Fixture, days, fixture_set_up, func, fixture_tear_down)
  g_test_add_func ("/sync/unreadable-event", test_unreadable_event);
  ADD ("/sync/login", test_login, NULL);
  ADD ("/sync/tls-untrusted", test_tls_untrusted, NULL);
  ADD ("/sync/refusals", test_refusals, NULL);
  ADD ("/sync/initial", test_initial_sync, "4");
  ADD ("/sync/calls", test_calls, NULL);
  ADD ("/sync/resume", test_resume, NULL);
  ADD ("/sync/foreign-journal", test_foreign_journal, NULL);
  ADD ("/sync/stream", test_stream, NULL);
  ADD ("/sync/masked-for-role", test_masked_for_role, NULL);
  ADD ("/sync/offline-outbox", test_offline_outbox, NULL);
  ADD ("/sync/reconnect", test_reconnect, NULL);
  ADD ("/sync/unauthorized-stops", test_unauthorized_stops, NULL);
#undef ADD

  return g_test_run ();
}
