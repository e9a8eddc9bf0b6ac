// SPDX-License-Identifier: GPL-3.0-or-later
//
// One query: the chosen week's work list (cd_store_qa_sample(), the draw
// the command line prints), the calls it names read back from the calls
// table for their wait, talk and outcome, the forms in use and every
// evaluation that counts, with the operators' results worked out from their
// scores. It runs again when the cache changes, so that a saved evaluation
// marks its call once the sync brings it back. Which calls have a
// recording outlives a read: the page asks the server once per work list.

#include "config.h"

#include "cd-recordings-source.h"
#include "cd-store-calls.h"

enum {
  SLOT_LIST,
};

typedef struct
{
  char *week;
  gint64 now;
} Query;

typedef struct
{
  GPtrArray     *items;        /* (element-type CdRecordingItem) */
  GHashTable    *by_call;      /* call → item */
  CdStoreQaForm *form;         /* (nullable) the newest form in use */
  GPtrArray     *evaluations;  /* (element-type CdQaEvaluation) */
  CdQaResults   *results;
  GPtrArray     *calibrations; /* (element-type JsonObject) the week's sessions' results */
} Data;

struct _CdRecordingsSource
{
  CdSource  parent_instance;

  Data       *data;
  guint       weeks_back;
  GHashTable *recorded;  /* (nullable) the calls with a recording, as the server said */
};

G_DEFINE_FINAL_TYPE (CdRecordingsSource, cd_recordings_source, CD_TYPE_SOURCE)

static void
item_free (CdRecordingItem *item)
{
  g_free (item->call);
  g_free (item->operator);
  g_free (item->caller);
  g_free (item->ended_by);
  g_free (item->queue);
  g_free (item);
}

static void
data_free (Data *data)
{
  g_clear_pointer (&data->by_call, g_hash_table_unref);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->form, cd_store_qa_form_free);
  g_clear_pointer (&data->evaluations, g_ptr_array_unref);
  g_clear_pointer (&data->results, cd_qa_results_free);
  g_clear_pointer (&data->calibrations, g_ptr_array_unref);
  g_free (data);
}

static void
query_free (Query *query)
{
  g_free (query->week);
  g_free (query);
}

static guint
reasons_from_json (JsonArray *array)
{
  guint reasons = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);

      for (guint r = 0; r < CD_QA_N_REASONS; r++)
        if (g_strcmp0 (name, cd_qa_reason_to_string (1u << r)) == 0)
          reasons |= 1u << r;
    }
  return reasons;
}

/* Worker thread. The calls of the sample are read over the span they
 * cover: complaint calls may be older than the week. */
static gboolean
read_calls (CdStore     *reader,
            Data        *data,
            gint64       from,
            gint64       to,
            GError     **error)
{
  g_autoptr(GPtrArray) calls = NULL;

  if (data->items->len == 0)
    return TRUE;
  if (!cd_store_list_calls (reader, from, to + 1, &calls, error))
    return FALSE;
  for (guint i = 0; i < calls->len; i++)
    {
      const CdCall *call = g_ptr_array_index (calls, i);
      g_autofree char *id = cd_call_dup_entity (call);
      CdRecordingItem *item = g_hash_table_lookup (data->by_call, id);

      if (item == NULL)
        continue;
      item->has_call = TRUE;
      item->caller = g_strdup (call->caller);
      item->wait = call->hold_seconds;
      item->talk = call->talk_seconds;
      item->outcome = call->outcome;
      item->ended_by = g_strdup (call->ended_by);
      item->queue = g_strdup (call->queue);
    }
  return TRUE;
}

/* Worker thread. The scores are the ones each evaluation's event carries,
 * as the server scored them. */
static CdQaResults *
compute_results (GPtrArray *evaluations,
                 gint64     now,
                 GTimeZone *zone)
{
  g_autoptr(GPtrArray) parsers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (CdQaResultsInput));

  for (guint i = 0; i < evaluations->len; i++)
    {
      const CdQaEvaluation *evaluation = g_ptr_array_index (evaluations, i);
      JsonParser *parser;
      JsonNode *root;
      JsonObject *payload;
      CdQaResultsInput input = { 0 };

      if (evaluation->payload == NULL)
        continue;
      parser = json_parser_new_immutable ();
      g_ptr_array_add (parsers, parser);
      if (!json_parser_load_from_data (parser, evaluation->payload, -1, NULL) ||
          (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        continue;
      payload = json_node_get_object (root);
      if (!json_object_has_member (payload, "score") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (payload, "score")))
        continue;
      input.operator = evaluation->operator;
      input.call_time = evaluation->call_time;
      input.score = json_object_get_object_member (payload, "score");
      g_array_append_val (inputs, input);
    }
  return cd_qa_results_new ((CdQaResultsInput *) inputs->data, inputs->len, now, zone);
}

