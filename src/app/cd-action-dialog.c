// SPDX-License-Identifier: GPL-3.0-or-later
//
// Escalate, extend, reassign, remind or comment on one or many tickets.
// Only the actions the role may take on at least one of them are offered;
// each ticket is checked against the transition table here first (a
// closed ticket is refused at once, with the rule that refused it), and
// the rest go to the outbox, which sends them when the server answers.

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cd-action-dialog.h"
#include "cd-action-source.h"
#include "cd-dispatch.h"
#include "cd-store-reference.h"

typedef struct
{
  const char *id;        /* what the dialog calls it */
  CdAction    action;    /* what the journal records */
  const char *label;
  const char *note_title;
  gboolean    note_required;
  const char *note_default;
} ActionSpec;

static const ActionSpec specs[] = {
  { "escalate", CD_ACTION_ESCALATE, N_("Escalate"), N_("Why (required)"), TRUE, NULL },
  { "extend", CD_ACTION_EXTEND, N_("Extend the Deadline"), N_("Reason (required)"), TRUE, NULL },
  { "reassign", CD_ACTION_ASSIGN, N_("Reassign"), N_("Note"), FALSE, NULL },
  { "remind", CD_ACTION_REMIND, N_("Remind the Executor"), N_("Reminder"), TRUE,
    N_("Reminder: this ticket is past its deadline; please act on it or say what blocks it.") },
  { "comment", CD_ACTION_COMMENT, N_("Comment"), N_("Comment (required)"), TRUE, NULL },
};

struct _CdActionDialog
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkButton      *apply_button;
  AdwComboRow    *action_row;
  AdwComboRow    *executor_row;
  AdwActionRow   *days_row;
  GtkSpinButton  *days_spin;
  AdwEntryRow    *note_row;
  GtkLabel       *result_label;

  CdContext      *context;
  CdSession      *session;
  CdActionSource *source;
  GPtrArray      *tickets;       /* CdTicket */
  CdRole          role;
  gint64          now;
  GArray         *offered;       /* guint: indexes into specs[] */
  GtkStringList  *executors;
};

G_DEFINE_FINAL_TYPE (CdActionDialog, cd_action_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const ActionSpec *
selected_spec (CdActionDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->action_row);

  if (self->offered == NULL || selected >= self->offered->len)
    return NULL;
  return &specs[g_array_index (self->offered, guint, selected)];
}

static void
update_apply (CdActionDialog *self)
{
  const ActionSpec *spec = selected_spec (self);
  g_autofree char *note = g_strstrip (
      g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  gboolean ok = spec != NULL && (!spec->note_required || *note != '\0');

  if (spec != NULL && spec->action == CD_ACTION_ASSIGN)
    ok = ok && adw_combo_row_get_selected_item (self->executor_row) != NULL;
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), ok);
}

static void
on_note_changed (CdActionDialog *self)
{
  update_apply (self);
}

static void
on_action_changed (CdActionDialog *self)
{
  const ActionSpec *spec = selected_spec (self);

  if (spec == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->executor_row), spec->action == CD_ACTION_ASSIGN);
  gtk_widget_set_visible (GTK_WIDGET (self->days_row), spec->action == CD_ACTION_EXTEND);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note_row), _(spec->note_title));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row),
                         spec->note_default != NULL ? _(spec->note_default) : "");
  update_apply (self);
}

static JsonObject *
build_payload (CdActionDialog   *self,
               const ActionSpec *spec,
               CdTicket         *ticket)
{
  JsonObject *payload = json_object_new ();
  g_autofree char *note = g_strstrip (
      g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));

  if (*note != '\0')
    json_object_set_string_member (payload, "note", note);
  if (spec->action == CD_ACTION_ASSIGN)
    {
      GtkStringObject *item = adw_combo_row_get_selected_item (self->executor_row);

      /* The list shows names; each item keeps the code it stands for. */
      if (item != NULL)
        json_object_set_string_member (payload, "executor",
                                       g_object_get_data (G_OBJECT (item), "code"));
    }
  if (spec->action == CD_ACTION_EXTEND)
    {
      /* The clock an extension moves: the one the ticket is due by. */
      g_autofree char *target = cd_ticket_dup_due_target (ticket);

      if (target != NULL)
        json_object_set_string_member (payload, "target", target);
      json_object_set_int_member (payload, "days",
                                  gtk_spin_button_get_value_as_int (self->days_spin));
    }
  return payload;
}

/**
 * cd_action_dialog_apply:
 *
 * Checks each ticket and queues the action for those that allow it; says
 * which were refused and why.
 *
 * Returns: the number of actions queued
 */
