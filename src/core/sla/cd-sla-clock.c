// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-clock.c: the clocks of a ticket, evaluated from its events
 *
 * The evaluation replays the events once. For each target it keeps the
 * open cycle, its pauses (intervals between the events that put the ticket
 * into and out of a pause state) and its deadline without pauses (the
 * limit from the start event, moved by granted extensions). A cycle's
 * budget is the working time from its start to that deadline; its real
 * deadline is the instant at which that much working time outside pauses
 * has passed. Everything is recomputed from the events on every call.
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-sla-clock.h"

struct _CdSlaClocks
{
  gatomicrefcount  ref_count;
  CdSlaPolicy     *policy;
  gint64           now;
  GPtrArray       *calendars;  /* CdSlaCalendar per target */
  GPtrArray       *cycles;     /* GPtrArray of CdSlaCycle per target */
  GPtrArray       *extensions; /* CdSlaExtension */
};

G_DEFINE_BOXED_TYPE (CdSlaClocks, cd_sla_clocks, cd_sla_clocks_ref, cd_sla_clocks_unref)

const char *
cd_sla_clock_state_to_string (CdSlaClockState state)
{
  static const char * const names[] = {
    "pending", "running", "paused", "at_risk", "met", "breached", "stopped"
  };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);
  return names[state];
}

const char *
cd_sla_extension_verdict_to_string (CdSlaExtensionVerdict verdict)
{
  static const char * const names[] = {
    "granted", "unknown_target", "not_extendable", "not_running", "too_late",
    "bad_amount", "too_many", "too_long", "over_total"
  };

  g_return_val_if_fail ((guint) verdict < G_N_ELEMENTS (names), NULL);
  return names[verdict];
}

/* Cycles {{{1 */

/* The private part of a cycle lives after the public one. */
typedef struct
{
  CdSlaCycle pub;
  gint64     base_due;  /* the deadline without pauses, after extensions */
} Cycle;

static Cycle *
cycle_new (guint  number,
           gint64 started)
{
  Cycle *cycle = g_new0 (Cycle, 1);

  cycle->pub.number = number;
  cycle->pub.started = started;
  cycle->pub.stopped = CD_SLA_NEVER;
  cycle->pub.due = CD_SLA_NEVER;
  cycle->pub.at_risk_from = CD_SLA_NEVER;
  cycle->pub.judged = CD_SLA_NEVER;
  cycle->pub.pauses = g_array_new (FALSE, FALSE, sizeof (CdSlaInterval));
  cycle->base_due = CD_SLA_NEVER;
  return cycle;
}

static Cycle *
cycle_copy (const Cycle *other)
{
  Cycle *cycle = g_memdup2 (other, sizeof (Cycle));

  cycle->pub.stopped_by = g_strdup (other->pub.stopped_by);
  cycle->pub.pauses = g_array_copy (other->pub.pauses);
  return cycle;
}

static void
cycle_free (gpointer data)
{
  Cycle *cycle = data;

  g_free (cycle->pub.stopped_by);
  g_array_unref (cycle->pub.pauses);
  g_free (cycle);
}

static void
extension_free (gpointer data)
{
  CdSlaExtension *extension = data;

  g_free (extension->target);
  g_free (extension);
}

/* Working-time arithmetic with pauses {{{1 */

static gint64
pause_end (const CdSlaInterval *pause,
           gint64               open_end)
{
  return pause->end == CD_SLA_NEVER ? open_end : pause->end;
}

/* The working seconds of [a, b) that lie outside the pauses. */
static gint64
active_between (CdSlaCalendar *calendar,
                GArray        *pauses,
                gint64         open_end,
                gint64         a,
                gint64         b)
{
  gint64 total;

  if (b <= a)
    return 0;
  total = cd_sla_calendar_between (calendar, a, b);
  for (guint i = 0; i < pauses->len; i++)
    {
      const CdSlaInterval *pause = &g_array_index (pauses, CdSlaInterval, i);
      gint64 from = MAX (a, pause->start);
      gint64 to = MIN (b, pause_end (pause, open_end));

      if (from < to)
        total -= cd_sla_calendar_between (calendar, from, to);
    }
  return total;
}

