// SPDX-License-Identifier: GPL-3.0-or-later
/* test-qa-score.c: evaluation forms and their scoring (docs/qa.md)
 *
 * Table tests of the arithmetic on small forms written here (weights of
 * questions and groups, not applicable, fatal, critical, bands, rounding),
 * a vendor's published worked example, the shipped contact-center form,
 * and forms and answers that must be refused, each with the place named.
 */

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-qa-score.h"
#include "cd-test.h"

/* Two groups: A (weight 1) of two yes/no questions, weights 3 and 1; B
 * (weight 3) of a 1-5 scale, a choice scored 2/1/0, a fatal yes/no, a
 * critical yes/no and an optional one. */
static const char *form_json =
  "{\"id\": \"t\", \"version\": 2, \"title\": {\"en\": \"Test\", \"ru\": \"Тест\"},"
  " \"groups\": ["
  "  {\"id\": \"a\", \"title\": \"A\", \"weight\": 1, \"questions\": ["
  "    {\"id\": \"a1\", \"text\": \"A1\", \"type\": \"yes_no\", \"weight\": 3},"
  "    {\"id\": \"a2\", \"text\": \"A2\", \"type\": \"yes_no\"}]},"
  "  {\"id\": \"b\", \"title\": \"B\", \"weight\": 3, \"questions\": ["
  "    {\"id\": \"b1\", \"text\": \"B1\", \"type\": \"scale\", \"scale\": {\"min\": 1,"
  "     \"max\": 5}},"
  "    {\"id\": \"b2\", \"text\": \"B2\", \"type\": \"choice\", \"choices\": ["
  "      {\"id\": \"good\", \"label\": \"Good\", \"score\": 2},"
  "      {\"id\": \"fair\", \"label\": \"Fair\", \"score\": 1},"
  "      {\"id\": \"bad\", \"label\": \"Bad\", \"score\": 0}]},"
  "    {\"id\": \"rude\", \"text\": {\"en\": \"No rudeness\", \"ru\": \"Без грубости\"},"
  "     \"type\": \"yes_no\", \"fatal\": true},"
  "    {\"id\": \"crit\", \"text\": \"Data read back\", \"type\": \"yes_no\","
  "     \"critical\": true},"
  "    {\"id\": \"crit2\", \"text\": \"Category\", \"type\": \"choice\", \"critical\": true,"
  "     \"choices\": [{\"id\": \"right\", \"label\": \"Right\", \"score\": 1},"
  "                   {\"id\": \"wrong\", \"label\": \"Wrong\", \"score\": 0}]},"
  "    {\"id\": \"opt\", \"text\": \"Optional\", \"type\": \"yes_no\", \"optional\": true}]}],"
  " \"bands\": [{\"id\": \"low\", \"from\": 0, \"to\": 50, \"name\": \"Low\"},"
  "           {\"id\": \"mid\", \"from\": 51, \"to\": 75, \"name\": \"Mid\"},"
  "           {\"id\": \"high\", \"from\": 76, \"to\": 100, \"name\": \"High\"}]}";

static CdQaForm *
load_form (const char *json)
{
  g_autoptr(GError) error = NULL;
  CdQaForm *form = cd_qa_form_new_from_json (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
  return form;
}

static CdQaScore *
score_answers (const CdQaForm *form,
               const char     *answers)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"form\": \"%s\", \"version\": %" G_GINT64_FORMAT
                                           ", \"answers\": {%s}}", form->id, form->version,
                                           answers);
  CdQaScore *score = cd_qa_score_new_from_json (form, json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (score);
  return score;
}

typedef struct
{
  const char *name;
  const char *answers;
  double      total;        /* NAN: no total */
  const char *band;         /* NULL: none */
  double      group_a;      /* NAN: not applicable */
  double      group_b;
  double      critical;     /* NAN: none applicable */
  const char *fatal;        /* the failed fatal questions' ids, or NULL */
} ScoreCase;

/* Members cannot be given twice: the rude answer is added to this. */
#define GOOD_BUT "\"a1\": true, \"a2\": true, \"b1\": 5, \"b2\": \"good\", \"crit\": true," \
                 " \"crit2\": \"right\""
#define ALL_GOOD GOOD_BUT ", \"rude\": true"

