// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-outbox-sender.c: sends the cache's outbox to the server, one action
 * at a time, in order
 *
 * An action is written to the cache's outbox (cd-store-outbox.c) before
 * anything is sent, so that it survives the app, the network and the
 * server. While its owner (CdSync) says the server answers, the oldest
 * pending entry is posted with its idempotency key; only one request is
 * in flight, so the server sees the actions in the order they were taken.
 * The server's answer marks the entry sent or refused. Anything that is
 * not an answer about the action itself (the network, a 5xx, a lost
 * login, a garbled reply, the connection being dropped) leaves it pending,
 * to go again with the same key once the owner resumes the sender: the
 * server acts at most once. The owner's reconnection backoff paces those
 * retries.
 */

#include "config.h"

#include "cd-outbox-sender.h"

struct _CdOutboxSender
{
  GObject       parent_instance;

  CdClient     *client;
  CdStore      *cache;
  /* The owner's connection: set while the server answers. */
  GCancellable *cancellable;
  gboolean      sending;
  guint         pending;
};

G_DEFINE_FINAL_TYPE (CdOutboxSender, cd_outbox_sender, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PENDING,
  N_PROPS
};

enum
{
  SIGNAL_SENT,
  SIGNAL_REFUSED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void send_next (CdOutboxSender *self);

static void
update_pending (CdOutboxSender *self)
{
  g_autoptr(GError) error = NULL;
  gint64 n = cd_store_outbox_count_pending (self->cache, &error);

  if (n < 0)
    {
      g_warning ("Cannot count the queued actions: %s", error->message);
      return;
    }
  if (self->pending == (guint) n)
    return;
  self->pending = (guint) n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/**
 * cd_outbox_entry_to_request:
 * @entry: an outbox entry
 *
 * The request body the API takes for @entry (docs/api.md, "Writes"): a
 * registration's fields as they are, an action's with its `action`.
 *
 * Returns: (transfer full): JSON text
 */
char *
cd_outbox_entry_to_request (const CdOutboxEntry *entry)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  g_return_val_if_fail (entry != NULL, NULL);

  if (entry->action != CD_ACTION_REGISTER)
    json_object_set_string_member (body, "action", cd_action_to_string (entry->action));
  json_object_iter_init (&iter, entry->fields);
  while (json_object_iter_next (&iter, &member, &value))
    json_object_set_member (body, member, json_node_copy (value));
  json_node_set_object (node, body);
  return json_to_string (node, FALSE);
}

typedef struct
{
  CdOutboxSender *self;
  gint64          id;
} Posting;

static void
on_posted (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree Posting *posting = user_data;
  g_autoptr(CdOutboxSender) self = posting->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gint64 id = posting->id;

  self->sending = FALSE;
  answer = cd_client_post_finish (CD_CLIENT (source), result, &error);
  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The connection was dropped: the entry goes on the next one. */
      send_next (self);
      return;
    }
  if (answer == NULL &&
      (cd_client_error_is_transient (error) ||
       g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_UNAUTHORIZED) ||
       g_error_matches (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL)))
    {
      /* Not an answer about the action itself: it stays pending and goes
       * again, with the same key, when the owner resumes. */
      cd_outbox_sender_pause (self);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
      return;
    }

  if (!cd_store_outbox_finish (self->cache, id, answer == NULL ? error->message : NULL,
                               &store_error))
    {
      g_warning ("Cannot record the server’s answer to a queued action: %s",
                 store_error->message);
      return;
    }
  update_pending (self);
  if (answer != NULL)
    g_signal_emit (self, signals[SIGNAL_SENT], 0, id);
  else
    g_signal_emit (self, signals[SIGNAL_REFUSED], 0, id, error->message);
  send_next (self);
}

