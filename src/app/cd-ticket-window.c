// SPDX-License-Identifier: GPL-3.0-or-later
//
// One ticket: its details, its SLA clock, its whole history (checked
// against the hash chain), repeats at the same building, and links to
// related calls and complaints. Everything shown comes from a
// CdTicketSource, read off the main loop and again as events arrive.

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "cd-category.h"
#include "cd-format.h"
#include "cd-personal.h"
#include "cd-sla-policy.h"
#include "cd-store-history.h"
#include "cd-store-reference.h"
#include "cd-ticket-list-model.h"
#include "cd-ticket-source.h"
#include "cd-ticket-window.h"

struct _CdTicketWindow
{
  AdwWindow       parent_instance;

  /* What opens another ticket from this one, as this one was opened. */
  CdContext      *context;
  CdTicketSource *source;

  GtkStack       *stack;
  AdwStatusPage  *error_page;
  AdwWindowTitle *title;
  GtkBox         *box;

  CdTicket       *ticket;
  gboolean   chain_verified;
  guint      n_history;
  guint      n_clocks;
  guint      n_repeats;
  char      *resident_text;
};

G_DEFINE_FINAL_TYPE (CdTicketWindow, cd_ticket_window, ADW_TYPE_WINDOW)

/* A row that opens ticket @number in its own window, on a click or Enter. */
static void
make_opens_ticket (AdwActionRow *row,
                   const char   *number)
{
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  /* The target first: a row added to a shown window checks its action at
   * once. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", number);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "ticket.open");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* Translators: the tooltip of a row that opens another ticket. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("Open this ticket"));
  gtk_widget_add_css_class (arrow, "dim-label");
  adw_action_row_add_suffix (row, arrow);
}

static AdwActionRow *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *value)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : "—");
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

/* A name in the user's language, with the code it stands for in the
 * tooltip, where a supervisor who speaks in codes can still find it. */
static AdwActionRow *
add_named_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *name,
               const char          *code)
{
  AdwActionRow *row = add_row (group, title, name);

  if (code != NULL && g_strcmp0 (name, code) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (row), code);
  return row;
}

static AdwPreferencesGroup *
new_group (GtkBox     *box,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_box_append (box, group);
  return ADW_PREFERENCES_GROUP (group);
}

static char *
format_time (gint64 time,
             gint64 now)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (time);
  g_autoptr(GDateTime) n = g_date_time_new_from_unix_local (now);

  if (time == 0 || t == NULL || n == NULL)
    return g_strdup ("—");
  return cd_format_deadline (t, n);
}

/* "Assigned: ZhES No. 3", "Reopened: Resident says …". */
static char *
describe_event (CdStore *store,
                CdEvent *event)
{
  static const struct {
    const char *type;
    const char *what;
  } verbs[] = {
    { "register", N_("Registered") },
    { "assign", N_("Assigned") },
    { "accept", N_("Accepted by the executor") },
    { "start", N_("Work started") },
    { "wait", N_("Waiting") },
    { "resume", N_("Resumed") },
    { "resolve", N_("Resolved") },
    { "reopen", N_("Reopened") },
    { "close", N_("Closed") },
    { "close_unconfirmed", N_("Closed without the resident’s confirmation") },
    { "refuse", N_("Refused") },
    { "cancel", N_("Cancelled") },
    { "escalate", N_("Escalated") },
    { "extend", N_("Deadline extended") },
    { "comment", N_("Comment") },
    { "link", N_("Linked") },
  };
  const char *keys[] = { "executor", "target", "note", "text", "reason", "comment" };
  const char *what = event->type;
  GString *s;

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (verbs[i].type, event->type))
      what = _(verbs[i].what);
  s = g_string_new (what);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = cd_event_get_string (event, keys[i]);

      if (g_str_equal (keys[i], "executor"))
        value = cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, value);
      else if (g_str_equal (keys[i], "target"))
        value = cd_sla_target_label_for_code (value);
      if (value != NULL && *value != '\0')
        {
          g_string_append_printf (s, ": %s", value);
          break;
        }
    }
  return g_string_free (s, FALSE);
}

