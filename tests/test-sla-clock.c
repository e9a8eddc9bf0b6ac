// SPDX-License-Identifier: GPL-3.0-or-later
/* test-sla-clock.c: a ticket's clocks, evaluated from its events
 *
 * Every expected value was worked out by hand from the rules in
 * docs/sla-policy.md and the calendars below (the working hours between
 * two instants counted interval by interval), never with this code. The
 * "office" calendar is UTC, Monday to Friday 09:00-13:00 and 14:00-18:00,
 * with Wednesday 2026-03-11 a holiday; 2026-03-02 is a Monday. The shipped
 * ru calendar is Europe/Moscow (UTC+3), the same hours, with Monday
 * 2026-03-09 a holiday. Fixtures use ' for ".
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-sla-clock.h"

#include "cd-test.h"

static char *
quotes (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static gint64
iso (const char *text)
{
  g_autoptr(GDateTime) dt = NULL;

  if (g_str_equal (text, "null"))
    return CD_SLA_NEVER;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    g_error ("bad time in a test table: %s", text);
  return g_date_time_to_unix (dt);
}

#define OFFICE_DAY "[['09:00','13:00'],['14:00','18:00']]"

static GHashTable *
make_calendars (void)
{
  static const char * const shipped[] = { "ru", "ru-24x7" };
  GHashTable *calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) cd_sla_calendar_unref);
  g_autofree char *office = quotes (
    "{'timezone': 'UTC',"
    " 'week': {'mon': " OFFICE_DAY ", 'tue': " OFFICE_DAY ", 'wed': " OFFICE_DAY ","
    "          'thu': " OFFICE_DAY ", 'fri': " OFFICE_DAY ", 'sat': [], 'sun': []},"
    " 'holidays': ['2026-03-11']}");
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (calendars, g_strdup ("office"),
                       cd_sla_calendar_new_from_json (office, -1, &error));
  g_assert_no_error (error);
  g_hash_table_insert (calendars, g_strdup ("utc247"), cd_sla_calendar_new_24_7 ("UTC", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      g_autofree char *file = g_strconcat (shipped[i], ".json", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "calendars", file,
                                                     NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_hash_table_insert (calendars, g_strdup (shipped[i]),
                           cd_sla_calendar_new_from_json (text, -1, &error));
      g_assert_no_error (error);
    }
  return calendars;
}

/* The policy of most cases: "fix" is the resolution clock on the office
 * calendar, "ack" a 24/7 acknowledgement clock, "warn2" and "warn4" the
 * resolution clock with an at-risk point 2 and 4 working hours before. */
#define BASIC \
  "{'id': 'basic', 'version': 1, 'applies_to': {'kind': '*'}, 'targets': [" \
  " {'name': 'fix', 'start': ['register', 'reopen'], 'stop': 'resolve'," \
  "  'limit': {'hours': 8}, 'calendar': 'office', 'pause_states': ['waiting']," \
  "  'at_risk': {'percent': 75}," \
  "  'extensions': {'max_count': 2, 'max_each': {'hours': 4}, 'max_total': {'hours': 14}}}," \
  " {'name': 'ack', 'start': 'register', 'stop': 'accept', 'limit': {'hours': 1}," \
  "  'calendar': 'utc247'}," \
  " {'name': 'warn2', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 8}," \
  "  'calendar': 'office', 'pause_states': ['waiting'], 'at_risk': {'before': {'hours': 2}}}," \
  " {'name': 'warn4', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 8}," \
  "  'calendar': 'office', 'pause_states': ['waiting'], 'at_risk': {'before': {'hours': 4}}}" \
  "]}"

static CdSlaPolicy *
load_policy (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CdSlaPolicy *policy;

  if (spec[0] == '@')
    {
      g_autofree char *file = g_strconcat (spec + 1, ".json", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", file,
                                                     NULL);

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    }
  else
    {
      text = quotes (spec);
    }
  policy = cd_sla_policy_new_from_json (text, -1, &error);
  g_assert_no_error (error);
  return policy;
}

static CdSlaClocks *
evaluate (const char   *policy_spec,
          const char   *events_json,
          const char   *now,
          CdSlaClocks  *previous)
{
  g_autoptr(GHashTable) calendars = make_calendars ();
  g_autoptr(CdSlaPolicy) policy = load_policy (policy_spec);
  g_autofree char *json = quotes (events_json);
  g_autoptr(CdSlaEventList) events = NULL;
  g_autoptr(GError) error = NULL;
  CdSlaClocks *clocks;

  events = cd_sla_event_list_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  clocks = cd_sla_clock_evaluate (policy, calendars, events->events, events->n_events,
                                  iso (now), previous, &error);
  g_assert_no_error (error);
  g_assert_nonnull (clocks);
  return clocks;
}

static guint
target_index (CdSlaClocks *clocks,
              const char  *name)
{
  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    if (g_str_equal (cd_sla_clocks_get_target (clocks, i)->name, name))
      return i;
  g_error ("no target %s", name);
  return 0;
}

/* Clock states, table {{{1 */

#define EV(type, time) "{'type': '" type "', 'time': '" time "'}"
#define EXT(target, time, field, n) \
  "{'type': 'extend', 'time': '" time "', 'target': '" target "', '" field "': " #n "}"
#define R EV ("register", "2026-03-02T10:00:00Z")
#define X -1  /* not checked */

typedef struct
{
  const char *name;
  const char *policy;   /* JSON, or @preset */
  const char *events;
  const char *now;
  const char *target;
  guint       cycle;    /* 1-based; 0 for a target without cycles */
  const char *state;
  const char *due;      /* NULL: not checked */
  gint64      elapsed;
  gint64      remaining;
  gint64      paused;
  const char *at_risk_from;
  gint64      margin;   /* met by / breached by */
  gint64      late;
} ClockCase;

