// SPDX-License-Identifier: GPL-3.0-or-later
//
// The API v1 through a real citydesk-server: login and role refusals,
// registering and every transition, idempotent retries, the error shapes,
// feed paging across thousands of events, gzip, and the WebSocket stream.

#include "config.h"

#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-stream.h"

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *operator;
  char         *supervisor;
  char         *qc;
  char         *feedback;
  char         *executor;
  char         *other_executor;
  char         *admin;
} Api;

/* One server for the small cases; the feed has its own, bigger one. */
static Api api;

static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"flat\":\"12\",\"name\":\"Ivan Petrov\","
  "\"phone\":\"+375 29 123-45-67\",\"description\":\"No heating\",\"executor\":\"org-a\"}";

static char *
new_key (void)
{
  return g_uuid_string_random ();
}

static const char *
ticket_state (JsonObject *answer)
{
  return json_object_get_string_member (json_object_get_object_member (answer, "ticket"), "state");
}

static char *
register_ticket (const char *token,
                 const char *body)
{
  g_autofree char *key = new_key ();
  g_autoptr(JsonObject) answer = cd_test_call (api.session, api.server.url, "POST",
                                                "/api/v1/tickets", token, key, body,
                                                SOUP_STATUS_CREATED);

  return g_strdup (
      json_object_get_string_member (json_object_get_object_member (answer, "ticket"), "number"));
}

/* Acts and returns the answer; @expected is the status. */
static JsonObject *
act (const char *token,
     const char *number,
     const char *body,
     guint       expected)
{
  g_autofree char *key = new_key ();
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);

  return cd_test_call (api.session, api.server.url, "POST", path, token, key, body, expected);
}

static void
act_to (const char *token,
        const char *number,
        const char *body,
        const char *state)
{
  g_autoptr(JsonObject) answer = act (token, number, body, SOUP_STATUS_OK);

  g_assert_cmpstr (ticket_state (answer), ==, state);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "events")), ==, 1);
}

