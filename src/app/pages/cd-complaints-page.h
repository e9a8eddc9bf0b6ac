// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_COMPLAINTS_PAGE (cd_complaints_page_get_type ())
G_DECLARE_FINAL_TYPE (CdComplaintsPage, cd_complaints_page, CD, COMPLAINTS_PAGE, CdPage)

G_END_DECLS
