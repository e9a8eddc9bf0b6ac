// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the five dashboards share: a search bar (Ctrl+F), the count shown in
// the sidebar, and an honest state for when there is nothing to show: no
// server yet, the first sync still filling the cache (with its progress,
// not interim figures), or a cache that holds nothing for the dashboard.
// And the way a dashboard acts on a ticket: through the session's outbox,
// with the server's answer passed back to the page that asked.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-page.h"

typedef struct
{
  guint            badge;
  CdContext       *context;
  CdSync          *sync;
  CdSource        *source;
  GHashTable      *outbox;    /* outbox id (gint64 *) -> the page's key */
  GtkWidget       *content;
  gboolean         empty;

  GtkWidget       *box;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  AdwStatusPage   *status_page;
  GtkWidget       *status_button;
  GtkProgressBar  *sync_progress;
} CdPagePrivate;

static void cd_page_buildable_init (GtkBuildableIface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (CdPage,
                                  cd_page,
                                  GTK_TYPE_WIDGET,
                                  G_ADD_PRIVATE (CdPage)
                                      G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                             cd_page_buildable_init))

static GtkBuildableIface *parent_buildable_iface;

enum {
  PROP_0,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_BADGE,
  PROP_SEARCH_MODE,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the status page says instead of the content, if anything. */
static void
update_status (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  CdPageClass *klass = CD_PAGE_GET_CLASS (self);
  CdStore *store = priv->context != NULL ? cd_context_get_store (priv->context) : NULL;
  gboolean syncing = priv->sync != NULL && cd_sync_get_first_sync (priv->sync);
  gboolean show_status = store == NULL || syncing || priv->empty || priv->content == NULL;

  gtk_widget_set_visible (GTK_WIDGET (priv->status_page), show_status);
  if (priv->content != NULL)
    gtk_widget_set_visible (priv->content, !show_status);
  gtk_widget_set_visible (priv->status_button, store == NULL);
  gtk_widget_set_visible (GTK_WIDGET (priv->sync_progress), store != NULL && syncing);

  if (store == NULL)
    {
      adw_status_page_set_title (priv->status_page, _("No Server Yet"));
      adw_status_page_set_description (priv->status_page,
                                       _("Citydesk shows what a city’s server holds. Choose the "
                                          "server, or try the demo city."));
    }
  else if (syncing)
    {
      gint64 done = cd_sync_get_done (priv->sync);
      gint64 total = MAX (cd_sync_get_total (priv->sync), 1);
      g_autofree char *text = NULL;
      g_autofree char *done_text = g_strdup_printf ("%'" G_GINT64_FORMAT, done);
      g_autofree char *total_text = g_strdup_printf ("%'" G_GINT64_FORMAT, total);

      /* Figures counted from a half-filled cache would mislead: the
       * progress is what is true now. */
      adw_status_page_set_title (priv->status_page, _("Receiving the City’s Tickets"));
      /* Translators: the first sync's progress, in events of the journal. */
      text = g_strdup_printf (_("%s of %s events. The figures appear once all have arrived."),
                              done_text, total_text);
      adw_status_page_set_description (priv->status_page, text);
      gtk_progress_bar_set_fraction (priv->sync_progress, (double) done / (double) total);
    }
  else if (cd_session_get_state (cd_context_get_session (priv->context)) !=
           CD_CONNECTION_STATE_ONLINE)
    {
      /* An empty cache while the server has not answered says nothing of
       * what the server holds. */
      adw_status_page_set_title (priv->status_page, _("Waiting for the Server"));
      adw_status_page_set_description (priv->status_page,
                                       _("Nothing for this dashboard has arrived from the server "
                                          "yet. It fills in once the server answers."));
    }
  else
    {
      adw_status_page_set_title (priv->status_page,
                                 klass->empty_title != NULL ? _(klass->empty_title) : NULL);
      adw_status_page_set_description (priv->status_page, klass->empty_description != NULL
                                                              ? _(klass->empty_description)
                                                              : NULL);
    }
}

/* Only the page's own actions: the window shows every refusal, the page
 * what it means for what it shows. The key is taken out of the table
 * before the subclass hears of it, so that a handler may send again. */
static void
on_action_sent (CdPage *self,
                gint64  id)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (priv->outbox, &id, NULL, (gpointer *) &key))
    return;
  if (CD_PAGE_GET_CLASS (self)->action_sent != NULL)
    CD_PAGE_GET_CLASS (self)->action_sent (self, id, key);
}

