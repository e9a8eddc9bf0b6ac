// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-tickets.c: registering and acting on tickets, the dashboards'
 * queries, routing rules, and the desktop's sync state
 *
 * Everything here is built on the journal writer of cd-store-journal.c:
 * a registration is a `register` event, followed in the same transaction
 * by the `assign` routing decides and the `link` a repeat needs.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "cd-category.h"
#include "cd-format.h"
#include "cd-monitor.h"
#include "cd-store-overdue.h"
#include "cd-store-complaints.h"
#include "cd-store-private.h"
#include "cd-ticket-filter-private.h"

/**
 * cd_store_find_same_place:
 * @self: a store
 * @ticket: a ticket
 * @error: return location for an error
 *
 * The candidates for cd_monitor_find_repeat(): tickets at the same building
 * with the same category that are open or closed within
 * %CD_MONITOR_REPEAT_WINDOW before @ticket was registered.
 *
 * Returns: (transfer container) (element-type CdTicket): the tickets
 *   (@ticket among them when it is stored), or %NULL with @error set
 */
GPtrArray *
cd_store_find_same_place (CdStore         *self,
                          const CdTicket  *ticket,
                          GError         **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  GError *db_error = NULL;
  CdDbStmt *stmt;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  /* Tickets without an address are not at one place: not repeats of each
   * other. */
  if (!cd_ticket_has_address (ticket))
    return g_steal_pointer (&tickets);
  if (!cd_store_flush (self, error) ||
      (stmt = cd_store_db_stmt (self, STMT_SAME_PLACE, error)) == NULL)
    return NULL;

  cd_db_bind_text_static (stmt, 1, ticket->building);
  cd_db_bind_text_static (stmt, 2, ticket->street);
  cd_db_bind_text_static (stmt, 3, ticket->district);
  cd_db_bind_text_static (stmt, 4, ticket->category);
  cd_db_bind_int64 (stmt, 5, ticket->created_at - CD_MONITOR_REPEAT_WINDOW);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (tickets, cd_store_ticket_from_db_row_with_history (stmt));
  cd_db_reset (stmt);

  if (step == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("looking for repeats"), db_error, error);
      return NULL;
    }
  return g_steal_pointer (&tickets);
}

static int
local_year (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time);

  return dt != NULL ? g_date_time_get_year (dt) : 1970;
}

static gboolean
append_new (CdStore     *self,
            CdTicket    *ticket,
            const char  *type,
            const char  *actor,
            const char  *role,
            gint64       time,
            JsonObject  *payload,
            GError     **error)
{
  g_autoptr(CdEvent) event = cd_event_new (ticket->id, type, actor, role, time, payload);

  return cd_store_append (self, ticket, event, error);
}

/* The policy a registration names, or the one whose rules match it best;
 * the choice is written into the `register` event, so that the ticket
 * keeps its policy even when the policy files change. */
static gboolean
choose_policy (CdStore     *self,
               JsonObject  *payload,
               GError     **error)
{
  CdSlaLibrary *sla = cd_store_get_sla_library (self, error);
  CdSlaPolicy *policy;
  const char *named;

  if (sla == NULL)
    return FALSE;
  if (json_object_has_member (payload, "policy"))
    {
      named = json_object_get_string_member_with_default (payload, "policy", NULL);
      if (named == NULL || cd_sla_library_lookup (sla, named) == NULL)
        {
          g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                       _("Refused by the rule “register needs a valid policy”: there is no SLA "
                          "policy “%s” in %s/policies."),
                       named != NULL ? named : "", cd_sla_library_get_dir (sla));
          return FALSE;
        }
      return TRUE;
    }
  policy = cd_sla_library_choose (sla,
                                  json_object_get_string_member_with_default (payload, "kind",
                                                                              NULL),
                                  json_object_get_string_member_with_default (payload, "category",
                                                                              NULL),
                                  json_object_get_string_member_with_default (payload, "channel",
                                                                              "phone"));
  if (policy != NULL)
    json_object_set_string_member (payload, "policy", cd_sla_policy_get_id (policy));
  return TRUE;
}

static guint
meta_uint (CdStore    *self,
           const char *key,
           guint       fallback)
{
  g_autofree char *value = cd_store_get_meta (self, key, NULL);
  guint64 n;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 2, G_MAXUINT, &n, NULL))
    return fallback;
  return (guint) n;
}

/* Mass incidents: when the tickets of one category registered within the
 * last hour reach N in one street (meta mass-incident-street) or in one
 * district (mass-incident-district), every one of them gets a `link` to
 * the incident, named by its first ticket's number, so that a supervisor
 * sees one problem and not forty. Later arrivals join it. */
