// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-pbx.c: the demo city's contact centre, simulated as a PBX's queue
 *
 * A discrete-event simulation on whole seconds. Its events (a resident
 * calls, loses patience, reaches the queue's time limit; an operator's
 * phone rings, a call ends, wrap-up ends; a shift starts or ends, a pause
 * starts or ends; a new local day is planned) wait in a heap ordered by
 * time, then by the order they were scheduled in, so that the lines come
 * out in time order and the same seed gives the same bytes.
 *
 * Arrivals are a Poisson process whose rate is constant within a local
 * hour: the gap to the next call is drawn at the hour's rate, and one that
 * would cross the hour's end is drawn again from there (exact, since the
 * exponential has no memory). The rate is the day's calls (season and
 * weekday) times the hour's share, between a winter shape (peak 06-08)
 * and a summer one (10-12 and 16-19), after DOMAIN.md. A resident who gave
 * up sometimes calls again a few minutes later: "a caller who got through
 * again" happens.
 *
 * The staffing is fixed for the year, as a rota is: eight at night, up to
 * thirty in the early afternoon's overlap, nineteen through the peaks, so
 * that the peaks strain (service level under the target, abandons,
 * timeouts) and the rest of the day does not. Two crews take alternate
 * days; an operator is sometimes absent. Each takes short breaks and a
 * lunch, which wait for the end of a call. Days are planned from local
 * midnight by the hour, which is right for a zone without summer time
 * (the city's, UTC+3).
 */

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "cd-demo-pbx.h"

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

/* The calls of an average day before the season and the weekday (about
 * 1.5 million a year with the callers who try again). */
#define DAILY_CALLS 3930.0
/* Missed offers: an operator away from the desk lets it ring out. */
#define RING_NO_ANSWER 0.035
#define RING_TIMEOUT 15
#define RETRY_SHARE 0.35
#define REPEAT_SHARE 0.06
#define RECENT_CALLERS 512
#define N_CREWS 2

/* The share of a day's calls per local hour, before normalizing. */
static const double winter_shape[24] = {
  1.1, 0.7, 0.5, 0.4, 0.5, 1.4, 7.6, 8.4, 6.6, 5.6, 5.1, 4.8,
  4.6, 4.5, 4.4, 4.4, 4.6, 4.7, 4.6, 4.1, 3.5, 2.9, 2.2, 1.6,
};
static const double summer_shape[24] = {
  1.2, 0.7, 0.5, 0.4, 0.4, 0.8, 1.9, 2.9, 4.4, 5.4, 8.0, 8.4,
  6.0, 5.0, 5.0, 5.6, 7.6, 7.9, 7.6, 5.1, 4.0, 4.3, 2.5, 1.6,
};

typedef struct
{
  guint       start_hour;
  guint       hours;
  guint       seats;
} Shift;

/* Night 20-08, early 06-14, day 08-20, late 13-22. */
static const Shift shifts[] = {
  { 20, 12, 8 },
  { 6, 8, 11 },
  { 8, 12, 8 },
  { 13, 9, 11 },
};
#define SEATS_PER_CREW (8 + 11 + 8 + 11)
#define N_AGENTS (SEATS_PER_CREW * N_CREWS)

static const char * const agent_surnames[] = {
  "Ivanova", "Petrova", "Kovaleva", "Novik", "Kozlova", "Savitskaya", "Zhuk", "Karpovich",
  "Lukashevich", "Moroz", "Bondarenko", "Tkachuk", "Melnik", "Kravchenko", "Shevchuk",
  "Romanova", "Volkova", "Sokolova", "Lebedeva", "Abdrakhmanova", "Nurlanova", "Gorbach",
  "Yurchenko", "Danilyuk",
};
static const char agent_initials[] = "AVGDEIKLMNOPRSTY";
G_STATIC_ASSERT (N_AGENTS <= 24 * 16);

/* Random numbers: xoshiro256** seeded by splitmix64, as the city's. */

typedef struct
{
  guint64 s[4];
} Rng;

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

static double
rng_double (Rng *rng)
{
  return (rng_next (rng) >> 11) * 0x1.0p-53;
}

static guint
rng_int (Rng   *rng,
         guint  n)
{
  return (guint) (rng_double (rng) * n);
}

static gboolean
rng_chance (Rng    *rng,
            double  p)
{
  return rng_double (rng) < p;
}

static gint64
rng_between (Rng    *rng,
             gint64  lo,
             gint64  hi)
{
  return lo + (gint64) rng_int (rng, (guint) (hi - lo + 1));
}

static double
rng_exponential (Rng    *rng,
                 double  mean)
{
  return -log (1.0 - rng_double (rng)) * mean;
}

/* A log-normal duration around @median seconds, at least one second. */
static gint64
rng_lognormal (Rng    *rng,
               double  median,
               double  sigma)
{
  double u = 1.0 - rng_double (rng);
  double v = rng_double (rng);
  double z = sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);

  return MAX (1, (gint64) (median * exp (sigma * z)));
}

