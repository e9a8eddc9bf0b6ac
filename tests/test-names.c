// SPDX-License-Identifier: GPL-3.0-or-later
//
// Names, never codes: every code of each vocabulary a person reads has a
// name, an unknown code falls back to itself (visible, never blank), and
// the demo city names its organizations and districts in all five
// languages. Run with LANGUAGE=ru, it checks the Russian names.

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "cd-category.h"
#include "cd-demo-city.h"
#include "cd-demo-names.h"
#include "cd-dispatch.h"
#include "cd-sla-policy.h"
#include "cd-test.h"

static gboolean
is_russian (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && g_str_has_prefix (language, "ru");
}

static void
assert_named (const char *label,
              const char *code)
{
  g_assert_nonnull (label);
  g_assert_cmpstr (label, !=, "");
  /* A name is not its code, not even in English. */
  g_assert_cmpstr (label, !=, code);
}

static void
test_dispatch_vocabularies (void)
{
  const char * const *channels;
  guint n;

  for (CdTicketState s = 0; s < CD_TICKET_N_STATES; s++)
    {
      assert_named (cd_ticket_state_get_label (s), cd_ticket_state_to_string (s));
      g_assert_cmpstr (cd_ticket_state_label_for_code (cd_ticket_state_to_string (s)), ==,
                       cd_ticket_state_get_label (s));
    }
  for (CdTicketKind k = 0; k < CD_TICKET_N_KINDS; k++)
    {
      assert_named (cd_ticket_kind_get_label (k), cd_ticket_kind_to_string (k));
      g_assert_cmpstr (cd_ticket_kind_label_for_code (cd_ticket_kind_to_string (k)), ==,
                       cd_ticket_kind_get_label (k));
    }
  for (CdRole r = 0; r < CD_N_ROLES; r++)
    {
      assert_named (cd_role_get_label (r), cd_role_to_string (r));
      g_assert_cmpstr (cd_role_label_for_code (cd_role_to_string (r)), ==, cd_role_get_label (r));
    }
  for (CdAction a = 0; a < CD_N_ACTIONS; a++)
    {
      assert_named (cd_action_get_label (a), cd_action_to_string (a));
      g_assert_cmpstr (cd_action_label_for_code (cd_action_to_string (a)), ==,
                       cd_action_get_label (a));
    }
  channels = cd_channel_get_all (&n);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    assert_named (cd_channel_label_for_code (channels[i]), channels[i]);

  if (!is_russian ())
    {
      g_assert_cmpstr (cd_ticket_state_label_for_code ("in_progress"), ==, "In progress");
      g_assert_cmpstr (cd_ticket_kind_label_for_code ("emergency"), ==, "Emergency");
      g_assert_cmpstr (cd_role_label_for_code ("qc"), ==, "Quality controller");
      g_assert_cmpstr (cd_action_label_for_code ("close_unconfirmed"), ==, "Close unconfirmed");
      g_assert_cmpstr (cd_channel_label_for_code ("walk_in"), ==, "In person");
    }
  else
    g_assert_cmpstr (cd_ticket_state_label_for_code ("assigned"), ==, "Назначена");
}

static void
test_unknown_codes (void)
{
  /* An unknown code is shown as it is: a visible oddity, not a blank. */
  g_assert_cmpstr (cd_ticket_state_label_for_code ("on_fire"), ==, "on_fire");
  g_assert_cmpstr (cd_ticket_kind_label_for_code ("urgent"), ==, "urgent");
  g_assert_cmpstr (cd_role_label_for_code ("janitor"), ==, "janitor");
  g_assert_cmpstr (cd_action_label_for_code ("delete"), ==, "delete");
  g_assert_cmpstr (cd_channel_label_for_code ("pigeon"), ==, "pigeon");
  g_assert_cmpstr (cd_category_label_for_code ("housing.garden"), ==, "housing.garden");
  g_assert_cmpstr (cd_sla_target_label_for_code ("paperwork"), ==, "paperwork");
  g_assert_cmpstr (cd_demo_names_executor_label ("zhes-99"), ==, "zhes-99");
  g_assert_cmpstr (cd_demo_names_district_label ("Nowhere"), ==, "Nowhere");
  g_assert_null (cd_demo_names_executor ("zhes-99", "ru"));
  g_assert_null (cd_ticket_state_label_for_code (NULL));
  g_assert_null (cd_category_label_for_code (NULL));
  g_assert_null (cd_demo_names_executor_label (NULL));
  {
    g_autofree char *path = cd_category_dup_path_label ("housing.garden");

    g_assert_cmpstr (path, ==, "housing.garden");
  }
}

static void
test_categories (void)
{
  const CdCategory *categories;
  guint n;

  categories = cd_category_get_all (&n);
  for (guint i = 0; i < n; i++)
    {
      const char *label = cd_category_label_for_code (categories[i].id);
      g_autofree char *path = cd_category_dup_path_label (categories[i].id);

      assert_named (label, categories[i].id);
      /* The leaf's own name, after its group's where it has one. */
      g_assert_true (g_str_has_suffix (path, label));
      if (categories[i].parent != NULL)
        {
          g_autofree char *start = g_strconcat (cd_category_label_for_code (categories[i].parent),
                                                " ", NULL);

          g_assert_true (g_str_has_prefix (path, start));
        }
      else
        g_assert_cmpstr (path, ==, label);
    }
  if (!is_russian ())
    {
      g_autofree char *path = cd_category_dup_path_label ("housing.heating");

      g_assert_cmpstr (cd_category_label_for_code ("housing.heating"), ==, "Heating");
      g_assert_cmpstr (path, ==, "Housing and utilities › Heating");
    }
  else
    g_assert_cmpstr (cd_category_label_for_code ("housing.heating"), ==, "Отопление");
}

