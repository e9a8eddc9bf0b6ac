// SPDX-License-Identifier: GPL-3.0-or-later
//
// Accounts and sessions in the store: migration 8 on a database of
// schema 7, disabling, enabling, new passwords and revokes with what
// becomes of sessions, the password policy, the login's two halves, and
// demo databases.

#include "config.h"

#include <sqlite3.h>

#include "cd-store-demo.h"
#include "cd-store-users.h"
#include "cd-test.h"
#include "cd-test-sql.h"

#define NOW 1800000000

static char *
new_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static CdSessionState
state_of (CdStore    *store,
          const char *token,
          gint64      now)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = cd_store_token_hash (token);
  CdSessionState state = CD_SESSION_VALID;

  g_assert_true (cd_store_get_session_state (store, hash, now, &state, &error));
  g_assert_no_error (error);
  return state;
}

static void
test_migration (void)
{
  g_autofree char *path = new_path ("v7.db");
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  /* Back to schema 7, with an account and a session written then: each
   * later migration undone (12 to 14 too: the tickets' executor_at and reminders, calls;
   * 16 to 20: the open missed calls, the notifications, the callback tasks, the
   * quality-control desk, the recordings; 21: the accounts' agents). */
  exec_sql (path,
            "DROP INDEX users_agent; ALTER TABLE users DROP COLUMN agent;"
            "DROP TABLE recordings;"
            "DROP TABLE qa_forms; DROP TABLE qa_evaluations; DROP TABLE qa_calibrations;"
            "DROP TABLE notifications;"
            "DROP TABLE feedback_tasks; DROP TABLE feedback_attempts; DROP TABLE feedback_counts;"
            "DROP VIEW missed_calls; DROP TABLE callbacks; DROP TABLE calls;"
            "ALTER TABLE tickets DROP COLUMN reminders;"
            "DROP INDEX tickets_open_executor_at; ALTER TABLE tickets DROP COLUMN executor_at;"
            "CREATE INDEX tickets_open_updated ON tickets (updated_at) WHERE open = 1;"
            "DROP INDEX sessions_user; ALTER TABLE users DROP COLUMN disabled_at;"
            "ALTER TABLE api_keys DROP COLUMN revoked_at;"
            "DROP TABLE reference_entries; DROP TABLE reference_names;"
            "INSERT INTO api_keys (key_hash, name, created_at) VALUES ('ab12', 'portal', 1);"
            "PRAGMA user_version = 7;"
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ('old', 'operator', "
            "NULL, 1);"
            "INSERT INTO sessions (token_hash, user, created_at, expires_at) "
            "VALUES ('"
            "5f4dcc3b"
            "', 'old', 1, 4000000000);");
  version = cd_test_sql_text (path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "7");

  store = cd_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_get_schema_version (store), >=, 8);
  user = cd_store_find_user (store, "old", &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->disabled_at, ==, 0);
  g_assert_true (cd_store_set_user_disabled (store, "old", TRUE, NOW, &error));
  g_assert_no_error (error);
  g_clear_pointer (&version, g_free);
  version = cd_test_sql_text (path, "SELECT revoked_at FROM sessions WHERE user = 'old'");
  g_assert_cmpstr (version, ==, "1800000000");

  /* Schema 10: a key made before it works until it is revoked, and its
   * record stays. */
  g_assert_cmpint (cd_store_get_schema_version (store), >=, 10);
  g_assert_cmpint (cd_store_revoke_api_keys (store, "portal", NOW, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (cd_store_revoke_api_keys (store, "portal", NOW, &error), ==, -1);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_pointer (&version, g_free);
  version = cd_test_sql_text (path, "SELECT count(*) FROM api_keys WHERE revoked_at = 1800000000");
  g_assert_cmpstr (version, ==, "1");
}

static void
test_accounts (void)
{
  g_autofree char *path = new_path ("accounts.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdUser) user = NULL;
  g_autofree char *token = NULL;
  g_autofree char *second = NULL;
  g_autofree char *hash = NULL;
  guint revoked = 0;

  g_assert_nonnull (store);
  /* The policy: at least 10 characters. */
  g_assert_false (cd_store_add_user (store, "op", "operator", NULL, "short", NOW, &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cd_check_password_policy ("ninechars", NULL));
  g_assert_true (cd_check_password_policy ("tencharsok", NULL));
  g_assert_false (cd_check_password_policy ("\xff\xfe-not-utf-8", NULL));
  g_assert_true (cd_store_add_user (store, "op", "operator", NULL, "first-password", NOW, &error));
  g_assert_no_error (error);

  /* The login's two halves; an unknown user checks the dummy hash. */
  user = cd_store_find_login (store, "op", &hash, &error);
  g_assert_no_error (error);
  g_assert_true (cd_password_hash_verify (hash, "first-password"));
  g_assert_false (cd_password_hash_verify (hash, "second-password"));
  g_assert_false (cd_password_hash_verify (NULL, "first-password"));
  g_assert_false (cd_password_hash_verify (cd_password_dummy_hash (), ""));
  g_clear_pointer (&user, cd_user_free);
  g_clear_pointer (&hash, g_free);
  g_assert_null (cd_store_find_login (store, "nobody", &hash, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Disable: the session is revoked, the token and the password refused. */
  token = cd_store_create_session (store, "op", NOW, 3600, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state_of (store, token, NOW), ==, CD_SESSION_VALID);
  g_assert_cmpint (state_of (store, token, NOW + 7200), ==, CD_SESSION_EXPIRED);
  g_assert_cmpint (state_of (store, "never-issued", NOW), ==, CD_SESSION_UNKNOWN);
  g_assert_true (cd_store_set_user_disabled (store, "op", TRUE, NOW, &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (store, token, NOW), ==, CD_SESSION_DISABLED);
  g_assert_null (cd_store_check_token (store, token, NOW, &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_TOKEN);
  g_clear_error (&error);
  g_assert_null (cd_store_check_password (store, "op", "first-password", &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);

  /* Enable: logins again, the old session stays revoked. */
  g_assert_true (cd_store_set_user_disabled (store, "op", FALSE, NOW, &error));
  g_assert_cmpint (state_of (store, token, NOW), ==, CD_SESSION_REVOKED);
  user = cd_store_check_password (store, "op", "first-password", &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->disabled_at, ==, 0);

  /* A new password revokes the sessions; the old password is refused. */
  second = cd_store_create_session (store, "op", NOW, 3600, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (cd_store_set_password (store, "op", "short", NOW, &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (state_of (store, second, NOW), ==, CD_SESSION_VALID);
  g_assert_true (cd_store_set_password (store, "op", "second-password", NOW, &error));
  g_assert_cmpint (state_of (store, second, NOW), ==, CD_SESSION_REVOKED);
  g_assert_null (cd_store_check_password (store, "op", "first-password", NULL));

  /* Revoke counts what was open. */
  g_free (second);
  second = cd_store_create_session (store, "op", NOW, 3600, NULL, &error);
  g_free (cd_store_create_session (store, "op", NOW, 3600, NULL, &error));
  g_assert_true (cd_store_revoke_user_sessions (store, "op", NOW, &revoked, &error));
  g_assert_cmpuint (revoked, ==, 2);
  g_assert_false (cd_store_revoke_user_sessions (store, "nobody", NOW, NULL, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cd_store_set_user_disabled (store, "nobody", TRUE, NOW, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
}

static void
test_demo_marker (void)
{
  g_autofree char *path = new_path ("real.db");
  g_autoptr(CdStore) store = cd_store_open (path, NULL);
  g_autoptr(GError) error = NULL;
  gboolean is_demo = TRUE;

  g_assert_nonnull (store);
  g_assert_true (cd_store_is_demo (store, &is_demo, &error));
  g_assert_false (is_demo);
  /* The demo's accounts and key go only into a demo database. */
  g_assert_false (
      cd_store_demo_add_account (store, "operator", "operator", NULL, "demo", NOW, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_DEMO);
  g_clear_error (&error);
  g_assert_false (cd_store_demo_add_api_key (store, "demo", NOW, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_DEMO);
  g_clear_error (&error);
  g_assert_null (cd_store_find_user (store, "operator", NULL));
  g_assert_false (cd_store_check_api_key (store, "demo", NULL));
  g_clear_object (&store);

  is_demo = TRUE;
  g_assert_true (cd_store_probe_demo (path, &is_demo, &error));
  g_assert_no_error (error);
  g_assert_false (is_demo);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/store-users/migration", test_migration);
  g_test_add_func ("/store-users/accounts", test_accounts);
  g_test_add_func ("/store-users/demo-marker", test_demo_marker);

  return g_test_run ();
}