static const ScoreCase score_cases[] = {
  { "all good", ALL_GOOD, 100.0, "high", 100.0, 100.0, 100.0, NULL },
  /* A: 3 of 4 points = 75. B: scale 3 of 1-5 = 0.5, fair = 0.5, rude
   * yes = 1: 2 of 3 = 66.7. Total (75 × 1 + 66.67 × 3) / 4 = 68.75. */
  { "question and group weights",
    "\"a1\": true, \"a2\": false, \"b1\": 3, \"b2\": \"fair\", \"rude\": true,"
    " \"crit\": true, \"crit2\": \"right\"",
    68.8, "mid", 75.0, 66.7, 100.0, NULL },
  /* "n/a" leaves a question out of both sides: A is a1 alone. */
  { "not applicable",
    "\"a1\": \"n/a\", \"a2\": true, \"b1\": 1, \"b2\": \"n/a\", \"rude\": true,"
    " \"crit\": true, \"crit2\": \"right\"",
    /* A 100, B: 0 + 1 of 2 = 50; (100 + 150) / 4 = 62.5. */
    62.5, "mid", 100.0, 50.0, 100.0, NULL },
  /* A group with nothing applicable drops out of the weighted mean. */
  { "group not applicable",
    "\"a1\": \"n/a\", \"a2\": \"n/a\", \"b1\": 5, \"b2\": \"fair\", \"rude\": true,"
    " \"crit\": true, \"crit2\": \"right\"",
    /* B: 1 + 0.5 + 1 of 3 = 83.3 alone. */
    83.3, "high", NAN, 83.3, 100.0, NULL },
  { "nothing applicable",
    "\"a1\": \"n/a\", \"a2\": \"n/a\", \"b1\": \"n/a\", \"b2\": \"n/a\", \"rude\": \"n/a\","
    " \"crit\": \"n/a\", \"crit2\": \"n/a\"",
    NAN, NULL, NAN, NAN, NAN, NULL },
  /* A failed fatal question sets the total to 0 whatever else. */
  { "fatal", GOOD_BUT ", \"rude\": false", 0.0, "low", 100.0, 66.7, 100.0, "rude" },
  /* Critical questions: their own score, not in the total. */
  { "critical failed",
    "\"a1\": true, \"a2\": true, \"b1\": 5, \"b2\": \"good\", \"rude\": true,"
    " \"crit\": false, \"crit2\": \"right\"",
    100.0, "high", 100.0, 100.0, 50.0, NULL },
  { "critical choice failed, one n/a",
    "\"a1\": true, \"a2\": true, \"b1\": 5, \"b2\": \"good\", \"rude\": true,"
    " \"crit\": \"n/a\", \"crit2\": \"wrong\"",
    100.0, "high", 100.0, 100.0, 0.0, NULL },
  /* The optional question answered counts; left out it does not. */
  { "optional answered",
    ALL_GOOD ", \"opt\": false",
    /* B: 3 of 4 = 75; (100 + 225) / 4 = 81.25. */
    81.3, "high", 100.0, 75.0, 100.0, NULL },
  /* Yes and no as words. */
  { "yes and no as words",
    "\"a1\": \"no\", \"a2\": \"yes\", \"b1\": 1, \"b2\": \"bad\", \"rude\": \"yes\","
    " \"crit\": \"yes\", \"crit2\": \"right\"",
    /* A 25, B 1 of 3 = 33.3; (25 + 100) / 4 = 31.25. */
    31.3, "low", 25.0, 33.3, 100.0, NULL },
};

static void
assert_close (double      actual,
              double      expected,
              const char *what,
              const char *name)
{
  if (isnan (expected))
    return;
  if (fabs (actual - expected) > 1e-9)
    g_error ("%s: %s is %.4f, not %.4f", name, what, actual, expected);
}

