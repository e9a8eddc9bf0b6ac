// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-action-source.h: what the action dialog offers
 *
 * The selected tickets as the cache holds them, and every executor
 * organization one may be reassigned to: those of the server's reference
 * data, those without an open ticket included, and any a ticket names.
 */
#pragma once

#include "cd-source.h"

G_BEGIN_DECLS

#define CD_TYPE_ACTION_SOURCE (cd_action_source_get_type ())
G_DECLARE_FINAL_TYPE (CdActionSource, cd_action_source, CD, ACTION_SOURCE, CdSource)

CdActionSource *cd_action_source_new           (CdContext          *context,
                                                const char * const *numbers);
GPtrArray      *cd_action_source_get_tickets   (CdActionSource     *self);
GPtrArray      *cd_action_source_get_executors (CdActionSource     *self);

G_END_DECLS
