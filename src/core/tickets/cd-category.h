// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-category.h: the shipped classifier tree of ticket categories
 *
 * Categories form a two-level tree: a group ("housing") and its leaves
 * ("housing.heating"). A group without leaves ("roads") is itself a
 * category a ticket can have. Each category carries the two limits the
 * dispatch monitor watches: how long an open ticket may go without any
 * event before it is stale, and how long an assigned ticket may wait for
 * its executor to accept it.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *id;
  const char *parent;
  const char *name;
  gint64      stale_seconds;
  gint64      ack_seconds;
} CdCategory;

const CdCategory *cd_category_lookup       (const char *id);
const CdCategory *cd_category_get_all      (guint      *n_categories);
const char       *cd_category_get_name     (const CdCategory *category);
const char       *cd_category_label_for_code (const char *code);
char             *cd_category_dup_path_label (const char *code);
char             *cd_category_dup_group    (const char *id);
gboolean          cd_category_is_assignable (const CdCategory *category);

G_END_DECLS
