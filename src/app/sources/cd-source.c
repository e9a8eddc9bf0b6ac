// SPDX-License-Identifier: GPL-3.0-or-later
//
// Every query of a source runs in a GTask thread; the read connection is
// opened there the first time, kept, and guarded by a mutex so that two
// queries of one source never share it at once. Results come back to the
// main thread, where only the newest query of each slot is applied.

#include "config.h"

#include "cd-source.h"

/* Sync events arrive in bursts: they make one refresh a second at most. */
#define REFRESH_DELAY_MS 1000

typedef struct
{
  CdContext   *context;
  CdSession   *session;
  CdSync      *sync;

  GMutex       reader_lock;
  CdStore     *reader;           /* under reader_lock */
  guint        reader_store;     /* under reader_lock: the store it reads */
  char        *store_path;       /* main thread's copy */
  /* Bumped when the session opens another cache, even at the same path
   * (a demo city made again): a reader of the old file reads no more. */
  guint        store_serial;

  guint        generations[CD_SOURCE_N_SLOTS];
  guint        running;
  guint        refresh_id;
  guint        interval_id;      /* the clock's own refresh, if any */
  gboolean     ready;
  gboolean     syncing;
} CdSourcePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CdSource, cd_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LOADING,
  PROP_READY,
  PROP_SYNCING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CdSource          *source;
  guint              slot;
  guint              generation;
  guint              store_serial;
  char              *path;
  CdSourceQueryFunc  query;
  gpointer           data;
  GDestroyNotify     data_destroy;
  GDestroyNotify     result_destroy;
  CdSourceApplyFunc  apply;
} Job;

static void
job_free (Job *job)
{
  if (job->data_destroy != NULL)
    job->data_destroy (job->data);
  g_free (job->path);
  g_clear_object (&job->source);
  g_free (job);
}

static void
update_syncing (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);
  gboolean syncing = priv->sync != NULL && cd_sync_get_first_sync (priv->sync);

  if (priv->syncing == syncing)
    return;
  g_debug ("%s: first sync %s", G_OBJECT_TYPE_NAME (self), syncing ? "runs" : "is over");
  priv->syncing = syncing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  /* The figures read during the first sync were never shown: read them
   * now that it is over. */
  if (!syncing)
    cd_source_refresh (self);
}

static gboolean
refresh_later (gpointer user_data)
{
  CdSource *self = user_data;
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  priv->refresh_id = 0;
  cd_source_refresh (self);
  return G_SOURCE_REMOVE;
}

static gboolean
refresh_on_interval (gpointer user_data)
{
  cd_source_refresh (CD_SOURCE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
on_session_changed (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  if (priv->refresh_id == 0)
    priv->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_later, self);
}

static void
on_sync_changed (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);
  CdSync *sync = cd_session_get_sync (priv->session);

  if (priv->sync == sync)
    return;
  if (priv->sync != NULL)
    g_signal_handlers_disconnect_by_data (priv->sync, self);
  g_set_object (&priv->sync, sync);
  if (sync != NULL)
    {
      g_signal_connect_object (sync, "notify::done", G_CALLBACK (update_syncing), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (sync, "notify::total", G_CALLBACK (update_syncing), self,
                               G_CONNECT_SWAPPED);
      /* New names for the codes: what is shown is shown again. */
      g_signal_connect_object (sync, "reference-changed", G_CALLBACK (on_session_changed), self,
                               G_CONNECT_SWAPPED);
    }
  update_syncing (self);
}

static void
on_store_changed (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);
  CdStore *store = cd_context_get_store (priv->context);

  g_free (priv->store_path);
  priv->store_path = store != NULL ? g_strdup (cd_store_get_path (store)) : NULL;
  priv->store_serial++;
  /* Whatever is still running reads the old cache: it is not shown. */
  for (guint i = 0; i < CD_SOURCE_N_SLOTS; i++)
    priv->generations[i]++;
  if (CD_SOURCE_GET_CLASS (self)->store_changed != NULL)
    CD_SOURCE_GET_CLASS (self)->store_changed (self);
  cd_source_refresh (self);
}

