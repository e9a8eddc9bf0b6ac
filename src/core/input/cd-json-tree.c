// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-json-tree.c: strict JSON text from a client into a json-glib tree
 *
 * One walk over the text with CdJsonReader builds the nodes as it goes:
 * nothing reaches json-glib that the reader did not accept, and the
 * recursion is bounded by the nesting limit the reader enforces. On top
 * of RFC 8259 two things are refused, because json-glib cannot represent
 * them faithfully: a NUL character in a string (its strings end at the
 * first NUL, so "a\u0000b" would silently become "a") and a member named
 * twice (json-glib keeps one of them; another parser might keep the
 * other, and the journal must mean the same to every reader).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-json-tree.h"

typedef struct
{
  CdJsonReader reader;
  char        *member;    /* the innermost member being read */
  gsize        offset;    /* where a refusal (not the reader's) starts */
  gboolean     refused;
  gboolean     build;
} Walk;

static gboolean
refuse (Walk        *walk,
        gsize        offset,
        const char  *why,
        GError     **error)
{
  walk->offset = offset;
  walk->refused = TRUE;
  if (walk->member != NULL)
    g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_REFUSED,
                 _("Refused JSON at byte %zu (member “%s”): %s"),
                 offset, walk->member, why);
  else
    g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_REFUSED,
                 _("Refused JSON at byte %zu: %s"), offset, why);
  return FALSE;
}

static gboolean walk_value (Walk      *walk,
                            JsonNode **out,
                            GError   **error);

static gboolean
walk_object (Walk      *walk,
             JsonNode **out,
             GError   **error)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *outer = g_steal_pointer (&walk->member);

  if (!cd_json_reader_begin_object (&walk->reader, error))
    return FALSE;
  if (!walk->build)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (;;)
    {
      const char *name;
      JsonNode *value = NULL;
      gsize start;
      gboolean twice;

      g_clear_pointer (&walk->member, g_free);
      start = cd_json_reader_get_offset (&walk->reader);
      if (!cd_json_reader_next_member (&walk->reader, &name, error))
        return FALSE;
      if (name == NULL)
        break;
      walk->member = g_strdup (name);
      if (strlen (name) != cd_json_reader_get_name_length (&walk->reader))
        return refuse (walk, start, _("a member name holds a NUL character"), error);
      twice = walk->build ? json_object_has_member (object, name)
                          : !g_hash_table_add (seen, g_strdup (name));
      if (twice)
        return refuse (walk, start, _("the member is named twice"), error);
      if (!walk_value (walk, walk->build ? &value : NULL, error))
        return FALSE;
      if (walk->build)
        json_object_set_member (object, walk->member, value);
    }
  walk->member = g_steal_pointer (&outer);
  if (out != NULL)
    {
      *out = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (*out, object);
    }
  return TRUE;
}

static gboolean
walk_array (Walk      *walk,
            JsonNode **out,
            GError   **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  gboolean has_element;

  if (!cd_json_reader_begin_array (&walk->reader, error))
    return FALSE;
  for (;;)
    {
      JsonNode *value = NULL;

      if (!cd_json_reader_next_element (&walk->reader, &has_element, error))
        return FALSE;
      if (!has_element)
        break;
      if (!walk_value (walk, walk->build ? &value : NULL, error))
        return FALSE;
      if (walk->build)
        json_array_add_element (array, value);
    }
  if (out != NULL)
    {
      *out = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (*out, array);
    }
  return TRUE;
}

