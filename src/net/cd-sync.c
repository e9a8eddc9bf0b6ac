// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sync.c: keeps the desktop's cache in step with the server and sends
 * its outbox
 *
 * One connection is: pages of the event feed from the cache's last
 * sequence, then the WebSocket stream from wherever the feed ended. Every
 * event received goes into one FIFO queue, imported into the cache a batch
 * per transaction off the main loop, so that it never waits on a page. Any failure ends the
 * connection; a new one starts after a backoff delay, from what was
 * received, so nothing is fetched twice and nothing is skipped.
 *
 * The queue is imported in two stages that overlap, each in a worker thread
 * with its own SQLite connection: a projector checks the chain and applies
 * a batch (CdProjector) while the writer inserts and commits the batch
 * before it, so that a large catch-up keeps two cores busy.
 *
 * The outbox is sent by a CdOutboxSender the sync owns: resumed while the
 * server answers, paused when the connection drops; when it cannot reach
 * the server, the connection fails and the backoff paces its retries.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cd-json-tree.h"
#include "cd-net-enums.h"
#include "cd-outbox-sender.h"
#include "cd-queue-snapshot.h"
#include "cd-reference-fetch.h"
#include "cd-store-import.h"
#include "cd-sync.h"

struct _CdSync
{
  GObject                  parent_instance;

  CdClient                *client;
  CdStore                 *cache;
  CdOutboxSender          *sender;
  /* The import's two stages, each with its own SQLite connection, one
   * batch at a time each: the projector checks and applies events ahead
   * of the writer, which inserts and commits them. */
  CdProjector             *projector;
  CdStore                 *import_store;
  /* Frees written batches: hundreds of thousands of events and tickets,
   * long enough to freeze the window if the main loop did it. */
  GThreadPool             *releaser;

  gboolean                 running;
  GCancellable            *cancellable;
  SoupWebsocketConnection *stream;
  guint                    retry_source;
  /* The reference data's next attempt after a failed fetch, and what
   * stops its fetch: the sync's stop alone, not a failed feed (an
   * executor's desktop gets its names though the feed refuses it). */
  guint                    reference_retry;
  GCancellable            *reference_cancellable;
  gboolean                 reference_fetching;
  guint                    attempt;
  guint                    backoff_min_ms;
  guint                    backoff_max_ms;
  gboolean                 reachable;
  /* The next page waits until the import thread has room for it. */
  gboolean                 fetch_deferred;
  /* Leave bulk mode once the queue is empty. */
  gboolean                 settle;
  /* The import thread is leaving bulk mode (building indexes). */
  gboolean                 settling;

  /* The last sequence received (queued or imported) and imported. */
  gint64                   received;
  gint64                   imported;
  GPtrArray               *queue;
  /* Batches projected and waiting for the writer, oldest first. */
  GQueue                  *projected;
  gboolean                 projecting;
  gboolean                 writing;
  /* The last sequence of the batch being written. */
  gint64                   writing_last;
  /* Bumped at each failure: a projection started before is dropped. */
  guint                    generation;
  gboolean                 restart_projector;

  gint64                   pull_started;
  gint64                   pull_events;

  CdConnectionState        state;
  gint64                   total;
  /* The cache was empty when this sync began: see cd_sync_get_first_sync(). */
  gboolean                 from_empty;
  gint64                   offline_since;
  char                    *last_error;
  double                   events_per_second;
  gboolean                 needs_login;

  /* The live queue's last snapshot, while the stream is open. */
  CdQueueSnapshot         *queue_snapshot;
};

G_DEFINE_FINAL_TYPE (CdSync, cd_sync, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  PROP_DONE,
  PROP_TOTAL,
  PROP_OFFLINE_SINCE,
  PROP_PENDING_ACTIONS,
  PROP_LAST_ERROR,
  PROP_EVENTS_PER_SECOND,
  PROP_NEEDS_LOGIN,
  N_PROPS
};