/* The model */

typedef enum
{
  CALL_PLANNED,
  CALL_WAITING,
  CALL_RINGING,
  CALL_TALKING,
  CALL_DONE,
} CallState;

typedef struct
{
  guint      ref;
  CallState  state;
  char       id[32];
  char       caller[20];
  gint64     entered;
  guint      orig_position;
  int        agent;
  GList     *link;
} Call;

/* A request the city registers by phone: the resident who makes it calls. */
typedef struct
{
  gint64 time;
  char   phone[20];
} Expected;

typedef enum
{
  AGENT_OFF,
  AGENT_IDLE,
  AGENT_RINGING,
  AGENT_TALKING,
  AGENT_WRAP_UP,
  AGENT_PAUSED,
} AgentState;

typedef struct
{
  char        name[24];
  AgentState  state;
  /* Changed with every state: an event scheduled for an older one is
   * stale and ignored. */
  guint       stamp;
  /* When it last became free: the queue offers the least recent first. */
  gint64      free_since;
  gboolean    leaving;
  const char *pending_pause;
  gint64      pending_length;
  /* The reason of the pause it is on. */
  const char *pause_reason;
  Call       *call;
  gint64      ring_start;
  gint64      answered;
} Agent;

typedef enum
{
  EV_ARRIVAL,
  EV_GIVE_UP,
  EV_TIMEOUT,
  EV_RING_END,
  EV_CALL_END,
  EV_WRAP_UP_END,
  EV_SHIFT_START,
  EV_SHIFT_END,
  EV_PAUSE_START,
  EV_PAUSE_END,
  EV_DAY,
} EventKind;

typedef struct
{
  gint64      time;
  guint64     order;
  EventKind   kind;
  guint       agent;
  guint       stamp;
  /* A pause's length, or for a ring whether it goes unanswered. */
  gint64      value;
  const char *reason;
  Call       *call;
} Event;

struct _CdDemoPbx
{
  Rng         rng;
  GTimeZone  *zone;
  gint64      now;
  guint64     order;
  guint64     channels;
  guint64     n_calls;
  GArray     *heap;
  GQueue      queue;
  Agent       agents[N_AGENTS];

  double      winter[24];
  double      summer[24];
  /* The arrival process: the clock, and the rate until the hour's end. */
  double      arrival_clock;
  double      rate;
  gint64      rate_until;

  /* The next local midnight to plan. */
  GDateTime  *next_day;
  gboolean    started;
  gint64      clock;

  char        recent[RECENT_CALLERS][20];
  guint       n_recent;

  /* (element-type Expected): the city's requests registered by phone,
   * in time order, from the first not yet taken (expected_head). */
  GArray     *expected;
  guint       expected_head;

  CdDemoPbxLineFunc func;
  gpointer          func_data;
};

static Call *
call_ref (Call *call)
{
  call->ref++;
  return call;
}

static void
call_unref (Call *call)
{
  if (call != NULL && --call->ref == 0)
    g_free (call);
}

static gboolean
event_before (const Event *a,
              const Event *b)
{
  return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static void
schedule (CdDemoPbx *self,
          Event      event)
{
  Event *heap;
  guint i;

  event.order = self->order++;
  g_array_append_val (self->heap, event);
  heap = (Event *) self->heap->data;
  for (i = self->heap->len - 1; i > 0; )
    {
      guint parent = (i - 1) / 2;
      Event tmp;

      if (!event_before (&heap[i], &heap[parent]))
        break;
      tmp = heap[i];
      heap[i] = heap[parent];
      heap[parent] = tmp;
      i = parent;
    }
}

static Event
pop_event (CdDemoPbx *self)
{
  Event *heap = (Event *) self->heap->data;
  Event top = heap[0];
  guint n = self->heap->len - 1, i = 0;

  heap[0] = heap[n];
  g_array_set_size (self->heap, n);
  heap = (Event *) self->heap->data;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, least = i;
      Event tmp;

      if (l < n && event_before (&heap[l], &heap[least]))
        least = l;
      if (r < n && event_before (&heap[r], &heap[least]))
        least = r;
      if (least == i)
        break;
      tmp = heap[i];
      heap[i] = heap[least];
      heap[least] = tmp;
      i = least;
    }
  return top;
}

static void
schedule_agent (CdDemoPbx   *self,
                EventKind    kind,
                gint64       time,
                guint        agent,
                gint64       value,
                const char  *reason)
{
  Event event = { .time = time, .kind = kind, .agent = agent,
                  .stamp = self->agents[agent].stamp, .value = value, .reason = reason };

  schedule (self, event);
}

static void
schedule_call (CdDemoPbx *self,
               EventKind  kind,
               gint64     time,
               Call      *call)
{
  Event event = { .time = time, .kind = kind, .call = call_ref (call) };

  schedule (self, event);
}

