// SPDX-License-Identifier: GPL-3.0-or-later
//
// The quality department's dashboard. By stage: the complaints to
// classify, to answer, awaiting an extension decision, answered and
// systemic, each with its clock (as the SLA engine last judged it) and
// the person responsible, filtered by category, executor, operator and
// district, beside the complaint view: what it is about, the draft answer
// from the template of its class, and its actions (classify, answer or
// refuse, extend, propose), sent through the outbox as ticket actions,
// one per click, for the roles that decide. Figures: the period's tiles,
// by executor and by operator, the residents who complain again and
// again, and the systemic groups. The journal of the period prints, goes
// to PDF and to CSV. The page is the template in cd-complaints-page.ui
// bound to a CdComplaintsSource, which reads off the main loop.

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cd-access.h"
#include "cd-complaints-page.h"
#include "cd-complaints-source.h"
#include "cd-category.h"
#include "cd-complaint-template.h"
#include "cd-complaint-templates.h"
#include "cd-format.h"
#include "cd-journal-print.h"
#include "cd-session.h"
#include "cd-sla-library.h"
#include "cd-sla-policy.h"
#include "cd-store-reference.h"
#include "cd-ticket-window.h"
#include "cd-tile.h"

typedef enum
{
  FILTER_CATEGORY,
  FILTER_EXECUTOR,
  FILTER_OPERATOR,
  FILTER_DISTRICT,
  N_FILTERS
} Filter;

typedef enum
{
  TILE_RECEIVED,
  TILE_ON_TIME,
  TILE_UPHELD,
  TILE_REFUSED,
  TILE_RESIDENT,
  N_TILES
} Tile;

struct _CdComplaintsPage
{
  CdPage              parent_instance;

  /* The template's. */
  AdwViewStack       *views;
  GtkDropDown        *period_choice;
  GtkFlowBox         *stage_box;
  GtkFlowBox         *filter_box;
  GtkListView        *complaint_list;
  GtkLabel           *status_label;
  GtkStack           *detail_stack;
  GtkBox             *detail;
  GtkBox             *figures;
  GtkFlowBox         *tiles;

  GtkToggleButton    *stage_buttons[CD_COMPLAINT_N_STAGES];
  GtkDropDown        *filters[N_FILTERS];
  GPtrArray          *filter_codes[N_FILTERS];   /* (element-type utf8) [0] NULL: all */
  CdTile             *tile_widgets[N_TILES];

  /* The complaint view. */
  GtkLabel           *title_label;
  GtkLabel           *facts_label;
  GtkLabel           *clock_label;
  GtkLabel           *about_label;
  GtkWidget          *open_ticket_button;
  GtkWidget          *recording_button;
  GtkLabel           *role_label;
  GtkWidget          *decide_box;
  GtkWidget          *classify_section;
  GtkWidget          *answer_section;
  GtkLabel           *sent_label;
  GtkDropDown        *class_choice;
  GtkEditable        *responsible_entry;
  GtkEditable        *cause_entry;
  GtkWidget          *classify_button;
  GtkDropDown        *decision_choice;
  GtkDropDown        *favour_choice;
  GtkTextView        *answer_view;
  GtkTextView        *reasons_view;
  GtkLabel           *appeal_label;
  GtkWidget          *answer_button;
  GtkWidget          *extend_box;
  GtkSpinButton      *extend_days;
  GtkEditable        *extend_reason;
  GtkWidget          *extend_button;
  GtkEditable        *propose_entry;
  GtkWidget          *propose_button;
  GtkLabel           *message_label;

  /* The figures' tables, remade at each read. */
  GtkWidget          *executor_table;
  GtkWidget          *operator_table;
  GtkWidget          *repeat_table;
  GtkDropDown        *grouping_choice;
  GtkWidget          *groups_table;

  GtkStringList      *items;      /* the numbers of the complaints shown */
  GtkSingleSelection *selection;
  CdComplaintStage    stage;
  char               *current;    /* the number in the complaint view */
  GHashTable         *pending;    /* "number/action" sent, not yet in the cache */
  CdComplaintTemplates *templates;
  char               *templates_error;
  char               *draft;      /* the answer last drafted into the view */
  gboolean            updating;
};

G_DEFINE_FINAL_TYPE (CdComplaintsPage, cd_complaints_page, CD_TYPE_PAGE)

/* The page's source, which CdPage keeps (see make_source). */
static CdComplaintsSource *
get_source (CdComplaintsPage *self)
{
  return (CdComplaintsSource *) cd_page_get_source (CD_PAGE (self));
}

#define MAX_GROUPS_SHOWN 50

static const char * const stage_names[CD_COMPLAINT_N_STAGES] = {
  [CD_COMPLAINT_STAGE_TO_CLASSIFY] = NC_("complaint stage", "To classify"),
  [CD_COMPLAINT_STAGE_TO_ANSWER] = NC_("complaint stage", "To answer"),
  [CD_COMPLAINT_STAGE_EXTENSION] = NC_("complaint stage", "Awaiting extension"),
  [CD_COMPLAINT_STAGE_ANSWERED] = NC_("complaint stage", "Answered"),
  [CD_COMPLAINT_STAGE_SYSTEMIC] = NC_("complaint stage", "Systemic"),
};

/* In a context of their own: "Answered" is also a call's outcome, which
 * languages word otherwise. */
static const char *
stage_name (guint stage)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "complaint stage", stage_names[stage]);
}

static const char * const stage_tooltips[CD_COMPLAINT_N_STAGES] = {
  [CD_COMPLAINT_STAGE_TO_CLASSIFY] = N_("Registered, not yet given a class and a person "
                                        "responsible"),
  [CD_COMPLAINT_STAGE_TO_ANSWER] = N_("Classified, not yet answered"),
  [CD_COMPLAINT_STAGE_EXTENSION] = N_("Class B, its answer due soon or late and not yet "
                                      "extended: a supervisor extends it or has it answered"),
  [CD_COMPLAINT_STAGE_ANSWERED] = N_("Answered in the period"),
  [CD_COMPLAINT_STAGE_SYSTEMIC] = N_("In a growing group or with a systemic proposal"),
};

static const char * const period_names[CD_COMPLAINTS_N_PERIODS] = {
  [CD_COMPLAINTS_PERIOD_WEEK] = N_("This week"),
  [CD_COMPLAINTS_PERIOD_MONTH] = N_("This month"),
  [CD_COMPLAINTS_PERIOD_30_DAYS] = N_("Last 30 days"),
  [CD_COMPLAINTS_PERIOD_90_DAYS] = N_("Last 90 days"),
  [CD_COMPLAINTS_PERIOD_YEAR] = N_("This year"),
};

static const char * const filter_names[N_FILTERS] = {
  [FILTER_CATEGORY] = N_("Category"),
  [FILTER_EXECUTOR] = N_("Executor"),
  [FILTER_OPERATOR] = N_("Operator"),
  [FILTER_DISTRICT] = N_("District"),
};

static const char * const filter_all[N_FILTERS] = {
  [FILTER_CATEGORY] = N_("All categories"),
  [FILTER_EXECUTOR] = N_("All executors"),
  [FILTER_OPERATOR] = N_("All operators"),
  [FILTER_DISTRICT] = N_("All districts"),
};

static const char * const grouping_names[CD_N_COMPLAINT_GROUPINGS] = {
  [CD_COMPLAINT_BY_ADDRESS] = N_("By address"),
  [CD_COMPLAINT_BY_STREET] = N_("By street"),
  [CD_COMPLAINT_BY_EXECUTOR] = N_("By executor"),
  [CD_COMPLAINT_BY_CATEGORY] = N_("By category"),
  [CD_COMPLAINT_BY_CAUSE] = N_("By cause"),
};

static const CdTileInfo tile_info[N_TILES] = {
  [TILE_RECEIVED] = { N_("Complaints received"), "mail-unread-symbolic" },
  [TILE_ON_TIME] = { N_("Answered on time"), "alarm-symbolic" },
  [TILE_UPHELD] = { N_("Upheld"), "emblem-ok-symbolic" },
  [TILE_REFUSED] = { N_("Refused"), "action-unavailable-symbolic" },
  [TILE_RESIDENT] = { N_("In the resident’s favour"), "avatar-default-symbolic" },
};

/* The codes the actions send, in the order of the choices. */
static const char * const classes[] = { "A", "B", "C" };
static const char * const decisions[] = { "upheld", "partly_upheld", "refused" };
static const char * const favours[] = { "resident", "organization" };

/* Helpers {{{1 */

static GtkWidget *labelled (GtkWidget  *box,
                            const char *text,
                            GtkWidget  *control);

static gint64
get_now (CdComplaintsPage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  return context != NULL ? cd_context_get_now (context) : g_get_real_time () / G_USEC_PER_SEC;
}

static const char *
get_role (CdComplaintsPage *self)
{
  CdContext *context = cd_page_get_context (CD_PAGE (self));

  return context != NULL ? cd_context_get_role (context) : NULL;
}

/* QC, supervisors and admins decide; operators see. */
static gboolean
can_decide (CdComplaintsPage *self)
{
  const char *role = get_role (self);

  return g_strcmp0 (role, "qc") == 0 || g_strcmp0 (role, "supervisor") == 0 ||
         g_strcmp0 (role, "admin") == 0;
}

static gboolean
can_extend (CdComplaintsPage *self)
{
  const char *role = get_role (self);

  return g_strcmp0 (role, "supervisor") == 0 || g_strcmp0 (role, "admin") == 0;
}

static const char *
reference_name (CdComplaintsPage *self,
                CdReferenceKind   kind,
                const char       *code)
{
  CdStore *store = cd_page_get_store (CD_PAGE (self));
  const char *name = NULL;

  if (code == NULL)
    return NULL;
  if (kind == CD_REFERENCE_CATEGORY)
    name = cd_category_label_for_code (code);
  if (name == NULL && store != NULL)
    name = cd_store_reference_name (store, kind, code);
  return name != NULL ? name : code;
}

static char *
format_date (gint64 time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (time);

  /* Translators: a complaint's date and time of receipt, strftime style. */
  return g_date_time_format (when, _("%-d %b %Y, %H:%M"));
}

