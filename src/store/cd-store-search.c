// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-search.c: tickets by number, category, state and time ranges,
 * one page at a time (Open311's requests.json and its paging extension),
 * and the external references that make an import idempotent
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-store-private.h"
#include "cd-store-search.h"

/* " IN (:n0, :n1)": values are bound, never pasted into the SQL. */
static void
append_list (GString            *sql,
             const char         *param,
             const char * const *values)
{
  g_string_append (sql, " IN (");
  if (values[0] == NULL)
    g_string_append (sql, "NULL");
  for (guint i = 0; values[i] != NULL; i++)
    g_string_append_printf (sql, "%s:%s%u", i > 0 ? ", " : "", param, i);
  g_string_append (sql, ")");
}

static char *
search_where (const CdTicketSearch *search)
{
  GString *sql = g_string_new (" WHERE 1");
  /* Within a window of registration, tickets_created holds every column
   * the conditions and the order need: a unary + keeps SQLite from
   * preferring the index by state, whose rows it would then read one by
   * one to sort and count them. */
  const char *in_window = search->created_from != 0 || search->created_to != 0 ? "+" : "";

  if (search->numbers != NULL)
    {
      g_string_append (sql, " AND (number");
      append_list (sql, "n", search->numbers);
      g_string_append (sql, " OR id");
      append_list (sql, "n", search->numbers);
      g_string_append (sql, ")");
    }
  if (search->categories != NULL)
    {
      g_string_append_printf (sql, " AND %scategory", in_window);
      append_list (sql, "c", search->categories);
    }
  if (search->states != NULL)
    {
      g_string_append_printf (sql, " AND %sstate", in_window);
      append_list (sql, "s", search->states);
    }
  if (search->created_from != 0)
    g_string_append (sql, " AND created_at >= :created_from");
  if (search->created_to != 0)
    g_string_append (sql, " AND created_at <= :created_to");
  if (search->updated_from != 0)
    g_string_append (sql, " AND updated_at >= :updated_from");
  if (search->updated_to != 0)
    g_string_append (sql, " AND updated_at <= :updated_to");
  return g_string_free (sql, FALSE);
}

static void
bind_list (sqlite3_stmt       *stmt,
           const char         *param,
           const char * const *values)
{
  if (values == NULL)
    return;
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf (":%s%u", param, i);
      int index = sqlite3_bind_parameter_index (stmt, name);

      if (index > 0)
        sqlite3_bind_text (stmt, index, values[i], -1, SQLITE_STATIC);
    }
}

static void
bind_time (sqlite3_stmt *stmt,
           const char   *name,
           gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_search (sqlite3_stmt         *stmt,
             const CdTicketSearch *search)
{
  bind_list (stmt, "n", search->numbers);
  bind_list (stmt, "c", search->categories);
  bind_list (stmt, "s", search->states);
  bind_time (stmt, ":created_from", search->created_from);
  bind_time (stmt, ":created_to", search->created_to);
  bind_time (stmt, ":updated_from", search->updated_from);
  bind_time (stmt, ":updated_to", search->updated_to);
}

/**
 * cd_store_search_tickets:
 * @self: a store
 * @search: what to find
 * @total: (out) (optional): how many tickets match, all pages together
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdTicket): one page of the
 *   tickets, newest first, or %NULL with @error set
 */
GPtrArray *
cd_store_search_tickets (CdStore               *self,
                         const CdTicketSearch  *search,
                         gint64                *total,
                         GError               **error)
{
  g_autoptr(GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (search != NULL, NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  where = search_where (search);
  if (total != NULL)
    {
      g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM tickets%s", where);

      if (sqlite3_prepare_v2 (self->db, count, -1, &stmt, NULL) != SQLITE_OK)
        return cd_store_set_sql_error (self, _("searching tickets"), error), NULL;
      bind_search (stmt, search);
      rc = sqlite3_step (stmt);
      *total = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        return cd_store_set_sql_error (self, _("searching tickets"), error), NULL;
    }

  /* The page is chosen over narrow rows, then read in full: sorting every
   * matching ticket with all its columns made deep pages slow. */
  sql = g_strdup_printf ("SELECT %s FROM tickets WHERE rowid IN ("
                         "SELECT rowid FROM tickets%s ORDER BY created_at DESC, number DESC LIMIT %d OFFSET %u)"
                         " ORDER BY created_at DESC, number DESC",
                         cd_store_ticket_columns (), where,
                         search->limit > 0 ? (int) MIN (search->limit, G_MAXINT) : -1,
                         search->offset);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("searching tickets"), error), NULL;
  bind_search (stmt, search);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tickets, cd_store_ticket_from_row (stmt));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("searching tickets"), error), NULL;
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
  g_autoptr(GString) sql = g_string_new ("SELECT " CD_STORE_EVENT_COLUMNS " FROM events WHERE entity IN (");
  sqlite3_stmt *stmt = NULL;
  GPtrArray *current = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (entities != NULL || n_entities == 0, NULL);

  if (n_entities == 0)
    return g_steal_pointer (&events);
  for (guint i = 0; i < n_entities; i++)
    g_string_append (sql, i > 0 ? ", ?" : "?");
  g_string_append (sql, ") ORDER BY entity, seq");
  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("reading the journal"), error), NULL;
  for (guint i = 0; i < n_entities; i++)
    sqlite3_bind_text (stmt, (int) i + 1, entities[i], -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CdEvent *event = cd_store_event_from_row (stmt);

      if (current == NULL || g_strcmp0 (((CdEvent *) current->pdata[0])->entity, event->entity) != 0)
        {
          current = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
          g_hash_table_replace (events, g_strdup (event->entity), current);
        }
      g_ptr_array_add (current, event);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("reading the journal"), error), NULL;
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
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT ref, entity FROM ("
                          "  SELECT json_extract (payload, '$.external_ref') AS ref, entity"
                          "  FROM events WHERE type = 'register' AND instr (payload, '\"external_ref\"') > 0)"
                          " WHERE substr (ref, 1, length (?1)) = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("reading imported references"), error), NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (refs,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("reading imported references"), error), NULL;
  return g_steal_pointer (&refs);
}
