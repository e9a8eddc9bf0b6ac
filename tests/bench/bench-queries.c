// SPDX-License-Identifier: GPL-3.0-or-later
//
// The dashboards' two heaviest questions over the default demo year (about
// 400,000 tickets): "all overdue open tickets, worst first"
// (cd_store_list_tickets with .overdue, what `citydeskctl tickets --overdue`
// and the overdue dashboard ask) and "counts by executor"
// (cd_store_count_by_executor, what `citydeskctl stats` prints), each in ms
// and as a ratio to a full scan of the tickets table
// (`SELECT count(*) FROM tickets WHERE +open >= 0`, no index) timed in the
// same run, in wall-clock and in the process's CPU time. Goal: under 50 ms
// each. The year is generated once with the real citydeskctl, or taken from
// CITYDESK_BENCH_DB when set; 10 days in the small mode (cd-bench.h).

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "cd-store.h"
#include "cd-bench.h"
#include "cd-store-search.h"

#define END "2026-01-01T00:00:00+03:00"
#define NOW "2025-12-31T12:00:00+03:00"
#define ROUNDS 10

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* The machine may be shared: the process's own CPU time says what a query
 * costs whatever else runs. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
time_count (const char *path,
            gint64     *n,
            double     *cpu)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double start = 0, cpu_start = 0;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* As the store opens it. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  /* Once to warm the cache, as the store's queries are warmed below. */
  for (guint r = 0; r <= ROUNDS; r++)
    {
      if (r == 1)
        {
          start = now_seconds ();
          cpu_start = cpu_seconds ();
        }
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM tickets WHERE +open >= 0", -1,
                                           &stmt, NULL),
                       ==, SQLITE_OK);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *n = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  start = (now_seconds () - start) / ROUNDS;
  *cpu = (cpu_seconds () - cpu_start) / ROUNDS;
  sqlite3_close (db);
  return start;
}

static void
report (const char *what,
        double      seconds,
        double      baseline,
        double      cpu,
        double      cpu_baseline)
{
  printf ("%-40s %8.2f ms  %6.2fx scan;  CPU %7.2f ms  %6.2fx  (goal: under 50 ms)\n",
          what, seconds * 1e3, seconds / baseline, cpu * 1e3, cpu / cpu_baseline);
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
  CdTicketFilter overdue = { .tile = CD_OVERDUE_TILE_BREACHED,
                             .open_only = TRUE,
                             .now = g_date_time_to_unix (now_dt) };
  gint64 n_tickets = 0;
  guint n_overdue = 0, n_executors = 0;
  double baseline, cpu_baseline, start = 0, cpu_start = 0;

  cd_test_own_tmp_dir ();
  if (given != NULL)
    path = g_strdup (given);
  else
    {
      g_autoptr(GSubprocess) proc = NULL;

      dir = g_dir_make_tmp ("bench-queries-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "year.db", NULL);
      printf ("generating the %s into %s …\n",
              cd_bench_small () ? "small mode's 10 days" : "default demo year", path);
      fflush (stdout);
      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("CITYDESK_CTL"),
                               "demo", "generate", "--db", path, "--end", END,
                               cd_bench_small () ? "--days" : NULL, "10", NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
    }

  baseline = time_count (path, &n_tickets, &cpu_baseline);
  printf ("baseline: a full scan of the tickets table (%" G_GINT64_FORMAT
          " tickets) %8.2f ms, CPU %.2f ms\n",
          n_tickets, baseline * 1e3, cpu_baseline * 1e3);

  store = cd_store_open (path, &error);
  g_assert_no_error (error);

  for (guint r = 0; r <= ROUNDS; r++)
    {
      g_autoptr(GPtrArray) tickets = NULL;

      if (r == 1)
        {
          start = now_seconds ();
          cpu_start = cpu_seconds ();
        }
      tickets = cd_store_list_tickets (store, &overdue, 0, &error);
      g_assert_no_error (error);
      n_overdue = tickets->len;
    }
  report ("all overdue open tickets, worst first", (now_seconds () - start) / ROUNDS, baseline,
          (cpu_seconds () - cpu_start) / ROUNDS, cpu_baseline);
  printf ("  %u overdue at %s\n", n_overdue, NOW);

  for (guint r = 0; r <= ROUNDS; r++)
    {
      g_autoptr(JsonObject) counts = NULL;

      if (r == 1)
        {
          start = now_seconds ();
          cpu_start = cpu_seconds ();
        }
      counts = cd_store_count_by_executor (store, overdue.now, &error);
      g_assert_no_error (error);
      n_executors = json_object_get_size (counts);
    }
  report ("counts by executor", (now_seconds () - start) / ROUNDS, baseline,
          (cpu_seconds () - cpu_start) / ROUNDS, cpu_baseline);
  printf ("  %u executors\n", n_executors);

  g_clear_object (&store);
  if (dir != NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_remove (file);
        }
      g_rmdir (dir);
    }
  return 0;
}
