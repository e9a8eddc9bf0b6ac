// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-missed-call.c: a lost caller to call back, and the callbacks made */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-missed-call.h"
#include "cd-personal.h"

/**
 * cd_call_outcome_is_missed:
 * @outcome: how a call ended
 *
 * A call is missed when the caller wanted an operator and none answered:
 * they hung up (abandoned), the queue's time limit sent them out
 * (timeout), no operator was logged in (exit_empty), or they gave up by
 * pressing a key (exit_key: Asterisk's menus often mean "call me back" by
 * it). A call withdrawn by the PBX was sent elsewhere on purpose, and an
 * interrupted one was cut by a restart or lost from the log: neither says
 * the caller went without an answer.
 *
 * Returns: whether a call that ended so is to be called back
 */
gboolean
cd_call_outcome_is_missed (CdCallOutcome outcome)
{
  return outcome == CD_CALL_ABANDONED || outcome == CD_CALL_TIMEOUT ||
         outcome == CD_CALL_EXIT_EMPTY || outcome == CD_CALL_EXIT_KEY;
}

/**
 * cd_call_is_missed:
 * @call: an ended call
 *
 * Returns: whether @call is a missed call to call back: its outcome is
 *   one of cd_call_outcome_is_missed() and its caller's number is known
 */
gboolean
cd_call_is_missed (const CdCall *call)
{
  return cd_call_outcome_is_missed (call->outcome) && call->caller != NULL &&
         call->caller[0] != '\0';
}

static const char * const callback_outcomes[] = {
  "reached", "no_answer", "busy", "wrong_number",
};

G_STATIC_ASSERT (G_N_ELEMENTS (callback_outcomes) == CD_N_CALLBACK_OUTCOMES);

const char *
cd_callback_outcome_to_string (CdCallbackOutcome outcome)
{
  g_return_val_if_fail (outcome < CD_N_CALLBACK_OUTCOMES, NULL);
  return callback_outcomes[outcome];
}

gboolean
cd_callback_outcome_from_string (const char        *text,
                                 CdCallbackOutcome *outcome)
{
  for (guint i = 0; i < CD_N_CALLBACK_OUTCOMES; i++)
    if (g_strcmp0 (text, callback_outcomes[i]) == 0)
      {
        *outcome = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cd_callback_outcome_ends:
 * @outcome: a callback's outcome
 *
 * Returns: whether a callback so ends the missed call: reached the caller,
 *   or found the number wrong; no answer and busy leave it waiting
 */
gboolean
cd_callback_outcome_ends (CdCallbackOutcome outcome)
{
  return outcome == CD_CALLBACK_REACHED || outcome == CD_CALLBACK_WRONG_NUMBER;
}

/**
 * cd_callback_role_may:
 * @role: (nullable): a role
 *
 * Calling back takes the caller's number: only the roles that see it
 * unmasked (cd_personal_role_sees()) record callbacks.
 *
 * Returns: whether @role may record a callback
 */
gboolean
cd_callback_role_may (const char *role)
{
  return cd_personal_role_sees (role);
}

/**
 * cd_callback_to_payload:
 * @outcome: the callback's outcome
 *
 * The `callback` event's details: `{"outcome":"reached"}`. Who called
 * back, in which role and when are the event's actor, role and time.
 *
 * Returns: (transfer full): the payload
 */
JsonObject *
cd_callback_to_payload (CdCallbackOutcome outcome)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "outcome", cd_callback_outcome_to_string (outcome));
  return object;
}

const char *
cd_missed_state_to_string (CdMissedState state)
{
  static const char * const names[] = { "waiting", "called_back", "wrong_number", "closed" };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), NULL);
  return names[state];
}

CdMissedCall *
cd_missed_call_new (void)
{
  return g_new0 (CdMissedCall, 1);
}

void
cd_missed_call_free (CdMissedCall *self)
{
  if (self == NULL)
    return;
  g_free (self->call);
  g_free (self->queue);
  g_free (self->caller);
  g_free (self->done_by);
  g_free (self->done_role);
  g_free (self->closed_by);
  g_free (self);
}

