// SPDX-License-Identifier: GPL-3.0-or-later
//
// --read-db: a streaming replica of the PostgreSQL primary serves the
// event feed and the thin reads of tickets (docs/deploy.md). A client
// never sees it go backwards: it says the highest sequence it has seen
// (`after=` on the feed, X-Citydesk-Min-Seq on the thin reads), and the
// replica answers only once it has replayed that far. Until then the
// request waits, paused, a little (the replica is usually milliseconds
// behind), then the primary answers. A replica that fails is set aside,
// said once in the log, and tried again a few seconds later: a client
// never gets an error for it. Every answer says the head it was read at
// (X-Citydesk-Head), which the client sends back on its next read.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-db.h"
#include "cd-server-private.h"

/* How long a read waits for the replica to replay what its client has
 * seen, and how often it looks meanwhile. */
#define WAIT_US (200 * 1000)
#define POLL_MS 10
/* How long a replica that failed is left alone before it is tried again. */
#define RETRY_US (2 * G_USEC_PER_SEC)

struct _CdServerReplica
{
  char    *uri;
  /* The URI without its password, for the log. */
  char    *shown;
  /* NULL while the replica is set aside. */
  CdStore *store;
  gint64   retry_at;
  /* Whether the log said it is down, so that it says so once per outage. */
  gboolean told_down;
  /* The reads waiting for it to replay (Waiting). */
  GPtrArray *waiting;
};

typedef struct
{
  CdServer          *server;
  SoupServerMessage *msg;
  gint64             min_seq;
  gint64             deadline;
  CdServerReadFunc   func;
  gpointer           data;
  GDestroyNotify     destroy;
  guint              poll_id;
  gulong             finished_id;
  gboolean           finished;
} Waiting;

static void
waiting_free (Waiting *w)
{
  g_clear_handle_id (&w->poll_id, g_source_remove);
  if (w->finished_id != 0)
    g_signal_handler_disconnect (w->msg, w->finished_id);
  if (w->destroy != NULL)
    w->destroy (w->data);
  g_object_unref (w->msg);
  g_free (w);
}

static void
set_aside (CdServerReplica *replica,
           const GError    *error)
{
  g_clear_object (&replica->store);
  replica->retry_at = g_get_monotonic_time () + RETRY_US;
  if (!replica->told_down)
    g_message ("The read replica %s fails (%s): reading from the primary until it is back",
               replica->shown, error->message);
  replica->told_down = TRUE;
}

/* The replica's store, opened again when its pause is over, or NULL. */
static CdStore *
replica_store (CdServerReplica *replica)
{
  g_autoptr(GError) error = NULL;

  if (replica->store != NULL || g_get_monotonic_time () < replica->retry_at)
    return replica->store;
  if ((replica->store = cd_store_open_replica (replica->uri, &error)) == NULL)
    {
      set_aside (replica, error);
      return NULL;
    }
  if (replica->told_down)
    g_message ("The read replica %s is back", replica->shown);
  replica->told_down = FALSE;
  return replica->store;
}

/**
 * cd_server_replica_new:
 * @uri: the replica's `postgresql://` URI
 * @error: return location for an error
 *
 * Connects to the replica. A database of another schema than this
 * program's is refused; a replica that cannot be reached is not an error:
 * the primary serves until it can.
 *
 * Returns: (transfer full): the replica, or %NULL with @error set
 */
CdServerReplica *
cd_server_replica_new (const char  *uri,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdStore) store = NULL;
  CdServerReplica *replica;

  if ((store = cd_store_open_replica (uri, &local_error)) == NULL &&
      !g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  replica = g_new0 (CdServerReplica, 1);
  replica->uri = g_strdup (uri);
  replica->shown = cd_db_redact (uri);
  replica->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) waiting_free);
  replica->store = g_steal_pointer (&store);
  if (replica->store == NULL)
    set_aside (replica, local_error);
  return replica;
}

void
cd_server_replica_free (CdServerReplica *replica)
{
  if (replica == NULL)
    return;
  g_ptr_array_unref (replica->waiting);
  g_clear_object (&replica->store);
  g_free (replica->uri);
  g_free (replica->shown);
  g_free (replica);
}

/**
 * cd_server_parse_min_seq:
 * @msg: a request, answered 400 when its X-Citydesk-Min-Seq is not valid
 * @out: (out): the header's value, 0 without it
 *
 * The one reader of X-Citydesk-Min-Seq: a whole number from 0 to
 * 2^63 − 1 in decimal digits, nothing else (no sign, space, leading zero
 * or second value).
 *
 * Returns: whether the header is absent or valid
 */
gboolean
cd_server_parse_min_seq (SoupServerMessage *msg,
                         gint64            *out)
{
  const char *text = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                    "X-Citydesk-Min-Seq");
  guint64 value = 0;
  gsize len;

  *out = 0;
  if (text == NULL)
    return TRUE;
  len = strlen (text);
  if (len == 0 || len > 19 || (text[0] == '0' && len > 1) ||
      strspn (text, "0123456789") != len ||
      !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("X-Citydesk-Min-Seq must be one whole number from 0 to "
                              "9223372036854775807."),
                            "X-Citydesk-Min-Seq");
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

