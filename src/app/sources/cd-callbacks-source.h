// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-callbacks-source.h: what the Callbacks dashboard shows
 *
 * The work list for now (the feedback tasks whose calling window is open,
 * ordered by due time) and the supervisor's figures over a chosen period,
 * both read by the store functions `citydeskctl callbacks list|stats`
 * print.
 */
#pragma once

#include "cd-source.h"
#include "cd-store-feedback.h"

G_BEGIN_DECLS

#define CD_TYPE_CALLBACKS_SOURCE (cd_callbacks_source_get_type ())
G_DECLARE_FINAL_TYPE (CdCallbacksSource, cd_callbacks_source, CD, CALLBACKS_SOURCE, CdSource)

/* The supervisor's periods, each ending now. */
typedef enum
{
  CD_CALLBACKS_PERIOD_TODAY,
  CD_CALLBACKS_PERIOD_WEEK,        /* since Monday, local */
  CD_CALLBACKS_PERIOD_30_DAYS,
  CD_CALLBACKS_N_PERIODS,
} CdCallbacksPeriod;

CdCallbacksSource     *cd_callbacks_source_new        (CdContext         *context);
GPtrArray             *cd_callbacks_source_get_tasks  (CdCallbacksSource *self);
const CdFeedbackStats *cd_callbacks_source_get_stats  (CdCallbacksSource *self);
CdCallbacksPeriod      cd_callbacks_source_get_period (CdCallbacksSource *self);
void                   cd_callbacks_source_set_period (CdCallbacksSource *self,
                                                       CdCallbacksPeriod  period);
void                   cd_callbacks_period_range      (CdCallbacksPeriod  period,
                                                       gint64             now,
                                                       gint64            *from,
                                                       gint64            *to);

G_END_DECLS
