// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-open311.h: Open311 GeoReport v2 under /open311/v2/ */

#pragma once

#include <libsoup/soup.h>

#include "cd-server.h"

G_BEGIN_DECLS

void cd_server_open311_install    (CdServer          *self);
void cd_server_open311_send_error (SoupServerMessage *msg,
                                   guint              status,
                                   const char        *description);

G_END_DECLS
