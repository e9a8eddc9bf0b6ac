// SPDX-License-Identifier: GPL-3.0-or-later
/* test-journal-pg.c: the journal's guarantees on PostgreSQL: numbered
 * migrations, a gap-free sequence under concurrent writers, a valid chain,
 * append-only by the database's triggers and grants, an edit found */

#include "config.h"

#include <string.h>

#include "cd-journal-db.h"
#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-pg.h"

#define N_WRITERS 8
#define N_TRANSACTIONS 15
#define N_PER_TRANSACTION 3

static CdDb *
open_migrated (const char *uri)
{
  g_autoptr(GError) error = NULL;
  CdDb *db = cd_db_open (uri, &error);
  int version = 0;

  g_assert_no_error (error);
  g_assert_true (cd_journal_db_migrate (db, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, cd_journal_db_latest_version ());
  return db;
}

static CdEvent *
make_event (int writer,
            int i)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *entity = g_strdup_printf ("00000000-0000-4000-8000-%012d", writer);
  g_autofree char *actor = g_strdup_printf ("writer-%d", writer);

  json_object_set_string_member (payload, "note", "Тест");
  json_object_set_int_member (payload, "i", i);
  return cd_event_new (entity, "comment", actor, "operator", 1767225600 + i, payload);
}

static gint64
query_int (CdDb       *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDbStmt) stmt = cd_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
  return cd_db_column_int64 (stmt, 0);
}

static void
test_migrations (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("migrations");
  g_autoptr(CdDb) db = NULL;
  g_autoptr(CdDb) again = NULL;
  g_autoptr(GError) error = NULL;

  if (uri == NULL)
    return;
  db = open_migrated (uri);
  /* A second run (another process starting) finds nothing to do. */
  again = open_migrated (uri);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM citydesk_schema"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT version FROM citydesk_schema"), ==,
                   cd_journal_db_latest_version ());
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, 0);

  /* A database of a later schema than this program knows is refused. */
  g_assert_true (cd_db_exec (db, "UPDATE citydesk_schema SET version = version + 1", &error));
  g_assert_false (cd_journal_db_migrate (again, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "newer"));

  g_clear_pointer (&db, cd_db_close);
  g_clear_pointer (&again, cd_db_close);
  cd_test_pg_drop_database (uri);
}

typedef struct
{
  const char *uri;
  int         writer;
} Writer;

static gpointer
write_events (gpointer data)
{
  Writer *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (w->uri, &error);

  g_assert_no_error (error);
  for (int t = 0; t < N_TRANSACTIONS; t++)
    {
      CdEvent *events[N_PER_TRANSACTION];

      for (int i = 0; i < N_PER_TRANSACTION; i++)
        events[i] = make_event (w->writer, t * N_PER_TRANSACTION + i);
      g_assert_true (cd_journal_db_append (db, events, N_PER_TRANSACTION, &error));
      g_assert_no_error (error);
      /* A transaction's events are consecutive: the lock held them together. */
      for (int i = 1; i < N_PER_TRANSACTION; i++)
        g_assert_cmpint (events[i]->seq, ==, events[i - 1]->seq + 1);
      for (int i = 0; i < N_PER_TRANSACTION; i++)
        cd_event_unref (events[i]);
    }
  return NULL;
}

static void
test_concurrent_writers (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("writers");
  g_autoptr(CdDb) db = NULL;
  g_autoptr(GError) error = NULL;
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  const gint64 total = N_WRITERS * N_TRANSACTIONS * N_PER_TRANSACTION;
  gint64 checked = 0, bad = -1;
  gint64 start;

  if (uri == NULL)
    return;
  db = open_migrated (uri);
  start = g_get_monotonic_time ();
  for (int i = 0; i < N_WRITERS; i++)
    {
      writers[i] = (Writer) { uri, i };
      threads[i] = g_thread_new ("writer", write_events, &writers[i]);
    }
  for (int i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  /* A figure for the log, never asserted. */
  g_test_message ("%d writers: %.0f transactions of %d events a second", N_WRITERS,
                  N_WRITERS * N_TRANSACTIONS * 1e6 / MAX (g_get_monotonic_time () - start, 1),
                  N_PER_TRANSACTION);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, total);
  g_assert_cmpint (query_int (db, "SELECT min(seq) FROM events"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT max(seq) FROM events"), ==, total);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT actor) FROM events"), ==, N_WRITERS);
  g_assert_true (cd_journal_db_verify (db, &checked, &bad, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checked, ==, total);
  g_assert_cmpint (bad, ==, 0);

  g_clear_pointer (&db, cd_db_close);
  cd_test_pg_drop_database (uri);
}

static void
append_some (CdDb *db,
             int   n)
{
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < n; i++)
    {
      g_autoptr(CdEvent) event = make_event (0, i);

      g_assert_true (cd_journal_db_append (db, &event, 1, &error));
      g_assert_no_error (error);
    }
}

static void
assert_refused (CdDb       *db,
                const char *sql,
                int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cd_db_exec (db, sql, &error));
  g_assert_error (error, CD_DB_ERROR, code);
}

