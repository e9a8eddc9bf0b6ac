// SPDX-License-Identifier: GPL-3.0-or-later
/* test-call-stats.c: interval statistics on hand-made call records
 *
 * Every expected figure is counted by hand in the comments beside it.
 */

#include <math.h>

#include "cd-call-stats.h"
#include "cd-test.h"

/* 2026-01-01 00:00:00 UTC */
#define DAY 1767225600

#define assert_share(got, num, den) g_assert_cmpfloat_with_epsilon ((got), (double) (num) / (den), \
                                                                   1e-12)

static void
add_call (GPtrArray     *calls,
          gint64         entered,
          CdCallOutcome  outcome,
          gint64         hold,
          gint64         talk,
          const char    *agent)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT ".%u", entered, calls->len);
  CdCall *call = cd_call_new (id, "city", entered);

  call->outcome = outcome;
  call->hold_seconds = hold;
  call->talk_seconds = talk;
  if (outcome == CD_CALL_ANSWERED || outcome == CD_CALL_TRANSFERRED)
    call->answered_at = entered + hold;
  call->ended_at = entered + hold + talk;
  call->agent = g_strdup (agent);
  g_ptr_array_add (calls, call);
}

static GPtrArray *
new_calls (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
}

/* Eight calls in the first half hour of the day, target 40 s, short
 * abandons under 5 s. */
static GPtrArray *
mixed_calls (void)
{
  GPtrArray *calls = new_calls ();
  CdCall *call;

  add_call (calls, DAY + 10, CD_CALL_ANSWERED, 10, 100, "A");    /* a: within */
  add_call (calls, DAY + 20, CD_CALL_ANSWERED, 40, 200, "A");    /* b: within, on the edge */
  add_call (calls, DAY + 30, CD_CALL_ANSWERED, 41, 60, "B");     /* c: late */
  call = g_ptr_array_index (calls, 2);
  cd_call_add_ring (call, "A");
  add_call (calls, DAY + 40, CD_CALL_ABANDONED, 30, 0, NULL);    /* d: abandoned within */
  add_call (calls, DAY + 50, CD_CALL_ABANDONED, 50, 0, NULL);    /* e: abandoned late */
  add_call (calls, DAY + 60, CD_CALL_ABANDONED, 3, 0, NULL);     /* f: short abandon */
  add_call (calls, DAY + 70, CD_CALL_TIMEOUT, 300, 0, NULL);     /* g: other */
  add_call (calls, DAY + 80, CD_CALL_TRANSFERRED, 5, 40, "B");   /* h: within */
  call = g_ptr_array_index (calls, 7);
  cd_call_add_ring (call, "A");
  cd_call_add_ring (call, "A");
  cd_call_add_ring (call, "C");
  return calls;
}

