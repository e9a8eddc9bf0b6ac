// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Queue load dashboard in the real window under Xvfb, connected to a
// real citydesk-server that follows a queue_log file, with today's calls
// imported by `citydeskctl import queue-log` beforehand: the tiles show
// today's figures, the what-if panel moves with the operators, the table
// exports to CSV, and screenshots of the page in the light and dark
// styles go to the build directory (and to CITYDESK_SCREENSHOT_DIR when
// it is set), with no label cut off.

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-ui.h"
#include "cd-application.h"
#include "cd-call-heatmap-view.h"
#include "cd-queue-page.h"
#include "cd-window.h"

static CdApplication *app;
static CdTestServer server;
static char *queue_log;

static void
append (const char *path,
        const char *text)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), text, strlen (text), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);
}

/* Six calls of today, ended before now: four answered (three within the
 * 40 s target, one after 90 s, one after a ring PJSIP/102 let go), two
 * abandoned by callers whose numbers make them missed calls to call back.
 * Service level of answered and abandoned: 3 / 6. */
static char *
todays_calls (gint64 t)
{
  return g_strdup_printf (
      "%" G_GINT64_FORMAT "|NONE|NONE|NONE|QUEUESTART|\n"
      "%" G_GINT64_FORMAT "|c1|city|NONE|ENTERQUEUE||+375291110001|1\n"
      "%" G_GINT64_FORMAT "|c1|city|PJSIP/101|CONNECT|10|b1|2\n"
      "%" G_GINT64_FORMAT "|c1|city|PJSIP/101|COMPLETECALLER|10|120|1\n"
      "%" G_GINT64_FORMAT "|c2|city|NONE|ENTERQUEUE||+375291110002|1\n"
      "%" G_GINT64_FORMAT "|c2|city|PJSIP/102|CONNECT|30|b2|2\n"
      "%" G_GINT64_FORMAT "|c2|city|PJSIP/102|COMPLETEAGENT|30|100|1\n"
      "%" G_GINT64_FORMAT "|c3|city|NONE|ENTERQUEUE||+375291110003|1\n"
      "%" G_GINT64_FORMAT "|c3|city|PJSIP/102|CONNECT|90|b3|2\n"
      "%" G_GINT64_FORMAT "|c3|city|PJSIP/102|COMPLETECALLER|90|60|1\n"
      "%" G_GINT64_FORMAT "|c4|city|NONE|ENTERQUEUE||+375291110004|1\n"
      "%" G_GINT64_FORMAT "|c4|city|NONE|ABANDON|1|1|60\n"
      "%" G_GINT64_FORMAT "|c5|city|NONE|ENTERQUEUE||+375291110005|1\n"
      "%" G_GINT64_FORMAT "|c5|city|PJSIP/102|RINGNOANSWER|15000\n"
      "%" G_GINT64_FORMAT "|c5|city|PJSIP/101|CONNECT|20|b5|2\n"
      "%" G_GINT64_FORMAT "|c5|city|PJSIP/101|COMPLETECALLER|20|90|1\n"
      "%" G_GINT64_FORMAT "|c6|city|NONE|ENTERQUEUE||+375291110006|1\n"
      "%" G_GINT64_FORMAT "|c6|city|NONE|ABANDON|1|1|20\n",
      t, t, t + 10, t + 130, t + 60, t + 90, t + 190, t + 120, t + 210, t + 270, t + 180,
      t + 240, t + 240, t + 255, t + 260, t + 350, t + 300, t + 320);
}

/* Two calls at 09:00 and 09:30 on each of the 28 days before today, all
 * answered at once: two calls at 9 o'clock on every weekday's average,
 * and a history to forecast today from. */
