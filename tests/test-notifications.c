// SPDX-License-Identifier: GPL-3.0-or-later
//
// Notifying residents (docs/notifications.md): the templates and the
// backoff schedule, pure; then a real server on 127.0.0.1 sending to a
// webhook receiver that runs in this test (a SoupServer), or to a command,
// through failures, refusals and a restart in the middle of a send.

#include "config.h"

#include <glib/gstdio.h>

#include "cd-notify-backoff.h"
#include "cd-notify-template.h"
#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"

static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"flat\":\"12\",\"name\":\"Ivan Petrov\","
  "\"phone\":\"+375 29 123-45-67\",\"description\":\"No heating\",\"executor\":\"org-a\"}";

/* Pure {{{1 */

static void
test_template_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdNotifyTemplate) template = NULL;
  g_autofree char *text = NULL;
  CdNotifyFields fields = {
    .number = "2026-000042", .category = "Heating", .address = "Lenina 5, flat 12",
    .executor = "Housing North", .state = "Closed", .date = "2026-11-24 09:30",
  };

  template = cd_notify_template_parse ("t.txt",
                                       "{number}|{category}|{address}|{executor}|{state}|"
                                       "{date}|{{literal}}\n", &error);
  g_assert_no_error (error);
  text = cd_notify_template_render (template, &fields);
  g_assert_cmpstr (text, ==, "2026-000042|Heating|Lenina 5, flat 12|Housing North|Closed|"
                   "2026-11-24 09:30|{literal}");

  /* A field without a value renders as nothing. */
  fields.executor = NULL;
  g_clear_pointer (&text, g_free);
  text = cd_notify_template_render (template, &fields);
  g_assert_cmpstr (text, ==, "2026-000042|Heating|Lenina 5, flat 12||Closed|"
                   "2026-11-24 09:30|{literal}");
}

static void
test_template_refused (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *where;
  } cases[] = {
    { "Ticket {number}\nby {exectuor}\n", CD_NOTIFY_ERROR_UNKNOWN_FIELD, "closed.txt:2:" },
    { "one\ntwo\nthree {number", CD_NOTIFY_ERROR_SYNTAX, "closed.txt:3:" },
    { "{}", CD_NOTIFY_ERROR_SYNTAX, "closed.txt:1:" },
    { "a } b", CD_NOTIFY_ERROR_SYNTAX, "closed.txt:1:" },
    { "{number\n}", CD_NOTIFY_ERROR_SYNTAX, "closed.txt:1:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdNotifyTemplate) template = cd_notify_template_parse ("closed.txt",
                                                                       cases[i].text, &error);

      g_assert_null (template);
      g_assert_error (error, CD_NOTIFY_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, cases[i].where));
    }
}

static void
test_backoff (void)
{
  guint n;
  const gint64 *delays = cd_notify_backoff_default (&n);
  const gint64 expected[] = { 60, 300, 1800, 7200, 21600 };
  gint64 delay = -1;

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  for (guint attempts = 1; attempts <= n; attempts++)
    {
      g_assert_true (cd_notify_backoff_next (delays, n, attempts, &delay));
      g_assert_cmpint (delay, ==, expected[attempts - 1]);
    }
  /* The sixth failure is the last. */
  g_assert_false (cd_notify_backoff_next (delays, n, n + 1, &delay));
}

/* A server and a receiver {{{1 */

typedef struct
{
  SoupServer  *soup;
  char        *url;
  /* What the receiver answers to each POST in turn; then 200. */
  const guint *script;
  guint        n_script;
  guint        posts;
  /* Keys accepted (a 2xx given), each once: a repeat is answered 200
   * and not accepted again, as an idempotent gateway does. */
  GHashTable  *accepted;
  guint        duplicates;
  GPtrArray   *keys;
  char        *last_body;
  /* Hold the next POST unanswered (to stop the server meanwhile). */
  gboolean     hold;
  SoupServerMessage *held;
} Receiver;

