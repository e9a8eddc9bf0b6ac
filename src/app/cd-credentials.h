// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * CdLogin:
 * @server: the server's base URL
 * @user: the user name
 * @role: the role the server gave
 * @token: the bearer token
 * @expires: Unix seconds after which the server refuses the token
 *
 * What a successful login leaves behind.
 */
typedef struct
{
  char   *server;
  char   *user;
  char   *role;
  char   *token;
  gint64  expires;
} CdLogin;

CdLogin *cd_login_new   (const char    *server,
                         const char    *user,
                         const char    *role,
                         const char    *token,
                         gint64         expires);
CdLogin *cd_login_copy  (const CdLogin *login);
void     cd_login_free  (CdLogin       *login);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdLogin, cd_login_free)

#define CD_TYPE_CREDENTIALS (cd_credentials_get_type ())
G_DECLARE_FINAL_TYPE (CdCredentials, cd_credentials, CD, CREDENTIALS, GObject)

CdCredentials *cd_credentials_new            (void);
gboolean       cd_credentials_get_persistent (CdCredentials        *self);
void           cd_credentials_save_async     (CdCredentials        *self,
                                              const CdLogin        *login,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       cd_credentials_save_finish    (CdCredentials        *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void           cd_credentials_load_async     (CdCredentials        *self,
                                              const char           *server,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
CdLogin       *cd_credentials_load_finish    (CdCredentials        *self,
                                              GAsyncResult         *result,
                                              GError              **error);
void           cd_credentials_forget_async   (CdCredentials        *self,
                                              const char           *server,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
gboolean       cd_credentials_forget_finish  (CdCredentials        *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
