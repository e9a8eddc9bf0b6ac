// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl import queue-log (the real binary, CITYDESK_CTL) into a real
// SQLite file: calls journaled once each, a second import adds nothing, a
// bad line is named by its number, the caller's number is kept apart from
// the payload, and `citydeskctl verify` passes.

#include "config.h"

#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-sql.h"

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "queue-log", name, NULL);
}

static char *
new_db (void)
{
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  return g_build_filename (g_get_user_cache_dir (), "calls.db", NULL);
}

static gint64
sql_int (const char *db,
         const char *sql)
{
  g_autofree char *text = cd_test_sql_text (db, sql);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static void
assert_verifies (const char *db)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = cd_test_ctl (&out, &err, "verify", "--db", db, NULL);

  g_test_message ("verify: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
}

static void
test_twice (void)
{
  g_autofree char *db = new_db ();
  g_autofree char *path = data_path ("every-verb.log");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *personal = NULL;
  int status;

  status = cd_test_ctl (&out, &err, "import", "queue-log", "--db", db, path, NULL);
  g_test_message ("%d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Imported 9 calls, 0 already in the journal"));
  g_assert_nonnull (strstr (out, "skipped 1 lines"));
  g_assert_nonnull (strstr (out, "3 calls still open (2 waiting, 1 talking)"));
  g_assert_nonnull (strstr (err, "line 39"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM events WHERE type = 'call'"), ==, 9);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls"), ==, 9);
  g_assert_cmpint (sql_int (db, "SELECT count(DISTINCT entity) FROM events"), ==, 9);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls WHERE outcome = 'abandoned'"), ==, 1);
  g_assert_cmpint (sql_int (db, "SELECT rings FROM calls WHERE pbx_id = '1767250010.1'"), ==, 2);
  assert_verifies (db);

  /* The caller's number: in the salted personal text, not the payload. */
  payload = cd_test_sql_text (db, "SELECT payload FROM events WHERE seq = 1");
  personal = cd_test_sql_text (db, "SELECT personal FROM events WHERE seq = 1");
  g_assert_null (strstr (payload, "+375291234567"));
  g_assert_nonnull (strstr (personal, "+375291234567"));
  g_assert_nonnull (strstr (personal, "\"salt\""));

  status = cd_test_ctl (&out2, &err2, "import", "queue-log", "--db", db, "--format", "flat",
                        path, NULL);
  g_test_message ("%d\n%s%s", status, out2, err2);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out2, "Imported 0 calls, 9 already in the journal"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM events"), ==, 9);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls"), ==, 9);
  assert_verifies (db);
}

static void
test_csv_and_restart (void)
{
  g_autofree char *db = new_db ();
  g_autofree char *csv = data_path ("realtime.csv");
  g_autofree char *restart = data_path ("restart.log");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  int status;

  g_remove (db);
  status = cd_test_ctl (&out, &err, "import", "queue-log", "--db", db, csv, NULL);
  g_test_message ("%d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Imported 3 calls"));
  g_assert_nonnull (strstr (err, "line 10"));

  status = cd_test_ctl (&out2, &err2, "import", "queue-log", "--db", db, restart, NULL);
  g_test_message ("%d\n%s%s", status, out2, err2);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out2, "Imported 5 calls"));
  g_assert_nonnull (strstr (err2, "line 5"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls WHERE outcome = 'interrupted'"),
                   ==, 3);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM events"), ==, 8);
  assert_verifies (db);
}

static void
test_unreadable (void)
{
  g_autofree char *db = new_db ();
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "no-such-log", NULL);
  g_autofree char *junk = g_build_filename (g_get_user_cache_dir (), "junk.log", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "import", "queue-log", "--db", db, missing, NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "no-such-log"));

  g_file_set_contents (junk, "hello\nworld\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_test_ctl (&out2, &err2, "import", "queue-log", "--db", db, junk, NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err2, "line 2"));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/queue-log-import/twice", test_twice);
  g_test_add_func ("/queue-log-import/csv-and-restart", test_csv_and_restart);
  g_test_add_func ("/queue-log-import/unreadable", test_unreadable);
  return g_test_run ();
}