static void
test_login (void)
{
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) wrong_user = NULL;
  g_autoptr(JsonObject) wrong_password = NULL;
  g_autofree char *token = NULL;
  g_autofree char *message_user = NULL;

  answer = cd_test_call (api.session, api.server.url, "POST", "/api/v1/login", NULL, NULL,
                         "{\"user\":\"super\",\"password\":\"s3cret-password\"}", SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (answer, "role"), ==, "supervisor");
  g_assert_cmpstr (json_object_get_string_member (answer, "user"), ==, "super");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (answer, "expires"), "Z"));
  token = g_strdup (json_object_get_string_member (answer, "token"));
  /* 32 random bytes in unpadded base64url. */
  g_assert_cmpuint (strlen (token), ==, 43);

  wrong_password = cd_test_call (api.session, api.server.url, "POST", "/api/v1/login", NULL, NULL,
                                 "{\"user\":\"super\",\"password\":\"nope\"}",
                                 SOUP_STATUS_UNAUTHORIZED);
  cd_test_assert_error (wrong_password, "unauthorized", NULL);
  wrong_user = cd_test_call (api.session, api.server.url, "POST", "/api/v1/login", NULL, NULL,
                             "{\"user\":\"nobody\",\"password\":\"nope\"}",
                             SOUP_STATUS_UNAUTHORIZED);
  cd_test_assert_error (wrong_user, "unauthorized", NULL);
  /* The same words for both, so that user names cannot be probed. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (wrong_user,
                                                                                 "error"),
                                                  "message"),
                   ==,
                   json_object_get_string_member (json_object_get_object_member (wrong_password,
                                                                                 "error"),
                                                  "message"));

  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/events", token, NULL, NULL,
                         SOUP_STATUS_OK);
  g_assert_null (cd_test_call (api.session, api.server.url, "POST", "/api/v1/logout", token, NULL,
                               NULL, SOUP_STATUS_NO_CONTENT));
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/events", token, NULL, NULL,
                         SOUP_STATUS_UNAUTHORIZED);
  cd_test_assert_error (answer, "unauthorized", NULL);
}

static void
test_transitions (void)
{
  g_autofree char *number = NULL;
  g_autofree char *second = NULL;
  g_autofree char *complaint = NULL;
  g_autofree char *path = NULL;
  g_autofree char *link = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autofree char *complaint_body = NULL;

  number = register_ticket (api.operator, registration);
  path = g_strdup_printf ("/api/v1/tickets/%s", number);
  shown = cd_test_call (api.session, api.server.url, "GET", path, api.operator, NULL, NULL,
                        SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (shown, "state"), ==, "assigned");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shown, "events")), ==, 2);
  g_assert_true (json_object_has_member (shown, "clocks"));

  /* Another organization's executor may not touch it. */
  answer = act (api.other_executor, number, "{\"action\":\"accept\"}", SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (answer, "forbidden", NULL);
  g_clear_pointer (&answer, json_object_unref);

  act_to (api.executor, number, "{\"action\":\"accept\"}", "accepted");
  act_to (api.executor, number, "{\"action\":\"start\"}", "in_progress");
  act_to (api.executor, number, "{\"action\":\"wait\",\"note\":\"No access to the flat\"}",
          "waiting");
  act_to (api.operator, number, "{\"action\":\"resume\"}", "in_progress");
  act_to (api.executor, number, "{\"action\":\"resolve\",\"note\":\"Valve replaced\"}", "resolved");
  act_to (api.qc, number, "{\"action\":\"reopen\",\"note\":\"Still cold\"}", "reopened");
  act_to (api.executor, number, "{\"action\":\"accept\"}", "accepted");
  act_to (api.executor, number, "{\"action\":\"resolve\"}", "resolved");
  act_to (api.feedback, number, "{\"action\":\"close\"}", "closed");
  act_to (api.qc, number, "{\"action\":\"comment\",\"note\":\"Checked the recording\"}", "closed");

  /* The table refuses from the wrong state (409) and the wrong role (403). */
  answer = act (api.feedback, number, "{\"action\":\"close\"}", SOUP_STATUS_CONFLICT);
  cd_test_assert_error (answer, "invalid_transition", NULL);
  g_clear_pointer (&answer, json_object_unref);

  second = register_ticket (
      api.operator, "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"North\","
                    "\"street\":\"Pobedy\",\"building\":\"7\"}");
  answer = act (api.qc, second, "{\"action\":\"assign\",\"executor\":\"org-a\"}",
                SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (answer, "forbidden", NULL);
  g_clear_pointer (&answer, json_object_unref);
  act_to (api.supervisor, second, "{\"action\":\"assign\",\"executor\":\"org-b\"}", "assigned");
  act_to (api.operator, second, "{\"action\":\"escalate\",\"note\":\"Third call\"}", "assigned");
  link = g_strdup_printf ("{\"action\":\"link\",\"relation\":\"duplicate_of\",\"target\":\"%s\"}",
                          number);
  act_to (api.operator, second, link, "assigned");
  act_to (api.other_executor, second, "{\"action\":\"accept\"}", "accepted");
  act_to (api.other_executor, second, "{\"action\":\"resolve\"}", "resolved");
  act_to (api.feedback, second, "{\"action\":\"close_unconfirmed\"}", "closed_unconfirmed");

  complaint_body = g_strdup (
      "{\"kind\":\"complaint\",\"category\":\"housing.heating\",\"district\":\"South\","
      "\"street\":\"Mira\",\"building\":\"1\"}");
  complaint = register_ticket (api.supervisor, complaint_body);
  act_to (api.qc, complaint, "{\"action\":\"refuse\",\"note\":\"Not our responsibility\"}",
          "refused");

  g_clear_pointer (&number, g_free);
  number = register_ticket (api.admin, complaint_body);
  act_to (api.operator, number, "{\"action\":\"cancel\",\"note\":\"Withdrawn by the resident\"}",
          "cancelled");

  /* An executor may not register. */
  {
    g_autofree char *key = new_key ();

    answer = cd_test_call (api.session, api.server.url, "POST", "/api/v1/tickets", api.executor,
                           key, registration, SOUP_STATUS_FORBIDDEN);
    cd_test_assert_error (answer, "forbidden", NULL);
  }
}

static void
test_phone_masking (void)
{
  g_autofree char *number = register_ticket (api.operator, registration);
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", number);
  g_autoptr(JsonObject) executor_view = NULL;
  g_autoptr(JsonObject) supervisor_view = NULL;
  g_autoptr(JsonObject) list = NULL;
  JsonArray *events;

  executor_view = cd_test_call (api.session, api.server.url, "GET", path, api.executor, NULL, NULL,
                                SOUP_STATUS_OK);
  supervisor_view = cd_test_call (api.session, api.server.url, "GET", path, api.supervisor, NULL,
                                  NULL, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (executor_view,
                                                                                 "resident"),
                                                  "phone"),
                   ==, "+375 29 ***-**-67");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (supervisor_view,
                                                                                 "resident"),
                                                  "phone"),
                   ==, "+375 29 123-45-67");
  events = json_object_get_array_member (executor_view, "events");
  g_assert_null (
      strstr (json_object_get_string_member (json_array_get_object_element (events, 0), "payload"),
              "123-45-67"));

  list = cd_test_call (api.session, api.server.url, "GET",
                       "/api/v1/tickets?executor=org-a&limit=1000", api.qc, NULL, NULL,
                       SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (list, "total"), >=, 1);
  for (guint i = 0; i < json_array_get_length (json_object_get_array_member (list, "tickets")); i++)
    {
      JsonObject *t = json_array_get_object_element (json_object_get_array_member (list, "tickets"),
                                                     i);
      const char *phone =
          json_object_get_string_member_with_default (json_object_get_object_member (t, "resident"),
                                                      "phone", NULL);

      g_assert_cmpstr (json_object_get_string_member (t, "executor"), ==, "org-a");
      if (phone != NULL)
        g_assert_nonnull (strstr (phone, "***"));
    }
}

