// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-connection-state.h"
#include "cd-credentials.h"
#include "cd-store.h"
#include "cd-sync.h"

G_BEGIN_DECLS

#define CD_TYPE_SESSION (cd_session_get_type ())
G_DECLARE_FINAL_TYPE (CdSession, cd_session, CD, SESSION, GObject)

CdSession         *cd_session_new             (GSettings            *settings);
CdStore           *cd_session_get_store       (CdSession            *self);
CdSync            *cd_session_get_sync        (CdSession            *self);
CdClient          *cd_session_get_client      (CdSession            *self);
CdConnectionState  cd_session_get_state       (CdSession            *self);
gboolean           cd_session_get_logged_in   (CdSession            *self);
gboolean           cd_session_get_persistent  (CdSession            *self);
const char        *cd_session_get_role        (CdSession            *self);
const char        *cd_session_get_user        (CdSession            *self);
const char        *cd_session_get_server_url  (CdSession            *self);
gboolean           cd_session_resume          (CdSession            *self,
                                               gboolean              demo);
void               cd_session_connect_async   (CdSession            *self,
                                               const char           *url,
                                               const char           *user,
                                               const char           *password,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean           cd_session_connect_finish  (CdSession            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void               cd_session_try_demo_async  (CdSession            *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean           cd_session_try_demo_finish (CdSession            *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void               cd_session_log_out         (CdSession            *self);
char              *cd_session_cache_path      (const char           *server_id);

G_END_DECLS
