// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-missed-call.h: a lost caller to call back, and the callbacks made
 *
 * A call that ended without an answer, whose caller's number is known, is
 * work: a callback is due within the limit of the SLA policy
 * CD_MISSED_CALL_POLICY (10 minutes, DOMAIN.md). The clock is the SLA
 * engine's, fed with the call's end as `register`, a callback that reached
 * the caller as `resolve`, and a wrong number or a later answered call
 * from the same number as `cancel` (docs/calls.md, "Missed calls").
 */

#pragma once

#include "cd-call.h"
#include "cd-sla-clock.h"

G_BEGIN_DECLS

#define CD_CALLBACK_EVENT_TYPE "callback"
#define CD_MISSED_CALL_POLICY "ru-ads-callback"
#define CD_MISSED_CALL_TARGET "callback"

/**
 * CdCallbackOutcome:
 * @CD_CALLBACK_REACHED: the caller answered: the missed call is done
 * @CD_CALLBACK_NO_ANSWER: nobody answered: still to call back
 * @CD_CALLBACK_BUSY: the line was busy: still to call back
 * @CD_CALLBACK_WRONG_NUMBER: the number is not the caller's: nobody to
 *   call back, the missed call is done
 */
typedef enum
{
  CD_CALLBACK_REACHED,
  CD_CALLBACK_NO_ANSWER,
  CD_CALLBACK_BUSY,
  CD_CALLBACK_WRONG_NUMBER,
  CD_N_CALLBACK_OUTCOMES,
} CdCallbackOutcome;

/**
 * CdMissedState:
 * @CD_MISSED_WAITING: awaiting a callback
 * @CD_MISSED_CALLED_BACK: a callback reached the caller
 * @CD_MISSED_WRONG_NUMBER: a callback found the number was wrong
 * @CD_MISSED_CLOSED: the caller called again and was answered
 */
typedef enum
{
  CD_MISSED_WAITING,
  CD_MISSED_CALLED_BACK,
  CD_MISSED_WRONG_NUMBER,
  CD_MISSED_CLOSED,
} CdMissedState;

/**
 * CdMissedCall:
 * @call: the call's journal entity
 * @queue: the queue
 * @caller: the caller's number, as the reader may see it
 * @outcome: how the call ended
 * @missed_at: its end (Unix seconds): the clock starts there
 * @attempts: the callbacks made, whatever their outcome
 * @state: what became of it
 * @done_at: the callback, or the later call's answer, that ended it; 0
 *   while waiting
 * @done_by: (nullable): who made that callback
 * @done_role: (nullable): in which role
 * @closed_by: (nullable): the later answered call's entity
 * @due: the callback's deadline, from the SLA engine
 * @clock: the clock's state at the evaluation: running, at_risk,
 *   breached, met or stopped
 * @late: whether it was or is past @due (a callback after it, a waiting
 *   one now)
 */
typedef struct
{
  char            *call;
  char            *queue;
  char            *caller;
  CdCallOutcome    outcome;
  gint64           missed_at;
  guint            attempts;
  CdMissedState    state;
  gint64           done_at;
  char            *done_by;
  char            *done_role;
  char            *closed_by;
  gint64           due;
  CdSlaClockState  clock;
  gboolean         late;
} CdMissedCall;

gboolean      cd_call_outcome_is_missed       (CdCallOutcome       outcome);
gboolean      cd_call_is_missed               (const CdCall       *call);
const char   *cd_callback_outcome_to_string   (CdCallbackOutcome   outcome);
gboolean      cd_callback_outcome_from_string (const char         *text,
                                               CdCallbackOutcome  *outcome);
gboolean      cd_callback_outcome_ends        (CdCallbackOutcome   outcome);
gboolean      cd_callback_role_may            (const char         *role);
JsonObject   *cd_callback_to_payload          (CdCallbackOutcome   outcome);
const char   *cd_missed_state_to_string       (CdMissedState       state);
CdMissedCall *cd_missed_call_new              (void);
void          cd_missed_call_free             (CdMissedCall       *self);
gboolean      cd_missed_call_judge            (CdMissedCall       *self,
                                               CdSlaPolicy        *policy,
                                               GHashTable         *calendars,
                                               gint64              now,
                                               GError            **error);
JsonObject   *cd_missed_call_to_json          (const CdMissedCall *self,
                                               gint64              now,
                                               GTimeZone          *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdMissedCall, cd_missed_call_free)

G_END_DECLS
