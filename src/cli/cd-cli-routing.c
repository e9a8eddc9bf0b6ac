// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-routing.c: citydeskctl routing, the rules that choose a new
 * ticket's executor, kept as data in the store and used at registration */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"

#define USAGE                                                                                \
  "--db FILE [list | set CATEGORY DISTRICT EXECUTOR | default EXECUTOR | import FILE.json] " \
  "[--json]"

/* `*` (or an empty word) matches any category or district. */
static const char *
any_or (const char *word)
{
  return word == NULL || *word == '\0' || g_str_equal (word, "*") ? NULL : word;
}

static int
print_routing (CdRouting *routing,
               gboolean   json)
{
  if (json)
    {
      g_autofree char *text = cd_routing_to_json (routing);
      g_autoptr(JsonNode) node = json_from_string (text, NULL);

      cd_cli_db_print_json (node);
      return CD_CLI_EXIT_OK;
    }

  printf (_("Default executor: %s\n"), cd_routing_get_default (routing));
  if (cd_routing_get_n_rules (routing) == 0)
    printf ("%s\n", _("No rules: every ticket goes to the default executor."));
  else
    printf ("%-24s %-20s %s\n", _("CATEGORY"), _("DISTRICT"), _("EXECUTOR"));
  for (guint i = 0; i < cd_routing_get_n_rules (routing); i++)
    {
      const CdRoutingRule *rule = cd_routing_get_rule (routing, i);

      printf ("%-24s %-20s %s\n", rule->category != NULL ? rule->category : "*",
              rule->district != NULL ? rule->district : "*", rule->executor);
    }
  return CD_CLI_EXIT_OK;
}

/* The rules with (category, district) → executor replaced or added. */
static CdRouting *
with_rule (CdRouting   *routing,
           const char  *category,
           const char  *district,
           const char  *executor,
           GError     **error)
{
  g_autoptr(CdRouting) copy = cd_routing_new (cd_routing_get_default (routing));
  gboolean replaced = FALSE;

  for (guint i = 0; i < cd_routing_get_n_rules (routing); i++)
    {
      const CdRoutingRule *rule = cd_routing_get_rule (routing, i);
      const char *target = rule->executor;

      if (g_strcmp0 (rule->category, category) == 0 && g_strcmp0 (rule->district, district) == 0)
        {
          target = executor;
          replaced = TRUE;
        }
      if (!cd_routing_add_rule (copy, rule->category, rule->district, target, error))
        return NULL;
    }
  if (!replaced && !cd_routing_add_rule (copy, category, district, executor, error))
    return NULL;
  return g_steal_pointer (&copy);
}

int
cd_cli_routing (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE + strlen ("--db FILE "));
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdRouting) routing = NULL;
  g_autoptr(CdRouting) changed = NULL;
  g_autofree char *db = NULL;
  const char *prog = argv[0];
  const char *command;
  gboolean json = FALSE;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  g_option_context_set_summary (
      context, _("Shows or edits the routing rules: which executor a new ticket of a category "
                  "in a district goes to. The most specific rule wins (an exact category before "
                  "its group before any; a district before any); “*” matches anything; without "
                  "a matching rule the default executor gets the ticket. “set” replaces the rule "
                  "for the same category and district or adds one; “import” replaces all rules "
                  "with a JSON file {\"default\": …, \"rules\": [{\"category\", \"district\", "
                  "\"executor\"}]}."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cd_cli_db_fail (prog, error->message);

  command = argc > 1 ? argv[1] : "list";
  if ((g_str_equal (command, "list") && argc > 2) ||
      (g_str_equal (command, "set") && argc != 5) ||
      (g_str_equal (command, "default") && argc != 3) ||
      (g_str_equal (command, "import") && argc != 3))
    {
      g_autofree char *message =
          g_strdup_printf (_("wrong number of arguments; usage: citydeskctl routing %s"), USAGE);

      return cd_cli_db_fail (prog, message);
    }
  if (!g_str_equal (command, "list") && !g_str_equal (command, "set") &&
      !g_str_equal (command, "default") && !g_str_equal (command, "import"))
    {
      g_autofree char *message =
          g_strdup_printf (_("unknown subcommand “%s” (list, set, default or import)"), command);

      return cd_cli_db_fail (prog, message);
    }
  if ((store = cd_cli_db_open (prog, db, g_str_equal (command, "list"), &status)) == NULL)
    return status;

  routing = cd_store_load_routing (store, &error);
  if (routing == NULL && !g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    return cd_cli_db_fail (prog, error->message);
  g_clear_error (&error);

  if (g_str_equal (command, "list"))
    {
      if (routing == NULL)
        {
          if (json)
            {
              g_autoptr(JsonNode) node = json_node_new (JSON_NODE_NULL);

              cd_cli_db_print_json (node);
            }
          else
            printf ("%s\n", _("No routing rules: tickets are assigned only when registered with "
                               "an executor."));
          return CD_CLI_EXIT_OK;
        }
      return print_routing (routing, json);
    }

  if (g_str_equal (command, "import"))
    {
      g_autofree char *text = NULL;

      if (!g_file_get_contents (argv[2], &text, NULL, &error) ||
          (changed = cd_routing_new_from_json (text, &error)) == NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s: %s", argv[2], error->message);

          return cd_cli_db_fail (prog, message);
        }
    }
  else if (g_str_equal (command, "default"))
    {
      if (*argv[2] == '\0')
        return cd_cli_db_fail (prog, _("the default executor may not be empty"));
      if (routing == NULL)
        changed = cd_routing_new (argv[2]);
      else
        {
          cd_routing_set_default (routing, argv[2]);
          changed = g_steal_pointer (&routing);
        }
    }
  else
    {
      if (routing == NULL)
        return cd_cli_db_fail (prog, _("there is no default executor yet: run “citydeskctl "
                                        "routing --db FILE default EXECUTOR” first"));
      if (*argv[4] == '\0')
        return cd_cli_db_fail (prog, _("the executor may not be empty"));
      changed = with_rule (routing, any_or (argv[2]), any_or (argv[3]), argv[4], &error);
      if (changed == NULL)
        return cd_cli_db_fail (prog, error->message);
    }

  if (!cd_store_save_routing (store, changed, &error))
    return cd_cli_db_fail (prog, error->message);
  return print_routing (changed, json);
}
