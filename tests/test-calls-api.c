// SPDX-License-Identifier: GPL-3.0-or-later
//
// The calls' API on a real citydesk-server with a queue_log imported by
// the real citydeskctl: the interval statistics, the heatmap and the
// forecast (what the command line prints), the missed calls per role (the
// callers' numbers masked for a role that does not see phones), a
// callback through the API, its Idempotency-Key replayed, malformed bodies
// refused with nothing journaled, and `citydeskctl verify` passing.

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-server.h"
#include "cd-test-sql.h"

#define STATS "/api/v1/calls/stats?from=2026-01-01T06:00:00Z&to=2026-01-01T08:00:00Z" \
              "&interval=30m&target=40s&short_abandon=5s"
#define MISSED "/api/v1/calls/missed"
#define CALLER "+375291111111"

typedef struct
{
  CdTestServer  server;
  SoupSession  *session;
  char         *operator;
  char         *supervisor;
  char         *qc;
  char         *executor;
  char         *admin;
} Fixture;

static gint64
count_callbacks (Fixture *f)
{
  g_autofree char *text = cd_test_sql_text (f->server.db, "SELECT count(*) FROM events "
                                                          "WHERE type = 'callback'");

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static JsonObject *
find_caller (JsonObject *answer,
             const char *caller)
{
  JsonArray *list = json_object_get_array_member (answer, "missed_calls");

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *one = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (one, "caller"), caller) == 0)
        return one;
    }
  return NULL;
}

static char *
object_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* Every role but the executors reads the statistics, and they are what
 * the command line prints. */
