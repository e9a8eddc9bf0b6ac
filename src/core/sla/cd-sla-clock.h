// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-clock.h: the clocks of a ticket, evaluated from its events
 *
 * cd_sla_clock_evaluate() is a pure function of (policy, calendars, the
 * ticket's events, now): it replays the events, derives the cycles of each
 * target and their pauses, and judges each cycle. See docs/sla-policy.md
 * for the rules, to the second.
 */

#pragma once

#include "cd-sla-policy.h"

G_BEGIN_DECLS

/**
 * CdSlaEvent:
 * @type: the dispatch action: register, assign, accept, start, wait,
 *   resume, resolve, reopen, close, close_unconfirmed, refuse, cancel,
 *   escalate, extend, comment or link
 * @time: when it happened (Unix seconds)
 * @state: (nullable): the ticket state after the event, or %NULL for
 *   cd_sla_action_default_state()
 * @target: (nullable): for `extend`, the name of the target to extend
 * @extend_seconds: for `extend`, the working seconds requested
 * @extend_days: for `extend`, the days requested
 *
 * One event of a ticket, as the dispatch core records it. Events are
 * passed in time order.
 */
typedef struct
{
  const char *type;
  gint64      time;
  const char *state;
  const char *target;
  gint64      extend_seconds;
  guint       extend_days;
} CdSlaEvent;

/**
 * CdSlaEventList:
 * @events: (array length=n_events): the events
 * @n_events: how many
 *
 * Events read from JSON with cd_sla_event_list_new_from_json(); the list
 * owns the strings its events point to.
 */
typedef struct
{
  CdSlaEvent *events;
  gsize       n_events;
  /*< private >*/
  GStringChunk *strings;
} CdSlaEventList;

/**
 * cd_sla_event_list_new_from_json:
 * @json: a JSON array of event objects (see docs/sla-policy.md)
 * @len: the length of @json in bytes, or -1 if it is nul-terminated
 * @error: return location for a #CD_SLA_ERROR
 *
 * Reads events in the events-file format: objects with `type`, `time`
 * (ISO 8601 with an offset or `Z`), and optionally `state`, `target`,
 * `extend_seconds` and `extend_days`. Errors name the path, e.g.
 * `[2].time: “yesterday” is not an ISO 8601 time with an offset`.
 *
 * Returns: (transfer full) (nullable): the events, or %NULL on error
 */
CdSlaEventList *cd_sla_event_list_new_from_json (const char      *json,
                                                 gssize           len,
                                                 GError         **error);

void            cd_sla_event_list_free          (CdSlaEventList  *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSlaEventList, cd_sla_event_list_free)

/**
 * CdSlaClockState:
 * @CD_SLA_CLOCK_PENDING: no cycle has started yet
 * @CD_SLA_CLOCK_RUNNING: the cycle is running, not yet at risk
 * @CD_SLA_CLOCK_PAUSED: the cycle is paused (the ticket is in one of the
 *   target's pause states) and its deadline has not passed
 * @CD_SLA_CLOCK_AT_RISK: the cycle is running and past its at-risk point
 * @CD_SLA_CLOCK_MET: a stop event came at or before the deadline
 * @CD_SLA_CLOCK_BREACHED: the deadline passed, whether the cycle is still
 *   open or was stopped late
 * @CD_SLA_CLOCK_STOPPED: the ticket reached a final state (closed,
 *   cancelled …) by an event that is not one of the target's stop events,
 *   before the deadline: neither met nor breached
 *
 * The state of a cycle (and of a target: that of its last cycle).
 */
typedef enum
{
  CD_SLA_CLOCK_PENDING,
  CD_SLA_CLOCK_RUNNING,
  CD_SLA_CLOCK_PAUSED,
  CD_SLA_CLOCK_AT_RISK,
  CD_SLA_CLOCK_MET,
  CD_SLA_CLOCK_BREACHED,
  CD_SLA_CLOCK_STOPPED,
} CdSlaClockState;

/**
 * cd_sla_clock_state_to_string:
 * @state: a state
 *
 * Returns: `pending`, `running`, `paused`, `at_risk`, `met`, `breached`
 *   or `stopped`
 */
const char *cd_sla_clock_state_to_string (CdSlaClockState state);

/**
 * CdSlaInterval:
 * @start: the first second
 * @end: the end (excluded), or %CD_SLA_NEVER while still open
 *
 * A half-open interval of instants, e.g. a pause.
 */
typedef struct
{
  gint64 start;
  gint64 end;
} CdSlaInterval;

/**
 * CdSlaCycle:
 * @number: 1 for the first cycle of a target, 2 after a reopen, …
 * @state: the cycle's state at the evaluation's `now`
 * @policy_version: the version of the policy that judged the cycle
 * @started: the start event's time
 * @stopped: the stop event's time, or %CD_SLA_NEVER while open
 * @stopped_by: (nullable): the action that stopped the cycle
 * @budget: the working seconds the cycle may use, extensions included
 * @elapsed: working seconds used (not paused) up to the stop or `now`
 * @remaining: @budget - @elapsed, or 0 once that is negative
 * @paused: working seconds spent paused up to the stop or `now`
 * @due: the deadline (while paused: the deadline if the clock resumed
 *   now), or %CD_SLA_NEVER if the calendar has no such time
 * @at_risk_from: when the cycle counts as at risk, or %CD_SLA_NEVER if the
 *   target has no at-risk threshold
 * @judged: when the cycle was met (the stop time) or breached (@due);
 *   %CD_SLA_NEVER for open cycles that are not breached
 * @margin: met: the working seconds left at the stop; breached: the working
 *   seconds used past the deadline (up to the stop or `now`)
 * @late: breached: real seconds from @due to the stop or `now`; else 0
 * @n_extensions: extensions granted to this cycle
 * @pauses: (element-type CdSlaInterval): the pauses, in order
 *
 * One cycle of a target. Read only.
 */
typedef struct
{
  guint            number;
  CdSlaClockState  state;
  guint            policy_version;
  gint64           started;
  gint64           stopped;
  char            *stopped_by;
  gint64           budget;
  gint64           elapsed;
  gint64           remaining;
  gint64           paused;
  gint64           due;
  gint64           at_risk_from;
  gint64           judged;
  gint64           margin;
  gint64           late;
  guint            n_extensions;
  GArray          *pauses;
} CdSlaCycle;

/**
 * CdSlaExtensionVerdict:
 * @CD_SLA_EXTENSION_GRANTED: the deadline was moved
 * @CD_SLA_EXTENSION_UNKNOWN_TARGET: the policy has no such target
 * @CD_SLA_EXTENSION_NOT_EXTENDABLE: the target allows no extensions
 * @CD_SLA_EXTENSION_NOT_RUNNING: the target has no open cycle
 * @CD_SLA_EXTENSION_TOO_LATE: the deadline had already passed
 * @CD_SLA_EXTENSION_BAD_AMOUNT: nothing requested, both seconds and days,
 *   or not in the unit of the target's `max_each`
 * @CD_SLA_EXTENSION_TOO_MANY: the cycle already has `max_count` extensions
 * @CD_SLA_EXTENSION_TOO_LONG: longer than `max_each`
 * @CD_SLA_EXTENSION_OVER_TOTAL: the deadline would pass `max_total`
 *
 * What became of an `extend` event. Refused extensions change nothing.
 */
typedef enum
{
  CD_SLA_EXTENSION_GRANTED,
  CD_SLA_EXTENSION_UNKNOWN_TARGET,
  CD_SLA_EXTENSION_NOT_EXTENDABLE,
  CD_SLA_EXTENSION_NOT_RUNNING,
  CD_SLA_EXTENSION_TOO_LATE,
  CD_SLA_EXTENSION_BAD_AMOUNT,
  CD_SLA_EXTENSION_TOO_MANY,
  CD_SLA_EXTENSION_TOO_LONG,
  CD_SLA_EXTENSION_OVER_TOTAL,
} CdSlaExtensionVerdict;

/**
 * cd_sla_extension_verdict_to_string:
 * @verdict: a verdict
 *
 * Returns: `granted`, `unknown_target`, `not_extendable`, `not_running`,
 *   `too_late`, `bad_amount`, `too_many`, `too_long` or `over_total`
 */
const char *cd_sla_extension_verdict_to_string (CdSlaExtensionVerdict verdict);

/**
 * CdSlaExtension:
 * @target: the target named by the event
 * @time: the event's time
 * @seconds: the working seconds requested
 * @days: the days requested
 * @verdict: granted or why not
 * @cycle: the number of the cycle it applied to, or 0
 * @due_before: the cycle's deadline (without pauses) before it, or
 *   %CD_SLA_NEVER
 * @due_after: the same after it (equal to @due_before when refused)
 *
 * One `extend` event and what became of it.
 */
typedef struct
{
  char                  *target;
  gint64                 time;
  gint64                 seconds;
  guint                  days;
  CdSlaExtensionVerdict  verdict;
  guint                  cycle;
  gint64                 due_before;
  gint64                 due_after;
} CdSlaExtension;

/**
 * CdSlaClocks:
 *
 * The result of cd_sla_clock_evaluate(). Immutable, reference counted.
 */
typedef struct _CdSlaClocks CdSlaClocks;

#define CD_TYPE_SLA_CLOCKS (cd_sla_clocks_get_type ())
GType              cd_sla_clocks_get_type         (void) G_GNUC_CONST;

/**
 * cd_sla_clock_evaluate:
 * @policy: the policy
 * @calendars: (element-type utf8 CdSlaCalendar): calendars by id; every
 *   target's calendar must be there
 * @events: (array length=n_events): the ticket's events in time order
 * @n_events: the number of events
 * @now: the instant to evaluate at; events after it are ignored
 * @previous: (nullable): an earlier evaluation of the same ticket, possibly
 *   under an older policy or calendar: its met, breached and stopped
 *   cycles are kept as they were judged, with their policy version
 * @error: return location for a #CD_SLA_ERROR
 *
 * Evaluates every target of @policy for one ticket.
 *
 * Returns: (transfer full) (nullable): the clocks, or %NULL with
 *   %CD_SLA_ERROR_UNKNOWN_CALENDAR or %CD_SLA_ERROR_INVALID_EVENTS (events
 *   out of order, an unknown action or state)
 */
CdSlaClocks       *cd_sla_clock_evaluate          (CdSlaPolicy       *policy,
                                                   GHashTable        *calendars,
                                                   const CdSlaEvent  *events,
                                                   gsize              n_events,
                                                   gint64             now,
                                                   CdSlaClocks       *previous,
                                                   GError           **error);

CdSlaClocks       *cd_sla_clocks_ref              (CdSlaClocks       *self);
void               cd_sla_clocks_unref            (CdSlaClocks       *self);

/**
 * cd_sla_clocks_get_n_targets:
 * @self: clocks
 *
 * Returns: the number of targets, in the policy's order
 */
guint              cd_sla_clocks_get_n_targets    (CdSlaClocks       *self);

/**
 * cd_sla_clocks_get_target:
 * @self: clocks
 * @index: a target index
 *
 * Returns: (transfer none): the policy's target
 */
const CdSlaTarget *cd_sla_clocks_get_target       (CdSlaClocks       *self,
                                                   guint              index);

/**
 * cd_sla_clocks_get_state:
 * @self: clocks
 * @index: a target index
 *
 * Returns: the state of the target's last cycle, or
 *   %CD_SLA_CLOCK_PENDING if none has started
 */
CdSlaClockState    cd_sla_clocks_get_state        (CdSlaClocks       *self,
                                                   guint              index);

/**
 * cd_sla_clocks_get_n_cycles:
 * @self: clocks
 * @index: a target index
 *
 * Returns: the number of cycles of the target, in order
 */
guint              cd_sla_clocks_get_n_cycles     (CdSlaClocks       *self,
                                                   guint              index);

/**
 * cd_sla_clocks_get_cycle:
 * @self: clocks
 * @index: a target index
 * @cycle: 0 to cd_sla_clocks_get_n_cycles() - 1
 *
 * Returns: (transfer none): the cycle
 */
const CdSlaCycle  *cd_sla_clocks_get_cycle        (CdSlaClocks       *self,
                                                   guint              index,
                                                   guint              cycle);

/**
 * cd_sla_clocks_get_extensions:
 * @self: clocks
 *
 * Returns: (transfer none) (element-type CdSlaExtension): every `extend`
 *   event, granted or refused, in order
 */
GPtrArray         *cd_sla_clocks_get_extensions   (CdSlaClocks       *self);

/**
 * cd_sla_clocks_to_json:
 * @self: clocks
 *
 * Serializes the clocks (keys in a fixed order; instants as ISO 8601 in the
 * zone of each target's calendar; %CD_SLA_NEVER as null).
 *
 * Returns: (transfer full): pretty-printed JSON
 */
char              *cd_sla_clocks_to_json          (CdSlaClocks       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSlaClocks, cd_sla_clocks_unref)

G_END_DECLS
