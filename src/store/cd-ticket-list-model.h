// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-ticket-list-model.h: a lazy GListModel over the tickets table
 *
 * The model keeps only the row ids of the matching tickets, in order (8
 * bytes a row); ticket objects are built a page at a time when the view
 * asks for them, and a bounded number of pages is kept. A million tickets
 * scroll without a million objects.
 */
#pragma once

#include <gio/gio.h>

#include "cd-store-overdue.h"
#include "cd-store.h"
#include "cd-ticket-filter.h"

G_BEGIN_DECLS

/* Rows built at once when the view asks for one of them. */
#define CD_TICKET_LIST_PAGE_SIZE 64
/* Pages kept: a few screens either way of where the view is. */
#define CD_TICKET_LIST_MAX_PAGES 32

typedef enum
{
  CD_TICKET_SORT_NUMBER,
  CD_TICKET_SORT_CATEGORY,
  CD_TICKET_SORT_ADDRESS,
  CD_TICKET_SORT_EXECUTOR,
  CD_TICKET_SORT_TARGET,
  CD_TICKET_SORT_DUE,
  CD_TICKET_SORT_OVERDUE_BY,
  CD_TICKET_SORT_STATE,
  CD_TICKET_N_SORTS
} CdTicketSort;

/* The columns of a list's CSV export, headed by their codes. */
typedef enum
{
  CD_TICKET_COLUMN_NUMBER,
  CD_TICKET_COLUMN_KIND,
  CD_TICKET_COLUMN_CATEGORY,
  CD_TICKET_COLUMN_ADDRESS,
  CD_TICKET_COLUMN_DISTRICT,
  CD_TICKET_COLUMN_EXECUTOR,
  CD_TICKET_COLUMN_TARGET,
  CD_TICKET_COLUMN_REGISTERED,
  CD_TICKET_COLUMN_DUE,
  CD_TICKET_COLUMN_OVERDUE_SECONDS,
  CD_TICKET_COLUMN_STATE,
  CD_TICKET_N_COLUMNS
} CdTicketColumn;

GArray         *cd_ticket_list_query  (CdStore              *store,
                                       const CdTicketFilter *filter,
                                       CdTicketSort          sort,
                                       gboolean              descending,
                                       guint                *total,
                                       GError              **error);

#define CD_TYPE_TICKET_OBJECT (cd_ticket_object_get_type ())
G_DECLARE_FINAL_TYPE (CdTicketObject, cd_ticket_object, CD, TICKET_OBJECT, GObject)

CdTicket *cd_ticket_object_get_ticket  (CdTicketObject *self);
char     *cd_ticket_format_address     (const CdTicket *ticket);
char     *cd_ticket_format_address_in  (CdStore        *store,
                                        const CdTicket *ticket);

#define CD_TYPE_TICKET_LIST_MODEL (cd_ticket_list_model_get_type ())
G_DECLARE_FINAL_TYPE (CdTicketListModel, cd_ticket_list_model, CD, TICKET_LIST_MODEL, GObject)

CdTicketListModel *cd_ticket_list_model_new             (CdStore              *store);
CdStore           *cd_ticket_list_model_get_store       (CdTicketListModel    *self);
gboolean           cd_ticket_list_model_set_filter      (CdTicketListModel    *self,
                                                         const CdTicketFilter *filter,
                                                         GError              **error);
gboolean           cd_ticket_list_model_set_sort        (CdTicketListModel    *self,
                                                         CdTicketSort          sort,
                                                         gboolean              descending,
                                                         GError              **error);
gboolean           cd_ticket_list_model_reload          (CdTicketListModel    *self,
                                                         GError              **error);
void               cd_ticket_list_model_set_ids         (CdTicketListModel    *self,
                                                         GArray               *ids,
                                                         guint                 total);
guint              cd_ticket_list_model_get_n_built     (CdTicketListModel    *self);
guint              cd_ticket_list_model_get_n_queries   (CdTicketListModel    *self);
guint              cd_ticket_list_model_get_total       (CdTicketListModel    *self);
gboolean           cd_ticket_list_model_write_csv       (CdTicketListModel    *self,
                                                         GOutputStream        *out,
                                                         const CdTicketColumn *columns,
                                                         guint                 n_columns,
                                                         gint64                now,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
void               cd_csv_append_field                  (GString              *line,
                                                         const char           *field);

G_END_DECLS
