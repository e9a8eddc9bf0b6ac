// SPDX-License-Identifier: GPL-3.0-or-later
//
// The HTTP side of citydesk-server: routes, JSON answers and errors in the
// one shape every client expects: {"error":{"code":…,"message":…}}.

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cd-server.h"

struct _CdServer
{
  GObject     parent_instance;

  SoupServer *soup;
};

G_DEFINE_FINAL_TYPE (CdServer, cd_server, G_TYPE_OBJECT)

static void
send_json (SoupServerMessage *msg,
           guint              status,
           JsonNode          *body)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize len = 0;

  json_generator_set_root (generator, body);
  text = json_generator_to_data (generator, &len);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

static void
send_error (SoupServerMessage *msg,
            guint              status,
            const char        *code,
            const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  send_json (msg, status, root);
}

static void
handle_version (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                  "Only GET is allowed here");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "citydesk-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  send_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_not_found (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  g_autofree char *message = g_strdup_printf ("No such resource: %s", path);

  send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message);
}

static void
cd_server_finalize (GObject *object)
{
  CdServer *self = (CdServer *)object;

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (cd_server_parent_class)->finalize (object);
}

static void
cd_server_class_init (CdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_server_finalize;
}

static void
cd_server_init (CdServer *self)
{
  self->soup = soup_server_new ("server-header", "citydesk-server/" PACKAGE_VERSION " ", NULL);

  soup_server_add_handler (self->soup, "/api/v1/version", handle_version, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_not_found, self, NULL);
}

CdServer *
cd_server_new (void)
{
  return g_object_new (CD_TYPE_SERVER, NULL);
}

/**
 * cd_server_listen:
 * @self: a #CdServer
 * @address: "HOST:PORT"; port 0 picks a free port (see cd_server_get_uris())
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the server listens
 */
gboolean
cd_server_listen (CdServer    *self,
                  const char  *address,
                  GError     **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  connectable = g_network_address_parse (address, 8080, &local_error);
  if (connectable == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an address to listen on (expected HOST:PORT): %s"),
                   address, local_error->message);
      return FALSE;
    }

  enumerator = g_socket_connectable_enumerate (connectable);
  socket_address = g_socket_address_enumerator_next (enumerator, NULL, &local_error);
  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot resolve “%s”: %s"), address,
                   local_error ? local_error->message : _("no address found"));
      return FALSE;
    }

  return soup_server_listen (self->soup, socket_address, 0, error);
}

/**
 * cd_server_get_uris:
 * @self: a #CdServer
 *
 * Returns: (transfer full) (element-type GUri): where the server listens
 */
GSList *
cd_server_get_uris (CdServer *self)
{
  g_return_val_if_fail (CD_IS_SERVER (self), NULL);

  return soup_server_get_uris (self->soup);
}
