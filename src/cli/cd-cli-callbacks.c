// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl callbacks list|record|stats: the feedback department's
// callbacks to residents after a resolve (docs/feedback.md), on a database
// file (--db) or on a server (--server URL --user U, through
// cd-cli-remote.c). Both modes print from the same JSON, so that their
// output cannot differ.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-cli-remote.h"
#include "cd-client.h"
#include "cd-feedback.h"
#include "cd-store-feedback.h"

/* The command line with --db reads the database file as its
 * administrator: the residents' numbers are shown whole. */
#define CLI_READER_ROLE "admin"

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Wait;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
run_until_done (Wait *wait)
{
  while (!wait->done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
parse_time (const char *prog,
            const char *option,
            const char *text,
            GTimeZone  *zone,
            gint64     *out,
            int        *status)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *message = NULL;

  if (text == NULL)
    {
      message = g_strdup_printf (_("missing option %s (see --help)"), option);
      return cd_cli_db_refuse (prog, message, status);
    }
  dt = g_date_time_new_from_iso8601 (text, zone);
  if (dt == NULL)
    {
      message = g_strdup_printf (_("%s: “%s” is not an ISO 8601 time"), option, text);
      return cd_cli_db_refuse (prog, message, status);
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* A GET of the API, as JSON. */
static JsonNode *
remote_get (CdClient    *client,
            const char  *path,
            GError     **error)
{
  Wait wait = { 0 };
  JsonNode *node;

  cd_client_get_async (client, path, NULL, store_result, &wait);
  run_until_done (&wait);
  node = cd_client_get_finish (client, wait.result, error);
  g_clear_object (&wait.result);
  return node;
}

static char *
query_time (const char *name,
            gint64      time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);
  g_autofree char *iso = g_date_time_format_iso8601 (dt);
  g_autofree char *escaped = g_uri_escape_string (iso, NULL, FALSE);

  return g_strdup_printf ("%s=%s", name, escaped);
}

/* An ISO time of the JSON, for people. */
static char *
format_iso (JsonObject *object,
            const char *member)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);
  g_autoptr(GDateTime) dt = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt != NULL ? cd_cli_db_format_time (g_date_time_to_unix (dt)) : g_strdup ("-");
}

static const char *
text_or_dash (JsonObject *object,
              const char *member)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);

  return text != NULL ? text : "-";
}

/* citydeskctl callbacks list {{{1 */

static void
print_tasks (JsonArray *tasks)
{
  if (json_array_get_length (tasks) == 0)
    {
      printf ("%s\n", _("No callbacks to make."));
      return;
    }
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonObject *task = json_array_get_object_element (tasks, i);
      g_autofree char *from = format_iso (task, "window_start");
      g_autofree char *to = format_iso (task, "window_end");
      g_autofree char *due = format_iso (task, "due");

      /* Translators: a callback to make: the ticket's number, the attempt
       * to make and their number, the calling window, the due time, the
       * executor, the resident's phone and the address. */
      printf (_("%s  attempt %u/%u  call %s – %s  due %s  %s  %s  %s\n"),
              text_or_dash (task, "number"), (guint) json_object_get_int_member (task, "attempt"),
              (guint) json_object_get_int_member (task, "attempts"), from, to, due,
              text_or_dash (task, "executor"), text_or_dash (task, "phone"),
              text_or_dash (task, "address"));
    }
}

