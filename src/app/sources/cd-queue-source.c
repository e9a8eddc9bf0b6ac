// SPDX-License-Identifier: GPL-3.0-or-later
//
// Two queries. Today: the calls of the local day counted per interval of
// the page's choice, the forecast for the day, and the missed calls still
// awaiting a callback; it runs again when the session's cache changes
// (call events arrive through the sync) and when an interval ends, so that
// the chart's current bar closes even when no call comes. The peak hours:
// the heatmap of the whole days before today, read again only for another
// period, another day or another cache, since today's calls are not in it,
// or while the first sync still brings the days before.

#include "config.h"

#include "cd-queue-source.h"
#include "cd-session.h"
#include "cd-store-calls.h"

enum {
  SLOT_TODAY,
  SLOT_HEATMAP,
};

/* The heatmap is read again at most this often while the cache changes. */
#define HEATMAP_MAX_AGE_S 60

/* What the forecast staffs for: `citydeskctl erlang`'s defaults. */
static const CdErlangTarget forecast_target = { CD_QUEUE_DEFAULT_GOAL, 1.0, 0.0 };

typedef struct
{
  gint64            now;
  gint64            interval;
  CdCallStatsLimits limits;
  char             *role;
} TodayQuery;

typedef struct
{
  CdCallStats   *stats;
  CdForecast    *forecast;
  CdQueueMissed  missed;
  gint64         day_start;
} Today;

typedef struct
{
  gint64   now;
  guint    weeks;
  gboolean partial;
} HeatmapQuery;

typedef struct
{
  CdCallHeatmap *heatmap;
  gint64         day_start;
  guint          weeks;
  /* Read while the first sync was still filling the cache. */
  gboolean       partial;
  /* When it was read (monotonic µs). */
  gint64         read_at;
} Heatmap;

struct _CdQueueSource
{
  CdSource  parent_instance;

  Today    *today;
  Heatmap  *heatmap;
  gint64    interval;
  guint     weeks;
  guint     boundary_id;
  CdSync   *sync;       /* the session's, whose snapshots the page shows */
};

G_DEFINE_FINAL_TYPE (CdQueueSource, cd_queue_source, CD_TYPE_SOURCE)

enum {
  SNAPSHOT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
today_query_free (TodayQuery *query)
{
  g_free (query->role);
  g_free (query);
}

static void
today_free (Today *today)
{
  g_clear_pointer (&today->stats, cd_call_stats_free);
  g_clear_pointer (&today->forecast, cd_forecast_free);
  g_free (today);
}

static void
heatmap_free (Heatmap *heatmap)
{
  g_clear_pointer (&heatmap->heatmap, cd_call_heatmap_free);
  g_free (heatmap);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Today, today_free)

/* The local day around @now: [*start, *end), 23 or 25 hours on the days
 * the clocks change. */
static void
local_day (gint64  now,
           gint64 *start,
           gint64 *end)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (time),
                                                         g_date_time_get_month (time),
                                                         g_date_time_get_day_of_month (time),
                                                         0, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (midnight, 1);

  *start = g_date_time_to_unix (midnight);
  *end = g_date_time_to_unix (next);
}

/* Worker thread. */
static gpointer
read_today (CdStore  *reader,
            gpointer  data,
            GError  **error)
{
  TodayQuery *query = data;
  g_autoptr(Today) today = g_new0 (Today, 1);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) missed = NULL;
  gint64 day_end;

  local_day (query->now, &today->day_start, &day_end);
  if (!cd_store_call_stats (reader, today->day_start, day_end, query->interval, zone,
                            &query->limits, &today->stats, error) ||
      !cd_store_call_forecast (reader, today->day_start, query->interval, zone,
                               &forecast_target, query->limits.target, &today->forecast, error))
    return NULL;
  /* No history, no forecast: nothing to draw rather than zeros. */
  if (today->forecast->history_days == 0)
    g_clear_pointer (&today->forecast, cd_forecast_free);

  if (!cd_store_list_missed_calls (reader, TRUE, query->now, query->role, &missed, error))
    return NULL;
  today->missed.waiting = missed->len;
  /* Listed oldest first. */
  if (missed->len > 0)
    today->missed.oldest_due = ((CdMissedCall *) g_ptr_array_index (missed, 0))->due;
  return g_steal_pointer (&today);
}

/* Worker thread. */
static gpointer
read_heatmap (CdStore  *reader,
              gpointer  data,
              GError  **error)
{
  HeatmapQuery *query = data;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) first = NULL;
  Heatmap *heatmap = g_new0 (Heatmap, 1);
  gint64 day_end;

  local_day (query->now, &heatmap->day_start, &day_end);
  heatmap->weeks = query->weeks;
  heatmap->partial = query->partial;
  today = g_date_time_new_from_unix_local (heatmap->day_start);
  first = g_date_time_add_days (today, -7 * (int) query->weeks);
  if (!cd_store_call_heatmap (reader, g_date_time_to_unix (first), heatmap->day_start, zone,
                              &heatmap->heatmap, error))
    {
      heatmap_free (heatmap);
      return NULL;
    }
  return heatmap;
}

