// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "cd-store.h"
#include "cd-test.h"
#include "cd-test-sql.h"

static char *
temp_path (const char *name)
{
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static char *
pragma_text (const char *path,
             const char *sql)
{
  char *value = cd_test_sql_text (path, sql);

  g_assert_nonnull (value);
  return value;
}

static void
test_open_creates (void)
{
  g_autofree char *path = temp_path ("new.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autofree char *mode = NULL;
  GStatBuf st;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  g_assert_cmpint (cd_store_get_schema_version (store), ==, cd_store_get_latest_version ());
  g_assert_cmpint (cd_store_get_latest_version (), >=, 1);

  /* Residents' personal data: nobody but the user may read the file. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  mode = pragma_text (path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
}

static void
test_reopen_keeps_data (void)
{
  g_autofree char *path = temp_path ("reopen.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  {
    g_autoptr(CdStore) store = cd_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (cd_store_set_meta (store, "sync-cursor", "41", &error));
    g_assert_no_error (error);
    g_assert_true (cd_store_set_meta (store, "sync-cursor", "42", &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr(CdStore) store = cd_store_open (path, &error);

    g_assert_no_error (error);
    value = cd_store_get_meta (store, "sync-cursor", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (value, ==, "42");

    g_assert_null (cd_store_get_meta (store, "missing", &error));
    g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  }
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_path ("garbage.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autofree char *garbage = g_strnfill (8192, 'x');

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));

  store = cd_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE);
  g_assert_nonnull (strstr (error->message, path));

  /* Nothing was written over what the user had. */
  {
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, garbage);
  }
}

static void
test_too_new (void)
{
  g_autofree char *path = temp_path ("future.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d",
                                          cd_store_get_latest_version () + 1);
  sqlite3 *db = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = cd_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_TOO_NEW);
}

static void
test_unwritable_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;

  store = cd_store_open ("/nonexistent/directory/cache.db", &error);
  g_assert_null (store);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/store/open-creates", test_open_creates);
  g_test_add_func ("/store/reopen-keeps-data", test_reopen_keeps_data);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/too-new", test_too_new);
  g_test_add_func ("/store/unwritable-directory", test_unwritable_directory);

  return g_test_run ();
}