static char *
format_count (JsonObject *object,
              const char *member)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          object != NULL
                              ? json_object_get_int_member_with_default (object, member, 0)
                              : 0);
}

/* The clock of a complaint in words, and an icon for its state, so that
 * colour is never the only sign. */
static char *
describe_clock (CdComplaintsPage      *self,
                const CdComplaintItem *item,
                const char           **icon_name)
{
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *when = NULL;
  const char *target;

  *icon_name = NULL;
  if (item->complaint->decision != NULL)
    {
      *icon_name = item->complaint->on_time ? "emblem-ok-symbolic" : "dialog-warning-symbolic";
      return g_strdup (item->complaint->on_time ? _("Answered on time") : _("Answered late"));
    }
  if (item->target == NULL || item->due <= 0)
    return g_strdup (_("No clock running"));
  due = g_date_time_new_from_unix_local (item->due);
  now = g_date_time_new_from_unix_local (get_now (self));
  when = cd_format_deadline (due, now);
  target = cd_sla_target_label_for_code (item->target);
  if (target == NULL)
    target = item->target;
  switch (item->clock)
    {
    case CD_COMPLAINT_CLOCK_BREACHED:
      *icon_name = "dialog-error-symbolic";
      /* Translators: a complaint's clock past its deadline: the target
       * ("Answer"), the deadline. */
      return g_strdup_printf (_("%s overdue: was due %s"), target, when);
    case CD_COMPLAINT_CLOCK_AT_RISK:
      *icon_name = "dialog-warning-symbolic";
      /* Translators: a complaint's clock soon due: the target, the deadline. */
      return g_strdup_printf (_("%s at risk: due %s"), target, when);
    case CD_COMPLAINT_CLOCK_RUNNING:
    case CD_COMPLAINT_CLOCK_NONE:
    default:
      *icon_name = "alarm-symbolic";
      /* Translators: a complaint's running clock: the target, the deadline. */
      return g_strdup_printf (_("%s due %s"), target, when);
    }
}

static void
set_status (CdComplaintsPage *self,
            const char       *text)
{
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
}

static void
show_message (CdComplaintsPage *self,
              const char       *text)
{
  gtk_label_set_label (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL && *text != '\0');
}

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/* What was typed, without the spaces around it. */
static char *
entry_text (GtkEditable *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

/* An action missing a field it needs says so and puts the focus there,
 * rather than leaving the server to refuse it. */
static gboolean
require (CdComplaintsPage *self,
         const char       *text,
         gpointer          field,
         const char       *message)
{
  if (*text != '\0')
    return TRUE;
  show_message (self, message);
  gtk_widget_grab_focus (GTK_WIDGET (field));
  return FALSE;
}

static CdComplaintItem *
current_item (CdComplaintsPage *self)
{
  return get_source (self) != NULL ? cd_complaints_source_lookup (get_source (self), self->current)
                                   : NULL;
}

/* The list {{{1 */

static const char *
item_value (const CdComplaintItem *item,
            Filter                 filter)
{
  const CdComplaint *c = item->complaint;

  switch (filter)
    {
    case FILTER_CATEGORY:
      return c->ticket != NULL ? c->ticket->category : NULL;
    case FILTER_EXECUTOR:
      return c->executor;
    case FILTER_OPERATOR:
      return c->operator;
    case FILTER_DISTRICT:
      return c->ticket != NULL ? c->ticket->district : NULL;
    case N_FILTERS:
    default:
      return NULL;
    }
}

static gboolean
item_matches (CdComplaintsPage      *self,
              const CdComplaintItem *item)
{
  const char *search = gtk_editable_get_text (cd_page_get_search_entry (CD_PAGE (self)));
  const CdComplaint *c = item->complaint;

  if ((item->stages & (1u << self->stage)) == 0)
    return FALSE;
  for (guint f = 0; f < N_FILTERS; f++)
    {
      guint selected = gtk_drop_down_get_selected (self->filters[f]);
      const char *code;

      if (selected == 0 || selected >= self->filter_codes[f]->len)
        continue;
      code = g_ptr_array_index (self->filter_codes[f], selected);
      if (g_strcmp0 (code, item_value (item, f)) != 0)
        return FALSE;
    }
  if (search != NULL && *search != '\0')
    {
      g_autofree char *needle = g_utf8_casefold (search, -1);
      const char *fields[] = { c->number, c->complainant, c->summary, c->responsible };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          g_autofree char *haystack = fields[i] != NULL ? g_utf8_casefold (fields[i], -1) : NULL;

          if (haystack != NULL && strstr (haystack, needle) != NULL)
            return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

static void show_complaint (CdComplaintsPage *self);

static void
update_list (CdComplaintsPage *self)
{
  GPtrArray *items = get_source (self) != NULL ? cd_complaints_source_get_items (get_source (self))
                                               : NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new ();
  guint counts[CD_COMPLAINT_N_STAGES] = { 0 };
  guint keep = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      CdComplaintItem *item = g_ptr_array_index (items, i);

      for (guint s = 0; s < CD_COMPLAINT_N_STAGES; s++)
        counts[s] += (item->stages & (1u << s)) != 0;
      if (item_matches (self, item))
        {
          if (g_strcmp0 (item->complaint->number, self->current) == 0)
            keep = numbers->len;
          g_ptr_array_add (numbers, item->complaint->number);
        }
    }
  g_ptr_array_add (numbers, NULL);

  for (guint s = 0; s < CD_COMPLAINT_N_STAGES; s++)
    {
      /* Translators: a stage button: the stage and how many complaints
       * stand in it. */
      g_autofree char *label = g_strdup_printf (_("%s (%u)"), stage_name (s), counts[s]);

      gtk_button_set_label (GTK_BUTTON (self->stage_buttons[s]), label);
    }

  self->updating = TRUE;
  gtk_string_list_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                          (const char * const *) numbers->pdata);
  if (keep != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, keep);
  self->updating = FALSE;
  /* The view shows what the list selects: the one shown before, or the
   * first when it left the list. */
  {
    GtkStringObject *object = gtk_single_selection_get_selected_item (self->selection);

    g_free (self->current);
    self->current = object != NULL ? g_strdup (gtk_string_object_get_string (object)) : NULL;
  }

  {
    guint n = numbers->len - 1;
    /* Translators: how many complaints the list shows. */
    g_autofree char *status = g_strdup_printf (ngettext ("%u complaint", "%u complaints", n), n);

    set_status (self, items != NULL ? status : _("Reading the complaints…"));
  }
  show_complaint (self);
}

static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *clock = gtk_label_new (NULL);
  GtkWidget *who = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (clock), 0);
  gtk_label_set_wrap (GTK_LABEL (clock), TRUE);
  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_label_set_wrap (GTK_LABEL (who), TRUE);
  gtk_widget_add_css_class (who, "dim-label");
  gtk_box_append (GTK_BOX (line), icon);
  gtk_box_append (GTK_BOX (line), clock);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), who);
  gtk_list_item_set_child (list_item, box);
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             CdComplaintsPage         *self)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *line = gtk_widget_get_next_sibling (title);
  GtkWidget *who = gtk_widget_get_next_sibling (line);
  GtkWidget *icon = gtk_widget_get_first_child (line);
  GtkWidget *clock = gtk_widget_get_next_sibling (icon);
  GtkStringObject *object = gtk_list_item_get_item (list_item);
  CdComplaintItem *item = cd_complaints_source_lookup (get_source (self),
                                                       gtk_string_object_get_string (object));
  const CdComplaint *c;
  g_autofree char *heading = NULL;
  g_autofree char *clock_text = NULL;
  g_autofree char *responsible = NULL;
  g_autofree char *spoken = NULL;
  const char *icon_name;

  if (item == NULL)
    return;
  c = item->complaint;
  /* Translators: a complaint's row: its number and what the resident wrote. */
  heading = g_strdup_printf (_("%s · %s"), c->number,
                             c->summary != NULL && *c->summary != '\0' ? c->summary
                                                                      : _("No summary"));
  clock_text = describe_clock (self, item, &icon_name);
  responsible = c->responsible != NULL
                    /* Translators: the person responsible for a complaint. */
                    ? g_strdup_printf (_("Responsible: %s"), c->responsible)
                    : g_strdup (_("No one responsible yet"));
  gtk_label_set_label (GTK_LABEL (title), heading);
  gtk_label_set_label (GTK_LABEL (clock), clock_text);
  gtk_label_set_label (GTK_LABEL (who), responsible);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_widget_set_visible (icon, icon_name != NULL);
  if (item->clock == CD_COMPLAINT_CLOCK_BREACHED && c->decision == NULL)
    gtk_widget_add_css_class (clock, "error");
  else
    gtk_widget_remove_css_class (clock, "error");
  spoken = g_strdup_printf ("%s. %s. %s", heading, clock_text, responsible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_list_item_get_child (list_item)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
on_selection_changed (CdComplaintsPage *self)
{
  GtkStringObject *object;

  if (self->updating)
    return;
  object = gtk_single_selection_get_selected_item (self->selection);
  g_free (self->current);
  self->current = object != NULL ? g_strdup (gtk_string_object_get_string (object)) : NULL;
  show_complaint (self);
}

static void
on_stage_toggled (GtkToggleButton  *button,
                  CdComplaintsPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  for (guint s = 0; s < CD_COMPLAINT_N_STAGES; s++)
    if (self->stage_buttons[s] == button)
      self->stage = s;
  if (get_source (self) != NULL && cd_complaints_source_get_items (get_source (self)) != NULL)
    update_list (self);
}

static void
on_filter_changed (CdComplaintsPage *self)
{
  if (!self->updating && get_source (self) != NULL &&
      cd_complaints_source_get_items (get_source (self)) != NULL)
    update_list (self);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_utf8_collate (((const char * const *) a)[1], ((const char * const *) b)[1]);
}

/* Each filter offers the values the complaints hold, by name, keeping
 * what was chosen. */
static void
update_filter_choices (CdComplaintsPage *self)
{
  GPtrArray *items = cd_complaints_source_get_items (get_source (self));
  static const CdReferenceKind kinds[N_FILTERS] = {
    [FILTER_CATEGORY] = CD_REFERENCE_CATEGORY,
    [FILTER_EXECUTOR] = CD_REFERENCE_EXECUTOR,
    [FILTER_OPERATOR] = CD_REFERENCE_EXECUTOR,
    [FILTER_DISTRICT] = CD_REFERENCE_DISTRICT,
  };

  self->updating = TRUE;
  for (guint f = 0; f < N_FILTERS; f++)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (const char *) * 2);
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      guint selected = gtk_drop_down_get_selected (self->filters[f]);
      g_autofree char *chosen = NULL;
      guint keep = 0;

      if (selected > 0 && selected < self->filter_codes[f]->len)
        chosen = g_strdup (g_ptr_array_index (self->filter_codes[f], selected));
      for (guint i = 0; items != NULL && i < items->len; i++)
        {
          const char *code = item_value (g_ptr_array_index (items, i), f);
          const char *pair[2];

          if (code == NULL || *code == '\0' || !g_hash_table_add (seen, (gpointer) code))
            continue;
          pair[0] = code;
          /* An operator is a person: the name the call gave. */
          pair[1] = f == FILTER_OPERATOR ? code : reference_name (self, kinds[f], code);
          g_array_append_val (pairs, pair);
        }
      g_array_sort_with_data (pairs, compare_names, NULL);
      g_ptr_array_set_size (self->filter_codes[f], 0);
      g_ptr_array_add (self->filter_codes[f], NULL);
      gtk_string_list_append (names, _(filter_all[f]));
      for (guint i = 0; i < pairs->len; i++)
        {
          const char **pair = &g_array_index (pairs, const char *, i * 2);

          if (g_strcmp0 (pair[0], chosen) == 0)
            keep = self->filter_codes[f]->len;
          g_ptr_array_add (self->filter_codes[f], g_strdup (pair[0]));
          gtk_string_list_append (names, pair[1]);
        }
      gtk_drop_down_set_model (self->filters[f], G_LIST_MODEL (names));
      gtk_drop_down_set_selected (self->filters[f], keep);
      gtk_widget_set_sensitive (GTK_WIDGET (self->filters[f]), pairs->len > 0);
    }
  self->updating = FALSE;
}

