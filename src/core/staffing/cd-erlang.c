// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-erlang.c: Erlang B, C and A
 *
 * Erlang B by its recursion B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)):
 * every step is a ratio of numbers of the same size, so no factorial and
 * no power is ever formed, nothing overflows, and a few thousand agents
 * cost a few thousand steps. Erlang C follows from it,
 * C = N·B / (N − A·(1 − B)), for A < N; with A ≥ N the queue grows without
 * end and there is no steady state, which the caller is told as an error.
 *
 * Erlang A is Palm's M/M/N+M queue (arrivals λ, service μ = 1/AHT, N
 * agents, each waiting caller abandons at rate θ = 1/patience), solved
 * exactly with the formulas of Mandelbaum and Zeltyn ("Service Engineering
 * in Action: the Palm/Erlang-A Queue, with Applications to Call Centers",
 * 2007). With x = λ/θ and y = Nμ/θ, the states above N weigh, relative to
 * the state N, T(y, x) = Σ_{j≥0} x^j / ((y+1)(y+2)…(y+j)), which is
 * Γ(y+1)·e^x·x^−y·P(y, x), P the regularised lower incomplete gamma
 * function. T is summed directly while x < y + 1 (the series of P, where
 * its terms fall from the start) and otherwise taken from Q = 1 − P by
 * Lentz's continued fraction; either way only log T is kept, so that
 * 12,000 agents overloaded by a few hundred Erlangs still fit in a double.
 * From it:
 *
 *   P(wait)            = 1 / (1 + (1/B − 1) / T(y, x))
 *   P(served | wait)   = y/(y+1) · T(y+1, x) / T(y, x)
 *   P(served, W > t | wait)
 *                      = y/(y+1) · e^(−(y+1)θt + x − z) · T(y+1, z) / T(y, x),
 *                        z = x·e^(−θt)
 *
 * (the last is M-Z's y·P(y+1, z) / (x·P(y, x)) rewritten in T so that no
 * incomplete gamma underflows). The average wait of answered calls is the
 * integral of the last over t, taken by adaptive Simpson's rule: it falls
 * monotonically and smoothly, so the rule converges quickly.
 */

#include "config.h"

#include <float.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "cd-erlang.h"

G_DEFINE_QUARK (cd-erlang-error-quark, cd_erlang_error)

/* Beyond this the series and the continued fraction have long converged
 * for any load the engine accepts (they need O(√y) terms). */
#define MAX_ITERATIONS 1000000

/* The most Erlangs accepted: staffing them takes a few times as many
 * recursion steps. */
#define MAX_LOAD (CD_ERLANG_MAX_AGENTS / 2.0)

static double
erlang_b_recursion (double load,
                    guint  agents)
{
  double b = 1.0;

  for (guint n = 1; n <= agents; n++)
    b = load * b / (n + load * b);
  return b;
}

static double
erlang_c_from_b (double load,
                 guint  agents,
                 double b)
{
  return agents * b / (agents - load * (1.0 - b));
}

/* log T(a, x), T(a, x) = Σ_{n≥0} x^n / ((a+1)…(a+n)) = Γ(a+1)·e^x·x^−a·P(a, x). */
static double
log_t (double a,
       double x)
{
  if (x <= 0.0)
    return 0.0;
  if (x < a + 1.0)
    {
      double sum = 1.0;
      double term = 1.0;

      for (int n = 1; n < MAX_ITERATIONS; n++)
        {
          term *= x / (a + n);
          sum += term;
          if (term < sum * DBL_EPSILON)
            break;
        }
      return log (sum);
    }
  else
    {
      /* Q(a, x) = e^−x·x^a / Γ(a) · h, h the continued fraction
       * 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))), by Lentz's method. */
      const double tiny = DBL_MIN / DBL_EPSILON;
      double b = x + 1.0 - a;
      double c = 1.0 / tiny;
      double d = 1.0 / b;
      double h = d;
      double q;

      for (int i = 1; i < MAX_ITERATIONS; i++)
        {
          double an = -i * (i - a);
          double delta;

          b += 2.0;
          d = an * d + b;
          if (fabs (d) < tiny)
            d = tiny;
          c = b + an / c;
          if (fabs (c) < tiny)
            c = tiny;
          d = 1.0 / d;
          delta = d * c;
          h *= delta;
          if (fabs (delta - 1.0) < DBL_EPSILON)
            break;
        }
      q = exp (-x + a * log (x) - lgamma (a) + log (h));
      return lgamma (a + 1.0) + x - a * log (x) + log1p (-q);
    }
}

