// SPDX-License-Identifier: GPL-3.0-or-later
//
// The executor league table over a chosen period, with CSV export. The
// figures come from a CdLeagueSource, read off the main loop; this only
// lays them out.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-format.h"
#include "cd-league-source.h"
#include "cd-league-window.h"
#include "cd-store-league.h"
#include "cd-store-reference.h"

#define N_COLUMNS 7
#define DEFAULT_WIDTH 820
#define MAX_DEFAULT_WIDTH 1280

struct _CdLeagueWindow
{
  AdwWindow             parent_instance;

  CdLeagueSource       *source;
  GPtrArray            *rows;
  GtkGrid              *grid;
  GtkDropDown          *period;
  AdwToastOverlay      *toasts;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (CdLeagueWindow, cd_league_window, ADW_TYPE_WINDOW)

static const guint periods[] = { 7, 30, 90, 365 };

static const char *
column_title (guint column)
{
  static const char *titles[N_COLUMNS] = {
    N_("Executor"), N_("Open"), N_("Overdue"), N_("Resolved"), N_("On time"), N_("Reopened"),
    N_("Median to resolve"),
  };

  return _(titles[column]);
}

static char *
share_text (double share)
{
  return share < 0 ? g_strdup ("—") : g_strdup_printf ("%.0f%%", share * 100);
}

/* The window opens wide enough for the whole table in the reader's
 * language, up to the width of a small screen; once shown, its size is
 * the user's. */
static void
fit_width (CdLeagueWindow *self)
{
  int natural, width, height;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  gtk_widget_measure (GTK_WIDGET (self->grid), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL,
                      NULL);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* The slack is for a vertical scroll bar that does not overlay. */
  gtk_window_set_default_size (GTK_WINDOW (self), CLAMP (natural + 24, width, MAX_DEFAULT_WIDTH),
                               height);
}

static void
fill (CdLeagueWindow *self)
{
  CdStore *store = cd_context_get_store (cd_source_get_context (CD_SOURCE (self->source)));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  if (cd_league_source_get_rows (self->source) == NULL)
    return;
  self->rows = g_ptr_array_ref (cd_league_source_get_rows (self->source));

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkWidget *label = gtk_label_new (column_title (c));

      gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
      gtk_label_set_justify (GTK_LABEL (label), c == 0 ? GTK_JUSTIFY_LEFT : GTK_JUSTIFY_RIGHT);
      /* On a window too narrow for the table, a heading wraps (and the
       * table scrolls sideways) rather than being cut by the edge. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
      gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (self->grid, label, c, 0, 1, 1);
    }

  for (guint r = 0; r < self->rows->len; r++)
    {
      CdLeagueRow *row = g_ptr_array_index (self->rows, r);
      g_autofree char *cells[N_COLUMNS] = { NULL };

      cells[0] = g_strdup (cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, row->executor));
      cells[1] = g_strdup_printf ("%" G_GINT64_FORMAT, row->open);
      cells[2] = g_strdup_printf ("%" G_GINT64_FORMAT, row->overdue);
      cells[3] = g_strdup_printf ("%" G_GINT64_FORMAT, row->resolved);
      cells[4] = share_text (cd_league_row_on_time (row));
      cells[5] = share_text (cd_league_row_reopen_rate (row));
      cells[6] = row->median_resolve >= 0 ? cd_format_duration (row->median_resolve)
                                          : g_strdup ("—");
      for (guint c = 0; c < N_COLUMNS; c++)
        {
          GtkWidget *label = gtk_label_new (cells[c]);

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0 : 1);
          if (c > 0)
            gtk_widget_add_css_class (label, "numeric");
          if (c == 2 && row->overdue > 0)
            gtk_widget_add_css_class (label, "error");
          if (c == 0 && g_strcmp0 (cells[0], row->executor) != 0)
            gtk_widget_set_tooltip_text (label, row->executor);
          gtk_grid_attach (self->grid, label, c, r + 1, 1, 1);
          g_free (cells[c]);
          cells[c] = NULL;
        }
    }

  fit_width (self);
}

static void
on_period_changed (CdLeagueWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->period);

  if (self->source == NULL)
    return;
  if (selected < G_N_ELEMENTS (periods))
    cd_league_window_set_period (self, periods[selected]);
}

static void
on_chooser_response (CdLeagueWindow *self,
                     int             response)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT && file != NULL && self->rows != NULL &&
      !cd_league_write_csv (self->rows, file, &error))
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
  g_clear_object (&self->chooser);
}

static void
on_export_clicked (CdLeagueWindow *self)
{
  self->chooser = gtk_file_chooser_native_new (_("Export the League Table"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  /* Translators: the default file name of the exported league table. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("executor-league.csv"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
cd_league_window_set_period (CdLeagueWindow *self,
                             guint           days)
{
  g_return_if_fail (CD_IS_LEAGUE_WINDOW (self));

  cd_league_source_set_days (self->source, days);
}

/* Returns: whether the table waits for its figures. */
gboolean
cd_league_window_get_loading (CdLeagueWindow *self)
{
  g_return_val_if_fail (CD_IS_LEAGUE_WINDOW (self), FALSE);

  return cd_source_get_loading (CD_SOURCE (self->source)) ||
         !cd_source_get_ready (CD_SOURCE (self->source));
}

guint
cd_league_window_get_n_rows (CdLeagueWindow *self)
{
  g_return_val_if_fail (CD_IS_LEAGUE_WINDOW (self), 0);
  return self->rows != NULL ? self->rows->len : 0;
}

/**
 * cd_league_window_get_cell:
 * @row: 0 for the header
 *
 * Returns: (nullable): the text shown in a cell
 */
const char *
cd_league_window_get_cell (CdLeagueWindow *self,
                           guint           row,
                           guint           column)
{
  GtkWidget *label;

  g_return_val_if_fail (CD_IS_LEAGUE_WINDOW (self), NULL);
  label = gtk_grid_get_child_at (self->grid, column, row);
  return GTK_IS_LABEL (label) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static void
cd_league_window_dispose (GObject *object)
{
  CdLeagueWindow *self = CD_LEAGUE_WINDOW (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cd_league_window_parent_class)->dispose (object);
}

static void
cd_league_window_class_init (CdLeagueWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_league_window_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
cd_league_window_init (CdLeagueWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-symbolic");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  const char *labels[] = { N_("Last 7 days"), N_("Last 30 days"), N_("Last 90 days"),
                           N_("Last 365 days"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint i = 0; labels[i] != NULL; i++)
    gtk_string_list_append (model, _(labels[i]));
  self->period = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (model)), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->period),
                               _("The period resolved tickets are counted over"));
  g_signal_connect_object (self->period, "notify::selected", G_CALLBACK (on_period_changed), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), GTK_WIDGET (self->period));

