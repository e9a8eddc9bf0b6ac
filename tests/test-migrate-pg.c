// SPDX-License-Identifier: GPL-3.0-or-later
/* test-migrate-pg.c: citydeskctl migrate, a demo database's journal moved
 * to PostgreSQL and verified on arrival, its tickets listed and its calls'
 * figures read there as on the file; resumed, refused, and its errors;
 * then a city's tables that are no events (accounts, keys, reference
 * data, routing, messages to residents, callback tasks, recordings) used
 * there */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-journal-db.h"
#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-pg.h"
#include "cd-test-server.h"

#define PASSWORD "s3cret-password"

static char *
make_demo (void)
{
  g_autofree char *out = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "demo.db", NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", path, "--days", "3",
                                  NULL), ==, 0);
  return path;
}

static gint64
count_events (const char *location)
{
  g_autofree char *n = cd_test_db_value (location, "SELECT count(*) FROM events");

  return g_ascii_strtoll (n, NULL, 10);
}

/* "state=count;…" over the tickets table, in the order of the states. */
static char *
counts_by_state (const char *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CdDbStep step;

  g_assert_no_error (error);
  stmt = cd_db_prepare (db, "SELECT state, count(*) FROM tickets GROUP BY state ORDER BY state",
                        &error);
  g_assert_no_error (error);
  while ((step = cd_db_step (stmt, &error)) == CD_DB_ROW)
    g_string_append_printf (out, "%s=%" G_GINT64_FORMAT ";", cd_db_column_text (stmt, 0),
                            cd_db_column_int64 (stmt, 1));
  g_assert_cmpint (step, ==, CD_DB_DONE);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The first or last event's time (@which: min or max), as --now takes
 * it. */
static char *
event_time (const char *location,
            const char *which)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT %s(time) FROM events", which);

  g_assert_no_error (error);
  stmt = cd_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
  dt = g_date_time_new_from_unix_utc (cd_db_column_int64 (stmt, 0));
  return g_date_time_format_iso8601 (dt);
}

/* `citydeskctl tickets` with @option prints the same on both. */
static void
assert_same_tickets (const char *file,
                     const char *uri,
                     const char *now,
                     const char *option)
{
  g_autofree char *on_file = NULL;
  g_autofree char *on_pg = NULL;

  g_assert_cmpint (cd_test_ctl (&on_file, NULL, "tickets", "--db", file, "--now", now, option,
                                "--json", NULL), ==, 0);
  g_assert_cmpint (cd_test_ctl (&on_pg, NULL, "tickets", "--db", uri, "--now", now, option,
                                "--json", NULL), ==, 0);
  g_assert_cmpuint (strlen (on_file), >, 100);
  g_assert_cmpstr (on_pg, ==, on_file);
}

/* `citydeskctl calls @verb` with @options prints the same on both. */
static void
assert_same_calls (const char *file,
                   const char *uri,
                   const char *verb,
                   const char *option1,
                   const char *value1,
                   const char *option2,
                   const char *value2)
{
  g_autofree char *on_file = NULL;
  g_autofree char *on_pg = NULL;

  g_assert_cmpint (cd_test_ctl (&on_file, NULL, "calls", verb, "--db", file, "--json", option1,
                                value1, option2, value2, NULL), ==, 0);
  g_assert_cmpint (cd_test_ctl (&on_pg, NULL, "calls", verb, "--db", uri, "--json", option1,
                                value1, option2, value2, NULL), ==, 0);
  g_assert_cmpuint (strlen (on_file), >, 100);
  g_assert_cmpstr (on_pg, ==, on_file);
}


/* @sql reads the same rows on both, and some. */
static void
assert_same_rows (const char *file,
                  const char *uri,
                  const char *sql,
                  guint       at_least)
{
  g_autofree char *on_file = cd_test_db_rows (file, sql);
  g_autofree char *on_pg = cd_test_db_rows (uri, sql);
  guint lines = 0;

  for (const char *c = on_file; *c != '\0'; c++)
    lines += *c == '\n';
  g_assert_cmpuint (lines, >=, at_least);
  g_assert_cmpstr (on_pg, ==, on_file);
}

