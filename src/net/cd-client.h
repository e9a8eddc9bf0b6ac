// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-client.h: the HTTP client of citydesk-server's API v1 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cd-event.h"

G_BEGIN_DECLS

#define CD_CLIENT_ERROR (cd_client_error_quark ())

/**
 * CdClientError:
 * @CD_CLIENT_ERROR_UNREACHABLE: the server could not be reached (refused,
 *   reset, timed out, name not found); worth retrying later
 * @CD_CLIENT_ERROR_TLS: the server's certificate is not trusted
 * @CD_CLIENT_ERROR_UNAUTHORIZED: wrong user or password, or the token
 *   expired or was revoked (401)
 * @CD_CLIENT_ERROR_FORBIDDEN: the role may not do this (403)
 * @CD_CLIENT_ERROR_REFUSED: the dispatch rules refused the transition (409
 *   `invalid_transition`); the message is the server's
 * @CD_CLIENT_ERROR_CONFLICT: the idempotency key was used with another body
 * @CD_CLIENT_ERROR_BAD_REQUEST: the server found the request malformed
 *   (400, 413)
 * @CD_CLIENT_ERROR_NOT_FOUND: no such ticket or route (404)
 * @CD_CLIENT_ERROR_SERVER: the server failed (5xx); worth retrying later
 * @CD_CLIENT_ERROR_PROTOCOL: the answer is not what API v1 promises
 *
 * How a call to the server failed.
 */
typedef enum
{
  CD_CLIENT_ERROR_UNREACHABLE,
  CD_CLIENT_ERROR_TLS,
  CD_CLIENT_ERROR_UNAUTHORIZED,
  CD_CLIENT_ERROR_FORBIDDEN,
  CD_CLIENT_ERROR_REFUSED,
  CD_CLIENT_ERROR_CONFLICT,
  CD_CLIENT_ERROR_BAD_REQUEST,
  CD_CLIENT_ERROR_NOT_FOUND,
  CD_CLIENT_ERROR_SERVER,
  CD_CLIENT_ERROR_PROTOCOL,
} CdClientError;

/**
 * CdEventPage:
 * @events: (element-type CdEvent): the events, in sequence order
 * @last: the sequence of the last event returned (or the cursor asked for)
 * @head: the server's last sequence when it answered
 * @more: whether events after @last remain
 * @filtered: whether the server left out events the role may not read
 *   (an executor's feed: only its organization's tickets)
 * @bytes: the size of the answer's JSON body (after any gzip)
 *
 * One page of `GET /api/v1/events`.
 */
typedef struct
{
  GPtrArray *events;
  gint64     last;
  gint64     head;
  gboolean   more;
  gboolean   filtered;
  gsize      bytes;
} CdEventPage;

CdEventPage *cd_event_page_new_from_bytes (GBytes       *body,
                                           GError      **error);
void         cd_event_page_free           (CdEventPage  *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdEventPage, cd_event_page_free)

#define CD_TYPE_CLIENT (cd_client_get_type ())
G_DECLARE_FINAL_TYPE (CdClient, cd_client, CD, CLIENT, GObject)

GQuark       cd_client_error_quark            (void);
gboolean     cd_client_error_is_transient     (const GError  *error);

CdClient    *cd_client_new                    (const char    *server_url,
                                               GError       **error);
const char  *cd_client_get_server_url         (CdClient      *self);
const char  *cd_client_get_token              (CdClient      *self);
void         cd_client_set_token              (CdClient      *self,
                                               const char    *token);
const char  *cd_client_get_user               (CdClient      *self);
const char  *cd_client_get_role               (CdClient      *self);
void         cd_client_note_seq               (CdClient      *self,
                                               gint64         seq);
gint64       cd_client_get_seen_seq           (CdClient      *self);
SoupSession *cd_client_get_session            (CdClient      *self);

void         cd_client_login_async            (CdClient      *self,
                                               const char    *user,
                                               const char    *password,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
gboolean     cd_client_login_finish           (CdClient      *self,
                                               GAsyncResult  *result,
                                               GError       **error);
void         cd_client_logout_async           (CdClient      *self,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
gboolean     cd_client_logout_finish          (CdClient      *self,
                                               GAsyncResult  *result,
                                               GError       **error);

void         cd_client_get_async              (CdClient      *self,
                                               const char    *path,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
JsonNode    *cd_client_get_finish             (CdClient      *self,
                                               GAsyncResult  *result,
                                               GError       **error);

void         cd_client_fetch_events_async     (CdClient      *self,
                                               gint64         after,
                                               guint          limit,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
CdEventPage *cd_client_fetch_events_finish    (CdClient      *self,
                                               GAsyncResult  *result,
                                               GError       **error);

void         cd_client_post_async             (CdClient      *self,
                                               const char    *path,
                                               const char    *idempotency_key,
                                               const char    *body,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
JsonObject  *cd_client_post_finish            (CdClient      *self,
                                               GAsyncResult  *result,
                                               GError       **error);
char        *cd_client_action_path            (const char    *ticket);

void         cd_client_connect_stream_async   (CdClient      *self,
                                               gint64         after,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
SoupWebsocketConnection *
             cd_client_connect_stream_finish  (CdClient      *self,
                                               GAsyncResult  *result,
                                               GError       **error);

G_END_DECLS