static gboolean
group_incident (CdStore         *self,
                CdTicket        *ticket,
                const char      *actor,
                const char      *role,
                gint64           time,
                GError         **error)
{
  g_autoptr(GPtrArray) district = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autoptr(GPtrArray) street = g_ptr_array_new ();
  guint n_street = meta_uint (self, "mass-incident-street", CD_STORE_MASS_INCIDENT_STREET);
  guint n_district = meta_uint (self, "mass-incident-district", CD_STORE_MASS_INCIDENT_DISTRICT);
  g_autofree char *sql = NULL;
  GPtrArray *group = NULL;
  const char *incident = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  /* Nor are they in one street or district, whatever their zipcode. */
  if (!cd_ticket_has_address (ticket))
    return TRUE;
  if (!cd_store_flush (self, error))
    return FALSE;
  sql = g_strdup_printf ("SELECT %s FROM tickets WHERE category = ?1 AND district = ?2 "
                         "AND created_at > ?3 AND created_at <= ?4 AND state != 'cancelled' "
                         "AND street != ?5 ORDER BY created_at, number",
                         cd_store_ticket_columns ());
  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("looking for a mass incident"), db_error, error);
  cd_db_bind_text_static (stmt, 1, ticket->category);
  cd_db_bind_text_static (stmt, 2, ticket->district);
  cd_db_bind_int64 (stmt, 3, time - CD_STORE_MASS_INCIDENT_WINDOW);
  cd_db_bind_int64 (stmt, 4, time);
  cd_db_bind_text_static (stmt, 5, CD_TICKET_NO_ADDRESS);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdTicket *t = cd_store_ticket_from_db_row (stmt);

      g_ptr_array_add (district, t);
      if (g_ascii_strcasecmp (t->street, ticket->street) == 0)
        g_ptr_array_add (street, t);
    }
  g_clear_pointer (&stmt, cd_db_stmt_free);
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("looking for a mass incident"), db_error, error);

  if (street->len >= n_street)
    group = street;
  else if (district->len >= n_district)
    group = district;
  else
    return TRUE;

  for (guint i = 0; i < group->len && incident == NULL; i++)
    incident = ((CdTicket *) group->pdata[i])->incident;
  if (incident == NULL)
    incident = ((CdTicket *) group->pdata[0])->number;

  for (guint i = 0; i < group->len; i++)
    {
      CdTicket *member = group->pdata[i];
      g_autoptr(CdTicket) current = NULL;
      g_autoptr(JsonObject) link = NULL;

      if (member->incident != NULL)
        continue;
      /* The registered ticket itself is the one being built. */
      current = g_str_equal (member->id, ticket->id)
                    ? cd_ticket_ref (ticket)
                    : cd_store_load_ticket (self, member->id, error);
      if (current == NULL)
        return FALSE;
      link = json_object_new ();
      json_object_set_string_member (link, "relation", "incident");
      json_object_set_string_member (link, "target", incident);
      if (!append_new (self, current, "link", actor, role, time, link, error))
        return FALSE;
    }
  return TRUE;
}

/* What a complaint is about: a ticket (by number or id), else a call (by
 * its id, its PBX id or the journal number of its event). The link names
 * the ticket's number or the call's id, and which of the two it is. */
static JsonObject *
resolve_about (CdStore     *self,
               const char  *about,
               GError     **error)
{
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) link = json_object_new ();
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  gint64 seq = -1;
  CdDbStep rc;

  json_object_set_string_member (link, "relation", "about");
  ticket = cd_store_load_ticket (self, about, &local_error);
  if (ticket != NULL)
    {
      json_object_set_string_member (link, "target", ticket->number);
      json_object_set_string_member (link, "about", "ticket");
      return g_steal_pointer (&link);
    }
  if (!g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_ascii_string_to_signed (about, 10, 1, G_MAXINT64, &seq, NULL);
  if ((stmt = cd_db_prepare (self->conn, "SELECT id FROM calls WHERE id = ?1 OR pbx_id = ?1 "
                             "OR seq = ?2 ORDER BY seq LIMIT 1", &db_error)) == NULL)
    {
      cd_store_db_error (self, _("finding what a complaint is about"), db_error, error);
      return NULL;
    }
  cd_db_bind_text (stmt, 1, about);
  cd_db_bind_int64 (stmt, 2, seq);
  rc = cd_db_step (stmt, &db_error);
  if (rc == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("finding what a complaint is about"), db_error, error);
      return NULL;
    }
  if (rc == CD_DB_ROW)
    {
      json_object_set_string_member (link, "target", cd_db_column_text (stmt, 0));
      json_object_set_string_member (link, "about", "call");
      return g_steal_pointer (&link);
    }
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
               _("There is no ticket or call “%s” for the complaint to be about."), about);
  return NULL;
}

