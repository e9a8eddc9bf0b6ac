// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-import.c: citydeskctl import open311, a city's GeoReport v2
 * requests dump as tickets, and citydeskctl import queue-log, a PBX's
 * calls (docs/calls.md)
 *
 * Each record becomes a ticket registered at its requested_datetime; a
 * closed one is taken through assign, accept, resolve and close at its
 * updated_datetime, so that the journal tells a true (if short) story and
 * the projection is the one the dispatch table allows. The source's id
 * goes into the register event as `external_ref`, which is how a second
 * import of the same dump knows it has nothing to add. Records are written
 * in batches; a batch the dispatch table refuses a record of is redone one
 * record per transaction, so a refusal costs only that record.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-open311.h"
#include "cd-queue-log.h"
#include "cd-store-calls.h"
#include "cd-store-search.h"

#define IMPORT_ACTOR "open311-import"
#define IMPORT_ROLE "admin"
/* Records per transaction: large enough that commits do not dominate,
 * small enough that redoing a batch with a refused record one by one is
 * cheap. */
#define IMPORT_BATCH 256

static JsonObject *
registration_for (const CdOpen311Record *record,
                  const char            *ref)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "kind", "routine");
  json_object_set_string_member (payload, "category", record->category);
  json_object_set_string_member (payload, "channel", "open311");
  json_object_set_string_member (payload, "district", record->district);
  json_object_set_string_member (payload, "street", record->street);
  json_object_set_string_member (payload, "building", record->building);
  if (record->has_location)
    {
      json_object_set_double_member (payload, "lat", record->lat);
      json_object_set_double_member (payload, "lon", record->lon);
    }
  if (record->description != NULL)
    json_object_set_string_member (payload, "description", record->description);
  if (record->agency != NULL)
    json_object_set_string_member (payload, "executor", record->agency);
  json_object_set_string_member (payload, "external_ref", ref);
  return payload;
}

static gboolean
act (CdStore     *store,
     const char  *number,
     const char  *action,
     JsonObject  *payload,
     gint64       time,
     GError     **error)
{
  g_autoptr(CdTicket) ticket = cd_store_act (store, number, action, IMPORT_ACTOR, IMPORT_ROLE,
                                             payload, time, error);

  return ticket != NULL;
}

/* Registers @record in the open transaction; returns its number. */
static char *
import_record (CdStore                *store,
               const CdOpen311Record  *record,
               const char             *ref,
               GError                **error)
{
  g_autoptr(JsonObject) payload = registration_for (record, ref);
  g_autoptr(CdTicket) ticket = NULL;
  g_autofree char *number = NULL;

  ticket = cd_store_register (store, payload, IMPORT_ACTOR, IMPORT_ROLE, record->requested, error);
  if (ticket == NULL)
    return NULL;
  number = g_strdup (ticket->number);

  if (record->closed)
    {
      g_autoptr(JsonObject) close = json_object_new ();

      if (ticket->state != CD_TICKET_STATE_ASSIGNED)
        {
          g_autoptr(JsonObject) assign = json_object_new ();

          /* No routing rule and no agency: the import still has to name
           * someone, and says plainly that it does not know who. */
          json_object_set_string_member (assign, "executor",
                                         record->agency != NULL ? record->agency : "unknown");
          json_object_set_string_member (assign, "by", "import");
          if (!act (store, number, "assign", assign, record->updated, error))
            return NULL;
        }
      json_object_set_string_member (close, "note",
                                     record->status_notes != NULL ? record->status_notes
                                                                  : "closed in the source system");
      if (!act (store, number, "accept", NULL, record->updated, error) ||
          !act (store, number, "resolve", NULL, record->updated, error) ||
          !act (store, number, "close", close, record->updated, error))
        return NULL;
    }
  return g_steal_pointer (&number);
}

static void
add_refusal (GPtrArray  *refusals,
             guint       index,
             const char *id,
             const char *reason)
{
  CdOpen311Refusal *refusal = g_new0 (CdOpen311Refusal, 1);

  refusal->index = index;
  refusal->id = g_strdup (id);
  refusal->reason = g_strdup (reason);
  g_ptr_array_add (refusals, refusal);
}

static int
by_index (gconstpointer a,
          gconstpointer b)
{
  const CdOpen311Refusal *ra = *(CdOpen311Refusal * const *) a;
  const CdOpen311Refusal *rb = *(CdOpen311Refusal * const *) b;

  return ra->index < rb->index ? -1 : ra->index > rb->index;
}

