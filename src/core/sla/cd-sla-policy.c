// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-policy.c: service-level policies of the SLA engine
 *
 * The parser walks the JSON by hand so that every error can name the path
 * of the value at fault (`targets[0].limit.hours`), like the calendar's.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-sla-policy.h"

/* Limits above a century are a typo, and keep every sum far from
 * overflowing a gint64. */
#define MAX_DAYS 36500
#define MAX_SECONDS ((gint64) MAX_DAYS * 86400)

typedef struct
{
  char *kind;
  char *category;
  char *channel;
} Rule;

struct _CdSlaPolicy
{
  gatomicrefcount  ref_count;
  char            *id;
  char            *title;
  /* Short names per language code ("ru" -> "Ремонт: 3 дня"), or NULL. */
  GHashTable      *names;
  guint            version;
  GArray          *rules;   /* of Rule */
  GArray          *targets; /* of CdSlaTarget */
};

G_DEFINE_BOXED_TYPE (CdSlaPolicy, cd_sla_policy, cd_sla_policy_ref, cd_sla_policy_unref)

static const char * const actions[] = {
  "register", "assign", "accept", "start", "wait", "resume", "resolve",
  "reopen", "close", "close_unconfirmed", "refuse", "cancel", "escalate",
  "extend", "comment", "link", "remind", "classify", "answer", "propose",
  NULL
};

/* The state each action leads to when an event does not say; NULL where
 * the action leaves the state alone. Same order as actions[]. */
static const char * const action_states[] = {
  "registered", "assigned", "accepted", "in_progress", "waiting",
  "in_progress", "resolved", "reopened", "closed", "closed_unconfirmed",
  "refused", "cancelled", NULL, NULL, NULL, NULL, NULL,
  "assigned", "resolved", NULL,
};

static const char * const states[] = {
  "registered", "assigned", "accepted", "in_progress", "waiting",
  "resolved", "reopened", "closed", "closed_unconfirmed", "refused",
  "cancelled", NULL
};

static const char * const final_states[] = {
  "closed", "closed_unconfirmed", "refused", "cancelled", NULL
};

gboolean
cd_sla_action_is_known (const char *action)
{
  return action != NULL && g_strv_contains (actions, action);
}

gboolean
cd_sla_state_is_known (const char *state)
{
  return state != NULL && g_strv_contains (states, state);
}

gboolean
cd_sla_state_is_final (const char *state)
{
  return state != NULL && g_strv_contains (final_states, state);
}

const char *
cd_sla_action_default_state (const char *action)
{
  if (action == NULL)
    return NULL;
  for (guint i = 0; actions[i] != NULL; i++)
    if (g_str_equal (actions[i], action))
      return action_states[i];
  return NULL;
}

static void
rule_clear (gpointer data)
{
  Rule *rule = data;

  g_free (rule->kind);
  g_free (rule->category);
  g_free (rule->channel);
}

static void
target_clear (gpointer data)
{
  CdSlaTarget *target = data;

  g_free (target->name);
  g_strfreev (target->start);
  g_strfreev (target->stop);
  g_free (target->calendar);
  g_strfreev (target->pause_states);
}

CdSlaPolicy *
cd_sla_policy_ref (CdSlaPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cd_sla_policy_unref (CdSlaPolicy *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->id);
  g_free (self->title);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_array_unref (self->rules);
  g_array_unref (self->targets);
  g_free (self);
}

/* JSON helpers {{{1 */

static const char *
type_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "a list";
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_DOUBLE:
      return "a fractional number";
    default:
      return "a number";
    }
}

static gboolean
wrong_type (const char  *path,
            const char  *expected,
            JsonNode    *node,
            GError     **error)
{
  g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
               "%s: expected %s, not %s", path, expected, type_name (node));
  return FALSE;
}

