// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-snapshot.c: the contact centre's queue as it is now
 *
 * The JSON is the stream message's `snapshot` (docs/api.md, "The
 * stream"). A desktop reads it from a server it trusts, but a server may
 * be older, newer or broken: every member is checked, and the first that
 * is wrong is named rather than guessed at.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cd-queue-snapshot.h"

G_DEFINE_QUARK (cd-queue-snapshot-error-quark, cd_queue_snapshot_error)

static const char * const state_names[CD_N_AGENT_STATES] = {
  [CD_AGENT_LOGGED_OFF] = "logged_off",
  [CD_AGENT_AVAILABLE] = "available",
  [CD_AGENT_ON_CALL] = "on_call",
  [CD_AGENT_WRAP_UP] = "wrap_up",
  [CD_AGENT_PAUSED] = "paused",
};

const char *
cd_agent_state_to_string (CdAgentState state)
{
  g_return_val_if_fail (state < CD_N_AGENT_STATES, NULL);
  return state_names[state];
}

gboolean
cd_agent_state_from_string (const char   *text,
                            CdAgentState *state)
{
  for (guint i = 0; i < CD_N_AGENT_STATES; i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

void
cd_queue_agent_free (CdQueueAgent *agent)
{
  if (agent == NULL)
    return;
  g_free (agent->agent);
  g_free (agent->reason);
  g_free (agent->call);
  g_free (agent->queue);
  g_free (agent);
}

void
cd_queue_waiter_free (CdQueueWaiter *waiter)
{
  if (waiter == NULL)
    return;
  g_free (waiter->call);
  g_free (waiter->queue);
  g_free (waiter);
}

/**
 * cd_queue_snapshot_new:
 *
 * Returns: (transfer full): an empty snapshot: nobody waiting, no
 *   operator, the default target (40 s) and goal (80 %)
 */
CdQueueSnapshot *
cd_queue_snapshot_new (void)
{
  CdQueueSnapshot *self = g_new0 (CdQueueSnapshot, 1);

  self->target = 40;
  self->goal = 0.8;
  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_queue_waiter_free);
  self->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_queue_agent_free);
  self->staffed = g_array_new (FALSE, TRUE, sizeof (CdQueueStaffed));
  return self;
}

void
cd_queue_snapshot_free (CdQueueSnapshot *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->waiting);
  g_ptr_array_unref (self->agents);
  g_array_unref (self->staffed);
  g_free (self);
}

guint
cd_queue_snapshot_count_agents (const CdQueueSnapshot *self,
                                CdAgentState           state)
{
  guint n = 0;

  for (guint i = 0; i < self->agents->len; i++)
    n += ((CdQueueAgent *) g_ptr_array_index (self->agents, i))->state == state;
  return n;
}

/* At the snapshot's own time, so that every client shows the same figure
 * whatever its clock says. */
gint64
cd_queue_snapshot_longest_wait (const CdQueueSnapshot *self)
{
  gint64 longest = 0;

  for (guint i = 0; i < self->waiting->len; i++)
    {
      const CdQueueWaiter *waiter = g_ptr_array_index (self->waiting, i);

      longest = MAX (longest, self->time - waiter->entered_at);
    }
  return longest;
}

/* Writing {{{1 */

static void
set_text (JsonObject *object,
          const char *name,
          const char *text)
{
  if (text != NULL)
    json_object_set_string_member (object, name, text);
}

static JsonObject *
today_to_json (const CdCallInterval *today)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "start", today->start);
  json_object_set_int_member (object, "end", today->end);
  json_object_set_int_member (object, "offered", today->offered);
  json_object_set_int_member (object, "answered", today->answered);
  json_object_set_int_member (object, "answered_within", today->answered_within);
  json_object_set_int_member (object, "abandoned", today->abandoned);
  json_object_set_int_member (object, "abandoned_within", today->abandoned_within);
  json_object_set_int_member (object, "short_abandoned", today->short_abandoned);
  json_object_set_int_member (object, "other", today->other);
  json_object_set_int_member (object, "answered_wait", today->answered_wait);
  json_object_set_int_member (object, "handle", today->handle);
  json_object_set_int_member (object, "longest_wait", today->longest_wait);
  return object;
}

