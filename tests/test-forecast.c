// SPDX-License-Identifier: GPL-3.0-or-later
/* test-forecast.c: the day's forecast and the heatmap on hand-made
 * histories
 *
 * Every expected figure is worked out by hand in the comments beside it.
 */

#include <math.h>

#include "cd-call-stats.h"
#include "cd-forecast.h"
#include "cd-test.h"

/* 2026-03-02 00:00:00 UTC, a Monday. */
#define MONDAY 1772409600
#define HOUR 3600
#define DAY (24 * HOUR)

static const CdErlangTarget target = { 0.8, 0.85, 0.3 };

/* @n calls entering from @at, one a minute, answered at once and talked
 * for @talk seconds. */
static void
add_calls (GArray *rows,
           gint64  at,
           guint   n,
           gint64  talk)
{
  for (guint i = 0; i < n; i++)
    {
      CdCallRow row = { at + 60 * i, at + 60 * i + 5, at + 60 * i + 5 + talk, CD_CALL_ANSWERED,
                        5, talk };

      g_array_append_val (rows, row);
    }
}

static const CdForecastInterval *
nth (const CdForecast *forecast,
     guint             i)
{
  return &g_array_index (forecast->intervals, CdForecastInterval, i);
}

static CdForecast *
forecast (GArray     *rows,
          gint64      now,
          GTimeZone  *zone)
{
  g_autoptr(GError) error = NULL;
  CdForecast *result = cd_forecast_new ((CdCallRow *) rows->data, rows->len, MONDAY + 3 * HOUR,
                                        now, HOUR, zone, &target, 20, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_same_weekday (void)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CdCallRow));
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(CdForecast) result = NULL;
  const CdForecastInterval *nine;

  /* Mondays 1, 2 and 3 weeks back, at 09:00: 10, 20, 40 calls talked 100,
   * 200, 300 s; they weigh 1, 0.75, 0.5625. */
  add_calls (rows, MONDAY - 7 * DAY + 9 * HOUR, 10, 100);
  add_calls (rows, MONDAY - 14 * DAY + 9 * HOUR, 20, 200);
  add_calls (rows, MONDAY - 21 * DAY + 9 * HOUR, 40, 300);
  /* A Tuesday is another weekday: left out. So is a Monday 9 weeks back,
   * out of the history. */
  add_calls (rows, MONDAY - 6 * DAY + 9 * HOUR, 50, 60);
  add_calls (rows, MONDAY - 63 * DAY + 9 * HOUR, 50, 60);

  result = forecast (rows, MONDAY, utc);
  g_assert_cmpuint (result->history_days, ==, 3);
  g_assert_true (result->same_weekday);
  g_assert_cmpfloat (result->scale, ==, 1.0);
  g_assert_cmpuint (result->intervals->len, ==, 24);
  g_assert_cmpint (nth (result, 0)->start, ==, MONDAY);
  g_assert_cmpint (nth (result, 23)->end, ==, MONDAY + DAY);

  nine = nth (result, 9);
  g_assert_cmpint (nine->start, ==, MONDAY + 9 * HOUR);
  /* (10 + 0.75 × 20 + 0.5625 × 40) / 2.3125 = 47.5 / 2.3125 */
  g_assert_cmpfloat_with_epsilon (nine->calls, 47.5 / 2.3125, 1e-9);
  /* (1000 + 0.75 × 4000 + 0.5625 × 12000) / 47.5 = 10750 / 47.5 */
  g_assert_cmpfloat_with_epsilon (nine->aht, 10750 / 47.5, 1e-9);
  /* 1.29 Erlangs: 2 agents answer 52 % within 20 s, 3 answer 86 %;
   * 3 / (1 − 0.3) = 4.3, so 5 scheduled. */
  g_assert_cmpuint (nine->agents, ==, 3);
  g_assert_cmpuint (nine->scheduled, ==, 5);

  /* No call came at 10:00 in any week: nothing expected, nobody needed. */
  g_assert_cmpfloat (nth (result, 10)->calls, ==, 0.0);
  g_assert_cmpuint (nth (result, 10)->agents, ==, 0);
  g_assert_cmpuint (nth (result, 10)->scheduled, ==, 0);
}

