// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-pg.h: a PostgreSQL database of the test's own, on the throwaway
 * cluster build-aux/with-postgresql starts (CITYDESK_TEST_PG) */
#pragma once

#include <unistd.h>

#include "cd-db.h"

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
