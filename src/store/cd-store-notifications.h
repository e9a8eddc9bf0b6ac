// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-notifications.h: the queue of messages to residents
 * (docs/notifications.md)
 *
 * A row per (event, channel) is written in the transaction that appends
 * the event that resolves or closes a ticket (cd_store_append()), so that
 * nothing committed is missed and a restart loses nothing. The server's
 * sender claims due rows (`sending`), and marks each `sent`, back to
 * `pending` for a later try, or `failed`.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-store.h"

G_BEGIN_DECLS

/**
 * CdNotificationState:
 * @CD_NOTIFICATION_PENDING: waiting for its next try
 * @CD_NOTIFICATION_SENDING: handed to the command or webhook, no answer yet
 * @CD_NOTIFICATION_SENT: the command or webhook accepted it
 * @CD_NOTIFICATION_FAILED: refused for good, or out of tries
 */
typedef enum
{
  CD_NOTIFICATION_PENDING,
  CD_NOTIFICATION_SENDING,
  CD_NOTIFICATION_SENT,
  CD_NOTIFICATION_FAILED,
  CD_N_NOTIFICATION_STATES
} CdNotificationState;

const char *cd_notification_state_to_string   (CdNotificationState  state);
gboolean    cd_notification_state_from_string (const char          *text,
                                               CdNotificationState *state);

/**
 * CdNotification:
 * @id: the row's id
 * @seq: the event's sequence number
 * @key: the idempotency key, the same on every try
 * @kind: `resolved` or `closed`: which template
 * @ticket_state: the state the event left the ticket in
 * @channel: `sms` (to the resident's phone)
 * @recipient: (nullable): the resident's phone, masked for a role that
 *   does not see it in full
 * @state: where it is
 * @attempts: tries made
 * @next_try: when it is due (pending), Unix seconds
 * @last_error: (nullable): why the last try failed
 * @created_at: the event's time
 * @sent_at: when it was sent, or 0
 * @ticket: the ticket as it is now (for the template's fields)
 */
typedef struct
{
  gint64               id;
  gint64               seq;
  char                *key;
  char                *kind;
  char                *ticket_state;
  char                *channel;
  char                *recipient;
  CdNotificationState  state;
  guint                attempts;
  gint64               next_try;
  char                *last_error;
  gint64               created_at;
  gint64               sent_at;
  CdTicket            *ticket;
} CdNotification;

void cd_notification_free (CdNotification *notification);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdNotification, cd_notification_free)

JsonObject *cd_notification_to_json (const CdNotification *notification);

gboolean cd_store_list_notifications   (CdStore               *self,
                                        int                    state,
                                        const char            *role,
                                        guint                  limit,
                                        GPtrArray            **notifications,
                                        GError               **error);
gboolean cd_store_claim_notifications  (CdStore               *self,
                                        gint64                 now,
                                        guint                  limit,
                                        GPtrArray            **notifications,
                                        GError               **error);
gboolean cd_store_finish_notification  (CdStore               *self,
                                        gint64                 id,
                                        CdNotificationState    state,
                                        gint64                 next_try,
                                        const char            *why,
                                        gint64                 now,
                                        GError               **error);
gboolean cd_store_recover_notifications (CdStore              *self,
                                         guint                *n_recovered,
                                         GError              **error);
gboolean cd_store_retry_notification   (CdStore               *self,
                                        gint64                 id,
                                        gint64                 now,
                                        GError               **error);

gboolean cd_store_copy_notifications  (CdStore               *self,
                                       CdStore               *from,
                                       gint64                *n_copied,
                                       GError               **error);

G_END_DECLS