static gboolean
check_keys (JsonObject         *object,
            const char         *path,
            const char * const *known,
            const char * const *required,
            GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) known);

          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_KEY,
                       "%s%s%s: unknown key (expected one of %s)",
                       path, *path != '\0' ? "." : "",
                       (const char *) l->data, list);
          return FALSE;
        }
    }
  for (guint i = 0; required != NULL && required[i] != NULL; i++)
    {
      if (!json_object_has_member (object, required[i]))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_MISSING_KEY,
                       "%s%s%s: missing", path, *path != '\0' ? "." : "",
                       required[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
child_path (const char *path,
            const char *key)
{
  return *path != '\0' ? g_strconcat (path, ".", key, NULL) : g_strdup (key);
}

static gboolean
get_string (JsonNode     *node,
            const char   *path,
            const char  **out,
            GError      **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (path, "a string", node, error);
  *out = json_node_get_string (node);
  if (**out == '\0')
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: must not be empty", path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_integer (JsonNode    *node,
             const char  *path,
             gint64       min,
             gint64       max,
             gint64      *out,
             GError     **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (path, "a whole number", node, error);
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: %" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                   " to %" G_GINT64_FORMAT ")", path, *out, min, max);
      return FALSE;
    }
  return TRUE;
}

/* A string or a list of strings, each one of @allowed. */
static gboolean
get_names (JsonNode            *node,
           const char          *path,
           const char * const  *allowed,
           const char          *what,
           gboolean             allow_empty,
           char              ***out,
           GError             **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_ptr_array_add (names, g_strdup (json_node_get_string (node)));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);

          if (!JSON_NODE_HOLDS_VALUE (element)
              || json_node_get_value_type (element) != G_TYPE_STRING)
            return wrong_type (element_path, "a string", element, error);
          g_ptr_array_add (names, g_strdup (json_node_get_string (element)));
        }
    }
  else
    {
      return wrong_type (path, "a string or a list of strings", node, error);
    }

  if (names->len == 0 && !allow_empty)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: must name at least one %s", path, what);
      return FALSE;
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *element_path = NULL;

      if (JSON_NODE_HOLDS_ARRAY (node))
        element_path = g_strdup_printf ("%s[%u]", path, i);
      else
        element_path = g_strdup (path);
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);

          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                       "%s: “%s” is not a known %s (expected one of %s)",
                       element_path, name, what, list);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (name, g_ptr_array_index (names, j)))
          {
            g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                         "%s: “%s” is listed twice", element_path, name);
            return FALSE;
          }
    }
  g_ptr_array_add (names, NULL);
  *out = (char **) g_ptr_array_steal (names, NULL);
  return TRUE;
}

/* Policy parts {{{1 */

static const char * const limit_keys[] = {
  "seconds", "minutes", "hours", "working_days", "calendar_days", NULL
};

static gboolean
parse_limit (JsonNode    *node,
             const char  *path,
             gboolean     time_only,
             CdSlaLimit  *limit,
             GError     **error)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;
  g_autofree char *value_path = NULL;
  const char *key;
  gint64 amount;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, time_only
                       ? "an object like {\"minutes\": 30}"
                       : "an object like {\"hours\": 2} or {\"working_days\": 10}",
                       node, error);
  object = json_node_get_object (node);
  if (!check_keys (object, path, limit_keys, NULL, error))
    return FALSE;
  members = json_object_get_members (object);
  if (g_list_length (members) != 1)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: give exactly one of seconds, minutes, hours%s", path,
                   time_only ? "" : ", working_days, calendar_days");
      return FALSE;
    }
  key = members->data;
  value_path = child_path (path, key);
  if (time_only && g_str_has_suffix (key, "_days"))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: must be working time (seconds, minutes or hours)",
                   value_path);
      return FALSE;
    }

  if (g_str_equal (key, "seconds"))
    {
      if (!get_integer (json_object_get_member (object, key), value_path,
                        1, MAX_SECONDS, &amount, error))
        return FALSE;
      limit->unit = CD_SLA_LIMIT_SECONDS;
      limit->amount = amount;
    }
  else if (g_str_equal (key, "minutes"))
    {
      if (!get_integer (json_object_get_member (object, key), value_path,
                        1, MAX_SECONDS / 60, &amount, error))
        return FALSE;
      limit->unit = CD_SLA_LIMIT_SECONDS;
      limit->amount = amount * 60;
    }
  else if (g_str_equal (key, "hours"))
    {
      if (!get_integer (json_object_get_member (object, key), value_path,
                        1, MAX_SECONDS / 3600, &amount, error))
        return FALSE;
      limit->unit = CD_SLA_LIMIT_SECONDS;
      limit->amount = amount * 3600;
    }
  else
    {
      if (!get_integer (json_object_get_member (object, key), value_path,
                        1, MAX_DAYS, &amount, error))
        return FALSE;
      limit->unit = g_str_equal (key, "working_days")
                    ? CD_SLA_LIMIT_WORKING_DAYS : CD_SLA_LIMIT_CALENDAR_DAYS;
      limit->amount = amount;
    }
  return TRUE;
}

