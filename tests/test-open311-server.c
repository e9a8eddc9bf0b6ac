// SPDX-License-Identifier: GPL-3.0-or-later
//
// Open311 GeoReport v2 against a real citydesk-server (CITYDESK_SERVER) on
// 127.0.0.1, over a demo city that citydeskctl generated into a temporary
// database: every resource, the filters, paging, the extensions, bad
// api_keys and bad fields, and a retried POST acting once.

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "cd-store.h"
#include "cd-store-users.h"

#include "cd-test.h"
#include "cd-store-search.h"

/* The demo city lives in the three days before this; every test that
 * reads it gives an explicit window, so what they see never depends on
 * the day the tests run. */
#define DEMO_END "2026-06-01T00:00:00Z"
#define DEMO_START "2026-05-29T00:00:00Z"
#define API_KEY "test-key-311"

typedef struct
{
  char        *dir;
  char        *db;
  GSubprocess *server;
  char        *base;
  SoupSession *session;
  gint64       demo_total;
} World;

/* One server for the whole file: the tests only add tickets, never
 * change the demo city's. */
static World world;

typedef struct
{
  guint       status;
  char       *body;
  JsonNode   *json;
  char       *total;
  char       *content_type;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->body);
  g_clear_pointer (&answer->json, json_node_unref);
  g_free (answer->total);
  g_free (answer->content_type);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
http (const char *method,
      const char *path,
      const char *content_type,
      const char *body,
      const char *idempotency_key)
{
  g_autofree char *url = g_strconcat (world.base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  Answer *answer = g_new0 (Answer, 1);
  gsize len = 0;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request_body);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key",
                                  idempotency_key);

  bytes = soup_session_send_and_read (world.session, msg, NULL, &error);
  g_assert_no_error (error);
  answer->status = soup_message_get_status (msg);
  answer->body = g_strndup (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));
  answer->total = g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Total-Count"));
  g_test_message ("%s %s -> %u %.300s", method, path, answer->status, answer->body);
  if (json_parser_load_from_data (parser, answer->body, -1, NULL))
    answer->json = json_node_ref (json_parser_get_root (parser));
  answer->content_type = g_strdup (
      soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  if (g_str_has_suffix (g_uri_get_path (soup_message_get_uri (msg)), ".xml"))
    {
      g_autoptr(GMarkupParseContext) context = NULL;
      static const GMarkupParser checker = { NULL };

      /* Well-formed, or GMarkup says where it is not. */
      g_assert_cmpstr (answer->content_type, ==, "text/xml");
      context = g_markup_parse_context_new (&checker, 0, NULL, NULL);
      g_assert_true (g_str_has_prefix (answer->body, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
      g_markup_parse_context_parse (context, answer->body, -1, &error);
      g_assert_no_error (error);
      g_markup_parse_context_end_parse (context, &error);
      g_assert_no_error (error);
      return answer;
    }
  g_assert_nonnull (answer->json);
  g_assert_cmpstr (answer->content_type, ==, "application/json");
  return answer;
}

static Answer *
get (const char *path)
{
  return http ("GET", path, NULL, NULL, NULL);
}

static Answer *
post_form (const char *body,
           const char *key)
{
  return http ("POST", "/open311/v2/requests.json", "application/x-www-form-urlencoded", body, key);
}

/* The spec's error list: exactly one error with the HTTP status as its
 * code and a description that names what is wrong. */
static void
assert_error (Answer     *answer,
              guint       status,
              const char *mentions)
{
  JsonArray *array;
  JsonObject *error;

  g_assert_cmpuint (answer->status, ==, status);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (answer->json));
  array = json_node_get_array (answer->json);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  error = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, status);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "description"), mentions));
}

static JsonArray *
array_of (Answer *answer)
{
  g_assert_cmpuint (answer->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (answer->json));
  return json_node_get_array (answer->json);
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  /* The spec: always with an offset, so no default zone is given here. */
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

/* requests.json over the demo window, with more query on top. */
static Answer *
demo_requests (const char *more)
{
  g_autofree char
      *path = g_strdup_printf ("/open311/v2/requests.json?start_date=%s&end_date=%s%s%s",
                               DEMO_START, DEMO_END, more ? "&" : "", more ? more : "");

  return get (path);
}

static gint64
default_window_total (void)
{
  g_autoptr(Answer) answer = get ("/open311/v2/requests.json");

  array_of (answer);
  g_assert_nonnull (answer->total);
  return g_ascii_strtoll (answer->total, NULL, 10);
}

static void
test_discovery (void)
{
  g_autoptr(Answer) answer = get ("/open311/v2/discovery.json");
  JsonObject *root, *endpoint;
  JsonArray *formats;

  g_assert_cmpuint (answer->status, ==, 200);
  root = json_node_get_object (answer->json);
  g_assert_nonnull (json_object_get_string_member (root, "changeset"));
  parse_time (json_object_get_string_member (root, "changeset"));
  g_assert_nonnull (json_object_get_string_member (root, "contact"));
  endpoint = json_array_get_object_element (json_object_get_array_member (root, "endpoints"), 0);
  g_assert_cmpstr (json_object_get_string_member (endpoint, "specification"), ==,
                   "http://wiki.open311.org/GeoReport_v2");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (endpoint, "url"), world.base));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (endpoint, "url"), "/open311/v2"));
  g_assert_cmpstr (json_object_get_string_member (endpoint, "type"), ==, "production");
  formats = json_object_get_array_member (endpoint, "formats");
  g_assert_cmpuint (json_array_get_length (formats), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (formats, 0), ==, "text/xml");
  g_assert_cmpstr (json_array_get_string_element (formats, 1), ==, "application/json");
}

