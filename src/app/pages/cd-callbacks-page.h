// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_CALLBACKS_PAGE (cd_callbacks_page_get_type ())
G_DECLARE_FINAL_TYPE (CdCallbacksPage, cd_callbacks_page, CD, CALLBACKS_PAGE, CdPage)

G_END_DECLS
