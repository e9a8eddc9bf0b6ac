// SPDX-License-Identifier: GPL-3.0-or-later
//
// A complaint's life through the real citydeskctl (CITYDESK_CTL): registered
// about a ticket, classified, extended within and past the policy's cap,
// answered (a refusal without reasons refused), a systemic proposal, the
// role rules, the clocks of spb-complaint, verify, and `complaints journal`
// and `complaints stats`; the appeal notice a refusal gets (and the rule
// without one), `complaints draft`, `groups` and `propose`.

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-test.h"
#include "cd-test-ctl.h"

typedef struct
{
  char *db;
} Fixture;

/* Monday 2 March 2026, 10:00 MSK. */
#define REGISTERED "2026-03-02T07:00:00Z"

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  f->db = g_build_filename (g_get_user_cache_dir (), "complaints.db", NULL);
  g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "register", "--db", f->db, "--kind",
                                "routine", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5",
                                "--executor", "zhes-1", "--now", "2026-02-20T08:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpstr (out, ==, "2026-000001\n");
  g_assert_cmpint (cd_test_ctl (&out2, &err2, "ticket", "register", "--db", f->db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5", "--flat",
                                "12", "--name", "Olga Ivanova", "--description",
                                "The crew never came", "--about", "2026-000001", "--now",
                                REGISTERED, NULL),
                   ==, 0);
  g_assert_cmpstr (out2, ==, "2026-000002\n");
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  g_free (f->db);
}

static JsonObject *
show (Fixture    *f,
      const char *now)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "show", "--db", f->db, "2026-000002",
                                "--json", "--now", now, NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
clock_of (JsonObject *shown,
          const char *target)
{
  JsonArray *clocks = json_object_get_array_member (shown, "clocks");

  for (guint i = 0; i < json_array_get_length (clocks); i++)
    {
      JsonObject *c = json_array_get_object_element (clocks, i);

      if (g_str_equal (json_object_get_string_member (c, "target"), target))
        return c;
    }
  g_assert_not_reached ();
}

static void
test_about (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonObject) shown = show (f, REGISTERED);
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL;
  JsonObject *ticket = json_object_get_object_member (shown, "ticket");
  JsonArray *history = json_object_get_array_member (shown, "history");
  gboolean linked = FALSE;

  g_assert_cmpstr (json_object_get_string_member (ticket, "kind"), ==, "complaint");
  g_assert_cmpstr (json_object_get_string_member (ticket, "policy"), ==, "spb-complaint");
  /* The link shows in the history: what it is about, and that it is a ticket. */
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *e = json_array_get_object_element (history, i);
      const char *payload = json_object_get_string_member_with_default (e, "payload", "");

      if (g_str_equal (json_object_get_string_member (e, "type"), "link") &&
          strstr (payload, "\"about\"") != NULL && strstr (payload, "2026-000001") != NULL &&
          strstr (payload, "\"ticket\"") != NULL)
        linked = TRUE;
    }
  g_assert_true (linked);

  /* Nothing to be about, or not a complaint: refused, nothing registered. */
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "ticket", "register", "--db", f->db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5", "--about",
                                "2026-000099", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e1, "2026-000099"));
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "ticket", "register", "--db", f->db, "--kind",
                                "routine", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5", "--about",
                                "2026-000001", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e2, "only a complaint is about"));
}