static int
callbacks_list (int       argc,
                char    **argv,
                CdClient *client)
{
  g_autofree char *db = NULL, *due_text = NULL, *now_text = NULL;
  gboolean json = FALSE, open = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "due-before", 0, 0, G_OPTION_ARG_STRING, &due_text,
      N_("Only the callbacks due before this time"), "ISO" },
    { "open", 0, 0, G_OPTION_ARG_NONE, &open,
      N_("Only the callbacks whose calling window is open now"), NULL },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("The instant the windows are worked out from (default: now)"), "ISO" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now, due_before = 0;
  JsonArray *tasks;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE [--due-before ISO] [--open] [--json]",
                        _("The callbacks to make, by due time: each ticket’s attempt, calling "
                          "window on the resident’s clock and due time."),
                        entries, 0, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status) ||
      (due_text != NULL &&
       !parse_time (argv[0], "--due-before", due_text, zone, &due_before, &status)))
    return status;

  if (client != NULL)
    {
      GString *path = g_string_new ("/api/v1/callbacks?");
      g_autofree char *now_param = query_time ("now", now);
      g_autofree char *path_text = NULL;

      g_string_append (path, now_param);
      if (due_before != 0)
        {
          g_autofree char *due_param = query_time ("due_before", due_before);

          g_string_append_printf (path, "&%s", due_param);
        }
      if (open)
        g_string_append (path, "&open=true");
      path_text = g_string_free (path, FALSE);
      if ((root = remote_get (client, path_text, &error)) == NULL)
        return cd_cli_db_fail (argv[0], error->message);
      if (!JSON_NODE_HOLDS_OBJECT (root) ||
          !json_object_has_member (json_node_get_object (root), "callbacks"))
        return cd_cli_db_fail (argv[0], _("The server’s answer has no callbacks."));
      tasks = json_object_get_array_member (json_node_get_object (root), "callbacks");
    }
  else
    {
      g_autoptr(CdStore) store = NULL;
      g_autoptr(GPtrArray) list = NULL;

      if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
        return status;
      if (!cd_store_list_feedback_tasks (store, now, due_before, open, CLI_READER_ROLE, &list,
                                         &error))
        return cd_cli_db_fail (argv[0], error->message);
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, json_object_new ());
      tasks = json_array_sized_new (list->len);
      for (guint i = 0; i < list->len; i++)
        json_array_add_object_element (tasks, cd_feedback_task_to_json (list->pdata[i], zone));
      json_object_set_array_member (json_node_get_object (root), "callbacks", tasks);
    }

  if (json)
    {
      g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (array, tasks);
      cd_cli_db_print_json (array);
    }
  else
    print_tasks (tasks);
  return CD_CLI_EXIT_OK;
}

/* citydeskctl callbacks record {{{1 */

static int
callbacks_record (int       argc,
                  char    **argv,
                  CdClient *client)
{
  g_autofree char *db = NULL, *at_text = NULL, *role = NULL, *actor = NULL, *comment = NULL;
  int rating = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "rating", 0, 0, G_OPTION_ARG_INT, &rating, N_("The resident’s rating, 1 to 5"), "N" },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment,
      N_("What the resident said (needed for partly_fixed)"), N_("TEXT") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("When the call was made (default: now)"),
      "ISO" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &role, N_("The role to act in"), N_("ROLE") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who called (default: the user)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(GError) error = NULL;
  CdFeedbackOutcome outcome;
  const char *number, *state;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gint64 at = g_get_real_time () / G_USEC_PER_SEC;
  int status;

  if (!cd_cli_db_parse (&argc, &argv,
                        "--db FILE NUMBER OUTCOME [--rating N] [--comment TEXT] [--at ISO] "
                        "--as ROLE",
                        _("Records a callback to a resolved ticket’s resident: confirmed, "
                          "not_fixed, partly_fixed, no_answer, busy, wrong_number or refused. "
                          "A refused callback exits 2 with the rule that refused it, and "
                          "changes nothing."),
                        entries, 2, &status))
    return status;
  number = argv[1];
  if (!cd_feedback_outcome_from_string (argv[2], &outcome))
    {
      g_autofree char *message = g_strdup_printf (
          _("“%s” is not a callback’s outcome (confirmed, not_fixed, partly_fixed, no_answer, "
            "busy, wrong_number, refused)"),
          argv[2]);

      return cd_cli_db_fail (argv[0], message);
    }
  json_object_set_string_member (payload, "outcome", argv[2]);
  if (rating != 0)
    json_object_set_int_member (payload, "rating", rating);
  if (comment != NULL)
    json_object_set_string_member (payload, "note", comment);

  if (client != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *path = cd_client_action_path (number);
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *body = NULL;
      Wait wait = { 0 };

      /* The server records who calls (the account) and when (its clock). */
      if (at_text != NULL || role != NULL || actor != NULL)
        return cd_cli_db_fail (argv[0], _("with --server, the account is who called and the "
                                          "server’s clock when: --at, --as and --actor are for "
                                          "--db"));
      json_object_set_string_member (payload, "action", "callback");
      json_node_set_object (node, payload);
      body = json_to_string (node, FALSE);
      cd_client_post_async (client, path, key, body, NULL, store_result, &wait);
      run_until_done (&wait);
      answer = cd_client_post_finish (client, wait.result, &error);
      g_clear_object (&wait.result);
      if (answer == NULL)
        return cd_cli_db_fail (argv[0], error->message);
      if (!json_object_has_member (answer, "ticket"))
        return cd_cli_db_fail (argv[0], _("The server’s answer has no ticket."));
      state = json_object_get_string_member_with_default (
        json_object_get_object_member (answer, "ticket"), "state", "?");
      printf ("%s %s\n", number, state);
      return CD_CLI_EXIT_OK;
    }

  if (at_text != NULL && !parse_time (argv[0], "--at", at_text, zone, &at, &status))
    return status;
  if (role == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --as (see --help)"));
  {
    g_autoptr(CdStore) store = cd_cli_db_open (argv[0], db, TRUE, &status);

    if (store == NULL)
      return status;
    ticket = cd_store_act (store, number, "callback", actor != NULL ? actor : g_get_user_name (),
                           role, payload, at, &error);
    if (ticket == NULL)
      return cd_cli_db_fail (argv[0], error->message);
  }
  printf ("%s %s\n", ticket->number, cd_ticket_state_to_string (ticket->state));
  return CD_CLI_EXIT_OK;
}

