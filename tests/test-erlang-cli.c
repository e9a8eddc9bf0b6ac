// SPDX-License-Identifier: GPL-3.0-or-later
/* test-erlang-cli.c: citydeskctl erlang as a user runs it
 *
 * Runs the real program (CITYDESK_CTL). The expected figures are those of
 * test-erlang.c, computed from first principles with mpmath: 360 calls in
 * 30 minutes handled in 4 minutes are 48 Erlangs, which 54 agents serve
 * 81.7 % within 20 s (53 serve 75.2 %).
 */

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-test.h"
#include "cd-test-ctl.h"

#define CLASSIC "--calls", "360", "--interval", "30m", "--aht", "4m", "--target", "20s"

static JsonObject *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_needed (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) o = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "erlang", CLASSIC, "--shrinkage", "0.3", "--json",
                                NULL), ==, 0);
  o = parse_json (out);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "erlang-c");
  g_assert_cmpfloat (json_object_get_double_member (o, "load_erlangs"), ==, 48.0);
  g_assert_cmpint (json_object_get_int_member (o, "agents_on_phones"), ==, 54);
  /* ceil (54 / 0.7) = ceil (77.14). */
  g_assert_cmpint (json_object_get_int_member (o, "agents_scheduled"), ==, 78);
  g_assert_cmpstr (json_object_get_string_member (o, "set_by"), ==, "service_level");
  g_assert_true (json_object_get_boolean_member (o, "stable"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "service_level_of_offered"),
                                  0.8172475210146836, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "service_level_of_answered"),
                                  0.8172475210146836, 1e-12);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "asa_all_calls_seconds"),
                                  12.052315975050774, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "asa_queued_calls_seconds"),
                                  40.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "wait_probability"),
                                  0.30130789937626934, 1e-12);
  g_assert_cmpfloat (json_object_get_double_member (o, "abandonment"), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "occupancy"),
                                  48.0 / 54, 1e-12);
  g_assert_true (json_object_get_null_member (o, "patience_seconds"));

  /* The occupancy limit raises it: 48 / 57 is the first under 0.85. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&o, json_object_unref);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "erlang", CLASSIC, "--max-occupancy", "0.85",
                                "--json", NULL), ==, 0);
  o = parse_json (out);
  g_assert_cmpint (json_object_get_int_member (o, "agents_on_phones"), ==, 57);
  g_assert_cmpstr (json_object_get_string_member (o, "set_by"), ==, "max_occupancy");

  /* The text names the figures plainly. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "erlang", CLASSIC, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "81.7%"));
  g_assert_nonnull (strstr (out, "of offered calls"));
  g_assert_nonnull (strstr (out, "of answered calls"));
  g_assert_nonnull (strstr (out, "queued calls"));
}

static void
test_agents (void)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) o = NULL;

  g_assert_cmpint (cd_test_ctl (&out, NULL, "erlang", CLASSIC, "--agents", "53", "--json",
                                NULL), ==, 0);
  o = parse_json (out);
  g_assert_cmpint (json_object_get_int_member (o, "agents_on_phones"), ==, 53);
  g_assert_false (json_object_get_boolean_member (o, "meets_target"));
  g_assert_false (json_object_has_member (o, "agents_scheduled"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "service_level_of_offered"),
                                  0.7517682451743329, 1e-12);

  /* Erlang A: the figures of the M/M/N+M chain (test-erlang.c). */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&o, json_object_unref);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "erlang", CLASSIC, "--agents", "50", "--patience",
                                "2m", "--json", NULL), ==, 0);
  o = parse_json (out);
  g_assert_cmpstr (json_object_get_string_member (o, "model"), ==, "erlang-a");
  g_assert_cmpfloat (json_object_get_double_member (o, "patience_seconds"), ==, 120.0);
  g_assert_true (json_object_get_boolean_member (o, "meets_target"));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "abandonment"),
                                  0.0480217742329705, 1e-10);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "service_level_of_offered"),
                                  0.850595148296864, 1e-10);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "service_level_of_answered"),
                                  0.893502734909216, 1e-10);

  /* Patience lets fewer agents than Erlangs keep a finite queue. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "erlang", CLASSIC, "--agents", "40", "--patience",
                                "60", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Abandonment"));
  g_assert_nonnull (strstr (out, "19.1%"));
}

static void
test_unstable (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) o = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "erlang", CLASSIC, "--agents", "48", "--json",
                                NULL), ==, 1);
  g_assert_nonnull (strstr (err, "unstable"));
  o = parse_json (out);
  g_assert_false (json_object_get_boolean_member (o, "stable"));
  g_assert_false (json_object_has_member (o, "service_level_of_offered"));
}

static void
test_bad (void)
{
  static const struct {
    const char *args[20];
    const char *option;
  } cases[] = {
    { { "erlang", "--interval", "30m", "--aht", "4m", "--target", "20s", NULL }, "--calls" },
    { { "erlang", "--calls", "360", "--aht", "4m", "--target", "20s", NULL }, "--interval" },
    { { "erlang", "--calls", "x", "--interval", "30m", "--aht", "4m", "--target", "20s", NULL },
      "--calls" },
    { { "erlang", "--calls", "-1", "--interval", "30m", "--aht", "4m", "--target", "20s",
        NULL }, "--calls" },
    { { "erlang", "--calls", "360", "--interval", "0", "--aht", "4m", "--target", "20s", NULL },
      "--interval" },
    { { "erlang", "--calls", "360", "--interval", "30m", "--aht", "0s", "--target", "20s",
        NULL }, "--aht" },
    { { "erlang", "--calls", "360", "--interval", "30m", "--aht", "4 min", "--target", "20s",
        NULL }, "--aht" },
    { { "erlang", "--calls", "360", "--interval", "1d", "--aht", "4m", "--target", "20s",
        NULL }, "--interval" },
    { { "erlang", CLASSIC, "--target", "-5", NULL }, "--target" },
    { { "erlang", CLASSIC, "--sl", "80", NULL }, "--sl" },
    { { "erlang", CLASSIC, "--sl", "0", NULL }, "--sl" },
    { { "erlang", CLASSIC, "--max-occupancy", "1.5", NULL }, "--max-occupancy" },
    { { "erlang", CLASSIC, "--shrinkage", "1", NULL }, "--shrinkage" },
    { { "erlang", CLASSIC, "--shrinkage", "nan", NULL }, "--shrinkage" },
    { { "erlang", CLASSIC, "--patience", "0", NULL }, "--patience" },
    { { "erlang", CLASSIC, "--agents", "0", NULL }, "--agents" },
    { { "erlang", CLASSIC, "--agents", "2.5", NULL }, "--agents" },
    { { "erlang", CLASSIC, "--agents", "many", NULL }, "--agents" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char * const *a = cases[i].args;
      int status;

      g_test_message ("case %u: %s", i, cases[i].option);
      status = cd_test_ctl (&out, &err, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                            a[9], a[10], a[11], NULL);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, cases[i].option));
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/erlang-cli/needed", test_needed);
  g_test_add_func ("/erlang-cli/agents", test_agents);
  g_test_add_func ("/erlang-cli/unstable", test_unstable);
  g_test_add_func ("/erlang-cli/bad", test_bad);

  return g_test_run ();
}
