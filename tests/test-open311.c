// SPDX-License-Identifier: GPL-3.0-or-later
//
// The pure half of Open311 (src/core/format/cd-open311.c): statuses, dates,
// services, the address split, a ticket as a service request, and dumps in
// the shapes real servers send.

#include "config.h"

#include <string.h>

#include "cd-open311.h"

#include "cd-test.h"

static void
test_status (void)
{
  static const struct {
    CdTicketState state;
    const char *status;
  } table[] = {
    { CD_TICKET_STATE_REGISTERED, "open" },
    { CD_TICKET_STATE_ASSIGNED, "open" },
    { CD_TICKET_STATE_ACCEPTED, "open" },
    { CD_TICKET_STATE_IN_PROGRESS, "open" },
    { CD_TICKET_STATE_WAITING, "open" },
    /* Done by the executor, not yet confirmed by the resident. */
    { CD_TICKET_STATE_RESOLVED, "open" },
    { CD_TICKET_STATE_REOPENED, "open" },
    { CD_TICKET_STATE_CLOSED, "closed" },
    { CD_TICKET_STATE_CLOSED_UNCONFIRMED, "closed" },
    { CD_TICKET_STATE_REFUSED, "closed" },
    { CD_TICKET_STATE_CANCELLED, "closed" },
  };
  static const struct {
    const char *text;
    gboolean ok;
    gboolean closed;
  } words[] = {
    { "open", TRUE, FALSE },
    { "OPEN", TRUE, FALSE },
    { "closed", TRUE, TRUE },
    { "Closed", TRUE, TRUE },
    { "pending", TRUE, FALSE },
    { "completed", TRUE, TRUE },
    { "in Bearbeitung", FALSE, FALSE },
    { "", FALSE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    g_assert_cmpstr (cd_open311_status_for_state (table[i].state), ==, table[i].status);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      gboolean closed = !words[i].closed;

      g_assert_cmpint (cd_open311_status_parse (words[i].text, &closed), ==, words[i].ok);
      if (words[i].ok)
        g_assert_cmpint (closed, ==, words[i].closed);
    }
}

static void
test_time (void)
{
  static const struct {
    const char *text;
    gboolean ok;
    gint64 time;
  } table[] = {
    /* The spec's two examples: the same instant. */
    { "1994-11-05T08:15:30-05:00", TRUE, 784041330 },
    { "1994-11-05T13:15:30Z", TRUE, 784041330 },
    /* What servers send besides. */
    { "1994-11-05T13:15:30.000Z", TRUE, 784041330 },
    { "1994-11-05 13:15:30", TRUE, 784041330 },
    { "1994-11-05T13:15:30", TRUE, 784041330 },
    { "1994-11-05", TRUE, 783993600 },
    { " 1994-11-05T14:15:30+01:00 ", TRUE, 784041330 },
    { "yesterday", FALSE, 0 },
    { "", FALSE, 0 },
    { "1994-13-05T13:15:30Z", FALSE, 0 },
    { "1994-11-05T25:15:30Z", FALSE, 0 },
  };
  g_autoptr(GTimeZone) eastern = g_time_zone_new_identifier ("-05:00");
  g_autoptr(GTimeZone) minsk = g_time_zone_new_identifier ("+03:00");
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      gint64 time = -1;

      g_test_message ("%s", table[i].text);
      g_assert_cmpint (cd_open311_parse_time (table[i].text, &time), ==, table[i].ok);
      if (table[i].ok)
        g_assert_cmpint (time, ==, table[i].time);
    }

  a = cd_open311_format_time (784041330, eastern);
  g_assert_cmpstr (a, ==, "1994-11-05T08:15:30-05:00");
  b = cd_open311_format_time (784041330, NULL);
  g_assert_cmpstr (b, ==, "1994-11-05T13:15:30+00:00");
  c = cd_open311_format_time (784041330, minsk);
  g_assert_cmpstr (c, ==, "1994-11-05T16:15:30+03:00");
}

