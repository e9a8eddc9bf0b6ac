// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-notify.c: sending the queued messages to residents
 *
 * Once a second the sender claims the due rows of the queue
 * (cd-store-notifications.c), as many as it may send at once, and hands
 * each to the configured transport: a command (GSubprocess, the text on
 * its standard input), a webhook (a POST with libsoup) or, for the demo, a
 * file it appends to. The claim is committed before anything leaves, and
 * the answer is recorded when it comes, so that a row is `sending` for
 * exactly as long as its outcome is unknown. A row a stopped server left
 * `sending` is tried again under the same key, which the receiver is
 * given to drop a repeat: nothing is sent twice to a receiver that keeps
 * the key (docs/notifications.md, "Nothing sent twice").
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cd-notify-backoff.h"
#include "cd-notify-template.h"
#include "cd-reference.h"
#include "cd-server-notify.h"
#include "cd-server-private.h"
#include "cd-sla-library.h"
#include "cd-store-notifications.h"
#include "cd-store-reference.h"
#include "cd-ticket-list-model.h"

typedef enum
{
  TRANSPORT_NONE,
  TRANSPORT_COMMAND,
  TRANSPORT_WEBHOOK,
  TRANSPORT_FILE,
} Transport;

struct _CdServerNotify
{
  GObject           parent_instance;

  CdServer         *server;
  Transport         transport;
  char            **argv;
  char             *webhook;
  char             *file;
  gint64            timeout;
  guint             concurrency;
  gint64            delays[CD_NOTIFY_BACKOFF_MAX];
  guint             n_delays;
  CdNotifyTemplate *templates[CD_N_NOTIFY_KINDS];

  SoupSession      *session;
  GCancellable     *cancellable;
  guint             tick_id;
  guint             idle_id;
  guint             in_flight;
};

G_DEFINE_FINAL_TYPE (CdServerNotify, cd_server_notify, G_TYPE_OBJECT)

/* One message on its way. It does not hold the sender: disposing the
 * sender cancels what is on its way, and a cancelled send touches
 * nothing. */
typedef struct
{
  CdServerNotify *self;
  CdNotification *notification;
  GSubprocess    *process;
  guint           timeout_id;
  gboolean        timed_out;
} Send;

static void
send_free (Send *send)
{
  g_clear_handle_id (&send->timeout_id, g_source_remove);
  g_clear_object (&send->process);
  g_clear_pointer (&send->notification, cd_notification_free);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

static void
cd_server_notify_dispose (GObject *object)
{
  CdServerNotify *self = CD_SERVER_NOTIFY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (cd_server_notify_parent_class)->dispose (object);
}

static void
cd_server_notify_finalize (GObject *object)
{
  CdServerNotify *self = CD_SERVER_NOTIFY (object);

  g_strfreev (self->argv);
  g_free (self->webhook);
  g_free (self->file);
  for (guint i = 0; i < CD_N_NOTIFY_KINDS; i++)
    g_clear_pointer (&self->templates[i], cd_notify_template_free);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (cd_server_notify_parent_class)->finalize (object);
}

static void
cd_server_notify_class_init (CdServerNotifyClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_server_notify_dispose;
  G_OBJECT_CLASS (klass)->finalize = cd_server_notify_finalize;
}

static void
cd_server_notify_init (CdServerNotify *self)
{
  self->cancellable = g_cancellable_new ();
}

/* `resolved.ru.txt` when a language is set and the folder has it, else
 * `resolved.txt`. */
static CdNotifyTemplate *
load_template (const char    *dir,
               CdNotifyKind   kind,
               const char    *language,
               GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (language != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s.txt", cd_notify_kind_to_string (kind),
                                               language);

      path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        g_clear_pointer (&path, g_free);
    }
  if (path == NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s.txt", cd_notify_kind_to_string (kind));

      path = g_build_filename (dir, name, NULL);
    }
  if (!g_file_get_contents (path, &text, &len, error))
    {
      g_prefix_error (error, _("Cannot read the notification template “%s”: "), path);
      return NULL;
    }
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("The notification template “%s” is not UTF-8 text."), path);
      return NULL;
    }
  return cd_notify_template_parse (path, text, error);
}

