// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-private.h: what the server's source files share */

#pragma once

/* PRId64 rather than G_GINT64_FORMAT in translatable messages: xgettext
 * and gettext know the <inttypes.h> macros, not GLib's. */
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cd-access.h"
#include "cd-queue-state.h"
#include "cd-reference.h"
#include "cd-server.h"
#include "cd-server-config.h"
#include "cd-store.h"
#include "cd-store-users.h"

G_BEGIN_DECLS

typedef struct _CdServerStream CdServerStream;
typedef struct _CdConnectionCount CdConnectionCount;
typedef struct _CdServerAuth CdServerAuth;
typedef struct _CdServerOpen311 CdServerOpen311;
typedef struct _CdServerLive CdServerLive;
typedef struct _CdServerReplica CdServerReplica;

struct _CdServer
{
  GObject          parent_instance;

  SoupServer      *soup;
  CdStore         *store;
  CdServerConfig  *config;

  /* The simulated clock of --demo: real seconds since @clock_origin run
   * @clock_speed times faster from @clock_start. Outside the demo it is
   * the real clock. */
  gint64           clock_start;
  gint64           clock_origin;
  double           clock_speed;

  CdServerStream  *stream;

  /* Open connections, in all and per client address (cd-server-limits.c). */
  CdConnectionCount *connections;
  /* Logins in flight and the throttles of failed ones (cd-server-auth.c). */
  CdServerAuth    *auth;
  /* The public Open311 list's pages being built off the main loop and
   * those waiting (cd-server-open311.c). */
  CdServerOpen311 *open311;
  /* The live queue while a queue_log is followed, or NULL
   * (cd-server-live.c). */
  CdServerLive    *live;
  /* The read replica of --read-db, or NULL (cd-server-replica.c). */
  CdServerReplica *replica;
};

static inline const char *
cd_server_path (SoupServerMessage *msg)
{
  return g_uri_get_path (soup_server_message_get_uri (msg));
}

/* Answers (cd-server.c). */
void      cd_server_send_json       (SoupServerMessage  *msg,
                                     guint               status,
                                     JsonNode           *body);
void      cd_server_send_object     (SoupServerMessage  *msg,
                                     guint               status,
                                     JsonObject         *body);
void      cd_server_send_text       (SoupServerMessage  *msg,
                                     guint               status,
                                     const char         *json,
                                     gsize               len);
void      cd_server_send_json_text  (SoupServerMessage  *msg,
                                     guint               status,
                                     GString            *json);
void      cd_server_send_json_packed (SoupServerMessage *msg,
                                      guint              status,
                                      char              *json,
                                      gsize              len,
                                      GBytes            *packed);
GBytes   *cd_server_pack_json       (const char         *json,
                                     gsize               len);
GBytes   *cd_server_gzip            (const char         *data,
                                     gsize               len);
gboolean  cd_server_accepts_gzip    (SoupServerMessage  *msg);
gboolean  cd_server_only_known_params (SoupServerMessage  *msg,
                                       GHashTable         *query,
                                       const char * const *known);
gboolean  cd_server_parse_time      (SoupServerMessage  *msg,
                                     GHashTable         *query,
                                     const char         *name,
                                     gboolean            required,
                                     GTimeZone          *zone,
                                     gint64             *out);
void      cd_server_send_error      (SoupServerMessage  *msg,
                                     guint               status,
                                     const char         *code,
                                     const char         *message,
                                     const char         *field);
void      cd_server_send_gerror     (SoupServerMessage  *msg,
                                     const GError       *error);
gboolean  cd_server_classify_error  (const GError       *error,
                                     guint              *status,
                                     const char        **code);
char     *cd_server_error_text      (const char         *code,
                                     const char         *message,
                                     const char         *field,
                                     gsize              *len);
char     *cd_server_object_to_text  (JsonObject         *object,
                                     gsize              *len);
gboolean  cd_server_check_method    (SoupServerMessage  *msg,
                                     const char         *method);
JsonObject *cd_server_read_object   (CdServer           *self,
                                     SoupServerMessage  *msg,
                                     GBytes            **raw);
GHashTable *cd_server_decode_form   (const char         *text,
                                     char              **field,
                                     GError            **error);
gint64    cd_server_now             (CdServer           *self);
gboolean  cd_server_keeps_alive     (void);
void      cd_server_keep_alive      (SoupServerMessage  *msg);
void      cd_server_hold_answer     (SoupServerMessage  *msg,
                                     gint64              delay_ms);
GInetAddress *cd_server_client_address (CdServer        *self,
                                        SoupServerMessage *msg);
gboolean  cd_server_is_trusted_proxy (CdServer          *self,
                                      SoupServerMessage *msg);
