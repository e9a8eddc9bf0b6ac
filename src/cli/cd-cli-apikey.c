// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-apikey.c: citydeskctl apikey add, list and revoke: the Open311
 * api keys
 *
 * An Open311 client (a city's app, a public portal) needs an api_key to
 * POST requests. The key is made here from the kernel's random source and
 * printed once; the database keeps only its hash, as it does for tokens.
 * Rotating a key is adding a new one for a new holder name, giving it
 * out, and revoking the old name (docs/security.md).
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "cd-cli.h"
#include "cd-cli-db.h"
#include "cd-store-users.h"

#define KEY_BYTES 24

static char *
new_key (GError **error)
{
  guchar bytes[KEY_BYTES];
  g_autofree char *encoded = NULL;
  gsize done = 0;

  while (done < sizeof bytes)
    {
      ssize_t n = getrandom (bytes + done, sizeof bytes - done, 0);

      if (n < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("No random bytes for a key: %s"),
                       g_strerror (errno));
          return NULL;
        }
      done += (gsize) n;
    }

  /* base64url without padding: safe in a form field and in a URL. */
  encoded = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  *strchrnul (encoded, '=') = '\0';
  return g_steal_pointer (&encoded);
}

static int
apikey_add (int    argc,
            char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *key = NULL;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE HOLDER",
          _("Makes a new Open311 api_key for HOLDER (an app or a portal) and prints it. "
             "Only its hash is stored: keep the printed key."),
          entries, 1, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  if ((key = new_key (&error)) == NULL ||
      !cd_store_add_api_key (store, key, argv[1], g_get_real_time () / G_USEC_PER_SEC, &error))
    return cd_cli_db_fail (argv[0], error->message);

  printf ("%s\n", key);
  return CD_CLI_EXIT_OK;
}

static int
apikey_list (int    argc,
             char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  int status = CD_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE",
          _("Lists who holds an Open311 api_key, when it was made and when it was revoked."),
          entries, 0, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  if ((keys = cd_store_list_api_keys (store, &error)) == NULL)
    return cd_cli_db_fail (argv[0], error->message);

  for (guint i = 0; i < keys->len; i++)
    {
      CdApiKey *key = g_ptr_array_index (keys, i);
      g_autofree char *created = cd_cli_db_format_time (key->created_at);
      g_autofree char *revoked = key->revoked_at != 0 ? cd_cli_db_format_time (key->revoked_at)
                                                      : NULL;
      g_autofree char *name = g_strescape (key->name, NULL);

      if (revoked != NULL)
        /* Translators: an api key's holder, when it was made, when it was revoked. */
        printf (_("%s\tmade %s\trevoked %s\n"), name, created, revoked);
      else
        /* Translators: an api key's holder and when it was made. */
        printf (_("%s\tmade %s\tworks\n"), name, created);
    }
  return CD_CLI_EXIT_OK;
}

static int
apikey_revoke (int    argc,
               char **argv)
{
  g_autoptr(CdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  int status = CD_CLI_EXIT_OK;
  gint64 n;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The server’s database"), N_("FILE") },
    { NULL }
  };

  if (!cd_cli_db_parse (
          &argc, &argv, "--db FILE HOLDER",
          _("Revokes HOLDER’s Open311 api keys: a request with one is refused from now on. "
             "The record of the key stays."),
          entries, 1, &status) ||
      (store = cd_cli_db_open (argv[0], db, TRUE, &status)) == NULL)
    return status;

  n = cd_store_revoke_api_keys (store, argv[1], g_get_real_time () / G_USEC_PER_SEC, &error);
  if (n < 0)
    return cd_cli_db_fail (argv[0], error->message);
  printf (g_dngettext (GETTEXT_PACKAGE, "Revoked %d api key of “%s”.\n",
                       "Revoked %d api keys of “%s”.\n", (gulong) n),
          (int) n, argv[1]);
  return CD_CLI_EXIT_OK;
}

/**
 * cd_cli_apikey:
 * @argc: the number of arguments
 * @argv: "citydeskctl apikey", then the subcommand and its options
 *
 * Returns: the exit status
 */
int
cd_cli_apikey (int    argc,
               char **argv)
{
  g_autofree char *prog = NULL;
  const char *command;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      fprintf (argc < 2 ? stderr : stdout, "%s\n",
               _("Usage: citydeskctl apikey add|list|revoke --db FILE [HOLDER]"));
      return argc < 2 ? CD_CLI_EXIT_ERROR : CD_CLI_EXIT_OK;
    }
  if (!g_str_equal (argv[1], "add") && !g_str_equal (argv[1], "list") &&
      !g_str_equal (argv[1], "revoke"))
    {
      fprintf (stderr, _("%s: unknown subcommand “%s”\n"), argv[0], argv[1]);
      return CD_CLI_EXIT_ERROR;
    }

  command = argv[1];
  prog = g_strdup_printf ("%s %s", argv[0], command);
  argv[1] = prog;
  if (g_str_equal (command, "list"))
    return apikey_list (argc - 1, argv + 1);
  if (g_str_equal (command, "revoke"))
    return apikey_revoke (argc - 1, argv + 1);
  return apikey_add (argc - 1, argv + 1);
}
