// SPDX-License-Identifier: GPL-3.0-or-later
//
// The load on the call queue: who is waiting now and for how long, the
// operators' states, today's calls per interval against the forecast,
// the peak hours, and a what-if panel. The page is the template in
// cd-queue-page.ui bound to a CdQueueSource, which reads today's figures
// off the main loop (the functions `citydeskctl calls stats` prints) and
// holds the live snapshot the server pushes; the what-if panel asks the
// staffing engine (cd-erlang.h), as the command `citydeskctl erlang` does.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cd-call-heatmap-view.h"
#include "cd-erlang.h"
#include "cd-format.h"
#include "cd-intraday-chart.h"
#include "cd-queue-page.h"
#include "cd-queue-source.h"
#include "cd-tile.h"

/* One operator's line in the grid, from the live snapshot when there is
 * one, else from today's calls. */
typedef struct
{
  char   *agent;
  char   *state;      /* in words, NULL without the live snapshot */
  gint64  since;      /* 0 without the live snapshot */
  char   *call;       /* (nullable) */
  guint   handled;
  gint64  handle;
  guint   missed;
} OperatorRow;

/* One interval of today's chart and table. */
typedef struct
{
  CdIntradayPoint point;
  CdCallInterval  counts;
} TableRow;

enum {
  OPERATOR_NAME,
  OPERATOR_STATE,
  OPERATOR_TIME_IN_STATE,
  OPERATOR_HANDLED,
  OPERATOR_AHT,
  OPERATOR_MISSED,
  OPERATOR_CALL,
  N_OPERATOR_COLUMNS
};

enum {
  TABLE_INTERVAL,
  TABLE_OFFERED,
  TABLE_ANSWERED,
  TABLE_ABANDONED,
  TABLE_SERVICE_LEVEL,
  TABLE_ASA,
  TABLE_AHT,
  TABLE_FORECAST,
  TABLE_NEEDED,
  TABLE_STAFFED,
  N_TABLE_COLUMNS
};

struct _CdQueuePage
{
  CdPage             parent_instance;

  /* The template's. */
  GtkFlowBox        *tiles;
  GtkFlowBox        *day_row;
  GtkDropDown       *interval_choice;
  GtkToggleButton   *table_toggle;
  GtkStack          *chart_stack;
  CdIntradayChart   *chart;
  GtkColumnView     *table_view;
  GtkDropDown       *period_choice;
  GtkStack          *heatmap_stack;
  CdCallHeatmapView *heatmap;
  GtkLabel          *heatmap_status;
  GtkStack          *operators_stack;
  GtkColumnView     *operators_view;
  GtkLabel          *operators_status;
  GtkListBox        *whatif_inputs;
  GtkListBox        *whatif_results;
  GtkLabel          *whatif_note;

  CdTile            *tile_widgets[CD_QUEUE_N_TILES];
  GtkSpinButton     *whatif_spins[CD_QUEUE_N_WHATIF_INPUTS];
  GtkLabel          *whatif_labels[CD_QUEUE_N_WHATIF_RESULTS];

  CdQueueSource     *source;
  GArray            *rows;             /* TableRow */
  GtkStringList     *table_items;      /* positions in rows */
  GArray            *operators;        /* OperatorRow */
  GtkStringList     *operator_items;   /* positions in operators */
  gboolean           updating;
  /* The user changed a what-if figure: the live ones no longer replace it. */
  gboolean           whatif_touched;
  guint              tick_id;
};

G_DEFINE_FINAL_TYPE (CdQueuePage, cd_queue_page, CD_TYPE_PAGE)

static const gint64 intervals[] = { 15 * 60, 30 * 60, 60 * 60 };
static const guint periods[] = { 4, 13, 52 };

static const CdTileInfo tile_info[CD_QUEUE_N_TILES] = {
  [CD_QUEUE_TILE_WAITING] = { N_("Residents waiting now"), "call-incoming-symbolic" },
  [CD_QUEUE_TILE_LONGEST_WAIT] = { N_("Longest wait"), "alarm-symbolic" },
  [CD_QUEUE_TILE_OPERATORS] = { N_("Operators available"), "system-users-symbolic" },
  [CD_QUEUE_TILE_SERVICE_LEVEL] = { N_("Service level today"), "emblem-ok-symbolic" },
  [CD_QUEUE_TILE_ABANDONED] = { N_("Abandoned today"), "call-missed-symbolic" },
  [CD_QUEUE_TILE_MISSED] = { N_("Missed calls awaiting a callback"), "call-outgoing-symbolic" },
};

static const struct {
  const char *title;
  const char *subtitle;
  double      lower;
  double      upper;
  double      step;
} whatif_info[CD_QUEUE_N_WHATIF_INPUTS] = {
  [CD_QUEUE_WHATIF_CALLS] = { N_("Calls per hour"), NULL, 0, 100000, 10 },
  [CD_QUEUE_WHATIF_AHT] = { N_("Average handling time"), N_("Seconds"), 1, 7200, 10 },
  [CD_QUEUE_WHATIF_PATIENCE] = { N_("Callers’ patience"),
                                 N_("Seconds; 0: nobody hangs up"), 0, 7200, 10 },
  [CD_QUEUE_WHATIF_OPERATORS] = { N_("Operators on the phones"), NULL, 1, 10000, 1 },
};

