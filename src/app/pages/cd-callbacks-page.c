// SPDX-License-Identifier: GPL-3.0-or-later
//
// The feedback department's day. The work list: the residents whose
// calling window is open now, soonest due first, beside the current one's
// ticket, a script to read, the attempts made and the outcome buttons
// (the keys 1 to 7); an outcome goes through the outbox as the ticket
// action `callback`, and the next task opens by itself. The supervisor's
// view: tiles and a table by executor over a period. The page is the
// template in cd-callbacks-page.ui bound to a CdCallbacksSource, which
// reads what `citydeskctl callbacks list|stats` prints, off the main loop.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cd-callbacks-page.h"
#include "cd-callbacks-source.h"
#include "cd-category.h"
#include "cd-format.h"
#include "cd-session.h"
#include "cd-store-reference.h"
#include "cd-tile.h"

enum {
  EXECUTOR_NAME,
  EXECUTOR_RESOLVED,
  EXECUTOR_CONFIRMED,
  EXECUTOR_REOPENED,
  EXECUTOR_UNREACHABLE,
  EXECUTOR_CONFIRMATION_RATE,
  EXECUTOR_REOPEN_RATE,
  N_EXECUTOR_COLUMNS
};

struct _CdCallbacksPage
{
  CdPage             parent_instance;

  /* The template's. */
  GtkWidget         *view_bar;
  AdwViewSwitcher   *switcher;
  GtkDropDown       *period_choice;
  AdwViewStack      *views;
  GtkListView       *task_list;
  GtkLabel          *status_label;
  GtkStack          *detail_stack;
  AdwStatusPage     *none_status;
  GtkWidget         *detail;
  GtkLabel          *title_label;
  GtkLabel          *subtitle_label;
  GtkLabel          *due_label;
  GtkLabel          *resident_label;
  GtkLabel          *phone_label;
  GtkWidget         *copy_button;
  GtkWidget         *call_button;
  GtkLabel          *script_label;
  GtkLabel          *summary_label;
  GtkLabel          *history_label;
  GtkDropDown       *rating_choice;
  GtkEntry          *comment_entry;
  GtkLabel          *message_label;
  GtkFlowBox        *outcomes;
  GtkFlowBox        *tiles;
  GtkStack          *executors_stack;
  GtkLabel          *executors_status;
  GtkColumnView     *executors_view;

  CdTile            *tile_widgets[CD_CALLBACKS_N_TILES];

  GtkStringList     *items;        /* the numbers of the tasks shown */
  GtkSingleSelection *selection;
  GHashTable        *tasks;        /* number -> CdFeedbackTask (the source's) */
  GHashTable        *rows;         /* the list's bound row boxes */
  /* "number/attempt" of the outcomes recorded here that the cache does
   * not show yet: those tasks are not offered again, so that a second
   * press records nothing. */
  GHashTable        *recorded;
  GtkStringList     *executor_items;
  /* The outcome that waits for its note (partly fixed), or -1. */
  int                awaiting_note;
  /* After an outcome, the outcomes rest for a double click's time: the
   * second click would land on the next task's button. */
  guint              rest_id;
  gboolean           updating;
};

G_DEFINE_FINAL_TYPE (CdCallbacksPage, cd_callbacks_page, CD_TYPE_PAGE)

/* The page's source, which CdPage keeps (see make_source). */
static CdCallbacksSource *
get_source (CdCallbacksPage *self)
{
  return (CdCallbacksSource *) cd_page_get_source (CD_PAGE (self));
}

static const CdTileInfo tile_info[CD_CALLBACKS_N_TILES] = {
  [CD_CALLBACKS_TILE_DUE_TODAY] = { N_("Callbacks due today"), "call-outgoing-symbolic" },
  [CD_CALLBACKS_TILE_OVERDUE] = { N_("Callbacks overdue"), "alarm-symbolic" },
  [CD_CALLBACKS_TILE_CONFIRMATION_RATE] = { N_("Confirmed by the resident"),
                                            "emblem-ok-symbolic" },
  [CD_CALLBACKS_TILE_UNREACHABLE_RATE] = { N_("Residents not reached"),
                                           "call-missed-symbolic" },
  [CD_CALLBACKS_TILE_REOPEN_RATE] = { N_("Reopened: not fixed"), "view-refresh-symbolic" },
};

static const char * const executor_titles[N_EXECUTOR_COLUMNS] = {
  [EXECUTOR_NAME] = N_("Executor"),
  [EXECUTOR_RESOLVED] = N_("Resolved"),
  [EXECUTOR_CONFIRMED] = N_("Confirmed"),
  [EXECUTOR_REOPENED] = N_("Reopened"),
  [EXECUTOR_UNREACHABLE] = N_("Not reached"),
  [EXECUTOR_CONFIRMATION_RATE] = N_("Confirmation rate"),
  [EXECUTOR_REOPEN_RATE] = N_("Reopen rate"),
};

static const char * const period_names[CD_CALLBACKS_N_PERIODS] = {
  [CD_CALLBACKS_PERIOD_TODAY] = N_("Today"),
  [CD_CALLBACKS_PERIOD_WEEK] = N_("This week"),
  [CD_CALLBACKS_PERIOD_30_DAYS] = N_("Last 30 days"),
};

static gint64
get_now (CdCallbacksPage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  return context != NULL ? cd_context_get_now (context) : g_get_real_time () / G_USEC_PER_SEC;
}

