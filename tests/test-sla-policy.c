// SPDX-License-Identifier: GPL-3.0-or-later
/* test-sla-policy.c: CdSlaPolicy, its JSON format and the shipped presets
 *
 * Fixtures are written with ' instead of " for readability; quotes ()
 * swaps them back. The presets test loads every file of data/calendars and
 * data/policies through the C parsers, as the server will.
 */

#include <string.h>

#include "cd-sla-policy.h"

#include "cd-test.h"

static char *
quotes (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static CdSlaPolicy *
policy_new (const char  *fixture,
            GError     **error)
{
  g_autofree char *json = quotes (fixture);

  return cd_sla_policy_new_from_json (json, -1, error);
}

#define TARGET(body) "{'id': 'p', 'version': 1, 'applies_to': {'kind': '*'}, 'targets': [" body "]}"
#define OK_TARGET "{'name': 't', 'start': 'register', 'stop': 'resolve', " \
                  "'limit': {'hours': 2}, 'calendar': 'office'}"

/* A valid policy, read back {{{1 */

static void
test_parse_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaPolicy) policy = policy_new (
      "{'id': 'complaints', 'version': 7, 'title': 'Complaints',"
      " 'applies_to': [{'kind': 'complaint'}, {'kind': 'routine', 'category': 'housing.*', "
      "'channel': 'web'}],"
      " 'targets': ["
      "  {'name': 'answer', 'start': ['register', 'reopen'], 'stop': ['resolve', 'refuse'],"
      "   'limit': {'working_days': 10}, 'calendar': 'ru', 'pause_states': ['waiting'],"
      "   'at_risk': {'before': {'hours': 8}},"
      "   'extensions': {'max_count': 1, 'max_each': {'calendar_days': 10},"
      "                  'max_total': {'calendar_days': 21}}},"
      "  {'name': 'ack', 'start': 'register', 'stop': 'accept',"
      "   'limit': {'minutes': 30}, 'calendar': 'ru-24x7', 'at_risk': {'percent': 80}},"
      "  {'name': 'tiny', 'start': 'assign', 'stop': 'accept',"
      "   'limit': {'seconds': 45}, 'calendar': 'ru-24x7'},"
      "  {'name': 'days', 'start': 'register', 'stop': 'close',"
      "   'limit': {'calendar_days': 3}, 'calendar': 'ru-24x7'}"
      " ]}",
      &error);
  const CdSlaTarget *t;

  g_assert_no_error (error);
  g_assert_nonnull (policy);
  g_assert_cmpstr (cd_sla_policy_get_id (policy), ==, "complaints");
  g_assert_cmpuint (cd_sla_policy_get_version (policy), ==, 7);
  g_assert_cmpstr (cd_sla_policy_get_title (policy), ==, "Complaints");
  g_assert_cmpuint (cd_sla_policy_get_n_targets (policy), ==, 4);
  g_assert_cmpint (cd_sla_policy_find_target (policy, "ack"), ==, 1);
  g_assert_cmpint (cd_sla_policy_find_target (policy, "nope"), ==, -1);
  g_assert_cmpint (cd_sla_policy_find_target (policy, NULL), ==, -1);

  t = cd_sla_policy_get_target (policy, 0);
  g_assert_cmpstr (t->name, ==, "answer");
  g_assert_cmpuint (g_strv_length (t->start), ==, 2);
  g_assert_cmpstr (t->start[1], ==, "reopen");
  g_assert_cmpstr (t->stop[1], ==, "refuse");
  g_assert_cmpint (t->limit.unit, ==, CD_SLA_LIMIT_WORKING_DAYS);
  g_assert_cmpint (t->limit.amount, ==, 10);
  g_assert_cmpstr (t->calendar, ==, "ru");
  g_assert_cmpuint (g_strv_length (t->pause_states), ==, 1);
  g_assert_cmpstr (t->pause_states[0], ==, "waiting");
  g_assert_cmpint (t->at_risk, ==, CD_SLA_AT_RISK_BEFORE);
  g_assert_cmpint (t->at_risk_value, ==, 8 * 3600);
  g_assert_cmpuint (t->max_extensions, ==, 1);
  g_assert_cmpint (t->extension_each.unit, ==, CD_SLA_LIMIT_CALENDAR_DAYS);
  g_assert_cmpint (t->extension_each.amount, ==, 10);
  g_assert_cmpint (t->extension_total.unit, ==, CD_SLA_LIMIT_CALENDAR_DAYS);
  g_assert_cmpint (t->extension_total.amount, ==, 21);

  t = cd_sla_policy_get_target (policy, 1);
  g_assert_cmpstr (t->start[0], ==, "register");
  g_assert_null (t->start[1]);
  g_assert_cmpint (t->limit.unit, ==, CD_SLA_LIMIT_SECONDS);
  g_assert_cmpint (t->limit.amount, ==, 1800);
  g_assert_cmpuint (g_strv_length (t->pause_states), ==, 0);
  g_assert_cmpint (t->at_risk, ==, CD_SLA_AT_RISK_PERCENT);
  g_assert_cmpint (t->at_risk_value, ==, 80);
  g_assert_cmpuint (t->max_extensions, ==, 0);
  g_assert_cmpint (t->extension_total.unit, ==, CD_SLA_LIMIT_NONE);

  t = cd_sla_policy_get_target (policy, 2);
  g_assert_cmpint (t->limit.amount, ==, 45);
  g_assert_cmpint (t->at_risk, ==, CD_SLA_AT_RISK_NONE);

  t = cd_sla_policy_get_target (policy, 3);
  g_assert_cmpint (t->limit.unit, ==, CD_SLA_LIMIT_CALENDAR_DAYS);
  g_assert_cmpint (t->limit.amount, ==, 3);
}

