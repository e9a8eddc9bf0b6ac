// SPDX-License-Identifier: GPL-3.0-or-later
//
// Two queries: the figures (tiles, three breakdowns, the SLA targets in
// use) and the list's row ids for the filter and order the page chose.
// A filter change reads the list alone; a sync event reads both.

#include "config.h"

#include "cd-overdue-source.h"

enum {
  SLOT_FIGURES,
  SLOT_LIST,
};

typedef struct
{
  CdOverdueTiles  tiles;
  GPtrArray      *groups[CD_OVERDUE_N_DIMENSIONS];
  GPtrArray      *policies;
} Figures;

typedef struct
{
  CdTicketFilter *filter;
  CdTicketSort    sort;
  gboolean        descending;
} ListQuery;

typedef struct
{
  GArray *ids;
  guint   total;
} ListResult;

struct _CdOverdueSource
{
  CdSource           parent_instance;

  Figures           *figures;
  CdTicketListModel *model;
  CdTicketFilter    *filter;
  CdTicketSort       sort;
  gboolean           descending;
  gboolean           list_ready;
};

G_DEFINE_FINAL_TYPE (CdOverdueSource, cd_overdue_source, CD_TYPE_SOURCE)

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FIGURES_CHANGED,
  LIST_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
figures_free (Figures *figures)
{
  for (guint d = 0; d < CD_OVERDUE_N_DIMENSIONS; d++)
    g_clear_pointer (&figures->groups[d], g_ptr_array_unref);
  g_clear_pointer (&figures->policies, g_ptr_array_unref);
  g_free (figures);
}

static void
list_query_free (ListQuery *query)
{
  cd_ticket_filter_free (query->filter);
  g_free (query);
}

static void
list_result_free (ListResult *result)
{
  g_clear_pointer (&result->ids, g_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListResult, list_result_free)

/* Worker thread. */
static gpointer
read_figures (CdStore  *reader,
              gpointer  data,
              GError  **error)
{
  gint64 now = *(gint64 *) data;
  Figures *figures = g_new0 (Figures, 1);

  if (!cd_store_overdue_tiles (reader, now, &figures->tiles, error))
    goto fail;
  for (guint d = 0; d < CD_OVERDUE_N_DIMENSIONS; d++)
    if ((figures->groups[d] = cd_store_overdue_breakdown (reader, d, now, error)) == NULL)
      goto fail;
  if ((figures->policies = cd_store_overdue_policies (reader, error)) == NULL)
    goto fail;
  return figures;

fail:
  figures_free (figures);
  return NULL;
}

/* Worker thread. */
static gpointer
read_list (CdStore  *reader,
           gpointer  data,
           GError  **error)
{
  ListQuery *query = data;
  ListResult *result = g_new0 (ListResult, 1);

  result->ids = cd_ticket_list_query (reader, query->filter, query->sort, query->descending,
                                      &result->total, error);
  if (result->ids == NULL)
    {
      list_result_free (result);
      return NULL;
    }
  return result;
}

static void
maybe_ready (CdOverdueSource *self)
{
  if (self->figures != NULL && self->list_ready)
    cd_source_set_ready (CD_SOURCE (self));
}

static void
apply_figures (CdSource     *source,
               gpointer      result,
               const GError *error)
{
  CdOverdueSource *self = CD_OVERDUE_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the overdue figures: %s", error->message);
      return;
    }
  g_clear_pointer (&self->figures, figures_free);
  self->figures = result;
  g_signal_emit (self, signals[FIGURES_CHANGED], 0);
  maybe_ready (self);
}

static void
apply_list (CdSource     *source,
            gpointer      result,
            const GError *error)
{
  CdOverdueSource *self = CD_OVERDUE_SOURCE (source);
  g_autoptr(ListResult) list = result;

  if (list == NULL)
    {
      g_warning ("Cannot list the overdue tickets: %s", error->message);
      return;
    }
  if (self->model != NULL)
    cd_ticket_list_model_set_ids (self->model, g_steal_pointer (&list->ids), list->total);
  self->list_ready = TRUE;
  g_signal_emit (self, signals[LIST_CHANGED], 0);
  maybe_ready (self);
}

static void
read_list_again (CdOverdueSource *self)
{
  ListQuery *query = g_new0 (ListQuery, 1);

  query->filter = cd_ticket_filter_copy (self->filter);
  query->filter->now = cd_source_get_now (CD_SOURCE (self));
  query->sort = self->sort;
  query->descending = self->descending;
  cd_source_run (CD_SOURCE (self), SLOT_LIST, read_list, query, (GDestroyNotify) list_query_free,
                 (GDestroyNotify) list_result_free, apply_list);
}

static void
cd_overdue_source_refresh (CdSource *source)
{
  CdOverdueSource *self = CD_OVERDUE_SOURCE (source);
  gint64 *now = g_new (gint64, 1);

  *now = cd_source_get_now (source);
  cd_source_run (source, SLOT_FIGURES, read_figures, now, g_free, (GDestroyNotify) figures_free,
                 apply_figures);
  read_list_again (self);
}

/* The list model reads rows from the session's cache: another cache,
 * another model, made before the new cache is read. */
