// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-form.c: an evaluation form read from JSON
 *
 * The text goes through the strict reader (cd_json_parse(), with the
 * nesting limit of client documents) and the tree is then walked with the
 * path of each value, so that a form with a typo is refused with the place
 * of the typo rather than scored wrongly: an operator's evaluation is
 * what their pay and training follow. Unknown members are refused too, so
 * that `"fatl": true` is not silently a question that never fails anyone.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cd-input.h"
#include "cd-json-tree.h"
#include "cd-qa-form.h"

G_DEFINE_QUARK (cd-qa-error-quark, cd_qa_error)

struct _CdQaText
{
  /* Language and text, in the form's order; a plain string has the
   * language "". */
  GPtrArray *languages;
  GPtrArray *texts;
};

static void
text_free (CdQaText *text)
{
  if (text == NULL)
    return;
  g_ptr_array_unref (text->languages);
  g_ptr_array_unref (text->texts);
  g_free (text);
}

static void
choice_free (CdQaChoice *choice)
{
  g_free (choice->id);
  text_free (choice->label);
  g_free (choice);
}

static void
question_free (CdQaQuestion *question)
{
  g_free (question->id);
  text_free (question->text);
  g_clear_pointer (&question->choices, g_ptr_array_unref);
  g_free (question);
}

static void
group_free (CdQaGroup *group)
{
  g_free (group->id);
  text_free (group->title);
  g_clear_pointer (&group->questions, g_ptr_array_unref);
  g_free (group);
}

static void
band_free (CdQaBand *band)
{
  g_free (band->id);
  text_free (band->name);
  g_free (band);
}

/**
 * cd_qa_form_free:
 * @self: (nullable): a form
 */
void
cd_qa_form_free (CdQaForm *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  text_free (self->title);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->bands, g_ptr_array_unref);
  g_free (self);
}

/* Reading {{{1 */

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *message)
{
  g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_FORM, "%s: %s", path, message);
  return FALSE;
}

static gboolean
check_members (JsonObject         *object,
               const char         *path,
               const char * const *allowed,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_autofree char *where = g_strdup_printf ("%s.%s", path, (const char *) l->data);

          return fail (error, where, _("unknown member"));
        }
    }
  return TRUE;
}

static gboolean
is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && (json_node_get_value_type (node) == G_TYPE_INT64
             || json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

/* An id: what answers, exports and the store name things by, so plain
 * ASCII that needs no quoting anywhere. */
static gboolean
read_id (JsonObject  *object,
         const char  *path,
         const char  *member,
         char       **out,
         GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  const char *id;
  gsize len;

  if (node == NULL)
    return fail (error, where, _("missing"));
  if (!is_string (node))
    return fail (error, where, _("must be a string"));
  id = json_node_get_string (node);
  len = strlen (id);
  if (len == 0 || len > CD_QA_MAX_ID)
    return fail (error, where, _("must be 1 to 64 characters long"));
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_' && id[i] != '.')
      return fail (error, where,
                   _("may hold only Latin letters, digits, “-”, “_” and “.”"));
  *out = g_strdup (id);
  return TRUE;
}

static gboolean
check_text (const char  *where,
            const char  *text,
            GError     **error)
{
  gsize len = strlen (text);

  if (len == 0)
    return fail (error, where, _("must not be empty"));
  if (len > CD_QA_MAX_TEXT)
    return fail (error, where, _("is too long"));
  if (!cd_input_text_is_clean (text, len, TRUE, NULL))
    return fail (error, where, _("holds a control character"));
  return TRUE;
}

static gboolean
is_language (const char *tag)
{
  gsize len = strlen (tag);

  if (len < 2 || len > 16)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (tag[i]) && tag[i] != '-' && tag[i] != '_')
      return FALSE;
  return TRUE;
}

