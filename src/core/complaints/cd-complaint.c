// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint.c: a complaint as its journal and figures read it */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-complaint.h"
#include "cd-event.h"
#include "cd-ticket.h"

static void
take_string (char       **field,
             const char  *value)
{
  if (value == NULL)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static char *
complainant (const CdTicket *t)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *address = NULL;

  if (t->resident_name != NULL)
    g_string_append (s, t->resident_name);
  address = g_strjoin (" ", t->street != NULL ? t->street : "",
                       t->building != NULL ? t->building : "", NULL);
  g_strstrip (address);
  if (*address != '\0')
    g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", address);
  if (t->flat != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", t->flat);
  if (t->district != NULL)
    g_string_append_printf (s, "%s%s", s->len > 0 ? ", " : "", t->district);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * cd_complaint_new:
 * @ticket: a ticket of kind complaint
 * @events: (array length=n_events): its events, in order
 * @n_events: their number
 *
 * The last classify and answer win: classifying again corrects the class,
 * and a reopened complaint answered again has that answer.
 *
 * Returns: (transfer full): the complaint
 */
CdComplaint *
cd_complaint_new (const CdTicket  *ticket,
                  CdEvent * const *events,
                  guint            n_events)
{
  CdComplaint *self = g_new0 (CdComplaint, 1);

  self->ticket = cd_ticket_ref ((CdTicket *) ticket);
  self->number = g_strdup (ticket->number);
  self->received = ticket->created_at;
  self->complainant = complainant (ticket);
  self->summary = g_strdup (ticket->description);
  for (guint i = 0; i < n_events; i++)
    {
      CdEvent *e = events[i];

      if (g_str_equal (e->type, "classify"))
        {
          take_string (&self->klass, cd_event_get_string (e, "class"));
          take_string (&self->responsible, cd_event_get_string (e, "responsible"));
          take_string (&self->cause, cd_event_get_string (e, "cause"));
        }
      else if (g_str_equal (e->type, "answer"))
        {
          take_string (&self->decision, cd_event_get_string (e, "decision"));
          take_string (&self->favour, cd_event_get_string (e, "favour"));
          g_clear_pointer (&self->reasons, g_free);
          take_string (&self->reasons, cd_event_get_string (e, "reasons"));
          g_clear_pointer (&self->answer, g_free);
          take_string (&self->answer, cd_event_get_string (e, "note"));
          g_clear_pointer (&self->appeal, g_free);
          take_string (&self->appeal, cd_event_get_string (e, "appeal"));
          self->answered_at = e->time;
        }
      else if (g_str_equal (e->type, "propose"))
        {
          take_string (&self->proposal, cd_event_get_string (e, "note"));
          g_clear_pointer (&self->proposal_group, g_free);
          take_string (&self->proposal_group, cd_event_get_string (e, "group"));
          self->proposed_at = e->time;
        }
      else if (g_str_equal (e->type, "link") &&
               g_strcmp0 (cd_event_get_string (e, "relation"), "about") == 0)
        {
          const char *kind = cd_event_get_string (e, "about");

          /* A link the registration did not make (`link` through `ticket
           * act` or the API) names a ticket: those targets are tickets. */
          take_string (&self->about, cd_event_get_string (e, "target"));
          take_string (&self->about_kind, kind != NULL ? kind : "ticket");
        }
    }
  return self;
}

void
cd_complaint_free (CdComplaint *self)
{
  if (self == NULL)
    return;
  g_free (self->number);
  g_free (self->klass);
  g_free (self->responsible);
  g_free (self->complainant);
  g_free (self->summary);
  g_free (self->decision);
  g_free (self->favour);
  g_free (self->reasons);
  g_free (self->about);
  g_free (self->about_kind);
  g_free (self->executor);
  g_free (self->operator);
  g_free (self->cause);
  g_free (self->answer);
  g_free (self->appeal);
  g_free (self->proposal);
  g_free (self->proposal_group);
  g_clear_pointer (&self->ticket, cd_ticket_unref);
  g_free (self);
}

/**
 * cd_complaint_decision_label:
 * @decision: (nullable): upheld, partly_upheld or refused
 *
 * Returns: the decision as the journal's "result" column says it, or ""
 */
const char *
cd_complaint_decision_label (const char *decision)
{
  if (g_strcmp0 (decision, "upheld") == 0)
    return _("Upheld");
  if (g_strcmp0 (decision, "partly_upheld") == 0)
    return _("Partly upheld");
  if (g_strcmp0 (decision, "refused") == 0)
    return _("Refused");
  return "";
}

/**
 * cd_complaint_favour_label:
 * @favour: (nullable): resident or organization
 *
 * Returns: in whose favour, for people, or ""
 */
const char *
cd_complaint_favour_label (const char *favour)
{
  if (g_strcmp0 (favour, "resident") == 0)
    return _("Resident");
  if (g_strcmp0 (favour, "organization") == 0)
    return _("Organization");
  return "";
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. */
static void
append_field (GString    *out,
              const char *text,
              gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

/**
 * cd_complaint_journal_to_csv:
 * @rows: (array length=n_rows): the complaints, in order of receipt
 * @n_rows: their number
 * @zone: the zone of the dates
 *
 * The journal as a quality department keeps it (DOMAIN.md), one row a
 * complaint: No. | date received | classification | complainant's name and
 * address | summary | result | in whose favour. A refusal's result carries
 * its reasons.
 *
 * Returns: (transfer full): RFC 4180 CSV with a header row, lines ending
 *   in CR LF
 */
char *
cd_complaint_journal_to_csv (CdComplaint * const *rows,
                             guint                n_rows,
                             GTimeZone           *zone)
{
  GString *out = g_string_new (NULL);

  append_field (out, _("No."), FALSE);
  append_field (out, _("Date received"), FALSE);
  append_field (out, _("Classification"), FALSE);
  append_field (out, _("Complainant’s name and address"), FALSE);
  append_field (out, _("Summary"), FALSE);
  append_field (out, _("Result"), FALSE);
  append_field (out, _("In whose favour"), TRUE);
  for (guint i = 0; i < n_rows; i++)
    {
      const CdComplaint *c = rows[i];
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (c->received);
      g_autoptr(GDateTime) local = dt != NULL ? g_date_time_to_timezone (dt, zone) : NULL;
      g_autofree char *date = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;
      g_autofree char *result = NULL;

      if (c->reasons != NULL)
        /* Translators: a refusal in the complaint journal's "Result"
         * column: the decision, then its reasons. */
        result = g_strdup_printf (_("%s: %s"), cd_complaint_decision_label (c->decision),
                                  c->reasons);
      append_field (out, c->number, FALSE);
      append_field (out, date, FALSE);
      append_field (out, c->klass, FALSE);
      append_field (out, c->complainant, FALSE);
      append_field (out, c->summary, FALSE);
      append_field (out, result != NULL ? result : cd_complaint_decision_label (c->decision),
                    FALSE);
      append_field (out, cd_complaint_favour_label (c->favour), TRUE);
    }
  return g_string_free (out, FALSE);
}

static void
count (JsonObject *object,
       const char *member)
{
  json_object_set_int_member (object, member,
                              json_object_get_int_member_with_default (object, member, 0) + 1);
}

static JsonObject *
zeros (const char * const *members)
{
  JsonObject *o = json_object_new ();

  for (guint i = 0; members[i] != NULL; i++)
    json_object_set_int_member (o, members[i], 0);
  return o;
}

static const char * const stat_decisions[] = { "upheld", "partly_upheld", "refused", NULL };

/* Complaints about a call, per operator who took it, in name order. */
static JsonArray *
by_operator (CdComplaint * const *rows,
             guint                n_rows)
{
  g_autoptr(GHashTable) operators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) json_object_unref);
  g_autoptr(GList) names = NULL;
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < n_rows; i++)
    {
      const CdComplaint *c = rows[i];
      JsonObject *o;

      if (c->operator == NULL || g_strcmp0 (c->about_kind, "call") != 0)
        continue;
      if ((o = g_hash_table_lookup (operators, c->operator)) == NULL)
        {
          o = zeros (stat_decisions);
          json_object_set_string_member (o, "operator", c->operator);
          json_object_set_int_member (o, "received", 0);
          g_hash_table_insert (operators, g_strdup (c->operator), o);
        }
      count (o, "received");
      if (c->decision != NULL && g_strv_contains (stat_decisions, c->decision))
        count (o, c->decision);
    }
  names = g_list_sort (g_hash_table_get_keys (operators), (GCompareFunc) g_utf8_collate);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *o = g_hash_table_lookup (operators, l->data);
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "operator", l->data);
      json_object_set_int_member (row, "received", json_object_get_int_member (o, "received"));
      for (guint d = 0; stat_decisions[d] != NULL; d++)
        json_object_set_int_member (row, stat_decisions[d],
                                    json_object_get_int_member (o, stat_decisions[d]));
      json_array_add_object_element (out, row);
    }
  return out;
}