static void
test_services (void)
{
  static const struct {
    const char *code;
    const char *name;
    const char *category;
  } table[] = {
    { "housing.heating", "whatever", "housing.heating" },
    { "4fd3b656e750846c53000004", "Pothole in Street", "roads" },
    { "4fd3b167e750846744000005", "Graffiti Removal", "housing.yards" },
    { "4ffa4c69601827691b000018", "Abandoned Vehicle", "parking" },
    { "5a6b5ac2d0521c1134854b01", "Muni Feedback", "transport" },
    { "x", "Hot Water Heater Broken", "housing.hot_water" },
    { "17", "Wilder Müll", "housing.yards" },
    { "16", "Straßen- und Gehwegschäden", "roads" },
    { "23", "Parkverstoß", "parking" },
    { "SEWER_BACKUP", NULL, "housing.sewerage" },
    /* Words inside other words do not count. */
    { "1", "Abuse report", "other" },
    { "2", "Bureau visit", "other" },
    { "3", "Theater noise", "noise" },
    { NULL, NULL, "other" },
    /* A group is not a service a ticket can have. */
    { "housing", NULL, "other" },
  };
  const CdCategory *categories;
  guint n, n_services = 0;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_test_message ("%s / %s", table[i].code, table[i].name);
      g_assert_cmpstr (cd_open311_category_for_service (table[i].code, table[i].name), ==,
                       table[i].category);
      g_assert_true (cd_open311_is_service (cd_category_lookup (table[i].category)));
    }

  categories = cd_category_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) service = NULL;
      g_autoptr(JsonObject) definition = NULL;

      if (!cd_open311_is_service (&categories[i]))
        {
          g_assert_cmpstr (categories[i].id, ==, "housing");
          continue;
        }
      n_services++;
      service = cd_open311_service_to_json (&categories[i]);
      g_assert_cmpstr (json_object_get_string_member (service, "service_code"), ==,
                       categories[i].id);
      g_assert_nonnull (json_object_get_string_member (service, "service_name"));
      g_assert_nonnull (json_object_get_string_member (service, "description"));
      g_assert_nonnull (json_object_get_string_member (service, "group"));
      g_assert_nonnull (json_object_get_string_member (service, "keywords"));
      g_assert_false (json_object_get_boolean_member (service, "metadata"));
      g_assert_cmpstr (json_object_get_string_member (service, "type"), ==, "realtime");
      g_assert_cmpuint (json_object_get_size (service), ==, 7);

      definition = cd_open311_service_definition (&categories[i]);
      g_assert_cmpstr (json_object_get_string_member (definition, "service_code"), ==,
                       categories[i].id);
      g_assert_cmpuint (json_array_get_length (
                            json_object_get_array_member (definition, "attributes")),
                        ==, 0);
    }
  g_assert_cmpuint (n_services, ==, n - 1);
}

