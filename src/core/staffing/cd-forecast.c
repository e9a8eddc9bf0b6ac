// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-forecast.c: a day's calls forecast from its history, and the staff
 *
 * The method (docs/staffing.md, "Forecast"):
 *
 * 1. The history is the CD_FORECAST_WEEKS weeks before the day. A past day
 *    counts when it holds a call (a day the PBX was down, or before the
 *    queue opened, would teach that nobody calls). The days of the same
 *    weekday are used when there are at least CD_FORECAST_MIN_DAYS of
 *    them; otherwise every day of those weeks, which is a worse guess of
 *    the day's shape but a better one than none.
 * 2. A day k weeks back weighs CD_FORECAST_WEEK_WEIGHT^(k − 1): the season
 *    moves, and last week says more of it than two months ago.
 * 3. Each interval of the day, on the local clock, expects the weighted
 *    mean of the calls that entered in the same interval of those days,
 *    and the weighted AHT of their answered calls (the whole history's AHT
 *    where that interval answered none).
 * 4. Today so far: over the intervals already over, the calls that came
 *    (A) against those forecast (F) give the ratio r = A / F. It is damped
 *    by how much it rests on, s = 1 + (r − 1) · F / (F + CD_FORECAST_DAMPING),
 *    kept within [CD_FORECAST_MIN_SCALE, CD_FORECAST_MAX_SCALE], and scales
 *    the intervals not yet over: a quiet first half hour moves the day
 *    little, a morning running 30 % above the forecast moves the rest of
 *    it nearly as much. The intervals over keep the plain forecast, to
 *    read against what came.
 * 5. Each interval's operators are Erlang C's for the target
 *    (cd_erlang_agents_needed()).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cd-forecast.h"

void
cd_forecast_free (CdForecast *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->intervals, g_array_unref);
  g_free (self);
}

static gint64
local_seconds (gint64     time,
               GTimeZone *zone)
{
  int type = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, time);

  return time + (type >= 0 ? g_time_zone_get_offset (zone, type) : 0);
}

/* The local day's number since 1970-01-01, and the seconds into it. */
static gint64
local_day (gint64     time,
           GTimeZone *zone,
           gint64    *seconds)
{
  gint64 local = local_seconds (time, zone);
  gint64 day = local / 86400;

  if (local % 86400 < 0)
    day--;
  if (seconds != NULL)
    *seconds = local - day * 86400;
  return day;
}

static GDateTime *
local_midnight (gint64     time,
                GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL || (local = g_date_time_to_timezone (utc, zone)) == NULL)
    return NULL;
  return g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local), 0, 0, 0);
}

/**
 * cd_forecast_day_start:
 * @time: Unix seconds
 * @zone: the local clock
 *
 * Returns: the start of the local day holding @time (its midnight, or its
 *   first instant where the clock skips midnight), or @time when out of
 *   GLib's range
 */
gint64
cd_forecast_day_start (gint64     time,
                       GTimeZone *zone)
{
  g_autoptr(GDateTime) midnight = local_midnight (time, zone);

  return midnight != NULL ? g_date_time_to_unix (midnight) : time;
}

/**
 * cd_forecast_history_range:
 * @day_start: the forecast day's start (cd_forecast_day_start())
 * @zone: the local clock
 * @from: (out): the history's start: CD_FORECAST_WEEKS weeks before
 * @to: (out): the day's end
 *
 * The calls cd_forecast_new() wants: the history and the day itself.
 */
void
cd_forecast_history_range (gint64     day_start,
                           GTimeZone *zone,
                           gint64    *from,
                           gint64    *to)
{
  g_autoptr(GDateTime) midnight = local_midnight (day_start, zone);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) next = NULL;

  if (midnight == NULL || (first = g_date_time_add_weeks (midnight, -CD_FORECAST_WEEKS)) == NULL ||
      (next = g_date_time_add_days (midnight, 1)) == NULL)
    {
      *from = day_start - CD_FORECAST_WEEKS * 7 * 86400;
      *to = day_start + 86400;
      return;
    }
  *from = g_date_time_to_unix (first);
  *to = g_date_time_to_unix (next);
}

/* The history laid out per past day (by age in days, 1 = yesterday) and
 * per slot of the local day. */
typedef struct
{
  guint   n_slots;
  double *offered;    /* [age * n_slots + slot] */
  double *answered;
  double *handle;
  guint   calls[CD_FORECAST_WEEKS * 7 + 1];
} History;

