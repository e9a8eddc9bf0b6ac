// SPDX-License-Identifier: GPL-3.0-or-later
//
// "Try the demo": a citydesk-server --demo of our own on a free loopback
// port, with its database in the user's data directory so that the demo
// city survives restarts. The server's output is drained all the time (a
// full pipe would stall it) and its last lines are kept to explain a
// failure to start.

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "cd-demo-server.h"

#define ERROR_TAIL 2048

struct _CdDemoServer
{
  GObject           parent_instance;

  char             *database;
  guint16           port;
  char             *url;
  GSubprocess      *process;
  GDataInputStream *out;
  GDataInputStream *err;
  GString          *err_tail;
  GCancellable     *cancellable;   /* the readers, until stop */
  GTask            *start_task;
  /* A server asked to stop that has not exited yet: it still holds the
   * port, so a start waits for it (in waiting_start). */
  GSubprocess      *stopping;
  GTask            *waiting_start;
  gboolean          exited;
  gboolean          err_done;
};

G_DEFINE_FINAL_TYPE (CdDemoServer, cd_demo_server, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-demo-server-error-quark, cd_demo_server_error)

static char *
find_server (GError **error)
{
  const char *env = g_getenv ("CITYDESK_SERVER");
  g_autofree char *installed = g_build_filename (BINDIR, "citydesk-server", NULL);
  char *found;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  found = g_find_program_in_path ("citydesk-server");
  if (found != NULL)
    return found;

  g_set_error (error, CD_DEMO_SERVER_ERROR, CD_DEMO_SERVER_ERROR_NOT_FOUND,
               _("The demo needs citydesk-server, which is not installed: run “meson install”, "
                 "run Citydesk through “meson devenv -C _build”, or set CITYDESK_SERVER to the "
                 "program"));
  return NULL;
}

/* The server must not outlive the app, even one that crashed. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fail_start (CdDemoServer *self,
            GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  if (task != NULL)
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static void read_next_out (CdDemoServer *self);
static void read_next_err (CdDemoServer *self);

/* Once the server has exited and all it wrote has been read, a start that
 * never saw "Listening on" fails with its last words. */
static void
report_exit (CdDemoServer *self)
{
  g_autofree char *tail = NULL;

  if (!self->exited || !self->err_done || self->start_task == NULL)
    return;

  tail = g_strstrip (g_strdup (self->err_tail->str));
  if (*tail != '\0')
    /* Translators: %s is what the server wrote before it stopped. */
    fail_start (self, g_error_new (CD_DEMO_SERVER_ERROR, CD_DEMO_SERVER_ERROR_FAILED,
                                   _("The demo server stopped: %s"), tail));
  else
    fail_start (self, g_error_new_literal (CD_DEMO_SERVER_ERROR, CD_DEMO_SERVER_ERROR_FAILED,
                                           _("The demo server stopped before it was ready")));
}

static void
on_out_line (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CdDemoServer) self = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    NULL);
  if (line == NULL)
    return;

  if (self->url == NULL && g_str_has_prefix (line, "Listening on "))
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      self->url = g_strstrip (g_strdup (line + strlen ("Listening on ")));
      if (task != NULL)
        g_task_return_boolean (task, TRUE);
    }

  read_next_out (self);
}

static void
read_next_out (CdDemoServer *self)
{
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_LOW, self->cancellable,
                                       on_out_line, g_object_ref (self));
}

static void
on_err_line (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CdDemoServer) self = user_data;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    NULL);
  if (line == NULL)
    {
      self->err_done = TRUE;
      report_exit (self);
      return;
    }

  g_string_append (self->err_tail, line);
  g_string_append_c (self->err_tail, '\n');
  if (self->err_tail->len > ERROR_TAIL)
    g_string_erase (self->err_tail, 0, self->err_tail->len - ERROR_TAIL);

  read_next_err (self);
}

static void
read_next_err (CdDemoServer *self)
{
  g_data_input_stream_read_line_async (self->err, G_PRIORITY_LOW, self->cancellable,
                                       on_err_line, g_object_ref (self));
}

static void spawn (CdDemoServer *self,
                   GTask        *task);

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CdDemoServer) self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  if ((gpointer) source == (gpointer) self->stopping)
    {
      g_clear_object (&self->stopping);
      if (self->waiting_start != NULL)
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->waiting_start);

          spawn (self, task);
        }
      return;
    }
  if ((gpointer) source != (gpointer) self->process)
    return;
  self->exited = TRUE;
  report_exit (self);
}

/**
 * cd_demo_server_start_async:
 *
 * Starts the server; finishes once it listens (building the demo city
 * first when the database is new, which takes a few seconds).
 */
