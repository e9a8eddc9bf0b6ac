// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-voice-activity.h: who talks when in a two-channel call recording
 *
 * An energy-based voice-activity detector over interleaved 16-bit PCM of
 * two channels, the operator's first and the resident's second, as the
 * PBX records them. Each channel's 10 or 20 ms frames are compared with
 * an adaptive noise floor, with a hangover that bridges the pauses between
 * words; the recording's figures follow (talk per side, dead air and its
 * longest stretch, overtalk) with a waveform summary to draw. It is a pure
 * function fed in chunks, so that a decoder pushes its buffers as they
 * come and the result does not depend on where they were cut
 * (docs/qa.md, "Voice activity").
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_VOICE_ACTIVITY_ERROR (cd_voice_activity_error_quark ())

typedef enum
{
  CD_VOICE_ACTIVITY_ERROR_INVALID,
} CdVoiceActivityError;

typedef enum
{
  CD_VOICE_OPERATOR = 0,
  CD_VOICE_RESIDENT = 1,
  CD_VOICE_N_CHANNELS,
} CdVoiceChannel;

/**
 * CdVoiceActivityConfig:
 * @rate: samples per second of each channel (8000 to 192000)
 * @frame_ms: the detector's frame, 10 or 20 ms; @rate × @frame_ms must be
 *   a whole number of samples
 * @peak_ms: one waveform value per this many ms (10 to 10000)
 * @hangover_ms: how long a channel still counts as talking after its last
 *   loud frame (0 to 2000)
 * @threshold_db: how far above the noise floor a frame is speech
 * @min_level_dbfs: a frame quieter than this is never speech, whatever the
 *   floor (dB relative to full scale, below 0)
 * @min_silence_ms: dead air this long or longer is listed in the result
 * @min_overtalk_ms: overtalk this long or longer is listed in the result
 *
 * Fill it with cd_voice_activity_config_init(), then change what differs.
 */
typedef struct
{
  guint  rate;
  guint  frame_ms;
  guint  peak_ms;
  guint  hangover_ms;
  double threshold_db;
  double min_level_dbfs;
  guint  min_silence_ms;
  guint  min_overtalk_ms;
} CdVoiceActivityConfig;

typedef struct
{
  gint64 start_ms;
  gint64 end_ms;
} CdVoiceSpan;

/**
 * CdVoiceActivityResult:
 * @rate: as configured
 * @frame_ms: as configured
 * @n_frames: the sample frames analysed (one sample of each channel each)
 * @duration_ms: their length
 * @talk_share: per channel, the share of the recording it talks in (0-1)
 * @silence_share: the share in which neither talks (dead air)
 * @overtalk_share: the share in which both talk
 * @longest_silence_ms: the longest stretch of dead air
 * @longest_silence_start_ms: where it starts
 * @silences: (element-type CdVoiceSpan): the dead air of at least
 *   min_silence_ms, in order
 * @overtalks: (element-type CdVoiceSpan): the overtalk of at least
 *   min_overtalk_ms, in order
 * @peak_ms: as configured
 * @peaks: per channel, the loudest sample of each @peak_ms as 0-255
 *   (linear: 255 is full scale)
 */
typedef struct
{
  guint       rate;
  guint       frame_ms;
  guint64     n_frames;
  gint64      duration_ms;
  double      talk_share[CD_VOICE_N_CHANNELS];
  double      silence_share;
  double      overtalk_share;
  gint64      longest_silence_ms;
  gint64      longest_silence_start_ms;
  GArray     *silences;
  GArray     *overtalks;
  guint       peak_ms;
  GByteArray *peaks[CD_VOICE_N_CHANNELS];
} CdVoiceActivityResult;

typedef struct _CdVoiceActivity CdVoiceActivity;

GQuark                 cd_voice_activity_error_quark  (void);

void                   cd_voice_activity_config_init  (CdVoiceActivityConfig       *config,
                                                       guint                        rate);

CdVoiceActivity       *cd_voice_activity_new          (const CdVoiceActivityConfig *config,
                                                       GError                     **error);
void                   cd_voice_activity_free         (CdVoiceActivity             *self);
void                   cd_voice_activity_feed         (CdVoiceActivity             *self,
                                                       const gint16                *samples,
                                                       gsize                        n_samples);
CdVoiceActivityResult *cd_voice_activity_finish       (CdVoiceActivity             *self);

CdVoiceActivityResult *cd_voice_activity_analyze      (const CdVoiceActivityConfig *config,
                                                       const gint16                *samples,
                                                       gsize                        n_samples,
                                                       GError                     **error);

void                   cd_voice_activity_result_free  (CdVoiceActivityResult       *result);
char                  *cd_voice_activity_result_to_json (const CdVoiceActivityResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdVoiceActivity, cd_voice_activity_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdVoiceActivityResult, cd_voice_activity_result_free)

G_END_DECLS