static void arm_boundary (CdQueueSource *self);

static void
apply_heatmap (CdSource     *source,
               gpointer      result,
               const GError *error)
{
  CdQueueSource *self = CD_QUEUE_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the peak hours: %s", error->message);
      return;
    }
  g_clear_pointer (&self->heatmap, heatmap_free);
  self->heatmap = result;
  self->heatmap->read_at = g_get_monotonic_time ();
  if (self->today != NULL)
    cd_source_emit_changed (source);
}

static void
read_heatmap_again (CdQueueSource *self)
{
  HeatmapQuery *query = g_new0 (HeatmapQuery, 1);

  query->now = cd_source_get_now (CD_SOURCE (self));
  query->weeks = self->weeks;
  query->partial = cd_source_get_syncing (CD_SOURCE (self));
  cd_source_run (CD_SOURCE (self), SLOT_HEATMAP, read_heatmap, query, g_free,
                 (GDestroyNotify) heatmap_free, apply_heatmap);
}

static void
apply_today (CdSource     *source,
             gpointer      result,
             const GError *error)
{
  CdQueueSource *self = CD_QUEUE_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read today’s calls: %s", error->message);
      return;
    }
  g_clear_pointer (&self->today, today_free);
  self->today = result;
  arm_boundary (self);
  cd_source_emit_changed (source);
}

static void
cd_queue_source_refresh (CdSource *source)
{
  CdQueueSource *self = CD_QUEUE_SOURCE (source);
  TodayQuery *query = g_new0 (TodayQuery, 1);

  query->now = cd_source_get_now (source);
  query->interval = self->interval;
  query->limits.target = cd_queue_source_get_target (self);
  query->role = g_strdup (cd_context_get_role (cd_source_get_context (source)));
  cd_source_run (source, SLOT_TODAY, read_today, query, (GDestroyNotify) today_query_free,
                 (GDestroyNotify) today_free, apply_today);

  /* Events about earlier days still come after the first sync (a
   * desktop back from offline, a late import): while the cache changes,
   * the heatmap is read again now and then. */
  if (self->heatmap == NULL || self->heatmap->weeks != self->weeks || self->heatmap->partial ||
      g_get_monotonic_time () - self->heatmap->read_at > HEATMAP_MAX_AGE_S * G_USEC_PER_SEC)
    read_heatmap_again (self);
  else
    {
      gint64 day_start, day_end;

      local_day (query->now, &day_start, &day_end);
      if (day_start != self->heatmap->day_start)
        read_heatmap_again (self);
    }
}

static gboolean
on_boundary (gpointer user_data)
{
  CdQueueSource *self = user_data;

  self->boundary_id = 0;
  cd_source_refresh (CD_SOURCE (self));
  return G_SOURCE_REMOVE;
}

/* Intervals start on the hour's boundaries of the local day, which are
 * the Unix clock's in every zone whose offset is whole quarter hours. */
static void
arm_boundary (CdQueueSource *self)
{
  gint64 now = cd_source_get_now (CD_SOURCE (self));
  gint64 next = (now / self->interval + 1) * self->interval;

  g_clear_handle_id (&self->boundary_id, g_source_remove);
  self->boundary_id = g_timeout_add_seconds ((guint) MAX (1, next - now), on_boundary, self);
}

static void
on_snapshot (CdQueueSource *self)
{
  g_signal_emit (self, signals[SNAPSHOT_CHANGED], 0);
}

/* The session makes another CdSync at each login: follow it. */
static void
on_sync_changed (CdQueueSource *self)
{
  CdSession *session = cd_context_get_session (cd_source_get_context (CD_SOURCE (self)));
  CdSync *sync = cd_session_get_sync (session);

  if (self->sync == sync)
    return;
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    {
      g_signal_connect_object (sync, "queue-snapshot", G_CALLBACK (on_snapshot), self,
                               G_CONNECT_SWAPPED);
      /* The snapshot goes with the stream. */
      g_signal_connect_object (sync, "notify::state", G_CALLBACK (on_snapshot), self,
                               G_CONNECT_SWAPPED);
    }
  on_snapshot (self);
}

static void
cd_queue_source_constructed (GObject *object)
{
  CdQueueSource *self = CD_QUEUE_SOURCE (object);
  CdSession *session;

  G_OBJECT_CLASS (cd_queue_source_parent_class)->constructed (object);

  session = cd_context_get_session (cd_source_get_context (CD_SOURCE (self)));
  g_signal_connect_object (session, "notify::sync", G_CALLBACK (on_sync_changed), self,
                           G_CONNECT_SWAPPED);
  on_sync_changed (self);
}

static void
cd_queue_source_store_changed (CdSource *source)
{
  CdQueueSource *self = CD_QUEUE_SOURCE (source);

  g_clear_pointer (&self->today, today_free);
  g_clear_pointer (&self->heatmap, heatmap_free);
}

