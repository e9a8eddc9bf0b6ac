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

/**
 * CdCallRow:
 * @entered_at: Unix seconds of queue entry
 * @answered_at: Unix seconds of the answer, 0 for none
 * @ended_at: Unix seconds of the end
 * @outcome: how it ended
 * @hold_seconds: the wait
 * @talk_seconds: the handling
 *
 * One call's figures, as the store's table holds them: what the counting
 * needs, without a #CdCall's texts, so that a year of rows costs no
 * allocation.
 */
typedef struct
{
  gint64        entered_at;
  gint64        answered_at;   /* 0 for none */
  gint64        ended_at;
  CdCallOutcome outcome;
  gint64        hold_seconds;
  gint64        talk_seconds;
} CdCallRow;

/**
 * CdCallHeatmap:
 * @from: Unix seconds, the period's start (included)
 * @to: Unix seconds, its end (excluded)
 * @offered: the calls that entered, per weekday (Monday = 0) and hour of
 *   the local day
 * @days: how many of each weekday the period holds, whole or in part (to
 *   average per day)
 *
 * The peak hours of a period.
 */
typedef struct
{
  gint64 from;
  gint64 to;
  guint  offered[7][24];   /* weekday (Monday = 0) x hour of the local day */
  guint  days[7];          /* how many of each weekday the period holds (to average per day) */
} CdCallHeatmap;

GQuark       cd_call_stats_error_quark     (void);
void         cd_call_row_from_call         (CdCallRow               *row,
                                            const CdCall            *call);
gboolean     cd_call_row_is_answered       (const CdCallRow         *row);
CdCallStats *cd_call_stats_new_empty       (gint64                   from,
                                            gint64                   to,
                                            gint64                   interval,
                                            GTimeZone               *zone,
                                            const CdCallStatsLimits *limits,
                                            GError                 **error);
void         cd_call_stats_add_row         (CdCallStats             *self,
                                            const CdCallRow         *row,
                                            const char              *agent);
void         cd_call_stats_add_missed      (CdCallStats             *self,
                                            const char              *agent,
                                            guint                    count);
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

CdCallHeatmap *cd_call_heatmap_new      (gint64                   from,
                                         gint64                   to,
                                         GTimeZone               *zone,
                                         GError                 **error);
void           cd_call_heatmap_add      (CdCallHeatmap           *self,
                                         gint64                   entered_at,
                                         GTimeZone               *zone);
void           cd_call_heatmap_free     (CdCallHeatmap           *self);
JsonObject    *cd_call_heatmap_to_json  (const CdCallHeatmap     *self,
                                         GTimeZone               *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCallStats, cd_call_stats_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCallHeatmap, cd_call_heatmap_free)

G_END_DECLS
