// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-feedback.h: callback tasks to residents, projected from the journal
 *
 * A task is created when a `resolve` is projected and the ticket's
 * feedback policy selects it, moved on by `callback` events and ended by
 * the ticket's close, reopen or closed_unconfirmed (docs/feedback.md).
 * Every function here reads only, and works on a worker thread's own read
 * connection.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-feedback.h"
#include "cd-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64             time;
  char              *actor;        /* who called */
  CdFeedbackOutcome  outcome;
  guint              rating;       /* 0: none */
  char              *note;         /* (nullable) */
} CdFeedbackAttempt;

void cd_feedback_attempt_free (CdFeedbackAttempt *attempt);

typedef struct
{
  char      *ticket_id;
  char      *number;        /* the ticket's number */
  char      *category;      /* code (the app names it from the reference data) */
  char      *executor;      /* code */
  char      *address;       /* one line, as the overdue list shows it */
  char      *description;
  char      *resident;      /* (nullable) name, masked for roles that do not see it */
  char      *phone;         /* (nullable) masked likewise */
  char      *policy;        /* the feedback policy's id */
  gint64     resolved_at;
  guint      attempt;       /* the attempt to make next, from 1 */
  guint      attempts;      /* the policy's number of attempts */
  gint64     window_start;  /* the next calling window, Unix seconds (resident's local rules) */
  gint64     window_end;
  gint64     due;           /* the callback's due time from the SLA engine */
  GPtrArray *history;       /* (element-type CdFeedbackAttempt) attempts made, oldest first */
} CdFeedbackTask;

void cd_feedback_task_free (CdFeedbackTask *task);

/* Open tasks, ordered by due time; due_before 0: any; open_window_only: only those whose window
 * contains now (the work list "for now"). role: for masking. */
gboolean cd_store_list_feedback_tasks (CdStore     *self,
                                       gint64       now,
                                       gint64       due_before,
                                       gboolean     open_window_only,
                                       const char  *role,
                                       GPtrArray  **tasks,
                                       GError     **error);
gboolean cd_store_get_feedback_task   (CdStore         *self,
                                       const char      *number,
                                       const char      *role,
                                       CdFeedbackTask **task,
                                       GError         **error);

typedef struct
{
  char   *executor;       /* code */
  guint   resolved;       /* tickets it resolved in the period that got a callback task */
  guint   confirmed;
  guint   reopened;       /* not_fixed + partly_fixed */
  guint   unreachable;    /* closed_unconfirmed */
} CdFeedbackExecutorStats;

void cd_feedback_executor_stats_free (CdFeedbackExecutorStats *stats);

typedef struct
{
  gint64     from;
  gint64     to;
  guint      open;             /* open tasks now */
  guint      due_today;        /* open tasks due before the end of today (local) */
  guint      overdue;          /* open tasks past due */
  guint      attempts;         /* attempts made in the period */
  guint      confirmed;        /* tasks ended in the period, by how */
  guint      reopened;
  guint      unreachable;
  guint      refused;
  double     confirmation_rate;  /* confirmed / ended; NaN when none */
  double     unreachable_rate;   /* unreachable / ended */
  double     reopen_rate;        /* reopened / ended */
  GPtrArray *executors; /* (element-type CdFeedbackExecutorStats) least often truly done first */
} CdFeedbackStats;

void cd_feedback_stats_free (CdFeedbackStats *stats);

gboolean cd_store_feedback_stats (CdStore          *self,
                                  gint64            from,
                                  gint64            to,
                                  gint64            now,
                                  CdFeedbackStats **stats,
                                  GError          **error);

/* The JSON of `citydeskctl callbacks list|stats --json` and of the API, times in @zone. */
JsonObject *cd_feedback_task_to_json  (const CdFeedbackTask  *task,
                                       GTimeZone             *zone);
JsonObject *cd_feedback_stats_to_json (const CdFeedbackStats *stats,
                                       GTimeZone             *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFeedbackAttempt, cd_feedback_attempt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFeedbackTask, cd_feedback_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFeedbackExecutorStats, cd_feedback_executor_stats_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFeedbackStats, cd_feedback_stats_free)

gboolean cd_store_copy_feedback       (CdStore               *self,
                                       CdStore               *from,
                                       gint64                *n_tasks,
                                       gint64                *n_attempts,
                                       GError               **error);

G_END_DECLS