enum
{
  SIGNAL_EVENTS_IMPORTED,
  SIGNAL_ACTION_SENT,
  SIGNAL_ACTION_REFUSED,
  SIGNAL_REFERENCE_CHANGED,
  SIGNAL_QUEUE_SNAPSHOT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_feed (CdSync *self);
static void fetch_page (CdSync *self);

/* Properties {{{1 */

static void
set_state (CdSync            *self,
           CdConnectionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  if (state == CD_CONNECTION_STATE_OFFLINE && self->offline_since == 0)
    {
      self->offline_since = g_get_real_time () / G_USEC_PER_SEC;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  else if (state == CD_CONNECTION_STATE_ONLINE && self->offline_since != 0)
    {
      self->offline_since = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_total (CdSync *self,
           gint64  total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
set_last_error (CdSync     *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_needs_login (CdSync   *self,
                 gboolean  needs_login)
{
  if (self->needs_login == needs_login)
    return;
  self->needs_login = needs_login;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_LOGIN]);
}

/* Failure and backoff {{{1 */

static void
drop_connection (CdSync *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      if (soup_websocket_connection_get_state (self->stream) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->stream, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->stream);
    }
  /* Gone with the stream: no figure outlives the connection that keeps
   * it current. */
  g_clear_pointer (&self->queue_snapshot, cd_queue_snapshot_free);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->sender != NULL)
    cd_outbox_sender_pause (self->sender);
  self->reachable = FALSE;
  self->fetch_deferred = FALSE;
}

static gboolean
on_retry (gpointer user_data)
{
  CdSync *self = user_data;

  self->retry_source = 0;
  connect_feed (self);
  return G_SOURCE_REMOVE;
}

static guint
next_delay (CdSync *self)
{
  guint64 delay = self->backoff_min_ms;

  for (guint i = 0; i < self->attempt && delay < self->backoff_max_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->backoff_max_ms);
  self->attempt++;
  return (guint) (delay / 2 + (guint64) g_random_int_range (0, (gint32) (delay / 2) + 1));
}

/* Ends the connection after @error and plans the next one, unless the
 * server said the login is no longer good: then only a new login helps. */
static void
fail (CdSync       *self,
      const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  g_debug ("Sync with %s failed: %s", cd_client_get_server_url (self->client), error->message);
  drop_connection (self);
  set_last_error (self, error->message);
  set_state (self, CD_CONNECTION_STATE_OFFLINE);
  if (g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED))
    {
      set_needs_login (self, TRUE);
      return;
    }
  self->retry_source = g_timeout_add (next_delay (self), on_retry, self);
}

/* Import {{{1 */

/* What a write task takes: a projected batch, or none to only leave bulk
 * mode. */
typedef struct
{
  CdImportBatch *batch;
  char          *server;
  gboolean       bulk;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_pointer (&data->batch, cd_import_batch_free);
  g_free (data->server);
  g_free (data);
}

typedef struct
{
  GPtrArray *events;
  guint      generation;
} ProjectData;

static void
project_data_free (ProjectData *data)
{
  g_ptr_array_unref (data->events);
  g_free (data);
}

static void pump (CdSync *self);

static void
release_batch (gpointer data,
               gpointer user_data)
{
  cd_import_batch_free (data);
}

/* Everything received after what the cache holds is dropped, to be
 * fetched again: it continues a chain the cache does not have. */
static void
import_failed (CdSync       *self,
               const GError *error)
{
  g_autoptr(GError) wrapped = g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                                           _("The server’s events do not fit the cache: %s"),
                                           error->message);

  self->generation++;
  g_ptr_array_set_size (self->queue, 0);
  g_queue_clear_full (self->projected, (GDestroyNotify) cd_import_batch_free);
  cd_projector_invalidate (self->projector);
  self->restart_projector = TRUE;
  self->received = self->writing ? self->writing_last : self->imported;
  fail (self, wrapped);
}

static void
project_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CdSync *self = source_object;
  ProjectData *data = task_data;
  CdImportBatch *batch;
  GError *error = NULL;

  batch = cd_projector_project (self->projector, (CdEvent * const *) data->events->pdata,
                                data->events->len, &error);
  if (batch == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, batch, (GDestroyNotify) cd_import_batch_free);
}

static void
on_projected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CdSync *self = CD_SYNC (source);
  ProjectData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  CdImportBatch *batch;

  self->projecting = FALSE;
  batch = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->generation != self->generation)
    g_clear_pointer (&batch, cd_import_batch_free);
  else if (batch == NULL)
    import_failed (self, error);
  else
    g_queue_push_tail (self->projected, batch);
  pump (self);
}

