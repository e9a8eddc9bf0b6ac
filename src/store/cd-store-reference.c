// SPDX-License-Identifier: GPL-3.0-or-later
//
// The city's reference data in the store. Replacing is by kind: a document
// with only `districts` leaves the executors as they were, so that a city
// can load its districts and its organizations from separate files, and
// the desktop keeps what its role may not read again.
//
// Every label of every list asks cd_store_reference_name(), sort
// comparisons included, so the names in the user's language are kept in
// memory and handed out as pointers that stay valid as long as the store:
// a reload keeps the strings it has handed out. The memory is refreshed
// when this connection writes the names, or when another one committed
// anything (SQLite's data_version), which a sync does at most a few times
// a second. PostgreSQL counts no other connection's commits: there the
// names are read again at most once a second.

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-category.h"
#include "cd-store-private.h"
#include "cd-store-reference.h"

/* How long PostgreSQL's names are trusted, in microseconds. */
#define PG_MEMO_LIFETIME G_USEC_PER_SEC

struct _CdStoreReferenceMemo
{
  /* SQLite's data_version; NULL on PostgreSQL. */
  CdDbStmt     *data_version;
  gint64        version;
  /* When the names were read (g_get_monotonic_time()). */
  gint64        read_at;
  gboolean      stale;
  /* Per kind: code -> name in the user's language (owned by strings). */
  GHashTable   *names[CD_N_REFERENCE_KINDS];
  /* Every name handed out, freed with the store. */
  GPtrArray    *strings;
};

void
cd_store_reference_memo_free (CdStoreReferenceMemo *memo)
{
  g_clear_pointer (&memo->data_version, cd_db_stmt_free);
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    g_clear_pointer (&memo->names[k], g_hash_table_unref);
  g_ptr_array_unref (memo->strings);
  g_free (memo);
}

static gboolean
kind_from_string (const char      *name,
                  CdReferenceKind *kind)
{
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    if (g_str_equal (name, cd_reference_kind_to_string (k)))
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

static gboolean
step_done (CdStore     *self,
           CdDbStmt    *stmt,
           GError     **error)
{
  GError *db_error = NULL;

  if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("writing the reference data"), db_error, error);
  return TRUE;
}

