// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-pbx.h: the demo city's contact centre, simulated as a PBX's queue
 *
 * A pure, deterministic discrete-event model: residents call at the rate of
 * the hour of day, the weekday and the season (DOMAIN.md, "Volumes and
 * staffing"), wait in the queue with a patience of their own, and are
 * answered by operators who work shifts and take pauses and breaks. What
 * happens comes out as the lines Asterisk's app_queue writes to its flat
 * queue_log (docs/calls.md, "The demo's PBX"), in time order, so that the
 * demo runs the same reader a real PBX's log goes through. The same seed
 * and start give the same bytes on every machine.
 */

#pragma once

#include <glib.h>

#include "cd-missed-call.h"

G_BEGIN_DECLS

/* The queue the demo's calls enter. */
#define CD_DEMO_PBX_QUEUE "city"
/* The queue's time limit (the 5-minute rule): EXITWITHTIMEOUT after it. */
#define CD_DEMO_PBX_TIMEOUT 300
/* The queue's wrapuptime, in seconds: the pause after each call. */
#define CD_DEMO_PBX_WRAP_UP 25

/* A request the city registers by phone is the resident's call that
 * entered the queue this long before it, at most and at least
 * (cd_demo_pbx_expect_ticket()): an operator types it in after a short
 * wait and the first minutes of talk. */
#define CD_DEMO_PBX_TICKET_LEAD_MIN 45
#define CD_DEMO_PBX_TICKET_LEAD_MAX 150

/**
 * CdDemoPbxLineFunc:
 * @time: the line's time (Unix seconds), its first field
 * @line: one queue_log line, ending with a line break
 * @length: its length in bytes, the line break included
 * @user_data: the data given to cd_demo_pbx_advance()
 */
typedef void (*CdDemoPbxLineFunc) (gint64      time,
                                   const char *line,
                                   gsize       length,
                                   gpointer    user_data);

typedef struct _CdDemoPbx CdDemoPbx;

CdDemoPbx *cd_demo_pbx_new           (guint64             seed,
                                      gint64              start,
                                      GTimeZone          *zone);
void       cd_demo_pbx_free          (CdDemoPbx          *self);
void       cd_demo_pbx_advance       (CdDemoPbx          *self,
                                      gint64              until,
                                      CdDemoPbxLineFunc   func,
                                      gpointer            user_data);
gint64     cd_demo_pbx_get_time      (CdDemoPbx          *self);
void       cd_demo_pbx_announce      (CdDemoPbx          *self,
                                      CdDemoPbxLineFunc   func,
                                      gpointer            data);
guint64    cd_demo_pbx_get_n_calls   (CdDemoPbx          *self);
void       cd_demo_pbx_expect_ticket (CdDemoPbx          *self,
                                      gint64              registered_at,
                                      const char         *phone);
gboolean   cd_demo_pbx_plan_callback (const char         *call,
                                      guint               attempt,
                                      gint64              after,
                                      gint64             *at,
                                      CdCallbackOutcome  *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdDemoPbx, cd_demo_pbx_free)

G_END_DECLS
