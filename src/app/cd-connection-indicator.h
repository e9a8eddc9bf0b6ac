// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

#include "cd-connection-state.h"

G_BEGIN_DECLS

/**
 * CdConnectionDisplay:
 * @icon_name: a symbolic icon
 * @label: the words in the header bar
 * @tooltip: a sentence that says what it means for the user
 * @css_class: a style class, or %NULL
 *
 * What the header shows for a connection state; computed without widgets so
 * that it can be tested without a display.
 */
typedef struct
{
  const char *icon_name;
  char       *label;
  char       *tooltip;
  const char *css_class;
} CdConnectionDisplay;

void cd_connection_display_init  (CdConnectionDisplay *display,
                                  CdConnectionState    state,
                                  GDateTime           *offline_since);
void cd_connection_display_clear (CdConnectionDisplay *display);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdConnectionDisplay, cd_connection_display_clear)

#define CD_TYPE_CONNECTION_INDICATOR (cd_connection_indicator_get_type ())
G_DECLARE_FINAL_TYPE (
    CdConnectionIndicator, cd_connection_indicator, CD, CONNECTION_INDICATOR, GtkWidget)

CdConnectionState cd_connection_indicator_get_state (CdConnectionIndicator *self);
void              cd_connection_indicator_set_state (CdConnectionIndicator *self,
                                                     CdConnectionState      state,
                                                     GDateTime             *offline_since);
const char       *cd_connection_indicator_get_label (CdConnectionIndicator *self);
void              cd_connection_indicator_set_compact (CdConnectionIndicator *self,
                                                       gboolean               compact);
void              cd_connection_indicator_set_progress (CdConnectionIndicator *self,
                                                        gint64                 done,
                                                        gint64                 total);
void              cd_connection_indicator_set_pending (CdConnectionIndicator *self,
                                                       guint                  n_pending,
                                                       const char            *last_error);

G_END_DECLS
