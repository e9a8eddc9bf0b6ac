// SPDX-License-Identifier: GPL-3.0-or-later
//
// The login throttle: growing delays below the threshold, lockouts that
// double past it, parallel attempts cut at the threshold, a success that
// resets, keys forgotten with time, and memory bounded whatever the keys.

#include "config.h"

#include "cd-login-throttle.h"

#include "cd-test.h"

#define S ((gint64) G_USEC_PER_SEC)

static CdLoginThrottle *
new_throttle (guint threshold,
              guint capacity)
{
  CdLoginThrottleLimits limits;

  cd_login_throttle_limits_init (&limits);
  limits.threshold = threshold;
  limits.lockout_us = 10 * S;
  limits.capacity = capacity;
  return cd_login_throttle_new (&limits);
}

static void
test_delays_and_lockouts (void)
{
  g_autoptr(CdLoginThrottle) throttle = new_throttle (4, 100);
  static const gint64 delays[] = { 0, 250000, 500000, 0 };
  gint64 now = 1000 * S;
  gint64 retry = 0;
  gint64 last_retry = 0;

  for (guint i = 0; i < 4; i++)
    {
      guint failures;

      g_assert_true (cd_login_throttle_begin (throttle, "op", now, &retry));
      failures = cd_login_throttle_fail (throttle, "op", now);
      g_assert_cmpuint (failures, ==, i + 1);
      g_assert_cmpint (cd_login_throttle_delay (throttle, failures), ==, delays[i]);
    }
  /* Locked: refused with the time left, which doubles with each failure
   * after the lockout ends. */
  for (guint round = 0; round < 4; round++)
    {
      g_assert_false (cd_login_throttle_begin (throttle, "op", now + 1, &retry));
      g_assert_cmpint (retry, >, last_retry);
      last_retry = retry;
      now += 1 + retry;
      g_assert_true (cd_login_throttle_begin (throttle, "op", now, &retry));
      /* One at a time after a lockout. */
      g_assert_false (cd_login_throttle_begin (throttle, "op", now, &retry));
      cd_login_throttle_fail (throttle, "op", now);
    }
  g_assert_cmpint (last_retry, ==, 80 * S - 1);

  /* Another key is not concerned. */
  g_assert_true (cd_login_throttle_begin (throttle, "sup", now, &retry));
  cd_login_throttle_succeed (throttle, "sup", TRUE);

  /* A success after the lockout resets the key. */
  now += 200 * S;
  g_assert_true (cd_login_throttle_begin (throttle, "op", now, &retry));
  cd_login_throttle_succeed (throttle, "op", TRUE);
  g_assert_true (cd_login_throttle_begin (throttle, "op", now, &retry));
  g_assert_cmpuint (cd_login_throttle_fail (throttle, "op", now), ==, 1);
}

static void
test_parallel (void)
{
  g_autoptr(CdLoginThrottle) throttle = new_throttle (3, 100);
  gint64 retry = 0;

  /* A burst: no more in flight than the threshold allows. */
  for (guint i = 0; i < 3; i++)
    g_assert_true (cd_login_throttle_begin (throttle, "op", 0, &retry));
  g_assert_false (cd_login_throttle_begin (throttle, "op", 0, &retry));
  g_assert_cmpint (retry, >, 0);
  cd_login_throttle_abandon (throttle, "op");
  g_assert_true (cd_login_throttle_begin (throttle, "op", 0, &retry));
}

static void
test_forget (void)
{
  g_autoptr(CdLoginThrottle) throttle = new_throttle (2, 100);
  gint64 retry = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (cd_login_throttle_begin (throttle, "op", 0, &retry));
      cd_login_throttle_fail (throttle, "op", 0);
    }
  g_assert_false (cd_login_throttle_begin (throttle, "op", S, &retry));
  /* Long after its lockout, the key starts from nothing. */
  g_assert_true (cd_login_throttle_begin (throttle, "op", 3600 * S, &retry));
  g_assert_cmpuint (cd_login_throttle_fail (throttle, "op", 3600 * S), ==, 1);
}

static void
test_bounded (void)
{
  g_autoptr(CdLoginThrottle) throttle = new_throttle (5, 1000);
  gint64 retry = 0;

  /* An attacker cycling names (or addresses) does not grow it. */
  for (guint i = 0; i < 100000; i++)
    {
      char key[32];

      g_snprintf (key, sizeof key, "name-%u", i);
      if (cd_login_throttle_begin (throttle, key, i, &retry))
        cd_login_throttle_fail (throttle, key, i);
      g_assert_cmpuint (cd_login_throttle_get_size (throttle), <=, 1000);
    }
  g_assert_cmpuint (cd_login_throttle_get_size (throttle), ==, 1000);

  /* Successes leave nothing behind. */
  g_assert_true (cd_login_throttle_begin (throttle, "fresh", 0, &retry));
  cd_login_throttle_succeed (throttle, "fresh", TRUE);
  g_assert_cmpuint (cd_login_throttle_get_size (throttle), <=, 1000);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/login-throttle/delays-and-lockouts", test_delays_and_lockouts);
  g_test_add_func ("/login-throttle/parallel", test_parallel);
  g_test_add_func ("/login-throttle/forget", test_forget);
  g_test_add_func ("/login-throttle/bounded", test_bounded);

  return g_test_run ();
}
