// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-score.c: scoring an evaluation (docs/qa.md "Scoring")
 *
 * Every question is worth its weight in points, whatever its type, so
 * that a scale of 1 to 10 does not outweigh a yes-or-no question by nine
 * just for having more steps; what it earns is the share of the way from
 * its worst answer to its best. The total weighs groups, not points,
 * because the desk sets how much "listening and empathy" counts against
 * "closing", however many questions each happens to ask.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cd-json-reader.h"
#include "cd-json-tree.h"
#include "cd-qa-score.h"

/**
 * cd_qa_score_free:
 * @self: (nullable): a score
 */
void
cd_qa_score_free (CdQaScore *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_questions; i++)
    g_free (self->questions[i].value);
  g_free (self->questions);
  g_free (self->groups);
  g_clear_pointer (&self->fatal_failed, g_ptr_array_unref);
  g_free (self);
}

/**
 * cd_qa_round_1:
 * @value: a score
 *
 * Rounds to one decimal, a half away from zero (62.25 is 62.3). A value
 * within 1e-9 of a half counts as the half: 62.25 computed in binary
 * floating point may come out as 62.2499999…, and the score must be what
 * the same arithmetic on paper gives.
 *
 * Returns: @value to one decimal
 */
double
cd_qa_round_1 (double value)
{
  double tenths = floor (fabs (value) * 10 + 0.5 + 1e-9);

  return copysign (tenths / 10, value);
}

static gboolean
refuse (GError     **error,
        const char  *path,
        const char  *message)
{
  g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_ANSWERS, "%s: %s", path, message);
  return FALSE;
}

/* One answer read into its question's score; "n/a" leaves it not
 * applicable. */
static gboolean
read_answer (CdQaQuestionScore  *score,
             JsonNode           *node,
             const char         *path,
             GError            **error)
{
  const CdQaQuestion *q = score->question;
  double fraction = 0;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && g_str_equal (json_node_get_string (node), "n/a"))
    {
      score->value = g_strdup ("n/a");
      return TRUE;
    }
  switch (q->type)
    {
    case CD_QA_QUESTION_YES_NO:
      {
        gboolean yes;

        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
          yes = json_node_get_boolean (node);
        else if (JSON_NODE_HOLDS_VALUE (node)
                 && json_node_get_value_type (node) == G_TYPE_STRING
                 && (g_str_equal (json_node_get_string (node), "yes")
                     || g_str_equal (json_node_get_string (node), "no")))
          yes = g_str_equal (json_node_get_string (node), "yes");
        else
          return refuse (error, path, _("must be true, false, “yes”, “no” or “n/a”"));
        score->value = g_strdup (yes ? "yes" : "no");
        fraction = yes ? 1 : 0;
        score->failed = !yes;
        break;
      }
    case CD_QA_QUESTION_SCALE:
      {
        gint64 value;

        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
          return refuse (error, path, _("must be a whole number on the question’s scale, or "
                                        "“n/a”"));
        value = json_node_get_int (node);
        if (value < q->scale_min || value > q->scale_max)
          {
            g_autofree char *message = NULL;

            g_autofree char *given = g_strdup_printf ("%" G_GINT64_FORMAT, value);

            /* Translators: the answer given, then the scale's ends. */
            message = g_strdup_printf (_("%s is outside the scale %d to %d"), given,
                                       (int) q->scale_min, (int) q->scale_max);
            return refuse (error, path, message);
          }
        score->value = g_strdup_printf ("%" G_GINT64_FORMAT, value);
        fraction = (double) (value - q->scale_min) / (double) (q->scale_max - q->scale_min);
        score->failed = value == q->scale_min;
        break;
      }
    case CD_QA_QUESTION_CHOICE:
      {
        const CdQaChoice *chosen = NULL;

        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
          return refuse (error, path, _("must be the id of one of the question’s choices, or "
                                        "“n/a”"));
        for (guint i = 0; i < q->choices->len && chosen == NULL; i++)
          {
            const CdQaChoice *choice = g_ptr_array_index (q->choices, i);

            if (g_str_equal (choice->id, json_node_get_string (node)))
              chosen = choice;
          }
        if (chosen == NULL)
          return refuse (error, path, _("not one of the question’s choices"));
        score->value = g_strdup (chosen->id);
        fraction = chosen->score / q->max_choice;
        score->failed = chosen->score == q->min_choice;
        break;
      }
    default:
      g_assert_not_reached ();
    }
  score->applicable = TRUE;
  score->possible = q->weight;
  score->earned = q->weight * fraction;
  return TRUE;
}

