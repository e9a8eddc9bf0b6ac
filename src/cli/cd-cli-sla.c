// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl sla: the SLA engine from a terminal. Deadlines and working
// time on a calendar file (add, between, days) and a ticket's clocks under
// a policy (clocks). The core does no I/O: files are read here and their
// bytes handed to the parsers.

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-sla.h"
#include "cd-format.h"
#include "cd-sla-clock.h"

static int
fail (const char *prog,
      const char *message)
{
  fprintf (stderr, "%s: %s\n", prog, message);
  return CD_CLI_EXIT_ERROR;
}

static gboolean
read_file (const char  *path,
           GBytes     **out,
           char       **message)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      *message = g_strdup_printf (_("cannot read %s: %s"), path, error->message);
      return FALSE;
    }
  *out = g_bytes_new_take (data, len);
  return TRUE;
}

static CdSlaCalendar *
load_calendar (const char  *path,
               char       **message)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CdSlaCalendar *calendar;

  if (!read_file (path, &bytes, message))
    return NULL;
  calendar = cd_sla_calendar_new_from_bytes (bytes, &error);
  if (calendar == NULL)
    *message = g_strdup_printf (_("invalid calendar %s: %s"), path, error->message);
  return calendar;
}

/* An ISO 8601 instant; without an offset it is local time of @tz. */
static gboolean
parse_instant (const char  *option,
               const char  *text,
               GTimeZone   *tz,
               gint64      *out,
               char       **message)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, tz);

  if (dt == NULL)
    {
      *message = g_strdup_printf (_("%s: “%s” is not an ISO 8601 time "
                                    "(e.g. 2026-03-02T09:00:00+03:00)"),
                                  option, text);
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Parses the options; returns FALSE with the exit status in @status when
 * the command should stop (help printed, or an error). */
static gboolean
parse_options (int            *argc,
               char         ***argv,
               const char     *usage,
               const char     *summary,
               GOptionEntry   *entries,
               int            *status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *synopsis = NULL;

  /* GOption prints the program name before the parameter string; name the
   * subcommand there so that the usage line can be pasted. */
  synopsis = g_strdup_printf ("%s %s", (*argv)[0] + strlen ("citydeskctl "), usage);
  context = g_option_context_new (synopsis);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = fail ((*argv)[0], error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), (*argv)[1]);

      *status = fail ((*argv)[0], message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
require (const char  *prog,
         const char  *value,
         const char  *option,
         int         *status)
{
  g_autofree char *message = NULL;

  if (value != NULL)
    return TRUE;
  message = g_strdup_printf (_("missing option %s (see --help)"), option);
  *status = fail (prog, message);
  return FALSE;
}

static int
print_instant (const char    *prog,
               CdSlaCalendar *calendar,
               gint64         t)
{
  g_autofree char *text = cd_sla_calendar_format (calendar, t);

  if (text == NULL)
    return fail (prog, _("there is no deadline: the calendar does not have "
                         "that much working time"));
  printf ("%s\n", text);
  return CD_CLI_EXIT_OK;
}

/* sla add {{{1 */

static int
sla_add (int    argc,
         char **argv)
{
  g_autofree char *calendar_path = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *duration_text = NULL;
  g_autofree char *message = NULL;
  g_autoptr(CdSlaCalendar) calendar = NULL;
  gint64 start;
  gint64 duration;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "calendar", 0, 0, G_OPTION_ARG_FILENAME, &calendar_path,
      N_("The calendar (JSON)"), N_("FILE") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text,
      N_("When the clock starts (ISO 8601; without an offset, in the calendar’s zone)"),
      N_("TIME") },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration_text,
      N_("Working time to spend: 90m, 3h30m, 4h20m15s, 45s or seconds"), N_("DUR") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse_options (&argc, &argv, "--calendar FILE --start TIME --duration DUR",
                      _("Print the instant at which DUR of working time from "
                        "TIME is spent."), entries, &status))
    return status;
  if (!require (argv[0], calendar_path, "--calendar", &status)
      || !require (argv[0], start_text, "--start", &status)
      || !require (argv[0], duration_text, "--duration", &status))
    return status;
  if (!cd_format_parse_duration ("--duration", duration_text, &duration, &message))
    return fail (argv[0], message);
  calendar = load_calendar (calendar_path, &message);
  if (calendar == NULL)
    return fail (argv[0], message);
  if (!parse_instant ("--start", start_text, cd_sla_calendar_get_timezone (calendar),
                      &start, &message))
    return fail (argv[0], message);
  return print_instant (argv[0], calendar, cd_sla_calendar_add (calendar, start, duration));
}

