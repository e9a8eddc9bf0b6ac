// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-dispatch.c: the ticket state machine and its transition table */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include <math.h>

#include "cd-access.h"
#include "cd-category.h"
#include "cd-event.h"
#include "cd-dispatch.h"
#include "cd-ticket.h"

#define S(x) CD_STATE_BIT (CD_TICKET_STATE_##x)
#define R(x) CD_ROLE_BIT (CD_ROLE_##x)

/* Where work is still owed to the resident. */
#define ACTIVE \
  (S (REGISTERED) | S (ASSIGNED) | S (ACCEPTED) | S (IN_PROGRESS) | S (WAITING) | S (REOPENED))
/* Every state a registered ticket can be in. */
#define ANY \
  (ACTIVE | S (RESOLVED) | S (CLOSED) | S (CLOSED_UNCONFIRMED) | S (REFUSED) | S (CANCELLED))
#define COMPLAINT (1u << CD_TICKET_KIND_COMPLAINT)
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
    CD_TICKET_STATE_REFUSED, CD_FIELD_NOTE, COMPLAINT },
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
  /* A nudge to the executor that owes the work: counted on the ticket, so
   * that the list shows who was reminded, and never a sign of progress. */
  { CD_ACTION_REMIND, ACTIVE & ~S (REGISTERED),
    R (OPERATOR) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_SAME, CD_FIELD_NOTE, 0 },
  /* A call to the resident after the work: where it leads depends on the
   * outcome (cd_dispatch_callback_state()), so the table says "same". */
  { CD_ACTION_CALLBACK, S (RESOLVED),
    R (FEEDBACK) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_SAME, CD_FIELD_OUTCOME, 0 },
  /* A complaint's life (docs/complaints.md): QC and supervisors decide.
   * Classifying names the person responsible, and so hands it over. */
  { CD_ACTION_CLASSIFY, S (REGISTERED) | S (ASSIGNED) | S (REOPENED),
    R (QC) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_ASSIGNED, CD_FIELD_CLASSIFICATION, COMPLAINT },
  /* Only a classified complaint is answered: from assigned on. */
  { CD_ACTION_ANSWER, S (ASSIGNED) | S (ACCEPTED) | S (IN_PROGRESS),
    R (QC) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_RESOLVED, CD_FIELD_ANSWER | CD_FIELD_NOTE, COMPLAINT },
  /* A systemic proposal may follow the answer, on its own clock. */
  { CD_ACTION_PROPOSE, ANY & ~S (CANCELLED),
    R (QC) | R (SUPERVISOR) | R (ADMIN),
    CD_TICKET_STATE_SAME, CD_FIELD_NOTE, COMPLAINT },
};

G_STATIC_ASSERT (G_N_ELEMENTS (transitions) == CD_N_ACTIONS);

/* incident: the first ticket of the mass incident this one belongs to;
 * about: the ticket or call a complaint is about. */
static const char * const relations[] = {
  "repeat_of", "duplicate_of", "notice", "incident", "about", NULL
};

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
 * cd_dispatch_callback_state:
 * @outcome: a callback's outcome
 * @last: whether it was the feedback policy's last attempt
 *
 * Returns: the state a resolved ticket goes to: closed when the resident
 *   confirms, reopened when the work is not (or partly) done,
 *   closed_unconfirmed when the resident refuses or the last attempt
 *   reached nobody, else %CD_TICKET_STATE_SAME (another attempt follows)
 */
CdTicketState
cd_dispatch_callback_state (CdFeedbackOutcome outcome,
                            gboolean          last)
{
  if (outcome == CD_FEEDBACK_CONFIRMED)
    return CD_TICKET_STATE_CLOSED;
  if (cd_feedback_outcome_reopens (outcome))
    return CD_TICKET_STATE_REOPENED;
  if (outcome == CD_FEEDBACK_REFUSED || last)
    return CD_TICKET_STATE_CLOSED_UNCONFIRMED;
  return CD_TICKET_STATE_SAME;
}

