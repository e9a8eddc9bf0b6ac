// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-feedback.c: the feedback department's callbacks in the API
 *
 * GET /api/v1/callbacks lists the open callback tasks, GET
 * /api/v1/callbacks/stats gives the supervisor's figures: the same JSON
 * as `citydeskctl callbacks list|stats --json` (docs/feedback.md). A
 * callback is recorded as the ticket action `callback` through POST
 * /api/v1/tickets/{number}/actions, with its Idempotency-Key.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-server-private.h"
#include "cd-store-feedback.h"

/* ?now=ISO (default: the server's clock), ?due_before=ISO, ?open=true for
 * only the tasks whose calling window is open now. */
static void
list_callbacks (CdServer          *self,
                SoupServerMessage *msg,
                CdUser            *user,
                GHashTable        *query)
{
  static const char * const known[] = { "now", "due_before", "open", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *open = query != NULL ? g_hash_table_lookup (query, "open") : NULL;
  gint64 now = cd_server_now (self), due_before = 0;
  JsonArray *array;

  if (!cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_time (msg, query, "now", FALSE, zone, &now) ||
      !cd_server_parse_time (msg, query, "due_before", FALSE, zone, &due_before))
    return;
  if (open != NULL && !g_str_equal (open, "true") && !g_str_equal (open, "false"))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("“open” must be true or false."), "open");
      return;
    }
  if (!cd_store_list_feedback_tasks (self->store, now, due_before,
                                     g_strcmp0 (open, "true") == 0, user->role, &tasks, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  array = json_array_sized_new (tasks->len);
  for (guint i = 0; i < tasks->len; i++)
    json_array_add_object_element (array, cd_feedback_task_to_json (tasks->pdata[i], zone));
  json_object_set_array_member (root, "callbacks", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* ?from=ISO&to=ISO (required), ?now=ISO. */
static void
callback_stats (CdServer          *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  static const char * const known[] = { "from", "to", "now", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdFeedbackStats) stats = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = cd_server_now (self), from = 0, to = 0;

  if (!cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_time (msg, query, "from", TRUE, zone, &from) ||
      !cd_server_parse_time (msg, query, "to", TRUE, zone, &to) ||
      !cd_server_parse_time (msg, query, "now", FALSE, zone, &now))
    return;
  if (to <= from)
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("The period ends before it starts."), "to");
      return;
    }
  if (!cd_store_feedback_stats (self->store, from, to, now, &stats, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  root = cd_feedback_stats_to_json (stats, zone);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static void
handle_callbacks (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  gboolean stats;

  stats = g_str_equal (path, "/api/v1/callbacks/stats");
  if (!stats && !g_str_equal (path, "/api/v1/callbacks"))
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

      cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
      return;
    }
  if ((user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_CALLBACKS, NULL) ||
      !cd_server_check_method (msg, SOUP_METHOD_GET))
    return;
  if (stats)
    callback_stats (self, msg, query);
  else
    list_callbacks (self, msg, user, query);
}

void
cd_server_feedback_install (CdServer *self)
{
  soup_server_add_handler (self->soup, "/api/v1/callbacks", handle_callbacks, self, NULL);
}