/* Imports records[from, to) in one transaction (rolled back in a dry run).
 * Only when it holds are its tickets, skips and references added to
 * @imported, @skipped and @known; on failure nothing of it remains. */
static gboolean
import_range (CdStore     *store,
              GPtrArray   *records,
              guint        from,
              guint        to,
              gboolean     dry_run,
              GHashTable  *known,
              JsonArray   *imported,
              guint       *skipped,
              GError     **error)
{
  g_autoptr(GHashTable) refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint n_skipped = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (!cd_store_begin (store, error))
    return FALSE;

  for (guint i = from; i < to; i++)
    {
      CdOpen311Record *record = records->pdata[i];
      g_autofree char *ref = g_strconcat (CD_OPEN311_REF_PREFIX, record->id, NULL);
      g_autofree char *number = NULL;
      JsonObject *object;

      /* Imported before, or earlier in this dump. */
      if (g_hash_table_contains (known, ref) || g_hash_table_contains (refs, ref))
        {
          n_skipped++;
          continue;
        }
      if ((number = import_record (store, record, ref, error)) == NULL)
        {
          cd_store_rollback (store);
          return FALSE;
        }

      object = json_object_new ();
      json_object_set_int_member (object, "index", record->index);
      json_object_set_string_member (object, "id", record->id);
      json_object_set_string_member (object, "number", number);
      json_object_set_string_member (object, "category", record->category);
      json_object_set_string_member (object, "status", record->closed ? "closed" : "open");
      g_ptr_array_add (done, object);
      g_hash_table_insert (refs, g_steal_pointer (&ref), g_steal_pointer (&number));
    }

  if (dry_run)
    cd_store_rollback (store);
  else if (!cd_store_commit (store, error))
    return FALSE;

  for (guint i = 0; i < done->len; i++)
    json_array_add_object_element (imported, json_object_ref (done->pdata[i]));
  g_hash_table_iter_init (&iter, refs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_iter_steal (&iter);
      g_hash_table_insert (known, key, value);
    }
  *skipped += n_skipped;
  return TRUE;
}

