// SPDX-License-Identifier: GPL-3.0-or-later
//
// GET /api/v1/stream: a WebSocket that first sends the events after the
// client's cursor and then every event committed afterwards, each as
// {"type":"event","event":EVENT}, its personal data masked for a role that
// does not see it and, for an executor, only its organization's tickets'
// events (as in the feed, cd_access_scope()). The journal is polled every few
// milliseconds as well as right after the API's own commits, so that
// events written by anything else (the demo city, Open311, another process
// on the same file) reach the clients within the 100 ms the API promises.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-server-private.h"

#define POLL_INTERVAL_MS 25
#define KEEPALIVE_SECONDS 30
/* Beyond this many missing events the client is told to use the feed. */
#define MAX_BACKLOG 10000
/* Events read from the journal per step while catching a client up. */
#define BATCH 1000

/* What the handshake learnt, for the connection that follows. */
typedef struct
{
  gint64  after;
  char   *role;
  /* Set for a role that reads only its organization's events. */
  char   *org;
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_free (handshake->role);
  g_free (handshake->org);
  g_free (handshake);
}

typedef struct
{
  CdServerStream          *stream;
  SoupWebsocketConnection *conn;
  gint64                   sent;
  /* The user's role, which decides what it sees of residents' data. */
  char                    *role;
  /* For a role that reads only its organization's events (the access
   * table's "own"), that organization: the others' are never sent. */
  char                    *org;
} Client;

struct _CdServerStream
{
  CdServer  *server;
  GPtrArray *clients;
  guint      poll_id;
};

static void
client_free (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->conn, client);
  if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (client->conn);
  g_free (client->role);
  g_free (client->org);
  g_free (client);
}

static void
send_object (Client     *client,
             JsonObject *object)
{
  g_autofree char *text = cd_server_object_to_text (object, NULL);

  soup_websocket_connection_send_text (client->conn, text);
}

static void
send_event (Client     *client,
            CdEvent    *event,
            const char *prev_hash)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(CdEvent) shown = cd_event_for_role (event, client->role);
  JsonObject *object = cd_event_to_json (shown);

  /* As in the feed: a filtered stream's events come with the hash before
   * them, but for a masked format-1 copy, which has nothing to check. */
  if (prev_hash != NULL && !shown->payload_masked)
    json_object_set_string_member (object, "prev_hash", prev_hash);
  json_object_set_string_member (message, "type", "event");
  json_object_set_object_member (message, "event", object);
  send_object (client, message);
  client->sent = event->seq;
}

/* Sends @client what it has not seen up to @head. */
static gboolean
catch_up (CdServerStream  *stream,
          Client          *client,
          gint64           head,
          GError         **error)
{
  CdStore *store = stream->server->store;

  while (client->sent < head &&
         soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      g_autoptr(GPtrArray) events = NULL;
      g_autoptr(GPtrArray) prev_hashes = NULL;

      gint64 upto = head;

      if (client->org != NULL)
        {
          if (client->sent < head - CD_STORE_ORG_SCAN_WINDOW)
            upto = client->sent + CD_STORE_ORG_SCAN_WINDOW;
          events = cd_store_list_org_events (store, client->org, client->sent, upto, BATCH,
                                             &prev_hashes, error);
        }
      else
        events = cd_store_list_events (store, NULL, client->sent, BATCH, error);
      if (events == NULL)
        return FALSE;
      for (guint i = 0; i < events->len; i++)
        send_event (client, g_ptr_array_index (events, i),
                    prev_hashes != NULL ? g_ptr_array_index (prev_hashes, i) : NULL);
      /* A filtered batch that is not full went through the journal up to
       * @upto, past events this client may not see. */
      if (client->org != NULL && events->len < BATCH)
        client->sent = upto;
      if (events->len == 0 && upto >= head)
        break;
    }
  return TRUE;
}

/**
 * cd_server_stream_poll:
 * @stream: the stream
 *
 * Pushes the events committed since the last push to every client.
 */
void
cd_server_stream_poll (CdServerStream *stream)
{
  g_autoptr(GError) error = NULL;
  gint64 head;

  if (stream->clients->len == 0)
    return;
  if ((head = cd_store_get_last_seq (stream->server->store, &error)) < 0)
    {
      g_warning ("The stream cannot read the journal: %s", error->message);
      return;
    }
  for (guint i = 0; i < stream->clients->len; i++)
    {
      Client *client = g_ptr_array_index (stream->clients, i);

      if (client->sent < head && !catch_up (stream, client, head, &error))
        {
          g_warning ("The stream cannot read the journal: %s", error->message);
          return;
        }
    }
}

