// SPDX-License-Identifier: GPL-3.0-or-later
//
// The overdue dashboard in the real window under Xvfb, over a cache filled
// by the real `citydeskctl demo generate`: its tiles and breakdown must say
// what `citydeskctl tickets --overdue --json` says for the same moment
// (CITYDESK_NOW), a tile filters the list, and the ticket view opens.
// Screenshots of both go to the build directory.

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "cd-test-ctl.h"
#include "cd-test-ui.h"
#include "cd-action-dialog.h"
#include "cd-application.h"
#include "cd-category.h"
#include "cd-demo-names.h"
#include "cd-format.h"
#include "cd-league-window.h"
#include "cd-overdue-page.h"
#include "cd-ticket-list-model.h"
#include "cd-ticket-window.h"
#include "cd-window.h"
#include "cd-store-search.h"

#define END "2026-11-20T00:00:00Z"
#define NOW "2026-11-19T12:00:00Z"

static CdApplication *app;
static JsonObject *expected;

static gboolean
page_read (gpointer data)
{
  return !cd_overdue_page_get_loading (data);
}

/* The page reads the cache off the main loop: wait for it. */
static void
wait_read (CdOverduePage *page)
{
  cd_test_wait_for (page_read, page, "the overdue page to read the cache");
}

static gboolean
dialog_read (gpointer data)
{
  return !cd_action_dialog_get_loading (data);
}

static gboolean
ticket_read (gpointer data)
{
  return !cd_ticket_window_get_loading (data);
}

/* A ticket view reads its ticket off the main loop: wait for it. */
static void
wait_ticket (GtkWindow *window)
{
  cd_test_wait_for (ticket_read, window, "the ticket view to read its ticket");
}

/* The ticket view as a user of @role opens it. */
static GtkWindow *
open_ticket_as (const char *role,
                const char *number)
{
  g_autoptr(CdContext) context = cd_context_new (cd_application_get_session (app));
  GtkWindow *window;

  cd_context_set_role (context, role);
  window = g_object_ref (GTK_WINDOW (cd_ticket_window_new (context, number)));
  wait_ticket (window);
  return window;
}

static CdWindow *
open_dashboard (CdOverduePage **page)
{
  CdWindow *window = cd_test_ui_open_dashboard (app, "overdue", 1280, 820, CD_TYPE_OVERDUE_PAGE,
                                                page);

  wait_read (*page);
  return window;
}

