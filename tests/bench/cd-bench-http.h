// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-bench-http.h: a lean HTTP/1.1 load client for the benchmarks that
 * measure a server's writes a second on this machine
 *
 * The load client shares the machine's cores with what it measures, so it
 * must cost little: libsoup's client spends about 200 µs of CPU a request
 * (its messages, signals and worker context), as much as the server's
 * whole write. This one keeps one connection open, writes each request in
 * one send and reads the answer by its Content-Length, as load generators
 * (wrk, h2load) do. It speaks only what our server answers: no chunked
 * bodies, no TLS. */
#pragma once

#include <gio/gio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

typedef struct
{
  GSocketConnectable *address;
  GSocketConnection  *conn;
  GString            *in;       /* what was read past the last answer */
} CdBenchHttp;

static inline void
cd_bench_http_init (CdBenchHttp *http,
                    const char  *base_url)
{
  g_autoptr(GUri) uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  memset (http, 0, sizeof *http);
  http->address = g_network_address_new (g_uri_get_host (uri), (guint16) g_uri_get_port (uri));
  http->in = g_string_new (NULL);
}

static inline void
cd_bench_http_clear (CdBenchHttp *http)
{
  g_clear_object (&http->conn);
  g_clear_object (&http->address);
  if (http->in != NULL)
    g_string_free (g_steal_pointer (&http->in), TRUE);
}

/* Reads until @http->in holds an answer whole; the answer's status, or 0
 * when the connection ended first. */
static inline guint
cd_bench_http_read_answer (CdBenchHttp *http,
                           GSocket     *socket)
{
  char buf[16384];

  for (;;)
    {
      const char *end = strstr (http->in->str, "\r\n\r\n");

      if (end != NULL)
        {
          gsize head = (gsize) (end - http->in->str) + 4;
          const char *length = g_strstr_len (http->in->str, (gssize) head, "\r\nContent-Length:");
          gsize body = length != NULL ? (gsize) g_ascii_strtoull (length + 17, NULL, 10) : 0;

          if (http->in->len >= head + body)
            {
              guint status = 0;

              /* Answered, then closed: the next request connects again. */
              if (g_strstr_len (http->in->str, (gssize) head, "\r\nConnection: close") != NULL)
                g_clear_object (&http->conn);
              if (g_str_has_prefix (http->in->str, "HTTP/1.1 ") ||
                  g_str_has_prefix (http->in->str, "HTTP/1.0 "))
                status = (guint) g_ascii_strtoull (http->in->str + 9, NULL, 10);
              g_string_erase (http->in, 0, (gssize) (head + body));
              return status;
            }
        }
      {
        gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);

        if (n <= 0)
          return 0;
        g_string_append_len (http->in, buf, n);
      }
    }
}

/* One POST of @body to @path with a Bearer @token and an Idempotency-Key
 * @key; its status (0 when the server could not be reached or closed the
 * connection: the next request connects again). */
static inline guint
cd_bench_http_post (CdBenchHttp *http,
                    const char  *path,
                    const char  *token,
                    const char  *key,
                    const char  *body)
{
  g_autofree char *request = NULL;
  GSocket *socket;
  gsize len, sent = 0;
  guint status;

  if (http->conn == NULL)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();

      g_string_truncate (http->in, 0);
      if ((http->conn = g_socket_client_connect (client, http->address, NULL, NULL)) == NULL)
        return 0;
      g_socket_set_option (g_socket_connection_get_socket (http->conn), IPPROTO_TCP,
                           TCP_NODELAY, 1, NULL);
    }
  socket = g_socket_connection_get_socket (http->conn);
  request = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n"
                             "Idempotency-Key: %s\r\nContent-Type: application/json\r\n"
                             "Content-Length: %zu\r\n\r\n%s",
                             path, token, key, strlen (body), body);
  len = strlen (request);
  while (sent < len)
    {
      gssize n = g_socket_send (socket, request + sent, len - sent, NULL, NULL);

      if (n <= 0)
        {
          g_clear_object (&http->conn);
          return 0;
        }
      sent += (gsize) n;
    }
  if ((status = cd_bench_http_read_answer (http, socket)) == 0)
    g_clear_object (&http->conn);
  if (http->conn == NULL)
    g_string_truncate (http->in, 0);
  return status;
}
