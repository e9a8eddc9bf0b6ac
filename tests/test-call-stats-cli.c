// SPDX-License-Identifier: GPL-3.0-or-later
/* test-call-stats-cli.c: citydeskctl calls stats (the real binary,
 * CITYDESK_CTL) on tests/data/queue-log/every-verb.log imported with
 * citydeskctl import queue-log into a real SQLite file.
 *
 * The file's nine ended calls, counted by hand (times in seconds past
 * 1767250000 = 2026-01-01 06:46:40 UTC; calls .10 to .12 are still open
 * and not journaled):
 *
 *   .1   +10  answered, wait 20, talk 120, PJSIP/101; PJSIP/102 let it ring twice
 *   .2  +200  abandoned after 45
 *   .3  +300  answered, wait 5, talk 95, PJSIP/101, transferred
 *   .4  +410  answered, wait 2, talk 28, PJSIP/103, transferred
 *   .5  +450  answered, wait 10, talk 60, PJSIP/101
 *   .6  +600  timeout after 300
 *   --- 07:00:00 UTC is +800 ---
 *   .7  +910  no operator (queue night), after 1
 *   .8  +920  left by a key after 15
 *   .9  +940  withdrawn after 10
 */

#include "config.h"

#include <string.h>

#include "cd-store-calls.h"
#include "cd-test.h"
#include "cd-test-ctl.h"

static char *
import_db (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "queue-log",
                                                 "every-verb.log", NULL);
  g_autofree char *out = NULL, *err = NULL;
  char *db;
  int status;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  db = g_build_filename (g_get_user_cache_dir (), "call-stats.db", NULL);
  g_remove (db);
  status = cd_test_ctl (&out, &err, "import", "queue-log", "--db", db, path, NULL);
  g_test_message ("import: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Imported 9 calls"));
  return db;
}

static JsonObject *
run_json (JsonParser *parser,
          const char *db,
          ...) G_GNUC_NULL_TERMINATED;

static JsonObject *
run_json (JsonParser *parser,
          const char *db,
          ...)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("CITYDESK_CTL"));
  g_ptr_array_add (args, "calls");
  g_ptr_array_add (args, "stats");
  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, (char *) db);
  va_start (ap, db);
  for (arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("calls stats: %s%s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
interval_at (JsonObject *root,
             guint       index)
{
  return json_array_get_object_element (json_object_get_array_member (root, "intervals"), index);
}

#define assert_int(object, name, want) \
  g_assert_cmpint (json_object_get_int_member ((object), (name)), ==, (want))
#define assert_double(object, name, want) \
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member ((object), (name)), (want), 1e-9)
#define assert_null(object, name) \
  g_assert_true (json_object_get_null_member ((object), (name)))

static void
test_quarter_hours (void)
{
  g_autofree char *db = import_db ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *i, *op;
  JsonArray *operators;

  root = run_json (parser, db, "--from", "2026-01-01T06:45:00Z", "--to", "2026-01-01T07:15:00Z",
                   "--interval", "15m", NULL);
  assert_int (root, "interval_seconds", 900);
  assert_int (root, "target_seconds", 40);
  assert_int (root, "short_abandon_seconds", 5);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "intervals")), ==,
                    2);

  /* 06:45-07:00: .1 to .6 */
  i = interval_at (root, 0);
  g_assert_cmpstr (json_object_get_string_member (i, "start"), ==, "2026-01-01T06:45:00Z");
  assert_int (i, "offered", 6);
  assert_int (i, "answered", 4);                 /* .1 .3 .4 .5 */
  assert_int (i, "answered_within_target", 4);   /* waits 20 5 2 10 */
  assert_int (i, "abandoned", 1);                /* .2 */
  assert_int (i, "abandoned_within_target", 0);  /* after 45 */
  assert_int (i, "short_abandoned", 0);
  assert_int (i, "other", 1);                    /* .6 */
  assert_double (i, "service_level_of_answered", 1.0);               /* 4 / 4 */
  assert_double (i, "service_level_of_answered_and_abandoned", 0.8); /* 4 / 5 */
  assert_double (i, "service_level_sl2_of_offered", 4.0 / 6.0);      /* (4 + 0) / 6 */
  assert_double (i, "asa_seconds", 9.25);        /* (20 + 5 + 2 + 10) / 4 */
  assert_double (i, "aht_seconds", 75.75);       /* (120 + 95 + 28 + 60) / 4 */
  assert_int (i, "longest_wait_seconds", 300);   /* .6 */

  /* 07:00-07:15: .7 .8 .9, none answered or abandoned */
  i = interval_at (root, 1);
  assert_int (i, "offered", 3);
  assert_int (i, "answered", 0);
  assert_int (i, "other", 3);
  assert_null (i, "service_level_of_answered");
  assert_null (i, "service_level_of_answered_and_abandoned");
  assert_double (i, "service_level_sl2_of_offered", 0.0);  /* 0 / 3 */
  assert_null (i, "asa_seconds");
  assert_int (i, "longest_wait_seconds", 15);     /* .8 */

  i = json_object_get_object_member (root, "total");
  assert_int (i, "offered", 9);
  assert_int (i, "answered", 4);
  assert_double (i, "service_level_sl2_of_offered", 4.0 / 9.0);

  operators = json_object_get_array_member (root, "operators");
  g_assert_cmpuint (json_array_get_length (operators), ==, 3);
  op = json_array_get_object_element (operators, 0);
  g_assert_cmpstr (json_object_get_string_member (op, "operator"), ==, "PJSIP/101");
  assert_int (op, "handled", 3);                       /* .1 .3 .5 */
  assert_double (op, "aht_seconds", 275.0 / 3.0);      /* (120 + 95 + 60) / 3 */
  assert_int (op, "missed_offers", 0);
  op = json_array_get_object_element (operators, 1);
  g_assert_cmpstr (json_object_get_string_member (op, "operator"), ==, "PJSIP/102");
  assert_int (op, "handled", 0);
  assert_null (op, "aht_seconds");
  assert_int (op, "missed_offers", 2);                 /* RINGNOANSWER twice on .1 */
  op = json_array_get_object_element (operators, 2);
  g_assert_cmpstr (json_object_get_string_member (op, "operator"), ==, "PJSIP/103");
  assert_int (op, "handled", 1);                       /* .4; its RINGCANCELED is no miss */
  assert_double (op, "aht_seconds", 28.0);
  assert_int (op, "missed_offers", 0);
}

