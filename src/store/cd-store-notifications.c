// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-notifications.c: the queue of messages to residents
 *
 * The queue is written with the event it is about, in one transaction:
 * a committed `resolve` always has its row, a rolled back one never. The
 * resident's phone is not copied into the queue: it is personal data and
 * stays where the journal's projection keeps it (the ticket's row), read
 * when the message is sent. The key a row is sent under is made once,
 * from the event's hash and the channel, and never changes, so that a
 * receiver that sees it twice knows it is the same message.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#include "cd-notify-template.h"
#include "cd-personal.h"
#include "cd-store-notifications.h"
#include "cd-store-private.h"

static const char * const state_names[] = { "pending", "sending", "sent", "failed" };
G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == CD_N_NOTIFICATION_STATES);

const char *
cd_notification_state_to_string (CdNotificationState state)
{
  g_return_val_if_fail (state < CD_N_NOTIFICATION_STATES, NULL);
  return state_names[state];
}

gboolean
cd_notification_state_from_string (const char          *text,
                                   CdNotificationState *state)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (text, state_names[i]))
      {
        *state = i;
        return TRUE;
      }
  return FALSE;
}

void
cd_notification_free (CdNotification *notification)
{
  if (notification == NULL)
    return;
  g_free (notification->key);
  g_free (notification->kind);
  g_free (notification->ticket_state);
  g_free (notification->channel);
  g_free (notification->recipient);
  g_free (notification->last_error);
  g_clear_pointer (&notification->ticket, cd_ticket_unref);
  g_free (notification);
}

/* Which template an event calls for, when it moves @ticket from @before
 * into a state the resident hears about; the `callback` outcomes that
 * close a ticket count as a close. */
static gboolean
kind_of_change (CdTicketState  before,
                CdTicketState  after,
                CdNotifyKind  *kind)
{
  if (before == after)
    return FALSE;
  switch (after)
    {
    case CD_TICKET_STATE_RESOLVED:
      *kind = CD_NOTIFY_RESOLVED;
      return TRUE;
    case CD_TICKET_STATE_CLOSED:
    case CD_TICKET_STATE_CLOSED_UNCONFIRMED:
      *kind = CD_NOTIFY_CLOSED;
      return TRUE;
    default:
      return FALSE;
    }
}

/* Steps @stmt to its end; the rows changed in @changes. */
static gboolean
run (CdStore     *self,
     CdDbStmt    *stmt,
     int         *changes,
     GError     **error)
{
  GError *db_error = NULL;

  if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("updating the notifications"), db_error, error);
  if (changes != NULL)
    *changes = (int) cd_db_changes (stmt);
  return TRUE;
}

static void
bind_nullable (CdDbStmt   *stmt,
               int         i,
               const char *value)
{
  if (value != NULL)
    cd_db_bind_text (stmt, i, value);
  else
    cd_db_bind_null (stmt, i);
}

/**
 * cd_store_enqueue_notifications:
 * @self: a store in a transaction, not in a bulk load
 * @ticket: the ticket after @event
 * @before: its state before @event
 * @event: the event just appended (sealed)
 * @error: return location for an error
 *
 * Queues the messages @event calls for: one per channel the resident can
 * be reached on (today a phone: `sms`). A bulk load (a generated history,
 * an import) queues nothing: it writes the past, not news.
 *
 * Returns: whether the rows were written
 */
