// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-voice-activity.c: an energy-based voice-activity detector
 *
 * The noise floor of each channel is the quietest frame of the last few
 * seconds (a minimum over blocks of half a second), the "minimum
 * statistics" idea: speech always has gaps where the line falls back to
 * its noise, so the minimum follows the noise up and down without having
 * to know which frames are speech. A frame is speech when its energy is
 * threshold_db above that floor and above an absolute level, so that a
 * line of digital silence does not turn its dither into talk. The hangover
 * keeps a channel talking over the pauses between words; without it a
 * sentence would count as a burst of dead air every few hundred ms.
 *
 * The sample loop only sums squares and tracks peaks; everything else
 * happens once a frame, which keeps the analysis hundreds of times faster
 * than real time (tests/bench/bench-voice-activity.c).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>

#include "cd-json-reader.h"
#include "cd-voice-activity.h"

G_DEFINE_QUARK (cd-voice-activity-error-quark, cd_voice_activity_error)

/* The floor is the minimum of NOISE_BLOCKS blocks of NOISE_BLOCK_MS each:
 * it follows a rising noise within 4 s, and outlasts a speaker who talks
 * 3.5 s without a single quiet frame. */
#define NOISE_BLOCK_MS 500
#define NOISE_BLOCKS 8

/* Below -80 dBFS the floor stops falling: a floor of exactly 0 (digital
 * silence) would make any dither speech. */
#define FLOOR_MIN_DBFS -80.0

#define FULL_SCALE 32768.0

typedef struct
{
  double floor_ring[NOISE_BLOCKS];
  guint  ring_len;
  guint  ring_pos;
  double ring_min;
  double block_min;
  guint  block_frames;
  guint  hang;
  gboolean talking;
} Channel;

struct _CdVoiceActivity
{
  CdVoiceActivityConfig config;
  guint    frame_len;
  guint    peak_len;
  guint    block_frames;
  guint    hangover_frames;
  double   ratio;
  double   min_energy;
  double   floor_min;

  /* The frame and the waveform window being summed. */
  gint64   sum[CD_VOICE_N_CHANNELS];
  guint    in_frame;
  int      peak[CD_VOICE_N_CHANNELS];
  guint    in_peak;
  gboolean have_pending;
  gint16   pending;

  Channel  channels[CD_VOICE_N_CHANNELS];

  guint64  n_frames;
  guint64  talk[CD_VOICE_N_CHANNELS];
  guint64  silence;
  guint64  overtalk;
  gboolean in_silence;
  guint64  silence_start;
  gboolean in_overtalk;
  guint64  overtalk_start;
  guint64  longest_silence;
  guint64  longest_silence_start;

  GArray     *silences;
  GArray     *overtalks;
  GByteArray *peaks[CD_VOICE_N_CHANNELS];
  gboolean    finished;
};

/**
 * cd_voice_activity_config_init:
 * @config: (out): the configuration to fill
 * @rate: samples per second of each channel
 *
 * Fills @config with the defaults of docs/qa.md: 10 ms frames, a value of
 * the waveform per 100 ms, a hangover of 200 ms, speech 9 dB above the
 * floor and above -50 dBFS, dead air listed from 2 s and overtalk from
 * 0.5 s.
 */
void
cd_voice_activity_config_init (CdVoiceActivityConfig *config,
                               guint                  rate)
{
  *config = (CdVoiceActivityConfig) {
    .rate = rate,
    .frame_ms = 10,
    .peak_ms = 100,
    .hangover_ms = 200,
    .threshold_db = 9.0,
    .min_level_dbfs = -50.0,
    .min_silence_ms = 2000,
    .min_overtalk_ms = 500,
  };
}

static double
dbfs_to_energy (double dbfs)
{
  /* The mean square of a signal at @dbfs, full scale being 32768. */
  return FULL_SCALE * FULL_SCALE * pow (10.0, dbfs / 10.0);
}

/**
 * cd_voice_activity_new:
 * @config: the configuration (see #CdVoiceActivityConfig for its limits)
 * @error: return location for a %CD_VOICE_ACTIVITY_ERROR_INVALID
 *
 * Returns: (transfer full): a detector to feed, or %NULL
 */
