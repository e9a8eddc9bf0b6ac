// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-search.h: tickets by number, category, state and time ranges,
 * one page at a time, the events of such a page, and the external
 * references of imported tickets */

#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

/**
 * CdTicketSearch:
 * @numbers: (nullable) (array zero-terminated=1): only these tickets (numbers
 *   or UUIDs); the other conditions still apply
 * @categories: (nullable) (array zero-terminated=1): only these categories
 * @states: (nullable) (array zero-terminated=1): only these states
 * @created_from: when not 0, registered at or after it (Unix seconds)
 * @created_to: when not 0, registered at or before it
 * @updated_from: when not 0, last changed at or after it
 * @updated_to: when not 0, last changed at or before it
 * @limit: at most this many; 0 for all
 * @offset: skip this many first
 *
 * Tickets come newest first (by registration, then number), so that pages
 * are stable while new tickets arrive only at the front.
 */
typedef struct
{
  const char * const *numbers;
  const char * const *categories;
  const char * const *states;
  gint64              created_from;
  gint64              created_to;
  gint64              updated_from;
  gint64              updated_to;
  guint               limit;
  guint               offset;
} CdTicketSearch;

GPtrArray  *cd_store_search_tickets      (CdStore              *self,
                                          const CdTicketSearch *search,
                                          gint64               *total,
                                          GError              **error);
GHashTable *cd_store_list_events_of      (CdStore              *self,
                                          const char * const   *entities,
                                          guint                 n_entities,
                                          GError              **error);
GHashTable *cd_store_list_external_refs  (CdStore              *self,
                                          const char           *prefix,
                                          GError              **error);

G_END_DECLS