/* The complaint view {{{1 */

/* The organization's letters, from the app's data folder in the user's
 * language, read once. */
static CdComplaintTemplates *
get_templates (CdComplaintsPage *self)
{
  const char *language = g_get_language_names ()[0];
  g_autofree char *code = g_strndup (language, strcspn (language, "_.@"));
  g_autoptr(GError) error = NULL;

  if (self->templates != NULL || self->templates_error != NULL)
    return self->templates;
  self->templates = cd_complaint_templates_load (cd_sla_library_default_dir (),
                                                 g_str_equal (code, "C") ? NULL : code, &error);
  if (self->templates == NULL)
    self->templates_error = g_strdup (error->message);
  return self->templates;
}

/* The letter @name ("A", "B", "C" or "appeal") filled in for @c as the
 * view's choices would leave it. */
static char *
draft_answer (CdComplaintsPage  *self,
              const CdComplaint *c,
              const char        *name)
{
  CdComplaintTemplates *templates = get_templates (self);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reasons = NULL;
  CdComplaint draft = *c;
  const char *text;
  char *letter;
  guint decision = gtk_drop_down_get_selected (self->decision_choice);
  guint favour = gtk_drop_down_get_selected (self->favour_choice);

  if (templates == NULL || (text = cd_complaint_templates_get (templates, name)) == NULL)
    return NULL;
  if (c->decision == NULL)
    {
      draft.decision = (char *) decisions[MIN (decision, G_N_ELEMENTS (decisions) - 1)];
      draft.favour = (char *) favours[MIN (favour, G_N_ELEMENTS (favours) - 1)];
      reasons = text_view_get_text (self->reasons_view);
      draft.reasons = *reasons != '\0' ? reasons : NULL;
    }
  letter = cd_complaint_template_render (cd_complaint_templates_get_file (templates, name), text,
                                         &draft, zone, &error);
  if (letter == NULL)
    g_warning ("Cannot draft the answer: %s", error->message);
  return letter;
}

/* The draft follows the decision until the user edits it. */
static void
redraft (CdComplaintsPage  *self,
         const CdComplaint *c)
{
  g_autofree char *written = text_view_get_text (self->answer_view);
  g_autofree char *answer = NULL;
  g_autofree char *appeal = NULL;
  g_autofree char *drafted = self->draft != NULL ? g_strstrip (g_strdup (self->draft)) : NULL;

  if (c->decision != NULL)
    return;
  if (drafted == NULL || *written == '\0' || g_strcmp0 (drafted, written) == 0)
    {
      answer = draft_answer (self, c, c->klass != NULL ? c->klass : "A");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->answer_view),
                                answer != NULL ? answer : "", -1);
      g_free (self->draft);
      self->draft = g_steal_pointer (&answer);
    }
  appeal = draft_answer (self, c, "appeal");
  gtk_label_set_label (self->appeal_label, appeal != NULL ? appeal : "");
}

static void
update_decide_state (CdComplaintsPage *self)
{
  CdComplaintItem *item = current_item (self);
  const CdComplaint *c = item != NULL ? item->complaint : NULL;
  gboolean decide = can_decide (self);
  gboolean open = c != NULL && c->ticket != NULL && cd_ticket_is_open (c->ticket);
  gboolean answered = c != NULL && c->decision != NULL;
  gboolean refused = gtk_drop_down_get_selected (self->decision_choice) == 2;
  g_autofree char *classify_key = NULL;
  g_autofree char *answer_key = NULL;
  g_autofree char *extend_key = NULL;
  g_autofree char *propose_key = NULL;

  if (c != NULL)
    {
      classify_key = g_strconcat (c->number, "/classify", NULL);
      answer_key = g_strconcat (c->number, "/answer", NULL);
      extend_key = g_strconcat (c->number, "/extend", NULL);
      propose_key = g_strconcat (c->number, "/propose", NULL);
    }
  gtk_widget_set_visible (self->decide_box, decide);
  gtk_widget_set_visible (GTK_WIDGET (self->role_label), !decide);
  gtk_widget_set_sensitive (self->classify_button,
                            decide && open && !answered &&
                                !g_hash_table_contains (self->pending, classify_key));
  gtk_widget_set_sensitive (self->answer_button,
                            decide && open && !answered && c->klass != NULL &&
                                !g_hash_table_contains (self->pending, answer_key));
  gtk_widget_set_visible (self->extend_box,
                          can_extend (self) && !answered && c != NULL && c->klass != NULL);
  gtk_widget_set_sensitive (self->extend_button,
                            open && !answered && c->klass != NULL &&
                                !g_hash_table_contains (self->pending, extend_key));
  gtk_widget_set_sensitive (self->propose_button,
                            decide && c != NULL &&
                                !g_hash_table_contains (self->pending, propose_key));
  /* Once answered, the answer is what was sent: shown, not offered. */
  gtk_widget_set_visible (self->classify_section, !answered);
  /* A complaint is answered once classified (the dispatch table). */
  gtk_widget_set_visible (self->answer_section, !answered && c != NULL && c->klass != NULL);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->sent_label)), answered);
  gtk_widget_set_visible (
      gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->reasons_view))), refused);
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->appeal_label)),
                          refused && *gtk_label_get_label (self->appeal_label) != '\0');
}

/* The editable parts are filled when another complaint opens, never
 * while the user writes. */
static void
fill_actions (CdComplaintsPage  *self,
              const CdComplaint *c)
{
  guint klass = 0;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_strcmp0 (c->klass, classes[i]) == 0)
      klass = i;
  gtk_drop_down_set_selected (self->class_choice, klass);
  gtk_editable_set_text (self->responsible_entry, c->responsible != NULL ? c->responsible : "");
  gtk_editable_set_text (self->cause_entry, c->cause != NULL ? c->cause : "");
  gtk_drop_down_set_selected (self->decision_choice, 0);
  gtk_drop_down_set_selected (self->favour_choice, 0);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reasons_view),
                            c->reasons != NULL ? c->reasons : "", -1);
  g_clear_pointer (&self->draft, g_free);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->answer_view),
                            c->answer != NULL ? c->answer : "", -1);
  gtk_label_set_label (self->appeal_label, c->appeal != NULL ? c->appeal : "");
  redraft (self, c);
  gtk_spin_button_set_value (self->extend_days, 10);
  gtk_editable_set_text (self->extend_reason, "");
  gtk_editable_set_text (self->propose_entry, c->proposal != NULL ? c->proposal : "");
  show_message (self, NULL);
}

