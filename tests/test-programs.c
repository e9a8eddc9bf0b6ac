// SPDX-License-Identifier: GPL-3.0-or-later
//
// The three programs as a user starts them: --version, --help, bad
// arguments, and the server answering on a loopback port.

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cd-test.h"

static const char *
program_path (const char *env_name)
{
  const char *path = g_getenv (env_name);

  if (path == NULL)
    g_error ("%s is not set; run the tests through meson", env_name);
  return path;
}

static void
run (const char  *program,
     const char  *arg,
     char       **out,
     char       **err,
     int         *exit_status)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, program, arg, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  *exit_status = g_subprocess_get_exit_status (proc);
}

static const struct {
  const char *env_name;
  const char *name;
} programs[] = {
  { "CITYDESK_APP", "citydesk" },
  { "CITYDESK_SERVER", "citydesk-server" },
  { "CITYDESK_CTL", "citydeskctl" },
};

static void
test_version (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strdup_printf ("%s %s\n", programs[i].name, PACKAGE_VERSION);
      int status;

      run (program_path (programs[i].env_name), "--version", &out, &err, &status);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (out, ==, expected);
    }
}

static void
test_help (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      run (program_path (programs[i].env_name), "--help", &out, &err, &status);
      g_test_message ("%s --help: %s", programs[i].name, out);
      g_assert_cmpint (status, ==, 0);
      g_assert_nonnull (strstr (out, "Usage:"));
    }
}

static void
test_bad_arguments (void)
{
  static const struct {
    const char *env_name;
    const char *arg;
    const char *expected_in_stderr;
  } cases[] = {
    { "CITYDESK_SERVER", "--no-such-option", "--no-such-option" },
    { "CITYDESK_SERVER", "--listen=nonsense:port", "nonsense:port" },
    { "CITYDESK_CTL", "frobnicate", "frobnicate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      run (program_path (cases[i].env_name), cases[i].arg, &out, &err, &status);
      g_test_message ("%s: %s", cases[i].arg, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, cases[i].expected_in_stderr));
    }
}

typedef struct
{
  GSubprocess *proc;
  char        *base_url;
} ServerFixture;

static void
server_setup (ServerFixture *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  fixture->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                    program_path ("CITYDESK_SERVER"),
                                    "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->proc));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  fixture->base_url = g_strdup (line + strlen ("Listening on "));
}

static void
server_teardown (ServerFixture *fixture,
                 gconstpointer  data)
{
  g_subprocess_send_signal (fixture->proc, SIGTERM);
  g_subprocess_wait (fixture->proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (fixture->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (fixture->proc), ==, 0);
  g_clear_object (&fixture->proc);
  g_clear_pointer (&fixture->base_url, g_free);
}

static JsonObject *
get_json (const char *base_url,
          const char *path,
          guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (base_url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                          NULL),
                   ==, "application/json");

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_server_version (ServerFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) obj = NULL;
  guint status;

  obj = get_json (fixture->base_url, "/api/v1/version", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (obj, "name"), ==, "citydesk-server");
  g_assert_cmpstr (json_object_get_string_member (obj, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (json_object_get_int_member (obj, "api"), ==, 1);
}

static void
test_server_not_found (ServerFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) obj = NULL;
  JsonObject *err;
  guint status;

  obj = get_json (fixture->base_url, "/api/v1/no-such-thing", &status);
  g_assert_cmpuint (status, ==, 404);
  err = json_object_get_object_member (obj, "error");
  g_assert_nonnull (err);
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, "not_found");
  g_assert_nonnull (
      strstr (json_object_get_string_member (err, "message"), "/api/v1/no-such-thing"));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/programs/version", test_version);
  g_test_add_func ("/programs/help", test_help);
  g_test_add_func ("/programs/bad-arguments", test_bad_arguments);
  g_test_add ("/server/version", ServerFixture, NULL, server_setup, test_server_version,
              server_teardown);
  g_test_add ("/server/not-found", ServerFixture, NULL, server_setup, test_server_not_found,
              server_teardown);

  return g_test_run ();
}
