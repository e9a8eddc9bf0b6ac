// SPDX-License-Identifier: GPL-3.0-or-later
//
// A complaint through API v1 on a real citydesk-server: registered about a
// ticket, classified and answered by QC, the role rules (an operator may
// not classify, an executor may not answer), a refusal without reasons
// refused with nothing journaled, the appeal notice a refusal gets, a cause,
// a group's proposal with its due time, and `citydeskctl verify` after it all.

#include "config.h"

#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

#define TICKET "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\"," \
               "\"street\":\"Lenina\",\"building\":\"5\",\"executor\":\"org-a\"}"
#define COMPLAINT "{\"kind\":\"complaint\",\"category\":\"housing.heating\",\"district\":" \
                  "\"Central\",\"street\":\"Lenina\",\"building\":\"5\",\"flat\":\"12\"," \
                  "\"name\":\"Olga\",\"description\":\"The crew was rude\",\"about\":\"%s\"}"

static void
test_complaint (void)
{
  CdTestServer server = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *op = NULL, *qc = NULL, *executor = NULL, *body = NULL, *path = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) ticket = NULL, complaint = NULL, a1 = NULL, a2 = NULL, a3 = NULL;
  g_autoptr(JsonObject) a4 = NULL, a5 = NULL, a6 = NULL, a7 = NULL;
  g_autofree char *last_seq = NULL, *after = NULL;
  const char *about, *number;

  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "quality", "qc", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_server_start (&server, db);
  op = cd_test_login (session, server.url, "op", "password-1");
  qc = cd_test_login (session, server.url, "quality", "password-1");
  executor = cd_test_login (session, server.url, "brigade", "password-1");

  ticket = cd_test_call (session, server.url, "POST", "/api/v1/tickets", op, "t-1", TICKET,
                         SOUP_STATUS_CREATED);
  about = json_object_get_string_member (json_object_get_object_member (ticket, "ticket"),
                                         "number");
  body = g_strdup_printf (COMPLAINT, about);
  complaint = cd_test_call (session, server.url, "POST", "/api/v1/tickets", op, "c-1", body,
                            SOUP_STATUS_CREATED);
  number = json_object_get_string_member (json_object_get_object_member (complaint, "ticket"),
                                          "number");
  /* The register event, then the link to what it is about. */
  g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (
                           json_object_get_array_member (complaint, "events"), 1), "type"),
                   ==, "link");
  path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);

  a1 = cd_test_call (session, server.url, "POST", path, op, "a-1",
                     "{\"action\":\"classify\",\"class\":\"A\",\"responsible\":\"Irina\"}",
                     SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (a1, "forbidden", NULL);
  a2 = cd_test_call (session, server.url, "POST", path, qc, "a-2",
                     "{\"action\":\"classify\",\"class\":\"A\",\"responsible\":\"Irina\"}",
                     SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (a2, "ticket"),
                                                  "state"), ==, "assigned");
  a3 = cd_test_call (session, server.url, "POST", path, executor, "a-3",
                     "{\"action\":\"answer\",\"decision\":\"upheld\",\"favour\":\"resident\","
                     "\"note\":\"Sorry\"}", SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (a3, "forbidden", NULL);

  last_seq = cd_test_sql_text (db, "SELECT max(seq) FROM events");
  a4 = cd_test_call (session, server.url, "POST", path, qc, "a-4",
                     "{\"action\":\"answer\",\"decision\":\"refused\",\"favour\":"
                     "\"organization\",\"note\":\"No\"}", SOUP_STATUS_BAD_REQUEST);
  g_assert_nonnull (strstr (json_object_get_string_member (
                                json_object_get_object_member (a4, "error"), "message"),
                            "a refusal carries its reasons"));
  after = cd_test_sql_text (db, "SELECT max(seq) FROM events");
  g_assert_cmpstr (after, ==, last_seq);
  a5 = cd_test_call (session, server.url, "POST", path, qc, "a-5",
                     "{\"action\":\"classify\",\"class\":\"AB\",\"responsible\":\"Irina\"}",
                     SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (a5, "bad_request", "class");
  a6 = cd_test_call (session, server.url, "POST", path, qc, "a-6",
                     "{\"action\":\"answer\",\"decision\":\"partly_upheld\",\"favour\":"
                     "\"resident\",\"note\":\"The crew will come again on Monday.\"}",
                     SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (a6, "ticket"),
                                                  "state"), ==, "resolved");
  a7 = cd_test_call (session, server.url, "POST", path, qc, "a-7",
                     "{\"action\":\"propose\",\"note\":\"Train the crews\"}", SOUP_STATUS_OK);

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", db, NULL), ==, 0);
  cd_test_server_clear (&server);
}

/* The appeal notice the server's store fills into a refusal, a cause at
 * classification, a group's proposal with its due time (ISO 8601, or 400
 * with nothing journaled). */