static void
show_complaint (CdComplaintsPage *self)
{
  CdComplaintItem *item = current_item (self);
  const CdComplaint *c;
  g_autofree char *title = NULL;
  g_autofree char *received = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *about = NULL;
  g_autofree char *klass = NULL;
  const char *icon_name;
  const char *shown = g_object_get_data (G_OBJECT (self->detail), "number");

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      g_object_set_data (G_OBJECT (self->detail), "number", NULL);
      return;
    }
  c = item->complaint;
  klass = c->klass != NULL
              /* Translators: a complaint's class (A, B or C). */
              ? g_strdup_printf (_("class %s"), c->klass)
              : g_strdup (_("not classified"));
  /* Translators: the complaint view's title: its number and its class. */
  title = g_strdup_printf (_("Complaint %s, %s"), c->number, klass);
  received = format_date (c->received);
  /* Translators: when a complaint came, from whom and what it says. */
  facts = g_strdup_printf (_("Received %s from %s.\n%s"), received,
                           c->complainant != NULL ? c->complainant : "—",
                           c->summary != NULL ? c->summary : "");
  clock = describe_clock (self, item, &icon_name);
  if (c->responsible != NULL)
    {
      g_autofree char *line = g_strdup_printf (_("Responsible: %s"), c->responsible);
      g_autofree char *both = g_strdup_printf ("%s\n%s", clock, line);

      g_free (clock);
      clock = g_steal_pointer (&both);
    }
  if (g_strcmp0 (c->about_kind, "ticket") == 0)
    {
      const char *executor = reference_name (self, CD_REFERENCE_EXECUTOR, c->executor);

      /* Translators: what a complaint is about: a ticket and its executor. */
      about = g_strdup_printf (_("About ticket %s, carried out by %s."), c->about,
                               executor != NULL ? executor : "—");
    }
  else if (g_strcmp0 (c->about_kind, "call") == 0 && c->call_entered > 0)
    {
      g_autofree char *entered = format_date (c->call_entered);
      g_autofree char *wait = cd_format_duration (c->call_wait);
      g_autofree char *talk = cd_format_duration (c->call_talk);

      /* Translators: what a complaint is about: the operator who took a
       * call, when the call came, its wait in the queue and its talk. */
      about = g_strdup_printf (_("About the call taken by %s on %s: waited %s, talked %s."),
                               c->operator != NULL ? c->operator : "—", entered, wait, talk);
    }
  else if (g_strcmp0 (c->about_kind, "call") == 0)
    /* Translators: what a complaint is about: a call the cache does not
     * hold (yet), by its id. */
    about = g_strdup_printf (_("About call %s."), c->about);
  else
    about = g_strdup (_("Not about a ticket or a call."));
  if (c->decision != NULL)
    {
      g_autofree char *answered = format_date (c->answered_at);
      /* Translators: a complaint's answer: when, the decision, in whose
       * favour. */
      g_autofree char *line = g_strdup_printf (_("Answered %s: %s; in whose favour: %s."),
                                               answered,
                                               cd_complaint_decision_label (c->decision),
                                               c->favour != NULL
                                                   ? cd_complaint_favour_label (c->favour)
                                                   : "—");
      g_autofree char *both = g_strdup_printf ("%s\n%s", about, line);

      g_free (about);
      about = g_steal_pointer (&both);
    }
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->facts_label, facts);
  gtk_label_set_label (self->clock_label, clock);
  if (item->clock == CD_COMPLAINT_CLOCK_BREACHED && c->decision == NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->clock_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->clock_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->clock_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->clock_label), "dim-label");
    }
  gtk_label_set_label (self->about_label, about);
  {
    g_autofree char *sent = c->appeal != NULL
                                ? g_strdup_printf ("%s\n\n%s", c->answer != NULL ? c->answer : "",
                                                   c->appeal)
                                : g_strdup (c->answer != NULL ? c->answer : "");

    gtk_label_set_label (self->sent_label, sent);
  }
  gtk_widget_set_visible (self->open_ticket_button, g_strcmp0 (c->about_kind, "ticket") == 0);
  /* The recording is one click away, on the Call recordings page, for the
   * roles the role table lets listen. */
  gtk_widget_set_visible (self->recording_button,
                          g_strcmp0 (c->about_kind, "call") == 0 && c->about != NULL &&
                          cd_access_scope (get_role (self), CD_RESOURCE_RECORDINGS) ==
                              CD_ACCESS_ALL);
  if (c->about != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->recording_button), "s", c->about);
  if (g_strcmp0 (shown, c->number) != 0)
    {
      g_object_set_data_full (G_OBJECT (self->detail), "number", g_strdup (c->number), g_free);
      fill_actions (self, c);
    }
  update_decide_state (self);
  gtk_stack_set_visible_child_name (self->detail_stack, "complaint");
}

/* The figures {{{1 */

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  return label;
}

static void
grid_cell (GtkGrid    *grid,
           const char *text,
           int         column,
           int         row,
           gboolean    number)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  gtk_label_set_wrap (GTK_LABEL (label), !number);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (row == 0)
    gtk_widget_add_css_class (label, "dim-label");
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

/* A table of figures: a heading, the names of its columns and its rows
 * (each a name then counts); an empty note without rows. */
static GtkWidget *
new_table (const char         *heading,
           const char * const *columns,
           GPtrArray          *rows,
           const char         *empty)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();

  gtk_box_append (GTK_BOX (box), new_heading (heading));
  if (rows->len == 0)
    {
      GtkWidget *label = gtk_label_new (empty);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
      return box;
    }
  gtk_grid_set_column_spacing (GTK_GRID (grid), 24);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid), GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);
  for (guint i = 0; columns[i] != NULL; i++)
    grid_cell (GTK_GRID (grid), columns[i], i, 0, i > 0);
  for (guint r = 0; r < rows->len; r++)
    {
      const char * const *cells = g_ptr_array_index (rows, r);

      for (guint i = 0; cells[i] != NULL; i++)
        grid_cell (GTK_GRID (grid), cells[i], i, r + 1, i > 0);
    }
  gtk_box_append (GTK_BOX (box), grid);
  return box;
}

/* Each table has its place in the figures, made once: @slot. */
static void
replace_table (CdComplaintsPage  *self,
               GtkWidget        **slot,
               GtkWidget         *table)
{
  GtkWidget *child;

  if (*slot == NULL)
    {
      *slot = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_box_append (self->figures, *slot);
    }
  while ((child = gtk_widget_get_first_child (*slot)) != NULL)
    gtk_box_remove (GTK_BOX (*slot), child);
  gtk_box_append (GTK_BOX (*slot), table);
}

/* Rows of a decision table from cd_complaint_stats()' by_executor or
 * by_operator: the name, received, upheld, partly upheld, refused. */
static GPtrArray *
decision_rows (CdComplaintsPage *self,
               JsonArray        *array,
               const char       *member,
               const char       *nobody)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      const char *code = json_object_get_string_member_with_default (row, member, NULL);
      const char *name = code == NULL ? nobody
                         : g_strcmp0 (member, "executor") == 0
                             ? reference_name (self, CD_REFERENCE_EXECUTOR, code)
                             : code;
      char **cells = g_new0 (char *, 6);

      cells[0] = g_strdup (name);
      cells[1] = format_count (row, "received");
      cells[2] = format_count (row, "upheld");
      cells[3] = format_count (row, "partly_upheld");
      cells[4] = format_count (row, "refused");
      g_ptr_array_add (rows, cells);
    }
  return rows;
}

/* The server's figures leave out what is empty: a missing member is an
 * empty one. */
static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  return object != NULL && json_object_has_member (object, name)
             ? json_object_get_object_member (object, name)
             : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  return object != NULL && json_object_has_member (object, name)
             ? json_object_get_array_member (object, name)
             : NULL;
}

static void
update_figures (CdComplaintsPage *self)
{
  JsonObject *stats = cd_complaints_source_get_stats (get_source (self));
  JsonObject *decided = object_member (stats, "decisions");
  JsonObject *favour = object_member (stats, "favour");
  const char *decision_columns[] = { NULL, _("Received"), _("Upheld"), _("Partly upheld"),
                                     _("Refused"), NULL };
  g_autoptr(GPtrArray) executors = NULL;
  g_autoptr(GPtrArray) operators = NULL;
  g_autoptr(GPtrArray) repeats = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  JsonArray *array;

  if (stats == NULL)
    {
      for (guint i = 0; i < N_TILES; i++)
        cd_tile_set_figure (self->tile_widgets[i], "—", NULL);
      return;
    }
  {
    g_autofree char *received = format_count (stats, "received");
    g_autofree char *on_time = format_count (stats, "answered_on_time");
    g_autofree char *upheld = format_count (decided, "upheld");
    g_autofree char *refused = format_count (decided, "refused");
    g_autofree char *resident = format_count (favour, "resident");
    guint answered = json_object_get_int_member_with_default (stats, "answered", 0);
    guint partly = decided != NULL
                       ? json_object_get_int_member_with_default (decided, "partly_upheld", 0)
                       : 0;
    guint organization = favour != NULL
                             ? json_object_get_int_member_with_default (favour, "organization", 0)
                             : 0;
    /* Translators: below the complaints answered on time. */
    g_autofree char *of_answered = g_strdup_printf (ngettext ("Of %u answered", "Of %u answered",
                                                              answered),
                                                    answered);
    /* Translators: below the complaints upheld: those partly upheld. */
    g_autofree char *partly_text = g_strdup_printf (ngettext ("And %u partly", "And %u partly",
                                                              partly),
                                                    partly);
    /* Translators: below the complaints decided in the resident's favour:
     * those decided in the organization's. */
    g_autofree char *organization_text = g_strdup_printf (
        ngettext ("%u in the organization’s", "%u in the organization’s", organization),
        organization);

    cd_tile_set_figure (self->tile_widgets[TILE_RECEIVED], received, NULL);
    cd_tile_set_figure (self->tile_widgets[TILE_ON_TIME], on_time, of_answered);
    cd_tile_set_figure (self->tile_widgets[TILE_UPHELD], upheld, partly_text);
    cd_tile_set_figure (self->tile_widgets[TILE_REFUSED], refused, NULL);
    cd_tile_set_figure (self->tile_widgets[TILE_RESIDENT], resident, organization_text);
  }

  array = array_member (stats, "by_executor");
  executors = decision_rows (self, array, "executor", _("Not about a ticket"));
  decision_columns[0] = _("Executor");
  replace_table (self, &self->executor_table,
                 new_table (_("By executor"), decision_columns, executors,
                            _("No complaint received in this period.")));
  array = array_member (stats, "by_operator");
  operators = decision_rows (self, array, "operator", "—");
  decision_columns[0] = _("Operator");
  replace_table (self, &self->operator_table,
                 new_table (_("By operator"), decision_columns, operators,
                            _("No complaint about a call in this period.")));

  array = array_member (stats, "repeat_complainants");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      JsonArray *numbers = array_member (row, "numbers");
      g_autoptr(GString) list = g_string_new (NULL);
      char **cells = g_new0 (char *, 5);

      for (guint j = 0; numbers != NULL && j < json_array_get_length (numbers); j++)
        g_string_append_printf (list, "%s%s", j > 0 ? ", " : "",
                                json_array_get_string_element (numbers, j));
      cells[0] = g_strdup (json_object_get_string_member_with_default (row, "name", "—"));
      cells[1] = format_count (row, "complaints");
      cells[2] = g_strdup (json_object_get_string_member_with_default (row, "phone", "—"));
      cells[3] = g_string_free (g_steal_pointer (&list), FALSE);
      g_ptr_array_add (repeats, cells);
    }
  {
    const char *columns[] = { _("Resident"), _("Complaints"), _("Telephone"), _("Numbers"),
                              NULL };

    replace_table (self, &self->repeat_table,
                   new_table (_("Residents who complain again and again"), columns, repeats,
                              _("No resident complained twice in this period.")));
  }
}


