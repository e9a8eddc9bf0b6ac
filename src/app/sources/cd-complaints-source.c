// SPDX-License-Identifier: GPL-3.0-or-later
//
// One query: every complaint in the cache with what it is about, read by
// the store function the journal uses, then sorted into stages and judged
// at the dashboard's moment on the worker thread; the figures of the
// chosen period come from the core's cd_complaint_stats() over the
// complaints received in it. It runs again when the cache changes (an
// action taken here or elsewhere arrives through the sync), each minute
// (clocks turn at risk with the clock alone) and for another period.

#include "config.h"

#include "cd-complaints-source.h"
#include "cd-store-complaints.h"

enum {
  SLOT_COMPLAINTS,
};

typedef struct
{
  gint64              from;
  gint64              to;
  gint64              now;
  CdComplaintGrouping by;
} Query;

typedef struct
{
  GPtrArray  *rows;    /* (element-type CdComplaint) all, in order of receipt */
  GPtrArray  *items;   /* (element-type CdComplaintItem) */
  GHashTable *by_number;
  GPtrArray  *period;  /* (element-type CdComplaint) received in the period; rows' */
  JsonObject *stats;
  GPtrArray  *groups;  /* (element-type CdComplaintGroup) */
  gint64      from;
  gint64      to;
} Data;

struct _CdComplaintsSource
{
  CdSource            parent_instance;

  Data               *data;
  CdComplaintsPeriod  period;
  CdComplaintGrouping grouping;
};

G_DEFINE_FINAL_TYPE (CdComplaintsSource, cd_complaints_source, CD_TYPE_SOURCE)

static void
item_free (CdComplaintItem *item)
{
  g_free (item->target);
  g_free (item);
}

static void
data_free (Data *data)
{
  g_clear_pointer (&data->by_number, g_hash_table_unref);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->period, g_ptr_array_unref);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_clear_pointer (&data->stats, json_object_unref);
  g_clear_pointer (&data->groups, g_ptr_array_unref);
  g_free (data);
}

/* The clock of @target as the SLA engine judged it at the ticket's last
 * event, seen at @now: a running clock turns at risk and breaches with
 * the time it was given, nothing computed here. */
static CdComplaintClockState
read_clock (const CdTicket *ticket,
            const char     *target,
            gint64          now,
            gint64         *due)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *clocks;

  *due = 0;
  if (ticket == NULL || ticket->clocks == NULL ||
      !json_parser_load_from_data (parser, ticket->clocks, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return CD_COMPLAINT_CLOCK_NONE;
  clocks = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (clocks); i++)
    {
      JsonNode *node = json_array_get_element (clocks, i);
      JsonObject *clock;
      const char *state;
      gint64 at_risk;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      clock = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (clock, "target", NULL),
                     target) != 0)
        continue;
      state = json_object_get_string_member_with_default (clock, "state", "");
      *due = json_object_get_int_member_with_default (clock, "due", 0);
      at_risk = json_object_get_int_member_with_default (clock, "at_risk", 0);
      if (g_strcmp0 (state, "breached") == 0)
        return CD_COMPLAINT_CLOCK_BREACHED;
      if (g_strcmp0 (state, "running") != 0 && g_strcmp0 (state, "at_risk") != 0)
        return CD_COMPLAINT_CLOCK_NONE;
      if (*due > 0 && now >= *due)
        return CD_COMPLAINT_CLOCK_BREACHED;
      if (g_strcmp0 (state, "at_risk") == 0 || (at_risk > 0 && now >= at_risk))
        return CD_COMPLAINT_CLOCK_AT_RISK;
      return CD_COMPLAINT_CLOCK_RUNNING;
    }
  return CD_COMPLAINT_CLOCK_NONE;
}