static void
build_details (CdTicketWindow *self,
               GtkBox         *box,
               CdStore        *store,
               const char     *role)
{
  const CdTicket *t = self->ticket;
  AdwPreferencesGroup *group = new_group (box, _("Ticket"), NULL);
  g_autofree char *address = cd_ticket_format_address_in (store, t);
  g_autofree char *category = cd_category_dup_path_label (t->category);
  g_autofree char *phone = cd_personal_role_sees (role)
                               ? g_strdup (t->resident_phone)
                               : cd_personal_mask_phone (t->resident_phone);

  self->resident_text = g_strdup_printf ("%s%s%s", t->resident_name != NULL ? t->resident_name : "",
                                         phone != NULL ? ", " : "", phone != NULL ? phone : "");
  add_row (group, _("Number"), t->number);
  add_named_row (group, _("Kind"), cd_ticket_kind_get_label (t->kind),
                 cd_ticket_kind_to_string (t->kind));
  add_named_row (group, _("Category"), category, t->category);
  add_row (group, _("Address"), address);
  add_row (group, _("Resident"), self->resident_text);
  add_named_row (group, _("Executor"),
                 t->executor != NULL
                   ? cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, t->executor)
                   : _("Unassigned"),
                 t->executor);
  add_named_row (group, _("State"), cd_ticket_state_get_label (t->state),
                 cd_ticket_state_to_string (t->state));
  if (t->description != NULL)
    add_row (group, _("Description"), t->description);
}

static GtkWidget *
progress_bar (double   progress,
              gboolean breached)
{
  GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);

  gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), progress);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_set_size_request (bar, 160, -1);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  if (breached)
    gtk_widget_add_css_class (bar, "overdue");
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Share of the allowed time used"), -1);
  return bar;
}

static char *
describe_clock (const CdTicketClockView *view,
                gint64                   now)
{
  g_autofree char *due = view->due != CD_SLA_NEVER ? format_time (view->due, now) : g_strdup ("—");
  g_autofree char *late = NULL;

  switch (view->state)
    {
    case CD_SLA_CLOCK_RUNNING:
    case CD_SLA_CLOCK_AT_RISK:
      {
        g_autofree char *remaining = cd_format_remaining (view->due - now);

        /* Translators: "Due Tue 09:30 · in 23 min". */
        return g_strdup_printf (view->state == CD_SLA_CLOCK_AT_RISK ? _("At risk · due %s · %s")
                                                                    : _("Due %s · %s"),
                                due, remaining);
      }
    case CD_SLA_CLOCK_PAUSED:
      /* Translators: a paused clock; %s is the deadline were it resumed now. */
      return g_strdup_printf (_("Paused · due %s if resumed now"), due);
    case CD_SLA_CLOCK_MET:
      return g_strdup_printf (_("Met · was due %s"), due);
    case CD_SLA_CLOCK_BREACHED:
      late = cd_format_duration (view->late);
      /* Translators: "Breached · due Tue 09:30 · 2 h 10 min late". */
      return g_strdup_printf (_("Breached · due %s · %s late"), due, late);
    case CD_SLA_CLOCK_STOPPED:
      return g_strdup (_("Stopped: the ticket ended before its deadline"));
    case CD_SLA_CLOCK_PENDING:
    default:
      return g_strdup (_("Not started"));
    }
}

/* When the SLA engine cannot judge (no SLA data on this computer), the due
 * time the store recorded still says how the ticket stands. */
