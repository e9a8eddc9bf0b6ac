// SPDX-License-Identifier: GPL-3.0-or-later
//
// A few thousand malformed bodies at every write route (random bytes,
// truncated JSON, wrong types, huge numbers, deep nesting, broken
// Unicode): every answer is a 4xx or a success, never a 500 or a dropped
// connection, the server keeps serving, and the journal still verifies.

#include "config.h"

#include "cd-test-server.h"

#define N_BODIES 2500

static const char *valid_registration =
  "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
  "\"street\":\"Lenina\",\"building\":\"5\",\"phone\":\"+375 29 123-45-67\"}";

static const char * const members[] = {
  "kind", "category", "district", "street", "building", "flat", "name", "phone",
  "description", "channel", "lat", "lon", "due", "executor", "action", "note",
  "target", "relation", "seconds", "days", "user", "password",
};

static const char * const values[] = {
  "0", "-1", "1e999", "-1e999", "123456789012345678901234567890", "9223372036854775808",
  "3.5", "null", "true", "false", "[]", "{}", "[1,[2,[3]]]", "{\"a\":{\"b\":1}}", "\"\"",
  "\"routine\"", "\"assign\"", "\"comment\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\uffff\"",
  "\"resolve\"", "\"housing.heating\"", "\"x\"",
};

static void
append_random_value (GString *s,
                     GRand   *rand,
                     int      depth)
{
  int pick = g_rand_int_range (rand, 0, depth > 3 ? 3 : 6);

  switch (pick)
    {
    case 0:
    case 1:
    case 2:
      g_string_append (s, values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))]);
      break;
    case 3:
      g_string_append_c (s, '[');
      for (int i = g_rand_int_range (rand, 0, 4); i > 0; i--)
        {
          append_random_value (s, rand, depth + 1);
          if (i > 1)
            g_string_append_c (s, ',');
        }
      g_string_append_c (s, ']');
      break;
    default:
      g_string_append_c (s, '{');
      for (int i = g_rand_int_range (rand, 0, 5); i > 0; i--)
        {
          g_string_append_printf (s, "\"%s\":", members[g_rand_int_range (rand, 0, G_N_ELEMENTS (members))]);
          append_random_value (s, rand, depth + 1);
          if (i > 1)
            g_string_append_c (s, ',');
        }
      g_string_append_c (s, '}');
      break;
    }
}

static GString *
malformed_body (GRand *rand,
                guint  i)
{
  GString *s = g_string_new (NULL);

  switch (i % 8)
    {
    case 0:
      for (int n = g_rand_int_range (rand, 0, 300); n > 0; n--)
        g_string_append_c (s, (char) g_rand_int_range (rand, 1, 256));
      break;
    case 1:
      g_string_append_len (s, valid_registration, g_rand_int_range (rand, 0, strlen (valid_registration)));
      break;
    case 2:
      /* A valid registration with one member's value of another type. */
      g_string_append (s, "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
                          "\"street\":\"Lenina\",\"building\":\"5\",");
      g_string_append_printf (s, "\"%s\":", members[g_rand_int_range (rand, 0, G_N_ELEMENTS (members))]);
      append_random_value (s, rand, 2);
      g_string_append_c (s, '}');
      break;
    case 3:
      g_string_append (s, "{\"lat\":");
      for (int n = g_rand_int_range (rand, 1, 2000); n > 0; n--)
        g_string_append_c (s, '9');
      g_string_append (s, g_rand_boolean (rand) ? "e99999}" : "}");
      break;
    case 4:
      {
        int depth = g_rand_int_range (rand, 10, 200000);

        for (int n = 0; n < depth; n++)
          g_string_append_c (s, g_rand_boolean (rand) ? '[' : '{');
      }
      break;
    case 5:
      append_random_value (s, rand, 0);
      break;
    case 6:
      g_string_append_printf (s, "{\"action\":%s,\"note\":%s,\"%s\":",
                              values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))],
                              values[g_rand_int_range (rand, 0, G_N_ELEMENTS (values))],
                              members[g_rand_int_range (rand, 0, G_N_ELEMENTS (members))]);
      append_random_value (s, rand, 1);
      g_string_append_c (s, '}');
      break;
    default:
      g_string_append (s, "{\"kind\":\"");
      for (int n = g_rand_int_range (rand, 1, 40); n > 0; n--)
        {
          static const char * const broken[] = { "\xc0\xaf", "\xed\xa0\x80", "\xff", "\\u", "\\x41", "\"", "\\" };

          g_string_append (s, broken[g_rand_int_range (rand, 0, G_N_ELEMENTS (broken))]);
        }
      g_string_append (s, "\"}");
      break;
    }
  return s;
}

static void
test_fuzz (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (311);
  g_autoptr(JsonObject) ticket = NULL;
  g_autoptr(JsonObject) version = NULL;
  g_autofree char *db = cd_test_new_db_path ();
  g_autofree char *token = NULL;
  g_autofree char *actions = NULL;
  CdTestServer server = { 0 };
  guint counts[600] = { 0 };
  const char *routes[3];

  cd_test_add_user (db, "sup", "supervisor", NULL, "password-1");
  cd_test_server_start (&server, db);
  token = cd_test_login (session, server.url, "sup", "password-1");
  ticket = cd_test_call (session, server.url, "POST", "/api/v1/tickets", token, "first",
                         valid_registration, SOUP_STATUS_CREATED);
  actions = g_strdup_printf ("/api/v1/tickets/%s/actions",
                             json_object_get_string_member (json_object_get_object_member (ticket, "ticket"), "number"));
  routes[0] = "/api/v1/tickets";
  routes[1] = actions;
  routes[2] = "/api/v1/login";

  for (guint i = 0; i < N_BODIES; i++)
    {
      g_autoptr(GString) body = malformed_body (rand, i);

      for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
        {
          g_autofree char *key = g_strdup_printf ("fuzz-%u-%u", i, r);
          g_autofree char *text = NULL;
          guint status = 0;

          text = cd_test_request (session, server.url, "POST", routes[r], token, key,
                                  body->str, body->len, &status);
          if (status == 0 || status >= 500)
            g_test_message ("%s with %zu bytes (kind %u) -> %u", routes[r], body->len, i % 8, status);
          g_assert_cmpuint (status, !=, 0);
          g_assert_cmpuint (status, <, 500);
          g_assert_true (status == 200 || status == 201 || status == 400 || status == 401 ||
                         status == 403 || status == 404 || status == 409 || status == 413);
          /* Every answer is JSON; errors have the one error shape. */
          if (status >= 400)
            {
              g_autoptr(JsonObject) answer = cd_test_parse_object (text);

              g_assert_true (json_object_has_member (answer, "error"));
            }
          counts[status]++;
        }
    }
  g_test_message ("answers: 200: %u, 201: %u, 400: %u, 401: %u, 403: %u, 404: %u, 409: %u, 413: %u",
                  counts[200], counts[201], counts[400], counts[401], counts[403], counts[404],
                  counts[409], counts[413]);
  g_assert_cmpuint (counts[400], >, N_BODIES);

  version = cd_test_call (session, server.url, "GET", "/api/v1/version", NULL, NULL, NULL, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (version, "api"), ==, 1);
  g_assert_nonnull (g_subprocess_get_identifier (server.proc));

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server-fuzz/write-routes", test_fuzz);

  return g_test_run ();
}
