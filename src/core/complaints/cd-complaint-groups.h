// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint-groups.h: complaints grouped for systemic proposals
 *
 * The complaints of a period grouped by where, who or why, each group
 * compared with the period of equal length just before, so that the ones
 * that keep growing stand out (docs/complaints.md, "Systemic groups").
 * Pure: the caller reads the complaints.
 */

#pragma once

#include "cd-complaint.h"

G_BEGIN_DECLS

typedef enum { CD_COMPLAINT_BY_ADDRESS,   /* street + building */
               CD_COMPLAINT_BY_STREET,
               CD_COMPLAINT_BY_EXECUTOR, CD_COMPLAINT_BY_CATEGORY, CD_COMPLAINT_BY_CAUSE,
               CD_N_COMPLAINT_GROUPINGS } CdComplaintGrouping;

const char *cd_complaint_grouping_to_string   (CdComplaintGrouping  by); /* address street ... */
gboolean    cd_complaint_grouping_from_string (const char          *text,
                                               CdComplaintGrouping *by);

typedef struct {
  char      *key;        /* the value grouped on (a code for executor/category) */
  guint      count;      /* complaints in the period */
  guint      previous;   /* in the period of equal length just before */
  gboolean   growing;    /* the rule in docs/complaints.md */
  GPtrArray *numbers;    /* (element-type utf8) complaint numbers, in order of receipt */
  char      *proposal;   /* the latest proposal made for this group, or NULL */
} CdComplaintGroup;

void cd_complaint_group_free (CdComplaintGroup *g);

/* rows: the complaints of [from - (to - from), to] (the period and the one before); only
 * groups with count >= 2, growing first, then by count desc, then key. */
GPtrArray *cd_complaint_groups (CdComplaint * const *rows, guint n_rows,
                                CdComplaintGrouping by, gint64 from, gint64 to);

/* The key a complaint has in a grouping, or NULL if it has none (no cause). */
char *cd_complaint_group_key (const CdComplaint *complaint, CdComplaintGrouping by);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdComplaintGroup, cd_complaint_group_free)

G_END_DECLS
