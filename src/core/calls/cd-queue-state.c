// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-state.c: the live queue, folded from queue_log records
 *
 * docs/calls.md ("The live queue") says what each verb does to an
 * operator. An operator's state is told from a few facts (the queues it
 * is a member of, a pause, the call it is on, the end of its wrap-up), so
 * that verbs arriving in any order never leave it in a state no verb
 * explains.
 */

#include "config.h"

#include <string.h>

#include "cd-input.h"
#include "cd-queue-state.h"

/* How far ahead of the server's clock a line may turn the day. */
#define MAX_AHEAD 3600

/* A day has at most 25 hours (the autumn change of the clock). */
#define MAX_SLOTS (25 * 3600 / CD_QUEUE_STATE_INTERVAL)

typedef struct
{
  char         *name;
  GHashTable   *queues;       /* queues it is a member of (set) */
  /* Told by ADDMEMBER or a login, not only guessed from its calls. */
  gboolean      logged_in;
  gboolean      paused;
  char         *reason;
  char         *call;         /* on it now */
  char         *call_queue;
  gint64        call_entered;
  gint64        call_since;
  char         *last_call;    /* the one it wraps up */
  char         *last_queue;
  gint64        wrap_until;
  CdAgentState  state;        /* as last told, and since when */
  gint64        since;
  guint         handled;
  gint64        handle;
  guint         missed;
} Agent;

struct _CdQueueState
{
  GTimeZone         *zone;
  gint64             wrap_up;
  CdCallStatsLimits  limits;
  double             goal;

  gint64             clock;        /* the last snapshot's time, 0 before */
  gint64             day_start;    /* 0 until the first record or snapshot */
  gint64             next_day;
  GHashTable        *waiting;      /* callid → CdQueueWaiter */
  GHashTable        *agents;       /* name → Agent */
  CdCallInterval     ended;        /* today's calls that ended */

  /* Agent-seconds staffed per interval of today, up to @staffed_at, when
   * @staffed_now were staffed. */
  double             staffed[MAX_SLOTS];
  gint64             staffed_at;
  guint              staffed_now;
};

static void
agent_free (Agent *agent)
{
  g_free (agent->name);
  g_hash_table_unref (agent->queues);
  g_free (agent->reason);
  g_free (agent->call);
  g_free (agent->call_queue);
  g_free (agent->last_call);
  g_free (agent->last_queue);
  g_free (agent);
}

/**
 * cd_queue_state_new:
 * @zone: the clock the day starts on (the server's)
 *
 * Returns: (transfer full): a state with nobody in it, no wrap-up, the
 *   statistics' default target (40 s) and short abandon (5 s), a goal of
 *   80 %
 */
CdQueueState *
cd_queue_state_new (GTimeZone *zone)
{
  CdQueueState *self = g_new0 (CdQueueState, 1);

  g_return_val_if_fail (zone != NULL, NULL);

  self->zone = g_time_zone_ref (zone);
  self->limits.target = 40;
  self->limits.short_abandon = 5;
  self->goal = 0.8;
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) cd_queue_waiter_free);
  self->agents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) agent_free);
  return self;
}

void
cd_queue_state_free (CdQueueState *self)
{
  if (self == NULL)
    return;
  g_time_zone_unref (self->zone);
  g_hash_table_unref (self->waiting);
  g_hash_table_unref (self->agents);
  g_free (self);
}

/* How long an operator stays in wrap-up after a call: the queue's
 * `wrapuptime`, which the queue_log does not carry. */
void
cd_queue_state_set_wrap_up (CdQueueState *self,
                            gint64        seconds)
{
  self->wrap_up = MAX (seconds, 0);
}

void
cd_queue_state_set_limits (CdQueueState            *self,
                           const CdCallStatsLimits *limits,
                           double                   goal)
{
  self->limits = *limits;
  self->goal = goal;
}

/* The day {{{1 */

static gint64
local_midnight (GTimeZone *zone,
                gint64     time)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  if (t == NULL || (local = g_date_time_to_timezone (t, zone)) == NULL)
    return time - time % 86400;
  midnight = g_date_time_new (zone, g_date_time_get_year (local),
                              g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local), 0, 0, 0);
  return midnight != NULL ? g_date_time_to_unix (midnight) : time - time % 86400;
}