static CdComplaintItem *
make_item (CdComplaint *c,
           gint64       from,
           gint64       now,
           GHashTable  *grouped)
{
  CdComplaintItem *item = g_new0 (CdComplaintItem, 1);
  gboolean open = c->ticket != NULL && cd_ticket_is_open (c->ticket);
  const char *target = NULL;
  gint64 due;

  item->complaint = c;
  if (c->decision != NULL)
    {
      if (c->answered_at >= from)
        item->stages |= 1 << CD_COMPLAINT_STAGE_ANSWERED;
    }
  else if (open && c->klass == NULL)
    {
      item->stages |= 1 << CD_COMPLAINT_STAGE_TO_CLASSIFY;
      target = "classification";
    }
  else if (open)
    {
      CdComplaintClockState answer = read_clock (c->ticket, "answer", now, &due);

      /* Class B may be extended once: a supervisor must extend it or have
       * it answered before the answer clock breaches, or soon after. */
      if (g_strcmp0 (c->klass, "B") == 0 && c->ticket->extensions == 0 &&
          (answer == CD_COMPLAINT_CLOCK_AT_RISK || answer == CD_COMPLAINT_CLOCK_BREACHED))
        item->stages |= 1 << CD_COMPLAINT_STAGE_EXTENSION;
      else
        item->stages |= 1 << CD_COMPLAINT_STAGE_TO_ANSWER;
      target = "answer";
    }
  if ((c->proposal != NULL && c->proposed_at >= from) || g_hash_table_contains (grouped, c->number))
    item->stages |= 1 << CD_COMPLAINT_STAGE_SYSTEMIC;
  if (target == NULL && c->proposal == NULL && open)
    target = "systemic";
  if (target != NULL)
    {
      item->clock = read_clock (c->ticket, target, now, &item->due);
      if (item->clock != CD_COMPLAINT_CLOCK_NONE)
        item->target = g_strdup (target);
    }
  return item;
}

/* Worker thread. */
static gpointer
read_complaints (CdStore  *reader,
                 gpointer  user_data,
                 GError  **error)
{
  Query *query = user_data;
  Data *data = g_new0 (Data, 1);
  g_autoptr(GPtrArray) both = g_ptr_array_new ();
  g_autoptr(GHashTable) grouped = g_hash_table_new (g_str_hash, g_str_equal);

  data->rows = cd_store_list_complaints (reader, 0, 0, error);
  if (data->rows == NULL)
    {
      data_free (data);
      return NULL;
    }
  data->from = query->from;
  data->to = query->to;
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  data->by_number = g_hash_table_new (g_str_hash, g_str_equal);
  data->period = g_ptr_array_new ();
  /* The groups compare the period with the one of equal length before. */
  for (guint i = 0; i < data->rows->len; i++)
    {
      CdComplaint *c = g_ptr_array_index (data->rows, i);

      if (c->received >= query->from - (query->to - query->from) && c->received <= query->to)
        g_ptr_array_add (both, c);
    }
  data->groups = cd_complaint_groups ((CdComplaint * const *) both->pdata, both->len, query->by,
                                      query->from, query->to);
  for (guint g = 0; g < data->groups->len; g++)
    {
      CdComplaintGroup *group = g_ptr_array_index (data->groups, g);

      for (guint i = 0; i < group->numbers->len; i++)
        g_hash_table_add (grouped, g_ptr_array_index (group->numbers, i));
    }
  for (guint i = 0; i < data->rows->len; i++)
    {
      CdComplaint *c = g_ptr_array_index (data->rows, i);
      CdComplaintItem *item = make_item (c, query->from, query->now, grouped);

      g_ptr_array_add (data->items, item);
      g_hash_table_insert (data->by_number, c->number, item);
      if (c->received >= query->from && c->received <= query->to)
        g_ptr_array_add (data->period, c);
    }
  data->stats = cd_complaint_stats ((CdComplaint * const *) data->period->pdata,
                                    data->period->len);
  return data;
}

static void
apply_complaints (CdSource     *source,
                  gpointer      result,
                  const GError *error)
{
  CdComplaintsSource *self = CD_COMPLAINTS_SOURCE (source);

  if (result == NULL)
    {
      g_warning ("Cannot read the complaints: %s", error->message);
      return;
    }
  g_clear_pointer (&self->data, data_free);
  self->data = result;
  cd_source_emit_changed (source);
}