/* Worker thread. The sessions opened in the week, each as
 * cd_store_qa_calibration_result() gives it: blind (the evaluators, no
 * answers) until closed. */
static GPtrArray *
read_calibrations (CdStore    *reader,
                   const char *week,
                   GTimeZone  *zone,
                   GError    **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 start, end;

  if (!cd_qa_parse_week (week, zone, &start, &end) ||
      (sessions = cd_store_list_qa_calibrations (reader, start, end, error)) == NULL)
    {
      g_ptr_array_unref (results);
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad week %s", week);
      return NULL;
    }
  for (guint i = 0; i < sessions->len; i++)
    {
      const CdQaCalibrationSession *session = g_ptr_array_index (sessions, i);
      g_autoptr(GError) local = NULL;
      JsonObject *result = cd_store_qa_calibration_result (reader, session->id, &local);

      /* A session that does not compute (its evaluations on two forms)
       * is shown with the reason, beside the others. */
      if (result == NULL)
        {
          result = json_object_new ();
          json_object_set_string_member (result, "session", session->id);
          json_object_set_string_member (result, "call", session->call);
          json_object_set_string_member (result, "owner", session->owner);
          json_object_set_boolean_member (result, "closed", session->closed_at != 0);
          json_object_set_string_member (result, "error", local->message);
        }
      g_ptr_array_add (results, result);
    }
  return results;
}

/* Worker thread. */
static gpointer
read_list (CdStore  *reader,
           gpointer  user_data,
           GError  **error)
{
  Query *query = user_data;
  Data *data = g_new0 (Data, 1);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(JsonObject) sample = NULL;
  g_autoptr(GPtrArray) forms = NULL;
  const CdStoreQaForm *newest = NULL;
  JsonArray *calls;
  gint64 from = G_MAXINT64, to = 0;

  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  data->by_call = g_hash_table_new (g_str_hash, g_str_equal);
  sample = cd_store_qa_sample (reader, query->week, CD_QA_SAMPLE_PER_OPERATOR, zone, error);
  if (sample == NULL)
    goto fail;
  calls = json_object_get_array_member (sample, "calls");
  for (guint i = 0; calls != NULL && i < json_array_get_length (calls); i++)
    {
      JsonObject *entry = json_array_get_object_element (calls, i);
      CdRecordingItem *item;
      g_autoptr(GDateTime) time = NULL;
      const char *id = json_object_get_string_member_with_default (entry, "call", NULL);

      if (id == NULL || g_hash_table_contains (data->by_call, id))
        continue;
      item = g_new0 (CdRecordingItem, 1);
      item->call = g_strdup (id);
      item->operator = g_strdup (json_object_get_string_member_with_default (entry, "operator",
                                                                             NULL));
      time = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (entry,
                                                                                       "time",
                                                                                       ""),
                                           zone);
      item->time = time != NULL ? g_date_time_to_unix (time) : 0;
      item->reasons = reasons_from_json (json_object_get_array_member (entry, "reasons"));
      from = MIN (from, item->time);
      to = MAX (to, item->time);
      g_ptr_array_add (data->items, item);
      g_hash_table_insert (data->by_call, item->call, item);
    }
  if (!read_calls (reader, data, from, to, error))
    goto fail;

  if ((forms = cd_store_list_qa_forms (reader, error)) == NULL)
    goto fail;
  for (guint i = 0; i < forms->len; i++)
    {
      CdStoreQaForm *form = g_ptr_array_index (forms, i);

      if (form->retired_at != 0)
        continue;
      if (newest == NULL || form->added_at > newest->added_at ||
          (g_strcmp0 (form->id, newest->id) == 0 && form->version > newest->version))
        newest = form;
    }
  if (newest != NULL &&
      (data->form = cd_store_load_qa_form (reader, newest->id, newest->version, error)) == NULL)
    goto fail;

  data->evaluations = cd_store_list_qa_evaluations (reader, NULL, 0, 0, error);
  if (data->evaluations == NULL)
    goto fail;
  for (guint i = 0; i < data->evaluations->len; i++)
    {
      const CdQaEvaluation *evaluation = g_ptr_array_index (data->evaluations, i);
      CdRecordingItem *item = g_hash_table_lookup (data->by_call, evaluation->call);

      if (item != NULL)
        item->evaluated = TRUE;
    }
  data->results = compute_results (data->evaluations, query->now, zone);
  if ((data->calibrations = read_calibrations (reader, query->week, zone, error)) == NULL)
    goto fail;
  return data;

fail:
  data_free (data);
  return NULL;
}