static void
test_services (void)
{
  g_autoptr(Answer) answer = get ("/open311/v2/services.json");
  JsonArray *services = array_of (answer);
  gboolean saw_heating = FALSE;

  g_assert_cmpuint (json_array_get_length (services), >, 10);
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *s = json_array_get_object_element (services, i);

      g_assert_cmpuint (json_object_get_size (s), ==, 7);
      g_assert_false (json_object_get_boolean_member (s, "metadata"));
      g_assert_cmpstr (json_object_get_string_member (s, "type"), ==, "realtime");
      g_assert_cmpstr (json_object_get_string_member (s, "service_code"), !=, "housing");
      if (g_str_equal (json_object_get_string_member (s, "service_code"), "housing.heating"))
        {
          saw_heating = TRUE;
          g_assert_cmpstr (json_object_get_string_member (s, "service_name"), ==, "Heating");
          g_assert_cmpstr (json_object_get_string_member (s, "group"), ==, "Housing and utilities");
        }
    }
  g_assert_true (saw_heating);
}

static void
test_service_definition (void)
{
  g_autoptr(Answer) roads = get ("/open311/v2/services/roads.json");
  g_autoptr(Answer) unknown = get ("/open311/v2/services/nothing.json");
  g_autoptr(Answer) group = get ("/open311/v2/services/housing.json");
  JsonObject *definition;

  g_assert_cmpuint (roads->status, ==, 200);
  definition = json_node_get_object (roads->json);
  g_assert_cmpstr (json_object_get_string_member (definition, "service_code"), ==, "roads");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (definition, "attributes")),
                    ==, 0);

  assert_error (unknown, 404, "nothing");
  /* A group holds services; it is not one. */
  assert_error (group, 404, "housing");
}

static void
test_filters (void)
{
  g_autoptr(Answer) all = demo_requests ("page_size=1000");
  g_autoptr(Answer) open = demo_requests ("status=open&page_size=1000");
  g_autoptr(Answer) closed = demo_requests ("status=closed&page_size=1000");
  g_autoptr(Answer) both = demo_requests ("status=open,closed&page_size=1");
  g_autoptr(Answer) roads = demo_requests ("service_code=roads&page_size=1000");
  g_autoptr(Answer) two = demo_requests ("service_code=roads,noise&page_size=1000");
  g_autoptr(Answer) day = NULL;
  g_autoptr(Answer) updated = NULL;
  g_autoptr(Answer) by_id = NULL;
  g_autofree char *ids = NULL;
  JsonArray *items;
  gint64 n_open, n_closed, n_roads;

  g_assert_cmpint (g_ascii_strtoll (all->total, NULL, 10), ==, world.demo_total);
  g_assert_cmpuint (json_array_get_length (array_of (all)), ==, MIN (world.demo_total, 1000));

  n_open = g_ascii_strtoll (open->total, NULL, 10);
  n_closed = g_ascii_strtoll (closed->total, NULL, 10);
  g_assert_cmpint (n_open, >, 0);
  g_assert_cmpint (n_closed, >, 0);
  g_assert_cmpint (n_open + n_closed, ==, world.demo_total);
  g_assert_cmpint (g_ascii_strtoll (both->total, NULL, 10), ==, world.demo_total);
  items = array_of (open);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "status"),
                     ==, "open");
  items = array_of (closed);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "status"),
                     ==, "closed");

  n_roads = g_ascii_strtoll (roads->total, NULL, 10);
  g_assert_cmpint (n_roads, >, 0);
  g_assert_cmpint (n_roads, <, world.demo_total);
  items = array_of (roads);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "service_code"),
                     ==, "roads");
  g_assert_cmpint (g_ascii_strtoll (two->total, NULL, 10), >, n_roads);

  /* One day of the three: every request inside it, newest first. */
  day = get ("/open311/v2/"
             "requests.json?start_date=2026-05-30T00:00:00%2B03:00&end_date=2026-05-31T00:00:00%"
             "2B03:00&page_size=1000");
  items = array_of (day);
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  g_assert_cmpint (g_ascii_strtoll (day->total, NULL, 10), <, world.demo_total);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gint64 t = parse_time (
          json_object_get_string_member (json_array_get_object_element (items, i),
                                         "requested_datetime"));

      g_assert_cmpint (t, >=, parse_time ("2026-05-30T00:00:00+03:00"));
      g_assert_cmpint (t, <=, parse_time ("2026-05-31T00:00:00+03:00"));
      if (i > 0)
        g_assert_cmpint (t, <=,
                         parse_time (
                             json_object_get_string_member (json_array_get_object_element (items,
                                                                                           i - 1),
                                                            "requested_datetime")));
    }

  updated = demo_requests ("updated_after=2026-05-31T12:00:00Z&page_size=1000");
  items = array_of (updated);
  g_assert_cmpint (g_ascii_strtoll (updated->total, NULL, 10), <, world.demo_total);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpint (parse_time (
                         json_object_get_string_member (json_array_get_object_element (items, i),
                                                        "updated_datetime")),
                     >=, parse_time ("2026-05-31T12:00:00Z"));

  /* A list of ids overrides every other filter, the dates included. */
  items = array_of (roads);
  ids = g_strdup_printf ("/open311/v2/"
                         "requests.json?service_code=noise&start_date=2000-01-01T00:00:00Z&end_"
                         "date=2000-01-02T00:00:00Z"
                         "&service_request_id=%s,%s",
                         json_object_get_string_member (json_array_get_object_element (items, 0),
                                                        "service_request_id"),
                         json_object_get_string_member (json_array_get_object_element (items, 1),
                                                        "service_request_id"));
  by_id = get (ids);
  g_assert_cmpuint (json_array_get_length (array_of (by_id)), ==, 2);
}

