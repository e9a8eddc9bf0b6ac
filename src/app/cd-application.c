// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-application.h"
#include "cd-breach-notifier.h"
#include "cd-context.h"
#include "cd-preferences-window.h"
#include "cd-session.h"
#include "cd-window.h"

struct _CdApplication
{
  AdwApplication    parent_instance;

  GSettings        *settings;
  CdSession        *session;
  CdContext        *context;
  CdBreachNotifier *notifier;
  gboolean          demo_requested;
};

G_DEFINE_FINAL_TYPE (CdApplication, cd_application, ADW_TYPE_APPLICATION)

static const struct {
  const char *action;
  const char *accels[2];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "app.help", { "F1", NULL } },
  { "win.search", { "<Control>f", NULL } },
  { "win.show-page('queue')", { "<Control>1", NULL } },
  { "win.show-page('overdue')", { "<Control>2", NULL } },
  { "win.show-page('recordings')", { "<Control>3", NULL } },
  { "win.show-page('complaints')", { "<Control>4", NULL } },
  { "win.show-page('callbacks')", { "<Control>5", NULL } },
};

static CdWindow *
get_window (CdApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (CD_IS_WINDOW (window))
    return CD_WINDOW (window);
  return NULL;
}

static void
apply_color_scheme (CdApplication *self)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT,
    ADW_COLOR_SCHEME_FORCE_LIGHT,
    ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint value = g_settings_get_enum (self->settings, "color-scheme");

  if (value >= G_N_ELEMENTS (schemes))
    value = 0;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), schemes[value]);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CdApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing rather than quitting lets each window save its size and page. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CdApplication *self = user_data;
  CdPreferencesWindow *prefs = cd_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  CdApplication *self = user_data;
  CdWindow *window = get_window (self);

  if (window != NULL)
    cd_window_show_help (window);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CdApplication *self = user_data;
  const char *developers[] = { _("The Citydesk developers"), NULL };
  GtkWidget *about;

  about = g_object_new (
      ADW_TYPE_ABOUT_WINDOW, "transient-for",
      gtk_application_get_active_window (GTK_APPLICATION (self)), "application-name",
      _("Citydesk"), "application-icon", APP_ID, "developer-name", _("The Citydesk developers"),
      "version", PACKAGE_VERSION, "comments",
      _("A console for the supervisors, quality-control staff and feedback department of a city "
         "contact center."),
      "website", "https://citydesk.org", "issue-url", "https://citydesk.org/issues", "developers",
      developers,
      /* Translators: Replace "translator-credits" with your names, one name per line. */
      "translator-credits", _("translator-credits"), "copyright", "© 2026 The Citydesk developers",
      "license-type", GTK_LICENSE_GPL_3_0, NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* From a notification: the window, at the named dashboard. */
static void
show_page_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  CdApplication *self = user_data;
  CdWindow *window = get_window (self);

  if (window == NULL)
    window = cd_application_new_window (self);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-page", parameter);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "show-page", show_page_action, "s" },
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "help", help_action },
  { "about", about_action },
};

/* g_settings_new() aborts without its schema: say instead what to do. */
static gboolean
schema_is_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  return schema != NULL;
}

static gint
cd_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      printf ("citydesk %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!schema_is_installed ())
    {
      /* Translators: %s is the settings schema's id. */
      g_autofree char
          *message = g_strdup_printf (_("The settings schema %s is not installed: run "
                                         "“meson install”, run Citydesk through “meson "
                                         "devenv -C _build”, or set GSETTINGS_SCHEMA_DIR "
                                         "to a directory with its compiled schema (the "
                                         "build’s data/)"),
                                      APP_ID);

      fprintf (stderr, "citydesk: %s\n", message);
      return 1;
    }
  if (g_variant_dict_contains (options, "demo"))
    CD_APPLICATION (application)->demo_requested = TRUE;

  return -1;
}

static void
cd_application_startup (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);

  G_APPLICATION_CLASS (cd_application_parent_class)->startup (application);

  /* Here rather than in init: "--version" and "--help" must work where the
   * schema is not installed. */
  self->settings = g_settings_new (APP_ID);
  if (self->demo_requested)
    g_settings_set_boolean (self->settings, "demo", TRUE);
  self->session = cd_session_new (self->settings);
  /* Before any window: the last server's cache is open when the first
   * window asks for it, and the sync is on its way. */
  self->context = cd_context_new (self->session);
  cd_session_resume (self->session, self->demo_requested);
  self->notifier = cd_breach_notifier_new (application, self->context);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

static void
cd_application_activate (GApplication *application)
{
  CdApplication *self = CD_APPLICATION (application);
  CdWindow *window = get_window (self);

  if (window == NULL)
    window = cd_application_new_window (self);

  gtk_window_present (GTK_WINDOW (window));
}

static void
cd_application_dispose (GObject *object)
{
  CdApplication *self = CD_APPLICATION (object);

  g_clear_object (&self->notifier);
  g_clear_object (&self->context);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cd_application_parent_class)->dispose (object);
}

static void
cd_application_class_init (CdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cd_application_dispose;

  app_class->handle_local_options = cd_application_handle_local_options;
  app_class->startup = cd_application_startup;
  app_class->activate = cd_application_activate;
}

static void
cd_application_init (CdApplication *self)
{
  const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Try Citydesk on a demo city served from this computer"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (
      G_APPLICATION (self), _("Queue load, overdue tickets, call recordings, complaints and "
                               "callbacks of a city contact center."));
}

CdApplication *
cd_application_new (void)
{
  return g_object_new (CD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/citydesk/Citydesk",
                       NULL);
}

GSettings *
cd_application_get_settings (CdApplication *self)
{
  g_return_val_if_fail (CD_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * cd_application_get_session:
 * @self: a #CdApplication
 *
 * Returns: (transfer none): the link to the server: login, cache and sync
 */
CdSession *
cd_application_get_session (CdApplication *self)
{
  g_return_val_if_fail (CD_IS_APPLICATION (self), NULL);

  return self->session;
}

/**
 * cd_application_get_store:
 * @self: a #CdApplication
 *
 * The local cache of the server the session follows (the store creates the
 * file with mode 0600: it holds residents' personal data).
 *
 * Returns: (transfer none) (nullable): the cache, %NULL before a server is
 *   chosen
 */
CdStore *
cd_application_get_store (CdApplication *self)
{
  g_return_val_if_fail (CD_IS_APPLICATION (self), NULL);

  return self->session != NULL ? cd_session_get_store (self->session) : NULL;
}

/**
 * cd_application_new_window:
 * @self: a #CdApplication
 *
 * Returns: (transfer full): a new main window on the application's
 *   settings and context
 */
CdWindow *
cd_application_new_window (CdApplication *self)
{
  g_return_val_if_fail (CD_IS_APPLICATION (self), NULL);

  return cd_window_new (GTK_APPLICATION (self), self->settings, self->context);
}

/**
 * cd_application_get_context:
 * @self: a #CdApplication
 *
 * Returns: (transfer none) (nullable): what the windows hand down to their
 *   dashboards; %NULL before startup
 */
CdContext *
cd_application_get_context (CdApplication *self)
{
  g_return_val_if_fail (CD_IS_APPLICATION (self), NULL);

  return self->context;
}