static void
on_action_refused (CdPage     *self,
                   gint64      id,
                   const char *message)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  g_autofree char *key = NULL;

  if (!g_hash_table_steal_extended (priv->outbox, &id, NULL, (gpointer *) &key))
    return;
  if (CD_PAGE_GET_CLASS (self)->action_refused != NULL)
    CD_PAGE_GET_CLASS (self)->action_refused (self, id, key, message);
}

/* The session makes another CdSync at each login: follow it. */
static void
on_sync_changed (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  CdSync *sync = priv->context != NULL
                     ? cd_session_get_sync (cd_context_get_session (priv->context))
                     : NULL;

  if (priv->sync != sync)
    {
      if (priv->sync != NULL)
        g_signal_handlers_disconnect_by_data (priv->sync, self);
      g_set_object (&priv->sync, sync);
      if (sync != NULL)
        {
          g_signal_connect_object (sync, "notify::done", G_CALLBACK (update_status), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (sync, "notify::total", G_CALLBACK (update_status), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (sync, "action-sent", G_CALLBACK (on_action_sent), self,
                                   G_CONNECT_SWAPPED);
          g_signal_connect_object (sync, "action-refused", G_CALLBACK (on_action_refused),
                                   self, G_CONNECT_SWAPPED);
        }
    }
  update_status (self);
}

static void
clear_source (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  if (priv->source != NULL)
    g_signal_handlers_disconnect_by_data (priv->source, self);
  g_clear_object (&priv->source);
}

/* The source reads the context's cache: another context, another source.
 * It is made before the page is told of the new context, so that the
 * page's own notify::context handler finds it. */
static void
make_source (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  CdPageClass *klass = CD_PAGE_GET_CLASS (self);

  clear_source (self);
  if (priv->context == NULL || klass->make_source == NULL)
    return;
  priv->source = klass->make_source (self, priv->context);
  if (priv->source != NULL)
    cd_source_refresh (priv->source);
}

static void
cd_page_constructed (GObject *object)
{
  CdPage *self = CD_PAGE (object);
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  CdPageClass *klass = CD_PAGE_GET_CLASS (self);

  G_OBJECT_CLASS (cd_page_parent_class)->constructed (object);

  /* Class data is read here, not in init: during the base class's init the
   * instance still has the base class. */
  adw_status_page_set_icon_name (priv->status_page, klass->icon_name);
  update_status (self);
}

static void
cd_page_dispose (GObject *object)
{
  CdPagePrivate *priv = cd_page_get_instance_private (CD_PAGE (object));

  /* GTK 4.8's gtk_widget_dispose_template() cannot find the template of an
   * abstract base class from a subclass instance: unparent by hand. */
  g_clear_pointer (&priv->box, gtk_widget_unparent);
  clear_source (CD_PAGE (object));
  if (priv->sync != NULL)
    g_signal_handlers_disconnect_by_data (priv->sync, object);
  g_clear_object (&priv->sync);
  g_clear_object (&priv->context);

  G_OBJECT_CLASS (cd_page_parent_class)->dispose (object);
}

static void
cd_page_finalize (GObject *object)
{
  CdPagePrivate *priv = cd_page_get_instance_private (CD_PAGE (object));

  g_hash_table_unref (priv->outbox);

  G_OBJECT_CLASS (cd_page_parent_class)->finalize (object);
}

static void
cd_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CdPage *self = CD_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, cd_page_get_title (self));
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, cd_page_get_icon_name (self));
      break;

    case PROP_BADGE:
      g_value_set_uint (value, cd_page_get_badge (self));
      break;

    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, cd_page_get_search_mode (self));
      break;

    case PROP_CONTEXT:
      g_value_set_object (value, cd_page_get_context (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CdPage *self = CD_PAGE (object);

  switch (prop_id)
    {
    case PROP_BADGE:
      cd_page_set_badge (self, g_value_get_uint (value));
      break;

    case PROP_SEARCH_MODE:
      cd_page_set_search_mode (self, g_value_get_boolean (value));
      break;

    case PROP_CONTEXT:
      cd_page_set_context (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_search_mode_changed (CdPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

static void
cd_page_class_init (CdPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cd_page_constructed;
  object_class->dispose = cd_page_dispose;
  object_class->finalize = cd_page_finalize;
  object_class->get_property = cd_page_get_property;
  object_class->set_property = cd_page_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BADGE] =
    g_param_spec_uint ("badge", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CdPage:context: (nullable)
   *
   * What the dashboard works with (the session and its cache, the clock,
   * the role); the window hands it to each page.
   */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CD_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, box);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, search_bar);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, search_entry);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, status_page);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, status_button);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, sync_progress);
}

