// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-qa.c: evaluation forms, evaluations and calibration in the store
 *
 * The score of an evaluation is computed here, once, by src/core's
 * cd_qa_score_new_from_json() on the exact form version, and kept in the
 * `evaluate` event's payload: a desktop's cache that imports the event
 * projects the same row without the form. Refusals are the store's as
 * much as the API's, so that the command line cannot write what the
 * server would refuse; the triggers of migration 19 (PostgreSQL's: the
 * step that creates qa_forms, cd-journal-db.c) are the last line. One
 * code on both backends (CdDb): the figures of a recording are read in C,
 * texts are ordered by their bytes.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "cd-access.h"
#include "cd-dispatch.h"
#include "cd-input.h"
#include "cd-json-tree.h"
#include "cd-sla-library.h"
#include "cd-store-complaints.h"
#include "cd-store-private.h"
#include "cd-store-qa.h"

/* Answers and comments nest: {"answers": {…}}, [{"at_ms", "text"}]. */
#define QA_MAX_DEPTH 8
#define QA_MAX_COMMENT_TEXT 2048

void
cd_store_qa_form_free (CdStoreQaForm *form)
{
  if (form == NULL)
    return;
  g_free (form->id);
  g_free (form->document);
  g_clear_pointer (&form->form, cd_qa_form_free);
  g_free (form);
}

void
cd_qa_evaluation_free (CdQaEvaluation *e)
{
  if (e == NULL)
    return;
  g_free (e->id);
  g_free (e->call);
  g_free (e->form);
  g_free (e->evaluator);
  g_free (e->role);
  g_free (e->band);
  g_free (e->supersedes);
  g_free (e->calibration);
  g_free (e->operator);
  g_free (e->payload);
  g_free (e);
}

void
cd_qa_calibration_session_free (CdQaCalibrationSession *s)
{
  if (s == NULL)
    return;
  g_free (s->id);
  g_free (s->call);
  g_free (s->owner);
  g_free (s->reference);
  g_free (s);
}

static char *
column_dup (CdDbStmt *stmt,
            int       column)
{
  return g_strdup (cd_db_column_text (stmt, column));
}

static CdDbStmt *
prepare (CdStore     *self,
         const char  *sql,
         GError     **error)
{
  return cd_store_prepare (self, sql, _("reading the quality-control data"), error);
}

/* Steps @stmt, the failure reported as the store's while doing @what. */
static CdDbStep
step (CdStore     *self,
      CdDbStmt    *stmt,
      const char  *what,
      GError     **error)
{
  GError *db_error = NULL;
  CdDbStep rc = cd_db_step (stmt, &db_error);

  if (rc == CD_DB_FAILED)
    cd_store_db_error (self, what, db_error, error);
  return rc;
}

/* @sql with each BINARY after a text in an ORDER BY made the dialect's
 * bytewise order, as SQLite sorts texts, so that both backends list in
 * one order. */
static char *
binary_order (CdStore    *self,
              const char *sql)
{
  const char *order = cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER);
  g_autofree char *words = g_strconcat (*order != '\0' ? " " : "", order, NULL);
  GString *out = g_string_new (sql);

  g_string_replace (out, " BINARY", words, 0);
  return g_string_free (out, FALSE);
}

static gboolean
refuse (GError     **error,
        int          code,
        const char  *message)
{
  g_set_error_literal (error, code == CD_DISPATCH_ERROR_INVALID_FIELD ? CD_DISPATCH_ERROR
                                                                      : CD_STORE_ERROR,
                       code, message);
  return FALSE;
}

/* Forms {{{1 */

static CdStoreQaForm *
form_from_row (CdDbStmt *stmt)
{
  CdStoreQaForm *form = g_new0 (CdStoreQaForm, 1);
  const char *document = cd_db_column_text (stmt, 2);

  form->id = column_dup (stmt, 0);
  form->version = cd_db_column_int64 (stmt, 1);
  form->document = g_strdup (document);
  form->added_at = cd_db_column_int64 (stmt, 3);
  form->retired_at = cd_db_column_int64 (stmt, 4);
  form->n_evaluations = cd_db_column_int64 (stmt, 5);
  /* Stored only after the same reader took it. */
  form->form = cd_qa_form_new_from_json (document, strlen (document), NULL);
  return form;
}

#define FORM_COLUMNS \
  "id, version, document, added_at, coalesce (retired_at, 0), " \
  "(SELECT count(*) FROM qa_evaluations e WHERE e.form = qa_forms.id " \
  "  AND e.form_version = qa_forms.version)"

/**
 * cd_store_load_qa_form:
 * @self: a store
 * @id: a form's id
 * @version: its version, or 0 for its newest version that is not retired
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is none
 *
 * Returns: (transfer full): the form, or %NULL with @error set
 */
CdStoreQaForm *
cd_store_load_qa_form (CdStore     *self,
                       const char  *id,
                       gint64       version,
                       GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdStoreQaForm *form = NULL;
  CdDbStep rc;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if ((stmt = prepare (self,
                       version > 0
                         ? "SELECT " FORM_COLUMNS " FROM qa_forms WHERE id = ?1 AND version = ?2"
                         : "SELECT " FORM_COLUMNS " FROM qa_forms WHERE id = ?1 "
                           "AND retired_at IS NULL ORDER BY version DESC LIMIT 1",
                       error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, id);
  if (version > 0)
    cd_db_bind_int64 (stmt, 2, version);
  rc = step (self, stmt, _("reading the quality-control data"), error);
  if (rc == CD_DB_ROW)
    form = form_from_row (stmt);
  else if (rc == CD_DB_DONE && version > 0)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("There is no evaluation form “%s” version %" PRId64 "."), id,
                 version);
  else if (rc == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("There is no evaluation form “%s” in use."), id);
  if (form != NULL && form->form == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_SQL,
                   _("The stored evaluation form “%s” cannot be read."), id);
      g_clear_pointer (&form, cd_store_qa_form_free);
    }
  return form;
}

/**
 * cd_store_list_qa_forms:
 * @self: a store
 * @error: a #CD_STORE_ERROR
 *
 * Returns: (transfer full) (element-type CdStoreQaForm): every form
 *   version, by id and version
 */
GPtrArray *
cd_store_list_qa_forms (CdStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cd_store_qa_form_free);
  g_autofree char *sql = binary_order (self, "SELECT " FORM_COLUMNS " FROM qa_forms "
                                               "ORDER BY id BINARY, version");
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, sql, error)) == NULL)
    return NULL;
  while ((rc = step (self, stmt, _("reading the quality-control data"), error)) == CD_DB_ROW)
    g_ptr_array_add (forms, form_from_row (stmt));
  if (rc == CD_DB_FAILED)
    return NULL;
  return g_steal_pointer (&forms);
}

/**
 * cd_store_add_qa_form:
 * @self: a store
 * @json: a form's document (docs/qa.md "Forms")
 * @len: its length
 * @now: the time it is added
 * @added: (out): whether it was new (FALSE: the same version with the
 *   same document was there)
 * @out: (out) (optional) (transfer full): the stored form
 * @error: a #CD_QA_ERROR for a document that is not a form;
 *   %CD_STORE_ERROR_CONFLICT when the id and version are taken by another
 *   document
 *
 * Returns: whether the form is in the store
 */
