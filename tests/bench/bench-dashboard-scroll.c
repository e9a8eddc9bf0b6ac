// SPDX-License-Identifier: GPL-3.0-or-later
//
// Frame times while scrolling the overdue dashboard's list through every
// ticket of the default demo year (about 400,000 rows), half a page per
// frame, against frames of the same window redrawn without scrolling,
// measured in the same run. Needs a display: run under xvfb-run. The year
// is generated with the real citydeskctl, or taken from CITYDESK_BENCH_DB;
// the small mode (cd-bench.h) scrolls 10 days for 60 frames.

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "cd-application.h"
#include "cd-overdue-page.h"
#include "cd-ticket-list-model.h"
#include "cd-window.h"

#include "../cd-test-ui.h"
#include "cd-bench.h"

#define END "2026-11-20T00:00:00Z"
#define NOW "2026-11-19T12:00:00Z"
#define FRAMES 600
#define IDLE_FRAMES 120

typedef struct
{
  GtkAdjustment *adjustment;
  GArray        *intervals;   /* double, ms */
  gint64         last;
  guint          wanted;
  gboolean       scroll;
  gboolean       done;
} Run;

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Run *run = user_data;
  /* The wall clock: GTK smooths the frame clock's own times to the
   * refresh rate, which would hide a slow frame. */
  gint64 now = g_get_monotonic_time ();

  if (run->last != 0)
    {
      double ms = (now - run->last) / 1000.0;

      g_array_append_val (run->intervals, ms);
    }
  run->last = now;

  if (run->intervals->len >= run->wanted)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  if (run->scroll)
    {
      double value = gtk_adjustment_get_value (run->adjustment);
      double page = gtk_adjustment_get_page_size (run->adjustment);
      double upper = gtk_adjustment_get_upper (run->adjustment);

      /* Back to the top at the end: keep scrolling for every frame. */
      value = value + page / 2 > upper - page ? 0 : value + page / 2;
      gtk_adjustment_set_value (run->adjustment, value);
    }
  else
    gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index = MIN (values->len - 1, (guint) (p * (values->len - 1) + 0.5));

  return g_array_index (values, double, index);
}

static GArray *
measure (GtkWidget     *view,
         GtkAdjustment *adjustment,
         gboolean       scroll,
         guint          frames)
{
  Run run = { adjustment, g_array_new (FALSE, FALSE, sizeof (double)), 0, frames, scroll, FALSE };

  gtk_widget_add_tick_callback (view, on_tick, &run, NULL);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  g_array_sort (run.intervals, compare_doubles);
  return run.intervals;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdApplication) app = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *year = NULL;
  const char *given = g_getenv ("CITYDESK_BENCH_DB");
  g_autoptr(GArray) idle = NULL;
  g_autoptr(GArray) scrolled = NULL;
  CdTicketFilter all = { 0 };
  GSettings *settings;
  CdWindow *window;
  CdOverduePage *page;
  GtkColumnView *view;
  GtkAdjustment *adjustment;
  guint slow = 0;
  gboolean small = cd_bench_small ();

  cd_test_own_tmp_dir ();
  g_setenv ("TZ", "UTC", TRUE);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      printf ("skipped: no display (run under xvfb-run)\n");
      /* The exit status meson reads as skipped, in the smoke test. */
      return small ? 77 : 0;
    }
  /* Nothing of the user's in, and no settings or state out. */
  g_free (cd_test_isolate_home ());

  dir = g_dir_make_tmp ("bench-scroll-XXXXXX", &error);
  g_assert_no_error (error);
  if (given != NULL)
    year = g_strdup (given);
  else
    {
      g_autoptr(GSubprocess) proc = NULL;

      year = g_build_filename (dir, "year.db", NULL);
      printf ("generating the %s into %s …\n",
              small ? "small mode's 10 days" : "default demo year", year);
      fflush (stdout);
      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("CITYDESK_CTL"),
                               "demo", "generate", "--db", year, "--end", END,
                               small ? "--days" : NULL, "10", NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
    }

  g_setenv ("CITYDESK_CACHE", year, TRUE);
  g_setenv ("CITYDESK_NOW", NOW, TRUE);
  app = cd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  settings = cd_application_get_settings (app);
  g_settings_set_string (settings, "last-page", "overdue");
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 820);

  window = cd_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  page = cd_test_find_one (GTK_WIDGET (window), CD_TYPE_OVERDUE_PAGE);

  /* Every ticket, not only the open ones. */
  g_assert_true (
      cd_ticket_list_model_set_filter (CD_TICKET_LIST_MODEL (cd_overdue_page_get_model (page)),
                                       &all, &error));
  g_assert_no_error (error);
  view = cd_overdue_page_get_column_view (page);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

  idle = measure (GTK_WIDGET (view), adjustment, FALSE, small ? 20 : IDLE_FRAMES);
  scrolled = measure (GTK_WIDGET (view), adjustment, TRUE, small ? 60 : FRAMES);
  for (guint i = 0; i < scrolled->len; i++)
    slow += g_array_index (scrolled, double, i) > 33.4;

  printf ("rows: %u; tickets built by the model: %u\n",
          g_list_model_get_n_items (cd_overdue_page_get_model (page)),
          cd_ticket_list_model_get_n_built (
              CD_TICKET_LIST_MODEL (cd_overdue_page_get_model (page))));
  printf ("redraw without scrolling: median %.1f ms, p95 %.1f ms (%u frames)\n",
          percentile (idle, 0.5), percentile (idle, 0.95), idle->len);
  printf ("scrolling half a page a frame: median %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; "
          "%u of %u frames over 33 ms\n",
          percentile (scrolled, 0.5), percentile (scrolled, 0.95), percentile (scrolled, 0.99),
          percentile (scrolled, 1.0), slow, scrolled->len);
  printf ("ratio: %.2f× the median frame of a redraw without scrolling\n",
          percentile (scrolled, 0.5) / percentile (idle, 0.5));

  gtk_window_destroy (GTK_WINDOW (window));
  if (given == NULL)
    {
      g_autofree char *wal = g_strconcat (year, "-wal", NULL);
      g_autofree char *shm = g_strconcat (year, "-shm", NULL);

      g_remove (year);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (dir);
  return 0;
}