CdVoiceActivity *
cd_voice_activity_new (const CdVoiceActivityConfig  *config,
                       GError                      **error)
{
  CdVoiceActivity *self;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->rate < 8000 || config->rate > 192000)
    {
      g_set_error (error, CD_VOICE_ACTIVITY_ERROR, CD_VOICE_ACTIVITY_ERROR_INVALID,
                   _("the sample rate %u is not from 8000 to 192000"), config->rate);
      return NULL;
    }
  if ((config->frame_ms != 10 && config->frame_ms != 20)
      || (config->rate * config->frame_ms) % 1000 != 0)
    {
      g_set_error (error, CD_VOICE_ACTIVITY_ERROR, CD_VOICE_ACTIVITY_ERROR_INVALID,
                   _("a frame of %u ms is not a whole number of samples at %u Hz (10 or 20 ms)"),
                   config->frame_ms, config->rate);
      return NULL;
    }
  if (config->peak_ms < 10 || config->peak_ms > 10000 || config->hangover_ms > 2000
      || !(config->threshold_db >= 0 && config->threshold_db <= 60)
      || !(config->min_level_dbfs < 0 && config->min_level_dbfs >= -120))
    {
      g_set_error_literal (error, CD_VOICE_ACTIVITY_ERROR, CD_VOICE_ACTIVITY_ERROR_INVALID,
                           _("the detector’s settings are out of range"));
      return NULL;
    }

  self = g_new0 (CdVoiceActivity, 1);
  self->config = *config;
  self->frame_len = config->rate * config->frame_ms / 1000;
  /* The waveform's windows need not be whole frames; at least a sample. */
  self->peak_len = MAX (1, (guint) ((guint64) config->rate * config->peak_ms / 1000));
  self->block_frames = NOISE_BLOCK_MS / config->frame_ms;
  self->hangover_frames = config->hangover_ms / config->frame_ms;
  self->ratio = pow (10.0, config->threshold_db / 10.0);
  self->min_energy = dbfs_to_energy (config->min_level_dbfs);
  self->floor_min = dbfs_to_energy (FLOOR_MIN_DBFS);
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    {
      self->channels[c].block_min = G_MAXDOUBLE;
      self->channels[c].ring_min = G_MAXDOUBLE;
      self->peaks[c] = g_byte_array_new ();
    }
  self->silences = g_array_new (FALSE, FALSE, sizeof (CdVoiceSpan));
  self->overtalks = g_array_new (FALSE, FALSE, sizeof (CdVoiceSpan));
  return self;
}

/**
 * cd_voice_activity_free:
 * @self: (nullable): a detector
 */
void
cd_voice_activity_free (CdVoiceActivity *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->silences, g_array_unref);
  g_clear_pointer (&self->overtalks, g_array_unref);
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    g_clear_pointer (&self->peaks[c], g_byte_array_unref);
  g_free (self);
}

static gint64
to_ms (const CdVoiceActivity *self,
       guint64                frames)
{
  return (gint64) (frames * 1000 / self->config.rate);
}

/* Whether a channel talks in the frame of @energy, its floor updated. */
static gboolean
channel_frame (CdVoiceActivity *self,
               Channel         *channel,
               double           energy)
{
  double noise;

  channel->block_min = MIN (channel->block_min, energy);
  noise = MAX (MIN (channel->block_min, channel->ring_min), self->floor_min);
  if (++channel->block_frames == self->block_frames)
    {
      channel->floor_ring[channel->ring_pos] = channel->block_min;
      channel->ring_pos = (channel->ring_pos + 1) % NOISE_BLOCKS;
      channel->ring_len = MIN (channel->ring_len + 1, NOISE_BLOCKS);
      channel->ring_min = G_MAXDOUBLE;
      for (guint i = 0; i < channel->ring_len; i++)
        channel->ring_min = MIN (channel->ring_min, channel->floor_ring[i]);
      channel->block_min = G_MAXDOUBLE;
      channel->block_frames = 0;
    }

  if (energy > noise * self->ratio && energy > self->min_energy)
    {
      channel->hang = self->hangover_frames;
      return TRUE;
    }
  if (channel->hang > 0)
    {
      channel->hang--;
      return TRUE;
    }
  return FALSE;
}

static void
end_span (GArray  *spans,
          gint64   start_ms,
          gint64   end_ms,
          guint    min_ms)
{
  CdVoiceSpan span = { start_ms, end_ms };

  if (end_ms - start_ms >= (gint64) min_ms)
    g_array_append_val (spans, span);
}

static void
end_silence (CdVoiceActivity *self)
{
  guint64 length = self->n_frames - self->silence_start;

  if (length > self->longest_silence)
    {
      self->longest_silence = length;
      self->longest_silence_start = self->silence_start;
    }
  end_span (self->silences, to_ms (self, self->silence_start), to_ms (self, self->n_frames),
            self->config.min_silence_ms);
  self->in_silence = FALSE;
}