/* The instant at which @budget working seconds outside the pauses have
 * passed since @start: cd_sla_calendar_add() that skips every pause. */
static gint64
active_add (CdSlaCalendar *calendar,
            GArray        *pauses,
            gint64         open_end,
            gint64         start,
            gint64         budget)
{
  gint64 t = start;
  gint64 left = budget;

  if (budget == CD_SLA_NEVER)
    return CD_SLA_NEVER;
  for (guint i = 0; i < pauses->len; i++)
    {
      const CdSlaInterval *pause = &g_array_index (pauses, CdSlaInterval, i);
      gint64 available = cd_sla_calendar_between (calendar, t, pause->start);

      if (available >= left)
        return cd_sla_calendar_add (calendar, t, left);
      left -= available;
      t = MAX (t, pause_end (pause, open_end));
    }
  return cd_sla_calendar_add (calendar, t, left);
}

/* The earliest instant from which @amount working seconds outside the
 * pauses remain until @end: cd_sla_calendar_subtract() that skips every
 * pause, walking back from @end. */
static gint64
active_subtract (CdSlaCalendar *calendar,
                 GArray        *pauses,
                 gint64         open_end,
                 gint64         end,
                 gint64         amount)
{
  gint64 t = end;
  gint64 left = amount;

  for (guint i = pauses->len; i > 0; i--)
    {
      const CdSlaInterval *pause = &g_array_index (pauses, CdSlaInterval, i - 1);
      gint64 to = MIN (pause_end (pause, open_end), t);
      gint64 available;

      if (pause->start >= t)
        continue;
      available = cd_sla_calendar_between (calendar, to, t);
      if (available >= left)
        return cd_sla_calendar_subtract (calendar, t, left);
      left -= available;
      t = pause->start;
    }
  return cd_sla_calendar_subtract (calendar, t, left);
}

static gint64
limit_deadline (CdSlaCalendar    *calendar,
                gint64            start,
                const CdSlaLimit *limit)
{
  switch (limit->unit)
    {
    case CD_SLA_LIMIT_SECONDS:
      return cd_sla_calendar_add (calendar, start, limit->amount);
    case CD_SLA_LIMIT_WORKING_DAYS:
      return cd_sla_calendar_add_days (calendar, start, limit->amount,
                                       CD_SLA_DAYS_WORKING);
    case CD_SLA_LIMIT_CALENDAR_DAYS:
      return cd_sla_calendar_add_days (calendar, start, limit->amount,
                                       CD_SLA_DAYS_CALENDAR);
    case CD_SLA_LIMIT_NONE:
    default:
      return CD_SLA_NEVER;
    }
}

static gint64
cycle_budget (CdSlaCalendar *calendar,
              const Cycle   *cycle)
{
  if (cycle->base_due == CD_SLA_NEVER)
    return CD_SLA_NEVER;
  return cd_sla_calendar_between (calendar, cycle->pub.started, cycle->base_due);
}

