// SPDX-License-Identifier: GPL-3.0-or-later
//
// The rule "an executor acts only for its own organization, on tickets
// assigned to it" is stated once, in the dispatch table: the API and
// `citydeskctl ticket act` refuse the same actions with the same words,
// and another organization learns nothing of a ticket's state.

#include "config.h"

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"

static const char *registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"flat\":\"12\",\"name\":\"Ivan Petrov\","
  "\"phone\":\"+375 29 123-45-67\",\"description\":\"No heating\",\"executor\":\"org-a\"}";

static char *
api_act (SoupSession  *session,
         CdTestServer *server,
         const char   *token,
         const char   *number,
         const char   *body,
         guint         expected)
{
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", number);
  g_autoptr(JsonObject) answer = cd_test_call (session, server->url, "POST", path, token, key, body,
                                               expected);

  if (expected != SOUP_STATUS_OK)
    {
      JsonObject *error = json_object_get_object_member (answer, "error");

      cd_test_assert_error (answer, "forbidden", NULL);
      return g_strdup (json_object_get_string_member (error, "message"));
    }
  return g_strdup (json_object_get_string_member (json_object_get_object_member (answer, "ticket"),
                                                  "state"));
}

static void
test_same_refusal (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *operator = NULL;
  g_autofree char *brigade = NULL;
  g_autofree char *other = NULL;
  g_autofree char *number = NULL;
  g_autofree char *path = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *wrong_state = NULL;
  g_autofree char *state = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) shown = NULL;
  g_autofree char *key = g_uuid_string_random ();
  CdTestServer server = { 0 };
  JsonObject *ticket;
  struct
  {
    const char *action;
    const char *actor;
    const char *org;
  } refusals[] = {
    /* The organization named... */
    { "accept", "other", "--org=org-b" },
    /* ...or the account's, as the API takes it. */
    { "accept", "other", NULL },
    /* A state the action may not start from: the organization first. */
    { "start", "other", NULL },
  };

  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_add_user (db, "other", "executor", "org-b", "password-1");
  cd_test_server_start (&server, db);
  operator = cd_test_login (session, server.url, "op", "password-1");
  other = cd_test_login (session, server.url, "other", "password-1");

  created = cd_test_call (session, server.url, "POST", "/api/v1/tickets", operator, key,
                          registration, SOUP_STATUS_CREATED);
  ticket = json_object_get_object_member (created, "ticket");
  number = g_strdup (json_object_get_string_member (ticket, "number"));

  /* Through the API: refused by the table, 403, whatever the state. */
  refused = api_act (session, &server, other, number, "{\"action\":\"accept\"}",
                     SOUP_STATUS_FORBIDDEN);
  g_assert_nonnull (strstr (refused, "org-b"));
  wrong_state = api_act (session, &server, other, number, "{\"action\":\"start\"}",
                         SOUP_STATUS_FORBIDDEN);
  g_assert_cmpstr (wrong_state, ==, refused);
  /* Nor may it read the ticket. */
  path = g_strdup_printf ("/api/v1/tickets/%s", number);
  shown = cd_test_call (session, server.url, "GET", path, other, NULL, NULL, SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (shown, "forbidden", NULL);
  cd_test_server_stop (&server);

  /* Through citydeskctl on the same database: the same refusal, word for
   * word, and nothing written. */
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      status = cd_test_ctl (&out, &err, "ticket", "act", "--db", db, number,
                            refusals[i].action, "--as", "executor",
                            "--actor", refusals[i].actor, refusals[i].org, NULL);
      g_test_message ("citydeskctl %s: %s", refusals[i].action, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, refused));
    }

  /* The ticket's own organization may, both ways. */
  cd_test_server_start (&server, db);
  brigade = cd_test_login (session, server.url, "brigade", "password-1");
  state = api_act (session, &server, brigade, number, "{\"action\":\"accept\"}", SOUP_STATUS_OK);
  g_assert_cmpstr (state, ==, "accepted");
  cd_test_server_stop (&server);
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "act", "--db", db, number, "start",
                                  "--as", "executor", "--actor", "brigade", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "in_progress"));
  }

  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&server);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/executor-org/same-refusal", test_same_refusal);

  return g_test_run ();
}
