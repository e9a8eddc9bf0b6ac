// SPDX-License-Identifier: GPL-3.0-or-later
//
// What one client may cost citydesk-server, tried on a real server over
// raw sockets where a polite HTTP client would not misbehave enough:
// bodies over the limit (announced or chunked), slow and idle senders,
// too many connections from one address, requests libsoup refuses itself,
// the headers every answer carries, log lines a path cannot forge, the
// WebSocket Origin check, and a database locked by another connection.
// After each, the server still answers and `citydeskctl verify` passes.
// Timeouts are set to a second in the configuration; the assertions only
// say that a connection was cut "eventually" (well within a minute).

#include "config.h"

#include <glib/gstdio.h>

#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

#define GENEROUS_SECONDS 40

static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"phone\":\"+375 29 123-45-67\"}";

typedef struct
{
  CdTestServer  server;
  char         *config;
  SoupSession  *session;
} Fixture;

static void
fixture_start (Fixture    *f,
               const char *settings)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *text = g_strconcat ("[server]\n", settings, NULL);
  g_autoptr(GError) error = NULL;
  const char *extra[3] = { "--config", NULL, NULL };

  f->config = g_build_filename (dir, "server.conf", NULL);
  g_file_set_contents (f->config, text, -1, &error);
  g_assert_no_error (error);
  extra[1] = f->config;
  cd_test_add_user (db, "sup", "supervisor", NULL, "password-1");
  cd_test_server_start_full (&f->server, db, extra, FALSE);
  f->session = soup_session_new ();
}

/* The server still answers, and the journal still verifies. */
static void
fixture_finish (Fixture *f)
{
  g_autoptr(JsonObject) version = cd_test_call (f->session, f->server.url, "GET", "/api/v1/version",
                                                NULL, NULL, NULL, SOUP_STATUS_OK);

  g_assert_cmpstr (json_object_get_string_member (version, "name"), ==, "citydesk-server");
  cd_test_server_stop (&f->server);
  g_assert_cmpint (cd_test_verify (f->server.db), ==, 0);
  cd_test_server_clear (&f->server);
  g_clear_object (&f->session);
  g_clear_pointer (&f->config, g_free);
}

/* Raw connections {{{1 */

static GSocketConnection *
raw_connect (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_assert_nonnull (uri);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (connection), GENEROUS_SECONDS);
  return connection;
}

/* Whether all of @data went out. */
static gboolean
raw_send (GSocketConnection *connection,
          const char        *data,
          gssize             len)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  gsize total = len < 0 ? strlen (data) : (gsize) len;
  gsize sent = 0;

  while (sent < total)
    {
      gssize n = g_socket_send_with_blocking (socket, data + sent, total - sent, TRUE, NULL, NULL);

      if (n <= 0)
        return FALSE;
      sent += (gsize) n;
    }
  return TRUE;
}

/* Everything until the server closes (or the generous timeout, which
 * fails the test: the server must close). */
static char *
raw_read_all (GSocketConnection *connection)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  GString *text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char buffer[4096];

  for (;;)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_error ("The server did not close the connection within %d s", GENEROUS_SECONDS);
  return g_string_free (text, FALSE);
}

static guint
answer_status (const char *answer)
{
  if (!g_str_has_prefix (answer, "HTTP/1."))
    return 0;
  return (guint) g_ascii_strtoull (answer + strlen ("HTTP/1.1 "), NULL, 10);
}