/* Fills in the judgement of @cycle at @now: budget, elapsed, due, state. */
static void
judge (const CdSlaTarget *target,
       CdSlaCalendar     *calendar,
       Cycle             *cycle,
       gint64             now,
       guint              version)
{
  CdSlaCycle *pub = &cycle->pub;
  gboolean open = pub->stopped == CD_SLA_NEVER;
  gint64 end = open ? now : pub->stopped;
  gint64 budget = cycle_budget (calendar, cycle);
  gboolean paused_now = open && pub->pauses->len > 0
    && g_array_index (pub->pauses, CdSlaInterval, pub->pauses->len - 1).end == CD_SLA_NEVER;

  pub->policy_version = version;
  pub->budget = budget == CD_SLA_NEVER ? -1 : budget;
  pub->elapsed = active_between (calendar, pub->pauses, end, pub->started, end);
  pub->paused = cd_sla_calendar_between (calendar, pub->started, end) - pub->elapsed;
  pub->due = active_add (calendar, pub->pauses, end, pub->started, budget);
  pub->remaining = budget == CD_SLA_NEVER ? -1 : MAX (0, budget - pub->elapsed);
  pub->judged = CD_SLA_NEVER;
  pub->margin = 0;
  pub->late = 0;

  switch (target->at_risk)
    {
    case CD_SLA_AT_RISK_PERCENT:
      if (budget != CD_SLA_NEVER)
        pub->at_risk_from = active_add (calendar, pub->pauses, end, pub->started,
                                        (budget * target->at_risk_value + 99) / 100);
      break;
    case CD_SLA_AT_RISK_BEFORE:
      if (budget == CD_SLA_NEVER)
        break;
      if (target->at_risk_value >= budget)
        pub->at_risk_from = pub->started;
      else
        pub->at_risk_from = active_subtract (calendar, pub->pauses, end, pub->due,
                                             target->at_risk_value);
      break;
    case CD_SLA_AT_RISK_NONE:
    default:
      pub->at_risk_from = CD_SLA_NEVER;
      break;
    }

  if (end > pub->due)
    {
      pub->state = CD_SLA_CLOCK_BREACHED;
      pub->judged = pub->due;
      pub->margin = active_between (calendar, pub->pauses, end, pub->due, end);
      pub->late = end - pub->due;
      pub->remaining = 0;
    }
  else if (!open)
    {
      gboolean met = g_strv_contains ((const char * const *) target->stop,
                                      pub->stopped_by);

      pub->state = met ? CD_SLA_CLOCK_MET : CD_SLA_CLOCK_STOPPED;
      pub->judged = met ? pub->stopped : CD_SLA_NEVER;
      pub->margin = met ? pub->remaining : 0;
    }
  else if (paused_now)
    {
      pub->state = CD_SLA_CLOCK_PAUSED;
    }
  else if (pub->at_risk_from != CD_SLA_NEVER && now >= pub->at_risk_from)
    {
      pub->state = CD_SLA_CLOCK_AT_RISK;
    }
  else
    {
      pub->state = CD_SLA_CLOCK_RUNNING;
    }
}

/* A breached cycle that is still open keeps the deadline it was judged
 * against; only its overrun grows. */
static void
judge_against (CdSlaCalendar *calendar,
               Cycle         *cycle,
               const Cycle   *earlier,
               gint64         now)
{
  CdSlaCycle *pub = &cycle->pub;
  gint64 end = pub->stopped == CD_SLA_NEVER ? now : pub->stopped;

  cycle->base_due = earlier->base_due;
  pub->policy_version = earlier->pub.policy_version;
  pub->budget = earlier->pub.budget;
  pub->due = earlier->pub.due;
  pub->at_risk_from = earlier->pub.at_risk_from;
  pub->n_extensions = earlier->pub.n_extensions;
  pub->state = CD_SLA_CLOCK_BREACHED;
  pub->judged = earlier->pub.due;
  pub->remaining = 0;
  pub->margin = active_between (calendar, pub->pauses, end, pub->due, end);
  pub->late = end - pub->due;
}

/* Evaluation {{{1 */

typedef struct
{
  const CdSlaTarget *target;
  CdSlaCalendar     *calendar;
  GPtrArray         *cycles;
  Cycle             *open;
} Track;

static gboolean
in_list (char       **list,
         const char  *name)
{
  return name != NULL && g_strv_contains ((const char * const *) list, name);
}

static void
track_close (Track      *track,
             gint64      time,
             const char *action)
{
  Cycle *cycle = track->open;
  GArray *pauses = cycle->pub.pauses;

  if (pauses->len > 0)
    {
      CdSlaInterval *last = &g_array_index (pauses, CdSlaInterval, pauses->len - 1);

      if (last->end == CD_SLA_NEVER)
        last->end = time;
      if (last->end == last->start)
        g_array_set_size (pauses, pauses->len - 1);
    }
  cycle->pub.stopped = time;
  cycle->pub.stopped_by = g_strdup (action);
  track->open = NULL;
}

static void
track_set_paused (Track    *track,
                  gint64    time,
                  gboolean  paused)
{
  GArray *pauses = track->open->pub.pauses;
  CdSlaInterval *last = NULL;

  if (pauses->len > 0)
    last = &g_array_index (pauses, CdSlaInterval, pauses->len - 1);
  if (paused && (last == NULL || last->end != CD_SLA_NEVER))
    {
      CdSlaInterval pause = { time, CD_SLA_NEVER };

      g_array_append_val (pauses, pause);
    }
  else if (!paused && last != NULL && last->end == CD_SLA_NEVER)
    {
      last->end = time;
      if (last->end == last->start)
        g_array_set_size (pauses, pauses->len - 1);
    }
}

