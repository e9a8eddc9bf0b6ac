// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-calibration.c: how far each evaluator of one call is from the reference
 *
 * A question's points are its share of its weight, 0 to 100, whatever its
 * type, so that a deviation means the same on a yes/no question and on a
 * scale: a "no" where the reference said "yes" is −100, a 3 where it gave
 * 4 on 1-5 is −25. A question not applicable in either evaluation is not
 * compared (that the two disagree on whether it applies shows as
 * `agrees` false). The reference's own row is in the table, all zeros.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "cd-qa-calibration.h"

void
cd_qa_calibration_row_free (CdQaCalibrationRow *row)
{
  if (row == NULL)
    return;
  g_free (row->evaluator);
  g_free (row->questions);
  g_free (row);
}

static double
points_of (const CdQaQuestionScore *q)
{
  return q->possible > 0 ? 100.0 * q->earned / q->possible : 0;
}

static CdQaCalibrationRow *
compare (const CdQaScore *reference,
         const CdQaScore *score,
         const char      *evaluator)
{
  CdQaCalibrationRow *row = g_new0 (CdQaCalibrationRow, 1);
  double sum = 0;

  row->evaluator = g_strdup (evaluator);
  row->is_reference = score == reference;
  row->has_total = score->has_total && reference->has_total;
  row->total = score->total;
  if (row->has_total)
    row->total_deviation = cd_qa_round_1 (score->total - reference->total);
  row->n_questions = score->n_questions;
  row->questions = g_new0 (CdQaCalibrationQuestion, row->n_questions);
  for (guint i = 0; i < score->n_questions; i++)
    {
      const CdQaQuestionScore *mine = &score->questions[i];
      const CdQaQuestionScore *theirs = &reference->questions[i];
      CdQaCalibrationQuestion *q = &row->questions[i];

      q->question = mine->question;
      q->answer = mine->value;
      q->reference_answer = theirs->value;
      q->agrees = g_strcmp0 (mine->value, theirs->value) == 0;
      q->points = points_of (mine);
      q->reference_points = points_of (theirs);
      q->compared = mine->applicable && theirs->applicable;
      if (q->compared)
        {
          q->deviation = cd_qa_round_1 (q->points - q->reference_points);
          sum += fabs (q->points - q->reference_points);
          row->n_compared++;
        }
      if (q->agrees)
        row->n_agreed++;
    }
  if (row->n_compared > 0)
    row->mean_abs_deviation = cd_qa_round_1 (sum / row->n_compared);
  return row;
}

/**
 * cd_qa_calibrate:
 * @reference: the reference evaluation's score
 * @reference_evaluator: who gave it
 * @scores: (array length=n_scores): the other evaluations' scores, on the
 *   same form and version as @reference
 * @evaluators: (array length=n_scores): who gave each
 * @n_scores: their number
 * @error: %CD_QA_ERROR_OTHER_FORM when a score is on another form
 *
 * Returns: (transfer full) (element-type CdQaCalibrationRow): the
 *   reference's row first, then one per score in the order given, or
 *   %NULL with @error set
 */
GPtrArray *
cd_qa_calibrate (const CdQaScore         *reference,
                 const char              *reference_evaluator,
                 const CdQaScore * const *scores,
                 const char * const      *evaluators,
                 guint                    n_scores,
                 GError                 **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_val_if_fail (reference != NULL, NULL);
  g_return_val_if_fail (reference_evaluator != NULL, NULL);

  for (guint i = 0; i < n_scores; i++)
    if (scores[i]->form != reference->form &&
        (g_strcmp0 (scores[i]->form->id, reference->form->id) != 0 ||
         scores[i]->form->version != reference->form->version ||
         scores[i]->n_questions != reference->n_questions))
      {
        g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_OTHER_FORM,
                     _("%s’s evaluation is on another form than the reference’s."),
                     evaluators[i]);
        return NULL;
      }
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_qa_calibration_row_free);
  g_ptr_array_add (rows, compare (reference, reference, reference_evaluator));
  for (guint i = 0; i < n_scores; i++)
    g_ptr_array_add (rows, compare (reference, scores[i], evaluators[i]));
  return g_steal_pointer (&rows);
}

static void
set_number (JsonObject *object,
            const char *name,
            gboolean    has,
            double      value)
{
  if (has)
    json_object_set_double_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/**
 * cd_qa_calibration_to_json:
 * @rows: (element-type CdQaCalibrationRow): from cd_qa_calibrate()
 *
 * Returns: (transfer full): one object per evaluator (docs/qa.md)
 */
JsonArray *
cd_qa_calibration_to_json (GPtrArray *rows)
{
  JsonArray *array = json_array_sized_new (rows->len);

  for (guint i = 0; i < rows->len; i++)
    {
      const CdQaCalibrationRow *row = rows->pdata[i];
      JsonObject *object = json_object_new ();
      JsonArray *questions = json_array_sized_new (row->n_questions);

      json_object_set_string_member (object, "evaluator", row->evaluator);
      json_object_set_boolean_member (object, "reference", row->is_reference);
      set_number (object, "total", row->has_total, row->total);
      set_number (object, "total_deviation", row->has_total, row->total_deviation);
      set_number (object, "mean_abs_deviation", row->n_compared > 0, row->mean_abs_deviation);
      json_object_set_int_member (object, "compared", row->n_compared);
      json_object_set_int_member (object, "agreed", row->n_agreed);
      for (guint q = 0; q < row->n_questions; q++)
        {
          const CdQaCalibrationQuestion *cq = &row->questions[q];
          JsonObject *qo = json_object_new ();

          json_object_set_string_member (qo, "id", cq->question->id);
          json_object_set_string_member (qo, "answer", cq->answer);
          json_object_set_string_member (qo, "reference_answer", cq->reference_answer);
          json_object_set_boolean_member (qo, "agrees", cq->agrees);
          set_number (qo, "deviation", cq->compared, cq->deviation);
          json_array_add_object_element (questions, qo);
        }
      json_object_set_array_member (object, "questions", questions);
      json_array_add_object_element (array, object);
    }
  return array;
}
