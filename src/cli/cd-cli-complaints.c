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
#include "cd-store-search.h"

/* Whether the answer clock, as the ticket's last event judged it, was met. */
static gboolean
answered_on_time (const CdTicket *ticket)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *clocks;

  if (ticket->clocks == NULL || !json_parser_load_from_data (parser, ticket->clocks, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return FALSE;
  clocks = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (clocks); i++)
    {
      JsonNode *node = json_array_get_element (clocks, i);
      JsonObject *clock;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      clock = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (clock, "target", NULL),
                     "answer") == 0)
        return g_strcmp0 (json_object_get_string_member_with_default (clock, "state", NULL),
                          "met") == 0;
    }
  return FALSE;
}

static int
by_receipt (gconstpointer a,
            gconstpointer b)
{
  const CdComplaint *x = *(CdComplaint * const *) a;
  const CdComplaint *y = *(CdComplaint * const *) b;

  if (x->received != y->received)
    return x->received < y->received ? -1 : 1;
  return g_strcmp0 (x->number, y->number);
}

/* The complaints received from @from to @to, in order of receipt. */
static GPtrArray *
load_complaints (CdStore  *store,
                 gint64    from,
                 gint64    to,
                 GError  **error)
{
  CdTicketFilter filter = { 0 };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GHashTable) events = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_complaint_free);

  filter.kind = "complaint";
  filter.created_from = from;
  filter.created_to = to;
  if ((tickets = cd_store_list_tickets (store, &filter, 0, error)) == NULL)
    return NULL;
  for (guint i = 0; i < tickets->len; i++)
    g_ptr_array_add (ids, ((CdTicket *) tickets->pdata[i])->id);
  if ((events = cd_store_list_events_of (store, (const char * const *) ids->pdata, ids->len,
                                         error)) == NULL)
    return NULL;

  for (guint i = 0; i < tickets->len; i++)
    {
      CdTicket *t = g_ptr_array_index (tickets, i);
      GPtrArray *list = g_hash_table_lookup (events, t->id);
      CdComplaint *c = cd_complaint_new (t, list != NULL ? (CdEvent * const *) list->pdata : NULL,
                                         list != NULL ? list->len : 0);

      c->on_time = c->decision != NULL && answered_on_time (t);
      if (g_strcmp0 (c->about_kind, "ticket") == 0)
        {
          g_autoptr(CdTicket) about = cd_store_load_ticket (store, c->about, NULL);

          if (about != NULL)
            c->executor = g_strdup (about->executor);
        }
      g_ptr_array_add (rows, c);
    }
  g_ptr_array_sort (rows, by_receipt);
  return g_steal_pointer (&rows);
}

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

static int
complaints_journal (int    argc,
                    char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *db = NULL, *from_text = NULL, *to_text = NULL, *csv_path = NULL;
  g_autofree char *csv = NULL;
  gint64 from = 0, to = 0;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Received at or after"),
      N_("ISO8601") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Received at or before"), N_("ISO8601") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path, N_("Write the journal as CSV to this file"),
      N_("FILE") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --from ISO8601 --to ISO8601 [--csv FILE]",
                        _("The complaint journal of a period, in order of receipt: No. | date "
                          "received | classification | complainant’s name and address | "
                          "summary | result | in whose favour."),
                        entries, 0, &status) ||
      !parse_period (argv[0], from_text, to_text, &from, &to, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if ((rows = load_complaints (store, from, to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  csv = cd_complaint_journal_to_csv ((CdComplaint * const *) rows->pdata, rows->len, zone);
  if (csv_path != NULL)
    {
      if (!g_file_set_contents (csv_path, csv, -1, &error))
        return cd_cli_db_fail (argv[0], error->message);
      return CD_CLI_EXIT_OK;
    }
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
  if ((rows = load_complaints (store, from, to, &error)) == NULL)
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
