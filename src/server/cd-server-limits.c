// SPDX-License-Identifier: GPL-3.0-or-later
//
// What one client may cost the server: connections per address and in
// all, the time a request may take to arrive, and the size of its body.
// libsoup 3's SoupServer has none of these knobs, so they hang off its
// signals: a connection is counted from its first request until its
// GSocket is freed, each request has a deadline for its headers (which
// also closes idle connections) and another for its body, and a request
// refused before its body is read is answered on the connection taken
// from libsoup (soup_server_message_steal_connection()), since libsoup
// would otherwise read the whole body it announced before answering.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-server-private.h"

/* How long, and how much of the rest of a refused body, the server reads
 * and throws away after its answer, so that the client's kernel does not
 * turn the close into a reset that loses the answer. */
#define LINGER_SECONDS 2
#define LINGER_MAX_BYTES (256 * 1024)

struct _CdConnectionCount
{
  /* GSocket (unowned) -> its client's address */
  GHashTable *sockets;
};

static void
connection_count_clear (CdConnectionCount *count)
{
  g_hash_table_unref (count->sockets);
}

/* Hangs on a connection's GSocket, so that the count forgets the socket
 * when libsoup, or whoever took the connection from it (the stream, a
 * refusal), lets it go. */
typedef struct
{
  CdConnectionCount *count;
  GSocket           *socket;
} Connection;

static void
connection_free (Connection *connection)
{
  g_hash_table_remove (connection->count->sockets, connection->socket);
  g_rc_box_release_full (connection->count, (GDestroyNotify) connection_count_clear);
  g_free (connection);
}

/* Whether the client is gone: libsoup closed or shut the socket down
 * (which a message not yet freed may keep alive a while), or the client
 * closed a kept-alive connection between two requests, which libsoup does
 * not notice until it reads again. */
static gboolean
socket_gone (GSocket *socket)
{
  GInputVector vector;
  char byte;
  int flags = G_SOCKET_MSG_PEEK;

  if (g_socket_is_closed (socket) ||
      g_socket_condition_check (socket, G_IO_HUP | G_IO_ERR) != 0)
    return TRUE;
  if (g_socket_condition_check (socket, G_IO_IN) == 0)
    return FALSE;
  vector.buffer = &byte;
  vector.size = 1;
  return g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, NULL) == 0;
}

/**
 * cd_server_client_gone:
 * @msg: a request, paused or not
 *
 * libsoup does not read a paused request's connection, so it does not
 * notice that its client left; a queue of such requests asks here.
 *
 * Returns: whether the client closed the connection
 */
gboolean
cd_server_client_gone (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  return socket == NULL || socket_gone (socket);
}

/* Counts the connections still open, in all and from @address. */
static void
count_open (CdConnectionCount *count,
            const char        *address,
            gint64            *total,
            gint64            *from_address)
{
  GHashTableIter iter;
  gpointer key, value;

  *total = 0;
  *from_address = 0;
  g_hash_table_iter_init (&iter, count->sockets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      /* A gone client does not come back: forget it at once, so that
       * each new connection does not poll every connection that ever
       * closed while libsoup still holds its socket. */
      if (socket_gone (key))
        {
          g_hash_table_iter_remove (&iter);
          continue;
        }
      (*total)++;
      if (g_str_equal (value, address))
        (*from_address)++;
    }
}

static const char *connection_key = "cd-server-connection";
static const char *deadline_key = "cd-server-deadline";
static const char *received_key = "cd-server-received";
static const char *over_cap_key = "cd-server-over-cap";
static const char *idle_key = "cd-server-idle";
static const char *idle_watch_key = "cd-server-idle-watch";

/* Refusals {{{1 */

typedef struct
{
  GIOStream    *stream;
  GSocket      *socket;
  GCancellable *cancellable;
  guint         timeout_id;
  GBytes       *answer;
  gsize         drained;
  char          buffer[8192];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  if (refusal->timeout_id != 0)
    g_source_remove (refusal->timeout_id);
  if (refusal->socket != NULL)
    g_socket_close (refusal->socket, NULL);
  g_clear_object (&refusal->socket);
  g_clear_object (&refusal->stream);
  g_clear_object (&refusal->cancellable);
  g_clear_pointer (&refusal->answer, g_bytes_unref);
  g_free (refusal);
}

static gboolean
on_refusal_timeout (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->timeout_id = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_refusal_closed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  refusal_free (user_data);
}

