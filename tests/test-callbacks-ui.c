// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Callbacks dashboard in the real window under Xvfb, logged in as the
// feedback department to a real citydesk-server whose tickets were
// resolved through `citydeskctl ticket act`: three callbacks are worked
// through with the keyboard alone (an outcome key each, the comment typed
// for "partly fixed"), the next task opening by itself; the server
// journals three callback events with those outcomes; a double press
// records one; the supervisor's figures count them; a screenshot of the
// page in the light style goes to the build directory (and to
// CITYDESK_SCREENSHOT_DIR when it is set).

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-ui.h"
#include "cd-application.h"
#include "cd-callbacks-page.h"
#include "cd-store-feedback.h"
#include "cd-window.h"

#define N_TICKETS 4

static CdApplication *app;
static CdTestServer server;
static char *numbers[N_TICKETS];

/* The keyboard {{{1 */

/* A key pressed where the focus is, dispatched as GTK does in the bubble
 * phase: text typed into an entry stays there (Return activates it), Tab
 * moves the focus, anything else goes to the first shortcut for it of the
 * focus widget or of an ancestor, innermost first: the key bindings the
 * widgets' classes install and their shortcut controllers. */
static gboolean
press_key (GtkWidget       *window,
           guint            keyval,
           GdkModifierType  modifiers)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  gunichar c = gdk_keyval_to_unicode (keyval);

  g_assert_nonnull (focus);
  g_test_message ("key %s on %s", gdk_keyval_name (keyval), G_OBJECT_TYPE_NAME (focus));
  if (GTK_IS_TEXT (focus) && modifiers == 0)
    {
      if (keyval == GDK_KEY_Return)
        {
          g_signal_emit_by_name (focus, "activate");
          return TRUE;
        }
      if (c != 0 && g_unichar_isprint (c))
        {
          char text[8] = { 0 };
          int position = gtk_editable_get_position (GTK_EDITABLE (focus));

          g_unichar_to_utf8 (c, text);
          gtk_editable_insert_text (GTK_EDITABLE (focus), text, -1, &position);
          gtk_editable_set_position (GTK_EDITABLE (focus), position);
          return TRUE;
        }
    }
  if (keyval == GDK_KEY_Tab && modifiers == 0)
    return gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);

  for (GtkWidget *widget = focus; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

      for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
        {
          g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

          if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
            {
              g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller),
                                                                        j);
              GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

              if (!GTK_IS_KEYVAL_TRIGGER (trigger) ||
                  gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) != keyval ||
                  gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) != modifiers)
                continue;
              if (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                gtk_shortcut_get_arguments (shortcut)))
                return TRUE;
            }
        }
    }
  for (GtkWidget *widget = focus; widget != NULL; widget = gtk_widget_get_parent (widget))
    g_test_message ("no shortcut for the key in %s", G_OBJECT_TYPE_NAME (widget));
  return FALSE;
}

static void
type_text (GtkWidget  *window,
           const char *text)
{
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    g_assert_true (press_key (window, gdk_unicode_to_keyval (g_utf8_get_char (c)), 0));
}

/* The fixture {{{1 */

/* The feedback department's tickets: registered, accepted and resolved by
 * the executor, an hour apart, so that their callbacks fall due in that
 * order. */
static void
make_tickets (const char *db,
              gint64      start)
{
  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_autoptr(GDateTime) registered = g_date_time_new_from_unix_utc (start + i * 3600);
      g_autoptr(GDateTime) resolved = g_date_time_add_minutes (registered, 30);
      g_autofree char *at = g_date_time_format_iso8601 (registered);
      g_autofree char *done = g_date_time_format_iso8601 (resolved);
      g_autofree char *phone = g_strdup_printf ("+37529123450%u", i);
      g_autofree char *building = g_strdup_printf ("%u", i + 1);
      g_autofree char *out = NULL;

      g_assert_cmpint (cd_test_ctl (&out, NULL, "ticket", "register", "--db", db, "--kind",
                                    "routine", "--category", "housing.heating", "--district",
                                    "Central", "--street", "Lenin St", "--building", building,
                                    "--phone", phone, "--executor", "zhes-1", "--now", at, NULL),
                       ==, 0);
      numbers[i] = g_strstrip (g_steal_pointer (&out));
      g_free (cd_test_ui_ctl ("ticket", "act", "--db", db, numbers[i], "accept", "--as", "executor",
                              "--org", "zhes-1", "--actor", "executor-1", "--now", at, NULL));
      g_free (cd_test_ui_ctl ("ticket", "act", "--db", db, numbers[i], "resolve", "--as",
                              "executor", "--org", "zhes-1", "--actor", "executor-1", "--now", done,
                              NULL));
    }
}