static CdSlaExtensionVerdict
extend (Track            *track,
        const CdSlaEvent *event,
        CdSlaExtension   *record)
{
  const CdSlaTarget *target = track->target;
  Cycle *cycle = track->open;
  gint64 due_now;
  gint64 requested;
  gint64 new_due;
  gboolean in_days;

  if (target->max_extensions == 0)
    return CD_SLA_EXTENSION_NOT_EXTENDABLE;
  if (cycle == NULL)
    return CD_SLA_EXTENSION_NOT_RUNNING;
  record->cycle = cycle->pub.number;
  record->due_before = record->due_after = cycle->base_due;

  due_now = active_add (track->calendar, cycle->pub.pauses, event->time,
                        cycle->pub.started, cycle_budget (track->calendar, cycle));
  if (event->time > due_now)
    return CD_SLA_EXTENSION_TOO_LATE;

  in_days = target->extension_each.unit != CD_SLA_LIMIT_SECONDS;
  requested = in_days ? event->extend_days : event->extend_seconds;
  if (event->extend_seconds < 0
      || (event->extend_seconds != 0 && event->extend_days != 0)
      || requested <= 0)
    return CD_SLA_EXTENSION_BAD_AMOUNT;
  if (cycle->pub.n_extensions >= target->max_extensions)
    return CD_SLA_EXTENSION_TOO_MANY;
  if (requested > target->extension_each.amount)
    return CD_SLA_EXTENSION_TOO_LONG;

  if (cycle->base_due == CD_SLA_NEVER)
    new_due = CD_SLA_NEVER;
  else if (!in_days)
    new_due = cd_sla_calendar_add (track->calendar, cycle->base_due, requested);
  else
    /* Counted from the day of the deadline's last working second, so that
     * a deadline at 24:00 belongs to the day it ends. */
    new_due = cd_sla_calendar_add_days (track->calendar, cycle->base_due - 1, requested,
                                        target->extension_each.unit == CD_SLA_LIMIT_WORKING_DAYS
                                        ? CD_SLA_DAYS_WORKING : CD_SLA_DAYS_CALENDAR);

  if (target->extension_total.unit != CD_SLA_LIMIT_NONE
      && new_due > limit_deadline (track->calendar, cycle->pub.started,
                                   &target->extension_total))
    return CD_SLA_EXTENSION_OVER_TOTAL;

  cycle->base_due = new_due;
  cycle->pub.n_extensions++;
  record->due_after = new_due;
  return CD_SLA_EXTENSION_GRANTED;
}

static gboolean
check_event (const CdSlaEvent  *event,
             gsize              index,
             gint64             previous_time,
             GError           **error)
{
  if (!cd_sla_action_is_known (event->type))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS,
                   "event %" G_GSIZE_FORMAT ": “%s” is not a known action",
                   index, event->type != NULL ? event->type : "(null)");
      return FALSE;
    }
  if (event->state != NULL && !cd_sla_state_is_known (event->state))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS,
                   "event %" G_GSIZE_FORMAT ": “%s” is not a known ticket state",
                   index, event->state);
      return FALSE;
    }
  if (event->time < previous_time)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS,
                   "event %" G_GSIZE_FORMAT ": events must be in time order "
                   "(this one is earlier than the one before)", index);
      return FALSE;
    }
  return TRUE;
}

static const Cycle *
find_earlier (CdSlaClocks *previous,
              const char  *target_name,
              const Cycle *cycle)
{
  int index;
  GPtrArray *cycles;

  if (previous == NULL)
    return NULL;
  index = cd_sla_policy_find_target (previous->policy, target_name);
  if (index < 0)
    return NULL;
  cycles = g_ptr_array_index (previous->cycles, index);
  if (cycle->pub.number > cycles->len)
    return NULL;
  {
    const Cycle *earlier = g_ptr_array_index (cycles, cycle->pub.number - 1);

    if (earlier->pub.started != cycle->pub.started)
      return NULL;
    return earlier;
  }
}

