// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sync.h: keeps the desktop's cache in step with the server and sends
 * its outbox */

#pragma once

#include "cd-client.h"
#include "cd-connection-state.h"
#include "cd-dispatch.h"
#include "cd-queue-snapshot.h"
#include "cd-store-outbox.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* The feed's largest page: fewer round trips and fewer transactions. */
#define CD_SYNC_PAGE_SIZE 10000
/* How many pages may wait for the import; the import takes them in one
 * transaction. A ticket touched by events of several transactions is
 * written once in each, so larger ones write fewer rows: a year's
 * catch-up takes 10-15 % less time than with 5 pages, for about 500 MB
 * more memory at its peak (the pages waiting, and as many in each of the
 * import's two stages). */
#define CD_SYNC_QUEUE_PAGES 20

/* Reconnection delays: doubled after each failure up to the cap, each one
 * drawn between half and all of it so that a city's desktops do not all
 * come back in the same second. */
#define CD_SYNC_BACKOFF_MIN_MS 250
#define CD_SYNC_BACKOFF_MAX_MS 60000

#define CD_TYPE_SYNC (cd_sync_get_type ())
G_DECLARE_FINAL_TYPE (CdSync, cd_sync, CD, SYNC, GObject)

CdSync            *cd_sync_new                 (CdClient     *client,
                                                CdStore      *cache,
                                                GError      **error);
void               cd_sync_start               (CdSync       *self);
void               cd_sync_stop                (CdSync       *self);
CdConnectionState  cd_sync_get_state           (CdSync       *self);
gint64             cd_sync_get_done            (CdSync       *self);
gint64             cd_sync_get_total           (CdSync       *self);
gboolean           cd_sync_get_first_sync      (CdSync       *self);
gint64             cd_sync_get_offline_since   (CdSync       *self);
guint              cd_sync_get_pending_actions (CdSync       *self);
const char        *cd_sync_get_last_error      (CdSync       *self);
double             cd_sync_get_events_per_second (CdSync     *self);
gboolean           cd_sync_get_needs_login     (CdSync       *self);
void               cd_sync_set_backoff         (CdSync       *self,
                                                guint         min_ms,
                                                guint         max_ms);
gint64             cd_sync_act                 (CdSync       *self,
                                                const char   *ticket,
                                                CdAction      action,
                                                JsonObject   *fields,
                                                GError      **error);
GPtrArray         *cd_sync_list_refused        (CdSync       *self,
                                                GError      **error);
gboolean           cd_sync_acknowledge_refusal (CdSync       *self,
                                                gint64        id,
                                                GError      **error);
const CdQueueSnapshot *cd_sync_get_queue_snapshot (CdSync *self);
gint64             cd_sync_register            (CdSync       *self,
                                                JsonObject   *fields,
                                                GError      **error);

G_END_DECLS