/* applies_to {{{1 */

static void
test_applies_to (void)
{
  static const struct {
    const char *kind;
    const char *category;
    const char *channel;
    gboolean    expected;
  } cases[] = {
    { "complaint", NULL, NULL, TRUE },
    { "complaint", "roads", "phone", TRUE },
    { "routine", "housing.heating", "web", TRUE },
    { "routine", "housing.heating", "phone", FALSE },
    { "routine", "housing", "web", FALSE },        /* housing.* needs the dot */
    { "routine", NULL, "web", FALSE },             /* NULL only matches * */
    { "routine", "housing.lifts", NULL, FALSE },
    { "emergency", "housing.heating", "web", FALSE },
    { "emergency", "housing.sewerage", "phone", TRUE },
    { "emergency", "housing.sewerage2", "phone", FALSE },
    { "paid", "x", "y", FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaPolicy) policy = policy_new (
    "{'id': 'p', 'version': 1,"
    " 'applies_to': [{'kind': 'complaint'},"
    "                {'kind': 'routine', 'category': 'housing.*', 'channel': 'web'},"
    "                {'kind': 'emer?ency', 'category': 'housing.sewerage'}],"
    " 'targets': [" OK_TARGET "]}", &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s %s %s", i, cases[i].kind, cases[i].category, cases[i].channel);
      g_assert_cmpint (cd_sla_policy_applies_to (policy, cases[i].kind, cases[i].category,
                                                 cases[i].channel), ==, cases[i].expected);
    }
}

/* Actions and states {{{1 */

static void
test_actions (void)
{
  static const struct {
    const char *action;
    const char *state;
  } cases[] = {
    { "register", "registered" },
    { "assign", "assigned" },
    { "accept", "accepted" },
    { "start", "in_progress" },
    { "wait", "waiting" },
    { "resume", "in_progress" },
    { "resolve", "resolved" },
    { "reopen", "reopened" },
    { "close", "closed" },
    { "close_unconfirmed", "closed_unconfirmed" },
    { "refuse", "refused" },
    { "cancel", "cancelled" },
    { "escalate", NULL },
    { "extend", NULL },
    { "comment", NULL },
    { "link", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (cd_sla_action_is_known (cases[i].action));
      g_assert_cmpstr (cd_sla_action_default_state (cases[i].action), ==, cases[i].state);
      if (cases[i].state != NULL)
        g_assert_true (cd_sla_state_is_known (cases[i].state));
    }
  g_assert_false (cd_sla_action_is_known ("fly"));
  g_assert_false (cd_sla_action_is_known (NULL));
  g_assert_null (cd_sla_action_default_state ("fly"));
  g_assert_false (cd_sla_state_is_known ("paused"));
  g_assert_true (cd_sla_state_is_final ("closed"));
  g_assert_true (cd_sla_state_is_final ("closed_unconfirmed"));
  g_assert_true (cd_sla_state_is_final ("refused"));
  g_assert_true (cd_sla_state_is_final ("cancelled"));
  g_assert_false (cd_sla_state_is_final ("resolved"));
  g_assert_false (cd_sla_state_is_final ("waiting"));
  g_assert_false (cd_sla_state_is_final (NULL));
}

/* Errors {{{1 */

typedef struct
{
  const char *json;
  CdSlaError  code;
  const char *message;  /* the start of the message */
} BadCase;

static const BadCase bad_cases[] = {
  { "{'id': ", CD_SLA_ERROR_INVALID_JSON, "the policy is not valid JSON" },
  { "[]", CD_SLA_ERROR_INVALID_JSON, "a policy must be a JSON object" },
  { "{'id': 'p', 'version': 1, 'applies_to': {}, 'targets': [" OK_TARGET "], 'owner': 'x'}",
    CD_SLA_ERROR_UNKNOWN_KEY, "owner: unknown key" },
  { "{'version': 1, 'applies_to': {}, 'targets': [" OK_TARGET "]}", CD_SLA_ERROR_MISSING_KEY,
    "id: missing" },
  { "{'id': 'p', 'applies_to': {}, 'targets': [" OK_TARGET "]}", CD_SLA_ERROR_MISSING_KEY,
    "version: missing" },
  { "{'id': 'p', 'version': 1, 'applies_to': {}}", CD_SLA_ERROR_MISSING_KEY, "targets: missing" },
  { "{'id': 3, 'version': 1, 'applies_to': {}, 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_TYPE, "id: expected a string, not a number" },
  { "{'id': '', 'version': 1, 'applies_to': {}, 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_VALUE, "id: must not be empty" },
  { "{'id': 'p', 'version': '1', 'applies_to': {}, 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_TYPE, "version: expected a whole number, not a string" },
  { "{'id': 'p', 'version': 0, 'applies_to': {}, 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_VALUE, "version: 0 is out of range" },
  { "{'id': 'p', 'version': 1, 'applies_to': {}, 'targets': []}", CD_SLA_ERROR_INVALID_VALUE,
    "targets: a policy needs at least one target" },
  { "{'id': 'p', 'version': 1, 'applies_to': {}, 'targets': {}}", CD_SLA_ERROR_INVALID_TYPE,
    "targets: expected a list of targets, not an object" },
  { "{'id': 'p', 'version': 1, 'applies_to': 'all', 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_TYPE,
    "applies_to: expected an object or a list of objects, not a string" },
  { "{'id': 'p', 'version': 1, 'applies_to': [], 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_VALUE, "applies_to: must have at least one rule" },
  { "{'id': 'p', 'version': 1, 'applies_to': {'kind': 1}, 'targets': [" OK_TARGET "]}",
    CD_SLA_ERROR_INVALID_TYPE, "applies_to.kind: expected a string, not a number" },
  { "{'id': 'p', 'version': 1, 'applies_to': [{'kind': 'x'}, {'colour': 'red'}], 'targets': "
    "[" OK_TARGET "]}",
    CD_SLA_ERROR_UNKNOWN_KEY, "applies_to[1].colour: unknown key" },
  { TARGET ("3"), CD_SLA_ERROR_INVALID_TYPE, "targets[0]: expected a target object, not a number" },
  { TARGET (OK_TARGET ", {'name': 'u', 'start': 'register', 'stop': 'resolve', 'calendar': "
                      "'office'}"),
    CD_SLA_ERROR_MISSING_KEY, "targets[1].limit: missing" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2}}"),
    CD_SLA_ERROR_MISSING_KEY, "targets[0].calendar: missing" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'deadline': 3}"),
    CD_SLA_ERROR_UNKNOWN_KEY, "targets[0].deadline: unknown key" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 1.5},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_TYPE,
    "targets[0].limit.hours: expected a whole number, not a fractional number" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 0},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].limit.hours: 0 is out of range" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 1, "
            "'minutes': 30},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].limit: give exactly one of" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].limit: give exactly one of" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'weeks': 1},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_UNKNOWN_KEY, "targets[0].limit.weeks: unknown key" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': 7200,"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_TYPE, "targets[0].limit: expected an object like" },
  { TARGET ("{'name': 't', 'start': 'open', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].start: “open” is not a known action" },
  { TARGET ("{'name': 't', 'start': [], 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].start: must name at least one action" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': ['resolve', 3], 'limit': {'hours': 2},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_TYPE, "targets[0].stop[1]: expected a string, not a number" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': ['resolve', 'resolve'], 'limit': {'hours': "
            "2},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].stop[1]: “resolve” is listed twice" },
  { TARGET ("{'name': 't', 'start': ['register', 'resolve'], 'stop': 'resolve', 'limit': {'hours': "
            "2},"
            " 'calendar': 'office'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].stop: “resolve” cannot both start and stop" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'pause_states': ['waiting', 'paused']}"),
    CD_SLA_ERROR_INVALID_VALUE,
    "targets[0].pause_states[1]: “paused” is not a known ticket state" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'ru.json'}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].calendar: “ru.json” is not a calendar id" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'at_risk': {'percent': 120}}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].at_risk.percent: 120 is out of range (1 to 100)" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'at_risk': {'percent': 80, 'before': {'hours': 1}}}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].at_risk: give exactly one of percent, before" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'at_risk': {'before': {'working_days': 1}}}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].at_risk.before.working_days: must be working time" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'at_risk': {'after': 3}}"),
    CD_SLA_ERROR_UNKNOWN_KEY, "targets[0].at_risk.after: unknown key" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'extensions': {'max_count': 1}}"),
    CD_SLA_ERROR_MISSING_KEY, "targets[0].extensions.max_each: missing" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'extensions': {'max_count': 0, 'max_each': {'hours': 1}}}"),
    CD_SLA_ERROR_INVALID_VALUE, "targets[0].extensions.max_count: 0 is out of range" },
  { TARGET ("{'name': 't', 'start': 'register', 'stop': 'resolve', 'limit': {'hours': 2},"
            " 'calendar': 'office', 'extensions': {'max_count': 1, 'max_each': {'hours': 1},"
            " 'max_total': {'days': 3}}}"),
    CD_SLA_ERROR_UNKNOWN_KEY, "targets[0].extensions.max_total.days: unknown key" },
  { TARGET (OK_TARGET ", " OK_TARGET), CD_SLA_ERROR_INVALID_VALUE,
    "targets[1].name: “t” is already the name of targets[0]" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaPolicy) policy = policy_new (c->json, &error);

  g_assert_null (policy);
  g_assert_error (error, CD_SLA_ERROR, (int) c->code);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, c->message))
    g_error ("message “%s” does not start with “%s”", error->message, c->message);
}

