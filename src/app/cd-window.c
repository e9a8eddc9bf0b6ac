// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "cd-connection-indicator.h"
#include "cd-page.h"
#include "cd-sidebar-row.h"
#include "cd-window.h"

#include "cd-callbacks-page.h"
#include "cd-complaints-page.h"
#include "cd-overdue-page.h"
#include "cd-queue-page.h"
#include "cd-recordings-page.h"

struct _CdWindow
{
  AdwApplicationWindow   parent_instance;

  GSettings             *settings;
  GBindingGroup         *page_bindings;

  AdwLeaflet            *leaflet;
  GtkListBox            *sidebar;
  GtkBox                *content_pane;
  AdwWindowTitle        *page_title;
  GtkToggleButton       *search_button;
  CdConnectionIndicator *connection_indicator;
  AdwToastOverlay       *toast_overlay;
  GtkStack              *stack;
};

G_DEFINE_FINAL_TYPE (CdWindow, cd_window, ADW_TYPE_APPLICATION_WINDOW)

static CdPage *
get_visible_page (CdWindow *self)
{
  return CD_PAGE (gtk_stack_get_visible_child (self->stack));
}

static void
select_sidebar_row (CdWindow   *self,
                    const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (CD_IS_SIDEBAR_ROW (child) &&
          g_strcmp0 (cd_sidebar_row_get_page_name (CD_SIDEBAR_ROW (child)), name) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (child));
          return;
        }
    }
}

static void
on_visible_page_changed (CdWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (name == NULL)
    return;

  g_binding_group_set_source (self->page_bindings, get_visible_page (self));
  select_sidebar_row (self, name);
}

static void
on_sidebar_row_activated (CdWindow     *self,
                          GtkListBoxRow *row)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    cd_sidebar_row_get_page_name (CD_SIDEBAR_ROW (row)));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
on_leaflet_folded_changed (CdWindow *self)
{
  /* Unfolded, both panes are on screen: keep the content in front so that a
   * later fold shows the dashboard rather than the list of dashboards. */
  if (!adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_pane));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (gtk_stack_get_child_by_name (self->stack, name) == NULL)
    {
      g_warning ("No dashboard called “%s”", name);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, name);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_pane));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_pane));
  cd_page_start_search (get_visible_page (self));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_show_uri_finished (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    {
      g_autofree char *title = NULL;

      /* Translators: %s says why, e.g. "No application is registered as handling this file". */
      title = g_strdup_printf (_("Could not open the help: %s"), error->message);
      cd_window_add_toast (self, adw_toast_new (title));
    }
}

/**
 * cd_window_show_help:
 * @self: a #CdWindow
 *
 * Opens the user help at the page of the visible dashboard.
 */
void
cd_window_show_help (CdWindow *self)
{
  g_autofree char *uri = NULL;
  const char *section;

  g_return_if_fail (CD_IS_WINDOW (self));

  section = cd_page_get_help_section (get_visible_page (self));
  uri = section != NULL ? g_strdup_printf ("help:citydesk/%s", section)
                        : g_strdup ("help:citydesk");

  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, NULL,
                     on_show_uri_finished, g_object_ref (self));
}

void
cd_window_add_toast (CdWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (CD_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

const char *
cd_window_get_visible_page (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
populate_sidebar (CdWindow *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *name = gtk_stack_page_get_name (gtk_stack_get_page (self->stack, child));

      gtk_list_box_append (self->sidebar, GTK_WIDGET (cd_sidebar_row_new (CD_PAGE (child), name)));
    }
}

static gboolean
cd_window_close_request (GtkWindow *window)
{
  CdWindow *self = CD_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (cd_window_parent_class)->close_request (window);
}

/* Not in constructed(): GtkWindow's "application" is not a construct
 * property, so it is only set after construction. */
static void
restore_state (CdWindow      *self,
               CdApplication *app)
{
  self->settings = g_object_ref (cd_application_get_settings (app));

  /* Every dashboard reads the same local cache, shown from it at once. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cd_page_set_store (CD_PAGE (child), cd_application_get_store (app));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Both ways: the saved page opens at start, and every change is saved. */
  g_settings_bind (self->settings, "last-page", self->stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
  on_visible_page_changed (self);
}

static void
cd_window_dispose (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  if (self->page_bindings != NULL)
    g_binding_group_set_source (self->page_bindings, NULL);
  g_clear_object (&self->page_bindings);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_WINDOW);

  G_OBJECT_CLASS (cd_window_parent_class)->dispose (object);
}

static void
cd_window_class_init (CdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cd_window_dispose;
  window_class->close_request = cd_window_close_request;

  g_type_ensure (CD_TYPE_CONNECTION_INDICATOR);
  g_type_ensure (CD_TYPE_QUEUE_PAGE);
  g_type_ensure (CD_TYPE_OVERDUE_PAGE);
  g_type_ensure (CD_TYPE_RECORDINGS_PAGE);
  g_type_ensure (CD_TYPE_COMPLAINTS_PAGE);
  g_type_ensure (CD_TYPE_CALLBACKS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/citydesk/Citydesk/ui/cd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, connection_indicator);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_visible_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_changed);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
}

static void
cd_window_init (CdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->page_bindings = g_binding_group_new ();
  g_binding_group_bind (self->page_bindings, "title", self->page_title, "title",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->page_bindings, "search-mode", self->search_button, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  populate_sidebar (self);

  /* A window that opens narrow shows the last dashboard, not the list. */
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_pane));
}

CdWindow *
cd_window_new (CdApplication *application)
{
  CdWindow *self;

  g_return_val_if_fail (CD_IS_APPLICATION (application), NULL);

  self = g_object_new (CD_TYPE_WINDOW, "application", application, NULL);
  restore_state (self, application);
  return self;
}