G_GNUC_PRINTF (5, 6)
static void
emit (CdDemoPbx  *self,
      const char *callid,
      const char *agent,
      const char *verb,
      const char *format,
      ...)
{
  char line[512];
  int n;
  va_list args;

  n = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT "|%s|%s|%s|%s|", self->now, callid,
                  g_str_equal (verb, "QUEUESTART") ? "NONE" : CD_DEMO_PBX_QUEUE, agent, verb);
  va_start (args, format);
  n += g_vsnprintf (line + n, sizeof line - n - 1, format, args);
  va_end (args);
  line[n++] = '\n';
  line[n] = '\0';
  self->func (self->now, line, (gsize) n, self->func_data);
}

static void
next_channel (CdDemoPbx *self,
              char      *id,
              gsize      size)
{
  g_snprintf (id, size, "%" G_GINT64_FORMAT ".%" G_GUINT64_FORMAT, self->now, ++self->channels);
}

static void
set_agent (CdDemoPbx  *self,
           Agent      *agent,
           AgentState  state)
{
  agent->state = state;
  agent->stamp++;
  if (state == AGENT_IDLE)
    agent->free_since = self->now;
}

/* Arrivals {{{1 */

/* The calls per second in the local hour holding @time, and its end. */
static void
update_rate (CdDemoPbx *self,
             gint64     time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);
  int hour = g_date_time_get_hour (local);
  int weekday = g_date_time_get_day_of_week (local);
  double doy = g_date_time_get_day_of_year (local);
  /* 0 in mid-January, 1 in mid-July. */
  double summer = (1.0 - cos (2.0 * G_PI * (doy - 15.0) / 365.25)) / 2.0;
  double share = (1.0 - summer) * self->winter[hour] + summer * self->summer[hour];
  /* Winter is busier: heating, ice, snow. */
  double season = 1.08 - 0.12 * summer;
  double day = weekday <= 5 ? 1.07 : weekday == 6 ? 0.85 : 0.78;

  self->rate = DAILY_CALLS * season * day * share / HOUR;
  self->rate_until = time - g_date_time_get_minute (local) * MINUTE
                     - g_date_time_get_second (local) + HOUR;
}

static void
schedule_next_arrival (CdDemoPbx *self)
{
  Event event = { .kind = EV_ARRIVAL };

  for (;;)
    {
      double gap;

      if ((gint64) self->arrival_clock >= self->rate_until)
        update_rate (self, (gint64) self->arrival_clock);
      gap = rng_exponential (&self->rng, 1.0 / self->rate);
      if (self->arrival_clock + gap < (double) self->rate_until)
        {
          self->arrival_clock += gap;
          break;
        }
      self->arrival_clock = (double) self->rate_until;
    }
  event.time = (gint64) self->arrival_clock;
  schedule (self, event);
}

/* The caller is the resident of a request the city registers by phone a
 * little after this call enters, when there is one: answered soon enough,
 * the operator registers it during the call (docs/calls.md). The random
 * draws stay the same either way, so that the calls' times and outcomes
 * do not change with the city's tickets. */
static void
take_expected (CdDemoPbx *self,
               char      *caller)
{
  Expected *first;

  while (self->expected_head < self->expected->len &&
         g_array_index (self->expected, Expected, self->expected_head).time <
             self->now + CD_DEMO_PBX_TICKET_LEAD_MIN)
    self->expected_head++;
  if (self->expected_head >= self->expected->len)
    return;
  first = &g_array_index (self->expected, Expected, self->expected_head);
  if (first->time > self->now + CD_DEMO_PBX_TICKET_LEAD_MAX)
    return;
  g_strlcpy (caller, first->phone, 20);
  self->expected_head++;
  if (self->expected_head > 1024 && self->expected_head * 2 > self->expected->len)
    {
      g_array_remove_range (self->expected, 0, self->expected_head);
      self->expected_head = 0;
    }
}

static void
new_caller (CdDemoPbx *self,
            char      *caller)
{
  static const char * const mobile[] = { "25", "29", "33", "44" };

  if (self->n_recent > 0 && rng_chance (&self->rng, REPEAT_SHARE))
    {
      guint n = MIN (self->n_recent, RECENT_CALLERS);

      g_strlcpy (caller, self->recent[rng_int (&self->rng, n)], 20);
      take_expected (self, caller);
      return;
    }
  if (rng_chance (&self->rng, 0.01))
    g_strlcpy (caller, "unknown", 20);
  else if (rng_chance (&self->rng, 0.3))
    g_snprintf (caller, 20, "+37517%07u", 2000000 + rng_int (&self->rng, 3000000));
  else
    g_snprintf (caller, 20, "+375%s%07u", mobile[rng_int (&self->rng, G_N_ELEMENTS (mobile))],
                1000000 + rng_int (&self->rng, 9000000));
  /* A hidden number stays hidden: whether one is draws on the generator
   * later (a caller who gave up calls again). */
  if (!g_str_equal (caller, "unknown"))
    take_expected (self, caller);
  if (!g_str_equal (caller, "unknown"))
    g_strlcpy (self->recent[self->n_recent++ % RECENT_CALLERS], caller, 20);
}

