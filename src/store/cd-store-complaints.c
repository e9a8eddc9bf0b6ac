// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-complaints.c: the complaints of a period, as the journal reads them */

#include "config.h"

#include <glib/gi18n-lib.h>

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
               sqlite3_stmt *stmt,
               CdComplaint  *c,
               GError      **error)
{
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, c->about, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    c->operator = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, _("reading the complaints"), error);
      return FALSE;
    }
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
  sqlite3_stmt *stmt = NULL;
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
  if (sqlite3_prepare_v2 (self->db, "SELECT agent FROM calls WHERE id = ?1", -1, &stmt, NULL)
      != SQLITE_OK)
    {
      cd_store_set_sql_error (self, _("reading the complaints"), error);
      return NULL;
    }

  for (guint i = 0; ok && i < tickets->len; i++)
    {
      CdTicket *t = g_ptr_array_index (tickets, i);
      GPtrArray *list = g_hash_table_lookup (events, t->id);
      CdComplaint *c = cd_complaint_new (t, list != NULL ? (CdEvent * const *) list->pdata : NULL,
                                         list != NULL ? list->len : 0);

      g_ptr_array_add (rows, c);
      c->on_time = c->decision != NULL && answered_on_time (t);
      if (g_strcmp0 (c->about_kind, "ticket") == 0)
        {
          g_autoptr(CdTicket) about = cd_store_load_ticket (self, c->about, NULL);

          if (about != NULL)
            c->executor = g_strdup (about->executor);
        }
      else if (g_strcmp0 (c->about_kind, "call") == 0)
        ok = find_operator (self, stmt, c, error);
    }
  sqlite3_finalize (stmt);
  if (!ok)
    return NULL;
  g_ptr_array_sort (rows, by_receipt);
  return g_steal_pointer (&rows);
}