static void
project_next (CdSync *self)
{
  g_autoptr(GTask) task = NULL;
  ProjectData *data;

  /* One batch waiting for the writer is enough to keep it busy. */
  if (self->projecting || self->queue->len == 0 || self->projected->length > 0)
    return;
  /* After a failure the projector starts again from the database: once
   * the writer has finished what it had. */
  if (self->restart_projector && self->writing)
    return;
  self->restart_projector = FALSE;

  data = g_new0 (ProjectData, 1);
  data->events = g_steal_pointer (&self->queue);
  data->generation = self->generation;
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);

  self->projecting = TRUE;
  task = g_task_new (self, NULL, on_projected, NULL);
  g_task_set_source_tag (task, project_next);
  g_task_set_task_data (task, data, (GDestroyNotify) project_data_free);
  g_task_run_in_thread (task, project_thread);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CdSync *self = source_object;
  WriteData *data = task_data;
  CdStore *store = self->import_store;
  GError *error = NULL;
  CdJournalHead head;

  if (!cd_store_set_bulk (store, data->bulk, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->batch == NULL)
    {
      g_task_return_int (task, 0);
      return;
    }
  if (!cd_store_begin (store, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The cursor moves in the same transaction as the events it covers. */
  head.seq = cd_import_batch_get_last_seq (data->batch);
  g_strlcpy (head.hash, cd_import_batch_get_last_hash (data->batch), sizeof head.hash);
  if (!cd_store_write_batch (store, data->batch, &error) ||
      !cd_store_set_sync_cursor (store, data->server, &head, g_get_real_time () / G_USEC_PER_SEC,
                                 &error) ||
      !cd_store_commit (store, &error))
    {
      cd_store_rollback (store);
      g_task_return_error (task, error);
      return;
    }
  cd_projector_written (self->projector, data->batch);
  g_task_return_int (task, head.seq);
}

/* Online once the stream is up and everything received is in the cache,
 * its indexes built, whatever state the connection started from. */
static void
maybe_online (CdSync *self)
{
  if (self->stream != NULL && self->imported >= self->total && !self->settle && !self->settling)
    set_state (self, CD_CONNECTION_STATE_ONLINE);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CdSync *self = CD_SYNC (source);
  WriteData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gint64 last;
  guint n_events;

  self->writing = FALSE;
  last = g_task_propagate_int (G_TASK (result), &error);
  if (data->batch == NULL)
    self->settling = FALSE;
  if (error != NULL)
    {
      import_failed (self, error);
      pump (self);
      return;
    }
  if (data->batch == NULL)
    {
      maybe_online (self);
      pump (self);
      return;
    }

  n_events = cd_import_batch_get_n_events (data->batch);
  g_thread_pool_push (self->releaser, g_steal_pointer (&data->batch), NULL);
  self->imported = last;
  if (self->pull_started != 0)
    {
      double seconds = (g_get_monotonic_time () - self->pull_started) / (double) G_USEC_PER_SEC;

      self->pull_events += n_events;
      if (seconds > 0)
        {
          self->events_per_second = self->pull_events / seconds;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS_PER_SECOND]);
        }
    }
  if (self->imported >= self->total)
    {
      /* Caught up: the first sync is over. An event the server journals
       * later (this desktop's own action, sent) is news, not the cache
       * filling: the dashboards must not go back to the sync's progress. */
      self->from_empty = FALSE;
      set_total (self, self->imported);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  g_signal_emit (self, signals[SIGNAL_EVENTS_IMPORTED], 0, last);

  maybe_online (self);
  pump (self);
}

static void
write_next (CdSync *self)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;
  CdImportBatch *batch;

  if (self->writing)
    return;
  batch = g_queue_pop_head (self->projected);
  /* No events: only leave bulk mode, whose index builds take long on a
   * large cache, right after the catch-up rather than on the first event
   * of the stream. */
  if (batch == NULL && !(self->settle && self->queue->len == 0 && !self->projecting))
    return;

  data = g_new0 (WriteData, 1);
  data->server = g_strdup (cd_client_get_server_url (self->client));
  if (batch == NULL)
    {
      self->settle = FALSE;
      self->settling = TRUE;
    }
  else
    {
      data->batch = batch;
      data->bulk = cd_import_batch_get_n_events (batch) > 1000;
      self->writing_last = cd_import_batch_get_last_seq (batch);
    }

  self->writing = TRUE;
  task = g_task_new (self, NULL, on_written, NULL);
  g_task_set_source_tag (task, write_next);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

/* Moves events along: received -> projected -> written, and fetches the
 * page that waited for room. */
static void
pump (CdSync *self)
{
  write_next (self);
  project_next (self);
  if (self->fetch_deferred && self->cancellable != NULL &&
      self->queue->len < CD_SYNC_QUEUE_PAGES * CD_SYNC_PAGE_SIZE)
    {
      self->fetch_deferred = FALSE;
      fetch_page (self);
    }
}

static void
enqueue (CdSync  *self,
         CdEvent *event)
{
  g_ptr_array_add (self->queue, cd_event_ref (event));
  self->received = event->seq;
  cd_client_note_seq (self->client, event->seq);
}

/* The stream {{{1 */

static void
restart_from_feed (CdSync *self)
{
  drop_connection (self);
  connect_feed (self);
}

/* A snapshot replaces the last one; a broken one is dropped rather than
 * failing the stream: the next, a second later, says the same again. */
static void
take_queue_snapshot (CdSync     *self,
                     JsonObject *message)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_object_get_member (message, "snapshot");
  CdQueueSnapshot *snapshot;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_debug ("The stream sent a queue message without a snapshot");
      return;
    }
  if ((snapshot = cd_queue_snapshot_new_from_json (json_node_get_object (node), &error)) == NULL)
    {
      g_debug ("The stream sent a broken queue snapshot: %s", error->message);
      return;
    }
  g_clear_pointer (&self->queue_snapshot, cd_queue_snapshot_free);
  self->queue_snapshot = snapshot;
  g_signal_emit (self, signals[SIGNAL_QUEUE_SNAPSHOT], 0, snapshot);
}

