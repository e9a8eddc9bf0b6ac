// SPDX-License-Identifier: GPL-3.0-or-later
//
// The desktop's sync against a real citydesk-server on 127.0.0.1:
//  1. the initial sync of the demo year, with its calls (one event each),
//     into an empty cache, in events/s,
//     against two baselines of the same run: raw SQLite inserts of the same
//     rows (the ceiling of any cache) and cd_store_import of the same events
//     without the network (the projection's own cost);
//  2. the stream: from a write posted to the server to its event committed
//     in the client's cache, median and p99.
// Run with `meson test -C _build --benchmark --verbose sync` or directly:
// bench-sync [DAYS] (default: citydeskctl demo generate's default year; 2
// days and 20 writes in the small mode, cd-bench.h).

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "cd-client.h"
#include "cd-store-calls.h"
#include "cd-sync.h"
#include "../cd-test-server.h"
#include "cd-bench.h"
#include "cd-store-search.h"

#define STREAM_SAMPLES 300
/* As long as citydeskctl user add asks. */
#define PASSWORD "bench-password"
#define LOCAL_IMPORT_EVENTS 300000

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static double
now_s (void)
{
  return g_get_monotonic_time () / (double) G_USEC_PER_SEC;
}

static CdClient *
login (const char *url,
       const char *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (url, &error);
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);
  cd_client_login_async (client, user, PASSWORD, NULL, store_result, &result);
  if (!cd_client_login_finish (client, wait_result (&result), &error))
    g_error ("login: %s", error->message);
  return g_steal_pointer (&client);
}

/* The ceiling: the same rows into a table of the same shape, one
 * transaction, one prepared statement. */
