// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl notifications list, retry: the queue of messages to
// residents as the supervisor sees it, and a failed message put back in it
// (docs/notifications.md).

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-store-notifications.h"

/* The command line with --db reads the database file itself, as its
 * administrator: the residents' phones are shown whole. */
#define CLI_READER_ROLE "admin"

static int
notifications_list (int    argc,
                    char **argv)
{
  g_autofree char *db = NULL, *state_text = NULL;
  gboolean json = FALSE;
  int limit = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state_text,
      N_("Only these: pending, sending, sent or failed"), N_("STATE") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many, newest first"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  CdNotificationState state = CD_NOTIFICATION_PENDING;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE [--state STATE] [--limit N] [--json]",
                        _("The messages to residents, newest first: their ticket, state, "
                          "tries and last error. The phones are shown whole: the database’s "
                          "reader is its administrator."),
                        entries, 0, &status))
    return status;
  if (state_text != NULL && !cd_notification_state_from_string (state_text, &state))
    return cd_cli_db_fail (argv[0], _("--state must be pending, sending, sent or failed"));
  if (limit < 0)
    return cd_cli_db_fail (argv[0], _("--limit must be a positive number"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_list_notifications (store, state_text != NULL ? (int) state : -1,
                                    CLI_READER_ROLE, (guint) limit, &rows, &error))
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < rows->len; i++)
        json_array_add_object_element (array, cd_notification_to_json (rows->pdata[i]));
      json_node_take_array (root, array);
      cd_cli_db_print_json (root);
      return CD_CLI_EXIT_OK;
    }
  if (rows->len == 0)
    {
      printf ("%s\n", _("No notifications."));
      return CD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const CdNotification *n = rows->pdata[i];
      g_autofree char *at = cd_cli_db_format_time (n->created_at);

      /* Translators: a notification: its id, when its event happened, the
       * ticket, the template (resolved, closed), the channel and
       * recipient, its state, the tries made, and the last error. */
      printf (_("%" PRId64 "  %s  %s  %s  %s %s  %s  tries %u%s%s\n"), n->id, at,
              n->ticket->number, n->kind, n->channel, n->recipient != NULL ? n->recipient : "-",
              cd_notification_state_to_string (n->state), n->attempts,
              n->last_error != NULL ? "  " : "", n->last_error != NULL ? n->last_error : "");
    }
  return CD_CLI_EXIT_OK;
}

static int
notifications_retry (int    argc,
                     char **argv)
{
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { NULL }
  };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint64 id;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE ID",
                        _("Puts a failed message back in the queue, due now, for one more "
                          "try under the same key; the server sends it within a second."),
                        entries, 1, &status))
    return status;
  if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &id, NULL))
    return cd_cli_db_fail (argv[0], _("ID must be a notification’s number"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_retry_notification (store, (gint64) id, g_get_real_time () / G_USEC_PER_SEC,
                                    &error))
    return cd_cli_db_fail (argv[0], error->message);
  printf ("%" G_GUINT64_FORMAT " pending\n", id);
  return CD_CLI_EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n%s\n",
           _("Usage: citydeskctl notifications list --db FILE [--state STATE] [--limit N] "
             "[--json]"),
           _("       citydeskctl notifications retry --db FILE ID"));
}

int
cd_cli_notifications (int    argc,
                      char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  if (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "retry"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s” (known: list, retry)\n"), argv[0],
               argv[1]);
      return CD_CLI_EXIT_ERROR;
    }
  prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if (g_str_equal (argv[1], "retry"))
    {
      argv[1] = prog;
      return notifications_retry (argc - 1, argv + 1);
    }
  argv[1] = prog;
  return notifications_list (argc - 1, argv + 1);
}
