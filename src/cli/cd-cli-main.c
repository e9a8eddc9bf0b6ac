// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl: one binary, one subcommand per task, each in a file of its
// own; this file only finds the subcommand and hands it the arguments.

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-cli-remote.h"
#include "cd-cli-sla.h"
#include "cd-locale.h"

typedef struct
{
  const char       *name;
  CdCliCommandFunc  func;
  const char       *summary;
} CdCliCommand;

static const CdCliCommand commands[] = {
  { "apikey", cd_cli_apikey, N_("Make, list and revoke the Open311 api_keys of apps and portals") },
  { "callbacks", cd_cli_callbacks,
    N_("The feedback department’s callbacks to residents: list, record, stats") },
  { "calls", cd_cli_calls,
    N_("A period’s calls per interval and operator: service level, ASA, AHT, abandons") },
  { "complaints", cd_cli_complaints,
    N_("Complaints: the journal of a period, its figures, draft answers, systemic groups "
       "and proposals") },
  { "demo", cd_cli_demo, N_("Generate a demo city with a year of tickets") },
  { "erlang", cd_cli_erlang,
    N_("Operators a call load needs, or what a number of them delivers (Erlang C and A)") },
  { "import", cd_cli_import,
    N_("Import from another system: an Open311 requests dump, a PBX’s queue_log") },
  { "migrate", cd_cli_migrate,
    N_("Copy a database’s journal to PostgreSQL and verify it there") },
  { "notifications", cd_cli_notifications,
    N_("The messages to residents: list them, retry a failed one") },
  { "qa", cd_cli_qa,
    N_("Quality control: score an evaluation’s answers on its form") },
  { "recordings", cd_cli_recordings,
    N_("Call recordings: link a folder’s files to their calls, list them with their figures") },
  { "reference", cd_cli_reference,
    N_("Show or load the names of the city’s executors, districts, categories and policies") },
  { "routing", cd_cli_routing,
    N_("Show or edit the routing rules that choose a ticket’s executor") },
  { "sla", cd_cli_sla, N_("SLA calculators: deadlines, working time, a ticket’s clocks") },
  { "stats", cd_cli_stats, N_("Count tickets by state, kind, group and executor") },
  { "ticket", cd_cli_ticket, N_("Register, show or act on one ticket") },
  { "tickets", cd_cli_tickets, N_("List tickets: by state, executor, overdue, stale") },
  { "user", cd_cli_user, N_("Manage the server’s accounts: add, passwd, disable, enable, revoke") },
  { "verify", cd_cli_verify, N_("Check the journal’s hash chain and replay the projection") },
  { NULL, NULL, NULL }
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n", _("Usage: citydeskctl [--version] COMMAND [OPTION…]"));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; commands[i].name != NULL; i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “citydeskctl COMMAND --help” for a command’s options."));
  fprintf (stream, "%s\n",
           _("Run “citydeskctl --server URL --user USER --help” to read a server’s data."));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) locale_error = NULL;
  const char *name;

  cd_locale_init ();
  g_set_prgname ("citydeskctl");
  if (!cd_locale_check (&locale_error))
    fprintf (stderr, "citydeskctl: %s\n", locale_error->message);

  if (argc < 2)
    {
      print_usage (stderr);
      return CD_CLI_EXIT_ERROR;
    }

  name = argv[1];

  if (g_str_equal (name, "--version") || g_str_equal (name, "version"))
    {
      printf ("citydeskctl %s\n", PACKAGE_VERSION);
      return CD_CLI_EXIT_OK;
    }

  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      print_usage (stdout);
      return CD_CLI_EXIT_OK;
    }

  /* citydeskctl --server URL --user U COMMAND: the read commands on a
   * server's data instead of a file. */
  if (g_str_has_prefix (name, "--server") || g_str_has_prefix (name, "--user"))
    return cd_cli_remote (argc, argv);

  for (guint i = 0; commands[i].name != NULL; i++)
    {
      if (g_str_equal (name, commands[i].name))
        {
          g_autofree char *prog = g_strdup_printf ("citydeskctl %s", name);

          argv[1] = prog;
          return commands[i].func (argc - 1, argv + 1);
        }
    }

  fprintf (stderr, _("citydeskctl: unknown command “%s”\n\n"), name);
  print_usage (stderr);
  return CD_CLI_EXIT_ERROR;
}