static const char * const whatif_result_titles[CD_QUEUE_N_WHATIF_RESULTS] = {
  [CD_QUEUE_WHATIF_SERVICE_LEVEL] = N_("Service level (of offered)"),
  [CD_QUEUE_WHATIF_ASA] = N_("Average speed of answer (all calls)"),
  [CD_QUEUE_WHATIF_ABANDONMENT] = N_("Abandonment"),
  [CD_QUEUE_WHATIF_OCCUPANCY] = N_("Occupancy"),
};

static const char * const operator_titles[N_OPERATOR_COLUMNS] = {
  [OPERATOR_NAME] = N_("Operator"),
  [OPERATOR_STATE] = N_("State"),
  [OPERATOR_TIME_IN_STATE] = N_("Time in state"),
  [OPERATOR_HANDLED] = N_("Handled"),
  [OPERATOR_AHT] = N_("AHT"),
  [OPERATOR_MISSED] = N_("Missed offers"),
  [OPERATOR_CALL] = N_("Current call"),
};

static const char * const table_titles[N_TABLE_COLUMNS] = {
  [TABLE_INTERVAL] = N_("Interval"),
  [TABLE_OFFERED] = N_("Offered"),
  [TABLE_ANSWERED] = N_("Answered"),
  [TABLE_ABANDONED] = N_("Abandoned"),
  [TABLE_SERVICE_LEVEL] = N_("Service level"),
  [TABLE_ASA] = N_("ASA"),
  [TABLE_AHT] = N_("AHT"),
  [TABLE_FORECAST] = N_("Forecast"),
  [TABLE_NEEDED] = N_("Needed"),
  [TABLE_STAFFED] = N_("Logged in"),
};

static void
operator_row_clear (OperatorRow *row)
{
  g_free (row->agent);
  g_free (row->state);
  g_free (row->call);
}

static gint64
get_now (CdQueuePage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  return context != NULL ? cd_context_get_now (context) : g_get_real_time () / G_USEC_PER_SEC;
}