static void
test_life (Fixture       *f,
           gconstpointer  data)
{
  static const struct {
    const char *action;
    const char *role;
    const char *now;
    const char *args[6];
    int status;
    const char *expected;
  } steps[] = {
    /* Operators register, executors work: neither decides on a complaint. */
    { "classify", "operator", "2026-03-02T08:00:00Z", { "--class=B", "--responsible=Irina" },
      2, "classify only by supervisor, qc, admin" },
    { "classify", "executor", "2026-03-02T08:00:00Z",
      { "--class=B", "--responsible=Irina", "--org=zhes-1" }, 2, "the role executor may not" },
    { "answer", "qc", "2026-03-02T08:00:00Z",
      { "--decision=upheld", "--favour=resident", "--note=Done" }, 2, "answer only from" },
    { "classify", "qc", "2026-03-02T08:00:00Z", { "--class=D", "--responsible=Irina" }, 2,
      "A, B or C" },
    { "classify", "qc", "2026-03-02T08:00:00Z", { "--class=B" }, 2,
      "classify needs responsible" },
    { "classify", "qc", "2026-03-02T08:00:00Z", { "--class=B", "--responsible=Irina Petrova" },
      0, "2026-000002 assigned" },
    /* One extension of the answer, up to the 21 days; a second is refused. */
    { "extend", "supervisor", "2026-03-10T09:00:00Z",
      { "--target=answer", "--days=11", "--note=Needs an expert" }, 2,
      "answer: an extension of up to 10 calendar days" },
    { "extend", "supervisor", "2026-03-10T09:00:00Z",
      { "--target=answer", "--days=10" }, 2, "extend needs note" },
    { "extend", "supervisor", "2026-03-10T09:00:00Z",
      { "--target=answer", "--days=10", "--note=Needs an expert" }, 0, "2026-000002 assigned" },
    { "extend", "supervisor", "2026-03-11T09:00:00Z",
      { "--target=answer", "--days=1", "--note=More" }, 2, "answer: at most 1 extension" },
    { "answer", "operator", "2026-03-20T09:00:00Z",
      { "--decision=upheld", "--favour=resident", "--note=Done" }, 2, "answer only by" },
    { "answer", "qc", "2026-03-20T09:00:00Z",
      { "--decision=refused", "--favour=organization", "--note=We refuse" }, 2,
      "a refusal carries its reasons" },
    { "answer", "qc", "2026-03-20T09:00:00Z",
      { "--decision=refused", "--favour=organization", "--note=We refuse",
        "--reasons=The crew came on 3 March; the resident was away" }, 0,
      "2026-000002 resolved" },
    { "propose", "operator", "2026-03-20T10:00:00Z", { "--note=Call before coming" }, 2,
      "propose only by" },
    { "propose", "qc", "2026-03-20T10:00:00Z", { "--note=Call before coming" }, 0,
      "2026-000002 resolved" },
  };
  g_autoptr(JsonObject) shown = NULL;
  g_autofree char *vo = NULL, *ve = NULL;
  JsonObject *c;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL, *x = NULL;
      g_autofree char *y = NULL;
      const char * const *a = steps[i].args;
      int status;

      cd_test_ctl (&before, &x, "ticket", "show", "--db", f->db, "2026-000002", "--json",
                   "--now", "2026-03-21T09:00:00Z", NULL);
      status = cd_test_ctl (&out, &err, "ticket", "act", "--db", f->db, "2026-000002",
                            steps[i].action, "--as", steps[i].role, "--actor", "tester", "--now",
                            steps[i].now, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
      g_test_message ("%s as %s: %d %s%s", steps[i].action, steps[i].role, status, out, err);
      g_assert_cmpint (status, ==, steps[i].status);
      g_assert_nonnull (strstr (status == 0 ? out : err, steps[i].expected));
      cd_test_ctl (&after, &y, "ticket", "show", "--db", f->db, "2026-000002", "--json",
                   "--now", "2026-03-21T09:00:00Z", NULL);
      if (status != 0)
        g_assert_cmpstr (before, ==, after);
    }

  /* Classified on the day: met; the answer's 9 calendar days end on 11
   * March, 10 more calendar days on Monday the 23rd (the 21st day); the
   * proposal stops its own clock. */
  shown = show (f, "2026-03-21T09:00:00Z");
  c = clock_of (shown, "classification");
  g_assert_cmpstr (json_object_get_string_member (c, "state"), ==, "met");
  c = clock_of (shown, "answer");
  g_assert_cmpstr (json_object_get_string_member (c, "state"), ==, "met");
  g_assert_cmpint (json_object_get_int_member (c, "due"), ==, 1774278000); /* 23 Mar 18:00 MSK */
  c = clock_of (shown, "systemic");
  g_assert_cmpstr (json_object_get_string_member (c, "state"), ==, "met");

  g_assert_cmpint (cd_test_ctl (&vo, &ve, "verify", "--db", f->db, NULL), ==, 0);
}

