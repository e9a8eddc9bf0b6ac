// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call-stats.c: a period's calls counted per interval and per operator
 *
 * A call counts in the interval it entered the queue in, whenever it
 * ended: that is how a PBX's reports and Erlang's offered load count it.
 * Intervals start on the local clock's multiples of their length (07:00,
 * 07:30), so that a half hour reads the same as the wallboard's.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cd-call-stats.h"

G_DEFINE_QUARK (cd-call-stats-error-quark, cd_call_stats_error)

static void
operator_free (CdCallOperator *self)
{
  g_free (self->agent);
  g_free (self);
}

void
cd_call_stats_free (CdCallStats *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->intervals, g_array_unref);
  g_clear_pointer (&self->operators, g_ptr_array_unref);
  g_free (self);
}

/* The last boundary at or before @time on the local clock. */
static gint64
align (gint64     time,
       gint64     length,
       GTimeZone *zone)
{
  int type = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, time);
  gint64 local = time + (type >= 0 ? g_time_zone_get_offset (zone, type) : 0);
  gint64 rest = local % length;

  if (rest < 0)
    rest += length;
  return time - rest;
}

/**
 * cd_call_row_from_call:
 * @row: (out caller-allocates): the figures
 * @call: a call
 *
 * Copies the figures the counting needs out of @call.
 */
void
cd_call_row_from_call (CdCallRow    *row,
                       const CdCall *call)
{
  row->entered_at = call->entered_at;
  row->answered_at = call->answered_at;
  row->ended_at = call->ended_at;
  row->outcome = call->outcome;
  row->hold_seconds = call->hold_seconds;
  row->talk_seconds = call->talk_seconds;
}

/**
 * cd_call_row_is_answered:
 * @row: a call's figures
 *
 * Answered: the record says so by its answer time, or by an outcome that
 * only an answered call has (a call read without its CONNECT line).
 *
 * Returns: whether the call was answered
 */
gboolean
cd_call_row_is_answered (const CdCallRow *row)
{
  return row->answered_at != 0 || row->outcome == CD_CALL_ANSWERED ||
         row->outcome == CD_CALL_TRANSFERRED || row->outcome == CD_CALL_TALKING;
}

static void
count_call (CdCallInterval          *interval,
            const CdCallRow         *call,
            const CdCallStatsLimits *limits)
{
  gint64 wait = MAX (call->hold_seconds, 0);

  interval->offered++;
  interval->longest_wait = MAX (interval->longest_wait, wait);
  if (cd_call_row_is_answered (call))
    {
      interval->answered++;
      if (wait <= limits->target)
        interval->answered_within++;
      interval->answered_wait += wait;
      interval->handle += MAX (call->talk_seconds, 0);
    }
  else if (call->outcome == CD_CALL_ABANDONED && wait < limits->short_abandon)
    interval->short_abandoned++;
  else if (call->outcome == CD_CALL_ABANDONED)
    {
      interval->abandoned++;
      if (wait <= limits->target)
        interval->abandoned_within++;
    }
  else
    interval->other++;
}

/**
 * cd_call_interval_count:
 * @self: an interval
 * @call: a call that entered in it (open or ended)
 * @limits: the target and the short-abandon threshold
 *
 * Counts @call in @self's figures, as cd_call_stats_new() does for each
 * call of a period.
 */
void
cd_call_interval_count (CdCallInterval          *self,
                        const CdCall            *call,
                        const CdCallStatsLimits *limits)
{
  CdCallRow row;

  cd_call_row_from_call (&row, call);
  count_call (self, &row, limits);
}

/* The operators stay sorted by name, found by halving: a year's rows look
 * one up each, and a new name is rare. */
static CdCallOperator *
find_operator (GPtrArray  *operators,
               const char *agent)
{
  guint low = 0, high = operators->len;
  CdCallOperator *op;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      int cmp = strcmp (((CdCallOperator *) operators->pdata[mid])->agent, agent);

      if (cmp == 0)
        return operators->pdata[mid];
      if (cmp < 0)
        low = mid + 1;
      else
        high = mid;
    }
  op = g_new0 (CdCallOperator, 1);
  op->agent = g_strdup (agent);
  g_ptr_array_insert (operators, (int) low, op);
  return op;
}