static void
add_toast (CdQueuePage *self,
           AdwToast    *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static char *
format_share (double share)
{
  return isnan (share) ? g_strdup ("—") : g_strdup_printf ("%.0f %%", 100 * share);
}

static char *
format_seconds (double seconds)
{
  return isnan (seconds) ? g_strdup ("—") : cd_format_duration ((gint64) round (seconds));
}

/* The number, what it means and its secondary line, for a screen reader
 * as for the eye. */
static void
set_tile (CdQueuePage *self,
          CdQueueTile  tile,
          const char  *number,
          const char  *detail)
{
  cd_tile_set_figure (self->tile_widgets[tile], number, detail);
}

static void
set_tile_state (CdQueuePage *self,
                CdQueueTile  tile,
                const char  *style,
                const char  *icon_name)
{
  cd_tile_set_state (self->tile_widgets[tile], style, icon_name);
}

static const char *
agent_state_label (CdAgentState state)
{
  switch (state)
    {
    case CD_AGENT_LOGGED_OFF:
      return _("Logged off");
    case CD_AGENT_AVAILABLE:
      return _("Available");
    case CD_AGENT_ON_CALL:
      return _("On a call");
    case CD_AGENT_WRAP_UP:
      return _("Wrap-up");
    case CD_AGENT_PAUSED:
      return _("Paused");
    case CD_N_AGENT_STATES:
    default:
      g_return_val_if_reached ("—");
    }
}

/* Today's service level and abandons: from the cache's calls, which hold
 * every call that ended today (each arrives over the stream as it ends),
 * when it has read them; the live snapshot counts only what the server's
 * follower has read since it started, which after a restart mid-day is
 * less than the day. The missed calls: from the snapshot, else the
 * cache. */
static void
update_day_tiles (CdQueuePage *self)
{
  const CdQueueSnapshot *snapshot = cd_queue_source_get_snapshot (self->source);
  const CdCallStats *stats = cd_queue_source_get_stats (self->source);
  const CdQueueMissed *missed = cd_queue_source_get_missed (self->source);
  const CdCallInterval *today = stats != NULL      ? &stats->total
                                : snapshot != NULL ? &snapshot->today
                                                   : NULL;
  gint64 target = snapshot != NULL ? snapshot->target : cd_queue_source_get_target (self->source);
  double goal = snapshot != NULL ? snapshot->goal : CD_QUEUE_DEFAULT_GOAL;
  guint missed_waiting = snapshot != NULL ? snapshot->missed_waiting
                         : missed != NULL ? missed->waiting
                                          : 0;
  gint64 oldest_due = snapshot != NULL ? snapshot->oldest_missed_due
                      : missed != NULL ? missed->oldest_due
                                       : 0;
  gint64 now = get_now (self);

  if (today != NULL)
    {
      double sl = cd_call_interval_sl_of_answered_abandoned (today);
      g_autofree char *number = format_share (sl);
      g_autofree char *detail = NULL;
      g_autofree char *abandoned = g_strdup_printf ("%u", today->abandoned);
      g_autofree char *of_offered = NULL;
      g_autofree char *within = cd_format_duration (target);
      gboolean below = !isnan (sl) && sl < goal;

      /* Translators: below the service level tile: the goal and the
       * threshold, "Target 80 % within 40 s". */
      detail = g_strdup_printf (below ? _("Below the target of %.0f %% within %s")
                                      : _("Target %.0f %% within %s"),
                                100 * goal, within);
      set_tile (self, CD_QUEUE_TILE_SERVICE_LEVEL, number, detail);
      set_tile_state (self, CD_QUEUE_TILE_SERVICE_LEVEL, below ? "error" : NULL,
                      below ? "dialog-warning-symbolic" : "emblem-ok-symbolic");

      of_offered = g_strdup_printf (ngettext ("Of %u call offered", "Of %u calls offered",
                                              today->offered),
                                    today->offered);
      set_tile (self, CD_QUEUE_TILE_ABANDONED, abandoned, of_offered);
    }
  if (snapshot != NULL || missed != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%u", missed_waiting);
      g_autofree char *remaining = NULL;
      g_autofree char *detail = NULL;
      gboolean late = missed_waiting > 0 && oldest_due <= now;

      if (missed_waiting > 0 && oldest_due > 0)
        {
          remaining = cd_format_remaining (oldest_due - now);
          /* Translators: below the missed calls tile: the oldest one's
           * countdown, "in 4 min" or "3 min overdue". */
          detail = g_strdup_printf (_("Oldest due: %s"), remaining);
        }
      set_tile (self, CD_QUEUE_TILE_MISSED, number, detail);
      set_tile_state (self, CD_QUEUE_TILE_MISSED, late ? "error" : NULL,
                      late ? "dialog-error-symbolic" : tile_info[CD_QUEUE_TILE_MISSED].icon_name);
    }
}

/* The tiles only the live snapshot gives. */
static void
update_live_tiles (CdQueuePage *self)
{
  const CdQueueSnapshot *snapshot = cd_queue_source_get_snapshot (self->source);
  g_autofree char *waiting = NULL;
  g_autofree char *longest = NULL;
  g_autofree char *available = NULL;
  g_autofree char *others = NULL;
  gint64 wait;
  gboolean over;

  if (snapshot == NULL)
    {
      set_tile (self, CD_QUEUE_TILE_WAITING, "—", _("No live figures from the server"));
      set_tile (self, CD_QUEUE_TILE_LONGEST_WAIT, "—", NULL);
      set_tile (self, CD_QUEUE_TILE_OPERATORS, "—", NULL);
      return;
    }

  waiting = g_strdup_printf ("%u", snapshot->waiting->len);
  set_tile (self, CD_QUEUE_TILE_WAITING, waiting, NULL);

  wait = cd_queue_snapshot_longest_wait (snapshot);
  over = snapshot->waiting->len > 0 && wait > snapshot->target;
  longest = snapshot->waiting->len > 0 ? cd_format_duration (wait) : g_strdup ("—");
  set_tile (self, CD_QUEUE_TILE_LONGEST_WAIT, longest,
            over ? _("Over the target: callers wait too long") : NULL);
  set_tile_state (self, CD_QUEUE_TILE_LONGEST_WAIT, over ? "warning" : NULL,
                  over ? "dialog-warning-symbolic"
                       : tile_info[CD_QUEUE_TILE_LONGEST_WAIT].icon_name);

  available = g_strdup_printf ("%u", cd_queue_snapshot_count_agents (snapshot,
                                                                     CD_AGENT_AVAILABLE));
  /* Translators: below the operators tile: the others logged in. */
  others = g_strdup_printf (_("%u on a call, %u in wrap-up, %u paused"),
                            cd_queue_snapshot_count_agents (snapshot, CD_AGENT_ON_CALL),
                            cd_queue_snapshot_count_agents (snapshot, CD_AGENT_WRAP_UP),
                            cd_queue_snapshot_count_agents (snapshot, CD_AGENT_PAUSED));
  set_tile (self, CD_QUEUE_TILE_OPERATORS, available, others);
}

static void
update_operators (CdQueuePage *self)
{
  const CdCallStats *stats = cd_queue_source_get_stats (self->source);
  const CdQueueSnapshot *snapshot = cd_queue_source_get_snapshot (self->source);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  g_array_set_size (self->operators, 0);
  for (guint i = 0; snapshot != NULL && i < snapshot->agents->len; i++)
    {
      const CdQueueAgent *agent = g_ptr_array_index (snapshot->agents, i);
      OperatorRow row = { 0 };

      row.agent = g_strdup (agent->agent);
      if (agent->state == CD_AGENT_PAUSED && agent->reason != NULL)
        /* Translators: an operator's state with the PBX's reason, "Paused: lunch". */
        row.state = g_strdup_printf (_("Paused: %s"), agent->reason);
      else
        row.state = g_strdup (agent_state_label (agent->state));
      row.since = agent->since;
      if (agent->call != NULL)
        row.call = agent->queue != NULL ? g_strdup_printf ("%s (%s)", agent->call, agent->queue)
                                        : g_strdup (agent->call);
      row.handled = agent->handled;
      row.handle = agent->handle;
      row.missed = agent->missed;
      g_array_append_val (self->operators, row);
    }
  /* Without the live queue, what today's calls say of each operator. */
  for (guint i = 0; snapshot == NULL && stats != NULL && i < stats->operators->len; i++)
    {
      const CdCallOperator *op = g_ptr_array_index (stats->operators, i);
      OperatorRow row = { 0 };

      row.agent = g_strdup (op->agent);
      row.handled = op->handled;
      row.handle = op->handle;
      row.missed = op->missed;
      g_array_append_val (self->operators, row);
    }
  for (guint i = 0; i < self->operators->len; i++)
    g_ptr_array_add (strings, g_strdup_printf ("%u", i));
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->operator_items, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->operator_items)),
                          (const char * const *) strings->pdata);
  if (self->operators->len > 0)
    gtk_stack_set_visible_child_name (self->operators_stack, "list");
  else
    {
      gtk_label_set_label (self->operators_status, _("No operator has taken a call today."));
      gtk_stack_set_visible_child_name (self->operators_stack, "none");
    }
}

