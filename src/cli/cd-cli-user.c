// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-user.c: citydeskctl user add, the server's accounts
 *
 * The password is read from standard input (one line), never from the
 * command line, where other users of the machine could see it.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-store-users.h"

#define MAX_PASSWORD_LINE 1100

static int
user_add (int    argc,
          char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *role = NULL;
  g_autofree char *org = NULL;
  char line[MAX_PASSWORD_LINE];
  int status = CD_CLI_EXIT_OK;
  gsize len;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("operator, supervisor, qc, feedback, executor or admin"), N_("ROLE") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org,
      N_("The executor organization an executor works for"), N_("ORG") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --role ROLE [--org ORG] NAME",
                        _("Adds an account to the server’s database. The password is read "
                          "from standard input, one line."),
                        entries, 1, &status))
    return status;
  if (role == NULL)
    return cd_cli_db_fail (argv[0], _("--role ROLE is required"));
  if ((store = cd_cli_db_open (argv[0], db, FALSE, &status)) == NULL)
    return status;

  if (fgets (line, sizeof line, stdin) == NULL)
    return cd_cli_db_fail (argv[0], _("no password on standard input"));
  len = strlen (line);
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';

  if (!cd_store_add_user (store, argv[1], role, org, line, g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      memset (line, 0, sizeof line);
      return cd_cli_db_fail (argv[0], error->message);
    }
  memset (line, 0, sizeof line);
  printf (_("Added %s (%s)\n"), argv[1], role);
  return CD_CLI_EXIT_OK;
}

/**
 * cd_cli_user:
 * @argc: the argument count
 * @argv: "citydeskctl user", then the subcommand and its options
 *
 * Returns: the exit status
 */
int
cd_cli_user (int    argc,
             char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *stream = argc < 2 ? stderr : stdout;

      fprintf (stream, "%s\n", _("Usage: citydeskctl user add --db FILE --role ROLE [--org ORG] NAME  (password on stdin)"));
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  if (!g_str_equal (argv[1], "add"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s”\n"), argv[0], argv[1]);
      return CD_CLI_EXIT_ERROR;
    }
  prog = g_strdup_printf ("%s add", argv[0]);
  argv[1] = prog;
  return user_add (argc - 1, argv + 1);
}
