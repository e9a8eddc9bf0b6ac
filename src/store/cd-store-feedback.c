// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-feedback.c: callback tasks to residents, projected from the journal */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cd-access.h"
#include "cd-feedback-policy.h"
#include "cd-personal.h"
#include "cd-store-feedback.h"
#include "cd-store-private.h"
#include "cd-ticket-list-model.h"

/* How a task ended (the `ending` column). */
#define ENDING_CONFIRMED "confirmed"
#define ENDING_REOPENED "reopened"
#define ENDING_UNREACHABLE "unreachable"
#define ENDING_REFUSED "refused"

#define TASK_COLUMNS \
  "resolve_seq, feedback_policy, resolver, resolve_time, attempts_allowed, spacing, " \
  "next_attempt, earliest, due_time"

void
cd_feedback_attempt_free (CdFeedbackAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_free (attempt->actor);
  g_free (attempt->note);
  g_free (attempt);
}

void
cd_feedback_task_free (CdFeedbackTask *task)
{
  if (task == NULL)
    return;
  g_free (task->ticket_id);
  g_free (task->number);
  g_free (task->category);
  g_free (task->executor);
  g_free (task->address);
  g_free (task->description);
  g_free (task->resident);
  g_free (task->phone);
  g_free (task->policy);
  g_clear_pointer (&task->history, g_ptr_array_unref);
  g_free (task);
}

void
cd_feedback_executor_stats_free (CdFeedbackExecutorStats *stats)
{
  if (stats == NULL)
    return;
  g_free (stats->executor);
  g_free (stats);
}

void
cd_feedback_stats_free (CdFeedbackStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->executors, g_ptr_array_unref);
  g_free (stats);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The policies of `feedback/` beside the SLA library's `policies/`, each
 * checked against the library's calendars; none when there is no such
 * folder. */
static GPtrArray *
get_policies (CdStore  *self,
              GError  **error)
{
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) names = NULL;
  CdSlaLibrary *sla;
  const char *name;

  if (self->feedback != NULL)
    return self->feedback;
  if ((sla = cd_store_get_sla_library (self, error)) == NULL)
    return NULL;

  policies = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_feedback_policy_free);
  path = g_build_filename (cd_sla_library_get_dir (sla), "feedback", NULL);
  dir = g_dir_open (path, 0, NULL);
  names = g_ptr_array_new_with_free_func (g_free);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  /* Ties are decided by the order of the files' names. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, names->pdata[i], NULL);
      g_autofree char *text = NULL;
      gsize len;
      CdFeedbackPolicy *policy;

      if (!g_file_get_contents (file, &text, &len, error) ||
          (policy = cd_feedback_policy_new_from_json (text, len, error)) == NULL)
        {
          g_prefix_error (error, "%s: ", file);
          return NULL;
        }
      g_ptr_array_add (policies, policy);
      if (!g_hash_table_contains (cd_sla_library_get_calendars (sla),
                                  cd_feedback_policy_get_calendar (policy)))
        {
          g_set_error (error, CD_FEEDBACK_ERROR, CD_FEEDBACK_ERROR_INVALID,
                       _("%s: the feedback policy’s calendar “%s” is not in %s/calendars."), file,
                       cd_feedback_policy_get_calendar (policy), cd_sla_library_get_dir (sla));
          return NULL;
        }
    }
  self->feedback = g_steal_pointer (&policies);
  return self->feedback;
}

static CdFeedbackPolicy *
lookup_policy (CdStore    *self,
               const char *id)
{
  GPtrArray *policies = get_policies (self, NULL);

  for (guint i = 0; policies != NULL && i < policies->len; i++)
    if (g_str_equal (cd_feedback_policy_get_id (policies->pdata[i]), id))
      return policies->pdata[i];
  return NULL;
}

static CdSlaCalendar *
policy_calendar (CdStore                *self,
                 const CdFeedbackPolicy *policy)
{
  CdSlaLibrary *sla = cd_store_get_sla_library (self, NULL);

  return sla != NULL ? g_hash_table_lookup (cd_sla_library_get_calendars (sla),
                                            cd_feedback_policy_get_calendar (policy))
                     : NULL;
}

static CdDbStmt *
prepare (CdStore     *self,
         const char  *sql,
         GError     **error)
{
  return cd_store_prepare (self, sql, _("reading the callbacks"), error);
}

/* Steps @stmt once and frees it. */
static gboolean
run (CdStore   *self,
     CdDbStmt  *stmt,
     GError   **error)
{
  GError *db_error = NULL;
  CdDbStep rc = cd_db_step (stmt, &db_error);

  cd_db_stmt_free (stmt);
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("writing the callbacks"), db_error, error);
  return TRUE;
}

