// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaints-source.h: what the Complaints dashboard shows
 *
 * Every complaint in the cache as `citydeskctl complaints journal` reads
 * it (cd_store_list_complaints()), each with its stages and the clock the
 * SLA engine last judged for it, the figures of a chosen period
 * (cd_complaint_stats()), as `citydeskctl complaints stats` prints them,
 * and its systemic groups (cd_complaint_groups()) by a chosen grouping.
 */
#pragma once

#include "cd-complaint-groups.h"
#include "cd-complaint.h"
#include "cd-source.h"

G_BEGIN_DECLS

#define CD_TYPE_COMPLAINTS_SOURCE (cd_complaints_source_get_type ())
G_DECLARE_FINAL_TYPE (CdComplaintsSource, cd_complaints_source, CD, COMPLAINTS_SOURCE, CdSource)

/* Where a complaint stands; a complaint may stand in more than one (an
 * answered complaint may also be systemic). */
typedef enum
{
  CD_COMPLAINT_STAGE_TO_CLASSIFY,
  CD_COMPLAINT_STAGE_TO_ANSWER,
  CD_COMPLAINT_STAGE_EXTENSION,   /* awaiting an extension decision */
  CD_COMPLAINT_STAGE_ANSWERED,
  CD_COMPLAINT_STAGE_SYSTEMIC,
  CD_COMPLAINT_N_STAGES,
} CdComplaintStage;

/* The periods of the figures and of the journal, each ending now. */
typedef enum
{
  CD_COMPLAINTS_PERIOD_WEEK,      /* since Monday, local */
  CD_COMPLAINTS_PERIOD_MONTH,     /* since the 1st, local */
  CD_COMPLAINTS_PERIOD_30_DAYS,
  CD_COMPLAINTS_PERIOD_90_DAYS,
  CD_COMPLAINTS_PERIOD_YEAR,      /* since 1 January, local */
  CD_COMPLAINTS_N_PERIODS,
} CdComplaintsPeriod;

/* The state of a complaint's clock at the dashboard's moment, from the
 * ticket's clocks as the SLA engine judged them at its last event. */
typedef enum
{
  CD_COMPLAINT_CLOCK_NONE,
  CD_COMPLAINT_CLOCK_RUNNING,
  CD_COMPLAINT_CLOCK_AT_RISK,
  CD_COMPLAINT_CLOCK_BREACHED,
} CdComplaintClockState;

typedef struct
{
  CdComplaint           *complaint;  /* the source's */
  guint                  stages;     /* 1 << CdComplaintStage */
  char                  *target;     /* the running clock due first, or NULL */
  gint64                 due;
  CdComplaintClockState  clock;
} CdComplaintItem;

CdComplaintsSource *cd_complaints_source_new          (CdContext          *context);
GPtrArray          *cd_complaints_source_get_items    (CdComplaintsSource *self);
CdComplaintItem    *cd_complaints_source_lookup       (CdComplaintsSource *self,
                                                       const char         *number);
GPtrArray          *cd_complaints_source_get_rows     (CdComplaintsSource *self);
GPtrArray          *cd_complaints_source_get_period_rows (CdComplaintsSource *self);
JsonObject         *cd_complaints_source_get_stats    (CdComplaintsSource *self);
CdComplaintsPeriod  cd_complaints_source_get_period   (CdComplaintsSource *self);
void                cd_complaints_source_set_period   (CdComplaintsSource *self,
                                                       CdComplaintsPeriod  period);
GPtrArray          *cd_complaints_source_get_groups   (CdComplaintsSource *self);
CdComplaintGrouping cd_complaints_source_get_grouping (CdComplaintsSource *self);
void                cd_complaints_source_set_grouping (CdComplaintsSource *self,
                                                       CdComplaintGrouping by);
void                cd_complaints_source_get_range    (CdComplaintsSource *self,
                                                       gint64             *from,
                                                       gint64             *to);
void                cd_complaints_period_range        (CdComplaintsPeriod  period,
                                                       gint64              now,
                                                       gint64             *from,
                                                       gint64             *to);

G_END_DECLS
