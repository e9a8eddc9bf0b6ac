// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-login-throttle.c: failed logins counted by key
 *
 * The server keeps two throttles, one keyed by account name and one by
 * client address, and a login goes ahead only when both let it. Each key
 * counts its failures and the attempts in flight:
 *
 * - below the threshold, an attempt goes ahead as long as the failures
 *   and the attempts in flight stay below it (a burst of parallel guesses
 *   is cut at the threshold too), and the answer to a failure is delayed,
 *   more with each failure (cd_login_throttle_delay());
 * - at the threshold and beyond, each failure locks the key for a time
 *   that doubles with each failure; while locked, attempts are refused
 *   with the time left, and once the lockout is over one attempt at a
 *   time goes ahead.
 *
 * A success resets the account's key (the server keeps the address's
 * count: one good account must not launder an address's guesses at
 * others). A key is forgotten some time after its last failure and
 * lockout. Memory is bounded: beyond the capacity the least recently used
 * key goes, in constant time (a hash table and a list in order of use).
 * Times are the caller's monotonic microseconds: nothing here reads a
 * clock.
 */

#include "config.h"

#include "cd-login-throttle.h"

typedef struct
{
  char   *key;
  guint   failures;
  guint   pending;
  gint64  last_failure;
  gint64  locked_until;
  GList   link;
} Entry;

struct _CdLoginThrottle
{
  CdLoginThrottleLimits  limits;
  GHashTable            *entries;
  /* Least recently used first. */
  GQueue                 order;
};

/**
 * cd_login_throttle_limits_init:
 * @limits: (out): the defaults: 5 failures, lockouts from 30 s doubling
 *   up to 15 min, delays from 250 ms doubling up to 4 s, forgotten after
 *   15 min, 10,000 keys
 */
void
cd_login_throttle_limits_init (CdLoginThrottleLimits *limits)
{
  limits->threshold = 5;
  limits->lockout_us = 30 * G_USEC_PER_SEC;
  limits->max_lockout_us = 15 * 60 * G_USEC_PER_SEC;
  limits->delay_us = 250 * 1000;
  limits->max_delay_us = 4 * G_USEC_PER_SEC;
  limits->forget_us = 15 * 60 * G_USEC_PER_SEC;
  limits->capacity = 10000;
}

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_free (entry);
}

CdLoginThrottle *
cd_login_throttle_new (const CdLoginThrottleLimits *limits)
{
  CdLoginThrottle *self = g_new0 (CdLoginThrottle, 1);

  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (limits->threshold > 0 && limits->capacity > 0, NULL);

  self->limits = *limits;
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  g_queue_init (&self->order);
  return self;
}

void
cd_login_throttle_free (CdLoginThrottle *self)
{
  if (self == NULL)
    return;
  /* The list's links live in the entries, freed with the table. */
  g_queue_init (&self->order);
  g_hash_table_unref (self->entries);
  g_free (self);
}

static void
remove_entry (CdLoginThrottle *self,
              Entry           *entry)
{
  g_queue_unlink (&self->order, &entry->link);
  g_hash_table_remove (self->entries, entry->key);
}

static void
touch (CdLoginThrottle *self,
       Entry           *entry)
{
  g_queue_unlink (&self->order, &entry->link);
  g_queue_push_tail_link (&self->order, &entry->link);
}

static Entry *
lookup (CdLoginThrottle *self,
        const char      *key,
        gboolean         create)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL || !create)
    return entry;
  while (g_hash_table_size (self->entries) >= self->limits.capacity)
    remove_entry (self, g_queue_peek_head (&self->order));
  entry = g_new0 (Entry, 1);
  entry->key = g_strdup (key);
  entry->link.data = entry;
  g_hash_table_insert (self->entries, entry->key, entry);
  g_queue_push_tail_link (&self->order, &entry->link);
  return entry;
}

static gint64
lockout (CdLoginThrottle *self,
         guint            failures)
{
  guint doublings = failures - self->limits.threshold;
  gint64 time = self->limits.lockout_us;

  for (guint i = 0; i < doublings && time < self->limits.max_lockout_us; i++)
    time *= 2;
  return MIN (time, self->limits.max_lockout_us);
}