static gboolean
step_failed (CdStore     *self,
             CdDbStep     rc,
             GError      *db_error,
             const char  *what,
             GError     **error)
{
  if (rc != CD_DB_FAILED)
    return FALSE;
  cd_store_db_error (self, what, db_error, error);
  return TRUE;
}

/**
 * cd_store_is_ticket_callback:
 * @event: an event
 *
 * Missed calls' callbacks (docs/calls.md) and tickets' share the event
 * type `callback`; a ticket's always carries the `attempt` the store wrote
 * into it (cd_store_fill_callback()), a call's never does.
 *
 * Returns: whether @event is a ticket's `callback`
 */
gboolean
cd_store_is_ticket_callback (CdEvent *event)
{
  return g_str_equal (event->type, "callback") && cd_event_has_member (event, "attempt");
}

/* The open task of @ticket_id: its resolve_seq, or 0. */
static gboolean
find_open_task (CdStore     *self,
                const char  *ticket_id,
                gint64      *seq,
                guint       *next_attempt,
                guint       *attempts,
                gint64      *spacing,
                gint64      *resolve_time,
                GError     **error)
{
  g_autoptr(CdDbStmt) stmt = prepare (self, "SELECT resolve_seq, next_attempt, "
                                     "attempts_allowed, spacing, resolve_time "
                                     "FROM feedback_tasks "
                                     "WHERE ticket = ?1 AND ended_time IS NULL", error);
  GError *db_error = NULL;
  CdDbStep rc;

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, ticket_id);
  *seq = 0;
  rc = cd_db_step (stmt, &db_error);
  if (rc == CD_DB_ROW)
    {
      *seq = cd_db_column_int64 (stmt, 0);
      *next_attempt = (guint) cd_db_column_int64 (stmt, 1);
      *attempts = (guint) cd_db_column_int64 (stmt, 2);
      *spacing = cd_db_column_int64 (stmt, 3);
      *resolve_time = cd_db_column_int64 (stmt, 4);
    }
  return !step_failed (self, rc, db_error, _("reading the callbacks"), error);
}

static gboolean
end_task (CdStore     *self,
          gint64       seq,
          gint64       time,
          const char  *ending,
          GError     **error)
{
  CdDbStmt *stmt = prepare (self, "UPDATE feedback_tasks SET ended_time = ?2, ending = ?3 "
                                  "WHERE resolve_seq = ?1", error);

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, seq);
  cd_db_bind_int64 (stmt, 2, time);
  cd_db_bind_text (stmt, 3, ending);
  return run (self, stmt, error);
}

