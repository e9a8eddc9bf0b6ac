// SPDX-License-Identifier: GPL-3.0-or-later
/* test-queue-state.c: the live queue folded from queue_log lines
 *
 * The lines go through the reader (cd-queue-log.h) with a state set on it,
 * as the server's follower does; every expected figure is worked out by
 * hand beside it.
 */

#include "cd-queue-log.h"
#include "cd-queue-state.h"
#include "cd-test.h"

/* 2026-01-01 00:00:00 UTC */
#define DAY 1767225600

typedef struct
{
  CdQueueState *state;
  CdQueueLog   *log;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  f->state = cd_queue_state_new (utc);
  cd_queue_state_set_wrap_up (f->state, 15);
  f->log = cd_queue_log_new (CD_QUEUE_LOG_FLAT);
  cd_queue_log_set_state (f->log, f->state);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cd_queue_log_free (f->log);
  cd_queue_state_free (f->state);
}

/* One line, @offset seconds into the day. */
static void
line (Fixture    *f,
      gint64      offset,
      const char *rest)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "|%s\n", DAY + offset, rest);
  g_autoptr(GPtrArray) problems = NULL;

  cd_queue_log_feed (f->log, text, strlen (text));
  problems = cd_queue_log_take_problems (f->log);
  g_assert_cmpuint (problems->len, ==, 0);
  g_ptr_array_unref (cd_queue_log_take_calls (f->log));
}

static const CdQueueAgent *
find (const CdQueueSnapshot *snapshot,
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

static CdQueueSnapshot *
at (Fixture *f,
    gint64   offset)
{
  return cd_queue_state_snapshot (f->state, DAY + offset);
}

static void
assert_agent (Fixture      *f,
              gint64        offset,
              const char   *name,
              CdAgentState  state,
              gint64        since)
{
  g_autoptr(CdQueueSnapshot) snapshot = at (f, offset);
  const CdQueueAgent *agent = find (snapshot, name);

  g_assert_nonnull (agent);
  g_assert_cmpstr (cd_agent_state_to_string (agent->state), ==, cd_agent_state_to_string (state));
  g_assert_cmpint (agent->since, ==, DAY + since);
}

static void
test_membership (Fixture       *f,
                 gconstpointer  data)
{
  line (f, 10, "NONE|city|PJSIP/101|ADDMEMBER|");
  assert_agent (f, 20, "PJSIP/101", CD_AGENT_AVAILABLE, 10);
  /* A member of two queues stays logged in until it leaves both. */
  line (f, 30, "NONE|water|PJSIP/101|ADDMEMBER|");
  line (f, 40, "NONE|city|PJSIP/101|REMOVEMEMBER|");
  assert_agent (f, 50, "PJSIP/101", CD_AGENT_AVAILABLE, 10);
  line (f, 60, "NONE|water|PJSIP/101|REMOVEMEMBER|");
  assert_agent (f, 70, "PJSIP/101", CD_AGENT_LOGGED_OFF, 60);

  line (f, 100, "NONE|city|Agent/7|AGENTLOGIN|PJSIP/107");
  assert_agent (f, 110, "Agent/7", CD_AGENT_AVAILABLE, 100);
  line (f, 120, "NONE|city|Agent/7|AGENTLOGOFF|PJSIP/107|20");
  assert_agent (f, 130, "Agent/7", CD_AGENT_LOGGED_OFF, 120);
}

static void
test_pause (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CdQueueSnapshot) paused = NULL;
  const CdQueueAgent *agent;

  line (f, 10, "NONE|city|PJSIP/101|ADDMEMBER|");
  line (f, 20, "NONE|city|PJSIP/101|PAUSE|Lunch");
  paused = at (f, 30);
  agent = find (paused, "PJSIP/101");
  g_assert_cmpint (agent->state, ==, CD_AGENT_PAUSED);
  g_assert_cmpstr (agent->reason, ==, "Lunch");
  g_assert_cmpint (agent->since, ==, DAY + 20);
  g_assert_cmpuint (cd_queue_snapshot_count_agents (paused, CD_AGENT_PAUSED), ==, 1);

  line (f, 40, "NONE|city|PJSIP/101|UNPAUSE|");
  assert_agent (f, 50, "PJSIP/101", CD_AGENT_AVAILABLE, 40);

  /* PAUSEALL without a reason; a static member (no ADDMEMBER) counts. */
  line (f, 60, "NONE|NONE|PJSIP/102|PAUSEALL|");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 70);

    g_assert_cmpint (find (s, "PJSIP/102")->state, ==, CD_AGENT_PAUSED);
    g_assert_null (find (s, "PJSIP/102")->reason);
  }
  line (f, 80, "NONE|NONE|PJSIP/102|UNPAUSEALL|");
  assert_agent (f, 90, "PJSIP/102", CD_AGENT_AVAILABLE, 80);
  /* A reason that is not a short line of text is not kept. */
  line (f, 100, "NONE|city|PJSIP/101|PAUSE|\x01odd");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 110);

    g_assert_cmpint (find (s, "PJSIP/101")->state, ==, CD_AGENT_PAUSED);
    g_assert_null (find (s, "PJSIP/101")->reason);
  }
}