static const ClockCase clock_cases[] = {
  /* 8 working hours from Monday 10:00: 3 h to 13:00, 4 h to 18:00, 1 h on
   * Tuesday. 75 % is 6 h: 3 h + 3 h, Monday 17:00. */
  { "running", BASIC, "[" R "]", "2026-03-02T15:00:00Z", "fix", 1, "running",
    "2026-03-03T10:00:00Z", 4 * 3600, 4 * 3600, 0, "2026-03-02T17:00:00Z", X, X },
  { "at-risk-percent", BASIC, "[" R "]", "2026-03-02T17:30:00Z", "fix", 1, "at_risk",
    "2026-03-03T10:00:00Z", 6 * 3600 + 1800, 3600 + 1800, 0, "2026-03-02T17:00:00Z", X, X },
  { "just-before-at-risk", BASIC, "[" R "]", "2026-03-02T16:59:59Z", "fix", 1, "running",
    NULL, 6 * 3600 - 1, X, X, NULL, X, X },
  { "at-the-deadline", BASIC, "[" R "]", "2026-03-03T10:00:00Z", "fix", 1, "at_risk",
    "2026-03-03T10:00:00Z", 8 * 3600, 0, 0, NULL, X, X },
  { "breached-by-a-second", BASIC, "[" R "]", "2026-03-03T10:00:01Z", "fix", 1, "breached",
    "2026-03-03T10:00:00Z", 8 * 3600 + 1, 0, 0, NULL, 1, 1 },
  /* Over the night only Tuesday 09:00-09:30 counts. */
  { "at-risk-overnight", BASIC, "[" R "]", "2026-03-03T09:30:00Z", "fix", 1, "at_risk",
    NULL, 7 * 3600 + 1800, 1800, X, NULL, X, X },
  { "ack-running", BASIC, "[" R "]", "2026-03-02T10:59:59Z", "ack", 1, "running",
    "2026-03-02T11:00:00Z", 3599, 1, 0, "null", X, X },
  { "ack-met", BASIC, "[" R "," EV ("accept", "2026-03-02T10:45:00Z") "]", "2026-03-02T12:00:00Z",
    "ack", 1, "met", "2026-03-02T11:00:00Z", 2700, 900, 0, NULL, 900, 0 },
  { "ack-met-at-the-deadline", BASIC, "[" R "," EV ("accept", "2026-03-02T11:00:00Z") "]",
    "2026-03-02T12:00:00Z", "ack", 1, "met", "2026-03-02T11:00:00Z", 3600, 0, 0, NULL, 0, 0 },
  { "ack-late", BASIC, "[" R "," EV ("accept", "2026-03-02T11:20:00Z") "]", "2026-03-02T12:00:00Z",
    "ack", 1, "breached", "2026-03-02T11:00:00Z", 4800, 0, 0, NULL, 1200, 1200 },
  { "pending", BASIC, "[]", "2026-03-02T12:00:00Z", "ack", 0, "pending", NULL, X, X, X, NULL, X,
    X },
  { "pending-before-register", BASIC, "[" R "]", "2026-03-02T09:59:59Z", "fix", 0, "pending",
    NULL, X, X, X, NULL, X, X },
  /* Pauses to the second: waiting 11:00 to 14:30:15 is 2 h + 30 min 15 s
   * of working time (lunch 13-14 is not working time anyway). */
  { "pause-to-the-second", BASIC,
    "[" R "," EV ("wait", "2026-03-02T11:00:00Z") "," EV ("resume", "2026-03-02T14:30:15Z") "]",
    "2026-03-02T16:00:00Z", "fix", 1, "running", "2026-03-03T12:30:15Z",
    3600 + 5385, 8 * 3600 - 3600 - 5385, 2 * 3600 + 1815, "2026-03-03T10:30:15Z", X, X },
  /* Paused now: the deadline if it resumed now, 7 h from 15:00. */
  { "paused", BASIC, "[" R "," EV ("wait", "2026-03-02T11:00:00Z") "]", "2026-03-02T15:00:00Z",
    "fix", 1, "paused", "2026-03-03T13:00:00Z", 3600, 7 * 3600, 3 * 3600, NULL, X, X },
  { "paused-only-where-listed", BASIC, "[" R "," EV ("wait", "2026-03-02T10:20:00Z") "]",
    "2026-03-02T10:30:00Z", "ack", 1, "running", "2026-03-02T11:00:00Z", 1800, 1800, 0, NULL, X,
    X },
  { "paused-after-the-deadline", BASIC, "[" R "," EV ("wait", "2026-03-03T10:30:00Z") "]",
    "2026-03-03T12:00:00Z", "fix", 1, "breached", "2026-03-03T10:00:00Z",
    8 * 3600 + 1800, 0, 3600 + 1800, NULL, 1800, 2 * 3600 },
  /* The state an event gives wins over its action's default; an event
   * without a state keeps the one before. */
  { "explicit-state", BASIC,
    "[" R ", {'type': 'comment', 'time': '2026-03-02T11:00:00Z', 'state': 'waiting'},"
    " {'type': 'comment', 'time': '2026-03-02T12:00:00Z', 'state': 'in_progress'}]",
    "2026-03-02T12:30:00Z", "fix", 1, "running", NULL, 5400, X, 3600, NULL, X, X },
  { "stateless-event-keeps-pause", BASIC,
    "[" R "," EV ("wait", "2026-03-02T11:00:00Z") "," EV ("comment", "2026-03-02T11:30:00Z") "]",
    "2026-03-02T12:00:00Z", "fix", 1, "paused", NULL, 3600, X, 3600, NULL, X, X },
  /* A reopen starts a new cycle; the old one stays met. */
  { "reopen-first-cycle", BASIC,
    "[" R "," EV ("resolve", "2026-03-02T12:00:00Z") "," EV ("reopen", "2026-03-03T09:00:00Z") "]",
    "2026-03-03T10:00:00Z", "fix", 1, "met", "2026-03-03T10:00:00Z", 7200, 6 * 3600, 0, NULL,
    6 * 3600, 0 },
  { "reopen-second-cycle", BASIC,
    "[" R "," EV ("resolve", "2026-03-02T12:00:00Z") "," EV ("reopen", "2026-03-03T09:00:00Z") "]",
    "2026-03-03T10:00:00Z", "fix", 2, "running", "2026-03-03T18:00:00Z", 3600, 7 * 3600, 0,
    "2026-03-03T16:00:00Z", X, X },
  /* Time spent closed does not count: cycle 2 starts at the reopen. */
  { "closed-time-not-counted", BASIC,
    "[" R "," EV ("resolve", "2026-03-02T11:00:00Z") "," EV ("close", "2026-03-02T11:30:00Z") ","
    EV ("reopen", "2026-03-03T14:00:00Z") "]",
    "2026-03-04T10:00:00Z", "fix", 2, "running", "2026-03-04T13:00:00Z", 5 * 3600, 3 * 3600, 0,
    NULL, X, X },
  { "reopen-does-not-restart-ack", BASIC,
    "[" R "," EV ("accept", "2026-03-02T10:10:00Z") "," EV ("resolve", "2026-03-02T11:00:00Z") ","
    EV ("reopen", "2026-03-03T14:00:00Z") "]",
    "2026-03-04T10:00:00Z", "ack", 1, "met", NULL, 600, X, X, NULL, 3000, X },
  /* A final state that is not a stop event ends the cycle unjudged. */
  { "cancelled", BASIC, "[" R "," EV ("cancel", "2026-03-02T11:00:00Z") "]", "2026-03-02T12:00:00Z",
    "fix", 1, "stopped", "2026-03-03T10:00:00Z", 3600, 7 * 3600, 0, NULL, X, X },
  { "cancelled-late", BASIC, "[" R "," EV ("cancel", "2026-03-02T11:30:00Z") "]",
    "2026-03-02T12:00:00Z", "ack", 1, "breached", "2026-03-02T11:00:00Z", 5400, 0, 0, NULL,
    1800, 1800 },
  { "resolved-late", BASIC, "[" R "," EV ("resolve", "2026-03-03T11:00:00Z") "]",
    "2026-03-03T12:00:00Z", "fix", 1, "breached", "2026-03-03T10:00:00Z", 9 * 3600, 0, 0, NULL,
    3600, 3600 },
  /* Resolved after closing time on the deadline's day: no working second
   * was used past the deadline, but it was missed by half an hour. */
  { "resolved-after-hours", BASIC,
    "[" EV ("register", "2026-03-02T09:00:00Z") "," EV ("resolve", "2026-03-02T18:30:00Z") "]",
    "2026-03-02T19:00:00Z", "fix", 1, "breached", "2026-03-02T18:00:00Z", 8 * 3600, 0, 0, NULL,
    0, 1800 },
  { "starts-on-saturday", BASIC, "[" EV ("register", "2026-03-07T10:00:00Z") "]",
    "2026-03-07T12:00:00Z", "fix", 1, "running", "2026-03-09T18:00:00Z", 0, 8 * 3600, 0, NULL, X,
    X },
  { "holiday", BASIC, "[" EV ("register", "2026-03-10T15:00:00Z") "]",
    "2026-03-10T15:00:00Z", "fix", 1, "running", "2026-03-12T15:00:00Z", 0, 8 * 3600, 0, NULL, X,
    X },
  { "future-events-ignored", BASIC, "[" R "," EV ("resolve", "2026-03-02T12:00:00Z") "]",
    "2026-03-02T11:00:00Z", "fix", 1, "running", NULL, 3600, X, X, NULL, X, X },
  /* At risk "before", counted backwards in working time around pauses:
   * 5 h used on Monday (10-13, 14-16), paused until Tuesday 10:00, 3 h
   * left: due Tuesday 13:00. Two hours before is Tuesday 11:00; four hours
   * before crosses the pause back to Monday 15:00. */
  { "before-2h-around-a-pause", BASIC,
    "[" R "," EV ("wait", "2026-03-02T16:00:00Z") "," EV ("resume", "2026-03-03T10:00:00Z") "]",
    "2026-03-03T10:30:00Z", "warn2", 1, "running", "2026-03-03T13:00:00Z", 5 * 3600 + 1800,
    2 * 3600 + 1800, 3 * 3600, "2026-03-03T11:00:00Z", X, X },
  { "before-4h-around-a-pause", BASIC,
    "[" R "," EV ("wait", "2026-03-02T16:00:00Z") "," EV ("resume", "2026-03-03T10:00:00Z") "]",
    "2026-03-03T10:30:00Z", "warn4", 1, "at_risk", "2026-03-03T13:00:00Z", X, X, X,
    "2026-03-02T15:00:00Z", X, X },
  /* Without pauses: due Tuesday 10:00, two working hours before is
   * Monday 17:00 (Tuesday 9-10 and Monday 17-18). */
  { "before-2h-overnight", BASIC, "[" R "]", "2026-03-02T16:59:59Z", "warn2", 1, "running",
    "2026-03-03T10:00:00Z", X, X, X, "2026-03-02T17:00:00Z", X, X },
  { "before-2h-reached", BASIC, "[" R "]", "2026-03-02T17:00:00Z", "warn2", 1, "at_risk",
    NULL, X, X, X, "2026-03-02T17:00:00Z", X, X },
  /* A pause on a day-based limit pushes the deadline by the paused working
   * time: 10 working days from Monday 2 March (9 March is a holiday) end
   * on Tuesday 17 March at 18:00 MSK; waiting from Wednesday 4 10:00 to
   * Thursday 5 10:00 is 3 + 4 + 1 = 8 working hours, so Wednesday 18
   * March 18:00. */
  { "working-days-with-pause", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("wait", "2026-03-04T10:00:00+03:00") ","
    EV ("resume", "2026-03-05T10:00:00+03:00") "]",
    "2026-03-05T12:00:00+03:00", "consideration", 1, "running", "2026-03-18T18:00:00+03:00",
    18 * 3600, X, 8 * 3600, NULL, X, X },

  /* Presets {{{2 */
  /* Emergency: accepted after 20 min, localised (work started) after
   * 40 min, repair due 24:00 on the third day after 2 March. */
  { "emergency-acceptance", "@ru-ads-emergency",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("accept", "2026-03-02T10:20:00+03:00") ","
    EV ("start", "2026-03-02T10:40:00+03:00") "]", "2026-03-02T11:00:00+03:00",
    "acceptance", 1, "met", "2026-03-02T10:30:00+03:00", 1200, 600, 0, "2026-03-02T10:24:00+03:00",
    600, 0 },
  { "emergency-localisation", "@ru-ads-emergency",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("accept", "2026-03-02T10:20:00+03:00") ","
    EV ("start", "2026-03-02T10:40:00+03:00") "]", "2026-03-02T11:00:00+03:00",
    "localisation", 1, "breached", "2026-03-02T10:30:00+03:00", 2400, 0, 0,
    "2026-03-02T10:20:00+03:00", 600, 600 },
  { "emergency-repair", "@ru-ads-emergency",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("accept", "2026-03-02T10:20:00+03:00") ","
    EV ("start", "2026-03-02T10:40:00+03:00") "]", "2026-03-02T11:00:00+03:00",
    "repair", 1, "running", "2026-03-06T00:00:00+03:00", 3600, (3 * 24 + 13) * 3600, 0,
    "2026-03-05T12:00:00+03:00", X, X },
  /* Waiting for access pushes the repair deadline by a real day (24/7). */
  { "emergency-repair-paused", "@ru-ads-emergency",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("wait", "2026-03-02T12:00:00+03:00") ","
    EV ("resume", "2026-03-03T12:00:00+03:00") "," EV ("resolve", "2026-03-04T09:00:00+03:00") "]",
    "2026-03-05T00:00:00+03:00", "repair", 1, "met", "2026-03-07T00:00:00+03:00", 23 * 3600,
    63 * 3600, 24 * 3600, NULL, 63 * 3600, 0 },
  /* Sewer clog: 2 h; waiting 10:30-11:00 pushes it to 12:30; at risk
   * 30 min before. */
  { "sewerage-clearance", "@ru-ads-sewerage",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("accept", "2026-03-02T10:05:00+03:00") ","
    EV ("start", "2026-03-02T10:25:00+03:00") "," EV ("wait", "2026-03-02T10:30:00+03:00") ","
    EV ("resume", "2026-03-02T11:00:00+03:00") "]", "2026-03-02T12:10:00+03:00",
    "clearance", 1, "at_risk", "2026-03-02T12:30:00+03:00", 6000, 1200, 1800,
    "2026-03-02T12:00:00+03:00", X, X },
  { "sewerage-localisation", "@ru-ads-sewerage",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("accept", "2026-03-02T10:05:00+03:00") ","
    EV ("start", "2026-03-02T10:25:00+03:00") "]", "2026-03-02T12:10:00+03:00",
    "localisation", 1, "met", NULL, 1500, 300, 0, NULL, 300, 0 },
  { "routine-acceptance", "@ru-ads-routine",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") "]", "2026-03-02T10:25:00+03:00",
    "acceptance", 1, "at_risk", "2026-03-02T10:30:00+03:00", 1500, 300, 0,
    "2026-03-02T10:24:00+03:00", X, X },
  { "electronic-answer", "@ru-ads-electronic",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("comment", "2026-03-02T10:07:00+03:00") "]",
    "2026-03-02T10:10:00+03:00", "answer", 1, "met", "2026-03-02T10:10:00+03:00", 420, 180, 0,
    NULL, 180, 0 },
  { "electronic-acceptance", "@ru-ads-electronic",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("comment", "2026-03-02T10:07:00+03:00") "]",
    "2026-03-02T10:10:00+03:00", "acceptance", 1, "running", "2026-03-02T10:30:00+03:00", 600, 1200,
    0,
    "2026-03-02T10:24:00+03:00", X, X },
  { "callback-breached", "@ru-ads-callback",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") "]", "2026-03-02T10:12:00+03:00",
    "callback", 1, "breached", "2026-03-02T10:10:00+03:00", 720, 0, 0, "2026-03-02T10:07:00+03:00",
    120, 120 },
  { "written-handover", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("assign", "2026-03-03T17:00:00+03:00") "]",
    "2026-03-05T12:00:00+03:00", "handover", 1, "met", "2026-03-03T18:00:00+03:00", 14 * 3600, 3600,
    0,
    "2026-03-03T16:00:00+03:00", 3600, 0 },
  /* Complaint classification: 1 working day, due Tuesday 18:00, done on
   * Wednesday 10:00: 1 working hour late, 16 real hours late. */
  { "complaint-classification", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("classify", "2026-03-04T10:00:00+03:00") "]",
    "2026-03-05T12:00:00+03:00", "classification", 1, "breached", "2026-03-03T18:00:00+03:00",
    X, 0, 0, NULL, 3600, 16 * 3600 },
  /* Classification across a weekend and a holiday (Monday 9 March 2026
   * is the day off for 8 March): from Friday 15:00, 1 working day is due
   * Tuesday 10 March 18:00; classified at 17:00, 1 working hour early. */
  { "complaint-classified-after-the-holiday", "@spb-complaint",
    "[" EV ("register", "2026-03-06T15:00:00+03:00") ","
    EV ("classify", "2026-03-10T17:00:00+03:00") "]",
    "2026-03-11T12:00:00+03:00", "classification", 1, "met", "2026-03-10T18:00:00+03:00",
    10 * 3600, 3600, 0, NULL, 3600, 0 },
  /* Answer: 9 calendar days, Wednesday 11 March 18:00; 55 working hours,
   * 80 % is 44 h: 7 + 32 by Friday 6, 5 more on Tuesday 10: 15:00. */
  { "complaint-answer", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("classify", "2026-03-04T10:00:00+03:00") "]",
    "2026-03-05T12:00:00+03:00", "answer", 1, "running", "2026-03-11T18:00:00+03:00",
    26 * 3600, 29 * 3600, 0, "2026-03-10T15:00:00+03:00", X, X },
  /* From a Friday: the 9th calendar day is Sunday 15 March, without
   * working time: Monday 16 March 18:00. */
  { "complaint-answer-from-friday", "@spb-complaint",
    "[" EV ("register", "2026-03-06T15:00:00+03:00") "]",
    "2026-03-06T16:00:00+03:00", "answer", 1, "running", "2026-03-16T18:00:00+03:00",
    3600, X, 0, NULL, X, X },
  /* Answered on Tuesday 10 March 12:00 (Monday 9 a holiday): 5 + 8 working
   * hours to spare. */
  { "complaint-answered", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("classify", "2026-03-03T11:00:00+03:00") ","
    EV ("answer", "2026-03-10T12:00:00+03:00") "]",
    "2026-03-18T12:00:00+03:00", "answer", 1, "met", "2026-03-11T18:00:00+03:00", X, X, 0, NULL,
    13 * 3600, 0 },
  /* Answered a day late: Thursday 12 March 10:00. */
  { "complaint-answered-late", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("answer", "2026-03-12T10:00:00+03:00") "]",
    "2026-03-12T12:00:00+03:00", "answer", 1, "breached", "2026-03-11T18:00:00+03:00", X, 0, 0,
    NULL, 3600, 16 * 3600 },
  /* A systemic proposal stops its own clock. */
  { "complaint-proposed", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("answer", "2026-03-10T10:00:00+03:00") ","
    EV ("propose", "2026-03-20T12:00:00+03:00") "]",
    "2026-03-21T12:00:00+03:00", "systemic", 1, "met", "2026-03-23T18:00:00+03:00", X, X, 0, NULL,
    X, 0 },
  /* Systemic proposals: 20 calendar days is Sunday 22 March, which has no
   * working time: Monday 23 March 18:00. */
  { "complaint-systemic", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("close", "2026-03-20T12:00:00+03:00") "]",
    "2026-03-21T12:00:00+03:00", "systemic", 1, "met", "2026-03-23T18:00:00+03:00", X, X, 0, NULL,
    X, 0 },
  { "complaint-refused", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("refuse", "2026-03-06T10:00:00+03:00") "]",
    "2026-03-06T12:00:00+03:00", "answer", 1, "met", NULL, X, X, X, NULL, X, 0 },
  /* Paid service: 90 working minutes from Monday 17:30: 30 min, then
   * Tuesday 09:00-10:00. At the deadline itself it is at risk, not late. */
  { "paid-at-the-deadline", "@ru-paid-service",
    "[" EV ("register", "2026-03-02T17:30:00+03:00") "]", "2026-03-03T10:00:00+03:00",
    "confirmation", 1, "at_risk", "2026-03-03T10:00:00+03:00", 5400, 0, 0,
    "2026-03-03T09:45:00+03:00", X, X },
  { "paid-confirmed", "@ru-paid-service",
    "[" EV ("register", "2026-03-02T17:30:00+03:00") ","
    EV ("accept", "2026-03-03T09:50:00+03:00") "]",
    "2026-03-03T12:00:00+03:00", "confirmation", 1, "met", "2026-03-03T10:00:00+03:00", 4800, 600,
    0,
    NULL, 600, 0 },
};

