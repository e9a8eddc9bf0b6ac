// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-tile.h: one figure on a dashboard's row of tiles: an icon, the
 * number, its caption and a line of detail, read by a screen reader as one
 * sentence */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_TILE (cd_tile_get_type ())
G_DECLARE_FINAL_TYPE (CdTile, cd_tile, CD, TILE, GtkBox)

/**
 * CdTileInfo:
 * @title: the caption, marked with N_()
 * @icon_name: the icon beside the number
 *
 * One tile of a dashboard's row, as class data.
 */
typedef struct
{
  const char *title;
  const char *icon_name;
} CdTileInfo;

GtkWidget  *cd_tile_new        (const char *icon_name,
                                const char *title);
CdTile     *cd_tile_add_to_row (GtkFlowBox *row,
                                const char *icon_name,
                                const char *title);
void        cd_tile_fill_row   (GtkFlowBox       *row,
                                const CdTileInfo *info,
                                guint             n_tiles,
                                CdTile          **tiles);
void        cd_tile_set_figure (CdTile     *self,
                                const char *number,
                                const char *detail);
void        cd_tile_set_state  (CdTile     *self,
                                const char *style,
                                const char *icon_name);
const char *cd_tile_get_number (CdTile     *self);
const char *cd_tile_get_detail (CdTile     *self);

G_END_DECLS
