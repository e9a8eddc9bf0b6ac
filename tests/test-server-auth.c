// SPDX-License-Identifier: GPL-3.0-or-later
//
// Logins and sessions against a real citydesk-server on 127.0.0.1: a
// login's password check never holds up other requests, failed logins are
// throttled per account and per address (growing lockouts, 429 with
// Retry-After), an unknown user is refused like a wrong password, accounts
// are disabled, enabled, given a new password and their sessions revoked
// from citydeskctl and from the API (admins only), an open stream is
// closed with a reason when its token is revoked or expires, nothing a
// client sends on the stream harms the server, and --demo refuses a real
// database. After each, the server still answers and the journal
// verifies.

#include "config.h"

#include <glib/gstdio.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-stream.h"

#define ADMIN_PASSWORD "admin-password-1"
#define OP_PASSWORD "operator-password-1"

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *log_path;
} Fixture;

/* A server over a new database with the accounts root (admin) and op
 * (operator), started with @settings as its [server] configuration. */
static void
fixture_start (Fixture    *fixture,
               const char *settings)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *conf = g_build_filename (dir, "server.conf", NULL);
  g_autofree char *text = g_strconcat ("[server]\n", settings != NULL ? settings : "", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  cd_test_add_user (db, "root", "admin", NULL, ADMIN_PASSWORD);
  cd_test_add_user (db, "op", "operator", NULL, OP_PASSWORD);
  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);

  fixture->log_path = g_build_filename (dir, "server.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, fixture->log_path);
  fixture->server.proc = g_subprocess_launcher_spawn (launcher, &error,
                                                      cd_test_program ("CITYDESK_SERVER"),
                                                      "--listen", "127.0.0.1:0", "--db", db,
                                                      "--config", conf, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server.proc));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  fixture->server.url = g_strdup (line + strlen ("Listening on "));
  fixture->server.db = g_steal_pointer (&db);
  fixture->session = soup_session_new_with_options ("max-conns-per-host", 16, "max-conns", 32,
                                                    NULL);
}

/* The server still answers, stops cleanly, and the journal verifies. */
static void
fixture_finish (Fixture *fixture)
{
  g_autoptr(JsonObject) version = cd_test_call (fixture->session, fixture->server.url, "GET",
                                                 "/api/v1/version", NULL, NULL, NULL,
                                                 SOUP_STATUS_OK);

  g_assert_cmpstr (json_object_get_string_member (version, "name"), ==, "citydesk-server");
  cd_test_server_stop (&fixture->server);
  g_assert_cmpint (cd_test_verify (fixture->server.db), ==, 0);
  cd_test_server_clear (&fixture->server);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->log_path, g_free);
}

static char *
read_log (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (fixture->log_path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* One login, through a reverse proxy that says it came from @forwarded
 * when that is not %NULL; returns the status, the body in @body and
 * Retry-After (0 when absent) in @retry_after. */
static guint
try_login_from (Fixture     *fixture,
                const char  *forwarded,
                const char  *user,
                const char  *password,
                char       **body,
                guint       *retry_after)
{
  g_autofree char *url = g_strconcat (fixture->server.url, "api/v1/login", NULL);
  g_autofree char *json = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\"}", user, password);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *header;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  if (forwarded != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                  forwarded);
  answer = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  header = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After");
  if (retry_after != NULL)
    *retry_after = header != NULL ? (guint) g_ascii_strtoull (header, NULL, 10) : 0;
  if (body != NULL)
    *body = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  return soup_message_get_status (msg);
}

static guint
try_login (Fixture     *fixture,
           const char  *user,
           const char  *password,
           char       **body,
           guint       *retry_after)
{
  return try_login_from (fixture, NULL, user, password, body, retry_after);
}

static guint
get_status (Fixture    *fixture,
            const char *path,
            const char *token)
{
  guint status = 0;

  g_free (cd_test_request (fixture->session, fixture->server.url, "GET", path, token, NULL, NULL, 0,
                           &status));
  return status;
}

/* Runs citydeskctl user SUBCOMMAND --db DB NAME with @input on stdin. */
static int
ctl_user (Fixture     *fixture,
          const char  *subcommand,
          const char  *name,
          const char  *input,
          char       **err)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, cd_test_program ("CITYDESK_CTL"), "user", subcommand, "--db",
                           fixture->server.db, name, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, err, &error);
  g_assert_no_error (error);
  g_test_message ("citydeskctl user %s %s: %s", subcommand, name, out);
  return g_subprocess_get_exit_status (proc);
}

