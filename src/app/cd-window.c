// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "cd-action-dialog.h"
#include "cd-connection-indicator.h"
#include "cd-page.h"
#include "cd-sidebar-row.h"
#include "cd-welcome-page.h"
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

  /* Built in code around the template's leaflet: "welcome" or "main". */
  GtkStack              *top_stack;
  CdWelcomePage         *welcome;
  CdSession             *session;
  CdContext             *context;
  GHashTable            *refusals_shown;   /* outbox ids */
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
  /* What a dashboard shows is read again as it comes to the front. */
  if (self->context != NULL)
    cd_page_refresh (get_visible_page (self));
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

/* A complaint about a call plays its recording on the Call recordings
 * page, which a complaint page does not know of. */
static void
play_recording_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, "recordings");

  if (!CD_IS_RECORDINGS_PAGE (page))
    return;
  gtk_stack_set_visible_child (self->stack, page);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_pane));
  cd_recordings_page_play_call (CD_RECORDINGS_PAGE (page), g_variant_get_string (parameter, NULL));
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

/**
 * cd_window_is_welcome_shown:
 *
 * Returns: whether the window asks for a server rather than showing the
 *   dashboards
 */
gboolean
cd_window_is_welcome_shown (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->top_stack), "welcome") == 0;
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

static void
show_welcome (CdWindow   *self,
              const char *message)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");

  cd_welcome_page_set_server_url (self->welcome, url);
  cd_welcome_page_set_busy (self->welcome, NULL);
  cd_welcome_page_set_error (self->welcome, message);
  gtk_stack_set_visible_child_name (self->top_stack, "welcome");
}

static void show_refusals (CdWindow *self);

static void
on_store_changed (CdWindow *self)
{
  show_refusals (self);
}

static void
on_state_changed (CdWindow *self)
{
  CdSync *sync = cd_session_get_sync (self->session);
  g_autoptr(GDateTime) since = NULL;

  if (sync != NULL && cd_sync_get_offline_since (sync) > 0)
    since = g_date_time_new_from_unix_utc (cd_sync_get_offline_since (sync));
  cd_connection_indicator_set_state (self->connection_indicator,
                                     cd_session_get_state (self->session), since);
}

static void
on_sync_progress (CdWindow *self)
{
  CdSync *sync = cd_session_get_sync (self->session);

  if (sync == NULL)
    return;
  cd_connection_indicator_set_progress (self->connection_indicator,
                                        cd_sync_get_done (sync), cd_sync_get_total (sync));
  cd_connection_indicator_set_pending (self->connection_indicator,
                                       cd_sync_get_pending_actions (sync),
                                       cd_sync_get_last_error (sync));
}

typedef struct
{
  CdWindow *window;
  gint64    id;
} Refusal;

static void
on_refusal_read (AdwToast *toast,
                 Refusal  *refusal)
{
  CdSync *sync = cd_session_get_sync (refusal->window->session);
  g_autoptr(GError) error = NULL;

  if (sync != NULL && !cd_sync_acknowledge_refusal (sync, refusal->id, &error))
    g_warning ("%s", error->message);
}

/* Each refused action the person has not read yet, once per window: the
 * outbox keeps them across restarts until "OK" is pressed. */
static void
show_refusals (CdWindow *self)
{
  CdSync *sync = cd_session_get_sync (self->session);
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;

  if (sync == NULL)
    return;
  refused = cd_sync_list_refused (sync, &error);
  if (refused == NULL)
    {
      g_warning ("%s", error->message);
      return;
    }

  for (guint i = 0; i < refused->len; i++)
    {
      CdOutboxEntry *entry = g_ptr_array_index (refused, i);
      gint64 id = entry->id;
      Refusal *refusal;
      g_autofree char *title = NULL;
      AdwToast *toast;

      if (g_hash_table_contains (self->refusals_shown, &id))
        continue;
      g_hash_table_add (self->refusals_shown, g_memdup2 (&id, sizeof id));

      /* Translators: a ticket number, the action (e.g. "Escalate"), the server's reason. */
      title = g_strdup_printf (_("%s: “%s” was refused: %s"),
                               entry->ticket != NULL ? entry->ticket : "—",
                               cd_action_get_label (entry->action),
                               entry->error != NULL ? entry->error : "");
      toast = adw_toast_new (title);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_button_label (toast, _("OK"));
      refusal = g_new0 (Refusal, 1);
      refusal->window = self;
      refusal->id = id;
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_refusal_read), refusal,
                             (GClosureNotify) (void (*) (void)) g_free, 0);
      cd_window_add_toast (self, toast);
    }
}

static void
on_action_refused (CdWindow   *self,
                   gint64      id,
                   const char *reason)
{
  show_refusals (self);
}

