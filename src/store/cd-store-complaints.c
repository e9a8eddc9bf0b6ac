// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-complaints.c: the complaints of a period, as the journal reads them */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-complaint-template.h"
#include "cd-complaint-templates.h"
#include "cd-dispatch.h"
#include "cd-event.h"
#include "cd-sla-library.h"
#include "cd-store-complaints.h"
#include "cd-store-private.h"
#include "cd-store-search.h"
#include "cd-ticket-filter.h"

/* Whether the answer clock, as the ticket's last event judged it, was met. */
static gboolean
answered_on_time (const CdTicket *ticket)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *clocks;

  if (ticket->clocks == NULL || !json_parser_load_from_data (parser, ticket->clocks, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  clocks = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (clocks); i++)
    {
      JsonNode *node = json_array_get_element (clocks, i);
      JsonObject *clock;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      clock = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (clock, "target", NULL),
                     "answer") == 0)
        return g_strcmp0 (json_object_get_string_member_with_default (clock, "state", NULL),
                          "met") == 0;
    }
  return FALSE;
}

static int
by_receipt (gconstpointer a,
            gconstpointer b)
{
  const CdComplaint *x = *(CdComplaint * const *) a;
  const CdComplaint *y = *(CdComplaint * const *) b;

  if (x->received != y->received)
    return x->received < y->received ? -1 : 1;
  return g_strcmp0 (x->number, y->number);
}

/* The operator who took the call a complaint is about. */
static gboolean
find_operator (CdStore      *self,
               CdDbStmt     *stmt,
               CdComplaint  *c,
               GError      **error)
{
  GError *db_error = NULL;
  CdDbStep rc;

  cd_db_reset (stmt);
  cd_db_bind_text (stmt, 1, c->about);
  rc = cd_db_step (stmt, &db_error);
  if (rc == CD_DB_ROW && !cd_db_column_is_null (stmt, 0))
    c->operator = g_strdup (cd_db_column_text (stmt, 0));
  if (rc == CD_DB_ROW)
    {
      c->call_entered = cd_db_column_int64 (stmt, 1);
      c->call_wait = cd_db_column_int64 (stmt, 2);
      c->call_talk = cd_db_column_int64 (stmt, 3);
    }
  cd_db_reset (stmt);
  if (rc == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the complaints"), db_error, error);
  return TRUE;
}

/* The statement find_operator() runs. */
static CdDbStmt *
prepare_operator (CdStore  *self,
                  GError  **error)
{
  GError *db_error = NULL;
  CdDbStmt *stmt;

  stmt = cd_db_prepare (self->conn, "SELECT agent, entered_at, hold_seconds, talk_seconds "
                                    "FROM calls WHERE id = ?1", &db_error);
  if (stmt == NULL)
    cd_store_db_error (self, _("reading the complaints"), db_error, error);
  return stmt;
}

static void
copy_member (JsonObject  *from,
             const char  *name,
             JsonNode    *node,
             gpointer     data)
{
  json_object_set_member (data, name, json_node_copy (node));
}

/* What the journal adds to a complaint beyond its events: the executor or
 * the operator it is about, and whether its answer clock was met. */
static gboolean
fill_about (CdStore      *self,
            CdDbStmt     *stmt,
            CdComplaint  *c,
            GError      **error)
{
  c->on_time = c->decision != NULL && answered_on_time (c->ticket);
  if (g_strcmp0 (c->about_kind, "ticket") == 0)
    {
      g_autoptr(CdTicket) about = cd_store_load_ticket (self, c->about, NULL);

      if (about != NULL)
        c->executor = g_strdup (about->executor);
      return TRUE;
    }
  if (g_strcmp0 (c->about_kind, "call") == 0)
    return find_operator (self, stmt, c, error);
  return TRUE;
}

/**
 * cd_store_list_complaints:
 * @self: a store
 * @from: registered at or after (0: since the first)
 * @to: registered at or before (0: up to now)
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type CdComplaint): the complaints,
 *   in order of receipt (registration time, then number), each with the
 *   executor of the ticket or the operator of the call it is about and
 *   whether its answer clock was met, or %NULL with @error set
 */
GPtrArray *
cd_store_list_complaints (CdStore  *self,
                          gint64    from,
                          gint64    to,
                          GError  **error)
{
  CdTicketFilter filter = { 0 };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GHashTable) events = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_complaint_free);
  g_autoptr(CdDbStmt) stmt = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  filter.kind = "complaint";
  filter.created_from = from;
  filter.created_to = to;
  if ((tickets = cd_store_list_tickets (self, &filter, 0, error)) == NULL)
    return NULL;
  for (guint i = 0; i < tickets->len; i++)
    g_ptr_array_add (ids, ((CdTicket *) tickets->pdata[i])->id);
  if ((events = cd_store_list_events_of (self, (const char * const *) ids->pdata, ids->len,
                                         error)) == NULL)
    return NULL;
  if ((stmt = prepare_operator (self, error)) == NULL)
    return NULL;

  for (guint i = 0; ok && i < tickets->len; i++)
    {
      CdTicket *t = g_ptr_array_index (tickets, i);
      GPtrArray *list = g_hash_table_lookup (events, t->id);
      CdComplaint *c = cd_complaint_new (t, list != NULL ? (CdEvent * const *) list->pdata : NULL,
                                         list != NULL ? list->len : 0);

      g_ptr_array_add (rows, c);
      ok = fill_about (self, stmt, c, error);
    }
  if (!ok)
    return NULL;
  g_ptr_array_sort (rows, by_receipt);
  return g_steal_pointer (&rows);
}