CdSlaClocks *
cd_sla_clock_evaluate (CdSlaPolicy       *policy,
                       GHashTable        *calendars,
                       const CdSlaEvent  *events,
                       gsize              n_events,
                       gint64             now,
                       CdSlaClocks       *previous,
                       GError           **error)
{
  g_autoptr(CdSlaClocks) self = NULL;
  g_autofree Track *tracks = NULL;
  guint n_targets;
  const char *state = NULL;
  gint64 previous_time = G_MININT64;

  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (calendars != NULL, NULL);
  g_return_val_if_fail (events != NULL || n_events == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cd_sla_policy_check_calendars (policy, calendars, error))
    return NULL;

  n_targets = cd_sla_policy_get_n_targets (policy);
  self = g_new0 (CdSlaClocks, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->policy = cd_sla_policy_ref (policy);
  self->now = now;
  self->calendars = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_sla_calendar_unref);
  self->cycles = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->extensions = g_ptr_array_new_with_free_func (extension_free);

  tracks = g_new0 (Track, n_targets);
  for (guint i = 0; i < n_targets; i++)
    {
      tracks[i].target = cd_sla_policy_get_target (policy, i);
      tracks[i].calendar = g_hash_table_lookup (calendars, tracks[i].target->calendar);
      tracks[i].cycles = g_ptr_array_new_with_free_func (cycle_free);
      g_ptr_array_add (self->calendars, cd_sla_calendar_ref (tracks[i].calendar));
      g_ptr_array_add (self->cycles, tracks[i].cycles);
    }

  for (gsize e = 0; e < n_events; e++)
    {
      const CdSlaEvent *event = &events[e];
      const char *after;

      if (!check_event (event, e, previous_time, error))
        return NULL;
      previous_time = event->time;
      if (event->time > now)
        continue;

      after = event->state;
      if (after == NULL)
        after = cd_sla_action_default_state (event->type);
      if (after == NULL)
        after = state;

      for (guint i = 0; i < n_targets; i++)
        {
          Track *track = &tracks[i];

          if (track->open != NULL
              && (in_list (track->target->stop, event->type)
                  || cd_sla_state_is_final (after)))
            track_close (track, event->time, event->type);

          if (track->open == NULL
              && in_list (track->target->start, event->type)
              && !cd_sla_state_is_final (after))
            {
              track->open = cycle_new (track->cycles->len + 1, event->time);
              track->open->base_due = limit_deadline (track->calendar, event->time,
                                                      &track->target->limit);
              g_ptr_array_add (track->cycles, track->open);
            }

          if (track->open != NULL)
            track_set_paused (track, event->time,
                              in_list (track->target->pause_states, after));
        }

      if (g_str_equal (event->type, "extend"))
        {
          CdSlaExtension *record = g_new0 (CdSlaExtension, 1);
          int index = cd_sla_policy_find_target (policy, event->target);

          record->target = g_strdup (event->target != NULL ? event->target : "");
          record->time = event->time;
          record->seconds = event->extend_seconds;
          record->days = event->extend_days;
          record->due_before = record->due_after = CD_SLA_NEVER;
          if (index < 0)
            record->verdict = CD_SLA_EXTENSION_UNKNOWN_TARGET;
          else
            record->verdict = extend (&tracks[index], event, record);
          g_ptr_array_add (self->extensions, record);
        }

      state = after;
    }

  for (guint i = 0; i < n_targets; i++)
    {
      for (guint c = 0; c < tracks[i].cycles->len; c++)
        {
          Cycle *cycle = g_ptr_array_index (tracks[i].cycles, c);
          const Cycle *earlier = find_earlier (previous, tracks[i].target->name, cycle);

          if (earlier != NULL
              && (earlier->pub.state == CD_SLA_CLOCK_MET
                  || earlier->pub.state == CD_SLA_CLOCK_STOPPED
                  || (earlier->pub.state == CD_SLA_CLOCK_BREACHED
                      && earlier->pub.stopped != CD_SLA_NEVER)))
            {
              /* Judged and closed: keep it exactly as it was. */
              g_ptr_array_index (tracks[i].cycles, c) = cycle_copy (earlier);
              cycle_free (cycle);
            }
          else if (earlier != NULL && earlier->pub.state == CD_SLA_CLOCK_BREACHED)
            {
              judge (tracks[i].target, tracks[i].calendar, cycle, now,
                     cd_sla_policy_get_version (policy));
              judge_against (tracks[i].calendar, cycle, earlier, now);
            }
          else
            {
              judge (tracks[i].target, tracks[i].calendar, cycle, now,
                     cd_sla_policy_get_version (policy));
            }
        }
    }

  return g_steal_pointer (&self);
}