/* The forecast's interval that starts at @start, if any. */
static const CdForecastInterval *
forecast_at (const CdForecast *forecast,
             gint64            start)
{
  for (guint i = 0; forecast != NULL && i < forecast->intervals->len; i++)
    {
      const CdForecastInterval *f = &g_array_index (forecast->intervals, CdForecastInterval, i);

      if (f->start == start)
        return f;
    }
  return NULL;
}

/* The operators logged in over [start, end), averaged over the snapshot's
 * quarter hours in it; NaN when it holds none. */
static double
staffed_in (const CdQueueSnapshot *snapshot,
            gint64                 start,
            gint64                 end)
{
  double sum = 0;
  guint n = 0;

  for (guint i = 0; snapshot != NULL && i < snapshot->staffed->len; i++)
    {
      const CdQueueStaffed *q = &g_array_index (snapshot->staffed, CdQueueStaffed, i);

      if (q->start >= start && q->start < end)
        {
          sum += q->staffed;
          n++;
        }
    }
  return n > 0 ? sum / n : NAN;
}

static void
update_chart (CdQueuePage *self)
{
  const CdCallStats *stats = cd_queue_source_get_stats (self->source);
  const CdForecast *forecast = cd_queue_source_get_forecast (self->source);
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (CdIntradayPoint));
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

  g_array_set_size (self->rows, 0);
  for (guint i = 0; stats != NULL && i < stats->intervals->len; i++)
    {
      const CdCallInterval *counts = &g_array_index (stats->intervals, CdCallInterval, i);
      const CdForecastInterval *expected = forecast_at (forecast, counts->start);
      TableRow row = { 0 };

      row.counts = *counts;
      row.point.start = counts->start;
      row.point.end = counts->end;
      row.point.offered = counts->offered;
      row.point.answered = counts->answered;
      row.point.abandoned = counts->abandoned;
      row.point.forecast = expected != NULL ? expected->calls : NAN;
      row.point.needed = expected != NULL ? expected->agents : NAN;
      row.point.staffed = staffed_in (cd_queue_source_get_snapshot (self->source),
                                      counts->start, counts->end);
      g_array_append_val (self->rows, row);
      g_array_append_val (points, row.point);
      g_ptr_array_add (strings, g_strdup_printf ("%u", i));
    }
  cd_intraday_chart_set_points (self->chart, (CdIntradayPoint *) points->data, points->len,
                                get_now (self));
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (self->table_items, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->table_items)),
                          (const char * const *) strings->pdata);
}

static guint
heatmap_total (CdQueuePage *self)
{
  const CdCallHeatmap *heatmap = cd_queue_source_get_heatmap (self->source);
  guint total = 0;

  for (guint d = 0; heatmap != NULL && d < 7; d++)
    for (guint h = 0; h < 24; h++)
      total += heatmap->offered[d][h];
  return total;
}

static void
update_heatmap (CdQueuePage *self)
{
  const CdCallHeatmap *heatmap = cd_queue_source_get_heatmap (self->source);

  if (heatmap_total (self) == 0)
    {
      gtk_label_set_label (self->heatmap_status,
                           heatmap == NULL ? _("Reading the peak hours…")
                                           : _("No call in this period before today."));
      gtk_stack_set_visible_child_name (self->heatmap_stack, "none");
      return;
    }
  cd_call_heatmap_view_set_data (self->heatmap, heatmap->offered, heatmap->days);
  gtk_stack_set_visible_child_name (self->heatmap_stack, "heatmap");
}

/* What the engine says the what-if figures deliver. */
static void
update_whatif (CdQueuePage *self)
{
  CdErlangLoad load = { 0 };
  CdErlangFigures figures;
  g_autoptr(GError) error = NULL;
  double values[CD_QUEUE_N_WHATIF_RESULTS];
  gboolean ok;

  load.calls = gtk_spin_button_get_value (self->whatif_spins[CD_QUEUE_WHATIF_CALLS]);
  load.interval = 3600;
  load.aht = gtk_spin_button_get_value (self->whatif_spins[CD_QUEUE_WHATIF_AHT]);
  load.patience = gtk_spin_button_get_value (self->whatif_spins[CD_QUEUE_WHATIF_PATIENCE]);
  load.target = self->source != NULL ? cd_queue_source_get_target (self->source)
                                     : CD_QUEUE_DEFAULT_TARGET;
  ok = cd_erlang_figures (&load,
                          gtk_spin_button_get_value_as_int (
                              self->whatif_spins[CD_QUEUE_WHATIF_OPERATORS]),
                          &figures, &error);
  values[CD_QUEUE_WHATIF_SERVICE_LEVEL] = ok ? figures.service_level_of_offered : NAN;
  values[CD_QUEUE_WHATIF_ASA] = ok ? figures.asa_all_calls : NAN;
  values[CD_QUEUE_WHATIF_ABANDONMENT] = ok ? figures.abandonment : NAN;
  values[CD_QUEUE_WHATIF_OCCUPANCY] = ok ? figures.occupancy : NAN;
  for (guint i = 0; i < CD_QUEUE_N_WHATIF_RESULTS; i++)
    {
      g_autofree char *text = i == CD_QUEUE_WHATIF_ASA ? format_seconds (values[i])
                                                       : format_share (values[i]);

      gtk_label_set_label (self->whatif_labels[i], text);
    }

  if (ok)
    gtk_widget_set_visible (GTK_WIDGET (self->whatif_note), FALSE);
  else
    {
      gtk_label_set_label (self->whatif_note,
                           g_error_matches (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_UNSTABLE)
                               ? _("More calls than these operators can take: the queue grows "
                                   "without end. Add operators, or a patience for callers who "
                                   "hang up.")
                               : error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->whatif_note), TRUE);
    }
}