  gtk_widget_set_tooltip_text (export, _("Export the table to CSV"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (export), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export the table to CSV"), -1);
  g_signal_connect_object (export, "clicked", G_CALLBACK (on_export_clicked), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), export);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Executor League"),
                                                         _("Best on-time share first")));
  gtk_box_append (GTK_BOX (box), header);

  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->grid, 24);
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self->grid), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->grid), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self->grid), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (self->grid), 18);
  /* Centred at its natural width: a clamp narrower than the table in
   * Kazakh would squeeze it. */
  gtk_widget_set_halign (GTK_WIDGET (self->grid), GTK_ALIGN_CENTER);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->grid));
  gtk_widget_set_vexpand (scrolled, TRUE);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, scrolled);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->toasts));

  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_title (GTK_WINDOW (self), _("Executor League"));
  gtk_window_set_default_size (GTK_WINDOW (self), DEFAULT_WIDTH, 560);
}

/**
 * cd_league_window_new:
 * @context: the cache and the moment the table is judged at
 */
CdLeagueWindow *
cd_league_window_new (CdContext *context)
{
  CdLeagueWindow *self;

  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  self = g_object_new (CD_TYPE_LEAGUE_WINDOW, NULL);
  self->source = cd_league_source_new (context);
  g_signal_connect_object (self->source, "changed", G_CALLBACK (fill), self, G_CONNECT_SWAPPED);
  gtk_drop_down_set_selected (self->period, 1);
  cd_league_window_set_period (self, periods[1]);
  return self;
}
