// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call-heatmap-view.h: the peak hours, weekday by hour of the day
 *
 * 7 × 24 cells, each the calls offered on average on that weekday in that
 * hour over a period; the darker, the busier. It draws what it is given.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_CALL_HEATMAP_VIEW (cd_call_heatmap_view_get_type ())
G_DECLARE_FINAL_TYPE (CdCallHeatmapView, cd_call_heatmap_view, CD, CALL_HEATMAP_VIEW, GtkWidget)

GtkWidget *cd_call_heatmap_view_new      (void);
void       cd_call_heatmap_view_set_data (CdCallHeatmapView *self,
                                          const guint        offered[7][24],
                                          const guint        days[7]);
double     cd_call_heatmap_view_get_average (CdCallHeatmapView *self,
                                             guint              weekday,
                                             guint              hour);
char      *cd_call_heatmap_view_describe (CdCallHeatmapView *self,
                                          guint              weekday,
                                          guint              hour);

G_END_DECLS
