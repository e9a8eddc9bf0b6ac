// SPDX-License-Identifier: GPL-3.0-or-later
//
// The real `citydeskctl demo generate` on a small city: it writes a
// journal that `citydeskctl verify` accepts, `stats --json` shows the
// shares DOMAIN.md describes, and the same seed gives the same database;
// its complaints are classified, answered and linked to what they are
// about (`complaints stats`), the last days' still open.

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"

static char *
generate (const char *name,
          const char *seed)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);
  int status;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  status = cd_test_ctl (&out, &err, "demo", "generate", "--db", path, "--days", "20", "--seed",
                        seed, "--tickets-per-day", "400", "--end", "2026-07-01", NULL);
  g_test_message ("demo generate: %s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Generated"));
  return path;
}

static char *
last_hash (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *hash = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT hash FROM events ORDER BY seq DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return hash;
}

/* The count of one group in the stats' "by_category_group" object. */
static double
group_count (JsonObject *groups,
             const char *name)
{
  return json_object_get_int_member_with_default (groups, name, -1);
}

static void
test_generate_verify_stats (void)
{
  g_autofree char *a = generate ("demo-a.db", "7");
  g_autofree char *b = generate ("demo-b.db", "7");
  g_autofree char *c = generate ("demo-c.db", "8");
  g_autofree char *hash_a = last_hash (a);
  g_autofree char *hash_b = last_hash (b);
  g_autofree char *hash_c = last_hash (c);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *stats_a = NULL;
  g_autofree char *stats_b = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *stats;
  JsonObject *groups;
  g_autoptr(GList) names = NULL;
  double housing, transport, trade, total = 0;

  /* The same seed, the same chain; another seed, another city. */
  g_assert_cmpstr (hash_a, ==, hash_b);
  g_assert_cmpstr (hash_a, !=, hash_c);

  /* A second run into a used file is refused and changes nothing. */
  g_assert_cmpint (cd_test_ctl (&out, &err, "demo", "generate", "--db", a, "--days", "2", NULL), ==,
                   2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", a, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (cd_test_ctl (&stats_a, &err, "stats", "--db", a, "--now",
                                "2026-07-01T00:00:00+03:00", "--json", NULL),
                   ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&stats_b, &err, "stats", "--db", b, "--now",
                                "2026-07-01T00:00:00+03:00", "--json", NULL),
                   ==, 0);
  g_assert_cmpstr (stats_a, ==, stats_b);

  json_parser_load_from_data (parser, stats_a, -1, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (stats, "by_category_group"));
  groups = json_object_get_object_member (stats, "by_category_group");

  housing = group_count (groups, "housing");
  transport = group_count (groups, "transport");
  trade = group_count (groups, "street_trade");
  names = json_object_get_members (groups);
  for (GList *l = names; l != NULL; l = l->next)
    total += group_count (groups, l->data);

  g_test_message ("housing %.3f, transport %.3f, street trade %.3f of %.0f",
                  housing / total, transport / total, trade / total, total);
  g_assert_cmpfloat (housing / total, >, 0.62);
  g_assert_cmpfloat (housing / total, <, 0.78);
  g_assert_cmpfloat (transport / total, >, 0.06);
  g_assert_cmpfloat (transport / total, <, 0.14);
  g_assert_cmpfloat (trade / total, >, 0.03);

  /* The SLA engine judges the demo's tickets; the executors aim at about
   * 80 % on time. */
  g_test_message ("on time %.3f", json_object_get_double_member (stats, "on_time_rate"));
  g_assert_cmpfloat (json_object_get_double_member (stats, "on_time_rate"), >, 0.70);
  g_assert_cmpfloat (json_object_get_double_member (stats, "on_time_rate"), <, 0.90);

  /* Street trade comes third, after housing and transport. */
  for (GList *l = names; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "housing") && !g_str_equal (l->data, "transport") &&
        !g_str_equal (l->data, "street_trade"))
      g_assert_cmpfloat (group_count (groups, l->data), <, trade);

  g_remove (a);
  g_remove (b);
  g_remove (c);
}

static gint64
count (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_complaints (void)
{
  g_autofree char *path = generate ("demo-complaints.db", "7");
  g_autofree char *out = NULL, *err = NULL, *verify = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *stats, *decisions;
  JsonArray *executors;
  gint64 received, answered, on_time, with_executor = 0;
  /* 2026-06-29 00:00 in Minsk: the last two days of the period. */
  const gint64 last_days = G_GINT64_CONSTANT (1782680400);
  g_autofree char *unclassified = g_strdup_printf (
      "SELECT count(*) FROM tickets WHERE kind = 'complaint' AND state = 'registered' "
      "AND created_at < %" G_GINT64_FORMAT " - 86400", last_days);
  g_autofree char *open_late = g_strdup_printf (
      "SELECT count(*) FROM tickets WHERE kind = 'complaint' AND open = 1 "
      "AND created_at >= %" G_GINT64_FORMAT, last_days);

  g_assert_cmpint (cd_test_ctl (&verify, &err, "verify", "--db", path, NULL), ==, 0);
  g_clear_pointer (&err, g_free);

  /* The complaints of the first fortnight: all answered in the period but
   * a few, most within the nine days, decided in realistic shares. */
  g_assert_cmpint (cd_test_ctl (&out, &err, "complaints", "stats", "--db", path, "--from",
                                "2026-06-11T00:00:00+03:00", "--to",
                                "2026-06-20T00:00:00+03:00", "--json", NULL),
                   ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  stats = json_node_get_object (json_parser_get_root (parser));
  received = json_object_get_int_member (stats, "received");
  answered = json_object_get_int_member (stats, "answered");
  on_time = json_object_get_int_member (stats, "answered_on_time");
  decisions = json_object_get_object_member (stats, "decisions");
  executors = json_object_get_array_member (stats, "by_executor");
  for (guint i = 0; i < json_array_get_length (executors); i++)
    if (!json_object_get_null_member (json_array_get_object_element (executors, i), "executor"))
      with_executor += json_object_get_int_member (json_array_get_object_element (executors, i),
                                                   "received");
  g_test_message ("%s", out);
  g_assert_cmpint (received, >, 100);
  g_assert_cmpfloat ((double) answered / received, >, 0.85);
  g_assert_cmpfloat ((double) on_time / answered, >, 0.75);
  g_assert_cmpfloat ((double) on_time / answered, <, 1.0);
  g_assert_cmpfloat ((double) json_object_get_int_member (decisions, "upheld") / answered, >, 0.3);
  g_assert_cmpint (json_object_get_int_member (decisions, "partly_upheld"), >, 0);
  g_assert_cmpfloat ((double) json_object_get_int_member (decisions, "refused") / answered, >,
                     0.2);
  /* About a ticket (so its executor), and about a call of the PBX. */
  g_assert_cmpfloat ((double) with_executor / received, >, 0.25);
  g_assert_cmpint (count (path, "SELECT count(*) FROM events WHERE type = 'link' "
                                "AND payload LIKE '%\"about\":\"call\"%'"), >, 10);
  g_assert_cmpint (count (path, "SELECT count(*) FROM events WHERE type = 'propose'"), >, 0);

  /* Classified within the day: none left unclassified but the last
   * day's; the last days' complaints still open. */
  g_assert_cmpint (count (path, unclassified), <=,
                   count (path, "SELECT count(*) FROM tickets WHERE kind = 'complaint'") / 20);
  g_assert_cmpint (count (path, open_late), >, 0);
  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/demo/generate-verify-stats", test_generate_verify_stats);
  g_test_add_func ("/demo/complaints", test_complaints);

  return g_test_run ();
}