gboolean
cd_erlang_b (double   load,
             guint    agents,
             double  *out,
             GError **error)
{
  if (!(load >= 0.0 && load <= MAX_LOAD))
    {
      g_set_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID,
                   _("The load must be between 0 and %.0f Erlangs."), MAX_LOAD);
      return FALSE;
    }
  if (agents > CD_ERLANG_MAX_AGENTS)
    {
      g_set_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID,
                   _("The number of agents must be at most %d."), CD_ERLANG_MAX_AGENTS);
      return FALSE;
    }
  *out = erlang_b_recursion (load, agents);
  return TRUE;
}

static gboolean
check_stable (double   load,
              guint    agents,
              GError **error)
{
  if (load < agents)
    return TRUE;
  g_set_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_UNSTABLE,
               _("The queue is unstable: %.2f Erlangs offered to %u agents grow the queue "
                 "without end; more than %.0f agents are needed."),
               load, agents, floor (load));
  return FALSE;
}

gboolean
cd_erlang_c (double   load,
             guint    agents,
             double  *out,
             GError **error)
{
  double b;

  if (!cd_erlang_b (load, agents, &b, error) || !check_stable (load, agents, error))
    return FALSE;
  *out = erlang_c_from_b (load, agents, b);
  return TRUE;
}

double
cd_erlang_load_erlangs (const CdErlangLoad *load)
{
  return load->calls * load->aht / load->interval;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID, message);
  return FALSE;
}

gboolean
cd_erlang_load_check (const CdErlangLoad  *load,
                      GError             **error)
{
  /* Written so that NaN fails every test. */
  if (!(load->calls >= 0.0 && load->calls < 1e12))
    return invalid (error, _("The number of calls must be 0 or more."));
  if (!(load->interval > 0.0 && load->interval < 1e12))
    return invalid (error, _("The interval must be longer than 0 seconds."));
  if (!(load->aht > 0.0 && load->aht < 1e12))
    return invalid (error, _("The average handling time must be longer than 0 seconds."));
  if (!(load->target >= 0.0 && load->target < 1e12))
    return invalid (error, _("The service level’s target time must be 0 seconds or more."));
  if (!(load->patience >= 0.0 && load->patience < 1e12))
    return invalid (error, _("The patience must be 0 seconds (nobody abandons) or more."));
  if (!(cd_erlang_load_erlangs (load) <= MAX_LOAD))
    {
      g_set_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID,
                   _("The load must be between 0 and %.0f Erlangs."), MAX_LOAD);
      return FALSE;
    }
  return TRUE;
}

/* Erlang C {{{1 */

static double
erlang_c_service_level (const CdErlangLoad *load,
                        double              a,
                        guint               agents,
                        double              c)
{
  return 1.0 - c * exp (-(agents - a) * load->target / load->aht);
}

static void
erlang_c_figures (const CdErlangLoad *load,
                  double              a,
                  guint               agents,
                  double              b,
                  CdErlangFigures    *out)
{
  double c = erlang_c_from_b (a, agents, b);

  out->blocking = b;
  out->wait_probability = c;
  out->service_level_of_offered = erlang_c_service_level (load, a, agents, c);
  out->service_level_of_answered = out->service_level_of_offered;
  out->asa_queued_calls = load->aht / (agents - a);
  out->asa_all_calls = c * out->asa_queued_calls;
  out->abandonment = 0.0;
  out->occupancy = a / agents;
}

/* Erlang A {{{1 */

/* What every Erlang A figure at one number of agents starts from. */
typedef struct
{
  double x;          /* λ/θ */
  double y;          /* Nμ/θ */
  double log_t0;     /* log T(y, x) */
  double wait;       /* P(wait) */
  double served_q;   /* P(served | wait) */
} Palm;

