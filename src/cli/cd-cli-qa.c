// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl qa: the quality-control desk (docs/qa.md). `qa score` scores
// an evaluation's answers on its form, from two files; `qa form`,
// `qa evaluate`, `qa evaluations`, `qa calibration` and `qa sample` work
// on a database. Files are read with a limit, so that a wrong path to a
// recording or to /dev/zero is refused rather than read into memory.

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-qa-score.h"
#include "cd-store-qa.h"
#include "cd-store-users.h"

/* Reads at most @limit bytes of @path: more is refused. */
static char *
read_limited (const char  *path,
              gsize        limit,
              gsize       *len,
              GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *data = g_malloc (limit + 2);
  gsize n = 0;

  if ((stream = g_file_read (file, NULL, error)) == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), data, limit + 1, &n, NULL, error))
    return NULL;
  if (n > limit)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("%s is larger than %u KiB"), path, (guint) (limit / 1024));
      return NULL;
    }
  data[n] = '\0';
  *len = n;
  return g_steal_pointer (&data);
}

static void
add_row (GPtrArray  *rows,
         const char *label,
         char       *value)
{
  g_ptr_array_add (rows, g_strdup (label));
  g_ptr_array_add (rows, value);
}

/* printf pads by bytes, and a Cyrillic letter is two: pad by characters. */
static void
print_rows (GPtrArray  *rows,
            const char *indent)
{
  glong widest = 0;

  for (guint i = 0; i < rows->len; i += 2)
    widest = MAX (widest, g_utf8_strlen (g_ptr_array_index (rows, i), -1));
  for (guint i = 0; i < rows->len; i += 2)
    {
      const char *label = g_ptr_array_index (rows, i);

      printf ("%s%s%*s  %s\n", indent, label, (int) (widest - g_utf8_strlen (label, -1)), "",
              (const char *) g_ptr_array_index (rows, i + 1));
    }
}

static void
print_text (const CdQaScore    *score,
            const char * const *languages)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);

  add_row (rows, _("Form:"),
           /* Translators: the form's title, its id and its version. */
           g_strdup_printf (_("%s (%s, version %d)"),
                            cd_qa_text_get (score->form->title, languages), score->form->id,
                            (int) score->form->version));
  if (score->has_total)
    add_row (rows, _("Total:"), g_strdup_printf ("%.1f", score->total));
  else
    add_row (rows, _("Total:"), g_strdup (_("none: no question applied")));
  if (score->band != NULL)
    add_row (rows, _("Band:"), g_strdup (cd_qa_text_get (score->band->name, languages)));
  if (score->fatal_failed->len > 0)
    {
      g_autoptr(GString) reason = g_string_new (NULL);

      for (guint i = 0; i < score->fatal_failed->len; i++)
        {
          const CdQaQuestion *q = g_ptr_array_index (score->fatal_failed, i);

          g_string_append_printf (reason, "%s%s", i > 0 ? "; " : "",
                                  cd_qa_text_get (q->text, languages));
        }
      add_row (rows, _("Fatal error, the total is 0:"), g_string_free (g_steal_pointer (&reason),
                                                                      FALSE));
      for (guint g = 0; g < score->n_groups; g++)
        if (score->groups[g].applicable)
          {
            add_row (rows, _("Total without the fatal error:"),
                     g_strdup_printf ("%.1f", score->unfailed_total));
            break;
          }
    }
  else
    add_row (rows, _("Fatal error:"), g_strdup (_("none")));
  if (score->has_critical)
    add_row (rows, _("Critical score:"),
             /* Translators: the critical score, then how many of the
              * applicable critical questions were passed. */
             g_strdup_printf (_("%.1f (%u of %u passed)"), score->critical,
                              score->critical_passed, score->critical_applicable));
  else
    add_row (rows, _("Critical score:"), g_strdup (_("none: no critical question applied")));
  print_rows (rows, "");

  printf ("\n%s\n", _("Groups (weight: score):"));
  for (guint g = 0; g < score->n_groups; g++)
    {
      const CdQaGroupScore *group = &score->groups[g];
      char weight[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (weight, sizeof weight, "%g", group->group->weight);
      add_row (groups, cd_qa_text_get (group->group->title, languages),
               group->applicable ? g_strdup_printf ("%s: %.1f", weight, group->score)
                                 : g_strdup_printf (_("%s: not applicable"), weight));
    }
  print_rows (groups, "  ");
}

