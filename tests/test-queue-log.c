// SPDX-License-Identifier: GPL-3.0-or-later
//
// The queue_log reader (src/core/calls) on the files of tests/data/queue-log/:
// every verb, both formats, the odd lines, calls left open, a restart, and
// the same results whether the bytes come at once or one at a time.

#include "config.h"

#include <string.h>

#include "cd-call.h"
#include "cd-input.h"
#include "cd-queue-log.h"
#include "cd-test.h"

typedef struct
{
  GPtrArray *calls;     /* ended, in order */
  GPtrArray *problems;
  GPtrArray *open;      /* copies of the open calls' ids and outcomes */
  CdQueueLog *log;
} Result;

static void
result_free (Result *r)
{
  g_ptr_array_unref (r->calls);
  g_ptr_array_unref (r->problems);
  g_ptr_array_unref (r->open);
  cd_queue_log_free (r->log);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
append_all (GPtrArray *to,
            GPtrArray *from)
{
  g_ptr_array_set_free_func (from, NULL);
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, from->pdata[i]);
  g_ptr_array_unref (from);
}

/* Reads @name, @step bytes at a time (0: all at once). */
static Result *
read_file (const char       *name,
           CdQueueLogFormat  format,
           gsize             step)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "queue-log", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  Result *r = g_new0 (Result, 1);
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  r->log = cd_queue_log_new (format);
  r->calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
  r->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_queue_log_problem_free);
  for (gsize at = 0; at < len; at += step == 0 ? len : step)
    {
      gsize n = step == 0 ? len : MIN (step, len - at);

      cd_queue_log_feed (r->log, contents + at, n);
      append_all (r->calls, cd_queue_log_take_calls (r->log));
    }
  cd_queue_log_finish (r->log);
  append_all (r->calls, cd_queue_log_take_calls (r->log));
  append_all (r->problems, cd_queue_log_take_problems (r->log));
  r->open = cd_queue_log_get_open_calls (r->log);
  return r;
}

static CdCall *
find (Result     *r,
      const char *pbx_id)
{
  for (guint i = 0; i < r->calls->len; i++)
    if (g_str_equal (((CdCall *) r->calls->pdata[i])->pbx_id, pbx_id))
      return r->calls->pdata[i];
  g_assert_not_reached ();
}

