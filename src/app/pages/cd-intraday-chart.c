// SPDX-License-Identifier: GPL-3.0-or-later
//
// Bars and axes are snapshot rectangles; the forecast and the operators'
// steps are cairo paths inside the snapshot. Colours are the style's named
// colours, looked up at each draw, so that the light and dark styles both
// read; each series also differs by shape (bar, dashed line, step), so
// that colour is never the only cue.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cd-intraday-chart.h"

#define MARGIN_LEFT 44
#define MARGIN_RIGHT 40
#define MARGIN_TOP 8
#define LEGEND_LINE 22
#define MARGIN_BOTTOM 24

struct _CdIntradayChart
{
  GtkWidget  parent_instance;

  GArray    *points;     /* CdIntradayPoint */
  gint64     now;
  guint      selected;   /* the interval the keyboard is on */
};

G_DEFINE_FINAL_TYPE (CdIntradayChart, cd_intraday_chart, GTK_TYPE_WIDGET)

enum {
  SERIES_OFFERED,
  SERIES_ANSWERED,
  SERIES_ABANDONED,
  SERIES_FORECAST,
  SERIES_NEEDED,
  SERIES_STAFFED,
  N_SERIES
};

static const struct {
  const char *title;
  const char *color;     /* the style's named colour */
  const char *fallback;
} series[N_SERIES] = {
  [SERIES_OFFERED] = { N_("Offered"), "blue_2", "#62a0ea" },
  [SERIES_ANSWERED] = { N_("Answered"), "blue_4", "#1c71d8" },
  [SERIES_ABANDONED] = { N_("Abandoned"), "red_3", "#e01b24" },
  [SERIES_FORECAST] = { N_("Forecast"), "orange_3", "#ff7800" },
  [SERIES_NEEDED] = { N_("Operators needed"), "purple_3", "#9141ac" },
  [SERIES_STAFFED] = { N_("Operators logged in"), NULL, NULL },
};

static void
lookup_color (GtkWidget  *widget,
              guint       which,
              GdkRGBA    *rgba)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (series[which].color == NULL)
    gtk_style_context_get_color (style, rgba);
  else if (!gtk_style_context_lookup_color (style, series[which].color, rgba))
    gdk_rgba_parse (rgba, series[which].fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static const CdIntradayPoint *
point_at (CdIntradayChart *self,
          guint            index)
{
  return &g_array_index (self->points, CdIntradayPoint, index);
}

/* A round top for an axis: 1, 2 or 5 times a power of ten. */
static double
nice_ceiling (double value)
{
  double power;

  if (!(value > 0))
    return 1;
  power = pow (10, floor (log10 (value)));
  for (guint i = 0; i < 3; i++)
    {
      static const double steps[] = { 1, 2, 5 };

      if (value <= steps[i] * power)
        return steps[i] * power;
    }
  return 10 * power;
}

/* Four gridlines a scale, at whole numbers: calls and operators are
 * counted, not measured. */
static double
axis_top (double value)
{
  return 4 * MAX (1, nice_ceiling (value / 4));
}

static void
scales (CdIntradayChart *self,
        double          *calls_top,
        double          *agents_top,
        gboolean        *has_agents)
{
  double calls = 0, agents = 0;

  *has_agents = FALSE;
  for (guint i = 0; i < self->points->len; i++)
    {
      const CdIntradayPoint *p = point_at (self, i);

      calls = MAX (calls, p->offered);
      if (!isnan (p->forecast))
        calls = MAX (calls, p->forecast);
      if (!isnan (p->needed))
        agents = MAX (agents, p->needed), *has_agents = TRUE;
      if (!isnan (p->staffed))
        agents = MAX (agents, p->staffed), *has_agents = TRUE;
    }
  *calls_top = axis_top (calls);
  *agents_top = axis_top (agents);
}

static void
append_text (GtkSnapshot *snapshot,
             GtkWidget   *widget,
             const char  *text,
             double       x,
             double       y,
             double       xalign,
             GdkRGBA     *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - xalign * width, y - height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* Draws the legend's entry at (*x, top) and moves *x past it; an entry
 * that would cross @right starts a new line, which moves *top down. */
static void
legend_entry (GtkSnapshot *snapshot,
              GtkWidget   *widget,
              guint        which,
              double      *x,
              double      *top,
              double       left,
              double       right,
              GdkRGBA     *fg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _(series[which].title));
  GdkRGBA color;
  int width, height;
  double y;

  pango_layout_get_pixel_size (layout, &width, &height);
  if (*x > left && *x + 22 + width > right)
    {
      *x = left;
      *top += LEGEND_LINE;
    }
  y = *top + LEGEND_LINE / 2.0;
  lookup_color (widget, which, &color);
  if (which <= SERIES_ABANDONED)
    gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (*x, y - 6, 12, 12));
  else
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot,
                                               &GRAPHENE_RECT_INIT (*x, y - 10, 18, 20));
      double dash[] = { 4, 3 };

      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, 2);
      if (which == SERIES_FORECAST)
        {
          cairo_set_dash (cr, dash, 2, 0);
          cairo_move_to (cr, *x, y);
          cairo_line_to (cr, *x + 18, y);
        }
      else
        {
          cairo_move_to (cr, *x, y + 4);
          cairo_line_to (cr, *x + 8, y + 4);
          cairo_line_to (cr, *x + 8, y - 4);
          cairo_line_to (cr, *x + 18, y - 4);
        }
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (*x + 22, y - height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, fg);
  gtk_snapshot_restore (snapshot);
  *x += 22 + width + 16;
}

