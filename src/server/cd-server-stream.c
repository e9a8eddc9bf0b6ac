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
//
// A stream lives no longer than its token: each open stream's session is
// read again every few seconds (one indexed read), and at once when this
// server revokes a session (logout, an admin's revoke, disable or password
// change); a stream whose token is revoked, expired or whose account is
// disabled is closed with a code and a reason saying which.
//
// Clients send little: {"type":"ping"} is answered {"type":"pong"}. Every
// text message goes through the strict JSON reader (the whole document
// checked, nesting limited) and anything not understood closes the stream
// with a reason; binary messages, messages over 4 KiB and floods are
// refused the same way.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-db.h"
#include "cd-journal-db.h"
#include "cd-json-reader.h"
#include "cd-server-private.h"

#define POLL_INTERVAL_MS 25
#define KEEPALIVE_SECONDS 30
/* Beyond this many missing events the client is told to use the feed. */
#define MAX_BACKLOG 10000
/* Events read from the journal per step while catching a client up. */
#define BATCH 1000
/* How often each open stream's token is read again. */
#define RECHECK_SECONDS 2
/* How long the listener waits for a notification before it looks whether
 * it is to stop, and before it connects again after losing PostgreSQL. */
#define LISTEN_WAIT_MS 250
#define LISTEN_RETRY_US (1 * G_USEC_PER_SEC)
/* The largest message a client may send, and how many in a window. */
#define MAX_INBOUND_BYTES 4096
#define MAX_INBOUND_MESSAGES 20
#define INBOUND_WINDOW_US (10 * G_USEC_PER_SEC)
/* Close codes of our own (4000-4999 are for applications): why the token
 * no longer holds. */
#define CLOSE_TOKEN_REVOKED 4001
#define CLOSE_TOKEN_EXPIRED 4002
#define CLOSE_ACCOUNT_DISABLED 4003

/* What the handshake learnt, for the connection that follows. */
typedef struct
{
  gint64  after;
  char   *role;
  /* Set for a role that reads only its organization's events. */
  char   *org;
  /* The PBX agent the account is: its own evaluations are unmasked. */
  char   *agent;
  char   *token_hash;
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_free (handshake->role);
  g_free (handshake->org);
  g_free (handshake->agent);
  g_free (handshake->token_hash);
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
  /* The account's PBX agent when the stream opened (a change of it
   * revokes the account's sessions, and so closes the stream). */
  char                    *agent;
  /* What the store keeps of the token the stream was opened with. */
  char                    *token_hash;
  /* Messages received in the current window. */
  gint64                   window_start;
  guint                    n_messages;
  /* Whether its role may read calls, and so gets the live queue. */
  gboolean                 reads_calls;
} Client;

/* On PostgreSQL, a thread LISTENs on its own connection and wakes the
 * stream at each commit of any process on the database. Shared by the
 * thread and the main context's callbacks it queues; `stream` is read and
 * cleared only in the main context. */
typedef struct
{
  gatomicrefcount  ref;
  CdServerStream  *stream;
  GMainContext    *context;
  char            *location;
  gint             stop;
} Listener;

struct _CdServerStream
{
  CdServer  *server;
  GPtrArray *clients;
  guint      poll_id;
  guint      recheck_id;
  Listener  *listener;
  GThread   *listen_thread;
  /* The last poll failed: said once, not at every poll of an outage. */
  gboolean   failing;
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
  g_free (client->agent);
  g_free (client->token_hash);
  g_free (client);
}