/* The queue {{{1 */

static guint
position (CdDemoPbx *self,
          Call      *call)
{
  return (guint) g_queue_link_index (&self->queue, call->link) + 1;
}

static void
leave_queue (CdDemoPbx *self,
             Call      *call)
{
  g_queue_delete_link (&self->queue, call->link);
  call->link = NULL;
  call_unref (call);
}

static void start_pause (CdDemoPbx  *self,
                         guint       a,
                         const char *reason,
                         gint64      length);

/* A call is over for the operator (answered or let go): the next thing
 * the rota holds for them. */
static void
agent_free (CdDemoPbx *self,
            guint      a)
{
  Agent *agent = &self->agents[a];

  agent->call = NULL;
  if (agent->leaving)
    {
      emit (self, "NONE", agent->name, "REMOVEMEMBER", "%s", "");
      agent->leaving = FALSE;
      agent->pending_pause = NULL;
      set_agent (self, agent, AGENT_OFF);
    }
  else if (agent->pending_pause != NULL)
    {
      const char *reason = agent->pending_pause;

      agent->pending_pause = NULL;
      start_pause (self, a, reason, agent->pending_length);
    }
  else
    set_agent (self, agent, AGENT_IDLE);
}

static int
least_recent_idle (CdDemoPbx *self)
{
  int best = -1;

  for (guint i = 0; i < N_AGENTS; i++)
    if (self->agents[i].state == AGENT_IDLE
        && (best < 0 || self->agents[i].free_since < self->agents[best].free_since))
      best = (int) i;
  return best;
}

/* Offers each waiting caller, in order, to a free operator (the queue's
 * autofill): the one free the longest (strategy leastrecent). */
static void
dispatch (CdDemoPbx *self)
{
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Call *call = l->data;
      Agent *agent;
      int a;
      gboolean no_answer;
      gint64 ring;

      if (call->state != CALL_WAITING)
        continue;
      a = least_recent_idle (self);
      if (a < 0)
        return;
      agent = &self->agents[a];
      no_answer = rng_chance (&self->rng, RING_NO_ANSWER);
      ring = no_answer ? RING_TIMEOUT : rng_between (&self->rng, 2, 9);
      set_agent (self, agent, AGENT_RINGING);
      agent->call = call;
      agent->ring_start = self->now;
      call->state = CALL_RINGING;
      call->agent = a;
      schedule_agent (self, EV_RING_END, self->now + ring, (guint) a, no_answer, NULL);
    }
}

static void
on_arrival (CdDemoPbx *self,
            Call      *planned)
{
  Call *call = g_new0 (Call, 1);
  double patience;

  call->ref = 1;
  call->state = CALL_WAITING;
  call->agent = -1;
  call->entered = self->now;
  next_channel (self, call->id, sizeof call->id);
  if (planned != NULL)
    g_strlcpy (call->caller, planned->caller, sizeof call->caller);
  else
    new_caller (self, call->caller);
  g_queue_push_tail (&self->queue, call);
  call->link = self->queue.tail;
  call->orig_position = self->queue.length;
  self->n_calls++;
  emit (self, call->id, "NONE", "ENTERQUEUE", "|%s|%u", call->caller, call->orig_position);

  /* Most wait a minute or two and some give up at once; a few hold on
   * whatever it takes, until the queue's time limit. */
  patience = rng_chance (&self->rng, 0.12) ? G_MAXINT : rng_exponential (&self->rng, 170.0);
  if (patience < CD_DEMO_PBX_TIMEOUT)
    schedule_call (self, EV_GIVE_UP, self->now + (gint64) patience, call);
  else
    schedule_call (self, EV_TIMEOUT, self->now + CD_DEMO_PBX_TIMEOUT, call);

  if (planned == NULL)
    schedule_next_arrival (self);
  dispatch (self);
}

/* The caller leaves the queue unanswered: gave up, or the time limit. */
static void
on_leave (CdDemoPbx *self,
          Call      *call,
          gboolean   timeout)
{
  gint64 wait = self->now - call->entered;

  if (call->state != CALL_WAITING && call->state != CALL_RINGING)
    return;
  if (call->state == CALL_RINGING)
    {
      guint a = (guint) call->agent;
      Agent *agent = &self->agents[a];

      emit (self, call->id, agent->name, "RINGCANCELED", "%" G_GINT64_FORMAT,
            (self->now - agent->ring_start) * 1000);
      agent_free (self, a);
    }
  emit (self, call->id, "NONE", timeout ? "EXITWITHTIMEOUT" : "ABANDON",
        "%u|%u|%" G_GINT64_FORMAT, position (self, call), call->orig_position, wait);
  call->state = CALL_DONE;

  /* Some call again a few minutes later. */
  if (!g_str_equal (call->caller, "unknown") && rng_chance (&self->rng, RETRY_SHARE))
    schedule_call (self, EV_ARRIVAL, self->now + rng_between (&self->rng, 60, 20 * MINUTE),
                   call);
  leave_queue (self, call);
  dispatch (self);
}

