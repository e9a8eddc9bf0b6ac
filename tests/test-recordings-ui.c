// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Call recordings dashboard in the real window under Xvfb, logged in
// as quality control to a real citydesk-server serving the demo's
// recordings (`citydeskctl demo generate --recordings`, then
// `citydesk-server --recordings`): a call of the week's work list with a
// recording is chosen and streamed from the server (nothing is written to
// the user's cache), played at 1.5× (the position runs faster than the
// clock), sought by the player's keys (N to the waveform's first silence
// too), and the server journals one listen for it all; the form is answered through its buttons,
// and "Save Evaluation" makes the server journal the evaluation with the total the core computes
// for the same answers; the work list then marks the call evaluated, and the player stops when
// another call is chosen; the facts name the ticket registered during a call (number and
// category name) as a button that opens it. Screenshots of the review and of the results go
// to the build directory (and to CITYDESK_SCREENSHOT_DIR when it is set).

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"
#include "cd-test-ui.h"

#include "cd-application.h"
#include "cd-qa-score.h"
#include "cd-recordings-page.h"
#include "cd-recordings-source.h"
#include "cd-score-trend.h"
#include "cd-store-reference.h"
#include "cd-ticket-window.h"
#include "cd-window.h"

#define END "2026-12-03T00:00:00Z"

static CdApplication *app;
static CdTestServer server;
static GHashTable *recorded;  /* the calls with a recording on the server */
static GHashTable *ticketed;  /* recorded call -> the ticket registered during it */

static gboolean
page_loaded (gpointer data)
{
  return !cd_recordings_page_get_loading (data);
}

static CdAudioPlayer *
get_audio (CdRecordingsPage *page)
{
  return cd_call_player_get_audio (cd_recordings_page_get_player (page));
}

static gboolean
facts_in (gpointer data)
{
  return !cd_recordings_page_get_fetching (data);
}

static gboolean
audio_ready (gpointer data)
{
  CdAudioPlayer *audio = get_audio (data);

  return !cd_recordings_page_get_fetching (data) &&
         (cd_audio_player_get_prepared (audio) || cd_audio_player_get_error (audio) != NULL);
}

typedef struct
{
  CdRecordingsPage *page;
  gint64            past;    /* µs */
} Past;

static gboolean
played_past (gpointer data)
{
  Past *past = data;
  CdAudioPlayer *audio = get_audio (past->page);

  return cd_audio_player_get_error (audio) != NULL ||
         (cd_audio_player_get_playing (audio) && cd_audio_player_get_position (audio) > past->past);
}

/* The listens the server journaled for @call by @user. */
static gint64
count_listens (const char *call,
               const char *user)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE type = 'listen' "
                                          "AND entity = '%s' AND actor = '%s'",
                                          call, user);
  g_autofree char *text = cd_test_sql_text (server.db, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static gboolean
saved (gpointer data)
{
  return !cd_recordings_page_get_saving (data);
}

static gboolean
marked_evaluated (gpointer data)
{
  CdRecordingsPage *page = data;
  CdRecordingsSource *source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (page)));
  CdRecordingItem *item = cd_recordings_source_lookup (source,
                                                       cd_recordings_page_get_call (page));

  return item != NULL && item->evaluated;
}

static gboolean
recordings_known (gpointer data)
{
  CdRecordingsSource *source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (data)));
  GPtrArray *items = cd_recordings_source_get_items (source);

  if (cd_recordings_page_get_loading (data) || items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    if (((CdRecordingItem *) items->pdata[i])->recording == CD_RECORDING_UNKNOWN)
      return FALSE;
  return TRUE;
}

static GtkDropDown *
find_choice (CdRecordingsPage *page,
             const char       *tooltip)
{
  g_autoptr(GPtrArray) downs = cd_test_find (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN);

  for (guint i = 0; i < downs->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (downs->pdata[i]), tooltip) == 0)
      return downs->pdata[i];
  g_error ("no drop-down “%s”", tooltip);
}

/* The first call of the work list that has a recording, this week or the
 * week before (the demo's recordings are of its last two days). */
static const char *
find_recorded_call (CdRecordingsPage *page)
{
  GtkDropDown *weeks = NULL;
  g_autoptr(GPtrArray) downs = cd_test_find (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN);

  for (guint i = 0; i < downs->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (downs->pdata[i]), _("Week")) == 0)
      weeks = downs->pdata[i];
  g_assert_nonnull (weeks);
  for (guint week = 0; week < 2; week++)
    {
      CdRecordingsSource *source;
      GPtrArray *items;

      gtk_drop_down_set_selected (weeks, week);
      cd_test_wait_for (page_loaded, page, "the work list");
      source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (page)));
      items = cd_recordings_source_get_items (source);
      g_assert_nonnull (items);
      g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, items->len);
      for (guint i = 0; i < items->len; i++)
        {
          CdRecordingItem *item = g_ptr_array_index (items, i);

          if (g_hash_table_contains (recorded, item->call))
            return item->call;
        }
    }
  return NULL;
}

