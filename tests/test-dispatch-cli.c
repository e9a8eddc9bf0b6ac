// SPDX-License-Identifier: GPL-3.0-or-later
//
// The dispatch commands of the real citydeskctl (CITYDESK_CTL): register,
// act (allowed and refused), show, tickets, stats, and verify on a sound
// and on a tampered journal.

#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"

typedef struct
{
  char *db;
} Fixture;

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  f->db = g_build_filename (g_get_user_cache_dir (), "cli.db", NULL);
  g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "register", "--db", f->db, "--kind",
                                "emergency", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5", "--phone",
                                "+375291234567", "--executor", "zhes-1", "--now",
                                "2026-01-10T08:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpstr (out, ==, "2026-000001\n");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->db);
}

static void
test_act (Fixture       *f,
          gconstpointer  data)
{
  static const struct {
    const char *action;
    const char *role;
    const char *extra;
    const char *extra2;
    int status;
    const char *expected;
  } steps[] = {
    { "close", "feedback", NULL, NULL, 2, "close only from resolved" },
    { "accept", "operator", NULL, NULL, 2, "accept only by" },
    { "accept", "executor", NULL, NULL, 2, "accept needs org" },
    { "accept", "executor", "--org=zhes-2", NULL, 2, "not with zhes-2" },
    { "accept", "executor", "--org=zhes-1", NULL, 0, "2026-000001 accepted" },
    { "wait", "executor", "--org=zhes-1", NULL, 2, "wait needs note" },
    { "wait", "executor", "--org=zhes-1", "--note=no access", 0, "2026-000001 waiting" },
    /* Back to where it waited: accepted, not in_progress. */
    { "resume", "executor", "--org=zhes-1", NULL, 0, "2026-000001 accepted" },
    { "resolve", "executor", "--org=zhes-1", NULL, 0, "2026-000001 resolved" },
    { "reopen", "feedback", "--note=still cold", NULL, 0, "2026-000001 reopened" },
    { "frobnicate", "admin", NULL, NULL, 2, "frobnicate" },
  };
  g_autofree char *before = NULL, *after = NULL, *err = NULL, *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *ticket;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *out = NULL, *e = NULL, *show_before = NULL, *show_after = NULL, *x = NULL;
      int status;

      cd_test_ctl (&show_before, &x, "ticket", "show", "--db", f->db, "2026-000001", "--json",
           "--now", "2026-01-10T12:00:00Z", NULL);
      g_clear_pointer (&x, g_free);
      status = cd_test_ctl (&out, &e, "ticket", "act", "--db", f->db, "2026-000001",
                            steps[i].action, "--as", steps[i].role, "--actor", "tester", "--now",
                            "2026-01-10T08:20:00Z", steps[i].extra, steps[i].extra2, NULL);
      g_test_message ("%s as %s: %d %s%s", steps[i].action, steps[i].role, status, out, e);
      g_assert_cmpint (status, ==, steps[i].status);
      g_assert_nonnull (strstr (status == 0 ? out : e, steps[i].expected));

      /* A refused action changes nothing. */
      cd_test_ctl (&show_after, &x, "ticket", "show", "--db", f->db, "2026-000001", "--json",
           "--now", "2026-01-10T12:00:00Z", NULL);
      if (status != 0)
        g_assert_cmpstr (show_before, ==, show_after);
    }

  g_assert_cmpint (cd_test_ctl (&json, &err, "ticket", "show", "--db", f->db, "2026-000001",
                                "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  ticket = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "ticket");
  g_assert_cmpstr (json_object_get_string_member (ticket, "state"), ==, "reopened");
  g_assert_cmpint (json_object_get_int_member (ticket, "reopen_count"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "history")), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "sla_events")), ==, 7);
}

/* The clocks come from the SLA engine under the policy chosen at
 * registration (an emergency on heating: ru-ads-emergency). */