/**
 * cd_dispatch_effective_action:
 * @action: an event's action
 * @event: the event, for a callback's outcome and `last`
 *
 * What a `callback` amounts to for the rest of the core (the SLA engine's
 * clocks start and stop on these): `close`, `reopen`, `close_unconfirmed`,
 * or `comment` when the ticket stays resolved. Any other action is itself.
 *
 * Returns: the action
 */
CdAction
cd_dispatch_effective_action (CdAction  action,
                              CdEvent  *event)
{
  CdFeedbackOutcome outcome;
  JsonObject *data;
  gboolean last;

  if (action != CD_ACTION_CALLBACK)
    return action;
  if (!cd_feedback_outcome_from_string (cd_event_get_string (event, "outcome"), &outcome))
    return CD_ACTION_COMMENT;
  data = cd_event_get_data (event, NULL);
  last = data != NULL && json_object_get_boolean_member_with_default (data, "last", FALSE);
  switch ((int) cd_dispatch_callback_state (outcome, last))
    {
    case CD_TICKET_STATE_CLOSED:
      return CD_ACTION_CLOSE;
    case CD_TICKET_STATE_REOPENED:
      return CD_ACTION_REOPEN;
    case CD_TICKET_STATE_CLOSED_UNCONFIRMED:
      return CD_ACTION_CLOSE_UNCONFIRMED;
    default:
      return CD_ACTION_COMMENT;
    }
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

static const char *
state_code (guint i)
{
  return cd_ticket_state_to_string (i);
}

static const char *
kind_code (guint i)
{
  return cd_ticket_kind_to_string (i);
}

static const char *
role_code (guint i)
{
  return cd_role_to_string (i);
}

static char *
join_bits (guint         bits,
           const char *(*code) (guint i),
           guint         n_codes)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n_codes; i++)
    if (bits & (1u << i))
      {
        if (s->len > 0)
          g_string_append (s, ", ");
        g_string_append (s, code (i));
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
               cd_action_to_string (action), field);
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
               cd_action_to_string (action), field, why);
  return FALSE;
}

