// SPDX-License-Identifier: GPL-3.0-or-later
//
// Means, not medians: the desk compares an operator with the team on the
// same arithmetic the form scores with, and a mean of group scores is what
// it reads on the evaluations. Every mean is of unrounded sums, rounded once.

#include "config.h"

#include <string.h>

#include "cd-qa-results.h"
#include "cd-qa-score.h"

typedef struct
{
  double sum;
  guint  n;
} Acc;

typedef struct
{
  char      *operator;
  Acc        total;
  Acc        weeks[CD_QA_TREND_WEEKS];
  GPtrArray *order;     /* of char* ids, groups then questions, as first met */
  GHashTable *lines;    /* id → Acc */
  GHashTable *groups;   /* question id → its group id (borrowed from the input) */
} Tally;

static void
tally_free (Tally *tally)
{
  g_free (tally->operator);
  g_ptr_array_unref (tally->order);
  g_hash_table_unref (tally->lines);
  g_hash_table_unref (tally->groups);
  g_free (tally);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tally, tally_free)

static Tally *
tally_new (const char *operator)
{
  Tally *tally = g_new0 (Tally, 1);

  tally->operator = g_strdup (operator);
  tally->order = g_ptr_array_new_with_free_func (g_free);
  tally->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tally->groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return tally;
}

static void
acc_add (Acc    *acc,
         double  value)
{
  acc->sum += value;
  acc->n++;
}

static double
acc_mean (const Acc *acc)
{
  return acc->n > 0 ? cd_qa_round_1 (acc->sum / acc->n) : 0;
}

/* Groups and questions share one table: a form's ids are unique across
 * both only within their kind, so the key says which. */
static void
tally_line (Tally      *tally,
            const char *kind,
            const char *id,
            const char *group,
            double      value)
{
  g_autofree char *key = g_strconcat (kind, ":", id, NULL);
  Acc *acc = g_hash_table_lookup (tally->lines, key);

  if (acc == NULL)
    {
      acc = g_new0 (Acc, 1);
      g_ptr_array_add (tally->order, g_strdup (key));
      g_hash_table_insert (tally->lines, g_strdup (key), acc);
      if (group != NULL)
        g_hash_table_insert (tally->groups, g_strdup (key), g_strdup (group));
    }
  acc_add (acc, value);
}

