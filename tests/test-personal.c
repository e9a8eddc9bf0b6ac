// SPDX-License-Identifier: GPL-3.0-or-later
//
// Residents' personal data: who sees it, and how it is masked.

#include "config.h"

#include "cd-personal.h"

#include "cd-test.h"

static void
test_mask_phone (void)
{
  static const struct { const char *phone, *masked; } cases[] = {
    { "+375 29 123-45-67", "+375 29 ***-**-67" },
    { "+375291234567", "+37529*****67" },
    { "+1 212 555 0123", "+1 212 *** **23" },
    { "80291234567", "8029*****67" },
    { "123-4567", "***-**67" },
    { "8 (017) 222-33-44", "8 (017) ***-**-44" },
    { "12", "12" },
    { "", "" },
    { "no digits", "no digits" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = cd_personal_mask_phone (cases[i].phone);

      g_assert_cmpstr (masked, ==, cases[i].masked);
    }
  g_assert_null (cd_personal_mask_phone (NULL));
}

static void
test_roles (void)
{
  static const char * const seeing[] = { "operator", "supervisor", "feedback", "admin" };
  static const char * const blind[] = { "qc", "executor", "", "Operator", "resident" };

  for (guint i = 0; i < G_N_ELEMENTS (seeing); i++)
    g_assert_true (cd_personal_role_sees (seeing[i]));
  for (guint i = 0; i < G_N_ELEMENTS (blind); i++)
    g_assert_false (cd_personal_role_sees (blind[i]));
  g_assert_false (cd_personal_role_sees (NULL));

  g_assert_true (cd_personal_is_member ("name"));
  g_assert_true (cd_personal_is_member ("phone"));
  g_assert_false (cd_personal_is_member ("description"));
  g_assert_false (cd_personal_is_member (NULL));
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/personal/mask-phone", test_mask_phone);
  g_test_add_func ("/personal/roles", test_roles);

  return g_test_run ();
}