static void
test_paging (void)
{
  g_autoptr(Answer) first = demo_requests ("page_size=1000");
  g_autoptr(Answer) beyond = NULL;
  JsonArray *all = array_of (first);
  guint seen = 0;

  for (guint page = 1; page <= 3; page++)
    {
      g_autofree char *more = g_strdup_printf ("page=%u&page_size=40", page);
      g_autoptr(Answer) answer = demo_requests (more);
      JsonArray *items = array_of (answer);

      g_assert_cmpuint (json_array_get_length (items), ==, 40);
      g_assert_cmpint (g_ascii_strtoll (answer->total, NULL, 10), ==, world.demo_total);
      /* Pages are consecutive slices of the one order. */
      for (guint i = 0; i < json_array_get_length (items); i++, seen++)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                        "service_request_id"),
                         ==,
                         json_object_get_string_member (json_array_get_object_element (all, seen),
                                                        "service_request_id"));
    }

  beyond = demo_requests ("page=100000&page_size=1000");
  g_assert_cmpuint (json_array_get_length (array_of (beyond)), ==, 0);
}

static void
test_extensions (void)
{
  g_autoptr(Answer) plain = demo_requests ("page_size=20&status=closed");
  g_autoptr(Answer) extended = demo_requests ("page_size=20&status=closed&extensions=true");
  g_autoptr(Answer) bad = demo_requests ("extensions=maybe");
  JsonArray *items = array_of (extended);

  for (guint i = 0; i < json_array_get_length (array_of (plain)); i++)
    g_assert_false (
        json_object_has_member (json_array_get_object_element (array_of (plain), i), "notes"));

  g_assert_cmpuint (json_array_get_length (items), ==, 20);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *request = json_array_get_object_element (items, i);
      JsonArray *notes = json_object_get_array_member (request, "notes");
      JsonObject *first = json_array_get_object_element (notes, 0);
      gboolean closed = FALSE;

      g_assert_cmpuint (json_array_get_length (notes), >=, 2);
      g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "opened");
      g_assert_cmpstr (json_object_get_string_member (first, "datetime"), ==,
                       json_object_get_string_member (request, "requested_datetime"));
      for (guint j = 0; j < json_array_get_length (notes); j++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (notes, j),
                                                        "type"),
                         "closed"))
          closed = TRUE;
      g_assert_true (closed);
    }
  assert_error (bad, 400, "extensions");
}

static void
test_bad_queries (void)
{
  static const struct {
    const char *path;
    guint status;
    const char *mentions;
  } table[] = {
    { "/open311/v2/requests.json?start_date=yesterday", 400, "start_date" },
    { "/open311/v2/requests.json?end_date=2026-13-01T00:00:00Z", 400, "end_date" },
    { "/open311/v2/requests.json?updated_after=soon", 400, "updated_after" },
    { "/open311/v2/requests.json?status=pending", 400, "status" },
    { "/open311/v2/requests.json?page=0", 400, "page" },
    { "/open311/v2/requests.json?page=two", 400, "page" },
    { "/open311/v2/requests.json?page_size=5000", 400, "page_size" },
    { "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
      400, "90 days" },
    { "/open311/v2/requests.json?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z",
      400, "start_date" },
    { "/open311/v2/requests.yaml", 404, "requests.yaml" },
    { "/open311/v2/requests/2026-999999.json", 404, "2026-999999" },
    { "/open311/v2/tokens/123.json", 404, "tokens" },
    { "/open311/v2/requests", 404, "requests" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(Answer) answer = get (table[i].path);

      assert_error (answer, table[i].status, table[i].mentions);
    }

  {
    g_autoptr(Answer) answer = http ("DELETE", "/open311/v2/requests.json", NULL, NULL, NULL);

    assert_error (answer, 405, "DELETE");
  }
}

static void
test_one_request (void)
{
  g_autoptr(Answer) page = demo_requests ("page_size=1");
  const char *id = json_object_get_string_member (json_array_get_object_element (array_of (page),
                                                                                 0),
                                                  "service_request_id");
  g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s.json", id);
  g_autoptr(Answer) one = get (path);
  JsonArray *items = array_of (one);
  JsonObject *request;

  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  request = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (request, "service_request_id"), ==, id);
  g_assert_cmpuint (json_object_get_size (request), ==, 17);
  /* The resident's phone and name are nobody's business here. */
  g_assert_null (strstr (one->body, "+375"));
  g_assert_null (strstr (one->body, "phone"));
}

