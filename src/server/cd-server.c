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
#include "cd-input.h"
#include "cd-journal.h"
#include "cd-json-tree.h"
#include "cd-open311.h"
#include "cd-server-open311.h"
#include "cd-server-private.h"

G_DEFINE_FINAL_TYPE (CdServer, cd_server, G_TYPE_OBJECT)

/* Smaller answers are not worth compressing. */
#define GZIP_MIN_SIZE 1024

static const char *start_key = "cd-server-start";

/* Answers {{{1 */

/**
 * cd_server_gzip:
 * @data: a body
 * @len: its length
 *
 * Any thread may call it (the Open311 list's worker packs its pages).
 *
 * Returns: (transfer full) (nullable): @data compressed, or %NULL
 */
GBytes *
cd_server_gzip (const char *data,
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

gboolean
cd_server_accepts_gzip (SoupServerMessage *msg)
{
  const char *accept = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Encoding");

  return accept != NULL && soup_header_contains (accept, "gzip");
}

static void
send_packed (SoupServerMessage *msg,
             GBytes            *packed)
{
  gsize packed_len = 0;
  gconstpointer data = g_bytes_get_data (packed, &packed_len);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Encoding", "gzip");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, packed_len);
}

/* Takes @json. */
static void
send_owned_text (SoupServerMessage *msg,
                 guint              status,
                 char              *json,
                 gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  /* Whether an answer is compressed depends on the request's
   * Accept-Encoding: a cache must not hand one client's gzip to another. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Vary", "Accept-Encoding");
  if (len >= GZIP_MIN_SIZE && cd_server_accepts_gzip (msg))
    {
      g_autoptr(GBytes) packed = cd_server_gzip (json, len);

      if (packed != NULL)
        {
          send_packed (msg, packed);
          g_free (json);
          return;
        }
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json, len);
}

/**
 * cd_server_pack_json:
 * @json: a JSON answer
 * @len: its length
 *
 * What send_owned_text() would compress, compressed on the caller's
 * thread, for cd_server_send_json_packed().
 *
 * Returns: (transfer full) (nullable): @json compressed, or %NULL when it
 *   is too short to be worth it or compression failed
 */
GBytes *
cd_server_pack_json (const char *json,
                     gsize       len)
{
  return len >= GZIP_MIN_SIZE ? cd_server_gzip (json, len) : NULL;
}

/**
 * cd_server_send_json_packed:
 * @msg: the request
 * @status: the HTTP status
 * @json: (transfer full): the JSON answer
 * @len: its length
 * @packed: (nullable): @json compressed by cd_server_pack_json(), when the
 *   client accepts gzip
 *
 * Answers like cd_server_send_json_text().
 */
void
cd_server_send_json_packed (SoupServerMessage *msg,
                            guint              status,
                            char              *json,
                            gsize              len,
                            GBytes            *packed)
{
  if (packed == NULL)
    {
      send_owned_text (msg, status, json, len);
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Vary", "Accept-Encoding");
  send_packed (msg, packed);
  g_free (json);
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
 * credentials 401, a database another connection holds locked 503 `busy`,
 * a database that cannot be reached (a restart, a failover) 503
 * `unavailable` (either way the request may be sent again:
 * cd_server_send_gerror() says when).
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
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_BUSY))
    {
      *status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      *code = "busy";
      return TRUE;
    }
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
    {
      *status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      *code = "unavailable";
      return TRUE;
    }
  return FALSE;
}

/**
 * cd_server_log_failure:
 * @what: what failed, for the log
 * @error: why
 *
 * Logs a failure the server goes on after: a database that cannot be
 * reached (a restart, a failover: an operator's event, which the next
 * statement mends by connecting again) is said as a message; anything
 * else is a warning.
 */
void
cd_server_log_failure (const char   *what,
                       const GError *error)
{
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
    g_message ("%s: %s", what, error->message);
  else
    g_warning ("%s: %s", what, error->message);
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
      if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        {
          if (g_str_equal (code, "unavailable"))
            cd_server_log_failure (cd_server_log_path (msg), error);
          cd_server_send_busy (msg, error);
          return;
        }
      cd_server_send_error (msg, status, code, error->message, NULL);
      return;
    }

  g_warning ("%s %s: %s", soup_server_message_get_method (msg),
             cd_server_log_path (msg), error->message);
  cd_server_send_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                        _("The server failed; the failure is logged."), NULL);
}

