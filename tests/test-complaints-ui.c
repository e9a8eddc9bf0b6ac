// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Complaints dashboard in the real window under Xvfb, logged in as
// quality control to a real citydesk-server holding complaints registered
// with `citydeskctl ticket register --kind complaint --about`: one is
// classified (A, a person responsible) and answered (upheld), another
// refused with its reasons, all through the page's widgets; the server
// journals the classify and answer events, the refusal with the notice of
// the right to appeal; the journal of the period goes to PDF through the
// page's export path and holds the complaints (pdftotext); an operator
// sees but cannot decide. Screenshots of the dashboard (light) and of the
// PDF's first page (pdftoppm) go to the build directory (and to
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
#include "cd-complaints-page.h"
#include "cd-window.h"

#define N_COMPLAINTS 3

static CdApplication *app;
static CdTestServer server;
static char *home;
static char *ticket;
static char *numbers[N_COMPLAINTS];

/* The fixture {{{1 */

/* A ticket done badly and three complaints about it from the same
 * building, a day apart, the last already classified B. */
static void
make_complaints (const char *db,
                 gint64      start)
{
  static const char * const summaries[N_COMPLAINTS] = {
    "The crew never came",
    "Still no heating after the repair",
    "The crew was rude",
  };
  static const char * const names[N_COMPLAINTS] = {
    "Olga Ivanova",
    "Pavel Sidorov",
    "Anna Kuznetsova",
  };
  g_autoptr(GDateTime) registered = g_date_time_new_from_unix_utc (start);
  g_autofree char *at = g_date_time_format_iso8601 (registered);

  ticket = cd_test_ui_ctl ("ticket", "register", "--db", db, "--kind", "routine", "--category",
                    "housing.heating", "--district", "Central", "--street", "Lenin St",
                    "--building", "5", "--executor", "zhes-1", "--now", at, NULL);
  for (guint i = 0; i < N_COMPLAINTS; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_hours (registered, 2 + 24 * i);
      g_autofree char *time = g_date_time_format_iso8601 (when);
      g_autofree char *flat = g_strdup_printf ("%u", 10 + i);
      g_autofree char *phone = g_strdup_printf ("+37529765430%u", i);

      numbers[i] = cd_test_ui_ctl ("ticket", "register", "--db", db, "--kind", "complaint",
                            "--category", "housing.heating", "--district", "Central", "--street",
                            "Lenin St", "--building", "5", "--flat", flat, "--name", names[i],
                            "--phone", phone, "--description", summaries[i], "--about", ticket,
                            "--now", time, NULL);
    }
  {
    g_autoptr(GDateTime) when = g_date_time_add_hours (registered, 2 + 24 * N_COMPLAINTS);
    g_autofree char *time = g_date_time_format_iso8601 (when);
    g_autofree char *out = NULL;

    out = cd_test_ui_ctl ("ticket", "act", "--db", db, numbers[1], "classify", "--as", "qc",
                   "--actor", "qc", "--class", "B", "--responsible", "Irina Petrova", "--now",
                   time, NULL);
  }
}

/* The payload of the last @type event the server journaled for @number. */
static JsonObject *
journaled (const char *number,
           const char *type)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;
  JsonObject *found = NULL;

  g_assert_cmpint (cd_test_ctl (&json, NULL, "ticket", "show", "--db", server.db, number,
                                "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "history");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "type"), type) != 0)
        continue;
      /* Who decided: the user logged in to the app. */
      g_assert_cmpstr (json_object_get_string_member (event, "actor"), ==, "qc");
      g_clear_pointer (&found, json_object_unref);
      found = cd_test_parse_object (json_object_get_string_member (event, "payload"));
    }
  return found;
}

/* The window {{{1 */

static gboolean
page_read (gpointer data)
{
  return !cd_complaints_page_get_loading (data);
}

static CdWindow *
open_dashboard (CdComplaintsPage **page)
{
  CdWindow *window = cd_test_ui_open_dashboard (app, "complaints", 1400, 900,
                                                CD_TYPE_COMPLAINTS_PAGE, page);

  cd_test_wait_for (page_read, *page, "the complaints page to read");
  return window;
}

static gboolean
actions_sent (gpointer data)
{
  CdSync *sync = cd_session_get_sync (cd_application_get_session (app));

  return sync != NULL && cd_sync_get_pending_actions (sync) == 0;
}

typedef struct
{
  CdComplaintsPage *page;
  CdComplaintStage  stage;
  const char       *number;
} Where;