/* A group's key by name: an executor or a category by its name. */
static const char *
group_name (CdComplaintsPage       *self,
            const CdComplaintGroup *group)
{
  switch (cd_complaints_source_get_grouping (get_source (self)))
    {
    case CD_COMPLAINT_BY_EXECUTOR:
      return reference_name (self, CD_REFERENCE_EXECUTOR, group->key);
    case CD_COMPLAINT_BY_CATEGORY:
      return reference_name (self, CD_REFERENCE_CATEGORY, group->key);
    case CD_COMPLAINT_BY_ADDRESS:
    case CD_COMPLAINT_BY_STREET:
    case CD_COMPLAINT_BY_CAUSE:
    case CD_N_COMPLAINT_GROUPINGS:
    default:
      return group->key;
    }
}

static GtkWidget *
group_row (CdComplaintsPage       *self,
           const CdComplaintGroup *group,
           guint                   index)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (group_name (self, group));
  GtkWidget *icon = gtk_image_new_from_icon_name (group->growing ? "go-up-symbolic"
                                                                 : "view-list-symbolic");
  GtkWidget *detail;
  GtkWidget *button;
  g_autoptr(GString) numbers = g_string_new (NULL);
  g_autofree char *counts = NULL;
  g_autofree char *spoken = NULL;

  for (guint i = 0; i < group->numbers->len; i++)
    g_string_append_printf (numbers, "%s%s", i > 0 ? ", " : "",
                            (const char *) g_ptr_array_index (group->numbers, i));
  if (group->growing)
    /* Translators: a growing systemic group: complaints in the period,
     * in the period before, their numbers. */
    counts = g_strdup_printf (_("Growing: %u complaints, %u in the period before (%s)"),
                              group->count, group->previous, numbers->str);
  else
    /* Translators: a systemic group: complaints in the period, in the
     * period before, their numbers. */
    counts = g_strdup_printf (_("%u complaints, %u in the period before (%s)"), group->count,
                              group->previous, numbers->str);
  if (group->proposal != NULL)
    {
      /* Translators: the systemic measure proposed for a group. */
      g_autofree char *proposal = g_strdup_printf (_("Proposed: %s"), group->proposal);
      g_autofree char *both = g_strdup_printf ("%s\n%s", counts, proposal);

      g_free (counts);
      counts = g_steal_pointer (&both);
    }
  detail = gtk_label_new (counts);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (detail), PANGO_WRAP_WORD_CHAR);
  if (group->growing)
    {
      gtk_widget_add_css_class (icon, "warning");
      gtk_widget_add_css_class (detail, "warning");
    }
  else
    gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), text);
  button = gtk_button_new_with_mnemonic (_("P_ropose…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "complaints.propose-group");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);
  /* Translators: the tooltip of a group's Propose button: the group. */
  spoken = g_strdup_printf (_("Propose a systemic measure for %s"), group_name (self, group));
  gtk_widget_set_tooltip_text (button, spoken);
  gtk_widget_set_visible (button, can_decide (self));
  gtk_box_append (GTK_BOX (row), button);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  group_name (self, group), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  counts, -1);
  return row;
}

static void
update_groups (CdComplaintsPage *self)
{
  GPtrArray *groups = cd_complaints_source_get_groups (get_source (self));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  if (groups == NULL || groups->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("No two complaints of the period fall in one group."));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
  /* The growing and the largest come first: a page of them is enough to
   * act on; the rest wait for a narrower period. */
  for (guint i = 0; groups != NULL && i < MIN (groups->len, MAX_GROUPS_SHOWN); i++)
    gtk_box_append (GTK_BOX (box), group_row (self, g_ptr_array_index (groups, i), i));
  if (groups != NULL && groups->len > MAX_GROUPS_SHOWN)
    {
      guint more = groups->len - MAX_GROUPS_SHOWN;
      /* Translators: below the systemic groups shown. */
      g_autofree char *text = g_strdup_printf (ngettext ("And %u smaller group.",
                                                         "And %u smaller groups.", more),
                                               more);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }
  replace_table (self, &self->groups_table, box);
}

static void
on_grouping_changed (CdComplaintsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->grouping_choice);

  if (get_source (self) != NULL && selected < CD_N_COMPLAINT_GROUPINGS)
    cd_complaints_source_set_grouping (get_source (self), selected);
}

static void
build_groups (CdComplaintsPage *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *heading = new_heading (_("Systemic groups"));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < CD_N_COMPLAINT_GROUPINGS; i++)
    gtk_string_list_append (names, _(grouping_names[i]));
  self->grouping_choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)),
                                                            NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grouping_choice),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Group complaints"), -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->grouping_choice), _("Group complaints"));
  g_signal_connect_object (self->grouping_choice, "notify::selected",
                           G_CALLBACK (on_grouping_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_set_hexpand (heading, TRUE);
  gtk_box_append (GTK_BOX (header), heading);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->grouping_choice));
  gtk_box_append (self->figures, header);
}

/* The source {{{1 */

static void
update_roles (CdComplaintsPage *self)
{
  if (get_source (self) != NULL && current_item (self) != NULL)
    update_decide_state (self);
}

static void
on_source_changed (CdComplaintsPage *self)
{
  GPtrArray *items = cd_complaints_source_get_items (get_source (self));
  g_autoptr(GList) keys = g_hash_table_get_keys (self->pending);

  /* What the cache shows done is no longer pending: a new read follows
   * every synced event, so a sent action is pending until the next read
   * after it was sent. */
  for (GList *l = keys; l != NULL; l = l->next)
    if (GPOINTER_TO_INT (g_hash_table_lookup (self->pending, l->data)) == 2)
      g_hash_table_remove (self->pending, l->data);
  update_filter_choices (self);
  update_list (self);
  update_figures (self);
  update_groups (self);
  cd_page_set_empty (CD_PAGE (self), items == NULL || items->len == 0);
}

static void
on_search_changed (CdComplaintsPage *self)
{
  if (get_source (self) != NULL && cd_complaints_source_get_items (get_source (self)) != NULL)
    update_list (self);
}

static void
on_period_changed (CdComplaintsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_choice);

  if (get_source (self) != NULL && selected < CD_COMPLAINTS_N_PERIODS)
    cd_complaints_source_set_period (get_source (self), selected);
}

static void
cd_complaints_page_action_refused (CdPage     *page,
                                   gint64      id,
                                   const char *number,
                                   const char *reason)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (page);
  g_autofree char *message = NULL;
  g_autoptr(GList) keys = NULL;

  /* Translators: the server refused a complaint's action: the number and
   * the server's own words. */
  message = g_strdup_printf (_("Complaint %s: %s"), number, reason);
  keys = g_hash_table_get_keys (self->pending);
  for (GList *l = keys; l != NULL; l = l->next)
    if (g_str_has_prefix (l->data, number) && ((char *) l->data)[strlen (number)] == '/')
      g_hash_table_remove (self->pending, l->data);
  set_status (self, message);
  show_message (self, message);
  update_roles (self);
}

static void
cd_complaints_page_action_sent (CdPage     *page,
                                gint64      id,
                                const char *number)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (page);
  g_autoptr(GList) keys = NULL;

  /* Sent: the next read of the cache holds it. */
  keys = g_hash_table_get_keys (self->pending);
  for (GList *l = keys; l != NULL; l = l->next)
    if (g_str_has_prefix (l->data, number) && ((char *) l->data)[strlen (number)] == '/')
      g_hash_table_insert (self->pending, g_strdup (l->data), GINT_TO_POINTER (2));
}

static CdSource *
cd_complaints_page_make_source (CdPage    *page,
                                CdContext *context)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (page);
  CdComplaintsSource *source = cd_complaints_source_new (context);
  guint selected = gtk_drop_down_get_selected (self->period_choice);

  if (selected < CD_COMPLAINTS_N_PERIODS)
    cd_complaints_source_set_period (source, selected);
  g_signal_connect_object (source, "changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  return CD_SOURCE (source);
}

/* The actions {{{1 */

/* One click, one action in the outbox (its own idempotency key): the
 * button rests until the server has it or refuses it. */
static gboolean
send_action (CdComplaintsPage *self,
             const char       *number,
             CdAction          action,
             JsonObject       *payload,
             const char       *done)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (cd_page_send_action (CD_PAGE (self), number, action, payload, number, &error) == 0)
    {
      show_message (self, error->message);
      return FALSE;
    }
  key = g_strconcat (number, "/", cd_action_to_string (action), NULL);
  g_hash_table_insert (self->pending, g_steal_pointer (&key), GINT_TO_POINTER (1));
  show_message (self, done);
  set_status (self, done);
  update_roles (self);
  return TRUE;
}

