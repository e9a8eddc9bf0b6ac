// SPDX-License-Identifier: GPL-3.0-or-later
//
// The HTTP side of citydesk-server: lifecycle, the request log, and answers
// in the one shape every client expects: {"error":{"code":…,"message":…}}.
// The routes live in cd-server-auth.c, cd-server-api.c and
// cd-server-stream.c.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-dispatch.h"
#include "cd-journal.h"
#include "cd-server-open311.h"
#include "cd-server-private.h"

G_DEFINE_FINAL_TYPE (CdServer, cd_server, G_TYPE_OBJECT)

/* Deeper JSON than this is refused before it reaches the parser, whose
 * recursion a hostile body could otherwise use to exhaust the stack. */
#define MAX_JSON_DEPTH 32

/* Smaller answers are not worth compressing. */
#define GZIP_MIN_SIZE 1024

static const char *start_key = "cd-server-start";

/* Answers {{{1 */

static GBytes *
gzip_bytes (const char *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 4);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (out, data, len, NULL, NULL, NULL) ||
      !g_output_stream_close (out, NULL, NULL))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static gboolean
accepts_gzip (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");

  return accept != NULL && soup_header_contains (accept, "gzip");
}

/* Takes @json. */
static void
send_owned_text (SoupServerMessage *msg,
                 guint              status,
                 char              *json,
                 gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  if (len >= GZIP_MIN_SIZE && accepts_gzip (msg))
    {
      g_autoptr(GBytes) packed = gzip_bytes (json, len);

      if (packed != NULL)
        {
          gsize packed_len = 0;
          gconstpointer data = g_bytes_get_data (packed, &packed_len);

          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Content-Encoding", "gzip");
          soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                            data, packed_len);
          g_free (json);
          return;
        }
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json, len);
}

void
cd_server_send_text (SoupServerMessage *msg,
                     guint              status,
                     const char        *json,
                     gsize              len)
{
  send_owned_text (msg, status, g_strndup (json, len), len);
}

/**
 * cd_server_send_json_text:
 * @msg: the request
 * @status: the HTTP status
 * @json: (transfer full): the body, already written as JSON text
 *
 * Answers like cd_server_send_object() (same headers, gzip when the client
 * takes it) with a body its handler wrote itself, without a copy.
 */
void
cd_server_send_json_text (SoupServerMessage *msg,
                          guint              status,
                          GString           *json)
{
  gsize len = json->len;

  send_owned_text (msg, status, g_string_free (json, FALSE), len);
}

void
cd_server_send_json (SoupServerMessage *msg,
                     guint              status,
                     JsonNode          *body)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize len = 0;

  json_generator_set_root (generator, body);
  text = json_generator_to_data (generator, &len);
  send_owned_text (msg, status, text, len);
}

char *
cd_server_object_to_text (JsonObject *object,
                          gsize      *len)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, len);
}

void
cd_server_send_object (SoupServerMessage *msg,
                       guint              status,
                       JsonObject        *body)
{
  gsize len = 0;
  char *text = cd_server_object_to_text (body, &len);

  send_owned_text (msg, status, text, len);
}

void
cd_server_send_error (SoupServerMessage *msg,
                      guint              status,
                      const char        *code,
                      const char        *message,
                      const char        *field)
{
  gsize len = 0;
  char *text = cd_server_error_text (code, message, field, &len);

  send_owned_text (msg, status, text, len);
}

/**
 * cd_server_classify_error:
 * @error: why something failed
 * @status: (out): the HTTP status to answer
 * @code: (out): the API's error code
 *
 * Maps the library's errors to the API's: a refused transition is 409, a
 * role the table does not allow is 403, a missing ticket 404, bad
 * credentials 401.
 *
 * Returns: %FALSE when @error is unexpected (500: the caller logs it and
 *   answers without its details)
 */