/* sla between {{{1 */

static int
sla_between (int    argc,
             char **argv)
{
  g_autofree char *calendar_path = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *message = NULL;
  g_autoptr(CdSlaCalendar) calendar = NULL;
  gint64 start;
  gint64 end;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "calendar", 0, 0, G_OPTION_ARG_FILENAME, &calendar_path,
      N_("The calendar (JSON)"), N_("FILE") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text,
      N_("The first instant (ISO 8601)"), N_("TIME") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end_text,
      N_("The second instant (ISO 8601)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse_options (&argc, &argv, "--calendar FILE --start TIME --end TIME",
                      _("Print the working seconds between two instants "
                        "(0 if the end is not after the start)."), entries, &status))
    return status;
  if (!require (argv[0], calendar_path, "--calendar", &status)
      || !require (argv[0], start_text, "--start", &status)
      || !require (argv[0], end_text, "--end", &status))
    return status;
  calendar = load_calendar (calendar_path, &message);
  if (calendar == NULL)
    return fail (argv[0], message);
  if (!parse_instant ("--start", start_text, cd_sla_calendar_get_timezone (calendar),
                      &start, &message)
      || !parse_instant ("--end", end_text, cd_sla_calendar_get_timezone (calendar),
                         &end, &message))
    return fail (argv[0], message);
  printf ("%" G_GINT64_FORMAT "\n", cd_sla_calendar_between (calendar, start, end));
  return CD_CLI_EXIT_OK;
}

/* sla days {{{1 */

static int
sla_days (int    argc,
          char **argv)
{
  g_autofree char *calendar_path = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *days_text = NULL;
  g_autofree char *kind_text = NULL;
  g_autofree char *message = NULL;
  g_autoptr(CdSlaCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  guint64 days;
  gint64 start;
  CdSlaDays kind;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "calendar", 0, 0, G_OPTION_ARG_FILENAME, &calendar_path,
      N_("The calendar (JSON)"), N_("FILE") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text,
      N_("The start event (ISO 8601); its local date is the start day"), N_("TIME") },
    { "days", 0, 0, G_OPTION_ARG_STRING, &days_text,
      N_("How many days after the start day"), N_("N") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text,
      N_("Count working or calendar days"), N_("working|calendar") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse_options (&argc, &argv, "--calendar FILE --start TIME --days N --kind working|calendar",
                      _("Print the deadline N working or calendar days after "
                        "the start day: the end of that day’s last working interval."),
                      entries, &status))
    return status;
  if (!require (argv[0], calendar_path, "--calendar", &status)
      || !require (argv[0], start_text, "--start", &status)
      || !require (argv[0], days_text, "--days", &status)
      || !require (argv[0], kind_text, "--kind", &status))
    return status;
  if (!g_ascii_string_to_unsigned (days_text, 10, 0, 100000, &days, &error))
    {
      message = g_strdup_printf (_("--days: “%s” is not a number of days (0 to 100000)"),
                                 days_text);
      return fail (argv[0], message);
    }
  if (g_str_equal (kind_text, "working"))
    kind = CD_SLA_DAYS_WORKING;
  else if (g_str_equal (kind_text, "calendar"))
    kind = CD_SLA_DAYS_CALENDAR;
  else
    {
      message = g_strdup_printf (_("--kind: “%s” is neither “working” nor “calendar”"),
                                 kind_text);
      return fail (argv[0], message);
    }
  calendar = load_calendar (calendar_path, &message);
  if (calendar == NULL)
    return fail (argv[0], message);
  if (!parse_instant ("--start", start_text, cd_sla_calendar_get_timezone (calendar),
                      &start, &message))
    return fail (argv[0], message);
  return print_instant (argv[0], calendar,
                        cd_sla_calendar_add_days (calendar, start, days, kind));
}

/* sla clocks {{{1 */