static CdAgentState
derive (const Agent *agent,
        gint64       time)
{
  if (agent->call != NULL)
    return CD_AGENT_ON_CALL;
  if (agent->last_call != NULL && time < agent->wrap_until)
    return CD_AGENT_WRAP_UP;
  if (agent->paused)
    return CD_AGENT_PAUSED;
  if (g_hash_table_size (agent->queues) > 0)
    return CD_AGENT_AVAILABLE;
  return CD_AGENT_LOGGED_OFF;
}

/* When the state derive() gives at @time began. */
static gint64
derived_since (const Agent  *agent,
               CdAgentState  state,
               gint64        time)
{
  if (state == agent->state)
    return agent->since;
  /* The wrap-up ran out by itself, between two records. */
  if (agent->state == CD_AGENT_WRAP_UP && agent->wrap_until <= time)
    return agent->wrap_until;
  return time;
}

static gboolean
is_staffed (CdAgentState state)
{
  return state == CD_AGENT_AVAILABLE || state == CD_AGENT_ON_CALL || state == CD_AGENT_WRAP_UP;
}

/* Adds what was staffed from @self->staffed_at to @to into @slots. */
static void
integrate (const CdQueueState *self,
           double             *slots,
           gint64              from,
           gint64              to)
{
  to = MIN (to, self->next_day);
  while (from < to)
    {
      gint64 slot = (from - self->day_start) / CD_QUEUE_STATE_INTERVAL;
      gint64 end;

      if (slot < 0 || slot >= MAX_SLOTS)
        return;
      end = MIN (to, self->day_start + (slot + 1) * CD_QUEUE_STATE_INTERVAL);
      slots[slot] += (double) self->staffed_now * (double) (end - from);
      from = end;
    }
}

static void
advance (CdQueueState *self,
         gint64        time)
{
  if (time <= self->staffed_at)
    return;
  integrate (self, self->staffed, self->staffed_at, time);
  self->staffed_at = time;
}

static void
count_staffed (CdQueueState *self,
               gint64        time)
{
  GHashTableIter iter;
  gpointer value;

  self->staffed_now = 0;
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    self->staffed_now += is_staffed (derive (value, time));
}

/* Today's figures start again at local midnight; the operators and the
 * callers waiting go on. */
static void
roll (CdQueueState *self,
      gint64        time)
{
  GHashTableIter iter;
  gpointer value;

  if (self->day_start != 0 && time < self->next_day)
    return;
  /* A line dated days ahead of the server's clock (a PBX's clock gone
   * wrong, a forged line) would start a day that never comes: only the
   * server's clock, or lines near it, turn the day. */
  if (self->day_start != 0 && self->clock != 0 && time > self->clock + MAX_AHEAD)
    return;
  if (self->day_start != 0)
    advance (self, self->next_day);
  self->day_start = local_midnight (self->zone, time);
  /* 26 hours on is always the next day, whatever the clock changes. */
  self->next_day = local_midnight (self->zone, self->day_start + 26 * 3600);
  if (self->next_day <= self->day_start)
    self->next_day = self->day_start + 86400;
  memset (&self->ended, 0, sizeof self->ended);
  memset (self->staffed, 0, sizeof self->staffed);
  self->staffed_at = self->day_start;

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Agent *agent = value;
      CdAgentState state = derive (agent, time);

      agent->since = derived_since (agent, state, time);
      agent->state = state;
      agent->handled = 0;
      agent->handle = 0;
      agent->missed = 0;
      /* A member known only from its calls and pauses (a static member of
       * queues.conf, or one whose login is in an older file) is not taken
       * to sit at the phone day after day: it counts again from its first
       * line of the new day. */
      if (!agent->logged_in && agent->call == NULL)
        {
          g_hash_table_remove_all (agent->queues);
          agent->paused = FALSE;
          state = derive (agent, time);
          agent->since = derived_since (agent, state, time);
          agent->state = state;
        }
      /* Shown only when seen today. */
      if (state == CD_AGENT_LOGGED_OFF)
        g_hash_table_iter_remove (&iter);
    }
  /* A caller whose end a lost line never told. */
  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((CdQueueWaiter *) value)->entered_at < self->day_start - 86400)
      g_hash_table_iter_remove (&iter);
}

