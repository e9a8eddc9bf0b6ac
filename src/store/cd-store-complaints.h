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
#include "cd-store.h"

G_BEGIN_DECLS

GPtrArray *cd_store_list_complaints (CdStore  *self,
                                     gint64    from,
                                     gint64    to,
                                     GError  **error);

G_END_DECLS