static gboolean
check_header (const CdQaForm  *form,
              JsonObject      *object,
              GError         **error)
{
  static const char * const allowed[] = { "form", "version", "answers", NULL };
  g_autoptr(GList) members = json_object_get_members (object);
  JsonNode *id = json_object_get_member (object, "form");
  JsonNode *version = json_object_get_member (object, "version");

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *where = g_strdup_printf ("answers.%s", (const char *) l->data);

        return refuse (error, where, _("unknown member"));
      }
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id)
      || json_node_get_value_type (id) != G_TYPE_STRING)
    return refuse (error, "answers.form", _("must be the form’s id"));
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64)
    return refuse (error, "answers.version", _("must be the form’s version, a whole number"));
  if (!g_str_equal (json_node_get_string (id), form->id)
      || json_node_get_int (version) != form->version)
    {
      g_autofree char *given = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (version));

      g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_OTHER_FORM,
                   _("the answers are to the form “%s” version %s, not to “%s” version %d"),
                   json_node_get_string (id), given, form->id, (int) form->version);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "answers")))
    return refuse (error, "answers.answers", _("must be an object of answers by question"));
  return TRUE;
}

static void
compute (CdQaScore *self)
{
  const CdQaForm *form = self->form;
  double weighted = 0;
  double weights = 0;

  for (guint i = 0; i < self->n_questions; i++)
    {
      const CdQaQuestionScore *q = &self->questions[i];
      CdQaGroupScore *group = &self->groups[q->group_index];

      if (!q->applicable)
        continue;
      if (q->question->fatal && q->failed)
        g_ptr_array_add (self->fatal_failed, (gpointer) q->question);
      /* Critical questions are scored apart and never in the total. */
      if (q->question->critical)
        {
          self->critical_applicable++;
          if (!q->failed)
            self->critical_passed++;
          continue;
        }
      group->earned += q->earned;
      group->possible += q->possible;
    }
  for (guint g = 0; g < self->n_groups; g++)
    {
      CdQaGroupScore *group = &self->groups[g];

      group->group = g_ptr_array_index (form->groups, g);
      if (group->possible <= 0)
        continue;
      group->applicable = TRUE;
      group->score = cd_qa_round_1 (100 * group->earned / group->possible);
      /* The total is made of the unrounded group scores. */
      weighted += group->group->weight * (group->earned / group->possible);
      weights += group->group->weight;
    }
  if (weights > 0)
    {
      self->has_total = TRUE;
      self->unfailed_total = cd_qa_round_1 (100 * weighted / weights);
      self->total = self->unfailed_total;
    }
  if (self->fatal_failed->len > 0)
    {
      self->has_total = TRUE;
      self->total = 0;
    }
  if (self->has_total)
    self->band = cd_qa_form_find_band (form, self->total);
  if (self->critical_applicable > 0)
    {
      self->has_critical = TRUE;
      self->critical = cd_qa_round_1 (100.0 * self->critical_passed
                                      / self->critical_applicable);
    }
}

/**
 * cd_qa_score_new_from_json:
 * @form: the form
 * @answers: (array length=len): the answers' JSON:
 *   `{"form": ID, "version": N, "answers": {QUESTION: VALUE or "n/a"}}`
 * @len: its length in bytes
 * @error: %CD_QA_ERROR_OTHER_FORM for answers to another form or version,
 *   %CD_QA_ERROR_INVALID_ANSWERS for anything else (malformed, too deep, an
 *   unknown question, a value of the wrong kind or off the scale, a
 *   required question not answered), its message starting with the place
 *
 * Returns: (transfer full): the score, or %NULL
 */
