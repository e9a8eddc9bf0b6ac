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
call_row_read (CallRow      *row,
               sqlite3_stmt *stmt)
{
  call_row_clear (row);
  row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->caller = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  row->account = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  row->facts.answered_at = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                               ? 0
                               : sqlite3_column_int64 (stmt, 1);
  row->facts.ended_at = sqlite3_column_int64 (stmt, 2);
  row->facts.caller = row->caller;
  row->facts.account = row->account;
}

static gboolean
prepare (CdStore       *self,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  if (sqlite3_prepare_v2 (self->db, sql, -1, stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("reading the tickets of a call"), error);
  return TRUE;
}

/* Whether another call is nearer to @ticket than @call, which matches it
 * as @match: such a call was answered before the ticket and ended at most
 * the wrap-up before it. */
static gboolean
has_nearer_call (CdStore                 *self,
                 sqlite3_stmt            *rivals,
                 const CallRow           *call,
                 CdCallTicketMatch        match,
                 const CdCallTicketFacts *ticket,
                 gboolean                *nearer,
                 GError                 **error)
{
  g_auto(CallRow) rival = { 0 };
  int rc;

  *nearer = FALSE;
  sqlite3_reset (rivals);
  sqlite3_bind_int64 (rivals, 1, ticket->created_at);
  sqlite3_bind_text (rivals, 2, call->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (rivals)) == SQLITE_ROW)
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
  sqlite3_reset (rivals);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("reading the tickets of a call"), error);
  return TRUE;
}

static CdTicket *
ticket_from_row (sqlite3_stmt *stmt)
{
  CdTicket *ticket = cd_ticket_new_summary ();
  CdTicketState state;

  ticket->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  ticket->number = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  ticket->category = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  ticket->created_at = sqlite3_column_int64 (stmt, 3);
  if (cd_ticket_state_from_string ((const char *) sqlite3_column_text (stmt, 4), &state))
    ticket->state = state;
  ticket->resident_phone = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  ticket->channel = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
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
  sqlite3_stmt *stmt = NULL, *rivals = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (call_id != NULL, FALSE);

  if (!prepare (self, "SELECT " CALL_COLUMNS " FROM calls AS c WHERE c.id = ?", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, call_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    call_row_read (&call, stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("reading the tickets of a call"), error);
  if (rc == SQLITE_DONE || call.facts.answered_at <= 0)
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
                "WHERE c.entered_at BETWEEN ?1 - " G_STRINGIFY (CD_CALL_LONGEST_SECONDS)
                " AND ?1 AND c.answered_at <= ?1 "
                "AND c.ended_at >= ?1 - " G_STRINGIFY (CD_CALL_WRAP_UP_SECONDS) " AND c.id <> ?2",
                &rivals, error))
    goto out;
  sqlite3_bind_int64 (stmt, 1, call.facts.answered_at);
  sqlite3_bind_int64 (stmt, 2, MAX (call.facts.ended_at, call.facts.answered_at) +
                                   CD_CALL_WRAP_UP_SECONDS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CdCallTicketFacts facts = {
        (const char *) sqlite3_column_text (stmt, 6),
        sqlite3_column_int64 (stmt, 3),
        (const char *) sqlite3_column_text (stmt, 5),
        (const char *) sqlite3_column_text (stmt, 7),
      };
      CdCallTicketMatch match = cd_call_ticket_match (&call.facts, &facts);
      gboolean nearer;

      if (match == CD_CALL_TICKET_NONE)
        continue;
      if (!has_nearer_call (self, rivals, &call, match, &facts, &nearer, error))
        goto out;
      if (!nearer)
        g_ptr_array_add (list, ticket_from_row (stmt));
    }
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, _("reading the tickets of a call"), error);
      goto out;
    }
  *tickets = g_steal_pointer (&list);
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_finalize (rivals);
  return ok;
}
