// SPDX-License-Identifier: GPL-3.0-or-later
//
// The real window under Xvfb, driven through its actions as a user's keys
// would drive it. Run with LANGUAGE=ru, it checks the Russian shell.

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "cd-application.h"
#include "cd-connection-indicator.h"
#include "cd-page.h"
#include "cd-preferences-window.h"
#include "cd-sidebar-row.h"
#include "cd-test-ui.h"
#include "cd-welcome-page.h"
#include "cd-window.h"

static CdApplication *app;

static const char * const page_names[] = {
  "queue", "overdue", "recordings", "complaints", "callbacks",
};

static gboolean
is_russian (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "ru");
}

static void
flush_events (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static CdWindow *
open_window (void)
{
  CdWindow *window = cd_application_new_window (app);

  gtk_window_present (GTK_WINDOW (window));
  cd_test_wait_painted (GTK_WIDGET (window));
  return window;
}

static void
close_window (CdWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  flush_events ();
}

static void
test_pages (void)
{
  CdWindow *window = open_window ();
  g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (window), CD_TYPE_SIDEBAR_ROW);
  const char *english[] = { "Queue load", "Overdue tickets", "Call recordings", "Complaints",
                            "Callbacks" };
  const char *russian[] = { "Нагрузка на очередь", "Просроченные заявки", "Записи разговоров",
                            "Жалобы", "Обратные звонки" };
  const char **expected = is_russian () ? russian : english;

  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (page_names));
  for (guint i = 0; i < rows->len; i++)
    {
      CdSidebarRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpstr (cd_sidebar_row_get_page_name (row), ==, page_names[i]);
      g_assert_cmpstr (cd_sidebar_row_get_title (row), ==, expected[i]);
    }

  /* With an empty cache and no server answering, every dashboard says
   * so, rather than what the server holds or will show. */
  if (!is_russian ())
    {
      g_autoptr(GPtrArray) pages = cd_test_find (GTK_WIDGET (window), CD_TYPE_PAGE);

      g_assert_cmpuint (pages->len, ==, G_N_ELEMENTS (page_names));
      for (guint i = 0; i < pages->len; i++)
        {
          g_autoptr(GPtrArray) status = cd_test_find (g_ptr_array_index (pages, i),
                                                       ADW_TYPE_STATUS_PAGE);
          AdwStatusPage *first = g_ptr_array_index (status, 0);

          g_assert_cmpstr (adw_status_page_get_title (first), ==, "Waiting for the Server");
        }
    }

  close_window (window);
}

static void
test_accels (void)
{
  static const struct {
    const char *action;
    const char *accel;
  } cases[] = {
    { "win.show-page('queue')", "<Control>1" },
    { "win.show-page('overdue')", "<Control>2" },
    { "win.show-page('recordings')", "<Control>3" },
    { "win.show-page('complaints')", "<Control>4" },
    { "win.show-page('callbacks')", "<Control>5" },
    { "win.search", "<Control>f" },
    { "app.quit", "<Control>q" },
    { "app.help", "F1" },
    { "app.preferences", "<Control>comma" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                     cases[i].action);

      g_test_message ("%s", cases[i].action);
      g_assert_nonnull (accels);
      g_assert_true (g_strv_contains ((const char * const *) accels, cases[i].accel));
    }
}

static void
test_show_page (void)
{
  CdWindow *window = open_window ();
  GSettings *settings = cd_application_get_settings (app);
  g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (window), CD_TYPE_SIDEBAR_ROW);

  /* Backwards, so that every step is a change. */
  for (int i = G_N_ELEMENTS (page_names) - 1; i >= 0; i--)
    {
      g_autoptr(GPtrArray) titles = NULL;
      GtkListBoxRow *selected;
      gboolean title_shown = FALSE;

      g_assert_true (
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page_names[i]));
      flush_events ();

      g_assert_cmpstr (cd_window_get_visible_page (window), ==, page_names[i]);

      /* The sidebar follows the keyboard. */
      selected = gtk_list_box_get_selected_row (
          GTK_LIST_BOX (gtk_widget_get_parent (g_ptr_array_index (rows, 0))));
      g_assert_true (selected == g_ptr_array_index (rows, i));

      /* The header names the dashboard. */
      titles = cd_test_find (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);
      for (guint j = 0; j < titles->len; j++)
        if (g_strcmp0 (adw_window_title_get_title (g_ptr_array_index (titles, j)),
                       cd_sidebar_row_get_title (g_ptr_array_index (rows, i))) == 0)
          title_shown = TRUE;
      g_assert_true (title_shown);

      /* And the next start opens it again. */
      {
        g_autofree char *saved = g_settings_get_string (settings, "last-page");

        g_assert_cmpstr (saved, ==, page_names[i]);
      }
    }

  close_window (window);
}

