// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-access.c: what each role may read
 *
 * The roles are the transition table's (cd_role_from_string()); a role
 * the table does not know, or none, reads nothing. Executors read only
 * their own organization's tickets: those whose current executor it is
 * (docs/api.md says why "current" and not "ever"). Statistics are the
 * city's and name every organization, so executors get none. The
 * reference data (categories, policies, calendars, districts) is the same
 * for every organization and says nothing of residents. Calls are the
 * city's switchboard, not an organization's: executors get none, and the
 * other roles read them all, callers' numbers masked as residents' phones
 * are (only the roles that see them whole may call back). The callbacks
 * to residents after a resolve are the feedback department's work, read
 * by it and those who supervise it; executors never see residents'
 * phones. The quality-control desk's evaluations judge operators: read by
 * the desk and those who supervise it; an operator reads only their own,
 * those of the calls their account's PBX agent answered, and listens only
 * to those calls: hearing one's own call is how an evaluation is
 * understood, and the resident's voice on it is one the operator heard
 * already. Their own calibrations are not theirs to read: calibration
 * never counts in an operator's results.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-access.h"
#include "cd-vocabulary.h"

#define N CD_ACCESS_NONE
#define O CD_ACCESS_OWN
#define A CD_ACCESS_ALL

typedef struct
{
  CdAccessScope    scope[CD_N_RESOURCES];
  CdPersonalAccess personal;
} RoleAccess;

/* Columns: events tickets categories executors policies calendars users
 * stats districts calls notifications
 * callbacks qa recordings. Rows in the order of CdRole. */
static const RoleAccess table[] = {
  [CD_ROLE_OPERATOR]   = { { A, A, A, A, A, A, N, A, A, A, N, N, O, O }, CD_PERSONAL_FULL },
  [CD_ROLE_SUPERVISOR] = { { A, A, A, A, A, A, A, A, A, A, A, A, A, A }, CD_PERSONAL_FULL },
  [CD_ROLE_QC]         = { { A, A, A, A, A, A, N, A, A, A, N, N, A, A }, CD_PERSONAL_MASKED },
  [CD_ROLE_FEEDBACK]   = { { A, A, A, A, A, A, N, A, A, A, A, A, N, N }, CD_PERSONAL_FULL },
  [CD_ROLE_EXECUTOR]   = { { O, O, A, O, A, A, N, N, A, N, N, N, N, N }, CD_PERSONAL_MASKED },
  [CD_ROLE_ADMIN]      = { { A, A, A, A, A, A, A, A, A, A, A, A, A, A }, CD_PERSONAL_FULL },
};
G_STATIC_ASSERT (G_N_ELEMENTS (table) == CD_N_ROLES);

#undef N
#undef O
#undef A

static const char * const resource_names[] = {
  "events", "tickets", "categories", "executors", "policies", "calendars", "users", "stats",
  "districts", "calls", "notifications", "callbacks", "qa", "recordings",
};
G_STATIC_ASSERT (G_N_ELEMENTS (resource_names) == CD_N_RESOURCES);

