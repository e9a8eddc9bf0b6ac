// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-monitor.c: what the dispatch core watches for supervisors */

#include "config.h"

#include <string.h>

#include "cd-category.h"
#include "cd-monitor.h"

/**
 * cd_monitor_is_stale:
 * @ticket: a ticket
 * @now: Unix seconds
 *
 * A ticket "dies" at an executor when nothing happens to it: it is stale
 * when it is open and nothing came from the executor's side (executor_at:
 * cd_dispatch_is_executor_side()) within its category's stale limit. A
 * supervisor's comment, escalation or reminder leaves it stale. Waiting
 * tickets are not stale: their clocks are paused on purpose.
 *
 * Returns: whether @ticket is stale at @now
 */
gboolean
cd_monitor_is_stale (const CdTicket *ticket,
                     gint64          now)
{
  const CdCategory *category;

  if (!cd_ticket_is_open (ticket) || ticket->state == CD_TICKET_STATE_WAITING)
    return FALSE;
  category = cd_category_lookup (ticket->category);
  if (category == NULL)
    return FALSE;
  return now - ticket->executor_at > category->stale_seconds;
}

/**
 * cd_monitor_is_unacknowledged:
 * @ticket: a ticket
 * @now: Unix seconds
 *
 * Returns: whether @ticket was assigned and its executor has not accepted
 *   it within its category's limit, so that a ticket that never reached the
 *   executor is seen
 */
gboolean
cd_monitor_is_unacknowledged (const CdTicket *ticket,
                              gint64          now)
{
  const CdCategory *category;

  if (ticket->state != CD_TICKET_STATE_ASSIGNED)
    return FALSE;
  category = cd_category_lookup (ticket->category);
  if (category == NULL)
    return FALSE;
  return now - ticket->assigned_at > category->ack_seconds;
}

/**
 * cd_monitor_is_overdue:
 * @ticket: a ticket
 * @now: Unix seconds
 *
 * Returns: whether @ticket is open, not resolved, and past the due time the
 *   SLA engine recorded for it
 */
gboolean
cd_monitor_is_overdue (const CdTicket *ticket,
                       gint64          now)
{
  return cd_ticket_is_open (ticket) && ticket->state != CD_TICKET_STATE_RESOLVED &&
         ticket->due_at != 0 && now > ticket->due_at;
}

/**
 * cd_monitor_is_on_time:
 * @ticket: a ticket
 * @now: Unix seconds
 *
 * "On time", as the overdue breakdown, the league table and the
 * statistics count it (docs/overdue-dashboard.md, "On time"): the ticket
 * is under an SLA policy, has breached none of its targets, and is not
 * past its due time now. A resolved ticket is on time when it was resolved by its
 * deadlines.
 *
 * Returns: whether @ticket is on time at @now
 */
gboolean
cd_monitor_is_on_time (const CdTicket *ticket,
                       gint64          now)
{
  return ticket->policy != NULL && ticket->breached == 0 && !cd_monitor_is_overdue (ticket, now);
}

/**
 * cd_monitor_same_place:
 * @a: a ticket
 * @b: another
 *
 * Returns: whether both are about the same building (district, street and
 *   building, ignoring case) and the same category
 */
gboolean
cd_monitor_same_place (const CdTicket *a,
                       const CdTicket *b)
{
  return g_strcmp0 (a->category, b->category) == 0 &&
         a->district != NULL && b->district != NULL &&
         a->street != NULL && b->street != NULL &&
         a->building != NULL && b->building != NULL &&
         g_ascii_strcasecmp (a->district, b->district) == 0 &&
         g_ascii_strcasecmp (a->street, b->street) == 0 &&
         g_ascii_strcasecmp (a->building, b->building) == 0;
}

/**
 * cd_monitor_find_repeat:
 * @ticket: a newly registered ticket
 * @candidates: (array length=n_candidates): earlier tickets, for example
 *   those the store found at the same building
 * @n_candidates: their number
 * @window: how long a closed ticket still counts, in seconds
 *   (%CD_MONITOR_REPEAT_WINDOW)
 *
 * A repeat is a ticket at the same building and category as one that is
 * open, or that closed within @window before it. An open one is preferred,
 * then the most recent.
 *
 * Returns: (nullable) (transfer none): the ticket @ticket repeats
 */
const CdTicket *
cd_monitor_find_repeat (const CdTicket   *ticket,
                        CdTicket * const *candidates,
                        guint             n_candidates,
                        gint64            window)
{
  const CdTicket *best = NULL;

  for (guint i = 0; i < n_candidates; i++)
    {
      const CdTicket *c = candidates[i];
      gboolean open;

      if (c == ticket || g_strcmp0 (c->id, ticket->id) == 0 ||
          c->state == CD_TICKET_STATE_NEW || c->created_at > ticket->created_at ||
          !cd_monitor_same_place (c, ticket))
        continue;

      /* A cancelled or refused ticket was not a real problem. */
      if (c->state == CD_TICKET_STATE_CANCELLED || c->state == CD_TICKET_STATE_REFUSED)
        continue;

      open = cd_ticket_is_open (c);
      if (!open && ticket->created_at - c->closed_at > window)
        continue;

      if (best == NULL ||
          (open && !cd_ticket_is_open (best)) ||
          (open == cd_ticket_is_open (best) && c->created_at > best->created_at))
        best = c;
    }
  return best;
}

