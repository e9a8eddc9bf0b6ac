// SPDX-License-Identifier: GPL-3.0-or-later
//
// A few thousand malformed bodies at every write route (random bytes,
// truncated JSON, wrong types, huge numbers, deep nesting, broken
// Unicode): every answer is a 4xx or a success, never a 500 or a dropped
// connection, the server keeps serving, and the journal still verifies.

#include "config.h"

#include "cd-test.h"
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
          g_string_append_printf (s, "\"%s\":",
                                  members[g_rand_int_range (rand, 0, G_N_ELEMENTS (members))]);
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
      g_string_append_len (s, valid_registration,
                           g_rand_int_range (rand, 0, strlen (valid_registration)));
      break;
    case 2:
      /* A valid registration with one member's value of another type. */
      g_string_append (
          s, "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"Central\","
             "\"street\":\"Lenina\",\"building\":\"5\",");
      g_string_append_printf (s, "\"%s\":",
                              members[g_rand_int_range (rand, 0, G_N_ELEMENTS (members))]);
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
          static const char * const broken[] = { "\xc0\xaf", "\xed\xa0\x80", "\xff", "\\u",
                                                "\\x41", "\"", "\\" };

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
  actions = g_strdup_printf (
      "/api/v1/tickets/%s/actions",
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
            g_test_message ("%s with %zu bytes (kind %u) -> %u", routes[r], body->len, i % 8,
                            status);
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

  version = cd_test_call (session, server.url, "GET", "/api/v1/version", NULL, NULL, NULL,
                          SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (version, "api"), ==, 1);
  g_assert_nonnull (g_subprocess_get_identifier (server.proc));

  cd_test_server_stop (&server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&server);
}

/* Attack classes {{{1
 *
 * Each class below runs against a fresh server over its own database: a
 * supervisor, an executor organization, an Open311 api key and one ticket.
 * After every attack the server still answers, the journal's head has not
 * moved (the request wrote nothing), and at the end `verify` passes. */

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *db;
  char         *token;
  char         *api_key;
  char         *number;
  guint         n_keys;
} Target;

static void
target_start (Target *t)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ticket = NULL;
  g_autofree char *out = NULL;

  t->session = soup_session_new ();
  t->db = cd_test_new_db_path ();
  cd_test_add_user (t->db, "sup", "supervisor", NULL, "password-1");
  cd_test_add_user (t->db, "brigade", "executor", "heating", "password-1");
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, cd_test_program ("CITYDESK_CTL"), "apikey", "add", "--db", t->db,
                           "fuzz app", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  t->api_key = g_strdup (g_strstrip (out));

  cd_test_server_start (&t->server, t->db);
  t->token = cd_test_login (t->session, t->server.url, "sup", "password-1");
  ticket = cd_test_call (t->session, t->server.url, "POST", "/api/v1/tickets", t->token, "first",
                         valid_registration, SOUP_STATUS_CREATED);
  t->number = g_strdup (
      json_object_get_string_member (json_object_get_object_member (ticket, "ticket"), "number"));
}

static void
target_finish (Target *t)
{
  cd_test_server_stop (&t->server);
  g_assert_cmpint (cd_test_verify (t->db), ==, 0);
  cd_test_server_clear (&t->server);
  g_clear_object (&t->session);
  g_clear_pointer (&t->db, g_free);
  g_clear_pointer (&t->token, g_free);
  g_clear_pointer (&t->api_key, g_free);
  g_clear_pointer (&t->number, g_free);
}

static gint64
journal_head (Target *t)
{
  g_autoptr(JsonObject) page = cd_test_call (t->session, t->server.url, "GET",
                                              "/api/v1/events?limit=1", t->token, NULL, NULL,
                                              SOUP_STATUS_OK);

  return json_object_get_int_member (page, "head");
}

/* One request with any content type and exact bytes; the answer's text. */
static char *
send_raw (Target     *t,
          const char *method,
          const char *path,
          const char *type,
          const char *body,
          gsize       len,
          gboolean    with_token,
          guint      *status)
{
  g_autofree char *url = g_strconcat (t->server.url, path + 1, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *key = g_strdup_printf ("attack-%u", t->n_keys++);

  g_assert_nonnull (msg);
  if (with_token)
    {
      g_autofree char *header = g_strconcat ("Bearer ", t->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, len);

      soup_message_set_request_body_from_bytes (msg, type, bytes);
    }
  answer = soup_session_send_and_read (t->session, msg, NULL, NULL);
  *status = answer != NULL ? soup_message_get_status (msg) : 0;
  return answer != NULL ? g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer))
                        : NULL;
}

