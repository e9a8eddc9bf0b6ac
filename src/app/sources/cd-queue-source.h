// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-source.h: what the Queue load dashboard shows
 *
 * Today's calls counted per interval (the figures `citydeskctl calls
 * stats` prints) with the day's forecast, the peak hours of the weeks
 * before, the missed calls awaiting a callback, and the live snapshot of
 * the queue the server pushes over the stream.
 */
#pragma once

#include "cd-call-stats.h"
#include "cd-forecast.h"
#include "cd-queue-snapshot.h"
#include "cd-source.h"

G_BEGIN_DECLS

#define CD_TYPE_QUEUE_SOURCE (cd_queue_source_get_type ())
G_DECLARE_FINAL_TYPE (CdQueueSource, cd_queue_source, CD, QUEUE_SOURCE, CdSource)

/* The service level's threshold when nothing else says one (DOMAIN.md). */
#define CD_QUEUE_DEFAULT_TARGET 40
#define CD_QUEUE_DEFAULT_GOAL 0.8

/**
 * CdQueueMissed:
 * @waiting: missed calls awaiting a callback
 * @oldest_due: the oldest one's due time (Unix seconds), 0 when none
 */
typedef struct
{
  guint  waiting;
  gint64 oldest_due;
} CdQueueMissed;

CdQueueSource       *cd_queue_source_new          (CdContext     *context);
const CdCallStats   *cd_queue_source_get_stats    (CdQueueSource *self);
const CdQueueMissed *cd_queue_source_get_missed   (CdQueueSource *self);
gint64               cd_queue_source_get_interval (CdQueueSource *self);
void                 cd_queue_source_set_interval (CdQueueSource *self,
                                                   gint64         interval);
gint64               cd_queue_source_get_day_start (CdQueueSource *self);
gint64               cd_queue_source_get_target   (CdQueueSource *self);
const CdForecast    *cd_queue_source_get_forecast (CdQueueSource *self);
const CdCallHeatmap *cd_queue_source_get_heatmap  (CdQueueSource *self);
void                 cd_queue_source_set_weeks    (CdQueueSource *self,
                                                   guint          weeks);
const CdQueueSnapshot *cd_queue_source_get_snapshot (CdQueueSource *self);

G_END_DECLS
