// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-field-template.c: reading and filling in a template with fields
 *
 * A template is cut once, when read, into literal runs and fields, so that
 * rendering cannot fail and an unknown field is refused where it is
 * written: "resolved.txt:3: …". Rendering is a pure function of the
 * template and the values.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-field-template.h"

G_DEFINE_QUARK (cd-field-template-error-quark, cd_field_template_error)

typedef struct
{
  int   field;   /* an index into the fields, or -1 for @text */
  char *text;
} Segment;

struct _CdFieldTemplate
{
  GArray *segments;  /* (element-type Segment) */
  guint   n_fields;
};

static void
clear_segment (gpointer data)
{
  g_free (((Segment *) data)->text);
}

void
cd_field_template_free (CdFieldTemplate *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->segments);
  g_free (self);
}

static void
add_literal (CdFieldTemplate *self,
             GString         *run)
{
  Segment segment = { -1, NULL };

  if (run->len == 0)
    return;
  segment.text = g_strndup (run->str, run->len);
  g_array_append_val (self->segments, segment);
  g_string_truncate (run, 0);
}

static int
find_field (const char * const *fields,
            const char         *name,
            gsize               len)
{
  for (guint i = 0; fields[i] != NULL; i++)
    if (strlen (fields[i]) == len && strncmp (fields[i], name, len) == 0)
      return (int) i;
  return -1;
}

/**
 * cd_field_template_parse:
 * @file: the template's name in messages (its file)
 * @text: the template, UTF-8
 * @fields: (array zero-terminated=1): the names of the fields it may use;
 *   rendering takes their values in this order
 * @error: %CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD or
 *   %CD_FIELD_TEMPLATE_ERROR_SYNTAX, naming @file and the line
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 */
CdFieldTemplate *
cd_field_template_parse (const char          *file,
                         const char          *text,
                         const char * const  *fields,
                         GError             **error)
{
  g_autoptr(CdFieldTemplate) self = g_new0 (CdFieldTemplate, 1);
  g_autoptr(GString) run = g_string_new (NULL);
  guint line = 1;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  self->n_fields = g_strv_length ((GStrv) fields);
  self->segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_array_set_clear_func (self->segments, clear_segment);

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          g_string_append_c (run, *p++);
          continue;
        }
      if (*p == '}')
        {
          g_set_error (error, CD_FIELD_TEMPLATE_ERROR, CD_FIELD_TEMPLATE_ERROR_SYNTAX,
                       _("%s:%u: “}” closes no field (write “}}” for a brace)."), file, line);
          return NULL;
        }
      if (*p == '{')
        {
          const char *end = strchr (p + 1, '}');
          const char *newline = strchr (p + 1, '\n');
          Segment segment = { -1, NULL };

          if (end == NULL || (newline != NULL && newline < end) || end == p + 1)
            {
              g_set_error (error, CD_FIELD_TEMPLATE_ERROR, CD_FIELD_TEMPLATE_ERROR_SYNTAX,
                           _("%s:%u: “{” opens no field (write “{{” for a brace)."), file, line);
              return NULL;
            }
          segment.field = find_field (fields, p + 1, end - p - 1);
          if (segment.field < 0)
            {
              g_autofree char *name = g_strndup (p + 1, end - p - 1);
              g_autofree char *known = g_strjoinv (", ", (GStrv) fields);

              g_set_error (error, CD_FIELD_TEMPLATE_ERROR, CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD,
                           _("%s:%u: unknown field “{%s}” (known: %s)."), file, line, name,
                           known);
              return NULL;
            }
          add_literal (self, run);
          g_array_append_val (self->segments, segment);
          p = end;
          continue;
        }
      if (*p == '\n')
        line++;
      g_string_append_c (run, *p);
    }
  add_literal (self, run);
  return g_steal_pointer (&self);
}

/**
 * cd_field_template_render:
 * @self: a template
 * @values: one per field the template was parsed with, in that order; a
 *   %NULL value renders as nothing
 *
 * Returns: (transfer full): the text, without a final newline
 */
char *
cd_field_template_render (const CdFieldTemplate *self,
                          const char * const    *values)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (values != NULL || self->n_fields == 0, NULL);

  for (guint i = 0; i < self->segments->len; i++)
    {
      const Segment *segment = &g_array_index (self->segments, Segment, i);

      if (segment->field < 0)
        g_string_append (out, segment->text);
      else if (values[segment->field] != NULL)
        g_string_append (out, values[segment->field]);
    }
  while (out->len > 0 && (out->str[out->len - 1] == '\n' || out->str[out->len - 1] == '\r'))
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}
