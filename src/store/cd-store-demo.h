// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-demo.h: writing the demo city into a store, and keeping it alive */

#pragma once

#include "cd-demo-city.h"
#include "cd-store.h"

G_BEGIN_DECLS

typedef struct _CdStoreDemo CdStoreDemo;

CdStoreDemo *cd_store_demo_new          (CdStore              *store,
                                         const CdDemoOptions  *options,
                                         gint64                now,
                                         gboolean              write_history,
                                         GError              **error);
void         cd_store_demo_free         (CdStoreDemo          *self);
CdDemoCity  *cd_store_demo_get_city     (CdStoreDemo          *self);
guint64      cd_store_demo_get_n_tickets (CdStoreDemo         *self);
guint64      cd_store_demo_get_n_events (CdStoreDemo          *self);
guint        cd_store_demo_get_n_pending (CdStoreDemo         *self);
gboolean     cd_store_demo_advance      (CdStoreDemo          *self,
                                         gint64                now,
                                         guint                *n_written,
                                         GError              **error);

gboolean     cd_store_sync_numbers      (CdStore              *store,
                                         GError              **error);

gboolean     cd_store_demo_check        (CdStore              *store,
                                         GError              **error);
gboolean     cd_store_demo_add_account  (CdStore              *store,
                                         const char           *name,
                                         const char           *role,
                                         const char           *org,
                                         const char           *password,
                                         gint64                now,
                                         GError              **error);
gboolean     cd_store_demo_add_api_key  (CdStore              *store,
                                         const char           *key,
                                         gint64                now,
                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdStoreDemo, cd_store_demo_free)

G_END_DECLS
