// SPDX-License-Identifier: GPL-3.0-or-later
//
// The demo's simulated PBX (src/core/demo/cd-demo-pbx.c): the same seed
// gives the same bytes; every line is one the queue_log reader reads; the
// hours of a winter and a summer month have DOMAIN.md's peaks; residents
// give up and reach the time limit; a year holds about 1.5 million calls.

#include "config.h"

#include <string.h>

#include "cd-call.h"
#include "cd-demo-pbx.h"
#include "cd-queue-log.h"
#include "cd-queue-state.h"
#include "cd-test.h"

#define CITY_OFFSET (3 * 3600)
#define DAY 86400

static GTimeZone *
city_zone (void)
{
  return g_time_zone_new_offset (CITY_OFFSET);
}

/* Unix seconds of local midnight on the date. */
static gint64
local_midnight (int year,
                int month,
                int day)
{
  g_autoptr(GTimeZone) zone = city_zone ();
  g_autoptr(GDateTime) dt = g_date_time_new (zone, year, month, day, 0, 0, 0);

  return g_date_time_to_unix (dt);
}

static void
on_line_checksum (gint64      time,
                  const char *line,
                  gsize       length,
                  gpointer    user_data)
{
  g_checksum_update (user_data, (const guchar *) line, (gssize) length);
}

static char *
run_checksum (guint64 seed,
              gint64  start,
              gint64  end,
              guint   steps)
{
  g_autoptr(GTimeZone) zone = city_zone ();
  g_autoptr(CdDemoPbx) pbx = cd_demo_pbx_new (seed, start, zone);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  /* In @steps slices, as a live clock would move. */
  for (guint i = 1; i <= steps; i++)
    cd_demo_pbx_advance (pbx, start + (end - start) * i / steps, on_line_checksum, sum);
  g_assert_cmpint (cd_demo_pbx_get_time (pbx), ==, end);
  return g_strdup (g_checksum_get_string (sum));
}

static void
test_deterministic (void)
{
  gint64 start = local_midnight (2026, 2, 10) + 5 * 3600 + 17;
  g_autofree char *a = run_checksum (7, start, start + 2 * DAY, 1);
  g_autofree char *b = run_checksum (7, start, start + 2 * DAY, 977);
  g_autofree char *c = run_checksum (8, start, start + 2 * DAY, 1);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
}

/* A month read by the real reader. */
typedef struct
{
  CdQueueLog *log;
  GPtrArray  *calls;
  gint64      last_time;
  gboolean    in_order;
  guint64     n_lines;
  char       *first_line;
} Month;

static void
on_line_read (gint64      time,
              const char *line,
              gsize       length,
              gpointer    user_data)
{
  Month *m = user_data;
  char *end = NULL;

  if (time < m->last_time || g_ascii_strtoll (line, &end, 10) != time || *end != '|' ||
      line[length - 1] != '\n')
    m->in_order = FALSE;
  m->last_time = time;
  if (m->first_line == NULL)
    m->first_line = g_strndup (line, length);
  m->n_lines++;
  cd_queue_log_feed (m->log, line, length);
  if (m->n_lines % 4096 == 0)
    {
      g_autoptr(GPtrArray) calls = cd_queue_log_take_calls (m->log);

      g_ptr_array_extend_and_steal (m->calls, g_steal_pointer (&calls));
    }
}

static void
month_free (Month *m)
{
  cd_queue_log_free (m->log);
  g_ptr_array_unref (m->calls);
  g_free (m->first_line);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Month, month_free)