gboolean
cd_store_enqueue_notifications (CdStore         *self,
                                const CdTicket  *ticket,
                                CdTicketState    before,
                                const CdEvent   *event,
                                GError         **error)
{
  g_autofree char *key = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  CdNotifyKind kind;

  if (self->bulk || !kind_of_change (before, ticket->state, &kind) ||
      ticket->resident_phone == NULL || *ticket->resident_phone == '\0')
    return TRUE;

  key = g_strdup_printf ("%.32s-sms", event->hash);
  stmt = cd_store_prepare (self,
                           "INSERT INTO notifications (seq, ticket, kind, ticket_state, channel, "
                           "key, next_try, created_at) VALUES (?1, ?2, ?3, ?4, 'sms', ?5, ?6, ?6)",
                           _("queueing a notification"), error);
  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, event->seq);
  cd_db_bind_text (stmt, 2, ticket->id);
  cd_db_bind_text (stmt, 3, cd_notify_kind_to_string (kind));
  cd_db_bind_text (stmt, 4, cd_ticket_state_to_string (ticket->state));
  cd_db_bind_text (stmt, 5, key);
  cd_db_bind_int64 (stmt, 6, event->time);
  return run (self, stmt, NULL, error);
}

#define NOTIFICATION_COLUMNS \
  "n_id, n_seq, n_key, n_kind, n_ticket_state, n_channel, n_state, n_attempts, n_next_try, " \
  "n_last_error, n_created_at, n_sent_at"

/* The queue's columns renamed, so that they do not clash with the
 * ticket's (id, state, created_at) in cd_store_ticket_columns(). */
#define NOTIFICATIONS_JOINED \
  "(SELECT id AS n_id, seq AS n_seq, ticket AS n_ticket, key AS n_key, kind AS n_kind, " \
  "ticket_state AS n_ticket_state, channel AS n_channel, state AS n_state, " \
  "attempts AS n_attempts, next_try AS n_next_try, last_error AS n_last_error, " \
  "created_at AS n_created_at, sent_at AS n_sent_at FROM notifications) AS queue " \
  "JOIN tickets ON tickets.id = n_ticket"

static char *
column_dup (CdDbStmt *stmt,
            int       column)
{
  return g_strdup (cd_db_column_text (stmt, column));
}

static CdNotification *
notification_from_row (CdDbStmt *stmt)
{
  CdNotification *n = g_new0 (CdNotification, 1);
  int c = CD_STORE_TICKET_HISTORY_COLUMN;

  n->ticket = cd_store_ticket_from_db_row (stmt);
  n->id = cd_db_column_int64 (stmt, c + 0);
  n->seq = cd_db_column_int64 (stmt, c + 1);
  n->key = column_dup (stmt, c + 2);
  n->kind = column_dup (stmt, c + 3);
  n->ticket_state = column_dup (stmt, c + 4);
  n->channel = column_dup (stmt, c + 5);
  if (!cd_notification_state_from_string (cd_db_column_text (stmt, c + 6), &n->state))
    n->state = CD_NOTIFICATION_FAILED;
  n->attempts = (guint) cd_db_column_int64 (stmt, c + 7);
  n->next_try = cd_db_column_int64 (stmt, c + 8);
  n->last_error = column_dup (stmt, c + 9);
  n->created_at = cd_db_column_int64 (stmt, c + 10);
  n->sent_at = cd_db_column_int64 (stmt, c + 11);
  n->recipient = g_strdup (n->ticket->resident_phone);
  return n;
}

/* The rows of the queue @where selects (with its ORDER and LIMIT), with
 * @text bound to ?1 when not %NULL and @a, @b after it. */
static gboolean
select_notifications (CdStore      *self,
                      const char   *where,
                      const char   *text,
                      gint64        a,
                      gint64        b,
                      GPtrArray    *out,
                      GError      **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;
  int i = 1;

  sql = g_strdup_printf ("SELECT %s, " NOTIFICATION_COLUMNS " FROM " NOTIFICATIONS_JOINED
                         " WHERE %s",
                         cd_store_ticket_columns (), where);
  if ((stmt = cd_store_prepare (self, sql, _("reading the notifications"), error)) == NULL)
    return FALSE;
  if (text != NULL)
    cd_db_bind_text (stmt, i++, text);
  cd_db_bind_int64 (stmt, i++, a);
  cd_db_bind_int64 (stmt, i, b);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (out, notification_from_row (stmt));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the notifications"), db_error, error);
  return TRUE;
}

