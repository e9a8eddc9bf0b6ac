// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-client.c: the HTTP client of citydesk-server's API v1
 *
 * Every call is one libsoup request whose answer is read whole and mapped
 * to a CdClientError by its status and the API's error object, so callers
 * only ever tell failures apart by code: transient ones (unreachable,
 * server error) are retried, the others are shown.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cd-client.h"
#include "cd-server-url.h"

#define API "/api/v1"

struct _CdClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *server_url;
  char        *token;
  char        *user;
  char        *role;
  /* The highest journal sequence the server has shown this client: sent
   * back on thin reads (X-Citydesk-Min-Seq), so that a read replica
   * behind it never answers from before it (docs/api.md). */
  gint64       seen_seq;
};

G_DEFINE_FINAL_TYPE (CdClient, cd_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (cd-client-error-quark, cd_client_error)

typedef enum
{
  DECODE_NONE,
  DECODE_JSON,
  DECODE_EVENTS,
} Decode;

typedef struct
{
  SoupMessage *msg;
  Decode       decode;
  GBytes      *body;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->msg);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

void
cd_event_page_free (CdEventPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->events, g_ptr_array_unref);
  g_free (page);
}

static void
cd_client_finalize (GObject *object)
{
  CdClient *self = CD_CLIENT (object);

  g_clear_object (&self->session);
  g_free (self->server_url);
  g_free (self->token);
  g_free (self->user);
  g_free (self->role);

  G_OBJECT_CLASS (cd_client_parent_class)->finalize (object);
}

static void
cd_client_class_init (CdClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_client_finalize;
}

static void
cd_client_init (CdClient *self)
{
  /* A read that stalls longer than this is a dead connection, not a slow
   * page: the largest page is a few megabytes. */
  self->session = soup_session_new_with_options ("timeout", 60,
                                                 "user-agent", "citydesk/" PACKAGE_VERSION " ",
                                                 NULL);
}

static gboolean
is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * cd_client_new:
 * @server_url: the server's address, such as `https://desk.example.org`
 * @error: a #CD_SERVER_URL_ERROR when @server_url is not an address
 *
 * Returns: (transfer full): a client without a token, or %NULL
 */
CdClient *
cd_client_new (const char  *server_url,
               GError     **error)
{
  g_autofree char *normalized = cd_server_url_normalize (server_url, error);
  CdClient *self;

  if (normalized == NULL)
    return NULL;
  self = g_object_new (CD_TYPE_CLIENT, NULL);
  self->server_url = g_steal_pointer (&normalized);
  if (is_loopback (self->server_url))
    {
      /* A server on this machine (the demo's) would compress the feed's
       * pages with the CPU this client decodes and imports them with, to
       * save nothing: ask for them plain. */
      soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
    }
  return self;
}

const char *
cd_client_get_server_url (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->server_url;
}

const char *
cd_client_get_token (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->token;
}

/**
 * cd_client_set_token:
 * @self: a client
 * @token: (nullable): a token from an earlier login (kept in the keyring)
 */
void
cd_client_set_token (CdClient   *self,
                     const char *token)
{
  g_return_if_fail (CD_IS_CLIENT (self));
  g_free (self->token);
  self->token = g_strdup (token);
}

const char *
cd_client_get_user (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->user;
}

const char *
cd_client_get_role (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->role;
}

/**
 * cd_client_note_seq:
 * @self: a client
 * @seq: a journal sequence the caller has seen: its sync cursor, an event
 *   from the stream
 *
 * Thin reads ask the server for an answer at least this recent. The
 * client notes by itself the head each read answered at and the events of
 * each write's answer.
 */
void
cd_client_note_seq (CdClient *self,
                    gint64    seq)
{
  g_return_if_fail (CD_IS_CLIENT (self));

  self->seen_seq = MAX (self->seen_seq, seq);
}

gint64
cd_client_get_seen_seq (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), 0);

  return self->seen_seq;
}

SoupSession *
cd_client_get_session (CdClient *self)
{
  g_return_val_if_fail (CD_IS_CLIENT (self), NULL);
  return self->session;
}

/**
 * cd_client_error_is_transient:
 * @error: (nullable): an error from a call
 *
 * Returns: whether retrying the same request later may succeed: the server
 *   was unreachable or failed, as opposed to refusing the request
 */
gboolean
cd_client_error_is_transient (const GError *error)
{
  return error != NULL &&
         (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE) ||
          g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_SERVER));
}

/* Errors {{{1 */

