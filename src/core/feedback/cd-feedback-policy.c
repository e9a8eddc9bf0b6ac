// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-feedback-policy.c: which resolved tickets get a callback, and when */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-feedback-policy.h"

G_DEFINE_QUARK (cd-feedback-error-quark, cd_feedback_error)

/* A window is looked for this many days ahead at most: a calendar whose
 * every day is a holiday has none. */
#define MAX_DAYS_AHEAD 400

typedef struct
{
  char *kind;
  char *category;
} Rule;

struct _CdFeedbackPolicy
{
  char           *id;
  char           *calendar;
  CdFeedbackMode  mode;
  guint           percent;
  guint           attempts;
  gint64          spacing;
  guint           span_days;
  /* Minutes after local midnight. */
  int             window_from;
  int             window_to;
  /* Only the calendar's working days, rather than every day but its
   * holidays. */
  gboolean        working_days_only;
  GArray         *rules;
};

static void
rule_clear (Rule *rule)
{
  g_free (rule->kind);
  g_free (rule->category);
}

void
cd_feedback_policy_free (CdFeedbackPolicy *self)
{
  if (self == NULL)
    return;
  g_free (self->id);
  g_free (self->calendar);
  g_clear_pointer (&self->rules, g_array_unref);
  g_free (self);
}

static gboolean
fail (GError     **error,
      const char  *what,
      const char  *why)
{
  g_set_error (error, CD_FEEDBACK_ERROR, CD_FEEDBACK_ERROR_INVALID,
               _("Invalid feedback policy: %s: %s"), what, why);
  return FALSE;
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            gboolean     required,
            char       **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return required ? fail (error, member, _("it is missing.")) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    return fail (error, member, _("it is not a text."));
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
          const char  *member,
          guint        min,
          guint        max,
          guint       *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL)
    return fail (error, member, _("it is missing."));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, member, _("it is not a whole number."));
  value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (error, member, _("it is out of range."));
  *out = (guint) value;
  return TRUE;
}

static gboolean
parse_clock (const char *text,
             int        *minutes)
{
  int h, m;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  h = (text[0] - '0') * 10 + (text[1] - '0');
  m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59)
    return FALSE;
  *minutes = h * 60 + m;
  return TRUE;
}

static gboolean
parse_rules (CdFeedbackPolicy  *self,
             JsonNode          *node,
             GError           **error)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) == 0)
    return fail (error, "applies_to", _("it is not a list of rules."));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      Rule rule = { NULL, NULL };
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return fail (error, "applies_to", _("a rule is not an object."));
      object = json_node_get_object (item);
      if (json_object_get_size (object) != 2 ||
          !get_string (object, "kind", TRUE, &rule.kind, error) ||
          !get_string (object, "category", TRUE, &rule.category, error))
        {
          rule_clear (&rule);
          return error == NULL || *error != NULL
                 ? FALSE
                 : fail (error, "applies_to", _("a rule has kind and category only."));
        }
      g_array_append_val (self->rules, rule);
    }
  return TRUE;
}

static gboolean
parse (CdFeedbackPolicy  *self,
       JsonObject        *object,
       GError           **error)
{
  static const char * const known[] = {
    "id", "version", "title", "names", "applies_to", "mode", "percent", "attempts",
    "spacing_minutes", "span_working_days", "window", "days", "calendar", NULL
  };
  g_autoptr(GList) members = json_object_get_members (object);
  g_autofree char *mode = NULL;
  g_autofree char *days = NULL;
  guint version, spacing;
  JsonNode *window;

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      return fail (error, l->data, _("there is no such key."));

  if (!get_string (object, "id", TRUE, &self->id, error) ||
      !get_uint (object, "version", 1, 1, &version, error) ||
      !get_string (object, "calendar", TRUE, &self->calendar, error) ||
      !get_string (object, "mode", TRUE, &mode, error) ||
      !parse_rules (self, json_object_get_member (object, "applies_to"), error))
    return FALSE;

  if (g_str_equal (mode, "none"))
    {
      self->mode = CD_FEEDBACK_MODE_NONE;
      return TRUE;
    }
  if (g_str_equal (mode, "all"))
    {
      self->mode = CD_FEEDBACK_MODE_ALL;
      self->percent = 100;
    }
  else if (g_str_equal (mode, "sample"))
    {
      self->mode = CD_FEEDBACK_MODE_SAMPLE;
      if (!get_uint (object, "percent", 1, 100, &self->percent, error))
        return FALSE;
    }
  else
    return fail (error, "mode", _("it is not all, sample or none."));

  if (!get_uint (object, "attempts", 1, 20, &self->attempts, error) ||
      !get_uint (object, "spacing_minutes", 0, 7 * 24 * 60, &spacing, error) ||
      !get_uint (object, "span_working_days", 1, 60, &self->span_days, error) ||
      !get_string (object, "days", FALSE, &days, error))
    return FALSE;
  self->spacing = (gint64) spacing * 60;

  if (days == NULL || g_str_equal (days, "all_but_holidays"))
    self->working_days_only = FALSE;
  else if (g_str_equal (days, "working"))
    self->working_days_only = TRUE;
  else
    return fail (error, "days", _("it is not all_but_holidays or working."));

  window = json_object_get_member (object, "window");
  if (window == NULL || !JSON_NODE_HOLDS_ARRAY (window) ||
      json_array_get_length (json_node_get_array (window)) != 2 ||
      !parse_clock (json_array_get_string_element (json_node_get_array (window), 0),
                    &self->window_from) ||
      !parse_clock (json_array_get_string_element (json_node_get_array (window), 1),
                    &self->window_to) ||
      self->window_from >= self->window_to)
    return fail (error, "window", _("it is not [\"HH:MM\", \"HH:MM\"], the start first."));
  return TRUE;
}