static void
test_table (void)
{
  g_autoptr(CdQaForm) form = load_form (form_json);

  for (guint i = 0; i < G_N_ELEMENTS (score_cases); i++)
    {
      const ScoreCase *c = &score_cases[i];
      g_autoptr(CdQaScore) score = score_answers (form, c->answers);

      g_test_message ("%s", c->name);
      g_assert_cmpint (score->has_total, ==, !isnan (c->total));
      assert_close (score->total, c->total, "the total", c->name);
      if (c->band == NULL)
        g_assert_null (score->band);
      else
        g_assert_cmpstr (score->band->id, ==, c->band);
      g_assert_cmpint (score->groups[0].applicable, ==, !isnan (c->group_a));
      assert_close (score->groups[0].score, c->group_a, "group A", c->name);
      g_assert_cmpint (score->groups[1].applicable, ==, !isnan (c->group_b));
      assert_close (score->groups[1].score, c->group_b, "group B", c->name);
      g_assert_cmpint (score->has_critical, ==, !isnan (c->critical));
      assert_close (score->critical, c->critical, "the critical score", c->name);
      if (c->fatal == NULL)
        g_assert_cmpuint (score->fatal_failed->len, ==, 0);
      else
        {
          g_assert_cmpuint (score->fatal_failed->len, ==, 1);
          g_assert_cmpstr (((CdQaQuestion *) g_ptr_array_index (score->fatal_failed, 0))->id,
                           ==, c->fatal);
        }
    }
}

/* A fatal question failed: the total is 0, what it would have been is
 * kept, and the JSON says why in the reader's language. */
static void
test_fatal_json (void)
{
  static const char * const ru[] = { "ru", NULL };
  g_autoptr(CdQaForm) form = load_form (form_json);
  g_autoptr(CdQaScore) score = score_answers (form, GOOD_BUT ", \"rude\": false");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = cd_qa_score_to_json (score, ru);
  JsonObject *o;

  g_assert_cmpfloat (score->unfailed_total, ==, cd_qa_round_1 (100 * (1 + 3 * 2.0 / 3) / 4));
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (o, "total"), ==, 0.0);
  g_assert_true (json_object_get_boolean_member (o, "fatal"));
  g_assert_cmpstr (json_object_get_string_member (o, "fatal_reason"), ==, "Без грубости");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o,
                                                                               "fatal_questions"),
                                                  0), ==, "rude");
  g_assert_cmpfloat (json_object_get_double_member (o, "total_without_fatal"), ==, 75.0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "band"),
                                                  "id"), ==, "low");
  g_assert_cmpstr (json_object_get_string_member (o, "title"), ==, "Тест");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "questions")), ==,
                   8);
}

/* A fatal scale question fails at its lowest value, and only there. */
static void
test_fatal_scale (void)
{
  static const char *json =
    "{\"id\": \"s\", \"version\": 1, \"title\": \"S\", \"groups\": [{\"id\": \"g\","
    " \"title\": \"G\", \"weight\": 1, \"questions\": [{\"id\": \"tone\", \"text\": \"Tone\","
    " \"type\": \"scale\", \"scale\": {\"min\": 0, \"max\": 4}, \"fatal\": true}]}],"
    " \"bands\": [{\"from\": 0, \"to\": 100, \"name\": \"All\"}]}";
  g_autoptr(CdQaForm) form = load_form (json);
  g_autoptr(CdQaScore) low = score_answers (form, "\"tone\": 0");
  g_autoptr(CdQaScore) next = score_answers (form, "\"tone\": 1");

  g_assert_cmpuint (low->fatal_failed->len, ==, 1);
  g_assert_cmpfloat (low->total, ==, 0.0);
  g_assert_cmpuint (next->fatal_failed->len, ==, 0);
  g_assert_cmpfloat (next->total, ==, 25.0);
  g_assert_null (next->band->id);
}

/* The worked example of score.ai's "Playbook scoring" help page: three
 * parameters of 10 points each, one scoring 50 % (greeted, yes; used the
 * customer's name, no) and two 100 %, are 83.33 %. Here the parameters are
 * groups weighted by their points. */
static void
test_vendor_example (void)
{
  static const char *json =
    "{\"id\": \"playbook\", \"version\": 1, \"title\": \"Playbook\", \"groups\": ["
    " {\"id\": \"a\", \"title\": \"A\", \"weight\": 10, \"questions\": ["
    "   {\"id\": \"greeted\", \"text\": \"Greeted the customer properly\", \"type\": \"yes_no\","
    "    \"weight\": 5},"
    "   {\"id\": \"name\", \"text\": \"Used the customer's name\", \"type\": \"yes_no\","
    "    \"weight\": 5}]},"
    " {\"id\": \"b\", \"title\": \"B\", \"weight\": 10, \"questions\": ["
    "   {\"id\": \"resolved\", \"text\": \"Resolved the issue\", \"type\": \"yes_no\","
    "    \"weight\": 10}]},"
    " {\"id\": \"c\", \"title\": \"C\", \"weight\": 10, \"questions\": ["
    "   {\"id\": \"language\", \"text\": \"No inappropriate language\", \"type\": \"yes_no\","
    "    \"weight\": 10}]}],"
    " \"bands\": [{\"from\": 0, \"to\": 100, \"name\": \"All\"}]}";
  g_autoptr(CdQaForm) form = load_form (json);
  g_autoptr(CdQaScore) score = score_answers (form, "\"greeted\": true, \"name\": false,"
                                              " \"resolved\": true, \"language\": true");

  g_assert_cmpfloat (score->groups[0].score, ==, 50.0);
  g_assert_cmpfloat (score->groups[1].score, ==, 100.0);
  g_assert_cmpfloat (score->groups[2].score, ==, 100.0);
  g_assert_cmpfloat (score->total, ==, 83.3);
}