/* The journal of March: in order of receipt (2026-000003 came in first,
 * registered late with an earlier time), RFC 4180, April's complaint left
 * out; and its figures. */
static void
test_journal (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL, *o5 = NULL, *e5 = NULL, *o6 = NULL, *e6 = NULL;
  g_autofree char *o7 = NULL, *e7 = NULL, *csv = NULL;
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "journal.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) lines = NULL;
  JsonObject *stats, *row;
  JsonArray *by_executor;

  g_assert_cmpint (cd_test_ctl (&o1, &e1, "ticket", "register", "--db", f->db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "North", "--street", "Park Ave", "--building", "7", "--name",
                                "Pavel Smirnov", "--description", "Operator hung up, twice",
                                "--now", "2026-03-01T09:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpstr (o1, ==, "2026-000003\n");
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "ticket", "register", "--db", f->db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "North", "--street", "Park Ave", "--building", "7", "--now",
                                "2026-04-10T09:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "ticket", "act", "--db", f->db, "2026-000002",
                                "classify", "--as", "qc", "--class", "B", "--responsible",
                                "Irina", "--now", "2026-03-02T09:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpint (cd_test_ctl (&o4, &e4, "ticket", "act", "--db", f->db, "2026-000002",
                                "answer", "--as", "qc", "--decision", "refused", "--favour",
                                "organization", "--note", "We refuse", "--reasons",
                                "The crew came; nobody was home", "--now",
                                "2026-03-05T09:00:00Z", NULL),
                   ==, 0);

  g_assert_cmpint (cd_test_ctl (&o5, &e5, "complaints", "journal", "--db", f->db, "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-31T23:59:59Z", "--csv",
                                path, NULL),
                   ==, 0);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "No.,Date received,Classification,"
                                 "Complainant’s name and address,Summary,Result,"
                                 "In whose favour");
  g_assert_cmpstr (lines[1], ==, "2026-000003,2026-03-01,,\"Pavel Smirnov, Park Ave 7, North\","
                                 "\"Operator hung up, twice\",,");
  g_assert_cmpstr (lines[2], ==, "2026-000002,2026-03-02,B,"
                                 "\"Olga Ivanova, Lenin St 5, 12, Central\",The crew never came,"
                                 "Refused: The crew came; nobody was home,Organization");
  g_assert_cmpstr (lines[3], ==, "");

  g_assert_cmpint (cd_test_ctl (&o6, &e6, "complaints", "journal", "--db", f->db, "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-31T23:59:59Z", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (o6, "2026-000003 | "));
  g_assert_nonnull (strstr (o6, "\n2026-000002 | "));
  g_assert_null (strstr (o6, "2026-000004"));

  g_assert_cmpint (cd_test_ctl (&o7, &e7, "complaints", "stats", "--db", f->db, "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-31T23:59:59Z",
                                "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, o7, -1, NULL));
  stats = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (stats, "received"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats, "answered"), ==, 1);
  /* Answered on 5 March, well within the 9 days. */
  g_assert_cmpint (json_object_get_int_member (stats, "answered_on_time"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "decisions"),
                                               "refused"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "favour"),
                                               "organization"), ==, 1);
  by_executor = json_object_get_array_member (stats, "by_executor");
  g_assert_cmpuint (json_array_get_length (by_executor), ==, 2);
  /* The complaint about ticket 2026-000001 counts against its executor. */
  row = json_array_get_object_element (by_executor, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "executor"), ==, "zhes-1");
  g_assert_cmpint (json_object_get_int_member (row, "refused"), ==, 1);
  row = json_array_get_object_element (by_executor, 1);
  g_assert_true (json_object_get_null_member (row, "executor"));
}

