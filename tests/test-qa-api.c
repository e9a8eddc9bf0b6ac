// SPDX-License-Identifier: GPL-3.0-or-later
//
// The quality-control desk's routes on a real citydesk-server over a real
// SQLite file (calls written with the store's API before it starts):
// who may read and evaluate (the role table's `qa` row), an evaluation
// scored as src/core scores it, the list and the week's sample, and what
// an attacker sends (deep nesting, bytes that are not UTF-8, a huge body,
// another role), each refused with nothing journaled; `verify` at the end.

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cd-call.h"
#include "cd-store-calls.h"
#include "cd-test.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

#define ANSWERS \
  "{\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4," \
  " \"empathy\": 3, \"clarifying-questions\": true, \"information-correct\": \"partly\"," \
  " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true," \
  " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true," \
  " \"next-steps\": true, \"anything-else\": false, \"no-hang-up\": true}"

/* Monday 2026-11-30 00:00 UTC: the start of 2026-W49. */
#define W49 G_GINT64_CONSTANT (1796083200)

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *call;
  char         *tokens[6];  /* operator supervisor qc feedback executor admin */
} Fixture;

enum { OPERATOR, SUPERVISOR, QC, FEEDBACK, EXECUTOR, ADMIN };

static gint64
count_events (Fixture *f)
{
  g_autofree char *text = cd_test_sql_text (f->server.db, "SELECT count(*) FROM events");

  return g_ascii_strtoll (text, NULL, 10);
}

static char *
add_calls (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = cd_store_open (db, &error);
  char *first = NULL;

  g_assert_no_error (error);
  g_assert_true (cd_store_begin (store, &error));
  for (int i = 0; i < 6; i++)
    {
      g_autofree char *pbx = g_strdup_printf ("call-%d", i);
      g_autoptr(CdCall) call = cd_call_new (pbx, "city", W49 + (i * 5 + 1) * 3600);
      gboolean added = FALSE;

      call->answered_at = call->entered_at + 5;
      call->agent = g_strdup (i % 2 == 0 ? "PJSIP/101" : "PJSIP/102");
      call->talk_seconds = 120;
      call->ended_by = g_strdup ("caller");
      cd_call_end (call, CD_CALL_ANSWERED, call->entered_at + 130);
      g_assert_true (cd_store_add_call (store, call, &added, &error));
      g_assert_no_error (error);
      if (first == NULL)
        first = cd_call_dup_entity (call);
    }
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
  return first;
}

static JsonObject *
get (Fixture    *f,
     const char *path,
     int         who,
     guint       expected)
{
  return cd_test_call (f->session, f->server.url, "GET", path, f->tokens[who], NULL, NULL,
                       expected);
}

static JsonObject *
post (Fixture    *f,
      const char *body,
      int         who,
      guint       expected)
{
  return cd_test_call (f->session, f->server.url, "POST", "/api/v1/qa/evaluations",
                       f->tokens[who], NULL, body, expected);
}

static void
test_roles (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const char *paths[] = {
    "/api/v1/qa/forms", "/api/v1/qa/evaluations", "/api/v1/qa/sample?week=2026-W49",
  };
  g_autofree char *body = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", "
                                           "\"answers\": " ANSWERS "}", f->call);
  gint64 before = count_events (f);

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      int allowed[] = { SUPERVISOR, QC, ADMIN };
      int refused[] = { OPERATOR, FEEDBACK, EXECUTOR };

      for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
        g_clear_pointer (&(JsonObject *) { get (f, paths[p], allowed[i], SOUP_STATUS_OK) },
                         json_object_unref);
      for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
        {
          g_autoptr(JsonObject) answer = get (f, paths[p], refused[i], SOUP_STATUS_FORBIDDEN);

          cd_test_assert_error (answer, "forbidden", NULL);
        }
    }
  {
    g_autoptr(JsonObject) answer = cd_test_call (f->session, f->server.url, "GET",
                                                 "/api/v1/qa/forms", NULL, NULL, NULL,
                                                 SOUP_STATUS_UNAUTHORIZED);
  }
  {
    int refused[] = { OPERATOR, FEEDBACK, EXECUTOR };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(JsonObject) answer = post (f, body, refused[i], SOUP_STATUS_FORBIDDEN);

        cd_test_assert_error (answer, "forbidden", NULL);
      }
  }
  g_assert_cmpint (count_events (f), ==, before);
}

