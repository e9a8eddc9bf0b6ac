// SPDX-License-Identifier: GPL-3.0-or-later
//
// /api/v1/users/{name}: an admin's hold on the accounts. An admin reads an
// account (GET), disables or enables it, sets its password and revokes its
// sessions, links it to its PBX agent (POST .../disable, .../enable, .../password,
// .../revoke, .../agent); other
// roles get 403. A new password is hashed on a worker thread, as a
// login's check is, never on the main loop. Disabling and a new password revoke the user's
// sessions, and the streams open with them are closed at once. The list of users (GET
// /api/v1/users) is cd-server-api.c's.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-server-private.h"

#define USERS_PREFIX "/api/v1/users/"

typedef enum
{
  USER_SHOW,
  USER_DISABLE,
  USER_ENABLE,
  USER_PASSWORD,
  USER_REVOKE,
  USER_AGENT,
} UserAction;

static const struct
{
  const char *name;
  UserAction  action;
} actions[] = {
  { "disable", USER_DISABLE },
  { "enable", USER_ENABLE },
  { "password", USER_PASSWORD },
  { "revoke", USER_REVOKE },
  { "agent", USER_AGENT },
};

static void
send_not_found (SoupServerMessage *msg,
                const char        *path)
{
  g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

  cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
}

/* {name} or {name}/{action}; FALSE for anything else. */
static gboolean
parse_path (const char  *path,
            char       **name,
            UserAction  *action)
{
  g_auto(GStrv) parts = g_strsplit (path + strlen (USERS_PREFIX), "/", -1);
  guint n = g_strv_length (parts);

  if (n == 0 || n > 2 || *parts[0] == '\0')
    return FALSE;
  *action = USER_SHOW;
  if (n == 2)
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (actions); i++)
        if (g_str_equal (parts[1], actions[i].name))
          break;
      if (i == G_N_ELEMENTS (actions))
        return FALSE;
      *action = actions[i].action;
    }
  *name = g_strdup (parts[0]);
  return TRUE;
}

/* {"password":"…"}, nothing else. */
static const char *
read_password (CdServer          *self,
               SoupServerMessage *msg,
               JsonObject       **body)
{
  JsonNode *node;

  if ((*body = cd_server_read_object (self, msg, NULL)) == NULL)
    return NULL;
  if (json_object_get_size (*body) != 1 ||
      (node = json_object_get_member (*body, "password")) == NULL ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("Send {\"password\":\"…\"}: the new password, a string."),
                            "password");
      return NULL;
    }
  return json_node_get_string (node);
}

/* {"agent":"…"} or {"agent":null}, nothing else; FALSE after answering. */
static gboolean
read_agent (CdServer           *self,
            SoupServerMessage  *msg,
            JsonObject        **body,
            const char        **agent)
{
  JsonNode *node;

  if ((*body = cd_server_read_object (self, msg, NULL)) == NULL)
    return FALSE;
  if (json_object_get_size (*body) != 1 ||
      (node = json_object_get_member (*body, "agent")) == NULL ||
      (!JSON_NODE_HOLDS_NULL (node) && json_node_get_value_type (node) != G_TYPE_STRING))
    {
      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                            _("Send {\"agent\":\"…\"}: the PBX agent’s name as the calls carry "
                              "it, or null to unlink the account."),
                            "agent");
      return FALSE;
    }
  *agent = JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node);
  return TRUE;
}

static void
send_user (CdServer          *self,
           SoupServerMessage *msg,
           const char        *name,
           gint64             revoked)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if ((user = cd_store_find_user (self->store, name, &error)) == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  json_object_set_string_member (root, "user", user->name);
  json_object_set_string_member (root, "role", user->role);
  if (user->org != NULL)
    json_object_set_string_member (root, "org", user->org);
  json_object_set_boolean_member (root, "disabled", user->disabled_at != 0);
  if (user->agent != NULL)
    json_object_set_string_member (root, "agent", user->agent);
  if (revoked >= 0)
    json_object_set_int_member (root, "revoked", revoked);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* A new password: hashed on a worker (as costly as a login), written on
 * the main thread, the request paused meanwhile. */
typedef struct
{
  CdServer          *server;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;
  char              *admin;
  char              *name;
  char              *password;
  char              *hash;
  GError            *error;
} PasswordJob;

static void
password_job_free (PasswordJob *job)
{
  explicit_bzero (job->password, strlen (job->password));
  g_free (job->password);
  g_clear_signal_handler (&job->finished_id, job->msg);
  g_clear_object (&job->msg);
  g_clear_object (&job->server);
  g_free (job->admin);
  g_free (job->name);
  g_free (job->hash);
  g_clear_error (&job->error);
  g_free (job);
}

static void
on_password_finished (SoupServerMessage *msg,
                      PasswordJob       *job)
{
  job->finished = TRUE;
}

static void
hash_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PasswordJob *job = task_data;

  job->hash = cd_password_hash_new (job->password, &job->error);
  g_task_return_boolean (task, TRUE);
}

