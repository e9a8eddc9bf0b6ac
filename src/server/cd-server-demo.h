// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdio.h>

#include "cd-server.h"

G_BEGIN_DECLS

#define CD_TYPE_SERVER_DEMO (cd_server_demo_get_type ())
G_DECLARE_FINAL_TYPE (CdServerDemo, cd_server_demo, CD, SERVER_DEMO, GObject)

CdServerDemo *cd_server_demo_new            (CdServer      *server,
                                             double         speed);
gboolean      cd_server_demo_create         (CdServerDemo  *self,
                                             int            history_days,
                                             GError       **error);
void          cd_server_demo_print_accounts (CdServerDemo  *self,
                                             FILE          *stream);
gboolean      cd_server_demo_start          (CdServerDemo  *self,
                                             GError       **error);
const char   *cd_server_demo_get_queue_log  (CdServerDemo  *self);

G_END_DECLS