/* The live figures and today's, as a starting point. */
static void
prefill_whatif (CdQueuePage *self)
{
  const CdCallStats *stats = cd_queue_source_get_stats (self->source);
  const CdForecast *forecast = cd_queue_source_get_forecast (self->source);
  const CdForecastInterval *expected = NULL;
  const CdQueueSnapshot *snapshot = cd_queue_source_get_snapshot (self->source);
  gint64 now = get_now (self);
  gint64 day_start = cd_queue_source_get_day_start (self->source);
  double aht;

  if (stats == NULL)
    return;
  for (guint i = 0; forecast != NULL && i < forecast->intervals->len; i++)
    {
      const CdForecastInterval *f = &g_array_index (forecast->intervals, CdForecastInterval, i);

      if (f->start <= now && now < f->end)
        expected = f;
    }
  self->updating = TRUE;
  /* The forecast for the interval running now, else today's pace so far. */
  aht = expected != NULL && expected->aht >= 1 ? expected->aht
                                              : cd_call_interval_aht (&stats->total);
  if (!isnan (aht) && aht >= 1)
    gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_AHT], round (aht));
  if (expected != NULL)
    gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_CALLS],
                               round (expected->calls * 3600.0 /
                                      (expected->end - expected->start)));
  else if (now > day_start && stats->total.offered > 0)
    gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_CALLS],
                               round (stats->total.offered * 3600.0 / (now - day_start)));
  /* The operators logged in now, else as many as the forecast needs. */
  if (snapshot != NULL)
    gtk_spin_button_set_value (
        self->whatif_spins[CD_QUEUE_WHATIF_OPERATORS],
        MAX (1, cd_queue_snapshot_count_agents (snapshot, CD_AGENT_AVAILABLE) +
                    cd_queue_snapshot_count_agents (snapshot, CD_AGENT_ON_CALL) +
                    cd_queue_snapshot_count_agents (snapshot, CD_AGENT_WRAP_UP)));
  else if (expected != NULL && expected->agents > 0)
    gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_OPERATORS], expected->agents);
  self->updating = FALSE;
  update_whatif (self);
}

static void
on_whatif_changed (CdQueuePage *self)
{
  if (!self->updating)
    self->whatif_touched = TRUE;
  update_whatif (self);
}

static void
on_whatif_reset (CdQueuePage *self)
{
  self->whatif_touched = FALSE;
  prefill_whatif (self);
}

static void
on_source_changed (CdQueuePage *self)
{
  const CdCallStats *stats = cd_queue_source_get_stats (self->source);

  update_day_tiles (self);
  update_live_tiles (self);
  update_chart (self);
  update_heatmap (self);
  update_operators (self);
  if (!self->whatif_touched)
    prefill_whatif (self);
  /* No call today nor before, and no live queue: "No Queue Data Yet". */
  cd_page_set_empty (CD_PAGE (self), (stats == NULL || stats->total.offered == 0) &&
                                         heatmap_total (self) == 0 &&
                                         cd_queue_source_get_snapshot (self->source) == NULL);
}

/* Every second or so: what moves live, without a query. */
static void
on_snapshot_changed (CdQueuePage *self)
{
  if (!cd_source_get_ready (CD_SOURCE (self->source)))
    return;
  update_day_tiles (self);
  update_live_tiles (self);
  update_operators (self);
  update_chart (self);
  if (cd_queue_source_get_snapshot (self->source) != NULL)
    cd_page_set_empty (CD_PAGE (self), FALSE);
}

/* Countdowns and waits move every second without a query. */
static gboolean
on_tick (gpointer user_data)
{
  CdQueuePage *self = user_data;

  if (self->source != NULL && cd_source_get_ready (CD_SOURCE (self->source)))
    update_day_tiles (self);
  return G_SOURCE_CONTINUE;
}

static void
on_interval_changed (CdQueuePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->interval_choice);

  if (self->source != NULL && selected < G_N_ELEMENTS (intervals))
    cd_queue_source_set_interval (self->source, intervals[selected]);
}

static void
on_period_changed (CdQueuePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_choice);

  if (self->source != NULL && selected < G_N_ELEMENTS (periods))
    cd_queue_source_set_weeks (self->source, periods[selected]);
}

static void
on_table_toggled (CdQueuePage *self)
{
  gtk_stack_set_visible_child_name (self->chart_stack,
                                    gtk_toggle_button_get_active (self->table_toggle) ? "table"
                                                                                      : "chart");
}

