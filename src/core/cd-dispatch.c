// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-dispatch.c: the ticket state machine and its transition table */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <math.h>

#include "cd-category.h"
#include "cd-event.h"
#include "cd-dispatch.h"
#include "cd-ticket.h"

G_DEFINE_QUARK (cd-dispatch-error-quark, cd_dispatch_error)

#define S(x) CD_STATE_BIT (CD_TICKET_STATE_##x)
#define R(x) CD_ROLE_BIT (CD_ROLE_##x)

/* Where work is still owed to the resident. */
#define ACTIVE \
  (S (REGISTERED) | S (ASSIGNED) | S (ACCEPTED) | S (IN_PROGRESS) | S (WAITING) | S (REOPENED))
/* Every state a registered ticket can be in. */
#define ANY \
  (ACTIVE | S (RESOLVED) | S (CLOSED) | S (CLOSED_UNCONFIRMED) | S (REFUSED) | S (CANCELLED))
#define ALL_ROLES (R (OPERATOR) | R (SUPERVISOR) | R (QC) | R (FEEDBACK) | R (EXECUTOR) | R (ADMIN))

/* The transition table, one row per action in #CdAction order. */
static const CdTransition transitions[] = {
  { CD_ACTION_REGISTER, S (NEW),
    R (OPERATOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_REGISTERED, CD_FIELD_REGISTRATION, 0 },
  { CD_ACTION_ASSIGN, S (REGISTERED) | S (ASSIGNED) | S (ACCEPTED) | S (REOPENED),
    R (OPERATOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_ASSIGNED, CD_FIELD_EXECUTOR, 0 },
  { CD_ACTION_ACCEPT, S (ASSIGNED) | S (REOPENED),
    R (EXECUTOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_ACCEPTED, 0, 0 },
  { CD_ACTION_START, S (ACCEPTED),
    R (EXECUTOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_IN_PROGRESS, 0, 0 },
  { CD_ACTION_WAIT, S (ACCEPTED) | S (IN_PROGRESS),
    R (EXECUTOR) | R (OPERATOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_WAITING, CD_FIELD_NOTE, 0 },
  { CD_ACTION_RESUME, S (WAITING),
    R (EXECUTOR) | R (OPERATOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_IN_PROGRESS, 0, 0 },
  { CD_ACTION_RESOLVE, S (ACCEPTED) | S (IN_PROGRESS),
    R (EXECUTOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_RESOLVED, 0, 0 },
  { CD_ACTION_REOPEN, S (RESOLVED) | S (CLOSED) | S (CLOSED_UNCONFIRMED),
    R (FEEDBACK) | R (QC) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_REOPENED, CD_FIELD_NOTE, 0 },
  { CD_ACTION_CLOSE, S (RESOLVED),
    R (FEEDBACK) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_CLOSED, 0, 0 },
  { CD_ACTION_CLOSE_UNCONFIRMED, S (RESOLVED),
    R (FEEDBACK) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_CLOSED_UNCONFIRMED, 0, 0 },
  { CD_ACTION_REFUSE, S (REGISTERED) | S (ASSIGNED) | S (ACCEPTED) | S (IN_PROGRESS),
    R (QC) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_REFUSED, CD_FIELD_NOTE, 1u << CD_TICKET_KIND_COMPLAINT },
  { CD_ACTION_CANCEL, ACTIVE,
    R (OPERATOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_CANCELLED, CD_FIELD_NOTE, 0 },
  { CD_ACTION_ESCALATE, ACTIVE | S (RESOLVED),
    R (OPERATOR) | R (SUPERVISOR) | R (QC) | R (FEEDBACK) | R (ADMIN),
    CD_TICKET_STATE_SAME, 0, 0 },
  { CD_ACTION_EXTEND, ACTIVE & ~S (REGISTERED),
    R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_SAME, CD_FIELD_TARGET | CD_FIELD_EXTENSION | CD_FIELD_NOTE, 0 },
  { CD_ACTION_COMMENT, ANY,
    ALL_ROLES,
    CD_TICKET_STATE_SAME, CD_FIELD_NOTE, 0 },
  { CD_ACTION_LINK, ANY,
    R (OPERATOR) | R (SUPERVISOR) | R (QC) | R (ADMIN),
    CD_TICKET_STATE_SAME, CD_FIELD_RELATION | CD_FIELD_TARGET, 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (transitions) == CD_N_ACTIONS);

static const char * const state_names[] = {
  "new", "registered", "assigned", "accepted", "in_progress", "waiting",
  "resolved", "reopened", "closed", "closed_unconfirmed", "refused", "cancelled",
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == CD_TICKET_N_STATES);

static const char * const state_labels[] = {
  N_("New"), N_("Registered"), N_("Assigned"), N_("Accepted"), N_("In progress"),
  N_("Waiting"), N_("Resolved"), N_("Reopened"), N_("Closed"),
  N_("Closed unconfirmed"), N_("Refused"), N_("Cancelled"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_labels) == CD_TICKET_N_STATES);

static const char * const kind_names[] = {
  "emergency", "routine", "paid", "complaint", "information",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == CD_TICKET_N_KINDS);

static const char * const kind_labels[] = {
  N_("Emergency"), N_("Routine"), N_("Paid service"), N_("Complaint"), N_("Information request"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_labels) == CD_TICKET_N_KINDS);

static const char * const role_names[] = {
  "operator", "supervisor", "qc", "feedback", "executor", "admin",
};
G_STATIC_ASSERT (G_N_ELEMENTS (role_names) == CD_N_ROLES);

static const char * const role_labels[] = {
  N_("Operator"), N_("Supervisor"), N_("Quality controller"), N_("Feedback operator"),
  N_("Executor"), N_("Administrator"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (role_labels) == CD_N_ROLES);

static const char * const action_names[] = {
  "register", "assign", "accept", "start", "wait", "resume", "resolve",
  "reopen", "close", "close_unconfirmed", "refuse", "cancel", "escalate",
  "extend", "comment", "link",
};
G_STATIC_ASSERT (G_N_ELEMENTS (action_names) == CD_N_ACTIONS);

/* Named as a person picks them in a menu; the context keeps "Close" the
 * action apart from any other "Close" of the interface. */
static const char * const action_labels[] = {
  NC_("ticket action", "Register"), NC_("ticket action", "Assign"),
  NC_("ticket action", "Accept"), NC_("ticket action", "Start work"),
  NC_("ticket action", "Wait"), NC_("ticket action", "Resume"),
  NC_("ticket action", "Resolve"), NC_("ticket action", "Reopen"),
  NC_("ticket action", "Close"), NC_("ticket action", "Close unconfirmed"),
  NC_("ticket action", "Refuse"), NC_("ticket action", "Cancel"),
  NC_("ticket action", "Escalate"), NC_("ticket action", "Extend"),
  NC_("ticket action", "Comment"), NC_("ticket action", "Link"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (action_labels) == CD_N_ACTIONS);

static const char * const channels[] = {
  "phone", "web", "email", "chat", "messenger", "social", "account",
  "intercom", "organization", "sms", "walk_in", "open311",
};

static const char * const channel_labels[] = {
  N_("Phone"), N_("Website"), N_("Email"), N_("Chat"), N_("Messenger"),
  N_("Social network"), N_("Personal account"), N_("Intercom"),
  N_("Another organization"), N_("SMS"), N_("In person"), N_("Open311 app"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (channel_labels) == G_N_ELEMENTS (channels));

/* incident: the first ticket of the mass incident this one belongs to. */
static const char * const relations[] = { "repeat_of", "duplicate_of", "notice", "incident" };

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *string,
             int                *out)
{
  if (string == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], string) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
cd_ticket_state_to_string (CdTicketState state)
{
  g_return_val_if_fail (state < CD_TICKET_N_STATES, NULL);
  return state_names[state];
}

const char *
cd_ticket_state_get_label (CdTicketState state)
{
  g_return_val_if_fail (state < CD_TICKET_N_STATES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, state_labels[state]);
}

/**
 * cd_ticket_state_label_for_code:
 * @code: (nullable): a state's code, such as `in_progress`
 *
 * Returns: the state's name in the user's language ("In progress"), or
 *   @code itself when it is not a state: an unknown code stays visible
 *   rather than vanish
 */
const char *
cd_ticket_state_label_for_code (const char *code)
{
  CdTicketState state;

  return cd_ticket_state_from_string (code, &state) ? cd_ticket_state_get_label (state) : code;
}

gboolean
cd_ticket_state_from_string (const char    *string,
                             CdTicketState *state)
{
  int i;

  if (!lookup_name (state_names, G_N_ELEMENTS (state_names), string, &i))
    return FALSE;
  *state = i;
  return TRUE;
}

/**
 * cd_ticket_state_is_open:
 * @state: a state
 *
 * Returns: whether a ticket in @state is still the contact center's concern
 *   (everything except the four final states; a resolved ticket waits for
 *   the resident's confirmation)
 */
gboolean
cd_ticket_state_is_open (CdTicketState state)
{
  return ((ACTIVE | S (RESOLVED)) & CD_STATE_BIT (state)) != 0;
}

const char *
cd_ticket_kind_to_string (CdTicketKind kind)
{
  g_return_val_if_fail (kind < CD_TICKET_N_KINDS, NULL);
  return kind_names[kind];
}

const char *
cd_ticket_kind_get_label (CdTicketKind kind)
{
  g_return_val_if_fail (kind < CD_TICKET_N_KINDS, NULL);
  return g_dgettext (GETTEXT_PACKAGE, kind_labels[kind]);
}

/**
 * cd_ticket_kind_label_for_code:
 * @code: (nullable): a kind's code, such as `emergency`
 *
 * Returns: the kind's name in the user's language, or @code itself when
 *   it is not a kind
 */
const char *
cd_ticket_kind_label_for_code (const char *code)
{
  CdTicketKind kind;

  return cd_ticket_kind_from_string (code, &kind) ? cd_ticket_kind_get_label (kind) : code;
}

gboolean
cd_ticket_kind_from_string (const char   *string,
                            CdTicketKind *kind)
{
  int i;

  if (!lookup_name (kind_names, G_N_ELEMENTS (kind_names), string, &i))
    return FALSE;
  *kind = i;
  return TRUE;
}

const char *
cd_role_to_string (CdRole role)
{
  g_return_val_if_fail (role < CD_N_ROLES, NULL);
  return role_names[role];
}

const char *
cd_role_get_label (CdRole role)
{
  g_return_val_if_fail (role < CD_N_ROLES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, role_labels[role]);
}

/**
 * cd_role_label_for_code:
 * @code: (nullable): a role's code, such as `qc`
 *
 * Returns: the role's name in the user's language, or @code itself when
 *   it is not a role
 */
const char *
cd_role_label_for_code (const char *code)
{
  CdRole role;

  return cd_role_from_string (code, &role) ? cd_role_get_label (role) : code;
}

gboolean
cd_role_from_string (const char *string,
                     CdRole     *role)
{
  int i;

  if (!lookup_name (role_names, G_N_ELEMENTS (role_names), string, &i))
    return FALSE;
  *role = i;
  return TRUE;
}

const char *
cd_action_to_string (CdAction action)
{
  g_return_val_if_fail (action < CD_N_ACTIONS, NULL);
  return action_names[action];
}

const char *
cd_action_get_label (CdAction action)
{
  g_return_val_if_fail (action < CD_N_ACTIONS, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "ticket action", action_labels[action]);
}

/**
 * cd_action_label_for_code:
 * @code: (nullable): an action's code, such as `close_unconfirmed`
 *
 * Returns: the action's name in the user's language, or @code itself when
 *   it is not an action
 */
const char *
cd_action_label_for_code (const char *code)
{
  CdAction action;

  return cd_action_from_string (code, &action) ? cd_action_get_label (action) : code;
}

/**
 * cd_channel_label_for_code:
 * @code: (nullable): a channel's code, such as `walk_in`
 *
 * Returns: the channel's name in the user's language ("In person"), or
 *   @code itself when it is not a channel
 */
const char *
cd_channel_label_for_code (const char *code)
{
  int i;

  if (!lookup_name (channels, G_N_ELEMENTS (channels), code, &i))
    return code;
  return g_dgettext (GETTEXT_PACKAGE, channel_labels[i]);
}

/**
 * cd_channel_get_all:
 * @n_channels: (out): the number of channels
 *
 * Returns: the codes of the channels a ticket may come by
 */
const char * const *
cd_channel_get_all (guint *n_channels)
{
  *n_channels = G_N_ELEMENTS (channels);
  return channels;
}

gboolean
cd_action_from_string (const char *string,
                       CdAction   *action)
{
  int i;

  if (!lookup_name (action_names, G_N_ELEMENTS (action_names), string, &i))
    return FALSE;
  *action = i;
  return TRUE;
}

/**
 * cd_dispatch_get_transitions:
 * @n_transitions: (out): the number of rows
 *
 * Returns: the transition table, one row per #CdAction in order
 */
const CdTransition *
cd_dispatch_get_transitions (guint *n_transitions)
{
  *n_transitions = G_N_ELEMENTS (transitions);
  return transitions;
}

const CdTransition *
cd_dispatch_get_transition (CdAction action)
{
  g_return_val_if_fail (action < CD_N_ACTIONS, NULL);
  return &transitions[action];
}

/**
 * cd_dispatch_executor_owns:
 * @org: (nullable): an executor organization
 * @ticket_executor: (nullable): the organization a ticket is assigned to
 *
 * The rule “an executor acts only for its own organization, on tickets
 * assigned to it”, which also bounds what it reads (cd-access.c): the one
 * place that says whose ticket it is.
 *
 * Returns: whether @org is the ticket's executor
 */
gboolean
cd_dispatch_executor_owns (const char *org,
                           const char *ticket_executor)
{
  return org != NULL && ticket_executor != NULL && g_str_equal (org, ticket_executor);
}

/**
 * cd_dispatch_actor_payload:
 * @role: the role taking an action
 * @org: (nullable): the actor's organization, from its account
 * @payload: (nullable): the action's details
 *
 * The details the event records: an executor acts for its organization,
 * which goes into the event (when the details do not name it already) so
 * that the table, and every replay, judges the event by it.
 *
 * Returns: (transfer full) (nullable): @payload with `org` when @role is
 *   the executor's and @org is known, else a new reference to @payload
 */
JsonObject *
cd_dispatch_actor_payload (CdRole      role,
                           const char *org,
                           JsonObject *payload)
{
  JsonObject *with_org;

  if (role != CD_ROLE_EXECUTOR || org == NULL ||
      (payload != NULL && json_object_has_member (payload, "org")))
    return payload != NULL ? json_object_ref (payload) : NULL;

  with_org = json_object_new ();
  if (payload != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, payload);
      while (json_object_iter_next (&iter, &member, &node))
        json_object_set_member (with_org, member, json_node_copy (node));
    }
  json_object_set_string_member (with_org, "org", org);
  return with_org;
}

/**
 * cd_dispatch_is_executor_side:
 * @action: an action
 * @role: the role that took it
 *
 * Whether an event shows that the executor works on the ticket, read from
 * the transition table: an action the executor's role may take that moves
 * the ticket along (accept, start, wait, resume, resolve), even when a
 * supervisor records it on the executor's behalf, or any other action the
 * executor's role may take when the executor took it (a progress note). A
 * supervisor's comment, escalation or reminder is not: it is what a stale
 * ticket gets, and must not make it look fresh (cd_monitor_is_stale()).
 *
 * Returns: whether @action taken by @role is on the executor's side
 */
gboolean
cd_dispatch_is_executor_side (CdAction action,
                              CdRole   role)
{
  const CdTransition *t;

  g_return_val_if_fail (action < CD_N_ACTIONS, FALSE);

  t = &transitions[action];
  if ((t->roles & R (EXECUTOR)) == 0)
    return FALSE;
  return t->to != CD_TICKET_STATE_SAME || role == CD_ROLE_EXECUTOR;
}

/**
 * cd_dispatch_hands_over:
 * @action: an action
 *
 * Whether @action leaves the ticket waiting for an executor to accept it
 * (register, assign, reopen): the executor's side starts afresh there,
 * since nothing could have come from it before.
 *
 * Returns: whether @action hands the ticket over to an executor
 */
gboolean
cd_dispatch_hands_over (CdAction action)
{
  CdTicketState to;

  g_return_val_if_fail (action < CD_N_ACTIONS, FALSE);

  to = transitions[action].to;
  return to == CD_TICKET_STATE_REGISTERED || to == CD_TICKET_STATE_ASSIGNED ||
         to == CD_TICKET_STATE_REOPENED;
}

/**
 * cd_dispatch_is_allowed:
 * @state: a ticket's state
 * @action: an action
 * @role: the role taking it
 *
 * The table alone, without the payload: what a UI uses to enable buttons.
 *
 * Returns: whether @role may take @action on a ticket in @state
 */
gboolean
cd_dispatch_is_allowed (CdTicketState state,
                        CdAction      action,
                        CdRole        role)
{
  const CdTransition *t;

  if (action >= CD_N_ACTIONS || role >= CD_N_ROLES || state >= CD_TICKET_N_STATES)
    return FALSE;
  t = &transitions[action];
  return (t->from & CD_STATE_BIT (state)) != 0 && (t->roles & CD_ROLE_BIT (role)) != 0;
}

static char *
join_bits (guint               bits,
           const char * const *names,
           guint               n_names)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n_names; i++)
    if (bits & (1u << i))
      {
        if (s->len > 0)
          g_string_append (s, ", ");
        g_string_append (s, names[i]);
      }
  return g_string_free (s, FALSE);
}

static const char *
ticket_name (const CdTicket *ticket)
{
  return ticket->number != NULL ? ticket->number : _("(not registered)");
}

static gboolean
missing (CdAction     action,
         const char  *field,
         GError     **error)
{
  g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD,
               _("Refused by the rule “%s needs %s”: it is missing."),
               action_names[action], field);
  return FALSE;
}

static gboolean
invalid (CdAction     action,
         const char  *field,
         const char  *why,
         GError     **error)
{
  g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
               _("Refused by the rule “%s needs a valid %s”: %s"),
               action_names[action], field, why);
  return FALSE;
}

static gboolean
check_coordinate (CdEvent     *payload,
                  const char  *member,
                  double       limit,
                  GError     **error)
{
  double value;

  if (!cd_event_has_member (payload, member))
    return TRUE;
  value = cd_event_get_double (payload, member, NAN);
  if (isnan (value))
    return invalid (CD_ACTION_REGISTER, member, _("it is not a number."), error);
  if (value < -limit || value > limit)
    return invalid (CD_ACTION_REGISTER, member, _("it is out of range."), error);
  return TRUE;
}

static gboolean
check_registration (CdEvent     *payload,
                    GError     **error)
{
  static const char *const required[] = { "number",   "kind",   "category",
                                          "district", "street", "building" };
  const CdCategory *category;
  CdTicketKind kind;
  const char *channel;
  int year, i;
  guint seq;

  for (i = 0; i < (int) G_N_ELEMENTS (required); i++)
    if (cd_event_get_string (payload, required[i]) == NULL)
      return missing (CD_ACTION_REGISTER, required[i], error);

  if (!cd_ticket_number_parse (cd_event_get_string (payload, "number"), &year, &seq))
    return invalid (CD_ACTION_REGISTER, "number", _("it is not YYYY-NNNNNN."), error);
  if (!cd_ticket_kind_from_string (cd_event_get_string (payload, "kind"), &kind))
    return invalid (CD_ACTION_REGISTER, "kind",
                    _("it is not emergency, routine, paid, complaint or information."), error);

  category = cd_category_lookup (cd_event_get_string (payload, "category"));
  if (category == NULL)
    return invalid (CD_ACTION_REGISTER, "category", _("the classifier has no such category."),
                    error);
  if (!cd_category_is_assignable (category))
    return invalid (CD_ACTION_REGISTER, "category",
                    _("it is a group; choose one of its categories."), error);

  channel = cd_event_get_string (payload, "channel");
  if (channel != NULL && !lookup_name (channels, G_N_ELEMENTS (channels), channel, &i))
    return invalid (CD_ACTION_REGISTER, "channel", _("it is not a known channel."), error);

  return check_coordinate (payload, "lat", 90.0, error) &&
         check_coordinate (payload, "lon", 180.0, error);
}

static gboolean
check_fields (const CdTransition  *t,
              CdEvent             *payload,
              GError             **error)
{
  gint64 value;
  int i;

  if (t->needs & CD_FIELD_REGISTRATION && !check_registration (payload, error))
    return FALSE;
  if (t->needs & CD_FIELD_EXECUTOR && cd_event_get_string (payload, "executor") == NULL)
    return missing (t->action, "executor", error);
  if (t->needs & CD_FIELD_NOTE && cd_event_get_string (payload, "note") == NULL)
    return missing (t->action, "note", error);
  if (t->needs & CD_FIELD_RELATION)
    {
      const char *relation = cd_event_get_string (payload, "relation");

      if (relation == NULL)
        return missing (t->action, "relation", error);
      if (!lookup_name (relations, G_N_ELEMENTS (relations), relation, &i))
        return invalid (t->action, "relation",
                        _("it is not repeat_of, duplicate_of, notice or incident."), error);
    }
  if (t->needs & CD_FIELD_TARGET && cd_event_get_string (payload, "target") == NULL)
    return missing (t->action, "target", error);
  if (t->needs & CD_FIELD_EXTENSION)
    {
      gboolean has_seconds = cd_event_lookup_int (payload, "seconds", &value);

      if (has_seconds && value <= 0)
        return invalid (t->action, "seconds", _("an extension must be positive."), error);
      if (cd_event_lookup_int (payload, "days", &value))
        {
          if (value <= 0 || value > 366)
            return invalid (t->action, "days", _("an extension is 1 to 366 days."), error);
        }
      else if (!has_seconds)
        return missing (t->action, "seconds or days", error);
    }

  if (cd_event_has_member (payload, "due") && !cd_event_lookup_int (payload, "due", &value))
    return invalid (t->action, "due", _("it is not Unix seconds."), error);

  return TRUE;
}

/**
 * cd_dispatch_check:
 * @ticket: the ticket as it is now
 * @action: the action
 * @role: the role taking it
 * @payload: (nullable): the action's details
 * @error: a #CD_DISPATCH_ERROR naming the rule that refused the action
 *
 * Checks, in this order: the roles allowed, for the executor role that
 * the ticket is with the actor's organization (the payload's `org`, see
 * cd_dispatch_actor_payload()), the state the action may start from, the
 * kinds of ticket it is for, then the fields it needs.
 *
 * Returns: whether the action is allowed
 */
gboolean
cd_dispatch_check (const CdTicket  *ticket,
                   CdAction         action,
                   CdRole           role,
                   JsonObject      *payload,
                   GError         **error)
{
  g_autoptr(CdEvent) event = NULL;

  g_return_val_if_fail (ticket != NULL, FALSE);

  event = cd_event_new (ticket->id != NULL ? ticket->id : "",
                        action < CD_N_ACTIONS ? action_names[action] : "",
                        NULL, role < CD_N_ROLES ? role_names[role] : "", 0, payload);
  return cd_dispatch_check_event (ticket, action, role, event, error);
}

/**
 * cd_dispatch_check_event:
 * @ticket: the ticket as it is now
 * @action: the action
 * @role: the role taking it
 * @event: the event that takes the action, for its payload
 * @error: a #CD_DISPATCH_ERROR naming the rule that refused the action
 *
 * cd_dispatch_check() for an event already made, as cd_ticket_apply()
 * has.
 *
 * Returns: whether the action is allowed
 */
gboolean
cd_dispatch_check_event (const CdTicket  *ticket,
                         CdAction         action,
                         CdRole           role,
                         CdEvent         *event,
                         GError         **error)
{
  const CdTransition *t;

  g_return_val_if_fail (ticket != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (action >= CD_N_ACTIONS)
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_UNKNOWN_ACTION,
                   _("There is no action number %d."), (int) action);
      return FALSE;
    }
  if (role >= CD_N_ROLES)
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_UNKNOWN_ROLE,
                   _("There is no role number %d."), (int) role);
      return FALSE;
    }

  t = &transitions[action];

  /* Who before when: a role that may never take this action is told so
   * (403 on the server), whatever state the ticket happens to be in. */
  if ((t->roles & CD_ROLE_BIT (role)) == 0)
    {
      g_autofree char *roles = join_bits (t->roles, role_names, CD_N_ROLES);

      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
                   _("Refused by the rule “%s only by %s”: the role %s may not do it."),
                   action_names[action], roles, role_names[role]);
      return FALSE;
    }

  /* Who before when, as for the role: an executor of another organization
   * learns nothing of the ticket's state. The organization is part of the
   * event, so that a replay judges it the same way. */
  if (role == CD_ROLE_EXECUTOR && ticket->state != CD_TICKET_STATE_NEW)
    {
      const char *org = cd_event_get_string (event, "org");

      if (org == NULL)
        return missing (action, "org (the executor's organization)", error);
      if (!cd_dispatch_executor_owns (org, ticket->executor))
        {
          g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_ORGANIZATION,
                       _("Refused by the rule “an executor acts only on its organization’s "
                         "tickets”: ticket %s is with %s, not with %s."),
                       ticket_name (ticket),
                       ticket->executor != NULL ? ticket->executor : _("no executor"), org);
          return FALSE;
        }
    }

  if ((t->from & CD_STATE_BIT (ticket->state)) == 0)
    {
      g_autofree char *from = join_bits (t->from, state_names, CD_TICKET_N_STATES);

      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE,
                   _("Refused by the rule “%s only from %s”: ticket %s is %s."),
                   action_names[action], from, ticket_name (ticket), state_names[ticket->state]);
      return FALSE;
    }

  if (t->kinds != 0 && ticket->state != CD_TICKET_STATE_NEW &&
      (t->kinds & (1u << ticket->kind)) == 0)
    {
      g_autofree char *kinds = join_bits (t->kinds, kind_names, CD_TICKET_N_KINDS);

      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_KIND,
                   _("Refused by the rule “%s only for %s”: ticket %s is %s."),
                   action_names[action], kinds, ticket_name (ticket), kind_names[ticket->kind]);
      return FALSE;
    }

  return check_fields (t, event, error);
}