/* What a refusal names: "The role “Operator” may not read call recordings." */
static const char * const resource_labels[] = {
  N_("the journal of events"), N_("tickets"), N_("the category tree"),
  N_("the executor organizations"), N_("the SLA policies"), N_("the SLA calendars"),
  N_("the accounts"), N_("the city’s statistics"), N_("the districts"), N_("the calls"),
  N_("the messages to residents"), N_("the callback tasks"),
  N_("the quality-control evaluations"), N_("the call recordings"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (resource_labels) == CD_N_RESOURCES);

static const RoleAccess *
lookup (const char *role)
{
  CdRole r;

  if (role == NULL || !cd_role_from_string (role, &r))
    return NULL;
  return &table[r];
}

/**
 * cd_access_scope:
 * @role: (nullable): the reader's role
 * @resource: what it reads
 *
 * Returns: how much of @resource @role may read; %CD_ACCESS_NONE for an
 *   unknown role
 */
CdAccessScope
cd_access_scope (const char *role,
                 CdResource  resource)
{
  const RoleAccess *access = lookup (role);

  g_return_val_if_fail (resource < CD_N_RESOURCES, CD_ACCESS_NONE);
  return access != NULL ? access->scope[resource] : CD_ACCESS_NONE;
}

/**
 * cd_access_personal:
 * @role: (nullable): the reader's role
 *
 * Returns: how much of residents' personal data @role sees;
 *   %CD_PERSONAL_NONE for an unknown role
 */
CdPersonalAccess
cd_access_personal (const char *role)
{
  const RoleAccess *access = lookup (role);

  return access != NULL ? access->personal : CD_PERSONAL_NONE;
}

/**
 * cd_access_is_filtered:
 * @role: (nullable): the reader's role
 *
 * Returns: whether @role's feed of events leaves events out, so that its
 *   sequence numbers have gaps and the chain cannot be followed end to end
 */
gboolean
cd_access_is_filtered (const char *role)
{
  return cd_access_scope (role, CD_RESOURCE_EVENTS) != CD_ACCESS_ALL;
}

const char *
cd_resource_to_string (CdResource resource)
{
  g_return_val_if_fail (resource < CD_N_RESOURCES, NULL);
  return resource_names[resource];
}

/**
 * cd_resource_get_label:
 * @resource: a resource of the role table
 *
 * Returns: what @resource holds, in the user's language, for a sentence
 *   such as a refusal (never its code)
 */
const char *
cd_resource_get_label (CdResource resource)
{
  g_return_val_if_fail (resource < CD_N_RESOURCES, NULL);
  return g_dgettext (GETTEXT_PACKAGE, resource_labels[resource]);
}

const char *
cd_access_scope_to_string (CdAccessScope scope)
{
  switch (scope)
    {
    case CD_ACCESS_NONE:
      return "none";
    case CD_ACCESS_OWN:
      return "own";
    case CD_ACCESS_ALL:
      return "all";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * cd_access_executor_owns:
 * @org: (nullable): an executor organization
 * @ticket_executor: (nullable): the organization a ticket is assigned to
 *
 * The rule “an executor acts only for its own organization, on tickets
 * assigned to it”, which also bounds what it reads: the one place that says
 * whose ticket it is, for the transition table (cd-dispatch.c) and for
 * what each role reads.
 *
 * Returns: whether @org is the ticket's executor
 */
gboolean
cd_access_executor_owns (const char *org,
                         const char *ticket_executor)
{
  return org != NULL && ticket_executor != NULL && g_str_equal (org, ticket_executor);
}

/**
 * cd_access_own_is_agent:
 * @resource: a resource
 *
 * What %CD_ACCESS_OWN means on @resource: the reader's PBX agent's (the
 * quality-control desk's evaluations and the recordings of the calls the
 * agent answered) rather than its executor organization's.
 *
 * Returns: whether "own" on @resource is the reader's agent's
 */
gboolean
cd_access_own_is_agent (CdResource resource)
{
  return resource == CD_RESOURCE_QA || resource == CD_RESOURCE_RECORDINGS;
}

/**
 * cd_access_agent_owns:
 * @agent: (nullable): the PBX agent a reader's account is linked to
 * @call_agent: (nullable): the operator of a call (calls.agent), as the
 *   PBX named them
 *
 * The rule “an operator's own call”: the names are compared byte for
 * byte, never by case or spacing, so that an account linked to a
 * look-alike of a colleague's name gets nothing of theirs.
 *
 * Returns: whether the call is the reader's own
 */
gboolean
cd_access_agent_owns (const char *agent,
                      const char *call_agent)
{
  return agent != NULL && *agent != '\0' && call_agent != NULL && g_str_equal (agent, call_agent);
}

/**
 * cd_access_may_read_ticket:
 * @scope: the reader's scope on %CD_RESOURCE_TICKETS
 * @org: (nullable): the reader's executor organization
 * @ticket_executor: (nullable): the organization the ticket is assigned to
 *
 * Whether a reader sees a ticket: with %CD_ACCESS_OWN only its
 * organization's, by the same rule an executor acts by
 * (cd_access_executor_owns()).
 *
 * Returns: whether the ticket may be read
 */
gboolean
cd_access_may_read_ticket (CdAccessScope  scope,
                           const char    *org,
                           const char    *ticket_executor)
{
  switch (scope)
    {
    case CD_ACCESS_ALL:
      return TRUE;
    case CD_ACCESS_OWN:
      return cd_access_executor_owns (org, ticket_executor);
    case CD_ACCESS_NONE:
    default:
      return FALSE;
    }
}
