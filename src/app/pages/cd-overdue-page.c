// SPDX-License-Identifier: GPL-3.0-or-later
//
// Tickets that broke their deadline, will soon, or are quietly dying at an
// executor: four tiles, a breakdown by executor, district or category, and
// the list of tickets over the local cache. The page is the template in
// cd-overdue-page.ui bound to a CdOverdueSource, which reads every figure
// off the main loop with the functions `citydeskctl tickets --overdue`
// prints; the list is the source's lazy CdTicketListModel. CONTRIBUTING.md
// walks through this page as the pattern of every dashboard.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-category.h"
#include "cd-format.h"
#include "cd-league-window.h"
#include "cd-sla-library.h"
#include "cd-overdue-page.h"
#include "cd-overdue-source.h"
#include "cd-store-overdue.h"
#include "cd-store-reference.h"
#include "cd-store.h"
#include "cd-ticket-list-model.h"
#include "cd-ticket-window.h"

enum {
  FILTER_DISTRICT,
  FILTER_CATEGORY,
  FILTER_EXECUTOR,
  FILTER_KIND,
  FILTER_TARGET,
  FILTER_STATE,
  N_FILTERS
};

#define N_LIST_COLUMNS 8

/* What the list shows: the first entry of the "Show" dropdown is what the
 * first two tiles count together; a tile chooses its own entry. */
enum {
  SCOPE_ATTENTION,
  SCOPE_ALL = CD_OVERDUE_N_TILES,
  N_SCOPES
};

struct _CdOverduePage
{
  CdPage              parent_instance;

  /* The template's. */
  GtkBox             *tiles;
  GtkToggleButton    *dimension_buttons[CD_OVERDUE_N_DIMENSIONS];
  GtkGrid            *breakdown_grid;
  GtkDropDown        *scope_filter;
  GtkDropDown        *filters[N_FILTERS];
  GtkLabel           *count_label;
  GtkStack           *list_stack;
  AdwStatusPage      *list_status;
  GtkColumnView      *column_view;

  GtkToggleButton    *tile_buttons[CD_OVERDUE_N_TILES];
  GtkLabel           *tile_numbers[CD_OVERDUE_N_TILES];

  CdOverdueSource    *source;
  guint               scope;
  CdOverdueDimension  dimension;
  gboolean            updating;

  /* The cells of the "overdue by" column now bound to a row: one timer
   * refreshes them all every second, without a query. */
  GHashTable         *countdowns;
  guint               tick_id;

  /* The widths in pixels of the widest texts the "Due", "Overdue by"
   * and "State" columns can show in this language, 0 until measured. */
  int                 measured_widths[N_LIST_COLUMNS];

  /* See on_sort_changed(). */
  int                 probed_column;
  GObject            *probe_items[2];
};

G_DEFINE_FINAL_TYPE (CdOverduePage, cd_overdue_page, CD_TYPE_PAGE)

static const struct {
  const char *title;
  const char *icon_name;
  const char *style;
} tile_info[CD_OVERDUE_N_TILES] = {
  [CD_OVERDUE_TILE_BREACHED] = { N_("Breached now"), "dialog-error-symbolic", "error" },
  [CD_OVERDUE_TILE_AT_RISK] = { N_("At risk within the hour"), "dialog-warning-symbolic",
                                "warning" },
  [CD_OVERDUE_TILE_STALE] = { N_("Stale: no progress"), "alarm-symbolic", NULL },
  [CD_OVERDUE_TILE_REOPENED] = { N_("Reopened this week"), "view-refresh-symbolic", NULL },
};

static const struct {
  const char   *title;
  CdTicketSort  sort;
} columns[] = {
  { N_("Number"), CD_TICKET_SORT_NUMBER },
  { N_("Category"), CD_TICKET_SORT_CATEGORY },
  { N_("Address"), CD_TICKET_SORT_ADDRESS },
  { N_("Executor"), CD_TICKET_SORT_EXECUTOR },
  { N_("SLA target"), CD_TICKET_SORT_TARGET },
  { N_("Due"), CD_TICKET_SORT_DUE },
  { N_("Overdue by"), CD_TICKET_SORT_OVERDUE_BY },
  { N_("State"), CD_TICKET_SORT_STATE },
};
G_STATIC_ASSERT (G_N_ELEMENTS (columns) == N_LIST_COLUMNS);

static const char * const scope_titles[N_SCOPES] = {
  [SCOPE_ATTENTION] = N_("Breached or at risk"),
  [CD_OVERDUE_TILE_BREACHED] = N_("Breached now"),
  [CD_OVERDUE_TILE_AT_RISK] = N_("At risk within the hour"),
  [CD_OVERDUE_TILE_STALE] = N_("Stale: no progress"),
  [CD_OVERDUE_TILE_REOPENED] = N_("Reopened this week"),
  [SCOPE_ALL] = N_("All open tickets"),
};

/* The columns of the CSV export: codes, as --json has them. */
static const CdTicketColumn csv_columns[] = {
  CD_TICKET_COLUMN_NUMBER, CD_TICKET_COLUMN_KIND, CD_TICKET_COLUMN_CATEGORY,
  CD_TICKET_COLUMN_ADDRESS, CD_TICKET_COLUMN_EXECUTOR, CD_TICKET_COLUMN_TARGET,
  CD_TICKET_COLUMN_DUE, CD_TICKET_COLUMN_OVERDUE_SECONDS, CD_TICKET_COLUMN_STATE,
};

static const char * const kinds[] = { "emergency", "routine", "paid", "complaint", "information" };
static const char * const open_states[] = {
  "registered", "assigned", "accepted", "in_progress", "waiting", "resolved", "reopened",
};

static gint64
get_now (CdOverduePage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  return context != NULL ? cd_context_get_now (context) : g_get_real_time () / G_USEC_PER_SEC;
}

