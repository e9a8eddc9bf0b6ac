// SPDX-License-Identifier: GPL-3.0-or-later
//
// A cell's shade is its average against the busiest cell's, in the
// style's accent colour, with the figure written in the cell when it fits:
// the number, not the shade alone, is what a reader can rely on.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-call-heatmap-view.h"

#define LABEL_WIDTH 44
#define HEADER_HEIGHT 20
#define LEGEND_HEIGHT 26

struct _CdCallHeatmapView
{
  GtkWidget parent_instance;

  double    average[7][24];
  gboolean  has_data;
  guint     cursor_day;
  guint     cursor_hour;
};

G_DEFINE_FINAL_TYPE (CdCallHeatmapView, cd_call_heatmap_view, GTK_TYPE_WIDGET)

/* Monday first, as the store counts them. */
static const char * const weekdays[7] = {
  N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
};
static const char * const weekday_names[7] = {
  N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
  N_("Sunday"),
};

static double
busiest (CdCallHeatmapView *self)
{
  double max = 0;

  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      max = MAX (max, self->average[d][h]);
  return max;
}

static void
get_colors (GtkWidget *widget,
            GdkRGBA   *fg,
            GdkRGBA   *accent)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
append_text (GtkSnapshot *snapshot,
             GtkWidget   *widget,
             const char  *text,
             double       x,
             double       y,
             double       xalign,
             const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * width, y - height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
cd_call_heatmap_view_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  CdCallHeatmapView *self = CD_CALL_HEATMAP_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double cell_w = (width - LABEL_WIDTH) / 24;
  double cell_h = (height - HEADER_HEIGHT - LEGEND_HEIGHT) / 7;
  double max = busiest (self);
  GdkRGBA fg, accent, white = { 1, 1, 1, 1 };

  if (cell_w < 4 || cell_h < 4)
    return;
  get_colors (widget, &fg, &accent);

  for (guint h = 0; h < 24; h += 3)
    {
      g_autofree char *hour = g_strdup_printf ("%02u", h);

      append_text (snapshot, widget, hour, LABEL_WIDTH + h * cell_w + cell_w / 2,
                   HEADER_HEIGHT / 2.0, 0.5, &fg);
    }
  for (guint d = 0; d < 7; d++)
    {
      append_text (snapshot, widget, _(weekdays[d]), LABEL_WIDTH - 6,
                   HEADER_HEIGHT + (d + 0.5) * cell_h, 1, &fg);
      for (guint h = 0; h < 24; h++)
        {
          double share = max > 0 ? self->average[d][h] / max : 0;
          GdkRGBA shade = accent;
          graphene_rect_t cell = GRAPHENE_RECT_INIT (LABEL_WIDTH + h * cell_w + 1,
                                                     HEADER_HEIGHT + d * cell_h + 1, cell_w - 2,
                                                     cell_h - 2);

          /* Empty cells keep a faint outline of the grid. */
          shade.alpha = 0.06 + 0.94 * share;
          gtk_snapshot_append_color (snapshot, &shade, &cell);
          if (self->has_data && cell_w >= 22)
            {
              g_autofree char *figure = g_strdup_printf ("%.0f", self->average[d][h]);

              append_text (snapshot, widget, figure, cell.origin.x + cell.size.width / 2,
                           cell.origin.y + cell.size.height / 2, 0.5,
                           share > 0.5 ? &white : &fg);
            }
          if (gtk_widget_has_focus (widget) && d == self->cursor_day && h == self->cursor_hour)
            {
              GskRoundedRect outline;
              GdkRGBA colors[4] = { fg, fg, fg, fg };
              float widths[4] = { 2, 2, 2, 2 };

              gsk_rounded_rect_init_from_rect (&outline, &cell, 0);
              gtk_snapshot_append_border (snapshot, &outline, widths, colors);
            }
        }
    }

  /* The legend: from none to the busiest cell's average. */
  {
    double y = HEADER_HEIGHT + 7 * cell_h + LEGEND_HEIGHT / 2.0;
    g_autofree char *top = g_strdup_printf (_("%.0f calls an hour"), max);

    append_text (snapshot, widget, "0", LABEL_WIDTH, y, 0, &fg);
    for (guint i = 0; i < 10; i++)
      {
        GdkRGBA shade = accent;

        shade.alpha = 0.06 + 0.94 * i / 9.0;
        gtk_snapshot_append_color (snapshot, &shade,
                                   &GRAPHENE_RECT_INIT (LABEL_WIDTH + 16 + i * 14, y - 6, 14, 12));
      }
    append_text (snapshot, widget, top, LABEL_WIDTH + 16 + 10 * 14 + 6, y, 0, &fg);
  }
}

