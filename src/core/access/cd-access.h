// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-access.h: what each role may read
 *
 * One table, resource × role: none, its own organization's, or all; and
 * for each role whether residents' personal data reaches it in full or
 * masked. Every read the server answers asks this table, so that a role's
 * view is decided in one place (docs/api.md, "Who reads what").
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CdResource:
 * @CD_RESOURCE_EVENTS: the journal: the feed and the stream
 * @CD_RESOURCE_TICKETS: ticket lists and ticket reads
 * @CD_RESOURCE_CATEGORIES: the category tree
 * @CD_RESOURCE_EXECUTORS: the executor organizations' names
 * @CD_RESOURCE_POLICIES: the SLA policies
 * @CD_RESOURCE_CALENDARS: the SLA calendars
 * @CD_RESOURCE_USERS: the accounts, their roles and organizations
 * @CD_RESOURCE_STATS: the city's statistics
 * @CD_RESOURCE_DISTRICTS: the districts' names
 * @CD_RESOURCE_CALLS: the calls from the PBX: their statistics, the
 *   missed calls (callers' numbers masked by cd_access_personal()) and
 *   the callbacks to them
 * @CD_RESOURCE_NOTIFICATIONS: the queue of messages to residents: who is
 *   told what, what failed (docs/notifications.md)
 * @CD_RESOURCE_CALLBACKS: the feedback department's callback tasks to
 *   residents and their figures (docs/feedback.md)
 * @CD_RESOURCE_QA: the quality-control desk's forms, evaluations of
 *   operators' calls and the week's sample of calls (docs/qa.md)
 * @CD_RESOURCE_RECORDINGS: call recordings, their audio and analysis
 *   (docs/recordings.md); every listen is journaled
 */
typedef enum
{
  CD_RESOURCE_EVENTS,
  CD_RESOURCE_TICKETS,
  CD_RESOURCE_CATEGORIES,
  CD_RESOURCE_EXECUTORS,
  CD_RESOURCE_POLICIES,
  CD_RESOURCE_CALENDARS,
  CD_RESOURCE_USERS,
  CD_RESOURCE_STATS,
  CD_RESOURCE_DISTRICTS,
  CD_RESOURCE_CALLS,
  CD_RESOURCE_NOTIFICATIONS,
  CD_RESOURCE_CALLBACKS,
  CD_RESOURCE_QA,
  CD_RESOURCE_RECORDINGS,
  CD_N_RESOURCES
} CdResource;

/**
 * CdAccessScope:
 * @CD_ACCESS_NONE: nothing (the server answers 403)
 * @CD_ACCESS_OWN: only what concerns the reader's executor organization:
 *   the tickets whose current executor it is, their events, its own name;
 *   on %CD_RESOURCE_QA and %CD_RESOURCE_RECORDINGS
 *   (cd_access_own_is_agent()), what concerns the reader's PBX agent: the
 *   evaluations of its calls, calibrations left out, and their recordings
 * @CD_ACCESS_ALL: everything
 */
typedef enum
{
  CD_ACCESS_NONE,
  CD_ACCESS_OWN,
  CD_ACCESS_ALL,
} CdAccessScope;

/**
 * CdPersonalAccess:
 * @CD_PERSONAL_NONE: none (a role that reads nothing)
 * @CD_PERSONAL_MASKED: names, and phones masked but their last two digits
 * @CD_PERSONAL_FULL: names and phones as the resident gave them
 */
typedef enum
{
  CD_PERSONAL_NONE,
  CD_PERSONAL_MASKED,
  CD_PERSONAL_FULL,
} CdPersonalAccess;

CdAccessScope     cd_access_scope          (const char *role,
                                            CdResource  resource);
CdPersonalAccess  cd_access_personal       (const char *role);
gboolean          cd_access_is_filtered    (const char *role);
const char       *cd_resource_to_string    (CdResource  resource);
const char       *cd_resource_get_label    (CdResource  resource);
const char       *cd_access_scope_to_string (CdAccessScope scope);
gboolean          cd_access_executor_owns  (const char *org,
                                            const char *ticket_executor);
gboolean          cd_access_own_is_agent   (CdResource  resource);
gboolean          cd_access_agent_owns     (const char *agent,
                                            const char *call_agent);
gboolean          cd_access_may_read_ticket (CdAccessScope scope,
                                             const char   *org,
                                             const char   *ticket_executor);

G_END_DECLS
