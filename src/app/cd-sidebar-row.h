// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_SIDEBAR_ROW (cd_sidebar_row_get_type ())
G_DECLARE_FINAL_TYPE (CdSidebarRow, cd_sidebar_row, CD, SIDEBAR_ROW, GtkListBoxRow)

CdSidebarRow *cd_sidebar_row_new           (CdPage       *page,
                                            const char   *page_name);
const char   *cd_sidebar_row_get_page_name (CdSidebarRow *self);
const char   *cd_sidebar_row_get_title     (CdSidebarRow *self);

G_END_DECLS
