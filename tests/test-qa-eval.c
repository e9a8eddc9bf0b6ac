// SPDX-License-Identifier: GPL-3.0-or-later
//
// The quality-control desk's store through the real citydeskctl
// (CITYDESK_CTL) on a real SQLite file whose calls and accounts are
// written with the store's API: forms added and retired (and the store
// refusing to edit or delete one), evaluations scored as src/core scores
// them, corrected by new versions that leave the old ones, calibration
// sessions scored blind, the week's sample, and `verify` after all of it.

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-call.h"
#include "cd-qa-score.h"
#include "cd-store-calls.h"
#include "cd-store-qa.h"
#include "cd-store-users.h"
#include "cd-test.h"
#include "cd-test-ctl.h"
#include "cd-test-sql.h"

/* docs/qa.md's worked example: 75.4, meets expectations, critical 50. */
#define WORKED_ANSWERS \
  "{\"form\": \"contact-center\", \"version\": 1, \"answers\": {" \
  "\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4," \
  " \"empathy\": 3, \"clarifying-questions\": true, \"information-correct\": \"partly\"," \
  " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true," \
  " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true," \
  " \"next-steps\": true, \"anything-else\": false, \"no-hang-up\": %s}}"

/* Monday 2026-11-30 00:00 UTC: the start of 2026-W49. */
#define W49 G_GINT64_CONSTANT (1796083200)
#define HOUR 3600

typedef struct
{
  char *dir;
  char *db;
  char *call_a;     /* PJSIP/101's, evaluated */
  char *call_b;     /* PJSIP/102's, calibrated */
  char *call_old;   /* PJSIP/102's of the week before, a complaint's */
  char *call_short; /* PJSIP/102's, 5 s, the operator hung up */
} Fixture;

static char *
add_call (CdStore    *store,
          const char *pbx_id,
          const char *agent,
          gint64      entered,
          gint64      talk,
          const char *ended_by)
{
  g_autoptr(CdCall) call = cd_call_new (pbx_id, "city", entered);
  g_autoptr(GError) error = NULL;
  gboolean added = FALSE;

  call->answered_at = entered + 10;
  call->agent = g_strdup (agent);
  call->talk_seconds = talk;
  call->hold_seconds = 10;
  call->ended_by = g_strdup (ended_by);
  cd_call_end (call, CD_CALL_ANSWERED, entered + 10 + talk);
  g_assert_true (cd_store_add_call (store, call, &added, &error));
  g_assert_no_error (error);
  g_assert_true (added);
  return cd_call_dup_entity (call);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  const char *users[][2] = {
    { "qc1", "qc" }, { "qc2", "qc" }, { "sup", "supervisor" }, { "op", "operator" },
  };

  f->dir = g_build_filename (g_get_user_cache_dir (), "qa-eval", NULL);
  g_mkdir_with_parents (f->dir, 0700);
  f->db = g_build_filename (f->dir, "qa.db", NULL);
  store = cd_store_open (f->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      gboolean added = cd_store_add_user (store, users[i][0], users[i][1], NULL,
                                          "a long enough password", W49, &error);

      g_assert_no_error (error);
      g_assert_true (added);
    }
  g_assert_true (cd_store_begin (store, &error));
  /* PJSIP/101: 12 calls of the week, 2 of them at night. */
  for (int i = 0; i < 12; i++)
    {
      int hours[] = { 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 23, 27 };
      g_autofree char *pbx = g_strdup_printf ("101-%d", i);
      g_autofree char *id = add_call (store, pbx, "PJSIP/101", W49 + hours[i] * HOUR + i * 60,
                                      180, "caller");

      if (i == 0)
        f->call_a = g_steal_pointer (&id);
    }
  f->call_b = add_call (store, "102-0", "PJSIP/102", W49 + 2 * 24 * HOUR + 10 * HOUR, 240,
                        "caller");
  f->call_short = add_call (store, "102-1", "PJSIP/102", W49 + 2 * 24 * HOUR + 11 * HOUR, 5,
                            "agent");
  f->call_old = add_call (store, "102-2", "PJSIP/102", W49 - 3 * 24 * HOUR, 300, "caller");
  g_assert_true (cd_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cd_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->call_a);
  g_free (f->call_b);
  g_free (f->call_old);
  g_free (f->call_short);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  g_autofree char *text = cd_test_sql_text (f->db, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

static int
exec_sql (Fixture    *f,
          const char *sql)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_close (db);
  return rc;
}

static void
assert_verifies (Fixture *f)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "verify", "--db", f->db, NULL), ==, 0);
}