/* The payload of the last event of @type in the history of @number. */
static JsonObject *
last_payload (Fixture    *f,
              const char *number,
              const char *type,
              guint      *n_events)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) payload = json_parser_new ();
  JsonArray *history;
  const char *text = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "show", "--db", f->db, number, "--json",
                                NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  history = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "history");
  if (n_events != NULL)
    *n_events = json_array_get_length (history);
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *e = json_array_get_object_element (history, i);

      if (g_str_equal (json_object_get_string_member (e, "type"), type))
        text = json_object_get_string_member (e, "payload");
    }
  if (text == NULL)
    return NULL;
  g_assert_true (json_parser_load_from_data (payload, text, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (payload)));
}

static void
test_appeal (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL, *o5 = NULL, *e5 = NULL, *vo = NULL, *ve = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *draft;

  /* Before its classification a complaint has no draft: the class picks it. */
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "complaints", "draft", "--db", f->db, "2026-000002",
                                NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e1, "not classified"));
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "ticket", "act", "--db", f->db, "2026-000002",
                                "classify", "--as", "qc", "--class", "A", "--responsible",
                                "Irina Petrova", "--cause", "crew no-show", "--now",
                                "2026-03-02T09:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "ticket", "act", "--db", f->db, "2026-000002",
                                "answer", "--as", "qc", "--decision", "refused", "--favour",
                                "organization", "--note", "We refuse", "--reasons",
                                "The crew came; nobody was home", "--now",
                                "2026-03-05T09:00:00Z", NULL),
                   ==, 0);

  /* The store filled in the notice, rendered for this complaint. */
  answer = last_payload (f, "2026-000002", "answer", NULL);
  g_assert_nonnull (answer);
  g_assert_nonnull (strstr (json_object_get_string_member (answer, "appeal"),
                            "right to appeal"));
  g_assert_nonnull (strstr (json_object_get_string_member (answer, "appeal"),
                            "No. 2026-000002"));

  /* The draft: class A's letter with the fields filled in, then the notice. */
  g_assert_cmpint (cd_test_ctl (&o4, &e4, "complaints", "draft", "--db", f->db, "2026-000002",
                                "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, o4, -1, NULL));
  draft = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (draft, "class"), ==, "A");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (draft, "answer"),
                                   "Dear Olga Ivanova,"));
  g_assert_nonnull (strstr (json_object_get_string_member (draft, "answer"),
                            "The crew came; nobody was home"));
  g_assert_cmpstr (json_object_get_string_member (draft, "appeal"), ==,
                   json_object_get_string_member (answer, "appeal"));
  g_assert_cmpint (cd_test_ctl (&o5, &e5, "complaints", "draft", "--db", f->db, "2026-000002",
                                "--language", "ru", NULL),
                   ==, 0);
  g_assert_true (g_str_has_prefix (o5, "Уважаемый(ая) Olga Ivanova!"));

  g_assert_cmpint (cd_test_ctl (&vo, &ve, "verify", "--db", f->db, NULL), ==, 0);
}

/* A copy, not a link: the test's directories are removed when it ends, and
 * a removal that follows a link would empty the source tree's data. */
static void
copy_dir (const char *from,
          const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (source, &text, &len, NULL));
      g_assert_true (g_file_set_contents (target, text, len, NULL));
    }
}