/* Clicks an answer to every question of the form (yes, one below the top
 * of a scale, the last choice; "n/a" for every third optional question) and
 * returns the answers as the core reads them. */
static char *
answer_form (CdRecordingsPage *page,
             CdQaForm         *form)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) buttons = cd_test_find (GTK_WIDGET (page), GTK_TYPE_TOGGLE_BUTTON);
  guint n = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "form");
  json_builder_add_string_value (builder, form->id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, form->version);
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  for (guint g = 0; g < form->groups->len; g++)
    {
      CdQaGroup *group = g_ptr_array_index (form->groups, g);

      for (guint q = 0; q < group->questions->len; q++)
        {
          CdQaQuestion *question = g_ptr_array_index (group->questions, q);
          g_autofree char *value = NULL;
          g_autofree char *name = NULL;
          gboolean clicked = FALSE;

          json_builder_set_member_name (builder, question->id);
          if (question->optional && n++ % 3 == 0)
            {
              value = g_strdup ("n/a");
              json_builder_add_string_value (builder, value);
            }
          else if (question->type == CD_QA_QUESTION_YES_NO)
            {
              value = g_strdup ("yes");
              json_builder_add_boolean_value (builder, TRUE);
            }
          else if (question->type == CD_QA_QUESTION_SCALE)
            {
              gint64 v = MAX (question->scale_max - 1, question->scale_min);

              value = g_strdup_printf ("%" G_GINT64_FORMAT, v);
              json_builder_add_int_value (builder, v);
            }
          else
            {
              CdQaChoice *choice = g_ptr_array_index (question->choices,
                                                      question->choices->len - 1);

              value = g_strdup (choice->id);
              json_builder_add_string_value (builder, value);
            }
          name = g_strdup_printf ("answer:%s:%s", question->id, value);
          for (guint i = 0; i < buttons->len; i++)
            if (g_strcmp0 (gtk_widget_get_name (buttons->pdata[i]), name) == 0)
              {
                gtk_toggle_button_set_active (buttons->pdata[i], TRUE);
                clicked = TRUE;
              }
          g_assert_true (clicked);
        }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
test_review (void)
{
  g_autofree char *shot = cd_test_ui_screenshot_name ("recordings-page-light");
  g_autofree char *results_shot = cd_test_ui_screenshot_name ("recordings-results-light");
  g_autofree char *answers = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "citydesk", "recordings",
                                            NULL);
  g_autofree char *call = NULL;
  CdCallPlayer *player;
  CdAudioPlayer *audio;
  GtkWidget *speed;
  Past past;
  g_autoptr(CdQaForm) form = NULL;
  g_autoptr(CdQaScore) score = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  CdRecordingsPage *page;
  CdRecordingsSource *source;
  CdStoreQaForm *stored;
  CdWindow *window;
  JsonArray *evaluations;
  JsonObject *evaluation;
  GPtrArray *items;
  GtkButton *save = NULL;

  window = cd_test_ui_open_dashboard (app, "recordings", 1400, 900, CD_TYPE_RECORDINGS_PAGE,
                                      &page);
  cd_test_wait_for (page_loaded, page, "the work list");
  call = g_strdup (find_recorded_call (page));
  g_assert_nonnull (call);
  g_test_message ("reviewing call %s", call);

  /* Choose it: its facts and waveform show, but nothing is asked of the
   * audio, so no listen is journaled, until it is played. */
  g_assert_true (cd_recordings_page_choose_call (page, call));
  g_assert_cmpstr (cd_recordings_page_get_call (page), ==, call);
  cd_test_wait_for (facts_in, page, "the call's facts");
  player = cd_recordings_page_get_player (page);
  audio = get_audio (page);
  g_assert_null (cd_audio_player_get_uri (audio));
  g_assert_cmpint (count_listens (call, "qc"), ==, 0);

  /* At 1.5×, chosen from the speed menu, the voices run faster than the
   * clock; played as it streams, not fetched into a file. */
  speed = cd_test_find_one (GTK_WIDGET (player), GTK_TYPE_DROP_DOWN);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (speed), 3);
  g_assert_cmpfloat_with_epsilon (cd_audio_player_get_rate (audio), 1.5, 0.001);
  g_assert_true (cd_call_player_handle_key (player, GDK_KEY_space, 0));
  cd_test_wait_for (audio_ready, page, "the recording to be prepared");
  g_assert_no_error (cd_audio_player_get_error (audio));
  g_assert_true (g_str_has_suffix (cd_audio_player_get_uri (audio), "/audio"));
  g_assert_cmpint (cd_audio_player_get_duration (audio), >, 0);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  past.page = page;
  past.past = 0;
  cd_test_wait_for (played_past, &past, "the recording to play");
  g_assert_no_error (cd_audio_player_get_error (audio));
  {
    gint64 start = g_get_monotonic_time ();
    gint64 from = cd_audio_player_get_position (audio);
    double ratio;

    past.past = from + 2 * G_USEC_PER_SEC;
    cd_test_wait_for (played_past, &past, "two seconds of the recording");
    g_assert_no_error (cd_audio_player_get_error (audio));
    ratio = (double) (cd_audio_player_get_position (audio) - from) /
            (double) (g_get_monotonic_time () - start);
    g_test_message ("%.2f s of the recording a second at 1.5×", ratio);
    /* 1.5 in theory; a loaded machine only plays later, never faster. */
    g_assert_cmpfloat (ratio, >, 1.15);
  }

  /* Sought by keys: Right 5 s on, Shift+Left 1 s back, then on at 1×. */
  {
    gint64 at = cd_audio_player_get_position (audio);

    g_assert_true (cd_call_player_handle_key (player, GDK_KEY_Right, 0));
    g_assert_cmpint (cd_audio_player_get_position (audio), >=,
                     MIN (at + 5 * G_USEC_PER_SEC, cd_audio_player_get_duration (audio)));
    at = cd_audio_player_get_position (audio);
    g_assert_true (cd_call_player_handle_key (player, GDK_KEY_Left, GDK_SHIFT_MASK));
    g_assert_cmpint (cd_audio_player_get_position (audio), ==, MAX (at - G_USEC_PER_SEC, 0));
    g_assert_true (cd_call_player_handle_key (player, GDK_KEY_bracketleft, 0));
    g_assert_true (cd_call_player_handle_key (player, GDK_KEY_bracketleft, 0));
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (speed)), ==, 1);
    g_assert_cmpfloat_with_epsilon (cd_audio_player_get_rate (audio), 1.0, 0.001);
    past.past = MAX (at - G_USEC_PER_SEC, 0) + G_USEC_PER_SEC / 2;
    cd_test_wait_for (played_past, &past, "the recording to play on from there");
    g_assert_no_error (cd_audio_player_get_error (audio));
  }
  g_assert_true (cd_call_player_handle_key (player, GDK_KEY_space, 0));
  g_assert_false (cd_audio_player_get_playing (audio));
  /* The waveform has the call's analysis: from the start, N finds its
   * first silence. */
  g_assert_true (cd_call_player_handle_key (player, GDK_KEY_Home, 0));
  g_assert_cmpint (cd_audio_player_get_position (audio), ==, 0);
  g_assert_true (cd_call_player_handle_key (player, GDK_KEY_n, 0));
  g_assert_cmpint (cd_audio_player_get_position (audio), >, 0);

  /* One playback, sought and sped up: one listen. */
  g_assert_cmpint (count_listens (call, "qc"), ==, 1);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));

  /* Answer the form; the live score is the core's for the same answers. */
  source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (page)));
  stored = cd_recordings_source_get_form (source);
  g_assert_nonnull (stored);
  form = cd_qa_form_new_from_json (stored->document, strlen (stored->document), &error);
  g_assert_no_error (error);
  answers = answer_form (page, form);
  score = cd_qa_score_new_from_json (form, answers, strlen (answers), &error);
  g_assert_no_error (error);
  g_assert_true (score->has_total);
  expected_text = g_strdup_printf (_("Total %.1f"), score->total);
  g_test_message ("score: %s", cd_recordings_page_get_score_text (page));
  g_assert_nonnull (strstr (cd_recordings_page_get_score_text (page), expected_text));

  /* Save it through the button. */
  {
    g_autoptr(GPtrArray) all = cd_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON);

    for (guint i = 0; i < all->len; i++)
      if (g_strcmp0 (gtk_button_get_label (all->pdata[i]), _("_Save Evaluation")) == 0)
        save = all->pdata[i];
  }
  g_assert_nonnull (save);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (save)));
  g_signal_emit_by_name (save, "clicked");
  g_assert_true (cd_recordings_page_get_saving (page));
  cd_test_wait_for (saved, page, "the evaluation to be saved");
  g_assert_true (g_str_has_prefix (cd_recordings_page_get_status (page), _("Saved.")));

  /* The server journaled it with the core's total. */
  out = cd_test_ui_ctl ("qa", "evaluations", "--db", server.db, "--json", NULL);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  evaluations = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (evaluations), ==, 1);
  evaluation = json_array_get_object_element (evaluations, 0);
  g_assert_cmpstr (json_object_get_string_member (evaluation, "call"), ==, call);
  g_assert_cmpstr (json_object_get_string_member (evaluation, "evaluator"), ==, "qc");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (evaluation, "total"),
                                  score->total, 0.05);
  g_assert_cmpint (cd_test_verify (server.db), ==, 0);

  /* The sync brings it back, and the work list marks the call. */
  cd_test_wait_for (marked_evaluated, page, "the call to be marked evaluated");
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), shot);

  /* The operator's results count it: the week of the call in the trend,
   * drawn with its total, and each group of the form against the team. */
  {
    CdRecordingItem *item = cd_recordings_source_lookup (source, call);
    g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW);
    CdQaResults *results = cd_recordings_source_get_results (source);
    CdQaOperatorResults *mine;
    GtkWidget *row = NULL;
    CdScoreTrend *trend;
    g_autofree char *week_text = NULL;
    int week;

    g_assert_nonnull (item->operator);
    g_assert_nonnull (results);
    mine = cd_qa_results_find (results, item->operator);
    g_assert_nonnull (mine);
    g_assert_cmpuint (mine->n, ==, 1);
    week = cd_qa_results_week (results, item->time);
    g_assert_cmpint (week, >=, 0);
    g_assert_cmpuint (mine->week_n[week], ==, 1);
    g_assert_cmpfloat_with_epsilon (mine->week_mean[week], score->total, 0.05);
    g_assert_cmpuint (results->week_n[week], ==, 1);
    g_assert_cmpuint (mine->groups->len, >, 0);
    g_assert_cmpuint (mine->groups->len, <=, form->groups->len);
    g_assert_cmpuint (mine->questions->len, >, 0);
    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), item->operator) == 0)
        row = rows->pdata[i];
    g_assert_nonnull (row);
    trend = CD_SCORE_TREND (cd_test_find_one (row, CD_TYPE_SCORE_TREND));
    week_text = g_strdup_printf ("%.1f", mine->week_mean[week]);
    g_test_message ("trend: %s", cd_score_trend_describe (trend));
    g_assert_nonnull (strstr (cd_score_trend_describe (trend), week_text));
    {
      g_autoptr(GPtrArray) lines = cd_test_find (row, ADW_TYPE_ACTION_ROW);
      guint n_lines = 0;

      /* The expander's own header is an action row too, with its title. */
      for (guint i = 0; i < lines->len; i++)
        if (g_strcmp0 (adw_preferences_row_get_title (lines->pdata[i]), item->operator) != 0)
          n_lines++;
      g_assert_cmpuint (n_lines, ==, mine->groups->len + mine->questions->len);
    }
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    adw_view_stack_set_visible_child_name (cd_test_find_one (GTK_WIDGET (page),
                                                             ADW_TYPE_VIEW_STACK),
                                           "results");
    cd_test_wait_painted (GTK_WIDGET (window));
    cd_test_save_screenshot (GTK_WIDGET (window), results_shot);
    adw_view_stack_set_visible_child_name (cd_test_find_one (GTK_WIDGET (page),
                                                             ADW_TYPE_VIEW_STACK),
                                           "review");
  }

  /* Another call: the player lets the first go. */
  items = cd_recordings_source_get_items (source);
  for (guint i = 0; i < items->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->call, call) != 0)
        {
          g_assert_true (cd_recordings_page_choose_call (page, item->call));
          break;
        }
    }
  g_assert_cmpstr (cd_recordings_page_get_call (page), !=, call);
  g_assert_false (cd_audio_player_get_playing (audio));
  g_assert_false (g_str_has_suffix (cd_audio_player_get_uri (audio) != NULL
                                        ? cd_audio_player_get_uri (audio) : "",
                                    call));

  /* Back to the first from another dashboard, as a complaint about the call
   * plays it ("Play the Recording"): a new playback, a second listen. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "complaints");
  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "complaints");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play-recording", "s", call);
  g_assert_cmpstr (cd_window_get_visible_page (window), ==, "recordings");
  g_assert_cmpstr (cd_recordings_page_get_call (page), ==, call);
  cd_test_wait_for (audio_ready, page, "the recording to be prepared again");
  g_assert_no_error (cd_audio_player_get_error (audio));
  g_assert_cmpint (count_listens (call, "qc"), ==, 2);
  g_assert_false (g_file_test (cache, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
}

static guint
count_items (GPtrArray  *items,
             gboolean  (*keep) (const CdRecordingItem *item, gconstpointer data),
             gconstpointer data)
{
  guint n = 0;

  for (guint i = 0; i < items->len; i++)
    if (keep (items->pdata[i], data))
      n++;
  return n;
}

static gboolean
is_complaint (const CdRecordingItem *item,
              gconstpointer          data)
{
  return (item->reasons & CD_QA_REASON_COMPLAINT) != 0;
}

static gboolean
is_short (const CdRecordingItem *item,
          gconstpointer          data)
{
  return item->has_call && item->talk < 30;
}

static gboolean
in_queue (const CdRecordingItem *item,
          gconstpointer          data)
{
  return item->has_call && g_strcmp0 (item->queue, data) == 0;
}

static gboolean
is_recorded (const CdRecordingItem *item,
             gconstpointer          data)
{
  return g_hash_table_contains (recorded, item->call);
}

static gboolean
is_marked (const CdRecordingItem *item,
           gconstpointer          data)
{
  return item->recording == CD_RECORDING_PRESENT;
}

/* The filter bar narrows the work list, each drop-down to the calls it
 * names, and the status says how many of how many; the calls the server
 * has a recording of are marked, the others say they have none. */
