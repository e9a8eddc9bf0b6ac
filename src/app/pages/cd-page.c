// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the five dashboards share: a search bar (Ctrl+F), the count shown in
// the sidebar, and an honest state for when there is nothing to show.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-page.h"

typedef struct
{
  guint            badge;
  CdStore         *store;
  GtkWidget       *content;

  GtkWidget       *box;
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *search_entry;
  AdwStatusPage   *status_page;
} CdPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CdPage, cd_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_BADGE,
  PROP_SEARCH_MODE,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  if (klass->empty_title != NULL)
    adw_status_page_set_title (priv->status_page, _(klass->empty_title));
  if (klass->empty_description != NULL)
    adw_status_page_set_description (priv->status_page, _(klass->empty_description));
}

static void
cd_page_dispose (GObject *object)
{
  CdPagePrivate *priv = cd_page_get_instance_private (CD_PAGE (object));

  /* GTK 4.8's gtk_widget_dispose_template() cannot find the template of an
   * abstract base class from a subclass instance: unparent by hand. */
  g_clear_pointer (&priv->box, gtk_widget_unparent);
  g_clear_object (&priv->store);

  G_OBJECT_CLASS (cd_page_parent_class)->dispose (object);
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

    case PROP_STORE:
      g_value_set_object (value, cd_page_get_store (self));
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

    case PROP_STORE:
      cd_page_set_store (self, g_value_get_object (value));
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
   * CdPage:store: (nullable)
   *
   * The local cache the dashboard reads; the window hands it to each page.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/citydesk/Citydesk/ui/cd-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, box);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, search_bar);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, search_entry);
  gtk_widget_class_bind_template_child_private (widget_class, CdPage, status_page);
}

static void
cd_page_init (CdPage *self)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));

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

  return priv->store;
}

void
cd_page_set_store (CdPage  *self,
                   CdStore *store)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));
  g_return_if_fail (store == NULL || CD_IS_STORE (store));

  if (g_set_object (&priv->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * cd_page_set_content:
 * @self: a #CdPage
 * @content: the dashboard's own widgets
 *
 * Puts @content below the search bar, in place of the empty state while
 * cd_page_set_empty() says there is something to show.
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
  cd_page_set_empty (self, TRUE);
}

void
cd_page_set_empty (CdPage   *self,
                   gboolean  empty)
{
  CdPagePrivate *priv = cd_page_get_instance_private (self);

  g_return_if_fail (CD_IS_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (priv->status_page), empty || priv->content == NULL);
  if (priv->content != NULL)
    gtk_widget_set_visible (priv->content, !empty);
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
