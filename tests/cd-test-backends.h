// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-backends.h: a test case run once on a SQLite file and once on
 * PostgreSQL (a database of its own on the throwaway cluster; skipped
 * without CITYDESK_TEST_PG), through the same store API */
#pragma once

#include <string.h>

#include "cd-journal-db.h"
#include "cd-store.h"
#include "cd-test-pg.h"

typedef struct
{
  const char *name;
  gboolean    postgresql;
} CdTestBackend;

static const CdTestBackend cd_test_backends[] = {
  { "sqlite", FALSE },
  { "postgresql", TRUE },
};

/* A new empty database of @backend, or %NULL with the test skipped. */
static inline char *
cd_test_backend_new_location (const CdTestBackend *backend,
                              const char          *tag)
{
  if (backend->postgresql)
    return cd_test_pg_new_database (tag);
  return g_build_filename (g_get_tmp_dir (), tag, NULL);
}

static inline void
cd_test_backend_drop_location (const CdTestBackend *backend,
                               const char          *location)
{
  if (backend->postgresql)
    cd_test_pg_drop_database (location);
}

static inline CdStore *
cd_test_backend_open_store (const char *location)
{
  g_autoptr(GError) error = NULL;
  CdStore *store = cd_store_open (location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* Adds @func once per backend, as "@prefix/BACKEND/@name". */
static inline void
cd_test_backends_add (const char    *prefix,
                      const char    *name,
                      GTestDataFunc  func)
{
  for (guint i = 0; i < G_N_ELEMENTS (cd_test_backends); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/%s", prefix,
                                               cd_test_backends[i].name, name);

      g_test_add_data_func (path, &cd_test_backends[i], func);
    }
}

/* Creates the login role @role on @location's cluster with the server's
 * grants on @location's tables (cd_journal_db_grant()).
 *
 * Returns: (transfer full): @location's URI, connecting as @role */
static inline char *
cd_test_pg_grant_server_role (const char *location,
                              const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (location, &error);
  g_autofree char *sql = g_strdup_printf ("DROP ROLE IF EXISTS %s; CREATE ROLE %s LOGIN", role,
                                          role);

  g_assert_no_error (error);
  g_assert_true (cd_db_exec (db, sql, &error));
  g_assert_no_error (error);
  g_assert_true (cd_journal_db_grant (db, role, &error));
  g_assert_no_error (error);
  return g_strdup_printf ("%s%suser=%s", location, strchr (location, '?') ? "&" : "?", role);
}

/* Each of the @n statements of @sql, run as the role of @as_role, is
 * refused for want of rights. */
static inline void
cd_test_pg_assert_refused (const char         *as_role,
                           const char * const *sql,
                           gsize               n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (as_role, &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_false (cd_db_exec (db, sql[i], &error));
      g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_PERMISSION);
      g_clear_error (&error);
    }
}

/* Drops the role @role, once the databases it was granted on are gone. */
static inline void
cd_test_pg_drop_role (const char *role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdDb) db = cd_db_open (g_getenv ("CITYDESK_TEST_PG"), &error);
  g_autofree char *sql = g_strdup_printf ("DROP ROLE %s", role);

  g_assert_no_error (error);
  g_assert_true (cd_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

/* Drops @location's database, then the role @role granted there. */
static inline void
cd_test_pg_drop_with_role (const char *location,
                           const char *role)
{
  cd_test_pg_drop_database (location);
  cd_test_pg_drop_role (role);
}