gboolean
cd_store_add_qa_form (CdStore         *self,
                      const char      *json,
                      gsize            len,
                      gint64           now,
                      gboolean        *added,
                      CdStoreQaForm  **out,
                      GError         **error)
{
  g_autoptr(CdQaForm) form = NULL;
  g_autoptr(CdStoreQaForm) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *document = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  *added = FALSE;
  if ((form = cd_qa_form_new_from_json (json, len, error)) == NULL)
    return FALSE;
  document = g_strndup (json, len);
  existing = cd_store_load_qa_form (self, form->id, form->version, &local_error);
  if (existing == NULL && !g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL)
    {
      if (!g_str_equal (existing->document, document))
        {
          g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                       _("The evaluation form “%s” version %" PRId64 " is already "
                         "there with other content: a changed form is a new version."),
                       form->id, form->version);
          return FALSE;
        }
      if (out != NULL)
        *out = g_steal_pointer (&existing);
      return TRUE;
    }
  if ((stmt = prepare (self, "INSERT INTO qa_forms (id, version, document, added_at) "
                             "VALUES (?1, ?2, ?3, ?4)", error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, form->id);
  cd_db_bind_int64 (stmt, 2, form->version);
  cd_db_bind_text (stmt, 3, document);
  cd_db_bind_int64 (stmt, 4, now);
  if (step (self, stmt, _("saving an evaluation form"), error) == CD_DB_FAILED)
    return FALSE;
  *added = TRUE;
  if (out != NULL &&
      (*out = cd_store_load_qa_form (self, form->id, form->version, error)) == NULL)
    return FALSE;
  return TRUE;
}

/**
 * cd_store_retire_qa_form:
 * @self: a store
 * @id: a form's id
 * @version: its version
 * @now: the time it is retired
 * @error: %CD_STORE_ERROR_NOT_FOUND, or %CD_STORE_ERROR_CONFLICT when it
 *   is retired already
 *
 * A retired version takes no new evaluations; its evaluations stay, and
 * are read and corrected on it.
 *
 * Returns: whether it was retired
 */
gboolean
cd_store_retire_qa_form (CdStore     *self,
                         const char  *id,
                         gint64       version,
                         gint64       now,
                         GError     **error)
{
  g_autoptr(CdStoreQaForm) form = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;

  if ((form = cd_store_load_qa_form (self, id, version, error)) == NULL)
    return FALSE;
  if (form->retired_at != 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The evaluation form “%s” version %" PRId64 " is already "
                     "retired."), id, version);
      return FALSE;
    }
  if ((stmt = prepare (self, "UPDATE qa_forms SET retired_at = ?3 "
                             "WHERE id = ?1 AND version = ?2", error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, id);
  cd_db_bind_int64 (stmt, 2, version);
  cd_db_bind_int64 (stmt, 3, now);
  return step (self, stmt, _("retiring an evaluation form"), error) != CD_DB_FAILED;
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * cd_store_seed_qa_forms:
 * @self: a store in a migration's transaction
 * @error: a #CD_QA_ERROR naming a shipped form that is not one
 *
 * Writes the shipped forms (`qa/forms/` of the data folder) into a new
 * store. A data folder without them (a test's) leaves the table empty.
 *
 * Returns: whether the forms were written
 */
gboolean
cd_store_seed_qa_forms (CdStore  *self,
                        GError  **error)
{
  g_autofree char *dir = g_build_filename (cd_sla_library_default_dir (), "qa", "forms", NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (d == NULL)
    return TRUE;
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *text = NULL;
      gsize len = 0;
      gboolean added;

      if (!g_file_get_contents (names->pdata[i], &text, &len, error))
        return FALSE;
      if (!cd_store_add_qa_form (self, text, len, now, &added, NULL, error))
        {
          g_prefix_error (error, "%s: ", (const char *) names->pdata[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* Evaluations {{{1 */

#define EVALUATION_COLUMNS \
  "e.id, e.seq, e.call, e.form, e.form_version, e.evaluator, e.role, e.time, e.total, " \
  "e.band, e.critical, e.fatal, e.supersedes, e.calibration, " \
  "e.revision, " \
  "c.agent, coalesce (c.entered_at, 0), ev.payload"

#define EVALUATION_FROM \
  " FROM qa_evaluations e LEFT JOIN calls c ON c.id = e.call " \
  "JOIN events ev ON ev.seq = e.seq"

static CdQaEvaluation *
evaluation_from_row (CdDbStmt *stmt)
{
  CdQaEvaluation *e = g_new0 (CdQaEvaluation, 1);

  e->id = column_dup (stmt, 0);
  e->seq = cd_db_column_int64 (stmt, 1);
  e->call = column_dup (stmt, 2);
  e->form = column_dup (stmt, 3);
  e->form_version = cd_db_column_int64 (stmt, 4);
  e->evaluator = column_dup (stmt, 5);
  e->role = column_dup (stmt, 6);
  e->time = cd_db_column_int64 (stmt, 7);
  e->has_total = !cd_db_column_is_null (stmt, 8);
  e->total = e->has_total ? cd_db_column_double (stmt, 8) : 0;
  e->band = column_dup (stmt, 9);
  e->has_critical = !cd_db_column_is_null (stmt, 10);
  e->critical = e->has_critical ? cd_db_column_double (stmt, 10) : 0;
  e->fatal = cd_db_column_int64 (stmt, 11) != 0;
  e->supersedes = column_dup (stmt, 12);
  e->calibration = column_dup (stmt, 13);
  e->revision = cd_db_column_int64 (stmt, 14);
  e->operator = column_dup (stmt, 15);
  e->call_time = cd_db_column_int64 (stmt, 16);
  e->payload = column_dup (stmt, 17);
  return e;
}

/**
 * cd_store_load_qa_evaluation:
 * @self: a store
 * @id: an evaluation's id
 * @error: %CD_STORE_ERROR_NOT_FOUND
 *
 * Returns: (transfer full): the evaluation, or %NULL with @error set
 */
CdQaEvaluation *
cd_store_load_qa_evaluation (CdStore     *self,
                             const char  *id,
                             GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdQaEvaluation *e = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, "SELECT " EVALUATION_COLUMNS EVALUATION_FROM " WHERE e.id = ?1",
                       error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, id);
  rc = step (self, stmt, _("reading the quality-control data"), error);
  if (rc == CD_DB_ROW)
    e = evaluation_from_row (stmt);
  else if (rc == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("There is no evaluation “%s”."), id);
  return e;
}

static gboolean
has_row (CdStore     *self,
         const char  *sql,
         const char  *a,
         const char  *b,
         gboolean    *found,
         GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, sql, error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, a);
  if (b != NULL)
    cd_db_bind_text (stmt, 2, b);
  rc = step (self, stmt, _("reading the quality-control data"), error);
  *found = rc == CD_DB_ROW;
  return rc != CD_DB_FAILED;
}

/* The call's operator, as the PBX named them, or NULL for a call without
 * one; %CD_STORE_ERROR_NOT_FOUND for no such call. */
static gboolean
call_operator (CdStore     *self,
               const char  *call,
               char       **agent,
               GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  *agent = NULL;
  if ((stmt = prepare (self, "SELECT agent FROM calls WHERE id = ?1", error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, call);
  rc = step (self, stmt, _("reading the quality-control data"), error);
  if (rc == CD_DB_ROW)
    *agent = column_dup (stmt, 0);
  if (rc == CD_DB_DONE)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("There is no call “%s”."), call);
      return FALSE;
    }
  return rc == CD_DB_ROW;
}

static gboolean
may_evaluate (const char  *role,
              GError     **error)
{
  CdRole r;

  if (role != NULL && cd_role_from_string (role, &r) &&
      (r == CD_ROLE_QC || r == CD_ROLE_SUPERVISOR || r == CD_ROLE_ADMIN))
    return TRUE;
  g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
               _("Only quality control, a supervisor or an administrator evaluates calls, not "
                 "the role “%s”."), role != NULL ? role : "");
  return FALSE;
}

/* The answers as the scorer reads them: {"form", "version", "answers"},
 * the form and version filled in when the request leaves them out. */
static char *
answers_document (const CdStoreQaForm  *form,
                  const char           *answers,
                  gsize                 len,
                  JsonNode            **answers_node,
                  GError              **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *member = NULL;
  JsonObject *object;

  if (len > CD_QA_MAX_ANSWERS_DOCUMENT)
    {
      g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_ANSWERS,
                   _("The answers are larger than %u KiB."),
                   (guint) (CD_QA_MAX_ANSWERS_DOCUMENT / 1024));
      return NULL;
    }
  if ((root = cd_json_parse (answers, len, QA_MAX_DEPTH, NULL, &member, error)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_INVALID_ANSWERS,
                   _("The answers must be a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "form"))
    json_object_set_string_member (object, "form", form->id);
  if (!json_object_has_member (object, "version"))
    json_object_set_int_member (object, "version", form->version);
  if (json_object_has_member (object, "answers"))
    *answers_node = json_node_copy (json_object_get_member (object, "answers"));
  return json_to_string (root, FALSE);
}

static gboolean
check_comments (const CdQaComment  *comments,
                guint               n,
                GError            **error)
{
  if (n > CD_QA_MAX_COMMENTS)
    return refuse (error, CD_DISPATCH_ERROR_INVALID_FIELD, _("Too many comments."));
  for (guint i = 0; i < n; i++)
    {
      gsize len = comments[i].text != NULL ? strlen (comments[i].text) : 0;

      if (comments[i].at_ms < 0 || comments[i].at_ms > G_GINT64_CONSTANT (1000) * 86400)
        return refuse (error, CD_DISPATCH_ERROR_INVALID_FIELD,
                       _("A comment’s time must be from 0 to 86,400,000 ms into the "
                         "recording."));
      if (len == 0 || len > QA_MAX_COMMENT_TEXT ||
          !cd_input_text_is_clean (comments[i].text, len, TRUE, NULL))
        return refuse (error, CD_DISPATCH_ERROR_INVALID_FIELD,
                       _("A comment’s text must be 1 to 2048 bytes of UTF-8 without control "
                         "characters."));
    }
  return TRUE;
}

static gboolean
valid_name (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len == 0 || len > CD_QA_MAX_ID)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
check_calibration (CdStore                      *self,
                   const CdQaEvaluationRequest  *request,
                   GError                      **error)
{
  g_autoptr(CdQaCalibrationSession) session = NULL;
  gboolean again;

  if ((session = cd_store_load_qa_calibration (self, request->calibration, error)) == NULL)
    return FALSE;
  if (session->closed_at != 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The calibration session “%s” is closed."), session->id);
      return FALSE;
    }
  if (!g_str_equal (session->call, request->call))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The calibration session “%s” is about the call “%s”, not “%s”."),
                   session->id, session->call, request->call);
      return FALSE;
    }
  if (request->supersedes != NULL)
    return TRUE;
  if (!has_row (self, "SELECT 1 FROM qa_evaluations WHERE calibration = ?1 AND evaluator = ?2",
                request->calibration, request->evaluator, &again, error))
    return FALSE;
  if (again)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("%s has already evaluated the call in the calibration session “%s”: "
                     "correct that evaluation instead."), request->evaluator, session->id);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
score_node (const CdQaScore  *score,
            GError          **error)
{
  static const char * const english[] = { "en", NULL };
  g_autofree char *text = cd_qa_score_to_json (score, english);

  return cd_json_parse (text, strlen (text), 32, NULL, NULL, error);
}

/**
 * cd_store_add_qa_evaluation:
 * @self: a store in a transaction
 * @request: the evaluation
 * @error: a #CD_QA_ERROR for answers the form refuses,
 *   %CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED for a role that does not evaluate,
 *   %CD_DISPATCH_ERROR_INVALID_FIELD for a bad comment,
 *   %CD_STORE_ERROR_NOT_FOUND for an unknown call, form, evaluation or
 *   session, %CD_STORE_ERROR_CONFLICT for a retired form, an evaluation
 *   superseded already or of another call, a closed session
 *
 * Scores the answers on the form and appends the `evaluate` event.
 *
 * Returns: (transfer full): the evaluation as stored, or %NULL
 */
CdQaEvaluation *
cd_store_add_qa_evaluation (CdStore                      *self,
                            const CdQaEvaluationRequest  *request,
                            GError                      **error)
{
  g_autoptr(CdStoreQaForm) form = NULL;
  g_autoptr(CdQaEvaluation) earlier = NULL;
  g_autoptr(CdQaScore) score = NULL;
  g_autoptr(JsonNode) answers = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdEvent) event = NULL;
  g_autofree char *document = NULL;
  g_autofree char *id = NULL;
  g_autofree char *operator = NULL;
  JsonArray *comments;
  JsonNode *scored;
  gboolean found;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (request != NULL && request->call != NULL && request->form != NULL, NULL);

  if (!cd_store_require_transaction (self, error) ||
      !may_evaluate (request->role, error) ||
      !check_comments (request->comments, request->n_comments, error))
    return NULL;
  if (request->evaluator == NULL ||
      !cd_input_text_is_clean (request->evaluator, strlen (request->evaluator), FALSE, NULL))
    {
      refuse (error, CD_DISPATCH_ERROR_INVALID_FIELD, _("The evaluator’s name is not text."));
      return NULL;
    }
  if (!call_operator (self, request->call, &operator, error))
    return NULL;
  if (request->supersedes != NULL)
    {
      if ((earlier = cd_store_load_qa_evaluation (self, request->supersedes, error)) == NULL ||
          !has_row (self, "SELECT 1 FROM qa_evaluations WHERE supersedes = ?1",
                    request->supersedes, NULL, &found, error))
        return NULL;
      if (found)
        {
          g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                       _("The evaluation “%s” has been corrected already: correct its latest "
                         "version."), request->supersedes);
          return NULL;
        }
      /* In a session each evaluator corrects only their own: the others'
       * stay blind to it and the deviations are per person. */
      if (!g_str_equal (earlier->call, request->call) ||
          g_strcmp0 (earlier->calibration, request->calibration) != 0 ||
          (request->calibration != NULL && !g_str_equal (earlier->evaluator, request->evaluator)))
        {
          g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                       _("The evaluation “%s” cannot be corrected by this one: a correction "
                         "keeps its call and session, and in a session its evaluator."),
                       request->supersedes);
          return NULL;
        }
    }
  if (request->calibration != NULL && !check_calibration (self, request, error))
    return NULL;

  if ((form = cd_store_load_qa_form (self, request->form, request->form_version, error)) == NULL)
    return NULL;
  /* A retired version is still read, and its evaluations corrected. */
  if (form->retired_at != 0 &&
      (earlier == NULL || !g_str_equal (earlier->form, form->id) ||
       earlier->form_version != form->version))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The evaluation form “%s” version %" PRId64 " is retired."),
                   form->id, form->version);
      return NULL;
    }
  if ((document = answers_document (form, request->answers, request->answers_len, &answers,
                                    error)) == NULL ||
      (score = cd_qa_score_new_from_json (form->form, document, strlen (document),
                                          error)) == NULL ||
      (scored = score_node (score, error)) == NULL)
    return NULL;

  id = g_uuid_string_random ();
  json_object_set_string_member (payload, "call", request->call);
  /* Whose evaluation it is travels with it: the feed and the stream show
   * an operator their own (cd_event_for_reader()) without a calls table. */
  if (operator != NULL)
    json_object_set_string_member (payload, "operator", operator);
  json_object_set_string_member (payload, "form", form->id);
  json_object_set_int_member (payload, "version", form->version);
  json_object_set_member (payload, "answers", g_steal_pointer (&answers));
  comments = json_array_sized_new (request->n_comments);
  for (guint i = 0; i < request->n_comments; i++)
    {
      JsonObject *comment = json_object_new ();

      json_object_set_int_member (comment, "at_ms", request->comments[i].at_ms);
      json_object_set_string_member (comment, "text", request->comments[i].text);
      json_array_add_object_element (comments, comment);
    }
  json_object_set_array_member (payload, "comments", comments);
  if (request->supersedes != NULL)
    json_object_set_string_member (payload, "supersedes", request->supersedes);
  if (request->calibration != NULL)
    json_object_set_string_member (payload, "calibration", request->calibration);
  json_object_set_member (payload, "score", scored);

  event = cd_event_new (id, CD_QA_EVALUATE_EVENT_TYPE, request->evaluator, request->role,
                        request->time, payload);
  if (!cd_store_append_entity_event (self, event, error) ||
      !cd_store_write_qa_event (self, event, error))
    return NULL;
  return cd_store_load_qa_evaluation (self, id, error);
}

static gboolean
write_evaluation (CdStore  *self,
                  CdEvent  *event,
                  GError  **error)
{
  JsonObject *data, *score = NULL;
  JsonNode *node;
  g_autoptr(CdDbStmt) stmt = NULL;

  if ((data = cd_event_get_data (event, error)) == NULL)
    return FALSE;
  if ((node = json_object_get_member (data, "score")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    score = json_node_get_object (node);
  if (score == NULL || !json_object_has_member (data, "call") ||
      !json_object_has_member (data, "form"))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                   _("Event %" PRId64 ": an evaluation without its call, form or "
                     "score."), event->seq);
      return FALSE;
    }
  if ((stmt = prepare (self,
                       "INSERT INTO qa_evaluations (id, seq, call, form, form_version, "
                       "evaluator, role, time, total, band, critical, fatal, supersedes, "
                       "calibration, revision) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                       "  coalesce ((SELECT revision + 1 FROM qa_evaluations WHERE id = ?13), "
                       "    1))",
                       error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, event->entity);
  cd_db_bind_int64 (stmt, 2, event->seq);
  cd_db_bind_text (stmt, 3, json_object_get_string_member_with_default (data, "call", ""));
  cd_db_bind_text (stmt, 4, json_object_get_string_member_with_default (data, "form", ""));
  cd_db_bind_int64 (stmt, 5, json_object_get_int_member_with_default (data, "version", 0));
  cd_db_bind_text (stmt, 6, event->actor);
  cd_db_bind_text (stmt, 7, event->role);
  cd_db_bind_int64 (stmt, 8, event->time);
  if ((node = json_object_get_member (score, "total")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    cd_db_bind_double (stmt, 9, json_node_get_double (node));
  else
    cd_db_bind_null (stmt, 9);
  if ((node = json_object_get_member (score, "band")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    cd_db_bind_text (stmt, 10, json_object_get_string_member_with_default (
                                 json_node_get_object (node), "id", NULL));
  else
    cd_db_bind_null (stmt, 10);
  if ((node = json_object_get_member (score, "critical")) != NULL &&
      JSON_NODE_HOLDS_OBJECT (node) &&
      (node = json_object_get_member (json_node_get_object (node), "score")) != NULL &&
      !JSON_NODE_HOLDS_NULL (node))
    cd_db_bind_double (stmt, 11, json_node_get_double (node));
  else
    cd_db_bind_null (stmt, 11);
  cd_db_bind_int64 (stmt, 12, json_object_get_boolean_member_with_default (score, "fatal",
                                                                           FALSE));
  cd_db_bind_text (stmt, 13, json_object_get_string_member_with_default (data, "supersedes",
                                                                         NULL));
  cd_db_bind_text (stmt, 14, json_object_get_string_member_with_default (data, "calibration",
                                                                         NULL));
  return step (self, stmt, _("saving an evaluation"), error) != CD_DB_FAILED;
}

/**
 * cd_store_list_qa_evaluations:
 * @self: a store
 * @operator: (nullable): only the calls this operator answered
 * @from: calls that entered the queue at or after (0: any)
 * @to: calls that entered before (0: any)
 * @error: a #CD_STORE_ERROR
 *
 * The latest version of each evaluation that counts in an operator's
 * results: calibration evaluations never do.
 *
 * Returns: (transfer full) (element-type CdQaEvaluation): by call time
 */
GPtrArray *
cd_store_list_qa_evaluations (CdStore     *self,
                              const char  *operator,
                              gint64       from,
                              gint64       to,
                              GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cd_qa_evaluation_free);
  /* Each parameter's first use is beside a column, so that PostgreSQL
   * takes its type from it; a call missing from the table sorts first on
   * both backends. */
  g_autofree char *sql = binary_order (
    self, "SELECT " EVALUATION_COLUMNS EVALUATION_FROM
          " WHERE e.calibration IS NULL"
          "  AND NOT EXISTS (SELECT 1 FROM qa_evaluations n WHERE n.supersedes = e.id)"
          "  AND (c.agent = ?1 OR ?1 IS NULL)"
          "  AND (c.entered_at >= ?2 OR ?2 = 0) AND (c.entered_at < ?3 OR ?3 = 0)"
          " ORDER BY coalesce (c.entered_at, 0), e.call BINARY, e.seq");
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, sql, error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, operator);
  cd_db_bind_int64 (stmt, 2, from);
  cd_db_bind_int64 (stmt, 3, to);
  while ((rc = step (self, stmt, _("reading the quality-control data"), error)) == CD_DB_ROW)
    g_ptr_array_add (list, evaluation_from_row (stmt));
  if (rc == CD_DB_FAILED)
    return NULL;
  return g_steal_pointer (&list);
}

static char *
format_time (gint64     time,
             GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;

  return local != NULL ? g_date_time_format_iso8601 (local) : g_strdup ("");
}

/**
 * cd_qa_evaluation_to_json:
 * @evaluation: an evaluation
 * @zone: the zone of its times
 * @with_payload: whether to add its answers, comments and score
 *
 * Returns: (transfer full): the evaluation (docs/qa.md)
 */
JsonObject *
cd_qa_evaluation_to_json (const CdQaEvaluation *e,
                          GTimeZone            *zone,
                          gboolean              with_payload)
{
  JsonObject *object = json_object_new ();
  g_autofree char *time = format_time (e->time, zone);

  json_object_set_string_member (object, "id", e->id);
  json_object_set_int_member (object, "revision", e->revision);
  json_object_set_string_member (object, "call", e->call);
  if (e->operator != NULL)
    json_object_set_string_member (object, "operator", e->operator);
  else
    json_object_set_null_member (object, "operator");
  if (e->call_time != 0)
    {
      g_autofree char *call_time = format_time (e->call_time, zone);

      json_object_set_string_member (object, "call_time", call_time);
    }
  else
    json_object_set_null_member (object, "call_time");
  json_object_set_string_member (object, "form", e->form);
  json_object_set_int_member (object, "version", e->form_version);
  json_object_set_string_member (object, "evaluator", e->evaluator);
  json_object_set_string_member (object, "time", time);
  if (e->has_total)
    json_object_set_double_member (object, "total", e->total);
  else
    json_object_set_null_member (object, "total");
  if (e->band != NULL)
    json_object_set_string_member (object, "band", e->band);
  else
    json_object_set_null_member (object, "band");
  if (e->has_critical)
    json_object_set_double_member (object, "critical", e->critical);
  else
    json_object_set_null_member (object, "critical");
  json_object_set_boolean_member (object, "fatal", e->fatal);
  if (e->supersedes != NULL)
    json_object_set_string_member (object, "supersedes", e->supersedes);
  else
    json_object_set_null_member (object, "supersedes");
  if (e->calibration != NULL)
    json_object_set_string_member (object, "calibration", e->calibration);
  if (with_payload && e->payload != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (e->payload, NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *payload = json_node_get_object (node);
          const char *members[] = { "answers", "comments", "score" };

          for (guint i = 0; i < G_N_ELEMENTS (members); i++)
            if (json_object_has_member (payload, members[i]))
              json_object_set_member (object, members[i],
                                      json_node_copy (json_object_get_member (payload,
                                                                              members[i])));
        }
    }
  return object;
}

static void
append_field (GString    *out,
              const char *text,
              gboolean    last)
{
  if (text == NULL)
    text = "";
  if (strpbrk (text, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
format_score (gboolean has,
              double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!has)
    return g_strdup ("");
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", value));
}

/**
 * cd_qa_evaluations_to_csv:
 * @evaluations: (element-type CdQaEvaluation): from cd_store_list_qa_evaluations()
 * @zone: the zone of the times
 *
 * Returns: (transfer full): RFC 4180 CSV with a header row, lines ending
 *   in CR LF, numbers with a decimal point whatever the locale
 */
/* Each evaluation's group scores, by group id, from the score its event
 * carries; @ids gets the groups in the order first met. */
static GHashTable *
group_scores (const CdQaEvaluation *evaluation,
              GPtrArray            *ids,
              GHashTable           *seen)
{
  GHashTable *scores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonNode) node = evaluation->payload != NULL
                                 ? json_from_string (evaluation->payload, NULL)
                                 : NULL;
  JsonObject *payload, *score;
  JsonArray *groups;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return scores;
  payload = json_node_get_object (node);
  if (!json_object_has_member (payload, "score") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "score")))
    return scores;
  score = json_object_get_object_member (payload, "score");
  if (!json_object_has_member (score, "groups") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (score, "groups")))
    return scores;
  groups = json_object_get_array_member (score, "groups");
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonNode *element = json_array_get_element (groups, i);
      JsonObject *group = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                           : NULL;
      const char *id = group != NULL ? json_object_get_string_member_with_default (group, "id",
                                                                                   NULL)
                                     : NULL;
      JsonNode *value;

      if (id == NULL)
        continue;
      if (!g_hash_table_contains (seen, id))
        {
          char *copy = g_strdup (id);

          g_ptr_array_add (ids, copy);
          g_hash_table_add (seen, copy);
        }
      value = json_object_get_member (group, "score");
      if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
        g_hash_table_insert (scores, g_strdup (id),
                             format_score (TRUE, json_node_get_double (value)));
    }
  return scores;
}

char *
cd_qa_evaluations_to_csv (GPtrArray *evaluations,
                          GTimeZone *zone)
{
  GString *out = g_string_new (NULL);
  const char *header[] = {
    "evaluation", "revision", "call", "operator", "call_time", "form", "version", "evaluator",
    "evaluated", "total", "band", "critical", "fatal",
  };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) scores = g_ptr_array_new_with_free_func (
      (GDestroyNotify) g_hash_table_unref);

  /* The group scores follow, one column per group of any form met
   * (`group:ID`), empty where the group did not apply or is not the form's. */
  for (guint i = 0; i < evaluations->len; i++)
    g_ptr_array_add (scores, group_scores (evaluations->pdata[i], ids, seen));
  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    append_field (out, header[i], i + 1 == G_N_ELEMENTS (header) && ids->len == 0);
  for (guint g = 0; g < ids->len; g++)
    {
      g_autofree char *name = g_strconcat ("group:", (char *) ids->pdata[g], NULL);

      append_field (out, name, g + 1 == ids->len);
    }
  for (guint i = 0; i < evaluations->len; i++)
    {
      const CdQaEvaluation *e = evaluations->pdata[i];
      g_autofree char *revision = g_strdup_printf ("%" G_GINT64_FORMAT, e->revision);
      g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, e->form_version);
      g_autofree char *call_time = e->call_time != 0 ? format_time (e->call_time, zone) : NULL;
      g_autofree char *time = format_time (e->time, zone);
      g_autofree char *total = format_score (e->has_total, e->total);
      g_autofree char *critical = format_score (e->has_critical, e->critical);

      append_field (out, e->id, FALSE);
      append_field (out, revision, FALSE);
      append_field (out, e->call, FALSE);
      append_field (out, e->operator, FALSE);
      append_field (out, call_time, FALSE);
      append_field (out, e->form, FALSE);
      append_field (out, version, FALSE);
      append_field (out, e->evaluator, FALSE);
      append_field (out, time, FALSE);
      append_field (out, total, FALSE);
      append_field (out, e->band, FALSE);
      append_field (out, critical, FALSE);
      append_field (out, e->fatal ? "yes" : "no", ids->len == 0);
      for (guint g = 0; g < ids->len; g++)
        append_field (out, g_hash_table_lookup (scores->pdata[i], ids->pdata[g]),
                      g + 1 == ids->len);
    }
  return g_string_free (out, FALSE);
}

/* Calibration {{{1 */

#define SESSION_COLUMNS "id, call, owner, reference, opened_at, coalesce (closed_at, 0)"

static CdQaCalibrationSession *
session_from_row (CdDbStmt *stmt)
{
  CdQaCalibrationSession *s = g_new0 (CdQaCalibrationSession, 1);

  s->id = column_dup (stmt, 0);
  s->call = column_dup (stmt, 1);
  s->owner = column_dup (stmt, 2);
  s->reference = column_dup (stmt, 3);
  s->opened_at = cd_db_column_int64 (stmt, 4);
  s->closed_at = cd_db_column_int64 (stmt, 5);
  return s;
}

/**
 * cd_store_list_qa_calibrations:
 * @self: a store
 * @from: Unix seconds
 * @to: Unix seconds, not included
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type CdQaCalibrationSession): the
 *   sessions opened from @from to @to, the latest first, or %NULL with
 *   @error set
 */
GPtrArray *
cd_store_list_qa_calibrations (CdStore  *self,
                               gint64    from,
                               gint64    to,
                               GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_qa_calibration_session_free);
  g_autofree char *sql = binary_order (self, "SELECT " SESSION_COLUMNS " FROM qa_calibrations "
                                             "WHERE opened_at >= ?1 AND opened_at < ?2 "
                                             "ORDER BY opened_at DESC, id BINARY");
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, sql, error)) == NULL)
    return NULL;
  cd_db_bind_int64 (stmt, 1, from);
  cd_db_bind_int64 (stmt, 2, to);
  while ((rc = step (self, stmt, _("reading the quality-control data"), error)) == CD_DB_ROW)
    g_ptr_array_add (list, session_from_row (stmt));
  if (rc == CD_DB_FAILED)
    return NULL;
  return g_steal_pointer (&list);
}

