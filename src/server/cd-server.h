// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CD_TYPE_SERVER (cd_server_get_type ())
G_DECLARE_FINAL_TYPE (CdServer, cd_server, CD, SERVER, GObject)

CdServer *cd_server_new        (void);
gboolean  cd_server_listen     (CdServer    *self,
                                const char  *address,
                                GError     **error);
GSList   *cd_server_get_uris   (CdServer    *self);

G_END_DECLS