static void
test_tiles_and_breakdown (void)
{
  static const char * const tiles[CD_OVERDUE_N_TILES] = { NULL, "breached", "at_risk", "stale",
                                                         "reopened" };
  static const char * const dimensions[] = { "executor", "district", "category" };
  CdOverduePage *page;
  CdWindow *window = open_dashboard (&page);
  JsonObject *counts = json_object_get_object_member (expected, "tiles");
  JsonObject *breakdown = json_object_get_object_member (expected, "breakdown");

  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "overdue");
  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    {
      g_autofree char *want = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               json_object_get_int_member (counts, tiles[i]));

      g_assert_cmpstr (cd_overdue_page_get_tile_text (page, i), ==, want);
    }

  for (guint d = 0; d < G_N_ELEMENTS (dimensions); d++)
    {
      JsonArray *groups = json_object_get_array_member (breakdown, dimensions[d]);

      cd_overdue_page_set_dimension (page, d);
      g_assert_cmpuint (json_array_get_length (groups), >, 0);
      for (guint i = 0; i < json_array_get_length (groups); i++)
        {
          JsonObject *g = json_array_get_object_element (groups, i);
          const char *key = json_object_get_string_member (g, "key");
          gint64 worst = json_object_get_int_member (g, "worst_overdue");
          g_autofree char *open = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   json_object_get_int_member (g, "open"));
          g_autofree char *overdue = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                      json_object_get_int_member (g, "overdue"));
          g_autofree char *worst_text = worst > 0 ? cd_format_duration (worst) : g_strdup ("—");
          g_autofree char *share = NULL;

          if (json_node_is_null (json_object_get_member (g, "on_time_share")))
            share = g_strdup ("—");
          else
            share = g_strdup_printf ("%.0f%%",
                                     100.0 * json_object_get_double_member (g, "on_time_share"));

          /* Names, never codes: "Heating network", not `heating`. */
          if (*key != '\0')
            {
              const char *name = d == 0 ? cd_demo_names_executor_label (key)
                                 : d == 1 ? cd_demo_names_district_label (key)
                                 : cd_category_label_for_code (key);
              const char *shown = cd_overdue_page_get_breakdown_cell (page, i + 1, 0);

              g_assert_cmpstr (shown, ==, name);
              if (d != 1)
                g_assert_cmpstr (shown, !=, key);
            }
          g_assert_cmpstr (cd_overdue_page_get_breakdown_cell (page, i + 1, 1), ==, open);
          g_assert_cmpstr (cd_overdue_page_get_breakdown_cell (page, i + 1, 2), ==, overdue);
          g_assert_cmpstr (cd_overdue_page_get_breakdown_cell (page, i + 1, 3), ==, worst_text);
          g_assert_cmpstr (cd_overdue_page_get_breakdown_cell (page, i + 1, 4), ==, share);
        }
      /* No row more than the command line has. */
      g_assert_null (
          cd_overdue_page_get_breakdown_cell (page, json_array_get_length (groups) + 1, 0));
    }
  cd_overdue_page_set_dimension (page, CD_OVERDUE_BY_EXECUTOR);

  /* A name in the breakdown filters the list to that executor's tickets. */
  {
    JsonObject *top = json_array_get_object_element (json_object_get_array_member (breakdown,
                                                                                   "executor"),
                                                     0);
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GtkWidget *first = NULL;

    cd_test_find_into (GTK_WIDGET (page), GTK_TYPE_BUTTON, buttons);
    for (guint i = 0; i < buttons->len && first == NULL; i++)
      if (gtk_widget_has_css_class (g_ptr_array_index (buttons, i), "breakdown-group"))
        first = g_ptr_array_index (buttons, i);
    g_assert_nonnull (first);
    /* Out of all open tickets, as the breakdown counts them. */
    {
      g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
      GtkDropDown *show;

      cd_test_find_into (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, dropdowns);
      show = g_ptr_array_index (dropdowns, 0);
      gtk_drop_down_set_selected (show,
                                  g_list_model_get_n_items (gtk_drop_down_get_model (show)) - 1);
    }
    g_signal_emit_by_name (first, "clicked");
    wait_read (page);
    g_assert_cmpuint (g_list_model_get_n_items (cd_overdue_page_get_model (page)), ==,
                      json_object_get_int_member (top, "open"));
  }

  gtk_window_close (GTK_WINDOW (window));
}