static void
test_clock (gconstpointer data)
{
  const ClockCase *c = data;
  g_autoptr(CdSlaClocks) clocks = evaluate (c->policy, c->events, c->now, NULL);
  guint index = target_index (clocks, c->target);
  const CdSlaCycle *cycle;

  if (c->cycle == 0)
    {
      g_assert_cmpuint (cd_sla_clocks_get_n_cycles (clocks, index), ==, 0);
      g_assert_cmpstr (cd_sla_clock_state_to_string (cd_sla_clocks_get_state (clocks, index)), ==,
                       c->state);
      return;
    }
  g_assert_cmpuint (cd_sla_clocks_get_n_cycles (clocks, index), >=, c->cycle);
  cycle = cd_sla_clocks_get_cycle (clocks, index, c->cycle - 1);
  g_assert_cmpuint (cycle->number, ==, c->cycle);
  /* spb-complaint is at version 2 since classify, answer and propose. */
  g_assert_cmpuint (cycle->policy_version, ==, g_str_equal (c->policy, "@spb-complaint") ? 2 : 1);
  g_assert_cmpstr (cd_sla_clock_state_to_string (cycle->state), ==, c->state);
  if (c->due != NULL)
    g_assert_cmpint (cycle->due, ==, iso (c->due));
  if (c->elapsed != X)
    g_assert_cmpint (cycle->elapsed, ==, c->elapsed);
  if (c->remaining != X)
    g_assert_cmpint (cycle->remaining, ==, c->remaining);
  if (c->paused != X)
    g_assert_cmpint (cycle->paused, ==, c->paused);
  if (c->at_risk_from != NULL)
    g_assert_cmpint (cycle->at_risk_from, ==, iso (c->at_risk_from));
  if (c->margin != X)
    g_assert_cmpint (cycle->margin, ==, c->margin);
  if (c->late != X)
    g_assert_cmpint (cycle->late, ==, c->late);
  if (cycle->state == CD_SLA_CLOCK_MET)
    g_assert_cmpint (cycle->judged, ==, cycle->stopped);
  if (cycle->state == CD_SLA_CLOCK_BREACHED)
    g_assert_cmpint (cycle->judged, ==, cycle->due);
  if (cycle->state == CD_SLA_CLOCK_RUNNING || cycle->state == CD_SLA_CLOCK_AT_RISK
      || cycle->state == CD_SLA_CLOCK_PAUSED)
    g_assert_cmpint (cycle->judged, ==, CD_SLA_NEVER);
  /* Whatever the state, the used and the left working time add up. */
  if (cycle->state != CD_SLA_CLOCK_BREACHED)
    g_assert_cmpint (cycle->elapsed + cycle->remaining, ==, cycle->budget);
}