static gboolean
project_resolve (CdStore         *self,
                 const CdTicket  *ticket,
                 CdEvent         *event,
                 GError         **error)
{
  GPtrArray *policies = get_policies (self, error);
  CdFeedbackPolicy *policy;
  CdSlaCalendar *calendar;
  const char *resolver = ticket->executor != NULL ? ticket->executor : "";
  CdDbStmt *stmt;
  GError *db_error = NULL;
  gint64 index = 0;
  CdDbStep rc;

  if (policies == NULL)
    return FALSE;
  policy = cd_feedback_policy_choose ((CdFeedbackPolicy * const *) policies->pdata, policies->len,
                                      cd_ticket_kind_to_string (ticket->kind), ticket->category);
  if (policy == NULL || cd_feedback_policy_get_mode (policy) == CD_FEEDBACK_MODE_NONE)
    return TRUE;

  /* The executor's resolutions under this policy so far, in journal
   * order: the sample's position. */
  stmt = prepare (self, "SELECT resolutions FROM feedback_counts "
                        "WHERE feedback_policy = ?1 AND resolver = ?2", error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, cd_feedback_policy_get_id (policy));
  cd_db_bind_text (stmt, 2, resolver);
  rc = cd_db_step (stmt, &db_error);
  if (rc == CD_DB_ROW)
    index = cd_db_column_int64 (stmt, 0);
  cd_db_stmt_free (stmt);
  if (step_failed (self, rc, db_error, _("reading the callbacks"), error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO feedback_counts VALUES (?1, ?2, 1) "
                        "ON CONFLICT (feedback_policy, resolver) DO UPDATE "
                        "SET resolutions = feedback_counts.resolutions + 1", error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, cd_feedback_policy_get_id (policy));
  cd_db_bind_text (stmt, 2, resolver);
  if (!run (self, stmt, error))
    return FALSE;

  if (!cd_feedback_policy_select (policy, (guint64) index))
    return TRUE;
  calendar = policy_calendar (self, policy);

  stmt = prepare (self, "INSERT INTO feedback_tasks (resolve_seq, ticket, feedback_policy, "
                        "resolver, resolve_time, attempts_allowed, spacing, next_attempt, "
                        "earliest, due_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?5, ?8)",
                  error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, event->seq);
  cd_db_bind_text (stmt, 2, ticket->id);
  cd_db_bind_text (stmt, 3, cd_feedback_policy_get_id (policy));
  cd_db_bind_text (stmt, 4, resolver);
  cd_db_bind_int64 (stmt, 5, event->time);
  cd_db_bind_int64 (stmt, 6, cd_feedback_policy_get_attempts (policy));
  cd_db_bind_int64 (stmt, 7, cd_feedback_policy_get_spacing (policy));
  cd_db_bind_int64 (stmt, 8, calendar != NULL
                               ? cd_feedback_policy_due (policy, calendar, event->time)
                               : CD_SLA_NEVER);
  return run (self, stmt, error);
}

static gboolean
project_callback (CdStore         *self,
                  CdEvent         *event,
                  gint64           seq,
                  gint64           spacing,
                  gint64           resolve_time,
                  GError         **error)
{
  CdFeedbackOutcome outcome;
  CdDbStmt *stmt;
  gint64 rating = 0;
  gint64 attempt = cd_event_get_int (event, "attempt", 1);

  cd_feedback_outcome_from_string (cd_event_get_string (event, "outcome"), &outcome);
  stmt = prepare (self, "INSERT INTO feedback_attempts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, event->seq);
  cd_db_bind_int64 (stmt, 2, seq);
  cd_db_bind_int64 (stmt, 3, event->time);
  cd_db_bind_text (stmt, 4, event->actor != NULL ? event->actor : "");
  cd_db_bind_text (stmt, 5, cd_feedback_outcome_to_string (outcome));
  if (cd_event_lookup_int (event, "rating", &rating))
    cd_db_bind_int64 (stmt, 6, rating);
  else
    cd_db_bind_null (stmt, 6);
  if (cd_event_get_string (event, "note") != NULL)
    cd_db_bind_text (stmt, 7, cd_event_get_string (event, "note"));
  else
    cd_db_bind_null (stmt, 7);
  if (!run (self, stmt, error))
    return FALSE;

  switch (cd_dispatch_effective_action (CD_ACTION_CALLBACK, event))
    {
    case CD_ACTION_CLOSE:
      return end_task (self, seq, event->time, ENDING_CONFIRMED, error);
    case CD_ACTION_REOPEN:
      return end_task (self, seq, event->time, ENDING_REOPENED, error);
    case CD_ACTION_CLOSE_UNCONFIRMED:
      return end_task (self, seq, event->time,
                       outcome == CD_FEEDBACK_REFUSED ? ENDING_REFUSED : ENDING_UNREACHABLE,
                       error);
    default:
      break;
    }

  stmt = prepare (self, "UPDATE feedback_tasks SET next_attempt = ?2, earliest = ?3 "
                        "WHERE resolve_seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, seq);
  cd_db_bind_int64 (stmt, 2, attempt + 1);
  cd_db_bind_int64 (stmt, 3, MAX (resolve_time, event->time + spacing));
  return run (self, stmt, error);
}

/**
 * cd_store_project_feedback:
 * @self: a store in a transaction
 * @ticket: (nullable): the ticket as @event left it; needed for a
 *   `resolve` only
 * @event: an event of the ticket, just projected, in journal order
 * @error: a #CD_STORE_ERROR
 *
 * The callback tasks' part of the projection: a `resolve` that the
 * ticket's feedback policy selects creates a task; a `callback` is an
 * attempt; a close, reopen or closed_unconfirmed (by any action) ends it.
 *
 * Returns: whether the tables were written
 */
gboolean
cd_store_project_feedback (CdStore         *self,
                           const CdTicket  *ticket,
                           CdEvent         *event,
                           GError         **error)
{
  CdAction action;
  gint64 seq, spacing, resolve_time;
  guint next_attempt, attempts;

  if (!cd_action_from_string (event->type, &action))
    return TRUE;
  if (action == CD_ACTION_RESOLVE)
    return ticket == NULL || project_resolve (self, ticket, event, error);
  if (action != CD_ACTION_CALLBACK && action != CD_ACTION_CLOSE &&
      action != CD_ACTION_CLOSE_UNCONFIRMED && action != CD_ACTION_REOPEN)
    return TRUE;

  if (!find_open_task (self, event->entity, &seq, &next_attempt, &attempts, &spacing,
                       &resolve_time, error))
    return FALSE;
  if (seq == 0)
    return TRUE;
  switch (action)
    {
    case CD_ACTION_CALLBACK:
      return project_callback (self, event, seq, spacing, resolve_time, error);
    case CD_ACTION_CLOSE:
      return end_task (self, seq, event->time, ENDING_CONFIRMED, error);
    case CD_ACTION_REOPEN:
      return end_task (self, seq, event->time, ENDING_REOPENED, error);
    default:
      return end_task (self, seq, event->time, ENDING_UNREACHABLE, error);
    }
}

/**
 * cd_store_fill_callback:
 * @self: a store in a transaction
 * @ticket: a resolved ticket
 * @payload: (nullable): a `callback` action's details from a client
 * @error: a #CD_DISPATCH_ERROR when the ticket has no open callback task
 *
 * What the store, never the client, says of a callback: which attempt of
 * the task it is (`attempt`) and whether it is the policy's last (`last`),
 * which decides whether no answer closes the ticket unconfirmed.
 *
 * Returns: (transfer full): @payload's copy with both set, or %NULL
 */
JsonObject *
cd_store_fill_callback (CdStore         *self,
                        const CdTicket  *ticket,
                        JsonObject      *payload,
                        GError         **error)
{
  g_autoptr(JsonObject) filled = json_object_new ();
  gint64 seq, spacing, resolve_time;
  guint next_attempt = 1, attempts = 1;

  if (!find_open_task (self, ticket->id, &seq, &next_attempt, &attempts, &spacing, &resolve_time,
                       error))
    return NULL;
  if (seq == 0)
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE,
                   _("Refused by the rule “callback only on a ticket with a callback task”: "
                     "ticket %s has none (its feedback policy did not select it, or the task "
                     "has ended)."),
                   ticket->number != NULL ? ticket->number : ticket->id);
      return NULL;
    }
  if (payload != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, payload);
      while (json_object_iter_next (&iter, &member, &node))
        if (!g_str_equal (member, "attempt") && !g_str_equal (member, "last"))
          json_object_set_member (filled, member, json_node_copy (node));
    }
  json_object_set_int_member (filled, "attempt", next_attempt);
  json_object_set_boolean_member (filled, "last", next_attempt >= attempts);
  return g_steal_pointer (&filled);
}

