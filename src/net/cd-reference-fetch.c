// SPDX-License-Identifier: GPL-3.0-or-later
//
// One GET /api/v1/reference, read with the same strict parser as a city's
// file, and written into the cache whole: a section the role may not read
// is emptied, so that a cache never shows names its user may not read.
// On failure the cache keeps the names it had, which is what an offline
// desktop shows.

#include "config.h"

#include <string.h>

#include "cd-reference-fetch.h"
#include "cd-store-reference.h"

static void
on_got (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdStore *cache = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(CdReferenceData) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if ((node = cd_client_get_finish (CD_CLIENT (source), result, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  text = json_to_string (node, FALSE);
  if ((data = cd_reference_data_parse (text, strlen (text), &error)) == NULL)
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                               "GET /api/v1/reference: %s", error->message);
      return;
    }
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    if (data->entries[k] == NULL)
      data->entries[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_reference_entry_free);
  if (!cd_store_reference_replace (cache, data, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * cd_reference_fetch_async:
 * @client: a logged-in client
 * @cache: the desktop's cache, written on this thread
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the names are in @cache, or not
 * @user_data: data for @callback
 *
 * Reads the server's reference data and replaces the cache's with it.
 */
void
cd_reference_fetch_async (CdClient            *client,
                          CdStore             *cache,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CD_IS_CLIENT (client));
  g_return_if_fail (CD_IS_STORE (cache));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_reference_fetch_async);
  g_task_set_task_data (task, g_object_ref (cache), g_object_unref);
  cd_client_get_async (client, "/api/v1/reference", cancellable, on_got, task);
}

/**
 * cd_reference_fetch_finish:
 * @result: the result
 * @error: return location for a %CD_CLIENT_ERROR or a %CD_STORE_ERROR
 *
 * Returns: whether the cache holds the server's reference data now
 */
gboolean
cd_reference_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
