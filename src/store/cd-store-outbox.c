// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-outbox.c: the desktop's outbox, every statement on the cache's
 * `outbox` table
 *
 * An action taken in the app is written here before it is sent, with the
 * idempotency key every attempt carries, so that nothing is lost when the
 * app or the server stops mid-request and nothing is done twice. The
 * server's answer marks it sent or refused; a refusal stays, with the
 * server's reason, until the person who acted has read it, across
 * restarts. Acknowledging keeps the row (nothing in the cache's history of
 * actions is deleted); it only stops showing.
 *
 * The action has its own column; the body holds only the action's fields.
 * Rows written before that split also carry `action` in their body: it is
 * dropped on reading.
 *
 * The cache is a SQLite file by design, on the desktop: these statements
 * stay SQLite's, and on PostgreSQL each fails with
 * %CD_STORE_ERROR_NOT_AVAILABLE (cd_store_set_sql_error()).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "cd-store-outbox.h"
#include "cd-store-private.h"

#define COLUMNS "id, idempotency_key, entity, action, body, created_at, status, error"

static const char * const status_names[] = { "pending", "sent", "refused", "acknowledged" };

/**
 * cd_outbox_entry_free:
 * @entry: (nullable): an entry
 */
void
cd_outbox_entry_free (CdOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->idempotency_key);
  g_free (entry->ticket);
  g_clear_pointer (&entry->fields, json_object_unref);
  g_free (entry->error);
  g_free (entry);
}

static CdOutboxEntry *
entry_from_row (sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(CdOutboxEntry) entry = g_new0 (CdOutboxEntry, 1);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  const char *action = (const char *) sqlite3_column_text (stmt, 3);
  const char *body = (const char *) sqlite3_column_text (stmt, 4);
  const char *status = (const char *) sqlite3_column_text (stmt, 6);
  JsonNode *root;

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->idempotency_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->ticket = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->created_at = sqlite3_column_int64 (stmt, 5);
  entry->error = g_strdup ((const char *) sqlite3_column_text (stmt, 7));

  if (!cd_action_from_string (action, &entry->action) ||
      (entry->action == CD_ACTION_REGISTER) != (entry->ticket == NULL))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_SQL,
                   _("Queued action %" PRId64 " has the unknown action “%s”."),
                   entry->id, action != NULL ? action : "");
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (status, status_names[i]) == 0)
      entry->status = (CdOutboxStatus) i;

  if (!json_parser_load_from_data (parser, body != NULL ? body : "", -1, &parse_error) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_SQL,
                   _("Queued action %" PRId64 " has a body that is not a JSON object."),
                   entry->id);
      return NULL;
    }
  entry->fields = json_node_dup_object (root);
  if (json_object_has_member (entry->fields, "action"))
    {
      /* An older row: its body was the request itself. */
      g_autoptr(JsonObject) fields = json_object_new ();
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, entry->fields);
      while (json_object_iter_next (&iter, &member, &node))
        if (!g_str_equal (member, "action"))
          json_object_set_member (fields, member, json_node_copy (node));
      json_object_unref (entry->fields);
      entry->fields = g_steal_pointer (&fields);
    }
  return g_steal_pointer (&entry);
}

/* The entries @sql selects (its columns COLUMNS, ?1 bound to @id when it
 * is not 0), in order. */
static GPtrArray *
select_entries (CdStore     *self,
                const char  *sql,
                gint64       id,
                const char  *what,
                GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_outbox_entry_free);
  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (self, what, error);
      return NULL;
    }
  if (id != 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CdOutboxEntry *entry = entry_from_row (stmt, error);

      if (entry == NULL)
        {
          sqlite3_finalize (stmt);
          return NULL;
        }
      g_ptr_array_add (entries, entry);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, what, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * cd_store_outbox_push:
 * @self: the desktop's cache
 * @idempotency_key: the key the server uses to never act twice
 * @ticket: (nullable): the ticket's id or number; %NULL to register one
 * @action: the action; %CD_ACTION_REGISTER exactly when @ticket is %NULL
 * @fields: (nullable): the action's fields (the new ticket's, for a
 *   registration); an `action` member among them is not kept
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_CONFLICT when the key is already queued
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
cd_store_outbox_push (CdStore     *self,
                      const char  *idempotency_key,
                      const char  *ticket,
                      CdAction     action,
                      JsonObject  *fields,
                      gint64       now,
                      GError     **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), 0);
  g_return_val_if_fail (idempotency_key != NULL, 0);
  g_return_val_if_fail (action < CD_N_ACTIONS, 0);
  g_return_val_if_fail ((action == CD_ACTION_REGISTER) == (ticket == NULL), 0);

  if (fields != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;

      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &member, &value))
        if (!g_str_equal (member, "action"))
          json_object_set_member (body, member, json_node_copy (value));
    }
  json_node_set_object (node, body);
  text = json_to_string (node, FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO outbox (idempotency_key, entity, action, body, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("queueing an action"), error);
  sqlite3_bind_text (stmt, 1, idempotency_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, ticket, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, cd_action_to_string (action), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("An action with the key %s is already queued."), idempotency_key);
      return 0;
    }
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("queueing an action"), error);
  return sqlite3_last_insert_rowid (self->db);
}