static void
on_stream_message (SoupWebsocketConnection *conn,
                   int                      type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  CdSync *self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonObject *event_object;
  const char *kind;
  gsize len = 0;
  const char *data = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  /* The server's messages pass the reader requests pass: one that does
   * not is a broken server, and skipping it could skip an event. */
  root = cd_json_parse (data, len, CD_JSON_MAX_DEPTH, NULL, NULL, &error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autoptr(GError) wrapped =
          g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                       _("The stream sent a message that is not a JSON object: %s"),
                       error != NULL ? error->message : _("another kind of value"));

      fail (self, wrapped);
      return;
    }

  object = json_node_get_object (root);
  kind = json_object_get_string_member_with_default (object, "type", "");
  if (g_str_equal (kind, "resync"))
    {
      /* Too far behind for the stream: the feed's pages are faster. */
      restart_from_feed (self);
      return;
    }
  if (g_str_equal (kind, CD_QUEUE_SNAPSHOT_TYPE))
    {
      take_queue_snapshot (self, object);
      return;
    }
  if (!g_str_equal (kind, "event"))
    return;

  event_object = json_object_has_member (object, "event") ?
                 json_object_get_object_member (object, "event") : NULL;
  if (event_object == NULL || (event = cd_event_new_from_json (event_object, &error)) == NULL)
    {
      g_autoptr(GError) wrapped = g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                                               _("The stream sent a broken event: %s"),
                                               error != NULL ? error->message : _("no “event”"));

      fail (self, wrapped);
      return;
    }

  if (event->seq <= self->received)
    return;
  if (event->seq != self->received + 1)
    {
      g_debug ("Stream jumped from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ", refetching",
               self->received, event->seq);
      restart_from_feed (self);
      return;
    }

  enqueue (self, event);
  if (event->seq > self->total)
    set_total (self, event->seq);
  pump (self);
}

static void
on_stream_closed (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  CdSync *self = user_data;
  g_autoptr(GError) error = g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNREACHABLE,
                                         _("The connection to %s was closed."),
                                         cd_client_get_server_url (self->client));

  fail (self, error);
}

static void
on_stream_error (SoupWebsocketConnection *conn,
                 GError                  *error,
                 gpointer                 user_data)
{
  g_debug ("Stream error: %s", error->message);
}

static void
on_stream_connected (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CdSync) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;

  conn = cd_client_connect_stream_finish (CD_CLIENT (source), result, &error);
  if (conn == NULL)
    {
      fail (self, error);
      return;
    }
  if (!self->running || self->cancellable == NULL)
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (conn);
      return;
    }

  self->stream = conn;
  soup_websocket_connection_set_keepalive_interval (conn, 30);
  g_signal_connect (conn, "message", G_CALLBACK (on_stream_message), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_stream_closed), self);
  g_signal_connect (conn, "error", G_CALLBACK (on_stream_error), self);

  self->attempt = 0;
  set_last_error (self, NULL);
  maybe_online (self);
}

