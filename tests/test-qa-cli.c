// SPDX-License-Identifier: GPL-3.0-or-later
/* test-qa-cli.c: citydeskctl qa score as the quality-control desk runs it
 *
 * Runs the real program (CITYDESK_CTL) on the shipped contact-center form
 * and answers written here: the text and the JSON of a good evaluation,
 * and exit status 2 with a clear message for answers to another form or
 * version, an unknown question, a value off the scale, malformed JSON and
 * huge or deep files.
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-test.h"
#include "cd-test-ctl.h"

#define ANSWERS_HEAD "{\"form\": \"contact-center\", \"version\": 1, \"answers\": {"
/* 75.4 "meets" by docs/qa.md's worked example; a critical question failed. */
#define GOOD_ANSWERS \
  "\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4," \
  " \"empathy\": 3, \"clarifying-questions\": \"yes\", \"information-correct\": \"partly\"," \
  " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true," \
  " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true," \
  " \"next-steps\": true, \"anything-else\": false"

static char *
form_path (void)
{
  return g_build_filename (g_getenv ("CITYDESK_DATA_DIR"), "qa", "forms", "contact-center.json",
                           NULL);
}

static char *
write_file (const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_good (void)
{
  g_autofree char *form = form_path ();
  g_autofree char *answers = write_file ("good.json", ANSWERS_HEAD GOOD_ANSWERS
                                         ", \"no-hang-up\": true}}", -1);
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  JsonArray *groups;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "qa", "score", "--form", form, "--answers", answers,
                                NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Total:"));
  g_assert_nonnull (strstr (out, "75.4"));
  g_assert_nonnull (strstr (out, "Meets expectations"));
  g_assert_nonnull (strstr (out, "50.0 (1 of 2 passed)"));
  g_assert_nonnull (strstr (out, "Listening and empathy"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (cd_test_ctl (&out, NULL, "qa", "score", "--form", form, "--answers", answers,
                                "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "form"), ==, "contact-center");
  g_assert_cmpint (json_object_get_int_member (o, "version"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (o, "total"), ==, 75.4);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "band"),
                                                  "id"), ==, "meets");
  g_assert_false (json_object_get_boolean_member (o, "fatal"));
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (o,
                                                                                  "critical"),
                                                    "score"), ==, 50.0);
  groups = json_object_get_array_member (o, "groups");
  g_assert_cmpint (json_array_get_length (groups), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (groups, 1),
                                                    "score"), ==, 75.0);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (groups, 2),
                                                    "score"), ==, 50.0);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (groups, 4),
                                                    "score"), ==, 66.7);
}

static void
test_fatal (void)
{
  g_autofree char *form = form_path ();
  g_autofree char *answers = write_file ("hung-up.json", ANSWERS_HEAD GOOD_ANSWERS
                                         ", \"no-hang-up\": false}}", -1);
  g_autofree char *out = NULL;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "qa", "score", "--form", form, "--answers", answers,
                                NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Fatal error, the total is 0:"));
  g_assert_nonnull (strstr (out, "Did not hang up on the caller"));
  g_assert_nonnull (strstr (out, "Needs improvement"));
  g_assert_nonnull (strstr (out, "Total without the fatal error:  72.1"));
}

typedef struct
{
  const char *answers;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "{\"form\": \"contact-center\", \"version\": 2, \"answers\": {}}",
    "the answers are to the form “contact-center” version 2, not to “contact-center” "
    "version 1" },
  { "{\"form\": \"complaints\", \"version\": 1, \"answers\": {}}",
    "the answers are to the form “complaints” version 1" },
  { ANSWERS_HEAD GOOD_ANSWERS ", \"no-hang-up\": true, \"smile\": true}}",
    "answers.answers.smile: the form has no such question" },
  { ANSWERS_HEAD "\"greeting-script\": true, \"caller-identified\": true,"
    " \"no-interrupting\": 4, \"empathy\": 9}}",
    "answers.answers.empathy: 9 is outside the scale 1 to 5" },
  { ANSWERS_HEAD GOOD_ANSWERS "}}", "answers.answers.no-hang-up: not answered" },
  { ANSWERS_HEAD GOOD_ANSWERS ", \"no-hang-up\": true,}}", "answers: not JSON at byte" },
  { "{\"form\": \"contact-center\", \"version\": 1, \"answers\": {\"empathy\": \"\xc3\"}}",
    "answers: not JSON at byte" },
};

static void
test_bad (void)
{
  g_autofree char *form = form_path ();
  g_autoptr(GString) deep = g_string_new (ANSWERS_HEAD "\"empathy\": ");
  g_autofree char *huge_text = g_strnfill (300 * 1024, ' ');

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *answers = write_file ("bad.json", bad_cases[i].answers, -1);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (cd_test_ctl (&out, &err, "qa", "score", "--form", form, "--answers",
                                    answers, NULL), ==, 2);
      g_assert_cmpstr (out, ==, "");
      if (strstr (err, bad_cases[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, err, bad_cases[i].message);
      g_assert_true (g_str_has_prefix (err, "citydeskctl qa score: the answers "));
    }

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, '[');
  {
    g_autofree char *answers = write_file ("deep.json", deep->str, deep->len);
    g_autofree char *huge = write_file ("huge.json", huge_text, -1);
    g_autofree char *err = NULL;

    g_assert_cmpint (cd_test_ctl (NULL, &err, "qa", "score", "--form", form, "--answers",
                                  answers, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "not JSON"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cd_test_ctl (NULL, &err, "qa", "score", "--form", form, "--answers", huge,
                                  NULL), ==, 2);
    g_assert_nonnull (strstr (err, "is larger than 256 KiB"));
    g_clear_pointer (&err, g_free);
    /* A form that is not one: the answers file given as the form. */
    g_assert_cmpint (cd_test_ctl (NULL, &err, "qa", "score", "--form", answers, "--answers",
                                  answers, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "the form "));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cd_test_ctl (NULL, &err, "qa", "score", "--form", "/nonexistent/form.json",
                                  "--answers", answers, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "/nonexistent/form.json"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cd_test_ctl (NULL, &err, "qa", "score", "--form", form, NULL), ==, 2);
    g_assert_nonnull (strstr (err, "missing option --answers"));
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (cd_test_ctl (NULL, &err, "qa", "grade", NULL), ==, 2);
    g_assert_nonnull (strstr (err, "Usage: citydeskctl qa score"));
  }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qa-cli/good", test_good);
  g_test_add_func ("/qa-cli/fatal", test_fatal);
  g_test_add_func ("/qa-cli/bad", test_bad);

  return g_test_run ();
}
