// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-locale.c: the programs' gettext set-up and its check */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "cd-locale.h"
#include "cd-store.h"

/**
 * cd_locale_dir:
 *
 * Returns: $CITYDESK_LOCALEDIR when set, else the installed locale
 *   directory
 */
const char *
cd_locale_dir (void)
{
  const char *dir = g_getenv ("CITYDESK_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

/**
 * cd_locale_init:
 *
 * Sets the locale from the environment and binds the text domain to
 * cd_locale_dir(), in UTF-8. Each program calls it first.
 */
void
cd_locale_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* "ru_RU.UTF-8@euro" -> "ru" */
static char *
base_language (const char *name)
{
  return g_strndup (name, strcspn (name, "_.@"));
}

static gboolean
is_shipped (const char *name)
{
  g_auto(GStrv) shipped = g_strsplit (CITYDESK_LINGUAS, " ", -1);
  g_autofree char *base = base_language (name);

  return g_strv_contains ((const char * const *) shipped, base);
}

/**
 * cd_locale_check:
 * @error: return location for an error
 *
 * Gettext falls back to English without a word when a catalogue is
 * missing, as it is in a build tree that was not installed: this says so.
 *
 * Returns: %FALSE with @error set (%CD_STORE_ERROR_NOT_FOUND) when the
 *   user's language is one Citydesk is translated into but its catalogue
 *   is not in cd_locale_dir()
 */
gboolean
cd_locale_check (GError **error)
{
  const char * const *names = g_get_language_names_with_category ("LC_MESSAGES");
  const char *wanted = NULL;
  g_autofree char *base = NULL;

  for (guint i = 0; names[i] != NULL && !g_str_equal (names[i], "C"); i++)
    {
      g_autofree char *path = g_build_filename (cd_locale_dir (), names[i], "LC_MESSAGES",
                                                GETTEXT_PACKAGE ".mo", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return TRUE;
      if (wanted == NULL && is_shipped (names[i]))
        wanted = names[i];
    }
  if (wanted == NULL)
    return TRUE;

  base = base_language (wanted);
  /* Translators: the first %s is a language code such as "ru", the second
   * a directory. It shows in English, since the translation is what is
   * missing. */
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
               _("The “%s” translation is not in “%s”, so messages are in English: run "
                 "“meson install”, run the program through “meson devenv -C _build”, or set "
                 "CITYDESK_LOCALEDIR to a directory with %s/LC_MESSAGES/%s.mo"),
               base, cd_locale_dir (), base, GETTEXT_PACKAGE);
  return FALSE;
}