/* The feed {{{1 */

static void
on_page (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CdSync) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdEventPage) page = NULL;

  page = cd_client_fetch_events_finish (CD_CLIENT (source), result, &error);
  if (page == NULL)
    {
      fail (self, error);
      return;
    }
  if (self->cancellable == NULL)
    return;

  /* The cache is the whole city's journal, checked end to end: a feed
   * with events left out (an executor's) cannot make one, and is not
   * worth retrying. */
  if (page->filtered)
    {
      g_autoptr(GError) filtered = g_error_new (
          CD_CLIENT_ERROR, CD_CLIENT_ERROR_FORBIDDEN,
          _("The account “%s” (%s) reads only its organization’s tickets; "
             "the desktop console keeps the whole city’s journal and cannot sync for it. "
             "Use an account of another role."),
          cd_client_get_user (self->client), cd_client_get_role (self->client));

      fail (self, filtered);
      g_clear_handle_id (&self->retry_source, g_source_remove);
      return;
    }

  if (!self->reachable)
    {
      /* The server answers: whatever the outbox holds can go. */
      self->reachable = TRUE;
      cd_outbox_sender_resume (self->sender, self->cancellable);
    }

  set_total (self, MAX (page->head, self->imported));
  if (page->head > self->received && self->state != CD_CONNECTION_STATE_SYNCING)
    set_state (self, CD_CONNECTION_STATE_SYNCING);

  for (guint i = 0; i < page->events->len; i++)
    {
      CdEvent *event = g_ptr_array_index (page->events, i);

      if (event->seq <= self->received)
        continue;
      if (event->seq != self->received + 1)
        {
          g_autoptr(GError) gap = g_error_new (CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL,
                                               _("The event feed skipped from %" PRId64
                                                 " to %" PRId64 "."),
                                               self->received, event->seq);
          fail (self, gap);
          return;
        }
      enqueue (self, event);
    }
  pump (self);

  if (page->more && page->events->len > 0)
    {
      /* Pages download while earlier ones are imported, a few ahead, so
       * that the import takes several pages in one transaction (a ticket
       * touched by many of their events is written once); but no
       * further: a year of events would not fit in memory. */
      if ((self->projecting || self->writing) &&
          self->queue->len >= CD_SYNC_QUEUE_PAGES * CD_SYNC_PAGE_SIZE)
        self->fetch_deferred = TRUE;
      else
        fetch_page (self);
      return;
    }

  self->settle = TRUE;
  pump (self);
  cd_client_connect_stream_async (self->client, self->received, self->cancellable,
                                  on_stream_connected, g_object_ref (self));
}

static void
fetch_page (CdSync *self)
{
  cd_client_fetch_events_async (self->client, self->received, CD_SYNC_PAGE_SIZE, self->cancellable,
                                on_page, g_object_ref (self));
}

static void fetch_reference (CdSync *self);

static gboolean
on_reference_retry (gpointer user_data)
{
  CdSync *self = user_data;

  self->reference_retry = 0;
  fetch_reference (self);
  return G_SOURCE_REMOVE;
}

/* The names behind the codes, at each connection (cd-reference-fetch.c):
 * a failure leaves the cache's names and is tried again a little later
 * (a busy server must not leave codes on screen until the next
 * connection); the feed decides about the connection. */
static void
on_reference_fetched (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(CdSync) self = user_data;
  g_autoptr(GError) error = NULL;

  self->reference_fetching = FALSE;
  if (cd_reference_fetch_finish (result, &error))
    {
      g_signal_emit (self, signals[SIGNAL_REFERENCE_CHANGED], 0);
      return;
    }
  g_debug ("No reference data from %s: %s", cd_client_get_server_url (self->client),
           error->message);
  if (self->running && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      self->reference_retry == 0)
    self->reference_retry = g_timeout_add (MAX (self->backoff_min_ms, 1000), on_reference_retry,
                                           self);
}

static void
fetch_reference (CdSync *self)
{
  if (!self->running || self->reference_fetching)
    return;
  if (self->reference_cancellable == NULL)
    self->reference_cancellable = g_cancellable_new ();
  self->reference_fetching = TRUE;
  cd_reference_fetch_async (self->client, self->cache, self->reference_cancellable,
                            on_reference_fetched, g_object_ref (self));
}

