// SPDX-License-Identifier: GPL-3.0-or-later
//
// The action dialog under Xvfb, over a cache filled by the real
// `citydeskctl demo generate` and `citydeskctl reference import`: Reassign
// offers every organization of the reference data by name, one that has
// no ticket at all too, with none chosen in advance (Apply waits for a
// choice), and Enter applies the dialog only when Apply can be clicked.

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "cd-test-ctl.h"
#include "cd-test-ui.h"
#include "cd-action-dialog.h"
#include "cd-application.h"
#include "cd-reference.h"
#include "cd-window.h"
#include "cd-store-search.h"

#define END "2026-11-20T00:00:00Z"
#define NOW "2026-11-19T12:00:00Z"


static CdApplication *app;

static AdwComboRow *
executor_row (CdActionDialog *dialog)
{
  g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (dialog), ADW_TYPE_COMBO_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (adw_preferences_row_get_title (row), _("New Executor")))
        return ADW_COMBO_ROW (row);
    }
  g_assert_not_reached ();
}

static GtkWidget *
button_labelled (CdActionDialog *dialog,
                 const char     *label)
{
  g_autoptr(GPtrArray) buttons = cd_test_find (GTK_WIDGET (dialog), GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  g_assert_not_reached ();
}

/* Whether a label of the dialog shows @text. */
static gboolean
shows (CdActionDialog *dialog,
       const char     *text)
{
  g_autoptr(GPtrArray) labels = cd_test_find (GTK_WIDGET (dialog), GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_visible (label) &&
          g_str_equal (gtk_label_get_label (GTK_LABEL (label)), text))
        return TRUE;
    }
  return FALSE;
}

/* Longer than a button takes to click once activated. */
static void
settle (void)
{
  gboolean done = FALSE;

  g_timeout_add (600, cd_test_set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
result_shown (gpointer data)
{
  return shows (data, _("Not connected to a server: log in first."));
}

/* Enter in the note, as a person types it. */
static void
press_enter_in_note (CdActionDialog *dialog)
{
  AdwEntryRow *note = cd_test_find_one (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW);
  GtkWidget *text = cd_test_find_one (GTK_WIDGET (note), GTK_TYPE_TEXT);

  gtk_widget_grab_focus (text);
  g_signal_emit_by_name (text, "activate");
}

static gboolean
dialog_read (gpointer data)
{
  return !cd_action_dialog_get_loading (data);
}

static void
test_reassign (void)
{
  CdWindow *window = cd_application_new_window (app);
  CdSession *session = cd_application_get_session (app);
  CdStore *store = cd_session_get_store (session);
  g_autoptr(CdContext) context = cd_context_new (session);
  /* A ticket that may be reassigned. */
  CdTicketFilter open = { .state = "assigned" };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GError) error = NULL;
  const char *numbers[2] = { NULL };
  const char *not_connected = _("Not connected to a server: log in first.");
  CdActionDialog *dialog;
  AdwComboRow *row;
  GListModel *model;
  GtkWidget *apply;
  guint quiet = GTK_INVALID_LIST_POSITION;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_nonnull (store);
  tickets = cd_store_list_tickets (store, &open, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 1);
  numbers[0] = ((CdTicket *) g_ptr_array_index (tickets, 0))->number;

  cd_context_set_role (context, "supervisor");
  dialog = cd_action_dialog_new (context, numbers);
  gtk_window_present (GTK_WINDOW (dialog));
  cd_test_wait_for (dialog_read, dialog, "the dialog to read its tickets");
  g_assert_true (cd_action_dialog_select (dialog, "reassign"));
  cd_test_wait_painted (GTK_WIDGET (dialog));

  row = executor_row (dialog);
  model = adw_combo_row_get_model (row);
  apply = button_labelled (dialog, _("_Apply"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));

  /* Every organization, by name, the one without any ticket too. */
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 2);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      const char *code = g_object_get_data (G_OBJECT (item), "code");

      g_assert_nonnull (code);
      g_assert_cmpstr (gtk_string_object_get_string (item), !=, code);
      if (g_str_equal (code, "quiet-org"))
        {
          quiet = i;
          g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Quiet Works");
        }
      if (i > 0)
        {
          g_autoptr(GtkStringObject) before = g_list_model_get_item (model, i - 1);

          g_assert_cmpint (g_utf8_collate (gtk_string_object_get_string (before),
                                           gtk_string_object_get_string (item)), <=, 0);
        }
    }
  g_assert_cmpuint (quiet, !=, GTK_INVALID_LIST_POSITION);

  /* None chosen in advance: Apply waits, and Enter does nothing. */
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, GTK_INVALID_LIST_POSITION);
  g_assert_null (adw_combo_row_get_selected_item (row));
  g_assert_false (gtk_widget_get_sensitive (apply));
  press_enter_in_note (dialog);
  settle ();
  g_assert_false (shows (dialog, not_connected));

  /* Chosen: Enter applies (the cache alone cannot send, and says so). */
  adw_combo_row_set_selected (row, quiet);
  g_assert_true (gtk_widget_get_sensitive (apply));
  cd_test_wait_painted (GTK_WIDGET (dialog));
  cd_test_save_screenshot (GTK_WIDGET (dialog), "citydesk-reassign.png");
  press_enter_in_note (dialog);
  /* A button activated shows itself pressed a moment before it clicks. */
  cd_test_wait_for (result_shown, dialog, "the dialog applied");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_close (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *home = NULL;
  g_autofree char *db = NULL;
  g_autofree char *city = NULL;
  g_autofree char *text = NULL;
  g_autoptr(CdReferenceData) data = NULL;
  g_autoptr(GError) error = NULL;
  CdReferenceEntry *quiet;
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  db = g_build_filename (home, "cache.db", NULL);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", db, "--days", "3",
                                "--end", END, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  /* The city's organizations, and one more that no ticket names: the
   * file is edited as a city would, from what `list` prints. */
  g_assert_cmpint (cd_test_ctl (&out, NULL, "reference", "list", "--db", db, NULL), ==, 0);
  data = cd_reference_data_parse (out, strlen (out), &error);
  g_assert_no_error (error);
  quiet = cd_reference_entry_new ("quiet-org");
  cd_reference_entry_set_name (quiet, "en", "Quiet Works");
  cd_reference_entry_set_name (quiet, "ru", "Тихие работы");
  g_ptr_array_add (data->entries[CD_REFERENCE_EXECUTOR], quiet);
  text = cd_reference_data_to_json (data);
  city = g_build_filename (home, "city.json", NULL);
  g_file_set_contents (city, text, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "reference", "import", city, "--db", db, NULL), ==, 0);

  g_setenv ("CITYDESK_CACHE", db, TRUE);
  g_setenv ("CITYDESK_NOW", NOW, TRUE);
  g_unsetenv ("CITYDESK_ROLE");

  app = cd_test_ui_new_app ();

  g_test_add_func ("/action-dialog/reassign", test_reassign);

  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