static void
cd_overdue_source_store_changed (CdSource *source)
{
  CdOverdueSource *self = CD_OVERDUE_SOURCE (source);
  CdStore *store = cd_context_get_store (cd_source_get_context (source));

  if (self->model != NULL && store != NULL && cd_ticket_list_model_get_store (self->model) == store)
    return;
  g_clear_object (&self->model);
  g_clear_pointer (&self->figures, figures_free);
  self->list_ready = FALSE;
  if (store != NULL)
    self->model = cd_ticket_list_model_new (store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

static void
cd_overdue_source_dispose (GObject *object)
{
  CdOverdueSource *self = CD_OVERDUE_SOURCE (object);

  g_clear_object (&self->model);
  g_clear_pointer (&self->figures, figures_free);
  g_clear_pointer (&self->filter, cd_ticket_filter_free);

  G_OBJECT_CLASS (cd_overdue_source_parent_class)->dispose (object);
}

static void
cd_overdue_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CdOverdueSource *self = CD_OVERDUE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_overdue_source_class_init (CdOverdueSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CdSourceClass *source_class = CD_SOURCE_CLASS (klass);

  object_class->dispose = cd_overdue_source_dispose;
  object_class->get_property = cd_overdue_source_get_property;
  source_class->store_changed = cd_overdue_source_store_changed;
  source_class->refresh = cd_overdue_source_refresh;

  /**
   * CdOverdueSource:model: (nullable)
   *
   * The ticket list, %NULL without a cache; another model for another cache.
   */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, CD_TYPE_TICKET_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CdOverdueSource::figures-changed:
   *
   * The tiles, the breakdowns and the SLA targets were read again.
   */
  signals[FIGURES_CHANGED] = g_signal_new ("figures-changed", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  /**
   * CdOverdueSource::list-changed:
   *
   * The model holds the tickets of the filter now.
   */
  signals[LIST_CHANGED] = g_signal_new ("list-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);
}

static void
cd_overdue_source_init (CdOverdueSource *self)
{
  CdTicketFilter filter = { .attention = TRUE, .open_only = TRUE };

  self->filter = cd_ticket_filter_copy (&filter);
  self->sort = CD_TICKET_SORT_OVERDUE_BY;
  self->descending = TRUE;
}

/**
 * cd_overdue_source_new:
 * @context: what the dashboard works with
 *
 * The source reads the cache once a page asks (cd_source_refresh()), then
 * at each sync event.
 *
 * Returns: (transfer full): a source
 */
CdOverdueSource *
cd_overdue_source_new (CdContext *context)
{
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  return g_object_new (CD_TYPE_OVERDUE_SOURCE, "context", context, NULL);
}

/**
 * cd_overdue_source_get_tiles:
 * @self: a #CdOverdueSource
 *
 * Returns: (nullable): the tiles as last read, %NULL before
 */
const CdOverdueTiles *
cd_overdue_source_get_tiles (CdOverdueSource *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_SOURCE (self), NULL);

  return self->figures != NULL ? &self->figures->tiles : NULL;
}

/**
 * cd_overdue_source_get_groups:
 * @self: a #CdOverdueSource
 * @dimension: by what
 *
 * Returns: (transfer none) (nullable) (element-type CdOverdueGroup): the
 *   breakdown as last read, %NULL before
 */
GPtrArray *
cd_overdue_source_get_groups (CdOverdueSource    *self,
                              CdOverdueDimension  dimension)
{
  g_return_val_if_fail (CD_IS_OVERDUE_SOURCE (self), NULL);
  g_return_val_if_fail (dimension < CD_OVERDUE_N_DIMENSIONS, NULL);

  return self->figures != NULL ? self->figures->groups[dimension] : NULL;
}

/**
 * cd_overdue_source_get_policies:
 * @self: a #CdOverdueSource
 *
 * Returns: (transfer none) (nullable) (element-type utf8): the codes of the
 *   SLA targets the open tickets run under, %NULL before the first read
 */
GPtrArray *
cd_overdue_source_get_policies (CdOverdueSource *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_SOURCE (self), NULL);

  return self->figures != NULL ? self->figures->policies : NULL;
}

/**
 * cd_overdue_source_get_model:
 * @self: a #CdOverdueSource
 *
 * Returns: (transfer none) (nullable): the ticket list
 */
CdTicketListModel *
cd_overdue_source_get_model (CdOverdueSource *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_SOURCE (self), NULL);

  return self->model;
}

/**
 * cd_overdue_source_set_filter:
 * @self: a #CdOverdueSource
 * @filter: which tickets the list shows; copied (its @now is ignored: the
 *   source judges by its context's clock)
 *
 * Reads the list again; #CdOverdueSource::list-changed follows.
 */
void
cd_overdue_source_set_filter (CdOverdueSource      *self,
                              const CdTicketFilter *filter)
{
  g_return_if_fail (CD_IS_OVERDUE_SOURCE (self));
  g_return_if_fail (filter != NULL);

  cd_ticket_filter_free (self->filter);
  self->filter = cd_ticket_filter_copy (filter);
  read_list_again (self);
}

void
cd_overdue_source_set_sort (CdOverdueSource *self,
                            CdTicketSort     sort,
                            gboolean         descending)
{
  g_return_if_fail (CD_IS_OVERDUE_SOURCE (self));
  g_return_if_fail (sort < CD_TICKET_N_SORTS);

  self->sort = sort;
  self->descending = !!descending;
  read_list_again (self);
}
