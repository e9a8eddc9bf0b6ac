// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-complaints.c: citydeskctl complaints journal|stats */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-complaint.h"
#include "cd-journal-print.h"
#include "cd-store-complaints.h"

static gboolean
parse_period (const char  *prog,
              const char  *from_text,
              const char  *to_text,
              gint64      *from,
              gint64      *to,
              int         *status)
{
  if (from_text == NULL || to_text == NULL)
    {
      *status = cd_cli_db_fail (prog, _("missing option --from or --to (see --help)"));
      return FALSE;
    }
  return cd_cli_db_parse_now (prog, from_text, from, status) &&
         cd_cli_db_parse_now (prog, to_text, to, status);
}

/* The journal of [from, to] to a PDF, titled with its period. */
static gboolean
journal_to_pdf (GPtrArray   *rows,
                gint64       from,
                gint64       to,
                GTimeZone   *zone,
                const char  *path,
                GError     **error)
{
  g_autoptr(GDateTime) from_utc = g_date_time_new_from_unix_utc (from);
  g_autoptr(GDateTime) to_utc = g_date_time_new_from_unix_utc (to);
  g_autoptr(GDateTime) first = g_date_time_to_timezone (from_utc, zone);
  g_autoptr(GDateTime) last = g_date_time_to_timezone (to_utc, zone);
  g_autofree char *first_text = g_date_time_format (first, "%Y-%m-%d");
  g_autofree char *last_text = g_date_time_format (last, "%Y-%m-%d");
  /* Translators: the printed complaint journal's title: the first and the
   * last day of its period. */
  g_autofree char *title = g_strdup_printf (_("Complaint journal, %s – %s"), first_text,
                                            last_text);
  g_autoptr(CdJournalPrint) print = cd_journal_print_new (rows, title, zone);

  return cd_journal_print_to_pdf (print, path, error);
}

static int
complaints_journal (int    argc,
                    char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *db = NULL, *from_text = NULL, *to_text = NULL, *csv_path = NULL;
  g_autofree char *csv = NULL, *pdf_path = NULL;
  gint64 from = 0, to = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Received at or after"),
      N_("ISO8601") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Received at or before"), N_("ISO8601") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("Write the journal as CSV to this file"),
      N_("FILE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf_path,
      N_("Write the journal as a PDF (A4 landscape) to this file"), N_("FILE") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE --from ISO8601 --to ISO8601 [--csv FILE] [--pdf FILE]",
                        _("The complaint journal of a period, in order of receipt: No. | date "
                          "received | classification | complainant’s name and address | "
                          "summary | result | in whose favour."),
                        entries, 0, &status) ||
      !parse_period (argv[0], from_text, to_text, &from, &to, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((rows = cd_store_list_complaints (store, from, to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  csv = cd_complaint_journal_to_csv ((CdComplaint * const *) rows->pdata, rows->len, zone);
  if (csv_path != NULL)
    {
      if (!g_file_set_contents (csv_path, csv, -1, &error))
        return cd_cli_db_fail (argv[0], error->message);
    }
  if (pdf_path != NULL && !journal_to_pdf (rows, from, to, zone, pdf_path, &error))
    return cd_cli_db_fail (argv[0], error->message);
  if (csv_path != NULL || pdf_path != NULL)
    return CD_CLI_EXIT_OK;
  for (guint i = 0; i < rows->len; i++)
    {
      const CdComplaint *c = g_ptr_array_index (rows, i);
      g_autofree char *received = cd_cli_db_format_time (c->received);

      printf ("%s | %s | %s | %s | %s | %s | %s\n", c->number, received,
              c->klass != NULL ? c->klass : "-", c->complainant,
              c->summary != NULL ? c->summary : "-",
              c->decision != NULL ? cd_complaint_decision_label (c->decision) : "-",
              c->favour != NULL ? cd_complaint_favour_label (c->favour) : "-");
    }
  return CD_CLI_EXIT_OK;
}

static int
complaints_stats (int    argc,
                  char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *db = NULL, *from_text = NULL, *to_text = NULL;
  gboolean json = FALSE;
  gint64 from = 0, to = 0;
  int status = CD_CLI_EXIT_OK;
  JsonObject *decisions, *favour;
  JsonArray *executors;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Received at or after"),
      N_("ISO8601") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Received at or before"), N_("ISO8601") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --from ISO8601 --to ISO8601 [--json]",
                        _("The complaints of a period: received, answered on time, upheld, "
                          "partly upheld and refused, in whose favour, by executor."),
                        entries, 0, &status) ||
      !parse_period (argv[0], from_text, to_text, &from, &to, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((rows = cd_store_list_complaints (store, from, to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  stats = cd_complaint_stats ((CdComplaint * const *) rows->pdata, rows->len);
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, stats);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }
  decisions = json_object_get_object_member (stats, "decisions");
  favour = json_object_get_object_member (stats, "favour");
  executors = json_object_get_array_member (stats, "by_executor");
  printf (_("Received:          %" PRId64 "\n"),
          json_object_get_int_member (stats, "received"));
  printf (_("Answered:          %" PRId64 " (on time: %" PRId64 ")\n"),
          json_object_get_int_member (stats, "answered"),
          json_object_get_int_member (stats, "answered_on_time"));
  printf (_("Upheld:            %" PRId64 "\n"),
          json_object_get_int_member (decisions, "upheld"));
  printf (_("Partly upheld:     %" PRId64 "\n"),
          json_object_get_int_member (decisions, "partly_upheld"));
  printf (_("Refused:           %" PRId64 "\n"),
          json_object_get_int_member (decisions, "refused"));
  printf (_("For the resident:  %" PRId64 "\n"),
          json_object_get_int_member (favour, "resident"));
  printf (_("For the organization: %" PRId64 "\n"),
          json_object_get_int_member (favour, "organization"));
  if (json_array_get_length (executors) > 0)
    printf ("%s\n", _("By executor: received, upheld, partly upheld, refused"));
  for (guint i = 0; i < json_array_get_length (executors); i++)
    {
      JsonObject *e = json_array_get_object_element (executors, i);
      const char *name = json_object_get_string_member_with_default (e, "executor", NULL);
      const char *shown = name != NULL ? name : _("(no ticket)");

      /* printf pads by bytes, and a Cyrillic letter is two: pad by
       * characters. */
      printf ("  %s%*s %4" G_GINT64_FORMAT " %4" G_GINT64_FORMAT " %4" G_GINT64_FORMAT
              " %4" G_GINT64_FORMAT "\n", shown,
              (int) MAX (0, 24 - g_utf8_strlen (shown, -1)), "",
              json_object_get_int_member (e, "received"),
              json_object_get_int_member (e, "upheld"),
              json_object_get_int_member (e, "partly_upheld"),
              json_object_get_int_member (e, "refused"));
    }
  return CD_CLI_EXIT_OK;
}

int
cd_cli_complaints (int    argc,
                   char **argv)
{
  static const struct {
    const char *name;
    CdCliCommandFunc func;
  } subcommands[] = {
    { "journal", complaints_journal },
    { "stats", complaints_stats },
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
      printf ("%s\n", _("Usage: citydeskctl complaints journal|stats [OPTION…]"));
      return CD_CLI_EXIT_OK;
    }
  fprintf (stderr, "%s\n", _("Usage: citydeskctl complaints journal|stats [OPTION…]"));
  return CD_CLI_EXIT_ERROR;
}
