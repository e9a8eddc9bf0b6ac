// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "cd-preferences-window.h"
#include "cd-server-url.h"

struct _CdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwEntryRow          *server_url_row;
  GtkLabel             *server_url_error;
  AdwComboRow          *style_row;
};

G_DEFINE_FINAL_TYPE (CdPreferencesWindow, cd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_url_error (CdPreferencesWindow *self,
                const char          *message)
{
  gtk_label_set_label (self->server_url_error, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->server_url_error), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->server_url_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->server_url_row), "error");
}

static void
on_server_url_changed (CdPreferencesWindow *self)
{
  show_url_error (self, NULL);
}

/* The address is saved only once it is valid: a half-typed address must
 * never become the one the app connects to. */
static void
on_server_url_apply (CdPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = cd_server_url_normalize (gtk_editable_get_text (GTK_EDITABLE (self->server_url_row)),
                                 &error);
  if (url == NULL)
    {
      show_url_error (self, error->message);
      return;
    }

  g_settings_set_string (self->settings, "server-url", url);
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), url);
  show_url_error (self, NULL);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Server address saved")));
}

static gboolean
style_get_mapping (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  GSettings *settings = user_data;

  g_value_set_uint (value, g_settings_get_enum (settings, "color-scheme"));
  return TRUE;
}

static GVariant *
style_set_mapping (const GValue       *value,
                   const GVariantType *expected_type,
                   gpointer            user_data)
{
  static const char * const nicks[] = { "default", "light", "dark" };
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (nicks))
    return NULL;
  return g_variant_new_string (nicks[selected]);
}

static void
cd_preferences_window_constructed (GObject *object)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);
  g_autofree char *url = NULL;

  G_OBJECT_CLASS (cd_preferences_window_parent_class)->constructed (object);

  url = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), url);
  show_url_error (self, NULL);

  g_settings_bind_with_mapping (self->settings, "color-scheme",
                                self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                style_get_mapping, style_set_mapping,
                                self->settings, NULL);
}

static void
cd_preferences_window_dispose (GObject *object)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (cd_preferences_window_parent_class)->dispose (object);
}

static void
cd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CdPreferencesWindow *self = CD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_preferences_window_class_init (CdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cd_preferences_window_constructed;
  object_class->dispose = cd_preferences_window_dispose;
  object_class->set_property = cd_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
      widget_class, "/org/citydesk/Citydesk/ui/cd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, server_url_error);
  gtk_widget_class_bind_template_child (widget_class, CdPreferencesWindow, style_row);
  gtk_widget_class_bind_template_callback (widget_class, on_server_url_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_server_url_changed);
}

static void
cd_preferences_window_init (CdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CdPreferencesWindow *
cd_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (CD_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
