// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-reference.c: citydeskctl reference, a city's names of its
 * executors, districts, categories and policies in the server's database
 * (docs/api.md, "Reference data") */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-store-reference.h"

#define USAGE "--db FILE [list | import FILE.json]"

static int
list (CdStore    *store,
      const char *prog)
{
  g_autoptr(CdReferenceData) data = cd_reference_data_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    if ((data->entries[k] = cd_store_reference_list (store, k, &error)) == NULL)
      return cd_cli_db_fail (prog, error->message);
  text = cd_reference_data_to_json (data);
  printf ("%s\n", text);
  return CD_CLI_EXIT_OK;
}

int
cd_cli_reference (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE + strlen ("--db FILE "));
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdReferenceData) data = NULL;
  g_autofree char *db = NULL;
  g_autofree char *text = NULL;
  const char *prog = argv[0];
  const char *command;
  int status = CD_CLI_EXIT_OK;
  gsize len = 0;
  guint n = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { NULL }
  };

  g_option_context_set_summary (context,
                                _("Shows or loads the city’s reference data: the names per "
                                  "language of its executor organizations, districts, categories "
                                  "and SLA policies, which the server gives the desktops. "
                                  "“import” replaces every kind the file has a section of, and "
                                  "leaves the others: {\"executors\": [{\"code\": …, \"names\": "
                                  "{\"en\": …, \"ru\": …}}], \"districts\": […], \"categories\": "
                                  "[…], \"policies\": […]}. “list” prints the same JSON."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cd_cli_db_fail (prog, error->message);

  command = argc > 1 ? argv[1] : "list";
  if (!g_str_equal (command, "list") && !g_str_equal (command, "import"))
    {
      g_autofree char *message = g_strdup_printf (_("unknown subcommand “%s” (list or import)"),
                                                  command);

      return cd_cli_db_fail (prog, message);
    }
  if ((g_str_equal (command, "list") && argc > 2) || (g_str_equal (command, "import") && argc != 3))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("wrong number of arguments; usage: citydeskctl reference %s"),
                                 USAGE);

      return cd_cli_db_fail (prog, message);
    }

  /* The file is read whole before the database is touched. */
  if (g_str_equal (command, "import") &&
      (!g_file_get_contents (argv[2], &text, &len, &error) ||
       (data = cd_reference_data_parse (text, len, &error)) == NULL))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", argv[2], error->message);

      return cd_cli_db_fail (prog, message);
    }

  if ((store = cd_cli_db_open (prog, db, g_str_equal (command, "list"), &status)) == NULL)
    return status;
  if (data == NULL)
    return list (store, prog);

  if (!cd_store_reference_replace (store, data, &error))
    return cd_cli_db_fail (prog, error->message);
  for (guint k = 0; k < CD_N_REFERENCE_KINDS; k++)
    if (data->entries[k] != NULL)
      n += data->entries[k]->len;
  /* Translators: %u is a number of executors, districts, categories and
   * policies together. */
  printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u reference entry.\n",
                       "Imported %u reference entries.\n", n), n);
  return CD_CLI_EXIT_OK;
}
