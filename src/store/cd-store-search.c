// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-search.c: tickets by a filter, all at once (the API's list,
 * `citydeskctl tickets`) or a page at a time (Open311's requests.json and
 * its paging extension), and the external references that make an import
 * idempotent
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-journal-db.h"
#include "cd-store-private.h"
#include "cd-store-search.h"
#include "cd-ticket-filter-private.h"

/* "No limit" as both dialects write it: SQLite's -1 is an error to
 * PostgreSQL, which has no other number for it either. */
static gint64
limit_of (guint limit)
{
  return limit > 0 ? (gint64) limit : G_MAXINT64;
}

/**
 * cd_store_list_tickets:
 * @self: a store
 * @filter: which tickets
 * @limit: at most this many; 0 for all
 * @error: return location for an error
 *
 * Breached tickets (the tile %CD_OVERDUE_TILE_BREACHED) come worst first
 * (earliest due time); others in order of registration. The conditions
 * are those of cd_monitor_is_overdue(), cd_monitor_is_stale() and
 * cd_monitor_is_unacknowledged(), run in SQL over the partial indexes of
 * open tickets.
 *
 * Returns: (transfer container) (element-type CdTicket): the tickets, or
 *   %NULL with @error set
 */
GPtrArray *
cd_store_list_tickets (CdStore               *self,
                       const CdTicketFilter  *filter,
                       guint                  limit,
                       GError               **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  where = cd_ticket_filter_where_db (filter, self->conn, TRUE);
  sql = g_strdup_printf ("SELECT %s FROM tickets%s ORDER BY %s LIMIT %" G_GINT64_FORMAT,
                         cd_store_ticket_columns (), where,
                         filter->tile == CD_OVERDUE_TILE_BREACHED ? "due_at, number"
                                                                  : "created_at, number",
                         limit_of (limit));
  stmt = cd_db_prepare (self->conn, sql, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("listing tickets"), db_error, error), NULL;
  cd_ticket_filter_bind_db (filter, self, stmt);

  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (tickets, cd_store_ticket_from_db_row (stmt));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("listing tickets"), db_error, error), NULL;
  return g_steal_pointer (&tickets);
}

/**
 * cd_store_search_tickets:
 * @self: a store
 * @filter: which tickets
 * @limit: at most this many; 0 for all
 * @offset: skip this many first
 * @total: (out) (optional): how many tickets match, all pages together
 * @error: return location for an error
 *
 * Tickets come newest first (by registration, then number), so that pages
 * are stable while new tickets arrive only at the front.
 *
 * Returns: (transfer container) (element-type CdTicket): one page of the
 *   tickets, or %NULL with @error set
 */
GPtrArray *
cd_store_search_tickets (CdStore               *self,
                         const CdTicketFilter  *filter,
                         guint                  limit,
                         guint                  offset,
                         gint64                *total,
                         GError               **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  const char *key;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  where = cd_ticket_filter_where_db (filter, self->conn, TRUE);
  if (total != NULL)
    {
      g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM tickets%s", where);

      stmt = cd_db_prepare (self->conn, count, &db_error);
      if (stmt == NULL)
        return cd_store_db_error (self, _("searching tickets"), db_error, error), NULL;
      cd_ticket_filter_bind_db (filter, self, stmt);
      if (cd_db_step (stmt, &db_error) != CD_DB_ROW)
        return cd_store_db_error (self, _("searching tickets"), db_error, error), NULL;
      *total = cd_db_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, cd_db_stmt_free);
    }

  /* The page is chosen over narrow rows, then read in full: sorting every
   * matching ticket with all its columns made deep pages slow. */
  key = cd_db_dialect (self->conn, CD_DB_DIALECT_ROW_KEY);
  sql = g_strdup_printf (
      "SELECT %s FROM tickets WHERE %s IN ("
      "SELECT %s FROM tickets%s ORDER BY created_at DESC, number DESC LIMIT %" G_GINT64_FORMAT
      " OFFSET %u) ORDER BY created_at DESC, number DESC",
      cd_store_ticket_columns (), key, key, where, limit_of (limit), offset);
  stmt = cd_db_prepare (self->conn, sql, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("searching tickets"), db_error, error), NULL;
  cd_ticket_filter_bind_db (filter, self, stmt);

  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (tickets, cd_store_ticket_from_db_row (stmt));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("searching tickets"), db_error, error), NULL;
  return g_steal_pointer (&tickets);
}

