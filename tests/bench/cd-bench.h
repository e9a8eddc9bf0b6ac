// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-bench.h: what the benchmarks share: the small mode, and a temporary
 * directory of their own (cd-test.h) */
#pragma once

#include <glib.h>

#include "../cd-test.h"

/* The small mode (CITYDESK_BENCH_SMALL set, as the bench-smoke suite does):
 * sizes that take seconds, so that every benchmark runs on every test run
 * and a change that breaks one fails the run. Its figures mean nothing. */
static inline gboolean
cd_bench_small (void)
{
  return g_getenv ("CITYDESK_BENCH_SMALL") != NULL;
}