static void
classify_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  CdComplaintItem *item = current_item (self);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *responsible = NULL;
  g_autofree char *cause = NULL;
  g_autofree char *done = NULL;
  guint klass = gtk_drop_down_get_selected (self->class_choice);

  if (item == NULL || !can_decide (self) || klass >= G_N_ELEMENTS (classes))
    return;
  responsible = entry_text (self->responsible_entry);
  cause = entry_text (self->cause_entry);
  if (!require (self, responsible, self->responsible_entry,
                _("Name the person responsible for the complaint.")))
    return;
  json_object_set_string_member (payload, "class", classes[klass]);
  json_object_set_string_member (payload, "responsible", responsible);
  if (*cause != '\0')
    json_object_set_string_member (payload, "cause", cause);
  /* Translators: a complaint was classified: its number, the class. */
  done = g_strdup_printf (_("Complaint %s classified %s"), item->complaint->number,
                          classes[klass]);
  send_action (self, item->complaint->number, CD_ACTION_CLASSIFY, payload, done);
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  CdComplaintItem *item = current_item (self);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *note = NULL;
  g_autofree char *reasons = NULL;
  g_autofree char *done = NULL;
  guint decision = gtk_drop_down_get_selected (self->decision_choice);
  guint favour = gtk_drop_down_get_selected (self->favour_choice);

  if (item == NULL || !can_decide (self) || decision >= G_N_ELEMENTS (decisions) ||
      favour >= G_N_ELEMENTS (favours))
    return;
  note = text_view_get_text (self->answer_view);
  reasons = text_view_get_text (self->reasons_view);
  if (!require (self, note, self->answer_view, _("Write the answer to send to the resident.")) ||
      (g_str_equal (decisions[decision], "refused") &&
       !require (self, reasons, self->reasons_view,
                 _("A refusal carries its reasons: write them."))))
    return;
  json_object_set_string_member (payload, "decision", decisions[decision]);
  json_object_set_string_member (payload, "favour", favours[favour]);
  json_object_set_string_member (payload, "note", note);
  if (g_str_equal (decisions[decision], "refused"))
    {
      const char *appeal = gtk_label_get_label (self->appeal_label);

      json_object_set_string_member (payload, "reasons", reasons);
      /* The notice shown here goes with the refusal; without one the
       * server's store fills it in from the same template. */
      if (appeal != NULL && *appeal != '\0')
        json_object_set_string_member (payload, "appeal", appeal);
    }
  /* Translators: a complaint was answered: its number, the decision. */
  done = g_strdup_printf (_("Complaint %s answered: %s"), item->complaint->number,
                          cd_complaint_decision_label (decisions[decision]));
  send_action (self, item->complaint->number, CD_ACTION_ANSWER, payload, done);
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  CdComplaintItem *item = current_item (self);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *reason = NULL;
  g_autofree char *done = NULL;
  int days = gtk_spin_button_get_value_as_int (self->extend_days);

  if (item == NULL || !can_extend (self))
    return;
  reason = entry_text (self->extend_reason);
  if (!require (self, reason, self->extend_reason, _("An extension needs its reason.")))
    return;
  json_object_set_string_member (payload, "target", "answer");
  json_object_set_int_member (payload, "days", days);
  json_object_set_string_member (payload, "note", reason);
  /* Translators: an extension was asked for: the complaint's number, the
   * days. */
  done = g_strdup_printf (ngettext ("Complaint %s: an extension of %d day asked for",
                                    "Complaint %s: an extension of %d days asked for", days),
                          item->complaint->number, days);
  send_action (self, item->complaint->number, CD_ACTION_EXTEND, payload, done);
}

static void
propose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  CdComplaintItem *item = current_item (self);
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autofree char *note = NULL;
  g_autofree char *done = NULL;

  if (item == NULL || !can_decide (self))
    return;
  note = entry_text (self->propose_entry);
  if (!require (self, note, self->propose_entry, _("Write the systemic measure to propose.")))
    return;
  json_object_set_string_member (payload, "note", note);
  /* Translators: a systemic proposal was made for a complaint. */
  done = g_strdup_printf (_("Complaint %s: proposal recorded"), item->complaint->number);
  send_action (self, item->complaint->number, CD_ACTION_PROPOSE, payload, done);
}

static void
open_ticket_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  CdComplaintItem *item = current_item (self);
  CdContext *context = cd_page_get_context (CD_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (widget);
  CdTicketWindow *window;

  if (item == NULL || context == NULL || item->complaint->about == NULL)
    return;
  window = cd_ticket_window_new (context, item->complaint->about);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (window),
                                  gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_present (GTK_WINDOW (window));
}

/* The journal {{{1 */

static char *
journal_title (CdComplaintsPage *self)
{
  gint64 from = 0, to = 0;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  cd_complaints_source_get_range (get_source (self), &from, &to);
  start = g_date_time_new_from_unix_local (from);
  end = g_date_time_new_from_unix_local (to);
  /* Translators: a date in the journal's title, strftime style. */
  a = g_date_time_format (start, _("%-d %B %Y"));
  b = g_date_time_format (end, _("%-d %B %Y"));
  /* Translators: the printed journal's title: the first and last day. */
  return g_strdup_printf (_("Complaint journal, %s – %s"), a, b);
}

/**
 * cd_complaints_page_export_csv:
 * @self: a #CdComplaintsPage
 * @path: the file to write
 * @error: return location for an error
 *
 * Writes the journal of the period shown as CSV, what the "Export to CSV…"
 * dialog's answer does.
 *
 * Returns: whether it was written
 */
gboolean
cd_complaints_page_export_csv (CdComplaintsPage  *self,
                               const char        *path,
                               GError           **error)
{
  GPtrArray *rows;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autofree char *csv = NULL;

  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), FALSE);

  rows = get_source (self) != NULL ? cd_complaints_source_get_period_rows (get_source (self))
                                   : NULL;
  if (rows == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The complaints are still being read."));
      return FALSE;
    }
  csv = cd_complaint_journal_to_csv ((CdComplaint * const *) rows->pdata, rows->len, zone);
  return g_file_set_contents (path, csv, -1, error);
}

/* A way to write the journal: the export function and what the status
 * says once it is written. */
typedef struct
{
  gboolean    (*write) (CdComplaintsPage  *self,
                        const char        *path,
                        GError           **error);
  const char *done;
} JournalExport;

static const JournalExport export_csv = {
  cd_complaints_page_export_csv, N_("Journal exported to CSV"),
};

static const JournalExport export_pdf = {
  cd_complaints_page_export_pdf, N_("Journal exported to PDF"),
};

static void
on_save_response (GtkNativeDialog  *dialog,
                  int               response,
                  CdComplaintsPage *self)
{
  const JournalExport *export = g_object_get_data (G_OBJECT (dialog), "export");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL && !export->write (self, path, &error))
        show_message (self, error->message);
      else if (path != NULL)
        set_status (self, _(export->done));
    }
  g_object_unref (dialog);
}

static void
save_dialog (CdComplaintsPage    *self,
             const char          *title,
             const char          *name,
             const JournalExport *export)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog
      = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "export", (gpointer) export);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_response), self, 0);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}


static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                CdJournalPrint    *journal)
{
  guint n = cd_journal_print_paginate (journal, gtk_print_context_get_cairo_context (context),
                                       gtk_print_context_get_width (context),
                                       gtk_print_context_get_height (context));

  gtk_print_operation_set_n_pages (operation, MAX (n, 1));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              CdJournalPrint    *journal)
{
  cd_journal_print_draw_page (journal, gtk_print_context_get_cairo_context (context), page);
}

/* A print operation for the journal of the period shown, A4 landscape as
 * quality departments file it; NULL before the complaints are read. */
static GtkPrintOperation *
new_print_operation (CdComplaintsPage  *self,
                     GError           **error)
{
  GPtrArray *rows = get_source (self) != NULL
                        ? cd_complaints_source_get_period_rows (get_source (self))
                        : NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) copy = NULL;
  g_autofree char *title = NULL;
  CdJournalPrint *journal;

  if (rows == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The complaints are still being read."));
      return NULL;
    }
  /* The print dialog runs a main loop in which the source may read again:
   * the operation keeps the complaints it prints. */
  copy = g_ptr_array_copy (rows, NULL, NULL);
  title = journal_title (self);
  journal = cd_journal_print_new (copy, title, zone);
  operation = gtk_print_operation_new ();
  g_object_set_data_full (G_OBJECT (operation), "rows",
                          g_ptr_array_ref (cd_complaints_source_get_rows (get_source (self))),
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (operation), "journal", journal,
                          (GDestroyNotify) cd_journal_print_free);
  gtk_page_setup_set_paper_size_and_default_margins (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_job_name (operation, title);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), journal);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), journal);
  return g_steal_pointer (&operation);
}

static GtkWindow *
get_window (CdComplaintsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/**
 * cd_complaints_page_export_pdf:
 * @self: a #CdComplaintsPage
 * @path: the PDF file to write
 * @error: return location for an error
 *
 * Prints the journal of the period shown to a PDF file through
 * GtkPrintOperation's export, what the "Export Journal to PDF…" dialog's
 * answer does.
 *
 * Returns: whether it was written
 */
gboolean
cd_complaints_page_export_pdf (CdComplaintsPage  *self,
                               const char        *path,
                               GError           **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if ((operation = new_print_operation (self, error)) == NULL)
    return FALSE;
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, get_window (self),
                                  error) != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;

  if ((operation = new_print_operation (self, &error)) == NULL ||
      gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               get_window (self), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      show_message (self, error->message);
      set_status (self, error->message);
    }
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  /* Translators: the file name offered for the journal's PDF. */
  save_dialog (CD_COMPLAINTS_PAGE (widget), _("Export Journal to PDF"),
               _("complaint-journal.pdf"), &export_pdf);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  /* Translators: the file name offered for the journal's CSV. */
  save_dialog (CD_COMPLAINTS_PAGE (widget), _("Export Journal to CSV"), _("complaints.csv"),
               &export_csv);
}


typedef struct
{
  CdComplaintsPage *page;
  GtkEditable      *note;
  GtkEditable      *responsible;
  char             *group;     /* "by:key" */
  GPtrArray        *numbers;   /* (element-type utf8) */
} GroupProposal;

static void
group_proposal_free (GroupProposal *proposal)
{
  g_free (proposal->group);
  g_ptr_array_unref (proposal->numbers);
  g_free (proposal);
}

/* One propose action per complaint of the group, each with its own key. */
static void
on_group_response (AdwMessageDialog *dialog,
                   const char       *response,
                   GroupProposal    *proposal)
{
  CdComplaintsPage *self = proposal->page;
  g_autofree char *note = NULL;
  g_autofree char *responsible = NULL;
  g_autofree char *done = NULL;
  guint sent = 0;

  if (g_strcmp0 (response, "propose") != 0)
    return;
  note = entry_text (proposal->note);
  responsible = entry_text (proposal->responsible);
  if (*note == '\0')
    {
      show_message (self, _("Write the systemic measure to propose."));
      return;
    }
  for (guint i = 0; i < proposal->numbers->len; i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();

      json_object_set_string_member (payload, "note", note);
      json_object_set_string_member (payload, "group", proposal->group);
      if (*responsible != '\0')
        json_object_set_string_member (payload, "responsible", responsible);
      sent += send_action (self, g_ptr_array_index (proposal->numbers, i), CD_ACTION_PROPOSE,
                           payload, NULL);
    }
  /* Translators: a proposal was made for a group of complaints. */
  done = g_strdup_printf (ngettext ("Proposal recorded for %u complaint",
                                    "Proposal recorded for %u complaints", sent),
                          sent);
  set_status (self, done);
}

