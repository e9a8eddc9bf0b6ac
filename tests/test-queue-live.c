// SPDX-License-Identifier: GPL-3.0-or-later
//
// The live queue end to end: citydesk-server --queue-log (the real binary)
// following a file the test writes as a PBX would, its snapshots on the
// stream (tests/cd-test-stream.h) and in a desktop's CdSync. A supervisor
// gets them, an executor never; a snapshot a client sends changes nothing;
// hostile lines do not stall the server; `citydeskctl verify` passes.

#include "config.h"

#include <stdio.h>

#include "cd-json-tree.h"
#include "cd-queue-snapshot.h"
#include "cd-sync.h"
#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-stream.h"

/* The server pushes a snapshot as soon as it has read new lines (a file
 * monitor wakes it, a poll four times a second backs it up): well within
 * a second. The deadline leaves room for a loaded machine. */
#define LIVE_DEADLINE_S 3

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *dir;
  char         *log;
  char         *supervisor;
  char         *executor;
} Fixture;

static void
append (const char *path,
        const char *text)
{
  FILE *file = fopen (path, "ab");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (text, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* A queue_log line @ago seconds before now: the live queue counts today. */
static void
append_line (Fixture    *f,
             gint64      ago,
             const char *rest)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "|%s\n",
                                           g_get_real_time () / G_USEC_PER_SEC - ago, rest);

  append (f->log, text);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *conf = NULL;
  g_autofree char *conf_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--config", NULL, NULL };

  f->dir = g_path_get_dirname (db);
  f->log = g_build_filename (f->dir, "queue_log", NULL);
  conf = g_build_filename (f->dir, "server.conf", NULL);
  conf_text = g_strdup_printf ("[server]\nqueue-log=%s\nqueue-wrapup=15\n", f->log);
  g_assert_true (g_file_set_contents (conf, conf_text, -1, &error));
  g_assert_no_error (error);
  args[1] = conf;
  cd_test_add_user (db, "super", "supervisor", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_server_start_full (&f->server, db, args, FALSE);
  f->session = soup_session_new ();
  f->supervisor = cd_test_login (f->session, f->server.url, "super", "password-1");
  f->executor = cd_test_login (f->session, f->server.url, "brigade", "password-1");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *db = g_strdup (f->server.db);

  cd_test_server_clear (&f->server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  g_clear_object (&f->session);
  g_free (f->dir);
  g_free (f->log);
  g_free (f->supervisor);
  g_free (f->executor);
}

/* The newest queue snapshot @stream received, or NULL. */
static CdQueueSnapshot *
latest (CdTestStream *stream)
{
  for (guint i = stream->messages->len; i > 0; i--)
    {
      const char *text = g_ptr_array_index (stream->messages, i - 1);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *object;
      CdQueueSnapshot *snapshot;

      root = cd_json_parse (text, strlen (text), CD_JSON_MAX_DEPTH, NULL, NULL, &error);
      g_assert_no_error (error);
      object = json_node_get_object (root);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", ""),
                     CD_QUEUE_SNAPSHOT_TYPE) != 0)
        continue;
      snapshot = cd_queue_snapshot_new_from_json (json_object_get_object_member (object,
                                                                                 "snapshot"),
                                                  &error);
      g_assert_no_error (error);
      return snapshot;
    }
  return NULL;
}

static guint
count_queue_messages (CdTestStream *stream)
{
  guint n = 0;

  for (guint i = 0; i < stream->messages->len; i++)
    n += strstr (g_ptr_array_index (stream->messages, i), "\"type\":\"queue\"") != NULL;
  return n;
}

typedef gboolean (*SnapshotCheck) (const CdQueueSnapshot *snapshot,
                                   gconstpointer          data);

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until a snapshot of @stream passes @check; fails after
 * LIVE_DEADLINE_S. */
