// SPDX-License-Identifier: GPL-3.0-or-later
//
// The first-run page: connect to a server, or try the demo. It only
// collects what the person typed and says how it went; the window does the
// connecting (CdWindow owns the session).

#include "config.h"

#include <glib/gi18n.h>

#include "cd-server-url.h"
#include "cd-welcome-page.h"

struct _CdWelcomePage
{
  AdwBin       parent_instance;

  AdwEntryRow *url_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  GtkLabel    *error_label;
  GtkBox      *status_box;
  GtkLabel    *status_label;
  GtkSpinner  *spinner;
  GtkButton   *connect_button;
  GtkButton   *demo_button;

  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (CdWelcomePage, cd_welcome_page, ADW_TYPE_BIN)

enum {
  CONNECT,
  TRY_DEMO,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
fields_complete (CdWelcomePage *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *user = gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  return *url != '\0' && *user != '\0' && *password != '\0';
}

static void
update_sensitivity (CdWelcomePage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            !self->busy && fields_complete (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !self->busy);
}

static void
on_field_changed (CdWelcomePage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->url_row), "error");
  update_sensitivity (self);
}

static void
on_connect_clicked (CdWelcomePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (self->busy || !fields_complete (self))
    return;

  /* Said here, before any network: "citydesk.example.org" is fine, "ftp://" is not. */
  url = cd_server_url_normalize (text, &error);
  if (url == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->url_row), "error");
      cd_welcome_page_set_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  g_signal_emit (self, signals[CONNECT], 0, url,
                 gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                 gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
on_entry_activated (CdWelcomePage *self,
                    AdwEntryRow   *row)
{
  if (fields_complete (self))
    on_connect_clicked (self);
  else if (row == self->url_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
  else if (row == self->user_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_demo_clicked (CdWelcomePage *self)
{
  if (!self->busy)
    g_signal_emit (self, signals[TRY_DEMO], 0);
}

/**
 * cd_welcome_page_set_busy:
 * @status: (nullable): what is happening ("Starting the demo server…"), or
 *   %NULL when it is over
 */
void
cd_welcome_page_set_busy (CdWelcomePage *self,
                          const char    *status)
{
  g_return_if_fail (CD_IS_WELCOME_PAGE (self));

  self->busy = status != NULL;
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_box), self->busy);
  if (self->busy)
    gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_sensitivity (self);
}

/**
 * cd_welcome_page_set_error:
 * @message: (nullable): what went wrong, in words a person can act on
 */
void
cd_welcome_page_set_error (CdWelcomePage *self,
                           const char    *message)
{
  g_return_if_fail (CD_IS_WELCOME_PAGE (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
cd_welcome_page_set_server_url (CdWelcomePage *self,
                                const char    *url)
{
  g_return_if_fail (CD_IS_WELCOME_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

static void
cd_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CD_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (cd_welcome_page_parent_class)->dispose (object);
}

static void
cd_welcome_page_class_init (CdWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_welcome_page_dispose;

  /**
   * CdWelcomePage::connect:
   * @url: the normalized server URL
   * @user: the user name
   * @password: the password
   */
  signals[CONNECT] = g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                   G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[TRY_DEMO] = g_signal_new ("try-demo", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, url_row);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, user_row);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, password_row);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, CdWelcomePage, demo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_demo_clicked);
}

static void
cd_welcome_page_init (CdWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
