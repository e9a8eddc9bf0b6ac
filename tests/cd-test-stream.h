// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-stream.h: a WebSocket client of /api/v1/stream for the tests,
 * which keeps every message it receives */
#pragma once

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
  gboolean                 closed;
  GPtrArray               *messages;
} CdTestStream;

static void
cd_test_stream_on_message (SoupWebsocketConnection *conn,
                           int                      type,
                           GBytes                  *message,
                           CdTestStream            *stream)
{
  g_ptr_array_add (stream->messages,
                   g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
}

static void
cd_test_stream_on_closed (SoupWebsocketConnection *conn,
                          CdTestStream            *stream)
{
  stream->closed = TRUE;
}

static void
cd_test_stream_on_connected (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  CdTestStream *stream = user_data;

  stream->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                        &stream->error);
  if (stream->conn != NULL)
    {
      g_signal_connect (stream->conn, "message", G_CALLBACK (cd_test_stream_on_message), stream);
      g_signal_connect (stream->conn, "closed", G_CALLBACK (cd_test_stream_on_closed), stream);
    }
  stream->done = TRUE;
}

/* Opens the stream of the server at @base_url ("http://…/") with @query
 * ("?after=N") and, when not %NULL, a bearer @token; returns once the
 * handshake ended, with @stream->conn or @stream->error set; @stream->closed
 * tells when the server closed it. */
static inline void
cd_test_stream_open (CdTestStream *stream,
                     SoupSession  *session,
                     const char   *base_url,
                     const char   *query,
                     const char   *token)
{
  g_autofree char *url = g_strconcat ("ws", base_url + strlen ("http"), "api/v1/stream", query,
                                      NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  stream->messages = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        cd_test_stream_on_connected, stream);
  while (!stream->done)
    g_main_context_iteration (NULL, TRUE);
}

static inline void
cd_test_stream_clear (CdTestStream *stream)
{
  if (stream->conn != NULL &&
      soup_websocket_connection_get_state (stream->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (stream->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&stream->conn);
  g_clear_error (&stream->error);
  g_clear_pointer (&stream->messages, g_ptr_array_unref);
}
