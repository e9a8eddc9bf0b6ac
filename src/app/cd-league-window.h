// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"

G_BEGIN_DECLS

#define CD_TYPE_LEAGUE_WINDOW (cd_league_window_get_type ())
G_DECLARE_FINAL_TYPE (CdLeagueWindow, cd_league_window, CD, LEAGUE_WINDOW, AdwWindow)

CdLeagueWindow *cd_league_window_new         (CdContext      *context);
gboolean        cd_league_window_get_loading (CdLeagueWindow *self);
void            cd_league_window_set_period (CdLeagueWindow *self,
                                             guint           days);
guint           cd_league_window_get_n_rows (CdLeagueWindow *self);
const char     *cd_league_window_get_cell   (CdLeagueWindow *self,
                                             guint           row,
                                             guint           column);

G_END_DECLS