static void
cd_intraday_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CdIntradayChart *self = CD_INTRADAY_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
  double plot_top = 0, plot_h;
  double calls_top, agents_top, slot, x;
  gboolean has_agents;
  GdkRGBA fg, grid, colors[N_SERIES];
  gint64 from, to;
  cairo_t *cr;

  if (plot_w < 40)
    return;
  lookup_color (widget, SERIES_STAFFED, &fg);
  grid = fg;
  grid.alpha *= 0.15;
  for (guint i = 0; i < N_SERIES; i++)
    lookup_color (widget, i, &colors[i]);

  /* The legend first: in a longer language it takes two lines. */
  x = MARGIN_LEFT;
  for (guint i = 0; i < N_SERIES; i++)
    legend_entry (snapshot, widget, i, &x, &plot_top, MARGIN_LEFT, width - MARGIN_RIGHT, &fg);
  plot_top += LEGEND_LINE + MARGIN_TOP;
  plot_h = height - plot_top - MARGIN_BOTTOM;

  if (self->points->len == 0 || plot_h < 40)
    return;
  scales (self, &calls_top, &agents_top, &has_agents);
  from = point_at (self, 0)->start;
  to = point_at (self, self->points->len - 1)->end;
  slot = plot_w / self->points->len;

  /* Gridlines and both axes' figures: calls on the left, operators on
   * the right. */
  for (guint i = 0; i <= 4; i++)
    {
      double y = plot_top + plot_h - plot_h * i / 4.0;
      g_autofree char *calls = g_strdup_printf ("%.0f", calls_top * i / 4.0);
      g_autofree char *agents = g_strdup_printf ("%.0f", agents_top * i / 4.0);

      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (MARGIN_LEFT, y, plot_w, 1));
      append_text (snapshot, widget, calls, MARGIN_LEFT - 6, y, 1, &fg);
      if (has_agents)
        append_text (snapshot, widget, agents, MARGIN_LEFT + plot_w + 6, y, 0,
                     &colors[SERIES_NEEDED]);
    }
  /* Hours along the bottom, every third. */
  for (gint64 t = from; t <= to; t += 3 * 3600)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (t);
      g_autofree char *label = g_date_time_format (time, "%H:%M");
      double hx = MARGIN_LEFT + plot_w * (t - from) / (double) (to - from);

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (hx, plot_top, 1, plot_h + 4));
      append_text (snapshot, widget, label, hx, plot_top + plot_h + 13, 0.5, &fg);
    }

  /* Now: the past is counted, the rest is forecast. */
  if (self->now > from && self->now < to)
    {
      double nx = MARGIN_LEFT + plot_w * (self->now - from) / (double) (to - from);
      GdkRGBA now_color = fg;

      now_color.alpha *= 0.5;
      gtk_snapshot_append_color (snapshot, &now_color,
                                 &GRAPHENE_RECT_INIT (nx, plot_top, 2, plot_h));
    }

  for (guint i = 0; i < self->points->len; i++)
    {
      const CdIntradayPoint *p = point_at (self, i);
      guint values[] = { p->offered, p->answered, p->abandoned };
      double bar = MAX (1, (slot - 2) / 3);

      if (i == self->selected && gtk_widget_has_focus (widget))
        {
          GdkRGBA focus = fg;

          focus.alpha *= 0.1;
          gtk_snapshot_append_color (snapshot, &focus,
                                     &GRAPHENE_RECT_INIT (MARGIN_LEFT + i * slot, plot_top,
                                                          slot, plot_h));
        }
      for (guint s = 0; s < G_N_ELEMENTS (values); s++)
        {
          double h = plot_h * values[s] / calls_top;

          if (values[s] == 0)
            continue;
          gtk_snapshot_append_color (snapshot, &colors[s],
                                     &GRAPHENE_RECT_INIT (MARGIN_LEFT + i * slot + 1 + s * bar,
                                                          plot_top + plot_h - h, bar, h));
        }
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 2);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  /* The forecast from the current interval on, through each interval's
   * middle. */
  {
    double dash[] = { 6, 4 };
    gboolean started = FALSE;

    cairo_set_dash (cr, dash, 2, 0);
    gdk_cairo_set_source_rgba (cr, &colors[SERIES_FORECAST]);
    for (guint i = 0; i < self->points->len; i++)
      {
        const CdIntradayPoint *p = point_at (self, i);
        double px = MARGIN_LEFT + (i + 0.5) * slot;
        double py;

        if (isnan (p->forecast) || p->end <= self->now)
          continue;
        py = plot_top + plot_h - plot_h * p->forecast / calls_top;
        if (started)
          cairo_line_to (cr, px, py);
        else
          cairo_move_to (cr, px, py);
        started = TRUE;
      }
    cairo_stroke (cr);
    cairo_set_dash (cr, NULL, 0, 0);
  }
  /* Operators as steps, one level per interval. */
  for (guint s = SERIES_NEEDED; s <= SERIES_STAFFED; s++)
    {
      gboolean started = FALSE;

      gdk_cairo_set_source_rgba (cr, &colors[s]);
      for (guint i = 0; i < self->points->len; i++)
        {
          const CdIntradayPoint *p = point_at (self, i);
          double value = s == SERIES_NEEDED ? p->needed : p->staffed;
          double py;

          if (isnan (value))
            {
              started = FALSE;
              continue;
            }
          py = plot_top + plot_h - plot_h * value / agents_top;
          if (started)
            cairo_line_to (cr, MARGIN_LEFT + i * slot, py);
          else
            cairo_move_to (cr, MARGIN_LEFT + i * slot, py);
          cairo_line_to (cr, MARGIN_LEFT + (i + 1) * slot, py);
          started = TRUE;
        }
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
cd_intraday_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 320;
      *natural = 720;
    }
  else
    {
      *minimum = 220;
      *natural = 260;
    }
}

