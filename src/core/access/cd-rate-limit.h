// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-rate-limit.h: a token bucket, and a bounded set of them by key (a
 * client address), for requests that must not take more than their share */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CdRateLimit:
 *
 * Allows @rate requests a second on average and bursts of up to twice
 * that, for all clients together and for each key (a client's address)
 * apart. It keeps at most a fixed number of keys: beyond, it forgets
 * them all, so that no number of addresses can grow it, and the limit
 * for all clients still holds meanwhile.
 */
typedef struct _CdRateLimit CdRateLimit;

CdRateLimit *cd_rate_limit_new      (double        rate,
                                     double        rate_per_key,
                                     guint         capacity);
void         cd_rate_limit_free     (CdRateLimit  *self);
gboolean     cd_rate_limit_take     (CdRateLimit  *self,
                                     const char   *key,
                                     gint64        now_us,
                                     gint64       *retry_after_us);
guint        cd_rate_limit_get_size (CdRateLimit  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdRateLimit, cd_rate_limit_free)

G_END_DECLS