static void
end_overtalk (CdVoiceActivity *self)
{
  end_span (self->overtalks, to_ms (self, self->overtalk_start), to_ms (self, self->n_frames),
            self->config.min_overtalk_ms);
  self->in_overtalk = FALSE;
}

/* The frame summed so far (a whole one, or the last part at the end). */
static void
close_frame (CdVoiceActivity *self)
{
  gboolean talking[CD_VOICE_N_CHANNELS];
  guint n = self->in_frame;

  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    {
      talking[c] = channel_frame (self, &self->channels[c], (double) self->sum[c] / n);
      if (talking[c])
        self->talk[c] += n;
      self->sum[c] = 0;
    }
  if (!talking[0] && !talking[1])
    {
      if (!self->in_silence)
        {
          self->in_silence = TRUE;
          self->silence_start = self->n_frames;
        }
      self->silence += n;
    }
  else if (self->in_silence)
    end_silence (self);
  if (talking[0] && talking[1])
    {
      if (!self->in_overtalk)
        {
          self->in_overtalk = TRUE;
          self->overtalk_start = self->n_frames;
        }
      self->overtalk += n;
    }
  else if (self->in_overtalk)
    end_overtalk (self);
  self->n_frames += n;
  self->in_frame = 0;
}

static void
close_peak (CdVoiceActivity *self)
{
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    {
      guint8 value = (guint8) MIN (255, (self->peak[c] * 255 + 16384) / 32768);

      g_byte_array_append (self->peaks[c], &value, 1);
      self->peak[c] = 0;
    }
  self->in_peak = 0;
}

/* Whole sample frames: operator, resident, operator, … */
static void
feed_pairs (CdVoiceActivity *self,
            const gint16    *p,
            gsize            n_pairs)
{
  while (n_pairs > 0)
    {
      gsize take = MIN (self->frame_len - self->in_frame, self->peak_len - self->in_peak);
      gint64 s0 = self->sum[0];
      gint64 s1 = self->sum[1];
      int p0 = self->peak[0];
      int p1 = self->peak[1];

      take = MIN (take, n_pairs);
      for (gsize i = 0; i < take; i++)
        {
          int a = p[2 * i];
          int b = p[2 * i + 1];

          s0 += a * a;
          s1 += b * b;
          a = abs (a);
          b = abs (b);
          p0 = a > p0 ? a : p0;
          p1 = b > p1 ? b : p1;
        }
      self->sum[0] = s0;
      self->sum[1] = s1;
      self->peak[0] = p0;
      self->peak[1] = p1;
      self->in_frame += take;
      self->in_peak += take;
      p += 2 * take;
      n_pairs -= take;
      if (self->in_frame == self->frame_len)
        close_frame (self);
      if (self->in_peak == self->peak_len)
        close_peak (self);
    }
}

/**
 * cd_voice_activity_feed:
 * @self: a detector not finished yet
 * @samples: (array length=n_samples): interleaved samples, the operator's
 *   channel first
 * @n_samples: their number; a chunk may end between the two samples of a
 *   frame, the next one goes on from there
 *
 * Adds the samples to the analysis. The result is the same however the
 * recording is cut into chunks.
 */
void
cd_voice_activity_feed (CdVoiceActivity *self,
                        const gint16    *samples,
                        gsize            n_samples)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->finished);
  g_return_if_fail (samples != NULL || n_samples == 0);

  if (n_samples == 0)
    return;
  if (self->have_pending)
    {
      gint16 pair[2] = { self->pending, samples[0] };

      self->have_pending = FALSE;
      feed_pairs (self, pair, 1);
      samples++;
      n_samples--;
    }
  feed_pairs (self, samples, n_samples / 2);
  if (n_samples % 2 == 1)
    {
      self->pending = samples[n_samples - 1];
      self->have_pending = TRUE;
    }
}

/**
 * cd_voice_activity_finish:
 * @self: a detector; it takes no samples after this
 *
 * Analyses the last, partial frame and closes the figures. A lone
 * operator's sample at the very end, without its resident's, is dropped.
 *
 * Returns: (transfer full): the figures of the recording
 */
