// SPDX-License-Identifier: GPL-3.0-or-later
//
// How long `citydeskctl demo generate` takes for the default year (about
// 400,000 tickets) into a fresh file, against the ceiling measured in the
// same run: a raw SQLite insert of as many event rows of the same size,
// with one prepared statement in one transaction and no hashing, no
// projection and no checks. Two days in the small mode (cd-bench.h).

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cd-bench.h"

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static double
raw_insert (const char *path,
            gint64      n_rows,
            gint64      payload_len)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *payload = g_strnfill (payload_len, 'x');
  char entity[37], hash[65];
  double t0;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db,
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;"
                    "CREATE TABLE events (seq INTEGER PRIMARY KEY, entity TEXT NOT NULL,"
                    " type TEXT NOT NULL, actor TEXT, role TEXT, time INTEGER NOT NULL,"
                    " payload TEXT NOT NULL, hash TEXT NOT NULL);",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);

  t0 = now_seconds ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (gint64 i = 1; i <= n_rows; i++)
    {
      g_snprintf (entity, sizeof entity,
                  "%08" G_GINT64_MODIFIER "x-0000-4000-8000-%012" G_GINT64_MODIFIER "x", i / 7,
                  i / 7);
      g_snprintf (hash, sizeof hash, "%064" G_GINT64_MODIFIER "x", i * 2654435761u);
      sqlite3_bind_int64 (stmt, 1, i);
      sqlite3_bind_text (stmt, 2, entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, "resolve", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, "zhes-4.dispatcher1", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, "executor", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, 1767214800 + i * 11);
      sqlite3_bind_text (stmt, 7, payload, payload_len, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, hash, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return now_seconds () - t0;
}

int
main (int    argc,
      char **argv)
{
  const char *ctl = g_getenv ("CITYDESK_CTL");
  const char *days = cd_bench_small () ? "2" : NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *raw_path = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  sqlite3 *db = NULL;
  gint64 n_events, n_tickets, payload_len;
  double t0, generate, raw;

  cd_test_own_tmp_dir ();
  dir = g_dir_make_tmp ("citydesk-bench-demo-XXXXXX", &error);
  g_assert_no_error (error);
  if (ctl == NULL)
    g_error ("CITYDESK_CTL is not set; run the benchmark through meson");

  path = g_build_filename (dir, "demo.db", NULL);
  raw_path = g_build_filename (dir, "raw.db", NULL);

  t0 = now_seconds ();
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           ctl, "demo", "generate", "--db", path, "--end", "2026-01-01",
                           days != NULL ? "--days" : NULL, days, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  generate = now_seconds () - t0;
  g_assert_true (g_subprocess_get_successful (proc));
  printf ("%s", out);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  n_events = query_int (db, "SELECT count(*) FROM events");
  n_tickets = query_int (db, "SELECT count(*) FROM tickets");
  payload_len = query_int (db, "SELECT avg(length(payload)) FROM events");
  sqlite3_close (db);

  raw = raw_insert (raw_path, n_events, payload_len);

  printf ("demo generate, %s: %" G_GINT64_FORMAT " tickets, %" G_GINT64_FORMAT " events "
          "in %.2f s (%.0f events/s; goal: under 60 s)\n",
          days != NULL ? "small mode" : "default year", n_tickets, n_events, generate,
          n_events / generate);
  printf ("raw SQLite insert of %" G_GINT64_FORMAT " rows of the same size: %.2f s (%.0f rows/s)\n",
          n_events, raw, n_events / raw);
  printf ("ratio generate / raw insert: %.1fx\n", generate / raw);

  g_remove (path);
  g_remove (raw_path);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *wal = g_strconcat (i == 0 ? path : raw_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (i == 0 ? path : raw_path, "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (dir);
  return 0;
}
