// SPDX-License-Identifier: GPL-3.0-or-later
//
// "My Evaluations" in the real window under Xvfb, logged in as an operator
// whose account is linked to a PBX agent of the demo, to a real
// citydesk-server serving the demo's recordings: quality control
// evaluated one of the agent's recorded calls and one of a colleague's;
// the page shows the operator their own evaluation only (the colleague's
// comes masked and leaves nothing in the cache), with its comment and
// its time, hides the work list, the form and the results, and plays the
// call. A screenshot goes to the build directory (and to
// CITYDESK_SCREENSHOT_DIR when it is set).

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cd-test-server.h"
#include "cd-test-sql.h"
#include "cd-test-ui.h"

#include "cd-application.h"
#include "cd-audio-player.h"
#include "cd-call-player.h"
#include "cd-recordings-page.h"
#include "cd-recordings-source.h"
#include "cd-window.h"

#define END "2026-12-03T00:00:00Z"
#define COMMENT "Greeting on time"
#define ANSWERS \
  "{\"form\": \"contact-center\", \"version\": 1, \"answers\": {" \
  "\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4," \
  " \"empathy\": 3, \"clarifying-questions\": true, \"information-correct\": \"partly\"," \
  " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true," \
  " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true," \
  " \"next-steps\": true, \"anything-else\": false, \"no-hang-up\": true}}"

static CdApplication *app;
static CdTestServer server;
static char *own_call;
static char *other_call;

static gboolean
page_loaded (gpointer data)
{
  return !cd_recordings_page_get_loading (data);
}

static gboolean
audio_ready (gpointer data)
{
  CdAudioPlayer *audio = cd_call_player_get_audio (cd_recordings_page_get_player (data));

  return !cd_recordings_page_get_fetching (data) &&
         (cd_audio_player_get_prepared (audio) || cd_audio_player_get_error (audio) != NULL);
}

static gboolean
own_evaluation_shown (gpointer data)
{
  CdRecordingsSource *source = CD_RECORDINGS_SOURCE (cd_page_get_source (data));
  GPtrArray *evaluations = source != NULL ? cd_recordings_source_get_evaluations (source) : NULL;

  return evaluations != NULL && evaluations->len > 0;
}

static void
test_own (void)
{
  g_autofree char *shot = cd_test_ui_screenshot_name ("recordings-own-light");
  CdRecordingsPage *page;
  CdRecordingsSource *source;
  GPtrArray *evaluations;
  AdwViewStack *views;
  CdWindow *window;
  GtkWidget *play = NULL;
  guint with_comment = 0;

  window = cd_test_ui_open_dashboard (app, "recordings", 1400, 900, CD_TYPE_RECORDINGS_PAGE,
                                      &page);
  cd_test_wait_for (page_loaded, page, "the page");
  cd_test_wait_for (own_evaluation_shown, page, "the operator's evaluation");

  /* Only their own reached the cache: the colleague's came masked. */
  source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (page)));
  evaluations = cd_recordings_source_get_evaluations (source);
  g_assert_cmpuint (evaluations->len, ==, 1);
  g_assert_cmpstr (((CdQaEvaluation *) evaluations->pdata[0])->call, ==, own_call);

  /* My Evaluations, and nothing of the desk's. */
  views = cd_test_find_one (GTK_WIDGET (page), ADW_TYPE_VIEW_STACK);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (views), ==, "mine");
  g_assert_false (adw_view_stack_page_get_visible (
    adw_view_stack_get_page (views, adw_view_stack_get_child_by_name (views, "review"))));
  g_assert_false (adw_view_stack_page_get_visible (
    adw_view_stack_get_page (views, adw_view_stack_get_child_by_name (views, "results"))));
  /* Calibration is the quality desk's: an operator never sees it. */
  g_assert_false (adw_view_stack_page_get_visible (
    adw_view_stack_get_page (views, adw_view_stack_get_child_by_name (views, "calibration"))));
  {
    GtkWidget *mine = adw_view_stack_get_child_by_name (views, "mine");
    g_autoptr(GPtrArray) rows = cd_test_find (mine, ADW_TYPE_ACTION_ROW);
    g_autoptr(GPtrArray) buttons = NULL;

    g_assert_cmpuint (rows->len, ==, 1);
    for (guint i = 0; i < rows->len; i++)
      if (strstr (adw_action_row_get_subtitle (rows->pdata[i]), "0:04 " COMMENT) != NULL)
        with_comment++;
    g_assert_cmpuint (with_comment, ==, 1);
    buttons = cd_test_find (rows->pdata[0], GTK_TYPE_BUTTON);
    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_widget_get_tooltip_text (buttons->pdata[i]), _("Play the call")) == 0)
        play = buttons->pdata[i];
  }

  /* Their call plays. */
  g_assert_nonnull (play);
  g_signal_emit_by_name (play, "clicked");
  g_assert_cmpstr (cd_recordings_page_get_call (page), ==, own_call);
  {
    g_autoptr(GPtrArray) labels = cd_test_find (GTK_WIDGET (page), GTK_TYPE_LABEL);
    guint titled = 0;

    for (guint i = 0; i < labels->len; i++)
      if (gtk_widget_is_drawable (labels->pdata[i]) &&
          g_str_has_prefix (gtk_label_get_text (labels->pdata[i]), "Call of "))
        titled++;
    g_assert_cmpuint (titled, >=, 1);
  }
  cd_test_wait_for (audio_ready, page, "the recording to stream");
  g_assert_no_error (cd_audio_player_get_error (
      cd_call_player_get_audio (cd_recordings_page_get_player (page))));
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), shot);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Quality control evaluates a recorded call of the agent the operator is,
 * and one of a colleague's. */
