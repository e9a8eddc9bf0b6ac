// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-state.h: the live queue, folded from queue_log records
 *
 * The queue_log reader (cd-queue-log.h) gives each record it reads, and
 * each call that ends, to a state set on it: who waits, what each
 * operator is doing and since when, today's figures. A snapshot
 * (cd-queue-snapshot.h) is taken from it at any time. Pure: no clock of
 * its own, the times are the records' and the caller's.
 */

#pragma once

#include "cd-call-stats.h"
#include "cd-queue-snapshot.h"

G_BEGIN_DECLS

/* A hostile or broken log could name any number of operators, or open
 * calls that never end: past these, new ones are not followed (their
 * calls are still counted in today's figures when they end). */
#define CD_QUEUE_STATE_MAX_AGENTS 1000
#define CD_QUEUE_STATE_MAX_WAITING 1000

/* The staffed series' intervals (seconds). */
#define CD_QUEUE_STATE_INTERVAL 900

typedef struct _CdQueueState CdQueueState;

CdQueueState    *cd_queue_state_new          (GTimeZone               *zone);
void             cd_queue_state_free         (CdQueueState            *self);
void             cd_queue_state_set_wrap_up  (CdQueueState            *self,
                                              gint64                   seconds);
void             cd_queue_state_set_limits   (CdQueueState            *self,
                                              const CdCallStatsLimits *limits,
                                              double                   goal);
void             cd_queue_state_apply        (CdQueueState            *self,
                                              gint64                   time,
                                              const char              *callid,
                                              const char              *queue,
                                              const char              *agent,
                                              const char              *verb,
                                              const char * const      *data,
                                              guint                    n_data);
void             cd_queue_state_add_call     (CdQueueState            *self,
                                              const CdCall            *call);
CdQueueSnapshot *cd_queue_state_snapshot     (CdQueueState            *self,
                                              gint64                   now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQueueState, cd_queue_state_free)

G_END_DECLS
