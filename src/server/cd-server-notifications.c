// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-notifications.c: GET /api/v1/notifications, the queue of
 * messages to residents as the supervisor sees it (docs/notifications.md)
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cd-server-private.h"
#include "cd-store-notifications.h"

/* The newest first, at most this many unless ?limit= says fewer. */
#define MAX_ROWS 1000

static void
refuse_param (SoupServerMessage *msg,
              const char        *field,
              const char        *message)
{
  cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, field);
}

static void
handle_notifications (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *state_text = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  CdNotificationState state = CD_NOTIFICATION_PENDING;
  guint64 limit = MAX_ROWS;
  JsonArray *array;

  if (!g_str_equal (path, "/api/v1/notifications"))
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

      cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
      return;
    }
  if ((user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_check_method (msg, SOUP_METHOD_GET) ||
      !cd_server_may_read (msg, user, CD_RESOURCE_NOTIFICATIONS, NULL))
    return;
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_str_equal (key, "state") && !g_str_equal (key, "limit"))
          {
            g_autofree char *message = g_strdup_printf (_("Unknown parameter “%s”."),
                                                        (const char *) key);

            refuse_param (msg, key, message);
            return;
          }
    }
  if (state_text != NULL && !cd_notification_state_from_string (state_text, &state))
    {
      refuse_param (msg, "state", _("“state” must be pending, sending, sent or failed."));
      return;
    }
  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, MAX_ROWS, &limit, NULL))
    {
      refuse_param (msg, "limit", _("“limit” must be a whole number from 1 to 1000."));
      return;
    }

  if (!cd_store_list_notifications (self->store, state_text != NULL ? (int) state : -1,
                                    user->role, (guint) limit, &rows, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  array = json_array_sized_new (rows->len);
  for (guint i = 0; i < rows->len; i++)
    json_array_add_object_element (array, cd_notification_to_json (rows->pdata[i]));
  root = json_object_new ();
  json_object_set_array_member (root, "notifications", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

void
cd_server_notifications_install (CdServer *self)
{
  soup_server_add_handler (self->soup, "/api/v1/notifications", handle_notifications, self,
                           NULL);
}