static void
test_tile_filters_list (void)
{
  CdOverduePage *page;
  CdWindow *window = open_dashboard (&page);
  GListModel *model = cd_overdue_page_get_model (page);
  gint64 open = json_object_get_int_member (expected, "open");
  gint64 breached = json_object_get_int_member (json_object_get_object_member (expected, "tiles"),
                                                "breached");
  gint64 at_risk = json_object_get_int_member (json_object_get_object_member (expected, "tiles"),
                                               "at_risk");
  g_autoptr(CdTicketObject) first = NULL;
  g_autoptr(GtkWindow) ticket_window = NULL;
  g_autofree char *number = NULL;
  g_autoptr(GError) error = NULL;
  GList *windows;
  guint countdowns, n_windows;

  /* By default the list shows what the first two tiles count. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, breached + at_risk);
  gtk_toggle_button_set_active (cd_overdue_page_get_tile (page, CD_OVERDUE_TILE_BREACHED), TRUE);
  wait_read (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, breached);
  cd_test_wait_painted (GTK_WIDGET (window));

  /* One timer for the rows on screen, not one a row. */
  countdowns = cd_overdue_page_get_n_countdowns (page);
  g_assert_cmpuint (countdowns, >, 0);
  g_assert_cmpuint (countdowns, <, breached);
  cd_test_save_screenshot (GTK_WIDGET (window), "citydesk-overdue.png");

  /* Search by number narrows to one ticket. */
  first = g_list_model_get_item (model, 0);
  number = g_strdup (cd_ticket_object_get_ticket (first)->number);
  gtk_editable_set_text (cd_page_get_search_entry (CD_PAGE (page)), number);
  g_signal_emit_by_name (cd_page_get_search_entry (CD_PAGE (page)), "search-changed");
  wait_read (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Nothing found says so, rather than leaving an empty table. */
  {
    g_autoptr(GPtrArray) stacks = g_ptr_array_new ();
    GtkStack *list_stack = NULL;

    gtk_editable_set_text (cd_page_get_search_entry (CD_PAGE (page)), "no such street");
    g_signal_emit_by_name (cd_page_get_search_entry (CD_PAGE (page)), "search-changed");
    wait_read (page);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
    cd_test_find_into (GTK_WIDGET (page), GTK_TYPE_STACK, stacks);
    for (guint i = 0; i < stacks->len; i++)
      if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "empty") != NULL)
        list_stack = g_ptr_array_index (stacks, i);
    g_assert_nonnull (list_stack);
    g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");
    g_assert_cmpstr (adw_status_page_get_title (
                         ADW_STATUS_PAGE (gtk_stack_get_visible_child (list_stack))),
                     ==, "No Tickets Match");
  }

  gtk_editable_set_text (cd_page_get_search_entry (CD_PAGE (page)), "");
  g_signal_emit_by_name (cd_page_get_search_entry (CD_PAGE (page)), "search-changed");
  wait_read (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, breached);

  /* Released, the tile gives back the default list, breached or at risk. */
  gtk_toggle_button_set_active (cd_overdue_page_get_tile (page, CD_OVERDUE_TILE_BREACHED), FALSE);
  wait_read (page);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, breached + at_risk);

  /* "All open tickets" is an explicit choice in the "Show" dropdown. */
  {
    g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
    GtkDropDown *show = NULL;

    cd_test_find_into (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, dropdowns);
    show = g_ptr_array_index (dropdowns, 0);
    g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (show)), ==,
                     "Breached or at risk");
    gtk_drop_down_set_selected (show,
                                g_list_model_get_n_items (gtk_drop_down_get_model (show)) - 1);
    wait_read (page);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, open);
    /* A tile is the same choice made from the tiles. */
    gtk_toggle_button_set_active (cd_overdue_page_get_tile (page, CD_OVERDUE_TILE_STALE), TRUE);
    g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (show)), ==,
                     "Stale: no progress");
    gtk_toggle_button_set_active (cd_overdue_page_get_tile (page, CD_OVERDUE_TILE_STALE), FALSE);
    gtk_drop_down_set_selected (show,
                                g_list_model_get_n_items (gtk_drop_down_get_model (show)) - 1);
    wait_read (page);
  }

  /* The ticket view, from the same list; Enter or a double click on a row
   * emit "activate", which opens it the same way. */
  ticket_window = g_object_ref (cd_overdue_page_open_ticket (page, number));
  g_assert_true (CD_IS_TICKET_WINDOW (ticket_window));
  wait_ticket (ticket_window);
  g_assert_cmpstr (cd_ticket_window_get_ticket (CD_TICKET_WINDOW (ticket_window))->number, ==,
                   number);
  g_assert_true (cd_ticket_window_get_chain_verified (CD_TICKET_WINDOW (ticket_window)));
  g_assert_cmpuint (cd_ticket_window_get_n_history (CD_TICKET_WINDOW (ticket_window)), >=, 2);
  /* The SLA engine judges its clocks (CITYDESK_DATA_DIR has the policies). */
  g_assert_cmpuint (cd_ticket_window_get_n_clocks (CD_TICKET_WINDOW (ticket_window)), >=, 1);
  /* A supervisor answers for the ticket to the resident: the number shows,
   * as the server's reads show it. */
  g_assert_null (
      strstr (cd_ticket_window_get_resident_text (CD_TICKET_WINDOW (ticket_window)), "***"));
  /* The details read as names, with the code in the tooltip. */
  {
    const CdTicket *t = cd_ticket_window_get_ticket (CD_TICKET_WINDOW (ticket_window));
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    guint checked = 0;

    cd_test_find_into (GTK_WIDGET (ticket_window), ADW_TYPE_ACTION_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        AdwActionRow *row = g_ptr_array_index (rows, i);
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
        const char *subtitle = adw_action_row_get_subtitle (row);
        const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (row));

        if (g_str_equal (title, "State"))
          {
            g_assert_cmpstr (subtitle, ==, cd_ticket_state_get_label (t->state));
            g_assert_cmpstr (tooltip, ==, cd_ticket_state_to_string (t->state));
            checked++;
          }
        else if (g_str_equal (title, "Kind"))
          {
            g_assert_cmpstr (subtitle, ==, cd_ticket_kind_get_label (t->kind));
            checked++;
          }
        else if (g_str_equal (title, "Category"))
          {
            g_assert_nonnull (strstr (subtitle, cd_category_label_for_code (t->category)));
            g_assert_cmpstr (tooltip, ==, t->category);
            checked++;
          }
        else if (g_str_equal (title, "Executor") && t->executor != NULL)
          {
            g_assert_cmpstr (subtitle, ==, cd_demo_names_executor_label (t->executor));
            g_assert_cmpstr (subtitle, !=, t->executor);
            checked++;
          }
      }
    g_assert_cmpuint (checked, >=, 3);
  }
  cd_test_wait_painted (GTK_WIDGET (ticket_window));
  cd_test_save_screenshot (GTK_WIDGET (ticket_window), "citydesk-ticket.png");
  gtk_window_destroy (ticket_window);
  g_clear_object (&ticket_window);

  /* The feedback department calls residents back: it sees the number;
   * quality control does its work without it. */
  ticket_window = open_ticket_as ("feedback", number);
  g_assert_null (
      strstr (cd_ticket_window_get_resident_text (CD_TICKET_WINDOW (ticket_window)), "***"));
  g_assert_nonnull (
      strstr (cd_ticket_window_get_resident_text (CD_TICKET_WINDOW (ticket_window)), "+375"));
  gtk_window_destroy (ticket_window);
  g_clear_object (&ticket_window);
  ticket_window = open_ticket_as ("qc", number);
  g_assert_nonnull (
      strstr (cd_ticket_window_get_resident_text (CD_TICKET_WINDOW (ticket_window)), "***"));
  gtk_window_destroy (ticket_window);
  g_clear_object (&ticket_window);

  /* Enter or a double click on a row activates it: the view opens. */
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_signal_emit_by_name (cd_overdue_page_get_column_view (page), "activate", 0);
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, n_windows + 1);
  g_assert_true (CD_IS_TICKET_WINDOW (windows->data));
  wait_ticket (windows->data);
  g_clear_object (&first);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (cd_ticket_window_get_ticket (windows->data)->number, ==,
                   cd_ticket_object_get_ticket (first)->number);
  gtk_window_destroy (windows->data);

  gtk_window_close (GTK_WINDOW (window));
}