static void
test_call (Fixture       *f,
           gconstpointer  data)
{
  const CdQueueAgent *agent;

  line (f, 10, "NONE|city|PJSIP/101|ADDMEMBER|");
  line (f, 100, "1767225700.1|city|NONE|ENTERQUEUE||+375291234567|1");
  line (f, 105, "1767225705.2|city|NONE|ENTERQUEUE||+375291234568|2");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 110);
    const CdQueueWaiter *first;

    g_assert_cmpuint (s->waiting->len, ==, 2);
    first = g_ptr_array_index (s->waiting, 0);
    g_assert_cmpstr (first->call, ==, "1767225700.1");
    g_assert_cmpstr (first->queue, ==, "city");
    g_assert_cmpint (first->entered_at, ==, DAY + 100);
    g_assert_cmpint (cd_queue_snapshot_longest_wait (s), ==, 10);
    /* Both waiting: offered, neither answered yet. */
    g_assert_cmpuint (s->today.offered, ==, 2);
    g_assert_cmpuint (s->today.other, ==, 2);
  }
  line (f, 111, "1767225700.1|city|PJSIP/102|RINGNOANSWER|1000");
  line (f, 120, "1767225700.1|city|PJSIP/101|CONNECT|20|1767225719.5|2");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 130);

    agent = find (s, "PJSIP/101");
    g_assert_cmpint (agent->state, ==, CD_AGENT_ON_CALL);
    g_assert_cmpint (agent->since, ==, DAY + 120);
    g_assert_cmpstr (agent->call, ==, "1767225700.1");
    g_assert_cmpstr (agent->queue, ==, "city");
    g_assert_cmpuint (s->waiting->len, ==, 1);
    g_assert_cmpuint (find (s, "PJSIP/102")->missed, ==, 1);
    /* One talking (answered after 20 s, within 40), one waiting. */
    g_assert_cmpuint (s->today.answered, ==, 1);
    g_assert_cmpuint (s->today.answered_within, ==, 1);
    g_assert_cmpint (s->today.answered_wait, ==, 20);
    g_assert_cmpint (s->today.handle, ==, 10);
    g_assert_cmpuint (s->today.other, ==, 1);
  }
  line (f, 200, "1767225700.1|city|PJSIP/101|COMPLETECALLER|20|80|1");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 210);

    agent = find (s, "PJSIP/101");
    g_assert_cmpint (agent->state, ==, CD_AGENT_WRAP_UP);
    g_assert_cmpint (agent->since, ==, DAY + 200);
    g_assert_cmpstr (agent->call, ==, "1767225700.1");
    g_assert_cmpuint (agent->handled, ==, 1);
    g_assert_cmpint (agent->handle, ==, 80);
    g_assert_cmpuint (s->today.answered, ==, 1);
    g_assert_cmpint (s->today.handle, ==, 80);
  }
  /* 15 s of wrap-up, then available from the moment it ran out. */
  assert_agent (f, 220, "PJSIP/101", CD_AGENT_AVAILABLE, 215);

  /* A transfer ends the call too; the caller who hangs up is abandoned. */
  line (f, 230, "1767225705.2|city|PJSIP/101|CONNECT|125|1767225729.5|3");
  line (f, 300, "1767225705.2|city|PJSIP/101|BLINDTRANSFER|200|default|125|70|1");
  assert_agent (f, 305, "PJSIP/101", CD_AGENT_WRAP_UP, 300);
  line (f, 400, "1767225800.3|city|NONE|ENTERQUEUE||+375291234569|1");
  line (f, 460, "1767225800.3|city|NONE|ABANDON|1|1|60");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 500);

    g_assert_cmpuint (s->waiting->len, ==, 0);
    g_assert_cmpuint (s->today.offered, ==, 3);
    g_assert_cmpuint (s->today.answered, ==, 2);
    /* The second waited 125 s: late. */
    g_assert_cmpuint (s->today.answered_within, ==, 1);
    g_assert_cmpuint (s->today.abandoned, ==, 1);
    g_assert_cmpuint (s->today.abandoned_within, ==, 0);
    g_assert_cmpuint (find (s, "PJSIP/101")->handled, ==, 2);
    g_assert_cmpint (find (s, "PJSIP/101")->handle, ==, 150);
    g_assert_cmpint (s->today.start, ==, DAY);
    g_assert_cmpint (s->today.end, ==, DAY + 500);
  }
  /* The PBX restarted: nobody waits, nobody talks any more. */
  line (f, 600, "1767226000.4|city|NONE|ENTERQUEUE||+375291234560|1");
  line (f, 610, "1767226000.4|city|PJSIP/101|CONNECT|10|1767226009.5|1");
  line (f, 620, "1767226020.5|city|NONE|ENTERQUEUE||+375291234561|1");
  line (f, 700, "NONE|NONE|NONE|QUEUESTART|");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 705);

    g_assert_cmpuint (s->waiting->len, ==, 0);
    g_assert_cmpint (find (s, "PJSIP/101")->state, ==, CD_AGENT_AVAILABLE);
    g_assert_null (find (s, "PJSIP/101")->call);
  }
}

