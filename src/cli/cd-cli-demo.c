// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl demo generate: writes the demo city's tickets into a store
// with src/store/cd-store-demo.c, the code citydesk-server --demo uses:
// every step goes through cd_store_append(), so the transition table
// checks each one and the hash chain covers them all. Then the demo's PBX
// (src/core/demo/cd-demo-pbx.c) runs over the same period, its queue_log
// lines read by the importer's reader (src/store/cd-store-demo-calls.c).

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-demo-city.h"
#include "cd-store-demo-calls.h"
#include "cd-store-demo.h"
#include "cd-store-recordings.h"

static gboolean
parse_end (const char  *text,
           gint64      *end,
           GError     **error)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, tz);

  if (dt == NULL)
    {
      /* A bare date: midnight in the city. */
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (midnight, tz);
    }
  if (dt == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not an ISO 8601 date or time."), text);
      return FALSE;
    }
  *end = g_date_time_to_unix (dt);
  return TRUE;
}

static void
write_line (gint64      time,
            const char *line,
            gsize       length,
            gpointer    user_data)
{
  fwrite (line, 1, length, user_data);
}

static gboolean
generate_calls (CdStore     *store,
                CdDemoCity  *city,
                guint64      seed,
                const char  *queue_log,
                guint64     *n_calls,
                GError     **error)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (CD_DEMO_CITY_UTC_OFFSET);
  g_autoptr(CdDemoPbx) pbx = cd_demo_pbx_new (seed, cd_demo_city_get_start (city), zone);
  FILE *file = NULL;
  gboolean ok;

  if (queue_log != NULL && (file = fopen (queue_log, "w")) == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), queue_log, g_strerror (saved));
      return FALSE;
    }
  ok = cd_store_demo_add_calls (store, pbx, cd_demo_city_get_end (city), seed,
                                file != NULL ? write_line : NULL, file, n_calls, error);
  if (file != NULL && (ferror (file) | fclose (file)) != 0 && ok)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot write “%s”: %s"), queue_log, g_strerror (saved));
      return FALSE;
    }
  return ok;
}

static int
demo_generate (int    argc,
               char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *queue_log = NULL;
  g_autofree char *recordings = NULL;
  gboolean no_calls = FALSE;
  guint64 n_calls = 0;
  int days = 365, per_day = 1100;
  gint64 seed = 115;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file to create"), N_("FILE") },
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Days of history (365)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("The random seed: the same seed gives the same city (115)"), N_("N") },
    { "tickets-per-day", 0, 0, G_OPTION_ARG_INT, &per_day, N_("Average tickets a day (1100)"),
      N_("N") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end_text,
      N_("The end of the period (last midnight in the city)"), N_("ISO8601") },
    { "no-calls", 0, 0, G_OPTION_ARG_NONE, &no_calls,
      N_("Leave out the calls of the simulated PBX"), NULL },
    { "queue-log", 0, 0, G_OPTION_ARG_FILENAME, &queue_log,
      N_("Also write the simulated PBX’s queue_log to this file"), N_("FILE") },
    { "recordings", 0, 0, G_OPTION_ARG_FILENAME, &recordings,
      N_("Also write recordings of a sample of the calls into this folder"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdStoreDemo) demo = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  CdDemoOptions options;
  CdDemoCity *city;
  gint64 started;

  g_option_context_set_summary (context, _("Generate a deterministic demo city and its tickets."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }
  if (db == NULL)
    {
      fprintf (stderr, _("%s: --db FILE is required\n"), argv[0]);
      return CD_CLI_EXIT_ERROR;
    }

  cd_demo_options_init (&options);
  options.seed = (guint64) seed;
  options.days = days > 0 ? (guint) days : 0;
  options.tickets_per_day = per_day > 0 ? (guint) per_day : 0;
  if (end_text != NULL && !parse_end (end_text, &options.end, &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }

  store = cd_store_open (db, &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }

  /* The whole period is history: nothing is left for later. */
  started = g_get_monotonic_time ();
  demo = cd_store_demo_new (store, &options, G_MAXINT64, TRUE, &error);
  if (demo == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }
  city = cd_store_demo_get_city (demo);

  from = g_date_time_new_from_unix_utc (cd_demo_city_get_start (city));
  to = g_date_time_new_from_unix_utc (cd_demo_city_get_end (city));
  from_text = g_date_time_format_iso8601 (from);
  to_text = g_date_time_format_iso8601 (to);
  /* Translators: the counts, the file, the period, the seconds taken. */
  printf (_("Generated %" PRIu64 " tickets and %" PRIu64 " events into %s "
             "(%s to %s) in %.1f s\n"),
          cd_store_demo_get_n_tickets (demo), cd_store_demo_get_n_events (demo), db, from_text,
          to_text, (g_get_monotonic_time () - started) / 1e6);

  if (no_calls)
    return CD_CLI_EXIT_OK;
  started = g_get_monotonic_time ();
  if (!generate_calls (store, city, (guint64) seed, queue_log, &n_calls, &error))
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return CD_CLI_EXIT_ERROR;
    }
  /* Translators: the number of calls, the seconds taken. */
  printf (_("Generated %" PRIu64 " calls of the simulated PBX in %.1f s\n"), n_calls,
          (g_get_monotonic_time () - started) / 1e6);
  if (recordings != NULL)
    {
      g_autoptr(CdRecordingScan) scan = NULL;
      guint n_written = 0;

      started = g_get_monotonic_time ();
      if (!cd_store_write_demo_recordings (store, recordings, 0, CD_DEMO_RECORDINGS_MAX,
                                           &n_written, &error) ||
          !cd_store_scan_recordings (store, recordings, g_get_real_time () / G_USEC_PER_SEC,
                                     NULL, &scan, &error))
        {
          fprintf (stderr, "%s: %s\n", argv[0], error->message);
          return CD_CLI_EXIT_ERROR;
        }
      /* Translators: the number of files, the folder, the seconds taken. */
      printf (_("Wrote %u recordings into %s and analysed them in %.1f s\n"), n_written,
              recordings, (g_get_monotonic_time () - started) / 1e6);
    }
  return CD_CLI_EXIT_OK;
}

/**
 * cd_cli_demo:
 * @argc: the argument count
 * @argv: "citydeskctl demo", then the subcommand and its options
 *
 * Returns: the exit status
 */
int
cd_cli_demo (int    argc,
             char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *stream = argc < 2 ? stderr : stdout;

      fprintf (stream, "%s\n",
               _("Usage: citydeskctl demo generate --db FILE [--days N] [--seed N] "
                  "[--tickets-per-day N] [--end ISO8601] [--no-calls] [--queue-log FILE] "
                  "[--recordings DIR]"));
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }

  if (!g_str_equal (argv[1], "generate"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s”\n"), argv[0], argv[1]);
      return CD_CLI_EXIT_ERROR;
    }

  prog = g_strdup_printf ("%s generate", argv[0]);
  argv[1] = prog;
  return demo_generate (argc - 1, argv + 1);
}