static void
test_evaluate (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autofree char *body = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", "
                                           "\"version\": 1, \"answers\": " ANSWERS ", "
                                           "\"comments\": [{\"at_ms\": 4200, \"text\": "
                                           "\"Спасибо, что дождались\"}]}", f->call);
  g_autoptr(JsonObject) forms = get (f, "/api/v1/qa/forms", QC, SOUP_STATUS_OK);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) none = NULL;
  g_autoptr(JsonObject) sample = NULL;
  JsonObject *form, *evaluation, *row;
  JsonArray *rows;

  form = json_array_get_object_element (json_object_get_array_member (forms, "forms"), 0);
  g_assert_cmpstr (json_object_get_string_member (form, "id"), ==, "contact-center");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (form,
                                                                                 "document"),
                                                  "id"), ==, "contact-center");

  created = post (f, body, QC, SOUP_STATUS_CREATED);
  evaluation = json_object_get_object_member (created, "evaluation");
  g_assert_cmpfloat (json_object_get_double_member (evaluation, "total"), ==, 75.4);
  g_assert_cmpstr (json_object_get_string_member (evaluation, "band"), ==, "meets");
  g_assert_cmpstr (json_object_get_string_member (evaluation, "evaluator"), ==, "quality");
  g_assert_cmpstr (json_object_get_string_member (evaluation, "operator"), ==, "PJSIP/101");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (evaluation,
                                                                         "comments")), ==, 1);

  list = get (f, "/api/v1/qa/evaluations?operator=PJSIP/101&from=2026-11-30T00:00:00Z"
                 "&to=2026-12-07T00:00:00Z", SUPERVISOR, SOUP_STATUS_OK);
  rows = json_object_get_array_member (list, "evaluations");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==,
                   json_object_get_string_member (evaluation, "id"));
  g_assert_cmpfloat (json_object_get_double_member (row, "critical"), ==, 50.0);
  none = get (f, "/api/v1/qa/evaluations?operator=PJSIP/102", SUPERVISOR, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (none, "evaluations")),
                    ==, 0);

  sample = get (f, "/api/v1/qa/sample?week=2026-W49&per_operator=2", QC, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (sample, "week"), ==, "2026-W49");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sample, "calls")), ==,
                    4);
}

/* The event feed obeys the same role table: an operator or the feedback
 * department gets the evaluation's event (its journal stays whole) without
 * the answers and scores; quality control and supervisors get it all. */
static void
test_feed (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  static const struct {
    int      who;
    gboolean sees;
  } readers[] = {
    { OPERATOR, FALSE }, { FEEDBACK, FALSE }, { QC, TRUE }, { SUPERVISOR, TRUE },
    { ADMIN, TRUE },
  };

  for (guint r = 0; r < G_N_ELEMENTS (readers); r++)
    {
      g_autoptr(JsonObject) feed = get (f, "/api/v1/events?after=0&limit=10000",
                                        readers[r].who, SOUP_STATUS_OK);
      JsonArray *events = json_object_get_array_member (feed, "events");
      guint evaluations = 0;

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);
          const char *payload = json_object_get_string_member (e, "payload");

          if (!g_str_equal (json_object_get_string_member (e, "type"), "evaluate"))
            continue;
          evaluations++;
          if (readers[r].sees)
            {
              g_assert_nonnull (strstr (payload, "\"answers\""));
              g_assert_false (json_object_has_member (e, "masked"));
            }
          else
            {
              g_assert_cmpstr (payload, ==, "{}");
              g_assert_cmpstr (json_object_get_string_member (e, "actor"), ==, "");
              g_assert_true (json_object_has_member (e, "masked"));
            }
        }
      g_assert_cmpuint (evaluations, >=, 1);
    }
}

/* What an attacker sends: each a 4xx in the one error shape, nothing
 * journaled, the server still answering. */