static void
cd_source_constructed (GObject *object)
{
  CdSource *self = CD_SOURCE (object);
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  G_OBJECT_CLASS (cd_source_parent_class)->constructed (object);

  g_return_if_fail (CD_IS_CONTEXT (priv->context));

  priv->session = g_object_ref (cd_context_get_session (priv->context));
  g_signal_connect_object (priv->context, "notify::store", G_CALLBACK (on_store_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->session, "changed", G_CALLBACK (on_session_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->session, "notify::sync", G_CALLBACK (on_sync_changed), self,
                           G_CONNECT_SWAPPED);
  on_sync_changed (self);
  if (cd_context_get_store (priv->context) != NULL)
    priv->store_path = g_strdup (cd_store_get_path (cd_context_get_store (priv->context)));
  if (CD_SOURCE_GET_CLASS (self)->store_changed != NULL)
    CD_SOURCE_GET_CLASS (self)->store_changed (self);
}

static void
cd_source_dispose (GObject *object)
{
  CdSource *self = CD_SOURCE (object);
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_clear_handle_id (&priv->refresh_id, g_source_remove);
  g_clear_handle_id (&priv->interval_id, g_source_remove);
  if (priv->sync != NULL)
    g_signal_handlers_disconnect_by_data (priv->sync, self);
  g_clear_object (&priv->sync);
  g_clear_object (&priv->session);
  g_clear_object (&priv->context);

  G_OBJECT_CLASS (cd_source_parent_class)->dispose (object);
}

static void
cd_source_finalize (GObject *object)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (CD_SOURCE (object));

  /* Jobs hold a reference: none runs by now. */
  g_clear_object (&priv->reader);
  g_free (priv->store_path);
  g_mutex_clear (&priv->reader_lock);

  G_OBJECT_CLASS (cd_source_parent_class)->finalize (object);
}

static void
cd_source_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdSource *self = CD_SOURCE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, cd_source_get_context (self));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, cd_source_get_loading (self));
      break;

    case PROP_READY:
      g_value_set_boolean (value, cd_source_get_ready (self));
      break;

    case PROP_SYNCING:
      g_value_set_boolean (value, cd_source_get_syncing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_source_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (CD_SOURCE (object));

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_source_class_init (CdSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cd_source_constructed;
  object_class->dispose = cd_source_dispose;
  object_class->finalize = cd_source_finalize;
  object_class->get_property = cd_source_get_property;
  object_class->set_property = cd_source_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, CD_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * CdSource:loading:
   *
   * Whether a query runs now.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CdSource:ready:
   *
   * Whether the source has read the cache at least once: before, the page
   * shows neither figures nor an empty state.
   */
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * CdSource:syncing:
   *
   * Whether the cache is being filled for the first time: figures read now
   * would be a part of the truth, so pages show the sync's progress.
   */
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CdSource::changed:
   *
   * What the source holds was read again (see cd_source_emit_changed()).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cd_source_init (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_mutex_init (&priv->reader_lock);
}

/**
 * cd_source_get_context:
 * @self: a #CdSource
 *
 * Returns: (transfer none): the context the source reads for
 */
CdContext *
cd_source_get_context (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_val_if_fail (CD_IS_SOURCE (self), NULL);

  return priv->context;
}

/* Returns: the moment the source judges by (see cd_context_get_now()). */
gint64
cd_source_get_now (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_val_if_fail (CD_IS_SOURCE (self), 0);

  return cd_context_get_now (priv->context);
}

gboolean
cd_source_get_loading (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_val_if_fail (CD_IS_SOURCE (self), FALSE);

  return priv->running > 0;
}

gboolean
cd_source_get_ready (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_val_if_fail (CD_IS_SOURCE (self), FALSE);

  return priv->ready;
}

gboolean
cd_source_get_syncing (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_val_if_fail (CD_IS_SOURCE (self), FALSE);

  return priv->syncing;
}

/**
 * cd_source_set_ready:
 * @self: a #CdSource
 *
 * For subclasses: says that what the source holds now is the cache's
 * (called once its first full read is applied).
 */
void
cd_source_set_ready (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_if_fail (CD_IS_SOURCE (self));

  if (priv->ready)
    return;
  priv->ready = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

/**
 * cd_source_emit_changed:
 * @self: a #CdSource
 *
 * For subclasses: says that a read was applied, so that what binds to the
 * source lays it out again, and that the source is ready.
 */
void
cd_source_emit_changed (CdSource *self)
{
  g_return_if_fail (CD_IS_SOURCE (self));

  g_signal_emit (self, signals[CHANGED], 0);
  cd_source_set_ready (self);
}

/**
 * cd_source_refresh:
 * @self: a #CdSource
 *
 * Reads everything again (F5, a sync event, another cache).
 */
void
cd_source_refresh (CdSource *self)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_if_fail (CD_IS_SOURCE (self));

  g_clear_handle_id (&priv->refresh_id, g_source_remove);
  g_debug ("%s: reading %s", G_OBJECT_TYPE_NAME (self),
           priv->store_path != NULL ? priv->store_path : "nothing");
  if (CD_SOURCE_GET_CLASS (self)->refresh != NULL)
    CD_SOURCE_GET_CLASS (self)->refresh (self);
}

static void
run_job (GTask        *task,
         gpointer      source_object,
         gpointer      task_data,
         GCancellable *cancellable)
{
  Job *job = task_data;
  CdSourcePrivate *priv = cd_source_get_instance_private (job->source);
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;

  g_mutex_lock (&priv->reader_lock);
  if (priv->reader == NULL || priv->reader_store != job->store_serial)
    {
      g_clear_object (&priv->reader);
      priv->reader_store = job->store_serial;
      priv->reader = cd_store_open_reader (job->path, &error);
    }
  if (priv->reader != NULL)
    result = job->query (priv->reader, job->data, &error);
  g_mutex_unlock (&priv->reader_lock);

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, job->result_destroy);
}

static void
on_job_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CdSource *self = CD_SOURCE (object);
  CdSourcePrivate *priv = cd_source_get_instance_private (self);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  priv->running--;
  if (priv->running == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  g_debug ("%s: query %u of slot %u done%s", G_OBJECT_TYPE_NAME (self), job->generation, job->slot,
           job->generation != priv->generations[job->slot] ? ", superseded" : "");
  /* A newer query of the slot was started, or the source was given up. */
  if (job->generation != priv->generations[job->slot] || priv->context == NULL)
    {
      if (value != NULL && job->result_destroy != NULL)
        job->result_destroy (value);
      return;
    }

  job->apply (self, value, error);
}

/**
 * cd_source_run:
 * @self: a #CdSource
 * @slot: which of the source's queries this is, below %CD_SOURCE_N_SLOTS
 * @query: (scope async): runs on a worker thread over the read connection
 * @data: (transfer full) (nullable): for @query
 * @data_destroy: (nullable): frees @data once the query is done
 * @result_destroy: (nullable): frees @query's result when it is not applied
 * @apply: (scope async): takes the result, and owns it, on the main thread
 *
 * Runs a query of the cache off the main loop. @apply sees the result of
 * the newest query of @slot only; with no cache, nothing runs.
 */
void
cd_source_run (CdSource          *self,
               guint              slot,
               CdSourceQueryFunc  query,
               gpointer           data,
               GDestroyNotify     data_destroy,
               GDestroyNotify     result_destroy,
               CdSourceApplyFunc  apply)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (CD_IS_SOURCE (self));
  g_return_if_fail (slot < CD_SOURCE_N_SLOTS);
  g_return_if_fail (query != NULL && apply != NULL);

  if (priv->store_path == NULL)
    {
      if (data_destroy != NULL)
        data_destroy (data);
      return;
    }

  job = g_new0 (Job, 1);
  job->source = g_object_ref (self);
  job->slot = slot;
  job->generation = ++priv->generations[slot];
  job->path = g_strdup (priv->store_path);
  job->store_serial = priv->store_serial;
  job->query = query;
  job->data = data;
  job->data_destroy = data_destroy;
  job->result_destroy = result_destroy;
  job->apply = apply;

  task = g_task_new (self, NULL, on_job_done, NULL);
  g_task_set_source_tag (task, cd_source_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (priv->running++ == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  g_task_run_in_thread (task, run_job);
}

/**
 * cd_source_set_refresh_interval:
 * @self: a #CdSource
 * @seconds: how often to read everything again; 0 for never
 *
 * For a dashboard whose figures change with the clock alone (a deadline
 * passes, a callback window opens) while no sync event comes: it reads
 * again every @seconds as well as after sync events. The timer is the
 * source's, so it goes with the source.
 */
void
cd_source_set_refresh_interval (CdSource *self,
                                guint     seconds)
{
  CdSourcePrivate *priv = cd_source_get_instance_private (self);

  g_return_if_fail (CD_IS_SOURCE (self));

  g_clear_handle_id (&priv->interval_id, g_source_remove);
  if (seconds > 0)
    priv->interval_id = g_timeout_add_seconds (seconds, refresh_on_interval, self);
}
