// SPDX-License-Identifier: GPL-3.0-or-later
/* test-queue-snapshot.c: the live queue's snapshot, to JSON and back */

#include "cd-json-tree.h"
#include "cd-queue-snapshot.h"
#include "cd-test.h"

/* 2026-01-01 00:00:00 UTC */
#define DAY 1767225600

static CdQueueSnapshot *
sample (void)
{
  CdQueueSnapshot *self = cd_queue_snapshot_new ();
  CdQueueWaiter *waiter;
  CdQueueAgent *agent;
  CdQueueStaffed staffed = { DAY, 1.5 };

  self->time = DAY + 1000;
  self->day_start = DAY;
  self->target = 20;
  self->goal = 0.9;

  waiter = g_new0 (CdQueueWaiter, 1);
  waiter->call = g_strdup ("1767226500.7");
  waiter->queue = g_strdup ("city");
  waiter->entered_at = DAY + 900;
  g_ptr_array_add (self->waiting, waiter);
  waiter = g_new0 (CdQueueWaiter, 1);
  waiter->call = g_strdup ("1767226590.8");
  waiter->queue = g_strdup ("water");
  waiter->entered_at = DAY + 990;
  g_ptr_array_add (self->waiting, waiter);

  agent = g_new0 (CdQueueAgent, 1);
  agent->agent = g_strdup ("PJSIP/101");
  agent->state = CD_AGENT_ON_CALL;
  agent->since = DAY + 950;
  agent->call = g_strdup ("1767226400.5");
  agent->queue = g_strdup ("city");
  agent->handled = 3;
  agent->handle = 420;
  agent->missed = 1;
  g_ptr_array_add (self->agents, agent);
  agent = g_new0 (CdQueueAgent, 1);
  agent->agent = g_strdup ("PJSIP/102");
  agent->state = CD_AGENT_PAUSED;
  agent->since = DAY + 800;
  agent->reason = g_strdup ("Lunch");
  g_ptr_array_add (self->agents, agent);
  agent = g_new0 (CdQueueAgent, 1);
  agent->agent = g_strdup ("PJSIP/103");
  agent->state = CD_AGENT_PAUSED;
  agent->since = DAY + 700;
  g_ptr_array_add (self->agents, agent);

  self->today.start = DAY;
  self->today.end = DAY + 1000;
  self->today.offered = 9;
  self->today.answered = 6;
  self->today.answered_within = 5;
  self->today.abandoned = 1;
  self->today.abandoned_within = 1;
  self->today.short_abandoned = 1;
  self->today.other = 1;
  self->today.answered_wait = 77;
  self->today.handle = 900;
  self->today.longest_wait = 61;
  g_array_append_val (self->staffed, staffed);
  self->missed_waiting = 2;
  self->oldest_missed_due = DAY + 4600;
  return self;
}

/* The text a client receives, read back as a client reads it. */
static JsonObject *
through_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) back = cd_json_parse (text, strlen (text), CD_JSON_MAX_DEPTH, NULL, NULL,
                                            &error);

  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (back));
}

static void
test_state_names (void)
{
  for (CdAgentState s = 0; s < CD_N_AGENT_STATES; s++)
    {
      CdAgentState back = CD_N_AGENT_STATES;

      g_assert_true (cd_agent_state_from_string (cd_agent_state_to_string (s), &back));
      g_assert_cmpint (back, ==, s);
    }
  g_assert_cmpstr (cd_agent_state_to_string (CD_AGENT_WRAP_UP), ==, "wrap_up");
  g_assert_cmpstr (cd_agent_state_to_string (CD_AGENT_LOGGED_OFF), ==, "logged_off");
  {
    CdAgentState s = CD_AGENT_PAUSED;

    g_assert_false (cd_agent_state_from_string ("Paused", &s));
    g_assert_false (cd_agent_state_from_string (NULL, &s));
    g_assert_cmpint (s, ==, CD_AGENT_PAUSED);
  }
}