static void
test_search (void)
{
  CdWindow *window = open_window ();
  g_autoptr(GPtrArray) pages = cd_test_find (GTK_WIDGET (window), CD_TYPE_PAGE);
  g_autoptr(GPtrArray) buttons = cd_test_find (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON);

  for (guint i = 0; i < pages->len; i++)
    g_assert_false (cd_page_get_search_mode (g_ptr_array_index (pages, i)));

  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "complaints"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  flush_events ();

  for (guint i = 0; i < pages->len; i++)
    {
      CdPage *page = g_ptr_array_index (pages, i);
      GtkStack *stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (page)));
      gboolean visible = gtk_stack_get_visible_child (stack) == GTK_WIDGET (page);

      /* Only the dashboard on screen searches, and the focus is in its entry. */
      g_assert_cmpint (cd_page_get_search_mode (page), ==, visible);
      if (visible)
        {
          GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

          g_assert_nonnull (focus);
          g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (page)));
          g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));
        }
    }

  /* The header's search button shows the same state. */
  {
    gboolean any_active = FALSE;

    for (guint i = 0; i < buttons->len; i++)
      any_active |= gtk_toggle_button_get_active (g_ptr_array_index (buttons, i));
    g_assert_true (any_active);
  }

  close_window (window);
}

static void
test_restore_state (void)
{
  GSettings *settings = cd_application_get_settings (app);
  CdWindow *window;
  int width, height;

  g_settings_set_string (settings, "last-page", "recordings");
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = open_window ();
  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "recordings");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  close_window (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1200);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 800);
}

static void
test_connection_indicator (void)
{
  CdWindow *window = open_window ();
  g_autoptr(GPtrArray) found = cd_test_find (GTK_WIDGET (window), CD_TYPE_CONNECTION_INDICATOR);
  CdConnectionIndicator *indicator;

  g_assert_cmpuint (found->len, ==, 1);
  indicator = g_ptr_array_index (found, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (indicator)));
  /* A cache without a server to follow: shown, and said to be offline. */
  g_assert_cmpint (cd_connection_indicator_get_state (indicator), ==, CD_CONNECTION_STATE_OFFLINE);
  g_assert_cmpstr (cd_connection_indicator_get_label (indicator), ==,
                   is_russian () ? "Нет связи" : "Offline");

  close_window (window);
}

static void
test_log_out_welcome (void)
{
  CdWindow *window = open_window ();
  CdSession *session = cd_application_get_session (app);
  g_autoptr(GPtrArray) found = NULL;
  CdWelcomePage *welcome;

  g_assert_nonnull (cd_session_get_store (session));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
  cd_test_wait_painted (GTK_WIDGET (window));

  /* Logged out: no cache in use, and the welcome page asks for a server. */
  g_assert_null (cd_session_get_store (session));
  found = cd_test_find (GTK_WIDGET (window), CD_TYPE_WELCOME_PAGE);
  g_assert_cmpuint (found->len, ==, 1);
  welcome = g_ptr_array_index (found, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (welcome)));
  /* Let the cross-fade finish, so that the picture shows the page. */
  {
    gboolean done = FALSE;

    g_timeout_add (500, cd_test_set_flag, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
  }
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window),
                           is_russian () ? "citydesk-welcome-ru.png" : "citydesk-welcome.png");

  close_window (window);
  /* The next tests want the shell again. */
  g_assert_true (cd_session_resume (session, FALSE));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type))
        return window;
    }
  return NULL;
}