static void
test_service_levels (void)
{
  g_autoptr(GPtrArray) calls = mixed_calls ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const CdCallStatsLimits limits = { 40, 5 };
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  const CdCallInterval *i;
  const CdCallOperator *op;

  stats = cd_call_stats_new (calls, DAY, DAY + 1800, 1800, utc, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->intervals->len, ==, 1);
  i = &g_array_index (stats->intervals, CdCallInterval, 0);
  g_assert_cmpint (i->start, ==, DAY);
  g_assert_cmpint (i->end, ==, DAY + 1800);
  g_assert_cmpuint (i->offered, ==, 8);
  g_assert_cmpuint (i->answered, ==, 4);          /* a b c h */
  g_assert_cmpuint (i->answered_within, ==, 3);   /* a b h */
  g_assert_cmpuint (i->abandoned, ==, 2);         /* d e */
  g_assert_cmpuint (i->abandoned_within, ==, 1);  /* d */
  g_assert_cmpuint (i->short_abandoned, ==, 1);   /* f */
  g_assert_cmpuint (i->other, ==, 1);             /* g */
  g_assert_cmpint (i->longest_wait, ==, 300);     /* g */
  assert_share (cd_call_interval_sl_of_answered (i), 3, 4);
  assert_share (cd_call_interval_sl_of_answered_abandoned (i), 3, 6);
  /* (a b h + d) / (8 offered - f) */
  assert_share (cd_call_interval_sl2_of_offered (i), 4, 7);
  /* (10 + 40 + 41 + 5) / 4 and (100 + 200 + 60 + 40) / 4 */
  g_assert_cmpfloat_with_epsilon (cd_call_interval_asa (i), 24.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cd_call_interval_aht (i), 100.0, 1e-12);
  g_assert_cmpuint (stats->total.offered, ==, 8);
  g_assert_cmpuint (stats->total.answered_within, ==, 3);

  g_assert_cmpuint (stats->operators->len, ==, 3);
  op = g_ptr_array_index (stats->operators, 0);
  g_assert_cmpstr (op->agent, ==, "A");
  g_assert_cmpuint (op->handled, ==, 2);                                 /* a b */
  g_assert_cmpfloat_with_epsilon (cd_call_operator_aht (op), 150.0, 1e-12);  /* (100 + 200) / 2 */
  g_assert_cmpuint (op->missed, ==, 3);                                  /* c once, h twice */
  op = g_ptr_array_index (stats->operators, 1);
  g_assert_cmpstr (op->agent, ==, "B");
  g_assert_cmpuint (op->handled, ==, 2);                                 /* c h */
  g_assert_cmpfloat_with_epsilon (cd_call_operator_aht (op), 50.0, 1e-12);   /* (60 + 40) / 2 */
  g_assert_cmpuint (op->missed, ==, 0);
  op = g_ptr_array_index (stats->operators, 2);
  g_assert_cmpstr (op->agent, ==, "C");
  g_assert_cmpuint (op->handled, ==, 0);
  g_assert_true (isnan (cd_call_operator_aht (op)));
  g_assert_cmpuint (op->missed, ==, 1);
}

/* Without a short-abandon threshold f is an abandon within the target. */
static void
test_no_short_abandons (void)
{
  g_autoptr(GPtrArray) calls = mixed_calls ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const CdCallStatsLimits limits = { 40, 0 };
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  stats = cd_call_stats_new (calls, DAY, DAY + 1800, 1800, utc, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->total.abandoned, ==, 3);         /* d e f */
  g_assert_cmpuint (stats->total.abandoned_within, ==, 2);  /* d f */
  g_assert_cmpuint (stats->total.short_abandoned, ==, 0);
  assert_share (cd_call_interval_sl_of_answered (&stats->total), 3, 4);
  assert_share (cd_call_interval_sl_of_answered_abandoned (&stats->total), 3, 7);
  assert_share (cd_call_interval_sl2_of_offered (&stats->total), 5, 8);
}

/* A call belongs to the interval it entered in: the boundary's second
 * opens the next one, the period's end is left out; an interval without a
 * call has no shares. */
