// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-callbacks-source.h"
#include "cd-page.h"

G_BEGIN_DECLS

typedef enum
{
  CD_CALLBACKS_TILE_DUE_TODAY,
  CD_CALLBACKS_TILE_OVERDUE,
  CD_CALLBACKS_TILE_CONFIRMATION_RATE,
  CD_CALLBACKS_TILE_UNREACHABLE_RATE,
  CD_CALLBACKS_TILE_REOPEN_RATE,
  CD_CALLBACKS_N_TILES,
} CdCallbacksTile;

#define CD_TYPE_CALLBACKS_PAGE (cd_callbacks_page_get_type ())
G_DECLARE_FINAL_TYPE (CdCallbacksPage, cd_callbacks_page, CD, CALLBACKS_PAGE, CdPage)

gboolean    cd_callbacks_page_get_loading       (CdCallbacksPage *self);
guint       cd_callbacks_page_get_n_tasks       (CdCallbacksPage *self);
gboolean    cd_callbacks_page_get_can_record    (CdCallbacksPage *self);
const char *cd_callbacks_page_get_current       (CdCallbacksPage *self);
const char *cd_callbacks_page_get_phone_text    (CdCallbacksPage *self);
const char *cd_callbacks_page_get_script        (CdCallbacksPage *self);
const char *cd_callbacks_page_get_message       (CdCallbacksPage *self);
GtkWidget  *cd_callbacks_page_get_task_list     (CdCallbacksPage *self);
GtkEditable *cd_callbacks_page_get_comment      (CdCallbacksPage *self);
const char *cd_callbacks_page_get_tile_text     (CdCallbacksPage *self,
                                                 CdCallbacksTile  tile);
void        cd_callbacks_page_show_figures      (CdCallbacksPage *self,
                                                 gboolean         figures);
void        cd_callbacks_page_set_period        (CdCallbacksPage   *self,
                                                 CdCallbacksPeriod  period);
guint       cd_callbacks_page_get_n_executors   (CdCallbacksPage *self);
char       *cd_callbacks_page_get_executor_cell (CdCallbacksPage *self,
                                                 guint            row,
                                                 guint            column);

G_END_DECLS