static void
test_post (void)
{
  g_autoptr(Answer) created = NULL;
  g_autoptr(Answer) shown = NULL;
  g_autoptr(Answer) as_json = NULL;
  g_autoptr(Answer) multipart = NULL;
  g_autoptr(Answer) window = NULL;
  g_autofree char *path = NULL;
  JsonObject *answer, *request;
  JsonArray *items;
  gint64 before = default_window_total ();
  gboolean found = FALSE;

  created =
      post_form ("api_key=" API_KEY "&jurisdiction_id=minsk&service_code=housing.lifts"
                 "&address_string=ul.+Gorkogo+63%2C+Minsk&lat=53.9&long=27.56"
                 "&description=The+lift+is+stuck+between+floors&first_name=Ivan&last_name=Petrov"
                 "&phone=%2B375291234567&email=ivan%40example.org&device_id=abc",
                 NULL);
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (created->json)), ==, 1);
  answer = json_array_get_object_element (json_node_get_array (created->json), 0);
  g_assert_cmpuint (json_object_get_size (answer), ==, 3);
  g_assert_true (json_object_has_member (answer, "service_notice"));
  g_assert_true (json_object_get_null_member (answer, "account_id"));

  path = g_strdup_printf ("/open311/v2/requests/%s.json?extensions=true",
                          json_object_get_string_member (answer, "service_request_id"));
  shown = get (path);
  request = json_array_get_object_element (array_of (shown), 0);
  g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (request, "service_code"), ==, "housing.lifts");
  g_assert_cmpstr (json_object_get_string_member (request, "description"), ==,
                   "The lift is stuck between floors");
  g_assert_cmpstr (json_object_get_string_member (request, "address"), ==, "ul. Gorkogo 63");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (request, "lat"), 53.9, 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (request, "notes")), >=, 1);
  g_assert_null (strstr (shown->body, "Petrov"));

  as_json = http ("POST", "/open311/v2/requests.json", "application/json",
                  "{\"api_key\":\"" API_KEY
                  "\",\"service_code\":\"noise\",\"lat\":53.91,\"long\":27.55,"
                  "\"description\":\"Loud music\",\"jurisdiction_id\":null,\"attribute[x]\":\"1\"}",
                  NULL);
  g_assert_cmpuint (as_json->status, ==, 201);

  /* An app that attaches a photo: the fields count, the photo is not kept. */
  multipart =
      http ("POST", "/open311/v2/requests.json", "multipart/form-data; boundary=b0undary",
            "--b0undary\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n" API_KEY "\r\n"
            "--b0undary\r\nContent-Disposition: form-data; name=\"service_code\"\r\n\r\nroads\r\n"
            "--b0undary\r\nContent-Disposition: form-data; "
            "name=\"address_string\"\r\n\r\nK\xc3\xb6lnstra\xc3\x9f"
            "e 12, Bonn\r\n"
            "--b0undary\r\nContent-Disposition: form-data; name=\"media\"; filename=\"p.jpg\"\r\n"
            "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0JFIF\x01\xfe\r\n"
            "--b0undary--\r\n",
            NULL);
  g_assert_cmpuint (multipart->status, ==, 201);

  /* With no dates, the last 90 days: the new requests, not the demo's. */
  g_assert_cmpint (default_window_total (), ==, before + 3);
  window = get ("/open311/v2/requests.json?page_size=1000");
  items = array_of (window);
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "service_request_id"),
                     json_object_get_string_member (answer, "service_request_id")))
      found = TRUE;
  g_assert_true (found);
}

