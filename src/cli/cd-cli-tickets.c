// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-tickets.c: citydeskctl tickets, listing tickets by state,
 * executor, overdue and stale */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-monitor.h"

int
cd_cli_tickets (int    argc,
                char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autofree char *db = NULL;
  g_autofree char *state = NULL;
  g_autofree char *executor = NULL;
  g_autofree char *now_text = NULL;
  gboolean overdue = FALSE, stale = FALSE, unacknowledged = FALSE, open_only = FALSE, json = FALSE;
  int limit = 0;
  int status = CD_CLI_EXIT_OK;
  CdTicketQuery query = { 0 };
  CdTicketState parsed;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("Only tickets in this state"), N_("STATE") },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_("Only open tickets"), NULL },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only overdue tickets, worst first"), NULL },
    { "stale", 0, 0, G_OPTION_ARG_NONE, &stale, N_("Only tickets with no event for longer than their category allows"), NULL },
    { "unacknowledged", 0, 0, G_OPTION_ARG_NONE, &unacknowledged, N_("Only assigned tickets the executor has not accepted in time"), NULL },
    { "executor", 0, 0, G_OPTION_ARG_STRING, &executor, N_("Only this executor’s tickets"), N_("EXECUTOR") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("The time to judge by (default: now)"), N_("ISO8601") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE",
                        _("Lists tickets, filtered by state, executor, overdue or stale."),
                        entries, 0, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &query.now, &status))
    return status;

  if (state != NULL && !cd_ticket_state_from_string (state, &parsed))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a ticket state (--state)"), state);

      return cd_cli_db_fail (argv[0], message);
    }
  if (limit < 0)
    return cd_cli_db_fail (argv[0], _("--limit must not be negative"));

  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  query.state = state;
  query.executor = executor;
  query.open_only = open_only;
  query.overdue = overdue;
  query.stale = stale;
  query.unacknowledged = unacknowledged;
  query.limit = limit;
  tickets = cd_store_list_tickets (store, &query, &error);
  if (tickets == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (tickets->len);

      for (guint i = 0; i < tickets->len; i++)
        {
          CdTicket *t = g_ptr_array_index (tickets, i);
          JsonObject *object = cd_ticket_to_json (t);

          json_object_set_boolean_member (object, "overdue", cd_monitor_is_overdue (t, query.now));
          json_object_set_boolean_member (object, "stale", cd_monitor_is_stale (t, query.now));
          json_object_set_boolean_member (object, "unacknowledged", cd_monitor_is_unacknowledged (t, query.now));
          json_array_add_object_element (array, object);
        }
      json_node_take_array (node, array);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < tickets->len; i++)
    {
      CdTicket *t = g_ptr_array_index (tickets, i);
      g_autofree char *due = cd_cli_db_format_time (t->due_at);
      g_autofree char *address = g_strdup_printf ("%s, %s %s", t->district, t->street, t->building);

      printf ("%s  %-18s  %-18s  %-16s  %-14s  %s%s%s\n",
              t->number, cd_ticket_state_to_string (t->state), t->category,
              t->executor != NULL ? t->executor : "-", due, address,
              cd_monitor_is_stale (t, query.now) ? _("  [stale]") : "",
              cd_monitor_is_unacknowledged (t, query.now) ? _("  [not acknowledged]") : "");
    }
  if (tickets->len == 0)
    printf ("%s\n", _("No tickets."));
  return CD_CLI_EXIT_OK;
}
