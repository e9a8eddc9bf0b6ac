// SPDX-License-Identifier: GPL-3.0-or-later
/* test-db.c: CdDb, the same statements on SQLite and on PostgreSQL */

#include "config.h"

#include <string.h>

#include "cd-db.h"
#include "cd-test.h"
#include "cd-test-pg.h"

static CdDb *
open_backend (CdDbBackend   backend,
              char        **pg_uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CdDb *db;

  *pg_uri = NULL;
  if (backend == CD_DB_BACKEND_POSTGRESQL)
    {
      if ((*pg_uri = cd_test_pg_new_database ("db")) == NULL)
        return NULL;
      db = cd_db_open (*pg_uri, &error);
    }
  else
    {
      path = g_build_filename (g_get_tmp_dir (), "db.sqlite", NULL);
      g_remove (path);
      db = cd_db_open (path, &error);
    }
  g_assert_no_error (error);
  g_assert_cmpint (cd_db_get_backend (db), ==, backend);
  g_assert_cmpstr (cd_db_backend_name (db), ==,
                   backend == CD_DB_BACKEND_SQLITE ? "sqlite" : "postgresql");
  return db;
}

static gint64
count_rows (CdDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDbStmt) stmt = cd_db_prepare (db, "SELECT count(*) FROM t", &error);

  g_assert_no_error (error);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
  return cd_db_column_int64 (stmt, 0);
}

