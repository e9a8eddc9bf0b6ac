// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *cd_format_duration  (gint64     seconds);
char *cd_format_remaining (gint64     remaining_seconds);
char *cd_format_deadline  (GDateTime *due,
                           GDateTime *now);

G_END_DECLS
