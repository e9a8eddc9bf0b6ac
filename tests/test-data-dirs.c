// SPDX-License-Identifier: GPL-3.0-or-later
/* test-data-dirs.c: the programs find their data in the build tree through
 * `meson devenv`, and one that cannot find it says what is missing and how
 * to fix it (run `meson install`, use `meson devenv`, or set the variable) */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cd-test.h"
#include "cd-test-server.h"

/* The variables that point the programs at uninstalled data: a test that
 * wants them missing unsets them all. */
static const char * const data_vars[] = {
  "CITYDESK_DATA_DIR", "CITYDESK_LOCALEDIR", "CITYDESK_TEST_LOCALEDIR",
  "GSETTINGS_SCHEMA_DIR", "CITYDESK_SERVER",
};

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("citydesk-data-dirs-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, g_file_info_get_name (info), NULL);

      g_remove (path);
      g_object_unref (info);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

/* Runs @argv with the test's environment less the data variables, plus
 * the NULL-terminated NAME=VALUE pairs of @extra; returns the exit status. */
static int
run (const char * const  *argv,
     const char * const  *extra,
     char               **out,
     char               **err)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; i < G_N_ELEMENTS (data_vars); i++)
    g_subprocess_launcher_unsetenv (launcher, data_vars[i]);
  /* Never the installed data of an earlier `meson install`, nor the
   * developer's: the schema would be found in them. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", "/nonexistent", TRUE);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}

static void
assert_names_the_fix (const char *message,
                      const char *variable)
{
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "meson install"));
  g_assert_nonnull (strstr (message, "meson devenv"));
  g_assert_nonnull (strstr (message, variable));
}

static void
test_sla_data_missing (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "demo.db", NULL);
  const char *argv[] = { cd_test_program ("CITYDESK_CTL"), "demo", "generate", "--db", db,
                         "--days", "1", NULL };
  const char *extra[] = { "CITYDESK_DATA_DIR=/nonexistent/citydesk-data", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run (argv, extra, &out, &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/citydesk-data"));
  assert_names_the_fix (err, "CITYDESK_DATA_DIR");
}

static void
test_translation_missing (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *argv[] = { cd_test_program ("CITYDESK_CTL"), "--help", NULL };
  const char *missing[] = { "LANGUAGE=ru", "CITYDESK_LOCALEDIR=/nonexistent/citydesk-locale",
                            NULL };
  g_autofree char *built = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
  g_autofree char *built_var = g_strconcat ("CITYDESK_LOCALEDIR=", built, NULL);
  const char *found[] = { "LANGUAGE=ru", built_var, NULL };
  const char *english[] = { "LANGUAGE=en", "CITYDESK_LOCALEDIR=/nonexistent/citydesk-locale",
                            NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* The help still comes, in English, with a word on why. */
  g_assert_cmpint (run (argv, missing, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Usage: citydeskctl"));
  g_assert_nonnull (strstr (err, "“ru”"));
  assert_names_the_fix (err, "CITYDESK_LOCALEDIR");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The build's catalogues: Russian, and nothing to say. */
  g_assert_cmpint (run (argv, found, &out, &err), ==, 0);
  g_assert_null (strstr (out, "Usage: citydeskctl"));
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* English needs no catalogue. */
  g_assert_cmpint (run (argv, english, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Usage: citydeskctl"));
  g_assert_cmpstr (err, ==, "");
}

static void
test_schema_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *argv[] = { cd_test_program ("CITYDESK_APP"), "--demo", NULL };
  const char *version[] = { cd_test_program ("CITYDESK_APP"), "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* Before any window, so no display is needed. */
  g_assert_cmpint (run (argv, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, APP_ID));
  assert_names_the_fix (err, "GSETTINGS_SCHEMA_DIR");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (version, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, PACKAGE_VERSION));
}

/* The build tree through `meson devenv`, none of the test's variables. */
static void
test_devenv (Fixture       *fixture,
             gconstpointer  data)
{
  const char *meson = g_getenv ("CITYDESK_MESON");
  g_autofree char *build_root = g_path_get_dirname (g_getenv ("G_TEST_BUILDDIR"));
  g_autofree char *db = g_build_filename (fixture->dir, "demo.db", NULL);
  const char *generate[] = { meson, "devenv", "-C", build_root, "citydeskctl", "demo", "generate",
                             "--db", db, "--days", "1", NULL };
  const char *help[] = { meson, "devenv", "-C", build_root, "citydeskctl", "--help", NULL };
  const char *schema[] = { meson, "devenv", "-C", build_root, "gsettings", "list-keys", APP_ID,
                           NULL };
  const char *ru[] = { "LANGUAGE=ru", NULL };
  g_autofree char *gsettings = g_find_program_in_path ("gsettings");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (meson == NULL || *meson == '\0')
    {
      g_test_skip ("meson is not known to the test");
      return;
    }

  g_assert_cmpint (run (generate, NULL, &out, &err), ==, 0);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (cd_test_verify (db), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (help, ru, &out, &err), ==, 0);
  g_assert_null (strstr (out, "Usage: citydeskctl"));
  g_assert_null (strstr (err, "CITYDESK_LOCALEDIR"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  if (gsettings != NULL)
    {
      g_assert_cmpint (run (schema, NULL, &out, &err), ==, 0);
      g_assert_nonnull (strstr (out, "demo"));
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, NULL);

  g_test_add ("/data-dirs/sla-data-missing", Fixture, NULL,
              fixture_set_up, test_sla_data_missing, fixture_tear_down);
  g_test_add ("/data-dirs/translation-missing", Fixture, NULL,
              fixture_set_up, test_translation_missing, fixture_tear_down);
  g_test_add ("/data-dirs/schema-missing", Fixture, NULL,
              fixture_set_up, test_schema_missing, fixture_tear_down);
  g_test_add ("/data-dirs/devenv", Fixture, NULL,
              fixture_set_up, test_devenv, fixture_tear_down);
  return g_test_run ();
}
