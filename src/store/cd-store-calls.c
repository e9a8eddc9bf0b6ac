// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-calls.c: calls from the PBX in the journal and their table
 *
 * A call is one `call` event, appended when it ends, on an entity derived
 * from the PBX's call id (cd_call_dup_entity()); the `calls` table holds a
 * row per such event, for statistics. The same call offered twice (a log
 * imported again) finds its row and adds nothing. The same SQL on SQLite
 * and PostgreSQL (CdDb); a payload's JSON is read here, not by SQL.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cd-personal.h"
#include "cd-sla-library.h"
#include "cd-store-calls.h"
#include "cd-store-recordings.h"
#include "cd-store-private.h"
#include "cd-store-qa.h"

/* Steps @stmt, a statement that returns no row, and resets it. */
static gboolean
run (CdStore     *self,
     CdDbStmt    *stmt,
     const char  *what,
     GError     **error)
{
  GError *db_error = NULL;
  CdDbStep rc = cd_db_step (stmt, &db_error);

  cd_db_reset (stmt);
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, what, db_error, error);
  return TRUE;
}

static gboolean
write_row (CdStore      *self,
           const char   *id,
           gint64        seq,
           const CdCall *call,
           GError      **error)
{
  CdDbStmt *stmt = cd_store_db_stmt (self, STMT_INSERT_CALL, error);

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, id);
  cd_db_bind_int64 (stmt, 2, seq);
  cd_db_bind_text (stmt, 3, call->pbx_id);
  cd_db_bind_text (stmt, 4, call->queue);
  cd_db_bind_text (stmt, 5, call->caller);
  cd_db_bind_text (stmt, 6, call->did);
  cd_db_bind_int64 (stmt, 7, call->entered_at);
  if (call->answered_at != 0)
    cd_db_bind_int64 (stmt, 8, call->answered_at);
  else
    cd_db_bind_null (stmt, 8);
  cd_db_bind_int64 (stmt, 9, call->ended_at);
  cd_db_bind_text (stmt, 10, cd_call_outcome_to_string (call->outcome));
  cd_db_bind_int64 (stmt, 11, call->hold_seconds);
  cd_db_bind_int64 (stmt, 12, call->talk_seconds);
  cd_db_bind_text (stmt, 13, call->agent);
  cd_db_bind_text (stmt, 14, call->ended_by);
  cd_db_bind_text (stmt, 15, call->transfer_to);
  cd_db_bind_int64 (stmt, 16, cd_call_get_n_rings (call));
  cd_db_bind_text (stmt, 17, call->recording);
  return run (self, stmt, _("writing a call"), error);
}

static gboolean
has_row (CdStore     *self,
         const char  *id,
         gboolean    *has,
         GError     **error)
{
  CdDbStmt *stmt = cd_store_db_stmt (self, STMT_HAS_CALL, error);
  GError *db_error = NULL;
  CdDbStep rc;

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, id);
  rc = cd_db_step (stmt, &db_error);
  cd_db_reset (stmt);
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  *has = rc == CD_DB_ROW;
  return TRUE;
}

/* The event's personal text, without its salt, is where the caller's
 * number is: a desktop's cache may hold it masked. */
static char *
dup_caller (CdEvent *event)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (event->personal == NULL || !json_parser_load_from_data (parser, event->personal, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "phone"))
    return NULL;
  return g_strdup (json_object_get_string_member (object, "phone"));
}

/**
 * cd_store_write_call_event:
 * @self: a store in a transaction
 * @event: a `call` event just inserted (from this journal or another's)
 * @error: a #CD_STORE_ERROR, or %G_IO_ERROR_INVALID_DATA when the event's
 *   details are not a call's
 *
 * Writes the call's row in the `calls` table, or a `callback` event's in
 * the `callbacks` table.
 *
 * Returns: whether the row was written
 */
static gboolean write_callback_row (CdStore            *self,
                                    CdEvent            *event,
                                    CdCallbackOutcome   outcome,
                                    GError            **error);