/**
 * cd_store_load_qa_calibration:
 * @self: a store
 * @session: a session's name
 * @error: %CD_STORE_ERROR_NOT_FOUND
 *
 * Returns: (transfer full): the session, or %NULL with @error set
 */
CdQaCalibrationSession *
cd_store_load_qa_calibration (CdStore     *self,
                              const char  *session,
                              GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdQaCalibrationSession *s = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, "SELECT " SESSION_COLUMNS " FROM qa_calibrations WHERE id = ?1",
                       error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, session);
  rc = step (self, stmt, _("reading the quality-control data"), error);
  if (rc == CD_DB_ROW)
    s = session_from_row (stmt);
  else if (rc == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("There is no calibration session “%s”."), session);
  return s;
}

static gboolean
append_calibrate (CdStore     *self,
                  const char  *session,
                  JsonObject  *payload,
                  const char  *actor,
                  const char  *role,
                  gint64       time,
                  GError     **error)
{
  g_autofree char *entity = g_strconcat (CD_QA_CALIBRATION_ENTITY_PREFIX, session, NULL);
  g_autoptr(CdEvent) event = cd_event_new (entity, CD_QA_CALIBRATE_EVENT_TYPE, actor, role, time,
                                           payload);

  return cd_store_append_entity_event (self, event, error) &&
         cd_store_write_qa_event (self, event, error);
}