/* Evaluates; returns the new evaluation's id, or NULL when refused (exit
 * 2, the reason in @err). */
static char *
evaluate (Fixture     *f,
          const char  *call,
          const char  *form,
          const char  *answers_path,
          const char  *as,
          const char  *extra_name,
          const char  *extra_value,
          char       **err)
{
  g_autofree char *out = NULL;
  int status;

  status = cd_test_ctl (&out, err, "qa", "evaluate", "--db", f->db, "--call", call, "--form",
                        form, "--answers", answers_path, "--as", as,
                        extra_name, extra_value, NULL);
  g_test_message ("qa evaluate %s as %s: %d\n%s%s", call, as, status, out, *err);
  if (status != 0)
    {
      g_assert_cmpint (status, ==, 2);
      return NULL;
    }
  *strchr (out, '\n') = '\0';
  return g_strdup (out);
}

static JsonArray *
list_evaluations (Fixture    *f,
                  const char *operator)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "qa", "evaluations", "--db", f->db, "--json",
                                operator != NULL ? "--operator" : NULL, operator, NULL), ==, 0);
  node = parse (out);
  return json_array_ref (json_node_get_array (node));
}

static void
test_forms (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *shipped_path = g_test_build_filename (G_TEST_DIST, "..", "data", "qa", "forms",
                                                         "contact-center.json", NULL);
  g_autofree char *shipped = NULL;
  g_autofree char *v2 = NULL, *v2_changed = NULL, *v2_path = NULL, *changed_path = NULL;
  g_autofree char *answers_path = NULL, *answers_v2 = NULL;
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL, *o5 = NULL, *e5 = NULL, *e6 = NULL, *e7 = NULL;
  g_autofree char *id = NULL, *refused = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GString) text = NULL;
  JsonObject *first;
  gint64 events;

  g_assert_true (g_file_get_contents (shipped_path, &shipped, NULL, NULL));
  /* A new database has the shipped form. */
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "qa", "form", "list", "--db", f->db, "--json", NULL),
                   ==, 0);
  list = parse (o1);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, "contact-center");
  g_assert_cmpint (json_object_get_int_member (first, "version"), ==, 1);
  g_assert_false (json_object_get_boolean_member (first, "retired"));

  /* Version 2: added once; the same again is no change; other content
   * under the same version is refused. */
  text = g_string_new (shipped);
  g_assert_cmpuint (g_string_replace (text, "\"version\": 1", "\"version\": 2", 1), ==, 1);
  v2 = g_strdup (text->str);
  g_assert_cmpuint (g_string_replace (text, "\"weight\": 15", "\"weight\": 16", 1), ==, 1);
  v2_changed = g_string_free (g_steal_pointer (&text), FALSE);
  v2_path = write_file (f, "v2.json", v2);
  changed_path = write_file (f, "v2-changed.json", v2_changed);
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "qa", "form", "add", "--db", f->db, v2_path, NULL),
                   ==, 0);
  g_assert_nonnull (strstr (o2, "contact-center"));
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "qa", "form", "add", "--db", f->db, v2_path, NULL),
                   ==, 0);
  g_assert_cmpint (cd_test_ctl (&o4, &e4, "qa", "form", "add", "--db", f->db, changed_path,
                                NULL), ==, 2);
  g_test_message ("%s", e4);
  g_assert_cmpint (count (f, "SELECT count(*) FROM qa_forms"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM qa_forms WHERE document LIKE "
                             "'%\"weight\": 16%'"), ==, 0);

  /* An evaluation on version 2, then version 2 retired: no new
   * evaluation on it; the version given without a number is then 1. */
  answers_path = write_file (f, "answers.json", "{\"answers\": {\"greeting-script\": true, "
                             "\"caller-identified\": true, \"no-interrupting\": 4, "
                             "\"empathy\": 3, \"clarifying-questions\": true, "
                             "\"information-correct\": \"partly\", "
                             "\"ticket-number-given\": \"n/a\", "
                             "\"personal-data-read-back\": true, \"ticket-category\": false, "
                             "\"polite-tone\": 5, \"no-rudeness\": true, \"next-steps\": true, "
                             "\"anything-else\": false, \"no-hang-up\": true}}");
  id = evaluate (f, f->call_a, "contact-center", answers_path, "qc1", NULL, NULL, &e5);
  g_assert_nonnull (id);
  g_assert_cmpint (count (f, "SELECT form_version FROM qa_evaluations"), ==, 2);
  g_assert_cmpint (cd_test_ctl (&o5, NULL, "qa", "form", "retire", "--db", f->db,
                                "contact-center", "2", NULL), ==, 0);
  g_clear_pointer (&o5, g_free);
  g_assert_cmpint (cd_test_ctl (&o5, &e6, "qa", "form", "retire", "--db", f->db,
                                "contact-center", "2", NULL), ==, 2);
  events = count (f, "SELECT count(*) FROM events");
  refused = evaluate (f, f->call_a, "contact-center:2", answers_path, "qc1", NULL, NULL, &e7);
  g_assert_null (refused);
  g_assert_nonnull (strstr (e7, "retired"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM events"), ==, events);
  g_clear_pointer (&e7, g_free);
  g_clear_pointer (&id, g_free);
  id = evaluate (f, f->call_b, "contact-center", answers_path, "qc1", NULL, NULL, &e7);
  g_assert_nonnull (id);
  g_assert_cmpint (count (f, "SELECT form_version FROM qa_evaluations ORDER BY seq DESC"), ==, 1);

  /* The store refuses to edit a form, to delete a used one, to bring a
   * retired one back. */
  g_assert_cmpint (exec_sql (f, "UPDATE qa_forms SET document = '{}'"), !=, SQLITE_OK);
  g_assert_cmpint (exec_sql (f, "DELETE FROM qa_forms WHERE version = 2"), !=, SQLITE_OK);
  g_assert_cmpint (exec_sql (f, "UPDATE qa_forms SET retired_at = NULL WHERE version = 2"), !=,
                   SQLITE_OK);
  g_assert_cmpint (count (f, "SELECT count(*) FROM qa_forms"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM qa_forms WHERE retired_at IS NOT NULL"), ==,
                   1);
  assert_verifies (f);
}

static double
core_total (const char *answers)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "qa", "forms",
                                                 "contact-center.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(CdQaForm) form = NULL;
  g_autoptr(CdQaScore) score = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  form = cd_qa_form_new_from_json (text, len, &error);
  g_assert_no_error (error);
  score = cd_qa_score_new_from_json (form, answers, strlen (answers), &error);
  g_assert_no_error (error);
  g_assert_true (score->has_total);
  return score->total;
}

static void
test_evaluations (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *good = g_strdup_printf (WORKED_ANSWERS, "true");
  g_autofree char *hung_up = g_strdup_printf (WORKED_ANSWERS, "false");
  g_autofree char *good_path = write_file (f, "good.json", good);
  g_autofree char *hung_path = write_file (f, "hung.json", hung_up);
  g_autoptr(GString) bad = g_string_new (good);
  g_autofree char *bad_path = NULL;
  g_autofree char *e1 = NULL, *e2 = NULL, *e3 = NULL, *e4 = NULL, *e5 = NULL, *e6 = NULL;
  g_autofree char *e7 = NULL, *csv_out = NULL, *csv_err = NULL, *out = NULL, *err = NULL;
  g_autofree char *first = NULL, *second = NULL, *again = NULL, *refused = NULL;
  g_autoptr(JsonArray) list = NULL, none = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *payload_text = NULL;
  JsonObject *row;
  gint64 events;

  g_assert_cmpuint (g_string_replace (bad, "\"empathy\": 3", "\"empathy\": 9", 1), ==, 1);
  bad_path = write_file (f, "bad.json", bad->str);
  first = evaluate (f, f->call_a, "contact-center:1", good_path, "qc1", "--comment",
                    "12000:Interrupted the caller, \"twice\"", &e1);
  g_assert_nonnull (first);
  list = list_evaluations (f, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  row = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, first);
  g_assert_cmpstr (json_object_get_string_member (row, "operator"), ==, "PJSIP/101");
  g_assert_cmpstr (json_object_get_string_member (row, "evaluator"), ==, "qc1");
  g_assert_cmpstr (json_object_get_string_member (row, "band"), ==, "meets");
  /* The score stored is src/core's. */
  g_assert_cmpfloat (json_object_get_double_member (row, "total"), ==, core_total (good));
  g_assert_cmpfloat (json_object_get_double_member (row, "total"), ==, 75.4);
  g_assert_cmpfloat (json_object_get_double_member (row, "critical"), ==, 50.0);
  g_assert_false (json_object_get_boolean_member (row, "fatal"));
  g_assert_cmpint (json_object_get_int_member (row, "revision"), ==, 1);
  /* The journal holds the evaluation, its comment anchored in time. */
  payload_text = cd_test_sql_text (f->db, "SELECT payload FROM events WHERE type = 'evaluate'");
  payload = parse (payload_text);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (payload), "comments"),
                     0), "at_ms"), ==, 12000);

  /* A correction is a new version; the first stays. */
  second = evaluate (f, f->call_a, "contact-center", hung_path, "sup", "--supersedes", first,
                     &e2);
  g_assert_nonnull (second);
  g_clear_pointer (&list, json_array_unref);
  list = list_evaluations (f, "PJSIP/101");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  row = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "id"), ==, second);
  g_assert_cmpstr (json_object_get_string_member (row, "supersedes"), ==, first);
  g_assert_cmpint (json_object_get_int_member (row, "revision"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (row, "total"), ==, 0.0);
  g_assert_cmpfloat (json_object_get_double_member (row, "total"), ==, core_total (hung_up));
  g_assert_true (json_object_get_boolean_member (row, "fatal"));
  g_assert_cmpint (count (f, "SELECT count(*) FROM qa_evaluations"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE type = 'evaluate'"), ==, 2);

  /* Refused, nothing journaled: the first corrected again, an operator
   * evaluating, an unknown call, answers off the scale, a comment with a
   * control character. */
  events = count (f, "SELECT count(*) FROM events");
  again = evaluate (f, f->call_a, "contact-center", good_path, "qc1", "--supersedes", first,
                    &e3);
  g_assert_null (again);
  g_assert_nonnull (strstr (e3, "corrected already"));
  refused = evaluate (f, f->call_a, "contact-center", good_path, "op", NULL, NULL, &e4);
  g_assert_null (refused);
  refused = evaluate (f, "no-such-call", "contact-center", good_path, "qc1", NULL, NULL, &e5);
  g_assert_null (refused);
  refused = evaluate (f, f->call_a, "contact-center", bad_path, "qc1", NULL, NULL, &e6);
  g_assert_null (refused);
  g_assert_nonnull (strstr (e6, "empathy"));
  refused = evaluate (f, f->call_a, "contact-center", good_path, "qc1", "--comment",
                      "5:bell\a", &e7);
  g_assert_null (refused);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events"), ==, events);

  /* Append-only below the store's code too. */
  g_assert_cmpint (exec_sql (f, "UPDATE qa_evaluations SET total = 100"), !=, SQLITE_OK);
  g_assert_cmpint (exec_sql (f, "DELETE FROM qa_evaluations"), !=, SQLITE_OK);
  g_assert_cmpint (exec_sql (f, "DELETE FROM qa_forms"), !=, SQLITE_OK);
  g_assert_cmpint (count (f, "SELECT count(*) FROM qa_evaluations"), ==, 2);

  /* CSV, RFC 4180: a header and the latest version. */
  g_assert_cmpint (cd_test_ctl (&csv_out, &csv_err, "qa", "evaluations", "--db", f->db, "--csv",
                                "-", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (csv_out, "evaluation,revision,call,operator,call_time,"));
  g_assert_nonnull (strstr (csv_out, "\r\n"));
  g_assert_nonnull (strstr (csv_out, second));
  g_assert_null (strstr (csv_out, first));
  g_assert_nonnull (strstr (csv_out, ",0.0,needs-improvement,50.0,yes,"));
  /* The group scores follow, one column per group, as the score gave them. */
  g_assert_nonnull (strstr (csv_out, ",fatal,group:"));
  g_assert_nonnull (strstr (csv_out, ",group:greeting,"));
  none = list_evaluations (f, "PJSIP/999");
  g_assert_cmpuint (json_array_get_length (none), ==, 0);
  g_assert_cmpint (cd_test_ctl (&out, &err, "qa", "evaluations", "--db", f->db, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "PJSIP/101"));
  assert_verifies (f);
}

static JsonObject *
calibration (Fixture    *f,
             const char *session)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "qa", "calibration", "--db", f->db, session,
                                "--json", NULL), ==, 0);
  node = parse (out);
  return json_object_ref (json_node_get_object (node));
}