static gboolean
parse_at_risk (JsonNode     *node,
               const char   *path,
               CdSlaTarget  *target,
               GError      **error)
{
  static const char * const keys[] = { "percent", "before", NULL };
  JsonObject *object;
  g_autofree char *value_path = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, "an object like {\"percent\": 80} or "
                       "{\"before\": {\"minutes\": 30}}", node, error);
  object = json_node_get_object (node);
  if (!check_keys (object, path, keys, NULL, error))
    return FALSE;
  if (json_object_get_size (object) != 1)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: give exactly one of percent, before", path);
      return FALSE;
    }
  if (json_object_has_member (object, "percent"))
    {
      value_path = child_path (path, "percent");
      target->at_risk = CD_SLA_AT_RISK_PERCENT;
      return get_integer (json_object_get_member (object, "percent"), value_path,
                          1, 100, &target->at_risk_value, error);
    }
  else
    {
      CdSlaLimit before;

      value_path = child_path (path, "before");
      if (!parse_limit (json_object_get_member (object, "before"), value_path,
                        TRUE, &before, error))
        return FALSE;
      target->at_risk = CD_SLA_AT_RISK_BEFORE;
      target->at_risk_value = before.amount;
      return TRUE;
    }
}

static gboolean
parse_extensions (JsonNode     *node,
                  const char   *path,
                  CdSlaTarget  *target,
                  GError      **error)
{
  static const char * const keys[] = { "max_count", "max_each", "max_total", NULL };
  static const char * const required[] = { "max_count", "max_each", NULL };
  JsonObject *object;
  g_autofree char *count_path = NULL;
  g_autofree char *each_path = NULL;
  gint64 count;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, "an object with max_count, max_each and "
                       "optionally max_total", node, error);
  object = json_node_get_object (node);
  if (!check_keys (object, path, keys, required, error))
    return FALSE;

  count_path = child_path (path, "max_count");
  if (!get_integer (json_object_get_member (object, "max_count"), count_path,
                    1, 1000, &count, error))
    return FALSE;
  target->max_extensions = count;

  each_path = child_path (path, "max_each");
  if (!parse_limit (json_object_get_member (object, "max_each"), each_path,
                    FALSE, &target->extension_each, error))
    return FALSE;

  if (json_object_has_member (object, "max_total"))
    {
      g_autofree char *total_path = child_path (path, "max_total");

      if (!parse_limit (json_object_get_member (object, "max_total"), total_path,
                        FALSE, &target->extension_total, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_target (JsonNode     *node,
              const char   *path,
              CdSlaTarget  *target,
              GError      **error)
{
  static const char * const keys[] = {
    "name", "start", "stop", "limit", "calendar", "pause_states", "at_risk",
    "extensions", NULL
  };
  static const char * const required[] = {
    "name", "start", "stop", "limit", "calendar", NULL
  };
  JsonObject *object;
  const char *text;
  g_autofree char *name_path = NULL;
  g_autofree char *start_path = NULL;
  g_autofree char *stop_path = NULL;
  g_autofree char *limit_path = NULL;
  g_autofree char *calendar_path = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, "a target object", node, error);
  object = json_node_get_object (node);
  if (!check_keys (object, path, keys, required, error))
    return FALSE;

  name_path = child_path (path, "name");
  if (!get_string (json_object_get_member (object, "name"), name_path, &text, error))
    return FALSE;
  target->name = g_strdup (text);

  start_path = child_path (path, "start");
  if (!get_names (json_object_get_member (object, "start"), start_path,
                  actions, "action", FALSE, &target->start, error))
    return FALSE;
  stop_path = child_path (path, "stop");
  if (!get_names (json_object_get_member (object, "stop"), stop_path,
                  actions, "action", FALSE, &target->stop, error))
    return FALSE;
  for (guint i = 0; target->stop[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) target->start, target->stop[i]))
      {
        g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                     "%s: “%s” cannot both start and stop the clock",
                     stop_path, target->stop[i]);
        return FALSE;
      }

  limit_path = child_path (path, "limit");
  if (!parse_limit (json_object_get_member (object, "limit"), limit_path,
                    FALSE, &target->limit, error))
    return FALSE;

  calendar_path = child_path (path, "calendar");
  if (!get_string (json_object_get_member (object, "calendar"), calendar_path,
                   &text, error))
    return FALSE;
  if (strchr (text, '/') != NULL || g_str_has_suffix (text, ".json"))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   "%s: “%s” is not a calendar id (the file name without "
                   ".json, e.g. \"ru-24x7\")", calendar_path, text);
      return FALSE;
    }
  target->calendar = g_strdup (text);

  if (json_object_has_member (object, "pause_states"))
    {
      g_autofree char *pause_path = child_path (path, "pause_states");

      if (!get_names (json_object_get_member (object, "pause_states"), pause_path,
                      states, "ticket state", TRUE, &target->pause_states, error))
        return FALSE;
    }
  else
    {
      target->pause_states = g_new0 (char *, 1);
    }

  if (json_object_has_member (object, "at_risk"))
    {
      g_autofree char *risk_path = child_path (path, "at_risk");

      if (!parse_at_risk (json_object_get_member (object, "at_risk"), risk_path,
                          target, error))
        return FALSE;
    }

  if (json_object_has_member (object, "extensions"))
    {
      g_autofree char *ext_path = child_path (path, "extensions");

      if (!parse_extensions (json_object_get_member (object, "extensions"), ext_path,
                             target, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_rule (JsonNode    *node,
            const char  *path,
            Rule        *rule,
            GError     **error)
{
  static const char * const keys[] = { "kind", "category", "channel", NULL };
  char **fields[] = { &rule->kind, &rule->category, &rule->channel };
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (path, "an object like {\"kind\": \"emergency\", "
                       "\"category\": \"*\"}", node, error);
  object = json_node_get_object (node);
  if (!check_keys (object, path, keys, NULL, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *text = "*";

      if (json_object_has_member (object, keys[i]))
        {
          g_autofree char *field_path = child_path (path, keys[i]);

          if (!get_string (json_object_get_member (object, keys[i]), field_path,
                           &text, error))
            return FALSE;
        }
      *fields[i] = g_strdup (text);
    }
  return TRUE;
}

static gboolean
parse_applies_to (CdSlaPolicy  *self,
                  JsonNode     *node,
                  GError      **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      Rule rule = { NULL, NULL, NULL };

      if (!parse_rule (node, "applies_to", &rule, error))
        {
          rule_clear (&rule);
          return FALSE;
        }
      g_array_append_val (self->rules, rule);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      if (n == 0)
        {
          g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                               "applies_to: must have at least one rule");
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *path = g_strdup_printf ("applies_to[%u]", i);
          Rule rule = { NULL, NULL, NULL };

          if (!parse_rule (json_array_get_element (array, i), path, &rule, error))
            {
              rule_clear (&rule);
              return FALSE;
            }
          g_array_append_val (self->rules, rule);
        }
      return TRUE;
    }
  return wrong_type ("applies_to", "an object or a list of objects", node, error);
}

static gboolean
parse_targets (CdSlaPolicy  *self,
               JsonNode     *node,
               GError      **error)
{
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type ("targets", "a list of targets", node, error);
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                           "targets: a policy needs at least one target");
      return FALSE;
    }
  g_array_set_size (self->targets, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("targets[%u]", i);
      CdSlaTarget *target = &g_array_index (self->targets, CdSlaTarget, i);

      if (!parse_target (json_array_get_element (array, i), path, target, error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (g_str_equal (target->name,
                         g_array_index (self->targets, CdSlaTarget, j).name))
          {
            g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                         "%s.name: “%s” is already the name of targets[%u]",
                         path, target->name, j);
            return FALSE;
          }
    }
  return TRUE;
}

/* Public API {{{1 */

/* "names": {"en": "Repair: 3 days", "ru": "Ремонт: 3 дня"}: what a
 * person reads in a list, where the title is too long. */
static gboolean
parse_names (CdSlaPolicy  *self,
             JsonNode     *node,
             GError      **error)
{
  JsonObjectIter iter;
  const char *language;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE,
                           "names: must be an object of language codes and names");
      return FALSE;
    }
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &language, &value))
    {
      g_autofree char *path = g_strdup_printf ("names.%s", language);
      const char *text;

      if (!get_string (value, path, &text, error))
        return FALSE;
      g_hash_table_insert (self->names, g_strdup (language), g_strdup (text));
    }
  return TRUE;
}

