// SPDX-License-Identifier: GPL-3.0-or-later
//
// Snapshot rectangles for the bars and a cairo path for the team's line,
// in the style's named colours looked up at each draw (light and dark), as
// CdIntradayChart draws. The weeks are [0] this week, [1] the one before…
// as CdQaResults gives them; the drawing runs the other way, oldest first.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-score-trend.h"

#define BAR_WIDTH 12
#define GAP 4
#define HEIGHT 36

struct _CdScoreTrend
{
  GtkWidget  parent_instance;

  guint      n[CD_QA_TREND_WEEKS];
  double     mean[CD_QA_TREND_WEEKS];
  guint      team_n[CD_QA_TREND_WEEKS];
  double     team_mean[CD_QA_TREND_WEEKS];
  char      *description;
};

G_DEFINE_FINAL_TYPE (CdScoreTrend, cd_score_trend, GTK_TYPE_WIDGET)

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *rgba)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (name == NULL || !gtk_style_context_lookup_color (style, name, rgba))
    gtk_style_context_get_color (style, rgba);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
cd_score_trend_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  CdScoreTrend *self = CD_SCORE_TREND (widget);
  double height = gtk_widget_get_height (widget);
  GdkRGBA bar, fg, grid;
  cairo_t *cr;
  gboolean started = FALSE;
  const double dash[] = { 3, 2 };

  lookup_color (widget, "accent_color", &bar);
  lookup_color (widget, NULL, &fg);
  grid = fg;
  grid.alpha = 0.15;
  gtk_snapshot_append_color (snapshot, &grid,
                             &GRAPHENE_RECT_INIT (0, height - 1,
                                                  CD_QA_TREND_WEEKS * (BAR_WIDTH + GAP), 1));
  for (guint i = 0; i < CD_QA_TREND_WEEKS; i++)
    {
      guint w = CD_QA_TREND_WEEKS - 1 - i;
      double h = CLAMP (self->mean[w], 0, 100) / 100.0 * (height - 2);

      if (self->n[w] == 0)
        continue;
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (i * (BAR_WIDTH + GAP),
                                                      height - 1 - MAX (h, 1), BAR_WIDTH,
                                                      MAX (h, 1)));
    }

  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                       height));
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, 2, 0);
  for (guint i = 0; i < CD_QA_TREND_WEEKS; i++)
    {
      guint w = CD_QA_TREND_WEEKS - 1 - i;
      double y = height - 1 - CLAMP (self->team_mean[w], 0, 100) / 100.0 * (height - 2);
      double x = i * (BAR_WIDTH + GAP);

      if (self->team_n[w] == 0)
        {
          started = FALSE;
          continue;
        }
      if (!started)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      cairo_line_to (cr, x + BAR_WIDTH, y);
      started = TRUE;
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
cd_score_trend_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = CD_QA_TREND_WEEKS * (BAR_WIDTH + GAP) - GAP;
  else
    *minimum = *natural = HEIGHT;
}

static void
cd_score_trend_finalize (GObject *object)
{
  CdScoreTrend *self = CD_SCORE_TREND (object);

  g_free (self->description);

  G_OBJECT_CLASS (cd_score_trend_parent_class)->finalize (object);
}

static void
cd_score_trend_class_init (CdScoreTrendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cd_score_trend_finalize;
  widget_class->snapshot = cd_score_trend_snapshot;
  widget_class->measure = cd_score_trend_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cd_score_trend_init (CdScoreTrend *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
cd_score_trend_new (void)
{
  return g_object_new (CD_TYPE_SCORE_TREND, NULL);
}

/**
 * cd_score_trend_set_weeks:
 * @self: the trend
 * @n: (array fixed-size=8): the operator's evaluations per week, [0] this week
 * @mean: (array fixed-size=8): their mean totals
 * @team_n: (array fixed-size=8): the team's evaluations per week
 * @team_mean: (array fixed-size=8): the team's mean totals
 */
void
cd_score_trend_set_weeks (CdScoreTrend *self,
                          const guint  *n,
                          const double *mean,
                          const guint  *team_n,
                          const double *team_mean)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (CD_IS_SCORE_TREND (self));
  memcpy (self->n, n, sizeof self->n);
  memcpy (self->mean, mean, sizeof self->mean);
  memcpy (self->team_n, team_n, sizeof self->team_n);
  memcpy (self->team_mean, team_mean, sizeof self->team_mean);

  /* What a screen reader says, and the tooltip: the weeks with a figure. */
  g_string_append (text, _("Mean total by week, against the team’s (dashed):"));
  for (guint w = CD_QA_TREND_WEEKS; w-- > 0;)
    {
      if (n[w] == 0 && team_n[w] == 0)
        continue;
      g_string_append_c (text, '\n');
      if (w == 0)
        g_string_append (text, _("this week"));
      else
        g_string_append_printf (text, ngettext ("%u week ago", "%u weeks ago", w), w);
      g_string_append (text, ": ");
      if (n[w] > 0)
        g_string_append_printf (text, "%.1f", mean[w]);
      else
        g_string_append (text, "—");
      if (team_n[w] > 0)
        /* TRANSLATORS: after an operator's mean score of a week */
        g_string_append_printf (text, _(" (team %.1f)"), team_mean[w]);
    }
  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), self->description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: (nullable): what the trend says in words */
const char *
cd_score_trend_describe (CdScoreTrend *self)
{
  g_return_val_if_fail (CD_IS_SCORE_TREND (self), NULL);
  return self->description;
}
