// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-reference-fetch.h: the server's reference data into the desktop's
 * cache */

#pragma once

#include "cd-client.h"
#include "cd-store.h"

G_BEGIN_DECLS

void     cd_reference_fetch_async  (CdClient             *client,
                                    CdStore              *cache,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data);
gboolean cd_reference_fetch_finish (GAsyncResult         *result,
                                    GError              **error);

G_END_DECLS