CdSlaPolicy *
cd_sla_policy_new_from_json (const char  *json,
                             gssize       len,
                             GError     **error)
{
  static const char * const keys[] = {
    "id", "version", "title", "names", "applies_to", "targets", NULL
  };
  static const char * const required[] = {
    "id", "version", "applies_to", "targets", NULL
  };
  g_autoptr(CdSlaPolicy) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  const char *text;
  gint64 version;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, json, len, &local_error))
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_JSON,
                   "the policy is not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_JSON,
                           "a policy must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (root);
  if (!check_keys (object, "", keys, required, error))
    return NULL;

  self = g_new0 (CdSlaPolicy, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (self->rules, rule_clear);
  self->targets = g_array_new (FALSE, TRUE, sizeof (CdSlaTarget));
  g_array_set_clear_func (self->targets, target_clear);

  if (!get_string (json_object_get_member (object, "id"), "id", &text, error))
    return NULL;
  self->id = g_strdup (text);
  if (!get_integer (json_object_get_member (object, "version"), "version",
                    1, G_MAXUINT, &version, error))
    return NULL;
  self->version = version;
  if (json_object_has_member (object, "title"))
    {
      if (!get_string (json_object_get_member (object, "title"), "title", &text, error))
        return NULL;
      self->title = g_strdup (text);
    }
  if (json_object_has_member (object, "names") &&
      !parse_names (self, json_object_get_member (object, "names"), error))
    return NULL;
  if (!parse_applies_to (self, json_object_get_member (object, "applies_to"), error)
      || !parse_targets (self, json_object_get_member (object, "targets"), error))
    return NULL;
  return g_steal_pointer (&self);
}

