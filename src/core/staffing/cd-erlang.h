// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-erlang.h: the staffing engine: Erlang B, C and A
 *
 * How many operators a queue of calls needs, and what a given number of
 * operators delivers. Erlang C (M/M/N) assumes every caller waits as long
 * as it takes; Erlang A (M/M/N+M, Palm's model) lets callers give up after
 * an exponentially distributed patience. Durations are seconds. See
 * docs/staffing.md for the method and the meaning of each figure.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CD_ERLANG_ERROR:
 *
 * The error domain of the staffing engine.
 */
#define CD_ERLANG_ERROR (cd_erlang_error_quark ())

/**
 * CdErlangError:
 * @CD_ERLANG_ERROR_INVALID: an input is negative, zero where it must not
 *   be, not a number, or out of the engine's range
 * @CD_ERLANG_ERROR_UNSTABLE: Erlang C with as much load as agents, or more:
 *   the queue grows without end and no figure exists
 */
typedef enum
{
  CD_ERLANG_ERROR_INVALID,
  CD_ERLANG_ERROR_UNSTABLE,
} CdErlangError;

GQuark cd_erlang_error_quark (void);

/**
 * CdErlangLoad:
 * @calls: calls offered in one interval (0 or more)
 * @interval: the interval's length (more than 0)
 * @aht: the average handling time, talk and wrap-up (more than 0)
 * @target: the service level's threshold t: answered within t (0 or more)
 * @patience: the callers' average patience for Erlang A, or 0 for Erlang C
 *   (nobody abandons)
 *
 * The traffic offered to one queue; all durations in seconds.
 */
typedef struct
{
  double calls;
  double interval;
  double aht;
  double target;
  double patience;
} CdErlangLoad;

/**
 * CdErlangFigures:
 * @agents: operators on the phones
 * @load: the offered load in Erlangs, calls × aht / interval
 * @blocking: Erlang B: the share of calls lost if there were no queue
 * @wait_probability: the share of offered calls that wait at all (Erlang C:
 *   the Erlang C formula itself)
 * @service_level_of_offered: the share of offered calls answered within the
 *   target (abandoned calls count as not answered in time)
 * @service_level_of_answered: the share of answered calls answered within
 *   the target (equal to the other with Erlang C, where all are answered)
 * @asa_all_calls: the average speed of answer over all answered calls,
 *   those answered at once counted as 0 (seconds)
 * @asa_queued_calls: the average speed of answer over the answered calls
 *   that waited (seconds)
 * @abandonment: the share of offered calls that hang up before an answer
 *   (0 with Erlang C)
 * @occupancy: the share of the operators' time spent handling calls
 *
 * What @agents operators deliver on a #CdErlangLoad.
 */
typedef struct
{
  guint  agents;
  double load;
  double blocking;
  double wait_probability;
  double service_level_of_offered;
  double service_level_of_answered;
  double asa_all_calls;
  double asa_queued_calls;
  double abandonment;
  double occupancy;
} CdErlangFigures;

/**
 * CdErlangTarget:
 * @service_level: the share of offered calls to answer within the load's
 *   target, more than 0 and less than 1 (e.g. 0.8)
 * @max_occupancy: the highest occupancy allowed, more than 0 up to 1
 * @shrinkage: the share of paid time not on the phones (breaks, training,
 *   absence), 0 or more and less than 1
 */
typedef struct
{
  double service_level;
  double max_occupancy;
  double shrinkage;
} CdErlangTarget;

/**
 * CdErlangStaffing:
 * @on_phones: the fewest operators on the phones that meet the target
 * @scheduled: the operators to schedule, ceil(@on_phones / (1 − shrinkage))
 * @limited_by_occupancy: %TRUE when the occupancy limit, not the service
 *   level, set @on_phones
 * @figures: the figures at @on_phones
 */
typedef struct
{
  guint           on_phones;
  guint           scheduled;
  gboolean        limited_by_occupancy;
  CdErlangFigures figures;
} CdErlangStaffing;

/* The most agents the engine computes for: the recursions are linear in
 * the number of agents. */
#define CD_ERLANG_MAX_AGENTS 1000000

gboolean cd_erlang_b             (double                load,
                                  guint                 agents,
                                  double               *out,
                                  GError              **error);
gboolean cd_erlang_c             (double                load,
                                  guint                 agents,
                                  double               *out,
                                  GError              **error);
gboolean cd_erlang_load_check    (const CdErlangLoad   *load,
                                  GError              **error);
double   cd_erlang_load_erlangs  (const CdErlangLoad   *load);
gboolean cd_erlang_figures       (const CdErlangLoad   *load,
                                  guint                 agents,
                                  CdErlangFigures      *out,
                                  GError              **error);
gboolean cd_erlang_agents_needed (const CdErlangLoad   *load,
                                  const CdErlangTarget *target,
                                  CdErlangStaffing     *out,
                                  GError              **error);

G_END_DECLS
