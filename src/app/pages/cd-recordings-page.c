// SPDX-License-Identifier: GPL-3.0-or-later
//
// The quality-control desk: the week's calls to review (a
// CdRecordingsSource over the cache), the chosen call's facts and analysis
// fetched from the server and its recording streamed from it by the player
// (CdCallPlayer: nothing of a resident's voice is written to the disk),
// over the waveform of both sides, the evaluation form beside it with its
// live score, and the operators' results. Evaluations are saved with
// POST /api/v1/qa/evaluations; the work list marks the call once the
// sync brings the evaluation back. The page is the template in
// cd-recordings-page.ui; only the work list's rows, the form's questions
// and the results' rows are made here. An operator, who reads only their
// own evaluations (the role table's "own"), gets "My Evaluations" instead:
// the evaluations of their calls with the player above them, and neither
// the work list nor the form nor the others' results.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-call-player.h"
#include "cd-access.h"
#include "cd-client.h"
#include "cd-qa-score.h"
#include "cd-recordings-page.h"
#include "cd-recordings-source.h"
#include "cd-score-trend.h"
#include "cd-session.h"
#include "cd-store-reference.h"
#include "cd-ticket-window.h"

/* The width from which the form stands beside the player, not below. */
#define WIDE_REVIEW 1040

typedef struct
{
  gint64  at_ms;
  char   *text;
} Comment;

struct _CdRecordingsPage
{
  CdPage           parent_instance;

  /* The bar above both views. */
  AdwViewStack    *views;
  GtkDropDown     *week_choice;
  GtkScrolledWindow *review_scroller; /* its width arranges the detail */

  /* The work list. */
  GtkDropDown     *operator_choice;
  GtkStringList   *operators;       /* operator_choice's */
  GtkDropDown     *reason_choice;
  GtkStringList   *reasons;         /* reason_choice's */
  GtkDropDown     *queue_choice;
  GtkStringList   *queues;          /* queue_choice's */
  GtkDropDown     *outcome_choice;  /* in the order of CdRecordingOutcomeFilter */
  GtkDropDown     *duration_choice;
  GtkDropDown     *complaint_choice; /* in the order of CdRecordingComplaintFilter */
  GtkDropDown     *recording_choice; /* in the order of CdRecordingPresenceFilter */
  GtkExpander     *more_filters;
  GtkListBox      *work_list;
  GtkLabel        *list_status;
  guint            n_shown;
  char            *list_signature;  /* what the list shows, to rebuild it on change only */
  char            *asked_path;      /* the period last asked the server about recordings */
  GCancellable    *ask_recorded;

  /* The player. */
  GtkLabel        *call_title;
  GtkLabel        *facts;
  GtkBox          *call_tickets;    /* the tickets registered during the call */
  CdCallPlayer    *player;
  GtkButton       *comment_button;
  GtkEntry        *comment_entry;
  GtkListBox      *comment_list;
  GtkWidget       *player_box;
  GtkBox          *detail;          /* the player and the form */
  GtkOrientation   detail_orientation;
  guint            arrange_id;
  char            *call;
  GCancellable    *fetch;
  gboolean         fetching;
  /* Play the call once its facts are in (a complaint's "Play the Recording"). */
  gboolean         play_on_load;
  gint64           comment_at_ms;
  GArray          *comments;       /* of Comment */

  /* The form. */
  GtkBox          *form_box;
  GtkLabel        *score_label;
  GtkButton       *save_button;
  GtkLabel        *save_status;
  CdQaForm        *form;            /* a copy, as the source may read again */
  char            *form_id;
  gint64           form_version;
  GHashTable      *answers;         /* question id → JsonNode */
  GHashTable      *answer_buttons;  /* question id → GPtrArray of GtkToggleButton */
  GCancellable    *save;
  char            *score_text;

  /* Operator results. */
  GtkListBox      *results_list;
  GtkButton       *export_button;

  /* Calibration. */
  GtkButton       *calibrate_button;
  GtkLabel        *calibration_status;
  GtkListBox      *calibration_list;
  GtkLabel        *session_title;
  GtkLabel        *session_facts;
  GtkButton       *score_session_button;
  GtkButton       *close_session_button;
  GtkListBox      *deviation_list;
  char            *session;          /* the session shown */
  char            *calibration;      /* the session the form saves into, for @call */
  char            *calibration_call;
  GCancellable    *calibrate;
  char            *calibration_signature;
  /* An operator's own evaluations (set_own_view()), made on first use. */
  gboolean         own;
  GtkBox          *own_box;
  GtkListBox      *own_list;
};

G_DEFINE_FINAL_TYPE (CdRecordingsPage, cd_recordings_page, CD_TYPE_PAGE)

static CdRecordingsSource *
get_source (CdRecordingsPage *self)
{
  return (CdRecordingsSource *) cd_page_get_source (CD_PAGE (self));
}

static CdClient *
get_client (CdRecordingsPage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  if (context == NULL || cd_context_get_session (context) == NULL)
    return NULL;
  return cd_session_get_client (cd_context_get_session (context));
}

static void
comment_clear (Comment *comment)
{
  g_free (comment->text);
}

/* Formatting {{{1 */

static char *
format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  /* TRANSLATORS: a call's day and time in the work list, see g_date_time_format() */
  return local != NULL ? g_date_time_format (local, _("%a %d %b, %H:%M")) : g_strdup ("");
}

static const char *
outcome_label (const CdRecordingItem *item)
{
  if (!item->has_call)
    return "";
  switch (item->outcome)
    {
    case CD_CALL_ANSWERED:
      if (g_strcmp0 (item->ended_by, "agent") == 0)
        return C_("call outcome", "Answered, the operator hung up");
      if (g_strcmp0 (item->ended_by, "caller") == 0)
        return C_("call outcome", "Answered, the resident hung up");
      return C_("call outcome", "Answered");
    case CD_CALL_TRANSFERRED:
      return C_("call outcome", "Transferred");
    case CD_CALL_ABANDONED:
    case CD_CALL_TIMEOUT:
    case CD_CALL_EXIT_EMPTY:
    case CD_CALL_EXIT_KEY:
    case CD_CALL_WITHDRAWN:
      return C_("call outcome", "Not answered");
    case CD_CALL_WAITING:
    case CD_CALL_TALKING:
      return C_("call outcome", "Still going on");
    case CD_CALL_INTERRUPTED:
    case CD_N_CALL_OUTCOMES:
    default:
      return C_("call outcome", "Interrupted");
    }
}

/* The caller's number is personal data the desk does not need to judge
 * the call: only its last two digits, to tell calls apart. */
static char *
mask_caller (const char *caller)
{
  gsize len;

  if (caller == NULL || (len = strlen (caller)) < 4)
    return g_strdup (_("hidden"));
  return g_strdup_printf ("••• ••%s", caller + len - 2);
}

static char *
reasons_text (guint reasons)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint r = 0; r < CD_QA_N_REASONS; r++)
    if (reasons & (1u << r))
      {
        if (text->len > 0)
          /* TRANSLATORS: between the reasons a call is listed for */
          g_string_append (text, _(", "));
        g_string_append (text, cd_qa_reason_label (1u << r));
      }
  /* The core's labels run in a sentence; a line of their own starts with
   * a capital. */
  if (text->len > 0)
    {
      gunichar first = g_utf8_get_char (text->str);
      char upper[6];
      int len = g_unichar_to_utf8 (g_unichar_totitle (first), upper);

      g_string_erase (text, 0, g_utf8_next_char (text->str) - text->str);
      g_string_insert_len (text, 0, upper, len);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
text_of (const CdQaText *text)
{
  const char *s = cd_qa_text_get (text, (const char * const *) g_get_language_names ());

  return s != NULL ? s : "";
}

/* The work list {{{1 */

static const char *
chosen_name (GtkDropDown   *choice,
             GtkStringList *names)
{
  guint selected = gtk_drop_down_get_selected (choice);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (names, selected);
}

static guint
chosen_position (GtkDropDown *choice)
{
  guint selected = gtk_drop_down_get_selected (choice);

  return selected == GTK_INVALID_LIST_POSITION ? 0 : selected;
}

/* The bounds of the duration choice's lengths, in the template's order. */
static const struct
{
  gint64 min_talk;
  gint64 max_talk;
} talk_bounds[] = {
  { -1, -1 },
  { -1, 30 },
  { 30, 180 },
  { 180, -1 },
};

static CdRecordingFilter
chosen_filter (CdRecordingsPage *self)
{
  CdRecordingFilter filter = CD_RECORDING_FILTER_INIT;
  guint reason = chosen_position (self->reason_choice);
  guint talk = MIN (chosen_position (self->duration_choice), G_N_ELEMENTS (talk_bounds) - 1);

  filter.operator = chosen_name (self->operator_choice, self->operators);
  filter.reasons = reason == 0 ? 0 : 1u << (reason - 1);
  filter.queue = chosen_name (self->queue_choice, self->queues);
  filter.outcome = chosen_position (self->outcome_choice);
  filter.min_talk = talk_bounds[talk].min_talk;
  filter.max_talk = talk_bounds[talk].max_talk;
  filter.complaint = chosen_position (self->complaint_choice);
  filter.recording = chosen_position (self->recording_choice);
  return filter;
}

static GtkWidget *
make_mark (const char *icon_name,
           const char *text)
{
  GtkWidget *mark = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_set_tooltip_text (mark, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (mark), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return mark;
}

static GtkWidget *
make_row (const CdRecordingItem *item)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;
  g_autofree char *time = format_time (item->time);
  g_autofree char *reasons = reasons_text (item->reasons);
  g_autofree char *wait = format_duration (item->wait);
  g_autofree char *talk = format_duration (item->talk);
  g_autofree char *figures = NULL;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  label = gtk_label_new (item->operator != NULL ? item->operator : _("No operator"));
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (top), label);
  label = gtk_label_new (time);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (top), label);
  if (item->recording == CD_RECORDING_PRESENT)
    gtk_box_append (GTK_BOX (top), make_mark ("audio-x-generic-symbolic", _("Recorded")));
  if (item->evaluated)
    gtk_box_append (GTK_BOX (top), make_mark ("object-select-symbolic", _("Evaluated")));
  gtk_box_append (GTK_BOX (box), top);

  label = gtk_label_new (reasons);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);

  if (item->has_call && item->queue != NULL)
    /* TRANSLATORS: a call in the work list: its queue, wait, talk and how it ended */
    figures = g_strdup_printf (_("%s · wait %s · talk %s · %s"), item->queue, wait, talk,
                               outcome_label (item));
  else if (item->has_call)
    /* TRANSLATORS: a call in the work list: its wait, its talk and how it ended */
    figures = g_strdup_printf (_("Wait %s · talk %s · %s"), wait, talk, outcome_label (item));
  else
    figures = g_strdup (_("The call’s figures are not in the cache"));
  label = gtk_label_new (figures);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), label);

  /* Calls without a recording stay listed (the facts and the form still
   * serve), saying so where the eye reads. */
  if (item->recording == CD_RECORDING_ABSENT)
    {
      label = gtk_label_new (_("No recording"));
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "warning");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "call", g_strdup (item->call), g_free);
  return row;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Puts @names (sorted, %NULL-terminated, without the "all" entry) after the
 * list's first entry, keeping the chosen name when it is still there. */
