// SPDX-License-Identifier: GPL-3.0-or-later
/* test-store-backends-qa.c: the quality-control desk's store through the
 * same API on a SQLite file and on PostgreSQL (PostgreSQL's cases skip
 * without CITYDESK_TEST_PG): the shipped forms seeded by the migration,
 * versions added and retired, an evaluation scored, read back and
 * superseded, a calibration session blind then closed with its
 * deviations, the week's sample, the operators' results, the database
 * itself refusing to change or delete an evaluation or a form in use, the
 * server's role deleting nothing of the desk's (its grants), and
 * the evaluations rebuilt from a journal copied to PostgreSQL */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "cd-journal-db.h"
#include "cd-qa-results.h"
#include "cd-store-qa.h"
#include "cd-test.h"
#include "cd-test-backends.h"

/* docs/qa.md's worked example: 75.4, meets expectations, critical 50;
 * with no-hang-up false, a fatal error: 0.0 (72.1 without it). */
#define WORKED_ANSWERS \
  "{\"answers\": {" \
  "\"greeting-script\": true, \"caller-identified\": true, \"no-interrupting\": 4," \
  " \"empathy\": 3, \"clarifying-questions\": true, \"information-correct\": \"partly\"," \
  " \"ticket-number-given\": \"n/a\", \"personal-data-read-back\": true," \
  " \"ticket-category\": false, \"polite-tone\": 5, \"no-rudeness\": true," \
  " \"next-steps\": true, \"anything-else\": false, \"no-hang-up\": %s}}"

/* Monday 2026-11-30 00:00 UTC: the start of 2026-W49. */
#define W49 G_GINT64_CONSTANT (1795996800)
#define HOUR 3600

typedef struct
{
  char    *location;
  CdStore *store;
  char    *call_a;      /* PJSIP/101's, Monday 09:00 */
  char    *call_b;      /* PJSIP/102's, Wednesday 10:00 */
  char    *call_short;  /* PJSIP/102's, 5 s, the operator hung up */
} Desk;

/* A call's row as the PBX's import writes it. The rows are written here
 * rather than by cd_store_add_call(), so that these cases test the desk
 * alone (the calls' API has its own cases on both backends). */
static char *
add_call (CdDb       *db,
          const char *pbx_id,
          const char *agent,
          gint64      entered,
          gint64      talk,
          const char *ended_by)
{
  static gint64 seq;
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char *id = g_strdup_printf ("call-%s", pbx_id);

  stmt = cd_db_prepare (db, "INSERT INTO calls (id, seq, pbx_id, queue, entered_at, "
                            "answered_at, ended_at, outcome, hold_seconds, talk_seconds, agent, "
                            "ended_by, rings) "
                            "VALUES (?1, ?2, ?3, 'city', ?4, ?5, ?6, 'answered', 10, ?7, ?8, ?9, "
                            "1)", &error);
  g_assert_no_error (error);
  cd_db_bind_text (stmt, 1, id);
  cd_db_bind_int64 (stmt, 2, ++seq);
  cd_db_bind_text (stmt, 3, pbx_id);
  cd_db_bind_int64 (stmt, 4, entered);
  cd_db_bind_int64 (stmt, 5, entered + 10);
  cd_db_bind_int64 (stmt, 6, entered + 10 + talk);
  cd_db_bind_int64 (stmt, 7, talk);
  cd_db_bind_text (stmt, 8, agent);
  cd_db_bind_text (stmt, 9, ended_by);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);
  return id;
}

/* A store of @backend with a week of calls: PJSIP/101 at six hours of
 * Monday and one of Tuesday night, PJSIP/102 twice on Wednesday. FALSE,
 * the test skipped, without PostgreSQL. */