/**
 * cd_store_open_qa_calibration:
 * @self: a store in a transaction
 * @session: the session's name (1 to 64 Latin letters, digits, `-`, `_`, `.`)
 * @call: the call its evaluators score
 * @reference: (nullable): whose evaluation is the reference (default: the
 *   owner's, @actor)
 * @actor: who opens it: its owner
 * @role: the owner's role
 * @time: when
 * @error: %CD_STORE_ERROR_CONFLICT when the name is taken
 *
 * Returns: whether the session was opened
 */
gboolean
cd_store_open_qa_calibration (CdStore     *self,
                              const char  *session,
                              const char  *call,
                              const char  *reference,
                              const char  *actor,
                              const char  *role,
                              gint64       time,
                              GError     **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  gboolean found;

  if (!cd_store_require_transaction (self, error) || !may_evaluate (role, error))
    return FALSE;
  if (!valid_name (session) || (reference != NULL && !valid_name (reference)))
    return refuse (error, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("A session’s and an evaluator’s names are 1 to 64 Latin letters, digits, "
                     "“-”, “_” or “.”."));
  if (!has_row (self, "SELECT 1 FROM calls WHERE id = ?1", call, NULL, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("There is no call “%s”."), call);
      return FALSE;
    }
  if (!has_row (self, "SELECT 1 FROM qa_calibrations WHERE id = ?1", session, NULL, &found,
                error))
    return FALSE;
  if (found)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("There is already a calibration session “%s”."), session);
      return FALSE;
    }
  json_object_set_string_member (payload, "action", "open");
  json_object_set_string_member (payload, "call", call);
  if (reference != NULL)
    json_object_set_string_member (payload, "reference", reference);
  return append_calibrate (self, session, payload, actor, role, time, error);
}