static void
cd_queue_source_dispose (GObject *object)
{
  CdQueueSource *self = CD_QUEUE_SOURCE (object);

  g_clear_handle_id (&self->boundary_id, g_source_remove);
  g_clear_pointer (&self->today, today_free);
  g_clear_pointer (&self->heatmap, heatmap_free);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (cd_queue_source_parent_class)->dispose (object);
}

static void
cd_queue_source_class_init (CdQueueSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CdSourceClass *source_class = CD_SOURCE_CLASS (klass);

  object_class->constructed = cd_queue_source_constructed;
  object_class->dispose = cd_queue_source_dispose;
  source_class->store_changed = cd_queue_source_store_changed;
  source_class->refresh = cd_queue_source_refresh;

  /**
   * CdQueueSource::snapshot-changed:
   *
   * The server pushed another snapshot of the live queue, or the stream
   * closed (cd_queue_source_get_snapshot() is %NULL then).
   */
  signals[SNAPSHOT_CHANGED] = g_signal_new ("snapshot-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
cd_queue_source_init (CdQueueSource *self)
{
  self->interval = 30 * 60;
  self->weeks = 4;
}

/**
 * cd_queue_source_new:
 * @context: what the dashboard works with
 *
 * Returns: (transfer full): a source, reading once a page asks
 */
CdQueueSource *
cd_queue_source_new (CdContext *context)
{
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  return g_object_new (CD_TYPE_QUEUE_SOURCE, "context", context, NULL);
}

/**
 * cd_queue_source_get_stats:
 * @self: a #CdQueueSource
 *
 * Returns: (nullable): today's calls per interval as last read (the whole
 *   local day: intervals still to come count nothing), %NULL before
 */
const CdCallStats *
cd_queue_source_get_stats (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), NULL);

  return self->today != NULL ? self->today->stats : NULL;
}

/**
 * cd_queue_source_get_missed:
 * @self: a #CdQueueSource
 *
 * Returns: (nullable): the missed calls awaiting a callback, %NULL before
 *   the first read
 */
const CdQueueMissed *
cd_queue_source_get_missed (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), NULL);

  return self->today != NULL ? &self->today->missed : NULL;
}

/* Returns: the local midnight the figures count from, 0 before a read. */
gint64
cd_queue_source_get_day_start (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), 0);

  return self->today != NULL ? self->today->day_start : 0;
}

gint64
cd_queue_source_get_interval (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), 0);

  return self->interval;
}

/**
 * cd_queue_source_set_interval:
 * @self: a #CdQueueSource
 * @interval: seconds: 15, 30 or 60 minutes
 *
 * Counts today again in intervals of that length.
 */
void
cd_queue_source_set_interval (CdQueueSource *self,
                              gint64         interval)
{
  g_return_if_fail (CD_IS_QUEUE_SOURCE (self));
  g_return_if_fail (interval == 15 * 60 || interval == 30 * 60 || interval == 60 * 60);

  if (self->interval == interval)
    return;
  self->interval = interval;
  cd_source_refresh (CD_SOURCE (self));
}

/* Returns: the service level's threshold, seconds. */
gint64
cd_queue_source_get_target (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), CD_QUEUE_DEFAULT_TARGET);

  return CD_QUEUE_DEFAULT_TARGET;
}

/**
 * cd_queue_source_get_forecast:
 * @self: a #CdQueueSource
 *
 * Returns: (nullable): today's forecast in the page's intervals, %NULL
 *   before the first read or without a history to forecast from
 */
const CdForecast *
cd_queue_source_get_forecast (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), NULL);

  return self->today != NULL ? self->today->forecast : NULL;
}

/**
 * cd_queue_source_get_heatmap:
 * @self: a #CdQueueSource
 *
 * Returns: (nullable): the peak hours of the weeks before today, %NULL
 *   before they are read
 */
const CdCallHeatmap *
cd_queue_source_get_heatmap (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), NULL);

  return self->heatmap != NULL && self->heatmap->weeks == self->weeks ? self->heatmap->heatmap
                                                                     : NULL;
}

/**
 * cd_queue_source_set_weeks:
 * @self: a #CdQueueSource
 * @weeks: how many weeks before today the peak hours cover
 *
 * Reads the peak hours of that period.
 */
void
cd_queue_source_set_weeks (CdQueueSource *self,
                           guint          weeks)
{
  g_return_if_fail (CD_IS_QUEUE_SOURCE (self));
  g_return_if_fail (weeks > 0 && weeks <= 53);

  if (self->weeks == weeks)
    return;
  self->weeks = weeks;
  read_heatmap_again (self);
}

/**
 * cd_queue_source_get_snapshot:
 * @self: a #CdQueueSource
 *
 * Returns: (nullable): the queue as the server last pushed it, %NULL when
 *   none came or the stream is closed; valid until the next main loop turn
 */
const CdQueueSnapshot *
cd_queue_source_get_snapshot (CdQueueSource *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_SOURCE (self), NULL);

  return self->sync != NULL ? cd_sync_get_queue_snapshot (self->sync) : NULL;
}
