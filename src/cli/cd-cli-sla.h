// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* citydeskctl sla: add, between, days, clocks. */
int cd_cli_sla (int    argc,
                char **argv);

G_END_DECLS
