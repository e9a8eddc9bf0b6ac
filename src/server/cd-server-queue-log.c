// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-queue-log.c: citydesk-server --queue-log, a live Asterisk
 * queue_log followed as the PBX writes it
 *
 * The file is read from its start, then each time it grows: a file monitor
 * says so at once, and a poll a few times a second catches what the
 * monitor misses (network file systems, a monitor that could not be set
 * up). Reading runs on the main loop one chunk per idle turn, so that a
 * day's backlog never holds requests back. Each call the core reader ends
 * is appended with cd_store_add_call() and pushed to the stream like any
 * other committed event.
 *
 * Rotation: when the path names another file (renamed and recreated) the
 * old one is read to its end first, then the new one from 0; a file cut
 * shorter than what was read (copytruncate) is read again from 0.
 *
 * A restart does not keep a position: it reads the current file again
 * from its start, and cd_store_add_call() adds nothing for a call already
 * journaled (its id is made from the PBX's call id, queue and entry). That
 * costs one read of a day's file, and it rebuilds exactly the calls that
 * were open at shutdown, so one that ends later is journaled once. A
 * saved offset would need the reader's open calls saved with it, and
 * would go wrong the day the file is replaced while the server is down.
 * For the same reason each file gets a new reader: a call open across a
 * rotation is then read from the new file's lines alone (its entry found
 * from the hold time its end gives, docs/calls.md), before and after a
 * restart alike, so both give it the same id.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cd-queue-log.h"
#include "cd-server-private.h"
#include "cd-server-queue-log.h"
#include "cd-store-calls.h"

/* Bytes read per main loop turn. */
#define CHUNK (64 * 1024)
#define POLL_MS 250

typedef enum
{
  FILE_SAME,
  FILE_TRUNCATED,
  FILE_ROTATED,
} FileChange;

struct _CdServerQueueLog
{
  GObject       parent_instance;

  CdServer     *server;
  char         *path;
  GFileMonitor *monitor;
  guint         poll_id;
  guint         drain_id;

  /* The file being read: -1 when none is open. */
  int           fd;
  dev_t         dev;
  ino_t         ino;
  gint64        offset;
  CdQueueLog   *log;
  char         *buffer;
  /* Ended calls the store has not taken yet (it was busy). */
  GPtrArray    *pending;
  /* The last reason the file could not be opened, told once. */
  char         *open_problem;
  /* The live queue every reader folds into, across rotations. */
  CdServerLive *live;
};

G_DEFINE_FINAL_TYPE (CdServerQueueLog, cd_server_queue_log, G_TYPE_OBJECT)

static void
close_file (CdServerQueueLog *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  self->offset = 0;
  g_clear_pointer (&self->log, cd_queue_log_free);
}

static void
cd_server_queue_log_finalize (GObject *object)
{
  CdServerQueueLog *self = (CdServerQueueLog *)object;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->drain_id, g_source_remove);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  close_file (self);
  if (self->live != NULL && self->server->live == self->live)
    self->server->live = NULL;
  g_clear_pointer (&self->live, cd_server_live_free);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->open_problem, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (cd_server_queue_log_parent_class)->finalize (object);
}

static void
cd_server_queue_log_class_init (CdServerQueueLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_server_queue_log_finalize;
}

static void
cd_server_queue_log_init (CdServerQueueLog *self)
{
  self->fd = -1;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_call_free);
}

/**
 * cd_server_queue_log_new:
 * @server: the server whose store the calls go into
 * @path: the queue_log file (it may not exist yet)
 *
 * Returns: (transfer full): a follower, idle until started
 */
CdServerQueueLog *
cd_server_queue_log_new (CdServer   *server,
                         const char *path)
{
  CdServerQueueLog *self = g_object_new (CD_TYPE_SERVER_QUEUE_LOG, NULL);

  self->server = g_object_ref (server);
  self->path = g_strdup (path);
  return self;
}

/* Appends the calls waiting for the store in one transaction. On a
 * failure (another process holding the file) they stay for the next turn. */
static gboolean
store_pending (CdServerQueueLog *self)
{
  CdStore *store = cd_server_get_store (self->server);
  g_autoptr(GError) error = NULL;
  guint added_here = 0;

  if (self->pending->len == 0)
    return TRUE;
  if (!cd_store_begin (store, &error))
    goto failed;
  for (guint i = 0; i < self->pending->len; i++)
    {
      gboolean added = FALSE;

      if (!cd_store_add_call (store, self->pending->pdata[i], &added, &error))
        {
          cd_store_rollback (store);
          goto failed;
        }
      added_here += added;
    }
  if (!cd_store_commit (store, &error))
    goto failed;

  g_ptr_array_set_size (self->pending, 0);
  if (added_here > 0)
    {
      cd_server_notify_committed (self->server);
      cd_server_live_missed_changed (self->live);
    }
  return TRUE;

failed:
  g_printerr (_("citydesk-server: %s: %u calls wait to be journaled: %s\n"), self->path,
              self->pending->len, error->message);
  return FALSE;
}

/* Moves what the reader has found out: unreadable lines to the log, ended
 * calls to @pending. */
