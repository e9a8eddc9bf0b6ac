// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket-filter.h: which tickets, the one filter of every ticket query
 *
 * The dashboards' lists, `citydeskctl tickets`, the API's ticket list,
 * Open311's request search and the breach notifier all say which tickets
 * they want with this one type; the store turns it into one WHERE clause
 * (cd-ticket-filter.c), so that a condition such as "breached" is written
 * once, in cd_overdue_tile_condition().
 */
#pragma once

#include <glib-object.h>

#include "cd-store-overdue.h"

G_BEGIN_DECLS

/**
 * CdTicketFilter:
 * @numbers: (nullable) (array zero-terminated=1): only these tickets, by
 *   number or UUID
 * @categories: (nullable) (array zero-terminated=1): only these categories
 * @states: (nullable) (array zero-terminated=1): only these states
 * @district: (nullable): only this district
 * @category: (nullable): only this category
 * @executor: (nullable): only this executor's tickets ("" for the tickets
 *   no executor has)
 * @kind: (nullable): only this kind
 * @state: (nullable): only this state (a #CdTicketState name)
 * @policy: (nullable): only tickets under this SLA policy
 * @search: (nullable): a number (or its start), part of an address, or
 *   digits of a phone
 * @tile: only the tickets a dashboard tile counts (breached, at risk,
 *   stale, reopened this week)
 * @attention: only the tickets breached or at risk (the first two tiles'
 *   tickets together), when @tile is %CD_OVERDUE_TILE_NONE
 * @unacknowledged: only assigned tickets not accepted within their
 *   category's limit
 * @open_only: only open tickets
 * @created_from: when not 0, registered at or after it (Unix seconds)
 * @created_to: when not 0, registered at or before it
 * @updated_from: when not 0, last changed at or after it
 * @updated_to: when not 0, last changed at or before it
 * @now: Unix seconds, for @tile, @attention and @unacknowledged
 *
 * Each query sets the members it needs; the rest stay %NULL or 0, which
 * means no condition. Empty strings count as no condition too, except for
 * @executor.
 */
typedef struct
{
  const char * const *numbers;
  const char * const *categories;
  const char * const *states;
  const char         *district;
  const char         *category;
  const char         *executor;
  const char         *kind;
  const char         *state;
  const char         *policy;
  const char         *search;
  CdOverdueTile       tile;
  gboolean            attention;
  gboolean            unacknowledged;
  gboolean            open_only;
  gint64              created_from;
  gint64              created_to;
  gint64              updated_from;
  gint64              updated_to;
  gint64              now;
} CdTicketFilter;

CdTicketFilter *cd_ticket_filter_copy (const CdTicketFilter *filter);
void            cd_ticket_filter_free (CdTicketFilter       *filter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTicketFilter, cd_ticket_filter_free)

G_END_DECLS