static void
test_stats (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const char *readers[] = { f->operator, f->supervisor, f->qc, f->admin };
  g_autoptr(JsonObject) answer = NULL, cli = NULL, error = NULL, bad = NULL;
  g_autofree char *out = NULL, *err = NULL, *api_text = NULL, *cli_text = NULL;
  int status;

  error = cd_test_call (f->session, f->server.url, "GET", STATS, NULL, NULL, NULL,
                        SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&error, json_object_unref);
  error = cd_test_call (f->session, f->server.url, "GET", STATS, f->executor, NULL, NULL,
                        SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (error, "forbidden", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_clear_pointer (&answer, json_object_unref);
      answer = cd_test_call (f->session, f->server.url, "GET", STATS, readers[i], NULL, NULL,
                             SOUP_STATUS_OK);
    }
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (answer, "total"),
                                               "offered"),
                   ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "intervals")),
                    ==, 4);

  status = cd_test_ctl (&out, &err, "calls", "stats", "--db", f->server.db, "--from",
                        "2026-01-01T06:00:00Z", "--to", "2026-01-01T08:00:00Z", "--interval",
                        "30m", "--target", "40s", "--short-abandon", "5s", "--json", NULL);
  g_test_message ("calls stats: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  cli = cd_test_parse_object (out);
  api_text = object_text (answer);
  cli_text = object_text (cli);
  g_assert_cmpstr (api_text, ==, cli_text);

  bad = cd_test_call (f->session, f->server.url, "GET", "/api/v1/calls/stats?from=x&to=y",
                      f->supervisor, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (bad, "bad_request", "from");
  g_clear_pointer (&bad, json_object_unref);
  bad = cd_test_call (f->session, f->server.url, "GET",
                      "/api/v1/calls/stats?from=2026-01-01T06:00:00Z&to=2026-01-01T08:00:00Z"
                      "&interval=2d",
                      f->supervisor, NULL, NULL, SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (bad, "bad_request", "interval");
}

/* The heatmap and the forecast: every role but the executors reads them,
 * and they are what the command line prints. */
static void
test_analytics (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr(JsonObject) heatmap = NULL, stats = NULL, forecast = NULL, cli = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autofree char *out = NULL, *err = NULL, *api_text = NULL, *cli_text = NULL;
  const char *readers[] = { f->operator, f->supervisor, f->qc, f->admin };
  const char *heatmap_path = "/api/v1/calls/heatmap?from=2026-01-01T00:00:00Z"
                             "&to=2026-01-02T00:00:00Z";
  const char *forecast_path = "/api/v1/calls/forecast?day=2026-01-08&interval=1h&target=20s"
                              "&sl=0.9&max_occupancy=0.85&shrinkage=0.3";
  guint offered = 0;
  int status;

  error = cd_test_call (f->session, f->server.url, "GET", heatmap_path, f->executor, NULL, NULL,
                        SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (error, "forbidden", NULL);
  g_clear_pointer (&error, json_object_unref);
  error = cd_test_call (f->session, f->server.url, "GET", forecast_path, f->executor, NULL,
                        NULL, SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (error, "forbidden", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_clear_pointer (&heatmap, json_object_unref);
      g_clear_pointer (&forecast, json_object_unref);
      heatmap = cd_test_call (f->session, f->server.url, "GET", heatmap_path, readers[i], NULL,
                              NULL, SOUP_STATUS_OK);
      forecast = cd_test_call (f->session, f->server.url, "GET", forecast_path, readers[i],
                               NULL, NULL, SOUP_STATUS_OK);
    }

  /* The day's calls per hour add up to the statistics' total. */
  stats = cd_test_call (f->session, f->server.url, "GET",
                        "/api/v1/calls/stats?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"
                        "&interval=1h",
                        f->supervisor, NULL, NULL, SOUP_STATUS_OK);
  for (guint d = 0; d < 7; d++)
    {
      JsonObject *row = json_array_get_object_element (
          json_object_get_array_member (heatmap, "weekdays"), d);

      for (guint h = 0; h < 24; h++)
        offered += json_array_get_int_element (json_object_get_array_member (row, "offered"), h);
    }
  g_assert_cmpuint (offered, >, 0);
  g_assert_cmpint (offered, ==,
                   json_object_get_int_member (json_object_get_object_member (stats, "total"),
                                               "offered"));
  g_assert_cmpint (json_object_get_int_member (heatmap, "offered"), ==, offered);
  status = cd_test_ctl (&out, &err, "calls", "heatmap", "--db", f->server.db, "--from",
                        "2026-01-01T00:00:00Z", "--to", "2026-01-02T00:00:00Z", "--json", NULL);
  g_test_message ("calls heatmap: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  cli = cd_test_parse_object (out);
  api_text = object_text (heatmap);
  cli_text = object_text (cli);
  g_assert_cmpstr (api_text, ==, cli_text);

  /* A Thursday a week after the only day of calls: too few Thursdays,
   * so every day of the weeks before counts, which is that one. */
  g_assert_cmpint (json_object_get_int_member (forecast, "history_days"), ==, 1);
  g_assert_false (json_object_get_boolean_member (forecast, "same_weekday"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (forecast, "intervals")),
                    ==, 24);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&cli, json_object_unref);
  g_clear_pointer (&api_text, g_free);
  g_clear_pointer (&cli_text, g_free);
  status = cd_test_ctl (&out, &err, "calls", "forecast", "--db", f->server.db, "--day",
                        "2026-01-08", "--interval", "1h", "--target", "20s", "--sl", "0.9",
                        "--max-occupancy", "0.85", "--shrinkage", "0.3", "--json", NULL);
  g_test_message ("calls forecast: %d\n%s%s", status, out, err);
  g_assert_cmpint (status, ==, 0);
  cli = cd_test_parse_object (out);
  api_text = object_text (forecast);
  cli_text = object_text (cli);
  g_assert_cmpstr (api_text, ==, cli_text);
}

/* The missed calls for every role but the executors; the numbers whole
 * only for the roles that see residents' phones. */
static void
test_missed (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr(JsonObject) full = NULL, masked = NULL, error = NULL;
  JsonObject *one;
  const char *caller;

  error = cd_test_call (f->session, f->server.url, "GET", MISSED, NULL, NULL, NULL,
                        SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&error, json_object_unref);
  error = cd_test_call (f->session, f->server.url, "GET", MISSED, f->executor, NULL, NULL,
                        SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (error, "forbidden", NULL);

  full = cd_test_call (f->session, f->server.url, "GET", MISSED, f->operator, NULL, NULL,
                       SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (full, "missed_calls")),
                    ==, 3);
  one = find_caller (full, CALLER);
  g_assert_nonnull (one);
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "waiting");

  masked = cd_test_call (f->session, f->server.url, "GET", MISSED, f->qc, NULL, NULL,
                         SOUP_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (masked, "missed_calls")),
                    ==, 3);
  g_assert_null (find_caller (masked, CALLER));
  one = json_array_get_object_element (json_object_get_array_member (masked, "missed_calls"), 0);
  caller = json_object_get_string_member (one, "caller");
  g_assert_true (g_str_has_suffix (caller, "11"));
  g_assert_null (strstr (caller, "29111"));
}

static JsonObject *
post_callback (Fixture    *f,
               const char *call,
               const char *token,
               const char *key,
               const char *body,
               guint       expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/calls/%s/callbacks", call);

  return cd_test_call (f->session, f->server.url, "POST", path, token, key, body, expected);
}

/* A callback through the API, as the account that asks: refusals first,
 * none of which journals anything, then one that counts once however
 * often it is retried. */
static void
test_callback (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const char *bad_bodies[] = {
    "{\"outcome\": \"reached\"", "{\"outcome\": \"reached\", \"actor\": \"anna\"}",
    "{\"outcome\": \"answered\"}", "{\"outcome\": 1}", "{}", "[\"reached\"]",
  };
  g_autoptr(JsonObject) list = NULL, answer = NULL, again = NULL, all = NULL, waiting = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autofree char *call = NULL, *first = NULL, *second = NULL;
  JsonObject *one;
  gint64 before;

  list = cd_test_call (f->session, f->server.url, "GET", MISSED, f->supervisor, NULL, NULL,
                       SOUP_STATUS_OK);
  call = g_strdup (json_object_get_string_member (find_caller (list, CALLER), "call"));
  before = count_callbacks (f);

  refused = post_callback (f, call, NULL, "k0", "{\"outcome\":\"reached\"}",
                           SOUP_STATUS_UNAUTHORIZED);
  g_clear_pointer (&refused, json_object_unref);
  refused = post_callback (f, call, f->executor, "k0", "{\"outcome\":\"reached\"}",
                           SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (refused, "forbidden", NULL);
  g_clear_pointer (&refused, json_object_unref);
  /* QC reads the callers masked: it cannot call them back. */
  refused = post_callback (f, call, f->qc, "k0", "{\"outcome\":\"reached\"}",
                           SOUP_STATUS_FORBIDDEN);
  cd_test_assert_error (refused, "forbidden", NULL);
  g_clear_pointer (&refused, json_object_unref);
  refused = post_callback (f, call, f->operator, NULL, "{\"outcome\":\"reached\"}",
                           SOUP_STATUS_BAD_REQUEST);
  cd_test_assert_error (refused, "bad_request", "Idempotency-Key");
  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autofree char *key = g_strdup_printf ("bad-%u", i);

      g_clear_pointer (&refused, json_object_unref);
      refused = post_callback (f, call, f->operator, key, bad_bodies[i],
                               SOUP_STATUS_BAD_REQUEST);
      cd_test_assert_error (refused, "bad_request", NULL);
    }
  g_clear_pointer (&refused, json_object_unref);
  refused = post_callback (f, "no-such-call", f->operator, "k1", "{\"outcome\":\"busy\"}",
                           SOUP_STATUS_NOT_FOUND);
  g_assert_cmpint (count_callbacks (f), ==, before);

  answer = post_callback (f, call, f->operator, "k2", "{\"outcome\": \"reached\"}",
                          SOUP_STATUS_CREATED);
  one = json_object_get_object_member (answer, "missed_call");
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "called_back");
  g_assert_cmpstr (json_object_get_string_member (one, "called_back_by"), ==, "op");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "events")),
                    ==, 1);
  g_assert_cmpint (count_callbacks (f), ==, before + 1);

  /* The retry gets the same answer and journals nothing. */
  again = post_callback (f, call, f->operator, "k2", "{\"outcome\": \"reached\"}",
                         SOUP_STATUS_CREATED);
  first = object_text (answer);
  second = object_text (again);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpint (count_callbacks (f), ==, before + 1);

  /* A new callback to a caller already reached is refused by the rule. */
  g_clear_pointer (&refused, json_object_unref);
  refused = post_callback (f, call, f->supervisor, "k3", "{\"outcome\": \"busy\"}",
                           SOUP_STATUS_CONFLICT);
  cd_test_assert_error (refused, "conflict", NULL);
  g_assert_cmpint (count_callbacks (f), ==, before + 1);

  waiting = cd_test_call (f->session, f->server.url, "GET", MISSED, f->supervisor, NULL, NULL,
                          SOUP_STATUS_OK);
  g_assert_null (find_caller (waiting, CALLER));
  all = cd_test_call (f->session, f->server.url, "GET", MISSED "?all=true", f->supervisor, NULL,
                      NULL, SOUP_STATUS_OK);
  one = find_caller (all, CALLER);
  g_assert_nonnull (one);
  g_assert_cmpstr (json_object_get_string_member (one, "state"), ==, "called_back");
}

