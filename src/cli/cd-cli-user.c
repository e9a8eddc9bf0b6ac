// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-user.c: citydeskctl user, the server's accounts
 *
 * add, passwd, disable, enable, revoke and agent, on the server's database. The
 * password is read from standard input (one line; on a terminal, asked
 * for without echo), never from the command line, where other users of
 * the machine could see it. A new password and a disable revoke the
 * user's sessions; a running server closes the streams opened with them
 * within seconds. An account linked to its PBX agent (add --agent, agent)
 * reads that agent's evaluations (docs/qa.md).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-store-users.h"

#define MAX_PASSWORD_LINE 1100

/* Reads one line into @line; on a terminal, prompts without echo. */
static gboolean
read_password (const char *prompt,
               char       *line,
               gsize       size)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  gboolean echo_off = FALSE;
  gboolean ok;
  gsize len;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      fflush (stderr);
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          quiet = saved;
          quiet.c_lflag &= ~(tcflag_t) ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
  ok = fgets (line, (int) size, stdin) != NULL;
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }
  if (!ok)
    return FALSE;
  len = strlen (line);
  while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    line[--len] = '\0';
  return TRUE;
}

static int
user_add (int    argc,
          char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *role = NULL;
  g_autofree char *org = NULL;
  g_autofree char *agent = NULL;
  char line[MAX_PASSWORD_LINE];
  int status = CD_CLI_EXIT_OK;
  gboolean ok;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("operator, supervisor, qc, feedback, executor or admin"), N_("ROLE") },
    { "org", 0, 0, G_OPTION_ARG_STRING, &org,
      N_("The executor organization an executor works for"), N_("ORG") },
    { "agent", 0, 0, G_OPTION_ARG_STRING, &agent,
      N_("The PBX agent the account is, as the calls name it"), N_("AGENT") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --role ROLE [--org ORG] [--agent AGENT] NAME",
                        _("Adds an account to the server’s database. The password is read "
                          "from standard input, one line, at least 10 characters."),
                        entries, 1, &status))
    return status;
  if (role == NULL)
    return cd_cli_db_fail (argv[0], _("--role ROLE is required"));
  if (agent != NULL && !cd_check_agent_name (agent, &error))
    return cd_cli_db_fail (argv[0], error->message);
  if ((store = cd_cli_db_open (argv[0], db, FALSE, &status)) == NULL)
    return status;

  if (!read_password (_("Password: "), line, sizeof line))
    return cd_cli_db_fail (argv[0], _("no password on standard input"));
  /* One transaction: an agent taken already leaves no account behind. */
  ok = cd_store_begin (store, &error) &&
       cd_store_add_user (store, argv[1], role, org, line, g_get_real_time () / G_USEC_PER_SEC,
                          &error) &&
       (agent == NULL || cd_store_set_user_agent (store, argv[1], agent, NULL, &error)) &&
       cd_store_commit (store, &error);
  explicit_bzero (line, sizeof line);
  if (!ok)
    {
      if (cd_store_in_transaction (store))
        cd_store_rollback (store);
      return cd_cli_db_fail (argv[0], error->message);
    }
  printf (_("Added %s (%s)\n"), argv[1], role);
  return CD_CLI_EXIT_OK;
}

static int
user_agent (int    argc,
            char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *agent = NULL;
  gboolean clear = FALSE;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { "set", 0, 0, G_OPTION_ARG_STRING, &agent,
      N_("The PBX agent the account is, as the calls name it"), N_("AGENT") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("Unlink the account from its agent"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE (--set AGENT | --clear) NAME",
                        _("Links an account to its PBX agent, whose evaluations it then reads, "
                          "or unlinks it; revokes its sessions when that changes."),
                        entries, 1, &status))
    return status;
  if ((agent == NULL) == !clear)
    return cd_cli_db_fail (argv[0], _("give one of --set AGENT and --clear"));
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_set_user_agent (store, argv[1], agent, NULL, &error))
    return cd_cli_db_fail (argv[0], error->message);
  if (agent != NULL)
    printf (_("Linked %s to the agent “%s”\n"), argv[1], agent);
  else
    printf (_("Unlinked %s from its agent\n"), argv[1]);
  return CD_CLI_EXIT_OK;
}