/* What the last key did, below the list: a toast would take the focus
 * from the list when it goes. */
static void
set_status (CdCallbacksPage *self,
            const char      *status)
{
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
}

static char *
format_share (double share)
{
  return isnan (share) ? g_strdup ("—") : g_strdup_printf ("%.0f %%", 100 * share);
}

static char *
format_time (CdCallbacksPage *self,
             gint64           time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (get_now (self));

  return cd_format_deadline (when, now);
}

static const char *
executor_name (CdCallbacksPage *self,
               const char      *code)
{
  CdStore *store = cd_page_get_store (CD_PAGE (self));
  const char *name = store != NULL && code != NULL
                         ? cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, code)
                         : code;

  return name != NULL ? name : "—";
}

/* The search bar finds a task by its number, address, resident or
 * telephone, as the other lists do. */
static gboolean
task_matches (CdCallbacksPage      *self,
              const CdFeedbackTask *task)
{
  const char *search = gtk_editable_get_text (cd_page_get_search_entry (CD_PAGE (self)));
  g_autofree char *needle = NULL;
  const char *fields[] = { task->number, task->address, task->resident, task->phone };

  if (search == NULL || *search == '\0')
    return TRUE;
  needle = g_utf8_casefold (search, -1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *haystack = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

      if (haystack != NULL && strstr (haystack, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static char *
task_key (const CdFeedbackTask *task)
{
  return g_strdup_printf ("%s/%u", task->number, task->attempt);
}

static gboolean
is_supervisor (CdCallbacksPage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));
  const char *role = context != NULL ? cd_context_get_role (context) : NULL;

  return g_strcmp0 (role, "supervisor") == 0 || g_strcmp0 (role, "admin") == 0;
}

static CdFeedbackTask *
current_task (CdCallbacksPage *self)
{
  GtkStringObject *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL)
    return NULL;
  return g_hash_table_lookup (self->tasks, gtk_string_object_get_string (item));
}

static void
update_actions (CdCallbacksPage *self)
{
  CdFeedbackTask *task = current_task (self);
  gboolean phone = task != NULL && task->phone != NULL && *task->phone != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "callbacks.record",
                                 task != NULL && self->rest_id == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "callbacks.copy-number", phone);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "callbacks.call", phone);
}

static void
show_message (CdCallbacksPage *self,
              const char      *message)
{
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* What to read to the resident, with the ticket's fields. */
static char *
build_script (CdCallbacksPage      *self,
              const CdFeedbackTask *task)
{
  g_autoptr(GString) script = g_string_new (NULL);
  const char *category = cd_category_label_for_code (task->category);

  if (task->resident != NULL && *task->resident != '\0')
    {
      /* A name written with initials ends with their full stop: the
       * sentence's own would make two. */
      g_autofree char *name = g_strdup (task->resident);

      if (g_str_has_suffix (name, "."))
        name[strlen (name) - 1] = '\0';
      /* Translators: the script of a callback: the resident's name, the
       * ticket's number, its category and address. */
      g_string_append_printf (script,
                              _("Hello, %s. This is the city contact centre calling about your "
                                "request %s (%s, %s)."),
                              name, task->number, category, task->address);
    }
  else
    g_string_append_printf (script,
                            _("Hello. This is the city contact centre calling about your "
                              "request %s (%s, %s)."),
                            task->number, category, task->address);
  g_string_append_c (script, ' ');
  /* Translators: the script of a callback: the executor's name. */
  g_string_append_printf (script, _("%s reports that the work is done. Is the problem really "
                                    "solved?"),
                          executor_name (self, task->executor));
  g_string_append_c (script, ' ');
  g_string_append (script, _("If it is not, tell me what remains and the request goes back to "
                             "the executor. How would you rate the work, from 1 to 5?"));
  return g_string_free (g_steal_pointer (&script), FALSE);
}

static char *
build_history (CdCallbacksPage      *self,
               const CdFeedbackTask *task)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; task->history != NULL && i < task->history->len; i++)
    {
      const CdFeedbackAttempt *attempt = g_ptr_array_index (task->history, i);
      g_autofree char *when = format_time (self, attempt->time);
      const char *outcome = attempt->outcome < CD_N_FEEDBACK_OUTCOMES
                                ? cd_feedback_outcome_get_label (attempt->outcome)
                                : "—";

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: one attempt of a callback: when, who called, the outcome. */
      g_string_append_printf (text, _("%s, %s: %s"), when,
                              attempt->actor != NULL ? attempt->actor : "—", outcome);
      if (attempt->rating > 0)
        /* Translators: after an attempt's outcome. */
        g_string_append_printf (text, _(", rated %u of 5"), attempt->rating);
      if (attempt->note != NULL && *attempt->note != '\0')
        g_string_append_printf (text, " — “%s”", attempt->note);
    }
  if (text->len == 0)
    return g_strdup (_("None yet: this is the first call."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_task (CdCallbacksPage *self)
{
  CdFeedbackTask *task = current_task (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *due = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *script = NULL;
  g_autofree char *history = NULL;
  gboolean phone;

  self->awaiting_note = -1;
  if (task == NULL)
    {
      GPtrArray *all = get_source (self) != NULL ? cd_callbacks_source_get_tasks (get_source (self))
                                            : NULL;

      adw_status_page_set_description (
          self->none_status,
          all != NULL && all->len > 0
              ? _("Every resident whose calling window is open now has been called.")
              : _("Residents whose calling window is open appear here, soonest due first."));
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      update_actions (self);
      return;
    }

  /* Translators: the heading of a callback: the ticket's number. */
  title = g_strdup_printf (_("Ticket %s"), task->number);
  gtk_label_set_label (self->title_label, title);
  /* Translators: the category, the executor and the address of a ticket. */
  subtitle = g_strdup_printf (_("%s — %s\n%s"), cd_category_label_for_code (task->category),
                              executor_name (self, task->executor),
                              task->address != NULL ? task->address : "—");
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->subtitle_label), task->category);
  deadline = format_time (self, task->due);
  remaining = cd_format_remaining (task->due - get_now (self));
  /* Translators: the attempt to make, of how many, and the callback's due
   * time: "Attempt 1 of 3, due today 16:00 (in 2 h)". */
  due = g_strdup_printf (_("Attempt %u of %u, due %s (%s)"), task->attempt, task->attempts,
                         deadline, remaining);
  gtk_label_set_label (self->due_label, due);

  gtk_label_set_label (self->resident_label, task->resident != NULL && *task->resident != '\0'
                                                 ? task->resident
                                                 : _("Resident without a name"));
  phone = task->phone != NULL && *task->phone != '\0';
  gtk_label_set_label (self->phone_label, phone ? task->phone : _("No telephone number"));
  update_actions (self);

  script = build_script (self, task);
  gtk_label_set_label (self->script_label, script);
  gtk_label_set_label (self->summary_label,
                       task->description != NULL && *task->description != '\0'
                           ? task->description
                           : "—");
  history = build_history (self, task);
  gtk_label_set_label (self->history_label, history);

  gtk_drop_down_set_selected (self->rating_choice, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), "");
  show_message (self, NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "task");
}