/* A moment the calling window of every task is open, at or after the
 * present: the app judges by it (CITYDESK_NOW) while the server records
 * the calls at the present, before it, as a caller working ahead would. */
static char *
choose_now (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db, &error);
  g_autoptr(GDateTime) chosen = NULL;
  gint64 t = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GPtrArray) tasks = NULL;
      gint64 start = t, end = G_MAXINT64;

      g_assert_true (cd_store_list_feedback_tasks (store, t, 0, FALSE, "feedback", &tasks,
                                                   &error));
      g_assert_no_error (error);
      g_assert_cmpuint (tasks->len, ==, N_TICKETS);
      for (guint i = 0; i < tasks->len; i++)
        {
          CdFeedbackTask *task = g_ptr_array_index (tasks, i);

          start = MAX (start, task->window_start);
          end = MIN (end, task->window_end);
        }
      /* A minute into the window, with room for the test in it. */
      if (start + 60 + 3600 < end)
        {
          chosen = g_date_time_new_from_unix_utc (start + 60);
          return g_date_time_format_iso8601 (chosen);
        }
      t = end + 1;
    }
  g_assert_not_reached ();
}

/* The callback events the server journaled for @number: their outcomes,
 * in order, joined with spaces. */
static char *
journaled_outcomes (const char *number)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) outcomes = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *ticket;
  JsonArray *events;

  g_assert_cmpint (cd_test_ctl (&json, NULL, "ticket", "show", "--db", server.db, number,
                                "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  ticket = json_node_get_object (json_parser_get_root (parser));
  events = json_object_get_array_member (ticket, "history");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      g_autoptr(JsonObject) payload = NULL;

      if (g_strcmp0 (json_object_get_string_member (event, "type"), "callback") != 0)
        continue;
      /* Who called: the user logged in to the app. */
      g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, "feedback");
      payload = cd_test_parse_object (json_object_get_string_member (event, "payload"));
      /* The server, not the app, numbers the attempt. */
      g_assert_cmpint (json_object_get_int_member (payload, "attempt"), ==, 1);
      if (outcomes->len > 0)
        g_string_append_c (outcomes, ' ');
      g_string_append (outcomes, json_object_get_string_member (payload, "outcome"));
      if (json_object_has_member (payload, "note"))
        g_string_append_printf (outcomes, "(%s)", json_object_get_string_member (payload, "note"));
    }
  return g_string_free (g_steal_pointer (&outcomes), FALSE);
}

/* The window {{{1 */

static gboolean
page_read (gpointer data)
{
  return !cd_callbacks_page_get_loading (data) && cd_callbacks_page_get_current (data) != NULL;
}

static gboolean
can_record (gpointer data)
{
  return cd_callbacks_page_get_can_record (data);
}

static CdWindow *
open_dashboard (CdCallbacksPage **page)
{
  CdWindow *window = cd_test_ui_open_dashboard (app, "callbacks", 1400, 900, CD_TYPE_CALLBACKS_PAGE,
                                                page);

  cd_test_wait_for (page_read, *page, "the callbacks page to show a task");
  return window;
}

static gboolean
actions_sent (gpointer data)
{
  CdSync *sync = cd_session_get_sync (cd_application_get_session (app));

  return sync != NULL && cd_sync_get_pending_actions (sync) == 0;
}

/* Three callbacks by keyboard alone: Confirmed (1), Not fixed (2) and
 * Partly fixed (3) with its note typed into the comment and Return. */
