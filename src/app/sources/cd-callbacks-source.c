// SPDX-License-Identifier: GPL-3.0-or-later
//
// Two queries. The work list: the open feedback tasks whose calling window
// contains now, masked for the user's role; it runs again when the cache
// changes (a callback recorded here or elsewhere arrives through the sync)
// and each minute, since windows open and close with the clock alone. The
// supervisor's figures: over the chosen period, read with the work list
// and again for another period.

#include "config.h"

#include "cd-callbacks-source.h"

enum {
  SLOT_TASKS,
  SLOT_STATS,
};

typedef struct
{
  gint64  now;
  char   *role;
} TasksQuery;

typedef struct
{
  gint64 from;
  gint64 to;
  gint64 now;
} StatsQuery;

struct _CdCallbacksSource
{
  CdSource           parent_instance;

  GPtrArray         *tasks;    /* (element-type CdFeedbackTask) */
  CdFeedbackStats   *stats;
  CdCallbacksPeriod  period;
};

G_DEFINE_FINAL_TYPE (CdCallbacksSource, cd_callbacks_source, CD_TYPE_SOURCE)

static void
tasks_query_free (TasksQuery *query)
{
  g_free (query->role);
  g_free (query);
}

/* Worker thread. */
static gpointer
read_tasks (CdStore  *reader,
            gpointer  data,
            GError  **error)
{
  TasksQuery *query = data;
  GPtrArray *tasks = NULL;

  if (!cd_store_list_feedback_tasks (reader, query->now, 0, TRUE, query->role, &tasks, error))
    return NULL;
  return tasks;
}

/* Worker thread. */
static gpointer
read_stats (CdStore  *reader,
            gpointer  data,
            GError  **error)
{
  StatsQuery *query = data;
  CdFeedbackStats *stats = NULL;

  if (!cd_store_feedback_stats (reader, query->from, query->to, query->now, &stats, error))
    return NULL;
  return stats;
}

static void
apply_tasks (CdSource     *source,
             gpointer      result,
             const GError *error)
{
  CdCallbacksSource *self = CD_CALLBACKS_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the callbacks to make: %s", error->message);
      return;
    }
  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  self->tasks = result;
  cd_source_emit_changed (source);
}

static void
apply_stats (CdSource     *source,
             gpointer      result,
             const GError *error)
{
  CdCallbacksSource *self = CD_CALLBACKS_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the callbacks’ figures: %s", error->message);
      return;
    }
  g_clear_pointer (&self->stats, cd_feedback_stats_free);
  self->stats = result;
  if (self->tasks != NULL)
    cd_source_emit_changed (source);
}

static void
read_stats_again (CdCallbacksSource *self)
{
  StatsQuery *query = g_new0 (StatsQuery, 1);

  query->now = cd_source_get_now (CD_SOURCE (self));
  cd_callbacks_period_range (self->period, query->now, &query->from, &query->to);
  cd_source_run (CD_SOURCE (self), SLOT_STATS, read_stats, query, g_free,
                 (GDestroyNotify) cd_feedback_stats_free, apply_stats);
}

static void
cd_callbacks_source_refresh (CdSource *source)
{
  CdCallbacksSource *self = CD_CALLBACKS_SOURCE (source);
  TasksQuery *query = g_new0 (TasksQuery, 1);

  query->now = cd_source_get_now (source);
  query->role = g_strdup (cd_context_get_role (cd_source_get_context (source)));
  cd_source_run (source, SLOT_TASKS, read_tasks, query, (GDestroyNotify) tasks_query_free,
                 (GDestroyNotify) g_ptr_array_unref, apply_tasks);
  read_stats_again (self);
}

static void
cd_callbacks_source_store_changed (CdSource *source)
{
  CdCallbacksSource *self = CD_CALLBACKS_SOURCE (source);

  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->stats, cd_feedback_stats_free);
}

