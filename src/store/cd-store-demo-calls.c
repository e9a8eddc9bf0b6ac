// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-demo-calls.c: the demo's simulated PBX written into a store
 *
 * The model's lines go through the same reader as a real PBX's log
 * (CdQueueLog) and each call it ends through cd_store_add_call(), so the
 * demo's history exercises the importer. The model runs a day at a time,
 * and each day's calls are written in one transaction: a year is a few
 * hundred commits of a few thousand calls, neither one commit per call nor
 * one transaction the size of the year.
 */

#include "config.h"

#include "cd-queue-log.h"
#include "cd-store-calls.h"
#include "cd-store-demo-calls.h"

#define SLICE (24 * 3600)

typedef struct
{
  CdQueueLog        *log;
  CdDemoPbxLineFunc  tee;
  gpointer           tee_data;
} Feed;

static void
on_line (gint64      time,
         const char *line,
         gsize       length,
         gpointer    user_data)
{
  Feed *feed = user_data;

  cd_queue_log_feed (feed->log, line, length);
  if (feed->tee != NULL)
    feed->tee (time, line, length, feed->tee_data);
}

static gboolean
add_slice (CdStore    *store,
           GPtrArray  *calls,
           guint64    *n_added,
           GError    **error)
{
  if (calls->len == 0)
    return TRUE;
  if (!cd_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < calls->len; i++)
    {
      gboolean added = FALSE;

      if (!cd_store_add_call (store, calls->pdata[i], &added, error))
        {
          cd_store_rollback (store);
          return FALSE;
        }
      *n_added += added;
    }
  return cd_store_commit (store, error);
}

/**
 * cd_store_demo_add_calls:
 * @store: a store, not in a transaction
 * @pbx: the model, run from where it is to @until
 * @until: Unix seconds: the lines before it are read
 * @seed: the city's seed, from which the salts of the callers' numbers
 *   are derived (the same seed, the same journal); 0 for random salts
 * @tee: (nullable): also given every line, e.g. to write a queue_log file
 * @tee_data: for @tee
 * @n_added: (out): the calls journaled
 * @error: a #CD_STORE_ERROR
 *
 * Runs the model and journals each call that ends before @until. Calls
 * still open then are left to whoever reads the model's later lines (the
 * live server's follower finds their entry from their end).
 *
 * Returns: whether every call was written; on failure the days written
 *   before stay
 */
gboolean
cd_store_demo_add_calls (CdStore            *store,
                         CdDemoPbx          *pbx,
                         gint64              until,
                         guint64             seed,
                         CdDemoPbxLineFunc   tee,
                         gpointer            tee_data,
                         guint64            *n_added,
                         GError            **error)
{
  g_autoptr(CdQueueLog) log = cd_queue_log_new (CD_QUEUE_LOG_FLAT);
  Feed feed = { log, tee, tee_data };
  gboolean ok = TRUE;

  g_return_val_if_fail (CD_IS_STORE (store), FALSE);
  g_return_val_if_fail (pbx != NULL, FALSE);

  *n_added = 0;
  if (!cd_store_set_bulk (store, TRUE, error))
    return FALSE;
  cd_store_seed_salts (store, seed != 0, seed);
  while (ok && cd_demo_pbx_get_time (pbx) < until)
    {
      g_autoptr(GPtrArray) calls = NULL;
      g_autoptr(GPtrArray) problems = NULL;

      cd_demo_pbx_advance (pbx, MIN (until, cd_demo_pbx_get_time (pbx) + SLICE), on_line, &feed);
      calls = cd_queue_log_take_calls (log);
      problems = cd_queue_log_take_problems (log);
      /* The model writes only what the reader reads: a problem is a bug. */
      if (problems->len > 0)
        {
          CdQueueLogProblem *p = problems->pdata[0];

          g_critical ("The demo's PBX wrote a line the reader refused: %s", p->message);
        }
      ok = add_slice (store, calls, n_added, error);
    }
  cd_store_seed_salts (store, FALSE, 0);
  if (!ok)
    {
      cd_store_set_bulk (store, FALSE, NULL);
      return FALSE;
    }
  return cd_store_set_bulk (store, FALSE, error);
}