static void
test_filters (void)
{
  g_autofree char *shot = cd_test_ui_screenshot_name ("recordings-filters-light");
  CdRecordingsPage *page;
  CdRecordingsSource *source;
  CdWindow *window;
  GPtrArray *items;
  GtkDropDown *complaint, *talk, *queue;
  g_autofree char *queue_name = NULL;
  guint n, expected;

  window = cd_test_ui_open_dashboard (app, "recordings", 1157, 900, CD_TYPE_RECORDINGS_PAGE,
                                      &page);
  cd_test_wait_for (page_loaded, page, "the work list");
  /* Last week: the demo's recordings are of the two days before its end. */
  gtk_drop_down_set_selected (find_choice (page, _("Week")), 1);
  cd_test_wait_for (recordings_known, page, "the server to say which calls have a recording");
  source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (page)));
  items = cd_recordings_source_get_items (source);
  n = items->len;
  g_test_message ("%u calls in the work list", n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, n);
  g_assert_cmpuint (count_items (items, is_marked, NULL), ==,
                    count_items (items, is_recorded, NULL));
  g_assert_cmpuint (count_items (items, is_marked, NULL), >, 0);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpint (((CdRecordingItem *) items->pdata[i])->recording, ==,
                     is_recorded (items->pdata[i], NULL) ? CD_RECORDING_PRESENT
                                                         : CD_RECORDING_ABSENT);

  /* The filters used less often are folded away. */
  gtk_expander_set_expanded (GTK_EXPANDER (cd_test_find_one (GTK_WIDGET (page),
                                                             GTK_TYPE_EXPANDER)),
                             TRUE);
  complaint = find_choice (page, _("Complaint"));
  gtk_drop_down_set_selected (complaint, 1);
  expected = count_items (items, is_complaint, NULL);
  g_test_message ("%u linked to a complaint", expected);
  g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, expected);
  gtk_drop_down_set_selected (complaint, 2);
  g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, n - expected);
  gtk_drop_down_set_selected (complaint, 0);

  talk = find_choice (page, _("Talk time"));
  gtk_drop_down_set_selected (talk, 1);
  expected = count_items (items, is_short, NULL);
  g_test_message ("%u under 30 s", expected);
  g_assert_cmpuint (expected, <, n);
  g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, expected);
  gtk_drop_down_set_selected (talk, 0);

  queue = find_choice (page, _("Queue"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (queue)), >, 1);
  gtk_drop_down_set_selected (queue, 1);
  queue_name = g_strdup (gtk_string_object_get_string (gtk_drop_down_get_selected_item (queue)));
  expected = count_items (items, in_queue, queue_name);
  g_test_message ("%u in queue %s", expected, queue_name);
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, expected);
  if (expected < n)
    {
      g_autofree char *status = g_strdup_printf (ngettext ("%u of %u call to review",
                                                           "%u of %u calls to review", n),
                                                 expected, n);
      GtkLabel *label = NULL;
      g_autoptr(GPtrArray) labels = cd_test_find (GTK_WIDGET (page), GTK_TYPE_LABEL);

      for (guint i = 0; i < labels->len; i++)
        if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), status) == 0)
          label = labels->pdata[i];
      g_assert_nonnull (label);
    }
  /* The folded filters say how many are set, the queue's and now the
   * recording's: with a recording, the marked calls of that queue. */
  {
    GtkDropDown *recording = find_choice (page, _("Recording"));
    GtkExpander *more = GTK_EXPANDER (cd_test_find_one (GTK_WIDGET (page), GTK_TYPE_EXPANDER));
    g_autofree char *one = g_strdup_printf (ngettext ("More _Filters (%u set)",
                                                      "More _Filters (%u set)", 1), 1);
    g_autofree char *two = g_strdup_printf (ngettext ("More _Filters (%u set)",
                                                      "More _Filters (%u set)", 2), 2);
    guint recorded_in_queue = 0;

    g_assert_cmpstr (gtk_expander_get_label (more), ==, one);
    for (guint i = 0; i < items->len; i++)
      if (in_queue (items->pdata[i], queue_name) && is_marked (items->pdata[i], NULL))
        recorded_in_queue++;
    gtk_drop_down_set_selected (recording, 1);
    g_assert_cmpstr (gtk_expander_get_label (more), ==, two);
    g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, recorded_in_queue);
    gtk_drop_down_set_selected (recording, 2);
    g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, expected - recorded_in_queue);
    gtk_drop_down_set_selected (recording, 0);
    g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, expected);
  }
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), shot);
  cd_test_assert_nothing_cut (GTK_WIDGET (window));
  gtk_drop_down_set_selected (queue, 0);
  g_assert_cmpuint (cd_recordings_page_get_n_shown (page), ==, n);
  g_assert_cmpstr (gtk_expander_get_label (
                       GTK_EXPANDER (cd_test_find_one (GTK_WIDGET (page), GTK_TYPE_EXPANDER))),
                   ==, _("More _Filters"));
  gtk_drop_down_set_selected (find_choice (page, _("Week")), 0);
  cd_test_wait_for (page_loaded, page, "the work list");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
