// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-dispatch.h: the ticket state machine and its transition table
 *
 * The table names, for each action, the states it may start from, the
 * roles allowed to take it, the state it leads to and the payload fields
 * it needs. cd_dispatch_check() applies those rules; cd_ticket_apply()
 * calls it before changing anything, so that a refused action changes
 * nothing.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-feedback.h"
#include "cd-ticket.h"
#include "cd-types.h"
#include "cd-vocabulary.h"

G_BEGIN_DECLS

/* Payload fields an action may need. */
typedef enum
{
  CD_FIELD_EXECUTOR = 1 << 0,
  CD_FIELD_NOTE = 1 << 1,
  CD_FIELD_TARGET = 1 << 2,
  CD_FIELD_EXTENSION = 1 << 3,
  CD_FIELD_RELATION = 1 << 4,
  CD_FIELD_REGISTRATION = 1 << 5,
  CD_FIELD_OUTCOME = 1 << 6,
  CD_FIELD_CLASSIFICATION = 1 << 7,
  CD_FIELD_ANSWER = 1 << 8,
} CdDispatchField;

/* The ticket's state does not change. */
#define CD_TICKET_STATE_SAME CD_TICKET_N_STATES


typedef struct
{
  CdAction       action;
  guint          from;
  guint          roles;
  CdTicketState  to;
  guint          needs;
  guint          kinds;
} CdTransition;

const CdTransition *cd_dispatch_get_transitions   (guint           *n_transitions);
const CdTransition *cd_dispatch_get_transition    (CdAction         action);
gboolean            cd_dispatch_check             (const CdTicket  *ticket,
                                                   CdAction         action,
                                                   CdRole           role,
                                                   JsonObject      *payload,
                                                   GError         **error);
gboolean            cd_dispatch_check_event       (const CdTicket  *ticket,
                                                   CdAction         action,
                                                   CdRole           role,
                                                   CdEvent         *event,
                                                   GError         **error);
JsonObject         *cd_dispatch_actor_payload     (CdRole           role,
                                                   const char      *org,
                                                   JsonObject      *payload);
gboolean            cd_dispatch_is_allowed        (CdTicketState    state,
                                                   CdAction         action,
                                                   CdRole           role);
gboolean            cd_dispatch_is_executor_side  (CdAction         action,
                                                   CdRole           role);
gboolean            cd_dispatch_hands_over        (CdAction         action);
CdTicketState       cd_dispatch_callback_state    (CdFeedbackOutcome outcome,
                                                   gboolean         last);
CdAction            cd_dispatch_effective_action  (CdAction         action,
                                                   CdEvent         *event);

/* The projection: a ticket is what the table makes of its events. */
gboolean            cd_ticket_apply               (CdTicket        *self,
                                                   CdEvent         *event,
                                                   GError         **error);
CdTicket           *cd_ticket_new_from_events     (CdEvent * const *events,
                                                   guint            n_events,
                                                   GError         **error);
CdSlaEvent         *cd_ticket_to_sla_events       (CdEvent * const *events,
                                                   guint            n_events,
                                                   guint           *n_sla_events);

G_END_DECLS
