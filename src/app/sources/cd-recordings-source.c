// SPDX-License-Identifier: GPL-3.0-or-later
//
// One query: the chosen week's work list (cd_store_qa_sample(), the draw
// the command line prints), the calls it names read back from the calls
// table for their wait, talk and outcome, the forms in use and every
// evaluation that counts. It runs again when the cache changes, so that a
// saved evaluation marks its call once the sync brings it back.

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
} Data;

struct _CdRecordingsSource
{
  CdSource  parent_instance;

  Data     *data;
  guint     weeks_back;
};

G_DEFINE_FINAL_TYPE (CdRecordingsSource, cd_recordings_source, CD_TYPE_SOURCE)

static void
item_free (CdRecordingItem *item)
{
  g_free (item->call);
  g_free (item->operator);
  g_free (item->caller);
  g_free (item->ended_by);
  g_free (item);
}

static void
data_free (Data *data)
{
  g_clear_pointer (&data->by_call, g_hash_table_unref);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->form, cd_store_qa_form_free);
  g_clear_pointer (&data->evaluations, g_ptr_array_unref);
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
    }
  return TRUE;
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
  return data;

fail:
  data_free (data);
  return NULL;
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