/**
 * cd_store_is_call_event:
 * @event: an event
 *
 * Returns: whether @event is about a call (the call itself, a callback to
 *   a missed call, not a ticket's callback to its resident; an evaluation
 *   of a call and its calibration session), which no ticket's projection
 *   takes
 */
gboolean
cd_store_is_call_event (CdEvent *event)
{
  return g_str_equal (event->type, CD_CALL_EVENT_TYPE) ||
         g_str_equal (event->type, CD_LISTEN_EVENT_TYPE) ||
         (g_str_equal (event->type, CD_CALLBACK_EVENT_TYPE) &&
          !cd_store_is_ticket_callback (event)) ||
         cd_store_is_qa_event (event);
}

gboolean
cd_store_write_call_event (CdStore  *self,
                           CdEvent  *event,
                           GError  **error)
{
  g_autoptr(CdCall) call = NULL;
  g_autofree char *caller = NULL;
  JsonObject *data;

  if (cd_store_is_qa_event (event))
    return cd_store_write_qa_event (self, event, error);
  /* Who listened to a recording is the event alone: no table holds it. */
  if (g_str_equal (event->type, CD_LISTEN_EVENT_TYPE))
    return TRUE;
  if (g_str_equal (event->type, CD_CALLBACK_EVENT_TYPE))
    {
      CdCallbackOutcome outcome;

      if ((data = cd_event_get_data (event, error)) == NULL)
        return FALSE;
      if (!cd_callback_outcome_from_string (json_object_get_string_member_with_default (
                                                data, "outcome", NULL),
                                            &outcome))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Event %" PRId64 ": a callback’s outcome is not one of reached, "
                         "no_answer, busy, wrong_number."),
                       event->seq);
          return FALSE;
        }
      return write_callback_row (self, event, outcome, error);
    }
  caller = dup_caller (event);
  if ((data = cd_event_get_data (event, error)) == NULL ||
      (call = cd_call_new_from_payload (data, caller, error)) == NULL)
    {
      g_prefix_error (error, _("Event %" PRId64 ": "), event->seq);
      return FALSE;
    }
  return write_row (self, event->entity, event->seq, call, error);
}

/**
 * cd_store_add_call:
 * @self: a store in a transaction
 * @call: a call that has ended
 * @added: (out): whether it was new (%FALSE: the journal has it already)
 * @error: a #CD_DISPATCH_ERROR when the journal refuses its texts, or a
 *   #CD_STORE_ERROR
 *
 * Appends @call's `call` event, at its end, and writes its row, unless
 * the journal has it already.
 *
 * Returns: whether nothing failed
 */
gboolean
cd_store_add_call (CdStore       *self,
                   const CdCall  *call,
                   gboolean      *added,
                   GError       **error)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(CdEvent) event = NULL;
  gboolean has = FALSE;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (call != NULL && !cd_call_is_open (call), FALSE);

  *added = FALSE;
  id = cd_call_dup_entity (call);
  if (!cd_store_require_transaction (self, error) || !has_row (self, id, &has, error))
    return FALSE;
  if (has)
    return TRUE;

  payload = cd_call_to_payload (call);
  event = cd_event_new (id, CD_CALL_EVENT_TYPE, CD_CALL_ACTOR, CD_CALL_ROLE, call->ended_at,
                        payload);
  if (!cd_store_append_entity_event (self, event, error) ||
      !write_row (self, id, event->seq, call, error))
    return FALSE;
  *added = TRUE;
  return TRUE;
}

/**
 * cd_store_count_calls:
 * @self: a store
 * @n_calls: (out): how many calls the table holds
 * @error: a #CD_STORE_ERROR
 *
 * Returns: whether the count was read
 */
gboolean
cd_store_count_calls (CdStore  *self,
                      gint64   *n_calls,
                      GError  **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  if ((stmt = cd_store_prepare (self, "SELECT count(*) FROM calls", _("reading the calls"),
                                error)) == NULL)
    return FALSE;
  rc = cd_db_step (stmt, &db_error);
  *n_calls = rc == CD_DB_ROW ? cd_db_column_int64 (stmt, 0) : 0;
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  return TRUE;
}

