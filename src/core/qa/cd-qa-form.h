// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-form.h: an evaluation form of the quality-control desk
 *
 * A form is data (JSON, docs/qa.md "Forms"): groups with weights, each of
 * questions answered yes or no, on a scale or by a choice with scores,
 * any of which may be optional, fatal or critical, and the named bands of
 * the total. It comes from people (a file, later the server), so it is read
 * with the strict JSON reader and every fault is named by its place in
 * the form (`groups[2].questions[0].scale.max`). A form is identified by
 * its id and version together: a changed form is a new version.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_QA_ERROR (cd_qa_error_quark ())

/**
 * CdQaError:
 * @CD_QA_ERROR_INVALID_FORM: the form is not one (the message names where)
 * @CD_QA_ERROR_INVALID_ANSWERS: the answers are not answers to the form
 *   (malformed, an unknown question, a value outside its scale)
 * @CD_QA_ERROR_OTHER_FORM: the answers are to another form, or another
 *   version of it
 */
typedef enum
{
  CD_QA_ERROR_INVALID_FORM,
  CD_QA_ERROR_INVALID_ANSWERS,
  CD_QA_ERROR_OTHER_FORM,
} CdQaError;

/* What a form may hold: a form larger than this is not one people wrote. */
#define CD_QA_MAX_DOCUMENT (1024 * 1024)
#define CD_QA_MAX_GROUPS 64
#define CD_QA_MAX_QUESTIONS 512
#define CD_QA_MAX_CHOICES 32
#define CD_QA_MAX_BANDS 16
#define CD_QA_MAX_ID 64
#define CD_QA_MAX_TEXT 2048
#define CD_QA_MAX_WEIGHT 1000

typedef enum
{
  CD_QA_QUESTION_YES_NO,
  CD_QA_QUESTION_SCALE,
  CD_QA_QUESTION_CHOICE,
} CdQaQuestionType;

/**
 * CdQaText:
 *
 * A text for people, in one or more languages: `"Greeting"` or
 * `{"en": "Greeting", "ru": "Приветствие"}`. Read it with cd_qa_text_get().
 */
typedef struct _CdQaText CdQaText;

typedef struct
{
  char     *id;
  CdQaText *label;
  double    score;
} CdQaChoice;

typedef struct
{
  char             *id;
  CdQaText         *text;
  CdQaQuestionType  type;
  gint64            scale_min;
  gint64            scale_max;
  GPtrArray        *choices;     /* of CdQaChoice, for CD_QA_QUESTION_CHOICE */
  double            max_choice;  /* the highest score of a choice */
  double            min_choice;  /* the lowest */
  double            weight;
  gboolean          optional;
  gboolean          fatal;
  gboolean          critical;
} CdQaQuestion;

typedef struct
{
  char      *id;
  CdQaText  *title;
  double     weight;
  GPtrArray *questions;  /* of CdQaQuestion */
} CdQaGroup;

typedef struct
{
  char     *id;
  gint64    from;
  gint64    to;
  CdQaText *name;
} CdQaBand;

typedef struct
{
  char      *id;
  gint64     version;
  CdQaText  *title;
  GPtrArray *groups;  /* of CdQaGroup */
  GPtrArray *bands;   /* of CdQaBand, from the lowest */
} CdQaForm;

GQuark              cd_qa_error_quark          (void);

CdQaForm           *cd_qa_form_new_from_json   (const char          *json,
                                                gsize                len,
                                                GError             **error);
void                cd_qa_form_free            (CdQaForm            *self);
const CdQaQuestion *cd_qa_form_lookup_question (const CdQaForm      *self,
                                                const char          *id,
                                                guint               *group_index);
guint               cd_qa_form_count_questions (const CdQaForm      *self);
const CdQaBand     *cd_qa_form_find_band       (const CdQaForm      *self,
                                                double               total);

const char         *cd_qa_text_get             (const CdQaText      *text,
                                                const char * const  *languages);

const char         *cd_qa_question_type_to_string (CdQaQuestionType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdQaForm, cd_qa_form_free)

G_END_DECLS
