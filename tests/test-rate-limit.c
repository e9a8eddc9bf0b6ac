// SPDX-License-Identifier: GPL-3.0-or-later
//
// The token buckets that bound the public Open311 list: bursts, refill,
// the shared limit over many addresses, and bounded memory.

#include "config.h"

#include "cd-rate-limit.h"

#include "cd-test.h"

#define SECOND G_GINT64_CONSTANT (1000000)

static void
test_burst_and_refill (void)
{
  g_autoptr(CdRateLimit) limit = cd_rate_limit_new (100, 2, 100);
  gint64 retry = 0;
  gint64 now = 1000 * SECOND;

  /* A burst of twice the rate, then a refusal that says how long. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (cd_rate_limit_take (limit, "10.0.0.1", now, &retry));
  g_assert_false (cd_rate_limit_take (limit, "10.0.0.1", now, &retry));
  g_assert_cmpint (retry, >, 0);
  g_assert_cmpint (retry, <=, SECOND / 2 + 1);

  /* Another address has its own bucket. */
  g_assert_true (cd_rate_limit_take (limit, "10.0.0.2", now, NULL));

  /* Half a second later one more token (2 a second); not two. */
  g_assert_true (cd_rate_limit_take (limit, "10.0.0.1", now + SECOND / 2, NULL));
  g_assert_false (cd_rate_limit_take (limit, "10.0.0.1", now + SECOND / 2, NULL));

  /* A long pause fills the bucket only up to its burst. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (cd_rate_limit_take (limit, "10.0.0.1", now + 3600 * SECOND, NULL));
  g_assert_false (cd_rate_limit_take (limit, "10.0.0.1", now + 3600 * SECOND, NULL));
}

/* Many addresses together are held to the shared rate, and a refused
 * request takes nothing from either bucket. */
static void
test_shared_limit (void)
{
  g_autoptr(CdRateLimit) limit = cd_rate_limit_new (5, 100, 1000);
  gint64 now = 50 * SECOND;
  guint allowed = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *address = g_strdup_printf ("192.0.2.%u", i);

      if (cd_rate_limit_take (limit, address, now, NULL))
        allowed++;
    }
  g_assert_cmpuint (allowed, ==, 10);
  g_assert_true (cd_rate_limit_take (limit, "192.0.2.99", now + SECOND, NULL));
}

/* No number of addresses grows it past its capacity. */
static void
test_bounded (void)
{
  g_autoptr(CdRateLimit) limit = cd_rate_limit_new (1e9, 1, 64);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *address = g_strdup_printf ("2001:db8::%x", i);

      cd_rate_limit_take (limit, address, 7 * SECOND, NULL);
      g_assert_cmpuint (cd_rate_limit_get_size (limit), <=, 64);
    }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rate-limit/burst-and-refill", test_burst_and_refill);
  g_test_add_func ("/rate-limit/shared", test_shared_limit);
  g_test_add_func ("/rate-limit/bounded", test_bounded);

  return g_test_run ();
}
