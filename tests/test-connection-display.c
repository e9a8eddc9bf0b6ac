// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-connection-indicator.h"

#include "cd-test.h"

static void
test_states (void)
{
  static const struct {
    CdConnectionState  state;
    const char        *label;
    const char        *icon_name;
  } cases[] = {
    { CD_CONNECTION_STATE_NOT_CONFIGURED, "Not connected", "network-offline-symbolic" },
    { CD_CONNECTION_STATE_CONNECTING, "Connecting…", "network-idle-symbolic" },
    { CD_CONNECTION_STATE_SYNCING, "Syncing", "emblem-synchronizing-symbolic" },
    { CD_CONNECTION_STATE_ONLINE, "Online", "network-transmit-receive-symbolic" },
    { CD_CONNECTION_STATE_OFFLINE, "Offline", "network-offline-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CdConnectionDisplay) display = { 0 };

      cd_connection_display_init (&display, cases[i].state, NULL);
      g_assert_cmpstr (display.label, ==, cases[i].label);
      g_assert_cmpstr (display.icon_name, ==, cases[i].icon_name);
      g_assert_nonnull (display.tooltip);
    }
}

static void
test_offline_since (void)
{
  g_auto(CdConnectionDisplay) display = { 0 };
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) since = g_date_time_new (tz, 2026, 11, 23, 14, 5, 30);

  cd_connection_display_init (&display, CD_CONNECTION_STATE_OFFLINE, since);
  g_assert_cmpstr (display.label, ==, "Offline since 14:05");
  /* Not colour alone: the offline state also has its own icon and words. */
  g_assert_cmpstr (display.css_class, ==, "offline");
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/connection-display/states", test_states);
  g_test_add_func ("/connection-display/offline-since", test_offline_since);

  return g_test_run ();
}
