// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-overdue-private.h: what the overdue queries share with the
 * ticket list model */
#pragma once

#include <sqlite3.h>

#include "cd-db.h"
#include "cd-store-overdue.h"

G_BEGIN_DECLS

void cd_overdue_bind_times (CdStore      *self,
                            sqlite3_stmt *stmt,
                            gint64        now);
void cd_overdue_bind_times_db (CdStore  *self,
                               CdDbStmt *stmt,
                               gint64    now);

G_END_DECLS
