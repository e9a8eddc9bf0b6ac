// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-context.h"

struct _CdContext
{
  GObject    parent_instance;

  CdSession *session;
  char      *role;
};

G_DEFINE_FINAL_TYPE (CdContext, cd_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_store_changed (CdContext *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
cd_context_dispose (GObject *object)
{
  CdContext *self = CD_CONTEXT (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->role, g_free);

  G_OBJECT_CLASS (cd_context_parent_class)->dispose (object);
}

static void
cd_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CdContext *self = CD_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_STORE:
      g_value_set_object (value, cd_context_get_store (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_context_class_init (CdContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_context_dispose;
  object_class->get_property = cd_context_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CD_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * CdContext:store: (nullable)
   *
   * The session's cache; notified when the session follows another server.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CD_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_context_init (CdContext *self)
{
}

/**
 * cd_context_new:
 * @session: the session the dashboards follow
 *
 * Returns: (transfer full): a context
 */
CdContext *
cd_context_new (CdSession *session)
{
  CdContext *self;

  g_return_val_if_fail (CD_IS_SESSION (session), NULL);

  self = g_object_new (CD_TYPE_CONTEXT, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::store", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/**
 * cd_context_get_session:
 * @self: a #CdContext
 *
 * Returns: (transfer none): the session
 */
CdSession *
cd_context_get_session (CdContext *self)
{
  g_return_val_if_fail (CD_IS_CONTEXT (self), NULL);

  return self->session;
}

/**
 * cd_context_get_store:
 * @self: a #CdContext
 *
 * Returns: (transfer none) (nullable): the cache, %NULL before any server
 */
CdStore *
cd_context_get_store (CdContext *self)
{
  g_return_val_if_fail (CD_IS_CONTEXT (self), NULL);

  return cd_session_get_store (self->session);
}

/**
 * cd_context_get_now:
 * @self: a #CdContext
 *
 * The moment the dashboards judge by: the present, or the ISO 8601 time in
 * the environment variable CITYDESK_NOW, frozen, so that a test compares
 * the window with `citydeskctl … --now` at the same moment.
 *
 * Returns: Unix seconds
 */
gint64
cd_context_get_now (CdContext *self)
{
  const char *fixed = g_getenv ("CITYDESK_NOW");

  g_return_val_if_fail (CD_IS_CONTEXT (self), 0);

  if (fixed != NULL && *fixed != '\0')
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (fixed, NULL);

      if (dt != NULL)
        return g_date_time_to_unix (dt);
    }
  return g_get_real_time () / G_USEC_PER_SEC;
}

/**
 * cd_context_get_role:
 * @self: a #CdContext
 *
 * The role the user works in, which decides what personal data is shown:
 * the one set with cd_context_set_role(), else the logged-in role; before
 * a login, CITYDESK_ROLE or "supervisor".
 *
 * Returns: the role's name
 */
const char *
cd_context_get_role (CdContext *self)
{
  const char *role = g_getenv ("CITYDESK_ROLE");

  g_return_val_if_fail (CD_IS_CONTEXT (self), NULL);

  if (self->role != NULL)
    return self->role;
  if (cd_session_get_role (self->session) != NULL)
    return cd_session_get_role (self->session);
  return role != NULL && *role != '\0' ? role : "supervisor";
}

/**
 * cd_context_set_role:
 * @self: a #CdContext
 * @role: (nullable): the role to work in, %NULL for the logged-in one
 *
 * A context of its own for a view in another role than the session's (a
 * supervisor checking what quality control sees).
 */
void
cd_context_set_role (CdContext  *self,
                     const char *role)
{
  g_return_if_fail (CD_IS_CONTEXT (self));

  g_free (self->role);
  self->role = g_strdup (role);
}