/* Extensions, table {{{1 */

typedef struct
{
  const char *name;
  const char *policy;
  const char *events;
  const char *now;
  const char *target;
  const char *verdicts;   /* the verdict of each extend event, in order */
  const char *due;
  guint       n_extensions;
} ExtensionCase;

static const ExtensionCase extension_cases[] = {
  /* fix: at most 2 extensions of at most 4 h each, and a deadline no later
   * than 14 working hours from the start (Tuesday 17:00). Unextended it
   * is due Tuesday 10:00. */
  { "granted", BASIC, "[" R "," EXT ("fix", "2026-03-02T12:00:00Z", "extend_seconds", 10800) "]",
    "2026-03-02T12:00:00Z", "fix", "granted", "2026-03-03T13:00:00Z", 1 },
  { "over-total", BASIC,
    "[" R "," EXT ("fix", "2026-03-02T12:00:00Z", "extend_seconds", 10800) ","
    EXT ("fix", "2026-03-02T13:30:00Z", "extend_seconds", 14400) "]",
    "2026-03-02T14:00:00Z", "fix", "granted,over_total", "2026-03-03T13:00:00Z", 1 },
  { "up-to-the-total", BASIC,
    "[" R "," EXT ("fix", "2026-03-02T12:00:00Z", "extend_seconds", 10800) ","
    EXT ("fix", "2026-03-02T13:30:00Z", "extend_seconds", 10800) "]",
    "2026-03-02T14:00:00Z", "fix", "granted,granted", "2026-03-03T17:00:00Z", 2 },
  { "too-many", BASIC,
    "[" R "," EXT ("fix", "2026-03-02T11:00:00Z", "extend_seconds", 3600) ","
    EXT ("fix", "2026-03-02T11:01:00Z", "extend_seconds", 3600) ","
    EXT ("fix", "2026-03-02T11:02:00Z", "extend_seconds", 3600) "]",
    "2026-03-02T12:00:00Z", "fix", "granted,granted,too_many", "2026-03-03T12:00:00Z", 2 },
  { "too-long", BASIC, "[" R "," EXT ("fix", "2026-03-02T12:00:00Z", "extend_seconds", 18000) "]",
    "2026-03-02T12:00:00Z", "fix", "too_long", "2026-03-03T10:00:00Z", 0 },
  { "days-for-an-hours-rule", BASIC,
    "[" R "," EXT ("fix", "2026-03-02T12:00:00Z", "extend_days", 1) "]",
    "2026-03-02T12:00:00Z", "fix", "bad_amount", "2026-03-03T10:00:00Z", 0 },
  { "nothing-requested", BASIC,
    "[" R "," EXT ("fix", "2026-03-02T12:00:00Z", "extend_seconds", 0) "]",
    "2026-03-02T12:00:00Z", "fix", "bad_amount", "2026-03-03T10:00:00Z", 0 },
  { "both-units", BASIC,
    "[" R ", {'type': 'extend', 'time': '2026-03-02T12:00:00Z', 'target': 'fix',"
    " 'extend_seconds': 60, 'extend_days': 1}]",
    "2026-03-02T12:00:00Z", "fix", "bad_amount", "2026-03-03T10:00:00Z", 0 },
  { "unknown-target", BASIC,
    "[" R "," EXT ("nope", "2026-03-02T12:00:00Z", "extend_seconds", 60) "]",
    "2026-03-02T12:00:00Z", "fix", "unknown_target", "2026-03-03T10:00:00Z", 0 },
  { "not-extendable", BASIC,
    "[" R "," EXT ("ack", "2026-03-02T10:30:00Z", "extend_seconds", 60) "]",
    "2026-03-02T10:30:00Z", "ack", "not_extendable", "2026-03-02T11:00:00Z", 0 },
  { "not-running", BASIC,
    "[" R "," EV ("resolve", "2026-03-02T12:00:00Z") ","
    EXT ("fix", "2026-03-02T13:00:00Z", "extend_seconds", 3600) "]",
    "2026-03-02T13:00:00Z", "fix", "not_running", "2026-03-03T10:00:00Z", 0 },
  { "too-late", BASIC, "[" R "," EXT ("fix", "2026-03-03T10:30:00Z", "extend_seconds", 3600) "]",
    "2026-03-03T11:00:00Z", "fix", "too_late", "2026-03-03T10:00:00Z", 0 },
  /* While paused (11:00-16:00, 4 working hours): the base deadline moves
   * from Tuesday 10:00 to 12:00 and the pause pushes it 4 h further. */
  { "while-paused", BASIC,
    "[" R "," EV ("wait", "2026-03-02T11:00:00Z") ","
    EXT ("fix", "2026-03-02T15:00:00Z", "extend_seconds", 7200) ","
    EV ("resume", "2026-03-02T16:00:00Z") "]",
    "2026-03-02T16:00:00Z", "fix", "granted", "2026-03-03T17:00:00Z", 1 },
  /* Consideration: 10 working days (Tuesday 17 March 18:00 MSK), one
   * extension of up to 10 calendar days, at most 21 calendar days from
   * registration (Monday 23 March 18:00). */
  { "days-granted", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("consideration", "2026-03-10T12:00:00+03:00", "extend_days", 6) "]",
    "2026-03-10T12:00:00+03:00", "consideration", "granted", "2026-03-23T18:00:00+03:00", 1 },
  { "days-over-the-cap", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("consideration", "2026-03-10T12:00:00+03:00", "extend_days", 7) "]",
    "2026-03-10T12:00:00+03:00", "consideration", "over_total", "2026-03-17T18:00:00+03:00", 0 },
  { "days-ten-over-the-cap", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("consideration", "2026-03-10T12:00:00+03:00", "extend_days", 10) "]",
    "2026-03-10T12:00:00+03:00", "consideration", "over_total", "2026-03-17T18:00:00+03:00", 0 },
  { "days-too-long", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("consideration", "2026-03-10T12:00:00+03:00", "extend_days", 11) "]",
    "2026-03-10T12:00:00+03:00", "consideration", "too_long", "2026-03-17T18:00:00+03:00", 0 },
  { "days-only-once", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("consideration", "2026-03-10T12:00:00+03:00", "extend_days", 3) ","
    EXT ("consideration", "2026-03-11T12:00:00+03:00", "extend_days", 1) "]",
    "2026-03-11T12:00:00+03:00", "consideration", "granted,too_many", "2026-03-20T18:00:00+03:00",
    1 },
  { "days-not-seconds", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("consideration", "2026-03-10T12:00:00+03:00", "extend_seconds", 3600) "]",
    "2026-03-10T12:00:00+03:00", "consideration", "bad_amount", "2026-03-17T18:00:00+03:00", 0 },
  /* The complaint's answer: 9 calendar days (Wednesday 11 March 18:00),
   * one extension of up to 10 calendar days, 21 in all: 10 more days end
   * on Saturday 21 March, so on Monday 23 March 18:00, exactly the cap. */
  { "complaint-extension-within", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("classify", "2026-03-03T10:00:00+03:00") ","
    EXT ("answer", "2026-03-10T12:00:00+03:00", "extend_days", 6) "]",
    "2026-03-10T12:00:00+03:00", "answer", "granted", "2026-03-17T18:00:00+03:00", 1 },
  { "complaint-extension-at-the-cap", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EV ("classify", "2026-03-03T10:00:00+03:00") ","
    EXT ("answer", "2026-03-10T12:00:00+03:00", "extend_days", 10) "]",
    "2026-03-10T12:00:00+03:00", "answer", "granted", "2026-03-23T18:00:00+03:00", 1 },
  { "complaint-extension-over-the-cap", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("answer", "2026-03-10T12:00:00+03:00", "extend_days", 11) "]",
    "2026-03-10T12:00:00+03:00", "answer", "too_long", "2026-03-11T18:00:00+03:00", 0 },
  /* 3 days: Saturday 14 March, so Monday 16 March 18:00; never a second. */
  { "complaint-extension-only-once", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("answer", "2026-03-10T12:00:00+03:00", "extend_days", 3) ","
    EXT ("answer", "2026-03-11T12:00:00+03:00", "extend_days", 1) "]",
    "2026-03-11T12:00:00+03:00", "answer", "granted,too_many", "2026-03-16T18:00:00+03:00", 1 },
  { "complaint-extension-too-late", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("answer", "2026-03-12T10:00:00+03:00", "extend_days", 3) "]",
    "2026-03-12T10:00:00+03:00", "answer", "too_late", "2026-03-11T18:00:00+03:00", 0 },
  { "complaint-classification-not-extendable", "@spb-complaint",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("classification", "2026-03-02T12:00:00+03:00", "extend_days", 1) "]",
    "2026-03-02T12:00:00+03:00", "classification", "not_extendable",
    "2026-03-03T18:00:00+03:00", 0 },
  { "days-handover-not-extendable", "@spb-written-request",
    "[" EV ("register", "2026-03-02T10:00:00+03:00") ","
    EXT ("handover", "2026-03-02T12:00:00+03:00", "extend_days", 1) "]",
    "2026-03-02T12:00:00+03:00", "handover", "not_extendable", "2026-03-03T18:00:00+03:00", 0 },
};