/* Seconds a client is told to wait before it sends a request again that
 * met a locked database: about the wait of a checkpoint or a backup step. */
#define BUSY_RETRY_AFTER "1"

/**
 * cd_server_busy_message:
 * @error: (nullable): a %CD_STORE_ERROR_BUSY or %CD_STORE_ERROR_UNREACHABLE
 *
 * Returns: what a client is told of @error, without the database's name
 */
const char *
cd_server_busy_message (const GError *error)
{
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
    return _("The database cannot be reached just now; send the request again in a moment.");
  return _("The database is busy; send the request again in a moment.");
}

/**
 * cd_server_send_busy:
 * @msg: the request
 * @error: (nullable): why
 *
 * Answers 503 with Retry-After, nothing written: `busy` when the database
 * was locked by another connection for longer than the server waits
 * (db-busy-timeout); `unavailable` when it could not be reached (@error
 * is %CD_STORE_ERROR_UNREACHABLE: a restart or a failover).
 */
void
cd_server_send_busy (SoupServerMessage *msg,
                     const GError      *error)
{
  gboolean unreachable = g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", BUSY_RETRY_AFTER);
  cd_server_send_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                        unreachable ? "unavailable" : "busy", cd_server_busy_message (error),
                        NULL);
}

/**
 * cd_server_error_body:
 * @path: (nullable): the request's path, when it could be read
 * @status: the HTTP status
 * @code: the API's error code
 * @message: what to tell the client
 * @content_type: (out): the body's type
 * @len: (out): the body's length
 *
 * An error in the shape the route's clients read: the API's
 * {"error":{…}}, or under /open311/ the Open311 error list, in XML for a
 * .xml resource.
 *
 * Returns: (transfer full): the body
 */
char *
cd_server_error_body (const char  *path,
                      guint        status,
                      const char  *code,
                      const char  *message,
                      const char **content_type,
                      gsize       *len)
{
  if (path != NULL && g_str_has_prefix (path, "/open311/"))
    {
      g_autoptr(JsonNode) node = cd_open311_error_list (status, message);
      g_autoptr(JsonGenerator) generator = NULL;
      char *text;

      if (g_str_has_suffix (path, ".xml"))
        {
          text = cd_open311_to_xml (node, "errors");
          *content_type = "text/xml; charset=utf-8";
          *len = strlen (text);
          return text;
        }
      generator = json_generator_new ();
      json_generator_set_root (generator, node);
      *content_type = "application/json";
      return json_generator_to_data (generator, len);
    }
  *content_type = "application/json";
  return cd_server_error_text (code, message, NULL, len);
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

/* The request body's JSON, parsed once before any handler runs. */
static const char *body_key = "cd-server-body";

static gboolean
is_open311 (SoupServerMessage *msg)
{
  return g_str_has_prefix (cd_server_path (msg), "/open311/");
}

static void
refuse_request (SoupServerMessage *msg,
                const char        *message,
                const char        *field)
{
  if (is_open311 (msg))
    cd_server_open311_send_error (msg, SOUP_STATUS_BAD_REQUEST, message);
  else
    cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, field);
}

/**
 * cd_server_decode_form:
 * @text: an application/x-www-form-urlencoded text (a body or a query
 *   string)
 * @field: (out) (transfer full): on error, the field at fault, or %NULL
 * @error: a %CD_INPUT_ERROR naming the field
 *
 * Decodes a form as soup_form_decode() does (the last of repeated fields
 * wins) but checks every name and value first, as bytes: soup cuts a
 * value at a `%00` and passes on any other byte. Each value must pass
 * cd_input_check_text() for its field.
 *
 * Returns: (transfer full): the fields, or %NULL with @error set
 */