/**
 * cd_store_close_qa_calibration:
 * @self: a store in a transaction
 * @session: an open session
 * @reference: (nullable): whose evaluation is the reference, if not the
 *   one named when it was opened
 * @actor: who closes it: its owner, a supervisor or an administrator
 * @role: their role
 * @time: when
 * @error: %CD_STORE_ERROR_CONFLICT when it is closed already,
 *   %CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED for another evaluator
 *
 * Returns: whether the session was closed
 */
gboolean
cd_store_close_qa_calibration (CdStore     *self,
                               const char  *session,
                               const char  *reference,
                               const char  *actor,
                               const char  *role,
                               gint64       time,
                               GError     **error)
{
  g_autoptr(CdQaCalibrationSession) s = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();

  if (!cd_store_require_transaction (self, error) || !may_evaluate (role, error) ||
      (s = cd_store_load_qa_calibration (self, session, error)) == NULL)
    return FALSE;
  if (s->closed_at != 0)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The calibration session “%s” is closed."), session);
      return FALSE;
    }
  if (!g_str_equal (s->owner, actor) && g_strcmp0 (role, "qc") == 0)
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
                   _("Only the session’s owner, a supervisor or an administrator closes it."));
      return FALSE;
    }
  if (reference != NULL && !valid_name (reference))
    return refuse (error, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("A session’s and an evaluator’s names are 1 to 64 Latin letters, digits, "
                     "“-”, “_” or “.”."));
  json_object_set_string_member (payload, "action", "close");
  if (reference != NULL)
    json_object_set_string_member (payload, "reference", reference);
  return append_calibrate (self, session, payload, actor, role, time, error);
}