/* citydeskctl callbacks stats {{{1 */

/* printf pads by bytes, and a Cyrillic letter is two: labels are padded
 * by characters to the widest one's width. */
static void
print_label (const char *label,
             glong       width)
{
  printf ("%s%*s ", label, (int) MAX (0, width - g_utf8_strlen (label, -1)), "");
}

static void
print_rate (const char *label,
            glong       width,
            JsonObject *stats,
            const char *member)
{
  JsonNode *node = json_object_get_member (stats, member);

  print_label (label, width);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    printf ("%s\n", "-");
  else
    printf ("%.1f%%\n", 100.0 * json_node_get_double (node));
}

static void
print_stats (JsonObject *stats)
{
  JsonArray *executors = json_object_get_array_member (stats, "executors");
  static const char * const counts[] = {
    "open", "due_today", "overdue", "attempts", "confirmed", "reopened", "unreachable", "refused",
  };
  const char *labels[] = {
    _("Open now"), _("Due today"), _("Overdue"), _("Attempts made"), _("Confirmed"),
    _("Reopened"), _("Unreachable"), _("Refused to talk"),
  };

  const char *rates[] = {
    _("Confirmation rate"), _("Unreachable rate"), _("Reopen rate"),
  };
  glong width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    width = MAX (width, g_utf8_strlen (labels[i], -1));
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    width = MAX (width, g_utf8_strlen (rates[i], -1));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      print_label (labels[i], width);
      printf ("%" G_GINT64_FORMAT "\n", json_object_get_int_member (stats, counts[i]));
    }
  print_rate (rates[0], width, stats, "confirmation_rate");
  print_rate (rates[1], width, stats, "unreachable_rate");
  print_rate (rates[2], width, stats, "reopen_rate");
  if (json_array_get_length (executors) == 0)
    return;
  /* Translators: the columns of the executors' callbacks, least often
   * confirmed first. */
  printf ("\n%s\n", _("executor  resolved  confirmed  reopened  unreachable"));
  for (guint i = 0; i < json_array_get_length (executors); i++)
    {
      JsonObject *e = json_array_get_object_element (executors, i);

      printf ("%s  %" G_GINT64_FORMAT "  %" G_GINT64_FORMAT "  %" G_GINT64_FORMAT "  %"
              G_GINT64_FORMAT "\n",
              json_object_get_string_member (e, "executor"),
              json_object_get_int_member (e, "resolved"),
              json_object_get_int_member (e, "confirmed"),
              json_object_get_int_member (e, "reopened"),
              json_object_get_int_member (e, "unreachable"));
    }
}

