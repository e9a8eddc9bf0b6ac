// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-personal.h: residents' personal data, and who may see it
 *
 * A resident's name and phone are personal data. The journal keeps them
 * apart from the rest of an event, committed to by a salted digest (see
 * docs/journal.md, "Personal data"), so that the server can hand a role
 * that does not need them a masked copy that still fits the hash chain.
 */

#pragma once

#include "cd-types.h"

G_BEGIN_DECLS

/* 16 random bytes in lowercase hex, and a NUL. */
#define CD_PERSONAL_SALT_LEN 33

gboolean  cd_personal_is_member      (const char *member);
gboolean  cd_personal_role_sees      (const char *role);
char     *cd_personal_mask_phone     (const char *phone);
void      cd_personal_digest         (const char *personal,
                                      char        out[CD_EVENT_HASH_LEN]);
char     *cd_personal_mask           (const char *personal);
char     *cd_personal_mask_payload   (const char *payload);
char     *cd_personal_salt           (const char *personal,
                                      const char *salt);

G_END_DECLS
