// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-library.h: the SLA policies and calendars a store works with
 *
 * The SLA engine (src/core) does no I/O; this reads its data files: every
 * JSON file in the policies and calendars folders of a data directory, by
 * default the installed one, or the one named by $CITYDESK_DATA_DIR for uninstalled
 * runs and tests. It also chooses the policy of a new ticket and evaluates
 * a ticket's clocks.
 */

#pragma once

#include "cd-sla-clock.h"
#include "cd-ticket.h"

G_BEGIN_DECLS

typedef struct _CdSlaLibrary CdSlaLibrary;

#define CD_TYPE_SLA_LIBRARY (cd_sla_library_get_type ())

GType         cd_sla_library_get_type      (void) G_GNUC_CONST;
const char   *cd_sla_library_default_dir   (void);
CdSlaLibrary *cd_sla_library_new_from_dir  (const char    *dir,
                                            GError       **error);
CdSlaLibrary *cd_sla_library_ref           (CdSlaLibrary  *self);
void          cd_sla_library_unref         (CdSlaLibrary  *self);
const char   *cd_sla_library_get_dir       (CdSlaLibrary  *self);
GHashTable   *cd_sla_library_get_calendars (CdSlaLibrary  *self);
guint         cd_sla_library_get_n_policies (CdSlaLibrary *self);
CdSlaPolicy  *cd_sla_library_get_policy    (CdSlaLibrary  *self,
                                            guint          index);
CdSlaPolicy  *cd_sla_library_lookup        (CdSlaLibrary  *self,
                                            const char    *id);
const char   *cd_sla_library_policy_label  (CdSlaLibrary  *self,
                                            const char    *id);
CdSlaPolicy  *cd_sla_library_choose        (CdSlaLibrary  *self,
                                            const char    *kind,
                                            const char    *category,
                                            const char    *channel);
CdSlaClocks  *cd_sla_library_evaluate      (CdSlaLibrary  *self,
                                            CdTicket      *ticket,
                                            gint64         now,
                                            GError       **error);
gboolean      cd_sla_library_update        (CdSlaLibrary  *self,
                                            CdTicket      *ticket,
                                            GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSlaLibrary, cd_sla_library_unref)

G_END_DECLS