static void
on_sync_changed (CdWindow *self)
{
  CdSync *sync = cd_session_get_sync (self->session);

  if (sync == NULL)
    return;
  g_signal_connect_object (sync, "notify::done", G_CALLBACK (on_sync_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::total", G_CALLBACK (on_sync_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::pending-actions", G_CALLBACK (on_sync_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "notify::offline-since", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sync, "action-refused", G_CALLBACK (on_action_refused), self,
                           G_CONNECT_SWAPPED);
  on_sync_progress (self);
  show_refusals (self);
}

static void
on_persistent_changed (CdWindow *self)
{
  if (!cd_session_get_persistent (self->session))
    cd_window_add_toast (self,
                         adw_toast_new (_(
                             "No keyring is available: you will need to log in again next time")));
}

static void
on_login_required (CdWindow   *self,
                   const char *reason)
{
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");
  g_autofree char *message = NULL;

  if (reason == NULL && *url != '\0')
    /* Translators: %s is the server address. */
    message = g_strdup_printf (_("Log in again to %s."), url);
  show_welcome (self, reason != NULL ? reason : message);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CdWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (g_task_get_source_tag (G_TASK (result)) == cd_session_try_demo_async)
    done = cd_session_try_demo_finish (CD_SESSION (source), result, &error);
  else
    done = cd_session_connect_finish (CD_SESSION (source), result, &error);

  cd_welcome_page_set_busy (self->welcome, NULL);
  if (!done)
    {
      cd_welcome_page_set_error (self->welcome, error->message);
      return;
    }
  gtk_stack_set_visible_child_name (self->top_stack, "main");
}

static void
on_welcome_connect (CdWindow   *self,
                    const char *url,
                    const char *user,
                    const char *password)
{
  cd_welcome_page_set_busy (self->welcome, _("Connecting…"));
  cd_session_connect_async (self->session, url, user, password, NULL, on_connected,
                            g_object_ref (self));
}

static void
on_welcome_try_demo (CdWindow *self)
{
  cd_welcome_page_set_busy (self->welcome, _("Starting the demo city…"));
  cd_session_try_demo_async (self->session, NULL, on_connected, g_object_ref (self));
}

/* The person sees that the action was taken: the list shows it only once
 * the server confirms it. */
static void
on_actions_applied (CdWindow   *self,
                    const char *summary)
{
  cd_window_add_toast (self, adw_toast_new (summary));
}

/* win.act-on-tickets(['2026-000123', …]): the action dialog for them. */
static void
act_on_tickets_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree const char **numbers = g_variant_get_strv (parameter, NULL);
  CdActionDialog *dialog;

  if (numbers[0] == NULL || self->context == NULL)
    return;
  dialog = cd_action_dialog_new (self->context, numbers);
  g_signal_connect_object (dialog, "applied", G_CALLBACK (on_actions_applied), self,
                           G_CONNECT_SWAPPED);
  /* Over the window it was asked from: this one or a ticket's. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), app != NULL
                                                         ? gtk_application_get_active_window (app)
                                                         : GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
log_out_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CdWindow *self = CD_WINDOW (widget);

  cd_session_log_out (self->session);
  show_welcome (self, NULL);
}

/* Not in constructed(): GtkWindow's "application" is not a construct
 * property, so it is only set after construction. */
static void
restore_state (CdWindow  *self,
               GSettings *settings,
               CdContext *context)
{
  self->settings = g_object_ref (settings);

  self->session = g_object_ref (cd_context_get_session (context));
  self->context = g_object_ref (context);
  /* Each dashboard makes its source from the context, and reads. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cd_page_set_context (CD_PAGE (child), self->context);
  g_signal_connect_object (self->session, "notify::store", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (on_state_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sync", G_CALLBACK (on_sync_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::persistent", G_CALLBACK (on_persistent_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "login-required", G_CALLBACK (on_login_required), self,
                           G_CONNECT_SWAPPED);

  /* The last server's cache shows at once, before the network answers. */
  if (cd_session_get_store (self->session) != NULL ||
      cd_session_get_state (self->session) != CD_CONNECTION_STATE_NOT_CONFIGURED)
    gtk_stack_set_visible_child_name (self->top_stack, "main");
  else
    show_welcome (self, NULL);
  on_store_changed (self);
  on_state_changed (self);

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

  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_pointer (&self->refusals_shown, g_hash_table_unref);
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-window.ui");
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
  gtk_widget_class_install_action (widget_class, "win.play-recording", "s",
                                   play_recording_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.log-out", NULL, log_out_action);
  gtk_widget_class_install_action (widget_class, "win.act-on-tickets", "as", act_on_tickets_action);
}

static void
cd_window_init (CdWindow *self)
{
  GtkWidget *main_view;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->refusals_shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  /* The dashboards, or the welcome page before any server is chosen. */
  main_view = g_object_ref (adw_application_window_get_content (ADW_APPLICATION_WINDOW (self)));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  self->top_stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_transition_type (self->top_stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  self->welcome = g_object_new (CD_TYPE_WELCOME_PAGE, NULL);
  g_signal_connect_object (self->welcome, "connect", G_CALLBACK (on_welcome_connect), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->welcome, "try-demo", G_CALLBACK (on_welcome_try_demo), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->top_stack, GTK_WIDGET (self->welcome), "welcome");
  gtk_stack_add_named (self->top_stack, main_view, "main");
  gtk_stack_set_visible_child_name (self->top_stack, "main");
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->top_stack));
  g_object_unref (main_view);

  self->page_bindings = g_binding_group_new ();
  g_binding_group_bind (self->page_bindings, "title", self->page_title, "title",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->page_bindings, "search-mode", self->search_button, "active",
                        G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  populate_sidebar (self);

  /* A window that opens narrow shows the last dashboard, not the list. */
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content_pane));
}

/**
 * cd_window_new:
 * @application: the application the window belongs to
 * @settings: the application's settings
 * @context: what the dashboards work with (its session is the window's)
 *
 * The window is handed what it shows rather than asking the application
 * for it, so that it does not depend on the application that makes it
 * (cd_application_new_window()).
 *
 * Returns: (transfer full): a new main window
 */
CdWindow *
cd_window_new (GtkApplication *application,
               GSettings      *settings,
               CdContext      *context)
{
  CdWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  self = g_object_new (CD_TYPE_WINDOW, "application", application, NULL);
  restore_state (self, settings, context);
  return self;
}