static void
test_rounding (void)
{
  static const struct { double in, out; } cases[] = {
    { 62.25, 62.3 }, { 62.24, 62.2 }, { 0.05, 0.1 }, { 100.0 / 3, 33.3 },
    { 200.0 / 3, 66.7 }, { 100, 100 }, { 0, 0 }, { -0.25, -0.3 }, { 12.25, 12.3 },
  };
  /* 49 × 25 % and 51 × 0 %: 12.25 exactly on paper. */
  static const char *json =
    "{\"id\": \"r\", \"version\": 1, \"title\": \"R\", \"groups\": ["
    " {\"id\": \"a\", \"title\": \"A\", \"weight\": 49, \"questions\": ["
    "   {\"id\": \"a1\", \"text\": \"A1\", \"type\": \"yes_no\"},"
    "   {\"id\": \"a2\", \"text\": \"A2\", \"type\": \"yes_no\", \"weight\": 3}]},"
    " {\"id\": \"b\", \"title\": \"B\", \"weight\": 51, \"questions\": ["
    "   {\"id\": \"b1\", \"text\": \"B1\", \"type\": \"yes_no\"}]}],"
    " \"bands\": [{\"from\": 0, \"to\": 12, \"name\": \"Low\"},"
    "           {\"from\": 13, \"to\": 100, \"name\": \"High\"}]}";
  g_autoptr(CdQaForm) form = load_form (json);
  g_autoptr(CdQaScore) score = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat (cd_qa_round_1 (cases[i].in), ==, cases[i].out);
  score = score_answers (form, "\"a1\": true, \"a2\": false, \"b1\": false");
  g_assert_cmpfloat (score->total, ==, 12.3);
  /* 12.3 is below 13: still the first band. */
  g_assert_cmpstr (cd_qa_text_get (score->band->name, NULL), ==, "Low");
}