static void
test_export (void)
{
  CdOverduePage *page;
  CdWindow *window = open_dashboard (&page);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GStatBuf st;

  gtk_toggle_button_set_active (cd_overdue_page_get_tile (page, CD_OVERDUE_TILE_STALE), TRUE);
  wait_read (page);
  g_assert_true (cd_overdue_page_export (page, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines) - 2, ==,
                    json_object_get_int_member (json_object_get_object_member (expected, "tiles"),
                                                "stale"));
  /* The export holds addresses: it is the user's alone. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  gtk_window_close (GTK_WINDOW (window));
}

/* Ctrl+Enter on a selection opens the action dialog for those tickets,
 * offering what the role may do; with no server the dialog says so. */
static void
test_act_on_selection (void)
{
  CdOverduePage *page;
  CdWindow *window = open_dashboard (&page);
  GtkColumnView *view = cd_overdue_page_get_column_view (page);
  GtkSelectionModel *selection = gtk_column_view_get_model (view);
  GListModel *toplevels = gtk_window_get_toplevels ();
  CdActionDialog *dialog = NULL;

  g_assert_true (gtk_selection_model_select_range (selection, 0, 3, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "overdue.act", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (CD_IS_ACTION_DIALOG (toplevel))
        dialog = CD_ACTION_DIALOG (toplevel);
    }
  g_assert_nonnull (dialog);
  cd_test_wait_for (dialog_read, dialog, "the dialog to read its tickets");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "3 Tickets");
  g_assert_true (cd_action_dialog_select (dialog, "escalate"));
  g_assert_true (cd_action_dialog_select (dialog, "comment"));
  cd_action_dialog_set_note (dialog, "Checked by the night shift");
  cd_test_wait_painted (GTK_WIDGET (dialog));
  cd_test_save_screenshot (GTK_WIDGET (dialog), "citydesk-action.png");
  /* The cache alone cannot send anything: nothing queued. */
  g_assert_cmpuint (cd_action_dialog_apply (dialog), ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_close (GTK_WINDOW (window));
}

static gboolean
league_read (gpointer data)
{
  return !cd_league_window_get_loading (data);
}

/* The league counts open and overdue tickets as the breakdown does, and
 * ranks executors by their on-time share. */
static void
test_league (void)
{
  CdOverduePage *page;
  CdWindow *window = open_dashboard (&page);
  JsonObject *breakdown = json_object_get_object_member (expected, "breakdown");
  JsonArray *groups = json_object_get_array_member (breakdown, "executor");
  GListModel *toplevels = gtk_window_get_toplevels ();
  CdLeagueWindow *league = NULL;
  guint matched = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "overdue.league", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && league == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (CD_IS_LEAGUE_WINDOW (toplevel))
        league = CD_LEAGUE_WINDOW (toplevel);
    }
  g_assert_nonnull (league);
  cd_test_wait_for (league_read, league, "the league table to read the cache");
  g_assert_cmpuint (cd_league_window_get_n_rows (league), >, 0);

  for (guint r = 1; r <= cd_league_window_get_n_rows (league); r++)
    for (guint i = 0; i < json_array_get_length (groups); i++)
      {
        JsonObject *g = json_array_get_object_element (groups, i);
        g_autofree char *open = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 json_object_get_int_member (g, "open"));
        g_autofree char *overdue = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    json_object_get_int_member (g, "overdue"));

        const char *key = json_object_get_string_member (g, "key");

        /* The executor by name, never by code. */
        if (g_strcmp0 (cd_demo_names_executor_label (key),
                       cd_league_window_get_cell (league, r, 0)) != 0)
          continue;
        g_assert_cmpstr (cd_league_window_get_cell (league, r, 0), !=, key);
        g_assert_cmpstr (cd_league_window_get_cell (league, r, 1), ==, open);
        g_assert_cmpstr (cd_league_window_get_cell (league, r, 2), ==, overdue);
        matched++;
      }
  g_assert_cmpuint (matched, >, 0);

  cd_test_wait_painted (GTK_WIDGET (league));
  cd_test_save_screenshot (GTK_WIDGET (league), "citydesk-league.png");
  gtk_window_destroy (GTK_WINDOW (league));
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_cache_private (void)
{
  GStatBuf st;

  g_assert_nonnull (cd_application_get_store (app));
  g_assert_cmpint (g_stat (g_getenv ("CITYDESK_CACHE"), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
}

/* At the size a first start opens with, the list's columns fit the view
 * and no label is cut, in whichever language the test runs. */
static void
test_nothing_cut (void)
{
  GSettings *settings = cd_application_get_settings (app);
  g_autofree char *name = NULL;
  CdOverduePage *page;
  CdWindow *window;
  GtkColumnView *view;
  GListModel *columns;

  g_settings_set_string (settings, "last-page", "overdue");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  window = cd_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  cd_test_wait_painted (GTK_WIDGET (window));
  page = cd_test_find_one (GTK_WIDGET (window), CD_TYPE_OVERDUE_PAGE);
  wait_read (page);
  cd_test_wait_painted (GTK_WIDGET (window));
  g_assert_cmpuint (g_list_model_get_n_items (cd_overdue_page_get_model (page)), >, 0);

  view = cd_overdue_page_get_column_view (page);
  cd_test_assert_columns_fit (view);
  cd_test_assert_nothing_cut (GTK_WIDGET (window));

  /* The worst stuck tickets were reminded or escalated: their numbers are
   * marked, and the mark shows (the style sheet reaches the cell). */
  {
    g_autoptr(GPtrArray) cells = cd_test_find (GTK_WIDGET (view), GTK_TYPE_INSCRIPTION);
    GtkWidget *marked = NULL, *plain = NULL;
    GdkRGBA marked_color, plain_color;

    for (guint i = 0; i < cells->len; i++)
      {
        GtkWidget *cell = g_ptr_array_index (cells, i);

        if (gtk_widget_has_css_class (cell, "marked"))
          marked = marked != NULL ? marked : cell;
        else if (gtk_widget_has_css_class (cell, "numeric") && plain == NULL)
          plain = cell;
      }
    g_assert_nonnull (marked);
    g_assert_nonnull (plain);
    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    gtk_style_context_get_color (gtk_widget_get_style_context (marked), &marked_color);
    gtk_style_context_get_color (gtk_widget_get_style_context (plain), &plain_color);
    G_GNUC_END_IGNORE_DEPRECATIONS
    g_assert_false (gdk_rgba_equal (&marked_color, &plain_color));
  }

  /* The sort arrow widens its column's header: they fit whichever it is. */
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
      wait_read (page);
      cd_test_wait_painted (GTK_WIDGET (window));
      cd_test_assert_columns_fit (view);
    }
  {
    g_autoptr(GtkColumnViewColumn) overdue_by = g_list_model_get_item (columns, 6);

    gtk_column_view_sort_by_column (view, overdue_by, GTK_SORT_DESCENDING);
    wait_read (page);
    cd_test_wait_painted (GTK_WIDGET (window));
  }

  name = cd_test_ui_screenshot_name ("citydesk-overdue");
  cd_test_save_screenshot (GTK_WIDGET (window), name);
  gtk_window_close (GTK_WINDOW (window));
}

/* The ticket view's repeats open on activation (a click or Enter on the
 * row), each in a window of its own, as the first one was opened. */
static void
test_repeats_open (void)
{
  CdStore *store = cd_application_get_store (app);
  CdTicketFilter query = { 0 };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GtkWindow) ticket_window = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  AdwActionRow *repeat = NULL;
  CdTicketWindow *opened = NULL;
  GList *windows;
  const char *number = NULL;

  tickets = cd_store_list_tickets (store, &query, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tickets->len && number == NULL; i++)
    if (((CdTicket *) g_ptr_array_index (tickets, i))->repeat_of != NULL)
      number = ((CdTicket *) g_ptr_array_index (tickets, i))->number;
  g_assert_nonnull (number);

  ticket_window = open_ticket_as ("supervisor", number);
  gtk_window_set_application (ticket_window, GTK_APPLICATION (app));
  gtk_window_present (ticket_window);
  cd_test_wait_painted (GTK_WIDGET (ticket_window));

  cd_test_find_into (GTK_WIDGET (ticket_window), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len && repeat == NULL; i++)
    {
      GtkActionable *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (gtk_actionable_get_action_name (row), "ticket.open") == 0)
        repeat = ADW_ACTION_ROW (row);
    }
  g_assert_nonnull (repeat);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (repeat)));
  target = g_variant_dup_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (repeat)),
                                 NULL);
  g_assert_cmpstr (target, ==, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (repeat)));
  g_assert_cmpstr (target, !=, number);

  /* What Enter on the focused row and a click on it both do. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (repeat)));
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  for (GList *l = windows; l != NULL; l = l->next)
    if (CD_IS_TICKET_WINDOW (l->data) && l->data != (gpointer) ticket_window)
      {
        wait_ticket (l->data);
        if (g_strcmp0 (cd_ticket_window_get_ticket (l->data)->number, target) == 0)
          opened = l->data;
      }
  g_assert_nonnull (opened);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (opened)) == ticket_window);
  g_assert_cmpuint (cd_ticket_window_get_n_history (opened), >=, 1);
  cd_test_wait_painted (GTK_WIDGET (opened));

  gtk_window_destroy (GTK_WINDOW (opened));
  gtk_window_destroy (ticket_window);
}

/* The session opens another cache at the same path (a demo city made
 * again): the page reads the new file, not the one its reader had open. */