/* Reading. */

static CdFeedbackTask *
task_from_row (CdStore      *self,
               CdDbStmt     *stmt,
               gint64        now,
               gboolean      sees,
               gint64       *seq)
{
  g_autoptr(CdTicket) ticket = cd_store_ticket_from_db_row (stmt);
  CdFeedbackTask *task = g_new0 (CdFeedbackTask, 1);
  int c = CD_STORE_TICKET_HISTORY_COLUMN;
  CdFeedbackPolicy *policy;
  CdSlaCalendar *calendar;
  gint64 earliest;

  *seq = cd_db_column_int64 (stmt, c);
  task->ticket_id = g_strdup (ticket->id);
  task->number = g_strdup (ticket->number);
  task->category = g_strdup (ticket->category);
  task->executor = g_strdup (cd_db_column_text (stmt, c + 2));
  task->address = cd_ticket_format_address_in (self, ticket);
  task->description = g_strdup (ticket->description);
  if (sees)
    {
      task->resident = g_strdup (ticket->resident_name);
      task->phone = g_strdup (ticket->resident_phone);
    }
  else
    task->phone = cd_personal_mask_phone (ticket->resident_phone);
  task->policy = g_strdup (cd_db_column_text (stmt, c + 1));
  task->resolved_at = cd_db_column_int64 (stmt, c + 3);
  task->attempts = (guint) cd_db_column_int64 (stmt, c + 4);
  task->attempt = (guint) cd_db_column_int64 (stmt, c + 6);
  earliest = cd_db_column_int64 (stmt, c + 7);
  task->due = cd_db_column_int64 (stmt, c + 8);
  task->history = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_feedback_attempt_free);

  /* The window is worked out when read, from now: one that passed without
   * a call gives way to the next. */
  policy = lookup_policy (self, task->policy);
  calendar = policy != NULL ? policy_calendar (self, policy) : NULL;
  if (calendar == NULL ||
      !cd_feedback_policy_next_window (policy, calendar, MAX (now, earliest), &task->window_start,
                                       &task->window_end))
    {
      task->window_start = MAX (now, earliest);
      task->window_end = MAX (task->window_start, task->due);
    }
  else if (task->window_start < earliest)
    task->window_start = earliest;
  return task;
}

