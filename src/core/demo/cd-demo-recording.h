// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-recording.h: the demo's call recordings, synthesized
 *
 * A call recording as a PBX writes it (two channels, the operator's left
 * and the resident's right, 8 kHz 16-bit PCM in a RIFF WAV file), made of
 * speech-like sound: band-limited noise bursts with a syllable-rate
 * envelope, the two sides taking turns with pauses, some overtalk, now and
 * then a long dead air or a hang-up mid-sentence. It is pure and
 * deterministic: the same call id and length give the same bytes, and the
 * synthesis returns its truth (who speaks when) so that the voice-activity
 * detector can be checked against it (docs/recordings.md).
 */

#pragma once

#include <glib.h>

#include "cd-voice-activity.h"

G_BEGIN_DECLS

#define CD_DEMO_RECORDING_RATE 8000
/* The bytes before the samples in the WAV files written here. */
#define CD_DEMO_RECORDING_HEADER 44

/**
 * CdDemoRecordingTruth:
 * @rate: samples per second of each channel
 * @duration_ms: the recording's length
 * @speech: (element-type CdVoiceSpan): per channel, the spans in which
 *   that side speaks, in order, on 10 ms boundaries
 * @long_dead_air: whether the call has a dead air of 4 s or more
 * @hang_up: whether the recording ends while the resident speaks
 */
typedef struct
{
  guint    rate;
  gint64   duration_ms;
  GArray  *speech[CD_VOICE_N_CHANNELS];
  gboolean long_dead_air;
  gboolean hang_up;
} CdDemoRecordingTruth;

/**
 * CdDemoRecordingFigures:
 * @talk_share: per channel, the share of frames it talks in
 * @silence_share: the share of frames neither talks in
 * @overtalk_share: the share of frames both talk in
 * @longest_silence_ms: the longest stretch of frames neither talks in
 * @longest_silence_start_ms: where it starts
 *
 * What a detector with a given frame and hangover should find in a
 * synthesized recording: cd_demo_recording_truth_figures().
 */
typedef struct
{
  double talk_share[CD_VOICE_N_CHANNELS];
  double silence_share;
  double overtalk_share;
  gint64 longest_silence_ms;
  gint64 longest_silence_start_ms;
} CdDemoRecordingFigures;

GBytes *cd_demo_recording_synthesize     (const char                 *call_id,
                                          guint                       seconds,
                                          CdDemoRecordingTruth      **truth);
void    cd_demo_recording_truth_free     (CdDemoRecordingTruth       *truth);
void    cd_demo_recording_truth_figures  (const CdDemoRecordingTruth *truth,
                                          guint                       frame_ms,
                                          guint                       hangover_ms,
                                          CdDemoRecordingFigures     *figures);
void    cd_demo_recording_write_header   (guint8                     *header,
                                          guint                       rate,
                                          guint                       channels,
                                          guint32                     data_bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdDemoRecordingTruth, cd_demo_recording_truth_free)

G_END_DECLS
