// SPDX-License-Identifier: GPL-3.0-or-later
//
// Missed calls as work, through the real citydeskctl (CITYDESK_CTL) on a
// real SQLite file: a queue_log imported, the lost callers listed with
// their due time, a callback recorded (and refusals exiting 2), the list
// again, and `citydeskctl verify` passing.

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-sql.h"

/* Within the 10 minutes of every missed call of missed.log but the
 * timeout's, which ended at 1767250320. */
#define NOW "2026-01-01T06:55:00Z"

static JsonArray *
list_missed (const char *db,
             const char *now,
             gboolean    all)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int status;

  status = cd_test_ctl (&out, &err, "calls", "missed", "--db", db, "--now", now, "--json",
                        all ? "--all" : NULL, NULL);
  g_test_message ("calls missed: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static JsonObject *
find (JsonArray  *list,
      const char *caller)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *one = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (one, "caller"), caller) == 0)
        return one;
    }
  return NULL;
}

static int
callback (const char  *db,
          const char  *call,
          const char  *outcome,
          const char  *at,
          const char  *role,
          char       **err)
{
  g_autofree char *out = NULL;
  int status = cd_test_ctl (&out, err, "calls", "callback", "--db", db, call, outcome, "--at", at,
                            "--as", role, "--actor", "anna", NULL);

  g_test_message ("calls callback %s %s: %d\n%s%s", call, outcome, status, out, *err);
  return status;
}

static gint64
count_callbacks (const char *db)
{
  g_autofree char *text = cd_test_sql_text (db, "SELECT count(*) FROM events "
                                                "WHERE type = 'callback'");

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

/* The mark the lists find waiting calls by agrees with the view that
 * judges each one (migration 16's triggers). */
static void
assert_marks_agree (const char *db)
{
  g_autofree char *marked = cd_test_sql_text (db, "SELECT group_concat (id) FROM "
                                                  "(SELECT id FROM calls WHERE missed_open = 1 "
                                                  "ORDER BY id)");
  g_autofree char *waiting = cd_test_sql_text (db, "SELECT group_concat (id) FROM "
                                                   "(SELECT id FROM missed_calls WHERE "
                                                   "state = 'waiting' ORDER BY id)");

  g_assert_cmpstr (marked, ==, waiting);
}

static void
test_work (void)
{
  g_autofree char *db = NULL, *path = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonArray) before = NULL, after = NULL, all = NULL;
  JsonObject *one;
  const char *abandoned, *closed;
  int status;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  db = g_build_filename (g_get_user_cache_dir (), "missed.db", NULL);
  path = g_test_build_filename (G_TEST_DIST, "data", "queue-log", "missed.log", NULL);
  status = cd_test_ctl (&out, &err, "import", "queue-log", "--db", db, path, NULL);
  g_test_message ("import: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);

  /* Abandoned, timeout and exit_key wait; the empty queue's caller got
   * through later; the number-less abandon and the withdrawn call are
   * nobody's work. */
  before = list_missed (db, NOW, FALSE);
  g_assert_cmpuint (json_array_get_length (before), ==, 3);
  one = find (before, "+375291111111");
  g_assert_nonnull (one);
  g_assert_cmpstr (json_object_get_string_member (one, "outcome"), ==, "abandoned");
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "waiting");
  /* Ended 06:47:50: due at 06:57:50, 170 s after NOW. */
  g_assert_true (json_object_has_member (one, "due"));
  g_assert_cmpint (json_object_get_int_member (one, "left_seconds"), ==, 170);
  abandoned = json_object_get_string_member (one, "call");
  assert_marks_agree (db);
  g_assert_nonnull (find (before, "+375292222222"));
  g_assert_nonnull (find (before, "+375296666666"));
  g_assert_null (find (before, "+375293333333"));
  g_assert_null (find (before, "+375295555555"));

  all = list_missed (db, NOW, TRUE);
  g_assert_cmpuint (json_array_get_length (all), ==, 4);
  one = find (all, "+375293333333");
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "closed");
  g_assert_true (json_object_has_member (one, "closed_by"));
  closed = json_object_get_string_member (one, "call");

  /* Refusals exit 2 naming the rule, and change nothing. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (callback (db, abandoned, "reached", "2026-01-01T06:56:00Z", "executor", &err),
                   ==, 2);
  g_assert_nonnull (strstr (err, "does not see callers"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (callback (db, closed, "reached", "2026-01-01T06:56:00Z", "operator", &err), ==,
                   2);
  g_assert_nonnull (strstr (err, "no longer waiting"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (callback (db, abandoned, "reached", "2026-01-01T06:40:00Z", "operator", &err),
                   ==, 2);
  g_assert_nonnull (strstr (err, "before the missed call ended"));
  g_assert_cmpint (count_callbacks (db), ==, 0);

  /* No answer leaves it waiting; reached stops the clock, on time. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (callback (db, "1767250010.1", "no_answer", "2026-01-01T06:53:00Z", "operator",
                             &err), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (callback (db, abandoned, "reached", "2026-01-01T06:56:00Z", "operator", &err),
                   ==, 0);

  after = list_missed (db, NOW, FALSE);
  g_assert_cmpuint (json_array_get_length (after), ==, 2);
  assert_marks_agree (db);
  g_assert_null (find (after, "+375291111111"));
  g_clear_pointer (&all, json_array_unref);
  all = list_missed (db, NOW, TRUE);
  one = find (all, "+375291111111");
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "called_back");
  g_assert_cmpstr (json_object_get_string_member (one, "called_back_by"), ==, "anna");
  g_assert_cmpstr (json_object_get_string_member (one, "role"), ==, "operator");
  g_assert_cmpint (json_object_get_int_member (one, "attempts"), ==, 2);
  g_assert_false (json_object_get_boolean_member (one, "late"));
  g_assert_cmpint (count_callbacks (db), ==, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = cd_test_ctl (&out, &err, "verify", "--db", db, NULL);
  g_test_message ("verify: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_no_errno (g_unlink (db));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/missed-calls/work", test_work);
  return g_test_run ();
}