static void
on_context_changed (CdQueuePage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  if (context == NULL)
    return;
  self->source = cd_queue_source_new (context);
  on_interval_changed (self);
  on_period_changed (self);
  g_signal_connect_object (self->source, "changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source, "snapshot-changed", G_CALLBACK (on_snapshot_changed),
                           self, G_CONNECT_SWAPPED);
  cd_source_refresh (CD_SOURCE (self->source));
}

static void
cd_queue_page_refresh_page (CdPage *page)
{
  CdQueuePage *self = CD_QUEUE_PAGE (page);

  if (self->source != NULL)
    cd_source_refresh (CD_SOURCE (self->source));
}

/* The text of a table cell, as the table shows it. */
static char *
table_cell_text (const TableRow *row,
                 guint           column)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  switch (column)
    {
    case TABLE_INTERVAL:
      start = g_date_time_new_from_unix_local (row->point.start);
      end = g_date_time_new_from_unix_local (row->point.end);
      from = g_date_time_format (start, "%H:%M");
      to = g_date_time_format (end, "%H:%M");
      return g_strdup_printf (_("%s–%s"), from, to);
    case TABLE_OFFERED:
      return g_strdup_printf ("%u", row->counts.offered);
    case TABLE_ANSWERED:
      return g_strdup_printf ("%u", row->counts.answered);
    case TABLE_ABANDONED:
      return g_strdup_printf ("%u", row->counts.abandoned);
    case TABLE_SERVICE_LEVEL:
      return format_share (cd_call_interval_sl_of_answered_abandoned (&row->counts));
    case TABLE_ASA:
      return format_seconds (cd_call_interval_asa (&row->counts));
    case TABLE_AHT:
      return format_seconds (cd_call_interval_aht (&row->counts));
    case TABLE_FORECAST:
      return isnan (row->point.forecast) ? g_strdup ("—")
                                         : g_strdup_printf ("%.1f", row->point.forecast);
    case TABLE_NEEDED:
      return isnan (row->point.needed) ? g_strdup ("—")
                                       : g_strdup_printf ("%.0f", row->point.needed);
    case TABLE_STAFFED:
      return isnan (row->point.staffed) ? g_strdup ("—")
                                        : g_strdup_printf ("%.1f", row->point.staffed);
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
operator_cell_text (CdQueuePage       *self,
                    const OperatorRow *row,
                    guint              column)
{
  switch (column)
    {
    case OPERATOR_NAME:
      return g_strdup (row->agent);
    case OPERATOR_STATE:
      return g_strdup (row->state != NULL ? row->state : "—");
    case OPERATOR_TIME_IN_STATE:
      return row->since > 0 ? cd_format_duration (get_now (self) - row->since) : g_strdup ("—");
    case OPERATOR_HANDLED:
      return g_strdup_printf ("%u", row->handled);
    case OPERATOR_AHT:
      return row->handled > 0 ? cd_format_duration (row->handle / row->handled)
                              : g_strdup ("—");
    case OPERATOR_MISSED:
      return g_strdup_printf ("%u", row->missed);
    case OPERATOR_CALL:
      return g_strdup (row->call != NULL ? row->call : "—");
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean number = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "number"));

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CdQueuePage              *self)
{
  GtkStringObject *object = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  gboolean operators = g_object_get_data (G_OBJECT (factory), "operators") != NULL;
  guint index = (guint) g_ascii_strtoull (gtk_string_object_get_string (object), NULL, 10);
  g_autofree char *text = NULL;

  if (operators && index < self->operators->len)
    text = operator_cell_text (self, &g_array_index (self->operators, OperatorRow, index), column);
  else if (!operators && index < self->rows->len)
    text = table_cell_text (&g_array_index (self->rows, TableRow, index), column);
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

static void
add_columns (CdQueuePage        *self,
             GtkColumnView      *view,
             const char * const *titles,
             guint               n_titles,
             gboolean            operators)
{
  for (guint i = 0; i < n_titles; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      gboolean number = operators ? (i == OPERATOR_HANDLED || i == OPERATOR_AHT ||
                                     i == OPERATOR_MISSED || i == OPERATOR_TIME_IN_STATE)
                                  : i != TABLE_INTERVAL;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (factory), "number", GUINT_TO_POINTER (number));
      if (operators)
        g_object_set_data (G_OBJECT (factory), "operators", GUINT_TO_POINTER (TRUE));
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), self);
      column = gtk_column_view_column_new (_(titles[i]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      /* The room goes to the names and texts: a figure's column stays as
       * wide as its title, so that the figure sits under it. */
      gtk_column_view_column_set_expand (column, !number);
      gtk_column_view_append_column (view, column);
      g_object_unref (column);
    }
}

static void
build_tiles (CdQueuePage *self)
{
  cd_tile_fill_row (self->tiles, tile_info, CD_QUEUE_N_TILES, self->tile_widgets);
}

