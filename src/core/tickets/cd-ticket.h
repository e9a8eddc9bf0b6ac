// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket.h: the ticket, a projection of its events
 *
 * A ticket's current state is never written directly: it is what
 * cd_ticket_apply() (in cd-dispatch.h, with the transition table) makes of
 * its events, in order. The server runs it when it appends an event, the
 * desktop when it syncs one, the store when it updates its tickets table;
 * all three get the same answer.
 */

#pragma once

#include "cd-event.h"
#include "cd-types.h"
#include "cd-vocabulary.h"

/* The contract with the SLA engine (src/core/sla/cd-sla-clock.h). Until that
 * header exists, the same struct is declared here so that the dispatch core
 * builds on its own; once it lands, its declaration is used. */
#if defined(__has_include)
# if __has_include ("cd-sla-clock.h")
#  include "cd-sla-clock.h"
#  define CD_TICKET_HAVE_SLA_CLOCK 1
# endif
#endif

G_BEGIN_DECLS

#ifndef CD_TICKET_HAVE_SLA_CLOCK
typedef struct
{
  const char *type;
  gint64      time;
  const char *state;
  const char *target;
  gint64      extend_seconds;
  guint       extend_days;
} CdSlaEvent;
#endif

/* The street and building of a ticket registered without any address or
 * location (real Open311 dumps hold such records): registration needs the
 * three parts, and this one value says "not known" in each. */
#define CD_TICKET_NO_ADDRESS "—"

struct _CdTicket
{
  char          *id;
  char          *number;
  CdTicketKind   kind;
  char          *category;
  char          *channel;

  char          *district;
  char          *street;
  char          *building;
  char          *flat;
  gboolean       has_location;
  double         lat;
  double         lon;

  char          *resident_name;
  char          *resident_phone;
  char          *description;

  char          *executor;
  char          *repeat_of;
  char          *duplicate_of;
  char          *notice;
  char          *policy;

  CdTicketState  state;
  gint64         created_at;
  gint64         updated_at;
  gint64         assigned_at;
  gint64         accepted_at;
  gint64         resolved_at;
  gint64         closed_at;
  gint64         due_at;
  /* The last event from the executor's side, or the hand-over before it
   * (cd_dispatch_is_executor_side(), cd_dispatch_hands_over()): what
   * "stale" measures from. */
  gint64         executor_at;

  guint          reopen_count;
  guint          escalations;
  guint          reminders;
  guint          extensions;
  gint64         last_seq;

  /* Where `resume` returns to: the state `wait` left. */
  CdTicketState  resume_state;
  /* The number of the first ticket of the mass incident, or NULL. */
  char          *incident;

  /* Filled in by whoever evaluates the SLA clocks (the store): the earliest
   * moment a running clock turns at risk, how many targets are breached
   * at the last event, and each target's state as compact JSON
   * (`[{"target":…,"state":…,"due":…,"at_risk":…}]`). due_at is the
   * earliest deadline of a running clock. */
  gint64         at_risk_at;
  guint          breached;
  char          *clocks;

  /* (element-type CdSlaEvent): the events as the SLA engine sees them,
   * appended by cd_ticket_apply(); NULL when the ticket was read from a
   * projection without its events. */
  GArray        *history;

  /*< private >*/
  gint           ref_count;
};

#define CD_TYPE_TICKET (cd_ticket_get_type ())

GType       cd_ticket_get_type          (void) G_GNUC_CONST;
CdTicket   *cd_ticket_new               (void);
CdTicket   *cd_ticket_copy              (const CdTicket  *self);
CdTicket   *cd_ticket_ref               (CdTicket        *self);
void        cd_ticket_unref             (CdTicket        *self);
gboolean    cd_ticket_is_open           (const CdTicket  *self);
gboolean    cd_ticket_has_address       (const CdTicket  *self);
gboolean    cd_ticket_number_parse      (const char      *number,
                                         int             *year,
                                         guint           *sequence);
char       *cd_ticket_number_format     (int              year,
                                         guint            sequence);
CdTicket   *cd_ticket_new_summary       (void);
JsonObject *cd_ticket_to_json           (const CdTicket  *self);
void        cd_ticket_format_id         (gint64           unix_ms,
                                         guint64          random_a,
                                         guint64          random_b,
                                         char             out[37]);
char       *cd_ticket_dup_history_text  (const CdTicket  *self);
gboolean    cd_ticket_set_history_text  (CdTicket        *self,
                                         const char      *text);
#ifdef CD_TICKET_HAVE_SLA_CLOCK
char       *cd_ticket_dup_due_target    (const CdTicket  *self);
void        cd_ticket_set_clocks        (CdTicket        *self,
                                         CdSlaClocks     *clocks);
#endif

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTicket, cd_ticket_unref)

G_END_DECLS
