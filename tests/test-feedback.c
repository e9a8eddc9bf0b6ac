// SPDX-License-Identifier: GPL-3.0-or-later
/* test-feedback.c: the feedback policy as a table of cases
 *
 * Sampling kept per executor over a long run, attempt spacing, calling
 * windows across time zones and summer time, holidays skipped, the due
 * time on the working calendar, and what each outcome does to a ticket.
 */

#include "config.h"

#include <math.h>

#include "cd-dispatch.h"
#include "cd-event.h"
#include "cd-feedback-policy.h"
#include "cd-feedback.h"
#include "cd-test.h"

#define POLICY(mode, calendar) \
  "{\"id\": \"p\", \"version\": 1, \"applies_to\": [{\"kind\": \"*\", \"category\": \"*\"}]," \
  " \"mode\": \"" mode "\", \"attempts\": 3, \"spacing_minutes\": 120," \
  " \"span_working_days\": 2, \"window\": [\"09:00\", \"20:00\"], \"calendar\": \"" calendar "\""

static gint64
at (const char *iso)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (t);
  return g_date_time_to_unix (t);
}

static CdSlaCalendar *
calendar (const char *id)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  CdSlaCalendar *cal;

  if (g_str_equal (id, "us"))
    {
      /* No shipped calendar is American: a week of work in New York. */
      cal = cd_sla_calendar_new_from_json (
        "{\"timezone\": \"America/New_York\", \"week\": {\"mon\": [[\"09:00\", \"17:00\"]],"
        " \"tue\": [[\"09:00\", \"17:00\"]], \"wed\": [[\"09:00\", \"17:00\"]],"
        " \"thu\": [[\"09:00\", \"17:00\"]], \"fri\": [[\"09:00\", \"17:00\"]],"
        " \"sat\": [], \"sun\": []}, \"holidays\": [\"07-04\"], \"overrides\": {}}", -1, &error);
      g_assert_no_error (error);
      return cal;
    }
  path = g_build_filename (g_getenv ("CITYDESK_DATA_DIR"), "calendars", id, NULL);
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  cal = cd_sla_calendar_new_from_json (text, -1, &error);
  g_assert_no_error (error);
  return cal;
}

static CdFeedbackPolicy *
policy (const char *json)
{
  g_autoptr(GError) error = NULL;
  CdFeedbackPolicy *p = cd_feedback_policy_new_from_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static void
test_outcomes (void)
{
  for (CdFeedbackOutcome o = 0; o < CD_N_FEEDBACK_OUTCOMES; o++)
    {
      CdFeedbackOutcome back;

      g_assert_true (cd_feedback_outcome_from_string (cd_feedback_outcome_to_string (o), &back));
      g_assert_cmpint (back, ==, o);
      g_assert_nonnull (cd_feedback_outcome_get_label (o));
    }
  g_assert_false (cd_feedback_outcome_from_string ("reached", &(CdFeedbackOutcome) { 0 }));
  g_assert_false (cd_feedback_outcome_from_string (NULL, &(CdFeedbackOutcome) { 0 }));
  g_assert_cmpstr (cd_feedback_outcome_label_for_code ("nonsense"), ==, "nonsense");
}

/* 10,000 resolutions over 12 executors, in an order no executor can
 * predict: each executor's count of calls is within one of rate · n. */
static void
test_sampling_per_executor (void)
{
  static const guint rates[] = { 1, 7, 20, 33, 50, 99 };

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"id\": \"s\", \"version\": 1, \"applies_to\": [{\"kind\": \"*\", \"category\": \"*\"}],"
        " \"mode\": \"sample\", \"percent\": %u, \"attempts\": 3, \"spacing_minutes\": 120,"
        " \"span_working_days\": 2, \"window\": [\"09:00\", \"20:00\"], \"calendar\": \"ru\"}",
        rates[r]);
      g_autoptr(CdFeedbackPolicy) p = policy (json);
      guint64 n[12] = { 0 }, selected[12] = { 0 };
      guint32 state = 12345;

      for (guint i = 0; i < 10000; i++)
        {
          guint e;

          /* A fixed linear congruential sequence, skewed towards the
           * first executors: a deterministic test of an uneven load. */
          state = state * 1103515245u + 12345u;
          e = ((state >> 16) % 144);
          e = e < 60 ? e % 3 : e % 12;
          if (cd_feedback_policy_select (p, n[e]))
            selected[e]++;
          n[e]++;
        }
      for (guint e = 0; e < 12; e++)
        {
          double expected = rates[r] / 100.0 * n[e];

          g_assert_cmpuint (n[e], >, 0);
          g_assert_cmpfloat (fabs ((double) selected[e] - expected), <=, 1.0);
          /* None escapes: the first resolution of each is called. */
          g_assert_true (cd_feedback_policy_select (p, 0));
        }
    }
  {
    g_autoptr(CdFeedbackPolicy) all = policy (POLICY ("all", "ru") "}");
    g_autoptr(CdFeedbackPolicy) none = policy (
      "{\"id\": \"n\", \"version\": 1, \"applies_to\": [{\"kind\": \"information\","
      " \"category\": \"*\"}], \"mode\": \"none\", \"calendar\": \"ru\"}");

    for (guint64 i = 0; i < 100; i++)
      {
        g_assert_true (cd_feedback_policy_select (all, i));
        g_assert_false (cd_feedback_policy_select (none, i));
      }
  }
}