static void
wait_snapshot (CdTestStream  *stream,
               SnapshotCheck  check,
               gconstpointer  data,
               const char    *what)
{
  gboolean late = FALSE;
  guint id = g_timeout_add_seconds (LIVE_DEADLINE_S, on_deadline, &late);
  guint seen = 0;

  for (;;)
    {
      if (stream->messages->len != seen)
        {
          g_autoptr(CdQueueSnapshot) snapshot = latest (stream);

          seen = stream->messages->len;
          if (snapshot != NULL && check (snapshot, data))
            break;
        }
      if (late)
        g_error ("No snapshot showed %s within %d s", what, LIVE_DEADLINE_S);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static const CdQueueAgent *
find_agent (const CdQueueSnapshot *snapshot,
            const char            *name)
{
  for (guint i = 0; i < snapshot->agents->len; i++)
    {
      const CdQueueAgent *agent = g_ptr_array_index (snapshot->agents, i);

      if (g_str_equal (agent->agent, name))
        return agent;
    }
  return NULL;
}

static gboolean
any_snapshot (const CdQueueSnapshot *snapshot,
              gconstpointer          data)
{
  return TRUE;
}

static gboolean
is_waiting (const CdQueueSnapshot *snapshot,
            gconstpointer          call)
{
  for (guint i = 0; i < snapshot->waiting->len; i++)
    if (g_str_equal (((CdQueueWaiter *) g_ptr_array_index (snapshot->waiting, i))->call, call))
      return TRUE;
  return FALSE;
}

static gboolean
is_on_call (const CdQueueSnapshot *snapshot,
            gconstpointer          call)
{
  const CdQueueAgent *agent = find_agent (snapshot, "PJSIP/101");

  return agent != NULL && agent->state == CD_AGENT_ON_CALL && g_strcmp0 (agent->call, call) == 0;
}

static gboolean
is_wrapping_up (const CdQueueSnapshot *snapshot,
                gconstpointer          data)
{
  const CdQueueAgent *agent = find_agent (snapshot, "PJSIP/101");

  return agent != NULL && agent->state == CD_AGENT_WRAP_UP && agent->handled == 1;
}

static void
test_stream (Fixture       *f,
             gconstpointer  data)
{
  CdTestStream super = { 0 }, brigade = { 0 };
  g_autoptr(CdQueueSnapshot) first = NULL;
  g_autoptr(CdQueueSnapshot) last = NULL;
  const CdQueueAgent *agent;

  cd_test_stream_open (&super, f->session, f->server.url, "", f->supervisor);
  cd_test_stream_open (&brigade, f->session, f->server.url, "", f->executor);
  g_assert_no_error (super.error);
  g_assert_no_error (brigade.error);

  /* At once on connect, before any line: an empty queue. */
  wait_snapshot (&super, any_snapshot, NULL, "anything");
  first = latest (&super);
  g_assert_cmpuint (first->waiting->len, ==, 0);
  g_assert_cmpuint (first->agents->len, ==, 0);
  g_assert_cmpint (first->target, ==, 40);

  append_line (f, 60, "NONE|city|PJSIP/101|ADDMEMBER|");
  append_line (f, 50, "NONE|city|PJSIP/102|ADDMEMBER|");
  append_line (f, 40, "NONE|city|PJSIP/102|PAUSE|Lunch");
  append_line (f, 5, "9000000001.1|city|NONE|ENTERQUEUE||+375291234567|1");
  wait_snapshot (&super, is_waiting, "9000000001.1", "the caller waiting");
  last = latest (&super);
  g_assert_cmpuint (cd_queue_snapshot_count_agents (last, CD_AGENT_AVAILABLE), ==, 1);
  agent = find_agent (last, "PJSIP/102");
  g_assert_cmpint (agent->state, ==, CD_AGENT_PAUSED);
  g_assert_cmpstr (agent->reason, ==, "Lunch");
  /* No caller's number travels in a snapshot. */
  for (guint i = 0; i < super.messages->len; i++)
    g_assert_null (strstr (g_ptr_array_index (super.messages, i), "375291234567"));

  append_line (f, 0, "9000000001.1|city|PJSIP/101|CONNECT|5|9000000006.5|1");
  wait_snapshot (&super, is_on_call, "9000000001.1", "the operator on the call");
  g_clear_pointer (&last, cd_queue_snapshot_free);
  last = latest (&super);
  g_assert_false (is_waiting (last, "9000000001.1"));
  g_assert_cmpuint (last->today.answered, ==, 1);

  /* Wrap-up after the call (queue-wrapup=15 in the configuration). */
  append_line (f, 0, "9000000001.1|city|PJSIP/101|COMPLETECALLER|5|1|1");
  wait_snapshot (&super, is_wrapping_up, NULL, "the operator in wrap-up");

  /* Not one snapshot for the executor, whose role does not read calls. */
  g_assert_false (brigade.closed);
  g_assert_cmpuint (count_queue_messages (&brigade), ==, 0);
  g_assert_cmpuint (count_queue_messages (&super), >, 2);

  cd_test_stream_clear (&super);
  cd_test_stream_clear (&brigade);
}

static gboolean
stream_closed (gpointer data)
{
  return ((CdTestStream *) data)->closed;
}

/* A client that sends a snapshot of its own is shut out; nobody else sees
 * it, and the server's queue is unchanged. Lines with huge and odd fields
 * do not stall the follower: the next good line still shows up. */
static void
test_attacks (Fixture       *f,
              gconstpointer  data)
{
  CdTestStream super = { 0 }, forger = { 0 };
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(CdQueueSnapshot) last = NULL;
  const char *forged =
    "{\"type\":\"queue\",\"snapshot\":{\"time\":1,\"day_start\":0,\"target\":40,\"goal\":0.8,"
    "\"waiting\":[{\"call\":\"forged.1\",\"queue\":\"city\",\"entered_at\":1}],\"agents\":[],"
    "\"today\":{},\"staffed\":[],\"missed_waiting\":0,\"oldest_missed_due\":0}}";

  cd_test_stream_open (&super, f->session, f->server.url, "", f->supervisor);
  cd_test_stream_open (&forger, f->session, f->server.url, "", f->supervisor);
  g_assert_no_error (forger.error);
  soup_websocket_connection_send_text (forger.conn, forged);
  cd_test_wait_for (stream_closed, &forger, "the forger's stream to close");

  /* Hostile lines: a 200 KB line, an overlong agent, control characters,
   * absurd numbers, an unknown verb, a CONNECT of no call. */
  g_string_append_printf (huge, "%" G_GINT64_FORMAT "|x|city|PJSIP/1|ENTERQUEUE|",
                          g_get_real_time () / G_USEC_PER_SEC);
  for (guint i = 0; i < 200 * 1024; i++)
    g_string_append_c (huge, 'a' + i % 26);
  g_string_append_c (huge, '\n');
  append (f->log, huge->str);
  g_string_truncate (huge, 0);
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (huge, 'Q');
  {
    g_autofree char *agent = g_strdup_printf ("NONE|city|%s|ADDMEMBER|", huge->str);

    append_line (f, 0, agent);
  }
  append_line (f, 0, "NONE|city|PJSIP/\x01\x02|ADDMEMBER|");
  append_line (f, 0, "9000000002.1|city|PJSIP/103|CONNECT|99999999999999999999|x|y");
  append_line (f, 0, "NONE|city|PJSIP/103|PAUSE|\x7f\x1b[31m");
  append_line (f, 0, "9000000003.1|city|NONE|FROBNICATE|1|2|3");
  append (f->log, "99999999999999999999|a|b|c|ENTERQUEUE\n|||||\n\xff\xfe|x\n");
  append_line (f, 1, "9000000004.1|city|NONE|ENTERQUEUE||+375291234567|1");
  wait_snapshot (&super, is_waiting, "9000000004.1", "the caller after the hostile lines");

  last = latest (&super);
  g_assert_false (is_waiting (last, "forged.1"));
  g_assert_null (find_agent (last, huge->str));
  /* The agent on the call of an absurd hold: on it, its reason refused. */
  g_assert_nonnull (find_agent (last, "PJSIP/103"));
  g_assert_null (find_agent (last, "PJSIP/103")->reason);
  for (guint i = 0; i < super.messages->len; i++)
    g_assert_null (strstr (g_ptr_array_index (super.messages, i), "forged.1"));

  cd_test_stream_clear (&super);
  cd_test_stream_clear (&forger);
}

static void
on_queue_snapshot (CdSync                *sync,
                   const CdQueueSnapshot *snapshot,
                   guint                 *count)
{
  g_assert_nonnull (snapshot);
  (*count)++;
}

typedef struct
{
  CdSync     *sync;
  const char *call;
} SyncWait;

static gboolean
sync_shows_waiting (gpointer data)
{
  SyncWait *wait = data;
  const CdQueueSnapshot *snapshot = cd_sync_get_queue_snapshot (wait->sync);

  return snapshot != NULL && is_waiting (snapshot, wait->call);
}

/* The desktop's side: CdSync keeps the latest snapshot, tells each one,
 * and forgets it once the stream is closed. */
static void
test_sync (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *cache_path = g_build_filename (f->dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdClient) client = cd_client_new (f->server.url, &error);
  g_autoptr(CdStore) cache = NULL;
  g_autoptr(CdSync) sync = NULL;
  SyncWait wait = { NULL, "9000000005.1" };
  guint count = 0;

  g_assert_no_error (error);
  cd_client_set_token (client, f->supervisor);
  cache = cd_store_open (cache_path, &error);
  g_assert_no_error (error);
  sync = cd_sync_new (client, cache, &error);
  g_assert_no_error (error);
  g_assert_null (cd_sync_get_queue_snapshot (sync));
  g_signal_connect (sync, "queue-snapshot", G_CALLBACK (on_queue_snapshot), &count);
  wait.sync = sync;

  cd_sync_start (sync);
  append_line (f, 2, "9000000005.1|water|NONE|ENTERQUEUE||+375291234567|1");
  cd_test_wait_for (sync_shows_waiting, &wait, "the sync's snapshot to show the caller");
  g_assert_cmpuint (count, >, 0);
  g_assert_cmpstr (((CdQueueWaiter *) g_ptr_array_index (
                       cd_sync_get_queue_snapshot (sync)->waiting, 0))->queue, ==, "water");

  cd_sync_stop (sync);
  g_assert_null (cd_sync_get_queue_snapshot (sync));
}

/* Without a queue_log there is no live queue: no snapshot at all. */
static void
test_no_queue_log (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  CdTestServer server = { 0 };
  CdTestStream stream = { 0 };
  gboolean waited = FALSE;

  cd_test_add_user (db, "super", "supervisor", NULL, "password-1");
  cd_test_server_start (&server, db);
  token = cd_test_login (session, server.url, "super", "password-1");
  cd_test_stream_open (&stream, session, server.url, "", token);
  g_assert_no_error (stream.error);
  /* Past two of the ticks a followed queue_log would have. */
  g_timeout_add (2500, on_deadline, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count_queue_messages (&stream), ==, 0);
  g_assert_false (stream.closed);
  cd_test_stream_clear (&stream);
  cd_test_server_clear (&server);
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_set_up, (func), \
                                    fixture_tear_down)
  ADD ("/queue-live/stream", test_stream);
  ADD ("/queue-live/attacks", test_attacks);
  ADD ("/queue-live/sync", test_sync);
#undef ADD
  g_test_add_func ("/queue-live/no-queue-log", test_no_queue_log);

  return g_test_run ();
}
