// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-live.c: the live queue, pushed over the stream
 *
 * What changes second by second (who waits, what each operator does) is
 * not journaled: the follower's reader folds each queue_log record into a
 * CdQueueState (src/core/calls/cd-queue-state.c), and a snapshot of it
 * goes to the stream's clients that may read calls once a second, and as
 * soon as new lines were read. A tick builds one snapshot and serializes
 * it once, whatever the number of clients; the missed calls awaiting a
 * callback are read from the store only when a call or a callback was
 * committed, not on every tick.
 */

#include "config.h"

#include "cd-queue-state.h"
#include "cd-server-private.h"
#include "cd-store-calls.h"

#define TICK_MS 1000
/* Lines read in quick succession (a backlog, a busy PBX) make one
 * snapshot per this many milliseconds at most. */
#define MIN_GAP_MS 100

struct _CdServerLive
{
  CdServer     *server;
  CdQueueState *state;
  guint         tick_id;
  guint         soon_id;
  gint64        last_tick;       /* monotonic µs */
  char         *text;            /* the last message sent */
  gboolean      missed_stale;
  guint         missed_waiting;
  gint64        oldest_missed_due;
};

static void tick (CdServerLive *self);

static gboolean
on_tick (gpointer user_data)
{
  tick (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * cd_server_live_new:
 * @server: the server whose stream gets the snapshots
 *
 * Starts ticking at once: a server that follows a queue_log sends a
 * snapshot every second from the start, even before the first line.
 *
 * Returns: (transfer full): the live queue, empty
 */
CdServerLive *
cd_server_live_new (CdServer *server)
{
  CdServerLive *self = g_new0 (CdServerLive, 1);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();

  self->server = server;
  self->state = cd_queue_state_new (zone);
  cd_queue_state_set_wrap_up (self->state, server->config->queue_wrapup);
  /* The state learns the server's clock from its snapshots: one before
   * the backlog, so that no line dated far ahead turns its day. */
  cd_queue_snapshot_free (cd_queue_state_snapshot (self->state, cd_server_now (server)));
  self->missed_stale = TRUE;
  self->tick_id = g_timeout_add (TICK_MS, on_tick, self);
  return self;
}

void
cd_server_live_free (CdServerLive *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  cd_queue_state_free (self->state);
  g_free (self->text);
  g_free (self);
}

/* The reader of each file the follower opens folds into this. */
CdQueueState *
cd_server_live_get_state (CdServerLive *self)
{
  return self->state;
}

static void
read_missed (CdServerLive *self,
             gint64        now)
{
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(GError) error = NULL;

  if (!cd_store_list_missed_calls (self->server->store, TRUE, now, NULL, &missed, &error))
    {
      /* A busy database: the next tick tries again. */
      cd_server_log_failure ("The live queue cannot read the missed calls", error);
      return;
    }
  self->missed_waiting = missed->len;
  /* Oldest first. */
  self->oldest_missed_due = missed->len > 0
    ? ((CdMissedCall *) g_ptr_array_index (missed, 0))->due : 0;
  self->missed_stale = FALSE;
}

/* One snapshot, serialized once for every client. */
static void
build_text (CdServerLive *self)
{
  g_autoptr(CdQueueSnapshot) snapshot = NULL;
  g_autoptr(JsonObject) message = json_object_new ();
  gint64 now = cd_server_now (self->server);

  if (self->missed_stale)
    read_missed (self, now);
  snapshot = cd_queue_state_snapshot (self->state, now);
  snapshot->missed_waiting = self->missed_waiting;
  snapshot->oldest_missed_due = self->oldest_missed_due;
  json_object_set_string_member (message, "type", CD_QUEUE_SNAPSHOT_TYPE);
  json_object_set_object_member (message, "snapshot", cd_queue_snapshot_to_json (snapshot));
  g_free (self->text);
  self->text = cd_server_object_to_text (message, NULL);
}

static void
tick (CdServerLive *self)
{
  self->last_tick = g_get_monotonic_time ();
  build_text (self);
  if (self->server->stream != NULL)
    cd_server_stream_send_queue (self->server->stream, self->text);
}

static gboolean
on_soon (gpointer user_data)
{
  CdServerLive *self = user_data;

  self->soon_id = 0;
  tick (self);
  /* The next regular tick a whole second after this one. */
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->tick_id = g_timeout_add (TICK_MS, on_tick, self);
  return G_SOURCE_REMOVE;
}

/**
 * cd_server_live_changed:
 * @self: the live queue
 *
 * Lines were read: a snapshot goes out on the next turn of the main loop
 * (or a little later, after another one just went out).
 */
void
cd_server_live_changed (CdServerLive *self)
{
  gint64 since;

  if (self->soon_id != 0)
    return;
  since = (g_get_monotonic_time () - self->last_tick) / 1000;
  if (since >= MIN_GAP_MS)
    self->soon_id = g_idle_add (on_soon, self);
  else
    self->soon_id = g_timeout_add (MIN_GAP_MS - since, on_soon, self);
}

/* A call or a callback was committed: the missed calls awaiting a
 * callback are read again for the next snapshot. */
void
cd_server_live_missed_changed (CdServerLive *self)
{
  if (self == NULL)
    return;
  self->missed_stale = TRUE;
  cd_server_live_changed (self);
}

/* The message a client that just connected gets at once: the last one
 * sent, or a fresh one before the first tick. */
const char *
cd_server_live_get_text (CdServerLive *self)
{
  if (self->text == NULL)
    build_text (self);
  return self->text;
}