/* The interval holding @time, by halving: the intervals are in order and
 * cover [from, to) without a gap. */
static CdCallInterval *
find_interval (GArray *intervals,
               gint64  time)
{
  guint low = 0, high = intervals->len;

  while (high - low > 1)
    {
      guint mid = low + (high - low) / 2;

      if (g_array_index (intervals, CdCallInterval, mid).start <= time)
        low = mid;
      else
        high = mid;
    }
  return &g_array_index (intervals, CdCallInterval, low);
}

static gboolean
make_intervals (GArray     *intervals,
                gint64      from,
                gint64      to,
                gint64      length,
                GTimeZone  *zone,
                GError    **error)
{
  gint64 start = from;

  while (start < to)
    {
      CdCallInterval interval = { 0 };
      gint64 end = align (start, length, zone) + length;

      /* A change of the clock by a part of the length (half an hour in a
       * few zones) can pull the next boundary back: never go backwards. */
      if (end <= start)
        end = start + length;
      if (intervals->len == CD_CALL_STATS_MAX_INTERVALS)
        {
          g_set_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID,
                       _("The period holds more than %d intervals."),
                       CD_CALL_STATS_MAX_INTERVALS);
          return FALSE;
        }
      interval.start = start;
      interval.end = MIN (end, to);
      g_array_append_val (intervals, interval);
      start = interval.end;
    }
  return TRUE;
}

/**
 * cd_call_stats_new_empty:
 * @from: Unix seconds, the period's start (included)
 * @to: Unix seconds, its end (excluded)
 * @interval: the intervals' length in seconds (900, 1800, 3600…)
 * @zone: the local clock the intervals start on
 * @limits: the target and the short-abandon threshold
 * @error: a #CD_CALL_STATS_ERROR for an empty period, a length that is
 *   not positive or too many intervals
 *
 * The period's intervals with nothing counted yet, for
 * cd_call_stats_add_row() to count calls in one by one. The first and
 * last intervals are cut at @from and @to when those are not on a
 * boundary.
 *
 * Returns: (transfer full): the figures, or %NULL
 */