static void
test_boundaries (void)
{
  g_autoptr(GPtrArray) calls = new_calls ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const CdCallStatsLimits limits = { 40, 5 };
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  const CdCallInterval *i;

  add_call (calls, DAY - 1, CD_CALL_ANSWERED, 1, 10, "A");         /* before the period */
  add_call (calls, DAY, CD_CALL_ANSWERED, 1, 10, "A");             /* first */
  add_call (calls, DAY + 1799, CD_CALL_ANSWERED, 60, 10, "A");     /* first, late */
  add_call (calls, DAY + 1800, CD_CALL_ABANDONED, 20, 0, NULL);    /* second */
  add_call (calls, DAY + 5400, CD_CALL_ANSWERED, 1, 10, "A");      /* after the period */

  stats = cd_call_stats_new (calls, DAY, DAY + 5400, 1800, utc, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->intervals->len, ==, 3);

  i = &g_array_index (stats->intervals, CdCallInterval, 0);
  g_assert_cmpuint (i->offered, ==, 2);
  g_assert_cmpuint (i->answered_within, ==, 1);
  assert_share (cd_call_interval_sl_of_answered (i), 1, 2);
  g_assert_cmpint (i->longest_wait, ==, 60);

  i = &g_array_index (stats->intervals, CdCallInterval, 1);
  g_assert_cmpint (i->start, ==, DAY + 1800);
  g_assert_cmpuint (i->offered, ==, 1);
  g_assert_cmpuint (i->abandoned, ==, 1);
  g_assert_true (isnan (cd_call_interval_sl_of_answered (i)));
  assert_share (cd_call_interval_sl_of_answered_abandoned (i), 0, 1);
  assert_share (cd_call_interval_sl2_of_offered (i), 1, 1);   /* abandoned within 40 s */

  i = &g_array_index (stats->intervals, CdCallInterval, 2);
  g_assert_cmpint (i->start, ==, DAY + 3600);
  g_assert_cmpint (i->end, ==, DAY + 5400);
  g_assert_cmpuint (i->offered, ==, 0);
  g_assert_cmpint (i->longest_wait, ==, 0);
  g_assert_true (isnan (cd_call_interval_sl_of_answered (i)));
  g_assert_true (isnan (cd_call_interval_sl_of_answered_abandoned (i)));
  g_assert_true (isnan (cd_call_interval_sl2_of_offered (i)));
  g_assert_true (isnan (cd_call_interval_asa (i)));
  g_assert_true (isnan (cd_call_interval_aht (i)));

  g_assert_cmpuint (stats->total.offered, ==, 3);
  g_assert_cmpuint (stats->operators->len, ==, 1);
  g_assert_cmpuint (((CdCallOperator *) stats->operators->pdata[0])->handled, ==, 2);
}

/* Hours on a clock 5:30 ahead of UTC start at :30 UTC; a period that
 * starts mid-hour is cut there. */
static void
test_local_alignment (void)
{
  g_autoptr(GPtrArray) calls = new_calls ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("+05:30");
  const CdCallStatsLimits limits = { 40, 5 };
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  static const gint64 bounds[][2] = {
    { DAY, DAY + 1800 },                /* 05:30-06:00 local */
    { DAY + 1800, DAY + 5400 },         /* 06:00-07:00 */
    { DAY + 5400, DAY + 7200 },         /* 07:00-07:30, cut at the end */
  };

  g_assert_nonnull (zone);
  add_call (calls, DAY + 1799, CD_CALL_ANSWERED, 1, 10, "A");
  add_call (calls, DAY + 1800, CD_CALL_ANSWERED, 1, 10, "A");
  stats = cd_call_stats_new (calls, DAY, DAY + 7200, 3600, zone, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->intervals->len, ==, G_N_ELEMENTS (bounds));
  for (guint k = 0; k < G_N_ELEMENTS (bounds); k++)
    {
      const CdCallInterval *i = &g_array_index (stats->intervals, CdCallInterval, k);

      g_assert_cmpint (i->start, ==, bounds[k][0]);
      g_assert_cmpint (i->end, ==, bounds[k][1]);
      g_assert_cmpuint (i->offered, ==, k < 2 ? 1 : 0);
    }
}

static void
test_refused (void)
{
  g_autoptr(GPtrArray) calls = new_calls ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const CdCallStatsLimits limits = { 40, 5 };
  g_autoptr(GError) error = NULL;

  g_assert_null (cd_call_stats_new (calls, DAY, DAY, 1800, utc, &limits, &error));
  g_assert_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (cd_call_stats_new (calls, DAY, DAY + 60, 0, utc, &limits, &error));
  g_assert_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID);
  g_clear_error (&error);
  /* Two years of minutes. */
  g_assert_null (cd_call_stats_new (calls, DAY, DAY + 2 * 366 * 86400, 60, utc, &limits,
                                    &error));
  g_assert_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call-stats/service-levels", test_service_levels);
  g_test_add_func ("/call-stats/no-short-abandons", test_no_short_abandons);
  g_test_add_func ("/call-stats/boundaries", test_boundaries);
  g_test_add_func ("/call-stats/local-alignment", test_local_alignment);
  g_test_add_func ("/call-stats/refused", test_refused);
  return g_test_run ();
}
