// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl import open311 (the real binary, CITYDESK_CTL) on the dumps
// of tests/data/open311/, written in the shapes Chicago, San Francisco and
// Bonn serve: a bare array and a wrapped one, numeric and string ids,
// null, "" and 0 for missing values, extra fields, broken records, and
// records without any location.

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"

typedef struct
{
  char *db;
} Fixture;

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Runs the import with --json; returns its exit status and its report. */
static int
import (Fixture     *f,
        const char  *dump,
        gboolean     dry_run,
        JsonObject **report)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "open311", dump, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  status = cd_test_ctl (&out, &err, "import", "open311", "--db", f->db, "--json", path,
                dry_run ? "--dry-run" : NULL, NULL);
  g_test_message ("%s: %d\n%s%s", dump, status, out, err);
  *report = parse_object (out);
  return status;
}

static gint64
count_tickets (Fixture *f)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) stats = NULL;
  JsonObject *states;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;
  gint64 total = 0;

  g_assert_cmpint (cd_test_ctl (&out, &err, "stats", "--db", f->db, "--json", NULL), ==, 0);
  stats = parse_object (out);
  states = json_object_get_object_member (stats, "by_state");
  g_assert_nonnull (states);
  json_object_iter_init (&iter, states);
  while (json_object_iter_next (&iter, &member, &node))
    total += json_node_get_int (node);
  return total;
}

static gint64
verify (Fixture *f)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) result = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", f->db, "--json", NULL), ==, 0);
  result = parse_object (out);
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  return json_object_get_int_member (result, "checked");
}

static JsonObject *
show (Fixture    *f,
      const char *number)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) shown = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "show", "--db", f->db, number, "--json",
                                NULL),
                   ==, 0);
  shown = parse_object (out);
  return json_object_ref (json_object_get_object_member (shown, "ticket"));
}

static const char *
number_of (JsonObject *report,
           guint       index)
{
  JsonArray *tickets = json_object_get_array_member (report, "tickets");

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);

      if (json_object_get_int_member (t, "index") == index)
        return json_object_get_string_member (t, "number");
    }
  g_assert_not_reached ();
}

static void
assert_refused (JsonObject         *report,
                const guint        *indexes,
                const char * const *reasons,
                guint               n)
{
  JsonArray *refusals = json_object_get_array_member (report, "refusals");

  g_assert_cmpint (json_object_get_int_member (report, "refused"), ==, n);
  g_assert_cmpuint (json_array_get_length (refusals), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *r = json_array_get_object_element (refusals, i);

      g_assert_cmpint (json_object_get_int_member (r, "index"), ==, indexes[i]);
      g_assert_nonnull (strstr (json_object_get_string_member (r, "reason"), reasons[i]));
    }
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  f->db = g_build_filename (g_get_user_cache_dir (), "import.db", NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->db);
}

static void
test_bare_array (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) open = NULL;
  g_autoptr(JsonObject) nowhere = NULL;
  gint64 events;

  g_assert_cmpint (import (f, "chicago-requests.json", FALSE, &first), ==, 0);
  g_assert_cmpint (json_object_get_int_member (first, "records"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (first, "imported"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (first, "refused"), ==, 0);
  g_assert_cmpint (count_tickets (f), ==, 8);
  events = verify (f);

  /* A closed record: registered when it was requested, closed when it
   * was last updated, with the agency as executor. */
  closed = show (f, number_of (first, 0));
  g_assert_cmpstr (json_object_get_string_member (closed, "state"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (closed, "category"), ==, "roads");
  g_assert_cmpstr (json_object_get_string_member (closed, "channel"), ==, "open311");
  g_assert_cmpint (json_object_get_int_member (closed, "created_at"), ==, 1551712875);
  g_assert_cmpint (json_object_get_int_member (closed, "closed_at"), ==, 1551988960);
  g_assert_cmpstr (json_object_get_string_member (closed, "executor"), ==,
                   "Division of In-House Construction CDOT");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (closed, "address"),
                                                  "building"),
                   ==, "3600");

  open = show (f, number_of (first, 1));
  g_assert_cmpstr (json_object_get_string_member (open, "state"), ==, "assigned");
  g_assert_cmpstr (json_object_get_string_member (open, "category"), ==, "housing.yards");

  /* lat and long of 0 mean "no location", not the Gulf of Guinea. */
  nowhere = show (f, number_of (first, 3));
  g_assert_false (
      json_object_has_member (json_object_get_object_member (nowhere, "address"), "lat"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (nowhere,
                                                                                 "address"),
                                                  "street"),
                   ==, "S HALSTED ST");

  /* The same dump again adds nothing. */
  g_assert_cmpint (import (f, "chicago-requests.json", FALSE, &again), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "imported"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "skipped"), ==, 8);
  g_assert_cmpint (count_tickets (f), ==, 8);
  g_assert_cmpint (verify (f), ==, events);
}

