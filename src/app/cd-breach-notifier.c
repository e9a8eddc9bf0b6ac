// SPDX-License-Identifier: GPL-3.0-or-later
//
// Desktop notifications for tickets that newly pass their deadline,
// batched per executor by CdBreachBatcher. A CdBreachSource reads the
// breached tickets off the main loop after each sync burst and once a
// minute (a deadline passes without any event).

#include "config.h"

#include <glib/gi18n.h>
#include "cd-breach-batcher.h"
#include "cd-breach-notifier.h"
#include "cd-breach-source.h"
#include "cd-store-reference.h"

/* At most one notification per executor in this time. */
#define QUIET_SECONDS (10 * 60)
#define SCAN_SECONDS 60
/* Numbers named in a notification's body; the rest are counted. */
#define MAX_NAMED 5

struct _CdBreachNotifier
{
  GObject          parent_instance;

  GApplication    *application;   /* unowned: it owns us */
  CdContext       *context;
  CdBreachSource  *source;
  CdBreachBatcher *batcher;
  CdStore         *store;         /* the one the batcher has seen */
  guint            scan_id;
};

G_DEFINE_FINAL_TYPE (CdBreachNotifier, cd_breach_notifier, G_TYPE_OBJECT)

enum {
  SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* What the source read is judged here, on the main thread, where the
 * batcher remembers what was told. */
static void
on_scanned (CdBreachNotifier *self)
{
  CdSession *session = cd_context_get_session (self->context);
  CdStore *store = cd_context_get_store (self->context);
  g_autoptr(GPtrArray) batches = NULL;
  const CdBreachSeen *seen;
  guint n_seen, sent = 0;
  gint64 now;

  seen = cd_breach_source_get_seen (self->source, &n_seen, &now);
  /* While catching up, old breaches arrive as if new: wait for the end. */
  if (store == NULL || seen == NULL ||
      cd_session_get_state (session) == CD_CONNECTION_STATE_SYNCING ||
      cd_session_get_state (session) == CD_CONNECTION_STATE_CONNECTING)
    {
      g_signal_emit (self, signals[SCANNED], 0, 0);
      return;
    }
  /* Another server's cache: what was overdue there is not news here. */
  if (store != self->store)
    {
      g_clear_pointer (&self->batcher, cd_breach_batcher_free);
      self->batcher = cd_breach_batcher_new (QUIET_SECONDS);
      g_set_object (&self->store, store);
    }

  batches = cd_breach_batcher_update (self->batcher, seen, n_seen, now);
  for (guint i = 0; i < batches->len; i++)
    send_batch (self, g_ptr_array_index (batches, i));
  sent = batches->len;
  g_signal_emit (self, signals[SCANNED], 0, sent);
}

/**
 * cd_breach_notifier_scan:
 * @self: a notifier
 *
 * Looks at the cache's overdue tickets now, off the main loop, and sends
 * what is due; #CdBreachNotifier::scanned says how many were sent.
 */
void
cd_breach_notifier_scan (CdBreachNotifier *self)
{
  g_return_if_fail (CD_IS_BREACH_NOTIFIER (self));

  cd_source_refresh (CD_SOURCE (self->source));
}

static gboolean
on_minute (gpointer user_data)
{
  cd_breach_notifier_scan (user_data);
  return G_SOURCE_CONTINUE;
}

static void
cd_breach_notifier_dispose (GObject *object)
{
  CdBreachNotifier *self = CD_BREACH_NOTIFIER (object);

  g_clear_handle_id (&self->scan_id, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_object (&self->context);
  g_clear_object (&self->store);
  g_clear_pointer (&self->batcher, cd_breach_batcher_free);

  G_OBJECT_CLASS (cd_breach_notifier_parent_class)->dispose (object);
}

static void
cd_breach_notifier_class_init (CdBreachNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_breach_notifier_dispose;

  /**
   * CdBreachNotifier::scanned:
   * @sent: the notifications sent
   *
   * A look at the cache's overdue tickets was judged.
   */
  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
cd_breach_notifier_init (CdBreachNotifier *self)
{
}

/**
 * cd_breach_notifier_new:
 * @application: the app that sends the notifications (not referenced)
 * @context: the session whose cache is watched, and the clock
 */
CdBreachNotifier *
cd_breach_notifier_new (GApplication *application,
                        CdContext    *context)
{
  CdBreachNotifier *self;

  g_return_val_if_fail (CD_IS_CONTEXT (context), NULL);

  self = g_object_new (CD_TYPE_BREACH_NOTIFIER, NULL);
  self->application = application;
  self->context = g_object_ref (context);
  /* The source reads again after each sync burst by itself. */
  self->source = cd_breach_source_new (context);
  g_signal_connect_object (self->source, "changed", G_CALLBACK (on_scanned), self,
                           G_CONNECT_SWAPPED);
  self->scan_id = g_timeout_add_seconds (SCAN_SECONDS, on_minute, self);
  return self;
}