GHashTable *
cd_server_decode_form (const char  *text,
                       char       **field,
                       GError     **error)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) pairs = g_strsplit (text, "&", -1);

  *field = NULL;
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = NULL;
      g_autoptr(GBytes) name = NULL;
      g_autoptr(GBytes) value = NULL;
      gsize name_len = 0, value_len = 0;
      const char *name_data, *value_data;

      if (*pairs[i] == '\0')
        continue;
      parts = g_strsplit (g_strdelimit (pairs[i], "+", ' '), "=", 2);
      name = g_uri_unescape_bytes (parts[0], -1, NULL, NULL);
      value = parts[1] != NULL ? g_uri_unescape_bytes (parts[1], -1, NULL, NULL)
                               : g_bytes_new_static ("", 0);
      if (name == NULL || value == NULL)
        {
          g_set_error_literal (error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_TEXT,
                               _("A form field has a bad %-escape."));
          return NULL;
        }
      name_data = g_bytes_get_data (name, &name_len);
      value_data = g_bytes_get_data (value, &value_len);
      if (!cd_input_text_is_clean (name_data, name_len, FALSE, NULL) || name_len > 64)
        {
          g_set_error_literal (
              error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_TEXT,
              _("A form field’s name is not one line of UTF-8 text of at most 64 bytes."));
          return NULL;
        }
      *field = g_strndup (name_data, name_len);
      if (!cd_input_check_text (*field, value_data != NULL ? value_data : "", value_len, error))
        return NULL;
      g_hash_table_insert (fields, g_steal_pointer (field), g_strndup (value_data, value_len));
    }
  return g_steal_pointer (&fields);
}

/* Every name and value of the query string must be text; each route then
 * reads what it needs from soup's decoding, which is now safe. */
static gboolean
check_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  if (query == NULL)
    return TRUE;
  fields = cd_server_decode_form (query, &field, &error);
  if (fields != NULL)
    return TRUE;
  refuse_request (msg, error->message, field);
  return FALSE;
}

/* Every API body is JSON: it is read strictly, and its nesting limited,
 * here, before any handler (authentication included) spends anything on
 * it. Open311 bodies are read by their handler (they may be forms), with
 * the same cd_json_parse(). */
static gboolean
check_api_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  g_autofree char *message = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data;

  if (!g_str_has_prefix (cd_server_path (msg), "/api/") || body->length == 0)
    return TRUE;
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  root = cd_json_parse (data, len, CD_JSON_INPUT_MAX_DEPTH, NULL, &member, &error);
  if (root != NULL)
    {
      g_object_set_data_full (G_OBJECT (msg), body_key, root, (GDestroyNotify) json_node_unref);
      return TRUE;
    }
  if (g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP))
    message = g_strdup_printf (_("The JSON is nested deeper than %d levels."),
                               CD_JSON_INPUT_MAX_DEPTH);
  else
    message = g_strdup_printf (_("The request body is not valid JSON: %s"), error->message);
  cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message,
                        g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_REFUSED) ||
                                g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED)
                            ? member
                            : NULL);
  return FALSE;
}

static void
on_request_read (SoupServer        *soup,
                 SoupServerMessage *msg,
                 CdServer          *self)
{
  /* Already answered (a body over the limit). */
  if (soup_server_message_get_status (msg) != 0)
    return;
  if (check_query (msg))
    check_api_body (msg);
}