guint
cd_action_dialog_apply (CdActionDialog *self)
{
  const ActionSpec *spec = selected_spec (self);
  CdSync *sync = cd_session_get_sync (self->session);
  g_autoptr(GString) refused = g_string_new (NULL);
  guint queued = 0;

  g_return_val_if_fail (CD_IS_ACTION_DIALOG (self), 0);

  if (spec == NULL)
    return 0;
  if (sync == NULL)
    {
      gtk_label_set_label (self->result_label, _("Not connected to a server: log in first."));
      gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
      return 0;
    }

  for (guint i = 0; i < self->tickets->len; i++)
    {
      CdTicket *ticket = g_ptr_array_index (self->tickets, i);
      g_autoptr(JsonObject) payload = build_payload (self, spec, ticket);
      g_autoptr(GError) error = NULL;

      if (cd_dispatch_check (ticket, spec->action, self->role, payload, &error))
        {
          if (cd_sync_act (sync, ticket->number, spec->action, payload, &error) > 0)
            {
              queued++;
              continue;
            }
        }
      g_string_append_printf (refused, "%s: %s\n", ticket->number, error->message);
    }

  if (refused->len > 0)
    {
      g_autofree char *text = NULL;

      g_strchomp (refused->str);
      /* Translators: %u is a count of tickets, then one line per refused ticket. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u ticket queued. Not possible for:\n%s",
                                           "%u tickets queued. Not possible for:\n%s", queued),
                              queued, refused->str);
      gtk_label_set_label (self->result_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
    }
  if (queued > 0)
    {
      g_autofree char *summary = NULL;

      /* Translators: an action as the dialog names it ("Escalate"), then a count of tickets. */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "“%s”: queued for %u ticket",
                                              "“%s”: queued for %u tickets", queued),
                                 _(spec->label), queued);
      g_signal_emit (self, signals[APPLIED], 0, summary);
    }
  return queued;
}

static void
on_apply_clicked (CdActionDialog *self)
{
  cd_action_dialog_apply (self);

  /* Refusals stay on screen to be read. The accepted actions show in the
   * lists when the server confirms them (the session's "changed"). */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->result_label)))
    gtk_window_close (GTK_WINDOW (self));
}

typedef struct
{
  char *code;
  char *name;
  char *key;  /* the name's collation key */
} ExecutorItem;

static void
executor_item_free (gpointer data)
{
  ExecutorItem *item = data;

  g_free (item->code);
  g_free (item->name);
  g_free (item->key);
  g_free (item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const ExecutorItem *x = *(ExecutorItem * const *) a;
  const ExecutorItem *y = *(ExecutorItem * const *) b;
  int by_name = strcmp (x->key, y->key);

  return by_name != 0 ? by_name : strcmp (x->code, y->code);
}

static void
add_executor (GHashTable *items,
              CdStore    *store,
              const char *code)
{
  ExecutorItem *item;

  if (code == NULL || *code == '\0' || g_hash_table_contains (items, code))
    return;
  item = g_new0 (ExecutorItem, 1);
  item->code = g_strdup (code);
  item->name = g_strdup (cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, code));
  item->key = g_utf8_collate_key (item->name, -1);
  g_hash_table_insert (items, item->code, item);
}

/* Every organization the source found, by name; none is chosen for the
 * supervisor. */
static void
load_executors (CdActionDialog *self)
{
  CdStore *store = cd_session_get_store (self->session);
  GPtrArray *codes = cd_action_source_get_executors (self->source);
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       executor_item_free);
  g_autoptr(GPtrArray) sorted = NULL;
  GHashTableIter iter;
  gpointer value;

  gtk_string_list_splice (self->executors, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->executors)), NULL);
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    add_executor (items, store, g_ptr_array_index (codes, i));

  sorted = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (sorted, value);
  g_ptr_array_sort (sorted, compare_items);
  for (guint i = 0; i < sorted->len; i++)
    {
      ExecutorItem *item = g_ptr_array_index (sorted, i);
      g_autoptr(GObject) object = NULL;

      gtk_string_list_append (self->executors, item->name);
      object = g_list_model_get_item (G_LIST_MODEL (self->executors), i);
      /* The list shows names; each item keeps the code it stands for. */
      g_object_set_data_full (object, "code", g_strdup (item->code), g_free);
    }
  adw_combo_row_set_selected (self->executor_row, GTK_INVALID_LIST_POSITION);
}

static void
offer_actions (CdActionDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  g_array_set_size (self->offered, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_row), TRUE);
  for (guint s = 0; s < G_N_ELEMENTS (specs); s++)
    for (guint i = 0; i < self->tickets->len; i++)
      {
        CdTicket *ticket = g_ptr_array_index (self->tickets, i);

        if (cd_dispatch_is_allowed (ticket->state, specs[s].action, self->role))
          {
            g_array_append_val (self->offered, s);
            gtk_string_list_append (labels, _(specs[s].label));
            break;
          }
      }
  adw_combo_row_set_model (self->action_row, G_LIST_MODEL (labels));
  on_action_changed (self);
  if (self->offered->len == 0)
    {
      gtk_label_set_label (self->result_label, _("Your role cannot act on these tickets."));
      gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->action_row), FALSE);
    }
}

