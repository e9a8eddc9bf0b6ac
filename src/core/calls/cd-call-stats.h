// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call-stats.h: a period's calls counted per interval and per operator
 *
 * The figures a supervisor reads off a queue (docs/calls.md,
 * "Statistics"): offered, answered, abandoned, the service level in the
 * three ways the field computes it, ASA, AHT, the longest wait; and per
 * operator the calls handled, their AHT and the rings let go.
 */

#pragma once

#include "cd-call.h"

G_BEGIN_DECLS

/* No more intervals than a year of 15 minutes, and some. */
#define CD_CALL_STATS_MAX_INTERVALS 40000

#define CD_CALL_STATS_ERROR (cd_call_stats_error_quark ())

typedef enum
{
  CD_CALL_STATS_ERROR_INVALID,
} CdCallStatsError;

/**
 * CdCallStatsLimits:
 * @target: seconds: answered (or abandoned) within it counts as good
 * @short_abandon: seconds: an abandon after a shorter wait is counted apart
 *   and left out of every service level (0: none is short)
 */
typedef struct
{
  gint64 target;
  gint64 short_abandon;
} CdCallStatsLimits;

/**
 * CdCallInterval:
 * @start: Unix seconds, included
 * @end: Unix seconds, excluded
 * @offered: every call that entered the queue in the interval
 * @answered: answered (completed or transferred, or still talking)
 * @answered_within: answered after a wait of at most the target
 * @abandoned: the caller hung up while waiting, short abandons not counted
 * @abandoned_within: of those, after a wait of at most the target
 * @short_abandoned: the caller hung up before the short-abandon threshold
 * @other: left another way (timeout, key, no operator, withdrawn, cut
 *   off) or still waiting
 * @answered_wait: the answered calls' waits, summed (seconds)
 * @handle: the answered calls' handling (talk), summed (seconds)
 * @longest_wait: the longest wait of any call (seconds)
 */
typedef struct
{
  gint64 start;
  gint64 end;
  guint  offered;
  guint  answered;
  guint  answered_within;
  guint  abandoned;
  guint  abandoned_within;
  guint  short_abandoned;
  guint  other;
  gint64 answered_wait;
  gint64 handle;
  gint64 longest_wait;
} CdCallInterval;

/**
 * CdCallOperator:
 * @agent: the operator (the PBX's member)
 * @handled: calls answered
 * @handle: their handling (talk), summed (seconds)
 * @missed: rings the operator let go unanswered
 */
typedef struct
{
  char   *agent;
  guint   handled;
  gint64  handle;
  guint   missed;
} CdCallOperator;

/**
 * CdCallStats:
 * @limits: what the figures were counted against
 * @intervals: (element-type CdCallInterval): in time order
 * @total: the whole period
 * @operators: (element-type CdCallOperator): by name
 */
typedef struct
{
  CdCallStatsLimits  limits;
  GArray            *intervals;
  CdCallInterval     total;
  GPtrArray         *operators;
} CdCallStats;

GQuark       cd_call_stats_error_quark     (void);
CdCallStats *cd_call_stats_new             (GPtrArray               *calls,
                                            gint64                   from,
                                            gint64                   to,
                                            gint64                   interval,
                                            GTimeZone               *zone,
                                            const CdCallStatsLimits *limits,
                                            GError                 **error);
void         cd_call_stats_free            (CdCallStats             *self);
JsonObject  *cd_call_stats_to_json         (const CdCallStats       *self,
                                            gint64                   interval,
                                            GTimeZone               *zone);

void         cd_call_interval_count        (CdCallInterval          *self,
                                            const CdCall            *call,
                                            const CdCallStatsLimits *limits);

/* The figures that are shares or averages: NaN when their denominator is
 * empty (no call to count). */
double       cd_call_interval_sl_of_answered           (const CdCallInterval *self);
double       cd_call_interval_sl_of_answered_abandoned (const CdCallInterval *self);
double       cd_call_interval_sl2_of_offered           (const CdCallInterval *self);
double       cd_call_interval_asa                      (const CdCallInterval *self);
double       cd_call_interval_aht                      (const CdCallInterval *self);
double       cd_call_operator_aht                      (const CdCallOperator *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCallStats, cd_call_stats_free)

G_END_DECLS