static void
build_recorded_clock (CdTicketWindow      *self,
                      AdwPreferencesGroup *group,
                      gint64               now,
                      const char          *why)
{
  g_autofree char *due = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *subtitle = NULL;
  CdTicketClock clock;
  AdwActionRow *row;

  cd_ticket_clock_from_ticket (self->ticket, now, &clock);
  if (clock.due == 0)
    {
      add_row (group, _("Resolution"),
               why != NULL ? why : _("No deadline: the ticket’s policy sets none"));
      return;
    }
  due = format_time (clock.due, now);
  if (clock.stopped)
    remaining = g_strdup (clock.breached ? _("Resolved late") : _("Resolved on time"));
  else
    remaining = cd_format_remaining (clock.remaining);
  subtitle = g_strdup_printf (_("Due %s · %s"), due, remaining);
  row = add_row (group, _("Resolution"), subtitle);
  adw_action_row_add_suffix (row, progress_bar (clock.progress, clock.breached));
  if (why != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (row), why);
}

static void
build_clock (CdTicketWindow *self,
             GtkBox         *box,
             gint64          now)
{
  AdwPreferencesGroup *group = new_group (box, _("Deadlines"), NULL);
  const char *why_none = NULL;
  GPtrArray *views = cd_ticket_source_get_clocks (self->source, &why_none);

  if (views == NULL || views->len == 0)
    {
      build_recorded_clock (self, group, now, why_none);
      return;
    }

  for (guint i = 0; i < views->len; i++)
    {
      const CdTicketClockView *view = g_ptr_array_index (views, i);
      g_autofree char *subtitle = describe_clock (view, now);
      AdwActionRow *row = add_named_row (group, cd_sla_target_label_for_code (view->target),
                                         subtitle, NULL);

      gtk_widget_set_tooltip_text (GTK_WIDGET (row), view->target);

      adw_action_row_add_suffix (row, progress_bar (view->progress,
                                                    view->state == CD_SLA_CLOCK_BREACHED));
      self->n_clocks++;
    }
}

static void
build_history (CdTicketWindow *self,
               GtkBox         *box,
               CdStore        *store,
               gint64          now)
{
  AdwPreferencesGroup *group;
  GtkWidget *mark;
  GtkWidget *mark_box;
  GtkWidget *mark_label;
  gint64 bad = 0;
  GPtrArray *events = cd_ticket_source_get_history (self->source, &bad);

  self->chain_verified = bad == 0;

  group = new_group (box, _("History"), NULL);
  mark_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  mark = gtk_image_new_from_icon_name (self->chain_verified ? "emblem-ok-symbolic"
                                                            : "dialog-error-symbolic");
  mark_label = gtk_label_new (self->chain_verified ? _("Hash chain verified")
                                                   : _("Does not match the hash chain"));
  gtk_widget_add_css_class (mark_label, "caption");
  if (!self->chain_verified)
    {
      g_autofree char
          *tooltip = g_strdup_printf (_("Event %" PRId64
                                         " was changed after it was written, or the event before "
                                         "it was. Run “citydeskctl verify” on the server."),
                                      bad);

      gtk_widget_add_css_class (mark, "error");
      gtk_widget_add_css_class (mark_label, "error");
      gtk_widget_set_tooltip_text (mark_box, tooltip);
    }
  else
    gtk_widget_add_css_class (mark_label, "dim-label");
  gtk_box_append (GTK_BOX (mark_box), mark);
  gtk_box_append (GTK_BOX (mark_box), mark_label);
  gtk_widget_set_valign (mark_box, GTK_ALIGN_END);
  adw_preferences_group_set_header_suffix (group, mark_box);

  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *event = g_ptr_array_index (events, i);
      g_autofree char *what = describe_event (store, event);
      g_autofree char *when = format_time (event->time, now);
      g_autofree char *subtitle = NULL;
      AdwActionRow *row;

      /* Translators: when, who and in which role: "Tue 09:30 · ivanova (operator)". */
      subtitle = g_strdup_printf (_("%s · %s (%s)"), when, event->actor,
                                  cd_role_label_for_code (event->role));
      row = add_row (group, what, subtitle);
      if (bad != 0 && event->seq == bad)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

          gtk_widget_add_css_class (icon, "error");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("This event does not match the hash chain"), -1);
          adw_action_row_add_suffix (row, icon);
        }
      self->n_history++;
    }
}