/**
 * cd_store_list_calls:
 * @self: a store (any connection: the statistics read off the main loop)
 * @from: Unix seconds, included
 * @to: Unix seconds, excluded
 * @calls: (out) (element-type CdCall): the calls that entered the queue
 *   in [@from, @to), by their entry
 * @error: a #CD_STORE_ERROR, or %G_IO_ERROR_INVALID_DATA when an event is
 *   not a call's
 *
 * Reads each call from its event's payload, not from the table's row: the
 * row keeps the rings' total only, and the statistics need each
 * operator's. The caller's number is not read.
 *
 * Returns: whether the calls were read
 */
gboolean
cd_store_list_calls (CdStore     *self,
                     gint64       from,
                     gint64       to,
                     GPtrArray  **calls,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if ((stmt = cd_store_prepare (self,
                                "SELECT calls.seq, events.payload FROM calls "
                                "JOIN events ON events.seq = calls.seq "
                                "WHERE calls.entered_at >= ?1 AND calls.entered_at < ?2 "
                                "ORDER BY calls.entered_at, calls.seq",
                                _("reading the calls"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      gint64 seq = cd_db_column_int64 (stmt, 0);
      const char *payload = cd_db_column_text (stmt, 1);
      g_autoptr(GError) local_error = NULL;
      CdCall *call = NULL;
      JsonNode *root;

      if (payload != NULL && json_parser_load_from_data (parser, payload, -1, NULL) &&
          (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
        call = cd_call_new_from_payload (json_node_get_object (root), NULL, &local_error);
      else
        g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("A call’s details are not a JSON object."));
      if (call == NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      _("Event %" PRId64 ": "), seq);
          return FALSE;
        }
      g_ptr_array_add (list, call);
    }
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  *calls = g_steal_pointer (&list);
  return TRUE;
}

/* Missed calls {{{1 */

static gboolean
write_callback_row (CdStore            *self,
                    CdEvent            *event,
                    CdCallbackOutcome   outcome,
                    GError            **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;

  if ((stmt = cd_store_prepare (self,
                                "INSERT INTO callbacks (seq, call, time, actor, role, outcome) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                _("writing a callback"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, event->seq);
  cd_db_bind_text (stmt, 2, event->entity);
  cd_db_bind_int64 (stmt, 3, event->time);
  cd_db_bind_text (stmt, 4, event->actor);
  cd_db_bind_text (stmt, 5, event->role);
  cd_db_bind_text (stmt, 6, cd_callback_outcome_to_string (outcome));
  return run (self, stmt, _("writing a callback"), error);
}

#define MISSED_COLUMNS \
  "id, queue, caller, outcome, missed_at, attempts, state, callback_at, callback_by, " \
  "callback_role, closed_by, closed_at"

static char *
dup_column (CdDbStmt *stmt,
            int       i)
{
  return g_strdup (cd_db_column_text (stmt, i));
}

static CdMissedCall *
missed_from_row (CdDbStmt *stmt)
{
  g_autoptr(CdMissedCall) missed = cd_missed_call_new ();
  const char *state = cd_db_column_text (stmt, 6);

  missed->call = dup_column (stmt, 0);
  missed->queue = dup_column (stmt, 1);
  missed->caller = dup_column (stmt, 2);
  if (!cd_call_outcome_from_string (cd_db_column_text (stmt, 3), &missed->outcome))
    missed->outcome = CD_CALL_ABANDONED;
  missed->missed_at = cd_db_column_int64 (stmt, 4);
  missed->attempts = (guint) cd_db_column_int64 (stmt, 5);
  if (g_strcmp0 (state, "called_back") == 0 || g_strcmp0 (state, "wrong_number") == 0)
    {
      missed->state = g_str_equal (state, "called_back") ? CD_MISSED_CALLED_BACK
                                                          : CD_MISSED_WRONG_NUMBER;
      missed->done_at = cd_db_column_int64 (stmt, 7);
      missed->done_by = dup_column (stmt, 8);
      missed->done_role = dup_column (stmt, 9);
    }
  else if (g_strcmp0 (state, "closed") == 0)
    {
      missed->state = CD_MISSED_CLOSED;
      missed->closed_by = dup_column (stmt, 10);
      missed->done_at = cd_db_column_int64 (stmt, 11);
    }
  return g_steal_pointer (&missed);
}

static CdSlaPolicy *
missed_policy (CdStore     *self,
               GHashTable **calendars,
               GError     **error)
{
  CdSlaLibrary *sla;
  CdSlaPolicy *policy;

  if ((sla = cd_store_get_sla_library (self, error)) == NULL)
    return NULL;
  if ((policy = cd_sla_library_lookup (sla, CD_MISSED_CALL_POLICY)) == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("The SLA policy “%s” of missed calls is not installed."),
                   CD_MISSED_CALL_POLICY);
      return NULL;
    }
  *calendars = cd_sla_library_get_calendars (sla);
  return policy;
}

/**
 * cd_store_list_missed_calls:
 * @self: a store
 * @waiting_only: only the missed calls still awaiting a callback
 * @now: the instant the clocks are judged at
 * @role: (nullable): the reader's role: the callers' numbers are masked
 *   for a role that does not see phones (cd_personal_role_sees())
 * @missed: (out) (element-type CdMissedCall): the missed calls, oldest
 *   first, judged by the SLA engine at @now
 * @error: a #CD_STORE_ERROR or a #CD_SLA_ERROR
 *
 * Reads the `missed_calls` view.
 *
 * Returns: whether the list was read
 */
gboolean
cd_store_list_missed_calls (CdStore     *self,
                            gboolean     waiting_only,
                            gint64       now,
                            const char  *role,
                            GPtrArray  **missed,
                            GError     **error)
{
  g_autoptr(GPtrArray) list =
      g_ptr_array_new_with_free_func ((GDestroyNotify) cd_missed_call_free);
  GHashTable *calendars = NULL;
  CdSlaPolicy *policy;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if ((policy = missed_policy (self, &calendars, error)) == NULL)
    return FALSE;
  if ((stmt = cd_store_prepare (self,
                                waiting_only ? "SELECT " MISSED_COLUMNS " FROM missed_calls "
                                               "WHERE id IN (SELECT id FROM calls "
                                               "WHERE missed_open = 1) AND state = 'waiting' "
                                               "ORDER BY missed_at, seq"
                                             : "SELECT " MISSED_COLUMNS " FROM missed_calls "
                                               "ORDER BY missed_at, seq",
                                _("reading the missed calls"), error)) == NULL)
    return FALSE;
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdMissedCall *one = missed_from_row (stmt);

      g_ptr_array_add (list, one);
      if (!cd_personal_role_sees (role))
        {
          char *masked = cd_personal_mask_phone (one->caller);

          g_free (one->caller);
          one->caller = masked;
        }
      if (!cd_missed_call_judge (one, policy, calendars, now, error))
        return FALSE;
    }
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the missed calls"), db_error, error);
  *missed = g_steal_pointer (&list);
  return TRUE;
}

/* The missed call named by its journal id or, when only one has it, by
 * the PBX's call id. */
static gboolean
find_missed (CdStore       *self,
             const char    *name,
             CdMissedCall **missed,
             GError       **error)
{
  GError *db_error = NULL;
  CdDbStep rc = CD_DB_DONE;
  int n = 0;

  *missed = NULL;
  /* The journal id first, which its index finds; the PBX's call id only
   * when that names nothing. Asked in one query (id = ?1 OR id IN …),
   * SQLite reads every call for each question. */
  for (guint by_pbx_id = 0; by_pbx_id < 2 && n == 0; by_pbx_id++)
    {
      g_autoptr(CdDbStmt) stmt = NULL;

      if ((stmt = cd_store_prepare (self,
                                    by_pbx_id ? "SELECT " MISSED_COLUMNS
                                                " FROM missed_calls WHERE id IN "
                                                "(SELECT id FROM calls WHERE pbx_id = ?1) LIMIT 2"
                                              : "SELECT " MISSED_COLUMNS " FROM missed_calls "
                                                "WHERE id = ?1",
                                    _("reading the missed calls"), error)) == NULL)
        {
          g_clear_pointer (missed, cd_missed_call_free);
          return FALSE;
        }
      cd_db_bind_text (stmt, 1, name);
      while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
        if (n++ == 0)
          *missed = missed_from_row (stmt);
      if (rc == CD_DB_FAILED)
        break;
    }
  if (rc == CD_DB_FAILED)
    {
      g_clear_pointer (missed, cd_missed_call_free);
      return cd_store_db_error (self, _("reading the missed calls"), db_error, error);
    }
  if (n > 1)
    {
      g_clear_pointer (missed, cd_missed_call_free);
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Refused: the PBX’s call id “%s” names several calls; give the call’s "
                     "journal id."),
                   name);
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_record_callback:
 * @self: a store, in a transaction or not
 * @call: the missed call's journal id, or the PBX's call id
 * @outcome: what the callback found
 * @actor: who called back
 * @role: in which role
 * @time: when
 * @missed: (out) (optional) (transfer full): the missed call afterwards,
 *   judged at @time
 * @error: %CD_STORE_ERROR_NOT_FOUND (no such missed call, or not a missed
 *   one), %CD_STORE_ERROR_CONFLICT (a refusal: the role does not see the
 *   caller's number, the time is before the call ended, the missed call
 *   is already done), or another #CD_STORE_ERROR
 *
 * Appends a `callback` event on the call's entity and its row, in one
 * transaction: its own, or the caller's when one is open (the server
 * commits the answer it stores under an Idempotency-Key in the same one).
 * A callback that reached the caller stops the clock.
 *
 * Returns: whether the callback was recorded
 */
gboolean
cd_store_record_callback (CdStore            *self,
                          const char         *call,
                          CdCallbackOutcome   outcome,
                          const char         *actor,
                          const char         *role,
                          gint64              time,
                          CdMissedCall      **missed,
                          GError            **error)
{
  g_autoptr(CdMissedCall) found = NULL;
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(JsonObject) payload = NULL;
  GHashTable *calendars = NULL;
  CdSlaPolicy *policy;
  gboolean own;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  own = !cd_store_in_transaction (self);
  if (!cd_callback_role_may (role))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Refused: the role “%s” does not see callers’ numbers, so it cannot "
                     "call back."),
                   role);
      return FALSE;
    }
  if ((policy = missed_policy (self, &calendars, error)) == NULL ||
      (own && !cd_store_begin (self, error)))
    return FALSE;
  if (!find_missed (self, call, &found, error))
    goto failed;
  if (found == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("Refused: “%s” is not a missed call (a call that ended without an "
                     "answer, with the caller’s number)."),
                   call);
      goto failed;
    }
  if (time < found->missed_at)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Refused: a callback cannot come before the missed call ended."));
      goto failed;
    }
  if (found->state != CD_MISSED_WAITING)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Refused: the missed call is no longer waiting (%s)."),
                   cd_missed_state_to_string (found->state));
      goto failed;
    }

  payload = cd_callback_to_payload (outcome);
  event = cd_event_new (found->call, CD_CALLBACK_EVENT_TYPE, actor, role, time, payload);
  if (!cd_store_append_entity_event (self, event, error) ||
      !write_callback_row (self, event, outcome, error) ||
      (own && !cd_store_commit (self, error)))
    goto failed;

  found->attempts++;
  if (cd_callback_outcome_ends (outcome))
    {
      found->state = outcome == CD_CALLBACK_REACHED ? CD_MISSED_CALLED_BACK
                                                     : CD_MISSED_WRONG_NUMBER;
      found->done_at = time;
      found->done_by = g_strdup (actor);
      found->done_role = g_strdup (role);
    }
  if (!cd_missed_call_judge (found, policy, calendars, time, error))
    return FALSE;
  if (missed != NULL)
    *missed = g_steal_pointer (&found);
  return TRUE;