/**
 * cd_store_list_notifications:
 * @self: a store
 * @state: a #CdNotificationState, or -1 for all
 * @role: (nullable): the reader's role: the recipients' phones are masked
 *   for one that does not see them, and the tickets' personal data dropped
 * @limit: the most rows, newest first; 0 for all
 * @notifications: (out) (transfer container) (element-type CdNotification)
 * @error: return location for an error
 *
 * Returns: whether the queue was read
 */
gboolean
cd_store_list_notifications (CdStore     *self,
                             int          state,
                             const char  *role,
                             guint        limit,
                             GPtrArray  **notifications,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_notification_free);
  gint64 most = limit > 0 ? (gint64) limit : G_MAXINT64;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (state < CD_N_NOTIFICATION_STATES, FALSE);

  *notifications = NULL;
  if (!cd_store_flush (self, error))
    return FALSE;
  /* No LIMIT -1 on PostgreSQL: "all" is the largest count. */
  if (!(state >= 0
        ? select_notifications (self, "n_state = ?1 AND n_id > ?2 ORDER BY n_id DESC LIMIT ?3",
                                state_names[state], 0, most, list, error)
        : select_notifications (self, "n_id > ?1 ORDER BY n_id DESC LIMIT ?2", NULL, 0, most,
                                list, error)))
    return FALSE;

  for (guint i = 0; i < list->len; i++)
    {
      CdNotification *n = list->pdata[i];

      if (!cd_personal_role_sees (role))
        {
          char *masked = cd_personal_mask_phone (n->recipient);

          g_free (n->recipient);
          n->recipient = masked;
          g_clear_pointer (&n->ticket->resident_phone, g_free);
          g_clear_pointer (&n->ticket->resident_name, g_free);
        }
    }
  *notifications = g_steal_pointer (&list);
  return TRUE;
}

/**
 * cd_store_claim_notifications:
 * @self: a store, not in a transaction
 * @now: Unix seconds
 * @limit: the most rows to claim
 * @notifications: (out) (transfer container) (element-type CdNotification):
 *   the rows claimed, oldest due first, with the residents' phones
 * @error: return location for an error
 *
 * Marks the pending rows due at @now `sending`, counting the attempt, and
 * returns them, in one transaction: the mark is on disk before anything
 * is handed to a command or a webhook. The transaction holds the write
 * lock, so that two servers on one database never claim the same row.
 *
 * Returns: whether the rows were claimed
 */
gboolean
cd_store_claim_notifications (CdStore     *self,
                              gint64       now,
                              guint        limit,
                              GPtrArray  **notifications,
                              GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_notification_free);
  g_autoptr(CdDbStmt) mark = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  *notifications = NULL;
  if (!cd_store_begin (self, error))
    return FALSE;
  if (!select_notifications (self, "n_state = 'pending' AND n_next_try <= ?1 "
                             "ORDER BY n_next_try, n_id LIMIT ?2",
                             NULL, now, limit, list, error))
    goto fail;
  if (list->len > 0 &&
      (mark = cd_store_prepare (self, "UPDATE notifications SET state = 'sending', "
                                "attempts = attempts + 1 WHERE id = ?1",
                                _("updating the notifications"), error)) == NULL)
    goto fail;
  for (guint i = 0; i < list->len; i++)
    {
      CdNotification *n = list->pdata[i];

      cd_db_reset (mark);
      cd_db_bind_int64 (mark, 1, n->id);
      if (!run (self, mark, NULL, error))
        goto fail;
      n->state = CD_NOTIFICATION_SENDING;
      n->attempts++;
    }
  if (!cd_store_commit (self, error))
    goto fail;
  *notifications = g_steal_pointer (&list);
  return TRUE;

fail:
  cd_store_rollback (self);
  return FALSE;
}

