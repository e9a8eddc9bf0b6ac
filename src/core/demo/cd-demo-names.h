// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-demo-names.h: the demo city's organizations and districts by name
 *
 * Executors and districts are a city's reference data, not words of the
 * interface: gettext does not translate them. The demo city ships their
 * names in the five languages Citydesk speaks, keyed by the codes its
 * tickets carry (`zhes-3`, `Tsentralny`).
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char * const *cd_demo_names_get_languages  (guint              *n_languages);
const char        **cd_demo_names_get_executors  (guint              *n_executors);
const char        **cd_demo_names_get_districts  (guint              *n_districts);
const char         *cd_demo_names_pick_language  (const char * const *locales);
const char         *cd_demo_names_executor       (const char         *code,
                                                  const char         *language);
const char         *cd_demo_names_district       (const char         *code,
                                                  const char         *language);

const char         *cd_demo_names_executor_label (const char         *code);
const char         *cd_demo_names_district_label (const char         *code);

G_END_DECLS