static void
build_whatif (CdQueuePage *self)
{
  for (guint i = 0; i < CD_QUEUE_N_WHATIF_INPUTS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *spin = gtk_spin_button_new_with_range (whatif_info[i].lower, whatif_info[i].upper,
                                                        whatif_info[i].step);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(whatif_info[i].title));
      if (whatif_info[i].subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(whatif_info[i].subtitle));
      gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(whatif_info[i].title), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
      gtk_list_box_append (self->whatif_inputs, row);
      self->whatif_spins[i] = GTK_SPIN_BUTTON (spin);
    }
  self->updating = TRUE;
  gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_CALLS], 100);
  gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_AHT], 180);
  gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_PATIENCE], 0);
  gtk_spin_button_set_value (self->whatif_spins[CD_QUEUE_WHATIF_OPERATORS], 8);
  self->updating = FALSE;
  for (guint i = 0; i < CD_QUEUE_N_WHATIF_INPUTS; i++)
    g_signal_connect_object (self->whatif_spins[i], "value-changed",
                             G_CALLBACK (on_whatif_changed), self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < CD_QUEUE_N_WHATIF_RESULTS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new ("—");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(whatif_result_titles[i]));
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_add_css_class (value, "heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      gtk_list_box_append (self->whatif_results, row);
      self->whatif_labels[i] = GTK_LABEL (value);
    }
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter);

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cd_queue_page_refresh_page (CD_PAGE (widget));
}

static void
cd_queue_page_dispose (GObject *object)
{
  CdQueuePage *self = CD_QUEUE_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->table_view != NULL)
    gtk_column_view_set_model (self->table_view, NULL);
  if (self->operators_view != NULL)
    gtk_column_view_set_model (self->operators_view, NULL);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_object (&self->table_items);
  g_clear_object (&self->operator_items);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_QUEUE_PAGE);

  G_OBJECT_CLASS (cd_queue_page_parent_class)->dispose (object);
}

static void
cd_queue_page_finalize (GObject *object)
{
  CdQueuePage *self = CD_QUEUE_PAGE (object);

  g_array_unref (self->rows);
  g_array_unref (self->operators);

  G_OBJECT_CLASS (cd_queue_page_parent_class)->finalize (object);
}

static void
cd_queue_page_class_init (CdQueuePageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_queue_page_dispose;
  object_class->finalize = cd_queue_page_finalize;
  page_class->refresh = cd_queue_page_refresh_page;

  g_type_ensure (CD_TYPE_INTRADAY_CHART);
  g_type_ensure (CD_TYPE_CALL_HEATMAP_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, tiles);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, day_row);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, interval_choice);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, table_toggle);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, chart);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, table_view);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, period_choice);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, heatmap_stack);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, heatmap);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, heatmap_status);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, operators_stack);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, operators_view);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, operators_status);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, whatif_inputs);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, whatif_results);
  gtk_widget_class_bind_template_child (widget_class, CdQueuePage, whatif_note);
  gtk_widget_class_bind_template_callback (widget_class, on_interval_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_table_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_whatif_reset);

  /* Ctrl+E and F5 as UI.md has them, while the focus is on this page. */
  gtk_widget_class_install_action (widget_class, "queue.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "queue.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "queue.export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "queue.refresh", NULL);

  page_class->title = N_("Queue load");
  page_class->icon_name = "call-incoming-symbolic";
  page_class->help_section = "queue-load";
  page_class->empty_title = N_("No Queue Data Yet");
  page_class->empty_description = N_(
      "Calls waiting, answered and abandoned, hour by hour against the peak hours, appear here "
      "once the server receives calls from the contact center’s telephone exchange.");
}

static void
cd_queue_page_init (CdQueuePage *self)
{
  g_autoptr(GtkStringList) interval_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) period_names = gtk_string_list_new (NULL);
  GtkNoSelection *selection;

  self->rows = g_array_new (FALSE, TRUE, sizeof (TableRow));
  self->operators = g_array_new (FALSE, TRUE, sizeof (OperatorRow));
  g_array_set_clear_func (self->operators, (GDestroyNotify) operator_row_clear);
  self->table_items = gtk_string_list_new (NULL);
  self->operator_items = gtk_string_list_new (NULL);

  /* Quiet while the template's handlers run. */
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      g_autofree char *name = g_strdup_printf (ngettext ("%u minute", "%u minutes",
                                                         intervals[i] / 60),
                                               (guint) (intervals[i] / 60));

      gtk_string_list_append (interval_names, name);
    }
  gtk_drop_down_set_model (self->interval_choice, G_LIST_MODEL (interval_names));
  gtk_drop_down_set_selected (self->interval_choice, 1);
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    {
      g_autofree char *name = g_strdup_printf (ngettext ("Last %u week", "Last %u weeks",
                                                         periods[i]),
                                               periods[i]);

      gtk_string_list_append (period_names, name);
    }
  gtk_drop_down_set_model (self->period_choice, G_LIST_MODEL (period_names));

  build_tiles (self);
  /* The chart and the panel are not chosen either. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->day_row));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  build_whatif (self);
  add_columns (self, self->table_view, table_titles, N_TABLE_COLUMNS, FALSE);
  add_columns (self, self->operators_view, operator_titles, N_OPERATOR_COLUMNS, TRUE);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->table_items)));
  gtk_column_view_set_model (self->table_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->operator_items)));
  gtk_column_view_set_model (self->operators_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  self->updating = FALSE;
  update_whatif (self);

  g_signal_connect (self, "notify::context", G_CALLBACK (on_context_changed), NULL);
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);
}

static char *
iso_time (gint64 time)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (time);

  return g_date_time_format_iso8601 (local);
}

static char *
csv_number (double value,
            const char *format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return g_strdup ("");
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, format, value));
}

/**
 * cd_queue_page_export:
 * @self: a #CdQueuePage
 * @file: where to write
 * @error: return location for an error
 *
 * Writes today's table, the numbers behind the chart, to @file as CSV:
 * times in ISO 8601, shares from 0 to 1, durations in seconds, an empty
 * field where there is no figure.
 *
 * Returns: whether it was written
 */