static Month *
run_month (gint64 start,
           guint  days)
{
  g_autoptr(GTimeZone) zone = city_zone ();
  g_autoptr(CdDemoPbx) pbx = cd_demo_pbx_new (115, start, zone);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  Month *m = g_new0 (Month, 1);

  m->log = cd_queue_log_new (CD_QUEUE_LOG_FLAT);
  m->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
  m->in_order = TRUE;
  for (guint d = 1; d <= days; d++)
    cd_demo_pbx_advance (pbx, start + d * DAY, on_line_read, m);
  cd_queue_log_finish (m->log);
  calls = cd_queue_log_take_calls (m->log);
  g_ptr_array_extend_and_steal (m->calls, g_steal_pointer (&calls));

  problems = cd_queue_log_take_problems (m->log);
  for (guint i = 0; i < problems->len; i++)
    {
      CdQueueLogProblem *p = problems->pdata[i];

      g_test_message ("line %u: %s", p->line, p->message);
    }
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (cd_queue_log_get_n_unknown (m->log), ==, 0);
  g_assert_true (m->in_order);
  g_assert_true (g_str_has_suffix (m->first_line, "|NONE|NONE|NONE|QUEUESTART|\n"));
  /* Every call that entered ended, but the few still in the queue or on
   * the phone at the end. */
  g_assert_cmpuint (cd_demo_pbx_get_n_calls (pbx), >=, m->calls->len);
  g_assert_cmpuint (cd_demo_pbx_get_n_calls (pbx) - m->calls->len, <, 200);
  return m;
}

/* Calls per local hour of the day, summed over the month. */
static void
count_hours (GPtrArray *calls,
             double    *hours)
{
  for (guint h = 0; h < 24; h++)
    hours[h] = 0;
  for (guint i = 0; i < calls->len; i++)
    {
      const CdCall *call = calls->pdata[i];

      hours[((call->entered_at + CITY_OFFSET) % DAY) / 3600]++;
    }
}

static double
mean_hours (const double *hours,
            guint         from,
            guint         to)
{
  double sum = 0;

  for (guint h = from; h < to; h++)
    sum += hours[h];
  return sum / (to - from);
}

/* The share of answered calls of the hours [from, to) answered within 40 s. */
static double
service_level (GPtrArray *calls,
               guint      from,
               guint      to)
{
  guint answered = 0, within = 0;

  for (guint i = 0; i < calls->len; i++)
    {
      const CdCall *call = calls->pdata[i];
      guint hour = (guint) (((call->entered_at + CITY_OFFSET) % DAY) / 3600);

      if (hour < from || hour >= to || call->answered_at == 0)
        continue;
      answered++;
      within += call->hold_seconds <= 40;
    }
  g_assert_cmpuint (answered, >, 0);
  return (double) within / answered;
}

static void
check_verbs (CdQueueLog *log)
{
  const char * const verbs[] = {
    "ENTERQUEUE", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "ABANDON", "EXITWITHTIMEOUT",
    "RINGNOANSWER", "RINGCANCELED", "BLINDTRANSFER", "ADDMEMBER", "REMOVEMEMBER", "PAUSE",
    "UNPAUSE", "QUEUESTART",
  };

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_test_message ("%s: %u", verbs[i], cd_queue_log_count_verb (log, verbs[i]));
      g_assert_cmpuint (cd_queue_log_count_verb (log, verbs[i]), >, 0);
    }
}

