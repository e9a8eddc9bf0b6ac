// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-notify-template.h: the text a resident is sent when a ticket is
 * resolved or closed (docs/notifications.md)
 *
 * A field template (cd-field-template.h) with the fields {number},
 * {category}, {address}, {executor}, {state}, {date}; a field this module
 * does not know is refused when the template is read, naming its file and
 * line, so that a typo is found when the server starts rather than in a
 * resident's message.
 */

#pragma once

#include <glib.h>

#include "cd-field-template.h"

G_BEGIN_DECLS

/* The errors are the field templates' (cd-field-template.h), under the
 * names the notifications have always used. */
#define CD_NOTIFY_ERROR CD_FIELD_TEMPLATE_ERROR
#define CD_NOTIFY_ERROR_UNKNOWN_FIELD CD_FIELD_TEMPLATE_ERROR_UNKNOWN_FIELD
#define CD_NOTIFY_ERROR_SYNTAX CD_FIELD_TEMPLATE_ERROR_SYNTAX

/**
 * CdNotifyKind:
 * @CD_NOTIFY_RESOLVED: the executor resolved the ticket
 * @CD_NOTIFY_CLOSED: the ticket closed (confirmed, or unconfirmed)
 */
typedef enum
{
  CD_NOTIFY_RESOLVED,
  CD_NOTIFY_CLOSED,
  CD_N_NOTIFY_KINDS
} CdNotifyKind;

const char *cd_notify_kind_to_string   (CdNotifyKind  kind);
gboolean    cd_notify_kind_from_string (const char   *text,
                                        CdNotifyKind *kind);

/**
 * CdNotifyFields:
 * @number: the ticket's number
 * @category: its category's name for people
 * @address: one line
 * @executor: the executor organization's name
 * @state: the state the event left the ticket in, for people
 * @date: when, for people
 *
 * What a template may show; a %NULL field renders as nothing.
 */
typedef struct
{
  const char *number;
  const char *category;
  const char *address;
  const char *executor;
  const char *state;
  const char *date;
} CdNotifyFields;

typedef struct _CdNotifyTemplate CdNotifyTemplate;

CdNotifyTemplate *cd_notify_template_parse  (const char              *file,
                                             const char              *text,
                                             GError                 **error);
char             *cd_notify_template_render (const CdNotifyTemplate  *self,
                                             const CdNotifyFields    *fields);
void              cd_notify_template_free   (CdNotifyTemplate        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdNotifyTemplate, cd_notify_template_free)

G_END_DECLS