static gboolean
read_history (CdStore         *self,
              CdDbStmt        *stmt,
              CdFeedbackTask  *task,
              gint64           seq,
              GError         **error)
{
  GError *db_error = NULL;
  CdDbStep rc;

  cd_db_reset (stmt);
  cd_db_bind_int64 (stmt, 1, seq);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdFeedbackAttempt *a = g_new0 (CdFeedbackAttempt, 1);

      a->time = cd_db_column_int64 (stmt, 0);
      a->actor = g_strdup (cd_db_column_text (stmt, 1));
      cd_feedback_outcome_from_string (cd_db_column_text (stmt, 2), &a->outcome);
      a->rating = (guint) cd_db_column_int64 (stmt, 3);
      a->note = g_strdup (cd_db_column_text (stmt, 4));
      g_ptr_array_add (task->history, a);
    }
  return !step_failed (self, rc, db_error, _("reading the callbacks"), error);
}

static gboolean
list_tasks (CdStore     *self,
            const char  *where,
            const char  *number,
            gint64       now,
            gint64       due_before,
            gboolean     open_window_only,
            const char  *role,
            GPtrArray  **tasks,
            GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_feedback_task_free);
  g_autofree char *sql = g_strdup_printf ("SELECT %s, " TASK_COLUMNS " FROM feedback_tasks "
                                          "JOIN tickets ON tickets.id = feedback_tasks.ticket "
                                          "WHERE ended_time IS NULL %s "
                                          "ORDER BY due_time, resolve_seq",
                                          cd_store_ticket_columns (), where);
  CdDbStmt *stmt = NULL, *history = NULL;
  gboolean sees = cd_personal_role_sees (role);
  gboolean ok = FALSE;
  GError *db_error = NULL;
  CdDbStep rc;

  if (get_policies (self, error) == NULL ||
      (stmt = prepare (self, sql, error)) == NULL ||
      (history = prepare (self, "SELECT time, actor, outcome, rating, note FROM feedback_attempts "
                                "WHERE task = ?1 ORDER BY seq", error)) == NULL)
    goto out;
  if (number != NULL)
    cd_db_bind_text (stmt, 1, number);
  else if (due_before != 0)
    cd_db_bind_int64 (stmt, 1, due_before);

  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      gint64 seq;
      CdFeedbackTask *task = task_from_row (self, stmt, now, sees, &seq);

      if (open_window_only && !(task->window_start <= now && now < task->window_end))
        {
          cd_feedback_task_free (task);
          continue;
        }
      g_ptr_array_add (out, task);
      if (!read_history (self, history, task, seq, error))
        goto out;
    }
  if (step_failed (self, rc, db_error, _("reading the callbacks"), error))
    goto out;
  *tasks = g_steal_pointer (&out);
  ok = TRUE;

out:
  g_clear_pointer (&stmt, cd_db_stmt_free);
  g_clear_pointer (&history, cd_db_stmt_free);
  return ok;
}

/**
 * cd_store_list_feedback_tasks:
 * @self: a store
 * @now: the time to work the windows out from
 * @due_before: only tasks due before this time, or 0 for all
 * @open_window_only: only tasks whose calling window contains @now
 * @role: (nullable): the reader's role: residents' names and phones are
 *   masked for a role that does not see them
 * @tasks: (out) (transfer full) (element-type CdFeedbackTask): the open
 *   tasks, by due time
 * @error: a #CD_STORE_ERROR, or a #CD_FEEDBACK_ERROR for a bad policy file
 *
 * Returns: whether @tasks was set
 */
gboolean
cd_store_list_feedback_tasks (CdStore     *self,
                              gint64       now,
                              gint64       due_before,
                              gboolean     open_window_only,
                              const char  *role,
                              GPtrArray  **tasks,
                              GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);

  return list_tasks (self, due_before != 0 ? "AND due_time < ?1" : "", NULL, now, due_before,
                     open_window_only, role, tasks, error);
}

