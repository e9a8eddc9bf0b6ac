// SPDX-License-Identifier: GPL-3.0-or-later
/* test-sla-cli.c: citydeskctl sla as a user runs it
 *
 * Runs the real program (CITYDESK_CTL) on the shipped calendars and
 * policies. Expected outputs were worked out by hand: by.json is
 * Europe/Minsk (UTC+3) 08:00-13:00 and 14:00-17:00 Monday to Friday, with
 * no holiday in March 2026 but 8 March (a Sunday, not moved); ru.json is
 * Europe/Moscow (UTC+3) 09:00-13:00 and 14:00-18:00 with Monday 9 March
 * 2026 a holiday; 2026-03-02 is a Monday.
 */

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cd-test.h"

static char *
data_file (const char *folder,
           const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", folder, name, NULL);
}

/* Runs citydeskctl with @args (NULL-terminated; "@cal:NAME" and
 * "@pol:NAME" are replaced by shipped files, "@tmp:NAME" by a file in the
 * test's temporary folder). */
static int
run (const char * const  *args,
     char               **out,
     char               **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *ctl = g_getenv ("CITYDESK_CTL");

  if (ctl == NULL)
    g_error ("CITYDESK_CTL is not set; run the tests through meson");
  g_ptr_array_add (argv, g_strdup (ctl));
  for (guint i = 0; args[i] != NULL; i++)
    {
      if (g_str_has_prefix (args[i], "@cal:"))
        g_ptr_array_add (argv, data_file ("calendars", args[i] + 5));
      else if (g_str_has_prefix (args[i], "@pol:"))
        g_ptr_array_add (argv, data_file ("policies", args[i] + 5));
      else if (g_str_has_prefix (args[i], "@tmp:"))
        g_ptr_array_add (argv, g_build_filename (g_get_user_cache_dir (), args[i] + 5, NULL));
      else
        g_ptr_array_add (argv, g_strdup (args[i]));
    }
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static void
write_tmp (const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* Good input {{{1 */

typedef struct
{
  const char *args[16];
  const char *out;
} GoodCase;

static const GoodCase good_cases[] = {
  /* Friday 15:30-17:00 is 1.5 h; 2 h more on Monday from 08:00. */
  { { "sla", "add", "--calendar", "@cal:by.json", "--start", "2026-03-06T15:30:00+03:00",
      "--duration", "3h30m", NULL }, "2026-03-09T10:00:00+03:00\n" },
  /* 15:30Z is 18:30 in Moscow; 24/7. */
  { { "sla", "add", "--calendar", "@cal:ru-24x7.json", "--start", "2026-03-06T15:30:00Z",
      "--duration", "90m", NULL }, "2026-03-06T20:00:00+03:00\n" },
  { { "sla", "add", "--calendar", "@cal:ru-24x7.json", "--start", "2026-03-06T15:30:00Z",
      "--duration", "5400", NULL }, "2026-03-06T20:00:00+03:00\n" },
  /* 12-13 and 14:00-17:20:15. */
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T12:00:00+03:00",
      "--duration", "4h20m15s", NULL }, "2026-03-02T17:20:15+03:00\n" },
  /* 30 s before lunch, 15 s after it. */
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T12:59:30+03:00",
      "--duration", "45s", NULL }, "2026-03-02T14:00:15+03:00\n" },
  /* Another offset in, the calendar's offset out; 06:00Z is 09:00 MSK. */
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T07:00:00+01:00",
      "--duration", "90m", NULL }, "2026-03-02T10:30:00+03:00\n" },
  /* Without an offset: the calendar's zone. */
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T09:00:00",
      "--duration", "1h", NULL }, "2026-03-02T10:00:00+03:00\n" },
  /* Runs out at closing time: ends at closing time. */
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-06T17:00:00+03:00",
      "--duration", "60m", NULL }, "2026-03-06T18:00:00+03:00\n" },
  /* Friday 6 March 18:00 + 1 h: Monday 9 is a holiday in Russia. */
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-06T18:00:00+03:00",
      "--duration", "1h", NULL }, "2026-03-10T10:00:00+03:00\n" },
  /* Friday 9-13, 14-17 (7 h), Monday 8 h, Tuesday 08-09 (1 h). */
  { { "sla", "between", "--calendar", "@cal:by.json", "--start", "2026-03-06T09:00:00+03:00",
      "--end", "2026-03-10T09:00:00+03:00", NULL }, "57600\n" },
  { { "sla", "between", "--calendar", "@cal:by.json", "--start", "2026-03-10T09:00:00+03:00",
      "--end", "2026-03-06T09:00:00+03:00", NULL }, "0\n" },
  { { "sla", "between", "--calendar", "@cal:ru-24x7.json", "--start", "2026-03-06T00:00:00Z",
      "--end", "2026-03-06T05:00:00+03:00", NULL }, "7200\n" },
  { { "sla", "days", "--calendar", "@cal:by.json", "--start", "2026-03-06T09:00:00+03:00",
      "--days", "10", "--kind", "working", NULL }, "2026-03-20T17:00:00+03:00\n" },
  /* 09:00Z is 12:00 on 6 March in Moscow; 24:00 three days later. */
  { { "sla", "days", "--calendar", "@cal:ru-24x7.json", "--start", "2026-03-06T09:00:00Z",
      "--days", "3", "--kind", "calendar", NULL }, "2026-03-10T00:00:00+03:00\n" },
  /* 20 calendar days is Sunday 22 March: the next working day's end. */
  { { "sla", "days", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00+03:00",
      "--days", "20", "--kind", "calendar", NULL }, "2026-03-23T18:00:00+03:00\n" },
  /* 10 working days, 9 March a holiday. */
  { { "sla", "days", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00+03:00",
      "--days", "10", "--kind", "working", NULL }, "2026-03-17T18:00:00+03:00\n" },
};