/* The complaint stands in the stage, as the page read it. */
static gboolean
stands_in (gpointer data)
{
  Where *where = data;

  if (cd_complaints_page_get_loading (where->page))
    return FALSE;
  cd_complaints_page_show_stage (where->page, where->stage);
  return cd_complaints_page_select (where->page, where->number);
}

static void
wait_in_stage (CdComplaintsPage *page,
               CdComplaintStage  stage,
               const char       *number)
{
  Where where = { page, stage, number };

  cd_test_wait_for (stands_in, &where, "the complaint to reach its stage");
  g_assert_cmpstr (cd_complaints_page_get_current (page), ==, number);
}

static void
set_text (GtkWidget  *widget,
          const char *text)
{
  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static char *
text_of (GtkWidget *widget)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
click (CdComplaintsPage *page,
       const char       *name)
{
  GtkWidget *button = cd_complaints_page_get_part (page, name);

  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  /* A click: activate() would press it for a moment first. */
  g_signal_emit_by_name (button, "clicked");
}

/* What pdftotext reads from @path, or NULL without poppler-utils. */
static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (pdftotext == NULL)
    return NULL;
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, pdftotext, "-enc", "UTF-8",
                           "-layout", path, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return out;
}

/* Classify, answer, refuse {{{1 */

static void
test_decide (void)
{
  CdComplaintsPage *page;
  CdWindow *window = open_dashboard (&page);
  g_autoptr(JsonObject) classify = NULL;
  g_autoptr(JsonObject) upheld = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *draft = NULL;
  const char *appeal;

  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "complaints");

  /* The first: to classify, A, with the person responsible. */
  wait_in_stage (page, CD_COMPLAINT_STAGE_TO_CLASSIFY, numbers[0]);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (
                                cd_complaints_page_get_part (page, "about"))),
                            ticket));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_complaints_page_get_part (page, "class")), 0);
  set_text (cd_complaints_page_get_part (page, "responsible"), "Irina Petrova");
  click (page, "classify");
  /* One click, one action: the button rests until the server has it. */
  g_assert_false (gtk_widget_is_sensitive (cd_complaints_page_get_part (page, "classify")));
  cd_test_wait_for (actions_sent, NULL, "the outbox to send the classification");

  /* Then in "to answer", with the class A letter drafted for it. */
  wait_in_stage (page, CD_COMPLAINT_STAGE_TO_ANSWER, numbers[0]);
  draft = text_of (cd_complaints_page_get_part (page, "answer-text"));
  g_test_message ("the draft: %s", draft);
  g_assert_nonnull (strstr (draft, numbers[0]));
  g_assert_nonnull (strstr (draft, "Olga Ivanova"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_complaints_page_get_part (page, "decision")), 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_complaints_page_get_part (page, "favour")), 0);
  click (page, "answer");
  cd_test_wait_for (actions_sent, NULL, "the outbox to send the answer");

  /* The second, classified B before: refused, which needs reasons. */
  wait_in_stage (page, CD_COMPLAINT_STAGE_TO_ANSWER, numbers[1]);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_complaints_page_get_part (page, "decision")), 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_complaints_page_get_part (page, "favour")), 1);
  g_assert_true (gtk_widget_is_visible (cd_complaints_page_get_part (page, "reasons")));
  set_text (cd_complaints_page_get_part (page, "reasons"), "");
  click (page, "answer");
  /* Without reasons nothing is sent and the page says why. */
  g_assert_true (gtk_widget_is_visible (cd_complaints_page_get_part (page, "message")));
  g_assert_true (actions_sent (NULL));
  set_text (cd_complaints_page_get_part (page, "reasons"),
            "The heating was checked on the day and works");
  appeal = gtk_label_get_label (GTK_LABEL (cd_complaints_page_get_part (page, "appeal")));
  g_assert_true (gtk_widget_is_visible (cd_complaints_page_get_part (page, "appeal")));
  g_assert_nonnull (strstr (appeal, numbers[1]));
  click (page, "answer");
  cd_test_wait_for (actions_sent, NULL, "the outbox to send the refusal");

  /* The server journaled them as decided here. */
  classify = journaled (numbers[0], "classify");
  g_assert_nonnull (classify);
  g_assert_cmpstr (json_object_get_string_member (classify, "class"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (classify, "responsible"), ==, "Irina Petrova");
  upheld = journaled (numbers[0], "answer");
  g_assert_nonnull (upheld);
  g_assert_cmpstr (json_object_get_string_member (upheld, "decision"), ==, "upheld");
  g_assert_cmpstr (json_object_get_string_member (upheld, "favour"), ==, "resident");
  g_assert_nonnull (strstr (json_object_get_string_member (upheld, "note"), numbers[0]));
  refused = journaled (numbers[1], "answer");
  g_assert_nonnull (refused);
  g_assert_cmpstr (json_object_get_string_member (refused, "decision"), ==, "refused");
  g_assert_cmpstr (json_object_get_string_member (refused, "favour"), ==, "organization");
  g_assert_cmpstr (json_object_get_string_member (refused, "reasons"), ==,
                   "The heating was checked on the day and works");
  /* The refusal carries the notice of the right to appeal. */
  g_assert_true (json_object_has_member (refused, "appeal"));
  g_assert_nonnull (strstr (json_object_get_string_member (refused, "appeal"), numbers[1]));
  g_assert_cmpint (cd_test_verify (server.db), ==, 0);

  /* Both answered, as the page reads the cache. */
  wait_in_stage (page, CD_COMPLAINT_STAGE_ANSWERED, numbers[1]);
  wait_in_stage (page, CD_COMPLAINT_STAGE_ANSWERED, numbers[0]);
  gtk_window_close (GTK_WINDOW (window));
}

