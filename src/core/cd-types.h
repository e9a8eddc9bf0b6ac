// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-types.h: forward declarations of the dispatch core's types */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdTicket  CdTicket;
typedef struct _CdEvent   CdEvent;
typedef struct _CdRouting CdRouting;

G_END_DECLS