static guint
count_events (const char *number,
              const char *type)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s", number);
  g_autoptr(JsonObject) shown = cd_test_call (api.session, api.server.url, "GET", path,
                                               api.supervisor, NULL, NULL, SOUP_STATUS_OK);
  JsonArray *events = json_object_get_array_member (shown, "events");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (events, i),
                                                    "type"),
                     type))
      n++;
  return n;
}

static void
test_idempotency (void)
{
  g_autofree char *key = new_key ();
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *action_path = NULL;
  g_autofree char *first_action = NULL;
  g_autofree char *again_action = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) conflict = NULL;
  g_autoptr(JsonObject) missing = NULL;
  const char *number;
  guint status = 0;

  first = cd_test_request (api.session, api.server.url, "POST", "/api/v1/tickets", api.operator,
                           key, registration, (gsize) -1, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
  again = cd_test_request (api.session, api.server.url, "POST", "/api/v1/tickets", api.operator,
                           key, registration, (gsize) -1, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
  g_assert_cmpstr (first, ==, again);

  answer = cd_test_parse_object (first);
  number = json_object_get_string_member (json_object_get_object_member (answer, "ticket"),
                                          "number");
  g_assert_cmpuint (count_events (number, "register"), ==, 1);

  conflict = cd_test_call (
      api.session, api.server.url, "POST", "/api/v1/tickets", api.operator, key,
      "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
      "\"street\":\"Lenina\",\"building\":\"6\"}",
      SOUP_STATUS_CONFLICT);
  cd_test_assert_error (conflict, "conflict", "Idempotency-Key");

  missing = cd_test_call (api.session, api.server.url, "POST", "/api/v1/tickets", api.operator,
                          NULL, registration, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (missing, "bad_request", "Idempotency-Key");

  /* An action retried: the same bytes, one event. */
  g_free (key);
  key = new_key ();
  action_path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  first_action = cd_test_request (api.session, api.server.url, "POST", action_path, api.qc, key,
                                  "{\"action\":\"comment\",\"note\":\"once\"}", (gsize) -1,
                                  &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  again_action = cd_test_request (api.session, api.server.url, "POST", action_path, api.qc, key,
                                  "{\"action\":\"comment\",\"note\":\"once\"}", (gsize) -1,
                                  &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (first_action, ==, again_action);
  g_assert_cmpuint (count_events (number, "comment"), ==, 1);

  /* A refusal is the first answer too. */
  g_free (key);
  key = new_key ();
  g_clear_pointer (&first_action, g_free);
  g_clear_pointer (&again_action, g_free);
  first_action = cd_test_request (api.session, api.server.url, "POST", action_path, api.feedback,
                                  key, "{\"action\":\"close\"}", (gsize) -1, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CONFLICT);
  again_action = cd_test_request (api.session, api.server.url, "POST", action_path, api.feedback,
                                  key, "{\"action\":\"close\"}", (gsize) -1, &status);
  g_assert_cmpuint (status, ==, SOUP_STATUS_CONFLICT);
  g_assert_cmpstr (first_action, ==, again_action);
}

static void
test_errors (void)
{
  static const struct {
    const char *body;
    const char *field;
  } bad[] = {
    { "{\"kind\":", NULL },
    { "[1,2,3]", NULL },
    { "", NULL },
    { "{\"kind\":\"routine\",\"colour\":\"red\"}", "colour" },
    { "{\"kind\":5}", "kind" },
    { "{\"lat\":\"north\"}", "lat" },
    { "{\"lat\":1e999}", "lat" },
    { "{\"due\":123456789012345678901234567890}", "due" },
    { "{\"number\":\"2026-000001\"}", "number" },
  };
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *huge = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *key = new_key ();
      g_autofree char *text = cd_test_request (api.session, api.server.url, "POST",
                                               "/api/v1/tickets", api.operator, key, bad[i].body,
                                               (gsize) -1, &status);

      g_test_message ("%s -> %u %s", bad[i].body, status, text);
      g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
      answer = cd_test_parse_object (text);
      cd_test_assert_error (answer, "bad_request", bad[i].field);
      g_clear_pointer (&answer, json_object_unref);
    }

  /* Over the configured max-body (4096 here): 413. */
  huge = g_strnfill (8000, ' ');
  {
    g_autofree char *key = new_key ();
    g_autofree char *text = cd_test_request (api.session, api.server.url, "POST", "/api/v1/tickets",
                                             api.operator, key, huge, (gsize) -1, &status);

    g_assert_cmpuint (status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
    answer = cd_test_parse_object (text);
    cd_test_assert_error (answer, "too_large", NULL);
    g_clear_pointer (&answer, json_object_unref);
  }

  /* A chunked body announces no length: it is cut off at the limit, and
   * the server goes on serving. */
  {
    g_autofree char *url = g_strconcat (api.server.url, "api/v1/tickets", NULL);
    g_autofree char *header = g_strconcat ("Bearer ", api.operator, NULL);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_strnfill (4 * 1024 * 1024, ' '), 4 * 1024 * 1024);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key",
                                  "chunked-1");
    soup_message_set_request_body (msg, "application/json", stream, -1);
    g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)), ==,
                     SOUP_ENCODING_CHUNKED);
    reply = soup_session_send_and_read (api.session, msg, NULL, &error);
    g_test_message ("chunked 4 MiB: %u %s", soup_message_get_status (msg),
                    error ? error->message : "");
    g_assert_nonnull (error);
  }
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/version", NULL, NULL, NULL,
                         SOUP_STATUS_OK);
  g_clear_pointer (&answer, json_object_unref);

  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/nothing-here", api.operator,
                         NULL, NULL, SOUP_STATUS_NOT_FOUND);
  cd_test_assert_error (answer, "not_found", NULL);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/tickets/2026-999999",
                         api.operator, NULL, NULL, SOUP_STATUS_NOT_FOUND);
  cd_test_assert_error (answer, "not_found", NULL);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/tickets", NULL, NULL, NULL,
                         SOUP_STATUS_UNAUTHORIZED);
  cd_test_assert_error (answer, "unauthorized", NULL);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/users", api.operator, NULL,
                         NULL, SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (answer, "forbidden", NULL);
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (api.session, api.server.url, "GET", "/api/v1/tickets?state=melted",
                         api.operator, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (answer, "bad_request", "state");
  g_clear_pointer (&answer, json_object_unref);
  answer = act (api.operator, "2026-000001", "{\"action\":\"explode\"}", SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (answer, "bad_request", "action");
  g_clear_pointer (&answer, json_object_unref);
  answer = act (api.operator, "2026-000001", "{\"action\":\"assign\",\"executor\":[\"org-a\"]}",
                SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (answer, "bad_request", "executor");
  g_clear_pointer (&answer, json_object_unref);
}

static void
test_reference (void)
{
  static const char * const paths[] = {
    "/api/v1/categories", "/api/v1/executors", "/api/v1/policies", "/api/v1/calendars",
    "/api/v1/users", "/api/v1/stats", "/api/v1/version",
  };
  g_autoptr(JsonObject) users = NULL;
  g_autoptr(JsonObject) executors = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonObject) answer = cd_test_call (api.session, api.server.url, "GET", paths[i],
                                                    api.admin, NULL, NULL, SOUP_STATUS_OK);

      g_assert_cmpuint (json_object_get_size (answer), >, 0);
    }
  users = cd_test_call (api.session, api.server.url, "GET", "/api/v1/users", api.supervisor, NULL,
                        NULL, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (users, "users")), ==, 8);
  /* No password hash ever leaves the server. */
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (json_object_get_size (
                          json_array_get_object_element (json_object_get_array_member (users,
                                                                                       "users"),
                                                         i)),
                      <=, 3);
  executors = cd_test_call (api.session, api.server.url, "GET", "/api/v1/executors", api.operator,
                            NULL, NULL, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (executors, "executors")),
                    >=, 2);
}