static gboolean
is_channel (const char *code)
{
  guint n;
  const char * const *channels = cd_channel_get_all (&n);

  for (guint i = 0; i < n; i++)
    if (strcmp (channels[i], code) == 0)
      return TRUE;
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
  static const char * const required[] = { "number", "kind", "category",
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
  if (channel != NULL && !is_channel (channel))
    return invalid (CD_ACTION_REGISTER, "channel", _("it is not a known channel."), error);

  return check_coordinate (payload, "lat", 90.0, error) &&
         check_coordinate (payload, "lon", 180.0, error);
}

static gboolean
check_outcome (CdEvent  *payload,
               GError  **error)
{
  CdFeedbackOutcome outcome;
  const char *text = cd_event_get_string (payload, "outcome");
  JsonObject *data;
  gint64 value;

  if (text == NULL)
    return missing (CD_ACTION_CALLBACK, "outcome", error);
  if (!cd_feedback_outcome_from_string (text, &outcome))
    return invalid (CD_ACTION_CALLBACK, "outcome",
                    _("it is not confirmed, not_fixed, partly_fixed, no_answer, busy, "
                      "wrong_number or refused."), error);
  if (cd_event_has_member (payload, "rating") &&
      (!cd_event_lookup_int (payload, "rating", &value) || value < 1 ||
       value > CD_FEEDBACK_RATING_MAX))
    return invalid (CD_ACTION_CALLBACK, "rating", _("a rating is a whole number 1 to 5."),
                    error);
  if (outcome == CD_FEEDBACK_PARTLY_FIXED && cd_event_get_string (payload, "note") == NULL)
    return missing (CD_ACTION_CALLBACK, "note (what is left to do, for partly_fixed)", error);
  if (cd_event_has_member (payload, "attempt") &&
      (!cd_event_lookup_int (payload, "attempt", &value) || value < 1))
    return invalid (CD_ACTION_CALLBACK, "attempt", _("it is not a number from 1."), error);
  data = cd_event_get_data (payload, NULL);
  if (data != NULL && json_object_has_member (data, "last") &&
      json_node_get_value_type (json_object_get_member (data, "last")) != G_TYPE_BOOLEAN)
    return invalid (CD_ACTION_CALLBACK, "last", _("it is not true or false."), error);
  return TRUE;
}

/* The words a complaint's fields take (docs/complaints.md). */
static const char * const complaint_classes[] = { "A", "B", "C", NULL };
static const char * const complaint_decisions[] = {
  "upheld", "partly_upheld", "refused", NULL
};
static const char * const complaint_favours[] = { "resident", "organization", NULL };

static gboolean
check_word (CdAction             action,
            CdEvent             *payload,
            const char          *field,
            const char * const  *words,
            const char          *expected,
            GError             **error)
{
  const char *text = cd_event_get_string (payload, field);

  if (text == NULL)
    return missing (action, field, error);
  if (!g_strv_contains (words, text))
    return invalid (action, field, expected, error);
  return TRUE;
}

static gboolean
check_classification (CdEvent  *payload,
                      GError  **error)
{
  if (!check_word (CD_ACTION_CLASSIFY, payload, "class", complaint_classes,
                   _("it is not A, B or C."), error))
    return FALSE;
  if (cd_event_get_string (payload, "responsible") == NULL)
    return missing (CD_ACTION_CLASSIFY, "responsible", error);
  return TRUE;
}

static gboolean
check_answer (CdEvent  *payload,
              GError  **error)
{
  if (!check_word (CD_ACTION_ANSWER, payload, "decision", complaint_decisions,
                   _("it is not upheld, partly_upheld or refused."), error) ||
      !check_word (CD_ACTION_ANSWER, payload, "favour", complaint_favours,
                   _("it is not resident or organization."), error))
    return FALSE;
  if (g_str_equal (cd_event_get_string (payload, "decision"), "refused") &&
      cd_event_get_string (payload, "reasons") == NULL)
    {
      g_set_error_literal (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD,
                           _("Refused by the rule “a refusal carries its reasons”: "
                             "reasons is missing."));
      return FALSE;
    }
  /* The store fills in the organization's notice (cd_store_fill_appeal());
   * this refuses a refusal that still has none, whatever route made it. */
  if (g_str_equal (cd_event_get_string (payload, "decision"), "refused") &&
      cd_event_get_string (payload, "appeal") == NULL)
    {
      g_set_error_literal (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD,
                           _("Refused by the rule “a refusal carries the notice of the right "
                             "to appeal”: appeal is missing."));
      return FALSE;
    }
  return TRUE;
}

/* A systemic proposal for a group (docs/complaints.md) names who carries
 * it out and by when, an ISO 8601 date-time. */
static gboolean
check_proposal (CdEvent  *payload,
                GError  **error)
{
  const char *due = cd_event_get_string (payload, "due");
  const char *group = cd_event_get_string (payload, "group");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;

  if (cd_event_has_member (payload, "due") &&
      (due == NULL || (time = g_date_time_new_from_iso8601 (due, utc)) == NULL))
    return invalid (CD_ACTION_PROPOSE, "due", _("it is not an ISO 8601 date-time."), error);
  if (group != NULL && (strchr (group, ':') == NULL || group[0] == ':'))
    return invalid (CD_ACTION_PROPOSE, "group", _("it is not GROUPING:VALUE."), error);
  return TRUE;
}

static gboolean
check_fields (const CdTransition  *t,
              CdEvent             *payload,
              GError             **error)
{
  gint64 value;

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
      if (!g_strv_contains (relations, relation))
        return invalid (t->action, "relation",
                        _("it is not repeat_of, duplicate_of, notice, incident or about."),
                        error);
    }
  if (t->needs & CD_FIELD_TARGET && cd_event_get_string (payload, "target") == NULL)
    return missing (t->action, "target", error);
  if (t->needs & CD_FIELD_OUTCOME && !check_outcome (payload, error))
    return FALSE;
  if (t->needs & CD_FIELD_CLASSIFICATION && !check_classification (payload, error))
    return FALSE;
  if (t->needs & CD_FIELD_ANSWER && !check_answer (payload, error))
    return FALSE;
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

  if (t->action == CD_ACTION_PROPOSE && !check_proposal (payload, error))
    return FALSE;
  if (t->action != CD_ACTION_PROPOSE && cd_event_has_member (payload, "due") &&
      !cd_event_lookup_int (payload, "due", &value))
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
                        action < CD_N_ACTIONS ? cd_action_to_string (action) : "",
                        NULL, role < CD_N_ROLES ? cd_role_to_string (role) : "", 0, payload);
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
      g_autofree char *roles = join_bits (t->roles, role_code, CD_N_ROLES);

      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
                   _("Refused by the rule “%s only by %s”: the role %s may not do it."),
                   cd_action_to_string (action), roles, cd_role_to_string (role));
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
      if (!cd_access_executor_owns (org, ticket->executor))
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
      g_autofree char *from = join_bits (t->from, state_code, CD_TICKET_N_STATES);

      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE,
                   _("Refused by the rule “%s only from %s”: ticket %s is %s."),
                   cd_action_to_string (action), from, ticket_name (ticket),
                   cd_ticket_state_to_string (ticket->state));
      return FALSE;
    }

  if (t->kinds != 0 && ticket->state != CD_TICKET_STATE_NEW &&
      (t->kinds & (1u << ticket->kind)) == 0)
    {
      g_autofree char *kinds = join_bits (t->kinds, kind_code, CD_TICKET_N_KINDS);

      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_KIND,
                   _("Refused by the rule “%s only for %s”: ticket %s is %s."),
                   cd_action_to_string (action), kinds, ticket_name (ticket),
                   cd_ticket_kind_to_string (ticket->kind));
      return FALSE;
    }

  return check_fields (t, event, error);
}

