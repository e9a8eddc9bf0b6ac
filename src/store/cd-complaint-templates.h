// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint-templates.h: the organization's complaint letters, read
 * from its data folder (data/complaints/, docs/complaints.md)
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdComplaintTemplates CdComplaintTemplates;

/* DATA_DIR/complaints/: answer-A.txt answer-B.txt answer-C.txt appeal.txt, and per language
 * answer-A.ru.txt ... (language NULL or "en": the plain files; a missing language file falls
 * back to the plain one). Every file is parsed at load: an unknown field fails with file:line. */
CdComplaintTemplates *cd_complaint_templates_load (const char *data_dir, const char *language,
                                                   GError **error);
/* name: "A", "B", "C" (the answer for that class) or "appeal"; NULL if none */
const char *cd_complaint_templates_get (CdComplaintTemplates *self, const char *name);
/* The file @name was read from, for messages; NULL if none */
const char *cd_complaint_templates_get_file (CdComplaintTemplates *self, const char *name);
void cd_complaint_templates_free (CdComplaintTemplates *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdComplaintTemplates, cd_complaint_templates_free)

G_END_DECLS
