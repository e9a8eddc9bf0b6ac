// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-ticket-source.h"

typedef struct
{
  CdTicket  *ticket;
  GPtrArray *clocks;
  char      *clocks_error;
  GPtrArray *history;
  gint64     bad_seq;
  GPtrArray *repeats;
  GPtrArray *incident;
} View;

typedef struct
{
  char   *number;
  gint64  now;
} Query;

struct _CdTicketSource
{
  CdSource  parent_instance;

  char     *number;
  View     *view;
  GError   *error;
};

G_DEFINE_FINAL_TYPE (CdTicketSource, cd_ticket_source, CD_TYPE_SOURCE)

static void
view_free (View *view)
{
  g_clear_pointer (&view->ticket, cd_ticket_unref);
  g_clear_pointer (&view->clocks, g_ptr_array_unref);
  g_free (view->clocks_error);
  g_clear_pointer (&view->history, g_ptr_array_unref);
  g_clear_pointer (&view->repeats, g_ptr_array_unref);
  g_clear_pointer (&view->incident, g_ptr_array_unref);
  g_free (view);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (View, view_free)

static void
query_free (Query *query)
{
  g_free (query->number);
  g_free (query);
}

/* Worker thread. */
static gpointer
read_ticket (CdStore  *reader,
             gpointer  data,
             GError  **error)
{
  Query *query = data;
  g_autoptr(View) view = g_new0 (View, 1);
  g_autoptr(GError) clocks_error = NULL;

  if ((view->ticket = cd_store_load_ticket (reader, query->number, error)) == NULL)
    return NULL;
  /* Without SLA data on this computer the view still shows the due time
   * the store recorded, and says why it has no more. */
  view->clocks = cd_store_ticket_clocks (reader, view->ticket, query->now, &clocks_error);
  if (view->clocks == NULL)
    view->clocks_error = g_strdup (clocks_error->message);
  if ((view->history = cd_store_ticket_history (reader, view->ticket->id, &view->bad_seq, error)) ==
          NULL ||
      (view->repeats = cd_store_ticket_repeats (reader, view->ticket, error)) == NULL)
    return NULL;
  if (view->ticket->incident != NULL &&
      (view->incident = cd_store_list_incident (reader, view->ticket->incident, error)) == NULL)
    return NULL;
  return g_steal_pointer (&view);
}

static void
apply_ticket (CdSource     *source,
              gpointer      result,
              const GError *error)
{
  CdTicketSource *self = CD_TICKET_SOURCE (source);

  g_clear_error (&self->error);
  g_clear_pointer (&self->view, view_free);
  if (result == NULL)
    self->error = g_error_copy (error);
  self->view = result;
  cd_source_emit_changed (source);
}

static void
cd_ticket_source_refresh (CdSource *source)
{
  CdTicketSource *self = CD_TICKET_SOURCE (source);
  Query *query = g_new0 (Query, 1);

  query->number = g_strdup (self->number);
  query->now = cd_source_get_now (source);
  cd_source_run (source, 0, read_ticket, query, (GDestroyNotify) query_free,
                 (GDestroyNotify) view_free, apply_ticket);
}

static void
cd_ticket_source_dispose (GObject *object)
{
  CdTicketSource *self = CD_TICKET_SOURCE (object);

  g_clear_pointer (&self->view, view_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (cd_ticket_source_parent_class)->dispose (object);
}

static void
cd_ticket_source_finalize (GObject *object)
{
  g_free (CD_TICKET_SOURCE (object)->number);

  G_OBJECT_CLASS (cd_ticket_source_parent_class)->finalize (object);
}

static void
cd_ticket_source_class_init (CdTicketSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_ticket_source_dispose;
  object_class->finalize = cd_ticket_source_finalize;
  CD_SOURCE_CLASS (klass)->refresh = cd_ticket_source_refresh;
}

static void
cd_ticket_source_init (CdTicketSource *self)
{
}

/**
 * cd_ticket_source_new:
 * @context: the cache, the moment and the role
 * @number: the ticket's number (or id)
 *
 * Returns: (transfer full): a source, not read yet (cd_source_refresh())
 */
CdTicketSource *
cd_ticket_source_new (CdContext  *context,
                      const char *number)
{
  CdTicketSource *self;

  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  self = g_object_new (CD_TYPE_TICKET_SOURCE, "context", context, NULL);
  self->number = g_strdup (number);
  return self;
}

const char *
cd_ticket_source_get_number (CdTicketSource *self)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  return self->number;
}

/* Returns: (nullable): why the ticket could not be read at the last try */
const GError *
cd_ticket_source_get_error (CdTicketSource *self)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  return self->error;
}

/* Returns: (transfer none) (nullable): the ticket, %NULL before it is read */
CdTicket *
cd_ticket_source_get_ticket (CdTicketSource *self)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  return self->view != NULL ? self->view->ticket : NULL;
}

/**
 * cd_ticket_source_get_clocks:
 * @self: a #CdTicketSource
 * @why_none: (out) (optional) (nullable): why the engine could not judge
 *
 * Returns: (transfer none) (nullable) (element-type CdTicketClockView):
 *   the SLA clocks, %NULL when the engine could not judge them
 */
GPtrArray *
cd_ticket_source_get_clocks (CdTicketSource  *self,
                             const char     **why_none)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  if (why_none != NULL)
    *why_none = self->view != NULL ? self->view->clocks_error : NULL;
  return self->view != NULL ? self->view->clocks : NULL;
}

/**
 * cd_ticket_source_get_history:
 * @self: a #CdTicketSource
 * @bad_seq: (out) (optional): the first event that breaks the hash chain,
 *   0 when the chain holds
 *
 * Returns: (transfer none) (nullable) (element-type CdEvent): the events
 */
GPtrArray *
cd_ticket_source_get_history (CdTicketSource *self,
                              gint64         *bad_seq)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  if (bad_seq != NULL)
    *bad_seq = self->view != NULL ? self->view->bad_seq : 0;
  return self->view != NULL ? self->view->history : NULL;
}

/* Returns: (transfer none) (nullable) (element-type CdTicket): the repeats */
GPtrArray *
cd_ticket_source_get_repeats (CdTicketSource *self)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  return self->view != NULL ? self->view->repeats : NULL;
}

/* Returns: (transfer none) (nullable) (element-type CdTicket): the tickets
 *   of the mass incident, %NULL when the ticket is in none */
GPtrArray *
cd_ticket_source_get_incident (CdTicketSource *self)
{
  g_return_val_if_fail (CD_IS_TICKET_SOURCE (self), NULL);

  return self->view != NULL ? self->view->incident : NULL;
}
