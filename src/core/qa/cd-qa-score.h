// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-score.h: an evaluation's answers scored on its form
 *
 * The arithmetic is docs/qa.md "Scoring", step by step: each question's
 * earned and possible points, "not applicable" out of both, a group's
 * score its earned over its possible, the total the mean of the group
 * scores weighted by the groups' weights, a failed fatal question setting
 * the total to 0, critical questions in a score of their own, and the
 * band of the total. Pure: no I/O.
 */

#pragma once

#include "cd-qa-form.h"

G_BEGIN_DECLS

/* The answers to a form are a small document: a form has at most
 * %CD_QA_MAX_QUESTIONS questions. */
#define CD_QA_MAX_ANSWERS_DOCUMENT (256 * 1024)

typedef struct
{
  const CdQaQuestion *question;
  guint               group_index;
  gboolean            applicable;
  double              earned;     /* of possible; 0 when not applicable */
  double              possible;   /* the question's weight when applicable */
  gboolean            failed;     /* answered no, or with its lowest value */
  char               *value;      /* the answer as given: "yes", "4", a choice's id, "n/a" */
} CdQaQuestionScore;

typedef struct
{
  const CdQaGroup *group;
  gboolean         applicable;  /* something in it counted in the total */
  double           earned;
  double           possible;
  double           score;       /* 100 earned / possible, one decimal; 0 if not applicable */
} CdQaGroupScore;

typedef struct
{
  const CdQaForm     *form;          /* the form scored (a reference) */
  gboolean            has_total;     /* FALSE when no group had anything applicable */
  double              total;         /* 0-100, one decimal */
  double              unfailed_total; /* the total had no fatal question failed */
  const CdQaBand     *band;          /* (nullable) the band of @total */
  GPtrArray          *fatal_failed;  /* of const CdQaQuestion*, in the form's order */
  guint               critical_applicable;
  guint               critical_passed;
  gboolean            has_critical;  /* some critical question was applicable */
  double              critical;      /* 100 passed / applicable, one decimal */
  CdQaGroupScore     *groups;        /* one per group of the form */
  guint               n_groups;
  CdQaQuestionScore  *questions;     /* one per question, in the form's order */
  guint               n_questions;
} CdQaScore;

CdQaScore *cd_qa_score_new_from_json (const CdQaForm      *form,
                                      const char          *answers,
                                      gsize                len,
                                      GError             **error);
void       cd_qa_score_free          (CdQaScore           *self);
char      *cd_qa_score_to_json       (const CdQaScore     *self,
                                      const char * const  *languages);
double     cd_qa_round_1             (double               value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQaScore, cd_qa_score_free)

G_END_DECLS
