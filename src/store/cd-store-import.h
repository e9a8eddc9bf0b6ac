// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-import.h: following another journal in two stages
 *
 * The desktop's cache follows the server's journal. Importing an event is
 * two kinds of work: projecting it (checking the chain, applying it to its
 * ticket, judging the ticket's clocks) and writing it (SQLite inserts and
 * updates, the commit). A CdProjector does the first for a batch while the
 * cache's writer does the second for the batch before it, so that the two
 * run on two cores. See docs/journal.md, "Importing".
 */

#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

typedef struct _CdProjector CdProjector;
typedef struct _CdImportBatch CdImportBatch;

CdProjector   *cd_projector_new               (const char           *path,
                                               GError              **error);
void           cd_projector_free              (CdProjector          *self);
CdImportBatch *cd_projector_project           (CdProjector          *self,
                                               CdEvent * const      *events,
                                               guint                 n_events,
                                               GError              **error);
void           cd_projector_written           (CdProjector          *self,
                                               const CdImportBatch  *batch);
void           cd_projector_invalidate        (CdProjector          *self);

gint64         cd_import_batch_get_last_seq   (const CdImportBatch  *batch);
const char    *cd_import_batch_get_last_hash  (const CdImportBatch  *batch);
guint          cd_import_batch_get_n_events   (const CdImportBatch  *batch);
void           cd_import_batch_free           (CdImportBatch        *batch);

gboolean       cd_store_write_batch           (CdStore              *store,
                                               const CdImportBatch  *batch,
                                               GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdProjector, cd_projector_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdImportBatch, cd_import_batch_free)

G_END_DECLS