static void
test_post_refused (void)
{
  static const struct {
    const char *content_type;
    const char *body;
    guint status;
    const char *mentions;
  } table[] = {
    { "application/x-www-form-urlencoded", "service_code=roads&lat=53.9&long=27.5", 403,
      "api_key" },
    { "application/x-www-form-urlencoded", "api_key=wrong&service_code=roads&lat=53.9&long=27.5",
      403, "api_key" },
    { "application/x-www-form-urlencoded", "api_key=" API_KEY "&lat=53.9&long=27.5", 400,
      "service_code" },
    { "application/x-www-form-urlencoded",
      "api_key=" API_KEY "&service_code=unicorns&lat=53.9&long=27.5", 404, "unicorns" },
    { "application/x-www-form-urlencoded",
      "api_key=" API_KEY "&service_code=housing&lat=53.9&long=27.5", 404, "housing" },
    { "application/x-www-form-urlencoded", "api_key=" API_KEY "&service_code=roads", 400,
      "location" },
    { "application/x-www-form-urlencoded", "api_key=" API_KEY "&service_code=roads&lat=53.9", 400,
      "long" },
    { "application/x-www-form-urlencoded",
      "api_key=" API_KEY "&service_code=roads&lat=91&long=27.5", 400, "lat" },
    { "application/x-www-form-urlencoded",
      "api_key=" API_KEY "&service_code=roads&lat=53.9&long=east", 400, "long" },
    { "application/json", "{\"api_key\":\"" API_KEY "\",\"service_code\":\"roads\",\"lat\":[53.9]}",
      400, "lat" },
    { "application/json", "{\"api_key\":\"" API_KEY "\",", 400, "JSON" },
    { "application/json", "[1,2]", 400, "object" },
    { "multipart/form-data; boundary=zz", "no parts at all", 400, "multipart" },
  };
  gint64 before = default_window_total ();

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(Answer) answer = http ("POST", "/open311/v2/requests.json", table[i].content_type,
                                        table[i].body, NULL);

      assert_error (answer, table[i].status, table[i].mentions);
    }

  {
    g_autofree char *long_key = g_strnfill (129, 'k');
    g_autoptr(Answer) answer = post_form ("api_key=" API_KEY
                                           "&service_code=roads&lat=53.9&long=27.5",
                                           long_key);

    assert_error (answer, 400, "Idempotency-Key");
  }
  /* Nothing refused was registered. */
  g_assert_cmpint (default_window_total (), ==, before);
}

static void
test_retry (void)
{
  const char *body = "api_key=" API_KEY
                     "&service_code=housing.heating&address_string=pr.+Nezavisimosti+4%2C+Minsk"
                     "&description=No+heating+in+flat+12";
  g_autoptr(Answer) first = NULL;
  g_autoptr(Answer) again = NULL;
  g_autoptr(Answer) third = NULL;
  g_autoptr(Answer) other = NULL;
  g_autoptr(Answer) fresh = NULL;
  gint64 before = default_window_total ();

  first = post_form (body, "retry-7f3a");
  g_assert_cmpuint (first->status, ==, 201);
  again = post_form (body, "retry-7f3a");
  third = post_form (body, "retry-7f3a");

  /* The first answer, byte for byte, and one ticket. */
  g_assert_cmpuint (again->status, ==, first->status);
  g_assert_cmpstr (again->body, ==, first->body);
  g_assert_cmpstr (third->body, ==, first->body);
  g_assert_cmpint (default_window_total (), ==, before + 1);

  other = post_form ("api_key=" API_KEY
                     "&service_code=housing.heating&address_string=pr.+Nezavisimosti+6",
                     "retry-7f3a");
  assert_error (other, 409, "Idempotency-Key");
  g_assert_cmpint (default_window_total (), ==, before + 1);

  /* Without a key, the same body is a new request. */
  fresh = post_form (body, NULL);
  g_assert_cmpuint (fresh->status, ==, 201);
  g_assert_cmpstr (fresh->body, !=, first->body);
  g_assert_cmpint (default_window_total (), ==, before + 2);
}

static void
test_fuzz (void)
{
  static const char * const types[] = {
    "application/x-www-form-urlencoded",
    "application/json",
    "multipart/form-data; boundary=x",
    "text/plain",
  };
  static const char * const pieces[] = {
    "api_key=" API_KEY,
    "service_code=roads",
    "service_code=",
    "lat=",
    "lat=1e999",
    "long=-0",
    "&&&",
    "=",
    "%",
    "%zz",
    "%00",
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "null",
    "\"api_key\":\"" API_KEY "\"",
    "\"lat\":",
    "1e308",
    "--x\r\n",
    "Content-Disposition: form-data; name=\"lat\"\r\n\r\n",
    "\xc3\x28",
    "\xff",
    "address_string=%E2%82%AC",
    "description=",
    "\\u0000",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (311);
  g_autoptr(Answer) alive = NULL;
  gint64 before = default_window_total ();
  gint64 created = 0;

  for (guint i = 0; i < 400; i++)
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(Answer) answer = NULL;
      guint n = g_rand_int_range (rand, 0, 8);

      for (guint j = 0; j < n; j++)
        g_string_append (body, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      answer = http ("POST", "/open311/v2/requests.json",
                     types[g_rand_int_range (rand, 0, G_N_ELEMENTS (types))], body->str, NULL);
      /* A refusal in the spec's form, or (rarely) a valid request. */
      if (answer->status == 201)
        {
          created++;
          continue;
        }
      g_assert_cmpuint (answer->status, >=, 400);
      g_assert_cmpuint (answer->status, <, 500);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (answer->json));
    }

  alive = get ("/open311/v2/discovery.json");
  g_assert_cmpuint (alive->status, ==, 200);
  g_assert_cmpint (default_window_total (), ==, before + created);

  {
    g_autoptr(GString) many = g_string_new ("/open311/v2/requests.json?service_request_id=");
    g_autoptr(Answer) answer = NULL;

    for (guint i = 0; i < 1001; i++)
      g_string_append_printf (many, "2026-%06u,", i + 1);
    answer = get (many->str);
    assert_error (answer, 400, "service_request_id");
  }
}