static gboolean
read_text (JsonObject  *object,
           const char  *path,
           const char  *member,
           gboolean     required,
           CdQaText   **out,
           GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  CdQaText *text;

  if (node == NULL)
    return required ? fail (error, where, _("missing")) : TRUE;
  text = g_new0 (CdQaText, 1);
  text->languages = g_ptr_array_new_with_free_func (g_free);
  text->texts = g_ptr_array_new_with_free_func (g_free);
  *out = text;
  if (is_string (node))
    {
      if (!check_text (where, json_node_get_string (node), error))
        return FALSE;
      g_ptr_array_add (text->languages, g_strdup (""));
      g_ptr_array_add (text->texts, g_strdup (json_node_get_string (node)));
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *names = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (names);

      if (members == NULL)
        return fail (error, where, _("must name at least one language"));
      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *inner = g_strdup_printf ("%s.%s", where, (const char *) l->data);
          JsonNode *value = json_object_get_member (names, l->data);

          if (!is_language (l->data))
            return fail (error, inner, _("is not a language tag"));
          if (!is_string (value))
            return fail (error, inner, _("must be a string"));
          if (!check_text (inner, json_node_get_string (value), error))
            return FALSE;
          g_ptr_array_add (text->languages, g_strdup (l->data));
          g_ptr_array_add (text->texts, g_strdup (json_node_get_string (value)));
        }
      return TRUE;
    }
  return fail (error, where, _("must be a string, or an object of a text per language"));
}

static gboolean
read_number (JsonObject  *object,
             const char  *path,
             const char  *member,
             double       min,
             double       max,
             double      *out,
             GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  double value;

  if (node == NULL)
    return fail (error, where, _("missing"));
  if (!is_number (node))
    return fail (error, where, _("must be a number"));
  value = json_node_get_double (node);
  if (!(value >= min && value <= max))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("must be from %g to %g"), min, max);
      return fail (error, where, message);
    }
  *out = value;
  return TRUE;
}

static gboolean
read_integer (JsonObject  *object,
              const char  *path,
              const char  *member,
              gint64       min,
              gint64       max,
              gint64      *out,
              GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL)
    return fail (error, where, _("missing"));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, where, _("must be a whole number"));
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *message = NULL;

      /* The limits are within an int: no G_GINT64_FORMAT, which xgettext
       * cannot read in a message. */
      message = g_strdup_printf (_("must be from %d to %d"), (int) min, (int) max);
      return fail (error, where, message);
    }
  *out = value;
  return TRUE;
}

