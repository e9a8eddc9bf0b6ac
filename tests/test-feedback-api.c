// SPDX-License-Identifier: GPL-3.0-or-later
//
// The callbacks on a real citydesk-server: tickets registered and resolved
// through the API get callback tasks; the list and the figures per role
// (the access table: feedback, supervisor, admin), the same JSON as
// `citydeskctl callbacks list|stats --db` and `--server`; a callback
// recorded through the tickets' actions route, a double post with one
// Idempotency-Key recording one attempt; attacks (a bad outcome, ratings
// 0, 6 and "x", a huge note, a client's own attempt, other roles) refused
// 4xx with nothing journaled; `citydeskctl verify` passing.

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

#define NOW "2030-01-07T12:00:00Z"

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *operator;
  char         *supervisor;
  char         *qc;
  char         *feedback;
  char         *executor;
  char         *admin;
  char         *numbers[3];
} Fixture;

static gint64
count_callbacks (Fixture *f)
{
  g_autofree char *text = cd_test_sql_text (f->server.db, "SELECT count(*) FROM events "
                                                          "WHERE type = 'callback'");

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static char *
array_text (JsonArray *array)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

static JsonArray *
parse_array (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static JsonObject *
act (Fixture    *f,
     const char *number,
     const char *token,
     const char *body,
     guint       expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  g_autofree char *key = g_uuid_string_random ();

  return cd_test_call (f->session, f->server.url, "POST", path, token, key, body, expected);
}

/* A ticket registered, taken and resolved through the API. */
static char *
resolved_ticket (Fixture *f,
                 guint    i)
{
  g_autofree char *body = g_strdup_printf (
    "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"d%u\","
    "\"street\":\"Lenina\",\"building\":\"%u\",\"name\":\"Ivan Petrov\","
    "\"phone\":\"+375 29 123-45-6%u\",\"description\":\"No heating\",\"executor\":\"org-a\"}",
    i, i + 1, i);
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonObject) answer = cd_test_call (f->session, f->server.url, "POST",
                                               "/api/v1/tickets", f->operator, key, body,
                                               SOUP_STATUS_CREATED);
  const char *number = json_object_get_string_member (
    json_object_get_object_member (answer, "ticket"), "number");
  static const char * const steps[] = { "accept", "start", "resolve" };

  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      g_autofree char *step = g_strdup_printf ("{\"action\":\"%s\"}", steps[s]);
      g_autoptr(JsonObject) done = act (f, number, f->supervisor, step, SOUP_STATUS_OK);
    }
  return g_strdup (number);
}

static JsonArray *
list_of (JsonObject *answer)
{
  return json_object_get_array_member (answer, "callbacks");
}

/* Who reads the list: feedback, supervisor and admin; the others are
 * refused. The list is what the command line prints. */