gboolean
cd_server_classify_error (const GError  *error,
                          guint         *status,
                          const char   **code)
{
  *status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  *code = "internal";

  if (error->domain == CD_DISPATCH_ERROR)
    {
      switch ((CdDispatchError) error->code)
        {
        case CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED:
        case CD_DISPATCH_ERROR_WRONG_ORGANIZATION:
          *status = SOUP_STATUS_FORBIDDEN;
          *code = "forbidden";
          return TRUE;
        case CD_DISPATCH_ERROR_WRONG_STATE:
        case CD_DISPATCH_ERROR_WRONG_KIND:
        case CD_DISPATCH_ERROR_WRONG_TICKET:
          *status = SOUP_STATUS_CONFLICT;
          *code = "invalid_transition";
          return TRUE;
        case CD_DISPATCH_ERROR_UNKNOWN_ACTION:
        case CD_DISPATCH_ERROR_UNKNOWN_ROLE:
        case CD_DISPATCH_ERROR_MISSING_FIELD:
        case CD_DISPATCH_ERROR_INVALID_FIELD:
        case CD_DISPATCH_ERROR_INVALID_PAYLOAD:
        default:
          *status = SOUP_STATUS_BAD_REQUEST;
          *code = "bad_request";
          return TRUE;
        }
    }
  if (error->domain == CD_AUTH_ERROR)
    {
      switch ((CdAuthError) error->code)
        {
        case CD_AUTH_ERROR_BAD_CREDENTIALS:
        case CD_AUTH_ERROR_BAD_TOKEN:
        case CD_AUTH_ERROR_BAD_KEY:
          *status = SOUP_STATUS_UNAUTHORIZED;
          *code = "unauthorized";
          return TRUE;
        case CD_AUTH_ERROR_INVALID:
          *status = SOUP_STATUS_BAD_REQUEST;
          *code = "bad_request";
          return TRUE;
        case CD_AUTH_ERROR_EXISTS:
          *status = SOUP_STATUS_CONFLICT;
          *code = "conflict";
          return TRUE;
        case CD_AUTH_ERROR_CRYPTO:
        default:
          return FALSE;
        }
    }
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      *status = SOUP_STATUS_NOT_FOUND;
      *code = "not_found";
      return TRUE;
    }
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT))
    {
      *status = SOUP_STATUS_CONFLICT;
      *code = "conflict";
      return TRUE;
    }
  return FALSE;
}

/* An error answer as text, for answers that are also stored. */
char *
cd_server_error_text (const char *code,
                      const char *message,
                      const char *field,
                      gsize      *len)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *error = json_object_new ();
  /* Messages may quote what the client sent, which JSON escapes can make
   * invalid UTF-8 (a lone surrogate): the answer stays valid JSON. */
  g_autofree char *valid_message = g_utf8_make_valid (message, -1);

  json_object_set_string_member (error, "code", code);
  json_object_set_string_member (error, "message", valid_message);
  if (field != NULL)
    {
      g_autofree char *valid_field = g_utf8_make_valid (field, -1);

      json_object_set_string_member (error, "field", valid_field);
    }
  json_object_set_object_member (root, "error", error);
  return cd_server_object_to_text (root, len);
}

void
cd_server_send_gerror (SoupServerMessage *msg,
                       const GError      *error)
{
  const char *code;
  guint status;

  if (cd_server_classify_error (error, &status, &code))
    {
      cd_server_send_error (msg, status, code, error->message, NULL);
      return;
    }

  g_warning ("%s %s: %s", soup_server_message_get_method (msg),
             cd_server_path (msg), error->message);
  cd_server_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                        _("The server failed; the failure is logged."), NULL);
}

gboolean
cd_server_check_method (SoupServerMessage *msg,
                        const char        *method)
{
  g_autofree char *message = NULL;

  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;
  message = g_strdup_printf (_("%s accepts only %s."), cd_server_path (msg), method);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  cd_server_send_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", message, NULL);
  return FALSE;
}

/* Requests {{{1 */

static gboolean
too_deep (const char *data,
          gsize       len)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return TRUE;
        }
      else if (c == ']' || c == '}')
        depth--;
    }
  return FALSE;
}

/**
 * cd_server_read_object:
 * @self: the server
 * @msg: a request with a JSON body
 * @raw: (out) (optional): the body's bytes
 *
 * Returns: (transfer full): the body's object, or %NULL after answering
 *   400 or 413 naming what is wrong
 */