static gboolean
write_entries (CdStore               *self,
               const CdReferenceData *data,
               GError               **error)
{
  g_autoptr(CdDbStmt) entry_stmt = NULL;
  g_autoptr(CdDbStmt) name_stmt = NULL;
  GError *db_error = NULL;

  if ((entry_stmt = cd_store_prepare (self,
                                      "INSERT INTO reference_entries (kind, code) VALUES (?, ?)",
                                      _("writing the reference data"), error)) == NULL ||
      (name_stmt = cd_store_prepare (self,
                                     "INSERT INTO reference_names (kind, code, language, name)"
                                     " VALUES (?, ?, ?, ?)",
                                     _("writing the reference data"), error)) == NULL)
    return FALSE;
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    {
      const char *kind = cd_reference_kind_to_string (k);
      g_autofree char *delete = NULL;

      if (data->entries[k] == NULL)
        continue;
      /* The kinds are this file's own words, not input. */
      delete = g_strdup_printf ("DELETE FROM reference_entries WHERE kind = '%s';"
                                "DELETE FROM reference_names WHERE kind = '%s';", kind, kind);
      if (!cd_db_exec (self->conn, delete, &db_error))
        return cd_store_db_error (self, _("writing the reference data"), db_error, error);
      for (guint i = 0; i < data->entries[k]->len; i++)
        {
          const CdReferenceEntry *entry = g_ptr_array_index (data->entries[k], i);
          GHashTableIter iter;
          gpointer language, name;

          cd_db_reset (entry_stmt);
          cd_db_bind_text (entry_stmt, 1, kind);
          cd_db_bind_text (entry_stmt, 2, entry->code);
          if (!step_done (self, entry_stmt, error))
            return FALSE;
          g_hash_table_iter_init (&iter, entry->names);
          while (g_hash_table_iter_next (&iter, &language, &name))
            {
              cd_db_reset (name_stmt);
              cd_db_bind_text (name_stmt, 1, kind);
              cd_db_bind_text (name_stmt, 2, entry->code);
              cd_db_bind_text (name_stmt, 3, language);
              cd_db_bind_text (name_stmt, 4, name);
              if (!step_done (self, name_stmt, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/**
 * cd_store_reference_replace:
 * @self: a store
 * @data: reference data
 * @error: return location for an error
 *
 * Replaces, in one step (within the open transaction if there is one), the
 * entries of every kind @data has a section of; other kinds stay.
 *
 * Returns: whether the data was written
 */
gboolean
cd_store_reference_replace (CdStore               *self,
                            const CdReferenceData *data,
                            GError               **error)
{
  GError *db_error = NULL;
  gboolean own;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  /* Inside the caller's transaction (the demo writes its city in one) a
   * savepoint is the part of it to undo; outside one, a transaction of
   * its own (PostgreSQL has no savepoint outside a transaction). */
  own = !cd_db_in_transaction (self->conn);
  if (!(own ? cd_db_begin (self->conn, &db_error)
            : cd_db_exec (self->conn, "SAVEPOINT reference", &db_error)))
    return cd_store_db_error (self, _("writing the reference data"), db_error, error);
  if (!write_entries (self, data, error))
    {
      if (own)
        cd_db_rollback (self->conn);
      else
        cd_db_exec (self->conn, "ROLLBACK TO SAVEPOINT reference; RELEASE SAVEPOINT reference",
                    NULL);
      return FALSE;
    }
  /* A commit that fails rolls back (cd_db_commit()). */
  if (!(own ? cd_db_commit (self->conn, &db_error)
            : cd_db_exec (self->conn, "RELEASE SAVEPOINT reference", &db_error)))
    return cd_store_db_error (self, _("writing the reference data"), db_error, error);
  if (self->reference != NULL)
    self->reference->stale = TRUE;
  return TRUE;
}

/* kind -> code -> CdReferenceEntry, for @only (or every kind when
 * CD_N_REFERENCE_KINDS). */
static GHashTable **
read_all (CdStore          *self,
          CdReferenceKind   only,
          GHashTable      **out,
          GError          **error)
{
  static const char * const queries[] = {
    "SELECT kind, code, CAST (NULL AS TEXT), CAST (NULL AS TEXT) FROM reference_entries"
    " UNION ALL SELECT kind, code, language, name FROM reference_names",
    "SELECT kind, code, CAST (NULL AS TEXT), CAST (NULL AS TEXT) FROM reference_entries"
    " WHERE kind = ?1"
    " UNION ALL SELECT kind, code, language, name FROM reference_names WHERE kind = ?1",
  };
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    out[k] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                    (GDestroyNotify) cd_reference_entry_free);
  if ((stmt = cd_db_prepare (self->conn, queries[only < CD_N_REFERENCE_KINDS],
                             &db_error)) == NULL)
    goto fail;
  if (only < CD_N_REFERENCE_KINDS)
    cd_db_bind_text (stmt, 1, cd_reference_kind_to_string (only));
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      const char *code = cd_db_column_text (stmt, 1);
      CdReferenceKind kind;
      CdReferenceEntry *entry;

      /* A kind a newer Citydesk wrote is none of this one's business. */
      if (!kind_from_string (cd_db_column_text (stmt, 0), &kind))
        continue;
      if ((entry = g_hash_table_lookup (out[kind], code)) == NULL)
        {
          entry = cd_reference_entry_new (code);
          g_hash_table_insert (out[kind], entry->code, entry);
        }
      if (!cd_db_column_is_null (stmt, 2))
        cd_reference_entry_set_name (entry, cd_db_column_text (stmt, 2),
                                     cd_db_column_text (stmt, 3));
    }
  if (step == CD_DB_DONE)
    return out;

fail:
  cd_store_db_error (self, _("reading the reference data"), db_error, error);
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    g_clear_pointer (&out[k], g_hash_table_unref);
  return NULL;
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CdReferenceEntry *x = *(CdReferenceEntry * const *) a;
  const CdReferenceEntry *y = *(CdReferenceEntry * const *) b;

  return strcmp (x->code, y->code);
}

/**
 * cd_store_reference_list:
 * @self: a store
 * @kind: which entries
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdReferenceEntry): the
 *   entries of @kind with their names in every language, by code; %NULL
 *   with @error set
 */
GPtrArray *
cd_store_reference_list (CdStore          *self,
                         CdReferenceKind   kind,
                         GError          **error)
{
  GHashTable *all[CD_N_REFERENCE_KINDS] = { NULL, };
  GPtrArray *entries;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (kind < CD_N_REFERENCE_KINDS, NULL);

  if (read_all (self, kind, all, error) == NULL)
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_reference_entry_free);
  g_hash_table_iter_init (&iter, all[kind]);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (entries, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (entries, compare_entries);
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    g_hash_table_unref (all[k]);
  return entries;
}

/* The name a person reads: a shipped category's own translation comes
 * before a name the reference data gives only in English. */
static const char *
pick (CdReferenceKind         kind,
      const CdReferenceEntry *entry,
      const char * const     *locales)
{
  const char *name = cd_reference_entry_get_name (entry, locales);

  if (kind == CD_REFERENCE_CATEGORY && cd_category_lookup (entry->code) != NULL &&
      (name == NULL || name == g_hash_table_lookup (entry->names, "en")))
    return cd_category_label_for_code (entry->code);
  return name;
}

static gboolean
memo_is_current (CdStore *self)
{
  CdStoreReferenceMemo *memo = self->reference;
  gint64 version;

  if (memo->stale)
    return FALSE;
  if (memo->data_version == NULL)
    return g_get_monotonic_time () - memo->read_at < PG_MEMO_LIFETIME;
  cd_db_reset (memo->data_version);
  if (cd_db_step (memo->data_version, NULL) != CD_DB_ROW)
    return FALSE;
  version = cd_db_column_int64 (memo->data_version, 0);
  cd_db_reset (memo->data_version);
  return version == memo->version;
}

static void
memo_reload (CdStore *self)
{
  CdStoreReferenceMemo *memo = self->reference;
  GHashTable *all[CD_N_REFERENCE_KINDS] = { NULL, };
  const char * const *locales = g_get_language_names ();
  g_autoptr(GError) error = NULL;

  if (memo->data_version != NULL)
    {
      cd_db_reset (memo->data_version);
      if (cd_db_step (memo->data_version, NULL) == CD_DB_ROW)
        memo->version = cd_db_column_int64 (memo->data_version, 0);
      cd_db_reset (memo->data_version);
    }
  memo->read_at = g_get_monotonic_time ();
  memo->stale = FALSE;

  if (read_all (self, CD_N_REFERENCE_KINDS, all, &error) == NULL)
    {
      /* The labels fall back to codes; the next call tries again. */
      g_debug ("No reference names: %s", error->message);
      memo->stale = TRUE;
      return;
    }
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    {
      GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, all[k]);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          const CdReferenceEntry *entry = value;
          const char *name = pick (k, entry, locales);
          const char *old = NULL;

          if (memo->names[k] != NULL)
            old = g_hash_table_lookup (memo->names[k], entry->code);
          if (name == NULL)
            continue;
          /* A name handed out before stays where it is. */
          if (old == NULL || !g_str_equal (old, name))
            {
              old = g_strdup (name);
              g_ptr_array_add (memo->strings, (char *) old);
            }
          g_hash_table_insert (names, g_strdup (entry->code), (char *) old);
        }
      g_clear_pointer (&memo->names[k], g_hash_table_unref);
      memo->names[k] = names;
      g_hash_table_unref (all[k]);
    }
}

/**
 * cd_store_reference_name:
 * @self: (nullable): a store; without one, @code stays a code
 * @kind: what @code is the code of
 * @code: (nullable): a code
 *
 * The name a person reads for @code: in the user's language
 * (g_get_language_names()), else in English, else @code itself, so that an
 * unknown code stays visible. A shipped category without a name in the
 * user's language has its translated label (cd_category_label_for_code()).
 *
 * Returns: (transfer none) (nullable): the name, valid as long as @self
 *   (or @code when it is @code)
 */
const char *
cd_store_reference_name (CdStore         *self,
                         CdReferenceKind  kind,
                         const char      *code)
{
  const char *name = NULL;

  g_return_val_if_fail (self == NULL || CD_IS_STORE (self), code);
  g_return_val_if_fail (kind < CD_N_REFERENCE_KINDS, code);

  if (code == NULL)
    return NULL;
  if (self == NULL)
    return kind == CD_REFERENCE_CATEGORY ? cd_category_label_for_code (code) : code;
  if (self->reference == NULL)
    {
      self->reference = g_new0 (CdStoreReferenceMemo, 1);
      self->reference->strings = g_ptr_array_new_with_free_func (g_free);
      self->reference->stale = TRUE;
      if (!cd_store_is_postgresql (self) &&
          (self->reference->data_version = cd_db_prepare (self->conn, "PRAGMA data_version",
                                                          NULL)) == NULL)
        {
          g_clear_pointer (&self->reference, cd_store_reference_memo_free);
          return kind == CD_REFERENCE_CATEGORY ? cd_category_label_for_code (code) : code;
        }
    }
  if (!memo_is_current (self))
    memo_reload (self);
  if (self->reference->names[kind] != NULL)
    name = g_hash_table_lookup (self->reference->names[kind], code);
  if (name == NULL && kind == CD_REFERENCE_CATEGORY)
    return cd_category_label_for_code (code);
  return name != NULL ? name : code;
}

/**
 * cd_store_copy_reference:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @n_rows: (out) (optional): how many codes and names @self was given
 * @error: return location for an error
 *
 * Gives @self the reference data of @from (its codes and their names in
 * every language) that it lacks; a name @self holds otherwise is
 * refused, and nothing is copied.
 *
 * Returns: whether all of @from's reference data is in @self
 */
gboolean
cd_store_copy_reference (CdStore  *self,
                         CdStore  *from,
                         gint64   *n_rows,
                         GError  **error)
{
  static const CdStoreCopyTable tables[] = {
    { "reference_entries", "kind, code", 2, "tt" },
    { "reference_names", "kind, code, language, name", 3, "tttt" },
  };
  gint64 n[G_N_ELEMENTS (tables)] = { 0 };
  gboolean ok = cd_store_copy_tables (self, from, tables, G_N_ELEMENTS (tables), n, error);

  if (n_rows != NULL)
    *n_rows = ok ? n[0] + n[1] : 0;
  return ok;
}
