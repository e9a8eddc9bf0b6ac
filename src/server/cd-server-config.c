// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-config.c: the [server] group of the configuration file
 *
 * The file gives the defaults of a deployment; flags given on the command
 * line override it (cd-server-main.c applies them after loading).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cd-server-config.h"

CdServerConfig *
cd_server_config_new (void)
{
  CdServerConfig *self = g_new0 (CdServerConfig, 1);

  self->max_body = CD_SERVER_DEFAULT_MAX_BODY;
  self->token_lifetime = CD_SERVER_DEFAULT_TOKEN_LIFETIME;
  self->login_attempts = CD_SERVER_DEFAULT_LOGIN_ATTEMPTS;
  self->login_address_attempts = CD_SERVER_DEFAULT_LOGIN_ADDRESS_ATTEMPTS;
  self->login_lockout = CD_SERVER_DEFAULT_LOGIN_LOCKOUT;
  return self;
}

void
cd_server_config_free (CdServerConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->listen);
  g_free (self->db);
  g_free (self->tls_cert);
  g_free (self->tls_key);
  g_free (self);
}

static gboolean
read_string (GKeyFile    *file,
             const char  *key,
             char       **out,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *value = g_key_file_get_string (file, "server", key, &local_error);

  if (value == NULL)
    {
      if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_free (*out);
  *out = value;
  return TRUE;
}

static gboolean
read_int (GKeyFile    *file,
          const char  *path,
          const char  *key,
          gint64      *out,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 value;

  if (!g_key_file_has_key (file, "server", key, NULL))
    return TRUE;
  value = g_key_file_get_int64 (file, "server", key, &local_error);
  if (local_error != NULL || value <= 0)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s: [server] %s must be a positive whole number."), path, key);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/**
 * cd_server_config_load_file:
 * @self: the configuration
 * @path: a key file with a [server] group
 * @error: a #G_KEY_FILE_ERROR or #G_FILE_ERROR naming the problem
 *
 * Returns: whether the file was read; unknown keys are an error, so that a
 *   typo does not silently fall back to a default
 */
gboolean
cd_server_config_load_file (CdServerConfig  *self,
                            const char      *path,
                            GError         **error)
{
  static const char * const known[] = {
    "listen", "db", "tls-cert", "tls-key", "max-body", "token-lifetime",
    "login-attempts", "login-address-attempts", "login-lockout",
  };
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) keys = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _("Cannot read the configuration “%s”: "), path);
      return FALSE;
    }
  if (!g_key_file_has_group (file, "server"))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
                   _("%s has no [server] group."), path);
      return FALSE;
    }

  keys = g_key_file_get_keys (file, "server", NULL, error);
  if (keys == NULL)
    return FALSE;
  for (guint i = 0; keys[i] != NULL; i++)
    if (!g_strv_contains (known, keys[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     _("%s: [server] has no setting “%s” (known: listen, db, tls-cert, tls-key, max-body, token-lifetime, login-attempts, login-address-attempts, login-lockout)."),
                     path, keys[i]);
        return FALSE;
      }

  return read_string (file, "listen", &self->listen, error) &&
         read_string (file, "db", &self->db, error) &&
         read_string (file, "tls-cert", &self->tls_cert, error) &&
         read_string (file, "tls-key", &self->tls_key, error) &&
         read_int (file, path, "max-body", &self->max_body, error) &&
         read_int (file, path, "token-lifetime", &self->token_lifetime, error) &&
         read_int (file, path, "login-attempts", &self->login_attempts, error) &&
         read_int (file, path, "login-address-attempts", &self->login_address_attempts, error) &&
         read_int (file, path, "login-lockout", &self->login_lockout, error);
}

/**
 * cd_server_config_check:
 * @self: the configuration after the file and the flags
 * @error: a #G_OPTION_ERROR naming what is missing
 *
 * Fills in the defaults and checks that the settings go together.
 *
 * Returns: whether the server can start with them
 */
gboolean
cd_server_config_check (CdServerConfig  *self,
                        GError         **error)
{
  if (self->listen == NULL)
    self->listen = g_strdup (CD_SERVER_DEFAULT_LISTEN);
  if ((self->tls_cert == NULL) != (self->tls_key == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("HTTPS needs both --tls-cert and --tls-key."));
      return FALSE;
    }
  if (self->max_body <= 0 || self->token_lifetime <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("max-body and token-lifetime must be positive."));
      return FALSE;
    }
  if (self->login_attempts <= 0 || self->login_attempts > 1000 ||
      self->login_address_attempts <= 0 || self->login_address_attempts > 100000 ||
      self->login_lockout <= 0 || self->login_lockout > 900)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("login-attempts must be 1 to 1000, login-address-attempts 1 to 100000 and login-lockout 1 to 900 seconds."));
      return FALSE;
    }
  return TRUE;
}