/**
 * cd_store_finish_notification:
 * @self: a store, not in a transaction
 * @id: a row claimed by cd_store_claim_notifications()
 * @state: %CD_NOTIFICATION_SENT, %CD_NOTIFICATION_PENDING (to be tried
 *   again at @next_try) or %CD_NOTIFICATION_FAILED
 * @next_try: for %CD_NOTIFICATION_PENDING, when
 * @why: (nullable): for a failure, why (kept as the row's last error)
 * @now: Unix seconds
 * @error: return location for an error
 *
 * Records the end of a try. The sender decides the state from the answer
 * and the backoff schedule (cd_notify_backoff_next()).
 *
 * Returns: whether the row was updated
 */
gboolean
cd_store_finish_notification (CdStore              *self,
                              gint64                id,
                              CdNotificationState   state,
                              gint64                next_try,
                              const char           *why,
                              gint64                now,
                              GError              **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  const char *sql;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != CD_NOTIFICATION_SENDING, FALSE);

  switch (state)
    {
    case CD_NOTIFICATION_SENT:
      sql = "UPDATE notifications SET state = 'sent', sent_at = ?2, last_error = NULL "
            "WHERE id = ?1";
      break;
    case CD_NOTIFICATION_PENDING:
      sql = "UPDATE notifications SET state = 'pending', next_try = ?2, last_error = ?3 "
            "WHERE id = ?1";
      break;
    default:
      sql = "UPDATE notifications SET state = 'failed', last_error = ?2 WHERE id = ?1";
      break;
    }
  if ((stmt = cd_store_prepare (self, sql, _("updating the notifications"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, id);
  switch (state)
    {
    case CD_NOTIFICATION_SENT:
      cd_db_bind_int64 (stmt, 2, now);
      break;
    case CD_NOTIFICATION_PENDING:
      cd_db_bind_int64 (stmt, 2, next_try);
      bind_nullable (stmt, 3, why);
      break;
    default:
      bind_nullable (stmt, 2, why);
      break;
    }
  return run (self, stmt, NULL, error);
}

/**
 * cd_store_recover_notifications:
 * @self: a store
 * @n_recovered: (out) (optional): how many rows were left `sending`
 * @error: return location for an error
 *
 * For the sender's start: a row left `sending` by a server that stopped
 * mid-try may or may not have reached the resident. It goes back to
 * `pending`, due now, under the same key: a receiver that honours the key
 * (the webhook's Idempotency-Key, the command's CITYDESK_NOTIFICATION_ID)
 * drops the second copy.
 *
 * Returns: whether the rows were updated
 */
gboolean
cd_store_recover_notifications (CdStore  *self,
                                guint    *n_recovered,
                                GError  **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  int changes = 0;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  stmt = cd_store_prepare (self, "UPDATE notifications SET state = 'pending', "
                           "last_error = 'interrupted: the server stopped during the try' "
                           "WHERE state = 'sending'", _("updating the notifications"), error);
  if (stmt == NULL || !run (self, stmt, &changes, error))
    return FALSE;
  if (n_recovered != NULL)
    *n_recovered = (guint) changes;
  return TRUE;
}

/**
 * cd_store_retry_notification:
 * @self: a store
 * @id: a failed row
 * @now: Unix seconds
 * @error: %CD_STORE_ERROR_NOT_FOUND, or %CD_STORE_ERROR_CONFLICT when the
 *   row is not failed
 *
 * Puts a failed row back in the queue, due at @now, for one more try
 * under the same key.
 *
 * Returns: whether the row is pending again
 */
gboolean
cd_store_retry_notification (CdStore  *self,
                             gint64    id,
                             gint64    now,
                             GError  **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autoptr(CdDbStmt) update = NULL;
  g_autofree char *state = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if ((stmt = cd_store_prepare (self, "SELECT state FROM notifications WHERE id = ?1",
                                _("reading the notifications"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, id);
  step = cd_db_step (stmt, &db_error);
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the notifications"), db_error, error);
  if (step == CD_DB_DONE)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                   _("No notification %" PRId64 "."), id);
      return FALSE;
    }
  state = column_dup (stmt, 0);
  if (!g_str_equal (state, "failed"))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                   _("Notification %" PRId64 " is %s, not failed: only a failed one "
                     "is retried."), id, state);
      return FALSE;
    }
  /* One more try: attempts keep counting, so a try that fails again goes
   * straight back to failed rather than through the whole schedule. */
  if ((update = cd_store_prepare (self, "UPDATE notifications SET state = 'pending', next_try = ?2 "
                                  "WHERE id = ?1", _("updating the notifications"), error)) == NULL)
    return FALSE;
  cd_db_bind_int64 (update, 1, id);
  cd_db_bind_int64 (update, 2, now);
  return run (self, update, NULL, error);
}

static void
set_time (JsonObject *object,
          const char *member,
          gint64      time)
{
  g_autoptr(GDateTime) dt = time > 0 ? g_date_time_new_from_unix_utc (time) : NULL;
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;

  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

/**
 * cd_notification_to_json:
 * @notification: a row of the queue
 *
 * The shape `GET /api/v1/notifications` and `citydeskctl notifications
 * list --json` give (docs/notifications.md).
 *
 * Returns: (transfer full): a new object
 */
JsonObject *
cd_notification_to_json (const CdNotification *notification)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", notification->id);
  json_object_set_string_member (object, "ticket", notification->ticket->number);
  json_object_set_int_member (object, "seq", notification->seq);
  json_object_set_string_member (object, "kind", notification->kind);
  json_object_set_string_member (object, "ticket_state", notification->ticket_state);
  json_object_set_string_member (object, "channel", notification->channel);
  json_object_set_string_member (object, "recipient", notification->recipient);
  json_object_set_string_member (object, "state",
                                 cd_notification_state_to_string (notification->state));
  json_object_set_int_member (object, "attempts", notification->attempts);
  if (notification->state == CD_NOTIFICATION_PENDING)
    set_time (object, "next_try", notification->next_try);
  else
    json_object_set_null_member (object, "next_try");
  json_object_set_string_member (object, "last_error", notification->last_error);
  json_object_set_string_member (object, "key", notification->key);
  set_time (object, "created_at", notification->created_at);
  set_time (object, "sent_at", notification->sent_at);
  return object;
}

/**
 * cd_store_copy_notifications:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @n_copied: (out) (optional): how many messages @self was given
 * @error: return location for an error
 *
 * Gives @self the messages to residents of @from that it lacks, by their
 * id, with their state, attempts and times: a message sent is not sent
 * again there, one queued is sent from there, one failed stays failed. A
 * message @self holds otherwise (the server there has tried it since) is
 * refused, and nothing is copied.
 *
 * Returns: whether every message of @from is in @self
 */
gboolean
cd_store_copy_notifications (CdStore  *self,
                             CdStore  *from,
                             gint64   *n_copied,
                             GError  **error)
{
  static const CdStoreCopyTable table = {
    "notifications", "id, seq, ticket, kind, ticket_state, channel, key, state, attempts, "
    "next_try, last_error, created_at, sent_at", 1, "iitttttttitii"
  };
  GError *db_error = NULL;
  gint64 n = 0;

  if (n_copied != NULL)
    *n_copied = 0;
  if (!cd_store_copy_tables (self, from, &table, 1, &n, error))
    return FALSE;
  /* The ids were given, not taken: the identity goes on after them, or
   * the next message queued there would take a copied one's. */
  if (n > 0 && cd_store_is_postgresql (self) &&
      !cd_db_exec (self->conn, "SELECT setval (pg_get_serial_sequence ('notifications', 'id'), "
                   "(SELECT max (id) FROM notifications))", &db_error))
    return cd_store_db_error (self, _("copying the messages to residents"), db_error, error);
  if (n_copied != NULL)
    *n_copied = n;
  return TRUE;
}
