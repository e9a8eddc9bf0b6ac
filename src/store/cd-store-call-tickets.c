// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-call-tickets.c: the tickets registered during a call
 *
 * The rule is the core's (cd-call-tickets.h); this reads what it needs
 * by indexes: the tickets of the call's window by their registration
 * time (tickets_created), each one's first actor by its entity
 * (events_entity), and the calls that could claim the same ticket by
 * their entry time (calls_figures), never every ticket or call.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cd-call-tickets.h"
#include "cd-store-calls.h"
#include "cd-store-private.h"

/* The call's facts as the rule reads them, owning their text. */
typedef struct
{
  char             *id;
  char             *caller;
  char             *account;
  CdCallTicketCall  facts;
} CallRow;

static void
call_row_clear (CallRow *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->caller, g_free);
  g_clear_pointer (&row->account, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CallRow, call_row_clear)

/* Columns: id, answered_at, ended_at, caller, the account linked to its
 * agent. */
#define CALL_COLUMNS \
  "c.id, c.answered_at, c.ended_at, c.caller, " \
  "(SELECT u.name FROM users AS u WHERE u.agent = c.agent)"

static void
call_row_read (CallRow  *row,
               CdDbStmt *stmt)
{
  call_row_clear (row);
  row->id = g_strdup (cd_db_column_text (stmt, 0));
  row->caller = g_strdup (cd_db_column_text (stmt, 3));
  row->account = g_strdup (cd_db_column_text (stmt, 4));
  row->facts.answered_at = cd_db_column_is_null (stmt, 1) ? 0 : cd_db_column_int64 (stmt, 1);
  row->facts.ended_at = cd_db_column_int64 (stmt, 2);
  row->facts.caller = row->caller;
  row->facts.account = row->account;
}

static gboolean
prepare (CdStore    *self,
         const char *sql,
         CdDbStmt  **stmt,
         GError    **error)
{
  *stmt = cd_store_prepare (self, sql, _("reading the tickets of a call"), error);
  return *stmt != NULL;
}

static gboolean
step_failed (CdStore   *self,
             CdDbStep   rc,
             GError    *db_error,
             GError   **error)
{
  if (rc != CD_DB_FAILED)
    return FALSE;
  cd_store_db_error (self, _("reading the tickets of a call"), db_error, error);
  return TRUE;
}

/* Whether another call is nearer to @ticket than @call, which matches it
 * as @match: such a call was answered before the ticket and ended at most
 * the wrap-up before it. */
static gboolean
has_nearer_call (CdStore                 *self,
                 CdDbStmt                *rivals,
                 const CallRow           *call,
                 CdCallTicketMatch        match,
                 const CdCallTicketFacts *ticket,
                 gboolean                *nearer,
                 GError                 **error)
{
  g_auto(CallRow) rival = { 0 };
  GError *db_error = NULL;
  CdDbStep rc;

  *nearer = FALSE;
  cd_db_reset (rivals);
  /* The window's ends computed here: PostgreSQL would type a parameter
   * in `?1 - 86400` as a 32-bit integer. */
  cd_db_bind_int64 (rivals, 1, ticket->created_at);
  cd_db_bind_text (rivals, 2, call->id);
  cd_db_bind_int64 (rivals, 3, ticket->created_at - CD_CALL_LONGEST_SECONDS);
  cd_db_bind_int64 (rivals, 4, ticket->created_at - CD_CALL_WRAP_UP_SECONDS);
  while ((rc = cd_db_step (rivals, &db_error)) == CD_DB_ROW)
    {
      CdCallTicketMatch rival_match;

      call_row_read (&rival, rivals);
      rival_match = cd_call_ticket_match (&rival.facts, ticket);
      if (cd_call_ticket_nearer (rival_match, rival.facts.answered_at, rival.id, match,
                                 call->facts.answered_at, call->id))
        {
          *nearer = TRUE;
          break;
        }
    }
  cd_db_reset (rivals);
  return !step_failed (self, rc, db_error, error);
}

