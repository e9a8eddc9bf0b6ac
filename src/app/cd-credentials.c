// SPDX-License-Identifier: GPL-3.0-or-later
//
// Where the bearer token lives between runs: the Secret Service (GNOME
// Keyring, KWallet) through libsecret, never GSettings or a file. A bare
// session has no Secret Service; then the login is kept in memory for this
// run only and the "persistent" property turns FALSE so the window can say
// so once.

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cd-credentials.h"

struct _CdCredentials
{
  GObject     parent_instance;

  GHashTable *memory;      /* server → CdLogin, when the keyring fails */
  gboolean    persistent;
};

G_DEFINE_FINAL_TYPE (CdCredentials, cd_credentials, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PERSISTENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema token_schema = {
  "org.citydesk.Citydesk.Login", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

CdLogin *
cd_login_new (const char *server,
              const char *user,
              const char *role,
              const char *token,
              gint64      expires)
{
  CdLogin *login = g_new0 (CdLogin, 1);

  login->server = g_strdup (server);
  login->user = g_strdup (user);
  login->role = g_strdup (role);
  login->token = g_strdup (token);
  login->expires = expires;
  return login;
}

CdLogin *
cd_login_copy (const CdLogin *login)
{
  return cd_login_new (login->server, login->user, login->role, login->token, login->expires);
}

void
cd_login_free (CdLogin *login)
{
  if (login == NULL)
    return;
  g_free (login->server);
  g_free (login->user);
  g_free (login->role);
  /* The token is a secret: do not leave it in freed memory. */
  if (login->token != NULL)
    memset (login->token, 0, strlen (login->token));
  g_free (login->token);
  g_free (login);
}

static char *
login_to_secret (const CdLogin *login)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, login->user);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, login->role);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, login->token);
  json_builder_set_member_name (builder, "expires");
  json_builder_add_int_value (builder, login->expires);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static CdLogin *
login_from_secret (const char *server,
                   const char *secret)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *user, *role, *token;

  if (!json_parser_load_from_data (parser, secret, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  user = json_object_get_string_member_with_default (object, "user", NULL);
  role = json_object_get_string_member_with_default (object, "role", NULL);
  token = json_object_get_string_member_with_default (object, "token", NULL);
  if (user == NULL || role == NULL || token == NULL)
    return NULL;

  return cd_login_new (server, user, role, token,
                       json_object_get_int_member_with_default (object, "expires", 0));
}

static void
fall_back_to_memory (CdCredentials *self,
                     const GError  *error)
{
  if (!self->persistent)
    return;

  g_info ("No Secret Service, the login lasts for this session only: %s", error->message);
  self->persistent = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdCredentials *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      fall_back_to_memory (self, error);
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * cd_credentials_save_async:
 *
 * Keeps @login for the next start. Without a Secret Service it is kept in
 * memory, which still succeeds; the "persistent" property tells which.
 */
void
cd_credentials_save_async (CdCredentials       *self,
                           const CdLogin       *login,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (CD_IS_CREDENTIALS (self));
  g_return_if_fail (login != NULL && login->server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_credentials_save_async);

  /* Memory first: whatever the keyring does, this session stays logged in. */
  g_hash_table_replace (self->memory, g_strdup (login->server), cd_login_copy (login));

  secret = login_to_secret (login);
  /* Translators: the label of the keyring item; %s is a server address. */
  label = g_strdup_printf (_("Citydesk login for %s"), login->server);
  secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, on_stored, g_steal_pointer (&task),
                         "server", login->server,
                         NULL);
}

gboolean
cd_credentials_save_finish (CdCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdCredentials *self = g_task_get_source_object (task);
  const char *server = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = secret_password_lookup_finish (result, &error);
  CdLogin *login;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      fall_back_to_memory (self, error);
    }

  if (secret != NULL && (login = login_from_secret (server, secret)) != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_task_return_pointer (task, login, (GDestroyNotify) cd_login_free);
      return;
    }

  g_task_return_pointer (task, NULL, NULL);
}

/**
 * cd_credentials_load_async:
 *
 * Finds the login kept for @server. Finishes with %NULL and no error when
 * there is none.
 */
void
cd_credentials_load_async (CdCredentials       *self,
                           const char          *server,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CdLogin *kept;

  g_return_if_fail (CD_IS_CREDENTIALS (self));
  g_return_if_fail (server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_credentials_load_async);
  g_task_set_task_data (task, g_strdup (server), g_free);

  kept = g_hash_table_lookup (self->memory, server);
  if (kept != NULL)
    {
      g_task_return_pointer (task, cd_login_copy (kept), (GDestroyNotify) cd_login_free);
      return;
    }

  secret_password_lookup (&token_schema, cancellable, on_looked_up, g_steal_pointer (&task),
                          "server", server,
                          NULL);
}

CdLogin *
cd_credentials_load_finish (CdCredentials  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdCredentials *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Nothing to clear is fine; so is a keyring that is not there. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      fall_back_to_memory (self, error);
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * cd_credentials_forget_async:
 *
 * Log out: the login for @server is gone from memory and from the keyring.
 */
void
cd_credentials_forget_async (CdCredentials       *self,
                             const char          *server,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CD_IS_CREDENTIALS (self));
  g_return_if_fail (server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_credentials_forget_async);
  g_hash_table_remove (self->memory, server);
  secret_password_clear (&token_schema, cancellable, on_cleared, g_steal_pointer (&task),
                         "server", server,
                         NULL);
}

gboolean
cd_credentials_forget_finish (CdCredentials  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cd_credentials_get_persistent:
 *
 * Returns: %FALSE once the keyring has failed and logins are kept for this
 *   session only
 */
gboolean
cd_credentials_get_persistent (CdCredentials *self)
{
  g_return_val_if_fail (CD_IS_CREDENTIALS (self), FALSE);
  return self->persistent;
}

static void
cd_credentials_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CdCredentials *self = CD_CREDENTIALS (object);

  switch (prop_id)
    {
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_credentials_finalize (GObject *object)
{
  CdCredentials *self = CD_CREDENTIALS (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);

  G_OBJECT_CLASS (cd_credentials_parent_class)->finalize (object);
}

static void
cd_credentials_class_init (CdCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cd_credentials_get_property;
  object_class->finalize = cd_credentials_finalize;

  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_credentials_init (CdCredentials *self)
{
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) cd_login_free);
  self->persistent = TRUE;
}

CdCredentials *
cd_credentials_new (void)
{
  return g_object_new (CD_TYPE_CREDENTIALS, NULL);
}