static void
set_row (CdCallbacksPage *self,
         GtkWidget       *box)
{
  CdFeedbackTask *task = g_hash_table_lookup (self->tasks,
                                              g_object_get_data (G_OBJECT (box), "number"));
  GtkWidget *top = gtk_widget_get_first_child (box);
  GtkWidget *bottom = gtk_widget_get_next_sibling (top);
  g_autofree char *remaining = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *spoken = NULL;

  if (task == NULL)
    return;
  remaining = cd_format_remaining (task->due - get_now (self));
  /* Translators: a task of the work list: the ticket's number, the
   * callback's countdown ("in 2 h" or "1 h overdue"). */
  first = g_strdup_printf (_("%s · %s"), task->number, remaining);
  /* Translators: a task of the work list: the category, the address. */
  second = g_strdup_printf (_("%s, %s"), cd_category_label_for_code (task->category),
                            task->address != NULL ? task->address : "—");
  gtk_label_set_label (GTK_LABEL (top), first);
  gtk_label_set_label (GTK_LABEL (bottom), second);
  gtk_widget_set_tooltip_text (box, second);
  spoken = g_strdup_printf ("%s. %s", first, second);
  if (gtk_widget_get_parent (box) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

/* The list's items become @numbers, each item that stays kept, so that
 * the row with the focus keeps it. */
static void
set_items (CdCallbacksPage *self,
           GPtrArray       *numbers)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  for (guint i = 0; i < numbers->len; i++)
    g_hash_table_add (wanted, numbers->pdata[i]);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = n; i-- > 0;)
    {
      const char *number = gtk_string_list_get_string (self->items, i);

      if (!g_hash_table_contains (wanted, number))
        gtk_string_list_remove (self->items, i);
      else
        g_hash_table_add (kept, (gpointer) number);
    }
  for (guint i = 0; i < numbers->len; i++)
    {
      const char *have = i < g_list_model_get_n_items (G_LIST_MODEL (self->items))
                             ? gtk_string_list_get_string (self->items, i)
                             : NULL;
      const char * const insert[] = { numbers->pdata[i], NULL };

      if (g_strcmp0 (have, numbers->pdata[i]) == 0)
        continue;
      if (g_hash_table_contains (kept, numbers->pdata[i]))
        break;   /* another order: all anew below */
      gtk_string_list_splice (self->items, i, 0, insert);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < numbers->len && n == numbers->len; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->items, i), numbers->pdata[i]) != 0)
      n = G_MAXUINT;
  if (n != numbers->len)
    {
      g_ptr_array_add (numbers, NULL);
      gtk_string_list_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                              (const char * const *) numbers->pdata);
      g_ptr_array_remove_index (numbers, numbers->len - 1);
    }
}

static gboolean
focus_in (CdCallbacksPage *self,
          GtkWidget       *ancestor)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

static void
focus_task_row (CdCallbacksPage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (focus_in (self, GTK_WIDGET (self)))
    return;
  if (position != GTK_INVALID_LIST_POSITION)
    {
      self->updating = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self->task_list), "list.select-item", "(ubb)",
                                  position, FALSE, FALSE);
      self->updating = FALSE;
    }
  if (!focus_in (self, GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->task_list));
}

/* The list again from the source's tasks, less those recorded here: the
 * task selected stays if it is still there, else the one that took its
 * place opens. */