static void
on_ring_end (CdDemoPbx *self,
             guint      a,
             gboolean   no_answer)
{
  Agent *agent = &self->agents[a];
  Call *call = agent->call;
  char bridged[32];

  if (no_answer)
    {
      emit (self, call->id, agent->name, "RINGNOANSWER", "%" G_GINT64_FORMAT,
            (self->now - agent->ring_start) * 1000);
      call->state = CALL_WAITING;
      call->agent = -1;
      agent_free (self, a);
      dispatch (self);
      return;
    }

  next_channel (self, bridged, sizeof bridged);
  emit (self, call->id, agent->name, "CONNECT", "%" G_GINT64_FORMAT "|%s|%" G_GINT64_FORMAT,
        self->now - call->entered, bridged, self->now - agent->ring_start);
  call->state = CALL_TALKING;
  call_ref (call);
  leave_queue (self, call);
  set_agent (self, agent, AGENT_TALKING);
  agent->answered = self->now;
  /* Talk: a few minutes, a long tail of hard cases. */
  schedule_agent (self, EV_CALL_END, self->now + rng_lognormal (&self->rng, 140.0, 0.6), a, 0,
                  NULL);
  dispatch (self);
}

static void
on_call_end (CdDemoPbx *self,
             guint      a)
{
  static const char * const transfers[] = { "2100", "2200", "2300" };
  Agent *agent = &self->agents[a];
  Call *call = agent->call;
  gint64 hold = agent->answered - call->entered;
  gint64 talk = self->now - agent->answered;
  double end = rng_double (&self->rng);

  /* A few go to a utility's own desk. */
  if (end < 0.04)
    emit (self, call->id, agent->name, "BLINDTRANSFER",
          "%s|utilities|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%u",
          transfers[rng_int (&self->rng, G_N_ELEMENTS (transfers))], hold, talk,
          call->orig_position);
  else
    emit (self, call->id, agent->name, end < 0.7 ? "COMPLETECALLER" : "COMPLETEAGENT",
          "%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%u", hold, talk, call->orig_position);
  call->state = CALL_DONE;
  call_unref (call);
  agent->call = NULL;
  set_agent (self, agent, AGENT_WRAP_UP);
  /* A fixed time, as Asterisk's wrapuptime is: the server's live queue
   * then tells each operator's wrap-up exactly. */
  schedule_agent (self, EV_WRAP_UP_END, self->now + CD_DEMO_PBX_WRAP_UP, a, 0, NULL);
}

/* The rota {{{1 */

static void
start_pause (CdDemoPbx  *self,
             guint       a,
             const char *reason,
             gint64      length)
{
  Agent *agent = &self->agents[a];

  emit (self, "NONE", agent->name, "PAUSE", "%s", reason);
  agent->pause_reason = reason;
  set_agent (self, agent, AGENT_PAUSED);
  schedule_agent (self, EV_PAUSE_END, self->now + length, a, 0, NULL);
}

static void
on_pause_start (CdDemoPbx  *self,
                guint       a,
                const char *reason,
                gint64      length)
{
  Agent *agent = &self->agents[a];

  switch (agent->state)
    {
    case AGENT_IDLE:
      start_pause (self, a, reason, length);
      break;
    case AGENT_RINGING:
    case AGENT_TALKING:
    case AGENT_WRAP_UP:
      /* After the call. */
      if (!agent->leaving)
        {
          agent->pending_pause = reason;
          agent->pending_length = length;
        }
      break;
    case AGENT_OFF:
    case AGENT_PAUSED:
    default:
      break;
    }
}

static void
on_pause_end (CdDemoPbx *self,
              guint      a)
{
  Agent *agent = &self->agents[a];

  emit (self, "NONE", agent->name, "UNPAUSE", "%s", "");
  set_agent (self, agent, AGENT_IDLE);
  dispatch (self);
}

static void
on_shift_start (CdDemoPbx *self,
                guint      a)
{
  Agent *agent = &self->agents[a];

  agent->leaving = FALSE;
  if (agent->state != AGENT_OFF)
    return;
  emit (self, "NONE", agent->name, "ADDMEMBER", "%s", "");
  set_agent (self, agent, AGENT_IDLE);
  dispatch (self);
}