static void
cd_complaints_source_refresh (CdSource *source)
{
  CdComplaintsSource *self = CD_COMPLAINTS_SOURCE (source);
  Query *query = g_new0 (Query, 1);

  query->now = cd_source_get_now (source);
  query->by = self->grouping;
  cd_complaints_period_range (self->period, query->now, &query->from, &query->to);
  cd_source_run (source, SLOT_COMPLAINTS, read_complaints, query, g_free,
                 (GDestroyNotify) data_free, apply_complaints);
}

static void
cd_complaints_source_store_changed (CdSource *source)
{
  CdComplaintsSource *self = CD_COMPLAINTS_SOURCE (source);

  g_clear_pointer (&self->data, data_free);
}

static void
cd_complaints_source_dispose (GObject *object)
{
  CdComplaintsSource *self = CD_COMPLAINTS_SOURCE (object);

  g_clear_pointer (&self->data, data_free);

  G_OBJECT_CLASS (cd_complaints_source_parent_class)->dispose (object);
}

static void
cd_complaints_source_class_init (CdComplaintsSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CdSourceClass *source_class = CD_SOURCE_CLASS (klass);

  object_class->dispose = cd_complaints_source_dispose;
  source_class->store_changed = cd_complaints_source_store_changed;
  source_class->refresh = cd_complaints_source_refresh;
}

static void
cd_complaints_source_init (CdComplaintsSource *self)
{
  self->period = CD_COMPLAINTS_PERIOD_30_DAYS;
  self->grouping = CD_COMPLAINT_BY_ADDRESS;
  /* Clocks turn at risk with the clock alone, with no sync event. */
  cd_source_set_refresh_interval (CD_SOURCE (self), 60);
}

/**
 * cd_complaints_source_new:
 * @context: what the dashboard works with
 *
 * Returns: (transfer full): a source, reading once a page asks
 */
CdComplaintsSource *
cd_complaints_source_new (CdContext *context)
{
  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  return g_object_new (CD_TYPE_COMPLAINTS_SOURCE, "context", context, NULL);
}

/**
 * cd_complaints_source_get_items:
 * @self: a #CdComplaintsSource
 *
 * Returns: (nullable) (transfer none) (element-type CdComplaintItem): every
 *   complaint in order of receipt, %NULL before the first read
 */
GPtrArray *
cd_complaints_source_get_items (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), NULL);

  return self->data != NULL ? self->data->items : NULL;
}

/**
 * cd_complaints_source_lookup:
 * @self: a #CdComplaintsSource
 * @number: a complaint's ticket number
 *
 * Returns: (nullable) (transfer none): that complaint, as last read
 */
CdComplaintItem *
cd_complaints_source_lookup (CdComplaintsSource *self,
                             const char         *number)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), NULL);

  if (self->data == NULL || number == NULL)
    return NULL;
  return g_hash_table_lookup (self->data->by_number, number);
}

/**
 * cd_complaints_source_get_rows:
 * @self: a #CdComplaintsSource
 *
 * Returns: (nullable) (transfer none) (element-type CdComplaint): every
 *   complaint, owning them: a reference keeps the period's rows alive
 */
GPtrArray *
cd_complaints_source_get_rows (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), NULL);

  return self->data != NULL ? self->data->rows : NULL;
}

/**
 * cd_complaints_source_get_period_rows:
 * @self: a #CdComplaintsSource
 *
 * Returns: (nullable) (transfer none) (element-type CdComplaint): the
 *   complaints received in the period, in order of receipt: the journal
 */
GPtrArray *
cd_complaints_source_get_period_rows (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), NULL);

  return self->data != NULL ? self->data->period : NULL;
}

/**
 * cd_complaints_source_get_stats:
 * @self: a #CdComplaintsSource
 *
 * Returns: (nullable) (transfer none): cd_complaint_stats() of the period
 */
JsonObject *
cd_complaints_source_get_stats (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), NULL);

  return self->data != NULL ? self->data->stats : NULL;
}

CdComplaintsPeriod
cd_complaints_source_get_period (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), CD_COMPLAINTS_PERIOD_30_DAYS);

  return self->period;
}