static void
test_extension (gconstpointer data)
{
  const ExtensionCase *c = data;
  g_autoptr(CdSlaClocks) clocks = evaluate (c->policy, c->events, c->now, NULL);
  guint index = target_index (clocks, c->target);
  GPtrArray *extensions = cd_sla_clocks_get_extensions (clocks);
  g_auto(GStrv) verdicts = g_strsplit (c->verdicts, ",", -1);
  const CdSlaCycle *cycle = cd_sla_clocks_get_cycle (clocks, index, 0);

  g_assert_cmpuint (extensions->len, ==, g_strv_length (verdicts));
  for (guint i = 0; i < extensions->len; i++)
    {
      const CdSlaExtension *record = g_ptr_array_index (extensions, i);

      g_assert_cmpstr (cd_sla_extension_verdict_to_string (record->verdict), ==, verdicts[i]);
      if (record->verdict != CD_SLA_EXTENSION_GRANTED)
        g_assert_cmpint (record->due_after, ==, record->due_before);
      else
        g_assert_cmpint (record->due_after, >, record->due_before);
    }
  g_assert_cmpint (cycle->due, ==, iso (c->due));
  g_assert_cmpuint (cycle->n_extensions, ==, c->n_extensions);
}

/* A policy change {{{1 */

#define VERSIONED(version, fix_hours, ack_minutes)                                             \
  "{'id': 'v', 'version': " #version ", 'applies_to': {'kind': '*'}, 'targets': ["             \
  " {'name': 'fix', 'start': ['register', 'reopen'], 'stop': 'resolve',"                       \
  "  'limit': {'hours': " #fix_hours "}, 'calendar': 'office'},"                               \
  " {'name': 'ack', 'start': 'register', 'stop': 'accept', 'limit': {'minutes': " #ack_minutes \
  "},"                                                                                         \
  "  'calendar': 'utc247'}]}"

