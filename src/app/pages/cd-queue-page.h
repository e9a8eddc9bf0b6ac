// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"

G_BEGIN_DECLS

typedef enum
{
  CD_QUEUE_TILE_WAITING,
  CD_QUEUE_TILE_LONGEST_WAIT,
  CD_QUEUE_TILE_OPERATORS,
  CD_QUEUE_TILE_SERVICE_LEVEL,
  CD_QUEUE_TILE_ABANDONED,
  CD_QUEUE_TILE_MISSED,
  CD_QUEUE_N_TILES,
} CdQueueTile;

typedef enum
{
  CD_QUEUE_WHATIF_CALLS,
  CD_QUEUE_WHATIF_AHT,
  CD_QUEUE_WHATIF_PATIENCE,
  CD_QUEUE_WHATIF_OPERATORS,
  CD_QUEUE_N_WHATIF_INPUTS,
} CdQueueWhatifInput;

typedef enum
{
  CD_QUEUE_WHATIF_SERVICE_LEVEL,
  CD_QUEUE_WHATIF_ASA,
  CD_QUEUE_WHATIF_ABANDONMENT,
  CD_QUEUE_WHATIF_OCCUPANCY,
  CD_QUEUE_N_WHATIF_RESULTS,
} CdQueueWhatifResult;

#define CD_TYPE_QUEUE_PAGE (cd_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (CdQueuePage, cd_queue_page, CD, QUEUE_PAGE, CdPage)

gboolean       cd_queue_page_get_loading       (CdQueuePage         *self);
const char    *cd_queue_page_get_tile_text     (CdQueuePage         *self,
                                                CdQueueTile          tile);
const char    *cd_queue_page_get_tile_detail   (CdQueuePage         *self,
                                                CdQueueTile          tile);
GtkSpinButton *cd_queue_page_get_whatif_input  (CdQueuePage         *self,
                                                CdQueueWhatifInput   input);
const char    *cd_queue_page_get_whatif_result (CdQueuePage         *self,
                                                CdQueueWhatifResult  result);
void           cd_queue_page_set_interval      (CdQueuePage         *self,
                                                gint64               interval);
void           cd_queue_page_show_table        (CdQueuePage         *self,
                                                gboolean             table);
GListModel    *cd_queue_page_get_operators     (CdQueuePage         *self);
gboolean       cd_queue_page_get_heatmap_read  (CdQueuePage         *self);
char          *cd_queue_page_get_operator_cell (CdQueuePage         *self,
                                                guint                row,
                                                guint                column);
gboolean       cd_queue_page_export            (CdQueuePage         *self,
                                                GFile               *file,
                                                GError             **error);

G_END_DECLS
