// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-qa.h: evaluation forms, evaluations and calibration in the store
 *
 * Forms are kept by id and version, as the strict reader read them, and
 * are never edited; a form version that evaluations use is never deleted,
 * only retired. An evaluation is an `evaluate` event in the journal (so
 * that `verify` covers it) with its row in `qa_evaluations`; a correction
 * is a new evaluation that supersedes the earlier one, which stays. A
 * calibration session is opened and closed by `calibrate` events
 * (docs/qa.md).
 */

#pragma once

#include "cd-qa-calibration.h"
#include "cd-qa-sample.h"
#include "cd-qa-score.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_QA_EVALUATE_EVENT_TYPE "evaluate"
#define CD_QA_CALIBRATE_EVENT_TYPE "calibrate"
/* The journal entity of a calibration session: never a ticket's UUID. */
#define CD_QA_CALIBRATION_ENTITY_PREFIX "qa-calibration:"
#define CD_QA_MAX_COMMENTS 500

typedef struct
{
  char     *id;
  gint64    version;
  char     *document;
  gint64    added_at;
  gint64    retired_at;     /* 0 while in use */
  gint64    n_evaluations;
  CdQaForm *form;
} CdStoreQaForm;

typedef struct
{
  gint64  at_ms;
  char   *text;
} CdQaComment;

typedef struct
{
  const char        *call;
  const char        *form;
  gint64             form_version;  /* 0: the form's newest version in use */
  const char        *answers;       /* {"answers": {…}}, with or without form and version */
  gsize              answers_len;
  const CdQaComment *comments;
  guint              n_comments;
  const char        *supersedes;    /* (nullable) the evaluation it corrects */
  const char        *calibration;   /* (nullable) its calibration session */
  const char        *evaluator;
  const char        *role;
  gint64             time;
} CdQaEvaluationRequest;

typedef struct
{
  char     *id;
  gint64    seq;
  char     *call;
  char     *form;
  gint64    form_version;
  char     *evaluator;
  char     *role;
  gint64    time;
  gboolean  has_total;
  double    total;
  char     *band;
  gboolean  has_critical;
  double    critical;
  gboolean  fatal;
  char     *supersedes;
  char     *calibration;
  gint64    revision;      /* 1 for the first version, 2 for its correction… */
  char     *operator;      /* the call's operator, or NULL */
  gint64    call_time;     /* when the call entered the queue, or 0 */
  char     *payload;       /* the event's payload: answers, comments, score */
} CdQaEvaluation;

typedef struct
{
  char   *id;
  char   *call;
  char   *owner;
  char   *reference;   /* the reference evaluator, or NULL: the owner */
  gint64  opened_at;
  gint64  closed_at;   /* 0 while open */
} CdQaCalibrationSession;

void            cd_store_qa_form_free            (CdStoreQaForm        *form);
void            cd_qa_evaluation_free            (CdQaEvaluation       *evaluation);
void            cd_qa_calibration_session_free   (CdQaCalibrationSession *session);

gboolean        cd_store_seed_qa_forms           (CdStore              *self,
                                                  GError              **error);
gboolean        cd_store_add_qa_form             (CdStore              *self,
                                                  const char           *json,
                                                  gsize                 len,
                                                  gint64                now,
                                                  gboolean             *added,
                                                  CdStoreQaForm       **out,
                                                  GError              **error);
gboolean        cd_store_retire_qa_form          (CdStore              *self,
                                                  const char           *id,
                                                  gint64                version,
                                                  gint64                now,
                                                  GError              **error);
GPtrArray      *cd_store_list_qa_forms           (CdStore              *self,
                                                  GError              **error);
CdStoreQaForm  *cd_store_load_qa_form            (CdStore              *self,
                                                  const char           *id,
                                                  gint64                version,
                                                  GError              **error);

CdQaEvaluation *cd_store_add_qa_evaluation       (CdStore              *self,
                                                  const CdQaEvaluationRequest *request,
                                                  GError              **error);
CdQaEvaluation *cd_store_load_qa_evaluation      (CdStore              *self,
                                                  const char           *id,
                                                  GError              **error);
GPtrArray      *cd_store_list_qa_evaluations     (CdStore              *self,
                                                  const char           *operator,
                                                  gint64                from,
                                                  gint64                to,
                                                  GError              **error);
char           *cd_qa_evaluations_to_csv         (GPtrArray            *evaluations,
                                                  GTimeZone            *zone);
JsonObject     *cd_qa_evaluation_to_json         (const CdQaEvaluation *evaluation,
                                                  GTimeZone            *zone,
                                                  gboolean              with_payload);

gboolean        cd_store_open_qa_calibration     (CdStore              *self,
                                                  const char           *session,
                                                  const char           *call,
                                                  const char           *reference,
                                                  const char           *actor,
                                                  const char           *role,
                                                  gint64                time,
                                                  GError              **error);
gboolean        cd_store_close_qa_calibration    (CdStore              *self,
                                                  const char           *session,
                                                  const char           *reference,
                                                  const char           *actor,
                                                  const char           *role,
                                                  gint64                time,
                                                  GError              **error);
GPtrArray      *cd_store_list_qa_calibrations    (CdStore              *self,
                                                  gint64                from,
                                                  gint64                to,
                                                  GError              **error);
CdQaCalibrationSession *cd_store_load_qa_calibration (CdStore          *self,
                                                      const char       *session,
                                                      GError          **error);
JsonObject     *cd_store_qa_calibration_result   (CdStore              *self,
                                                  const char           *session,
                                                  GError              **error);

gboolean        cd_qa_parse_week                 (const char           *week,
                                                  GTimeZone            *zone,
                                                  gint64               *start,
                                                  gint64               *end);
JsonObject     *cd_store_qa_sample               (CdStore              *self,
                                                  const char           *week,
                                                  guint                 per_operator,
                                                  GTimeZone            *zone,
                                                  GError              **error);

/* The journal's side (cd-store-calls.c routes every event that is no
 * ticket's). */
gboolean        cd_store_is_qa_event             (CdEvent              *event);
gboolean        cd_store_write_qa_event          (CdStore              *self,
                                                  CdEvent              *event,
                                                  GError              **error);
gboolean        cd_store_project_qa_event        (CdStore              *self,
                                                  CdEvent              *event,
                                                  GError              **error);
gboolean        cd_store_copy_qa_forms           (CdStore              *self,
                                                  CdStore              *from,
                                                  gint64               *n_copied,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdStoreQaForm, cd_store_qa_form_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQaEvaluation, cd_qa_evaluation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQaCalibrationSession, cd_qa_calibration_session_free)

G_END_DECLS
