// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-history.c: a ticket's history, checked link by link, its
 * repeats, and its clock as the store records it */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-journal.h"
#include "cd-store-history.h"
#include "cd-store-private.h"

/**
 * cd_ticket_clock_from_ticket:
 * @ticket: a ticket
 * @now: Unix seconds
 * @clock: (out caller-allocates): the clock
 *
 * The resolution clock from the due time the SLA engine recorded in the
 * ticket's events: how much of the allowed time is used and what is left.
 * A resolved or closed ticket's clock stopped when it was resolved.
 */
void
cd_ticket_clock_from_ticket (const CdTicket *ticket,
                             gint64          now,
                             CdTicketClock  *clock)
{
  gint64 end;

  g_return_if_fail (ticket != NULL);
  g_return_if_fail (clock != NULL);

  memset (clock, 0, sizeof *clock);
  clock->start = ticket->created_at;
  clock->due = ticket->due_at;
  clock->stopped = ticket->resolved_at != 0 && ticket->state != CD_TICKET_STATE_REOPENED;
  if (!cd_ticket_is_open (ticket) && ticket->resolved_at == 0)
    clock->stopped = TRUE;
  end = clock->stopped && ticket->resolved_at != 0 ? ticket->resolved_at : now;
  if (!clock->stopped && !cd_ticket_is_open (ticket))
    end = ticket->updated_at;
  if (clock->due == 0)
    return;

  clock->remaining = clock->due - end;
  clock->breached = clock->remaining < 0;
  if (clock->due > clock->start)
    clock->progress = CLAMP ((double) (end - clock->start) / (double) (clock->due - clock->start),
                             0.0, 1.0);
  else
    clock->progress = 1.0;
}

static gboolean
previous_head (CdStore        *self,
               gint64          seq,
               CdJournalHead  *head,
               GError        **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  cd_journal_head_init (head);
  if (seq <= 1)
    return TRUE;
  if ((stmt = cd_db_prepare (self->conn, "SELECT seq, hash FROM events WHERE seq = ?1",
                             &db_error)) == NULL)
    return cd_store_db_error (self, _("checking a ticket’s history"), db_error, error);
  cd_db_bind_int64 (stmt, 1, seq - 1);
  step = cd_db_step (stmt, &db_error);
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("checking a ticket’s history"), db_error, error);
  if (step == CD_DB_ROW)
    {
      head->seq = cd_db_column_int64 (stmt, 0);
      g_strlcpy (head->hash, cd_db_column_text (stmt, 1), sizeof head->hash);
    }
  else
    /* The event before is missing: the check will say so. */
    head->seq = -1;
  return TRUE;
}

/**
 * cd_store_ticket_history:
 * @self: a store
 * @ticket_id: the ticket's UUID
 * @bad_seq: (out) (optional): the first event that does not hold in the
 *   hash chain (its hash does not follow from the event before it), or 0
 *   when every one holds
 * @error: return location for an error
 *
 * Each event is checked against the one just before it in the journal,
 * which is what a ticket's part of the chain can prove without walking
 * the whole journal (`citydeskctl verify` does that).
 *
 * Returns: (transfer container) (element-type CdEvent): the events in
 *   order, or %NULL with @error set
 */
GPtrArray *
cd_store_ticket_history (CdStore     *self,
                         const char  *ticket_id,
                         gint64      *bad_seq,
                         GError     **error)
{
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (ticket_id != NULL, NULL);

  if (bad_seq != NULL)
    *bad_seq = 0;
  if ((events = cd_store_list_events (self, ticket_id, 0, 0, error)) == NULL)
    return NULL;

  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *event = g_ptr_array_index (events, i);
      CdJournalHead head;

      if (!previous_head (self, event->seq, &head, error))
        return NULL;
      if (!cd_journal_check (&head, event, NULL))
        {
          if (bad_seq != NULL)
            *bad_seq = event->seq;
          break;
        }
    }
  return g_steal_pointer (&events);
}

/**
 * cd_store_ticket_repeats:
 * @self: a store
 * @ticket: a ticket
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdTicket): the other tickets
 *   at the same building and of the same category, open or closed within
 *   the repeat window, or %NULL with @error set
 */
GPtrArray *
cd_store_ticket_repeats (CdStore         *self,
                         const CdTicket  *ticket,
                         GError         **error)
{
  g_autoptr(GPtrArray) same = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);

  if ((same = cd_store_find_same_place (self, ticket, error)) == NULL)
    return NULL;
  for (guint i = same->len; i > 0; i--)
    {
      CdTicket *other = g_ptr_array_index (same, i - 1);

      if (g_strcmp0 (other->id, ticket->id) == 0)
        g_ptr_array_remove_index (same, i - 1);
    }
  return g_steal_pointer (&same);
}

void
cd_ticket_clock_view_free (CdTicketClockView *view)
{
  if (view == NULL)
    return;
  g_free (view->target);
  g_free (view);
}

/**
 * cd_store_ticket_clocks:
 * @self: a store
 * @ticket: a ticket loaded from @self
 * @now: the moment to judge at
 * @error: return location for an error
 *
 * Evaluates the ticket's clocks with the SLA engine, under the policy the
 * ticket was registered with and the calendars of the store's SLA library
 * (cd_store_get_sla_library()), from its events.
 *
 * Returns: (transfer container) (element-type CdTicketClockView): one view
 *   a target that has started, in the policy's order (empty when the
 *   ticket has no policy), or %NULL with @error set
 */
GPtrArray *
cd_store_ticket_clocks (CdStore   *self,
                        CdTicket  *ticket,
                        gint64     now,
                        GError   **error)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_ticket_clock_view_free);
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GError) local_error = NULL;
  CdSlaLibrary *library;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (ticket != NULL, NULL);

  if (!cd_store_load_history (self, ticket, error) ||
      (library = cd_store_get_sla_library (self, error)) == NULL)
    return NULL;
  clocks = cd_sla_library_evaluate (library, ticket, now, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (clocks == NULL)
    return g_steal_pointer (&views);

  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    {
      guint n = cd_sla_clocks_get_n_cycles (clocks, i);
      const CdSlaCycle *cycle;
      CdTicketClockView *view;

      if (n == 0)
        continue;
      cycle = cd_sla_clocks_get_cycle (clocks, i, n - 1);
      view = g_new0 (CdTicketClockView, 1);
      view->target = g_strdup (cd_sla_clocks_get_target (clocks, i)->name);
      view->state = cycle->state;
      view->started = cycle->started;
      view->due = cycle->due;
      view->late = cycle->late;
      if (cycle->budget > 0)
        view->progress = CLAMP ((double) cycle->elapsed / (double) cycle->budget, 0.0, 1.0);
      else
        view->progress = 1.0;
      g_ptr_array_add (views, view);
    }
  return g_steal_pointer (&views);
}