CdCallStats *
cd_call_stats_new_empty (gint64                   from,
                         gint64                   to,
                         gint64                   interval,
                         GTimeZone               *zone,
                         const CdCallStatsLimits *limits,
                         GError                 **error)
{
  g_autoptr(CdCallStats) self = NULL;

  g_return_val_if_fail (zone != NULL && limits != NULL, NULL);

  if (to <= from)
    {
      g_set_error_literal (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID,
                           _("The period ends before it starts."));
      return NULL;
    }
  if (interval <= 0)
    {
      g_set_error_literal (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID,
                           _("The interval must be longer than 0."));
      return NULL;
    }

  self = g_new0 (CdCallStats, 1);
  self->limits = *limits;
  self->intervals = g_array_new (FALSE, TRUE, sizeof (CdCallInterval));
  self->operators = g_ptr_array_new_with_free_func ((GDestroyNotify) operator_free);
  self->total.start = from;
  self->total.end = to;
  if (!make_intervals (self->intervals, from, to, interval, zone, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cd_call_stats_add_row:
 * @self: the figures
 * @row: a call's figures; a call that did not enter in the period is left
 *   out
 * @agent: (nullable): the operator who answered it
 *
 * Counts a call in the interval it entered in, in the total, and in its
 * operator's calls handled when it was answered: the one counting rule of
 * every call statistic (docs/calls.md, "Statistics").
 */
void
cd_call_stats_add_row (CdCallStats     *self,
                       const CdCallRow *row,
                       const char      *agent)
{
  if (row->entered_at < self->total.start || row->entered_at >= self->total.end)
    return;
  count_call (find_interval (self->intervals, row->entered_at), row, &self->limits);
  count_call (&self->total, row, &self->limits);
  if (agent != NULL && cd_call_row_is_answered (row))
    {
      CdCallOperator *op = find_operator (self->operators, agent);

      op->handled++;
      op->handle += MAX (row->talk_seconds, 0);
    }
}

/**
 * cd_call_stats_add_missed:
 * @self: the figures
 * @agent: an operator
 * @count: rings @agent let go unanswered on a call counted in the period
 *
 * Counts an operator's missed offers.
 */
void
cd_call_stats_add_missed (CdCallStats *self,
                          const char  *agent,
                          guint        count)
{
  find_operator (self->operators, agent != NULL ? agent : "")->missed += count;
}

/**
 * cd_call_stats_new:
 * @calls: (element-type CdCall): the records; those that did not enter in
 *   [@from, @to) are left out
 * @from: Unix seconds, the period's start (included)
 * @to: Unix seconds, its end (excluded)
 * @interval: the intervals' length in seconds (900, 1800, 3600…)
 * @zone: the local clock the intervals start on
 * @limits: the target and the short-abandon threshold
 * @error: a #CD_CALL_STATS_ERROR for an empty period, a length that is
 *   not positive or too many intervals
 *
 * cd_call_stats_new_empty() with @calls counted by cd_call_stats_add_row()
 * and their rings by cd_call_stats_add_missed().
 *
 * Returns: (transfer full): the figures, or %NULL
 */
CdCallStats *
cd_call_stats_new (GPtrArray               *calls,
                   gint64                   from,
                   gint64                   to,
                   gint64                   interval,
                   GTimeZone               *zone,
                   const CdCallStatsLimits *limits,
                   GError                 **error)
{
  g_autoptr(CdCallStats) self = NULL;

  g_return_val_if_fail (calls != NULL && zone != NULL && limits != NULL, NULL);

  self = cd_call_stats_new_empty (from, to, interval, zone, limits, error);
  if (self == NULL)
    return NULL;
  for (guint i = 0; i < calls->len; i++)
    {
      const CdCall *call = g_ptr_array_index (calls, i);
      CdCallRow row;

      if (call->entered_at < from || call->entered_at >= to)
        continue;
      cd_call_row_from_call (&row, call);
      cd_call_stats_add_row (self, &row, call->agent);
      for (guint j = 0; call->rings != NULL && j < call->rings->len; j++)
        {
          const CdCallRing *ring = &g_array_index (call->rings, CdCallRing, j);

          cd_call_stats_add_missed (self, ring->agent, ring->count);
        }
    }
  return g_steal_pointer (&self);
}

static double
share (double part,
       double whole)
{
  return whole > 0 ? part / whole : NAN;
}

/* Answered within the target, of answered calls. */
double
cd_call_interval_sl_of_answered (const CdCallInterval *self)
{
  return share (self->answered_within, self->answered);
}

/* Answered within the target, of answered and abandoned calls: an abandon
 * counts against the queue whenever it happened. */
double
cd_call_interval_sl_of_answered_abandoned (const CdCallInterval *self)
{
  return share (self->answered_within, self->answered + self->abandoned);
}

/* Asterisk's servicelevelperf2: an abandon within the target counts as
 * good, of every call offered but the short abandons. */
double
cd_call_interval_sl2_of_offered (const CdCallInterval *self)
{
  return share (self->answered_within + self->abandoned_within,
                self->offered - self->short_abandoned);
}

double
cd_call_interval_asa (const CdCallInterval *self)
{
  return share (self->answered_wait, self->answered);
}

/* Talk only: the queue_log has no wrap-up (docs/calls.md). */
double
cd_call_interval_aht (const CdCallInterval *self)
{
  return share (self->handle, self->answered);
}

double
cd_call_operator_aht (const CdCallOperator *self)
{
  return share (self->handle, self->handled);
}

/* JSON {{{1 */

static void
set_double_or_null (JsonObject *object,
                    const char *name,
                    double      value)
{
  if (isnan (value))
    json_object_set_null_member (object, name);
  else
    json_object_set_double_member (object, name, value);
}

static JsonObject *
interval_to_json (const CdCallInterval *interval,
                  GTimeZone            *zone)
{
  JsonObject *object = json_object_new ();

  cd_call_json_set_time (object, "start", interval->start, zone);
  cd_call_json_set_time (object, "end", interval->end, zone);
  json_object_set_int_member (object, "start_unix", interval->start);
  json_object_set_int_member (object, "end_unix", interval->end);
  json_object_set_int_member (object, "offered", interval->offered);
  json_object_set_int_member (object, "answered", interval->answered);
  json_object_set_int_member (object, "answered_within_target", interval->answered_within);
  json_object_set_int_member (object, "abandoned", interval->abandoned);
  json_object_set_int_member (object, "abandoned_within_target", interval->abandoned_within);
  json_object_set_int_member (object, "short_abandoned", interval->short_abandoned);
  json_object_set_int_member (object, "other", interval->other);
  set_double_or_null (object, "service_level_of_answered",
                      cd_call_interval_sl_of_answered (interval));
  set_double_or_null (object, "service_level_of_answered_and_abandoned",
                      cd_call_interval_sl_of_answered_abandoned (interval));
  set_double_or_null (object, "service_level_sl2_of_offered",
                      cd_call_interval_sl2_of_offered (interval));
  set_double_or_null (object, "asa_seconds", cd_call_interval_asa (interval));
  set_double_or_null (object, "aht_seconds", cd_call_interval_aht (interval));
  json_object_set_int_member (object, "longest_wait_seconds", interval->longest_wait);
  return object;
}

/**
 * cd_call_stats_to_json:
 * @self: the statistics
 * @interval: the intervals' length they were counted in (seconds)
 * @zone: the clock to show times on
 *
 * The statistics as `citydeskctl calls stats --json` prints them and
 * `GET /api/v1/calls/stats` answers them (docs/calls.md): one shape for
 * both. A share or an average with nothing to count is null.
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
cd_call_stats_to_json (const CdCallStats *self,
                       gint64             interval,
                       GTimeZone         *zone)
{
  JsonObject *object = json_object_new ();
  JsonArray *intervals = json_array_new ();
  JsonArray *operators = json_array_new ();

  cd_call_json_set_time (object, "from", self->total.start, zone);
  cd_call_json_set_time (object, "to", self->total.end, zone);
  json_object_set_int_member (object, "interval_seconds", interval);
  json_object_set_int_member (object, "target_seconds", self->limits.target);
  json_object_set_int_member (object, "short_abandon_seconds", self->limits.short_abandon);
  for (guint i = 0; i < self->intervals->len; i++)
    json_array_add_object_element (
        intervals, interval_to_json (&g_array_index (self->intervals, CdCallInterval, i), zone));
  json_object_set_array_member (object, "intervals", intervals);
  json_object_set_object_member (object, "total", interval_to_json (&self->total, zone));
  for (guint i = 0; i < self->operators->len; i++)
    {
      const CdCallOperator *op = g_ptr_array_index (self->operators, i);
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "operator", op->agent);
      json_object_set_int_member (row, "handled", op->handled);
      set_double_or_null (row, "aht_seconds", cd_call_operator_aht (op));
      json_object_set_int_member (row, "missed_offers", op->missed);
      json_array_add_object_element (operators, row);
    }
  json_object_set_array_member (object, "operators", operators);
  return object;
}
/* Heatmap {{{1 */

/* A period longer than this is refused: ten years of days to walk. */
#define HEATMAP_MAX_DAYS 3660

/* The local day's number since 1970-01-01 and the seconds into it, from
 * the offset in force at @time. */
static gint64
local_day (gint64     time,
           GTimeZone *zone,
           gint64    *seconds)
{
  int type = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, time);
  gint64 local = time + (type >= 0 ? g_time_zone_get_offset (zone, type) : 0);
  gint64 day = local / 86400;

  if (local % 86400 < 0)
    day--;
  if (seconds != NULL)
    *seconds = local - day * 86400;
  return day;
}

/* 1970-01-01 was a Thursday: Monday is 0. */
static guint
day_weekday (gint64 day)
{
  gint64 weekday = (day + 3) % 7;

  return (guint) (weekday < 0 ? weekday + 7 : weekday);
}

/**
 * cd_call_heatmap_new:
 * @from: Unix seconds, the period's start (included)
 * @to: Unix seconds, its end (excluded)
 * @zone: the local clock of the weekdays and hours
 * @error: a #CD_CALL_STATS_ERROR for an empty period or one of more than
 *   ten years
 *
 * An empty heatmap of the period, its days counted per weekday (a day
 * the period holds only a part of counts), for cd_call_heatmap_add() to
 * count calls in.
 *
 * Returns: (transfer full): the heatmap, or %NULL
 */
CdCallHeatmap *
cd_call_heatmap_new (gint64      from,
                     gint64      to,
                     GTimeZone  *zone,
                     GError    **error)
{
  g_autoptr(CdCallHeatmap) self = NULL;
  gint64 first, last;

  g_return_val_if_fail (zone != NULL, NULL);

  if (to <= from)
    {
      g_set_error_literal (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID,
                           _("The period ends before it starts."));
      return NULL;
    }
  first = local_day (from, zone, NULL);
  last = local_day (to - 1, zone, NULL);
  if (last - first >= HEATMAP_MAX_DAYS)
    {
      g_set_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID,
                   _("The period holds more than %d days."), HEATMAP_MAX_DAYS);
      return NULL;
    }
  self = g_new0 (CdCallHeatmap, 1);
  self->from = from;
  self->to = to;
  for (gint64 day = first; day <= last; day++)
    self->days[day_weekday (day)]++;
  return g_steal_pointer (&self);
}

/**
 * cd_call_heatmap_add:
 * @self: a heatmap
 * @entered_at: a call's entry; one outside the period is left out
 * @zone: the heatmap's clock
 *
 * Counts a call in its weekday and hour.
 */
void
cd_call_heatmap_add (CdCallHeatmap *self,
                     gint64         entered_at,
                     GTimeZone     *zone)
{
  gint64 seconds;
  gint64 day;

  if (entered_at < self->from || entered_at >= self->to)
    return;
  day = local_day (entered_at, zone, &seconds);
  self->offered[day_weekday (day)][MIN (seconds / 3600, 23)]++;
}

void
cd_call_heatmap_free (CdCallHeatmap *self)
{
  g_free (self);
}

static const char * const weekdays[7] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

/**
 * cd_call_heatmap_to_json:
 * @self: a heatmap
 * @zone: the clock to show times on
 *
 * The heatmap as `citydeskctl calls heatmap --json` prints it and
 * `GET /api/v1/calls/heatmap` answers it (docs/calls.md, "Peak hours"):
 * per weekday, the days of it in the period, the calls per hour and
 * their average per day (null for a weekday the period does not hold).
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
cd_call_heatmap_to_json (const CdCallHeatmap *self,
                         GTimeZone           *zone)
{
  JsonObject *object = json_object_new ();
  JsonArray *rows = json_array_new ();
  guint total = 0;

  cd_call_json_set_time (object, "from", self->from, zone);
  cd_call_json_set_time (object, "to", self->to, zone);
  for (guint d = 0; d < 7; d++)
    {
      JsonObject *row = json_object_new ();
      JsonArray *offered = json_array_new ();
      JsonArray *average = json_array_new ();

      json_object_set_string_member (row, "weekday", weekdays[d]);
      json_object_set_int_member (row, "days", self->days[d]);
      for (guint h = 0; h < 24; h++)
        {
          json_array_add_int_element (offered, self->offered[d][h]);
          if (self->days[d] > 0)
            json_array_add_double_element (average,
                                           (double) self->offered[d][h] / self->days[d]);
          else
            json_array_add_null_element (average);
          total += self->offered[d][h];
        }
      json_object_set_array_member (row, "offered", offered);
      json_object_set_array_member (row, "average", average);
      json_array_add_object_element (rows, row);
    }
  json_object_set_int_member (object, "offered", total);
  json_object_set_array_member (object, "weekdays", rows);
  return object;
}