typedef enum
{
  CHANGE_PASSWORD,
  CHANGE_DISABLE,
  CHANGE_ENABLE,
  CHANGE_REVOKE,
} Change;

static int
user_change (int     argc,
             char  **argv,
             Change  change)
{
  static const char * const summaries[] = {
    N_("Sets a user’s password (read from standard input, one line, at least 10 characters) "
       "and revokes the user’s sessions."),
    N_("Disables an account: it cannot log in and its sessions are revoked."),
    N_("Enables a disabled account again (its old sessions stay revoked)."),
    N_("Revokes every session of a user: its tokens stop working, open streams close."),
  };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdUser) user = NULL;
  g_autofree char *db = NULL;
  char line[MAX_PASSWORD_LINE];
  int status = CD_CLI_EXIT_OK;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint revoked = 0;
  gboolean ok = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE NAME", _(summaries[change]), entries, 1, &status))
    return status;
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  /* Before the password is asked for: a typo in the name fails at once. */
  if ((user = cd_store_find_user (store, argv[1], &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  switch (change)
    {
    case CHANGE_PASSWORD:
      if (!read_password (_("New password: "), line, sizeof line))
        return cd_cli_db_fail (argv[0], _("no password on standard input"));
      ok = cd_check_password_policy (line, &error) &&
           cd_store_revoke_user_sessions (store, argv[1], now, &revoked, &error) &&
           cd_store_set_password (store, argv[1], line, now, &error);
      explicit_bzero (line, sizeof line);
      break;
    case CHANGE_DISABLE:
      ok = cd_store_revoke_user_sessions (store, argv[1], now, &revoked, &error) &&
           cd_store_set_user_disabled (store, argv[1], TRUE, now, &error);
      break;
    case CHANGE_ENABLE:
      ok = cd_store_set_user_disabled (store, argv[1], FALSE, now, &error);
      break;
    case CHANGE_REVOKE:
    default:
      ok = cd_store_revoke_user_sessions (store, argv[1], now, &revoked, &error);
      break;
    }
  if (!ok)
    return cd_cli_db_fail (argv[0], error->message);

  switch (change)
    {
    case CHANGE_PASSWORD:
      printf (g_dngettext (GETTEXT_PACKAGE, "Changed the password of %s; revoked %u session\n",
                           "Changed the password of %s; revoked %u sessions\n", revoked),
              argv[1], revoked);
      break;
    case CHANGE_DISABLE:
      printf (g_dngettext (GETTEXT_PACKAGE, "Disabled %s; revoked %u session\n",
                           "Disabled %s; revoked %u sessions\n", revoked), argv[1], revoked);
      break;
    case CHANGE_ENABLE:
      printf (_("Enabled %s\n"), argv[1]);
      break;
    case CHANGE_REVOKE:
    default:
      printf (g_dngettext (GETTEXT_PACKAGE, "Revoked %u session of %s\n",
                           "Revoked %u sessions of %s\n", revoked), revoked, argv[1]);
      break;
    }
  return CD_CLI_EXIT_OK;
}

static const struct
{
  const char *name;
  Change      change;
} changes[] = {
  { "passwd", CHANGE_PASSWORD },
  { "disable", CHANGE_DISABLE },
  { "enable", CHANGE_ENABLE },
  { "revoke", CHANGE_REVOKE },
};

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

      fprintf (stream, "%s\n",
               _("Usage: citydeskctl user add --db FILE --role ROLE [--org ORG] [--agent AGENT] "
                  "NAME  (password on stdin)\n"
                  "       citydeskctl user passwd --db FILE NAME  (password on stdin)\n"
                  "       citydeskctl user disable|enable|revoke --db FILE NAME\n"
                  "       citydeskctl user agent --db FILE (--set AGENT | --clear) NAME"));
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if (g_str_equal (argv[1], "add"))
    {
      argv[1] = prog;
      return user_add (argc - 1, argv + 1);
    }
  if (g_str_equal (argv[1], "agent"))
    {
      argv[1] = prog;
      return user_agent (argc - 1, argv + 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    if (g_str_equal (argv[1], changes[i].name))
      {
        argv[1] = prog;
        return user_change (argc - 1, argv + 1, changes[i].change);
      }
  fprintf (stderr, _("%s: unknown subcommand “%s”\n"), argv[0], argv[1]);
  return CD_CLI_EXIT_ERROR;
}
