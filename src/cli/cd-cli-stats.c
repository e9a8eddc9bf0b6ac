// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-stats.c: citydeskctl stats, the dispatch figures */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"

static void
print_counts (const char *title,
              JsonObject *counts)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  printf ("%s\n", title);
  json_object_iter_init (&iter, counts);
  while (json_object_iter_next (&iter, &member, &node))
    printf ("  %-24s %8" G_GINT64_FORMAT "\n", member, json_node_get_int (node));
}

static void
print_rate (const char *label,
            JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    printf ("%-26s %s\n", label, _("n/a"));
  else
    printf ("%-26s %7.1f%%\n", label, 100.0 * json_node_get_double (node));
}

int
cd_cli_stats (int    argc,
              char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *db = NULL;
  g_autofree char *now_text = NULL;
  gboolean json = FALSE;
  gint64 now = 0;
  int status = CD_CLI_EXIT_OK;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("The time to judge by (default: now)"),
      N_("ISO8601") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE",
          _("Counts tickets by state, kind, category group and executor; on-time (no SLA "
             "clock breached), reopen, stale, overdue and mass-incident figures."),
          entries, 0, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  if ((stats = cd_store_get_stats (store, now, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (root, stats);
      cd_cli_db_print_json (root);
      return CD_CLI_EXIT_OK;
    }

  printf (_("Tickets: %" PRId64 "\n"), json_object_get_int_member (stats, "total"));
  print_counts (_("By state:"), json_object_get_object_member (stats, "by_state"));
  print_counts (_("By kind:"), json_object_get_object_member (stats, "by_kind"));
  print_counts (_("By category group:"),
                json_object_get_object_member (stats, "by_category_group"));

  printf ("%s\n", _("By executor (total, open, overdue, reopens):"));
  json_object_iter_init (&iter, json_object_get_object_member (stats, "by_executor"));
  while (json_object_iter_next (&iter, &member, &node))
    {
      JsonObject *e = json_node_get_object (node);

      printf ("  %-24s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT
              " %8" G_GINT64_FORMAT "\n",
              member, json_object_get_int_member (e, "total"),
              json_object_get_int_member (e, "open"), json_object_get_int_member (e, "overdue"),
              json_object_get_int_member (e, "reopens"));
    }

  print_rate (_("On time:"), stats, "on_time_rate");
  print_rate (_("Reopened:"), stats, "reopen_rate");
  printf ("%-26s %8" G_GINT64_FORMAT "\n", _("Overdue:"),
          json_object_get_int_member (stats, "overdue"));
  printf ("%-26s %8" G_GINT64_FORMAT "\n", _("Stale:"),
          json_object_get_int_member (stats, "stale"));
  printf ("%-26s %8" G_GINT64_FORMAT "\n", _("Not acknowledged:"),
          json_object_get_int_member (stats, "unacknowledged"));
  printf ("%-26s %8" G_GINT64_FORMAT "\n", _("Mass incidents:"),
          json_object_get_int_member (stats, "mass_incidents"));
  printf ("%-26s %8" G_GINT64_FORMAT "\n", _("Tickets in them:"),
          json_object_get_int_member (stats, "in_mass_incidents"));
  return CD_CLI_EXIT_OK;
}