static void
test_append_only (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("appendonly");
  g_autofree char *grant_uri = NULL;
  g_autoptr(CdDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = g_strdup_printf ("cd_server_%d", (int) getpid ());
  g_autofree char *sql = NULL;
  gint64 checked = 0, bad = 0;

  if (uri == NULL)
    return;
  db = open_migrated (uri);
  append_some (db, 5);

  /* Even the tables' owner, a superuser here, cannot change history
   * through the triggers. */
  assert_refused (db, "UPDATE events SET actor = 'mallory' WHERE seq = 2", CD_DB_ERROR_CONSTRAINT);
  assert_refused (db, "DELETE FROM events WHERE seq = 5", CD_DB_ERROR_CONSTRAINT);
  assert_refused (db, "TRUNCATE events", CD_DB_ERROR_CONSTRAINT);
  /* Nor insert past the head (a gap) or at a number taken. */
  assert_refused (db,
                  "INSERT INTO events (seq, entity, type, actor, role, time, payload, hash) "
                  "SELECT 7, entity, type, actor, role, time, payload, hash FROM events "
                  "WHERE seq = 5",
                  CD_DB_ERROR_CONSTRAINT);
  assert_refused (db,
                  "INSERT INTO events (seq, entity, type, actor, role, time, payload, hash) "
                  "SELECT 5, entity, type, actor, role, time, payload, hash FROM events "
                  "WHERE seq = 5",
                  CD_DB_ERROR_CONSTRAINT);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM events"), ==, 5);

  /* The server's role: SELECT and INSERT, no more, triggers or not. */
  sql = g_strdup_printf ("DROP ROLE IF EXISTS %s; CREATE ROLE %s", role, role);
  g_assert_true (cd_db_exec (db, sql, &error));
  g_assert_true (cd_journal_db_grant (db, role, &error));
  g_assert_no_error (error);
  g_free (sql);
  sql = g_strdup_printf ("SET ROLE %s", role);
  g_assert_true (cd_db_exec (db, sql, &error));
  append_some (db, 2);
  assert_refused (db, "UPDATE events SET actor = 'mallory' WHERE seq = 2", CD_DB_ERROR_PERMISSION);
  assert_refused (db, "DELETE FROM events", CD_DB_ERROR_PERMISSION);
  assert_refused (db, "TRUNCATE events", CD_DB_ERROR_PERMISSION);
  assert_refused (db, "ALTER TABLE events DISABLE TRIGGER events_no_update",
                  CD_DB_ERROR_PERMISSION);
  g_assert_true (cd_db_exec (db, "RESET ROLE", &error));
  g_assert_no_error (error);
  g_assert_false (cd_journal_db_grant (db, "x; DROP TABLE events", &error));
  g_clear_error (&error);

  g_assert_true (cd_journal_db_verify (db, &checked, &bad, &error));
  g_assert_cmpint (checked, ==, 7);

  g_free (sql);
  /* Its grants reach past the journal: dropped with what it owns. */
  sql = g_strdup_printf ("DROP OWNED BY %s; DROP ROLE %s", role, role);
  g_assert_true (cd_db_exec (db, sql, &error));
  g_assert_no_error (error);
  g_clear_pointer (&db, cd_db_close);
  cd_test_pg_drop_database (uri);
}

/* A superuser can bypass the triggers; the chain still shows the edit,
 * through the library and through citydeskctl verify. */
static void
test_tampered (void)
{
  g_autofree char *uri = cd_test_pg_new_database ("tampered");
  g_autoptr(CdDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 checked = 0, bad = 0;

  if (uri == NULL)
    return;
  db = open_migrated (uri);
  append_some (db, 9);
  g_assert_true (cd_test_ctl (&out, NULL, "verify", "--db", uri, NULL) == 0);
  g_assert_nonnull (strstr (out, "9 events checked"));
  g_clear_pointer (&out, g_free);

  g_assert_true (cd_db_exec (db,
                             "SET session_replication_role = replica;"
                             "UPDATE events SET payload = '{\"note\":\"edited\"}' WHERE seq = 4;"
                             "SET session_replication_role = origin",
                             &error));
  g_assert_no_error (error);

  g_assert_false (cd_journal_db_verify (db, &checked, &bad, &error));
  g_assert_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH);
  g_assert_cmpint (bad, ==, 4);
  g_assert_cmpint (checked, ==, 3);

  g_assert_cmpint (cd_test_ctl (&out, NULL, "verify", "--db", uri, "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (out, "\"first_bad\" : 4"));

  g_clear_pointer (&db, cd_db_close);
  cd_test_pg_drop_database (uri);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/journal-pg/migrations", test_migrations);
  g_test_add_func ("/journal-pg/concurrent-writers", test_concurrent_writers);
  g_test_add_func ("/journal-pg/append-only", test_append_only);
  g_test_add_func ("/journal-pg/tampered", test_tampered);
  return g_test_run ();
}
