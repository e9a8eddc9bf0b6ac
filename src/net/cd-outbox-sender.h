// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-outbox-sender.h: sends the cache's outbox to the server, one action
 * at a time, in order */

#pragma once

#include "cd-client.h"
#include "cd-store-outbox.h"

G_BEGIN_DECLS

#define CD_TYPE_OUTBOX_SENDER (cd_outbox_sender_get_type ())
G_DECLARE_FINAL_TYPE (CdOutboxSender, cd_outbox_sender, CD, OUTBOX_SENDER, GObject)

CdOutboxSender *cd_outbox_sender_new         (CdClient        *client,
                                              CdStore         *cache);
gint64          cd_outbox_sender_queue       (CdOutboxSender  *self,
                                              const char      *ticket,
                                              CdAction         action,
                                              JsonObject      *fields,
                                              GError         **error);
void            cd_outbox_sender_resume      (CdOutboxSender  *self,
                                              GCancellable    *cancellable);
void            cd_outbox_sender_pause       (CdOutboxSender  *self);
guint           cd_outbox_sender_get_pending (CdOutboxSender  *self);
char           *cd_outbox_entry_to_request   (const CdOutboxEntry *entry);

G_END_DECLS
