// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"

G_BEGIN_DECLS

#define CD_TYPE_TICKET_WINDOW (cd_ticket_window_get_type ())
G_DECLARE_FINAL_TYPE (CdTicketWindow, cd_ticket_window, CD, TICKET_WINDOW, AdwWindow)

CdTicketWindow *cd_ticket_window_new                (CdContext      *context,
                                                     const char     *number);
gboolean        cd_ticket_window_get_loading        (CdTicketWindow *self);
CdTicketWindow *cd_ticket_window_open_ticket        (CdTicketWindow *self,
                                                     const char     *number);
const CdTicket *cd_ticket_window_get_ticket         (CdTicketWindow *self);
gboolean        cd_ticket_window_get_chain_verified (CdTicketWindow *self);
guint           cd_ticket_window_get_n_history      (CdTicketWindow *self);
guint           cd_ticket_window_get_n_clocks       (CdTicketWindow *self);
const char     *cd_ticket_window_get_resident_text  (CdTicketWindow *self);

G_END_DECLS