not_calibrating (gpointer data)
{
  return !cd_recordings_page_get_calibrating (data);
}

typedef struct
{
  CdRecordingsPage *page;
  const char       *session;
  guint             n_evaluators;
  gboolean          closed;
} SessionWait;

static gboolean
session_synced (gpointer data)
{
  SessionWait *wait = data;
  CdRecordingsSource *source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (wait->page)));
  GPtrArray *sessions = cd_recordings_source_get_calibrations (source);

  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      JsonObject *session = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (json_object_get_string_member (session, "session"), wait->session) == 0)
        return json_array_get_length (json_object_get_array_member (session, "evaluators")) ==
                   wait->n_evaluators &&
               json_object_get_boolean_member (session, "closed") == wait->closed &&
               (!wait->closed || json_object_has_member (session, "results"));
    }
  return FALSE;
}

static GtkButton *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) all = cd_test_find (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (gtk_button_get_label (all->pdata[i]), label) == 0)
      return all->pdata[i];
  g_error ("no button “%s”", label);
}

/* A calibration session on a call: qc opens it from the review and scores
 * the call through the form, qc2 scores it through the API with one answer
 * changed; until qc closes it, the view names who scored and shows no
 * answers; once closed, each evaluator's deviation from the reference (qc)
 * is shown, qc2's the core's difference of the two totals. */
