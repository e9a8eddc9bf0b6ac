// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-remote.h: citydeskctl --server URL, the read commands against a
 * server */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdClient CdClient;

int cd_cli_remote        (int       argc,
                          char    **argv);
/* citydeskctl callbacks, on @client's server or, without one, on --db
 * (cd-cli-callbacks.c). */
int cd_cli_callbacks_run (int       argc,
                          char    **argv,
                          CdClient *client);

G_END_DECLS