static void
set_transport_error (GError       **error,
                     const GError  *cause,
                     const char    *server_url)
{
  if (cause->domain == G_TLS_ERROR)
    g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_TLS,
                 _("The certificate of %s is not trusted: %s"), server_url, cause->message);
  else
    g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE,
                 _("Cannot reach %s: %s"), server_url, cause->message);
}

static void
set_status_error (GError      **error,
                  SoupMessage  *msg,
                  GBytes       *body)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *code = NULL;
  const char *message = NULL;
  const char *field = NULL;
  CdClientError error_code;

  if (body != NULL &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonObject *object = json_object_has_member (root, "error") ?
                           json_object_get_object_member (root, "error") : NULL;

      if (object != NULL)
        {
          code = json_object_get_string_member_with_default (object, "code", NULL);
          message = json_object_get_string_member_with_default (object, "message", NULL);
          field = json_object_get_string_member_with_default (object, "field", NULL);
        }
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    error_code = CD_CLIENT_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_FORBIDDEN)
    error_code = CD_CLIENT_ERROR_FORBIDDEN;
  else if (status == SOUP_STATUS_NOT_FOUND)
    error_code = CD_CLIENT_ERROR_NOT_FOUND;
  else if (status == SOUP_STATUS_CONFLICT)
    error_code = g_strcmp0 (code, "conflict") == 0 ? CD_CLIENT_ERROR_CONFLICT
                                                   : CD_CLIENT_ERROR_REFUSED;
  else if (status >= 400 && status < 500)
    error_code = CD_CLIENT_ERROR_BAD_REQUEST;
  else if (status >= 500)
    error_code = CD_CLIENT_ERROR_SERVER;
  else
    error_code = CD_CLIENT_ERROR_PROTOCOL;

  if (message != NULL && field != NULL && strstr (message, field) == NULL)
    g_set_error (error, CD_CLIENT_ERROR, error_code, "%s (%s)", message, field);
  else if (message != NULL)
    g_set_error_literal (error, CD_CLIENT_ERROR, error_code, message);
  else
    g_set_error (error, CD_CLIENT_ERROR, error_code, _("The server answered %u %s"),
                 status, soup_message_get_reason_phrase (msg));
}

/* Requests {{{1 */

static JsonNode *
parse_json (GBytes  *body,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   &local_error))
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                   _("The server’s answer is not JSON: %s"), local_error->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
not_json (const GError  *reader_error,
          GError       **error)
{
  g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
               _("The server’s answer is not JSON: %s"), reader_error->message);
  return FALSE;
}

/* Says which event could not be read: by the sequence number of the one
 * before it when there is one, since its own could not be read. */
static void
set_bad_event (GError      **bad_event,
               CdEventPage  *page,
               guint         i,
               const char   *why)
{
  if (page->events->len > 0)
    g_set_error (bad_event, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                 _("The event after event %" PRId64 " (number %u of the feed’s page) "
                    "cannot be read: %s"),
                 ((CdEvent *) g_ptr_array_index (page->events, page->events->len - 1))->seq, i,
                 why);
  else
    g_set_error (bad_event, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                 _("Event %u of the feed’s page is not an event: %s"), i, why);
}

/* Reads the "events" array into @page. An element that is not an event
 * does not stop the reading: the whole answer must still be JSON, and a
 * page without "last" or "head" is reported before a bad event, as when
 * the page was parsed whole first. */
static gboolean
read_page_events (CdJsonReader  *reader,
                  CdEventPage   *page,
                  GError       **bad_event,
                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean has_element;

  if (!cd_json_reader_begin_array (reader, &local_error))
    return not_json (local_error, error);

  for (guint i = 0; ; i++)
    {
      CdJsonKind kind;
      CdEvent *event;

      if (!cd_json_reader_next_element (reader, &has_element, &local_error))
        return not_json (local_error, error);
      if (!has_element)
        return TRUE;
      if ((kind = cd_json_reader_peek (reader, &local_error)) == CD_JSON_KIND_NONE)
        return not_json (local_error, error);

      if (*bad_event != NULL || kind != CD_JSON_KIND_OBJECT)
        {
          if (!cd_json_reader_skip (reader, &local_error))
            return not_json (local_error, error);
          if (*bad_event == NULL)
            set_bad_event (bad_event, page, i, _("not an object"));
          continue;
        }

      if ((event = cd_event_read_json (reader, &local_error)) == NULL)
        {
          if (local_error->domain == CD_JSON_ERROR)
            return not_json (local_error, error);
          set_bad_event (bad_event, page, i, local_error->message);
          g_clear_error (&local_error);
          continue;
        }
      g_ptr_array_add (page->events, event);
    }
}

