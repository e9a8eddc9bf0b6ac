// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket.c: the ticket, a projection of its events */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-ticket.h"

G_DEFINE_BOXED_TYPE (CdTicket, cd_ticket, cd_ticket_ref, cd_ticket_unref)

/**
 * cd_ticket_new_summary:
 *
 * Returns: (transfer full): an empty ticket without a history, for a
 *   projection read back from storage
 */
CdTicket *
cd_ticket_new_summary (void)
{
  CdTicket *self = g_new0 (CdTicket, 1);

  self->ref_count = 1;
  self->state = CD_TICKET_STATE_NEW;
  self->resume_state = CD_TICKET_STATE_IN_PROGRESS;
  self->kind = CD_TICKET_KIND_ROUTINE;
  return self;
}

/**
 * cd_ticket_new:
 *
 * Returns: (transfer full): an empty ticket in %CD_TICKET_STATE_NEW, ready
 *   for its `register` event; it keeps the history the SLA engine needs
 */
CdTicket *
cd_ticket_new (void)
{
  CdTicket *self = cd_ticket_new_summary ();

  self->history = g_array_new (FALSE, TRUE, sizeof (CdSlaEvent));
  return self;
}

CdTicket *
cd_ticket_copy (const CdTicket *self)
{
  CdTicket *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->ref_count = 1;
  copy->id = g_strdup (self->id);
  copy->number = g_strdup (self->number);
  copy->category = g_strdup (self->category);
  copy->channel = g_strdup (self->channel);
  copy->district = g_strdup (self->district);
  copy->street = g_strdup (self->street);
  copy->building = g_strdup (self->building);
  copy->flat = g_strdup (self->flat);
  copy->resident_name = g_strdup (self->resident_name);
  copy->resident_phone = g_strdup (self->resident_phone);
  copy->description = g_strdup (self->description);
  copy->executor = g_strdup (self->executor);
  copy->repeat_of = g_strdup (self->repeat_of);
  copy->duplicate_of = g_strdup (self->duplicate_of);
  copy->notice = g_strdup (self->notice);
  copy->policy = g_strdup (self->policy);
  copy->incident = g_strdup (self->incident);
  copy->clocks = g_strdup (self->clocks);
  if (self->history != NULL)
    {
      copy->history = g_array_sized_new (FALSE, TRUE, sizeof (CdSlaEvent), self->history->len);
      g_array_append_vals (copy->history, self->history->data, self->history->len);
    }
  return copy;
}

CdTicket *
cd_ticket_ref (CdTicket *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cd_ticket_unref (CdTicket *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->number);
  g_free (self->category);
  g_free (self->channel);
  g_free (self->district);
  g_free (self->street);
  g_free (self->building);
  g_free (self->flat);
  g_free (self->resident_name);
  g_free (self->resident_phone);
  g_free (self->description);
  g_free (self->executor);
  g_free (self->repeat_of);
  g_free (self->duplicate_of);
  g_free (self->notice);
  g_free (self->policy);
  g_free (self->incident);
  g_free (self->clocks);
  g_clear_pointer (&self->history, g_array_unref);
  g_free (self);
}

gboolean
cd_ticket_is_open (const CdTicket *self)
{
  return cd_ticket_state_is_open (self->state);
}

/**
 * cd_ticket_has_address:
 * @self: a ticket
 *
 * Returns: whether the ticket says where: a street (or, for an Open311
 *   record with only coordinates, the coordinates in its place), rather
 *   than %CD_TICKET_NO_ADDRESS
 */
gboolean
cd_ticket_has_address (const CdTicket *self)
{
  return self->street != NULL && *self->street != '\0' &&
         !g_str_equal (self->street, CD_TICKET_NO_ADDRESS);
}

/**
 * cd_ticket_number_parse:
 * @number: a ticket number such as `2026-000123`
 * @year: (out) (optional): its year
 * @sequence: (out) (optional): its place in that year
 *
 * Returns: whether @number is four digits of a year, a dash, and six or
 *   more digits of a sequence starting at 1
 */