static void
cd_call_heatmap_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_WIDTH + 24 * 8;
      *natural = LABEL_WIDTH + 24 * 26;
    }
  else
    {
      *minimum = HEADER_HEIGHT + LEGEND_HEIGHT + 7 * 14;
      *natural = HEADER_HEIGHT + LEGEND_HEIGHT + 7 * 22;
    }
}

/**
 * cd_call_heatmap_view_describe:
 * @self: a #CdCallHeatmapView
 * @weekday: Monday = 0
 * @hour: of the local day
 *
 * Returns: (transfer full): the cell in words
 */
char *
cd_call_heatmap_view_describe (CdCallHeatmapView *self,
                               guint              weekday,
                               guint              hour)
{
  g_return_val_if_fail (CD_IS_CALL_HEATMAP_VIEW (self), NULL);
  g_return_val_if_fail (weekday < 7 && hour < 24, NULL);

  /* Translators: a cell of the peak-hours heatmap: "Monday 09:00–10:00:
   * 12.5 calls on average". */
  return g_strdup_printf (_("%s %02u:00–%02u:00: %.1f calls on average"),
                          _(weekday_names[weekday]), hour, (hour + 1) % 24,
                          self->average[weekday][hour]);
}

static gboolean
cell_at (CdCallHeatmapView *self,
         double             x,
         double             y,
         guint             *day,
         guint             *hour)
{
  double cell_w = (gtk_widget_get_width (GTK_WIDGET (self)) - LABEL_WIDTH) / 24;
  double cell_h = (gtk_widget_get_height (GTK_WIDGET (self)) - HEADER_HEIGHT - LEGEND_HEIGHT) / 7;

  if (x < LABEL_WIDTH || y < HEADER_HEIGHT || cell_w <= 0 || cell_h <= 0)
    return FALSE;
  *hour = (guint) ((x - LABEL_WIDTH) / cell_w);
  *day = (guint) ((y - HEADER_HEIGHT) / cell_h);
  return *hour < 24 && *day < 7;
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  CdCallHeatmapView *self = CD_CALL_HEATMAP_VIEW (widget);
  g_autofree char *text = NULL;
  guint day = self->cursor_day, hour = self->cursor_hour;

  if (!keyboard_mode && !cell_at (self, x, y, &day, &hour))
    return FALSE;
  text = cd_call_heatmap_view_describe (self, day, hour);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
move_cursor (CdCallHeatmapView *self,
             int                days,
             int                hours)
{
  g_autofree char *text = NULL;

  self->cursor_day = (self->cursor_day + 7 + days) % 7;
  self->cursor_hour = (self->cursor_hour + 24 + hours) % 24;
  text = cd_call_heatmap_view_describe (self, self->cursor_day, self->cursor_hour);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CdCallHeatmapView     *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
      move_cursor (self, 0, -1);
      return TRUE;
    case GDK_KEY_Right:
      move_cursor (self, 0, 1);
      return TRUE;
    case GDK_KEY_Up:
      move_cursor (self, -1, 0);
      return TRUE;
    case GDK_KEY_Down:
      move_cursor (self, 1, 0);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
cd_call_heatmap_view_class_init (CdCallHeatmapViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = cd_call_heatmap_view_snapshot;
  widget_class->measure = cd_call_heatmap_view_measure;
  widget_class->query_tooltip = on_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "call-heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cd_call_heatmap_view_init (CdCallHeatmapView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (self, "notify::has-focus", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Peak hours: calls by weekday and hour"), -1);
}

GtkWidget *
cd_call_heatmap_view_new (void)
{
  return g_object_new (CD_TYPE_CALL_HEATMAP_VIEW, NULL);
}

/**
 * cd_call_heatmap_view_set_data:
 * @self: a #CdCallHeatmapView
 * @offered: calls offered per weekday (Monday = 0) and hour, over a period
 * @days: how many of each weekday the period holds
 *
 * Shows the averages per day.
 */
void
cd_call_heatmap_view_set_data (CdCallHeatmapView *self,
                               const guint        offered[7][24],
                               const guint        days[7])
{
  g_return_if_fail (CD_IS_CALL_HEATMAP_VIEW (self));

  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      self->average[d][h] = days[d] > 0 ? (double) offered[d][h] / days[d] : 0;
  self->has_data = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
cd_call_heatmap_view_get_average (CdCallHeatmapView *self,
                                  guint              weekday,
                                  guint              hour)
{
  g_return_val_if_fail (CD_IS_CALL_HEATMAP_VIEW (self), 0);
  g_return_val_if_fail (weekday < 7 && hour < 24, 0);

  return self->average[weekday][hour];
}