static void
fill_choice (CdRecordingsPage   *self,
             GtkDropDown        *choice,
             GtkStringList      *list,
             const char * const *names)
{
  g_autofree char *chosen = g_strdup (chosen_name (choice, list));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint position = 0;

  gboolean same = n == g_strv_length ((char **) names) + 1;

  /* The source reads again at each sync, mostly the same names. */
  for (guint i = 0; same && names[i] != NULL; i++)
    same = g_strcmp0 (gtk_string_list_get_string (list, i + 1), names[i]) == 0;
  if (same)
    return;
  g_signal_handlers_block_matched (choice, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  /* Not the chosen item away under the drop-down's feet: GTK 4.8 then
   * unparents its row twice. */
  gtk_drop_down_set_selected (choice, 0);
  gtk_string_list_splice (list, 1, n > 0 ? n - 1 : 0, names);
  for (guint i = 0; chosen != NULL && names[i] != NULL; i++)
    if (g_strcmp0 (names[i], chosen) == 0)
      position = i + 1;
  gtk_drop_down_set_selected (choice, position);
  g_signal_handlers_unblock_matched (choice, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
fill_operators (CdRecordingsPage *self,
                GPtrArray        *items)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) queues = NULL;

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (items, i);

      if (item->operator != NULL && g_hash_table_add (seen, item->operator))
        g_ptr_array_add (names, item->operator);
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  fill_choice (self, self->operator_choice, self->operators, (const char * const *) names->pdata);
  queues = get_source (self) != NULL ? cd_recordings_source_dup_queues (get_source (self))
                                     : g_new0 (char *, 1);
  fill_choice (self, self->queue_choice, self->queues, (const char * const *) queues);
}

static void
on_recorded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CdRecordingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = cd_client_get_finish (CD_CLIENT (source), result, &error);
  g_autoptr(GHashTable) calls = NULL;
  JsonArray *found = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->ask_recorded);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), "recordings");

      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        found = json_node_get_array (member);
    }
  if (found == NULL)
    {
      /* Unknown is not "none": the rows then carry no mark either way. */
      g_debug ("Cannot tell which calls have a recording: %s",
               error != NULL ? error->message : "no list in the answer");
      g_clear_pointer (&self->asked_path, g_free);
    }
  else
    {
      calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < json_array_get_length (found); i++)
        {
          JsonNode *entry = json_array_get_element (found, i);
          const char *call = JSON_NODE_HOLDS_OBJECT (entry)
                                 ? json_object_get_string_member_with_default (
                                       json_node_get_object (entry), "call", NULL)
                                 : NULL;

          if (call != NULL)
            g_hash_table_add (calls, g_strdup (call));
        }
    }
  if (get_source (self) != NULL)
    cd_recordings_source_set_recorded (get_source (self), calls);
}

/* Asks the server which of the work list's calls have a recording, once
 * per list (the source reads again at each sync, mostly the same calls):
 * the recordings of the period the list's calls entered the queue in. */
static void
ask_recorded (CdRecordingsPage *self,
              GPtrArray        *items)
{
  CdClient *client = get_client (self);
  g_autoptr(GDateTime) from_time = NULL;
  g_autoptr(GDateTime) to_time = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *path = NULL;
  gint64 first = G_MAXINT64, last = 0;

  if (client == NULL || items == NULL || items->len == 0)
    return;
  for (guint i = 0; i < items->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (items, i);

      first = MIN (first, item->time);
      last = MAX (last, item->time);
    }
  from_time = g_date_time_new_from_unix_utc (first);
  to_time = g_date_time_new_from_unix_utc (last + 1);
  if (from_time == NULL || to_time == NULL)
    return;
  from = g_date_time_format (from_time, "%Y-%m-%dT%H:%M:%SZ");
  to = g_date_time_format (to_time, "%Y-%m-%dT%H:%M:%SZ");
  path = g_strdup_printf ("/api/v1/recordings?from=%s&to=%s", from, to);
  if (g_strcmp0 (path, self->asked_path) == 0)
    return;
  g_free (self->asked_path);
  self->asked_path = g_steal_pointer (&path);
  g_cancellable_cancel (self->ask_recorded);
  g_clear_object (&self->ask_recorded);
  self->ask_recorded = g_cancellable_new ();
  /* Another period's marks would mislead until the answer comes. */
  if (get_source (self) != NULL)
    cd_recordings_source_set_recorded (get_source (self), NULL);
  cd_client_get_async (client, self->asked_path, self->ask_recorded, on_recorded,
                       g_object_ref (self));
}

/* The folded filters say how many of them narrow the list, so that none
 * is forgotten while folded. */
static void
label_more_filters (CdRecordingsPage *self)
{
  GtkDropDown *folded[] = { self->queue_choice, self->outcome_choice, self->duration_choice,
                            self->complaint_choice, self->recording_choice };
  guint on = 0;
  g_autofree char *label = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (folded); i++)
    if (chosen_position (folded[i]) != 0)
      on++;
  if (on == 0)
    label = g_strdup (_("More _Filters"));
  else
    /* TRANSLATORS: the folded filters of the work list, when some are set */
    label = g_strdup_printf (ngettext ("More _Filters (%u set)", "More _Filters (%u set)", on),
                             on);
  gtk_expander_set_label (self->more_filters, label);
}

static void
fill_work_list (CdRecordingsPage *self)
{
  CdRecordingsSource *source = get_source (self);
  GPtrArray *items = source != NULL ? cd_recordings_source_get_items (source) : NULL;
  CdRecordingFilter filter = chosen_filter (self);
  g_autoptr(GPtrArray) shown = source != NULL ? cd_recordings_source_filter (source, &filter)
                                              : NULL;
  g_autoptr(GString) signature = g_string_new (NULL);
  GtkWidget *child;

  label_more_filters (self);
  /* The source reads again at each sync: the list is rebuilt only when
   * what it shows changed, so that its scrolling stays where it is. */
  g_string_append_printf (signature, "%u|", items != NULL ? items->len : 0);
  for (guint i = 0; shown != NULL && i < shown->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (shown, i);

      g_string_append_printf (signature, "%s%c%c%d", item->call, item->evaluated ? '+' : '-',
                              item->has_call ? '+' : '-', item->recording);
    }
  if (items != NULL && g_strcmp0 (signature->str, self->list_signature) == 0)
    return;
  g_free (self->list_signature);
  self->list_signature = g_string_free (g_steal_pointer (&signature), FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->work_list))) != NULL)
    gtk_list_box_remove (self->work_list, child);
  self->n_shown = 0;
  for (guint i = 0; shown != NULL && i < shown->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (shown, i);
      GtkWidget *row = make_row (item);

      gtk_list_box_append (self->work_list, row);
      if (g_strcmp0 (item->call, self->call) == 0)
        gtk_list_box_select_row (self->work_list, GTK_LIST_BOX_ROW (row));
      self->n_shown++;
    }
  if (items == NULL)
    gtk_label_set_text (self->list_status, _("Reading the week’s calls…"));
  else if (self->n_shown == 0)
    gtk_label_set_text (self->list_status,
                        items->len == 0 ? _("No calls to review this week.")
                                        : _("No calls to review match the filters."));
  else if (self->n_shown == items->len)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u call to review",
                                                         "%u calls to review", self->n_shown),
                                               self->n_shown);

      gtk_label_set_text (self->list_status, text);
    }
  else
    {
      /* TRANSLATORS: the work list filtered: "4 of 25 calls to review" */
      g_autofree char *text = g_strdup_printf (ngettext ("%u of %u call to review",
                                                         "%u of %u calls to review", items->len),
                                               self->n_shown, items->len);

      gtk_label_set_text (self->list_status, text);
    }
}

/* The form {{{1 */

static void update_calibrate_button (CdRecordingsPage *self);

static char *
answers_json (CdRecordingsPage *self,
              gboolean          whole)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_object (builder);
  if (whole)
    {
      json_builder_set_member_name (builder, "form");
      json_builder_add_string_value (builder, self->form_id);
      json_builder_set_member_name (builder, "version");
      json_builder_add_int_value (builder, self->form_version);
    }
  json_builder_set_member_name (builder, "answers");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_builder_set_member_name (builder, key);
      json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static guint
count_unanswered (CdRecordingsPage *self)
{
  guint n = 0;

  for (guint g = 0; self->form != NULL && g < self->form->groups->len; g++)
    {
      CdQaGroup *group = g_ptr_array_index (self->form->groups, g);

      for (guint q = 0; q < group->questions->len; q++)
        {
          CdQaQuestion *question = g_ptr_array_index (group->questions, q);

          if (!question->optional && !g_hash_table_contains (self->answers, question->id))
            n++;
        }
    }
  return n;
}