failed:
  if (own && cd_store_in_transaction (self))
    cd_store_rollback (self);
  return FALSE;
}

/* Statistics {{{1 */

#define ROW_COLUMNS \
  "entered_at, coalesce (answered_at, 0), ended_at, outcome, hold_seconds, talk_seconds"

/* Reads a row's figures from the columns ROW_COLUMNS lists. */
static gboolean
read_row (CdDbStmt   *stmt,
          CdCallRow  *row,
          GError    **error)
{
  const char *outcome = cd_db_column_text (stmt, 3);

  row->entered_at = cd_db_column_int64 (stmt, 0);
  row->answered_at = cd_db_column_int64 (stmt, 1);
  row->ended_at = cd_db_column_int64 (stmt, 2);
  row->hold_seconds = cd_db_column_int64 (stmt, 4);
  row->talk_seconds = cd_db_column_int64 (stmt, 5);
  if (!cd_call_outcome_from_string (outcome, &row->outcome))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a call’s outcome."), outcome != NULL ? outcome : "");
      return FALSE;
    }
  return TRUE;
}

static void
ring_clear (CdCallRing *ring)
{
  g_free (ring->agent);
}

/* The `rings` member of a call's payload, which the table keeps only the
 * total of; read here rather than by SQL, whose JSON functions differ
 * between the backends. */