/* With no appeal.txt in the data folder the rule refuses the refusal. */
static void
test_appeal_rule (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *source = g_strdup (g_getenv ("CITYDESK_DATA_DIR"));
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "data", NULL);
  const char *copies[] = { "policies", "calendars", "feedback" };
  guint before = 0, after = 0;
  g_autoptr(JsonObject) none = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    {
      g_autofree char *from = g_build_filename (source, copies[i], NULL);
      g_autofree char *to = g_build_filename (dir, copies[i], NULL);

      copy_dir (from, to);
    }
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "ticket", "act", "--db", f->db, "2026-000002",
                                "classify", "--as", "qc", "--class", "B", "--responsible",
                                "Irina", "--now", "2026-03-02T09:00:00Z", NULL),
                   ==, 0);
  none = last_payload (f, "2026-000002", "answer", &before);
  g_assert_null (none);

  g_setenv ("CITYDESK_DATA_DIR", dir, TRUE);
  cd_test_ctl (&o2, &e2, "ticket", "act", "--db", f->db, "2026-000002", "answer", "--as", "qc",
               "--decision", "refused", "--favour", "organization", "--note", "No",
               "--reasons", "r", "--now", "2026-03-05T09:00:00Z", NULL);
  g_setenv ("CITYDESK_DATA_DIR", source, TRUE);
  g_assert_nonnull (strstr (e2, "Refused by the rule “a refusal carries the notice of the right "
                                "to appeal”"));
  g_assert_null (last_payload (f, "2026-000002", "answer", &after));
  g_assert_cmpuint (after, ==, before);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "verify", "--db", f->db, NULL), ==, 0);
}

/* A complaint routed to an executor is assigned, but still answered only
 * once classified. */
static void
test_answer_needs_classify (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL, *vo = NULL, *ve = NULL;
  guint before = 0, after = 0;

  g_assert_cmpint (cd_test_ctl (&o1, &e1, "ticket", "register", "--db", f->db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5",
                                "--executor", "zhes-1", "--now", REGISTERED, NULL),
                   ==, 0);
  g_assert_cmpstr (o1, ==, "2026-000003\n");
  last_payload (f, "2026-000003", "answer", &before);
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "ticket", "act", "--db", f->db, "2026-000003",
                                "answer", "--as", "qc", "--decision", "upheld", "--favour",
                                "resident", "--note", "Sorry", "--now", "2026-03-03T09:00:00Z",
                                NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e2, "Refused by the rule “a complaint is answered once "
                                "classified”"));
  last_payload (f, "2026-000003", "answer", &after);
  g_assert_cmpuint (after, ==, before);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "ticket", "act", "--db", f->db, "2026-000003",
                                "classify", "--as", "qc", "--class", "A", "--responsible",
                                "Irina", "--now", "2026-03-03T10:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpint (cd_test_ctl (&o4, &e4, "ticket", "act", "--db", f->db, "2026-000003",
                                "answer", "--as", "qc", "--decision", "upheld", "--favour",
                                "resident", "--note", "Sorry", "--now", "2026-03-03T11:00:00Z",
                                NULL),
                   ==, 0);
  g_assert_cmpstr (o4, ==, "2026-000003 resolved\n");
  g_assert_cmpint (cd_test_ctl (&vo, &ve, "verify", "--db", f->db, NULL), ==, 0);
}

static JsonArray *
groups (Fixture    *f,
        JsonParser *parser)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "complaints", "groups", "--db", f->db, "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z", "--by",
                                "address", "--json", NULL),
                   ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "groups");
}

