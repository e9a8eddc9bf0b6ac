// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-remote.c: citydeskctl --server URL --user U, the read commands
 * against a server
 *
 * The command logs in, brings a local cache up to date from the server's
 * event feed with the desktop's own CdSync, and then runs the very same
 * command as --db on that cache: the output cannot differ from --db's
 * because it is printed by the same code from the same projection. The
 * cache is kept (private to the user) so that the next run only fetches
 * what is new.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-cli-remote.h"
#include "cd-client.h"
#include "cd-sync.h"

#define PROG "citydeskctl"
#define WAIT_SECONDS 600

typedef struct
{
  gboolean     done;
  GAsyncResult *result;
} Wait;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
run_until_done (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
print_remote_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n%s\n",
           _("Usage: citydeskctl --server URL --user USER [--password-stdin] [--cache FILE] "
             "tickets|ticket show|stats|callbacks [OPTION…]"),
           _("Runs a read command on the server’s data. The password comes from standard input "
             "with --password-stdin, or from the CITYDESK_PASSWORD environment variable; never "
             "from the command line. The server’s events are kept in a local cache (by default "
             "in the user’s cache directory) so that later runs only fetch what is new."));
}

static char *
read_password (gboolean  from_stdin,
               GError  **error)
{
  const char *env;

  if (from_stdin)
    {
      char line[1024];
      gsize len;

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("--password-stdin: no password on standard input"));
          return NULL;
        }
      len = strlen (line);
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
      return g_strdup (line);
    }

  env = g_getenv ("CITYDESK_PASSWORD");
  if (env == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No password: give it on standard input with --password-stdin, or in "
                             "CITYDESK_PASSWORD"));
      return NULL;
    }
  return g_strdup (env);
}

static char *
default_cache_path (const char *server_url,
                    const char *user)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", server_url, user);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = g_strdup_printf ("citydeskctl-%.16s.db", digest);

  return g_build_filename (g_get_user_cache_dir (), "citydesk", name, NULL);
}

/* Takes "--name VALUE" or "--name=VALUE" at argv[*i]. */
static gboolean
take_value (int          argc,
            char       **argv,
            int         *i,
            const char  *name,
            char       **value,
            GError     **error)
{
  gsize len = strlen (name);

  if (strncmp (argv[*i], name, len) != 0)
    return FALSE;
  if (argv[*i][len] == '=')
    {
      g_free (*value);
      *value = g_strdup (argv[*i] + len + 1);
      return TRUE;
    }
  if (argv[*i][len] != '\0')
    return FALSE;
  if (*i + 1 >= argc)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("%s needs a value"), name);
      return TRUE;
    }
  g_free (*value);
  *value = g_strdup (argv[++*i]);
  return TRUE;
}

static gboolean
sync_settled (CdSync *sync)
{
  CdConnectionState state = cd_sync_get_state (sync);

  return (state == CD_CONNECTION_STATE_ONLINE &&
          cd_sync_get_done (sync) >= cd_sync_get_total (sync)) ||
         state == CD_CONNECTION_STATE_OFFLINE;
}

static void
on_sync_changed (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  g_main_context_wakeup (NULL);
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Brings @cache_path up to date with the server. */
static gboolean
update_cache (CdClient    *client,
              const char  *cache_path,
              GError     **error)
{
  g_autoptr(CdStore) cache = NULL;
  g_autoptr(CdSync) sync = NULL;
  g_autofree char *dir = g_path_get_dirname (cache_path);
  gboolean timed_out = FALSE;
  guint deadline;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the cache directory “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  if ((cache = cd_store_open (cache_path, error)) == NULL ||
      (sync = cd_sync_new (client, cache, error)) == NULL)
    return FALSE;

  /* Only the feed is wanted: no backoff games, one attempt. */
  g_signal_connect (sync, "notify::state", G_CALLBACK (on_sync_changed), NULL);
  deadline = g_timeout_add_seconds (WAIT_SECONDS, on_deadline, &timed_out);
  cd_sync_start (sync);
  while (!sync_settled (sync) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (deadline);

  if (cd_sync_get_state (sync) != CD_CONNECTION_STATE_ONLINE)
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE,
                   _("Cannot sync with %s: %s"), cd_client_get_server_url (client),
                   cd_sync_get_last_error (sync) != NULL ? cd_sync_get_last_error (sync)
                                                         : _("timed out"));
      cd_sync_stop (sync);
      return FALSE;
    }
  cd_sync_stop (sync);
  return TRUE;
}