static gboolean
register_in_transaction (CdStore     *self,
                         CdTicket    *ticket,
                         JsonObject  *fields,
                         const char  *actor,
                         const char  *role,
                         gint64       time,
                         GError     **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(GPtrArray) same = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *number = NULL;
  char id[37];
  const char *executor = NULL;
  g_autoptr(JsonObject) about = NULL;
  const CdTicket *original;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  /* Only a complaint is about something, and that something must exist. */
  if (json_object_has_member (fields, "about"))
    {
      const char *text = json_object_get_string_member_with_default (fields, "about", "");

      if (g_strcmp0 (json_object_get_string_member_with_default (fields, "kind", NULL),
                     "complaint") != 0)
        {
          g_set_error_literal (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                               _("Refused by the rule “only a complaint is about a ticket or a "
                                 "call”: the kind is not complaint."));
          return FALSE;
        }
      if ((about = resolve_about (self, text, error)) == NULL)
        return FALSE;
    }

  if ((number = cd_store_next_number (self, local_year (time), error)) == NULL)
    return FALSE;
  /* Ordered by when this store made them, as the journal is. */
  cd_ticket_format_id (g_get_real_time () / 1000,
                       g_random_int (), ((guint64) g_random_int () << 32) | g_random_int (), id);

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &member, &node))
    if (!g_str_equal (member, "executor") && !g_str_equal (member, "number") &&
        !g_str_equal (member, "about"))
      json_object_set_member (payload, member, json_node_copy (node));
  json_object_set_string_member (payload, "number", number);
  if (!choose_policy (self, payload, error))
    return FALSE;

  event = cd_event_new (id, "register", actor, role, time, payload);
  if (!cd_store_append (self, ticket, event, error) ||
      (about != NULL && !append_new (self, ticket, "link", actor, role, time, about, error)))
    return FALSE;

  /* Routing: an explicit executor wins; otherwise the rules, if any. */
  if (json_object_has_member (fields, "executor") &&
      json_node_get_value_type (json_object_get_member (fields, "executor")) == G_TYPE_STRING)
    executor = json_object_get_string_member (fields, "executor");
  else if ((routing = cd_store_load_routing (self, &local_error)) != NULL)
    executor = cd_routing_route (routing, ticket->category, ticket->district);
  else if (!g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (executor != NULL && *executor != '\0')
    {
      g_autoptr(JsonObject) assign = json_object_new ();

      json_object_set_string_member (assign, "executor", executor);
      json_object_set_string_member (assign, "by", routing != NULL ? "routing" : "registration");
      if (!append_new (self, ticket, "assign", actor, role, time, assign, error))
        return FALSE;
    }

  /* Repeats: link to the first ticket of the series. */
  if ((same = cd_store_find_same_place (self, ticket, error)) == NULL)
    return FALSE;
  original = cd_monitor_find_repeat (ticket, (CdTicket * const *) same->pdata, same->len,
                                     CD_MONITOR_REPEAT_WINDOW);
  if (original != NULL)
    {
      g_autoptr(JsonObject) link = json_object_new ();

      json_object_set_string_member (link, "relation", "repeat_of");
      json_object_set_string_member (link, "target",
                                     original->repeat_of != NULL ? original->repeat_of
                                                                 : original->number);
      if (!append_new (self, ticket, "link", actor, role, time, link, error))
        return FALSE;
    }
  return group_incident (self, ticket, actor, role, time, error);
}

/**
 * cd_store_register:
 * @self: a store; inside a transaction, the registration joins it
 * @fields: the `register` payload without a number (kind, category,
 *   district, street, building, and optionally flat, name, phone,
 *   description, channel, lat, lon, policy); an `executor` member skips
 *   routing
 * @actor: who registers
 * @role: in which role
 * @time: Unix seconds
 * @error: a #CD_DISPATCH_ERROR when the table refuses, or a #CD_STORE_ERROR
 *
 * Registers a ticket in one transaction: the next number of the year, the
 * `register` event, the `assign` the routing rules decide, and a `link`
 * when it repeats an open or recently closed ticket.
 *
 * Returns: (transfer full): the ticket, or %NULL with @error set and
 *   nothing written
 */
CdTicket *
cd_store_register (CdStore     *self,
                   JsonObject  *fields,
                   const char  *actor,
                   const char  *role,
                   gint64       time,
                   GError     **error)
{
  g_autoptr(CdTicket) ticket = cd_ticket_new ();
  gboolean own;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  /* Inside the caller's transaction (the server stores the request's
   * idempotency key with its events), join it: the caller commits or
   * rolls back. */
  own = !self->in_transaction;
  if (own && !cd_store_begin (self, error))
    return NULL;
  if (!register_in_transaction (self, ticket, fields, actor, role, time, error) ||
      (own && !cd_store_commit (self, error)))
    {
      if (own)
        cd_store_rollback (self);
      return NULL;
    }
  return g_steal_pointer (&ticket);
}

/* The organization of the account @actor, if there is one. */
static char *
user_org (CdStore    *self,
          const char *actor)
{
  g_autoptr(CdDbStmt) stmt = NULL;

  if (actor == NULL ||
      (stmt = cd_db_prepare (self->conn, "SELECT org FROM users WHERE name = ?1", NULL)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, actor);
  if (cd_db_step (stmt, NULL) == CD_DB_ROW)
    return g_strdup (cd_db_column_text (stmt, 0));
  return NULL;
}

static char *
format_limit (const CdSlaLimit *limit)
{
  if (limit->unit == CD_SLA_LIMIT_CALENDAR_DAYS)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " calendar day",
                                         "%" PRId64 " calendar days", limit->amount),
                            limit->amount);
  if (limit->unit == CD_SLA_LIMIT_WORKING_DAYS)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRId64 " working day",
                                         "%" PRId64 " working days", limit->amount),
                            limit->amount);
  return cd_format_duration (limit->amount);
}

