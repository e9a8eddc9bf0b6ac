// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-notify-template.c: a notification's template, a field template
 * (cd-field-template.c) with the notifications' fields */

#include "config.h"

#include "cd-notify-template.h"

static const char * const kind_names[] = { "resolved", "closed" };
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == CD_N_NOTIFY_KINDS);

/* In the order of CdNotifyFields' members. */
static const char * const field_names[] = {
  "number", "category", "address", "executor", "state", "date", NULL,
};
G_STATIC_ASSERT ((G_N_ELEMENTS (field_names) - 1) * sizeof (const char *) ==
                 sizeof (CdNotifyFields));

struct _CdNotifyTemplate
{
  CdFieldTemplate *template;
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

void
cd_notify_template_free (CdNotifyTemplate *self)
{
  if (self == NULL)
    return;
  cd_field_template_free (self->template);
  g_free (self);
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
  CdFieldTemplate *template = cd_field_template_parse (file, text, field_names, error);
  CdNotifyTemplate *self;

  if (template == NULL)
    return NULL;
  self = g_new0 (CdNotifyTemplate, 1);
  self->template = template;
  return self;
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
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (fields != NULL, NULL);

  return cd_field_template_render (self->template, (const char * const *) fields);
}
