// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-notify-backoff.c: the retry schedule of a notification
 *
 * A gateway that is down for a minute should cost a resident a minute; one
 * that is down for a night should not be hammered all night. The waits
 * grow, and after the last one the notification is failed, for the
 * supervisor to see and retry by hand (docs/notifications.md).
 */

#include "config.h"

#include "cd-notify-backoff.h"

/* Seconds to wait after the 1st, 2nd, … failed attempt. */
static const gint64 schedule[] = { 60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600 };

/**
 * cd_notify_backoff_default:
 * @n_delays: (out): how many waits
 *
 * Returns: (array length=n_delays): the shipped schedule: seconds to wait
 *   after the 1st, 2nd, … failed try
 */
const gint64 *
cd_notify_backoff_default (guint *n_delays)
{
  *n_delays = G_N_ELEMENTS (schedule);
  return schedule;
}

/**
 * cd_notify_backoff_next:
 * @delays: (array length=n_delays): seconds to wait after each failed try
 * @n_delays: how many; a notification gets @n_delays + 1 tries
 * @attempts: tries made so far, all failed (at least 1)
 * @delay: (out): seconds to wait before the next one
 *
 * Returns: whether to try again; %FALSE once the schedule is spent
 */
gboolean
cd_notify_backoff_next (const gint64 *delays,
                        guint         n_delays,
                        guint         attempts,
                        gint64       *delay)
{
  g_return_val_if_fail (delay != NULL, FALSE);

  *delay = 0;
  if (attempts == 0)
    return TRUE;
  if (attempts > n_delays)
    return FALSE;
  *delay = delays[attempts - 1];
  return TRUE;
}
