// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-json-tree.h: strict JSON text from a client into a json-glib tree
 *
 * json-glib's parser is lenient (it takes comments, single quotes, a
 * trailing comma, raw control characters) and recursive without a limit.
 * Every document a client sends goes through cd_json_parse() instead: the
 * strict pull reader (cd-json-reader.h) checks it byte by byte, with a
 * nesting limit, while the tree is built.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-json-reader.h"

G_BEGIN_DECLS

JsonNode *cd_json_parse       (const char  *data,
                               gsize        len,
                               guint        max_depth,
                               gsize       *error_offset,
                               char       **error_member,
                               GError     **error);
gboolean  cd_json_check_text  (const char  *data,
                               gsize        len,
                               guint        max_depth,
                               char       **error_member,
                               GError     **error);

G_END_DECLS
