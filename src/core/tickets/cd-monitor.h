// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-monitor.h: what the dispatch core watches for supervisors
 *
 * Pure functions over tickets the store hands in: stale tickets (no event
 * for longer than their category allows), tickets the executor has not
 * acknowledged, overdue tickets, repeats at one address, and mass
 * incidents (many tickets of one category in one street or district within
 * a short time).
 */

#pragma once

#include <glib.h>

#include "cd-ticket.h"

G_BEGIN_DECLS

/* A closed ticket still catches repeats for 30 days. */
#define CD_MONITOR_REPEAT_WINDOW (30 * 24 * 3600)
/* Mass incidents: this many tickets within this many seconds. */
#define CD_MONITOR_MASS_THRESHOLD 10
#define CD_MONITOR_MASS_WINDOW 3600

typedef enum
{
  CD_MASS_SCOPE_STREET,
  CD_MASS_SCOPE_DISTRICT,
} CdMassScope;

typedef struct
{
  CdMassScope  scope;
  char        *category;
  char        *district;
  char        *street;
  gint64       first;
  gint64       last;
  GPtrArray   *numbers;
} CdMassIncident;

gboolean        cd_monitor_is_on_time           (const CdTicket   *ticket,
                                                 gint64            now);
gboolean        cd_monitor_is_stale             (const CdTicket   *ticket,
                                                 gint64            now);
gboolean        cd_monitor_is_unacknowledged    (const CdTicket   *ticket,
                                                 gint64            now);
gboolean        cd_monitor_is_overdue           (const CdTicket   *ticket,
                                                 gint64            now);
gboolean        cd_monitor_same_place           (const CdTicket   *a,
                                                 const CdTicket   *b);
const CdTicket *cd_monitor_find_repeat          (const CdTicket   *ticket,
                                                 CdTicket * const *candidates,
                                                 guint             n_candidates,
                                                 gint64            window);
GPtrArray      *cd_monitor_find_mass_incidents  (CdTicket * const *tickets,
                                                 guint             n_tickets,
                                                 guint             threshold,
                                                 gint64            window);
void            cd_mass_incident_free           (CdMassIncident   *incident);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdMassIncident, cd_mass_incident_free)

G_END_DECLS