static gboolean
member_number (JsonObject *object,
               const char *name,
               double     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

static gboolean
member_true (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* One evaluation into an operator's tally and the team's. */
static void
tally_score (Tally      *mine,
             Tally      *team,
             JsonObject *score,
             int         week)
{
  JsonArray *groups = member_array (score, "groups");
  JsonArray *questions = member_array (score, "questions");
  double total;

  if (member_number (score, "total", &total))
    {
      acc_add (&mine->total, total);
      acc_add (&team->total, total);
      if (week >= 0)
        {
          acc_add (&mine->weeks[week], total);
          acc_add (&team->weeks[week], total);
        }
    }
  for (guint i = 0; groups != NULL && i < json_array_get_length (groups); i++)
    {
      JsonNode *node = json_array_get_element (groups, i);
      JsonObject *group = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = group != NULL ? member_string (group, "id") : NULL;
      double value;

      if (id == NULL || !member_true (group, "applicable") ||
          !member_number (group, "score", &value))
        continue;
      tally_line (mine, "g", id, NULL, value);
      tally_line (team, "g", id, NULL, value);
    }
  for (guint i = 0; questions != NULL && i < json_array_get_length (questions); i++)
    {
      JsonNode *node = json_array_get_element (questions, i);
      JsonObject *question = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                          : NULL;
      const char *id = question != NULL ? member_string (question, "id") : NULL;
      double earned, possible;

      if (id == NULL || !member_true (question, "applicable") ||
          !member_number (question, "earned", &earned) ||
          !member_number (question, "possible", &possible) || possible <= 0)
        continue;
      tally_line (mine, "q", id, member_string (question, "group"), 100 * earned / possible);
      tally_line (team, "q", id, member_string (question, "group"), 100 * earned / possible);
    }
}

static void
line_free (CdQaResultsLine *line)
{
  g_free (line->id);
  g_free (line->group);
  g_free (line);
}

static void
operator_results_free (CdQaOperatorResults *results)
{
  g_free (results->operator);
  g_ptr_array_unref (results->groups);
  g_ptr_array_unref (results->questions);
  g_free (results);
}

static CdQaOperatorResults *
operator_results_new (const Tally *mine,
                      const Tally *team)
{
  CdQaOperatorResults *results = g_new0 (CdQaOperatorResults, 1);

  results->operator = g_strdup (mine->operator);
  results->n = mine->total.n;
  results->mean = acc_mean (&mine->total);
  for (guint w = 0; w < CD_QA_TREND_WEEKS; w++)
    {
      results->week_n[w] = mine->weeks[w].n;
      results->week_mean[w] = acc_mean (&mine->weeks[w]);
    }
  results->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  results->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
  for (guint i = 0; i < mine->order->len; i++)
    {
      const char *key = g_ptr_array_index (mine->order, i);
      const Acc *acc = g_hash_table_lookup (mine->lines, key);
      const Acc *all = g_hash_table_lookup (team->lines, key);
      CdQaResultsLine *line = g_new0 (CdQaResultsLine, 1);

      line->id = g_strdup (key + 2);
      line->group = g_strdup (g_hash_table_lookup (mine->groups, key));
      line->n = acc->n;
      line->mean = acc_mean (acc);
      line->team_n = all->n;
      line->team_mean = acc_mean (all);
      g_ptr_array_add (key[0] == 'g' ? results->groups : results->questions, line);
    }
  return results;
}

static int
compare_operators (gconstpointer a,
                   gconstpointer b)
{
  const CdQaOperatorResults *x = *(CdQaOperatorResults * const *) a;
  const CdQaOperatorResults *y = *(CdQaOperatorResults * const *) b;

  /* The calls without an operator last. */
  if (x->operator == NULL || y->operator == NULL)
    return (x->operator == NULL) - (y->operator == NULL);
  return g_utf8_collate (x->operator, y->operator);
}

/**
 * cd_qa_results_week:
 * @self: results
 * @time: Unix seconds
 *
 * Returns: the trend's week of @time, 0 for the week of the results' now,
 *   or -1 when it is before the trend's first week or after its last
 */
int
cd_qa_results_week (const CdQaResults *self,
                    gint64             time)
{
  if (time <= 0 || time >= self->week_end)
    return -1;
  for (int w = 0; w < CD_QA_TREND_WEEKS; w++)
    if (time >= self->week_start[w])
      return w;
  return -1;
}

/**
 * cd_qa_results_new:
 * @inputs: (array length=n_inputs): the evaluations that count
 * @n_inputs: their number
 * @now: the moment whose week is the trend's last
 * @zone: the zone whose Mondays start the weeks
 *
 * Returns: (transfer full): the results, every operator met in @inputs
 */
CdQaResults *
cd_qa_results_new (const CdQaResultsInput *inputs,
                   guint                   n_inputs,
                   gint64                  now,
                   GTimeZone              *zone)
{
  CdQaResults *self = g_new0 (CdQaResults, 1);
  g_autoptr(GDateTime) moment = g_date_time_new_from_unix_utc (now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (moment, zone);
  g_autoptr(GDateTime) day = g_date_time_add_days (local,
                                                   1 - g_date_time_get_day_of_week (local));
  g_autoptr(GDateTime) monday = NULL;
  g_autoptr(GDateTime) next = NULL;
  g_autoptr(GHashTable) tallies = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) tally_free);
  g_autoptr(Tally) team = tally_new (NULL);
  Tally *nobody = NULL;
  GHashTableIter iter;
  gpointer value;

  /* The weeks are the zone's, Monday to Monday: one with a change of
   * clocks is an hour shorter or longer. */
  monday = g_date_time_new (zone, g_date_time_get_year (day), g_date_time_get_month (day),
                            g_date_time_get_day_of_month (day), 0, 0, 0);
  next = g_date_time_add_weeks (monday, 1);
  self->week_end = g_date_time_to_unix (next);
  for (int w = 0; w < CD_QA_TREND_WEEKS; w++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_weeks (monday, -w);

      self->week_start[w] = g_date_time_to_unix (start);
    }

  for (guint i = 0; i < n_inputs; i++)
    {
      const CdQaResultsInput *input = &inputs[i];
      Tally *mine;

      if (input->score == NULL)
        continue;
      if (input->operator == NULL)
        mine = nobody != NULL ? nobody : (nobody = tally_new (NULL));
      else if ((mine = g_hash_table_lookup (tallies, input->operator)) == NULL)
        {
          mine = tally_new (input->operator);
          g_hash_table_insert (tallies, mine->operator, mine);
        }
      tally_score (mine, team, input->score, cd_qa_results_week (self, input->call_time));
    }

  self->n = team->total.n;
  self->mean = acc_mean (&team->total);
  for (guint w = 0; w < CD_QA_TREND_WEEKS; w++)
    {
      self->week_n[w] = team->weeks[w].n;
      self->week_mean[w] = acc_mean (&team->weeks[w]);
    }
  self->operators = g_ptr_array_new_with_free_func ((GDestroyNotify) operator_results_free);
  g_hash_table_iter_init (&iter, tallies);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (self->operators, operator_results_new (value, team));
  if (nobody != NULL)
    {
      g_ptr_array_add (self->operators, operator_results_new (nobody, team));
      tally_free (nobody);
    }
  g_ptr_array_sort (self->operators, compare_operators);
  return self;
}

void
cd_qa_results_free (CdQaResults *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->operators);
  g_free (self);
}

/* Returns: (nullable) (transfer none): @operator's results; %NULL names the
 *   calls without an operator */
CdQaOperatorResults *
cd_qa_results_find (const CdQaResults *self,
                    const char        *operator)
{
  for (guint i = 0; i < self->operators->len; i++)
    {
      CdQaOperatorResults *results = g_ptr_array_index (self->operators, i);

      if (g_strcmp0 (results->operator, operator) == 0)
        return results;
    }
  return NULL;
}
