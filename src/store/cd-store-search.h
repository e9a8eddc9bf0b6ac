// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-search.h: finding tickets by a CdTicketFilter, all at once
 * (cd_store_list_tickets()) or newest first a page at a time
 * (cd_store_search_tickets()), the events of such a page, and the
 * external references of imported tickets */

#pragma once

#include "cd-store.h"
#include "cd-ticket-filter.h"

G_BEGIN_DECLS

GPtrArray  *cd_store_list_tickets        (CdStore              *self,
                                          const CdTicketFilter *filter,
                                          guint                 limit,
                                          GError              **error);
GPtrArray  *cd_store_search_tickets      (CdStore              *self,
                                          const CdTicketFilter *filter,
                                          guint                 limit,
                                          guint                 offset,
                                          gint64               *total,
                                          GError              **error);
GHashTable *cd_store_list_events_of      (CdStore              *self,
                                          const char * const   *entities,
                                          guint                 n_entities,
                                          GError              **error);
GHashTable *cd_store_list_external_refs  (CdStore              *self,
                                          const char           *prefix,
                                          GError              **error);

G_END_DECLS
