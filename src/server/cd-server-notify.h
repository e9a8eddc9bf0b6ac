// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-notify.h: the sender of the messages to residents
 * (docs/notifications.md) */

#pragma once

#include "cd-server.h"
#include "cd-server-config.h"

G_BEGIN_DECLS

#define CD_TYPE_SERVER_NOTIFY (cd_server_notify_get_type ())
G_DECLARE_FINAL_TYPE (CdServerNotify, cd_server_notify, CD, SERVER_NOTIFY, GObject)

CdServerNotify *cd_server_notify_new   (CdServer              *server,
                                        const CdServerConfig  *config,
                                        GError               **error);
gboolean        cd_server_notify_start (CdServerNotify        *self,
                                        GError               **error);

G_END_DECLS