void
cd_demo_server_start_async (CdDemoServer        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CD_IS_DEMO_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cd_demo_server_start_async);

  if (self->process != NULL || self->waiting_start != NULL)
    {
      g_task_return_new_error (task, CD_DEMO_SERVER_ERROR, CD_DEMO_SERVER_ERROR_FAILED,
                               _("The demo server is already running"));
      return;
    }
  if (self->stopping != NULL)
    {
      self->waiting_start = g_steal_pointer (&task);
      return;
    }
  spawn (self, task);
}

static void
spawn (CdDemoServer *self,
       GTask        *task_arg)
{
  g_autoptr(GTask) task = g_object_ref (task_arg);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *listen = NULL;

  server = find_server (&error);
  if (server == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  folder = g_path_get_dirname (self->database);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot create %s: %s"), folder, g_strerror (saved));
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  listen = g_strdup_printf ("127.0.0.1:%u", self->port);
  self->process = g_subprocess_launcher_spawn (launcher, &error, server,
                                               "--demo", "--listen", listen,
                                               "--db", self->database, NULL);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->start_task = g_steal_pointer (&task);
  self->exited = FALSE;
  self->err_done = FALSE;
  g_string_truncate (self->err_tail, 0);
  self->cancellable = g_cancellable_new ();
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  self->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (self->process));
  read_next_out (self);
  read_next_err (self);
  g_subprocess_wait_async (self->process, NULL, on_exited, g_object_ref (self));
}

gboolean
cd_demo_server_start_finish (CdDemoServer  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cd_demo_server_stop:
 *
 * Asks the server to finish (it commits what it has and exits).
 */
void
cd_demo_server_stop (CdDemoServer *self)
{
  g_return_if_fail (CD_IS_DEMO_SERVER (self));

  g_cancellable_cancel (self->cancellable);
  if (self->process != NULL && !self->exited)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_set_object (&self->stopping, self->process);
    }
  g_clear_object (&self->process);
  g_clear_object (&self->out);
  g_clear_object (&self->err);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->url, g_free);
}

/**
 * cd_demo_server_set_port:
 * @port: the loopback port to listen on; 0 for a free one
 *
 * Takes effect at the next start.
 */
void
cd_demo_server_set_port (CdDemoServer *self,
                         guint16       port)
{
  g_return_if_fail (CD_IS_DEMO_SERVER (self));
  self->port = port;
}

/**
 * cd_demo_server_get_port:
 *
 * Returns: the port the running server listens on, from its URL; 0 before
 *   it listens
 */
guint16
cd_demo_server_get_port (CdDemoServer *self)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (CD_IS_DEMO_SERVER (self), 0);

  if (self->url == NULL || (uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL)) == NULL)
    return 0;
  return MAX (g_uri_get_port (uri), 0);
}

const char *
cd_demo_server_get_database (CdDemoServer *self)
{
  g_return_val_if_fail (CD_IS_DEMO_SERVER (self), NULL);
  return self->database;
}

/**
 * cd_demo_server_get_url:
 *
 * Returns: (nullable): the server's base URL once it listens
 */
const char *
cd_demo_server_get_url (CdDemoServer *self)
{
  g_return_val_if_fail (CD_IS_DEMO_SERVER (self), NULL);
  return self->url;
}

static void
cd_demo_server_dispose (GObject *object)
{
  CdDemoServer *self = CD_DEMO_SERVER (object);

  cd_demo_server_stop (self);
  g_clear_object (&self->start_task);
  g_clear_object (&self->waiting_start);
  g_clear_object (&self->stopping);

  G_OBJECT_CLASS (cd_demo_server_parent_class)->dispose (object);
}

static void
cd_demo_server_finalize (GObject *object)
{
  CdDemoServer *self = CD_DEMO_SERVER (object);

  g_free (self->database);
  g_string_free (self->err_tail, TRUE);

  G_OBJECT_CLASS (cd_demo_server_parent_class)->finalize (object);
}

static void
cd_demo_server_class_init (CdDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_demo_server_dispose;
  object_class->finalize = cd_demo_server_finalize;
}

static void
cd_demo_server_init (CdDemoServer *self)
{
  self->err_tail = g_string_new (NULL);
}

/**
 * cd_demo_server_new:
 * @database: (nullable): where the demo city lives; %NULL for
 *   `citydesk/demo-city.db` in the user's data directory (not demo.db:
 *   cities written before databases were marked as demos are refused)
 */
CdDemoServer *
cd_demo_server_new (const char *database)
{
  CdDemoServer *self = g_object_new (CD_TYPE_DEMO_SERVER, NULL);

  self->database = database != NULL
    ? g_strdup (database)
    : g_build_filename (g_get_user_data_dir (), "citydesk", "demo-city.db", NULL);
  return self;
}