/* A complaint's extension is bound by its policy (one, of up to 10 days,
 * 21 days in all): one the SLA engine would not grant is refused with the
 * rule, where another ticket keeps it as a verdict (docs/sla-policy.md). */
static gboolean
check_complaint_extension (CdStore     *self,
                           CdTicket    *ticket,
                           const char  *actor,
                           const char  *role,
                           JsonObject  *payload,
                           gint64       time,
                           GError     **error)
{
  g_autoptr(CdTicket) trial = cd_ticket_copy (ticket);
  g_autoptr(CdEvent) event = cd_event_new (ticket->id, "extend", actor, role, time, payload);
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *each = NULL, *total = NULL;
  const CdSlaExtension *record;
  const CdSlaTarget *target = NULL;
  CdSlaLibrary *library;
  GPtrArray *extensions;

  /* The table's own refusals come first, as cd_store_append() words them. */
  if (trial->history == NULL || !cd_ticket_apply (trial, event, error))
    return trial->history == NULL;
  if ((library = cd_store_get_sla_library (self, error)) == NULL)
    return FALSE;
  if ((clocks = cd_sla_library_evaluate (library, trial, time, &local_error)) == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  extensions = cd_sla_clocks_get_extensions (clocks);
  if (extensions->len == 0)
    return TRUE;
  record = g_ptr_array_index (extensions, extensions->len - 1);
  if (record->verdict == CD_SLA_EXTENSION_GRANTED)
    return TRUE;

  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    if (g_strcmp0 (cd_sla_clocks_get_target (clocks, i)->name, record->target) == 0)
      target = cd_sla_clocks_get_target (clocks, i);
  if (target != NULL)
    {
      each = format_limit (&target->extension_each);
      total = format_limit (&target->extension_total);
    }
  switch (target != NULL ? (int) record->verdict : -1)
    {
    case CD_SLA_EXTENSION_TOO_MANY:
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Refused by the rule “%s: at most %u extension”: ticket %s "
                                "has had it.",
                                "Refused by the rule “%s: at most %u extensions”: ticket %s "
                                "has had them.", target->max_extensions),
                   record->target, target->max_extensions, ticket->number);
      return FALSE;
    case CD_SLA_EXTENSION_TOO_LONG:
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("Refused by the rule “%s: an extension of up to %s”: this one is longer."),
                   record->target, each);
      return FALSE;
    case CD_SLA_EXTENSION_OVER_TOTAL:
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("Refused by the rule “%s: %s in all at most”: the extension would end "
                     "later."), record->target, total);
      return FALSE;
    default:
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("Refused by the rule “an extension is one the SLA policy grants”: the "
                     "policy says %s."), cd_sla_extension_verdict_to_string (record->verdict));
      return FALSE;
    }
}

/**
 * cd_store_act:
 * @self: a store; inside a transaction, the action joins it
 * @number: the ticket's number (or UUID)
 * @action: an action of the transition table
 * @actor: who acts
 * @role: in which role
 * @payload: (nullable): the action's details; for the executor role
 *   without an `org`, the organization of the account @actor is added
 * @time: Unix seconds
 * @error: a #CD_DISPATCH_ERROR naming the rule that refused the action, or
 *   a #CD_STORE_ERROR
 *
 * Returns: (transfer full): the ticket after the action, or %NULL with
 *   @error set and nothing written
 */