static void
assert_every_verb (Result *r)
{
  CdCall *c;

  g_assert_cmpint (cd_queue_log_get_format (r->log), ==, CD_QUEUE_LOG_FLAT);
  g_assert_cmpuint (r->calls->len, ==, 9);
  g_assert_cmpuint (r->problems->len, ==, 1);
  g_assert_cmpuint (((CdQueueLogProblem *) r->problems->pdata[0])->line, ==, 39);
  g_assert_cmpuint (cd_queue_log_get_n_unknown (r->log), ==, 1);
  g_assert_cmpuint (cd_queue_log_count_verb (r->log, "FUTUREVERB"), ==, 1);
  g_assert_cmpuint (cd_queue_log_count_verb (r->log, "ADDMEMBER"), ==, 2);
  g_assert_cmpuint (cd_queue_log_count_verb (r->log, "ENTERQUEUE"), ==, 12);

  c = find (r, "1767250010.1");
  g_assert_cmpint (c->outcome, ==, CD_CALL_ANSWERED);
  g_assert_cmpstr (c->queue, ==, "city");
  g_assert_cmpstr (c->caller, ==, "+375291234567");
  g_assert_cmpstr (c->did, ==, "+375172000000");
  g_assert_cmpstr (c->agent, ==, "PJSIP/101");
  g_assert_cmpstr (c->ended_by, ==, "caller");
  g_assert_cmpint (c->entered_at, ==, 1767250010);
  g_assert_cmpint (c->answered_at, ==, 1767250030);
  g_assert_cmpint (c->ended_at, ==, 1767250150);
  g_assert_cmpint (c->hold_seconds, ==, 20);
  g_assert_cmpint (c->talk_seconds, ==, 120);
  g_assert_cmpuint (c->rings->len, ==, 1);
  g_assert_cmpstr (g_array_index (c->rings, CdCallRing, 0).agent, ==, "PJSIP/102");
  g_assert_cmpuint (g_array_index (c->rings, CdCallRing, 0).count, ==, 2);
  g_assert_null (c->recording);

  c = find (r, "1767250200.2");
  g_assert_cmpint (c->outcome, ==, CD_CALL_ABANDONED);
  g_assert_cmpint (c->hold_seconds, ==, 45);
  g_assert_cmpint (c->answered_at, ==, 0);
  g_assert_null (c->agent);

  c = find (r, "1767250300.3");
  g_assert_cmpint (c->outcome, ==, CD_CALL_TRANSFERRED);
  g_assert_cmpstr (c->transfer_to, ==, "200@from-internal");
  g_assert_cmpint (c->talk_seconds, ==, 95);
  /* RINGCANCELED is not a missed offer. */
  g_assert_cmpuint (cd_call_get_n_rings (c), ==, 0);

  c = find (r, "1767250410.4");
  g_assert_cmpint (c->outcome, ==, CD_CALL_TRANSFERRED);
  g_assert_cmpstr (c->transfer_to, ==, "1767250430.7");
  g_assert_cmpstr (c->agent, ==, "PJSIP/103");

  c = find (r, "1767250450.5");
  g_assert_cmpint (c->outcome, ==, CD_CALL_ANSWERED);
  g_assert_cmpstr (c->ended_by, ==, "agent");
  g_assert_cmpint (c->hold_seconds, ==, 10);

  g_assert_cmpint (find (r, "1767250600.6")->outcome, ==, CD_CALL_TIMEOUT);
  g_assert_cmpint (find (r, "1767250600.6")->hold_seconds, ==, 300);
  g_assert_cmpint (find (r, "1767250910.7")->outcome, ==, CD_CALL_EXIT_EMPTY);
  g_assert_cmpstr (find (r, "1767250910.7")->queue, ==, "night");
  g_assert_cmpint (find (r, "1767250920.8")->outcome, ==, CD_CALL_EXIT_KEY);
  g_assert_cmpint (find (r, "1767250940.9")->outcome, ==, CD_CALL_WITHDRAWN);

  /* Open at the end: reported, not ended; the last line had no line break
   * and trailing pipes. */
  g_assert_cmpuint (r->open->len, ==, 3);
  g_assert_cmpstr (((CdCall *) r->open->pdata[0])->pbx_id, ==, "1767251000.10");
  g_assert_cmpint (((CdCall *) r->open->pdata[0])->outcome, ==, CD_CALL_WAITING);
  g_assert_cmpint (((CdCall *) r->open->pdata[1])->outcome, ==, CD_CALL_TALKING);
  g_assert_cmpstr (((CdCall *) r->open->pdata[1])->agent, ==, "PJSIP/103");
  g_assert_cmpstr (((CdCall *) r->open->pdata[2])->pbx_id, ==, "1767251200.12");
  g_assert_cmpstr (((CdCall *) r->open->pdata[2])->caller, ==, "+375291110007");
  g_assert_cmpint (((CdCall *) r->open->pdata[2])->ended_at, ==, 0);
}

static void
test_every_verb (void)
{
  g_autoptr(Result) r = read_file ("every-verb.log", CD_QUEUE_LOG_AUTO, 0);

  assert_every_verb (r);
}

/* State kept across lines: the same calls whether the bytes come at once
 * or a few at a time, cut anywhere. */
static void
test_byte_by_byte (void)
{
  const gsize steps[] = { 1, 7, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(Result) r = read_file ("every-verb.log", CD_QUEUE_LOG_FLAT, steps[i]);

      assert_every_verb (r);
    }
}

static void
test_every_known_verb (void)
{
  const char *verbs[] = {
    "ENTERQUEUE", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "ABANDON", "EXITWITHTIMEOUT",
    "EXITEMPTY", "EXITWITHKEY", "WITHDRAW", "RINGNOANSWER", "RINGCANCELED", "BLINDTRANSFER",
    "ATTENDEDTRANSFER", "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL",
    "UNPAUSEALL", "AGENTLOGIN", "AGENTLOGOFF", "QUEUESTART", "CONFIGRELOAD", "INFO", "DID",
    "SYSCOMPAT", "AGENTDUMP",
  };
  g_autoptr(Result) r = read_file ("every-verb.log", CD_QUEUE_LOG_AUTO, 0);

  /* The file holds each, and the reader knows each. */
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_test_message ("%s", verbs[i]);
      g_assert_true (cd_queue_log_verb_is_known (verbs[i]));
      g_assert_cmpuint (cd_queue_log_count_verb (r->log, verbs[i]), >, 0);
    }
  g_assert_false (cd_queue_log_verb_is_known ("FUTUREVERB"));
}