static gboolean
write_calibration (CdStore  *self,
                   CdEvent  *event,
                   GError  **error)
{
  const char *session = event->entity + strlen (CD_QA_CALIBRATION_ENTITY_PREFIX);
  const char *action, *reference;
  JsonObject *data;
  g_autoptr(CdDbStmt) stmt = NULL;

  if (!g_str_has_prefix (event->entity, CD_QA_CALIBRATION_ENTITY_PREFIX) ||
      (data = cd_event_get_data (event, error)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                     _("Event %" PRId64 ": a calibration without its session."),
                     event->seq);
      return FALSE;
    }
  action = json_object_get_string_member_with_default (data, "action", "");
  reference = json_object_get_string_member_with_default (data, "reference", NULL);
  if (g_str_equal (action, "open"))
    {
      if ((stmt = prepare (self, "INSERT INTO qa_calibrations (id, call, owner, reference, "
                                 "opened_at) VALUES (?1, ?2, ?3, ?4, ?5)", error)) == NULL)
        return FALSE;
      cd_db_bind_text (stmt, 2, json_object_get_string_member_with_default (data, "call", ""));
      cd_db_bind_text (stmt, 3, event->actor);
    }
  else
    {
      /* ?2 and ?3 are left unused: the same numbers as the INSERT's. */
      if ((stmt = prepare (self, "UPDATE qa_calibrations SET closed_at = ?5, "
                                 "reference = coalesce (?4, reference) WHERE id = ?1",
                           error)) == NULL)
        return FALSE;
    }
  cd_db_bind_text (stmt, 1, session);
  cd_db_bind_text (stmt, 4, reference);
  cd_db_bind_int64 (stmt, 5, event->time);
  return step (self, stmt, _("saving a calibration session"), error) != CD_DB_FAILED;
}

/* The latest version of each evaluation of @session, by evaluator. */
static GPtrArray *
session_evaluations (CdStore     *self,
                     const char  *session,
                     GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
    (GDestroyNotify) cd_qa_evaluation_free);
  g_autofree char *sql = binary_order (
    self, "SELECT " EVALUATION_COLUMNS EVALUATION_FROM
          " WHERE e.calibration = ?1"
          "  AND NOT EXISTS (SELECT 1 FROM qa_evaluations n WHERE n.supersedes = e.id)"
          " ORDER BY e.evaluator BINARY, e.seq");
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, sql, error)) == NULL)
    return NULL;
  cd_db_bind_text (stmt, 1, session);
  while ((rc = step (self, stmt, _("reading the quality-control data"), error)) == CD_DB_ROW)
    g_ptr_array_add (list, evaluation_from_row (stmt));
  if (rc == CD_DB_FAILED)
    return NULL;
  return g_steal_pointer (&list);
}

/* The evaluation's score, again, from its answers on its form. */
static CdQaScore *
rescore (const CdStoreQaForm   *form,
         const CdQaEvaluation  *e,
         GError               **error)
{
  g_autoptr(JsonNode) payload = json_from_string (e->payload, error);
  g_autoptr(JsonObject) doc = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  if (payload == NULL)
    return NULL;
  json_object_set_string_member (doc, "form", form->id);
  json_object_set_int_member (doc, "version", form->version);
  json_object_set_member (doc, "answers",
                          json_node_copy (json_object_get_member (json_node_get_object (payload),
                                                                  "answers")));
  json_node_set_object (root, doc);
  text = json_to_string (root, FALSE);
  return cd_qa_score_new_from_json (form->form, text, strlen (text), error);
}

/**
 * cd_store_qa_calibration_result:
 * @self: a store
 * @session: a session's name
 * @error: %CD_STORE_ERROR_NOT_FOUND; %CD_STORE_ERROR_CONFLICT when a
 *   closed session has no evaluation by its reference evaluator
 *
 * While the session is open only who has evaluated is told, never an
 * answer or a score: the evaluators score blind.
 *
 * Returns: (transfer full): the session and, once closed, each
 *   evaluator's deviation from the reference (docs/qa.md "Calibration")
 */