/* Records {{{1 */

static Agent *
find_agent (CdQueueState *self,
            const char   *name,
            gint64        time)
{
  Agent *agent;

  if (name == NULL || *name == '\0' || g_str_equal (name, "NONE"))
    return NULL;
  agent = g_hash_table_lookup (self->agents, name);
  if (agent != NULL || g_hash_table_size (self->agents) >= CD_QUEUE_STATE_MAX_AGENTS)
    return agent;
  agent = g_new0 (Agent, 1);
  agent->name = g_strdup (name);
  agent->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  agent->state = CD_AGENT_LOGGED_OFF;
  agent->since = time;
  g_hash_table_insert (self->agents, agent->name, agent);
  return agent;
}

/* A line of a member that names no queue (PAUSEALL) says it is a member
 * of some queue: of ANY_QUEUE, until it leaves one. */
#define ANY_QUEUE "*"

static void
join (Agent      *agent,
      const char *queue)
{
  if (queue == NULL || *queue == '\0' || g_str_equal (queue, "NONE"))
    {
      if (g_hash_table_size (agent->queues) == 0)
        g_hash_table_add (agent->queues, g_strdup (ANY_QUEUE));
    }
  else if (g_hash_table_size (agent->queues) < 256)
    g_hash_table_add (agent->queues, g_strdup (queue));
}

static gboolean
is_end (const char *verb)
{
  static const char * const ends[] = {
    "COMPLETECALLER", "COMPLETEAGENT", "BLINDTRANSFER", "TRANSFER", "ATTENDEDTRANSFER",
    "ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY", "WITHDRAW",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    if (g_str_equal (verb, ends[i]))
      return TRUE;
  return FALSE;
}

static void
hang_up (Agent  *agent,
         gint64  time,
         gint64  wrap_up)
{
  g_free (agent->last_call);
  g_free (agent->last_queue);
  agent->last_call = g_steal_pointer (&agent->call);
  agent->last_queue = g_steal_pointer (&agent->call_queue);
  agent->wrap_until = time + wrap_up;
}

static void
end_calls (CdQueueState *self,
           gint64        time)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_remove_all (self->waiting);
  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Agent *agent = value;

      if (agent->call != NULL)
        hang_up (agent, time, 0);
    }
}

static void
pause_agent (Agent      *agent,
             const char *reason)
{
  agent->paused = TRUE;
  g_clear_pointer (&agent->reason, g_free);
  if (reason != NULL && *reason != '\0' && strlen (reason) <= 128 &&
      cd_input_text_is_clean (reason, strlen (reason), FALSE, NULL))
    agent->reason = g_strdup (reason);
}

static void
connect_agent (CdQueueState *self,
               Agent        *agent,
               gint64        time,
               const char   *callid,
               const char   *queue,
               const char   *hold)
{
  CdQueueWaiter *waiter = g_hash_table_lookup (self->waiting, callid);
  gint64 wait;

  g_free (agent->call);
  g_free (agent->call_queue);
  agent->call = g_strdup (callid);
  agent->call_queue = g_strdup (queue);
  agent->call_since = time;
  if (waiter != NULL)
    agent->call_entered = waiter->entered_at;
  else if (hold != NULL && g_ascii_string_to_signed (hold, 10, 0, G_MAXINT32, &wait, NULL))
    agent->call_entered = time - wait;
  else
    agent->call_entered = time;
  join (agent, queue);
}

/**
 * cd_queue_state_apply:
 * @self: a state
 * @time: the record's Unix seconds
 * @callid: its call id
 * @queue: its queue
 * @agent: its agent (`NONE` for none)
 * @verb: its event, a verb cd_queue_log_verb_is_known()
 * @data: (array length=n_data): its data fields
 * @n_data: how many
 *
 * Folds one record in, after the reader has applied it to its calls.
 */