/* What an attacker sends the calls routes: deep nesting, bytes that are
 * not UTF-8, control characters, a body past the limit, absurd query
 * values and call ids. Each is a 4xx with the one error shape, nothing is
 * journaled, and the server keeps answering. */
static void
test_attacks (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("{\"outcome\":\"");
  g_autofree char *call = NULL;
  g_autofree char *path = NULL;
  const char *queries[] = {
    "/api/v1/calls/stats?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"
    "&interval=9999999999999999999h",
    "/api/v1/calls/stats?from=2026-01-01T00:00:00Z%01&to=2026-01-02T00:00:00Z",
    "/api/v1/calls/stats?from=%FF%FE&to=2026-01-02T00:00:00Z",
    "/api/v1/calls/stats?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z&interval=1s",
    "/api/v1/calls/stats?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&target=-5s",
    "/api/v1/calls/heatmap?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z",
    "/api/v1/calls/heatmap?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
    "/api/v1/calls/heatmap?from=%FF%FE&to=2026-01-02T00:00:00Z",
    "/api/v1/calls/heatmap?from=2026-01-01T00:00:00Z",
    "/api/v1/calls/forecast?day=2026-13-45",
    "/api/v1/calls/forecast?day=%00",
    "/api/v1/calls/forecast?day=2026-01-08T09:00:00Z",
    "/api/v1/calls/forecast?interval=1s",
    "/api/v1/calls/forecast?interval=9999999999999999999h",
    "/api/v1/calls/forecast?sl=1",
    "/api/v1/calls/forecast?sl=nan",
    "/api/v1/calls/forecast?sl=0.8%00",
    "/api/v1/calls/forecast?shrinkage=-0.1",
    "/api/v1/calls/forecast?max_occupancy=1e309",
    "/api/v1/calls/forecast?target=-5s",
    "/api/v1/calls/forecast?weeks=52",
    "/api/v1/calls/missed?now=%00",
    "/api/v1/calls/missed?all=maybe",
  };
  gint64 before;

  list = cd_test_call (f->session, f->server.url, "GET", MISSED, f->supervisor, NULL, NULL,
                       SOUP_STATUS_OK);
  call = g_strdup (json_object_get_string_member (find_caller (list, CALLER), "call"));
  path = g_strdup_printf ("/api/v1/calls/%s/callbacks", call);
  before = count_callbacks (f);

  for (guint i = 0; i < 64; i++)
    g_string_append (deep, "{\"outcome\":");
  g_string_append (deep, "\"reached\"");
  for (guint i = 0; i < 64; i++)
    g_string_append_c (deep, '}');
  /* Under the server's body limit (bodies past it are refused before any
   * route, test-server-limits.c): the route's own reader must refuse it. */
  for (guint i = 0; i < 900 * 1024; i++)
    g_string_append_c (huge, 'a');
  g_string_append (huge, "\"}");
  {
    const struct {
      const char *body;
      gsize       len;
    } bodies[] = {
      { deep->str, deep->len },
      { "{\"outcome\":\"reach\xff\xfe" "ed\"}", 0 },
      { "{\"outcome\":\"reached\\u0000\"}", 0 },
      { "{\"outcome\":\"reached\x01\"}", 0 },
      { "{\"outcome\":\"reached\",\"outcome\":\"busy\"}", 0 },
      { huge->str, huge->len },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autofree char *key = g_strdup_printf ("attack-%u", i);
        g_autofree char *text = NULL;
        g_autoptr(JsonObject) answer = NULL;
        gsize len = bodies[i].len != 0 ? bodies[i].len : strlen (bodies[i].body);
        guint status = 0;

        text = cd_test_request (f->session, f->server.url, "POST", path, f->operator, key,
                                bodies[i].body, len, &status);
        g_test_message ("body %u (%zu bytes): %u", i, len, status);
        g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
        answer = cd_test_parse_object (text);
        g_assert_true (json_object_has_member (answer, "error"));
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(JsonObject) answer = NULL;
      guint status = 0;

      text = cd_test_request (f->session, f->server.url, "GET", queries[i], f->supervisor, NULL,
                              NULL, 0, &status);
      g_test_message ("%s: %u", queries[i], status);
      g_assert_cmpuint (status, ==, SOUP_STATUS_BAD_REQUEST);
      answer = cd_test_parse_object (text);
      g_assert_true (json_object_has_member (answer, "error"));
    }

  /* Call ids that are no call: not found, never a crash. */
  {
    const char *ids[] = { "%00", "..%2F..%2Fevents", "%FF%FE", "x%0Ay" };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autofree char *target = g_strdup_printf ("/api/v1/calls/%s/callbacks", ids[i]);
        g_autofree char *key = g_strdup_printf ("id-%u", i);
        g_autofree char *text = NULL;
        guint status = 0;

        text = cd_test_request (f->session, f->server.url, "POST", target, f->operator, key,
                                "{\"outcome\":\"busy\"}", 18, &status);
        g_test_message ("%s: %u", target, status);
        g_assert_cmpuint (status, >=, 400);
        g_assert_cmpuint (status, <, 500);
      }
  }

  g_assert_cmpint (count_callbacks (f), ==, before);
  /* Still serving. */
  g_clear_pointer (&list, json_object_unref);
  list = cd_test_call (f->session, f->server.url, "GET", MISSED, f->supervisor, NULL, NULL,
                       SOUP_STATUS_OK);
}

