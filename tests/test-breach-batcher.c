// SPDX-License-Identifier: GPL-3.0-or-later
//
// Desktop notifications for new breaches: once each, batched per executor,
// never at start, never while the target's calendar is closed.

#include "config.h"

#include "cd-breach-batcher.h"

#include "cd-test.h"

#define QUIET 300

static GPtrArray *
scan (CdBreachBatcher    *batcher,
      const CdBreachSeen *seen,
      guint               n,
      gint64              now)
{
  return cd_breach_batcher_update (batcher, seen, n, now);
}

static void
assert_batch (GPtrArray  *batches,
              guint       index,
              const char *executor,
              const char *numbers)
{
  CdBreachBatch *batch;
  g_autoptr(GString) joined = g_string_new (NULL);

  g_assert_cmpuint (index, <, batches->len);
  batch = g_ptr_array_index (batches, index);
  g_assert_cmpstr (batch->executor, ==, executor);
  for (guint i = 0; i < batch->numbers->len; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? " " : "",
                            (char *) g_ptr_array_index (batch->numbers, i));
  g_assert_cmpstr (joined->str, ==, numbers);
}

static void
test_first_scan_is_silent (void)
{
  g_autoptr(CdBreachBatcher) batcher = cd_breach_batcher_new (QUIET);
  const CdBreachSeen seen[] = {
    { "2026-000001", "zhes-4", TRUE },
    { "2026-000002", "zhes-4", TRUE },
  };
  g_autoptr(GPtrArray) first = scan (batcher, seen, G_N_ELEMENTS (seen), 1000);
  g_autoptr(GPtrArray) again = scan (batcher, seen, G_N_ELEMENTS (seen), 2000);

  g_assert_cmpuint (first->len, ==, 0);
  /* Known breaches are not news later either. */
  g_assert_cmpuint (again->len, ==, 0);
}

static void
test_batched_per_executor (void)
{
  g_autoptr(CdBreachBatcher) batcher = cd_breach_batcher_new (QUIET);
  const CdBreachSeen later[] = {
    { "2026-000010", "zhes-4", TRUE },
    { "2026-000011", "vodokanal", TRUE },
    { "2026-000012", "zhes-4", TRUE },
    { "2026-000013", NULL, TRUE },
  };
  g_autoptr(GPtrArray) first = scan (batcher, NULL, 0, 1000);
  g_autoptr(GPtrArray) batches = scan (batcher, later, G_N_ELEMENTS (later), 1060);

  g_assert_cmpuint (first->len, ==, 0);
  g_assert_cmpuint (batches->len, ==, 3);
  assert_batch (batches, 0, "", "2026-000013");
  assert_batch (batches, 1, "vodokanal", "2026-000011");
  assert_batch (batches, 2, "zhes-4", "2026-000010 2026-000012");
}

static void
test_quiet_period (void)
{
  g_autoptr(CdBreachBatcher) batcher = cd_breach_batcher_new (QUIET);
  const CdBreachSeen one[] = { { "A", "zhes-1", TRUE } };
  const CdBreachSeen two[] = { { "A", "zhes-1", TRUE }, { "B", "zhes-1", TRUE } };
  const CdBreachSeen three[] = { { "A", "zhes-1", TRUE },
                                 { "B", "zhes-1", TRUE },
                                 { "C", "zhes-1", TRUE } };
  g_autoptr(GPtrArray) b0 = scan (batcher, NULL, 0, 0);
  g_autoptr(GPtrArray) b1 = scan (batcher, one, 1, 100);
  g_autoptr(GPtrArray) b2 = scan (batcher, two, 2, 160);
  g_autoptr(GPtrArray) b3 = scan (batcher, three, 3, 220);
  g_autoptr(GPtrArray) b4 = scan (batcher, three, 3, 100 + QUIET);
  g_autoptr(GPtrArray) b5 = scan (batcher, three, 3, 100 + 3 * QUIET);

  g_assert_cmpuint (b0->len, ==, 0);
  assert_batch (b1, 0, "zhes-1", "A");
  /* Within the quiet period the next ones wait, then go out together. */
  g_assert_cmpuint (b2->len, ==, 0);
  g_assert_cmpuint (b3->len, ==, 0);
  g_assert_cmpuint (b4->len, ==, 1);
  assert_batch (b4, 0, "zhes-1", "B C");
  g_assert_cmpuint (b5->len, ==, 0);
}

static void
test_closed_calendar_waits (void)
{
  g_autoptr(CdBreachBatcher) batcher = cd_breach_batcher_new (QUIET);
  const CdBreachSeen night[] = { { "N", "lifts", FALSE } };
  const CdBreachSeen morning[] = { { "N", "lifts", TRUE } };
  g_autoptr(GPtrArray) b0 = scan (batcher, NULL, 0, 0);
  g_autoptr(GPtrArray) b1 = scan (batcher, night, 1, 3600);
  g_autoptr(GPtrArray) b2 = scan (batcher, night, 1, 7200);
  g_autoptr(GPtrArray) b3 = scan (batcher, morning, 1, 30000);

  g_assert_cmpuint (b0->len, ==, 0);
  g_assert_cmpuint (b1->len, ==, 0);
  g_assert_cmpuint (b2->len, ==, 0);
  assert_batch (b3, 0, "lifts", "N");
}

static void
test_resolved_then_breached_again (void)
{
  g_autoptr(CdBreachBatcher) batcher = cd_breach_batcher_new (QUIET);
  const CdBreachSeen r[] = { { "R", "zhes-2", TRUE } };
  const CdBreachSeen both[] = { { "R", "zhes-2", TRUE }, { "S", "zhes-2", TRUE } };
  const CdBreachSeen only_s[] = { { "S", "zhes-2", TRUE } };
  g_autoptr(GPtrArray) b0 = scan (batcher, NULL, 0, 0);
  g_autoptr(GPtrArray) b1 = scan (batcher, r, 1, 10);
  g_autoptr(GPtrArray) b2 = scan (batcher, NULL, 0, 20);
  g_autoptr(GPtrArray) b3 = scan (batcher, both, 2, 30);
  g_autoptr(GPtrArray) b4 = scan (batcher, only_s, 1, 40);
  g_autoptr(GPtrArray) b5 = scan (batcher, only_s, 1, 10 + QUIET);

  g_assert_cmpuint (b0->len, ==, 0);
  assert_batch (b1, 0, "zhes-2", "R");
  g_assert_cmpuint (b2->len, ==, 0);
  g_assert_cmpuint (b3->len, ==, 0);
  g_assert_cmpuint (b4->len, ==, 0);
  /* R breached again but was resolved before the batch went out: only S. */
  assert_batch (b5, 0, "zhes-2", "S");
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/breach-batcher/first-scan-is-silent", test_first_scan_is_silent);
  g_test_add_func ("/breach-batcher/batched-per-executor", test_batched_per_executor);
  g_test_add_func ("/breach-batcher/quiet-period", test_quiet_period);
  g_test_add_func ("/breach-batcher/closed-calendar-waits", test_closed_calendar_waits);
  g_test_add_func ("/breach-batcher/resolved-then-breached-again",
                   test_resolved_then_breached_again);

  return g_test_run ();
}
