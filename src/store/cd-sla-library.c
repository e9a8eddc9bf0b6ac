// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-library.c: the SLA policies and calendars a store works with */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-reference.h"
#include "cd-sla-library.h"

typedef struct
{
  char *kind;
  char *category;
  char *channel;
} Rule;

typedef struct
{
  CdSlaPolicy *policy;
  GArray      *rules;  /* Rule */
} Entry;

struct _CdSlaLibrary
{
  gatomicrefcount  ref_count;
  char            *dir;
  GPtrArray       *entries;    /* Entry, by id */
  GHashTable      *calendars;  /* id -> CdSlaCalendar */
  /* "kind\ncategory\nchannel" -> CdSlaPolicy or the library itself for
   * none: the choice is asked for every registration. */
  GHashTable      *chosen;
};

G_DEFINE_BOXED_TYPE (CdSlaLibrary, cd_sla_library, cd_sla_library_ref, cd_sla_library_unref)

static void
rule_clear (gpointer data)
{
  Rule *rule = data;

  g_free (rule->kind);
  g_free (rule->category);
  g_free (rule->channel);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  cd_sla_policy_unref (entry->policy);
  g_array_unref (entry->rules);
  g_free (entry);
}

/**
 * cd_sla_library_default_dir:
 *
 * Returns: $CITYDESK_DATA_DIR when set (a directory holding `policies/`
 *   and `calendars/`, e.g. the source tree's `data`), else the installed
 *   data directory
 */
const char *
cd_sla_library_default_dir (void)
{
  const char *dir = g_getenv ("CITYDESK_DATA_DIR");

  return dir != NULL && *dir != '\0' ? dir : PKGDATADIR;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The JSON files of @dir/@sub, sorted by name so that the library is the
 * same on every machine. */
static GPtrArray *
list_json (const char  *dir,
           const char  *sub,
           GError     **error)
{
  g_autofree char *path = g_build_filename (dir, sub, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  d = g_dir_open (path, 0, &local_error);
  if (d == NULL)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_CALENDAR,
                   _("Cannot read the SLA data in “%s”: %s. Run “meson install”, run the "
                     "program through “meson devenv -C _build”, or set CITYDESK_DATA_DIR to a "
                     "directory with policies/ and calendars/ (such as the source tree’s data/)."),
                   path, local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

static char *
rule_pattern (JsonObject *rule,
              const char *member)
{
  JsonNode *node = json_object_get_member (rule, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return g_strdup ("*");
  return g_strdup (json_node_get_string (node));
}

static void
add_rule (GArray     *rules,
          JsonObject *object)
{
  Rule rule = {
    rule_pattern (object, "kind"),
    rule_pattern (object, "category"),
    rule_pattern (object, "channel"),
  };

  g_array_append_val (rules, rule);
}

/* The policy parsed, it is valid: only `applies_to` is read again here,
 * for the specificity of its rules. */
static GArray *
read_rules (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GArray *rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  JsonNode *applies;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_array_set_clear_func (rules, rule_clear);
  if (!json_parser_load_from_data (parser, data, len, NULL))
    return rules;
  applies = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "applies_to");
  if (applies == NULL)
    return rules;
  if (JSON_NODE_HOLDS_OBJECT (applies))
    add_rule (rules, json_node_get_object (applies));
  else if (JSON_NODE_HOLDS_ARRAY (applies))
    {
      JsonArray *array = json_node_get_array (applies);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
          add_rule (rules, json_array_get_object_element (array, i));
    }
  return rules;
}

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = *(Entry * const *) a;
  const Entry *y = *(Entry * const *) b;

  return strcmp (cd_sla_policy_get_id (x->policy), cd_sla_policy_get_id (y->policy));
}

/**
 * cd_sla_library_new_from_dir:
 * @dir: a directory with `policies/` and `calendars/`
 * @error: a #CD_SLA_ERROR naming the file that is wrong
 *
 * Reads every calendar and policy, and checks that each policy's calendars
 * are there and that no two policies share an id.
 *
 * Returns: (transfer full): the library, or %NULL with @error set
 */
CdSlaLibrary *
cd_sla_library_new_from_dir (const char  *dir,
                             GError     **error)
{
  g_autoptr(CdSlaLibrary) self = g_new0 (CdSlaLibrary, 1);
  g_autoptr(GPtrArray) calendars = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (dir != NULL, NULL);

  g_atomic_ref_count_init (&self->ref_count);
  self->dir = g_strdup (dir);
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) cd_sla_calendar_unref);
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if ((calendars = list_json (dir, "calendars", error)) == NULL ||
      (policies = list_json (dir, "policies", error)) == NULL)
    return NULL;

  for (guint i = 0; i < calendars->len; i++)
    {
      const char *path = calendars->pdata[i];
      g_autofree char *base = g_path_get_basename (path);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, error);
      CdSlaCalendar *calendar;

      if (bytes == NULL)
        return NULL;
      if ((calendar = cd_sla_calendar_new_from_bytes (bytes, error)) == NULL)
        {
          g_prefix_error (error, "%s: ", path);
          return NULL;
        }
      base[strlen (base) - strlen (".json")] = '\0';
      g_hash_table_insert (self->calendars, g_steal_pointer (&base), calendar);
    }

  for (guint i = 0; i < policies->len; i++)
    {
      const char *path = policies->pdata[i];
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, error);
      Entry *entry;
      CdSlaPolicy *policy;

      if (bytes == NULL)
        return NULL;
      if ((policy = cd_sla_policy_new_from_bytes (bytes, error)) == NULL ||
          !cd_sla_policy_check_calendars (policy, self->calendars, error))
        {
          g_clear_pointer (&policy, cd_sla_policy_unref);
          g_prefix_error (error, "%s: ", path);
          return NULL;
        }
      entry = g_new0 (Entry, 1);
      entry->policy = policy;
      entry->rules = read_rules (bytes);
      g_ptr_array_add (self->entries, entry);
      if (!g_hash_table_add (ids, (gpointer) cd_sla_policy_get_id (policy)))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                       _("%s: another policy already has the id “%s”"), path, cd_sla_policy_get_id (policy));
          return NULL;
        }
    }
  g_ptr_array_sort (self->entries, compare_entries);
  return g_steal_pointer (&self);
}