/* The projection: a ticket is what the table makes of its events, in
 * order. */

static void
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static void
apply_register (CdTicket *self,
                CdEvent  *event)
{
  set_string (&self->id, event->entity);
  set_string (&self->number, cd_event_get_string (event, "number"));
  cd_ticket_kind_from_string (cd_event_get_string (event, "kind"), &self->kind);
  set_string (&self->category, cd_event_get_string (event, "category"));
  set_string (&self->channel, cd_event_get_string (event, "channel"));
  if (self->channel == NULL)
    self->channel = g_strdup ("phone");
  set_string (&self->district, cd_event_get_string (event, "district"));
  set_string (&self->street, cd_event_get_string (event, "street"));
  set_string (&self->building, cd_event_get_string (event, "building"));
  set_string (&self->flat, cd_event_get_string (event, "flat"));
  set_string (&self->resident_name, cd_event_get_string (event, "name"));
  set_string (&self->resident_phone, cd_event_get_string (event, "phone"));
  set_string (&self->description, cd_event_get_string (event, "description"));
  set_string (&self->policy, cd_event_get_string (event, "policy"));

  self->has_location = cd_event_has_member (event, "lat") && cd_event_has_member (event, "lon");
  if (self->has_location)
    {
      self->lat = cd_event_get_double (event, "lat", 0);
      self->lon = cd_event_get_double (event, "lon", 0);
    }
  self->created_at = event->time;
}

