// SPDX-License-Identifier: GPL-3.0-or-later
//
// The two channels of a call recording drawn from its analysis' waveform
// summary (the loudest sample of each 100 ms per side, docs/qa.md): the
// operator above the middle line, the resident below, the dead air and
// the overtalk spans behind them, each with its own hatching and a label
// so that colour is never the only sign, and the playhead. A click or a
// drag asks to seek there ("seek", in ms).

#include "config.h"

#include <glib/gi18n.h>

#include "cd-waveform-view.h"

struct _CdWaveformView
{
  GtkWidget  parent_instance;

  GBytes    *operator;
  GBytes    *resident;
  gint64     peak_ms;
  gint64     duration_ms;
  GArray    *silences;   /* of gint64 pairs */
  GArray    *overtalks;
  gint64     position_ms;
  guint      loudest;    /* of both channels, which fills the height */
};

G_DEFINE_FINAL_TYPE (CdWaveformView, cd_waveform_view, GTK_TYPE_WIDGET)

enum {
  SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GBytes *
decode_peaks (JsonObject *waveform,
              const char *side)
{
  const char *text = json_object_get_string_member_with_default (waveform, side, NULL);
  gsize len = 0;
  guchar *data;

  if (text == NULL)
    return NULL;
  data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}

static GArray *
read_spans (JsonObject *analysis,
            const char *member)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonNode *node = json_object_get_member (analysis, member);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return spans;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *pair = json_array_get_element (array, i);
      JsonArray *a;
      gint64 start, end;

      if (!JSON_NODE_HOLDS_ARRAY (pair) || json_array_get_length (a = json_node_get_array (pair))
                                               != 2)
        continue;
      start = json_array_get_int_element (a, 0);
      end = json_array_get_int_element (a, 1);
      g_array_append_val (spans, start);
      g_array_append_val (spans, end);
    }
  return spans;
}

static void
clear (CdWaveformView *self)
{
  g_clear_pointer (&self->operator, g_bytes_unref);
  g_clear_pointer (&self->resident, g_bytes_unref);
  g_clear_pointer (&self->silences, g_array_unref);
  g_clear_pointer (&self->overtalks, g_array_unref);
  self->duration_ms = 0;
  self->position_ms = 0;
}

static double
x_of (CdWaveformView *self,
      gint64          ms,
      double          width)
{
  if (self->duration_ms <= 0)
    return 0;
  return width * CLAMP ((double) ms / (double) self->duration_ms, 0.0, 1.0);
}

static void
draw_hatch (cairo_t *cr,
            double   x0,
            double   x1,
            double   height,
            double   step,
            gboolean rising)
{
  cairo_save (cr);
  cairo_rectangle (cr, x0, 0, x1 - x0, height);
  cairo_clip (cr);
  for (double x = x0 - height; x < x1 + height; x += step)
    {
      cairo_move_to (cr, x, rising ? height : 0);
      cairo_line_to (cr, x + height, rising ? 0 : height);
    }
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_spans (CdWaveformView *self,
            cairo_t        *cr,
            GArray         *spans,
            double          width,
            double          height,
            const GdkRGBA  *fill,
            gboolean        rising,
            const char     *label,
            PangoLayout    *layout,
            double          label_y)
{
  for (guint i = 0; spans != NULL && i + 1 < spans->len; i += 2)
    {
      double x0 = x_of (self, g_array_index (spans, gint64, i), width);
      double x1 = x_of (self, g_array_index (spans, gint64, i + 1), width);
      int text_width;

      gdk_cairo_set_source_rgba (cr, fill);
      cairo_rectangle (cr, x0, 0, MAX (x1 - x0, 1), height);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fill->red, fill->green, fill->blue, 0.9);
      draw_hatch (cr, x0, MAX (x1, x0 + 1), height, 6, rising);
      pango_layout_set_text (layout, label, -1);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      if (x1 - x0 >= text_width + 4)
        {
          cairo_set_source_rgba (cr, 0, 0, 0, 0.8);
          cairo_move_to (cr, x0 + 2, label_y);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

static void
draw_channel (CdWaveformView *self,
              cairo_t        *cr,
              GBytes         *peaks,
              double          width,
              double          middle,
              double          half,
              int             direction)
{
  const guchar *data;
  gsize n;

  if (peaks == NULL || (n = g_bytes_get_size (peaks)) == 0)
    return;
  data = g_bytes_get_data (peaks, NULL);
  for (int x = 0; x < (int) width; x++)
    {
      gsize from = (gsize) ((double) x / width * n);
      gsize to = MAX ((gsize) ((double) (x + 1) / width * n), from + 1);
      guchar peak = 0;

      for (gsize i = from; i < to && i < n; i++)
        peak = MAX (peak, data[i]);
      cairo_rectangle (cr, x, direction < 0 ? middle - half * peak / self->loudest : middle,
                       1, MAX (half * peak / self->loudest, 0.5));
    }
  cairo_fill (cr);
}

static void
cd_waveform_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  CdWaveformView *self = CD_WAVEFORM_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  static const GdkRGBA silence = { 0.6, 0.6, 0.6, 0.35 };
  static const GdkRGBA overtalk = { 0.9, 0.45, 0.0, 0.35 };
  GdkRGBA color;
  cairo_t *cr;
  double middle = height / 2;
  double x;

  if (width <= 0 || height <= 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* The spans' labels: dead air at the top, overtalk at the bottom, so
   * that both stay readable where they meet. */
  draw_spans (self, cr, self->silences, width, height, &silence, TRUE,
              C_("waveform mark", "Silence"), layout, 2);
  draw_spans (self, cr, self->overtalks, width, height, &overtalk, FALSE,
              C_("waveform mark", "Overtalk"), layout, height - 18);

  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.85);
  draw_channel (self, cr, self->operator, width, middle - 1, middle - 4, -1);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.55);
  draw_channel (self, cr, self->resident, width, middle + 1, middle - 4, 1);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.3);
  cairo_rectangle (cr, 0, middle - 0.5, width, 1);
  cairo_fill (cr);

  if (self->duration_ms <= 0)
    {
      cairo_destroy (cr);
      return;
    }
  x = x_of (self, self->position_ms, width);
  cairo_set_source_rgba (cr, 0.11, 0.44, 0.85, 1);
  cairo_rectangle (cr, x - 1, 0, 2, height);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
seek_to (CdWaveformView *self,
         double          x)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  if (self->duration_ms <= 0 || width <= 0)
    return;
  g_signal_emit (self, signals[SEEK], 0,
                 (gint64) (CLAMP (x / width, 0.0, 1.0) * self->duration_ms));
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            CdWaveformView  *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  seek_to (self, x);
}