CdTicket *
cd_store_act (CdStore     *self,
              const char  *number,
              const char  *action,
              const char  *actor,
              const char  *role,
              JsonObject  *payload,
              gint64       time,
              GError     **error)
{
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(JsonObject) with_org = NULL;
  g_autoptr(JsonObject) filled = NULL;
  g_autoptr(JsonObject) with_appeal = NULL;
  g_autoptr(JsonObject) with_due = NULL;
  gboolean own;
  CdRole r;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  /* As cd_store_register(): join the caller's transaction if one is open. */
  own = !self->in_transaction;
  if (own && !cd_store_begin (self, error))
    return NULL;
  if ((ticket = cd_store_load_ticket (self, number, error)) == NULL)
    goto fail;

  /* When the caller does not say for which organization an executor acts,
   * the account's goes into the event, where the table judges it. */
  if (cd_role_from_string (role, &r) && r == CD_ROLE_EXECUTOR &&
      (payload == NULL || !json_object_has_member (payload, "org")))
    {
      g_autofree char *org = user_org (self, actor);

      with_org = cd_dispatch_actor_payload (r, org, payload);
      payload = with_org;
    }

  /* A callback's attempt, and whether it is the last, are the store's to
   * say; the table's own rules (role, state, outcome) are told first. */
  if (g_strcmp0 (action, "callback") == 0 && cd_role_from_string (role, &r))
    {
      if (!cd_dispatch_check (ticket, CD_ACTION_CALLBACK, r, payload, error) ||
          (filled = cd_store_fill_callback (self, ticket, payload, error)) == NULL)
        goto fail;
      payload = filled;
    }

  if (g_strcmp0 (action, "extend") == 0 && ticket->kind == CD_TICKET_KIND_COMPLAINT &&
      !check_complaint_extension (self, ticket, actor, role, payload, time, error))
    goto fail;

  /* A complaint is answered once classified; a refusal carries the notice
   * of the right to appeal: the store fills in the organization's text when
   * the caller sent none. */
  if (g_strcmp0 (action, "answer") == 0 && ticket->kind == CD_TICKET_KIND_COMPLAINT &&
      payload != NULL)
    {
      if (!cd_store_check_classified (self, ticket, role, error) ||
          (with_appeal = cd_store_fill_appeal (self, ticket, payload, time, error)) == NULL)
        goto fail;
      payload = with_appeal;
    }
  /* A group's proposal has its own 20-day clock: due then unless told. */
  if (g_strcmp0 (action, "propose") == 0 && payload != NULL)
    {
      JsonNode *due = json_object_get_member (payload, "due");

      /* The table also reads Unix seconds, as older proposals have them;
       * a new one says its date-time. */
      if (due != NULL && JSON_NODE_HOLDS_VALUE (due) &&
          json_node_get_value_type (due) != G_TYPE_STRING)
        {
          g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                       _("Refused by the rule “%s needs a valid %s”: %s"), "propose", "due",
                       _("it is not an ISO 8601 date-time."));
          goto fail;
        }
      with_due = cd_store_fill_proposal (payload, time);
      payload = with_due;
    }

  event = cd_event_new (ticket->id, action, actor, role, time, payload);
  if (!cd_store_append (self, ticket, event, error) ||
      (own && !cd_store_commit (self, error)))
    goto fail;
  return g_steal_pointer (&ticket);

fail:
  if (own)
    cd_store_rollback (self);
  return NULL;
}

static gboolean
count_grouped (CdStore     *self,
               const char  *sql,
               JsonObject  *out,
               GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("counting tickets"), db_error, error);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      const char *key = cd_db_column_text (stmt, 0);

      json_object_set_int_member (out, key != NULL ? key : "", cd_db_column_int64 (stmt, 1));
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("counting tickets"), db_error, error);
  return TRUE;
}

static gboolean
count_query (CdStore               *self,
             const CdTicketFilter  *filter,
             gint64                *out,
             GError               **error)
{
  g_autofree char *where = cd_ticket_filter_where_db (filter, self->conn, TRUE);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM tickets%s", where);
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("counting tickets"), db_error, error);
  cd_ticket_filter_bind_db (filter, self, stmt);
  if ((step = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
    return cd_store_db_error (self, _("counting tickets"), db_error, error);
  *out = step == CD_DB_ROW ? cd_db_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static void
set_rate (JsonObject *object,
          const char *member,
          gint64      part,
          gint64      whole)
{
  if (whole > 0)
    json_object_set_double_member (object, member, (double) part / (double) whole);
  else
    json_object_set_null_member (object, member);
}

/**
 * cd_store_count_by_executor:
 * @self: a store
 * @now: Unix seconds, for the overdue count
 * @error: return location for an error
 *
 * Per executor: total, open, overdue at @now, reopens and the reopen rate
 * (among its tickets ever resolved). The totals are kept by triggers in
 * executor_counts; open and overdue come from an index of open tickets
 * only: no scan of the whole year.
 *
 * Returns: (transfer full): executor id -> counts, or %NULL with @error set
 */
JsonObject *
cd_store_count_by_executor (CdStore  *self,
                            gint64    now,
                            GError  **error)
{
  g_autoptr(JsonObject) by_executor = json_object_new ();
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *breached = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  CdDbStep step;
  int i;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  /* Open tickets only: the planner answers from the covering index
   * tickets_open_executor_state, or from the table while a bulk load has
   * set it aside (cd_store_set_bulk()). */
  breached = cd_overdue_tile_condition (CD_OVERDUE_TILE_BREACHED);
  sql = g_strdup_printf (
      "SELECT c.executor, c.total, coalesce (o.open, 0), c.reopens, c.reopened, "
      "coalesce (o.overdue, 0), c.resolved FROM executor_counts AS c LEFT JOIN "
      "(SELECT executor, count(*) AS open, sum(CASE WHEN %s THEN 1 ELSE 0 END) AS overdue "
      "  FROM tickets WHERE open = 1 AND executor IS NOT NULL GROUP BY executor) AS o "
      "USING (executor) WHERE c.total > 0 ORDER BY c.executor%s",
      breached, cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER));
  stmt = cd_db_prepare (self->conn, sql, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("counting tickets"), db_error, error), NULL;
  if ((i = cd_db_parameter_index (stmt, ":now")) > 0)
    cd_db_bind_int64 (stmt, i, now);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      JsonObject *e = json_object_new ();

      json_object_set_int_member (e, "total", cd_db_column_int64 (stmt, 1));
      json_object_set_int_member (e, "open", cd_db_column_int64 (stmt, 2));
      json_object_set_int_member (e, "reopens", cd_db_column_int64 (stmt, 3));
      json_object_set_int_member (e, "overdue", cd_db_column_int64 (stmt, 5));
      set_rate (e, "reopen_rate", cd_db_column_int64 (stmt, 4), cd_db_column_int64 (stmt, 6));
      json_object_set_object_member (by_executor, cd_db_column_text (stmt, 0), e);
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("counting tickets"), db_error, error), NULL;
  return g_steal_pointer (&by_executor);
}