static void
test_shortcuts_window (void)
{
  CdWindow *window = open_window ();
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (
      GTK_APPLICATION_WINDOW (window));
  g_autoptr(GPtrArray) shortcuts = NULL;
  guint with_accel = 0;

  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  cd_test_wait_painted (GTK_WIDGET (overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  /* Every shortcut listed resolves to a key the application really binds,
   * or names the key a list binds itself (Enter, Ctrl+Enter, Ctrl+E, F5). */
  shortcuts = cd_test_find (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT);
  g_assert_cmpuint (shortcuts->len, >=, 10);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *accelerator = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "action-name", &action, "accelerator",
                    &accelerator, NULL);
      g_test_message ("%s %s", action ? action : "-", accelerator ? accelerator : "-");
      if (action == NULL)
        {
          guint key = 0;

          g_assert_nonnull (accelerator);
          g_assert_true (gtk_accelerator_parse (accelerator, &key, NULL));
          g_assert_cmpuint (key, !=, 0);
          with_accel++;
          continue;
        }
      accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
      g_assert_nonnull (accels);
      g_assert_nonnull (accels[0]);
      with_accel++;
    }
  g_assert_cmpuint (with_accel, ==, shortcuts->len);

  gtk_window_close (GTK_WINDOW (overlay));
  close_window (window);
}

static void
test_preferences (void)
{
  CdWindow *window = open_window ();
  GSettings *settings = cd_application_get_settings (app);
  GtkWindow *prefs;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  AdwEntryRow *url_row;
  GtkLabel *error_label = NULL;
  g_autofree char *saved = NULL;

  g_settings_set_string (settings, "server-url", "");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = find_toplevel (CD_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  cd_test_wait_painted (GTK_WIDGET (prefs));

  rows = cd_test_find (GTK_WIDGET (prefs), ADW_TYPE_ENTRY_ROW);
  g_assert_cmpuint (rows->len, ==, 1);
  url_row = g_ptr_array_index (rows, 0);
  labels = cd_test_find (GTK_WIDGET (prefs), GTK_TYPE_LABEL);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error"))
      error_label = g_ptr_array_index (labels, i);
  g_assert_nonnull (error_label);

  /* A bad address is refused with a reason, and not saved. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "ftp://citydesk.example.org");
  g_signal_emit_by_name (url_row, "apply");
  flush_events ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_label (error_label), "ftp"));
  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, "");
  g_clear_pointer (&saved, g_free);

  /* A good one is saved in its normal form. */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "CityDesk.Example.org:8443/");
  g_signal_emit_by_name (url_row, "apply");
  flush_events ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error_label)));
  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, "https://citydesk.example.org:8443");

  gtk_window_destroy (prefs);
  close_window (window);
}

static void
test_about (void)
{
  CdWindow *window = open_window ();
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  cd_test_wait_painted (GTK_WIDGET (about));

  gtk_window_destroy (about);
  close_window (window);
}

static void
test_dark_style (void)
{
  GSettings *settings = cd_application_get_settings (app);
  AdwStyleManager *style = adw_style_manager_get_default ();
  CdWindow *window;

  g_settings_set_string (settings, "color-scheme", "dark");
  flush_events ();
  g_assert_true (adw_style_manager_get_dark (style));

  window = open_window ();
  cd_test_save_screenshot (GTK_WIDGET (window), is_russian () ? "citydesk-shell-dark-ru.png"
                                                              : "citydesk-shell-dark.png");
  close_window (window);

  g_settings_set_string (settings, "color-scheme", "light");
  flush_events ();
  g_assert_false (adw_style_manager_get_dark (style));
}

/* Whether the leaflet shows the dashboards' content rather than the list. */
static gboolean
content_in_front (AdwLeaflet *leaflet)
{
  g_autoptr(GPtrArray) pages = cd_test_find (adw_leaflet_get_visible_child (leaflet), CD_TYPE_PAGE);

  return pages->len > 0;
}

