// SPDX-License-Identifier: GPL-3.0-or-later
//
// One dashboard in the sidebar: its icon, its name and the count that
// matters most on it (overdue now, calls to review…), bound to the page.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-sidebar-row.h"

struct _CdSidebarRow
{
  GtkListBoxRow  parent_instance;

  char          *page_name;

  GtkImage      *icon;
  GtkLabel      *title_label;
  GtkLabel      *badge;
};

G_DEFINE_FINAL_TYPE (CdSidebarRow, cd_sidebar_row, GTK_TYPE_LIST_BOX_ROW)

static void
update_badge (CdSidebarRow *self,
              GParamSpec   *pspec,
              CdPage       *page)
{
  guint count = cd_page_get_badge (page);
  g_autofree char *text = g_strdup_printf ("%u", count);
  g_autofree char *description = NULL;

  gtk_label_set_label (self->badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->badge), count > 0);

  /* Screen readers hear the name and the count together. */
  if (count > 0)
    description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u item needs attention",
                                                "%s, %u items need attention", count),
                                   cd_page_get_title (page), count);
  else
    description = g_strdup (cd_page_get_title (page));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static void
cd_sidebar_row_finalize (GObject *object)
{
  CdSidebarRow *self = CD_SIDEBAR_ROW (object);

  g_clear_pointer (&self->page_name, g_free);

  G_OBJECT_CLASS (cd_sidebar_row_parent_class)->finalize (object);
}

static void
cd_sidebar_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CD_TYPE_SIDEBAR_ROW);

  G_OBJECT_CLASS (cd_sidebar_row_parent_class)->dispose (object);
}

static void
cd_sidebar_row_class_init (CdSidebarRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_sidebar_row_dispose;
  object_class->finalize = cd_sidebar_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-sidebar-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CdSidebarRow, icon);
  gtk_widget_class_bind_template_child (widget_class, CdSidebarRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CdSidebarRow, badge);
}

static void
cd_sidebar_row_init (CdSidebarRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CdSidebarRow *
cd_sidebar_row_new (CdPage     *page,
                    const char *page_name)
{
  CdSidebarRow *self;

  g_return_val_if_fail (CD_IS_PAGE (page), NULL);
  g_return_val_if_fail (page_name != NULL, NULL);

  self = g_object_new (CD_TYPE_SIDEBAR_ROW, NULL);
  self->page_name = g_strdup (page_name);

  g_object_bind_property (page, "title", self->title_label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "icon-name", self->icon, "icon-name", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (page, "notify::badge", G_CALLBACK (update_badge), self,
                           G_CONNECT_SWAPPED);
  update_badge (self, NULL, page);

  return self;
}

const char *
cd_sidebar_row_get_page_name (CdSidebarRow *self)
{
  g_return_val_if_fail (CD_IS_SIDEBAR_ROW (self), NULL);

  return self->page_name;
}

const char *
cd_sidebar_row_get_title (CdSidebarRow *self)
{
  g_return_val_if_fail (CD_IS_SIDEBAR_ROW (self), NULL);

  return gtk_label_get_label (self->title_label);
}