/* The attack was refused with @expected, named @field (API v1 answers)
 * when given, wrote nothing, and the server still answers. */
static void
assert_refused (Target     *t,
                const char *what,
                guint       status,
                const char *text,
                guint       expected,
                const char *field,
                gint64      head_before)
{
  g_autoptr(JsonObject) version = NULL;

  if (status != expected)
    g_test_message ("%s -> %u %s", what, status, text != NULL ? text : "(no answer)");
  g_assert_cmpuint (status, ==, expected);
  if (field != NULL)
    {
      g_autoptr(JsonObject) answer = cd_test_parse_object (text);

      cd_test_assert_error (answer, "bad_request", field);
    }
  version = cd_test_call (t->session, t->server.url, "GET", "/api/v1/version", NULL, NULL, NULL,
                          SOUP_STATUS_OK);
  g_assert_cmpint (journal_head (t), ==, head_before);
}

static GString *
nested (const char *prefix,
        guint       depth,
        const char *suffix)
{
  GString *s = g_string_new (prefix);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, "{\"a\":[");
  g_string_append (s, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append (s, "]}");
  g_string_append (s, suffix);
  return s;
}

/* Deep nesting through every parser path: 17 and 100000 levels of
 * object-in-array (34 and 200000 levels of JSON) inside a member. */
