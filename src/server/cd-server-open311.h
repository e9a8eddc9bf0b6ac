// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-open311.h: Open311 GeoReport v2 under /open311/v2/ */

#pragma once

#include "cd-server.h"

G_BEGIN_DECLS

void cd_server_open311_install (CdServer *self);

G_END_DECLS
