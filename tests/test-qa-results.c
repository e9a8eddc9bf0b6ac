// SPDX-License-Identifier: GPL-3.0-or-later
/* test-qa-results.c: operators' results against the team's (docs/qa.md)
 *
 * A table of evaluations, each a score as cd_qa_score_to_json() writes it,
 * with the weekly means, the group and question means of each operator and
 * of the team worked out by hand; the calendar weeks' edges.
 */

#include <string.h>

#include "cd-qa-results.h"
#include "cd-test.h"

/* Thursday 3 December 2026, 12:13 UTC: its week starts Monday 30 November. */
#define NOW 1796300000
#define MONDAY 1795996800
#define DAY 86400

typedef struct
{
  const char *operator;
  gint64      call_time;
  const char *score;
} Row;

static const Row rows[] = {
  /* ann: 80 and 60 this week, 90 last week, 50 nine weeks ago. */
  { "ann", MONDAY + 1 * DAY,
    "{\"total\":80,\"groups\":[{\"id\":\"greet\",\"applicable\":true,\"score\":100}],"
    "\"questions\":[{\"id\":\"hello\",\"group\":\"greet\",\"applicable\":true,"
    "\"earned\":1,\"possible\":1},{\"id\":\"name\",\"group\":\"greet\",\"applicable\":false,"
    "\"earned\":0,\"possible\":0}]}" },
  { "ann", MONDAY,
    "{\"total\":60,\"groups\":[{\"id\":\"greet\",\"applicable\":true,\"score\":50}],"
    "\"questions\":[{\"id\":\"hello\",\"group\":\"greet\",\"applicable\":true,"
    "\"earned\":0,\"possible\":1},{\"id\":\"name\",\"group\":\"greet\",\"applicable\":true,"
    "\"earned\":2,\"possible\":3}]}" },
  { "ann", MONDAY - 1,
    "{\"total\":90,\"groups\":[{\"id\":\"greet\",\"applicable\":false,\"score\":null}],"
    "\"questions\":[]}" },
  { "ann", MONDAY - 9 * 7 * DAY,
    "{\"total\":50,\"groups\":[],\"questions\":[]}" },
  /* bob: 40 this week; one evaluation with no total. */
  { "bob", MONDAY + 2 * DAY,
    "{\"total\":40,\"groups\":[{\"id\":\"greet\",\"applicable\":true,\"score\":0}],"
    "\"questions\":[{\"id\":\"hello\",\"group\":\"greet\",\"applicable\":true,"
    "\"earned\":0,\"possible\":1},{\"id\":\"name\",\"group\":\"greet\",\"applicable\":true,"
    "\"earned\":1,\"possible\":3}]}" },
  { "bob", MONDAY - 3 * 7 * DAY,
    "{\"total\":null,\"groups\":[{\"id\":\"close\",\"applicable\":true,\"score\":20}],"
    "\"questions\":[]}" },
  /* A call without an operator, after the week of now: in no week. */
  { NULL, MONDAY + 7 * DAY,
    "{\"total\":100,\"groups\":[],\"questions\":[]}" },
};

typedef struct
{
  const char *operator;
  guint       n;
  double      mean;
  int         week;
  guint       week_n;
  double      week_mean;
} Expected;

static const Expected expected[] = {
  { "ann", 4, 70.0, 0, 2, 70.0 },
  { "ann", 4, 70.0, 1, 1, 90.0 },
  { "ann", 4, 70.0, 2, 0, 0.0 },
  { "bob", 1, 40.0, 0, 1, 40.0 },
  { "bob", 1, 40.0, 3, 0, 0.0 },
  { NULL, 1, 100.0, 0, 0, 0.0 },
};

typedef struct
{
  const char *operator;
  const char *id;
  gboolean    question;
  guint       n;
  double      mean;
  guint       team_n;
  double      team_mean;
} ExpectedLine;

static const ExpectedLine expected_lines[] = {
  /* greet: ann 100 and 50, bob 0. */
  { "ann", "greet", FALSE, 2, 75.0, 3, 50.0 },
  { "bob", "greet", FALSE, 1, 0.0, 3, 50.0 },
  { "bob", "close", FALSE, 1, 20.0, 1, 20.0 },
  /* hello: ann 100 and 0, bob 0. */
  { "ann", "hello", TRUE, 2, 50.0, 3, 33.3 },
  /* name: ann 2/3 (66.7), applicable once; bob 1/3. */
  { "ann", "name", TRUE, 1, 66.7, 2, 50.0 },
  { "bob", "name", TRUE, 1, 33.3, 2, 50.0 },
};

static CdQaResults *
make_results (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) parsers = g_ptr_array_new_with_free_func (g_object_unref);
  CdQaResultsInput inputs[G_N_ELEMENTS (rows)];

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      JsonParser *parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (json_parser_load_from_data (parser, rows[i].score, -1, &error));
      g_assert_no_error (error);
      g_ptr_array_add (parsers, parser);
      inputs[i].operator = rows[i].operator;
      inputs[i].call_time = rows[i].call_time;
      inputs[i].score = json_node_get_object (json_parser_get_root (parser));
    }
  return cd_qa_results_new (inputs, G_N_ELEMENTS (inputs), NOW, utc);
}

