// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-complaints.c: citydeskctl complaints journal|stats|draft|groups|propose */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-complaint.h"
#include "cd-complaint-groups.h"
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

static void
print_operators (JsonArray *operators)
{
  if (json_array_get_length (operators) > 0)
    printf ("%s\n", _("By operator: received, upheld, partly upheld, refused"));
  for (guint i = 0; i < json_array_get_length (operators); i++)
    {
      JsonObject *o = json_array_get_object_element (operators, i);
      const char *name = json_object_get_string_member (o, "operator");

      printf ("  %s%*s %4" G_GINT64_FORMAT " %4" G_GINT64_FORMAT " %4" G_GINT64_FORMAT
              " %4" G_GINT64_FORMAT "\n", name,
              (int) MAX (0, 24 - g_utf8_strlen (name, -1)), "",
              json_object_get_int_member (o, "received"),
              json_object_get_int_member (o, "upheld"),
              json_object_get_int_member (o, "partly_upheld"),
              json_object_get_int_member (o, "refused"));
    }
}

/* The command line reads the file itself, so it shows the phone numbers
 * the API masks for roles that may not see them. */
static void
print_repeats (JsonArray *repeats)
{
  if (json_array_get_length (repeats) > 0)
    printf ("%s\n", _("Residents who complain again: complaints, name, phone, numbers"));
  for (guint i = 0; i < json_array_get_length (repeats); i++)
    {
      JsonObject *r = json_array_get_object_element (repeats, i);
      JsonArray *numbers = json_object_get_array_member (r, "numbers");
      const char *name = json_object_get_string_member_with_default (r, "name", NULL);
      const char *phone = json_object_get_string_member_with_default (r, "phone", NULL);
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint n = 0; n < json_array_get_length (numbers); n++)
        g_string_append_printf (list, "%s%s", n > 0 ? " " : "",
                                json_array_get_string_element (numbers, n));
      printf ("  %4" G_GINT64_FORMAT "  %s | %s | %s\n",
              json_object_get_int_member (r, "complaints"), name != NULL ? name : "-",
              phone != NULL ? phone : "-", list->str);
    }
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
                          "partly upheld and refused, in whose favour, by executor and by "
                          "operator; the residents who complain again."),
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
  print_operators (json_object_get_array_member (stats, "by_operator"));
  print_repeats (json_object_get_array_member (stats, "repeat_complainants"));
  return CD_CLI_EXIT_OK;
}

static int
complaints_draft (int    argc,
                  char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdComplaint) complaint = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *db = NULL, *language = NULL, *answer = NULL, *appeal = NULL;
  gboolean json = FALSE;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the letters, as the server’s notify-language (default: the plain "
         "files)"), N_("LANG") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE NUMBER [--json]",
                        _("The draft answer to a complaint, from the template of its class, "
                          "and the notice of the right to appeal when the decision so far is "
                          "a refusal."),
                        entries, 1, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  cd_store_set_complaint_language (store, language);
  if ((complaint = cd_store_load_complaint (store, argv[1], &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  answer = cd_store_complaint_draft (store, complaint, zone, &appeal, &error);
  if (error != NULL)
    return cd_cli_db_fail (argv[0], error->message);
  if (answer == NULL && appeal == NULL)
    {
      g_autofree char *message =
          complaint->klass == NULL
              ? g_strdup_printf (_("Complaint %s is not classified yet: its draft answer is "
                                   "the template of its class."), complaint->number)
              : g_strdup_printf (_("There is no answer template for class %s."),
                                 complaint->klass);

      return cd_cli_db_fail (argv[0], message);
    }
  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "number", complaint->number);
      json_object_set_string_member (o, "class", complaint->klass);
      json_object_set_string_member (o, "decision", complaint->decision);
      json_object_set_string_member (o, "answer", answer);
      json_object_set_string_member (o, "appeal", appeal);
      json_node_take_object (node, o);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }
  if (answer != NULL)
    printf ("%s\n", answer);
  if (appeal != NULL)
    printf ("%s%s\n", answer != NULL ? "\n" : "", appeal);
  return CD_CLI_EXIT_OK;
}

