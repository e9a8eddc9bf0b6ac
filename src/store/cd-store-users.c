// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-users.c: accounts, sessions, api keys and idempotent answers
 *
 * Passwords are kept only as libsodium argon2id strings. Tokens and api
 * keys are kept only as their SHA-256: a copy of the database does not let
 * anyone log in. An idempotent answer is written in the same transaction
 * as the events its request caused, so that a retry after a crash either
 * finds both or neither.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "cd-dispatch.h"
#include "cd-store-private.h"
#include "cd-store-users.h"

G_DEFINE_QUARK (cd-auth-error-quark, cd_auth_error)

#define MAX_NAME_LEN 64
#define MAX_PASSWORD_LEN 1024
#define TOKEN_BYTES 32

void
cd_user_free (CdUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->role);
  g_free (user->org);
  g_free (user);
}

void
cd_idempotent_answer_free (CdIdempotentAnswer *answer)
{
  if (answer == NULL)
    return;
  g_free (answer->request_hash);
  g_free (answer->response);
  g_free (answer);
}

char *
cd_store_sha256_hex (const void *data,
                     gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

static gboolean
ensure_sodium (GError **error)
{
  /* sodium_init() is idempotent and thread-safe; it returns 1 when it had
   * already run. */
  if (sodium_init () < 0)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_CRYPTO,
                   _("The password hashing library (libsodium) could not start."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  gsize len = name != NULL ? strlen (name) : 0;

  if (len == 0 || len > MAX_NAME_LEN)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("A user name has 1 to %d characters."), MAX_NAME_LEN);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != '-')
      {
        g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                     _("The user name “%s” may only hold letters, digits, “.”, “_” and “-”."), name);
        return FALSE;
      }
  return TRUE;
}

static char *
hash_password (const char  *password,
               GError     **error)
{
  char out[crypto_pwhash_STRBYTES];
  gsize len = password != NULL ? strlen (password) : 0;

  if (len == 0 || len > MAX_PASSWORD_LEN)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("A password has 1 to %d bytes."), MAX_PASSWORD_LEN);
      return NULL;
    }
  if (!ensure_sodium (error))
    return NULL;
  if (crypto_pwhash_str (out, password, len,
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_CRYPTO,
                   _("Hashing the password failed: out of memory."));
      return NULL;
    }
  return g_strdup (out);
}

static sqlite3_stmt *
prepare (CdStore     *self,
         const char  *sql,
         const char  *what,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (self, what, error);
      return NULL;
    }
  return stmt;
}