static void
test_bands (void)
{
  g_autoptr(CdQaForm) form = load_form (form_json);
  static const struct { double total; const char *band; } cases[] = {
    { 0, "low" }, { 50, "low" }, { 50.9, "low" }, { 51, "mid" }, { 75.4, "mid" },
    { 75.9, "mid" }, { 76, "high" }, { 100, "high" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (cd_qa_form_find_band (form, cases[i].total)->id, ==, cases[i].band);
  g_assert_null (cd_qa_form_find_band (form, 100.1));
  g_assert_null (cd_qa_form_find_band (form, -1));
  g_assert_null (cd_qa_form_find_band (form, NAN));
}

/* The shipped form: loads, and its fatal and critical questions are the
 * ones the desk asked for. */
static void
test_shipped_form (void)
{
  const char *data_dir = g_getenv ("CITYDESK_DATA_DIR");
  g_autofree char *path = g_build_filename (data_dir, "qa", "forms", "contact-center.json",
                                            NULL);
  static const char * const ru[] = { "ru", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQaForm) form = NULL;
  g_autoptr(CdQaScore) best = NULL;
  g_autoptr(CdQaScore) hung_up = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) fatal = g_string_new (NULL);
  g_autoptr(GString) critical = g_string_new (NULL);
  gsize len;

  g_assert_nonnull (data_dir);
  g_file_get_contents (path, &text, &len, &error);
  g_assert_no_error (error);
  form = cd_qa_form_new_from_json (text, len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (form->id, ==, "contact-center");
  g_assert_cmpuint (form->groups->len, ==, 5);
  g_assert_cmpuint (form->bands->len, ==, 3);
  for (guint g = 0; g < form->groups->len; g++)
    {
      CdQaGroup *group = g_ptr_array_index (form->groups, g);

      /* Every text is in English and Russian. */
      g_assert_cmpstr (cd_qa_text_get (group->title, ru), !=, cd_qa_text_get (group->title,
                                                                               NULL));
      for (guint q = 0; q < group->questions->len; q++)
        {
          CdQaQuestion *question = g_ptr_array_index (group->questions, q);

          g_assert_cmpstr (cd_qa_text_get (question->text, ru), !=,
                           cd_qa_text_get (question->text, NULL));
          if (question->fatal)
            g_string_append_printf (fatal, "%s ", question->id);
          if (question->critical)
            g_string_append_printf (critical, "%s ", question->id);
        }
    }
  g_assert_cmpstr (fatal->str, ==, "no-rudeness no-hang-up ");
  g_assert_cmpstr (critical->str, ==, "personal-data-read-back ticket-category ");

  best = score_answers (form, "\"greeting-script\": true, \"caller-identified\": true,"
                        " \"no-interrupting\": 5, \"empathy\": 5, \"clarifying-questions\": true,"
                        " \"information-correct\": \"correct\", \"personal-data-read-back\": true,"
                        " \"ticket-category\": true, \"polite-tone\": 5, \"no-rudeness\": true,"
                        " \"next-steps\": true, \"anything-else\": true, \"no-hang-up\": true");
  g_assert_cmpfloat (best->total, ==, 100.0);
  g_assert_cmpstr (best->band->id, ==, "exceeds");
  g_assert_cmpstr (cd_qa_text_get (best->band->name, ru), ==, "Превосходит ожидания");
  hung_up = score_answers (form, "\"greeting-script\": true, \"caller-identified\": true,"
                           " \"no-interrupting\": 5, \"empathy\": 5,"
                           " \"clarifying-questions\": true, \"information-correct\": \"correct\","
                           " \"personal-data-read-back\": true, \"ticket-category\": true,"
                           " \"polite-tone\": 5, \"no-rudeness\": true, \"next-steps\": true,"
                           " \"anything-else\": true, \"no-hang-up\": false");
  g_assert_cmpfloat (hung_up->total, ==, 0.0);
  g_assert_cmpstr (hung_up->band->id, ==, "needs-improvement");
}

/* Forms that must be refused, and the place each message must start
 * with. */
typedef struct
{
  const char *json;
  const char *place;
} BadForm;

#define GROUP_HEAD "{\"id\": \"f\", \"version\": 1, \"title\": \"F\", \"groups\": [" \
                   "{\"id\": \"g\", \"title\": \"G\", \"weight\": 1, \"questions\": ["
#define BANDS_TAIL "]}], \"bands\": [{\"from\": 0, \"to\": 100, \"name\": \"All\"}]}"
#define YES_NO "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\"}"

static const BadForm bad_forms[] = {
  { "", "form: not JSON" },
  { "[1]", "form: must be an object" },
  { "{\"id\": \"f\", \"id\": \"g\"}", "form: not JSON" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\", \"fatl\": true}"
    BANDS_TAIL, "form.groups[0].questions[0].fatl: unknown member" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"multi\"}" BANDS_TAIL,
    "form.groups[0].questions[0].type: must be" },
  { GROUP_HEAD YES_NO ", {\"id\": \"q\", \"text\": \"Q2\", \"type\": \"yes_no\"}" BANDS_TAIL,
    "form.groups[0].questions[1].id: given twice" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"scale\", \"scale\": {\"min\": 5,"
    " \"max\": 5}}" BANDS_TAIL, "form.groups[0].questions[0].scale.max: must be above" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"scale\"}" BANDS_TAIL,
    "form.groups[0].questions[0].scale: missing" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"scale\", \"scale\": {\"min\": 1.5,"
    " \"max\": 5}}" BANDS_TAIL, "form.groups[0].questions[0].scale.min: must be a whole" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"choice\", \"choices\": ["
    "{\"id\": \"a\", \"label\": \"A\", \"score\": 1}, {\"id\": \"a\", \"label\": \"B\","
    " \"score\": 0}]}" BANDS_TAIL, "form.groups[0].questions[0].choices[1].id: given twice" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"choice\", \"choices\": ["
    "{\"id\": \"a\", \"label\": \"A\", \"score\": 1}, {\"id\": \"b\", \"label\": \"B\","
    " \"score\": 1}]}" BANDS_TAIL, "form.groups[0].questions[0].choices: the choices" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\", \"fatal\": true,"
    " \"critical\": true}" BANDS_TAIL, "form.groups[0].questions[0]: a question is fatal" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\", \"weight\": -1}"
    BANDS_TAIL, "form.groups[0].questions[0].weight: must be from" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\", \"weight\": \"2\"}"
    BANDS_TAIL, "form.groups[0].questions[0].weight: must be a number" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": 7, \"type\": \"yes_no\"}" BANDS_TAIL,
    "form.groups[0].questions[0].text: must be a string" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": {\"e\": \"Q\"}, \"type\": \"yes_no\"}" BANDS_TAIL,
    "form.groups[0].questions[0].text.e: is not a language tag" },
  { GROUP_HEAD "{\"id\": \"q w\", \"text\": \"Q\", \"type\": \"yes_no\"}" BANDS_TAIL,
    "form.groups[0].questions[0].id: may hold only" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\\u0007\", \"type\": \"yes_no\"}" BANDS_TAIL,
    "form.groups[0].questions[0].text: holds a control character" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\", \"optional\": 1}"
    BANDS_TAIL, "form.groups[0].questions[0].optional: must be true or false" },
  { GROUP_HEAD "]}], \"bands\": [{\"from\": 0, \"to\": 100, \"name\": \"All\"}]}",
    "form.groups[0].questions: must not be empty" },
  { "{\"id\": \"f\", \"version\": 0, \"title\": \"F\"}", "form.version: must be from 1" },
  { "{\"id\": \"f\", \"version\": 1, \"title\": \"F\", \"groups\": {}}",
    "form.groups: must be an array" },
  { GROUP_HEAD YES_NO "]}], \"bands\": [{\"from\": 0, \"to\": 50, \"name\": \"L\"},"
    " {\"from\": 52, \"to\": 100, \"name\": \"H\"}]}", "form.bands[1].from: must be 51" },
  { GROUP_HEAD YES_NO "]}], \"bands\": [{\"from\": 0, \"to\": 90, \"name\": \"L\"}]}",
    "form.bands[0].to: the last band must end at 100" },
  { GROUP_HEAD YES_NO "]}, {\"id\": \"g\", \"title\": \"G2\", \"weight\": 1, \"questions\": ["
    "{\"id\": \"q2\", \"text\": \"Q\", \"type\": \"yes_no\"}" BANDS_TAIL,
    "form.groups[1].id: given twice" },
  { GROUP_HEAD "{\"id\": \"q\", \"text\": \"Q\", \"type\": \"yes_no\", \"choices\": []}"
    BANDS_TAIL, "form.groups[0].questions[0].choices: only a question" },
};

static void
test_bad_forms (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdQaForm) form = NULL;

      form = cd_qa_form_new_from_json (bad_forms[i].json, strlen (bad_forms[i].json), &error);
      g_assert_null (form);
      g_assert_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_FORM);
      if (!g_str_has_prefix (error->message, bad_forms[i].place))
        g_error ("case %u: “%s” does not start with “%s”", i, error->message,
                 bad_forms[i].place);
    }
}