JsonObject *
cd_store_qa_calibration_result (CdStore     *self,
                                const char  *session,
                                GError     **error)
{
  g_autoptr(CdQaCalibrationSession) s = NULL;
  g_autoptr(GPtrArray) evaluations = NULL;
  g_autoptr(GPtrArray) scores = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CdStoreQaForm) form = NULL;
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *opened = NULL;
  const CdQaScore *reference_score = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *reference;
  JsonArray *evaluators;

  if ((s = cd_store_load_qa_calibration (self, session, error)) == NULL ||
      (evaluations = session_evaluations (self, session, error)) == NULL)
    return NULL;
  reference = s->reference != NULL ? s->reference : s->owner;
  opened = format_time (s->opened_at, zone);
  json_object_set_string_member (result, "session", s->id);
  json_object_set_string_member (result, "call", s->call);
  json_object_set_string_member (result, "owner", s->owner);
  json_object_set_string_member (result, "reference", reference);
  json_object_set_string_member (result, "opened", opened);
  json_object_set_boolean_member (result, "closed", s->closed_at != 0);
  evaluators = json_array_new ();
  for (guint i = 0; i < evaluations->len; i++)
    json_array_add_string_element (evaluators,
                                   ((CdQaEvaluation *) evaluations->pdata[i])->evaluator);
  json_object_set_array_member (result, "evaluators", evaluators);
  if (s->closed_at == 0)
    return g_steal_pointer (&result);

  scores = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_qa_score_free);
  for (guint i = 0; i < evaluations->len; i++)
    {
      const CdQaEvaluation *e = evaluations->pdata[i];
      CdQaScore *score;

      if (form == NULL &&
          (form = cd_store_load_qa_form (self, e->form, e->form_version, error)) == NULL)
        return NULL;
      if (!g_str_equal (e->form, form->id) || e->form_version != form->version)
        {
          g_set_error (error, CD_QA_ERROR, CD_QA_ERROR_OTHER_FORM,
                       _("The session’s evaluations are on different forms."));
          return NULL;
        }
      if ((score = rescore (form, e, error)) == NULL)
        return NULL;
      g_ptr_array_add (scores, score);
      if (g_str_equal (e->evaluator, reference))
        reference_score = score;
      else
        {
          g_ptr_array_add (others, score);
          g_ptr_array_add (names, e->evaluator);
        }
    }
  if (reference_score == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("The calibration session “%s” has no evaluation by its reference, %s."),
                   session, reference);
      return NULL;
    }
  if ((rows = cd_qa_calibrate (reference_score, reference,
                               (const CdQaScore * const *) others->pdata,
                               (const char * const *) names->pdata, others->len, error)) == NULL)
    return NULL;
  json_object_set_array_member (result, "results", cd_qa_calibration_to_json (rows));
  return g_steal_pointer (&result);
}

/* The journal {{{1 */

/**
 * cd_store_is_qa_event:
 * @event: an event
 *
 * Returns: whether @event is the quality-control desk's (an evaluation, a
 *   calibration session), which no ticket's projection takes
 */
gboolean
cd_store_is_qa_event (CdEvent *event)
{
  return g_str_equal (event->type, CD_QA_EVALUATE_EVENT_TYPE) ||
         g_str_equal (event->type, CD_QA_CALIBRATE_EVENT_TYPE);
}

/**
 * cd_store_write_qa_event:
 * @self: a store in a transaction
 * @event: an event for which cd_store_is_qa_event() is true, in the journal
 * @error: return location for an error
 *
 * Writes the event's row: the same for the server's store and a desktop's
 * cache that imports it.
 *
 * Returns: whether the row was written
 */
gboolean
cd_store_write_qa_event (CdStore  *self,
                         CdEvent  *event,
                         GError  **error)
{
  /* A role kept out of quality control gets these events without their
   * payload (cd_event_for_role()): its journal holds them, its tables not. */
  if (event->payload_masked)
    return TRUE;
  if (g_str_equal (event->type, CD_QA_EVALUATE_EVENT_TYPE))
    return write_evaluation (self, event, error);
  return write_calibration (self, event, error);
}

/**
 * cd_store_project_qa_event:
 * @self: a store in a transaction
 * @event: an event for which cd_store_is_qa_event() is true, in the journal
 * @error: return location for an error
 *
 * As cd_store_write_qa_event(), for a journal copied without its tables
 * (cd_store_project_journal()): an event whose row is there already (a
 * replay that stopped and goes on) is left as it is.
 *
 * Returns: whether the event's row is there
 */
gboolean
cd_store_project_qa_event (CdStore  *self,
                           CdEvent  *event,
                           GError  **error)
{
  gboolean found = FALSE;

  if (event->payload_masked)
    return TRUE;
  if (g_str_equal (event->type, CD_QA_EVALUATE_EVENT_TYPE))
    {
      if (!has_row (self, "SELECT 1 FROM qa_evaluations WHERE id = ?1", event->entity, NULL,
                    &found, error))
        return FALSE;
    }
  else if (g_str_has_prefix (event->entity, CD_QA_CALIBRATION_ENTITY_PREFIX))
    {
      const char *session = event->entity + strlen (CD_QA_CALIBRATION_ENTITY_PREFIX);
      JsonObject *data = cd_event_get_data (event, error);

      if (data == NULL ||
          !has_row (self,
                    g_strcmp0 (json_object_get_string_member_with_default (data, "action", ""),
                               "open") == 0
                      ? "SELECT 1 FROM qa_calibrations WHERE id = ?1"
                      : "SELECT 1 FROM qa_calibrations WHERE id = ?1 AND closed_at IS NOT NULL",
                    session, NULL, &found, error))
        return FALSE;
    }
  return found || cd_store_write_qa_event (self, event, error);
}

/**
 * cd_store_copy_qa_forms:
 * @self: a store
 * @from: another store
 * @n_copied: (out) (optional): how many versions were added or retired
 * @error: %CD_STORE_ERROR_CONFLICT for a version both hold with other
 *   documents
 *
 * Forms are no journal events: a database moved by its journal
 * (`citydeskctl migrate`) gets @from's form versions this way, with their
 * times of adding and retiring, so that its evaluations are read and
 * calibrated on the forms they were given on. A version @self has
 * already, with the same document, is retired if @from's is.
 *
 * Returns: whether @self holds every version of @from
 */
gboolean
cd_store_copy_qa_forms (CdStore  *self,
                        CdStore  *from,
                        gint64   *n_copied,
                        GError  **error)
{
  g_autoptr(GPtrArray) forms = NULL;
  gint64 n = 0;

  if (n_copied != NULL)
    *n_copied = 0;
  if ((forms = cd_store_list_qa_forms (from, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < forms->len; i++)
    {
      const CdStoreQaForm *form = forms->pdata[i];
      g_autoptr(CdStoreQaForm) there = NULL;
      gboolean added;

      if (!cd_store_add_qa_form (self, form->document, strlen (form->document), form->added_at,
                                 &added, &there, error))
        return FALSE;
      if (added)
        n++;
      if (form->retired_at != 0 && there->retired_at == 0)
        {
          if (!cd_store_retire_qa_form (self, form->id, form->version, form->retired_at, error))
            return FALSE;
          if (!added)
            n++;
        }
    }
  if (n_copied != NULL)
    *n_copied = n;
  return TRUE;
}

/* Sampling {{{1 */

/**
 * cd_qa_parse_week:
 * @week: an ISO 8601 week, `2026-W49`
 * @zone: the zone whose midnight starts the days
 * @start: (out): its Monday's midnight
 * @end: (out): the next Monday's
 *
 * Returns: whether @week is a week of its year
 */
gboolean
cd_qa_parse_week (const char *week,
                  GTimeZone  *zone,
                  gint64     *start,
                  gint64     *end)
{
  g_autoptr(GDateTime) jan4 = NULL;
  g_autoptr(GDateTime) monday = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GDateTime) dec28 = NULL;
  int year = 0, number;

  if (week == NULL || strlen (week) != 8 || week[4] != '-' || week[5] != 'W' ||
      !g_ascii_isdigit (week[6]) || !g_ascii_isdigit (week[7]))
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      if (!g_ascii_isdigit (week[i]))
        return FALSE;
      year = year * 10 + (week[i] - '0');
    }
  number = (week[6] - '0') * 10 + (week[7] - '0');
  if (year < 1970)
    return FALSE;
  dec28 = g_date_time_new (zone, year, 12, 28, 12, 0, 0);
  if (dec28 == NULL || number < 1 || number > g_date_time_get_week_of_year (dec28))
    return FALSE;
  jan4 = g_date_time_new (zone, year, 1, 4, 0, 0, 0);
  monday = g_date_time_add_days (jan4, 1 - g_date_time_get_day_of_week (jan4) +
                                         7 * (number - 1));
  next = g_date_time_add_days (monday, 7);
  /* add_days keeps the wall clock across a change of offset. */
  *start = g_date_time_to_unix (monday);
  *end = g_date_time_to_unix (next);
  return TRUE;
}

