// SPDX-License-Identifier: GPL-3.0-or-later
//
// What each role reads, through a real citydesk-server on 127.0.0.1: every
// read route for every role (and a role the server does not know), an
// executor organization kept to its own tickets in lists, reads, the feed
// and the stream, residents' phones masked for qc and executors in every
// path (events written before personal data was kept apart included), and
// the desktop's sync as qc (chain green) and as an executor (refused, with
// a reason).

#include "config.h"

#include <sqlite3.h>

#include "cd-client.h"
#include "cd-journal.h"
#include "cd-store.h"
#include "cd-sync.h"
#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-stream.h"
#include "cd-test-sql.h"


/* A registration written in format 1: the phone in the payload. */
#define OLD_ID "00000000-0000-4000-8000-0000000000a1"
#define OLD_NUMBER "2025-000001"
#define OLD_PHONE "765-43-21"
#define NEW_PHONE_A "123-45-67"
#define NEW_PHONE_B "555-12-34"

static const char * const roles[] = {
  "operator", "supervisor", "qc", "feedback", "exec-a", "admin", "visitor",
};

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  GHashTable   *tokens;          /* user -> token */
  char         *ticket_a;        /* org-a's */
  char         *ticket_b;        /* org-b's */
  char         *ticket_moved;    /* org-a's, then org-b's */
  char         *id_a;
  char         *id_b;
  char         *id_moved;
} Roles;

/* One server for every case: they only read, but for the comments the
 * stream case writes on tickets it then looks for. */
static Roles fx;

/* Helpers {{{1 */

static const char *
token (const char *user)
{
  return g_hash_table_lookup (fx.tokens, user);
}

static char *
get_text (const char *path,
          const char *user,
          guint      *status)
{
  return cd_test_request (fx.session, fx.server.url, "GET", path,
                          user != NULL ? token (user) : NULL, NULL, NULL, 0, status);
}

static JsonObject *
get (const char *path,
     const char *user,
     guint       expected)
{
  return cd_test_call (fx.session, fx.server.url, "GET", path, token (user), NULL, NULL, expected);
}