CdQaScore *
cd_qa_score_new_from_json (const CdQaForm  *form,
                           const char      *answers,
                           gsize            len,
                           GError         **error)
{
  g_autoptr(CdQaScore) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *given;
  gsize offset = 0;
  guint n = 0;

  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (answers != NULL || len == 0, NULL);

  if (len > CD_QA_MAX_ANSWERS_DOCUMENT)
    {
      refuse (error, "answers", _("is larger than 256 KiB"));
      return NULL;
    }
  root = cd_json_parse (answers, len, CD_JSON_INPUT_MAX_DEPTH, &offset, NULL, &local_error);
  if (root == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("not JSON at byte %u: %s"), (guint) offset,
                                 local_error->message);
      refuse (error, "answers", message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      refuse (error, "answers", _("must be an object"));
      return NULL;
    }
  if (!check_header (form, json_node_get_object (root), error))
    return NULL;
  given = json_object_get_object_member (json_node_get_object (root), "answers");
  members = json_object_get_members (given);
  for (GList *l = members; l != NULL; l = l->next)
    if (cd_qa_form_lookup_question (form, l->data, NULL) == NULL)
      {
        g_autofree char *where = g_strdup_printf ("answers.answers.%s",
                                                  (const char *) l->data);

        refuse (error, where, _("the form has no such question"));
        return NULL;
      }

  self = g_new0 (CdQaScore, 1);
  self->form = form;
  self->fatal_failed = g_ptr_array_new ();
  self->n_groups = form->groups->len;
  self->groups = g_new0 (CdQaGroupScore, self->n_groups);
  self->n_questions = cd_qa_form_count_questions (form);
  self->questions = g_new0 (CdQaQuestionScore, self->n_questions);
  for (guint g = 0; g < form->groups->len; g++)
    {
      const CdQaGroup *group = g_ptr_array_index (form->groups, g);

      for (guint i = 0; i < group->questions->len; i++, n++)
        {
          CdQaQuestionScore *score = &self->questions[n];
          g_autofree char *where = NULL;
          JsonNode *node;

          score->question = g_ptr_array_index (group->questions, i);
          score->group_index = g;
          where = g_strdup_printf ("answers.answers.%s", score->question->id);
          node = json_object_get_member (given, score->question->id);
          if (node == NULL && score->question->optional)
            {
              score->value = g_strdup ("n/a");
              continue;
            }
          if (node == NULL)
            {
              refuse (error, where, _("not answered, and the question is not optional "
                                      "(answer “n/a” if it does not apply)"));
              return NULL;
            }
          if (!read_answer (score, node, where, error))
            return NULL;
        }
    }
  compute (self);
  return g_steal_pointer (&self);
}

/* Writing {{{1 */

static void
append_number (GString *out,
               double   value,
               gboolean one_decimal)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (one_decimal)
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
  else
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

