// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-ticket.c: citydeskctl ticket register|show|act */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-dispatch.h"
#include "cd-format.h"
#include "cd-monitor.h"

static void
set_if (JsonObject *object,
        const char *member,
        const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
}

static int
ticket_register (int    argc,
                 char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *db = NULL, *kind = NULL, *category = NULL, *district = NULL;
  g_autofree char *street = NULL, *building = NULL, *flat = NULL, *phone = NULL;
  g_autofree char *name = NULL, *description = NULL, *channel = NULL, *executor = NULL;
  g_autofree char *role = NULL, *actor = NULL, *now_text = NULL, *policy = NULL;
  g_autofree char *about = NULL;
  gboolean json = FALSE;
  gint64 now = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database (created when missing)"),
      N_("FILE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      N_("emergency, routine, paid, complaint or information"), N_("KIND") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("A category such as housing.heating"),
      N_("CATEGORY") },
    { "district", 0, 0, G_OPTION_ARG_STRING, &district, N_("The district"), N_("DISTRICT") },
    { "street", 0, 0, G_OPTION_ARG_STRING, &street, N_("The street"), N_("STREET") },
    { "building", 0, 0, G_OPTION_ARG_STRING, &building, N_("The building"), N_("BUILDING") },
    { "flat", 0, 0, G_OPTION_ARG_STRING, &flat, N_("The flat"), N_("FLAT") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("The resident’s phone"), N_("PHONE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The resident’s name"), N_("NAME") },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, N_("What is wrong"), N_("TEXT") },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel, N_("How it came in (default: phone)"),
      N_("CHANNEL") },
    { "executor", 0, 0, G_OPTION_ARG_STRING, &executor,
      N_("Assign to this executor instead of routing"), N_("EXECUTOR") },
    { "policy", 0, 0, G_OPTION_ARG_STRING, &policy,
      N_("The SLA policy (default: the one whose rules match best)"), N_("ID") },
    { "about", 0, 0, G_OPTION_ARG_STRING, &about,
      N_("For a complaint: the ticket (its number) or the call (its id, PBX id or journal "
         "number) it is about"), N_("NUMBER") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &role, N_("The role to act in (default: operator)"),
      N_("ROLE") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who registers"), N_("NAME") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("The time of registration (default: now)"),
      N_("ISO8601") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE --kind K --category C --district D --street S --building B",
          _("Registers a ticket: the next number of the year, routing, and repeats."), entries, 0,
          &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status) ||
      (store = cd_cli_db_open (argv[0], db, FALSE, &status)) == NULL)
    return status;

  set_if (fields, "kind", kind);
  set_if (fields, "category", category);
  set_if (fields, "district", district);
  set_if (fields, "street", street);
  set_if (fields, "building", building);
  set_if (fields, "flat", flat);
  set_if (fields, "phone", phone);
  set_if (fields, "name", name);
  set_if (fields, "description", description);
  set_if (fields, "channel", channel);
  set_if (fields, "executor", executor);
  set_if (fields, "policy", policy);
  set_if (fields, "about", about);

  ticket = cd_store_register (store, fields, actor != NULL ? actor : g_get_user_name (),
                              role != NULL ? role : "operator", now, &error);
  if (ticket == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, cd_ticket_to_json (ticket));
      cd_cli_db_print_json (node);
    }
  else
    printf ("%s\n", ticket->number);
  return CD_CLI_EXIT_OK;
}

static char *
format_instant (gint64 t)
{
  if (t == CD_SLA_NEVER || t == CD_SLA_NEVER_BEFORE || t == 0)
    return g_strdup ("-");
  return cd_cli_db_format_time (t);
}

static void
set_instant (JsonObject *object,
             const char *member,
             gint64      t)
{
  if (t == CD_SLA_NEVER || t == CD_SLA_NEVER_BEFORE)
    json_object_set_null_member (object, member);
  else
    json_object_set_int_member (object, member, t);
}