/* The value of header @name in a raw answer, or NULL. */
static char *
answer_header (const char *answer,
               const char *name)
{
  g_auto(GStrv) lines = g_strsplit (answer, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && (gsize) (colon - lines[i]) == strlen (name) &&
          g_ascii_strncasecmp (lines[i], name, strlen (name)) == 0)
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

static const char *
answer_body (const char *answer)
{
  const char *end = strstr (answer, "\r\n\r\n");

  g_assert_nonnull (end);
  return end + 4;
}

static void
assert_json_error (const char *answer,
                   guint       status,
                   const char *code)
{
  g_autofree char *type = answer_header (answer, "Content-Type");
  g_autoptr(JsonObject) body = NULL;

  g_test_message ("answer: %s", answer);
  g_assert_cmpuint (answer_status (answer), ==, status);
  g_assert_nonnull (type);
  g_assert_true (g_str_has_prefix (type, "application/json"));
  body = cd_test_parse_object (answer_body (answer));
  cd_test_assert_error (body, code, NULL);
}

/* One request on a connection of its own, as a client that would keep it
 * alive; the client closes it once the answer is in. */
static char *
raw_exchange_once (const char *url)
{
  g_autoptr(GSocketConnection) connection = raw_connect (url);
  GSocket *socket = g_socket_connection_get_socket (connection);
  GString *text = g_string_new (NULL);
  char buffer[4096];

  g_assert_true (
      raw_send (connection, "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1));
  while (strstr (text->str, "}") == NULL)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  g_assert_cmpuint (answer_status (text->str), ==, 200);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return g_string_free (text, FALSE);
}

/* Bodies {{{1 */

static void
test_oversized_content_length (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *close = NULL;

  fixture_start (&f, "max-body=1000\n");
  connection = raw_connect (f.server.url);
  /* The headers only: a server that waited for the body would never
   * answer, and raw_read_all() would time out. */
  g_assert_true (raw_send (connection,
                           "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n",
                           -1));
  answer = raw_read_all (connection);
  assert_json_error (answer, 413, "too_large");
  close = answer_header (answer, "Connection");
  g_assert_cmpstr (close, ==, "close");
  fixture_finish (&f);
}

static void
test_endless_chunked_body (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *chunk = NULL;
  g_autofree char *spaces = g_strnfill (0x400, ' ');
  g_autofree char *answer = NULL;
  gsize sent = 0;

  fixture_start (&f, "max-body=1000\n");
  connection = raw_connect (f.server.url);
  g_assert_true (raw_send (connection,
                           "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                           -1));
  chunk = g_strdup_printf ("400\r\n%s\r\n", spaces);
  /* Far more than any socket buffers hold: the server must stop it. */
  while (sent < 64 * 1024 * 1024 && raw_send (connection, chunk, -1))
    sent += 0x400;
  g_test_message ("sent %" G_GSIZE_FORMAT " bytes before the server stopped reading", sent);
  g_assert_cmpuint (sent, <, 64 * 1024 * 1024);
  answer = raw_read_all (connection);
  /* The answer is written before the close; a reset may still lose it
   * on the client's side, but here it arrives. */
  if (answer[0] != '\0')
    assert_json_error (answer, 413, "too_large");
  fixture_finish (&f);
}

/* Slow and idle senders {{{1 */

/* Sends @data a byte every 200 ms until the server cuts the connection;
 * returns how long that took. */
static double
trickle_until_cut (GSocketConnection *connection,
                   const char        *data)
{
  gint64 start = g_get_monotonic_time ();
  gsize i = 0;

  for (;;)
    {
      double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
      char byte = data[i % strlen (data)];

      if (seconds > GENEROUS_SECONDS)
        g_error ("A slow sender was not cut off within %d s", GENEROUS_SECONDS);
      if (!raw_send (connection, &byte, 1))
        return seconds;
      i++;
      g_usleep (200 * 1000);
    }
}

static void
test_slow_headers (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketConnection) connection = NULL;
  double seconds;

  fixture_start (&f, "header-timeout=1\nbody-timeout=1\n");
  connection = raw_connect (f.server.url);
  /* A header that never ends, a byte at a time: no gap is long, the
   * total is. */
  g_assert_true (raw_send (connection, "GET /api/v1/version HTTP/1.1\r\nX-Slow: ", -1));
  seconds = trickle_until_cut (connection, "abcdefgh");
  g_test_message ("cut off after %.1f s", seconds);
  fixture_finish (&f);
}

static void
test_slow_body (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketConnection) connection = NULL;
  double seconds;

  fixture_start (&f, "header-timeout=1\nbody-timeout=1\n");
  connection = raw_connect (f.server.url);
  g_assert_true (raw_send (connection,
                           "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n", -1));
  seconds = trickle_until_cut (connection, "{\"a\":1}");
  g_test_message ("cut off after %.1f s", seconds);
  fixture_finish (&f);
}

static void
test_idle_connection (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketConnection) idle = NULL;
  g_autoptr(GSocketConnection) kept = NULL;
  g_autofree char *nothing = NULL;
  g_autofree char *answer = NULL;

  fixture_start (&f, "header-timeout=1\n");
  /* Says nothing at all. */
  idle = raw_connect (f.server.url);
  nothing = raw_read_all (idle);
  g_assert_cmpstr (nothing, ==, "");

  /* Asks once, keeps the connection and says nothing more. */
  kept = raw_connect (f.server.url);
  g_assert_true (raw_send (kept, "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1));
  answer = raw_read_all (kept);
  g_assert_cmpuint (answer_status (answer), ==, 200);
  fixture_finish (&f);
}

/* Connections {{{1 */

static guint
open_descriptors (Fixture *f)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%s/fd",
                                          g_subprocess_get_identifier (f->server.proc));
  g_autoptr(GDir) fds = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (fds);
  while (g_dir_read_name (fds) != NULL)
    n++;
  return n;
}

/* Clients that ask once and close, as a flood would, leave nothing open
 * behind them (libsoup 3.2 kept the socket of every kept-alive
 * connection its client closed). */
static void
test_closed_connections_freed (void)
{
  Fixture f = { 0 };
  guint before;
  guint after;

  fixture_start (&f, "");
  g_free (raw_exchange_once (f.server.url));
  before = open_descriptors (&f);
  for (guint i = 0; i < 200; i++)
    g_free (raw_exchange_once (f.server.url));
  after = open_descriptors (&f);
  g_test_message ("descriptors: %u before, %u after 200 connections", before, after);
  g_assert_cmpuint (after, <=, before + 5);
  fixture_finish (&f);
}

static void
test_connections_per_address (void)
{
  Fixture f = { 0 };
  GSocketConnection *held[3];
  g_autoptr(GSocketConnection) extra = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *retry = NULL;

  fixture_start (&f, "max-connections-per-address=3\nheader-timeout=60\n");
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = raw_connect (f.server.url);

  extra = raw_connect (f.server.url);
  g_assert_true (raw_send (extra, "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", -1));
  answer = raw_read_all (extra);
  assert_json_error (answer, 503, "too_many_connections");
  retry = answer_header (answer, "Retry-After");
  g_assert_nonnull (retry);

  /* Closed connections no longer count. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_io_stream_close (G_IO_STREAM (held[i]), NULL, NULL);
      g_object_unref (held[i]);
    }
  for (guint tries = 0; ; tries++)
    {
      guint status = 0;
      g_autoptr(SoupSession) session = soup_session_new ();
      g_autofree char *text = cd_test_request (session, f.server.url, "GET", "/api/v1/version",
                                               NULL, NULL, NULL, 0, &status);

      if (status == SOUP_STATUS_OK)
        break;
      g_assert_cmpuint (tries, <, 100);
      g_usleep (100 * 1000);
    }
  fixture_finish (&f);
}

/* Errors and headers {{{1 */

static char *
raw_exchange (const char *url,
              const char *request)
{
  g_autoptr(GSocketConnection) connection = raw_connect (url);

  g_assert_true (raw_send (connection, request, -1));
  return raw_read_all (connection);
}

static void
test_library_errors (void)
{
  Fixture f = { 0 };
  static const struct
  {
    const char *request;
    guint       status;
  } cases[] = {
    { "GARBAGE\r\n\r\n", 400 },
    { "GET /api/v1/version HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n", 505 },
    { "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501 },
    /* An https URI on a plain connection. */
    { "GET https://127.0.0.1/api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
      "close\r\n\r\n", 400 },
    { "GET /api/v1/version HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
    /* Lengths a proxy in front could read otherwise (request smuggling),
     * or that would leave the server waiting for the end of the body. */
    { "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n{}", 400 },
    { "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: "
      "3\r\n\r\n{}", 400 },
    { "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: +2\r\n\r\n{}", 400 },
    { "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
  };
  g_autofree char *xml = NULL;
  g_autofree char *xml_type = NULL;

  fixture_start (&f, "");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *answer = raw_exchange (f.server.url, cases[i].request);
      g_autofree char *nosniff = answer_header (answer, "X-Content-Type-Options");

      assert_json_error (answer, cases[i].status, "bad_request");
      g_assert_cmpstr (nosniff, ==, "nosniff");
      g_assert_null (strstr (answer, "libsoup"));
    }

  /* An Open311 .xml resource gets the Open311 error list in XML. */
  xml = raw_exchange (f.server.url, "GET https://127.0.0.1/open311/v2/requests.xml "
                                    "HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  g_test_message ("answer: %s", xml);
  g_assert_cmpuint (answer_status (xml), ==, 400);
  xml_type = answer_header (xml, "Content-Type");
  g_assert_true (g_str_has_prefix (xml_type, "text/xml"));
  g_assert_nonnull (strstr (answer_body (xml), "<errors><error>"));
  fixture_finish (&f);
}

static void
test_answer_headers (void)
{
  Fixture f = { 0 };
  g_autofree char *answer = NULL;
  g_autofree char *error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *nosniff = NULL;
  g_autofree char *vary = NULL;
  g_autofree char *error_cache = NULL;

  fixture_start (&f, "");
  answer =
      raw_exchange (f.server.url,
                    "GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  g_assert_cmpuint (answer_status (answer), ==, 200);
  server = answer_header (answer, "Server");
  cache = answer_header (answer, "Cache-Control");
  nosniff = answer_header (answer, "X-Content-Type-Options");
  vary = answer_header (answer, "Vary");
  /* No version: neither ours nor libsoup's. */
  g_assert_cmpstr (server, ==, "citydesk-server");
  g_assert_cmpstr (cache, ==, "no-store");
  g_assert_cmpstr (nosniff, ==, "nosniff");
  g_assert_cmpstr (vary, ==, "Accept-Encoding");
  g_assert_null (answer_header (answer, "Strict-Transport-Security"));

  error =
      raw_exchange (f.server.url,
                    "GET /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  assert_json_error (error, 401, "unauthorized");
  error_cache = answer_header (error, "Cache-Control");
  g_assert_cmpstr (error_cache, ==, "no-store");
  g_assert_null (strstr (error, f.server.db));

  /* The public Open311 list too, a page larger than the server serves
   * asked for. */
  {
    g_autofree char *list =
        raw_exchange (f.server.url, "GET /open311/v2/requests.json?page_size=1000 HTTP/1.1\r\n"
                                    "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
    g_autofree char *list_cache = answer_header (list, "Cache-Control");

    g_assert_cmpuint (answer_status (list), ==, 200);
    g_assert_cmpstr (list_cache, ==, "no-store");
  }
  fixture_finish (&f);
}

static void
test_log_escaping (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           cd_test_program ("CITYDESK_SERVER"), "--listen", "127.0.0.1:0", "--db",
                           db, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "Listening on "));

  /* A newline, a carriage return, an escape character and a byte that is
   * not UTF-8, percent-encoded in the path: the log shows them escaped. */
  answer =
      raw_exchange (line + strlen ("Listening on "),
                    "GET /api/v1/x%0AFORGED%20GET%20/api/v1/version%20200%0D%1B%FF HTTP/1.1\r\n"
                    "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
  assert_json_error (answer, 404, "not_found");

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &log, &error);
  g_assert_no_error (error);
  g_test_message ("log: %s", log);
  g_assert_nonnull (
      strstr (log, "/api/v1/x\\x0AFORGED GET /api/v1/version 200\\x0D\\x1B\\xFF 404"));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_false (g_str_has_prefix (lines[i], "FORGED"));
  g_assert_cmpint (cd_test_verify (db), ==, 0);
}

static void
test_stream_origin (void)
{
  Fixture f = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *evil = NULL;
  g_autofree char *own = NULL;
  g_autofree char *allowed = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  static const char *upgrade =
    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

  fixture_start (&f, "allowed-origins=https://desk.city.example\n");
  uri = g_uri_parse (f.server.url, G_URI_FLAGS_NONE, NULL);
  host = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  token = cd_test_login (f.session, f.server.url, "sup", "password-1");

  {
    g_autofree char
        *request = g_strdup_printf ("GET /api/v1/stream?token=%s HTTP/1.1\r\nHost: %s\r\n%s"
                                    "Origin: https://evil.example\r\n\r\n",
                                    token, host, upgrade);

    evil = raw_exchange (f.server.url, request);
    assert_json_error (evil, 403, "forbidden");
  }
  {
    g_autofree char
        *request = g_strdup_printf ("GET /api/v1/stream?token=%s HTTP/1.1\r\nHost: %s\r\n%s"
                                    "Origin: http://%s\r\n\r\n",
                                    token, host, upgrade, host);
    g_autoptr(GSocketConnection) connection = raw_connect (f.server.url);
    char buffer[64] = { 0 };

    g_assert_true (raw_send (connection, request, -1));
    g_assert_cmpint (g_socket_receive (g_socket_connection_get_socket (connection), buffer, 12,
                                       NULL, NULL),
                     ==, 12);
    g_assert_cmpstr (buffer, ==, "HTTP/1.1 101");
  }
  {
    g_autofree char
        *request = g_strdup_printf ("GET /api/v1/stream?token=%s HTTP/1.1\r\nHost: %s\r\n%s"
                                    "Origin: https://desk.city.example\r\n\r\n",
                                    token, host, upgrade);
    g_autoptr(GSocketConnection) connection = raw_connect (f.server.url);
    char buffer[64] = { 0 };

    g_assert_true (raw_send (connection, request, -1));
    g_assert_cmpint (g_socket_receive (g_socket_connection_get_socket (connection), buffer, 12,
                                       NULL, NULL),
                     ==, 12);
    g_assert_cmpstr (buffer, ==, "HTTP/1.1 101");
  }
  {
    /* A handshake libsoup refuses itself (no key) is answered in JSON. */
    g_autofree char
        *request = g_strdup_printf ("GET /api/v1/stream?token=%s HTTP/1.1\r\nHost: %s\r\n"
                                    "Upgrade: websocket\r\nConnection: Upgrade, close\r\n"
                                    "Sec-WebSocket-Version: 13\r\n\r\n",
                                    token, host);

    broken = raw_exchange (f.server.url, request);
    assert_json_error (broken, 400, "bad_request");
  }
  fixture_finish (&f);
}

/* A locked database {{{1 */

static void
test_busy_database (void)
{
  Fixture f = { 0 };
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autofree char *read_path = NULL;
  sqlite3 *db = NULL;

  fixture_start (&f, "db-busy-timeout=100\n");
  token = cd_test_login (f.session, f.server.url, "sup", "password-1");
  first = cd_test_call (f.session, f.server.url, "POST", "/api/v1/tickets", token, "first",
                        registration, SOUP_STATUS_CREATED);
  read_path = g_strdup_printf (
      "/api/v1/tickets/%s",
      json_object_get_string_member (json_object_get_object_member (first, "ticket"), "number"));

  /* Another program takes the write lock and keeps it. */
  g_assert_cmpint (sqlite3_open_v2 (f.server.db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *url = g_strconcat (f.server.url, "api/v1/tickets", NULL);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
      g_autofree char *key = g_strdup_printf ("busy-%u", i);
      g_autoptr(GBytes) body = g_bytes_new_static (registration, strlen (registration));
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonObject) object = NULL;
      g_autoptr(JsonObject) read = NULL;
      g_autofree char *text = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      answer = soup_session_send_and_read (f.session, msg, NULL, NULL);
      g_assert_nonnull (answer);
      text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      g_test_message ("locked write: %u %s", soup_message_get_status (msg), text);
      g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
      g_assert_nonnull (
          soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
      object = cd_test_parse_object (text);
      cd_test_assert_error (object, "busy", NULL);
      g_assert_null (strstr (text, f.server.db));

      /* Meanwhile, reads are served. */
      read = cd_test_call (f.session, f.server.url, "GET", read_path, token, NULL, NULL,
                           SOUP_STATUS_OK);
      g_assert_true (json_object_has_member (read, "ticket") ||
                     json_object_has_member (read, "number"));
    }

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* The key of a refused-for-busy write was not burnt: the retry works. */
  after = cd_test_call (f.session, f.server.url, "POST", "/api/v1/tickets", token, "busy-0",
                        registration, SOUP_STATUS_CREATED);
  g_assert_true (json_object_has_member (after, "ticket"));
  fixture_finish (&f);
}

/* The public list {{{1 */

/* One client asking for pages faster than its share gets 429 with
 * Retry-After in the Open311 error list, late; the API goes on serving
 * meanwhile, and the list serves the client again once it waited. */
static void
test_open311_list_rate (void)
{
  Fixture f = { 0 };
  g_autofree char *token = NULL;
  guint served = 0, refused = 0;
  gint64 retry_after = 0;

  fixture_start (&f, "open311-list-rate=100\nopen311-list-rate-per-address=2\n");
  token = cd_test_login (f.session, f.server.url, "sup", "password-1");
  /* A burst of twice the rate is allowed, then refusals. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *answer = raw_exchange (f.server.url,
                                              "GET /open311/v2/requests.json HTTP/1.1\r\n"
                                              "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");

      if (answer_status (answer) == 200)
        served++;
      else
        {
          g_autofree char *retry = answer_header (answer, "Retry-After");
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *error;

          g_assert_cmpuint (answer_status (answer), ==, 429);
          g_assert_nonnull (retry);
          retry_after = g_ascii_strtoll (retry, NULL, 10);
          g_assert_cmpint (retry_after, >=, 1);
          g_assert_true (json_parser_load_from_data (parser, answer_body (answer), -1, NULL));
          error = json_array_get_object_element (json_node_get_array (
                                                     json_parser_get_root (parser)),
                                                 0);
          g_assert_cmpint (json_object_get_int_member (error, "code"), ==, 429);
          refused++;
        }
    }
  g_test_message ("%u pages served, %u refused", served, refused);
  g_assert_cmpuint (served, >=, 4);
  g_assert_cmpuint (refused, >=, 1);
  g_assert_cmpuint (served + refused, ==, 8);

  /* The API is not held to the list's rate. */
  for (guint i = 0; i < 20; i++)
    {
      guint status = 0;

      g_free (cd_test_request (f.session, f.server.url, "GET", "/api/v1/tickets?limit=1", token,
                               NULL, NULL, 0, &status));
      g_assert_cmpuint (status, ==, 200);
    }

  /* After Retry-After, a page again. */
  g_usleep ((gulong) (retry_after * G_USEC_PER_SEC));
  {
    g_autofree char *answer = raw_exchange (f.server.url,
                                            "GET /open311/v2/requests.xml HTTP/1.1\r\n"
                                            "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");

    g_assert_cmpuint (answer_status (answer), ==, 200);
  }
  fixture_finish (&f);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-limits/body/oversized-content-length", test_oversized_content_length);
  g_test_add_func ("/server-limits/body/endless-chunked", test_endless_chunked_body);
  g_test_add_func ("/server-limits/time/slow-headers", test_slow_headers);
  g_test_add_func ("/server-limits/time/slow-body", test_slow_body);
  g_test_add_func ("/server-limits/time/idle", test_idle_connection);
  g_test_add_func ("/server-limits/connections/per-address", test_connections_per_address);
  g_test_add_func ("/server-limits/open311/list-rate", test_open311_list_rate);
  g_test_add_func ("/server-limits/connections/closed-freed", test_closed_connections_freed);
  g_test_add_func ("/server-limits/errors/library", test_library_errors);
  g_test_add_func ("/server-limits/errors/headers", test_answer_headers);
  g_test_add_func ("/server-limits/errors/log-escaping", test_log_escaping);
  g_test_add_func ("/server-limits/stream/origin", test_stream_origin);
  g_test_add_func ("/server-limits/busy-database", test_busy_database);

  return g_test_run ();
}
