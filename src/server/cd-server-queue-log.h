// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-queue-log.h: --queue-log, the follower of a live Asterisk
 * queue_log (docs/calls.md, "Following a live queue_log") */

#pragma once

#include "cd-server.h"

G_BEGIN_DECLS

#define CD_TYPE_SERVER_QUEUE_LOG (cd_server_queue_log_get_type ())
G_DECLARE_FINAL_TYPE (CdServerQueueLog, cd_server_queue_log, CD, SERVER_QUEUE_LOG, GObject)

CdServerQueueLog *cd_server_queue_log_new   (CdServer          *server,
                                             const char        *path);
gboolean          cd_server_queue_log_start (CdServerQueueLog  *self,
                                             GError           **error);

G_END_DECLS