static void
palm_init (Palm               *palm,
           const CdErlangLoad *load,
           guint               agents,
           double              b)
{
  palm->x = load->calls / load->interval * load->patience;
  palm->y = agents * load->patience / load->aht;
  palm->log_t0 = log_t (palm->y, palm->x);
  if (b <= 0.0)
    palm->wait = 0.0;
  else
    palm->wait = 1.0 / (1.0 + exp (log1p (-b) - log (b) - palm->log_t0));
  /* Two equal forms: y/x·(1 − 1/T) loses digits when T is near 1, the
   * ratio of the Ts when both are so large that their logarithms carry
   * fewer digits after the point than a probability needs. */
  if (palm->log_t0 > 1.0)
    palm->served_q = palm->y / palm->x * -expm1 (-palm->log_t0);
  else
    palm->served_q = palm->y / (palm->y + 1.0)
                     * exp (log_t (palm->y + 1.0, palm->x) - palm->log_t0);
}

/* P(served, W > t | wait) at u = θt. */
static double
palm_served_after (const Palm *palm,
                   double      u)
{
  double z = palm->x * exp (-u);

  return palm->y / (palm->y + 1.0)
         * exp (-(palm->y + 1.0) * u + palm->x - z + log_t (palm->y + 1.0, z) - palm->log_t0);
}

static double
palm_service_level_of_offered (const Palm         *palm,
                               const CdErlangLoad *load)
{
  double within = palm->served_q - palm_served_after (palm, load->target / load->patience);

  return (1.0 - palm->wait) + palm->wait * MAX (within, 0.0);
}

static double
simpson_step (const Palm *palm,
              double      lo,
              double      hi,
              double      f_lo,
              double      f_mid,
              double      f_hi,
              double      whole,
              double      tolerance,
              int         depth)
{
  double mid = (lo + hi) / 2.0;
  double f_left = palm_served_after (palm, (lo + mid) / 2.0);
  double f_right = palm_served_after (palm, (mid + hi) / 2.0);
  double left = (mid - lo) / 6.0 * (f_lo + 4.0 * f_left + f_mid);
  double right = (hi - mid) / 6.0 * (f_mid + 4.0 * f_right + f_hi);

  if (depth <= 0 || fabs (left + right - whole) <= 15.0 * tolerance)
    return left + right + (left + right - whole) / 15.0;
  return simpson_step (palm, lo, mid, f_lo, f_left, f_mid, left, tolerance / 2.0, depth - 1)
         + simpson_step (palm, mid, hi, f_mid, f_right, f_hi, right, tolerance / 2.0, depth - 1);
}

/* ∫_0^∞ P(served, W > t | wait) dθt: the mean wait of the callers who wait
 * and are answered, times P(served | wait), in units of the patience. */
static double
palm_wait_integral (const Palm *palm)
{
  double f0 = palm->served_q;
  double end = 1.0 / (palm->y + 1.0);
  double f_mid;
  double f_end;

  if (f0 <= 0.0)
    return 0.0;
  /* The integrand falls monotonically; past `end` what is left is below
   * the double's precision of the whole. */
  while (palm_served_after (palm, end) > f0 * 1e-18 && end < 1e6)
    end *= 2.0;
  f_mid = palm_served_after (palm, end / 2.0);
  f_end = palm_served_after (palm, end);
  return simpson_step (palm, 0.0, end, f0, f_mid, f_end,
                       end / 6.0 * (f0 + 4.0 * f_mid + f_end),
                       f0 * end * 1e-11, 18);
}

static void
erlang_a_figures (const CdErlangLoad *load,
                  double              a,
                  guint               agents,
                  double              b,
                  CdErlangFigures    *out)
{
  Palm palm;
  double served_waited;

  palm_init (&palm, load, agents, b);
  out->blocking = b;
  out->wait_probability = palm.wait;
  out->abandonment = palm.wait * (1.0 - palm.served_q);
  out->service_level_of_offered = palm_service_level_of_offered (&palm, load);
  out->service_level_of_answered = out->service_level_of_offered / (1.0 - out->abandonment);
  out->occupancy = a * (1.0 - out->abandonment) / agents;
  served_waited = palm_wait_integral (&palm) * load->patience;
  out->asa_queued_calls = palm.served_q > 0.0 ? served_waited / palm.served_q : 0.0;
  out->asa_all_calls = palm.wait * served_waited / (1.0 - out->abandonment);
}