static void
stop_reference (CdSync *self)
{
  g_clear_handle_id (&self->reference_retry, g_source_remove);
  g_cancellable_cancel (self->reference_cancellable);
  g_clear_object (&self->reference_cancellable);
  self->reference_fetching = FALSE;
}

static void
connect_feed (CdSync *self)
{
  if (!self->running)
    return;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->state != CD_CONNECTION_STATE_OFFLINE && self->state != CD_CONNECTION_STATE_SYNCING)
    set_state (self, CD_CONNECTION_STATE_CONNECTING);
  self->pull_started = g_get_monotonic_time ();
  self->pull_events = 0;
  g_clear_handle_id (&self->reference_retry, g_source_remove);
  fetch_reference (self);
  fetch_page (self);
}

/* The outbox {{{1 */

static void
on_pending_changed (CdSync *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_ACTIONS]);
}

static void
on_action_sent (CdSync *self,
                gint64  id)
{
  g_signal_emit (self, signals[SIGNAL_ACTION_SENT], 0, id);
}

static void
on_action_refused (CdSync     *self,
                   gint64      id,
                   const char *message)
{
  g_signal_emit (self, signals[SIGNAL_ACTION_REFUSED], 0, id, message);
}

static void
on_send_failed (CdSync       *self,
                const GError *error)
{
  fail (self, error);
}

/* GObject {{{1 */

static void
cd_sync_dispose (GObject *object)
{
  CdSync *self = CD_SYNC (object);

  self->running = FALSE;
  drop_connection (self);
  stop_reference (self);
  if (self->sender != NULL)
    g_signal_handlers_disconnect_by_data (self->sender, self);
  g_clear_object (&self->sender);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (cd_sync_parent_class)->dispose (object);
}

static void
cd_sync_finalize (GObject *object)
{
  CdSync *self = CD_SYNC (object);

  g_clear_object (&self->cache);
  /* Waits for the batches still being freed. */
  g_thread_pool_free (self->releaser, FALSE, TRUE);
  g_clear_object (&self->import_store);
  g_clear_pointer (&self->projector, cd_projector_free);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  if (self->projected != NULL)
    g_queue_free_full (self->projected, (GDestroyNotify) cd_import_batch_free);
  g_free (self->last_error);

  G_OBJECT_CLASS (cd_sync_parent_class)->finalize (object);
}