/**
 * cd_action_dialog_select:
 * @action: "escalate", "extend", "reassign", "remind" or "comment"
 *
 * Returns: whether the action is offered for these tickets
 */
gboolean
cd_action_dialog_select (CdActionDialog *self,
                         const char     *action)
{
  g_return_val_if_fail (CD_IS_ACTION_DIALOG (self), FALSE);

  for (guint i = 0; i < self->offered->len; i++)
    if (g_str_equal (specs[g_array_index (self->offered, guint, i)].id, action))
      {
        adw_combo_row_set_selected (self->action_row, i);
        on_action_changed (self);
        return TRUE;
      }
  return FALSE;
}

void
cd_action_dialog_set_note (CdActionDialog *self,
                           const char     *note)
{
  g_return_if_fail (CD_IS_ACTION_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), note);
}

/* Enter applies from anywhere in the dialog but a button or an open
 * list: a combo row would otherwise take it to open its list again, right
 * after the executor was chosen from it. The default widget does the
 * rest: nothing happens while Apply cannot be clicked. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CdActionDialog        *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      (state & gtk_accelerator_get_default_mod_mask ()) != 0 ||
      (focus != NULL &&
       (GTK_IS_BUTTON (focus) || gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)))
    return GDK_EVENT_PROPAGATE;
  gtk_widget_activate_default (GTK_WIDGET (self));
  return GDK_EVENT_STOP;
}

static void
cd_action_dialog_dispose (GObject *object)
{
  CdActionDialog *self = CD_ACTION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_ACTION_DIALOG);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_pointer (&self->tickets, g_ptr_array_unref);
  g_clear_pointer (&self->offered, g_array_unref);
  g_clear_object (&self->executors);

  G_OBJECT_CLASS (cd_action_dialog_parent_class)->dispose (object);
}

static void
cd_action_dialog_class_init (CdActionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_action_dialog_dispose;

  /**
   * CdActionDialog::applied:
   * @summary: what was queued, for a toast
   *
   * Actions were queued in the outbox.
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-action-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, action_row);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, executor_row);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, days_row);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, days_spin);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, CdActionDialog, result_label);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_action_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_note_changed);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cd_action_dialog_init (CdActionDialog *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->tickets = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_ticket_unref);
  self->offered = g_array_new (FALSE, FALSE, sizeof (guint));
  self->executors = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->executor_row, G_LIST_MODEL (self->executors));
  g_signal_connect_object (self->executor_row, "notify::selected", G_CALLBACK (update_apply), self,
                           G_CONNECT_SWAPPED);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* The selection as the cache holds it: read once, when the dialog opens,
 * so that what the supervisor chose stays put while events arrive. */
static void
on_source_changed (CdActionDialog *self)
{
  GPtrArray *tickets = cd_action_source_get_tickets (self->source);
  g_autofree char *title = NULL;
  guint n;

  g_signal_handlers_disconnect_by_data (self->source, self);
  for (guint i = 0; tickets != NULL && i < tickets->len; i++)
    g_ptr_array_add (self->tickets, cd_ticket_ref (g_ptr_array_index (tickets, i)));
  n = self->tickets->len;

  if (n == 1)
    /* Translators: %s is a ticket number. */
    title = g_strdup_printf (_("Ticket %s"),
                             ((CdTicket *) g_ptr_array_index (self->tickets, 0))->number);
  else
    /* Translators: %u is a count of selected tickets. */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Ticket", "%u Tickets", n), n);
  adw_window_title_set_title (self->window_title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  load_executors (self);
  offer_actions (self);
}

/**
 * cd_action_dialog_new:
 * @context: where the actions go (its session's outbox), where the tickets
 *   come from, the role acting and the moment
 * @numbers: (array zero-terminated=1): the selected tickets
 *
 * The dialog offers the actions once its source has read the tickets
 * (cd_action_dialog_get_loading()).
 */
CdActionDialog *
cd_action_dialog_new (CdContext          *context,
                      const char * const *numbers)
{
  CdActionDialog *self;

  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (numbers != NULL, NULL);

  self = g_object_new (CD_TYPE_ACTION_DIALOG, NULL);
  self->context = g_object_ref (context);
  self->session = g_object_ref (cd_context_get_session (context));
  self->now = cd_context_get_now (context);
  if (!cd_role_from_string (cd_context_get_role (context), &self->role))
    self->role = CD_ROLE_SUPERVISOR;
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_row), FALSE);

  self->source = cd_action_source_new (context, numbers);
  g_signal_connect_object (self->source, "changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  cd_source_refresh (CD_SOURCE (self->source));
  return self;
}

/* Returns: whether the dialog waits for the tickets it acts on. */
gboolean
cd_action_dialog_get_loading (CdActionDialog *self)
{
  g_return_val_if_fail (CD_IS_ACTION_DIALOG (self), FALSE);

  return !cd_source_get_ready (CD_SOURCE (self->source));
}
