// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-users.h: the server's accounts, login sessions, Open311 api
 * keys and the answers it gave to writes, by idempotency key */

#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

#define CD_AUTH_ERROR (cd_auth_error_quark ())

/**
 * CdAuthError:
 * @CD_AUTH_ERROR_BAD_CREDENTIALS: the user or the password is wrong (one
 *   code for both, so that a caller cannot tell which)
 * @CD_AUTH_ERROR_BAD_TOKEN: the token is unknown, expired or revoked
 * @CD_AUTH_ERROR_BAD_KEY: the api key is unknown
 * @CD_AUTH_ERROR_INVALID: a user name, role or password is not acceptable
 * @CD_AUTH_ERROR_EXISTS: the user already exists
 * @CD_AUTH_ERROR_CRYPTO: the password hashing library failed
 */
typedef enum
{
  CD_AUTH_ERROR_BAD_CREDENTIALS,
  CD_AUTH_ERROR_BAD_TOKEN,
  CD_AUTH_ERROR_BAD_KEY,
  CD_AUTH_ERROR_INVALID,
  CD_AUTH_ERROR_EXISTS,
  CD_AUTH_ERROR_CRYPTO,
} CdAuthError;

/* Passwords given by people (citydeskctl user add and passwd, the API)
 * have at least this many characters; only the demo's accounts, in a demo
 * database, have a shorter one. */
#define CD_PASSWORD_MIN_LENGTH 10
/* The most bytes a password may have. */
#define CD_PASSWORD_MAX_BYTES 1024

/**
 * CdUser:
 * @disabled_at: when the account was disabled (Unix seconds), 0 while it
 *   is enabled
 * @agent: (nullable): the PBX agent the account is, the queue member's
 *   name as the calls carry it (calls.agent), or %NULL
 */
typedef struct
{
  char   *name;
  char   *role;
  char   *org;
  gint64  created_at;
  gint64  disabled_at;
  char   *agent;
} CdUser;

/* The most bytes a PBX agent's name may have. */
#define CD_AGENT_MAX_BYTES 128

/**
 * CdSessionState:
 * @CD_SESSION_VALID: the token works
 * @CD_SESSION_UNKNOWN: no session has this token
 * @CD_SESSION_REVOKED: logged out, or revoked (by an admin, a password
 *   change)
 * @CD_SESSION_EXPIRED: its lifetime is over
 * @CD_SESSION_DISABLED: its user's account is disabled
 *
 * What became of a session, so that a stream closed under a client can
 * say why.
 */
typedef enum
{
  CD_SESSION_VALID,
  CD_SESSION_UNKNOWN,
  CD_SESSION_REVOKED,
  CD_SESSION_EXPIRED,
  CD_SESSION_DISABLED,
} CdSessionState;

/**
 * CdIdempotentAnswer:
 * @request_hash: SHA-256 of the request the key was first used with
 * @status: the HTTP status of the first answer
 * @response: its body, byte for byte
 * @first_seq: the first event the request caused, or 0
 * @last_seq: the last event it caused, or 0
 */
typedef struct
{
  char   *request_hash;
  guint   status;
  char   *response;
  gint64  first_seq;
  gint64  last_seq;
} CdIdempotentAnswer;

GQuark     cd_auth_error_quark        (void);
void       cd_user_free               (CdUser      *user);
void       cd_idempotent_answer_free  (CdIdempotentAnswer *answer);

gboolean   cd_store_add_user          (CdStore     *self,
                                       const char  *name,
                                       const char  *role,
                                       const char  *org,
                                       const char  *password,
                                       gint64       now,
                                       GError     **error);
gboolean   cd_store_set_password      (CdStore     *self,
                                       const char  *name,
                                       const char  *password,
                                       gint64       now,
                                       GError     **error);
char      *cd_password_hash_new       (const char  *password,
                                       GError     **error);