CdSlaPolicy *
cd_sla_policy_new_from_bytes (GBytes  *bytes,
                              GError **error)
{
  gsize len;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  return cd_sla_policy_new_from_json (data != NULL ? data : "", len, error);
}

const char *
cd_sla_policy_get_id (CdSlaPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id;
}

guint
cd_sla_policy_get_version (CdSlaPolicy *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->version;
}

/* The stages the shipped policies time, by the names their targets carry. */
static const struct {
  const char *code;
  const char *label;
} target_labels[] = {
  { "acceptance", N_("Acceptance") },
  { "answer", N_("Answer") },
  { "callback", N_("Callback") },
  { "classification", N_("Classification") },
  { "clearance", N_("Clearance") },
  { "confirmation", N_("Confirmation") },
  { "consideration", N_("Consideration") },
  { "handover", N_("Handover") },
  { "localisation", N_("Localisation") },
  { "repair", N_("Repair") },
  { "resolution", N_("Resolution") },
  { "systemic", N_("Systemic fix") },
};

/**
 * cd_sla_target_label_for_code:
 * @code: (nullable): a target's name in a policy, such as `acceptance`
 *
 * A policy names its targets (its clocks, the stages of the work) with
 * codes; a person reads the stage's name in their language.
 *
 * Returns: the stage's name ("Acceptance"), or @code itself for a target
 *   a site's own policy invented
 */
const char *
cd_sla_target_label_for_code (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (target_labels); i++)
    if (strcmp (target_labels[i].code, code) == 0)
      return g_dgettext (GETTEXT_PACKAGE, target_labels[i].label);
  return code;
}

/**
 * cd_sla_target_get_known_codes:
 * @n_codes: (out): the number of codes
 *
 * Returns: (transfer container): the target names cd_sla_target_label_for_code()
 *   knows
 */
const char **
cd_sla_target_get_known_codes (guint *n_codes)
{
  const char **codes = g_new0 (const char *, G_N_ELEMENTS (target_labels) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (target_labels); i++)
    codes[i] = target_labels[i].code;
  *n_codes = G_N_ELEMENTS (target_labels);
  return codes;
}

