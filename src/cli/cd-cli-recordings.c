// SPDX-License-Identifier: GPL-3.0-or-later
//
// citydeskctl recordings scan: links the recordings in a folder to their
// calls by uniqueid and analyses the new ones, as citydesk-server does
// at start; citydeskctl recordings list: the linked recordings and their
// figures (docs/recordings.md).

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-store-recordings.h"

static int
recordings_scan (int    argc,
                 char **argv)
{
  g_autofree char *db = NULL, *dir = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, N_("The recordings folder"), "DIR" },
    { NULL }
  };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdRecordingScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE --dir DIR",
                        _("Link the recordings in a folder to their calls by uniqueid and "
                          "analyse the new ones."),
                        entries, 0, &status))
    return status;
  if (dir == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("missing option %s (see --help)"), "--dir");

      return cd_cli_db_fail (argv[0], message);
    }
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_scan_recordings (store, dir, g_get_real_time () / G_USEC_PER_SEC, NULL,
                                 &scan, &error))
    return cd_cli_db_fail (argv[0], error->message);

  for (guint i = 0; i < scan->problems->len; i++)
    fprintf (stderr, "%s: %s\n", argv[0], (const char *) scan->problems->pdata[i]);
  printf (_("%u recording files: %u calls newly linked, %u already linked, %u files of no known "
            "call, %u refused\n"),
          scan->n_files, scan->n_linked, scan->n_known, scan->n_unmatched,
          scan->problems->len);
  return scan->problems->len > 0 ? CD_CLI_EXIT_FOUND : CD_CLI_EXIT_OK;
}

static void
print_recording (const CdRecording *recording)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *figures, *talk;
  g_autofree char *duration = NULL;

  duration = recording->duration_ms >= 0
               ? g_strdup_printf ("%.1f s", (double) recording->duration_ms / 1000.0)
               : g_strdup ("-");
  if (recording->figures == NULL ||
      (node = json_from_string (recording->figures, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (node))
    {
      printf ("%s  %s  %s  %s\n", recording->call, recording->path, duration,
              recording->note != NULL ? recording->note : "");
      return;
    }
  figures = json_node_get_object (node);
  talk = json_object_get_object_member (figures, "talk_share");
  /* Translators: the figures of one recording, after its call and path:
   * each side's talk, the dead air, the overtalk (percentages) and the
   * longest silence in seconds. */
  printf (_("%s  %s  %s  operator %.0f%%  resident %.0f%%  silence %.0f%%  overtalk %.0f%%  "
            "longest silence %.1f s\n"),
          recording->call, recording->path, duration,
          100 * json_object_get_double_member_with_default (talk, "operator", 0),
          100 * json_object_get_double_member_with_default (talk, "resident", 0),
          100 * json_object_get_double_member_with_default (figures, "silence_share", 0),
          100 * json_object_get_double_member_with_default (figures, "overtalk_share", 0),
          (double) json_object_get_int_member_with_default (figures, "longest_silence_ms", 0) /
            1000.0);
}

static int
recordings_list (int    argc,
                 char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database file"), "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!cd_cli_db_parse (&argc, &argv, "--db FILE [--json]",
                        _("The recordings linked to calls, with their figures."),
                        entries, 0, &status))
    return status;
  if ((store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;
  if (!cd_store_list_recordings (store, &recordings, &error))
    return cd_cli_db_fail (argv[0], error->message);

  if (json)
    {
      /* The figures as the detector wrote them, not re-printed. */
      printf ("{\"recordings\":[");
      for (guint i = 0; i < recordings->len; i++)
        {
          g_autofree char *text = cd_recording_to_json_text (recordings->pdata[i], &error);

          if (text == NULL)
            return cd_cli_db_fail (argv[0], error->message);
          printf ("%s%s", i > 0 ? ",\n" : "\n", text);
        }
      printf ("\n]}\n");
      return CD_CLI_EXIT_OK;
    }
  for (guint i = 0; i < recordings->len; i++)
    print_recording (recordings->pdata[i]);
  return CD_CLI_EXIT_OK;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n%s\n",
           _("Usage: citydeskctl recordings scan --db FILE --dir DIR"),
           _("       citydeskctl recordings list --db FILE [--json]"));
}

int
cd_cli_recordings (int    argc,
                   char **argv)
{
  g_autofree char *prog = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  if (!g_str_equal (argv[1], "scan") && !g_str_equal (argv[1], "list"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s” (known: scan, list)\n"), argv[0], argv[1]);
      return CD_CLI_EXIT_ERROR;
    }
  prog = g_strdup_printf ("%s %s", argv[0], argv[1]);
  if (g_str_equal (argv[1], "scan"))
    {
      argv[1] = prog;
      return recordings_scan (argc - 1, argv + 1);
    }
  argv[1] = prog;
  return recordings_list (argc - 1, argv + 1);
}