/* Accessors {{{1 */

CdSlaClocks *
cd_sla_clocks_ref (CdSlaClocks *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cd_sla_clocks_unref (CdSlaClocks *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->policy, cd_sla_policy_unref);
  g_clear_pointer (&self->calendars, g_ptr_array_unref);
  g_clear_pointer (&self->cycles, g_ptr_array_unref);
  g_clear_pointer (&self->extensions, g_ptr_array_unref);
  g_free (self);
}

guint
cd_sla_clocks_get_n_targets (CdSlaClocks *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->cycles->len;
}

const CdSlaTarget *
cd_sla_clocks_get_target (CdSlaClocks *self,
                          guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);

  return cd_sla_policy_get_target (self->policy, index);
}

guint
cd_sla_clocks_get_n_cycles (CdSlaClocks *self,
                            guint        index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (index < self->cycles->len, 0);

  return ((GPtrArray *) g_ptr_array_index (self->cycles, index))->len;
}

const CdSlaCycle *
cd_sla_clocks_get_cycle (CdSlaClocks *self,
                         guint        index,
                         guint        cycle)
{
  GPtrArray *cycles;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->cycles->len, NULL);

  cycles = g_ptr_array_index (self->cycles, index);
  g_return_val_if_fail (cycle < cycles->len, NULL);
  return &((Cycle *) g_ptr_array_index (cycles, cycle))->pub;
}

CdSlaClockState
cd_sla_clocks_get_state (CdSlaClocks *self,
                         guint        index)
{
  guint n = cd_sla_clocks_get_n_cycles (self, index);

  if (n == 0)
    return CD_SLA_CLOCK_PENDING;
  return cd_sla_clocks_get_cycle (self, index, n - 1)->state;
}

GPtrArray *
cd_sla_clocks_get_extensions (CdSlaClocks *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->extensions;
}

/* JSON {{{1 */