static gboolean
read_flag (JsonObject  *object,
           const char  *path,
           const char  *member,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *where = g_strdup_printf ("%s.%s", path, member);

      return fail (error, where, _("must be true or false"));
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static JsonArray *
read_array (JsonObject  *object,
            const char  *path,
            const char  *member,
            guint        max,
            GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", path, member);
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL)
    {
      fail (error, where, _("missing"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (error, where, _("must be an array"));
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    {
      fail (error, where, _("must not be empty"));
      return NULL;
    }
  if (json_array_get_length (array) > max)
    {
      g_autofree char *message = g_strdup_printf (_("must hold at most %u items"), max);

      fail (error, where, message);
      return NULL;
    }
  return array;
}

static JsonObject *
element_object (JsonArray   *array,
                guint        i,
                const char  *where,
                GError     **error)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, where, _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
read_choices (CdQaQuestion  *question,
              JsonObject    *object,
              const char    *path,
              GError       **error)
{
  static const char * const allowed[] = { "id", "label", "score", NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if ((array = read_array (object, path, "choices", CD_QA_MAX_CHOICES, error)) == NULL)
    return FALSE;
  if (json_array_get_length (array) < 2)
    {
      g_autofree char *where = g_strdup_printf ("%s.choices", path);

      return fail (error, where, _("must offer at least two choices"));
    }
  question->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) choice_free);
  question->max_choice = -1;
  question->min_choice = G_MAXDOUBLE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s.choices[%u]", path, i);
      CdQaChoice *choice = g_new0 (CdQaChoice, 1);
      JsonObject *item;

      g_ptr_array_add (question->choices, choice);
      if ((item = element_object (array, i, where, error)) == NULL
          || !check_members (item, where, allowed, error)
          || !read_id (item, where, "id", &choice->id, error)
          || !read_text (item, where, "label", TRUE, &choice->label, error)
          || !read_number (item, where, "score", 0, CD_QA_MAX_WEIGHT, &choice->score, error))
        return FALSE;
      if (!g_hash_table_add (seen, choice->id))
        {
          g_autofree char *inner = g_strdup_printf ("%s.id", where);

          return fail (error, inner, _("given twice"));
        }
      question->max_choice = MAX (question->max_choice, choice->score);
      question->min_choice = MIN (question->min_choice, choice->score);
    }
  if (question->max_choice <= 0 || question->max_choice == question->min_choice)
    {
      g_autofree char *where = g_strdup_printf ("%s.choices", path);

      return fail (error, where, _("the choices must not all score the same"));
    }
  return TRUE;
}

static gboolean
read_question (CdQaQuestion  *question,
               JsonObject    *object,
               const char    *path,
               GError       **error)
{
  static const char * const allowed[] = {
    "id", "text", "type", "scale", "choices", "weight", "optional", "fatal", "critical", NULL
  };
  g_autofree char *type_path = g_strdup_printf ("%s.type", path);
  JsonNode *type = json_object_get_member (object, "type");
  const char *name;

  if (!check_members (object, path, allowed, error)
      || !read_id (object, path, "id", &question->id, error)
      || !read_text (object, path, "text", TRUE, &question->text, error))
    return FALSE;
  if (type == NULL)
    return fail (error, type_path, _("missing"));
  if (!is_string (type))
    return fail (error, type_path, _("must be a string"));
  name = json_node_get_string (type);
  if (g_str_equal (name, "yes_no"))
    question->type = CD_QA_QUESTION_YES_NO;
  else if (g_str_equal (name, "scale"))
    question->type = CD_QA_QUESTION_SCALE;
  else if (g_str_equal (name, "choice"))
    question->type = CD_QA_QUESTION_CHOICE;
  else
    return fail (error, type_path, _("must be “yes_no”, “scale” or “choice”"));

  if (question->type != CD_QA_QUESTION_SCALE && json_object_has_member (object, "scale"))
    {
      g_autofree char *where = g_strdup_printf ("%s.scale", path);

      return fail (error, where, _("only a question of type “scale” has a scale"));
    }
  if (question->type != CD_QA_QUESTION_CHOICE && json_object_has_member (object, "choices"))
    {
      g_autofree char *where = g_strdup_printf ("%s.choices", path);

      return fail (error, where, _("only a question of type “choice” has choices"));
    }
  if (question->type == CD_QA_QUESTION_SCALE)
    {
      static const char * const scale_allowed[] = { "min", "max", NULL };
      g_autofree char *where = g_strdup_printf ("%s.scale", path);
      JsonNode *scale = json_object_get_member (object, "scale");

      if (scale == NULL)
        return fail (error, where, _("missing"));
      if (!JSON_NODE_HOLDS_OBJECT (scale))
        return fail (error, where, _("must be an object"));
      if (!check_members (json_node_get_object (scale), where, scale_allowed, error)
          || !read_integer (json_node_get_object (scale), where, "min", 0, 100,
                            &question->scale_min, error)
          || !read_integer (json_node_get_object (scale), where, "max", 0, 100,
                            &question->scale_max, error))
        return FALSE;
      if (question->scale_max <= question->scale_min)
        {
          g_autofree char *inner = g_strdup_printf ("%s.max", where);

          return fail (error, inner, _("must be above the minimum"));
        }
    }
  if (question->type == CD_QA_QUESTION_CHOICE && !read_choices (question, object, path, error))
    return FALSE;

  question->weight = 1;
  if (json_object_has_member (object, "weight")
      && !read_number (object, path, "weight", 0, CD_QA_MAX_WEIGHT, &question->weight, error))
    return FALSE;
  if (question->weight <= 0)
    {
      g_autofree char *where = g_strdup_printf ("%s.weight", path);

      return fail (error, where, _("must be above 0"));
    }
  if (!read_flag (object, path, "optional", &question->optional, error)
      || !read_flag (object, path, "fatal", &question->fatal, error)
      || !read_flag (object, path, "critical", &question->critical, error))
    return FALSE;
  /* A fatal question already decides the whole evaluation; counting it
   * again as critical would say the same fault twice. */
  if (question->fatal && question->critical)
    return fail (error, path, _("a question is fatal or critical, not both"));
  return TRUE;
}

static gboolean
read_group (CdQaGroup   *group,
            JsonObject  *object,
            const char  *path,
            GHashTable  *question_ids,
            GError     **error)
{
  static const char * const allowed[] = { "id", "title", "weight", "questions", NULL };
  JsonArray *array;

  if (!check_members (object, path, allowed, error)
      || !read_id (object, path, "id", &group->id, error)
      || !read_text (object, path, "title", TRUE, &group->title, error)
      || !read_number (object, path, "weight", 0, CD_QA_MAX_WEIGHT, &group->weight, error))
    return FALSE;
  if (group->weight <= 0)
    {
      g_autofree char *where = g_strdup_printf ("%s.weight", path);

      return fail (error, where, _("must be above 0"));
    }
  if ((array = read_array (object, path, "questions", CD_QA_MAX_QUESTIONS, error)) == NULL)
    return FALSE;
  group->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("%s.questions[%u]", path, i);
      CdQaQuestion *question = g_new0 (CdQaQuestion, 1);
      JsonObject *item;

      g_ptr_array_add (group->questions, question);
      if ((item = element_object (array, i, where, error)) == NULL
          || !read_question (question, item, where, error))
        return FALSE;
      if (g_hash_table_size (question_ids) >= CD_QA_MAX_QUESTIONS)
        return fail (error, where, _("the form has too many questions"));
      if (!g_hash_table_add (question_ids, question->id))
        {
          g_autofree char *inner = g_strdup_printf ("%s.id", where);

          return fail (error, inner, _("given twice in the form"));
        }
    }
  return TRUE;
}