static void
refusal_close (Refusal *refusal)
{
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, on_refusal_closed, refusal);
}

static void
on_refusal_drained (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize got = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (got <= 0 || (refusal->drained += (gsize) got) > LINGER_MAX_BYTES)
    {
      refusal_close (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->cancellable, on_refusal_drained, refusal);
}

static void
on_refusal_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_close (refusal);
      return;
    }
  /* The client reads the end of the answer while the server reads (and
   * drops) what it still sends, for a moment. */
  if (!G_IS_TLS_CONNECTION (refusal->stream))
    g_socket_shutdown (refusal->socket, FALSE, TRUE, NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, refusal->cancellable, on_refusal_drained, refusal);
}

/**
 * cd_server_refuse:
 * @self: the server
 * @msg: a request whose headers are read but whose body is not
 * @status: the HTTP status
 * @code: the API's error code
 * @message: what to tell the client
 * @retry_after: (nullable): seconds for a Retry-After header
 *
 * Answers @msg in the error shape of its route and closes the connection
 * without reading the body: the connection is taken from libsoup, which
 * would otherwise read (and hold) the body before answering.
 */
void
cd_server_refuse (CdServer          *self,
                  SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *message,
                  const char        *retry_after)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  g_autofree char *body = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *content_type = NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;
  Refusal *refusal;
  GString *text;
  GSocket *socket;
  gsize len = 0;

  body = cd_server_error_body (uri != NULL ? g_uri_get_path (uri) : NULL, status, code, message,
                               &content_type, &len);
  cd_server_add_answer_headers (self, headers);
  text = g_string_new (NULL);
  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  g_string_append_printf (text, "Date: %s\r\nServer: citydesk-server\r\n", date);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\r\n", name, value);
  if (retry_after != NULL)
    g_string_append_printf (text, "Retry-After: %s\r\n", retry_after);
  g_string_append_printf (text, "Content-Type: %s\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n", content_type, len);
  g_string_append_len (text, body, (gssize) len);

  cd_server_log_request (msg, status, "refused before its body");

  socket = soup_server_message_get_socket (msg);
  refusal = g_new0 (Refusal, 1);
  refusal->socket = socket != NULL ? g_object_ref (socket) : NULL;
  refusal->answer = g_string_free_to_bytes (text);
  refusal->stream = soup_server_message_steal_connection (msg);
  if (refusal->stream == NULL || refusal->socket == NULL)
    {
      if (refusal->socket != NULL)
        g_socket_shutdown (refusal->socket, TRUE, TRUE, NULL);
      refusal_free (refusal);
      return;
    }
  refusal->cancellable = g_cancellable_new ();
  refusal->timeout_id = g_timeout_add_seconds (LINGER_SECONDS, on_refusal_timeout, refusal);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   g_bytes_get_data (refusal->answer, NULL),
                                   g_bytes_get_size (refusal->answer), G_PRIORITY_DEFAULT,
                                   refusal->cancellable, on_refusal_written, refusal);
}

/* Deadlines {{{1 */

static void
remove_source (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

static gboolean
on_deadline (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  /* The source ends here: take it from the message first, or clearing
   * the data would remove it a second time. */
  g_object_steal_data (G_OBJECT (msg), deadline_key);
  if (soup_server_message_get_method (msg) != NULL)
    cd_server_log_request (msg, SOUP_STATUS_REQUEST_TIMEOUT, "too slow: connection closed");
  else
    g_debug ("A connection sent no complete request headers in time: closed");
  /* libsoup reads the end of the stream and drops the request. */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
set_deadline (SoupServerMessage *msg,
              gint64             seconds)
{
  guint id = g_timeout_add ((guint) MIN (seconds * 1000, G_MAXUINT), on_deadline, msg);

  g_object_set_data_full (G_OBJECT (msg), deadline_key, GUINT_TO_POINTER (id), remove_source);
}

static void
clear_deadline (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), deadline_key, NULL);
}

/* Between two requests of a kept-alive connection libsoup holds no
 * message (it makes the next one when bytes arrive): the deadline hangs
 * on the socket then. */
static void
destroy_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

/* libsoup 3.2 does not watch a kept-alive connection between requests:
 * when its client closes it, or it idles past its deadline, libsoup never
 * closes the socket, which kept a descriptor for the server's life
 * (fixed in libsoup 3.3). The server closes the socket itself. */