static void
collect (CdServerQueueLog *self)
{
  g_autoptr(GPtrArray) problems = cd_queue_log_take_problems (self->log);

  for (guint i = 0; i < problems->len; i++)
    {
      CdQueueLogProblem *p = problems->pdata[i];

      g_printerr (_("citydesk-server: %s: line %u skipped: %s\n"), self->path, p->line,
                  p->message);
    }
  g_ptr_array_extend_and_steal (self->pending, cd_queue_log_take_calls (self->log));
}

static void
tell_open_problem (CdServerQueueLog *self,
                   const char       *message)
{
  if (g_strcmp0 (self->open_problem, message) == 0)
    return;
  g_free (self->open_problem);
  self->open_problem = g_strdup (message);
  g_printerr (_("citydesk-server: cannot read the queue_log “%s” yet: %s\n"), self->path,
              message);
}

static CdQueueLog *
new_reader (CdServerQueueLog *self)
{
  CdQueueLog *log = cd_queue_log_new (CD_QUEUE_LOG_AUTO);

  cd_queue_log_set_state (log, cd_server_live_get_state (self->live));
  return log;
}

static gboolean
open_file (CdServerQueueLog *self)
{
  GStatBuf st;
  int fd = g_open (self->path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      tell_open_problem (self, g_strerror (errno));
      return FALSE;
    }
  if (fstat (fd, &st) != 0)
    {
      tell_open_problem (self, g_strerror (errno));
      close (fd);
      return FALSE;
    }
  g_clear_pointer (&self->open_problem, g_free);
  self->fd = fd;
  self->dev = st.st_dev;
  self->ino = st.st_ino;
  self->offset = 0;
  self->log = new_reader (self);
  return TRUE;
}

static FileChange
what_changed (CdServerQueueLog *self)
{
  GStatBuf named, opened;

  /* No file under the name: rotated and not recreated yet. The PBX may
   * still write to the old one, so it stays open until a new one comes. */
  if (g_stat (self->path, &named) != 0)
    return FILE_SAME;
  if (named.st_dev != self->dev || named.st_ino != self->ino)
    return FILE_ROTATED;
  if (fstat (self->fd, &opened) == 0 && opened.st_size < self->offset)
    return FILE_TRUNCATED;
  return FILE_SAME;
}

/* The file ends here: its last line, even without a line break, is read.
 * The calls still open in it are dropped with the reader (see above). */
static void
finish_file (CdServerQueueLog *self)
{
  cd_queue_log_finish (self->log);
  collect (self);
}

static gboolean
on_drain (gpointer user_data)
{
  CdServerQueueLog *self = user_data;
  gssize n;

  if (!store_pending (self))
    goto idle;
  if (self->fd < 0 && !open_file (self))
    goto idle;

  do
    n = read (self->fd, self->buffer, CHUNK);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    {
      g_printerr (_("citydesk-server: cannot read the queue_log “%s”: %s\n"), self->path,
                  g_strerror (errno));
      close_file (self);
      goto idle;
    }
  if (n > 0)
    {
      self->offset += n;
      cd_queue_log_feed (self->log, self->buffer, (gsize) n);
      collect (self);
      store_pending (self);
      cd_server_live_changed (self->live);
      /* The next chunk on the next turn: requests go first. */
      return G_SOURCE_CONTINUE;
    }

  switch (what_changed (self))
    {
    case FILE_SAME:
      goto idle;

    case FILE_TRUNCATED:
      finish_file (self);
      g_clear_pointer (&self->log, cd_queue_log_free);
      if (lseek (self->fd, 0, SEEK_SET) != 0)
        {
          close_file (self);
          goto idle;
        }
      self->offset = 0;
      self->log = new_reader (self);
      return G_SOURCE_CONTINUE;

    case FILE_ROTATED:
    default:
      finish_file (self);
      close_file (self);
      return G_SOURCE_CONTINUE;
    }

idle:
  self->drain_id = 0;
  return G_SOURCE_REMOVE;
}

static void
wake (CdServerQueueLog *self)
{
  if (self->drain_id == 0)
    self->drain_id = g_idle_add (on_drain, self);
}

static gboolean
on_poll (gpointer user_data)
{
  wake (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  wake (user_data);
}

/**
 * cd_server_queue_log_start:
 * @self: a follower
 * @error: return location for an error
 *
 * Starts reading the file from its start, then follows it. A file that
 * does not exist yet is waited for.
 *
 * Returns: whether the follower runs
 */
gboolean
cd_server_queue_log_start (CdServerQueueLog  *self,
                           GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->path);
  g_autoptr(GError) monitor_error = NULL;

  g_return_val_if_fail (CD_IS_SERVER_QUEUE_LOG (self), FALSE);
  g_return_val_if_fail (self->poll_id == 0, FALSE);

  if (g_file_test (self->path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("--queue-log names a folder, not a file: “%s”"), self->path);
      return FALSE;
    }
  self->buffer = g_malloc (CHUNK);
  self->live = cd_server_live_new (self->server);
  self->server->live = self->live;

  /* Without a monitor the poll alone keeps up, a little later. */
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, &monitor_error);
  if (self->monitor != NULL)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_changed), self);
  self->poll_id = g_timeout_add (POLL_MS, on_poll, self);
  wake (self);
  return TRUE;
}
