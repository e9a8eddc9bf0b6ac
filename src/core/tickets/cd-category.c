// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-category.c: the shipped classifier tree of ticket categories
 *
 * The limits follow DOMAIN.md: an emergency-prone utility (heating, water,
 * sewerage, power, lifts) must show a sign of life within hours and be
 * accepted within half an hour; slower city services get days.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-category.h"

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)

static const CdCategory categories[] = {
  { "housing", NULL, N_("Housing and utilities"), 2 * DAY, 4 * HOUR },
  { "housing.heating", "housing", N_("Heating"), 4 * HOUR, 30 * MINUTE },
  { "housing.hot_water", "housing", N_("Hot water"), 4 * HOUR, 30 * MINUTE },
  { "housing.cold_water", "housing", N_("Cold water"), 4 * HOUR, 30 * MINUTE },
  { "housing.sewerage", "housing", N_("Sewerage"), 4 * HOUR, 30 * MINUTE },
  { "housing.power", "housing", N_("Power supply"), 4 * HOUR, 30 * MINUTE },
  { "housing.lifts", "housing", N_("Lifts"), 8 * HOUR, 1 * HOUR },
  { "housing.roofs", "housing", N_("Roofs"), 2 * DAY, 4 * HOUR },
  { "housing.yards", "housing", N_("Yards and common areas"), 3 * DAY, 8 * HOUR },
  { "roads", NULL, N_("Roads"), 3 * DAY, 1 * DAY },
  { "transport", NULL, N_("Public transport"), 3 * DAY, 1 * DAY },
  { "street_trade", NULL, N_("Street trade"), 5 * DAY, 1 * DAY },
  { "parking", NULL, N_("Parking"), 3 * DAY, 1 * DAY },
  { "noise", NULL, N_("Noise"), 1 * DAY, 2 * HOUR },
  { "other", NULL, N_("Other"), 5 * DAY, 1 * DAY },
};

/**
 * cd_category_lookup:
 * @id: a category id such as `housing.heating`
 *
 * Returns: (nullable): the category, or %NULL when the tree has no such id
 */
const CdCategory *
cd_category_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (strcmp (categories[i].id, id) == 0)
      return &categories[i];
  return NULL;
}

/**
 * cd_category_get_all:
 * @n_categories: (out): the number of categories
 *
 * Returns: the whole tree, each group followed by its leaves
 */
const CdCategory *
cd_category_get_all (guint *n_categories)
{
  *n_categories = G_N_ELEMENTS (categories);
  return categories;
}

/**
 * cd_category_get_name:
 * @category: a category
 *
 * Returns: the category's name, translated
 */
const char *
cd_category_get_name (const CdCategory *category)
{
  return g_dgettext (GETTEXT_PACKAGE, category->name);
}

/**
 * cd_category_label_for_code:
 * @code: (nullable): a category id such as `housing.heating`
 *
 * The category's own name is enough in a list that has little room:
 * every leaf's name is unique in the tree.
 *
 * Returns: the category's name in the user's language ("Heating"), or
 *   @code itself when the classifier has no such category, so that an
 *   unknown code stays visible
 */
const char *
cd_category_label_for_code (const char *code)
{
  const CdCategory *category = cd_category_lookup (code);

  return category != NULL ? cd_category_get_name (category) : code;
}

/**
 * cd_category_dup_path_label:
 * @code: (nullable): a category id such as `housing.heating`
 *
 * Returns: (transfer full) (nullable): the category's name after its
 *   group's ("Housing and utilities › Heating"), for where there is room
 *   for the whole path; @code itself when the classifier has no such
 *   category
 */
char *
cd_category_dup_path_label (const char *code)
{
  const CdCategory *category = cd_category_lookup (code);
  const CdCategory *parent;

  if (category == NULL)
    return g_strdup (code);
  if (category->parent == NULL || (parent = cd_category_lookup (category->parent)) == NULL)
    return g_strdup (cd_category_get_name (category));
  /* Translators: a category under its group, "Housing and utilities › Heating". */
  return g_strdup_printf (_("%s › %s"), cd_category_get_name (parent),
                          cd_category_get_name (category));
}

/**
 * cd_category_dup_group:
 * @id: a category id
 *
 * Returns: (transfer full): the top-level part of @id (`housing` for
 *   `housing.heating`)
 */
char *
cd_category_dup_group (const char *id)
{
  const char *dot = strchr (id, '.');

  return dot != NULL ? g_strndup (id, dot - id) : g_strdup (id);
}

/**
 * cd_category_is_assignable:
 * @category: a category
 *
 * A group that has leaves is only a heading: a ticket takes one of its
 * leaves. A group without leaves is a category of its own.
 *
 * Returns: whether a ticket may have @category
 */
gboolean
cd_category_is_assignable (const CdCategory *category)
{
  if (category->parent != NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    if (categories[i].parent != NULL && strcmp (categories[i].parent, category->id) == 0)
      return FALSE;
  return TRUE;
}