/* Each target's last cycle, as the SLA engine judges it at now. */
static JsonArray *
clocks_to_json (CdSlaClocks *clocks)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; clocks != NULL && i < cd_sla_clocks_get_n_targets (clocks); i++)
    {
      const CdSlaTarget *target = cd_sla_clocks_get_target (clocks, i);
      guint n = cd_sla_clocks_get_n_cycles (clocks, i);
      const CdSlaCycle *c = n > 0 ? cd_sla_clocks_get_cycle (clocks, i, n - 1) : NULL;
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "target", target->name);
      json_object_set_string_member (o, "state",
                                     cd_sla_clock_state_to_string (
                                         cd_sla_clocks_get_state (clocks, i)));
      json_object_set_int_member (o, "cycles", n);
      if (c != NULL)
        {
          json_object_set_int_member (o, "elapsed", c->elapsed);
          json_object_set_int_member (o, "remaining", c->remaining);
          set_instant (o, "due", c->due);
          set_instant (o, "at_risk", c->at_risk_from);
        }
      else
        {
          json_object_set_null_member (o, "elapsed");
          json_object_set_null_member (o, "remaining");
          json_object_set_null_member (o, "due");
          json_object_set_null_member (o, "at_risk");
        }
      json_array_add_object_element (array, o);
    }
  return array;
}

static void
print_clocks (CdTicket    *t,
              CdSlaClocks *clocks)
{
  if (clocks == NULL)
    {
      printf ("%s\n", _("Clocks:    none (no SLA policy applies)"));
      return;
    }
  printf (_("Clocks (policy %s):\n"), t->policy);
  printf ("  %-16s %-9s %-12s %-12s %-26s %s\n", _("target"), _("state"), _("elapsed"),
          _("remaining"), _("due"), _("at risk"));
  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    {
      const CdSlaTarget *target = cd_sla_clocks_get_target (clocks, i);
      guint n = cd_sla_clocks_get_n_cycles (clocks, i);
      const CdSlaCycle *c = n > 0 ? cd_sla_clocks_get_cycle (clocks, i, n - 1) : NULL;
      g_autofree char *elapsed = c != NULL ? cd_format_duration (c->elapsed) : g_strdup ("-");
      g_autofree char *remaining = c != NULL ? cd_format_duration (c->remaining) : g_strdup ("-");
      g_autofree char *due = format_instant (c != NULL ? c->due : CD_SLA_NEVER);
      g_autofree char *at_risk = format_instant (c != NULL ? c->at_risk_from : CD_SLA_NEVER);

      printf ("  %-16s %-9s %-12s %-12s %-26s %s\n", target->name,
              cd_sla_clock_state_to_string (cd_sla_clocks_get_state (clocks, i)),
              elapsed, remaining, due, at_risk);
    }
}

static void
print_ticket (CdTicket    *t,
              GPtrArray   *events,
              CdSlaClocks *clocks,
              GPtrArray   *incident,
              GPtrArray   *repeats)
{
  g_autofree char *created = cd_cli_db_format_time (t->created_at);
  g_autofree char *due = cd_cli_db_format_time (t->due_at);

  printf (_("Ticket %s (%s)\n"), t->number, t->id);
  printf (_("State:     %s\n"), cd_ticket_state_to_string (t->state));
  printf (_("Kind:      %s\n"), cd_ticket_kind_to_string (t->kind));
  printf (_("Category:  %s\n"), t->category);
  printf (_("Address:   %s, %s %s%s%s\n"), t->district, t->street, t->building,
          t->flat != NULL ? ", " : "", t->flat != NULL ? t->flat : "");
  if (t->resident_name != NULL || t->resident_phone != NULL)
    printf (_("Resident:  %s %s\n"), t->resident_name != NULL ? t->resident_name : "",
            t->resident_phone != NULL ? t->resident_phone : "");
  if (t->description != NULL)
    printf (_("Problem:   %s\n"), t->description);
  printf (_("Executor:  %s\n"), t->executor != NULL ? t->executor : "-");
  printf (_("Registered: %s   Due: %s   Reopened: %u times\n"), created,
          t->due_at != 0 ? due : "-", t->reopen_count);
  if (t->repeat_of != NULL)
    printf (_("Repeat of: %s\n"), t->repeat_of);
  if (t->duplicate_of != NULL)
    printf (_("Duplicate of: %s\n"), t->duplicate_of);
  if (t->notice != NULL)
    printf (_("Notice:    %s\n"), t->notice);
  if (t->incident != NULL)
    printf (_("Mass incident: %s (%u tickets)\n"), t->incident,
            incident != NULL ? incident->len : 0);
  if (repeats != NULL && repeats->len > 1)
    {
      printf (_("At this building, same category: %u tickets:"), repeats->len);
      for (guint i = 0; i < repeats->len; i++)
        printf (" %s", ((CdTicket *) repeats->pdata[i])->number);
      printf ("\n");
    }
  print_clocks (t, clocks);

  printf ("%s\n", _("History:"));
  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *e = g_ptr_array_index (events, i);
      g_autofree char *when = cd_cli_db_format_time (e->time);

      printf ("  %6" G_GINT64_FORMAT "  %s  %-17s %s (%s)  %s\n",
              e->seq, when, e->type, e->actor, e->role, e->payload);
    }
}