/* A slow login does not hold up other requests {{{1 */

typedef struct
{
  Fixture    *fixture;
  SoupSession *versions;
  guint       logins_done;
  guint       logins_refused;
  guint       versions_before_first_login;
  guint       versions_done;
  gboolean    version_pending;
} Race;

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Race *race = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (soup_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED)
    race->logins_refused++;
  race->logins_done++;
}

static void send_version (Race *race);

static void
on_version_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Race *race = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  race->version_pending = FALSE;
  race->versions_done++;
  if (race->logins_done == 0)
    race->versions_before_first_login++;
  if (race->logins_done < 4)
    send_version (race);
}

static void
send_version (Race *race)
{
  g_autofree char *url = g_strconcat (race->fixture->server.url, "api/v1/version", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  race->version_pending = TRUE;
  soup_session_send_and_read_async (race->versions, msg, G_PRIORITY_DEFAULT, NULL, on_version_done,
                                    race);
}

static void
test_login_off_main_loop (void)
{
  Fixture fixture = { 0 };
  Race race = { &fixture, NULL, 0, 0, 0, 0, FALSE };
  static const char * const users[] = { "a1", "a2", "a3", "a4" };

  fixture_start (&fixture, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    cd_test_add_user (fixture.server.db, users[i], "operator", NULL, "the-right-password");
  race.versions = soup_session_new ();

  /* Four wrong passwords at once: four argon2id checks, 64 MiB each. */
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *url = g_strconcat (fixture.server.url, "api/v1/login", NULL);
      g_autofree char *json = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"wrong-password\"}",
                                               users[i]);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (fixture.session, msg, G_PRIORITY_DEFAULT, NULL,
                                        on_login_done, &race);
    }
  send_version (&race);
  while (race.logins_done < 4 || race.version_pending)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("%u version answers before the first login answer, %u in all",
                  race.versions_before_first_login, race.versions_done);
  g_assert_cmpuint (race.logins_refused, ==, 4);
  /* The checks ran on workers: the main loop kept answering meanwhile. */
  g_assert_cmpuint (race.versions_before_first_login, >=, 3);

  g_clear_object (&race.versions);
  fixture_finish (&fixture);
}

/* Throttling {{{1 */

static void
assert_too_many (const char *body)
{
  g_autoptr(JsonObject) answer = cd_test_parse_object (body);

  cd_test_assert_error (answer, "too_many_requests", NULL);
}

static void
test_throttle_account (void)
{
  Fixture fixture = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *log = NULL;
  guint retry[3] = { 0 };
  guint retry_after = 0;

  fixture_start (&fixture, "login-attempts=3\nlogin-address-attempts=1000\nlogin-lockout=1\n");

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = NULL;

      g_assert_cmpuint (try_login (&fixture, "op", "wrong-password", &body, NULL), ==, 401);
      if (first == NULL)
        first = g_strdup (body);
      g_assert_cmpstr (body, ==, first);
    }

  /* Locked: even the right password is refused until the lockout ends. */
  for (guint round = 0; round < G_N_ELEMENTS (retry); round++)
    {
      g_autofree char *body = NULL;

      g_assert_cmpuint (try_login (&fixture, "op", OP_PASSWORD, &body, &retry[round]), ==, 429);
      assert_too_many (body);
      g_assert_cmpuint (retry[round], >, 0);
      /* Another account from the same address is not locked. */
      g_free (cd_test_login (fixture.session, fixture.server.url, "root", ADMIN_PASSWORD));

      g_usleep (retry[round] * G_USEC_PER_SEC + 200 * 1000);
      g_assert_cmpuint (try_login (&fixture, "op", "wrong-password", NULL, NULL), ==, 401);
    }
  g_test_message ("Retry-After: %u, %u, %u", retry[0], retry[1], retry[2]);
  /* Each failure past the limit doubles the lockout. */
  g_assert_cmpuint (retry[0], <, retry[1]);
  g_assert_cmpuint (retry[1], <, retry[2]);

  /* Once the lockout is over, the right password logs in and clears the
   * count: the next mistake is a plain 401 again. */
  while (try_login (&fixture, "op", OP_PASSWORD, NULL, &retry_after) == 429)
    g_usleep (retry_after * G_USEC_PER_SEC + 100 * 1000);
  g_assert_cmpuint (try_login (&fixture, "op", "wrong-password", NULL, NULL), ==, 401);

  /* Each failure is logged with the account and the address. */
  log = read_log (&fixture);
  g_assert_nonnull (strstr (log, "Failed login for user \"op\" from 127.0.0.1"));
  g_assert_nonnull (strstr (log, "refused: too many failed logins"));
  fixture_finish (&fixture);
}