/**
 * cd_server_notify_new:
 * @server: the server
 * @config: its settings: the transport, the templates, the schedule
 * @error: the template that cannot be read or is wrong, with its line
 *
 * Reads the templates (all of them, so that a wrong one stops the server
 * at start rather than a message later).
 *
 * Returns: (transfer full): the sender, or %NULL with @error set
 */
CdServerNotify *
cd_server_notify_new (CdServer              *server,
                      const CdServerConfig  *config,
                      GError               **error)
{
  g_autoptr(CdServerNotify) self = g_object_new (CD_TYPE_SERVER_NOTIFY, NULL);
  g_autofree char *default_dir = NULL;
  const char *dir = config->notify_templates;

  if (config->notify_command == NULL && config->notify_webhook == NULL &&
      config->notify_file == NULL)
    return g_steal_pointer (&self);

  self->server = server;
  self->timeout = config->notify_timeout;
  self->concurrency = (guint) config->notify_concurrency;
  if (config->notify_backoff != NULL)
    {
      for (guint i = 0; config->notify_backoff[i] != NULL && i < CD_NOTIFY_BACKOFF_MAX; i++)
        self->delays[self->n_delays++] = g_ascii_strtoll (config->notify_backoff[i], NULL, 10);
    }
  else
    {
      const gint64 *delays = cd_notify_backoff_default (&self->n_delays);

      memcpy (self->delays, delays, self->n_delays * sizeof *delays);
    }

  if (config->notify_command != NULL)
    {
      self->transport = TRANSPORT_COMMAND;
      if (!g_shell_parse_argv (config->notify_command, NULL, &self->argv, error))
        {
          g_prefix_error (error, _("notify-command cannot be read: "));
          return NULL;
        }
    }
  else if (config->notify_webhook != NULL)
    {
      g_autoptr(GUri) uri = g_uri_parse (config->notify_webhook, G_URI_FLAGS_NONE, error);

      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
        {
          g_clear_error (error);
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("notify-webhook must be an http or https URL: “%s”."),
                       config->notify_webhook);
          return NULL;
        }
      self->transport = TRANSPORT_WEBHOOK;
      self->webhook = g_strdup (config->notify_webhook);
      self->session = soup_session_new_with_options ("timeout", (guint) self->timeout,
                                                     "idle-timeout", (guint) self->timeout,
                                                     "max-conns", (int) self->concurrency, NULL);
    }
  else if (config->notify_file != NULL)
    {
      self->transport = TRANSPORT_FILE;
      self->file = g_strdup (config->notify_file);
    }

  if (dir == NULL)
    dir = default_dir = g_build_filename (cd_sla_library_default_dir (), "notifications", NULL);
  for (guint k = 0; k < CD_N_NOTIFY_KINDS; k++)
    if ((self->templates[k] = load_template (dir, k, config->notify_language, error)) == NULL)
      return NULL;
  return g_steal_pointer (&self);
}

static char *
render (CdServerNotify  *self,
        CdNotification  *n)
{
  CdStore *store = self->server->store;
  const CdTicket *ticket = n->ticket;
  g_autofree char *address = cd_ticket_format_address_in (store, ticket);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (n->created_at);
  g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : NULL;
  CdNotifyFields fields = {
    .number = ticket->number,
    .category = cd_store_reference_name (store, CD_REFERENCE_CATEGORY, ticket->category),
    .address = address,
    .executor = ticket->executor != NULL
                  ? cd_store_reference_name (store, CD_REFERENCE_EXECUTOR, ticket->executor)
                  : NULL,
    .state = cd_ticket_state_label_for_code (n->ticket_state),
    .date = date,
  };
  CdNotifyKind kind = CD_NOTIFY_CLOSED;

  cd_notify_kind_from_string (n->kind, &kind);
  return cd_notify_template_render (self->templates[kind], &fields);
}

static gboolean on_idle (gpointer user_data);

/* Records how a try ended, by the backoff schedule for a failure that may
 * pass. */
