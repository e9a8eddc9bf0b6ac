// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-score-trend.h: an operator's weekly mean score against the team's, drawn
 *
 * One bar per week, the oldest on the left, scaled 0 to 100, and the
 * team's mean of the same week as a dashed line across the bars; a week
 * without an evaluation has no bar. The widget draws the figures it is
 * given and says them to assistive technologies: it reads and computes
 * nothing.
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-qa-results.h"

G_BEGIN_DECLS

#define CD_TYPE_SCORE_TREND (cd_score_trend_get_type ())
G_DECLARE_FINAL_TYPE (CdScoreTrend, cd_score_trend, CD, SCORE_TREND, GtkWidget)

GtkWidget *cd_score_trend_new      (void);
void       cd_score_trend_set_weeks (CdScoreTrend *self,
                                     const guint  *n,
                                     const double *mean,
                                     const guint  *team_n,
                                     const double *team_mean);
const char *cd_score_trend_describe (CdScoreTrend *self);

G_END_DECLS
