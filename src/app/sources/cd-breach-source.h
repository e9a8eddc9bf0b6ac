// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-breach-source.h: the tickets past their deadline, for notifications
 *
 * Each breached ticket with its executor and whether the breached target's
 * working calendar is open now, read off the main loop.
 */
#pragma once

#include "cd-breach-batcher.h"
#include "cd-source.h"

G_BEGIN_DECLS

#define CD_TYPE_BREACH_SOURCE (cd_breach_source_get_type ())
G_DECLARE_FINAL_TYPE (CdBreachSource, cd_breach_source, CD, BREACH_SOURCE, CdSource)

CdBreachSource     *cd_breach_source_new      (CdContext      *context);
const CdBreachSeen *cd_breach_source_get_seen (CdBreachSource *self,
                                               guint          *n_seen,
                                               gint64         *now);

G_END_DECLS
