// SPDX-License-Identifier: GPL-3.0-or-later
//
// Desktop notifications for tickets that newly pass their deadline,
// batched per executor by CdBreachBatcher. The cache is scanned after each
// sync burst and once a minute (a deadline passes without any event).

#include "config.h"

#include <glib/gi18n.h>
#include "cd-breach-batcher.h"
#include "cd-breach-notifier.h"
#include "cd-sla-library.h"
#include "cd-store-reference.h"
#include "cd-store-search.h"

/* At most one notification per executor in this time. */
#define QUIET_SECONDS (10 * 60)
#define SCAN_SECONDS 60
/* Numbers named in a notification's body; the rest are counted. */
#define MAX_NAMED 5

struct _CdBreachNotifier
{
  GObject          parent_instance;

  GApplication    *application;   /* unowned: it owns us */
  CdSession       *session;
  CdBreachBatcher *batcher;
  CdStore         *store;         /* the one the batcher has seen */
  guint            scan_id;
  guint            pending_id;
};

G_DEFINE_FINAL_TYPE (CdBreachNotifier, cd_breach_notifier, G_TYPE_OBJECT)

/* The target that is overdue is the one the ticket is due by; told only
 * while its calendar is working. */
static gboolean
breach_is_working (CdSlaLibrary *library,
                   CdTicket     *ticket,
                   gint64        now)
{
  g_autofree char *name = cd_ticket_dup_due_target (ticket);
  CdSlaPolicy *policy;
  CdSlaCalendar *calendar;
  int index;

  if (library == NULL || name == NULL || ticket->policy == NULL ||
      (policy = cd_sla_library_lookup (library, ticket->policy)) == NULL ||
      (index = cd_sla_policy_find_target (policy, name)) < 0)
    return TRUE;
  calendar = g_hash_table_lookup (cd_sla_library_get_calendars (library),
                                  cd_sla_policy_get_target (policy, index)->calendar);
  return calendar == NULL || cd_sla_calendar_is_working (calendar, now);
}

static void
send_batch (CdBreachNotifier *self,
            CdBreachBatch    *batch)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  guint n = batch->numbers->len;
  /* By name, as the dashboards show it. */
  const char *executor = *batch->executor != '\0'
                             ? cd_store_reference_name (self->store, CD_REFERENCE_EXECUTOR,
                                                        batch->executor)
                             : _("no executor");

  /* Translators: %u is a count of tickets, %s an executor organization. */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new breach at %s",
                                        "%u new breaches at %s", n),
                           n, executor);
  for (guint i = 0; i < n && i < MAX_NAMED; i++)
    g_string_append_printf (body, "%s%s", i > 0 ? ", " : "",
                            (char *) g_ptr_array_index (batch->numbers, i));
  if (n > MAX_NAMED)
    {
      g_string_append (body, ", ");
      /* Translators: %u counts the tickets not named before it. */
      g_string_append_printf (body,
                              g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more",
                                           n - MAX_NAMED),
                              n - MAX_NAMED);
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body->str);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", "overdue");
  /* One per executor: a newer batch replaces the older one on screen.
   * Without a session bus (a bare X session, CI) there is no one to show
   * it to, and GLib's backends would complain. */
  id = g_strdup_printf ("breaches-%s", batch->executor);
  if (g_application_get_dbus_connection (self->application) != NULL)
    g_application_send_notification (self->application, id, notification);
}

/**
 * cd_breach_notifier_scan:
 * @self: a notifier
 * @now: Unix seconds
 *
 * Looks at the cache's overdue tickets and sends what is due.
 *
 * Returns: the number of notifications sent
 */
guint
cd_breach_notifier_scan (CdBreachNotifier *self,
                         gint64            now)
{
  CdStore *store = cd_session_get_store (self->session);
  CdTicketFilter query = { .tile = CD_OVERDUE_TILE_BREACHED, .open_only = TRUE, .now = now };
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) batches = NULL;
  g_autoptr(GArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  CdSlaLibrary *library;

  g_return_val_if_fail (CD_IS_BREACH_NOTIFIER (self), 0);

  /* While catching up, old breaches arrive as if new: wait for the end. */
  if (store == NULL || cd_session_get_state (self->session) == CD_CONNECTION_STATE_SYNCING ||
      cd_session_get_state (self->session) == CD_CONNECTION_STATE_CONNECTING)
    return 0;
  /* Another server's cache: what was overdue there is not news here. */
  if (store != self->store)
    {
      g_clear_pointer (&self->batcher, cd_breach_batcher_free);
      self->batcher = cd_breach_batcher_new (QUIET_SECONDS);
      g_set_object (&self->store, store);
    }

  tickets = cd_store_list_tickets (store, &query, 0, &error);
  if (tickets == NULL)
    {
      g_warning ("Cannot look for new breaches: %s", error->message);
      return 0;
    }

  library = cd_store_get_sla_library (store, NULL);
  seen = g_array_sized_new (FALSE, FALSE, sizeof (CdBreachSeen), tickets->len);
  for (guint i = 0; i < tickets->len; i++)
    {
      CdTicket *ticket = g_ptr_array_index (tickets, i);
      CdBreachSeen s = { ticket->number, ticket->executor,
                         breach_is_working (library, ticket, now) };

      g_array_append_val (seen, s);
    }

  batches = cd_breach_batcher_update (self->batcher, (CdBreachSeen *) seen->data, seen->len, now);
  for (guint i = 0; i < batches->len; i++)
    send_batch (self, g_ptr_array_index (batches, i));
  return batches->len;
}

static gboolean
scan_now (gpointer user_data)
{
  CdBreachNotifier *self = user_data;

  self->pending_id = 0;
  cd_breach_notifier_scan (self, g_get_real_time () / G_USEC_PER_SEC);
  return G_SOURCE_REMOVE;
}

static gboolean
on_minute (gpointer user_data)
{
  scan_now (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_session_changed (CdBreachNotifier *self)
{
  /* A sync burst is many events: one scan after it settles. */
  if (self->pending_id == 0)
    self->pending_id = g_timeout_add_seconds (2, scan_now, self);
}

static void
cd_breach_notifier_dispose (GObject *object)
{
  CdBreachNotifier *self = CD_BREACH_NOTIFIER (object);

  g_clear_handle_id (&self->scan_id, g_source_remove);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_object (&self->session);
  g_clear_object (&self->store);
  g_clear_pointer (&self->batcher, cd_breach_batcher_free);

  G_OBJECT_CLASS (cd_breach_notifier_parent_class)->dispose (object);
}

static void
cd_breach_notifier_class_init (CdBreachNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_breach_notifier_dispose;
}

static void
cd_breach_notifier_init (CdBreachNotifier *self)
{
}

/**
 * cd_breach_notifier_new:
 * @application: the app that sends the notifications (not referenced)
 * @session: the session whose cache is watched
 */
CdBreachNotifier *
cd_breach_notifier_new (GApplication *application,
                        CdSession    *session)
{
  CdBreachNotifier *self = g_object_new (CD_TYPE_BREACH_NOTIFIER, NULL);

  self->application = application;
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_session_changed), self,
                           G_CONNECT_SWAPPED);
  self->scan_id = g_timeout_add_seconds (SCAN_SECONDS, on_minute, self);
  return self;
}