/* Attacks on the form: nesting past the reader's limit, bad UTF-8, a huge
 * document. */
static void
test_form_attacks (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"id\": ");
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = NULL;
  static const char bad_utf8[] = GROUP_HEAD "{\"id\": \"q\", \"text\": \"\xc3\x28\","
                                 " \"type\": \"yes_no\"}" BANDS_TAIL;
  CdQaForm *form;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  form = cd_qa_form_new_from_json (deep->str, deep->len, &error);
  g_assert_null (form);
  g_assert_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_FORM);
  g_assert_nonnull (strstr (error->message, "form: not JSON"));
  g_clear_error (&error);

  form = cd_qa_form_new_from_json (bad_utf8, strlen (bad_utf8), &error);
  g_assert_null (form);
  g_assert_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_FORM);
  g_clear_error (&error);

  huge = g_strnfill (CD_QA_MAX_DOCUMENT + 1, ' ');
  form = cd_qa_form_new_from_json (huge, CD_QA_MAX_DOCUMENT + 1, &error);
  g_assert_null (form);
  g_assert_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_FORM);
}

typedef struct
{
  const char *json;
  int         code;
  const char *start;
} BadAnswers;

static const BadAnswers bad_answers[] = {
  { "{\"form\": \"other\", \"version\": 2, \"answers\": {}}", CD_QA_ERROR_OTHER_FORM,
    "the answers are to the form “other” version 2, not to “t” version 2" },
  { "{\"form\": \"t\", \"version\": 1, \"answers\": {}}", CD_QA_ERROR_OTHER_FORM,
    "the answers are to the form “t” version 1" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {" ALL_GOOD ", \"zz\": true}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.answers.zz: the form has no such question" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {" ALL_GOOD ", \"b1\": 6}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers: not JSON" },  /* b1 given twice */
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": true, \"a2\": true, \"b1\": 6,"
    " \"b2\": \"good\", \"rude\": true, \"crit\": true, \"crit2\": \"right\"}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.answers.b1: 6 is outside the scale 1 to 5" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": true, \"a2\": true, \"b1\": 2.5,"
    " \"b2\": \"good\", \"rude\": true, \"crit\": true, \"crit2\": \"right\"}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.answers.b1: must be a whole number" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": 1, \"a2\": true, \"b1\": 2,"
    " \"b2\": \"good\", \"rude\": true, \"crit\": true, \"crit2\": \"right\"}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.answers.a1: must be true, false" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": true, \"a2\": true, \"b1\": 2,"
    " \"b2\": \"great\", \"rude\": true, \"crit\": true, \"crit2\": \"right\"}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.answers.b2: not one of the question’s choices" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": true, \"a2\": true, \"b1\": 2,"
    " \"b2\": \"good\", \"crit\": true, \"crit2\": \"right\"}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.answers.rude: not answered" },
  { "{\"form\": \"t\", \"version\": \"2\", \"answers\": {}}", CD_QA_ERROR_INVALID_ANSWERS,
    "answers.version: must be" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": []}", CD_QA_ERROR_INVALID_ANSWERS,
    "answers.answers: must be an object" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {}, \"score\": 100}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers.score: unknown member" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": \"\xff\"}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers: not JSON" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {\"a1\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
    "[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}",
    CD_QA_ERROR_INVALID_ANSWERS, "answers: not JSON" },
  { "[]", CD_QA_ERROR_INVALID_ANSWERS, "answers: must be an object" },
  { "{\"form\": \"t\", \"version\": 2, \"answers\": {} /* */}", CD_QA_ERROR_INVALID_ANSWERS,
    "answers: not JSON" },
};

static void
test_bad_answers (void)
{
  g_autoptr(CdQaForm) form = load_form (form_json);
  g_autofree char *huge = g_strnfill (CD_QA_MAX_ANSWERS_DOCUMENT + 1, ' ');
  g_autoptr(GError) error = NULL;
  CdQaScore *score;

  for (guint i = 0; i < G_N_ELEMENTS (bad_answers); i++)
    {
      g_autoptr(GError) local_error = NULL;

      score = cd_qa_score_new_from_json (form, bad_answers[i].json, strlen (bad_answers[i].json),
                                         &local_error);
      g_assert_null (score);
      g_assert_error (local_error, CD_QA_ERROR, bad_answers[i].code);
      if (!g_str_has_prefix (local_error->message, bad_answers[i].start))
        g_error ("case %u: “%s” does not start with “%s”", i, local_error->message,
                 bad_answers[i].start);
    }
  score = cd_qa_score_new_from_json (form, huge, CD_QA_MAX_ANSWERS_DOCUMENT + 1, &error);
  g_assert_null (score);
  g_assert_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_ANSWERS);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qa-score/table", test_table);
  g_test_add_func ("/qa-score/fatal-json", test_fatal_json);
  g_test_add_func ("/qa-score/fatal-scale", test_fatal_scale);
  g_test_add_func ("/qa-score/vendor-example", test_vendor_example);
  g_test_add_func ("/qa-score/rounding", test_rounding);
  g_test_add_func ("/qa-score/bands", test_bands);
  g_test_add_func ("/qa-score/shipped-form", test_shipped_form);
  g_test_add_func ("/qa-score/bad-forms", test_bad_forms);
  g_test_add_func ("/qa-score/form-attacks", test_form_attacks);
  g_test_add_func ("/qa-score/bad-answers", test_bad_answers);

  return g_test_run ();
}
