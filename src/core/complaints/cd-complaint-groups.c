// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint-groups.c: complaints grouped for systemic proposals */

#include "config.h"

#include <string.h>

#include "cd-complaint-groups.h"
#include "cd-ticket.h"

static const char * const grouping_names[] = {
  "address", "street", "executor", "category", "cause",
};
G_STATIC_ASSERT (G_N_ELEMENTS (grouping_names) == CD_N_COMPLAINT_GROUPINGS);

/* A group needs this many complaints in the period to be called growing:
 * one after another is a coincidence more often than a cause. */
#define MIN_GROWING 3

const char *
cd_complaint_grouping_to_string (CdComplaintGrouping by)
{
  g_return_val_if_fail (by < CD_N_COMPLAINT_GROUPINGS, NULL);
  return grouping_names[by];
}

gboolean
cd_complaint_grouping_from_string (const char          *text,
                                   CdComplaintGrouping *by)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (grouping_names); i++)
    if (g_str_equal (text, grouping_names[i]))
      {
        *by = i;
        return TRUE;
      }
  return FALSE;
}

void
cd_complaint_group_free (CdComplaintGroup *g)
{
  if (g == NULL)
    return;
  g_free (g->key);
  g_clear_pointer (&g->numbers, g_ptr_array_unref);
  g_free (g->proposal);
  g_free (g);
}

static char *
nonempty (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *copy != '\0' ? g_steal_pointer (&copy) : NULL;
}

/**
 * cd_complaint_group_key:
 * @complaint: a complaint
 * @by: the grouping
 *
 * Returns: (transfer full) (nullable): the value @complaint is grouped on:
 *   its street and building, its street, the executor's code of the ticket
 *   it is about, its category's code, its classification's cause; %NULL when
 *   it has none
 */
char *
cd_complaint_group_key (const CdComplaint   *complaint,
                        CdComplaintGrouping  by)
{
  const CdTicket *t = complaint->ticket;

  switch (by)
    {
    case CD_COMPLAINT_BY_ADDRESS:
      {
        g_autofree char *street = t != NULL ? nonempty (t->street) : NULL;
        g_autofree char *building = t != NULL ? nonempty (t->building) : NULL;

        if (street == NULL)
          return NULL;
        return building != NULL ? g_strdup_printf ("%s %s", street, building)
                                : g_steal_pointer (&street);
      }
    case CD_COMPLAINT_BY_STREET:
      return t != NULL ? nonempty (t->street) : NULL;
    case CD_COMPLAINT_BY_EXECUTOR:
      return nonempty (complaint->executor);
    case CD_COMPLAINT_BY_CATEGORY:
      return t != NULL ? nonempty (t->category) : NULL;
    case CD_COMPLAINT_BY_CAUSE:
      return nonempty (complaint->cause);
    case CD_N_COMPLAINT_GROUPINGS:
    default:
      g_return_val_if_reached (NULL);
    }
}

typedef struct
{
  CdComplaintGroup *group;
  guint             first_half;
  guint             second_half;
  gint64            proposed_at;
} Tally;

static void
free_tally (gpointer data)
{
  Tally *tally = data;

  cd_complaint_group_free (tally->group);
  g_free (tally);
}

static int
by_rank (gconstpointer a,
         gconstpointer b)
{
  const CdComplaintGroup *x = *(CdComplaintGroup * const *) a;
  const CdComplaintGroup *y = *(CdComplaintGroup * const *) b;

  if (x->growing != y->growing)
    return x->growing ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->key, y->key);
}

/**
 * cd_complaint_groups:
 * @rows: (array length=n_rows): the complaints received from
 *   `from - (to - from)` to @to, in order of receipt
 * @n_rows: their number
 * @by: what to group on
 * @from: the period's start
 * @to: its end (included)
 *
 * A group is growing (docs/complaints.md) when it has at least 3
 * complaints in the period, more than in the period before, and more in
 * the period's second half than in its first. A group's proposal is the
 * latest `propose` whose `group` names it (`BY:KEY`) among its complaints.
 *
 * Returns: (transfer full) (element-type CdComplaintGroup): the groups with
 *   2 complaints or more in the period, growing first, then by count, then
 *   by key
 */
GPtrArray *
cd_complaint_groups (CdComplaint * const *rows,
                     guint                n_rows,
                     CdComplaintGrouping  by,
                     gint64               from,
                     gint64               to)
{
  g_autoptr(GHashTable) tallies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        free_tally);
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_complaint_group_free);
  gint64 length = to - from;
  gint64 middle = from + length / 2;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (by < CD_N_COMPLAINT_GROUPINGS, groups);

  for (guint i = 0; i < n_rows; i++)
    {
      const CdComplaint *c = rows[i];
      g_autofree char *key = NULL;
      g_autofree char *name = NULL;
      Tally *tally;

      if (c->received < from - length || c->received > to ||
          (key = cd_complaint_group_key (c, by)) == NULL)
        continue;
      if ((tally = g_hash_table_lookup (tallies, key)) == NULL)
        {
          tally = g_new0 (Tally, 1);
          tally->group = g_new0 (CdComplaintGroup, 1);
          tally->group->key = g_strdup (key);
          tally->group->numbers = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (tallies, tally->group->key, tally);
        }
      if (c->received < from)
        {
          tally->group->previous++;
          continue;
        }
      tally->group->count++;
      if (c->received < middle)
        tally->first_half++;
      else
        tally->second_half++;
      g_ptr_array_add (tally->group->numbers, g_strdup (c->number));
      name = g_strdup_printf ("%s:%s", grouping_names[by], key);
      if (c->proposal != NULL && g_strcmp0 (c->proposal_group, name) == 0 &&
          (tally->group->proposal == NULL || c->proposed_at >= tally->proposed_at))
        {
          g_free (tally->group->proposal);
          tally->group->proposal = g_strdup (c->proposal);
          tally->proposed_at = c->proposed_at;
        }
    }

  g_hash_table_iter_init (&iter, tallies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Tally *tally = value;
      CdComplaintGroup *g = tally->group;

      if (g->count < 2)
        continue;
      g->growing = g->count >= MIN_GROWING && g->count > g->previous &&
                   tally->second_half > tally->first_half;
      g_ptr_array_add (groups, g_steal_pointer (&tally->group));
    }
  g_ptr_array_sort (groups, by_rank);
  return groups;
}