static void
test_narrow (void)
{
  GSettings *settings = cd_application_get_settings (app);
  g_autoptr(GPtrArray) leaflets = NULL;
  AdwLeaflet *leaflet;
  CdWindow *window;

  g_settings_set_int (settings, "window-width", 420);
  g_settings_set_int (settings, "window-height", 700);
  g_settings_set_string (settings, "last-page", "callbacks");
  window = open_window ();

  /* On a narrow window the sidebar folds away and the dashboard is shown. */
  leaflets = cd_test_find (GTK_WIDGET (window), ADW_TYPE_LEAFLET);
  g_assert_cmpuint (leaflets->len, ==, 1);
  leaflet = g_ptr_array_index (leaflets, 0);
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (content_in_front (leaflet));
  {
    g_autoptr(GPtrArray) indicators = cd_test_find (GTK_WIDGET (window),
                                                     CD_TYPE_CONNECTION_INDICATOR);
    gboolean compact;

    g_object_get (g_ptr_array_index (indicators, 0), "compact", &compact, NULL);
    g_assert_true (compact);
  }

  /* Back shows the dashboards; choosing one brings its page forward. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-sidebar", NULL));
  while (adw_leaflet_get_child_transition_running (leaflet))
    g_main_context_iteration (NULL, TRUE);
  cd_test_wait_painted (GTK_WIDGET (window));
  g_assert_false (content_in_front (leaflet));
  cd_test_save_screenshot (GTK_WIDGET (window), is_russian () ? "citydesk-shell-narrow-ru.png"
                                                              : "citydesk-shell-narrow.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "queue"));
  flush_events ();
  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "queue");
  g_assert_true (content_in_front (leaflet));

  close_window (window);
}

/* At the size a first start opens with, in the language of the run, no
 * dashboard cuts a word of its sidebar, tiles, headers or buttons. */
static void
test_nothing_cut (void)
{
  GSettings *settings = cd_application_get_settings (app);
  CdWindow *window;

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
  window = open_window ();
  /* The widest a badge gets in a busy city, beside every title. */
  {
    g_autoptr(GPtrArray) pages = cd_test_find (GTK_WIDGET (window), CD_TYPE_PAGE);

    for (guint i = 0; i < pages->len; i++)
      cd_page_set_badge (g_ptr_array_index (pages, i), 12345);
  }
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_test_message ("%s", page_names[i]);
      g_assert_true (
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", page_names[i]));
      cd_test_wait_painted (GTK_WIDGET (window));
      cd_test_assert_nothing_cut (GTK_WIDGET (window));
      /* A long title in the sidebar wraps between its words, never inside
       * one; the sidebar is as wide as its longest word needs. */
      {
        g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (window), CD_TYPE_SIDEBAR_ROW);

        g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (page_names));
        for (guint r = 0; r < rows->len; r++)
          cd_test_assert_words_whole (g_ptr_array_index (rows, r));
      }
    }
  close_window (window);
}

static void
test_screenshot (void)
{
  GSettings *settings = cd_application_get_settings (app);
  CdWindow *window;

  g_settings_set_string (settings, "last-page", "overdue");
  g_settings_set_int (settings, "window-width", 1180);
  g_settings_set_int (settings, "window-height", 760);
  window = open_window ();
  cd_test_save_screenshot (GTK_WIDGET (window),
                           is_russian () ? "citydesk-shell-ru.png" : "citydesk-shell.png");
  close_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *cache = NULL;
  int ret;

  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  /* A cache of its own and no server: the shell shows, offline. */
  cache = g_build_filename (home, "cache.db", NULL);
  g_setenv ("CITYDESK_CACHE", cache, TRUE);

  app = cd_test_ui_new_app ();

  g_test_add_func ("/window/pages", test_pages);
  g_test_add_func ("/window/accels", test_accels);
  g_test_add_func ("/window/show-page", test_show_page);
  g_test_add_func ("/window/search", test_search);
  g_test_add_func ("/window/restore-state", test_restore_state);
  g_test_add_func ("/window/connection-indicator", test_connection_indicator);
  g_test_add_func ("/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/window/preferences", test_preferences);
  g_test_add_func ("/window/about", test_about);
  g_test_add_func ("/window/dark-style", test_dark_style);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add_func ("/window/nothing-cut", test_nothing_cut);
  g_test_add_func ("/window/screenshot", test_screenshot);
  g_test_add_func ("/window/log-out-welcome", test_log_out_welcome);

  ret = g_test_run ();

  g_clear_object (&app);
  return ret;
}
