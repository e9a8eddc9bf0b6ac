// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "cd-application.h"
#include "cd-locale.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(CdApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  cd_locale_init ();
  if (!cd_locale_check (&error))
    fprintf (stderr, "citydesk: %s\n", error->message);

  app = cd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