static void
build_related (CdTicketWindow *self,
               GtkBox         *box,
               gint64          now)
{
  GPtrArray *repeats = cd_ticket_source_get_repeats (self->source);
  GPtrArray *incident = cd_ticket_source_get_incident (self->source);
  AdwPreferencesGroup *group;

  group = new_group (
      box, _("Repeats at the Same Building"),
      _("Tickets of the same category at this building, open or closed within 30 days."));
  for (guint i = 0; i < repeats->len; i++)
    {
      CdTicket *other = g_ptr_array_index (repeats, i);
      g_autofree char *when = format_time (other->created_at, now);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", when,
                                                   cd_ticket_state_get_label (other->state));

      make_opens_ticket (add_row (group, other->number, subtitle), other->number);
      self->n_repeats++;
    }
  if (repeats->len == 0)
    add_row (group, _("None"), _("No other ticket about this at this building."));

  if (self->ticket->incident != NULL && incident != NULL)
    {
      g_autofree char *count = NULL;

      group = new_group (box, _("Mass Incident"), NULL);
      count = g_strdup_printf (ngettext ("%u ticket about the same problem nearby",
                                         "%u tickets about the same problem nearby", incident->len),
                               incident->len);
      make_opens_ticket (add_row (group, self->ticket->incident, count), self->ticket->incident);
    }

  group = new_group (box, _("Related Calls and Complaints"), NULL);
  add_row (group, _("Calls"),
           _("Calls about this ticket appear here once call records are linked."));
  add_row (group, _("Complaints"),
           _("Complaints about this ticket appear here once complaints are linked."));
}

/* What the source read, laid out again: a ticket view follows the ticket
 * as events arrive. */
static void
on_source_changed (CdTicketWindow *self)
{
  const GError *error = cd_ticket_source_get_error (self->source);
  CdStore *store = cd_context_get_store (self->context);
  gint64 now = cd_context_get_now (self->context);
  GtkWidget *child;

  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_clear_pointer (&self->ticket, cd_ticket_unref);
  g_clear_pointer (&self->resident_text, g_free);
  self->n_history = self->n_clocks = self->n_repeats = 0;

  self->ticket = cd_ticket_ref (cd_ticket_source_get_ticket (self->source));
  adw_window_title_set_subtitle (self->title, cd_category_label_for_code (self->ticket->category));
  build_details (self, self->box, store, cd_context_get_role (self->context));
  build_clock (self, self->box, now);
  build_history (self, self->box, store, now);
  build_related (self, self->box, now);
  gtk_stack_set_visible_child_name (self->stack, "ticket");
}

static void
cd_ticket_window_finalize (GObject *object)
{
  CdTicketWindow *self = CD_TICKET_WINDOW (object);

  g_clear_pointer (&self->ticket, cd_ticket_unref);
  g_clear_pointer (&self->resident_text, g_free);

  G_OBJECT_CLASS (cd_ticket_window_parent_class)->finalize (object);
}

