// SPDX-License-Identifier: GPL-3.0-or-later
/* bench-queue.c: how fast the staffing engine finds the agents a load
 * needs, and what one live tile update costs the server
 *
 * The staffing engine: cd_erlang_agents_needed () for 10,000 random Erlang
 * C loads (0.5 to 300 Erlangs, handling 1 to 10 minutes, targets of 10 to
 * 60 s at 70 to 95 %, a maximum occupancy of 80 to 100 %), against a
 * direct-sum implementation on the same inputs: Erlang C from Σ A^k/k!
 * summed afresh, term by term from lgamma, for each count of agents
 * tried. It checks that both find the same count (or that the reference's
 * service level at the engine's count is within 1e-9 of the target, where
 * rounding may pick either) and prints the time of each and their ratio,
 * and the time of the same search with Erlang A (a patience of 2 minutes).
 *
 * The tiles: a real citydesk-server follows a queue_log of 40 operators
 * and 15 waiting callers, with 50 supervisors' streams open; a line is
 * appended every 100 ms, so that a snapshot goes out after each as well
 * as every second. The server's CPU time (user and system, from
 * /proc/PID/stat) over the run, less that of the same server with the same
 * 50 streams and no queue_log over as long, divided by the snapshots one
 * client received, is the cost of one tile update: building the snapshot,
 * serializing it once and sending it 50 times (the goal is under 5 ms).
 *
 * Then the year's interval table from the store: a year of 1.5 million
 * calls (30,000 in the small mode) is written straight into a store's
 * calls table by SQL inserts (cd_store_add_call() appends and hashes an
 * event per call, minutes for a year: the journal's benchmark measures
 * that), and cd_store_call_stats() counts it in 30-minute intervals on
 * Minsk's clock, against two baselines in the same run: a plain
 * `SELECT count(*)` of the year off the entry's index, and one SQL pass
 * reading every column the statistics read. The heatmap and the next
 * day's forecast are timed on the same store. It checks the counts, not
 * the times.
 *
 * It asserts no time. The small mode (cd-bench.h) does the same on 500
 * loads, 30,000 calls and 3 seconds of tiles.
 */

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include "cd-erlang.h"
#include "cd-bench.h"
#include "cd-store-calls.h"
#include "../cd-test-server.h"
#include "../cd-test-stream.h"

#define N_CLIENTS 50
#define N_AGENTS 40
#define N_WAITING 15

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

/* Tiles {{{1 */

/* The server's CPU time so far, in seconds (user and system). */
static double
server_cpu (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (proc));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  /* After the command's name in parentheses: state is field 3, utime
   * 14 and stime 15. */
  after = strrchr (text, ')');
  g_assert_nonnull (after);
  fields = g_strsplit (after + 2, " ", -1);
  g_assert_cmpuint (g_strv_length (fields), >, 13);
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