static char *
past_calls (gint64 day_start)
{
  GString *text = g_string_new (NULL);

  for (int day = 28; day >= 1; day--)
    for (int half = 0; half < 2; half++)
      {
        gint64 t = day_start - day * 86400 + 9 * 3600 + half * 1800;

        g_string_append_printf (text,
                                "%" G_GINT64_FORMAT "|p%d-%d|city|NONE|ENTERQUEUE||+37529%07d|1\n"
                                "%" G_GINT64_FORMAT "|p%d-%d|city|PJSIP/103|CONNECT|5|b|1\n"
                                "%" G_GINT64_FORMAT
                                "|p%d-%d|city|PJSIP/103|COMPLETECALLER|5|60|1\n",
                                t, day, half, day * 10 + half, t + 5, day, half, t + 65, day, half);
      }
  return g_string_free (text, FALSE);
}

static gboolean
page_read (gpointer data)
{
  return !cd_queue_page_get_loading (data);
}

static gboolean
abandoned_shown (gpointer data)
{
  return !cd_queue_page_get_loading (data) &&
         g_strcmp0 (cd_queue_page_get_tile_text (data, CD_QUEUE_TILE_ABANDONED), "2") == 0 &&
         cd_queue_page_get_heatmap_read (data);
}

static CdWindow *
open_dashboard (CdQueuePage **page)
{
  CdWindow *window = cd_test_ui_open_dashboard (app, "queue", 1400, 900, CD_TYPE_QUEUE_PAGE, page);

  /* The first sync brings the calls into the cache, then the page reads. */
  cd_test_wait_for (abandoned_shown, *page, "the queue page to show today’s calls");
  return window;
}