static void
test_keyboard (void)
{
  CdCallbacksPage *page;
  CdWindow *window = open_dashboard (&page);
  GtkWidget *root = GTK_WIDGET (window);
  g_autofree char *first = NULL;
  guint n;

  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "callbacks");
  n = cd_callbacks_page_get_n_tasks (page);
  g_assert_cmpuint (n, ==, N_TICKETS);
  /* Soonest due first: the first resolved. */
  g_assert_cmpstr (cd_callbacks_page_get_current (page), ==, numbers[0]);
  g_assert_cmpstr (cd_callbacks_page_get_phone_text (page), ==, "+375291234500");
  g_assert_nonnull (strstr (cd_callbacks_page_get_script (page), numbers[0]));
  g_assert_true (gtk_widget_grab_focus (cd_callbacks_page_get_task_list (page)));

  /* Ctrl+C: the resident's number on the clipboard. */
  g_assert_true (press_key (root, GDK_KEY_c, GDK_CONTROL_MASK));

  /* 1: confirmed, and the next opens by itself. A second press within the
   * double click's time records nothing. */
  g_assert_true (press_key (root, GDK_KEY_1, 0));
  press_key (root, GDK_KEY_1, 0);
  g_assert_cmpstr (cd_callbacks_page_get_current (page), ==, numbers[1]);
  g_assert_cmpuint (cd_callbacks_page_get_n_tasks (page), ==, N_TICKETS - 1);
  cd_test_wait_for (can_record, page, "the outcome keys to rest");

  /* 2: not fixed. */
  g_assert_true (press_key (root, GDK_KEY_2, 0));
  g_assert_cmpstr (cd_callbacks_page_get_current (page), ==, numbers[2]);
  cd_test_wait_for (can_record, page, "the outcome keys to rest");

  /* 3: partly fixed asks for the note first: the comment takes the focus. */
  g_assert_true (press_key (root, GDK_KEY_3, 0));
  g_assert_cmpstr (cd_callbacks_page_get_current (page), ==, numbers[2]);
  g_assert_nonnull (cd_callbacks_page_get_message (page));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (cd_callbacks_page_get_comment (page))));
  type_text (root, "Still cold in 2 rooms");
  g_assert_cmpstr (gtk_editable_get_text (cd_callbacks_page_get_comment (page)), ==,
                   "Still cold in 2 rooms");
  g_assert_true (press_key (root, GDK_KEY_Return, 0));
  g_assert_cmpstr (cd_callbacks_page_get_current (page), ==, numbers[3]);
  g_assert_cmpuint (cd_callbacks_page_get_n_tasks (page), ==, 1);

  /* The server journaled one event each, with its outcome. */
  cd_test_wait_for (actions_sent, NULL, "the outbox to send the outcomes");
  first = journaled_outcomes (numbers[0]);
  g_assert_cmpstr (first, ==, "confirmed");
  {
    g_autofree char *second = journaled_outcomes (numbers[1]);
    g_autofree char *third = journaled_outcomes (numbers[2]);
    g_autofree char *fourth = journaled_outcomes (numbers[3]);

    g_assert_cmpstr (second, ==, "not_fixed");
    g_assert_cmpstr (third, ==, "partly_fixed(Still cold in 2 rooms)");
    g_assert_cmpstr (fourth, ==, "");
  }
  g_assert_cmpint (cd_test_verify (server.db), ==, 0);

  /* The fourth task open by itself, what the last key did below the list. */
  cd_test_wait_for (can_record, page, "the outcome keys to rest");
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), "callbacks-after-light-en.png");
  gtk_window_close (GTK_WINDOW (window));
}

static gboolean
figures_read (gpointer data)
{
  CdCallbacksPage *page = data;

  return !cd_callbacks_page_get_loading (page) &&
         g_strcmp0 (cd_callbacks_page_get_tile_text (page, CD_CALLBACKS_TILE_CONFIRMATION_RATE),
                    "—") != 0 &&
         cd_callbacks_page_get_n_executors (page) > 0;
}

static char *
share (double value)
{
  return g_strdup_printf ("%.0f %%", 100 * value);
}

/* The supervisor's view over the last 30 days, once the three callbacks
 * are in the cache: the figures `citydeskctl callbacks stats` reads from
 * the server's own database for the same period. */
