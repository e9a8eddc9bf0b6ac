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
  self->header_timeout = CD_SERVER_DEFAULT_HEADER_TIMEOUT;
  self->body_timeout = CD_SERVER_DEFAULT_BODY_TIMEOUT;
  self->max_connections = CD_SERVER_DEFAULT_MAX_CONNECTIONS;
  self->max_connections_per_address = CD_SERVER_DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  self->db_busy_timeout = CD_SERVER_DEFAULT_DB_BUSY_TIMEOUT;
  self->open311_max_page_size = CD_SERVER_DEFAULT_OPEN311_MAX_PAGE_SIZE;
  self->open311_queue = CD_SERVER_DEFAULT_OPEN311_QUEUE;
  self->open311_list_rate = CD_SERVER_DEFAULT_OPEN311_LIST_RATE;
  self->open311_list_rate_per_address = CD_SERVER_DEFAULT_OPEN311_LIST_RATE_PER_ADDRESS;
  self->login_attempts = CD_SERVER_DEFAULT_LOGIN_ATTEMPTS;
  self->login_address_attempts = CD_SERVER_DEFAULT_LOGIN_ADDRESS_ATTEMPTS;
  self->login_lockout = CD_SERVER_DEFAULT_LOGIN_LOCKOUT;
  self->notify_timeout = CD_SERVER_DEFAULT_NOTIFY_TIMEOUT;
  self->notify_concurrency = CD_SERVER_DEFAULT_NOTIFY_CONCURRENCY;
  return self;
}

void
cd_server_config_free (CdServerConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->listen);
  g_free (self->db);
  g_free (self->read_db);
  g_free (self->tls_cert);
  g_free (self->tls_key);
  g_strfreev (self->allowed_origins);
  g_strfreev (self->trusted_proxies);
  g_free (self->queue_log);
  g_free (self->recordings);
  g_free (self->notify_command);
  g_free (self->notify_webhook);
  g_free (self->notify_file);
  g_strfreev (self->notify_backoff);
  g_free (self->notify_templates);
  g_free (self->notify_language);
  g_free (self);
}

/**
 * cd_server_config_copy_into:
 * @self: the configuration
 * @copy: a configuration from cd_server_config_new()
 *
 * Copies every setting of @self into @copy.
 */
