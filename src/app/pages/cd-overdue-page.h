// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_OVERDUE_PAGE (cd_overdue_page_get_type ())
G_DECLARE_FINAL_TYPE (CdOverduePage, cd_overdue_page, CD, OVERDUE_PAGE, CdPage)

G_END_DECLS
