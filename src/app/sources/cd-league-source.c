// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-league-source.h"
#include "cd-store-league.h"

struct _CdLeagueSource
{
  CdSource   parent_instance;

  guint      days;
  GPtrArray *rows;
};

G_DEFINE_FINAL_TYPE (CdLeagueSource, cd_league_source, CD_TYPE_SOURCE)

typedef struct
{
  gint64 from;
  gint64 now;
} Period;

/* Worker thread. */
static gpointer
read_league (CdStore  *reader,
             gpointer  data,
             GError  **error)
{
  Period *period = data;

  return cd_store_executor_league (reader, period->from, period->now + 1, period->now, error);
}

static void
apply_league (CdSource     *source,
              gpointer      result,
              const GError *error)
{
  CdLeagueSource *self = CD_LEAGUE_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the executor league: %s", error->message);
      return;
    }
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = result;
  cd_source_emit_changed (source);
}

static void
cd_league_source_refresh (CdSource *source)
{
  CdLeagueSource *self = CD_LEAGUE_SOURCE (source);
  Period *period = g_new (Period, 1);

  period->now = cd_source_get_now (source);
  period->from = period->now - (gint64) self->days * 86400;
  cd_source_run (source, 0, read_league, period, g_free, (GDestroyNotify) g_ptr_array_unref,
                 apply_league);
}

static void
cd_league_source_dispose (GObject *object)
{
  CdLeagueSource *self = CD_LEAGUE_SOURCE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cd_league_source_parent_class)->dispose (object);
}

static void
cd_league_source_class_init (CdLeagueSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_league_source_dispose;
  CD_SOURCE_CLASS (klass)->refresh = cd_league_source_refresh;
}

static void
cd_league_source_init (CdLeagueSource *self)
{
  self->days = 30;
}

/**
 * cd_league_source_new:
 * @context: what the table works with
 *
 * Returns: (transfer full): a source over the last 30 days, not read yet
 */
CdLeagueSource *
cd_league_source_new (CdContext *context)
{
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  return g_object_new (CD_TYPE_LEAGUE_SOURCE, "context", context, NULL);
}

/* Counts resolved tickets over the last @days days, and reads again. */
void
cd_league_source_set_days (CdLeagueSource *self,
                           guint           days)
{
  g_return_if_fail (CD_IS_LEAGUE_SOURCE (self));
  g_return_if_fail (days > 0);

  self->days = days;
  cd_source_refresh (CD_SOURCE (self));
}

/**
 * cd_league_source_get_rows:
 * @self: a #CdLeagueSource
 *
 * Returns: (transfer none) (nullable) (element-type CdLeagueRow): the rows,
 *   best on-time share first; %NULL before the first read
 */
GPtrArray *
cd_league_source_get_rows (CdLeagueSource *self)
{
  g_return_val_if_fail (CD_IS_LEAGUE_SOURCE (self), NULL);

  return self->rows;
}
