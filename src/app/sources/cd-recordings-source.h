// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-recordings-source.h: what the Call recordings dashboard shows
 *
 * The chosen week's work list as `citydeskctl qa sample` draws it
 * (cd_store_qa_sample()), each call with its figures from the calls
 * table and whether it is evaluated; the evaluation forms in use; and
 * every evaluation that counts (cd_store_list_qa_evaluations()), for the
 * operators' results (cd_qa_results_new()). All read from the cache, which
 * projects the `evaluate` events too; which calls have a recording is the
 * server's to say (GET /api/v1/recordings?calls=…), and the page hands it
 * over. The work list's filters are applied here, not in the widgets.
 */
#pragma once

#include "cd-call.h"
#include "cd-qa-results.h"
#include "cd-source.h"
#include "cd-store-qa.h"

G_BEGIN_DECLS

#define CD_TYPE_RECORDINGS_SOURCE (cd_recordings_source_get_type ())
G_DECLARE_FINAL_TYPE (CdRecordingsSource, cd_recordings_source, CD, RECORDINGS_SOURCE, CdSource)

/* The weeks the week chooser offers, this one first. */
#define CD_RECORDINGS_N_WEEKS 8

/* Whether the server has the call's recording: unknown until it says. */
typedef enum
{
  CD_RECORDING_UNKNOWN,
  CD_RECORDING_PRESENT,
  CD_RECORDING_ABSENT,
} CdRecordingPresence;

typedef struct
{
  char          *call;        /* calls.id */
  char          *operator;    /* (nullable) */
  gint64         time;        /* when it entered the queue */
  guint          reasons;     /* CdQaReason */
  gboolean       has_call;    /* the figures below were found */
  char          *caller;      /* (nullable) */
  gint64         wait;        /* seconds */
  gint64         talk;        /* seconds */
  CdCallOutcome  outcome;
  char          *ended_by;    /* (nullable) */
  gboolean       evaluated;
  char          *queue;       /* (nullable) */
  CdRecordingPresence recording;
} CdRecordingItem;

typedef enum
{
  CD_RECORDING_OUTCOME_ANY,
  CD_RECORDING_OUTCOME_ANSWERED,          /* answered, whoever hung up */
  CD_RECORDING_OUTCOME_OPERATOR_HUNG_UP,  /* answered, and the operator hung up */
  CD_RECORDING_OUTCOME_TRANSFERRED,
  CD_RECORDING_OUTCOME_NOT_ANSWERED,
} CdRecordingOutcomeFilter;

typedef enum
{
  CD_RECORDING_COMPLAINT_ANY,
  CD_RECORDING_COMPLAINT_LINKED,      /* a complaint about the contact center names it */
  CD_RECORDING_COMPLAINT_NOT_LINKED,
} CdRecordingComplaintFilter;

typedef enum
{
  CD_RECORDING_PRESENCE_FILTER_ANY,
  CD_RECORDING_PRESENCE_FILTER_PRESENT,  /* the server has the call's recording */
  CD_RECORDING_PRESENCE_FILTER_ABSENT,   /* it has said it has none */
} CdRecordingPresenceFilter;

/* What the work list shows; a call whose figures are not in the cache
 * matches no queue, outcome or talk bound. */
typedef struct
{
  const char                 *operator;  /* (nullable) any */
  guint                       reasons;   /* CdQaReason: any of them; 0 any */
  const char                 *queue;     /* (nullable) any */
  CdRecordingOutcomeFilter    outcome;
  gint64                      min_talk;  /* seconds, from; -1 no bound */
  gint64                      max_talk;  /* seconds, up to but not including; -1 no bound */
  CdRecordingComplaintFilter  complaint;
  CdRecordingPresenceFilter   recording;
} CdRecordingFilter;

#define CD_RECORDING_FILTER_INIT \
  { NULL, 0, NULL, CD_RECORDING_OUTCOME_ANY, -1, -1, CD_RECORDING_COMPLAINT_ANY, \
    CD_RECORDING_PRESENCE_FILTER_ANY }

gboolean            cd_recording_item_matches            (const CdRecordingItem   *item,
                                                          const CdRecordingFilter *filter);

CdRecordingsSource *cd_recordings_source_new             (CdContext          *context);
GPtrArray          *cd_recordings_source_get_items       (CdRecordingsSource *self);
CdRecordingItem    *cd_recordings_source_lookup          (CdRecordingsSource *self,
                                                          const char         *call);
CdStoreQaForm      *cd_recordings_source_get_form        (CdRecordingsSource *self);
GPtrArray          *cd_recordings_source_get_evaluations (CdRecordingsSource *self);
GPtrArray          *cd_recordings_source_filter          (CdRecordingsSource      *self,
                                                          const CdRecordingFilter *filter);
GStrv               cd_recordings_source_dup_queues      (CdRecordingsSource *self);
void                cd_recordings_source_set_recorded    (CdRecordingsSource *self,
                                                          GHashTable         *calls);
CdQaResults        *cd_recordings_source_get_results     (CdRecordingsSource *self);
GPtrArray          *cd_recordings_source_get_calibrations (CdRecordingsSource *self);
guint               cd_recordings_source_get_week        (CdRecordingsSource *self);
void                cd_recordings_source_set_week        (CdRecordingsSource *self,
                                                          guint               weeks_back);
char               *cd_recordings_week_name              (gint64              now,
                                                          guint               weeks_back);

G_END_DECLS