static void
on_post (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Receiver *r = user_data;
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  guint status = r->posts < r->n_script ? r->script[r->posts] : SOUP_STATUS_OK;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  r->posts++;
  g_assert_nonnull (key);
  g_ptr_array_add (r->keys, g_strdup (key));
  g_free (r->last_body);
  r->last_body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (g_hash_table_contains (r->accepted, key))
        r->duplicates++;
      else
        g_hash_table_add (r->accepted, g_strdup (key));
    }
  if (r->hold)
    {
      r->hold = FALSE;
      r->held = g_object_ref (msg);
      soup_server_message_pause (msg);
      return;
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static void
receiver_start (Receiver    *r,
                const guint *script,
                guint        n_script)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  r->soup = soup_server_new (NULL, NULL);
  r->script = script;
  r->n_script = n_script;
  r->accepted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->keys = g_ptr_array_new_with_free_func (g_free);
  soup_server_add_handler (r->soup, "/send", on_post, r, NULL);
  soup_server_listen_local (r->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (r->soup);
  r->url = g_strdup_printf ("http://127.0.0.1:%d/send", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
receiver_clear (Receiver *r)
{
  g_clear_object (&r->held);
  g_clear_object (&r->soup);
  g_clear_pointer (&r->url, g_free);
  g_clear_pointer (&r->accepted, g_hash_table_unref);
  g_clear_pointer (&r->keys, g_ptr_array_unref);
  g_clear_pointer (&r->last_body, g_free);
}

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *db;
  char         *config;
  char         *executor;
  char         *supervisor;
} World;

/* A database with accounts and a server whose [server] group holds
 * @settings (lines "key = value"). */
static void
world_start (World      *w,
             const char *settings)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *extra[3] = { "--config", NULL, NULL };

  w->db = cd_test_new_db_path ();
  cd_test_add_user (w->db, "exec", "executor", "org-a", "s3cret-password");
  cd_test_add_user (w->db, "super", "supervisor", NULL, "s3cret-password");
  cd_test_add_user (w->db, "op", "operator", NULL, "s3cret-password");
  {
    g_autofree char *dir = g_path_get_dirname (w->db);

    w->config = g_build_filename (dir, "server.conf", NULL);
  }
  text = g_strdup_printf ("[server]\n%s\n", settings);
  g_file_set_contents (w->config, text, -1, &error);
  g_assert_no_error (error);
  extra[1] = w->config;
  cd_test_server_start_full (&w->server, w->db, extra, FALSE);
  w->session = soup_session_new ();
  w->executor = cd_test_login (w->session, w->server.url, "exec", "s3cret-password");
  w->supervisor = cd_test_login (w->session, w->server.url, "super", "s3cret-password");
}

static void
world_restart (World *w)
{
  const char *extra[] = { "--config", w->config, NULL };

  cd_test_server_start_full (&w->server, w->db, extra, FALSE);
  g_free (w->executor);
  g_free (w->supervisor);
  w->executor = cd_test_login (w->session, w->server.url, "exec", "s3cret-password");
  w->supervisor = cd_test_login (w->session, w->server.url, "super", "s3cret-password");
}

static void
world_clear (World *w)
{
  g_assert_cmpint (cd_test_verify (w->db), ==, 0);
  cd_test_server_clear (&w->server);
  g_clear_object (&w->session);
  g_clear_pointer (&w->db, g_free);
  g_clear_pointer (&w->config, g_free);
  g_clear_pointer (&w->executor, g_free);
  g_clear_pointer (&w->supervisor, g_free);
}

/* Registers a ticket with a phone and resolves it: one notification. */
static char *
resolve_one (World *w)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonObject) answer = cd_test_call (w->session, w->server.url, "POST",
                                                "/api/v1/tickets", w->supervisor, key,
                                                registration, SOUP_STATUS_CREATED);
  char *number = g_strdup (json_object_get_string_member (
      json_object_get_object_member (answer, "ticket"), "number"));
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  const char *steps[] = { "{\"action\":\"accept\"}", "{\"action\":\"resolve\"}" };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *step_key = g_uuid_string_random ();
      g_autoptr(JsonObject) done = cd_test_call (w->session, w->server.url, "POST", path,
                                                 w->executor, step_key, steps[i],
                                                 SOUP_STATUS_OK);
    }
  return number;
}