static gboolean
parse_rings (JsonParser  *parser,
             const char  *payload,
             GArray      *rings,
             GError     **error)
{
  JsonNode *root;
  const char *text;

  if (!json_parser_load_from_data (parser, payload, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("A call’s details are not a JSON object."));
      return FALSE;
    }
  text = json_object_get_string_member_with_default (json_node_get_object (root), "rings", NULL);
  return text == NULL || cd_call_rings_parse (text, rings, error);
}

/**
 * cd_store_call_stats:
 * @self: a store (any connection: the statistics read off the main loop)
 * @from: Unix seconds, included
 * @to: Unix seconds, excluded
 * @interval: the intervals' length in seconds
 * @zone: the local clock the intervals start on
 * @limits: the target and the short-abandon threshold
 * @stats: (out): the figures of the calls that entered in [@from, @to)
 * @error: a #CD_CALL_STATS_ERROR for a bad period or interval, a
 *   #CD_STORE_ERROR, or %G_IO_ERROR_INVALID_DATA for a row that is not a
 *   call's
 *
 * What cd_call_stats_new() counts of cd_store_list_calls()'s calls, in
 * one scan of the table's plain columns by the entry's index: no call is
 * built, and a call's event is read only for the rings of one that has
 * some (the table keeps their total, the operators need each one's).
 *
 * Returns: whether the figures were read
 */
