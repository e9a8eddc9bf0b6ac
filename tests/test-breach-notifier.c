// SPDX-License-Identifier: GPL-3.0-or-later
//
// New-breach notifications over a real cache (a demo city written by
// citydeskctl): silent at the first look, batched per executor later, and
// quiet again right after.

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cd-breach-notifier.h"
#include "cd-session.h"
#include "cd-test.h"
#include "cd-test-ctl.h"

typedef struct
{
  gboolean done;
  guint    sent;
} Scan;

static void
on_scanned (CdBreachNotifier *notifier,
            guint             sent,
            Scan             *scan)
{
  scan->done = TRUE;
  scan->sent = sent;
}

static gboolean
scanned (gpointer data)
{
  return ((Scan *) data)->done;
}

/* A look at the cache as at @iso (the context's clock), off the main loop:
 * the notifications it sent. */
static guint
scan_at (CdBreachNotifier *notifier,
         const char       *iso)
{
  Scan scan = { FALSE, 0 };
  gulong id = g_signal_connect (notifier, "scanned", G_CALLBACK (on_scanned), &scan);

  g_setenv ("CITYDESK_NOW", iso, TRUE);
  cd_breach_notifier_scan (notifier);
  cd_test_wait_for (scanned, &scan, "a scan of the cache");
  g_signal_handler_disconnect (notifier, id);
  g_unsetenv ("CITYDESK_NOW");
  return scan.sent;
}

static void
test_scan (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), "city.db", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CdSession) session = NULL;
  g_autoptr(CdContext) context = NULL;
  g_autoptr(CdBreachNotifier) notifier = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_cmpint (cd_test_ctl (&out, NULL, "demo", "generate", "--db", db, "--days", "10",
                                "--tickets-per-day", "400", "--end", "2026-03-12T00:00:00+03:00",
                                NULL),
                   ==, 0);

  g_setenv ("CITYDESK_CACHE", db, TRUE);
  app = g_application_new ("org.citydesk.CitydeskTest", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  settings = g_settings_new ("org.citydesk.Citydesk");
  session = cd_session_new (settings);
  g_assert_true (cd_session_resume (session, FALSE));
  context = cd_context_new (session);
  notifier = cd_breach_notifier_new (app, context);

  /* What is overdue at the first look is not news. */
  g_assert_cmpuint (scan_at (notifier, "2026-03-10T11:00:00+03:00"), ==, 0);
  /* A working day later many more deadlines have passed: one
   * notification per executor with new breaches, not one per ticket. */
  {
    guint sent = scan_at (notifier, "2026-03-11T11:00:00+03:00");

    g_test_message ("notifications: %u", sent);
    g_assert_cmpuint (sent, >, 0);
    g_assert_cmpuint (sent, <=, 20);
  }
  /* Right after: nothing new, nothing sent. */
  g_assert_cmpuint (scan_at (notifier, "2026-03-11T11:01:00+03:00"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/breach-notifier/scan", test_scan);

  return g_test_run ();
}