/* The journal to PDF, the figures and the screenshots {{{1 */

static gboolean
figures_read (gpointer data)
{
  return !cd_complaints_page_get_loading (data) &&
         g_strcmp0 (cd_complaints_page_get_tile_text (data, 0), "—") != 0;
}

static void
test_journal (void)
{
  CdComplaintsPage *page;
  CdWindow *window = open_dashboard (&page);
  g_autofree char *pdf = g_build_filename (home, "journal.pdf", NULL);
  g_autofree char *csv = g_build_filename (home, "journal.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *csv_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pdftoppm = g_find_program_in_path ("pdftoppm");

  cd_test_wait_for (figures_read, page, "the figures");
  /* The three complaints of the last 30 days, one upheld, one refused. */
  g_assert_cmpstr (cd_complaints_page_get_tile_text (page, 0), ==, "3");
  g_assert_cmpstr (cd_complaints_page_get_tile_text (page, 2), ==, "1");
  g_assert_cmpstr (cd_complaints_page_get_tile_text (page, 3), ==, "1");

  /* What the export dialog's answer does, without the dialog. */
  g_assert_true (cd_complaints_page_export_pdf (page, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  text = pdf_text (pdf);
  if (text != NULL)
    {
      g_test_message ("%s", text);
      for (guint i = 0; i < N_COMPLAINTS; i++)
        g_assert_nonnull (strstr (text, numbers[i]));
      g_assert_nonnull (strstr (text, "Olga Ivanova"));
      g_assert_nonnull (strstr (text, "Refused"));
      g_assert_nonnull (strstr (text, "Upheld"));
    }
  g_assert_true (cd_complaints_page_export_csv (page, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_COMPLAINTS; i++)
    g_assert_nonnull (strstr (csv_text, numbers[i]));

  if (pdftoppm != NULL)
    {
      g_autofree char *prefix = g_test_build_filename (G_TEST_BUILT, "complaints-journal-page",
                                                       NULL);
      g_autofree char *png = g_strconcat (prefix, ".png", NULL);
      g_autoptr(GSubprocess) proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, pdftoppm,
                                                      "-png", "-r", "60", "-f", "1", "-l", "1",
                                                      "-singlefile", pdf, prefix, NULL);

      g_assert_no_error (error);
      g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
      g_test_message ("screenshot: %s", png);
    }
  else
    g_test_message ("pdftoppm (poppler-utils) is not installed: no picture of the PDF");
  g_remove (pdf);
  g_remove (csv);

  /* The dashboard, light, with the figures, then by stage. */
  adw_view_stack_set_visible_child_name (
      ADW_VIEW_STACK (cd_complaints_page_get_part (page, "views")), "figures");
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), "complaints-figures-light-en.png");
  cd_test_assert_nothing_cut (GTK_WIDGET (window));
  adw_view_stack_set_visible_child_name (
      ADW_VIEW_STACK (cd_complaints_page_get_part (page, "views")), "stages");
  wait_in_stage (page, CD_COMPLAINT_STAGE_ANSWERED, numbers[1]);
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), "complaints-page-light-en.png");
  cd_test_assert_nothing_cut (GTK_WIDGET (window));
  cd_test_assert_words_whole (GTK_WIDGET (page));
  gtk_window_close (GTK_WINDOW (window));
}