static gboolean
read_bands (CdQaForm    *self,
            JsonObject  *object,
            GError     **error)
{
  static const char * const allowed[] = { "id", "from", "to", "name", NULL };
  JsonArray *array;

  if ((array = read_array (object, "form", "bands", CD_QA_MAX_BANDS, error)) == NULL)
    return FALSE;
  self->bands = g_ptr_array_new_with_free_func ((GDestroyNotify) band_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("form.bands[%u]", i);
      CdQaBand *band = g_new0 (CdQaBand, 1);
      gint64 expected_from;
      JsonObject *item;

      g_ptr_array_add (self->bands, band);
      if ((item = element_object (array, i, where, error)) == NULL
          || !check_members (item, where, allowed, error)
          || (json_object_has_member (item, "id")
              && !read_id (item, where, "id", &band->id, error))
          || !read_integer (item, where, "from", 0, 100, &band->from, error)
          || !read_integer (item, where, "to", 0, 100, &band->to, error)
          || !read_text (item, where, "name", TRUE, &band->name, error))
        return FALSE;
      /* Bands are written as people write them (0-50, 51-75, 76-100):
       * whole numbers, one after the other, from 0 to 100. */
      expected_from = i == 0 ? 0
                      : ((CdQaBand *) g_ptr_array_index (self->bands, i - 1))->to + 1;
      if (band->from != expected_from)
        {
          g_autofree char *inner = g_strdup_printf ("%s.from", where);
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("must be %d: the bands cover 0 to 100 in order, "
                                       "without gaps"), (int) expected_from);
          return fail (error, inner, message);
        }
      if (band->to < band->from)
        {
          g_autofree char *inner = g_strdup_printf ("%s.to", where);

          return fail (error, inner, _("must not be below “from”"));
        }
    }
  if (((CdQaBand *) g_ptr_array_index (self->bands, self->bands->len - 1))->to != 100)
    {
      g_autofree char *where = g_strdup_printf ("form.bands[%u].to", self->bands->len - 1);

      return fail (error, where, _("the last band must end at 100"));
    }
  return TRUE;
}

static gboolean
read_form (CdQaForm    *self,
           JsonObject  *object,
           GError     **error)
{
  static const char * const allowed[] = { "id", "version", "title", "groups", "bands", NULL };
  g_autoptr(GHashTable) question_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) group_ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (!check_members (object, "form", allowed, error)
      || !read_id (object, "form", "id", &self->id, error)
      || !read_integer (object, "form", "version", 1, G_MAXINT32, &self->version, error)
      || !read_text (object, "form", "title", TRUE, &self->title, error))
    return FALSE;
  if ((array = read_array (object, "form", "groups", CD_QA_MAX_GROUPS, error)) == NULL)
    return FALSE;
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf ("form.groups[%u]", i);
      CdQaGroup *group = g_new0 (CdQaGroup, 1);
      JsonObject *item;

      g_ptr_array_add (self->groups, group);
      if ((item = element_object (array, i, where, error)) == NULL
          || !read_group (group, item, where, question_ids, error))
        return FALSE;
      if (!g_hash_table_add (group_ids, group->id))
        {
          g_autofree char *inner = g_strdup_printf ("%s.id", where);

          return fail (error, inner, _("given twice in the form"));
        }
    }
  return read_bands (self, object, error);
}

/**
 * cd_qa_form_new_from_json:
 * @json: (array length=len): the form's JSON (docs/qa.md, "Forms")
 * @len: its length in bytes
 * @error: return location for a %CD_QA_ERROR_INVALID_FORM whose message
 *   starts with the place of the fault (`form.groups[1].weight: …`)
 *
 * Returns: (transfer full): the form, or %NULL
 */