static void
test_throttle_address (void)
{
  Fixture fixture = { 0 };
  g_autofree char *body = NULL;
  g_autofree char *log = NULL;
  guint retry_after = 0;

  fixture_start (&fixture, "login-attempts=100\nlogin-address-attempts=4\nlogin-lockout=1\n");

  /* Four names, one address: the address reaches its limit. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("guess%u", i);

      g_assert_cmpuint (try_login (&fixture, name, "wrong-password", NULL, NULL), ==, 401);
    }
  g_assert_cmpuint (try_login (&fixture, "op", OP_PASSWORD, &body, &retry_after), ==, 429);
  assert_too_many (body);
  g_assert_cmpuint (retry_after, >=, 1);

  /* A name with control characters and quotes is logged escaped, on one
   * line. */
  g_usleep (retry_after * G_USEC_PER_SEC + 200 * 1000);
  g_assert_cmpuint (try_login (&fixture, "evil\\n\\\"forged line", "x", NULL, NULL), ==, 401);
  log = read_log (&fixture);
  g_assert_nonnull (strstr (log, "Failed login for user \"guess0\" from 127.0.0.1"));
  g_assert_nonnull (strstr (log, "evil\\n\\\"forged line"));
  g_assert_null (strstr (log, "\n\"forged line"));
  fixture_finish (&fixture);
}

/* Behind a trusted reverse proxy the client's address is the proxy's
 * last hop in X-Forwarded-For: clients are throttled apart, and one
 * cannot pass as another by writing the header itself. Without the
 * proxy in trusted-proxies the header is not believed. */
static void
test_throttle_behind_proxy (void)
{
  Fixture fixture = { 0 };
  g_autofree char *log = NULL;

  fixture_start (&fixture, "login-attempts=100\nlogin-address-attempts=3\nlogin-lockout=60\n"
                           "trusted-proxies=127.0.0.1;\n");

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("guess%u", i);

      g_assert_cmpuint (try_login_from (&fixture, "203.0.113.7", name, "wrong-password", NULL,
                                        NULL),
                        ==, 401);
    }
  /* That client is locked out, even when it names another address
   * before the proxy's hop; the other clients behind the proxy are not. */
  g_assert_cmpuint (try_login_from (&fixture, "203.0.113.7", "op", OP_PASSWORD, NULL, NULL), ==,
                    429);
  g_assert_cmpuint (try_login_from (&fixture, "198.51.100.1, 203.0.113.7", "op", OP_PASSWORD, NULL,
                                    NULL),
                    ==, 429);
  g_assert_cmpuint (try_login_from (&fixture, "198.51.100.2", "op", OP_PASSWORD, NULL, NULL), ==,
                    200);
  g_assert_cmpuint (try_login_from (&fixture, "203.0.113.7, 198.51.100.3", "op", OP_PASSWORD, NULL,
                                    NULL),
                    ==, 200);
  log = read_log (&fixture);
  g_assert_nonnull (strstr (log, "Failed login for user \"guess0\" from 203.0.113.7"));
  fixture_finish (&fixture);

  /* Not a trusted proxy: the header is the client's word, and ignored. */
  fixture_start (&fixture, "login-attempts=100\nlogin-address-attempts=3\nlogin-lockout=60\n");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("guess%u", i);
      g_autofree char *forwarded = g_strdup_printf ("198.51.100.%u", i + 10);

      g_assert_cmpuint (try_login_from (&fixture, forwarded, name, "wrong-password", NULL, NULL),
                        ==, 401);
    }
  g_assert_cmpuint (try_login_from (&fixture, "198.51.100.99", "op", OP_PASSWORD, NULL, NULL), ==,
                    429);
  fixture_finish (&fixture);
}