static void
append_member (GString    *out,
               const char *name)
{
  if (out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  cd_json_append_string (out, name);
  g_string_append_c (out, ':');
}

static void
append_text_member (GString            *out,
                    const char         *name,
                    const CdQaText     *text,
                    const char * const *languages)
{
  append_member (out, name);
  cd_json_append_string (out, cd_qa_text_get (text, languages));
}

static gboolean
any_group_applicable (const CdQaScore *self)
{
  for (guint g = 0; g < self->n_groups; g++)
    if (self->groups[g].applicable)
      return TRUE;
  return FALSE;
}

/* The failed fatal questions' texts, for people. */
static char *
fatal_reason (const CdQaScore    *self,
              const char * const *languages)
{
  g_autoptr(GString) reason = g_string_new (NULL);

  for (guint i = 0; i < self->fatal_failed->len; i++)
    {
      const CdQaQuestion *q = g_ptr_array_index (self->fatal_failed, i);

      if (i > 0)
        g_string_append (reason, "; ");
      g_string_append (reason, cd_qa_text_get (q->text, languages));
    }
  return g_string_free (g_steal_pointer (&reason), FALSE);
}

/**
 * cd_qa_score_to_json:
 * @self: a score
 * @languages: (nullable): the languages of the texts in it, best first
 *
 * Returns: (transfer full): the score as `citydeskctl qa score --json`
 *   prints it (docs/qa.md, "The score in JSON")
 */
char *
cd_qa_score_to_json (const CdQaScore    *self,
                     const char * const *languages)
{
  GString *out = g_string_new ("{");

  append_member (out, "form");
  cd_json_append_string (out, self->form->id);
  append_member (out, "version");
  cd_json_append_int (out, self->form->version);
  append_text_member (out, "title", self->form->title, languages);
  append_member (out, "total");
  if (self->has_total)
    append_number (out, self->total, TRUE);
  else
    g_string_append (out, "null");
  append_member (out, "band");
  if (self->band != NULL)
    {
      g_string_append_c (out, '{');
      append_member (out, "id");
      if (self->band->id != NULL)
        cd_json_append_string (out, self->band->id);
      else
        g_string_append (out, "null");
      append_member (out, "from");
      cd_json_append_int (out, self->band->from);
      append_member (out, "to");
      cd_json_append_int (out, self->band->to);
      append_text_member (out, "name", self->band->name, languages);
      g_string_append_c (out, '}');
    }
  else
    g_string_append (out, "null");
  append_member (out, "fatal");
  g_string_append (out, self->fatal_failed->len > 0 ? "true" : "false");
  append_member (out, "fatal_reason");
  if (self->fatal_failed->len > 0)
    {
      g_autofree char *reason = fatal_reason (self, languages);

      cd_json_append_string (out, reason);
    }
  else
    g_string_append (out, "null");
  append_member (out, "fatal_questions");
  g_string_append_c (out, '[');
  for (guint i = 0; i < self->fatal_failed->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      cd_json_append_string (out, ((CdQaQuestion *) g_ptr_array_index (self->fatal_failed,
                                                                       i))->id);
    }
  g_string_append_c (out, ']');
  append_member (out, "total_without_fatal");
  if (any_group_applicable (self))
    append_number (out, self->unfailed_total, TRUE);
  else
    g_string_append (out, "null");

  append_member (out, "critical");
  g_string_append_c (out, '{');
  append_member (out, "score");
  if (self->has_critical)
    append_number (out, self->critical, TRUE);
  else
    g_string_append (out, "null");
  append_member (out, "passed");
  cd_json_append_int (out, self->critical_passed);
  append_member (out, "applicable");
  cd_json_append_int (out, self->critical_applicable);
  g_string_append_c (out, '}');

  append_member (out, "groups");
  g_string_append_c (out, '[');
  for (guint g = 0; g < self->n_groups; g++)
    {
      const CdQaGroupScore *group = &self->groups[g];

      if (g > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_member (out, "id");
      cd_json_append_string (out, group->group->id);
      append_text_member (out, "title", group->group->title, languages);
      append_member (out, "weight");
      append_number (out, group->group->weight, FALSE);
      append_member (out, "applicable");
      g_string_append (out, group->applicable ? "true" : "false");
      append_member (out, "earned");
      append_number (out, group->earned, FALSE);
      append_member (out, "possible");
      append_number (out, group->possible, FALSE);
      append_member (out, "score");
      if (group->applicable)
        append_number (out, group->score, TRUE);
      else
        g_string_append (out, "null");
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');

  append_member (out, "questions");
  g_string_append_c (out, '[');
  for (guint i = 0; i < self->n_questions; i++)
    {
      const CdQaQuestionScore *q = &self->questions[i];

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_member (out, "id");
      cd_json_append_string (out, q->question->id);
      append_member (out, "group");
      cd_json_append_string (out, self->groups[q->group_index].group->id);
      append_member (out, "answer");
      cd_json_append_string (out, q->value);
      append_member (out, "applicable");
      g_string_append (out, q->applicable ? "true" : "false");
      append_member (out, "earned");
      append_number (out, q->earned, FALSE);
      append_member (out, "possible");
      append_number (out, q->possible, FALSE);
      append_member (out, "failed");
      g_string_append (out, q->applicable && q->failed ? "true" : "false");
      append_member (out, "fatal");
      g_string_append (out, q->question->fatal ? "true" : "false");
      append_member (out, "critical");
      g_string_append (out, q->question->critical ? "true" : "false");
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}
