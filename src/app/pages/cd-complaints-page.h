// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-complaints-source.h"
#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_COMPLAINTS_PAGE (cd_complaints_page_get_type ())
G_DECLARE_FINAL_TYPE (CdComplaintsPage, cd_complaints_page, CD, COMPLAINTS_PAGE, CdPage)

gboolean    cd_complaints_page_get_loading   (CdComplaintsPage  *self);
void        cd_complaints_page_show_stage    (CdComplaintsPage  *self,
                                              CdComplaintStage   stage);
guint       cd_complaints_page_get_n_shown   (CdComplaintsPage  *self);
gboolean    cd_complaints_page_select        (CdComplaintsPage  *self,
                                              const char        *number);
const char *cd_complaints_page_get_current   (CdComplaintsPage  *self);
GtkWidget  *cd_complaints_page_get_part      (CdComplaintsPage  *self,
                                              const char        *name);
const char *cd_complaints_page_get_tile_text (CdComplaintsPage  *self,
                                              guint              tile);
gboolean    cd_complaints_page_export_csv    (CdComplaintsPage  *self,
                                              const char        *path,
                                              GError           **error);

gboolean    cd_complaints_page_export_pdf    (CdComplaintsPage  *self,
                                              const char        *path,
                                              GError           **error);

G_END_DECLS