static int
qa_score (int    argc,
          char **argv)
{
  g_autofree char *form_path = NULL;
  g_autofree char *answers_path = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "form", 0, 0, G_OPTION_ARG_FILENAME, &form_path, N_("The evaluation form (JSON)"),
      "FILE" },
    { "answers", 0, 0, G_OPTION_ARG_FILENAME, &answers_path,
      N_("The answers to score (JSON)"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  const char * const *languages = g_get_language_names ();
  g_autoptr(CdQaForm) form = NULL;
  g_autoptr(CdQaScore) score = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *form_text = NULL;
  g_autofree char *answers_text = NULL;
  gsize form_len = 0;
  gsize answers_len = 0;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--form FILE --answers FILE",
                        _("Score an evaluation’s answers on its form: the total, its band, the "
                          "critical score, a fatal error, each group."),
                        entries, 0, &status))
    return status;
  if (form_path == NULL || answers_path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("missing option %s (see --help)"),
                                                  form_path == NULL ? "--form" : "--answers");

      return cd_cli_db_fail (argv[0], message);
    }
  if ((form_text = read_limited (form_path, CD_QA_MAX_DOCUMENT, &form_len, &error)) == NULL
      || (form = cd_qa_form_new_from_json (form_text, form_len, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("the form %s: %s"), form_path,
                                                  error->message);

      return cd_cli_db_fail (argv[0], message);
    }
  if ((answers_text = read_limited (answers_path, CD_QA_MAX_ANSWERS_DOCUMENT, &answers_len,
                                    &error)) == NULL
      || (score = cd_qa_score_new_from_json (form, answers_text, answers_len, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("the answers %s: %s"), answers_path,
                                                  error->message);

      return cd_cli_db_fail (argv[0], message);
    }
  if (json)
    {
      g_autofree char *text = cd_qa_score_to_json (score, languages);

      printf ("%s\n", text);
    }
  else
    print_text (score, languages);
  return CD_CLI_EXIT_OK;
}

/* Who acts: --as USER names an account of the database, whose role is
 * used; without it, the local user as an administrator (the command line
 * works on the database file itself). */
static gboolean
resolve_actor (const char  *prog,
               CdStore     *store,
               const char  *as,
               char       **actor,
               char       **role,
               int         *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdUser) user = NULL;

  if (as == NULL)
    {
      *actor = g_strdup (g_get_user_name ());
      *role = g_strdup ("admin");
      return TRUE;
    }
  if ((user = cd_store_find_user (store, as, &error)) == NULL)
    return cd_cli_db_refuse (prog, error->message, status);
  *actor = g_strdup (user->name);
  *role = g_strdup (user->role);
  return TRUE;
}

static int
form_add (const char *prog,
          CdStore    *store,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStoreQaForm) form = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  gboolean added = FALSE;

  if ((text = read_limited (path, CD_QA_MAX_DOCUMENT, &len, &error)) == NULL ||
      !cd_store_begin (store, &error))
    return cd_cli_db_fail (prog, error->message);
  if (!cd_store_add_qa_form (store, text, len, g_get_real_time () / G_USEC_PER_SEC, &added,
                             &form, &error) ||
      !cd_store_commit (store, &error))
    {
      g_autofree char *message = g_strdup_printf (_("the form %s: %s"), path, error->message);

      cd_store_rollback (store);
      return cd_cli_db_fail (prog, message);
    }
  if (added)
    /* Translators: a form's id and version. */
    printf (_("Added the form %s version %" PRId64 ".\n"), form->id, form->version);
  else
    printf (_("The form %s version %" PRId64 " is already there.\n"), form->id,
            form->version);
  return CD_CLI_EXIT_OK;
}