const char *
cd_sla_policy_get_title (CdSlaPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->title;
}

/**
 * cd_sla_policy_get_names:
 * @self: a policy
 *
 * Returns: (transfer none) (nullable) (element-type utf8 utf8): its short
 *   names by language code, or %NULL when the file gives none
 */
GHashTable *
cd_sla_policy_get_names (CdSlaPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->names;
}

/**
 * cd_sla_policy_get_name:
 * @self: a policy
 * @language: (nullable): a language code such as `ru`
 *
 * Returns: (transfer none) (nullable): the policy's short name in
 *   @language, else in English, else its title, else %NULL
 */
const char *
cd_sla_policy_get_name (CdSlaPolicy *self,
                        const char  *language)
{
  const char *name = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->names != NULL && language != NULL)
    name = g_hash_table_lookup (self->names, language);
  if (name == NULL && self->names != NULL)
    name = g_hash_table_lookup (self->names, "en");
  return name != NULL ? name : self->title;
}

guint
cd_sla_policy_get_n_targets (CdSlaPolicy *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->targets->len;
}

const CdSlaTarget *
cd_sla_policy_get_target (CdSlaPolicy *self,
                          guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->targets->len, NULL);

  return &g_array_index (self->targets, CdSlaTarget, index);
}

int
cd_sla_policy_find_target (CdSlaPolicy *self,
                           const char  *name)
{
  g_return_val_if_fail (self != NULL, -1);

  if (name == NULL)
    return -1;
  for (guint i = 0; i < self->targets->len; i++)
    if (g_str_equal (g_array_index (self->targets, CdSlaTarget, i).name, name))
      return i;
  return -1;
}

/* 0 for `*`, 1 for another glob, 2 for an exact name; -1 if it does not
 * match. */
static int
pattern_score (const char *pattern,
               const char *value)
{
  if (g_str_equal (pattern, "*"))
    return 0;
  if (value == NULL || !g_pattern_match_simple (pattern, value))
    return -1;
  return strpbrk (pattern, "*?") != NULL ? 1 : 2;
}

int
cd_sla_policy_match (CdSlaPolicy *self,
                     const char  *kind,
                     const char  *category,
                     const char  *channel)
{
  int best = -1;

  g_return_val_if_fail (self != NULL, -1);

  for (guint i = 0; i < self->rules->len; i++)
    {
      const Rule *rule = &g_array_index (self->rules, Rule, i);
      int k = pattern_score (rule->kind, kind);
      int c = pattern_score (rule->category, category);
      int h = pattern_score (rule->channel, channel);

      /* A category counts double: it says most about the work. */
      if (k >= 0 && c >= 0 && h >= 0)
        best = MAX (best, k + 2 * c + h);
    }
  return best;
}

gboolean
cd_sla_policy_applies_to (CdSlaPolicy *self,
                          const char  *kind,
                          const char  *category,
                          const char  *channel)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return cd_sla_policy_match (self, kind, category, channel) >= 0;
}

CdSlaPolicy *
cd_sla_policy_choose (CdSlaPolicy * const *policies,
                      guint                n_policies,
                      const char          *kind,
                      const char          *category,
                      const char          *channel)
{
  CdSlaPolicy *best = NULL;
  int best_score = -1;

  g_return_val_if_fail (policies != NULL || n_policies == 0, NULL);

  for (guint i = 0; i < n_policies; i++)
    {
      int score = cd_sla_policy_match (policies[i], kind, category, channel);

      if (score > best_score)
        {
          best_score = score;
          best = policies[i];
        }
    }
  return best;
}

gboolean
cd_sla_policy_check_calendars (CdSlaPolicy  *self,
                               GHashTable   *calendars,
                               GError      **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (calendars != NULL, FALSE);

  for (guint i = 0; i < self->targets->len; i++)
    {
      const CdSlaTarget *target = &g_array_index (self->targets, CdSlaTarget, i);

      if (!g_hash_table_contains (calendars, target->calendar))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_CALENDAR,
                       "targets[%u].calendar: there is no calendar “%s”",
                       i, target->calendar);
          return FALSE;
        }
    }
  return TRUE;
}
