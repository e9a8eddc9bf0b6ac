// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-login-throttle.h: failed logins counted by key (an account, a client
 * address), with growing delays and lockouts, in bounded memory */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CdLoginThrottleLimits:
 * @threshold: failures after which attempts are refused until the lockout
 *   ends (with a Retry-After)
 * @lockout_us: the first lockout; each further failure doubles it
 * @max_lockout_us: the longest lockout
 * @delay_us: the delay of the answer to the second failure; it doubles
 *   with each failure below @threshold (the first failure has none)
 * @max_delay_us: the longest delay
 * @forget_us: a key without failure for this long (after its lockout)
 *   starts again from nothing
 * @capacity: the most keys kept; beyond, the least recently used key is
 *   forgotten, so that no number of names or addresses can grow it
 */
typedef struct
{
  guint  threshold;
  gint64 lockout_us;
  gint64 max_lockout_us;
  gint64 delay_us;
  gint64 max_delay_us;
  gint64 forget_us;
  guint  capacity;
} CdLoginThrottleLimits;

typedef struct _CdLoginThrottle CdLoginThrottle;

void              cd_login_throttle_limits_init (CdLoginThrottleLimits       *limits);
CdLoginThrottle  *cd_login_throttle_new         (const CdLoginThrottleLimits *limits);
void              cd_login_throttle_free        (CdLoginThrottle             *self);
gboolean          cd_login_throttle_begin       (CdLoginThrottle             *self,
                                                 const char                  *key,
                                                 gint64                       now_us,
                                                 gint64                      *retry_after_us);
void              cd_login_throttle_abandon     (CdLoginThrottle             *self,
                                                 const char                  *key);
guint             cd_login_throttle_fail        (CdLoginThrottle             *self,
                                                 const char                  *key,
                                                 gint64                       now_us);
void              cd_login_throttle_succeed     (CdLoginThrottle             *self,
                                                 const char                  *key,
                                                 gboolean                     reset);
gint64            cd_login_throttle_delay       (CdLoginThrottle             *self,
                                                 guint                        failures);
guint             cd_login_throttle_get_size    (CdLoginThrottle             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdLoginThrottle, cd_login_throttle_free)

G_END_DECLS