gboolean
cd_queue_page_export (CdQueuePage  *self,
                      GFile        *file,
                      GError      **error)
{
  g_autoptr(GString) csv = g_string_new (
      "start,end,offered,answered,abandoned,short_abandoned,"
      "service_level,asa_seconds,aht_seconds,longest_wait_seconds,"
      "forecast_calls,agents_needed,agents_logged_in\r\n");

  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const TableRow *row = &g_array_index (self->rows, TableRow, i);
      g_autofree char *start = iso_time (row->point.start);
      g_autofree char *end = iso_time (row->point.end);
      g_autofree char *sl = csv_number (cd_call_interval_sl_of_answered_abandoned (&row->counts),
                                        "%.4f");
      g_autofree char *asa = csv_number (cd_call_interval_asa (&row->counts), "%.1f");
      g_autofree char *aht = csv_number (cd_call_interval_aht (&row->counts), "%.1f");
      g_autofree char *forecast = csv_number (row->point.forecast, "%.2f");
      g_autofree char *needed = csv_number (row->point.needed, "%.0f");
      g_autofree char *staffed = csv_number (row->point.staffed, "%.2f");

      g_string_append_printf (csv, "%s,%s,%u,%u,%u,%u,%s,%s,%s,%" G_GINT64_FORMAT ",%s,%s,%s\r\n",
                              start, end, row->counts.offered, row->counts.answered,
                              row->counts.abandoned, row->counts.short_abandoned, sl, asa, aht,
                              row->counts.longest_wait, forecast, needed, staffed);
    }
  return g_file_replace_contents (file, csv->str, csv->len, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                  NULL, error);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    CdQueuePage     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      if (!cd_queue_page_export (self, file, &error))
        {
          g_warning ("%s", error->message);
          add_toast (self, adw_toast_new (error->message));
        }
      else
        add_toast (self, adw_toast_new (_("Exported today’s calls")));
    }
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CdQueuePage *self = CD_QUEUE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Today’s Calls"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("queue-load.csv"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/**
 * cd_queue_page_get_loading:
 * @self: a #CdQueuePage
 *
 * Returns: whether the page is still reading (or has not read yet)
 */
gboolean
cd_queue_page_get_loading (CdQueuePage *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), TRUE);

  return self->source == NULL || cd_source_get_loading (CD_SOURCE (self->source)) ||
         !cd_source_get_ready (CD_SOURCE (self->source));
}

const char *
cd_queue_page_get_tile_text (CdQueuePage *self,
                             CdQueueTile  tile)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (tile < CD_QUEUE_N_TILES, NULL);

  return cd_tile_get_number (self->tile_widgets[tile]);
}

const char *
cd_queue_page_get_tile_detail (CdQueuePage *self,
                               CdQueueTile  tile)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (tile < CD_QUEUE_N_TILES, NULL);

  return cd_tile_get_detail (self->tile_widgets[tile]);
}

GtkSpinButton *
cd_queue_page_get_whatif_input (CdQueuePage        *self,
                                CdQueueWhatifInput  input)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (input < CD_QUEUE_N_WHATIF_INPUTS, NULL);

  return self->whatif_spins[input];
}

const char *
cd_queue_page_get_whatif_result (CdQueuePage         *self,
                                 CdQueueWhatifResult  result)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (result < CD_QUEUE_N_WHATIF_RESULTS, NULL);

  return gtk_label_get_label (self->whatif_labels[result]);
}

void
cd_queue_page_set_interval (CdQueuePage *self,
                            gint64       interval)
{
  g_return_if_fail (CD_IS_QUEUE_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (intervals[i] == interval)
      gtk_drop_down_set_selected (self->interval_choice, i);
}

void
cd_queue_page_show_table (CdQueuePage *self,
                          gboolean     table)
{
  g_return_if_fail (CD_IS_QUEUE_PAGE (self));

  gtk_toggle_button_set_active (self->table_toggle, table);
}

/* Returns: (transfer none): the operators grid's rows */
GListModel *
cd_queue_page_get_operators (CdQueuePage *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), NULL);

  return G_LIST_MODEL (self->operator_items);
}

/* Returns: whether the peak hours of the chosen period are read */
gboolean
cd_queue_page_get_heatmap_read (CdQueuePage *self)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), FALSE);

  return self->source != NULL && cd_queue_source_get_heatmap (self->source) != NULL;
}

/**
 * cd_queue_page_get_operator_cell:
 * @self: a #CdQueuePage
 * @row: a row of the operators grid
 * @column: 0 for the operator, then state, time in state, handled, AHT,
 *   missed offers, current call
 *
 * Returns: (transfer full) (nullable): the text shown there
 */
char *
cd_queue_page_get_operator_cell (CdQueuePage *self,
                                 guint        row,
                                 guint        column)
{
  g_return_val_if_fail (CD_IS_QUEUE_PAGE (self), NULL);
  g_return_val_if_fail (column < N_OPERATOR_COLUMNS, NULL);

  if (row >= self->operators->len)
    return NULL;
  return operator_cell_text (self, &g_array_index (self->operators, OperatorRow, row), column);
}
