// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-reference.h: the city's reference data in the store: the
 * server's own (seeded by the demo, imported by a city) and the desktop's
 * copy of the server's answer */

#pragma once

#include "cd-reference.h"
#include "cd-store.h"

G_BEGIN_DECLS

gboolean    cd_store_reference_replace (CdStore               *self,
                                        const CdReferenceData *data,
                                        GError               **error);
GPtrArray  *cd_store_reference_list    (CdStore               *self,
                                        CdReferenceKind        kind,
                                        GError               **error);
const char *cd_store_reference_name    (CdStore               *self,
                                        CdReferenceKind        kind,
                                        const char            *code);

gboolean    cd_store_copy_reference    (CdStore               *self,
                                        CdStore               *from,
                                        gint64                *n_rows,
                                        GError               **error);

G_END_DECLS