static void
on_shift_end (CdDemoPbx *self,
              guint      a)
{
  Agent *agent = &self->agents[a];

  switch (agent->state)
    {
    case AGENT_IDLE:
    case AGENT_PAUSED:
      emit (self, "NONE", agent->name, "REMOVEMEMBER", "%s", "");
      agent->pending_pause = NULL;
      set_agent (self, agent, AGENT_OFF);
      break;
    case AGENT_RINGING:
    case AGENT_TALKING:
    case AGENT_WRAP_UP:
      agent->leaving = TRUE;
      agent->pending_pause = NULL;
      break;
    case AGENT_OFF:
    default:
      break;
    }
}

/* Schedules an event of the rota, unless it is before the model starts:
 * then a start is moved to the start and the rest is dropped. */
static void
schedule_rota (CdDemoPbx   *self,
               EventKind    kind,
               gint64       time,
               guint        agent,
               gint64       value,
               const char  *reason)
{
  if (time < self->now)
    {
      if (kind != EV_SHIFT_START)
        return;
      time = self->now;
    }
  schedule_agent (self, kind, time, agent, value, reason);
}

/* Plans the shifts that start on the local day beginning at @midnight. */
static void
plan_day (CdDemoPbx *self,
          GDateTime *midnight)
{
  gint64 day_start = g_date_time_to_unix (midnight);
  gint64 day_number = (day_start + g_date_time_get_utc_offset (midnight) / G_USEC_PER_SEC) / DAY;
  guint crew = (guint) (day_number % N_CREWS);
  guint seat = crew * SEATS_PER_CREW;

  for (guint s = 0; s < G_N_ELEMENTS (shifts); s++)
    for (guint i = 0; i < shifts[s].seats; i++, seat++)
      {
        gint64 start = day_start + shifts[s].start_hour * HOUR
                       + rng_between (&self->rng, -5 * MINUTE, 5 * MINUTE);
        gint64 length = shifts[s].hours * HOUR + rng_between (&self->rng, 0, 10 * MINUTE);
        gint64 end = start + length;
        gint64 lunch = start + length / 2 + rng_between (&self->rng, -HOUR, HOUR / 2);

        /* Sick, on leave, stuck in snow. */
        if (rng_chance (&self->rng, 0.05) || end <= self->now)
          continue;
        schedule_rota (self, EV_SHIFT_START, start, seat, 0, NULL);
        /* A short break about every two hours and a lunch mid-shift,
         * staggered so that the seats do not all empty at once. */
        for (gint64 t = start + 2 * HOUR; t < end - HOUR; t += 2 * HOUR)
          if (ABS (t - lunch) > HOUR)
            schedule_rota (self, EV_PAUSE_START,
                           t + rng_between (&self->rng, -30 * MINUTE, 30 * MINUTE), seat,
                           rng_between (&self->rng, 8 * MINUTE, 15 * MINUTE), "break");
        schedule_rota (self, EV_PAUSE_START, lunch, seat,
                       rng_between (&self->rng, 25 * MINUTE, 35 * MINUTE), "lunch");
        /* Now and then a form to fill in after a hard call. */
        if (rng_chance (&self->rng, 0.3))
          schedule_rota (self, EV_PAUSE_START,
                         start + rng_between (&self->rng, HOUR, length - HOUR), seat,
                         rng_between (&self->rng, 3 * MINUTE, 10 * MINUTE), "paperwork");
        schedule_rota (self, EV_SHIFT_END, end, seat, 0, NULL);
      }
}

static void
on_day (CdDemoPbx *self)
{
  GDateTime *next;

  plan_day (self, self->next_day);
  next = g_date_time_add_days (self->next_day, 1);
  g_date_time_unref (self->next_day);
  self->next_day = next;
  schedule_agent (self, EV_DAY, g_date_time_to_unix (next), 0, 0, NULL);
}

/* Public API {{{1 */

/**
 * cd_demo_pbx_new:
 * @seed: the random seed: the same seed and start give the same lines
 * @start: Unix seconds of the PBX's start (its QUEUESTART)
 * @zone: the city's time zone, whose clock the arrivals and the rota follow
 *
 * A contact centre that starts at @start with the operators the rota has
 * on duty then, and no caller yet.
 *
 * Returns: (transfer full): the model
 */