/* Each attempt at least the spacing after the one before, inside a
 * window, never before the resolve; the third is the last. */
static void
test_attempt_spacing (void)
{
  g_autoptr(CdFeedbackPolicy) p = policy (POLICY ("all", "ru") "}");
  g_autoptr(CdSlaCalendar) cal = calendar ("ru.json");
  gint64 resolved = at ("2026-03-02T18:30:00+03:00");
  gint64 last = 0, start, end;

  g_assert_cmpint (cd_feedback_policy_get_spacing (p), ==, 2 * 3600);
  for (guint attempt = 1; attempt <= 3; attempt++)
    {
      gint64 earliest = cd_feedback_policy_earliest (p, resolved, last);

      g_assert_true (cd_feedback_policy_next_window (p, cal, earliest, &start, &end));
      /* Called as soon as allowed. */
      last = MAX (start, earliest);
      g_assert_cmpint (last, >=, resolved);
      g_assert_cmpint (last, <, end);
      g_assert_cmpint (cd_feedback_policy_is_last (p, attempt), ==, attempt == 3);
      if (attempt == 1)
        g_assert_cmpint (last, ==, resolved);
      else if (attempt == 2)
        /* 20:30 is past the window: the next morning. */
        g_assert_cmpint (last, ==, at ("2026-03-03T09:00:00+03:00"));
      else
        g_assert_cmpint (last, ==, at ("2026-03-03T11:00:00+03:00"));
    }
}

/* The window on the resident's clock, by the zone's rules of that day. */
static void
test_windows (void)
{
  static const struct {
    const char *calendar;
    const char *t;
    const char *start;
    const char *end;
  } cases[] = {
    /* Inside a window: that window. */
    { "ru.json", "2026-03-02T12:00:00+03:00", "2026-03-02T09:00:00+03:00",
      "2026-03-02T20:00:00+03:00" },
    /* At night: the morning after. */
    { "ru.json", "2026-03-02T23:00:00+03:00", "2026-03-03T09:00:00+03:00",
      "2026-03-03T20:00:00+03:00" },
    /* Saturday is no holiday; the 8th and 9th of March are. */
    { "ru.json", "2026-03-07T21:00:00+03:00", "2026-03-10T09:00:00+03:00",
      "2026-03-10T20:00:00+03:00" },
    /* New York springs forward on 8 March 2026: 09:00 is 13:00 UTC. */
    { "us", "2026-03-07T22:00:00-05:00", "2026-03-08T09:00:00-04:00",
      "2026-03-08T20:00:00-04:00" },
    { "us", "2026-03-07T03:00:00-05:00", "2026-03-07T09:00:00-05:00",
      "2026-03-07T20:00:00-05:00" },
    /* And falls back on 1 November: 09:00 is 14:00 UTC again. */
    { "us", "2026-10-31T21:00:00-04:00", "2026-11-01T09:00:00-05:00",
      "2026-11-01T20:00:00-05:00" },
    /* Independence Day is a holiday. */
    { "us", "2026-07-03T20:30:00-04:00", "2026-07-05T09:00:00-04:00",
      "2026-07-05T20:00:00-04:00" },
    /* Kyiv goes to summer time on 29 March 2026; martial law keeps no
     * holidays. */
    { "ua.json", "2026-03-28T22:00:00+02:00", "2026-03-29T09:00:00+03:00",
      "2026-03-29T20:00:00+03:00" },
    { "ua.json", "2026-10-24T21:00:00+03:00", "2026-10-25T09:00:00+02:00",
      "2026-10-25T20:00:00+02:00" },
    /* Almaty has no summer time; Nauryz and its moved days have no calls. */
    { "kz.json", "2026-03-20T21:00:00+05:00", "2026-03-26T09:00:00+05:00",
      "2026-03-26T20:00:00+05:00" },
    /* A time in UTC before the local morning: the same local day. */
    { "kz.json", "2026-03-19T02:00:00Z", "2026-03-19T09:00:00+05:00",
      "2026-03-19T20:00:00+05:00" },
  };
  g_autoptr(CdFeedbackPolicy) p = policy (POLICY ("all", "ru") "}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdSlaCalendar) cal = calendar (cases[i].calendar);
      gint64 start = 0, end = 0;

      g_test_message ("case %u: %s at %s", i, cases[i].calendar, cases[i].t);
      g_assert_true (cd_feedback_policy_next_window (p, cal, at (cases[i].t), &start, &end));
      g_assert_cmpint (start, ==, at (cases[i].start));
      g_assert_cmpint (end, ==, at (cases[i].end));
    }

  {
    g_autoptr(CdFeedbackPolicy) working = policy (POLICY ("all", "ru") ", \"days\": \"working\"}");
    g_autoptr(CdSlaCalendar) cal = calendar ("ru.json");
    gint64 start, end;

    /* Working days only: Saturday too has no calls. */
    g_assert_true (cd_feedback_policy_next_window (working, cal, at ("2026-03-06T21:00:00+03:00"),
                                                   &start, &end));
    g_assert_cmpint (start, ==, at ("2026-03-10T09:00:00+03:00"));
  }
}