static void
test_unknown_user (void)
{
  Fixture fixture = { 0 };
  g_autofree char *known = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *disabled = NULL;
  g_autoptr(JsonObject) answer = NULL;

  fixture_start (&fixture, NULL);
  cd_test_add_user (fixture.server.db, "gone", "operator", NULL, "gone-password-1");
  g_assert_cmpint (ctl_user (&fixture, "disable", "gone", NULL, NULL), ==, 0);

  g_assert_cmpuint (try_login (&fixture, "op", "wrong-password", &known, NULL), ==, 401);
  g_assert_cmpuint (try_login (&fixture, "nobody", "wrong-password", &unknown, NULL), ==, 401);
  g_assert_cmpuint (try_login (&fixture, "gone", "gone-password-1", &disabled, NULL), ==, 401);
  /* The same answer, byte for byte: nothing tells which. */
  g_assert_cmpstr (known, ==, unknown);
  g_assert_cmpstr (known, ==, disabled);
  answer = cd_test_parse_object (known);
  cd_test_assert_error (answer, "unauthorized", NULL);
  fixture_finish (&fixture);
}

/* Accounts from citydeskctl and the API {{{1 */

static void
test_accounts_cli (void)
{
  Fixture fixture = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *err = NULL;

  fixture_start (&fixture, NULL);
  token = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", token), ==, 200);

  /* revoke: the token stops working. */
  g_assert_cmpint (ctl_user (&fixture, "revoke", "op", NULL, NULL), ==, 0);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", token), ==, 401);

  /* disable: no login, and the new token dies with it. */
  g_free (token);
  token = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);
  g_assert_cmpint (ctl_user (&fixture, "disable", "op", NULL, NULL), ==, 0);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", token), ==, 401);
  g_assert_cmpuint (try_login (&fixture, "op", OP_PASSWORD, NULL, NULL), ==, 401);

  /* enable: logins work again; the old token stays revoked. */
  g_assert_cmpint (ctl_user (&fixture, "enable", "op", NULL, NULL), ==, 0);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", token), ==, 401);
  g_free (token);
  token = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);

  /* passwd: too short is refused; a good one replaces the old and logs
   * out whoever knew it. */
  g_assert_cmpint (ctl_user (&fixture, "passwd", "op", "short\n", &err), ==, 2);
  g_assert_nonnull (strstr (err, "10 characters"));
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", token), ==, 200);
  g_assert_cmpint (ctl_user (&fixture, "passwd", "op", "a-brand-new-password\n", NULL), ==, 0);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", token), ==, 401);
  g_assert_cmpuint (try_login (&fixture, "op", OP_PASSWORD, NULL, NULL), ==, 401);
  g_free (cd_test_login (fixture.session, fixture.server.url, "op", "a-brand-new-password"));

  /* An unknown user, and user add with a short password. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ctl_user (&fixture, "disable", "nobody", NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "nobody"));
  {
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;

    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, cd_test_program ("CITYDESK_CTL"), "user", "add", "--db",
                             fixture.server.db, "--role", "qc", "q", NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (proc, "demo\n", NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  }
  fixture_finish (&fixture);
}

/* An Open311 POST with @key: its status. */
static guint
post_with_key (Fixture    *fixture,
               const char *key)
{
  g_autofree char *url = g_strconcat (fixture->server.url, "open311/v2/requests.json", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *body = g_strdup_printf ("api_key=%s&service_code=roads&lat=53.9&long=27.5"
                                           "&address_string=Lenina%%205", key);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  answer = soup_session_send_and_read (fixture->session, msg, NULL, NULL);
  g_assert_nonnull (answer);
  return soup_message_get_status (msg);
}

/* Rotating an Open311 key: a new one for a new holder, then the old one
 * revoked; the record of both stays. */
static void
test_api_key_rotation (void)
{
  Fixture fixture = { 0 };
  g_autofree char *old_key = NULL;
  g_autofree char *new_key = NULL;
  g_autofree char *list = NULL;
  g_autofree char *err = NULL;

  fixture_start (&fixture, NULL);
  g_assert_cmpint (cd_test_ctl (&old_key, NULL, "apikey", "add", "--db", fixture.server.db,
                                "portal-2025", NULL),
                   ==, 0);
  g_strstrip (old_key);
  g_assert_cmpuint (post_with_key (&fixture, old_key), ==, 201);

  g_assert_cmpint (cd_test_ctl (&new_key, NULL, "apikey", "add", "--db", fixture.server.db,
                                "portal-2026", NULL),
                   ==, 0);
  g_strstrip (new_key);
  g_assert_cmpstr (old_key, !=, new_key);
  g_assert_cmpint (cd_test_ctl (NULL, NULL, "apikey", "revoke", "--db", fixture.server.db,
                                "portal-2025", NULL),
                   ==, 0);

  /* The running server refuses the old key at once and takes the new. */
  g_assert_cmpuint (post_with_key (&fixture, old_key), ==, 403);
  g_assert_cmpuint (post_with_key (&fixture, new_key), ==, 201);

  g_assert_cmpint (cd_test_ctl (&list, NULL, "apikey", "list", "--db", fixture.server.db, NULL), ==,
                   0);
  g_assert_nonnull (strstr (list, "portal-2025\tmade "));
  g_assert_nonnull (strstr (list, "\trevoked "));
  g_assert_nonnull (strstr (list, "portal-2026\tmade "));
  g_assert_null (strstr (list, old_key));
  g_assert_null (strstr (list, new_key));

  /* Revoking again, or an unknown holder, is an error that names it. */
  g_assert_cmpint (cd_test_ctl (NULL, &err, "apikey", "revoke", "--db", fixture.server.db,
                                "portal-2025", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err, "portal-2025"));
  fixture_finish (&fixture);
}

static void
test_accounts_api (void)
{
  Fixture fixture = { 0 };
  g_autofree char *admin = NULL;
  g_autofree char *op = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *shown;

  fixture_start (&fixture, NULL);
  admin = cd_test_login (fixture.session, fixture.server.url, "root", ADMIN_PASSWORD);
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);

  /* Not an admin: 403 on every route; no token: 401; unknown: 404. */
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/root/disable",
                         op, NULL, NULL, 403);
  cd_test_assert_error (answer, "forbidden", NULL);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/password",
                         op, NULL, "{\"password\":\"my-own-choice-1\"}", 403);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "GET", "/api/v1/users/op", op, NULL,
                         NULL, 403);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/revoke",
                         NULL, NULL, NULL, 401);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST",
                         "/api/v1/users/nobody/disable", admin, NULL, NULL, 404);
  cd_test_assert_error (answer, "not_found", NULL);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/explode",
                         admin, NULL, NULL, 404);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "GET", "/api/v1/users/op/disable",
                         admin, NULL, NULL, 405);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 200);

  /* disable: the token stops working, no login. */
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/disable",
                         admin, NULL, NULL, 200);
  g_assert_true (json_object_get_boolean_member (answer, "disabled"));
  g_assert_cmpint (json_object_get_int_member (answer, "revoked"), ==, 1);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 401);
  g_assert_cmpuint (try_login (&fixture, "op", OP_PASSWORD, NULL, NULL), ==, 401);
  answer = cd_test_call (fixture.session, fixture.server.url, "GET", "/api/v1/users/op", admin,
                         NULL, NULL, 200);
  g_assert_true (json_object_get_boolean_member (answer, "disabled"));
  g_clear_pointer (&answer, json_object_unref);

  /* enable */
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/enable",
                         admin, NULL, NULL, 200);
  g_assert_false (json_object_get_boolean_member (answer, "disabled"));
  g_clear_pointer (&answer, json_object_unref);
  g_free (op);
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);

  /* password: too short is 400 naming the field, and changes nothing. */
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/password",
                         admin, NULL, "{\"password\":\"short\"}", 400);
  cd_test_assert_error (answer, "bad_request", "password");
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/password",
                         admin, NULL, "{\"password\":7}", 400);
  cd_test_assert_error (answer, "bad_request", "password");
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 200);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/password",
                         admin, NULL, "{\"password\":\"chosen-by-the-admin\"}", 200);
  g_assert_cmpint (json_object_get_int_member (answer, "revoked"), ==, 1);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 401);
  g_assert_cmpuint (try_login (&fixture, "op", OP_PASSWORD, NULL, NULL), ==, 401);
  g_free (op);
  op = cd_test_login (fixture.session, fixture.server.url, "op", "chosen-by-the-admin");

  /* revoke */
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/revoke",
                         admin, NULL, NULL, 200);
  shown = answer;
  g_assert_cmpstr (json_object_get_string_member (shown, "user"), ==, "op");
  g_assert_cmpint (json_object_get_int_member (shown, "revoked"), ==, 1);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 401);

  /* An admin does not lock themselves out. */
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/root/disable",
                         admin, NULL, NULL, 400);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", admin), ==, 200);
  fixture_finish (&fixture);
}

