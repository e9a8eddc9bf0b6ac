// SPDX-License-Identifier: GPL-3.0-or-later
/* bench-sla.c: how fast CdSlaCalendar computes deadlines
 *
 * A Mon-Fri office calendar with a lunch break, yearly and one-time
 * holidays and moved working days. It times:
 *
 *  - add () for 1,000,000 tickets, durations 30 minutes to 20 working days;
 *  - between () over 20-year spans;
 *
 * each against a simple day-walking implementation (below: it walks local
 * dates, asks GDateTime for each midnight and sums the day's intervals) on
 * the same inputs, checking that both agree; and, when python3 can import
 * pandas, add () against pandas' CustomBusinessHour on a sample. It prints
 * calls per second and ratios measured in this run; it asserts no time,
 * only that the results agree. The small mode (cd-bench.h) does the same on
 * 20,000 tickets.
 */

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "cd-sla-calendar.h"
#include "cd-bench.h"

typedef struct
{
  guint tickets;
  guint ref_add;
  guint spans;
  guint ref_spans;
  guint pandas;
} Sizes;

static const Sizes full_sizes = { 1000000, 100000, 1000000, 100, 2000 };
static const Sizes small_sizes = { 20000, 2000, 20000, 5, 100 };

#define OFFICE "[[\"08:00\",\"13:00\"],[\"14:00\",\"17:00\"]]"
#define YEARLY "\"01-01\",\"01-02\",\"01-07\",\"03-08\",\"05-01\",\"05-09\",\"07-03\"," \
               "\"11-07\",\"12-25\""
#define ONCE "\"2025-04-29\",\"2025-01-06\",\"2025-04-28\",\"2025-07-04\",\"2025-12-26\"," \
             "\"2026-04-21\",\"2026-01-06\",\"2027-05-11\""

static const char calendar_json[] =
  "{\"timezone\":\"Europe/Minsk\","
  "\"week\":{\"mon\":" OFFICE ",\"tue\":" OFFICE ",\"wed\":" OFFICE ",\"thu\":" OFFICE ","
  "\"fri\":" OFFICE ",\"sat\":[],\"sun\":[]},"
  "\"holidays\":[" YEARLY "," ONCE "],"
  "\"overrides\":{\"2025-01-11\":" OFFICE ",\"2025-04-26\":" OFFICE ",\"2025-11-01\":" OFFICE ","
  "\"2025-12-20\":" OFFICE ",\"2026-01-10\":" OFFICE ",\"2026-03-06\":[[\"08:00\",\"13:00\"],"
  "[\"14:00\",\"16:00\"]]}}";

/* The same weekly hours and holidays, without overrides: what pandas'
 * CustomBusinessHour can express. */
static const char pandas_json[] =
  "{\"timezone\":\"Europe/Minsk\","
  "\"week\":{\"mon\":" OFFICE ",\"tue\":" OFFICE ",\"wed\":" OFFICE ",\"thu\":" OFFICE ","
  "\"fri\":" OFFICE ",\"sat\":[],\"sun\":[]},"
  "\"holidays\":[\"2025-01-01\",\"2025-01-02\",\"2025-01-07\",\"2025-05-01\",\"2025-05-09\","
  "\"2025-07-03\",\"2025-11-07\",\"2025-12-25\",\"2026-01-01\",\"2026-01-02\",\"2026-01-07\","
  "\"2026-05-01\",\"2026-07-03\",\"2026-12-25\",\"2027-01-01\",\"2027-01-07\",\"2027-03-08\","
  "\"2027-07-03\",\"2027-11-07\"]}";

/* The day-walking reference {{{1 */

typedef struct
{
  int start, end;              /* seconds from local midnight */
} RefSpan;

typedef struct
{
  RefSpan spans[4];
  int     n;
} RefDay;

typedef struct
{
  GTimeZone  *tz;
  RefDay      week[7];         /* Monday first */
  GHashTable *yearly;          /* month * 100 + day */
  GHashTable *once;            /* GDate julian day */
  GHashTable *overrides;       /* julian day -> RefDay */
} RefCal;