void
cd_queue_state_apply (CdQueueState       *self,
                      gint64              time,
                      const char         *callid,
                      const char         *queue,
                      const char         *agent_name,
                      const char         *verb,
                      const char * const *data,
                      guint               n_data)
{
  const char *data0 = n_data > 0 ? data[0] : NULL;
  Agent *agent;

  roll (self, time);
  advance (self, time);
  agent = find_agent (self, agent_name, time);

  if (g_str_equal (verb, "ENTERQUEUE"))
    {
      CdQueueWaiter *waiter;

      if (g_hash_table_size (self->waiting) >= CD_QUEUE_STATE_MAX_WAITING &&
          !g_hash_table_contains (self->waiting, callid))
        return;
      waiter = g_new0 (CdQueueWaiter, 1);
      waiter->call = g_strdup (callid);
      waiter->queue = g_strdup (queue);
      waiter->entered_at = time;
      g_hash_table_replace (self->waiting, waiter->call, waiter);
    }
  else if (g_str_equal (verb, "CONNECT"))
    {
      if (agent != NULL)
        connect_agent (self, agent, time, callid, queue, data0);
      g_hash_table_remove (self->waiting, callid);
    }
  else if (is_end (verb))
    {
      g_hash_table_remove (self->waiting, callid);
      if (agent != NULL && g_strcmp0 (agent->call, callid) == 0)
        hang_up (agent, time, self->wrap_up);
    }
  else if (g_str_equal (verb, "QUEUESTART"))
    end_calls (self, time);
  else if (agent == NULL)
    return;
  else if (g_str_equal (verb, "ADDMEMBER") || g_str_equal (verb, "AGENTLOGIN") ||
           g_str_equal (verb, "AGENTCALLBACKLOGIN"))
    {
      join (agent, queue);
      agent->logged_in = TRUE;
    }
  else if (g_str_equal (verb, "REMOVEMEMBER"))
    {
      g_hash_table_remove (agent->queues, queue);
      g_hash_table_remove (agent->queues, ANY_QUEUE);
      if (g_hash_table_size (agent->queues) == 0)
        {
          agent->paused = FALSE;
          agent->logged_in = FALSE;
        }
    }
  else if (g_str_equal (verb, "AGENTLOGOFF") || g_str_equal (verb, "AGENTCALLBACKLOGOFF"))
    {
      g_hash_table_remove_all (agent->queues);
      agent->paused = FALSE;
      agent->logged_in = FALSE;
    }
  else if (g_str_equal (verb, "PAUSE") || g_str_equal (verb, "PAUSEALL"))
    {
      /* Only a member pauses: a static member's first line may be this. */
      join (agent, queue);
      pause_agent (agent, data0);
    }
  else if (g_str_equal (verb, "UNPAUSE") || g_str_equal (verb, "UNPAUSEALL"))
    {
      join (agent, queue);
      agent->paused = FALSE;
      g_clear_pointer (&agent->reason, g_free);
    }
  else if (g_str_equal (verb, "RINGNOANSWER"))
    {
      join (agent, queue);
      agent->missed++;
    }

  if (agent != NULL)
    {
      CdAgentState state = derive (agent, time);

      agent->since = derived_since (agent, state, time);
      agent->state = state;
    }
  count_staffed (self, time);
}

/**
 * cd_queue_state_add_call:
 * @self: a state
 * @call: a call that ended
 *
 * Counts @call in today's figures, and its talk for its operator, when it
 * entered today.
 */
void
cd_queue_state_add_call (CdQueueState *self,
                         const CdCall *call)
{
  Agent *agent;

  roll (self, call->ended_at);
  if (call->entered_at < self->day_start)
    return;
  cd_call_interval_count (&self->ended, call, &self->limits);
  if (call->answered_at == 0 || call->agent == NULL ||
      (agent = find_agent (self, call->agent, call->ended_at)) == NULL)
    return;
  agent->handled++;
  agent->handle += MAX (call->talk_seconds, 0);
}

/* The snapshot {{{1 */

static int
by_entry (gconstpointer a,
          gconstpointer b)
{
  const CdQueueWaiter *x = *(CdQueueWaiter * const *) a;
  const CdQueueWaiter *y = *(CdQueueWaiter * const *) b;

  if (x->entered_at != y->entered_at)
    return x->entered_at < y->entered_at ? -1 : 1;
  return strcmp (x->call, y->call);
}