static void
test_address (void)
{
  static const struct {
    const char *address;
    const char *zipcode;
    const char *district;
    const char *street;
    const char *building;
  } table[] = {
    { "3600 W FULLERTON AVE, CHICAGO, IL, 60647", "60647", "60647", "W FULLERTON AVE", "3600" },
    { "700 N WELLS ST, CHICAGO, IL, 60654", NULL, "CHICAGO, IL, 60654", "N WELLS ST", "700" },
    { "Bornheimer Straße 45, 53111 Bonn", "53111", "53111", "Bornheimer Straße", "45" },
    { "Rue de la Loi 16, 1000 Bruxelles", NULL, "1000 Bruxelles", "Rue de la Loi", "16" },
    { "ул. Ленина  12а", NULL, "unknown", "ул. Ленина", "12а" },
    { "Intersection of MARKET ST and 5TH ST", "", "unknown", "Intersection of MARKET ST and 5TH ST",
      "—" },
    { "", NULL, "unknown", "unknown", "—" },
    { NULL, "94102", "94102", "unknown", "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *district = NULL, *street = NULL, *building = NULL;

      cd_open311_split_address (table[i].address, table[i].zipcode, &district, &street, &building);
      g_assert_cmpstr (district, ==, table[i].district);
      g_assert_cmpstr (street, ==, table[i].street);
      g_assert_cmpstr (building, ==, table[i].building);
    }
}

static CdEvent *
event (const char *id,
       const char *type,
       const char *role,
       gint64      time,
       const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return cd_event_new (id, type, "tester", role, time,
                       json_node_get_object (json_parser_get_root (parser)));
}

static void
test_request (void)
{
  const char *id = "6a1f0c1e-0000-4000-8000-000000000001";
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autoptr(CdTicket) ticket = cd_ticket_new ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+03:00");
  static const char * const members[] = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
  };
  g_autoptr(JsonObject) open = NULL;
  g_autoptr(JsonObject) closed = NULL;
  JsonArray *notes;

  g_ptr_array_add (
      events,
      event (id, "register", "operator", 1767247200,
             "{\"number\":\"2026-000007\",\"kind\":\"routine\",\"category\":\"housing.lifts\","
             "\"district\":\"Central\",\"street\":\"Lenin St\",\"building\":\"5\","
             "\"name\":\"Ivan Petrov\",\"phone\":\"+375291234567\",\"description\":\"The lift is "
             "stuck\","
             "\"lat\":53.9,\"lon\":27.56}"));
  g_ptr_array_add (events,
                   event (id, "assign", "operator", 1767247260, "{\"executor\":\"lift-service\"}"));
  g_ptr_array_add (events,
                   event (id, "accept", "executor", 1767250800, "{\"org\":\"lift-service\"}"));
  g_ptr_array_add (events,
                   event (id, "resolve", "executor", 1767254400, "{\"org\":\"lift-service\"}"));
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(GError) error = NULL;

      cd_ticket_apply (ticket, events->pdata[i], &error);
      g_assert_no_error (error);
    }

  /* Resolved, not yet confirmed: still open. */
  open = cd_open311_request_to_json (ticket, (CdEvent * const *) events->pdata, events->len, FALSE,
                                     tz);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (open, members[i]));
  g_assert_cmpuint (json_object_get_size (open), ==, G_N_ELEMENTS (members));
  g_assert_cmpstr (json_object_get_string_member (open, "service_request_id"), ==, "2026-000007");
  g_assert_cmpstr (json_object_get_string_member (open, "status"), ==, "open");
  g_assert_cmpstr (json_object_get_string_member (open, "service_code"), ==, "housing.lifts");
  g_assert_cmpstr (json_object_get_string_member (open, "agency_responsible"), ==, "lift-service");
  g_assert_cmpstr (json_object_get_string_member (open, "requested_datetime"), ==,
                   "2026-01-01T09:00:00+03:00");
  g_assert_cmpstr (json_object_get_string_member (open, "updated_datetime"), ==,
                   "2026-01-01T11:00:00+03:00");
  g_assert_cmpstr (json_object_get_string_member (open, "address"), ==, "Lenin St 5");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (open, "lat"), 53.9, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (open, "long"), 27.56, 1e-9);
  g_assert_true (json_object_get_null_member (open, "status_notes"));

  g_ptr_array_add (events, event (id, "close", "feedback", 1767340800,
                                  "{\"note\":\"The resident confirmed\"}"));
  g_assert_true (cd_ticket_apply (ticket, events->pdata[events->len - 1], NULL));
  closed = cd_open311_request_to_json (ticket, (CdEvent * const *) events->pdata, events->len, TRUE,
                                       tz);
  g_assert_cmpstr (json_object_get_string_member (closed, "status"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (closed, "status_notes"), ==,
                   "The resident confirmed");
  g_assert_true (json_object_get_null_member (closed, "expected_datetime"));

  notes = json_object_get_array_member (closed, "notes");
  g_assert_cmpuint (json_array_get_length (notes), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 0), "type"),
                   ==, "opened");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 1), "type"),
                   ==, "activity");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 4), "type"),
                   ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 4),
                                                  "description"),
                   ==, "The resident confirmed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (notes, 0),
                                                  "datetime"),
                   ==, "2026-01-01T09:00:00+03:00");

  /* The resident's personal data is never published. */
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
    g_autofree char *text = NULL;

    json_node_set_object (node, closed);
    text = json_to_string (node, FALSE);
    g_assert_null (strstr (text, "1234567"));
    g_assert_null (strstr (text, "Petrov"));
  }
}

