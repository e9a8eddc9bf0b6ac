// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-vocabulary.c: the codes of the dispatch core and their names */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-vocabulary.h"

G_DEFINE_QUARK (cd-dispatch-error-quark, cd_dispatch_error)

#define S(x) CD_STATE_BIT (CD_TICKET_STATE_##x)

/* Where the contact center still owes the resident something: a resolved
 * ticket waits for the resident's confirmation. */
#define OPEN \
  (S (REGISTERED) | S (ASSIGNED) | S (ACCEPTED) | S (IN_PROGRESS) | S (WAITING) | S (REOPENED) | \
   S (RESOLVED))

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
  "extend", "comment", "link", "remind", "callback",
  "classify", "answer", "propose",
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
  NC_("ticket action", "Remind the executor"),
  NC_("ticket action", "Record a callback"),
  NC_("ticket action", "Classify"), NC_("ticket action", "Answer"),
  NC_("ticket action", "Propose a systemic measure"),
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
  return (OPEN & CD_STATE_BIT (state)) != 0;
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