static int
form_list (CdStore *store,
           gboolean json,
           const char *prog)
{
  const char * const *languages = g_get_language_names ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forms = cd_store_list_qa_forms (store, &error);
  g_autoptr(JsonArray) array = json_array_new ();

  if (forms == NULL)
    return cd_cli_db_fail (prog, error->message);
  for (guint i = 0; i < forms->len; i++)
    {
      const CdStoreQaForm *f = forms->pdata[i];
      const char *title = f->form != NULL ? cd_qa_text_get (f->form->title, languages) : "";

      if (json)
        {
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "id", f->id);
          json_object_set_int_member (object, "version", f->version);
          json_object_set_string_member (object, "title", title);
          json_object_set_boolean_member (object, "retired", f->retired_at != 0);
          json_object_set_int_member (object, "evaluations", f->n_evaluations);
          json_array_add_object_element (array, object);
        }
      else
        printf ("%s\t%" G_GINT64_FORMAT "\t%s\t%s\t%" G_GINT64_FORMAT "\n", f->id, f->version,
                f->retired_at != 0 ? _("retired") : _("in use"), title, f->n_evaluations);
    }
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, array);
      cd_cli_db_print_json (node);
    }
  return CD_CLI_EXIT_OK;
}

static gboolean
parse_form_version (const char  *text,
                    char       **id,
                    gint64      *version)
{
  const char *colon = strchr (text, ':');
  guint64 value = 0;

  *version = 0;
  if (colon == NULL)
    {
      *id = g_strdup (text);
      return *text != '\0';
    }
  if (colon == text ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXINT32, &value, NULL))
    return FALSE;
  *id = g_strndup (text, colon - text);
  *version = (gint64) value;
  return TRUE;
}