static CdTicketListModel *
get_model (CdOverduePage *self)
{
  return self->source != NULL ? cd_overdue_source_get_model (self->source) : NULL;
}

/* The window's toasts, found as the overlay the page sits in rather than
 * through the window, which includes the pages. */
static void
add_toast (CdOverduePage *self,
           AdwToast      *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
show_error (CdOverduePage *self,
            const GError  *error)
{
  g_warning ("%s", error->message);
  add_toast (self, adw_toast_new (error->message));
}

/* The dropdown's choice, NULL for its first entry ("All …"). */
static const char *
filter_value (CdOverduePage *self,
              guint          which)
{
  GtkDropDown *dropdown = self->filters[which];
  guint selected = gtk_drop_down_get_selected (dropdown);
  GtkStringObject *item;

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  item = gtk_drop_down_get_selected_item (dropdown);
  return g_object_get_data (G_OBJECT (item), "value");
}

static void
update_count (CdOverduePage *self)
{
  CdTicketListModel *model = get_model (self);
  guint shown = model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
  guint total = model != NULL ? cd_ticket_list_model_get_total (model) : 0;
  g_autofree char *text = NULL;
  g_autofree char *brief = NULL;

  /* Translators: the count of tickets in the list below the filters. */
  text = g_strdup_printf (ngettext ("%u of %u open ticket", "%u of %u open tickets", total), shown,
                          total);
  /* The filters take the row's width: the short form shows, the sentence
   * is the tooltip and what a screen reader says. */
  brief = g_strdup_printf ("%u / %u", shown, total);
  gtk_label_set_label (self->count_label, brief);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->count_label), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text, -1);

  if (shown > 0)
    {
      gtk_stack_set_visible_child_name (self->list_stack, "list");
      return;
    }

  gtk_stack_set_visible_child_name (self->list_stack, "empty");
  if ((self->scope == SCOPE_ATTENTION || self->scope == CD_OVERDUE_TILE_BREACHED) && total > 0 &&
      gtk_editable_get_text (cd_page_get_search_entry (CD_PAGE (self)))[0] == '\0')
    {
      adw_status_page_set_icon_name (self->list_status, "emblem-ok-symbolic");
      adw_status_page_set_title (self->list_status, _("No Overdue Tickets"));
      adw_status_page_set_description (
          self->list_status, self->scope == SCOPE_ATTENTION
                                 ? _("No open ticket is past its deadline or due within the hour.")
                                 : _("Everything is on time."));
    }
  else
    {
      adw_status_page_set_icon_name (self->list_status, "edit-find-symbolic");
      adw_status_page_set_title (self->list_status, _("No Tickets Match"));
      adw_status_page_set_description (
          self->list_status,
          _("Try another number, address or phone, or clear a filter or a tile."));
    }
}

static void
apply_filter (CdOverduePage *self)
{
  const char *search;
  CdTicketFilter filter = { 0 };

  if (self->source == NULL || self->updating)
    return;

  search = gtk_editable_get_text (cd_page_get_search_entry (CD_PAGE (self)));
  filter.district = filter_value (self, FILTER_DISTRICT);
  filter.category = filter_value (self, FILTER_CATEGORY);
  filter.executor = filter_value (self, FILTER_EXECUTOR);
  filter.kind = filter_value (self, FILTER_KIND);
  filter.policy = filter_value (self, FILTER_TARGET);
  filter.state = filter_value (self, FILTER_STATE);
  filter.search = search != NULL && *search != '\0' ? search : NULL;
  filter.attention = self->scope == SCOPE_ATTENTION;
  filter.tile = self->scope > SCOPE_ATTENTION && self->scope < SCOPE_ALL ? self->scope
                                                                         : CD_OVERDUE_TILE_NONE;
  /* A reopened ticket may be closed again by now: it still counts. */
  filter.open_only = filter.tile != CD_OVERDUE_TILE_REOPENED;

  gtk_stack_set_visible_child_name (self->list_stack, "loading");
  cd_overdue_source_set_filter (self->source, &filter);
}

static void
on_filter_changed (CdOverduePage *self)
{
  apply_filter (self);
}

/* The tiles and the "Show" dropdown say the same: a pressed tile is its
 * entry, and no tile pressed is the first or the last entry. */
static void
set_scope (CdOverduePage *self,
           guint          scope)
{
  if (scope >= N_SCOPES)
    return;
  self->scope = scope;
  self->updating = TRUE;
  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    if (self->tile_buttons[i] != NULL)
      gtk_toggle_button_set_active (self->tile_buttons[i], i == scope);
  gtk_drop_down_set_selected (self->scope_filter, scope);
  self->updating = FALSE;
  apply_filter (self);
}

static void
on_scope_changed (CdOverduePage *self)
{
  if (!self->updating)
    set_scope (self, gtk_drop_down_get_selected (self->scope_filter));
}
/* The name a person reads for the code a filter (or its breakdown)
 * chooses by: "Heating" for `housing.heating`, "ЖЭС № 3" for `zhes-3`. */
static const char *
label_for (CdOverduePage *self,
           guint          which,
           const char    *code)
{
  CdSlaLibrary *library;
  CdStore *store;

  switch (which)
    {
    case FILTER_DISTRICT:
      return cd_store_reference_name (cd_page_get_store (CD_PAGE (self)), CD_REFERENCE_DISTRICT,
                                      code);
    case FILTER_CATEGORY:
      return cd_category_label_for_code (code);
    case FILTER_EXECUTOR:
      return cd_store_reference_name (cd_page_get_store (CD_PAGE (self)), CD_REFERENCE_EXECUTOR,
                                      code);
    case FILTER_KIND:
      return cd_ticket_kind_label_for_code (code);
    case FILTER_TARGET:
      store = cd_page_get_store (CD_PAGE (self));
      library = store != NULL ? cd_store_get_sla_library (store, NULL) : NULL;
      return cd_sla_library_policy_label (library, code);
    case FILTER_STATE:
      return cd_ticket_state_label_for_code (code);
    default:
      return code;
    }
}

