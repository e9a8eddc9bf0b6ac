// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-qa.c: the quality-control desk in the API (docs/qa.md)
 *
 * GET /api/v1/qa/forms, POST and GET /api/v1/qa/evaluations, GET
 * /api/v1/qa/sample, and calibration sessions (POST /api/v1/qa/calibrations
 * opens one, POST …/{session}/close closes it, GET …/{session} gives its
 * result): the same store functions as `citydeskctl qa`, behind
 * the role table's `qa` resource. Bodies come through the server's one
 * strict reader (cd_server_read_object()); every member is checked here
 * for its type, and the store checks what it means. Calibration
 * evaluations never appear in the list: the evaluators of a session score
 * blind, and calibration is no operator's result. A role that reads only
 * its own (an operator, linked to its PBX agent) gets the forms and the
 * evaluations of its agent's calls, never the others' nor the sample.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-dispatch.h"
#include "cd-json-tree.h"
#include "cd-server-private.h"
#include "cd-store-qa.h"

static void
bad_request (SoupServerMessage *msg,
             const char        *field,
             const char        *message)
{
  cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, field);
}

/* The form's and the answers' refusals are the client's fault. */
static void
send_error (SoupServerMessage *msg,
            const GError      *error)
{
  if (error->domain == CD_QA_ERROR)
    bad_request (msg, NULL, error->message);
  else
    cd_server_send_gerror (msg, error);
}

static void
list_forms (CdServer          *self,
            SoupServerMessage *msg,
            GHashTable        *query)
{
  static const char * const known[] = { NULL };
  g_autoptr(GPtrArray) forms = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  if (!cd_server_only_known_params (msg, query, known))
    return;
  if ((forms = cd_store_list_qa_forms (self->store, &error)) == NULL)
    {
      send_error (msg, error);
      return;
    }
  array = json_array_sized_new (forms->len);
  for (guint i = 0; i < forms->len; i++)
    {
      const CdStoreQaForm *f = forms->pdata[i];
      JsonObject *object = json_object_new ();
      JsonNode *document = json_from_string (f->document, NULL);

      json_object_set_string_member (object, "id", f->id);
      json_object_set_int_member (object, "version", f->version);
      json_object_set_boolean_member (object, "retired", f->retired_at != 0);
      json_object_set_int_member (object, "evaluations", f->n_evaluations);
      if (document != NULL)
        json_object_set_member (object, "document", document);
      json_array_add_object_element (array, object);
    }
  json_object_set_array_member (root, "forms", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static void
list_evaluations (CdServer          *self,
                  SoupServerMessage *msg,
                  GHashTable        *query,
                  CdUser            *user,
                  CdAccessScope      scope)
{
  static const char * const known[] = { "operator", "from", "to", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *operator = query != NULL ? g_hash_table_lookup (query, "operator") : NULL;
  gint64 from = 0, to = 0;
  JsonArray *array;

  if (!cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_time (msg, query, "from", FALSE, zone, &from) ||
      !cd_server_parse_time (msg, query, "to", FALSE, zone, &to))
    return;
  if (scope == CD_ACCESS_OWN)
    {
      /* cd_server_may_read() refused an account without an agent. */
      if (operator != NULL && !cd_access_agent_owns (user->agent, operator))
        {
          cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                _("An operator reads only their own evaluations."), "operator");
          return;
        }
      operator = user->agent;
    }
  if ((list = cd_store_list_qa_evaluations (self->store, operator, from, to, &error)) == NULL)
    {
      send_error (msg, error);
      return;
    }
  array = json_array_sized_new (list->len);
  for (guint i = 0; i < list->len; i++)
    json_array_add_object_element (array, cd_qa_evaluation_to_json (list->pdata[i], zone, TRUE));
  json_object_set_array_member (root, "evaluations", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static gboolean
get_string (SoupServerMessage  *msg,
            JsonObject         *body,
            const char         *name,
            gboolean            required,
            const char        **out)
{
  JsonNode *node = json_object_get_member (body, name);

  *out = NULL;
  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING || *json_node_get_string (node) == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a text."), name);

      bad_request (msg, name, message);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_comments (SoupServerMessage *msg,
               JsonObject        *body,
               GArray            *comments)
{
  JsonNode *node = json_object_get_member (body, "comments");
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) > CD_QA_MAX_COMMENTS)
    {
      bad_request (msg, "comments",
                   _("“comments” must be a list of at most 500 {\"at_ms\", \"text\"}."));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *one = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (one) ? json_node_get_object (one) : NULL;
      JsonNode *at = object != NULL ? json_object_get_member (object, "at_ms") : NULL;
      JsonNode *text = object != NULL ? json_object_get_member (object, "text") : NULL;
      CdQaComment comment;

      if (object == NULL || json_object_get_size (object) != 2 || at == NULL || text == NULL ||
          !JSON_NODE_HOLDS_VALUE (at) || json_node_get_value_type (at) != G_TYPE_INT64 ||
          !JSON_NODE_HOLDS_VALUE (text) || json_node_get_value_type (text) != G_TYPE_STRING)
        {
          bad_request (msg, "comments",
                       _("A comment is {\"at_ms\": whole milliseconds, \"text\": a text}."));
          return FALSE;
        }
      comment.at_ms = json_node_get_int (at);
      comment.text = (char *) json_node_get_string (text);
      g_array_append_val (comments, comment);
    }
  return TRUE;
}

/* {"call", "form", "version"?, "answers": {…}, "comments"?,
 * "supersedes"?, "calibration"?}: the evaluator is the account, the time
 * the server's clock. */
static void
add_evaluation (CdServer          *self,
                SoupServerMessage *msg,
                CdUser            *user)
{
  static const char * const known[] = {
    "call", "form", "version", "answers", "comments", "supersedes", "calibration", NULL,
  };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) wrapper = json_object_new ();
  g_autoptr(JsonNode) wrapper_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GArray) comments = g_array_new (FALSE, TRUE, sizeof (CdQaComment));
  g_autoptr(CdQaEvaluation) evaluation = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  g_autofree char *answers = NULL;
  CdQaEvaluationRequest request = { 0 };
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if ((body = cd_server_read_object (self, msg, NULL)) == NULL)
    return;
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, &node))
    if (!g_strv_contains (known, member))
      {
        g_autofree char *message = g_strdup_printf (_("Unknown field “%s”."), member);

        bad_request (msg, member, message);
        return;
      }
  if (!get_string (msg, body, "call", TRUE, &request.call) ||
      !get_string (msg, body, "form", TRUE, &request.form) ||
      !get_string (msg, body, "supersedes", FALSE, &request.supersedes) ||
      !get_string (msg, body, "calibration", FALSE, &request.calibration) ||
      !read_comments (msg, body, comments))
    return;
  if ((node = json_object_get_member (body, "version")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 1 || json_node_get_int (node) > G_MAXINT32)
        {
          bad_request (msg, "version", _("“version” must be a whole number from 1."));
          return;
        }
      request.form_version = json_node_get_int (node);
    }
  if ((node = json_object_get_member (body, "answers")) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_request (msg, "answers", _("“answers” must be an object: question id to answer."));
      return;
    }
  json_object_set_member (wrapper, "answers", json_node_copy (node));
  json_node_set_object (wrapper_node, wrapper);
  answers = json_to_string (wrapper_node, FALSE);

  request.answers = answers;
  request.answers_len = strlen (answers);
  request.comments = (const CdQaComment *) (void *) comments->data;
  request.n_comments = comments->len;
  request.evaluator = user->name;
  request.role = user->role;
  request.time = cd_server_now (self);
  if (!cd_store_begin (self->store, &error))
    {
      send_error (msg, error);
      return;
    }
  if ((evaluation = cd_store_add_qa_evaluation (self->store, &request, &error)) == NULL ||
      !cd_store_commit (self->store, &error))
    {
      cd_store_rollback (self->store);
      send_error (msg, error);
      return;
    }
  cd_server_notify_committed (self);
  json_object_set_object_member (root, "evaluation",
                                 cd_qa_evaluation_to_json (evaluation, zone, TRUE));
  cd_server_send_object (msg, SOUP_STATUS_CREATED, root);
}

