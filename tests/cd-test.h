// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test.h: what every test and benchmark shares: a temporary directory of
 * its own, removed when it exits */
#pragma once

#include <errno.h>
#include <ftw.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdlib.h>

static inline int
cd_test_remove_entry (const char        *path,
                      const struct stat *st,
                      int                flag,
                      struct FTW        *ftw)
{
  return g_remove (path);
}

static inline void
cd_test_remove_tree (const char *path)
{
  nftw (path, cd_test_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void
cd_test_remove_tmp_dir (void)
{
  cd_test_remove_tree (g_get_tmp_dir ());
}

/* Makes a temporary directory of the process's own and names it TMPDIR, for
 * the process and everything it starts; it is removed when the process
 * exits. Call it first in main(), before anything asks g_get_tmp_dir(). */
static inline void
cd_test_own_tmp_dir (void)
{
  const char *parent = g_getenv ("TMPDIR");
  g_autofree char *dir = NULL;

  /* Not g_dir_make_tmp(): g_get_tmp_dir() reads TMPDIR once, and must read
   * it after it names the new directory. */
  if (parent == NULL || *parent == '\0')
    parent = "/tmp";
  dir = g_build_filename (parent, "citydesk-test-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("Cannot make a temporary directory in %s: %s", parent, g_strerror (errno));
  g_setenv ("TMPDIR", dir, TRUE);
  if (g_strcmp0 (g_get_tmp_dir (), dir) != 0)
    g_error ("g_get_tmp_dir() was called before cd_test_own_tmp_dir()");
  atexit (cd_test_remove_tmp_dir);
}

/* g_test_init() in a temporary directory of the test's own: every file the
 * test makes there (databases with their -wal and -shm, settings files,
 * logs, homes), and every file the servers, citydeskctl and the app it
 * starts make there (a server's temporary database, even when the test
 * kills it), goes when the test exits, and tests run in parallel never
 * share a file. @isolate is G_TEST_OPTION_ISOLATE_DIRS or %NULL; the
 * isolated homes land in the same directory. A test that fails aborts and
 * leaves its directory to look at. */
static inline void
cd_test_init (int         *argc,
              char      ***argv,
              const char  *isolate)
{
  cd_test_own_tmp_dir ();
  g_test_init (argc, argv, isolate, NULL);
}

/* Waiting on the main loop {{{1 */

#define CD_TEST_WAIT_SECONDS 60

static inline gboolean
cd_test_on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @check says done; fails the test after a
 * minute, naming @what. */
static inline void
cd_test_wait_for (gboolean   (*check) (gpointer data),
                  gpointer     data,
                  const char  *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (CD_TEST_WAIT_SECONDS, cd_test_on_timeout, &timed_out);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

/* A GAsyncReadyCallback that keeps the result in the GAsyncResult *
 * @user_data points at, for cd_test_wait_result(). */
static inline void
cd_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static inline gboolean
cd_test_result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}
