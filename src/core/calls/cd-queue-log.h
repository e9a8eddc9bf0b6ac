// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-queue-log.h: Asterisk app_queue's queue_log, read into calls
 *
 * A pure reader: it is given bytes (any number at a time, cut anywhere) and
 * keeps what it needs across lines: the calls still in the queue or on
 * the phone, a line not yet ended. It reads the flat file
 * (`epoch|callid|queue|agent|EVENT|data…`) and the realtime SQL export's
 * CSV (RFC 4180, with a header line naming time, callid, queuename, agent,
 * event and data1..data5). A call comes out as one #CdCall when it ends;
 * docs/calls.md lists the verbs and what each does.
 */

#pragma once

#include <glib.h>

#include "cd-call.h"

G_BEGIN_DECLS

/* The longest record read, in bytes: Asterisk's lines are a few hundred.
 * A longer one is reported and skipped to its end, so that a broken or
 * hostile log cannot make its reader hold it all in memory. */
#define CD_QUEUE_LOG_MAX_RECORD (64 * 1024)

/**
 * CdQueueLogFormat:
 * @CD_QUEUE_LOG_AUTO: decided by the first line
 * @CD_QUEUE_LOG_FLAT: the pipe-separated file Asterisk writes
 * @CD_QUEUE_LOG_CSV: the realtime table exported as CSV
 */
typedef enum
{
  CD_QUEUE_LOG_AUTO,
  CD_QUEUE_LOG_FLAT,
  CD_QUEUE_LOG_CSV,
} CdQueueLogFormat;

/* A line that could not be read: its number (from 1) and why. */
typedef struct
{
  guint  line;
  char  *message;
} CdQueueLogProblem;

typedef struct _CdQueueLog CdQueueLog;
typedef struct _CdQueueState CdQueueState;

CdQueueLog        *cd_queue_log_new            (CdQueueLogFormat  format);
void               cd_queue_log_free           (CdQueueLog       *self);
void               cd_queue_log_set_time_zone  (CdQueueLog       *self,
                                                GTimeZone        *zone);
void               cd_queue_log_set_state      (CdQueueLog       *self,
                                                CdQueueState     *state);
void               cd_queue_log_feed           (CdQueueLog       *self,
                                                const char       *data,
                                                gsize             len);
void               cd_queue_log_finish         (CdQueueLog       *self);
GPtrArray         *cd_queue_log_take_calls     (CdQueueLog       *self);
GPtrArray         *cd_queue_log_take_problems  (CdQueueLog       *self);
GPtrArray         *cd_queue_log_get_open_calls (CdQueueLog       *self);
CdQueueLogFormat   cd_queue_log_get_format     (CdQueueLog       *self);
guint              cd_queue_log_get_n_records  (CdQueueLog       *self);
guint              cd_queue_log_get_n_unknown  (CdQueueLog       *self);
guint              cd_queue_log_count_verb     (CdQueueLog       *self,
                                                const char       *verb);
gboolean           cd_queue_log_verb_is_known  (const char       *verb);
void               cd_queue_log_problem_free   (CdQueueLogProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQueueLog, cd_queue_log_free)

G_END_DECLS
