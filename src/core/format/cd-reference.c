// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-reference.c: a city's reference data, the names behind its codes
 *
 * The document is read with the strict pull reader, member by member, so
 * that a city's file with a typo is refused with the place of the typo
 * (`executors[3].names.ru`) rather than half loaded: a name is what every
 * supervisor reads, and a wrong one misleads more than a code.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "cd-input.h"
#include "cd-json-reader.h"
#include "cd-reference.h"

G_DEFINE_QUARK (cd-reference-error-quark, cd_reference_error)

static const char * const kind_names[] = { "executor", "category", "district", "policy" };
static const char * const section_names[] = { "executors", "categories", "districts", "policies" };
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == CD_N_REFERENCE_KINDS);
G_STATIC_ASSERT (G_N_ELEMENTS (section_names) == CD_N_REFERENCE_KINDS);

/**
 * cd_reference_kind_to_string:
 * @kind: a kind
 *
 * Returns: its name in the store (`executor`)
 */
const char *
cd_reference_kind_to_string (CdReferenceKind kind)
{
  g_return_val_if_fail (kind < CD_N_REFERENCE_KINDS, NULL);
  return kind_names[kind];
}

/**
 * cd_reference_kind_to_section:
 * @kind: a kind
 *
 * Returns: its section of the JSON document (`executors`)
 */
const char *
cd_reference_kind_to_section (CdReferenceKind kind)
{
  g_return_val_if_fail (kind < CD_N_REFERENCE_KINDS, NULL);
  return section_names[kind];
}

/* Entries {{{1 */

CdReferenceEntry *
cd_reference_entry_new (const char *code)
{
  CdReferenceEntry *entry = g_new0 (CdReferenceEntry, 1);

  entry->code = g_strdup (code);
  entry->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return entry;
}

void
cd_reference_entry_free (CdReferenceEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->code);
  g_hash_table_unref (entry->names);
  g_free (entry);
}

void
cd_reference_entry_set_name (CdReferenceEntry *entry,
                             const char       *language,
                             const char       *name)
{
  g_hash_table_replace (entry->names, g_strdup (language), g_strdup (name));
}

/**
 * cd_reference_language_is_valid:
 * @language: a language tag
 *
 * Returns: whether @language is a tag the names may be keyed by: a
 *   lower-case ISO 639 code (`ru`, `be`), optionally with a region or
 *   script (`pt-BR`, `sr-Latn`)
 */
gboolean
cd_reference_language_is_valid (const char *language)
{
  gsize n = 0;

  while (g_ascii_islower (language[n]))
    n++;
  if (n < 2 || n > 3)
    return FALSE;
  if (language[n] == '\0')
    return TRUE;
  if (language[n] != '-')
    return FALSE;
  language += n + 1;
  for (n = 0; g_ascii_isalnum (language[n]); n++)
    ;
  return n >= 2 && n <= 8 && language[n] == '\0';
}

/**
 * cd_reference_pick_name:
 * @names: (element-type utf8 utf8): language tag -> name
 * @locales: (nullable) (array zero-terminated=1): the reader's languages,
 *   most wanted first, as g_get_language_names() or an Accept-Language
 *   header gives them (`ru_RU.UTF-8`, `uk-UA`, `kk`)
 *
 * Returns: (nullable): the name in the first of @locales @names has (the
 *   whole tag first, then its language), else in English, else %NULL
 */
const char *
cd_reference_pick_name (GHashTable         *names,
                        const char * const *locales)
{
  const char *name;

  for (guint i = 0; locales != NULL && locales[i] != NULL; i++)
    {
      const char *locale = locales[i];
      gsize full = strcspn (locale, ".@;");
      gsize base = strcspn (locale, "_-.@;");
      g_autofree char *tag = g_strndup (locale, full);

      g_strdelimit (tag, "_", '-');
      if ((name = g_hash_table_lookup (names, tag)) != NULL)
        return name;
      tag[base] = '\0';
      if ((name = g_hash_table_lookup (names, tag)) != NULL)
        return name;
    }
  return g_hash_table_lookup (names, "en");
}

/**
 * cd_reference_entry_get_name:
 * @entry: an entry
 * @locales: (nullable) (array zero-terminated=1): the reader's languages
 *
 * Returns: (nullable): cd_reference_pick_name() of its names
 */