static RefCal *
ref_new (gboolean with_overrides)
{
  static const char * const yearly[] = { "01-01", "01-02", "01-07", "03-08", "05-01",
                                         "05-09", "07-03", "11-07", "12-25" };
  static const char * const once[] = { "2025-04-29", "2025-01-06", "2025-04-28",
                                       "2025-07-04", "2025-12-26", "2026-04-21",
                                       "2026-01-06", "2027-05-11" };
  static const char * const full[] = { "2025-01-11", "2025-04-26", "2025-11-01",
                                       "2025-12-20", "2026-01-10" };
  RefCal *rc = g_new0 (RefCal, 1);
  RefDay office = { { { 8 * 3600, 13 * 3600 }, { 14 * 3600, 17 * 3600 } }, 2 };
  RefDay shortened = { { { 8 * 3600, 13 * 3600 }, { 14 * 3600, 16 * 3600 } }, 2 };
  int y, m, d;

  rc->tz = g_time_zone_new_identifier ("Europe/Minsk");
  for (int w = 0; w < 5; w++)
    rc->week[w] = office;
  rc->yearly = g_hash_table_new (NULL, NULL);
  rc->once = g_hash_table_new (NULL, NULL);
  rc->overrides = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  if (!with_overrides)
    {
      /* The pandas calendar: the yearly holidays of 2025-2027 listed as
       * dates (as pandas takes them), no one-time ones, no overrides. */
      static const char * const dates[] = {
        "2025-01-01", "2025-01-02", "2025-01-07", "2025-05-01", "2025-05-09",
        "2025-07-03", "2025-11-07", "2025-12-25", "2026-01-01", "2026-01-02",
        "2026-01-07", "2026-05-01", "2026-07-03", "2026-12-25", "2027-01-01",
        "2027-01-07", "2027-03-08", "2027-07-03", "2027-11-07",
      };

      for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
        {
          GDate date;

          sscanf (dates[i], "%d-%d-%d", &y, &m, &d);
          g_date_clear (&date, 1);
          g_date_set_dmy (&date, d, m, y);
          g_hash_table_add (rc->once, GUINT_TO_POINTER (g_date_get_julian (&date)));
        }
      return rc;
    }

  for (guint i = 0; i < G_N_ELEMENTS (yearly); i++)
    {
      sscanf (yearly[i], "%d-%d", &m, &d);
      g_hash_table_add (rc->yearly, GINT_TO_POINTER (m * 100 + d));
    }
  for (guint i = 0; i < G_N_ELEMENTS (once); i++)
    {
      GDate date;

      sscanf (once[i], "%d-%d-%d", &y, &m, &d);
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, m, y);
      g_hash_table_add (rc->once, GUINT_TO_POINTER (g_date_get_julian (&date)));
    }
  for (guint i = 0; i < G_N_ELEMENTS (full) + 1; i++)
    {
      GDate date;

      sscanf (i < G_N_ELEMENTS (full) ? full[i] : "2026-03-06", "%d-%d-%d", &y, &m, &d);
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, d, m, y);
      g_hash_table_insert (rc->overrides, GUINT_TO_POINTER (g_date_get_julian (&date)),
                           g_memdup2 (i < G_N_ELEMENTS (full) ? &office : &shortened,
                                      sizeof (RefDay)));
    }
  return rc;
}

static void
ref_free (RefCal *rc)
{
  g_time_zone_unref (rc->tz);
  g_hash_table_unref (rc->yearly);
  g_hash_table_unref (rc->once);
  g_hash_table_unref (rc->overrides);
  g_free (rc);
}

static const RefDay *
ref_own (RefCal *rc,
         GDate  *date)
{
  static const RefDay off = { { { 0, 0 } }, 0 };
  gpointer julian = GUINT_TO_POINTER (g_date_get_julian (date));
  const RefDay *o = g_hash_table_lookup (rc->overrides, julian);

  if (o != NULL)
    return o;
  if (g_hash_table_contains (rc->once, julian)
      || g_hash_table_contains (rc->yearly, GINT_TO_POINTER (g_date_get_month (date) * 100
                                                             + g_date_get_day (date))))
    return &off;
  return &rc->week[g_date_get_weekday (date) - 1];
}