/* `citydeskctl @command @verb --json` prints the same on both. */
static void
assert_same_ctl (const char *file,
                 const char *uri,
                 const char *command,
                 const char *verb)
{
  g_autofree char *on_file = NULL;
  g_autofree char *on_pg = NULL;

  g_assert_cmpint (cd_test_ctl (&on_file, NULL, command, verb, "--db", file, "--json", NULL), ==,
                   0);
  g_assert_cmpint (cd_test_ctl (&on_pg, NULL, command, verb, "--db", uri, "--json", NULL), ==, 0);
  g_assert_cmpuint (strlen (on_file), >, 20);
  g_assert_cmpstr (on_pg, ==, on_file);
}

static JsonObject *
migrate_json (const char *from,
              const char *to,
              const char *batch,
              int         expected_status)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "migrate", "--from", from, "--to", to, "--batch",
                                batch, "--json", NULL), ==, expected_status);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_demo (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("migrate");
  g_autofree char *demo = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *file_counts = NULL;
  g_autofree char *pg_counts = NULL;
  g_autofree char *now = NULL;
  g_autofree char *first_event = NULL;
  gint64 n;

  if (uri == NULL)
    return;
  demo = make_demo ();
  n = count_events (demo);
  g_assert_cmpint (n, >, 1000);

  first = migrate_json (demo, uri, "700", 0);
  g_assert_true (json_object_get_boolean_member (first, "ok"));
  g_assert_cmpint (json_object_get_int_member (first, "copied"), ==, n);
  g_assert_cmpint (json_object_get_int_member (first, "present"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (first, "batches"), ==, (n + 699) / 700);
  g_assert_cmpint (json_object_get_int_member (first, "checked"), ==, n);
  g_assert_cmpint (count_events (uri), ==, n);

  /* The tickets' projection rebuilt from the copied journal by the
   * store's own code: the same tickets in each state as in the file. */
  g_assert_cmpint (json_object_get_int_member (first, "projected"), >, 0);
  file_counts = counts_by_state (demo);
  pg_counts = counts_by_state (uri);
  g_assert_cmpstr (strstr (file_counts, "="), !=, NULL);
  g_assert_cmpstr (pg_counts, ==, file_counts);

  /* The counts by executor its triggers kept while the tickets were
   * projected (each reassignment, resolution and reopening): as the
   * file's, and as its own tickets say. */
  {
    const char *kept = "SELECT executor, total, reopens, reopened, resolved FROM executor_counts "
                       "WHERE total > 0 ORDER BY executor";
    g_autofree char *file_kept = cd_test_db_rows (demo, kept);
    g_autofree char *pg_kept = cd_test_db_rows (uri, kept);
    g_autofree char *pg_counted = cd_test_db_rows (
        uri, "SELECT executor, count(*), sum(reopen_count), "
             "sum(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END), "
             "sum(CASE WHEN resolved_at IS NOT NULL OR reopen_count > 0 THEN 1 ELSE 0 END) "
             "FROM tickets WHERE executor IS NOT NULL GROUP BY executor ORDER BY executor");

    g_assert_cmpuint (strlen (pg_kept), >, 0);
    g_assert_cmpstr (pg_kept, ==, file_kept);
    g_assert_cmpstr (pg_kept, ==, pg_counted);
  }

  /* The list, the overdue tiles and breakdowns, read there. */
  now = event_time (demo, "max");
  assert_same_tickets (demo, uri, now, "--overdue");
  assert_same_tickets (demo, uri, now, "--stale");
  assert_same_tickets (demo, uri, now, "--open");

  /* The calls and missed calls rebuilt there from their events: the same
   * figures, heatmap and missed calls. */
  first_event = event_time (demo, "min");
  assert_same_calls (demo, uri, "stats", "--from", first_event, "--to", now);
  assert_same_calls (demo, uri, "heatmap", "--from", first_event, "--to", now);
  assert_same_calls (demo, uri, "missed", "--now", now, "--all", NULL);

  /* Run again: everything is there, nothing is copied twice. */
  second = migrate_json (demo, uri, "700", 0);
  g_assert_cmpint (json_object_get_int_member (second, "copied"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "present"), ==, n);
  g_assert_cmpint (count_events (uri), ==, n);
  g_assert_cmpint (json_object_get_int_member (second, "projected"), ==, 0);

  /* verify replays every ticket there and compares it with its row. */
  g_assert_cmpint (cd_test_ctl (&out, NULL, "verify", "--db", uri, NULL), ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " events checked", n);
  g_assert_nonnull (strstr (out, expected));
  g_assert_nonnull (strstr (out, "the projection of"));
  cd_test_pg_drop_database (uri);
}

/* A copy that stopped part-way (here: the first 1,000 events written
 * alone) goes on after them. */
static void
test_resume (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("resume");
  g_autofree char *demo = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(CdDb) source = NULL;
  g_autoptr(CdDb) target = NULL;
  g_autoptr(GPtrArray) head = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  if (uri == NULL)
    return;
  demo = make_demo ();
  n = count_events (demo);
  source = cd_db_open (demo, &error);
  target = cd_db_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (cd_journal_db_migrate (target, NULL, &error));
  head = cd_journal_db_list (source, 0, 1000, &error);
  g_assert_no_error (error);
  /* Sealed again on an empty journal, they get the same numbers and
   * hashes: the same history's beginning. */
  g_assert_true (cd_journal_db_append (target, (CdEvent * const *) head->pdata, head->len,
                                       &error));
  g_assert_no_error (error);
  g_clear_pointer (&target, cd_db_close);

  result = migrate_json (demo, uri, "5000", 0);
  g_assert_cmpint (json_object_get_int_member (result, "present"), ==, 1000);
  g_assert_cmpint (json_object_get_int_member (result, "copied"), ==, n - 1000);
  g_assert_cmpint (json_object_get_int_member (result, "checked"), ==, n);
  cd_test_pg_drop_database (uri);
}

/* A database holding another history is refused, and left as it was. */
static void
test_other_history (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("other");
  g_autofree char *demo = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(CdDb) target = NULL;
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    return;
  demo = make_demo ();
  target = cd_db_open (uri, &error);
  g_assert_true (cd_journal_db_migrate (target, NULL, &error));
  event = cd_event_new ("00000000-0000-4000-8000-000000000001", "comment", "someone",
                        "operator", 1767225600, payload);
  g_assert_true (cd_journal_db_append (target, &event, 1, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", demo, "--to", uri, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "another history"));
  g_assert_cmpint (count_events (uri), ==, 1);
  g_clear_pointer (&target, cd_db_close);
  cd_test_pg_drop_database (uri);
}

/* Clear errors, before anything is read: a bad URI, a server that is not
 * running, a file that is not there. Needs no PostgreSQL. */
static void
test_errors (void)
{
  g_autofree char *demo = NULL;
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "nowhere", NULL);
  g_autofree char *down = g_strdup_printf ("postgresql:///city?host=%s&password=s3cret", missing);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  demo = make_demo ();
  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", demo, "--to",
                                "postgresql://u:s3cret@[::1/city", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "not a PostgreSQL URI"));
  g_assert_null (strstr (err, "s3cret"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", demo, "--to", down, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "Cannot connect"));
  g_assert_nonnull (strstr (err, missing));
  g_assert_null (strstr (err, "s3cret"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", missing, "--to", down, NULL), ==,
                   2);
  g_assert_nonnull (strstr (err, "no database"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", demo, "--to", demo, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "postgresql://"));
}


#define USERS_SQL \
  "SELECT name, role, org, password_hash, created_at, disabled_at, agent FROM users " \
  "ORDER BY name"
#define API_KEYS_SQL "SELECT key_hash, name, created_at, revoked_at FROM api_keys ORDER BY key_hash"
#define NOTIFICATIONS_SQL \
  "SELECT id, seq, ticket, kind, ticket_state, channel, key, state, attempts, next_try, " \
  "last_error, created_at, sent_at FROM notifications ORDER BY id"

/* The tables that are no events and move as they are, read in full, and
 * the fewest rows each holds in the city make_city() writes. */
static const struct
{
  const char *sql;
  guint       at_least;
} moved[] = {
  { USERS_SQL, 4 },
  { API_KEYS_SQL, 1 },
  { "SELECT kind, code FROM reference_entries ORDER BY kind, code", 10 },
  { "SELECT kind, code, language, name FROM reference_names ORDER BY kind, code, language", 10 },
  { "SELECT position, category, district, executor FROM routing_rules ORDER BY position", 1 },
  { "SELECT key, value FROM meta ORDER BY key", 2 },
  { "SELECT year, last FROM number_sequences ORDER BY year", 1 },
  { NOTIFICATIONS_SQL, 3 },
  { "SELECT resolve_seq, ticket, feedback_policy, resolver, resolve_time, attempts_allowed, "
    "spacing, next_attempt, earliest, due_time, ended_time, ending FROM feedback_tasks "
    "ORDER BY resolve_seq", 10 },
  { "SELECT seq, task, time, actor, outcome, rating, note FROM feedback_attempts ORDER BY seq",
    1 },
  { "SELECT feedback_policy, resolver, resolutions FROM feedback_counts "
    "ORDER BY feedback_policy, resolver", 1 },
  { "SELECT call, path, size, format, duration_ms, figures, note, scanned_at FROM recordings "
    "ORDER BY call", 2 },
};

static void
assert_moved (const char *file,
              const char *uri)
{
  for (guint i = 0; i < G_N_ELEMENTS (moved); i++)
    assert_same_rows (file, uri, moved[i].sql, moved[i].at_least);
}

/* @path answers the same on both servers. */
static void
assert_same_answer (SoupSession *session,
                    const char  *file_url,
                    const char  *file_token,
                    const char  *pg_url,
                    const char  *pg_token,
                    const char  *path)
{
  g_autofree char *on_file = NULL;
  g_autofree char *on_pg = NULL;
  guint status = 0;

  on_file = cd_test_request (session, file_url, "GET", path, file_token, NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  on_pg = cd_test_request (session, pg_url, "GET", path, pg_token, NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (strlen (on_file), >, 100);
  g_assert_cmpstr (on_pg, ==, on_file);
}

/* A small city with its accounts and an Open311 key, the tables that
 * are no events, in a file of its own: the demo's history and a few
 * things an owner adds. Returns the key. */
static char *
make_city (const char *path)
{
  static const char * const states[] = { "sent", "failed", "pending" };
  g_autoptr(CdDb) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *key = NULL;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", path, "--days", "1",
                                NULL), ==, 0);
  cd_test_add_user (path, "oper", "operator", NULL, PASSWORD);
  cd_test_add_user (path, "exec", "executor", "org-a", PASSWORD);
  cd_test_add_user (path, "gone", "supervisor", NULL, PASSWORD);
  cd_test_add_user (path, "super", "supervisor", NULL, PASSWORD);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "user", "agent", "--db", path, "--set", "1001",
                                "oper", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "user", "disable", "--db", path, "gone", NULL), ==,
                   0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "apikey", "add", "--db", path, "portal", NULL), ==,
                   0);
  key = g_strdup (g_strstrip (out));
  g_assert_cmpuint (strlen (key), >, 20);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "routing", "default", "--db", path, "zhes-3", NULL),
                   ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "routing", "set", "--db", path, "housing.cold_water",
                                "*", "vodokanal", NULL), ==, 0);
  /* Messages in each state the sender leaves them in, and two
   * recordings' rows, as a server's sender and scan write them. */
  file = cd_db_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *sql = g_strdup_printf (
          "INSERT INTO notifications (seq, ticket, kind, ticket_state, channel, key, state, "
          "attempts, next_try, last_error, created_at, sent_at) "
          "SELECT last_seq, id, 'closed', state, 'sms', 'm-' || id, '%s', %u, updated_at + 60, "
          "%s, updated_at, %s FROM tickets WHERE state = 'closed' ORDER BY id LIMIT 1 OFFSET %u",
          states[i], i + 1, g_str_equal (states[i], "failed") ? "'gateway said no'" : "NULL",
          g_str_equal (states[i], "sent") ? "updated_at + 5" : "NULL", i);

      cd_db_exec (file, sql, &error);
      g_assert_no_error (error);
    }
  cd_db_exec (file, "INSERT INTO recordings SELECT id, 'rec/' || id || '.wav', 48000, 'wav', "
              "3000, NULL, NULL, 1767225600 FROM calls ORDER BY id LIMIT 2", &error);
  g_assert_no_error (error);
  return g_steal_pointer (&key);
}