static void
evaluate_calls (const char *db,
                const char *home)
{
  g_autofree char *answers = g_build_filename (home, "answers.json", NULL);
  g_autofree char *agent = cd_test_sql_text (
    db, "SELECT c.agent FROM recordings r JOIN calls c ON c.id = r.call "
        "WHERE c.agent IS NOT NULL GROUP BY c.agent ORDER BY count(*) DESC, c.agent LIMIT 1");
  g_autofree char *own_sql = g_strdup_printf (
    "SELECT c.id FROM recordings r JOIN calls c ON c.id = r.call WHERE c.agent = '%s' "
    "ORDER BY c.id LIMIT 1", agent);
  g_autofree char *other_sql = g_strdup_printf (
    "SELECT c.id FROM recordings r JOIN calls c ON c.id = r.call WHERE c.agent <> '%s' "
    "ORDER BY c.id LIMIT 1", agent);

  g_assert_true (g_file_set_contents (answers, ANSWERS, -1, NULL));
  own_call = cd_test_sql_text (db, own_sql);
  other_call = cd_test_sql_text (db, other_sql);
  g_assert_nonnull (agent);
  g_assert_nonnull (own_call);
  g_assert_nonnull (other_call);
  g_free (cd_test_ui_ctl ("user", "agent", "--db", db, "--set", agent, "op", NULL));
  g_free (cd_test_ui_ctl ("qa", "evaluate", "--db", db, "--call", own_call, "--form",
                          "contact-center", "--answers", answers, "--comment", "4000:" COMMENT,
                          "--as", "qc", NULL));
  g_free (cd_test_ui_ctl ("qa", "evaluate", "--db", db, "--call", other_call, "--form",
                          "contact-center", "--answers", answers, "--comment", "9000:Not hers",
                          "--as", "qc", NULL));
  g_assert_cmpint (g_unlink (answers), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *db = NULL;
  g_autofree char *folder = NULL;
  int ret;

  g_setenv ("TZ", "UTC", TRUE);
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  db = g_build_filename (home, "server.db", NULL);
  folder = g_build_filename (home, "recordings", NULL);
  g_free (cd_test_ui_ctl ("demo", "generate", "--db", db, "--days", "10", "--tickets-per-day",
                          "50", "--end", END, "--recordings", folder, NULL));
  cd_test_add_user (db, "qc", "qc", NULL, "password-1");
  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  evaluate_calls (db, home);
  {
    const char *extra[] = { "--recordings", folder, NULL };

    cd_test_server_start_full (&server, db, extra, FALSE);
  }

  g_unsetenv ("CITYDESK_ROLE");
  g_setenv ("CITYDESK_NOW", END, TRUE);
  app = cd_test_ui_new_app ();
  cd_test_ui_log_in (app, server.url, "op", "password-1");

  g_test_add_func ("/own-evaluations-ui/own", test_own);

  ret = g_test_run ();
  g_clear_object (&app);
  cd_test_server_clear (&server);
  g_free (own_call);
  g_free (other_call);
  return ret;
}