static CdTicket *
ticket_from_row (CdDbStmt *stmt)
{
  CdTicket *ticket = cd_ticket_new_summary ();
  CdTicketState state;

  ticket->id = g_strdup (cd_db_column_text (stmt, 0));
  ticket->number = g_strdup (cd_db_column_text (stmt, 1));
  ticket->category = g_strdup (cd_db_column_text (stmt, 2));
  ticket->created_at = cd_db_column_int64 (stmt, 3);
  if (cd_ticket_state_from_string (cd_db_column_text (stmt, 4), &state))
    ticket->state = state;
  ticket->resident_phone = g_strdup (cd_db_column_text (stmt, 5));
  ticket->channel = g_strdup (cd_db_column_text (stmt, 6));
  return ticket;
}

/**
 * cd_store_list_call_tickets:
 * @self: a store
 * @call_id: a call's journal id
 * @tickets: (out) (transfer full) (element-type CdTicket): the tickets
 *   registered during the call (cd_call_ticket_match()) and nearer to it
 *   than to any other call (cd_call_ticket_nearer()), by registration
 *   time then number; empty for an unknown or unanswered call. Each holds
 *   its id, number, category, channel, resident's phone, registration
 *   time and state.
 * @error: a #CD_STORE_ERROR
 *
 * Returns: whether the tables were read
 */
gboolean
cd_store_list_call_tickets (CdStore     *self,
                            const char  *call_id,
                            GPtrArray  **tickets,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_auto(CallRow) call = { 0 };
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(CdDbStmt) rivals = NULL;
  GError *db_error = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (call_id != NULL, FALSE);

  if (!prepare (self, "SELECT " CALL_COLUMNS " FROM calls AS c WHERE c.id = ?", &stmt, error))
    return FALSE;
  cd_db_bind_text (stmt, 1, call_id);
  rc = cd_db_step (stmt, &db_error);
  if (rc == CD_DB_ROW)
    call_row_read (&call, stmt);
  g_clear_pointer (&stmt, cd_db_stmt_free);
  if (step_failed (self, rc, db_error, error))
    return FALSE;
  if (rc == CD_DB_DONE || call.facts.answered_at <= 0)
    {
      *tickets = g_steal_pointer (&list);
      return TRUE;
    }

  if (!prepare (self,
                "SELECT t.id, t.number, t.category, t.created_at, t.state, t.resident_phone, "
                "t.channel, (SELECT e.actor FROM events AS e WHERE e.entity = t.id "
                "ORDER BY e.seq LIMIT 1) "
                "FROM tickets AS t WHERE t.created_at BETWEEN ?1 AND ?2 "
                "AND t.channel = '" CD_CALL_TICKET_CHANNEL "' ORDER BY t.created_at, t.number",
                &stmt, error) ||
      !prepare (self,
                "SELECT " CALL_COLUMNS " FROM calls AS c "
                "WHERE c.entered_at BETWEEN ?3 AND ?1 AND c.answered_at <= ?1 "
                "AND c.ended_at >= ?4 AND c.id <> ?2",
                &rivals, error))
    return FALSE;
  cd_db_bind_int64 (stmt, 1, call.facts.answered_at);
  cd_db_bind_int64 (stmt, 2, MAX (call.facts.ended_at, call.facts.answered_at) +
                                 CD_CALL_WRAP_UP_SECONDS);
  while ((rc = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdCallTicketFacts facts = {
        cd_db_column_text (stmt, 6),
        cd_db_column_int64 (stmt, 3),
        cd_db_column_text (stmt, 5),
        cd_db_column_text (stmt, 7),
      };
      CdCallTicketMatch match = cd_call_ticket_match (&call.facts, &facts);
      gboolean nearer;

      if (match == CD_CALL_TICKET_NONE)
        continue;
      if (!has_nearer_call (self, rivals, &call, match, &facts, &nearer, error))
        return FALSE;
      if (!nearer)
        g_ptr_array_add (list, ticket_from_row (stmt));
    }
  if (step_failed (self, rc, db_error, error))
    return FALSE;
  *tickets = g_steal_pointer (&list);
  return TRUE;
}
