// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_TYPE_WAVEFORM_VIEW (cd_waveform_view_get_type ())
G_DECLARE_FINAL_TYPE (CdWaveformView, cd_waveform_view, CD, WAVEFORM_VIEW, GtkWidget)

GtkWidget *cd_waveform_view_new             (void);
void       cd_waveform_view_set_analysis    (CdWaveformView *self,
                                             JsonObject     *analysis);
void       cd_waveform_view_set_position    (CdWaveformView *self,
                                             gint64          position_ms);
gint64     cd_waveform_view_get_duration    (CdWaveformView *self);
gint64     cd_waveform_view_next_silence    (CdWaveformView *self,
                                             gint64          after_ms);

G_END_DECLS