static void
history_clear (History *history)
{
  g_free (history->offered);
  g_free (history->answered);
  g_free (history->handle);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (History, history_clear)

static double
day_weight (guint age)
{
  return pow (CD_FORECAST_WEEK_WEIGHT, (age - 1) / 7);
}

/* Which past days to use and how much each weighs (0: not used). */
static guint
choose_days (const History *history,
             double        *weights,
             gboolean      *same_weekday)
{
  guint n = 0;

  for (guint age = 7; age <= CD_FORECAST_WEEKS * 7; age += 7)
    if (history->calls[age] > 0)
      n++;
  *same_weekday = n >= CD_FORECAST_MIN_DAYS;
  n = 0;
  for (guint age = 1; age <= CD_FORECAST_WEEKS * 7; age++)
    {
      weights[age] = 0.0;
      if (history->calls[age] == 0 || (*same_weekday && age % 7 != 0))
        continue;
      weights[age] = day_weight (age);
      n++;
    }
  return n;
}

static gboolean
check_input (gint64                interval,
             const CdErlangTarget *target,
             gint64                target_seconds,
             GError              **error)
{
  CdErlangLoad none = { 0.0, 1800.0, 1.0, (double) target_seconds, 0.0 };
  CdErlangStaffing staffing;

  if (interval < 60 || interval > 86400)
    {
      g_set_error_literal (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID,
                           _("The interval must be between 1 minute and 1 day."));
      return FALSE;
    }
  /* No call: checks the target and the threshold only. */
  return cd_erlang_agents_needed (&none, target, &staffing, error);
}

/**
 * cd_forecast_new:
 * @rows: (array length=n_rows): the calls that entered from the history's
 *   start to the day's end (cd_forecast_history_range()), in any order;
 *   others are left out
 * @n_rows: how many
 * @day_start: the day to forecast (any time in it: its local day is
 *   taken)
 * @now: Unix seconds: the day's calls before it count as how the day
 *   runs so far; those after it are not looked at
 * @interval: the intervals' length in seconds, on the local clock (60 up
 *   to 86400)
 * @zone: the local clock
 * @target: the service level, occupancy and shrinkage to staff for
 * @target_seconds: the service level's threshold (answered within it)
 * @error: a #CD_ERLANG_ERROR_INVALID for a bad interval or target
 *
 * The day's forecast, made as the file's comment says. With no history
 * it holds the day's intervals with nothing expected, and @history_days
 * 0.
 *
 * Returns: (transfer full): the forecast, or %NULL
 */
CdForecast *
cd_forecast_new (const CdCallRow       *rows,
                 gsize                  n_rows,
                 gint64                 day_start,
                 gint64                 now,
                 gint64                 interval,
                 GTimeZone             *zone,
                 const CdErlangTarget  *target,
                 gint64                 target_seconds,
                 GError               **error)
{
  g_autoptr(CdForecast) self = NULL;
  g_auto(History) history = { 0 };
  g_autofree double *today = NULL;
  double weights[CD_FORECAST_WEEKS * 7 + 1];
  double weight_sum = 0.0, all_answered = 0.0, all_handle = 0.0;
  double came = 0.0, expected = 0.0;
  gint64 first, day_end, start, today_number;
  gsize n_cells;

  g_return_val_if_fail (zone != NULL && target != NULL && (rows != NULL || n_rows == 0), NULL);

  if (!check_input (interval, target, target_seconds, error))
    return NULL;
  day_start = cd_forecast_day_start (day_start, zone);
  cd_forecast_history_range (day_start, zone, &first, &day_end);
  today_number = local_day (day_start, zone, NULL);

  history.n_slots = (guint) ((86400 + interval - 1) / interval);
  n_cells = (gsize) history.n_slots * (CD_FORECAST_WEEKS * 7 + 1);
  history.offered = g_new0 (double, n_cells);
  history.answered = g_new0 (double, n_cells);
  history.handle = g_new0 (double, n_cells);
  today = g_new0 (double, history.n_slots);
  for (gsize i = 0; i < n_rows; i++)
    {
      const CdCallRow *row = &rows[i];
      gint64 seconds, age;
      gsize slot, cell;

      if (row->entered_at < first || row->entered_at >= day_end)
        continue;
      age = today_number - local_day (row->entered_at, zone, &seconds);
      slot = (gsize) MIN (seconds / interval, (gint64) history.n_slots - 1);
      if (age == 0)
        {
          if (row->entered_at < now)
            today[slot]++;
          continue;
        }
      if (age < 0 || age > CD_FORECAST_WEEKS * 7)
        continue;
      cell = (gsize) age * history.n_slots + slot;
      history.calls[age]++;
      history.offered[cell]++;
      if (cd_call_row_is_answered (row))
        {
          history.answered[cell]++;
          history.handle[cell] += MAX (row->talk_seconds, 0);
        }
    }

  self = g_new0 (CdForecast, 1);
  self->intervals = g_array_new (FALSE, TRUE, sizeof (CdForecastInterval));
  self->scale = 1.0;
  self->history_days = choose_days (&history, weights, &self->same_weekday);
  for (guint age = 1; age <= CD_FORECAST_WEEKS * 7; age++)
    {
      weight_sum += weights[age];
      for (guint s = 0; weights[age] > 0 && s < history.n_slots; s++)
        {
          all_answered += weights[age] * history.answered[age * history.n_slots + s];
          all_handle += weights[age] * history.handle[age * history.n_slots + s];
        }
    }

  /* The day's intervals on the local clock; a day the clock changes on is
   * an hour shorter or longer, its intervals found by their local time. */
  for (start = day_start; start < day_end;)
    {
      CdForecastInterval one = { 0 };
      double offered = 0.0, answered = 0.0, handle = 0.0;
      gint64 seconds;
      guint slot;

      local_day (start, zone, &seconds);
      slot = (guint) MIN (seconds / interval, (gint64) history.n_slots - 1);
      one.start = start;
      one.end = start + (interval - seconds % interval);
      if (one.end <= start)
        one.end = start + interval;
      one.end = MIN (one.end, day_end);
      for (guint age = 1; weight_sum > 0 && age <= CD_FORECAST_WEEKS * 7; age++)
        {
          gsize cell = (gsize) age * history.n_slots + slot;

          offered += weights[age] * history.offered[cell];
          answered += weights[age] * history.answered[cell];
          handle += weights[age] * history.handle[cell];
        }
      one.calls = weight_sum > 0 ? offered / weight_sum : 0.0;
      one.aht = answered > 0 ? handle / answered : all_answered > 0 ? all_handle / all_answered : 0;
      if (one.end <= now)
        {
          came += today[slot];
          expected += one.calls;
        }
      g_array_append_val (self->intervals, one);
      start = one.end;
    }

  if (expected > 0)
    {
      double ratio = came / expected;

      self->scale = 1.0 + (ratio - 1.0) * expected / (expected + CD_FORECAST_DAMPING);
      self->scale = CLAMP (self->scale, CD_FORECAST_MIN_SCALE, CD_FORECAST_MAX_SCALE);
    }

  for (guint i = 0; i < self->intervals->len; i++)
    {
      CdForecastInterval *one = &g_array_index (self->intervals, CdForecastInterval, i);
      CdErlangStaffing staffing;
      CdErlangLoad load;

      if (one->end > now)
        one->calls *= self->scale;
      if (one->calls <= 0 || one->aht <= 0)
        continue;
      load = (CdErlangLoad) {
        one->calls, (double) (one->end - one->start), one->aht, (double) target_seconds, 0.0,
      };
      if (!cd_erlang_agents_needed (&load, target, &staffing, error))
        return NULL;
      one->agents = staffing.on_phones;
      one->scheduled = staffing.scheduled;
    }
  return g_steal_pointer (&self);
}

/**
 * cd_forecast_to_json:
 * @self: a forecast
 * @interval: the intervals' length it was made with (seconds)
 * @target_seconds: the service level's threshold it was made with
 * @target: the target it was made with
 * @zone: the clock to show times on
 *
 * The forecast as `citydeskctl calls forecast --json` prints it and
 * `GET /api/v1/calls/forecast` answers it (docs/staffing.md, "Forecast").
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
cd_forecast_to_json (const CdForecast     *self,
                     gint64                interval,
                     gint64                target_seconds,
                     const CdErlangTarget *target,
                     GTimeZone            *zone)
{
  JsonObject *object = json_object_new ();
  JsonArray *intervals = json_array_new ();
  double calls = 0.0;

  if (self->intervals->len > 0)
    cd_call_json_set_time (object, "day",
                           g_array_index (self->intervals, CdForecastInterval, 0).start, zone);
  json_object_set_int_member (object, "interval_seconds", interval);
  json_object_set_int_member (object, "target_seconds", target_seconds);
  json_object_set_double_member (object, "service_level", target->service_level);
  json_object_set_double_member (object, "max_occupancy", target->max_occupancy);
  json_object_set_double_member (object, "shrinkage", target->shrinkage);
  json_object_set_int_member (object, "history_days", self->history_days);
  json_object_set_boolean_member (object, "same_weekday", self->same_weekday);
  json_object_set_double_member (object, "scale", self->scale);
  for (guint i = 0; i < self->intervals->len; i++)
    {
      const CdForecastInterval *one = &g_array_index (self->intervals, CdForecastInterval, i);
      JsonObject *row = json_object_new ();

      cd_call_json_set_time (row, "start", one->start, zone);
      cd_call_json_set_time (row, "end", one->end, zone);
      json_object_set_int_member (row, "start_unix", one->start);
      json_object_set_int_member (row, "end_unix", one->end);
      json_object_set_double_member (row, "calls", one->calls);
      json_object_set_double_member (row, "aht_seconds", one->aht);
      json_object_set_int_member (row, "agents", one->agents);
      json_object_set_int_member (row, "scheduled", one->scheduled);
      json_array_add_object_element (intervals, row);
      calls += one->calls;
    }
  json_object_set_double_member (object, "calls", calls);
  json_object_set_array_member (object, "intervals", intervals);
  return object;
}