gboolean
cd_ticket_number_parse (const char *number,
                        int        *year,
                        guint      *sequence)
{
  gsize len;
  guint64 seq = 0;
  int y = 0;

  if (number == NULL)
    return FALSE;
  len = strlen (number);
  if (len < 11 || len > 15 || number[4] != '-')
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (i == 4)
        continue;
      if (!g_ascii_isdigit (number[i]))
        return FALSE;
      if (i < 4)
        y = y * 10 + (number[i] - '0');
      else
        seq = seq * 10 + (guint64) (number[i] - '0');
    }
  if (y < 1970 || seq == 0 || seq > G_MAXUINT)
    return FALSE;

  if (year != NULL)
    *year = y;
  if (sequence != NULL)
    *sequence = (guint) seq;
  return TRUE;
}

char *
cd_ticket_number_format (int   year,
                         guint sequence)
{
  return g_strdup_printf ("%04d-%06u", year, sequence);
}

/**
 * cd_ticket_format_id:
 * @unix_ms: when the ticket is registered, in milliseconds since the epoch
 * @random_a: random bits (12 of them are used)
 * @random_b: random bits (62 of them are used)
 * @out: (out caller-allocates): 37 bytes for the id and its nul
 *
 * Writes a ticket id: a UUID of version 7 (RFC 9562), whose first 48 bits
 * are @unix_ms. Ids made later sort after earlier ones, so the primary key
 * of the tickets and the journal's index by entity grow at their end, not
 * at random places: a store keeps the recent part of them in its cache.
 */
void
cd_ticket_format_id (gint64  unix_ms,
                     guint64 random_a,
                     guint64 random_b,
                     char    out[37])
{
  guint64 ms = (guint64) CLAMP (unix_ms, 0, G_GINT64_CONSTANT (0xffffffffffff));

  g_snprintf (out, 37, "%08x-%04x-7%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) (ms >> 16), (guint) (ms & 0xffff), (guint) (random_a & 0xfff),
              (guint) (0x8000 | ((random_b >> 48) & 0x3fff)),
              random_b & G_GUINT64_CONSTANT (0xffffffffffff));
}

/* The history as text, for the projection's `sla_history` column: one
 * entry per event, `TYPE DELTA STATE`, where DELTA is the seconds since the
 * previous entry (since the epoch for the first), and for `extend`
 * `TARGET SECONDS DAYS` after it, the target URI-escaped or `-`. Entries
 * are separated by `;`. A ticket read back from the projection then has
 * what its clocks are judged on without a replay of its events. */

/**
 * cd_ticket_dup_history_text:
 * @self: a ticket
 *
 * Returns: (transfer full) (nullable): the history as text, or %NULL when
 *   @self has none
 */