/**
 * cd_store_get_feedback_task:
 * @self: a store
 * @number: a ticket's number
 * @role: (nullable): the reader's role, for masking
 * @task: (out) (transfer full): the ticket's open task
 * @error: %CD_STORE_ERROR_NOT_FOUND when it has none
 *
 * Returns: whether @task was set
 */
gboolean
cd_store_get_feedback_task (CdStore         *self,
                            const char      *number,
                            const char      *role,
                            CdFeedbackTask **task,
                            GError         **error)
{
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (number != NULL && task != NULL, FALSE);

  if (!list_tasks (self, "AND tickets.number = ?1", number, g_get_real_time () / G_USEC_PER_SEC,
                   0, FALSE, role, &tasks, error))
    return FALSE;
  if (tasks->len == 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("Ticket %s has no open callback task."), number);
      return FALSE;
    }
  *task = g_ptr_array_steal_index (tasks, 0);
  return TRUE;
}

static gboolean
count (CdStore     *self,
       const char  *sql,
       gint64       a,
       gint64       b,
       guint       *out,
       GError     **error)
{
  g_autoptr(CdDbStmt) stmt = prepare (self, sql, error);
  GError *db_error = NULL;
  CdDbStep rc;

  if (stmt == NULL)
    return FALSE;
  /* A statement binds only the parameters it has (PostgreSQL's count). */
  if (strstr (sql, "?1") != NULL)
    cd_db_bind_int64 (stmt, 1, a);
  if (strstr (sql, "?2") != NULL)
    cd_db_bind_int64 (stmt, 2, b);
  rc = cd_db_step (stmt, &db_error);
  *out = rc == CD_DB_ROW ? (guint) cd_db_column_int64 (stmt, 0) : 0;
  return !step_failed (self, rc, db_error, _("counting the callbacks"), error);
}

/* The end of @now's day on the local clock. */
static gint64
end_of_today (gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (t == NULL)
    return now;
  midnight = g_date_time_new_local (g_date_time_get_year (t), g_date_time_get_month (t),
                                    g_date_time_get_day_of_month (t), 0, 0, 0);
  next = g_date_time_add_days (midnight, 1);
  return g_date_time_to_unix (next);
}

static double
rate (guint part,
      guint whole)
{
  return whole > 0 ? (double) part / whole : NAN;
}

static int
compare_executors (gconstpointer a,
                   gconstpointer b)
{
  const CdFeedbackExecutorStats *x = *(CdFeedbackExecutorStats * const *) a;
  const CdFeedbackExecutorStats *y = *(CdFeedbackExecutorStats * const *) b;
  /* confirmed / resolved, compared without division. */
  guint64 l = (guint64) x->confirmed * y->resolved;
  guint64 r = (guint64) y->confirmed * x->resolved;

  if (l != r)
    return l < r ? -1 : 1;
  if (x->reopened != y->reopened)
    return x->reopened > y->reopened ? -1 : 1;
  return strcmp (x->executor, y->executor);
}

/**
 * cd_store_feedback_stats:
 * @self: a store
 * @from: the period's start, Unix seconds
 * @to: its end (exclusive)
 * @now: the time the open, due today and overdue counts are taken at
 * @stats: (out) (transfer full): the figures
 * @error: a #CD_STORE_ERROR
 *
 * The supervisor's figures: open tasks now, those due before the end of
 * today (local) and overdue; in the period the attempts made, the tasks
 * ended by how and their rates; per executor, the tasks of its
 * resolutions in the period and how they ended, the executors whose
 * "done" is least often confirmed first.
 *
 * Returns: whether @stats was set
 */