/**
 * cd_store_load_complaint:
 * @self: a store
 * @id_or_number: a complaint's number or id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the complaint as cd_store_list_complaints()
 *   reads it, or %NULL with @error set (not a ticket, or not a complaint:
 *   %CD_STORE_ERROR_NOT_FOUND)
 */
CdComplaint *
cd_store_load_complaint (CdStore     *self,
                         const char  *id_or_number,
                         GError     **error)
{
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GHashTable) events = NULL;
  g_autoptr(CdComplaint) c = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((ticket = cd_store_load_ticket (self, id_or_number, error)) == NULL)
    return NULL;
  if (ticket->kind != CD_TICKET_KIND_COMPLAINT)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("Ticket %s is not a complaint."), ticket->number);
      return NULL;
    }
  if ((events = cd_store_list_events_of (self, (const char * const *) &ticket->id, 1,
                                         error)) == NULL)
    return NULL;
  list = g_hash_table_lookup (events, ticket->id);
  c = cd_complaint_new (ticket, list != NULL ? (CdEvent * const *) list->pdata : NULL,
                        list != NULL ? list->len : 0);
  if ((stmt = prepare_operator (self, error)) == NULL || !fill_about (self, stmt, c, error))
    return NULL;
  return g_steal_pointer (&c);
}

/**
 * cd_store_set_complaint_language:
 * @self: a store
 * @language: (nullable): the language of the complaint letters, as the
 *   server's `notify-language`; %NULL or "en" for the plain files
 */
void
cd_store_set_complaint_language (CdStore    *self,
                                 const char *language)
{
  g_return_if_fail (CD_IS_STORE (self));

  if (g_strcmp0 (self->complaint_language, language) == 0)
    return;
  g_free (self->complaint_language);
  self->complaint_language = g_strdup (language);
  g_clear_pointer (&self->complaint_templates, cd_complaint_templates_free);
}

/**
 * cd_store_get_complaint_templates:
 * @self: a store
 * @error: a template that cannot be read or names an unknown field
 *
 * The letters of `complaints/` beside the SLA library's `policies/` (the
 * store's data folder), in the store's language, read when first needed.
 *
 * Returns: (transfer none): the templates, or %NULL with @error set
 */
CdComplaintTemplates *
cd_store_get_complaint_templates (CdStore  *self,
                                  GError  **error)
{
  CdSlaLibrary *sla;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (self->complaint_templates != NULL)
    return self->complaint_templates;
  if ((sla = cd_store_get_sla_library (self, error)) == NULL)
    return NULL;
  self->complaint_templates = cd_complaint_templates_load (cd_sla_library_get_dir (sla),
                                                           self->complaint_language, error);
  return self->complaint_templates;
}

/**
 * cd_store_complaint_draft:
 * @self: a store
 * @complaint: a complaint
 * @zone: the zone of the dates in the letters
 * @appeal: (out) (optional) (transfer full): the notice of the right to
 *   appeal when the decision so far is a refusal (the one sent, else the
 *   template's), else %NULL
 * @error: a template that cannot be read
 *
 * Returns: (transfer full) (nullable): the draft answer from the template
 *   of the complaint's class, %NULL (without @error) before it is
 *   classified or when that class has no template; %NULL with @error set on
 *   a failure
 */
char *
cd_store_complaint_draft (CdStore            *self,
                          const CdComplaint  *complaint,
                          GTimeZone          *zone,
                          char              **appeal,
                          GError            **error)
{
  CdComplaintTemplates *templates;
  g_autofree char *answer = NULL;
  const char *text;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (appeal != NULL)
    *appeal = NULL;
  if ((templates = cd_store_get_complaint_templates (self, error)) == NULL)
    return NULL;
  if (complaint->klass != NULL &&
      (text = cd_complaint_templates_get (templates, complaint->klass)) != NULL &&
      (answer = cd_complaint_template_render (cd_complaint_templates_get_file (templates,
                                                                             complaint->klass),
                                              text, complaint, zone, error)) == NULL)
    return NULL;
  if (appeal != NULL && g_strcmp0 (complaint->decision, "refused") == 0)
    {
      if (complaint->appeal != NULL)
        *appeal = g_strdup (complaint->appeal);
      else if ((text = cd_complaint_templates_get (templates, "appeal")) != NULL &&
               (*appeal = cd_complaint_template_render (
                  cd_complaint_templates_get_file (templates, "appeal"), text, complaint, zone,
                  error)) == NULL)
        return NULL;
    }
  return g_steal_pointer (&answer);
}