static gint64
ref_midnight (RefCal *rc,
              GDate  *date)
{
  g_autoptr(GDateTime) dt = g_date_time_new (rc->tz, g_date_get_year (date),
                                             g_date_get_month (date),
                                             g_date_get_day (date), 0, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
ref_date_of (RefCal *rc,
             gint64  t,
             GDate  *date)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, rc->tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

static gint64
ref_add (RefCal *rc,
         gint64  start,
         gint64  seconds)
{
  GDate date;

  ref_date_of (rc, start, &date);
  for (;;)
    {
      gint64 midnight = ref_midnight (rc, &date);
      const RefDay *own = ref_own (rc, &date);

      for (int i = 0; i < own->n; i++)
        {
          gint64 lo = midnight + own->spans[i].start, hi = midnight + own->spans[i].end;

          if (hi <= start)
            continue;
          lo = MAX (lo, start);
          if (seconds == 0)
            return lo;
          if (hi - lo >= seconds)
            return lo + seconds;
          seconds -= hi - lo;
        }
      g_date_add_days (&date, 1);
    }
}

static gint64
ref_between (RefCal *rc,
             gint64  a,
             gint64  b)
{
  GDate date, last;
  gint64 total = 0;

  ref_date_of (rc, a, &date);
  ref_date_of (rc, b, &last);
  for (; g_date_compare (&date, &last) <= 0; g_date_add_days (&date, 1))
    {
      gint64 midnight = ref_midnight (rc, &date);
      const RefDay *own = ref_own (rc, &date);

      for (int i = 0; i < own->n; i++)
        {
          gint64 lo = MAX (midnight + own->spans[i].start, a);
          gint64 hi = MIN (midnight + own->spans[i].end, b);

          if (hi > lo)
            total += hi - lo;
        }
    }
  return total;
}

/* pandas {{{1 */

static char *
find_pandas_python (void)
{
  const char *env = g_getenv ("CITYDESK_PYTHON");
  const char *candidates[] = { env, "python3", "/usr/bin/python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *path = NULL;
      const char *argv[] = { NULL, "-c", "import pandas", NULL };
      int status = 1;

      if (candidates[i] == NULL)
        continue;
      path = g_find_program_in_path (candidates[i]);
      if (path == NULL)
        continue;
      argv[0] = path;
      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                        | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                        &status, NULL)
          && g_spawn_check_wait_status (status, NULL))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static char *
find_script (void)
{
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *here = g_path_get_dirname (__FILE__);
  char *path;

  if (srcdir != NULL)
    {
      path = g_build_filename (srcdir, "bench", "bench-sla-pandas.py", NULL);
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
  path = g_build_filename (here, "bench-sla-pandas.py", NULL);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return path;
  g_free (path);
  return NULL;
}

static void
bench_pandas (const gint64 *starts,
              guint         n_pandas,
              double        ours_per_call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = cd_sla_calendar_new_from_json (pandas_json, -1, &error);
  g_autoptr(GString) input = g_string_new ("08:00-13:00 14:00-17:00\nMon Tue Wed Thu Fri\n");
  g_autofree char *python = find_pandas_python ();
  g_autofree char *script = find_script ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) inputs = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  RefCal *ref = ref_new (FALSE);
  g_autofree gint64 *expect = g_new (gint64, n_pandas);
  guint agree = 0, at_close = 0, compared = 0;
  double pandas_per_call = 0;
  int status;

  g_assert_no_error (error);
  if (python == NULL || script == NULL)
    {
      printf ("sla pandas: skipped (no python3 that can import pandas%s)\n",
              script == NULL ? ", or no bench-sla-pandas.py" : "");
      ref_free (ref);
      return;
    }

  {
    static const char * const dates[] = {
      "2025-01-01", "2025-01-02", "2025-01-07", "2025-05-01", "2025-05-09",
      "2025-07-03", "2025-11-07", "2025-12-25", "2026-01-01", "2026-01-02",
      "2026-01-07", "2026-05-01", "2026-07-03", "2026-12-25", "2027-01-01",
      "2027-01-07", "2027-03-08", "2027-07-03", "2027-11-07",
    };

    for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
      g_string_append_printf (input, "%s%s", i ? " " : "", dates[i]);
    g_string_append_c (input, '\n');
  }

  /* pandas counts whole business hours: give it hours, and starts that are
   * never exactly at an opening or closing time, where the conventions
   * could differ. */
  for (guint i = 0; i < n_pandas; i++)
    {
      gint64 start = starts[i] - starts[i] % 60 + 17;
      gint64 hours = g_rand_int_range (rand, 1, 161);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (start);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc,
                                                             cd_sla_calendar_get_timezone (cal));
      g_autofree char *text = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");

      expect[i] = cd_sla_calendar_add (cal, start, hours * 3600);
      if (expect[i] != ref_add (ref, start, hours * 3600))
        g_error ("pandas calendar: add and the reference disagree");
      g_string_append_printf (input, "%s %" G_GINT64_FORMAT "\n", text, hours);
    }
  ref_free (ref);

  {
    const char *argv[] = { python, script, NULL };
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GBytes) stdin_bytes = g_bytes_new (input->str, input->len);
    g_autoptr(GBytes) stdout_bytes = NULL;
    g_autoptr(GBytes) stderr_bytes = NULL;

    proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE
                              | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    if (proc == NULL
        || !g_subprocess_communicate (proc, stdin_bytes, NULL, &stdout_bytes,
                                      &stderr_bytes, &error))
      {
        printf ("sla pandas: skipped (%s)\n", error->message);
        return;
      }
    status = g_subprocess_get_exit_status (proc);
    out = g_strndup (g_bytes_get_data (stdout_bytes, NULL), g_bytes_get_size (stdout_bytes));
    err = g_strndup (g_bytes_get_data (stderr_bytes, NULL), g_bytes_get_size (stderr_bytes));
  }
  if (status != 0)
    {
      printf ("sla pandas: skipped (the script exited with %d: %s)\n", status, err);
      return;
    }

  lines = g_strsplit (out, "\n", -1);
  inputs = g_strsplit (input->str, "\n", -1);
  for (guint i = 0; i < n_pandas && lines[i] != NULL; i++)
    {
      g_autoptr(GDateTime) local = g_date_time_new_from_iso8601 (lines[i],
                                                                  cd_sla_calendar_get_timezone (
                                                                      cal));
      gint64 theirs = local != NULL ? g_date_time_to_unix (local) : G_MININT64;
      gboolean at_closing = !cd_sla_calendar_is_working (cal, expect[i]);

      compared++;
      /* A budget that runs out exactly at closing time ends there for us
       * and at the next opening for pandas: the one convention on which
       * the two differ. Check that it is the only difference. */
      if (!at_closing && theirs == expect[i])
        agree++;
      else if (at_closing && theirs == cd_sla_calendar_next_working (cal, expect[i]))
        at_close++;
      else if (compared - agree - at_close <= 3)
        {
          g_autofree char *ours_text = cd_sla_calendar_format (cal, expect[i]);

          printf ("sla pandas: differs: input %s -> pandas %s, ours %s\n",
                  inputs[3 + i], lines[i], ours_text);
        }
    }
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "seconds-per-call "))
      pandas_per_call = g_ascii_strtod (lines[i] + strlen ("seconds-per-call "), NULL);

  printf ("sla pandas: CustomBusinessHour (%s) on %u deadlines in whole hours: %u equal, "
          "%u end at closing time where pandas moves them to the next opening, "
          "%u differ\n", python, compared, agree, at_close, compared - agree - at_close);
  printf ("sla pandas: %.1f us per call, ours %.3f us: ratio %.0fx\n",
          pandas_per_call * 1e6, ours_per_call * 1e6, pandas_per_call / ours_per_call);
  if (agree + at_close != compared || compared != n_pandas)
    g_error ("pandas and CdSlaCalendar disagree on %u deadlines", compared - agree - at_close);
}

