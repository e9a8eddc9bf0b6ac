// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-tickets.c: citydeskctl tickets, listing tickets by state,
 * executor, overdue and stale */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-format.h"
#include "cd-monitor.h"
#include "cd-store-overdue.h"
#include "cd-store-search.h"

static void
print_summary (JsonObject *summary)
{
  static const struct {
    const char *member;
    const char *label;
  } tiles[] = {
    { "breached", N_("Breached now") },
    { "at_risk", N_("At risk within the hour") },
    { "stale", N_("Stale") },
    { "reopened", N_("Reopened this week") },
  };
  static const struct {
    const char *member;
    const char *title;
  } dimensions[] = {
    { "executor", N_("By executor") },
    { "district", N_("By district") },
    { "category", N_("By category") },
  };
  JsonObject *counts = json_object_get_object_member (summary, "tiles");
  JsonObject *breakdown = json_object_get_object_member (summary, "breakdown");

  printf ("%-26s %8" G_GINT64_FORMAT "\n", _("Open"), json_object_get_int_member (summary, "open"));
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    printf ("%-26s %8" G_GINT64_FORMAT "\n", _(tiles[i].label),
            json_object_get_int_member (counts, tiles[i].member));

  for (guint d = 0; d < G_N_ELEMENTS (dimensions); d++)
    {
      JsonArray *groups = json_object_get_array_member (breakdown, dimensions[d].member);

      printf ("\n%s\n", _(dimensions[d].title));
      /* Translators: column headings of the overdue breakdown. */
      printf ("  %-22s %8s %8s  %-16s %s\n", "", _("open"), _("overdue"), _("worst"), _("on time"));
      for (guint i = 0; i < json_array_get_length (groups); i++)
        {
          JsonObject *g = json_array_get_object_element (groups, i);
          const char *key = json_object_get_string_member (g, "key");
          gint64 worst = json_object_get_int_member (g, "worst_overdue");
          g_autofree char *worst_text = worst > 0 ? cd_format_duration (worst) : g_strdup ("-");
          g_autofree char *share = NULL;

          if (json_node_is_null (json_object_get_member (g, "on_time_share")))
            share = g_strdup ("-");
          else
            share = g_strdup_printf ("%.1f%%",
                                     100.0 * json_object_get_double_member (g, "on_time_share"));
          printf ("  %-22s %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT "  %-16s %s\n",
                  *key != '\0' ? key : _("(none)"),
                  json_object_get_int_member (g, "open"),
                  json_object_get_int_member (g, "overdue"),
                  worst_text, share);
        }
    }
  printf ("\n");
}

int
cd_cli_tickets (int    argc,
                char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autofree char *db = NULL;
  g_autofree char *state = NULL;
  g_autofree char *executor = NULL;
  g_autofree char *now_text = NULL;
  gboolean overdue = FALSE, stale = FALSE, unacknowledged = FALSE, open_only = FALSE, json = FALSE;
  int limit = 0;
  int status = CD_CLI_EXIT_OK;
  CdTicketFilter query = { 0 };
  CdTicketState parsed;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("Only tickets in this state"), N_("STATE") },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open_only, N_("Only open tickets"), NULL },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only overdue tickets, worst first"), NULL },
    { "stale", 0, 0, G_OPTION_ARG_NONE, &stale,
      N_("Only tickets with nothing from their executor for longer than their category allows"),
      NULL },
    { "unacknowledged", 0, 0, G_OPTION_ARG_NONE, &unacknowledged,
      N_("Only assigned tickets the executor has not accepted in time"), NULL },
    { "executor", 0, 0, G_OPTION_ARG_STRING, &executor, N_("Only this executor’s tickets"),
      N_("EXECUTOR") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("The time to judge by (default: now)"),
      N_("ISO8601") },
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
  if (overdue && stale)
    return cd_cli_db_fail (argv[0],
                           _("--overdue and --stale list different tickets: give one of them"));

  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  query.state = state;
  query.executor = executor;
  query.open_only = open_only || overdue || stale;
  query.tile = overdue ? CD_OVERDUE_TILE_BREACHED
               : stale ? CD_OVERDUE_TILE_STALE
                       : CD_OVERDUE_TILE_NONE;
  query.unacknowledged = unacknowledged;
  tickets = cd_store_list_tickets (store, &query, (guint) limit, &error);
  if (tickets == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  /* The overdue dashboard's tiles and breakdown, from the function the
   * desktop uses, so that both say the same for the same moment. */
  if (overdue && (summary = cd_store_overdue_summary (store, query.now, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (summary != NULL ? JSON_NODE_OBJECT
                                                                 : JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (tickets->len);

      for (guint i = 0; i < tickets->len; i++)
        {
          CdTicket *t = g_ptr_array_index (tickets, i);
          JsonObject *object = cd_ticket_to_json (t);

          json_object_set_boolean_member (object, "overdue", cd_monitor_is_overdue (t, query.now));
          json_object_set_boolean_member (object, "stale", cd_monitor_is_stale (t, query.now));
          json_object_set_boolean_member (object, "unacknowledged",
                                          cd_monitor_is_unacknowledged (t, query.now));
          json_array_add_object_element (array, object);
        }
      if (summary != NULL)
        {
          /* With --overdue: {"now":…,"tiles":…,"breakdown":…,"tickets":[…]} */
          json_object_set_array_member (summary, "tickets", array);
          json_node_set_object (node, summary);
        }
      else
        json_node_take_array (node, array);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }

  if (summary != NULL)
    print_summary (summary);
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
