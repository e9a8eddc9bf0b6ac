// SPDX-License-Identifier: GPL-3.0-or-later
/* test-qa-sample.c: the week's sample of calls and calibration (docs/qa.md)
 *
 * Sampling: N per operator, the night covered when the operator worked
 * it, the draw the same for the same week whatever the order of the calls,
 * another week another draw, complaint and short hang-up calls always in.
 * Calibration: a table of evaluators against a reference, deviations of
 * the total and per question worked out by hand.
 */

#include <string.h>

#include "cd-qa-calibration.h"
#include "cd-qa-sample.h"
#include "cd-test.h"

/* Operator "ann" works days and nights (30 calls by day, 3 at night),
 * "bob" only days (10); a call without an operator; one short call ann
 * hung up on; one old call a complaint names. */
static GArray *
make_calls (GPtrArray *names)
{
  GArray *calls = g_array_new (FALSE, TRUE, sizeof (CdQaSampleCall));
  int hours_ann[] = { 9, 10, 11, 13, 14, 15, 16, 17, 19, 20 };

  for (int i = 0; i < 33; i++)
    {
      CdQaSampleCall c = { 0 };
      char *id = g_strdup_printf ("ann-%02d", i);

      g_ptr_array_add (names, id);
      c.call = id;
      c.operator = "ann";
      c.hour = i < 30 ? hours_ann[i % 10] : (i == 30 ? 23 : (i == 31 ? 2 : 4));
      c.time = 1796000000 + i * 3600;
      c.in_week = TRUE;
      c.answered = TRUE;
      c.talk_seconds = 120;
      c.operator_hung_up = i == 5;
      if (i == 5)
        c.talk_seconds = 8;
      g_array_append_val (calls, c);
    }
  for (int i = 0; i < 10; i++)
    {
      CdQaSampleCall c = { 0 };
      char *id = g_strdup_printf ("bob-%02d", i);

      g_ptr_array_add (names, id);
      c.call = id;
      c.operator = "bob";
      c.hour = 8 + i;
      c.time = 1796000000 + i * 3600 + 60;
      c.in_week = TRUE;
      c.answered = TRUE;
      c.talk_seconds = 200;
      g_array_append_val (calls, c);
    }
  {
    CdQaSampleCall lost = { .call = "lost", .hour = 12, .time = 1796000100, .in_week = TRUE };
    CdQaSampleCall old = { .call = "old", .operator = "bob", .hour = 12, .time = 1795000000,
                           .answered = TRUE, .talk_seconds = 60, .complaint = TRUE };

    g_array_append_val (calls, lost);
    g_array_append_val (calls, old);
  }
  return calls;
}

static guint
count (GArray     *entries,
       const char *operator,
       guint       reason,
       gboolean    night_only)
{
  guint n = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      const CdQaSampleEntry *e = &g_array_index (entries, CdQaSampleEntry, i);

      if ((operator == NULL || g_strcmp0 (e->call->operator, operator) == 0) &&
          (e->reasons & reason) &&
          (!night_only || cd_qa_stratum_of_hour (e->call->hour) == CD_QA_STRATUM_NIGHT))
        n++;
    }
  return n;
}

static char *
sampled_ids (GArray *entries)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const CdQaSampleEntry *e = &g_array_index (entries, CdQaSampleEntry, i);

      if (e->reasons & CD_QA_REASON_SAMPLE)
        g_string_append_printf (out, "%s ", e->call->call);
    }
  return g_string_free (out, FALSE);
}

static void
test_sample_per_operator (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) calls = make_calls (names);

  for (guint n = 0; n <= 12; n++)
    {
      g_autoptr(GArray) entries = cd_qa_sample_draw ((CdQaSampleCall *) (void *) calls->data,
                                                     calls->len, "2026-W49", n);

      g_assert_cmpuint (count (entries, "ann", CD_QA_REASON_SAMPLE, FALSE), ==, n);
      /* bob took 10 answered calls in the week: never more than those. */
      g_assert_cmpuint (count (entries, "bob", CD_QA_REASON_SAMPLE, FALSE), ==, MIN (n, 10));
      /* ann worked 3 nights among 33 calls: any sample covers one. */
      if (n >= 1)
        g_assert_cmpuint (count (entries, "ann", CD_QA_REASON_SAMPLE, TRUE), >=, 1);
      /* The short call ann ended, and the old call of a complaint, are
       * always there; the lost call has no operator to sample. */
      g_assert_cmpuint (count (entries, NULL, CD_QA_REASON_SHORT_HANGUP, FALSE), ==, 1);
      g_assert_cmpuint (count (entries, NULL, CD_QA_REASON_COMPLAINT, FALSE), ==, 1);
      for (guint i = 0; i < entries->len; i++)
        {
          const CdQaSampleEntry *e = &g_array_index (entries, CdQaSampleEntry, i);

          g_assert_cmpstr (e->call->call, !=, "lost");
          /* A call of another week is there only for its complaint. */
          if (g_str_equal (e->call->call, "old"))
            g_assert_cmpuint (e->reasons, ==, CD_QA_REASON_COMPLAINT);
        }
    }
}