/* An operator sees the complaints but decides nothing. */
static void
test_operator (void)
{
  CdComplaintsPage *page;
  CdWindow *window = open_dashboard (&page);
  CdContext *context = cd_page_get_context (CD_PAGE (page));

  cd_context_set_role (context, "operator");
  cd_page_refresh (CD_PAGE (page));
  cd_test_wait_for (page_read, page, "the complaints page to read again");
  wait_in_stage (page, CD_COMPLAINT_STAGE_TO_CLASSIFY, numbers[2]);
  g_assert_false (gtk_widget_is_visible (cd_complaints_page_get_part (page, "classify")));
  g_assert_false (gtk_widget_is_visible (cd_complaints_page_get_part (page, "answer")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (
                                cd_complaints_page_get_part (page, "about"))),
                            ticket));
  cd_context_set_role (context, NULL);
  gtk_window_close (GTK_WINDOW (window));
}

/* The message is no longer what the click said ("an extension … asked
 * for") but the server's answer. */
static gboolean
message_refused (gpointer data)
{
  const char *text = gtk_label_get_label (GTK_LABEL (cd_complaints_page_get_part (data,
                                                                                  "message")));

  return strstr (text, numbers[2]) != NULL && strstr (text, "asked for") == NULL;
}

/* Quality control may not extend: with the supervisor's forms shown here,
 * the server refuses, and the page says so in the server's words. */
static void
test_extend_refused (void)
{
  CdComplaintsPage *page;
  CdWindow *window = open_dashboard (&page);
  CdContext *context = cd_page_get_context (CD_PAGE (page));
  g_autoptr(JsonObject) extend = NULL;
  const char *text;

  cd_context_set_role (context, "supervisor");
  cd_page_refresh (CD_PAGE (page));
  cd_test_wait_for (page_read, page, "the complaints page to read again");
  wait_in_stage (page, CD_COMPLAINT_STAGE_TO_CLASSIFY, numbers[2]);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_complaints_page_get_part (page, "class")), 1);
  set_text (cd_complaints_page_get_part (page, "responsible"), "Irina Petrova");
  set_text (cd_complaints_page_get_part (page, "cause"), "Crew schedule");
  click (page, "classify");
  cd_test_wait_for (actions_sent, NULL, "the outbox to send the classification");
  wait_in_stage (page, CD_COMPLAINT_STAGE_TO_ANSWER, numbers[2]);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (cd_complaints_page_get_part (page, "extend-days")),
                             5);
  set_text (cd_complaints_page_get_part (page, "extend-reason"), "");
  click (page, "extend");
  /* No reason, nothing sent. */
  g_assert_true (actions_sent (NULL));
  set_text (cd_complaints_page_get_part (page, "extend-reason"), "The board must see it");
  click (page, "extend");
  cd_test_wait_for (message_refused, page, "the server's refusal");
  text = gtk_label_get_label (GTK_LABEL (cd_complaints_page_get_part (page, "message")));
  g_test_message ("refused: %s", text);
  g_assert_nonnull (strstr (text, numbers[2]));
  extend = journaled (numbers[2], "extend");
  g_assert_null (extend);
  {
    g_autoptr(JsonObject) classify = journaled (numbers[2], "classify");

    g_assert_cmpstr (json_object_get_string_member (classify, "cause"), ==, "Crew schedule");
  }
  cd_context_set_role (context, NULL);
  gtk_window_close (GTK_WINDOW (window));
}

/* Logging in {{{1 */

int
main (int    argc,
      char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *out = NULL;
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  db = g_build_filename (home, "server.db", NULL);
  cd_test_add_user (db, "qc", "qc", NULL, "password-1");
  make_complaints (db, g_get_real_time () / G_USEC_PER_SEC - 5 * 24 * 3600);
  reference = g_build_filename (home, "reference.json", NULL);
  g_assert_true (g_file_set_contents (reference,
                                      "{\"executors\": [{\"code\": \"zhes-1\", \"names\": "
                                      "{\"en\": \"Housing Office No. 1\"}}]}",
                                      -1, NULL));
  out = cd_test_ui_ctl ("reference", "--db", db, "import", reference, NULL);
  cd_test_server_start (&server, db);

  g_unsetenv ("CITYDESK_ROLE");
  g_unsetenv ("CITYDESK_NOW");
  app = cd_test_ui_new_app ();
  cd_test_ui_log_in (app, server.url, "qc", "password-1");

  g_test_add_func ("/complaints-ui/decide", test_decide);
  g_test_add_func ("/complaints-ui/journal", test_journal);
  g_test_add_func ("/complaints-ui/operator", test_operator);
  g_test_add_func ("/complaints-ui/extend-refused", test_extend_refused);

  ret = g_test_run ();
  g_clear_object (&app);
  cd_test_server_clear (&server);
  g_free (ticket);
  for (guint i = 0; i < N_COMPLAINTS; i++)
    g_free (numbers[i]);
  g_free (home);
  return ret;
}