/**
 * cd_server_read_object:
 * @self: the server
 * @msg: a request with a JSON body
 * @raw: (out) (optional): the body's bytes
 *
 * The body as on_request_read() parsed it: strict JSON (RFC 8259), nested
 * at most %CD_JSON_INPUT_MAX_DEPTH levels, that must be an object.
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
  JsonNode *root = g_object_get_data (G_OBJECT (msg), body_key);

  if (body->length > self->config->max_body)
    {
      g_autofree char *message = g_strdup_printf (_("The request body is larger than %" PRId64
                                                     " bytes."),
                                                  self->config->max_body);

      cd_server_send_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large", message, NULL);
      return NULL;
    }
  if (root == NULL)
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("The request body is empty: send a JSON object."), NULL);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("The request body must be a JSON object."), NULL);
      return NULL;
    }
  if (raw != NULL)
    *raw = soup_message_body_flatten (body);
  return json_object_ref (json_node_get_object (root));
}

static gboolean
is_trusted_proxy (CdServer     *self,
                  GInetAddress *address)
{
  GStrv proxies = self->config->trusted_proxies;

  for (guint i = 0; proxies != NULL && proxies[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) proxy = g_inet_address_new_from_string (proxies[i]);

      if (proxy != NULL && g_inet_address_equal (proxy, address))
        return TRUE;
    }
  return FALSE;
}

/**
 * cd_server_is_trusted_proxy:
 * @self: the server
 * @msg: a request
 *
 * Returns: whether @msg came straight from a reverse proxy the
 *   configuration trusts (trusted-proxies)
 */
gboolean
cd_server_is_trusted_proxy (CdServer          *self,
                            SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (remote) &&
         is_trusted_proxy (self,
                           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

/**
 * cd_server_client_address:
 * @self: the server
 * @msg: a request
 *
 * The address of the client that sent @msg: the connection's peer, or,
 * when the peer is a trusted reverse proxy, the last address in
 * X-Forwarded-For that is not itself a trusted proxy. Earlier entries are
 * the client's own word and are not believed; a header that does not
 * parse leaves the proxy's address.
 *
 * Returns: (transfer full) (nullable): the address, %NULL when the
 *   connection is not over IP
 */
GInetAddress *
cd_server_client_address (CdServer          *self,
                          SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_auto(GStrv) hops = NULL;
  GInetAddress *peer;
  const char *forwarded;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return NULL;
  peer = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  if (!is_trusted_proxy (self, peer))
    return g_object_ref (peer);

  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return g_object_ref (peer);
  hops = g_strsplit (forwarded, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      g_autoptr(GInetAddress) hop = g_inet_address_new_from_string (g_strstrip (hops[i - 1]));

      if (hop == NULL)
        break;
      if (!is_trusted_proxy (self, hop))
        return g_steal_pointer (&hop);
    }
  return g_object_ref (peer);
}

typedef struct
{
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;
} HeldAnswer;

static void
on_held_finished (SoupServerMessage *msg,
                  HeldAnswer        *held)
{
  held->finished = TRUE;
}

static gboolean
on_hold_over (gpointer user_data)
{
  HeldAnswer *held = user_data;

  if (!held->finished)
    soup_server_message_unpause (held->msg);
  g_signal_handler_disconnect (held->msg, held->finished_id);
  g_object_unref (held->msg);
  g_free (held);
  return G_SOURCE_REMOVE;
}

/**
 * cd_server_hold_answer:
 * @msg: a request already answered (a refusal)
 * @delay_ms: how long to hold the answer back
 *
 * Sends the answer late, without holding up anything else: a client that
 * does not wait as Retry-After says would otherwise loop on instant
 * refusals and take the main loop's time from the clients it serves.
 */
void
cd_server_hold_answer (SoupServerMessage *msg,
                       gint64             delay_ms)
{
  HeldAnswer *held;

  if (delay_ms <= 0)
    return;
  held = g_new0 (HeldAnswer, 1);
  held->msg = g_object_ref (msg);
  held->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_held_finished), held);
  soup_server_message_pause (msg);
  g_timeout_add ((guint) MIN (delay_ms, G_MAXUINT), on_hold_over, held);
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

/* The request log and what every answer carries {{{1 */

static const char *log_path_key = "cd-server-log-path";
static const char *preset_key = "cd-server-preset-error";

/**
 * cd_server_log_path:
 * @msg: a request
 *
 * The request's path for a log line: bytes outside printable ASCII (a
 * newline, a control character, invalid UTF-8 sent percent-encoded) and
 * the backslash are written as \xHH, so that no request can forge a line.
 *
 * Returns: (transfer none): the escaped path, kept on @msg; "-" when the
 *   request line could not be read
 */
const char *
cd_server_log_path (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = uri != NULL ? g_uri_get_path (uri) : NULL;
  const char *cached = g_object_get_data (G_OBJECT (msg), log_path_key);
  GString *escaped;

  if (cached != NULL)
    return cached;
  if (path == NULL)
    return "-";
  escaped = g_string_sized_new (strlen (path));
  for (const char *p = path; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c > 0x7e || c == '\\')
        g_string_append_printf (escaped, "\\x%02X", c);
      else
        g_string_append_c (escaped, (char) c);
    }
  g_object_set_data_full (G_OBJECT (msg), log_path_key, escaped->str, g_free);
  return g_string_free (escaped, FALSE);
}