static void
test_appeal_and_proposal (void)
{
  CdTestServer server = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *op = NULL, *qc = NULL, *body = NULL, *path = NULL;
  g_autofree char *out = NULL, *err = NULL, *appeal = NULL, *cause = NULL, *due = NULL;
  g_autofree char *last_seq = NULL, *after = NULL;
  g_autoptr(JsonObject) ticket = NULL, complaint = NULL, a1 = NULL, a2 = NULL, a3 = NULL;
  g_autoptr(JsonObject) a4 = NULL, a5 = NULL;
  const char *number;

  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "quality", "qc", NULL, "password-1");
  /* The executor's account makes its organization one the ticket may name. */
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_server_start (&server, db);
  op = cd_test_login (session, server.url, "op", "password-1");
  qc = cd_test_login (session, server.url, "quality", "password-1");

  ticket = cd_test_call (session, server.url, "POST", "/api/v1/tickets", op, "t-1", TICKET,
                         SOUP_STATUS_CREATED);
  body = g_strdup_printf (COMPLAINT, json_object_get_string_member (
                                         json_object_get_object_member (ticket, "ticket"),
                                         "number"));
  complaint = cd_test_call (session, server.url, "POST", "/api/v1/tickets", op, "c-1", body,
                            SOUP_STATUS_CREATED);
  number = json_object_get_string_member (json_object_get_object_member (complaint, "ticket"),
                                          "number");
  path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);

  a1 = cd_test_call (session, server.url, "POST", path, qc, "a-1",
                     "{\"action\":\"classify\",\"class\":\"B\",\"responsible\":\"Irina\","
                     "\"cause\":\"worn riser\"}", SOUP_STATUS_OK);
  cause = cd_test_sql_text (db, "SELECT json_extract(payload, '$.cause') FROM events "
                                "WHERE type = 'classify'");
  g_assert_cmpstr (cause, ==, "worn riser");
  a2 = cd_test_call (session, server.url, "POST", path, qc, "a-2",
                     "{\"action\":\"answer\",\"decision\":\"refused\",\"favour\":"
                     "\"organization\",\"note\":\"No\",\"reasons\":\"The heating was on\"}",
                     SOUP_STATUS_OK);
  appeal = cd_test_sql_text (db, "SELECT json_extract(payload, '$.appeal') FROM events "
                                 "WHERE type = 'answer'");
  g_assert_nonnull (strstr (appeal, "right to appeal"));
  g_assert_nonnull (strstr (appeal, number));

  last_seq = cd_test_sql_text (db, "SELECT max(seq) FROM events");
  a3 = cd_test_call (session, server.url, "POST", path, qc, "a-3",
                     "{\"action\":\"propose\",\"note\":\"Replace the riser\",\"group\":"
                     "\"address:Lenina 5\",\"responsible\":\"Irina\",\"due\":\"next week\"}",
                     SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (a3, "bad_request", "due");
  a4 = cd_test_call (session, server.url, "POST", path, qc, "a-4",
                     "{\"action\":\"propose\",\"note\":\"Replace the riser\",\"group\":"
                     "\"address:Lenina 5\",\"responsible\":\"Irina\",\"due\":1774137600}",
                     SOUP_STATUS_BAD_REQUEST);
  after = cd_test_sql_text (db, "SELECT max(seq) FROM events");
  g_assert_cmpstr (after, ==, last_seq);
  a5 = cd_test_call (session, server.url, "POST", path, qc, "a-5",
                     "{\"action\":\"propose\",\"note\":\"Replace the riser\",\"group\":"
                     "\"address:Lenina 5\",\"responsible\":\"Irina\",\"due\":"
                     "\"2026-12-31T18:00:00+03:00\"}", SOUP_STATUS_OK);
  due = cd_test_sql_text (db, "SELECT json_extract(payload, '$.due') FROM events "
                              "WHERE type = 'propose'");
  g_assert_cmpstr (due, ==, "2026-12-31T18:00:00+03:00");

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", db, NULL), ==, 0);
  cd_test_server_clear (&server);
}

/* `link` with relation about through the API names a ticket, never a call
 * or nothing, and the complaint then counts against that ticket's executor. */
static void
test_link_about (void)
{
  CdTestServer server = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *op = NULL, *path = NULL, *out = NULL, *err = NULL;
  g_autofree char *so = NULL, *se = NULL, *body = NULL;
  g_autoptr(JsonObject) ticket = NULL, complaint = NULL, a1 = NULL, a2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *row;
  const char *about;

  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_server_start (&server, db);
  op = cd_test_login (session, server.url, "op", "password-1");

  ticket = cd_test_call (session, server.url, "POST", "/api/v1/tickets", op, "t-1", TICKET,
                         SOUP_STATUS_CREATED);
  about = json_object_get_string_member (json_object_get_object_member (ticket, "ticket"),
                                         "number");
  complaint = cd_test_call (session, server.url, "POST", "/api/v1/tickets", op, "c-1",
                            "{\"kind\":\"complaint\",\"category\":\"housing.heating\","
                            "\"district\":\"Central\",\"street\":\"Lenina\",\"building\":\"5\"}",
                            SOUP_STATUS_CREATED);
  path = g_strdup_printf ("/api/v1/tickets/%s/actions",
                          json_object_get_string_member (
                              json_object_get_object_member (complaint, "ticket"), "number"));
  a1 = cd_test_call (session, server.url, "POST", path, op, "a-1",
                     "{\"action\":\"link\",\"relation\":\"about\",\"target\":\"call-1\"}",
                     SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (a1, "bad_request", "target");
  body = g_strdup_printf ("{\"action\":\"link\",\"relation\":\"about\",\"target\":\"%s\"}",
                          about);
  a2 = cd_test_call (session, server.url, "POST", path, op, "a-2", body, SOUP_STATUS_OK);
  cd_test_server_stop (&server);

  g_assert_cmpint (cd_test_ctl (&so, &se, "complaints", "stats", "--db", db, "--from",
                                "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--json",
                                NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, so, -1, NULL));
  row = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                    "by_executor"), 0);
  g_assert_cmpstr (json_object_get_string_member (row, "executor"), ==, "org-a");
  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", db, NULL), ==, 0);
  cd_test_server_clear (&server);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/complaints-api/complaint", test_complaint);
  g_test_add_func ("/complaints-api/appeal-and-proposal", test_appeal_and_proposal);
  g_test_add_func ("/complaints-api/link-about", test_link_about);

  return g_test_run ();
}
