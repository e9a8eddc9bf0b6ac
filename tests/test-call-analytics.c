// SPDX-License-Identifier: GPL-3.0-or-later
/* test-call-analytics.c: the calls' figures read off the store's table
 * (cd_store_call_stats()), and `citydeskctl calls heatmap` and
 * `calls forecast` (the real binary, CITYDESK_CTL) on a real SQLite file
 *
 * The clock is UTC (TZ), so that the days and hours below are the local
 * ones the commands use.
 */

#include "config.h"

#include <string.h>

#include "cd-store-calls.h"
#include "cd-test.h"
#include "cd-test-ctl.h"

/* 2026-03-02 00:00:00 UTC, a Monday. */
#define MONDAY 1772409600
#define HOUR 3600
#define DAY (24 * HOUR)

static void
add_call (CdStore       *store,
          gint64         entered,
          CdCallOutcome  outcome,
          gint64         hold,
          gint64         talk,
          const char    *agent,
          const char    *ringer)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT ".%d", entered, g_random_int ());
  g_autoptr(CdCall) call = cd_call_new (id, "city", entered);
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  call->hold_seconds = hold;
  call->talk_seconds = talk;
  if (agent != NULL)
    {
      call->agent = g_strdup (agent);
      call->answered_at = entered + hold;
    }
  if (ringer != NULL)
    {
      cd_call_add_ring (call, ringer);
      cd_call_add_ring (call, ringer);
      cd_call_add_ring (call, "PJSIP/9 night");
    }
  cd_call_end (call, outcome, entered + hold + talk);
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_no_error (error);
  g_assert_true (added);
}

/* Three Mondays before MONDAY: 10 calls each from 09:00, one a minute,
 * answered by A after 10 s and talked 120 s; on the latest Monday, one
 * in three was abandoned (or left by the timeout) instead, and B let
 * the odd answered and the even abandoned ones ring twice. */
static char *
make_db (void)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  char *db;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  db = g_build_filename (g_get_user_cache_dir (), "call-analytics.db", NULL);
  g_remove (db);
  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (store, &error));
  for (guint week = 1; week <= 3; week++)
    for (guint i = 0; i < 10; i++)
      {
        gint64 at = MONDAY - week * 7 * DAY + 9 * HOUR + 60 * i;

        if (week == 1 && i % 3 == 2)
          add_call (store, at, i % 2 == 0 ? CD_CALL_ABANDONED : CD_CALL_TIMEOUT, i * 4, 0, NULL,
                    i % 2 == 0 ? "PJSIP/B" : NULL);
        else
          add_call (store, at, i % 2 == 0 ? CD_CALL_ANSWERED : CD_CALL_TRANSFERRED, 10, 120,
                    "PJSIP/A", week == 1 && i % 2 == 1 ? "PJSIP/B" : NULL);
      }
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  return db;
}

static void
assert_same_interval (const CdCallInterval *a,
                      const CdCallInterval *b)
{
  g_assert_cmpint (a->start, ==, b->start);
  g_assert_cmpint (a->end, ==, b->end);
  g_assert_cmpuint (a->offered, ==, b->offered);
  g_assert_cmpuint (a->answered, ==, b->answered);
  g_assert_cmpuint (a->answered_within, ==, b->answered_within);
  g_assert_cmpuint (a->abandoned, ==, b->abandoned);
  g_assert_cmpuint (a->abandoned_within, ==, b->abandoned_within);
  g_assert_cmpuint (a->short_abandoned, ==, b->short_abandoned);
  g_assert_cmpuint (a->other, ==, b->other);
  g_assert_cmpint (a->answered_wait, ==, b->answered_wait);
  g_assert_cmpint (a->handle, ==, b->handle);
  g_assert_cmpint (a->longest_wait, ==, b->longest_wait);
}

