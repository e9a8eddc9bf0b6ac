// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"
#include "cd-store-overdue.h"

G_BEGIN_DECLS

#define CD_TYPE_OVERDUE_PAGE (cd_overdue_page_get_type ())
G_DECLARE_FINAL_TYPE (CdOverduePage, cd_overdue_page, CD, OVERDUE_PAGE, CdPage)

void             cd_overdue_page_refresh            (CdOverduePage      *self);
gboolean         cd_overdue_page_get_loading        (CdOverduePage      *self);
GtkWindow       *cd_overdue_page_open_ticket        (CdOverduePage      *self,
                                                     const char         *number);
gboolean         cd_overdue_page_export             (CdOverduePage      *self,
                                                     GFile              *file,
                                                     GError            **error);
GtkToggleButton *cd_overdue_page_get_tile           (CdOverduePage      *self,
                                                     CdOverdueTile       tile);
const char      *cd_overdue_page_get_tile_text      (CdOverduePage      *self,
                                                     CdOverdueTile       tile);
void             cd_overdue_page_set_dimension      (CdOverduePage      *self,
                                                     CdOverdueDimension  dimension);
const char      *cd_overdue_page_get_breakdown_cell (CdOverduePage      *self,
                                                     guint               row,
                                                     guint               column);
GListModel      *cd_overdue_page_get_model          (CdOverduePage      *self);
GtkColumnView   *cd_overdue_page_get_column_view    (CdOverduePage      *self);
guint            cd_overdue_page_get_n_countdowns   (CdOverduePage      *self);

G_END_DECLS