static void
cd_ticket_window_dispose (GObject *object)
{
  CdTicketWindow *self = CD_TICKET_WINDOW (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (cd_ticket_window_parent_class)->dispose (object);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cd_ticket_window_open_ticket (CD_TICKET_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
cd_ticket_window_class_init (CdTicketWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_ticket_window_dispose;
  object_class->finalize = cd_ticket_window_finalize;
  gtk_widget_class_install_action (widget_class, "ticket.open", "s", open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cd_ticket_window_init (CdTicketWindow *self)
{
}

/* The main window owns the action dialog: it knows the session and role. */
static void
on_act_clicked (CdTicketWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char *numbers[] = { cd_ticket_source_get_number (self->source), NULL };

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.act-on-tickets", "^as", numbers);
}

/**
 * cd_ticket_window_new:
 * @context: the cache, the moment to judge deadlines by, and the user's
 *   role, which decides whether the phone is shown
 * @number: the ticket's number (or id)
 *
 * The window shows the ticket once its source has read it
 * (cd_ticket_window_get_loading()), or says why it cannot.
 *
 * Returns: (transfer full): the window
 */
CdTicketWindow *
cd_ticket_window_new (CdContext  *context,
                      const char *number)
{
  CdTicketWindow *self;
  GtkWidget *toolbar, *header, *scrolled, *clamp, *act, *spinner;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  self = g_object_new (CD_TYPE_TICKET_WINDOW, "default-width", 640, "default-height", 760, NULL);
  self->context = g_object_ref (context);

  /* Translators: the ticket view's title, %s is a number like 2026-000123. */
  heading = g_strdup_printf (_("Ticket %s"), number);
  gtk_window_set_title (GTK_WINDOW (self), heading);
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (heading, NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  act = gtk_button_new_with_mnemonic (_("_Act…"));
  gtk_widget_set_tooltip_text (act, _("Escalate, extend, reassign, remind or comment"));
  g_signal_connect_object (act, "clicked", G_CALLBACK (on_act_clicked), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), act);
  gtk_box_append (GTK_BOX (toolbar), header);

  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 24));
  gtk_widget_set_margin_top (GTK_WIDGET (self->box), 24);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->box), 24);
  gtk_widget_set_margin_start (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->box), 12);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->box));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);

  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reading the ticket"), -1);
  self->error_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  adw_status_page_set_title (self->error_page, _("Cannot Open the Ticket"));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, spinner, "loading");
  gtk_stack_add_named (self->stack, scrolled, "ticket");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->error_page), "error");
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), toolbar);

  self->source = cd_ticket_source_new (context, number);
  g_signal_connect_object (self->source, "changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  cd_source_refresh (CD_SOURCE (self->source));
  return self;
}

/* Returns: whether the window waits for its ticket. */
gboolean
cd_ticket_window_get_loading (CdTicketWindow *self)
{
  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), FALSE);

  return cd_source_get_loading (CD_SOURCE (self->source)) ||
         !cd_source_get_ready (CD_SOURCE (self->source));
}

/**
 * cd_ticket_window_open_ticket:
 * @self: a ticket window
 * @number: another ticket's number, such as a repeat's
 *
 * Opens @number in a window of its own, beside @self and as @self was
 * opened (the same cache, moment and role). The repeat and incident rows
 * call it when activated (`ticket.open`). A ticket that cannot be read is
 * said in its window.
 *
 * Returns: (transfer none) (nullable): the new window
 */
CdTicketWindow *
cd_ticket_window_open_ticket (CdTicketWindow *self,
                              const char     *number)
{
  CdTicketWindow *window;
  GtkWindow *parent;
  GtkApplication *app;

  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  window = cd_ticket_window_new (self->context, number);
  parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent != NULL ? parent : GTK_WINDOW (self));
  if ((app = gtk_window_get_application (GTK_WINDOW (self))) != NULL)
    gtk_window_set_application (GTK_WINDOW (window), app);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

const CdTicket *
cd_ticket_window_get_ticket (CdTicketWindow *self)
{
  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), NULL);

  return self->ticket;
}

gboolean
cd_ticket_window_get_chain_verified (CdTicketWindow *self)
{
  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), FALSE);

  return self->chain_verified;
}

guint
cd_ticket_window_get_n_clocks (CdTicketWindow *self)
{
  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), 0);

  return self->n_clocks;
}

guint
cd_ticket_window_get_n_history (CdTicketWindow *self)
{
  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), 0);

  return self->n_history;
}

const char *
cd_ticket_window_get_resident_text (CdTicketWindow *self)
{
  g_return_val_if_fail (CD_IS_TICKET_WINDOW (self), NULL);

  return self->resident_text;
}