/* Figures and staffing {{{1 */

static void
figures_without_calls (guint            agents,
                       CdErlangFigures *out)
{
  *out = (CdErlangFigures) {
    .agents = agents,
    .service_level_of_offered = 1.0,
    .service_level_of_answered = 1.0,
  };
}

gboolean
cd_erlang_figures (const CdErlangLoad  *load,
                   guint                agents,
                   CdErlangFigures     *out,
                   GError             **error)
{
  double a;
  double b;

  if (!cd_erlang_load_check (load, error))
    return FALSE;
  a = cd_erlang_load_erlangs (load);
  if (!cd_erlang_b (a, agents, &b, error))
    return FALSE;
  if (a == 0.0)
    {
      figures_without_calls (agents, out);
      return TRUE;
    }
  if (load->patience == 0.0 && !check_stable (a, agents, error))
    return FALSE;
  if (agents == 0)
    return invalid (error, _("Calls need at least one agent."));

  *out = (CdErlangFigures) { .agents = agents, .load = a };
  if (load->patience == 0.0)
    erlang_c_figures (load, a, agents, b, out);
  else
    erlang_a_figures (load, a, agents, b, out);
  return TRUE;
}

gboolean
cd_erlang_agents_needed (const CdErlangLoad    *load,
                         const CdErlangTarget  *target,
                         CdErlangStaffing      *out,
                         GError               **error)
{
  double a;
  double b = 1.0;
  guint service_level_met = 0;
  guint n;

  if (!cd_erlang_load_check (load, error))
    return FALSE;
  if (!(target->service_level > 0.0 && target->service_level < 1.0))
    return invalid (error, _("The service level must be more than 0 and less than 1."));
  if (!(target->max_occupancy > 0.0 && target->max_occupancy <= 1.0))
    return invalid (error, _("The maximum occupancy must be more than 0, up to 1."));
  if (!(target->shrinkage >= 0.0 && target->shrinkage < 1.0))
    return invalid (error, _("The shrinkage must be 0 or more and less than 1."));

  a = cd_erlang_load_erlangs (load);
  *out = (CdErlangStaffing) { 0 };
  if (a == 0.0)
    {
      figures_without_calls (0, &out->figures);
      return TRUE;
    }

  /* Both the service level and the occupancy improve with every agent
   * added, so the first count that meets both is the answer; B is carried
   * from one count to the next. */
  for (n = 1; n <= CD_ERLANG_MAX_AGENTS; n++)
    {
      double service_level;
      double occupancy;

      b = a * b / (n + a * b);
      if (load->patience == 0.0)
        {
          if (n <= a)
            continue;
          service_level = erlang_c_service_level (load, a, n, erlang_c_from_b (a, n, b));
          occupancy = a / n;
        }
      else
        {
          Palm palm;

          palm_init (&palm, load, n, b);
          service_level = palm_service_level_of_offered (&palm, load);
          occupancy = a * (1.0 - palm.wait * (1.0 - palm.served_q)) / n;
        }
      if (service_level_met == 0 && service_level >= target->service_level)
        service_level_met = n;
      if (service_level_met != 0 && occupancy <= target->max_occupancy)
        break;
    }
  if (n > CD_ERLANG_MAX_AGENTS)
    {
      g_set_error (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID,
                   _("The target needs more than %d agents."), CD_ERLANG_MAX_AGENTS);
      return FALSE;
    }

  out->on_phones = n;
  /* The epsilon keeps 7 / (1 − 0.3) = 10.000000000000002 from becoming 11. */
  out->scheduled = (guint) ceil (n / (1.0 - target->shrinkage) - 1e-9);
  out->limited_by_occupancy = n > service_level_met;
  out->figures = (CdErlangFigures) { .agents = n, .load = a };
  if (load->patience == 0.0)
    erlang_c_figures (load, a, n, b, &out->figures);
  else
    erlang_a_figures (load, a, n, b, &out->figures);
  return TRUE;
}