static void
test_counts (void)
{
  g_autoptr(CdQueueSnapshot) snapshot = sample ();
  g_autoptr(CdQueueSnapshot) empty = cd_queue_snapshot_new ();

  g_assert_cmpuint (cd_queue_snapshot_count_agents (snapshot, CD_AGENT_PAUSED), ==, 2);
  g_assert_cmpuint (cd_queue_snapshot_count_agents (snapshot, CD_AGENT_ON_CALL), ==, 1);
  g_assert_cmpuint (cd_queue_snapshot_count_agents (snapshot, CD_AGENT_AVAILABLE), ==, 0);
  /* The first waiter entered 100 s before the snapshot was taken. */
  g_assert_cmpint (cd_queue_snapshot_longest_wait (snapshot), ==, 100);
  g_assert_cmpint (cd_queue_snapshot_longest_wait (empty), ==, 0);
  g_assert_cmpint (empty->target, ==, 40);
  g_assert_cmpfloat (empty->goal, ==, 0.8);
}

static void
test_round_trip (void)
{
  g_autoptr(CdQueueSnapshot) snapshot = sample ();
  g_autoptr(JsonObject) object = cd_queue_snapshot_to_json (snapshot);
  g_autoptr(JsonObject) text = through_text (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQueueSnapshot) back = cd_queue_snapshot_new_from_json (text, &error);
  const CdQueueAgent *a;
  const CdQueueWaiter *w;

  g_assert_no_error (error);
  g_assert_nonnull (back);
  g_assert_cmpint (back->time, ==, DAY + 1000);
  g_assert_cmpint (back->day_start, ==, DAY);
  g_assert_cmpint (back->target, ==, 20);
  g_assert_cmpfloat_with_epsilon (back->goal, 0.9, 1e-12);
  g_assert_cmpuint (back->waiting->len, ==, 2);
  w = g_ptr_array_index (back->waiting, 1);
  g_assert_cmpstr (w->call, ==, "1767226590.8");
  g_assert_cmpstr (w->queue, ==, "water");
  g_assert_cmpint (w->entered_at, ==, DAY + 990);
  g_assert_cmpuint (back->agents->len, ==, 3);
  a = g_ptr_array_index (back->agents, 0);
  g_assert_cmpstr (a->agent, ==, "PJSIP/101");
  g_assert_cmpint (a->state, ==, CD_AGENT_ON_CALL);
  g_assert_cmpint (a->since, ==, DAY + 950);
  g_assert_null (a->reason);
  g_assert_cmpstr (a->call, ==, "1767226400.5");
  g_assert_cmpstr (a->queue, ==, "city");
  g_assert_cmpuint (a->handled, ==, 3);
  g_assert_cmpint (a->handle, ==, 420);
  g_assert_cmpuint (a->missed, ==, 1);
  a = g_ptr_array_index (back->agents, 1);
  g_assert_cmpint (a->state, ==, CD_AGENT_PAUSED);
  g_assert_cmpstr (a->reason, ==, "Lunch");
  g_assert_null (a->call);
  g_assert_cmpint (memcmp (&back->today, &snapshot->today, sizeof back->today), ==, 0);
  g_assert_cmpuint (back->staffed->len, ==, 1);
  g_assert_cmpint (g_array_index (back->staffed, CdQueueStaffed, 0).start, ==, DAY);
  g_assert_cmpfloat (g_array_index (back->staffed, CdQueueStaffed, 0).staffed, ==, 1.5);
  g_assert_cmpuint (back->missed_waiting, ==, 2);
  g_assert_cmpint (back->oldest_missed_due, ==, DAY + 4600);
  /* No caller's number anywhere: the member does not even exist. */
  g_assert_false (json_object_has_member (object, "phone"));
}

