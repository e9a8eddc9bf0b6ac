// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <stdio.h>

#include "cd-server.h"
#include "cd-demo-pbx.h"
#include "cd-server-demo.h"
#include "cd-server-notify.h"
#include "cd-server-queue-log.h"
#include "cd-store-recordings.h"
#include "cd-store-complaints.h"
#include "cd-store-demo.h"
#include "cd-locale.h"

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The temporary database's directory, with whatever SQLite made beside the
 * file (-wal, -shm, -journal). */
static void
remove_temp_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}

static void
replace (char       **slot,
         const char  *value)
{
  if (value == NULL)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdServerConfig) config = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdServer) server = NULL;
  g_autoptr(CdServerDemo) demo = NULL;
  g_autoptr(CdServerQueueLog) queue_log = NULL;
  g_autoptr(CdServerNotify) notify = NULL;
  CdServerRecordingsScan *recordings_scan = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *config_file = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *db = NULL;
  g_autofree char *read_db = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *queue_log_path = NULL;
  g_autofree char *recordings = NULL;
  g_autofree char *temp_dir = NULL;
  gboolean version = FALSE;
  gboolean demo_mode = FALSE;
  gboolean demo_exists = FALSE;
  int status = 2;
  double speed = 1.0;
  int history_days = 30;
  GSList *uris;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_file,
      N_("Read settings from this key file (group [server]); flags override it"), N_("FILE") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address to listen on (default 127.0.0.1:8080; port 0 picks a free port)"),
      N_("HOST:PORT") },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db,
      N_("The database: a SQLite file (created when missing) or a postgresql:// URI"), N_("FILE") },
    { "read-db", 0, 0, G_OPTION_ARG_STRING, &read_db,
      N_("A streaming replica of the PostgreSQL database, for the event feed and reads of tickets"),
      N_("URI") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with this PEM certificate"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("The certificate’s PEM private key"),
      N_("FILE") },
    { "queue-log", 0, 0, G_OPTION_ARG_FILENAME, &queue_log_path,
      N_("Follow this Asterisk queue_log: each call is journaled when it ends"), N_("FILE") },
    { "recordings", 0, 0, G_OPTION_ARG_FILENAME, &recordings,
      N_("Serve the call recordings in this folder (the PBX’s, read only)"), N_("DIR") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo_mode,
      N_("Serve the demo city (created when the database does not exist) and keep it alive"),
      NULL },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("How much faster than real time the demo city lives (default 1)"), N_("X") },
    { "history-days", 0, 0, G_OPTION_ARG_INT, &history_days,
      N_("Days of history a new demo city starts with (default 30)"), N_("DAYS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  cd_locale_init ();
  if (!cd_locale_check (&error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      g_clear_error (&error);
    }

  context = g_option_context_new (NULL);
  g_option_context_set_summary (
      context,
      _("The Citydesk server: tickets, SLA clocks and the event feed of a city contact center."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      return 2;
    }

  if (version)
    {
      printf ("citydesk-server %s\n", PACKAGE_VERSION);
      return 0;
    }

  config = cd_server_config_new ();
  if (config_file != NULL && !cd_server_config_load_file (config, config_file, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      return 2;
    }
  replace (&config->listen, listen);
  replace (&config->db, db);
  replace (&config->read_db, read_db);
  replace (&config->tls_cert, tls_cert);
  replace (&config->tls_key, tls_key);
  replace (&config->queue_log, queue_log_path);
  replace (&config->recordings, recordings);
  if (!cd_server_config_check (config, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      return 2;
    }
  if (demo_mode && (speed <= 0 || speed > 100000 || history_days < 1 || history_days > 3660))
    {
      fprintf (stderr, "citydesk-server: %s\n",
               _("--speed must be above 0 (at most 100000) and --history-days from 1 to 3660."));
      return 2;
    }

  if (config->db == NULL && demo_mode)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "citydesk", NULL);

      g_mkdir_with_parents (dir, 0700);
      /* Not demo.db: demo cities written before databases were marked as
       * demos are refused, and would stand in the way. */
      config->db = g_build_filename (dir, "demo-city.db", NULL);
    }
  else if (config->db == NULL)
    {
      /* Without a database the server still answers (version, login
       * refusals), on a throwaway file: nothing it is told is kept. */
      temp_dir = g_dir_make_tmp ("citydesk-server-XXXXXX", &error);
      if (temp_dir == NULL)
        {
          fprintf (stderr, "citydesk-server: %s\n", error->message);
          return 2;
        }
      config->db = g_build_filename (temp_dir, "citydesk.db", NULL);
      fprintf (stderr, "citydesk-server: %s\n",
               _("No --db given: using a temporary database that is deleted on exit."));
    }

  /* Before the "Listening on" line: a script that stops the server as
   * soon as it reads it must still have the temporary database deleted. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  demo_exists = g_file_test (config->db, G_FILE_TEST_EXISTS);
  if (demo_mode && demo_exists)
    {
      gboolean is_demo = FALSE;

      /* Before cd_store_open(), which would migrate the file: a real
       * database is left exactly as it was. */
      if (!cd_store_probe_demo (config->db, &is_demo, &error))
        {
          fprintf (stderr, "citydesk-server: %s\n", error->message);
          goto out;
        }
      if (!is_demo)
        {
          fprintf (stderr, "citydesk-server: ");
          fprintf (stderr,
                   _("--demo refused: “%s” is not a demo database. The demo adds accounts "
                      "whose passwords everyone knows, so it runs only on a database it created: "
                      "give --demo a new file (or no --db)."),
                   config->db);
          fprintf (stderr, "\n");
          goto out;
        }
    }
  store = cd_store_open (config->db, &error);
  if (store == NULL)
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      goto out;
    }
  /* A refusal's appeal notice in the residents' language, as their
   * notifications (docs/complaints.md). */
  cd_store_set_complaint_language (store, config->notify_language);

  /* A file filled by an import or `citydeskctl demo generate` holds
   * numbers the sequence has not handed out. */
  if (!cd_store_sync_numbers (store, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      goto out;
    }

  /* Another process holding the file locked must cost one request a
   * short wait and a 503, not stall every client behind it. */
  cd_store_set_busy_timeout (store, (int) MIN (config->db_busy_timeout, G_MAXINT));

  /* The demo tells its residents through a file beside the database. */
  if (demo_mode && config->notify_command == NULL && config->notify_webhook == NULL &&
      config->notify_file == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (config->db);

      config->notify_file = g_build_filename (dir, "demo-city.notifications", NULL);
    }

  /* The demo's recordings beside its database, as its queue_log. */
  if (demo_mode && config->recordings == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (config->db);

      config->recordings = g_build_filename (dir, "demo-city.recordings", NULL);
    }

  server = cd_server_new (store, config);
  if (config->read_db != NULL && !cd_server_set_read_db (server, config->read_db, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      goto out;
    }

  /* Before listening: a template with a mistake stops the server now,
   * not at the first message. */
  if ((notify = cd_server_notify_new (server, config, &error)) == NULL)
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      goto out;
    }

  if (demo_mode)
    {
      demo = cd_server_demo_new (server, speed);
      if (!demo_exists && !cd_server_demo_create (demo, history_days, &error))
        {
          fprintf (stderr, "citydesk-server: %s\n", error->message);
          goto out;
        }
      if (!demo_exists &&
          !cd_store_write_demo_recordings (store, config->recordings, 0,
                                           CD_DEMO_RECORDINGS_MAX, NULL, &error))
        {
          fprintf (stderr, "citydesk-server: %s\n", error->message);
          goto out;
        }
    }

  if (!cd_server_listen (server, config->listen, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      goto out;
    }

  uris = cd_server_get_uris (server);
  for (GSList *l = uris; l != NULL; l = l->next)
    {
      g_autofree char *text = g_uri_to_string (l->data);

      /* Tests and scripts read the port from this line: it stays first. */
      printf ("Listening on %s\n", text);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (demo != NULL)
    {
      if (!cd_server_demo_start (demo, &error))
        {
          fprintf (stderr, "citydesk-server: %s\n", error->message);
          goto out;
        }
      cd_server_demo_print_accounts (demo, stdout);
    }
  fflush (stdout);

  /* The demo's PBX writes a queue_log the server follows like a real
   * one's, unless another is named. */
  if (demo != NULL && config->queue_log == NULL)
    {
      config->queue_log = g_strdup (cd_server_demo_get_queue_log (demo));
      if (config->queue_wrapup == 0)
        config->queue_wrapup = CD_DEMO_PBX_WRAP_UP;
    }

  /* After the "Listening on" line, which stays first; a backlog is read
   * while the server already answers. */
  if (config->queue_log != NULL)
    {
      queue_log = cd_server_queue_log_new (server, config->queue_log);
      if (!cd_server_queue_log_start (queue_log, &error))
        {
          fprintf (stderr, "citydesk-server: %s\n", error->message);
          goto out;
        }
    }

  /* Like the queue_log's backlog: linked and analysed while the server
   * answers, the new files only. */
  recordings_scan = cd_server_recordings_scan_start (server);

  if (!cd_server_notify_start (notify, &error))
    {
      fprintf (stderr, "citydesk-server: %s\n", error->message);
      goto out;
    }

  g_main_loop_run (loop);

  status = 0;

out:
  g_clear_pointer (&recordings_scan, cd_server_recordings_scan_stop);
  g_clear_object (&notify);
  g_clear_object (&queue_log);
  g_clear_object (&demo);
  g_clear_object (&server);
  g_clear_object (&store);
  if (temp_dir != NULL)
    remove_temp_dir (temp_dir);
  return status;
}
