// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-recordings-source.h: what the Call recordings dashboard shows
 *
 * The chosen week's work list as `citydeskctl qa sample` draws it
 * (cd_store_qa_sample()), each call with its figures from the calls
 * table and whether it is evaluated; the evaluation forms in use; and
 * every evaluation that counts (cd_store_list_qa_evaluations()), for the
 * operators' results. All read from the cache, which projects the
 * `evaluate` events too.
 */
#pragma once

#include "cd-call.h"
#include "cd-source.h"
#include "cd-store-qa.h"

G_BEGIN_DECLS

#define CD_TYPE_RECORDINGS_SOURCE (cd_recordings_source_get_type ())
G_DECLARE_FINAL_TYPE (CdRecordingsSource, cd_recordings_source, CD, RECORDINGS_SOURCE, CdSource)

/* The weeks the week chooser offers, this one first. */
#define CD_RECORDINGS_N_WEEKS 8

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
} CdRecordingItem;

CdRecordingsSource *cd_recordings_source_new             (CdContext          *context);
GPtrArray          *cd_recordings_source_get_items       (CdRecordingsSource *self);
CdRecordingItem    *cd_recordings_source_lookup          (CdRecordingsSource *self,
                                                          const char         *call);
CdStoreQaForm      *cd_recordings_source_get_form        (CdRecordingsSource *self);
GPtrArray          *cd_recordings_source_get_evaluations (CdRecordingsSource *self);
guint               cd_recordings_source_get_week        (CdRecordingsSource *self);
void                cd_recordings_source_set_week        (CdRecordingsSource *self,
                                                          guint               weeks_back);
char               *cd_recordings_week_name              (gint64              now,
                                                          guint               weeks_back);

G_END_DECLS