static int
by_name (gconstpointer a,
         gconstpointer b)
{
  const CdQueueAgent *x = *(CdQueueAgent * const *) a;
  const CdQueueAgent *y = *(CdQueueAgent * const *) b;

  return strcmp (x->agent, y->agent);
}

static CdQueueAgent *
agent_at (const Agent *agent,
          gint64       now)
{
  CdQueueAgent *row = g_new0 (CdQueueAgent, 1);

  row->agent = g_strdup (agent->name);
  row->state = derive (agent, now);
  row->since = derived_since (agent, row->state, now);
  if (row->state == CD_AGENT_PAUSED)
    row->reason = g_strdup (agent->reason);
  if (row->state == CD_AGENT_ON_CALL)
    {
      row->call = g_strdup (agent->call);
      row->queue = g_strdup (agent->call_queue);
    }
  else if (row->state == CD_AGENT_WRAP_UP)
    {
      row->call = g_strdup (agent->last_call);
      row->queue = g_strdup (agent->last_queue);
    }
  row->handled = agent->handled;
  row->handle = agent->handle;
  row->missed = agent->missed;
  return row;
}

/**
 * cd_queue_state_snapshot:
 * @self: a state
 * @now: the server's clock
 *
 * The calls still open count in today's figures as they stand at @now: a
 * caller waiting as not answered yet, a call on the phone as answered.
 * The missed calls awaiting a callback are the store's to fill in.
 *
 * Returns: (transfer full): the queue at @now
 */
CdQueueSnapshot *
cd_queue_state_snapshot (CdQueueState *self,
                         gint64        now)
{
  CdQueueSnapshot *snapshot = cd_queue_snapshot_new ();
  double slots[MAX_SLOTS];
  GHashTableIter iter;
  gpointer value;
  gint64 end;

  self->clock = MAX (self->clock, now);
  roll (self, now);
  /* A PBX clock ahead of the server's: the records' time wins. */
  end = MAX (now, self->staffed_at);
  snapshot->time = now;
  snapshot->day_start = self->day_start;
  snapshot->target = self->limits.target;
  snapshot->goal = self->goal;
  snapshot->today = self->ended;
  snapshot->today.start = self->day_start;
  snapshot->today.end = MAX (now, self->day_start);

  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const CdQueueWaiter *waiter = value;
      CdQueueWaiter *copy = g_new0 (CdQueueWaiter, 1);
      CdCall open = { .outcome = CD_CALL_WAITING };

      copy->call = g_strdup (waiter->call);
      copy->queue = g_strdup (waiter->queue);
      copy->entered_at = waiter->entered_at;
      g_ptr_array_add (snapshot->waiting, copy);
      if (waiter->entered_at >= self->day_start)
        {
          open.hold_seconds = MAX (now - waiter->entered_at, 0);
          cd_call_interval_count (&snapshot->today, &open, &self->limits);
        }
    }
  g_ptr_array_sort (snapshot->waiting, by_entry);

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const Agent *agent = value;
      CdCall open = { .outcome = CD_CALL_TALKING };

      g_ptr_array_add (snapshot->agents, agent_at (agent, now));
      if (agent->call != NULL && agent->call_entered >= self->day_start)
        {
          open.answered_at = agent->call_since;
          open.hold_seconds = MAX (agent->call_since - agent->call_entered, 0);
          open.talk_seconds = MAX (now - agent->call_since, 0);
          cd_call_interval_count (&snapshot->today, &open, &self->limits);
        }
    }
  g_ptr_array_sort (snapshot->agents, by_name);

  memcpy (slots, self->staffed, sizeof slots);
  integrate (self, slots, self->staffed_at, end);
  for (gint64 start = self->day_start; start < MIN (end, self->next_day);
       start += CD_QUEUE_STATE_INTERVAL)
    {
      gint64 slot = (start - self->day_start) / CD_QUEUE_STATE_INTERVAL;
      gint64 length = MIN (end, start + CD_QUEUE_STATE_INTERVAL) - start;
      CdQueueStaffed s = { start, slots[slot] / (double) length };

      if (slot >= MAX_SLOTS)
        break;
      g_array_append_val (snapshot->staffed, s);
    }
  return snapshot;
}
