// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* citydeskctl sla: add, between, days, clocks. */
int      cd_cli_sla                (int          argc,
                                    char       **argv);

/* Parses 90m, 3h30m, 4h20m15s, 45s or plain seconds (the durations of
 * every command). Days are refused as ambiguous. On error @message says
 * why, naming @option. */
gboolean cd_cli_sla_parse_duration (const char  *option,
                                    const char  *text,
                                    gint64      *out,
                                    char       **message);

G_END_DECLS