static gboolean
on_poll (gpointer user_data)
{
  cd_server_stream_poll (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_closed (SoupWebsocketConnection *conn,
           Client                  *client)
{
  /* Frees @client. */
  g_ptr_array_remove (client->stream->clients, client);
}

static const char *handshake_key = "cd-stream-handshake";

/* A browser sends the page's origin with the upgrade and lets any page
 * open a WebSocket anywhere: without this check, a page elsewhere could
 * use a token it got hold of from a victim's browser. Allowed: no Origin
 * (a program, not a browser), the server's own host, or one of the
 * allowed-origins of [server]. */
static gboolean
origin_allowed (CdServer          *server,
                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *origin = soup_message_headers_get_one (headers, "Origin");
  const char *host = soup_message_headers_get_one (headers, "Host");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *origin_host = NULL;

  if (origin == NULL)
    return TRUE;
  if (server->config->allowed_origins != NULL &&
      g_strv_contains ((const char * const *) server->config->allowed_origins, origin))
    return TRUE;
  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || host == NULL)
    return FALSE;
  origin_host = g_uri_get_port (uri) > 0
    ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
    : g_strdup (g_uri_get_host (uri));
  return g_ascii_strcasecmp (origin_host, host) == 0;
}

/* libsoup refuses a broken handshake itself, in HTML: checked here with
 * the same extensions (its default, permessage-deflate), it is answered
 * in the API's error shape. */
static gboolean
websocket_handshake_valid (SoupServerMessage *msg)
{
  g_autoptr(GPtrArray) extensions = g_ptr_array_new_with_free_func (g_type_class_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (extensions, g_type_class_ref (SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE));
  if (soup_websocket_server_check_handshake (msg, NULL, NULL, extensions, &error))
    return TRUE;
  cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message, NULL);
  return FALSE;
}

/* The plain HTTP half of the upgrade: authenticate and read the cursor.
 * Setting a status here stops libsoup from upgrading. */
static void
handle_handshake (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  CdServerStream *stream = user_data;
  g_autoptr(CdUser) user = NULL;
  const char *after_text = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  const char *upgrade;
  guint64 after = 0;
  Handshake *handshake;
  CdAccessScope scope;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET))
    return;
  if (!origin_allowed (stream->server, msg))
    {
      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                            _("The stream does not accept connections from this origin."), "Origin");
      return;
    }
  if ((user = cd_server_authenticate (stream->server, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_EVENTS, &scope))
    return;
  if (after_text != NULL &&
      !g_ascii_string_to_unsigned (after_text, 10, 0, G_MAXINT64, &after, NULL))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("“after” must be a sequence number (a whole number, 0 or more)."), "after");
      return;
    }
  upgrade = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Upgrade");
  if (upgrade == NULL || g_ascii_strcasecmp (upgrade, "websocket") != 0)
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("/api/v1/stream is a WebSocket: send an Upgrade: websocket request."), NULL);
      return;
    }
  if (!websocket_handshake_valid (msg))
    return;
  handshake = g_new0 (Handshake, 1);
  handshake->after = (gint64) after;
  handshake->role = g_strdup (user->role);
  handshake->org = scope == CD_ACCESS_OWN ? g_strdup (user->org) : NULL;
  g_object_set_data_full (G_OBJECT (msg), handshake_key, handshake, (GDestroyNotify) handshake_free);
}

static void
handle_websocket (SoupServer              *server,
                  SoupServerMessage       *msg,
                  const char              *path,
                  SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  CdServerStream *stream = user_data;
  g_autoptr(GError) error = NULL;
  Handshake *handshake = g_object_get_data (G_OBJECT (msg), handshake_key);
  Client *client;
  gint64 head;

  if (handshake == NULL)
    {
      /* Not through handle_handshake(): not authenticated. */
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      return;
    }

  client = g_new0 (Client, 1);
  client->stream = stream;
  client->conn = g_object_ref (conn);
  client->sent = handshake->after;
  client->role = g_strdup (handshake->role);
  client->org = g_strdup (handshake->org);
  soup_websocket_connection_set_keepalive_interval (conn, KEEPALIVE_SECONDS);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), client);
  g_ptr_array_add (stream->clients, client);

  if ((head = cd_store_get_last_seq (stream->server->store, &error)) < 0)
    {
      g_warning ("The stream cannot read the journal: %s", error->message);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, NULL);
      return;
    }
  if (head - client->sent > MAX_BACKLOG)
    {
      g_autoptr(JsonObject) message = json_object_new ();

      json_object_set_string_member (message, "type", "resync");
      json_object_set_int_member (message, "head", head);
      send_object (client, message);
      client->sent = head;
      return;
    }
  if (!catch_up (stream, client, head, &error))
    {
      g_warning ("The stream cannot read the journal: %s", error->message);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, NULL);
    }
}

CdServerStream *
cd_server_stream_new (CdServer *server)
{
  CdServerStream *stream = g_new0 (CdServerStream, 1);

  stream->server = server;
  stream->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  stream->poll_id = g_timeout_add (POLL_INTERVAL_MS, on_poll, stream);

  soup_server_add_handler (server->soup, "/api/v1/stream", handle_handshake, stream, NULL);
  soup_server_add_websocket_handler (server->soup, "/api/v1/stream", NULL, NULL,
                                     handle_websocket, stream, NULL);
  return stream;
}

void
cd_server_stream_free (CdServerStream *stream)
{
  g_clear_handle_id (&stream->poll_id, g_source_remove);
  g_ptr_array_unref (stream->clients);
  g_free (stream);
}
