// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the overdue dashboard costs over the default demo year (about
// 400,000 tickets, 2.6 million events): the tiles, the three breakdowns,
// opening the lazy ticket list and building its first screen, each as a
// ratio to a plain `SELECT count(*) FROM tickets` timed in the same run.
// The year is generated once with the real citydeskctl (about 50 s), or
// taken from CITYDESK_BENCH_DB when set; 10 days in the small mode
// (cd-bench.h).

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cd-store-overdue.h"
#include "cd-ticket-list-model.h"
#include "cd-bench.h"

#define END "2026-11-20T00:00:00Z"
#define NOW "2026-11-19T12:00:00Z"
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
  printf ("%-34s %8.1f ms  %6.2f× count(*)\n", what, seconds * 1e3, seconds / baseline);
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
  double baseline, start, t;
  CdOverdueTiles tiles;

  cd_test_own_tmp_dir ();
  g_setenv ("TZ", "UTC", TRUE);
  if (given != NULL)
    path = g_strdup (given);
  else
    {
      g_autoptr(GSubprocess) proc = NULL;

      dir = g_dir_make_tmp ("bench-dashboard-XXXXXX", &error);
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

  baseline = time_count (path);
  store = cd_store_open (path, &error);
  g_assert_no_error (error);

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    g_assert_true (cd_store_overdue_tiles (store, now, &tiles, &error));
  report ("tiles (4 counts and open)", (now_seconds () - start) / ROUNDS, baseline);
  printf ("  open %" G_GINT64_FORMAT ", breached %" G_GINT64_FORMAT ", at risk %" G_GINT64_FORMAT
          ", stale %" G_GINT64_FORMAT ", reopened %" G_GINT64_FORMAT "\n",
          tiles.open, tiles.counts[CD_OVERDUE_TILE_BREACHED], tiles.counts[CD_OVERDUE_TILE_AT_RISK],
          tiles.counts[CD_OVERDUE_TILE_STALE], tiles.counts[CD_OVERDUE_TILE_REOPENED]);

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    for (guint d = 0; d < CD_OVERDUE_N_DIMENSIONS; d++)
      {
        g_autoptr(GPtrArray) groups = cd_store_overdue_breakdown (store, d, now, &error);

        g_assert_no_error (error);
      }
  report ("breakdowns (executor, district, category)", (now_seconds () - start) / ROUNDS, baseline);

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(CdTicketListModel) model = cd_ticket_list_model_new (store);
      CdTicketFilter filter = { .open_only = TRUE, .now = now };

      g_assert_true (cd_ticket_list_model_set_filter (model, &filter, &error));
      for (guint i = 0; i < 40 && i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
    }
  t = (now_seconds () - start) / ROUNDS;
  report ("open list + first 40 rows", t, baseline);

  start = now_seconds ();
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(CdTicketListModel) model = cd_ticket_list_model_new (store);
      CdTicketFilter filter = { .open_only = FALSE, .now = now };

      g_assert_true (cd_ticket_list_model_set_sort (model, CD_TICKET_SORT_ADDRESS, FALSE, &error));
      g_assert_true (cd_ticket_list_model_set_filter (model, &filter, &error));
      for (guint i = 0; i < 40; i++)
        g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
    }
  report ("all tickets by address + 40 rows", (now_seconds () - start) / ROUNDS, baseline);

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