static void
test_attacks (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(GString) over = g_string_new (NULL);
  g_autofree char *other_form = NULL, *bad_comment = NULL, *bad_version = NULL;
  g_autofree char *unknown = NULL, *not_object = NULL, *bad_utf8 = NULL, *no_call = NULL;
  g_autofree char *off_scale = NULL;
  gint64 before = count_events (f);
  const char *queries[] = {
    "/api/v1/qa/sample", "/api/v1/qa/sample?week=2026-W54", "/api/v1/qa/sample?week=%FF%FE",
    "/api/v1/qa/sample?week=2026-W49&per_operator=-1",
    "/api/v1/qa/sample?week=2026-W49&per_operator=99999999999999999999",
    "/api/v1/qa/sample?week=2026-W49&x=1", "/api/v1/qa/evaluations?from=yesterday",
    "/api/v1/qa/evaluations?to=%00",
  };

  g_string_append_printf (deep, "{\"call\": \"%s\", \"form\": \"contact-center\", "
                                "\"answers\": {\"empathy\": ", f->call);
  for (guint i = 0; i < 64; i++)
    g_string_append (deep, "[");
  for (guint i = 0; i < 64; i++)
    g_string_append (deep, "]");
  g_string_append (deep, "}}");
  g_string_append_printf (huge, "{\"call\": \"%s\", \"form\": \"contact-center\", "
                                "\"answers\": " ANSWERS ", \"comments\": [{\"at_ms\": 1, "
                                "\"text\": \"", f->call);
  for (guint i = 0; i < 900 * 1024; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\"}]}");
  g_string_append (over, "{\"call\": \"");
  for (guint i = 0; i < 1100 * 1024; i++)
    g_string_append_c (over, 'a');
  g_string_append (over, "\"}");
  other_form = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", \"version\": "
                                "7, \"answers\": " ANSWERS "}", f->call);
  bad_comment = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", \"answers\": "
                                 ANSWERS ", \"comments\": [{\"at_ms\": 1, \"text\": "
                                 "\"\\u0007\"}]}", f->call);
  bad_version = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", \"version\": "
                                 "\"1\", \"answers\": " ANSWERS "}", f->call);
  unknown = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", \"evaluator\": "
                             "\"someone-else\", \"answers\": " ANSWERS "}", f->call);
  not_object = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", \"answers\": "
                                "[1]}", f->call);
  bad_utf8 = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact\xff\xfe-center\", "
                              "\"answers\": " ANSWERS "}", f->call);
  no_call = g_strdup ("{\"call\": \"no-such-call\", \"form\": \"contact-center\", \"answers\": "
                      ANSWERS "}");
  off_scale = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", \"answers\": "
                               "{\"empathy\": 9}}", f->call);
  {
    const struct {
      const char *body;
      gsize       len;
      guint       status;
    } bodies[] = {
      { deep->str, deep->len, SOUP_STATUS_BAD_REQUEST },
      { huge->str, huge->len, SOUP_STATUS_BAD_REQUEST },
      { over->str, over->len, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE },
      { other_form, 0, SOUP_STATUS_NOT_FOUND },
      { bad_comment, 0, SOUP_STATUS_BAD_REQUEST },
      { bad_version, 0, SOUP_STATUS_BAD_REQUEST },
      { unknown, 0, SOUP_STATUS_BAD_REQUEST },
      { not_object, 0, SOUP_STATUS_BAD_REQUEST },
      { bad_utf8, 0, SOUP_STATUS_BAD_REQUEST },
      { no_call, 0, SOUP_STATUS_NOT_FOUND },
      { off_scale, 0, SOUP_STATUS_BAD_REQUEST },
      { "[]", 0, SOUP_STATUS_BAD_REQUEST },
      { "{\"call\": 1}", 0, SOUP_STATUS_BAD_REQUEST },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autofree char *text = NULL;
        g_autoptr(JsonObject) answer = NULL;
        gsize len = bodies[i].len != 0 ? bodies[i].len : strlen (bodies[i].body);
        guint status = 0;

        text = cd_test_request (f->session, f->server.url, "POST", "/api/v1/qa/evaluations",
                                f->tokens[QC], NULL, bodies[i].body, len, &status);
        g_test_message ("body %u (%zu bytes): %u %s", i, len, status,
                        text != NULL && strlen (text) < 400 ? text : "");
        /* A body past max-body is refused from its Content-Length and the
         * connection closed: the client may see the 413 or only the close,
         * whichever comes first (test-server-limits.c). */
        if (status == 0 && bodies[i].status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
          continue;
        g_assert_cmpuint (status, ==, bodies[i].status);
        answer = cd_test_parse_object (text);
        g_assert_true (json_object_has_member (answer, "error"));
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(JsonObject) answer = get (f, queries[i], QC, SOUP_STATUS_BAD_REQUEST);

      cd_test_assert_error (answer, "bad_request", NULL);
    }
  g_assert_cmpint (count_events (f), ==, before);
  /* Still serving. */
  g_clear_pointer (&(JsonObject *) { get (f, "/api/v1/qa/forms", QC, SOUP_STATUS_OK) },
                   json_object_unref);
}

static JsonObject *
post_to (Fixture    *f,
         const char *path,
         const char *body,
         int         who,
         guint       expected)
{
  return cd_test_call (f->session, f->server.url, "POST", path, f->tokens[who], NULL, body,
                       expected);
}

/* A calibration session through the API: opened by quality control, two
 * evaluators score the call, blind (no answers, no results) until the
 * owner closes it; then each one's deviation from the reference. */
static void
test_calibration (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autofree char *open = g_strdup_printf ("{\"session\": \"week49-a\", \"call\": \"%s\"}",
                                           f->call);
  g_autofree char *mine = g_strdup_printf ("{\"call\": \"%s\", \"form\": \"contact-center\", "
                                           "\"calibration\": \"week49-a\", \"answers\": "
                                           ANSWERS "}", f->call);
  g_autofree char *theirs = NULL;
  g_autoptr(JsonObject) opened = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) blind = NULL;
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) list = NULL;
  JsonObject *calibration;
  JsonArray *results;
  gboolean found = FALSE;

  {
    g_autoptr(GString) text = g_string_new (mine);

    g_string_replace (text, "\"greeting-script\": true", "\"greeting-script\": false", 1);
    theirs = g_string_free (g_steal_pointer (&text), FALSE);
  }

  opened = post_to (f, "/api/v1/qa/calibrations", open, QC, SOUP_STATUS_CREATED);
  calibration = json_object_get_object_member (opened, "calibration");
  g_assert_cmpstr (json_object_get_string_member (calibration, "owner"), ==, "quality");
  g_assert_false (json_object_get_boolean_member (calibration, "closed"));
  again = post_to (f, "/api/v1/qa/calibrations", open, QC, SOUP_STATUS_CONFLICT);
  g_assert_nonnull (again);
  refused = post_to (f, "/api/v1/qa/calibrations", open, OPERATOR, SOUP_STATUS_FORBIDDEN);
  g_clear_pointer (&refused, json_object_unref);
  refused = post_to (f, "/api/v1/qa/calibrations", "{\"session\": \"x\", \"call\": \"y\", "
                     "\"owner\": \"z\"}", QC, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (refused, "bad_request", "owner");

  g_clear_pointer (&(JsonObject *) { post (f, mine, QC, SOUP_STATUS_CREATED) },
                   json_object_unref);
  g_clear_pointer (&(JsonObject *) { post (f, theirs, SUPERVISOR, SOUP_STATUS_CREATED) },
                   json_object_unref);
  blind = get (f, "/api/v1/qa/calibrations/week49-a", SUPERVISOR, SOUP_STATUS_OK);
  calibration = json_object_get_object_member (blind, "calibration");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (calibration,
                                                                         "evaluators")), ==, 2);
  g_assert_false (json_object_has_member (calibration, "results"));

  closed = post_to (f, "/api/v1/qa/calibrations/week49-a/close", "{}", QC, SOUP_STATUS_OK);
  calibration = json_object_get_object_member (closed, "calibration");
  g_assert_true (json_object_get_boolean_member (calibration, "closed"));
  results = json_object_get_array_member (calibration, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);

      if (g_strcmp0 (json_object_get_string_member (row, "evaluator"), "super") != 0)
        continue;
      /* A greeting group of 1 of 2 instead of 2 of 2: 15 × 50 % of the total. */
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "total_deviation"),
                                      -7.5, 1e-9);
      found = TRUE;
    }
  g_assert_true (found);
  missing = get (f, "/api/v1/qa/calibrations/no-such-session", QC, SOUP_STATUS_NOT_FOUND);
  g_assert_nonnull (missing);
  /* Calibration is no operator's result: the one evaluation of test_evaluate. */
  list = get (f, "/api/v1/qa/evaluations?operator=PJSIP/101", SUPERVISOR, SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "evaluations")),
                    ==, 1);
}