JsonObject *
cd_server_read_object (CdServer           *self,
                       SoupServerMessage  *msg,
                       GBytes            **raw)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize len = 0;
  JsonNode *root;

  data = g_bytes_get_data (bytes, &len);
  if ((gint64) len > self->config->max_body)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %" G_GINT64_FORMAT " bytes."),
                                                  self->config->max_body);

      cd_server_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message, NULL);
      return NULL;
    }
  if (len == 0)
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("The request body is empty: send a JSON object."), NULL);
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("The request body is not UTF-8 text."), NULL);
      return NULL;
    }
  if (too_deep (data, len))
    {
      g_autofree char *message = g_strdup_printf (_("The JSON is nested deeper than %d levels."), MAX_JSON_DEPTH);

      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, NULL);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The request body is not valid JSON: %s"), error->message);

      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, NULL);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("The request body must be a JSON object."), NULL);
      return NULL;
    }
  if (raw != NULL)
    *raw = g_bytes_ref (bytes);
  return json_object_ref (json_node_get_object (root));
}

gint64
cd_server_now (CdServer *self)
{
  gint64 real = g_get_real_time () / G_USEC_PER_SEC;

  if (self->clock_speed <= 0)
    return real;
  return self->clock_start + (gint64) ((double) (g_get_monotonic_time () - self->clock_origin) *
                                       self->clock_speed / G_USEC_PER_SEC);
}

/* The request log {{{1 */

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CdServer          *self);

static const char *received_key = "cd-server-received";

/* A chunked body announces no length: count it as it comes, and drop the
 * connection once it passes the limit, so that the server never holds
 * more than max-body of it. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              CdServer          *self)
{
  gint64 *received = g_object_get_data (G_OBJECT (msg), received_key);

  *received += g_bytes_get_size (chunk);
  if (*received > self->config->max_body)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      g_signal_handlers_disconnect_by_func (msg, on_got_chunk, self);
      g_message ("%s %s: a chunked body passed %" G_GINT64_FORMAT " bytes; connection dropped",
                 soup_server_message_get_method (msg), cd_server_path (msg), self->config->max_body);
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

static void
on_got_headers (SoupServerMessage *msg,
                CdServer          *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      g_object_set_data_full (G_OBJECT (msg), received_key, g_new0 (gint64, 1), g_free);
      g_signal_connect_object (msg, "got-chunk", G_CALLBACK (on_got_chunk), self, 0);
    }

  /* Refuse before reading the body: the client is told at once and the
   * server never holds it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      length > self->config->max_body)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %" G_GINT64_FORMAT " bytes."),
                                                  self->config->max_body);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      cd_server_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message, NULL);
    }
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CdServer          *self)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), start_key, start, g_free);
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
}

static void
log_request (SoupServerMessage *msg,
             gboolean           aborted)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), start_key);
  const char *method = soup_server_message_get_method (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path;
  char status[16];
  char duration[32];

  if (method == NULL || uri == NULL)
    return;
  path = g_uri_get_path (uri);
  g_snprintf (status, sizeof status, "%u", soup_server_message_get_status (msg));
  g_snprintf (duration, sizeof duration, "%.1f",
              start != NULL ? (double) (g_get_monotonic_time () - *start) / 1000.0 : 0.0);

  /* The path only: the query may hold a token (the stream's ?token=). */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "CD_METHOD", method,
                    "CD_PATH", path,
                    "CD_STATUS", status,
                    "CD_DURATION_MS", duration,
                    "MESSAGE", "%s %s %s %s ms%s", method, path, status, duration,
                    aborted ? " (aborted)" : "");
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     CdServer          *self)
{
  log_request (msg, FALSE);
}

static void
on_request_aborted (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CdServer          *self)
{
  log_request (msg, TRUE);
}

/* Routes that need nothing {{{1 */