/**
 * cd_feedback_policy_new_from_json:
 * @json: a policy's JSON (docs/feedback.md, "Policies")
 * @len: its length, or -1 when NUL-terminated
 * @error: a #CD_FEEDBACK_ERROR naming what is wrong
 *
 * Returns: (transfer full): the policy, or %NULL
 */
CdFeedbackPolicy *
cd_feedback_policy_new_from_json (const char  *json,
                                  gssize       len,
                                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CdFeedbackPolicy) self = g_new0 (CdFeedbackPolicy, 1);
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  self->rules = g_array_new (FALSE, TRUE, sizeof (Rule));
  g_array_set_clear_func (self->rules, (GDestroyNotify) rule_clear);

  if (!json_parser_load_from_data (parser, json, len, &local_error))
    {
      fail (error, "JSON", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "JSON", _("it is not an object."));
      return NULL;
    }
  if (!parse (self, json_node_get_object (root), error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
cd_feedback_policy_get_id (const CdFeedbackPolicy *self)
{
  return self->id;
}

const char *
cd_feedback_policy_get_calendar (const CdFeedbackPolicy *self)
{
  return self->calendar;
}

CdFeedbackMode
cd_feedback_policy_get_mode (const CdFeedbackPolicy *self)
{
  return self->mode;
}

guint
cd_feedback_policy_get_percent (const CdFeedbackPolicy *self)
{
  return self->percent;
}

guint
cd_feedback_policy_get_attempts (const CdFeedbackPolicy *self)
{
  return self->attempts;
}

gint64
cd_feedback_policy_get_spacing (const CdFeedbackPolicy *self)
{
  return self->spacing;
}

guint
cd_feedback_policy_get_span_days (const CdFeedbackPolicy *self)
{
  return self->span_days;
}

static int
pattern_score (const char *pattern,
               const char *value)
{
  if (g_str_equal (pattern, "*"))
    return 0;
  if (value == NULL || !g_pattern_match_simple (pattern, value))
    return -1;
  return strpbrk (pattern, "*?") != NULL ? 1 : 2;
}

/**
 * cd_feedback_policy_match:
 * @self: a policy
 * @kind: a ticket's kind
 * @category: (nullable): its category
 *
 * How specifically the best `applies_to` rule matches, as the SLA policies
 * count it: kind 2 when named, 0 for `*`; the category counts double.
 *
 * Returns: the score, or -1 when no rule matches
 */
int
cd_feedback_policy_match (const CdFeedbackPolicy *self,
                          const char             *kind,
                          const char             *category)
{
  int best = -1;

  for (guint i = 0; i < self->rules->len; i++)
    {
      const Rule *rule = &g_array_index (self->rules, Rule, i);
      int k = pattern_score (rule->kind, kind);
      int c = pattern_score (rule->category, category);

      if (k >= 0 && c >= 0)
        best = MAX (best, k + 2 * c);
    }
  return best;
}

/**
 * cd_feedback_policy_choose:
 * @policies: (array length=n_policies): in the order ties are decided
 * @n_policies: their number
 * @kind: a ticket's kind
 * @category: (nullable): its category
 *
 * Returns: (transfer none) (nullable): the policy that matches best
 */
CdFeedbackPolicy *
cd_feedback_policy_choose (CdFeedbackPolicy * const *policies,
                           guint                     n_policies,
                           const char               *kind,
                           const char               *category)
{
  CdFeedbackPolicy *best = NULL;
  int best_score = -1;

  for (guint i = 0; i < n_policies; i++)
    {
      int score = cd_feedback_policy_match (policies[i], kind, category);

      if (score > best_score)
        {
          best = policies[i];
          best_score = score;
        }
    }
  return best;
}

/**
 * cd_feedback_policy_select:
 * @self: a policy
 * @index: how many resolutions of the same executor under @self came
 *   before this one in the journal
 *
 * Systematic sampling within each executor, so that none escapes: the
 * n-th resolution is called when ⌈(n+1)·p/100⌉ passes ⌈n·p/100⌉. Over any
 * first n resolutions of an executor, ⌈n·p/100⌉ are called, the first
 * among them. No random draw: the server and every desktop that projects
 * the same journal decide alike.
 *
 * Returns: whether the resolution gets a callback
 */
gboolean
cd_feedback_policy_select (const CdFeedbackPolicy *self,
                           guint64                 index)
{
  guint64 p;

  switch (self->mode)
    {
    case CD_FEEDBACK_MODE_ALL:
      return TRUE;
    case CD_FEEDBACK_MODE_NONE:
      return FALSE;
    case CD_FEEDBACK_MODE_SAMPLE:
    default:
      p = self->percent;
      return ((index + 1) * p + 99) / 100 > (index * p + 99) / 100;
    }
}

/**
 * cd_feedback_policy_is_last:
 * @self: a policy
 * @attempt: an attempt's number, from 1
 *
 * Returns: whether no attempt follows @attempt
 */
gboolean
cd_feedback_policy_is_last (const CdFeedbackPolicy *self,
                            guint                   attempt)
{
  return attempt >= self->attempts;
}

/**
 * cd_feedback_policy_earliest:
 * @self: a policy
 * @resolved_at: when the ticket was resolved
 * @last_attempt_at: when the last attempt was made, or 0 before the first
 *
 * Returns: the earliest time of the next attempt, the window aside
 */
gint64
cd_feedback_policy_earliest (const CdFeedbackPolicy *self,
                             gint64                  resolved_at,
                             gint64                  last_attempt_at)
{
  if (last_attempt_at == 0)
    return resolved_at;
  return MAX (resolved_at, last_attempt_at + self->spacing);
}

static gboolean
is_calling_day (const CdFeedbackPolicy *self,
                CdSlaCalendar          *calendar,
                int                     year,
                int                     month,
                int                     day)
{
  CdSlaHoliday holiday = { year, month, day, NULL };

  if (self->working_days_only)
    return cd_sla_calendar_is_working_day (calendar, year, month, day);
  return !cd_sla_calendar_has_holiday (calendar, &holiday);
}

/**
 * cd_feedback_policy_next_window:
 * @self: a policy
 * @calendar: its calendar (cd_feedback_policy_get_calendar()): the
 *   resident's time zone and holidays
 * @t: a time
 * @start: (out): the window's start, which is before @t when @t is in it
 * @end: (out): its end, after @t
 *
 * The calling window that contains @t, or the first after it: the
 * policy's hours on the local clock of @calendar's zone, on a day that is
 * not a holiday (or, for `"days": "working"`, on a working day). Local
 * hours are turned into times by the zone's rules of that very day, so a
 * window keeps its hours across a change to or from summer time.
 *
 * Returns: whether there is such a window within a year
 */
gboolean
cd_feedback_policy_next_window (const CdFeedbackPolicy *self,
                                CdSlaCalendar          *calendar,
                                gint64                  t,
                                gint64                 *start,
                                gint64                 *end)
{
  GTimeZone *tz = cd_sla_calendar_get_timezone (calendar);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDate) date = NULL;

  if (now == NULL)
    return FALSE;
  local = g_date_time_to_timezone (now, tz);
  date = g_date_new_dmy (g_date_time_get_day_of_month (local),
                         g_date_time_get_month (local), g_date_time_get_year (local));

  for (guint i = 0; i < MAX_DAYS_AHEAD; i++, g_date_add_days (date, 1))
    {
      int y = g_date_get_year (date), m = g_date_get_month (date), d = g_date_get_day (date);
      g_autoptr(GDateTime) from = NULL;
      g_autoptr(GDateTime) to = NULL;

      if (!is_calling_day (self, calendar, y, m, d))
        continue;
      from = g_date_time_new (tz, y, m, d, self->window_from / 60, self->window_from % 60, 0);
      to = g_date_time_new (tz, y, m, d, self->window_to / 60, self->window_to % 60, 0);
      if (from == NULL || to == NULL || g_date_time_to_unix (to) <= t)
        continue;
      *start = g_date_time_to_unix (from);
      *end = g_date_time_to_unix (to);
      return TRUE;
    }
  return FALSE;
}

/**
 * cd_feedback_policy_due:
 * @self: a policy
 * @calendar: its calendar
 * @resolved_at: when the ticket was resolved
 *
 * The callback's clock, run by the SLA engine on the policy's working
 * calendar: the end of the span's last working day, so that a ticket
 * resolved on Friday evening is due on a working day, not at night.
 *
 * Returns: when the callback is due, or %CD_SLA_NEVER
 */
gint64
cd_feedback_policy_due (const CdFeedbackPolicy *self,
                        CdSlaCalendar          *calendar,
                        gint64                  resolved_at)
{
  return cd_sla_calendar_add_days (calendar, resolved_at, self->span_days, CD_SLA_DAYS_WORKING);
}