int
main (int    argc,
      char **argv)
{
  Fixture f = { 0 };
  g_autofree char *db = NULL;
  const char *users[][2] = {
    { "op", "operator" }, { "super", "supervisor" }, { "quality", "qc" },
    { "fiona", "feedback" }, { "brigade", "executor" }, { "root", "admin" },
  };
  int status;

  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  db = cd_test_new_db_path ();
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    cd_test_add_user (db, users[i][0], users[i][1], i == EXECUTOR ? "org-a" : NULL,
                      "password-1");
  f.call = add_calls (db);
  f.session = soup_session_new ();
  cd_test_server_start (&f.server, db);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    f.tokens[i] = cd_test_login (f.session, f.server.url, users[i][0], "password-1");

  g_test_add_data_func ("/qa-api/roles", &f, test_roles);
  g_test_add_data_func ("/qa-api/evaluate", &f, test_evaluate);
  g_test_add_data_func ("/qa-api/feed", &f, test_feed);
  g_test_add_data_func ("/qa-api/attacks", &f, test_attacks);
  g_test_add_data_func ("/qa-api/calibration", &f, test_calibration);
  status = g_test_run ();

  cd_test_server_stop (&f.server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&f.server);
  g_clear_object (&f.session);
  for (guint i = 0; i < G_N_ELEMENTS (f.tokens); i++)
    g_free (f.tokens[i]);
  g_free (f.call);
  return status;
}