static void
propose_group_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (widget);
  GPtrArray *groups = get_source (self) != NULL
                          ? cd_complaints_source_get_groups (get_source (self))
                          : NULL;
  guint index = g_variant_get_uint32 (parameter);
  CdComplaintGroup *group;
  GroupProposal *proposal;
  AdwMessageDialog *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_autofree char *body = NULL;

  if (groups == NULL || index >= groups->len || !can_decide (self))
    return;
  group = g_ptr_array_index (groups, index);
  proposal = g_new0 (GroupProposal, 1);
  proposal->page = self;
  proposal->group = g_strdup_printf ("%s:%s",
                                     cd_complaint_grouping_to_string (
                                         cd_complaints_source_get_grouping (get_source (self))),
                                     group->key);
  proposal->numbers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < group->numbers->len; i++)
    g_ptr_array_add (proposal->numbers, g_strdup (g_ptr_array_index (group->numbers, i)));
  proposal->note = GTK_EDITABLE (labelled (box, _("Systemic _measure"), gtk_entry_new ()));
  proposal->responsible = GTK_EDITABLE (labelled (box, _("_Who carries it out"),
                                                  gtk_entry_new ()));
  if (group->proposal != NULL)
    gtk_editable_set_text (proposal->note, group->proposal);
  /* Translators: the body of the group proposal dialog: the group and how
   * many complaints it gathers. */
  body = g_strdup_printf (ngettext ("A systemic measure for “%s”, recorded with its %u complaint. "
                                    "It is due in 20 days.",
                                    "A systemic measure for “%s”, recorded with each of its %u "
                                    "complaints. It is due in 20 days.",
                                    group->numbers->len),
                          group_name (self, group), group->numbers->len);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), _("Propose a Measure"),
                                                       body));
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "propose", _("_Propose"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "propose", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "propose");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_group_response), proposal,
                         (GClosureNotify) (void (*) (void)) group_proposal_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The rest {{{1 */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  cd_page_refresh (CD_PAGE (widget));
}

/* Building the view {{{1 */

static GtkWidget *
new_label (const char *css)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css != NULL)
    gtk_widget_add_css_class (label, css);
  return label;
}

/* A label on a card, with room inside: a letter as it goes out. */
static GtkWidget *
new_card (GtkLabel **label)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  *label = GTK_LABEL (new_label (NULL));
  gtk_widget_set_margin_top (GTK_WIDGET (*label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (*label), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (*label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (*label), 12);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (*label));
  return card;
}

static GtkWidget *
new_section (CdComplaintsPage *self,
             GtkBox           *parent,
             const char       *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (parent, box);
  gtk_box_append (GTK_BOX (box), new_heading (title));
  return box;
}

/* A control with its visible label, which is also its name for a screen
 * reader. */
static GtkWidget *
labelled (GtkWidget  *box,
          const char *text,
          GtkWidget  *control)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), control);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (control), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_box_append (GTK_BOX (box), row);
  return control;
}

static GtkDropDown *
new_choice (const char * const *labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint i = 0; labels[i] != NULL; i++)
    gtk_string_list_append (list, labels[i]);
  return GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (list)), NULL));
}

static GtkTextView *
new_text_view (void)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *frame = gtk_scrolled_window_new ();

  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (frame), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (frame), 96);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (frame), TRUE);
  return GTK_TEXT_VIEW (view);
}

/* A text view under its label in @box. The label's mnemonic goes to the
 * view, not to the scrolled window labelled() gets, and the view carries
 * its name for a screen reader as the text view itself has none. */
static GtkTextView *
labelled_text_view (GtkWidget  *box,
                    const char *mnemonic,
                    const char *name)
{
  GtkTextView *view = new_text_view ();
  GtkWidget *frame = gtk_widget_get_parent (GTK_WIDGET (view));

  labelled (box, mnemonic, frame);
  gtk_label_set_mnemonic_widget (
      GTK_LABEL (gtk_widget_get_first_child (gtk_widget_get_parent (frame))),
      GTK_WIDGET (view));
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  return view;
}

static GtkWidget *
new_action_button (const char *label,
                   const char *action,
                   gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static void
on_decision_changed (CdComplaintsPage *self)
{
  CdComplaintItem *item = get_source (self) != NULL ? current_item (self) : NULL;

  if (item == NULL)
    return;
  redraft (self, item->complaint);
  update_decide_state (self);
}

static void
build_detail (CdComplaintsPage *self)
{
  GtkBox *detail = self->detail;
  GtkWidget *section;
  GtkWidget *buttons;
  GtkWidget *row;
  const char *class_labels[] = { _("A: typical, a short answer"),
                                 _("B: needs analysis, may be extended"),
                                 _("C: needs a higher organization"), NULL };
  const char *decision_labels[] = { _("Upheld"), _("Partly upheld"), _("Refused"), NULL };
  const char *favour_labels[] = { _("Resident"), _("Organization"), NULL };

  self->title_label = GTK_LABEL (new_label ("title-2"));
  self->facts_label = GTK_LABEL (new_label (NULL));
  self->clock_label = GTK_LABEL (new_label ("dim-label"));
  gtk_box_append (detail, GTK_WIDGET (self->title_label));
  gtk_box_append (detail, GTK_WIDGET (self->facts_label));
  gtk_box_append (detail, GTK_WIDGET (self->clock_label));

  section = new_section (self, detail, _("What It Is About"));
  self->about_label = GTK_LABEL (new_label (NULL));
  gtk_box_append (GTK_BOX (section), GTK_WIDGET (self->about_label));
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->open_ticket_button = new_action_button (_("_Open the Ticket"), "complaints.open-ticket",
                                                FALSE);
  gtk_widget_set_tooltip_text (self->open_ticket_button,
                               _("The ticket the complaint is about, with its history"));
  self->recording_button = gtk_button_new_with_mnemonic (_("_Play the Recording"));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->recording_button), "s", "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->recording_button),
                                  "win.play-recording");
  gtk_box_append (GTK_BOX (buttons), self->open_ticket_button);
  gtk_box_append (GTK_BOX (buttons), self->recording_button);
  gtk_box_append (GTK_BOX (section), buttons);
  {
    GtkWidget *card = new_card (&self->sent_label);

    gtk_widget_set_visible (card, FALSE);
    gtk_box_append (GTK_BOX (section), card);
  }

  self->role_label = GTK_LABEL (new_label ("dim-label"));
  gtk_label_set_label (self->role_label, _("Quality control and supervisors classify and answer "
                                           "complaints; you see them here."));
  gtk_box_append (detail, GTK_WIDGET (self->role_label));

  self->decide_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (detail, self->decide_box);

  section = new_section (self, GTK_BOX (self->decide_box), _("Classify"));
  self->classify_section = section;
  self->class_choice = GTK_DROP_DOWN (labelled (section, _("C_lass"),
                                                GTK_WIDGET (new_choice (class_labels))));
  self->responsible_entry = GTK_EDITABLE (labelled (section, _("Person _responsible"),
                                                    gtk_entry_new ()));
  self->cause_entry = GTK_EDITABLE (labelled (section, _("Ca_use (optional)"),
                                              gtk_entry_new ()));
  self->classify_button = new_action_button (_("Cla_ssify"), "complaints.classify", FALSE);
  gtk_box_append (GTK_BOX (section), self->classify_button);

  section = new_section (self, GTK_BOX (self->decide_box), _("Answer"));
  self->answer_section = section;
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->decision_choice = GTK_DROP_DOWN (labelled (row, _("_Decision"),
                                                   GTK_WIDGET (new_choice (decision_labels))));
  self->favour_choice = GTK_DROP_DOWN (labelled (row, _("In whose _favour"),
                                                 GTK_WIDGET (new_choice (favour_labels))));
  gtk_box_append (GTK_BOX (section), row);
  self->answer_view = labelled_text_view (section, _("_Answer to the resident"),
                                          _("Answer to the resident"));
  self->reasons_view = labelled_text_view (section, _("_Reasons for the refusal"),
                                           _("Reasons for the refusal"));
  {
    GtkWidget *card = new_card (&self->appeal_label);

    gtk_widget_set_tooltip_text (card, _("The notice of the right to appeal, sent with a refusal"));
    gtk_box_append (GTK_BOX (section), card);
  }
  self->answer_button = new_action_button (_("_Send the Answer"), "complaints.answer", TRUE);
  gtk_box_append (GTK_BOX (section), self->answer_button);

  self->extend_box = new_section (self, GTK_BOX (self->decide_box), _("Extend"));
  self->extend_days = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 10, 1));
  gtk_widget_set_halign (GTK_WIDGET (self->extend_days), GTK_ALIGN_START);
  labelled (self->extend_box, _("Da_ys"), GTK_WIDGET (self->extend_days));
  self->extend_reason = GTK_EDITABLE (labelled (self->extend_box, _("Reason for the e_xtension"),
                                                gtk_entry_new ()));
  self->extend_button = new_action_button (_("_Extend"), "complaints.extend", FALSE);
  gtk_box_append (GTK_BOX (self->extend_box), self->extend_button);

  section = new_section (self, GTK_BOX (self->decide_box), _("Propose"));
  self->propose_entry = GTK_EDITABLE (labelled (section, _("Systemic _measure"),
                                                gtk_entry_new ()));
  self->propose_button = new_action_button (_("_Propose"), "complaints.propose", FALSE);
  gtk_box_append (GTK_BOX (section), self->propose_button);

  self->message_label = GTK_LABEL (new_label (NULL));
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
  gtk_box_append (detail, GTK_WIDGET (self->message_label));

  g_signal_connect_object (self->decision_choice, "notify::selected",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->favour_choice, "notify::selected",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
  /* The letter quotes the reasons of a refusal as they are written. */
  g_signal_connect_object (gtk_text_view_get_buffer (self->reasons_view), "changed",
                           G_CALLBACK (on_decision_changed), self, G_CONNECT_SWAPPED);
}

