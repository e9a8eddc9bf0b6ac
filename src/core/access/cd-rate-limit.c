// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-rate-limit.c: token buckets for all clients and for each key
 *
 * A bucket holds up to twice its rate in tokens and gains its rate each
 * second; a request takes one. A request is allowed only when both the
 * shared bucket and its key's bucket have a token, and then takes one
 * from each, so that a refused request costs nobody anything.
 */

#include "config.h"

#include "cd-rate-limit.h"

typedef struct
{
  double tokens;
  gint64 last_us;
} Bucket;

struct _CdRateLimit
{
  double      rate;
  double      rate_per_key;
  guint       capacity;
  Bucket      all;
  GHashTable *keys;
};

/* Fills @bucket for the time since it was last looked at. */
static void
refill (Bucket *bucket,
        double  rate,
        gint64  now_us)
{
  if (bucket->last_us == 0 || now_us < bucket->last_us)
    bucket->tokens = 2 * rate;
  else
    bucket->tokens = MIN (2 * rate, bucket->tokens + rate * (double) (now_us - bucket->last_us) /
                                                         G_USEC_PER_SEC);
  bucket->last_us = now_us;
}

/* Microseconds until @bucket holds a whole token. */
static gint64
wait_us (const Bucket *bucket,
         double        rate)
{
  return (gint64) ((1.0 - bucket->tokens) / rate * G_USEC_PER_SEC) + 1;
}

/**
 * cd_rate_limit_new:
 * @rate: requests a second for all clients together
 * @rate_per_key: requests a second for one key
 * @capacity: the most keys remembered
 *
 * Returns: (transfer full): a limit with full buckets
 */
CdRateLimit *
cd_rate_limit_new (double rate,
                   double rate_per_key,
                   guint  capacity)
{
  CdRateLimit *self;

  g_return_val_if_fail (rate > 0 && rate_per_key > 0 && capacity > 0, NULL);

  self = g_new0 (CdRateLimit, 1);
  self->rate = rate;
  self->rate_per_key = rate_per_key;
  self->capacity = capacity;
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
cd_rate_limit_free (CdRateLimit *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->keys);
  g_free (self);
}

/**
 * cd_rate_limit_take:
 * @self: a limit
 * @key: who asks (a client's address)
 * @now_us: a monotonic time in microseconds
 * @retry_after_us: (out) (optional): when refused, how long until the
 *   request would be allowed
 *
 * Returns: whether the request is allowed (a token was taken)
 */
gboolean
cd_rate_limit_take (CdRateLimit *self,
                    const char  *key,
                    gint64       now_us,
                    gint64      *retry_after_us)
{
  Bucket *bucket;
  gint64 wait = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  bucket = g_hash_table_lookup (self->keys, key);
  if (bucket == NULL)
    {
      if (g_hash_table_size (self->keys) >= self->capacity)
        g_hash_table_remove_all (self->keys);
      bucket = g_new0 (Bucket, 1);
      g_hash_table_insert (self->keys, g_strdup (key), bucket);
    }

  refill (&self->all, self->rate, now_us);
  refill (bucket, self->rate_per_key, now_us);
  if (bucket->tokens < 1.0)
    wait = wait_us (bucket, self->rate_per_key);
  if (self->all.tokens < 1.0)
    wait = MAX (wait, wait_us (&self->all, self->rate));
  if (retry_after_us != NULL)
    *retry_after_us = wait;
  if (wait > 0)
    return FALSE;
  bucket->tokens -= 1.0;
  self->all.tokens -= 1.0;
  return TRUE;
}

/**
 * cd_rate_limit_get_size:
 * @self: a limit
 *
 * Returns: how many keys it remembers
 */
guint
cd_rate_limit_get_size (CdRateLimit *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->keys);
}