/* The feed and the stream, on a demo history of thousands of events {{{1 */

typedef struct
{
  CdTestServer server;
  char        *token;
} Feed;

static Feed feed;

static void
feed_setup (void)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = cd_test_new_db_path ();

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                           cd_test_program ("CITYDESK_CTL"), "demo", "generate", "--db", db,
                           "--days", "5", "--tickets-per-day", "500", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  cd_test_add_user (db, "sup", "supervisor", NULL, "password-1");
  /* The registration's executor must exist in this city too. */
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_server_start (&feed.server, db);
  feed.token = cd_test_login (api.session, feed.server.url, "sup", "password-1");
}

static void
test_feed_paging (void)
{
  gint64 after = 0, head = -1, expected = 1;
  gboolean more = TRUE;
  guint pages = 0;
  g_autoptr(JsonObject) bad = NULL;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/events?after=%" G_GINT64_FORMAT
                                               "&limit=700",
                                               after);
      g_autoptr(JsonObject) page = cd_test_call (api.session, feed.server.url, "GET", path,
                                                  feed.token, NULL, NULL, SOUP_STATUS_OK);
      JsonArray *events = json_object_get_array_member (page, "events");

      g_assert_cmpuint (json_array_get_length (events), <=, 700);
      for (guint i = 0; i < json_array_get_length (events); i++)
        g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (events, i),
                                                     "seq"),
                         ==, expected++);
      after = json_object_get_int_member (page, "last");
      head = json_object_get_int_member (page, "head");
      more = json_object_get_boolean_member (page, "more");
      pages++;
    }
  g_test_message ("%u pages, %" G_GINT64_FORMAT " events", pages, head);
  g_assert_cmpint (head, >, 10000);
  g_assert_cmpint (after, ==, head);
  g_assert_cmpint (expected - 1, ==, head);

  bad = cd_test_call (api.session, feed.server.url, "GET", "/api/v1/events?limit=10001", feed.token,
                      NULL, NULL, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (bad, "bad_request", "limit");
}