static void
test_figures (void)
{
  CdCallbacksPage *page;
  CdWindow *window = open_dashboard (&page);
  CdContext *context = cd_page_get_context (CD_PAGE (page));
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdFeedbackStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *confirmed = NULL;
  g_autofree char *reopened = NULL;
  g_autofree char *executor = NULL;
  g_autofree char *rate = NULL;
  gint64 now = cd_context_get_now (context);
  gint64 from, to;

  cd_context_set_role (context, "supervisor");
  cd_page_refresh (CD_PAGE (page));
  cd_callbacks_page_set_period (page, CD_CALLBACKS_PERIOD_30_DAYS);
  cd_callbacks_page_show_figures (page, TRUE);
  cd_test_wait_for (figures_read, page, "the supervisor’s figures");

  cd_callbacks_period_range (CD_CALLBACKS_PERIOD_30_DAYS, now, &from, &to);
  store = cd_store_open (server.db, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_feedback_stats (store, from, to, now, &stats, &error));
  g_assert_no_error (error);
  /* One confirmed, two reopened, of three ended. */
  g_assert_cmpuint (stats->confirmed, ==, 1);
  g_assert_cmpuint (stats->reopened, ==, 2);
  confirmed = share (stats->confirmation_rate);
  reopened = share (stats->reopen_rate);
  g_assert_cmpstr (cd_callbacks_page_get_tile_text (page, CD_CALLBACKS_TILE_CONFIRMATION_RATE),
                   ==, confirmed);
  g_assert_cmpstr (confirmed, ==, "33 %");
  g_assert_cmpstr (cd_callbacks_page_get_tile_text (page, CD_CALLBACKS_TILE_REOPEN_RATE), ==,
                   reopened);
  g_assert_cmpstr (cd_callbacks_page_get_tile_text (page, CD_CALLBACKS_TILE_UNREACHABLE_RATE), ==,
                   "0 %");
  {
    g_autofree char *due_today = g_strdup_printf ("%u", stats->due_today);
    g_autofree char *overdue = g_strdup_printf ("%u", stats->overdue);

    g_assert_cmpstr (cd_callbacks_page_get_tile_text (page, CD_CALLBACKS_TILE_DUE_TODAY), ==,
                     due_today);
    g_assert_cmpstr (cd_callbacks_page_get_tile_text (page, CD_CALLBACKS_TILE_OVERDUE), ==,
                     overdue);
  }
  /* The one executor, by its name, with the two reopened against it. */
  g_assert_cmpuint (cd_callbacks_page_get_n_executors (page), ==, 1);
  executor = cd_callbacks_page_get_executor_cell (page, 0, 0);
  rate = cd_callbacks_page_get_executor_cell (page, 0, 3);
  g_assert_cmpstr (executor, ==, "Housing Office No. 1");
  g_assert_cmpstr (rate, ==, "2");

  cd_callbacks_page_show_figures (page, FALSE);
  cd_context_set_role (context, NULL);
  gtk_window_close (GTK_WINDOW (window));
}

static void
test_screenshots (void)
{
  g_autofree char *work = cd_test_ui_screenshot_name ("callbacks-page-light");
  g_autofree char *figures = cd_test_ui_screenshot_name ("callbacks-figures-light");
  CdCallbacksPage *page;
  CdWindow *window = open_dashboard (&page);

  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), work);
  cd_test_assert_nothing_cut (GTK_WIDGET (window));
  cd_test_assert_words_whole (GTK_WIDGET (page));

  /* The supervisor's view, in the supervisor's role. */
  cd_context_set_role (cd_page_get_context (CD_PAGE (page)), "supervisor");
  cd_page_refresh (CD_PAGE (page));
  cd_test_wait_for (page_read, page, "the callbacks page to read again");
  cd_callbacks_page_show_figures (page, TRUE);
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), figures);
  cd_test_assert_nothing_cut (GTK_WIDGET (window));
  cd_context_set_role (cd_page_get_context (CD_PAGE (page)), NULL);
  gtk_window_close (GTK_WINDOW (window));
}

/* Logging in {{{1 */

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *db = NULL;
  g_autofree char *now = NULL;
  g_autofree char *reference = NULL;
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  db = g_build_filename (home, "server.db", NULL);
  cd_test_add_user (db, "feedback", "feedback", NULL, "password-1");
  cd_test_add_user (db, "supervisor", "supervisor", NULL, "password-1");
  make_tickets (db, g_get_real_time () / G_USEC_PER_SEC - 6 * 3600);
  /* The executor's name, which the supervisor's table shows. */
  reference = g_build_filename (home, "reference.json", NULL);
  g_assert_true (g_file_set_contents (reference,
                                      "{\"executors\": [{\"code\": \"zhes-1\", \"names\": "
                                      "{\"en\": \"Housing Office No. 1\"}}]}",
                                      -1, NULL));
  g_free (cd_test_ui_ctl ("reference", "--db", db, "import", reference, NULL));
  now = choose_now (db);
  g_test_message ("the app judges by %s", now);
  cd_test_server_start (&server, db);

  g_unsetenv ("CITYDESK_ROLE");
  g_setenv ("CITYDESK_NOW", now, TRUE);
  app = cd_test_ui_new_app ();
  cd_test_ui_log_in (app, server.url, "feedback", "password-1");

  /* The screenshot first: all four tasks. */
  g_test_add_func ("/callbacks-ui/screenshots", test_screenshots);
  g_test_add_func ("/callbacks-ui/keyboard", test_keyboard);
  g_test_add_func ("/callbacks-ui/figures", test_figures);

  ret = g_test_run ();
  g_clear_object (&app);
  cd_test_server_clear (&server);
  for (guint i = 0; i < N_TICKETS; i++)
    g_free (numbers[i]);
  return ret;
}