static void
test_tiles (void)
{
  CdQueuePage *page;
  CdWindow *window = open_dashboard (&page);

  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "queue");
  g_assert_cmpstr (cd_queue_page_get_tile_text (page, CD_QUEUE_TILE_SERVICE_LEVEL), ==, "50 %");
  g_assert_cmpstr (cd_queue_page_get_tile_text (page, CD_QUEUE_TILE_ABANDONED), ==, "2");
  g_assert_nonnull (strstr (cd_queue_page_get_tile_detail (page, CD_QUEUE_TILE_ABANDONED), "6"));
  g_assert_cmpstr (cd_queue_page_get_tile_text (page, CD_QUEUE_TILE_MISSED), ==, "2");
  /* The four weeks before today: two calls at 9 o'clock every day. */
  {
    CdCallHeatmapView *heatmap = cd_test_find_one (GTK_WIDGET (page), CD_TYPE_CALL_HEATMAP_VIEW);

    for (guint d = 0; d < 7; d++)
      {
        g_assert_cmpfloat (cd_call_heatmap_view_get_average (heatmap, d, 9), ==, 2);
        g_assert_cmpfloat (cd_call_heatmap_view_get_average (heatmap, d, 10), ==, 0);
      }
  }
  /* Both operators who took calls today, with what they did: two calls
   * each, and the ring PJSIP/102 let go. */
  {
    GListModel *operators = cd_queue_page_get_operators (page);
    guint found = 0;

    for (guint i = 0; i < g_list_model_get_n_items (operators); i++)
      {
        g_autofree char *name = cd_queue_page_get_operator_cell (page, i, 0);
        g_autofree char *state = cd_queue_page_get_operator_cell (page, i, 1);
        g_autofree char *handled = cd_queue_page_get_operator_cell (page, i, 3);
        g_autofree char *missed = cd_queue_page_get_operator_cell (page, i, 5);

        g_test_message ("operator %s: %s, %s handled, %s missed", name, state, handled, missed);
        if (g_strcmp0 (name, "PJSIP/101") != 0 && g_strcmp0 (name, "PJSIP/102") != 0)
          continue;
        found++;
        g_assert_cmpstr (handled, ==, "2");
        g_assert_cmpstr (missed, ==, g_str_equal (name, "PJSIP/102") ? "1" : "0");
      }
    g_assert_cmpuint (found, ==, 2);
  }
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_whatif (void)
{
  CdQueuePage *page;
  CdWindow *window = open_dashboard (&page);
  GtkSpinButton *calls = cd_queue_page_get_whatif_input (page, CD_QUEUE_WHATIF_CALLS);
  GtkSpinButton *aht = cd_queue_page_get_whatif_input (page, CD_QUEUE_WHATIF_AHT);
  GtkSpinButton *operators = cd_queue_page_get_whatif_input (page, CD_QUEUE_WHATIF_OPERATORS);
  g_autofree char *few = NULL;
  g_autofree char *many = NULL;

  /* 100 calls an hour of 3 minutes: 5 Erlangs. */
  gtk_spin_button_set_value (calls, 100);
  gtk_spin_button_set_value (aht, 180);
  gtk_spin_button_set_value (operators, 6);
  few = g_strdup (cd_queue_page_get_whatif_result (page, CD_QUEUE_WHATIF_SERVICE_LEVEL));
  gtk_spin_button_set_value (operators, 9);
  many = g_strdup (cd_queue_page_get_whatif_result (page, CD_QUEUE_WHATIF_SERVICE_LEVEL));
  g_test_message ("service level with 6 operators: %s, with 9: %s", few, many);
  g_assert_cmpstr (few, !=, "—");
  g_assert_cmpstr (few, !=, many);
  g_assert_cmpint (g_ascii_strtoll (few, NULL, 10), <, g_ascii_strtoll (many, NULL, 10));
  /* Occupancy: 5 Erlangs on 9 operators. */
  g_assert_cmpstr (cd_queue_page_get_whatif_result (page, CD_QUEUE_WHATIF_OCCUPANCY), ==, "56 %");

  /* As many operators as Erlangs: no figure, and a word why. */
  gtk_spin_button_set_value (operators, 5);
  g_assert_cmpstr (cd_queue_page_get_whatif_result (page, CD_QUEUE_WHATIF_SERVICE_LEVEL), ==,
                   "—");
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_export (void)
{
  CdQueuePage *page;
  CdWindow *window = open_dashboard (&page);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "queue-load.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint offered = 0, abandoned = 0;
  double forecast = 0;

  cd_queue_page_set_interval (page, 60 * 60);
  cd_test_wait_for (page_read, page, "the queue page to count hours");
  cd_queue_page_show_table (page, TRUE);
  g_assert_true (cd_queue_page_export (page, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "start,end,offered,answered,abandoned,"));
  /* A row an hour of the day (UTC: no change of the clocks), and the end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 24 + 1);
  for (guint i = 1; i <= 24; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 13);
      offered += (guint) g_ascii_strtoull (fields[2], NULL, 10);
      abandoned += (guint) g_ascii_strtoull (fields[4], NULL, 10);
      forecast += g_ascii_strtod (fields[10], NULL);
    }
  g_assert_cmpuint (offered, ==, 6);
  g_assert_cmpuint (abandoned, ==, 2);
  /* Four weeks of history: a forecast for the day. */
  g_assert_cmpfloat (forecast, >, 0);
  cd_queue_page_show_table (page, FALSE);
  cd_queue_page_set_interval (page, 30 * 60);
  cd_test_wait_for (page_read, page, "the queue page to count half hours");
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = cd_test_ui_screenshot_name ("queue-page-light");
  g_autofree char *dark = cd_test_ui_screenshot_name ("queue-page-dark");
  CdQueuePage *page;
  CdWindow *window = open_dashboard (&page);

  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), light);
  /* Nothing cut at 1400 × 900, in a language a third longer too. */
  cd_test_assert_nothing_cut (GTK_WIDGET (window));
  cd_test_assert_words_whole (GTK_WIDGET (page));
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_close (GTK_WINDOW (window));
}

typedef struct
{
  CdQueuePage *page;
  const char  *want;
} TileWait;

static gboolean
waiting_is (gpointer data)
{
  TileWait *wait = data;

  return g_strcmp0 (cd_queue_page_get_tile_text (wait->page, CD_QUEUE_TILE_WAITING), wait->want) ==
         0;
}

