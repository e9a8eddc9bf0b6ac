// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-pg.h: a PostgreSQL database of the test's own, on the throwaway
 * cluster build-aux/with-postgresql starts (CITYDESK_TEST_PG), and what
 * the tests read from a database of either backend */
#pragma once

#include <unistd.h>

#include "cd-db.h"

/* Every row @sql reads from @location (a file or a URI), its columns as
 * text separated by '|', a line each ("NULL" for NULL). */
static inline char *
cd_test_db_rows (const char *location,
                 const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  CdDbStep step;

  g_assert_no_error (error);
  stmt = cd_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  while ((step = cd_db_step (stmt, &error)) == CD_DB_ROW)
    {
      for (int i = 0; i < cd_db_column_count (stmt); i++)
        g_string_append_printf (out, "%s|", cd_db_column_is_null (stmt, i)
                                              ? "NULL" : cd_db_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (step, ==, CD_DB_DONE);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The first column of the one row @sql reads from @location, as text. */
static inline char *
cd_test_db_value (const char *location,
                  const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);
  g_autoptr(CdDbStmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = cd_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_ROW);
  return g_strdup (cd_db_column_text (stmt, 0));
}

/* The URI of @base with its database named @name instead. */
static inline char *
cd_test_pg_uri_for (const char *base,
                    const char *name)
{
  const char *path = strchr (strstr (base, "://") + 3, '/');
  const char *query = path != NULL ? strchr (path, '?') : NULL;

  g_assert_nonnull (path);
  return g_strdup_printf ("%.*s/%s%s", (int) (path - base), base, name,
                          query != NULL ? query : "");
}

/* A new empty database named after the test and @tag, dropped first if a
 * run before left it; %NULL, the test skipped, without a cluster. */
static inline char *
cd_test_pg_new_database (const char *tag)
{
  const char *base = g_getenv ("CITYDESK_TEST_PG");
  g_autoptr(CdDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sql = NULL;

  if (base == NULL || *base == '\0')
    {
      g_test_skip ("CITYDESK_TEST_PG is not set: no PostgreSQL to test on "
                   "(build-aux/run-tests starts one)");
      return NULL;
    }
  name = g_strdup_printf ("t_%s_%d", tag, (int) getpid ());
  admin = cd_db_open (base, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  cd_db_exec (admin, sql, &error);
  g_assert_no_error (error);
  g_free (sql);
  sql = g_strdup_printf ("CREATE DATABASE %s", name);
  cd_db_exec (admin, sql, &error);
  g_assert_no_error (error);
  return cd_test_pg_uri_for (base, name);
}

/* Drops the database of @uri, whoever is still connected. */
static inline void
cd_test_pg_drop_database (const char *uri)
{
  const char *base = g_getenv ("CITYDESK_TEST_PG");
  const char *path = strchr (strstr (uri, "://") + 3, '/') + 1;
  g_autoptr(CdDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("DROP DATABASE %.*s WITH (FORCE)", (int) strcspn (path, "?"), path);
  admin = cd_db_open (base, &error);
  g_assert_no_error (error);
  cd_db_exec (admin, sql, &error);
  g_assert_no_error (error);
}