const char *
cd_reference_entry_get_name (const CdReferenceEntry *entry,
                             const char * const     *locales)
{
  return cd_reference_pick_name (entry->names, locales);
}

/* Documents {{{1 */

CdReferenceData *
cd_reference_data_new (void)
{
  return g_new0 (CdReferenceData, 1);
}

void
cd_reference_data_free (CdReferenceData *data)
{
  if (data == NULL)
    return;
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    g_clear_pointer (&data->entries[k], g_ptr_array_unref);
  g_free (data);
}

static gboolean
invalid (GError    **error,
         const char *where,
         const char *message)
{
  g_set_error (error, CD_REFERENCE_ERROR, CD_REFERENCE_ERROR_INVALID, "%s: %s", where, message);
  return FALSE;
}

/* A code or a name: one line of clean text, neither empty nor long. */
static char *
read_text (CdJsonReader  *reader,
           const char    *where,
           gsize          max,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *s;
  gsize len = 0;

  if ((s = cd_json_reader_read_string (reader, &len, &local_error)) == NULL)
    {
      invalid (error, where, local_error->message);
      return NULL;
    }
  if (len == 0 || g_utf8_strlen (s, len) > (glong) max ||
      !cd_input_text_is_clean (s, len, FALSE, NULL))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("expected one line of text of 1 to %u characters"), (guint) max);

      invalid (error, where, message);
      return NULL;
    }
  return g_strndup (s, len);
}

static gboolean
read_names (CdJsonReader     *reader,
            CdReferenceEntry *entry,
            const char       *where,
            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *member;

  if (!cd_json_reader_begin_object (reader, &local_error))
    return invalid (error, where, local_error->message);
  for (;;)
    {
      g_autofree char *language = NULL;
      g_autofree char *at = NULL;
      char *name;

      if (!cd_json_reader_next_member (reader, &member, &local_error))
        return invalid (error, where, local_error->message);
      if (member == NULL)
        return TRUE;
      language = g_strdup (member);
      at = g_strdup_printf ("%s.%s", where, language);
      if (!cd_reference_language_is_valid (language))
        return invalid (error, at, _("not a language tag such as “ru” or “pt-BR”"));
      if (g_hash_table_contains (entry->names, language))
        return invalid (error, at, _("given twice"));
      if ((name = read_text (reader, at, CD_REFERENCE_MAX_NAME, error)) == NULL)
        return FALSE;
      g_hash_table_replace (entry->names, g_steal_pointer (&language), name);
    }
}

static CdReferenceEntry *
read_entry (CdJsonReader  *reader,
            const char    *where,
            GError       **error)
{
  g_autoptr(CdReferenceEntry) entry = cd_reference_entry_new (NULL);
  g_autoptr(GError) local_error = NULL;
  const char *member;

  if (!cd_json_reader_begin_object (reader, &local_error))
    {
      invalid (error, where, local_error->message);
      return NULL;
    }
  for (;;)
    {
      g_autofree char *at = NULL;

      if (!cd_json_reader_next_member (reader, &member, &local_error))
        {
          invalid (error, where, local_error->message);
          return NULL;
        }
      if (member == NULL)
        break;
      at = g_strdup_printf ("%s.%s", where, member);
      if ((g_str_equal (member, "code") && entry->code != NULL) ||
          (g_str_equal (member, "names") && g_hash_table_size (entry->names) > 0))
        {
          invalid (error, at, _("given twice"));
          return NULL;
        }
      if (g_str_equal (member, "code"))
        {
          if ((entry->code = read_text (reader, at, CD_REFERENCE_MAX_CODE, error)) == NULL)
            return NULL;
        }
      else if (g_str_equal (member, "names"))
        {
          if (!read_names (reader, entry, at, error))
            return NULL;
        }
      else
        {
          invalid (error, at, _("unknown member (an entry has “code” and “names”)"));
          return NULL;
        }
    }
  if (entry->code == NULL)
    {
      invalid (error, where, _("the entry has no “code”"));
      return NULL;
    }
  return g_steal_pointer (&entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CdReferenceEntry *x = *(CdReferenceEntry * const *) a;
  const CdReferenceEntry *y = *(CdReferenceEntry * const *) b;

  return strcmp (x->code, y->code);
}

static GPtrArray *
read_section (CdJsonReader  *reader,
              const char    *section,
              GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  gboolean has_element;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_reference_entry_free);
  if (!cd_json_reader_begin_array (reader, &local_error))
    {
      invalid (error, section, local_error->message);
      return NULL;
    }
  for (guint i = 0;; i++)
    {
      g_autofree char *where = g_strdup_printf ("%s[%u]", section, i);
      CdReferenceEntry *entry;

      if (!cd_json_reader_next_element (reader, &has_element, &local_error))
        {
          invalid (error, where, local_error->message);
          return NULL;
        }
      if (!has_element)
        break;
      if ((entry = read_entry (reader, where, error)) == NULL)
        return NULL;
      g_ptr_array_add (entries, entry);
      if (!g_hash_table_add (seen, entry->code))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("the code “%s” is given twice"), entry->code);
          invalid (error, where, message);
          return NULL;
        }
    }
  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}