CdVoiceActivityResult *
cd_voice_activity_finish (CdVoiceActivity *self)
{
  CdVoiceActivityResult *result;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (!self->finished, NULL);

  self->finished = TRUE;
  if (self->in_frame > 0)
    close_frame (self);
  if (self->in_peak > 0)
    close_peak (self);
  if (self->in_silence)
    end_silence (self);
  if (self->in_overtalk)
    end_overtalk (self);

  result = g_new0 (CdVoiceActivityResult, 1);
  result->rate = self->config.rate;
  result->frame_ms = self->config.frame_ms;
  result->peak_ms = self->config.peak_ms;
  result->n_frames = self->n_frames;
  result->duration_ms = to_ms (self, self->n_frames);
  if (self->n_frames > 0)
    {
      for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
        result->talk_share[c] = (double) self->talk[c] / self->n_frames;
      result->silence_share = (double) self->silence / self->n_frames;
      result->overtalk_share = (double) self->overtalk / self->n_frames;
    }
  result->longest_silence_ms = to_ms (self, self->longest_silence);
  result->longest_silence_start_ms = to_ms (self, self->longest_silence_start);
  result->silences = g_steal_pointer (&self->silences);
  result->overtalks = g_steal_pointer (&self->overtalks);
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    result->peaks[c] = g_steal_pointer (&self->peaks[c]);
  return result;
}

/**
 * cd_voice_activity_analyze:
 * @config: the configuration
 * @samples: (array length=n_samples): a whole recording's interleaved
 *   samples
 * @n_samples: their number
 * @error: return location for a %CD_VOICE_ACTIVITY_ERROR_INVALID
 *
 * Returns: (transfer full): the figures, as one feed and finish give them,
 *   or %NULL for a configuration out of range
 */
CdVoiceActivityResult *
cd_voice_activity_analyze (const CdVoiceActivityConfig  *config,
                           const gint16                 *samples,
                           gsize                         n_samples,
                           GError                      **error)
{
  g_autoptr(CdVoiceActivity) self = cd_voice_activity_new (config, error);

  if (self == NULL)
    return NULL;
  cd_voice_activity_feed (self, samples, n_samples);
  return cd_voice_activity_finish (self);
}

/**
 * cd_voice_activity_result_free:
 * @result: (nullable): figures
 */
void
cd_voice_activity_result_free (CdVoiceActivityResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->silences, g_array_unref);
  g_clear_pointer (&result->overtalks, g_array_unref);
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    g_clear_pointer (&result->peaks[c], g_byte_array_unref);
  g_free (result);
}

static void
append_share (GString    *out,
              const char *name,
              double      share)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ',');
  cd_json_append_string (out, name);
  g_string_append_c (out, ':');
  g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.4f", share));
}

static void
append_spans (GString    *out,
              const char *name,
              GArray     *spans)
{
  g_string_append_c (out, ',');
  cd_json_append_string (out, name);
  g_string_append (out, ":[");
  for (guint i = 0; i < spans->len; i++)
    {
      const CdVoiceSpan *span = &g_array_index (spans, CdVoiceSpan, i);

      g_string_append_printf (out, "%s[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]",
                              i > 0 ? "," : "", span->start_ms, span->end_ms);
    }
  g_string_append_c (out, ']');
}

/**
 * cd_voice_activity_result_to_json:
 * @result: figures
 *
 * Returns: (transfer full): the figures as a JSON object (docs/qa.md,
 *   "Voice activity"), the waveform's bytes in base64
 */
char *
cd_voice_activity_result_to_json (const CdVoiceActivityResult *result)
{
  static const char * const names[] = { "operator", "resident" };
  GString *out = g_string_new ("{");
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "\"rate\":%u,\"frame_ms\":%u,\"duration_ms\":%" G_GINT64_FORMAT,
                          result->rate, result->frame_ms, result->duration_ms);
  g_string_append (out, ",\"talk_share\":{");
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    {
      g_string_append_printf (out, "%s\"%s\":", c > 0 ? "," : "", names[c]);
      g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.4f",
                                             result->talk_share[c]));
    }
  g_string_append_c (out, '}');
  append_share (out, "silence_share", result->silence_share);
  append_share (out, "overtalk_share", result->overtalk_share);
  g_string_append_printf (out, ",\"longest_silence_ms\":%" G_GINT64_FORMAT
                          ",\"longest_silence_start_ms\":%" G_GINT64_FORMAT,
                          result->longest_silence_ms, result->longest_silence_start_ms);
  append_spans (out, "silences", result->silences);
  append_spans (out, "overtalks", result->overtalks);
  g_string_append_printf (out, ",\"waveform\":{\"peak_ms\":%u", result->peak_ms);
  for (guint c = 0; c < CD_VOICE_N_CHANNELS; c++)
    {
      g_autofree char *encoded = g_base64_encode (result->peaks[c]->data,
                                                  result->peaks[c]->len);

      g_string_append_printf (out, ",\"%s\":\"%s\"", names[c], encoded);
    }
  g_string_append (out, "}}");
  return g_string_free (out, FALSE);
}