static void log_change (const char        *admin,
                        SoupServerMessage *msg,
                        const char        *name,
                        guint              revoked);

static void
on_hashed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  PasswordJob *job = user_data;
  CdServer *self = job->server;
  g_autoptr(GError) error = NULL;
  guint revoked = 0;

  if (job->finished)
    {
      /* The client left: nothing is changed behind its back. */
      password_job_free (job);
      return;
    }
  if (job->hash == NULL)
    cd_server_send_gerror (job->msg, job->error);
  else if (!cd_store_set_password_hash (self->store, job->name, job->hash,
                                        g_get_real_time () / G_USEC_PER_SEC, &revoked, &error))
    cd_server_send_gerror (job->msg, error);
  else
    {
      log_change (job->admin, job->msg, job->name, revoked);
      cd_server_stream_recheck (self->stream);
      send_user (self, job->msg, job->name, revoked);
    }
  soup_server_message_unpause (job->msg);
  password_job_free (job);
}

static void
set_password_async (CdServer          *self,
                    SoupServerMessage *msg,
                    CdUser            *admin,
                    const char        *name,
                    const char        *password)
{
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  PasswordJob *job;

  /* An unknown user is told before the costly part. */
  if ((user = cd_store_find_user (self->store, name, &error)) == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  job = g_new0 (PasswordJob, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->admin = g_strdup (admin->name);
  job->name = g_strdup (name);
  job->password = g_strdup (password);
  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_password_finished), job);
  soup_server_message_pause (msg);

  task = g_task_new (NULL, NULL, on_hashed, job);
  g_task_set_source_tag (task, set_password_async);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, hash_in_thread);
}

static void
log_change (const char        *admin,
            SoupServerMessage *msg,
            const char        *name,
            guint              revoked)
{
  g_autofree char *shown = cd_server_log_text (name);

  g_message ("Admin %s: %s user \"%s\" (%u sessions revoked)", admin,
             strrchr (cd_server_path (msg), '/') + 1, shown, revoked);
}

static void
act (CdServer          *self,
     SoupServerMessage *msg,
     CdUser            *admin,
     const char        *name,
     UserAction         action)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *password;
  const char *agent = NULL;
  guint revoked = 0;
  gboolean ok = FALSE;

  switch (action)
    {
    case USER_DISABLE:
      if (g_str_equal (name, admin->name))
        {
          cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                                _("An admin cannot disable their own account."), NULL);
          return;
        }
      ok = cd_store_revoke_user_sessions (self->store, name, now, &revoked, &error) &&
           cd_store_set_user_disabled (self->store, name, TRUE, now, &error);
      break;
    case USER_ENABLE:
      ok = cd_store_set_user_disabled (self->store, name, FALSE, now, &error);
      break;
    case USER_REVOKE:
      ok = cd_store_revoke_user_sessions (self->store, name, now, &revoked, &error);
      break;
    case USER_AGENT:
      if (!read_agent (self, msg, &body, &agent))
        return;
      if (agent != NULL && !cd_check_agent_name (agent, &error))
        {
          cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message,
                                "agent");
          return;
        }
      ok = cd_store_set_user_agent (self->store, name, agent, &revoked, &error);
      break;
    case USER_PASSWORD:
      if ((password = read_password (self, msg, &body)) == NULL)
        return;
      if (!cd_check_password_policy (password, &error))
        {
          cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", error->message,
                                "password");
          return;
        }
      set_password_async (self, msg, admin, name, password);
      return;
    case USER_SHOW:
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  log_change (admin->name, msg, name, revoked);
  /* Streams open with the revoked tokens close now. */
  cd_server_stream_recheck (self->stream);
  send_user (self, msg, name, revoked);
}

static void
handle_user (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) admin = NULL;
  g_autofree char *name = NULL;
  UserAction action;

  if (!parse_path (path, &name, &action))
    {
      send_not_found (msg, path);
      return;
    }
  if ((admin = cd_server_authenticate (self, msg, query)) == NULL)
    return;
  if (!g_str_equal (admin->role, "admin"))
    {
      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                            _("Only an admin may read or change an account."), NULL);
      return;
    }
  if (action == USER_SHOW)
    {
      if (cd_server_check_method (msg, SOUP_METHOD_GET))
        send_user (self, msg, name, -1);
      return;
    }
  if (cd_server_check_method (msg, SOUP_METHOD_POST))
    act (self, msg, admin, name, action);
}

void
cd_server_users_install (CdServer *self)
{
  soup_server_add_handler (self->soup, USERS_PREFIX, handle_user, self, NULL);
}
