// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket-source.h: one ticket as its view shows it
 *
 * The ticket, its SLA clocks judged by the engine, its history checked
 * against the hash chain, its repeats and its mass incident, read off the
 * main loop and again whenever the sync brings events.
 */
#pragma once

#include "cd-source.h"
#include "cd-store-history.h"

G_BEGIN_DECLS

#define CD_TYPE_TICKET_SOURCE (cd_ticket_source_get_type ())
G_DECLARE_FINAL_TYPE (CdTicketSource, cd_ticket_source, CD, TICKET_SOURCE, CdSource)

CdTicketSource *cd_ticket_source_new          (CdContext      *context,
                                               const char     *number);
const char     *cd_ticket_source_get_number   (CdTicketSource *self);
const GError   *cd_ticket_source_get_error    (CdTicketSource *self);
CdTicket       *cd_ticket_source_get_ticket   (CdTicketSource *self);
GPtrArray      *cd_ticket_source_get_clocks   (CdTicketSource *self,
                                               const char    **why_none);
GPtrArray      *cd_ticket_source_get_history  (CdTicketSource *self,
                                               gint64         *bad_seq);
GPtrArray      *cd_ticket_source_get_repeats  (CdTicketSource *self);
GPtrArray      *cd_ticket_source_get_incident (CdTicketSource *self);

G_END_DECLS
