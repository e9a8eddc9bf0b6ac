// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "cd-context.h"

G_BEGIN_DECLS

#define CD_TYPE_BREACH_NOTIFIER (cd_breach_notifier_get_type ())
G_DECLARE_FINAL_TYPE (CdBreachNotifier, cd_breach_notifier, CD, BREACH_NOTIFIER, GObject)

CdBreachNotifier *cd_breach_notifier_new  (GApplication     *application,
                                           CdContext        *context);
void              cd_breach_notifier_scan (CdBreachNotifier *self);

G_END_DECLS