static void
finish (Send        *send,
        gboolean     sent,
        gboolean     permanent,
        const char  *why)
{
  CdServerNotify *self = send->self;
  CdNotification *n = send->notification;
  g_autoptr(GError) error = NULL;
  CdNotificationState state = CD_NOTIFICATION_SENT;
  gint64 now = cd_server_now (self->server);
  gint64 delay = 0;

  if (!sent)
    state = !permanent && cd_notify_backoff_next (self->delays, self->n_delays, n->attempts,
                                                  &delay)
              ? CD_NOTIFICATION_PENDING : CD_NOTIFICATION_FAILED;
  if (!sent)
    g_message ("Notification %" G_GINT64_FORMAT " (ticket %s), try %u: %s", n->id,
               n->ticket->number, n->attempts, why);
  if (!cd_store_finish_notification (self->server->store, n->id, state, now + delay, why, now,
                                     &error))
    /* The row stays `sending`: the next start tries it again, under its
     * key. */
    g_message ("Notification %" G_GINT64_FORMAT ": %s", n->id, error->message);
  self->in_flight--;
  /* A free place: a backlog drains at the transport's pace, not one
   * batch a second. */
  if (self->idle_id == 0 && self->tick_id != 0)
    self->idle_id = g_idle_add (on_idle, self);
}

static gboolean
on_command_timeout (gpointer user_data)
{
  Send *send = user_data;

  send->timeout_id = 0;
  send->timed_out = TRUE;
  g_subprocess_force_exit (send->process);
  return G_SOURCE_REMOVE;
}

static void
on_command_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *why = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &out, &err, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      why = g_strdup (error->message);
    }
  else if (send->timed_out)
    why = g_strdup_printf ("the command took longer than %" G_GINT64_FORMAT " s",
                           send->self->timeout);
  else if (!g_subprocess_get_if_exited (send->process))
    why = g_strdup_printf ("the command was killed by signal %d",
                           g_subprocess_get_term_sig (send->process));
  else if (g_subprocess_get_exit_status (send->process) != 0)
    why = g_strdup_printf ("the command exited with %d%s%s",
                           g_subprocess_get_exit_status (send->process),
                           err != NULL && *err != '\0' ? ": " : "",
                           err != NULL ? g_strstrip (err) : "");
  finish (send, why == NULL, FALSE, why);
}

static void
send_command (Send        *send,
              const char  *text)
{
  CdServerNotify *self = send->self;
  CdNotification *n = send->notification;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean named = FALSE;

  /* The recipient goes where the command line says, or last. */
  for (guint i = 0; self->argv[i] != NULL; i++)
    {
      GString *arg = g_string_new (self->argv[i]);

      named |= g_string_replace (arg, "{recipient}", n->recipient, 0) > 0;
      g_ptr_array_add (argv, g_string_free (arg, FALSE));
    }
  if (!named)
    g_ptr_array_add (argv, g_strdup (n->recipient));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "CITYDESK_NOTIFICATION_ID", n->key, TRUE);
  g_subprocess_launcher_setenv (launcher, "CITYDESK_NOTIFICATION_CHANNEL", n->channel, TRUE);
  g_subprocess_launcher_setenv (launcher, "CITYDESK_TICKET", n->ticket->number, TRUE);
  send->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  if (send->process == NULL)
    {
      finish (send, FALSE, FALSE, error->message);
      send_free (send);
      return;
    }
  send->timeout_id = g_timeout_add_seconds ((guint) self->timeout, on_command_timeout, send);
  g_subprocess_communicate_utf8_async (send->process, text, self->cancellable,
                                       on_command_done, send);
}

static void
on_webhook_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      finish (send, FALSE, FALSE, error->message);
      return;
    }
  status = soup_message_get_status (msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      finish (send, TRUE, FALSE, NULL);
      return;
    }
  why = g_strdup_printf ("the webhook answered %u %s", status,
                         soup_message_get_reason_phrase (msg));
  /* A 4xx says the message itself is wrong and will stay wrong, except a
   * timeout or a rate limit, which pass. */
  finish (send, FALSE,
          status >= 400 && status < 500 && status != SOUP_STATUS_REQUEST_TIMEOUT &&
            status != 429,
          why);
}