static void
update_list (CdCallbacksPage *self)
{
  GPtrArray *tasks = cd_callbacks_source_get_tasks (get_source (self));
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkStringObject *item = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *selected = item != NULL ? g_strdup (gtk_string_object_get_string (item))
                                           : NULL;
  guint position = gtk_single_selection_get_selected (self->selection);
  guint to_call = 0;
  gboolean in_list;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_remove_all (self->tasks);
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      CdFeedbackTask *task = g_ptr_array_index (tasks, i);
      char *id = task_key (task);

      g_hash_table_add (keys, id);
      if (g_hash_table_contains (self->recorded, id))
        continue;
      to_call++;
      if (!task_matches (self, task))
        continue;
      g_hash_table_insert (self->tasks, task->number, task);
      g_ptr_array_add (numbers, task->number);
    }
  /* An outcome the cache shows (the task moved on or ended) is no longer
   * this page's to hold back. */
  g_hash_table_iter_init (&iter, self->recorded);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (keys, key))
      g_hash_table_iter_remove (&iter);

  in_list = focus_in (self, GTK_WIDGET (self->task_list));
  self->updating = TRUE;
  set_items (self, numbers);
  self->updating = FALSE;
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    set_row (self, key);
  if (numbers->len > 0)
    {
      guint select = position != GTK_INVALID_LIST_POSITION ? MIN (position, numbers->len - 1)
                                                           : 0;

      for (guint i = 0; selected != NULL && i < numbers->len; i++)
        if (g_str_equal (numbers->pdata[i], selected))
          select = i;
      gtk_single_selection_set_selected (self->selection, select);
    }
  cd_page_set_badge (CD_PAGE (self), to_call);
  if (in_list && numbers->len > 0)
    focus_task_row (self);
  /* The same task: what was typed stays, only its figures move. */
  if (selected != NULL && current_task (self) != NULL &&
      g_str_equal (current_task (self)->number, selected) &&
      gtk_stack_get_visible_child_name (self->detail_stack) != NULL &&
      g_str_equal (gtk_stack_get_visible_child_name (self->detail_stack), "task"))
    {
      int awaiting = self->awaiting_note;
      g_autofree char *comment = g_strdup (gtk_editable_get_text (GTK_EDITABLE (
          self->comment_entry)));
      guint rating = gtk_drop_down_get_selected (self->rating_choice);
      g_autofree char *message = g_strdup (gtk_label_get_label (self->message_label));
      gboolean shown = gtk_widget_get_visible (GTK_WIDGET (self->message_label));

      show_task (self);
      gtk_editable_set_text (GTK_EDITABLE (self->comment_entry), comment);
      gtk_drop_down_set_selected (self->rating_choice, rating);
      show_message (self, shown ? message : NULL);
      self->awaiting_note = awaiting;
    }
  else
    show_task (self);
}

static void
set_tile (CdCallbacksPage *self,
          CdCallbacksTile  tile,
          const char      *number,
          const char      *detail)
{
  cd_tile_set_figure (self->tile_widgets[tile], number, detail);
}

static void
update_figures (CdCallbacksPage *self)
{
  const CdFeedbackStats *stats = cd_callbacks_source_get_stats (get_source (self));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  guint ended;

  if (stats == NULL)
    {
      for (guint i = 0; i < CD_CALLBACKS_N_TILES; i++)
        set_tile (self, i, "—", NULL);
      gtk_label_set_label (self->executors_status, _("Reading the figures…"));
      gtk_stack_set_visible_child_name (self->executors_stack, "none");
      return;
    }

  ended = stats->confirmed + stats->reopened + stats->unreachable + stats->refused;
  {
    g_autofree char *due_today = g_strdup_printf ("%u", stats->due_today);
    g_autofree char *open = g_strdup_printf (ngettext ("Of %u open task", "Of %u open tasks",
                                                       stats->open),
                                             stats->open);
    g_autofree char *overdue = g_strdup_printf ("%u", stats->overdue);
    g_autofree char *confirmed = format_share (stats->confirmation_rate);
    g_autofree char *unreachable = format_share (stats->unreachable_rate);
    g_autofree char *reopened = format_share (stats->reopen_rate);
    g_autofree char *of_ended = g_strdup_printf (ngettext ("Of %u callback ended in the period",
                                                           "Of %u callbacks ended in the period",
                                                           ended),
                                                 ended);

    set_tile (self, CD_CALLBACKS_TILE_DUE_TODAY, due_today, open);
    set_tile (self, CD_CALLBACKS_TILE_OVERDUE, overdue,
              stats->overdue > 0 ? _("Past due: call these first") : NULL);
    cd_tile_set_state (self->tile_widgets[CD_CALLBACKS_TILE_OVERDUE],
                       stats->overdue > 0 ? "error" : NULL,
                       stats->overdue > 0 ? "dialog-error-symbolic"
                                          : tile_info[CD_CALLBACKS_TILE_OVERDUE].icon_name);
    set_tile (self, CD_CALLBACKS_TILE_CONFIRMATION_RATE, confirmed, of_ended);
    set_tile (self, CD_CALLBACKS_TILE_UNREACHABLE_RATE, unreachable, NULL);
    set_tile (self, CD_CALLBACKS_TILE_REOPEN_RATE, reopened, NULL);
  }

  for (guint i = 0; stats->executors != NULL && i < stats->executors->len; i++)
    g_ptr_array_add (strings, g_strdup_printf ("%u", i));
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->executor_items, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->executor_items)),
                          (const char * const *) strings->pdata);
  if (strings->len > 1)
    gtk_stack_set_visible_child_name (self->executors_stack, "list");
  else
    {
      gtk_label_set_label (self->executors_status,
                           _("No ticket resolved in this period has had a callback."));
      gtk_stack_set_visible_child_name (self->executors_stack, "none");
    }
}

