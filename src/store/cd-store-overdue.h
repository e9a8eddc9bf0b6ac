// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-overdue.h: the overdue dashboard's questions
 *
 * The tiles (breached now, at risk within the hour, stale, reopened this
 * week) and the breakdown by executor, district and category. The desktop
 * and `citydeskctl tickets --overdue` both ask these functions, so the two
 * always show the same numbers for the same data and moment.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cd-store.h"

G_BEGIN_DECLS

/* "At risk": due within this many seconds from now. */
#define CD_OVERDUE_AT_RISK_WINDOW 3600

typedef enum
{
  CD_OVERDUE_TILE_NONE,
  CD_OVERDUE_TILE_BREACHED,
  CD_OVERDUE_TILE_AT_RISK,
  CD_OVERDUE_TILE_STALE,
  CD_OVERDUE_TILE_REOPENED,
  CD_OVERDUE_N_TILES
} CdOverdueTile;

/**
 * CdOverdueTiles:
 * @open: open tickets
 * @counts: tickets under each tile (index %CD_OVERDUE_TILE_NONE is unused)
 * @week_start: the start of "this week" the reopened tile counts from
 */
typedef struct
{
  gint64 open;
  gint64 counts[CD_OVERDUE_N_TILES];
  gint64 week_start;
} CdOverdueTiles;

typedef enum
{
  CD_OVERDUE_BY_EXECUTOR,
  CD_OVERDUE_BY_DISTRICT,
  CD_OVERDUE_BY_CATEGORY,
  CD_OVERDUE_N_DIMENSIONS
} CdOverdueDimension;

/**
 * CdOverdueGroup:
 * @key: the executor, district or category ("" for tickets without one)
 * @open: open tickets in the group
 * @overdue: those past their due time
 * @worst_overdue: seconds past due of the worst of them; 0 when none is
 * @judged: open tickets under an SLA policy, which a share on time is
 *   taken of
 * @on_time: those of them on time (cd_overdue_on_time_condition())
 */
typedef struct
{
  char   *key;
  gint64  open;
  gint64  overdue;
  gint64  worst_overdue;
  gint64  judged;
  gint64  on_time;
} CdOverdueGroup;

const char *cd_overdue_tile_to_string        (CdOverdueTile        tile);
gboolean    cd_overdue_tile_from_string      (const char          *string,
                                              CdOverdueTile       *tile);
const char *cd_overdue_dimension_to_string   (CdOverdueDimension   dimension);
const char *cd_overdue_dimension_column      (CdOverdueDimension   dimension);
gint64      cd_overdue_week_start            (gint64               now);
char       *cd_overdue_tile_condition        (CdOverdueTile        tile);
char       *cd_overdue_attention_condition   (void);
char       *cd_overdue_on_time_condition     (void);
const char *cd_overdue_judged_condition      (void);
double      cd_overdue_group_on_time_share   (const CdOverdueGroup *group);
void        cd_overdue_group_free            (CdOverdueGroup      *group);

gboolean    cd_store_overdue_tiles           (CdStore             *self,
                                              gint64               now,
                                              CdOverdueTiles      *tiles,
                                              GError             **error);
GPtrArray  *cd_store_overdue_breakdown       (CdStore             *self,
                                              CdOverdueDimension   dimension,
                                              gint64               now,
                                              GError             **error);
JsonObject *cd_store_overdue_summary         (CdStore             *self,
                                              gint64               now,
                                              GError             **error);
GPtrArray  *cd_store_overdue_policies        (CdStore             *self,
                                              GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdOverdueGroup, cd_overdue_group_free)

G_END_DECLS