/* Each malformed document is refused naming the member that is wrong. */
static void
test_malformed (void)
{
  static const struct { const char *path; const char *json; const char *member; } cases[] = {
    { "time", "\"soon\"", "“time”" },
    { "time", "-1", "“time”" },
    { "goal", "1.5", "“goal”" },
    { "goal", "null", "“goal”" },
    { "waiting", "{}", "“waiting”" },
    { "waiting", "[1]", "“waiting[0]”" },
    { "waiting", "[{\"call\":\"a\",\"queue\":\"q\"}]", "“waiting[0].entered_at”" },
    { "waiting", "[{\"call\":\"\",\"queue\":\"q\",\"entered_at\":1}]", "“waiting[0].call”" },
    { "agents", "[{\"agent\":\"A\",\"state\":\"asleep\",\"since\":1,\"handled\":0,"
      "\"handle\":0,\"missed\":0}]", "“agents[0].state”" },
    { "agents", "[{\"agent\":\"A\",\"state\":\"paused\",\"since\":1,\"reason\":5,"
      "\"handled\":0,\"handle\":0,\"missed\":0}]", "“agents[0].reason”" },
    { "agents", "[{\"agent\":\"A\",\"state\":\"paused\",\"since\":1,\"handled\":4294967296,"
      "\"handle\":0,\"missed\":0}]", "“agents[0].handled”" },
    { "today", "[]", "“today”" },
    { "today", "{\"start\":0}", "“today.end”" },
    { "staffed", "[{\"start\":1,\"staffed\":\"two\"}]", "“staffed[0].staffed”" },
    { "missed_waiting", "-3", "“missed_waiting”" },
    { "oldest_missed_due", "1.5", "“oldest_missed_due”" },
  };
  g_autoptr(CdQueueSnapshot) snapshot = sample ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = cd_queue_snapshot_to_json (snapshot);
      g_autoptr(JsonObject) text = NULL;
      g_autoptr(JsonNode) value = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CdQueueSnapshot) back = NULL;

      value = cd_json_parse (cases[i].json, strlen (cases[i].json), CD_JSON_MAX_DEPTH, NULL,
                             NULL, &error);
      g_assert_no_error (error);
      json_object_set_member (object, cases[i].path, g_steal_pointer (&value));
      text = through_text (object);
      back = cd_queue_snapshot_new_from_json (text, &error);
      g_assert_null (back);
      g_assert_error (error, CD_QUEUE_SNAPSHOT_ERROR, CD_QUEUE_SNAPSHOT_ERROR_INVALID);
      if (strstr (error->message, cases[i].member) == NULL)
        g_error ("case %u: “%s” does not name %s", i, error->message, cases[i].member);
    }
  {
    g_autoptr(JsonObject) object = cd_queue_snapshot_to_json (snapshot);
    g_autoptr(GError) error = NULL;
    g_autoptr(CdQueueSnapshot) back = NULL;

    json_object_remove_member (object, "agents");
    back = cd_queue_snapshot_new_from_json (object, &error);
    g_assert_error (error, CD_QUEUE_SNAPSHOT_ERROR, CD_QUEUE_SNAPSHOT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "“agents”"));
  }
}

/* A newer server may add members: they are left alone. */
static void
test_unknown_members (void)
{
  g_autoptr(CdQueueSnapshot) snapshot = sample ();
  g_autoptr(JsonObject) object = cd_queue_snapshot_to_json (snapshot);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQueueSnapshot) back = NULL;

  json_object_set_string_member (object, "weather", "rain");
  back = cd_queue_snapshot_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->agents->len, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/queue-snapshot/state-names", test_state_names);
  g_test_add_func ("/queue-snapshot/counts", test_counts);
  g_test_add_func ("/queue-snapshot/round-trip", test_round_trip);
  g_test_add_func ("/queue-snapshot/malformed", test_malformed);
  g_test_add_func ("/queue-snapshot/unknown-members", test_unknown_members);

  return g_test_run ();
}