/* qa form add FILE | retire ID VERSION | list */
static int
qa_form (int    argc,
         char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  const char *verb;
  int n_args;

  verb = argc >= 2 ? argv[1] : "";
  n_args = g_str_equal (verb, "add") ? 2 : g_str_equal (verb, "retire") ? 3 : 1;
  if (!cd_cli_db_parse (&argc, &argv, "add --db FILE FORM.json | retire --db FILE ID VERSION | "
                        "list --db FILE [--json]",
                        _("Evaluation forms in the database: add a form version, retire one, "
                          "list them. A form version is never edited."),
                        entries, n_args, &status))
    return status;
  verb = argv[1];
  if (!g_str_equal (verb, "add") && !g_str_equal (verb, "retire") && !g_str_equal (verb, "list"))
    return cd_cli_db_fail (argv[0], _("expected add, retire or list (see --help)"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (g_str_equal (verb, "add"))
    return form_add (argv[0], store, argv[2]);
  if (g_str_equal (verb, "list"))
    return form_list (store, json, argv[0]);
  {
    guint64 version = 0;

    if (!g_ascii_string_to_unsigned (argv[3], 10, 1, G_MAXINT32, &version, NULL))
      return cd_cli_db_fail (argv[0], _("the version must be a whole number from 1"));
    if (!cd_store_begin (store, &error))
      return cd_cli_db_fail (argv[0], error->message);
    if (!cd_store_retire_qa_form (store, argv[2], (gint64) version,
                                  g_get_real_time () / G_USEC_PER_SEC, &error) ||
        !cd_store_commit (store, &error))
      {
        cd_store_rollback (store);
        return cd_cli_db_fail (argv[0], error->message);
      }
  }
  return CD_CLI_EXIT_OK;
}

static gboolean
parse_comments (const char  *prog,
                char       **texts,
                GArray      *comments,
                int         *status)
{
  for (guint i = 0; texts != NULL && texts[i] != NULL; i++)
    {
      const char *colon = strchr (texts[i], ':');
      g_autofree char *ms = colon != NULL ? g_strndup (texts[i], colon - texts[i]) : NULL;
      CdQaComment comment = { 0 };
      guint64 value = 0;

      if (ms == NULL || !g_ascii_string_to_unsigned (ms, 10, 0, G_MAXINT64, &value, NULL))
        return cd_cli_db_refuse (prog, _("--comment must be MS:TEXT, the time in milliseconds "
                                         "into the recording"), status);
      comment.at_ms = (gint64) value;
      comment.text = (char *) colon + 1;
      g_array_append_val (comments, comment);
    }
  return TRUE;
}

static int
qa_evaluate (int    argc,
             char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *call = NULL;
  g_autofree char *form_text = NULL;
  g_autofree char *answers_path = NULL;
  g_auto(GStrv) comment_texts = NULL;
  g_autofree char *supersedes = NULL;
  g_autofree char *calibration = NULL;
  g_autofree char *as = NULL;
  g_autofree char *form_id = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *role = NULL;
  g_autofree char *answers = NULL;
  g_autoptr(GArray) comments = g_array_new (FALSE, TRUE, sizeof (CdQaComment));
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdQaEvaluation) evaluation = NULL;
  g_autoptr(GError) error = NULL;
  CdQaEvaluationRequest request = { 0 };
  gsize answers_len = 0;
  gint64 version = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "call", 0, 0, G_OPTION_ARG_STRING, &call, N_("The call evaluated"), N_("ID") },
    { "form", 0, 0, G_OPTION_ARG_STRING, &form_text,
      N_("The form, and its version (default: the newest in use)"), N_("ID[:VERSION]") },
    { "answers", 0, 0, G_OPTION_ARG_FILENAME, &answers_path, N_("The answers (JSON)"),
      N_("FILE") },
    { "comment", 0, 0, G_OPTION_ARG_STRING_ARRAY, &comment_texts,
      N_("A comment at a time in the recording (repeatable)"), N_("MS:TEXT") },
    { "supersedes", 0, 0, G_OPTION_ARG_STRING, &supersedes,
      N_("The evaluation this one corrects"), N_("EVALUATION") },
    { "calibration", 0, 0, G_OPTION_ARG_STRING, &calibration,
      N_("The calibration session it belongs to"), N_("SESSION") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("The evaluator, an account of the database"),
      N_("USER") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE --call ID --form ID[:VERSION] --answers FILE "
                        "[--comment MS:TEXT]… [--supersedes EVALUATION] "
                        "[--calibration SESSION] [--as USER]",
                        _("Evaluate a call on a form: the score is computed and kept with the "
                          "answers in the journal. A correction supersedes an earlier "
                          "evaluation, which stays."),
                        entries, 0, &status) ||
      !parse_comments (argv[0], comment_texts, comments, &status))
    return status;
  if (call == NULL || form_text == NULL || answers_path == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --call, --form or --answers (see --help)"));
  if (!parse_form_version (form_text, &form_id, &version))
    return cd_cli_db_fail (argv[0], _("--form must be ID or ID:VERSION"));
  if ((answers = read_limited (answers_path, CD_QA_MAX_ANSWERS_DOCUMENT, &answers_len,
                               &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL ||
      !resolve_actor (argv[0], store, as, &actor, &role, &status))
    return status;

  request.call = call;
  request.form = form_id;
  request.form_version = version;
  request.answers = answers;
  request.answers_len = answers_len;
  request.comments = (const CdQaComment *) (void *) comments->data;
  request.n_comments = comments->len;
  request.supersedes = supersedes;
  request.calibration = calibration;
  request.evaluator = actor;
  request.role = role;
  request.time = g_get_real_time () / G_USEC_PER_SEC;
  if (!cd_store_begin (store, &error))
    return cd_cli_db_fail (argv[0], error->message);
  if ((evaluation = cd_store_add_qa_evaluation (store, &request, &error)) == NULL ||
      !cd_store_commit (store, &error))
    {
      cd_store_rollback (store);
      return cd_cli_db_fail (argv[0], error->message);
    }
  /* The id first, alone on its line, for scripts that correct it later. */
  printf ("%s\n", evaluation->id);
  if (evaluation->has_total)
    printf (_("Total %.1f, band %s%s\n"), evaluation->total,
            evaluation->band != NULL ? evaluation->band : "-",
            evaluation->fatal ? _(" (fatal error)") : "");
  else
    printf ("%s\n", _("No total: no question applied"));
  return CD_CLI_EXIT_OK;
}

static gboolean
parse_period_option (const char *prog,
                     const char *text,
                     gint64     *out,
                     int        *status)
{
  if (text == NULL)
    return TRUE;
  return cd_cli_db_parse_now (prog, text, out, status);
}

static int
qa_evaluations (int    argc,
                char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *operator = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  gboolean json = FALSE;
  gint64 from = 0, to = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator, N_("Only this operator’s calls"),
      N_("NAME") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Calls at or after"), N_("ISO8601") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Calls before"), N_("ISO8601") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Write RFC 4180 CSV to FILE (- for standard "
                                                   "output)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE [--operator NAME] [--from ISO8601] [--to ISO8601] "
                        "[--csv FILE] [--json]",
                        _("The latest version of each evaluation, by call time, with the "
                          "operator, the total, the band and the critical score. Calibration "
                          "evaluations are not an operator’s results and are left out."),
                        entries, 0, &status) ||
      !parse_period_option (argv[0], from_text, &from, &status) ||
      !parse_period_option (argv[0], to_text, &to, &status))
    return status;
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((list = cd_store_list_qa_evaluations (store, operator, from, to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  if (csv != NULL)
    {
      g_autofree char *text = cd_qa_evaluations_to_csv (list, zone);

      if (g_str_equal (csv, "-"))
        fputs (text, stdout);
      else if (!g_file_set_contents (csv, text, -1, &error))
        return cd_cli_db_fail (argv[0], error->message);
      return CD_CLI_EXIT_OK;
    }
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (list->len);

      for (guint i = 0; i < list->len; i++)
        json_array_add_object_element (array, cd_qa_evaluation_to_json (list->pdata[i], zone,
                                                                         FALSE));
      json_node_take_array (node, array);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      const CdQaEvaluation *e = list->pdata[i];
      g_autofree char *call_time = e->call_time != 0 ? cd_cli_db_format_time (e->call_time)
                                                     : g_strdup ("-");
      g_autofree char *total = e->has_total ? g_strdup_printf ("%.1f", e->total)
                                            : g_strdup ("-");
      g_autofree char *critical = e->has_critical ? g_strdup_printf ("%.1f", e->critical)
                                                  : g_strdup ("-");

      printf ("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", call_time, e->operator ? e->operator : "-",
              e->call, e->evaluator, total, e->band ? e->band : "-", critical,
              e->fatal ? _("fatal error") : "");
    }
  return CD_CLI_EXIT_OK;
}

static void
print_calibration (JsonObject *result)
{
  JsonArray *rows;

  printf (_("Session %s, call %s, reference: %s\n"),
          json_object_get_string_member (result, "session"),
          json_object_get_string_member (result, "call"),
          json_object_get_string_member (result, "reference"));
  if (!json_object_get_boolean_member (result, "closed"))
    {
      JsonArray *evaluators = json_object_get_array_member (result, "evaluators");

      printf ("%s\n", _("Open: the evaluators score blind until it is closed."));
      for (guint i = 0; i < json_array_get_length (evaluators); i++)
        printf ("  %s\n", json_array_get_string_element (evaluators, i));
      return;
    }
  rows = json_object_get_array_member (result, "results");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonNode *total = json_object_get_member (row, "total_deviation");
      JsonNode *mean = json_object_get_member (row, "mean_abs_deviation");
      g_autofree char *deviation = JSON_NODE_HOLDS_NULL (total)
                                     ? g_strdup ("-")
                                     : g_strdup_printf ("%+.1f", json_node_get_double (total));
      g_autofree char *mean_text = JSON_NODE_HOLDS_NULL (mean)
                                     ? g_strdup ("-")
                                     : g_strdup_printf ("%.1f", json_node_get_double (mean));

      /* Translators: an evaluator, their total's deviation from the
       * reference, the mean deviation per question, how many answers
       * agree with the reference's of how many questions. */
      printf (_("%s: total %s, mean deviation per question %s, %d of %d answers as the "
                "reference\n"),
              json_object_get_string_member (row, "evaluator"), deviation, mean_text,
              (int) json_object_get_int_member (row, "agreed"),
              (int) json_array_get_length (json_object_get_array_member (row, "questions")));
    }
}

/* qa calibration SESSION [--open --call ID] [--close] [--reference USER] */
static int
qa_calibration (int    argc,
                char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *call = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *as = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *role = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = NULL;
  gboolean open = FALSE, close = FALSE, json = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open, N_("Open the session over --call"), NULL },
    { "call", 0, 0, G_OPTION_ARG_STRING, &call, N_("The call its evaluators score"),
      N_("ID") },
    { "close", 0, 0, G_OPTION_ARG_NONE, &close, N_("Close it: the results are shown"), NULL },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference,
      N_("Whose evaluation is the reference (default: the owner’s)"), N_("USER") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as, N_("Who acts, an account of the database"),
      N_("USER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE SESSION [--open --call ID | --close] [--reference USER] "
                        "[--as USER] [--json]",
                        _("A calibration session: several evaluators score one call blind; "
                          "once it is closed, each one’s deviation from the reference, in "
                          "total and question by question."),
                        entries, 1, &status))
    return status;
  if (open && close)
    return cd_cli_db_fail (argv[0], _("--open and --close exclude each other"));
  if (open && call == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --call (see --help)"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (open || close)
    {
      if (!resolve_actor (argv[0], store, as, &actor, &role, &status))
        return status;
      if (!cd_store_begin (store, &error))
        return cd_cli_db_fail (argv[0], error->message);
      if (!(open ? cd_store_open_qa_calibration (store, argv[1], call, reference, actor, role,
                                                 now, &error)
                 : cd_store_close_qa_calibration (store, argv[1], reference, actor, role, now,
                                                  &error)) ||
          !cd_store_commit (store, &error))
        {
          cd_store_rollback (store);
          return cd_cli_db_fail (argv[0], error->message);
        }
    }
  if ((result = cd_store_qa_calibration_result (store, argv[1], &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, result);
      cd_cli_db_print_json (node);
    }
  else
    print_calibration (result);
  return CD_CLI_EXIT_OK;
}

static int
qa_sample (int    argc,
           char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *week = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  gboolean json = FALSE;
  int per_operator = CD_QA_SAMPLE_PER_OPERATOR;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "week", 0, 0, G_OPTION_ARG_STRING, &week, N_("The ISO 8601 week"), N_("YYYY-Www") },
    { "per-operator", 0, 0, G_OPTION_ARG_INT, &per_operator,
      N_("Random calls per operator (default: 5)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  JsonArray *calls;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --week YYYY-Www [--per-operator N] [--json]",
                        _("The week’s calls to review: a random sample per operator, "
                          "stratified by hour, the calls of complaints about the contact "
                          "center and the flagged calls, each with its reasons."),
                        entries, 0, &status))
    return status;
  if (week == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --week (see --help)"));
  if (per_operator < 0 || per_operator > CD_QA_SAMPLE_MAX_PER_OPERATOR)
    return cd_cli_db_fail (argv[0], _("--per-operator must be from 0 to 1000"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((result = cd_store_qa_sample (store, week, (guint) per_operator, zone, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, result);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }
  calls = json_object_get_array_member (result, "calls");
  for (guint i = 0; i < json_array_get_length (calls); i++)
    {
      JsonObject *c = json_array_get_object_element (calls, i);
      JsonArray *reasons = json_object_get_array_member (c, "reasons");
      JsonNode *operator = json_object_get_member (c, "operator");
      g_autoptr(GString) why = g_string_new (NULL);

      for (guint r = 0; r < json_array_get_length (reasons); r++)
        {
          const char *reason = json_array_get_string_element (reasons, r);

          for (int k = 0; k < CD_QA_N_REASONS; k++)
            if (g_str_equal (reason, cd_qa_reason_to_string (1u << k)))
              g_string_append_printf (why, "%s%s", r > 0 ? "; " : "",
                                      cd_qa_reason_label (1u << k));
        }
      printf ("%s\t%s\t%s\t%s\n", json_object_get_string_member (c, "time"),
              JSON_NODE_HOLDS_NULL (operator) ? "-" : json_node_get_string (operator),
              json_object_get_string_member (c, "call"), why->str);
    }
  return CD_CLI_EXIT_OK;
}

int
cd_cli_qa (int    argc,
           char **argv)
{
  static const struct {
    const char *name;
    CdCliCommandFunc func;
  } subcommands[] = {
    { "score", qa_score },
    { "form", qa_form },
    { "evaluate", qa_evaluate },
    { "evaluations", qa_evaluations },
    { "calibration", qa_calibration },
    { "sample", qa_sample },
  };

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        {
          g_autofree char *prog = g_strdup_printf ("%s %s", argv[0], argv[1]);

          argv[1] = prog;
          return subcommands[i].func (argc - 1, argv + 1);
        }

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf ("%s\n", _("Usage: citydeskctl qa score|form|evaluate|evaluations|calibration|"
                         "sample [OPTION…]"));
      return CD_CLI_EXIT_OK;
    }
  fprintf (stderr, "%s\n", _("Usage: citydeskctl qa score|form|evaluate|evaluations|calibration|"
                             "sample [OPTION…]"));
  return CD_CLI_EXIT_ERROR;
}
