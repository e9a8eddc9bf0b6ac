// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-routing.h: which executor gets a new ticket
 *
 * Rules map a category (a leaf such as `housing.heating`, or a whole group
 * such as `housing`) and a district to an executor organization; either
 * side may be left out to match anything. The most specific rule wins: an
 * exact category before a group before any category, then a district
 * before any district, then the earlier rule. When none matches, the
 * default executor gets the ticket. The rules are data (JSON):
 *
 *   {"default": "city-services",
 *    "rules": [{"category": "housing.heating", "executor": "heat-network"},
 *              {"category": "housing", "district": "central", "executor": "zhes-central"}]}
 */

#pragma once

#include <glib.h>

#include "cd-types.h"

G_BEGIN_DECLS

#define CD_ROUTING_ERROR (cd_routing_error_quark ())

/**
 * CdRoutingError:
 * @CD_ROUTING_ERROR_INVALID: the rules are not valid JSON of that form
 * @CD_ROUTING_ERROR_UNKNOWN_CATEGORY: a rule names a category the
 *   classifier does not have
 */
typedef enum
{
  CD_ROUTING_ERROR_INVALID,
  CD_ROUTING_ERROR_UNKNOWN_CATEGORY,
} CdRoutingError;

typedef struct
{
  char *category;
  char *district;
  char *executor;
} CdRoutingRule;

GQuark               cd_routing_error_quark    (void);
CdRouting           *cd_routing_new            (const char  *default_executor);
CdRouting           *cd_routing_new_from_json  (const char  *json,
                                                GError     **error);
void                 cd_routing_free           (CdRouting   *self);
char                *cd_routing_to_json        (CdRouting   *self);
const char          *cd_routing_get_default    (CdRouting   *self);
void                 cd_routing_set_default    (CdRouting   *self,
                                                const char  *executor);
gboolean             cd_routing_add_rule       (CdRouting   *self,
                                                const char  *category,
                                                const char  *district,
                                                const char  *executor,
                                                GError     **error);
guint                cd_routing_get_n_rules    (CdRouting   *self);
const CdRoutingRule *cd_routing_get_rule       (CdRouting   *self,
                                                guint        i);
const char          *cd_routing_route          (CdRouting   *self,
                                                const char  *category,
                                                const char  *district);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdRouting, cd_routing_free)

G_END_DECLS
