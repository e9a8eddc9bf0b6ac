// SPDX-License-Identifier: GPL-3.0-or-later
/* test-db-deferred.c: statements deferred to the commit
 * (cd_db_step_deferred(): PostgreSQL's pipeline mode) and the statements
 * a connection keeps prepared, on both backends */

#include "config.h"

#include <string.h>

#include "cd-db.h"
#include "cd-test.h"
#include "cd-test-pg.h"

static CdDb *
open_backend (CdDbBackend   backend,
              char        **location)
{
  g_autoptr(GError) error = NULL;
  CdDb *db;

  if (backend == CD_DB_BACKEND_POSTGRESQL)
    {
      if ((*location = cd_test_pg_new_database ("deferred")) == NULL)
        return NULL;
    }
  else
    {
      g_autofree char *dir = g_dir_make_tmp ("citydesk-db-deferred-XXXXXX", &error);

      g_assert_no_error (error);
      *location = g_build_filename (dir, "db.sqlite", NULL);
    }
  db = cd_db_open (*location, &error);
  g_assert_no_error (error);
  g_assert_true (cd_db_exec (db, "CREATE TABLE t (n BIGINT PRIMARY KEY, s TEXT)", &error));
  g_assert_no_error (error);
  return db;
}

static void
drop_backend (CdDbBackend  backend,
              CdDb        *db,
              char        *location)
{
  cd_db_close (db);
  if (backend == CD_DB_BACKEND_POSTGRESQL)
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
  g_free (location);
}

static gint64
count_rows (CdDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDbStmt) stmt = cd_db_prepare (db, "SELECT count(*) FROM t", &error);

  g_assert_no_error (error);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
  g_assert_no_error (error);
  return cd_db_column_int64 (stmt, 0);
}

/* Inserts @n deferred: %FALSE with @error when that, or an earlier
 * deferred statement, failed. */
static gboolean
insert (CdDb    *db,
        gint64   n,
        GError **error)
{
  g_autoptr(CdDbStmt) stmt = cd_db_prepare (db, "INSERT INTO t (n, s) VALUES (?1, ?2)", error);
  g_autofree char *text = g_strdup_printf ("row %" G_GINT64_FORMAT, n);

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, n);
  cd_db_bind_text (stmt, 2, text);
  return cd_db_step_deferred (stmt, error);
}

/* Another text, so that it is prepared where it is first used. */
static gboolean
insert_other (CdDb    *db,
              gint64   n,
              GError **error)
{
  g_autoptr(CdDbStmt) stmt = cd_db_prepare (db, "INSERT INTO t (s, n) VALUES ('other', ?1)",
                                            error);

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, n);
  return cd_db_step_deferred (stmt, error);
}

static void
test_deferred (gconstpointer data)
{
  CdDbBackend backend = GPOINTER_TO_INT (data);
  gboolean pg = backend == CD_DB_BACKEND_POSTGRESQL;
  g_autoptr(GError) error = NULL;
  char *location = NULL;
  CdDb *db = open_backend (backend, &location);

  if (db == NULL)
    return;

  /* Deferred statements commit with the transaction. */
  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 1, &error));
  g_assert_true (insert (db, 2, &error));
  g_assert_true (cd_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db), ==, 2);

  /* A failure mid-batch: PostgreSQL tells it at the commit, SQLite at
   * once; either way with the failing statement's own error (not the
   * skipped ones'), and nothing of the transaction remains. */
  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 3, &error));
  if (pg)
    {
      g_assert_true (insert (db, 1, &error));
      g_assert_true (insert (db, 4, &error));
      g_assert_false (cd_db_commit (db, &error));
    }
  else
    {
      g_assert_false (insert (db, 1, &error));
      cd_db_rollback (db);
    }
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
  g_assert_true (strstr (error->message, "unique") != NULL ||
                 strstr (error->message, "UNIQUE") != NULL);
  g_clear_error (&error);
  g_assert_false (cd_db_in_transaction (db));
  g_assert_cmpint (count_rows (db), ==, 2);

  /* The connection is usable: the next transaction commits, and a
   * statement first prepared in the failed pipeline, which the server
   * skipped, is prepared again. */
  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 5, &error));
  if (pg)
    {
      g_assert_true (insert_other (db, 8, &error));
      g_assert_true (insert (db, 8, &error));
      g_assert_false (cd_db_commit (db, &error));
      g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
      g_clear_error (&error);
      g_assert_true (cd_db_begin_write (db, &error));
      g_assert_true (insert (db, 5, &error));
      g_assert_true (insert_other (db, 8, &error));
      g_assert_true (cd_db_commit (db, &error));
      g_assert_no_error (error);
      g_assert_cmpint (count_rows (db), ==, 4);
      g_assert_true (cd_db_exec (db, "DELETE FROM t WHERE n = 8", &error));
      g_assert_true (cd_db_begin_write (db, &error));
      g_assert_true (insert (db, 9, &error));
      g_assert_true (cd_db_commit (db, &error));
      g_assert_true (cd_db_exec (db, "DELETE FROM t WHERE n = 9", &error));
      g_assert_no_error (error);
      g_assert_cmpint (count_rows (db), ==, 3);
      goto usable;
    }
  g_assert_true (cd_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db), ==, 3);