static void
add_instant (JsonBuilder   *builder,
             CdSlaCalendar *calendar,
             const char    *key,
             gint64         t)
{
  g_autofree char *text = NULL;

  json_builder_set_member_name (builder, key);
  if (t != CD_SLA_NEVER && t != CD_SLA_NEVER_BEFORE)
    text = cd_sla_calendar_format (calendar, t);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *key,
         gint64       value,
         gboolean     present)
{
  json_builder_set_member_name (builder, key);
  if (present)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_limit (JsonBuilder      *builder,
           const char       *key,
           const CdSlaLimit *limit)
{
  json_builder_set_member_name (builder, key);
  if (limit->unit == CD_SLA_LIMIT_NONE)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  switch (limit->unit)
    {
    case CD_SLA_LIMIT_WORKING_DAYS:
      json_builder_set_member_name (builder, "working_days");
      break;
    case CD_SLA_LIMIT_CALENDAR_DAYS:
      json_builder_set_member_name (builder, "calendar_days");
      break;
    case CD_SLA_LIMIT_SECONDS:
    case CD_SLA_LIMIT_NONE:
    default:
      json_builder_set_member_name (builder, "seconds");
      break;
    }
  json_builder_add_int_value (builder, limit->amount);
  json_builder_end_object (builder);
}

static void
add_cycle (JsonBuilder      *builder,
           CdSlaCalendar    *calendar,
           const CdSlaCycle *cycle,
           const Cycle      *priv)
{
  gboolean met = cycle->state == CD_SLA_CLOCK_MET;
  gboolean breached = cycle->state == CD_SLA_CLOCK_BREACHED;

  json_builder_begin_object (builder);
  add_int (builder, "cycle", cycle->number, TRUE);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, cd_sla_clock_state_to_string (cycle->state));
  add_int (builder, "policy_version", cycle->policy_version, TRUE);
  add_instant (builder, calendar, "started", cycle->started);
  add_instant (builder, calendar, "stopped", cycle->stopped);
  json_builder_set_member_name (builder, "stopped_by");
  if (cycle->stopped_by != NULL)
    json_builder_add_string_value (builder, cycle->stopped_by);
  else
    json_builder_add_null_value (builder);
  add_int (builder, "budget_seconds", cycle->budget, cycle->budget >= 0);
  add_int (builder, "elapsed_seconds", cycle->elapsed, TRUE);
  add_int (builder, "remaining_seconds", cycle->remaining, cycle->remaining >= 0);
  add_int (builder, "paused_seconds", cycle->paused, TRUE);
  add_instant (builder, calendar, "due", cycle->due);
  add_instant (builder, calendar, "due_without_pauses", priv->base_due);
  add_instant (builder, calendar, "at_risk_from", cycle->at_risk_from);
  add_instant (builder, calendar, "met_at", met ? cycle->judged : CD_SLA_NEVER);
  add_int (builder, "met_by_seconds", cycle->margin, met);
  add_instant (builder, calendar, "breached_at", breached ? cycle->judged : CD_SLA_NEVER);
  add_int (builder, "breached_by_seconds", cycle->margin, breached);
  add_int (builder, "late_seconds", cycle->late, breached);
  add_int (builder, "extensions", cycle->n_extensions, TRUE);
  json_builder_set_member_name (builder, "pauses");
  json_builder_begin_array (builder);
  for (guint p = 0; p < cycle->pauses->len; p++)
    {
      const CdSlaInterval *pause = &g_array_index (cycle->pauses, CdSlaInterval, p);

      json_builder_begin_object (builder);
      add_instant (builder, calendar, "start", pause->start);
      add_instant (builder, calendar, "end", pause->end);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

char *
cd_sla_clocks_to_json (CdSlaClocks *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  CdSlaCalendar *first;

  g_return_val_if_fail (self != NULL, NULL);

  first = g_ptr_array_index (self->calendars, 0);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "policy");
  json_builder_add_string_value (builder, cd_sla_policy_get_id (self->policy));
  add_int (builder, "policy_version", cd_sla_policy_get_version (self->policy), TRUE);
  add_instant (builder, first, "now", self->now);

  json_builder_set_member_name (builder, "targets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->cycles->len; i++)
    {
      const CdSlaTarget *target = cd_sla_policy_get_target (self->policy, i);
      CdSlaCalendar *calendar = g_ptr_array_index (self->calendars, i);
      GPtrArray *cycles = g_ptr_array_index (self->cycles, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, target->name);
      json_builder_set_member_name (builder, "calendar");
      json_builder_add_string_value (builder, target->calendar);
      add_limit (builder, "limit", &target->limit);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, cd_sla_clock_state_to_string (
                                                  cd_sla_clocks_get_state (self, i)));
      json_builder_set_member_name (builder, "cycles");
      json_builder_begin_array (builder);
      for (guint c = 0; c < cycles->len; c++)
        {
          const Cycle *cycle = g_ptr_array_index (cycles, c);

          add_cycle (builder, calendar, &cycle->pub, cycle);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "extensions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->extensions->len; i++)
    {
      const CdSlaExtension *record = g_ptr_array_index (self->extensions, i);
      int index = cd_sla_policy_find_target (self->policy, record->target);
      CdSlaCalendar *calendar = index >= 0 ? g_ptr_array_index (self->calendars, index) : first;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "target");
      json_builder_add_string_value (builder, record->target);
      add_instant (builder, calendar, "time", record->time);
      add_int (builder, "seconds", record->seconds, TRUE);
      add_int (builder, "days", record->days, TRUE);
      json_builder_set_member_name (builder, "verdict");
      json_builder_add_string_value (builder,
                                     cd_sla_extension_verdict_to_string (record->verdict));
      add_int (builder, "cycle", record->cycle, record->cycle > 0);
      add_instant (builder, calendar, "due_before", record->due_before);
      add_instant (builder, calendar, "due_after", record->due_after);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

/* Events from JSON {{{1 */

void
cd_sla_event_list_free (CdSlaEventList *list)
{
  if (list == NULL)
    return;
  g_free (list->events);
  if (list->strings != NULL)
    g_string_chunk_free (list->strings);
  g_free (list);
}

static gboolean
event_string (CdSlaEventList  *list,
              JsonObject      *object,
              const char      *key,
              guint            index,
              gboolean         nullable,
              const char     **out,
              GError         **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || (nullable && JSON_NODE_HOLDS_NULL (node)))
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                   "[%u].%s: expected a string%s", index, key,
                   nullable ? " or null" : "");
      return FALSE;
    }
  *out = g_string_chunk_insert_const (list->strings, json_node_get_string (node));
  return TRUE;
}

static gboolean
event_count (JsonObject  *object,
             const char  *key,
             guint        index,
             gint64       max,
             gint64      *out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = 0;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                   "[%u].%s: expected a whole number", index, key);
      return FALSE;
    }
  *out = json_node_get_int (node);
  if (*out < 0 || *out > max)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "[%u].%s: %" G_GINT64_FORMAT " is out of range (0 to %"
                   G_GINT64_FORMAT ")", index, key, *out, max);
      return FALSE;
    }
  return TRUE;
}