static void
set_choices (CdOverduePage      *self,
             guint               which,
             const char         *all,
             const char * const *values,
             guint               n_values)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const char *current = filter_value (self, which);
  g_autofree char *keep = g_strdup (current);
  guint selected = 0;

  gtk_string_list_append (list, all);
  for (guint i = 0; i < n_values; i++)
    {
      g_autoptr(GtkStringObject) item = NULL;
      const char *label = values[i];

      if (*values[i] == '\0')
        label = _("Unassigned");
      else
        label = label_for (self, which, values[i]);
      gtk_string_list_append (list, label);
      item = g_list_model_get_item (G_LIST_MODEL (list), i + 1);
      g_object_set_data_full (G_OBJECT (item), "value", g_strdup (values[i]), g_free);
      if (g_strcmp0 (keep, values[i]) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_model (self->filters[which], G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->filters[which], selected);
}

typedef struct
{
  CdOverduePage *page;
  guint          filter;
} LabelOrder;

static int
compare_labels (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const LabelOrder *order = user_data;
  const char *key_a = *(const char * const *) a;
  const char *key_b = *(const char * const *) b;

  return g_utf8_collate (label_for (order->page, order->filter, key_a),
                         label_for (order->page, order->filter, key_b));
}

static void
update_filter_choices (CdOverduePage *self)
{
  static const struct {
    guint              filter;
    CdOverdueDimension dimension;
    const char        *all;
  } from_groups[] = {
    { FILTER_DISTRICT, CD_OVERDUE_BY_DISTRICT, N_("All districts") },
    { FILTER_CATEGORY, CD_OVERDUE_BY_CATEGORY, N_("All categories") },
    { FILTER_EXECUTOR, CD_OVERDUE_BY_EXECUTOR, N_("All executors") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (from_groups); i++)
    {
      GPtrArray *groups = cd_overdue_source_get_groups (self->source, from_groups[i].dimension);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();
      LabelOrder order = { self, from_groups[i].filter };

      if (groups == NULL)
        return;
      for (guint j = 0; j < groups->len; j++)
        g_ptr_array_add (keys, ((CdOverdueGroup *) g_ptr_array_index (groups, j))->key);
      g_ptr_array_sort_with_data (keys, compare_labels, &order);
      set_choices (self, from_groups[i].filter, _(from_groups[i].all),
                   (const char * const *) keys->pdata, keys->len);
    }
  set_choices (self, FILTER_KIND, _("All kinds"), kinds, G_N_ELEMENTS (kinds));
  {
    GPtrArray *policies = cd_overdue_source_get_policies (self->source);

    if (policies != NULL)
      set_choices (self, FILTER_TARGET, _("All SLA targets"),
                   (const char * const *) policies->pdata, policies->len);
  }
  set_choices (self, FILTER_STATE, _("All states"), open_states, G_N_ELEMENTS (open_states));
}

static GtkWidget *
grid_label (const char *text,
            float       xalign,
            const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_justify (GTK_LABEL (label), xalign > 0.5 ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
  /* A heading such as "Ең ұзақ кешігу" wraps on a narrow window rather
   * than lose its end; figures are short and never cut. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_widget_set_valign (label, g_strcmp0 (style, "caption-heading") == 0 ? GTK_ALIGN_END
                                                                          : GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "numeric");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static const guint dimension_filters[CD_OVERDUE_N_DIMENSIONS] = {
  [CD_OVERDUE_BY_EXECUTOR] = FILTER_EXECUTOR,
  [CD_OVERDUE_BY_DISTRICT] = FILTER_DISTRICT,
  [CD_OVERDUE_BY_CATEGORY] = FILTER_CATEGORY,
};

/* A group's name filters the list to it, like choosing it in its dropdown. */
static void
on_group_clicked (GtkButton     *button,
                  CdOverduePage *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "key");
  GtkDropDown *dropdown = self->filters[dimension_filters[self->dimension]];
  GListModel *choices = gtk_drop_down_get_model (dropdown);

  for (guint i = 1; choices != NULL && i < g_list_model_get_n_items (choices); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (choices, i);

      if (g_strcmp0 (g_object_get_data (item, "value"), key) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
}

static GtkWidget *
group_button (CdOverduePage *self,
              const char    *name,
              const char    *key)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (name);
  g_autofree char *tooltip = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_NONE);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "breakdown-group");
  /* Translators: the tooltip of a name in the breakdown, e.g. "Show only ZhES No. 3". */
  tooltip = g_strdup_printf (_("Show only %s"), name);
  if (*key != '\0' && g_strcmp0 (name, key) != 0)
    {
      /* The code under the name, for whoever knows the code. */
      g_autofree char *named = g_steal_pointer (&tooltip);

      tooltip = g_strdup_printf ("%s\n%s", named, key);
    }
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "key", g_strdup (key), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_group_clicked), self, 0);
  return button;
}

