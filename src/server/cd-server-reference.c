// SPDX-License-Identifier: GPL-3.0-or-later
//
// `GET /api/v1/reference`: the city's reference data in one answer, the
// codes of executors, categories, districts and SLA policies with their
// names per language, so that a desktop shows names (and offers an
// organization that has no open ticket) without any of them compiled in.
// Each section is there only for a role the access table lets read it:
// an executor organization learns its own name, not the others'.
//
// The names are the store's (seeded by the demo, loaded by `citydeskctl
// reference import`), over those the code and the data files already
// carry: a shipped category's English name, a policy file's `names`.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-access.h"
#include "cd-category.h"
#include "cd-server-private.h"
#include "cd-store-reference.h"

static const CdResource resources[] = {
  [CD_REFERENCE_EXECUTOR] = CD_RESOURCE_EXECUTORS,
  [CD_REFERENCE_CATEGORY] = CD_RESOURCE_CATEGORIES,
  [CD_REFERENCE_DISTRICT] = CD_RESOURCE_DISTRICTS,
  [CD_REFERENCE_POLICY] = CD_RESOURCE_POLICIES,
};
G_STATIC_ASSERT (G_N_ELEMENTS (resources) == CD_N_REFERENCE_KINDS);

/* code -> CdReferenceEntry, with its names */
static CdReferenceEntry *
entry_for (GHashTable *entries,
           const char *code)
{
  CdReferenceEntry *entry;

  if (code == NULL || *code == '\0')
    return NULL;
  if ((entry = g_hash_table_lookup (entries, code)) == NULL)
    {
      entry = cd_reference_entry_new (code);
      g_hash_table_insert (entries, entry->code, entry);
    }
  return entry;
}

/* Every organization the server knows of: the reference data's, routing's,
 * the executor accounts' and those tickets were ever assigned to. */
static gboolean
add_known_executors (CdServer    *self,
                     GHashTable  *entries,
                     GError     **error)
{
  g_autoptr(CdRouting) routing = cd_store_load_routing (self->store, NULL);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonObject) counts = NULL;
  JsonObjectIter iter;
  const char *member;

  if (routing != NULL)
    {
      entry_for (entries, cd_routing_get_default (routing));
      for (guint i = 0; i < cd_routing_get_n_rules (routing); i++)
        entry_for (entries, cd_routing_get_rule (routing, i)->executor);
    }
  if ((users = cd_store_list_users (self->store, error)) == NULL ||
      (counts = cd_store_count_by_executor (self->store, cd_server_now (self), error)) == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    entry_for (entries, ((CdUser *) g_ptr_array_index (users, i))->org);
  json_object_iter_init (&iter, counts);
  while (json_object_iter_next (&iter, &member, NULL))
    entry_for (entries, member);
  return TRUE;
}

static void
add_shipped (CdServer        *self,
             CdReferenceKind  kind,
             GHashTable      *entries)
{
  if (kind == CD_REFERENCE_CATEGORY)
    {
      guint n;
      const CdCategory *categories = cd_category_get_all (&n);

      /* The classifier's own words, in English: the desktop translates
       * them itself when the city gives no name in its language. */
      for (guint i = 0; i < n; i++)
        cd_reference_entry_set_name (entry_for (entries, categories[i].id), "en",
                                     categories[i].name);
    }
  else if (kind == CD_REFERENCE_POLICY)
    {
      CdSlaLibrary *library = cd_store_get_sla_library (self->store, NULL);

      for (guint i = 0; library != NULL && i < cd_sla_library_get_n_policies (library); i++)
        {
          CdSlaPolicy *policy = cd_sla_library_get_policy (library, i);
          CdReferenceEntry *entry = entry_for (entries, cd_sla_policy_get_id (policy));
          GHashTable *names = cd_sla_policy_get_names (policy);
          GHashTableIter iter;
          gpointer language, name;

          if (names == NULL)
            {
              cd_reference_entry_set_name (entry, "en", cd_sla_policy_get_title (policy));
              continue;
            }
          g_hash_table_iter_init (&iter, names);
          while (g_hash_table_iter_next (&iter, &language, &name))
            cd_reference_entry_set_name (entry, language, name);
        }
    }
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CdReferenceEntry *x = *(CdReferenceEntry * const *) a;
  const CdReferenceEntry *y = *(CdReferenceEntry * const *) b;

  return g_strcmp0 (x->code, y->code);
}

/**
 * cd_server_reference_section:
 * @self: the server
 * @user: who asks
 * @kind: which section
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdReferenceEntry): the
 *   entries of @kind @user may read, by code; %NULL when the role may not
 *   read them (@error unset) or with @error set
 */
GPtrArray *
cd_server_reference_section (CdServer         *self,
             CdUser           *user,
             CdReferenceKind   kind,
             GError          **error)
{
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) cd_reference_entry_free);
  g_autoptr(GPtrArray) stored = NULL;
  CdAccessScope scope = cd_access_scope (user->role, resources[kind]);
  GPtrArray *section;
  GHashTableIter iter;
  gpointer value;

  if (scope == CD_ACCESS_OWN && user->org == NULL)
    scope = CD_ACCESS_NONE;
  if (scope == CD_ACCESS_NONE)
    return NULL;

  add_shipped (self, kind, entries);
  if (kind == CD_REFERENCE_EXECUTOR && scope == CD_ACCESS_ALL &&
      !add_known_executors (self, entries, error))
    return NULL;
  if ((stored = cd_store_reference_list (self->store, kind, error)) == NULL)
    return NULL;
  for (guint i = 0; i < stored->len; i++)
    {
      CdReferenceEntry *from = g_ptr_array_index (stored, i);
      CdReferenceEntry *entry = entry_for (entries, from->code);
      gpointer language, name;

      g_hash_table_iter_init (&iter, from->names);
      while (g_hash_table_iter_next (&iter, &language, &name))
        cd_reference_entry_set_name (entry, language, name);
    }

  section = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_reference_entry_free);
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CdReferenceEntry *entry = value;

      /* An organization learns its own name, not the others'. */
      if (scope == CD_ACCESS_OWN && !g_str_equal (entry->code, user->org))
        continue;
      g_ptr_array_add (section, entry);
      g_hash_table_iter_steal (&iter);
    }
  if (scope == CD_ACCESS_OWN && section->len == 0)
    g_ptr_array_add (section, cd_reference_entry_new (user->org));
  g_ptr_array_sort (section, compare_entries);
  return section;
}

static void
handle_reference (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(CdReferenceData) data = cd_reference_data_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean any = FALSE;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL)
    return;

  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    {
      data->entries[k] = cd_server_reference_section (self, user, k, &error);
      if (error != NULL)
        {
          cd_server_send_gerror (msg, error);
          return;
        }
      any |= data->entries[k] != NULL;
    }
  /* A role the server does not know reads nothing, as on every route. */
  if (!any)
    {
      g_autofree char *message = g_strdup_printf (_("The role “%s” may not read %s."),
                                                  cd_role_label_for_code (user->role),
                                                  _("the reference lists"));

      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", message, NULL);
      return;
    }
  text = cd_reference_data_to_json (data);
  cd_server_send_json_text (msg, SOUP_STATUS_OK, g_string_new (text));
}

void
cd_server_reference_install (CdServer *self)
{
  soup_server_add_handler (self->soup, "/api/v1/reference", handle_reference, self, NULL);
}
