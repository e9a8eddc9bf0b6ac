// SPDX-License-Identifier: GPL-3.0-or-later
//
// Missed calls as work (docs/calls.md, "Missed calls"): which outcomes are
// to be called back, the 10-minute due time of the shipped policy on the
// SLA engine, a callback that reaches the caller stops the clock, and a
// later answered call closes it.

#include "config.h"

#include "cd-missed-call.h"
#include "cd-test.h"

#define T0 1767250000

typedef struct
{
  CdSlaPolicy *policy;
  GHashTable  *calendars;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *policy = g_test_build_filename (G_TEST_DIST, "..", "data", "policies",
                                                   CD_MISSED_CALL_POLICY ".json", NULL);
  g_autofree char *calendar = g_test_build_filename (G_TEST_DIST, "..", "data", "calendars",
                                                     "ru-24x7.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (policy, &text, NULL, NULL));
  fixture->policy = cd_sla_policy_new_from_json (text, -1, &error);
  g_assert_no_error (error);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (calendar, &text, NULL, NULL));
  fixture->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) cd_sla_calendar_unref);
  g_hash_table_insert (fixture->calendars, g_strdup ("ru-24x7"),
                       cd_sla_calendar_new_from_json (text, -1, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_sla_policy_unref (fixture->policy);
  g_hash_table_unref (fixture->calendars);
}

static void
test_outcomes (void)
{
  g_autoptr(CdCall) call = cd_call_new ("1.1", "city", T0 - 60);

  g_assert_true (cd_call_outcome_is_missed (CD_CALL_ABANDONED));
  g_assert_true (cd_call_outcome_is_missed (CD_CALL_TIMEOUT));
  g_assert_true (cd_call_outcome_is_missed (CD_CALL_EXIT_EMPTY));
  g_assert_true (cd_call_outcome_is_missed (CD_CALL_EXIT_KEY));
  g_assert_false (cd_call_outcome_is_missed (CD_CALL_ANSWERED));
  g_assert_false (cd_call_outcome_is_missed (CD_CALL_TRANSFERRED));
  g_assert_false (cd_call_outcome_is_missed (CD_CALL_WITHDRAWN));
  g_assert_false (cd_call_outcome_is_missed (CD_CALL_INTERRUPTED));
  g_assert_false (cd_call_outcome_is_missed (CD_CALL_WAITING));

  cd_call_end (call, CD_CALL_ABANDONED, T0);
  g_assert_false (cd_call_is_missed (call));
  call->caller = g_strdup ("+375291234567");
  g_assert_true (cd_call_is_missed (call));
}

static void
test_callback_outcomes (void)
{
  CdCallbackOutcome outcome;
  g_autoptr(JsonObject) payload = cd_callback_to_payload (CD_CALLBACK_BUSY);

  g_assert_true (cd_callback_outcome_from_string ("wrong_number", &outcome));
  g_assert_cmpint (outcome, ==, CD_CALLBACK_WRONG_NUMBER);
  g_assert_false (cd_callback_outcome_from_string ("maybe", &outcome));
  g_assert_true (cd_callback_outcome_ends (CD_CALLBACK_REACHED));
  g_assert_true (cd_callback_outcome_ends (CD_CALLBACK_WRONG_NUMBER));
  g_assert_false (cd_callback_outcome_ends (CD_CALLBACK_NO_ANSWER));
  g_assert_false (cd_callback_outcome_ends (CD_CALLBACK_BUSY));
  g_assert_cmpstr (json_object_get_string_member (payload, "outcome"), ==, "busy");
  g_assert_true (cd_callback_role_may ("operator"));
  g_assert_true (cd_callback_role_may ("admin"));
  g_assert_false (cd_callback_role_may ("executor"));
  g_assert_false (cd_callback_role_may (NULL));
}

static CdMissedCall *
judge (Fixture       *fixture,
       CdMissedState  state,
       gint64         done_at,
       gint64         now)
{
  g_autoptr(GError) error = NULL;
  CdMissedCall *missed = cd_missed_call_new ();

  missed->missed_at = T0;
  missed->state = state;
  missed->done_at = done_at;
  g_assert_true (cd_missed_call_judge (missed, fixture->policy, fixture->calendars, now, &error));
  g_assert_no_error (error);
  return missed;
}

static void
test_due (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(CdMissedCall) fresh = judge (fixture, CD_MISSED_WAITING, 0, T0 + 60);
  g_autoptr(CdMissedCall) old = judge (fixture, CD_MISSED_WAITING, 0, T0 + 11 * 60);

  g_assert_cmpint (fresh->due, ==, T0 + 10 * 60);
  g_assert_cmpint (fresh->clock, ==, CD_SLA_CLOCK_RUNNING);
  g_assert_false (fresh->late);
  g_assert_cmpint (old->due, ==, T0 + 10 * 60);
  g_assert_cmpint (old->clock, ==, CD_SLA_CLOCK_BREACHED);
  g_assert_true (old->late);
}

static void
test_callback_stops (Fixture       *fixture,
                     gconstpointer  data)
{
  /* Judged long after: a stopped clock does not run on. */
  g_autoptr(CdMissedCall) on_time = judge (fixture, CD_MISSED_CALLED_BACK, T0 + 300, T0 + 86400);
  g_autoptr(CdMissedCall) late = judge (fixture, CD_MISSED_CALLED_BACK, T0 + 900, T0 + 86400);

  g_assert_cmpint (on_time->clock, ==, CD_SLA_CLOCK_MET);
  g_assert_false (on_time->late);
  g_assert_cmpint (late->clock, ==, CD_SLA_CLOCK_BREACHED);
  g_assert_true (late->late);
}

static void
test_closed_by_later_call (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CdMissedCall) closed = judge (fixture, CD_MISSED_CLOSED, T0 + 120, T0 + 86400);
  g_autoptr(CdMissedCall) wrong = judge (fixture, CD_MISSED_WRONG_NUMBER, T0 + 60, T0 + 86400);

  g_assert_cmpint (closed->clock, ==, CD_SLA_CLOCK_STOPPED);
  g_assert_false (closed->late);
  g_assert_cmpint (wrong->clock, ==, CD_SLA_CLOCK_STOPPED);
  g_assert_cmpstr (cd_missed_state_to_string (closed->state), ==, "closed");
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/missed-call/outcomes", test_outcomes);
  g_test_add_func ("/missed-call/callback-outcomes", test_callback_outcomes);
  g_test_add ("/missed-call/due", Fixture, NULL, fixture_set_up, test_due, fixture_tear_down);
  g_test_add ("/missed-call/callback-stops", Fixture, NULL, fixture_set_up, test_callback_stops,
              fixture_tear_down);
  g_test_add ("/missed-call/closed-by-later-call", Fixture, NULL, fixture_set_up,
              test_closed_by_later_call, fixture_tear_down);
  return g_test_run ();
}
