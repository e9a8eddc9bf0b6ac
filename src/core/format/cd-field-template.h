// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-field-template.h: plain text with fields in braces, for letters
 *
 * A template is plain text with fields in braces, `{number}`; `{{` and
 * `}}` are a literal brace. Each user says which fields exist (the
 * notifications, docs/notifications.md; the complaint answers,
 * docs/complaints.md). A field the user does not know is refused when the
 * template is read, naming its file and line, so that a typo is found when
 * the template is loaded rather than in a resident's letter.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_FIELD_TEMPLATE_ERROR (cd_field_template_error_quark ())

/**
 * CdFieldTemplateError:
 * @CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD: a template names a field that does not exist
 * @CD_FIELD_TEMPLATE_ERROR_SYNTAX: a brace is not closed, or a field is empty
 */
typedef enum
{
  CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD,
  CD_FIELD_TEMPLATE_ERROR_SYNTAX,
} CdFieldTemplateError;

GQuark cd_field_template_error_quark (void);

typedef struct _CdFieldTemplate CdFieldTemplate;

CdFieldTemplate *cd_field_template_parse  (const char             *file,
                                           const char             *text,
                                           const char * const     *fields,
                                           GError                **error);
char            *cd_field_template_render (const CdFieldTemplate  *self,
                                           const char * const     *values);
void             cd_field_template_free   (CdFieldTemplate        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFieldTemplate, cd_field_template_free)

G_END_DECLS
