// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-recording.c: the demo's call recordings, synthesized
 *
 * Turns are placed first, on 10 ms boundaries, so that the truth is exact
 * frame by frame; the sound follows. Speech is white noise through a
 * 300 Hz high-pass and two 2.8 kHz low-passes (a telephone's band), under
 * an envelope of 4-6 syllables a second that never falls below a fifth,
 * so that one turn is one stretch of talk to an energy detector, as a
 * phrase is. Each line carries its own faint noise, so that silence is a
 * telephone's and not digital zero.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-demo-recording.h"

#define MIN_SECONDS 8
#define MAX_SECONDS 600
/* Turns shorter than the detector's 4 s noise window, so that a side
 * always pauses before its floor could rise to its voice. */
#define MIN_TURN_MS 800
#define MAX_TURN_MS 3500
/* The line's noise, about -66 dBFS, and speech at about -20 dBFS RMS. */
#define LINE_NOISE 16.0
#define SPEECH_GAIN 9000.0
#define RAMP_MS 5

static double
uniform (GRand  *rand,
         double  from,
         double  to)
{
  return g_rand_double_range (rand, from, to);
}

/* A whole number of 10 ms in [from, to]. */
static gint64
pick_ms (GRand  *rand,
         gint64  from,
         gint64  to)
{
  return 10 * g_rand_int_range (rand, (gint32) (from / 10), (gint32) (to / 10) + 1);
}

static void
add_span (GArray *spans,
          gint64  start_ms,
          gint64  end_ms)
{
  CdVoiceSpan span = { start_ms, end_ms };

  if (end_ms > start_ms)
    g_array_append_val (spans, span);
}

static GRand *
rand_for (const char *call_id)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint32 seed[8];

  g_checksum_update (checksum, (const guint8 *) "citydesk recording", 19);
  g_checksum_update (checksum, (const guint8 *) call_id, strlen (call_id));
  g_checksum_get_digest (checksum, digest, &len);
  for (guint i = 0; i < G_N_ELEMENTS (seed); i++)
    seed[i] = (guint32) digest[4 * i] << 24 | (guint32) digest[4 * i + 1] << 16 |
              (guint32) digest[4 * i + 2] << 8 | digest[4 * i + 3];
  return g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
}

/* The call's script: who speaks when. */
static CdDemoRecordingTruth *
place_turns (GRand *rand,
             guint  seconds)
{
  CdDemoRecordingTruth *truth = g_new0 (CdDemoRecordingTruth, 1);
  gint64 target = (gint64) CLAMP (seconds, MIN_SECONDS, MAX_SECONDS) * 1000;
  gint64 t = pick_ms (rand, 500, 1000), end = 0, last_start = 0;
  CdVoiceChannel side = CD_VOICE_OPERATOR;

  truth->rate = CD_DEMO_RECORDING_RATE;
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    truth->speech[c] = g_array_new (FALSE, FALSE, sizeof (CdVoiceSpan));

  while (t < target)
    {
      gint64 length = pick_ms (rand, MIN_TURN_MS, MAX_TURN_MS);
      double draw = uniform (rand, 0, 1);

      /* The resident hangs up mid-sentence at the end of some calls. */
      if (side == CD_VOICE_RESIDENT && t + length >= target && uniform (rand, 0, 1) < 0.25)
        {
          length = MAX (pick_ms (rand, 300, 1000), 300);
          add_span (truth->speech[side], t, t + length);
          truth->hang_up = TRUE;
          truth->duration_ms = t + length;
          return truth;
        }
      add_span (truth->speech[side], t, t + length);
      last_start = t;
      end = t + length;
      side = side == CD_VOICE_OPERATOR ? CD_VOICE_RESIDENT : CD_VOICE_OPERATOR;

      if (!truth->long_dead_air && end > 10000 && draw < 0.06)
        {
          /* The operator looks something up and says nothing. */
          t = end + pick_ms (rand, 4000, 9000);
          truth->long_dead_air = TRUE;
        }
      else if (draw < 0.22)
        /* The next one starts before this one has finished: overtalk of
         * 0.5-1.2 s, the turn's start kept before it. */
        t = MAX (end - pick_ms (rand, 500, 1200), last_start + 300);
      else
        t = end + pick_ms (rand, 200, 900);
    }
  truth->duration_ms = end + pick_ms (rand, 300, 800);
  return truth;
}

typedef struct
{
  double high_in;
  double high_out;
  double low1;
  double low2;
} Band;

