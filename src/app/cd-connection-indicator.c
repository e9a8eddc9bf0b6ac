// SPDX-License-Identifier: GPL-3.0-or-later
//
// The connection state in the header bar: an icon and words, never colour
// alone, and a tooltip that says what the state means for the user's work.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-connection-indicator.h"
#include "cd-net-enums.h"

struct _CdConnectionIndicator
{
  GtkWidget          parent_instance;

  CdConnectionState  state;
  GDateTime         *offline_since;
  const char        *css_class;

  GtkWidget         *box;
  GtkImage          *icon;
  GtkLabel          *label;
  GtkProgressBar    *progress;
  GtkLabel          *pending;

  gint64             done;
  gint64             total;
  guint              n_pending;
  char              *last_error;
};

G_DEFINE_FINAL_TYPE (CdConnectionIndicator, cd_connection_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_COMPACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * cd_connection_display_init:
 * @display: (out caller-allocates): the display to fill
 * @state: the connection state
 * @offline_since: (nullable): when the connection was lost, for
 *   %CD_CONNECTION_STATE_OFFLINE
 *
 * Free with cd_connection_display_clear().
 */
void
cd_connection_display_init (CdConnectionDisplay *display,
                            CdConnectionState    state,
                            GDateTime           *offline_since)
{
  g_return_if_fail (display != NULL);

  display->css_class = NULL;

  switch (state)
    {
    case CD_CONNECTION_STATE_CONNECTING:
      display->icon_name = "network-idle-symbolic";
      display->label = g_strdup (_("Connecting…"));
      display->tooltip = g_strdup (_("Connecting to the server"));
      break;

    case CD_CONNECTION_STATE_SYNCING:
      display->icon_name = "emblem-synchronizing-symbolic";
      display->label = g_strdup (_("Syncing"));
      display->tooltip = g_strdup (_("Connected; catching up with the latest changes"));
      break;

    case CD_CONNECTION_STATE_ONLINE:
      display->icon_name = "network-transmit-receive-symbolic";
      display->label = g_strdup (_("Online"));
      display->tooltip = g_strdup (_("Connected and up to date"));
      break;

    case CD_CONNECTION_STATE_OFFLINE:
      display->icon_name = "network-offline-symbolic";
      display->css_class = "offline";
      if (offline_since != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (offline_since);
          g_autofree char *time = g_date_time_format (local, "%H:%M");

          /* Translators: %s is a time of day, such as 14:05. */
          display->label = g_strdup_printf (_("Offline since %s"), time);
        }
      else
        display->label = g_strdup (_("Offline"));
      display->tooltip = g_strdup (
          _("The server cannot be reached. What is shown comes from this computer’s copy; actions "
             "wait and are sent when the server is back."));
      break;

    case CD_CONNECTION_STATE_NOT_CONFIGURED:
    default:
      display->icon_name = "network-offline-symbolic";
      display->label = g_strdup (_("Not connected"));
      display->tooltip = g_strdup (_("Citydesk is not connected to a server yet"));
      break;
    }
}

void
cd_connection_display_clear (CdConnectionDisplay *display)
{
  g_clear_pointer (&display->label, g_free);
  g_clear_pointer (&display->tooltip, g_free);
}

static void
update (CdConnectionIndicator *self)
{
  g_auto(CdConnectionDisplay) display = { 0 };
  g_autoptr(GString) tooltip = NULL;
  gboolean syncing;

  cd_connection_display_init (&display, self->state, self->offline_since);

  gtk_image_set_from_icon_name (self->icon, display.icon_name);
  gtk_label_set_label (self->label, display.label);

  /* The first sync of a large city takes a while: show how far it got. */
  syncing = self->state == CD_CONNECTION_STATE_SYNCING && self->total > 0 &&
            self->done < self->total;
  gtk_widget_set_visible (GTK_WIDGET (self->progress), syncing);
  if (syncing)
    gtk_progress_bar_set_fraction (self->progress, (double) self->done / (double) self->total);

  tooltip = g_string_new (display.tooltip);
  if (syncing)
    {
      g_autofree char *done = g_strdup_printf ("%" G_GINT64_FORMAT, self->done);
      g_autofree char *total = g_strdup_printf ("%" G_GINT64_FORMAT, self->total);

      g_string_append_c (tooltip, '\n');
      /* Translators: the counts of events received and expected. */
      g_string_append_printf (tooltip, _("%s of %s events received"), done, total);
    }
  if (self->n_pending > 0)
    {
      g_autofree char *pending = NULL;

      /* Translators: actions taken while offline, waiting to be sent. */
      pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u action waiting to be sent",
                                              "%u actions waiting to be sent", self->n_pending),
                                 self->n_pending);
      g_string_append_printf (tooltip, "\n%s", pending);
      g_clear_pointer (&pending, g_free);
      /* Translators: a short count in the header bar, e.g. "3 pending". */
      pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pending", "%u pending",
                                              self->n_pending),
                                 self->n_pending);
      gtk_label_set_label (self->pending, pending);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->pending), self->n_pending > 0);
  if (self->last_error != NULL && self->state == CD_CONNECTION_STATE_OFFLINE)
    g_string_append_printf (tooltip, "\n%s", self->last_error);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip->str);

  if (self->css_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->css_class);
  self->css_class = display.css_class;
  if (self->css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), self->css_class);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, display.label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip->str,
                                  -1);
}

