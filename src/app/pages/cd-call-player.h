// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "cd-audio-player.h"
#include "cd-session.h"

G_BEGIN_DECLS

#define CD_TYPE_CALL_PLAYER (cd_call_player_get_type ())
G_DECLARE_FINAL_TYPE (CdCallPlayer, cd_call_player, CD, CALL_PLAYER, GtkWidget)

GtkWidget     *cd_call_player_new          (void);
void           cd_call_player_load         (CdCallPlayer    *self,
                                            CdSession       *session,
                                            const char      *call);
void           cd_call_player_play         (CdCallPlayer    *self);
void           cd_call_player_clear        (CdCallPlayer    *self);
void           cd_call_player_set_analysis (CdCallPlayer    *self,
                                            JsonObject      *analysis);
void           cd_call_player_set_status   (CdCallPlayer    *self,
                                            const char      *text);
const char    *cd_call_player_get_status   (CdCallPlayer    *self);
gint64         cd_call_player_get_position_ms (CdCallPlayer *self);
gboolean       cd_call_player_handle_key   (CdCallPlayer    *self,
                                            guint            keyval,
                                            GdkModifierType  state);
CdAudioPlayer *cd_call_player_get_audio    (CdCallPlayer    *self);

G_END_DECLS
