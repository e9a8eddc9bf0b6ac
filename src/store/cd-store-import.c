// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-import.c: following another journal in two stages
 *
 * The projector keeps, by id, every ticket it changed in a batch that is
 * not known to be written yet (and, up to a bound, open tickets): the
 * database it reads through its own connection holds everything else as of
 * the last commit. A batch hands its tickets to the writer; the projector
 * copies a ticket before changing it again while that batch may still be
 * written, so the writer reads tickets no other thread changes.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "cd-store-import.h"
#include "cd-store-private.h"

/* Open tickets kept once written, so that their next events find them
 * without a read. */
#define KEEP_OPEN_MAX 100000

typedef struct
{
  char     *id;
  CdTicket *ticket;
  /* The last batch that changed the ticket, and the one that created it
   * (0: it came from the database). */
  guint     serial;
  guint     created;
} Entry;

/* The entries a batch changed, to forget once it is written: a walk of
 * every kept ticket at each batch would cost each event of the stream as
 * much as a whole page of the catch-up. */
typedef struct
{
  guint      serial;
  GPtrArray *entries;
} Touched;

struct _CdProjector
{
  /* Its own connection: reads what the writer committed. */
  CdStore       *reader;
  CdJournalHead  head;
  GHashTable    *tickets;
  /* Touched, oldest batch first, for the batches not yet forgotten. */
  GQueue        *touched;
  guint          serial;
  /* Set by the writer's thread. */
  guint          written;
  gint           invalid;
};

struct _CdImportBatch
{
  guint          serial;
  CdJournalHead  before;
  CdJournalHead  after;
  GPtrArray     *events;
  /* For each event, the ticket as a `resolve` left it (else NULL): what
   * the callback tasks' projection needs of it. */
  GPtrArray     *resolved;
  GPtrArray     *tickets;
  GPtrArray     *histories;
  GArray        *is_new;
};

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  cd_ticket_unref (entry->ticket);
  g_free (entry);
}

static void
resolved_free (gpointer ticket)
{
  if (ticket != NULL)
    cd_ticket_unref (ticket);
}

static void
touched_free (Touched *touched)
{
  g_ptr_array_unref (touched->entries);
  g_free (touched);
}

/**
 * cd_projector_new:
 * @path: the cache's database, already opened by its writer
 * @error: a #CD_STORE_ERROR
 *
 * Returns: (transfer full): a projector that continues the journal of
 *   @path from its last event, or %NULL
 */
CdProjector *
cd_projector_new (const char  *path,
                  GError     **error)
{
  g_autoptr(CdProjector) self = g_new0 (CdProjector, 1);

  g_return_val_if_fail (path != NULL, NULL);

  self->tickets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  self->touched = g_queue_new ();
  if ((self->reader = cd_store_open (path, error)) == NULL ||
      !cd_store_read_head (self->reader, &self->head, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
cd_projector_free (CdProjector *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->reader);
  if (self->touched != NULL)
    g_queue_free_full (self->touched, (GDestroyNotify) touched_free);
  g_clear_pointer (&self->tickets, g_hash_table_unref);
  g_free (self);
}

/**
 * cd_projector_invalidate:
 * @self: a projector
 *
 * Tells @self that a batch it returned was not written (or was dropped):
 * the next cd_projector_project() starts again from the database, which
 * must by then hold every batch that was written. Any thread may call it.
 */
void
cd_projector_invalidate (CdProjector *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_int_set (&self->invalid, 1);
}

/**
 * cd_projector_written:
 * @self: a projector
 * @batch: a batch of @self's, just committed by cd_store_write_batch()
 *
 * Lets @self forget the tickets of @batch and earlier batches: the
 * database has them now. Any thread may call it, batches in order.
 */
void
cd_projector_written (CdProjector         *self,
                      const CdImportBatch *batch)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (batch != NULL);
  g_atomic_int_set ((gint *) &self->written, (gint) batch->serial);
}

static gboolean
restart (CdProjector  *self,
         GError      **error)
{
  g_queue_clear_full (self->touched, (GDestroyNotify) touched_free);
  g_hash_table_remove_all (self->tickets);
  if (!cd_store_read_head (self->reader, &self->head, error))
    return FALSE;
  g_atomic_int_set (&self->invalid, 0);
  return TRUE;
}

static void
remember_touched (CdProjector *self,
                  guint        serial,
                  GPtrArray   *entries)
{
  Touched *touched = g_new0 (Touched, 1);

  touched->serial = serial;
  touched->entries = entries;
  g_queue_push_tail (self->touched, touched);
}

/* An entry listed for batch N has a serial of N or more from then on: one
 * forgotten here is listed by no batch still waiting. */
static void
forget_written (CdProjector *self)
{
  guint written = (guint) g_atomic_int_get ((gint *) &self->written);
  Touched *touched;

  while ((touched = g_queue_peek_head (self->touched)) != NULL && touched->serial <= written)
    {
      for (guint i = 0; i < touched->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (touched->entries, i);

          /* Changed again by a later batch: that one forgets it. */
          if (entry->serial == touched->serial && !cd_ticket_is_open (entry->ticket))
            g_hash_table_remove (self->tickets, entry->id);
        }
      touched_free (g_queue_pop_head (self->touched));
    }

  if (g_hash_table_size (self->tickets) > KEEP_OPEN_MAX)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->tickets);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Entry *) value)->serial <= written)
          g_hash_table_iter_remove (&iter);
    }
}

