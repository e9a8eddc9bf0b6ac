// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-db.c: what the dispatch commands share: option parsing, opening
 * the database, times, JSON output */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-db.h"
#include "cd-format.h"

int
cd_cli_db_fail (const char *prog,
                const char *message)
{
  fprintf (stderr, "%s: %s\n", prog, message);
  return CD_CLI_EXIT_ERROR;
}

/* For option parsers: says why on stderr, sets the exit status, and
 * returns %FALSE to stop. */
gboolean
cd_cli_db_refuse (const char *prog,
                  const char *message,
                  int        *status)
{
  *status = cd_cli_db_fail (prog, message);
  return FALSE;
}

/**
 * cd_cli_db_parse_duration:
 * @prog: the command, for messages
 * @option: the option, named in messages ("--target")
 * @text: (nullable): its value; %NULL leaves @seconds as it is
 * @zero_allowed: whether 0 is a duration the option takes
 * @seconds: (out): the duration, as the `sla` commands write them
 * @status: (out): the exit status when refused
 *
 * Returns: %FALSE, with the reason on stderr, for a duration that is not one
 */
gboolean
cd_cli_db_parse_duration (const char *prog,
                          const char *option,
                          const char *text,
                          gboolean    zero_allowed,
                          gint64     *seconds,
                          int        *status)
{
  g_autofree char *message = NULL;
  gint64 value;

  if (text == NULL)
    return TRUE;
  if (!cd_format_parse_duration (option, text, &value, &message))
    return cd_cli_db_refuse (prog, message, status);
  if (value == 0 && !zero_allowed)
    {
      message = g_strdup_printf (_("%s: the duration must be longer than 0"), option);
      return cd_cli_db_refuse (prog, message, status);
    }
  *seconds = value;
  return TRUE;
}

/**
 * cd_cli_db_parse:
 * @n_args: how many positional arguments the command takes, exactly
 *
 * Returns: %FALSE with the exit status in @status when the command should
 *   stop
 */
gboolean
cd_cli_db_parse (int            *argc,
                 char         ***argv,
                 const char     *usage,
                 const char     *summary,
                 GOptionEntry   *entries,
                 int             n_args,
                 int            *status)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *synopsis = NULL;
  const char *prog = (*argv)[0];

  synopsis = g_strdup_printf ("%s %s", prog + strlen ("citydeskctl "), usage);
  context = g_option_context_new (synopsis);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = cd_cli_db_fail (prog, error->message);
      return FALSE;
    }
  if (*argc - 1 > n_args)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"),
                                                  (*argv)[n_args + 1]);

      *status = cd_cli_db_fail (prog, message);
      return FALSE;
    }
  if (*argc - 1 < n_args)
    {
      *status = cd_cli_db_fail (prog, _("missing arguments (see --help)"));
      return FALSE;
    }
  return TRUE;
}

CdStore *
cd_cli_db_open (const char *prog,
                const char *path,
                gboolean    must_exist,
                int        *status)
{
  g_autoptr(GError) error = NULL;
  CdStore *store;

  if (path == NULL)
    {
      *status = cd_cli_db_fail (prog, _("missing option --db (see --help)"));
      return NULL;
    }
  /* A PostgreSQL database is not a file: cd_store_open() says whether
   * it can be reached. */
  if (must_exist && !cd_db_is_uri (path) && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *message = g_strdup_printf (_("there is no database “%s”"), path);

      *status = cd_cli_db_fail (prog, message);
      return NULL;
    }
  store = cd_store_open (path, &error);
  if (store == NULL)
    *status = cd_cli_db_fail (prog, error->message);
  return store;
}

gboolean
cd_cli_db_parse_now (const char *prog,
                     const char *text,
                     gint64     *now,
                     int        *status)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    {
      *now = g_get_real_time () / G_USEC_PER_SEC;
      return TRUE;
    }
  dt = g_date_time_new_from_iso8601 (text, local);
  if (dt == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not an ISO 8601 time (--now)"), text);

      *status = cd_cli_db_fail (prog, message);
      return FALSE;
    }
  *now = g_date_time_to_unix (dt);
  return TRUE;
}

char *
cd_cli_db_format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (time == 0)
    return g_strdup ("-");
  dt = g_date_time_new_from_unix_local (time);
  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("?");
}

void
cd_cli_db_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}
