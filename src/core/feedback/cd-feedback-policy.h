// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-feedback-policy.h: which resolved tickets get a callback, and when
 *
 * A feedback policy is data (one JSON file each in data/feedback, docs/feedback.md),
 * chosen per ticket kind and category as the SLA policies are: call every
 * resident, a sample stratified by executor, or none; how many attempts,
 * how far apart, over how many working days, and the calling window in the
 * resident's local time on the policy's calendar. Everything here is a
 * pure function of the policy, a calendar and the times given.
 */

#pragma once

#include "cd-sla-calendar.h"

G_BEGIN_DECLS

#define CD_FEEDBACK_ERROR (cd_feedback_error_quark ())

typedef enum
{
  CD_FEEDBACK_ERROR_INVALID,
} CdFeedbackError;

GQuark cd_feedback_error_quark (void);

typedef enum
{
  CD_FEEDBACK_MODE_ALL,
  CD_FEEDBACK_MODE_SAMPLE,
  CD_FEEDBACK_MODE_NONE,
} CdFeedbackMode;

typedef struct _CdFeedbackPolicy CdFeedbackPolicy;

CdFeedbackPolicy *cd_feedback_policy_new_from_json (const char        *json,
                                                    gssize             len,
                                                    GError           **error);
void              cd_feedback_policy_free          (CdFeedbackPolicy  *self);
const char       *cd_feedback_policy_get_id        (const CdFeedbackPolicy *self);
const char       *cd_feedback_policy_get_calendar  (const CdFeedbackPolicy *self);
CdFeedbackMode    cd_feedback_policy_get_mode      (const CdFeedbackPolicy *self);
guint             cd_feedback_policy_get_percent   (const CdFeedbackPolicy *self);
guint             cd_feedback_policy_get_attempts  (const CdFeedbackPolicy *self);
gint64            cd_feedback_policy_get_spacing   (const CdFeedbackPolicy *self);
guint             cd_feedback_policy_get_span_days (const CdFeedbackPolicy *self);
int               cd_feedback_policy_match         (const CdFeedbackPolicy *self,
                                                    const char        *kind,
                                                    const char        *category);
CdFeedbackPolicy *cd_feedback_policy_choose        (CdFeedbackPolicy * const *policies,
                                                    guint              n_policies,
                                                    const char        *kind,
                                                    const char        *category);
gboolean          cd_feedback_policy_select        (const CdFeedbackPolicy *self,
                                                    guint64            index);
gboolean          cd_feedback_policy_is_last       (const CdFeedbackPolicy *self,
                                                    guint              attempt);
gint64            cd_feedback_policy_earliest      (const CdFeedbackPolicy *self,
                                                    gint64             resolved_at,
                                                    gint64             last_attempt_at);
gboolean          cd_feedback_policy_next_window   (const CdFeedbackPolicy *self,
                                                    CdSlaCalendar     *calendar,
                                                    gint64             t,
                                                    gint64            *start,
                                                    gint64            *end);
gint64            cd_feedback_policy_due           (const CdFeedbackPolicy *self,
                                                    CdSlaCalendar     *calendar,
                                                    gint64             resolved_at);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFeedbackPolicy, cd_feedback_policy_free)

G_END_DECLS
