// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-overdue-source.h: what the Overdue tickets dashboard shows
 *
 * The tiles, the breakdowns, the SLA targets in use and the ticket list,
 * read off the main loop by the functions `citydeskctl tickets --overdue`
 * prints (cd-store-overdue.c), so that the two always agree.
 */
#pragma once

#include "cd-source.h"
#include "cd-store-overdue.h"
#include "cd-ticket-list-model.h"

G_BEGIN_DECLS

#define CD_TYPE_OVERDUE_SOURCE (cd_overdue_source_get_type ())
G_DECLARE_FINAL_TYPE (CdOverdueSource, cd_overdue_source, CD, OVERDUE_SOURCE, CdSource)

CdOverdueSource      *cd_overdue_source_new          (CdContext            *context);
const CdOverdueTiles *cd_overdue_source_get_tiles    (CdOverdueSource      *self);
GPtrArray            *cd_overdue_source_get_groups   (CdOverdueSource      *self,
                                                      CdOverdueDimension    dimension);
GPtrArray            *cd_overdue_source_get_policies (CdOverdueSource      *self);
CdTicketListModel    *cd_overdue_source_get_model    (CdOverdueSource      *self);
void                  cd_overdue_source_set_filter   (CdOverdueSource      *self,
                                                      const CdTicketFilter *filter);
void                  cd_overdue_source_set_sort     (CdOverdueSource      *self,
                                                      CdTicketSort          sort,
                                                      gboolean              descending);

G_END_DECLS