/**
 * cd_missed_call_judge:
 * @self: a missed call, its state and @done_at filled in
 * @policy: the policy CD_MISSED_CALL_POLICY
 * @calendars: (element-type utf8 CdSlaCalendar): the calendars by id
 * @now: the evaluation's instant
 * @error: a #CD_SLA_ERROR, or %G_IO_ERROR_NOT_FOUND when @policy has no
 *   target CD_MISSED_CALL_TARGET
 *
 * Runs the policy's callback clock as the SLA engine runs a ticket's: the
 * call's end starts it (`register`), a callback that reached the caller
 * stops it (`resolve`, met or late), and a wrong number or a later
 * answered call ends it (`cancel`: stopped, or breached when past due).
 * Fills in @due, @clock and @late.
 *
 * Returns: whether the clock was evaluated
 */
gboolean
cd_missed_call_judge (CdMissedCall  *self,
                      CdSlaPolicy   *policy,
                      GHashTable    *calendars,
                      gint64         now,
                      GError       **error)
{
  g_autoptr(CdSlaClocks) clocks = NULL;
  CdSlaEvent events[2] = { { 0 } };
  const CdSlaCycle *cycle;
  gsize n_events = 1;
  int target;

  if ((target = cd_sla_policy_find_target (policy, CD_MISSED_CALL_TARGET)) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The SLA policy “%s” has no target “%s”."), cd_sla_policy_get_id (policy),
                   CD_MISSED_CALL_TARGET);
      return FALSE;
    }
  events[0].type = "register";
  events[0].time = self->missed_at;
  if (self->state != CD_MISSED_WAITING)
    {
      events[1].type = self->state == CD_MISSED_CALLED_BACK ? "resolve" : "cancel";
      events[1].time = MAX (self->done_at, self->missed_at);
      n_events = 2;
    }
  if ((clocks = cd_sla_clock_evaluate (policy, calendars, events, n_events,
                                       MAX (now, events[n_events - 1].time), NULL,
                                       error)) == NULL)
    return FALSE;
  cycle = cd_sla_clocks_get_cycle (clocks, target, 0);
  self->due = cycle->due;
  self->clock = cycle->state;
  self->late = cycle->state == CD_SLA_CLOCK_BREACHED;
  return TRUE;
}

/**
 * cd_missed_call_to_json:
 * @self: a missed call, judged at @now
 * @now: when it was judged
 * @zone: the clock to show times on
 *
 * One missed call as `citydeskctl calls missed --json` prints it and
 * `GET /api/v1/calls/missed` answers it (docs/calls.md). The caller's
 * number is as @self holds it: masking it for a role is the reader's.
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
cd_missed_call_to_json (const CdMissedCall *self,
                        gint64              now,
                        GTimeZone          *zone)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "call", self->call);
  json_object_set_string_member (object, "queue", self->queue);
  json_object_set_string_member (object, "caller", self->caller);
  json_object_set_string_member (object, "outcome", cd_call_outcome_to_string (self->outcome));
  cd_call_json_set_time (object, "missed_at", self->missed_at, zone);
  json_object_set_int_member (object, "attempts", self->attempts);
  json_object_set_string_member (object, "state", cd_missed_state_to_string (self->state));
  if (self->due != CD_SLA_NEVER)
    {
      cd_call_json_set_time (object, "due", self->due, zone);
      if (self->state == CD_MISSED_WAITING)
        json_object_set_int_member (object, "left_seconds", self->due - now);
    }
  json_object_set_string_member (object, "clock", cd_sla_clock_state_to_string (self->clock));
  json_object_set_boolean_member (object, "late", self->late);
  if (self->done_at != 0)
    cd_call_json_set_time (object, "done_at", self->done_at, zone);
  if (self->done_by != NULL)
    {
      json_object_set_string_member (object, "called_back_by", self->done_by);
      json_object_set_string_member (object, "role", self->done_role);
    }
  if (self->closed_by != NULL)
    json_object_set_string_member (object, "closed_by", self->closed_by);
  return object;
}
