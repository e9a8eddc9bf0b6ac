// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-results.h: operators' results against the team's
 *
 * From the evaluations that count (the caller leaves out calibration
 * scores and superseded versions), per operator: the mean total week by
 * week over the last %CD_QA_TREND_WEEKS calendar weeks, and the mean score
 * of each group and of each question; the same for the whole team beside
 * it (docs/qa.md "Operator results"). Pure: the scores come as the JSON
 * cd_qa_score_to_json() wrote into each evaluation.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_QA_TREND_WEEKS 8

typedef struct
{
  const char *operator;   /* (nullable) the call's operator */
  gint64      call_time;  /* when the call entered the queue, 0 if unknown */
  JsonObject *score;      /* the score as cd_qa_score_to_json() writes it */
} CdQaResultsInput;

/* One group or question: the operator's mean beside the team's. A mean
 * counts only the evaluations where the group or question applied. */
typedef struct
{
  char   *id;
  char   *group;      /* a question's group; NULL for a group */
  guint   n;
  double  mean;       /* 0-100, one decimal; 0 when @n is 0 */
  guint   team_n;
  double  team_mean;
} CdQaResultsLine;

typedef struct
{
  char      *operator;                       /* NULL: calls without an operator */
  guint      n;                              /* evaluations with a total */
  double     mean;                           /* one decimal */
  guint      week_n[CD_QA_TREND_WEEKS];      /* [0] the week of now, [1] the one before… */
  double     week_mean[CD_QA_TREND_WEEKS];   /* one decimal; 0 when week_n is 0 */
  GPtrArray *groups;                         /* (element-type CdQaResultsLine) */
  GPtrArray *questions;                      /* (element-type CdQaResultsLine) */
} CdQaOperatorResults;

typedef struct
{
  gint64     week_start[CD_QA_TREND_WEEKS];  /* local Monday 00:00 of each week */
  gint64     week_end;                       /* the Monday after the week of now */
  guint      n;
  double     mean;
  guint      week_n[CD_QA_TREND_WEEKS];
  double     week_mean[CD_QA_TREND_WEEKS];
  GPtrArray *operators;                      /* (element-type CdQaOperatorResults) by name */
} CdQaResults;

CdQaResults         *cd_qa_results_new   (const CdQaResultsInput *inputs,
                                          guint                   n_inputs,
                                          gint64                  now,
                                          GTimeZone              *zone);
void                 cd_qa_results_free  (CdQaResults            *self);
CdQaOperatorResults *cd_qa_results_find  (const CdQaResults      *self,
                                          const char             *operator);
int                  cd_qa_results_week  (const CdQaResults      *self,
                                          gint64                  time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQaResults, cd_qa_results_free)

G_END_DECLS
