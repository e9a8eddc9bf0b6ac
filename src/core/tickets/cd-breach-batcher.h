// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CdBreachSeen:
 * @number: a ticket past its deadline
 * @executor: (nullable): the organization it waits for
 * @working: whether the breached target's calendar is working now
 *
 * One overdue ticket, as a scan of the cache found it.
 */
typedef struct
{
  const char *number;
  const char *executor;
  gboolean    working;
} CdBreachSeen;

/**
 * CdBreachBatch:
 * @executor: the organization, or "" for tickets without one
 * @numbers: (element-type utf8): the newly breached tickets, oldest scan first
 *
 * One notification's worth: "7 new breaches at ZhES-4".
 */
typedef struct
{
  char      *executor;
  GPtrArray *numbers;
} CdBreachBatch;

void cd_breach_batch_free (CdBreachBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdBreachBatch, cd_breach_batch_free)

typedef struct _CdBreachBatcher CdBreachBatcher;

CdBreachBatcher *cd_breach_batcher_new    (gint64              quiet_seconds);
void             cd_breach_batcher_free   (CdBreachBatcher    *self);
GPtrArray       *cd_breach_batcher_update (CdBreachBatcher    *self,
                                           const CdBreachSeen *seen,
                                           guint               n_seen,
                                           gint64              now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdBreachBatcher, cd_breach_batcher_free)

G_END_DECLS