CdDemoPbx *
cd_demo_pbx_new (guint64    seed,
                 gint64     start,
                 GTimeZone *zone)
{
  CdDemoPbx *self = g_new0 (CdDemoPbx, 1);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  double winter = 0, summer = 0;

  for (guint i = 0; i < 4; i++)
    self->rng.s[i] = splitmix64 (&seed);
  self->zone = g_time_zone_ref (zone);
  self->now = start;
  self->clock = start;
  self->heap = g_array_new (FALSE, FALSE, sizeof (Event));
  self->expected = g_array_new (FALSE, FALSE, sizeof (Expected));
  g_queue_init (&self->queue);
  /* The queue's member names, as a contact center sets them so that its
   * supervisors read people, not PJSIP/1001. */
  for (guint i = 0; i < N_AGENTS; i++)
    g_snprintf (self->agents[i].name, sizeof self->agents[i].name, "%s %c. %c.",
                agent_surnames[i % G_N_ELEMENTS (agent_surnames)],
                agent_initials[(i / G_N_ELEMENTS (agent_surnames)) % 16],
                agent_initials[(i * 7 + 3) % 16]);

  for (guint h = 0; h < 24; h++)
    {
      winter += winter_shape[h];
      summer += summer_shape[h];
    }
  for (guint h = 0; h < 24; h++)
    {
      self->winter[h] = winter_shape[h] / winter;
      self->summer[h] = summer_shape[h] / summer;
    }

  local = g_date_time_to_timezone (utc, zone);
  self->next_day = g_date_time_new (zone, g_date_time_get_year (local),
                                    g_date_time_get_month (local),
                                    g_date_time_get_day_of_month (local), 0, 0, 0);
  yesterday = g_date_time_add_days (self->next_day, -1);
  self->func = NULL;

  /* The night shift of the day before may still be on. */
  plan_day (self, yesterday);
  on_day (self);

  self->arrival_clock = (double) start;
  self->rate_until = G_MININT64;
  schedule_next_arrival (self);
  return self;
}

void
cd_demo_pbx_free (CdDemoPbx *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->heap->len; i++)
    call_unref (g_array_index (self->heap, Event, i).call);
  for (guint i = 0; i < N_AGENTS; i++)
    if (self->agents[i].state == AGENT_TALKING)
      call_unref (self->agents[i].call);
  while (!g_queue_is_empty (&self->queue))
    call_unref (g_queue_pop_head (&self->queue));
  g_array_unref (self->heap);
  g_array_unref (self->expected);
  g_date_time_unref (self->next_day);
  g_time_zone_unref (self->zone);
  g_free (self);
}