static void
test_error_list (void)
{
  g_autoptr(JsonNode) node = cd_open311_error_list (403, "api_key is not valid.");
  JsonObject *error;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  error = json_array_get_object_element (json_node_get_array (node), 0);
  g_assert_cmpint (json_object_get_int_member (error, "code"), ==, 403);
  g_assert_cmpstr (json_object_get_string_member (error, "description"), ==,
                   "api_key is not valid.");
  g_assert_cmpuint (json_object_get_size (error), ==, 2);
}

static void
test_xml (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *xml = NULL;

  g_assert_true (json_parser_load_from_data (
      parser,
      "[{\"service_request_id\":\"2026-000001\",\"description\":\"Tom & Jerry <cats>\","
      "\"lat\":53.5,\"count\":3,\"metadata\":false,\"media_url\":null,"
      "\"notes\":[{\"type\":\"opened\"}],\"attributes\":[]}]",
      -1, NULL));
  xml = cd_open311_to_xml (json_parser_get_root (parser), "service_requests");
  g_assert_cmpstr (
      xml, ==,
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<service_requests><request><service_request_id>2026-000001</service_request_id>"
      "<description>Tom &amp; Jerry &lt;cats&gt;</description><lat>53.5</lat><count>3</count>"
      "<metadata>false</metadata><media_url></media_url>"
      "<notes><note><type>opened</type></note></notes><attributes></attributes>"
      "</request></service_requests>\n");
}

static GPtrArray *
parse (const char  *json,
       GPtrArray  **refusals,
       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return cd_open311_parse_dump (json_parser_get_root (parser), refusals, error);
}

static void
test_dump_shapes (void)
{
  static const char * const good[] = {
    "[{\"service_request_id\":\"A1\",\"requested_datetime\":\"2019-03-04T09:21:15-06:00\","
    "\"address\":\"1 Main St\"}]",
    "{\"service_requests\":[{\"service_request_id\":\"A1\",\"requested_datetime\":\"2019-03-04T09:"
    "21:15-06:00\",\"address\":\"1 Main St\"}]}",
    "{\"requests\":[{\"service_request_id\":\"A1\",\"requested_datetime\":\"2019-03-04T09:21:15-06:"
    "00\",\"address\":\"1 Main St\"}]}",
  };
  static const char * const bad[] = {
    "{\"error\":\"rate limited\"}",
    "{\"service_requests\":{\"service_request_id\":1}}",
    "42",
    "\"text\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GPtrArray) refusals = NULL;
      g_autoptr(GPtrArray) records = parse (good[i], &refusals, NULL);
      CdOpen311Record *record;

      g_assert_nonnull (records);
      g_assert_cmpuint (records->len, ==, 1);
      g_assert_cmpuint (refusals->len, ==, 0);
      record = records->pdata[0];
      g_assert_cmpstr (record->id, ==, "A1");
      g_assert_cmpint (record->requested, ==, 1551712875);
      g_assert_cmpint (record->updated, ==, record->requested);
      g_assert_false (record->closed);
      g_assert_cmpstr (record->category, ==, "other");
      g_assert_cmpstr (record->street, ==, "Main St");
      g_assert_cmpstr (record->building, ==, "1");
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) refusals = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_null (parse (bad[i], &refusals, &error));
      g_assert_error (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_NOT_A_DUMP);
    }
}

