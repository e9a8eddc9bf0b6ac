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
#include "cd-input.h"
#include "cd-store-private.h"
#include "cd-store-users.h"

G_DEFINE_QUARK (cd-auth-error-quark, cd_auth_error)

#define MAX_NAME_LEN 64
#define TOKEN_BYTES 32

/* What a login checks an unknown user's password against, so that it
 * costs as much as a known user's: an argon2id string with the parameters
 * hash_password() uses, of random bytes nobody kept. Whatever matches it,
 * the login is refused all the same. */
#define DUMMY_HASH                                                                  \
  "$argon2id$v=19$m=65536,t=2,p=1$FdhMcbKc77OYwnqRn4XgxA$JLoUp/mEXk11WTyf371vUkB3/" \
  "HsejL0q0VNVsvo8R7w"

/* The columns user_from_row() reads, in its order. */
#define USER_COLUMNS "u.name, u.role, u.org, u.created_at, u.disabled_at, u.agent"
#define N_USER_COLUMNS 6

void
cd_user_free (CdUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->role);
  g_free (user->org);
  g_free (user->agent);
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
                     _("The user name “%s” may only hold letters, digits, “.”, “_” and “-”."),
                     name);
        return FALSE;
      }
  return TRUE;
}

/**
 * cd_check_password_policy:
 * @password: a password someone chose
 * @error: %CD_AUTH_ERROR_INVALID saying what is wrong with it
 *
 * A password is UTF-8 text of at least %CD_PASSWORD_MIN_LENGTH characters
 * and at most %CD_PASSWORD_MAX_BYTES bytes.
 *
 * Returns: whether @password may be set
 */
gboolean
cd_check_password_policy (const char  *password,
                          GError     **error)
{
  gsize len = password != NULL ? strlen (password) : 0;

  if (password == NULL || !g_utf8_validate (password, len, NULL))
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("A password must be UTF-8 text."));
      return FALSE;
    }
  if (g_utf8_strlen (password, len) < CD_PASSWORD_MIN_LENGTH || len > CD_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("A password has at least %d characters (and at most %d bytes)."),
                   CD_PASSWORD_MIN_LENGTH, CD_PASSWORD_MAX_BYTES);
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

  if (len == 0 || len > CD_PASSWORD_MAX_BYTES)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("A password has 1 to %d bytes."), CD_PASSWORD_MAX_BYTES);
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

static void
bind_nullable (CdDbStmt   *stmt,
               int         i,
               const char *value)
{
  if (value != NULL)
    cd_db_bind_text (stmt, i, value);
  else
    cd_db_bind_null (stmt, i);
}

/* Steps @stmt once; a failure is reported as the store's, except a
 * constraint's, which is left in @constraint for the caller to name. */
static CdDbStep
step (CdStore     *self,
      CdDbStmt    *stmt,
      const char  *what,
      gboolean    *constraint,
      GError     **error)
{
  GError *db_error = NULL;
  CdDbStep rc;

  if (constraint != NULL)
    *constraint = FALSE;
  rc = cd_db_step (stmt, &db_error);
  if (rc != CD_DB_FAILED)
    return rc;
  if (constraint != NULL && g_error_matches (db_error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT))
    {
      *constraint = TRUE;
      g_error_free (db_error);
    }
  else
    cd_store_db_error (self, what, db_error, error);
  return CD_DB_FAILED;
}

/* The one place accounts are written: @check_policy is FALSE only for the
 * demo's accounts, in a demo database (cd-store-demo.c). */