static void
process (CdDemoPbx   *self,
         const Event *event)
{
  gboolean agent_event = event->kind == EV_RING_END || event->kind == EV_CALL_END
                         || event->kind == EV_WRAP_UP_END || event->kind == EV_PAUSE_END;

  if (agent_event && event->stamp != self->agents[event->agent].stamp)
    return;
  switch (event->kind)
    {
    case EV_ARRIVAL:
      on_arrival (self, event->call);
      break;
    case EV_GIVE_UP:
      on_leave (self, event->call, FALSE);
      break;
    case EV_TIMEOUT:
      on_leave (self, event->call, TRUE);
      break;
    case EV_RING_END:
      on_ring_end (self, event->agent, event->value != 0);
      break;
    case EV_CALL_END:
      on_call_end (self, event->agent);
      break;
    case EV_WRAP_UP_END:
      agent_free (self, event->agent);
      dispatch (self);
      break;
    case EV_SHIFT_START:
      on_shift_start (self, event->agent);
      break;
    case EV_SHIFT_END:
      on_shift_end (self, event->agent);
      break;
    case EV_PAUSE_START:
      on_pause_start (self, event->agent, event->reason, event->value);
      break;
    case EV_PAUSE_END:
      on_pause_end (self, event->agent);
      break;
    case EV_DAY:
      on_day (self);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * cd_demo_pbx_advance:
 * @self: the model
 * @until: Unix seconds: every line before it is written
 * @func: called with each line, in time order
 * @user_data: for @func
 *
 * Runs the model up to @until, exclusive, and gives each line of the
 * queue_log it writes meanwhile to @func; the first call starts with the
 * QUEUESTART line. Called again with a later time, it goes on from there:
 * a year of history and a live clock run the same model.
 */
void
cd_demo_pbx_advance (CdDemoPbx         *self,
                     gint64             until,
                     CdDemoPbxLineFunc  func,
                     gpointer           user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  if (until <= self->clock)
    return;
  self->func = func;
  self->func_data = user_data;
  if (!self->started)
    {
      self->started = TRUE;
      emit (self, "NONE", "NONE", "QUEUESTART", "%s", "");
    }
  while (self->heap->len > 0 && g_array_index (self->heap, Event, 0).time < until)
    {
      Event event = pop_event (self);

      self->now = event.time;
      process (self, &event);
      call_unref (event.call);
    }
  self->clock = until;
  self->func = NULL;
  self->func_data = NULL;
}

/**
 * cd_demo_pbx_get_time:
 * @self: the model
 *
 * Returns: the time the model has run up to (exclusive)
 */
gint64
cd_demo_pbx_get_time (CdDemoPbx *self)
{
  return self->clock;
}

/* Callbacks {{{1 */

/* A draw in [0, 1) made from the call's id and the attempt alone, so that
 * the history and a live server plan the same callbacks. */
static double
plan_draw (guint64 *state)
{
  return (splitmix64 (state) >> 11) * 0x1.0p-53;
}

/**
 * cd_demo_pbx_plan_callback:
 * @call: the missed call's id (the PBX's or the journal's)
 * @attempt: which attempt, from 1
 * @after: when the call was missed (@attempt 1) or the last attempt made
 * @at: (out): when the contact centre calls back
 * @outcome: (out): what it finds
 *
 * The demo contact centre's callbacks of its missed calls: most within the
 * 10 minutes, a quarter later, a few much later (a busy hour); nearly
 * three in four reach the caller, the rest find no answer or a busy line
 * (and try again 10 to 30 minutes on) or a wrong number. It tries up to
 * eight times: one lost caller in tens of thousands is never reached.
 *
 * Returns: whether there is such an attempt
 */
gboolean
cd_demo_pbx_plan_callback (const char        *call,
                           guint              attempt,
                           gint64             after,
                           gint64            *at,
                           CdCallbackOutcome *outcome)
{
  guint64 state = g_str_hash (call) * 0x9e3779b97f4a7c15ULL + attempt;
  double when;
  double what;

  g_return_val_if_fail (call != NULL && at != NULL && outcome != NULL, FALSE);

  if (attempt == 0 || attempt > 8)
    return FALSE;
  when = plan_draw (&state);
  what = plan_draw (&state);
  if (attempt > 1)
    *at = after + 600 + (gint64) (plan_draw (&state) * 1200);
  else if (when < 0.70)
    *at = after + 120 + (gint64) (plan_draw (&state) * 420);
  else if (when < 0.95)
    *at = after + 600 + (gint64) (plan_draw (&state) * 1200);
  else
    *at = after + 1800 + (gint64) (plan_draw (&state) * 3600);
  *outcome = what < 0.72   ? CD_CALLBACK_REACHED
             : what < 0.90 ? CD_CALLBACK_NO_ANSWER
             : what < 0.97 ? CD_CALLBACK_BUSY
                           : CD_CALLBACK_WRONG_NUMBER;
  return TRUE;
}

/**
 * cd_demo_pbx_announce:
 * @self: the model
 * @func: where each line goes
 * @data: for @func
 *
 * Writes who is on duty at the model's clock: an ADDMEMBER line for each
 * operator logged in, and a PAUSE line with its reason for each one on a
 * pause. A model that wrote its history into the store and goes on into a
 * new file starts that file with them, so that a follower of the file
 * alone knows the operators before their next call.
 */
void
cd_demo_pbx_announce (CdDemoPbx         *self,
                      CdDemoPbxLineFunc  func,
                      gpointer           data)
{
  CdDemoPbxLineFunc saved_func = self->func;
  gpointer saved_data = self->func_data;
  gint64 saved_now = self->now;

  g_return_if_fail (func != NULL);

  self->func = func;
  self->func_data = data;
  /* Before any line still to come, after every line written. */
  self->now = MAX (self->now, self->clock - 1);
  for (guint a = 0; a < N_AGENTS; a++)
    {
      const Agent *agent = &self->agents[a];

      if (agent->state == AGENT_OFF)
        continue;
      emit (self, "NONE", agent->name, "ADDMEMBER", "%s", "");
      if (agent->state == AGENT_PAUSED && agent->pause_reason != NULL)
        emit (self, "NONE", agent->name, "PAUSE", "%s", agent->pause_reason);
    }
  self->now = saved_now;
  self->func = saved_func;
  self->func_data = saved_data;
}

/**
 * cd_demo_pbx_get_n_calls:
 * @self: the model
 *
 * Returns: the calls that have entered the queue so far
 */
guint64
cd_demo_pbx_get_n_calls (CdDemoPbx *self)
{
  return self->n_calls;
}

/**
 * cd_demo_pbx_expect_ticket:
 * @self: the model
 * @registered_at: Unix seconds: when the city registers a request by phone
 * @phone: (nullable): the resident's phone as registered
 *
 * Tells the model of a request the city registers by phone, in time
 * order, before the model runs to that time: the first call entering
 * from %CD_DEMO_PBX_TICKET_LEAD_MAX to %CD_DEMO_PBX_TICKET_LEAD_MIN
 * seconds before it is the resident's (its caller is @phone's digits),
 * so that a call answered in time has its ticket registered during it.
 * Requests no call fits are forgotten.
 */
void
cd_demo_pbx_expect_ticket (CdDemoPbx  *self,
                           gint64      registered_at,
                           const char *phone)
{
  Expected expected = { registered_at, "+" };
  gsize n = 1;

  g_return_if_fail (self != NULL);

  if (phone == NULL)
    return;
  for (const char *p = phone; *p != '\0' && n + 1 < sizeof expected.phone; p++)
    if (g_ascii_isdigit (*p))
      expected.phone[n++] = *p;
  expected.phone[n] = '\0';
  if (n < 8)
    return;
  g_array_append_val (self->expected, expected);
}
