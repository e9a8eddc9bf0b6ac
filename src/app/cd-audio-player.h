// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CdAudioPlayerError:
 * @CD_AUDIO_PLAYER_ERROR_MISSING_PLUGIN: a GStreamer element the player
 *   needs is not installed
 * @CD_AUDIO_PLAYER_ERROR_INIT: GStreamer could not start
 */
typedef enum
{
  CD_AUDIO_PLAYER_ERROR_MISSING_PLUGIN,
  CD_AUDIO_PLAYER_ERROR_INIT,
} CdAudioPlayerError;

#define CD_AUDIO_PLAYER_ERROR (cd_audio_player_error_quark ())
GQuark cd_audio_player_error_quark (void);

#define CD_AUDIO_PLAYER_MIN_RATE 0.75
#define CD_AUDIO_PLAYER_MAX_RATE 2.0

#define CD_TYPE_AUDIO_PLAYER (cd_audio_player_get_type ())
G_DECLARE_FINAL_TYPE (CdAudioPlayer, cd_audio_player, CD, AUDIO_PLAYER, GObject)

CdAudioPlayer *cd_audio_player_new             (void);
void           cd_audio_player_open            (CdAudioPlayer *self,
                                                const char    *uri,
                                                const char    *token,
                                                GTlsDatabase  *tls_database);
void           cd_audio_player_close           (CdAudioPlayer *self);
const char    *cd_audio_player_get_uri         (CdAudioPlayer *self);

void           cd_audio_player_play            (CdAudioPlayer *self);
void           cd_audio_player_pause           (CdAudioPlayer *self);
void           cd_audio_player_seek            (CdAudioPlayer *self,
                                                gint64         position);
void           cd_audio_player_set_rate        (CdAudioPlayer *self,
                                                double         rate);

gboolean       cd_audio_player_get_playing     (CdAudioPlayer *self);
gboolean       cd_audio_player_get_prepared    (CdAudioPlayer *self);
gboolean       cd_audio_player_get_ended       (CdAudioPlayer *self);
gint64         cd_audio_player_get_position    (CdAudioPlayer *self);
gint64         cd_audio_player_get_duration    (CdAudioPlayer *self);
double         cd_audio_player_get_rate        (CdAudioPlayer *self);
const GError  *cd_audio_player_get_error       (CdAudioPlayer *self);
gint64         cd_audio_player_get_first_sound (CdAudioPlayer *self);
gint64         cd_audio_player_get_first_sound_bytes (CdAudioPlayer *self);

G_END_DECLS