/* The complaints of the period and of the one of equal length before it,
 * grouped. */
static GPtrArray *
list_groups (CdStore              *store,
             CdComplaintGrouping   by,
             gint64                from,
             gint64                to,
             GError              **error)
{
  g_autoptr(GPtrArray) rows = NULL;

  if ((rows = cd_store_list_complaints (store, MAX (1, from - (to - from)), to, error)) == NULL)
    return NULL;
  return cd_complaint_groups ((CdComplaint * const *) rows->pdata, rows->len, by, from, to);
}

static gboolean
parse_grouping (const char          *prog,
                const char          *text,
                CdComplaintGrouping *by,
                int                 *status)
{
  if (text == NULL)
    return cd_cli_db_refuse (prog, _("missing option --by (see --help)"), status);
  if (!cd_complaint_grouping_from_string (text, by))
    {
      g_autofree char *message =
          g_strdup_printf (_("--by must be address, street, executor, category or cause, not "
                             "“%s”."), text);

      return cd_cli_db_refuse (prog, message, status);
    }
  return TRUE;
}

static int
complaints_groups (int    argc,
                   char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL, *from_text = NULL, *to_text = NULL, *by_text = NULL;
  CdComplaintGrouping by = CD_COMPLAINT_BY_ADDRESS;
  gboolean json = FALSE;
  gint64 from = 0, to = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Received at or after"),
      N_("ISO8601") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Received at or before"), N_("ISO8601") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("address, street, executor, category or cause"), N_("KEY") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE --from ISO8601 --to ISO8601 --by KEY [--json]",
                        _("The complaints of a period grouped for systemic proposals, with "
                          "the period before for comparison; the growing groups first."),
                        entries, 0, &status) ||
      !parse_period (argv[0], from_text, to_text, &from, &to, &status) ||
      !parse_grouping (argv[0], by_text, &by, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((groups = list_groups (store, by, from, to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();
      JsonArray *list = json_array_new ();

      json_object_set_string_member (o, "by", cd_complaint_grouping_to_string (by));
      for (guint i = 0; i < groups->len; i++)
        {
          const CdComplaintGroup *g = groups->pdata[i];
          JsonObject *row = json_object_new ();
          JsonArray *numbers = json_array_new ();

          json_object_set_string_member (row, "key", g->key);
          json_object_set_int_member (row, "count", g->count);
          json_object_set_int_member (row, "previous", g->previous);
          json_object_set_boolean_member (row, "growing", g->growing);
          for (guint n = 0; n < g->numbers->len; n++)
            json_array_add_string_element (numbers, g->numbers->pdata[n]);
          json_object_set_array_member (row, "numbers", numbers);
          json_object_set_string_member (row, "proposal", g->proposal);
          json_array_add_object_element (list, row);
        }
      json_object_set_array_member (o, "groups", list);
      json_node_take_object (node, o);
      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < groups->len; i++)
    {
      const CdComplaintGroup *g = groups->pdata[i];
      g_autoptr(GString) numbers = g_string_new (NULL);

      for (guint n = 0; n < g->numbers->len; n++)
        g_string_append_printf (numbers, "%s%s", n > 0 ? " " : "",
                                (const char *) g->numbers->pdata[n]);
      /* Translators: a group of complaints: its key, the complaints in the
       * period and in the one before, "growing" or nothing, its numbers. */
      printf (_("%s | %u (before: %u)%s | %s\n"), g->key, g->count, g->previous,
              g->growing ? _(" | growing") : "", numbers->str);
      if (g->proposal != NULL)
        printf (_("  proposal: %s\n"), g->proposal);
    }
  return CD_CLI_EXIT_OK;
}

static int
complaints_propose (int    argc,
                    char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *db = NULL, *from_text = NULL, *to_text = NULL, *by_text = NULL;
  g_autofree char *value = NULL, *note = NULL, *responsible = NULL, *due = NULL;
  g_autofree char *role = NULL, *actor = NULL, *now_text = NULL, *name = NULL;
  const CdComplaintGroup *group = NULL;
  CdComplaintGrouping by = CD_COMPLAINT_BY_ADDRESS;
  gint64 from = 0, to = 0, now = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("address, street, executor, category or cause"), N_("KEY") },
    { "group", 0, 0, G_OPTION_ARG_STRING, &value, N_("The group’s value, as groups shows it"),
      N_("VALUE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Received at or after"),
      N_("ISO8601") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Received at or before"), N_("ISO8601") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("The proposal: what is to be done"),
      N_("TEXT") },
    { "responsible", 0, 0, G_OPTION_ARG_STRING, &responsible,
      N_("Who carries the proposal out"), N_("NAME") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("By when (default: 20 days on)"),
      N_("ISO8601") },
    { "as", 0, 0, G_OPTION_ARG_STRING, &role, N_("The role to act in"), N_("ROLE") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who acts (default: the user)"),
      N_("NAME") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("The time of the action (default: now)"),
      N_("ISO8601") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE --by KEY --group VALUE --from ISO8601 --to ISO8601 "
                        "--note TEXT --responsible NAME [--due ISO8601] --as ROLE",
                        _("A systemic proposal for a group of complaints: one propose action "
                          "on each complaint of the group, in one transaction, or none."),
                        entries, 0, &status) ||
      !parse_period (argv[0], from_text, to_text, &from, &to, &status) ||
      !parse_grouping (argv[0], by_text, &by, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status))
    return status;
  if (value == NULL || note == NULL || responsible == NULL || role == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --group, --note, --responsible or --as "
                                      "(see --help)"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((groups = list_groups (store, by, from, to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  for (guint i = 0; group == NULL && i < groups->len; i++)
    if (g_str_equal (((CdComplaintGroup *) groups->pdata[i])->key, value))
      group = groups->pdata[i];
  if (group == NULL)
    {
      g_autofree char *message =
          g_strdup_printf (_("There is no group “%s” of 2 complaints or more by %s in the "
                             "period."), value, cd_complaint_grouping_to_string (by));

      return cd_cli_db_fail (argv[0], message);
    }

  name = g_strdup_printf ("%s:%s", cd_complaint_grouping_to_string (by), value);
  json_object_set_string_member (payload, "note", note);
  json_object_set_string_member (payload, "group", name);
  json_object_set_string_member (payload, "responsible", responsible);
  if (due != NULL)
    json_object_set_string_member (payload, "due", due);
  if (!cd_store_begin (store, &error))
    return cd_cli_db_fail (argv[0], error->message);
  for (guint i = 0; i < group->numbers->len; i++)
    {
      g_autoptr(CdTicket) ticket = cd_store_act (store, group->numbers->pdata[i], "propose",
                                                 actor != NULL ? actor : g_get_user_name (),
                                                 role, payload, now, &error);

      if (ticket == NULL)
        {
          cd_store_rollback (store);
          return cd_cli_db_fail (argv[0], error->message);
        }
    }
  if (!cd_store_commit (store, &error))
    return cd_cli_db_fail (argv[0], error->message);
  for (guint i = 0; i < group->numbers->len; i++)
    printf ("%s\n", (const char *) group->numbers->pdata[i]);
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
    { "draft", complaints_draft },
    { "groups", complaints_groups },
    { "propose", complaints_propose },
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
      printf ("%s\n",
              _("Usage: citydeskctl complaints journal|stats|draft|groups|propose [OPTION…]"));
      return CD_CLI_EXIT_OK;
    }
  fprintf (stderr, "%s\n",
           _("Usage: citydeskctl complaints journal|stats|draft|groups|propose [OPTION…]"));
  return CD_CLI_EXIT_ERROR;
}