/* One table of statements, run the same way on each backend. */
static void
test_statements (gconstpointer data)
{
  CdDbBackend backend = GPOINTER_TO_INT (data);
  static const guint8 blob[] = { 0, 1, 0xff, '\'', 0 };
  g_autofree char *uri = NULL;
  g_autoptr(CdDb) db = open_backend (backend, &uri);
  g_autoptr(CdDbStmt) insert = NULL;
  g_autoptr(CdDbStmt) select = NULL;
  g_autoptr(CdDbStmt) update = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *create = NULL;
  const guint8 *bytes;
  gsize size;

  if (db == NULL)
    return;

  create = g_strdup_printf ("CREATE TABLE t (id %s PRIMARY KEY, name TEXT, score %s, data %s)%s",
                            cd_db_dialect (db, CD_DB_DIALECT_INT64),
                            cd_db_dialect (db, CD_DB_DIALECT_DOUBLE),
                            cd_db_dialect (db, CD_DB_DIALECT_BLOB),
                            cd_db_dialect (db, CD_DB_DIALECT_TABLE_OPTIONS));
  g_assert_true (cd_db_exec (db, create, &error));
  g_assert_no_error (error);

  insert = cd_db_prepare (db, "INSERT INTO t (id, name, score, data) VALUES (?, ?, ?, ?)", &error);
  g_assert_no_error (error);
  cd_db_bind_int64 (insert, 1, G_GINT64_CONSTANT (1099511627777));
  cd_db_bind_text (insert, 2, "Ірина's ? “quote”");
  cd_db_bind_double (insert, 3, 0.1);
  cd_db_bind_blob (insert, 4, blob, sizeof blob);
  g_assert_cmpint (cd_db_step (insert, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);
  g_assert_cmpint (cd_db_changes (insert), ==, 1);

  cd_db_reset (insert);
  cd_db_bind_int64 (insert, 1, 2);
  cd_db_bind_null (insert, 2);
  cd_db_bind_text (insert, 3, NULL);
  cd_db_bind_null (insert, 4);
  g_assert_cmpint (cd_db_step (insert, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);

  /* A `?` inside a quoted string is text, not a parameter. */
  select = cd_db_prepare (db,
                          "SELECT id, name, score, data, '?1' FROM t WHERE id >= ?2 AND id < ?1 "
                          "ORDER BY id",
                          &error);
  g_assert_no_error (error);
  cd_db_bind_int64 (select, 1, G_GINT64_CONSTANT (1099511627778));
  cd_db_bind_int64 (select, 2, 1);
  g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_ROW);
  g_assert_cmpint (cd_db_column_count (select), ==, 5);
  g_assert_cmpint (cd_db_column_int64 (select, 0), ==, 2);
  g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_ROW);
  g_assert_cmpint (cd_db_column_int64 (select, 0), ==, G_GINT64_CONSTANT (1099511627777));
  g_assert_cmpstr (cd_db_column_text (select, 1), ==, "Ірина's ? “quote”");
  g_assert_cmpfloat (cd_db_column_double (select, 2), ==, 0.1);
  bytes = cd_db_column_blob (select, 3, &size);
  g_assert_cmpmem (bytes, size, blob, sizeof blob);
  g_assert_cmpstr (cd_db_column_text (select, 4), ==, "?1");
  g_assert_false (cd_db_column_is_null (select, 1));
  g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);

  /* The row with NULLs, read again after a reset. */
  cd_db_reset (select);
  cd_db_bind_int64 (select, 1, 3);
  cd_db_bind_int64 (select, 2, 2);
  g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_ROW);
  g_assert_true (cd_db_column_is_null (select, 1));
  g_assert_null (cd_db_column_text (select, 1));
  g_assert_true (cd_db_column_is_null (select, 2));
  g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_DONE);

  update = cd_db_prepare (db, "UPDATE t SET name = ?1 WHERE id > 0", &error);
  g_assert_no_error (error);
  cd_db_bind_text (update, 1, "x");
  g_assert_cmpint (cd_db_step (update, &error), ==, CD_DB_DONE);
  g_assert_cmpint (cd_db_changes (update), ==, 2);

  /* A transaction rolled back leaves nothing; one committed stays. */
  g_assert_true (cd_db_begin_write (db, &error));
  g_assert_true (cd_db_exec (db, "INSERT INTO t (id) VALUES (3)", &error));
  cd_db_rollback (db);
  g_assert_cmpint (count_rows (db), ==, 2);
  g_assert_true (cd_db_begin (db, &error));
  g_assert_true (cd_db_exec (db, "INSERT INTO t (id) VALUES (3)", &error));
  g_assert_true (cd_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db), ==, 3);

  /* Errors are classed alike. */
  g_assert_false (cd_db_exec (db, "INSERT INTO t (id) VALUES (3)", &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  cd_db_reset (insert);
  cd_db_bind_int64 (insert, 1, 3);
  g_assert_cmpint (cd_db_step (insert, &error), ==, CD_DB_FAILED);
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  g_assert_null (cd_db_prepare (db, "SELEKT 1", &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL);
  g_clear_error (&error);

  /* No bytes are not NULL. */
  cd_db_reset (insert);
  cd_db_bind_int64 (insert, 1, 5);
  cd_db_bind_blob (insert, 4, NULL, 0);
  g_assert_cmpint (cd_db_step (insert, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);
  g_clear_pointer (&select, cd_db_stmt_free);
  select = cd_db_prepare (db, "SELECT data IS NULL, length(data) FROM t WHERE id = ?", &error);
  g_assert_no_error (error);
  cd_db_bind_int64 (select, 1, 5);
  g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_ROW);
  g_assert_cmpint (cd_db_column_int64 (select, 0), ==, 0);
  g_assert_cmpint (cd_db_column_int64 (select, 1), ==, 0);

  /* Named parameters, one name used twice, beside a numbered one; a
   * case-blind match; texts in the order of their bytes. */
  g_clear_pointer (&select, cd_db_stmt_free);
  {
    g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM t WHERE id < ?1 AND id >= :low AND id > :low - 1 "
        "AND 'Lenin St' %s :pattern AND ':not' = ':not'",
        cd_db_dialect (db, CD_DB_DIALECT_LIKE_NOCASE));

    select = cd_db_prepare (db, sql, &error);
    g_assert_no_error (error);
    g_assert_cmpint (cd_db_parameter_index (select, ":low"), ==, 2);
    g_assert_cmpint (cd_db_parameter_index (select, ":pattern"), ==, 3);
    g_assert_cmpint (cd_db_parameter_index (select, ":not"), ==, 0);
    cd_db_bind_int64 (select, 1, G_GINT64_CONSTANT (1) << 50);
    cd_db_bind_int64 (select, cd_db_parameter_index (select, ":low"), 0);
    cd_db_bind_text (select, cd_db_parameter_index (select, ":pattern"), "%lenin%");
    g_assert_cmpint (cd_db_step (select, &error), ==, CD_DB_ROW);
    g_assert_no_error (error);
    g_assert_cmpint (cd_db_column_int64 (select, 0), ==, count_rows (db));
  }
  g_clear_pointer (&select, cd_db_stmt_free);
  {
    g_autofree char *sql = g_strdup_printf (
        "SELECT v FROM (SELECT 'b' AS v UNION ALL SELECT 'B' UNION ALL SELECT 'a') AS x "
        "ORDER BY v%s",
        cd_db_dialect (db, CD_DB_DIALECT_BINARY_ORDER));
    g_autoptr(GString) order = g_string_new (NULL);

    select = cd_db_prepare (db, sql, &error);
    g_assert_no_error (error);
    while (cd_db_step (select, &error) == CD_DB_ROW)
      g_string_append (order, cd_db_column_text (select, 0));
    g_assert_no_error (error);
    g_assert_cmpstr (order->str, ==, "Bab");
  }

  g_clear_pointer (&insert, cd_db_stmt_free);
  g_clear_pointer (&select, cd_db_stmt_free);
  g_clear_pointer (&update, cd_db_stmt_free);
  g_clear_pointer (&db, cd_db_close);
  if (uri != NULL)
    cd_test_pg_drop_database (uri);
}

static void
test_rewrite (void)
{
  g_autofree char *a = cd_db_rewrite_params ("SELECT ?, ?3, ? -- what?\n, 'a?', \"b?\" FROM t");
  g_autofree char *b = cd_db_rewrite_params ("INSERT INTO t VALUES (?2, ?1, ?10)");

  g_assert_cmpstr (a, ==, "SELECT $1, $3, $4 -- what?\n, 'a?', \"b?\" FROM t");
  g_assert_cmpstr (b, ==, "INSERT INTO t VALUES ($2, $1, $10)");
}

static void
test_redact (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "postgresql://u:s3cret@db.example/city", "postgresql://u:***@db.example/city" },
    { "postgres:///city?host=/run&password=s3cret&user=u",
      "postgres:///city?host=/run&password=***&user=u" },
    { "postgresql://u@db/city?sslmode=require", "postgresql://u@db/city?sslmode=require" },
    { "postgresql://u:p@ss@db/city", "postgresql://u:***@db/city" },
    { "city.db", "city.db" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cd_db_redact (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_true (cd_db_is_uri ("postgres://x"));
  g_assert_false (cd_db_is_uri ("/var/lib/citydesk/city.db"));
}

/* Connection errors: clear, naming the host and database, never the
 * password. */
static void
test_connect_errors (void)
{
  const char *base = g_getenv ("CITYDESK_TEST_PG");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) admin = NULL;
  g_autoptr(CdDb) db = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *right = NULL;
  g_autofree char *missing = NULL;

  g_assert_null (cd_db_open ("postgresql://u:s3cret@[::1/city", &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_URI);
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);

  missing = g_build_filename (g_get_tmp_dir (), "no-server", NULL);
  wrong = g_strdup_printf ("postgresql:///city?host=%s&password=s3cret", missing);
  g_assert_null (cd_db_open (wrong, &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "“city”"));
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_null (strstr (error->message, "s3cret"));
  g_clear_error (&error);

  if (base == NULL || *base == '\0')
    {
      g_test_skip ("CITYDESK_TEST_PG is not set: no PostgreSQL for a wrong password");
      return;
    }
  /* build-aux/with-postgresql asks this role, and only it, for a
   * password. */
  admin = cd_db_open (base, &error);
  g_assert_no_error (error);
  cd_db_exec (admin,
              "DO $$ BEGIN CREATE ROLE citydesk_password LOGIN PASSWORD 'right-horse';"
              " EXCEPTION WHEN duplicate_object THEN NULL; END $$",
              &error);
  g_assert_no_error (error);
  g_free (wrong);
  wrong = g_strdup_printf ("%s&user=citydesk_password&password=battery-staple", base);
  /* The last user= wins in libpq's URI query: the same as naming it. */
  g_assert_null (cd_db_open (wrong, &error));
  g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "citydesk_password"));
  g_assert_nonnull (strstr (error->message, "“citydesk”"));
  g_assert_null (strstr (error->message, "battery-staple"));
  g_clear_error (&error);

  right = g_strdup_printf ("%s&user=citydesk_password&password=right-horse", base);
  db = cd_db_open (right, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (cd_db_get_location (db), "right-horse"));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/db/sqlite/statements", GINT_TO_POINTER (CD_DB_BACKEND_SQLITE),
                        test_statements);
  g_test_add_data_func ("/db/postgresql/statements",
                        GINT_TO_POINTER (CD_DB_BACKEND_POSTGRESQL), test_statements);
  g_test_add_func ("/db/rewrite-params", test_rewrite);
  g_test_add_func ("/db/redact", test_redact);
  g_test_add_func ("/db/postgresql/connect-errors", test_connect_errors);
  return g_test_run ();
}