/* Every stage the shipped policies time has a name, and every policy a
 * short name in each of the five languages. */
static void
test_policies (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("CITYDESK_DATA_DIR"), "policies", NULL);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char * const *languages;
  const char *name;
  guint n_languages;
  guint n_policies = 0;

  g_assert_nonnull (folder);
  languages = cd_demo_names_get_languages (&n_languages);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *json = NULL;
      g_autoptr(CdSlaPolicy) policy = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      g_assert_true (g_file_get_contents (path, &json, NULL, NULL));
      policy = cd_sla_policy_new_from_json (json, -1, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < cd_sla_policy_get_n_targets (policy); i++)
        {
          const char *target = cd_sla_policy_get_target (policy, i)->name;

          assert_named (cd_sla_target_label_for_code (target), target);
        }
      for (guint l = 0; l < n_languages; l++)
        {
          const char *short_name = cd_sla_policy_get_name (policy, languages[l]);

          assert_named (short_name, cd_sla_policy_get_id (policy));
          /* A name of its own in each language, not the title. */
          g_assert_cmpstr (short_name, !=, cd_sla_policy_get_title (policy));
        }
      n_policies++;
    }
  g_assert_cmpuint (n_policies, >, 0);
  if (!is_russian ())
    g_assert_cmpstr (cd_sla_target_label_for_code ("acceptance"), ==, "Acceptance");
}

static void
test_policy_names_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaPolicy) policy = NULL;

  policy = cd_sla_policy_new_from_json ("{\"id\": \"p\", \"version\": 1, \"names\": {\"ru\": 3},"
                                        " \"applies_to\": {}, \"targets\": [{\"name\": \"x\","
                                        " \"start\": \"register\", \"stop\": \"resolve\"}]}",
                                        -1, &error);
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TYPE);
  g_assert_null (policy);
}

static void
test_demo_names (void)
{
  CdDemoOptions options;
  g_autoptr(CdDemoCity) city = NULL;
  g_autoptr(GError) error = NULL;
  const CdDemoExecutor *executors;
  const CdDemoDistrict *districts;
  const char * const *languages;
  guint n_executors, n_districts, n_languages;

  cd_demo_options_init (&options);
  options.days = 1;
  city = cd_demo_city_new (&options, &error);
  g_assert_no_error (error);
  executors = cd_demo_city_get_executors (city, &n_executors);
  districts = cd_demo_city_get_districts (city, &n_districts);
  languages = cd_demo_names_get_languages (&n_languages);
  g_assert_cmpuint (n_languages, ==, 5);

  /* Every organization and district of the model, in every language; only
   * English may write a district as its code does. */
  for (guint l = 0; l < n_languages; l++)
    {
      for (guint i = 0; i < n_executors; i++)
        assert_named (cd_demo_names_executor (executors[i].id, languages[l]), executors[i].id);
      for (guint i = 0; i < n_districts; i++)
        {
          const char *name = cd_demo_names_district (districts[i].name, languages[l]);

          g_assert_nonnull (name);
          if (!g_str_equal (languages[l], "en"))
            assert_named (name, districts[i].name);
        }
    }
  g_assert_cmpstr (cd_demo_names_executor ("zhes-3", "en"), ==, "ZhES No. 3");
  g_assert_cmpstr (cd_demo_names_executor ("zhes-3", "ru"), ==, "ЖЭС № 3");
  g_assert_cmpstr (cd_demo_names_executor ("heating", "uk"), ==, "Теплові мережі");
  g_assert_cmpstr (cd_demo_names_district ("Tsentralny", "be"), ==, "Цэнтральны");
  /* A language the names are not in reads English. */
  g_assert_cmpstr (cd_demo_names_executor ("heating", "de"), ==, "Heating network");

  g_assert_cmpstr (cd_demo_names_executor_label ("zhes-3"), ==,
                   is_russian () ? "ЖЭС № 3" : "ZhES No. 3");
}

static void
test_pick_language (void)
{
  static const struct {
    const char *locales[4];
    const char *language;
  } cases[] = {
    { { "ru_RU.UTF-8", "ru_RU", "ru", NULL }, "ru" },
    { { "uk-UA", NULL }, "uk" },
    { { "de_DE", "be_BY@latin", NULL }, "be" },
    { { "KK", NULL }, "kk" },
    { { "en;q=0.5", NULL }, "en" },
    { { "de", "fr", "C", NULL }, "en" },
    { { "r", "rus", NULL }, "en" },
    { { NULL }, "en" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (cd_demo_names_pick_language (cases[i].locales), ==, cases[i].language);
  g_assert_cmpstr (cd_demo_names_pick_language (NULL), ==, "en");
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("CITYDESK_TEST_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  cd_test_init (&argc, &argv, NULL);
  g_test_add_func ("/names/dispatch-vocabularies", test_dispatch_vocabularies);
  g_test_add_func ("/names/unknown-codes", test_unknown_codes);
  g_test_add_func ("/names/categories", test_categories);
  g_test_add_func ("/names/policies", test_policies);
  g_test_add_func ("/names/policy-names-invalid", test_policy_names_invalid);
  g_test_add_func ("/names/demo-names", test_demo_names);
  g_test_add_func ("/names/pick-language", test_pick_language);
  return g_test_run ();
}