static void
update_roles (CdCallbacksPage *self)
{
  gboolean supervisor = is_supervisor (self);

  /* The feedback department sees its work list alone. */
  gtk_widget_set_visible (self->view_bar, supervisor);
  if (!supervisor)
    adw_view_stack_set_visible_child_name (self->views, "work");
  gtk_widget_set_visible (
      GTK_WIDGET (self->period_choice),
      supervisor && g_strcmp0 (adw_view_stack_get_visible_child_name (self->views),
                               "supervisor") == 0);
}

static void
on_view_changed (CdCallbacksPage *self)
{
  update_roles (self);
}

static void
on_source_changed (CdCallbacksPage *self)
{
  const CdFeedbackStats *stats = cd_callbacks_source_get_stats (get_source (self));
  GPtrArray *tasks = cd_callbacks_source_get_tasks (get_source (self));

  update_roles (self);
  update_list (self);
  update_figures (self);
  /* Nothing to call now, nothing open and nothing ended: "No Callbacks
   * Due". */
  cd_page_set_empty (CD_PAGE (self),
                     (tasks == NULL || tasks->len == 0) &&
                         (stats == NULL ||
                          (stats->open == 0 && stats->attempts == 0 && stats->confirmed == 0 &&
                           stats->reopened == 0 && stats->unreachable == 0)));
}

static void
on_search_changed (CdCallbacksPage *self)
{
  if (get_source (self) != NULL && cd_callbacks_source_get_tasks (get_source (self)) != NULL)
    update_list (self);
}

static void
on_selection_changed (CdCallbacksPage *self)
{
  if (!self->updating)
    show_task (self);
}

static void
on_period_changed (CdCallbacksPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_choice);

  if (get_source (self) != NULL && selected < CD_CALLBACKS_N_PERIODS)
    cd_callbacks_source_set_period (get_source (self), selected);
}

static void
cd_callbacks_page_action_refused (CdPage     *page,
                                  gint64      id,
                                  const char *key,
                                  const char *reason)
{
  CdCallbacksPage *self = CD_CALLBACKS_PAGE (page);
  g_autofree char *number = g_strndup (key, strcspn (key, "/"));
  g_autofree char *message = NULL;

  /* Translators: the server refused a callback's outcome: the ticket's
   * number and the server's reason. */
  message = g_strdup_printf (_("Ticket %s: the outcome was not recorded: %s"), number, reason);
  g_hash_table_remove (self->recorded, key);
  set_status (self, message);
  if (get_source (self) != NULL && cd_callbacks_source_get_tasks (get_source (self)) != NULL)
    update_list (self);
  show_message (self, message);
}

static CdSource *
cd_callbacks_page_make_source (CdPage    *page,
                               CdContext *context)
{
  CdCallbacksPage *self = CD_CALLBACKS_PAGE (page);
  CdCallbacksSource *source = cd_callbacks_source_new (context);
  guint selected = gtk_drop_down_get_selected (self->period_choice);

  if (selected < CD_CALLBACKS_N_PERIODS)
    cd_callbacks_source_set_period (source, selected);
  g_signal_connect_object (source, "changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  return CD_SOURCE (source);
}

/* The role comes with the context. */
static void
on_context_changed (CdCallbacksPage *self)
{
  if (cd_page_get_context (CD_PAGE (self)) != NULL)
    update_roles (self);
}

/* A task recorded by a key on its row: the focus goes to the row of the
 * task that opens next before the recorded one leaves the list, so that
 * the next key works there. */
static void
move_focus_on (CdCallbacksPage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  if (!focus_in (self, GTK_WIDGET (self->task_list)) || position == GTK_INVALID_LIST_POSITION ||
      n < 2)
    return;
  self->updating = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self->task_list), "list.select-item", "(ubb)",
                              position + 1 < n ? position + 1 : position - 1, FALSE, FALSE);
  self->updating = FALSE;
}

static gboolean
on_rested (gpointer user_data)
{
  CdCallbacksPage *self = user_data;

  self->rest_id = 0;
  update_actions (self);
  return G_SOURCE_REMOVE;
}

/* One press, one outcome: the task is held back from the list until the
 * cache shows the outcome (or the server refuses it), so that a second
 * press, or the key held down, records nothing more. */