/* Strata in proportion once each worked stratum has one. */
static void
test_sample_strata (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) calls = make_calls (names);
  g_autoptr(GArray) entries = cd_qa_sample_draw ((CdQaSampleCall *) (void *) calls->data,
                                                 calls->len, "2026-W49", 10);
  guint per_stratum[CD_QA_N_STRATA] = { 0 };

  for (guint i = 0; i < entries->len; i++)
    {
      const CdQaSampleEntry *e = &g_array_index (entries, CdQaSampleEntry, i);

      if ((e->reasons & CD_QA_REASON_SAMPLE) && g_str_equal (e->call->operator, "ann"))
        per_stratum[cd_qa_stratum_of_hour (e->call->hour)]++;
    }
  /* ann: night 3, morning 9, afternoon 15, evening 6 calls. One each,
   * then D'Hondt (calls / (given + 1)) for the other 6: afternoon 7.5,
   * afternoon 5, morning 4.5, afternoon 3.75, then morning, afternoon and
   * evening tie at 3: the earlier strata win. Proportions would say 0.9,
   * 2.7, 4.5, 1.8. */
  g_assert_cmpuint (per_stratum[CD_QA_STRATUM_NIGHT], ==, 1);
  g_assert_cmpuint (per_stratum[CD_QA_STRATUM_MORNING], ==, 3);
  g_assert_cmpuint (per_stratum[CD_QA_STRATUM_AFTERNOON], ==, 5);
  g_assert_cmpuint (per_stratum[CD_QA_STRATUM_EVENING], ==, 1);
  g_assert_cmpint (cd_qa_stratum_of_hour (22), ==, CD_QA_STRATUM_NIGHT);
  g_assert_cmpint (cd_qa_stratum_of_hour (5), ==, CD_QA_STRATUM_NIGHT);
  g_assert_cmpint (cd_qa_stratum_of_hour (6), ==, CD_QA_STRATUM_MORNING);
  g_assert_cmpint (cd_qa_stratum_of_hour (21), ==, CD_QA_STRATUM_EVENING);
}

static void
test_sample_deterministic (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) calls = make_calls (names);
  g_autoptr(GArray) reversed = g_array_new (FALSE, TRUE, sizeof (CdQaSampleCall));
  g_autoptr(GArray) a = NULL, b = NULL, c = NULL, d = NULL;
  g_autofree char *ids_a = NULL, *ids_b = NULL, *ids_c = NULL, *ids_d = NULL;

  for (guint i = calls->len; i > 0; i--)
    g_array_append_val (reversed, g_array_index (calls, CdQaSampleCall, i - 1));
  a = cd_qa_sample_draw ((CdQaSampleCall *) (void *) calls->data, calls->len, "2026-W49", 4);
  b = cd_qa_sample_draw ((CdQaSampleCall *) (void *) calls->data, calls->len, "2026-W49", 4);
  c = cd_qa_sample_draw ((CdQaSampleCall *) (void *) reversed->data, reversed->len, "2026-W49",
                         4);
  d = cd_qa_sample_draw ((CdQaSampleCall *) (void *) calls->data, calls->len, "2026-W50", 4);
  ids_a = sampled_ids (a);
  ids_b = sampled_ids (b);
  ids_c = sampled_ids (c);
  ids_d = sampled_ids (d);
  g_test_message ("W49: %s\nW50: %s", ids_a, ids_d);
  g_assert_cmpstr (ids_a, ==, ids_b);
  g_assert_cmpstr (ids_a, ==, ids_c);
  /* Another week, another seed: with 33 and 10 calls to choose 4 from,
   * the same draw twice would be a broken seed. */
  g_assert_cmpstr (ids_a, !=, ids_d);
}

/* Calibration {{{1 */

static const char *form_json =
  "{\"id\": \"cal\", \"version\": 1, \"title\": \"Cal\","
  " \"groups\": [{\"id\": \"g\", \"title\": \"G\", \"weight\": 1, \"questions\": ["
  "   {\"id\": \"yes\", \"text\": \"Yes\", \"type\": \"yes_no\"},"
  "   {\"id\": \"scale\", \"text\": \"Scale\", \"type\": \"scale\","
  "    \"scale\": {\"min\": 1, \"max\": 5}},"
  "   {\"id\": \"opt\", \"text\": \"Opt\", \"type\": \"yes_no\", \"optional\": true}]}],"
  " \"bands\": [{\"id\": \"all\", \"from\": 0, \"to\": 100, \"name\": \"All\"}]}";

static CdQaScore *
score (const CdQaForm *form,
       const char     *answers)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *doc = g_strdup_printf ("{\"form\": \"cal\", \"version\": 1, "
                                          "\"answers\": %s}", answers);
  CdQaScore *s = cd_qa_score_new_from_json (form, doc, strlen (doc), &error);

  g_assert_no_error (error);
  return s;
}

