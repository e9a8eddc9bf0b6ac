// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl --server URL --user U: the read commands against a real
// server print exactly what the same commands print with --db on the
// server's own file, and bad use is refused with a clear message.

#include "config.h"

#include <glib/gstdio.h>

#include "cd-test.h"
#include "cd-test-server.h"

#define NOW "2026-11-22T12:00:00Z"

typedef struct
{
  CdTestServer server;
  char        *cache;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           cd_test_program ("CITYDESK_CTL"), "demo", "generate",
                           "--db", db, "--days", "2", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  cd_test_add_user (db, "supervisor", "supervisor", NULL, "demo-password");
  cd_test_server_start (&fixture->server, db);
  fixture->cache = g_build_filename (dir, "cli-cache.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cd_test_server_clear (&fixture->server);
  g_free (fixture->cache);
}

/* Runs citydeskctl with @args; @input goes to its standard input. */
static int
run (const char * const  *args,
     const char          *input,
     const char          *password_env,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (password_env != NULL)
    g_subprocess_launcher_setenv (launcher, "CITYDESK_PASSWORD", password_env, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "CITYDESK_PASSWORD");
  g_ptr_array_add (argv, (char *) cd_test_program ("CITYDESK_CTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

/* The same command against the server and against its file. */
static void
assert_same_output (Fixture            *fixture,
                    const char * const *command)
{
  g_autoptr(GPtrArray) remote = g_ptr_array_new ();
  g_autoptr(GPtrArray) local = g_ptr_array_new ();
  g_autofree char *remote_out = NULL;
  g_autofree char *remote_err = NULL;
  g_autofree char *local_out = NULL;
  g_autofree char *local_err = NULL;
  int status;

  g_ptr_array_add (remote, (char *) "--server");
  g_ptr_array_add (remote, fixture->server.url);
  g_ptr_array_add (remote, (char *) "--user");
  g_ptr_array_add (remote, (char *) "supervisor");
  g_ptr_array_add (remote, (char *) "--password-stdin");
  g_ptr_array_add (remote, (char *) "--cache");
  g_ptr_array_add (remote, fixture->cache);
  for (guint i = 0; command[i] != NULL; i++)
    {
      g_ptr_array_add (remote, (char *) command[i]);
      g_ptr_array_add (local, (char *) command[i]);
    }
  g_ptr_array_add (local, (char *) "--db");
  g_ptr_array_add (local, fixture->server.db);
  g_ptr_array_add (remote, NULL);
  g_ptr_array_add (local, NULL);

  status = run ((const char * const *) remote->pdata, "demo-password\n", NULL, &remote_out,
                &remote_err);
  if (status != 0)
    g_test_message ("remote %s: %s", command[0], remote_err);
  g_assert_cmpint (status, ==, 0);
  status = run ((const char * const *) local->pdata, NULL, NULL, &local_out, &local_err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (strlen (local_out), >, 0);
  g_assert_cmpstr (remote_out, ==, local_out);
}

static void
test_same_output (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *tickets[] = { "tickets", "--now", NOW, "--limit", "40", NULL };
  const char *overdue[] = { "tickets", "--overdue", "--now", NOW, NULL };
  const char *json[] = { "tickets", "--state", "assigned", "--now", NOW, "--json", NULL };
  const char *stats[] = { "stats", "--now", NOW, NULL };
  const char *stats_json[] = { "stats", "--now", NOW, "--json", NULL };
  const char *show[] = { "ticket", "show", "2026-000001", "--now", NOW, NULL };

  assert_same_output (fixture, tickets);
  assert_same_output (fixture, overdue);
  assert_same_output (fixture, json);
  assert_same_output (fixture, stats);
  assert_same_output (fixture, stats_json);
  assert_same_output (fixture, show);
}

static void
test_password_from_env (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *args[] = { "--server", fixture->server.url,
                         "--user", "supervisor",
                         "--cache", fixture->cache,
                         "stats", "--now",
                         NOW, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (args, NULL, "demo-password", &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "Tickets: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Neither --password-stdin nor the variable: no guessing, no prompt. */
  g_assert_cmpint (run (args, NULL, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "CITYDESK_PASSWORD"));
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  const char *wrong[] = {
    "--server", fixture->server.url, "--user", "supervisor", "--password-stdin",
    "--cache", fixture->cache, "stats", NULL
  };
  const char *write[] = { "--server", fixture->server.url, "--user",
                          "supervisor", "--password-stdin", "ticket",
                          "act", "2026-000001", "comment",
                          NULL };
  const char *both[] = { "--server", fixture->server.url, "--user",
                         "supervisor", "--password-stdin", "stats",
                         "--db", fixture->server.db, NULL };
  const char *nowhere[] = {
    "--server", "http://127.0.0.1:1", "--user", "supervisor", "--password-stdin",
    "--cache", fixture->cache, "stats", NULL
  };
  const char *no_user[] = { "--server", fixture->server.url, "stats", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (wrong, "not-the-password\n", NULL, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, !=, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_false (g_file_test (fixture->cache, G_FILE_TEST_EXISTS));

  g_assert_cmpint (run (write, "demo-password\n", NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "ticket show"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (both, "demo-password\n", NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--db"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (nowhere, "demo-password\n", NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "127.0.0.1:1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (no_user, NULL, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--user"));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);
  if (g_getenv ("CITYDESK_DATA_DIR") == NULL)
    {
      g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);

      g_setenv ("CITYDESK_DATA_DIR", data_dir, TRUE);
    }

  g_test_add ("/client-cli/same-output", Fixture, NULL, fixture_set_up, test_same_output,
              fixture_tear_down);
  g_test_add ("/client-cli/password-from-env", Fixture, NULL, fixture_set_up,
              test_password_from_env, fixture_tear_down);
  g_test_add ("/client-cli/refusals", Fixture, NULL, fixture_set_up, test_refusals,
              fixture_tear_down);

  return g_test_run ();
}