static void
cd_connection_indicator_dispose (GObject *object)
{
  CdConnectionIndicator *self = CD_CONNECTION_INDICATOR (object);

  g_clear_pointer (&self->offline_since, g_date_time_unref);
  g_clear_pointer (&self->last_error, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_CONNECTION_INDICATOR);

  G_OBJECT_CLASS (cd_connection_indicator_parent_class)->dispose (object);
}

static void
cd_connection_indicator_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CdConnectionIndicator *self = CD_CONNECTION_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_COMPACT:
      g_value_set_boolean (value, !gtk_widget_get_visible (GTK_WIDGET (self->label)));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_connection_indicator_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  CdConnectionIndicator *self = CD_CONNECTION_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      cd_connection_indicator_set_compact (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_connection_indicator_class_init (CdConnectionIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_connection_indicator_dispose;
  object_class->get_property = cd_connection_indicator_get_property;
  object_class->set_property = cd_connection_indicator_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       CD_TYPE_CONNECTION_STATE, CD_CONNECTION_STATE_NOT_CONFIGURED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* On a narrow window only the icon is shown; the tooltip and the
   * accessible label still carry the words. */
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_css_name (widget_class, "connectionindicator");
  gtk_widget_class_set_template_from_resource (
      widget_class, "/org/citydesk/Citydesk/ui/cd-connection-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, CdConnectionIndicator, box);
  gtk_widget_class_bind_template_child (widget_class, CdConnectionIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, CdConnectionIndicator, label);
  gtk_widget_class_bind_template_child (widget_class, CdConnectionIndicator, progress);
  gtk_widget_class_bind_template_child (widget_class, CdConnectionIndicator, pending);
}

static void
cd_connection_indicator_init (CdConnectionIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

CdConnectionState
cd_connection_indicator_get_state (CdConnectionIndicator *self)
{
  g_return_val_if_fail (CD_IS_CONNECTION_INDICATOR (self), CD_CONNECTION_STATE_NOT_CONFIGURED);

  return self->state;
}

/**
 * cd_connection_indicator_set_state:
 * @self: a #CdConnectionIndicator
 * @state: the connection state
 * @offline_since: (nullable): when the connection was lost
 */
void
cd_connection_indicator_set_state (CdConnectionIndicator *self,
                                   CdConnectionState      state,
                                   GDateTime             *offline_since)
{
  gboolean changed;

  g_return_if_fail (CD_IS_CONNECTION_INDICATOR (self));

  changed = self->state != state;

  if (offline_since != NULL)
    g_date_time_ref (offline_since);
  g_clear_pointer (&self->offline_since, g_date_time_unref);
  self->offline_since = offline_since;
  self->state = state;

  update (self);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
cd_connection_indicator_get_label (CdConnectionIndicator *self)
{
  g_return_val_if_fail (CD_IS_CONNECTION_INDICATOR (self), NULL);

  return gtk_label_get_label (self->label);
}

void
cd_connection_indicator_set_compact (CdConnectionIndicator *self,
                                     gboolean               compact)
{
  g_return_if_fail (CD_IS_CONNECTION_INDICATOR (self));

  compact = !!compact;
  if (gtk_widget_get_visible (GTK_WIDGET (self->label)) == !compact)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->label), !compact);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

/**
 * cd_connection_indicator_set_progress:
 * @done: events received so far
 * @total: events the server has; 0 when unknown
 */
void
cd_connection_indicator_set_progress (CdConnectionIndicator *self,
                                      gint64                 done,
                                      gint64                 total)
{
  g_return_if_fail (CD_IS_CONNECTION_INDICATOR (self));

  self->done = done;
  self->total = total;
  update (self);
}

/**
 * cd_connection_indicator_set_pending:
 * @n_pending: actions in the outbox, not yet accepted by the server
 * @last_error: (nullable): why the last attempt to reach the server failed
 */
void
cd_connection_indicator_set_pending (CdConnectionIndicator *self,
                                     guint                  n_pending,
                                     const char            *last_error)
{
  g_return_if_fail (CD_IS_CONNECTION_INDICATOR (self));

  self->n_pending = n_pending;
  g_free (self->last_error);
  self->last_error = g_strdup (last_error);
  update (self);
}