static gboolean
walk_value (Walk      *walk,
            JsonNode **out,
            GError   **error)
{
  CdJsonKind kind = cd_json_reader_peek (&walk->reader, error);

  switch (kind)
    {
    case CD_JSON_KIND_OBJECT:
      return walk_object (walk, out, error);

    case CD_JSON_KIND_ARRAY:
      return walk_array (walk, out, error);

    case CD_JSON_KIND_STRING:
      {
        gsize start = cd_json_reader_get_offset (&walk->reader);
        gsize len = 0;
        const char *s = cd_json_reader_read_string (&walk->reader, &len, error);

        if (s == NULL)
          return FALSE;
        if (memchr (s, '\0', len) != NULL)
          return refuse (walk, start, _("a string holds a NUL character"), error);
        if (out != NULL)
          {
            *out = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (*out, s);
          }
        return TRUE;
      }

    case CD_JSON_KIND_INT:
      {
        gint64 value;

        if (!cd_json_reader_read_int (&walk->reader, &value, error))
          return FALSE;
        if (out != NULL)
          {
            *out = json_node_new (JSON_NODE_VALUE);
            json_node_set_int (*out, value);
          }
        return TRUE;
      }

    case CD_JSON_KIND_DOUBLE:
      {
        double value;

        if (!cd_json_reader_read_double (&walk->reader, &value, error))
          {
            walk->offset = cd_json_reader_get_offset (&walk->reader);
            walk->refused = TRUE;
            return FALSE;
          }
        if (out != NULL)
          {
            *out = json_node_new (JSON_NODE_VALUE);
            json_node_set_double (*out, value);
          }
        return TRUE;
      }

    case CD_JSON_KIND_BOOLEAN:
      {
        gboolean value;

        if (!cd_json_reader_read_boolean (&walk->reader, &value, error))
          return FALSE;
        if (out != NULL)
          {
            *out = json_node_new (JSON_NODE_VALUE);
            json_node_set_boolean (*out, value);
          }
        return TRUE;
      }

    case CD_JSON_KIND_NULL:
      if (!cd_json_reader_read_null (&walk->reader, error))
        return FALSE;
      if (out != NULL)
        *out = json_node_new (JSON_NODE_NULL);
      return TRUE;

    case CD_JSON_KIND_NONE:
    default:
      return FALSE;
    }
}

static JsonNode *
walk_document (const char  *data,
               gsize        len,
               guint        max_depth,
               gboolean     build,
               gsize       *error_offset,
               char       **error_member,
               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  Walk walk = { .build = build };
  gboolean ok;

  if (error_offset != NULL)
    *error_offset = 0;
  if (error_member != NULL)
    *error_member = NULL;

  cd_json_reader_init (&walk.reader, data, len);
  cd_json_reader_set_max_depth (&walk.reader, max_depth);
  ok = walk_value (&walk, build ? &root : NULL, error) &&
       cd_json_reader_end (&walk.reader, error);
  if (!ok)
    {
      if (error_offset != NULL)
        *error_offset = walk.refused ? walk.offset : cd_json_reader_get_error_offset (&walk.reader);
      if (error_member != NULL)
        *error_member = g_steal_pointer (&walk.member);
      g_clear_pointer (&root, json_node_unref);
    }
  else if (!build)
    root = json_node_new (JSON_NODE_NULL);
  g_free (walk.member);
  cd_json_reader_clear (&walk.reader);
  return g_steal_pointer (&root);
}

/**
 * cd_json_parse:
 * @data: (array length=len): the text
 * @len: its length in bytes
 * @max_depth: how deep arrays and objects may nest (usually
 *   %CD_JSON_INPUT_MAX_DEPTH)
 * @error_offset: (out) (optional): on error, the byte at which the text
 *   stopped being acceptable
 * @error_member: (out) (optional) (transfer full): on error, the innermost
 *   object member being read, or %NULL
 * @error: %CD_JSON_ERROR_INVALID when the text is not exactly one RFC 8259
 *   value (with nothing but white space around it),
 *   %CD_JSON_ERROR_TOO_DEEP past @max_depth, %CD_JSON_ERROR_REFUSED for a
 *   NUL character in a string or a member named twice,
 *   %CD_JSON_ERROR_UNEXPECTED for a number too large for a double (with
 *   @error_member, as for a refusal)
 *
 * Returns: (transfer full): the document's value, or %NULL with @error set
 */
JsonNode *
cd_json_parse (const char  *data,
               gsize        len,
               guint        max_depth,
               gsize       *error_offset,
               char       **error_member,
               GError     **error)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return walk_document (data, len, max_depth, TRUE, error_offset, error_member, error);
}

/**
 * cd_json_check_text:
 * @data: (array length=len): the text
 * @len: its length in bytes
 * @max_depth: how deep arrays and objects may nest
 * @error_member: (out) (optional) (transfer full): on error, the innermost
 *   object member being read, or %NULL
 * @error: as for cd_json_parse()
 *
 * Checks @data as cd_json_parse() would, without building anything.
 *
 * Returns: whether cd_json_parse() would accept @data
 */
gboolean
cd_json_check_text (const char  *data,
                    gsize        len,
                    guint        max_depth,
                    char       **error_member,
                    GError     **error)
{
  g_autoptr(JsonNode) done = NULL;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  done = walk_document (data, len, max_depth, FALSE, NULL, error_member, error);
  return done != NULL;
}