usable:
  /* A statement that waits reports a deferred failure before it runs. */
  g_assert_true (cd_db_begin_write (db, &error));
  if (pg)
    {
      g_autoptr(CdDbStmt) stmt = NULL;

      g_assert_true (insert (db, 5, &error));
      stmt = cd_db_prepare (db, "SELECT count(*) FROM t", &error);
      g_assert_no_error (error);
      g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_FAILED);
    }
  else
    {
      g_assert_false (insert (db, 5, &error));
    }
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  cd_db_rollback (db);
  g_assert_cmpint (count_rows (db), ==, 3);

  /* A rollback drops what was deferred, failed or not. */
  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 6, &error));
  cd_db_rollback (db);
  g_assert_cmpint (count_rows (db), ==, 3);

  /* Outside a transaction, a deferred statement runs at once. */
  g_assert_true (insert (db, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db), ==, 4);
  g_assert_false (insert (db, 7, &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (db), ==, 4);

  drop_backend (backend, db, location);
}

/* A statement prepared in a transaction that rolls back stays usable:
 * PostgreSQL keeps it for the connection, whatever the transaction. */
static void
test_kept_statements (gconstpointer data)
{
  CdDbBackend backend = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  char *location = NULL;
  CdDb *db = open_backend (backend, &location);
  const char *sql = "SELECT s FROM t WHERE n = ?1";

  if (db == NULL)
    return;

  g_assert_true (insert (db, 1, &error));
  for (int round = 0; round < 3; round++)
    {
      g_autoptr(CdDbStmt) stmt = NULL;

      g_assert_true (cd_db_begin_write (db, &error));
      stmt = cd_db_prepare (db, sql, &error);
      g_assert_no_error (error);
      cd_db_bind_int64 (stmt, 1, 1);
      g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
      g_assert_cmpstr (cd_db_column_text (stmt, 0), ==, "row 1");
      cd_db_rollback (db);
    }

  /* Two statements of one text at once, each with its own values and
   * rows. */
  {
    g_autoptr(CdDbStmt) a = cd_db_prepare (db, sql, &error);
    g_autoptr(CdDbStmt) b = NULL;

    g_assert_true (insert (db, 2, &error));
    b = cd_db_prepare (db, sql, &error);
    g_assert_no_error (error);
    cd_db_bind_int64 (a, 1, 1);
    cd_db_bind_int64 (b, 1, 2);
    g_assert_cmpint (cd_db_step (a, &error), ==, CD_DB_ROW);
    g_assert_cmpint (cd_db_step (b, &error), ==, CD_DB_ROW);
    g_assert_cmpstr (cd_db_column_text (a, 0), ==, "row 1");
    g_assert_cmpstr (cd_db_column_text (b, 0), ==, "row 2");
  }

  /* A table that changes shape under a kept statement: it fails once,
   * then is prepared anew. */
  {
    g_autoptr(CdDbStmt) stmt = NULL;
    CdDbStep step;

    stmt = cd_db_prepare (db, "SELECT * FROM t WHERE n = ?1", &error);
    g_assert_no_error (error);
    cd_db_bind_int64 (stmt, 1, 1);
    g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
    g_clear_pointer (&stmt, cd_db_stmt_free);
    g_assert_true (cd_db_exec (db, "ALTER TABLE t ADD COLUMN extra TEXT", &error));
    g_assert_no_error (error);
    for (int round = 0; round < 2; round++)
      {
        stmt = cd_db_prepare (db, "SELECT * FROM t WHERE n = ?1", &error);
        g_assert_no_error (error);
        cd_db_bind_int64 (stmt, 1, 1);
        step = cd_db_step (stmt, &error);
        g_clear_pointer (&stmt, cd_db_stmt_free);
        if (step == CD_DB_ROW)
          break;
        g_assert_cmpint (step, ==, CD_DB_FAILED);
        g_clear_error (&error);
      }
    g_assert_cmpint (step, ==, CD_DB_ROW);
  }

  drop_backend (backend, db, location);
}

/* The write lock and a first query in one: its rows, the transaction
 * open; a query that fails leaves no transaction and a usable
 * connection. */