gboolean   cd_store_set_password_hash (CdStore     *self,
                                       const char  *name,
                                       const char  *hash,
                                       gint64       now,
                                       guint       *n_revoked,
                                       GError     **error);
gboolean   cd_store_set_user_disabled (CdStore     *self,
                                       const char  *name,
                                       gboolean     disabled,
                                       gint64       now,
                                       GError     **error);
gboolean   cd_check_agent_name        (const char  *agent,
                                       GError     **error);
gboolean   cd_store_set_user_agent    (CdStore     *self,
                                       const char  *name,
                                       const char  *agent,
                                       guint       *n_revoked,
                                       GError     **error);
gboolean   cd_store_revoke_user_sessions (CdStore  *self,
                                       const char  *name,
                                       gint64       now,
                                       guint       *n_revoked,
                                       GError     **error);
gboolean   cd_check_password_policy   (const char  *password,
                                       GError     **error);
CdUser    *cd_store_find_login        (CdStore     *self,
                                       const char  *name,
                                       char       **hash,
                                       GError     **error);
gboolean   cd_password_hash_verify    (const char  *hash,
                                       const char  *password);
const char *cd_password_dummy_hash    (void);
CdUser    *cd_store_find_user         (CdStore     *self,
                                       const char  *name,
                                       GError     **error);
GPtrArray *cd_store_list_users        (CdStore     *self,
                                       GError     **error);
CdUser    *cd_store_check_password    (CdStore     *self,
                                       const char  *name,
                                       const char  *password,
                                       GError     **error);
char      *cd_store_create_session    (CdStore     *self,
                                       const char  *name,
                                       gint64       now,
                                       gint64       lifetime,
                                       gint64      *expires_at,
                                       GError     **error);
CdUser    *cd_store_check_token       (CdStore     *self,
                                       const char  *token,
                                       gint64       now,
                                       GError     **error);
gboolean   cd_store_get_session_state (CdStore        *self,
                                       const char     *token_hash,
                                       gint64          now,
                                       CdSessionState *state,
                                       GError        **error);
char      *cd_store_token_hash        (const char  *token);
gboolean   cd_store_revoke_token      (CdStore     *self,
                                       const char  *token,
                                       gint64       now,
                                       GError     **error);
gboolean   cd_store_add_api_key       (CdStore     *self,
                                       const char  *key,
                                       const char  *name,
                                       gint64       now,
                                       GError     **error);
gboolean   cd_store_check_api_key     (CdStore     *self,
                                       const char  *key,
                                       GError     **error);

/**
 * CdApiKey:
 * @name: who the key was given to
 * @created_at: Unix seconds
 * @revoked_at: Unix seconds, or 0 while the key works
 *
 * What the store keeps of an Open311 api key: the key itself only as a
 * hash, which is not shown.
 */
typedef struct
{
  char   *name;
  gint64  created_at;
  gint64  revoked_at;
} CdApiKey;

void       cd_api_key_free            (CdApiKey    *key);
GPtrArray *cd_store_list_api_keys     (CdStore     *self,
                                       GError     **error);
gint64     cd_store_revoke_api_keys   (CdStore     *self,
                                       const char  *name,
                                       gint64       now,
                                       GError     **error);

CdIdempotentAnswer *cd_store_find_idempotent_answer (CdStore     *self,
                                                     const char  *scope,
                                                     const char  *key,
                                                     GError     **error);
gboolean   cd_store_save_idempotent_answer (CdStore                  *self,
                                            const char               *scope,
                                            const char               *key,
                                            const CdIdempotentAnswer *answer,
                                            gint64                    now,
                                            GError                  **error);

char      *cd_store_sha256_hex        (const void  *data,
                                       gsize        len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdUser, cd_user_free)
gboolean   cd_store_copy_users        (CdStore     *self,
                                       CdStore     *from,
                                       gint64      *n_users,
                                       gint64      *n_keys,
                                       gint64      *n_answers,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdApiKey, cd_api_key_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdIdempotentAnswer, cd_idempotent_answer_free)

G_END_DECLS