static JsonObject *
post (const char *path,
      const char *user,
      const char *body,
      guint       expected)
{
  g_autofree char *key = g_uuid_string_random ();

  return cd_test_call (fx.session, fx.server.url, "POST", path, token (user), key, body, expected);
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Appends @type with @payload to the journal as the writer of format 1
 * did: no personal text, the phone hashed in the payload. */
static void
append_format1 (CdStore    *store,
                const char *type,
                const char *role,
                const char *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(CdEvent) event = NULL;
  gint64 head = cd_store_get_last_seq (store, &error);
  const char *prev = CD_JOURNAL_GENESIS;

  g_assert_no_error (error);
  if (head > 0)
    {
      last = cd_store_list_events (store, NULL, head - 1, 1, &error);
      g_assert_no_error (error);
      prev = ((CdEvent *) g_ptr_array_index (last, 0))->hash;
    }
  event = cd_event_new_stored (head + 1, OLD_ID, type, "old-operator", role,
                               1735725600 + head * 60, payload, NULL);
  g_assert_true (cd_journal_compute_hash (prev, event, event->hash, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_import (store, event, &error));
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
}

static char *
register_ticket (const char  *body,
                 char       **id)
{
  g_autoptr(JsonObject) answer = post ("/api/v1/tickets", "operator", body, SOUP_STATUS_CREATED);
  JsonObject *ticket = json_object_get_object_member (answer, "ticket");

  *id = g_strdup (json_object_get_string_member (ticket, "id"));
  return g_strdup (json_object_get_string_member (ticket, "number"));
}

static void
fixture_set_up (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) moved = NULL;
  g_autofree char *path = NULL;

  {
    g_autoptr(CdStore) store = cd_store_open (db, &error);

    g_assert_no_error (error);
    append_format1 (store, "register", "operator",
                    "{\"number\":\"" OLD_NUMBER
                    "\",\"kind\":\"routine\",\"category\":\"housing.heating\","
                    "\"district\":\"Central\",\"street\":\"Lenina\",\"building\":\"1\","
                    "\"name\":\"Olga Old\",\"phone\":\"+375 29 " OLD_PHONE "\"}");
    append_format1 (store, "assign", "operator", "{\"executor\":\"org-a\"}");
  }

  cd_test_add_user (db, "operator", "operator", NULL, "demo-password");
  cd_test_add_user (db, "supervisor", "supervisor", NULL, "demo-password");
  cd_test_add_user (db, "qc", "qc", NULL, "demo-password");
  cd_test_add_user (db, "feedback", "feedback", NULL, "demo-password");
  cd_test_add_user (db, "admin", "admin", NULL, "demo-password");
  cd_test_add_user (db, "exec-a", "executor", "org-a", "demo-password");
  cd_test_add_user (db, "exec-b", "executor", "org-b", "demo-password");
  /* A role written by a newer or a broken tool: it must read nothing. */
  cd_test_add_user (db, "visitor", "operator", NULL, "demo-password");
  sql_exec (db, "UPDATE users SET role = 'visitor' WHERE name = 'visitor'");

  cd_test_server_start (&fx.server, db);
  fx.session = soup_session_new ();
  fx.tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    g_hash_table_insert (fx.tokens, g_strdup (roles[i]),
                         cd_test_login (fx.session, fx.server.url, roles[i], "demo-password"));
  g_hash_table_insert (fx.tokens, g_strdup ("exec-b"),
                       cd_test_login (fx.session, fx.server.url, "exec-b", "demo-password"));

  fx.ticket_a = register_ticket (
      "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
      "\"street\":\"Lenina\",\"building\":\"5\",\"name\":\"Ivan Petrov\","
      "\"phone\":\"+375 29 " NEW_PHONE_A "\",\"executor\":\"org-a\"}",
      &fx.id_a);
  fx.ticket_b = register_ticket (
      "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"North\","
      "\"street\":\"Pobedy\",\"building\":\"7\",\"name\":\"Anna Bell\","
      "\"phone\":\"+375 33 " NEW_PHONE_B "\",\"executor\":\"org-b\"}",
      &fx.id_b);
  fx.ticket_moved = register_ticket (
      "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"West\","
      "\"street\":\"Mira\",\"building\":\"9\",\"name\":\"Petr Moved\","
      "\"phone\":\"+375 44 111-22-33\",\"executor\":\"org-a\"}",
      &fx.id_moved);
  /* Org A comments on it while it is its, then it goes to org B. */
  path = g_strdup_printf ("/api/v1/tickets/%s/actions", fx.ticket_moved);
  g_clear_pointer (&moved, json_object_unref);
  moved = post (path, "exec-a", "{\"action\":\"comment\",\"note\":\"org-a was here\"}",
                SOUP_STATUS_OK);
  g_clear_pointer (&moved, json_object_unref);
  moved = post (path, "supervisor", "{\"action\":\"assign\",\"executor\":\"org-b\"}",
                SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (moved, "ticket"),
                                                  "executor"),
                   ==, "org-b");
}

static void
fixture_tear_down (void)
{
  g_assert_cmpint (cd_test_verify (fx.server.db), ==, 0);
  cd_test_server_clear (&fx.server);
  g_clear_object (&fx.session);
  g_clear_pointer (&fx.tokens, g_hash_table_unref);
  g_free (fx.ticket_a);
  g_free (fx.ticket_b);
  g_free (fx.ticket_moved);
  g_free (fx.id_a);
  g_free (fx.id_b);
  g_free (fx.id_moved);
}

/* Every route, every role {{{1 */

/* What docs/api.md's table says: 200 or 403, route by route, for the
 * roles in the order of roles[] (exec-a is an executor of org-a). */