void
cd_mass_incident_free (CdMassIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->category);
  g_free (incident->district);
  g_free (incident->street);
  g_clear_pointer (&incident->numbers, g_ptr_array_unref);
  g_free (incident);
}

static int
compare_created (gconstpointer a,
                 gconstpointer b)
{
  const CdTicket *ta = *(const CdTicket * const *) a;
  const CdTicket *tb = *(const CdTicket * const *) b;

  if (ta->created_at != tb->created_at)
    return ta->created_at < tb->created_at ? -1 : 1;
  return g_strcmp0 (ta->number, tb->number);
}

static void
find_in_group (GPtrArray   *group,
               CdMassScope  scope,
               guint        threshold,
               gint64       window,
               GPtrArray   *out)
{
  g_autofree gboolean *marked = NULL;
  guint left = 0;

  if (group->len < threshold)
    return;

  g_ptr_array_sort (group, compare_created);
  marked = g_new0 (gboolean, group->len);

  for (guint right = 0; right < group->len; right++)
    {
      const CdTicket *r = g_ptr_array_index (group, right);

      while (r->created_at - ((const CdTicket *) g_ptr_array_index (group, left))->created_at >
             window)
        left++;
      if (right - left + 1 >= threshold)
        for (guint k = left; k <= right; k++)
          marked[k] = TRUE;
    }

  for (guint i = 0; i < group->len;)
    {
      CdMassIncident *incident;
      const CdTicket *first;

      if (!marked[i])
        {
          i++;
          continue;
        }

      first = g_ptr_array_index (group, i);
      incident = g_new0 (CdMassIncident, 1);
      incident->scope = scope;
      incident->category = g_strdup (first->category);
      incident->district = g_strdup (first->district);
      incident->street = scope == CD_MASS_SCOPE_STREET ? g_strdup (first->street) : NULL;
      incident->first = first->created_at;
      incident->numbers = g_ptr_array_new_with_free_func (g_free);
      for (; i < group->len && marked[i]; i++)
        {
          const CdTicket *t = g_ptr_array_index (group, i);

          g_ptr_array_add (incident->numbers, g_strdup (t->number));
          incident->last = t->created_at;
        }
      g_ptr_array_add (out, incident);
    }
}

static void
group_by (CdTicket * const *tickets,
          guint             n_tickets,
          CdMassScope       scope,
          guint             threshold,
          gint64            window,
          GPtrArray        *out)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GList) keys = NULL;

  for (guint i = 0; i < n_tickets; i++)
    {
      CdTicket *t = tickets[i];
      g_autofree char *key = NULL;
      GPtrArray *group;

      if (t->category == NULL || t->district == NULL || t->street == NULL)
        continue;
      key = scope == CD_MASS_SCOPE_STREET
              ? g_strdup_printf ("%s\x1f%s\x1f%s", t->category, t->district, t->street)
              : g_strdup_printf ("%s\x1f%s", t->category, t->district);
      group = g_hash_table_lookup (groups, key);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_steal_pointer (&key), group);
        }
      g_ptr_array_add (group, t);
    }

  /* Sorted keys, so that the report does not depend on hashing. */
  keys = g_list_sort (g_hash_table_get_keys (groups), (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    find_in_group (g_hash_table_lookup (groups, l->data), scope, threshold, window, out);
}

/**
 * cd_monitor_find_mass_incidents:
 * @tickets: (array length=n_tickets): tickets, for example those registered
 *   in the last day
 * @n_tickets: their number
 * @threshold: how many tickets make an incident (%CD_MONITOR_MASS_THRESHOLD)
 * @window: within how many seconds (%CD_MONITOR_MASS_WINDOW)
 *
 * Finds every run of tickets of one category in one street, and in one
 * district, in which at least @threshold arrived within @window of each
 * other. Overlapping windows make one incident.
 *
 * Returns: (transfer full) (element-type CdMassIncident): street incidents
 *   first, then district ones
 */
GPtrArray *
cd_monitor_find_mass_incidents (CdTicket * const *tickets,
                                guint             n_tickets,
                                guint             threshold,
                                gint64            window)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_mass_incident_free);

  g_return_val_if_fail (threshold > 0, out);

  group_by (tickets, n_tickets, CD_MASS_SCOPE_STREET, threshold, window, out);
  group_by (tickets, n_tickets, CD_MASS_SCOPE_DISTRICT, threshold, window, out);
  return out;
}