CdSlaLibrary *
cd_sla_library_ref (CdSlaLibrary *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cd_sla_library_unref (CdSlaLibrary *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->dir);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->calendars, g_hash_table_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_free (self);
}

const char *
cd_sla_library_get_dir (CdSlaLibrary *self)
{
  return self->dir;
}

/**
 * cd_sla_library_get_calendars:
 * @self: a library
 *
 * Returns: (transfer none) (element-type utf8 CdSlaCalendar): the
 *   calendars by id, as cd_sla_clock_evaluate() takes them
 */
GHashTable *
cd_sla_library_get_calendars (CdSlaLibrary *self)
{
  return self->calendars;
}

/**
 * cd_sla_library_get_n_policies:
 * @self: a library
 *
 * Returns: how many policies it holds
 */
guint
cd_sla_library_get_n_policies (CdSlaLibrary *self)
{
  return self->entries->len;
}

/**
 * cd_sla_library_get_policy:
 * @self: a library
 * @index: below cd_sla_library_get_n_policies()
 *
 * Returns: (transfer none): the policy, in the order of their ids
 */
CdSlaPolicy *
cd_sla_library_get_policy (CdSlaLibrary *self,
                           guint         index)
{
  g_return_val_if_fail (index < self->entries->len, NULL);

  return ((Entry *) self->entries->pdata[index])->policy;
}

/**
 * cd_sla_library_lookup:
 * @self: a library
 * @id: a policy id
 *
 * Returns: (transfer none) (nullable): the policy
 */
CdSlaPolicy *
cd_sla_library_lookup (CdSlaLibrary *self,
                       const char   *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = self->entries->pdata[i];

      if (g_str_equal (cd_sla_policy_get_id (entry->policy), id))
        return entry->policy;
    }
  return NULL;
}

/**
 * cd_sla_library_policy_label:
 * @self: (nullable): a library
 * @id: (nullable): a policy's id, such as `city-housing-repair`
 *
 * Returns: (nullable): the policy's short name in the user's language
 *   ("Repair: 3 days"), its title when it has no names, or @id
 *   itself when the library has no such policy
 */