static void
test_groups_propose (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const when[] = { "2026-03-07T09:00:00Z", "2026-03-09T09:00:00Z" };
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL, *o5 = NULL, *e5 = NULL, *o6 = NULL, *e6 = NULL;
  g_autofree char *vo = NULL, *ve = NULL;
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_autoptr(JsonObject) proposal = NULL;
  JsonArray *list;
  JsonObject *group;
  guint before = 0, after = 0;

  for (guint i = 0; i < G_N_ELEMENTS (when); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "register", "--db", f->db, "--kind",
                                    "complaint", "--category", "housing.heating", "--district",
                                    "Central", "--street", "Lenin St", "--building", "5",
                                    "--description", "Still cold", "--now", when[i], NULL),
                       ==, 0);
    }

  /* 1 complaint in the first half of 1-11 March, 2 in the second, none
   * before: growing. */
  list = groups (f, p1);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  group = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (group, "key"), ==, "Lenin St 5");
  g_assert_cmpint (json_object_get_int_member (group, "count"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (group, "previous"), ==, 0);
  g_assert_true (json_object_get_boolean_member (group, "growing"));
  g_assert_true (json_object_get_null_member (group, "proposal"));
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "complaints", "groups", "--db", f->db, "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z", "--by",
                                "building", NULL),
                   ==, 2);

  /* An operator registers complaints but does not propose; a bad due
   * time, or a group that is not one, is refused too; nothing is written. */
  last_payload (f, "2026-000004", "propose", &before);
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "complaints", "propose", "--db", f->db, "--by",
                                "address", "--group", "Lenin St 5", "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z",
                                "--note", "Replace the riser", "--responsible", "Irina",
                                "--as", "operator", "--now", "2026-03-11T10:00:00Z", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e2, "propose only by"));
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "complaints", "propose", "--db", f->db, "--by",
                                "address", "--group", "Lenin St 5", "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z",
                                "--note", "Replace the riser", "--responsible", "Irina",
                                "--due", "next week", "--as", "qc", "--now",
                                "2026-03-11T10:00:00Z", NULL),
                   ==, 2);
  g_assert_nonnull (strstr (e3, "ISO 8601"));
  g_assert_cmpint (cd_test_ctl (&o4, &e4, "complaints", "propose", "--db", f->db, "--by",
                                "address", "--group", "Lenin St 9", "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z",
                                "--note", "n", "--responsible", "Irina", "--as", "qc", NULL),
                   ==, 2);
  g_assert_null (last_payload (f, "2026-000002", "propose", NULL));
  last_payload (f, "2026-000004", "propose", &after);
  g_assert_cmpuint (after, ==, before);

  g_assert_cmpint (cd_test_ctl (&o5, &e5, "complaints", "propose", "--db", f->db, "--by",
                                "address", "--group", "Lenin St 5", "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z",
                                "--note", "Replace the riser", "--responsible", "Irina",
                                "--as", "qc", "--now", "2026-03-11T10:00:00Z", NULL),
                   ==, 0);
  g_assert_cmpstr (o5, ==, "2026-000002\n2026-000003\n2026-000004\n");
  proposal = last_payload (f, "2026-000003", "propose", NULL);
  g_assert_cmpstr (json_object_get_string_member (proposal, "group"), ==,
                   "address:Lenin St 5");
  g_assert_cmpstr (json_object_get_string_member (proposal, "responsible"), ==, "Irina");
  /* 20 days on. */
  g_assert_cmpstr (json_object_get_string_member (proposal, "due"), ==, "2026-03-31T10:00:00Z");
  list = groups (f, p2);
  group = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (group, "proposal"), ==, "Replace the riser");

  g_assert_cmpint (cd_test_ctl (&o6, &e6, "complaints", "stats", "--db", f->db, "--from",
                                "2026-03-01T00:00:00Z", "--to", "2026-03-11T00:00:00Z", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (o6, "Received:          3"));
  g_assert_cmpint (cd_test_ctl (&vo, &ve, "verify", "--db", f->db, NULL), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);
  /* The journal's dates are the local ones; the test's are UTC. */
  g_setenv ("TZ", "UTC", TRUE);

  g_test_add ("/complaints-cli/about", Fixture, NULL, setup, test_about, teardown);
  g_test_add ("/complaints-cli/life", Fixture, NULL, setup, test_life, teardown);
  g_test_add ("/complaints-cli/journal", Fixture, NULL, setup, test_journal, teardown);
  g_test_add ("/complaints-cli/appeal", Fixture, NULL, setup, test_appeal, teardown);
  g_test_add ("/complaints-cli/appeal-rule", Fixture, NULL, setup, test_appeal_rule, teardown);
  g_test_add ("/complaints-cli/answer-needs-classify", Fixture, NULL, setup,
              test_answer_needs_classify, teardown);
  g_test_add ("/complaints-cli/groups-propose", Fixture, NULL, setup, test_groups_propose,
              teardown);

  return g_test_run ();
}