static gboolean
deadline_passed (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lines appended to the followed queue_log reach the tiles within a
 * second: the server pushes the queue at once on a change. */
static void
test_live (void)
{
  CdQueuePage *page;
  CdWindow *window = open_dashboard (&page);
  TileWait wait = { page, "0" };
  g_autofree char *lines = NULL;
  g_autofree char *ended = NULL;
  gboolean late = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint deadline;

  cd_test_wait_for (waiting_is, &wait, "the first snapshot of the live queue");
  g_assert_cmpstr (cd_queue_page_get_tile_text (page, CD_QUEUE_TILE_LONGEST_WAIT), ==, "—");

  lines = g_strdup_printf ("%" G_GINT64_FORMAT "|w1|city|NONE|ENTERQUEUE||+375291119001|1\n"
                           "%" G_GINT64_FORMAT "|w2|city|NONE|ENTERQUEUE||+375291119002|2\n",
                           now, now);
  append (queue_log, lines);
  wait.want = "2";
  deadline = g_timeout_add (1000, deadline_passed, &late);
  while (!waiting_is (&wait) && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (cd_queue_page_get_tile_text (page, CD_QUEUE_TILE_WAITING), ==, "2");
  if (!late)
    g_source_remove (deadline);
  g_assert_cmpstr (cd_queue_page_get_tile_text (page, CD_QUEUE_TILE_LONGEST_WAIT), !=, "—");

  /* They hang up: nobody waits. */
  ended = g_strdup_printf ("%" G_GINT64_FORMAT "|w1|city|NONE|ABANDON|1|1|1\n"
                           "%" G_GINT64_FORMAT "|w2|city|NONE|ABANDON|1|2|1\n",
                           now + 1, now + 1);
  append (queue_log, ended);
  wait.want = "0";
  cd_test_wait_for (waiting_is, &wait, "the callers to leave the queue");
  gtk_window_close (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *db = NULL;
  g_autofree char *history = NULL;
  g_autofree char *calls = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char * const follow[] = { "--queue-log", NULL, NULL };
  const char *extra[G_N_ELEMENTS (follow)];
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();
  /* Today's calls must have ended before now, and today. */
  now = g_date_time_new_now_utc ();
  if (g_date_time_get_hour (now) == 0 && g_date_time_get_minute (now) < 10)
    {
      g_test_skip ("Too close to midnight for a day of calls");
      return g_test_run ();
    }

  db = g_build_filename (home, "server.db", NULL);
  queue_log = g_build_filename (home, "queue_log", NULL);
  cd_test_add_user (db, "supervisor", "supervisor", NULL, "password-1");
  history = past_calls (g_date_time_to_unix (now) - g_date_time_get_hour (now) * 3600 -
                        g_date_time_get_minute (now) * 60 - g_date_time_get_second (now));
  append (queue_log, history);
  calls = todays_calls (g_date_time_to_unix (now) - 400);
  append (queue_log, calls);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "import", "queue-log", queue_log, "--db", db, NULL),
                   ==, 0);
  g_test_message ("%s", out);

  memcpy (extra, follow, sizeof follow);
  extra[1] = queue_log;
  cd_test_server_start_full (&server, db, extra, FALSE);

  g_unsetenv ("CITYDESK_ROLE");
  g_unsetenv ("CITYDESK_NOW");
  app = cd_test_ui_new_app ();
  cd_test_ui_log_in (app, server.url, "supervisor", "password-1");

  g_test_add_func ("/queue-ui/tiles", test_tiles);
  g_test_add_func ("/queue-ui/whatif", test_whatif);
  g_test_add_func ("/queue-ui/export", test_export);
  g_test_add_func ("/queue-ui/screenshots", test_screenshots);
  /* Last: the calls it adds are not the other tests'. */
  g_test_add_func ("/queue-ui/live", test_live);

  ret = g_test_run ();
  g_clear_object (&app);
  cd_test_server_clear (&server);
  g_free (queue_log);
  return ret;
}