/* Main {{{1 */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260105);
  const Sizes *n = cd_bench_small () ? &small_sizes : &full_sizes;
  g_autofree gint64 *starts = g_new (gint64, n->tickets);
  g_autofree gint64 *budgets = g_new (gint64, n->tickets);
  g_autofree gint64 *deadlines = g_new (gint64, n->tickets);
  g_autofree gint64 *span_a = g_new (gint64, n->spans);
  g_autofree gint64 *span_b = g_new (gint64, n->spans);
  g_autofree gint64 *spans = g_new (gint64, n->spans);
  RefCal *ref = ref_new (TRUE);
  gint64 base = 1735678800;    /* 2025-01-01T00:00:00+03:00 */
  gint64 t0, build_us;
  double ours, reference, ours_per_call, between_per_call;

  cd_test_own_tmp_dir ();
  setvbuf (stdout, NULL, _IOLBF, 0);
  t0 = g_get_monotonic_time ();
  cal = cd_sla_calendar_new_from_json (calendar_json, -1, &error);
  build_us = g_get_monotonic_time () - t0;
  g_assert_no_error (error);
  printf ("sla calendar: Europe/Minsk, Mon-Fri 08:00-13:00 14:00-17:00, 9 yearly and "
          "8 one-time holidays, 6 overrides; built in %.2f ms\n", build_us / 1000.0);

  /* Tickets over 2025-2027; budgets of 30 minutes to 20 working days. */
  for (guint i = 0; i < n->tickets; i++)
    {
      starts[i] = base + (gint64) (g_rand_double (rand) * 3 * 365 * 86400);
      budgets[i] = 1800 + (gint64) (g_rand_double (rand) * (20 * 8 * 3600 - 1800));
    }

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n->tickets; i++)
    deadlines[i] = cd_sla_calendar_add (cal, starts[i], budgets[i]);
  ours = (g_get_monotonic_time () - t0) / 1e6;
  ours_per_call = ours / n->tickets;
  printf ("sla add: %u deadlines in %.3f s: %.2f million calls/s (%.3f us per call)\n",
          n->tickets, ours, n->tickets / ours / 1e6, ours_per_call * 1e6);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n->ref_add; i++)
    {
      gint64 r = ref_add (ref, starts[i], budgets[i]);

      if (r != deadlines[i])
        g_error ("add (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "): %" G_GINT64_FORMAT
                 ", the day-walking reference says %" G_GINT64_FORMAT,
                 starts[i], budgets[i], deadlines[i], r);
    }
  reference = (g_get_monotonic_time () - t0) / 1e6;
  printf ("sla add: day-walking reference on the first %u: %.3f s, all agree; "
          "ratio %.0fx\n", n->ref_add, reference,
          (reference / n->ref_add) / ours_per_call);

  /* between over 20-year spans starting 2000-2010. */
  for (guint i = 0; i < n->spans; i++)
    {
      span_a[i] = 946674000 + (gint64) (g_rand_double (rand) * 10 * 365 * 86400);
      span_b[i] = span_a[i] + 20 * 365 * 86400 + g_rand_int_range (rand, 0, 30 * 86400);
    }
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n->spans; i++)
    spans[i] = cd_sla_calendar_between (cal, span_a[i], span_b[i]);
  ours = (g_get_monotonic_time () - t0) / 1e6;
  between_per_call = ours / n->spans;
  printf ("sla between: %u 20-year spans in %.3f s: %.2f million calls/s (%.3f us per call)\n",
          n->spans, ours, n->spans / ours / 1e6, between_per_call * 1e6);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n->ref_spans; i++)
    {
      gint64 r = ref_between (ref, span_a[i], span_b[i]);

      if (r != spans[i])
        g_error ("between (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "): %" G_GINT64_FORMAT
                 ", the day-walking reference says %" G_GINT64_FORMAT,
                 span_a[i], span_b[i], spans[i], r);
    }
  reference = (g_get_monotonic_time () - t0) / 1e6;
  printf ("sla between: day-walking reference on the first %u: %.3f s, all agree; "
          "ratio %.0fx\n", n->ref_spans, reference,
          (reference / n->ref_spans) / between_per_call);

  /* The other operations, for the record. */
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n->tickets; i++)
    spans[i % n->spans] += cd_sla_calendar_subtract (cal, deadlines[i], budgets[i] / 5);
  ours = (g_get_monotonic_time () - t0) / 1e6;
  printf ("sla subtract: %.2f million calls/s\n", n->tickets / ours / 1e6);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n->tickets; i++)
    spans[i % n->spans] += cd_sla_calendar_add_days (cal, starts[i], 1 + i % 20,
                                                    i % 2 ? CD_SLA_DAYS_WORKING
                                                          : CD_SLA_DAYS_CALENDAR);
  ours = (g_get_monotonic_time () - t0) / 1e6;
  printf ("sla add_days: %.2f million calls/s\n", n->tickets / ours / 1e6);

  bench_pandas (starts, n->pandas, ours_per_call);
  ref_free (ref);
  return 0;
}