static void
update_breakdown (CdOverduePage *self)
{
  GPtrArray *groups = self->source != NULL
                          ? cd_overdue_source_get_groups (self->source, self->dimension)
                          : NULL;
  GtkWidget *child;
  const char *headings[] = { NULL, N_("Open"), N_("Overdue"), N_("Worst overdue"), N_("On time") };
  const char *first[] = { N_("Executor"), N_("District"), N_("Category") };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->breakdown_grid))) != NULL)
    gtk_grid_remove (self->breakdown_grid, child);

  if (groups == NULL)
    return;

  for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
    {
      GtkWidget *label = grid_label (_(c == 0 ? first[self->dimension] : headings[c]),
                                     c == 0 ? 0.0 : 1.0, "caption-heading");

      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_hexpand (label, c == 0);
      gtk_grid_attach (self->breakdown_grid, label, c, 0, 1, 1);
    }

  for (guint i = 0; i < groups->len; i++)
    {
      const CdOverdueGroup *g = g_ptr_array_index (groups, i);
      double share = cd_overdue_group_on_time_share (g);
      g_autofree char *open = g_strdup_printf ("%" G_GINT64_FORMAT, g->open);
      g_autofree char *overdue = g_strdup_printf ("%" G_GINT64_FORMAT, g->overdue);
      g_autofree char *worst = g->worst_overdue > 0 ? cd_format_duration (g->worst_overdue)
                                                    : g_strdup ("—");
      /* Translators: a share of tickets on time, e.g. "87%". */
      g_autofree char *on_time = share >= 0 ? g_strdup_printf (_("%.0f%%"), 100.0 * share)
                                            : g_strdup ("—");
      const char *name = *g->key != '\0'
                         ? label_for (self, dimension_filters[self->dimension], g->key)
                         : _("Unassigned");
      guint row = i + 1;

      gtk_grid_attach (self->breakdown_grid, group_button (self, name, g->key), 0, row, 1, 1);
      gtk_grid_attach (self->breakdown_grid, grid_label (open, 1.0, NULL), 1, row, 1, 1);
      gtk_grid_attach (self->breakdown_grid,
                       grid_label (overdue, 1.0, g->overdue > 0 ? "error" : NULL), 2, row, 1, 1);
      gtk_grid_attach (self->breakdown_grid, grid_label (worst, 1.0, NULL), 3, row, 1, 1);
      gtk_grid_attach (self->breakdown_grid, grid_label (on_time, 1.0, NULL), 4, row, 1, 1);
    }
}

static void
update_tiles (CdOverduePage *self)
{
  const CdOverdueTiles *tiles = cd_overdue_source_get_tiles (self->source);

  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    {
      gint64 n = tiles->counts[i];
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      g_autofree char *description = NULL;

      gtk_label_set_label (self->tile_numbers[i], number);
      if (tile_info[i].style != NULL)
        {
          if (n > 0)
            gtk_widget_add_css_class (GTK_WIDGET (self->tile_numbers[i]), tile_info[i].style);
          else
            gtk_widget_remove_css_class (GTK_WIDGET (self->tile_numbers[i]), tile_info[i].style);
        }
      /* Translators: what a screen reader says of a tile: "12 tickets: Breached now". */
      description = g_strdup_printf (ngettext ("%s ticket: %s", "%s tickets: %s", n), number,
                                     _(tile_info[i].title));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->tile_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
    }
  cd_page_set_badge (CD_PAGE (self),
                     (guint) MIN (tiles->counts[CD_OVERDUE_TILE_BREACHED], G_MAXUINT));
}

static void
on_figures_changed (CdOverduePage *self)
{
  const CdOverdueTiles *tiles = cd_overdue_source_get_tiles (self->source);

  self->updating = TRUE;
  update_tiles (self);
  update_breakdown (self);
  update_filter_choices (self);
  self->updating = FALSE;

  /* A cache with no ticket at all keeps the page's "No Tickets Yet". */
  cd_page_set_empty (CD_PAGE (self),
                     tiles->open == 0 && tiles->counts[CD_OVERDUE_TILE_REOPENED] == 0);
}

static void
on_list_changed (CdOverduePage *self)
{
  update_count (self);
}

static void
on_model_changed (CdOverduePage *self)
{
  CdTicketListModel *model = get_model (self);

  if (model != NULL)
    {
      g_autoptr(GtkMultiSelection) selection = gtk_multi_selection_new (
          g_object_ref (G_LIST_MODEL (model)));

      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
    }
  else
    gtk_column_view_set_model (self->column_view, NULL);
}

/**
 * cd_overdue_page_refresh:
 * @self: a #CdOverduePage
 *
 * Reads the tiles, the breakdown and the list again from the cache, off
 * the main loop; cd_overdue_page_get_loading() says when they are read.
 */
void
cd_overdue_page_refresh (CdOverduePage *self)
{
  g_return_if_fail (CD_IS_OVERDUE_PAGE (self));

  cd_page_refresh (CD_PAGE (self));
}

/**
 * cd_overdue_page_get_loading:
 * @self: a #CdOverduePage
 *
 * Returns: whether the page waits for its source: a query runs, or none has
 *   been read yet
 */
gboolean
cd_overdue_page_get_loading (CdOverduePage *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), FALSE);

  return self->source == NULL || cd_source_get_loading (CD_SOURCE (self->source)) ||
         !cd_source_get_ready (CD_SOURCE (self->source));
}

static void
cd_overdue_page_refresh_page (CdPage *page)
{
  CdOverduePage *self = CD_OVERDUE_PAGE (page);

  if (self->source != NULL)
    cd_source_refresh (CD_SOURCE (self->source));
}

/* The window gives the page its context: the page makes its source. */
static void
on_context_changed (CdOverduePage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  if (context != NULL)
    {
      self->source = cd_overdue_source_new (context);
      g_signal_connect_object (self->source, "figures-changed", G_CALLBACK (on_figures_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->source, "list-changed", G_CALLBACK (on_list_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->source, "notify::model", G_CALLBACK (on_model_changed), self,
                               G_CONNECT_SWAPPED);
      apply_filter (self);
      cd_source_refresh (CD_SOURCE (self->source));
    }
  on_model_changed (self);
}

static void
on_tile_toggled (CdOverduePage   *self,
                 GtkToggleButton *button)
{
  guint tile = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tile"));

  if (self->updating)
    return;
  if (gtk_toggle_button_get_active (button))
    set_scope (self, tile);
  else if (self->scope == tile)
    set_scope (self, SCOPE_ATTENTION);
}

static void
on_dimension_toggled (CdOverduePage   *self,
                      GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  self->dimension = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "dimension"));
  update_breakdown (self);
}