static void
test_good (gconstpointer data)
{
  const GoodCase *c = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = run (c->args, &out, &err);

  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, c->out);
  g_assert_cmpstr (err, ==, "");
}

/* Bad input {{{1 */

typedef struct
{
  const char *args[16];
  const char *in_stderr;
} BadCase;

static const BadCase bad_cases[] = {
  { { "sla", NULL }, "Usage: citydeskctl sla" },
  { { "sla", "frobnicate", NULL }, "frobnicate" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "2d", NULL }, "--duration: “2d”: days are ambiguous" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "1x", NULL }, "--duration: “1x” is not a duration" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "30m2h", NULL }, "--duration: “30m2h” is not a duration" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "", NULL }, "--duration: “” is not a duration" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "-5", NULL }, "--duration: “-5” is not a duration" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z", NULL },
    "missing option --duration" },
  { { "sla", "add", "--start", "2026-03-02T10:00:00Z", "--duration", "1h", NULL },
    "missing option --calendar" },
  { { "sla", "add", "--calendar", "@cal:no-such.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "1h", NULL }, "cannot read" },
  { { "sla", "add", "--calendar", "@tmp:bad-calendar.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "1h", NULL }, "week.mon[0][0]: “25:00” is not a time" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "yesterday",
      "--duration", "1h", NULL }, "--start: “yesterday” is not an ISO 8601 time" },
  { { "sla", "add", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--duration", "1h", "extra", NULL }, "unexpected argument “extra”" },
  { { "sla", "add", "--bogus", NULL }, "--bogus" },
  { { "sla", "between", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z", NULL },
    "missing option --end" },
  { { "sla", "between", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--end", "2026-13-02T10:00:00Z", NULL }, "--end: “2026-13-02T10:00:00Z”" },
  { { "sla", "days", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--days", "ten", "--kind", "working", NULL }, "--days: “ten” is not a number of days" },
  { { "sla", "days", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--days", "3", "--kind", "business", NULL }, "--kind: “business”" },
  { { "sla", "days", "--calendar", "@cal:ru.json", "--start", "2026-03-02T10:00:00Z",
      "--days", "3", NULL }, "missing option --kind" },
  { { "sla", "clocks", "--policy", "@tmp:bad-policy.json", "--calendars", "@tmp:",
      "--events", "@tmp:events.json", "--now", "2026-03-02T10:00:00Z", NULL },
    "targets[0].limit.hours: expected a whole number" },
  { { "sla", "clocks", "--policy", "@pol:spb-complaint.json", "--calendars", "@tmp:",
      "--events", "@tmp:events.json", "--now", "2026-03-02T10:00:00Z", NULL },
    "ru.json" },
  { { "sla", "clocks", "--policy", "@pol:spb-complaint.json", "--calendars", "@cal:",
      "--events", "@tmp:bad-events.json", "--now", "2026-03-02T10:00:00Z", NULL },
    "[1].type: “fly” is not a known action" },
  { { "sla", "clocks", "--policy", "@pol:spb-complaint.json", "--calendars", "@cal:",
      "--events", "@tmp:events.json", "--now", "2026-03-02T10:00:00", NULL },
    "--now: “2026-03-02T10:00:00” is not an ISO 8601 time" },
  { { "sla", "clocks", "--policy", "@pol:spb-complaint.json", "--calendars", "@cal:",
      "--now", "2026-03-02T10:00:00Z", NULL }, "missing option --events" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  write_tmp ("bad-calendar.json",
             "{\"timezone\": \"Europe/Minsk\", \"week\": {\"mon\": [[\"25:00\", \"26:00\"]],"
             " \"tue\": [], \"wed\": [], \"thu\": [], \"fri\": [], \"sat\": [], \"sun\": []}}");
  write_tmp ("bad-policy.json",
             "{\"id\": \"p\", \"version\": 1, \"applies_to\": {}, \"targets\": [{\"name\": \"t\","
             " \"start\": \"register\", \"stop\": \"resolve\", \"limit\": {\"hours\": \"2\"},"
             " \"calendar\": \"ru\"}]}");
  write_tmp ("events.json", "[{\"type\": \"register\", \"time\": \"2026-03-02T10:00:00+03:00\"}]");
  write_tmp ("bad-events.json",
             "[{\"type\": \"register\", \"time\": \"2026-03-02T10:00:00+03:00\"},"
             " {\"type\": \"fly\", \"time\": \"2026-03-02T11:00:00+03:00\"}]");

  status = run (c->args, &out, &err);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  if (strstr (err, c->in_stderr) == NULL)
    g_error ("stderr “%s” does not name “%s”", err, c->in_stderr);
}

/* --help {{{1 */

static void
test_help (void)
{
  static const char * const commands[] = { "add", "between", "days", "clocks" };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[] = { "sla", commands[i], "--help", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *usage = g_strdup_printf ("sla %s --", commands[i]);

      g_assert_cmpint (run (args, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "Usage:"));
      g_assert_nonnull (strstr (out, usage));
    }
  {
    const char *args[] = { "sla", "--help", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "clocks"));
  }
  {
    const char *args[] = { "--help", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run (args, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "  sla "));
  }
}

/* clocks {{{1 */

static void
test_clocks (void)
{
  const char *args[] = { "sla", "clocks", "--policy", "@pol:spb-complaint.json",
                         "--calendars", "@cal:", "--events", "@tmp:complaint.json",
                         "--now", "2026-03-05T09:00:00Z", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *targets;
  JsonObject *cycle;

  /* Registered Monday 10:00 MSK, classified Wednesday 10:00 (1 working
   * hour and 16 real hours after Tuesday 18:00), now Thursday 12:00 MSK. */
  write_tmp ("complaint.json",
             "[{\"type\": \"register\", \"time\": \"2026-03-02T07:00:00Z\"},"
             " {\"type\": \"classify\", \"time\": \"2026-03-04T10:00:00+03:00\"}]");
  g_assert_cmpint (run (args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "policy"), ==, "spb-complaint");
  g_assert_cmpstr (json_object_get_string_member (root, "now"), ==, "2026-03-05T12:00:00+03:00");
  targets = json_object_get_array_member (root, "targets");
  g_assert_cmpuint (json_array_get_length (targets), ==, 3);

  cycle = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (targets, 0), "cycles"), 0);
  g_assert_cmpstr (json_object_get_string_member (cycle, "state"), ==, "breached");
  g_assert_cmpstr (json_object_get_string_member (cycle, "due"), ==, "2026-03-03T18:00:00+03:00");
  g_assert_cmpstr (json_object_get_string_member (cycle, "breached_at"), ==,
                   "2026-03-03T18:00:00+03:00");
  g_assert_cmpint (json_object_get_int_member (cycle, "breached_by_seconds"), ==, 3600);
  g_assert_cmpint (json_object_get_int_member (cycle, "late_seconds"), ==, 16 * 3600);

  cycle = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (targets, 1), "cycles"), 0);
  g_assert_cmpstr (json_object_get_string_member (cycle, "state"), ==, "running");
  g_assert_cmpstr (json_object_get_string_member (cycle, "due"), ==, "2026-03-11T18:00:00+03:00");
  g_assert_cmpint (json_object_get_int_member (cycle, "elapsed_seconds"), ==, 26 * 3600);
  g_assert_cmpint (json_object_get_int_member (cycle, "remaining_seconds"), ==, 29 * 3600);

  cycle = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (targets, 2), "cycles"), 0);
  g_assert_cmpstr (json_object_get_string_member (cycle, "due"), ==, "2026-03-23T18:00:00+03:00");
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-cli/good/%u", i);

      g_test_add_data_func (path, &good_cases[i], test_good);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-cli/bad/%u", i);

      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/sla-cli/help", test_help);
  g_test_add_func ("/sla-cli/clocks", test_clocks);
  return g_test_run ();
}
