// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-source.h: what a dashboard shows, read off the main loop
 *
 * A source is the non-widget half of a dashboard: it runs the dashboard's
 * queries on a worker thread over its own read connection to the cache,
 * keeps the results, and says when they change; the page binds to it.
 * A newer query of the same kind supersedes an older one still running,
 * and sync events are gathered into one refresh a second.
 */
#pragma once

#include <gio/gio.h>

#include "cd-context.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_SOURCE (cd_source_get_type ())
G_DECLARE_DERIVABLE_TYPE (CdSource, cd_source, CD, SOURCE, GObject)

/* The queries of one source that may run at once: a later query of the
 * same slot makes the result of an earlier one be dropped. */
#define CD_SOURCE_N_SLOTS 4

/**
 * CdSourceQueryFunc:
 * @reader: the source's read connection, for this thread alone now
 * @data: the query's data
 * @error: return location for an error
 *
 * Runs on a worker thread.
 *
 * Returns: the result, or %NULL with @error set
 */
typedef gpointer (*CdSourceQueryFunc) (CdStore  *reader,
                                       gpointer  data,
                                       GError  **error);

/**
 * CdSourceApplyFunc:
 * @self: the source
 * @result: (nullable) (transfer full): the query's result, %NULL when it
 *   failed
 * @error: (nullable): why it failed
 *
 * Runs on the main thread with the result of the newest query of its slot.
 */
typedef void (*CdSourceApplyFunc) (CdSource     *self,
                                   gpointer      result,
                                   const GError *error);

/**
 * CdSourceClass:
 * @store_changed: the session opened another cache (or none): what the
 *   source keeps of the old one goes, before the new one is read
 * @refresh: starts the queries that read everything again
 */
struct _CdSourceClass
{
  GObjectClass parent_class;

  void (*store_changed) (CdSource *self);
  void (*refresh)       (CdSource *self);
};

CdContext *cd_source_get_context  (CdSource          *self);
gint64     cd_source_get_now      (CdSource          *self);
gboolean   cd_source_get_loading  (CdSource          *self);
gboolean   cd_source_get_ready    (CdSource          *self);
gboolean   cd_source_get_syncing  (CdSource          *self);
void       cd_source_refresh      (CdSource          *self);
void       cd_source_run          (CdSource          *self,
                                   guint              slot,
                                   CdSourceQueryFunc  query,
                                   gpointer           data,
                                   GDestroyNotify     data_destroy,
                                   GDestroyNotify     result_destroy,
                                   CdSourceApplyFunc  apply);
void       cd_source_set_ready    (CdSource          *self);
void       cd_source_emit_changed (CdSource          *self);
void       cd_source_set_refresh_interval (CdSource  *self,
                                           guint      seconds);

G_END_DECLS
