// SPDX-License-Identifier: GPL-3.0-or-later
//
// The desktop's link to one server: who is logged in, the local cache of
// that server (one file per server, since two servers' journals cannot
// share one chain), the sync that keeps it current and, for "Try the demo",
// the demo server we run ourselves. The window only shows what this says.

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-client.h"
#include "cd-demo-server.h"
#include "cd-session.h"

#define DEMO_USER "supervisor"
#define DEMO_PASSWORD "demo"

struct _CdSession
{
  GObject            parent_instance;

  GSettings         *settings;
  CdCredentials     *credentials;
  CdDemoServer      *demo;
  CdClient          *client;
  CdSync            *sync;
  CdStore           *store;
  char              *cache_id;
  char              *role;
  char              *user;
  CdConnectionState  state;
  gboolean           logged_in;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (CdSession, cd_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  PROP_STATE,
  PROP_LOGGED_IN,
  PROP_PERSISTENT,
  PROP_ROLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  LOGIN_REQUIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * cd_session_cache_path:
 * @server_id: the server's URL, or "demo"
 *
 * The cache file of one server: CITYDESK_CACHE when set (tests), otherwise
 * a file per server under `$XDG_DATA_HOME/citydesk/caches`.
 *
 * Returns: (transfer full): the path
 */
char *
cd_session_cache_path (const char *server_id)
{
  const char *env = g_getenv ("CITYDESK_CACHE");
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  /* A new name with the demo city's (cd-demo-server.c): the copy of an
   * older city would not follow the new one's journal. */
  if (g_str_equal (server_id, "demo"))
    name = g_strdup ("demo-city.db");
  else
    {
      digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, server_id, -1);
      name = g_strdup_printf ("%.16s.db", digest);
    }
  return g_build_filename (g_get_user_data_dir (), "citydesk", "caches", name, NULL);
}

static void
set_state (CdSession         *self,
           CdConnectionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_logged_in (CdSession  *self,
               gboolean    logged_in,
               const char *user,
               const char *role)
{
  g_free (self->user);
  self->user = g_strdup (user);
  if (g_strcmp0 (self->role, role) != 0)
    {
      g_free (self->role);
      self->role = g_strdup (role);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
    }
  if (self->logged_in != logged_in)
    {
      self->logged_in = logged_in;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGGED_IN]);
    }
}

static gboolean
open_cache (CdSession   *self,
            const char  *server_id,
            GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  CdStore *store;

  if (self->store != NULL && g_strcmp0 (self->cache_id, server_id) == 0)
    return TRUE;

  path = cd_session_cache_path (server_id);
  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder of the local copy “%s”: %s"), folder,
                   g_strerror (saved));
      return FALSE;
    }

  store = cd_store_open (path, error);
  if (store == NULL)
    return FALSE;

  g_set_object (&self->store, store);
  g_object_unref (store);
  g_free (self->cache_id);
  self->cache_id = g_strdup (server_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  return TRUE;
}

static void
close_cache (CdSession *self)
{
  if (self->store == NULL)
    return;
  g_clear_object (&self->store);
  g_clear_pointer (&self->cache_id, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
on_sync_state (CdSession *self)
{
  set_state (self, cd_sync_get_state (self->sync));
}

static void
on_events_imported (CdSession *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
stop_sync (CdSession *self)
{
  if (self->sync == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->sync, self);
  cd_sync_stop (self->sync);
  g_clear_object (&self->sync);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

static gboolean
start_sync (CdSession  *self,
            GError    **error)
{
  CdSync *sync;

  stop_sync (self);
  sync = cd_sync_new (self->client, self->store, error);
  if (sync == NULL)
    return FALSE;

  self->sync = sync;
  g_signal_connect_object (sync, "notify::state", G_CALLBACK (on_sync_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "events-imported", G_CALLBACK (on_events_imported), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "action-sent", G_CALLBACK (on_events_imported), self,
                           G_CONNECT_SWAPPED);
  cd_sync_start (sync);
  on_sync_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
  return TRUE;
}

/* A login error in words a supervisor can act on. */
static GError *
explain (const GError *error,
         const char   *url)
{
  if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED))
    return g_error_new_literal (CD_CLIENT_ERROR, error->code, _("Wrong user name or password."));
  if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE))
    /* Translators: %s is the server address, then the system's reason. */
    return g_error_new (CD_CLIENT_ERROR, error->code,
                        _("Cannot reach the server at %s. Check the address and the network (%s)."),
                        url, error->message);
  if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_TLS))
    return g_error_new (
        CD_CLIENT_ERROR, error->code,
        _("The server’s certificate is not trusted, so the connection is not safe: %s"),
        error->message);
  return g_error_copy (error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CdSession) self = user_data;

  /* Without a keyring the login still holds for this session; the
   * "persistent" property has said so. */
  cd_credentials_save_finish (CD_CREDENTIALS (source), result, NULL);
}

