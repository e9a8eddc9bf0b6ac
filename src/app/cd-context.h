// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-context.h: what every dashboard works with
 *
 * The session (its cache, its sync), the moment the dashboards judge by,
 * and the role the user works in. The application makes one; the window
 * hands it down to its pages and the windows they open, so that nothing
 * below reaches up to the application.
 */
#pragma once

#include <gio/gio.h>

#include "cd-session.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_CONTEXT (cd_context_get_type ())
G_DECLARE_FINAL_TYPE (CdContext, cd_context, CD, CONTEXT, GObject)

CdContext  *cd_context_new          (CdSession *session);
CdSession  *cd_context_get_session  (CdContext *self);
CdStore    *cd_context_get_store    (CdContext *self);
gint64      cd_context_get_now      (CdContext *self);
const char *cd_context_get_role     (CdContext *self);
void        cd_context_set_role     (CdContext  *self,
                                     const char *role);

G_END_DECLS