static void
handle_version (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  g_autoptr(JsonObject) root = json_object_new ();

  if (!cd_server_check_method (msg, SOUP_METHOD_GET))
    return;

  json_object_set_string_member (root, "name", "citydesk-server");
  json_object_set_string_member (root, "version", PACKAGE_VERSION);
  json_object_set_int_member (root, "api", 1);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static void
handle_not_found (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

  cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
}

/* Lifecycle {{{1 */

static void
cd_server_dispose (GObject *object)
{
  CdServer *self = (CdServer *)object;

  g_clear_pointer (&self->stream, cd_server_stream_free);
  g_clear_pointer (&self->auth, cd_server_auth_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cd_server_parent_class)->dispose (object);
}

static void
cd_server_finalize (GObject *object)
{
  CdServer *self = (CdServer *)object;

  g_clear_pointer (&self->config, cd_server_config_free);

  G_OBJECT_CLASS (cd_server_parent_class)->finalize (object);
}

static void
cd_server_class_init (CdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_server_dispose;
  object_class->finalize = cd_server_finalize;
}

static void
cd_server_init (CdServer *self)
{
}

/**
 * cd_server_new:
 * @store: the database the server serves
 * @config: the settings (copied)
 *
 * Returns: (transfer full): a server; call cd_server_listen() to start it
 */
CdServer *
cd_server_new (CdStore              *store,
               const CdServerConfig *config)
{
  CdServer *self;

  g_return_val_if_fail (CD_IS_STORE (store), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (CD_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->config = cd_server_config_new ();
  self->config->listen = g_strdup (config->listen);
  self->config->db = g_strdup (config->db);
  self->config->tls_cert = g_strdup (config->tls_cert);
  self->config->tls_key = g_strdup (config->tls_key);
  self->config->max_body = config->max_body;
  self->config->token_lifetime = config->token_lifetime;
  self->config->login_attempts = config->login_attempts;
  self->config->login_address_attempts = config->login_address_attempts;
  self->config->login_lockout = config->login_lockout;

  self->soup = soup_server_new ("server-header", "citydesk-server/" PACKAGE_VERSION " ", NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (on_request_finished), self, 0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (on_request_aborted), self, 0);

  soup_server_add_handler (self->soup, "/api/v1/version", handle_version, self, NULL);
  cd_server_auth_install (self);
  cd_server_api_install (self);
  cd_server_open311_install (self);
  self->stream = cd_server_stream_new (self);
  soup_server_add_handler (self->soup, NULL, handle_not_found, self, NULL);

  return self;
}

/**
 * cd_server_listen:
 * @self: a #CdServer
 * @address: "HOST:PORT"; port 0 picks a free port (see cd_server_get_uris())
 * @error: return location for a #GError
 *
 * Serves HTTPS when the configuration names a certificate and key.
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
  SoupServerListenOptions options = 0;

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

  if (self->config->tls_cert != NULL && self->config->tls_key != NULL)
    {
      g_autoptr(GTlsCertificate) cert = NULL;

      cert = g_tls_certificate_new_from_files (self->config->tls_cert, self->config->tls_key, &local_error);
      if (cert == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Cannot load the TLS certificate “%s” and key “%s”: %s"),
                       self->config->tls_cert, self->config->tls_key, local_error->message);
          return FALSE;
        }
      g_object_set (self->soup, "tls-certificate", cert, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  return soup_server_listen (self->soup, socket_address, options, error);
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

/**
 * cd_server_get_store:
 * @self: a #CdServer
 *
 * Returns: (transfer none): the database the server serves
 */
CdStore *
cd_server_get_store (CdServer *self)
{
  g_return_val_if_fail (CD_IS_SERVER (self), NULL);
  return self->store;
}

/**
 * cd_server_get_soup_server:
 * @self: a #CdServer
 *
 * For routes that live outside the API v1 (Open311): add handlers to it
 * before the server starts listening.
 *
 * Returns: (transfer none): the #SoupServer
 */
SoupServer *
cd_server_get_soup_server (CdServer *self)
{
  g_return_val_if_fail (CD_IS_SERVER (self), NULL);
  return self->soup;
}

/**
 * cd_server_set_clock:
 * @self: a #CdServer
 * @start: Unix seconds the clock shows now
 * @speed: how many simulated seconds pass per real second; 0 for the
 *   real clock
 */
void
cd_server_set_clock (CdServer *self,
                     gint64    start,
                     double    speed)
{
  g_return_if_fail (CD_IS_SERVER (self));

  self->clock_start = start;
  self->clock_origin = g_get_monotonic_time ();
  self->clock_speed = speed;
}

/**
 * cd_server_get_time:
 * @self: a #CdServer
 *
 * Returns: the server's time in Unix seconds: the demo's simulated clock,
 *   or the real one
 */
gint64
cd_server_get_time (CdServer *self)
{
  g_return_val_if_fail (CD_IS_SERVER (self), 0);
  return cd_server_now (self);
}

/**
 * cd_server_notify_committed:
 * @self: a #CdServer
 *
 * Pushes events committed since the last push to the stream's clients at
 * once. The stream also polls the journal, so writers that do not call
 * this (another process on the same file) are seen within its period.
 */
void
cd_server_notify_committed (CdServer *self)
{
  g_return_if_fail (CD_IS_SERVER (self));

  if (self->stream != NULL)
    cd_server_stream_poll (self->stream);
}