static void
apply_recorded (CdRecordingsSource *self)
{
  for (guint i = 0; self->data != NULL && i < self->data->items->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (self->data->items, i);

      if (self->recorded == NULL)
        item->recording = CD_RECORDING_UNKNOWN;
      else
        item->recording = g_hash_table_contains (self->recorded, item->call)
                              ? CD_RECORDING_PRESENT
                              : CD_RECORDING_ABSENT;
    }
}

static void
apply_list (CdSource     *source,
            gpointer      result,
            const GError *error)
{
  CdRecordingsSource *self = CD_RECORDINGS_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the calls to review: %s", error->message);
      return;
    }
  g_clear_pointer (&self->data, data_free);
  self->data = result;
  apply_recorded (self);
  cd_source_set_ready (source);
  cd_source_emit_changed (source);
}

/**
 * cd_recordings_week_name:
 * @now: the dashboard's moment
 * @weeks_back: 0 for the week of @now, 1 for the one before…
 *
 * Returns: the ISO 8601 week, `2026-W49`, in local time
 */
char *
cd_recordings_week_name (gint64 now,
                         guint  weeks_back)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now - weeks_back * 7 * 86400);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  return g_strdup_printf ("%04d-W%02d", g_date_time_get_week_numbering_year (local),
                          g_date_time_get_week_of_year (local));
}

static void
cd_recordings_source_refresh (CdSource *source)
{
  CdRecordingsSource *self = CD_RECORDINGS_SOURCE (source);
  Query *query = g_new0 (Query, 1);

  query->now = cd_source_get_now (source);
  query->week = cd_recordings_week_name (query->now, self->weeks_back);
  cd_source_run (source, SLOT_LIST, read_list, query, (GDestroyNotify) query_free,
                 (GDestroyNotify) data_free, apply_list);
}

static void
cd_recordings_source_store_changed (CdSource *source)
{
  CdRecordingsSource *self = CD_RECORDINGS_SOURCE (source);

  g_clear_pointer (&self->data, data_free);
}

static void
cd_recordings_source_dispose (GObject *object)
{
  CdRecordingsSource *self = CD_RECORDINGS_SOURCE (object);

  g_clear_pointer (&self->data, data_free);
  g_clear_pointer (&self->recorded, g_hash_table_unref);

  G_OBJECT_CLASS (cd_recordings_source_parent_class)->dispose (object);
}

static void
cd_recordings_source_class_init (CdRecordingsSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CdSourceClass *source_class = CD_SOURCE_CLASS (klass);

  object_class->dispose = cd_recordings_source_dispose;
  source_class->store_changed = cd_recordings_source_store_changed;
  source_class->refresh = cd_recordings_source_refresh;
}

static void
cd_recordings_source_init (CdRecordingsSource *self)
{
}

CdRecordingsSource *
cd_recordings_source_new (CdContext *context)
{
  return g_object_new (CD_TYPE_RECORDINGS_SOURCE, "context", context, NULL);
}

/* Returns: (nullable) (element-type CdRecordingItem) (transfer none): the
 * work list, by operator then time; %NULL until read */
GPtrArray *
cd_recordings_source_get_items (CdRecordingsSource *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  return self->data != NULL ? self->data->items : NULL;
}

CdRecordingItem *
cd_recordings_source_lookup (CdRecordingsSource *self,
                             const char         *call)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  return self->data != NULL ? g_hash_table_lookup (self->data->by_call, call) : NULL;
}

/* Returns: (nullable) (transfer none): the newest form in use */
CdStoreQaForm *
cd_recordings_source_get_form (CdRecordingsSource *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  return self->data != NULL ? self->data->form : NULL;
}

/* Returns: (nullable) (element-type CdQaEvaluation) (transfer none): the
 * evaluations that count, neither superseded nor calibration */
GPtrArray *
cd_recordings_source_get_evaluations (CdRecordingsSource *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  return self->data != NULL ? self->data->evaluations : NULL;
}

guint
cd_recordings_source_get_week (CdRecordingsSource *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), 0);
  return self->weeks_back;
}

void
cd_recordings_source_set_week (CdRecordingsSource *self,
                               guint               weeks_back)
{
  g_return_if_fail (CD_IS_RECORDINGS_SOURCE (self));
  if (self->weeks_back == weeks_back)
    return;
  self->weeks_back = weeks_back;
  cd_source_refresh (CD_SOURCE (self));
}

/* Returns: (nullable) (transfer none): the operators' results from the
 * evaluations that count; %NULL until read */
CdQaResults *
cd_recordings_source_get_results (CdRecordingsSource *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  return self->data != NULL ? self->data->results : NULL;
}

/**
 * cd_recordings_source_set_recorded:
 * @self: the source
 * @calls: (nullable) (transfer none): the calls of the work list that have
 *   a recording; %NULL when the server could not say
 *
 * Marks the work list's calls; kept for the lists read later, whose calls
 * the set does not name until the page asks again.
 */
