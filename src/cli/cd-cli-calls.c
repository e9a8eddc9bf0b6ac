// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl calls stats: a period's calls counted per interval and per
// operator (docs/calls.md, "Statistics"). Times are read and shown on the
// local clock, which the intervals start on.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "cd-call-stats.h"
#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-cli-sla.h"
#include "cd-format.h"
#include "cd-store-calls.h"

typedef struct
{
  char     *db;
  char     *from;
  char     *to;
  char     *interval;
  char     *target;
  char     *short_abandon;
  gboolean  json;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->db);
  g_free (options->from);
  g_free (options->to);
  g_free (options->interval);
  g_free (options->target);
  g_free (options->short_abandon);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

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

/* Text output {{{1 */

/* A table of strings, padded by characters when printed: printf pads by
 * bytes, and a Cyrillic letter is two. Column 0 is left-aligned, the
 * figures right-aligned. */
typedef struct
{
  guint      n_columns;
  GPtrArray *cells;
} Table;

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->cells, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Table, table_clear)

static void
table_add (Table      *table,
           const char *text)
{
  g_ptr_array_add (table->cells, g_strdup (text));
}

static void
table_take (Table *table,
            char  *text)
{
  g_ptr_array_add (table->cells, text);
}

static void
table_print (const Table *table)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);

  for (guint i = 0; i < table->cells->len; i++)
    widths[i % table->n_columns] = MAX (widths[i % table->n_columns],
                                        g_utf8_strlen (table->cells->pdata[i], -1));
  for (guint i = 0; i < table->cells->len; i++)
    {
      const char *cell = table->cells->pdata[i];
      guint column = i % table->n_columns;
      int pad = (int) (widths[column] - g_utf8_strlen (cell, -1));

      if (column == 0)
        printf ("%s%*s", cell, pad, "");
      else
        printf ("  %*s%s", pad, "", cell);
      if (column == table->n_columns - 1)
        printf ("\n");
    }
}

static char *
format_share (double value)
{
  return isnan (value) ? g_strdup ("-") : g_strdup_printf ("%.1f%%", 100.0 * value);
}

static char *
format_seconds (double value)
{
  return isnan (value) ? g_strdup ("-") : g_strdup_printf (_("%.1f s"), value);
}

static char *
format_time (gint64     time,
             GTimeZone *zone)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = dt != NULL ? g_date_time_to_timezone (dt, zone) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

static void
add_interval_row (Table                *table,
                  const char           *label,
                  const CdCallInterval *interval)
{
  table_add (table, label);
  table_take (table, g_strdup_printf ("%u", interval->offered));
  table_take (table, g_strdup_printf ("%u", interval->answered));
  table_take (table, g_strdup_printf ("%u", interval->abandoned));
  table_take (table, g_strdup_printf ("%u", interval->short_abandoned));
  table_take (table, format_share (cd_call_interval_sl_of_answered (interval)));
  table_take (table, format_share (cd_call_interval_sl_of_answered_abandoned (interval)));
  table_take (table, format_share (cd_call_interval_sl2_of_offered (interval)));
  table_take (table, format_seconds (cd_call_interval_asa (interval)));
  table_take (table, format_seconds (cd_call_interval_aht (interval)));
  table_take (table, g_strdup_printf (_("%d s"), (int) MIN (interval->longest_wait, G_MAXINT)));
}