/* The ticket a cell shows. */
static const CdTicket *
item_ticket (GtkListItem *item)
{
  CdTicketObject *object = gtk_list_item_get_item (item);

  return object != NULL ? cd_ticket_object_get_ticket (object) : NULL;
}

static void
update_countdown (CdOverduePage  *self,
                  GtkInscription *cell,
                  const CdTicket *t,
                  gint64          now)
{
  g_autofree char *text = NULL;
  gboolean overdue, at_risk;

  if (t == NULL || t->due_at == 0 || !cd_ticket_is_open (t) || t->state == CD_TICKET_STATE_RESOLVED)
    {
      gtk_inscription_set_text (cell, t != NULL && t->due_at == 0 ? "—" : "");
      gtk_widget_remove_css_class (GTK_WIDGET (cell), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (cell), "warning");
      return;
    }
  text = cd_format_remaining (t->due_at - now);
  overdue = t->due_at < now;
  at_risk = !overdue && t->due_at < now + CD_OVERDUE_AT_RISK_WINDOW;
  gtk_inscription_set_text (cell, text);
  if (overdue)
    gtk_widget_add_css_class (GTK_WIDGET (cell), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (cell), "error");
  if (at_risk)
    gtk_widget_add_css_class (GTK_WIDGET (cell), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (cell), "warning");
}

static gboolean
on_tick (gpointer user_data)
{
  CdOverduePage *self = user_data;
  gint64 now = get_now (self);
  GHashTableIter iter;
  gpointer cell, item;

  g_hash_table_iter_init (&iter, self->countdowns);
  while (g_hash_table_iter_next (&iter, &cell, &item))
    update_countdown (self, cell, item_ticket (item), now);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_cell_query_tooltip (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));
  const char *code = g_object_get_data (G_OBJECT (cell), "code");

  if (text == NULL || *text == '\0')
    return FALSE;
  if (code != NULL && g_strcmp0 (code, text) != 0)
    {
      /* The name, and under it the code it stands for. */
      g_autofree char *both = g_strdup_printf ("%s\n%s", text, code);

      gtk_tooltip_set_text (tooltip, both);
    }
  else
    gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The width of the widest of @texts as @widget draws it, with the
 * tabular digits of the .numeric cells. */
static int
widest_text_width (GtkWidget  *widget,
                   GPtrArray  *texts)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  int widest = 0;

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  for (guint i = 0; i < texts->len; i++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget,
                                                                       g_ptr_array_index (texts,
                                                                                          i));
      int width;

      pango_layout_set_attributes (layout, attrs);
      pango_layout_get_pixel_size (layout, &width, NULL);
      widest = MAX (widest, width);
    }
  return widest;
}

/* "Due", "Overdue by" and "State" show texts whose length is known in
 * advance: their columns are as wide as the longest one in the reader's
 * language (a Kazakh countdown is half as long again as the English
 * one), so they are never cut, whatever the row. */
static int
measured_column_width (CdOverduePage *self,
                       guint          column)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (self->measured_widths[column] > 0)
    return self->measured_widths[column];

  if (column == 5)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      /* Each month, with the year as in a deadline of another year, and
       * each weekday as within the coming week. */
      for (int month = 1; month <= 12; month++)
        {
          g_autoptr(GDateTime) due = g_date_time_new_local (g_date_time_get_year (now) - 1, month,
                                                             28, 23, 59, 0);

          g_ptr_array_add (texts, cd_format_deadline (due, now));
        }
      for (int day = 1; day < 7; day++)
        {
          g_autoptr(GDateTime) due = g_date_time_add_days (now, day);

          g_ptr_array_add (texts, cd_format_deadline (due, now));
        }
    }
  else if (column == 6)
    {
      static const gint64 remaining[] = {
        -(999 * 86400 + 23 * 3600),
        -(23 * 3600 + 59 * 60),
        999 * 86400 + 23 * 3600,
        23 * 3600 + 59 * 60,
        0,
      };

      for (guint i = 0; i < G_N_ELEMENTS (remaining); i++)
        g_ptr_array_add (texts, cd_format_remaining (remaining[i]));
    }
  else
    {
      /* The list holds open tickets only. */
      for (guint i = 0; i < G_N_ELEMENTS (open_states); i++)
        g_ptr_array_add (texts, g_strdup (cd_ticket_state_label_for_code (open_states[i])));
    }
  self->measured_widths[column] = widest_text_width (GTK_WIDGET (self->column_view), texts) + 4;
  return self->measured_widths[column];
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CdOverduePage            *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *cell = gtk_inscription_new (NULL);
  /* Free text (a category, an address, a name) gives way, with its
   * whole in a tooltip, so that the number, the times and the state,
   * which are never cut, fit beside it on a laptop's screen. */
  static const guint min_chars[] = { 11, 8, 6, 8, 8, 0, 0, 0 };
  static const guint nat_chars[] = { 12, 20, 34, 16, 22, 0, 0, 0 };

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), min_chars[column]);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), nat_chars[column]);
  if (column == 0 || column == 5 || column == 6)
    gtk_widget_add_css_class (cell, "numeric");
  if (column >= 5)
    gtk_widget_set_size_request (cell, measured_column_width (self, column), -1);
  /* The full text of an ellipsized cell, asked for only on hover: setting
   * a tooltip at each bind costs an X round trip per cell. */
  gtk_widget_set_has_tooltip (cell, TRUE);
  g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
  gtk_list_item_set_child (item, cell);
}