/**
 * cd_login_throttle_begin:
 * @self: a throttle
 * @key: an account or an address
 * @now_us: monotonic microseconds
 * @retry_after_us: (out): when refused, how long until an attempt may
 *   go ahead
 *
 * Asks whether an attempt may go ahead; if so, it counts as in flight
 * until cd_login_throttle_fail(), cd_login_throttle_succeed() or
 * cd_login_throttle_abandon().
 *
 * Returns: whether the attempt may go ahead
 */
gboolean
cd_login_throttle_begin (CdLoginThrottle *self,
                         const char      *key,
                         gint64           now_us,
                         gint64          *retry_after_us)
{
  Entry *entry = lookup (self, key, TRUE);
  gboolean allowed;

  *retry_after_us = 0;
  if (entry->pending == 0 && entry->failures > 0 &&
      now_us - MAX (entry->last_failure, entry->locked_until) > self->limits.forget_us)
    {
      entry->failures = 0;
      entry->locked_until = 0;
    }

  if (entry->failures >= self->limits.threshold)
    {
      if (now_us < entry->locked_until)
        *retry_after_us = entry->locked_until - now_us;
      else if (entry->pending > 0)
        *retry_after_us = G_USEC_PER_SEC;
    }
  else if (entry->failures + entry->pending >= self->limits.threshold)
    *retry_after_us = G_USEC_PER_SEC;

  allowed = *retry_after_us == 0;
  if (allowed)
    entry->pending++;
  touch (self, entry);
  return allowed;
}

/**
 * cd_login_throttle_abandon:
 * @self: a throttle
 * @key: a key whose attempt went ahead
 *
 * The attempt stopped before its outcome (the other throttle refused it).
 */
void
cd_login_throttle_abandon (CdLoginThrottle *self,
                           const char      *key)
{
  Entry *entry = lookup (self, key, FALSE);

  if (entry != NULL && entry->pending > 0)
    entry->pending--;
}

/**
 * cd_login_throttle_fail:
 * @self: a throttle
 * @key: a key whose attempt failed
 * @now_us: monotonic microseconds
 *
 * Returns: the key's failures, this one included
 */
guint
cd_login_throttle_fail (CdLoginThrottle *self,
                        const char      *key,
                        gint64           now_us)
{
  /* The key may have been forgotten meanwhile for want of room. */
  Entry *entry = lookup (self, key, TRUE);

  if (entry->pending > 0)
    entry->pending--;
  if (entry->failures < G_MAXUINT)
    entry->failures++;
  entry->last_failure = now_us;
  if (entry->failures >= self->limits.threshold)
    entry->locked_until = now_us + lockout (self, entry->failures);
  touch (self, entry);
  return entry->failures;
}

/**
 * cd_login_throttle_succeed:
 * @self: a throttle
 * @key: a key whose attempt succeeded
 * @reset: whether the success clears the key's failures
 */
void
cd_login_throttle_succeed (CdLoginThrottle *self,
                           const char      *key,
                           gboolean         reset)
{
  Entry *entry = lookup (self, key, FALSE);

  if (entry == NULL)
    return;
  if (entry->pending > 0)
    entry->pending--;
  if (reset)
    {
      entry->failures = 0;
      entry->locked_until = 0;
    }
  if (entry->pending == 0 && entry->failures == 0)
    remove_entry (self, entry);
}

/**
 * cd_login_throttle_delay:
 * @self: a throttle
 * @failures: a key's failures, as cd_login_throttle_fail() returned
 *
 * Returns: how long to hold the answer to that failure, in microseconds:
 *   none for the first, then doubling up to the limit; none from the
 *   threshold on, where lockouts take over
 */
gint64
cd_login_throttle_delay (CdLoginThrottle *self,
                         guint            failures)
{
  gint64 delay = self->limits.delay_us;

  if (failures <= 1 || failures >= self->limits.threshold)
    return 0;
  for (guint i = 2; i < failures && delay < self->limits.max_delay_us; i++)
    delay *= 2;
  return MIN (delay, self->limits.max_delay_us);
}

/**
 * cd_login_throttle_get_size:
 * @self: a throttle
 *
 * Returns: how many keys it holds (at most its capacity)
 */
guint
cd_login_throttle_get_size (CdLoginThrottle *self)
{
  return g_hash_table_size (self->entries);
}
