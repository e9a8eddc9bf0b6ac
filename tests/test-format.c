// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-format.h"

#include "cd-test.h"

static void
test_duration (void)
{
  static const struct {
    gint64      seconds;
    const char *expected;
  } cases[] = {
    { 0, "0 s" },
    { 45, "45 s" },
    { -45, "45 s" },
    { 59, "59 s" },
    { 60, "1 min" },
    { 23 * 60 + 59, "23 min" },
    { 3599, "59 min" },
    { 3600, "1 h" },
    { 2 * 3600 + 10 * 60, "2 h 10 min" },
    { 2 * 3600 + 10 * 60 + 59, "2 h 10 min" },
    { -(2 * 3600 + 10 * 60), "2 h 10 min" },
    { 86399, "23 h 59 min" },
    { 86400, "1 d" },
    { 3 * 86400 + 4 * 3600 + 59 * 60, "3 d 4 h" },
    { 400 * 86400, "400 d" },
    { G_MININT64, "106751991167300 d 15 h" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cd_format_duration (cases[i].seconds);

      g_test_message ("%" G_GINT64_FORMAT " s", cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_remaining (void)
{
  static const struct {
    gint64      seconds;
    const char *expected;
  } cases[] = {
    { 23 * 60, "in 23 min" },
    { 1, "in 1 s" },
    { 0, "due now" },
    { -1, "1 s overdue" },
    { -(2 * 3600 + 10 * 60), "2 h 10 min overdue" },
    { -(9 * 86400), "9 d overdue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cd_format_remaining (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_deadline (void)
{
  g_autoptr(GTimeZone) minsk = g_time_zone_new_identifier ("Europe/Minsk");
  /* Tuesday 10 March 2026, 12:00 in Minsk (UTC+3). */
  g_autoptr(GDateTime) now = g_date_time_new (minsk, 2026, 3, 10, 12, 0, 0);
  /* 1 January 2026: yesterday was another year. */
  g_autoptr(GDateTime) new_year = g_date_time_new (minsk, 2026, 1, 1, 9, 0, 0);
  g_autoptr(GDateTime) eve = g_date_time_new (minsk, 2025, 12, 31, 22, 0, 0);
  g_autofree char *eve_text = NULL;
  static const struct {
    const char *due;
    const char *expected;
  } cases[] = {
    /* Today: the time alone. */
    { "2026-03-10T06:30:00Z", "09:30" },                /* given in UTC */
    { "2026-03-10T23:59:59+03:00", "23:59" },
    { "2026-03-10T00:00:00+03:00", "00:00" },
    /* Tomorrow and yesterday, and the same weekday a week apart either
     * way, which a weekday alone would not tell apart. */
    { "2026-03-10T21:30:00Z", "Wed 11 Mar 00:30" },     /* UTC today, Minsk tomorrow */
    { "2026-03-11T09:00:00+03:00", "Wed 11 Mar 09:00" },
    { "2026-03-09T08:00:00+03:00", "Mon 9 Mar 08:00" },
    { "2026-03-16T08:00:00+03:00", "Mon 16 Mar 08:00" },
    { "2026-03-04T08:00:00+03:00", "Wed 4 Mar 08:00" },
    /* Further this year, another month included. */
    { "2026-03-17T08:00:00+03:00", "17 Mar 08:00" },
    { "2026-01-02T08:00:00+03:00", "2 Jan 08:00" },
    { "2026-12-31T23:00:00+03:00", "31 Dec 23:00" },
    /* Another year, future and past, even a day away. */
    { "2027-01-12T09:30:00+03:00", "12 Jan 2027 09:30" },
    { "2025-12-20T18:00:00+03:00", "20 Dec 2025 18:00" },
    { "2025-03-10T12:00:00+03:00", "10 Mar 2025 12:00" },
  };

  g_assert_nonnull (minsk);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) due = g_date_time_new_from_iso8601 (cases[i].due, NULL);
      g_autofree char *text = NULL;

      g_assert_nonnull (due);
      text = cd_format_deadline (due, now);
      g_test_message ("%s", cases[i].due);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  eve_text = cd_format_deadline (eve, new_year);
  g_assert_cmpstr (eve_text, ==, "31 Dec 2025 22:00");
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/remaining", test_remaining);
  g_test_add_func ("/format/deadline", test_deadline);

  return g_test_run ();
}
