// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"

G_BEGIN_DECLS

#define CD_TYPE_WINDOW (cd_window_get_type ())
G_DECLARE_FINAL_TYPE (CdWindow, cd_window, CD, WINDOW, AdwApplicationWindow)

CdWindow   *cd_window_new              (GtkApplication *application,
                                        GSettings      *settings,
                                        CdContext      *context);
gboolean    cd_window_is_welcome_shown (CdWindow      *self);
const char *cd_window_get_visible_page (CdWindow      *self);
void        cd_window_show_help        (CdWindow      *self);
void        cd_window_add_toast        (CdWindow      *self,
                                        AdwToast      *toast);

G_END_DECLS