/* The stream {{{1 */

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
stream_open (Fixture      *fixture,
             CdTestStream *stream,
             const char   *token)
{
  memset (stream, 0, sizeof *stream);
  cd_test_stream_open (stream, fixture->session, fixture->server.url, "?after=0", token);
  g_assert_no_error (stream->error);
}

/* Waits (at most a minute, so that a broken server fails rather than
 * hangs) for the server to close @stream; returns the close code. */
static gushort
stream_wait_closed (CdTestStream *stream)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, on_timeout, &timed_out);

  while (!stream->closed && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_true (stream->closed);
  g_test_message ("stream closed: %u %s", soup_websocket_connection_get_close_code (stream->conn),
                  soup_websocket_connection_get_close_data (stream->conn));
  return soup_websocket_connection_get_close_code (stream->conn);
}

static void
test_stream_revoked (void)
{
  Fixture fixture = { 0 };
  g_autofree char *admin = NULL;
  g_autofree char *op = NULL;
  g_autoptr(JsonObject) answer = NULL;
  CdTestStream stream;

  fixture_start (&fixture, NULL);
  admin = cd_test_login (fixture.session, fixture.server.url, "root", ADMIN_PASSWORD);

  /* An admin's revoke through the API closes it at once. */
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);
  stream_open (&fixture, &stream, op);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/revoke",
                         admin, NULL, NULL, 200);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, 4001);
  g_assert_nonnull (strstr (soup_websocket_connection_get_close_data (stream.conn), "revoked"));
  cd_test_stream_clear (&stream);

  /* citydeskctl in another process: the periodic check finds it. */
  g_free (op);
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);
  stream_open (&fixture, &stream, op);
  g_assert_cmpint (ctl_user (&fixture, "revoke", "op", NULL, NULL), ==, 0);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, 4001);
  cd_test_stream_clear (&stream);

  /* Disabled: its own reason. */
  g_free (op);
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);
  stream_open (&fixture, &stream, op);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/users/op/disable",
                         admin, NULL, NULL, 200);
  g_clear_pointer (&answer, json_object_unref);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, 4003);
  g_assert_nonnull (strstr (soup_websocket_connection_get_close_data (stream.conn), "disabled"));
  cd_test_stream_clear (&stream);

  /* Logout closes the stream of the same token. */
  g_free (op);
  op = cd_test_login (fixture.session, fixture.server.url, "root", ADMIN_PASSWORD);
  stream_open (&fixture, &stream, op);
  answer = cd_test_call (fixture.session, fixture.server.url, "POST", "/api/v1/logout", op, NULL,
                         NULL, 204);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, 4001);
  cd_test_stream_clear (&stream);
  fixture_finish (&fixture);
}

