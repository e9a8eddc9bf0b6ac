// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-routing.c: which executor gets a new ticket */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-category.h"
#include "cd-routing.h"

G_DEFINE_QUARK (cd-routing-error-quark, cd_routing_error)

struct _CdRouting
{
  char   *default_executor;
  GArray *rules;
};

static void
clear_rule (gpointer data)
{
  CdRoutingRule *rule = data;

  g_free (rule->category);
  g_free (rule->district);
  g_free (rule->executor);
}

/**
 * cd_routing_new:
 * @default_executor: who gets a ticket no rule matches
 *
 * Returns: (transfer full): rules with only a default
 */
CdRouting *
cd_routing_new (const char *default_executor)
{
  CdRouting *self = g_new0 (CdRouting, 1);

  g_return_val_if_fail (default_executor != NULL, NULL);

  self->default_executor = g_strdup (default_executor);
  self->rules = g_array_new (FALSE, TRUE, sizeof (CdRoutingRule));
  g_array_set_clear_func (self->rules, clear_rule);
  return self;
}

void
cd_routing_free (CdRouting *self)
{
  if (self == NULL)
    return;
  g_free (self->default_executor);
  g_array_unref (self->rules);
  g_free (self);
}

const char *
cd_routing_get_default (CdRouting *self)
{
  return self->default_executor;
}

void
cd_routing_set_default (CdRouting  *self,
                        const char *executor)
{
  g_return_if_fail (executor != NULL);

  g_free (self->default_executor);
  self->default_executor = g_strdup (executor);
}

static const char *
empty_to_null (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

/**
 * cd_routing_add_rule:
 * @self: the rules
 * @category: (nullable): a category or a group; %NULL for any
 * @district: (nullable): a district; %NULL for any
 * @executor: the executor
 * @error: %CD_ROUTING_ERROR_UNKNOWN_CATEGORY
 *
 * Returns: whether the rule was added
 */
gboolean
cd_routing_add_rule (CdRouting   *self,
                     const char  *category,
                     const char  *district,
                     const char  *executor,
                     GError     **error)
{
  CdRoutingRule rule;

  g_return_val_if_fail (executor != NULL && *executor != '\0', FALSE);

  category = empty_to_null (category);
  if (category != NULL && cd_category_lookup (category) == NULL)
    {
      g_set_error (error, CD_ROUTING_ERROR, CD_ROUTING_ERROR_UNKNOWN_CATEGORY,
                   _("The routing rule for “%s” names a category the classifier does not have."),
                   category);
      return FALSE;
    }

  rule.category = g_strdup (category);
  rule.district = g_strdup (empty_to_null (district));
  rule.executor = g_strdup (executor);
  g_array_append_val (self->rules, rule);
  return TRUE;
}

guint
cd_routing_get_n_rules (CdRouting *self)
{
  return self->rules->len;
}

const CdRoutingRule *
cd_routing_get_rule (CdRouting *self,
                     guint      i)
{
  g_return_val_if_fail (i < self->rules->len, NULL);
  return &g_array_index (self->rules, CdRoutingRule, i);
}

static int
category_score (const char *rule,
                const char *category)
{
  gsize len;

  if (rule == NULL)
    return 0;
  if (strcmp (rule, category) == 0)
    return 2;
  len = strlen (rule);
  if (strncmp (rule, category, len) == 0 && category[len] == '.')
    return 1;
  return -1;
}

/**
 * cd_routing_route:
 * @self: the rules
 * @category: the ticket's category
 * @district: (nullable): the ticket's district
 *
 * Returns: (transfer none): the executor of the most specific matching
 *   rule, or the default
 */
const char *
cd_routing_route (CdRouting  *self,
                  const char *category,
                  const char *district)
{
  const char *best = self->default_executor;
  int best_score = -1;

  for (guint i = 0; i < self->rules->len; i++)
    {
      const CdRoutingRule *rule = &g_array_index (self->rules, CdRoutingRule, i);
      int c = category_score (rule->category, category);
      int d = rule->district == NULL ? 0 : g_strcmp0 (rule->district, district) == 0 ? 1 : -1;
      int score;

      if (c < 0 || d < 0)
        continue;
      score = c * 2 + d;
      if (score > best_score)
        {
          best_score = score;
          best = rule->executor;
        }
    }
  return best;
}

static const char *
get_optional_string (JsonObject  *object,
                     const char  *member,
                     gboolean    *ok)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

static CdRouting *
invalid (GError     **error,
         const char  *why)
{
  g_set_error (error, CD_ROUTING_ERROR, CD_ROUTING_ERROR_INVALID,
               _("The routing rules are not valid: %s"), why);
  return NULL;
}

/**
 * cd_routing_new_from_json:
 * @json: the rules, in the form described at the top of cd-routing.h
 * @error: a #CD_ROUTING_ERROR
 *
 * Returns: (transfer full): the rules, or %NULL with @error set
 */
CdRouting *
cd_routing_new_from_json (const char  *json,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CdRouting) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *rules = NULL;
  const char *fallback;
  gboolean ok = TRUE;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    return invalid (error, local_error->message);
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, _("the top level is not an object."));
  root = json_node_get_object (node);

  fallback = get_optional_string (root, "default", &ok);
  if (!ok || fallback == NULL || *fallback == '\0')
    return invalid (error, _("“default” must name an executor."));
  self = cd_routing_new (fallback);

  node = json_object_get_member (root, "rules");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return invalid (error, _("“rules” must be an array."));
      rules = json_node_get_array (node);
    }

  for (guint i = 0; rules != NULL && i < json_array_get_length (rules); i++)
    {
      JsonNode *element = json_array_get_element (rules, i);
      JsonObject *rule;
      const char *category, *district, *executor;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, _("each rule must be an object."));
      rule = json_node_get_object (element);
      category = get_optional_string (rule, "category", &ok);
      district = get_optional_string (rule, "district", &ok);
      executor = get_optional_string (rule, "executor", &ok);
      if (!ok)
        return invalid (error, _("a rule’s members must be strings."));
      if (executor == NULL || *executor == '\0')
        return invalid (error, _("every rule must name an executor."));
      if (!cd_routing_add_rule (self, category, district, executor, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * cd_routing_to_json:
 * @self: the rules
 *
 * Returns: (transfer full): the rules as JSON, readable by
 *   cd_routing_new_from_json()
 */
char *
cd_routing_to_json (CdRouting *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "default");
  json_builder_add_string_value (builder, self->default_executor);
  json_builder_set_member_name (builder, "rules");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->rules->len; i++)
    {
      const CdRoutingRule *rule = &g_array_index (self->rules, CdRoutingRule, i);

      json_builder_begin_object (builder);
      if (rule->category != NULL)
        {
          json_builder_set_member_name (builder, "category");
          json_builder_add_string_value (builder, rule->category);
        }
      if (rule->district != NULL)
        {
          json_builder_set_member_name (builder, "district");
          json_builder_add_string_value (builder, rule->district);
        }
      json_builder_set_member_name (builder, "executor");
      json_builder_add_string_value (builder, rule->executor);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