static void
record (CdCallbacksPage   *self,
        CdFeedbackOutcome  outcome)
{
  CdFeedbackTask *task = current_task (self);
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *note = NULL;
  g_autofree char *done = NULL;
  guint rating;
  int rest = 400;

  if (task == NULL || outcome >= CD_N_FEEDBACK_OUTCOMES || self->rest_id != 0)
    return;
  key = task_key (task);
  if (g_hash_table_contains (self->recorded, key))
    return;
  if (cd_page_get_sync (CD_PAGE (self)) == NULL)
    {
      show_message (self, _("Not connected to a server: log in first."));
      return;
    }
  note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->comment_entry))));
  if (outcome == CD_FEEDBACK_PARTLY_FIXED && *note == '\0')
    {
      /* Enter in the comment records it once the note is there. */
      self->awaiting_note = outcome;
      show_message (self, _("Partly fixed: write what remains to be done in the comment, then "
                            "press Enter."));
      gtk_widget_grab_focus (GTK_WIDGET (self->comment_entry));
      return;
    }

  payload = json_object_new ();
  json_object_set_string_member (payload, "outcome", cd_feedback_outcome_to_string (outcome));
  rating = gtk_drop_down_get_selected (self->rating_choice);
  if (rating >= 1 && rating <= 5)
    json_object_set_int_member (payload, "rating", rating);
  if (*note != '\0')
    json_object_set_string_member (payload, "note", note);
  if (cd_page_send_action (CD_PAGE (self), task->number, CD_ACTION_CALLBACK, payload, key,
                           &error) == 0)
    {
      show_message (self, error->message);
      return;
    }
  /* Translators: a callback's outcome was queued: the outcome, the ticket. */
  done = g_strdup_printf (_("“%s” recorded for ticket %s"), cd_feedback_outcome_get_label (outcome),
                          task->number);
  g_hash_table_add (self->recorded, g_steal_pointer (&key));
  move_focus_on (self);
  set_status (self, done);
  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-double-click-time", &rest,
                NULL);
  self->rest_id = g_timeout_add (MAX (rest, 1), on_rested, self);
  /* The next task opens in its place. */
  update_list (self);
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  record (CD_CALLBACKS_PAGE (widget), (CdFeedbackOutcome) g_variant_get_int32 (parameter));
}

static void
on_comment_activate (CdCallbacksPage *self)
{
  if (self->awaiting_note >= 0)
    record (self, (CdFeedbackOutcome) self->awaiting_note);
}

static void
copy_number_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CdCallbacksPage *self = CD_CALLBACKS_PAGE (widget);
  CdFeedbackTask *task = current_task (self);
  g_autofree char *done = NULL;

  if (task == NULL || task->phone == NULL || *task->phone == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), task->phone);
  /* Translators: the resident's telephone number was copied. */
  done = g_strdup_printf (_("Copied %s"), task->phone);
  set_status (self, done);
}

static void
call_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CdCallbacksPage *self = CD_CALLBACKS_PAGE (widget);
  CdFeedbackTask *task = current_task (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GString) uri = g_string_new ("tel:");

  if (task == NULL || task->phone == NULL)
    return;
  /* RFC 3966: the digits and a leading plus, without the spaces people
   * write. */
  for (const char *c = task->phone; *c != '\0'; c++)
    if (g_ascii_isdigit (*c) || (*c == '+' && uri->len == 4))
      g_string_append_c (uri, *c);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri->str, GDK_CURRENT_TIME);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cd_page_refresh (CD_PAGE (widget));
}

static void
on_task_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_label_new (NULL);
  GtkWidget *bottom = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (top), 0);
  gtk_label_set_xalign (GTK_LABEL (bottom), 0);
  gtk_label_set_ellipsize (GTK_LABEL (top), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (bottom), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (top, "heading");
  gtk_widget_add_css_class (bottom, "caption");
  gtk_widget_add_css_class (bottom, "dim-label");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), bottom);
  gtk_list_item_set_child (item, box);
}

static void
on_task_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CdCallbacksPage          *self)
{
  GtkStringObject *object = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);

  g_object_set_data_full (G_OBJECT (box), "number",
                          g_strdup (gtk_string_object_get_string (object)), g_free);
  g_hash_table_add (self->rows, box);
  set_row (self, box);
}

/* Rows stay bound while their task's figures move: the page sets them
 * again at each read. */
static void
on_task_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CdCallbacksPage          *self)
{
  g_hash_table_remove (self->rows, gtk_list_item_get_child (item));
}

static double
share (guint part,
       guint whole)
{
  return whole > 0 ? (double) part / whole : NAN;
}

static char *
executor_cell_text (CdCallbacksPage               *self,
                    const CdFeedbackExecutorStats *row,
                    guint                          column)
{
  guint ended = row->confirmed + row->reopened + row->unreachable;

  switch (column)
    {
    case EXECUTOR_NAME:
      return g_strdup (executor_name (self, row->executor));
    case EXECUTOR_RESOLVED:
      return g_strdup_printf ("%u", row->resolved);
    case EXECUTOR_CONFIRMED:
      return g_strdup_printf ("%u", row->confirmed);
    case EXECUTOR_REOPENED:
      return g_strdup_printf ("%u", row->reopened);
    case EXECUTOR_UNREACHABLE:
      return g_strdup_printf ("%u", row->unreachable);
    case EXECUTOR_CONFIRMATION_RATE:
      return format_share (share (row->confirmed, ended));
    case EXECUTOR_REOPEN_RATE:
      return format_share (share (row->reopened, ended));
    default:
      g_return_val_if_reached (NULL);
    }
}

static const CdFeedbackExecutorStats *
executor_row (CdCallbacksPage *self,
              guint            index)
{
  const CdFeedbackStats *stats = get_source (self) != NULL
                                     ? cd_callbacks_source_get_stats (get_source (self))
                                     : NULL;

  if (stats == NULL || stats->executors == NULL || index >= stats->executors->len)
    return NULL;
  return g_ptr_array_index (stats->executors, index);
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column")) !=
                    EXECUTOR_NAME;

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CdCallbacksPage          *self)
{
  GtkStringObject *object = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  guint index = (guint) g_ascii_strtoull (gtk_string_object_get_string (object), NULL, 10);
  const CdFeedbackExecutorStats *row = executor_row (self, index);
  g_autofree char *text = row != NULL ? executor_cell_text (self, row, column) : NULL;
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
  /* Names, never codes: the code in the tooltip. */
  gtk_widget_set_tooltip_text (label, column == EXECUTOR_NAME && row != NULL ? row->executor
                                                                             : NULL);
}

