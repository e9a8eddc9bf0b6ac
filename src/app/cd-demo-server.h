// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CD_DEMO_SERVER_ERROR (cd_demo_server_error_quark ())

typedef enum
{
  CD_DEMO_SERVER_ERROR_NOT_FOUND,
  CD_DEMO_SERVER_ERROR_FAILED,
} CdDemoServerError;

#define CD_TYPE_DEMO_SERVER (cd_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (CdDemoServer, cd_demo_server, CD, DEMO_SERVER, GObject)

GQuark        cd_demo_server_error_quark  (void);
CdDemoServer *cd_demo_server_new          (const char           *database);
const char   *cd_demo_server_get_database (CdDemoServer         *self);
const char   *cd_demo_server_get_url      (CdDemoServer         *self);
void          cd_demo_server_set_port     (CdDemoServer         *self,
                                           guint16               port);
guint16       cd_demo_server_get_port     (CdDemoServer         *self);
void          cd_demo_server_start_async  (CdDemoServer         *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      cd_demo_server_start_finish (CdDemoServer         *self,
                                           GAsyncResult         *result,
                                           GError              **error);
void          cd_demo_server_stop         (CdDemoServer         *self);

G_END_DECLS