static void
test_policy_change (void)
{
  const char *events = "[" R "," EV ("accept", "2026-03-02T10:45:00Z") "]";
  g_autoptr(CdSlaClocks) v1 = evaluate (VERSIONED (1, 8, 60), events, "2026-03-02T12:00:00Z", NULL);
  g_autoptr(CdSlaClocks) v2 = NULL;
  g_autoptr(CdSlaClocks) fresh = NULL;
  const CdSlaCycle *cycle;

  /* Under version 1: ack met by 15 min, fix due Tuesday 10:00. */
  cycle = cd_sla_clocks_get_cycle (v1, 1, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_MET);
  g_assert_cmpuint (cycle->policy_version, ==, 1);
  g_assert_cmpint (cycle->due, ==, iso ("2026-03-02T11:00:00Z"));

  /* Version 2 shortens both. The met ack cycle keeps its version-1
   * verdict; the running fix cycle is judged again: 4 h from Monday 10:00
   * is 15:00. */
  v2 = evaluate (VERSIONED (2, 4, 30), events, "2026-03-02T12:00:00Z", v1);
  cycle = cd_sla_clocks_get_cycle (v2, 1, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_MET);
  g_assert_cmpuint (cycle->policy_version, ==, 1);
  g_assert_cmpint (cycle->due, ==, iso ("2026-03-02T11:00:00Z"));
  g_assert_cmpint (cycle->margin, ==, 900);
  cycle = cd_sla_clocks_get_cycle (v2, 0, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_RUNNING);
  g_assert_cmpuint (cycle->policy_version, ==, 2);
  g_assert_cmpint (cycle->due, ==, iso ("2026-03-02T15:00:00Z"));

  /* Without the earlier evaluation version 2 judges everything: the ack
   * at 10:45 missed a 30-minute limit. */
  fresh = evaluate (VERSIONED (2, 4, 30), events, "2026-03-02T12:00:00Z", NULL);
  cycle = cd_sla_clocks_get_cycle (fresh, 1, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_BREACHED);
  g_assert_cmpuint (cycle->policy_version, ==, 2);
}