/* The queue as the API lists it, with @state or all. */
static JsonArray *
list_notifications (World      *w,
                    const char *state)
{
  g_autofree char *path = state != NULL
                            ? g_strdup_printf ("/api/v1/notifications?state=%s", state)
                            : g_strdup ("/api/v1/notifications");
  g_autoptr(JsonObject) answer = cd_test_call (w->session, w->server.url, "GET", path,
                                               w->supervisor, NULL, NULL, SOUP_STATUS_OK);

  return json_array_ref (json_object_get_array_member (answer, "notifications"));
}

typedef struct
{
  World      *world;
  const char *state;
  guint       n;
} StateWait;

static gboolean
has_state (gpointer data)
{
  StateWait *wait = data;
  g_autoptr(JsonArray) rows = list_notifications (wait->world, wait->state);

  if (json_array_get_length (rows) >= wait->n)
    return TRUE;
  /* Poll gently: the sender looks once a second. */
  g_usleep (100 * 1000);
  return FALSE;
}

static void
wait_for_state (World      *w,
                const char *state,
                guint       n)
{
  StateWait wait = { w, state, n };

  cd_test_wait_for (has_state, &wait, state);
}

/* Webhook {{{1 */

static void
test_webhook_retries (void)
{
  static const guint script[] = { 503, 503 };
  Receiver r = { 0 };
  World w = { 0 };
  g_autofree char *settings = NULL;
  g_autofree char *number = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *row;

  receiver_start (&r, script, G_N_ELEMENTS (script));
  settings = g_strdup_printf ("notify-webhook = %s\nnotify-backoff = 1;1;1\n", r.url);
  world_start (&w, settings);
  number = resolve_one (&w);

  wait_for_state (&w, "sent", 1);
  rows = list_notifications (&w, NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "ticket"), ==, number);
  g_assert_cmpstr (json_object_get_string_member (row, "state"), ==, "sent");
  g_assert_cmpstr (json_object_get_string_member (row, "kind"), ==, "resolved");
  g_assert_cmpstr (json_object_get_string_member (row, "channel"), ==, "sms");
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 3);
  /* The supervisor sees the phone: a full reader of personal data. */
  g_assert_cmpstr (json_object_get_string_member (row, "recipient"), ==, "+375 29 123-45-67");

  /* Three posts, one key, one message accepted. */
  g_assert_cmpuint (r.posts, ==, 3);
  g_assert_cmpuint (g_hash_table_size (r.accepted), ==, 1);
  g_assert_cmpuint (r.duplicates, ==, 0);
  g_assert_cmpstr (r.keys->pdata[0], ==, r.keys->pdata[1]);
  g_assert_cmpstr (r.keys->pdata[1], ==, r.keys->pdata[2]);
  g_assert_cmpstr (r.keys->pdata[0], ==, json_object_get_string_member (row, "key"));

  /* The body: who, how, what, about which ticket, from the template. */
  body = cd_test_parse_object (r.last_body);
  g_assert_cmpstr (json_object_get_string_member (body, "recipient"), ==, "+375 29 123-45-67");
  g_assert_cmpstr (json_object_get_string_member (body, "channel"), ==, "sms");
  g_assert_cmpstr (json_object_get_string_member (body, "ticket"), ==, number);
  g_assert_nonnull (strstr (json_object_get_string_member (body, "text"), number));
  g_assert_null (strstr (json_object_get_string_member (body, "text"), "{"));

  world_clear (&w);
  receiver_clear (&r);
}

