// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-types.h: forward declarations of the dispatch core's types, and the
 * size of the hashes they share */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdTicket  CdTicket;
typedef struct _CdEvent   CdEvent;
typedef struct _CdRouting CdRouting;

/* An event's hash and the digest of its personal data: 64 lowercase
 * hexadecimal digits of a SHA-256 digest, and a NUL. */
#define CD_EVENT_HASH_LEN 65

G_END_DECLS
