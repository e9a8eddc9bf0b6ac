// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl demo generate: writes the demo city's tickets into a store,
// every step through the same cd_store_append() the server uses, so the
// transition table checks each one and the hash chain covers them all.

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-demo-city.h"
#include "cd-store.h"

/* Events per transaction. */
#define BATCH 100000

typedef struct
{
  CdStore    *store;
  GHashTable *tickets;
  const CdDemoUser *users;
  const CdDemoExecutor *executors;
  const CdDemoBuilding *buildings;
  const CdDemoStreet *streets;
  const CdDemoDistrict *districts;
  CdSlaLibrary *sla;
  /* The model's mass incidents: index -> the number of its first ticket. */
  GHashTable *incidents;
  guint64     n_tickets;
  guint64     n_events;
  guint       in_batch;
} Writer;

static JsonObject *
registration (Writer             *w,
              const CdDemoTicket *t)
{
  JsonObject *o = json_object_new ();
  const CdDemoBuilding *b = &w->buildings[t->building];
  const CdDemoStreet *s = &w->streets[b->street];
  CdSlaPolicy *policy = cd_sla_library_choose (w->sla, t->kind, t->category, t->channel);

  json_object_set_string_member (o, "number", t->number);
  json_object_set_string_member (o, "kind", t->kind);
  json_object_set_string_member (o, "category", t->category);
  json_object_set_string_member (o, "channel", t->channel);
  json_object_set_string_member (o, "district", w->districts[s->district].name);
  json_object_set_string_member (o, "street", s->name);
  json_object_set_string_member (o, "building", b->number);
  if (t->flat != 0)
    {
      char flat[16];

      g_snprintf (flat, sizeof flat, "%u", t->flat);
      json_object_set_string_member (o, "flat", flat);
    }
  json_object_set_double_member (o, "lat", b->lat);
  json_object_set_double_member (o, "lon", b->lon);
  json_object_set_string_member (o, "name", t->resident_name);
  json_object_set_string_member (o, "phone", t->resident_phone);
  json_object_set_string_member (o, "description", t->description);
  if (policy != NULL)
    json_object_set_string_member (o, "policy", cd_sla_policy_get_id (policy));
  return o;
}

/* The resolution deadline under the ticket's policy: the latest deadline
 * of the targets that `resolve` stops, as the engine computes it for a
 * ticket registered at @arrival. */
static gint64
engine_due (const char *kind,
            const char *category,
            const char *channel,
            gint64      arrival,
            gpointer    user_data)
{
  Writer *w = user_data;
  CdSlaPolicy *policy = cd_sla_library_choose (w->sla, kind, category, channel);
  CdSlaEvent registered = { "register", arrival, "registered", NULL, 0, 0 };
  g_autoptr(CdSlaClocks) clocks = NULL;
  gint64 due = 0;

  if (policy == NULL ||
      (clocks = cd_sla_clock_evaluate (policy, cd_sla_library_get_calendars (w->sla),
                                       &registered, 1, arrival, NULL, NULL)) == NULL)
    return 0;
  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    {
      const CdSlaTarget *target = cd_sla_clocks_get_target (clocks, i);

      if (cd_sla_clocks_get_n_cycles (clocks, i) > 0 &&
          g_strv_contains ((const char * const *) target->stop, "resolve"))
        {
          gint64 d = cd_sla_clocks_get_cycle (clocks, i, 0)->due;

          if (d != CD_SLA_NEVER)
            due = MAX (due, d);
        }
    }
  return due;
}