static void
test_policy_change_breached_open (void)
{
  const char *events = "[" R "]";
  g_autoptr(CdSlaClocks) v1 = evaluate (VERSIONED (1, 8, 30), events, "2026-03-02T11:00:00Z", NULL);
  g_autoptr(CdSlaClocks) v2 = NULL;
  g_autoptr(CdSlaClocks) v2_closed = NULL;
  const CdSlaCycle *cycle;

  cycle = cd_sla_clocks_get_cycle (v1, 1, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_BREACHED);
  g_assert_cmpint (cycle->due, ==, iso ("2026-03-02T10:30:00Z"));

  /* A longer limit in version 2 does not undo the breach; the overrun
   * keeps growing against the deadline it was judged by. */
  v2 = evaluate (VERSIONED (2, 8, 120), events, "2026-03-02T11:30:00Z", v1);
  cycle = cd_sla_clocks_get_cycle (v2, 1, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_BREACHED);
  g_assert_cmpuint (cycle->policy_version, ==, 1);
  g_assert_cmpint (cycle->due, ==, iso ("2026-03-02T10:30:00Z"));
  g_assert_cmpint (cycle->margin, ==, 3600);
  g_assert_cmpint (cycle->late, ==, 3600);
  g_assert_cmpint (cycle->elapsed, ==, 5400);

  /* Accepted later: still breached, judged by version 1. */
  v2_closed = evaluate (VERSIONED (2, 8, 120), "[" R "," EV ("accept", "2026-03-02T11:40:00Z") "]",
                        "2026-03-02T12:00:00Z", v1);
  cycle = cd_sla_clocks_get_cycle (v2_closed, 1, 0);
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_BREACHED);
  g_assert_cmpuint (cycle->policy_version, ==, 1);
  g_assert_cmpint (cycle->margin, ==, 4200);
  g_assert_cmpint (cycle->stopped, ==, iso ("2026-03-02T11:40:00Z"));
}

/* The event contract, as the dispatch core calls it {{{1 */

static void
test_event_structs (void)
{
  g_autoptr(GHashTable) calendars = make_calendars ();
  g_autoptr(CdSlaPolicy) policy = load_policy (BASIC);
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GError) error = NULL;
  const CdSlaEvent events[] = {
    { "register", iso ("2026-03-02T10:00:00Z"), NULL, NULL, 0, 0 },
    { "wait", iso ("2026-03-02T11:00:00Z"), NULL, NULL, 0, 0 },
    { "extend", iso ("2026-03-02T11:30:00Z"), NULL, "fix", 3600, 0 },
    { "resume", iso ("2026-03-02T12:00:00Z"), "accepted", NULL, 0, 0 },
  };
  const CdSlaEvent unordered[] = {
    { "register", iso ("2026-03-02T10:00:00Z"), NULL, NULL, 0, 0 },
    { "accept", iso ("2026-03-02T09:00:00Z"), NULL, NULL, 0, 0 },
  };
  const CdSlaEvent unknown_action[] = {
    { "fly", iso ("2026-03-02T10:00:00Z"), NULL, NULL, 0, 0 },
  };
  const CdSlaEvent unknown_state[] = {
    { "register", iso ("2026-03-02T10:00:00Z"), "flying", NULL, 0, 0 },
  };
  const CdSlaCycle *cycle;

  clocks = cd_sla_clock_evaluate (policy, calendars, events, G_N_ELEMENTS (events),
                                  iso ("2026-03-02T12:30:00Z"), NULL, &error);
  g_assert_no_error (error);
  cycle = cd_sla_clocks_get_cycle (clocks, 0, 0);
  /* Paused 11:00-12:00, extended by 1 h: due Tuesday 10:00 + 1 h + 1 h. */
  g_assert_cmpint (cycle->state, ==, CD_SLA_CLOCK_RUNNING);
  g_assert_cmpint (cycle->paused, ==, 3600);
  g_assert_cmpint (cycle->elapsed, ==, 3600 + 1800);
  g_assert_cmpint (cycle->due, ==, iso ("2026-03-03T12:00:00Z"));
  g_assert_cmpuint (cycle->pauses->len, ==, 1);
  g_assert_cmpint (g_array_index (cycle->pauses, CdSlaInterval, 0).start, ==,
                   iso ("2026-03-02T11:00:00Z"));
  g_assert_cmpint (g_array_index (cycle->pauses, CdSlaInterval, 0).end, ==,
                   iso ("2026-03-02T12:00:00Z"));

  g_assert_null (cd_sla_clock_evaluate (policy, calendars, unordered, G_N_ELEMENTS (unordered),
                                        iso ("2026-03-02T12:30:00Z"), NULL, &error));
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS);
  g_clear_error (&error);
  g_assert_null (cd_sla_clock_evaluate (policy, calendars, unknown_action, 1,
                                        iso ("2026-03-02T12:30:00Z"), NULL, &error));
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS);
  g_clear_error (&error);
  g_assert_null (cd_sla_clock_evaluate (policy, calendars, unknown_state, 1,
                                        iso ("2026-03-02T12:30:00Z"), NULL, &error));
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS);
  g_clear_error (&error);

  /* No events at all: every target pending. */
  g_clear_pointer (&clocks, cd_sla_clocks_unref);
  clocks = cd_sla_clock_evaluate (policy, calendars, NULL, 0, 0, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    g_assert_cmpint (cd_sla_clocks_get_state (clocks, i), ==, CD_SLA_CLOCK_PENDING);

  /* A calendar missing from the set. */
  g_hash_table_remove (calendars, "utc247");
  g_assert_null (cd_sla_clock_evaluate (policy, calendars, events, 1, 0, NULL, &error));
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_CALENDAR);
}

/* Events files {{{1 */