/* The lean scan counts what the calls built from their events count. */
static void
test_store_stats (void)
{
  g_autofree char *db = make_db ();
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(CdCallStats) lean = NULL;
  g_autoptr(CdCallStats) full = NULL;
  g_autoptr(GError) error = NULL;
  const CdCallStatsLimits limits = { 20, 9 };
  gint64 from = MONDAY - 7 * DAY + 9 * HOUR + 120, to = MONDAY;

  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_call_stats (store, from, to, 900, utc, &limits, &lean, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_list_calls (store, from, to, &calls, &error));
  full = cd_call_stats_new (calls, from, to, 900, utc, &limits, &error);
  g_assert_no_error (error);

  /* From 09:02 on the latest Monday, calls i = 2 to 9: i = 2 abandoned
   * after 8 s, 5 left by the timeout after 20 s, 8 abandoned after 32 s;
   * 3 4 6 7 9 answered. */
  g_assert_cmpuint (lean->total.offered, ==, 8);
  g_assert_cmpuint (lean->total.answered, ==, 5);
  g_assert_cmpuint (lean->total.short_abandoned, ==, 1);   /* 8 s, under 9 */
  g_assert_cmpuint (lean->total.abandoned, ==, 1);         /* 32 s */
  g_assert_cmpuint (lean->total.other, ==, 1);
  g_assert_cmpuint (lean->intervals->len, ==, full->intervals->len);
  for (guint i = 0; i < lean->intervals->len; i++)
    assert_same_interval (&g_array_index (lean->intervals, CdCallInterval, i),
                          &g_array_index (full->intervals, CdCallInterval, i));
  assert_same_interval (&lean->total, &full->total);

  /* A answered five; B let i = 2 3 7 8 9 ring twice each (the odd
   * answered ones, the even abandoned ones); the night shift's PJSIP/9
   * once on each of those. */
  g_assert_cmpuint (lean->operators->len, ==, 3);
  for (guint i = 0; i < lean->operators->len; i++)
    {
      const CdCallOperator *a = g_ptr_array_index (lean->operators, i);
      const CdCallOperator *b = g_ptr_array_index (full->operators, i);

      g_assert_cmpstr (a->agent, ==, b->agent);
      g_assert_cmpuint (a->handled, ==, b->handled);
      g_assert_cmpint (a->handle, ==, b->handle);
      g_assert_cmpuint (a->missed, ==, b->missed);
    }
  g_assert_cmpstr (((CdCallOperator *) lean->operators->pdata[0])->agent, ==, "PJSIP/9 night");
  g_assert_cmpuint (((CdCallOperator *) lean->operators->pdata[0])->missed, ==, 5);
  g_assert_cmpuint (((CdCallOperator *) lean->operators->pdata[1])->handled, ==, 5);
  g_assert_cmpuint (((CdCallOperator *) lean->operators->pdata[2])->missed, ==, 10);

  g_clear_pointer (&lean, cd_call_stats_free);
  g_assert_false (cd_store_call_stats (store, to, from, 900, utc, &limits, &lean, &error));
  g_assert_error (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID);
  g_assert_null (lean);
}

static JsonObject *
run_json (JsonParser *parser,
          const char *first,
          ...) G_GNUC_NULL_TERMINATED;

static JsonObject *
run_json (JsonParser *parser,
          const char *first,
          ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("CITYDESK_CTL"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_heatmap (void)
{
  g_autofree char *db = make_db ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL;
  JsonObject *root, *monday;
  JsonArray *weekdays;

  /* The two latest weeks: two Mondays, 20 calls at 09:00. */
  root = run_json (parser, "calls", "heatmap", "--db", db, "--from", "2026-02-16T00:00:00",
                   "--to", "2026-03-02T00:00:00", NULL);
  g_assert_cmpint (json_object_get_int_member (root, "offered"), ==, 20);
  weekdays = json_object_get_array_member (root, "weekdays");
  g_assert_cmpuint (json_array_get_length (weekdays), ==, 7);
  monday = json_array_get_object_element (weekdays, 0);
  g_assert_cmpstr (json_object_get_string_member (monday, "weekday"), ==, "monday");
  g_assert_cmpint (json_object_get_int_member (monday, "days"), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (monday, "offered"),
                                               9), ==, 20);
  g_assert_cmpfloat (json_array_get_double_element (
                         json_object_get_array_member (monday, "average"), 9), ==, 10.0);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (monday, "offered"),
                                               10), ==, 0);

  g_assert_cmpint (cd_test_ctl (&out, &err, "calls", "heatmap", "--db", db, "--from",
                                "2026-02-16T00:00:00", "--to", "2026-03-02T00:00:00", NULL),
                   ==, 0);
  g_test_message ("%s%s", out, err);
  g_assert_nonnull (strstr (out, "10.0"));
  g_assert_nonnull (strstr (out, "Mon"));
}