static gboolean
write_step (CdDemoCity          *city,
            const CdDemoTicket  *t,
            const CdDemoStep    *step,
            gpointer             user_data,
            GError             **error)
{
  Writer *w = user_data;
  const CdDemoUser *user = &w->users[step->user];
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(CdEvent) event = NULL;
  CdTicket *ticket;
  guint index = step - t->steps;

  if (index == 0)
    {
      ticket = cd_ticket_new ();
      g_hash_table_insert (w->tickets, (gpointer) t, ticket);
      payload = registration (w, t);
      w->n_tickets++;
    }
  else
    {
      ticket = g_hash_table_lookup (w->tickets, t);
      payload = json_object_new ();
    }
  g_assert (ticket != NULL);

  if (step->executor >= 0)
    json_object_set_string_member (payload, "executor", w->executors[step->executor].id);
  if (step->note != NULL)
    json_object_set_string_member (payload, "note", step->note);
  if (user->executor >= 0 && g_str_equal (user->role, "executor"))
    json_object_set_string_member (payload, "org", w->executors[user->executor].id);
  if (step->relation != NULL)
    {
      json_object_set_string_member (payload, "relation", step->relation);
      json_object_set_string_member (payload, "target", t->repeat_of);
    }

  event = cd_event_new (t->id, step->action, user->login, user->role, step->time, payload);
  if (!cd_store_append (w->store, ticket, event, error))
    {
      g_prefix_error (error, _("Ticket %s, step “%s”: "), t->number, step->action);
      return FALSE;
    }
  w->n_events++;

  /* A ticket of one of the model's mass incidents (a flooded district, a
   * heating outage) is linked to it as the store links them at
   * registration. */
  if (index == 0 && t->incident != 0)
    {
      const char *first = g_hash_table_lookup (w->incidents, GUINT_TO_POINTER (t->incident));
      g_autoptr(JsonObject) link = json_object_new ();
      g_autoptr(CdEvent) linked = NULL;

      if (first == NULL)
        {
          first = g_strdup (t->number);
          g_hash_table_insert (w->incidents, GUINT_TO_POINTER (t->incident), (gpointer) first);
        }
      json_object_set_string_member (link, "relation", "incident");
      json_object_set_string_member (link, "target", first);
      linked = cd_event_new (t->id, "link", user->login, user->role, step->time, link);
      if (!cd_store_append (w->store, ticket, linked, error))
        {
          g_prefix_error (error, _("Ticket %s, incident link: "), t->number);
          return FALSE;
        }
      w->n_events++;
    }

  /* The model frees a ticket after its last step in the period. */
  if (index + 1 == t->n_steps || t->steps[index + 1].time >= cd_demo_city_get_end (city))
    g_hash_table_remove (w->tickets, t);

  if (++w->in_batch >= BATCH)
    {
      w->in_batch = 0;
      if (!cd_store_commit (w->store, error) || !cd_store_begin (w->store, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_end (const char  *text,
           gint64      *end,
           GError     **error)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, tz);

  if (dt == NULL)
    {
      /* A bare date: midnight in the city. */
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (midnight, tz);
    }
  if (dt == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an ISO 8601 date or time."), text);
      return FALSE;
    }
  *end = g_date_time_to_unix (dt);
  return TRUE;
}

static int
demo_generate (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *end_text = NULL;
  int days = 365, per_day = 1100;
  gint64 seed = 115;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file to create"), N_("FILE") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Days of history (365)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The random seed: the same seed gives the same city (115)"), N_("N") },
    { "tickets-per-day", 0, 0, G_OPTION_ARG_INT, &per_day, N_("Average tickets a day (1100)"), N_("N") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end_text, N_("The end of the period (last midnight in the city)"), N_("ISO8601") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdDemoCity) city = NULL;
  g_autoptr(GHashTable) tickets = NULL;
  g_autoptr(GHashTable) incidents = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  CdDemoOptions options;
  Writer w = { 0 };
  guint n;
  gint64 started;

  g_option_context_set_summary (context, _("Generate a deterministic demo city and its tickets."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }
  if (db == NULL)
    {
      fprintf (stderr, _("%s: --db FILE is required\n"), argv[0]);
      return CD_CLI_EXIT_ERROR;
    }

  store = cd_store_open (db, &error);
  if (store == NULL || (w.sla = cd_store_get_sla_library (store, &error)) == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }

  cd_demo_options_init (&options);
  options.due_func = engine_due;
  options.due_data = &w;
  options.seed = (guint64) seed;
  options.days = days > 0 ? (guint) days : 0;
  options.tickets_per_day = per_day > 0 ? (guint) per_day : 0;
  if (end_text != NULL && !parse_end (end_text, &options.end, &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }

  city = cd_demo_city_new (&options, &error);
  if (city == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }

  if (cd_store_get_last_seq (store, &error) != 0 || error != NULL)
    {
      if (error == NULL)
        fprintf (stderr, _("%s: “%s” already holds events; the demo city needs a new file\n"), argv[0], db);
      else
        fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }

  tickets = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) cd_ticket_unref);
  incidents = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  w.incidents = incidents;
  w.store = store;
  w.tickets = tickets;
  w.users = cd_demo_city_get_users (city, &n);
  w.executors = cd_demo_city_get_executors (city, &n);
  w.buildings = cd_demo_city_get_buildings (city, &n);
  w.streets = cd_demo_city_get_streets (city, &n);
  w.districts = cd_demo_city_get_districts (city, &n);

  started = g_get_monotonic_time ();
  cd_store_set_bulk (store, TRUE);
  if (!cd_store_begin (store, &error) ||
      !cd_demo_city_generate (city, write_step, &w, &error) ||
      !cd_store_commit (store, &error))
    {
      cd_store_rollback (store);
      cd_store_set_bulk (store, FALSE);
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }
  cd_store_set_bulk (store, FALSE);

  from = g_date_time_new_from_unix_utc (cd_demo_city_get_start (city));
  to = g_date_time_new_from_unix_utc (cd_demo_city_get_end (city));
  from_text = g_date_time_format_iso8601 (from);
  to_text = g_date_time_format_iso8601 (to);
  /* Translators: the counts, the file, the period, the seconds taken. */
  printf (_("Generated %" G_GUINT64_FORMAT " tickets and %" G_GUINT64_FORMAT " events into %s "
            "(%s to %s) in %.1f s\n"),
          w.n_tickets, w.n_events, db, from_text, to_text,
          (g_get_monotonic_time () - started) / 1e6);
  return CD_CLI_EXIT_OK;
}

/**
 * cd_cli_demo:
 * @argc: the argument count
 * @argv: "citydeskctl demo", then the subcommand and its options
 *
 * Returns: the exit status
 */
int
cd_cli_demo (int    argc,
             char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *stream = argc < 2 ? stderr : stdout;

      fprintf (stream, "%s\n", _("Usage: citydeskctl demo generate --db FILE [--days N] [--seed N] [--tickets-per-day N] [--end ISO8601]"));
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }

  if (!g_str_equal (argv[1], "generate"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s”\n"), argv[0], argv[1]);
      return CD_CLI_EXIT_ERROR;
    }

  prog = g_strdup_printf ("%s generate", argv[0]);
  argv[1] = prog;
  return demo_generate (argc - 1, argv + 1);
}
