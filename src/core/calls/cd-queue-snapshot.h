// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-snapshot.h: the contact centre's queue as it is now
 *
 * What changes second by second (who waits, what each operator is doing)
 * is not journaled: citydesk-server folds its followed queue_log into a
 * snapshot and pushes it over the stream (`{"type":"queue",…}`,
 * docs/api.md) to the roles that may read calls. A snapshot carries no
 * caller's number: it is never personal data.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-call-stats.h"

G_BEGIN_DECLS

#define CD_QUEUE_SNAPSHOT_TYPE "queue"   /* the stream message's "type" */

#define CD_QUEUE_SNAPSHOT_ERROR (cd_queue_snapshot_error_quark ())

typedef enum
{
  CD_QUEUE_SNAPSHOT_ERROR_INVALID,
} CdQueueSnapshotError;

typedef enum
{
  CD_AGENT_LOGGED_OFF,   /* not a member now (shown only if seen today) */
  CD_AGENT_AVAILABLE,    /* logged in, not paused, not on a call */
  CD_AGENT_ON_CALL,      /* connected to a caller */
  CD_AGENT_WRAP_UP,      /* the call ended less than the queue's wrap-up time ago */
  CD_AGENT_PAUSED,       /* paused (break, lunch, training...), reason when the PBX logs one */
  CD_N_AGENT_STATES,
} CdAgentState;

const char *cd_agent_state_to_string   (CdAgentState  state);
gboolean    cd_agent_state_from_string (const char   *text,
                                        CdAgentState *state);

/**
 * CdQueueAgent:
 * @agent: the PBX's member name, as queue_log writes it
 * @state: what the operator is doing
 * @since: Unix seconds the state began
 * @reason: (nullable): the pause's reason
 * @call: (nullable): pbx_id of the call it is on (on_call, wrap_up)
 * @queue: (nullable): that call's queue
 * @handled: calls answered today
 * @handle: their talk, summed (seconds) today
 * @missed: rings let go today
 */
typedef struct
{
  char         *agent;
  CdAgentState  state;
  gint64        since;
  char         *reason;
  char         *call;
  char         *queue;
  guint         handled;
  gint64        handle;
  guint         missed;
} CdQueueAgent;

/**
 * CdQueueWaiter:
 * @call: pbx_id; no caller's number: snapshots carry no personal data
 * @queue: the queue it waits in
 * @entered_at: Unix seconds of queue entry
 */
typedef struct
{
  char   *call;
  char   *queue;
  gint64  entered_at;
} CdQueueWaiter;

/**
 * CdQueueStaffed:
 * @start: Unix seconds, a 15-minute boundary of the local day
 * @staffed: agents logged in and not paused, averaged over the interval
 *   (up to the snapshot's time for the current one)
 */
typedef struct
{
  gint64 start;
  double staffed;
} CdQueueStaffed;

/**
 * CdQueueSnapshot:
 * @time: when it was taken (server clock)
 * @day_start: local midnight of today (server's zone)
 * @target: service-level target, seconds (40 by default)
 * @goal: service-level goal, 0..1 (0.8 by default)
 * @waiting: (element-type CdQueueWaiter): longest wait first
 * @agents: (element-type CdQueueAgent): by agent name
 * @today: day_start..time, cd-call-stats.h's figures
 * @staffed: (element-type CdQueueStaffed): day_start..time, 15 min
 * @missed_waiting: missed calls awaiting a callback (store's list)
 * @oldest_missed_due: the oldest one's due time, 0 when none
 */
typedef struct
{
  gint64          time;
  gint64          day_start;
  gint64          target;
  double          goal;
  GPtrArray      *waiting;
  GPtrArray      *agents;
  CdCallInterval  today;
  GArray         *staffed;
  guint           missed_waiting;
  gint64          oldest_missed_due;
} CdQueueSnapshot;

GQuark           cd_queue_snapshot_error_quark   (void);
CdQueueSnapshot *cd_queue_snapshot_new           (void);
void             cd_queue_snapshot_free          (CdQueueSnapshot       *self);
JsonObject      *cd_queue_snapshot_to_json       (const CdQueueSnapshot *self);
CdQueueSnapshot *cd_queue_snapshot_new_from_json (JsonObject            *object,
                                                  GError               **error);
guint            cd_queue_snapshot_count_agents  (const CdQueueSnapshot *self,
                                                  CdAgentState           state);
gint64           cd_queue_snapshot_longest_wait  (const CdQueueSnapshot *self);

void             cd_queue_agent_free             (CdQueueAgent          *agent);
void             cd_queue_waiter_free            (CdQueueWaiter         *waiter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQueueSnapshot, cd_queue_snapshot_free)

G_END_DECLS