static void
send_object (Client     *client,
             JsonObject *object)
{
  g_autofree char *text = NULL;

  /* A write that fails closes the connection at once, in the middle of
   * a batch of events: the rest are not sent. */
  if (soup_websocket_connection_get_state (client->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  text = cd_server_object_to_text (object, NULL);
  soup_websocket_connection_send_text (client->conn, text);
}

static void
send_event (Client     *client,
            CdEvent    *event,
            const char *prev_hash)
{
  g_autoptr(JsonObject) message = json_object_new ();
  g_autoptr(CdEvent) shown = cd_event_for_reader (event, client->role, client->agent);
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
  if ((head = cd_store_get_last_seq (stream->server->store, &error)) >= 0)
    for (guint i = 0; i < stream->clients->len && error == NULL; i++)
      {
        Client *client = g_ptr_array_index (stream->clients, i);

        if (client->sent < head)
          catch_up (stream, client, head, &error);
      }
  /* Each client goes on from what it was last sent once the journal
   * reads again (a database restarting or failing over is polled every
   * POLL_INTERVAL_MS): nothing is missed, and the outage is said once. */
  if (error != NULL && !stream->failing)
    cd_server_log_failure ("The stream cannot read the journal", error);
  else if (error == NULL && stream->failing)
    g_message ("The stream reads the journal again");
  stream->failing = error != NULL;
}

static gboolean
on_poll (gpointer user_data)
{
  cd_server_stream_poll (user_data);
  return G_SOURCE_CONTINUE;
}

static Listener *
listener_ref (Listener *listener)
{
  g_atomic_ref_count_inc (&listener->ref);
  return listener;
}

static void
listener_unref (Listener *listener)
{
  if (!g_atomic_ref_count_dec (&listener->ref))
    return;
  g_main_context_unref (listener->context);
  g_free (listener->location);
  g_free (listener);
}

static gboolean
on_notified (gpointer user_data)
{
  Listener *listener = user_data;

  /* The payload is the head, but the stream reads the head itself and
   * sends each client everything after what it last sent: notifications
   * merged or missed leave no gap. */
  if (listener->stream != NULL)
    cd_server_stream_poll (listener->stream);
  return G_SOURCE_REMOVE;
}

static gpointer
listen_thread (gpointer user_data)
{
  Listener *listener = user_data;
  g_autoptr(CdDb) db = NULL;
  gboolean said = FALSE;

  while (!g_atomic_int_get (&listener->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = NULL;

      if (db == NULL)
        {
          if ((db = cd_db_open (listener->location, &error)) == NULL ||
              !cd_db_listen (db, CD_JOURNAL_DB_CHANNEL, &error))
            {
              /* Said once, not warned: the database may be restarting
               * or failing over, and this is tried again every second
               * until it is back (the stream still polls the journal
               * meanwhile). */
              if (!said)
                g_message ("The stream cannot listen for commits: %s", error->message);
              said = TRUE;
              g_clear_pointer (&db, cd_db_close);
              g_usleep (LISTEN_RETRY_US);
              continue;
            }
          if (said)
            g_message ("The stream listens for commits again");
          said = FALSE;
          /* What was committed while no one listened. */
          g_main_context_invoke_full (listener->context, G_PRIORITY_DEFAULT, on_notified,
                                      listener_ref (listener),
                                      (GDestroyNotify) listener_unref);
        }
      payload = cd_db_wait_notification (db, LISTEN_WAIT_MS, &error);
      if (payload != NULL)
        g_main_context_invoke_full (listener->context, G_PRIORITY_DEFAULT, on_notified,
                                    listener_ref (listener), (GDestroyNotify) listener_unref);
      else if (error != NULL)
        {
          g_message ("The stream lost its PostgreSQL connection: %s", error->message);
          g_clear_pointer (&db, cd_db_close);
        }
    }
  listener_unref (listener);
  return NULL;
}

/**
 * cd_server_stream_send_queue:
 * @stream: the stream
 * @text: a `{"type":"queue",…}` message, serialized once for all
 *
 * Sends the live queue's snapshot to every client whose role may read
 * calls; the others never see it.
 */
void
cd_server_stream_send_queue (CdServerStream *stream,
                             const char     *text)
{
  for (guint i = 0; i < stream->clients->len; i++)
    {
      Client *client = g_ptr_array_index (stream->clients, i);

      if (client->reads_calls &&
          soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (client->conn, text);
    }
}

/* Closes @client's stream, unless it is closing already. The reason is cut
 * to what a close frame holds (123 bytes), on a character boundary. */
static void
close_client (Client     *client,
              gushort     code,
              const char *reason)
{
  char text[124];
  const char *end;

  if (soup_websocket_connection_get_state (client->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  g_strlcpy (text, reason, sizeof text);
  if (!g_utf8_validate (text, -1, &end))
    text[end - text] = '\0';
  soup_websocket_connection_close (client->conn, code, text);
}

/**
 * cd_server_stream_recheck:
 * @stream: the stream
 *
 * Reads again the session of each open stream and closes those whose
 * token no longer holds: call it after revoking sessions.
 */
void
cd_server_stream_recheck (CdServerStream *stream)
{
  g_autoptr(GPtrArray) ended = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (stream == NULL || stream->clients->len == 0)
    return;
  /* Closing may free a client: decide first, close after. */
  ended = g_ptr_array_new ();
  for (guint i = 0; i < stream->clients->len; i++)
    {
      Client *client = g_ptr_array_index (stream->clients, i);
      g_autoptr(GError) error = NULL;
      CdSessionState state;

      if (!cd_store_get_session_state (stream->server->store, client->token_hash, now, &state,
                                       &error))
        {
          /* A busy database: the next check decides. */
          cd_server_log_failure ("The stream cannot check a token", error);
          return;
        }
      if (state != CD_SESSION_VALID)
        {
          g_ptr_array_add (ended, client);
          g_ptr_array_add (ended, GINT_TO_POINTER (state));
        }
    }
  for (guint i = 0; i < ended->len; i += 2)
    {
      Client *client = g_ptr_array_index (ended, i);

      switch ((CdSessionState) GPOINTER_TO_INT (g_ptr_array_index (ended, i + 1)))
        {
        case CD_SESSION_EXPIRED:
          close_client (client, CLOSE_TOKEN_EXPIRED, "token expired: log in again");
          break;
        case CD_SESSION_DISABLED:
          close_client (client, CLOSE_ACCOUNT_DISABLED, "account disabled");
          break;
        case CD_SESSION_REVOKED:
        case CD_SESSION_UNKNOWN:
        case CD_SESSION_VALID:
        default:
          close_client (client, CLOSE_TOKEN_REVOKED, "token revoked: log in again");
          break;
        }
    }
}

static gboolean
on_recheck (gpointer user_data)
{
  cd_server_stream_recheck (user_data);
  return G_SOURCE_CONTINUE;
}

/* What a client's text message asks; %NULL with a reason when it is not
 * JSON. Only {"type":"ping"} is understood. */
static gboolean
read_message (const char  *data,
              gsize        len,
              gboolean    *is_ping,
              char       **reason)
{
  g_auto(CdJsonReader) reader;
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  const char *name;
  gboolean other = FALSE;

  *is_ping = FALSE;
  /* First the whole document, depth-limited, so that nothing half-read
   * is acted on. */
  cd_json_reader_init (&reader, data, len);
  if (!cd_json_reader_skip (&reader, &error) || !cd_json_reader_end (&reader, &error))
    {
      *reason = g_strdup_printf ("not JSON: %s", error->message);
      return FALSE;
    }
  cd_json_reader_clear (&reader);
  cd_json_reader_init (&reader, data, len);
  if (cd_json_reader_peek (&reader, NULL) != CD_JSON_KIND_OBJECT ||
      !cd_json_reader_begin_object (&reader, NULL))
    return TRUE;
  while (cd_json_reader_next_member (&reader, &name, NULL) && name != NULL)
    {
      if (g_str_equal (name, "type") && type == NULL &&
          cd_json_reader_peek (&reader, NULL) == CD_JSON_KIND_STRING)
        type = cd_json_reader_dup_string (&reader, NULL, NULL);
      else
        {
          other = TRUE;
          cd_json_reader_skip (&reader, NULL);
        }
    }
  *is_ping = !other && g_strcmp0 (type, "ping") == 0;
  return TRUE;
}

static void
on_message (SoupWebsocketConnection *conn,
            int                      type,
            GBytes                  *message,
            Client                  *client)
{
  g_autofree char *reason = NULL;
  gint64 now = g_get_monotonic_time ();
  gboolean is_ping = FALSE;
  const char *data;
  gsize len = 0;

  if (now - client->window_start > INBOUND_WINDOW_US)
    {
      client->window_start = now;
      client->n_messages = 0;
    }
  if (++client->n_messages > MAX_INBOUND_MESSAGES)
    {
      close_client (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "too many messages");
      return;
    }
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      close_client (client, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA,
                    "binary messages are not accepted: send JSON text");
      return;
    }
  data = g_bytes_get_data (message, &len);
  if (!read_message (data, len, &is_ping, &reason))
    {
      close_client (client, SOUP_WEBSOCKET_CLOSE_BAD_DATA, reason);
      return;
    }
  if (!is_ping)
    {
      close_client (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                    "message not understood: the stream takes only {\"type\":\"ping\"}");
      return;
    }
  soup_websocket_connection_send_text (conn, "{\"type\":\"pong\"}");
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
  const char *token;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET))
    return;
  if (!origin_allowed (stream->server, msg))
    {
      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                            _("The stream does not accept connections from this origin."),
                            "Origin");
      return;
    }
  if ((user = cd_server_authenticate (stream->server, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_EVENTS, &scope))
    return;
  if (after_text != NULL &&
      !g_ascii_string_to_unsigned (after_text, 10, 0, G_MAXINT64, &after, NULL))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("“after” must be a sequence number (a whole number, 0 or more)."),
                            "after");
      return;
    }
  upgrade = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Upgrade");
  if (upgrade == NULL || g_ascii_strcasecmp (upgrade, "websocket") != 0)
    {
      cd_server_send_error (
          msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
          _("/api/v1/stream is a WebSocket: send an Upgrade: websocket request."), NULL);
      return;
    }
  if (!websocket_handshake_valid (msg))
    return;
  handshake = g_new0 (Handshake, 1);
  handshake->after = (gint64) after;
  handshake->role = g_strdup (user->role);
  handshake->org = scope == CD_ACCESS_OWN ? g_strdup (user->org) : NULL;
  handshake->agent = g_strdup (user->agent);
  /* Authenticated: the request holds a token. */
  token = cd_server_bearer_token (msg, query);
  handshake->token_hash = cd_store_token_hash (token != NULL ? token : "");
  g_object_set_data_full (G_OBJECT (msg), handshake_key, handshake,
                          (GDestroyNotify) handshake_free);
}

/* The queue as it is now, to a client that just connected, without
 * waiting for the next tick. */
static void
send_live (CdServerStream *stream,
           Client         *client)
{
  if (client->reads_calls && stream->server->live != NULL &&
      soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (client->conn,
                                         cd_server_live_get_text (stream->server->live));
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
  client->agent = g_strdup (handshake->agent);
  client->token_hash = g_strdup (handshake->token_hash);
  client->window_start = g_get_monotonic_time ();
  client->reads_calls = cd_access_scope (client->role, CD_RESOURCE_CALLS) == CD_ACCESS_ALL;
  soup_websocket_connection_set_keepalive_interval (conn, KEEPALIVE_SECONDS);
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INBOUND_BYTES);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), client);
  g_signal_connect (conn, "message", G_CALLBACK (on_message), client);
  g_ptr_array_add (stream->clients, client);

  if ((head = cd_store_get_last_seq (stream->server->store, &error)) < 0)
    {
      cd_server_log_failure ("The stream cannot read the journal", error);
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
      send_live (stream, client);
      return;
    }
  if (!catch_up (stream, client, head, &error))
    {
      cd_server_log_failure ("The stream cannot read the journal", error);
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, NULL);
      return;
    }
  send_live (stream, client);
}