static void
update_score (CdRecordingsPage *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(CdQaScore) score = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answers = NULL;
  guint unanswered;

  if (self->form == NULL)
    {
      g_string_assign (text, _("No evaluation form in use"));
      goto done;
    }
  if ((unanswered = count_unanswered (self)) > 0)
    {
      g_string_printf (text, ngettext ("%u question to answer", "%u questions to answer",
                                       unanswered),
                       unanswered);
      goto done;
    }
  answers = answers_json (self, TRUE);
  score = cd_qa_score_new_from_json (self->form, answers, strlen (answers), &error);
  if (score == NULL)
    {
      g_string_assign (text, error->message);
      goto done;
    }
  if (score->has_total)
    g_string_printf (text, _("Total %.1f"), score->total);
  else
    g_string_assign (text, _("Nothing applicable to score"));
  if (score->band != NULL)
    g_string_append_printf (text, " — %s", text_of (score->band->name));
  if (score->has_critical)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Critical %.1f"), score->critical);
    }
  for (guint i = 0; score->fatal_failed != NULL && i < score->fatal_failed->len; i++)
    {
      const CdQaQuestion *question = g_ptr_array_index (score->fatal_failed, i);

      g_string_append (text, "\n");
      /* TRANSLATORS: why the total is 0: a fatal question failed */
      g_string_append_printf (text, _("Fatal: %s"), text_of (question->text));
    }

done:
  g_free (self->score_text);
  self->score_text = g_strdup (text->str);
  gtk_label_set_text (self->score_label, text->str);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            self->call != NULL && self->form != NULL && score != NULL &&
                                self->save == NULL);
}

static void
on_answer_toggled (GtkToggleButton  *button,
                   CdRecordingsPage *self)
{
  const char *question = g_object_get_data (G_OBJECT (button), "question");
  JsonNode *value = g_object_get_data (G_OBJECT (button), "value");
  GPtrArray *buttons = g_hash_table_lookup (self->answer_buttons, question);
  gboolean any = FALSE;

  if (gtk_toggle_button_get_active (button))
    {
      /* Only one answer per question: the group's other buttons let go. */
      for (guint i = 0; buttons != NULL && i < buttons->len; i++)
        if (buttons->pdata[i] != button)
          gtk_toggle_button_set_active (buttons->pdata[i], FALSE);
      g_hash_table_insert (self->answers, g_strdup (question), json_node_copy (value));
    }
  else
    {
      for (guint i = 0; buttons != NULL && i < buttons->len; i++)
        any |= gtk_toggle_button_get_active (buttons->pdata[i]);
      if (!any)
        g_hash_table_remove (self->answers, question);
    }
  update_score (self);
}

static void
add_answer_button (CdRecordingsPage   *self,
                   GtkWidget          *box,
                   const CdQaQuestion *question,
                   const char         *label,
                   const char         *value_id,
                   JsonNode           *value)
{
  GtkWidget *button = gtk_toggle_button_new_with_label (label);
  g_autofree char *name = g_strdup_printf ("answer:%s:%s", question->id, value_id);
  GPtrArray *buttons = g_hash_table_lookup (self->answer_buttons, question->id);

  if (buttons == NULL)
    {
      buttons = g_ptr_array_new ();
      g_hash_table_insert (self->answer_buttons, g_strdup (question->id), buttons);
    }
  g_ptr_array_add (buttons, button);
  gtk_widget_set_name (button, name);
  g_object_set_data_full (G_OBJECT (button), "question", g_strdup (question->id), g_free);
  g_object_set_data_full (G_OBJECT (button), "value", value, (GDestroyNotify) json_node_unref);
  g_signal_connect (button, "toggled", G_CALLBACK (on_answer_toggled), self);
  gtk_box_append (GTK_BOX (box), button);
}

static GtkWidget *
make_question (CdRecordingsPage   *self,
               const CdQaQuestion *question)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  g_autoptr(GString) title = g_string_new (text_of (question->text));
  GtkWidget *label;

  if (question->fatal)
    g_string_append_printf (title, " (%s)", C_("question mark", "fatal"));
  if (question->critical)
    g_string_append_printf (title, " (%s)", C_("question mark", "critical"));
  if (question->optional)
    g_string_append_printf (title, " (%s)", C_("question mark", "optional"));
  label = gtk_label_new (title->str);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);

  if (question->type == CD_QA_QUESTION_CHOICE)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (line), GTK_ORIENTATION_VERTICAL);
  else
    gtk_widget_set_halign (line, GTK_ALIGN_START);
  gtk_widget_add_css_class (line, "linked");
  gtk_box_append (GTK_BOX (box), line);
  switch (question->type)
    {
    case CD_QA_QUESTION_YES_NO:
      add_answer_button (self, line, question, _("Yes"), "yes", json_node_init_boolean (
                             json_node_alloc (), TRUE));
      add_answer_button (self, line, question, _("No"), "no", json_node_init_boolean (
                             json_node_alloc (), FALSE));
      break;
    case CD_QA_QUESTION_SCALE:
      for (gint64 v = question->scale_min; v <= question->scale_max; v++)
        {
          g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, v);

          add_answer_button (self, line, question, text, text,
                             json_node_init_int (json_node_alloc (), v));
        }
      break;
    case CD_QA_QUESTION_CHOICE:
      for (guint c = 0; c < question->choices->len; c++)
        {
          CdQaChoice *choice = g_ptr_array_index (question->choices, c);

          add_answer_button (self, line, question, text_of (choice->label), choice->id,
                             json_node_init_string (json_node_alloc (), choice->id));
        }
      break;
    default:
      break;
    }
  add_answer_button (self, line, question, C_("answer", "N/A"), "n/a",
                     json_node_init_string (json_node_alloc (), "n/a"));
  gtk_widget_set_tooltip_text (gtk_widget_get_last_child (line), _("Not applicable"));
  return box;
}

static void
build_form (CdRecordingsPage *self)
{
  CdRecordingsSource *source = get_source (self);
  CdStoreQaForm *stored = source != NULL ? cd_recordings_source_get_form (source) : NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  if (stored == NULL && self->form == NULL)
    return;
  if (stored != NULL && self->form != NULL && g_strcmp0 (stored->id, self->form_id) == 0 &&
      stored->version == self->form_version)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->form_box))) != NULL)
    gtk_box_remove (self->form_box, child);
  g_hash_table_remove_all (self->answers);
  g_hash_table_remove_all (self->answer_buttons);
  g_clear_pointer (&self->form, cd_qa_form_free);
  g_clear_pointer (&self->form_id, g_free);
  if (stored != NULL)
    self->form = cd_qa_form_new_from_json (stored->document, strlen (stored->document), &error);
  if (self->form == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot read the evaluation form: %s", error->message);
      update_score (self);
      return;
    }
  self->form_id = g_strdup (stored->id);
  self->form_version = stored->version;
  {
    GtkWidget *title = gtk_label_new (text_of (self->form->title));

    gtk_widget_add_css_class (title, "title-4");
    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_label_set_wrap (GTK_LABEL (title), TRUE);
    gtk_label_set_max_width_chars (GTK_LABEL (title), 40);
    gtk_box_append (self->form_box, title);
  }
  for (guint g = 0; g < self->form->groups->len; g++)
    {
      CdQaGroup *group = g_ptr_array_index (self->form->groups, g);
      GtkWidget *heading = gtk_label_new (text_of (group->title));

      gtk_widget_add_css_class (heading, "heading");
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (heading), 40);
      gtk_widget_set_margin_top (heading, 12);
      gtk_box_append (self->form_box, heading);
      for (guint q = 0; q < group->questions->len; q++)
        gtk_box_append (self->form_box, make_question (self, g_ptr_array_index (group->questions,
                                                                                q)));
    }
  update_score (self);
}

static void
reset_answers (CdRecordingsPage *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->answer_buttons);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *buttons = value;

      for (guint i = 0; i < buttons->len; i++)
        gtk_toggle_button_set_active (buttons->pdata[i], FALSE);
    }
  g_hash_table_remove_all (self->answers);
  update_score (self);
}

/* The player {{{1 */

static void
set_status (CdRecordingsPage *self,
            const char       *text)
{
  cd_call_player_set_status (self->player, text);
}

static void
update_controls (CdRecordingsPage *self)
{
  CdAudioPlayer *audio;

  if (self->player == NULL) /* disposed */
    return;
  audio = cd_call_player_get_audio (self->player);
  gtk_widget_set_sensitive (GTK_WIDGET (self->comment_button),
                            cd_audio_player_get_prepared (audio) &&
                                cd_audio_player_get_error (audio) == NULL);
}

/* The tickets the server says were registered during the call
 * (docs/calls.md), each a button opening it; for an answered call
 * without any, that none was: a finding for quality control. */
static void
show_call_tickets (CdRecordingsPage      *self,
                   const CdRecordingItem *item,
                   JsonObject            *facts)
{
  CdStore *store = cd_page_get_store (CD_PAGE (self));
  JsonArray *tickets = NULL;
  GtkWidget *child, *heading;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->call_tickets))) != NULL)
    gtk_box_remove (self->call_tickets, child);
  if (facts != NULL && json_object_has_member (facts, "tickets") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (facts, "tickets")))
    tickets = json_object_get_array_member (facts, "tickets");
  n = tickets != NULL ? json_array_get_length (tickets) : 0;
  /* A call nobody answered had nobody to register anything. */
  if (tickets == NULL ||
      (n == 0 && (item == NULL || !item->has_call ||
                  (item->outcome != CD_CALL_ANSWERED && item->outcome != CD_CALL_TRANSFERRED))))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->call_tickets), FALSE);
      return;
    }
  heading = gtk_label_new (n > 0 ? _("Tickets registered:")
                                 : _("No ticket registered during this call"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (self->call_tickets, heading);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);
      const char *number = ticket != NULL ? json_object_get_string_member_with_default (
                                                ticket, "number", NULL)
                                          : NULL;
      const char *category = ticket != NULL ? json_object_get_string_member_with_default (
                                                  ticket, "category", NULL)
                                            : NULL;
      const char *name = category != NULL
                             ? cd_store_reference_name (store, CD_REFERENCE_CATEGORY, category)
                             : NULL;
      g_autofree char *label = NULL;
      g_autofree char *description = NULL;
      GtkWidget *button;

      if (number == NULL)
        continue;
      /* TRANSLATORS: a ticket registered during a call: its number and category */
      label = g_strdup_printf (C_("call ticket", "%s · %s"), number, name != NULL ? name : "");
      button = gtk_button_new_with_label (label);
      gtk_widget_add_css_class (button, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "recordings.open-ticket");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", number);
      description = g_strdup_printf (_("Open ticket %s, %s"), number, name != NULL ? name : "");
      gtk_widget_set_tooltip_text (button, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      description, -1);
      gtk_box_append (self->call_tickets, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->call_tickets), TRUE);
}