/* An Open311 request without a service: past the key, refused for what
 * it lacks (400); refused at the key (403) with a key that is not kept. */
static guint
open311_status (SoupSession *session,
                const char  *url,
                const char  *key)
{
  g_autofree char *body = g_strdup_printf ("{\"api_key\":\"%s\",\"lat\":53.9,\"long\":27.5}",
                                           key);
  g_autofree char *answer = NULL;
  guint status = 0;

  answer = cd_test_request (session, url, "POST", "/open311/v2/requests.json", NULL, NULL, body,
                            (gsize) -1, &status);
  return status;
}

/* The accounts and the Open311 key move with the journal: the file's
 * users log in on a server on PostgreSQL with their passwords, the key
 * works there; a second run changes nothing. */
static void
test_city (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("city");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "city.db", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autofree char *key = NULL;
  g_autofree char *token = NULL;
  g_autofree char *users = NULL;
  g_autofree char *sessions = NULL;
  g_autofree char *pg_notifications = NULL;
  g_autofree char *super = NULL;
  g_autofree char *file_super = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *number = NULL;
  g_autofree char *action_path = NULL;
  g_autofree char *answered = NULL;
  g_autofree char *resent = NULL;
  CdTestServer server = { 0 };
  CdTestServer file_server = { 0 };
  g_autoptr(CdDb) pg = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  gint64 n_events;

  if (uri == NULL)
    return;
  key = make_city (path);

  /* A comment the file's server answered: its answer is lost on the way
   * to the client, the city moves, and the client sends it again with
   * its key. */
  number = cd_test_db_value (path,
                             "SELECT number FROM tickets WHERE open = 1 ORDER BY number LIMIT 1");
  action_path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  cd_test_server_start (&file_server, path);
  token = cd_test_login (session, file_server.url, "oper", PASSWORD);
  answered = cd_test_request (session, file_server.url, "POST", action_path, token,
                              "move-resend-1", "{\"action\":\"comment\",\"note\":\"resent\"}",
                              (gsize) -1, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  cd_test_server_stop (&file_server);
  g_clear_pointer (&token, g_free);

  first = migrate_json (path, uri, "5000", 0);
  g_assert_true (json_object_get_boolean_member (first, "ok"));
  g_assert_cmpint (json_object_get_int_member (first, "users"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (first, "api_keys"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first, "idempotency_keys"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (first, "reference"), >, 10);
  g_assert_cmpint (json_object_get_int_member (first, "routing_rules"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (first, "settings"), >=, 2);
  g_assert_cmpint (json_object_get_int_member (first, "notifications"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (first, "feedback_tasks"), >, 10);
  g_assert_cmpint (json_object_get_int_member (first, "feedback_attempts"), >, 0);
  g_assert_cmpint (json_object_get_int_member (first, "recordings"), ==, 2);
  assert_moved (path, uri);
  pg_notifications = cd_test_db_rows (uri, NOTIFICATIONS_SQL);
  g_assert_nonnull (strstr (pg_notifications, "|sent|1|"));
  g_assert_nonnull (strstr (pg_notifications, "|failed|2|"));
  g_assert_nonnull (strstr (pg_notifications, "|pending|3|"));
  /* The next message queued there takes a number after the copied ones. */
  pg = cd_db_open (uri, &error);
  g_assert_no_error (error);
  cd_db_exec (pg, "INSERT INTO notifications (seq, ticket, kind, ticket_state, channel, key, "
              "next_try, created_at) VALUES (1, 'x', 'closed', 'closed', 'sms', 'next', 0, 0)",
              &error);
  g_assert_no_error (error);
  cd_db_exec (pg, "DELETE FROM notifications WHERE key = 'next'", &error);
  g_assert_no_error (error);
  g_clear_pointer (&pg, cd_db_close);
  users = cd_test_db_rows (uri, USERS_SQL);
  g_assert_nonnull (strstr (users, "|1001|"));
  g_assert_nonnull (strstr (users, "org-a"));

  /* The sessions stay behind: everyone logs in again, with the same
   * password; the disabled account stays disabled. */
  sessions = cd_test_db_rows (uri, "SELECT count(*) FROM sessions");
  g_assert_cmpstr (sessions, ==, "0|\n");
  cd_test_server_start (&server, uri);
  cd_test_server_start (&file_server, path);
  token = cd_test_login (session, server.url, "oper", PASSWORD);
  g_assert_nonnull (token);
  /* The comment sent again is answered as the first time, not made
   * twice. */
  n_events = count_events (uri);
  resent = cd_test_request (session, server.url, "POST", action_path, token, "move-resend-1",
                            "{\"action\":\"comment\",\"note\":\"resent\"}", (gsize) -1,
                            &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (resent, ==, answered);
  g_assert_cmpint (count_events (uri), ==, n_events);
  super = cd_test_login (session, server.url, "super", PASSWORD);
  file_super = cd_test_login (session, file_server.url, "super", PASSWORD);
  assert_same_answer (session, file_server.url, file_super, server.url, super,
                      "/api/v1/reference");
  assert_same_answer (session, file_server.url, file_super, server.url, super,
                      "/api/v1/notifications?limit=100");
  refused = cd_test_request (session, server.url, "POST", "/api/v1/login", NULL, NULL,
                             "{\"user\":\"gone\",\"password\":\"" PASSWORD "\"}", (gsize) -1,
                             &status);
  g_assert_cmpuint (status, >=, 400);
  g_assert_cmpuint (status, <, 500);
  g_assert_cmpuint (open311_status (session, server.url, key), ==, 400);
  g_assert_cmpuint (open311_status (session, server.url, "not-a-key"), ==, 403);
  cd_test_server_stop (&server);
  cd_test_server_stop (&file_server);
  assert_same_ctl (path, uri, "routing", "list");

  /* Run again: nothing is added, nothing changes. */
  second = migrate_json (path, uri, "5000", 0);
  g_assert_cmpint (json_object_get_int_member (second, "users"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "api_keys"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "idempotency_keys"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "reference"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "notifications"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "feedback_tasks"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (second, "recordings"), ==, 0);
  assert_moved (path, uri);

  /* The text output says the sessions stay behind. */
  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", path, "--to", uri, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "logs in again"));
  cd_test_server_clear (&server);
  cd_test_server_clear (&file_server);
  cd_test_pg_drop_database (uri);
}

/* A database holding another account of the same name is refused: its
 * accounts are left as they were, none of the file's added. */
static void
test_other_account (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("account");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "account.db", NULL);
  g_autofree char *key = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (uri == NULL)
    return;
  key = make_city (path);
  cd_test_add_user (uri, "exec", "executor", "org-b", "an0ther-password");
  before = cd_test_db_rows (uri, USERS_SQL);

  g_assert_cmpint (cd_test_ctl (&out, &err, "migrate", "--from", path, "--to", uri, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "users"));
  g_assert_nonnull (strstr (err, "“exec”"));
  after = cd_test_db_rows (uri, USERS_SQL);
  g_assert_cmpstr (after, ==, before);
  g_free (after);
  after = cd_test_db_rows (uri, "SELECT count(*) FROM api_keys");
  g_assert_cmpstr (after, ==, "0|\n");
  cd_test_pg_drop_database (uri);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrate-pg/errors", test_errors);
  g_test_add_func ("/migrate-pg/demo", test_demo);
  g_test_add_func ("/migrate-pg/resume", test_resume);
  g_test_add_func ("/migrate-pg/other-history", test_other_history);
  g_test_add_func ("/migrate-pg/city", test_city);
  g_test_add_func ("/migrate-pg/other-account", test_other_account);
  return g_test_run ();
}