/**
 * cd_complaints_source_get_groups:
 * @self: a #CdComplaintsSource
 *
 * Returns: (nullable) (transfer none) (element-type CdComplaintGroup): the
 *   systemic groups of the period by the chosen grouping, growing first
 */
GPtrArray *
cd_complaints_source_get_groups (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), NULL);

  return self->data != NULL ? self->data->groups : NULL;
}

CdComplaintGrouping
cd_complaints_source_get_grouping (CdComplaintsSource *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_SOURCE (self), CD_COMPLAINT_BY_ADDRESS);

  return self->grouping;
}

/**
 * cd_complaints_source_set_grouping:
 * @self: a #CdComplaintsSource
 * @by: what the systemic groups gather complaints by
 *
 * Reads again with groups of that kind.
 */
void
cd_complaints_source_set_grouping (CdComplaintsSource  *self,
                                   CdComplaintGrouping  by)
{
  g_return_if_fail (CD_IS_COMPLAINTS_SOURCE (self));
  g_return_if_fail (by < CD_N_COMPLAINT_GROUPINGS);

  if (self->grouping == by)
    return;
  self->grouping = by;
  cd_source_refresh (CD_SOURCE (self));
}

/**
 * cd_complaints_source_get_range:
 * @self: a #CdComplaintsSource
 * @from: (out): the start of the period read, Unix seconds
 * @to: (out): its end
 *
 * The period the figures shown cover (both 0 before the first read).
 */
void
cd_complaints_source_get_range (CdComplaintsSource *self,
                                gint64             *from,
                                gint64             *to)
{
  g_return_if_fail (CD_IS_COMPLAINTS_SOURCE (self));

  *from = self->data != NULL ? self->data->from : 0;
  *to = self->data != NULL ? self->data->to : 0;
}

/**
 * cd_complaints_source_set_period:
 * @self: a #CdComplaintsSource
 * @period: what the figures cover
 *
 * Reads again for that period.
 */
void
cd_complaints_source_set_period (CdComplaintsSource *self,
                                 CdComplaintsPeriod  period)
{
  g_return_if_fail (CD_IS_COMPLAINTS_SOURCE (self));
  g_return_if_fail (period < CD_COMPLAINTS_N_PERIODS);

  if (self->period == period)
    return;
  self->period = period;
  cd_source_refresh (CD_SOURCE (self));
}

/**
 * cd_complaints_period_range:
 * @period: a period
 * @now: the moment the dashboard judges by
 * @from: (out): its start, Unix seconds
 * @to: (out): its end: @now
 *
 * The period in the local time zone: this week from Monday's midnight,
 * this month from the 1st, this year from 1 January, or the 30 or 90 days
 * before @now.
 */
void
cd_complaints_period_range (CdComplaintsPeriod  period,
                            gint64              now,
                            gint64             *from,
                            gint64             *to)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (now);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (time),
                                                         g_date_time_get_month (time),
                                                         g_date_time_get_day_of_month (time),
                                                         0, 0, 0);
  g_autoptr(GDateTime) start = NULL;

  switch (period)
    {
    case CD_COMPLAINTS_PERIOD_WEEK:
      start = g_date_time_add_days (midnight, 1 - g_date_time_get_day_of_week (midnight));
      break;
    case CD_COMPLAINTS_PERIOD_MONTH:
      start = g_date_time_new_local (g_date_time_get_year (time), g_date_time_get_month (time), 1,
                                     0, 0, 0);
      break;
    case CD_COMPLAINTS_PERIOD_90_DAYS:
      start = g_date_time_add_days (time, -90);
      break;
    case CD_COMPLAINTS_PERIOD_YEAR:
      start = g_date_time_new_local (g_date_time_get_year (time), 1, 1, 0, 0, 0);
      break;
    case CD_COMPLAINTS_PERIOD_30_DAYS:
    case CD_COMPLAINTS_N_PERIODS:
    default:
      start = g_date_time_add_days (time, -30);
      break;
    }
  *from = g_date_time_to_unix (start);
  *to = now;
}