static int
ticket_show (int    argc,
             char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GPtrArray) incident = NULL;
  g_autoptr(GPtrArray) repeats = NULL;
  g_autofree char *db = NULL, *now_text = NULL;
  CdSlaLibrary *library;
  gboolean json = FALSE;
  gint64 now = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("Judge the clocks at this time (default: now)"), N_("ISO8601") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE NUMBER",
          _("Shows a ticket: its state, details, SLA clocks, mass incident, repeats and history."),
          entries, 1, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  if ((ticket = cd_store_load_ticket (store, argv[1], &error)) == NULL ||
      (events = cd_store_list_events (store, ticket->id, 0, 0, &error)) == NULL ||
      !cd_store_load_history (store, ticket, &error) ||
      (library = cd_store_get_sla_library (store, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  clocks = cd_sla_library_evaluate (library, ticket, now, &error);
  if (error != NULL)
    return cd_cli_db_fail (argv[0], error->message);
  if ((ticket->incident != NULL &&
       (incident = cd_store_list_incident (store, ticket->incident, &error)) == NULL) ||
      (repeats = cd_store_list_repeats (store, ticket, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree CdSlaEvent *sla = NULL;
      JsonObject *object = json_object_new ();
      JsonArray *history = json_array_new ();
      JsonArray *sla_events = json_array_new ();
      guint n_sla;

      json_object_set_object_member (object, "ticket", cd_ticket_to_json (ticket));
      for (guint i = 0; i < events->len; i++)
        json_array_add_object_element (history, cd_event_to_json (g_ptr_array_index (events, i)));
      json_object_set_array_member (object, "history", history);

      sla = cd_ticket_to_sla_events ((CdEvent * const *) events->pdata, events->len, &n_sla);
      for (guint i = 0; i < n_sla; i++)
        {
          JsonObject *e = json_object_new ();

          json_object_set_string_member (e, "type", sla[i].type);
          json_object_set_int_member (e, "time", sla[i].time);
          json_object_set_string_member (e, "state", sla[i].state);
          if (sla[i].target != NULL)
            {
              json_object_set_string_member (e, "target", sla[i].target);
              json_object_set_int_member (e, "extend_seconds", sla[i].extend_seconds);
              json_object_set_int_member (e, "extend_days", sla[i].extend_days);
            }
          json_array_add_object_element (sla_events, e);
        }
      json_object_set_array_member (object, "sla_events", sla_events);
      json_object_set_int_member (object, "now", now);
      if (clocks != NULL)
        json_object_set_array_member (object, "clocks", clocks_to_json (clocks));
      else
        json_object_set_null_member (object, "clocks");
      if (incident != NULL)
        {
          JsonArray *members = json_array_new ();

          for (guint i = 0; i < incident->len; i++)
            json_array_add_string_element (members, ((CdTicket *) incident->pdata[i])->number);
          json_object_set_array_member (object, "incident_tickets", members);
        }
      {
        JsonArray *series = json_array_new ();

        for (guint i = 0; i < repeats->len; i++)
          json_array_add_string_element (series, ((CdTicket *) repeats->pdata[i])->number);
        json_object_set_array_member (object, "repeats", series);
      }
      json_node_take_object (node, object);
      cd_cli_db_print_json (node);
    }
  else
    print_ticket (ticket, events, clocks, incident, repeats);
  return CD_CLI_EXIT_OK;
}

static int
ticket_act (int    argc,
            char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *db = NULL, *role = NULL, *actor = NULL, *note = NULL, *executor = NULL;
  g_autofree char *target = NULL, *relation = NULL, *now_text = NULL, *org = NULL;
  g_autofree char *klass = NULL, *responsible = NULL, *decision = NULL, *favour = NULL;
  g_autofree char *reasons = NULL, *cause = NULL, *group = NULL, *due = NULL;
  gint64 now = 0;
  int days = 0, seconds = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &role, N_("The role to act in"), N_("ROLE") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who acts (default: the user)"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note: the reason, the comment"), N_("TEXT") },
    { "executor", 0, 0, G_OPTION_ARG_STRING, &executor, N_("The executor, for assign"),
      N_("EXECUTOR") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org,
      N_("The actor’s organization; required with --as executor, which acts only on its "
         "organization’s tickets"), N_("ORG") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target,
      N_("The SLA target (extend) or the linked ticket (link)"), N_("TARGET") },
    { "relation", 0, 0, G_OPTION_ARG_STRING, &relation,
      N_("repeat_of, duplicate_of, notice, incident or about, for link"), N_("RELATION") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Days of extension"), N_("N") },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, N_("Seconds of extension"), N_("N") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &klass, N_("A complaint’s class, for classify"),
      N_("A|B|C") },
    { "responsible", 0, 0, G_OPTION_ARG_STRING, &responsible,
      N_("The person responsible for a complaint, for classify"), N_("NAME") },
    { "decision", 0, 0, G_OPTION_ARG_STRING, &decision,
      N_("upheld, partly_upheld or refused, for answer"), N_("DECISION") },
    { "favour", 0, 0, G_OPTION_ARG_STRING, &favour,
      N_("In whose favour: resident or organization, for answer"), N_("FAVOUR") },
    { "reasons", 0, 0, G_OPTION_ARG_STRING, &reasons,
      N_("The reasons of a refusal, for answer"), N_("TEXT") },
    { "cause", 0, 0, G_OPTION_ARG_STRING, &cause,
      N_("The systemic cause of a complaint, for classify"), N_("TEXT") },
    { "group", 0, 0, G_OPTION_ARG_STRING, &group,
      N_("The group of complaints a proposal is for (e.g. address:Lenina 5), for propose"),
      N_("GROUP") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("By when, for propose"), N_("ISO8601") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("The time of the action (default: now)"),
      N_("ISO8601") },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE NUMBER ACTION --as ROLE [--org ORG]",
          _("Takes one action of the transition table. A refused action exits 2 "
             "with the rule that refused it, and changes nothing. An executor names "
             "its organization with --org and may act only on tickets assigned to it."),
          entries, 2, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status))
    return status;
  if (role == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --as (see --help)"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  set_if (payload, "note", note);
  set_if (payload, "executor", executor);
  set_if (payload, "target", target);
  set_if (payload, "relation", relation);
  set_if (payload, "org", org);
  set_if (payload, "class", klass);
  set_if (payload, "responsible", responsible);
  set_if (payload, "decision", decision);
  set_if (payload, "favour", favour);
  set_if (payload, "reasons", reasons);
  set_if (payload, "cause", cause);
  set_if (payload, "group", group);
  set_if (payload, "due", due);
  if (days != 0)
    json_object_set_int_member (payload, "days", days);
  if (seconds != 0)
    json_object_set_int_member (payload, "seconds", seconds);

  ticket = cd_store_act (store, argv[1], argv[2], actor != NULL ? actor : g_get_user_name (),
                         role, payload, now, &error);
  if (ticket == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  printf ("%s %s\n", ticket->number, cd_ticket_state_to_string (ticket->state));
  return CD_CLI_EXIT_OK;
}

int
cd_cli_ticket (int    argc,
               char **argv)
{
  static const struct {
    const char *name;
    CdCliCommandFunc func;
  } subcommands[] = {
    { "register", ticket_register },
    { "show", ticket_show },
    { "act", ticket_act },
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        {
          g_autofree char *prog = g_strdup_printf ("%s %s", argv[0], argv[1]);

          argv[1] = prog;
          return subcommands[i].func (argc - 1, argv + 1);
        }

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("%s\n", _("Usage: citydeskctl ticket register|show|act [OPTION…]"));
      return CD_CLI_EXIT_OK;
    }
  fprintf (stderr, "%s\n", _("Usage: citydeskctl ticket register|show|act [OPTION…]"));
  return CD_CLI_EXIT_ERROR;
}