/**
 * cd_event_page_new_from_bytes:
 * @body: the body of an answer of `GET /api/v1/events`
 * @error: a %CD_CLIENT_ERROR_PROTOCOL when it is not a page of the feed
 *
 * Decodes a page of the feed. A page is ten thousand events: it is read in
 * one pass straight into CdEvents, with no tree of JSON nodes in between.
 *
 * Returns: (transfer full): the page, or %NULL with @error set
 */
CdEventPage *
cd_event_page_new_from_bytes (GBytes  *body,
                              GError **error)
{
  g_auto(CdJsonReader) reader = { 0 };
  g_autoptr(CdEventPage) page = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) bad_event = NULL;
  gboolean has_events = FALSE, has_last = FALSE, has_head = FALSE;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  CdJsonKind kind;

  page = g_new0 (CdEventPage, 1);
  page->events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  page->bytes = size;

  cd_json_reader_init (&reader, data, size);
  if ((kind = cd_json_reader_peek (&reader, &local_error)) == CD_JSON_KIND_NONE)
    {
      not_json (local_error, error);
      return NULL;
    }

  if (kind != CD_JSON_KIND_OBJECT)
    {
      if (!cd_json_reader_skip (&reader, &local_error))
        {
          not_json (local_error, error);
          return NULL;
        }
    }
  else
    {
      if (!cd_json_reader_begin_object (&reader, &local_error))
        {
          not_json (local_error, error);
          return NULL;
        }
      for (;;)
        {
          const char *name;

          if (!cd_json_reader_next_member (&reader, &name, &local_error))
            {
              not_json (local_error, error);
              return NULL;
            }
          if (name == NULL)
            break;
          if ((kind = cd_json_reader_peek (&reader, &local_error)) == CD_JSON_KIND_NONE)
            {
              not_json (local_error, error);
              return NULL;
            }

          /* As in a json-glib object, the last of a name counts. */
          if (g_str_equal (name, "events") && kind == CD_JSON_KIND_ARRAY)
            {
              g_ptr_array_set_size (page->events, 0);
              g_clear_error (&bad_event);
              if (!read_page_events (&reader, page, &bad_event, error))
                return NULL;
              has_events = TRUE;
              continue;
            }
          if (g_str_equal (name, "last") && kind == CD_JSON_KIND_INT)
            has_last = cd_json_reader_read_int (&reader, &page->last, &local_error);
          else if (g_str_equal (name, "head") && kind == CD_JSON_KIND_INT)
            has_head = cd_json_reader_read_int (&reader, &page->head, &local_error);
          else if (g_str_equal (name, "more") && kind == CD_JSON_KIND_BOOLEAN)
            cd_json_reader_read_boolean (&reader, &page->more, &local_error);
          else if (g_str_equal (name, "filtered") && kind == CD_JSON_KIND_BOOLEAN)
            cd_json_reader_read_boolean (&reader, &page->filtered, &local_error);
          else
            {
              if (g_str_equal (name, "events"))
                has_events = FALSE;
              else if (g_str_equal (name, "last"))
                has_last = FALSE;
              else if (g_str_equal (name, "head"))
                has_head = FALSE;
              else if (g_str_equal (name, "more"))
                page->more = FALSE;
              else if (g_str_equal (name, "filtered"))
                page->filtered = FALSE;
              cd_json_reader_skip (&reader, &local_error);
            }
          if (local_error != NULL)
            {
              not_json (local_error, error);
              return NULL;
            }
        }
    }
  if (!cd_json_reader_end (&reader, &local_error))
    {
      not_json (local_error, error);
      return NULL;
    }

  if (!has_events || !has_last || !has_head)
    {
      g_set_error_literal (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                           _("The event feed’s answer has no “events”, “last” or “head”."));
      return NULL;
    }
  if (bad_event != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&bad_event));
      return NULL;
    }
  return g_steal_pointer (&page);
}

static void
decode_events_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Request *request = task_data;
  GError *error = NULL;
  CdEventPage *page = cd_event_page_new_from_bytes (request->body, &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) cd_event_page_free);
}

/* The head a read was answered at (X-Citydesk-Head): ignored unless it
 * is a plain number. */
static void
note_head (CdClient    *self,
           SoupMessage *msg)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "X-Citydesk-Head");
  guint64 head;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &head, NULL))
    cd_client_note_seq (self, (gint64) head);
}