static void
test_restart (void)
{
  g_autoptr(Result) r = read_file ("restart.log", CD_QUEUE_LOG_AUTO, 0);
  CdCall *c;

  g_assert_cmpuint (r->problems->len, ==, 1);
  g_assert_cmpuint (((CdQueueLogProblem *) r->problems->pdata[0])->line, ==, 5);
  g_assert_cmpuint (r->calls->len, ==, 5);
  g_assert_cmpuint (r->open->len, ==, 0);

  /* Entered before the log began: its entry comes from its times. */
  c = r->calls->pdata[0];
  g_assert_cmpstr (c->pbx_id, ==, "1767339000.1");
  g_assert_cmpint (c->outcome, ==, CD_CALL_ANSWERED);
  g_assert_cmpint (c->entered_at, ==, 1767340000 - 70 - 30);
  g_assert_cmpint (c->hold_seconds, ==, 30);
  g_assert_cmpint (c->talk_seconds, ==, 70);

  /* QUEUESTART cut off the waiting call and the talking one. */
  for (guint i = 1; i <= 2; i++)
    {
      c = r->calls->pdata[i];
      g_assert_cmpint (c->outcome, ==, CD_CALL_INTERRUPTED);
      g_assert_cmpint (c->ended_at, ==, 1767340100);
    }
  g_assert_cmpint (find (r, "1767340020.3")->answered_at, ==, 1767340025);
  g_assert_cmpint (find (r, "1767340020.3")->talk_seconds, ==, 75);

  /* One channel in two queues: two records with two ids. */
  c = r->calls->pdata[3];
  g_assert_cmpstr (c->queue, ==, "city");
  g_assert_cmpint (c->outcome, ==, CD_CALL_INTERRUPTED);
  c = r->calls->pdata[4];
  g_assert_cmpstr (c->queue, ==, "other");
  g_assert_cmpint (c->outcome, ==, CD_CALL_ABANDONED);
  {
    g_autofree char *a = cd_call_dup_entity (r->calls->pdata[3]);
    g_autofree char *b = cd_call_dup_entity (r->calls->pdata[4]);

    g_assert_cmpstr (a, !=, b);
  }
}

static void
test_realtime_csv (void)
{
  g_autoptr(Result) r = read_file ("realtime.csv", CD_QUEUE_LOG_AUTO, 0);
  g_autoptr(Result) bytes = read_file ("realtime.csv", CD_QUEUE_LOG_CSV, 3);
  CdCall *c;

  g_assert_cmpint (cd_queue_log_get_format (r->log), ==, CD_QUEUE_LOG_CSV);
  g_assert_cmpuint (r->problems->len, ==, 1);
  g_assert_cmpuint (((CdQueueLogProblem *) r->problems->pdata[0])->line, ==, 10);
  g_assert_cmpuint (r->calls->len, ==, 3);
  g_assert_cmpuint (bytes->calls->len, ==, 3);
  g_assert_cmpuint (bytes->problems->len, ==, 1);
  g_assert_cmpuint (r->open->len, ==, 1);
  g_assert_cmpint (((CdCall *) r->open->pdata[0])->outcome, ==, CD_CALL_WAITING);

  /* Date and time text, read in UTC. */
  c = r->calls->pdata[0];
  g_assert_cmpint (c->entered_at, ==, 1767250800);
  g_assert_cmpint (c->hold_seconds, ==, 30);
  g_assert_cmpint (c->talk_seconds, ==, 180);
  g_assert_cmpstr (c->agent, ==, "PJSIP/101");

  /* A quoted comma stays in its field. */
  c = r->calls->pdata[1];
  g_assert_cmpint (c->outcome, ==, CD_CALL_ABANDONED);
  g_assert_cmpstr (c->caller, ==, "+375297654321");

  c = r->calls->pdata[2];
  g_assert_cmpint (c->outcome, ==, CD_CALL_TIMEOUT);
  g_assert_cmpstr (c->caller, ==, "+375 29 111-00-00");
  g_assert_cmpstr (((CdCall *) bytes->calls->pdata[2])->caller, ==, "+375 29 111-00-00");
}