gboolean
cd_store_call_stats (CdStore                  *self,
                     gint64                    from,
                     gint64                    to,
                     gint64                    interval,
                     GTimeZone                *zone,
                     const CdCallStatsLimits  *limits,
                     CdCallStats             **stats,
                     GError                  **error)
{
  g_autoptr(CdCallStats) result = NULL;
  g_autoptr(GArray) rings = g_array_new (FALSE, TRUE, sizeof (CdCallRing));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  result = cd_call_stats_new_empty (from, to, interval, zone, limits, error);
  if (result == NULL)
    return FALSE;
  g_array_set_clear_func (rings, (GDestroyNotify) ring_clear);
  if ((stmt = cd_store_prepare (self,
                                "SELECT " ROW_COLUMNS ", agent, CASE WHEN rings > 0 THEN "
                                "(SELECT payload FROM events WHERE events.seq = calls.seq) END "
                                "FROM calls WHERE entered_at >= ?1 AND entered_at < ?2",
                                _("reading the calls"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      const char *agent = cd_db_column_text (stmt, 6);
      const char *payload = cd_db_column_text (stmt, 7);
      CdCallRow row;

      if (!read_row (stmt, &row, error) ||
          (payload != NULL && !parse_rings (parser, payload, rings, error)))
        return FALSE;
      cd_call_stats_add_row (result, &row, agent);
      for (guint i = 0; i < rings->len; i++)
        {
          const CdCallRing *ring = &g_array_index (rings, CdCallRing, i);

          cd_call_stats_add_missed (result, ring->agent, ring->count);
        }
      g_array_set_size (rings, 0);
    }
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  *stats = g_steal_pointer (&result);
  return TRUE;
}

/**
 * cd_store_call_heatmap:
 * @self: a store (any connection)
 * @from: Unix seconds, included
 * @to: Unix seconds, excluded
 * @zone: the local clock of the weekdays and hours
 * @heatmap: (out): the calls that entered in [@from, @to) per weekday and
 *   hour
 * @error: a #CD_CALL_STATS_ERROR for a bad period, or a #CD_STORE_ERROR
 *
 * Reads the entries only, off the entry's index.
 *
 * Returns: whether the heatmap was read
 */
gboolean
cd_store_call_heatmap (CdStore        *self,
                       gint64          from,
                       gint64          to,
                       GTimeZone      *zone,
                       CdCallHeatmap **heatmap,
                       GError        **error)
{
  g_autoptr(CdCallHeatmap) result = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if ((result = cd_call_heatmap_new (from, to, zone, error)) == NULL)
    return FALSE;
  if ((stmt = cd_store_prepare (
           self, "SELECT entered_at FROM calls WHERE entered_at >= ?1 AND entered_at < ?2",
           _("reading the calls"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    cd_call_heatmap_add (result, cd_db_column_int64 (stmt, 0), zone);
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  *heatmap = g_steal_pointer (&result);
  return TRUE;
}

/**
 * cd_store_call_forecast:
 * @self: a store (any connection)
 * @day_start: any time in the local day to forecast
 * @interval: the intervals' length in seconds (60 up to 86400)
 * @zone: the local clock
 * @target: the service level, occupancy and shrinkage to staff for
 * @target_seconds: the service level's threshold
 * @forecast: (out): the day's forecast (cd_forecast_new())
 * @error: a #CD_ERLANG_ERROR for a bad interval or target, a
 *   #CD_STORE_ERROR, or %G_IO_ERROR_INVALID_DATA
 *
 * Reads the history and the day in one query; the day's calls up to now
 * (the clock's) scale the rest of it.
 *
 * Returns: whether the forecast was made
 */
gboolean
cd_store_call_forecast (CdStore               *self,
                        gint64                 day_start,
                        gint64                 interval,
                        GTimeZone             *zone,
                        const CdErlangTarget  *target,
                        gint64                 target_seconds,
                        CdForecast           **forecast,
                        GError               **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CdCallRow));
  g_autoptr(CdForecast) result = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  gint64 from, to;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  day_start = cd_forecast_day_start (day_start, zone);
  cd_forecast_history_range (day_start, zone, &from, &to);
  if ((stmt = cd_store_prepare (self,
                                "SELECT " ROW_COLUMNS " FROM calls "
                                "WHERE entered_at >= ?1 AND entered_at < ?2",
                                _("reading the calls"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdCallRow row;

      if (!read_row (stmt, &row, error))
        return FALSE;
      g_array_append_val (rows, row);
    }
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  result = cd_forecast_new ((const CdCallRow *) rows->data, rows->len, day_start,
                            g_get_real_time () / G_USEC_PER_SEC, interval, zone, target,
                            target_seconds, error);
  if (result == NULL)
    return FALSE;
  *forecast = g_steal_pointer (&result);
  return TRUE;
}