static void
test_check_calendars (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaPolicy) policy = policy_new (TARGET (OK_TARGET
                                                       ", {'name': 'u', 'start': 'register',"
                                                       " 'stop': 'accept', 'limit': {'hours': 1},"
                                                       " 'calendar': 'night'}"),
                                               &error);
  g_autoptr(GHashTable) calendars = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) cd_sla_calendar_unref);

  g_assert_no_error (error);
  g_hash_table_insert (calendars, "office", cd_sla_calendar_new_24_7 ("UTC", NULL));
  g_assert_false (cd_sla_policy_check_calendars (policy, calendars, &error));
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_UNKNOWN_CALENDAR);
  g_assert_cmpstr (error->message, ==, "targets[1].calendar: there is no calendar “night”");
  g_clear_error (&error);

  g_hash_table_insert (calendars, "night", cd_sla_calendar_new_24_7 ("UTC", NULL));
  g_assert_true (cd_sla_policy_check_calendars (policy, calendars, &error));
  g_assert_no_error (error);
}

/* The shipped files {{{1 */

static GHashTable *
load_shipped_calendars (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "calendars", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GHashTable *calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) cd_sla_calendar_unref);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      CdSlaCalendar *calendar;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      calendar = cd_sla_calendar_new_from_json (text, -1, &error);
      g_test_message ("calendar %s: %s", name, error != NULL ? error->message : "ok");
      g_assert_no_error (error);
      g_hash_table_insert (calendars, g_strndup (name, strlen (name) - 5), calendar);
    }
  return calendars;
}