static void
on_logged_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CdSession *self = g_task_get_source_object (task);
  gboolean demo = GPOINTER_TO_INT (g_task_get_task_data (task));
  CdClient *client = CD_CLIENT (source);
  g_autoptr(GError) error = NULL;
  const char *url = cd_client_get_server_url (client);

  if (!cd_client_login_finish (client, result, &error))
    {
      set_state (self, self->store != NULL ? CD_CONNECTION_STATE_OFFLINE
                                           : CD_CONNECTION_STATE_NOT_CONFIGURED);
      g_task_return_error (task, explain (error, url));
      return;
    }

  g_set_object (&self->client, client);
  if (!open_cache (self, demo ? "demo" : url, &error) || !start_sync (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_settings_set_boolean (self->settings, "demo", demo);
  if (!demo)
    {
      g_autoptr(CdLogin) login = cd_login_new (url, cd_client_get_user (client),
                                                cd_client_get_role (client),
                                                cd_client_get_token (client), 0);

      g_settings_set_string (self->settings, "server-url", url);
      cd_credentials_save_async (self->credentials, login, NULL, on_saved, g_object_ref (self));
    }

  set_logged_in (self, TRUE, cd_client_get_user (client), cd_client_get_role (client));
  g_task_return_boolean (task, TRUE);
}

static void
log_in (CdSession  *self,
        GTask      *task,
        const char *url,
        const char *user,
        const char *password)
{
  g_autoptr(CdClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = cd_client_new (url, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  set_state (self, CD_CONNECTION_STATE_CONNECTING);
  cd_client_login_async (client, user, password, g_task_get_cancellable (task), on_logged_in, task);
}

/**
 * cd_session_connect_async:
 *
 * Logs in to a real server; on success the login is kept (keyring), the
 * server's cache is opened and the sync starts.
 */
void
cd_session_connect_async (CdSession           *self,
                          const char          *url,
                          const char          *user,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CD_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_session_connect_async);
  g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
  g_clear_object (&self->demo);
  log_in (self, task, url, user, password);
}

gboolean
cd_session_connect_finish (CdSession     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void on_demo_started (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static void
start_demo (CdSession *self,
            GTask     *task,
            guint16    port)
{
  g_clear_object (&self->demo);
  self->demo = cd_demo_server_new (NULL);
  cd_demo_server_set_port (self->demo, port);
  set_state (self, CD_CONNECTION_STATE_CONNECTING);
  cd_demo_server_start_async (self->demo, g_task_get_cancellable (task), on_demo_started, task);
}

static void
on_demo_started (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CdSession *self = g_task_get_source_object (task);
  CdDemoServer *demo = CD_DEMO_SERVER (source);
  g_autoptr(GError) error = NULL;
  guint16 wanted = g_settings_get_int (self->settings, "demo-port");
  guint16 port;

  if (!cd_demo_server_start_finish (demo, result, &error))
    {
      /* Last time's port may be taken now: any free one will do. */
      if (wanted != 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_settings_set_int (self->settings, "demo-port", 0);
          start_demo (self, task, 0);
          return;
        }
      set_state (self, self->store != NULL ? CD_CONNECTION_STATE_OFFLINE
                                           : CD_CONNECTION_STATE_NOT_CONFIGURED);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  port = cd_demo_server_get_port (demo);
  if (port != wanted && g_getenv ("CITYDESK_CACHE") == NULL)
    {
      /* The local copy followed a server at another address: its cursor
       * does not apply here. It is only a copy of our own demo city. */
      g_autofree char *path = cd_session_cache_path ("demo");
      const char *suffixes[] = { "", "-wal", "-shm" };

      stop_sync (self);
      close_cache (self);

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_remove (file);
        }
      g_settings_set_int (self->settings, "demo-port", port);
    }

  log_in (self, task, cd_demo_server_get_url (demo), DEMO_USER, DEMO_PASSWORD);
}

/**
 * cd_session_try_demo_async:
 *
 * Starts our own demo server (building its city the first time) and logs
 * in to it as a supervisor.
 */
void
cd_session_try_demo_async (CdSession           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CD_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_session_try_demo_async);
  g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
  start_demo (self, task, g_settings_get_int (self->settings, "demo-port"));
}

gboolean
cd_session_try_demo_finish (CdSession     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_resumed_demo (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cd_session_try_demo_finish (CD_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("The demo did not start again: %s", error->message);
      g_signal_emit (source, signals[LOGIN_REQUIRED], 0, error->message);
    }
}

static void
on_login_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CdSession) self = user_data;
  g_autoptr(CdLogin) login = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(GError) error = NULL;

  login = cd_credentials_load_finish (CD_CREDENTIALS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (login != NULL)
    client = cd_client_new (login->server, &error);
  if (client == NULL)
    {
      g_signal_emit (self, signals[LOGIN_REQUIRED], 0, NULL);
      return;
    }

  cd_client_set_token (client, login->token);
  g_set_object (&self->client, client);
  if (!start_sync (self, &error))
    {
      g_signal_emit (self, signals[LOGIN_REQUIRED], 0, error->message);
      return;
    }
  set_logged_in (self, TRUE, login->user, login->role);
}

/**
 * cd_session_resume:
 * @self: a session
 * @demo: start the demo whatever the settings say (`citydesk --demo`:
 *   where no session bus runs, the settings cannot keep the request)
 *
 * At start: opens the cache of the last server so the dashboards show at
 * once, then finds the kept login (or restarts the demo) and syncs.
 * "login-required" is emitted when there is no login to resume.
 *
 * Returns: whether there was a server to resume; %FALSE for a first run
 */
gboolean
cd_session_resume (CdSession *self,
                   gboolean   demo)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (CD_IS_SESSION (self), FALSE);

  if (demo || g_settings_get_boolean (self->settings, "demo"))
    {
      if (!open_cache (self, "demo", &error))
        g_warning ("%s", error->message);
      cd_session_try_demo_async (self, self->cancellable, on_resumed_demo, NULL);
      return TRUE;
    }

  url = g_settings_get_string (self->settings, "server-url");
  if (*url == '\0')
    {
      /* A cache handed over without a server (tests, a copied file): shown
       * read-only, as offline. */
      if (g_getenv ("CITYDESK_CACHE") == NULL || !open_cache (self, "local", &error))
        return FALSE;
      set_state (self, CD_CONNECTION_STATE_OFFLINE);
      return TRUE;
    }

  if (!open_cache (self, url, &error))
    g_warning ("%s", error->message);
  set_state (self, CD_CONNECTION_STATE_OFFLINE);
  cd_credentials_load_async (self->credentials, url, self->cancellable, on_login_loaded,
                             g_object_ref (self));
  return TRUE;
}

/**
 * cd_session_log_out:
 *
 * Forgets the login (server, keyring) and stops the sync and any demo
 * server. The cache file stays, with any actions not yet sent.
 */
void
cd_session_log_out (CdSession *self)
{
  g_return_if_fail (CD_IS_SESSION (self));

  if (self->client != NULL && self->demo == NULL)
    {
      cd_client_logout_async (self->client, NULL, NULL, NULL);
      cd_credentials_forget_async (self->credentials, cd_client_get_server_url (self->client), NULL,
                                   NULL, NULL);
    }
  stop_sync (self);
  g_clear_object (&self->client);
  if (self->demo != NULL)
    cd_demo_server_stop (self->demo);
  g_clear_object (&self->demo);
  g_settings_set_boolean (self->settings, "demo", FALSE);
  close_cache (self);
  set_logged_in (self, FALSE, NULL, NULL);
  set_state (self, CD_CONNECTION_STATE_NOT_CONFIGURED);
}

CdStore *
cd_session_get_store (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), NULL);
  return self->store;
}