/* The demo city's organizations come with their names: in the language
 * the client asks for, and in all five; the code stays the id. */
static void
test_executor_names (void)
{
  g_autofree char *url = g_strconcat (feed.server.url, "api/v1/executors", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", feed.token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *text = NULL;
  JsonArray *executors;
  guint named = 0, bare = 0;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Language",
                                "de-DE, uk-UA;q=0.8, en;q=0.5");
  body = soup_session_send_and_read (api.session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  answer = cd_test_parse_object (text);
  executors = json_object_get_array_member (answer, "executors");
  for (guint i = 0; i < json_array_get_length (executors); i++)
    {
      JsonObject *e = json_array_get_object_element (executors, i);
      const char *id = json_object_get_string_member (e, "id");

      if (!json_object_has_member (e, "name"))
        {
          /* Not the demo city's: known by its code alone, as before. */
          g_assert_false (json_object_has_member (e, "names"));
          bare++;
          continue;
        }
      g_assert_cmpuint (json_object_get_size (json_object_get_object_member (e, "names")), ==, 5);
      g_assert_cmpstr (json_object_get_string_member (e, "name"), ==,
                       json_object_get_string_member (json_object_get_object_member (e, "names"),
                                                      "uk"));
      if (g_str_equal (id, "heating"))
        g_assert_cmpstr (json_object_get_string_member (e, "name"), ==, "Теплові мережі");
      named++;
    }
  g_assert_cmpuint (named, >=, 10);
  /* org-a, the executor account added to this city. */
  g_assert_cmpuint (bare, >=, 1);
}

static void
test_feed_gzip (void)
{
  g_autoptr(SoupSession) raw = soup_session_new ();
  g_autofree char *url = g_strconcat (feed.server.url, "api/v1/events?after=0&limit=2000", NULL);
  g_autofree char *header = g_strconcat ("Bearer ", feed.token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (
      G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) memory = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autofree char *text = NULL;
  const guint8 *data;
  gsize len;

  soup_session_remove_feature_by_type (raw, SOUP_TYPE_CONTENT_DECODER);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept-Encoding", "gzip");
  body = soup_session_send_and_read (raw, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Content-Encoding"),
                   ==, "gzip");
  data = g_bytes_get_data (body, &len);
  g_assert_cmpuint (len, >, 2);
  g_assert_cmpuint (data[0], ==, 0x1f);
  g_assert_cmpuint (data[1], ==, 0x8b);

  memory = g_memory_input_stream_new_from_bytes (body);
  in = g_converter_input_stream_new (memory, G_CONVERTER (decompressor));
  g_output_stream_splice (out, in,
                          G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  plain = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  g_test_message ("2000 events: %zu bytes gzipped, %zu plain", len, g_bytes_get_size (plain));
  g_assert_cmpuint (g_bytes_get_size (plain), >, len);
  text = g_strndup (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain));
  page = cd_test_parse_object (text);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "events")), ==,
                    2000);
}

