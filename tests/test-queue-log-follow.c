// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydesk-server --queue-log (the real binary, CITYDESK_SERVER) following
// a queue_log a test writes as a PBX would: lines in pieces, a rotation
// (rename and a new file), a truncation, an unreadable line, a restart
// with a call still open. Each call shows up in the event feed once, and
// `citydeskctl verify` passes.

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "cd-test.h"
#include "cd-test-server.h"

/* How long a call may take to reach the feed before the test fails: far
 * more than the follower needs, so that a slow machine does not fail it. */
#define FEED_DEADLINE_S 30

typedef struct
{
  SoupSession *session;
  char        *url;
  char        *token;
} Client;

static void
append (const char *path,
        const char *text)
{
  FILE *file = fopen (path, "ab");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (text, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* In place, as copytruncate does (g_file_set_contents() would make a new
 * file). */
static void
truncate_file (const char *path)
{
  FILE *file = fopen (path, "wb");

  g_assert_nonnull (file);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* The call events of the feed, and how many entities they are on. */
static guint
count_calls (Client *client,
             guint  *n_entities)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GHashTable) entities = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *events;
  guint n = 0;

  answer = cd_test_call (client->session, client->url, "GET", "/api/v1/events?after=0&limit=10000",
                         client->token, NULL, NULL, SOUP_STATUS_OK);
  events = json_object_get_array_member (answer, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (!g_str_equal (json_object_get_string_member (event, "type"), "call"))
        continue;
      n++;
      g_hash_table_add (entities, (gpointer) json_object_get_string_member (event, "entity"));
    }
  if (n_entities != NULL)
    *n_entities = g_hash_table_size (entities);
  return n;
}

static void
wait_for_calls (Client *client,
                guint   expected)
{
  gint64 deadline = g_get_monotonic_time () + FEED_DEADLINE_S * G_USEC_PER_SEC;
  guint n;

  while ((n = count_calls (client, NULL)) < expected && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 20);
  g_assert_cmpuint (n, ==, expected);
}

static void
connect_client (Client       *client,
                CdTestServer *server)
{
  g_clear_object (&client->session);
  g_free (client->url);
  g_free (client->token);
  client->session = soup_session_new ();
  client->url = g_strdup (server->url);
  client->token = cd_test_login (client->session, client->url, "admin", "password-1");
}

static void
start_server (CdTestServer       *server,
              const char         *db,
              const char         *err_path,
              const char * const *extra)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, (char *) cd_test_program ("CITYDESK_SERVER"));
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);

  /* The server's log in a file, to find the unreadable line's number. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  server->proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  server->url = g_strdup (line + strlen ("Listening on "));
}

static void
test_follow (void)
{
  CdTestServer server = { 0 };
  Client client = { 0 };
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *log = g_build_filename (dir, "queue_log", NULL);
  g_autofree char *rotated = g_build_filename (dir, "queue_log.1", NULL);
  g_autofree char *err1 = g_build_filename (dir, "server-1.log", NULL);
  g_autofree char *err2 = g_build_filename (dir, "server-2.log", NULL);
  g_autofree char *conf = g_build_filename (dir, "server.conf", NULL);
  g_autofree char *conf_text = g_strdup_printf ("[server]\nqueue-log=%s\n", log);
  g_autofree char *err_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *flag_args[] = { "--queue-log", log, NULL };
  const char *conf_args[] = { "--config", conf, NULL };
  guint n_entities = 0;

  cd_test_add_user (db, "admin", "admin", NULL, "password-1");
  server.db = g_strdup (db);

  /* The file does not exist yet when the server starts: it is waited for. */
  start_server (&server, db, err1, flag_args);
  connect_client (&client, &server);
  g_assert_cmpuint (count_calls (&client, NULL), ==, 0);

  /* A call written in pieces cut mid-line, as a PBX's writes may land. */
  append (log, "1767250000|NONE|NONE|NONE|QUEUESTART|\n1767250010|1767250010.1|ci");
  append (log, "ty|NONE|ENTERQUEUE||+375291234567|1\n");
  append (log, "1767250030|1767250010.1|city|PJSIP/101|CONNECT|20|1767250028.5|2\n1767250");
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpuint (count_calls (&client, NULL), ==, 0);
  append (log, "150|1767250010.1|city|PJSIP/101|COMPLETECALLER|20|120|1\n");
  wait_for_calls (&client, 1);

  /* A call answered before the rotation and ended after it. */
  append (log, "1767250200|1767250200.2|city|NONE|ENTERQUEUE||+375297654321|1\n"
               "1767250210|1767250200.2|city|PJSIP/101|CONNECT|10|1767250205.7|1\n");
  g_assert_cmpint (g_rename (log, rotated), ==, 0);
  append (log, "1767250300|1767250300.3|city|NONE|ENTERQUEUE||80172223344|1\n"
               "not a queue_log line\n"
               "1767250330|1767250300.3|city|NONE|ABANDON|1|1|30\n"
               "1767250290|1767250200.2|city|PJSIP/101|COMPLETEAGENT|10|80|1\n");
  wait_for_calls (&client, 3);

  /* Open when the server stops: journaled once, when it ends. */
  append (log, "1767250400|1767250400.4|city|NONE|ENTERQUEUE||+375290000004|1\n");
  g_usleep (G_USEC_PER_SEC / 2);
  cd_test_server_stop (&server);
  g_assert_true (g_file_get_contents (err1, &err_text, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("server log:\n%s", err_text);
  g_assert_nonnull (strstr (err_text, "line 2 skipped"));

  /* The same setting from the configuration file. */
  g_assert_true (g_file_set_contents (conf, conf_text, -1, &error));
  g_assert_no_error (error);
  start_server (&server, db, err2, conf_args);
  connect_client (&client, &server);
  append (log, "1767250460|1767250400.4|city|NONE|EXITWITHTIMEOUT|1|1|60\n");
  wait_for_calls (&client, 4);

  /* Cut to nothing and written again (logrotate's copytruncate). */
  truncate_file (log);
  append (log, "1767250500|1767250500.5|city|NONE|ENTERQUEUE||+375290000005|1\n"
               "1767250520|1767250500.5|city|NONE|ABANDON|1|1|20\n");
  wait_for_calls (&client, 5);

  /* Nothing counted twice: one event per call, each on its own entity. */
  g_usleep (G_USEC_PER_SEC / 2);
  g_assert_cmpuint (count_calls (&client, &n_entities), ==, 5);
  g_assert_cmpuint (n_entities, ==, 5);

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);

  g_clear_object (&client.session);
  g_free (client.url);
  g_free (client.token);
  cd_test_server_clear (&server);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/queue-log-follow/follow", test_follow);
  return g_test_run ();
}
