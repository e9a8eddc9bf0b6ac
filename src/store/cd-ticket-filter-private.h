// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket-filter-private.h: a filter as SQL, for the store's queries */
#pragma once

#include <sqlite3.h>

#include "cd-db.h"
#include "cd-store.h"
#include "cd-ticket-filter.h"

G_BEGIN_DECLS

char *cd_ticket_filter_where (const CdTicketFilter *filter,
                              gboolean              narrowing);
void  cd_ticket_filter_bind  (const CdTicketFilter *filter,
                              CdStore              *store,
                              sqlite3_stmt         *stmt);
char *cd_ticket_filter_where_db (const CdTicketFilter *filter,
                                 CdDb                 *db,
                                 gboolean              narrowing);
void  cd_ticket_filter_bind_db  (const CdTicketFilter *filter,
                                 CdStore              *store,
                                 CdDbStmt             *stmt);

G_END_DECLS