static void
send_webhook (Send        *send,
              const char  *text)
{
  CdServerNotify *self = send->self;
  CdNotification *n = send->notification;
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, self->webhook);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GBytes) bytes = NULL;
  char *json;
  gsize len;

  json_object_set_string_member (body, "id", n->key);
  json_object_set_string_member (body, "recipient", n->recipient);
  json_object_set_string_member (body, "channel", n->channel);
  json_object_set_string_member (body, "text", text);
  json_object_set_string_member (body, "ticket", n->ticket->number);
  json_object_set_string_member (body, "kind", n->kind);
  json_object_set_string_member (body, "state", n->ticket_state);
  json = cd_server_object_to_text (body, &len);
  bytes = g_bytes_new_take (json, len);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key",
                                n->key);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, self->cancellable,
                                    on_webhook_done, send);
}

/* The demo's transport: one JSON line per message. A repeat of a row (a
 * try after a stop) whose key the file already holds was written. */
static void
send_file (Send        *send,
           const char  *text)
{
  CdServerNotify *self = send->self;
  CdNotification *n = send->notification;
  g_autoptr(JsonObject) line = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (cd_server_now (self->server));
  g_autoptr(GFile) file = g_file_new_for_path (self->file);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autofree char *data = NULL;
  gsize len;

  if (n->attempts > 1 && g_file_get_contents (self->file, &data, NULL, NULL) &&
      strstr (data, n->key) != NULL)
    {
      finish (send, TRUE, FALSE, NULL);
      send_free (send);
      return;
    }
  json_object_set_string_member (line, "id", n->key);
  json_object_set_string_member (line, "time", when);
  json_object_set_string_member (line, "recipient", n->recipient);
  json_object_set_string_member (line, "channel", n->channel);
  json_object_set_string_member (line, "ticket", n->ticket->number);
  json_object_set_string_member (line, "text", text);
  json = cd_server_object_to_text (line, &len);
  if ((stream = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, &error)) == NULL ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), json, len, NULL, NULL, &error) ||
      !g_output_stream_write_all (G_OUTPUT_STREAM (stream), "\n", 1, NULL, NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
    finish (send, FALSE, FALSE, error->message);
  else
    finish (send, TRUE, FALSE, NULL);
  send_free (send);
}

static void
tick_now (CdServerNotify *self)
{
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(GError) error = NULL;

  if (self->in_flight >= self->concurrency)
    return;
  if (!cd_store_claim_notifications (self->server->store, cd_server_now (self->server),
                                     self->concurrency - self->in_flight, &claimed, &error))
    {
      g_message ("Cannot claim notifications: %s", error->message);
      return;
    }
  for (guint i = 0; i < claimed->len; i++)
    {
      Send *send = g_new0 (Send, 1);
      g_autofree char *text = NULL;

      send->self = self;
      send->notification = g_steal_pointer (&claimed->pdata[i]);
      text = render (self, send->notification);
      self->in_flight++;
      if (send->notification->recipient == NULL || *send->notification->recipient == '\0')
        {
          finish (send, FALSE, TRUE, "the ticket no longer has a phone");
          send_free (send);
        }
      else if (self->transport == TRANSPORT_COMMAND)
        send_command (send, text);
      else if (self->transport == TRANSPORT_WEBHOOK)
        send_webhook (send, text);
      else
        send_file (send, text);
    }
}

static gboolean
on_tick (gpointer user_data)
{
  tick_now (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_idle (gpointer user_data)
{
  CdServerNotify *self = user_data;

  self->idle_id = 0;
  tick_now (self);
  return G_SOURCE_REMOVE;
}

/**
 * cd_server_notify_start:
 * @self: the sender
 * @error: return location for an error
 *
 * Puts back in the queue the rows a stopped server left `sending`, then
 * sends the due rows, checking once a second. Without a transport the
 * rows wait (`pending`): nothing is sent, nothing is lost.
 *
 * Returns: whether the sender started
 */
gboolean
cd_server_notify_start (CdServerNotify  *self,
                        GError         **error)
{
  guint n = 0;

  g_return_val_if_fail (CD_IS_SERVER_NOTIFY (self), FALSE);

  if (self->transport == TRANSPORT_NONE)
    return TRUE;
  if (!cd_store_recover_notifications (self->server->store, &n, error))
    return FALSE;
  if (n > 0)
    g_message ("%u notifications were being sent when the server stopped: they are tried "
               "again under the same key.", n);
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  tick_now (self);
  return TRUE;
}
