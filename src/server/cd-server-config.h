// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-config.h: citydesk-server's settings, from a key file and flags */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_SERVER_DEFAULT_LISTEN "127.0.0.1:8080"
#define CD_SERVER_DEFAULT_MAX_BODY (1024 * 1024)
#define CD_SERVER_DEFAULT_TOKEN_LIFETIME (12 * 3600)
#define CD_SERVER_DEFAULT_HEADER_TIMEOUT 20
#define CD_SERVER_DEFAULT_BODY_TIMEOUT 60
#define CD_SERVER_DEFAULT_MAX_CONNECTIONS 1000
#define CD_SERVER_DEFAULT_MAX_CONNECTIONS_PER_ADDRESS 50
#define CD_SERVER_DEFAULT_DB_BUSY_TIMEOUT 250
#define CD_SERVER_DEFAULT_OPEN311_MAX_PAGE_SIZE 100
#define CD_SERVER_DEFAULT_OPEN311_LIST_RATE 20
#define CD_SERVER_DEFAULT_OPEN311_LIST_RATE_PER_ADDRESS 5
#define CD_SERVER_DEFAULT_OPEN311_QUEUE 16
#define CD_SERVER_DEFAULT_LOGIN_ATTEMPTS 5
#define CD_SERVER_DEFAULT_LOGIN_ADDRESS_ATTEMPTS 20
#define CD_SERVER_DEFAULT_LOGIN_LOCKOUT 30
#define CD_SERVER_DEFAULT_NOTIFY_TIMEOUT 30
#define CD_SERVER_DEFAULT_NOTIFY_CONCURRENCY 4

/**
 * CdServerConfig:
 * @listen: "HOST:PORT"
 * @db: the SQLite file
 * @read_db: (nullable): a streaming replica's `postgresql://` URI, which
 *   serves the event feed and the thin reads of tickets
 *   (cd-server-replica.c)
 * @tls_cert: (nullable): a PEM certificate; with @tls_key, serve HTTPS
 * @tls_key: (nullable): its PEM private key
 * @max_body: the largest request body accepted, in bytes
 * @token_lifetime: seconds a login token stays valid
 * @header_timeout: seconds a connection may take to send a request's
 *   headers, counted from when the server starts waiting for them (so an
 *   idle connection is closed after it too)
 * @body_timeout: seconds a request may take to send its body, counted from
 *   its headers
 * @max_connections: open connections the server holds at most
 * @max_connections_per_address: open connections one client address holds
 *   at most
 * @db_busy_timeout: milliseconds a request waits for a database another
 *   connection has locked before it is answered 503
 * @open311_max_page_size: the most requests one page of the public
 *   Open311 list holds
 * @open311_list_rate: pages of the public Open311 list served a second,
 *   to all clients together (bursts of twice as many)
 * @open311_list_rate_per_address: the same for one client address
 * @open311_queue: pages of the public Open311 list waiting for the worker
 *   that builds them; more are answered 503 with Retry-After
 * @allowed_origins: (nullable): origins (such as "https://desk.example")
 *   a browser may open the stream from, besides the server's own host
 * @login_attempts: failed logins to one account before its lockout
 * @login_address_attempts: failed logins from one client address (an
 *   IPv6 /64) before its lockout
 * @login_lockout: seconds of the first lockout; each further failure
 *   doubles it, up to 15 minutes
 * @trusted_proxies: (nullable): addresses of reverse proxies in front of
 *   the server: from them the client's address is read from
 *   X-Forwarded-For, and they are not held to the per-address limits
 * @queue_log: (nullable): an Asterisk queue_log the server follows,
 *   journaling each call as it ends (cd-server-queue-log.c)
 * @queue_wrapup: seconds an operator stays in wrap-up after a call, as the
 *   queue's `wrapuptime` (the queue_log does not say it); 0 for none
 * @recordings: (nullable): the folder of call recordings the server
 *   serves, its own or the PBX's read only (docs/recordings.md)
 * @notify_command: (nullable): the command line that sends a message to a
 *   resident: the text on its standard input, `{recipient}` in an argument
 *   replaced by the phone (docs/notifications.md)
 * @notify_webhook: (nullable): the URL messages are POSTed to instead
 * @notify_file: (nullable): a file messages are appended to instead, one
 *   JSON line each (the demo's)
 * @notify_timeout: seconds a command or a POST may take
 * @notify_concurrency: messages being sent at once, at most
 * @notify_backoff: (nullable): seconds to wait after each failed try,
 *   instead of the shipped schedule
 * @notify_templates: (nullable): the folder of the templates, instead of
 *   the data folder's `notifications/`
 * @notify_language: (nullable): the language of the templates to use
 *   (`resolved.ru.txt`), when the folder has them
 */
typedef struct
{
  char   *listen;
  char   *db;
  char   *read_db;
  char   *tls_cert;
  char   *tls_key;
  gint64  max_body;
  gint64  token_lifetime;
  gint64  header_timeout;
  gint64  body_timeout;
  gint64  max_connections;
  gint64  max_connections_per_address;
  gint64  db_busy_timeout;
  gint64  open311_max_page_size;
  gint64  open311_queue;
  gint64  open311_list_rate;
  gint64  open311_list_rate_per_address;
  GStrv   allowed_origins;
  gint64  login_attempts;
  gint64  login_address_attempts;
  gint64  login_lockout;
  GStrv   trusted_proxies;
  char   *queue_log;
  gint64  queue_wrapup;
  char   *recordings;
  char   *notify_command;
  char   *notify_webhook;
  char   *notify_file;
  gint64  notify_timeout;
  gint64  notify_concurrency;
  GStrv   notify_backoff;
  char   *notify_templates;
  char   *notify_language;
} CdServerConfig;

CdServerConfig *cd_server_config_new       (void);
void            cd_server_config_free      (CdServerConfig  *self);
gboolean        cd_server_config_load_file (CdServerConfig  *self,
                                            const char      *path,
                                            GError         **error);
gboolean        cd_server_config_check     (CdServerConfig  *self,
                                            GError         **error);
void            cd_server_config_copy_into (const CdServerConfig *self,
                                            CdServerConfig       *copy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdServerConfig, cd_server_config_free)

G_END_DECLS
