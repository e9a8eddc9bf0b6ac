// SPDX-License-Identifier: GPL-3.0-or-later
//
// A tile of the Queue load, Callbacks and Complaints dashboards: a card
// whose number stands out beside its icon, with a caption below and, when
// there is one, a line of detail. The Overdue page's tiles are buttons
// that filter its list, and are its own.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-tile.h"

struct _CdTile
{
  GtkBox    parent_instance;

  char     *title;
  GtkImage *icon;
  GtkLabel *number;
  GtkLabel *detail;
};

G_DEFINE_FINAL_TYPE (CdTile, cd_tile, GTK_TYPE_BOX)

static void
cd_tile_finalize (GObject *object)
{
  CdTile *self = CD_TILE (object);

  g_free (self->title);

  G_OBJECT_CLASS (cd_tile_parent_class)->finalize (object);
}

static void
cd_tile_class_init (CdTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_tile_finalize;
}

static void
cd_tile_init (CdTile *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
}

/**
 * cd_tile_new:
 * @icon_name: the icon beside the number
 * @title: the caption, translated
 *
 * Returns: (transfer floating): a tile showing "—" until it has a figure
 */
GtkWidget *
cd_tile_new (const char *icon_name,
             const char *title)
{
  CdTile *self = g_object_new (CD_TYPE_TILE, NULL);
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *caption = gtk_label_new (title);

  self->title = g_strdup (title);
  self->icon = GTK_IMAGE (gtk_image_new_from_icon_name (icon_name));
  self->number = GTK_LABEL (gtk_label_new ("—"));
  self->detail = GTK_LABEL (gtk_label_new (NULL));

  gtk_widget_add_css_class (GTK_WIDGET (self->number), "title-1");
  gtk_widget_add_css_class (GTK_WIDGET (self->number), "numeric");
  gtk_label_set_xalign (self->number, 0);
  gtk_image_set_icon_size (self->icon, GTK_ICON_SIZE_LARGE);
  gtk_widget_set_valign (GTK_WIDGET (self->icon), GTK_ALIGN_CENTER);
  for (guint j = 0; j < 2; j++)
    {
      GtkLabel *label = j == 0 ? GTK_LABEL (caption) : self->detail;

      gtk_widget_add_css_class (GTK_WIDGET (label), "caption");
      gtk_label_set_xalign (label, 0);
      /* Captions run a third longer in Russian: they wrap between words
       * rather than being cut. */
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD);
      gtk_label_set_natural_wrap_mode (label, GTK_NATURAL_WRAP_NONE);
    }
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->detail), FALSE);

  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (hbox), GTK_WIDGET (self->number));
  gtk_box_append (GTK_BOX (vbox), hbox);
  gtk_box_append (GTK_BOX (vbox), caption);
  gtk_box_append (GTK_BOX (vbox), GTK_WIDGET (self->detail));
  gtk_widget_set_margin_top (vbox, 12);
  gtk_widget_set_margin_bottom (vbox, 12);
  gtk_widget_set_margin_start (vbox, 12);
  gtk_widget_set_margin_end (vbox, 12);
  gtk_box_append (GTK_BOX (self), vbox);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return GTK_WIDGET (self);
}

/**
 * cd_tile_add_to_row:
 * @row: a dashboard's row of tiles
 * @icon_name: the icon beside the number
 * @title: the caption, translated
 *
 * Returns: (transfer none): a new tile at the end of @row, which Tab
 *   passes over: a tile is read, not chosen
 */
CdTile *
cd_tile_add_to_row (GtkFlowBox *row,
                    const char *icon_name,
                    const char *title)
{
  GtkWidget *tile = cd_tile_new (icon_name, title);

  gtk_flow_box_append (row, tile);
  gtk_widget_set_focusable (gtk_widget_get_parent (tile), FALSE);
  return CD_TILE (tile);
}

/**
 * cd_tile_fill_row:
 * @row: a dashboard's row of tiles
 * @info: (array length=n_tiles): each tile's caption (marked with N_())
 *   and icon, in the order of the row
 * @n_tiles: how many
 * @tiles: (out caller-allocates) (array length=n_tiles): the new tiles
 *
 * Adds a dashboard's tiles, as its class data describes them, so that a
 * page's tile enum indexes both @info and @tiles.
 */
void
cd_tile_fill_row (GtkFlowBox       *row,
                  const CdTileInfo *info,
                  guint             n_tiles,
                  CdTile          **tiles)
{
  g_return_if_fail (GTK_IS_FLOW_BOX (row));

  for (guint i = 0; i < n_tiles; i++)
    tiles[i] = cd_tile_add_to_row (row, info[i].icon_name, _(info[i].title));
}

/**
 * cd_tile_set_figure:
 * @self: a tile
 * @number: the figure
 * @detail: (nullable): a line below the caption, or %NULL for none
 *
 * Shows the figure, and tells a screen reader the caption, the figure and
 * the detail as one sentence.
 */
void
cd_tile_set_figure (CdTile     *self,
                    const char *number,
                    const char *detail)
{
  g_autofree char *spoken = NULL;

  g_return_if_fail (CD_IS_TILE (self));

  gtk_label_set_label (self->number, number);
  gtk_label_set_label (self->detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail), detail != NULL);
  spoken = g_strdup_printf ("%s: %s%s%s", self->title, number, detail != NULL ? ". " : "",
                            detail != NULL ? detail : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
}

/**
 * cd_tile_set_state:
 * @self: a tile
 * @style: (nullable): "error", "warning", or %NULL for neither
 * @icon_name: the icon that says the same
 *
 * A state is never colour alone: the icon changes with it.
 */
void
cd_tile_set_state (CdTile     *self,
                   const char *style,
                   const char *icon_name)
{
  GtkWidget *icon;

  g_return_if_fail (CD_IS_TILE (self));

  icon = GTK_WIDGET (self->icon);
  gtk_widget_remove_css_class (icon, "error");
  gtk_widget_remove_css_class (icon, "warning");
  if (style != NULL)
    gtk_widget_add_css_class (icon, style);
  gtk_image_set_from_icon_name (self->icon, icon_name);
}

const char *
cd_tile_get_number (CdTile *self)
{
  g_return_val_if_fail (CD_IS_TILE (self), NULL);

  return gtk_label_get_label (self->number);
}

const char *
cd_tile_get_detail (CdTile *self)
{
  g_return_val_if_fail (CD_IS_TILE (self), NULL);

  return gtk_label_get_label (self->detail);
}