static void
test_stream_expired (void)
{
  Fixture fixture = { 0 };
  g_autofree char *op = NULL;
  CdTestStream stream;

  fixture_start (&fixture, "token-lifetime=2\n");
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);
  stream_open (&fixture, &stream, op);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, 4002);
  g_assert_nonnull (strstr (soup_websocket_connection_get_close_data (stream.conn), "expired"));
  cd_test_stream_clear (&stream);
  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 401);
  fixture_finish (&fixture);
}

static void
test_stream_inbound (void)
{
  static const struct
  {
    const char *text;
    gushort     code;
  } bad[] = {
    { "{\"type\":", SOUP_WEBSOCKET_CLOSE_BAD_DATA },
    { "{'type':'ping'}", SOUP_WEBSOCKET_CLOSE_BAD_DATA },
    { "{\"type\":\"ping\"} garbage", SOUP_WEBSOCKET_CLOSE_BAD_DATA },
    { "{\"type\":\"ping\"}{\"type\":\"ping\"}", SOUP_WEBSOCKET_CLOSE_BAD_DATA },
    { "/* ping */ {\"type\":\"ping\"}", SOUP_WEBSOCKET_CLOSE_BAD_DATA },
    { "{\"type\":\"subscribe\"}", SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION },
    { "{\"type\":\"ping\",\"extra\":1}", SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION },
    { "[1,2,3]", SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION },
    { "null", SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION },
  };
  Fixture fixture = { 0 };
  g_autofree char *op = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("\"");
  CdTestStream stream;

  fixture_start (&fixture, NULL);
  op = cd_test_login (fixture.session, fixture.server.url, "op", OP_PASSWORD);

  /* What it understands: a ping, answered. */
  stream_open (&fixture, &stream, op);
  soup_websocket_connection_send_text (stream.conn, "{\"type\":\"ping\"}");
  while (stream.messages->len == 0 && !stream.closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (stream.messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (stream.messages, 0), ==, "{\"type\":\"pong\"}");

  /* Too many messages in a row. */
  for (guint i = 0; i < 100; i++)
    soup_websocket_connection_send_text (stream.conn, "{\"type\":\"ping\"}");
  g_assert_cmpuint (stream_wait_closed (&stream), ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  cd_test_stream_clear (&stream);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      stream_open (&fixture, &stream, op);
      soup_websocket_connection_send_text (stream.conn, bad[i].text);
      g_assert_cmpuint (stream_wait_closed (&stream), ==, bad[i].code);
      g_assert_cmpstr (soup_websocket_connection_get_close_data (stream.conn), !=, "");
      cd_test_stream_clear (&stream);
      g_assert_cmpuint (get_status (&fixture, "/api/v1/version", NULL), ==, 200);
    }

  /* Deeper than the reader goes. */
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, ']');
  stream_open (&fixture, &stream, op);
  soup_websocket_connection_send_text (stream.conn, deep->str);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  cd_test_stream_clear (&stream);

  /* Larger than the stream takes. */
  for (guint i = 0; i < 64 * 1024; i++)
    g_string_append_c (huge, 'x');
  g_string_append_c (huge, '"');
  stream_open (&fixture, &stream, op);
  soup_websocket_connection_send_text (stream.conn, huge->str);
  {
    /* The server refuses it from its header and closes, with the rest of
     * the message unread: the close frame may be lost to the reset. */
    gushort code = stream_wait_closed (&stream);

    g_assert_true (code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || code == 0 ||
                   code == SOUP_WEBSOCKET_CLOSE_ABNORMAL);
  }
  cd_test_stream_clear (&stream);

  /* Binary. */
  stream_open (&fixture, &stream, op);
  soup_websocket_connection_send_binary (stream.conn, "\x00\x01\x02", 3);
  g_assert_cmpuint (stream_wait_closed (&stream), ==, SOUP_WEBSOCKET_CLOSE_UNSUPPORTED_DATA);
  cd_test_stream_clear (&stream);

  g_assert_cmpuint (get_status (&fixture, "/api/v1/events", op), ==, 200);
  fixture_finish (&fixture);
}