/**
 * cd_store_outbox_list_pending:
 * @self: the desktop's cache
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdOutboxEntry): the queued
 *   actions, in the order they are sent
 */
GPtrArray *
cd_store_outbox_list_pending (CdStore  *self,
                              GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return select_entries (self,
                         "SELECT " COLUMNS " FROM outbox WHERE status = 'pending' ORDER BY id",
                         0, _("reading the queued actions"), error);
}

/**
 * cd_store_outbox_next_pending:
 * @self: the desktop's cache
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the oldest queued action, or %NULL
 *   without @error when none is queued
 */
CdOutboxEntry *
cd_store_outbox_next_pending (CdStore  *self,
                              GError  **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  entries = select_entries (self,
                            "SELECT " COLUMNS " FROM outbox WHERE status = 'pending' "
                            "ORDER BY id LIMIT 1", 0, _("reading the queued actions"), error);
  if (entries == NULL || entries->len == 0)
    return NULL;
  return g_ptr_array_steal_index (entries, 0);
}

/**
 * cd_store_outbox_count_pending:
 * @self: the desktop's cache
 * @error: return location for an error
 *
 * Returns: how many actions are queued, or -1 with @error set
 */
gint64
cd_store_outbox_count_pending (CdStore  *self,
                               GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_return_val_if_fail (CD_IS_STORE (self), -1);

  if (sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM outbox WHERE status = 'pending'",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (self, _("reading the queued actions"), error);
      return -1;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (n < 0)
    cd_store_set_sql_error (self, _("reading the queued actions"), error);
  return n;
}

/**
 * cd_store_outbox_get:
 * @self: the desktop's cache
 * @id: an entry's id
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such entry
 *
 * Returns: (transfer full): the entry, whatever its status, or %NULL
 */
CdOutboxEntry *
cd_store_outbox_get (CdStore  *self,
                     gint64    id,
                     GError  **error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  entries = select_entries (self, "SELECT " COLUMNS " FROM outbox WHERE id = ?1", id,
                            _("reading a queued action"), error);
  if (entries == NULL)
    return NULL;
  if (entries->len == 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("There is no queued action %" PRId64 "."), id);
      return NULL;
    }
  return g_ptr_array_steal_index (entries, 0);
}

/**
 * cd_store_outbox_finish:
 * @self: the desktop's cache
 * @id: an entry's id
 * @refusal: (nullable): the server's refusal, kept to show the person who
 *   acted; %NULL when the server accepted the action
 * @error: return location for an error
 *
 * Returns: whether the entry was updated
 */
gboolean
cd_store_outbox_finish (CdStore     *self,
                        gint64       id,
                        const char  *refusal,
                        GError     **error)
{
  CdOutboxStatus status;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (sqlite3_prepare_v2 (self->db, "UPDATE outbox SET status = ?2, error = ?3 WHERE id = ?1",
                          -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("updating a queued action"), error);
  sqlite3_bind_int64 (stmt, 1, id);
  status = refusal != NULL ? CD_OUTBOX_STATUS_REFUSED : CD_OUTBOX_STATUS_SENT;
  sqlite3_bind_text (stmt, 2, status_names[status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, refusal, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("updating a queued action"), error);
  return TRUE;
}

/**
 * cd_store_outbox_list_refused:
 * @self: the desktop's cache
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdOutboxEntry): the refused
 *   actions not yet acknowledged, oldest first
 */
GPtrArray *
cd_store_outbox_list_refused (CdStore  *self,
                              GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return select_entries (self,
                         "SELECT " COLUMNS " FROM outbox WHERE status = 'refused' ORDER BY id",
                         0, _("reading the refused actions"), error);
}

/**
 * cd_store_outbox_acknowledge:
 * @self: the desktop's cache
 * @id: a refused entry's id
 * @error: return location for an error
 *
 * Marks a refusal as read.
 *
 * Returns: whether the entry was marked
 */
gboolean
cd_store_outbox_acknowledge (CdStore  *self,
                             gint64    id,
                             GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "UPDATE outbox SET status = 'acknowledged' "
                          "WHERE id = ?1 AND status = 'refused'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("marking a refused action as read"), error);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("marking a refused action as read"), error);
  return TRUE;
}