/**
 * cd_store_list_events_of:
 * @self: a store
 * @entities: (array length=n_entities): ticket ids (a page of tickets)
 * @n_entities: how many
 * @error: return location for an error
 *
 * The events of a page of tickets in one statement, rather than one
 * cd_store_list_events() per ticket.
 *
 * Returns: (transfer full) (element-type utf8 GPtrArray): each ticket id
 *   that has events to its events (#CdEvent) in sequence order, or %NULL
 *   with @error set
 */
GHashTable *
cd_store_list_events_of (CdStore            *self,
                         const char * const *entities,
                         guint               n_entities,
                         GError            **error)
{
  g_autoptr(GHashTable) events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GString) sql = g_string_new ("SELECT " CD_STORE_EVENT_COLUMNS
                                          " FROM events WHERE entity IN (");
  g_autoptr(CdDbStmt) stmt = NULL;
  GPtrArray *current = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (entities != NULL || n_entities == 0, NULL);

  if (n_entities == 0)
    return g_steal_pointer (&events);
  for (guint i = 0; i < n_entities; i++)
    g_string_append (sql, i > 0 ? ", ?" : "?");
  g_string_append (sql, ") ORDER BY entity, seq");
  stmt = cd_db_prepare (self->conn, sql->str, &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("reading the journal"), db_error, error), NULL;
  for (guint i = 0; i < n_entities; i++)
    cd_db_bind_text_static (stmt, (int) i + 1, entities[i]);

  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdEvent *event = cd_journal_db_event_from_row (stmt);

      if (current == NULL ||
          g_strcmp0 (((CdEvent *) current->pdata[0])->entity, event->entity) != 0)
        {
          current = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
          g_hash_table_replace (events, g_strdup (event->entity), current);
        }
      g_ptr_array_add (current, event);
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the journal"), db_error, error), NULL;
  return g_steal_pointer (&events);
}

/**
 * cd_store_list_external_refs:
 * @self: a store
 * @prefix: where the references start, such as `open311:`
 * @error: return location for an error
 *
 * An importer writes the source's id into the `external_ref` member of a
 * ticket's `register` event; the journal is the one record of it, so a
 * second import of the same file finds every ticket it made before.
 *
 * Returns: (transfer full) (element-type utf8 utf8): external reference to
 *   the ticket's UUID, or %NULL with @error set
 */
GHashTable *
cd_store_list_external_refs (CdStore     *self,
                             const char  *prefix,
                             GError     **error)
{
  g_autoptr(GHashTable) refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  /* The payload is read here rather than by SQL's JSON functions, which
   * the two dialects spell differently; the LIKE keeps it to the few
   * registrations an import wrote. */
  stmt = cd_db_prepare (self->conn,
                        "SELECT payload, entity FROM events WHERE type = 'register'"
                        " AND payload LIKE '%\"external\\_ref\"%' ESCAPE '\\'",
                        &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("reading imported references"), db_error, error), NULL;

  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      JsonNode *root;
      const char *ref;

      if (!json_parser_load_from_data (parser, cd_db_column_text (stmt, 0), -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      ref = json_object_get_string_member_with_default (json_node_get_object (root),
                                                        "external_ref", NULL);
      if (ref != NULL && g_str_has_prefix (ref, prefix))
        g_hash_table_insert (refs, g_strdup (ref), g_strdup (cd_db_column_text (stmt, 1)));
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading imported references"), db_error, error), NULL;
  return g_steal_pointer (&refs);
}