static void
test_list (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const char *readers[] = { f->feedback, f->supervisor, f->admin };
  const char *others[] = { f->operator, f->qc, f->executor };
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonArray) cli = NULL;
  g_autofree char *out = NULL, *err = NULL, *api_text = NULL;
  JsonObject *first;
  int status;

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(JsonObject) refused = cd_test_call (f->session, f->server.url, "GET",
                                                    "/api/v1/callbacks", others[i], NULL, NULL,
                                                    SOUP_STATUS_FORBIDDEN);

      cd_test_assert_error (refused, "forbidden", NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_clear_pointer (&answer, json_object_unref);
      answer = cd_test_call (f->session, f->server.url, "GET", "/api/v1/callbacks?now=" NOW,
                             readers[i], NULL, NULL, SOUP_STATUS_OK);
      g_assert_cmpuint (json_array_get_length (list_of (answer)), >=, 1);
    }
  first = json_array_get_object_element (list_of (answer), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "policy"), ==, "callback-all");
  g_assert_cmpint (json_object_get_int_member (first, "attempts"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (first, "executor"), ==, "org-a");
  g_assert_nonnull (strstr (json_object_get_string_member (first, "phone"), "123-45-6"));

  status = cd_test_ctl (&out, &err, "callbacks", "list", "--db", f->server.db, "--now", NOW,
                        "--json", NULL);
  g_test_message ("callbacks list: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  cli = parse_array (out);
  api_text = array_text (list_of (answer));
  {
    g_autofree char *cli_text = array_text (cli);

    g_assert_cmpstr (api_text, ==, cli_text);
  }

  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (f->session, f->server.url, "GET", "/api/v1/callbacks?due_before=x",
                         f->feedback, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (answer, "bad_request", "due_before");
  g_clear_pointer (&answer, json_object_unref);
  answer = cd_test_call (f->session, f->server.url, "GET", "/api/v1/callbacks?colour=red",
                         f->feedback, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (answer, "bad_request", "colour");
}

/* Refused, every one 4xx, and none journaled. */
static void
test_attacks (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const char *number = f->numbers[0];
  gint64 before = count_callbacks (f);
  g_autoptr(GString) huge = g_string_new ("{\"action\":\"callback\",\"outcome\":\"confirmed\","
                                          "\"note\":\"");
  static const char * const bodies[] = {
    "{\"action\":\"callback\"}",
    "{\"action\":\"callback\",\"outcome\":\"maybe\"}",
    "{\"action\":\"callback\",\"outcome\":\"reached\"}",
    "{\"action\":\"callback\",\"outcome\":7}",
    "{\"action\":\"callback\",\"outcome\":\"confirmed\",\"rating\":0}",
    "{\"action\":\"callback\",\"outcome\":\"confirmed\",\"rating\":6}",
    "{\"action\":\"callback\",\"outcome\":\"confirmed\",\"rating\":\"x\"}",
    "{\"action\":\"callback\",\"outcome\":\"confirmed\",\"rating\":2.5}",
    "{\"action\":\"callback\",\"outcome\":\"partly_fixed\"}",
    "{\"action\":\"callback\",\"outcome\":\"no_answer\",\"attempt\":3,\"last\":true}",
    "{\"action\":\"callback\",\"outcome\":\"confirmed\",\"org\":\"org-a\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
      g_autofree char *key = g_uuid_string_random ();
      guint status = 0;
      g_autofree char *text = cd_test_request (f->session, f->server.url, "POST", path,
                                               f->feedback, key, bodies[i], (gsize) -1, &status);

      g_test_message ("%s -> %u %s", bodies[i], status, text);
      g_assert_cmpuint (status, >=, 400);
      g_assert_cmpuint (status, <, 500);
    }
  for (guint i = 0; i < 900 * 1024; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\"}");
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
    g_autofree char *key = g_uuid_string_random ();
    guint status = 0;
    g_autofree char *text = cd_test_request (f->session, f->server.url, "POST", path, f->feedback,
                                             key, huge->str, huge->len, &status);

    g_assert_cmpuint (status, >=, 400);
    g_assert_cmpuint (status, <, 500);
  }
  {
    const char *roles[] = { f->operator, f->qc, f->executor };

    for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
      {
        g_autoptr(JsonObject) refused = act (f, number, roles[i],
                                             "{\"action\":\"callback\","
                                             "\"outcome\":\"confirmed\"}",
                                             SOUP_STATUS_FORBIDDEN);

        g_assert_nonnull (strstr (json_object_get_string_member (
                                    json_object_get_object_member (refused, "error"), "message"),
                                  "callback"));
      }
  }
  g_assert_cmpint (count_callbacks (f), ==, before);
}

/* A double post under one Idempotency-Key records one attempt, and
 * answers the same twice. */
static void
test_idempotent (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const char *number = f->numbers[1];
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  g_autofree char *key = g_uuid_string_random ();
  const char *body = "{\"action\":\"callback\",\"outcome\":\"no_answer\"}";
  gint64 before = count_callbacks (f);
  g_autoptr(JsonObject) first = NULL, again = NULL, list = NULL;
  g_autofree char *first_text = NULL, *again_text = NULL;

  first = cd_test_call (f->session, f->server.url, "POST", path, f->feedback, key, body,
                        SOUP_STATUS_OK);
  again = cd_test_call (f->session, f->server.url, "POST", path, f->feedback, key, body,
                        SOUP_STATUS_OK);
  first_text = object_text (first);
  again_text = object_text (again);
  g_assert_cmpstr (first_text, ==, again_text);
  g_assert_cmpint (count_callbacks (f), ==, before + 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "ticket"),
                                                  "state"),
                   ==, "resolved");

  list = cd_test_call (f->session, f->server.url, "GET", "/api/v1/callbacks?now=" NOW,
                       f->feedback, NULL, NULL, SOUP_STATUS_OK);
  for (guint i = 0; i < json_array_get_length (list_of (list)); i++)
    {
      JsonObject *task = json_array_get_object_element (list_of (list), i);

      if (g_str_equal (json_object_get_string_member (task, "number"), number))
        {
          g_assert_cmpint (json_object_get_int_member (task, "attempt"), ==, 2);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (task,
                                                                                 "history")),
                            ==, 1);
          return;
        }
    }
  g_assert_not_reached ();
}