static void
test_wrapped (Fixture       *f,
              gconstpointer  data)
{
  static const guint indexes[] = { 3, 4, 6, 8 };
  static const char * const reasons[] = {
    "requested_datetime", "lat", "not a JSON object", "service_request_id",
  };
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) no_address = NULL;

  /* Some records refused: exit 1, the others imported. */
  g_assert_cmpint (import (f, "sf-requests.json", FALSE, &report), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "records"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 4);
  /* Record 7 repeats record 0's id, as a string instead of a number. */
  g_assert_cmpint (json_object_get_int_member (report, "skipped"), ==, 1);
  assert_refused (report, indexes, reasons, G_N_ELEMENTS (reasons));
  g_assert_cmpint (count_tickets (f), ==, 4);

  /* No address, only lat and long; a date without an offset is UTC. */
  no_address = show (f, number_of (report, 5));
  g_assert_cmpstr (json_object_get_string_member (no_address, "category"), ==, "housing.sewerage");
  g_assert_cmpint (json_object_get_int_member (no_address, "created_at"), ==, 1560243927);
  g_assert_cmpfloat_with_epsilon (
      json_object_get_double_member (json_object_get_object_member (no_address, "address"), "lat"),
      37.75203, 1e-9);

  g_assert_cmpint (import (f, "sf-requests.json", FALSE, &again), ==, 1);
  g_assert_cmpint (json_object_get_int_member (again, "imported"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "skipped"), ==, 5);
  g_assert_cmpint (count_tickets (f), ==, 4);
  verify (f);
}

static void
test_european (Fixture       *f,
               gconstpointer  data)
{
  static const guint indexes[] = { 3, 5 };
  static const char * const reasons[] = { "in Bearbeitung", "yesterday" };
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) brussels = NULL;
  g_autoptr(JsonObject) closed = NULL;
  JsonObject *address;

  g_assert_cmpint (import (f, "bonn-requests.json", FALSE, &report), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 4);
  assert_refused (report, indexes, reasons, G_N_ELEMENTS (reasons));

  closed = show (f, number_of (report, 0));
  g_assert_cmpstr (json_object_get_string_member (closed, "state"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (closed, "category"), ==, "roads");
  g_assert_cmpint (json_object_get_int_member (closed, "created_at"), ==, 1363683600);

  brussels = show (f, number_of (report, 4));
  address = json_object_get_object_member (brussels, "address");
  g_assert_cmpstr (json_object_get_string_member (address, "street"), ==, "Rue de la Loi");
  g_assert_cmpstr (json_object_get_string_member (address, "building"), ==, "16");
  g_assert_cmpstr (json_object_get_string_member (address, "district"), ==, "1000 Bruxelles");
  g_assert_cmpstr (json_object_get_string_member (brussels, "category"), ==, "parking");
  verify (f);
}

static void
assert_no_link (JsonObject *ticket)
{
  JsonObject *links = json_object_get_object_member (ticket, "links");

  g_assert_true (json_object_get_null_member (links, "repeat_of"));
  g_assert_true (json_object_get_null_member (links, "incident"));
}

/* Records without any location, as real cities publish them: null, "",
 * 0 and missing members. */