static void
sample (CdServer          *self,
        SoupServerMessage *msg,
        GHashTable        *query)
{
  static const char * const known[] = { "week", "per_operator", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *week = query != NULL ? g_hash_table_lookup (query, "week") : NULL;
  const char *n_text = query != NULL ? g_hash_table_lookup (query, "per_operator") : NULL;
  guint64 n = CD_QA_SAMPLE_PER_OPERATOR;

  if (!cd_server_only_known_params (msg, query, known))
    return;
  if (week == NULL)
    {
      bad_request (msg, "week", _("“week” is missing: an ISO 8601 week such as 2026-W49."));
      return;
    }
  if (n_text != NULL &&
      !g_ascii_string_to_unsigned (n_text, 10, 0, CD_QA_SAMPLE_MAX_PER_OPERATOR, &n, NULL))
    {
      bad_request (msg, "per_operator", _("“per_operator” must be a whole number from 0 to "
                                          "1000."));
      return;
    }
  if ((root = cd_store_qa_sample (self->store, week, (guint) n, zone, &error)) == NULL)
    {
      send_error (msg, error);
      return;
    }
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* Reads only the members in @known; FALSE with the answer sent. */
static JsonObject *
read_known (CdServer           *self,
            SoupServerMessage  *msg,
            const char * const *known)
{
  g_autoptr(JsonObject) body = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if ((body = cd_server_read_object (self, msg, NULL)) == NULL)
    return NULL;
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, &node))
    if (!g_strv_contains (known, member))
      {
        g_autofree char *message = g_strdup_printf (_("Unknown field “%s”."), member);

        bad_request (msg, member, message);
        return NULL;
      }
  return g_steal_pointer (&body);
}

