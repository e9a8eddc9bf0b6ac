// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call.h: one call to the contact centre, as the PBX's queue saw it
 *
 * A call enters the journal as one `call` event when it ends, carrying its
 * whole record (docs/calls.md). The caller's number is personal data: it
 * travels as the payload's `phone`, which cd_event_new() moves to the
 * event's salted personal text, masked for roles that do not see phones.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_CALL_EVENT_TYPE "call"

/**
 * CdCallOutcome:
 * @CD_CALL_WAITING: still in the queue (open)
 * @CD_CALL_TALKING: answered and not yet over (open)
 * @CD_CALL_ANSWERED: answered and completed
 * @CD_CALL_ABANDONED: the caller hung up while waiting
 * @CD_CALL_TIMEOUT: the queue's time limit sent the caller out
 * @CD_CALL_TRANSFERRED: answered, then transferred
 * @CD_CALL_EXIT_EMPTY: left because no operator was logged in
 * @CD_CALL_EXIT_KEY: the caller left by pressing a key
 * @CD_CALL_WITHDRAWN: taken out of the queue by the PBX (WITHDRAW)
 * @CD_CALL_INTERRUPTED: cut off by a PBX restart or lost from the log
 */
typedef enum
{
  CD_CALL_WAITING,
  CD_CALL_TALKING,
  CD_CALL_ANSWERED,
  CD_CALL_ABANDONED,
  CD_CALL_TIMEOUT,
  CD_CALL_TRANSFERRED,
  CD_CALL_EXIT_EMPTY,
  CD_CALL_EXIT_KEY,
  CD_CALL_WITHDRAWN,
  CD_CALL_INTERRUPTED,
  CD_N_CALL_OUTCOMES,
} CdCallOutcome;

/* Missed offers of one operator: rings the operator let go unanswered. */
typedef struct
{
  char  *agent;
  guint  count;
} CdCallRing;

/**
 * CdCall:
 * @pbx_id: the PBX's call id (Asterisk's uniqueid)
 * @queue: the queue's name
 * @caller: (nullable): the caller's number (personal data)
 * @did: (nullable): the number dialled, when the PBX logged it
 * @entered_at: Unix seconds of queue entry
 * @answered_at: Unix seconds of the answer, 0 for none
 * @ended_at: Unix seconds of the end, 0 while open
 * @outcome: how it ended (or that it is open)
 * @hold_seconds: from queue entry to the answer, or to the end when none
 * @talk_seconds: from the answer to the end
 * @agent: (nullable): the operator who answered
 * @ended_by: (nullable): `caller` or `agent`, who hung up an answered call
 * @transfer_to: (nullable): where a transferred call went
 * @rings: (element-type CdCallRing): missed offers per operator
 * @recording: (nullable): the recording's id, when there is one
 */
typedef struct
{
  char          *pbx_id;
  char          *queue;
  char          *caller;
  char          *did;
  gint64         entered_at;
  gint64         answered_at;
  gint64         ended_at;
  CdCallOutcome  outcome;
  gint64         hold_seconds;
  gint64         talk_seconds;
  char          *agent;
  char          *ended_by;
  char          *transfer_to;
  GArray        *rings;
  char          *recording;
} CdCall;

CdCall       *cd_call_new                 (const char     *pbx_id,
                                           const char     *queue,
                                           gint64          entered_at);
void          cd_call_free                (CdCall         *self);
void          cd_call_add_ring            (CdCall         *self,
                                           const char     *agent);
guint         cd_call_get_n_rings         (const CdCall   *self);
gboolean      cd_call_rings_parse         (const char     *text,
                                           GArray         *rings,
                                           GError        **error);
gboolean      cd_call_is_open             (const CdCall   *self);
void          cd_call_end                 (CdCall         *self,
                                           CdCallOutcome   outcome,
                                           gint64          ended_at);
const char   *cd_call_outcome_to_string   (CdCallOutcome   outcome);
gboolean      cd_call_outcome_from_string (const char     *text,
                                           CdCallOutcome  *outcome);
char         *cd_call_dup_entity          (const CdCall   *self);
void          cd_call_json_set_time       (JsonObject     *object,
                                           const char     *name,
                                           gint64          time,
                                           GTimeZone      *zone);
JsonObject   *cd_call_to_payload          (const CdCall   *self);
CdCall       *cd_call_new_from_payload    (JsonObject     *payload,
                                           const char     *caller,
                                           GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCall, cd_call_free)

G_END_DECLS