gboolean
cd_store_feedback_stats (CdStore          *self,
                         gint64            from,
                         gint64            to,
                         gint64            now,
                         CdFeedbackStats **stats,
                         GError          **error)
{
  g_autoptr(CdFeedbackStats) s = g_new0 (CdFeedbackStats, 1);
  CdDbStmt *stmt;
  GError *db_error = NULL;
  guint ended;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);

  s->from = from;
  s->to = to;
  s->executors = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_feedback_executor_stats_free);
  if (!count (self, "SELECT count(*) FROM feedback_tasks WHERE ended_time IS NULL",
              0, 0, &s->open, error) ||
      !count (self, "SELECT count(*) FROM feedback_tasks WHERE ended_time IS NULL "
                    "AND due_time < ?1", end_of_today (now), 0, &s->due_today,
              error) ||
      !count (self, "SELECT count(*) FROM feedback_tasks WHERE ended_time IS NULL "
                    "AND due_time < ?1", now, 0, &s->overdue, error) ||
      !count (self, "SELECT count(*) FROM feedback_attempts WHERE time >= ?1 AND time < ?2",
              from, to, &s->attempts, error))
    return FALSE;

  stmt = prepare (self, "SELECT ending, count(*) FROM feedback_tasks "
                        "WHERE ended_time >= ?1 AND ended_time < ?2 GROUP BY ending", error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      const char *ending = cd_db_column_text (stmt, 0);
      guint n = (guint) cd_db_column_int64 (stmt, 1);

      if (g_strcmp0 (ending, ENDING_CONFIRMED) == 0)
        s->confirmed = n;
      else if (g_strcmp0 (ending, ENDING_REOPENED) == 0)
        s->reopened = n;
      else if (g_strcmp0 (ending, ENDING_UNREACHABLE) == 0)
        s->unreachable = n;
      else if (g_strcmp0 (ending, ENDING_REFUSED) == 0)
        s->refused = n;
    }
  cd_db_stmt_free (stmt);
  if (step_failed (self, rc, db_error, _("counting the callbacks"), error))
    return FALSE;
  ended = s->confirmed + s->reopened + s->unreachable + s->refused;
  s->confirmation_rate = rate (s->confirmed, ended);
  s->unreachable_rate = rate (s->unreachable, ended);
  s->reopen_rate = rate (s->reopened, ended);

  stmt = prepare (self, "SELECT resolver, count(*), "
                        "sum(CASE WHEN ending = 'confirmed' THEN 1 ELSE 0 END), "
                        "sum(CASE WHEN ending = 'reopened' THEN 1 ELSE 0 END), "
                        "sum(CASE WHEN ending IN ('unreachable', 'refused') THEN 1 ELSE 0 END) "
                        "FROM feedback_tasks WHERE resolve_time >= ?1 AND resolve_time < ?2 "
                        "GROUP BY resolver", error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdFeedbackExecutorStats *e = g_new0 (CdFeedbackExecutorStats, 1);

      e->executor = g_strdup (cd_db_column_text (stmt, 0));
      e->resolved = (guint) cd_db_column_int64 (stmt, 1);
      e->confirmed = (guint) cd_db_column_int64 (stmt, 2);
      e->reopened = (guint) cd_db_column_int64 (stmt, 3);
      e->unreachable = (guint) cd_db_column_int64 (stmt, 4);
      g_ptr_array_add (s->executors, e);
    }
  cd_db_stmt_free (stmt);
  if (step_failed (self, rc, db_error, _("counting the callbacks"), error))
    return FALSE;
  g_ptr_array_sort (s->executors, compare_executors);

  *stats = g_steal_pointer (&s);
  return TRUE;
}

/* JSON. */

static void
set_time (JsonObject *object,
          const char *name,
          gint64      time,
          GTimeZone  *zone)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (time == CD_SLA_NEVER || (dt = g_date_time_new_from_unix_utc (time)) == NULL)
    {
      json_object_set_null_member (object, name);
      return;
    }
  local = g_date_time_to_timezone (dt, zone);
  text = g_date_time_format_iso8601 (local);
  json_object_set_string_member (object, name, text);
}

