// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-history.h: what the ticket view reads
 *
 * A ticket's history with its place in the hash chain checked, the tickets
 * at the same building, and the state of its SLA clock as the store has it.
 */
#pragma once

#include "cd-sla-clock.h"
#include "cd-store.h"

G_BEGIN_DECLS

/**
 * CdTicketClock:
 * @start: when the clock started (registration)
 * @due: the due time; 0 when the ticket has none
 * @remaining: seconds left at now; negative once overdue
 * @progress: the part of the allowed time used, 0 to 1 (capped)
 * @stopped: whether the clock no longer runs (resolved or closed)
 * @breached: whether it ran past its due time
 */
typedef struct
{
  gint64   start;
  gint64   due;
  gint64   remaining;
  double   progress;
  gboolean stopped;
  gboolean breached;
} CdTicketClock;

/**
 * CdTicketClockView:
 * @target: the policy's target ("accept", "resolve" …)
 * @state: the state of its last cycle at now
 * @started: when that cycle started
 * @due: its deadline, or %CD_SLA_NEVER
 * @progress: working time used of the budget, 0 to 1 (capped)
 * @late: real seconds past the deadline when breached
 *
 * One SLA clock of a ticket as the SLA engine judges it at a moment.
 */
typedef struct
{
  char            *target;
  CdSlaClockState  state;
  gint64           started;
  gint64           due;
  double           progress;
  gint64           late;
} CdTicketClockView;

void       cd_ticket_clock_view_free     (CdTicketClockView *view);
GPtrArray *cd_store_ticket_clocks        (CdStore         *self,
                                          CdTicket        *ticket,
                                          gint64           now,
                                          GError         **error);
void       cd_ticket_clock_from_ticket   (const CdTicket  *ticket,
                                          gint64           now,
                                          CdTicketClock   *clock);
GPtrArray *cd_store_ticket_history       (CdStore         *self,
                                          const char      *ticket_id,
                                          gint64          *bad_seq,
                                          GError         **error);
GPtrArray *cd_store_ticket_repeats       (CdStore         *self,
                                          const CdTicket  *ticket,
                                          GError         **error);

G_END_DECLS