static void
test_webhook_refused (void)
{
  static const guint script[] = { 400 };
  Receiver r = { 0 };
  World w = { 0 };
  g_autofree char *settings = NULL;
  g_autofree char *number = NULL;
  g_autofree char *out = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) refused = NULL;
  JsonArray *listed;
  JsonObject *row;

  receiver_start (&r, script, G_N_ELEMENTS (script));
  settings = g_strdup_printf ("notify-webhook = %s\nnotify-backoff = 1\n", r.url);
  world_start (&w, settings);
  number = resolve_one (&w);

  wait_for_state (&w, "failed", 1);
  rows = list_notifications (&w, "failed");
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "ticket"), ==, number);
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (row, "last_error"), "400"));
  g_assert_cmpuint (r.posts, ==, 1);
  g_assert_cmpuint (g_hash_table_size (r.accepted), ==, 0);

  /* An operator does not read the queue. */
  {
    g_autofree char *op = cd_test_login (w.session, w.server.url, "op", "s3cret-password");

    refused = cd_test_call (w.session, w.server.url, "GET", "/api/v1/notifications", op, NULL,
                            NULL, SOUP_STATUS_FORBIDDEN);
    cd_test_assert_error (refused, "forbidden", NULL);
  }

  /* The command line lists it too, and puts it back for one more try,
   * which the receiver (past its script) accepts. */
  g_assert_cmpint (cd_test_ctl (&out, NULL, "notifications", "list", "--db", w.db, "--state",
                                "failed", "--json", NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  listed = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (listed), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, 0),
                                                  "ticket"), ==, number);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (row, "id"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "notifications", "retry", "--db", w.db, id, NULL),
                   ==, 0);
  wait_for_state (&w, "sent", 1);
  g_assert_cmpuint (r.posts, ==, 2);
  g_assert_cmpuint (g_hash_table_size (r.accepted), ==, 1);
  /* A sent one is not retried. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "notifications", "retry", "--db", w.db, id, NULL),
                   ==, 2);

  world_clear (&w);
  receiver_clear (&r);
}

static gboolean
is_held (gpointer data)
{
  return ((Receiver *) data)->held != NULL;
}

/* Registers a ticket and has the executor accept it. */
static char *
accept_one (World *w)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *step_key = g_uuid_string_random ();
  g_autoptr(JsonObject) answer = cd_test_call (w->session, w->server.url, "POST",
                                                "/api/v1/tickets", w->supervisor, key,
                                                registration, SOUP_STATUS_CREATED);
  char *number = g_strdup (json_object_get_string_member (
      json_object_get_object_member (answer, "ticket"), "number"));
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  g_autoptr(JsonObject) done = cd_test_call (w->session, w->server.url, "POST", path,
                                             w->executor, step_key, "{\"action\":\"accept\"}",
                                             SOUP_STATUS_OK);

  return number;
}

static void
test_restart (void)
{
  Receiver r = { 0 };
  World w = { 0 };
  g_autofree char *settings = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) rows = NULL;
  JsonArray *listed;

  receiver_start (&r, NULL, 0);
  settings = g_strdup_printf ("notify-webhook = %s\nnotify-backoff = 1\n", r.url);
  world_start (&w, settings);
  second = accept_one (&w);

  /* The receiver takes the message and the server stops before it hears
   * the answer: the row is left `sending`. */
  r.hold = TRUE;
  first = resolve_one (&w);
  cd_test_wait_for (is_held, &r, "the first post");
  cd_test_server_kill (&w.server);
  soup_server_message_set_status (r.held, SOUP_STATUS_OK, NULL);
  soup_server_message_unpause (r.held);

  /* While the server is down, the command line resolves a ticket: its
   * message is queued with the event all the same. */
  g_assert_cmpint (cd_test_ctl (&out, NULL, "ticket", "act", "--db", w.db, second, "resolve",
                                "--as", "executor", "--org", "org-a", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "notifications", "list", "--db", w.db, "--json",
                                NULL), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  listed = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (listed), ==, 2);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, 0),
                                                  "state"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, 0),
                                                  "ticket"), ==, second);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (listed, 1),
                                                  "state"), ==, "sending");

  world_restart (&w);
  wait_for_state (&w, "sent", 2);
  rows = list_notifications (&w, NULL);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  /* The first message twice under one key, the second once: each
   * accepted once. */
  g_assert_cmpuint (r.posts, ==, 3);
  g_assert_cmpuint (g_hash_table_size (r.accepted), ==, 2);
  g_assert_cmpuint (r.duplicates, ==, 1);

  world_clear (&w);
  receiver_clear (&r);
}