static void
test_deep_nesting (void)
{
  Target t = { 0 };
  g_autofree char *actions = NULL;
  g_autofree char *open311_prefix = NULL;
  const guint depths[] = { 17, 100000 };

  target_start (&t);
  actions = g_strdup_printf ("/api/v1/tickets/%s/actions", t.number);
  open311_prefix =
      g_strdup_printf ("{\"api_key\":\"%s\",\"service_code\":\"roads\",\"lat\":53.9,\"long\":27.5,"
                       "\"description\":",
                       t.api_key);

  for (guint d = 0; d < G_N_ELEMENTS (depths); d++)
    {
      struct { const char *path; const char *prefix; gboolean token; } routes[] = {
        { "/api/v1/tickets", "{\"kind\":\"routine\",\"description\":", TRUE },
        { actions, "{\"action\":\"comment\",\"note\":", TRUE },
        { "/api/v1/login", "{\"user\":\"sup\",\"password\":", FALSE },
        /* Without a token: refused before authentication. */
        { "/api/v1/tickets", "{\"kind\":", FALSE },
        { "/open311/v2/requests.json", open311_prefix, FALSE },
      };

      for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
        {
          g_autoptr(GString) body = nested (routes[r].prefix, depths[d], "}");
          gint64 head = journal_head (&t);
          g_autofree char *text = NULL;
          guint status = 0;

          text = send_raw (&t, "POST", routes[r].path, "application/json", body->str, body->len,
                           routes[r].token, &status);
          assert_refused (&t, routes[r].path, status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
          if (!g_str_has_prefix (routes[r].path, "/open311"))
            g_assert_nonnull (strstr (text, "nested deeper than 32"));
        }

      /* Forms carry no JSON: a deep-looking value is only text, and this
       * long one is refused for its length. */
      {
        /* Percent-encoded, a deeper one would pass max-body. */
        g_autoptr(GString) value = nested ("", MIN (depths[d], 20000), "");
        g_autofree char *escaped = g_uri_escape_string (value->str, NULL, FALSE);
        g_autofree char *form =
            g_strdup_printf ("api_key=%s&service_code=roads&lat=53.9&long=27.5&description=%s",
                             t.api_key, escaped);
        g_autofree char *multipart = g_strdup_printf (
            "--b0\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n%s\r\n"
            "--b0\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nroads\r\n"
            "--b0\r\nContent-Disposition: form-data; name=\"address_string\"\r\n\r\n%s\r\n"
            "--b0--\r\n",
            t.api_key, value->str);
        gint64 head = journal_head (&t);
        g_autofree char *text = NULL;
        guint status = 0;

        text = send_raw (&t, "POST", "/open311/v2/requests.json",
                         "application/x-www-form-urlencoded", form, strlen (form), FALSE, &status);
        if (value->len > 10000)
          assert_refused (&t, "form", status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
        else
          g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
        g_free (text);
        head = journal_head (&t);
        text = send_raw (&t, "POST", "/open311/v2/requests.json",
                         "multipart/form-data; boundary=b0", multipart, strlen (multipart), FALSE,
                         &status);
        if (value->len > 256)
          assert_refused (&t, "multipart", status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
        else
          g_assert_cmpuint (status, ==, SOUP_STATUS_CREATED);
      }
    }
  target_finish (&t);
}

/* What each string field is attacked with, as a JSON string's inside. */
static const struct
{
  const char *name;
  const char *json;      /* inside the quotes */
  const char *form;      /* percent-encoded, for forms and queries */
  const char *raw;       /* bytes, for multipart */
  gboolean    bad_json;  /* the JSON text itself is invalid */
} bad_texts[] = {
  { "nul", "a\\u0000b", "a%00b", "a\0b", FALSE },
  { "control", "a\\u0001b", "a%01b", "a\001b", FALSE },
  { "escape", "a\\u001bb", "a%1Bb", "a\033b", FALSE },
  { "del", "a\\u007fb", "a%7Fb", "a\177b", FALSE },
  { "c1", "a\\u0085b", "a%C2%85b", "a\302\205b", FALSE },
  { "invalid-byte", "a\377b", "a%FFb", "a\377b", TRUE },
  { "overlong", "a\300\257b", "a%C0%AFb", "a\300\257b", TRUE },
  { "surrogate-utf8", "a\355\240\200b", "a%ED%A0%80b", "a\355\240\200b", TRUE },
  { "lone-surrogate", "a\\ud800b", NULL, NULL, TRUE },
  { "carriage-return", "a\\rb", "a%0Db", "a\rb", FALSE },
};

static const char * const register_text_fields[] = {
  "kind", "category", "district", "street", "building", "flat", "name", "phone", "description",
  "channel", "policy", "executor",
};

static const char * const open311_text_fields[] = {
  "service_code", "address_string", "address_id", "zipcode", "first_name", "last_name", "phone",
  "email", "description", "device_id", "account_id", "media_url", "jurisdiction_id",
};

/* A registration with @field set to @value (a JSON string's inside). */
static char *
registration_with (const char *field,
                   const char *value)
{
  static const char * const base[][2] = {
    { "kind", "routine" }, { "category", "housing.heating" }, { "district", "Central" },
    { "street", "Lenina" }, { "building", "5" },
  };
  GString *s = g_string_new ("{");
  gboolean set = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    {
      gboolean here = g_str_equal (base[i][0], field);

      g_string_append_printf (s, "%s\"%s\":\"%s\"", i > 0 ? "," : "", base[i][0],
                              here ? value : base[i][1]);
      set |= here;
    }
  if (!set)
    g_string_append_printf (s, ",\"%s\":\"%s\"", field, value);
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* Invalid and overlong UTF-8, NUL and control characters in every string
 * field of every write route: API v1 registration and actions, Open311 in
 * JSON, form and multipart. Then the longest allowed value plus one. */
static void
test_bad_text (void)
{
  Target t = { 0 };
  g_autofree char *actions = NULL;

  target_start (&t);
  actions = g_strdup_printf ("/api/v1/tickets/%s/actions", t.number);

  for (guint b = 0; b < G_N_ELEMENTS (bad_texts); b++)
    {
      const char *action_bodies[][3] = {
        { "note", "{\"action\":\"comment\",\"note\":\"", "\"}" },
        { "executor", "{\"action\":\"assign\",\"executor\":\"", "\"}" },
        { "target", "{\"action\":\"link\",\"relation\":\"notice\",\"target\":\"", "\"}" },
        { "relation", "{\"action\":\"link\",\"target\":\"x\",\"relation\":\"", "\"}" },
        { "action", "{\"action\":\"", "\"}" },
      };
      g_test_message ("attack: %s", bad_texts[b].name);
      for (guint f = 0; f < G_N_ELEMENTS (register_text_fields); f++)
        {
          const char *field = register_text_fields[f];
          g_autofree char *body = registration_with (field, bad_texts[b].json);
          gint64 head = journal_head (&t);
          g_autofree char *text = NULL;
          guint status = 0;

          /* A lone CR is refused everywhere, in free text too. */
          text = send_raw (&t, "POST", "/api/v1/tickets", "application/json", body, strlen (body),
                           TRUE, &status);
          assert_refused (&t, field, status, text, SOUP_STATUS_BAD_REQUEST,
                          bad_texts[b].bad_json ? NULL : field, head);
        }
      for (guint a = 0; a < G_N_ELEMENTS (action_bodies); a++)
        {
          g_autofree char *body = g_strconcat (action_bodies[a][1], bad_texts[b].json,
                                               action_bodies[a][2], NULL);
          gint64 head = journal_head (&t);
          g_autofree char *text = NULL;
          guint status = 0;

          text = send_raw (&t, "POST", actions, "application/json", body, strlen (body), TRUE,
                           &status);
          assert_refused (&t, action_bodies[a][0], status, text, SOUP_STATUS_BAD_REQUEST,
                          bad_texts[b].bad_json ? NULL : action_bodies[a][0], head);
        }

      for (guint f = 0; f < G_N_ELEMENTS (open311_text_fields); f++)
        {
          const char *field = open311_text_fields[f];
          g_autofree char *json =
              g_strdup_printf ("{\"api_key\":\"%s\",\"service_code\":\"roads\",\"lat\":53.9,"
                               "\"long\":27.5,\"%s\":\"%s\"}",
                               t.api_key, field, bad_texts[b].json);
          gint64 head = journal_head (&t);
          g_autofree char *text = NULL;
          guint status = 0;

          if (g_str_equal (field, "service_code"))
            {
              g_free (json);
              json = g_strdup_printf (
                  "{\"api_key\":\"%s\",\"service_code\":\"%s\",\"lat\":53.9,\"long\":27.5}",
                  t.api_key, bad_texts[b].json);
            }
          text = send_raw (&t, "POST", "/open311/v2/requests.json", "application/json", json,
                           strlen (json), FALSE, &status);
          assert_refused (&t, field, status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);

          if (bad_texts[b].form != NULL)
            {
              g_autofree char
                  *form = g_strdup_printf ("api_key=%s&service_code=roads&lat=53.9&long=27.5&%s=%s",
                                           t.api_key, field, bad_texts[b].form);
              g_autofree char *multipart = NULL;

              g_free (text);
              head = journal_head (&t);
              text = send_raw (&t, "POST", "/open311/v2/requests.json",
                               "application/x-www-form-urlencoded", form, strlen (form), FALSE,
                               &status);
              assert_refused (&t, field, status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
              g_assert_nonnull (strstr (text, field));

              multipart = g_strdup_printf (
                  "--b0\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n%s\r\n"
                  "--b0\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nroads\r\n"
                  "--b0\r\nContent-Disposition: form-data; name=\"lat\"\r\n\r\n53.9\r\n"
                  "--b0\r\nContent-Disposition: form-data; name=\"long\"\r\n\r\n27.5\r\n"
                  "--b0\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n",
                  t.api_key, field);
              {
                g_autoptr(GString) part = g_string_new (multipart);

                /* The raw bytes, NUL included. */
                g_string_append_len (part, bad_texts[b].raw,
                                     g_str_equal (bad_texts[b].name, "nul")
                                         ? 3
                                         : strlen (bad_texts[b].raw));
                g_string_append (part, "\r\n--b0--\r\n");
                g_free (text);
                head = journal_head (&t);
                text = send_raw (&t, "POST", "/open311/v2/requests.json",
                                 "multipart/form-data; boundary=b0", part->str, part->len, FALSE,
                                 &status);
                assert_refused (&t, field, status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
              }
            }
        }
    }

  /* Tabs and line breaks are free text's only: a note takes them, a
   * kind does not. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/tickets/%s/actions", t.number);
    g_autoptr(JsonObject) ok =
        cd_test_call (t.session, t.server.url, "POST", path, t.token, "multiline-note",
                      "{\"action\":\"comment\",\"note\":\"line one\\r\\nline\\ttwo\\n\"}",
                      SOUP_STATUS_OK);
    g_autofree char *body = registration_with ("kind", "routine\\n");
    gint64 head = journal_head (&t);
    g_autofree char *text = NULL;
    guint status = 0;

    text = send_raw (&t, "POST", "/api/v1/tickets", "application/json", body, strlen (body), TRUE,
                     &status);
    assert_refused (&t, "kind with a newline", status, text, SOUP_STATUS_BAD_REQUEST, "kind", head);
  }

  /* Lengths: the table's longest plus one byte. */
  {
    static const struct { const char *field; gsize max; } lengths[] = {
      { "street", 256 }, { "building", 32 }, { "name", 256 }, { "phone", 64 }, { "description",
        10000 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
      {
        g_autofree char *fits = g_strnfill (lengths[i].max, 'x');
        g_autofree char *over = g_strnfill (lengths[i].max + 1, 'x');
        g_autofree char *body = registration_with (lengths[i].field, over);
        g_autofree char *body_ok = registration_with (lengths[i].field, fits);
        g_autofree char *key = g_strdup_printf ("fits-%u", i);
        g_autoptr(JsonObject) created = NULL;
        gint64 head = journal_head (&t);
        g_autofree char *text = NULL;
        guint status = 0;

        text = send_raw (&t, "POST", "/api/v1/tickets", "application/json", body, strlen (body),
                         TRUE, &status);
        assert_refused (&t, lengths[i].field, status, text, SOUP_STATUS_BAD_REQUEST,
                        lengths[i].field, head);
        created = cd_test_call (t.session, t.server.url, "POST", "/api/v1/tickets", t.token, key,
                                body_ok, SOUP_STATUS_CREATED);
      }
  }
  target_finish (&t);
}

/* Numbers are plain decimal, coordinates come in pairs and in range,
 * and what a write names must exist. */
static void
test_values (void)
{
  Target t = { 0 };
  g_autofree char *actions = NULL;
  g_autofree char *self_link = NULL;
  static const char * const forms[] = {
    "lat=0x10&long=27.5", "lat=%2B53.9&long=27.5", "lat=%2053.9&long=27.5", "lat=5e1&long=27.5",
    "lat=inf&long=27.5", "lat=nan&long=27.5", "lat=91&long=27.5", "lat=53.9&long=-181",
    "lat=53.9", "long=27.5", "lat=053.9&long=27.5", "lat=53.&long=27.5",
  };

  target_start (&t);
  actions = g_strdup_printf ("/api/v1/tickets/%s/actions", t.number);
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autofree char *form = g_strdup_printf ("api_key=%s&service_code=roads&%s", t.api_key,
                                               forms[i]);
      gint64 head = journal_head (&t);
      g_autofree char *text = NULL;
      guint status = 0;

      text = send_raw (&t, "POST", "/open311/v2/requests.json", "application/x-www-form-urlencoded",
                       form, strlen (form), FALSE, &status);
      assert_refused (&t, forms[i], status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
    }

  self_link =
      g_strdup_printf ("{\"action\":\"link\",\"relation\":\"duplicate_of\",\"target\":\"%s\"}",
                       t.number);
  {
    const struct { const char *path; const char *body; const char *field; } cases[] = {
      { "/api/v1/tickets",
        "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"C\","
        "\"street\":\"L\",\"building\":\"5\",\"lat\":53.9}", "lon" },
      { "/api/v1/tickets",
        "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"C\","
        "\"street\":\"L\",\"building\":\"5\",\"lat\":91,\"lon\":1}", "lat" },
      { "/api/v1/tickets",
        "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"C\","
        "\"street\":\"L\",\"building\":\"5\",\"executor\":\"nobody-at-all\"}", "executor" },
      { "/api/v1/tickets",
        "{\"kind\":\"routine\",\"category\":\"housing.heating\",\"district\":\"C\","
        "\"street\":\"L\",\"building\":\"5\",\"due\":1.5}", "due" },
      { actions, "{\"action\":\"assign\",\"executor\":\"nobody-at-all\"}", "executor" },
      { actions, "{\"action\":\"link\",\"relation\":\"notice\",\"target\":\"2026-999999\"}",
        "target" },
      { actions, self_link, "target" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        gint64 head = journal_head (&t);
        g_autofree char *text = NULL;
        guint status = 0;

        text = send_raw (&t, "POST", cases[i].path, "application/json", cases[i].body,
                         strlen (cases[i].body), TRUE, &status);
        assert_refused (&t, cases[i].body, status, text, SOUP_STATUS_BAD_REQUEST, cases[i].field,
                        head);
      }
  }
  target_finish (&t);
}

/* Query strings with bad bytes, on API and Open311 reads. */
static void
test_query_strings (void)
{
  Target t = { 0 };
  static const char * const queries[] = {
    "/api/v1/tickets?state=%00", "/api/v1/tickets?executor=%FF", "/api/v1/tickets?%C0%AF=1",
    "/api/v1/tickets?executor=a%0Ab", "/api/v1/events?after=%00", "/api/v1/tickets?executor=%C2",
    "/open311/v2/requests.json?service_code=%00", "/open311/v2/requests.xml?status=%ED%A0%80",
  };

  target_start (&t);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gint64 head = journal_head (&t);
      g_autofree char *text = NULL;
      guint status = 0;

      text = send_raw (&t, "GET", queries[i], NULL, NULL, 0, TRUE, &status);
      assert_refused (&t, queries[i], status, text, SOUP_STATUS_BAD_REQUEST, NULL, head);
    }
  target_finish (&t);
}

/* docs/api.md "Writes": a request refused for its content (400) does not
 * burn its Idempotency-Key; a refusal by the transition table (409) is
 * stored and replayed. */
static void
test_idempotency_refusals (void)
{
  Target t = { 0 };
  g_autofree char *actions = NULL;
  g_autoptr(JsonObject) bad = NULL;
  g_autoptr(JsonObject) fixed = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) other = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) completed = NULL;

  target_start (&t);
  actions = g_strdup_printf ("/api/v1/tickets/%s/actions", t.number);

  bad = cd_test_call (t.session, t.server.url, "POST", "/api/v1/tickets", t.token, "reg-key",
                      "{\"kind\":\"routine\",\"colour\":\"red\"}", SOUP_STATUS_BAD_REQUEST);
  fixed = cd_test_call (t.session, t.server.url, "POST", "/api/v1/tickets", t.token, "reg-key",
                        valid_registration, SOUP_STATUS_CREATED);

  /* A field the transition table needs, missing: also content (400). */
  missing = cd_test_call (t.session, t.server.url, "POST", actions, t.token, "wait-key",
                          "{\"action\":\"cancel\"}", SOUP_STATUS_BAD_REQUEST);
  completed = cd_test_call (t.session, t.server.url, "POST", actions, t.token, "wait-key",
                            "{\"action\":\"comment\",\"note\":\"called back\"}", SOUP_STATUS_OK);

  /* close from assigned: the table refuses (409), and that is kept. */
  refused = cd_test_call (t.session, t.server.url, "POST", actions, t.token, "close-key",
                          "{\"action\":\"close\"}", SOUP_STATUS_CONFLICT);
  cd_test_assert_error (refused, "invalid_transition", NULL);
  again = cd_test_call (t.session, t.server.url, "POST", actions, t.token, "close-key",
                        "{\"action\":\"close\"}", SOUP_STATUS_CONFLICT);
  cd_test_assert_error (again, "invalid_transition", NULL);
  other = cd_test_call (t.session, t.server.url, "POST", actions, t.token, "close-key",
                        "{\"action\":\"comment\",\"note\":\"x\"}", SOUP_STATUS_CONFLICT);
  cd_test_assert_error (other, "conflict", "Idempotency-Key");
  target_finish (&t);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/server-fuzz/write-routes", test_fuzz);
  g_test_add_func ("/server-fuzz/deep-nesting", test_deep_nesting);
  g_test_add_func ("/server-fuzz/bad-text", test_bad_text);
  g_test_add_func ("/server-fuzz/values", test_values);
  g_test_add_func ("/server-fuzz/query-strings", test_query_strings);
  g_test_add_func ("/server-fuzz/idempotency-refusals", test_idempotency_refusals);

  return g_test_run ();
}
