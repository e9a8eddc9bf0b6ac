// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-demo-calls.h: the demo's simulated PBX written into a store */

#pragma once

#include "cd-demo-pbx.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* The demo city's clock (cd-demo-city.c): UTC+3 all year round. */
#define CD_DEMO_CITY_UTC_OFFSET (3 * 3600)

gboolean cd_store_demo_add_calls (CdStore            *store,
                                  CdDemoPbx          *pbx,
                                  gint64              until,
                                  guint64             seed,
                                  CdDemoPbxLineFunc   tee,
                                  gpointer            tee_data,
                                  guint64            *n_added,
                                  GError            **error);
gboolean cd_store_demo_call_back (CdStore            *store,
                                  const char         *call,
                                  gint64              missed_at,
                                  guint               made,
                                  gint64              until,
                                  guint              *n_made,
                                  GError            **error);
gboolean cd_store_demo_link_agent (CdStore           *store,
                                   const char        *name,
                                   GError           **error);

G_END_DECLS