static void
open_ticket_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CdContext *context = cd_page_get_context (CD_PAGE (widget));
  GtkRoot *root = gtk_widget_get_root (widget);
  CdTicketWindow *window;

  if (context == NULL)
    return;
  window = cd_ticket_window_new (context, g_variant_get_string (parameter, NULL));
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (window),
                                  gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_facts (CdRecordingsPage *self,
            JsonObject       *facts)
{
  CdRecordingsSource *source = get_source (self);
  CdRecordingItem *item = source != NULL ? cd_recordings_source_lookup (source, self->call)
                                         : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *analysis = NULL;

  if (item != NULL)
    {
      g_autofree char *caller = mask_caller (item->caller);
      g_autofree char *wait = format_duration (item->wait);
      g_autofree char *talk = format_duration (item->talk);
      g_autofree char *reasons = reasons_text (item->reasons);

      g_string_append_printf (text, _("Operator: %s"),
                              item->operator != NULL ? item->operator : _("No operator"));
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Caller: %s"), caller);
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Wait %s · talk %s · %s"), wait, talk,
                              outcome_label (item));
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Why: %s"), reasons);
    }
  if (facts != NULL && json_object_has_member (facts, "analysis") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (facts, "analysis")))
    analysis = json_object_get_object_member (facts, "analysis");
  if (analysis != NULL)
    {
      JsonObject *share = json_object_get_object_member (analysis, "talk_share");
      double op = share != NULL ? json_object_get_double_member_with_default (share, "operator",
                                                                              0)
                                : 0;
      double res = share != NULL ? json_object_get_double_member_with_default (share,
                                                                               "resident", 0)
                                 : 0;

      g_string_append_c (text, '\n');
      g_string_append_printf (
          text, _("Operator talks %.0f%%, resident %.0f%%, silence %.0f%%, overtalk %.0f%%"),
          100 * op, 100 * res,
          100 * json_object_get_double_member_with_default (analysis, "silence_share", 0),
          100 * json_object_get_double_member_with_default (analysis, "overtalk_share", 0));
    }
  else if (facts != NULL &&
           json_object_get_string_member_with_default (facts, "note", NULL) != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, json_object_get_string_member (facts, "note"));
    }
  gtk_label_set_text (self->facts, text->str);
  cd_call_player_set_analysis (self->player, analysis);
  show_call_tickets (self, item, facts);
}

static void
on_facts (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CdRecordingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = cd_client_get_finish (CD_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      self->fetching = FALSE;
      if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_NOT_FOUND))
        set_status (self, _("This call has no recording on the server."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("The recording could not be fetched: %s"),
                                                   error != NULL ? error->message : "");

          set_status (self, text);
        }
      show_facts (self, NULL);
      return;
    }
  self->fetching = FALSE;
  show_facts (self, json_node_get_object (node));
  cd_call_player_load (self->player, cd_context_get_session (cd_page_get_context (CD_PAGE (self))),
                       self->call);
  if (self->play_on_load)
    cd_call_player_play (self->player);
  self->play_on_load = FALSE;
}

static void
choose (CdRecordingsPage *self,
        const char       *call)
{
  CdClient *client = get_client (self);
  g_autofree char *path = NULL;
  CdRecordingItem *item;
  GtkWidget *child;

  if (g_strcmp0 (call, self->call) == 0)
    return;
  self->play_on_load = FALSE;
  g_cancellable_cancel (self->fetch);
  g_clear_object (&self->fetch);
  cd_call_player_clear (self->player);
  g_free (self->call);
  self->call = g_strdup (call);
  g_array_set_size (self->comments, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->comment_list))) != NULL)
    gtk_list_box_remove (self->comment_list, child);
  gtk_label_set_text (self->save_status, "");
  reset_answers (self);
  item = get_source (self) != NULL ? cd_recordings_source_lookup (get_source (self), call) : NULL;
  if (item != NULL)
    {
      g_autofree char *time = format_time (item->time);
      g_autofree char *title = g_strdup_printf (_("Call of %s"), time);

      gtk_label_set_text (self->call_title, title);
    }
  show_facts (self, NULL);
  update_controls (self);
  update_calibrate_button (self);
  if (client == NULL)
    {
      set_status (self, _("Not connected to the server: recordings are played from it."));
      return;
    }
  self->fetch = g_cancellable_new ();
  self->fetching = TRUE;
  set_status (self, _("Fetching the recording…"));
  path = g_strdup_printf ("/api/v1/recordings/%s", call);
  cd_client_get_async (client, path, self->fetch, on_facts, g_object_ref (self));
}

static void
on_row_selected (GtkListBox       *box,
                 GtkListBoxRow    *row,
                 CdRecordingsPage *self)
{
  if (row != NULL)
    choose (self, g_object_get_data (G_OBJECT (row), "call"));
}

static void
start_comment (CdRecordingsPage *self)
{
  g_autofree char *at = NULL;
  g_autofree char *hint = NULL;

  if (self->call == NULL)
    return;
  self->comment_at_ms = cd_call_player_get_position_ms (self->player);
  at = format_duration (self->comment_at_ms / 1000);
  /* TRANSLATORS: the placeholder of the comment entry, at a time in the recording */
  hint = g_strdup_printf (_("Comment at %s, then Enter"), at);
  gtk_entry_set_placeholder_text (self->comment_entry, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->comment_entry), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->comment_entry));
}

static void
on_comment_activate (CdRecordingsPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (
      GTK_EDITABLE (self->comment_entry))));
  g_autofree char *at = format_duration (self->comment_at_ms / 1000);
  g_autofree char *line = NULL;
  Comment comment;
  GtkWidget *label;

  if (text[0] == '\0')
    return;
  comment.at_ms = self->comment_at_ms;
  comment.text = g_strdup (text);
  g_array_append_val (self->comments, comment);
  line = g_strdup_printf ("%s  %s", at, text);
  label = gtk_label_new (line);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_list_box_append (self->comment_list, label);
  gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
  gtk_widget_set_visible (GTK_WIDGET (self->comment_entry), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->player));
}

static gboolean
on_key (GtkEventControllerKey *controller,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        CdRecordingsPage      *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0 ||
      gtk_widget_has_focus (GTK_WIDGET (self->comment_entry)) ||
      gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self))),
                              GTK_WIDGET (self->comment_entry)))
    return FALSE;
  if (keyval == GDK_KEY_c || keyval == GDK_KEY_C)
    {
      start_comment (self);
      return TRUE;
    }
  /* The player's keys work from the comments around it too. */
  return cd_call_player_handle_key (self->player, keyval, state);
}

/* Saving {{{1 */

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CdRecordingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = cd_client_post_finish (CD_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->save);
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      gtk_label_set_text (self->save_status, text);
    }
  else if (self->calibration != NULL && g_strcmp0 (self->calibration_call, self->call) == 0)
    {
      /* Once in the session: a second save would be a second evaluator's. */
      g_clear_pointer (&self->calibration, g_free);
      g_clear_pointer (&self->calibration_call, g_free);
      gtk_label_set_text (self->save_status,
                          _("Saved in the calibration session. The deviations show on "
                            "Calibration once its owner closes it."));
    }
  else
    gtk_label_set_text (self->save_status,
                        _("Saved. The work list marks the call once the server’s journal "
                          "comes back."));
  update_score (self);
  update_calibrate_button (self);
}