static void
test_routes (void)
{
  g_autofree char *ticket_path = g_strdup_printf ("/api/v1/tickets/%s", OLD_NUMBER);
  const struct {
    const char *path;
    guint       status[G_N_ELEMENTS (roles)];
  } routes[] = {
    { "/api/v1/events", { 200, 200, 200, 200, 200, 200, 403 } },
    { "/api/v1/tickets", { 200, 200, 200, 200, 200, 200, 403 } },
    { ticket_path, { 200, 200, 200, 200, 200, 200, 403 } },
    { "/api/v1/categories", { 200, 200, 200, 200, 200, 200, 403 } },
    { "/api/v1/executors", { 200, 200, 200, 200, 200, 200, 403 } },
    { "/api/v1/policies", { 200, 200, 200, 200, 200, 200, 403 } },
    { "/api/v1/calendars", { 200, 200, 200, 200, 200, 200, 403 } },
    { "/api/v1/users", { 403, 200, 403, 403, 403, 200, 403 } },
    { "/api/v1/stats", { 200, 200, 200, 200, 403, 200, 403 } },
  };

  for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
    for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
      {
        g_autoptr(JsonObject) answer = NULL;

        g_test_message ("GET %s as %s", routes[r].path, roles[i]);
        answer = get (routes[r].path, roles[i], routes[r].status[i]);
        if (routes[r].status[i] == 403)
          cd_test_assert_error (answer, "forbidden", NULL);
      }

  /* What the executor's 200s hold: its own organization only. */
  {
    g_autoptr(JsonObject) executors = get ("/api/v1/executors", "exec-a", 200);
    g_autoptr(JsonObject) all = get ("/api/v1/executors", "operator", 200);
    JsonArray *names = json_object_get_array_member (executors, "executors");

    g_assert_cmpuint (json_array_get_length (names), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (names, 0), "id"),
                     ==, "org-a");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (all, "executors")), >=,
                      2);
  }

  /* No token reads nothing either. */
  {
    guint status = 0;
    g_autofree char *text = get_text ("/api/v1/tickets", NULL, &status);

    g_assert_cmpuint (status, ==, 401);
  }
}

/* An executor organization's own tickets {{{1 */

static gboolean
array_has_number (JsonArray  *tickets,
                  const char *number)
{
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (tickets, i),
                                                  "number"),
                   number) == 0)
      return TRUE;
  return FALSE;
}

static void
test_executor_tickets (void)
{
  g_autoptr(JsonObject) mine = get ("/api/v1/tickets?limit=1000", "exec-a", 200);
  g_autoptr(JsonObject) theirs = get ("/api/v1/tickets?executor=org-b", "exec-a", 200);
  g_autoptr(JsonObject) named = get ("/api/v1/tickets?executor=org-a", "exec-a", 200);
  g_autoptr(JsonObject) b = get ("/api/v1/tickets", "exec-b", 200);
  g_autoptr(JsonObject) all = get ("/api/v1/tickets", "operator", 200);
  JsonArray *tickets = json_object_get_array_member (mine, "tickets");
  const char *other[] = { fx.ticket_b, fx.ticket_moved };

  g_assert_cmpint (json_object_get_int_member (all, "total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (mine, "total"), ==, 2);
  g_assert_true (array_has_number (tickets, fx.ticket_a));
  g_assert_true (array_has_number (tickets, OLD_NUMBER));
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (tickets, i),
                                                    "executor"),
                     ==, "org-a");

  /* Asking for another organization's gets nothing of it. */
  g_assert_cmpint (json_object_get_int_member (theirs, "total"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (theirs, "tickets")), ==,
                    0);
  g_assert_cmpint (json_object_get_int_member (named, "total"), ==, 2);

  /* The ticket that moved is org B's now, with all its history. */
  g_assert_cmpint (json_object_get_int_member (b, "total"), ==, 2);
  g_assert_true (array_has_number (json_object_get_array_member (b, "tickets"), fx.ticket_moved));
  g_assert_false (array_has_number (json_object_get_array_member (b, "tickets"), fx.ticket_a));

  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", other[i]);
      g_autoptr(JsonObject) refused = get (path, "exec-a", 403);
      g_autoptr(JsonObject) read = get (path, "exec-b", 200);

      cd_test_assert_error (refused, "forbidden", NULL);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (read, "events")), >,
                        0);
    }
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", fx.ticket_a);
    g_autoptr(JsonObject) refused = get (path, "exec-b", 403);
    g_autoptr(JsonObject) read = get (path, "exec-a", 200);

    g_assert_cmpstr (json_object_get_string_member (read, "number"), ==, fx.ticket_a);
  }
}