static void
test_begin_reading (gconstpointer data)
{
  CdDbBackend backend = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  char *location = NULL;
  CdDb *db = open_backend (backend, &location);

  if (db == NULL)
    return;
  g_assert_true (insert (db, 1, &error));
  g_assert_true (insert (db, 2, &error));

  for (int round = 0; round < 2; round++)
    {
      g_autoptr(CdDbStmt) stmt = NULL;

      stmt = cd_db_begin_write_reading (db, "SELECT n, s FROM t ORDER BY n DESC", &error);
      g_assert_no_error (error);
      g_assert_true (cd_db_in_transaction (db));
      g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
      g_assert_cmpint (cd_db_column_int64 (stmt, 0), ==, 2 + round);
      g_assert_cmpstr (cd_db_column_text (stmt, 1), ==, round == 0 ? "row 2" : "row 3");
      g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
      g_assert_cmpint (cd_db_column_int64 (stmt, 0), ==, 1 + round);
      if (round == 0)
        {
          g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_DONE);
          g_assert_true (insert (db, 3, &error));
          g_assert_true (cd_db_commit (db, &error));
        }
      else
        {
          cd_db_rollback (db);
        }
      g_assert_no_error (error);
    }

  /* A step while statements wait joins them: its rows see theirs. */
  {
    g_autoptr(CdDbStmt) stmt = NULL;

    g_assert_true (cd_db_begin_write (db, &error));
    g_assert_true (insert (db, 10, &error));
    g_assert_true (insert (db, 11, &error));
    stmt = cd_db_prepare (db, "SELECT count(*) FROM t WHERE n >= ?1", &error);
    g_assert_no_error (error);
    cd_db_bind_int64 (stmt, 1, 10);
    g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
    g_assert_cmpint (cd_db_column_int64 (stmt, 0), ==, 2);
    g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_DONE);
    cd_db_rollback (db);
    g_assert_no_error (error);
  }

  /* The database ended the session between two writes (a restart, a
   * failover): the next write's first round trip connects again. */
  if (backend == CD_DB_BACKEND_POSTGRESQL)
    {
      g_autoptr(CdDb) other = cd_db_open (location, &error);
      g_autoptr(CdDbStmt) pid = cd_db_prepare (db, "SELECT pg_backend_pid ()", &error);
      g_autoptr(CdDbStmt) kill = NULL;
      g_autoptr(CdDbStmt) stmt = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (cd_db_step (pid, &error), ==, CD_DB_ROW);
      kill = cd_db_prepare (other, "SELECT pg_terminate_backend (?1)", &error);
      g_assert_no_error (error);
      cd_db_bind_int64 (kill, 1, cd_db_column_int64 (pid, 0));
      g_assert_cmpint (cd_db_step (kill, &error), ==, CD_DB_ROW);
      g_clear_pointer (&kill, cd_db_stmt_free);
      g_clear_pointer (&pid, cd_db_stmt_free);
      stmt = cd_db_begin_write_reading (db, "SELECT count(*) FROM t", &error);
      g_assert_no_error (error);
      g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
      g_assert_cmpint (cd_db_column_int64 (stmt, 0), ==, 3);
      cd_db_rollback (db);
    }

  g_assert_null (cd_db_begin_write_reading (db, "SELECT missing FROM t", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (cd_db_in_transaction (db));
  g_assert_cmpint (count_rows (db), ==, 3);
  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 4, &error));
  g_assert_true (cd_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db), ==, 4);

  drop_backend (backend, db, location);
}

/* A notification deferred with the transaction's statements goes out
 * with its commit, never with its rollback. */
static void
test_notify_at_commit (void)
{
  g_autoptr(GError) error = NULL;
  char *location = NULL;
  CdDb *db = open_backend (CD_DB_BACKEND_POSTGRESQL, &location);
  g_autoptr(CdDb) listener = NULL;
  g_autofree char *payload = NULL;

  if (db == NULL)
    return;
  listener = cd_db_open (location, &error);
  g_assert_no_error (error);
  g_assert_true (cd_db_listen (listener, "deferred_test", &error));

  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 1, &error));
  g_assert_true (cd_db_notify (db, "deferred_test", "rolled back", &error));
  cd_db_rollback (db);

  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (insert (db, 2, &error));
  g_assert_true (cd_db_notify (db, "deferred_test", "committed", &error));
  g_assert_true (cd_db_commit (db, &error));
  g_assert_no_error (error);

  payload = cd_db_wait_notification (listener, 10000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (payload, ==, "committed");
  g_assert_cmpint (count_rows (db), ==, 1);

  g_clear_pointer (&listener, cd_db_close);
  drop_backend (CD_DB_BACKEND_POSTGRESQL, db, location);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/db-deferred/sqlite/deferred", GINT_TO_POINTER (CD_DB_BACKEND_SQLITE),
                        test_deferred);
  g_test_add_data_func ("/db-deferred/postgresql/deferred",
                        GINT_TO_POINTER (CD_DB_BACKEND_POSTGRESQL), test_deferred);
  g_test_add_data_func ("/db-deferred/sqlite/kept-statements",
                        GINT_TO_POINTER (CD_DB_BACKEND_SQLITE), test_kept_statements);
  g_test_add_data_func ("/db-deferred/postgresql/kept-statements",
                        GINT_TO_POINTER (CD_DB_BACKEND_POSTGRESQL), test_kept_statements);
  g_test_add_data_func ("/db-deferred/sqlite/begin-reading",
                        GINT_TO_POINTER (CD_DB_BACKEND_SQLITE), test_begin_reading);
  g_test_add_data_func ("/db-deferred/postgresql/begin-reading",
                        GINT_TO_POINTER (CD_DB_BACKEND_POSTGRESQL), test_begin_reading);
  g_test_add_func ("/db-deferred/postgresql/notify-at-commit", test_notify_at_commit);
  return g_test_run ();
}