/* A subclass's template names its content as the page's only child. */
static void
cd_page_buildable_add_child (GtkBuildable *buildable,
                             GtkBuilder   *builder,
                             GObject      *child,
                             const char   *type)
{
  CdPagePrivate *priv = cd_page_get_instance_private (CD_PAGE (buildable));

  if (priv->box != NULL && type == NULL && GTK_IS_WIDGET (child))
    cd_page_set_content (CD_PAGE (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
cd_page_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = cd_page_buildable_add_child;
}

static void
cd_page_init (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  priv->outbox = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  gtk_search_bar_connect_entry (priv->search_bar, GTK_EDITABLE (priv->search_entry));
  g_signal_connect_object (priv->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_search_mode_changed), self, G_CONNECT_SWAPPED);
}

const char *
cd_page_get_title (CdPage *self)
{
  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return _(CD_PAGE_GET_CLASS (self)->title);
}

const char *
cd_page_get_icon_name (CdPage *self)
{
  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return CD_PAGE_GET_CLASS (self)->icon_name;
}

const char *
cd_page_get_help_section (CdPage *self)
{
  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return CD_PAGE_GET_CLASS (self)->help_section;
}

guint
cd_page_get_badge (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), 0);

  return priv->badge;
}

/**
 * cd_page_set_badge:
 * @self: a #CdPage
 * @badge: the count the sidebar shows for this dashboard; 0 hides it
 */
void
cd_page_set_badge (CdPage *self,
                   guint   badge)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));

  if (priv->badge == badge)
    return;

  priv->badge = badge;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BADGE]);
}

gboolean
cd_page_get_search_mode (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), FALSE);

  return gtk_search_bar_get_search_mode (priv->search_bar);
}

void
cd_page_set_search_mode (CdPage   *self,
                         gboolean  search_mode)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));

  /* The search bar notifies, and on_search_mode_changed() passes it on. */
  gtk_search_bar_set_search_mode (priv->search_bar, !!search_mode);
}

/**
 * cd_page_start_search:
 * @self: a #CdPage
 *
 * Shows the search bar and puts the keyboard focus in it.
 */
void
cd_page_start_search (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));

  cd_page_set_search_mode (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (priv->search_entry));
}

/**
 * cd_page_get_context:
 * @self: a #CdPage
 *
 * Returns: (transfer none) (nullable): what the dashboard works with
 */
CdContext *
cd_page_get_context (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return priv->context;
}