const char *
cd_sla_library_policy_label (CdSlaLibrary *self,
                             const char   *id)
{
  CdSlaPolicy *policy = self != NULL ? cd_sla_library_lookup (self, id) : NULL;
  const char *name = NULL;

  if (policy != NULL && cd_sla_policy_get_names (policy) != NULL)
    name = cd_reference_pick_name (cd_sla_policy_get_names (policy), g_get_language_names ());
  if (policy != NULL && name == NULL)
    name = cd_sla_policy_get_name (policy, NULL);
  return name != NULL ? name : id;
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

/**
 * cd_sla_library_choose:
 * @self: a library
 * @kind: the ticket's kind
 * @category: (nullable): its category
 * @channel: (nullable): its channel
 *
 * The policy whose `applies_to` matches the ticket most specifically: each
 * of kind, category and channel counts 2 when the rule names it exactly,
 * 1 for a pattern and 0 for `*`; a category counts double, since it says
 * most about the work. Ties go to the policy whose id sorts first.
 *
 * Returns: (transfer none) (nullable): the policy, or %NULL if none applies
 */
CdSlaPolicy *
cd_sla_library_choose (CdSlaLibrary *self,
                       const char   *kind,
                       const char   *category,
                       const char   *channel)
{
  CdSlaPolicy *best = NULL;
  int best_score = -1;
  char key[256];
  gpointer cached;

  g_return_val_if_fail (self != NULL, NULL);

  g_snprintf (key, sizeof key, "%s\n%s\n%s", kind != NULL ? kind : "", category != NULL ? category : "",
              channel != NULL ? channel : "");
  if ((cached = g_hash_table_lookup (self->chosen, key)) != NULL)
    return cached != (gpointer) self ? cached : NULL;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = self->entries->pdata[i];

      for (guint r = 0; r < entry->rules->len; r++)
        {
          const Rule *rule = &g_array_index (entry->rules, Rule, r);
          int k = pattern_score (rule->kind, kind);
          int c = pattern_score (rule->category, category);
          int h = pattern_score (rule->channel, channel);

          if (k < 0 || c < 0 || h < 0)
            continue;
          if (k + 2 * c + h > best_score)
            {
              best_score = k + 2 * c + h;
              best = entry->policy;
            }
        }
    }
  g_hash_table_insert (self->chosen, g_strdup (key), best != NULL ? (gpointer) best : (gpointer) self);
  return best;
}

/**
 * cd_sla_library_evaluate:
 * @self: a library
 * @ticket: a ticket with its history (see #CdTicket)
 * @now: the instant to judge at
 * @error: a #CD_SLA_ERROR
 *
 * Returns: (transfer full) (nullable): the clocks of @ticket's policy at
 *   @now; %NULL without @error when the ticket has no policy
 */
CdSlaClocks *
cd_sla_library_evaluate (CdSlaLibrary  *self,
                         CdTicket      *ticket,
                         gint64         now,
                         GError       **error)
{
  CdSlaPolicy *policy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (ticket->history != NULL, NULL);

  if (ticket->policy == NULL)
    return NULL;
  if ((policy = cd_sla_library_lookup (self, ticket->policy)) == NULL)
    {
      g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                   _("Ticket %s follows the SLA policy “%s”, which is not in %s/policies."),
                   ticket->number, ticket->policy, self->dir);
      return NULL;
    }
  return cd_sla_clock_evaluate (policy, self->calendars,
                                (const CdSlaEvent *) ticket->history->data, ticket->history->len,
                                now, NULL, error);
}

/**
 * cd_sla_library_update:
 * @self: a library
 * @ticket: a ticket with its history
 * @error: a #CD_SLA_ERROR
 *
 * Judges the clocks as of the ticket's last event (so that the projection
 * depends on the events alone, never on when it was computed) and keeps
 * their summary in @ticket (cd_ticket_set_clocks()).
 *
 * Returns: whether the clocks could be evaluated
 */
gboolean
cd_sla_library_update (CdSlaLibrary  *self,
                       CdTicket      *ticket,
                       GError       **error)
{
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GError) local_error = NULL;

  clocks = cd_sla_library_evaluate (self, ticket, ticket->updated_at, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  cd_ticket_set_clocks (ticket, clocks);
  return TRUE;
}