/* The clock runs on the working calendar: resolved on Friday evening,
 * due at the end of the second working day after. */
static void
test_due (void)
{
  g_autoptr(CdFeedbackPolicy) p = policy (POLICY ("all", "ru") "}");
  g_autoptr(CdSlaCalendar) ru = calendar ("ru.json");
  g_autoptr(CdSlaCalendar) us = calendar ("us");

  g_assert_cmpint (cd_feedback_policy_due (p, ru, at ("2026-03-06T19:00:00+03:00")), ==,
                   at ("2026-03-11T18:00:00+03:00"));
  g_assert_cmpint (cd_feedback_policy_due (p, ru, at ("2026-03-02T10:00:00+03:00")), ==,
                   at ("2026-03-04T18:00:00+03:00"));
  g_assert_cmpint (cd_feedback_policy_due (p, us, at ("2026-07-03T19:00:00-04:00")), ==,
                   at ("2026-07-07T17:00:00-04:00"));
}

static void
test_policy_errors (void)
{
  static const char * const bad[] = {
    POLICY ("all", "ru") ", \"colour\": 1}",
    POLICY ("maybe", "ru") "}",
    POLICY ("sample", "ru") ", \"percent\": 0}",
    POLICY ("sample", "ru") "}",
    POLICY ("all", "ru") ", \"days\": \"sometimes\"}",
    "{\"id\": \"p\", \"version\": 1, \"applies_to\": [], \"mode\": \"none\", \"calendar\": \"ru\"}",
    "{\"id\": \"p\", \"version\": 1, \"applies_to\": [{\"kind\": \"*\", \"category\": \"*\"}],"
    " \"mode\": \"all\", \"attempts\": 3, \"spacing_minutes\": 120, \"span_working_days\": 2,"
    " \"window\": [\"20:00\", \"09:00\"], \"calendar\": \"ru\"}",
    "[]",
    "{",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdFeedbackPolicy) p = cd_feedback_policy_new_from_json (bad[i], -1, &error);

      g_assert_null (p);
      g_assert_error (error, CD_FEEDBACK_ERROR, CD_FEEDBACK_ERROR_INVALID);
    }
}

/* The shipped policies: information requests are not called, the rest
 * are, the more specific rule winning. */
static void
test_shipped_policies (void)
{
  static const char * const files[] = {
    "callback-all.json", "callback-none.json", "callback-sample.json"
  };
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cd_feedback_policy_free);
  CdFeedbackPolicy *chosen;

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("CITYDESK_DATA_DIR"), "feedback",
                                                files[i], NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, &error));
      g_ptr_array_add (policies, policy (text));
    }
  chosen = cd_feedback_policy_choose ((CdFeedbackPolicy * const *) policies->pdata,
                                      policies->len, "information", "other");
  g_assert_cmpint (cd_feedback_policy_get_mode (chosen), ==, CD_FEEDBACK_MODE_NONE);
  chosen = cd_feedback_policy_choose ((CdFeedbackPolicy * const *) policies->pdata,
                                      policies->len, "routine", "housing.heating");
  g_assert_cmpstr (cd_feedback_policy_get_id (chosen), ==, "callback-all");
  g_assert_cmpuint (cd_feedback_policy_get_attempts (chosen), ==, 3);
  g_assert_cmpuint (cd_feedback_policy_get_span_days (chosen), ==, 2);
  chosen = cd_feedback_policy_choose ((CdFeedbackPolicy * const *) policies->pdata,
                                      policies->len, "paid", "housing.heating");
  g_assert_cmpint (cd_feedback_policy_get_mode (chosen), ==, CD_FEEDBACK_MODE_SAMPLE);
  g_assert_cmpuint (cd_feedback_policy_get_percent (chosen), ==, 20);
}