static void
test_nowhere (Fixture       *f,
              gconstpointer  data)
{
  static const char * const districts[] = { "unknown", "unknown", "60609", "unknown", "unknown" };
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) closed = NULL;
  g_autoptr(JsonObject) addressed = NULL;
  gint64 events;

  g_assert_cmpint (import (f, "nowhere-requests.json", FALSE, &report), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "records"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (report, "refused"), ==, 0);
  g_assert_cmpint (count_tickets (f), ==, 6);
  events = verify (f);

  for (guint i = 0; i < G_N_ELEMENTS (districts); i++)
    {
      g_autoptr(JsonObject) ticket = show (f, number_of (report, i));
      JsonObject *address = json_object_get_object_member (ticket, "address");

      g_test_message ("record %u", i);
      g_assert_cmpstr (json_object_get_string_member (address, "street"), ==, "—");
      g_assert_cmpstr (json_object_get_string_member (address, "building"), ==, "—");
      g_assert_cmpstr (json_object_get_string_member (address, "district"), ==, districts[i]);
      /* 0, 0 is no location, not the Gulf of Guinea. */
      g_assert_false (json_object_has_member (address, "lat"));
      g_assert_false (json_object_has_member (address, "lon"));
      g_assert_cmpstr (json_object_get_string_member (ticket, "channel"), ==, "open311");
      g_assert_nonnull (json_object_get_string_member (ticket, "description"));
      /* Three noise complaints within the hour, and none of them at one
       * place: neither repeats nor a mass incident. */
      assert_no_link (ticket);
    }

  /* Every other field is kept. */
  closed = show (f, number_of (report, 1));
  g_assert_cmpstr (json_object_get_string_member (closed, "state"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (closed, "executor"), ==,
                   "311 Customer Service Center");
  g_assert_cmpstr (json_object_get_string_member (closed, "description"), ==,
                   "Caller asked how to file a claim");
  g_assert_cmpint (json_object_get_int_member (closed, "created_at"), ==, 1560246031);
  g_assert_cmpint (json_object_get_int_member (closed, "closed_at"), ==, 1560355928);

  /* A complaint with an address, in the same hour, is not linked to them. */
  addressed = show (f, number_of (report, 5));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (addressed,
                                                                                 "address"),
                                                  "street"),
                   ==, "S CICERO AVE");
  assert_no_link (addressed);

  g_assert_cmpint (import (f, "nowhere-requests.json", FALSE, &again), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "imported"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (again, "skipped"), ==, 6);
  g_assert_cmpint (verify (f), ==, events);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonObject) dry = NULL;
  g_autoptr(JsonObject) real = NULL;

  g_assert_cmpint (import (f, "bonn-requests.json", TRUE, &dry), ==, 1);
  g_assert_true (json_object_get_boolean_member (dry, "dry_run"));
  g_assert_cmpint (json_object_get_int_member (dry, "imported"), ==, 4);
  g_assert_cmpint (count_tickets (f), ==, 0);

  g_assert_cmpint (import (f, "bonn-requests.json", FALSE, &real), ==, 1);
  g_assert_cmpint (json_object_get_int_member (real, "imported"), ==, 4);
  g_assert_cmpint (count_tickets (f), ==, 4);
}

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const contents[] = {
    "[{\"service_request_id\": 1,",
    "{\"error\": \"rate limit exceeded\"}",
    "",
  };
  g_autofree char *missing = g_build_filename (g_get_user_cache_dir (), "missing.json", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "import", "open311", "--db", f->db, missing, NULL), ==,
                   2);
  g_assert_nonnull (strstr (err, "missing.json"));

  for (guint i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "broken.json", NULL);
      g_autofree char *o = NULL, *e = NULL;

      g_assert_true (g_file_set_contents (path, contents[i], -1, NULL));
      g_assert_cmpint (cd_test_ctl (&o, &e, "import", "open311", "--db", f->db, path, NULL), ==, 2);
      g_assert_nonnull (strstr (e, "broken.json"));
    }
  /* Nothing was created for a file that could not be read. */
  g_assert_false (g_file_test (f->db, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cd_test_ctl (&out, &err, "import", "csv", "--db", f->db, missing, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "csv"));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  /* The store reads the shipped SLA policies and calendars. */
  if (g_getenv ("CITYDESK_DATA_DIR") == NULL)
    {
      g_autofree char *data_dir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);

      g_setenv ("CITYDESK_DATA_DIR", data_dir, TRUE);
    }

  g_test_add ("/open311-import/bare-array", Fixture, NULL, setup, test_bare_array, teardown);
  g_test_add ("/open311-import/wrapped", Fixture, NULL, setup, test_wrapped, teardown);
  g_test_add ("/open311-import/european", Fixture, NULL, setup, test_european, teardown);
  g_test_add ("/open311-import/nowhere", Fixture, NULL, setup, test_nowhere, teardown);
  g_test_add ("/open311-import/dry-run", Fixture, NULL, setup, test_dry_run, teardown);
  g_test_add ("/open311-import/unreadable", Fixture, NULL, setup, test_unreadable, teardown);

  return g_test_run ();
}
