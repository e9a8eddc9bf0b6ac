// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-config.h: citydesk-server's settings, from a key file and flags */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_SERVER_DEFAULT_LISTEN "127.0.0.1:8080"
#define CD_SERVER_DEFAULT_MAX_BODY (1024 * 1024)
#define CD_SERVER_DEFAULT_TOKEN_LIFETIME (12 * 3600)
#define CD_SERVER_DEFAULT_LOGIN_ATTEMPTS 5
#define CD_SERVER_DEFAULT_LOGIN_ADDRESS_ATTEMPTS 20
#define CD_SERVER_DEFAULT_LOGIN_LOCKOUT 30

/**
 * CdServerConfig:
 * @listen: "HOST:PORT"
 * @db: the SQLite file
 * @tls_cert: (nullable): a PEM certificate; with @tls_key, serve HTTPS
 * @tls_key: (nullable): its PEM private key
 * @max_body: the largest request body accepted, in bytes
 * @token_lifetime: seconds a login token stays valid
 * @login_attempts: failed logins to one account before its lockout
 * @login_address_attempts: failed logins from one client address (an
 *   IPv6 /64) before its lockout
 * @login_lockout: seconds of the first lockout; each further failure
 *   doubles it, up to 15 minutes
 */
typedef struct
{
  char   *listen;
  char   *db;
  char   *tls_cert;
  char   *tls_key;
  gint64  max_body;
  gint64  token_lifetime;
  gint64  login_attempts;
  gint64  login_address_attempts;
  gint64  login_lockout;
} CdServerConfig;

CdServerConfig *cd_server_config_new       (void);
void            cd_server_config_free      (CdServerConfig  *self);
gboolean        cd_server_config_load_file (CdServerConfig  *self,
                                            const char      *path,
                                            GError         **error);
gboolean        cd_server_config_check     (CdServerConfig  *self,
                                            GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdServerConfig, cd_server_config_free)

G_END_DECLS