void
cd_recordings_source_set_recorded (CdRecordingsSource *self,
                                   GHashTable         *calls)
{
  g_return_if_fail (CD_IS_RECORDINGS_SOURCE (self));
  g_clear_pointer (&self->recorded, g_hash_table_unref);
  self->recorded = calls != NULL ? g_hash_table_ref (calls) : NULL;
  apply_recorded (self);
  if (self->data != NULL)
    cd_source_emit_changed (CD_SOURCE (self));
}

/**
 * cd_recording_item_matches:
 * @item: a call of the work list
 * @filter: what to show
 *
 * Returns: whether @filter lets @item through
 */
gboolean
cd_recording_item_matches (const CdRecordingItem   *item,
                           const CdRecordingFilter *filter)
{
  gboolean answered;

  if (filter->operator != NULL && g_strcmp0 (item->operator, filter->operator) != 0)
    return FALSE;
  if (filter->reasons != 0 && (item->reasons & filter->reasons) == 0)
    return FALSE;
  if (filter->complaint == CD_RECORDING_COMPLAINT_LINKED &&
      (item->reasons & CD_QA_REASON_COMPLAINT) == 0)
    return FALSE;
  if (filter->complaint == CD_RECORDING_COMPLAINT_NOT_LINKED &&
      (item->reasons & CD_QA_REASON_COMPLAINT) != 0)
    return FALSE;
  /* While the server has not said, a call is neither. */
  if (filter->recording == CD_RECORDING_PRESENCE_FILTER_PRESENT &&
      item->recording != CD_RECORDING_PRESENT)
    return FALSE;
  if (filter->recording == CD_RECORDING_PRESENCE_FILTER_ABSENT &&
      item->recording != CD_RECORDING_ABSENT)
    return FALSE;
  if (!item->has_call)
    return filter->queue == NULL && filter->outcome == CD_RECORDING_OUTCOME_ANY &&
           filter->min_talk < 0 && filter->max_talk < 0;
  if (filter->queue != NULL && g_strcmp0 (item->queue, filter->queue) != 0)
    return FALSE;
  if (filter->min_talk >= 0 && item->talk < filter->min_talk)
    return FALSE;
  if (filter->max_talk >= 0 && item->talk >= filter->max_talk)
    return FALSE;
  answered = item->outcome == CD_CALL_ANSWERED;
  switch (filter->outcome)
    {
    case CD_RECORDING_OUTCOME_ANSWERED:
      return answered;
    case CD_RECORDING_OUTCOME_OPERATOR_HUNG_UP:
      return answered && g_strcmp0 (item->ended_by, "agent") == 0;
    case CD_RECORDING_OUTCOME_TRANSFERRED:
      return item->outcome == CD_CALL_TRANSFERRED;
    case CD_RECORDING_OUTCOME_NOT_ANSWERED:
      return item->outcome == CD_CALL_ABANDONED || item->outcome == CD_CALL_TIMEOUT ||
             item->outcome == CD_CALL_EXIT_EMPTY || item->outcome == CD_CALL_EXIT_KEY ||
             item->outcome == CD_CALL_WITHDRAWN;
    case CD_RECORDING_OUTCOME_ANY:
    default:
      return TRUE;
    }
}

/* Returns: (nullable) (transfer container) (element-type CdRecordingItem):
 *   the work list's calls @filter lets through, in the list's order; %NULL
 *   until read */
GPtrArray *
cd_recordings_source_filter (CdRecordingsSource      *self,
                             const CdRecordingFilter *filter)
{
  GPtrArray *shown;

  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  if (self->data == NULL)
    return NULL;
  shown = g_ptr_array_new ();
  for (guint i = 0; i < self->data->items->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (self->data->items, i);

      if (cd_recording_item_matches (item, filter))
        g_ptr_array_add (shown, item);
    }
  return shown;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Returns: (transfer full): the queues of the work list's calls, sorted */
GStrv
cd_recordings_source_dup_queues (CdRecordingsSource *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  for (guint i = 0; self->data != NULL && i < self->data->items->len; i++)
    {
      CdRecordingItem *item = g_ptr_array_index (self->data->items, i);

      if (item->queue != NULL && g_hash_table_add (seen, item->queue))
        g_ptr_array_add (names, g_strdup (item->queue));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* Returns: (nullable) (transfer none) (element-type JsonObject): the
 * chosen week's calibration sessions, the latest first, each as
 * cd_store_qa_calibration_result() gives it; %NULL until read */
GPtrArray *
cd_recordings_source_get_calibrations (CdRecordingsSource *self)
{
  g_return_val_if_fail (CD_IS_RECORDINGS_SOURCE (self), NULL);
  return self->data != NULL ? self->data->calibrations : NULL;
}