/**
 * cd_store_fill_appeal:
 * @self: a store
 * @ticket: a complaint
 * @payload: (nullable): an `answer`'s payload
 * @time: the answer's time
 * @error: a template that cannot be read, or the history that cannot
 *
 * A refusal (decision `refused`) without an `appeal` gets the notice of the
 * resident's right to appeal, the data folder's `appeal.txt` in the store's
 * language rendered for the complaint as this answer leaves it; without a
 * template such a refusal is refused (the rule "a refusal carries the
 * notice of the right to appeal"). Any other payload is left as it is.
 *
 * Returns: (transfer full): the payload to journal (a reference to
 *   @payload or a filled copy), or %NULL with @error set
 */
JsonObject *
cd_store_fill_appeal (CdStore         *self,
                      const CdTicket  *ticket,
                      JsonObject      *payload,
                      gint64           time,
                      GError         **error)
{
  g_autoptr(CdComplaint) complaint = NULL;
  g_autoptr(CdEvent) answer = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *notice = NULL;
  CdComplaintTemplates *templates;
  JsonObject *filled;
  const char *text;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (payload == NULL ||
      g_strcmp0 (json_object_get_string_member_with_default (payload, "decision", NULL),
                 "refused") != 0 ||
      json_object_has_member (payload, "appeal") || ticket->kind != CD_TICKET_KIND_COMPLAINT)
    return payload != NULL ? json_object_ref (payload) : NULL;
  if ((templates = cd_store_get_complaint_templates (self, error)) == NULL)
    return NULL;
  /* A write-time rule, not the dispatch table's: a replay must still read
   * the refusals journaled before the notice was required. */
  if ((text = cd_complaint_templates_get (templates, "appeal")) == NULL)
    {
      g_set_error_literal (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_MISSING_FIELD,
                           _("Refused by the rule “a refusal carries the notice of the right "
                             "to appeal”: appeal is missing."));
      return NULL;
    }

  if ((events = cd_store_list_events (self, ticket->id, 0, 0, error)) == NULL)
    return NULL;
  answer = cd_event_new (ticket->id, "answer", "", "", time, payload);
  g_ptr_array_add (events, cd_event_ref (answer));
  complaint = cd_complaint_new (ticket, (CdEvent * const *) events->pdata, events->len);
  if ((notice = cd_complaint_template_render (cd_complaint_templates_get_file (templates,
                                                                             "appeal"),
                                              text, complaint, zone, error)) == NULL)
    return NULL;

  filled = json_object_new ();
  json_object_foreach_member (payload, copy_member, filled);
  json_object_set_string_member (filled, "appeal", notice);
  return filled;
}

/**
 * cd_store_fill_proposal:
 * @payload: a `propose`'s payload
 * @time: the proposal's time
 *
 * A proposal for a group (`group`) without `due` is due 20 days on, its own
 * clock (docs/complaints.md), as an ISO 8601 date-time in UTC.
 *
 * Returns: (transfer full): the payload to journal (a reference to
 *   @payload or a filled copy)
 */
JsonObject *
cd_store_fill_proposal (JsonObject *payload,
                        gint64      time)
{
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *text = NULL;
  JsonObject *filled;

  g_return_val_if_fail (payload != NULL, NULL);

  if (!json_object_has_member (payload, "group") || json_object_has_member (payload, "due") ||
      (due = g_date_time_new_from_unix_utc (time + CD_COMPLAINT_PROPOSAL_DAYS * 86400)) == NULL)
    return json_object_ref (payload);
  text = g_date_time_format (due, "%Y-%m-%dT%H:%M:%SZ");
  filled = json_object_new ();
  json_object_foreach_member (payload, copy_member, filled);
  json_object_set_string_member (filled, "due", text);
  return filled;
}

/**
 * cd_store_check_classified:
 * @self: a store
 * @ticket: a complaint about to be answered
 * @role: the role answering
 * @error: a %CD_DISPATCH_ERROR_WRONG_STATE naming the rule
 *
 * A complaint is answered once classified: the class picks the answer's
 * letter and the person responsible signs it. The table lets `answer` start
 * from `assigned`, which routing or an `assign` reach without a `classify`,
 * so the store asks the history. A role or a state the table refuses anyway
 * is left to the table, which names its own rule.
 *
 * Returns: whether the complaint may be answered
 */
gboolean
cd_store_check_classified (CdStore         *self,
                           const CdTicket  *ticket,
                           const char      *role,
                           GError         **error)
{
  const CdTransition *t = cd_dispatch_get_transition (CD_ACTION_ANSWER);
  g_autoptr(GPtrArray) events = NULL;
  CdRole r;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (ticket->kind != CD_TICKET_KIND_COMPLAINT || !cd_role_from_string (role, &r) ||
      (t->roles & CD_ROLE_BIT (r)) == 0 || (t->from & CD_STATE_BIT (ticket->state)) == 0)
    return TRUE;
  if ((events = cd_store_list_events (self, ticket->id, 0, 0, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (((CdEvent *) events->pdata[i])->type, "classify"))
      return TRUE;
  g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_WRONG_STATE,
               _("Refused by the rule “a complaint is answered once classified”: ticket %s has "
                 "no classify."), ticket->number);
  return FALSE;
}
