// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-ctl.h: run the real citydeskctl from a test */
#pragma once

#include <gio/gio.h>
#include <stdarg.h>

/* Runs $CITYDESK_CTL with the NULL-terminated arguments and returns its
 * exit status; @err may be NULL to let its stderr through to the test log. */
static inline int cd_test_ctl (char       **out,
                               char       **err,
                               const char  *first,
                               ...) G_GNUC_NULL_TERMINATED;

static inline int
cd_test_ctl (char       **out,
             char       **err,
             const char  *first,
             ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *ctl = g_getenv ("CITYDESK_CTL");
  const char *arg;
  va_list ap;

  if (ctl == NULL)
    g_error ("CITYDESK_CTL is not set; run the tests through meson");

  g_ptr_array_add (args, (char *) ctl);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  proc = g_subprocess_newv ((const char * const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                (err != NULL ? G_SUBPROCESS_FLAGS_STDERR_PIPE : 0),
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  return g_subprocess_get_exit_status (proc);
}