/* The entities of @page's events, each event checked against its hash
 * from the prev_hash it comes with (but a masked format-1 copy). */
static GHashTable *
check_filtered_page (JsonObject *page,
                     guint      *n_events)
{
  GHashTable *entities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *events = json_object_get_array_member (page, "events");

  g_assert_true (json_object_get_boolean_member (page, "filtered"));
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *object = json_array_get_object_element (events, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdEvent) event = cd_event_new_from_json (object, &error);
      char computed[CD_EVENT_HASH_LEN];

      g_assert_no_error (error);
      g_hash_table_add (entities, g_strdup (event->entity));
      if (event->payload_masked)
        {
          g_assert_false (json_object_has_member (object, "prev_hash"));
          continue;
        }
      g_assert_true (cd_journal_compute_hash (json_object_get_string_member (object, "prev_hash"),
                                              event, computed, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (computed, ==, event->hash);
    }
  *n_events = json_array_get_length (events);
  return entities;
}

static void
test_executor_feed (void)
{
  g_autoptr(JsonObject) page = get ("/api/v1/events?limit=10000", "exec-a", 200);
  g_autoptr(JsonObject) b_page = get ("/api/v1/events", "exec-b", 200);
  g_autoptr(JsonObject) full = get ("/api/v1/events", "operator", 200);
  g_autoptr(GHashTable) entities = NULL;
  g_autoptr(GHashTable) b_entities = NULL;
  guint n = 0, n_b = 0, n_paged = 0;
  gint64 after = 0;

  entities = check_filtered_page (page, &n);
  g_assert_cmpuint (g_hash_table_size (entities), ==, 2);
  g_assert_true (g_hash_table_contains (entities, OLD_ID));
  g_assert_true (g_hash_table_contains (entities, fx.id_a));
  /* Nor the registration and assignment of the ticket that moved away. */
  g_assert_false (g_hash_table_contains (entities, fx.id_moved));
  g_assert_false (g_hash_table_contains (entities, fx.id_b));
  g_assert_cmpint (json_object_get_int_member (page, "last"), ==,
                   json_object_get_int_member (full, "head"));
  g_assert_false (json_object_get_boolean_member (page, "more"));
  g_assert_false (json_object_has_member (full, "filtered"));

  b_entities = check_filtered_page (b_page, &n_b);
  g_assert_cmpuint (g_hash_table_size (b_entities), ==, 2);
  g_assert_true (g_hash_table_contains (b_entities, fx.id_moved));
  g_assert_true (g_hash_table_contains (b_entities, fx.id_b));
  g_assert_cmpuint (n + n_b, ==,
                    json_array_get_length (json_object_get_array_member (full, "events")));

  /* Page by page, a cursor over the gaps gives the same events. */
  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events?after=%" G_GINT64_FORMAT "&limit=1",
                                               after);
      g_autoptr(JsonObject) one = get (path, "exec-a", 200);
      g_autoptr(GHashTable) seen = NULL;
      guint got = 0;

      GHashTableIter iter;
      gpointer entity;

      seen = check_filtered_page (one, &got);
      g_hash_table_iter_init (&iter, seen);
      while (g_hash_table_iter_next (&iter, &entity, NULL))
        g_assert_true (g_hash_table_contains (entities, entity));
      n_paged += got;
      /* The cursor moves on every page, over the hidden events too. */
      g_assert_cmpint (json_object_get_int_member (one, "last"), >, after);
      after = json_object_get_int_member (one, "last");
      if (!json_object_get_boolean_member (one, "more"))
        break;
    }
  g_assert_cmpuint (n_paged, ==, n);
}