static gboolean
desk_open (Desk                *desk,
           const CdTestBackend *backend,
           const char          *tag)
{
  g_autoptr(GError) error = NULL;
  const int hours[] = { 9, 10, 13, 16, 19, 20, 26 };

  g_autoptr(CdDb) db = NULL;

  memset (desk, 0, sizeof *desk);
  if ((desk->location = cd_test_backend_new_location (backend, tag)) == NULL)
    return FALSE;
  desk->store = cd_test_backend_open_store (desk->location);
  db = cd_db_open (desk->location, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (hours); i++)
    {
      g_autofree char *pbx = g_strdup_printf ("101-%u", i);
      g_autofree char *id = add_call (db, pbx, "PJSIP/101", W49 + hours[i] * HOUR, 180,
                                      "caller");

      if (i == 0)
        desk->call_a = g_steal_pointer (&id);
    }
  desk->call_b = add_call (db, "102-0", "PJSIP/102", W49 + 58 * HOUR, 240, "caller");
  desk->call_short = add_call (db, "102-1", "PJSIP/102", W49 + 59 * HOUR, 5, "agent");
  return TRUE;
}

static void
desk_close (Desk                *desk,
            const CdTestBackend *backend)
{
  g_clear_object (&desk->store);
  cd_test_backend_drop_location (backend, desk->location);
  g_free (desk->location);
  g_free (desk->call_a);
  g_free (desk->call_b);
  g_free (desk->call_short);
}

/* Evaluates @call in a transaction of its own; NULL with @error set when
 * the store refuses. */
static CdQaEvaluation *
evaluate (CdStore     *store,
          const char  *call,
          const char  *no_hang_up,
          const char  *evaluator,
          const char  *supersedes,
          const char  *calibration,
          gint64       time,
          GError     **error)
{
  g_autofree char *answers = g_strdup_printf (WORKED_ANSWERS, no_hang_up);
  CdQaComment comment = { 12000, (char *) "Interrupted the caller" };
  CdQaEvaluationRequest request = {
    .call = call,
    .form = "contact-center",
    .answers = answers,
    .answers_len = strlen (answers),
    .comments = &comment,
    .n_comments = 1,
    .supersedes = supersedes,
    .calibration = calibration,
    .evaluator = evaluator,
    .role = "qc",
    .time = time,
  };
  CdQaEvaluation *evaluation;

  g_assert_true (cd_store_begin (store, NULL));
  if ((evaluation = cd_store_add_qa_evaluation (store, &request, error)) == NULL)
    {
      cd_store_rollback (store);
      return NULL;
    }
  g_assert_true (cd_store_commit (store, error));
  return evaluation;
}

static CdStoreQaForm *
find_form (GPtrArray  *forms,
           const char *id,
           gint64      version)
{
  for (guint i = 0; i < forms->len; i++)
    {
      CdStoreQaForm *form = forms->pdata[i];

      if (g_str_equal (form->id, id) && form->version == version)
        return form;
    }
  return NULL;
}

/* The shipped form is there from the migration; a new version is added
 * once, its text never replaced, and retired once. */