static void
build_stages_and_filters (CdComplaintsPage *self)
{
  GtkToggleButton *group = NULL;

  for (guint s = 0; s < CD_COMPLAINT_N_STAGES; s++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (stage_name (s));

      gtk_widget_set_tooltip_text (button, _(stage_tooltips[s]));
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      self->stage_buttons[s] = GTK_TOGGLE_BUTTON (button);
      g_signal_connect_object (button, "toggled", G_CALLBACK (on_stage_toggled), self, 0);
      gtk_flow_box_append (self->stage_box, button);
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
  gtk_toggle_button_set_active (self->stage_buttons[CD_COMPLAINT_STAGE_TO_CLASSIFY], TRUE);

  for (guint f = 0; f < N_FILTERS; f++)
    {
      const char *labels[] = { _(filter_all[f]), NULL };

      self->filters[f] = new_choice (labels);
      self->filter_codes[f] = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->filter_codes[f], NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->filters[f]), _(filter_names[f]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->filters[f]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _(filter_names[f]), -1);
      g_signal_connect_object (self->filters[f], "notify::selected",
                               G_CALLBACK (on_filter_changed), self, G_CONNECT_SWAPPED);
      gtk_flow_box_append (self->filter_box, GTK_WIDGET (self->filters[f]));
      gtk_widget_set_focusable (gtk_widget_get_parent (GTK_WIDGET (self->filters[f])), FALSE);
    }
}

static void
cd_complaints_page_dispose (GObject *object)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (object);

  if (self->complaint_list != NULL)
    gtk_list_view_set_model (self->complaint_list, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_COMPLAINTS_PAGE);

  G_OBJECT_CLASS (cd_complaints_page_parent_class)->dispose (object);
}

static void
cd_complaints_page_finalize (GObject *object)
{
  CdComplaintsPage *self = CD_COMPLAINTS_PAGE (object);

  for (guint f = 0; f < N_FILTERS; f++)
    g_clear_pointer (&self->filter_codes[f], g_ptr_array_unref);
  g_hash_table_unref (self->pending);
  g_clear_pointer (&self->templates, cd_complaint_templates_free);
  g_free (self->templates_error);
  g_free (self->draft);
  g_free (self->current);

  G_OBJECT_CLASS (cd_complaints_page_parent_class)->finalize (object);
}

static void
cd_complaints_page_class_init (CdComplaintsPageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_complaints_page_dispose;
  object_class->finalize = cd_complaints_page_finalize;
  page_class->make_source = cd_complaints_page_make_source;
  page_class->action_sent = cd_complaints_page_action_sent;
  page_class->action_refused = cd_complaints_page_action_refused;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-complaints-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, views);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, period_choice);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, stage_box);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, filter_box);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, complaint_list);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, detail);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, figures);
  gtk_widget_class_bind_template_child (widget_class, CdComplaintsPage, tiles);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);

  gtk_widget_class_install_action (widget_class, "complaints.classify", NULL, classify_action);
  gtk_widget_class_install_action (widget_class, "complaints.answer", NULL, answer_action);
  gtk_widget_class_install_action (widget_class, "complaints.extend", NULL, extend_action);
  gtk_widget_class_install_action (widget_class, "complaints.propose", NULL, propose_action);
  gtk_widget_class_install_action (widget_class, "complaints.open-ticket", NULL,
                                   open_ticket_action);
  gtk_widget_class_install_action (widget_class, "complaints.export-csv", NULL,
                                   export_csv_action);
  gtk_widget_class_install_action (widget_class, "complaints.export-pdf", NULL,
                                   export_pdf_action);
  gtk_widget_class_install_action (widget_class, "complaints.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "complaints.propose-group", "u",
                                   propose_group_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "complaints.print", NULL);
  gtk_widget_class_install_action (widget_class, "complaints.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "complaints.refresh", NULL);

  page_class->title = N_("Complaints");
  page_class->icon_name = "emblem-important-symbolic";
  page_class->help_section = "complaints";
  page_class->empty_title = N_("No Complaints Yet");
  page_class->empty_description = N_(
      "Complaints about executors and about the contact center itself, with the days left to "
      "answer each, appear here once one is registered.");
}

static void
cd_complaints_page_init (CdComplaintsPage *self)
{
  g_autoptr(GtkStringList) periods = gtk_string_list_new (NULL);
  GtkListItemFactory *factory;

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->items = gtk_string_list_new (NULL);

  self->updating = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < CD_COMPLAINTS_N_PERIODS; i++)
    gtk_string_list_append (periods, _(period_names[i]));
  gtk_drop_down_set_model (self->period_choice, G_LIST_MODEL (periods));
  gtk_drop_down_set_selected (self->period_choice, CD_COMPLAINTS_PERIOD_30_DAYS);

  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->items)));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind), self);
  gtk_list_view_set_factory (self->complaint_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->complaint_list,
                           GTK_SELECTION_MODEL (g_object_ref (self->selection)));

  cd_tile_fill_row (self->tiles, tile_info, N_TILES, self->tile_widgets);
  build_stages_and_filters (self);
  build_detail (self);
  {
    GtkWidget *none = gtk_label_new (NULL);

    replace_table (self, &self->executor_table, gtk_label_new (NULL));
    replace_table (self, &self->operator_table, gtk_label_new (NULL));
    replace_table (self, &self->repeat_table, gtk_label_new (NULL));
    build_groups (self);
    replace_table (self, &self->groups_table, none);
  }
  self->updating = FALSE;
  show_complaint (self);

  g_signal_connect_object (cd_page_get_search_entry (CD_PAGE (self)), "search-changed",
                           G_CALLBACK (on_search_changed), self, G_CONNECT_SWAPPED);
}

/* For tests and the window {{{1 */

/**
 * cd_complaints_page_get_loading:
 * @self: a #CdComplaintsPage
 *
 * Returns: whether the page is still reading (or has not read yet)
 */
gboolean
cd_complaints_page_get_loading (CdComplaintsPage *self)
{
  CdSource *source;

  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), TRUE);

  source = cd_page_get_source (CD_PAGE (self));
  return source == NULL || cd_source_get_loading (source) ||
         cd_complaints_source_get_items (get_source (self)) == NULL;
}

/**
 * cd_complaints_page_show_stage:
 * @self: a #CdComplaintsPage
 * @stage: the stage whose complaints the list shows
 *
 * What a click on the stage's button does.
 */
void
cd_complaints_page_show_stage (CdComplaintsPage *self,
                               CdComplaintStage  stage)
{
  g_return_if_fail (CD_IS_COMPLAINTS_PAGE (self));
  g_return_if_fail (stage < CD_COMPLAINT_N_STAGES);

  gtk_toggle_button_set_active (self->stage_buttons[stage], TRUE);
}

/**
 * cd_complaints_page_get_n_shown:
 * @self: a #CdComplaintsPage
 *
 * Returns: how many complaints the list shows
 */
guint
cd_complaints_page_get_n_shown (CdComplaintsPage *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

/**
 * cd_complaints_page_select:
 * @self: a #CdComplaintsPage
 * @number: a complaint's number
 *
 * Selects that complaint in the list, as a click on its row does.
 *
 * Returns: whether the list shows it
 */
gboolean
cd_complaints_page_select (CdComplaintsPage *self,
                           const char       *number)
{
  guint n;

  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->items, i), number) == 0)
      {
        gtk_single_selection_set_selected (self->selection, i);
        on_selection_changed (self);
        return TRUE;
      }
  return FALSE;
}

/**
 * cd_complaints_page_get_current:
 * @self: a #CdComplaintsPage
 *
 * Returns: (nullable): the number of the complaint in the view
 */
const char *
cd_complaints_page_get_current (CdComplaintsPage *self)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), NULL);

  return current_item (self) != NULL ? self->current : NULL;
}

/**
 * cd_complaints_page_get_part:
 * @self: a #CdComplaintsPage
 * @name: "class", "responsible", "cause", "classify", "decision", "favour",
 *   "answer-text", "reasons", "appeal", "answer", "extend-days",
 *   "extend-reason", "extend", "propose-text", "propose", "message",
 *   "about", "recording", "figures", "views"
 *
 * Returns: (nullable) (transfer none): that widget of the page, for tests
 *   that work it as a person would
 */
GtkWidget *
cd_complaints_page_get_part (CdComplaintsPage *self,
                             const char       *name)
{
  const struct {
    const char *name;
    gpointer    widget;
  } parts[] = {
    { "class", self->class_choice },
    { "responsible", self->responsible_entry },
    { "cause", self->cause_entry },
    { "classify", self->classify_button },
    { "decision", self->decision_choice },
    { "favour", self->favour_choice },
    { "answer-text", self->answer_view },
    { "reasons", self->reasons_view },
    { "appeal", self->appeal_label },
    { "answer", self->answer_button },
    { "extend-days", self->extend_days },
    { "extend-reason", self->extend_reason },
    { "extend", self->extend_button },
    { "propose-text", self->propose_entry },
    { "propose", self->propose_button },
    { "message", self->message_label },
    { "about", self->about_label },
    { "recording", self->recording_button },
    { "figures", self->figures },
    { "views", self->views },
  };

  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_strcmp0 (parts[i].name, name) == 0)
      return GTK_WIDGET (parts[i].widget);
  return NULL;
}

/**
 * cd_complaints_page_get_tile_text:
 * @self: a #CdComplaintsPage
 * @tile: 0 received, 1 answered on time, 2 upheld, 3 refused, 4 in the
 *   resident's favour
 *
 * Returns: the figure the tile shows
 */
const char *
cd_complaints_page_get_tile_text (CdComplaintsPage *self,
                                  guint             tile)
{
  g_return_val_if_fail (CD_IS_COMPLAINTS_PAGE (self), NULL);
  g_return_val_if_fail (tile < N_TILES, NULL);

  return cd_tile_get_number (self->tile_widgets[tile]);
}
