// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-policy.h: service-level policies of the SLA engine
 *
 * A CdSlaPolicy says which tickets it applies to (kind, category and
 * channel, with wildcards) and lists its targets: clocks that a ticket's
 * events start, pause and stop, each with a limit in working time or in
 * working or calendar days. See docs/sla-policy.md for the JSON format.
 */

#pragma once

#include "cd-sla-calendar.h"

G_BEGIN_DECLS

/**
 * CdSlaLimitUnit:
 * @CD_SLA_LIMIT_NONE: no limit (an optional limit that is absent)
 * @CD_SLA_LIMIT_SECONDS: working seconds, counted from the event itself
 *   (the JSON may say `seconds`, `minutes` or `hours`)
 * @CD_SLA_LIMIT_WORKING_DAYS: working days after the start day, see
 *   cd_sla_calendar_add_days()
 * @CD_SLA_LIMIT_CALENDAR_DAYS: calendar days after the start day
 *
 * What the amount of a #CdSlaLimit counts.
 */
typedef enum
{
  CD_SLA_LIMIT_NONE,
  CD_SLA_LIMIT_SECONDS,
  CD_SLA_LIMIT_WORKING_DAYS,
  CD_SLA_LIMIT_CALENDAR_DAYS,
} CdSlaLimitUnit;

/**
 * CdSlaLimit:
 * @unit: what @amount counts
 * @amount: working seconds or a number of days
 *
 * A limit, an extension's size or a cap on extensions.
 */
typedef struct
{
  CdSlaLimitUnit unit;
  gint64         amount;
} CdSlaLimit;

/**
 * CdSlaAtRisk:
 * @CD_SLA_AT_RISK_NONE: the target is never reported at risk
 * @CD_SLA_AT_RISK_PERCENT: at risk once this percentage of the budget is
 *   used (1 to 100)
 * @CD_SLA_AT_RISK_BEFORE: at risk this many working seconds before the
 *   deadline, counted backwards with cd_sla_calendar_subtract()
 *
 * When a running clock counts as at risk.
 */
typedef enum
{
  CD_SLA_AT_RISK_NONE,
  CD_SLA_AT_RISK_PERCENT,
  CD_SLA_AT_RISK_BEFORE,
} CdSlaAtRisk;

/**
 * CdSlaTarget:
 * @name: the target's name, unique in its policy
 * @start: (array zero-terminated=1): the actions that start a cycle
 * @stop: (array zero-terminated=1): the actions that stop it as met
 * @limit: the budget of a cycle
 * @calendar: the id of the calendar the clock runs on (a file name
 *   without `.json`)
 * @pause_states: (array zero-terminated=1): the ticket states in which
 *   the clock does not run (possibly empty)
 * @at_risk: when a running cycle counts as at risk
 * @at_risk_value: the percentage or the working seconds of @at_risk
 * @max_extensions: how many extensions a cycle may have (0: none)
 * @extension_each: the largest single extension; its unit is the unit
 *   in which extensions are requested
 * @extension_total: a cap on the extended deadline, counted from the
 *   start of the cycle like a limit, or %CD_SLA_LIMIT_NONE
 *
 * One clock of a policy. Read only; owned by its #CdSlaPolicy.
 */
typedef struct
{
  char        *name;
  char       **start;
  char       **stop;
  CdSlaLimit   limit;
  char        *calendar;
  char       **pause_states;
  CdSlaAtRisk  at_risk;
  gint64       at_risk_value;
  guint        max_extensions;
  CdSlaLimit   extension_each;
  CdSlaLimit   extension_total;
} CdSlaTarget;

/**
 * CdSlaPolicy:
 *
 * A parsed policy. Immutable and reference counted.
 */
typedef struct _CdSlaPolicy CdSlaPolicy;

#define CD_TYPE_SLA_POLICY (cd_sla_policy_get_type ())
GType              cd_sla_policy_get_type        (void) G_GNUC_CONST;

/**
 * cd_sla_policy_new_from_json:
 * @json: the policy as JSON text (see docs/sla-policy.md)
 * @len: the length of @json in bytes, or -1 if it is nul-terminated
 * @error: return location for a #CD_SLA_ERROR
 *
 * Parses a policy. Unknown keys, values of the wrong type, unknown action
 * or state names and out-of-range numbers are errors whose message starts
 * with the JSON path, e.g. `targets[1].limit.hours: expected a whole number`.
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
CdSlaPolicy       *cd_sla_policy_new_from_json   (const char   *json,
                                                  gssize        len,
                                                  GError      **error);

/**
 * cd_sla_policy_new_from_bytes:
 * @bytes: the policy as JSON text, e.g. a file's contents
 * @error: return location for a #CD_SLA_ERROR
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL on error
 */
CdSlaPolicy       *cd_sla_policy_new_from_bytes  (GBytes       *bytes,
                                                  GError      **error);

CdSlaPolicy       *cd_sla_policy_ref             (CdSlaPolicy  *self);
void               cd_sla_policy_unref           (CdSlaPolicy  *self);

/**
 * cd_sla_policy_get_id:
 * @self: a policy
 *
 * Returns: (transfer none): the policy's id
 */
const char        *cd_sla_policy_get_id          (CdSlaPolicy  *self);

/**
 * cd_sla_policy_get_version:
 * @self: a policy
 *
 * Returns: the policy's version, >= 1; clocks are stamped with it
 */
guint              cd_sla_policy_get_version     (CdSlaPolicy  *self);

/**
 * cd_sla_policy_get_title:
 * @self: a policy
 *
 * Returns: (transfer none) (nullable): the human-readable title
 */