/* A call's payload passes the field table and reads back the same. */
static void
test_payload (void)
{
  g_autoptr(Result) r = read_file ("every-verb.log", CD_QUEUE_LOG_AUTO, 0);

  for (guint i = 0; i < r->calls->len; i++)
    {
      CdCall *c = r->calls->pdata[i];
      g_autoptr(JsonObject) payload = cd_call_to_payload (c);
      g_autoptr(CdCall) back = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autofree char *a = cd_call_dup_entity (c);
      g_autofree char *b = NULL;

      g_assert_true (cd_input_check_object (payload, &field, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (payload, "phone"), ==, c->caller);
      back = cd_call_new_from_payload (payload, c->caller, &error);
      g_assert_no_error (error);
      b = cd_call_dup_entity (back);
      g_assert_cmpstr (a, ==, b);
      g_assert_cmpint (back->outcome, ==, c->outcome);
      g_assert_cmpint (back->hold_seconds, ==, c->hold_seconds);
      g_assert_cmpint (back->talk_seconds, ==, c->talk_seconds);
      g_assert_cmpuint (cd_call_get_n_rings (back), ==, cd_call_get_n_rings (c));
      g_assert_cmpstr (back->transfer_to, ==, c->transfer_to);
      /* A UUID's shape, version 8. */
      g_assert_cmpuint (strlen (a), ==, 36);
      g_assert_cmpint (a[14], ==, '8');
    }
}

static void
test_rings_escaped (void)
{
  g_autoptr(CdCall) call = cd_call_new ("1.1", "q", 100);
  g_autoptr(CdCall) back = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(GError) error = NULL;

  cd_call_add_ring (call, "Ivan Petrov; desk 3");
  cd_call_add_ring (call, "Ivan Petrov; desk 3");
  cd_call_add_ring (call, "Local/8007@from-queue/n");
  cd_call_end (call, CD_CALL_ABANDONED, 130);
  payload = cd_call_to_payload (call);
  back = cd_call_new_from_payload (payload, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->rings->len, ==, 2);
  g_assert_cmpstr (g_array_index (back->rings, CdCallRing, 0).agent, ==, "Ivan Petrov; desk 3");
  g_assert_cmpuint (g_array_index (back->rings, CdCallRing, 0).count, ==, 2);
  g_assert_cmpstr (g_array_index (back->rings, CdCallRing, 1).agent, ==,
                   "Local/8007@from-queue/n");
  g_assert_cmpint (back->hold_seconds, ==, 30);
}

/* Lines that are no records: named by number, and the rest still read. */
static void
test_bad_lines (void)
{
  const char *text =
    "\n"
    "1767250000|1.1|q|NONE|ENTERQUEUE||+375291234567|1\n"
    "not|a|line\n"
    "yesterday|1.2|q|NONE|ENTERQUEUE||1|1\n"
    "1767250001|1.1|q|NONE|lowercase|x\n"
    "1767250002|1.3|q|NONE|ABANDON|1|1|x\n"
    "1767250003|1.1|q|NONE|ABANDON|\xff|1|3\n"
    "1767250010|1.1|q|NONE|ABANDON|1|1|10\n";
  g_autoptr(CdQueueLog) log = cd_queue_log_new (CD_QUEUE_LOG_AUTO);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  const guint lines[] = { 3, 4, 5, 6, 7 };

  cd_queue_log_feed (log, text, strlen (text));
  cd_queue_log_finish (log);
  calls = cd_queue_log_take_calls (log);
  problems = cd_queue_log_take_problems (log);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < problems->len; i++)
    g_assert_cmpuint (((CdQueueLogProblem *) problems->pdata[i])->line, ==, lines[i]);
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpint (((CdCall *) calls->pdata[0])->hold_seconds, ==, 10);
}

/* A line that never ends (a broken or hostile log) is reported once and
 * skipped to its end, in pieces as a follower reads it, and the reader
 * holds no more than a record's worth of it. */
static void
test_endless_line (void)
{
  const char *after = "\n1767250000|1.1|q|NONE|ENTERQUEUE||+375291234567|1\n"
                      "1767250010|1.1|q|NONE|ABANDON|1|1|10\n";
  g_autoptr(CdQueueLog) log = cd_queue_log_new (CD_QUEUE_LOG_AUTO);
  g_autofree char *piece = g_strnfill (4096, 'x');
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  /* 4 MiB of one line, 64 times the longest record. */
  for (guint i = 0; i < 1024; i++)
    cd_queue_log_feed (log, piece, 4096);
  cd_queue_log_feed (log, after, strlen (after));
  cd_queue_log_finish (log);
  calls = cd_queue_log_take_calls (log);
  problems = cd_queue_log_take_problems (log);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpuint (((CdQueueLogProblem *) problems->pdata[0])->line, ==, 1);
  /* Refused for its length while it was read, not parsed whole. */
  g_assert_nonnull (strstr (((CdQueueLogProblem *) problems->pdata[0])->message, "longer than"));
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpint (((CdCall *) calls->pdata[0])->hold_seconds, ==, 10);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/queue-log/every-verb", test_every_verb);
  g_test_add_func ("/queue-log/byte-by-byte", test_byte_by_byte);
  g_test_add_func ("/queue-log/every-known-verb", test_every_known_verb);
  g_test_add_func ("/queue-log/restart", test_restart);
  g_test_add_func ("/queue-log/realtime-csv", test_realtime_csv);
  g_test_add_func ("/queue-log/payload", test_payload);
  g_test_add_func ("/queue-log/rings-escaped", test_rings_escaped);
  g_test_add_func ("/queue-log/bad-lines", test_bad_lines);
  g_test_add_func ("/queue-log/endless-line", test_endless_line);
  return g_test_run ();
}
