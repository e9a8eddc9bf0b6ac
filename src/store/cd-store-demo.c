// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-demo.c: the demo city of cd-demo-city.h, written into a store
 *
 * Every step goes through the same cd_store_append() the server uses, so
 * the transition table checks each one and the hash chain covers them all.
 * Steps up to "now" are written at once (in bulk); later ones are kept in
 * time order for cd_store_demo_advance(), which the server's --demo calls
 * as its simulated clock moves, so that tickets keep arriving at the
 * model's hourly rate and executors keep working on them.
 *
 * Tickets registered while the city lives take the store's next number
 * (someone may have registered tickets through the API meanwhile); links
 * to them follow the renumbering.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-demo-names.h"
#include "cd-sla-library.h"
#include "cd-store-demo.h"
#include "cd-store-private.h"
#include "cd-store-reference.h"
#include "cd-store-users.h"

/* Events per transaction while writing the history. */
#define BATCH 100000

typedef struct
{
  gint64      time;
  char       *entity;
  char       *number;
  char       *action;
  char       *actor;
  char       *role;
  JsonObject *payload;
  /* The model's mass incident a registration belongs to, or 0. */
  guint       incident;
} PendingStep;

struct _CdStoreDemo
{
  CdStore    *store;
  CdDemoCity *city;
  gint64      now;
  gboolean    write_history;
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

  /* Steps after @now, in time order, and the next one to write. */
  GPtrArray  *pending;
  guint       next;
  /* The model's numbers of live tickets -> the numbers they were given. */
  GHashTable *renumbered;
};

static void
pending_step_free (PendingStep *step)
{
  g_free (step->entity);
  g_free (step->number);
  g_free (step->action);
  g_free (step->actor);
  g_free (step->role);
  g_clear_pointer (&step->payload, json_object_unref);
  g_free (step);
}