/* A 20 s target and short abandons under 50 s: .2 (45 s) is short. */
static void
test_short_abandons (void)
{
  g_autofree char *db = import_db ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *i;

  root = run_json (parser, db, "--from", "2026-01-01T06:00:00Z", "--to", "2026-01-01T08:00:00Z",
                   "--interval", "60m", "--target", "20s", "--short-abandon", "50s", NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "intervals")), ==,
                    2);
  i = interval_at (root, 0);
  assert_int (i, "offered", 6);
  assert_int (i, "answered_within_target", 4);   /* waits 20 5 2 10, all within 20 */
  assert_int (i, "abandoned", 0);
  assert_int (i, "short_abandoned", 1);          /* .2 */
  assert_double (i, "service_level_of_answered_and_abandoned", 1.0);  /* 4 / 4 */
  assert_double (i, "service_level_sl2_of_offered", 0.8);             /* 4 / (6 - 1) */
  assert_int (interval_at (root, 1), "offered", 3);
}

/* The text table: every row as wide as the header, in characters. */
static void
test_text (void)
{
  g_autofree char *db = import_db ();
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  glong width = -1;
  guint rows = 0;
  int status;

  status = cd_test_ctl (&out, &err, "calls", "stats", "--db", db, "--from",
                        "2026-01-01T06:30:00Z", "--to", "2026-01-01T07:30:00Z", NULL);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint k = 0; lines[k] != NULL && !g_str_has_prefix (lines[k], "Operator"); k++)
    {
      if (!g_str_has_prefix (lines[k], "Interval") && !g_str_has_prefix (lines[k], "2026-") &&
          !g_str_has_prefix (lines[k], "Total"))
        continue;
      if (width < 0)
        width = g_utf8_strlen (lines[k], -1);
      g_assert_cmpint (g_utf8_strlen (lines[k], -1), ==, width);
      rows++;
    }
  g_assert_cmpuint (rows, ==, 4);   /* header, 06:30, 07:00, total */
  g_assert_nonnull (strstr (out, "PJSIP/102"));
}

static void
test_store_query (void)
{
  g_autofree char *db = import_db ();
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  const CdCall *call;

  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  /* [+200, +450): .2 .3 .4, by entry */
  g_assert_true (cd_store_list_calls (store, 1767250200, 1767250450, &calls, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 3);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->pbx_id, ==, "1767250200.2");
  g_assert_cmpint (call->outcome, ==, CD_CALL_ABANDONED);
  call = g_ptr_array_index (calls, 2);
  g_assert_cmpstr (call->pbx_id, ==, "1767250410.4");
  g_clear_pointer (&calls, g_ptr_array_unref);
  /* The rings per operator come back from the event. */
  g_assert_true (cd_store_list_calls (store, 1767250010, 1767250011, &calls, &error));
  g_assert_cmpuint (calls->len, ==, 1);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpuint (call->rings->len, ==, 1);
  g_assert_cmpstr (g_array_index (call->rings, CdCallRing, 0).agent, ==, "PJSIP/102");
  g_assert_cmpuint (g_array_index (call->rings, CdCallRing, 0).count, ==, 2);
}

static void
assert_refused (const char *db,
                const char *option,
                ...) G_GNUC_NULL_TERMINATED;

static void
assert_refused (const char *db,
                const char *option,
                ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("CITYDESK_CTL"));
  g_ptr_array_add (args, "calls");
  g_ptr_array_add (args, "stats");
  if (db != NULL)
    {
      g_ptr_array_add (args, "--db");
      g_ptr_array_add (args, (char *) db);
    }
  va_start (ap, option);
  for (arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
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
}

static void
test_bad_arguments (void)
{
  g_autofree char *db = import_db ();
  const char *from = "2026-01-01T06:00:00Z", *to = "2026-01-01T08:00:00Z";

  assert_refused (NULL, "--db", "--from", from, "--to", to, NULL);
  assert_refused (db, "--from", "--to", to, NULL);
  assert_refused (db, "--from", "--from", "yesterday", "--to", to, NULL);
  assert_refused (db, "--to", "--from", to, "--to", from, NULL);
  assert_refused (db, "--interval", "--from", from, "--to", to, "--interval", "0", NULL);
  assert_refused (db, "--interval", "--from", from, "--to", to, "--interval", "2d", NULL);
  assert_refused (db, "--target", "--from", from, "--to", to, "--target", "soon", NULL);
  assert_refused (db, "--short-abandon", "--from", from, "--to", to, "--short-abandon", "-5s",
                  NULL);
}

int
main (int    argc,
      char **argv)
{
  /* The intervals start on the local clock: make it UTC, for the child too. */
  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);
  g_test_add_func ("/call-stats-cli/quarter-hours", test_quarter_hours);
  g_test_add_func ("/call-stats-cli/short-abandons", test_short_abandons);
  g_test_add_func ("/call-stats-cli/text", test_text);
  g_test_add_func ("/call-stats-cli/store-query", test_store_query);
  g_test_add_func ("/call-stats-cli/bad-arguments", test_bad_arguments);
  return g_test_run ();
}
