// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "cd-store.h"

G_BEGIN_DECLS

GPtrArray *cd_store_outbox_list_refused (CdStore  *self,
                                         GError  **error);
gboolean   cd_store_outbox_acknowledge  (CdStore  *self,
                                         gint64    id,
                                         GError  **error);

G_END_DECLS