/**
 * cd_queue_snapshot_to_json:
 * @self: a snapshot
 *
 * The stream message's `snapshot` (docs/api.md). Members without a value
 * (a pause without a reason, an operator on no call) are left out.
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
cd_queue_snapshot_to_json (const CdQueueSnapshot *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *waiting = json_array_new ();
  JsonArray *agents = json_array_new ();
  JsonArray *staffed = json_array_new ();

  json_object_set_int_member (object, "time", self->time);
  json_object_set_int_member (object, "day_start", self->day_start);
  json_object_set_int_member (object, "target", self->target);
  json_object_set_double_member (object, "goal", self->goal);
  for (guint i = 0; i < self->waiting->len; i++)
    {
      const CdQueueWaiter *waiter = g_ptr_array_index (self->waiting, i);
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "call", waiter->call);
      json_object_set_string_member (row, "queue", waiter->queue);
      json_object_set_int_member (row, "entered_at", waiter->entered_at);
      json_array_add_object_element (waiting, row);
    }
  json_object_set_array_member (object, "waiting", waiting);
  for (guint i = 0; i < self->agents->len; i++)
    {
      const CdQueueAgent *agent = g_ptr_array_index (self->agents, i);
      JsonObject *row = json_object_new ();

      json_object_set_string_member (row, "agent", agent->agent);
      json_object_set_string_member (row, "state", cd_agent_state_to_string (agent->state));
      json_object_set_int_member (row, "since", agent->since);
      set_text (row, "reason", agent->reason);
      set_text (row, "call", agent->call);
      set_text (row, "queue", agent->queue);
      json_object_set_int_member (row, "handled", agent->handled);
      json_object_set_int_member (row, "handle", agent->handle);
      json_object_set_int_member (row, "missed", agent->missed);
      json_array_add_object_element (agents, row);
    }
  json_object_set_array_member (object, "agents", agents);
  json_object_set_object_member (object, "today", today_to_json (&self->today));
  for (guint i = 0; i < self->staffed->len; i++)
    {
      const CdQueueStaffed *s = &g_array_index (self->staffed, CdQueueStaffed, i);
      JsonObject *row = json_object_new ();

      json_object_set_int_member (row, "start", s->start);
      json_object_set_double_member (row, "staffed", s->staffed);
      json_array_add_object_element (staffed, row);
    }
  json_object_set_array_member (object, "staffed", staffed);
  json_object_set_int_member (object, "missed_waiting", self->missed_waiting);
  json_object_set_int_member (object, "oldest_missed_due", self->oldest_missed_due);
  return object;
}

/* Reading {{{1 */

static gboolean
invalid (GError     **error,
         const char  *prefix,
         const char  *name)
{
  g_autofree char *path = g_strconcat (prefix, name, NULL);

  g_set_error (error, CD_QUEUE_SNAPSHOT_ERROR, CD_QUEUE_SNAPSHOT_ERROR_INVALID,
               _("The queue snapshot’s “%s” is missing or malformed."), path);
  return FALSE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *prefix,
         const char  *name,
         gint64       max,
         gint64      *value,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > max)
    return invalid (error, prefix, name);
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_time (JsonObject  *object,
          const char  *prefix,
          const char  *name,
          gint64      *value,
          GError     **error)
{
  return get_int (object, prefix, name, G_MAXINT64, value, error);
}

static gboolean
get_count (JsonObject  *object,
           const char  *prefix,
           const char  *name,
           guint       *value,
           GError     **error)
{
  gint64 v;

  if (!get_int (object, prefix, name, G_MAXUINT, &v, error))
    return FALSE;
  *value = (guint) v;
  return TRUE;
}

static gboolean
get_double (JsonObject  *object,
            const char  *prefix,
            const char  *name,
            double       max,
            double      *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  double v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return invalid (error, prefix, name);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    v = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    v = json_node_get_double (node);
  else
    return invalid (error, prefix, name);
  if (!isfinite (v) || v < 0 || v > max)
    return invalid (error, prefix, name);
  *value = v;
  return TRUE;
}

/* A string member, or NULL when absent or null and not @required. */
static gboolean
get_text (JsonObject  *object,
          const char  *prefix,
          const char  *name,
          gboolean     required,
          char       **value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      (required && *json_node_get_string (node) == '\0'))
    return invalid (error, prefix, name);
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static JsonArray *
get_array (JsonObject  *object,
           const char  *name,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      invalid (error, "", name);
      return NULL;
    }
  return json_node_get_array (node);
}

