// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-forecast.h: a day's calls forecast from its history, and the staff
 *
 * The calls and handling time expected in each interval of a local day,
 * from the same weekday of past weeks (recent weeks weigh more), scaled by
 * how the day runs so far, and the operators each interval needs on the
 * phones and scheduled (cd-erlang.h). Pure: the store reads the history
 * (docs/staffing.md, "Forecast").
 */

#pragma once

#include <glib.h>

#include "cd-call-stats.h"
#include "cd-erlang.h"

G_BEGIN_DECLS

/* How many weeks of history a forecast looks back on. */
#define CD_FORECAST_WEEKS 8

/* The fewest past days of the same weekday with calls to forecast from;
 * with fewer, every day of the weeks looked back on is used. */
#define CD_FORECAST_MIN_DAYS 3

/* Each week further back weighs this much of the week after it. */
#define CD_FORECAST_WEEK_WEIGHT 0.75

/* Today's ratio of calls to the forecast is trusted F / (F + this), F the
 * calls forecast for the intervals already over. */
#define CD_FORECAST_DAMPING 20.0

/* The scaling never goes beyond these: a morning's storm is not a day's. */
#define CD_FORECAST_MIN_SCALE 0.25
#define CD_FORECAST_MAX_SCALE 4.0

typedef struct
{
  gint64 start;            /* Unix seconds */
  gint64 end;
  double calls;            /* expected offered in the interval */
  double aht;              /* expected handling, seconds */
  guint  agents;           /* on the phones for the target (Erlang C, cd-erlang.h) */
  guint  scheduled;        /* with shrinkage */
} CdForecastInterval;

/**
 * CdForecast:
 * @intervals: (element-type CdForecastInterval): the whole local day,
 *   past ones too
 * @history_days: how many past days it was made from (0: no history, no
 *   forecast)
 * @scale: the damped ratio of today's calls so far to the forecast,
 *   applied to the intervals not yet over (1: none)
 * @same_weekday: whether the history is the same weekday's (%FALSE: too
 *   few of them, every day of the recent weeks)
 */
typedef struct
{
  GArray   *intervals;       /* (element-type CdForecastInterval) the whole local day */
  guint     history_days;    /* how many past days it was made from (0: no history) */
  double    scale;
  gboolean  same_weekday;
} CdForecast;

void        cd_forecast_free          (CdForecast            *self);
gint64      cd_forecast_day_start     (gint64                 time,
                                       GTimeZone             *zone);
void        cd_forecast_history_range (gint64                 day_start,
                                       GTimeZone             *zone,
                                       gint64                *from,
                                       gint64                *to);
CdForecast *cd_forecast_new           (const CdCallRow       *rows,
                                       gsize                  n_rows,
                                       gint64                 day_start,
                                       gint64                 now,
                                       gint64                 interval,
                                       GTimeZone             *zone,
                                       const CdErlangTarget  *target,
                                       gint64                 target_seconds,
                                       GError               **error);
JsonObject *cd_forecast_to_json       (const CdForecast      *self,
                                       gint64                 interval,
                                       gint64                 target_seconds,
                                       const CdErlangTarget  *target,
                                       GTimeZone             *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdForecast, cd_forecast_free)

G_END_DECLS