static void
cd_waveform_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 96;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 600 : 120;
}

static void
cd_waveform_view_dispose (GObject *object)
{
  clear (CD_WAVEFORM_VIEW (object));
  G_OBJECT_CLASS (cd_waveform_view_parent_class)->dispose (object);
}

static void
cd_waveform_view_class_init (CdWaveformViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_waveform_view_dispose;
  widget_class->snapshot = cd_waveform_view_snapshot;
  widget_class->measure = cd_waveform_view_measure;

  /**
   * CdWaveformView::seek:
   * @position_ms: where the person clicked, in ms from the start
   */
  signals[SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_css_name (widget_class, "waveform");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cd_waveform_view_init (CdWaveformView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->loudest = 255;
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("The operator above the line, the resident below; "
                                 "click to play from there"));
}

GtkWidget *
cd_waveform_view_new (void)
{
  return g_object_new (CD_TYPE_WAVEFORM_VIEW, NULL);
}

/* @analysis: (nullable): the recording's figures, `analysis` of
 * GET /api/v1/recordings/{call} */
void
cd_waveform_view_set_analysis (CdWaveformView *self,
                               JsonObject     *analysis)
{
  JsonObject *waveform;

  g_return_if_fail (CD_IS_WAVEFORM_VIEW (self));
  clear (self);
  if (analysis != NULL)
    {
      waveform = json_object_get_object_member (analysis, "waveform");
      self->duration_ms = json_object_get_int_member_with_default (analysis, "duration_ms", 0);
      if (waveform != NULL)
        {
          self->peak_ms = json_object_get_int_member_with_default (waveform, "peak_ms", 100);
          self->operator = decode_peaks (waveform, "operator");
          self->resident = decode_peaks (waveform, "resident");
        }
      self->silences = read_spans (analysis, "silences");
      /* A telephone line rarely comes near full scale: the loudest peak
       * of the call fills the height, the same for both sides so that
       * their loudness compares. */
      self->loudest = 1;
      for (guint side = 0; side < 2; side++)
        {
          GBytes *peaks = side == 0 ? self->operator : self->resident;
          const guchar *data = peaks != NULL ? g_bytes_get_data (peaks, NULL) : NULL;

          for (gsize i = 0; data != NULL && i < g_bytes_get_size (peaks); i++)
            self->loudest = MAX (self->loudest, data[i]);
        }
      self->overtalks = read_spans (analysis, "overtalks");
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_waveform_view_set_position (CdWaveformView *self,
                               gint64          position_ms)
{
  g_return_if_fail (CD_IS_WAVEFORM_VIEW (self));
  if (self->position_ms == position_ms)
    return;
  self->position_ms = position_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: how long the analysed recording is, in milliseconds (0 without
 * an analysis) */
gint64
cd_waveform_view_get_duration (CdWaveformView *self)
{
  g_return_val_if_fail (CD_IS_WAVEFORM_VIEW (self), 0);
  return self->duration_ms;
}

/* Returns: the start of the first silence that starts after @after_ms,
 * or -1 when none does */
gint64
cd_waveform_view_next_silence (CdWaveformView *self,
                               gint64          after_ms)
{
  g_return_val_if_fail (CD_IS_WAVEFORM_VIEW (self), -1);
  for (guint i = 0; self->silences != NULL && i + 1 < self->silences->len; i += 2)
    if (g_array_index (self->silences, gint64, i) > after_ms)
      return g_array_index (self->silences, gint64, i);
  return -1;
}