static Entry *
find_ticket (CdProjector  *self,
             CdEvent      *event,
             GError      **error)
{
  CdTicket *ticket;
  Entry *entry;

  if ((entry = g_hash_table_lookup (self->tickets, event->entity)) != NULL)
    return entry;

  /* A registration is the ticket's first event: nothing to read. */
  if (g_strcmp0 (event->type, "register") == 0)
    ticket = cd_ticket_new ();
  else if ((ticket = cd_store_load_or_new_ticket (self->reader, event->entity, error)) == NULL)
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->id = g_strdup (event->entity);
  entry->ticket = ticket;
  /* A ticket read back has a number; a new one gets it at registration. */
  if (ticket->number == NULL)
    entry->created = self->serial;
  g_hash_table_insert (self->tickets, entry->id, entry);
  return entry;
}

/**
 * cd_projector_project:
 * @self: a projector
 * @events: (array length=n_events): the next events of the other journal,
 *   with their sequence numbers and hashes
 * @n_events: how many
 * @error: a #CD_JOURNAL_ERROR when an event does not continue the chain, a
 *   #CD_DISPATCH_ERROR when one does not apply, a #CD_STORE_ERROR or a
 *   #CD_SLA_ERROR
 *
 * Checks that @events continue the journal, applies each to its ticket
 * with cd_ticket_apply() and judges the clocks of the tickets they changed:
 * what cd_store_import() does, without writing. Batches are projected one
 * at a time, in order, and must be written in the same order; after an
 * error, the next batch starts again from the database.
 *
 * Returns: (transfer full): the batch for cd_store_write_batch(), or %NULL
 */
CdImportBatch *
cd_projector_project (CdProjector      *self,
                      CdEvent * const  *events,
                      guint             n_events,
                      GError          **error)
{
  g_autoptr(CdImportBatch) batch = NULL;
  g_autoptr(GPtrArray) touched = NULL;
  CdJournalHead head;
  guint written;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (events != NULL || n_events == 0, NULL);

  if (g_atomic_int_get (&self->invalid) && !restart (self, error))
    return NULL;
  forget_written (self);
  written = (guint) g_atomic_int_get ((gint *) &self->written);

  batch = g_new0 (CdImportBatch, 1);
  batch->serial = ++self->serial;
  batch->before = self->head;
  batch->events = g_ptr_array_new_full (n_events, (GDestroyNotify) cd_event_unref);
  batch->resolved = g_ptr_array_new_full (n_events, resolved_free);
  touched = g_ptr_array_new ();
  head = self->head;

  for (guint i = 0; i < n_events; i++)
    {
      CdEvent *event = events[i];
      Entry *entry;

      if (!cd_journal_check (&head, event, error))
        {
          g_prefix_error (error, _("Event %" PRId64 ": "), event->seq);
          goto failed;
        }
      /* A call is no ticket's: the writer projects it on its own. */
      if (cd_store_is_call_event (event))
        {
          g_ptr_array_add (batch->events, cd_event_ref (event));
          g_ptr_array_add (batch->resolved, NULL);
          continue;
        }
      if ((entry = find_ticket (self, event, error)) == NULL)
        {
          g_prefix_error (error, _("Event %" PRId64 ": "), event->seq);
          goto failed;
        }

      if (entry->serial != batch->serial)
        {
          /* An earlier batch may be being written from this very ticket. */
          if (entry->serial > written)
            {
              CdTicket *copy = cd_ticket_copy (entry->ticket);

              cd_ticket_unref (entry->ticket);
              entry->ticket = copy;
            }
          entry->serial = batch->serial;
          g_ptr_array_add (touched, entry);
        }
      if (!cd_ticket_apply (entry->ticket, event, error))
        {
          /* The client stops here and says at which event. */
          g_prefix_error (error, _("Event %" PRId64 ": "), event->seq);
          goto failed;
        }
      g_ptr_array_add (batch->events, cd_event_ref (event));
      g_ptr_array_add (batch->resolved, g_str_equal (event->type, "resolve")
                                        ? cd_ticket_copy (entry->ticket) : NULL);
    }

  batch->tickets = g_ptr_array_new_full (touched->len, (GDestroyNotify) cd_ticket_unref);
  batch->histories = g_ptr_array_new_full (touched->len, g_free);
  batch->is_new = g_array_sized_new (FALSE, FALSE, sizeof (gboolean), touched->len);
  for (guint i = 0; i < touched->len; i++)
    {
      Entry *entry = g_ptr_array_index (touched, i);
      gboolean is_new = entry->created == batch->serial;

      /* The clocks are judged once per ticket and batch, over all its
       * events, as of its last one: what a commit does. */
      if (!cd_store_judge_clocks (self->reader, entry->ticket, error))
        {
          g_prefix_error (error, _("Ticket %s: "), entry->ticket->number);
          goto failed;
        }
      g_ptr_array_add (batch->tickets, cd_ticket_ref (entry->ticket));
      g_ptr_array_add (batch->histories, cd_ticket_dup_history_text (entry->ticket));
      g_array_append_val (batch->is_new, is_new);
    }

  remember_touched (self, batch->serial, g_steal_pointer (&touched));
  batch->after = head;
  self->head = head;
  return g_steal_pointer (&batch);

failed:
  /* Tickets in memory hold events that will not be written. */
  cd_projector_invalidate (self);
  return NULL;
}