static int
callbacks_stats (int       argc,
                 char    **argv,
                 CdClient *client)
{
  g_autofree char *db = NULL, *from_text = NULL, *to_text = NULL, *now_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("The period’s start"), "ISO" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("The period’s end"), "ISO" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("The instant open, due and overdue are counted at (default: now)"), "ISO" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from, to, now;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --from ISO --to ISO [--json]",
                        _("The feedback department’s figures: open, due today and overdue "
                          "callbacks; in the period, the attempts, how the callbacks ended and "
                          "their rates, and the executors whose work is least often confirmed "
                          "first."),
                        entries, 0, &status) ||
      !parse_time (argv[0], "--from", from_text, zone, &from, &status) ||
      !parse_time (argv[0], "--to", to_text, zone, &to, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status))
    return status;
  if (to <= from)
    return cd_cli_db_fail (argv[0], _("--to: the period ends before it starts"));

  if (client != NULL)
    {
      g_autofree char *p_from = query_time ("from", from);
      g_autofree char *p_to = query_time ("to", to);
      g_autofree char *p_now = query_time ("now", now);
      g_autofree char *path = g_strdup_printf ("/api/v1/callbacks/stats?%s&%s&%s", p_from, p_to,
                                               p_now);

      if ((root = remote_get (client, path, &error)) == NULL)
        return cd_cli_db_fail (argv[0], error->message);
      if (!JSON_NODE_HOLDS_OBJECT (root) ||
          !json_object_has_member (json_node_get_object (root), "executors"))
        return cd_cli_db_fail (argv[0], _("The server’s answer has no figures."));
    }
  else
    {
      g_autoptr(CdStore) store = NULL;
      g_autoptr(CdFeedbackStats) stats = NULL;

      if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
        return status;
      if (!cd_store_feedback_stats (store, from, to, now, &stats, &error))
        return cd_cli_db_fail (argv[0], error->message);
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, cd_feedback_stats_to_json (stats, zone));
    }

  if (json)
    cd_cli_db_print_json (root);
  else
    print_stats (json_node_get_object (root));
  return CD_CLI_EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n%s\n%s\n",
           _("Usage: citydeskctl callbacks list --db FILE [--due-before ISO] [--open] [--json]"),
           _("       citydeskctl callbacks record --db FILE NUMBER OUTCOME [--rating N] "
             "[--comment TEXT] [--at ISO] --as ROLE"),
           _("       citydeskctl callbacks stats --db FILE --from ISO --to ISO [--json]"));
}

/**
 * cd_cli_callbacks_run:
 * @argc: the arguments' number
 * @argv: "citydeskctl callbacks", the subcommand and its options
 * @client: (nullable): a logged-in client for --server, or %NULL for --db
 *
 * Returns: the exit status
 */
int
cd_cli_callbacks_run (int       argc,
                      char    **argv,
                      CdClient *client)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if (g_str_equal (argv[1], "list"))
    {
      argv[1] = prog;
      return callbacks_list (argc - 1, argv + 1, client);
    }
  if (g_str_equal (argv[1], "record"))
    {
      argv[1] = prog;
      return callbacks_record (argc - 1, argv + 1, client);
    }
  if (g_str_equal (argv[1], "stats"))
    {
      argv[1] = prog;
      return callbacks_stats (argc - 1, argv + 1, client);
    }
  fprintf (stderr, _("%s: unknown subcommand “%s” (known: list, record, stats)\n"), argv[0],
           argv[1]);
  return CD_CLI_EXIT_ERROR;
}

int
cd_cli_callbacks (int    argc,
                  char **argv)
{
  return cd_cli_callbacks_run (argc, argv, NULL);
}