static void
test_clocks (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *json = NULL, *err = NULL, *text = NULL, *err2 = NULL, *o = NULL, *e = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *ticket;
  JsonArray *clocks;

  g_assert_cmpint (cd_test_ctl (&json, &err, "ticket", "show", "--db", f->db, "2026-000001",
                                "--json", "--now", "2026-01-10T08:10:00Z", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  ticket = json_object_get_object_member (root, "ticket");
  g_assert_cmpstr (json_object_get_string_member (ticket, "policy"), ==, "ru-ads-emergency");
  /* Due: the acceptance and the localisation, 30 minutes after 08:00. */
  g_assert_cmpint (json_object_get_int_member (ticket, "due_at"), ==, 1768032000 + 1800);
  clocks = json_object_get_array_member (root, "clocks");
  g_assert_cmpuint (json_array_get_length (clocks), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clocks, 0),
                                                  "target"),
                   ==, "acceptance");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clocks, 0),
                                                  "state"),
                   ==, "running");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (clocks, 0),
                                               "elapsed"),
                   ==, 600);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (clocks, 0),
                                               "remaining"),
                   ==, 1200);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (clocks, 2),
                                                  "target"),
                   ==, "repair");

  /* At 09:00, unaccepted: breached, in text too. */
  g_assert_cmpint (cd_test_ctl (&text, &err2, "ticket", "show", "--db", f->db, "2026-000001",
                        "--now", "2026-01-10T09:00:00Z", NULL), ==, 0);
  g_assert_nonnull (strstr (text, "ru-ads-emergency"));
  g_assert_nonnull (strstr (text, "acceptance"));
  g_assert_nonnull (strstr (text, "breached"));

  /* A registration naming a policy that does not exist is refused. */
  g_assert_cmpint (cd_test_ctl (&o, &e, "ticket", "register", "--db", f->db, "--kind", "routine",
                        "--category", "roads", "--district", "Central", "--street", "Lenin St",
                        "--building", "7", "--policy", "no-such-policy", NULL), ==, 2);
  g_assert_nonnull (strstr (e, "no-such-policy"));
}

/* Routing rules are data: edited with citydeskctl routing, used when a
 * ticket is registered without an executor. */
