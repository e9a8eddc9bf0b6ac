// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"

G_BEGIN_DECLS

#define CD_TYPE_ACTION_DIALOG (cd_action_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdActionDialog, cd_action_dialog, CD, ACTION_DIALOG, AdwWindow)

CdActionDialog *cd_action_dialog_new         (CdContext          *context,
                                              const char * const *numbers);
gboolean        cd_action_dialog_get_loading (CdActionDialog     *self);
gboolean        cd_action_dialog_select      (CdActionDialog     *self,
                                              const char         *action);
void            cd_action_dialog_set_note    (CdActionDialog     *self,
                                              const char         *note);
guint           cd_action_dialog_apply       (CdActionDialog     *self);

G_END_DECLS