static void
test_fallback (void)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CdCallRow));
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(CdForecast) result = NULL;

  /* Two Mondays only, fewer than CD_FORECAST_MIN_DAYS: every day with
   * calls counts, by its week: yesterday, the day before and a week back
   * weigh 1, two weeks back 0.75. */
  add_calls (rows, MONDAY - 1 * DAY + 9 * HOUR, 4, 60);
  add_calls (rows, MONDAY - 2 * DAY + 9 * HOUR, 8, 60);
  add_calls (rows, MONDAY - 7 * DAY + 9 * HOUR, 10, 60);
  add_calls (rows, MONDAY - 14 * DAY + 9 * HOUR, 20, 60);

  result = forecast (rows, MONDAY, utc);
  g_assert_cmpuint (result->history_days, ==, 4);
  g_assert_false (result->same_weekday);
  /* (4 + 8 + 10 + 0.75 × 20) / 3.75 */
  g_assert_cmpfloat_with_epsilon (nth (result, 9)->calls, 37 / 3.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (nth (result, 9)->aht, 60, 1e-9);
}

static void
test_today_scales (void)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CdCallRow));
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(CdForecast) result = NULL;

  for (guint week = 1; week <= 3; week++)
    {
      add_calls (rows, MONDAY - week * 7 * DAY + 8 * HOUR, 10, 120);
      add_calls (rows, MONDAY - week * 7 * DAY + 9 * HOUR, 10, 120);
    }
  /* Today: 20 calls from 08:00, where 10 were expected; at 09:00 the
   * 08:00 interval is over, the 9 o'clock one's first call is not in
   * yet. r = 2, damped: 1 + (2 − 1) × 10 / (10 + 20) = 4/3. */
  add_calls (rows, MONDAY + 8 * HOUR, 20, 120);
  add_calls (rows, MONDAY + 9 * HOUR + 30, 5, 120);

  result = forecast (rows, MONDAY + 9 * HOUR, utc);
  g_assert_cmpfloat_with_epsilon (result->scale, 4.0 / 3.0, 1e-9);
  /* The interval over keeps the plain forecast; the rest are scaled. */
  g_assert_cmpfloat_with_epsilon (nth (result, 8)->calls, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (nth (result, 9)->calls, 40.0 / 3.0, 1e-9);
  g_assert_cmpfloat (nth (result, 10)->calls, ==, 0.0);

  /* Before any interval is over, nothing scales. */
  g_clear_pointer (&result, cd_forecast_free);
  result = forecast (rows, MONDAY + 8 * HOUR + 1800, utc);
  g_assert_cmpfloat (result->scale, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (nth (result, 8)->calls, 10, 1e-9);
}

static void
test_no_history (void)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CdCallRow));
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(CdForecast) result = NULL;

  add_calls (rows, MONDAY + 8 * HOUR, 20, 120);
  result = forecast (rows, MONDAY + 12 * HOUR, utc);
  g_assert_cmpuint (result->history_days, ==, 0);
  g_assert_cmpuint (result->intervals->len, ==, 24);
  for (guint i = 0; i < result->intervals->len; i++)
    {
      g_assert_cmpfloat (nth (result, i)->calls, ==, 0.0);
      g_assert_cmpuint (nth (result, i)->scheduled, ==, 0);
    }
}

