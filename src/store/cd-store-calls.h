// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-calls.h: calls from the PBX in the journal and their table */

#pragma once

#include "cd-call.h"
#include "cd-call-stats.h"
#include "cd-forecast.h"
#include "cd-missed-call.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* Who the journal says wrote a call: the PBX, through an import or the
 * server's follower. */
#define CD_CALL_ACTOR "pbx"
#define CD_CALL_ROLE "admin"

gboolean cd_store_add_call    (CdStore       *self,
                               const CdCall  *call,
                               gboolean      *added,
                               GError       **error);
gboolean cd_store_count_calls (CdStore       *self,
                               gint64        *n_calls,
                               GError       **error);
gboolean cd_store_list_calls  (CdStore       *self,
                               gint64         from,
                               gint64         to,
                               GPtrArray    **calls,
                               GError       **error);

gboolean cd_store_list_call_tickets (CdStore     *self,
                                     const char  *call_id,
                                     GPtrArray  **tickets,
                                     GError     **error);

gboolean cd_store_call_stats    (CdStore                  *self,
                                 gint64                    from,
                                 gint64                    to,
                                 gint64                    interval,
                                 GTimeZone                *zone,
                                 const CdCallStatsLimits  *limits,
                                 CdCallStats             **stats,
                                 GError                  **error);
gboolean cd_store_call_heatmap  (CdStore                  *self,
                                 gint64                    from,
                                 gint64                    to,
                                 GTimeZone                *zone,
                                 CdCallHeatmap           **heatmap,
                                 GError                  **error);
gboolean cd_store_call_forecast (CdStore                  *self,
                                 gint64                    day_start,
                                 gint64                    interval,
                                 GTimeZone                *zone,
                                 const CdErlangTarget     *target,
                                 gint64                    target_seconds,
                                 CdForecast              **forecast,
                                 GError                  **error);

gboolean cd_store_list_missed_calls (CdStore            *self,
                                     gboolean            waiting_only,
                                     gint64              now,
                                     const char         *role,
                                     GPtrArray         **missed,
                                     GError            **error);
gboolean cd_store_record_callback   (CdStore            *self,
                                     const char         *call,
                                     CdCallbackOutcome   outcome,
                                     const char         *actor,
                                     const char         *role,
                                     gint64              time,
                                     CdMissedCall      **missed,
                                     GError            **error);

G_END_DECLS