void
cd_page_set_context (CdPage    *self,
                     CdContext *context)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));
  g_return_if_fail (context == NULL || CD_IS_CONTEXT (context));

  if (priv->context != NULL)
    g_signal_handlers_disconnect_by_data (priv->context, self);
  if (priv->context != NULL && context == NULL)
    g_signal_handlers_disconnect_by_data (cd_context_get_session (priv->context), self);
  if (!g_set_object (&priv->context, context))
    return;
  if (context != NULL)
    {
      g_signal_connect_object (context, "notify::store", G_CALLBACK (update_status), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (cd_context_get_session (context), "notify::sync",
                               G_CALLBACK (on_sync_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (cd_context_get_session (context), "notify::state",
                               G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
    }
  on_sync_changed (self);
  make_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT]);
}

/**
 * cd_page_get_store:
 * @self: a #CdPage
 *
 * Returns: (transfer none) (nullable): the cache the page reads
 */
CdStore *
cd_page_get_store (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return priv->context != NULL ? cd_context_get_store (priv->context) : NULL;
}

/**
 * cd_page_refresh:
 * @self: a #CdPage
 *
 * Reads the dashboard's data again. The window calls it when the page is
 * shown and on F5, whatever the page.
 */
void
cd_page_refresh (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));

  if (CD_PAGE_GET_CLASS (self)->refresh != NULL)
    CD_PAGE_GET_CLASS (self)->refresh (self);
  else if (priv->source != NULL)
    cd_source_refresh (priv->source);
}

/**
 * cd_page_get_source:
 * @self: a #CdPage
 *
 * Returns: (transfer none) (nullable): the source the class's
 *   make_source() made for the context, %NULL without a context
 */
CdSource *
cd_page_get_source (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return priv->source;
}

/**
 * cd_page_set_content:
 * @self: a #CdPage
 * @content: the dashboard's own widgets
 *
 * Puts @content below the search bar; cd_page_set_empty() puts the empty
 * state in its place.
 */
void
cd_page_set_content (CdPage    *self,
                     GtkWidget *content)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (content));
  g_return_if_fail (priv->content == NULL);

  priv->content = content;
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (priv->box), content);
  /* Shown until the dashboard's source says the cache holds nothing: while
   * it reads, the content says so itself, not an empty state. */
  cd_page_set_empty (self, FALSE);
}

/**
 * cd_page_set_empty:
 * @self: a #CdPage
 * @empty: whether the cache holds nothing for this dashboard
 *
 * Shows the class's empty state instead of the content. Without a server,
 * or while the first sync runs, the page says so whatever @empty is.
 */
void
cd_page_set_empty (CdPage   *self,
                   gboolean  empty)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));

  priv->empty = !!empty;
  update_status (self);
}

/**
 * cd_page_get_search_entry:
 * @self: a #CdPage
 *
 * Returns: (transfer none): the entry of the search bar
 */
GtkEditable *
cd_page_get_search_entry (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return GTK_EDITABLE (priv->search_entry);
}

/**
 * cd_page_get_sync:
 * @self: a #CdPage
 *
 * Returns: (transfer none) (nullable): the session's sync, %NULL until
 *   logged in
 */
CdSync *
cd_page_get_sync (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_val_if_fail (CD_IS_PAGE (self), NULL);

  return priv->sync;
}

/**
 * cd_page_send_action:
 * @self: a #CdPage
 * @ticket: the ticket's number
 * @action: the action, as for cd_sync_act()
 * @fields: (nullable): the action's fields
 * @key: (nullable): what the page wants back with the outcome, e.g. the
 *   ticket and what it did; %NULL gives @ticket
 * @error: a #G_IO_ERROR_NOT_CONNECTED before login, or cd_sync_act()'s
 *
 * Queues @action in the session's outbox and sends it as soon as the
 * server answers. Call it once per click or key press: each call is one
 * outbox entry with its own idempotency key, so that a retried request is
 * taken once, while a second click is a second action. The outcome comes
 * to the class's action_sent() or action_refused() with @key.
 *
 * Returns: the outbox entry's id, or 0 with @error set
 */
gint64
cd_page_send_action (CdPage      *self,
                     const char  *ticket,
                     CdAction     action,
                     JsonObject  *fields,
                     const char  *key,
                     GError     **error)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);
  gint64 id;

  g_return_val_if_fail (CD_IS_PAGE (self), 0);
  g_return_val_if_fail (ticket != NULL, 0);

  if (priv->sync == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to a server: log in first."));
      return 0;
    }
  id = cd_sync_act (priv->sync, ticket, action, fields, error);
  if (id == 0)
    return 0;
  g_hash_table_insert (priv->outbox, g_memdup2 (&id, sizeof id),
                       g_strdup (key != NULL ? key : ticket));
  return id;
}