CdServerStream *
cd_server_stream_new (CdServer *server)
{
  CdServerStream *stream = g_new0 (CdServerStream, 1);

  stream->server = server;
  stream->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  stream->poll_id = g_timeout_add (POLL_INTERVAL_MS, on_poll, stream);
  stream->recheck_id = g_timeout_add_seconds (RECHECK_SECONDS, on_recheck, stream);
  /* Several processes may serve one PostgreSQL database: each hears of
   * the others' commits at once rather than at its next poll. */
  if (server->config->db != NULL && cd_db_is_uri (server->config->db))
    {
      stream->listener = g_new0 (Listener, 1);
      g_atomic_ref_count_init (&stream->listener->ref);
      stream->listener->stream = stream;
      stream->listener->context = g_main_context_ref_thread_default ();
      stream->listener->location = g_strdup (server->config->db);
      stream->listen_thread = g_thread_new ("citydesk-listen", listen_thread,
                                            listener_ref (stream->listener));
    }

  soup_server_add_handler (server->soup, "/api/v1/stream", handle_handshake, stream, NULL);
  soup_server_add_websocket_handler (server->soup, "/api/v1/stream", NULL, NULL,
                                     handle_websocket, stream, NULL);
  return stream;
}

void
cd_server_stream_free (CdServerStream *stream)
{
  g_clear_handle_id (&stream->poll_id, g_source_remove);
  g_clear_handle_id (&stream->recheck_id, g_source_remove);
  if (stream->listener != NULL)
    {
      stream->listener->stream = NULL;
      g_atomic_int_set (&stream->listener->stop, TRUE);
      g_thread_join (stream->listen_thread);
      listener_unref (stream->listener);
    }
  g_ptr_array_unref (stream->clients);
  g_free (stream);
}
