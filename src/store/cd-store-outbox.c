// SPDX-License-Identifier: GPL-3.0-or-later
//
// The refused side of the desktop's outbox: an action the server refused
// stays in the cache, with the server's reason, until the person who acted
// has read it, across restarts. Acknowledging keeps the row (nothing in the
// cache's history of actions is deleted); it only stops showing.

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-store-outbox.h"
#include "cd-store-private.h"

/**
 * cd_store_outbox_list_refused:
 * @self: the desktop's cache
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type JsonObject): the refused
 *   actions not yet acknowledged, oldest first, each with `id`, `entity`,
 *   `action`, `body`, `error` and `created_at`
 */
GPtrArray *
cd_store_outbox_list_refused (CdStore  *self,
                              GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT id, entity, action, body, error, created_at FROM outbox "
                          "WHERE status = 'refused' ORDER BY id", -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (self, _("reading the refused actions"), error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *entry = json_object_new ();
      const char *entity = (const char *) sqlite3_column_text (stmt, 1);
      const char *reason = (const char *) sqlite3_column_text (stmt, 4);

      json_object_set_int_member (entry, "id", sqlite3_column_int64 (stmt, 0));
      if (entity != NULL)
        json_object_set_string_member (entry, "entity", entity);
      json_object_set_string_member (entry, "action", (const char *) sqlite3_column_text (stmt, 2));
      json_object_set_string_member (entry, "body", (const char *) sqlite3_column_text (stmt, 3));
      json_object_set_string_member (entry, "error", reason != NULL ? reason : "");
      json_object_set_int_member (entry, "created_at", sqlite3_column_int64 (stmt, 5));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, _("reading the refused actions"), error);
      return NULL;
    }
  return g_steal_pointer (&entries);
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

  if (sqlite3_prepare_v2 (self->db, "UPDATE outbox SET status = 'acknowledged' WHERE id = ?1 AND status = 'refused'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("marking a refused action as read"), error);
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("marking a refused action as read"), error);
  return TRUE;
}