/**
 * cd_server_log_request:
 * @msg: a request
 * @status: the status it was answered
 * @note: (nullable): said after the line, such as "aborted"
 *
 * Writes the request's log line (docs/api.md): the method, the escaped
 * path (never the query, which may hold a token), the status and the time
 * since the request started.
 */
void
cd_server_log_request (SoupServerMessage *msg,
                       guint              status,
                       const char        *note)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), start_key);
  const char *method = soup_server_message_get_method (msg);
  const char *path = cd_server_log_path (msg);
  char status_text[16];
  char duration[32];

  /* The method is a token libsoup checked; a request whose line could
   * not be read has none. */
  if (method == NULL)
    method = "-";
  g_snprintf (status_text, sizeof status_text, "%u", status);
  g_snprintf (duration, sizeof duration, "%.1f",
              start != NULL ? (double) (g_get_monotonic_time () - *start) / 1000.0 : 0.0);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "CD_METHOD", method,
                    "CD_PATH", path,
                    "CD_STATUS", status_text,
                    "CD_DURATION_MS", duration,
                    "MESSAGE", "%s %s %s %s ms%s%s%s", method, path, status_text, duration,
                    note != NULL ? " (" : "", note != NULL ? note : "", note != NULL ? ")" : "");
}

/**
 * cd_server_add_answer_headers:
 * @self: the server
 * @headers: an answer's headers
 *
 * What every answer says: nothing in it may be cached (answers carry
 * personal data and tokens), its type is the one given, and over TLS the
 * browser keeps to TLS.
 */
void
cd_server_add_answer_headers (CdServer           *self,
                              SoupMessageHeaders *headers)
{
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  if (self->config->tls_cert != NULL)
    soup_message_headers_replace (headers, "Strict-Transport-Security", "max-age=31536000");
}

static const char *
error_code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return "unauthorized";
    case SOUP_STATUS_FORBIDDEN:
      return "forbidden";
    case SOUP_STATUS_NOT_FOUND:
      return "not_found";
    case SOUP_STATUS_METHOD_NOT_ALLOWED:
      return "method_not_allowed";
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return "too_large";
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return "busy";
    default:
      return status >= 500 ? "internal" : "bad_request";
    }
}

/* An error libsoup answered itself (a request it could not parse, a path
 * with "..", a WebSocket handshake it refused) gets the body every other
 * error has; its own is empty or HTML. */
static void
ensure_error_body (CdServer          *self,
                   SoupServerMessage *msg)
{
  guint status = soup_server_message_get_status (msg);
  const char *type =
      soup_message_headers_get_content_type (soup_server_message_get_response_headers (msg), NULL);
  g_autofree char *message = NULL;
  const char *content_type = NULL;
  const char *path = NULL;
  char *body;
  gsize len = 0;

  cd_server_add_answer_headers (self, soup_server_message_get_response_headers (msg));
  if (status < 400)
    return;
  if (g_object_get_data (G_OBJECT (msg), preset_key) == NULL &&
      type != NULL && (g_str_equal (type, "application/json") || g_str_equal (type, "text/xml")))
    return;
  g_object_set_data (G_OBJECT (msg), preset_key, NULL);

  if (soup_server_message_get_uri (msg) != NULL)
    path = g_uri_get_path (soup_server_message_get_uri (msg));
  if (status >= 500)
    message = g_strdup (_("The server failed; the failure is logged."));
  else
    message = g_strdup_printf (_("The request was refused (HTTP %u: %s)."),
                               status, soup_status_get_phrase (status));
  body = cd_server_error_body (path, status, error_code_for_status (status), message, &content_type,
                               &len);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, len);
}