/* One sample of telephone-band noise. */
static double
band_noise (Band  *band,
            GRand *rand)
{
  /* One-pole filters at 8 kHz: high-pass at 300 Hz, low-pass at 2.8 kHz. */
  const double high = 0.79, low = 0.89;
  double white = uniform (rand, -1, 1);

  band->high_out = high * (band->high_out + white - band->high_in);
  band->high_in = white;
  band->low1 += low * (band->high_out - band->low1);
  band->low2 += low * (band->low1 - band->low2);
  return band->low2;
}

static void
render_channel (GRand       *rand,
                const GArray *spans,
                gint16      *samples,
                gsize        n_frames,
                guint        channel,
                double       gain)
{
  Band band = { 0 };
  guint next = 0;
  const CdVoiceSpan *span = NULL;
  double rate_hz = 5, phase = 0;
  gint64 span_start = 0, span_end = 0, ramp = CD_DEMO_RECORDING_RATE * RAMP_MS / 1000;

  for (gsize i = 0; i < n_frames; i++)
    {
      double value = uniform (rand, -LINE_NOISE, LINE_NOISE);
      double speech = band_noise (&band, rand);
      gint64 at = (gint64) i;

      if (span == NULL && next < spans->len)
        {
          span = &g_array_index (spans, CdVoiceSpan, next);
          span_start = span->start_ms * CD_DEMO_RECORDING_RATE / 1000;
          span_end = span->end_ms * CD_DEMO_RECORDING_RATE / 1000;
          rate_hz = uniform (rand, 4, 6);
          phase = uniform (rand, 0, 2 * G_PI);
        }
      if (span != NULL && at >= span_start && at < span_end)
        {
          double t = (double) (at - span_start) / CD_DEMO_RECORDING_RATE;
          double envelope = 0.6 + 0.4 * sin (2 * G_PI * rate_hz * t + phase);

          if (at - span_start < ramp)
            envelope *= (double) (at - span_start + 1) / ramp;
          if (span_end - at <= ramp)
            envelope *= (double) (span_end - at) / ramp;
          value += gain * envelope * speech;
        }
      if (span != NULL && at + 1 >= span_end)
        {
          span = NULL;
          next++;
        }
      samples[2 * i + channel] = (gint16) CLAMP (lrint (value), -32767, 32767);
    }
}

/**
 * cd_demo_recording_write_header:
 * @header: (out caller-allocates): %CD_DEMO_RECORDING_HEADER bytes
 * @rate: samples per second of each channel
 * @channels: 1 or 2
 * @data_bytes: the bytes of 16-bit samples that follow
 *
 * Writes the RIFF header of a PCM WAV file, as Asterisk's `wav` format
 * and sox write it: `RIFF`, `WAVE`, a 16-byte `fmt ` chunk, `data`.
 */
void
cd_demo_recording_write_header (guint8  *header,
                                guint    rate,
                                guint    channels,
                                guint32  data_bytes)
{
  guint32 riff = GUINT32_TO_LE (36 + data_bytes), fmt_size = GUINT32_TO_LE (16);
  guint32 le_rate = GUINT32_TO_LE (rate), byte_rate = GUINT32_TO_LE (rate * channels * 2);
  guint32 data = GUINT32_TO_LE (data_bytes);
  guint16 format = GUINT16_TO_LE (1), le_channels = GUINT16_TO_LE (channels);
  guint16 align = GUINT16_TO_LE (channels * 2), bits = GUINT16_TO_LE (16);

  memcpy (header, "RIFF", 4);
  memcpy (header + 4, &riff, 4);
  memcpy (header + 8, "WAVEfmt ", 8);
  memcpy (header + 16, &fmt_size, 4);
  memcpy (header + 20, &format, 2);
  memcpy (header + 22, &le_channels, 2);
  memcpy (header + 24, &le_rate, 4);
  memcpy (header + 28, &byte_rate, 4);
  memcpy (header + 32, &align, 2);
  memcpy (header + 34, &bits, 2);
  memcpy (header + 36, "data", 4);
  memcpy (header + 40, &data, 4);
}

/**
 * cd_demo_recording_synthesize:
 * @call_id: the call's id, which everything is drawn from
 * @seconds: about how long the conversation lasts (8 to 600 s; the
 *   recording ends with its last turn)
 * @truth: (out) (optional) (transfer full): who speaks when
 *
 * Returns: (transfer full): a two-channel 8 kHz 16-bit PCM WAV file
 */
