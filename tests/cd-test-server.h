// SPDX-License-Identifier: GPL-3.0-or-later
//
// What the server tests share: a real citydesk-server on 127.0.0.1 port 0
// over a real SQLite file, accounts made with citydeskctl, and small
// synchronous HTTP calls. Functions are static inline so that each test
// uses only what it needs.

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

typedef struct
{
  GSubprocess *proc;
  char        *url;
  char        *db;
} CdTestServer;

static inline const char *
cd_test_program (const char *env_name)
{
  const char *path = g_getenv (env_name);

  if (path == NULL)
    g_error ("%s is not set; run the tests through meson", env_name);
  return path;
}

/* A new temporary directory's database path (the file does not exist). */
static inline char *
cd_test_new_db_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("citydesk-server-test-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, "server.db", NULL);
}

static inline void
cd_test_add_user (const char *db,
                  const char *name,
                  const char *role,
                  const char *org,
                  const char *password)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (org != NULL)
    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             cd_test_program ("CITYDESK_CTL"), "user", "add", "--db", db,
                             "--role", role, "--org", org, name, NULL);
  else
    proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             cd_test_program ("CITYDESK_CTL"), "user", "add", "--db", db,
                             "--role", role, name, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (proc) != 0)
    g_error ("citydeskctl user add %s: %s", name, err);
}

static inline int
cd_test_verify (const char *db)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                           cd_test_program ("CITYDESK_CTL"), "verify", "--db", db, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("verify: %s%s", out, err);
  return g_subprocess_get_exit_status (proc);
}

/* Starts the server; @extra is NULL or a NULL-terminated list of more
 * arguments. The request log goes to /dev/null unless @keep_log. */
static inline void
cd_test_server_start_full (CdTestServer       *server,
                           const char         *db,
                           const char * const *extra,
                           gboolean            keep_log)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *line = NULL;

  g_ptr_array_add (argv, (char *) cd_test_program ("CITYDESK_SERVER"));
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);

  server->proc = g_subprocess_newv ((const char * const *) argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                    (keep_log ? 0 : G_SUBPROCESS_FLAGS_STDERR_SILENCE),
                                    &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on http://127.0.0.1:"));
  server->url = g_strdup (line + strlen ("Listening on "));
  if (server->db != db)
    {
      g_free (server->db);
      server->db = g_strdup (db);
    }
}

static inline void
cd_test_server_start (CdTestServer *server,
                      const char   *db)
{
  cd_test_server_start_full (server, db, NULL, FALSE);
}

static inline void
cd_test_server_stop (CdTestServer *server)
{
  if (server->proc == NULL)
    return;
  g_subprocess_send_signal (server->proc, SIGTERM);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (server->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (server->proc), ==, 0);
  g_clear_object (&server->proc);
  g_clear_pointer (&server->url, g_free);
}

static inline void
cd_test_server_kill (CdTestServer *server)
{
  g_subprocess_send_signal (server->proc, SIGKILL);
  g_subprocess_wait (server->proc, NULL, NULL);
  g_clear_object (&server->proc);
  g_clear_pointer (&server->url, g_free);
}

static inline void
cd_test_server_clear (CdTestServer *server)
{
  cd_test_server_stop (server);
  g_clear_pointer (&server->db, g_free);
}

/* One request; returns the body as text (NUL-terminated) and the status,
 * 0 when the server did not answer. */
static inline char *
cd_test_request (SoupSession  *session,
                 const char   *base_url,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *key,
                 const char   *body,
                 gsize         body_len,
                 guint        *status)
{
  g_autofree char *url = g_strconcat (base_url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body,
                                              body_len == (gsize) -1 ? strlen (body) : body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL)
    {
      *status = 0;
      return NULL;
    }
  *status = soup_message_get_status (msg);
  data = g_bytes_get_data (answer, &len);
  return g_strndup (data != NULL ? data : "", len);
}

static inline JsonObject *
cd_test_parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

/* A request whose answer must be JSON with @expected status. */
static inline JsonObject *
cd_test_call (SoupSession *session,
              const char  *base_url,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *key,
              const char  *body,
              guint        expected)
{
  guint status = 0;
  g_autofree char *text = cd_test_request (session, base_url, method, path, token, key,
                                           body, (gsize) -1, &status);

  if (status != expected)
    g_test_message ("%s %s -> %u %s", method, path, status, text ? text : "(no answer)");
  g_assert_cmpuint (status, ==, expected);
  if (status == SOUP_STATUS_NO_CONTENT)
    return NULL;
  return cd_test_parse_object (text);
}

/* Asserts the error shape and returns its code. */
static inline void
cd_test_assert_error (JsonObject *answer,
                      const char *code,
                      const char *field)
{
  JsonObject *error;

  g_assert_true (json_object_has_member (answer, "error"));
  error = json_object_get_object_member (answer, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member_with_default (error, "message", ""), !=, "");
  if (field != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (error, "field", ""), ==, field);
}

static inline char *
cd_test_login (SoupSession *session,
               const char  *base_url,
               const char  *user,
               const char  *password)
{
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\"}", user, password);
  g_autoptr(JsonObject) answer = cd_test_call (session, base_url, "POST", "/api/v1/login",
                                               NULL, NULL, body, SOUP_STATUS_OK);

  return g_strdup (json_object_get_string_member (answer, "token"));
}