static int
sla_clocks (int    argc,
            char **argv)
{
  g_autofree char *policy_path = NULL;
  g_autofree char *calendars_dir = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) policy_bytes = NULL;
  g_autoptr(GBytes) events_bytes = NULL;
  g_autoptr(CdSlaPolicy) policy = NULL;
  g_autoptr(CdSlaEventList) events = NULL;
  g_autoptr(CdSlaClocks) clocks = NULL;
  g_autoptr(GHashTable) calendars = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "policy", 0, 0, G_OPTION_ARG_FILENAME, &policy_path,
      N_("The policy (JSON)"), N_("FILE") },
    { "calendars", 0, 0, G_OPTION_ARG_FILENAME, &calendars_dir,
      N_("The folder of calendars the policy names (ID.json)"), N_("DIR") },
    { "events", 0, 0, G_OPTION_ARG_FILENAME, &events_path,
      N_("The ticket’s events (a JSON array)"), N_("FILE") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      N_("The instant to evaluate at (ISO 8601 with an offset or Z)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse_options (&argc, &argv, "--policy FILE --calendars DIR --events FILE --now TIME",
                      _("Print a ticket’s SLA clocks under a policy as JSON. "
                        "See docs/sla-policy.md for the files’ formats."),
                      entries, &status))
    return status;
  if (!require (argv[0], policy_path, "--policy", &status)
      || !require (argv[0], calendars_dir, "--calendars", &status)
      || !require (argv[0], events_path, "--events", &status)
      || !require (argv[0], now_text, "--now", &status))
    return status;
  if (!parse_instant ("--now", now_text, NULL, &now, &message))
    return fail (argv[0], message);

  if (!read_file (policy_path, &policy_bytes, &message))
    return fail (argv[0], message);
  policy = cd_sla_policy_new_from_bytes (policy_bytes, &error);
  if (policy == NULL)
    {
      message = g_strdup_printf (_("invalid policy %s: %s"), policy_path, error->message);
      return fail (argv[0], message);
    }

  calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) cd_sla_calendar_unref);
  for (guint i = 0; i < cd_sla_policy_get_n_targets (policy); i++)
    {
      const char *id = cd_sla_policy_get_target (policy, i)->calendar;
      g_autofree char *file = NULL;
      g_autofree char *path = NULL;
      CdSlaCalendar *calendar;

      if (g_hash_table_contains (calendars, id))
        continue;
      file = g_strconcat (id, ".json", NULL);
      path = g_build_filename (calendars_dir, file, NULL);
      calendar = load_calendar (path, &message);
      if (calendar == NULL)
        return fail (argv[0], message);
      g_hash_table_insert (calendars, g_strdup (id), calendar);
    }

  if (!read_file (events_path, &events_bytes, &message))
    return fail (argv[0], message);
  {
    gsize len;
    const char *data = g_bytes_get_data (events_bytes, &len);

    events = cd_sla_event_list_new_from_json (data != NULL ? data : "", len, &error);
  }
  if (events == NULL)
    {
      message = g_strdup_printf (_("invalid events %s: %s"), events_path, error->message);
      return fail (argv[0], message);
    }

  clocks = cd_sla_clock_evaluate (policy, calendars, events->events, events->n_events,
                                  now, NULL, &error);
  if (clocks == NULL)
    return fail (argv[0], error->message);
  json = cd_sla_clocks_to_json (clocks);
  printf ("%s\n", json);
  return CD_CLI_EXIT_OK;
}

/* Dispatch {{{1 */

static const struct {
  const char *name;
  int       (*func) (int, char **);
  const char *summary;
} subcommands[] = {
  { "add", sla_add, N_("Deadline after a working-time duration") },
  { "between", sla_between, N_("Working seconds between two instants") },
  { "days", sla_days, N_("Deadline after working or calendar days") },
  { "clocks", sla_clocks, N_("A ticket’s clocks under a policy, as JSON") },
};

static void
print_sla_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: citydeskctl sla COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (stream, "  %-10s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “citydeskctl sla COMMAND --help” for a command’s options."));
}

int
cd_cli_sla (int    argc,
            char **argv)
{
  const char *name;

  if (argc < 2)
    {
      print_sla_usage (stderr);
      return CD_CLI_EXIT_ERROR;
    }
  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_sla_usage (stdout);
      return CD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      if (g_str_equal (name, subcommands[i].name))
        {
          g_autofree char *prog = g_strdup_printf ("%s %s", argv[0], name);

          argv[1] = prog;
          return subcommands[i].func (argc - 1, argv + 1);
        }
    }
  fprintf (stderr, _("citydeskctl sla: unknown command “%s”\n\n"), name);
  print_sla_usage (stderr);
  return CD_CLI_EXIT_ERROR;
}