CdQaForm *
cd_qa_form_new_from_json (const char  *json,
                          gsize        len,
                          GError     **error)
{
  g_autoptr(CdQaForm) self = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize offset = 0;

  g_return_val_if_fail (json != NULL || len == 0, NULL);

  if (len > CD_QA_MAX_DOCUMENT)
    {
      fail (error, "form", _("is larger than 1 MiB"));
      return NULL;
    }
  root = cd_json_parse (json, len, CD_JSON_INPUT_MAX_DEPTH, &offset, NULL, &local_error);
  if (root == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("not JSON at byte %u: %s"), (guint) offset,
                                 local_error->message);
      fail (error, "form", message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "form", _("must be an object"));
      return NULL;
    }
  self = g_new0 (CdQaForm, 1);
  if (!read_form (self, json_node_get_object (root), error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Looking things up {{{1 */

/**
 * cd_qa_form_lookup_question:
 * @self: a form
 * @id: a question's id
 * @group_index: (out) (optional): the index of its group
 *
 * Returns: (nullable): the question, or %NULL when the form has none of
 *   that id
 */
const CdQaQuestion *
cd_qa_form_lookup_question (const CdQaForm *self,
                            const char     *id,
                            guint          *group_index)
{
  for (guint g = 0; g < self->groups->len; g++)
    {
      const CdQaGroup *group = g_ptr_array_index (self->groups, g);

      for (guint q = 0; q < group->questions->len; q++)
        {
          const CdQaQuestion *question = g_ptr_array_index (group->questions, q);

          if (g_str_equal (question->id, id))
            {
              if (group_index != NULL)
                *group_index = g;
              return question;
            }
        }
    }
  return NULL;
}

/**
 * cd_qa_form_count_questions:
 * @self: a form
 *
 * Returns: the number of questions in all its groups
 */
guint
cd_qa_form_count_questions (const CdQaForm *self)
{
  guint n = 0;

  for (guint g = 0; g < self->groups->len; g++)
    n += ((const CdQaGroup *) g_ptr_array_index (self->groups, g))->questions->len;
  return n;
}

/**
 * cd_qa_form_find_band:
 * @self: a form
 * @total: a total from 0 to 100
 *
 * A band covers its `from` up to, not including, the next band's `from`
 * (the last one up to 100 itself): with bands 0-50 and 51-75, 50.9 is in
 * the first and 51.0 in the second (docs/qa.md, "Bands").
 *
 * Returns: (nullable): the band of @total, or %NULL outside 0 to 100
 */
const CdQaBand *
cd_qa_form_find_band (const CdQaForm *self,
                      double          total)
{
  if (!(total >= 0 && total <= 100))
    return NULL;
  for (guint i = self->bands->len; i > 0; i--)
    {
      const CdQaBand *band = g_ptr_array_index (self->bands, i - 1);

      if (total >= band->from)
        return band;
    }
  return NULL;
}

/**
 * cd_qa_text_get:
 * @text: (nullable): a text
 * @languages: (nullable): the languages wanted, best first, as
 *   g_get_language_names() gives them
 *
 * Returns: (nullable): the text in the first of @languages it has, else in
 *   English, else in its first language
 */
const char *
cd_qa_text_get (const CdQaText     *text,
                const char * const *languages)
{
  if (text == NULL || text->texts->len == 0)
    return NULL;
  for (guint l = 0; languages != NULL && languages[l] != NULL; l++)
    for (guint i = 0; i < text->languages->len; i++)
      if (g_str_equal (g_ptr_array_index (text->languages, i), languages[l]))
        return g_ptr_array_index (text->texts, i);
  for (guint i = 0; i < text->languages->len; i++)
    if (g_str_equal (g_ptr_array_index (text->languages, i), "en"))
      return g_ptr_array_index (text->texts, i);
  return g_ptr_array_index (text->texts, 0);
}

/**
 * cd_qa_question_type_to_string:
 * @type: a question's type
 *
 * Returns: its name in the form's JSON (`yes_no`)
 */
const char *
cd_qa_question_type_to_string (CdQaQuestionType type)
{
  switch (type)
    {
    case CD_QA_QUESTION_YES_NO:
      return "yes_no";
    case CD_QA_QUESTION_SCALE:
      return "scale";
    case CD_QA_QUESTION_CHOICE:
      return "choice";
    default:
      g_return_val_if_reached (NULL);
    }
}
