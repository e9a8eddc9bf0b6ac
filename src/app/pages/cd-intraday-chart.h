// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-intraday-chart.h: a day of calls per interval, drawn
 *
 * Bars of offered, answered and abandoned calls per interval, the
 * forecast for the rest of the day as a dashed line, and the operators
 * needed against those logged in as steps on a second scale. The widget
 * draws the figures it is given: it reads and computes nothing.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * CdIntradayPoint:
 * @start: Unix seconds
 * @end: Unix seconds
 * @offered: calls offered (entered the queue)
 * @answered: of those, answered
 * @abandoned: of those, abandoned
 * @forecast: calls expected, NaN without a forecast
 * @needed: operators needed on the phones, NaN when unknown
 * @staffed: operators logged in (averaged), NaN when unknown
 */
typedef struct
{
  gint64 start;
  gint64 end;
  guint  offered;
  guint  answered;
  guint  abandoned;
  double forecast;
  double needed;
  double staffed;
} CdIntradayPoint;

#define CD_TYPE_INTRADAY_CHART (cd_intraday_chart_get_type ())
G_DECLARE_FINAL_TYPE (CdIntradayChart, cd_intraday_chart, CD, INTRADAY_CHART, GtkWidget)

GtkWidget *cd_intraday_chart_new         (void);
void       cd_intraday_chart_set_points  (CdIntradayChart       *self,
                                          const CdIntradayPoint *points,
                                          guint                  n_points,
                                          gint64                 now);
char      *cd_intraday_chart_describe    (CdIntradayChart       *self,
                                          guint                  index);
guint      cd_intraday_chart_get_n_points (CdIntradayChart      *self);

G_END_DECLS