/* The stream {{{1 */

static void
stream_open (CdTestStream *stream,
             const char   *user)
{
  cd_test_stream_open (stream, fx.session, fx.server.url, "?after=0", token (user));
}

/* Waits until a message holds @needle. */
static void
stream_wait_for (CdTestStream *stream,
                 const char *needle)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (CD_TEST_WAIT_SECONDS, cd_test_on_timeout, &timed_out);

  for (;;)
    {
      for (guint i = 0; i < stream->messages->len; i++)
        if (strstr (g_ptr_array_index (stream->messages, i), needle) != NULL)
          {
            g_source_remove (id);
            return;
          }
      if (timed_out)
        g_error ("Timed out waiting for a message with %s", needle);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_stream (void)
{
  CdTestStream a = { 0 }, b = { 0 }, qc = { 0 };
  g_autofree char *path_a = g_strdup_printf ("/api/v1/tickets/%s/actions", fx.ticket_a);
  g_autofree char *path_b = g_strdup_printf ("/api/v1/tickets/%s/actions", fx.ticket_b);
  g_autoptr(JsonObject) on_b = NULL;
  g_autoptr(JsonObject) on_a = NULL;
  CdTestStream refused = { 0 };

  stream_open (&a, "exec-a");
  stream_open (&b, "exec-b");
  stream_open (&qc, "qc");
  g_assert_no_error (a.error);
  g_assert_no_error (b.error);
  g_assert_no_error (qc.error);

  /* A comment for org B first: org A's stream must not carry it. */
  on_b = post (path_b, "operator", "{\"action\":\"comment\",\"note\":\"note-for-org-b\"}",
               SOUP_STATUS_OK);
  on_a = post (path_a, "operator", "{\"action\":\"comment\",\"note\":\"note-for-org-a\"}",
               SOUP_STATUS_OK);
  stream_wait_for (&a, "note-for-org-a");
  stream_wait_for (&b, "note-for-org-b");
  stream_wait_for (&qc, "note-for-org-a");

  for (guint i = 0; i < a.messages->len; i++)
    {
      const char *text = g_ptr_array_index (a.messages, i);
      g_autoptr(JsonObject) message = cd_test_parse_object (text);
      JsonObject *event = json_object_get_object_member (message, "event");
      const char *entity = json_object_get_string_member (event, "entity");

      g_assert_true (g_str_equal (entity, fx.id_a) || g_str_equal (entity, OLD_ID));
      g_assert_null (strstr (text, NEW_PHONE_A));
      g_assert_null (strstr (text, OLD_PHONE));
    }
  for (guint i = 0; i < b.messages->len; i++)
    {
      const char *text = g_ptr_array_index (b.messages, i);

      g_assert_null (strstr (text, fx.id_a));
      g_assert_null (strstr (text, OLD_ID));
      g_assert_null (strstr (text, NEW_PHONE_B));
    }
  for (guint i = 0; i < qc.messages->len; i++)
    {
      const char *text = g_ptr_array_index (qc.messages, i);

      g_assert_null (strstr (text, NEW_PHONE_A));
      g_assert_null (strstr (text, NEW_PHONE_B));
      g_assert_null (strstr (text, OLD_PHONE));
    }
  /* QC sees the whole city. */
  g_assert_cmpuint (qc.messages->len, >, a.messages->len + b.messages->len - 1);

  /* A role that reads nothing gets no stream. */
  stream_open (&refused, "visitor");
  g_assert_null (refused.conn);
  g_assert_nonnull (refused.error);

  cd_test_stream_clear (&a);
  cd_test_stream_clear (&b);
  cd_test_stream_clear (&qc);
  cd_test_stream_clear (&refused);
}

/* Personal data {{{1 */

static void
assert_masked_text (const char *what,
                    const char *text)
{
  g_test_message ("%s", what);
  g_assert_nonnull (text);
  g_assert_null (strstr (text, NEW_PHONE_A));
  g_assert_null (strstr (text, OLD_PHONE));
  g_assert_null (strstr (text, NEW_PHONE_B));
  g_assert_null (strstr (text, "salt"));
}

static void
test_masked (void)
{
  const char *masked_roles[] = { "qc", "exec-a" };
  const char *seeing_roles[] = { "operator", "supervisor", "feedback", "admin" };
  g_autofree char *old_path = g_strdup_printf ("/api/v1/tickets/%s", OLD_NUMBER);
  g_autofree char *new_path = g_strdup_printf ("/api/v1/tickets/%s", fx.ticket_a);

  for (guint i = 0; i < G_N_ELEMENTS (masked_roles); i++)
    {
      const char *paths[] = { "/api/v1/events", "/api/v1/tickets", old_path, new_path };
      g_autoptr(JsonObject) feed = get ("/api/v1/events", masked_roles[i], 200);
      g_autoptr(JsonObject) old = get (old_path, masked_roles[i], 200);
      JsonObject *first = json_array_get_object_element (json_object_get_array_member (feed,
                                                                                       "events"),
                                                         0);

      for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
        {
          guint status = 0;
          g_autofree char *text = get_text (paths[p], masked_roles[i], &status);
          g_autofree char *what = g_strdup_printf ("GET %s as %s", paths[p], masked_roles[i]);

          g_assert_cmpuint (status, ==, 200);
          assert_masked_text (what, text);
          g_assert_nonnull (strstr (text, "***-**-"));
        }

      /* The format-1 registration: masked in its payload, marked. */
      g_assert_cmpint (json_object_get_int_member (first, "seq"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (first, "masked"), ==, "payload");
      g_assert_nonnull (
          strstr (json_object_get_string_member (first, "payload"), "+375 29 ***-**-21"));
      g_assert_nonnull (strstr (json_object_get_string_member (first, "payload"), "Olga Old"));
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (old,
                                                                                     "resident"),
                                                      "phone"),
                       ==, "+375 29 ***-**-21");
      g_assert_cmpstr (json_object_get_string_member (
                           json_array_get_object_element (json_object_get_array_member (old,
                                                                                        "events"),
                                                          0),
                           "masked"),
                       ==, "payload");
    }

  for (guint i = 0; i < G_N_ELEMENTS (seeing_roles); i++)
    {
      guint status = 0;
      g_autofree char *feed = get_text ("/api/v1/events", seeing_roles[i], &status);
      g_autofree char *old = get_text (old_path, seeing_roles[i], &status);

      g_assert_nonnull (strstr (feed, OLD_PHONE));
      g_assert_nonnull (strstr (feed, NEW_PHONE_A));
      g_assert_null (strstr (feed, "\"masked\""));
      g_assert_nonnull (strstr (old, OLD_PHONE));
    }

  /* Open311's public reads show no resident, whoever asks. */
  {
    const char *paths[] = {
      "/open311/v2/requests.json", "/open311/v2/requests.xml",
      "/open311/v2/requests.json?extensions=true",
    };
    g_autofree char *one = g_strdup_printf ("/open311/v2/requests/%s.json?extensions=true",
                                            fx.ticket_a);
    g_autofree char *old_one = g_strdup_printf ("/open311/v2/requests/%s.json", OLD_NUMBER);
    const char *singles[] = { one, old_one };

    for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
      {
        guint status = 0;
        g_autofree char *text = get_text (paths[p], NULL, &status);

        g_assert_cmpuint (status, ==, 200);
        assert_masked_text (paths[p], text);
        g_assert_null (strstr (text, "Ivan Petrov"));
        g_assert_null (strstr (text, "Olga Old"));
        g_assert_null (strstr (text, "***"));
        g_assert_nonnull (strstr (text, fx.ticket_a));
      }
    for (guint p = 0; p < G_N_ELEMENTS (singles); p++)
      {
        guint status = 0;
        g_autofree char *text = get_text (singles[p], NULL, &status);

        g_assert_cmpuint (status, ==, 200);
        assert_masked_text (singles[p], text);
        g_assert_null (strstr (text, "Ivan Petrov"));
        g_assert_null (strstr (text, "Olga Old"));
      }
  }
}