static void
close_idle (GSocket    *socket,
            const char *why)
{
  g_object_set_data (G_OBJECT (socket), idle_key, NULL);
  g_object_set_data (G_OBJECT (socket), idle_watch_key, NULL);
  g_debug ("A kept-alive connection %s: closed", why);
  if (cd_server_keeps_alive ())
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  else
    g_socket_close (socket, NULL);
}

static gboolean
on_idle_deadline (gpointer user_data)
{
  GSocket *socket = user_data;

  g_object_steal_data (G_OBJECT (socket), idle_key);
  close_idle (socket, "stayed idle");
  return G_SOURCE_REMOVE;
}

static gboolean
on_idle_readable (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  /* This source ends here: the reference the socket's data held goes. */
  g_source_unref (g_object_steal_data (G_OBJECT (socket), idle_watch_key));

  /* Otherwise the next request came: libsoup reads it, and
   * request-started sets its deadline. */
  if (socket_gone (socket))
    close_idle (socket, "was closed by its client");
  return G_SOURCE_REMOVE;
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     CdServer          *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  guint id;

  /* A connection the answer ends needs no idle deadline. */
  if (socket == NULL || g_socket_is_closed (socket) ||
      soup_message_headers_header_contains (soup_server_message_get_response_headers (msg),
                                            "Connection", "close"))
    return;
  id = g_timeout_add ((guint) MIN (self->config->header_timeout * 1000, G_MAXUINT),
                      on_idle_deadline, socket);
  g_object_set_data_full (G_OBJECT (socket), idle_key, GUINT_TO_POINTER (id), remove_source);

  if (!cd_server_keeps_alive ())
    {
      GSource *watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);

      g_source_set_callback (watch, G_SOURCE_FUNC (on_idle_readable), NULL, NULL);
      g_source_attach (watch, NULL);
      g_object_set_data_full (G_OBJECT (socket), idle_watch_key, watch, destroy_source);
    }
}

/* Requests {{{1 */

/* A chunked body announces no length: count it as it comes, and refuse it
 * once it passes the limit, so that the server never holds more than
 * max-body of it. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              CdServer          *self)
{
  gint64 *received = g_object_get_data (G_OBJECT (msg), received_key);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *message = NULL;

  *received += g_bytes_get_size (chunk);
  if (*received <= self->config->max_body)
    return;

  g_signal_handlers_disconnect_by_func (msg, on_got_chunk, self);
  soup_message_body_truncate (body);
  soup_message_body_set_accumulate (body, FALSE);
  clear_deadline (msg);
  message = g_strdup_printf (_("The request body is larger than %" PRId64 " bytes."),
                             self->config->max_body);
  cd_server_refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message, NULL);
}

static gboolean content_length_is_plain (SoupMessageHeaders *headers);

static void
on_got_headers (SoupServerMessage *msg,
                CdServer          *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  goffset length = soup_message_headers_get_content_length (headers);

  clear_deadline (msg);
  if (g_object_get_data (G_OBJECT (msg), over_cap_key) != NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_("Too many connections from your address (at most %" PRId64 "): "
                              "close some and try again."),
                           self->config->max_connections_per_address);

      cd_server_refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "too_many_connections", message,
                        "5");
      return;
    }
  if (soup_server_message_get_status (msg) != 0)
    return;

  /* A length that is not one plain number, or a length beside chunked
   * coding, is how requests are smuggled past a proxy that reads them
   * otherwise; the library would also wait for the end of a "-1" body. */
  if (!content_length_is_plain (headers))
    {
      cd_server_refuse (
          self, msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
          _("Content-Length must be one decimal number, and not sent with Transfer-Encoding."),
          NULL);
      return;
    }

  /* Refuse before reading the body: the client is told at once and the
   * server never holds it. */
  if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > self->config->max_body)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %" PRId64
                                                     " bytes."),
                                                  self->config->max_body);

      cd_server_refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message,
                        NULL);
      return;
    }
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF)
    {
      g_object_set_data_full (G_OBJECT (msg), received_key, g_new0 (gint64, 1), g_free);
      g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
    }
  if (encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > 0))
    set_deadline (msg, self->config->body_timeout);

  /* libsoup before 3.3 never frees a kept-alive connection that its
   * client closes between two requests: its socket stayed open and some
   * 4 KiB stayed allocated for the server's life, so a client that
   * connected and closed in a loop exhausted the server's descriptors,
   * then its memory. There an answer ends its connection unless its
   * request proved who sent it (cd_server_keep_alive()) or came through
   * a trusted reverse proxy, which keeps a few connections open for long;
   * the WebSocket handshake's answer says Upgrade instead. */
  if (!cd_server_keeps_alive () && !cd_server_is_trusted_proxy (self, msg))
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                  "close");
}