static void
test_shipped (void)
{
  static const char * const expected_policies[] = {
    "ru-ads-callback", "ru-ads-electronic", "ru-ads-emergency", "ru-ads-routine",
    "ru-ads-sewerage", "ru-paid-service", "spb-complaint", "spb-written-request",
    /* City standards for what the regulations leave open (docs/dispatch.md). */
    "city-housing-lifts", "city-housing-repair", "city-housing-upkeep", "city-services", NULL
  };
  g_autoptr(GHashTable) calendars = load_shipped_calendars ();
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  /* Every shipped calendar, at least the ones the presets use. */
  g_assert_cmpuint (g_hash_table_size (calendars), >=, 10);
  g_assert_true (g_hash_table_contains (calendars, "ru"));
  g_assert_true (g_hash_table_contains (calendars, "ru-24x7"));

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *text = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CdSlaPolicy) policy = NULL;

      /* The folder's README says where each policy comes from. */
      if (g_str_equal (name, "README.md"))
        continue;
      g_assert_true (g_str_has_suffix (name, ".json"));
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      policy = cd_sla_policy_new_from_json (text, -1, &error);
      g_test_message ("policy %s: %s", name, error != NULL ? error->message : "ok");
      g_assert_no_error (error);
      /* The id is the file name, so that a policy can be found by id. */
      id = g_strndup (name, strlen (name) - 5);
      g_assert_cmpstr (cd_sla_policy_get_id (policy), ==, id);
      g_assert_true (cd_sla_policy_check_calendars (policy, calendars, &error));
      g_assert_no_error (error);
      g_ptr_array_add (seen, g_steal_pointer (&id));
    }
  g_assert_cmpuint (seen->len, ==, g_strv_length ((char **) expected_policies));
  for (guint i = 0; expected_policies[i] != NULL; i++)
    g_assert_true (
        g_ptr_array_find_with_equal_func (seen, expected_policies[i], g_str_equal, NULL));
}