static void
send_next (CdOutboxSender *self)
{
  g_autoptr(CdOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  Posting *posting;

  if (self->sending || self->cancellable == NULL)
    return;

  update_pending (self);
  if ((entry = cd_store_outbox_next_pending (self->cache, &error)) == NULL)
    {
      if (error != NULL)
        g_warning ("Cannot read the outbox: %s", error->message);
      return;
    }

  path = entry->ticket != NULL ? cd_client_action_path (entry->ticket)
                                : g_strdup ("/api/v1/tickets");
  body = cd_outbox_entry_to_request (entry);
  posting = g_new0 (Posting, 1);
  posting->self = g_object_ref (self);
  posting->id = entry->id;
  self->sending = TRUE;
  cd_client_post_async (self->client, path, entry->idempotency_key, body,
                        self->cancellable, on_posted, posting);
}

static void
cd_outbox_sender_dispose (GObject *object)
{
  CdOutboxSender *self = CD_OUTBOX_SENDER (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (cd_outbox_sender_parent_class)->dispose (object);
}

static void
cd_outbox_sender_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CdOutboxSender *self = CD_OUTBOX_SENDER (object);

  switch (prop_id)
    {
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_outbox_sender_class_init (CdOutboxSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_outbox_sender_dispose;
  object_class->get_property = cd_outbox_sender_get_property;

  /**
   * CdOutboxSender:pending:
   *
   * The actions in the outbox the server has not answered yet.
   */
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CdOutboxSender::sent:
   * @self: the sender
   * @id: the outbox entry the server accepted
   */
  signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CdOutboxSender::refused:
   * @self: the sender
   * @id: the outbox entry the server refused
   * @message: the server's reason
   */
  signals[SIGNAL_REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /**
   * CdOutboxSender::failed:
   * @self: the sender, now paused
   * @error: why the server gave no answer about the action
   *
   * The entry stays pending; the owner resumes the sender once the server
   * answers again.
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cd_outbox_sender_init (CdOutboxSender *self)
{
}

/**
 * cd_outbox_sender_new:
 * @client: the client the entries are posted with
 * @cache: the cache whose outbox is sent (used on the main thread)
 *
 * Returns: (transfer full): a paused sender
 */
CdOutboxSender *
cd_outbox_sender_new (CdClient *client,
                      CdStore  *cache)
{
  CdOutboxSender *self;

  g_return_val_if_fail (CD_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CD_IS_STORE (cache), NULL);

  self = g_object_new (CD_TYPE_OUTBOX_SENDER, NULL);
  self->client = g_object_ref (client);
  self->cache = g_object_ref (cache);
  update_pending (self);
  return self;
}

/**
 * cd_outbox_sender_queue:
 * @self: a sender
 * @ticket: (nullable): the ticket's id or number; %NULL to register one
 * @action: the action; %CD_ACTION_REGISTER exactly when @ticket is %NULL
 * @fields: (nullable): the action's fields
 * @error: a #CD_STORE_ERROR when the cache cannot keep it
 *
 * Writes the action into the outbox with a fresh idempotency key, then
 * sends it if the server answers.
 *
 * Returns: the entry's id, or 0 with @error set
 */
gint64
cd_outbox_sender_queue (CdOutboxSender  *self,
                        const char      *ticket,
                        CdAction         action,
                        JsonObject      *fields,
                        GError         **error)
{
  g_autofree char *key = g_uuid_string_random ();
  gint64 id;

  g_return_val_if_fail (CD_IS_OUTBOX_SENDER (self), 0);

  id = cd_store_outbox_push (self->cache, key, ticket, action, fields,
                             g_get_real_time () / G_USEC_PER_SEC, error);
  if (id == 0)
    return 0;
  update_pending (self);
  send_next (self);
  return id;
}

/**
 * cd_outbox_sender_resume:
 * @self: a sender
 * @cancellable: the owner's connection, cancelled when it drops
 *
 * The server answers: what the outbox holds goes, in order.
 */
void
cd_outbox_sender_resume (CdOutboxSender *self,
                         GCancellable   *cancellable)
{
  g_return_if_fail (CD_IS_OUTBOX_SENDER (self));
  g_return_if_fail (G_IS_CANCELLABLE (cancellable));

  g_set_object (&self->cancellable, cancellable);
  send_next (self);
}

/**
 * cd_outbox_sender_pause:
 * @self: a sender
 *
 * Nothing more is sent until cd_outbox_sender_resume(); a request in
 * flight finishes (or is cancelled with the owner's connection).
 */
void
cd_outbox_sender_pause (CdOutboxSender *self)
{
  g_return_if_fail (CD_IS_OUTBOX_SENDER (self));

  g_clear_object (&self->cancellable);
}

guint
cd_outbox_sender_get_pending (CdOutboxSender *self)
{
  g_return_val_if_fail (CD_IS_OUTBOX_SENDER (self), 0);
  return self->pending;
}
