// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-notify-backoff.h: when a failed notification is tried again */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most waits a schedule holds (its tries are one more). */
#define CD_NOTIFY_BACKOFF_MAX 16

const gint64 *cd_notify_backoff_default (guint        *n_delays);
gboolean      cd_notify_backoff_next    (const gint64 *delays,
                                         guint         n_delays,
                                         guint         attempts,
                                         gint64       *delay);

G_END_DECLS