int
cd_cli_remote (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *password = NULL;
  g_autofree char *prog = NULL;
  gboolean password_stdin = FALSE;
  CdCliCommandFunc func = NULL;
  const char *command;
  Wait wait = { 0 };
  int i, status;

  for (i = 1; i < argc && g_str_has_prefix (argv[i], "--"); i++)
    {
      if (g_str_equal (argv[i], "--password-stdin"))
        password_stdin = TRUE;
      else if (g_str_equal (argv[i], "--help"))
        {
          print_remote_usage (stdout);
          return CD_CLI_EXIT_OK;
        }
      else if (!take_value (argc, argv, &i, "--server", &server, &error) &&
               !take_value (argc, argv, &i, "--user", &user, &error) &&
               !take_value (argc, argv, &i, "--cache", &cache_path, &error))
        {
          g_autofree char *message = g_strdup_printf (_("unknown option “%s”"), argv[i]);

          return cd_cli_db_fail (PROG, message);
        }
      if (error != NULL)
        return cd_cli_db_fail (PROG, error->message);
    }

  if (server == NULL || user == NULL)
    {
      print_remote_usage (stderr);
      return cd_cli_db_fail (PROG, _("--server and --user are both needed"));
    }
  if (i >= argc)
    {
      print_remote_usage (stderr);
      return CD_CLI_EXIT_ERROR;
    }

  command = argv[i];
  if (g_str_equal (command, "callbacks"))
    func = cd_cli_callbacks;
  else if (g_str_equal (command, "tickets"))
    func = cd_cli_tickets;
  else if (g_str_equal (command, "stats"))
    func = cd_cli_stats;
  else if (g_str_equal (command, "ticket") && i + 1 < argc && g_str_equal (argv[i + 1], "show"))
    func = cd_cli_ticket;
  if (func == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” cannot run against a server; the read "
                                                    "commands can: tickets, ticket show, stats, "
                                                    "callbacks"),
                                                  command);

      return cd_cli_db_fail (PROG, message);
    }

  /* --db belongs to the local mode: one source of data at a time. */
  for (int j = i; j < argc; j++)
    if (g_str_equal (argv[j], "--db") || g_str_has_prefix (argv[j], "--db="))
      return cd_cli_db_fail (PROG, _("--db and --server cannot be used together"));

  if ((password = read_password (password_stdin, &error)) == NULL ||
      (client = cd_client_new (server, &error)) == NULL)
    return cd_cli_db_fail (PROG, error->message);

  cd_client_login_async (client, user, password, NULL, store_result, &wait);
  run_until_done (&wait);
  if (!cd_client_login_finish (client, wait.result, &error))
    {
      g_clear_object (&wait.result);
      return cd_cli_db_fail (PROG, error->message);
    }
  g_clear_object (&wait.result);

  /* The callbacks are the server's to list, by the access table, and to
   * record: asked of its API rather than of a cache. */
  if (func == cd_cli_callbacks)
    {
      prog = g_strdup_printf (PROG " %s", command);
      args = g_ptr_array_new ();
      g_ptr_array_add (args, prog);
      for (int j = i + 1; j < argc; j++)
        g_ptr_array_add (args, argv[j]);
      g_ptr_array_add (args, NULL);
      status = cd_cli_callbacks_run ((int) args->len - 1, (char **) args->pdata, client);
    }
  else
    {
      if (cache_path == NULL)
        cache_path = default_cache_path (cd_client_get_server_url (client), user);
      if (!update_cache (client, cache_path, &error))
        return cd_cli_db_fail (PROG, error->message);
    }

  /* The session is not needed any more: revoke it now rather than leave a
   * token valid until it expires. */
  wait.done = FALSE;
  cd_client_logout_async (client, NULL, store_result, &wait);
  run_until_done (&wait);
  cd_client_logout_finish (client, wait.result, NULL);
  g_clear_object (&wait.result);

  if (func == cd_cli_callbacks)
    return status;

  prog = g_strdup_printf (PROG " %s", command);
  args = g_ptr_array_new ();
  g_ptr_array_add (args, prog);
  for (int j = i + 1; j < argc; j++)
    g_ptr_array_add (args, argv[j]);
  g_ptr_array_add (args, (char *) "--db");
  g_ptr_array_add (args, cache_path);
  g_ptr_array_add (args, NULL);

  status = func ((int) args->len - 1, (char **) args->pdata);
  return status;
}