static void
append (const char *path,
        const char *text)
{
  FILE *file = fopen (path, "ab");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (text, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

typedef struct
{
  const char *log;
  guint       n;
} Writer;

/* A PBX's line every 100 ms: an operator pauses or comes back. */
static gboolean
on_write (gpointer user_data)
{
  Writer *w = user_data;
  g_autofree char *line = g_strdup_printf (
      "%" G_GINT64_FORMAT "|NONE|city|PJSIP/%u|%s|\n", g_get_real_time () / G_USEC_PER_SEC,
      100 + w->n % N_AGENTS, (w->n / N_AGENTS) % 2 == 0 ? "PAUSE|Break" : "UNPAUSE");

  append (w->log, line);
  w->n++;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_done (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static guint
count_queue (CdTestStream *stream)
{
  guint n = 0;

  for (guint i = 0; i < stream->messages->len; i++)
    n += strstr (g_ptr_array_index (stream->messages, i), "\"type\":\"queue\"") != NULL;
  return n;
}

/* Runs a server on @db with @conf, opens N_CLIENTS streams, writes a line
 * to @log every 100 ms for @seconds; returns the server's CPU seconds over
 * that time, and in @updates the snapshots the first client received. */
static double
run_tiles (const char *db,
           const char *conf,
           const char *log,
           guint       seconds,
           guint      *updates)
{
  const char *args[] = { "--config", conf, NULL };
  g_autoptr(SoupSession) session = NULL;
  g_autofree CdTestStream *streams = g_new0 (CdTestStream, N_CLIENTS);
  g_autofree char *token = NULL;
  CdTestServer server = { 0 };
  Writer writer = { log, 0 };
  gboolean done = FALSE;
  guint write_id;
  double before, after;
  guint first;

  cd_test_server_start_full (&server, db, args, FALSE);
  session = soup_session_new_with_options ("max-conns", N_CLIENTS + 4,
                                           "max-conns-per-host", N_CLIENTS + 4, NULL);
  token = cd_test_login (session, server.url, "super", "password-1");
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      cd_test_stream_open (&streams[i], session, server.url, "", token);
      g_assert_no_error (streams[i].error);
    }
  /* Settle: the backlog read, every client's first snapshot in. */
  g_timeout_add (1500, on_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  first = count_queue (&streams[0]);
  before = server_cpu (server.proc);
  done = FALSE;
  write_id = g_timeout_add (100, on_write, &writer);
  g_timeout_add_seconds (seconds, on_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  after = server_cpu (server.proc);
  g_source_remove (write_id);
  *updates = count_queue (&streams[0]) - first;

  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_assert_false (streams[i].closed);
      cd_test_stream_clear (&streams[i]);
    }
  cd_test_server_stop (&server);
  g_free (server.db);
  return after - before;
}

static void
bench_tiles (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *log = g_build_filename (dir, "queue_log", NULL);
  g_autofree char *other = g_build_filename (dir, "queue_log.unread", NULL);
  g_autofree char *live_conf = g_build_filename (dir, "live.conf", NULL);
  g_autofree char *idle_conf = g_build_filename (dir, "idle.conf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint seconds = cd_bench_small () ? 3 : 20;
  guint live_updates = 0, idle_updates = 0;
  double live_s, idle_s, per_update_ms;

  cd_test_add_user (db, "super", "supervisor", NULL, "password-1");
  /* A busy hour: operators in, some paused, some on calls, callers waiting. */
  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_string_append_printf (lines, "%" G_GINT64_FORMAT "|NONE|city|PJSIP/%u|ADDMEMBER|\n",
                              now - 3600, 100 + i);
      if (i % 5 == 0)
        g_string_append_printf (lines, "%" G_GINT64_FORMAT "|NONE|city|PJSIP/%u|PAUSE|Lunch\n",
                                now - 600, 100 + i);
      else if (i % 2 == 0)
        g_string_append_printf (lines, "%" G_GINT64_FORMAT "|%u.1|city|NONE|ENTERQUEUE||1|1\n"
                                "%" G_GINT64_FORMAT "|%u.1|city|PJSIP/%u|CONNECT|20|x|1\n",
                                now - 300, i, now - 280, i, 100 + i);
    }
  for (guint i = 0; i < N_WAITING; i++)
    g_string_append_printf (lines, "%" G_GINT64_FORMAT "|w%u.1|city|NONE|ENTERQUEUE||1|%u\n",
                            now - 60 + i, i, i + 1);
  append (log, lines->str);

  text = g_strdup_printf ("[server]\nqueue-log=%s\nqueue-wrapup=15\n"
                          "max-connections-per-address=%d\n", log, N_CLIENTS * 2);
  g_assert_true (g_file_set_contents (live_conf, text, -1, &error));
  g_free (text);
  text = g_strdup_printf ("[server]\nmax-connections-per-address=%d\n", N_CLIENTS * 2);
  g_assert_true (g_file_set_contents (idle_conf, text, -1, &error));
  g_assert_no_error (error);

  idle_s = run_tiles (db, idle_conf, other, seconds, &idle_updates);
  live_s = run_tiles (db, live_conf, log, seconds, &live_updates);
  g_assert_cmpuint (idle_updates, ==, 0);
  g_assert_cmpuint (live_updates, >, 0);
  per_update_ms = MAX (live_s - idle_s, 0) / live_updates * 1e3;

  printf ("queue tiles: %d streams, %d operators, %d callers waiting, %u s each run\n",
          N_CLIENTS, N_AGENTS, N_WAITING, seconds);
  printf ("queue tiles: server CPU %.3f s idle (no queue_log), %.3f s live (%u snapshots to "
          "each client); ratio %.2fx\n", idle_s, live_s, live_updates,
          live_s / MAX (idle_s, 1e-3));
  printf ("queue tiles: %.3f ms of server CPU per tile update to %d clients (goal < 5 ms)\n",
          per_update_ms, N_CLIENTS);
}

/* The year's interval table {{{1 */

/* A busy city line: about 4,100 calls a day, 1.5 million a year. */
#define YEAR_CALLS 1500000
#define SMALL_YEAR_CALLS 30000
#define N_OPERATORS 40

/* How busy each hour of the day and each weekday (Monday first) is. */
static const double hour_shape[24] = {
  0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.0, 2.2, 2.0,
  1.6, 1.7, 1.9, 2.0, 1.8, 1.5, 1.1, 0.8, 0.6, 0.4, 0.3, 0.2,
};
static const double weekday_shape[7] = { 1.25, 1.1, 1.05, 1.0, 1.0, 0.7, 0.6 };

static double
seconds_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1e6;
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Writes @n_calls calls over the year from @start straight into the
 * store's table, in order of entry, as the import would leave them: one in
 * twenty let ring by an operator, with its `call` event holding the rings
 * (the other events are left out: the statistics never read them). */
static guint
fill_year (const char *path,
           gint64      start,
           guint       n_calls,
           GRand      *rand)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *call = NULL, *event = NULL;
  double total_weight = 0.0;
  guint written = 0;

  for (guint d = 0; d < 365; d++)
    for (guint h = 0; h < 24; h++)
      total_weight += weekday_shape[(d + 2) % 7] * hour_shape[h];   /* 2025-01-01: Wednesday */

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA synchronous = OFF; BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO calls (id, seq, pbx_id, queue, entered_at, "
                                       "answered_at, ended_at, outcome, hold_seconds, "
                                       "talk_seconds, agent, rings) VALUES (?1, ?2, ?1, 'city', "
                                       "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                       -1, &call, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO events (seq, entity, type, actor, role, "
                                       "time, payload, hash) VALUES (?1, ?2, 'call', 'pbx', "
                                       "'admin', ?3, ?4, 'bench')",
                                       -1, &event, NULL), ==, SQLITE_OK);
  for (guint d = 0; d < 365; d++)
    for (guint h = 0; h < 24; h++)
      {
        double weight = weekday_shape[(d + 2) % 7] * hour_shape[h];
        guint n = (guint) round (n_calls * weight / total_weight);
        /* Minsk keeps one offset all year: its days are all 24 hours. */
        gint64 hour = start + (gint64) d * 86400 + h * 3600;

        for (guint k = 0; k < n; k++)
          {
            gint64 entered = hour + (gint64) k * 3600 / n;
            double draw = g_rand_double (rand);
            gint64 hold = g_rand_int_range (rand, 0, 120);
            gint64 talk = g_rand_int_range (rand, 30, 600);
            g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT ".%u", entered, written);
            g_autofree char *agent = g_strdup_printf ("PJSIP/%u",
                                                      100 + g_rand_int_range (rand, 0,
                                                                              N_OPERATORS));
            const char *outcome = draw < 0.85   ? "answered"
                                  : draw < 0.89 ? "transferred"
                                  : draw < 0.97 ? "abandoned"
                                                : "timeout";
            gboolean answered = draw < 0.89;
            gboolean rang = g_rand_int_range (rand, 0, 20) == 0;

            if (!answered)
              talk = 0;
            sqlite3_reset (call);
            sqlite3_bind_text (call, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_int64 (call, 2, written + 1);
            sqlite3_bind_int64 (call, 3, entered);
            if (answered)
              sqlite3_bind_int64 (call, 4, entered + hold);
            else
              sqlite3_bind_null (call, 4);
            sqlite3_bind_int64 (call, 5, entered + hold + talk);
            sqlite3_bind_text (call, 6, outcome, -1, SQLITE_STATIC);
            sqlite3_bind_int64 (call, 7, hold);
            sqlite3_bind_int64 (call, 8, talk);
            if (answered)
              sqlite3_bind_text (call, 9, agent, -1, SQLITE_STATIC);
            else
              sqlite3_bind_null (call, 9);
            sqlite3_bind_int64 (call, 10, rang ? 1 : 0);
            g_assert_cmpint (sqlite3_step (call), ==, SQLITE_DONE);
            if (rang)
              {
                guint ringer = 100 + g_rand_int_range (rand, 0, N_OPERATORS);
                g_autofree char *payload = NULL;

                payload = g_strdup_printf ("{\"call_id\":\"%s\",\"rings\":\"PJSIP/%u 1\"}",
                                           id, ringer);

                sqlite3_reset (event);
                sqlite3_bind_int64 (event, 1, written + 1);
                sqlite3_bind_text (event, 2, id, -1, SQLITE_STATIC);
                sqlite3_bind_int64 (event, 3, entered + hold + talk);
                sqlite3_bind_text (event, 4, payload, -1, SQLITE_STATIC);
                g_assert_cmpint (sqlite3_step (event), ==, SQLITE_DONE);
              }
            written++;
          }
      }
  sqlite3_finalize (call);
  sqlite3_finalize (event);
  exec_sql (db, "COMMIT; ANALYZE");
  sqlite3_close (db);
  return written;
}

/* Seconds of a plain SQL pass over the year's rows, as a floor. */
static double
time_sql (const char *path,
          const char *sql,
          gint64      from,
          gint64      to,
          gint64     *result)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 t0 = g_get_monotonic_time ();

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *result = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return seconds_since (t0);
}

static void
bench_year (GRand *rand)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Europe/Minsk");
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "bench-queue.db", NULL);
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(CdCallHeatmap) heatmap = NULL;
  g_autoptr(CdForecast) forecast = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GError) error = NULL;
  const CdCallStatsLimits limits = { 40, 5 };
  const CdErlangTarget target = { 0.8, 0.85, 0.3 };
  guint n_calls = cd_bench_small () ? SMALL_YEAR_CALLS : YEAR_CALLS;
  gint64 from, to, counted, t0;
  double fill_s, count_s, sum_s, stats_s, heatmap_s, forecast_s;
  guint written, heat_total = 0;

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  first = g_date_time_new (zone, 2025, 1, 1, 0, 0, 0);
  from = g_date_time_to_unix (first);
  to = from + 365 * 86400;

  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  t0 = g_get_monotonic_time ();
  written = fill_year (path, from, n_calls, rand);
  fill_s = seconds_since (t0);

  count_s = time_sql (path,
                      "SELECT count(*) FROM calls WHERE entered_at >= ?1 AND entered_at < ?2",
                      from, to, &counted);
  g_assert_cmpint (counted, ==, written);
  sum_s = time_sql (path,
                    "SELECT count(*) + 0 * sum (hold_seconds + talk_seconds + "
                    "coalesce (answered_at, 0) + ended_at + length (outcome) + "
                    "length (agent) + rings) FROM calls "
                    "WHERE entered_at >= ?1 AND entered_at < ?2",
                    from, to, &counted);
  g_assert_cmpint (counted, ==, written);

  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  g_assert_true (cd_store_call_stats (store, from, to, 1800, zone, &limits, &stats, &error));
  stats_s = seconds_since (t0);
  g_assert_no_error (error);
  g_assert_cmpuint (stats->total.offered, ==, written);
  g_assert_cmpuint (stats->intervals->len, >=, 365 * 48 - 2);

  t0 = g_get_monotonic_time ();
  g_assert_true (cd_store_call_heatmap (store, from, to, zone, &heatmap, &error));
  heatmap_s = seconds_since (t0);
  g_assert_no_error (error);
  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      heat_total += heatmap->offered[d][h];
  g_assert_cmpuint (heat_total, ==, written);

  t0 = g_get_monotonic_time ();
  g_assert_true (cd_store_call_forecast (store, to + 12 * 3600, 1800, zone, &target, 40,
                                         &forecast, &error));
  forecast_s = seconds_since (t0);
  g_assert_no_error (error);
  g_assert_cmpuint (forecast->history_days, ==, CD_FORECAST_WEEKS);

  printf ("queue year: %u calls written straight into the calls table (SQL inserts, one "
          "transaction, 1 in 20 with its event's rings) in %.1f s\n", written, fill_s);
  printf ("queue year: baseline SELECT count(*) over the year %.3f s; a SQL pass reading the "
          "same columns %.3f s\n", count_s, sum_s);
  printf ("queue year: cd_store_call_stats, %u intervals of 30 minutes and %u operators, "
          "%.3f s (goal under 1 s); %.1fx the count, %.1fx the SQL pass\n",
          stats->intervals->len, stats->operators->len, stats_s, stats_s / count_s,
          stats_s / sum_s);
  printf ("queue year: cd_store_call_heatmap %.3f s; cd_store_call_forecast (8 weeks of "
          "history) %.3f s\n", heatmap_s, forecast_s);
  g_clear_object (&store);
  g_remove (path);
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
  bench_year (rand);
  bench_tiles ();
  return 0;
}
