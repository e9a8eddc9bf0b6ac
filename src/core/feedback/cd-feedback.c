// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-feedback.c: what a callback to a resident can end in */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-feedback.h"

static const char * const outcome_names[] = {
  "confirmed", "not_fixed", "partly_fixed", "no_answer", "busy", "wrong_number", "refused",
};
G_STATIC_ASSERT (G_N_ELEMENTS (outcome_names) == CD_N_FEEDBACK_OUTCOMES);

/* As the feedback operator picks them, one keystroke each. */
static const char * const outcome_labels[] = {
  NC_("callback outcome", "Confirmed"), NC_("callback outcome", "Not fixed"),
  NC_("callback outcome", "Partly fixed"), NC_("callback outcome", "No answer"),
  NC_("callback outcome", "Busy"), NC_("callback outcome", "Wrong number"),
  NC_("callback outcome", "Refuses to talk"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (outcome_labels) == CD_N_FEEDBACK_OUTCOMES);

/**
 * cd_feedback_outcome_to_string:
 * @outcome: an outcome
 *
 * Returns: its code in the journal and on the wire, e.g. `not_fixed`
 */
const char *
cd_feedback_outcome_to_string (CdFeedbackOutcome outcome)
{
  g_return_val_if_fail (outcome < CD_N_FEEDBACK_OUTCOMES, NULL);
  return outcome_names[outcome];
}

gboolean
cd_feedback_outcome_from_string (const char        *text,
                                 CdFeedbackOutcome *outcome)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < CD_N_FEEDBACK_OUTCOMES; i++)
    if (strcmp (text, outcome_names[i]) == 0)
      {
        *outcome = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cd_feedback_outcome_get_label:
 * @outcome: an outcome
 *
 * Returns: its name in the user's language ("Not fixed")
 */
const char *
cd_feedback_outcome_get_label (CdFeedbackOutcome outcome)
{
  g_return_val_if_fail (outcome < CD_N_FEEDBACK_OUTCOMES, NULL);
  return g_dpgettext2 (GETTEXT_PACKAGE, "callback outcome", outcome_labels[outcome]);
}

/**
 * cd_feedback_outcome_label_for_code:
 * @code: (nullable): an outcome's code, such as `wrong_number`
 *
 * Returns: the outcome's name in the user's language, or @code itself when
 *   it is not an outcome
 */
const char *
cd_feedback_outcome_label_for_code (const char *code)
{
  CdFeedbackOutcome outcome;

  return cd_feedback_outcome_from_string (code, &outcome) ? cd_feedback_outcome_get_label (outcome)
                                                          : code;
}

/**
 * cd_feedback_outcome_reopens:
 * @outcome: an outcome
 *
 * Returns: whether the resident says the work is not done (the ticket
 *   reopens, counted against the executor that resolved it)
 */
gboolean
cd_feedback_outcome_reopens (CdFeedbackOutcome outcome)
{
  return outcome == CD_FEEDBACK_NOT_FIXED || outcome == CD_FEEDBACK_PARTLY_FIXED;
}

/**
 * cd_feedback_outcome_retries:
 * @outcome: an outcome
 *
 * Returns: whether nobody was reached, so that another attempt follows
 *   unless this one was the policy's last
 */
gboolean
cd_feedback_outcome_retries (CdFeedbackOutcome outcome)
{
  return outcome == CD_FEEDBACK_NO_ANSWER || outcome == CD_FEEDBACK_BUSY ||
         outcome == CD_FEEDBACK_WRONG_NUMBER;
}