static int
import_open311 (int    argc,
                char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) refusals = NULL;
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(JsonArray) imported = json_array_new ();
  g_autofree char *db = NULL;
  g_autofree char *contents = NULL;
  gboolean json = FALSE, dry_run = FALSE;
  guint skipped = 0, n_records;
  int status = CD_CLI_EXIT_OK;
  gsize len = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check every record but write nothing"),
      NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE DUMP.json",
                        _("Imports an Open311 GeoReport v2 requests dump (a bare array or "
                          "{\"service_requests\":[…]}) as tickets. Records already imported are "
                          "skipped. Exits 0 when every record was taken, 1 when some were refused "
                          "(the others are imported), 2 when the file cannot be read."),
                        entries, 1, &status))
    return status;

  if (!g_file_get_contents (argv[1], &contents, &len, &error) ||
      !json_parser_load_from_data (parser, contents, len, &error))
    {
      g_autofree char *message = g_strdup_printf (_("cannot read “%s”: %s"), argv[1],
                                                  error->message);

      return cd_cli_db_fail (argv[0], message);
    }
  if ((records = cd_open311_parse_dump (json_parser_get_root (parser), &refusals, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", argv[1], error->message);

      return cd_cli_db_fail (argv[0], message);
    }

  n_records = records->len + refusals->len;
  if ((store = cd_cli_db_open (argv[0], db, FALSE, &status)) == NULL)
    return status;
  if ((known = cd_store_list_external_refs (store, CD_OPEN311_REF_PREFIX, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  for (guint from = 0; from < records->len; from += IMPORT_BATCH)
    {
      guint to = MIN (from + IMPORT_BATCH, records->len);
      g_autoptr(GError) local_error = NULL;

      if (import_range (store, records, from, to, dry_run, known, imported, &skipped, &local_error))
        continue;
      if (local_error->domain != CD_DISPATCH_ERROR)
        return cd_cli_db_fail (argv[0], local_error->message);

      /* The dispatch table refused a record: the batch was rolled back.
       * Again one record per transaction, so that only that one is lost. */
      for (guint i = from; i < to; i++)
        {
          CdOpen311Record *record = records->pdata[i];

          g_clear_error (&local_error);
          if (import_range (store, records, i, i + 1, dry_run, known, imported, &skipped,
                            &local_error))
            continue;
          if (local_error->domain != CD_DISPATCH_ERROR)
            return cd_cli_db_fail (argv[0], local_error->message);
          add_refusal (refusals, record->index, record->id, local_error->message);
        }
    }

  /* Refusals in the dump's order, whichever step found them. */
  g_ptr_array_sort (refusals, by_index);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();
      JsonArray *refused = json_array_new ();

      for (guint i = 0; i < refusals->len; i++)
        {
          CdOpen311Refusal *r = refusals->pdata[i];
          JsonObject *item = json_object_new ();

          json_object_set_int_member (item, "index", r->index);
          if (r->id != NULL)
            json_object_set_string_member (item, "id", r->id);
          else
            json_object_set_null_member (item, "id");
          json_object_set_string_member (item, "reason", r->reason);
          json_array_add_object_element (refused, item);
        }
      json_object_set_boolean_member (object, "dry_run", dry_run);
      json_object_set_int_member (object, "records", n_records);
      json_object_set_int_member (object, "imported", json_array_get_length (imported));
      json_object_set_int_member (object, "skipped", skipped);
      json_object_set_int_member (object, "refused", refusals->len);
      json_object_set_array_member (object, "tickets", json_array_ref (imported));
      json_object_set_array_member (object, "refusals", refused);
      json_node_take_object (node, object);
      cd_cli_db_print_json (node);
    }
  else
    {
      for (guint i = 0; i < refusals->len; i++)
        {
          CdOpen311Refusal *r = refusals->pdata[i];

          if (r->id != NULL)
            fprintf (stderr, _("%s: record %u (service_request_id %s) refused: %s\n"),
                     argv[0], r->index, r->id, r->reason);
          else
            fprintf (stderr, _("%s: record %u refused: %s\n"), argv[0], r->index, r->reason);
        }
      printf (dry_run ? _("Would import %u, skip %u already imported, refuse %u.\n")
                      : _("Imported %u, skipped %u already imported, refused %u.\n"),
              json_array_get_length (imported), skipped, refusals->len);
    }
  return refusals->len > 0 ? CD_CLI_EXIT_FOUND : CD_CLI_EXIT_OK;
}

/* citydeskctl import queue-log {{{1 */

/* Calls per transaction, as for Open311's records. */
#define QUEUE_LOG_BATCH 1024
#define QUEUE_LOG_CHUNK (1 << 20)

static gboolean
add_calls (CdStore    *store,
           GPtrArray  *calls,
           guint      *imported,
           guint      *known,
           GError    **error)
{
  guint added_here = 0, known_here = 0;

  if (calls->len == 0)
    return TRUE;
  if (!cd_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < calls->len; i++)
    {
      gboolean added = FALSE;

      if (!cd_store_add_call (store, calls->pdata[i], &added, error))
        {
          cd_store_rollback (store);
          return FALSE;
        }
      added ? added_here++ : known_here++;
    }
  if (!cd_store_commit (store, error))
    return FALSE;
  *imported += added_here;
  *known += known_here;
  return TRUE;
}

static void
print_problems (const char *prog,
                const char *file,
                GPtrArray  *problems,
                guint      *skipped)
{
  for (guint i = 0; i < problems->len; i++)
    {
      CdQueueLogProblem *p = problems->pdata[i];

      fprintf (stderr, _("%s: %s: line %u skipped: %s\n"), prog, file, p->line, p->message);
    }
  *skipped += problems->len;
}

static int
import_queue_log (int    argc,
                  char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdQueueLog) log = NULL;
  g_autoptr(GPtrArray) open_calls = NULL;
  g_autofree char *db = NULL;
  g_autofree char *format = NULL;
  g_autofree char *zone_name = NULL;
  g_autofree char *buffer = NULL;
  CdQueueLogFormat log_format = CD_QUEUE_LOG_AUTO;
  guint imported = 0, known = 0, skipped = 0, waiting = 0;
  int status = CD_CLI_EXIT_OK;
  FILE *file;
  gsize n;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database"), N_("FILE") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("flat (the queue_log file) or csv (the realtime table’s export); told by the first "
         "line when not given"), N_("FORMAT") },
    { "time-zone", 0, 0, G_OPTION_ARG_STRING, &zone_name,
      N_("The PBX’s time zone, for times written as dates (UTC when not given)"), N_("ZONE") },
    { NULL }
  };

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE QUEUE_LOG",
                        _("Imports Asterisk’s queue_log (the flat file or the realtime table’s CSV "
                          "export): one call in the journal for each call that ended. Calls "
                          "already imported are skipped; lines that cannot be read are named on "
                          "standard error and skipped. Exits 0, or 2 when the file cannot be "
                          "read."),
                        entries, 1, &status))
    return status;
  if (format != NULL && g_str_equal (format, "flat"))
    log_format = CD_QUEUE_LOG_FLAT;
  else if (format != NULL && g_str_equal (format, "csv"))
    log_format = CD_QUEUE_LOG_CSV;
  else if (format != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("unknown format “%s” (flat or csv)"), format);

      return cd_cli_db_fail (argv[0], message);
    }

  log = cd_queue_log_new (log_format);
  if (zone_name != NULL)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_name);

      if (zone == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("unknown time zone “%s”"), zone_name);

          return cd_cli_db_fail (argv[0], message);
        }
      cd_queue_log_set_time_zone (log, zone);
    }
  if ((file = fopen (argv[1], "rb")) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("cannot read “%s”: %s"), argv[1],
                                                  g_strerror (errno));

      return cd_cli_db_fail (argv[0], message);
    }
  if ((store = cd_cli_db_open (argv[0], db, FALSE, &status)) == NULL)
    {
      fclose (file);
      return status;
    }

  buffer = g_malloc (QUEUE_LOG_CHUNK);
  do
    {
      g_autoptr(GPtrArray) calls = NULL;
      g_autoptr(GPtrArray) problems = NULL;

      n = fread (buffer, 1, QUEUE_LOG_CHUNK, file);
      if (n > 0)
        cd_queue_log_feed (log, buffer, n);
      else
        cd_queue_log_finish (log);
      problems = cd_queue_log_take_problems (log);
      print_problems (argv[0], argv[1], problems, &skipped);
      calls = cd_queue_log_take_calls (log);
      for (guint from = 0; from < calls->len; from += QUEUE_LOG_BATCH)
        {
          g_autoptr(GPtrArray) part = g_ptr_array_new ();

          for (guint i = from; i < MIN (from + QUEUE_LOG_BATCH, calls->len); i++)
            g_ptr_array_add (part, calls->pdata[i]);
          if (!add_calls (store, part, &imported, &known, &error))
            {
              fclose (file);
              return cd_cli_db_fail (argv[0], error->message);
            }
        }
    }
  while (n > 0);

  if (ferror (file))
    {
      g_autofree char *message = g_strdup_printf (_("cannot read “%s”: %s"), argv[1],
                                                  g_strerror (errno));

      fclose (file);
      return cd_cli_db_fail (argv[0], message);
    }
  fclose (file);

  /* Lines, but not one a queue_log could have written. */
  if (cd_queue_log_get_n_records (log) == 0 && skipped > 0)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a queue_log: no line could be "
                                                    "read"), argv[1]);

      return cd_cli_db_fail (argv[0], message);
    }

  open_calls = cd_queue_log_get_open_calls (log);
  for (guint i = 0; i < open_calls->len; i++)
    waiting += ((CdCall *) open_calls->pdata[i])->outcome == CD_CALL_WAITING;
  printf (_("Imported %u calls, %u already in the journal; skipped %u lines; %u calls still "
            "open (%u waiting, %u talking).\n"),
          imported, known, skipped, open_calls->len, waiting, open_calls->len - waiting);
  if (cd_queue_log_get_n_unknown (log) > 0)
    printf (_("%u lines with events this version does not know were kept out of the calls.\n"),
            cd_queue_log_get_n_unknown (log));
  return CD_CLI_EXIT_OK;
}

/* citydeskctl import {{{1 */

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n%s\n",
           _("Usage: citydeskctl import open311 --db FILE DUMP.json [--dry-run] [--json]"),
           _("       citydeskctl import queue-log --db FILE QUEUE_LOG [--format flat|csv] "
             "[--time-zone ZONE]"));
}

int
cd_cli_import (int    argc,
               char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  if (!g_str_equal (argv[1], "open311") && !g_str_equal (argv[1], "queue-log"))
    {
      fprintf (stderr, _("%s: unknown format “%s” (known: open311, queue-log)\n"), argv[0],
               argv[1]);
      return CD_CLI_EXIT_ERROR;
    }

  prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if (g_str_equal (argv[1], "queue-log"))
    {
      argv[1] = prog;
      return import_queue_log (argc - 1, argv + 1);
    }
  argv[1] = prog;
  return import_open311 (argc - 1, argv + 1);
}
