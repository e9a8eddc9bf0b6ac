// SPDX-License-Identifier: GPL-3.0-or-later
/* bench-voice-activity.c: how fast the voice-activity detector reads a
 * recording, in seconds of audio per second of CPU
 *
 * An hour of two-channel telephone audio (8 kHz, as Asterisk records a
 * call; 60 s in the small mode) is generated with speech-like bursts on
 * both sides, and analysed by cd_voice_activity_analyze() and, fed in
 * chunks of 20 ms as a GStreamer decoder pushes them, by
 * cd_voice_activity_feed(). The baseline, in the same run, is a plain
 * pass over the same buffer summing the squares of its samples: the least
 * any energy detector must do. Each is the best of five rounds of process
 * CPU time. The goal is over 500 times real time; 48 kHz audio (a
 * recording made off a softphone) is timed too.
 *
 * It asserts no time, only that the analysis found the talk it was given.
 */

#include <math.h>
#include <stdio.h>
#include <time.h>

#include "cd-bench.h"
#include "cd-voice-activity.h"

#define ROUNDS 5

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Each side talks in bursts of 250 ms every 300 ms for 4 s out of 10, the
 * resident's turn overlapping the operator's by 1 s, over a faint noise;
 * each 10 s start with half a second of it, as a call does. */
static gint16 *
generate (guint  rate,
          gsize  n_frames)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint16 *samples = g_new (gint16, 2 * n_frames);

  for (gsize i = 0; i < n_frames; i++)
    {
      guint ms = (guint) ((i * 1000 / rate) % 10000);
      guint into = (ms + 10000 - 500) % 300;
      gboolean burst = into < 250;
      int op = g_rand_int_range (rand, -40, 41);
      int res = g_rand_int_range (rand, -40, 41);

      if (ms >= 500 && ms < 4500 && burst)
        op += (int) (8000 * sin (2 * G_PI * 440.0 * i / rate));
      if (ms >= 3500 && ms < 7500 && burst)
        res += g_rand_int_range (rand, -6000, 6001);
      samples[2 * i] = (gint16) op;
      samples[2 * i + 1] = (gint16) res;
    }
  return samples;
}

static double
baseline (const gint16 *samples,
          gsize         n)
{
  double best = G_MAXDOUBLE;
  volatile gint64 sink = 0;

  for (guint r = 0; r < ROUNDS; r++)
    {
      double start = cpu_seconds ();
      gint64 sum = 0;

      for (gsize i = 0; i < n; i++)
        sum += (int) samples[i] * samples[i];
      sink = sum;
      best = MIN (best, cpu_seconds () - start);
    }
  (void) sink;
  return best;
}

static double
analyze (guint          rate,
         const gint16  *samples,
         gsize          n,
         gboolean       chunked,
         double        *operator_talk)
{
  double best = G_MAXDOUBLE;
  CdVoiceActivityConfig config;

  cd_voice_activity_config_init (&config, rate);
  for (guint r = 0; r < ROUNDS; r++)
    {
      g_autoptr(CdVoiceActivityResult) result = NULL;
      double start = cpu_seconds ();

      if (chunked)
        {
          g_autoptr(CdVoiceActivity) vad = cd_voice_activity_new (&config, NULL);
          gsize chunk = 2 * rate / 50;

          for (gsize at = 0; at < n; at += chunk)
            cd_voice_activity_feed (vad, samples + at, MIN (chunk, n - at));
          result = cd_voice_activity_finish (vad);
        }
      else
        result = cd_voice_activity_analyze (&config, samples, n, NULL);
      best = MIN (best, cpu_seconds () - start);
      *operator_talk = result->talk_share[CD_VOICE_OPERATOR];
    }
  return best;
}

static void
run (guint rate,
     guint seconds)
{
  gsize n_frames = (gsize) rate * seconds;
  g_autofree gint16 *samples = generate (rate, n_frames);
  double base, whole, chunked, talk = 0, talk_chunked = 0;

  base = baseline (samples, 2 * n_frames);
  whole = analyze (rate, samples, 2 * n_frames, FALSE, &talk);
  chunked = analyze (rate, samples, 2 * n_frames, TRUE, &talk_chunked);

  /* 4 s of bursts and the 200 ms hangover in every 10 s. */
  if (fabs (talk - 0.42) > 0.01 || talk != talk_chunked)
    g_error ("the operator talks %.4f of the time (chunked %.4f), not 0.42", talk,
             talk_chunked);

  printf ("%u Hz, %u s of two-channel audio:\n", rate, seconds);
  printf ("  baseline (sum of squares): %8.2f ms CPU, %8.0f× real time\n", base * 1e3,
          seconds / base);
  printf ("  analysis, one buffer:      %8.2f ms CPU, %8.0f× real time, %.2f× the baseline\n",
          whole * 1e3, seconds / whole, whole / base);
  printf ("  analysis, 20 ms chunks:    %8.2f ms CPU, %8.0f× real time, %.2f× the baseline\n",
          chunked * 1e3, seconds / chunked, chunked / base);
  printf ("  goal: over 500× real time: %s\n", seconds / chunked > 500 ? "met" : "NOT met");
}

int
main (int    argc,
      char **argv)
{
  guint seconds = cd_bench_small () ? 60 : 3600;

  cd_test_own_tmp_dir ();
  run (8000, seconds);
  run (48000, seconds / 6);
  return 0;
}