/* The desktop's sync {{{1 */

static gboolean
sync_caught_up (gpointer data)
{
  CdSync *sync = data;

  return cd_sync_get_state (sync) == CD_CONNECTION_STATE_ONLINE &&
         cd_sync_get_done (sync) >= cd_sync_get_total (sync);
}

static gboolean
sync_has_error (gpointer data)
{
  return cd_sync_get_last_error (data) != NULL;
}

static CdClient *
client_for (const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (fx.server.url, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  cd_client_login_async (client, user, "demo-password", NULL, cd_test_store_result, &result);
  cd_test_wait_for (cd_test_result_ready, &result, "a login");
  g_assert_true (cd_client_login_finish (client, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static char *
new_cache_path (const char *name)
{
  g_autofree char *dir = g_path_get_dirname (fx.server.db);

  return g_build_filename (dir, name, NULL);
}

static void
test_sync (void)
{
  g_autofree char *qc_path = new_cache_path ("qc-cache.db");
  g_autofree char *exec_path = new_cache_path ("exec-cache.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *masked_rows = NULL;
  g_autofree char *phone = NULL;

  /* Quality control: the whole journal, format-1 events masked, and the
   * chain checked end to end (the masked one taken on its hash). */
  {
    g_autoptr(CdClient) client = client_for ("qc");
    g_autoptr(CdStore) cache = cd_store_open (qc_path, &error);
    g_autoptr(CdSync) sync = NULL;
    g_autoptr(CdTicket) old = NULL;

    g_assert_no_error (error);
    sync = cd_sync_new (client, cache, &error);
    g_assert_no_error (error);
    cd_sync_start (sync);
    cd_test_wait_for (sync_caught_up, sync, "the qc sync");
    cd_sync_stop (sync);
    g_assert_cmpint (cd_store_get_last_seq (cache, NULL), ==, cd_sync_get_total (sync));
    old = cd_store_load_ticket (cache, OLD_NUMBER, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (old->resident_phone, ==, "+375 29 ***-**-21");
  }
  masked_rows = cd_test_sql_text (qc_path,
                                  "SELECT count(*) FROM events WHERE personal_hash = 'payload'");
  g_assert_cmpstr (masked_rows, ==, "1");
  phone = cd_test_sql_text (qc_path,
                            "SELECT count(*) FROM events WHERE payload LIKE '%" OLD_PHONE "%' "
                            "OR personal LIKE '%" NEW_PHONE_A "%'");
  g_assert_cmpstr (phone, ==, "0");
  g_assert_cmpint (cd_test_verify (qc_path), ==, 0);

  /* An executor: the console says why it cannot, and imports nothing. */
  {
    g_autoptr(CdClient) client = client_for ("exec-a");
    g_autoptr(CdStore) cache = cd_store_open (exec_path, &error);
    g_autoptr(CdSync) sync = NULL;

    g_assert_no_error (error);
    sync = cd_sync_new (client, cache, &error);
    g_assert_no_error (error);
    cd_sync_start (sync);
    cd_test_wait_for (sync_has_error, sync, "the executor's sync to give up");
    g_assert_nonnull (strstr (cd_sync_get_last_error (sync), "only its organization"));
    g_assert_cmpint (cd_sync_get_state (sync), ==, CD_CONNECTION_STATE_OFFLINE);
    cd_sync_stop (sync);
    g_assert_cmpint (cd_store_get_last_seq (cache, NULL), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);
  fixture_set_up ();
  g_test_add_func ("/roles/routes", test_routes);
  g_test_add_func ("/roles/executor-tickets", test_executor_tickets);
  g_test_add_func ("/roles/executor-feed", test_executor_feed);
  g_test_add_func ("/roles/masked", test_masked);
  g_test_add_func ("/roles/stream", test_stream);
  g_test_add_func ("/roles/sync", test_sync);
  status = g_test_run ();
  fixture_tear_down ();
  return status;
}