static void
print_text (const CdCallStats *stats,
            GTimeZone         *zone)
{
  g_auto(Table) intervals = { 11, g_ptr_array_new_with_free_func (g_free) };
  g_auto(Table) operators = { 4, g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *target = cd_format_duration (stats->limits.target);
  g_autofree char *short_abandon = cd_format_duration (stats->limits.short_abandon);

  /* TRANSLATORS: the first %s is a duration (40s), the second too (5s). */
  printf (_("Service level: answered within %s. Short abandons (under %s) are counted apart "
            "and left out of the service levels.\n\n"),
          target, short_abandon);

  table_add (&intervals, _("Interval"));
  table_add (&intervals, _("Offered"));
  table_add (&intervals, _("Answered"));
  table_add (&intervals, _("Abandoned"));
  table_add (&intervals, _("Short abandons"));
  table_add (&intervals, _("SL of answered"));
  table_add (&intervals, _("SL of answered+abandoned"));
  table_add (&intervals, _("SL2 of offered"));
  table_add (&intervals, _("ASA"));
  table_add (&intervals, _("AHT"));
  table_add (&intervals, _("Longest wait"));
  for (guint i = 0; i < stats->intervals->len; i++)
    {
      const CdCallInterval *interval = &g_array_index (stats->intervals, CdCallInterval, i);
      g_autofree char *label = format_time (interval->start, zone);

      add_interval_row (&intervals, label, interval);
    }
  add_interval_row (&intervals, _("Total"), &stats->total);
  table_print (&intervals);

  printf ("\n");
  table_add (&operators, _("Operator"));
  table_add (&operators, _("Handled"));
  table_add (&operators, _("AHT"));
  table_add (&operators, _("Missed offers"));
  for (guint i = 0; i < stats->operators->len; i++)
    {
      const CdCallOperator *op = g_ptr_array_index (stats->operators, i);

      table_add (&operators, op->agent);
      table_take (&operators, g_strdup_printf ("%u", op->handled));
      table_take (&operators, format_seconds (cd_call_operator_aht (op)));
      table_take (&operators, g_strdup_printf ("%u", op->missed));
    }
  if (stats->operators->len == 0)
    printf ("%s\n", _("No operator answered or missed a call in the period."));
  else
    table_print (&operators);
}

/* citydeskctl calls stats {{{1 */

static int
calls_stats (int    argc,
             char **argv)
{
  g_auto(Options) o = { 0 };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o.db, N_("The database file"), "FILE" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o.from,
      N_("The period’s start, included (ISO 8601, local time by default)"), "ISO" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &o.to, N_("The period’s end, excluded (ISO 8601)"),
      "ISO" },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &o.interval,
      N_("The intervals’ length, on the local clock (default 30m)"), "DUR" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &o.target,
      N_("The service level’s time: answered within it (default 40s)"), "DUR" },
    { "short-abandon", 0, 0, G_OPTION_ARG_STRING, &o.short_abandon,
      N_("Abandons after a shorter wait are counted apart (default 5s)"), "DUR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o.json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  CdCallStatsLimits limits = { 40, 5 };
  gint64 interval = 30 * 60;
  gint64 from, to;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --from ISO --to ISO",
                        _("A period’s calls per interval: offered, answered, abandoned, the "
                          "service level three ways, ASA, AHT, the longest wait; and per "
                          "operator."),
                        entries, 0, &status))
    return status;
  if (!parse_time (argv[0], "--from", o.from, zone, &from, &status) ||
      !parse_time (argv[0], "--to", o.to, zone, &to, &status) ||
      !cd_cli_db_parse_duration (argv[0], "--interval", o.interval, FALSE, &interval, &status) ||
      !cd_cli_db_parse_duration (argv[0], "--target", o.target, TRUE, &limits.target, &status) ||
      !cd_cli_db_parse_duration (argv[0], "--short-abandon", o.short_abandon, TRUE,
                                 &limits.short_abandon, &status))
    return status;
  if (to <= from)
    {
      g_autofree char *message = g_strdup_printf (_("%s: the period ends before it starts"),
                                                  "--to");

      return cd_cli_db_fail (argv[0], message);
    }
  if ((store = cd_cli_db_open (argv[0], o.db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_call_stats (store, from, to, interval, zone, &limits, &stats, &error))
    return cd_cli_db_fail (argv[0], error->message);

  if (o.json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (root, cd_call_stats_to_json (stats, interval, zone));
      cd_cli_db_print_json (root);
    }
  else
    print_text (stats, zone);
  return CD_CLI_EXIT_OK;
}

/* citydeskctl calls missed, callback {{{1 */

/* The command line with --db reads the database file itself, as its
 * administrator: the callers' numbers are shown whole, as an admin sees
 * them (cd_personal_role_sees()). */
#define CLI_READER_ROLE "admin"

static int
calls_missed (int    argc,
              char **argv)
{
  g_autofree char *db = NULL, *now_text = NULL;
  gboolean json = FALSE, all = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("The instant the clocks are judged at (default: now)"), "ISO" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Also the missed calls called back or closed"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE [--now ISO] [--all] [--json]",
                        _("The lost callers awaiting a callback, oldest first, with the "
                          "callback’s due time and the time left or overdue. The callers’ "
                          "numbers are shown whole: the database’s reader is its "
                          "administrator."),
                        entries, 0, &status) ||
      !cd_cli_db_parse_now (argv[0], now_text, &now, &status))
    return status;
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_list_missed_calls (store, !all, now, CLI_READER_ROLE, &missed, &error))
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < missed->len; i++)
        json_array_add_object_element (array, cd_missed_call_to_json (missed->pdata[i], now, zone));
      json_node_take_array (root, array);
      cd_cli_db_print_json (root);
      return CD_CLI_EXIT_OK;
    }
  if (missed->len == 0)
    {
      printf ("%s\n", all ? _("No missed calls.") : _("No missed calls awaiting a callback."));
      return CD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < missed->len; i++)
    {
      const CdMissedCall *one = missed->pdata[i];
      g_autofree char *at = cd_cli_db_format_time (one->missed_at);
      g_autofree char *due = cd_cli_db_format_time (one->due);
      g_autofree char *left = NULL;

      if (one->state == CD_MISSED_WAITING)
        left = cd_format_remaining (one->due - now);
      else
        left = g_strdup_printf ("%s %s", cd_missed_state_to_string (one->state),
                                one->late ? "late" : "on_time");
      /* Translators: a missed call: its id, when it ended, the queue, the
       * caller's number, how it ended, the callback's due time, the time
       * left (or the state), and the callbacks tried. */
      printf (_("%s  %s  %s  %s  %s  due %s  %s  tried %u\n"), one->call, at, one->queue,
              one->caller, cd_call_outcome_to_string (one->outcome), due, left, one->attempts);
    }
  return CD_CLI_EXIT_OK;
}