static void
test_clock_change (void)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CdCallRow));
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdForecast) result = NULL;
  /* 2026-03-29, the clocks go forward at 02:00: its midnight is 23:00 UTC
   * the day before, and the day is 23 hours long. */
  gint64 day = 1774738800;

  if (berlin == NULL)
    {
      g_test_skip ("no time zone data for Europe/Berlin");
      return;
    }
  g_assert_cmpint (cd_forecast_day_start (day + 12 * HOUR, berlin), ==, day);
  /* 10:00 local on the Sundays before, 09:00 UTC. */
  add_calls (rows, day - 7 * DAY + 10 * HOUR, 6, 60);
  add_calls (rows, day - 14 * DAY + 10 * HOUR, 6, 60);
  add_calls (rows, day - 21 * DAY + 10 * HOUR, 6, 60);
  result = cd_forecast_new ((CdCallRow *) rows->data, rows->len, day, day, HOUR, berlin,
                            &target, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->intervals->len, ==, 23);
  /* Local 10:00 is the tenth interval of the day (02:00 is skipped) and
   * starts at 08:00 UTC, after the change. */
  g_assert_cmpint (nth (result, 9)->start, ==, day + 9 * HOUR);
  g_assert_cmpfloat_with_epsilon (nth (result, 9)->calls, 6, 1e-9);
}

static void
test_refused (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  CdErlangTarget bad = { 1.5, 0.85, 0.3 };

  g_assert_null (cd_forecast_new (NULL, 0, MONDAY, MONDAY, 0, utc, &target, 20, &error));
  g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cd_forecast_new (NULL, 0, MONDAY, MONDAY, 2 * DAY, utc, &target, 20, &error));
  g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cd_forecast_new (NULL, 0, MONDAY, MONDAY, HOUR, utc, &bad, 20, &error));
  g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cd_forecast_new (NULL, 0, MONDAY, MONDAY, HOUR, utc, &target, -1, &error));
  g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
}

static void
test_heatmap (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) india = g_time_zone_new_identifier ("+05:30");
  g_autoptr(CdCallHeatmap) map = NULL;
  g_autoptr(GError) error = NULL;

  /* A week from Monday: one of each weekday. */
  map = cd_call_heatmap_new (MONDAY, MONDAY + 7 * DAY, utc, &error);
  g_assert_no_error (error);
  for (guint d = 0; d < 7; d++)
    g_assert_cmpuint (map->days[d], ==, 1);
  cd_call_heatmap_add (map, MONDAY + 9 * HOUR + 900, utc);           /* Monday 09 */
  cd_call_heatmap_add (map, MONDAY + 9 * HOUR + 3599, utc);          /* Monday 09 */
  cd_call_heatmap_add (map, MONDAY + 7 * DAY - 1, utc);              /* Sunday 23 */
  cd_call_heatmap_add (map, MONDAY + 7 * DAY, utc);                  /* out */
  cd_call_heatmap_add (map, MONDAY - 1, utc);                        /* out */
  g_assert_cmpuint (map->offered[0][9], ==, 2);
  g_assert_cmpuint (map->offered[6][23], ==, 1);
  g_assert_cmpuint (map->offered[0][0] + map->offered[0][10], ==, 0);
  g_clear_pointer (&map, cd_call_heatmap_free);

  /* The same week on a clock 5:30 ahead runs from Monday 05:30 to the
   * next Monday 05:30: two Mondays, in part. Sunday 20:00 UTC is
   * Monday 01:30 there. */
  map = cd_call_heatmap_new (MONDAY, MONDAY + 7 * DAY, india, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (map->days[0], ==, 2);
  g_assert_cmpuint (map->days[6], ==, 1);
  cd_call_heatmap_add (map, MONDAY + 6 * DAY + 20 * HOUR, india);
  g_assert_cmpuint (map->offered[0][1], ==, 1);
  g_clear_pointer (&map, cd_call_heatmap_free);

  g_assert_null (cd_call_heatmap_new (MONDAY, MONDAY, utc, &error));
  g_assert_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cd_call_heatmap_new (0, G_MAXINT64 / 2, utc, &error));
  g_assert_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);
  g_test_add_func ("/forecast/same-weekday", test_same_weekday);
  g_test_add_func ("/forecast/fallback", test_fallback);
  g_test_add_func ("/forecast/today-scales", test_today_scales);
  g_test_add_func ("/forecast/no-history", test_no_history);
  g_test_add_func ("/forecast/clock-change", test_clock_change);
  g_test_add_func ("/forecast/refused", test_refused);
  g_test_add_func ("/forecast/heatmap", test_heatmap);
  return g_test_run ();
}
