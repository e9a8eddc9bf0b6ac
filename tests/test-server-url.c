// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-server-url.h"

#include "cd-test.h"

static void
test_valid (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "citydesk.example.org", "https://citydesk.example.org" },
    { "  citydesk.example.org/  ", "https://citydesk.example.org" },
    { "HTTPS://CityDesk.Example.ORG:8443/", "https://citydesk.example.org:8443" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://[::1]:8080/", "http://[::1]:8080" },
    { "https://example.org/citydesk//", "https://example.org/citydesk" },
    { "localhost:8080", "https://localhost:8080" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = cd_server_url_normalize (cases[i].input, &error);

      g_test_message ("input: “%s”", cases[i].input);
      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

static void
test_invalid (void)
{
  static const struct {
    const char *input;
    int         code;
  } cases[] = {
    { "", CD_SERVER_URL_ERROR_EMPTY },
    { "   ", CD_SERVER_URL_ERROR_EMPTY },
    { "ftp://example.org", CD_SERVER_URL_ERROR_UNSUPPORTED_SCHEME },
    { "ws://example.org", CD_SERVER_URL_ERROR_UNSUPPORTED_SCHEME },
    { "https://", CD_SERVER_URL_ERROR_INVALID },
    { "https://exa mple.org", CD_SERVER_URL_ERROR_INVALID },
    { "https://example.org:99999", CD_SERVER_URL_ERROR_INVALID },
    { "https://admin:secret@example.org", CD_SERVER_URL_ERROR_EXTRA_PARTS },
    { "https://example.org/?token=1", CD_SERVER_URL_ERROR_EXTRA_PARTS },
    { "https://example.org/#top", CD_SERVER_URL_ERROR_EXTRA_PARTS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = cd_server_url_normalize (cases[i].input, &error);

      g_test_message ("input: “%s”", cases[i].input);
      g_assert_null (url);
      g_assert_error (error, CD_SERVER_URL_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/server-url/valid", test_valid);
  g_test_add_func ("/server-url/invalid", test_invalid);

  return g_test_run ();
}