static void
test_results_trend (void)
{
  g_autoptr(CdQaResults) results = make_results ();

  g_assert_cmpint (results->week_start[0], ==, MONDAY);
  g_assert_cmpint (results->week_start[1], ==, MONDAY - 7 * DAY);
  g_assert_cmpint (results->week_start[CD_QA_TREND_WEEKS - 1], ==,
                   MONDAY - (CD_QA_TREND_WEEKS - 1) * 7 * DAY);
  /* ann, bob, then the calls without an operator. */
  g_assert_cmpuint (results->operators->len, ==, 3);
  g_assert_cmpstr (((CdQaOperatorResults *) results->operators->pdata[0])->operator, ==, "ann");
  g_assert_cmpstr (((CdQaOperatorResults *) results->operators->pdata[1])->operator, ==, "bob");
  g_assert_null (((CdQaOperatorResults *) results->operators->pdata[2])->operator);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const Expected *e = &expected[i];
      CdQaOperatorResults *mine = cd_qa_results_find (results, e->operator);

      g_test_message ("%s week %d", e->operator, e->week);
      g_assert_nonnull (mine);
      g_assert_cmpuint (mine->n, ==, e->n);
      g_assert_cmpfloat_with_epsilon (mine->mean, e->mean, 1e-9);
      g_assert_cmpuint (mine->week_n[e->week], ==, e->week_n);
      g_assert_cmpfloat_with_epsilon (mine->week_mean[e->week], e->week_mean, 1e-9);
    }

  /* The team: this week 80, 60, 40; last week 90; all six totals. */
  g_assert_cmpuint (results->week_n[0], ==, 3);
  g_assert_cmpfloat_with_epsilon (results->week_mean[0], 60.0, 1e-9);
  g_assert_cmpuint (results->week_n[1], ==, 1);
  g_assert_cmpfloat_with_epsilon (results->week_mean[1], 90.0, 1e-9);
  g_assert_cmpuint (results->week_n[2], ==, 0);
  g_assert_cmpuint (results->n, ==, 6);
  g_assert_cmpfloat_with_epsilon (results->mean, 70.0, 1e-9);
}

static void
test_results_lines (void)
{
  g_autoptr(CdQaResults) results = make_results ();

  for (guint i = 0; i < G_N_ELEMENTS (expected_lines); i++)
    {
      const ExpectedLine *e = &expected_lines[i];
      CdQaOperatorResults *mine = cd_qa_results_find (results, e->operator);
      GPtrArray *lines = e->question ? mine->questions : mine->groups;
      CdQaResultsLine *found = NULL;

      g_test_message ("%s %s", e->operator, e->id);
      for (guint l = 0; l < lines->len; l++)
        if (g_str_equal (((CdQaResultsLine *) lines->pdata[l])->id, e->id))
          found = lines->pdata[l];
      g_assert_nonnull (found);
      g_assert_cmpstr (found->group, ==, e->question ? "greet" : NULL);
      g_assert_cmpuint (found->n, ==, e->n);
      g_assert_cmpfloat_with_epsilon (found->mean, e->mean, 1e-9);
      g_assert_cmpuint (found->team_n, ==, e->team_n);
      g_assert_cmpfloat_with_epsilon (found->team_mean, e->team_mean, 1e-9);
    }
  /* A group that never applied to ann is not among her lines. */
  g_assert_cmpuint (cd_qa_results_find (results, "ann")->groups->len, ==, 1);
  g_assert_cmpuint (cd_qa_results_find (results, "bob")->groups->len, ==, 2);
  g_assert_cmpuint (cd_qa_results_find (results, NULL)->groups->len, ==, 0);
}

static void
test_results_weeks (void)
{
  g_autoptr(CdQaResults) results = make_results ();
  struct
  {
    gint64 time;
    int    week;
  } cases[] = {
    { MONDAY, 0 },
    { MONDAY + 7 * DAY - 1, 0 },
    { MONDAY + 7 * DAY, -1 },
    { MONDAY - 1, 1 },
    { MONDAY - 7 * DAY, 1 },
    { MONDAY - (CD_QA_TREND_WEEKS - 1) * 7 * DAY, CD_QA_TREND_WEEKS - 1 },
    { MONDAY - (CD_QA_TREND_WEEKS - 1) * 7 * DAY - 1, -1 },
    { 0, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (cd_qa_results_week (results, cases[i].time), ==, cases[i].week);
}

/* Weeks are the zone's: in Moscow (UTC+3) the week of now starts at
 * Sunday 21:00 UTC. */
static void
test_results_zone (void)
{
  g_autoptr(GTimeZone) moscow = g_time_zone_new_identifier ("Europe/Moscow");
  g_autoptr(CdQaResults) results = NULL;

  if (moscow == NULL)
    {
      g_test_skip ("no Europe/Moscow zone");
      return;
    }
  results = cd_qa_results_new (NULL, 0, NOW, moscow);
  g_assert_cmpint (results->week_start[0], ==, MONDAY - 3 * 3600);
  g_assert_cmpuint (results->operators->len, ==, 0);
  g_assert_cmpuint (results->n, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qa-results/trend", test_results_trend);
  g_test_add_func ("/qa-results/lines", test_results_lines);
  g_test_add_func ("/qa-results/weeks", test_results_weeks);
  g_test_add_func ("/qa-results/zone", test_results_zone);
  return g_test_run ();
}