/* Every limit of the domain notes, read from the presets. */
static void
test_shipped_limits (void)
{
  static const struct {
    const char     *policy;
    const char     *target;
    CdSlaLimitUnit  unit;
    gint64          amount;
    const char     *calendar;
  } cases[] = {
    { "ru-ads-emergency", "localisation", CD_SLA_LIMIT_SECONDS, 30 * 60, "ru-24x7" },
    { "ru-ads-emergency", "repair", CD_SLA_LIMIT_CALENDAR_DAYS, 3, "ru-24x7" },
    { "ru-ads-emergency", "acceptance", CD_SLA_LIMIT_SECONDS, 30 * 60, "ru-24x7" },
    { "ru-ads-sewerage", "clearance", CD_SLA_LIMIT_SECONDS, 2 * 3600, "ru-24x7" },
    { "ru-ads-sewerage", "localisation", CD_SLA_LIMIT_SECONDS, 30 * 60, "ru-24x7" },
    { "ru-ads-routine", "acceptance", CD_SLA_LIMIT_SECONDS, 30 * 60, "ru-24x7" },
    { "ru-ads-callback", "callback", CD_SLA_LIMIT_SECONDS, 10 * 60, "ru-24x7" },
    { "ru-ads-electronic", "answer", CD_SLA_LIMIT_SECONDS, 10 * 60, "ru-24x7" },
    { "ru-ads-electronic", "acceptance", CD_SLA_LIMIT_SECONDS, 30 * 60, "ru-24x7" },
    { "spb-complaint", "classification", CD_SLA_LIMIT_WORKING_DAYS, 1, "ru" },
    { "spb-complaint", "answer", CD_SLA_LIMIT_CALENDAR_DAYS, 9, "ru" },
    { "spb-complaint", "systemic", CD_SLA_LIMIT_CALENDAR_DAYS, 20, "ru" },
    { "spb-written-request", "handover", CD_SLA_LIMIT_WORKING_DAYS, 1, "ru" },
    { "spb-written-request", "consideration", CD_SLA_LIMIT_WORKING_DAYS, 10, "ru" },
    { "ru-paid-service", "confirmation", CD_SLA_LIMIT_SECONDS, 90 * 60, "ru" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *file = g_strconcat (cases[i].policy, ".json", NULL);
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "policies", file,
                                                     NULL);
      g_autofree char *text = NULL;
      g_autoptr(CdSlaPolicy) policy = NULL;
      const CdSlaTarget *target;
      int index;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      policy = cd_sla_policy_new_from_json (text, -1, NULL);
      g_assert_nonnull (policy);
      index = cd_sla_policy_find_target (policy, cases[i].target);
      g_assert_cmpint (index, >=, 0);
      target = cd_sla_policy_get_target (policy, index);
      g_assert_cmpint (target->limit.unit, ==, cases[i].unit);
      g_assert_cmpint (target->limit.amount, ==, cases[i].amount);
      g_assert_cmpstr (target->calendar, ==, cases[i].calendar);
    }

  /* Consideration: one extension of up to 10 days, 21 days in all. */
  {
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "policies",
                                                   "spb-written-request.json", NULL);
    g_autofree char *text = NULL;
    g_autoptr(CdSlaPolicy) policy = NULL;
    const CdSlaTarget *target;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    policy = cd_sla_policy_new_from_json (text, -1, NULL);
    target = cd_sla_policy_get_target (policy, cd_sla_policy_find_target (policy, "consideration"));
    g_assert_cmpuint (target->max_extensions, ==, 1);
    g_assert_cmpint (target->extension_each.unit, ==, CD_SLA_LIMIT_CALENDAR_DAYS);
    g_assert_cmpint (target->extension_each.amount, ==, 10);
    g_assert_cmpint (target->extension_total.unit, ==, CD_SLA_LIMIT_CALENDAR_DAYS);
    g_assert_cmpint (target->extension_total.amount, ==, 21);
  }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/sla-policy/parse/valid", test_parse_valid);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-policy/parse/bad/%u", i);

      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/sla-policy/applies-to", test_applies_to);
  g_test_add_func ("/sla-policy/actions", test_actions);
  g_test_add_func ("/sla-policy/check-calendars", test_check_calendars);
  g_test_add_func ("/sla-policy/shipped", test_shipped);
  g_test_add_func ("/sla-policy/shipped-limits", test_shipped_limits);
  return g_test_run ();
}
