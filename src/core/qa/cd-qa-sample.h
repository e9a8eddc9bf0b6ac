// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-sample.h: the week's calls for the quality-control desk to review
 *
 * Each week the desk listens to a random sample of N calls per operator,
 * stratified by the hour of the day so that the night is covered when the
 * operator worked it, plus every call a complaint about the contact center
 * names, plus the calls flagged as suspect (docs/qa.md "Sampling"). The
 * draw is deterministic: its seed is the week and the operator, so that
 * the same week gives the same list on every machine and every run. Pure:
 * the store reads the calls and feeds them in.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The hours of a day, in the order the sample covers them first. */
typedef enum
{
  CD_QA_STRATUM_NIGHT,      /* 22:00-06:00 */
  CD_QA_STRATUM_MORNING,    /* 06:00-12:00 */
  CD_QA_STRATUM_AFTERNOON,  /* 12:00-18:00 */
  CD_QA_STRATUM_EVENING,    /* 18:00-22:00 */
  CD_QA_N_STRATA
} CdQaStratum;

/* Why a call is on the work list; a call may have several reasons. */
typedef enum
{
  CD_QA_REASON_SAMPLE = 1 << 0,        /* drawn at random */
  CD_QA_REASON_COMPLAINT = 1 << 1,     /* a complaint about the contact center names it */
  CD_QA_REASON_SHORT_HANGUP = 1 << 2,  /* very short, and the operator hung up */
  CD_QA_REASON_LONG_SILENCE = 1 << 3,  /* the recording's analysis found long dead air */
  CD_QA_REASON_OVERTALK = 1 << 4,      /* the recording's analysis found much overtalk */
} CdQaReason;

#define CD_QA_N_REASONS 5

/* The default of --per-operator. */
#define CD_QA_SAMPLE_PER_OPERATOR 5
#define CD_QA_SAMPLE_MAX_PER_OPERATOR 1000
/* An answered call shorter than this that the operator ended is suspect. */
#define CD_QA_SAMPLE_SHORT_SECONDS 20
/* A recording whose longest dead air reaches this is flagged: a resident
 * left in silence that long has been put on hold without a word, or lost. */
#define CD_QA_SAMPLE_LONG_SILENCE_MS 8000
/* A recording where both sides talk at once this share of the time. */
#define CD_QA_SAMPLE_OVERTALK_SHARE 0.10

typedef struct
{
  const char *call;           /* its id (calls.id) */
  const char *operator;       /* who answered it, or NULL */
  gint64      time;           /* when it entered the queue (Unix time) */
  int         hour;           /* the local hour it entered, 0-23 */
  gboolean    in_week;        /* in the sampled week (complaint calls may be older) */
  gboolean    answered;
  gint64      talk_seconds;
  gboolean    operator_hung_up;
  gboolean    complaint;
  gboolean    long_silence;
  gboolean    overtalk;
} CdQaSampleCall;

typedef struct
{
  const CdQaSampleCall *call;  /* one of the calls given (a reference) */
  guint                 reasons;  /* CdQaReason */
} CdQaSampleEntry;

CdQaStratum  cd_qa_stratum_of_hour     (int                    hour);
const char  *cd_qa_stratum_to_string   (CdQaStratum            stratum);
const char  *cd_qa_reason_to_string    (CdQaReason             reason);
const char  *cd_qa_reason_label        (CdQaReason             reason);
GArray      *cd_qa_sample_draw         (const CdQaSampleCall  *calls,
                                        guint                  n_calls,
                                        const char            *week,
                                        guint                  per_operator);
JsonArray   *cd_qa_sample_to_json      (const GArray          *entries,
                                        GTimeZone             *zone);

G_END_DECLS
