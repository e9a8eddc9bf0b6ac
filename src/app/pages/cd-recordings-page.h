// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-call-player.h"
#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_RECORDINGS_PAGE (cd_recordings_page_get_type ())
G_DECLARE_FINAL_TYPE (CdRecordingsPage, cd_recordings_page, CD, RECORDINGS_PAGE, CdPage)

/* For the tests: what a person sees and does through the widgets. */
gboolean        cd_recordings_page_get_loading  (CdRecordingsPage *self);
guint           cd_recordings_page_get_n_shown  (CdRecordingsPage *self);
gboolean        cd_recordings_page_choose_call  (CdRecordingsPage *self,
                                                 const char       *call);
void            cd_recordings_page_play_call    (CdRecordingsPage *self,
                                                 const char       *call);
const char     *cd_recordings_page_get_call     (CdRecordingsPage *self);
CdCallPlayer   *cd_recordings_page_get_player   (CdRecordingsPage *self);
gboolean        cd_recordings_page_get_fetching (CdRecordingsPage *self);
gboolean        cd_recordings_page_get_saving   (CdRecordingsPage *self);
const char     *cd_recordings_page_get_status   (CdRecordingsPage *self);
const char     *cd_recordings_page_get_score_text (CdRecordingsPage *self);
const char     *cd_recordings_page_get_calibration (CdRecordingsPage *self);
gboolean        cd_recordings_page_choose_session (CdRecordingsPage *self,
                                                   const char       *session);
gboolean        cd_recordings_page_get_calibrating (CdRecordingsPage *self);

G_END_DECLS