/* A write's answer holds the events it appended. */
static void
note_events (CdClient *self,
             JsonNode *node)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *events = root != NULL ? json_object_get_member (root, "events") : NULL;
  JsonArray *array;

  if (events == NULL || !JSON_NODE_HOLDS_ARRAY (events))
    return;
  array = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *seq;

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          (seq = json_object_get_member (json_node_get_object (element), "seq")) != NULL &&
          json_node_get_value_type (seq) == G_TYPE_INT64)
        cd_client_note_seq (self, json_node_get_int (seq));
    }
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &error);
  guint status;

  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        {
          GError *mapped = NULL;

          set_transport_error (&mapped, error, self->server_url);
          g_task_return_error (task, mapped);
        }
      return;
    }

  status = soup_message_get_status (request->msg);
  note_head (self, request->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      GError *mapped = NULL;

      set_status_error (&mapped, request->msg, body);
      g_task_return_error (task, mapped);
      return;
    }

  switch (request->decode)
    {
    case DECODE_NONE:
      g_task_return_boolean (task, TRUE);
      break;

    case DECODE_JSON:
      {
        GError *parse_error = NULL;
        JsonNode *node = parse_json (body, &parse_error);

        if (node == NULL)
          g_task_return_error (task, parse_error);
        else
          {
            note_events (self, node);
            g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
          }
      }
      break;

    case DECODE_EVENTS:
      /* A page of ten thousand events is megabytes of JSON: parse it off
       * the main loop. */
      request->body = g_steal_pointer (&body);
      g_task_run_in_thread (task, decode_events_thread);
      break;

    default:
      g_assert_not_reached ();
    }
}