static char *
make_key (const char *holder,
          int        *status)
{
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, g_getenv ("CITYDESK_CTL"), "apikey", "add", "--db", world.db,
                           holder, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_exit_status (proc);
  return g_strdup (g_strstrip (out));
}

static void
test_apikey (void)
{
  g_autofree char *key = NULL;
  g_autofree char *other = NULL;
  g_autofree char *body = NULL;
  g_autofree char *wrong = NULL;
  g_autoptr(Answer) created = NULL;
  g_autoptr(Answer) refused = NULL;
  int status = -1;

  key = make_key ("Minsk 115 app", &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (strlen (key), ==, 32);
  other = make_key ("Public portal", &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (key, !=, other);

  /* The printed key works at once, against the running server. */
  body = g_strdup_printf ("api_key=%s&service_code=roads&lat=53.9&long=27.5", key);
  created = post_form (body, NULL);
  g_assert_cmpuint (created->status, ==, 201);

  wrong = g_strdup_printf ("api_key=%sx&service_code=roads&lat=53.9&long=27.5", key);
  refused = post_form (wrong, NULL);
  assert_error (refused, 403, "api_key");
}

static void
test_xml (void)
{
  g_autoptr(Answer) discovery = get ("/open311/v2/discovery.xml");
  g_autoptr(Answer) services = get ("/open311/v2/services.xml");
  g_autoptr(Answer) definition = get ("/open311/v2/services/roads.xml");
  g_autoptr(Answer) unknown = get ("/open311/v2/services/nothing.xml");
  g_autoptr(Answer) requests = demo_requests ("page_size=3&extensions=true");
  g_autoptr(Answer) requests_xml = NULL;
  g_autoptr(Answer) created = NULL;
  g_autoptr(Answer) again = NULL;
  g_autofree char *path = NULL;
  const char *id;

  g_assert_cmpuint (discovery->status, ==, 200);
  g_assert_nonnull (
      strstr (discovery->body,
              "<formats><format>text/xml</format><format>application/json</format></formats>"));
  g_assert_cmpuint (services->status, ==, 200);
  g_assert_true (
      strstr (services->body, "<services><service><service_code>housing.heating</service_code>") !=
      NULL);
  g_assert_nonnull (strstr (services->body, "<metadata>false</metadata>"));
  g_assert_nonnull (
      strstr (definition->body, "<service_definition><service_code>roads</"
                                "service_code><attributes></attributes></service_definition>"));
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_nonnull (strstr (unknown->body, "<errors><error><code>404</code><description>"));

  /* The same requests as in JSON, element for member. */
  id = json_object_get_string_member (json_array_get_object_element (array_of (requests), 0),
                                      "service_request_id");
  path = g_strdup_printf (
      "/open311/v2/requests.xml?start_date=%s&end_date=%s&page_size=3&extensions=true", DEMO_START,
      DEMO_END);
  requests_xml = get (path);
  g_assert_cmpuint (requests_xml->status, ==, 200);
  g_assert_true (g_str_has_prefix (strstr (requests_xml->body, "<service_requests>"),
                                   "<service_requests><request><service_request_id>"));
  g_assert_nonnull (strstr (requests_xml->body, id));
  g_assert_nonnull (strstr (requests_xml->body, "<notes><note><datetime>"));
  g_assert_nonnull (strstr (requests_xml->body, "<address_id></address_id>"));

  created =
      http ("POST", "/open311/v2/requests.xml", "application/x-www-form-urlencoded",
            "api_key=" API_KEY
            "&service_code=parking&lat=53.9&long=27.5&description=Car+%26+van+%3Con+the+lawn%3E",
            "xml-1");
  g_assert_cmpuint (created->status, ==, 201);
  g_assert_nonnull (strstr (created->body, "<service_requests><request><service_request_id>"));
  g_assert_nonnull (strstr (created->body, "<account_id></account_id>"));
  again =
      http ("POST", "/open311/v2/requests.xml", "application/x-www-form-urlencoded",
            "api_key=" API_KEY
            "&service_code=parking&lat=53.9&long=27.5&description=Car+%26+van+%3Con+the+lawn%3E",
            "xml-1");
  g_assert_cmpstr (again->body, ==, created->body);
}

/* A server must not outlive a test that failed half-way. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Pages of the list off the main loop {{{1 */

/* The list's requests are the single reads' (which are built on the main
 * loop, ticket by ticket), in JSON and in XML, filters and paging alike. */
static void
assert_list_matches_reads (const char *more)
{
  g_autoptr(Answer) list = demo_requests (more);
  g_autofree char
      *xml_more = g_strdup_printf ("/open311/v2/requests.xml?start_date=%s&end_date=%s&%s",
                                   DEMO_START, DEMO_END, more);
  g_autoptr(Answer) xml_list = get (xml_more);
  JsonArray *items = array_of (list);

  g_assert_cmpuint (json_array_get_length (items), >, 0);
  g_assert_cmpuint (xml_list->status, ==, 200);
  g_assert_cmpstr (xml_list->total, ==, list->total);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      const char *id = json_object_get_string_member (json_node_get_object (item),
                                                      "service_request_id");
      g_autofree char *path = g_strdup_printf ("/open311/v2/requests/%s.json?extensions=true", id);
      g_autofree char *xml_path = g_strdup_printf ("/open311/v2/requests/%s.xml?extensions=true",
                                                   id);
      g_autoptr(Answer) one = get (path);
      g_autoptr(Answer) xml_one = get (xml_path);
      const char *start = strstr (xml_one->body, "<request>");
      const char *end = g_strrstr (xml_one->body, "</request>");
      g_autofree char *element = NULL;

      g_assert_true (json_node_equal (item, json_array_get_element (array_of (one), 0)));
      g_assert_nonnull (start);
      g_assert_nonnull (end);
      element = g_strndup (start, end + strlen ("</request>") - start);
      g_assert_nonnull (strstr (xml_list->body, element));
    }
}

static void
test_list_matches_reads (void)
{
  assert_list_matches_reads ("extensions=true&page=2&page_size=25");
  assert_list_matches_reads ("extensions=true&status=closed&page=3&page_size=20");
  assert_list_matches_reads ("extensions=true&status=open&page_size=30");
}

typedef struct
{
  const char *path;
  gint       *answered;
  guint       status;
  char       *retry_after;
  char       *body;
  gint        order;
} PageCall;

static gpointer
page_call_thread (gpointer data)
{
  PageCall *call = data;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (world.base, call->path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, NULL);

  g_assert_nonnull (bytes);
  call->status = soup_message_get_status (msg);
  call->retry_after = g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  call->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  call->order = g_atomic_int_add (call->answered, 1) + 1;
  return NULL;
}

/* The largest pages the server makes: the whole demo window with notes. */
#define BIG_PAGE "/open311/v2/requests.json?start_date=" DEMO_START "&end_date=" DEMO_END \
                 "&page_size=1000&extensions=true"

static void
start_page_calls (PageCall   *calls,
                  GThread   **threads,
                  guint       n,
                  gint       *answered)
{
  for (guint i = 0; i < n; i++)
    {
      calls[i] = (PageCall) { BIG_PAGE, answered, 0, NULL, NULL, 0 };
      threads[i] = g_thread_new ("page", page_call_thread, &calls[i]);
    }
}

static void
page_call_clear (PageCall *call)
{
  g_free (call->retry_after);
  g_free (call->body);
}

/* While the worker builds big pages one after the other, the main loop
 * answers thin reads: one asked for once the first page is back comes
 * back before the last page does. */
static void
test_thin_reads_beside_pages (void)
{
  PageCall calls[3];
  GThread *threads[3];
  gint answered = 0;
  gint thin_before_last = 0;

  start_page_calls (calls, threads, G_N_ELEMENTS (calls), &answered);
  while (g_atomic_int_get (&answered) == 0)
    g_thread_yield ();
  while (g_atomic_int_get (&answered) < (gint) G_N_ELEMENTS (calls))
    {
      g_autoptr(Answer) thin = get ("/open311/v2/services.json");

      g_assert_cmpuint (thin->status, ==, 200);
      if (g_atomic_int_get (&answered) < (gint) G_N_ELEMENTS (calls))
        thin_before_last++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (calls[i].status, ==, 200);
      page_call_clear (&calls[i]);
    }
  g_test_message ("%d thin reads answered before the last page", thin_before_last);
  g_assert_cmpint (thin_before_last, >=, 1);
}

/* The world's server lets 2 pages wait (open311-queue): of 10 asked for
 * at once, some are refused in the spec's error shape, with Retry-After,
 * and the others are whole. */
static void
test_queue_bound (void)
{
  PageCall calls[10];
  GThread *threads[10];
  gint answered = 0;
  guint ok = 0, busy = 0;
  g_autoptr(Answer) reference = get (BIG_PAGE);

  start_page_calls (calls, threads, G_N_ELEMENTS (calls), &answered);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_thread_join (threads[i]);
      if (calls[i].status == 200)
        {
          g_assert_cmpstr (calls[i].body, ==, reference->body);
          ok++;
        }
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *error;

          g_assert_cmpuint (calls[i].status, ==, 503);
          g_assert_cmpstr (calls[i].retry_after, ==, "1");
          g_assert_true (json_parser_load_from_data (parser, calls[i].body, -1, NULL));
          error = json_array_get_object_element (json_node_get_array (
                                                     json_parser_get_root (parser)),
                                                 0);
          g_assert_cmpint (json_object_get_int_member (error, "code"), ==, 503);
          busy++;
        }
      page_call_clear (&calls[i]);
    }
  g_test_message ("%u pages, %u refused", ok, busy);
  g_assert_cmpuint (ok, >=, 1);
  g_assert_cmpuint (busy, >=, 1);
}