static void
test_forms (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(CdStoreQaForm) v1 = NULL;
  g_autoptr(CdStoreQaForm) v2 = NULL;
  g_autoptr(CdStoreQaForm) newest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *document = NULL;
  g_autoptr(GString) v2_text = NULL;
  g_autoptr(GString) other = NULL;
  CdStoreQaForm *listed;
  gboolean added = TRUE;
  Desk desk;

  if (!desk_open (&desk, backend, "qa_forms"))
    return;
  forms = cd_store_list_qa_forms (desk.store, &error);
  g_assert_no_error (error);
  listed = find_form (forms, "contact-center", 1);
  g_assert_nonnull (listed);
  g_assert_cmpint (listed->retired_at, ==, 0);
  g_assert_cmpint (listed->n_evaluations, ==, 0);
  g_assert_nonnull (listed->form);

  v1 = cd_store_load_qa_form (desk.store, "contact-center", 1, &error);
  g_assert_no_error (error);
  document = g_strdup (v1->document);
  /* The same text again is no change. */
  g_assert_true (cd_store_add_qa_form (desk.store, document, strlen (document), W49, &added,
                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_false (added);

  v2_text = g_string_new (document);
  g_assert_cmpuint (g_string_replace (v2_text, "\"version\": 1", "\"version\": 2", 1), ==, 1);
  g_assert_true (cd_store_add_qa_form (desk.store, v2_text->str, v2_text->len, W49, &added, &v2,
                                       &error));
  g_assert_no_error (error);
  g_assert_true (added);
  g_assert_cmpint (v2->version, ==, 2);
  newest = cd_store_load_qa_form (desk.store, "contact-center", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (newest->version, ==, 2);
  g_clear_pointer (&newest, cd_store_qa_form_free);

  /* Version 2 with another text is refused: a change is a new version. */
  other = g_string_new (v2_text->str);
  g_assert_cmpuint (g_string_replace (other, "\"weight\": 25", "\"weight\": 26", 1), ==, 1);
  g_assert_false (cd_store_add_qa_form (desk.store, other->str, other->len, W49, &added, NULL,
                                        &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  g_assert_true (cd_store_retire_qa_form (desk.store, "contact-center", 2, W49 + 60, &error));
  g_assert_no_error (error);
  g_assert_false (cd_store_retire_qa_form (desk.store, "contact-center", 2, W49 + 90, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  newest = cd_store_load_qa_form (desk.store, "contact-center", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (newest->version, ==, 1);
  g_assert_null (cd_store_load_qa_form (desk.store, "contact-center", 7, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&forms, g_ptr_array_unref);
  forms = cd_store_list_qa_forms (desk.store, &error);
  g_assert_no_error (error);
  listed = find_form (forms, "contact-center", 2);
  g_assert_nonnull (listed);
  g_assert_cmpint (listed->retired_at, ==, W49 + 60);
  g_assert_true (find_form (forms, "contact-center", 1) == forms->pdata[0]);
  desk_close (&desk, backend);
}

/* An evaluation is scored as src/core scores it, read back with its
 * answers and comment, and corrected by a new revision that leaves it. */
static void
test_evaluation (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autoptr(CdQaEvaluation) first = NULL;
  g_autoptr(CdQaEvaluation) second = NULL;
  g_autoptr(CdQaEvaluation) again = NULL;
  g_autoptr(CdQaEvaluation) read = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *csv = NULL;
  Desk desk;

  if (!desk_open (&desk, backend, "qa_evaluation"))
    return;
  first = evaluate (desk.store, desk.call_a, "true", "qc1", NULL, NULL, W49 + 86400, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
  g_assert_true (first->has_total);
  g_assert_cmpfloat_with_epsilon (first->total, 75.4, 1e-9);
  g_assert_cmpstr (first->band, ==, "meets");
  g_assert_true (first->has_critical);
  g_assert_cmpfloat_with_epsilon (first->critical, 50.0, 1e-9);
  g_assert_false (first->fatal);
  g_assert_cmpint (first->revision, ==, 1);
  g_assert_cmpstr (first->operator, ==, "PJSIP/101");
  g_assert_cmpint (first->call_time, ==, W49 + 9 * HOUR);

  read = cd_store_load_qa_evaluation (desk.store, first->id, &error);
  g_assert_no_error (error);
  json = cd_qa_evaluation_to_json (read, utc, TRUE);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json, "total"), 75.4, 1e-9);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json, "comments")), ==,
                   1);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (json, "answers"),
                                                 "no-hang-up"));

  /* A call the store does not have, a role that does not evaluate. */
  g_assert_null (evaluate (desk.store, "no-such-call", "true", "qc1", NULL, NULL, W49, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The correction: a fatal error, revision 2; the first stays. */
  second = evaluate (desk.store, desk.call_a, "false", "qc1", first->id, NULL, W49 + 90000,
                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->revision, ==, 2);
  g_assert_cmpfloat (second->total, ==, 0.0);
  g_assert_true (second->fatal);
  g_assert_cmpstr (second->band, ==, "needs-improvement");
  g_assert_cmpstr (second->supersedes, ==, first->id);
  again = evaluate (desk.store, desk.call_a, "true", "qc2", first->id, NULL, W49 + 91000, &error);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_assert_null (again);
  g_clear_error (&error);

  list = cd_store_list_qa_evaluations (desk.store, "PJSIP/101", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((CdQaEvaluation *) list->pdata[0])->id, ==, second->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cd_store_list_qa_evaluations (desk.store, "PJSIP/102", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  /* The call's time bounds the list: from included, to excluded. */
  list = cd_store_list_qa_evaluations (desk.store, NULL, W49 + 9 * HOUR + 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cd_store_list_qa_evaluations (desk.store, NULL, W49 + 9 * HOUR, W49 + 9 * HOUR + 1,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  csv = cd_qa_evaluations_to_csv (list, utc);
  g_assert_nonnull (strstr (csv, "group:listening"));
  g_assert_nonnull (strstr (csv, ",0.0,needs-improvement,"));

  forms = cd_store_list_qa_forms (desk.store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_form (forms, "contact-center", 1)->n_evaluations, ==, 2);
  g_assert_true (cd_store_verify (desk.store, NULL, NULL, &error));
  g_assert_no_error (error);
  desk_close (&desk, backend);
}

static JsonObject *
result_row (JsonObject *result,
            const char *evaluator)
{
  JsonArray *rows = json_object_get_array_member (result, "results");

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_str_equal (json_object_get_string_member (row, "evaluator"), evaluator))
        return row;
    }
  return NULL;
}

static gboolean
open_session (CdStore     *store,
              const char  *session,
              const char  *call,
              GError     **error)
{
  gboolean ok;

  g_assert_true (cd_store_begin (store, NULL));
  ok = cd_store_open_qa_calibration (store, session, call, NULL, "qc1", "qc", W49 + 86400,
                                     error);
  if (ok)
    g_assert_true (cd_store_commit (store, error));
  else
    cd_store_rollback (store);
  return ok;
}

/* Blind while open (who has evaluated, no score), the deviations from the
 * reference once closed; calibration evaluations are no one's results. */
static void
test_calibration (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autoptr(CdQaEvaluation) mine = NULL;
  g_autoptr(CdQaEvaluation) theirs = NULL;
  g_autoptr(CdQaEvaluation) refused = NULL;
  g_autoptr(JsonObject) blind = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *row;
  JsonArray *evaluators;
  Desk desk;

  if (!desk_open (&desk, backend, "qa_calibration"))
    return;
  g_assert_true (open_session (desk.store, "w49-b", desk.call_b, &error));
  g_assert_no_error (error);
  g_assert_false (open_session (desk.store, "w49-b", desk.call_b, &error));
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  mine = evaluate (desk.store, desk.call_b, "true", "qc1", NULL, "w49-b", W49 + 87000, &error);
  g_assert_no_error (error);
  theirs = evaluate (desk.store, desk.call_b, "false", "qc2", NULL, "w49-b", W49 + 88000,
                     &error);
  g_assert_no_error (error);
  refused = evaluate (desk.store, desk.call_b, "true", "qc2", NULL, "w49-b", W49 + 88100,
                      &error);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_assert_null (refused);
  g_clear_error (&error);

  blind = cd_store_qa_calibration_result (desk.store, "w49-b", &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (blind, "closed"));
  g_assert_false (json_object_has_member (blind, "results"));
  evaluators = json_object_get_array_member (blind, "evaluators");
  g_assert_cmpuint (json_array_get_length (evaluators), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (evaluators, 0), ==, "qc1");
  g_assert_cmpstr (json_array_get_string_element (evaluators, 1), ==, "qc2");

  g_assert_true (cd_store_begin (desk.store, &error));
  g_assert_true (cd_store_close_qa_calibration (desk.store, "w49-b", NULL, "sup", "supervisor",
                                                W49 + 89000, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (desk.store, &error));
  g_assert_no_error (error);
  refused = evaluate (desk.store, desk.call_b, "true", "qc3", NULL, "w49-b", W49 + 89100,
                      &error);
  g_assert_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  result = cd_store_qa_calibration_result (desk.store, "w49-b", &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (result, "closed"));
  g_assert_cmpstr (json_object_get_string_member (result, "reference"), ==, "qc1");
  row = result_row (result, "qc1");
  g_assert_true (json_object_get_boolean_member (row, "reference"));
  g_assert_cmpfloat (json_object_get_double_member (row, "total_deviation"), ==, 0.0);
  row = result_row (result, "qc2");
  g_assert_false (json_object_get_boolean_member (row, "reference"));
  /* 0.0 against 75.4; one answer of the 15 differs (n/a and the
   * unanswered optional question agree, and are not compared). */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "total_deviation"), -75.4,
                                  1e-9);
  g_assert_cmpint (json_object_get_int_member (row, "agreed"), ==, 14);
  g_assert_cmpint (json_object_get_int_member (row, "compared"), ==, 13);

  sessions = cd_store_list_qa_calibrations (desk.store, W49, W49 + 7 * 86400, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sessions->len, ==, 1);
  g_assert_cmpint (((CdQaCalibrationSession *) sessions->pdata[0])->closed_at, ==, W49 + 89000);
  list = cd_store_list_qa_evaluations (desk.store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  desk_close (&desk, backend);
}

/* A recording's row with its voice-activity @figures, as a scan writes
 * it. */
static void
add_recording (const char *location,
               const char *call,
               const char *figures)
{
  g_autoptr(CdDb) db = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  db = cd_db_open (location, &error);
  g_assert_no_error (error);
  stmt = cd_db_prepare (db, "INSERT INTO recordings (call, path, size, format, duration_ms, "
                            "figures, scanned_at) VALUES (?1, ?2, 1000, 'wav', 180000, ?3, ?4)",
                        &error);
  g_assert_no_error (error);
  cd_db_bind_text (stmt, 1, call);
  cd_db_bind_text (stmt, 2, call);
  cd_db_bind_text (stmt, 3, figures);
  cd_db_bind_int64 (stmt, 4, W49);
  g_assert_cmpint (cd_db_step (stmt, &error), ==, CD_DB_DONE);
  g_assert_no_error (error);
}

/* The week's work list: every operator's calls drawn by hour, the night
 * first; the short call the operator ended flagged, and the call whose
 * recording holds a long silence and overtalk. */
static void
test_sample (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autoptr(JsonObject) sample = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) per_operator = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gboolean night = FALSE, short_flagged = FALSE, silence = FALSE, overtalk = FALSE;
  JsonArray *calls;
  Desk desk;

  if (!desk_open (&desk, backend, "qa_sample"))
    return;
  /* Call A's recording: 9 s of dead air and 12 % overtalk; another's
   * figures are no JSON, and flag nothing. */
  add_recording (desk.location, desk.call_a,
                 "{\"longest_silence_ms\": 9000, \"overtalk_share\": 0.12, "
                 "\"silences\": [[1000, 10000]]}");
  add_recording (desk.location, desk.call_b, "{\"longest_silence_ms\": 90000");
  sample = cd_store_qa_sample (desk.store, "2026-W49", 2, utc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sample);
  g_assert_cmpstr (json_object_get_string_member (sample, "week"), ==, "2026-W49");
  calls = json_object_get_array_member (sample, "calls");
  /* Drawn: two of PJSIP/101's seven, both of PJSIP/102's; call A is
   * there for its recording if it was not drawn. */
  g_assert_cmpuint (json_array_get_length (calls), >=, 4);
  g_assert_cmpuint (json_array_get_length (calls), <=, 5);
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);
      const char *operator = json_object_get_string_member (call, "operator");
      JsonArray *reasons = json_object_get_array_member (call, "reasons");

      if (g_str_equal (json_array_get_string_element (reasons, 0), "sample"))
        g_hash_table_insert (per_operator, (gpointer) operator,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (
                               g_hash_table_lookup (per_operator, operator)) + 1));
      if (g_str_equal (operator, "PJSIP/101") &&
          g_str_equal (json_object_get_string_member (call, "stratum"), "night"))
        night = TRUE;
      for (guint r = 0; r < json_array_get_length (reasons); r++)
        {
          const char *reason = json_array_get_string_element (reasons, r);
          const char *id = json_object_get_string_member (call, "call");

          if (g_str_equal (reason, "short-hangup"))
            {
              g_assert_cmpstr (id, ==, desk.call_short);
              short_flagged = TRUE;
            }
          else if (g_str_equal (reason, "long-silence") || g_str_equal (reason, "overtalk"))
            {
              g_assert_cmpstr (id, ==, desk.call_a);
              *(g_str_equal (reason, "overtalk") ? &overtalk : &silence) = TRUE;
            }
        }
    }
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (per_operator, "PJSIP/101")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (per_operator, "PJSIP/102")), ==, 2);
  g_assert_true (night);
  g_assert_true (short_flagged);
  g_assert_true (silence);
  g_assert_true (overtalk);

  /* The same week draws the same list. */
  again = cd_store_qa_sample (desk.store, "2026-W49", 2, utc, &error);
  g_assert_no_error (error);
  first = json_to_string (json_node_init_object (json_node_alloc (), sample), FALSE);
  second = json_to_string (json_node_init_object (json_node_alloc (), again), FALSE);
  g_assert_cmpstr (first, ==, second);
  desk_close (&desk, backend);
}

/* The operators' results from the evaluations that count, as the Call
 * recordings page computes them from the list. */
static void
test_results (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autoptr(CdQaEvaluation) a = NULL;
  g_autoptr(CdQaEvaluation) b = NULL;
  g_autoptr(CdQaEvaluation) c = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (CdQaResultsInput));
  g_autoptr(CdQaResults) results = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  CdQaOperatorResults *op;
  Desk desk;

  if (!desk_open (&desk, backend, "qa_results"))
    return;
  a = evaluate (desk.store, desk.call_a, "true", "qc1", NULL, NULL, W49 + 86400, &error);
  g_assert_no_error (error);
  b = evaluate (desk.store, desk.call_b, "true", "qc1", NULL, NULL, W49 + 86500, &error);
  g_assert_no_error (error);
  /* Corrected: only its latest revision counts. */
  c = evaluate (desk.store, desk.call_b, "false", "qc1", b->id, NULL, W49 + 86600, &error);
  g_assert_no_error (error);

  list = cd_store_list_qa_evaluations (desk.store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      const CdQaEvaluation *e = list->pdata[i];
      JsonNode *node = json_from_string (e->payload, &error);
      CdQaResultsInput input = { 0 };

      g_assert_no_error (error);
      g_ptr_array_add (parsed, node);
      input.operator = e->operator;
      input.call_time = e->call_time;
      input.score = json_object_get_object_member (json_node_get_object (node), "score");
      g_array_append_val (inputs, input);
    }
  results = cd_qa_results_new ((CdQaResultsInput *) (void *) inputs->data, inputs->len,
                               W49 + 6 * 86400, utc);
  g_assert_cmpuint (results->n, ==, 2);
  g_assert_cmpfloat_with_epsilon (results->mean, 37.7, 1e-9);
  op = cd_qa_results_find (results, "PJSIP/101");
  g_assert_nonnull (op);
  g_assert_cmpuint (op->n, ==, 1);
  g_assert_cmpfloat_with_epsilon (op->mean, 75.4, 1e-9);
  g_assert_cmpuint (op->week_n[0], ==, 1);
  op = cd_qa_results_find (results, "PJSIP/102");
  g_assert_nonnull (op);
  g_assert_cmpfloat (op->mean, ==, 0.0);
  desk_close (&desk, backend);
}

