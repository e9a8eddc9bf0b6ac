// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-complaints.h: the complaints of a period, as the journal reads them
 *
 * One place reads a complaint together with what it is about (the
 * executor of a ticket, the operator of a call) and whether its answer
 * clock was met, for the command line, the server and the dashboard alike
 * (docs/complaints.md). Reads only; safe on a worker's read connection.
 */

#pragma once

#include "cd-complaint.h"
#include "cd-complaint-templates.h"
#include "cd-store.h"

G_BEGIN_DECLS

GPtrArray *cd_store_list_complaints (CdStore  *self,
                                     gint64    from,
                                     gint64    to,
                                     GError  **error);
CdComplaint *cd_store_load_complaint (CdStore     *self,
                                      const char  *id_or_number,
                                      GError     **error);

/* The complaint letters (docs/complaints.md): the store's language is the
 * server's `notify-language`; the command line's store uses the plain
 * files unless told. */
void        cd_store_set_complaint_language  (CdStore            *self,
                                              const char         *language);
CdComplaintTemplates *cd_store_get_complaint_templates (CdStore  *self,
                                                        GError  **error);
char       *cd_store_complaint_draft         (CdStore            *self,
                                              const CdComplaint  *complaint,
                                              GTimeZone          *zone,
                                              char              **appeal,
                                              GError            **error);
gboolean    cd_store_check_classified        (CdStore            *self,
                                              const CdTicket     *ticket,
                                              const char         *role,
                                              GError            **error);
JsonObject *cd_store_fill_appeal             (CdStore            *self,
                                              const CdTicket     *ticket,
                                              JsonObject         *payload,
                                              gint64              time,
                                              GError            **error);

/* How long a group's proposal has when it does not say (its `due`). */
#define CD_COMPLAINT_PROPOSAL_DAYS 20

JsonObject *cd_store_fill_proposal           (JsonObject         *payload,
                                              gint64              time);

G_END_DECLS