CdSync *
cd_session_get_sync (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), NULL);
  return self->sync;
}

/* Returns: (nullable) (transfer none): the logged-in client, for the
 * requests a page makes itself (a recording's facts and audio) */
CdClient *
cd_session_get_client (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), NULL);
  return self->client;
}

CdConnectionState
cd_session_get_state (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), CD_CONNECTION_STATE_NOT_CONFIGURED);
  return self->state;
}

gboolean
cd_session_get_logged_in (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), FALSE);
  return self->logged_in;
}

gboolean
cd_session_get_persistent (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), FALSE);
  return cd_credentials_get_persistent (self->credentials);
}

const char *
cd_session_get_role (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), NULL);
  return self->role;
}

const char *
cd_session_get_user (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), NULL);
  return self->user;
}

const char *
cd_session_get_server_url (CdSession *self)
{
  g_return_val_if_fail (CD_IS_SESSION (self), NULL);
  return self->client != NULL ? cd_client_get_server_url (self->client) : NULL;
}

static void
cd_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CdSession *self = CD_SESSION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_LOGGED_IN:
      g_value_set_boolean (value, self->logged_in);
      break;
    case PROP_PERSISTENT:
      g_value_set_boolean (value, cd_credentials_get_persistent (self->credentials));
      break;
    case PROP_ROLE:
      g_value_set_string (value, self->role);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_session_dispose (GObject *object)
{
  CdSession *self = CD_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  stop_sync (self);
  g_clear_object (&self->client);
  g_clear_object (&self->demo);
  g_clear_object (&self->store);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cd_session_parent_class)->dispose (object);
}

