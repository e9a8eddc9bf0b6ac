// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-locale.h: where the programs' translations are, and whether the
 * user's language is among them
 *
 * The installed catalogues by default; $CITYDESK_LOCALEDIR (a directory of
 * LANG/LC_MESSAGES/citydesk.mo, such as the build's `po`) for uninstalled
 * runs: `meson devenv` sets it.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cd_locale_dir   (void);
void        cd_locale_init  (void);
gboolean    cd_locale_check (GError **error);

G_END_DECLS