int
main (int    argc,
      char **argv)
{
  Fixture f = { 0 };
  g_autofree char *db = NULL, *log = NULL, *out = NULL, *err = NULL;
  int status;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  db = cd_test_new_db_path ();
  log = g_test_build_filename (G_TEST_DIST, "data", "queue-log", "missed.log", NULL);
  status = cd_test_ctl (&out, &err, "import", "queue-log", "--db", db, log, NULL);
  if (status != 0)
    g_error ("import: %d\n%s%s", status, out, err);
  cd_test_add_user (db, "op", "operator", NULL, "password-1");
  cd_test_add_user (db, "super", "supervisor", NULL, "password-1");
  cd_test_add_user (db, "quality", "qc", NULL, "password-1");
  cd_test_add_user (db, "brigade", "executor", "org-a", "password-1");
  cd_test_add_user (db, "root", "admin", NULL, "password-1");

  f.session = soup_session_new ();
  cd_test_server_start (&f.server, db);
  f.operator = cd_test_login (f.session, f.server.url, "op", "password-1");
  f.supervisor = cd_test_login (f.session, f.server.url, "super", "password-1");
  f.qc = cd_test_login (f.session, f.server.url, "quality", "password-1");
  f.executor = cd_test_login (f.session, f.server.url, "brigade", "password-1");
  f.admin = cd_test_login (f.session, f.server.url, "root", "password-1");

  g_test_add_data_func ("/calls-api/stats", &f, test_stats);
  g_test_add_data_func ("/calls-api/analytics", &f, test_analytics);
  g_test_add_data_func ("/calls-api/missed", &f, test_missed);
  g_test_add_data_func ("/calls-api/attacks", &f, test_attacks);
  g_test_add_data_func ("/calls-api/callback", &f, test_callback);
  status = g_test_run ();

  cd_test_server_stop (&f.server);
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  cd_test_server_clear (&f.server);
  g_clear_object (&f.session);
  g_free (f.operator);
  g_free (f.supervisor);
  g_free (f.qc);
  g_free (f.executor);
  g_free (f.admin);
  return status;
}