static void
cd_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CdSync *self = CD_SYNC (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DONE:
      g_value_set_int64 (value, self->imported);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_OFFLINE_SINCE:
      g_value_set_int64 (value, self->offline_since);
      break;
    case PROP_PENDING_ACTIONS:
      g_value_set_uint (value, self->sender != NULL ? cd_outbox_sender_get_pending (self->sender)
                                                    : 0);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_EVENTS_PER_SECOND:
      g_value_set_double (value, self->events_per_second);
      break;
    case PROP_NEEDS_LOGIN:
      g_value_set_boolean (value, self->needs_login);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_sync_class_init (CdSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_sync_dispose;
  object_class->finalize = cd_sync_finalize;
  object_class->get_property = cd_sync_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, CD_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CD_TYPE_CONNECTION_STATE,
                                              CD_CONNECTION_STATE_NOT_CONFIGURED,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                  G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DONE] =
    g_param_spec_int64 ("done", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] =
    g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OFFLINE_SINCE] =
    g_param_spec_int64 ("offline-since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING_ACTIONS] =
    g_param_spec_uint ("pending-actions", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EVENTS_PER_SECOND] =
    g_param_spec_double ("events-per-second", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The server refused the token: the sync stopped until the person logs
   * in again and cd_sync_start() is called. */
  properties[PROP_NEEDS_LOGIN] =
    g_param_spec_boolean ("needs-login", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CdSync::events-imported:
   * @self: the sync
   * @last: the sequence of the last event now in the cache
   */
  signals[SIGNAL_EVENTS_IMPORTED] =
    g_signal_new ("events-imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CdSync::action-sent:
   * @self: the sync
   * @id: the outbox entry the server accepted
   */
  signals[SIGNAL_ACTION_SENT] =
    g_signal_new ("action-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CdSync::action-refused:
   * @self: the sync
   * @id: the outbox entry the server refused
   * @message: the server's reason, to show the person who acted
   */
  signals[SIGNAL_ACTION_REFUSED] =
    g_signal_new ("action-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_REFERENCE_CHANGED] =
    g_signal_new ("reference-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CdSync::queue-snapshot:
   * @self: the sync
   * @snapshot: (type gpointer): the live queue's new #CdQueueSnapshot, valid
   *   during the emission (cd_sync_get_queue_snapshot() keeps it)
   */
  signals[SIGNAL_QUEUE_SNAPSHOT] =
    g_signal_new ("queue-snapshot", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
cd_sync_init (CdSync *self)
{
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  self->projected = g_queue_new ();
  /* Not exclusive: it cannot fail, and borrows GLib's shared threads. */
  self->releaser = g_thread_pool_new (release_batch, NULL, 1, FALSE, NULL);
  self->backoff_min_ms = CD_SYNC_BACKOFF_MIN_MS;
  self->backoff_max_ms = CD_SYNC_BACKOFF_MAX_MS;
}

/* API {{{1 */

/**
 * cd_sync_new:
 * @client: a logged-in client
 * @cache: the desktop's cache (its outbox is written on the main thread)
 * @error: a #CD_STORE_ERROR when the cache cannot be opened a second time
 *   for the import thread
 *
 * Returns: (transfer full): a stopped sync, or %NULL
 */
CdSync *
cd_sync_new (CdClient  *client,
             CdStore   *cache,
             GError   **error)
{
  g_autoptr(CdSync) self = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 last;

  g_return_val_if_fail (CD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CD_IS_STORE (cache), NULL);

  self = g_object_new (CD_TYPE_SYNC, NULL);
  self->client = g_object_ref (client);
  self->cache = g_object_ref (cache);
  if ((self->import_store = cd_store_open (cd_store_get_path (cache), error)) == NULL ||
      (self->projector = cd_projector_new (cd_store_get_path (cache), error)) == NULL)
    return NULL;
  if ((last = cd_store_get_last_seq (cache, error)) < 0)
    return NULL;
  self->received = self->imported = last;
  cd_client_note_seq (client, last);
  self->total = last;
  self->from_empty = last == 0;
  self->sender = cd_outbox_sender_new (client, cache);
  g_signal_connect_swapped (self->sender, "notify::pending", G_CALLBACK (on_pending_changed), self);
  g_signal_connect_swapped (self->sender, "sent", G_CALLBACK (on_action_sent), self);
  g_signal_connect_swapped (self->sender, "refused", G_CALLBACK (on_action_refused), self);
  g_signal_connect_swapped (self->sender, "failed", G_CALLBACK (on_send_failed), self);
  return g_steal_pointer (&self);
}

/**
 * cd_sync_start:
 * @self: a sync
 *
 * Connects and keeps connecting, with backoff, until cd_sync_stop().
 */
void
cd_sync_start (CdSync *self)
{
  g_return_if_fail (CD_IS_SYNC (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->attempt = 0;
  set_needs_login (self, FALSE);
  connect_feed (self);
}

/**
 * cd_sync_get_queue_snapshot:
 * @self: a sync
 *
 * The live queue as the server last pushed it (docs/api.md, "The
 * stream"): only to roles that read calls, only from a server that
 * follows a queue_log.
 *
 * Returns: (transfer none) (nullable): the last snapshot, or %NULL when
 *   none came since the stream opened, or the stream is closed
 */
const CdQueueSnapshot *
cd_sync_get_queue_snapshot (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), NULL);

  return self->queue_snapshot;
}

void
cd_sync_stop (CdSync *self)
{
  g_return_if_fail (CD_IS_SYNC (self));

  if (!self->running)
    return;
  self->running = FALSE;
  drop_connection (self);
  stop_reference (self);
  set_state (self, CD_CONNECTION_STATE_OFFLINE);
}

CdConnectionState
cd_sync_get_state (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), CD_CONNECTION_STATE_NOT_CONFIGURED);
  return self->state;
}

gint64
cd_sync_get_done (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  return self->imported;
}

gint64
cd_sync_get_total (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  return self->total;
}

/**
 * cd_sync_get_first_sync:
 * @self: a sync
 *
 * Whether the cache is being filled for the first time: it was empty when
 * the sync began, and the server has more than it holds. Figures counted
 * from it now would be a part of the truth. Follows #CdSync:done and
 * #CdSync:total.
 *
 * Returns: whether the first sync runs
 */
gboolean
cd_sync_get_first_sync (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), FALSE);
  return self->from_empty && self->imported < self->total;
}

gint64
cd_sync_get_offline_since (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  return self->offline_since;
}

guint
cd_sync_get_pending_actions (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  return cd_outbox_sender_get_pending (self->sender);
}

const char *
cd_sync_get_last_error (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), NULL);
  return self->last_error;
}

gboolean
cd_sync_get_needs_login (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), FALSE);
  return self->needs_login;
}