static void
test_winter (void)
{
  g_autoptr(Month) m = run_month (local_midnight (2026, 1, 5), 28);
  double hours[24];
  guint outcomes[CD_N_CALL_OUTCOMES] = { 0 };
  GHashTable *callers = g_hash_table_new (g_str_hash, g_str_equal);
  guint repeats = 0;

  check_verbs (m->log);
  count_hours (m->calls, hours);
  for (guint h = 0; h < 24; h++)
    g_test_message ("winter %02u:00 %.0f calls, SL %.2f", h, hours[h],
                    service_level (m->calls, h, h + 1));

  /* The morning peak: 06-08 is the busiest, well above the day and far
   * above the night. */
  g_assert_cmpfloat (mean_hours (hours, 6, 8), >, 1.4 * mean_hours (hours, 10, 17));
  g_assert_cmpfloat (mean_hours (hours, 6, 8), >, 5 * mean_hours (hours, 1, 5));
  g_assert_cmpfloat (mean_hours (hours, 10, 12), <, mean_hours (hours, 6, 8));
  /* The peak strains; the night does not. */
  g_assert_cmpfloat (service_level (m->calls, 6, 8), <, 0.8);
  g_assert_cmpfloat (service_level (m->calls, 0, 5), >, 0.8);

  for (guint i = 0; i < m->calls->len; i++)
    {
      const CdCall *call = m->calls->pdata[i];

      outcomes[call->outcome]++;
      if (call->caller == NULL)
        continue;
      if (g_hash_table_contains (callers, call->caller))
        repeats++;
      else
        g_hash_table_add (callers, call->caller);
      /* The 5-minute rule: nobody waits longer. */
      g_assert_cmpint (call->hold_seconds, <=, CD_DEMO_PBX_TIMEOUT);
      if (call->outcome == CD_CALL_TIMEOUT)
        g_assert_cmpint (call->hold_seconds, ==, CD_DEMO_PBX_TIMEOUT);
    }
  g_hash_table_unref (callers);
  g_test_message ("%u calls: %u answered, %u abandoned, %u timeout, %u transferred, "
                  "%u repeat callers", m->calls->len, outcomes[CD_CALL_ANSWERED],
                  outcomes[CD_CALL_ABANDONED], outcomes[CD_CALL_TIMEOUT],
                  outcomes[CD_CALL_TRANSFERRED], repeats);
  g_assert_cmpuint (outcomes[CD_CALL_ANSWERED], >, m->calls->len * 3 / 4);
  g_assert_cmpuint (outcomes[CD_CALL_ABANDONED], >, m->calls->len / 50);
  g_assert_cmpuint (outcomes[CD_CALL_ABANDONED], <, m->calls->len / 4);
  g_assert_cmpuint (outcomes[CD_CALL_TIMEOUT], >, 0);
  g_assert_cmpuint (outcomes[CD_CALL_TRANSFERRED], >, 0);
  g_assert_cmpuint (repeats, >, m->calls->len / 50);
}

static void
test_summer (void)
{
  g_autoptr(Month) m = run_month (local_midnight (2026, 7, 6), 28);
  double hours[24];

  count_hours (m->calls, hours);
  for (guint h = 0; h < 24; h++)
    g_test_message ("summer %02u:00 %.0f calls, SL %.2f", h, hours[h],
                    service_level (m->calls, h, h + 1));

  /* Two peaks, 10-12 and 16-19, above the morning and the early afternoon. */
  g_assert_cmpfloat (mean_hours (hours, 10, 12), >, 1.4 * mean_hours (hours, 6, 9));
  g_assert_cmpfloat (mean_hours (hours, 16, 19), >, 1.4 * mean_hours (hours, 6, 9));
  g_assert_cmpfloat (mean_hours (hours, 10, 12), >, 1.2 * mean_hours (hours, 13, 15));
  g_assert_cmpfloat (mean_hours (hours, 16, 19), >, 1.2 * mean_hours (hours, 13, 15));
  g_assert_cmpfloat (mean_hours (hours, 10, 12), >, 5 * mean_hours (hours, 1, 5));
  g_assert_cmpfloat (MIN (service_level (m->calls, 10, 12), service_level (m->calls, 16, 19)),
                     <, 0.8);
}

/* A file begun mid-run: its first lines say who is on duty, and a
 * follower of that file alone knows each operator at once. */
static void
on_line_append (gint64      time,
                const char *line,
                gsize       length,
                gpointer    user_data)
{
  g_string_append_len (user_data, line, (gssize) length);
}

static void
on_line_ignore (gint64      time,
                const char *line,
                gsize       length,
                gpointer    user_data)
{
}

