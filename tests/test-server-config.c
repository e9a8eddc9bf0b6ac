// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydesk-server as an administrator starts it: a configuration file and
// flags over it, HTTPS, refusals of bad settings, the request log (and
// what it must never hold), and --demo with its accounts and living city.

#include "config.h"

#include <glib/gstdio.h>

#include "cd-store-users.h"
#include "cd-test.h"
#include "cd-test-server.h"

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *url;
} Spawned;

static void
spawn (Spawned            *s,
       GSubprocessFlags    flags,
       const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, (char *) cd_test_program ("CITYDESK_SERVER"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  s->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | flags, &error);
  g_assert_no_error (error);
  s->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line_utf8 (s->out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on "));
  s->url = g_strdup (line + strlen ("Listening on "));
}

static void
stop (Spawned *s)
{
  g_subprocess_send_signal (s->proc, SIGTERM);
  g_subprocess_wait (s->proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (s->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (s->proc), ==, 0);
  g_clear_object (&s->out);
  g_clear_object (&s->proc);
  g_clear_pointer (&s->url, g_free);
}

static gboolean
accept_test_certificate (SoupMessage          *msg,
                         GTlsCertificate      *certificate,
                         GTlsCertificateFlags  errors,
                         gpointer              user_data)
{
  /* Self-signed: the test trusts exactly this one. */
  return TRUE;
}

static void
test_https (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "fixtures", "server-cert.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "fixtures", "server-key.pem", NULL);
  g_autofree char *db = cd_test_new_db_path ();
  const char *args[] = { "--listen", "127.0.0.1:0", "--db", db, "--tls-cert",
                         cert, "--tls-key", key, NULL };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  Spawned s = { 0 };

  spawn (&s, G_SUBPROCESS_FLAGS_STDERR_SILENCE, args);
  g_assert_true (g_str_has_prefix (s.url, "https://127.0.0.1:"));
  url = g_strconcat (s.url, "api/v1/version", NULL);
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_test_certificate), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (soup_message_get_tls_peer_certificate (msg));
  /* Over TLS, browsers are told to stay on it. */
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Strict-Transport-Security"),
                   ==, "max-age=31536000");
  stop (&s);
}