/* The demo never touches a real database {{{1 */

static char *
file_digest (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

static void
test_demo_refused (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *ctl_err = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  /* A real database, made with citydeskctl. */
  cd_test_add_user (db, "root", "admin", NULL, ADMIN_PASSWORD);
  before = file_digest (db);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           cd_test_program ("CITYDESK_SERVER"), "--demo", "--db", db,
                           "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), !=, 0);
  g_assert_nonnull (strstr (err, "not a demo database"));
  g_assert_null (strstr (out, "Listening on"));
  after = file_digest (db);
  g_assert_cmpstr (before, ==, after);

  /* Nor does the demo generator write its city into it. */
  g_assert_cmpint (cd_test_ctl (NULL, &ctl_err, "demo", "generate", "--db", db, "--days", "1",
                                NULL),
                   !=, 0);
  g_assert_nonnull (strstr (ctl_err, "accounts"));
  g_assert_cmpint (cd_test_verify (db), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/server-auth/login-off-main-loop", test_login_off_main_loop);
  g_test_add_func ("/server-auth/throttle-account", test_throttle_account);
  g_test_add_func ("/server-auth/throttle-address", test_throttle_address);
  g_test_add_func ("/server-auth/throttle-behind-proxy", test_throttle_behind_proxy);
  g_test_add_func ("/server-auth/unknown-user", test_unknown_user);
  g_test_add_func ("/server-auth/accounts-cli", test_accounts_cli);
  g_test_add_func ("/server-auth/accounts-api", test_accounts_api);
  g_test_add_func ("/server-auth/api-key-rotation", test_api_key_rotation);
  g_test_add_func ("/server-auth/stream-revoked", test_stream_revoked);
  g_test_add_func ("/server-auth/stream-expired", test_stream_expired);
  g_test_add_func ("/server-auth/stream-inbound", test_stream_inbound);
  g_test_add_func ("/server-auth/demo-refused", test_demo_refused);

  return g_test_run ();
}
