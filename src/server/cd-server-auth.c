// SPDX-License-Identifier: GPL-3.0-or-later
//
// Login, logout and the bearer token every other route needs.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-server-private.h"

/* The longest token we look up; real ones are 43 characters. */
#define MAX_TOKEN_LEN 256

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static const char *
member_string (JsonObject  *object,
               const char  *member,
               const char **bad_field)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *bad_field = member;
      return NULL;
    }
  return json_node_get_string (node);
}

static void
handle_login (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_text = NULL;
  const char *bad_field = NULL;
  const char *name, *password;
  JsonObjectIter iter;
  const char *member;
  gint64 expires = 0;

  if (!cd_server_check_method (msg, SOUP_METHOD_POST) ||
      (body = cd_server_read_object (self, msg, NULL)) == NULL)
    return;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_str_equal (member, "user") && !g_str_equal (member, "password"))
      {
        g_autofree char *message = g_strdup_printf (_("Unknown field “%s”: login takes user and password."), member);

        cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, member);
        return;
      }

  name = member_string (body, "user", &bad_field);
  password = name != NULL ? member_string (body, "password", &bad_field) : NULL;
  if (name == NULL || password == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a string."), bad_field);

      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, bad_field);
      return;
    }

  user = cd_store_check_password (self->store, name, password, &error);
  if (user == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  token = cd_store_create_session (self->store, user->name, g_get_real_time () / G_USEC_PER_SEC,
                                   self->config->token_lifetime, &expires, &error);
  if (token == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }

  expires_text = format_time (expires);
  answer = json_object_new ();
  json_object_set_string_member (answer, "token", token);
  json_object_set_string_member (answer, "role", user->role);
  json_object_set_string_member (answer, "user", user->name);
  if (user->org != NULL)
    json_object_set_string_member (answer, "org", user->org);
  json_object_set_string_member (answer, "expires", expires_text);
  cd_server_send_object (msg, SOUP_STATUS_OK, answer);
}

static const char *
bearer_token (SoupServerMessage *msg,
              GHashTable        *query)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header != NULL)
    {
      if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
        return NULL;
      header += 7;
      while (*header == ' ')
        header++;
      return header;
    }
  /* Browsers cannot set headers on a WebSocket: the stream takes ?token=. */
  if (query != NULL && g_str_equal (cd_server_path (msg), "/api/v1/stream"))
    return g_hash_table_lookup (query, "token");
  return NULL;
}

/**
 * cd_server_authenticate:
 * @self: the server
 * @msg: a request
 * @query: (nullable): its query
 *
 * Returns: (transfer full): the user the bearer token belongs to, or
 *   %NULL after answering 401
 */
CdUser *
cd_server_authenticate (CdServer          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  const char *token = bearer_token (msg, query);
  CdUser *user;

  if (token == NULL || *token == '\0' || strlen (token) > MAX_TOKEN_LEN)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      cd_server_send_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                            _("This needs “Authorization: Bearer TOKEN”: log in with POST /api/v1/login."), NULL);
      return NULL;
    }
  user = cd_store_check_token (self->store, token, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (user == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      cd_server_send_gerror (msg, error);
    }
  return user;
}

static void
handle_logout (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (!cd_server_check_method (msg, SOUP_METHOD_POST) ||
      (user = cd_server_authenticate (self, msg, NULL)) == NULL)
    return;

  if (!cd_store_revoke_token (self->store, bearer_token (msg, NULL),
                              g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
cd_server_auth_install (CdServer *self)
{
  soup_server_add_handler (self->soup, "/api/v1/login", handle_login, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/logout", handle_logout, self, NULL);
}