static void
wait_for_messages (CdTestStream *stream,
                   guint   n)
{
  while (stream->messages->len < n)
    g_main_context_iteration (NULL, TRUE);
}

static JsonObject *
stream_event (CdTestStream *stream,
              guint   i)
{
  g_autoptr(JsonObject) message = cd_test_parse_object (g_ptr_array_index (stream->messages, i));

  g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "event");
  return json_object_ref (json_object_get_object_member (message, "event"));
}

static void
test_stream (void)
{
  g_autoptr(SoupSession) ws_session = soup_session_new ();
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) page = NULL;
  g_autoptr(JsonObject) written = NULL;
  g_autofree char *query = NULL;
  g_autofree char *key = new_key ();
  CdTestStream stream = { 0 }, by_query = { 0 }, refused = { 0 }, resync = { 0 };
  JsonArray *events;
  gint64 head;

  page = cd_test_call (api.session, feed.server.url, "GET", "/api/v1/events?limit=1", feed.token,
                       NULL, NULL, SOUP_STATUS_OK);
  head = json_object_get_int_member (page, "head");

  /* The backlog after the cursor, then each new commit. */
  query = g_strdup_printf ("?after=%" G_GINT64_FORMAT, head - 2);
  cd_test_stream_open (&stream, ws_session, feed.server.url, query, feed.token);
  g_assert_no_error (stream.error);
  wait_for_messages (&stream, 2);
  first = stream_event (&stream, 0);
  g_assert_cmpint (json_object_get_int_member (first, "seq"), ==, head - 1);

  written = cd_test_call (api.session, feed.server.url, "POST", "/api/v1/tickets", feed.token, key,
                          registration, SOUP_STATUS_CREATED);
  events = json_object_get_array_member (written, "events");
  wait_for_messages (&stream, 2 + json_array_get_length (events));
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      g_autoptr(JsonObject) pushed = stream_event (&stream, 2 + i);
      JsonObject *expected = json_array_get_object_element (events, i);

      g_assert_cmpint (json_object_get_int_member (pushed, "seq"), ==,
                       json_object_get_int_member (expected, "seq"));
      g_assert_cmpstr (json_object_get_string_member (pushed, "hash"), ==,
                       json_object_get_string_member (expected, "hash"));
    }

  /* Browsers put the token in the query. */
  g_free (query);
  query = g_strdup_printf ("?after=%" G_GINT64_FORMAT "&token=%s", head, feed.token);
  cd_test_stream_open (&by_query, ws_session, feed.server.url, query, NULL);
  g_assert_no_error (by_query.error);
  wait_for_messages (&by_query, 1);

  cd_test_stream_open (&refused, ws_session, feed.server.url, "?after=0", NULL);
  g_assert_nonnull (refused.error);

  /* Too far behind: use the feed. */
  cd_test_stream_open (&resync, ws_session, feed.server.url, "?after=0", feed.token);
  g_assert_no_error (resync.error);
  wait_for_messages (&resync, 1);
  {
    g_autoptr(JsonObject) message = cd_test_parse_object (g_ptr_array_index (resync.messages, 0));

    g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "resync");
    g_assert_cmpint (json_object_get_int_member (message, "head"), >=, head);
  }

  cd_test_stream_clear (&stream);
  cd_test_stream_clear (&by_query);
  cd_test_stream_clear (&refused);
  cd_test_stream_clear (&resync);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GError) error = NULL;
  const char *extra[] = { "--config", NULL, NULL };
  int status;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  db = cd_test_new_db_path ();
  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "super", "supervisor", NULL, "s3cret-password");
  cd_test_add_user (db, "quality", "qc", NULL, "password-1");
  cd_test_add_user (db, "callback", "feedback", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_add_user (db, "other", "executor", "org-b", "password-1");
  cd_test_add_user (db, "root", "admin", NULL, "password-1");
  cd_test_add_user (db, "super2", "supervisor", NULL, "password-1");

  /* The settings file: a small body limit for the 413 case. */
  config = g_build_filename (g_get_tmp_dir (), "citydesk-server-test.conf", NULL);
  g_file_set_contents (config, "[server]\nmax-body=4096\ntoken-lifetime=3600\n", -1, &error);
  g_assert_no_error (error);
  extra[1] = config;

  api.session = soup_session_new ();
  cd_test_server_start_full (&api.server, db, extra, FALSE);
  api.operator = cd_test_login (api.session, api.server.url, "op", "password-1");
  api.supervisor = cd_test_login (api.session, api.server.url, "super2", "password-1");
  api.qc = cd_test_login (api.session, api.server.url, "quality", "password-1");
  api.feedback = cd_test_login (api.session, api.server.url, "callback", "password-1");
  api.executor = cd_test_login (api.session, api.server.url, "brigade", "password-1");
  api.other_executor = cd_test_login (api.session, api.server.url, "other", "password-1");
  api.admin = cd_test_login (api.session, api.server.url, "root", "password-1");
  feed_setup ();

  g_test_add_func ("/server-api/login", test_login);
  g_test_add_func ("/server-api/transitions", test_transitions);
  g_test_add_func ("/server-api/phone-masking", test_phone_masking);
  g_test_add_func ("/server-api/idempotency", test_idempotency);
  g_test_add_func ("/server-api/errors", test_errors);
  g_test_add_func ("/server-api/reference", test_reference);
  g_test_add_func ("/server-api/feed-paging", test_feed_paging);
  g_test_add_func ("/server-api/feed-gzip", test_feed_gzip);
  g_test_add_func ("/server-api/executor-names", test_executor_names);
  g_test_add_func ("/server-api/stream", test_stream);

  status = g_test_run ();

  g_assert_cmpint (cd_test_verify (api.server.db), ==, 0);
  g_assert_cmpint (cd_test_verify (feed.server.db), ==, 0);
  cd_test_server_clear (&api.server);
  cd_test_server_clear (&feed.server);
  g_free (feed.token);
  g_clear_object (&api.session);
  return status;
}
