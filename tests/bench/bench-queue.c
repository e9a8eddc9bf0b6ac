// SPDX-License-Identifier: GPL-3.0-or-later
/* bench-queue.c: how fast the staffing engine finds the agents a load needs
 *
 * (The staffing part of the queue benchmark; the interval table from the
 * store and the server's tile updates join it with the calls.)
 *
 * cd_erlang_agents_needed () for 10,000 random Erlang C loads (0.5 to 300
 * Erlangs, handling 1 to 10 minutes, targets of 10 to 60 s at 70 to 95 %,
 * a maximum occupancy of 80 to 100 %), against a direct-sum implementation
 * on the same inputs: Erlang C from Σ A^k/k! summed afresh, term by term
 * from lgamma, for each count of agents tried. It checks that both find
 * the same count (or that the reference's service level at the engine's
 * count is within 1e-9 of the target, where rounding may pick either) and
 * prints the time of each and their ratio, and the time of the same search
 * with Erlang A (a patience of 2 minutes); it asserts no time. The small
 * mode (cd-bench.h) does the same on 500 loads.
 */

#include <math.h>
#include <stdio.h>

#include "cd-erlang.h"
#include "cd-bench.h"

typedef struct
{
  CdErlangLoad   load;
  CdErlangTarget target;
} Case;

/* Erlang C's service level at @agents, from the definition. The terms are
 * scaled by the largest, at k = ⌊A⌋, so that none overflows. */
static double
direct_service_level (const CdErlangLoad *load,
                      guint               agents)
{
  double a = cd_erlang_load_erlangs (load);
  double log_a = log (a);
  double peak = floor (a) * log_a - lgamma (floor (a) + 1.0);
  double sum = 0.0;
  double top;
  double c;

  for (guint k = 0; k < agents; k++)
    sum += exp (k * log_a - lgamma (k + 1.0) - peak);
  top = exp (agents * log_a - lgamma (agents + 1.0) - peak) * agents / (agents - a);
  c = top / (sum + top);
  return 1.0 - c * exp (-(agents - a) * load->target / load->aht);
}

static guint
direct_agents_needed (const Case *c)
{
  double a = cd_erlang_load_erlangs (&c->load);

  for (guint n = (guint) floor (a) + 1;; n++)
    if (a / n <= c->target.max_occupancy
        && direct_service_level (&c->load, n) >= c->target.service_level)
      return n;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  guint n_loads = cd_bench_small () ? 500 : 10000;
  g_autofree Case *cases = g_new (Case, n_loads);
  g_autofree guint *ours = g_new (guint, n_loads);
  g_autofree guint *reference = g_new (guint, n_loads);
  guint agree = 0;
  guint ties = 0;
  guint64 agents_total = 0;
  double ours_s;
  double reference_s;
  double patience_s;
  gint64 t0;

  cd_test_own_tmp_dir ();
  setvbuf (stdout, NULL, _IOLBF, 0);

  for (guint i = 0; i < n_loads; i++)
    {
      double erlangs = g_rand_double_range (rand, 0.5, 300.0);

      cases[i].load.interval = 1800;
      cases[i].load.aht = g_rand_int_range (rand, 60, 601);
      cases[i].load.calls = erlangs * cases[i].load.interval / cases[i].load.aht;
      cases[i].load.target = g_rand_int_range (rand, 10, 61);
      cases[i].load.patience = 0;
      cases[i].target.service_level = g_rand_double_range (rand, 0.7, 0.95);
      cases[i].target.max_occupancy = g_rand_double_range (rand, 0.8, 1.0);
      cases[i].target.shrinkage = 0.3;
    }

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n_loads; i++)
    {
      g_autoptr(GError) error = NULL;
      CdErlangStaffing staffing;

      if (!cd_erlang_agents_needed (&cases[i].load, &cases[i].target, &staffing, &error))
        g_error ("load %u: %s", i, error->message);
      ours[i] = staffing.on_phones;
    }
  ours_s = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n_loads; i++)
    reference[i] = direct_agents_needed (&cases[i]);
  reference_s = (g_get_monotonic_time () - t0) / 1e6;

  /* Erlang A on the same loads, for the what-if panel's sake: it has no
   * direct-sum counterpart here (test-erlang.c checks its figures). */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n_loads; i++)
    {
      g_autoptr(GError) error = NULL;
      CdErlangLoad load = cases[i].load;
      CdErlangStaffing staffing;

      load.patience = 120;
      if (!cd_erlang_agents_needed (&load, &cases[i].target, &staffing, &error))
        g_error ("Erlang A load %u: %s", i, error->message);
      if (staffing.on_phones > ours[i])
        g_error ("Erlang A load %u needs more agents than Erlang C: %u > %u", i,
                 staffing.on_phones, ours[i]);
    }
  patience_s = (g_get_monotonic_time () - t0) / 1e6;

  for (guint i = 0; i < n_loads; i++)
    {
      agents_total += ours[i];
      if (ours[i] == reference[i])
        {
          agree++;
          continue;
        }
      if (fabs (direct_service_level (&cases[i].load, ours[i])
                - cases[i].target.service_level) < 1e-9)
        {
          ties++;
          continue;
        }
      g_error ("load %u (%.4f Erlangs, aht %.0f s, %.0f s at %.4f, occupancy %.4f): "
               "the engine needs %u agents, the direct sum %u", i,
               cd_erlang_load_erlangs (&cases[i].load), cases[i].load.aht,
               cases[i].load.target, cases[i].target.service_level,
               cases[i].target.max_occupancy, ours[i], reference[i]);
    }

  printf ("queue staffing: %u random Erlang C loads of 0.5 to 300 Erlangs, %.1f agents on "
          "average\n", n_loads, (double) agents_total / n_loads);
  printf ("queue staffing: engine (recursion) %.3f s, %.1f us per load\n", ours_s,
          ours_s / n_loads * 1e6);
  printf ("queue staffing: direct sum %.3f s, %.1f us per load; %u agree, %u at a tie of "
          "1e-9; ratio %.0fx\n", reference_s, reference_s / n_loads * 1e6, agree, ties,
          reference_s / ours_s);
  printf ("queue staffing: Erlang A (patience 2 minutes) on the same loads %.3f s, "
          "%.1f us per load\n", patience_s, patience_s / n_loads * 1e6);
  return 0;
}
