// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-migrate.c: citydeskctl migrate, a SQLite database's journal
 * copied to PostgreSQL and verified there */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-journal-db.h"
#include "cd-store-feedback.h"
#include "cd-store-notifications.h"
#include "cd-store-qa.h"
#include "cd-store-recordings.h"
#include "cd-store-reference.h"
#include "cd-store-users.h"

#define DEFAULT_BATCH 5000

int
cd_cli_migrate (int    argc,
                char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdStore) file = NULL;
  g_autoptr(CdDb) source = NULL;
  g_autoptr(CdDb) target = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  CdJournalCopyStats stats = { 0 };
  gint64 checked = 0, bad = 0, projected = 0;
  gint64 n_users = 0, n_api_keys = 0, n_answers = 0, n_reference = 0, n_rules = 0, n_settings = 0;
  gint64 n_notifications = 0, n_tasks = 0, n_attempts = 0, n_recordings = 0;
  int batch = DEFAULT_BATCH;
  gboolean json = FALSE;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, N_("The SQLite database to copy"),
      N_("FILE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The PostgreSQL database"), N_("URI") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Events per transaction (5000)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--from FILE --to postgresql://…",
          _("Copies the journal of a SQLite database to a PostgreSQL one, in batches, each event "
            "checked against the hash chain, then verifies the whole chain there. A copy that "
            "stopped part-way goes on where it stopped; a database holding another history is "
            "refused. The evaluation forms are copied, then the tickets' projection, the calls "
            "and their callbacks, the evaluations and the calibration sessions are rebuilt "
            "there from the journal, by the code that verify replays with. Then what is no "
            "event is copied, the rows missing there: the accounts and API keys (not the "
            "sessions: everyone logs in again), the answers given to idempotency keys (a "
            "request sent again after the move is not done twice), the reference data, the "
            "routing rules and settings, the ticket numbers' sequences, the messages to "
            "residents with their state, the callback tasks and their attempts, the "
            "recordings' rows. A row the PostgreSQL database holds with other content than "
            "the file's is refused."),
          entries, 0, &status))
    return status;
  if (from == NULL || to == NULL)
    return cd_cli_db_fail (argv[0], _("both --from and --to are needed (see --help)"));
  if (!cd_db_is_uri (to))
    return cd_cli_db_fail (argv[0], _("--to must be a postgresql:// or postgres:// URI"));
  if (batch < 1)
    return cd_cli_db_fail (argv[0], _("--batch must be 1 or more"));

  /* Opening it as a store brings an older file's schema up to date; the
   * target's too, with what its migrations write (the shipped forms). */
  if ((store = cd_cli_db_open (argv[0], from, TRUE, &status)) == NULL)
    return status;
  g_clear_object (&store);
  if ((store = cd_store_open (to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);
  g_clear_object (&store);

  if ((source = cd_db_open (from, &error)) == NULL ||
      (target = cd_db_open (to, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  if (!cd_journal_db_copy (source, target, batch, &stats, &error))
    {
      if (stats.copied > 0)
        fprintf (stderr, _("%s: %" PRId64 " events were copied before this; run the command "
                           "again to go on.\n"),
                 argv[0], stats.copied);
      return cd_cli_db_fail (argv[0], error->message);
    }
  if (!cd_journal_db_verify (target, &checked, &bad, &error) && bad == 0)
    return cd_cli_db_fail (argv[0], error->message);
  /* A broken chain is not built upon. */
  if (bad == 0)
    {
      g_clear_pointer (&target, cd_db_close);
      /* The forms first: they are no events, and the evaluations the
       * journal rebuilds were given on them. */
      if ((store = cd_store_open (to, &error)) == NULL ||
          (file = cd_store_open (from, &error)) == NULL ||
          !cd_store_copy_qa_forms (store, file, NULL, &error) ||
          !cd_store_project_journal (store, (guint) batch, &projected, &error))
        return cd_cli_db_fail (argv[0], error->message);
      /* Then what is no event, each store file's tables in a transaction
       * of their own; a row the target holds otherwise stops the move. */
      if (!cd_store_copy_users (store, file, &n_users, &n_api_keys, &n_answers, &error) ||
          !cd_store_copy_reference (store, file, &n_reference, &error) ||
          !cd_store_copy_routing (store, file, &n_rules, &n_settings, &error) ||
          !cd_store_copy_numbers (store, file, &error) ||
          !cd_store_copy_notifications (store, file, &n_notifications, &error) ||
          !cd_store_copy_feedback (store, file, &n_tasks, &n_attempts, &error) ||
          !cd_store_copy_recordings (store, file, &n_recordings, &error))
        return cd_cli_db_fail (argv[0], error->message);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_boolean_member (object, "ok", bad == 0);
      json_object_set_int_member (object, "copied", stats.copied);
      json_object_set_int_member (object, "present", stats.present);
      json_object_set_int_member (object, "batches", stats.batches);
      json_object_set_int_member (object, "checked", checked);
      json_object_set_int_member (object, "projected", projected);
      json_object_set_int_member (object, "users", n_users);
      json_object_set_int_member (object, "api_keys", n_api_keys);
      json_object_set_int_member (object, "idempotency_keys", n_answers);
      json_object_set_int_member (object, "reference", n_reference);
      json_object_set_int_member (object, "routing_rules", n_rules);
      json_object_set_int_member (object, "settings", n_settings);
      json_object_set_int_member (object, "notifications", n_notifications);
      json_object_set_int_member (object, "feedback_tasks", n_tasks);
      json_object_set_int_member (object, "feedback_attempts", n_attempts);
      json_object_set_int_member (object, "recordings", n_recordings);
      if (bad != 0)
        {
          json_object_set_int_member (object, "first_bad", bad);
          json_object_set_string_member (object, "message", error->message);
        }
      json_node_take_object (node, object);
      cd_cli_db_print_json (node);
    }
  else
    {
      printf (_("Copied %" PRId64 " events in %" PRId64 " batches (%" PRId64
                " were there already).\n"),
              stats.copied, stats.batches, stats.present);
      if (bad != 0)
        printf (_("The journal on “%s” is broken at event %" PRId64 ": %s\n"),
                cd_db_get_location (target), bad, error->message);
      else
        printf (_("The journal on “%s” holds: %" PRId64 " events checked; %" PRId64
                  " ticket events applied to its tickets.\n"),
                cd_store_get_path (store), checked, projected);
      if (bad == 0)
        {
          printf (_("Copied %" PRId64 " accounts, %" PRId64 " API keys and %" PRId64
                    " answers to idempotency keys; the sessions were not: everyone logs in "
                    "again.\n"),
                  n_users, n_api_keys, n_answers);
          printf (_("Copied %" PRId64 " reference names and codes, %" PRId64 " routing rules, %"
                    PRId64 " settings, %" PRId64 " messages to residents, %" PRId64
                    " callback tasks with %" PRId64 " attempts, %" PRId64 " recordings.\n"),
                  n_reference, n_rules, n_settings, n_notifications, n_tasks, n_attempts,
                  n_recordings);
        }
    }
  return bad == 0 ? CD_CLI_EXIT_OK : CD_CLI_EXIT_FOUND;
}
