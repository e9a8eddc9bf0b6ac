// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_RECORDINGS_PAGE (cd_recordings_page_get_type ())
G_DECLARE_FINAL_TYPE (CdRecordingsPage, cd_recordings_page, CD, RECORDINGS_PAGE, CdPage)

G_END_DECLS
