// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-feedback.h: what a callback to a resident can end in
 *
 * The feedback department calls the resident after a ticket is resolved
 * (docs/feedback.md). Each call is a `callback` action on the ticket with
 * one of these outcomes; the transition table (cd-dispatch.c) says what it
 * does to the ticket.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CD_FEEDBACK_CONFIRMED,      /* the ticket closes */
  CD_FEEDBACK_NOT_FIXED,      /* reopens, back to the same executor, counted against it */
  CD_FEEDBACK_PARTLY_FIXED,   /* reopens, with a note (required) */
  CD_FEEDBACK_NO_ANSWER,      /* next attempt; after the last: closed_unconfirmed */
  CD_FEEDBACK_BUSY,           /* same */
  CD_FEEDBACK_WRONG_NUMBER,   /* same */
  CD_FEEDBACK_REFUSED,        /* the resident refuses to talk: closed_unconfirmed */
  CD_N_FEEDBACK_OUTCOMES,
} CdFeedbackOutcome;

/* A rating, when given, is 1 (bad) to 5 (good). */
#define CD_FEEDBACK_RATING_MAX 5

const char *cd_feedback_outcome_to_string   (CdFeedbackOutcome  outcome);
gboolean    cd_feedback_outcome_from_string (const char        *text,
                                             CdFeedbackOutcome *outcome);
const char *cd_feedback_outcome_get_label   (CdFeedbackOutcome  outcome);
const char *cd_feedback_outcome_label_for_code (const char     *code);
gboolean    cd_feedback_outcome_reopens     (CdFeedbackOutcome  outcome);
gboolean    cd_feedback_outcome_retries     (CdFeedbackOutcome  outcome);

G_END_DECLS
