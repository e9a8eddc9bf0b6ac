// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"
#include "cd-session.h"
#include "cd-store.h"
#include "cd-window.h"

G_BEGIN_DECLS

#define CD_TYPE_APPLICATION (cd_application_get_type ())
G_DECLARE_FINAL_TYPE (CdApplication, cd_application, CD, APPLICATION, AdwApplication)

CdApplication *cd_application_new          (void);
GSettings     *cd_application_get_settings (CdApplication *self);
CdStore       *cd_application_get_store    (CdApplication *self);
CdSession     *cd_application_get_session  (CdApplication *self);
CdContext     *cd_application_get_context  (CdApplication *self);
CdWindow      *cd_application_new_window   (CdApplication *self);

G_END_DECLS