/* Clients that ask for big pages and leave at once, while theirs is built
 * or waits: the server drops them and goes on answering. */
static void
test_client_leaves (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (world.base, G_URI_FLAGS_NONE, NULL);
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                              BIG_PAGE);
  g_autoptr(Answer) after = NULL;
  g_autoptr(Answer) thin = NULL;

  g_assert_nonnull (uri);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketConnection) connection =
          g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                           (guint16) g_uri_get_port (uri), NULL, &error);

      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 request, strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
      g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
      g_assert_no_error (error);
    }

  after = get (BIG_PAGE);
  g_assert_cmpuint (json_array_get_length (array_of (after)), ==, world.demo_total);
  thin = get ("/open311/v2/services.json");
  array_of (thin);
}

static void
start_world (void)
{
  const char *ctl = g_getenv ("CITYDESK_CTL");
  const char *server = g_getenv ("CITYDESK_SERVER");
  g_autoptr(GSubprocess) generate = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *out = NULL;
  const char *start;

  g_assert_nonnull (ctl);
  g_assert_nonnull (server);
  world.dir = g_dir_make_tmp ("citydesk-open311-XXXXXX", &error);
  g_assert_no_error (error);
  world.db = g_build_filename (world.dir, "city.db", NULL);

  generate = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, ctl, "demo", "generate",
                               "--db", world.db, "--days", "3", "--tickets-per-day", "150", "--end",
                               DEMO_END, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (generate, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (generate));

  store = cd_store_open (world.db, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_add_api_key (store, API_KEY, "tests", 0, &error));
  g_assert_no_error (error);
  {
    CdTicketFilter query = { 0 };
    g_autoptr(GPtrArray) tickets = cd_store_list_tickets (store, &query, 0, &error);

    g_assert_no_error (error);
    world.demo_total = tickets->len;
    g_assert_cmpint (world.demo_total, >, 200);
  }
  g_clear_object (&store);

  /* The filters are checked over whole lists: pages as large as the
   * spec's 1000, above the server's default of 100. */
  config = g_strconcat (world.db, ".conf", NULL);
  g_file_set_contents (config,
                       "[server]\nopen311-max-page-size=1000\nopen311-queue=2\nopen311-list-rate="
                       "100000\nopen311-list-rate-per-address=100000\n",
                       -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  world.server = g_subprocess_launcher_spawn (launcher, &error, server, "--db", world.db,
                                              "--listen", "127.0.0.1:0", "--config", config, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (world.server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  start = strstr (line, "http://");
  g_assert_nonnull (start);
  world.base = g_strndup (start, strlen (start) - (g_str_has_suffix (start, "/") ? 1 : 0));
  world.session = soup_session_new ();
}

static void
stop_world (void)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (world.server, SIGTERM);
  g_subprocess_wait (world.server, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&world.server);
  g_clear_object (&world.session);

  for (guint i = 0; i < 3; i++)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *path = g_strconcat (world.db, suffixes[i], NULL);

      g_remove (path);
    }
  g_rmdir (world.dir);
  g_free (world.base);
  g_free (world.db);
  g_free (world.dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  if (g_getenv ("CITYDESK_DATA_DIR") == NULL)
    {
      g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);

      g_setenv ("CITYDESK_DATA_DIR", data_dir, TRUE);
    }
  /* Dates come back in the server's zone; the tests compare instants. */
  g_setenv ("TZ", "Europe/Minsk", TRUE);

  g_test_add_func ("/open311-server/discovery", test_discovery);
  g_test_add_func ("/open311-server/services", test_services);
  g_test_add_func ("/open311-server/service-definition", test_service_definition);
  g_test_add_func ("/open311-server/requests/filters", test_filters);
  g_test_add_func ("/open311-server/requests/paging", test_paging);
  g_test_add_func ("/open311-server/requests/extensions", test_extensions);
  g_test_add_func ("/open311-server/requests/bad-queries", test_bad_queries);
  g_test_add_func ("/open311-server/requests/one", test_one_request);
  g_test_add_func ("/open311-server/post", test_post);
  g_test_add_func ("/open311-server/post/refused", test_post_refused);
  g_test_add_func ("/open311-server/post/retry", test_retry);
  g_test_add_func ("/open311-server/xml", test_xml);
  g_test_add_func ("/open311-server/fuzz", test_fuzz);
  g_test_add_func ("/open311-server/apikey", test_apikey);
  g_test_add_func ("/open311-server/requests/list-matches-reads", test_list_matches_reads);
  g_test_add_func ("/open311-server/requests/thin-reads-beside-pages",
                   test_thin_reads_beside_pages);
  g_test_add_func ("/open311-server/requests/queue-bound", test_queue_bound);
  g_test_add_func ("/open311-server/requests/client-leaves", test_client_leaves);

  start_world ();
  status = g_test_run ();
  stop_world ();
  return status;
}