static const struct {
  const char *json;
  CdSlaError  code;
  const char *message;
} bad_events[] = {
  { "{}", CD_SLA_ERROR_INVALID_JSON, "the events must be a JSON array of objects" },
  { "[", CD_SLA_ERROR_INVALID_JSON, "the events are not valid JSON" },
  { "[3]", CD_SLA_ERROR_INVALID_TYPE, "[0]: expected an event object" },
  { "[{'type': 'register'}]", CD_SLA_ERROR_MISSING_KEY, "[0].time: missing" },
  { "[{'time': '2026-03-02T10:00:00Z'}]", CD_SLA_ERROR_MISSING_KEY, "[0].type: missing" },
  { "[" R ", {'type': 'accept', 'time': '2026-03-02T10:00:00'}]", CD_SLA_ERROR_INVALID_VALUE,
    "[1].time: “2026-03-02T10:00:00” is not an ISO 8601 time with an offset" },
  { "[{'type': 'fly', 'time': '2026-03-02T10:00:00Z'}]", CD_SLA_ERROR_INVALID_VALUE,
    "[0].type: “fly” is not a known action" },
  { "[{'type': 'register', 'time': '2026-03-02T10:00:00Z', 'state': 'new'}]",
    CD_SLA_ERROR_INVALID_VALUE,
    "[0].state: “new” is not a known ticket state" },
  { "[{'type': 'register', 'time': '2026-03-02T10:00:00Z', 'actor': 'ann'}]",
    CD_SLA_ERROR_UNKNOWN_KEY,
    "[0].actor: unknown key" },
  { "[{'type': 'register', 'time': 5}]", CD_SLA_ERROR_INVALID_TYPE, "[0].time: expected a string" },
  { "[{'type': 'extend', 'time': '2026-03-02T10:00:00Z', 'extend_days': -1}]",
    CD_SLA_ERROR_INVALID_VALUE,
    "[0].extend_days: -1 is out of range" },
  { "[{'type': 'extend', 'time': '2026-03-02T10:00:00Z', 'extend_seconds': '1h'}]",
    CD_SLA_ERROR_INVALID_TYPE,
    "[0].extend_seconds: expected a whole number" },
  { "[" R ", {'type': 'accept', 'time': '2026-03-02T09:59:59Z'}]", CD_SLA_ERROR_INVALID_EVENTS,
    "[1].time: earlier than the event before it" },
};

static void
test_events_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *good = quotes (
      "[{'type': 'register', 'time': '2026-03-02T13:00:00+03:00'},"
      " {'type': 'wait', 'time': '2026-03-02T10:30:00Z', 'state': null},"
      " {'type': 'extend', 'time': '2026-03-02T12:30:00+01:00', 'target': 'fix', 'extend_seconds': "
      "60},"
      " {'type': 'extend', 'time': '2026-03-02T11:30:00Z', 'target': 'fix', 'extend_days': 2, "
      "'state': 'waiting'}]");
  g_autoptr(CdSlaEventList) list = cd_sla_event_list_new_from_json (good, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->n_events, ==, 4);
  g_assert_cmpstr (list->events[0].type, ==, "register");
  g_assert_cmpint (list->events[0].time, ==, iso ("2026-03-02T10:00:00Z"));
  g_assert_null (list->events[0].state);
  g_assert_null (list->events[1].state);
  g_assert_cmpint (list->events[2].time, ==, iso ("2026-03-02T11:30:00Z"));
  g_assert_cmpstr (list->events[2].target, ==, "fix");
  g_assert_cmpint (list->events[2].extend_seconds, ==, 60);
  g_assert_cmpuint (list->events[3].extend_days, ==, 2);
  g_assert_cmpstr (list->events[3].state, ==, "waiting");

  for (guint i = 0; i < G_N_ELEMENTS (bad_events); i++)
    {
      g_autofree char *json = quotes (bad_events[i].json);
      g_autoptr(CdSlaEventList) bad = cd_sla_event_list_new_from_json (json, -1, &error);

      g_test_message ("%u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (bad);
      g_assert_error (error, CD_SLA_ERROR, (int) bad_events[i].code);
      if (!g_str_has_prefix (error->message, bad_events[i].message))
        g_error ("message “%s” does not start with “%s”", error->message, bad_events[i].message);
      g_clear_error (&error);
    }
}

/* JSON output {{{1 */

static void
test_to_json (void)
{
  const char *events = "[" R "," EV ("wait", "2026-03-02T11:00:00Z") ","
                       EXT ("fix", "2026-03-02T11:30:00Z", "extend_seconds", 99999) "]";
  g_autoptr(CdSlaClocks) clocks = evaluate (BASIC, events, "2026-03-02T12:00:00Z", NULL);
  g_autoptr(CdSlaClocks) again = evaluate (BASIC, events, "2026-03-02T12:00:00Z", NULL);
  g_autofree char *json = cd_sla_clocks_to_json (clocks);
  g_autofree char *json_again = cd_sla_clocks_to_json (again);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  static const char * const cycle_keys[] = {
    "cycle", "state", "policy_version", "started", "stopped", "stopped_by", "budget_seconds",
    "elapsed_seconds", "remaining_seconds", "paused_seconds", "due", "due_without_pauses",
    "at_risk_from", "met_at", "met_by_seconds", "breached_at", "breached_by_seconds",
    "late_seconds", "extensions", "pauses", NULL
  };
  JsonObject *root;
  JsonObject *fix;
  JsonObject *cycle;
  JsonObject *extension;
  const char *last = json;

  g_assert_cmpstr (json, ==, json_again);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "policy"), ==, "basic");
  g_assert_cmpint (json_object_get_int_member (root, "policy_version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (root, "now"), ==, "2026-03-02T12:00:00+00:00");
  fix = json_array_get_object_element (json_object_get_array_member (root, "targets"), 0);
  g_assert_cmpstr (json_object_get_string_member (fix, "name"), ==, "fix");
  g_assert_cmpstr (json_object_get_string_member (fix, "state"), ==, "paused");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (fix, "limit"),
                                               "seconds"),
                   ==, 8 * 3600);
  cycle = json_array_get_object_element (json_object_get_array_member (fix, "cycles"), 0);
  g_assert_cmpstr (json_object_get_string_member (cycle, "due"), ==, "2026-03-03T11:00:00+00:00");
  g_assert_cmpstr (json_object_get_string_member (cycle, "due_without_pauses"), ==,
                   "2026-03-03T10:00:00+00:00");
  g_assert_true (json_object_get_null_member (cycle, "stopped"));
  g_assert_true (json_object_get_null_member (cycle, "met_at"));
  g_assert_cmpint (json_object_get_int_member (cycle, "paused_seconds"), ==, 3600);
  g_assert_true (json_object_get_null_member (
    json_array_get_object_element (json_object_get_array_member (cycle, "pauses"), 0), "end"));
  extension = json_array_get_object_element (json_object_get_array_member (root, "extensions"), 0);
  g_assert_cmpstr (json_object_get_string_member (extension, "verdict"), ==, "too_long");
  g_assert_cmpint (json_object_get_int_member (extension, "seconds"), ==, 99999);

  /* Keys in a fixed order. */
  for (guint i = 0; cycle_keys[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("\"%s\"", cycle_keys[i]);
      const char *found = strstr (last, key);

      g_assert_nonnull (found);
      last = found;
    }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  for (guint i = 0; i < G_N_ELEMENTS (clock_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-clock/state/%s", clock_cases[i].name);

      g_test_add_data_func (path, &clock_cases[i], test_clock);
    }
  for (guint i = 0; i < G_N_ELEMENTS (extension_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-clock/extension/%s", extension_cases[i].name);

      g_test_add_data_func (path, &extension_cases[i], test_extension);
    }
  g_test_add_func ("/sla-clock/policy-change/met-kept", test_policy_change);
  g_test_add_func ("/sla-clock/policy-change/breached-kept", test_policy_change_breached_open);
  g_test_add_func ("/sla-clock/event-structs", test_event_structs);
  g_test_add_func ("/sla-clock/events-file", test_events_file);
  g_test_add_func ("/sla-clock/to-json", test_to_json);
  return g_test_run ();
}