static void
test_no_wrap_up (Fixture       *f,
                 gconstpointer  data)
{
  cd_queue_state_set_wrap_up (f->state, 0);
  line (f, 10, "NONE|city|PJSIP/101|ADDMEMBER|");
  line (f, 100, "1767225700.1|city|NONE|ENTERQUEUE||+375291234567|1");
  line (f, 110, "1767225700.1|city|PJSIP/101|CONNECT|10|1767225719.5|2");
  line (f, 200, "1767225700.1|city|PJSIP/101|COMPLETEAGENT|10|90|1");
  assert_agent (f, 200, "PJSIP/101", CD_AGENT_AVAILABLE, 200);
}

static void
test_midnight (Fixture       *f,
               gconstpointer  data)
{
  line (f, 10, "NONE|city|PJSIP/101|ADDMEMBER|");
  line (f, 20, "NONE|city|PJSIP/102|ADDMEMBER|");
  /* A static member of queues.conf: known from its calls alone. */
  line (f, 50, "1767225650.1|city|NONE|ENTERQUEUE||+375291234500|1");
  line (f, 55, "1767225650.1|city|PJSIP/103|CONNECT|5|1767225655.5|1");
  line (f, 95, "1767225650.1|city|PJSIP/103|COMPLETECALLER|5|40|1");
  line (f, 100, "1767225700.1|city|NONE|ENTERQUEUE||+375291234567|1");
  line (f, 110, "1767225700.1|city|PJSIP/101|CONNECT|10|1767225719.5|2");
  line (f, 200, "1767225700.1|city|PJSIP/101|COMPLETEAGENT|10|90|1");
  line (f, 300, "NONE|city|PJSIP/102|REMOVEMEMBER|");
  /* A caller who waits across midnight. */
  line (f, 86390, "1767312000.1|city|NONE|ENTERQUEUE||+375291234567|1");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 86399);

    g_assert_cmpint (s->day_start, ==, DAY);
    g_assert_cmpuint (s->today.offered, ==, 3);
    g_assert_cmpuint (find (s, "PJSIP/101")->handled, ==, 1);
    g_assert_cmpint (find (s, "PJSIP/103")->state, ==, CD_AGENT_AVAILABLE);
    g_assert_nonnull (find (s, "PJSIP/102"));
  }
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 86400 + 5);

    g_assert_cmpint (s->day_start, ==, DAY + 86400);
    g_assert_cmpint (s->today.start, ==, DAY + 86400);
    /* Nothing entered today yet; the caller still waits. */
    g_assert_cmpuint (s->today.offered, ==, 0);
    g_assert_cmpuint (s->waiting->len, ==, 1);
    g_assert_cmpuint (find (s, "PJSIP/101")->handled, ==, 0);
    g_assert_cmpint (find (s, "PJSIP/101")->handle, ==, 0);
    g_assert_cmpint (find (s, "PJSIP/101")->state, ==, CD_AGENT_AVAILABLE);
    /* Logged off before midnight and not seen since. */
    g_assert_null (find (s, "PJSIP/102"));
    /* Never logged in: not taken to sit at the phone for another day. */
    g_assert_null (find (s, "PJSIP/103"));
    g_assert_cmpuint (s->staffed->len, ==, 1);
  }
  /* Answered today, but entered yesterday: not today's call. */
  line (f, 86410, "1767312000.1|city|PJSIP/101|CONNECT|20|1767312019.5|1");
  line (f, 86500, "1767312000.1|city|PJSIP/101|COMPLETEAGENT|20|90|1");
  {
    g_autoptr(CdQueueSnapshot) s = at (f, 86600);

    g_assert_cmpuint (s->today.offered, ==, 0);
    g_assert_cmpuint (find (s, "PJSIP/101")->handled, ==, 0);
  }
}

