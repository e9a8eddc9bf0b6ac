// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-verify.c: citydeskctl verify, walking the journal's hash chain
 * and replaying the tickets' projection from their events */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-db.h"

int
cd_cli_verify (int    argc,
               char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) projection_error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *bad_ticket = NULL;
  gboolean json = FALSE, projection_ok = FALSE;
  gint64 checked = 0, bad = 0, tickets = 0;
  int status = CD_CLI_EXIT_OK;
  gboolean ok;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database: a file or a postgresql:// URI"),
      N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE",
          _("Walks the journal and checks every event against its hash, then replays "
             "every ticket's events and compares the result with its stored row. "
             "Exits 0 when both hold, 1 naming the first event or ticket that does not match."),
          entries, 0, &status))
    return status;

  /* The same checks on PostgreSQL: the store runs on either backend. */
  if ((store = cd_cli_db_open (argv[0], db, !(db != NULL && cd_db_is_uri (db)), &status)) == NULL)
    return status;
  ok = cd_store_verify (store, &checked, &bad, &error);
  if (!ok && bad == 0)
    return cd_cli_db_fail (argv[0], error->message);
  if (ok)
    {
      projection_ok = cd_store_verify_projection (store, &tickets, &bad_ticket, &projection_error);
      if (!projection_ok && bad_ticket == NULL)
        return cd_cli_db_fail (argv[0], projection_error->message);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_boolean_member (object, "ok", ok && projection_ok);
      json_object_set_int_member (object, "checked", checked);
      json_object_set_int_member (object, "tickets_checked", tickets);
      if (!ok)
        {
          json_object_set_int_member (object, "first_bad", bad);
          json_object_set_string_member (object, "message", error->message);
        }
      else if (!projection_ok)
        {
          json_object_set_string_member (object, "first_bad_ticket", bad_ticket);
          json_object_set_string_member (object, "message", projection_error->message);
        }
      json_node_take_object (node, object);
      cd_cli_db_print_json (node);
    }
  else if (!ok)
    printf (_("The journal is broken at event %" PRId64 " (%" PRId64
               " events before it hold): %s\n"),
            bad, checked, error->message);
  else if (!projection_ok)
    printf (_("The journal holds (%" PRId64
               " events), but the projection is wrong at ticket %s: %s\n"),
            checked, bad_ticket, projection_error->message);
  else
    printf (_("The journal holds: %" PRId64 " events checked; the projection of %"
              PRId64 " tickets matches them.\n"), checked, tickets);

  return ok && projection_ok ? CD_CLI_EXIT_OK : CD_CLI_EXIT_FOUND;
}
