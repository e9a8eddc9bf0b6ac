// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint-template.h: the letters a complaint is answered with
 *
 * The answer for each class and the notice of the right to appeal are
 * field templates (cd-field-template.h) the organization edits
 * (data/complaints/, docs/complaints.md), filled in from the complaint.
 */

#pragma once

#include "cd-complaint.h"
#include "cd-field-template.h"

G_BEGIN_DECLS

/* Fields: {number} {received} {name} {address} {summary} {class} {responsible}
 * {decision} {favour} {reasons} {about}; `{{`/`}}` literal braces; an unknown field is refused. */
char *cd_complaint_template_render (const char         *file,    /* for errors */
                                    const char         *text,
                                    const CdComplaint  *complaint,
                                    GTimeZone          *zone,
                                    GError            **error);

gboolean cd_complaint_template_check (const char  *file,
                                      const char  *text,
                                      GError     **error);

G_END_DECLS
