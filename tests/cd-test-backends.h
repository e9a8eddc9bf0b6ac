// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-backends.h: a test case run once on a SQLite file and once on
 * PostgreSQL (a database of its own on the throwaway cluster; skipped
 * without CITYDESK_TEST_PG), through the same store API */
#pragma once

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