static SoupMessage *
new_message (CdClient   *self,
             const char *method,
             const char *path)
{
  g_autofree char *url = g_strconcat (self->server_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  if (msg != NULL && self->token != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
    }
  return msg;
}

static void
send_request (CdClient            *self,
              const char          *method,
              const char          *path,
              const char          *idempotency_key,
              const char          *body,
              Decode               decode,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request->decode = decode;
  request->msg = new_message (self, method, path);
  if (request->msg == NULL)
    {
      g_task_return_new_error (task, CD_CLIENT_ERROR, CD_CLIENT_ERROR_BAD_REQUEST,
                               _("“%s” is not a valid request path."), path);
      return;
    }

  if (idempotency_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                  "Idempotency-Key", idempotency_key);
  /* The feed says it by its cursor. */
  if (g_str_equal (method, SOUP_METHOD_GET) && self->seen_seq > 0 &&
      !g_str_has_prefix (path, API "/events"))
    {
      char seen[24];

      g_snprintf (seen, sizeof seen, "%" G_GINT64_FORMAT, self->seen_seq);
      soup_message_headers_replace (soup_message_get_request_headers (request->msg),
                                    "X-Citydesk-Min-Seq", seen);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (request->msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, request->msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_sent, g_steal_pointer (&task));
}

/* Login {{{1 */

/**
 * cd_client_login_async:
 * @self: a client
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the server answered
 * @user_data: data for @callback
 *
 * Logs in and keeps the token for the following calls.
 */
void
cd_client_login_async (CdClient            *self,
                       const char          *user,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (user != NULL && password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  /* A login is not a write of the city's data: it needs no idempotency
   * key, and a stale token must not go with it. */
  g_clear_pointer (&self->token, g_free);
  send_request (self, SOUP_METHOD_POST, API "/login", NULL, body, DECODE_JSON,
                cd_client_login_async, cancellable, callback, user_data);
}

/**
 * cd_client_login_finish:
 * @self: a client
 * @result: the result
 * @error: %CD_CLIENT_ERROR_UNAUTHORIZED for a wrong user or password
 *
 * Returns: whether @self now holds a token
 */
gboolean
cd_client_login_finish (CdClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  const char *token;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if ((node = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return FALSE;
  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  token = object != NULL ? json_object_get_string_member_with_default (object, "token", NULL)
                         : NULL;
  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                           _("The server’s login answer has no token."));
      return FALSE;
    }

  cd_client_set_token (self, token);
  g_free (self->user);
  self->user = g_strdup (json_object_get_string_member_with_default (object, "user", NULL));
  g_free (self->role);
  self->role = g_strdup (json_object_get_string_member_with_default (object, "role", NULL));
  return TRUE;
}

void
cd_client_logout_async (CdClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CD_IS_CLIENT (self));

  send_request (self, SOUP_METHOD_POST, API "/logout", NULL, NULL, DECODE_NONE,
                cd_client_logout_async, cancellable, callback, user_data);
}

/**
 * cd_client_logout_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * The token is forgotten whether or not the server could be told.
 *
 * Returns: whether the server revoked the token
 */
gboolean
cd_client_logout_finish (CdClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  g_clear_pointer (&self->token, g_free);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reads {{{1 */

/**
 * cd_client_get_async:
 * @self: a logged-in client
 * @path: a path under the server's address with its query, such as
 *   `/api/v1/tickets?state=assigned`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * A thin read: any GET of the API that answers JSON.
 */
void
cd_client_get_async (CdClient            *self,
                     const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (path != NULL && *path == '/');

  send_request (self, SOUP_METHOD_GET, path, NULL, NULL, DECODE_JSON,
                cd_client_get_async, cancellable, callback, user_data);
}

/**
 * cd_client_get_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the answer's JSON, or %NULL
 */
JsonNode *
cd_client_get_finish (CdClient      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cd_client_fetch_events_async:
 * @self: a logged-in client
 * @after: the last sequence the caller has
 * @limit: the page size (the server caps it at 10000); 0 for its default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the page
 * @user_data: data for @callback
 *
 * Fetches one page of the event feed; the page is decoded on a worker
 * thread.
 */
void
cd_client_fetch_events_async (CdClient            *self,
                              gint64               after,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (after >= 0);

  if (limit > 0)
    path = g_strdup_printf (API "/events?after=%" G_GINT64_FORMAT "&limit=%u", after, limit);
  else
    path = g_strdup_printf (API "/events?after=%" G_GINT64_FORMAT, after);
  send_request (self, SOUP_METHOD_GET, path, NULL, NULL, DECODE_EVENTS,
                cd_client_fetch_events_async, cancellable, callback, user_data);
}

/**
 * cd_client_fetch_events_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the page, or %NULL
 */
CdEventPage *
cd_client_fetch_events_finish (CdClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Writes {{{1 */

/**
 * cd_client_action_path:
 * @ticket: a ticket's id or number
 *
 * Returns: (transfer full): the path to post @ticket's actions to
 */
char *
cd_client_action_path (const char *ticket)
{
  g_autofree char *escaped = g_uri_escape_string (ticket, NULL, FALSE);

  return g_strdup_printf (API "/tickets/%s/actions", escaped);
}

/**
 * cd_client_post_async:
 * @self: a logged-in client
 * @path: `/api/v1/tickets` to register, or a cd_client_action_path()
 * @idempotency_key: the write's key; a retry must send the same
 * @body: the JSON body
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * A write: the server acts at most once per @idempotency_key and answers a
 * retry with its first answer.
 */
void
cd_client_post_async (CdClient            *self,
                      const char          *path,
                      const char          *idempotency_key,
                      const char          *body,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_return_if_fail (CD_IS_CLIENT (self));
  g_return_if_fail (path != NULL && *path == '/');
  g_return_if_fail (idempotency_key != NULL);
  g_return_if_fail (body != NULL);

  send_request (self, SOUP_METHOD_POST, path, idempotency_key, body, DECODE_JSON,
                cd_client_post_async, cancellable, callback, user_data);
}

/**
 * cd_client_post_finish:
 * @self: a client
 * @result: the result
 * @error: %CD_CLIENT_ERROR_REFUSED with the dispatch rule's message when
 *   the transition was refused
 *
 * Returns: (transfer full): the answer, `{"ticket":…,"events":[…]}`
 */
JsonObject *
cd_client_post_finish (CdClient      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if ((node = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                           _("The server’s answer to a write is not an object."));
      return NULL;
    }
  return json_node_dup_object (node);
}

/* The stream {{{1 */

static void
on_stream_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (conn != NULL)
    {
      g_task_return_pointer (task, conn, g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (soup_message_get_status (request->msg) >= 400)
    {
      GError *mapped = NULL;

      set_status_error (&mapped, request->msg, NULL);
      g_task_return_error (task, mapped);
    }
  else
    {
      GError *mapped = NULL;

      set_transport_error (&mapped, error, self->server_url);
      g_task_return_error (task, mapped);
    }
}

/**
 * cd_client_connect_stream_async:
 * @self: a logged-in client
 * @after: the last sequence the caller has
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the connection
 * @user_data: data for @callback
 *
 * Opens `/api/v1/stream`, the WebSocket that sends the events after @after
 * and then each new one.
 */
void
cd_client_connect_stream_async (CdClient            *self,
                                gint64               after,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = g_strdup_printf (API "/stream?after=%" G_GINT64_FORMAT, after);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, cd_client_connect_stream_async);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request->msg = new_message (self, SOUP_METHOD_GET, path);
  soup_session_websocket_connect_async (self->session, request->msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, on_stream_connected, g_steal_pointer (&task));
}

/**
 * cd_client_connect_stream_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the open WebSocket, or %NULL
 */
SoupWebsocketConnection *
cd_client_connect_stream_finish (CdClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