static void
save_evaluation (CdRecordingsPage *self)
{
  CdClient *client = get_client (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answers = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = g_uuid_string_random ();

  if (client == NULL || self->call == NULL || self->form == NULL || self->save != NULL)
    return;
  answers = answers_json (self, FALSE);
  if (!json_parser_load_from_data (parser, answers, -1, NULL))
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "call");
  json_builder_add_string_value (builder, self->call);
  json_builder_set_member_name (builder, "form");
  json_builder_add_string_value (builder, self->form_id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->form_version);
  if (self->calibration != NULL && g_strcmp0 (self->calibration_call, self->call) == 0)
    {
      json_builder_set_member_name (builder, "calibration");
      json_builder_add_string_value (builder, self->calibration);
    }
  json_builder_set_member_name (builder, "answers");
  json_builder_add_value (builder,
                          json_node_copy (json_object_get_member (
                              json_node_get_object (json_parser_get_root (parser)), "answers")));
  if (self->comments->len > 0)
    {
      json_builder_set_member_name (builder, "comments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->comments->len; i++)
        {
          Comment *comment = &g_array_index (self->comments, Comment, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "at_ms");
          json_builder_add_int_value (builder, comment->at_ms);
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, comment->text);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  self->save = g_cancellable_new ();
  gtk_label_set_text (self->save_status, _("Saving…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
  cd_client_post_async (client, "/api/v1/qa/evaluations", key, body, self->save, on_saved,
                        g_object_ref (self));
}

/* Operator results {{{1 */

static const char *
group_title (CdRecordingsPage *self,
             const char       *id)
{
  for (guint g = 0; self->form != NULL && g < self->form->groups->len; g++)
    {
      CdQaGroup *group = g_ptr_array_index (self->form->groups, g);

      if (g_strcmp0 (group->id, id) == 0)
        return text_of (group->title);
    }
  return id;
}

static const char *
question_text (CdRecordingsPage *self,
               const char       *id)
{
  for (guint g = 0; self->form != NULL && g < self->form->groups->len; g++)
    {
      CdQaGroup *group = g_ptr_array_index (self->form->groups, g);

      for (guint q = 0; q < group->questions->len; q++)
        {
          CdQaQuestion *question = g_ptr_array_index (group->questions, q);

          if (g_strcmp0 (question->id, id) == 0)
            return text_of (question->text);
        }
    }
  return id;
}

static GtkWidget *
make_level (double      value,
            const char *css_class)
{
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, 100);

  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (value, 0, 100));
  /* One colour whatever the value: the bars compare, they do not judge. */
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_set_size_request (bar, 120, 6);
  if (css_class != NULL)
    gtk_widget_add_css_class (bar, css_class);
  return bar;
}

/* A group's or a question's line: the operator's mean above the team's. */
static GtkWidget *
make_line_row (const char            *title,
               const CdQaResultsLine *line,
               gboolean               question)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *bars = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *label;
  g_autofree char *figures = NULL;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  subtitle = g_strdup_printf (ngettext ("%u evaluation", "%u evaluations", line->n), line->n);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Questions under their group's row, set in a little. */
  if (question)
    gtk_widget_set_margin_start (row, 24);
  gtk_widget_set_valign (bars, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bars), make_level (line->mean, NULL));
  gtk_box_append (GTK_BOX (bars), make_level (line->team_mean, "dim-label"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), bars);
  /* TRANSLATORS: an operator's mean score of a group or question, then the team's */
  figures = g_strdup_printf (_("%.1f · team %.1f"), line->mean, line->team_mean);
  label = gtk_label_new (figures);
  gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return row;
}

static GtkWidget *
make_results_row (CdRecordingsPage          *self,
                  const CdQaResults         *all,
                  const CdQaOperatorResults *mine,
                  GHashTable                *bands)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *trend = cd_score_trend_new ();
  GtkWidget *label;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *mean = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 mine->operator != NULL ? mine->operator : _("No operator"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  g_string_printf (subtitle, ngettext ("%u evaluation", "%u evaluations", mine->n), mine->n);
  for (guint b = 0; self->form != NULL && b < self->form->bands->len; b++)
    {
      CdQaBand *band = g_ptr_array_index (self->form->bands, b);
      guint count = bands != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (bands, band->id))
                                  : 0;

      if (count > 0)
        g_string_append_printf (subtitle, " · %s %u", text_of (band->name), count);
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  cd_score_trend_set_weeks (CD_SCORE_TREND (trend), mine->week_n, mine->week_mean, all->week_n,
                            all->week_mean);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), trend);
  mean = mine->n > 0
             /* TRANSLATORS: an operator's mean total, then the team's */
             ? g_strdup_printf (_("Mean %.1f · team %.1f"), mine->mean, all->mean)
             : g_strdup (_("No total"));
  label = gtk_label_new (mean);
  gtk_widget_add_css_class (label, "numeric");
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), label);

  /* Each group, then its questions under it. */
  for (guint g = 0; g < mine->groups->len; g++)
    {
      const CdQaResultsLine *group = g_ptr_array_index (mine->groups, g);

      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                make_line_row (group_title (self, group->id), group, FALSE));
      for (guint q = 0; q < mine->questions->len; q++)
        {
          const CdQaResultsLine *question = g_ptr_array_index (mine->questions, q);

          if (g_strcmp0 (question->group, group->id) == 0)
            adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                      make_line_row (question_text (self, question->id),
                                                     question, TRUE));
        }
    }
  return row;
}

static void
fill_results (CdRecordingsPage *self)
{
  CdRecordingsSource *source = get_source (self);
  GPtrArray *evaluations = source != NULL ? cd_recordings_source_get_evaluations (source) : NULL;
  CdQaResults *results = source != NULL ? cd_recordings_source_get_results (source) : NULL;
  g_autoptr(GHashTable) bands = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_hash_table_unref);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            evaluations != NULL && evaluations->len > 0);
  if (results == NULL || results->operators->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No evaluations yet."));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->results_list, label);
      return;
    }
  /* The bands' counts, per operator ("" for the calls without one). */
  for (guint i = 0; evaluations != NULL && i < evaluations->len; i++)
    {
      CdQaEvaluation *e = g_ptr_array_index (evaluations, i);
      const char *who = e->operator != NULL ? e->operator : "";
      GHashTable *counts = g_hash_table_lookup (bands, who);

      if (e->band == NULL || !e->has_total)
        continue;
      if (counts == NULL)
        {
          counts = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (bands, g_strdup (who), counts);
        }
      g_hash_table_insert (counts, e->band,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts,
                                                                                    e->band)) +
                                             1));
    }
  for (guint i = 0; i < results->operators->len; i++)
    {
      const CdQaOperatorResults *mine = g_ptr_array_index (results->operators, i);
      GHashTable *counts = g_hash_table_lookup (bands, mine->operator != NULL ? mine->operator
                                                                              : "");

      gtk_list_box_append (self->results_list, make_results_row (self, results, mine, counts));
    }
}

static void
on_export_chosen (GtkNativeDialog  *dialog,
                  int               response,
                  CdRecordingsPage *self)
{
  g_autoptr(GFile) file = NULL;
  CdRecordingsSource *source = get_source (self);
  GPtrArray *evaluations = source != NULL ? cd_recordings_source_get_evaluations (source) : NULL;

  if (response == GTK_RESPONSE_ACCEPT && evaluations != NULL &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
      g_autofree char *csv = cd_qa_evaluations_to_csv (evaluations, zone);
      g_autoptr(GError) error = NULL;

      if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_NONE,
                                    NULL, NULL, &error))
        {
          AdwToast *toast = adw_toast_new (error->message);
          GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self),
                                                        ADW_TYPE_TOAST_OVERLAY);

          if (overlay != NULL)
            adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
          else
            g_object_unref (g_object_ref_sink (toast));
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_csv (CdRecordingsPage *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Evaluations"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("evaluations.csv"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Calibration {{{1 */

static const char *
current_user (CdRecordingsPage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  if (context == NULL || cd_context_get_session (context) == NULL)
    return NULL;
  return cd_session_get_user (cd_context_get_session (context));
}

static void
update_calibrate_button (CdRecordingsPage *self)
{
  gboolean scoring = self->calibration != NULL &&
                     g_strcmp0 (self->calibration_call, self->call) == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->calibrate_button),
                            self->call != NULL && get_client (self) != NULL &&
                                self->calibrate == NULL && !scoring);
}

static JsonObject *
find_session (CdRecordingsPage *self,
              const char       *session)
{
  CdRecordingsSource *source = get_source (self);
  GPtrArray *sessions = source != NULL ? cd_recordings_source_get_calibrations (source) : NULL;

  for (guint i = 0; session != NULL && sessions != NULL && i < sessions->len; i++)
    {
      JsonObject *object = g_ptr_array_index (sessions, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "session", NULL),
                     session) == 0)
        return object;
    }
  return NULL;
}

static gboolean
has_evaluated (JsonObject *session,
               const char *user)
{
  JsonArray *evaluators = json_object_has_member (session, "evaluators")
                              ? json_object_get_array_member (session, "evaluators")
                              : NULL;

  for (guint i = 0; user != NULL && evaluators != NULL && i < json_array_get_length (evaluators);
       i++)
    if (g_strcmp0 (json_array_get_string_element (evaluators, i), user) == 0)
      return TRUE;
  return FALSE;
}

static char *
session_call_title (CdRecordingsPage *self,
                    const char       *call)
{
  CdRecordingItem *item = get_source (self) != NULL
                              ? cd_recordings_source_lookup (get_source (self), call)
                              : NULL;

  if (item != NULL)
    {
      g_autofree char *time = format_time (item->time);

      return g_strdup_printf (_("Call of %s"), time);
    }
  /* TRANSLATORS: a call not in the week's list, by its id */
  return g_strdup_printf (_("Call %s"), call);
}

static char *
format_deviation (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("—");
  return g_strdup_printf ("%+.1f", json_node_get_double (node));
}

/* An answer as the form's buttons name it ("Yes", a choice's label), not
 * as the evaluation stores it ("yes", a choice's id). */
static const char *
answer_text (CdRecordingsPage *self,
             const char       *question_id,
             const char       *answer)
{
  const CdQaQuestion *question = self->form != NULL
                                   ? cd_qa_form_lookup_question (self->form, question_id, NULL)
                                   : NULL;

  if (answer == NULL || *answer == '\0')
    return "—";
  if (g_str_equal (answer, "n/a"))
    return C_("answer", "N/A");
  if (question == NULL)
    return answer;
  if (question->type == CD_QA_QUESTION_YES_NO)
    return g_str_equal (answer, "yes") ? _("Yes") : g_str_equal (answer, "no") ? _("No") : answer;
  for (guint c = 0; question->type == CD_QA_QUESTION_CHOICE && c < question->choices->len; c++)
    {
      CdQaChoice *choice = g_ptr_array_index (question->choices, c);

      if (g_strcmp0 (choice->id, answer) == 0)
        return text_of (choice->label);
    }
  return answer;
}