/**
 * cd_store_get_stats:
 * @self: a store
 * @now: Unix seconds
 * @error: return location for an error
 *
 * Counts by state, kind, category group and executor; the on-time rate
 * (the share on time, cd_overdue_on_time_condition(), of the tickets under
 * an SLA policy that are finished, breached or overdue at @now, cancelled
 * ones aside); the reopen rate (among tickets
 * ever resolved); mass incidents and the tickets in them; stale, not
 * acknowledged and overdue counts.
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
JsonObject *
cd_store_get_stats (CdStore  *self,
                    gint64    now,
                    GError  **error)
{
  g_autoptr(JsonObject) stats = json_object_new ();
  g_autoptr(JsonObject) by_executor = NULL;
  g_autofree char *breached = cd_overdue_tile_condition (CD_OVERDUE_TILE_BREACHED);
  g_autofree char *on_time = cd_overdue_on_time_condition ();
  g_autofree char *sql = NULL;
  CdTicketFilter query = { .open_only = TRUE, .now = now };
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  gint64 total = 0, count;
  static const struct {
    const char *member;
    const char *sql;
  } groups[] = {
    { "by_state", "SELECT state, count(*) FROM tickets GROUP BY state ORDER BY state" },
    { "by_kind", "SELECT kind, count(*) FROM tickets GROUP BY kind ORDER BY kind" },
    { "by_category_group", "SELECT category_group, count(*) FROM tickets GROUP BY category_group "
                           "ORDER BY category_group" },
  };
  int now_index;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autoptr(JsonObject) counts = json_object_new ();

      if (!count_grouped (self, groups[i].sql, counts, error))
        return NULL;
      json_object_set_object_member (stats, groups[i].member, g_steal_pointer (&counts));
    }

  if ((by_executor = cd_store_count_by_executor (self, now, error)) == NULL)
    return NULL;
  json_object_set_object_member (stats, "by_executor", g_steal_pointer (&by_executor));

  g_clear_pointer (&sql, g_free);
  /* Judged: under a policy, not cancelled, and either breached, finished,
   * or overdue now: a ticket still within its deadlines is not yet
   * counted either way. A sum counts CASEs, not truths: PostgreSQL sums
   * no boolean. */
  sql = g_strdup_printf ("SELECT count(*), "
                         "sum(CASE WHEN judged AND %s THEN 1 ELSE 0 END), "
                         "sum(CASE WHEN judged THEN 1 ELSE 0 END), "
                         "sum(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END), "
                         "sum(CASE WHEN resolved_at IS NOT NULL OR reopen_count > 0 "
                         "  THEN 1 ELSE 0 END), "
                         "count(DISTINCT incident), "
                         "sum(CASE WHEN incident IS NOT NULL THEN 1 ELSE 0 END) "
                         "FROM (SELECT *, "
                         "  (%s AND state != 'cancelled' AND (breached > 0 "
                         "   OR resolved_at IS NOT NULL OR closed_at IS NOT NULL OR %s)) AS judged "
                         "  FROM tickets) AS judging", on_time, cd_overdue_judged_condition (),
                         breached);
  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("counting tickets"), db_error, error), NULL;
  if ((now_index = cd_db_parameter_index (stmt, ":now")) > 0)
    cd_db_bind_int64 (stmt, now_index, now);
  /* An aggregate without GROUP BY always has its one row. */
  if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("counting tickets"), db_error, error), NULL;
  total = cd_db_column_int64 (stmt, 0);
  set_rate (stats, "on_time_rate", cd_db_column_int64 (stmt, 1), cd_db_column_int64 (stmt, 2));
  set_rate (stats, "reopen_rate", cd_db_column_int64 (stmt, 3), cd_db_column_int64 (stmt, 4));
  json_object_set_int_member (stats, "mass_incidents", cd_db_column_int64 (stmt, 5));
  json_object_set_int_member (stats, "in_mass_incidents", cd_db_column_int64 (stmt, 6));
  json_object_set_int_member (stats, "total", total);

  query.tile = CD_OVERDUE_TILE_BREACHED;
  if (!count_query (self, &query, &count, error))
    return NULL;
  json_object_set_int_member (stats, "overdue", count);
  query.tile = CD_OVERDUE_TILE_STALE;
  if (!count_query (self, &query, &count, error))
    return NULL;
  json_object_set_int_member (stats, "stale", count);
  query.tile = CD_OVERDUE_TILE_NONE;
  query.unacknowledged = TRUE;
  if (!count_query (self, &query, &count, error))
    return NULL;
  json_object_set_int_member (stats, "unacknowledged", count);

  return g_steal_pointer (&stats);
}

