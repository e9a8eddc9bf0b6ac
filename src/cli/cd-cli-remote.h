// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-remote.h: citydeskctl --server URL, the read commands against a
 * server */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int cd_cli_remote (int    argc,
                   char **argv);

G_END_DECLS