static GtkWidget *
make_deviation_row (CdRecordingsPage *self,
                    JsonObject       *row)
{
  GtkWidget *expander = adw_expander_row_new ();
  const char *evaluator = json_object_get_string_member_with_default (row, "evaluator", "");
  gboolean reference = json_object_get_boolean_member_with_default (row, "reference", FALSE);
  JsonArray *questions = json_object_has_member (row, "questions")
                             ? json_object_get_array_member (row, "questions")
                             : NULL;
  g_autofree char *title = reference ? g_strdup_printf (_("%s (reference)"), evaluator)
                                     : g_strdup (evaluator);
  JsonNode *total_node = json_object_get_member (row, "total");
  g_autofree char *total = total_node != NULL && JSON_NODE_HOLDS_VALUE (total_node)
                               ? g_strdup_printf ("%.1f", json_node_get_double (total_node))
                               : g_strdup ("—");
  g_autofree char *deviation = format_deviation (row, "total_deviation");
  g_autofree char *subtitle = NULL;
  GtkWidget *label;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  /* TRANSLATORS: a calibration evaluator: the questions answered as the
   * reference did, of the form's questions */
  subtitle = g_strdup_printf (_("Same answer as the reference on %d of %d questions"),
                              (int) json_object_get_int_member_with_default (row, "agreed", 0),
                              questions != NULL ? (int) json_array_get_length (questions) : 0);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  {
    /* TRANSLATORS: a calibration evaluator's total and its deviation from the reference's */
    g_autofree char *text = g_strdup_printf (_("Total %s · deviation %s"), total, deviation);

    label = gtk_label_new (text);
    gtk_widget_add_css_class (label, "numeric");
    gtk_widget_set_name (label, "total-deviation");
    adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), label);
  }
  for (guint q = 0; questions != NULL && q < json_array_get_length (questions); q++)
    {
      JsonObject *question = json_array_get_object_element (questions, q);
      GtkWidget *line = adw_action_row_new ();
      const char *id = json_object_get_string_member_with_default (question, "id", "");
      const char *answer = answer_text (
          self, id, json_object_get_string_member_with_default (question, "answer", ""));
      const char *theirs = answer_text (
          self, id, json_object_get_string_member_with_default (question, "reference_answer", ""));
      g_autofree char *points = format_deviation (question, "deviation");
      g_autofree char *answers = NULL;

      adw_preferences_row_set_title (
          ADW_PREFERENCES_ROW (line),
          question_text (self,
                         json_object_get_string_member_with_default (question, "id", "")));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (line), FALSE);
      /* TRANSLATORS: an evaluator's answer to a question, then the reference's */
      answers = g_strdup_printf (_("Answered %s, the reference %s"), answer, theirs);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (line), answers);
      label = gtk_label_new (points);
      gtk_widget_add_css_class (label, "numeric");
      if (!json_object_get_boolean_member_with_default (question, "agrees", TRUE))
        gtk_widget_add_css_class (label, "warning");
      adw_action_row_add_suffix (ADW_ACTION_ROW (line), label);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), line);
    }
  return expander;
}

static void
show_session (CdRecordingsPage *self)
{
  JsonObject *session = find_session (self, self->session);
  const char *user = current_user (self);
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autofree char *title = NULL;
  JsonArray *evaluators, *results;
  gboolean closed, open;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->deviation_list))) != NULL)
    gtk_list_box_remove (self->deviation_list, child);
  if (session == NULL)
    {
      gtk_label_set_text (self->session_title, _("Choose a session from the list"));
      gtk_label_set_text (self->session_facts, "");
      gtk_widget_set_visible (GTK_WIDGET (self->score_session_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->close_session_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->deviation_list), FALSE);
      return;
    }
  closed = json_object_get_boolean_member_with_default (session, "closed", FALSE);
  open = !closed && !json_object_has_member (session, "error");
  title = session_call_title (self, json_object_get_string_member_with_default (session, "call",
                                                                                ""));
  gtk_label_set_text (self->session_title, title);
  g_string_append_printf (facts, _("Opened by %s; reference: %s."),
                          json_object_get_string_member_with_default (session, "owner", ""),
                          json_object_get_string_member_with_default (
                              session, "reference",
                              json_object_get_string_member_with_default (session, "owner",
                                                                          "")));
  evaluators = json_object_has_member (session, "evaluators")
                   ? json_object_get_array_member (session, "evaluators")
                   : NULL;
  g_string_append_c (facts, '\n');
  if (evaluators == NULL || json_array_get_length (evaluators) == 0)
    g_string_append (facts, _("No evaluation yet."));
  else
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (evaluators); i++)
        {
          if (names->len > 0)
            g_string_append (names, _(", "));
          g_string_append (names, json_array_get_string_element (evaluators, i));
        }
      g_string_append_printf (facts, _("Scored by: %s."), names->str);
    }
  g_string_append_c (facts, '\n');
  if (json_object_has_member (session, "error"))
    g_string_append (facts, json_object_get_string_member (session, "error"));
  else if (open)
    g_string_append (facts, _("Open: each evaluator scores blind. The answers and deviations "
                              "show once the owner closes the session."));
  else
    g_string_append (facts, _("Closed: each evaluator against the reference, question by "
                              "question (points out of 100)."));
  gtk_label_set_text (self->session_facts, facts->str);
  gtk_widget_set_visible (GTK_WIDGET (self->score_session_button),
                          open && user != NULL && !has_evaluated (session, user));
  gtk_widget_set_visible (GTK_WIDGET (self->close_session_button),
                          open && g_strcmp0 (user, json_object_get_string_member_with_default (
                                                       session, "owner", NULL)) == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_session_button), self->calibrate == NULL);
  results = json_object_has_member (session, "results")
                ? json_object_get_array_member (session, "results")
                : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->deviation_list), results != NULL);
  for (guint i = 0; results != NULL && i < json_array_get_length (results); i++)
    gtk_list_box_append (self->deviation_list,
                         make_deviation_row (self, json_array_get_object_element (results, i)));
}

static void
fill_calibrations (CdRecordingsPage *self)
{
  CdRecordingsSource *source = get_source (self);
  GPtrArray *sessions = source != NULL ? cd_recordings_source_get_calibrations (source) : NULL;
  g_autoptr(GString) signature = g_string_new (NULL);
  GtkWidget *child;

  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                        g_ptr_array_index (sessions, i));
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (signature, text);
    }
  if (g_strcmp0 (signature->str, self->calibration_signature) == 0)
    {
      show_session (self);
      return;
    }
  g_free (self->calibration_signature);
  self->calibration_signature = g_string_free (g_steal_pointer (&signature), FALSE);

  g_signal_handlers_block_matched (self->calibration_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                   NULL, self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->calibration_list))) != NULL)
    gtk_list_box_remove (self->calibration_list, child);
  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    {
      JsonObject *session = g_ptr_array_index (sessions, i);
      const char *id = json_object_get_string_member_with_default (session, "session", "");
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = session_call_title (
          self, json_object_get_string_member_with_default (session, "call", ""));
      JsonArray *evaluators = json_object_has_member (session, "evaluators")
                                  ? json_object_get_array_member (session, "evaluators")
                                  : NULL;
      guint n = evaluators != NULL ? json_array_get_length (evaluators) : 0;
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      subtitle = g_strdup_printf (
          json_object_get_boolean_member_with_default (session, "closed", FALSE)
              /* TRANSLATORS: a calibration session: its owner and how many scored the call */
              ? ngettext ("%s · %u evaluator · closed", "%s · %u evaluators · closed", n)
              : ngettext ("%s · %u evaluator · open", "%s · %u evaluators · open", n),
          json_object_get_string_member_with_default (session, "owner", ""), n);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "session", g_strdup (id), g_free);
      gtk_list_box_append (self->calibration_list, row);
      if (g_strcmp0 (id, self->session) == 0)
        gtk_list_box_select_row (self->calibration_list, GTK_LIST_BOX_ROW (row));
    }
  g_signal_handlers_unblock_matched (self->calibration_list, G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                     NULL, self);
  if (sessions == NULL)
    gtk_label_set_text (self->calibration_status, _("Reading the week’s sessions…"));
  else if (sessions->len == 0)
    gtk_label_set_text (self->calibration_status,
                        _("No calibration session this week. Start one from a call under "
                          "Review."));
  else
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u calibration session",
                                                         "%u calibration sessions",
                                                         sessions->len),
                                               sessions->len);

      gtk_label_set_text (self->calibration_status, text);
    }
  show_session (self);
}

static void
on_session_selected (GtkListBox       *box,
                     GtkListBoxRow    *row,
                     CdRecordingsPage *self)
{
  if (row == NULL)
    return;
  g_free (self->session);
  self->session = g_strdup (g_object_get_data (G_OBJECT (row), "session"));
  show_session (self);
}

static void
on_calibration_opened (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(CdRecordingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = cd_client_post_finish (CD_CLIENT (source), result, &error);
  char *session, *call;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  session = g_object_steal_data (G_OBJECT (self->calibrate), "session");
  call = g_object_steal_data (G_OBJECT (self->calibrate), "call");
  g_clear_object (&self->calibrate);
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No calibration session: %s"),
                                               error->message);

      gtk_label_set_text (self->save_status, text);
      g_free (session);
      g_free (call);
    }
  else
    {
      g_free (self->calibration);
      self->calibration = session;
      g_free (self->calibration_call);
      self->calibration_call = call;
      g_free (self->session);
      self->session = g_strdup (session);
      gtk_label_set_text (self->save_status,
                          _("Calibration session open: score the call blind, your evaluation "
                            "saves into the session."));
    }
  update_calibrate_button (self);
}

static void
start_calibration (CdRecordingsPage *self)
{
  CdClient *client = get_client (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *session = g_strconcat ("cal-", uuid, NULL);
  g_autofree char *body = NULL;

  if (client == NULL || self->call == NULL || self->calibrate != NULL)
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "session");
  json_builder_add_string_value (builder, session);
  json_builder_set_member_name (builder, "call");
  json_builder_add_string_value (builder, self->call);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  self->calibrate = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self->calibrate), "session", g_strdup (session), g_free);
  g_object_set_data_full (G_OBJECT (self->calibrate), "call", g_strdup (self->call), g_free);
  update_calibrate_button (self);
  cd_client_post_async (client, "/api/v1/qa/calibrations", uuid, body, self->calibrate,
                        on_calibration_opened, g_object_ref (self));
}

/* Opens the session's call under Review with an empty form that saves
 * into the session: nothing of the others' answers is shown there. */

/* Opens the review on @call, listed this week or not; @play: and plays it
 * once its facts are in. */