/**
 * cd_ticket_apply:
 * @self: the ticket as its earlier events left it
 * @event: its next event
 * @error: a #CD_DISPATCH_ERROR naming the rule that refused the event
 *
 * The one projection of the dispatch core. It checks @event against the
 * transition table (cd_dispatch_check()) and only then changes @self, so
 * that a refused event leaves @self exactly as it was.
 *
 * Returns: whether @event was applied
 */
gboolean
cd_ticket_apply (CdTicket  *self,
                 CdEvent   *event,
                 GError   **error)
{
  const CdTransition *t;
  CdAction action;
  CdRole role;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (!cd_action_from_string (event->type, &action))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_UNKNOWN_ACTION,
                   _("“%s” is not an action of the transition table."), event->type);
      return FALSE;
    }
  if (!cd_role_from_string (event->role, &role))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_UNKNOWN_ROLE,
                   _("“%s” is not a role (operator, supervisor, qc, feedback, executor, admin)."),
                   event->role);
      return FALSE;
    }
  if (self->state != CD_TICKET_STATE_NEW && g_strcmp0 (self->id, event->entity) != 0)
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_TICKET,
                   _("Event %" PRId64 " belongs to %s, not to ticket %s."),
                   event->seq, event->entity, self->number);
      return FALSE;
    }
  if (!cd_event_check_payload (event, error) ||
      !cd_dispatch_check_event (self, action, role, event, error))
    return FALSE;

  /* Nothing below may fail. */
  t = cd_dispatch_get_transition (action);
  switch (action)
    {
    case CD_ACTION_REGISTER:
      apply_register (self, event);
      break;

    case CD_ACTION_ASSIGN:
      set_string (&self->executor, cd_event_get_string (event, "executor"));
      self->assigned_at = event->time;
      self->accepted_at = 0;
      break;

    case CD_ACTION_ACCEPT:
      self->accepted_at = event->time;
      break;

    case CD_ACTION_WAIT:
      self->resume_state = self->state;
      break;

    case CD_ACTION_RESOLVE:
      self->resolved_at = event->time;
      break;

    case CD_ACTION_REOPEN:
      /* Counted against the executor that resolved it. */
      self->reopen_count++;
      self->resolved_at = 0;
      self->closed_at = 0;
      break;

    case CD_ACTION_CLOSE:
    case CD_ACTION_CLOSE_UNCONFIRMED:
    case CD_ACTION_REFUSE:
    case CD_ACTION_CANCEL:
      self->closed_at = event->time;
      break;

    case CD_ACTION_ESCALATE:
      self->escalations++;
      break;

    case CD_ACTION_EXTEND:
      self->extensions++;
      break;

    case CD_ACTION_REMIND:
      self->reminders++;
      break;

    case CD_ACTION_LINK:
      {
        const char *relation = cd_event_get_string (event, "relation");
        const char *target = cd_event_get_string (event, "target");

        if (g_str_equal (relation, "repeat_of"))
          set_string (&self->repeat_of, target);
        else if (g_str_equal (relation, "duplicate_of"))
          set_string (&self->duplicate_of, target);
        else if (g_str_equal (relation, "incident"))
          set_string (&self->incident, target);
        else if (g_str_equal (relation, "notice"))
          set_string (&self->notice, target);
        /* about: read from the history, as the complaint's journal does. */
      }
      break;

    case CD_ACTION_CALLBACK:
      switch (cd_dispatch_effective_action (action, event))
        {
        case CD_ACTION_REOPEN:
          /* Back to the same executor, counted against it. */
          self->reopen_count++;
          self->resolved_at = 0;
          self->closed_at = 0;
          break;
        case CD_ACTION_CLOSE:
        case CD_ACTION_CLOSE_UNCONFIRMED:
          self->closed_at = event->time;
          break;
        default:
          break;
        }
      break;

    case CD_ACTION_ANSWER:
      self->resolved_at = event->time;
      break;

    case CD_ACTION_CLASSIFY:
      self->assigned_at = event->time;
      break;

    case CD_ACTION_START:
    case CD_ACTION_RESUME:
    case CD_ACTION_COMMENT:
    case CD_ACTION_PROPOSE:
    case CD_N_ACTIONS:
    default:
      break;
    }

  /* `resume` goes back to where `wait` left the ticket, not always to
   * in_progress: an accepted ticket that waited for access is still only
   * accepted. */
  if (action == CD_ACTION_RESUME)
    self->state = self->resume_state;
  else if (action == CD_ACTION_CALLBACK)
    {
      CdAction effective = cd_dispatch_effective_action (action, event);

      if (effective != CD_ACTION_COMMENT)
        self->state = transitions[effective].to;
    }
  else if (t->to != CD_TICKET_STATE_SAME)
    self->state = t->to;
  self->updated_at = event->time;
  if (cd_dispatch_is_executor_side (action, role) ||
      cd_dispatch_hands_over (cd_dispatch_effective_action (action, event)))
    self->executor_at = event->time;
  self->last_seq = event->seq;

  if (self->history != NULL)
    {
      CdSlaEvent e = { 0 };

      e.type = cd_action_to_string (cd_dispatch_effective_action (action, event));
      e.time = event->time;
      e.state = cd_ticket_state_to_string (self->state);
      if (action == CD_ACTION_EXTEND)
        {
          e.target = g_intern_string (cd_event_get_string (event, "target"));
          e.extend_seconds = cd_event_get_int (event, "seconds", 0);
          e.extend_days = (guint) cd_event_get_int (event, "days", 0);
        }
      g_array_append_val (self->history, e);
    }
  return TRUE;
}

