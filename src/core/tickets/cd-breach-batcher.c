// SPDX-License-Identifier: GPL-3.0-or-later
//
// Which new breaches deserve a desktop notification, and when. A
// supervisor wants to hear "7 new breaches at ZhES-4" once, not seven
// pop-ups, and nothing at 3 a.m. for a target whose calendar is closed:
// - the first scan only learns what is already overdue (no storm at start);
// - a breach is announced once, when its target's calendar is working;
// - each executor gets at most one notification per quiet period, the
//   breaches in between wait and go out together;
// - a ticket that stops being overdue (resolved, extended) is forgotten, so
//   that breaching again is news again.

#include "config.h"

#include "cd-breach-batcher.h"

struct _CdBreachBatcher
{
  gint64      quiet_seconds;
  gboolean    primed;
  GHashTable *announced;   /* number → TRUE: known, announced or seen at start */
  GHashTable *waiting;     /* executor → GPtrArray of numbers not yet sent */
  GHashTable *last_sent;   /* executor → gint64* */
};

void
cd_breach_batch_free (CdBreachBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->executor);
  g_ptr_array_unref (batch->numbers);
  g_free (batch);
}

/**
 * cd_breach_batcher_new:
 * @quiet_seconds: the least time between two notifications for one executor
 */
CdBreachBatcher *
cd_breach_batcher_new (gint64 quiet_seconds)
{
  CdBreachBatcher *self = g_new0 (CdBreachBatcher, 1);

  self->quiet_seconds = quiet_seconds;
  self->announced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->last_sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
cd_breach_batcher_free (CdBreachBatcher *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->announced);
  g_hash_table_unref (self->waiting);
  g_hash_table_unref (self->last_sent);
  g_free (self);
}

static gboolean
not_in (gpointer key,
        gpointer value,
        gpointer user_data)
{
  return !g_hash_table_contains (user_data, key);
}

static void
drop_gone (GPtrArray  *numbers,
           GHashTable *current)
{
  for (guint i = numbers->len; i > 0; i--)
    if (!g_hash_table_contains (current, g_ptr_array_index (numbers, i - 1)))
      g_ptr_array_remove_index (numbers, i - 1);
}

/**
 * cd_breach_batcher_update:
 * @self: a batcher
 * @seen: (array length=n_seen): every ticket overdue now
 * @n_seen: their count
 * @now: Unix seconds
 *
 * Returns: (transfer full) (element-type CdBreachBatch): the notifications
 *   to send now, one per executor, in executor order
 */
GPtrArray *
cd_breach_batcher_update (CdBreachBatcher    *self,
                          const CdBreachSeen *seen,
                          guint               n_seen,
                          gint64              now)
{
  g_autoptr(GHashTable) current = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GList) executors = NULL;
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_breach_batch_free);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (self != NULL, batches);

  for (guint i = 0; i < n_seen; i++)
    g_hash_table_add (current, (gpointer) seen[i].number);

  /* No longer overdue: forgotten, and no longer waiting to be told. */
  g_hash_table_foreach_remove (self->announced, not_in, current);
  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &key, &value))
    drop_gone (value, current);

  for (guint i = 0; i < n_seen; i++)
    {
      const char *executor = seen[i].executor != NULL ? seen[i].executor : "";
      GPtrArray *numbers;

      if (g_hash_table_contains (self->announced, seen[i].number))
        continue;
      if (self->primed && !seen[i].working)
        continue;   /* told when its calendar opens */

      g_hash_table_add (self->announced, g_strdup (seen[i].number));
      if (!self->primed)
        continue;

      numbers = g_hash_table_lookup (self->waiting, executor);
      if (numbers == NULL)
        {
          numbers = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (self->waiting, g_strdup (executor), numbers);
        }
      g_ptr_array_add (numbers, g_strdup (seen[i].number));
    }
  self->primed = TRUE;

  executors = g_hash_table_get_keys (self->waiting);
  executors = g_list_sort (executors, (GCompareFunc) g_strcmp0);
  for (GList *l = executors; l != NULL; l = l->next)
    {
      GPtrArray *numbers = g_hash_table_lookup (self->waiting, l->data);
      gint64 *last = g_hash_table_lookup (self->last_sent, l->data);
      CdBreachBatch *batch;

      if (numbers->len == 0 || (last != NULL && now - *last < self->quiet_seconds))
        continue;

      batch = g_new0 (CdBreachBatch, 1);
      batch->executor = g_strdup (l->data);
      batch->numbers = g_ptr_array_ref (numbers);
      g_ptr_array_add (batches, batch);

      if (last == NULL)
        {
          last = g_new (gint64, 1);
          g_hash_table_insert (self->last_sent, g_strdup (l->data), last);
        }
      *last = now;
      g_hash_table_insert (self->waiting, g_strdup (l->data),
                           g_ptr_array_new_with_free_func (g_free));
    }

  return batches;
}