/* The command line on the server: the same list and figures as --db,
 * refusals exit 2 naming the rule, and a callback recorded. */
static void
test_cli_server (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autofree char *out = NULL, *err = NULL, *db_out = NULL;
  int status;

  g_setenv ("CITYDESK_PASSWORD", "password-1", TRUE);
  status = cd_test_ctl (&out, &err, "--server", f->server.url, "--user", "fiona", "callbacks",
                        "list", "--now", NOW, "--json", NULL);
  g_test_message ("list --server: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&db_out, &err, "callbacks", "list", "--db", f->server.db,
                                "--now", NOW, "--json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, db_out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&db_out, g_free);
  g_clear_pointer (&err, g_free);

  status = cd_test_ctl (&out, &err, "--server", f->server.url, "--user", "fiona", "callbacks",
                        "stats", "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z",
                        "--now", NOW, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&db_out, &err, "callbacks", "stats", "--db", f->server.db,
                                "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z",
                                "--now", NOW, "--json", NULL), ==, 0);
  g_assert_cmpstr (out, ==, db_out);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = cd_test_ctl (&out, &err, "--server", f->server.url, "--user", "fiona", "callbacks",
                        "record", f->numbers[2], "confirmed", "--rating", "7", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "rating"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = cd_test_ctl (&out, &err, "--server", f->server.url, "--user", "fiona", "callbacks",
                        "record", f->numbers[2], "fixed", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = cd_test_ctl (&out, &err, "--server", f->server.url, "--user", "fiona", "callbacks",
                        "record", f->numbers[2], "not_fixed", "--rating", "2", "--comment",
                        "Still cold", NULL);
  g_test_message ("record --server: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "reopened"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Again: the ticket is no longer resolved, and the rule says so. */
  status = cd_test_ctl (&out, &err, "callbacks", "record", "--db", f->server.db, f->numbers[2],
                        "confirmed", "--as", "feedback", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "callback only from resolved"));
  g_unsetenv ("CITYDESK_PASSWORD");
}

int
main (int    argc,
      char **argv)
{
  Fixture f = { 0 };
  g_autofree char *db = NULL;
  int status;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  db = cd_test_new_db_path ();
  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "super", "supervisor", NULL, "password-1");
  cd_test_add_user (db, "quality", "qc", NULL, "password-1");
  cd_test_add_user (db, "fiona", "feedback", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_add_user (db, "root", "admin", NULL, "password-1");

  f.session = soup_session_new ();
  cd_test_server_start (&f.server, db);
  f.operator = cd_test_login (f.session, f.server.url, "op", "password-1");
  f.supervisor = cd_test_login (f.session, f.server.url, "super", "password-1");
  f.qc = cd_test_login (f.session, f.server.url, "quality", "password-1");
  f.feedback = cd_test_login (f.session, f.server.url, "fiona", "password-1");
  f.executor = cd_test_login (f.session, f.server.url, "brigade", "password-1");
  f.admin = cd_test_login (f.session, f.server.url, "root", "password-1");
  for (guint i = 0; i < G_N_ELEMENTS (f.numbers); i++)
    f.numbers[i] = resolved_ticket (&f, i);

  g_test_add_data_func ("/feedback-api/list", &f, test_list);
  g_test_add_data_func ("/feedback-api/attacks", &f, test_attacks);
  g_test_add_data_func ("/feedback-api/idempotent", &f, test_idempotent);
  g_test_add_data_func ("/feedback-api/cli-server", &f, test_cli_server);
  status = g_test_run ();

  cd_test_server_stop (&f.server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&f.server);
  g_clear_object (&f.session);
  g_free (f.operator);
  g_free (f.supervisor);
  g_free (f.qc);
  g_free (f.feedback);
  g_free (f.executor);
  g_free (f.admin);
  for (guint i = 0; i < G_N_ELEMENTS (f.numbers); i++)
    g_free (f.numbers[i]);
  return status;
}
