// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cd-page.h"

G_BEGIN_DECLS

#define CD_TYPE_QUEUE_PAGE (cd_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (CdQueuePage, cd_queue_page, CD, QUEUE_PAGE, CdPage)

G_END_DECLS