GBytes *
cd_demo_recording_synthesize (const char            *call_id,
                              guint                  seconds,
                              CdDemoRecordingTruth **truth)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(CdDemoRecordingTruth) script = NULL;
  gsize n_frames, data_bytes;
  guint8 *wav;

  g_return_val_if_fail (call_id != NULL, NULL);

  rand = rand_for (call_id);
  script = place_turns (rand, seconds);
  n_frames = (gsize) (script->duration_ms * CD_DEMO_RECORDING_RATE / 1000);
  data_bytes = n_frames * CD_VOICE_N_CHANNELS * sizeof (gint16);
  wav = g_malloc0 (CD_DEMO_RECORDING_HEADER + data_bytes);
  cd_demo_recording_write_header (wav, CD_DEMO_RECORDING_RATE, CD_VOICE_N_CHANNELS,
                                  (guint32) data_bytes);
  /* The operator's headset is a little louder than the resident's line. */
  render_channel (rand, script->speech[CD_VOICE_OPERATOR],
                  (gint16 *) (wav + CD_DEMO_RECORDING_HEADER), n_frames, 0, SPEECH_GAIN);
  render_channel (rand, script->speech[CD_VOICE_RESIDENT],
                  (gint16 *) (wav + CD_DEMO_RECORDING_HEADER), n_frames, 1,
                  SPEECH_GAIN * 0.7);
#if G_BYTE_ORDER == G_BIG_ENDIAN
  for (gsize i = 0; i < n_frames * CD_VOICE_N_CHANNELS; i++)
    {
      gint16 *sample = (gint16 *) (wav + CD_DEMO_RECORDING_HEADER) + i;

      *sample = GINT16_TO_LE (*sample);
    }
#endif
  if (truth != NULL)
    *truth = g_steal_pointer (&script);
  return g_bytes_new_take (wav, CD_DEMO_RECORDING_HEADER + data_bytes);
}

void
cd_demo_recording_truth_free (CdDemoRecordingTruth *truth)
{
  if (truth == NULL)
    return;
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    g_clear_pointer (&truth->speech[c], g_array_unref);
  g_free (truth);
}

/**
 * cd_demo_recording_truth_figures:
 * @truth: a synthesized recording's truth
 * @frame_ms: the detector's frame
 * @hangover_ms: how long the detector keeps a side talking after it stops
 * @figures: (out caller-allocates): what the detector should find
 *
 * A side talks in a frame its speech covers and for @hangover_ms after,
 * as the detector counts it (docs/qa.md, "The detector").
 */
void
cd_demo_recording_truth_figures (const CdDemoRecordingTruth *truth,
                                 guint                       frame_ms,
                                 guint                       hangover_ms,
                                 CdDemoRecordingFigures     *figures)
{
  gsize n = (gsize) ((truth->duration_ms + frame_ms - 1) / frame_ms);
  g_autofree guint8 *talk = g_malloc0 (n);
  gsize n_talk[CD_VOICE_N_CHANNELS] = { 0 }, n_silence = 0, n_over = 0, run = 0;

  g_return_if_fail (frame_ms > 0);

  memset (figures, 0, sizeof *figures);
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    for (guint i = 0; i < truth->speech[c]->len; i++)
      {
        const CdVoiceSpan *span = &g_array_index (truth->speech[c], CdVoiceSpan, i);
        gsize from = (gsize) (span->start_ms / frame_ms);
        gsize to = (gsize) ((span->end_ms + hangover_ms + frame_ms - 1) / frame_ms);

        for (gsize f = from; f < MIN (to, n); f++)
          talk[f] |= 1u << c;
      }
  for (gsize f = 0; f <= n; f++)
    {
      if (f < n)
        {
          for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
            n_talk[c] += (talk[f] >> c) & 1;
          n_over += talk[f] == 3;
        }
      if (f < n && talk[f] == 0)
        {
          n_silence++;
          run++;
          continue;
        }
      if ((gint64) (run * frame_ms) > figures->longest_silence_ms)
        {
          figures->longest_silence_ms = (gint64) (run * frame_ms);
          figures->longest_silence_start_ms = (gint64) ((f - run) * frame_ms);
        }
      run = 0;
    }
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    figures->talk_share[c] = n > 0 ? (double) n_talk[c] / n : 0;
  figures->silence_share = n > 0 ? (double) n_silence / n : 0;
  figures->overtalk_share = n > 0 ? (double) n_over / n : 0;
}