/**
 * cd_ticket_new_from_events:
 * @events: (array length=n_events): a ticket's events, in order
 * @n_events: their number
 * @error: the first refusal
 *
 * Returns: (transfer full): the projection, or %NULL with @error set
 */
CdTicket *
cd_ticket_new_from_events (CdEvent * const *events,
                           guint            n_events,
                           GError         **error)
{
  g_autoptr(CdTicket) ticket = cd_ticket_new ();

  for (guint i = 0; i < n_events; i++)
    if (!cd_ticket_apply (ticket, events[i], error))
      return NULL;
  return g_steal_pointer (&ticket);
}

/**
 * cd_ticket_to_sla_events:
 * @events: (array length=n_events): one ticket's events, in order
 * @n_events: their number
 * @n_sla_events: (out): the length of the result
 *
 * What the SLA engine consumes: for each event that applies, its type, time,
 * the ticket's state after it and, for `extend`, the target and the
 * extension. Events the transition table refuses are left out. The strings
 * point into @events (and into static storage for the state), so keep
 * @events alive while the result is used.
 *
 * Returns: (transfer container) (array length=n_sla_events): free with
 *   g_free()
 */
CdSlaEvent *
cd_ticket_to_sla_events (CdEvent * const *events,
                         guint            n_events,
                         guint           *n_sla_events)
{
  g_autoptr(CdTicket) ticket = cd_ticket_new ();
  CdSlaEvent *out = g_new0 (CdSlaEvent, n_events + 1);
  guint n = 0;

  for (guint i = 0; i < n_events; i++)
    {
      CdEvent *event = events[i];

      if (!cd_ticket_apply (ticket, event, NULL))
        continue;

      out[n].type = g_str_equal (event->type, "callback")
                    ? cd_action_to_string (cd_dispatch_effective_action (CD_ACTION_CALLBACK,
                                                                         event))
                    : event->type;
      out[n].time = event->time;
      out[n].state = cd_ticket_state_to_string (ticket->state);
      if (g_str_equal (event->type, "extend"))
        {
          out[n].target = cd_event_get_string (event, "target");
          out[n].extend_seconds = cd_event_get_int (event, "seconds", 0);
          out[n].extend_days = (guint) cd_event_get_int (event, "days", 0);
        }
      n++;
    }

  *n_sla_events = n;
  return out;
}