typedef struct
{
  const char *answers;
  double      total_deviation;
  double      yes_deviation;
  double      scale_deviation;
  gboolean    opt_compared;
  guint       agreed;
  double      mean_abs;
} CalibrationCase;

static void
test_calibration_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQaForm) form = cd_qa_form_new_from_json (form_json, strlen (form_json), &error);
  /* The reference: yes, 4 of 1-5 (75), opt yes: (1 + 0.75 + 1) / 3 = 91.7. */
  g_autoptr(CdQaScore) reference = NULL;
  static const CalibrationCase cases[] = {
    /* The same answers: no deviation. */
    { "{\"yes\": true, \"scale\": 4, \"opt\": true}", 0, 0, 0, TRUE, 3, 0 },
    /* no, 4, yes: 1.75 / 3 = 58.3; 58.3 − 91.7 = −33.4, from the totals as
     * given (rounded), not −33.33… */
    { "{\"yes\": false, \"scale\": 4, \"opt\": true}", -33.4, -100, 0, TRUE, 2, 33.3 },
    /* yes, 2 (25), opt left out: 1.25 / 2 = 62.5; opt not compared. */
    { "{\"yes\": true, \"scale\": 2}", -29.2, 0, -50, FALSE, 1, 25 },
    /* yes, 5, n/a: 2 / 2 = 100. */
    { "{\"yes\": true, \"scale\": 5, \"opt\": \"n/a\"}", 8.3, 0, 25, FALSE, 1, 12.5 },
  };
  g_autoptr(GPtrArray) scores = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                cd_qa_score_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonArray) json = NULL;
  const char *names[G_N_ELEMENTS (cases)] = { "same", "no", "low", "high" };

  g_assert_no_error (error);
  reference = score (form, "{\"yes\": true, \"scale\": 4, \"opt\": true}");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_ptr_array_add (scores, score (form, cases[i].answers));
  rows = cd_qa_calibrate (reference, "ref", (const CdQaScore * const *) scores->pdata, names,
                          scores->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (cases) + 1);

  {
    const CdQaCalibrationRow *ref = rows->pdata[0];

    g_assert_true (ref->is_reference);
    g_assert_cmpstr (ref->evaluator, ==, "ref");
    g_assert_cmpfloat (ref->total_deviation, ==, 0);
    g_assert_cmpuint (ref->n_agreed, ==, 3);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CdQaCalibrationRow *row = rows->pdata[i + 1];

      g_test_message ("%s: total %.1f", names[i], row->total_deviation);
      g_assert_false (row->is_reference);
      g_assert_cmpstr (row->evaluator, ==, names[i]);
      g_assert_cmpfloat_with_epsilon (row->total_deviation, cases[i].total_deviation, 1e-9);
      g_assert_cmpuint (row->n_questions, ==, 3);
      g_assert_cmpfloat_with_epsilon (row->questions[0].deviation, cases[i].yes_deviation, 1e-9);
      g_assert_cmpfloat_with_epsilon (row->questions[1].deviation, cases[i].scale_deviation,
                                      1e-9);
      g_assert_cmpint (row->questions[2].compared, ==, cases[i].opt_compared);
      g_assert_cmpuint (row->n_agreed, ==, cases[i].agreed);
      g_assert_cmpfloat_with_epsilon (row->mean_abs_deviation, cases[i].mean_abs, 1e-9);
    }

  json = cd_qa_calibration_to_json (rows);
  g_assert_cmpuint (json_array_get_length (json), ==, rows->len);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (json, 0),
                                                 "reference"));
}

static void
test_calibration_other_form (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQaForm) form = cd_qa_form_new_from_json (form_json, strlen (form_json), NULL);
  g_autofree char *other_json = g_strdup (form_json);
  g_autoptr(CdQaForm) other = NULL;
  g_autoptr(CdQaScore) a = NULL;
  g_autoptr(CdQaScore) b = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *names[] = { "b" };
  const CdQaScore *scores[1];

  memcpy (strstr (other_json, "\"version\": 1"), "\"version\": 2", 12);
  other = cd_qa_form_new_from_json (other_json, strlen (other_json), &error);
  g_assert_no_error (error);
  a = score (form, "{\"yes\": true, \"scale\": 4}");
  {
    const char *doc = "{\"form\": \"cal\", \"version\": 2, \"answers\": {\"yes\": true, "
                      "\"scale\": 4}}";

    b = cd_qa_score_new_from_json (other, doc, strlen (doc), &error);
    g_assert_no_error (error);
  }
  scores[0] = b;
  rows = cd_qa_calibrate (a, "a", scores, names, 1, &error);
  g_assert_error (error, CD_QA_ERROR, CD_QA_ERROR_OTHER_FORM);
  g_assert_null (rows);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qa-sample/per-operator", test_sample_per_operator);
  g_test_add_func ("/qa-sample/strata", test_sample_strata);
  g_test_add_func ("/qa-sample/deterministic", test_sample_deterministic);
  g_test_add_func ("/qa-calibration/table", test_calibration_table);
  g_test_add_func ("/qa-calibration/other-form", test_calibration_other_form);
  return g_test_run ();
}