static void
test_cache_made_again (void)
{
  CdSession *session = cd_application_get_session (app);
  const char *db = g_getenv ("CITYDESK_CACHE");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *want = NULL;
  JsonObject *tiles;
  CdOverduePage *page;
  CdWindow *window = open_dashboard (&page);

  g_assert_cmpstr (cd_overdue_page_get_tile_text (page, CD_OVERDUE_TILE_BREACHED), !=, "0");
  cd_session_log_out (session);
  g_assert_null (cd_session_get_store (session));
  g_assert_cmpint (g_unlink (db), ==, 0);
  g_unlink (wal);
  g_unlink (shm);
  /* A city of two days: fewer tickets, other figures. */
  g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", db, "--days", "2", "--end",
                                END, NULL),
                   ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "tickets", "--db", db, "--overdue", "--json", "--now",
                                NOW, NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  tiles = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "tiles");
  want = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (tiles, "stale"));

  g_assert_true (cd_session_resume (session, FALSE));
  g_assert_nonnull (cd_session_get_store (session));
  /* The new cache is read by itself: no refresh asked for. */
  wait_read (page);
  g_assert_cmpstr (cd_overdue_page_get_tile_text (page, CD_OVERDUE_TILE_STALE), ==, want);
  gtk_window_close (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *home = NULL;
  g_autofree char *db = NULL;
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  /* Where the app keeps its cache, but named by CITYDESK_CACHE as tests do. */
  db = g_build_filename (home, "cache.db", NULL);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", db, "--days", "10", "--end",
                                END, NULL),
                   ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "tickets", "--db", db, "--overdue", "--json", "--now",
                                NOW, NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  expected = json_node_get_object (json_parser_get_root (parser));

  g_setenv ("CITYDESK_CACHE", db, TRUE);
  g_setenv ("CITYDESK_NOW", NOW, TRUE);
  g_unsetenv ("CITYDESK_ROLE");

  app = cd_test_ui_new_app ();

  g_test_add_func ("/overdue-ui/cache-private", test_cache_private);
  g_test_add_func ("/overdue-ui/tiles-and-breakdown", test_tiles_and_breakdown);
  g_test_add_func ("/overdue-ui/tile-filters-list", test_tile_filters_list);
  g_test_add_func ("/overdue-ui/export", test_export);
  g_test_add_func ("/overdue-ui/act-on-selection", test_act_on_selection);
  g_test_add_func ("/overdue-ui/league", test_league);
  g_test_add_func ("/overdue-ui/repeats-open", test_repeats_open);
  g_test_add_func ("/overdue-ui/nothing-cut", test_nothing_cut);
  g_test_add_func ("/overdue-ui/cache-made-again", test_cache_made_again);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
