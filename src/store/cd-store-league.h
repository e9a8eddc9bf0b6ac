// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

/**
 * CdLeagueRow:
 * @executor: the organization
 * @open: its open tickets now
 * @overdue: those of them past their due time now
 * @resolved: tickets it resolved in the period
 * @judged: those of them under an SLA policy
 * @on_time: those of @judged on time (cd_overdue_on_time_condition())
 * @reopened: those of them the resident reopened at least once
 * @median_resolve: the median time from registration to resolution of
 *   @resolved, in seconds; -1 when there is none
 *
 * One executor's line in the league table.
 */
typedef struct
{
  char   *executor;
  gint64  open;
  gint64  overdue;
  gint64  resolved;
  gint64  judged;
  gint64  on_time;
  gint64  reopened;
  gint64  median_resolve;
} CdLeagueRow;

void       cd_league_row_free        (CdLeagueRow *row);
double     cd_league_row_on_time     (const CdLeagueRow *row);
double     cd_league_row_reopen_rate (const CdLeagueRow *row);
GPtrArray *cd_store_executor_league  (CdStore     *self,
                                      gint64       since,
                                      gint64       until,
                                      gint64       now,
                                      GError     **error);
gboolean   cd_league_write_csv       (GPtrArray   *rows,
                                      GFile       *file,
                                      GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdLeagueRow, cd_league_row_free)

G_END_DECLS