typedef struct
{
  const char *name;
  const char *phone;
  GPtrArray  *numbers;  /* (element-type utf8) (transfer none) */
  guint       first;    /* the row of the first complaint, for a stable order */
} Repeat;

static void
repeat_free (gpointer data)
{
  Repeat *r = data;

  g_ptr_array_unref (r->numbers);
  g_free (r);
}

static int
by_complaints (gconstpointer a,
               gconstpointer b)
{
  const Repeat *x = *(Repeat * const *) a;
  const Repeat *y = *(Repeat * const *) b;

  if (x->numbers->len != y->numbers->len)
    return x->numbers->len > y->numbers->len ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Residents who complain again and again: the same phone number, else the
 * same name at the same address (a name alone is too common to tell two
 * people apart). */
static JsonArray *
repeat_complainants (CdComplaint * const *rows,
                     guint                n_rows)
{
  g_autoptr(GHashTable) residents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          repeat_free);
  g_autoptr(GPtrArray) repeats = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  JsonArray *out = json_array_new ();

  for (guint i = 0; i < n_rows; i++)
    {
      const CdTicket *t = rows[i]->ticket;
      g_autofree char *key = NULL;
      Repeat *r;

      if (t == NULL)
        continue;
      if (!is_blank (t->resident_phone))
        key = g_strconcat ("phone\n", t->resident_phone, NULL);
      else if (!is_blank (t->resident_name))
        key = g_strjoin ("\n", "name", t->resident_name, t->street != NULL ? t->street : "",
                         t->building != NULL ? t->building : "", t->flat != NULL ? t->flat : "",
                         NULL);
      else
        continue;
      if ((r = g_hash_table_lookup (residents, key)) == NULL)
        {
          r = g_new0 (Repeat, 1);
          r->numbers = g_ptr_array_new ();
          r->first = i;
          g_hash_table_insert (residents, g_steal_pointer (&key), r);
        }
      if (r->name == NULL && !is_blank (t->resident_name))
        r->name = t->resident_name;
      if (r->phone == NULL && !is_blank (t->resident_phone))
        r->phone = t->resident_phone;
      g_ptr_array_add (r->numbers, rows[i]->number);
    }

  g_hash_table_iter_init (&iter, residents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Repeat *) value)->numbers->len >= 2)
      g_ptr_array_add (repeats, value);
  g_ptr_array_sort (repeats, by_complaints);
  for (guint i = 0; i < repeats->len; i++)
    {
      const Repeat *r = repeats->pdata[i];
      JsonObject *row = json_object_new ();
      JsonArray *numbers = json_array_new ();

      if (r->name != NULL)
        json_object_set_string_member (row, "name", r->name);
      else
        json_object_set_null_member (row, "name");
      if (r->phone != NULL)
        json_object_set_string_member (row, "phone", r->phone);
      else
        json_object_set_null_member (row, "phone");
      json_object_set_int_member (row, "complaints", r->numbers->len);
      for (guint n = 0; n < r->numbers->len; n++)
        json_array_add_string_element (numbers, r->numbers->pdata[n]);
      json_object_set_array_member (row, "numbers", numbers);
      json_array_add_object_element (out, row);
    }
  return out;
}

