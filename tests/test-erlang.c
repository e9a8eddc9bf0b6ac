// SPDX-License-Identifier: GPL-3.0-or-later
/* test-erlang.c: the staffing engine against figures worked out elsewhere
 *
 * Every expected value below was computed from first principles with
 * python3 and mpmath at 30 to 40 digits, not copied from a calculator:
 *
 *  - Erlang B and C by their definitions, Σ A^k/k! summed directly with
 *    exact factorials (no recursion), for the classic example of the
 *    calculators (360 calls in 30 minutes, 240 s handling, 80 % within
 *    20 s: 48 Erlangs) and for 12,345 Erlangs on 12,421 agents;
 *  - Erlang A (M/M/N+M) from its birth-death chain truncated 120 places
 *    past N, and a tagged caller's absorbing chain (served or abandoned):
 *    P(wait) and abandonment from the stationary law, the service level
 *    from the chain's matrix exponential at t, the average waits from its
 *    fundamental matrix. None of it uses the incomplete gamma function the
 *    engine uses, and the abandonment found both ways agreed to 15 digits.
 *
 * tests/erlang-reference.py computes them again.
 */

#include <math.h>

#include "cd-erlang.h"
#include "cd-test.h"

#define assert_close(got, want, rel) \
  G_STMT_START { \
    double g_ = (got), w_ = (want); \
    if (!(fabs (g_ - w_) <= (rel) * fabs (w_))) \
      g_error ("%s = %.17g, expected %.17g (relative %g)", #got, g_, w_, (double) (rel)); \
  } G_STMT_END

static const CdErlangLoad classic = { 360, 1800, 240, 20, 0 };

static void
test_classic (void)
{
  static const struct {
    guint  agents;
    double c;
    double service_level;
    double asa;
  } cases[] = {
    { 53, 0.37654195365687876, 0.7517682451743329, 18.07401377553018 },
    { 54, 0.30130789937626934, 0.8172475210146836, 12.052315975050774 },
    { 55, 0.2387009363780092, 0.8667964881728509, 8.184032104388887 },
    { 57, 0.14518144419712642, 0.9314211416826415, 3.871505178590038 },
  };

  g_assert_cmpfloat (cd_erlang_load_erlangs (&classic), ==, 48.0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CdErlangFigures f;

      g_assert_true (cd_erlang_figures (&classic, cases[i].agents, &f, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (f.agents, ==, cases[i].agents);
      assert_close (f.wait_probability, cases[i].c, 1e-12);
      assert_close (f.service_level_of_offered, cases[i].service_level, 1e-12);
      assert_close (f.service_level_of_answered, cases[i].service_level, 1e-12);
      assert_close (f.asa_all_calls, cases[i].asa, 1e-12);
      assert_close (f.asa_queued_calls, 240.0 / (cases[i].agents - 48.0), 1e-12);
      assert_close (f.occupancy, 48.0 / cases[i].agents, 1e-12);
      g_assert_cmpfloat (f.abandonment, ==, 0.0);
    }
}

static void
test_classic_needed (void)
{
  static const struct {
    CdErlangTarget target;
    guint          on_phones;
    guint          scheduled;
    gboolean       by_occupancy;
  } cases[] = {
    /* 53 agents give 75.2 %, 54 give 81.7 %. */
    { { 0.8, 1.0, 0.0 }, 54, 54, FALSE },
    { { 0.8, 1.0, 0.3 }, 54, 78, FALSE },
    /* 55 give 86.7 %, 56 give 90.4 %. */
    { { 0.85, 1.0, 0.0 }, 55, 55, FALSE },
    { { 0.9, 1.0, 0.0 }, 56, 56, FALSE },
    /* 48 / 57 = 0.842 is the first occupancy under 0.85. */
    { { 0.8, 0.85, 0.0 }, 57, 57, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CdErlangStaffing s;

      g_assert_true (cd_erlang_agents_needed (&classic, &cases[i].target, &s, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (s.on_phones, ==, cases[i].on_phones);
      g_assert_cmpuint (s.scheduled, ==, cases[i].scheduled);
      g_assert_cmpint (s.limited_by_occupancy, ==, cases[i].by_occupancy);
      g_assert_cmpuint (s.figures.agents, ==, cases[i].on_phones);
      g_assert_cmpfloat (s.figures.service_level_of_offered, >=, cases[i].target.service_level);
    }
}

static void
test_shrinkage_exact (void)
{
  /* 5.6 Erlangs with no time target: 7 agents are the first with
   * C <= 0.5 (C = 0.486); 7 / (1 − 0.3) is 10, and 10.000000000000002 in
   * doubles, which must not become 11. */
  CdErlangLoad load = { 56, 3600, 360, 0, 0 };
  CdErlangTarget target = { 0.5, 1.0, 0.3 };
  g_autoptr(GError) error = NULL;
  CdErlangStaffing s;

  g_assert_true (cd_erlang_agents_needed (&load, &target, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.on_phones, ==, 7);
  g_assert_cmpuint (s.scheduled, ==, 10);
}

static void
test_large (void)
{
  /* 12,345 Erlangs on 12,421 agents: factorials of 12,421 overflow a
   * double about 40 times over. */
  g_autoptr(GError) error = NULL;
  CdErlangLoad load = { 123450, 3600, 360, 20, 0 };
  CdErlangFigures f;
  double b;
  double c;

  g_assert_true (cd_erlang_b (12345, 12421, &b, &error));
  g_assert_no_error (error);
  assert_close (b, 0.0037555331067459187, 1e-10);
  g_assert_true (cd_erlang_c (12345, 12421, &c, &error));
  g_assert_no_error (error);
  assert_close (c, 0.3812250150617514, 1e-10);

  g_assert_true (cd_erlang_figures (&load, 12421, &f, &error));
  g_assert_no_error (error);
  assert_close (f.load, 12345, 1e-15);
  assert_close (f.wait_probability, 0.3812250150617514, 1e-10);
  /* 1 − C·e^(−76·20/360), from the C above. */
  assert_close (f.service_level_of_offered, 1.0 - 0.3812250150617514 * exp (-76.0 * 20 / 360),
                1e-10);
  assert_close (f.asa_queued_calls, 360.0 / 76, 1e-12);
}

static void
test_erlang_a (void)
{
  static const struct {
    CdErlangLoad load;
    guint        agents;
    double       wait;
    double       abandonment;
    double       service_level_of_offered;
    double       service_level_of_answered;
    double       asa_all;
    double       asa_queued;
    double       occupancy;
  } cases[] = {
    { { 360, 1800, 240, 20, 120 }, 50, 0.342308803422676, 0.0480217742329705,
      0.850595148296864, 0.893502734909216, 5.33836717384476, 17.2688865175015,
      0.913899096736348 },
    /* More load than agents: Erlang A stays stable, the impatient leave. */
    { { 360, 1800, 240, 20, 60 }, 40, 0.676449674781718, 0.190747149606997,
      0.625030317495218, 0.772354792685228, 10.9261201037422, 18.2045457443503,
      0.971103420471604 },
    { { 30, 3600, 300, 40, 180 }, 3, 0.419044721479948, 0.190226564439884,
      0.65943685581693, 0.814347355517782, 24.3548505234852, 86.1903235131056,
      0.674811196300097 },
    { { 100, 900, 180, 30, 90 }, 20, 0.450093333724035, 0.103881718964162,
      0.804226805242158, 0.897456086168154, 8.38611045619426, 21.7062240727935,
      0.896118281035838 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      CdErlangFigures f;

      g_test_message ("case %u", i);
      g_assert_true (cd_erlang_figures (&cases[i].load, cases[i].agents, &f, &error));
      g_assert_no_error (error);
      assert_close (f.wait_probability, cases[i].wait, 1e-10);
      assert_close (f.abandonment, cases[i].abandonment, 1e-10);
      assert_close (f.service_level_of_offered, cases[i].service_level_of_offered, 1e-10);
      assert_close (f.service_level_of_answered, cases[i].service_level_of_answered, 1e-10);
      assert_close (f.asa_all_calls, cases[i].asa_all, 1e-8);
      assert_close (f.asa_queued_calls, cases[i].asa_queued, 1e-8);
      assert_close (f.occupancy, cases[i].occupancy, 1e-10);
    }
}

static void
test_erlang_a_limits (void)
{
  /* Callers of endless patience are Erlang C's: with a patience of 10⁸ s
   * the figures approach the classic example's at 54 agents. */
  CdErlangLoad patient = { 360, 1800, 240, 20, 1e8 };
  /* A large overloaded queue: 12,345 Erlangs on 12,000 agents, patience 2 minutes. */
  CdErlangLoad large = { 123450, 3600, 360, 20, 120 };
  g_autoptr(GError) error = NULL;
  CdErlangTarget target = { 0.8, 1.0, 0.0 };
  CdErlangStaffing s;
  CdErlangFigures f;

  g_assert_true (cd_erlang_figures (&patient, 54, &f, &error));
  g_assert_no_error (error);
  assert_close (f.wait_probability, 0.30130789937626934, 1e-5);
  assert_close (f.service_level_of_offered, 0.8172475210146836, 1e-5);
  assert_close (f.asa_all_calls, 12.052315975050774, 1e-4);
  g_assert_cmpfloat (f.abandonment, <, 1e-6);

  g_assert_true (cd_erlang_figures (&large, 12000, &f, &error));
  g_assert_no_error (error);
  /* From the birth-death chain summed directly to N + 6,000 (mpmath). */
  assert_close (f.wait_probability, 0.960386971966365488, 1e-9);
  assert_close (f.abandonment, 0.0280450789209905223, 1e-9);
  assert_close (f.occupancy, 0.999898625060031000, 1e-9);
  g_assert_true (isfinite (f.service_level_of_offered));
  g_assert_true (isfinite (f.asa_all_calls));

  /* Patience only lowers the agents needed. */
  g_assert_true (cd_erlang_agents_needed (&patient, &target, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.on_phones, <=, 54);
  g_assert_cmpuint (s.on_phones, >=, 53);
}

static void
test_unstable (void)
{
  static const guint agents[] = { 1, 47, 48 };

  for (guint i = 0; i < G_N_ELEMENTS (agents); i++)
    {
      g_autoptr(GError) error = NULL;
      CdErlangFigures f;
      double c;

      g_assert_false (cd_erlang_figures (&classic, agents[i], &f, &error));
      g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_UNSTABLE);
      g_clear_error (&error);
      g_assert_false (cd_erlang_c (48, agents[i], &c, &error));
      g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_UNSTABLE);
    }
}

static void
test_invalid (void)
{
  static const CdErlangLoad loads[] = {
    { -1, 1800, 240, 20, 0 },
    { 360, 0, 240, 20, 0 },
    { 360, 1800, 0, 20, 0 },
    { 360, 1800, -5, 20, 0 },
    { 360, 1800, 240, -1, 0 },
    { 360, 1800, 240, 20, -1 },
    { NAN, 1800, 240, 20, 0 },
    { 360, 1800, INFINITY, 20, 0 },
    /* A hundred million Erlangs. */
    { 1e8, 3600, 3600, 20, 0 },
  };
  static const CdErlangTarget targets[] = {
    { 0, 1, 0 }, { 1, 1, 0 }, { 0.8, 0, 0 }, { 0.8, 1.1, 0 }, { 0.8, 1, 1 }, { 0.8, 1, -0.1 },
    { NAN, 1, 0 },
  };
  CdErlangTarget good = { 0.8, 1.0, 0.0 };
  CdErlangStaffing s;
  CdErlangFigures f;
  double b;

  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("load %u", i);
      g_assert_false (cd_erlang_figures (&loads[i], 60, &f, &error));
      g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (cd_erlang_agents_needed (&loads[i], &good, &s, &error));
      g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("target %u", i);
      g_assert_false (cd_erlang_agents_needed (&classic, &targets[i], &s, &error));
      g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (cd_erlang_b (-1, 3, &b, &error));
    g_assert_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID);
  }
}

static void
test_no_calls (void)
{
  CdErlangLoad load = { 0, 1800, 240, 20, 0 };
  CdErlangTarget target = { 0.8, 1.0, 0.3 };
  g_autoptr(GError) error = NULL;
  CdErlangStaffing s;
  CdErlangFigures f;

  g_assert_true (cd_erlang_agents_needed (&load, &target, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.on_phones, ==, 0);
  g_assert_cmpuint (s.scheduled, ==, 0);
  g_assert_true (cd_erlang_figures (&load, 3, &f, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (f.service_level_of_offered, ==, 1.0);
  g_assert_cmpfloat (f.occupancy, ==, 0.0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/erlang/classic", test_classic);
  g_test_add_func ("/erlang/classic-needed", test_classic_needed);
  g_test_add_func ("/erlang/shrinkage-exact", test_shrinkage_exact);
  g_test_add_func ("/erlang/large", test_large);
  g_test_add_func ("/erlang/erlang-a", test_erlang_a);
  g_test_add_func ("/erlang/erlang-a-limits", test_erlang_a_limits);
  g_test_add_func ("/erlang/unstable", test_unstable);
  g_test_add_func ("/erlang/invalid", test_invalid);
  g_test_add_func ("/erlang/no-calls", test_no_calls);

  return g_test_run ();
}