/* The database itself refuses to change or delete an evaluation, to edit
 * a form version, to bring a retired one back or to delete one in use,
 * whoever connects (the triggers; on PostgreSQL in PL/pgSQL). */
static void
test_refuses (gconstpointer data)
{
  const CdTestBackend *backend = data;
  g_autoptr(CdQaEvaluation) evaluation = NULL;
  g_autoptr(CdDb) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  const char * const refused[] = {
    "UPDATE qa_evaluations SET total = 100",
    "UPDATE qa_evaluations SET evaluator = 'mallory'",
    "DELETE FROM qa_evaluations",
    "UPDATE qa_forms SET document = '{}' WHERE version = 1",
    "UPDATE qa_forms SET added_at = 0",
    "DELETE FROM qa_forms WHERE version = 1",
    "UPDATE qa_forms SET retired_at = NULL WHERE version = 1",
  };
  Desk desk;

  if (!desk_open (&desk, backend, "qa_refuses"))
    return;
  evaluation = evaluate (desk.store, desk.call_a, "true", "qc1", NULL, NULL, W49 + 86400,
                         &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_retire_qa_form (desk.store, "contact-center", 1, W49 + 90000, &error));
  g_assert_no_error (error);

  db = cd_db_open (desk.location, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_false (cd_db_exec (db, refused[i], &error));
      g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
      g_clear_error (&error);
    }
  if (backend->postgresql)
    {
      g_assert_false (cd_db_exec (db, "TRUNCATE qa_evaluations", &error));
      g_assert_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT);
      g_clear_error (&error);
    }
  g_clear_pointer (&db, cd_db_close);

  list = cd_store_list_qa_evaluations (desk.store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (((CdQaEvaluation *) list->pdata[0])->total, 75.4, 1e-9);
  desk_close (&desk, backend);
}

