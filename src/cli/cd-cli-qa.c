// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl qa score: an evaluation's answers scored on its form, from
// two files, as the quality-control desk will score them in the app
// (docs/qa.md). Both files are read with a limit, so that a wrong path to
// a recording or to /dev/zero is refused rather than read into memory.

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-qa-score.h"

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

int
cd_cli_qa (int    argc,
           char **argv)
{
  static const struct {
    const char *name;
    CdCliCommandFunc func;
  } subcommands[] = {
    { "score", qa_score },
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
      printf ("%s\n", _("Usage: citydeskctl qa score --form FILE --answers FILE [--json]"));
      return CD_CLI_EXIT_OK;
    }
  fprintf (stderr, "%s\n", _("Usage: citydeskctl qa score --form FILE --answers FILE [--json]"));
  return CD_CLI_EXIT_ERROR;
}