static void
cd_callbacks_source_dispose (GObject *object)
{
  CdCallbacksSource *self = CD_CALLBACKS_SOURCE (object);

  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->stats, cd_feedback_stats_free);

  G_OBJECT_CLASS (cd_callbacks_source_parent_class)->dispose (object);
}

static void
cd_callbacks_source_class_init (CdCallbacksSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CdSourceClass *source_class = CD_SOURCE_CLASS (klass);

  object_class->dispose = cd_callbacks_source_dispose;
  source_class->store_changed = cd_callbacks_source_store_changed;
  source_class->refresh = cd_callbacks_source_refresh;
}

static void
cd_callbacks_source_init (CdCallbacksSource *self)
{
  self->period = CD_CALLBACKS_PERIOD_WEEK;
  /* Calling windows open and close with the clock alone. */
  cd_source_set_refresh_interval (CD_SOURCE (self), 60);
}

/**
 * cd_callbacks_source_new:
 * @context: what the dashboard works with
 *
 * Returns: (transfer full): a source, reading once a page asks
 */
CdCallbacksSource *
cd_callbacks_source_new (CdContext *context)
{
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  return g_object_new (CD_TYPE_CALLBACKS_SOURCE, "context", context, NULL);
}

/**
 * cd_callbacks_source_get_tasks:
 * @self: a #CdCallbacksSource
 *
 * Returns: (nullable) (transfer none) (element-type CdFeedbackTask): the
 *   tasks to call now, soonest due first, %NULL before the first read
 */
GPtrArray *
cd_callbacks_source_get_tasks (CdCallbacksSource *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_SOURCE (self), NULL);

  return self->tasks;
}

/**
 * cd_callbacks_source_get_stats:
 * @self: a #CdCallbacksSource
 *
 * Returns: (nullable): the figures of the chosen period, %NULL before they
 *   are read
 */
const CdFeedbackStats *
cd_callbacks_source_get_stats (CdCallbacksSource *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_SOURCE (self), NULL);

  return self->stats;
}

CdCallbacksPeriod
cd_callbacks_source_get_period (CdCallbacksSource *self)
{
  g_return_val_if_fail (CD_IS_CALLBACKS_SOURCE (self), CD_CALLBACKS_PERIOD_WEEK);

  return self->period;
}

/**
 * cd_callbacks_source_set_period:
 * @self: a #CdCallbacksSource
 * @period: what the supervisor's figures cover
 *
 * Reads the figures of that period.
 */
void
cd_callbacks_source_set_period (CdCallbacksSource *self,
                                CdCallbacksPeriod  period)
{
  g_return_if_fail (CD_IS_CALLBACKS_SOURCE (self));
  g_return_if_fail (period < CD_CALLBACKS_N_PERIODS);

  if (self->period == period)
    return;
  self->period = period;
  g_clear_pointer (&self->stats, cd_feedback_stats_free);
  read_stats_again (self);
}

/**
 * cd_callbacks_period_range:
 * @period: a period
 * @now: the moment the dashboard judges by
 * @from: (out): its start, Unix seconds
 * @to: (out): its end: @now
 *
 * The period in the local time zone: today from midnight, this week from
 * Monday's midnight, or the 30 days before @now.
 */
void
cd_callbacks_period_range (CdCallbacksPeriod  period,
                           gint64             now,
                           gint64            *from,
                           gint64            *to)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (time),
                                                         g_date_time_get_month (time),
                                                         g_date_time_get_day_of_month (time),
                                                         0, 0, 0);
  g_autoptr(GDateTime) start = NULL;

  switch (period)
    {
    case CD_CALLBACKS_PERIOD_TODAY:
      start = g_date_time_ref (midnight);
      break;
    case CD_CALLBACKS_PERIOD_WEEK:
      start = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (midnight));
      break;
    case CD_CALLBACKS_PERIOD_30_DAYS:
    case CD_CALLBACKS_N_PERIODS:
    default:
      start = g_date_time_add_days (time, -30);
      break;
    }
  *from = g_date_time_to_unix (start);
  *to = now;
}