static double
raw_insert_rate (GPtrArray  *events,
                 const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "raw.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double start, seconds;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db,
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                    "CREATE TABLE events (seq INTEGER PRIMARY KEY, entity TEXT NOT NULL,"
                    " type TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL,"
                    " time INTEGER NOT NULL, payload TEXT NOT NULL, hash TEXT NOT NULL);",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  start = now_s ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *e = g_ptr_array_index (events, i);

      sqlite3_bind_int64 (stmt, 1, e->seq);
      sqlite3_bind_text (stmt, 2, e->entity, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, e->type, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, e->actor, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, e->role, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, e->time);
      sqlite3_bind_text (stmt, 7, e->payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 8, e->hash, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  seconds = now_s () - start;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return events->len / seconds;
}

/* The projection without the network: the same events through
 * cd_store_import, in batches the size of the feed's pages; only the first
 * @limit of them, as a full year takes as long as the sync itself. */
static double
local_import_rate (GPtrArray  *all,
                   guint       limit,
                   const char *dir)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new ();

  g_autofree char *path = g_build_filename (dir, "local.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (path, &error);
  double start;

  g_assert_no_error (error);
  for (guint i = 0; i < MIN (all->len, limit); i++)
    g_ptr_array_add (events, g_ptr_array_index (all, i));
  g_assert_true (cd_store_set_bulk (store, TRUE, &error));
  start = now_s ();
  for (guint i = 0; i < events->len; i += CD_SYNC_QUEUE_PAGES * CD_SYNC_PAGE_SIZE)
    {
      cd_store_begin (store, &error);
      g_assert_no_error (error);
      for (guint j = i; j < MIN (events->len, i + CD_SYNC_QUEUE_PAGES * CD_SYNC_PAGE_SIZE); j++)
        {
          cd_store_import (store, g_ptr_array_index (events, j), &error);
          g_assert_no_error (error);
        }
      cd_store_commit (store, &error);
      g_assert_no_error (error);
    }
  /* Leaving bulk mode builds the indexes the load set aside. */
  g_assert_true (cd_store_set_bulk (store, FALSE, &error));
  return events->len / (now_s () - start);
}

typedef struct
{
  double start;
  gint64 reported;
} Progress;

/* A line every 250,000 events, to follow a long run. */
static void
on_progress (CdSync     *sync,
             GParamSpec *pspec,
             Progress   *progress)
{
  gint64 done = cd_sync_get_done (sync);

  if (done / 250000 == progress->reported / 250000)
    return;
  progress->reported = done;
  printf ("  %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " events after %.1f s\n",
          done, cd_sync_get_total (sync), now_s () - progress->start);
}

/* The desktop's window lives on the main loop the sync reports to: the
 * longest time a 10 ms tick waited is how long the window could not
 * redraw or take a key during the catch-up. */
typedef struct
{
  double last;
  double longest;
} Stall;

static gboolean
on_tick (gpointer user_data)
{
  Stall *stall = user_data;
  double now = now_s ();

  if (stall->last > 0)
    stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
caught_up (CdSync *sync)
{
  return cd_sync_get_state (sync) == CD_CONNECTION_STATE_ONLINE &&
         cd_sync_get_done (sync) >= cd_sync_get_total (sync);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;

  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *cache_path = NULL;
  g_autoptr(GSubprocess) gen = NULL;
  g_autoptr(GPtrArray) gen_argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CdClient) client = NULL;
  g_autoptr(CdClient) writer = NULL;
  g_autoptr(CdStore) cache = NULL;
  g_autoptr(CdSync) sync = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) round_trips = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) open_tickets = NULL;
  CdTicketFilter query = { .open_only = TRUE };
  CdTestServer server = { 0 };
  Progress progress = { 0 };
  Stall stall = { 0 };
  guint tick;
  double raw_rate, local_rate, start, seconds, sync_rate, gen_start;
  gboolean timed_out = FALSE;
  gint64 head, n_calls = 0, n_call_events = 0;
  const char *days = argc > 1 ? argv[1] : cd_bench_small () ? "2" : NULL;
  guint stream_samples = cd_bench_small () ? 20 : STREAM_SAMPLES;

  cd_test_own_tmp_dir ();
  dir = g_dir_make_tmp ("citydesk-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  /* Each figure as soon as it is measured: the whole run takes minutes. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (g_getenv ("CITYDESK_DATA_DIR") == NULL && g_getenv ("G_TEST_SRCDIR") != NULL)
    {
      g_autofree char *data_dir = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "data", NULL);

      g_setenv ("CITYDESK_DATA_DIR", data_dir, TRUE);
    }

  /* The demo city: the default year unless DAYS is given, or a copy of
   * CITYDESK_BENCH_DB (the bench adds its users to it). */
  db = g_build_filename (dir, "server.db", NULL);
  if (g_getenv ("CITYDESK_BENCH_DB") != NULL)
    {
      g_autoptr(GFile) from = g_file_new_for_path (g_getenv ("CITYDESK_BENCH_DB"));
      g_autoptr(GFile) to = g_file_new_for_path (db);

      g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_ptr_array_add (gen_argv, (char *) cd_test_program ("CITYDESK_CTL"));
      g_ptr_array_add (gen_argv, (char *) "demo");
      g_ptr_array_add (gen_argv, (char *) "generate");
      g_ptr_array_add (gen_argv, (char *) "--db");
      g_ptr_array_add (gen_argv, db);
      if (days != NULL)
        {
          g_ptr_array_add (gen_argv, (char *) "--days");
          g_ptr_array_add (gen_argv, (char *) days);
        }
      g_ptr_array_add (gen_argv, NULL);
      gen_start = now_s ();
      gen = g_subprocess_newv ((const char * const *) gen_argv->pdata, G_SUBPROCESS_FLAGS_NONE,
                               &error);
      g_assert_no_error (error);
      g_subprocess_wait_check (gen, NULL, &error);
      g_assert_no_error (error);
      printf ("demo city generated in %.1f s\n", now_s () - gen_start);
    }
  cd_test_add_user (db, "supervisor", "supervisor", NULL, PASSWORD);
  cd_test_add_user (db, "operator", "operator", NULL, PASSWORD);

  {
    g_autoptr(CdStore) source = cd_store_open (db, &error);

    g_assert_no_error (error);
    events = cd_store_list_events (source, NULL, 0, 0, &error);
    g_assert_no_error (error);
    open_tickets = cd_store_list_tickets (source, &query, 50, &error);
    g_assert_no_error (error);
  }
  head = events->len > 0 ? ((CdEvent *) g_ptr_array_index (events, events->len - 1))->seq : 0;
  printf ("events: %u\n", events->len);
  for (guint i = 0; i < events->len; i++)
    n_call_events += g_str_equal (((CdEvent *) events->pdata[i])->type, "call");
  /* The year's calls from the demo's PBX: one event per call, not one
   * per queue_log line. */
  printf ("call events: %" G_GINT64_FORMAT " (%.1f%% of the events)\n", n_call_events,
          events->len > 0 ? 100.0 * n_call_events / events->len : 0.0);

  raw_rate = raw_insert_rate (events, dir);
  local_rate = local_import_rate (events, LOCAL_IMPORT_EVENTS, dir);
  printf ("raw SQLite insert of the same rows: %.0f events/s\n", raw_rate);
  printf ("cd_store_import without the network, first %u events: %.0f events/s (%.3f of raw)\n",
          MIN (events->len, LOCAL_IMPORT_EVENTS), local_rate, local_rate / raw_rate);

  /* 1. The initial sync. */
  cd_test_server_start (&server, db);
  client = login (server.url, "supervisor");
  cache_path = g_build_filename (dir, "cache.db", NULL);
  cache = cd_store_open (cache_path, &error);
  g_assert_no_error (error);
  sync = cd_sync_new (client, cache, &error);
  g_assert_no_error (error);

  g_timeout_add_seconds (1800, on_timeout, &timed_out);
  start = now_s ();
  cd_sync_start (sync);
  progress.start = start;
  g_signal_connect (sync, "notify::done", G_CALLBACK (on_progress), &progress);
  tick = g_timeout_add (10, on_tick, &stall);
  while (!caught_up (sync) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  seconds = now_s () - start;
  g_source_remove (tick);
  g_signal_handlers_disconnect_by_func (sync, on_progress, &progress);
  if (timed_out)
    g_error ("The initial sync did not finish: %s", cd_sync_get_last_error (sync));
  g_assert_cmpint (cd_sync_get_done (sync), ==, head);
  sync_rate = head / seconds;
  printf ("initial sync: %" G_GINT64_FORMAT " events in %.1f s, %.0f events/s\n", head, seconds,
          sync_rate);
  printf ("initial sync / raw SQLite insert: %.3f\n", sync_rate / raw_rate);
  printf ("initial sync / local cd_store_import: %.3f\n", sync_rate / local_rate);
  printf ("longest main-loop stall during the initial sync: %.0f ms (ticks every 10 ms)\n",
          stall.longest * 1000);
  g_assert_true (cd_store_count_calls (cache, &n_calls, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_calls, ==, n_call_events);
  printf ("calls in the cache's table: %" G_GINT64_FORMAT " (one event each)\n", n_calls);

  /* 2. The stream: one write at a time, each waited for in the cache. */
  writer = login (server.url, "operator");
  for (guint i = 0; i < stream_samples; i++)
    {
      CdTicket *ticket = g_ptr_array_index (open_tickets, i % open_tickets->len);
      g_autofree char *path = cd_client_action_path (ticket->number);
      g_autofree char *key = g_uuid_string_random ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(JsonObject) answer = NULL;
      gint64 before = cd_sync_get_done (sync);
      double sent, latency = 0, answered = 0;

      sent = now_s ();
      cd_client_post_async (writer, path, key, "{\"action\":\"comment\",\"note\":\"bench\"}",
                            NULL, store_result, &result);
      /* Whichever comes first: the server's answer or the event over the
       * stream; the answer alone is the write's own round trip. */
      while ((result == NULL || cd_sync_get_done (sync) <= before) && !timed_out)
        {
          g_main_context_iteration (NULL, TRUE);
          if (result != NULL && answered == 0)
            answered = now_s () - sent;
          if (cd_sync_get_done (sync) > before && latency == 0)
            latency = now_s () - sent;
        }
      answer = cd_client_post_finish (writer, result, &error);
      g_assert_no_error (error);
      g_array_append_val (latencies, latency);
      g_array_append_val (round_trips, answered);
    }
  g_array_sort (latencies, compare_doubles);
  g_array_sort (round_trips, compare_doubles);
  printf ("stream, write posted -> event committed in the client's cache (%u samples): "
          "median %.1f ms, p99 %.1f ms, max %.1f ms\n", latencies->len,
          1000 * g_array_index (latencies, double, latencies->len / 2),
          1000 * g_array_index (latencies, double, (latencies->len * 99) / 100),
          1000 * g_array_index (latencies, double, latencies->len - 1));
  printf ("baseline, the same write's HTTP round trip: median %.1f ms, p99 %.1f ms, max %.1f ms\n",
          1000 * g_array_index (round_trips, double, round_trips->len / 2),
          1000 * g_array_index (round_trips, double, (round_trips->len * 99) / 100),
          1000 * g_array_index (round_trips, double, round_trips->len - 1));

  cd_sync_stop (sync);
  cd_test_server_clear (&server);
  g_clear_object (&sync);
  g_clear_object (&cache);
  remove_dir (dir);
  return 0;
}