static GtkInscription *
cell_inscription (GtkListItem *item)
{
  return GTK_INSCRIPTION (gtk_list_item_get_child (item));
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CdOverduePage            *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkInscription *cell = cell_inscription (item);
  const CdTicket *t = item_ticket (item);
  g_autofree char *text = NULL;
  const char *code = NULL;

  if (t == NULL)
    return;

  switch (column)
    {
    case 0:
      text = g_strdup (t->number);
      /* A ticket a supervisor escalated or reminded is marked (underlined,
       * in the warning colour: a mark that takes no width from the
       * columns), and the tooltip and a screen reader say why. */
      if (t->escalations > 0 || t->reminders > 0)
        {
          g_autoptr(GString) why = g_string_new (NULL);

          if (t->escalations > 0)
            /* Translators: said of a ticket's number in the list. */
            g_string_append_printf (why,
                                    ngettext ("Escalated %u time", "Escalated %u times",
                                              t->escalations),
                                    t->escalations);
          if (t->reminders > 0)
            {
              if (why->len > 0)
                g_string_append_c (why, '\n');
              /* Translators: said of a ticket's number in the list. */
              g_string_append_printf (why,
                                      ngettext ("Executor reminded %u time",
                                                "Executor reminded %u times", t->reminders),
                                      t->reminders);
            }
          gtk_widget_add_css_class (GTK_WIDGET (cell), "marked");
          g_object_set_data_full (G_OBJECT (cell), "code", g_strdup (why->str), g_free);
          gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why->str, -1);
          gtk_inscription_set_text (cell, text);
          return;
        }
      gtk_widget_remove_css_class (GTK_WIDGET (cell), "marked");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      break;
    case 1:
      code = t->category;
      text = g_strdup (label_for (self, FILTER_CATEGORY, code));
      break;
    case 2:
      text = cd_ticket_format_address_in (cd_page_get_store (CD_PAGE (self)), t);
      break;
    case 3:
      code = t->executor;
      text = g_strdup (code != NULL ? label_for (self, FILTER_EXECUTOR, code) : _("Unassigned"));
      break;
    case 4:
      code = t->policy != NULL ? t->policy : cd_ticket_kind_to_string (t->kind);
      text = g_strdup (label_for (self, t->policy != NULL ? FILTER_TARGET : FILTER_KIND, code));
      break;
    case 5:
      if (t->due_at != 0)
        {
          g_autoptr(GDateTime) due = g_date_time_new_from_unix_local (t->due_at);
          g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (get_now (self));

          text = cd_format_deadline (due, now);
        }
      else
        text = g_strdup ("—");
      break;
    case 6:
      g_hash_table_insert (self->countdowns, cell, item);
      update_countdown (self, cell, t, get_now (self));
      return;
    case 7:
      code = cd_ticket_state_to_string (t->state);
      text = g_strdup (cd_ticket_state_get_label (t->state));
      break;
    default:
      break;
    }
  g_object_set_data_full (G_OBJECT (cell), "code", g_strdup (code), g_free);
  gtk_inscription_set_text (cell, text);
}

static void
on_cell_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CdOverduePage            *self)
{
  g_hash_table_remove (self->countdowns, cell_inscription (item));
}

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  CdOverduePage *self = g_object_get_data (G_OBJECT (a), "page");

  if (self != NULL && self->probed_column < 0)
    self->probed_column = GPOINTER_TO_INT (user_data);
  return GTK_ORDERING_SMALLER;
}

/* GTK 4.8 has no gtk_column_view_sorter_get_primary_sort_column() (4.10):
 * the view's sorter is asked to compare two probe objects, and the first
 * column sorter it consults is the primary one; the sign it returns is
 * the direction. The sorting itself is done in SQL by the model. */
static void
on_sort_changed (CdOverduePage *self)
{
  GtkSorter *sorter;
  GtkOrdering order;

  /* The view's columns go while the page is disposed. */
  if (self->source == NULL || self->column_view == NULL)
    return;
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->probed_column = -1;
  order = gtk_sorter_compare (sorter, self->probe_items[0], self->probe_items[1]);
  if (self->probed_column < 0)
    return;
  cd_overdue_source_set_sort (self->source, columns[self->probed_column].sort,
                              order == GTK_ORDERING_LARGER);
}

static void
on_activate (CdOverduePage *self,
             guint          position)
{
  g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (get_model (self)),
                                                             position);

  if (object != NULL)
    cd_overdue_page_open_ticket (self, cd_ticket_object_get_ticket (object)->number);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    CdOverduePage   *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      if (!cd_overdue_page_export (self, file, &error))
        show_error (self, error);
      else
        {
          guint n = g_list_model_get_n_items (G_LIST_MODEL (get_model (self)));
          g_autofree char *title = g_strdup_printf (ngettext ("Exported %u ticket",
                                                              "Exported %u tickets", n),
                                                    n);

          add_toast (self, adw_toast_new (title));
        }
    }
  g_object_unref (dialog);
}

static void
on_export_clicked (CdOverduePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  if (get_model (self) == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Tickets"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), _("overdue-tickets.csv"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/**
 * cd_overdue_page_export:
 * @self: a #CdOverduePage
 * @file: where to write
 * @error: return location for an error
 *
 * Writes the list as it is filtered and sorted now to @file as CSV.
 *
 * Returns: whether it was written
 */
gboolean
cd_overdue_page_export (CdOverduePage  *self,
                        GFile          *file,
                        GError        **error)
{
  g_autoptr(GFileOutputStream) out = NULL;

  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), FALSE);
  g_return_val_if_fail (get_model (self) != NULL, FALSE);

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);
  if (out == NULL)
    return FALSE;
  return cd_ticket_list_model_write_csv (get_model (self), G_OUTPUT_STREAM (out), csv_columns,
                                         G_N_ELEMENTS (csv_columns), get_now (self), NULL, error) &&
         g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