static void
test_announce (void)
{
  g_autoptr(GTimeZone) zone = city_zone ();
  gint64 start = local_midnight (2026, 2, 10);
  gint64 until = start + DAY + 10 * 3600 + 1234;
  g_autoptr(CdDemoPbx) pbx = cd_demo_pbx_new (11, start, zone);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(CdQueueLog) log = cd_queue_log_new (CD_QUEUE_LOG_FLAT);
  g_autoptr(CdQueueState) state = cd_queue_state_new (zone);
  g_autoptr(CdQueueSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_members = 0;
  guint n_paused = 0;
  guint on_duty;

  cd_demo_pbx_advance (pbx, until, on_line_ignore, NULL);
  cd_demo_pbx_announce (pbx, on_line_append, text);
  lines = g_strsplit (text->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "|", -1);

      g_assert_cmpuint (g_strv_length (fields), >=, 5);
      /* Dated before any line still to come. */
      g_assert_cmpint (g_ascii_strtoll (fields[0], NULL, 10), ==, until - 1);
      if (g_str_equal (fields[4], "ADDMEMBER"))
        n_members++;
      else if (g_str_equal (fields[4], "PAUSE"))
        n_paused++;
      else
        g_assert_not_reached ();
    }
  /* A weekday morning: the early and day shifts are on. */
  g_assert_cmpuint (n_members, >=, 10);

  cd_queue_log_set_state (log, state);
  cd_queue_log_feed (log, text->str, text->len);
  problems = cd_queue_log_take_problems (log);
  g_assert_cmpuint (problems->len, ==, 0);
  snapshot = cd_queue_state_snapshot (state, until);
  on_duty = snapshot->agents->len - cd_queue_snapshot_count_agents (snapshot,
                                                                   CD_AGENT_LOGGED_OFF);
  g_assert_cmpuint (on_duty, ==, n_members);
  g_assert_cmpuint (cd_queue_snapshot_count_agents (snapshot, CD_AGENT_PAUSED), ==, n_paused);
  g_ptr_array_unref (cd_queue_log_take_calls (log));
}

/* The demo's callbacks of its missed calls: the same plan every time,
 * most within the 10 minutes, most reaching the caller, never more than
 * eight attempts, each after the one before. */
static void
test_plan_callback (void)
{
  guint n = 10000;
  guint within = 0;
  guint reached = 0;
  guint given_up = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("1796535899.%u", i);
      gint64 after = 1796535899;
      gint64 first = 0;
      guint attempt;

      for (attempt = 1;; attempt++)
        {
          CdCallbackOutcome outcome, again;
          gint64 at, at_again;

          if (!cd_demo_pbx_plan_callback (id, attempt, after, &at, &outcome))
            {
              g_assert_cmpuint (attempt, ==, 9);
              given_up++;
              break;
            }
          g_assert_true (cd_demo_pbx_plan_callback (id, attempt, after, &at_again, &again));
          g_assert_cmpint (at, ==, at_again);
          g_assert_cmpint (outcome, ==, again);
          g_assert_cmpint (at, >, after);
          if (attempt == 1)
            first = at - after;
          after = at;
          if (outcome == CD_CALLBACK_REACHED || outcome == CD_CALLBACK_WRONG_NUMBER)
            {
              reached += outcome == CD_CALLBACK_REACHED;
              break;
            }
        }
      within += first <= 600;
    }
  g_assert_cmpuint (within, >, n * 6 / 10);
  g_assert_cmpuint (within, <, n * 8 / 10);
  g_assert_cmpuint (reached, >, n * 8 / 10);
  g_assert_cmpuint (given_up, <=, 2);
}

static void
on_line_count (gint64      time,
               const char *line,
               gsize       length,
               gpointer    user_data)
{
  guint64 *bytes = user_data;

  *bytes += length;
}

/* A year's calls: the whole year takes a few seconds. */
static void
test_year (void)
{
  g_autoptr(GTimeZone) zone = city_zone ();
  gint64 start = local_midnight (2026, 1, 1);
  g_autoptr(CdDemoPbx) pbx = cd_demo_pbx_new (115, start, zone);
  guint64 bytes = 0;

  cd_demo_pbx_advance (pbx, local_midnight (2027, 1, 1), on_line_count, &bytes);
  g_test_message ("%" G_GUINT64_FORMAT " calls, %" G_GUINT64_FORMAT " bytes",
                  cd_demo_pbx_get_n_calls (pbx), bytes);
  g_assert_cmpuint (cd_demo_pbx_get_n_calls (pbx), >=, 1300000);
  g_assert_cmpuint (cd_demo_pbx_get_n_calls (pbx), <=, 1700000);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-pbx/deterministic", test_deterministic);
  g_test_add_func ("/demo-pbx/winter", test_winter);
  g_test_add_func ("/demo-pbx/summer", test_summer);
  g_test_add_func ("/demo-pbx/announce", test_announce);
  g_test_add_func ("/demo-pbx/plan-callback", test_plan_callback);
  g_test_add_func ("/demo-pbx/year", test_year);
  return g_test_run ();
}