/**
 * cd_store_load_routing:
 * @self: a store
 * @error: %CD_STORE_ERROR_NOT_FOUND when no rules were saved
 *
 * Returns: (transfer full): the routing rules, or %NULL with @error set
 */
CdRouting *
cd_store_load_routing (CdStore  *self,
                       GError  **error)
{
  g_autoptr(CdRouting) routing = NULL;
  g_autofree char *fallback = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((fallback = cd_store_get_meta (self, "routing-default", error)) == NULL)
    return NULL;
  routing = cd_routing_new (fallback);

  if ((stmt = cd_db_prepare (
           self->conn, "SELECT category, district, executor FROM routing_rules ORDER BY position",
           &db_error)) == NULL)
    {
      cd_store_db_error (self, _("reading the routing rules"), db_error, error);
      return NULL;
    }
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    if (!cd_routing_add_rule (routing, cd_db_column_text (stmt, 0), cd_db_column_text (stmt, 1),
                              cd_db_column_text (stmt, 2), error))
      return NULL;
  if (step == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("reading the routing rules"), db_error, error);
      return NULL;
    }
  return g_steal_pointer (&routing);
}

/**
 * cd_store_has_executor:
 * @self: a store
 * @executor: an executor organization's name
 * @exists: (out): whether the store knows it
 * @error: return location for an error
 *
 * The organizations a ticket may be assigned to are those the server
 * lists at /api/v1/executors: the routing rules' (and their default), the
 * executor accounts', those tickets were already assigned to, and those of
 * the reference data (cd-store-reference.c).
 *
 * Returns: whether the store could tell
 */