/**
 * cd_complaint_stats:
 * @rows: (array length=n_rows): the complaints received in a period
 * @n_rows: their number
 *
 * Returns: (transfer full): `{"received", "answered", "answered_on_time",
 *   "decisions": {"upheld", "partly_upheld", "refused"}, "favour":
 *   {"resident", "organization"}, "by_executor": [{"executor", "received",
 *   "upheld", "partly_upheld", "refused"}], "by_operator": [{"operator",
 *   "received", "upheld", "partly_upheld", "refused"}], "repeat_complainants":
 *   [{"name", "phone", "complaints", "numbers"}]}`, executors by name, the
 *   complaints about no ticket last with executor null; operators (of the
 *   calls complained about) by name; the residents with 2 complaints or more
 *   (by phone, else by name and address), most complaints first
 */
JsonObject *
cd_complaint_stats (CdComplaint * const *rows,
                    guint                n_rows)
{
  static const char * const decisions[] = { "upheld", "partly_upheld", "refused", NULL };
  static const char * const favours[] = { "resident", "organization", NULL };
  JsonObject *stats = json_object_new ();
  JsonObject *by_decision = zeros (decisions);
  JsonObject *by_favour = zeros (favours);
  g_autoptr(GHashTable) executors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) nobody = NULL;
  g_autoptr(GList) names = NULL;
  JsonArray *by_executor = json_array_new ();
  gint64 answered = 0, on_time = 0;

  for (guint i = 0; i < n_rows; i++)
    {
      const CdComplaint *c = rows[i];
      JsonObject *e;

      if (c->executor == NULL)
        e = nobody != NULL ? nobody : (nobody = zeros (decisions));
      else if ((e = g_hash_table_lookup (executors, c->executor)) == NULL)
        {
          e = zeros (decisions);
          g_hash_table_insert (executors, g_strdup (c->executor), e);
        }
      count (e, "received");
      if (c->decision == NULL)
        continue;
      answered++;
      on_time += c->on_time;
      if (g_strv_contains (decisions, c->decision))
        {
          count (by_decision, c->decision);
          count (e, c->decision);
        }
      if (c->favour != NULL && g_strv_contains (favours, c->favour))
        count (by_favour, c->favour);
    }

  names = g_list_sort (g_hash_table_get_keys (executors), (GCompareFunc) strcmp);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *row = json_object_new ();
      JsonObject *e = g_hash_table_lookup (executors, l->data);

      json_object_set_string_member (row, "executor", l->data);
      json_object_set_int_member (row, "received", json_object_get_int_member (e, "received"));
      for (guint d = 0; decisions[d] != NULL; d++)
        json_object_set_int_member (row, decisions[d],
                                    json_object_get_int_member (e, decisions[d]));
      json_array_add_object_element (by_executor, row);
    }
  if (nobody != NULL)
    {
      JsonObject *row = json_object_new ();

      json_object_set_null_member (row, "executor");
      json_object_set_int_member (row, "received", json_object_get_int_member (nobody, "received"));
      for (guint d = 0; decisions[d] != NULL; d++)
        json_object_set_int_member (row, decisions[d],
                                    json_object_get_int_member (nobody, decisions[d]));
      json_array_add_object_element (by_executor, row);
    }

  json_object_set_array_member (stats, "by_operator", by_operator (rows, n_rows));
  json_object_set_array_member (stats, "repeat_complainants", repeat_complainants (rows, n_rows));
  json_object_set_int_member (stats, "received", n_rows);
  json_object_set_int_member (stats, "answered", answered);
  json_object_set_int_member (stats, "answered_on_time", on_time);
  json_object_set_object_member (stats, "decisions", by_decision);
  json_object_set_object_member (stats, "favour", by_favour);
  json_object_set_array_member (stats, "by_executor", by_executor);
  return stats;
}