static void
set_text (JsonObject *object,
          const char *name,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static void
set_rate (JsonObject *object,
          const char *name,
          double      value)
{
  if (isnan (value))
    json_object_set_null_member (object, name);
  else
    json_object_set_double_member (object, name, value);
}

/**
 * cd_feedback_task_to_json:
 * @task: a task
 * @zone: the zone its times are written in
 *
 * Returns: (transfer full): `{"number", "ticket_id", "category",
 *   "executor", "address", "description", "resident", "phone", "policy",
 *   "resolved_at", "attempt", "attempts", "window_start", "window_end",
 *   "due", "history": [{"time", "actor", "outcome", "rating", "note"}]}`
 */
JsonObject *
cd_feedback_task_to_json (const CdFeedbackTask *task,
                          GTimeZone            *zone)
{
  JsonObject *object = json_object_new ();
  JsonArray *history = json_array_new ();

  json_object_set_string_member (object, "number", task->number);
  json_object_set_string_member (object, "ticket_id", task->ticket_id);
  set_text (object, "category", task->category);
  set_text (object, "executor", task->executor);
  set_text (object, "address", task->address);
  set_text (object, "description", task->description);
  set_text (object, "resident", task->resident);
  set_text (object, "phone", task->phone);
  json_object_set_string_member (object, "policy", task->policy);
  set_time (object, "resolved_at", task->resolved_at, zone);
  json_object_set_int_member (object, "attempt", task->attempt);
  json_object_set_int_member (object, "attempts", task->attempts);
  set_time (object, "window_start", task->window_start, zone);
  set_time (object, "window_end", task->window_end, zone);
  set_time (object, "due", task->due, zone);
  for (guint i = 0; i < task->history->len; i++)
    {
      const CdFeedbackAttempt *a = task->history->pdata[i];
      JsonObject *item = json_object_new ();

      set_time (item, "time", a->time, zone);
      json_object_set_string_member (item, "actor", a->actor);
      json_object_set_string_member (item, "outcome", cd_feedback_outcome_to_string (a->outcome));
      if (a->rating > 0)
        json_object_set_int_member (item, "rating", a->rating);
      else
        json_object_set_null_member (item, "rating");
      set_text (item, "note", a->note);
      json_array_add_object_element (history, item);
    }
  json_object_set_array_member (object, "history", history);
  return object;
}

/**
 * cd_feedback_stats_to_json:
 * @stats: the figures
 * @zone: the zone the period is written in
 *
 * Returns: (transfer full): the figures, rates %NULL when nothing ended
 */
JsonObject *
cd_feedback_stats_to_json (const CdFeedbackStats *stats,
                           GTimeZone             *zone)
{
  JsonObject *object = json_object_new ();
  JsonArray *executors = json_array_new ();

  set_time (object, "from", stats->from, zone);
  set_time (object, "to", stats->to, zone);
  json_object_set_int_member (object, "open", stats->open);
  json_object_set_int_member (object, "due_today", stats->due_today);
  json_object_set_int_member (object, "overdue", stats->overdue);
  json_object_set_int_member (object, "attempts", stats->attempts);
  json_object_set_int_member (object, "confirmed", stats->confirmed);
  json_object_set_int_member (object, "reopened", stats->reopened);
  json_object_set_int_member (object, "unreachable", stats->unreachable);
  json_object_set_int_member (object, "refused", stats->refused);
  set_rate (object, "confirmation_rate", stats->confirmation_rate);
  set_rate (object, "unreachable_rate", stats->unreachable_rate);
  set_rate (object, "reopen_rate", stats->reopen_rate);
  for (guint i = 0; i < stats->executors->len; i++)
    {
      const CdFeedbackExecutorStats *e = stats->executors->pdata[i];
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "executor", e->executor);
      json_object_set_int_member (item, "resolved", e->resolved);
      json_object_set_int_member (item, "confirmed", e->confirmed);
      json_object_set_int_member (item, "reopened", e->reopened);
      json_object_set_int_member (item, "unreachable", e->unreachable);
      json_array_add_object_element (executors, item);
    }
  json_object_set_array_member (object, "executors", executors);
  return object;
}

/**
 * cd_store_copy_feedback:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @n_tasks: (out) (optional): how many callback tasks @self was given
 * @n_attempts: (out) (optional): how many attempts
 * @error: return location for an error
 *
 * Gives @self the feedback department's callback tasks of @from, their
 * attempts and the executors' counts of resolutions the sample is drawn
 * from, which the journal's projection (cd_store_project_journal()) does
 * not rebuild. A row @self holds otherwise is refused, and nothing is
 * copied.
 *
 * Returns: whether every task, attempt and count of @from is in @self
 */
gboolean
cd_store_copy_feedback (CdStore  *self,
                        CdStore  *from,
                        gint64   *n_tasks,
                        gint64   *n_attempts,
                        GError  **error)
{
  static const CdStoreCopyTable tables[] = {
    { "feedback_tasks", "resolve_seq, ticket, feedback_policy, resolver, resolve_time, "
      "attempts_allowed, spacing, next_attempt, earliest, due_time, ended_time, ending", 1,
      "itttiiiiiiit" },
    { "feedback_attempts", "seq, task, time, actor, outcome, rating, note", 1, "iiittit" },
    { "feedback_counts", "feedback_policy, resolver, resolutions", 2, "tti" },
  };
  gint64 n[G_N_ELEMENTS (tables)] = { 0 };
  gboolean ok = cd_store_copy_tables (self, from, tables, G_N_ELEMENTS (tables), n, error);

  if (n_tasks != NULL)
    *n_tasks = ok ? n[0] : 0;
  if (n_attempts != NULL)
    *n_attempts = ok ? n[1] : 0;
  return ok;
}