static CdTicket *
resolved_ticket (void)
{
  CdTicket *t = cd_ticket_new ();

  t->id = g_strdup ("t-1");
  t->number = g_strdup ("2026-000001");
  t->kind = CD_TICKET_KIND_ROUTINE;
  t->category = g_strdup ("housing.heating");
  t->executor = g_strdup ("zhes-1");
  t->state = CD_TICKET_STATE_RESOLVED;
  t->resolved_at = 1000;
  return t;
}

/* Each outcome, first and last attempt: the state after, the reopen
 * counted against the executor that keeps the ticket. */
static void
test_outcome_table (void)
{
  static const struct {
    const char *outcome;
    gboolean last;
    CdTicketState to;
  } cases[] = {
    { "confirmed", FALSE, CD_TICKET_STATE_CLOSED },
    { "not_fixed", FALSE, CD_TICKET_STATE_REOPENED },
    { "partly_fixed", TRUE, CD_TICKET_STATE_REOPENED },
    { "no_answer", FALSE, CD_TICKET_STATE_RESOLVED },
    { "no_answer", TRUE, CD_TICKET_STATE_CLOSED_UNCONFIRMED },
    { "busy", FALSE, CD_TICKET_STATE_RESOLVED },
    { "busy", TRUE, CD_TICKET_STATE_CLOSED_UNCONFIRMED },
    { "wrong_number", FALSE, CD_TICKET_STATE_RESOLVED },
    { "wrong_number", TRUE, CD_TICKET_STATE_CLOSED_UNCONFIRMED },
    { "refused", FALSE, CD_TICKET_STATE_CLOSED_UNCONFIRMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdTicket) t = resolved_ticket ();
      g_autoptr(JsonObject) payload = json_object_new ();
      g_autoptr(CdEvent) e = NULL;
      g_autoptr(GError) error = NULL;
      gboolean reopens = cases[i].to == CD_TICKET_STATE_REOPENED;
      guint n_sla = 0;
      g_autofree CdSlaEvent *sla = NULL;

      json_object_set_string_member (payload, "outcome", cases[i].outcome);
      json_object_set_string_member (payload, "note", "the kitchen is still cold");
      json_object_set_int_member (payload, "attempt", cases[i].last ? 3 : 1);
      json_object_set_boolean_member (payload, "last", cases[i].last);
      e = cd_event_new ("t-1", "callback", "fiona", "feedback", 2000, payload);
      g_assert_true (cd_ticket_apply (t, e, &error));
      g_assert_no_error (error);
      g_assert_cmpint (t->state, ==, cases[i].to);
      g_assert_cmpstr (t->executor, ==, "zhes-1");
      g_assert_cmpuint (t->reopen_count, ==, reopens ? 1 : 0);
      g_assert_cmpint (t->resolved_at, ==, reopens ? 0 : 1000);

      /* The SLA engine sees what the callback amounts to. */
      sla = cd_ticket_to_sla_events ((CdEvent *[]) { e }, 1, &n_sla);
      g_assert_cmpuint (n_sla, ==, 0); /* a lone callback applies to no new ticket */
      g_assert_cmpstr (cd_action_to_string (cd_dispatch_effective_action (CD_ACTION_CALLBACK, e)),
                       ==,
                       cases[i].to == CD_TICKET_STATE_CLOSED ? "close"
                       : reopens ? "reopen"
                       : cases[i].to == CD_TICKET_STATE_RESOLVED ? "comment"
                       : "close_unconfirmed");
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feedback/outcomes", test_outcomes);
  g_test_add_func ("/feedback/sampling-per-executor", test_sampling_per_executor);
  g_test_add_func ("/feedback/attempt-spacing", test_attempt_spacing);
  g_test_add_func ("/feedback/windows", test_windows);
  g_test_add_func ("/feedback/due", test_due);
  g_test_add_func ("/feedback/policy-errors", test_policy_errors);
  g_test_add_func ("/feedback/shipped-policies", test_shipped_policies);
  g_test_add_func ("/feedback/outcome-table", test_outcome_table);

  return g_test_run ();
}
