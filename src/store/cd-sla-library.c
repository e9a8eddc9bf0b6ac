// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-library.c: the SLA policies and calendars a store works with */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-reference.h"
#include "cd-sla-library.h"

struct _CdSlaLibrary
{
  gatomicrefcount  ref_count;
  char            *dir;
  GPtrArray       *policies;   /* CdSlaPolicy, by id */
  GHashTable      *calendars;  /* id -> CdSlaCalendar */
  /* "kind\ncategory\nchannel" -> CdSlaPolicy or the library itself for
   * none: the choice is asked for every registration. */
  GHashTable      *chosen;
};

G_DEFINE_BOXED_TYPE (CdSlaLibrary, cd_sla_library, cd_sla_library_ref, cd_sla_library_unref)

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

static gint
compare_policies (gconstpointer a,
                  gconstpointer b)
{
  CdSlaPolicy *x = *(CdSlaPolicy * const *) a;
  CdSlaPolicy *y = *(CdSlaPolicy * const *) b;

  return strcmp (cd_sla_policy_get_id (x), cd_sla_policy_get_id (y));
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
  self->policies = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_sla_policy_unref);
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
      g_ptr_array_add (self->policies, policy);
      if (!g_hash_table_add (ids, (gpointer) cd_sla_policy_get_id (policy)))
        {
          g_set_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_VALUE,
                       _("%s: another policy already has the id “%s”"), path,
                       cd_sla_policy_get_id (policy));
          return NULL;
        }
    }
  /* By id: the tie-break of cd_sla_policy_choose(). */
  g_ptr_array_sort (self->policies, compare_policies);
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
  g_clear_pointer (&self->policies, g_ptr_array_unref);
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
  return self->policies->len;
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
  g_return_val_if_fail (index < self->policies->len, NULL);

  return g_ptr_array_index (self->policies, index);
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
  for (guint i = 0; i < self->policies->len; i++)
    {
      CdSlaPolicy *policy = self->policies->pdata[i];

      if (g_str_equal (cd_sla_policy_get_id (policy), id))
        return policy;
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

/**
 * cd_sla_library_choose:
 * @self: a library
 * @kind: the ticket's kind
 * @category: (nullable): its category
 * @channel: (nullable): its channel
 *
 * The policy cd_sla_policy_choose() picks among the library's (ties go to
 * the policy whose id sorts first), remembered for the next registration.
 *
 * Returns: (transfer none) (nullable): the policy, or %NULL if none applies
 */
CdSlaPolicy *
cd_sla_library_choose (CdSlaLibrary *self,
                       const char   *kind,
                       const char   *category,
                       const char   *channel)
{
  CdSlaPolicy *best;
  char key[256];
  gpointer cached;

  g_return_val_if_fail (self != NULL, NULL);

  g_snprintf (key, sizeof key, "%s\n%s\n%s", kind != NULL ? kind : "",
              category != NULL ? category : "", channel != NULL ? channel : "");
  if ((cached = g_hash_table_lookup (self->chosen, key)) != NULL)
    return cached != (gpointer) self ? cached : NULL;

  best = cd_sla_policy_choose ((CdSlaPolicy * const *) self->policies->pdata, self->policies->len,
                               kind, category, channel);
  g_hash_table_insert (self->chosen, g_strdup (key),
                       best != NULL ? (gpointer) best : (gpointer) self);
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