double
cd_sync_get_events_per_second (CdSync *self)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  return self->events_per_second;
}

/**
 * cd_sync_set_backoff:
 * @self: a sync
 * @min_ms: the first delay before reconnecting
 * @max_ms: the longest delay
 */
void
cd_sync_set_backoff (CdSync *self,
                     guint   min_ms,
                     guint   max_ms)
{
  g_return_if_fail (CD_IS_SYNC (self));
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  self->backoff_min_ms = min_ms;
  self->backoff_max_ms = max_ms;
}

/**
 * cd_sync_act:
 * @self: a sync
 * @ticket: the ticket's id or number
 * @action: an action of the transition table, not %CD_ACTION_REGISTER
 *   (see cd_sync_register())
 * @fields: (nullable): the action's fields, e.g. `{"executor":…}`
 * @error: a #CD_CLIENT_ERROR_BAD_REQUEST when @action is not one to take
 *   on a ticket, or a #CD_STORE_ERROR when the cache cannot keep it
 *
 * Queues an action in the cache's outbox with a fresh idempotency key and
 * sends it as soon as the server answers. The result comes as
 * #CdSync::action-sent or #CdSync::action-refused.
 *
 * Returns: the outbox entry's id, or 0 with @error set
 */
gint64
cd_sync_act (CdSync      *self,
             const char  *ticket,
             CdAction     action,
             JsonObject  *fields,
             GError     **error)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  g_return_val_if_fail (ticket != NULL, 0);

  if (action >= CD_N_ACTIONS || action == CD_ACTION_REGISTER)
    {
      g_set_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_BAD_REQUEST,
                   _("“%s” is not an action to take on a ticket."),
                   action < CD_N_ACTIONS ? cd_action_to_string (action) : "?");
      return 0;
    }
  return cd_outbox_sender_queue (self->sender, ticket, action, fields, error);
}

/**
 * cd_sync_register:
 * @self: a sync
 * @fields: the new ticket's fields (docs/api.md, "Registering a ticket")
 * @error: a #CD_STORE_ERROR when the cache cannot keep it
 *
 * Queues a new ticket's registration, as cd_sync_act() queues an action.
 *
 * Returns: the outbox entry's id, or 0 with @error set
 */
gint64
cd_sync_register (CdSync      *self,
                  JsonObject  *fields,
                  GError     **error)
{
  g_return_val_if_fail (CD_IS_SYNC (self), 0);
  g_return_val_if_fail (fields != NULL, 0);

  return cd_outbox_sender_queue (self->sender, NULL, CD_ACTION_REGISTER, fields, error);
}

/**
 * cd_sync_list_refused:
 * @self: a sync
 * @error: return location for a #CD_STORE_ERROR
 *
 * The actions the server refused that the person has not read yet: the
 * outbox keeps them across restarts until cd_sync_acknowledge_refusal().
 *
 * Returns: (transfer container) (element-type CdOutboxEntry): the
 *   entries, or %NULL with @error set
 */
GPtrArray *
cd_sync_list_refused (CdSync  *self,
                      GError **error)
{
  g_return_val_if_fail (CD_IS_SYNC (self), NULL);

  return cd_store_outbox_list_refused (self->cache, error);
}

/**
 * cd_sync_acknowledge_refusal:
 * @self: a sync
 * @id: a refused entry's id
 * @error: return location for a #CD_STORE_ERROR
 *
 * Records that the person read why the action was refused.
 *
 * Returns: whether it was recorded
 */
gboolean
cd_sync_acknowledge_refusal (CdSync  *self,
                             gint64   id,
                             GError **error)
{
  g_return_val_if_fail (CD_IS_SYNC (self), FALSE);

  return cd_store_outbox_acknowledge (self->cache, id, error);
}