gint64
cd_import_batch_get_last_seq (const CdImportBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->after.seq;
}

const char *
cd_import_batch_get_last_hash (const CdImportBatch *batch)
{
  g_return_val_if_fail (batch != NULL, NULL);
  return batch->after.hash;
}

guint
cd_import_batch_get_n_events (const CdImportBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->events->len;
}

void
cd_import_batch_free (CdImportBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->events, g_ptr_array_unref);
  g_clear_pointer (&batch->resolved, g_ptr_array_unref);
  g_clear_pointer (&batch->tickets, g_ptr_array_unref);
  g_clear_pointer (&batch->histories, g_ptr_array_unref);
  if (batch->is_new != NULL)
    g_array_unref (batch->is_new);
  g_free (batch);
}

/**
 * cd_store_write_batch:
 * @store: the store the projector reads, in a transaction
 * @batch: the next batch of cd_projector_project()
 * @error: a #CD_JOURNAL_ERROR when @batch does not continue @store's
 *   journal, or a #CD_STORE_ERROR
 *
 * Inserts @batch's events and writes its tickets' rows. On error, roll the
 * transaction back and cd_projector_invalidate() the projector.
 *
 * Returns: whether @batch was written
 */
gboolean
cd_store_write_batch (CdStore              *store,
                      const CdImportBatch  *batch,
                      GError              **error)
{
  g_return_val_if_fail (CD_IS_STORE (store), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (!cd_store_require_transaction (store, error))
    return FALSE;
  if (store->head.seq != batch->before.seq || strcmp (store->head.hash, batch->before.hash) != 0)
    {
      g_set_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_SEQUENCE,
                   _("The events to import follow event %" PRId64 ", but the journal of “%s” "
                     "ends at event %" PRId64 "."),
                   batch->before.seq, store->path, store->head.seq);
      return FALSE;
    }

  for (guint i = 0; i < batch->events->len; i++)
    {
      CdEvent *event = g_ptr_array_index (batch->events, i);

      gboolean is_call = cd_store_is_call_event (event);

      if (!cd_store_insert_event (store, event, error) ||
          (is_call && !cd_store_write_call_event (store, event, error)) ||
          (!is_call && !cd_store_project_feedback (store, g_ptr_array_index (batch->resolved, i),
                                                   event, error)))
        return FALSE;
    }
  for (guint i = 0; i < batch->tickets->len; i++)
    {
      CdTicket *ticket = g_ptr_array_index (batch->tickets, i);

      if (!cd_store_write_ticket_row (store, ticket, g_ptr_array_index (batch->histories, i),
                                      g_array_index (batch->is_new, gboolean, i), error))
        return FALSE;
    }
  store->head = batch->after;
  return TRUE;
}