/* The @i-th element of @array if it is an object. */
static JsonObject *
get_row (JsonArray   *array,
         const char  *name,
         guint        i,
         char       **prefix,
         GError     **error)
{
  JsonNode *node = json_array_get_element (array, i);

  g_free (*prefix);
  *prefix = g_strdup_printf ("%s[%u].", name, i);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *element = g_strdup_printf ("%s[%u]", name, i);

      invalid (error, "", element);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_waiting (CdQueueSnapshot  *self,
              JsonObject       *object,
              GError          **error)
{
  JsonArray *array = get_array (object, "waiting", error);
  g_autofree char *prefix = NULL;

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = get_row (array, "waiting", i, &prefix, error);
      CdQueueWaiter *waiter;

      if (row == NULL)
        return FALSE;
      waiter = g_new0 (CdQueueWaiter, 1);
      g_ptr_array_add (self->waiting, waiter);
      if (!get_text (row, prefix, "call", TRUE, &waiter->call, error) ||
          !get_text (row, prefix, "queue", TRUE, &waiter->queue, error) ||
          !get_time (row, prefix, "entered_at", &waiter->entered_at, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_agents (CdQueueSnapshot  *self,
             JsonObject       *object,
             GError          **error)
{
  JsonArray *array = get_array (object, "agents", error);
  g_autofree char *prefix = NULL;

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = get_row (array, "agents", i, &prefix, error);
      g_autofree char *state = NULL;
      CdQueueAgent *agent;

      if (row == NULL)
        return FALSE;
      agent = g_new0 (CdQueueAgent, 1);
      g_ptr_array_add (self->agents, agent);
      if (!get_text (row, prefix, "agent", TRUE, &agent->agent, error) ||
          !get_text (row, prefix, "state", TRUE, &state, error))
        return FALSE;
      if (!cd_agent_state_from_string (state, &agent->state))
        return invalid (error, prefix, "state");
      if (!get_time (row, prefix, "since", &agent->since, error) ||
          !get_text (row, prefix, "reason", FALSE, &agent->reason, error) ||
          !get_text (row, prefix, "call", FALSE, &agent->call, error) ||
          !get_text (row, prefix, "queue", FALSE, &agent->queue, error) ||
          !get_count (row, prefix, "handled", &agent->handled, error) ||
          !get_time (row, prefix, "handle", &agent->handle, error) ||
          !get_count (row, prefix, "missed", &agent->missed, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_today (CdQueueSnapshot  *self,
            JsonObject       *object,
            GError          **error)
{
  JsonNode *node = json_object_get_member (object, "today");
  CdCallInterval *t = &self->today;
  JsonObject *today;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "", "today");
  today = json_node_get_object (node);
  return get_time (today, "today.", "start", &t->start, error) &&
         get_time (today, "today.", "end", &t->end, error) &&
         get_count (today, "today.", "offered", &t->offered, error) &&
         get_count (today, "today.", "answered", &t->answered, error) &&
         get_count (today, "today.", "answered_within", &t->answered_within, error) &&
         get_count (today, "today.", "abandoned", &t->abandoned, error) &&
         get_count (today, "today.", "abandoned_within", &t->abandoned_within, error) &&
         get_count (today, "today.", "short_abandoned", &t->short_abandoned, error) &&
         get_count (today, "today.", "other", &t->other, error) &&
         get_time (today, "today.", "answered_wait", &t->answered_wait, error) &&
         get_time (today, "today.", "handle", &t->handle, error) &&
         get_time (today, "today.", "longest_wait", &t->longest_wait, error);
}

static gboolean
read_staffed (CdQueueSnapshot  *self,
              JsonObject       *object,
              GError          **error)
{
  JsonArray *array = get_array (object, "staffed", error);
  g_autofree char *prefix = NULL;

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = get_row (array, "staffed", i, &prefix, error);
      CdQueueStaffed s = { 0, };

      if (row == NULL ||
          !get_time (row, prefix, "start", &s.start, error) ||
          !get_double (row, prefix, "staffed", G_MAXUINT, &s.staffed, error))
        return FALSE;
      g_array_append_val (self->staffed, s);
    }
  return TRUE;
}

/**
 * cd_queue_snapshot_new_from_json:
 * @object: a stream message's `snapshot`, as cd_json_parse() read it
 * @error: a #CD_QUEUE_SNAPSHOT_ERROR_INVALID naming the first member that
 *   is missing or malformed (`agents[2].state`)
 *
 * Reads back what cd_queue_snapshot_to_json() wrote. Members it does not
 * know are left alone, so that a newer server's snapshot is still read.
 *
 * Returns: (transfer full): the snapshot, or %NULL
 */
CdQueueSnapshot *
cd_queue_snapshot_new_from_json (JsonObject  *object,
                                 GError     **error)
{
  g_autoptr(CdQueueSnapshot) self = cd_queue_snapshot_new ();

  g_return_val_if_fail (object != NULL, NULL);

  if (!get_time (object, "", "time", &self->time, error) ||
      !get_time (object, "", "day_start", &self->day_start, error) ||
      !get_time (object, "", "target", &self->target, error) ||
      !get_double (object, "", "goal", 1.0, &self->goal, error) ||
      !read_waiting (self, object, error) ||
      !read_agents (self, object, error) ||
      !read_today (self, object, error) ||
      !read_staffed (self, object, error) ||
      !get_count (object, "", "missed_waiting", &self->missed_waiting, error) ||
      !get_time (object, "", "oldest_missed_due", &self->oldest_missed_due, error))
    return NULL;
  return g_steal_pointer (&self);
}
