// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cd_format_duration  (gint64     seconds);
char *cd_format_remaining (gint64     remaining_seconds);
char *cd_format_deadline  (GDateTime *due,
                           GDateTime *now);

/* Parses 90m, 3h30m, 4h20m15s, 45s or plain seconds (the durations of
 * every command and of the API's queries). Days are refused as ambiguous.
 * On error @message says why, naming @option. */
gboolean cd_format_parse_duration (const char  *option,
                                   const char  *text,
                                   gint64      *out,
                                   char       **message);

G_END_DECLS
