// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-outbox.h: the desktop's outbox, the actions taken in the app
 * and kept in the cache until the server has answered them */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-dispatch.h"
#include "cd-store.h"

G_BEGIN_DECLS

/**
 * CdOutboxStatus:
 * @CD_OUTBOX_STATUS_PENDING: not yet answered by the server
 * @CD_OUTBOX_STATUS_SENT: the server accepted it
 * @CD_OUTBOX_STATUS_REFUSED: the server refused it, and the person who
 *   acted has not read why yet
 * @CD_OUTBOX_STATUS_ACKNOWLEDGED: a refusal the person has read
 */
typedef enum
{
  CD_OUTBOX_STATUS_PENDING,
  CD_OUTBOX_STATUS_SENT,
  CD_OUTBOX_STATUS_REFUSED,
  CD_OUTBOX_STATUS_ACKNOWLEDGED,
} CdOutboxStatus;

/**
 * CdOutboxEntry:
 * @id: the entry's id in the cache, the order actions are sent in
 * @idempotency_key: sent with every attempt, so that the server acts once
 * @ticket: (nullable): the ticket's id or number; %NULL for a registration
 * @action: the action (%CD_ACTION_REGISTER exactly when @ticket is %NULL)
 * @fields: the action's fields, without the action itself
 * @created_at: when it was taken, Unix seconds
 * @status: where it stands
 * @error: (nullable): the server's reason for a refusal
 */
typedef struct
{
  gint64          id;
  char           *idempotency_key;
  char           *ticket;
  CdAction        action;
  JsonObject     *fields;
  gint64          created_at;
  CdOutboxStatus  status;
  char           *error;
} CdOutboxEntry;

void           cd_outbox_entry_free          (CdOutboxEntry  *entry);

gint64         cd_store_outbox_push          (CdStore        *self,
                                              const char     *idempotency_key,
                                              const char     *ticket,
                                              CdAction        action,
                                              JsonObject     *fields,
                                              gint64          now,
                                              GError        **error);
GPtrArray     *cd_store_outbox_list_pending  (CdStore        *self,
                                              GError        **error);
CdOutboxEntry *cd_store_outbox_next_pending  (CdStore        *self,
                                              GError        **error);
gint64         cd_store_outbox_count_pending (CdStore        *self,
                                              GError        **error);
CdOutboxEntry *cd_store_outbox_get           (CdStore        *self,
                                              gint64          id,
                                              GError        **error);
gboolean       cd_store_outbox_finish        (CdStore        *self,
                                              gint64          id,
                                              const char     *refusal,
                                              GError        **error);
GPtrArray     *cd_store_outbox_list_refused  (CdStore        *self,
                                              GError        **error);
gboolean       cd_store_outbox_acknowledge   (CdStore        *self,
                                              gint64          id,
                                              GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdOutboxEntry, cd_outbox_entry_free)

G_END_DECLS
