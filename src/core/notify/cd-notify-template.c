// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-notify-template.c: reading and filling in a notification's template
 *
 * A template is cut once, when read, into literal runs and fields, so that
 * rendering cannot fail and an unknown field is refused where it is
 * written: "resolved.txt:3: …". Rendering is a pure function of the
 * template and the fields.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-notify-template.h"

G_DEFINE_QUARK (cd-notify-error-quark, cd_notify_error)

static const char * const kind_names[] = { "resolved", "closed" };
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == CD_N_NOTIFY_KINDS);

/* In the order of CdNotifyFields' members; NULL-terminated for the
 * message that lists them. */
static const char * const field_names[] = {
  "number", "category", "address", "executor", "state", "date", NULL,
};
#define N_FIELDS (G_N_ELEMENTS (field_names) - 1)
G_STATIC_ASSERT (N_FIELDS * sizeof (const char *) == sizeof (CdNotifyFields));

typedef struct
{
  int   field;   /* an index into field_names, or -1 for @text */
  char *text;
} Segment;

struct _CdNotifyTemplate
{
  GArray *segments;  /* (element-type Segment) */
};

const char *
cd_notify_kind_to_string (CdNotifyKind kind)
{
  g_return_val_if_fail (kind < CD_N_NOTIFY_KINDS, NULL);
  return kind_names[kind];
}

gboolean
cd_notify_kind_from_string (const char   *text,
                            CdNotifyKind *kind)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (text, kind_names[i]))
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

static void
clear_segment (gpointer data)
{
  g_free (((Segment *) data)->text);
}

void
cd_notify_template_free (CdNotifyTemplate *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->segments);
  g_free (self);
}

static void
add_literal (CdNotifyTemplate *self,
             GString          *run)
{
  Segment segment = { -1, NULL };

  if (run->len == 0)
    return;
  segment.text = g_strndup (run->str, run->len);
  g_array_append_val (self->segments, segment);
  g_string_truncate (run, 0);
}

static int
find_field (const char *name,
            gsize       len)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (strlen (field_names[i]) == len && strncmp (field_names[i], name, len) == 0)
      return (int) i;
  return -1;
}

/**
 * cd_notify_template_parse:
 * @file: the template's name in messages (its file)
 * @text: the template, UTF-8
 * @error: %CD_NOTIFY_ERROR_UNKNOWN_FIELD or %CD_NOTIFY_ERROR_SYNTAX,
 *   naming @file and the line
 *
 * Returns: (transfer full): the template, or %NULL with @error set
 */
CdNotifyTemplate *
cd_notify_template_parse (const char  *file,
                          const char  *text,
                          GError     **error)
{
  g_autoptr(CdNotifyTemplate) self = g_new0 (CdNotifyTemplate, 1);
  g_autoptr(GString) run = g_string_new (NULL);
  guint line = 1;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

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
          g_set_error (error, CD_NOTIFY_ERROR, CD_NOTIFY_ERROR_SYNTAX,
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
              g_set_error (error, CD_NOTIFY_ERROR, CD_NOTIFY_ERROR_SYNTAX,
                           _("%s:%u: “{” opens no field (write “{{” for a brace)."), file, line);
              return NULL;
            }
          segment.field = find_field (p + 1, end - p - 1);
          if (segment.field < 0)
            {
              g_autofree char *name = g_strndup (p + 1, end - p - 1);
              g_autofree char *known = g_strjoinv (", ", (GStrv) field_names);

              g_set_error (error, CD_NOTIFY_ERROR, CD_NOTIFY_ERROR_UNKNOWN_FIELD,
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
 * cd_notify_template_render:
 * @self: a template
 * @fields: what to fill in
 *
 * Returns: (transfer full): the text, without a final newline
 */
char *
cd_notify_template_render (const CdNotifyTemplate *self,
                           const CdNotifyFields   *fields)
{
  const char * const *values = (const char * const *) fields;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

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