static void
on_got_headers (SoupServerMessage *msg,
                CdServer          *self)
{
  /* libsoup checked the request line and the headers: a handler answers
   * now, unless libsoup itself refused the request already. */
  if (soup_server_message_get_status (msg) == 0)
    {
      g_object_set_data (G_OBJECT (msg), preset_key, NULL);
      soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
    }
  else
    ensure_error_body (self, msg);
}

static void
on_got_body (SoupServerMessage *msg,
             CdServer          *self)
{
  /* Runs after the handlers and the WebSocket handshake. */
  if (soup_server_message_get_status (msg) != 0)
    ensure_error_body (self, msg);
  else
    cd_server_add_answer_headers (self, soup_server_message_get_response_headers (msg));
}

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CdServer          *self)
{
  gint64 *start = g_new (gint64, 1);
  const char *content_type = NULL;
  char *body;
  gsize len = 0;

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), start_key, start, g_free);
  cd_server_add_answer_headers (self, soup_server_message_get_response_headers (msg));

  /* A request line or headers libsoup cannot parse are answered (400, 501,
   * 505) without any signal in between: the answer is ready beforehand,
   * and taken back in on_got_headers() when the request is readable. */
  body = cd_server_error_body (NULL, SOUP_STATUS_BAD_REQUEST, "bad_request",
                               _("The request is not HTTP this server can read."), &content_type,
                               &len);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, len);
  g_object_set_data (G_OBJECT (msg), preset_key, GINT_TO_POINTER (TRUE));

  g_signal_connect_object (msg, "got-headers", G_CALLBACK (on_got_headers), self, 0);
  g_signal_connect_object (msg, "got-body", G_CALLBACK (on_got_body), self, G_CONNECT_AFTER);
}

static void
on_request_finished (SoupServer        *soup,
                     SoupServerMessage *msg,
                     CdServer          *self)
{
  cd_server_log_request (msg, soup_server_message_get_status (msg), NULL);
}

static void
on_request_aborted (SoupServer        *soup,
                    SoupServerMessage *msg,
                    CdServer          *self)
{
  /* A connection closed before its first byte is no request. */
  if (soup_server_message_get_method (msg) == NULL)
    return;
  cd_server_log_request (msg, soup_server_message_get_status (msg), "aborted");
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
  g_clear_pointer (&self->open311, cd_server_open311_free);
  g_clear_pointer (&self->replica, cd_server_replica_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  cd_server_limits_dispose (self);

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
  cd_server_config_copy_into (config, self->config);

  /* No version, ours or libsoup's (which a trailing space would add): it
   * tells an attacker which holes to try. /api/v1/version is for clients. */
  self->soup = soup_server_new ("server-header", "citydesk-server", NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (on_request_started), self, 0);
  g_signal_connect_object (self->soup, "request-read", G_CALLBACK (on_request_read), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (on_request_finished), self,
                           0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (on_request_aborted), self, 0);
  cd_server_limits_install (self);

  soup_server_add_handler (self->soup, "/api/v1/version", handle_version, self, NULL);
  cd_server_auth_install (self);
  cd_server_api_install (self);
  cd_server_notifications_install (self);
  cd_server_reference_install (self);
  cd_server_feedback_install (self);
  cd_server_qa_install (self);
  cd_server_recordings_install (self);
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

      cert = g_tls_certificate_new_from_files (self->config->tls_cert, self->config->tls_key,
                                               &local_error);
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
