// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-league-source.h: the executor league table over a period
 *
 * Read off the main loop by cd_store_executor_league(); on-time shares
 * are those the breakdown of the Overdue page shows.
 */
#pragma once

#include "cd-source.h"

G_BEGIN_DECLS

#define CD_TYPE_LEAGUE_SOURCE (cd_league_source_get_type ())
G_DECLARE_FINAL_TYPE (CdLeagueSource, cd_league_source, CD, LEAGUE_SOURCE, CdSource)

CdLeagueSource *cd_league_source_new      (CdContext      *context);
void            cd_league_source_set_days (CdLeagueSource *self,
                                           guint           days);
GPtrArray      *cd_league_source_get_rows (CdLeagueSource *self);

G_END_DECLS