/* Command {{{1 */

static void
test_command (void)
{
  World w = { 0 };
  g_autofree char *dir = NULL;
  g_autofree char *script = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *row;

  dir = g_dir_make_tmp ("notify-command-XXXXXX", &error);
  g_assert_no_error (error);
  script = g_build_filename (dir, "send.sh", NULL);
  sent = g_build_filename (dir, "sent.txt", NULL);
  /* Fails the first time (no mark yet), then appends the message. */
  text = g_strdup_printf ("#!/bin/sh\n"
                          "if [ ! -e \"%s/tried\" ]; then touch \"%s/tried\"; "
                          "echo 'gateway down' >&2; exit 1; fi\n"
                          "printf '%%s %%s %%s ' \"$CITYDESK_NOTIFICATION_ID\" \"$1\" \"$2\" >> "
                          "\"%s\"\n"
                          "cat >> \"%s\"\necho >> \"%s\"\n",
                          dir, dir, sent, sent, sent);
  g_file_set_contents (script, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);

  settings = g_strdup_printf ("notify-command = '%s' --to {recipient}\nnotify-backoff = 1\n",
                              script);
  world_start (&w, settings);
  number = resolve_one (&w);
  wait_for_state (&w, "sent", 1);

  rows = list_notifications (&w, "sent");
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpint (json_object_get_int_member (row, "attempts"), ==, 2);
  g_clear_pointer (&text, g_free);
  g_file_get_contents (sent, &text, NULL, &error);
  g_assert_no_error (error);
  /* One line: the key, the argument, the text with the ticket's number. */
  g_assert_true (g_str_has_prefix (text, json_object_get_string_member (row, "key")));
  g_assert_nonnull (strstr (text, " --to "));
  g_assert_nonnull (strstr (text, number));
  g_assert_nonnull (strstr (text, "+375 29 123-45-67"));
  g_assert_null (strchr (strchr (text, '\n') + 1, '\n'));
  g_assert_cmpint (g_unlink (script), ==, 0);

  world_clear (&w);
}

/* A template with a mistake stops the server at start, naming it. */
static void
test_bad_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *templates = g_build_filename (dir, "templates", NULL);
  g_autofree char *resolved = g_build_filename (templates, "resolved.txt", NULL);
  g_autofree char *closed = g_build_filename (templates, "closed.txt", NULL);
  g_autofree char *config = g_build_filename (dir, "server.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *where = NULL;

  g_assert_cmpint (g_mkdir (templates, 0700), ==, 0);
  g_file_set_contents (resolved, "Ticket {number} resolved.\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (closed, "Ticket {number}\nclosed on {dat}.\n", -1, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("[server]\nnotify-file = %s/out.txt\nnotify-templates = %s\n", dir,
                          templates);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, cd_test_program ("CITYDESK_SERVER"), "--listen",
                           "127.0.0.1:0", "--db", db, "--config", config, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 2);
  g_assert_cmpstr (out, ==, "");
  where = g_strdup_printf ("%s:2:", closed);
  g_assert_nonnull (strstr (err, where));
  g_assert_nonnull (strstr (err, "{dat}"));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notify/template/fields", test_template_fields);
  g_test_add_func ("/notify/template/refused", test_template_refused);
  g_test_add_func ("/notify/backoff", test_backoff);
  g_test_add_func ("/notify/template/refused-at-start", test_bad_template);
  g_test_add_func ("/notify/webhook/retries", test_webhook_retries);
  g_test_add_func ("/notify/webhook/refused", test_webhook_refused);
  g_test_add_func ("/notify/command", test_command);
  g_test_add_func ("/notify/restart", test_restart);
  return g_test_run ();
}