/**
 * cd_server_keep_alive:
 * @msg: a request whose bearer token held
 *
 * Lets @msg's connection stay open after the answer: an account's client
 * (the desktop's sync, citydeskctl) sends many requests, and a new
 * connection for each would cost it a TLS handshake. Its socket is
 * closed by the server when the client closes it or it stays idle, which
 * libsoup 3.2 would not do, and what libsoup keeps of it is bounded by
 * the accounts' own clients.
 */
void
cd_server_keep_alive (SoupServerMessage *msg)
{
  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "Connection");
}

/**
 * cd_server_keeps_alive:
 *
 * Returns: whether connections stay open between requests: only with a
 *   libsoup that frees a kept-alive connection its client closes (3.3 and
 *   later)
 */
gboolean
cd_server_keeps_alive (void)
{
  return soup_get_major_version () > 3 ||
         (soup_get_major_version () == 3 && soup_get_minor_version () >= 3);
}

static gboolean
content_length_is_plain (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_list (headers, "Content-Length");
  gsize i = 0;

  if (value == NULL)
    return TRUE;
  if (soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL)
    return FALSE;
  while (value[i] == ' ' || value[i] == '\t')
    i++;
  if (!g_ascii_isdigit (value[i]))
    return FALSE;
  while (g_ascii_isdigit (value[i]))
    i++;
  while (value[i] == ' ' || value[i] == '\t')
    i++;
  return value[i] == '\0';
}

static void
on_got_body (SoupServerMessage *msg,
             CdServer          *self)
{
  clear_deadline (msg);
}

static char *
peer_address (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    return g_inet_address_to_string (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  return g_strdup ("-");
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CdServer          *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  /* The first request of a connection counts it; a kept-alive one is
   * counted already. */
  if (socket != NULL && g_object_get_data (G_OBJECT (socket), connection_key) == NULL)
    {
      CdConnectionCount *count = self->connections;
      Connection *connection = g_new0 (Connection, 1);
      g_autofree char *address = peer_address (msg);
      gint64 total, from_address;

      connection->count = g_rc_box_acquire (count);
      connection->socket = socket;
      g_hash_table_insert (count->sockets, socket, g_strdup (address));
      g_object_set_data_full (G_OBJECT (socket), connection_key, connection,
                              (GDestroyNotify) connection_free);
      count_open (count, address, &total, &from_address);

      if (total > self->config->max_connections)
        {
          /* Full: no answer, which would cost what the cap saves. */
          g_message ("%" G_GINT64_FORMAT " connections open: one from %s closed at once",
                     self->config->max_connections, address);
          g_socket_shutdown (socket, TRUE, TRUE, NULL);
          return;
        }
      /* A reverse proxy carries many clients' connections: it limits
       * them itself, and only the total holds for it. */
      if (from_address > self->config->max_connections_per_address &&
          !cd_server_is_trusted_proxy (self, msg))
        {
          g_message ("%s holds %" G_GINT64_FORMAT " connections: the last one is refused", address,
                     from_address);
          g_object_set_data (G_OBJECT (msg), over_cap_key, GINT_TO_POINTER (TRUE));
        }
    }

  if (socket != NULL)
    {
      g_object_set_data (G_OBJECT (socket), idle_key, NULL);
      g_object_set_data (G_OBJECT (socket), idle_watch_key, NULL);
    }
  set_deadline (msg, self->config->header_timeout);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (on_got_body), self, 0);
}

/**
 * cd_server_limits_install:
 * @self: the server
 *
 * Counts connections and sets the deadlines and size limits of every
 * request (the [server] settings header-timeout, body-timeout,
 * max-connections, max-connections-per-address and max-body).
 */
void
cd_server_limits_install (CdServer *self)
{
  self->connections = g_rc_box_new0 (CdConnectionCount);
  self->connections->sockets = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (on_request_finished), self,
                           0);
}

/**
 * cd_server_limits_dispose:
 * @self: the server
 *
 * Lets the count go; connections still open hold it until they close.
 */
void
cd_server_limits_dispose (CdServer *self)
{
  if (self->connections != NULL)
    g_rc_box_release_full (g_steal_pointer (&self->connections),
                           (GDestroyNotify) connection_count_clear);
}