static JsonObject *
registration (CdStoreDemo        *self,
              const CdDemoTicket *t)
{
  JsonObject *o = json_object_new ();
  const CdDemoBuilding *b = &self->buildings[t->building];
  const CdDemoStreet *s = &self->streets[b->street];
  CdSlaPolicy *policy = cd_sla_library_choose (self->sla, t->kind, t->category, t->channel);

  json_object_set_string_member (o, "number", t->number);
  json_object_set_string_member (o, "kind", t->kind);
  json_object_set_string_member (o, "category", t->category);
  json_object_set_string_member (o, "channel", t->channel);
  json_object_set_string_member (o, "district", self->districts[s->district].name);
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
 * ticket registered at @arrival. The model aims its on-time share at it. */
static gint64
engine_due (const char *kind,
            const char *category,
            const char *channel,
            gint64      arrival,
            gpointer    user_data)
{
  CdStoreDemo *self = user_data;
  CdSlaPolicy *policy = cd_sla_library_choose (self->sla, kind, category, channel);
  CdSlaEvent registered = { "register", arrival, "registered", NULL, 0, 0 };
  g_autoptr(CdSlaClocks) clocks = NULL;
  gint64 due = 0;

  if (policy == NULL ||
      (clocks = cd_sla_clock_evaluate (policy, cd_sla_library_get_calendars (self->sla),
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

/* A ticket of one of the model's mass incidents (a flooded district, a
 * heating outage) is linked to the incident's first ticket, as the store
 * links them at registration. */
static gboolean
link_incident (CdStoreDemo  *self,
               CdTicket     *ticket,
               guint         incident,
               const char   *actor,
               const char   *role,
               gint64        time,
               GError      **error)
{
  const char *first = g_hash_table_lookup (self->incidents, GUINT_TO_POINTER (incident));
  g_autoptr(JsonObject) link = json_object_new ();
  g_autoptr(CdEvent) linked = NULL;

  if (first == NULL)
    {
      first = g_strdup (ticket->number);
      g_hash_table_insert (self->incidents, GUINT_TO_POINTER (incident), (gpointer) first);
    }
  json_object_set_string_member (link, "relation", "incident");
  json_object_set_string_member (link, "target", first);
  linked = cd_event_new (ticket->id, "link", actor, role, time, link);
  if (!cd_store_append (self->store, ticket, linked, error))
    {
      g_prefix_error (error, _("Ticket %s, incident link: "), ticket->number);
      return FALSE;
    }
  self->n_events++;
  return TRUE;
}

static JsonObject *
step_payload (CdStoreDemo        *self,
              const CdDemoTicket *t,
              const CdDemoStep   *step)
{
  JsonObject *payload = step == &t->steps[0] ? registration (self, t) : json_object_new ();
  const CdDemoUser *user = &self->users[step->user];

  if (step->executor >= 0)
    json_object_set_string_member (payload, "executor", self->executors[step->executor].id);
  if (step->note != NULL)
    json_object_set_string_member (payload, "note", step->note);
  /* An executor acts for its organization, which the transition table checks. */
  if (user->executor >= 0 && g_str_equal (user->role, "executor"))
    json_object_set_string_member (payload, "org", self->executors[user->executor].id);
  if (step->relation != NULL && g_str_equal (step->relation, "about"))
    {
      /* As the store links a complaint registered with `about`. */
      json_object_set_string_member (payload, "relation", "about");
      json_object_set_string_member (payload, "target", t->about);
      json_object_set_string_member (payload, "about", "ticket");
    }
  else if (step->relation != NULL)
    {
      json_object_set_string_member (payload, "relation", step->relation);
      json_object_set_string_member (payload, "target", t->repeat_of);
    }
  if (step->klass != NULL)
    {
      json_object_set_string_member (payload, "class", step->klass);
      json_object_set_string_member (payload, "responsible", step->responsible);
      if (step->cause != NULL)
        json_object_set_string_member (payload, "cause", step->cause);
    }
  if (step->decision != NULL)
    {
      json_object_set_string_member (payload, "decision", step->decision);
      json_object_set_string_member (payload, "favour", step->favour);
      if (step->reasons != NULL)
        json_object_set_string_member (payload, "reasons", step->reasons);
      if (step->appeal != NULL)
        json_object_set_string_member (payload, "appeal", step->appeal);
    }
  if (step->target != NULL)
    {
      json_object_set_string_member (payload, "target", step->target);
      json_object_set_int_member (payload, "days", step->days);
    }
  /* The attempt is the store's to say for a live callback
   * (cd_store_fill_callback()); the demo plans its attempts itself. */
  if (step->outcome != NULL)
    {
      json_object_set_string_member (payload, "outcome", step->outcome);
      if (step->rating > 0)
        json_object_set_int_member (payload, "rating", step->rating);
      json_object_set_int_member (payload, "attempt", step->attempt);
      json_object_set_boolean_member (payload, "last", step->last);
    }
  return payload;
}

static gboolean
write_step (CdDemoCity          *city,
            const CdDemoTicket  *t,
            const CdDemoStep    *step,
            gpointer             user_data,
            GError             **error)
{
  CdStoreDemo *self = user_data;
  const CdDemoUser *user = &self->users[step->user];
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(CdEvent) event = NULL;
  CdTicket *ticket;
  guint index = step - t->steps;

  if (step->time <= self->now && !self->write_history)
    return TRUE;
  if (step->time > self->now)
    {
      PendingStep *p = g_new0 (PendingStep, 1);

      p->time = step->time;
      p->entity = g_strdup (t->id);
      p->number = g_strdup (t->number);
      p->action = g_strdup (step->action);
      p->actor = g_strdup (user->login);
      p->role = g_strdup (user->role);
      p->payload = step_payload (self, t, step);
      p->incident = index == 0 ? t->incident : 0;
      g_ptr_array_add (self->pending, p);
      return TRUE;
    }

  if (index == 0)
    {
      ticket = cd_ticket_new ();
      g_hash_table_insert (self->tickets, (gpointer) t, ticket);
      self->n_tickets++;
    }
  else
    ticket = g_hash_table_lookup (self->tickets, t);
  g_assert (ticket != NULL);

  payload = step_payload (self, t, step);
  event = cd_event_new (t->id, step->action, user->login, user->role, step->time, payload);
  if (!cd_store_append (self->store, ticket, event, error))
    {
      g_prefix_error (error, _("Ticket %s, step “%s”: "), t->number, step->action);
      return FALSE;
    }
  self->n_events++;

  if (index == 0 && t->incident != 0 &&
      !link_incident (self, ticket, t->incident, user->login, user->role, step->time, error))
    return FALSE;

  /* The model frees a ticket after its last step in the period. */
  if (index + 1 == t->n_steps || t->steps[index + 1].time > self->now ||
      t->steps[index + 1].time >= cd_demo_city_get_end (city))
    g_hash_table_remove (self->tickets, t);

  if (++self->in_batch >= BATCH)
    {
      self->in_batch = 0;
      if (!cd_store_commit (self->store, error) || !cd_store_begin (self->store, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_sync_numbers:
 * @self: a store
 * @error: return location for an error
 *
 * Raises each year's number sequence to the highest number its tickets
 * hold. Histories written with their own numbers (the demo city, imports)
 * do not take numbers from the sequence; after them, the next
 * registration must not take a number already given.
 *
 * Returns: whether the sequences were updated
 */
gboolean
cd_store_sync_numbers (CdStore  *self,
                       GError  **error)
{
  GError *db_error = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  /* Written for both backends: PostgreSQL has no two-argument max(). */
  if (!cd_db_exec (self->conn,
                   "INSERT INTO number_sequences (year, last) "
                   "SELECT year, max(CAST(substr(number, 6) AS BIGINT)) FROM tickets "
                   "GROUP BY year "
                   "ON CONFLICT (year) DO UPDATE SET last = CASE "
                   "WHEN excluded.last > number_sequences.last THEN excluded.last "
                   "ELSE number_sequences.last END",
                   &db_error))
    return cd_store_db_error (self, _("numbering tickets"), db_error, error);
  return TRUE;
}

static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const PendingStep *x = *(PendingStep * const *) a;
  const PendingStep *y = *(PendingStep * const *) b;

  return x->time < y->time ? -1 : x->time > y->time ? 1 : 0;
}

/* The demo city goes only into a new database: one that holds no events,
 * no accounts and no api keys, which could be a city's real ones. */
static gboolean
check_empty (CdStore  *store,
             GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  gboolean empty = FALSE;
  CdDbStep rc;

  if (cd_store_get_last_seq (store, &local_error) != 0 || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                     _("“%s” already holds events; the demo city needs a new file."),
                     cd_store_get_path (store));
      return FALSE;
    }
  /* A count rather than a truth: the backends return truths as
   * different types. */
  if ((stmt = cd_db_prepare (store->conn,
                             "SELECT (SELECT count(*) FROM (SELECT 1 FROM users LIMIT 1) AS u) + "
                             "(SELECT count(*) FROM (SELECT 1 FROM api_keys LIMIT 1) AS k)",
                             &db_error)) == NULL ||
      (rc = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
    return cd_store_db_error (store, _("reading the accounts"), db_error, error);
  empty = rc == CD_DB_ROW && cd_db_column_int64 (stmt, 0) == 0;
  if (!empty)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_DEMO,
                   _("“%s” already holds accounts or api keys; the demo city needs a new file."),
                   cd_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_demo_check:
 * @store: a store
 * @error: %CD_STORE_ERROR_NOT_DEMO when @store is not a demo database
 *
 * Returns: whether the demo city was written into @store, so that the
 *   demo may write into it (its live city, its accounts and key)
 */
gboolean
cd_store_demo_check (CdStore  *store,
                     GError  **error)
{
  gboolean is_demo = FALSE;

  g_return_val_if_fail (CD_IS_STORE (store), FALSE);

  if (!cd_store_is_demo (store, &is_demo, error))
    return FALSE;
  if (!is_demo)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_DEMO,
                   _("“%s” is not a demo database: the demo never writes into a real one. "
                     "Start the demo on a new file (or without --db)."),
                   cd_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_demo_add_account:
 * @store: a demo database (see cd_store_demo_check())
 * @name: the account
 * @role: its role
 * @org: (nullable): an executor's organization
 * @password: its password, which everyone knows; the minimum length of
 *   people's passwords does not apply
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_NOT_DEMO on a database that is not a demo's
 *
 * Returns: whether the account was added
 */
gboolean
cd_store_demo_add_account (CdStore     *store,
                           const char  *name,
                           const char  *role,
                           const char  *org,
                           const char  *password,
                           gint64       now,
                           GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (store), FALSE);

  return cd_store_demo_check (store, error) &&
         cd_store_insert_user (store, name, role, org, password, FALSE, now, error);
}

/**
 * cd_store_demo_add_api_key:
 * @store: a demo database (see cd_store_demo_check())
 * @key: the demo's Open311 api key, which everyone knows
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_NOT_DEMO on a database that is not a demo's
 *
 * Returns: whether the key is there
 */
gboolean
cd_store_demo_add_api_key (CdStore     *store,
                           const char  *key,
                           gint64       now,
                           GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (store), FALSE);

  return cd_store_demo_check (store, error) &&
         cd_store_add_api_key (store, key, "demo", now, error);
}

/* The demo city's organizations and districts, named in its five
 * languages: the server serves them as any city's reference data. */
static gboolean
seed_reference (CdStore  *store,
                GError  **error)
{
  g_autoptr(CdReferenceData) data = cd_reference_data_new ();
  const char * const *languages;
  guint n_languages;
  struct
  {
    CdReferenceKind   kind;
    const char     **(*codes) (guint *n);
    const char      *(*name) (const char *code, const char *language);
  } kinds[] = {
    { CD_REFERENCE_EXECUTOR, cd_demo_names_get_executors, cd_demo_names_executor },
    { CD_REFERENCE_DISTRICT, cd_demo_names_get_districts, cd_demo_names_district },
  };

  languages = cd_demo_names_get_languages (&n_languages);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      guint n;
      g_autofree const char **codes = kinds[k].codes (&n);
      GPtrArray *entries = g_ptr_array_new_with_free_func (
        (GDestroyNotify) cd_reference_entry_free);

      for (guint i = 0; i < n; i++)
        {
          CdReferenceEntry *entry = cd_reference_entry_new (codes[i]);

          for (guint j = 0; j < n_languages; j++)
            cd_reference_entry_set_name (entry, languages[j],
                                         kinds[k].name (codes[i], languages[j]));
          g_ptr_array_add (entries, entry);
        }
      data->entries[kinds[k].kind] = entries;
    }
  return cd_store_reference_replace (store, data, error);
}

/**
 * cd_store_demo_new:
 * @store: an empty store
 * @options: the city (see cd_demo_options_init()); its period may end
 *   after @now
 * @now: Unix seconds: steps up to it are written, later ones kept for
 *   cd_store_demo_advance()
 * @write_history: whether to write the steps up to @now; the store must
 *   then be empty. Without it, only the city's future is kept: for a
 *   store that already holds a city.
 * @error: return location for an error
 *
 * Returns: (transfer full): the living city, or %NULL with @error set
 */
CdStoreDemo *
cd_store_demo_new (CdStore              *store,
                   const CdDemoOptions  *options,
                   gint64                now,
                   gboolean              write_history,
                   GError              **error)
{
  g_autoptr(CdStoreDemo) self = g_new0 (CdStoreDemo, 1);
  g_autoptr(GError) local_error = NULL;
  CdDemoOptions city_options = *options;
  gboolean ok;
  guint n;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);

  self->store = g_object_ref (store);
  self->now = now;
  self->write_history = write_history;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_step_free);
  self->renumbered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tickets = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) cd_ticket_unref);
  self->incidents = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  if ((self->sla = cd_store_get_sla_library (store, error)) == NULL)
    return NULL;
  cd_sla_library_ref (self->sla);
  /* The model aims at the SLA engine's deadlines. */
  city_options.due_func = engine_due;
  city_options.due_data = self;
  if ((self->city = cd_demo_city_new (&city_options, error)) == NULL)
    return NULL;
  if (write_history && !check_empty (store, error))
    return NULL;
  if (!write_history && !cd_store_demo_check (store, error))
    return NULL;

  self->users = cd_demo_city_get_users (self->city, &n);
  self->executors = cd_demo_city_get_executors (self->city, &n);
  self->buildings = cd_demo_city_get_buildings (self->city, &n);
  self->streets = cd_demo_city_get_streets (self->city, &n);
  self->districts = cd_demo_city_get_districts (self->city, &n);

  if (!cd_store_set_bulk (store, TRUE, error))
    return NULL;
  /* The same seed, the same journal; the live city draws its salts. */
  cd_store_seed_salts (store, TRUE, options->seed);
  ok = cd_store_begin (store, error) &&
       cd_store_mark_demo (store, error) &&
       seed_reference (store, error) &&
       cd_demo_city_generate (self->city, write_step, self, error);
  cd_store_seed_salts (store, FALSE, 0);
  if (!ok ||
      !cd_store_commit (store, error) ||
      /* The history used the model's numbers: later registrations
       * continue after them (the rows exist once committed). */
      !cd_store_sync_numbers (store, error))
    {
      cd_store_rollback (store);
      /* Whatever fails here, the next open rebuilds the indexes. */
      cd_store_set_bulk (store, FALSE, NULL);
      return NULL;
    }
  if (!cd_store_set_bulk (store, FALSE, error))
    return NULL;
  g_hash_table_remove_all (self->tickets);

  g_ptr_array_sort (self->pending, compare_steps);
  return g_steal_pointer (&self);
}

void
cd_store_demo_free (CdStoreDemo *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->renumbered, g_hash_table_unref);
  g_clear_pointer (&self->tickets, g_hash_table_unref);
  g_clear_pointer (&self->incidents, g_hash_table_unref);
  g_clear_pointer (&self->city, cd_demo_city_free);
  g_clear_pointer (&self->sla, cd_sla_library_unref);
  g_clear_object (&self->store);
  g_free (self);
}

CdDemoCity *
cd_store_demo_get_city (CdStoreDemo *self)
{
  return self->city;
}

guint64
cd_store_demo_get_n_tickets (CdStoreDemo *self)
{
  return self->n_tickets;
}

guint64
cd_store_demo_get_n_events (CdStoreDemo *self)
{
  return self->n_events;
}

guint
cd_store_demo_get_n_pending (CdStoreDemo *self)
{
  return self->pending->len - self->next;
}

static gboolean
advance_one (CdStoreDemo  *self,
             PendingStep  *p,
             GError      **error)
{
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_str_equal (p->action, "register"))
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (p->time);
      g_autofree char *number = cd_store_next_number (self->store, g_date_time_get_year (dt),
                                                      error);

      if (number == NULL)
        return FALSE;
      json_object_set_string_member (p->payload, "number", number);
      g_hash_table_replace (self->renumbered, g_strdup (p->number), g_strdup (number));
      ticket = cd_ticket_new ();
    }
  else
    {
      const char *target = json_object_has_member (p->payload, "target")
                             ? json_object_get_string_member (p->payload, "target") : NULL;
      const char *renumbered = target != NULL ? g_hash_table_lookup (self->renumbered, target)
                                              : NULL;

      if (renumbered != NULL)
        json_object_set_string_member (p->payload, "target", renumbered);
      ticket = cd_store_load_ticket (self->store, p->entity, &local_error);
      if (ticket == NULL)
        {
          /* Its registration was refused or it never was: skip. */
          if (g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
            return TRUE;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  event = cd_event_new (p->entity, p->action, p->actor, p->role, p->time, p->payload);
  if (!cd_store_append (self->store, ticket, event, &local_error))
    {
      /* Someone acted on the ticket through the API meanwhile, and the
       * model's next step no longer applies: the city goes on without it. */
      if (local_error->domain == CD_DISPATCH_ERROR)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->n_events++;
  if (p->incident != 0 &&
      !link_incident (self, ticket, p->incident, p->actor, p->role, p->time, error))
    return FALSE;
  return TRUE;
}

/**
 * cd_store_demo_advance:
 * @self: the living city
 * @now: Unix seconds on the simulated clock
 * @n_written: (out) (optional): how many steps were written
 * @error: return location for an error
 *
 * Writes, in one transaction, the model's steps up to @now.
 *
 * Returns: whether the steps were written
 */
gboolean
cd_store_demo_advance (CdStoreDemo  *self,
                       gint64        now,
                       guint        *n_written,
                       GError      **error)
{
  guint n = 0;

  if (n_written != NULL)
    *n_written = 0;
  if (self->next >= self->pending->len ||
      ((PendingStep *) g_ptr_array_index (self->pending, self->next))->time > now)
    return TRUE;

  if (!cd_store_begin (self->store, error))
    return FALSE;
  while (self->next < self->pending->len)
    {
      PendingStep *p = g_ptr_array_index (self->pending, self->next);

      if (p->time > now)
        break;
      self->next++;
      if (!advance_one (self, p, error))
        {
          /* The step is skipped with the rest of this batch: the city
           * goes on rather than retrying a step that cannot be written. */
          cd_store_rollback (self->store);
          while (self->next < self->pending->len &&
                 ((PendingStep *) g_ptr_array_index (self->pending, self->next))->time <= now)
            self->next++;
          return FALSE;
        }
      n++;
    }
  if (!cd_store_commit (self->store, error))
    return FALSE;

  /* Written steps are not needed again. */
  if (self->next > 4096)
    {
      g_ptr_array_remove_range (self->pending, 0, self->next);
      self->next = 0;
    }
  if (n_written != NULL)
    *n_written = n;
  return TRUE;
}