/* A line dated days ahead of the server's clock does not start its day. */
static void
test_future_line (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CdQueueSnapshot) before = at (f, 100);
  g_autoptr(CdQueueSnapshot) after = NULL;

  line (f, 50, "1767225650.1|city|NONE|ENTERQUEUE||1|1");
  line (f, 5 * 86400, "1767657600.1|city|NONE|ENTERQUEUE||1|1");
  after = at (f, 200);
  g_assert_cmpint (after->day_start, ==, DAY);
  g_assert_cmpuint (after->today.offered, ==, 2);
  g_assert_cmpuint (after->waiting->len, ==, 2);
  g_assert_cmpint (cd_queue_snapshot_longest_wait (after), ==, 150);
}

/* The day starts on the server's clock, not UTC's. */
static void
test_midnight_zone (void)
{
  g_autoptr(GTimeZone) minsk = g_time_zone_new_identifier ("+03:00");
  g_autoptr(CdQueueState) state = cd_queue_state_new (minsk);
  g_autoptr(CdQueueSnapshot) s = NULL;

  g_assert_nonnull (minsk);
  /* 2026-01-01 22:00 UTC is 01:00 on the 2nd in Minsk. */
  s = cd_queue_state_snapshot (state, DAY + 22 * 3600);
  g_assert_cmpint (s->day_start, ==, DAY + 21 * 3600);
  g_assert_cmpuint (s->staffed->len, ==, 4);
}

static void
test_staffed (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CdQueueSnapshot) s = NULL;
  const CdQueueStaffed *slot;

  line (f, 0, "NONE|city|PJSIP/101|ADDMEMBER|");
  line (f, 0, "NONE|city|PJSIP/102|ADDMEMBER|");
  /* 102 pauses half way through the first interval: 1.5 on average. */
  line (f, 450, "NONE|city|PJSIP/102|PAUSE|Training");
  /* 101 on a call, then in wrap-up: staffed all along. */
  line (f, 500, "1767226100.1|city|NONE|ENTERQUEUE||+375291234567|1");
  line (f, 510, "1767226100.1|city|PJSIP/101|CONNECT|10|1767226109.5|1");
  line (f, 600, "1767226100.1|city|PJSIP/101|COMPLETEAGENT|10|90|1");
  line (f, 1000, "NONE|city|PJSIP/101|REMOVEMEMBER|");
  s = at (f, 1100);
  g_assert_cmpuint (s->staffed->len, ==, 2);
  slot = &g_array_index (s->staffed, CdQueueStaffed, 0);
  g_assert_cmpint (slot->start, ==, DAY);
  g_assert_cmpfloat_with_epsilon (slot->staffed, 1.5, 1e-9);
  /* 900..1000 one staffed, 1000..1100 none: 0.5 so far. */
  slot = &g_array_index (s->staffed, CdQueueStaffed, 1);
  g_assert_cmpint (slot->start, ==, DAY + 900);
  g_assert_cmpfloat_with_epsilon (slot->staffed, 0.5, 1e-9);
}

static void
test_limits (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CdQueueSnapshot) s = NULL;
  CdCallStatsLimits limits = { 20, 5 };

  cd_queue_state_set_limits (f->state, &limits, 0.9);
  for (guint i = 0; i < CD_QUEUE_STATE_MAX_AGENTS + 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("NONE|city|PJSIP/%u|ADDMEMBER|", i);

      line (f, 10, text);
    }
  for (guint i = 0; i < CD_QUEUE_STATE_MAX_WAITING + 50; i++)
    {
      g_autofree char *text = g_strdup_printf ("1767225620.%u|city|NONE|ENTERQUEUE||1|1", i);

      line (f, 20, text);
    }
  s = at (f, 30);
  g_assert_cmpuint (s->agents->len, ==, CD_QUEUE_STATE_MAX_AGENTS);
  g_assert_cmpuint (s->waiting->len, ==, CD_QUEUE_STATE_MAX_WAITING);
  g_assert_cmpint (s->target, ==, 20);
  g_assert_cmpfloat (s->goal, ==, 0.9);
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_set_up, (func), \
                                    fixture_tear_down)
  ADD ("/queue-state/membership", test_membership);
  ADD ("/queue-state/pause", test_pause);
  ADD ("/queue-state/call", test_call);
  ADD ("/queue-state/no-wrap-up", test_no_wrap_up);
  ADD ("/queue-state/midnight", test_midnight);
  ADD ("/queue-state/staffed", test_staffed);
  ADD ("/queue-state/limits", test_limits);
  ADD ("/queue-state/future-line", test_future_line);
#undef ADD
  g_test_add_func ("/queue-state/midnight-zone", test_midnight_zone);

  return g_test_run ();
}