void
cd_server_config_copy_into (const CdServerConfig *self,
                            CdServerConfig       *copy)
{
  g_free (copy->listen);
  g_free (copy->db);
  g_free (copy->read_db);
  g_free (copy->tls_cert);
  g_free (copy->tls_key);
  g_strfreev (copy->allowed_origins);
  g_strfreev (copy->trusted_proxies);
  g_free (copy->queue_log);
  g_free (copy->recordings);
  g_free (copy->notify_command);
  g_free (copy->notify_webhook);
  g_free (copy->notify_file);
  g_strfreev (copy->notify_backoff);
  g_free (copy->notify_templates);
  g_free (copy->notify_language);
  *copy = *self;
  copy->listen = g_strdup (self->listen);
  copy->db = g_strdup (self->db);
  copy->read_db = g_strdup (self->read_db);
  copy->tls_cert = g_strdup (self->tls_cert);
  copy->tls_key = g_strdup (self->tls_key);
  copy->allowed_origins = g_strdupv (self->allowed_origins);
  copy->trusted_proxies = g_strdupv (self->trusted_proxies);
  copy->queue_log = g_strdup (self->queue_log);
  copy->recordings = g_strdup (self->recordings);
  copy->notify_command = g_strdup (self->notify_command);
  copy->notify_webhook = g_strdup (self->notify_webhook);
  copy->notify_file = g_strdup (self->notify_file);
  copy->notify_backoff = g_strdupv (self->notify_backoff);
  copy->notify_templates = g_strdup (self->notify_templates);
  copy->notify_language = g_strdup (self->notify_language);
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
read_list (GKeyFile     *file,
           const char   *key,
           GStrv        *out,
           GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) value = g_key_file_get_string_list (file, "server", key, NULL, &local_error);

  if (value == NULL)
    {
      if (g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; value[i] != NULL; i++)
    g_strstrip (value[i]);
  g_strfreev (*out);
  *out = g_steal_pointer (&value);
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
    "listen", "db", "read-db", "tls-cert", "tls-key", "max-body", "token-lifetime",
    "header-timeout", "body-timeout", "max-connections", "max-connections-per-address",
    "db-busy-timeout", "open311-max-page-size", "open311-queue",
    "open311-list-rate", "open311-list-rate-per-address", "allowed-origins",
    "login-attempts", "login-address-attempts", "login-lockout", "trusted-proxies",
    "queue-log", "queue-wrapup", "recordings", "notify-command", "notify-webhook", "notify-file",
    "notify-timeout", "notify-concurrency", "notify-backoff", "notify-templates",
    "notify-language", NULL,
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
        g_autofree char *names = g_strjoinv (", ", (GStrv) known);

        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     _("%s: [server] has no setting “%s” (known: %s)."),
                     path, keys[i], names);
        return FALSE;
      }

  return read_string (file, "listen", &self->listen, error) &&
         read_string (file, "db", &self->db, error) &&
         read_string (file, "read-db", &self->read_db, error) &&
         read_string (file, "tls-cert", &self->tls_cert, error) &&
         read_string (file, "tls-key", &self->tls_key, error) &&
         read_int (file, path, "max-body", &self->max_body, error) &&
         read_int (file, path, "token-lifetime", &self->token_lifetime, error) &&
         read_int (file, path, "header-timeout", &self->header_timeout, error) &&
         read_int (file, path, "body-timeout", &self->body_timeout, error) &&
         read_int (file, path, "max-connections", &self->max_connections, error) &&
         read_int (file, path, "max-connections-per-address", &self->max_connections_per_address,
                   error) &&
         read_int (file, path, "db-busy-timeout", &self->db_busy_timeout, error) &&
         read_int (file, path, "open311-max-page-size", &self->open311_max_page_size, error) &&
         read_int (file, path, "open311-queue", &self->open311_queue, error) &&
         read_int (file, path, "open311-list-rate", &self->open311_list_rate, error) &&
         read_int (file, path, "open311-list-rate-per-address",
                   &self->open311_list_rate_per_address, error) &&
         read_list (file, "allowed-origins", &self->allowed_origins, error) &&
         read_int (file, path, "login-attempts", &self->login_attempts, error) &&
         read_int (file, path, "login-address-attempts", &self->login_address_attempts, error) &&
         read_int (file, path, "login-lockout", &self->login_lockout, error) &&
         read_list (file, "trusted-proxies", &self->trusted_proxies, error) &&
         read_string (file, "queue-log", &self->queue_log, error) &&
         read_string (file, "recordings", &self->recordings, error) &&
         read_int (file, path, "queue-wrapup", &self->queue_wrapup, error) &&
         read_string (file, "notify-command", &self->notify_command, error) &&
         read_string (file, "notify-webhook", &self->notify_webhook, error) &&
         read_string (file, "notify-file", &self->notify_file, error) &&
         read_int (file, path, "notify-timeout", &self->notify_timeout, error) &&
         read_int (file, path, "notify-concurrency", &self->notify_concurrency, error) &&
         read_list (file, "notify-backoff", &self->notify_backoff, error) &&
         read_string (file, "notify-templates", &self->notify_templates, error) &&
         read_string (file, "notify-language", &self->notify_language, error);
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
  if (self->max_body <= 0 || self->token_lifetime <= 0 ||
      self->header_timeout <= 0 || self->body_timeout <= 0 ||
      self->max_connections <= 0 || self->max_connections_per_address <= 0 ||
      self->db_busy_timeout <= 0 || self->open311_max_page_size <= 0 ||
      self->open311_queue <= 0 || self->open311_list_rate <= 0 ||
      self->open311_list_rate_per_address <= 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Sizes, limits and timeouts must be positive."));
      return FALSE;
    }
  if (self->login_attempts <= 0 || self->login_attempts > 1000 ||
      self->login_address_attempts <= 0 || self->login_address_attempts > 100000 ||
      self->login_lockout <= 0 || self->login_lockout > 900)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("login-attempts must be 1 to 1000, login-address-attempts 1 to 100000 and "
                      "login-lockout 1 to 900 seconds."));
      return FALSE;
    }
  for (guint i = 0; self->trusted_proxies != NULL && self->trusted_proxies[i] != NULL; i++)
    if (!g_hostname_is_ip_address (self->trusted_proxies[i]))
      {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     _("trusted-proxies lists IP addresses; “%s” is not one."),
                     self->trusted_proxies[i]);
        return FALSE;
      }
  if (self->queue_wrapup < 0 || self->queue_wrapup > 3600)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("queue-wrapup must be 0 to 3600 seconds."));
      return FALSE;
    }
  if ((self->notify_command != NULL) + (self->notify_webhook != NULL) +
      (self->notify_file != NULL) > 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Give one of notify-command, notify-webhook and notify-file."));
      return FALSE;
    }
  if (self->notify_timeout <= 0 || self->notify_timeout > 3600 ||
      self->notify_concurrency <= 0 || self->notify_concurrency > 64)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("notify-timeout must be 1 to 3600 seconds and notify-concurrency "
                             "1 to 64."));
      return FALSE;
    }
  if (self->notify_backoff != NULL && g_strv_length (self->notify_backoff) > 16)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("notify-backoff lists at most 16 waits."));
      return FALSE;
    }
  for (guint i = 0; self->notify_backoff != NULL && self->notify_backoff[i] != NULL; i++)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (self->notify_backoff[i], 10, 1, 7 * 86400, &value,
                                       NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("notify-backoff lists seconds from 1 to 604800; “%s” is not one."),
                       self->notify_backoff[i]);
          return FALSE;
        }
    }
  return TRUE;
}