static void
test_routing (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL, *o5 = NULL, *e5 = NULL, *o6 = NULL, *e6 = NULL;
  g_autofree char *o7 = NULL, *e7 = NULL, *rules = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *ticket;

  /* No default yet: a rule cannot be set. */
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "routing", "--db", f->db, "set", "housing", "*", "zhes-1",
                                NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e1, "default"));
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "routing", "--db", f->db, "default", "city-services",
                                NULL),
                   ==, 0);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "routing", "--db", f->db, "set", "housing.heating",
                                "Central", "heat-central", NULL),
                   ==, 0);
  /* A category the classifier does not have is named. */
  g_assert_cmpint (cd_test_ctl (&o4, &e4, "routing", "--db", f->db, "set", "gardens", "*", "x",
                                NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e4, "gardens"));
  g_assert_cmpint (cd_test_ctl (&o5, &e5, "routing", "--db", f->db, "list", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (o5, "heat-central"));

  g_assert_cmpint (cd_test_ctl (&o6, &e6, "ticket", "register", "--db", f->db, "--kind", "routine",
                                "--category", "housing.heating", "--district", "Central",
                                "--street", "Oak St", "--building", "1", "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, o6, -1, NULL));
  ticket = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (ticket, "executor"), ==, "heat-central");

  /* import replaces every rule. */
  rules = g_build_filename (g_get_user_cache_dir (), "rules.json", NULL);
  g_assert_true (g_file_set_contents (
      rules, "{\"default\":\"d\",\"rules\":[{\"category\":\"roads\",\"executor\":\"r\"}]}", -1,
      NULL));
  g_assert_cmpint (cd_test_ctl (&o7, &e7, "routing", "--db", f->db, "import", rules, NULL), ==, 0);
  g_assert_null (strstr (o7, "heat-central"));
  g_assert_nonnull (strstr (o7, "roads"));
}

/* N tickets of one category in one street within an hour make one mass
 * incident; stats count it and show names it. */
static void
test_mass_incident (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *json = NULL, *err = NULL, *stats = NULL, *err2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  /* The fixture's ticket is the first of five in Lenin St (the default N
   * for a street); a sixth in another district stays out. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *out = NULL, *e = NULL, *building = g_strdup_printf ("%u", 10 + i);
      g_autofree char *now = g_strdup_printf ("2026-01-10T08:%02u:00Z", 10 + i * 5);

      g_assert_cmpint (cd_test_ctl (&out, &e, "ticket", "register", "--db", f->db, "--kind",
                                    "emergency", "--category", "housing.heating", "--district",
                                    i < 4 ? "Central" : "North", "--street", "Lenin St",
                                    "--building", building, "--now", now, NULL),
                       ==, 0);
    }

  g_assert_cmpint (cd_test_ctl (&json, &err, "ticket", "show", "--db", f->db, "2026-000003",
                                "--json", "--now", "2026-01-10T09:00:00Z", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (json_object_get_object_member (root,
                                                                                     "ticket"),
                                                      "links"),
                       "incident"),
                   ==, "2026-000001");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "incident_tickets")),
                    ==, 5);

  g_assert_cmpint (cd_test_ctl (&stats, &err2, "stats", "--db", f->db, "--json", "--now",
                                "2026-01-10T09:00:00Z", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, stats, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "mass_incidents"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (root, "in_mass_incidents"), ==, 5);
  /* The projection after those links still replays. */
  {
    g_autofree char *o = NULL, *e = NULL;

    g_assert_cmpint (cd_test_ctl (&o, &e, "verify", "--db", f->db, NULL), ==, 0);
    g_assert_nonnull (strstr (o, "6 tickets"));
  }
}

static void
test_lists (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;
  g_autofree char *out4 = NULL, *err4 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (cd_test_ctl (&out, &err, "tickets", "--db", f->db, "--state", "assigned",
                        "--now", "2026-01-10T08:10:00Z", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2026-000001"));
  /* Heating must be accepted within 30 minutes. */
  g_assert_null (strstr (out, "not acknowledged"));
  g_assert_cmpint (cd_test_ctl (&out2, &err2, "tickets", "--db", f->db, "--stale", "--json",
                        "--now", "2026-01-10T13:00:00Z", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out2, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==,
                    1);
  g_assert_cmpint (cd_test_ctl (&out3, &err3, "tickets", "--db", f->db, "--state", "nonsense",
                                NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err3, "nonsense"));

  g_assert_cmpint (cd_test_ctl (&out4, &err4, "stats", "--db", f->db, "--json", "--now",
                                "2026-01-10T09:00:00Z", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out4, -1, NULL));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "total"),
                   ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                               "unacknowledged"),
                   ==, 1);
}

static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_autofree char *out3 = NULL, *err3 = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", f->db, NULL), ==, 0);

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER events_no_update;"
                                 "UPDATE events SET actor = 'mallory' WHERE seq = 2",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_cmpint (cd_test_ctl (&out2, &err2, "verify", "--db", f->db, NULL), ==, 1);
  g_assert_nonnull (strstr (out2, "event 2"));

  /* A sound chain with a tampered projection: the ticket is named. */
  {
    g_autofree char *o = NULL, *e = NULL, *o2 = NULL, *e2 = NULL;
    g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "projection.db", NULL);

    g_assert_cmpint (cd_test_ctl (&o, &e, "ticket", "register", "--db", path, "--kind", "routine",
                          "--category", "roads", "--district", "Central", "--street", "Lenin St",
                          "--building", "9", "--now", "2026-01-10T08:00:00Z", NULL), ==, 0);
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE tickets SET due_at = due_at + 60", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_cmpint (cd_test_ctl (&o2, &e2, "verify", "--db", path, NULL), ==, 1);
    g_assert_nonnull (strstr (o2, "2026-000001"));
    g_assert_nonnull (strstr (o2, "due_at"));
  }
  g_assert_cmpint (cd_test_ctl (&out3, &err3, "verify", "--db", "/nonexistent/x.db", NULL), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add ("/dispatch-cli/act", Fixture, NULL, setup, test_act, teardown);
  g_test_add ("/dispatch-cli/lists", Fixture, NULL, setup, test_lists, teardown);
  g_test_add ("/dispatch-cli/clocks", Fixture, NULL, setup, test_clocks, teardown);
  g_test_add ("/dispatch-cli/routing", Fixture, NULL, setup, test_routing, teardown);
  g_test_add ("/dispatch-cli/mass-incident", Fixture, NULL, setup, test_mass_incident, teardown);
  g_test_add ("/dispatch-cli/verify", Fixture, NULL, setup, test_verify, teardown);

  return g_test_run ();
}
