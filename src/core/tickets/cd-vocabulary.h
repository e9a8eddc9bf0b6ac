// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-vocabulary.h: the codes of the dispatch core and their names
 *
 * A ticket's states and kinds, the roles, the actions and the channels: the
 * codes that JSON, CSV and the journal hold, and the names a person reads in
 * their language. Below the transition table (cd-dispatch.h), the ticket and
 * its events, which all speak these codes; the dispatch core's error domain
 * is here for the same reason.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_DISPATCH_ERROR (cd_dispatch_error_quark ())

/**
 * CdDispatchError:
 * @CD_DISPATCH_ERROR_UNKNOWN_ACTION: the action is not in the table
 * @CD_DISPATCH_ERROR_UNKNOWN_ROLE: the role is not one of the six
 * @CD_DISPATCH_ERROR_WRONG_STATE: the action may not start from the
 *   ticket's state
 * @CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED: the role may not take the action
 * @CD_DISPATCH_ERROR_MISSING_FIELD: a field the action needs is missing
 * @CD_DISPATCH_ERROR_INVALID_FIELD: a field has a value the rules refuse
 * @CD_DISPATCH_ERROR_WRONG_KIND: the action is not for this kind of ticket
 * @CD_DISPATCH_ERROR_WRONG_TICKET: the event belongs to another ticket
 * @CD_DISPATCH_ERROR_INVALID_PAYLOAD: the event's details are not a JSON
 *   object
 * @CD_DISPATCH_ERROR_WRONG_ORGANIZATION: an executor acted on a ticket of
 *   another organization
 */
typedef enum
{
  CD_DISPATCH_ERROR_UNKNOWN_ACTION,
  CD_DISPATCH_ERROR_UNKNOWN_ROLE,
  CD_DISPATCH_ERROR_WRONG_STATE,
  CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
  CD_DISPATCH_ERROR_MISSING_FIELD,
  CD_DISPATCH_ERROR_INVALID_FIELD,
  CD_DISPATCH_ERROR_WRONG_KIND,
  CD_DISPATCH_ERROR_WRONG_TICKET,
  CD_DISPATCH_ERROR_INVALID_PAYLOAD,
  CD_DISPATCH_ERROR_WRONG_ORGANIZATION,
} CdDispatchError;

/* CD_TICKET_STATE_NEW is the state of a ticket no event has touched yet:
 * only `register` starts from it. */
typedef enum
{
  CD_TICKET_STATE_NEW,
  CD_TICKET_STATE_REGISTERED,
  CD_TICKET_STATE_ASSIGNED,
  CD_TICKET_STATE_ACCEPTED,
  CD_TICKET_STATE_IN_PROGRESS,
  CD_TICKET_STATE_WAITING,
  CD_TICKET_STATE_RESOLVED,
  CD_TICKET_STATE_REOPENED,
  CD_TICKET_STATE_CLOSED,
  CD_TICKET_STATE_CLOSED_UNCONFIRMED,
  CD_TICKET_STATE_REFUSED,
  CD_TICKET_STATE_CANCELLED,
  CD_TICKET_N_STATES,
} CdTicketState;

typedef enum
{
  CD_TICKET_KIND_EMERGENCY,
  CD_TICKET_KIND_ROUTINE,
  CD_TICKET_KIND_PAID,
  CD_TICKET_KIND_COMPLAINT,
  CD_TICKET_KIND_INFORMATION,
  CD_TICKET_N_KINDS,
} CdTicketKind;

typedef enum
{
  CD_ROLE_OPERATOR,
  CD_ROLE_SUPERVISOR,
  CD_ROLE_QC,
  CD_ROLE_FEEDBACK,
  CD_ROLE_EXECUTOR,
  CD_ROLE_ADMIN,
  CD_N_ROLES,
} CdRole;

typedef enum
{
  CD_ACTION_REGISTER,
  CD_ACTION_ASSIGN,
  CD_ACTION_ACCEPT,
  CD_ACTION_START,
  CD_ACTION_WAIT,
  CD_ACTION_RESUME,
  CD_ACTION_RESOLVE,
  CD_ACTION_REOPEN,
  CD_ACTION_CLOSE,
  CD_ACTION_CLOSE_UNCONFIRMED,
  CD_ACTION_REFUSE,
  CD_ACTION_CANCEL,
  CD_ACTION_ESCALATE,
  CD_ACTION_EXTEND,
  CD_ACTION_COMMENT,
  CD_ACTION_LINK,
  CD_ACTION_REMIND,
  CD_ACTION_CALLBACK,
  CD_ACTION_CLASSIFY,
  CD_ACTION_ANSWER,
  CD_ACTION_PROPOSE,
  CD_N_ACTIONS,
} CdAction;

#define CD_STATE_BIT(s) (1u << (s))
#define CD_ROLE_BIT(r) (1u << (r))

GQuark        cd_dispatch_error_quark    (void);

const char   *cd_ticket_state_to_string  (CdTicketState  state);
gboolean      cd_ticket_state_from_string (const char    *string,
                                          CdTicketState *state);
gboolean      cd_ticket_state_is_open    (CdTicketState  state);
const char   *cd_ticket_state_get_label  (CdTicketState  state);
const char   *cd_ticket_kind_to_string   (CdTicketKind   kind);
gboolean      cd_ticket_kind_from_string (const char    *string,
                                          CdTicketKind  *kind);
const char   *cd_ticket_kind_get_label   (CdTicketKind   kind);
const char   *cd_role_to_string          (CdRole         role);
gboolean      cd_role_from_string        (const char    *string,
                                          CdRole        *role);
const char   *cd_role_get_label          (CdRole         role);
const char   *cd_action_to_string        (CdAction       action);
gboolean      cd_action_from_string      (const char    *string,
                                          CdAction      *action);
const char   *cd_action_get_label        (CdAction       action);

/* The names a person reads, in their language; codes stay in JSON, CSV
 * and tooltips. Each returns its argument unchanged for an unknown code. */
const char   *cd_ticket_state_label_for_code (const char *code);
const char   *cd_ticket_kind_label_for_code  (const char *code);
const char   *cd_role_label_for_code         (const char *code);
const char   *cd_action_label_for_code       (const char *code);
const char   *cd_channel_label_for_code      (const char *code);
const char * const *cd_channel_get_all       (guint      *n_channels);

G_END_DECLS