/* The server's role (cd_journal_db_grant()) evaluates, calibrates and
 * retires a form through the store, and may delete nothing of the desk's,
 * not even a form no evaluation uses, which only the grants keep. */
static void
test_grants (void)
{
  const CdTestBackend *backend = &cd_test_backends[1];
  g_autofree char *role = g_strdup_printf ("cd_qa_grants_%d", (int) getpid ());
  g_autofree char *as_role = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdQaEvaluation) evaluation = NULL;
  g_autoptr(CdStoreQaForm) v1 = NULL;
  g_autoptr(GString) v2 = NULL;
  g_autoptr(GError) error = NULL;
  gboolean added;
  const char * const refused[] = {
    "DELETE FROM qa_forms WHERE version = 2",
    "DELETE FROM qa_calibrations",
    "TRUNCATE qa_calibrations",
    "DROP TRIGGER qa_evaluations_no_delete ON qa_evaluations",
  };
  Desk desk;

  if (!desk_open (&desk, backend, "qa_grants"))
    return;
  v1 = cd_store_load_qa_form (desk.store, "contact-center", 1, &error);
  g_assert_no_error (error);
  v2 = g_string_new (v1->document);
  g_string_replace (v2, "\"version\": 1", "\"version\": 2", 1);
  g_clear_object (&desk.store);
  as_role = cd_test_pg_grant_server_role (desk.location, role);
  store = cd_test_backend_open_store (as_role);
  evaluation = evaluate (store, desk.call_a, "true", "qc1", NULL, NULL, W49 + 86400, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (evaluation->total, 75.4, 1e-9);
  g_assert_true (open_session (store, "w49", desk.call_b, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (store, &error));
  g_assert_true (cd_store_close_qa_calibration (store, "w49", NULL, "qc1", "qc", W49 + 90000,
                                                &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_commit (store, &error));
  g_assert_true (cd_store_add_qa_form (store, v2->str, v2->len, W49, &added, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (added);
  g_assert_true (cd_store_retire_qa_form (store, "contact-center", 2, W49 + 60, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  cd_test_pg_assert_refused (as_role, refused, G_N_ELEMENTS (refused));

  desk_close (&desk, backend);
  cd_test_pg_drop_role (role);
}

/* A SQLite file's journal copied to PostgreSQL, its forms copied, the
 * projection replayed (what `citydeskctl migrate` does): the same
 * evaluations and calibration there, and a second replay adds nothing. */
static void
test_migrate (void)
{
  g_autofree char *file = g_build_filename (g_get_tmp_dir (), "qa-migrate.db", NULL);
  g_autofree char *uri = cd_test_pg_new_database ("qa_migrate");
  const CdTestBackend *sqlite_backend = &cd_test_backends[0];
  g_autoptr(CdQaEvaluation) a = NULL;
  g_autoptr(CdQaEvaluation) b = NULL;
  g_autoptr(CdQaEvaluation) c = NULL;
  g_autoptr(CdQaEvaluation) d = NULL;
  g_autoptr(CdStore) target = NULL;
  g_autoptr(CdDb) from = NULL;
  g_autoptr(CdDb) to = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(JsonObject) result_before = NULL;
  g_autoptr(JsonObject) result_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text_before = NULL;
  g_autofree char *text_after = NULL;
  CdJournalCopyStats stats;
  gint64 copied = 0;
  Desk desk;

  if (uri == NULL)
    return;
  g_assert_true (desk_open (&desk, sqlite_backend, "qa-migrate.db"));
  a = evaluate (desk.store, desk.call_a, "true", "qc1", NULL, NULL, W49 + 86400, &error);
  g_assert_no_error (error);
  b = evaluate (desk.store, desk.call_a, "false", "qc1", a->id, NULL, W49 + 86500, &error);
  g_assert_no_error (error);
  g_assert_true (open_session (desk.store, "w49-b", desk.call_b, &error));
  c = evaluate (desk.store, desk.call_b, "true", "qc1", NULL, "w49-b", W49 + 87000, &error);
  g_assert_no_error (error);
  d = evaluate (desk.store, desk.call_b, "false", "qc2", NULL, "w49-b", W49 + 88000, &error);
  g_assert_no_error (error);
  g_assert_true (cd_store_begin (desk.store, &error));
  g_assert_true (cd_store_close_qa_calibration (desk.store, "w49-b", NULL, "qc1", "qc",
                                                W49 + 89000, &error));
  g_assert_true (cd_store_commit (desk.store, &error));
  g_assert_no_error (error);
  before = cd_store_list_qa_evaluations (desk.store, NULL, 0, 0, &error);
  g_assert_no_error (error);
  result_before = cd_store_qa_calibration_result (desk.store, "w49-b", &error);
  g_assert_no_error (error);

  target = cd_test_backend_open_store (uri);
  from = cd_db_open (file, &error);
  g_assert_no_error (error);
  to = cd_db_open (uri, &error);
  g_assert_no_error (error);
  g_assert_true (cd_journal_db_copy (from, to, 3, &stats, &error));
  g_assert_no_error (error);
  g_assert_true (cd_store_copy_qa_forms (target, desk.store, &copied, &error));
  g_assert_no_error (error);
  /* The shipped form was there from the target's migration. */
  g_assert_cmpint (copied, ==, 0);
  for (int run = 0; run < 2; run++)
    {
      g_assert_true (cd_store_project_journal (target, 2, NULL, &error));
      g_assert_no_error (error);
    }

  after = cd_store_list_qa_evaluations (target, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, before->len);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((CdQaEvaluation *) after->pdata[0])->id, ==, b->id);
  g_assert_cmpint (((CdQaEvaluation *) after->pdata[0])->revision, ==, 2);
  result_after = cd_store_qa_calibration_result (target, "w49-b", &error);
  g_assert_no_error (error);
  text_before = json_to_string (json_node_init_object (json_node_alloc (), result_before), FALSE);
  text_after = json_to_string (json_node_init_object (json_node_alloc (), result_after), FALSE);
  g_assert_cmpstr (text_after, ==, text_before);
  forms = cd_store_list_qa_forms (target, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_form (forms, "contact-center", 1)->n_evaluations, ==, 4);

  g_clear_pointer (&to, cd_db_close);
  g_clear_object (&target);
  desk_close (&desk, sqlite_backend);
  cd_test_pg_drop_database (uri);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  cd_test_backends_add ("/store-backends-qa", "forms", test_forms);
  cd_test_backends_add ("/store-backends-qa", "evaluation", test_evaluation);
  cd_test_backends_add ("/store-backends-qa", "calibration", test_calibration);
  cd_test_backends_add ("/store-backends-qa", "sample", test_sample);
  cd_test_backends_add ("/store-backends-qa", "results", test_results);
  cd_test_backends_add ("/store-backends-qa", "refuses", test_refuses);
  g_test_add_func ("/store-backends-qa/postgresql/grants", test_grants);
  g_test_add_func ("/store-backends-qa/postgresql/migrate", test_migrate);
  return g_test_run ();
}