static void
open_review (CdRecordingsPage *self,
             const char       *call,
             gboolean          play)
{
  adw_view_stack_set_visible_child_name (self->views, "review");
  if (!cd_recordings_page_choose_call (self, call))
    {
      gtk_list_box_unselect_all (self->work_list);
      choose (self, call);
    }
  if (!play)
    return;
  if (self->fetching)
    self->play_on_load = TRUE;
  else
    cd_call_player_play (self->player);
}

static void
score_session (CdRecordingsPage *self)
{
  JsonObject *session = find_session (self, self->session);
  const char *call;

  if (session == NULL)
    return;
  call = json_object_get_string_member_with_default (session, "call", NULL);
  if (call == NULL)
    return;
  open_review (self, call, FALSE);
  g_free (self->calibration);
  self->calibration = g_strdup (self->session);
  g_free (self->calibration_call);
  self->calibration_call = g_strdup (call);
  gtk_label_set_text (self->save_status,
                      _("Scoring blind in the calibration session: your evaluation saves "
                        "into it."));
  update_calibrate_button (self);
}

static void
on_session_closed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CdRecordingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = cd_client_post_finish (CD_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->calibrate);
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not closed: %s"), error->message);

      gtk_label_set_text (self->calibration_status, text);
    }
  else
    gtk_label_set_text (self->calibration_status,
                        _("Closed. The deviations show once the server’s journal comes "
                          "back."));
  update_calibrate_button (self);
  show_session (self);
}

static void
close_session (CdRecordingsPage *self)
{
  CdClient *client = get_client (self);
  g_autofree char *path = NULL;
  g_autofree char *key = g_uuid_string_random ();

  if (client == NULL || self->session == NULL || self->calibrate != NULL)
    return;
  path = g_strdup_printf ("/api/v1/qa/calibrations/%s/close", self->session);
  self->calibrate = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_session_button), FALSE);
  cd_client_post_async (client, path, key, "{}", self->calibrate, on_session_closed,
                        g_object_ref (self));
}

/* My evaluations {{{1 */

static const char *
band_name (CdRecordingsPage *self,
           const char       *band)
{
  for (guint b = 0; band != NULL && self->form != NULL && b < self->form->bands->len; b++)
    {
      CdQaBand *known = g_ptr_array_index (self->form->bands, b);

      if (g_str_equal (known->id, band))
        return text_of (known->name);
    }
  return band;
}

/* "0:04 Greeting on time", one a line, from the event's payload. */
static char *
own_comments (const CdQaEvaluation *e)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  JsonNode *root;
  JsonArray *comments = NULL;

  if (e->payload != NULL && json_parser_load_from_data (parser, e->payload, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), "comments"))
    comments = json_object_get_array_member (json_node_get_object (root), "comments");
  for (guint i = 0; comments != NULL && i < json_array_get_length (comments); i++)
    {
      JsonNode *node = json_array_get_element (comments, i);
      JsonObject *comment = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *at = NULL;

      if (comment == NULL)
        continue;
      at = format_duration (json_object_get_int_member_with_default (comment, "at_ms", 0) /
                            1000);
      if (out->len > 0)
        g_string_append_c (out, '\n');
      /* TRANSLATORS: a comment of an evaluation: the time in the call, its text */
      g_string_append_printf (out, _("%s %s"), at,
                              json_object_get_string_member_with_default (comment, "text", ""));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
on_own_play (GtkButton        *button,
             CdRecordingsPage *self)
{
  const char *call = g_object_get_data (G_OBJECT (button), "call");

  choose (self, call);
  if (self->fetching)
    self->play_on_load = TRUE;
  else
    cd_call_player_play (self->player);
  /* The call may be of no week the work list shows. */
  gtk_label_set_text (self->call_title, g_object_get_data (G_OBJECT (button), "title"));
}

static GtkWidget *
own_row (CdRecordingsPage     *self,
         const CdQaEvaluation *e)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *play = gtk_button_new_from_icon_name ("media-playback-start-symbolic");
  GtkWidget *label;
  g_autofree char *when = format_time (e->call_time > 0 ? e->call_time : e->time);
  g_autofree char *evaluated = format_time (e->time);
  g_autofree char *title = g_strdup_printf (_("Call of %s"), when);
  g_autofree char *total = e->has_total ? g_strdup_printf ("%.1f", e->total) : g_strdup ("—");
  g_autofree char *comments = own_comments (e);
  g_autoptr(GString) subtitle = g_string_new (NULL);

  g_string_append_printf (subtitle, _("%s · evaluated by %s, %s"),
                          e->band != NULL ? band_name (self, e->band) : _("No band"),
                          e->evaluator, evaluated);
  if (e->fatal)
    g_string_append_printf (subtitle, " · %s", _("fatal error"));
  if (*comments != '\0')
    g_string_append_printf (subtitle, "\n%s", comments);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  label = gtk_label_new (total);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "title-3");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_widget_set_valign (play, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (play, _("Play the call"));
  gtk_widget_add_css_class (play, "flat");
  g_object_set_data_full (G_OBJECT (play), "call", g_strdup (e->call), g_free);
  g_object_set_data_full (G_OBJECT (play), "title", g_strdup (title), g_free);
  g_signal_connect (play, "clicked", G_CALLBACK (on_own_play), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), play);
  return row;
}

/* The evaluations of the operator's calls: the desktop's cache holds no
 * other, for the server sends an operator the others' masked
 * (cd_event_for_reader()), and a masked event projects no row. */
static void
fill_own (CdRecordingsPage *self)
{
  CdRecordingsSource *source = get_source (self);
  GPtrArray *evaluations = source != NULL ? cd_recordings_source_get_evaluations (source) : NULL;
  GtkWidget *child;
  guint n = 0;

  if (self->own_list == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->own_list))) != NULL)
    gtk_list_box_remove (self->own_list, child);
  /* The latest first: what was just said about the operator's work. */
  for (guint i = evaluations != NULL ? evaluations->len : 0; i > 0; i--)
    {
      gtk_list_box_append (self->own_list, own_row (self, g_ptr_array_index (evaluations, i - 1)));
      n++;
    }
  if (n == 0)
    {
      GtkWidget *label = gtk_label_new (_("No evaluations of your calls yet."));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 12);
      gtk_widget_set_margin_bottom (label, 12);
      gtk_list_box_append (self->own_list, label);
    }
}

static void
make_own_page (CdRecordingsPage *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new (_("Your calls as quality control scored them, the latest "
                                      "first; play a call to hear what a comment is about."));
  AdwViewStackPage *page;

  self->own_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  g_object_set (self->own_box, "margin-top", 12, "margin-bottom", 12, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (self->own_box, label);
  self->own_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->own_list, GTK_SELECTION_NONE);
  gtk_widget_set_valign (GTK_WIDGET (self->own_list), GTK_ALIGN_START);
  gtk_widget_add_css_class (GTK_WIDGET (self->own_list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->own_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("My Evaluations"), -1);
  gtk_box_append (self->own_box, GTK_WIDGET (self->own_list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->own_box));
  page = adw_view_stack_add_titled (self->views, scroller, "mine", _("My Evaluations"));
  adw_view_stack_page_set_icon_name (page, "emblem-documents-symbolic");
}

/* An operator's view, or everyone else's: the player moves above the
 * operator's evaluations, the review and the results are hidden. */
static void
set_own_view (CdRecordingsPage *self,
              gboolean          own)
{
  GtkWidget *player = self->player_box;
  const char * const others[] = { "review", "results", "calibration" };

  if (own == self->own)
    return;
  self->own = own;
  if (self->own_box == NULL)
    make_own_page (self);
  g_object_ref (player);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (player)), player);
  if (own)
    gtk_box_insert_child_after (self->own_box, player, gtk_widget_get_first_child (
                                                         GTK_WIDGET (self->own_box)));
  else
    gtk_box_prepend (self->detail, player);
  g_object_unref (player);
  /* An operator comments nothing: the desk does. */
  gtk_widget_set_visible (GTK_WIDGET (self->comment_button), !own);
  gtk_widget_set_visible (GTK_WIDGET (self->comment_list), !own);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    adw_view_stack_page_set_visible (
      adw_view_stack_get_page (self->views,
                               adw_view_stack_get_child_by_name (self->views, others[i])),
      !own);
  adw_view_stack_page_set_visible (
    adw_view_stack_get_page (self->views, adw_view_stack_get_child_by_name (self->views, "mine")),
    own);
  adw_view_stack_set_visible_child_name (self->views, own ? "mine" : "review");
  fill_own (self);
}

/* The source {{{1 */

static void
on_source_changed (CdRecordingsPage *self)
{
  CdRecordingsSource *source = get_source (self);
  GPtrArray *items = source != NULL ? cd_recordings_source_get_items (source) : NULL;

  build_form (self);
  fill_operators (self, items);
  fill_work_list (self);
  ask_recorded (self, items);
  fill_results (self);
  fill_calibrations (self);
  fill_own (self);
  /* An empty week keeps the page, whose week chooser leads to the others:
   * only a cache with nothing to review in any week is empty. */
  cd_page_set_empty (CD_PAGE (self), items != NULL && items->len == 0 &&
                                         cd_recordings_source_get_week (source) == 0 &&
                                         cd_recordings_source_get_form (source) == NULL &&
                                         (cd_recordings_source_get_evaluations (source) == NULL ||
                                          cd_recordings_source_get_evaluations (source)->len ==
                                              0));
}

static void
on_week_chosen (CdRecordingsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->week_choice);

  if (get_source (self) != NULL && selected < CD_RECORDINGS_N_WEEKS)
    cd_recordings_source_set_week (get_source (self), selected);
}