void      cd_server_send_busy       (SoupServerMessage  *msg,
                                     const GError       *error);
const char *cd_server_busy_message  (const GError       *error);
void      cd_server_log_failure     (const char         *what,
                                     const GError       *error);
char     *cd_server_error_body      (const char         *path,
                                     guint               status,
                                     const char         *code,
                                     const char         *message,
                                     const char        **content_type,
                                     gsize              *len);
void      cd_server_add_answer_headers (CdServer        *self,
                                        SoupMessageHeaders *headers);

/* The request log (cd-server.c). */
const char *cd_server_log_path      (SoupServerMessage  *msg);
void      cd_server_log_request     (SoupServerMessage  *msg,
                                     guint               status,
                                     const char         *note);

/* Connections, deadlines and body limits (cd-server-limits.c). */
void      cd_server_limits_install  (CdServer           *self);
void      cd_server_limits_dispose  (CdServer           *self);
gboolean  cd_server_client_gone     (SoupServerMessage  *msg);
void      cd_server_refuse          (CdServer           *self,
                                     SoupServerMessage  *msg,
                                     guint               status,
                                     const char         *code,
                                     const char         *message,
                                     const char         *retry_after);

/* Authentication (cd-server-auth.c). */
void      cd_server_auth_install    (CdServer           *self);
void      cd_server_auth_free       (CdServerAuth       *auth);
CdUser   *cd_server_authenticate    (CdServer           *self,
                                     SoupServerMessage  *msg,
                                     GHashTable         *query);
const char *cd_server_bearer_token  (SoupServerMessage  *msg,
                                     GHashTable         *query);
char     *cd_server_log_text        (const char         *text);

/* Accounts, for admins (cd-server-users.c). */
void      cd_server_users_install   (CdServer           *self);

/* The API's routes (cd-server-api.c). */
void      cd_server_api_install     (CdServer           *self);
/* GET /api/v1/notifications (cd-server-notifications.c). */
void      cd_server_notifications_install (CdServer     *self);
void      cd_server_reference_install (CdServer         *self);
/* The callbacks to residents (cd-server-feedback.c). */
void      cd_server_feedback_install (CdServer          *self);
/* The quality-control desk: forms, evaluations, the sample (cd-server-qa.c). */
void      cd_server_qa_install      (CdServer           *self);
GPtrArray *cd_server_reference_section (CdServer        *self,
                                        CdUser          *user,
                                        CdReferenceKind  kind,
                                        GError         **error);
JsonObject *cd_server_ticket_json   (const CdTicket     *ticket,
                                     const char         *role);
gboolean  cd_server_may_read        (SoupServerMessage  *msg,
                                     CdUser             *user,
                                     CdResource          resource,
                                     CdAccessScope      *scope);

/* Call recordings: GET /api/v1/recordings/{call}[/audio]
 * (cd-server-recordings.c). */
void      cd_server_recordings_install (CdServer        *self);

/* Open311 (cd-server-open311.c). */
void      cd_server_open311_free    (CdServerOpen311    *open311);

/* The WebSocket stream (cd-server-stream.c). */
CdServerStream *cd_server_stream_new     (CdServer       *self);
void            cd_server_stream_free    (CdServerStream *stream);
void            cd_server_stream_poll    (CdServerStream *stream);
void            cd_server_stream_recheck (CdServerStream *stream);
void            cd_server_stream_send_queue (CdServerStream *stream,
                                             const char     *text);

/* The read replica (cd-server-replica.c). @head is the journal's head
 * on @store, read before anything else; %FALSE with @error set, nothing
 * answered, when @store fails. */
typedef gboolean (*CdServerReadFunc) (CdServer          *self,
                                      SoupServerMessage *msg,
                                      CdStore           *store,
                                      gint64             head,
                                      gpointer           data,
                                      GError           **error);

CdServerReplica *cd_server_replica_new  (const char        *uri,
                                         GError           **error);
void      cd_server_replica_free        (CdServerReplica   *replica);
gboolean  cd_server_parse_min_seq       (SoupServerMessage *msg,
                                         gint64            *out);
void      cd_server_read_at             (CdServer          *self,
                                         SoupServerMessage *msg,
                                         gint64             min_seq,
                                         CdServerReadFunc   func,
                                         gpointer           data,
                                         GDestroyNotify     destroy);

/* The live queue (cd-server-live.c). */
CdServerLive   *cd_server_live_new       (CdServer       *self);
void            cd_server_live_free      (CdServerLive   *self);
CdQueueState   *cd_server_live_get_state (CdServerLive   *self);
void            cd_server_live_changed   (CdServerLive   *self);
void            cd_server_live_missed_changed (CdServerLive *self);
const char     *cd_server_live_get_text  (CdServerLive   *self);

G_END_DECLS