const char        *cd_sla_policy_get_title       (CdSlaPolicy  *self);
GHashTable        *cd_sla_policy_get_names       (CdSlaPolicy  *self);
const char        *cd_sla_policy_get_name        (CdSlaPolicy  *self,
                                                  const char   *language);
const char        *cd_sla_target_label_for_code  (const char   *code);
const char       **cd_sla_target_get_known_codes (guint        *n_codes);

/**
 * cd_sla_policy_get_n_targets:
 * @self: a policy
 *
 * Returns: the number of targets, >= 1
 */
guint              cd_sla_policy_get_n_targets   (CdSlaPolicy  *self);

/**
 * cd_sla_policy_get_target:
 * @self: a policy
 * @index: 0 to cd_sla_policy_get_n_targets() - 1
 *
 * Returns: (transfer none): the target, in the order of the JSON
 */
const CdSlaTarget *cd_sla_policy_get_target      (CdSlaPolicy  *self,
                                                  guint         index);

/**
 * cd_sla_policy_find_target:
 * @self: a policy
 * @name: a target name
 *
 * Returns: the index of the target called @name, or -1
 */
int                cd_sla_policy_find_target     (CdSlaPolicy  *self,
                                                  const char   *name);

/**
 * cd_sla_policy_applies_to:
 * @self: a policy
 * @kind: a ticket kind, e.g. `emergency`
 * @category: (nullable): the ticket's category, e.g. `sewer.clog`
 * @channel: (nullable): the channel the ticket came by, e.g. `phone`
 *
 * Whether one of the policy's `applies_to` rules matches. Patterns are
 * globs (`*` and `?`, see g_pattern_match_simple()); a %NULL @category or
 * @channel is matched only by a rule whose pattern for it is `*`.
 *
 * Returns: %TRUE if the policy applies to such a ticket
 */
gboolean           cd_sla_policy_applies_to      (CdSlaPolicy  *self,
                                                  const char   *kind,
                                                  const char   *category,
                                                  const char   *channel);

/**
 * cd_sla_policy_match:
 * @self: a policy
 * @kind: a ticket kind
 * @category: (nullable): the ticket's category
 * @channel: (nullable): the channel the ticket came by
 *
 * How specifically the policy's best `applies_to` rule matches: each of
 * kind, category and channel counts 2 when the rule names it exactly, 1
 * for a pattern and 0 for `*`; the category counts double.
 *
 * Returns: the score, or -1 when no rule matches
 */
int                cd_sla_policy_match           (CdSlaPolicy  *self,
                                                  const char   *kind,
                                                  const char   *category,
                                                  const char   *channel);

/**
 * cd_sla_policy_choose:
 * @policies: (array length=n_policies): the policies to choose from, in
 *   the order ties are decided (the first wins)
 * @n_policies: their number
 * @kind: a ticket kind
 * @category: (nullable): the ticket's category
 * @channel: (nullable): the channel the ticket came by
 *
 * The one place that decides which SLA policy a ticket follows: the
 * policy whose rules match it most specifically (cd_sla_policy_match()).
 *
 * Returns: (transfer none) (nullable): the policy, or %NULL if none applies
 */
CdSlaPolicy       *cd_sla_policy_choose          (CdSlaPolicy * const *policies,
                                                  guint         n_policies,
                                                  const char   *kind,
                                                  const char   *category,
                                                  const char   *channel);

/**
 * cd_sla_policy_check_calendars:
 * @self: a policy
 * @calendars: (element-type utf8 CdSlaCalendar): calendars by id
 * @error: return location for a #CD_SLA_ERROR
 *
 * Checks that every target's calendar is in @calendars.
 *
 * Returns: %TRUE if all are, else %FALSE with
 *   %CD_SLA_ERROR_UNKNOWN_CALENDAR naming the first missing one
 */
gboolean           cd_sla_policy_check_calendars (CdSlaPolicy  *self,
                                                  GHashTable   *calendars,
                                                  GError      **error);

/**
 * cd_sla_action_is_known:
 * @action: a dispatch action name
 *
 * Returns: %TRUE if @action is one of register, assign, accept, start,
 *   wait, resume, resolve, reopen, close, close_unconfirmed, refuse,
 *   cancel, escalate, extend, comment, link
 */
gboolean           cd_sla_action_is_known        (const char   *action);

/**
 * cd_sla_state_is_known:
 * @state: a ticket state name
 *
 * Returns: %TRUE if @state is one of registered, assigned, accepted,
 *   in_progress, waiting, resolved, reopened, closed, closed_unconfirmed,
 *   refused, cancelled
 */
gboolean           cd_sla_state_is_known         (const char   *state);

/**
 * cd_sla_state_is_final:
 * @state: a ticket state name
 *
 * Returns: %TRUE for closed, closed_unconfirmed, refused and cancelled
 */
gboolean           cd_sla_state_is_final         (const char   *state);

/**
 * cd_sla_action_default_state:
 * @action: a dispatch action name
 *
 * The ticket state after @action when an event does not give one:
 * register → registered, assign → assigned, accept → accepted,
 * start → in_progress, wait → waiting, resume → in_progress,
 * resolve → resolved, reopen → reopened, close → closed,
 * close_unconfirmed → closed_unconfirmed, refuse → refused,
 * cancel → cancelled; escalate, extend, comment and link leave the
 * state as it was.
 *
 * Returns: (nullable): the state, or %NULL if @action does not change it
 *   or is unknown
 */
const char        *cd_sla_action_default_state   (const char   *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSlaPolicy, cd_sla_policy_unref)

G_END_DECLS