static void
add_columns (CdCallbacksPage *self)
{
  GtkNoSelection *selection;

  for (guint i = 0; i < N_EXECUTOR_COLUMNS; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), self);
      column = gtk_column_view_column_new (_(executor_titles[i]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* The room goes to the executor's name: a figure's column stays as
       * wide as its title, so that the figure sits under it. */
      gtk_column_view_column_set_expand (column, i == EXECUTOR_NAME);
      gtk_column_view_append_column (self->executors_view, column);
      g_object_unref (column);
    }
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->executor_items)));
  gtk_column_view_set_model (self->executors_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

static void
build_tiles (CdCallbacksPage *self)
{
  cd_tile_fill_row (self->tiles, tile_info, CD_CALLBACKS_N_TILES, self->tile_widgets);
}

/* Each outcome's button shows its key. */
static void
build_outcomes (CdCallbacksPage *self)
{
  for (guint i = 0; i < CD_N_FEEDBACK_OUTCOMES; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      g_autofree char *key = g_strdup_printf ("%u", i + 1);
      GtkWidget *keycap = gtk_label_new (key);
      GtkWidget *label = gtk_label_new (cd_feedback_outcome_get_label (i));
      g_autofree char *tooltip = NULL;

      gtk_widget_add_css_class (keycap, "dim-label");
      gtk_widget_add_css_class (keycap, "numeric");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_box_append (GTK_BOX (box), keycap);
      gtk_box_append (GTK_BOX (box), label);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "callbacks.record");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", (gint32) i);
      /* Translators: an outcome button's tooltip: the outcome and its key. */
      tooltip = g_strdup_printf (_("%s (key %u)"), cd_feedback_outcome_get_label (i), i + 1);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cd_feedback_outcome_get_label (i), -1);
      if (i == CD_FEEDBACK_CONFIRMED)
        gtk_widget_add_css_class (button, "suggested-action");
      gtk_flow_box_append (self->outcomes, button);
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
}

static void
cd_callbacks_page_dispose (GObject *object)
{
  CdCallbacksPage *self = CD_CALLBACKS_PAGE (object);

  g_clear_handle_id (&self->rest_id, g_source_remove);
  if (self->task_list != NULL)
    gtk_list_view_set_model (self->task_list, NULL);
  if (self->executors_view != NULL)
    gtk_column_view_set_model (self->executors_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_object (&self->executor_items);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_CALLBACKS_PAGE);

  G_OBJECT_CLASS (cd_callbacks_page_parent_class)->dispose (object);
}

static void
cd_callbacks_page_finalize (GObject *object)
{
  CdCallbacksPage *self = CD_CALLBACKS_PAGE (object);

  g_hash_table_unref (self->tasks);
  g_hash_table_unref (self->rows);
  g_hash_table_unref (self->recorded);

  G_OBJECT_CLASS (cd_callbacks_page_parent_class)->finalize (object);
}

static void
cd_callbacks_page_class_init (CdCallbacksPageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_callbacks_page_dispose;
  object_class->finalize = cd_callbacks_page_finalize;
  page_class->make_source = cd_callbacks_page_make_source;
  page_class->action_refused = cd_callbacks_page_action_refused;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-callbacks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, view_bar);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, switcher);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, period_choice);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, views);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, task_list);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, none_status);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, detail);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, due_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, resident_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, phone_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, call_button);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, script_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, history_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, rating_choice);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, comment_entry);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, outcomes);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, tiles);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, executors_stack);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, executors_status);
  gtk_widget_class_bind_template_child (widget_class, CdCallbacksPage, executors_view);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_comment_activate);

  gtk_widget_class_install_action (widget_class, "callbacks.record", "i", record_action);
  gtk_widget_class_install_action (widget_class, "callbacks.copy-number", NULL,
                                   copy_number_action);
  gtk_widget_class_install_action (widget_class, "callbacks.call", NULL, call_action);
  gtk_widget_class_install_action (widget_class, "callbacks.refresh", NULL, refresh_action);
  /* One key an outcome, while the focus is on the page but not in the
   * comment (where a digit is text). */
  for (guint i = 0; i < CD_N_FEEDBACK_OUTCOMES; i++)
    {
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, 0, "callbacks.record",
                                           "i", (gint32) i);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1 + i, 0, "callbacks.record",
                                           "i", (gint32) i);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                       "callbacks.copy-number", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "callbacks.refresh", NULL);

  page_class->title = N_("Callbacks");
  page_class->icon_name = "call-start-symbolic";
  page_class->help_section = "callbacks";
  page_class->empty_title = N_("No Callbacks Due");
  page_class->empty_description = N_(
      "Residents to call back before their tickets may close appear here once the server plans "
      "feedback calls for resolved tickets.");
}

