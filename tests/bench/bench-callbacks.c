// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the Callbacks dashboard's work list costs: the feedback tasks whose
// calling window is open now (cd_store_list_feedback_tasks(), as the page
// reads it, masked for the feedback role, with each task's history), and
// the supervisor's figures over the last 30 days, each as a ratio to a
// plain `SELECT count(*) FROM tickets` timed in the same run. The goal:
// the work list of a day of the demo city (about 1,000 tasks) under
// 200 ms. The city is generated with the real citydeskctl (30 days: the
// resolved tickets of the days before are still being called back), or
// taken from CITYDESK_BENCH_DB when set; 3 days in the small mode
// (cd-bench.h).

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cd-store-feedback.h"
#include "cd-bench.h"

#define END "2026-11-20T00:00:00Z"
/* The morning after the last day generated, 10:00 in Moscow: every task
 * still open has its calling window open, the day's work list. */
#define NOW "2026-11-20T07:00:00Z"
#define ROUNDS 5

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
time_count (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double start;
  gint64 n = 0;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM tickets", -1, &stmt, NULL), ==,
                       SQLITE_OK);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  start = (now_seconds () - start) / ROUNDS;
  sqlite3_close (db);
  printf ("baseline: count(*) of %" G_GINT64_FORMAT " tickets  %.1f ms\n", n, start * 1e3);
  return start;
}

static void
report (const char *what,
        double      seconds,
        double      baseline)
{
  printf ("%-40s %8.1f ms  %6.2f× count(*)\n", what, seconds * 1e3, seconds / baseline);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GDateTime) now_dt = g_date_time_new_from_iso8601 (NOW, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  const char *given = g_getenv ("CITYDESK_BENCH_DB");
  gint64 now = g_date_time_to_unix (now_dt);
  guint n_tasks = 0, n_open = 0;
  double baseline, start, t;

  cd_test_own_tmp_dir ();
  g_setenv ("TZ", "UTC", TRUE);
  if (given != NULL)
    path = g_strdup (given);
  else
    {
      g_autoptr(GSubprocess) proc = NULL;

      dir = g_dir_make_tmp ("bench-callbacks-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "city.db", NULL);
      printf ("generating %s of the demo city into %s …\n",
              cd_bench_small () ? "3 days" : "30 days", path);
      fflush (stdout);
      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("CITYDESK_CTL"),
                               "demo", "generate", "--db", path, "--end", END, "--days",
                               cd_bench_small () ? "3" : "30", NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
    }

  baseline = time_count (path);
  store = cd_store_open (path, &error);
  g_assert_no_error (error);

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(GPtrArray) tasks = NULL;

      g_assert_true (cd_store_list_feedback_tasks (store, now, 0, TRUE, "feedback", &tasks,
                                                   &error));
      g_assert_no_error (error);
      n_tasks = tasks->len;
    }
  t = (now_seconds () - start) / ROUNDS;
  report ("work list for now (window open)", t, baseline);
  printf ("  %u tasks; goal under 200 ms: %s\n", n_tasks, t < 0.2 ? "met" : "NOT met");

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(GPtrArray) tasks = NULL;

      g_assert_true (cd_store_list_feedback_tasks (store, now, 0, FALSE, "feedback", &tasks,
                                                   &error));
      n_open = tasks->len;
    }
  report ("every open task", (now_seconds () - start) / ROUNDS, baseline);
  printf ("  %u open tasks\n", n_open);

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(CdFeedbackStats) stats = NULL;

      g_assert_true (cd_store_feedback_stats (store, now - 30 * 86400, now, now, &stats, &error));
      g_assert_no_error (error);
    }
  report ("supervisor's figures, last 30 days", (now_seconds () - start) / ROUNDS, baseline);

  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_clear_object (&store);
      g_remove (path);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (dir);
    }
  return 0;
}