static void
send_calibration (CdServer          *self,
                  SoupServerMessage *msg,
                  const char        *session,
                  guint              status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = cd_store_qa_calibration_result (self->store, session, &error);
  g_autoptr(JsonObject) root = json_object_new ();

  if (result == NULL)
    {
      send_error (msg, error);
      return;
    }
  json_object_set_object_member (root, "calibration", g_steal_pointer (&result));
  cd_server_send_object (msg, status, root);
}

/* POST /api/v1/qa/calibrations {"session", "call", "reference"?}, and
 * POST /api/v1/qa/calibrations/{session}/close {"reference"?}: the owner
 * is the account, the time the server's clock. */
static void
change_calibration (CdServer          *self,
                    SoupServerMessage *msg,
                    CdUser            *user,
                    const char        *closing)
{
  static const char * const open_known[] = { "session", "call", "reference", NULL };
  static const char * const close_known[] = { "reference", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *session = closing, *call = NULL, *reference = NULL;
  gboolean done;

  if ((body = read_known (self, msg, closing != NULL ? close_known : open_known)) == NULL)
    return;
  if ((closing == NULL && (!get_string (msg, body, "session", TRUE, &session) ||
                           !get_string (msg, body, "call", TRUE, &call))) ||
      !get_string (msg, body, "reference", FALSE, &reference))
    return;
  if (!cd_store_begin (self->store, &error))
    {
      send_error (msg, error);
      return;
    }
  if (closing == NULL)
    done = cd_store_open_qa_calibration (self->store, session, call, reference, user->name,
                                         user->role, cd_server_now (self), &error);
  else
    done = cd_store_close_qa_calibration (self->store, session, reference, user->name,
                                          user->role, cd_server_now (self), &error);
  if (!done || !cd_store_commit (self->store, &error))
    {
      cd_store_rollback (self->store);
      send_error (msg, error);
      return;
    }
  cd_server_notify_committed (self);
  send_calibration (self, msg, session, closing == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK);
}

static void
handle_calibrations (CdServer          *self,
                     SoupServerMessage *msg,
                     CdUser            *user,
                     const char        *rest)
{
  g_autofree char *session = NULL;
  const char *slash;
  gboolean post = g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST);

  if (*rest == '\0')
    {
      if (!post)
        {
          cd_server_check_method (msg, SOUP_METHOD_POST);
          return;
        }
      change_calibration (self, msg, user, NULL);
      return;
    }
  slash = strchr (rest + 1, '/');
  session = g_strndup (rest + 1, slash != NULL ? (gsize) (slash - rest - 1) : strlen (rest + 1));
  if (slash != NULL && g_str_equal (slash, "/close"))
    {
      if (cd_server_check_method (msg, SOUP_METHOD_POST))
        change_calibration (self, msg, user, session);
      return;
    }
  if (slash != NULL || *session == '\0')
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), rest);

      cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
      return;
    }
  if (cd_server_check_method (msg, SOUP_METHOD_GET))
    send_calibration (self, msg, session, SOUP_STATUS_OK);
}

static void
handle_qa (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  const char *rest = path + strlen ("/api/v1/qa");
  CdAccessScope scope;

  if (!g_str_equal (rest, "/forms") && !g_str_equal (rest, "/evaluations") &&
      !g_str_equal (rest, "/sample") && !g_str_has_prefix (rest, "/calibrations"))
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

      cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
      return;
    }
  if ((user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_QA, &scope))
    return;
  if (scope == CD_ACCESS_OWN && g_str_equal (rest, "/sample"))
    {
      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                            _("The week’s sample names every operator’s calls: an operator "
                              "reads only their own evaluations."), NULL);
      return;
    }
  if (g_str_has_prefix (rest, "/calibrations"))
    {
      const char *tail = rest + strlen ("/calibrations");

      if (scope == CD_ACCESS_OWN)
        cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                              _("An operator reads only their own evaluations."), NULL);
      else if (*tail != '\0' && *tail != '/')
        {
          g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

          cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
        }
      else
        handle_calibrations (self, msg, user, tail);
      return;
    }
  if (g_str_equal (rest, "/evaluations") &&
      g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_POST))
    add_evaluation (self, msg, user);
  else if (!cd_server_check_method (msg, SOUP_METHOD_GET))
    return;
  else if (g_str_equal (rest, "/forms"))
    list_forms (self, msg, query);
  else if (g_str_equal (rest, "/evaluations"))
    list_evaluations (self, msg, query, user, scope);
  else
    sample (self, msg, query);
}

void
cd_server_qa_install (CdServer *self)
{
  soup_server_add_handler (self->soup, "/api/v1/qa", handle_qa, self, NULL);
}