typedef struct
{
  GArray       *calls;    /* of CdQaSampleCall */
  GStringChunk *strings;
  GHashTable   *index;    /* call id → its position */
} SampleInput;

static gboolean
read_sample_calls (CdStore      *self,
                   SampleInput  *in,
                   const char   *sql,
                   const char   *id,
                   gint64        from,
                   gint64        to,
                   gboolean      in_week,
                   GTimeZone    *zone,
                   GError      **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, sql, error)) == NULL)
    return FALSE;
  if (id != NULL)
    cd_db_bind_text (stmt, 1, id);
  else
    {
      cd_db_bind_int64 (stmt, 1, from);
      cd_db_bind_int64 (stmt, 2, to);
    }
  while ((rc = step (self, stmt, _("reading the calls"), error)) == CD_DB_ROW)
    {
      CdQaSampleCall call = { 0 };
      const char *agent = cd_db_column_text (stmt, 1);
      const char *ended_by = cd_db_column_text (stmt, 5);
      const char *outcome = cd_db_column_text (stmt, 6);
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;

      call.call = g_string_chunk_insert_const (in->strings, cd_db_column_text (stmt, 0));
      if (g_hash_table_contains (in->index, call.call))
        continue;
      call.operator = agent != NULL ? g_string_chunk_insert_const (in->strings, agent) : NULL;
      call.time = cd_db_column_int64 (stmt, 2);
      utc = g_date_time_new_from_unix_utc (call.time);
      local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
      call.hour = local != NULL ? g_date_time_get_hour (local) : 0;
      call.in_week = in_week;
      call.answered = !cd_db_column_is_null (stmt, 3) && agent != NULL;
      call.talk_seconds = cd_db_column_int64 (stmt, 4);
      call.operator_hung_up = g_strcmp0 (ended_by, "agent") == 0 &&
                              g_strcmp0 (outcome, "answered") == 0;
      g_hash_table_insert (in->index, (gpointer) call.call, GUINT_TO_POINTER (in->calls->len));
      g_array_append_val (in->calls, call);
    }
  return rc != CD_DB_FAILED;
}

/* A member of a recording's figures, 0 when it is missing or no number. */
static double
figure (JsonObject *figures,
        const char *name)
{
  JsonNode *node = json_object_get_member (figures, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return 0;
  return json_node_get_double (node);
}

/* The recordings' figures flag their calls (docs/qa.md, "Sampling"); a
 * desktop's cache has no recordings, and flags nothing. The figures are
 * read here rather than by the database's JSON functions, which the two
 * backends do not share; figures that are not JSON flag nothing. */
static gboolean
flag_from_recordings (CdStore      *self,
                      SampleInput  *in,
                      gint64        start,
                      gint64        end,
                      GError      **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep rc;

  if ((stmt = prepare (self, "SELECT r.call, r.figures "
                             "FROM recordings r JOIN calls c ON c.id = r.call "
                             "WHERE c.entered_at >= ?1 AND c.entered_at < ?2 "
                             "  AND r.figures IS NOT NULL", error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, start);
  cd_db_bind_int64 (stmt, 2, end);
  while ((rc = step (self, stmt, _("reading the recordings"), error)) == CD_DB_ROW)
    {
      const char *text = cd_db_column_text (stmt, 1);
      g_autoptr(JsonNode) node = NULL;
      gpointer position;
      CdQaSampleCall *call;
      JsonObject *figures;

      if (!g_hash_table_lookup_extended (in->index, cd_db_column_text (stmt, 0), NULL,
                                         &position) ||
          (node = cd_json_parse (text, strlen (text), QA_MAX_DEPTH, NULL, NULL, NULL)) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      figures = json_node_get_object (node);
      call = &g_array_index (in->calls, CdQaSampleCall, GPOINTER_TO_UINT (position));
      call->long_silence = figure (figures, "longest_silence_ms") >=
                           CD_QA_SAMPLE_LONG_SILENCE_MS;
      call->overtalk = figure (figures, "overtalk_share") >= CD_QA_SAMPLE_OVERTALK_SHARE;
    }
  return rc != CD_DB_FAILED;
}

#define SAMPLE_CALL_COLUMNS \
  "SELECT id, agent, entered_at, answered_at, talk_seconds, ended_by, outcome FROM calls "

/**
 * cd_store_qa_sample:
 * @self: a store
 * @week: an ISO 8601 week, `2026-W49`
 * @per_operator: N, the calls drawn per operator
 * @zone: the zone of the week's days and of the calls' hours
 * @error: %CD_DISPATCH_ERROR_INVALID_FIELD for a week that is not one
 *
 * The week's work list (cd_qa_sample_draw()): the calls that entered the
 * queue in the week, and every call a complaint received in the week is
 * about, whenever it was.
 *
 * Returns: (transfer full): `{"week", "from", "to", "per_operator",
 *   "calls": […]}`, or %NULL with @error set
 */
JsonObject *
cd_store_qa_sample (CdStore     *self,
                    const char  *week,
                    guint        per_operator,
                    GTimeZone   *zone,
                    GError     **error)
{
  g_autoptr(GPtrArray) complaints = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *week_sql = NULL;
  SampleInput in;
  gint64 start, end;
  gboolean ok = TRUE;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!cd_qa_parse_week (week, zone, &start, &end))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("“%s” is not an ISO 8601 week such as 2026-W49."), week);
      return NULL;
    }
  if (per_operator > CD_QA_SAMPLE_MAX_PER_OPERATOR)
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_FIELD,
                   _("At most %d calls per operator are drawn."),
                   CD_QA_SAMPLE_MAX_PER_OPERATOR);
      return NULL;
    }
  if ((complaints = cd_store_list_complaints (self, start, end - 1, error)) == NULL)
    return NULL;

  in.calls = g_array_new (FALSE, TRUE, sizeof (CdQaSampleCall));
  in.strings = g_string_chunk_new (4096);
  in.index = g_hash_table_new (g_str_hash, g_str_equal);
  week_sql = binary_order (self, SAMPLE_CALL_COLUMNS "WHERE entered_at >= ?1 AND entered_at < ?2 "
                                "ORDER BY entered_at, id BINARY");
  ok = read_sample_calls (self, &in, week_sql, NULL, start, end, TRUE, zone, error);
  for (guint i = 0; ok && i < complaints->len; i++)
    {
      const CdComplaint *c = complaints->pdata[i];
      gpointer position;

      if (g_strcmp0 (c->about_kind, "call") != 0 || c->about == NULL)
        continue;
      if (!g_hash_table_contains (in.index, c->about))
        ok = read_sample_calls (self, &in, SAMPLE_CALL_COLUMNS "WHERE id = ?1", c->about, 0, 0,
                                FALSE, zone, error);
      if (ok && g_hash_table_lookup_extended (in.index, c->about, NULL, &position))
        g_array_index (in.calls, CdQaSampleCall, GPOINTER_TO_UINT (position)).complaint = TRUE;
    }
  if (ok)
    ok = flag_from_recordings (self, &in, start, end, error);
  if (ok)
    {
      entries = cd_qa_sample_draw ((const CdQaSampleCall *) (void *) in.calls->data,
                                   in.calls->len, week, per_operator);
      result = json_object_new ();
      from_text = format_time (start, zone);
      to_text = format_time (end, zone);
      json_object_set_string_member (result, "week", week);
      json_object_set_string_member (result, "from", from_text);
      json_object_set_string_member (result, "to", to_text);
      json_object_set_int_member (result, "per_operator", per_operator);
      json_object_set_array_member (result, "calls", cd_qa_sample_to_json (entries, zone));
    }
  g_array_unref (in.calls);
  g_string_chunk_free (in.strings);
  g_hash_table_unref (in.index);
  return ok ? g_steal_pointer (&result) : NULL;
}