/**
 * cd_intraday_chart_describe:
 * @self: a #CdIntradayChart
 * @index: an interval
 *
 * Returns: (transfer full): the interval's figures in words, as its tooltip
 *   and a screen reader say them
 */
char *
cd_intraday_chart_describe (CdIntradayChart *self,
                            guint            index)
{
  const CdIntradayPoint *p;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GString *text;

  g_return_val_if_fail (CD_IS_INTRADAY_CHART (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);

  p = point_at (self, index);
  start = g_date_time_new_from_unix_local (p->start);
  end = g_date_time_new_from_unix_local (p->end);
  from = g_date_time_format (start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");
  text = g_string_new (NULL);
  /* Translators: an interval of the day, "09:00–09:30". */
  g_string_append_printf (text, _("%s–%s"), from, to);
  g_string_append_c (text, '\n');
  /* Translators: the figures of an interval of the calls chart. */
  g_string_append_printf (text, _("Offered: %u, answered: %u, abandoned: %u"), p->offered,
                          p->answered, p->abandoned);
  if (!isnan (p->forecast))
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Forecast: %.1f calls"), p->forecast);
    }
  if (!isnan (p->needed) || !isnan (p->staffed))
    {
      g_autofree char *needed = isnan (p->needed) ? g_strdup ("—")
                                                  : g_strdup_printf ("%.0f", p->needed);
      g_autofree char *staffed = isnan (p->staffed) ? g_strdup ("—")
                                                    : g_strdup_printf ("%.1f", p->staffed);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Operators needed: %s, logged in: %s"), needed, staffed);
    }
  return g_string_free (text, FALSE);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  CdIntradayChart *self = CD_INTRADAY_CHART (widget);
  double plot_w = gtk_widget_get_width (widget) - MARGIN_LEFT - MARGIN_RIGHT;
  g_autofree char *text = NULL;
  guint index;

  if (self->points->len == 0 || plot_w <= 0)
    return FALSE;
  if (keyboard_mode)
    index = self->selected;
  else if (x < MARGIN_LEFT || x >= MARGIN_LEFT + plot_w)
    return FALSE;
  else
    index = (guint) ((x - MARGIN_LEFT) / plot_w * self->points->len);
  index = MIN (index, self->points->len - 1);
  text = cd_intraday_chart_describe (self, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
select_point (CdIntradayChart *self,
              guint            index)
{
  g_autofree char *text = NULL;

  if (self->points->len == 0)
    return;
  self->selected = MIN (index, self->points->len - 1);
  text = cd_intraday_chart_describe (self, self->selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CdIntradayChart       *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      select_point (self, self->selected > 0 ? self->selected - 1 : 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      select_point (self, self->selected + 1);
      return TRUE;
    case GDK_KEY_Home:
      select_point (self, 0);
      return TRUE;
    case GDK_KEY_End:
      select_point (self, G_MAXUINT);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
cd_intraday_chart_finalize (GObject *object)
{
  CdIntradayChart *self = CD_INTRADAY_CHART (object);

  g_array_unref (self->points);

  G_OBJECT_CLASS (cd_intraday_chart_parent_class)->finalize (object);
}

static void
cd_intraday_chart_class_init (CdIntradayChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cd_intraday_chart_finalize;
  widget_class->snapshot = cd_intraday_chart_snapshot;
  widget_class->measure = cd_intraday_chart_measure;
  widget_class->query_tooltip = on_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "intraday-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cd_intraday_chart_init (CdIntradayChart *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->points = g_array_new (FALSE, FALSE, sizeof (CdIntradayPoint));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (self, "notify::has-focus", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Calls through the day"), -1);
}

GtkWidget *
cd_intraday_chart_new (void)
{
  return g_object_new (CD_TYPE_INTRADAY_CHART, NULL);
}

/**
 * cd_intraday_chart_set_points:
 * @self: a #CdIntradayChart
 * @points: (array length=n_points): the intervals, in time order
 * @n_points: how many
 * @now: Unix seconds: the forecast is drawn from here on
 *
 * Draws these figures from now on; copied.
 */
void
cd_intraday_chart_set_points (CdIntradayChart       *self,
                              const CdIntradayPoint *points,
                              guint                  n_points,
                              gint64                 now)
{
  g_return_if_fail (CD_IS_INTRADAY_CHART (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, n_points);
  self->now = now;
  if (self->selected >= n_points)
    self->selected = 0;
  /* The keyboard starts on the interval running now. */
  for (guint i = 0; i < n_points && self->selected == 0; i++)
    if (points[i].start <= now && now < points[i].end)
      self->selected = i;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
cd_intraday_chart_get_n_points (CdIntradayChart *self)
{
  g_return_val_if_fail (CD_IS_INTRADAY_CHART (self), 0);

  return self->points->len;
}