static void
test_calibration (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *good = g_strdup_printf (WORKED_ANSWERS, "true");
  g_autofree char *hung_up = g_strdup_printf (WORKED_ANSWERS, "false");
  g_autofree char *good_path = write_file (f, "good.json", good);
  g_autofree char *hung_path = write_file (f, "hung.json", hung_up);
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *e4 = NULL, *e5 = NULL, *e6 = NULL, *e7 = NULL, *e8 = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *refused = NULL;
  g_autoptr(JsonObject) open = NULL, closed = NULL;
  g_autoptr(JsonArray) list = NULL;
  JsonArray *results;

  g_assert_cmpint (cd_test_ctl (&o1, &e1, "qa", "calibration", "--db", f->db, "s1", "--open",
                                "--call", f->call_b, "--as", "qc1", NULL), ==, 0);
  a = evaluate (f, f->call_b, "contact-center", good_path, "qc1", "--calibration", "s1", &e2);
  b = evaluate (f, f->call_b, "contact-center", hung_path, "qc2", "--calibration", "s1", &e3);
  c = evaluate (f, f->call_b, "contact-center", good_path, "sup", "--calibration", "s1", &e4);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_nonnull (c);
  /* Once each; on the session's call only. */
  refused = evaluate (f, f->call_b, "contact-center", good_path, "qc2", "--calibration", "s1",
                      &e5);
  g_assert_null (refused);
  refused = evaluate (f, f->call_a, "contact-center", good_path, "op", "--calibration", "s1",
                      &e6);
  g_assert_null (refused);

  /* Blind while open: who, never what. */
  open = calibration (f, "s1");
  g_assert_false (json_object_get_boolean_member (open, "closed"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (open, "evaluators")),
                    ==, 3);
  g_assert_false (json_object_has_member (open, "results"));

  /* Only the owner (or a supervisor) closes it. */
  g_assert_cmpint (cd_test_ctl (&o2, &e7, "qa", "calibration", "--db", f->db, "s1", "--close",
                                "--as", "qc2", NULL), ==, 2);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "qa", "calibration", "--db", f->db, "s1", "--close",
                                "--as", "qc1", NULL), ==, 0);
  closed = calibration (f, "s1");
  g_assert_true (json_object_get_boolean_member (closed, "closed"));
  g_assert_cmpstr (json_object_get_string_member (closed, "reference"), ==, "qc1");
  results = json_object_get_array_member (closed, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *row = json_array_get_object_element (results, i);
      const char *who = json_object_get_string_member (row, "evaluator");
      JsonArray *questions = json_object_get_array_member (row, "questions");
      JsonObject *last = json_array_get_object_element (questions,
                                                        json_array_get_length (questions) - 1);

      g_assert_cmpstr (json_object_get_string_member (last, "id"), ==, "no-hang-up");
      if (g_str_equal (who, "qc2"))
        {
          /* 0.0 against 75.4, and "no" against "yes" on the fatal question. */
          g_assert_cmpfloat (json_object_get_double_member (row, "total_deviation"), ==, -75.4);
          g_assert_cmpfloat (json_object_get_double_member (last, "deviation"), ==, -100);
          g_assert_false (json_object_get_boolean_member (last, "agrees"));
        }
      else
        {
          g_assert_cmpfloat (json_object_get_double_member (row, "total_deviation"), ==, 0);
          g_assert_true (json_object_get_boolean_member (last, "agrees"));
        }
    }
  /* A closed session takes no evaluation; calibration never counts in an
   * operator's results. */
  refused = evaluate (f, f->call_b, "contact-center", good_path, "qc2", "--calibration", "s1",
                      &e8);
  g_assert_null (refused);
  list = list_evaluations (f, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 0);
  assert_verifies (f);
}