static void
test_calibration (void)
{
  g_autofree char *shot = cd_test_ui_screenshot_name ("recordings-calibration-light");
  g_autofree char *call = NULL;
  g_autofree char *session = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *other = NULL;
  g_autofree char *body = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(CdQaForm) form = NULL;
  g_autoptr(CdQaScore) mine = NULL;
  g_autoptr(CdQaScore) theirs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  CdRecordingsSource *source;
  CdStoreQaForm *stored;
  CdRecordingsPage *page;
  CdWindow *window;
  JsonObject *given;
  SessionWait wait = { 0 };
  gboolean flipped = FALSE;

  window = cd_test_ui_open_dashboard (app, "recordings", 1157, 900, CD_TYPE_RECORDINGS_PAGE,
                                      &page);
  cd_test_wait_for (page_loaded, page, "the work list");
  call = g_strdup (find_recorded_call (page));
  g_assert_nonnull (call);
  g_assert_true (cd_recordings_page_choose_call (page, call));
  source = CD_RECORDINGS_SOURCE (cd_page_get_source (CD_PAGE (page)));
  stored = cd_recordings_source_get_form (source);
  form = cd_qa_form_new_from_json (stored->document, strlen (stored->document), &error);
  g_assert_no_error (error);

  /* qc opens a session on the call and scores it. */
  g_assert_null (cd_recordings_page_get_calibration (page));
  g_signal_emit_by_name (find_button (GTK_WIDGET (page), _("Start _Calibration on This Call")),
                         "clicked");
  cd_test_wait_for (not_calibrating, page, "the session to open");
  session = g_strdup (cd_recordings_page_get_calibration (page));
  g_assert_nonnull (session);
  g_test_message ("session %s", session);
  answers = answer_form (page, form);
  mine = cd_qa_score_new_from_json (form, answers, strlen (answers), &error);
  g_assert_no_error (error);
  g_signal_emit_by_name (find_button (GTK_WIDGET (page), _("_Save Evaluation")), "clicked");
  cd_test_wait_for (saved, page, "the calibration evaluation to be saved");
  g_assert_true (g_str_has_prefix (cd_recordings_page_get_status (page),
                                   _("Saved in the calibration session.")));
  g_assert_null (cd_recordings_page_get_calibration (page));

  /* qc2 scores it too, with the first yes/no answer turned to no. */
  g_assert_true (json_parser_load_from_data (parser, answers, -1, &error));
  g_assert_no_error (error);
  given = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "answers");
  {
    g_autoptr(GList) names = json_object_get_members (given);

    for (GList *l = names; l != NULL && !flipped; l = l->next)
      {
        JsonNode *value = json_object_get_member (given, l->data);

        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
          {
            json_object_set_boolean_member (given, l->data, FALSE);
            flipped = TRUE;
          }
      }
  }
  g_assert_true (flipped);
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_generator_set_root (generator, json_parser_get_root (parser));
    other = json_generator_to_data (generator, NULL);
  }
  theirs = cd_qa_score_new_from_json (form, other, strlen (other), &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (theirs->total, !=, mine->total);
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), given);

    json_generator_set_root (generator, node);
    g_free (other);
    other = json_generator_to_data (generator, NULL);
  }
  body = g_strdup_printf ("{\"call\":\"%s\",\"form\":\"%s\",\"version\":%" G_GINT64_FORMAT
                          ",\"calibration\":\"%s\",\"answers\":%s}",
                          call, form->id, form->version, session, other);
  token = cd_test_login (http, server.url, "qc2", "password-2");
  created = cd_test_call (http, server.url, "POST", "/api/v1/qa/evaluations", token, NULL, body,
                          SOUP_STATUS_CREATED);
  g_assert_nonnull (created);

  /* Open: who scored, no answers, and qc (the owner) may close it. */
  adw_view_stack_set_visible_child_name (cd_test_find_one (GTK_WIDGET (page),
                                                           ADW_TYPE_VIEW_STACK),
                                         "calibration");
  wait.page = page;
  wait.session = session;
  wait.n_evaluators = 2;
  cd_test_wait_for (session_synced, &wait, "both evaluations to come back");
  g_assert_true (cd_recordings_page_choose_session (page, session));
  {
    g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW);
    GtkButton *score = find_button (GTK_WIDGET (page), _("_Score This Call Blind"));

    for (guint i = 0; i < rows->len; i++)
      g_assert_false (gtk_widget_is_drawable (rows->pdata[i]));
    /* qc has scored: no second, blind, evaluation offered. */
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (score)));
  }
  g_signal_emit_by_name (find_button (GTK_WIDGET (page),
                                      _("C_lose Session and Show Deviations")),
                         "clicked");
  cd_test_wait_for (not_calibrating, page, "the session to close");
  wait.closed = TRUE;
  cd_test_wait_for (session_synced, &wait, "the closed session to come back");

  /* qc2's deviation is the difference of the two totals. */
  expected = g_strdup_printf ("%+.1f", cd_qa_round_1 (theirs->total - mine->total));
  {
    g_autoptr(GPtrArray) rows = cd_test_find (GTK_WIDGET (page), ADW_TYPE_EXPANDER_ROW);
    GtkWidget *row = NULL;
    g_autofree char *reference = g_strdup_printf (_("%s (reference)"), "qc");
    gboolean has_reference = FALSE;

    for (guint i = 0; i < rows->len; i++)
      {
        const char *title = adw_preferences_row_get_title (rows->pdata[i]);

        if (g_strcmp0 (title, "qc2") == 0)
          row = rows->pdata[i];
        has_reference |= g_strcmp0 (title, reference) == 0;
      }
    g_assert_true (has_reference);
    g_assert_nonnull (row);
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
    {
      g_autoptr(GPtrArray) labels = cd_test_find (row, GTK_TYPE_LABEL);
      gboolean found = FALSE;

      for (guint i = 0; i < labels->len; i++)
        if (g_strcmp0 (gtk_widget_get_name (labels->pdata[i]), "total-deviation") == 0)
          {
            g_test_message ("qc2: %s", gtk_label_get_text (labels->pdata[i]));
            g_assert_nonnull (strstr (gtk_label_get_text (labels->pdata[i]), expected));
            found = TRUE;
          }
      g_assert_true (found);
    }
  }
  cd_test_wait_painted (GTK_WIDGET (window));
  cd_test_save_screenshot (GTK_WIDGET (window), shot);
  g_assert_cmpint (cd_test_verify (server.db), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The calls `citydeskctl recordings list` prints, one a line, each
 * line starting with the call's id. */
static void
read_recorded (const char *db)
{
  g_autofree char *out = cd_test_ui_ctl ("recordings", "list", "--db", db, NULL);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_hash_table_add (recorded, g_strndup (lines[i], strcspn (lines[i], " ")));
  g_assert_cmpuint (g_hash_table_size (recorded), >, 0);
}

/* A ticket registered by phone during each recorded answered call, for
 * its caller, as an operator would (docs/calls.md). */
static void
register_call_tickets (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db, &error);
  GHashTableIter iter;
  gpointer call;

  g_assert_no_error (error);
  ticketed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, recorded);
  while (g_hash_table_iter_next (&iter, &call, NULL))
    {
      g_autofree char *sql = g_strdup_printf ("SELECT coalesce (answered_at, 0) || ' ' || "
                                              "coalesce (caller, '') FROM calls WHERE id = '%s'",
                                              (const char *) call);
      g_autofree char *row = cd_test_sql_text (db, sql);
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(CdTicket) ticket = NULL;
      gint64 answered_at = g_ascii_strtoll (row, NULL, 10);
      const char *caller = strchr (row, ' ');

      if (answered_at == 0 || caller == NULL || strlen (caller + 1) < 9)
        continue;
      json_object_set_string_member (fields, "kind", "routine");
      json_object_set_string_member (fields, "category", "housing.heating");
      json_object_set_string_member (fields, "district", "Central");
      json_object_set_string_member (fields, "street", "Lenina");
      json_object_set_string_member (fields, "building", call);
      json_object_set_string_member (fields, "channel", "phone");
      json_object_set_string_member (fields, "phone", caller + 1);
      ticket = cd_store_register (store, fields, "olga", "operator", answered_at + 20, &error);
      g_assert_no_error (error);
      g_hash_table_insert (ticketed, g_strdup (call), g_strdup (ticket->number));
    }
  g_assert_cmpuint (g_hash_table_size (ticketed), >, 0);
}