static void
bind_nullable (sqlite3_stmt *stmt,
               int           i,
               const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, i, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

/**
 * cd_store_add_user:
 * @self: a store
 * @name: the user name
 * @role: one of the six roles (see cd_role_from_string())
 * @org: (nullable): the executor organization an `executor` works for
 * @password: (nullable): the password; %NULL for an account that cannot
 *   log in until cd_store_set_password()
 * @now: Unix seconds
 * @error: a #CD_AUTH_ERROR or a #CD_STORE_ERROR
 *
 * Returns: whether the user was added
 */
gboolean
cd_store_add_user (CdStore     *self,
                   const char  *name,
                   const char  *role,
                   const char  *org,
                   const char  *password,
                   gint64       now,
                   GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  CdRole r;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (!check_name (name, error))
    return FALSE;
  if (!cd_role_from_string (role, &r))
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("“%s” is not a role: use operator, supervisor, qc, feedback, executor or admin."),
                   role != NULL ? role : "");
      return FALSE;
    }
  if (r == CD_ROLE_EXECUTOR && (org == NULL || *org == '\0'))
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("An executor account needs its organization (--org)."));
      return FALSE;
    }
  if (password != NULL && (hash = hash_password (password, error)) == NULL)
    return FALSE;

  if ((stmt = prepare (self, "INSERT INTO users (name, role, org, password_hash, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)", _("adding a user"), error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, role, -1, SQLITE_TRANSIENT);
  bind_nullable (stmt, 3, org != NULL && *org != '\0' ? org : NULL);
  bind_nullable (stmt, 4, hash);
  sqlite3_bind_int64 (stmt, 5, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_EXISTS,
                   _("The user “%s” already exists."), name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("adding a user"), error);
  return TRUE;
}

/**
 * cd_store_set_password:
 * @self: a store
 * @name: an existing user
 * @password: the new password
 * @error: a #CD_AUTH_ERROR (%CD_AUTH_ERROR_BAD_CREDENTIALS when there is
 *   no such user) or a #CD_STORE_ERROR
 *
 * Returns: whether the password was changed
 */
gboolean
cd_store_set_password (CdStore     *self,
                       const char  *name,
                       const char  *password,
                       GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if ((hash = hash_password (password, error)) == NULL)
    return FALSE;
  if ((stmt = prepare (self, "UPDATE users SET password_hash = ?2 WHERE name = ?1",
                       _("changing a password"), error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("changing a password"), error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_CREDENTIALS,
                   _("There is no user “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

static CdUser *
user_from_row (sqlite3_stmt *stmt)
{
  CdUser *user = g_new0 (CdUser, 1);

  user->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  user->role = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  user->org = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  user->created_at = sqlite3_column_int64 (stmt, 3);
  return user;
}

/* Reads one user, and its password hash when @hash is not NULL. A missing
 * user is %CD_AUTH_ERROR_BAD_CREDENTIALS. */
static CdUser *
find_user (CdStore     *self,
           const char  *name,
           char       **hash,
           GError     **error)
{
  sqlite3_stmt *stmt;
  CdUser *user = NULL;
  int rc;

  if ((stmt = prepare (self, "SELECT name, role, org, created_at, password_hash FROM users WHERE name = ?1",
                       _("reading a user"), error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      user = user_from_row (stmt);
      if (hash != NULL)
        *hash = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_CREDENTIALS,
                 _("There is no user “%s”."), name);
  else if (rc != SQLITE_ROW)
    cd_store_set_sql_error (self, _("reading a user"), error);
  return user;
}

/**
 * cd_store_find_user:
 * @self: a store
 * @name: a user name
 * @error: %CD_AUTH_ERROR_BAD_CREDENTIALS when there is no such user
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 */
CdUser *
cd_store_find_user (CdStore     *self,
                    const char  *name,
                    GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return find_user (self, name, NULL, error);
}

/**
 * cd_store_list_users:
 * @self: a store
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdUser): the users by name
 */
GPtrArray *
cd_store_list_users (CdStore  *self,
                     GError  **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_user_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((stmt = prepare (self, "SELECT name, role, org, created_at FROM users ORDER BY name",
                       _("listing users"), error)) == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, _("listing users"), error);
      return NULL;
    }
  return g_steal_pointer (&users);
}

/**
 * cd_store_check_password:
 * @self: a store
 * @name: a user name
 * @password: the password given
 * @error: %CD_AUTH_ERROR_BAD_CREDENTIALS, with the same message whether
 *   the user or the password is wrong
 *
 * Returns: (transfer full): the user, or %NULL with @error set
 */
CdUser *
cd_store_check_password (CdStore     *self,
                         const char  *name,
                         const char  *password,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdUser) user = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (name == NULL || password == NULL || strlen (password) > MAX_PASSWORD_LEN)
    goto refuse;

  user = find_user (self, name, &hash, &local_error);
  if (user == NULL && !g_error_matches (local_error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_CREDENTIALS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user == NULL || hash == NULL ||
      crypto_pwhash_str_verify (hash, password, strlen (password)) != 0)
    goto refuse;
  return g_steal_pointer (&user);

refuse:
  g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_CREDENTIALS,
               _("Wrong user name or password."));
  return NULL;
}

static char *
token_hash (const char *token)
{
  return cd_store_sha256_hex (token, strlen (token));
}

/**
 * cd_store_create_session:
 * @self: a store
 * @name: a user who just proved who they are
 * @now: Unix seconds
 * @lifetime: seconds the token stays valid
 * @expires_at: (out) (optional): when it expires
 * @error: return location for an error
 *
 * Returns: (transfer full): a new token: 32 random bytes in unpadded
 *   base64url; only its hash is stored
 */
char *
cd_store_create_session (CdStore     *self,
                         const char  *name,
                         gint64       now,
                         gint64       lifetime,
                         gint64      *expires_at,
                         GError     **error)
{
  guchar bytes[TOKEN_BYTES];
  char encoded[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!ensure_sodium (error))
    return NULL;
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  hash = token_hash (encoded);

  if ((stmt = prepare (self, "INSERT INTO sessions (token_hash, user, created_at, expires_at) "
                             "VALUES (?1, ?2, ?3, ?4)", _("opening a session"), error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + lifetime);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, _("opening a session"), error);
      return NULL;
    }
  if (expires_at != NULL)
    *expires_at = now + lifetime;
  return g_strdup (encoded);
}

/**
 * cd_store_check_token:
 * @self: a store
 * @token: a bearer token
 * @now: Unix seconds
 * @error: %CD_AUTH_ERROR_BAD_TOKEN when it is unknown, expired or revoked
 *
 * Returns: (transfer full): the token's user, or %NULL with @error set
 */
CdUser *
cd_store_check_token (CdStore     *self,
                      const char  *token,
                      gint64       now,
                      GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  CdUser *user = NULL;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  hash = token_hash (token);
  if ((stmt = prepare (self, "SELECT u.name, u.role, u.org, u.created_at FROM sessions s "
                             "JOIN users u ON u.name = s.user "
                             "WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2",
                       _("checking a token"), error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    user = user_from_row (stmt);
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_TOKEN,
                 _("The token is unknown, expired or revoked: log in again."));
  else if (rc != SQLITE_ROW)
    cd_store_set_sql_error (self, _("checking a token"), error);
  return user;
}

/**
 * cd_store_revoke_token:
 * @self: a store
 * @token: a bearer token
 * @now: Unix seconds
 * @error: %CD_AUTH_ERROR_BAD_TOKEN when it was not valid
 *
 * Returns: whether the token was revoked
 */
gboolean
cd_store_revoke_token (CdStore     *self,
                       const char  *token,
                       gint64       now,
                       GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  hash = token_hash (token);
  if ((stmt = prepare (self, "UPDATE sessions SET revoked_at = ?2 "
                             "WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
                       _("closing a session"), error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("closing a session"), error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_TOKEN,
                   _("The token is unknown, expired or revoked: log in again."));
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_add_api_key:
 * @self: a store
 * @key: the key an Open311 client sends as `api_key`
 * @name: who the key was given to
 * @now: Unix seconds
 * @error: return location for an error
 *
 * Returns: whether the key was added (adding it again is not an error)
 */
gboolean
cd_store_add_api_key (CdStore     *self,
                      const char  *key,
                      const char  *name,
                      gint64       now,
                      GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (key == NULL || *key == '\0' || name == NULL || *name == '\0')
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("An api key and its holder’s name cannot be empty."));
      return FALSE;
    }
  hash = token_hash (key);
  if ((stmt = prepare (self, "INSERT INTO api_keys (key_hash, name, created_at) VALUES (?1, ?2, ?3) "
                             "ON CONFLICT (key_hash) DO NOTHING", _("adding an api key"), error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("adding an api key"), error);
  return TRUE;
}

/**
 * cd_store_check_api_key:
 * @self: a store
 * @key: (nullable): the key a client sent
 * @error: %CD_AUTH_ERROR_BAD_KEY when it is not a known key
 *
 * Returns: whether @key is known
 */
gboolean
cd_store_check_api_key (CdStore     *self,
                        const char  *key,
                        GError     **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (key == NULL || *key == '\0')
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY, _("An api_key is required."));
      return FALSE;
    }
  hash = token_hash (key);
  if ((stmt = prepare (self, "SELECT 1 FROM api_keys WHERE key_hash = ?1",
                       _("checking an api key"), error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY, _("The api_key is not valid."));
  else
    cd_store_set_sql_error (self, _("checking an api key"), error);
  return FALSE;
}

/**
 * cd_store_find_idempotent_answer:
 * @self: a store
 * @scope: whose keys (the user name, or an api key holder)
 * @key: the Idempotency-Key
 * @error: %CD_STORE_ERROR_NOT_FOUND when the key was not used yet
 *
 * Returns: (transfer full): the first answer given to @key, or %NULL
 */
CdIdempotentAnswer *
cd_store_find_idempotent_answer (CdStore     *self,
                                 const char  *scope,
                                 const char  *key,
                                 GError     **error)
{
  CdIdempotentAnswer *answer = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((stmt = prepare (self, "SELECT request_hash, status, response, first_seq, last_seq "
                             "FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
                       _("reading an idempotency key"), error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      answer = g_new0 (CdIdempotentAnswer, 1);
      answer->request_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      answer->status = sqlite3_column_int (stmt, 1);
      answer->response = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      answer->first_seq = sqlite3_column_int64 (stmt, 3);
      answer->last_seq = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("The key %s was not used yet."), key);
  else if (rc != SQLITE_ROW)
    cd_store_set_sql_error (self, _("reading an idempotency key"), error);
  return answer;
}

/**
 * cd_store_save_idempotent_answer:
 * @self: a store; inside a transaction, the answer joins it
 * @scope: whose keys
 * @key: the Idempotency-Key
 * @answer: what was answered
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_CONFLICT when the key is already used
 *
 * Returns: whether the answer was saved
 */
gboolean
cd_store_save_idempotent_answer (CdStore                   *self,
                                 const char                *scope,
                                 const char                *key,
                                 const CdIdempotentAnswer  *answer,
                                 gint64                     now,
                                 GError                   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  if ((stmt = prepare (self, "INSERT INTO idempotency_keys (scope, key, request_hash, status, "
                             "response, first_seq, last_seq, created_at) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                       _("saving an idempotency key"), error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, answer->request_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, answer->status);
  sqlite3_bind_text (stmt, 5, answer->response, -1, SQLITE_TRANSIENT);
  if (answer->first_seq > 0)
    sqlite3_bind_int64 (stmt, 6, answer->first_seq);
  else
    sqlite3_bind_null (stmt, 6);
  if (answer->last_seq > 0)
    sqlite3_bind_int64 (stmt, 7, answer->last_seq);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_int64 (stmt, 8, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The key %s is already used."), key);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return cd_store_set_sql_error (self, _("saving an idempotency key"), error);
  return TRUE;
}