static void
test_dump_records (void)
{
  static const struct {
    const char *json;
    const char *id;
    const char *reason;
  } table[] = {
    /* Numbers and strings are the same id; missing values are null, "" or 0. */
    { "{\"service_request_id\":10928273,\"requested_datetime\":\"2019-06-11T08:14:02-07:00\","
      "\"address\":\"x\"}",
      "10928273", NULL },
    { "{\"service_request_id\":10928273.0,\"requested_datetime\":\"2019-06-11T08:14:02-07:00\","
      "\"address\":\"x\"}",
      "10928273", NULL },
    { "{\"service_request_id\":\" 19-1 "
      "\",\"requested_datetime\":\"2019-06-11T08:14:02-07:00\",\"lat\":\"37.5\",\"long\":\"-122."
      "1\",\"address\":\"\",\"zipcode\":0,\"extra\":{\"a\":[1,2]}}",
      "19-1", NULL },
    { "{\"service_request_id\":null,\"requested_datetime\":\"2019-06-11T08:14:02-07:00\","
      "\"address\":\"x\"}",
      NULL, "service_request_id" },
    { "{\"service_request_id\":0,\"requested_datetime\":\"2019-06-11T08:14:02-07:00\",\"address\":"
      "\"x\"}",
      NULL, "service_request_id" },
    { "{\"service_request_id\":\"\",\"requested_datetime\":\"2019-06-11T08:14:02-07:00\","
      "\"address\":\"x\"}",
      NULL, "service_request_id" },
    { "{\"service_request_id\":\"B\",\"requested_datetime\":null,\"address\":\"x\"}", "B",
      "requested_datetime" },
    { "{\"service_request_id\":\"B\",\"requested_datetime\":\"soon\",\"address\":\"x\"}", "B",
      "requested_datetime" },
    { "{\"service_request_id\":\"B\",\"requested_datetime\":\"2019-06-11T08:14:02Z\",\"updated_"
      "datetime\":\"later\",\"address\":\"x\"}",
      "B", "updated_datetime" },
    { "{\"service_request_id\":\"B\",\"requested_datetime\":\"2019-06-11T08:14:02Z\",\"status\":"
      "\"weird\",\"address\":\"x\"}",
      "B", "status" },
    { "{\"service_request_id\":\"B\",\"requested_datetime\":\"2019-06-11T08:14:02Z\",\"lat\":"
      "\"north\",\"long\":1,\"address\":\"x\"}",
      "B", "lat" },
    { "{\"service_request_id\":\"B\",\"requested_datetime\":\"2019-06-11T08:14:02Z\",\"lat\":10,"
      "\"long\":200,\"address\":\"x\"}",
      "B", "long" },
    /* Neither an address nor a location: a ticket without an address. */
    { "{\"service_request_id\":\"B\",\"requested_datetime\":\"2019-06-11T08:14:02Z\",\"lat\":0,"
      "\"long\":0,\"address\":null}",
      "B", NULL },
    { "[1,2]", NULL, "object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *json = g_strdup_printf ("[{\"filler\":true},%s]", table[i].json);
      g_autoptr(GPtrArray) refusals = NULL;
      g_autoptr(GPtrArray) records = NULL;

      g_test_message ("%s", table[i].json);
      records = parse (json, &refusals, NULL);
      g_assert_nonnull (records);
      /* The filler at index 0 has no id: always refused, and first. */
      g_assert_cmpuint (((CdOpen311Refusal *) refusals->pdata[0])->index, ==, 0);
      if (table[i].reason == NULL)
        {
          CdOpen311Record *record;

          g_assert_cmpuint (refusals->len, ==, 1);
          g_assert_cmpuint (records->len, ==, 1);
          record = records->pdata[0];
          g_assert_cmpuint (record->index, ==, 1);
          g_assert_cmpstr (record->id, ==, table[i].id);
        }
      else
        {
          CdOpen311Refusal *refusal;

          g_assert_cmpuint (records->len, ==, 0);
          g_assert_cmpuint (refusals->len, ==, 2);
          refusal = refusals->pdata[1];
          g_assert_cmpuint (refusal->index, ==, 1);
          g_assert_cmpstr (refusal->id, ==, table[i].id);
          g_assert_nonnull (strstr (refusal->reason, table[i].reason));
        }
    }
}

/* A ticket without an address is published without one, as it came. */
static void
test_request_nowhere (void)
{
  g_autoptr(CdEvent) registered = NULL;
  g_autoptr(CdTicket) ticket = cd_ticket_new ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GError) error = NULL;

  registered = event ("6a1f0c1e-0000-4000-8000-000000000002", "register", "admin", 1767247200,
                      "{\"number\":\"2026-000008\",\"kind\":\"routine\","
                      "\"category\":\"noise\",\"district\":\"unknown\","
                      "\"street\":\"—\",\"building\":\"—\"}");
  cd_ticket_apply (ticket, registered, &error);
  g_assert_no_error (error);
  g_assert_false (cd_ticket_has_address (ticket));
  request = cd_open311_request_to_json (ticket, &registered, 1, FALSE, tz);
  g_assert_true (json_object_get_null_member (request, "address"));
  g_assert_true (json_object_get_null_member (request, "lat"));
  g_assert_true (json_object_get_null_member (request, "long"));
}

/* Real dumps hold records without any location: null, "", 0 or no member
 * at all. They become tickets without an address, everything else kept. */
static void
test_dump_nowhere (void)
{
  static const struct {
    const char *json;
    const char *district;
  } table[] = {
    { "{\"address\":null,\"lat\":null,\"long\":null,\"zipcode\":null}", "unknown" },
    { "{\"address\":\"\",\"lat\":\"\",\"long\":\"\",\"zipcode\":\"\"}", "unknown" },
    { "{\"address\":\" \",\"lat\":0,\"long\":0,\"zipcode\":\"60609\"}", "60609" },
    { "{\"address\":null,\"lat\":0.0,\"long\":0.0}", "unknown" },
    /* Half a location is none. */
    { "{\"lat\":41.9,\"long\":null}", "unknown" },
    { "{}", "unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *json = NULL;
      g_autoptr(GPtrArray) refusals = NULL;
      g_autoptr(GPtrArray) records = NULL;
      CdOpen311Record *record;

      /* The location's members first, the rest of the record after. */
      json = g_strdup_printf ("[%.*s%s\"service_request_id\":\"SR-%u\",\"status\":\"closed\","
                              "\"requested_datetime\":\"2019-06-11T01:05:12-05:00\","
                              "\"updated_datetime\":\"2019-06-12T16:12:08-05:00\","
                              "\"service_name\":\"Aircraft Noise Complaint\","
                              "\"description\":\"Low flying planes\","
                              "\"agency_responsible\":\"Department of Aviation\","
                              "\"status_notes\":\"Referred\"}]",
                              (int) strlen (table[i].json) - 1, table[i].json,
                              g_str_equal (table[i].json, "{}") ? "" : ",", i);
      g_test_message ("%s", json);
      records = parse (json, &refusals, NULL);
      g_assert_nonnull (records);
      g_assert_cmpuint (refusals->len, ==, 0);
      g_assert_cmpuint (records->len, ==, 1);
      record = records->pdata[0];
      g_assert_false (record->has_location);
      g_assert_null (record->address);
      g_assert_cmpstr (record->street, ==, CD_TICKET_NO_ADDRESS);
      g_assert_cmpstr (record->building, ==, CD_TICKET_NO_ADDRESS);
      g_assert_cmpstr (record->district, ==, table[i].district);
      g_assert_true (record->closed);
      g_assert_cmpint (record->requested, ==, 1560233112);
      g_assert_cmpint (record->updated, ==, 1560373928);
      g_assert_cmpstr (record->category, ==, "noise");
      g_assert_cmpstr (record->description, ==, "Low flying planes");
      g_assert_cmpstr (record->agency, ==, "Department of Aviation");
      g_assert_cmpstr (record->status_notes, ==, "Referred");
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/open311/status", test_status);
  g_test_add_func ("/open311/time", test_time);
  g_test_add_func ("/open311/services", test_services);
  g_test_add_func ("/open311/address", test_address);
  g_test_add_func ("/open311/request", test_request);
  g_test_add_func ("/open311/request-nowhere", test_request_nowhere);
  g_test_add_func ("/open311/error-list", test_error_list);
  g_test_add_func ("/open311/xml", test_xml);
  g_test_add_func ("/open311/dump/shapes", test_dump_shapes);
  g_test_add_func ("/open311/dump/records", test_dump_records);
  g_test_add_func ("/open311/dump/nowhere", test_dump_nowhere);

  return g_test_run ();
}