char *
cd_ticket_dup_history_text (const CdTicket *self)
{
  GString *out;
  gint64 previous = 0;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->history == NULL)
    return NULL;

  out = g_string_sized_new (32 * self->history->len + 1);
  for (guint i = 0; i < self->history->len; i++)
    {
      const CdSlaEvent *e = &g_array_index (self->history, CdSlaEvent, i);

      if (i > 0)
        g_string_append_c (out, ';');
      g_string_append_printf (out, "%s %" G_GINT64_FORMAT " %s", e->type, e->time - previous,
                              e->state != NULL ? e->state : "-");
      previous = e->time;
      if (g_strcmp0 (e->type, "extend") == 0)
        {
          g_string_append_c (out, ' ');
          if (e->target != NULL)
            g_string_append_uri_escaped (out, e->target, NULL, FALSE);
          else
            g_string_append_c (out, '-');
          g_string_append_printf (out, " %" G_GINT64_FORMAT " %u", e->extend_seconds,
                                  e->extend_days);
        }
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_int64 (const char *text,
             gint64     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtoll (text, &end, 10);
  return *end == '\0';
}

static gboolean
parse_history_entry (const char *entry,
                     gint64     *time,
                     CdSlaEvent *e)
{
  g_auto(GStrv) fields = g_strsplit (entry, " ", -1);
  guint n = g_strv_length (fields);
  CdAction action;
  CdTicketState state;
  gint64 delta, seconds, days;

  if ((n != 3 && n != 6) || !cd_action_from_string (fields[0], &action) ||
      !parse_int64 (fields[1], &delta))
    return FALSE;
  *time += delta;

  memset (e, 0, sizeof *e);
  e->type = cd_action_to_string (action);
  e->time = *time;
  if (g_str_equal (fields[2], "-"))
    e->state = NULL;
  else if (cd_ticket_state_from_string (fields[2], &state))
    e->state = cd_ticket_state_to_string (state);
  else
    return FALSE;

  if (action == CD_ACTION_EXTEND)
    {
      if (n != 6 || !parse_int64 (fields[4], &seconds) || !parse_int64 (fields[5], &days) ||
          days < 0 || days > G_MAXUINT)
        return FALSE;
      if (!g_str_equal (fields[3], "-"))
        {
          g_autofree char *target = g_uri_unescape_string (fields[3], NULL);

          if (target == NULL)
            return FALSE;
          e->target = g_intern_string (target);
        }
      e->extend_seconds = seconds;
      e->extend_days = (guint) days;
    }
  else if (n != 3)
    return FALSE;
  return TRUE;
}

/**
 * cd_ticket_set_history_text:
 * @self: a ticket
 * @text: what cd_ticket_dup_history_text() wrote
 *
 * Gives @self the history written in @text. Text that does not parse
 * leaves @self as it was: the caller then replays the events.
 *
 * Returns: whether @text was a history
 */
gboolean
cd_ticket_set_history_text (CdTicket   *self,
                            const char *text)
{
  g_autoptr(GArray) history = NULL;
  g_auto(GStrv) entries = NULL;
  gint64 time = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (text == NULL || *text == '\0')
    return FALSE;

  entries = g_strsplit (text, ";", -1);
  history = g_array_sized_new (FALSE, TRUE, sizeof (CdSlaEvent), g_strv_length (entries));
  for (guint i = 0; entries[i] != NULL; i++)
    {
      CdSlaEvent e;

      if (!parse_history_entry (entries[i], &time, &e))
        return FALSE;
      g_array_append_val (history, e);
    }
  g_clear_pointer (&self->history, g_array_unref);
  self->history = g_steal_pointer (&history);
  return TRUE;
}

static void
set_optional (JsonObject *object,
              const char *member,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static void
set_time (JsonObject *object,
          const char *member,
          gint64      value)
{
  if (value != 0)
    json_object_set_int_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/**
 * cd_ticket_to_json:
 * @self: a ticket
 *
 * Returns: (transfer full): the ticket as the API and `--json` show it
 */
JsonObject *
cd_ticket_to_json (const CdTicket *self)
{
  JsonObject *object = json_object_new ();
  JsonObject *address = json_object_new ();
  JsonObject *resident = json_object_new ();
  JsonObject *links = json_object_new ();

  set_optional (object, "id", self->id);
  set_optional (object, "number", self->number);
  json_object_set_string_member (object, "kind", cd_ticket_kind_to_string (self->kind));
  set_optional (object, "category", self->category);
  set_optional (object, "channel", self->channel);
  json_object_set_string_member (object, "state", cd_ticket_state_to_string (self->state));

  set_optional (address, "district", self->district);
  set_optional (address, "street", self->street);
  set_optional (address, "building", self->building);
  set_optional (address, "flat", self->flat);
  if (self->has_location)
    {
      json_object_set_double_member (address, "lat", self->lat);
      json_object_set_double_member (address, "lon", self->lon);
    }
  json_object_set_object_member (object, "address", address);

  set_optional (resident, "name", self->resident_name);
  set_optional (resident, "phone", self->resident_phone);
  json_object_set_object_member (object, "resident", resident);
  set_optional (object, "description", self->description);
  set_optional (object, "executor", self->executor);

  set_optional (links, "repeat_of", self->repeat_of);
  set_optional (links, "duplicate_of", self->duplicate_of);
  set_optional (links, "notice", self->notice);
  set_optional (links, "incident", self->incident);
  json_object_set_object_member (object, "links", links);
  set_optional (object, "policy", self->policy);

  set_time (object, "created_at", self->created_at);
  set_time (object, "updated_at", self->updated_at);
  set_time (object, "executor_at", self->executor_at);
  set_time (object, "assigned_at", self->assigned_at);
  set_time (object, "accepted_at", self->accepted_at);
  set_time (object, "resolved_at", self->resolved_at);
  set_time (object, "closed_at", self->closed_at);
  set_time (object, "due_at", self->due_at);
  set_time (object, "at_risk_at", self->at_risk_at);
  json_object_set_int_member (object, "breached", self->breached);
  json_object_set_int_member (object, "reopen_count", self->reopen_count);
  json_object_set_int_member (object, "escalations", self->escalations);
  json_object_set_int_member (object, "reminders", self->reminders);
  json_object_set_int_member (object, "extensions", self->extensions);
  json_object_set_int_member (object, "last_seq", self->last_seq);
  return object;
}

static void
append_instant (GString *s,
                gint64   value)
{
  if (value == CD_SLA_NEVER || value == CD_SLA_NEVER_BEFORE)
    g_string_append (s, "null");
  else
    g_string_append_printf (s, "%" G_GINT64_FORMAT, value);
}

/**
 * cd_ticket_set_clocks:
 * @self: a ticket
 * @clocks: (nullable): its clocks as cd_sla_clock_evaluate() judged them,
 *   or %NULL when no policy applies
 *
 * Keeps what the dashboards query cheaply: due_at, the earliest deadline
 * of a cycle still open and not paused (a breached one included: it is
 * overdue); at_risk_at, the earliest at-risk point of those cycles;
 * breached, the number of cycles judged breached; and clocks, each
 * target's state as compact JSON.
 */
void
cd_ticket_set_clocks (CdTicket    *self,
                      CdSlaClocks *clocks)
{
  g_autoptr(GString) json = NULL;
  gint64 due = CD_SLA_NEVER, at_risk = CD_SLA_NEVER;
  guint breached = 0;

  g_clear_pointer (&self->clocks, g_free);
  self->due_at = 0;
  self->at_risk_at = 0;
  self->breached = 0;
  if (clocks == NULL)
    return;

  json = g_string_new ("[");
  for (guint i = 0; i < cd_sla_clocks_get_n_targets (clocks); i++)
    {
      const CdSlaTarget *target = cd_sla_clocks_get_target (clocks, i);
      guint n = cd_sla_clocks_get_n_cycles (clocks, i);
      const CdSlaCycle *last = n > 0 ? cd_sla_clocks_get_cycle (clocks, i, n - 1) : NULL;

      for (guint c = 0; c < n; c++)
        if (cd_sla_clocks_get_cycle (clocks, i, c)->state == CD_SLA_CLOCK_BREACHED)
          breached++;

      if (last != NULL && last->stopped == CD_SLA_NEVER && last->state != CD_SLA_CLOCK_PAUSED)
        {
          due = MIN (due, last->due);
          if (last->state != CD_SLA_CLOCK_BREACHED)
            at_risk = MIN (at_risk, last->at_risk_from);
        }

      g_string_append_printf (json, "%s{\"target\":\"%s\",\"state\":\"%s\",\"due\":",
                              i > 0 ? "," : "", target->name,
                              cd_sla_clock_state_to_string (cd_sla_clocks_get_state (clocks, i)));
      append_instant (json, last != NULL ? last->due : CD_SLA_NEVER);
      g_string_append (json, ",\"at_risk\":");
      append_instant (json, last != NULL ? last->at_risk_from : CD_SLA_NEVER);
      g_string_append_c (json, '}');
    }
  g_string_append_c (json, ']');

  self->due_at = due != CD_SLA_NEVER ? due : 0;
  self->at_risk_at = at_risk != CD_SLA_NEVER ? at_risk : 0;
  self->breached = breached;
  self->clocks = g_string_free (g_steal_pointer (&json), FALSE);
}

/**
 * cd_ticket_dup_due_target:
 * @self: a ticket whose clocks the store has judged
 *
 * The SLA target the ticket's due time belongs to: the running clock with
 * the earliest deadline, as cd_ticket_set_clocks() summed them up.
 *
 * Returns: (transfer full) (nullable): the target's name, or %NULL when no
 *   clock runs
 */
char *
cd_ticket_dup_due_target (const CdTicket *self)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *clocks;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->clocks == NULL || self->due_at == 0)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, self->clocks, -1, NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;

  clocks = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (clocks); i++)
    {
      JsonObject *clock = json_array_get_object_element (clocks, i);

      if (clock != NULL &&
          json_object_get_int_member_with_default (clock, "due", 0) == self->due_at)
        return g_strdup (json_object_get_string_member_with_default (clock, "target", NULL));
    }
  return NULL;
}