static void
cd_callbacks_page_init (CdCallbacksPage *self)
{
  g_autoptr(GtkStringList) periods = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) ratings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;

  self->tasks = g_hash_table_new (g_str_hash, g_str_equal);
  self->rows = g_hash_table_new (NULL, NULL);
  self->recorded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->items = gtk_string_list_new (NULL);
  self->executor_items = gtk_string_list_new (NULL);
  self->awaiting_note = -1;

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < CD_CALLBACKS_N_PERIODS; i++)
    gtk_string_list_append (periods, _(period_names[i]));
  gtk_drop_down_set_model (self->period_choice, G_LIST_MODEL (periods));
  gtk_drop_down_set_selected (self->period_choice, CD_CALLBACKS_PERIOD_WEEK);
  gtk_string_list_append (ratings, _("No rating"));
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      gtk_string_list_append (ratings, text);
    }
  gtk_drop_down_set_model (self->rating_choice, G_LIST_MODEL (ratings));

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->items)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_task_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_task_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_task_unbind), self);
  gtk_list_view_set_factory (self->task_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->task_list, GTK_SELECTION_MODEL (g_object_ref (self->selection)));

  build_tiles (self);
  build_outcomes (self);
  add_columns (self);
  self->updating = FALSE;
  show_task (self);

  g_signal_connect (self, "notify::context", G_CALLBACK (on_context_changed), NULL);
  g_signal_connect_object (cd_page_get_search_entry (CD_PAGE (self)), "search-changed",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
}

/**
 * cd_callbacks_page_get_loading:
 * @self: a #CdCallbacksPage
 *
 * Returns: whether the page is still reading (or has not read yet)
 */
gboolean
cd_callbacks_page_get_loading (CdCallbacksPage *self)
{
  CdSource *source;

  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), TRUE);

  source = cd_page_get_source (CD_PAGE (self));
  return source == NULL || cd_source_get_loading (source) || !cd_source_get_ready (source) ||
         cd_callbacks_source_get_tasks (get_source (self)) == NULL;
}

/* Returns: the tasks in the work list, less those recorded here */
guint
cd_callbacks_page_get_n_tasks (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

/* Returns: whether an outcome key records now: a task is open and the
 * double click's time after the last outcome has passed */
gboolean
cd_callbacks_page_get_can_record (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), FALSE);

  return current_task (self) != NULL && self->rest_id == 0;
}

/* Returns: (nullable): the number of the ticket whose task is open */
const char *
cd_callbacks_page_get_current (CdCallbacksPage *self)
{
  CdFeedbackTask *task;

  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);

  task = current_task (self);
  return task != NULL ? task->number : NULL;
}

const char *
cd_callbacks_page_get_phone_text (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);

  return gtk_label_get_label (self->phone_label);
}

const char *
cd_callbacks_page_get_script (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);

  return gtk_label_get_label (self->script_label);
}

/* Returns: (nullable): what the page says under the comment, %NULL when
 *   nothing */
const char *
cd_callbacks_page_get_message (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->message_label))
             ? gtk_label_get_label (self->message_label)
             : NULL;
}

/* Returns: (transfer none): the work list, which takes the focus first */
GtkWidget *
cd_callbacks_page_get_task_list (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);

  return GTK_WIDGET (self->task_list);
}

/* Returns: (transfer none): the comment entry */
GtkEditable *
cd_callbacks_page_get_comment (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);

  return GTK_EDITABLE (self->comment_entry);
}

const char *
cd_callbacks_page_get_tile_text (CdCallbacksPage *self,
                                 CdCallbacksTile  tile)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);
  g_return_val_if_fail (tile < CD_CALLBACKS_N_TILES, NULL);

  return cd_tile_get_number (self->tile_widgets[tile]);
}

/**
 * cd_callbacks_page_show_figures:
 * @self: a #CdCallbacksPage
 * @figures: the supervisor's view rather than the work list
 *
 * Shows the supervisor's view, when the role may see it.
 */
void
cd_callbacks_page_show_figures (CdCallbacksPage *self,
                                gboolean         figures)
{
  g_return_if_fail (CD_IS_CALLBACKS_PAGE (self));

  if (figures && !is_supervisor (self))
    return;
  adw_view_stack_set_visible_child_name (self->views, figures ? "supervisor" : "work");
}

/* Chooses the supervisor's period, as its drop-down does. */
void
cd_callbacks_page_set_period (CdCallbacksPage   *self,
                              CdCallbacksPeriod  period)
{
  g_return_if_fail (CD_IS_CALLBACKS_PAGE (self));
  g_return_if_fail (period < CD_CALLBACKS_N_PERIODS);

  gtk_drop_down_set_selected (self->period_choice, period);
}

guint
cd_callbacks_page_get_n_executors (CdCallbacksPage *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->executor_items));
}

/**
 * cd_callbacks_page_get_executor_cell:
 * @self: a #CdCallbacksPage
 * @row: a row of the table by executor
 * @column: 0 for the executor, then resolved, confirmed, reopened, not
 *   reached, confirmation rate, reopen rate
 *
 * Returns: (transfer full) (nullable): the text shown there
 */
char *
cd_callbacks_page_get_executor_cell (CdCallbacksPage *self,
                                     guint            row,
                                     guint            column)
{
  const CdFeedbackExecutorStats *stats;

  g_return_val_if_fail (CD_IS_CALLBACKS_PAGE (self), NULL);
  g_return_val_if_fail (column < N_EXECUTOR_COLUMNS, NULL);

  stats = executor_row (self, row);
  return stats != NULL ? executor_cell_text (self, stats, column) : NULL;
}