/**
 * cd_reference_data_parse:
 * @text: a JSON document: an object of sections (`executors`,
 *   `categories`, `districts`, `policies`), each an array of
 *   `{"code": …, "names": {"en": …, "ru": …}}`
 * @len: its length in bytes
 * @error: return location for a %CD_REFERENCE_ERROR_INVALID that names
 *   the place of the first fault
 *
 * Returns: (transfer full): the data, or %NULL
 */
CdReferenceData *
cd_reference_data_parse (const char  *text,
                         gsize        len,
                         GError     **error)
{
  g_auto(CdJsonReader) reader;
  g_autoptr(CdReferenceData) data = cd_reference_data_new ();
  g_autoptr(GError) local_error = NULL;
  const char *member;

  cd_json_reader_init (&reader, text, len);
  cd_json_reader_set_max_depth (&reader, CD_JSON_INPUT_MAX_DEPTH);
  if (!cd_json_reader_begin_object (&reader, &local_error))
    {
      invalid (error, _("the document"), local_error->message);
      return NULL;
    }
  for (;;)
    {
      g_autofree char *section = NULL;
      guint k;

      if (!cd_json_reader_next_member (&reader, &member, &local_error))
        {
          invalid (error, _("the document"), local_error->message);
          return NULL;
        }
      if (member == NULL)
        break;
      section = g_strdup (member);
      for (k = 0; k < CD_N_REFERENCE_KINDS; k++)
        if (g_str_equal (section, section_names[k]))
          break;
      if (k == CD_N_REFERENCE_KINDS)
        {
          invalid (error, section,
                   _("unknown section (executors, categories, districts or policies)"));
          return NULL;
        }
      if (data->entries[k] != NULL)
        {
          invalid (error, section, _("given twice"));
          return NULL;
        }
      if ((data->entries[k] = read_section (&reader, section, error)) == NULL)
        return NULL;
    }
  if (!cd_json_reader_end (&reader, &local_error))
    {
      invalid (error, _("the document"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&data);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * cd_reference_data_to_json:
 * @data: reference data
 *
 * Returns: (transfer full): the JSON document cd_reference_data_parse()
 *   reads back, its sections, entries and languages in a stable order
 */
char *
cd_reference_data_to_json (const CdReferenceData *data)
{
  GString *out = g_string_new ("{");
  gboolean first_section = TRUE;

  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    {
      GPtrArray *entries = data->entries[k];

      if (entries == NULL)
        continue;
      if (!first_section)
        g_string_append_c (out, ',');
      first_section = FALSE;
      cd_json_append_string (out, section_names[k]);
      g_string_append (out, ":[");
      for (guint i = 0; i < entries->len; i++)
        {
          const CdReferenceEntry *entry = g_ptr_array_index (entries, i);
          g_autofree gpointer *languages = NULL;
          guint n;

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, "{\"code\":");
          cd_json_append_string (out, entry->code);
          g_string_append (out, ",\"names\":{");
          languages = g_hash_table_get_keys_as_array (entry->names, &n);
          qsort (languages, n, sizeof (gpointer), compare_strings);
          for (guint j = 0; j < n; j++)
            {
              if (j > 0)
                g_string_append_c (out, ',');
              cd_json_append_string (out, languages[j]);
              g_string_append_c (out, ':');
              cd_json_append_string (out, g_hash_table_lookup (entry->names, languages[j]));
            }
          g_string_append (out, "}}");
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}
