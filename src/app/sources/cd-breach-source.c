// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "cd-breach-source.h"
#include "cd-sla-library.h"
#include "cd-store-search.h"

typedef struct
{
  GPtrArray *tickets;   /* CdTicket: the strings of seen point into them */
  GArray    *seen;      /* CdBreachSeen */
  gint64     now;
} Scan;

struct _CdBreachSource
{
  CdSource  parent_instance;

  Scan     *scan;
};

G_DEFINE_FINAL_TYPE (CdBreachSource, cd_breach_source, CD_TYPE_SOURCE)

static void
scan_free (Scan *scan)
{
  g_clear_pointer (&scan->seen, g_array_unref);
  g_clear_pointer (&scan->tickets, g_ptr_array_unref);
  g_free (scan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scan, scan_free)

/* The target that is overdue is the one the ticket is due by; told only
 * while its calendar is working. */
static gboolean
breach_is_working (CdSlaLibrary *library,
                   CdTicket     *ticket,
                   gint64        now)
{
  g_autofree char *name = cd_ticket_dup_due_target (ticket);
  CdSlaPolicy *policy;
  CdSlaCalendar *calendar;
  int index;

  if (library == NULL || name == NULL || ticket->policy == NULL ||
      (policy = cd_sla_library_lookup (library, ticket->policy)) == NULL ||
      (index = cd_sla_policy_find_target (policy, name)) < 0)
    return TRUE;
  calendar = g_hash_table_lookup (cd_sla_library_get_calendars (library),
                                  cd_sla_policy_get_target (policy, index)->calendar);
  return calendar == NULL || cd_sla_calendar_is_working (calendar, now);
}

/* Worker thread. */
static gpointer
read_breaches (CdStore  *reader,
               gpointer  data,
               GError  **error)
{
  gint64 now = *(gint64 *) data;
  CdTicketFilter filter = { .tile = CD_OVERDUE_TILE_BREACHED, .open_only = TRUE, .now = now };
  g_autoptr(Scan) scan = g_new0 (Scan, 1);
  CdSlaLibrary *library;

  if ((scan->tickets = cd_store_list_tickets (reader, &filter, 0, error)) == NULL)
    return NULL;
  library = cd_store_get_sla_library (reader, NULL);
  scan->now = now;
  scan->seen = g_array_sized_new (FALSE, FALSE, sizeof (CdBreachSeen), scan->tickets->len);
  for (guint i = 0; i < scan->tickets->len; i++)
    {
      CdTicket *ticket = g_ptr_array_index (scan->tickets, i);
      CdBreachSeen seen = { ticket->number, ticket->executor,
                            breach_is_working (library, ticket, now) };

      g_array_append_val (scan->seen, seen);
    }
  return g_steal_pointer (&scan);
}

static void
apply_breaches (CdSource     *source,
                gpointer      result,
                const GError *error)
{
  CdBreachSource *self = CD_BREACH_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot look for new breaches: %s", error->message);
      return;
    }
  g_clear_pointer (&self->scan, scan_free);
  self->scan = result;
  cd_source_emit_changed (source);
}

static void
cd_breach_source_refresh (CdSource *source)
{
  gint64 *now = g_new (gint64, 1);

  *now = cd_source_get_now (source);
  cd_source_run (source, 0, read_breaches, now, g_free, (GDestroyNotify) scan_free, apply_breaches);
}

static void
cd_breach_source_dispose (GObject *object)
{
  g_clear_pointer (&CD_BREACH_SOURCE (object)->scan, scan_free);

  G_OBJECT_CLASS (cd_breach_source_parent_class)->dispose (object);
}

static void
cd_breach_source_class_init (CdBreachSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_breach_source_dispose;
  CD_SOURCE_CLASS (klass)->refresh = cd_breach_source_refresh;
}

static void
cd_breach_source_init (CdBreachSource *self)
{
}

/**
 * cd_breach_source_new:
 * @context: the cache and the moment
 *
 * Returns: (transfer full): a source, not read yet (cd_source_refresh())
 */
CdBreachSource *
cd_breach_source_new (CdContext *context)
{
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  return g_object_new (CD_TYPE_BREACH_SOURCE, "context", context, NULL);
}

/**
 * cd_breach_source_get_seen:
 * @self: a #CdBreachSource
 * @n_seen: (out): how many
 * @now: (out) (optional): the moment they were judged at
 *
 * Returns: (array length=n_seen) (nullable): the breached tickets of the
 *   last read, %NULL before the first
 */
const CdBreachSeen *
cd_breach_source_get_seen (CdBreachSource *self,
                           guint          *n_seen,
                           gint64         *now)
{
  g_return_val_if_fail (CD_IS_BREACH_SOURCE (self), NULL);
  g_return_val_if_fail (n_seen != NULL, NULL);

  *n_seen = self->scan != NULL ? self->scan->seen->len : 0;
  if (now != NULL)
    *now = self->scan != NULL ? self->scan->now : 0;
  return self->scan != NULL ? (const CdBreachSeen *) self->scan->seen->data : NULL;
}