/* The facts of a call name the ticket registered during it, by number and
 * category name, as a button that opens it. */
static void
test_call_tickets (void)
{
  CdRecordingsPage *page;
  CdWindow *window;
  GtkDropDown *weeks;
  const char *call = NULL;
  const char *number, *name;
  g_autofree char *label = NULL;
  g_autoptr(GPtrArray) buttons = NULL;
  GtkWidget *button = NULL;
  GList *toplevels;
  CdTicketWindow *opened = NULL;

  window = cd_test_ui_open_dashboard (app, "recordings", 1400, 900, CD_TYPE_RECORDINGS_PAGE,
                                      &page);
  cd_test_wait_for (page_loaded, page, "the work list");
  weeks = find_choice (page, _("Week"));
  for (guint week = 0; week < 2 && call == NULL; week++)
    {
      GPtrArray *items;

      gtk_drop_down_set_selected (weeks, week);
      cd_test_wait_for (page_loaded, page, "the work list");
      items = cd_recordings_source_get_items (CD_RECORDINGS_SOURCE (
          cd_page_get_source (CD_PAGE (page))));
      for (guint i = 0; i < items->len && call == NULL; i++)
        if (g_hash_table_contains (ticketed, ((CdRecordingItem *) items->pdata[i])->call))
          call = ((CdRecordingItem *) items->pdata[i])->call;
    }
  g_assert_nonnull (call);
  g_assert_true (cd_recordings_page_choose_call (page, call));
  cd_test_wait_for (facts_in, page, "the call's facts");

  number = g_hash_table_lookup (ticketed, call);
  name = cd_store_reference_name (cd_page_get_store (CD_PAGE (page)), CD_REFERENCE_CATEGORY,
                                  "housing.heating");
  g_assert_cmpstr (name, !=, "housing.heating");
  label = g_strdup_printf (C_("call ticket", "%s · %s"), number, name);
  buttons = cd_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]),
                   "recordings.open-ticket") == 0 &&
        gtk_widget_is_visible (buttons->pdata[i]))
      {
        g_assert_null (button);
        button = buttons->pdata[i];
      }
  g_assert_nonnull (button);
  g_test_message ("ticket: %s", gtk_button_get_label (GTK_BUTTON (button)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, label);
  g_assert_true (gtk_widget_get_focusable (button));

  /* It opens the ticket. */
  g_signal_emit_by_name (button, "clicked");
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (CD_IS_TICKET_WINDOW (l->data))
      opened = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (opened);
  gtk_window_destroy (GTK_WINDOW (opened));
  gtk_window_destroy (GTK_WINDOW (window));
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
  /* Xvfb has no sound card: the player's audio sink then falls back to a
   * fake one that keeps the clock, so the recording still plays in real
   * time (cd-audio-player.c). */
  if (!cd_test_ui_init (&argc, &argv, &home))
    return g_test_run ();

  db = g_build_filename (home, "server.db", NULL);
  folder = g_build_filename (home, "recordings", NULL);
  /* A Thursday: the week holds the two days the demo records, whatever
   * day the test runs. */
  g_free (cd_test_ui_ctl ("demo", "generate", "--db", db, "--days", "10", "--tickets-per-day",
                          "50", "--end", END, "--recordings", folder, NULL));
  cd_test_add_user (db, "qc", "qc", NULL, "password-1");
  cd_test_add_user (db, "qc2", "qc", NULL, "password-2");
  read_recorded (db);
  register_call_tickets (db);
  {
    const char *extra[] = { "--recordings", folder, NULL };

    cd_test_server_start_full (&server, db, extra, FALSE);
  }

  g_unsetenv ("CITYDESK_ROLE");
  g_setenv ("CITYDESK_NOW", END, TRUE);
  app = cd_test_ui_new_app ();
  cd_test_ui_log_in (app, server.url, "qc", "password-1");

  g_test_add_func ("/recordings-ui/filters", test_filters);
  g_test_add_func ("/recordings-ui/review", test_review);
  g_test_add_func ("/recordings-ui/calibration", test_calibration);
  g_test_add_func ("/recordings-ui/call-tickets", test_call_tickets);

  ret = g_test_run ();
  g_clear_object (&app);
  cd_test_server_clear (&server);
  g_clear_pointer (&recorded, g_hash_table_unref);
  g_clear_pointer (&ticketed, g_hash_table_unref);
  return ret;
}