/**
 * cd_overdue_page_open_ticket:
 * @self: a #CdOverduePage
 * @number: a ticket's number
 *
 * Opens the ticket view.
 *
 * Returns: (transfer none) (nullable): the ticket's window
 */
GtkWindow *
cd_overdue_page_open_ticket (CdOverduePage *self,
                             const char    *number)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  CdTicketWindow *window;

  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), NULL);
  g_return_val_if_fail (context != NULL, NULL);

  window = cd_ticket_window_new (context, number);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (window),
                                  gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

GtkToggleButton *
cd_overdue_page_get_tile (CdOverduePage *self,
                          CdOverdueTile  tile)
{
  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), NULL);
  g_return_val_if_fail (tile > CD_OVERDUE_TILE_NONE && tile < CD_OVERDUE_N_TILES, NULL);

  return self->tile_buttons[tile];
}

const char *
cd_overdue_page_get_tile_text (CdOverduePage *self,
                               CdOverdueTile  tile)
{
  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), NULL);
  g_return_val_if_fail (tile > CD_OVERDUE_TILE_NONE && tile < CD_OVERDUE_N_TILES, NULL);

  return gtk_label_get_label (self->tile_numbers[tile]);
}

void
cd_overdue_page_set_dimension (CdOverduePage      *self,
                               CdOverdueDimension  dimension)
{
  g_return_if_fail (CD_IS_OVERDUE_PAGE (self));
  g_return_if_fail (dimension < CD_OVERDUE_N_DIMENSIONS);

  gtk_toggle_button_set_active (self->dimension_buttons[dimension], TRUE);
}

/**
 * cd_overdue_page_get_breakdown_cell:
 * @self: a #CdOverduePage
 * @row: a row of the breakdown, 0 for the headings
 * @column: 0 for the name, then open, overdue, worst, on time
 *
 * Returns: (nullable): the text shown there
 */
const char *
cd_overdue_page_get_breakdown_cell (CdOverduePage *self,
                                    guint          row,
                                    guint          column)
{
  GtkWidget *child;

  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), NULL);

  child = gtk_grid_get_child_at (self->breakdown_grid, column, row);
  if (GTK_IS_BUTTON (child))
    child = gtk_button_get_child (GTK_BUTTON (child));
  return child != NULL ? gtk_label_get_label (GTK_LABEL (child)) : NULL;
}

GListModel *
cd_overdue_page_get_model (CdOverduePage *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), NULL);

  return get_model (self) != NULL ? G_LIST_MODEL (get_model (self)) : NULL;
}

GtkColumnView *
cd_overdue_page_get_column_view (CdOverduePage *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), NULL);

  return self->column_view;
}

guint
cd_overdue_page_get_n_countdowns (CdOverduePage *self)
{
  g_return_val_if_fail (CD_IS_OVERDUE_PAGE (self), 0);

  return g_hash_table_size (self->countdowns);
}

static void
build_tiles (CdOverduePage *self,
             GtkBox        *box)
{
  for (guint i = CD_OVERDUE_TILE_NONE + 1; i < CD_OVERDUE_N_TILES; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *icon = gtk_image_new_from_icon_name (tile_info[i].icon_name);
      /* No figure until the source has read one. */
      GtkWidget *number = gtk_label_new ("—");
      GtkWidget *caption = gtk_label_new (_(tile_info[i].title));

      gtk_widget_add_css_class (number, "title-1");
      gtk_widget_add_css_class (number, "numeric");
      gtk_label_set_xalign (GTK_LABEL (number), 0);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      /* Captions run a third longer in Russian or Kazakh: they wrap, and
       * the homogeneous row keeps its tiles the same height. */
      gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (caption), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_natural_wrap_mode (GTK_LABEL (caption), GTK_NATURAL_WRAP_NONE);
      gtk_widget_set_valign (caption, GTK_ALIGN_START);
      if (tile_info[i].style != NULL)
        gtk_widget_add_css_class (icon, tile_info[i].style);
      gtk_image_set_icon_size (GTK_IMAGE (icon), GTK_ICON_SIZE_LARGE);
      gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);

      gtk_box_append (GTK_BOX (hbox), icon);
      gtk_box_append (GTK_BOX (hbox), number);
      gtk_box_append (GTK_BOX (vbox), hbox);
      gtk_box_append (GTK_BOX (vbox), caption);
      gtk_widget_set_margin_top (vbox, 6);
      gtk_widget_set_margin_bottom (vbox, 6);
      gtk_widget_set_margin_start (vbox, 6);
      gtk_widget_set_margin_end (vbox, 6);
      gtk_button_set_child (GTK_BUTTON (button), vbox);
      gtk_widget_add_css_class (button, "card");
      gtk_widget_add_css_class (button, "overdue-tile");
      /* Translators: the tooltip of a dashboard tile. */
      gtk_widget_set_tooltip_text (button, _("Show only these tickets"));

      g_object_set_data (G_OBJECT (button), "tile", GUINT_TO_POINTER (i));
      g_signal_connect_object (button, "toggled", G_CALLBACK (on_tile_toggled), self,
                               G_CONNECT_SWAPPED);
      self->tile_buttons[i] = GTK_TOGGLE_BUTTON (button);
      self->tile_numbers[i] = GTK_LABEL (number);
      gtk_box_append (box, button);
    }
}

static void
build_columns (CdOverduePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      g_object_set_data (G_OBJECT (factory), "column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), self);
      g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind), self);

      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, i == 2);
      sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, GINT_TO_POINTER (i), NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->column_view, column);
      if (columns[i].sort == CD_TICKET_SORT_OVERDUE_BY)
        gtk_column_view_sort_by_column (self->column_view, column, GTK_SORT_DESCENDING);
      g_object_unref (column);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sort_changed), self, G_CONNECT_SWAPPED);
}