/* A desktop's cache follows the journal with cd_store_import(): the
 * desk's events are no ticket's, and project the same rows there. */
static void
test_cache_follows (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *good = g_strdup_printf (WORKED_ANSWERS, "true");
  g_autofree char *good_path = write_file (f, "good.json", good);
  g_autofree char *e1 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *first = NULL, *second = NULL;
  g_autofree char *cache_path = g_build_filename (f->dir, "cache.db", NULL);
  g_autoptr(CdStore) server = NULL;
  g_autoptr(CdStore) cache = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CdQaCalibrationSession) session = NULL;
  g_autoptr(GError) error = NULL;

  first = evaluate (f, f->call_a, "contact-center", good_path, "qc1", NULL, NULL, &e1);
  second = evaluate (f, f->call_a, "contact-center", good_path, "qc2", "--supersedes", first,
                     &e2);
  g_assert_nonnull (second);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "qa", "calibration", "--db", f->db, "s2", "--open",
                                "--call", f->call_b, "--as", "qc1", NULL), ==, 0);

  server = cd_store_open (f->db, &error);
  g_assert_no_error (error);
  events = cd_store_list_events (server, NULL, 0, 0, &error);
  g_assert_no_error (error);
  cache = cd_store_open (cache_path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (cache, &error));
  for (guint i = 0; i < events->len; i++)
    {
      g_assert_true (cd_store_import (cache, events->pdata[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (cd_store_commit (cache, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_verify (cache, NULL, NULL, &error));
  g_assert_no_error (error);

  rows = cd_store_list_qa_evaluations (cache, "PJSIP/101", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((CdQaEvaluation *) rows->pdata[0])->id, ==, second);
  g_assert_cmpint (((CdQaEvaluation *) rows->pdata[0])->revision, ==, 2);
  g_assert_cmpfloat (((CdQaEvaluation *) rows->pdata[0])->total, ==, 75.4);
  session = cd_store_load_qa_calibration (cache, "s2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (session->call, ==, f->call_b);
  g_assert_cmpstr (session->owner, ==, "qc1");
}

static JsonObject *
find_call (JsonArray  *calls,
           const char *id)
{
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *c = json_array_get_object_element (calls, i);

      if (g_str_equal (json_object_get_string_member (c, "call"), id))
        return c;
    }
  return NULL;
}

static gboolean
has_reason (JsonObject *call,
            const char *reason)
{
  JsonArray *reasons = json_object_get_array_member (call, "reasons");

  for (guint i = 0; i < json_array_get_length (reasons); i++)
    if (g_str_equal (json_array_get_string_element (reasons, i), reason))
      return TRUE;
  return FALSE;
}

static void
test_sample (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *o1 = NULL, *e1 = NULL, *o2 = NULL, *e2 = NULL, *o3 = NULL, *e3 = NULL;
  g_autofree char *o4 = NULL, *e4 = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *calls;
  guint sampled_101 = 0, sampled_102 = 0, night = 0;
  JsonObject *c;

  /* A complaint about the contact center, received in the week, about a
   * call of the week before. */
  g_assert_cmpint (cd_test_ctl (&o1, &e1, "ticket", "register", "--db", f->db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5",
                                "--name", "Olga Ivanova", "--description",
                                "The operator was rude", "--about", f->call_old, "--now",
                                "2026-12-02T09:00:00Z", NULL), ==, 0);
  g_assert_cmpint (cd_test_ctl (&o2, &e2, "qa", "sample", "--db", f->db, "--week", "2026-W49",
                                "--per-operator", "3", "--json", NULL), ==, 0);
  g_assert_cmpint (cd_test_ctl (&o3, &e3, "qa", "sample", "--db", f->db, "--week", "2026-W49",
                                "--per-operator", "3", "--json", NULL), ==, 0);
  g_assert_cmpstr (o2, ==, o3);
  node = parse (o2);
  calls = json_object_get_array_member (json_node_get_object (node), "calls");
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *one = json_array_get_object_element (calls, i);
      const char *operator = json_object_get_string_member (one, "operator");

      if (!has_reason (one, "sample"))
        continue;
      if (g_str_equal (operator, "PJSIP/101"))
        {
          sampled_101++;
          if (g_str_equal (json_object_get_string_member (one, "stratum"), "night"))
            night++;
        }
      else if (g_str_equal (operator, "PJSIP/102"))
        sampled_102++;
    }
  g_assert_cmpuint (sampled_101, ==, 3);
  /* PJSIP/102 answered two calls in the week. */
  g_assert_cmpuint (sampled_102, ==, 2);
  g_assert_cmpuint (night, >=, 1);
  c = find_call (calls, f->call_short);
  g_assert_nonnull (c);
  g_assert_true (has_reason (c, "short-hangup"));
  c = find_call (calls, f->call_old);
  g_assert_nonnull (c);
  g_assert_true (has_reason (c, "complaint"));
  g_assert_false (has_reason (c, "sample"));

  g_assert_cmpint (cd_test_ctl (&o4, &e4, "qa", "sample", "--db", f->db, "--week", "2026-W54",
                                NULL), ==, 2);
  assert_verifies (f);
}

int
main (int    argc,
      char **argv)
{
  /* The calls' hours, and the week's days, in one zone on every machine. */
  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add ("/qa-eval/forms", Fixture, NULL, fixture_set_up, test_forms, fixture_tear_down);
  g_test_add ("/qa-eval/evaluations", Fixture, NULL, fixture_set_up, test_evaluations,
              fixture_tear_down);
  g_test_add ("/qa-eval/calibration", Fixture, NULL, fixture_set_up, test_calibration,
              fixture_tear_down);
  g_test_add ("/qa-eval/cache-follows", Fixture, NULL, fixture_set_up, test_cache_follows,
              fixture_tear_down);
  g_test_add ("/qa-eval/sample", Fixture, NULL, fixture_set_up, test_sample, fixture_tear_down);
  return g_test_run ();
}