static int
calls_callback (int    argc,
                char **argv)
{
  g_autofree char *db = NULL, *at_text = NULL, *role = NULL, *actor = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text, N_("When the callback was made (default: now)"),
      "ISO" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &role, N_("The role to act in"), N_("ROLE") },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who called back (default: the user)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdMissedCall) missed = NULL;
  g_autoptr(GError) error = NULL;
  CdCallbackOutcome outcome;
  gint64 at;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE CALL OUTCOME [--at ISO] --as ROLE",
                        _("Records a callback to a missed call (its journal id or the PBX’s "
                          "call id): reached, no_answer, busy or wrong_number. Reached stops "
                          "the clock. A refused callback exits 2 with the rule that refused "
                          "it, and changes nothing."),
                        entries, 2, &status))
    return status;
  if (at_text == NULL)
    at = g_get_real_time () / G_USEC_PER_SEC;
  else if (!parse_time (argv[0], "--at", at_text, zone, &at, &status))
    return status;
  if (role == NULL)
    return cd_cli_db_fail (argv[0], _("missing option --as (see --help)"));
  if (!cd_callback_outcome_from_string (argv[2], &outcome))
    {
      g_autofree char *message = g_strdup_printf (
          _("“%s” is not a callback’s outcome (reached, no_answer, busy, wrong_number)"),
          argv[2]);

      return cd_cli_db_fail (argv[0], message);
    }
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_record_callback (store, argv[1], outcome,
                                 actor != NULL ? actor : g_get_user_name (), role, at, &missed,
                                 &error))
    return cd_cli_db_fail (argv[0], error->message);

  printf ("%s %s%s\n", missed->call, cd_missed_state_to_string (missed->state),
          missed->state == CD_MISSED_WAITING ? "" : missed->late ? " late" : " on_time");
  return CD_CLI_EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n%s\n%s\n",
           _("Usage: citydeskctl calls stats --db FILE --from ISO --to ISO [--interval 30m] "
             "[--target 40s] [--short-abandon 5s] [--json]"),
           _("       citydeskctl calls missed --db FILE [--now ISO] [--all] [--json]"),
           _("       citydeskctl calls callback --db FILE CALL OUTCOME [--at ISO] --as ROLE"));
}

int
cd_cli_calls (int    argc,
              char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  if (!g_str_equal (argv[1], "stats") && !g_str_equal (argv[1], "missed") &&
      !g_str_equal (argv[1], "callback"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s” (known: stats, missed, callback)\n"),
               argv[0], argv[1]);
      return CD_CLI_EXIT_ERROR;
    }
  prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if (g_str_equal (argv[1], "missed"))
    {
      argv[1] = prog;
      return calls_missed (argc - 1, argv + 1);
    }
  if (g_str_equal (argv[1], "callback"))
    {
      argv[1] = prog;
      return calls_callback (argc - 1, argv + 1);
    }
  argv[1] = prog;
  return calls_stats (argc - 1, argv + 1);
}