static void
cd_overdue_page_dispose (GObject *object)
{
  CdOverduePage *self = CD_OVERDUE_PAGE (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_object (&self->probe_items[0]);
  g_clear_object (&self->probe_items[1]);
  g_clear_pointer (&self->countdowns, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_OVERDUE_PAGE);

  G_OBJECT_CLASS (cd_overdue_page_parent_class)->dispose (object);
}

/* The selected tickets go to the window's action dialog; with nothing
 * selected, the ticket under the focus. */
static void
act_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CdOverduePage *self = CD_OVERDUE_PAGE (widget);
  GtkSelectionModel *selection = gtk_column_view_get_model (self->column_view);
  g_autoptr(GtkBitset) selected = NULL;
  g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  GtkBitsetIter iter;
  guint position;

  if (selection == NULL)
    return;
  selected = gtk_selection_model_get_selection (selection);
  /* A thousand at once is a mistake more often than a plan. */
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more && gtk_bitset_get_size (selected) <= 1000;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(CdTicketObject) object = g_list_model_get_item (G_LIST_MODEL (selection), position);

      if (object != NULL)
        g_strv_builder_add (numbers, cd_ticket_object_get_ticket (object)->number);
    }
  strv = g_strv_builder_end (numbers);
  if (strv[0] == NULL)
    {
      add_toast (self, adw_toast_new (gtk_bitset_get_size (selected) > 1000
                                      ? _("Select at most 1,000 tickets to act on at once")
                                      : _("Select the tickets to act on first")));
      return;
    }
  gtk_widget_activate_action (widget, "win.act-on-tickets", "^as", strv);
}

static void
league_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CdOverduePage *self = CD_OVERDUE_PAGE (widget);
  CdContext *context = cd_page_get_context (CD_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (widget);
  CdLeagueWindow *window;

  if (context == NULL || cd_context_get_store (context) == NULL)
    return;
  window = cd_league_window_new (context);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  on_export_clicked (CD_OVERDUE_PAGE (widget));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cd_overdue_page_refresh (CD_OVERDUE_PAGE (widget));
}

static void
cd_overdue_page_class_init (CdOverduePageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_overdue_page_dispose;
  page_class->refresh = cd_overdue_page_refresh_page;

  g_type_ensure (CD_TYPE_OVERDUE_SOURCE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-overdue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, tiles);
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, breakdown_grid);
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, scope_filter);
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, count_label);
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, list_status);
  gtk_widget_class_bind_template_child (widget_class, CdOverduePage, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "by_executor", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage, dimension_buttons[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "by_district", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage, dimension_buttons[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "by_category", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage, dimension_buttons[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "district_filter", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage,
                                                              filters[FILTER_DISTRICT]));
  gtk_widget_class_bind_template_child_full (widget_class, "category_filter", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage,
                                                              filters[FILTER_CATEGORY]));
  gtk_widget_class_bind_template_child_full (widget_class, "executor_filter", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage,
                                                              filters[FILTER_EXECUTOR]));
  gtk_widget_class_bind_template_child_full (widget_class, "kind_filter", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage, filters[FILTER_KIND]));
  gtk_widget_class_bind_template_child_full (widget_class, "target_filter", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage,
                                                              filters[FILTER_TARGET]));
  gtk_widget_class_bind_template_child_full (widget_class, "state_filter", FALSE,
                                             G_STRUCT_OFFSET (CdOverduePage,
                                                              filters[FILTER_STATE]));
  gtk_widget_class_bind_template_callback (widget_class, on_dimension_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_scope_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);

  /* Ctrl+E and F5 as UI.md has them, while the focus is on this page. */
  gtk_widget_class_install_action (widget_class, "overdue.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "overdue.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "overdue.act", NULL, act_action);
  gtk_widget_class_install_action (widget_class, "overdue.league", NULL, league_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "overdue.act", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "overdue.export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "overdue.refresh", NULL);

  page_class->title = N_("Overdue tickets");
  page_class->icon_name = "alarm-symbolic";
  page_class->help_section = "overdue-tickets";
  page_class->empty_title = N_("No Tickets Yet");
  page_class->empty_description = N_(
      "The server holds no open ticket. Tickets past their deadline, close to it, or stuck at an "
      "executor with no progress appear here as they are registered.");
}

static void
cd_overdue_page_init (CdOverduePage *self)
{
  g_autoptr(GtkStringList) scopes = gtk_string_list_new (NULL);

  self->dimension = CD_OVERDUE_BY_EXECUTOR;
  self->scope = SCOPE_ATTENTION;
  self->countdowns = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < 2; i++)
    {
      self->probe_items[i] = g_object_new (G_TYPE_OBJECT, NULL);
      g_object_set_data (self->probe_items[i], "page", self);
    }

  /* Before the template: its "notify::selected" handlers run while it is
   * built, and must find the page quiet. */
  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_SCOPES; i++)
    gtk_string_list_append (scopes, _(scope_titles[i]));
  gtk_drop_down_set_model (self->scope_filter, G_LIST_MODEL (scopes));
  gtk_drop_down_set_selected (self->scope_filter, SCOPE_ATTENTION);
  for (guint i = 0; i < CD_OVERDUE_N_DIMENSIONS; i++)
    g_object_set_data (G_OBJECT (self->dimension_buttons[i]), "dimension", GUINT_TO_POINTER (i));
  build_tiles (self, self->tiles);
  build_columns (self);
  /* Nothing is read yet: the list's spinner, not an empty table. */
  gtk_stack_set_visible_child_name (self->list_stack, "loading");
  self->updating = FALSE;

  g_signal_connect_object (cd_page_get_search_entry (CD_PAGE (self)), "search-changed",
                           G_CALLBACK (apply_filter), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::context", G_CALLBACK (on_context_changed), NULL);
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);
}