CdSlaEventList *
cd_sla_event_list_new_from_json (const char  *json,
                                 gssize       len,
                                 GError     **error)
{
  static const char * const keys[] = {
    "type", "time", "state", "target", "extend_seconds", "extend_days", NULL
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdSlaEventList) list = NULL;
  JsonNode *root;
  JsonArray *array;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, len, &local_error))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_JSON,
                   "the events are not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_JSON,
                           "the events must be a JSON array of objects");
      return NULL;
    }
  array = json_node_get_array (root);

  list = g_new0 (CdSlaEventList, 1);
  list->strings = g_string_chunk_new (256);
  list->n_events = json_array_get_length (array);
  list->events = g_new0 (CdSlaEvent, MAX (list->n_events, 1));

  for (guint i = 0; i < list->n_events; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      CdSlaEvent *event = &list->events[i];
      g_autoptr(GList) members = NULL;
      g_autoptr(GDateTime) when = NULL;
      JsonObject *object;
      const char *time_text;
      gint64 days;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                       "[%u]: expected an event object", i);
          return NULL;
        }
      object = json_node_get_object (node);
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        if (!g_strv_contains (keys, l->data))
          {
            g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_KEY,
                         "[%u].%s: unknown key (an event has type, time, state, "
                         "target, extend_seconds and extend_days)",
                         i, (const char *) l->data);
            return NULL;
          }
      for (guint k = 0; k < 2; k++)
        if (!json_object_has_member (object, keys[k]))
          {
            g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_MISSING_KEY,
                         "[%u].%s: missing", i, keys[k]);
            return NULL;
          }

      if (!event_string (list, object, "type", i, FALSE, &event->type, error)
          || !event_string (list, object, "time", i, FALSE, &time_text, error)
          || !event_string (list, object, "state", i, TRUE, &event->state, error)
          || !event_string (list, object, "target", i, TRUE, &event->target, error)
          || !event_count (object, "extend_seconds", i, G_MAXINT32, &event->extend_seconds, error)
          || !event_count (object, "extend_days", i, G_MAXINT32, &days, error))
        return NULL;
      event->extend_days = days;

      if (!cd_sla_action_is_known (event->type))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                       "[%u].type: “%s” is not a known action", i, event->type);
          return NULL;
        }
      if (event->state != NULL && !cd_sla_state_is_known (event->state))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                       "[%u].state: “%s” is not a known ticket state", i, event->state);
          return NULL;
        }
      when = g_date_time_new_from_iso8601 (time_text, NULL);
      if (when == NULL)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                       "[%u].time: “%s” is not an ISO 8601 time with an offset "
                       "or Z (e.g. 2026-03-02T09:00:00+03:00)", i, time_text);
          return NULL;
        }
      event->time = g_date_time_to_unix (when);
      if (i > 0 && event->time < list->events[i - 1].time)
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_EVENTS,
                       "[%u].time: earlier than the event before it (events "
                       "must be in time order)", i);
          return NULL;
        }
    }
  return g_steal_pointer (&list);
}
