// SPDX-License-Identifier: GPL-3.0-or-later
//
// The login kept between runs: in a real gnome-keyring-daemon on a private
// session bus when there is one, in memory for the session when there is
// none (the test environment points the session bus nowhere).

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "cd-credentials.h"

#include "cd-test.h"

static const char *server = "https://citydesk.example.org:8443";

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
save (CdCredentials *credentials,
      const CdLogin *login)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cd_credentials_save_async (credentials, login, NULL, on_done, &result);
  g_assert_true (cd_credentials_save_finish (credentials, wait_for (&result), &error));
  g_assert_no_error (error);
}

static CdLogin *
load (CdCredentials *credentials)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CdLogin *login;

  cd_credentials_load_async (credentials, server, NULL, on_done, &result);
  login = cd_credentials_load_finish (credentials, wait_for (&result), &error);
  g_assert_no_error (error);
  return login;
}

static void
forget (CdCredentials *credentials)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cd_credentials_forget_async (credentials, server, NULL, on_done, &result);
  g_assert_true (cd_credentials_forget_finish (credentials, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
test_without_keyring (void)
{
  g_autoptr(CdCredentials) credentials = cd_credentials_new ();
  g_autoptr(CdCredentials) next_run = cd_credentials_new ();
  g_autoptr(CdLogin) login = cd_login_new (server, "supervisor", "supervisor", "t0ken", 1795000000);
  g_autoptr(CdLogin) kept = NULL;
  g_autoptr(CdLogin) gone = NULL;
  g_autoptr(CdLogin) elsewhere = NULL;

  g_assert_true (cd_credentials_get_persistent (credentials));
  save (credentials, login);
  /* No Secret Service: said once through the property, the session goes on. */
  g_assert_false (cd_credentials_get_persistent (credentials));

  kept = load (credentials);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->token, ==, "t0ken");
  g_assert_cmpstr (kept->role, ==, "supervisor");
  g_assert_cmpint (kept->expires, ==, 1795000000);

  /* Nothing was written anywhere a next run could find. */
  elsewhere = load (next_run);
  g_assert_null (elsewhere);

  forget (credentials);
  gone = load (credentials);
  g_assert_null (gone);
}

static void
keyring_child (void)
{
  g_autoptr(CdCredentials) first_run = cd_credentials_new ();
  g_autoptr(CdCredentials) second_run = cd_credentials_new ();
  g_autoptr(CdCredentials) third_run = cd_credentials_new ();
  g_autoptr(CdLogin) login = cd_login_new (server, "qc", "qc", "s3cret-token", 1795000000);
  g_autoptr(CdLogin) kept = NULL;
  g_autoptr(CdLogin) gone = NULL;

  save (first_run, login);
  g_assert_true (cd_credentials_get_persistent (first_run));

  /* A new instance has an empty memory: this came from the keyring. */
  kept = load (second_run);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->user, ==, "qc");
  g_assert_cmpstr (kept->token, ==, "s3cret-token");

  forget (second_run);
  gone = load (third_run);
  g_assert_null (gone);
}

static char *
read_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  return g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
}

static gboolean
wait_for_name (const char *address,
               const char *name)
{
  g_autoptr(GDBusConnection) bus = NULL;

  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, NULL);
  if (bus == NULL)
    return FALSE;

  for (int i = 0; i < 100; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean owned = FALSE;

      reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "NameHasOwner",
                                           g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (owned)
        return TRUE;
      g_usleep (50 * 1000);
    }
  return FALSE;
}

/* The daemons must not outlive a test that fails half-way. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
test_with_keyring (void)
{
  g_autoptr(GSubprocess) bus = NULL;
  g_autoptr(GSubprocess) keyring = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *address = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *old_address = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autoptr(GError) error = NULL;
  g_autofree char *dbus = g_find_program_in_path ("dbus-daemon");
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (g_test_subprocess ())
    {
      keyring_child ();
      return;
    }

  if (dbus == NULL || daemon == NULL)
    {
      g_test_skip ("needs dbus-daemon and gnome-keyring-daemon (build-aux/install-deps test)");
      return;
    }

  /* Both daemons want a real runtime directory for their sockets. */
  runtime = g_build_filename (g_get_user_data_dir (), "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* The test's private directories, where the keyring files go. */
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* The session bus's own configuration listens in /tmp, whatever TMPDIR
   * says, and a killed bus leaves its socket there. Not in the runtime
   * directory: its path is too long for a socket's. */
  escaped = g_dbus_address_escape_value (g_get_tmp_dir ());
  listen = g_strconcat ("--address=unix:dir=", escaped, NULL);
  bus = g_subprocess_launcher_spawn (launcher, &error, dbus, "--session", "--nofork",
                                     "--print-address=1", listen, NULL);
  g_assert_no_error (error);
  address = read_line (bus);
  g_assert_nonnull (address);

  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                 G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  keyring = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground", "--unlock",
                                         "--components=secrets", NULL);
  g_assert_no_error (error);
  /* The new login keyring's password, then end of input. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "test", 4, NULL, NULL, NULL);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, NULL);
  g_assert_true (wait_for_name (address, "org.freedesktop.secrets"));

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", old_address, TRUE);

  g_subprocess_force_exit (keyring);
  g_subprocess_force_exit (bus);
  g_subprocess_wait (keyring, NULL, NULL);
  g_subprocess_wait (bus, NULL, NULL);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/credentials/without-keyring", test_without_keyring);
  g_test_add_func ("/credentials/keyring", test_with_keyring);

  return g_test_run ();
}