gboolean
cd_store_insert_user (CdStore     *self,
                      const char  *name,
                      const char  *role,
                      const char  *org,
                      const char  *password,
                      gboolean     check_policy,
                      gint64       now,
                      GError     **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  CdRole r;
  gboolean constraint;
  CdDbStep rc;

  if (!check_name (name, error))
    return FALSE;
  if (!cd_role_from_string (role, &r))
    {
      g_set_error (
          error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
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
  if (password != NULL && check_policy && !cd_check_password_policy (password, error))
    return FALSE;
  if (password != NULL && (hash = hash_password (password, error)) == NULL)
    return FALSE;

  if ((stmt = cd_store_prepare (self,
                                "INSERT INTO users (name, role, org, password_hash, created_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)",
                                _("adding a user"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, name);
  cd_db_bind_text (stmt, 2, role);
  bind_nullable (stmt, 3, org != NULL && *org != '\0' ? org : NULL);
  bind_nullable (stmt, 4, hash);
  cd_db_bind_int64 (stmt, 5, now);
  rc = step (self, stmt, _("adding a user"), &constraint, error);

  if (constraint)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_EXISTS,
                   _("The user “%s” already exists."), name);
      return FALSE;
    }
  if (rc != CD_DB_DONE)
    return FALSE;
  return TRUE;
}

/**
 * cd_store_add_user:
 * @self: a store
 * @name: the user name
 * @role: one of the six roles (see cd_role_from_string())
 * @org: (nullable): the executor organization an `executor` works for
 * @password: (nullable): the password (see cd_check_password_policy());
 *   %NULL for an account that cannot log in until cd_store_set_password()
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
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  return cd_store_insert_user (self, name, role, org, password, TRUE, now, error);
}

/* Runs @sql with ?1 = @name and ?2 = @now; %CD_STORE_ERROR_NOT_FOUND when
 * it changed no row and @must_change. */
static gboolean
run_for_user (CdStore     *self,
              const char  *sql,
              const char  *name,
              gint64       now,
              gboolean     must_change,
              guint       *n_changed,
              const char  *what,
              GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;

  if ((stmt = cd_store_prepare (self, sql, what, error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, name);
  cd_db_bind_int64 (stmt, 2, now);
  if (step (self, stmt, what, NULL, error) != CD_DB_DONE)
    return FALSE;
  if (n_changed != NULL)
    *n_changed = (guint) cd_db_changes (stmt);
  if (must_change && cd_db_changes (stmt) == 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

#define REVOKE_USER_SQL                                                                            \
  "UPDATE sessions SET revoked_at = ?2 WHERE \"user\" = ?1 AND revoked_at IS NULL AND expires_at " \
  "> ?2"

/* Runs @func in a write transaction of its own, or in the caller's. */
static gboolean
in_transaction (CdStore   *self,
                gboolean (*func) (CdStore *, gpointer, GError **),
                gpointer   data,
                GError   **error)
{
  /* Every transaction the store begins after opening goes through CdDb,
   * on both backends: it knows whether one is open. */
  gboolean own = !cd_db_in_transaction (self->conn);
  GError *db_error = NULL;

  if (own && !cd_db_begin_write (self->conn, &db_error))
    return cd_store_db_error (self, _("starting a transaction"), db_error, error);
  if (!func (self, data, error))
    {
      if (own)
        cd_db_rollback (self->conn);
      return FALSE;
    }
  if (own && !cd_db_commit (self->conn, &db_error))
    {
      cd_db_rollback (self->conn);
      return cd_store_db_error (self, _("committing"), db_error, error);
    }
  return TRUE;
}

typedef struct
{
  const char *name;
  const char *hash;
  gboolean    disabled;
  gint64      now;
  guint       n_revoked;
} UserChange;

static gboolean
write_password (CdStore   *self,
                gpointer   data,
                GError   **error)
{
  UserChange *change = data;
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = cd_store_prepare (self, "UPDATE users SET password_hash = ?2 WHERE name = ?1",
                                _("changing a password"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, change->name);
  cd_db_bind_text (stmt, 2, change->hash);
  rc = step (self, stmt, _("changing a password"), NULL, error);
  if (rc != CD_DB_DONE)
    return FALSE;
  if (cd_db_changes (stmt) == 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("There is no user “%s”."), change->name);
      return FALSE;
    }
  return run_for_user (self, REVOKE_USER_SQL, change->name, change->now, FALSE,
                       &change->n_revoked, _("closing sessions"), error);
}

/**
 * cd_password_hash_new:
 * @password: a password that passed cd_check_password_policy()
 * @error: a #CD_AUTH_ERROR
 *
 * Costs what a login costs: call it off the main loop. It touches no
 * database and is safe on any thread.
 *
 * Returns: (transfer full): the argon2id string to store, or %NULL
 */
char *
cd_password_hash_new (const char  *password,
                      GError     **error)
{
  return hash_password (password, error);
}

/**
 * cd_store_set_password_hash:
 * @self: a store
 * @name: an existing user
 * @hash: what cd_password_hash_new() made of the new password
 * @now: Unix seconds
 * @n_revoked: (out) (optional): how many sessions were still open
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such user
 *
 * Like cd_store_set_password(), with the hashing done beforehand.
 *
 * Returns: whether the password was changed
 */
gboolean
cd_store_set_password_hash (CdStore     *self,
                            const char  *name,
                            const char  *hash,
                            gint64       now,
                            guint       *n_revoked,
                            GError     **error)
{
  UserChange change = { name, hash, FALSE, now, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && hash != NULL, FALSE);

  if (!in_transaction (self, write_password, &change, error))
    return FALSE;
  if (n_revoked != NULL)
    *n_revoked = change.n_revoked;
  return TRUE;
}

/**
 * cd_store_set_password:
 * @self: a store
 * @name: an existing user
 * @password: the new password (see cd_check_password_policy())
 * @now: Unix seconds
 * @error: a #CD_AUTH_ERROR, %CD_STORE_ERROR_NOT_FOUND when there is no
 *   such user, or another #CD_STORE_ERROR
 *
 * Changes the password and revokes every session of the user, in one
 * transaction: whoever knew the old password is logged out.
 *
 * Returns: whether the password was changed
 */
gboolean
cd_store_set_password (CdStore     *self,
                       const char  *name,
                       const char  *password,
                       gint64       now,
                       GError     **error)
{
  g_autofree char *hash = NULL;
  UserChange change = { name, NULL, FALSE, now, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!cd_check_password_policy (password, error) ||
      (hash = hash_password (password, error)) == NULL)
    return FALSE;
  change.hash = hash;
  return in_transaction (self, write_password, &change, error);
}

static gboolean
write_disabled (CdStore   *self,
                gpointer   data,
                GError   **error)
{
  UserChange *change = data;

  if (!change->disabled)
    return run_for_user (
        self,
        "UPDATE users SET disabled_at = NULL WHERE name = ?1 AND CAST (?2 AS BIGINT) IS NOT NULL",
        change->name, change->now, TRUE, NULL, _("enabling a user"), error);
  /* Disabling twice keeps the first time. */
  return run_for_user (self,
                       "UPDATE users SET disabled_at = coalesce (disabled_at, ?2) WHERE name = ?1",
                       change->name, change->now, TRUE, NULL, _("disabling a user"), error) &&
         run_for_user (self, REVOKE_USER_SQL, change->name, change->now, FALSE, &change->n_revoked,
                       _("closing sessions"), error);
}

/**
 * cd_store_set_user_disabled:
 * @self: a store
 * @name: an existing user
 * @disabled: whether the account is disabled
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such user
 *
 * A disabled account cannot log in and its tokens stop working: disabling
 * revokes its sessions, so enabling it again does not bring them back.
 *
 * Returns: whether the account was changed
 */
gboolean
cd_store_set_user_disabled (CdStore     *self,
                            const char  *name,
                            gboolean     disabled,
                            gint64       now,
                            GError     **error)
{
  UserChange change = { name, NULL, disabled, now, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return in_transaction (self, write_disabled, &change, error);
}

/**
 * cd_store_revoke_user_sessions:
 * @self: a store
 * @name: an existing user
 * @now: Unix seconds
 * @n_revoked: (out) (optional): how many sessions were still open
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such user
 *
 * Returns: whether the user's sessions are revoked
 */
gboolean
cd_store_revoke_user_sessions (CdStore     *self,
                               const char  *name,
                               gint64       now,
                               guint       *n_revoked,
                               GError     **error)
{
  g_autoptr(CdUser) user = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if ((user = cd_store_find_user (self, name, error)) == NULL)
    return FALSE;
  return run_for_user (self, REVOKE_USER_SQL, name, now, FALSE, n_revoked, _("closing sessions"),
                       error);
}

/**
 * cd_check_agent_name:
 * @agent: a PBX agent's name, as an administrator typed it
 * @error: %CD_AUTH_ERROR_INVALID saying what is wrong with it
 *
 * An agent is matched byte for byte against the calls' `agent` (what the
 * queue_log carries), never by case or spacing: a name with spaces at its
 * ends, runs of spaces or control characters would only ever match a
 * look-alike, so it is refused rather than stored.
 *
 * Returns: whether @agent may be linked to an account
 */
gboolean
cd_check_agent_name (const char  *agent,
                     GError     **error)
{
  gsize len = agent != NULL ? strlen (agent) : 0;

  if (len == 0 || len > CD_AGENT_MAX_BYTES ||
      !cd_input_text_is_clean (agent, len, FALSE, NULL) ||
      g_ascii_isspace (agent[0]) || g_ascii_isspace (agent[len - 1]) ||
      strstr (agent, "  ") != NULL || strpbrk (agent, "\t\n\v\f\r") != NULL)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("A PBX agent is its name as the calls carry it: 1 to %d bytes of text, no "
                     "spaces at its ends or twice in a row."),
                   CD_AGENT_MAX_BYTES);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *name;
  const char *agent;
  guint       n_revoked;
} AgentChange;

static gboolean
write_agent (CdStore   *self,
             gpointer   data,
             GError   **error)
{
  AgentChange *change = data;
  g_autoptr(CdDbStmt) stmt = NULL;
  gboolean constraint;
  CdDbStep rc;

  if ((stmt = cd_store_prepare (
           self, "UPDATE users SET agent = ?2 WHERE name = ?1 AND agent IS DISTINCT FROM ?2",
           _("linking a user to an agent"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, change->name);
  bind_nullable (stmt, 2, change->agent);
  rc = step (self, stmt, _("linking a user to an agent"), &constraint, error);
  if (constraint)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_EXISTS,
                   _("Another account is the agent “%s” already."), change->agent);
      return FALSE;
    }
  if (rc != CD_DB_DONE)
    return FALSE;
  if (cd_db_changes (stmt) == 0)
    return TRUE;
  /* A stream keeps what its session was opened with: a session of the
   * old agent would go on showing that agent's evaluations. */
  return run_for_user (self, REVOKE_USER_SQL, change->name, g_get_real_time () / G_USEC_PER_SEC,
                       FALSE, &change->n_revoked, _("closing sessions"), error);
}

/**
 * cd_store_set_user_agent:
 * @self: a store
 * @name: an existing user
 * @agent: (nullable): the PBX agent the account is (cd_check_agent_name()),
 *   or %NULL to unlink it
 * @n_revoked: (out) (optional): how many sessions were still open
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such user,
 *   %CD_AUTH_ERROR_INVALID for a bad name, %CD_AUTH_ERROR_EXISTS when
 *   another account is that agent already
 *
 * Links an account to the agent whose calls and evaluations are its own
 * (docs/qa.md). A change revokes the account's sessions, in the same
 * transaction: what a session reads was decided with the agent it had.
 * Like the other changes of an account, not journaled: the accounts are
 * the server's configuration, not the city's history.
 *
 * Returns: whether the account is linked to @agent
 */
gboolean
cd_store_set_user_agent (CdStore     *self,
                         const char  *name,
                         const char  *agent,
                         guint       *n_revoked,
                         GError     **error)
{
  g_autoptr(CdUser) user = NULL;
  AgentChange change = { name, agent, 0 };

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (agent != NULL && !cd_check_agent_name (agent, error))
    return FALSE;
  if ((user = cd_store_find_user (self, name, error)) == NULL)
    return FALSE;
  if (!in_transaction (self, write_agent, &change, error))
    return FALSE;
  if (n_revoked != NULL)
    *n_revoked = change.n_revoked;
  return TRUE;
}

static CdUser *
user_from_row (CdDbStmt *stmt)
{
  CdUser *user = g_new0 (CdUser, 1);

  user->name = g_strdup (cd_db_column_text (stmt, 0));
  user->role = g_strdup (cd_db_column_text (stmt, 1));
  user->org = g_strdup (cd_db_column_text (stmt, 2));
  user->created_at = cd_db_column_int64 (stmt, 3);
  user->disabled_at = cd_db_column_int64 (stmt, 4);
  user->agent = g_strdup (cd_db_column_text (stmt, 5));
  return user;
}

/* Reads one user, and its password hash when @hash is not NULL. A missing
 * user is %CD_STORE_ERROR_NOT_FOUND. */
static CdUser *
find_user (CdStore     *self,
           const char  *name,
           char       **hash,
           GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdUser *user = NULL;
  CdDbStep rc;

  if ((stmt = cd_store_prepare (self,
                                "SELECT " USER_COLUMNS
                                ", u.password_hash FROM users u WHERE u.name = ?1",
                                _("reading a user"), error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, name);
  rc = step (self, stmt, _("reading a user"), NULL, error);
  if (rc == CD_DB_ROW)
    {
      user = user_from_row (stmt);
      if (hash != NULL)
        *hash = g_strdup (cd_db_column_text (stmt, N_USER_COLUMNS));
    }

  if (rc == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("There is no user “%s”."), name);
  return user;
}

/**
 * cd_store_find_user:
 * @self: a store
 * @name: a user name
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such user
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((stmt = cd_store_prepare (self, "SELECT " USER_COLUMNS " FROM users u ORDER BY u.name",
                                _("listing users"), error)) == NULL)
    return NULL;
  while ((rc = step (self, stmt, _("listing users"), NULL, error)) == CD_DB_ROW)
    g_ptr_array_add (users, user_from_row (stmt));
  if (rc != CD_DB_DONE)
    return NULL;
  return g_steal_pointer (&users);
}

/**
 * cd_store_find_login:
 * @self: a store
 * @name: a user name
 * @hash: (out) (transfer full): the user's password hash, %NULL for an
 *   account without a password
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such user
 *
 * The half of a login that reads the database; the other half,
 * cd_password_hash_verify(), may run on another thread.
 *
 * Returns: (transfer full): the user (see its @disabled_at), or %NULL
 */
CdUser *
cd_store_find_login (CdStore     *self,
                     const char  *name,
                     char       **hash,
                     GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (hash != NULL, NULL);

  *hash = NULL;
  return find_user (self, name, hash, error);
}

/**
 * cd_password_dummy_hash:
 *
 * Returns: a hash no password is known for, as costly to check as a real
 *   one: what a login checks when the user is unknown
 */
const char *
cd_password_dummy_hash (void)
{
  return DUMMY_HASH;
}

/**
 * cd_password_hash_verify:
 * @hash: (nullable): an argon2id string; %NULL checks the dummy hash and
 *   fails
 * @password: the password given
 *
 * Costs tens of milliseconds and 64 MiB: call it off the main loop. It
 * touches no database and is safe on any thread.
 *
 * Returns: whether @password is the one @hash was made of
 */
gboolean
cd_password_hash_verify (const char *hash,
                         const char *password)
{
  gsize len = password != NULL ? strlen (password) : 0;
  gboolean match;

  if (sodium_init () < 0)
    return FALSE;
  if (password == NULL || len > CD_PASSWORD_MAX_BYTES)
    {
      /* Still pay the price, so that the answer's time says nothing. */
      password = "";
      len = 0;
      hash = NULL;
    }
  match = crypto_pwhash_str_verify (hash != NULL ? hash : DUMMY_HASH, password, len) == 0;
  return match && hash != NULL;
}

/**
 * cd_store_check_password:
 * @self: a store
 * @name: a user name
 * @password: the password given
 * @error: %CD_AUTH_ERROR_BAD_CREDENTIALS, with the same message whether
 *   the user or the password is wrong or the account is disabled
 *
 * Both halves of a login at once, on the caller's thread: for tools, not
 * for the server's main loop.
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
  gboolean match;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!ensure_sodium (error))
    return NULL;
  if (name != NULL)
    user = find_user (self, name, &hash, &local_error);
  if (user == NULL && local_error != NULL &&
      !g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  match = cd_password_hash_verify (user != NULL ? hash : NULL, password);
  if (!match || user == NULL || user->disabled_at != 0)
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_CREDENTIALS,
                   _("Wrong user name or password."));
      return NULL;
    }
  return g_steal_pointer (&user);
}

static char *
token_hash (const char *token)
{
  return cd_store_sha256_hex (token, strlen (token));
}

/**
 * cd_store_token_hash:
 * @token: a bearer token
 *
 * Returns: (transfer full): what the database keeps of it, for
 *   cd_store_get_session_state()
 */
char *
cd_store_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return token_hash (token);
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!ensure_sodium (error))
    return NULL;
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  hash = token_hash (encoded);

  if ((stmt =
           cd_store_prepare (self,
                             "INSERT INTO sessions (token_hash, \"user\", created_at, expires_at) "
                             "VALUES (?1, ?2, ?3, ?4)",
                             _("opening a session"), error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, hash);
  cd_db_bind_text (stmt, 2, name);
  cd_db_bind_int64 (stmt, 3, now);
  cd_db_bind_int64 (stmt, 4, now + lifetime);
  rc = step (self, stmt, _("opening a session"), NULL, error);
  if (rc != CD_DB_DONE)
    return NULL;
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdUser *user = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  hash = token_hash (token);
  if ((stmt = cd_store_prepare (
           self,
           "SELECT " USER_COLUMNS " FROM sessions s "
           "JOIN users u ON u.name = s.\"user\" "
           "WHERE s.token_hash = ?1 AND s.revoked_at IS NULL AND s.expires_at > ?2 "
           "AND u.disabled_at IS NULL",
           _("checking a token"), error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, hash);
  cd_db_bind_int64 (stmt, 2, now);
  rc = step (self, stmt, _("checking a token"), NULL, error);
  if (rc == CD_DB_ROW)
    user = user_from_row (stmt);

  if (rc == CD_DB_DONE)
    g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_TOKEN,
                 _("The token is unknown, expired or revoked: log in again."));
  return user;
}

/**
 * cd_store_get_session_state:
 * @self: a store
 * @token_hash: what cd_store_token_hash() made of a token
 * @now: Unix seconds
 * @state: (out): what became of the session
 * @error: return location for an error
 *
 * One indexed read: cheap enough to ask for each open stream every few
 * seconds.
 *
 * Returns: whether @state was read
 */
gboolean
cd_store_get_session_state (CdStore        *self,
                            const char     *token_hash,
                            gint64          now,
                            CdSessionState *state,
                            GError        **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);

  if ((stmt = cd_store_prepare (
           self,
           "SELECT CASE WHEN s.revoked_at IS NULL THEN 0 ELSE 1 END, "
           "CASE WHEN s.expires_at <= ?2 THEN 1 ELSE 0 END, "
           "CASE WHEN u.disabled_at IS NULL THEN 0 ELSE 1 END "
           "FROM sessions s JOIN users u ON u.name = s.\"user\" WHERE s.token_hash = ?1",
           _("checking a token"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, token_hash);
  cd_db_bind_int64 (stmt, 2, now);
  rc = step (self, stmt, _("checking a token"), NULL, error);
  if (rc == CD_DB_ROW)
    {
      /* A disabled account's sessions are also revoked: say the cause. */
      if (cd_db_column_int64 (stmt, 2))
        *state = CD_SESSION_DISABLED;
      else if (cd_db_column_int64 (stmt, 0))
        *state = CD_SESSION_REVOKED;
      else if (cd_db_column_int64 (stmt, 1))
        *state = CD_SESSION_EXPIRED;
      else
        *state = CD_SESSION_VALID;
    }
  else if (rc == CD_DB_DONE)
    *state = CD_SESSION_UNKNOWN;
  if (rc != CD_DB_ROW && rc != CD_DB_DONE)
    return FALSE;
  return TRUE;
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  hash = token_hash (token);
  if ((stmt = cd_store_prepare (self,
                                "UPDATE sessions SET revoked_at = ?2 "
                                "WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2",
                                _("closing a session"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, hash);
  cd_db_bind_int64 (stmt, 2, now);
  rc = step (self, stmt, _("closing a session"), NULL, error);
  if (rc != CD_DB_DONE)
    return FALSE;
  if (cd_db_changes (stmt) == 0)
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (key == NULL || *key == '\0' || name == NULL || *name == '\0')
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID,
                   _("An api key and its holder’s name cannot be empty."));
      return FALSE;
    }
  hash = token_hash (key);
  if ((stmt = cd_store_prepare (
           self,
           "INSERT INTO api_keys (key_hash, name, created_at) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (key_hash) DO NOTHING",
           _("adding an api key"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, hash);
  cd_db_bind_text (stmt, 2, name);
  cd_db_bind_int64 (stmt, 3, now);
  rc = step (self, stmt, _("adding an api key"), NULL, error);
  if (rc != CD_DB_DONE)
    return FALSE;
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (key == NULL || *key == '\0')
    {
      g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY, _("An api_key is required."));
      return FALSE;
    }
  hash = token_hash (key);
  if ((stmt = cd_store_prepare (self,
                                "SELECT 1 FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL",
                                _("checking an api key"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, hash);
  rc = step (self, stmt, _("checking an api key"), NULL, error);
  if (rc == CD_DB_ROW)
    return TRUE;
  if (rc == CD_DB_DONE)
    g_set_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY, _("The api_key is not valid."));
  return FALSE;
}

void
cd_api_key_free (CdApiKey *key)
{
  if (key == NULL)
    return;
  g_free (key->name);
  g_free (key);
}

/**
 * cd_store_list_api_keys:
 * @self: a store
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdApiKey): every Open311
 *   api key ever made, revoked ones too, oldest first; the keys
 *   themselves are not kept, only who holds them
 */
GPtrArray *
cd_store_list_api_keys (CdStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_api_key_free);
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((stmt = cd_store_prepare (
           self, "SELECT name, created_at, revoked_at FROM api_keys ORDER BY created_at, name",
           _("reading the api keys"), error)) == NULL)
    return NULL;
  while ((rc = step (self, stmt, _("reading the api keys"), NULL, error)) == CD_DB_ROW)
    {
      CdApiKey *key = g_new0 (CdApiKey, 1);

      key->name = g_strdup (cd_db_column_text (stmt, 0));
      key->created_at = cd_db_column_int64 (stmt, 1);
      key->revoked_at = cd_db_column_is_null (stmt, 2)
                            ? 0
                            : cd_db_column_int64 (stmt, 2);
      g_ptr_array_add (keys, key);
    }
  if (rc != CD_DB_DONE)
    return NULL;
  return g_steal_pointer (&keys);
}

/**
 * cd_store_revoke_api_keys:
 * @self: a store
 * @name: the holder whose keys stop working
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_NOT_FOUND when @name holds no working key
 *
 * Revokes every working key of @name; the rows stay, marked, so that the
 * record of who held a key when is kept. Rotating a key is making a new
 * one (cd_store_add_api_key()), giving it out, then revoking the old.
 * Since keys are known only by their hash, a holder's keys go together:
 * give each app or portal a name of its own.
 *
 * Returns: the number of keys revoked, or -1 with @error set
 */
gint64
cd_store_revoke_api_keys (CdStore     *self,
                          const char  *name,
                          gint64       now,
                          GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;
  gint64 n;

  g_return_val_if_fail (CD_IS_STORE (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  if ((stmt = cd_store_prepare (
           self, "UPDATE api_keys SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
           _("revoking an api key"), error)) == NULL)
    return -1;
  cd_db_bind_text (stmt, 1, name);
  cd_db_bind_int64 (stmt, 2, now);
  rc = step (self, stmt, _("revoking an api key"), NULL, error);
  if (rc != CD_DB_DONE)
    return -1;
  n = cd_db_changes (stmt);
  if (n == 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("“%s” holds no api key that works."), name);
      return -1;
    }
  return n;
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
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if ((stmt = cd_store_prepare (self, "SELECT request_hash, status, response, first_seq, last_seq "
                                      "FROM idempotency_keys WHERE scope = ?1 AND key = ?2",
                                _("reading an idempotency key"), error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, scope);
  cd_db_bind_text (stmt, 2, key);
  rc = step (self, stmt, _("reading an idempotency key"), NULL, error);
  if (rc == CD_DB_ROW)
    {
      answer = g_new0 (CdIdempotentAnswer, 1);
      answer->request_hash = g_strdup (cd_db_column_text (stmt, 0));
      answer->status = cd_db_column_int64 (stmt, 1);
      answer->response = g_strdup (cd_db_column_text (stmt, 2));
      answer->first_seq = cd_db_column_int64 (stmt, 3);
      answer->last_seq = cd_db_column_int64 (stmt, 4);
    }

  if (rc == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("The key %s was not used yet."), key);
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
 * In a transaction on PostgreSQL the answer goes to the server with the
 * commit (cd_db_step_deferred()): a key already used then makes
 * cd_store_commit() fail with %CD_STORE_ERROR_CONFLICT.
 *
 * Returns: whether the answer was saved, or is to be with the commit
 */
gboolean
cd_store_save_idempotent_answer (CdStore                   *self,
                                 const char                *scope,
                                 const char                *key,
                                 const CdIdempotentAnswer  *answer,
                                 gint64                     now,
                                 GError                   **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  gboolean constraint;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  if ((stmt = cd_store_prepare (self,
                                "INSERT INTO idempotency_keys (scope, key, request_hash, status, "
                                "response, first_seq, last_seq, created_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                _("saving an idempotency key"), error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, scope);
  cd_db_bind_text (stmt, 2, key);
  cd_db_bind_text (stmt, 3, answer->request_hash);
  cd_db_bind_int64 (stmt, 4, answer->status);
  cd_db_bind_text (stmt, 5, answer->response);
  if (answer->first_seq > 0)
    cd_db_bind_int64 (stmt, 6, answer->first_seq);
  else
    cd_db_bind_null (stmt, 6);
  if (answer->last_seq > 0)
    cd_db_bind_int64 (stmt, 7, answer->last_seq);
  else
    cd_db_bind_null (stmt, 7);
  cd_db_bind_int64 (stmt, 8, now);
  /* In a write transaction the key goes with the commit, which fails
   * with %CD_STORE_ERROR_CONFLICT if another process took it meanwhile. */
  if (self->in_transaction)
    {
      GError *db_error = NULL;

      if (cd_db_step_deferred (stmt, &db_error))
        return TRUE;
      if (!g_error_matches (db_error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT))
        return cd_store_db_error (self, _("saving an idempotency key"), db_error, error);
      g_error_free (db_error);
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The key %s is already used."), key);
      return FALSE;
    }
  rc = step (self, stmt, _("saving an idempotency key"), &constraint, error);

  if (constraint)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The key %s is already used."), key);
      return FALSE;
    }
  if (rc != CD_DB_DONE)
    return FALSE;
  return TRUE;
}

/* Moving a city {{{1 */

/**
 * cd_store_copy_users:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @n_users: (out) (optional): how many accounts @self was given
 * @n_keys: (out) (optional): how many api keys
 * @n_answers: (out) (optional): how many answers to idempotency keys
 * @error: return location for an error
 *
 * Gives @self the accounts of @from (every column: the password's hash,
 * the role, the organisation, the agent, when it was disabled), its
 * Open311 api keys (their hashes, revoked or not), so that the same
 * logins and keys work there, and the answers it gave to idempotency
 * keys, so that a request a client sends again after the move (its
 * answer lost when the old server stopped) is answered as the first
 * time, not done twice. A row @self holds with other content is refused,
 * and nothing is copied. The sessions stay behind: everyone logs in
 * again.
 *
 * Returns: whether every account and key of @from is in @self
 */
gboolean
cd_store_copy_users (CdStore  *self,
                     CdStore  *from,
                     gint64   *n_users,
                     gint64   *n_keys,
                     gint64   *n_answers,
                     GError  **error)
{
  static const CdStoreCopyTable tables[] = {
    { "users", "name, role, org, password_hash, created_at, disabled_at, agent", 1, "ttttiit" },
    { "api_keys", "key_hash, name, created_at, revoked_at", 1, "ttii" },
    { "idempotency_keys",
      "scope, key, request_hash, status, response, first_seq, last_seq, created_at", 2,
      "tttitiii" },
  };
  gint64 n[G_N_ELEMENTS (tables)] = { 0 };
  gboolean ok = cd_store_copy_tables (self, from, tables, G_N_ELEMENTS (tables), n, error);

  if (n_users != NULL)
    *n_users = ok ? n[0] : 0;
  if (n_keys != NULL)
    *n_keys = ok ? n[1] : 0;
  if (n_answers != NULL)
    *n_answers = ok ? n[2] : 0;
  return ok;
}