static void
test_forecast (void)
{
  g_autofree char *db = make_db ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL;
  JsonObject *root, *nine;
  JsonArray *intervals;

  /* 10 calls at 09:00 on each of three Mondays, talked 120 s (the
   * latest's answered ones too): 10 expected, AHT 120. 1/3 Erlang: one
   * agent answers 73 % within 40 s (1 − ⅓·e^(−⅔·40/120)), two do more
   * than 80 %; with half the time off the phones, 4 scheduled. The day is
   * over and had no call: all its intervals are over, and keep the plain
   * forecast. */
  root = run_json (parser, "calls", "forecast", "--db", db, "--day", "2026-03-02",
                   "--interval", "1h", "--shrinkage", "0.5", NULL);
  g_assert_cmpint (json_object_get_int_member (root, "history_days"), ==, 3);
  g_assert_true (json_object_get_boolean_member (root, "same_weekday"));
  g_assert_cmpint (json_object_get_int_member (root, "interval_seconds"), ==, 3600);
  intervals = json_object_get_array_member (root, "intervals");
  g_assert_cmpuint (json_array_get_length (intervals), ==, 24);
  nine = json_array_get_object_element (intervals, 9);
  g_assert_cmpint (json_object_get_int_member (nine, "start_unix"), ==, MONDAY + 9 * HOUR);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (nine, "calls"), 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (nine, "aht_seconds"), 120,
                                  1e-9);
  g_assert_cmpint (json_object_get_int_member (nine, "agents"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (nine, "scheduled"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (intervals, 10),
                                               "agents"), ==, 0);

  /* A Tuesday has no Tuesday before it: every day of the weeks counts. */
  root = run_json (parser, "calls", "forecast", "--db", db, "--day", "2026-03-03", NULL);
  g_assert_cmpint (json_object_get_int_member (root, "history_days"), ==, 3);
  g_assert_false (json_object_get_boolean_member (root, "same_weekday"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "intervals")), ==,
                    48);

  g_assert_cmpint (cd_test_ctl (&out, &err, "calls", "forecast", "--db", db, "--day",
                                "2026-03-02", "--interval", "1h", NULL), ==, 0);
  g_test_message ("%s%s", out, err);
  g_assert_nonnull (strstr (out, "2026-03-02 09:00"));
  g_assert_nonnull (strstr (out, "3 past days"));
}

static void
assert_refused (const char *option,
                ...) G_GNUC_NULL_TERMINATED;

static void
assert_refused (const char *option,
                ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("CITYDESK_CTL"));
  va_start (ap, option);
  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %s", option, err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, option));
  g_assert_cmpstr (out, ==, "");
}

static void
test_bad_arguments (void)
{
  g_autofree char *db = make_db ();

  assert_refused ("--from", "calls", "heatmap", "--db", db, "--to", "2026-03-02T00:00:00", NULL);
  assert_refused ("--to", "calls", "heatmap", "--db", db, "--from", "2026-03-02T00:00:00", "--to",
                  "2026-03-01T00:00:00", NULL);
  assert_refused ("--to", "calls", "heatmap", "--db", db, "--from", "2026-03-02T00:00:00", "--to",
                  "yesterday", NULL);
  assert_refused ("3660 days", "calls", "heatmap", "--db", db, "--from", "1990-01-01T00:00:00",
                  "--to", "2026-03-02T00:00:00", NULL);
  assert_refused ("--day", "calls", "forecast", "--db", db, "--day", "2026-13-01", NULL);
  assert_refused ("--day", "calls", "forecast", "--db", db, "--day", "2026-03-02T09:00", NULL);
  assert_refused ("--interval", "calls", "forecast", "--db", db, "--interval", "0", NULL);
  assert_refused ("--interval", "calls", "forecast", "--db", db, "--interval", "30s", NULL);
  assert_refused ("--interval", "calls", "forecast", "--db", db, "--interval", "2d", NULL);
  assert_refused ("--target", "calls", "forecast", "--db", db, "--target", "-5s", NULL);
  assert_refused ("--sl", "calls", "forecast", "--db", db, "--sl", "1", NULL);
  assert_refused ("--sl", "calls", "forecast", "--db", db, "--sl", "nan", NULL);
  assert_refused ("--sl", "calls", "forecast", "--db", db, "--sl", "0.8x", NULL);
  assert_refused ("--shrinkage", "calls", "forecast", "--db", db, "--shrinkage", "1", NULL);
  assert_refused ("--max-occupancy", "calls", "forecast", "--db", db, "--max-occupancy", "0",
                  NULL);
  assert_refused ("heatmap", "calls", "heat", "--db", db, NULL);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, NULL);
  g_test_add_func ("/call-analytics/store-stats", test_store_stats);
  g_test_add_func ("/call-analytics/heatmap", test_heatmap);
  g_test_add_func ("/call-analytics/forecast", test_forecast);
  g_test_add_func ("/call-analytics/bad-arguments", test_bad_arguments);
  return g_test_run ();
}