static void
set_head (SoupServerMessage *msg,
          gint64             head,
          const char        *source)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, head);
  soup_message_headers_replace (headers, "X-Citydesk-Head", text);
  soup_message_headers_replace (headers, "X-Citydesk-Read", source);
}

static void
read_primary (CdServer          *self,
              SoupServerMessage *msg,
              CdServerReadFunc   func,
              gpointer           data)
{
  g_autoptr(GError) error = NULL;
  gint64 head = cd_store_get_last_seq (self->store, &error);

  if (head < 0)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  set_head (msg, head, "primary");
  if (!func (self, msg, self->store, head, data, &error))
    cd_server_send_gerror (msg, error);
}

static gboolean on_poll (gpointer user_data);

/* Answers @w from the replica when it has replayed @w->min_seq, from the
 * primary when it is down or the wait is over.
 *
 * Returns: whether @w is answered (else it waits for the next poll) */
static gboolean
attempt (Waiting *w)
{
  CdServer *self = w->server;
  CdServerReplica *replica = self->replica;
  g_autoptr(GError) error = NULL;
  CdStore *store = replica_store (replica);
  gint64 head;

  if (store != NULL)
    {
      if ((head = cd_store_get_last_seq (store, &error)) < 0)
        set_aside (replica, error);
      else if (head >= w->min_seq)
        {
          set_head (w->msg, head, "replica");
          if (w->func (self, w->msg, store, head, w->data, &error))
            return TRUE;
          set_aside (replica, error);
        }
      else if (g_get_monotonic_time () < w->deadline)
        return FALSE;
    }
  read_primary (self, w->msg, w->func, w->data);
  return TRUE;
}

static void
on_finished (SoupServerMessage *msg,
             Waiting           *w)
{
  w->finished = TRUE;
}

static gboolean
on_poll (gpointer user_data)
{
  Waiting *w = user_data;

  if (!w->finished && !attempt (w))
    return G_SOURCE_CONTINUE;
  w->poll_id = 0;
  if (!w->finished)
    soup_server_message_unpause (w->msg);
  g_ptr_array_remove_fast (w->server->replica->waiting, w);
  return G_SOURCE_REMOVE;
}

/**
 * cd_server_read_at:
 * @self: the server
 * @msg: the request
 * @min_seq: the highest sequence the client has seen
 * @func: reads and answers, from the store it is given
 * @data: (transfer full): for @func
 * @destroy: (nullable): frees @data
 *
 * Runs @func on a store that has at least @min_seq: the replica when there
 * is one that has replayed that far (waiting up to 200 ms for it), else the
 * primary. The answer says the head @func read at (X-Citydesk-Head) and
 * which database it came from (X-Citydesk-Read). When @func fails on the
 * replica, the replica is set aside and the primary answers.
 */
void
cd_server_read_at (CdServer          *self,
                   SoupServerMessage *msg,
                   gint64             min_seq,
                   CdServerReadFunc   func,
                   gpointer           data,
                   GDestroyNotify     destroy)
{
  Waiting *w;

  if (self->replica == NULL)
    {
      read_primary (self, msg, func, data);
      if (destroy != NULL)
        destroy (data);
      return;
    }

  w = g_new0 (Waiting, 1);
  w->server = self;
  w->msg = g_object_ref (msg);
  w->min_seq = min_seq;
  w->deadline = g_get_monotonic_time () + WAIT_US;
  w->func = func;
  w->data = data;
  w->destroy = destroy;
  if (attempt (w))
    {
      waiting_free (w);
      return;
    }
  w->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished), w);
  soup_server_message_pause (msg);
  w->poll_id = g_timeout_add (POLL_MS, on_poll, w);
  g_ptr_array_add (self->replica->waiting, w);
}

/**
 * cd_server_set_read_db:
 * @self: a server on a PostgreSQL database
 * @uri: its streaming replica's `postgresql://` URI
 * @error: return location for an error
 *
 * Serves the event feed and the thin reads of tickets from @uri when it
 * has replayed what the client has seen (cd_server_read_at()).
 *
 * Returns: whether @uri is a replica of this program's schema (one that
 *   cannot be reached now is, and is tried again later)
 */
gboolean
cd_server_set_read_db (CdServer    *self,
                       const char  *uri,
                       GError     **error)
{
  CdServerReplica *replica;

  g_return_val_if_fail (CD_IS_SERVER (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  if (!cd_db_is_uri (cd_store_get_path (self->store)))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE,
                   _("A read replica (--read-db) needs a PostgreSQL primary (--db "
                     "postgresql://…)."));
      return FALSE;
    }
  if ((replica = cd_server_replica_new (uri, error)) == NULL)
    return FALSE;
  cd_server_replica_free (self->replica);
  self->replica = replica;
  return TRUE;
}
