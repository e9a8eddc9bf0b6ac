// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-qa-sample.c: the week's calls for the quality-control desk to review
 *
 * Stratified sampling: an operator's answered calls of the week fall into
 * four strata by hour (night first). Each stratum the operator worked gets
 * one call before any gets two, the night first, so that a sample of N
 * covers the night whenever N is at least 1 and the operator took a call
 * at night; the rest of N is shared in proportion to the strata's calls
 * (the highest-averages method of D'Hondt, which never gives a stratum more
 * calls than it has). Within a stratum the calls are shuffled by a
 * generator seeded from the week and the operator: the same week draws the
 * same calls, whatever order the store read them in.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-qa-sample.h"

CdQaStratum
cd_qa_stratum_of_hour (int hour)
{
  if (hour < 6 || hour >= 22)
    return CD_QA_STRATUM_NIGHT;
  if (hour < 12)
    return CD_QA_STRATUM_MORNING;
  if (hour < 18)
    return CD_QA_STRATUM_AFTERNOON;
  return CD_QA_STRATUM_EVENING;
}

const char *
cd_qa_stratum_to_string (CdQaStratum stratum)
{
  static const char * const names[] = { "night", "morning", "afternoon", "evening" };

  g_return_val_if_fail (stratum < CD_QA_N_STRATA, NULL);
  return names[stratum];
}

static int
reason_index (CdQaReason reason)
{
  for (int i = 0; i < CD_QA_N_REASONS; i++)
    if (reason == (CdQaReason) (1u << i))
      return i;
  return -1;
}

const char *
cd_qa_reason_to_string (CdQaReason reason)
{
  static const char * const names[] = {
    "sample", "complaint", "short-hangup", "long-silence", "overtalk",
  };
  int i = reason_index (reason);

  g_return_val_if_fail (i >= 0, NULL);
  return names[i];
}

const char *
cd_qa_reason_label (CdQaReason reason)
{
  switch (reason)
    {
    case CD_QA_REASON_SAMPLE:
      return _("random sample");
    case CD_QA_REASON_COMPLAINT:
      return _("complaint about the contact center");
    case CD_QA_REASON_SHORT_HANGUP:
      return _("very short call ended by the operator");
    case CD_QA_REASON_LONG_SILENCE:
      return _("long silence");
    case CD_QA_REASON_OVERTALK:
      return _("much overtalk");
    default:
      g_return_val_if_reached (NULL);
    }
}

static guint32
seed_of (const char *week,
         const char *operator)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;

  g_checksum_update (checksum, (const guint8 *) week, strlen (week));
  g_checksum_update (checksum, (const guint8 *) "\n", 1);
  g_checksum_update (checksum, (const guint8 *) operator, strlen (operator));
  g_checksum_get_digest (checksum, digest, &len);
  return ((guint32) digest[0] << 24) | ((guint32) digest[1] << 16) |
         ((guint32) digest[2] << 8) | digest[3];
}

static gint
compare_calls (gconstpointer a,
               gconstpointer b)
{
  const CdQaSampleCall *x = *(const CdQaSampleCall * const *) a;
  const CdQaSampleCall *y = *(const CdQaSampleCall * const *) b;

  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  return strcmp (x->call, y->call);
}

static gint
compare_operators (gconstpointer a,
                   gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Draws @n of the calls of one operator (@mine, sorted) into @chosen. */
static void
draw_operator (GPtrArray  *mine,
               const char *week,
               const char *operator,
               guint       n,
               GHashTable *chosen)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed_of (week, operator));
  GPtrArray *strata[CD_QA_N_STRATA];
  guint alloc[CD_QA_N_STRATA] = { 0 };
  guint taken = 0, available = 0;

  for (guint s = 0; s < CD_QA_N_STRATA; s++)
    strata[s] = g_ptr_array_new ();
  for (guint i = 0; i < mine->len; i++)
    {
      const CdQaSampleCall *call = mine->pdata[i];

      g_ptr_array_add (strata[cd_qa_stratum_of_hour (call->hour)], (gpointer) call);
    }
  /* Fisher-Yates, each stratum in turn, from the generator's own words
   * (g_rand_int_range() changed between GLib versions). */
  for (guint s = 0; s < CD_QA_N_STRATA; s++)
    {
      for (guint i = strata[s]->len; i > 1; i--)
        {
          guint j = g_rand_int (rand) % i;
          gpointer t = strata[s]->pdata[i - 1];

          strata[s]->pdata[i - 1] = strata[s]->pdata[j];
          strata[s]->pdata[j] = t;
        }
      available += strata[s]->len;
    }
  n = MIN (n, available);
  for (guint s = 0; s < CD_QA_N_STRATA && taken < n; s++)
    if (strata[s]->len > 0)
      {
        alloc[s] = 1;
        taken++;
      }
  while (taken < n)
    {
      int best = -1;

      for (guint s = 0; s < CD_QA_N_STRATA; s++)
        if (alloc[s] < strata[s]->len &&
            (best < 0 ||
             (guint64) strata[s]->len * (alloc[best] + 1) >
               (guint64) strata[best]->len * (alloc[s] + 1)))
          best = (int) s;
      alloc[best]++;
      taken++;
    }
  for (guint s = 0; s < CD_QA_N_STRATA; s++)
    {
      for (guint i = 0; i < alloc[s]; i++)
        g_hash_table_add (chosen, strata[s]->pdata[i]);
      g_ptr_array_unref (strata[s]);
    }
}

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CdQaSampleEntry *x = a;
  const CdQaSampleEntry *y = b;
  int c = g_strcmp0 (x->call->operator, y->call->operator);

  if (c != 0)
    return c;
  return compare_calls (&x->call, &y->call);
}