static void
cd_session_finalize (GObject *object)
{
  CdSession *self = CD_SESSION (object);

  g_free (self->cache_id);
  g_free (self->role);
  g_free (self->user);

  G_OBJECT_CLASS (cd_session_parent_class)->finalize (object);
}

static void
cd_session_class_init (CdSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cd_session_get_property;
  object_class->dispose = cd_session_dispose;
  object_class->finalize = cd_session_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CD_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, CD_TYPE_SYNC,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_uint ("state", NULL, NULL, 0, CD_CONNECTION_STATE_OFFLINE,
                                              CD_CONNECTION_STATE_NOT_CONFIGURED,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                  G_PARAM_STATIC_STRINGS);
  properties[PROP_LOGGED_IN] =
    g_param_spec_boolean ("logged-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CdSession::changed:
   *
   * The cache received events or an action was accepted: the dashboards
   * read it again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CdSession::login-required:
   * @reason: (nullable): why, when there is more to say than "log in"
   */
  signals[LOGIN_REQUIRED] = g_signal_new ("login-required", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                          G_TYPE_STRING);
}

static void
on_persistent_changed (CdSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

static void
cd_session_init (CdSession *self)
{
  self->credentials = cd_credentials_new ();
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->credentials, "notify::persistent",
                           G_CALLBACK (on_persistent_changed), self, G_CONNECT_SWAPPED);
}

/**
 * cd_session_new:
 * @settings: the app's settings (server address, demo)
 */
CdSession *
cd_session_new (GSettings *settings)
{
  CdSession *self = g_object_new (CD_TYPE_SESSION, NULL);

  self->settings = g_object_ref (settings);
  return self;
}
