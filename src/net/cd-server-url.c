// SPDX-License-Identifier: GPL-3.0-or-later
//
// What a person types as a server address, made into the base URL every
// request is built on, or refused with a reason they can act on.

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-server-url.h"

G_DEFINE_QUARK (cd-server-url-error-quark, cd_server_url_error)

/* GUri keeps whatever sits between "//" and ":" as the host, spaces
 * included; a name must be one DNS could resolve. */
static gboolean
is_valid_host (const char *host)
{
  g_autofree char *ascii = NULL;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || *ascii == '\0' || *ascii == '.' || *ascii == '-')
    return FALSE;

  for (const char *p = ascii; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return FALSE;

  return TRUE;
}

/**
 * cd_server_url_normalize:
 * @text: an address as typed: "citydesk.example.org", "http://10.0.0.5:8080/",
 *   "https://example.org/citydesk"
 * @error: return location for a #CD_SERVER_URL_ERROR
 *
 * Without a scheme, HTTPS is assumed: residents' personal data must not
 * cross a network in clear unless someone asked for it. The result has a
 * lower-case scheme and host, no trailing slash, and no user, query or
 * fragment (credentials go through the login, not the address).
 *
 * Returns: (transfer full): the base URL, or %NULL with @error set
 */
char *
cd_server_url_normalize (const char  *text,
                         GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  int port;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CD_SERVER_URL_ERROR, CD_SERVER_URL_ERROR_EMPTY,
                           _("Enter the server’s address"));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, CD_SERVER_URL_ERROR, CD_SERVER_URL_ERROR_INVALID,
                   _("“%s” is not a server address"), trimmed);
      return NULL;
    }

  if (!is_valid_host (g_uri_get_host (uri)))
    {
      g_set_error (error, CD_SERVER_URL_ERROR, CD_SERVER_URL_ERROR_INVALID,
                   _("“%s” is not a server address"), trimmed);
      return NULL;
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  if (!g_str_equal (scheme, "https") && !g_str_equal (scheme, "http"))
    {
      g_set_error (error, CD_SERVER_URL_ERROR, CD_SERVER_URL_ERROR_UNSUPPORTED_SCHEME,
                   _("“%s” is not supported: use an https:// or http:// address"),
                   g_uri_get_scheme (uri));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL ||
      g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, CD_SERVER_URL_ERROR, CD_SERVER_URL_ERROR_EXTRA_PARTS,
                           _("Leave out any user name, “?…” or “#…” from the server’s address"));
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  port = g_uri_get_port (uri);

  g_clear_pointer (&uri, g_uri_unref);
  uri = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, port, path, NULL, NULL);
  return g_uri_to_string (uri);
}