/**
 * cd_qa_sample_draw:
 * @calls: (array length=n_calls): the week's calls, and the older calls
 *   complaints of the week name (`in_week` FALSE)
 * @n_calls: their number
 * @week: the week's name (`2026-W49`), the seed with the operator
 * @per_operator: N, the calls drawn per operator
 *
 * Returns: (transfer full) (element-type CdQaSampleEntry): the work list,
 *   by operator (calls without one first) and then by time; each entry's
 *   call points into @calls
 */
GArray *
cd_qa_sample_draw (const CdQaSampleCall *calls,
                   guint                 n_calls,
                   const char           *week,
                   guint                 per_operator)
{
  g_autoptr(GHashTable) by_operator = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL);
  g_autofree gpointer *operators = NULL;
  GArray *entries = g_array_new (FALSE, TRUE, sizeof (CdQaSampleEntry));
  guint n_operators = 0;

  g_return_val_if_fail (calls != NULL || n_calls == 0, entries);
  g_return_val_if_fail (week != NULL, entries);

  for (guint i = 0; i < n_calls; i++)
    {
      const CdQaSampleCall *call = &calls[i];
      GPtrArray *mine;

      if (!call->in_week || !call->answered || call->operator == NULL)
        continue;
      if ((mine = g_hash_table_lookup (by_operator, call->operator)) == NULL)
        {
          mine = g_ptr_array_new ();
          g_hash_table_insert (by_operator, (gpointer) call->operator, mine);
        }
      g_ptr_array_add (mine, (gpointer) call);
    }
  operators = g_hash_table_get_keys_as_array (by_operator, &n_operators);
  qsort (operators, n_operators, sizeof (gpointer), compare_operators);
  for (guint i = 0; i < n_operators; i++)
    {
      GPtrArray *mine = g_hash_table_lookup (by_operator, operators[i]);

      g_ptr_array_sort (mine, compare_calls);
      draw_operator (mine, week, operators[i], per_operator, chosen);
    }

  for (guint i = 0; i < n_calls; i++)
    {
      const CdQaSampleCall *call = &calls[i];
      CdQaSampleEntry entry = { call, 0 };

      if (g_hash_table_contains (chosen, call))
        entry.reasons |= CD_QA_REASON_SAMPLE;
      if (call->complaint)
        entry.reasons |= CD_QA_REASON_COMPLAINT;
      if (call->in_week && call->answered && call->operator_hung_up &&
          call->talk_seconds < CD_QA_SAMPLE_SHORT_SECONDS)
        entry.reasons |= CD_QA_REASON_SHORT_HANGUP;
      if (call->in_week && call->long_silence)
        entry.reasons |= CD_QA_REASON_LONG_SILENCE;
      if (call->in_week && call->overtalk)
        entry.reasons |= CD_QA_REASON_OVERTALK;
      if (entry.reasons != 0)
        g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);
  return entries;
}

/**
 * cd_qa_sample_to_json:
 * @entries: (element-type CdQaSampleEntry): from cd_qa_sample_draw()
 * @zone: the zone of the times
 *
 * Returns: (transfer full): `[{"call", "operator", "time", "hour",
 *   "stratum", "reasons": ["sample", …]}]`
 */
JsonArray *
cd_qa_sample_to_json (const GArray *entries,
                      GTimeZone    *zone)
{
  JsonArray *array = json_array_sized_new (entries->len);

  for (guint i = 0; i < entries->len; i++)
    {
      const CdQaSampleEntry *entry = &g_array_index (entries, CdQaSampleEntry, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (entry->call->time);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
      g_autofree char *time = g_date_time_format_iso8601 (local);
      JsonObject *object = json_object_new ();
      JsonArray *reasons = json_array_new ();

      json_object_set_string_member (object, "call", entry->call->call);
      if (entry->call->operator != NULL)
        json_object_set_string_member (object, "operator", entry->call->operator);
      else
        json_object_set_null_member (object, "operator");
      json_object_set_string_member (object, "time", time);
      json_object_set_int_member (object, "hour", entry->call->hour);
      json_object_set_string_member (object, "stratum",
                                     cd_qa_stratum_to_string (
                                       cd_qa_stratum_of_hour (entry->call->hour)));
      for (int r = 0; r < CD_QA_N_REASONS; r++)
        if (entry->reasons & (1u << r))
          json_array_add_string_element (reasons, cd_qa_reason_to_string (1u << r));
      json_object_set_array_member (object, "reasons", reasons);
      json_array_add_object_element (array, object);
    }
  return array;
}
