// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-calibration.h: how far each evaluator of one call is from the reference
 *
 * In a calibration session several evaluators score the same call blind;
 * one evaluation is the reference. Each evaluator's deviation is their
 * total minus the reference's, and question by question their points
 * (100 × earned / possible) minus the reference's, with whether they gave
 * the same answer (docs/qa.md "Calibration"). Pure: the store finds the
 * evaluations and scores them.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-qa-score.h"

G_BEGIN_DECLS

typedef struct
{
  const CdQaQuestion *question;
  const char         *answer;            /* "yes", "4", a choice's id, "n/a" */
  const char         *reference_answer;
  gboolean            compared;          /* applicable in both */
  double              points;            /* 0-100 when applicable */
  double              reference_points;
  double              deviation;         /* points − reference_points when compared */
  gboolean            agrees;            /* the same answer */
} CdQaCalibrationQuestion;

typedef struct
{
  char                    *evaluator;
  gboolean                 is_reference;
  gboolean                 has_total;      /* both totals exist */
  double                   total;
  double                   total_deviation; /* total − the reference's, one decimal */
  double                   mean_abs_deviation; /* over the compared questions, one decimal */
  guint                    n_compared;
  guint                    n_agreed;
  CdQaCalibrationQuestion *questions;      /* one per question of the form */
  guint                    n_questions;
} CdQaCalibrationRow;

void        cd_qa_calibration_row_free (CdQaCalibrationRow        *row);
GPtrArray  *cd_qa_calibrate            (const CdQaScore           *reference,
                                        const char                *reference_evaluator,
                                        const CdQaScore * const   *scores,
                                        const char * const        *evaluators,
                                        guint                      n_scores,
                                        GError                   **error);
JsonArray  *cd_qa_calibration_to_json  (GPtrArray                 *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQaCalibrationRow, cd_qa_calibration_row_free)

G_END_DECLS