static CdSource *
cd_recordings_page_make_source (CdPage    *page,
                                CdContext *context)
{
  CdRecordingsPage *self = CD_RECORDINGS_PAGE (page);
  CdRecordingsSource *source = cd_recordings_source_new (context);
  guint selected = gtk_drop_down_get_selected (self->week_choice);
  g_autoptr(GPtrArray) weeks = g_ptr_array_new_with_free_func (g_free);

  if (selected < CD_RECORDINGS_N_WEEKS)
    cd_recordings_source_set_week (source, selected);
  /* The chooser names the weeks the context judges by. */
  for (guint w = 0; w < CD_RECORDINGS_N_WEEKS; w++)
    {
      g_autofree char *week = cd_recordings_week_name (cd_context_get_now (context), w);

      if (w == 0)
        g_ptr_array_add (weeks, g_strdup_printf (_("This week (%s)"), week));
      else if (w == 1)
        g_ptr_array_add (weeks, g_strdup_printf (_("Last week (%s)"), week));
      else
        g_ptr_array_add (weeks, g_steal_pointer (&week));
    }
  g_ptr_array_add (weeks, NULL);
  {
    GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (self->week_choice));

    g_signal_handlers_block_by_func (self->week_choice, on_week_chosen, self);
    gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                            (const char * const *) weeks->pdata);
    gtk_drop_down_set_selected (self->week_choice, MIN (selected, CD_RECORDINGS_N_WEEKS - 1));
    g_signal_handlers_unblock_by_func (self->week_choice, on_week_chosen, self);
  }
  g_signal_connect_object (source, "changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  set_own_view (self, cd_access_scope (cd_context_get_role (context), CD_RESOURCE_QA) ==
                          CD_ACCESS_OWN);
  return CD_SOURCE (source);
}

/* The layout {{{1 */

static void
on_view_changed (CdRecordingsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->week_choice),
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->views),
                                     "review") == 0);
}

static gboolean
arrange_detail (gpointer data)
{
  CdRecordingsPage *self = data;

  self->arrange_id = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->detail), self->detail_orientation);
  gtk_widget_set_vexpand (GTK_WIDGET (self->player_box),
                          self->detail_orientation == GTK_ORIENTATION_HORIZONTAL);
  return G_SOURCE_REMOVE;
}

static void
on_review_width (CdRecordingsPage *self,
                 GtkAdjustment    *adjustment)
{
  GtkOrientation wanted = gtk_adjustment_get_page_size (adjustment) >= WIDE_REVIEW
                              ? GTK_ORIENTATION_HORIZONTAL
                              : GTK_ORIENTATION_VERTICAL;

  if (wanted == self->detail_orientation)
    return;
  self->detail_orientation = wanted;
  /* Not while the scroller allocates. */
  if (self->arrange_id == 0)
    self->arrange_id = g_idle_add (arrange_detail, self);
}

/* GObject {{{1 */

static void
cd_recordings_page_dispose (GObject *object)
{
  CdRecordingsPage *self = CD_RECORDINGS_PAGE (object);

  g_clear_handle_id (&self->arrange_id, g_source_remove);
  g_cancellable_cancel (self->fetch);
  g_clear_object (&self->fetch);
  g_cancellable_cancel (self->save);
  g_clear_object (&self->save);
  g_cancellable_cancel (self->ask_recorded);
  g_clear_object (&self->ask_recorded);
  g_cancellable_cancel (self->calibrate);
  g_clear_object (&self->calibrate);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_RECORDINGS_PAGE);

  G_OBJECT_CLASS (cd_recordings_page_parent_class)->dispose (object);
}

static void
cd_recordings_page_finalize (GObject *object)
{
  CdRecordingsPage *self = CD_RECORDINGS_PAGE (object);

  g_free (self->call);
  g_free (self->list_signature);
  g_free (self->asked_path);
  g_free (self->session);
  g_free (self->calibration);
  g_free (self->calibration_call);
  g_free (self->calibration_signature);
  g_array_unref (self->comments);
  g_clear_pointer (&self->form, cd_qa_form_free);
  g_free (self->form_id);
  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->answer_buttons);
  g_free (self->score_text);

  G_OBJECT_CLASS (cd_recordings_page_parent_class)->finalize (object);
}

static void
cd_recordings_page_class_init (CdRecordingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CdPageClass *page_class = CD_PAGE_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_recordings_page_dispose;
  object_class->finalize = cd_recordings_page_finalize;

  g_type_ensure (CD_TYPE_CALL_PLAYER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-recordings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, views);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, call_tickets);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, week_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, review_scroller);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, operator_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, operators);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, reason_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, reasons);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, queue_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, queues);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, outcome_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, duration_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, complaint_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, recording_choice);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, more_filters);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, work_list);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, list_status);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, call_title);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, facts);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, player);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, comment_button);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, comment_list);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, player_box);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, detail);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, form_box);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, score_label);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, save_status);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, results_list);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, calibrate_button);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, calibration_status);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, calibration_list);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, session_title);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, session_facts);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, score_session_button);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, close_session_button);
  gtk_widget_class_bind_template_child (widget_class, CdRecordingsPage, deviation_list);
  gtk_widget_class_bind_template_callback (widget_class, on_week_chosen);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, fill_work_list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_key);
  gtk_widget_class_bind_template_callback (widget_class, start_comment);
  gtk_widget_class_bind_template_callback (widget_class, on_comment_activate);
  gtk_widget_class_bind_template_callback (widget_class, save_evaluation);
  gtk_widget_class_bind_template_callback (widget_class, export_csv);
  gtk_widget_class_bind_template_callback (widget_class, start_calibration);
  gtk_widget_class_bind_template_callback (widget_class, on_session_selected);
  gtk_widget_class_bind_template_callback (widget_class, score_session);
  gtk_widget_class_bind_template_callback (widget_class, close_session);

  gtk_widget_class_install_action (widget_class, "recordings.open-ticket", "s",
                                   open_ticket_action);

  page_class->title = N_("Call recordings");
  page_class->icon_name = "audio-x-generic-symbolic";
  page_class->help_section = "call-recordings";
  page_class->empty_title = N_("No Calls to Review");
  page_class->empty_description = N_(
      "The week’s sample of calls, the calls complaints point to and the calls flagged as "
      "suspect appear here, with their recordings once the server has them.");
  page_class->make_source = cd_recordings_page_make_source;
}

static void
cd_recordings_page_init (CdRecordingsPage *self)
{
  self->detail_orientation = GTK_ORIENTATION_HORIZONTAL;
  self->comments = g_array_new (FALSE, TRUE, sizeof (Comment));
  g_array_set_clear_func (self->comments, (GDestroyNotify) comment_clear);
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_node_unref);
  self->answer_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_ptr_array_unref);
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The core names the reasons, after the template's "All reasons". */
  g_signal_handlers_block_by_func (self->reason_choice, fill_work_list, self);
  for (guint r = 0; r < CD_QA_N_REASONS; r++)
    {
      g_autofree char *label = reasons_text (1u << r);

      gtk_string_list_append (self->reasons, label);
    }
  g_signal_handlers_unblock_by_func (self->reason_choice, fill_work_list, self);
  g_signal_connect_swapped (gtk_scrolled_window_get_hadjustment (self->review_scroller),
                            "changed", G_CALLBACK (on_review_width), self);
  g_signal_connect_object (cd_call_player_get_audio (self->player), "notify::prepared",
                           G_CALLBACK (update_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cd_call_player_get_audio (self->player), "notify::error",
                           G_CALLBACK (update_controls), self, G_CONNECT_SWAPPED);
  update_controls (self);
  update_score (self);
  update_calibrate_button (self);
  fill_results (self);
  fill_calibrations (self);
}

/* For the tests {{{1 */

gboolean
cd_recordings_page_get_loading (CdRecordingsPage *self)
{
  CdSource *source;

  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), TRUE);
  source = cd_page_get_source (CD_PAGE (self));
  return source == NULL || cd_source_get_loading (source) || !cd_source_get_ready (source) ||
         cd_recordings_source_get_items (get_source (self)) == NULL;
}

guint
cd_recordings_page_get_n_shown (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), 0);
  return self->n_shown;
}

/* Chooses @call in the work list, as a click on its row does. */
gboolean
cd_recordings_page_choose_call (CdRecordingsPage *self,
                                const char       *call)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), FALSE);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->work_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "call"), call) == 0)
      {
        gtk_list_box_select_row (self->work_list, GTK_LIST_BOX_ROW (row));
        return TRUE;
      }
  return FALSE;
}

/**
 * cd_recordings_page_play_call:
 * @self: the page
 * @call: a call's id
 *
 * Opens the review on @call, listed this week or not, and plays it, so
 * that a complaint about a call has its recording one click away.
 */
void
cd_recordings_page_play_call (CdRecordingsPage *self,
                              const char       *call)
{
  g_return_if_fail (CD_IS_RECORDINGS_PAGE (self));
  g_return_if_fail (call != NULL);

  open_review (self, call, TRUE);
}

const char *
cd_recordings_page_get_call (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), NULL);
  return self->call;
}

CdCallPlayer *
cd_recordings_page_get_player (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), NULL);
  return self->player;
}

gboolean
cd_recordings_page_get_fetching (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), FALSE);
  return self->fetching;
}

gboolean
cd_recordings_page_get_saving (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), FALSE);
  return self->save != NULL;
}

/* Returns: what the save status line says */
const char *
cd_recordings_page_get_status (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), NULL);
  return gtk_label_get_text (self->save_status);
}

const char *
cd_recordings_page_get_score_text (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), NULL);
  return self->score_text;
}

/* Returns: (nullable): the calibration session the form saves into */
const char *
cd_recordings_page_get_calibration (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), NULL);
  return self->calibration;
}

/* Chooses @session under Calibration, as a click on its row does. */
gboolean
cd_recordings_page_choose_session (CdRecordingsPage *self,
                                   const char       *session)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), FALSE);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->calibration_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "session"), session) == 0)
      {
        gtk_list_box_select_row (self->calibration_list, GTK_LIST_BOX_ROW (row));
        return TRUE;
      }
  return FALSE;
}

gboolean
cd_recordings_page_get_calibrating (CdRecordingsPage *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_PAGE (self), FALSE);
  return self->calibrate != NULL;
}