static void
test_config_file (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *conf = g_build_filename (g_get_tmp_dir (), "server.conf", NULL);
  g_autofree char *text = g_strdup_printf ("[server]\nlisten=127.0.0.1:1\ndb=%s\nmax-body=100\n",
                                           db);
  const char *args[] = { "--config", conf, "--listen", "127.0.0.1:0", NULL };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *body = g_strnfill (200, ' ');
  Spawned s = { 0 };
  guint status = 0;

  g_file_set_contents (conf, text, -1, &error);
  g_assert_no_error (error);
  cd_test_add_user (db, "sup", "supervisor", NULL, "password-1");

  /* The flag overrides the file's port; the file's db and limit hold. */
  spawn (&s, G_SUBPROCESS_FLAGS_STDERR_SILENCE, args);
  g_assert_false (g_str_has_suffix (s.url, ":1/"));
  g_free (cd_test_login (session, s.url, "sup", "password-1"));
  answer = cd_test_request (session, s.url, "POST", "/api/v1/login", NULL, NULL, body, (gsize) -1,
                            &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  stop (&s);
}

static void
expect_refusal (const char * const *args,
                const char         *expected)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (char *) cd_test_program ("CITYDESK_SERVER"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_nonnull (strstr (err, expected));
}

static void
test_bad_settings (void)
{
  g_autofree char *conf = g_build_filename (g_get_tmp_dir (), "typo.conf", NULL);
  g_autofree char *negative = g_build_filename (g_get_tmp_dir (), "negative.conf", NULL);
  g_autoptr(GError) error = NULL;
  const char *typo[] = { "--config", conf, NULL };
  const char *bad_limit[] = { "--config", negative, NULL };
  const char *half_tls[] = { "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent.pem", NULL };
  const char *missing_file[] = { "--config", "/nonexistent/server.conf", NULL };

  g_file_set_contents (conf, "[server]\nlisten=127.0.0.1:0\nmax-bdoy=10\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (negative, "[server]\nmax-body=-5\n", -1, &error);
  g_assert_no_error (error);

  expect_refusal (typo, "max-bdoy");
  expect_refusal (bad_limit, "max-body");
  expect_refusal (half_tls, "--tls-key");
  expect_refusal (missing_file, "/nonexistent/server.conf");
}

static void
test_request_log (void)
{
  g_autofree char *db = cd_test_new_db_path ();
  const char *args[] = { "--listen", "127.0.0.1:0", "--db", db, NULL };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *token = NULL;
  g_autofree char *log = NULL;
  g_autofree char *out = NULL;
  Spawned s = { 0 };
  guint status = 0;

  cd_test_add_user (db, "sup", "supervisor", NULL, "pass-word-42");
  spawn (&s, G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  token = cd_test_login (session, s.url, "sup", "pass-word-42");
  g_free (cd_test_request (session, s.url, "GET", "/api/v1/events", token, NULL, NULL, 0, &status));
  g_assert_cmpuint (status, ==, 200);
  answer = cd_test_request (session, s.url, "GET", "/api/v1/no-such-thing?token=query-secret-7",
                            NULL, NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, 404);

  g_subprocess_send_signal (s.proc, SIGTERM);
  g_subprocess_communicate_utf8 (s.proc, NULL, NULL, &out, &log, &error);
  g_assert_no_error (error);
  g_test_message ("%s", log);
  g_assert_nonnull (strstr (log, "POST /api/v1/login 200 "));
  g_assert_nonnull (strstr (log, "GET /api/v1/events 200 "));
  g_assert_nonnull (strstr (log, "GET /api/v1/no-such-thing 404 "));
  g_assert_nonnull (strstr (log, " ms"));
  g_assert_null (strstr (log, "pass-word-42"));
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, "query-secret-7"));
  g_clear_object (&s.out);
  g_clear_object (&s.proc);
  g_clear_pointer (&s.url, g_free);
}

static gint64
feed_head (SoupSession *session,
           const char  *url,
           const char  *token)
{
  g_autoptr(JsonObject) page = cd_test_call (session, url, "GET", "/api/v1/events?limit=1", token,
                                              NULL, NULL, 200);

  return json_object_get_int_member (page, "head");
}

static void
test_demo (void)
{
  static const char * const roles[] = { "operator", "supervisor", "qc",
                                       "feedback", "executor", "admin" };
  g_autofree char *db = cd_test_new_db_path ();
  const char *args[] = { "--demo", "--db", db, "--listen", "127.0.0.1:0", "--history-days", "1",
                         "--speed", "7200", NULL };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *accounts = NULL;
  gint64 first_head, head;
  Spawned s = { 0 };
  guint polls = 0;

  spawn (&s, G_SUBPROCESS_FLAGS_STDERR_SILENCE, args);
  accounts = g_data_input_stream_read_line_utf8 (s.out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (accounts, "demo"));

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"demo\"}", roles[i]);
      g_autoptr(JsonObject) answer = cd_test_call (session, s.url, "POST", "/api/v1/login", NULL,
                                                    NULL, body, 200);

      g_assert_cmpstr (json_object_get_string_member (answer, "role"), ==, roles[i]);
      if (g_str_equal (roles[i], "executor"))
        g_assert_nonnull (json_object_get_string_member_with_default (answer, "org", NULL));
    }
  token = cd_test_login (session, s.url, "supervisor", "demo");

  /* Two simulated hours a second: the city moves while we watch. */
  first_head = feed_head (session, s.url, token);
  g_assert_cmpint (first_head, >, 1000);
  do
    {
      g_usleep (100 * 1000);
      head = feed_head (session, s.url, token);
    }
  while (head == first_head && ++polls < 600);
  g_test_message ("the demo city went from event %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                  first_head, head);
  g_assert_cmpint (head, >, first_head);

  store = cd_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_check_api_key (store, "demo", &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_check_api_key (store, "not-demo", &error));
  g_assert_error (error, CD_AUTH_ERROR, CD_AUTH_ERROR_BAD_KEY);
  g_clear_object (&store);

  stop (&s);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/server-config/https", test_https);
  g_test_add_func ("/server-config/file", test_config_file);
  g_test_add_func ("/server-config/bad-settings", test_bad_settings);
  g_test_add_func ("/server-config/request-log", test_request_log);
  g_test_add_func ("/server-config/demo", test_demo);

  return g_test_run ();
}
