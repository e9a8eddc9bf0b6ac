// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydesk-server --demo (the real binary) and its simulated PBX: the
// history's calls are journaled at creation; while the server runs, the
// PBX appends its lines to demo-city.queue_log beside the database, and the
// server's follower journals each call that ends there, which the calls
// statistics then count. The demo's operator account is one of its PBX
// members. A restarted demo starts a fresh PBX (one
// QUEUESTART) whose calls arrive the same way; `citydeskctl verify` passes.

#include "config.h"

#include <string.h>

#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

/* Ten simulated minutes a second: several calls a second by day. */
#define SPEED "600"
#define DEADLINE_S 60

static gint64
sql_int (const char *db,
         const char *sql)
{
  g_autofree char *text = cd_test_sql_text (db, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* The calls the statistics count over four days around now. */
static gint64
offered (SoupSession *session,
         const char  *url,
         const char  *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) to = g_date_time_add_days (now, 2);
  g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%dT%H:00:00Z");
  g_autofree char *to_text = g_date_time_format (to, "%Y-%m-%dT%H:00:00Z");
  g_autofree char *path = g_strdup_printf ("/api/v1/calls/stats?from=%s&to=%s&interval=6h",
                                           from_text, to_text);
  g_autoptr(JsonObject) answer = cd_test_call (session, url, "GET", path, token, NULL, NULL,
                                               SOUP_STATUS_OK);

  return json_object_get_int_member (json_object_get_object_member (answer, "total"),
                                     "offered");
}

/* A call that the queue_log shows ending after @after_line (its lines
 * from its entry to its end all in the file), or NULL. */
static char *
ended_call_in_log (const char *path,
                   guint       after_line)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) entered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = after_line; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "|", 6);

      if (g_strv_length (fields) < 5)
        continue;
      if (g_str_equal (fields[4], "ENTERQUEUE"))
        g_hash_table_add (entered, g_strdup (fields[1]));
      else if (g_str_has_prefix (fields[4], "COMPLETE")
               && g_hash_table_contains (entered, fields[1]))
        return g_strdup (fields[1]);
    }
  return NULL;
}

static guint
count_lines (const char *path,
             const char *verb)
{
  g_autofree char *contents = NULL;
  g_autofree char *needle = g_strdup_printf ("|%s|", verb);
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], needle) != NULL;
  return n;
}

static guint
n_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Waits until a call the PBX wrote after @after_line is in the calls
 * table, journaled by the follower; returns its PBX id. */
static char *
wait_for_live_call (const char *db,
                    const char *log,
                    guint       after_line)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *id = ended_call_in_log (log, after_line);

      if (id != NULL)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM calls WHERE pbx_id = '%s'",
                                                  id);

          if (sql_int (db, sql) == 1)
            return g_steal_pointer (&id);
        }
      g_usleep (200 * 1000);
    }
  g_error ("No call of the demo's queue_log reached the calls table in %d s", DEADLINE_S);
  return NULL;
}

static void
test_demo_follows_its_pbx (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *log = g_build_filename (dir, "demo-city.queue_log", NULL);
  g_autofree char *live = NULL;
  g_autofree char *after_restart = NULL;
  g_autofree char *agent = NULL;
  g_autofree char *agent_again = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  const char *extra[] = { "--demo", "--speed", SPEED, "--history-days", "1", NULL };
  CdTestServer server = { 0 };
  gint64 history, before, later;
  guint lines_before_restart;

  cd_test_server_start_full (&server, db, extra, FALSE);

  /* A day of history: thousands of calls, read through the importer's
   * reader, before the server listened. */
  history = sql_int (db, "SELECT count(*) FROM calls");
  g_test_message ("%" G_GINT64_FORMAT " calls in the history", history);
  g_assert_cmpint (history, >, 1500);
  g_assert_cmpint (history, <, 10000);

  /* The demo's operator account is one of its PBX members, whose calls
   * are its own (docs/api.md, "An operator's own evaluations"). */
  agent = cd_test_sql_text (db, "SELECT agent FROM users WHERE name = 'operator'");
  g_test_message ("the demo's operator is %s", agent);
  g_assert_nonnull (agent);
  g_assert_cmpstr (agent, !=, "");
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls WHERE answered_at IS NOT NULL AND "
                                "agent = (SELECT agent FROM users WHERE name = 'operator')"),
                   >, 0);

  token = cd_test_login (session, server.url, "supervisor", "demo");
  before = offered (session, server.url, token);
  g_assert_cmpint (before, >, 0);

  /* The PBX goes on live: its lines land in the file, and the follower
   * journals what ends there. A call whose entry the file shows after
   * the count above cannot have been counted in it. */
  live = wait_for_live_call (db, log, n_lines (log));
  g_test_message ("live call %s", live);
  g_assert_true (g_file_test (log, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_lines (log, "ENTERQUEUE"), >, 0);
  later = offered (session, server.url, token);
  g_assert_cmpint (later, >, before);
  /* The same model went on from the history: no restart in the file. */
  g_assert_cmpuint (count_lines (log, "QUEUESTART"), ==, 0);
  cd_test_server_stop (&server);

  /* A restart: a fresh PBX starts at now, and says so. */
  lines_before_restart = n_lines (log);
  cd_test_server_start_full (&server, db, extra, FALSE);
  after_restart = wait_for_live_call (db, log, lines_before_restart);
  g_test_message ("call after the restart %s", after_restart);
  g_assert_cmpuint (count_lines (log, "QUEUESTART"), ==, 1);
  cd_test_server_stop (&server);
  agent_again = cd_test_sql_text (db, "SELECT agent FROM users WHERE name = 'operator'");
  g_assert_cmpstr (agent_again, ==, agent);

  /* One event per call, and the chain holds. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls"), ==,
                   sql_int (db, "SELECT count(*) FROM events WHERE type = 'call'"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM calls"), >, history);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&server);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);
  /* The demo reads the SLA policies of the source tree. */
  if (g_getenv ("CITYDESK_DATA_DIR") == NULL)
    {
      g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);

      g_setenv ("CITYDESK_DATA_DIR", data_dir, TRUE);
    }

  g_test_add_func ("/demo-pbx-server/follows-its-pbx", test_demo_follows_its_pbx);
  return g_test_run ();
}