gboolean
cd_store_has_executor (CdStore     *self,
                       const char  *executor,
                       gboolean    *exists,
                       GError     **error)
{
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  gboolean with_reference = TRUE;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (executor != NULL, FALSE);

  *exists = FALSE;
  if ((routing = cd_store_load_routing (self, &local_error)) != NULL)
    {
      if (g_strcmp0 (cd_routing_get_default (routing), executor) == 0)
        *exists = TRUE;
      for (guint i = 0; !*exists && i < cd_routing_get_n_rules (routing); i++)
        *exists = g_strcmp0 (cd_routing_get_rule (routing, i)->executor, executor) == 0;
      if (*exists)
        return TRUE;
    }
  else if (!g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!cd_store_flush (self, error))
    return FALSE;
  /* The reference data is not on PostgreSQL before its own migration
   * (the read side's port): until then an executor is known there by
   * its accounts and tickets. */
  if (cd_store_is_postgresql (self))
    {
      g_autoptr(CdDbStmt) probe = NULL;

      if ((probe = cd_db_prepare (self->conn,
                                  "SELECT 1 FROM information_schema.tables "
                                  "WHERE table_name = 'reference_entries'",
                                  &db_error)) == NULL ||
          (rc = cd_db_step (probe, &db_error)) == CD_DB_FAILED)
        return cd_store_db_error (self, _("looking for an executor"), db_error, error);
      with_reference = rc == CD_DB_ROW;
    }
  sql = g_strconcat ("SELECT 1 WHERE EXISTS (SELECT 1 FROM users WHERE org = ?1) "
                     "OR EXISTS (SELECT 1 FROM tickets WHERE executor = ?1)",
                     with_reference ? " OR EXISTS (SELECT 1 FROM reference_entries"
                                      "  WHERE kind = 'executor' AND code = ?1)" : "",
                     NULL);
  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("looking for an executor"), db_error, error);
  cd_db_bind_text (stmt, 1, executor);
  if ((rc = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
    return cd_store_db_error (self, _("looking for an executor"), db_error, error);
  *exists = rc == CD_DB_ROW;
  return TRUE;
}

static gboolean
save_routing (CdStore    *self,
              CdRouting  *routing,
              GError    **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;

  if (!cd_db_exec (self->conn, "DELETE FROM routing_rules", &db_error))
    return cd_store_db_error (self, _("saving the routing rules"), db_error, error);
  if (!cd_store_set_meta (self, "routing-default", cd_routing_get_default (routing), error))
    return FALSE;

  stmt = cd_db_prepare (self->conn,
                        "INSERT INTO routing_rules (position, category, district, executor) "
                        "VALUES (?1, ?2, ?3, ?4)", &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("saving the routing rules"), db_error, error);
  for (guint i = 0; i < cd_routing_get_n_rules (routing); i++)
    {
      const CdRoutingRule *rule = cd_routing_get_rule (routing, i);

      cd_db_reset (stmt);
      cd_db_bind_int64 (stmt, 1, i);
      cd_db_bind_text_static (stmt, 2, rule->category);
      cd_db_bind_text_static (stmt, 3, rule->district);
      cd_db_bind_text_static (stmt, 4, rule->executor);
      if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
        return cd_store_db_error (self, _("saving the routing rules"), db_error, error);
    }
  return TRUE;
}

/**
 * cd_store_save_routing:
 * @self: a store
 * @routing: the rules
 * @error: return location for an error
 *
 * Replaces the routing rules. Inside a transaction, it joins it; otherwise
 * it runs in one of its own, under the write lock. On PostgreSQL the
 * tables' owner saves them: the server's role may only read them.
 *
 * Returns: whether the rules were saved
 */
gboolean
cd_store_save_routing (CdStore    *self,
                       CdRouting  *routing,
                       GError    **error)
{
  GError *db_error = NULL;
  gboolean own;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (routing != NULL, FALSE);

  own = !cd_db_in_transaction (self->conn);
  if (own && !cd_db_begin_write (self->conn, &db_error))
    return cd_store_db_error (self, _("saving the routing rules"), db_error, error);
  if (!save_routing (self, routing, error))
    {
      if (own)
        cd_db_rollback (self->conn);
      return FALSE;
    }
  if (own && !cd_db_commit (self->conn, &db_error))
    {
      cd_db_rollback (self->conn);
      return cd_store_db_error (self, _("saving the routing rules"), db_error, error);
    }
  return TRUE;
}

/**
 * cd_store_get_sync_cursor:
 * @self: the desktop's cache
 * @server: the server's address
 * @head: (out): the last event synced from it and its hash (sequence 0 and
 *   %CD_JOURNAL_GENESIS when nothing has been synced)
 * @error: return location for an error
 *
 * The desktop's cache is a SQLite file by design: on PostgreSQL this
 * fails with %CD_STORE_ERROR_NOT_AVAILABLE.
 *
 * Returns: whether @head was set
 */
gboolean
cd_store_get_sync_cursor (CdStore        *self,
                          const char     *server,
                          CdJournalHead  *head,
                          GError        **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  cd_journal_head_init (head);
  if (!cd_store_require_sqlite (self, _("reading the sync state"), error))
    return FALSE;
  stmt = cd_db_prepare (self->conn,
                        "SELECT last_seq, last_hash FROM sync_cursors WHERE server = ?1",
                        &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("reading the sync state"), db_error, error);
  cd_db_bind_text_static (stmt, 1, server);
  if ((step = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the sync state"), db_error, error);
  if (step == CD_DB_ROW)
    {
      head->seq = cd_db_column_int64 (stmt, 0);
      g_strlcpy (head->hash, cd_db_column_text (stmt, 1), sizeof head->hash);
    }
  return TRUE;
}

gboolean
cd_store_set_sync_cursor (CdStore              *self,
                          const char           *server,
                          const CdJournalHead  *head,
                          gint64                now,
                          GError              **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (!cd_store_require_sqlite (self, _("saving the sync state"), error))
    return FALSE;
  stmt = cd_db_prepare (self->conn,
                        "INSERT INTO sync_cursors (server, last_seq, last_hash, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (server) DO UPDATE SET "
                        "last_seq = excluded.last_seq, last_hash = excluded.last_hash, "
                        "updated_at = excluded.updated_at",
                        &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("saving the sync state"), db_error, error);
  cd_db_bind_text_static (stmt, 1, server);
  cd_db_bind_int64 (stmt, 2, head->seq);
  cd_db_bind_text_static (stmt, 3, head->hash);
  cd_db_bind_int64 (stmt, 4, now);
  if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("saving the sync state"), db_error, error);
  return TRUE;
}

/**
 * cd_store_copy_routing:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @n_rules: (out) (optional): how many routing rules @self was given
 * @n_settings: (out) (optional): how many settings
 * @error: return location for an error
 *
 * Gives @self the routing rules of @from and its settings (the `meta`
 * table: the default executor, the mass-incident thresholds, whether it
 * is a demo city) that it lacks; a rule or setting @self holds otherwise
 * is refused, and nothing is copied.
 *
 * Returns: whether all of @from's rules and settings are in @self
 */
gboolean
cd_store_copy_routing (CdStore  *self,
                       CdStore  *from,
                       gint64   *n_rules,
                       gint64   *n_settings,
                       GError  **error)
{
  static const CdStoreCopyTable tables[] = {
    { "routing_rules", "position, category, district, executor", 1, "ittt" },
    { "meta", "key, value", 1, "tt" },
  };
  gint64 n[G_N_ELEMENTS (tables)] = { 0 };
  gboolean ok = cd_store_copy_tables (self, from, tables, G_N_ELEMENTS (tables), n, error);

  if (n_rules != NULL)
    *n_rules = ok ? n[0] : 0;
  if (n_settings != NULL)
    *n_settings = ok ? n[1] : 0;
  return ok;
}
