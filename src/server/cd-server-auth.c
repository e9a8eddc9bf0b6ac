// SPDX-License-Identifier: GPL-3.0-or-later
//
// Login, logout and the bearer token every other route needs.
//
// A login costs an argon2id verification: tens of milliseconds and 64 MiB.
// It never runs on the main loop: the handler reads the account (SQLite
// stays on the main thread), pauses the request and hands the password and
// the hash to a worker thread, a few at a time, with a bounded queue; the
// answer is written when the verification comes back. An unknown user is
// checked against a dummy hash of the same cost, and gets the same answer
// as a wrong password.
//
// Failed logins are counted per account and per client address (an IPv6
// /64), in two throttles of bounded size (cd-login-throttle.c): the answer
// to a failure is delayed more with each failure (a timeout, never a sleep)
// and, past login-attempts failures, attempts are refused with 429 and
// Retry-After until a lockout that doubles with each failure ends. Each
// failure is logged with the account name (escaped) and the address.

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cd-login-throttle.h"
#include "cd-server-private.h"

/* The longest token we look up; real ones are 43 characters. */
#define MAX_TOKEN_LEN 256
/* Logins waiting for a worker; more are answered 503. */
#define MAX_QUEUED_LOGINS 64
/* How long, at most, a refusal to a locked-out client is held back. */
#define TARPIT_MS 1000
/* RFC 6585; libsoup 3.2 has no name for it. */
#define TOO_MANY_REQUESTS 429
/* How much of a name a log line quotes. */
#define MAX_LOG_TEXT 64

struct _CdServerAuth
{
  CdLoginThrottle *accounts;
  CdLoginThrottle *addresses;
  /* Verifications running on workers, and those waiting (LoginJob). */
  guint            running;
  guint            max_running;
  GQueue           waiting;
};

typedef struct
{
  CdServer          *server;
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;
  char              *name;
  char              *password;
  char              *hash;
  CdUser            *user;
  char              *account_key;
  char              *address_key;
  gboolean           match;
  /* The answer, once known, and when to send it. */
  guint              status;
  char              *answer;
  gsize              answer_len;
  guint              delay_id;
} LoginJob;

static void
login_job_free (LoginJob *job)
{
  if (job->password != NULL)
    {
      explicit_bzero (job->password, strlen (job->password));
      g_free (job->password);
    }
  g_clear_handle_id (&job->delay_id, g_source_remove);
  g_clear_signal_handler (&job->finished_id, job->msg);
  g_clear_object (&job->msg);
  g_free (job->name);
  g_free (job->hash);
  g_clear_pointer (&job->user, cd_user_free);
  g_free (job->account_key);
  g_free (job->address_key);
  g_free (job->answer);
  g_clear_object (&job->server);
  g_free (job);
}

static char *
format_time (gint64 time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/**
 * cd_server_log_text:
 * @text: what a client sent (a user name)
 *
 * Returns: (transfer full): @text fit for one log line: at most 64 bytes
 *   of it, control characters, quotes and non-ASCII escaped, so that no
 *   one can forge a line
 */
char *
cd_server_log_text (const char *text)
{
  g_autofree char *head = g_strndup (text, MAX_LOG_TEXT);
  g_autofree char *escaped = g_strescape (head, NULL);

  return strlen (text) > MAX_LOG_TEXT ? g_strconcat (escaped, "...", NULL)
                                      : g_steal_pointer (&escaped);
}

/* The client's address as the throttle counts it: an IPv4 address, or the
 * /64 of an IPv6 one (a single host is often given a whole /64). */
static char *
address_key (CdServer          *self,
             SoupServerMessage *msg)
{
  g_autoptr(GInetAddress) inet = cd_server_client_address (self, msg);
  const guint8 *bytes;

  if (inet == NULL)
    return g_strdup ("unknown");
  if (g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    return g_inet_address_to_string (inet);
  bytes = g_inet_address_to_bytes (inet);
  return g_strdup_printf ("%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64", bytes[0], bytes[1], bytes[2],
                          bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]);
}

/* Names are keys of bounded size, whatever a client sends. */
static char *
account_key (const char *name)
{
  g_autofree char *digest = NULL;

  if (strlen (name) <= MAX_LOG_TEXT)
    return g_strdup (name);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, name, -1);
  return g_strconcat ("#", digest, NULL);
}

static const char *
member_string (JsonObject  *object,
               const char  *member,
               const char **bad_field)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *bad_field = member;
      return NULL;
    }
  return json_node_get_string (node);
}

static void
send_retry_after (SoupServerMessage *msg,
                  guint              status,
                  const char        *code,
                  const char        *message,
                  gint64             retry_after_us)
{
  char seconds[24];

  g_snprintf (seconds, sizeof seconds, "%" G_GINT64_FORMAT,
              MAX ((gint64) 1, (retry_after_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                seconds);
  cd_server_send_error (msg, status, code, message, NULL);
  if (status == TOO_MANY_REQUESTS)
    soup_server_message_set_status (msg, status, "Too Many Requests");
}

static void start_job (CdServerAuth *auth,
                       LoginJob     *job);

/* Sends the answer @job holds, unless the client left meanwhile. */
static void
finish_job (LoginJob *job)
{
  if (!job->finished)
    {
      cd_server_send_text (job->msg, job->status, job->answer, job->answer_len);
      if (job->status == SOUP_STATUS_UNAUTHORIZED)
        soup_message_headers_replace (soup_server_message_get_response_headers (job->msg),
                                      "WWW-Authenticate", "Bearer");
      soup_server_message_unpause (job->msg);
    }
  login_job_free (job);
}

static gboolean
on_delay_over (gpointer user_data)
{
  LoginJob *job = user_data;

  job->delay_id = 0;
  finish_job (job);
  return G_SOURCE_REMOVE;
}

static void
on_message_finished (SoupServerMessage *msg,
                     LoginJob          *job)
{
  job->finished = TRUE;
}

static void
set_answer_error (LoginJob   *job,
                  guint       status,
                  const char *code,
                  const char *message)
{
  job->status = status;
  job->answer = cd_server_error_text (code, message, NULL, &job->answer_len);
}

/* The store failed a login: a database that cannot be reached just now
 * is 503, as elsewhere; anything else is logged and 500. */
static void
set_answer_failure (LoginJob     *job,
                    const GError *error)
{
  cd_server_log_failure ("POST /api/v1/login", error);
  if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE))
    set_answer_error (job, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                      cd_server_busy_message (error));
  else
    set_answer_error (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                      _("The server failed; the failure is logged."));
}

/* The user may have been disabled, or given another password, while the
 * hash was being checked: the login holds only if nothing changed. */
static CdUser *
still_valid (LoginJob  *job,
             GError   **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(CdUser) user = cd_store_find_login (job->server->store, job->name, &hash, error);

  if (user == NULL || user->disabled_at != 0 || g_strcmp0 (hash, job->hash) != 0)
    return NULL;
  return g_steal_pointer (&user);
}

static void
succeed (LoginJob *job,
         CdUser   *user)
{
  CdServer *self = job->server;
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_text = NULL;
  gint64 expires = 0;

  token = cd_store_create_session (self->store, user->name, g_get_real_time () / G_USEC_PER_SEC,
                                   self->config->token_lifetime, &expires, &error);
  if (token == NULL)
    {
      set_answer_failure (job, error);
      return;
    }
  expires_text = format_time (expires);
  json_object_set_string_member (answer, "token", token);
  json_object_set_string_member (answer, "role", user->role);
  json_object_set_string_member (answer, "user", user->name);
  if (user->org != NULL)
    json_object_set_string_member (answer, "org", user->org);
  json_object_set_string_member (answer, "expires", expires_text);
  job->status = SOUP_STATUS_OK;
  job->answer = cd_server_object_to_text (answer, &job->answer_len);
}

static void
on_verified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CdServer *self = CD_SERVER (source);
  CdServerAuth *auth = self->auth;
  LoginJob *job = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();

  auth->running--;
  if (!g_queue_is_empty (&auth->waiting))
    start_job (auth, g_queue_pop_head (&auth->waiting));

  explicit_bzero (job->password, strlen (job->password));
  if (job->match && job->user != NULL && job->user->disabled_at == 0)
    user = still_valid (job, &error);
  if (error != NULL)
    {
      cd_login_throttle_abandon (auth->accounts, job->account_key);
      cd_login_throttle_abandon (auth->addresses, job->address_key);
      set_answer_failure (job, error);
    }
  else if (user != NULL)
    {
      cd_login_throttle_succeed (auth->accounts, job->account_key, TRUE);
      cd_login_throttle_succeed (auth->addresses, job->address_key, FALSE);
      succeed (job, user);
    }
  else
    {
      guint by_account = cd_login_throttle_fail (auth->accounts, job->account_key, now);
      guint by_address = cd_login_throttle_fail (auth->addresses, job->address_key, now);
      /* Delays lead up to a lockout; once a key is locked, its
       * Retry-After says it all. */
      gint64 delay = (by_account >= (guint) self->config->login_attempts ||
                      by_address >= (guint) self->config->login_address_attempts)
                     ? 0 : MAX (cd_login_throttle_delay (auth->accounts, by_account),
                                cd_login_throttle_delay (auth->addresses, by_address));
      g_autofree char *shown = cd_server_log_text (job->name);

      g_message (
          "Failed login for user \"%s\" from %s%s (failure %u for the user, %u from the address)",
          shown, job->address_key,
          job->user == NULL             ? ", an unknown user"
          : job->user->disabled_at != 0 ? ", a disabled account"
                                        : "",
          by_account, by_address);
      /* One answer for a wrong password, an unknown user and a disabled
       * account: the client learns nothing about which. */
      set_answer_error (job, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                        _("Wrong user name or password."));
      if (delay > 0 && !job->finished)
        {
          job->delay_id = g_timeout_add ((guint) (delay / 1000), on_delay_over, job);
          return;
        }
    }
  finish_job (job);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LoginJob *job = task_data;

  job->match = cd_password_hash_verify (job->hash, job->password);
  g_task_return_boolean (task, TRUE);
}

static void
start_job (CdServerAuth *auth,
           LoginJob     *job)
{
  g_autoptr(GTask) task = g_task_new (job->server, NULL, on_verified, job);

  auth->running++;
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, verify_in_thread);
}


/* Takes the attempt through both throttles; answers 429 when either
 * refuses. */
static gboolean
throttle_begin (CdServer          *self,
                SoupServerMessage *msg,
                const char        *account,
                const char        *address,
                const char        *name)
{
  CdServerAuth *auth = self->auth;
  gint64 now = g_get_monotonic_time ();
  gint64 retry = 0;
  g_autofree char *shown = NULL;

  if (cd_login_throttle_begin (auth->accounts, account, now, &retry))
    {
      if (cd_login_throttle_begin (auth->addresses, address, now, &retry))
        return TRUE;
      cd_login_throttle_abandon (auth->accounts, account);
    }
  shown = cd_server_log_text (name);
  g_message ("Login for user \"%s\" from %s refused: too many failed logins", shown, address);
  send_retry_after (msg, TOO_MANY_REQUESTS, "too_many_requests",
                    _("Too many failed logins: wait as long as Retry-After says, then try again."),
                    retry);
  /* Late (never later than the lockout ends): see cd_server_hold_answer(). */
  cd_server_hold_answer (msg, MIN (retry / 1000, TARPIT_MS));
  return FALSE;
}

static void
handle_login (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  CdServer *self = user_data;
  CdServerAuth *auth = self->auth;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;
  g_autofree char *address = NULL;
  const char *bad_field = NULL;
  const char *name, *password;
  JsonObjectIter iter;
  const char *member;
  LoginJob *job;

  if (!cd_server_check_method (msg, SOUP_METHOD_POST) ||
      (body = cd_server_read_object (self, msg, NULL)) == NULL)
    return;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, NULL))
    if (!g_str_equal (member, "user") && !g_str_equal (member, "password"))
      {
        g_autofree char *message =
            g_strdup_printf (_("Unknown field “%s”: login takes user and password."), member);

        cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, member);
        return;
      }

  name = member_string (body, "user", &bad_field);
  password = name != NULL ? member_string (body, "password", &bad_field) : NULL;
  if (name == NULL || password == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” must be a string."), bad_field);

      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, bad_field);
      return;
    }

  account = account_key (name);
  address = address_key (self, msg);
  if (!throttle_begin (self, msg, account, address, name))
    return;
  if (g_queue_get_length (&auth->waiting) >= MAX_QUEUED_LOGINS)
    {
      cd_login_throttle_abandon (auth->accounts, account);
      cd_login_throttle_abandon (auth->addresses, address);
      send_retry_after (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                        _("The server is checking too many logins: try again in a moment."),
                        G_USEC_PER_SEC);
      return;
    }

  job = g_new0 (LoginJob, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->name = g_strdup (name);
  job->password = g_strdup (password);
  job->account_key = g_steal_pointer (&account);
  job->address_key = g_steal_pointer (&address);
  job->user = cd_store_find_login (self->store, name, &job->hash, &error);
  if (job->user == NULL && !g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      cd_login_throttle_abandon (auth->accounts, job->account_key);
      cd_login_throttle_abandon (auth->addresses, job->address_key);
      cd_server_send_gerror (msg, error);
      login_job_free (job);
      return;
    }
  /* An unknown user, or one without a password, costs the same check. */
  if (job->user == NULL)
    g_clear_pointer (&job->hash, g_free);

  job->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_finished), job);
  soup_server_message_pause (msg);
  if (auth->running < auth->max_running)
    start_job (auth, job);
  else
    g_queue_push_tail (&auth->waiting, job);
}

/**
 * cd_server_bearer_token:
 * @msg: a request
 * @query: (nullable): its query
 *
 * Returns: (nullable): the token the request carries, as it sent it
 */
const char *
cd_server_bearer_token (SoupServerMessage *msg,
                        GHashTable        *query)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header != NULL)
    {
      if (g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
        return NULL;
      header += 7;
      while (*header == ' ')
        header++;
      return header;
    }
  /* Browsers cannot set headers on a WebSocket: the stream takes ?token=. */
  if (query != NULL && g_str_equal (cd_server_path (msg), "/api/v1/stream"))
    return g_hash_table_lookup (query, "token");
  return NULL;
}

/**
 * cd_server_authenticate:
 * @self: the server
 * @msg: a request
 * @query: (nullable): its query
 *
 * Returns: (transfer full): the user the bearer token belongs to, or
 *   %NULL after answering 401
 */
CdUser *
cd_server_authenticate (CdServer          *self,
                        SoupServerMessage *msg,
                        GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  const char *token = cd_server_bearer_token (msg, query);
  CdUser *user;

  if (token == NULL || *token == '\0' || strlen (token) > MAX_TOKEN_LEN)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      cd_server_send_error (
          msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
          _("This needs “Authorization: Bearer TOKEN”: log in with POST /api/v1/login."), NULL);
      return NULL;
    }
  user = cd_store_check_token (self->store, token, g_get_real_time () / G_USEC_PER_SEC, &error);
  if (user == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      cd_server_send_gerror (msg, error);
    }
  else
    cd_server_keep_alive (msg);
  return user;
}

static void
handle_logout (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GError) error = NULL;

  if (!cd_server_check_method (msg, SOUP_METHOD_POST) ||
      (user = cd_server_authenticate (self, msg, NULL)) == NULL)
    return;

  if (!cd_store_revoke_token (self->store, cd_server_bearer_token (msg, NULL),
                              g_get_real_time () / G_USEC_PER_SEC, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  /* A stream opened with this token closes now, not at the next check. */
  cd_server_stream_recheck (self->stream);
}

static CdLoginThrottle *
new_throttle (gint64 attempts,
              gint64 lockout)
{
  CdLoginThrottleLimits limits;

  cd_login_throttle_limits_init (&limits);
  limits.threshold = (guint) attempts;
  limits.lockout_us = lockout * G_USEC_PER_SEC;
  return cd_login_throttle_new (&limits);
}

void
cd_server_auth_free (CdServerAuth *auth)
{
  /* Jobs hold the server: none is left once it is disposed. */
  g_queue_clear (&auth->waiting);
  cd_login_throttle_free (auth->accounts);
  cd_login_throttle_free (auth->addresses);
  g_free (auth);
}

void
cd_server_auth_install (CdServer *self)
{
  CdServerAuth *auth = g_new0 (CdServerAuth, 1);

  auth->accounts = new_throttle (self->config->login_attempts, self->config->login_lockout);
  auth->addresses = new_throttle (self->config->login_address_attempts,
                                  self->config->login_lockout);
  /* Each check holds 64 MiB and a core for tens of milliseconds: a few
   * at a time, the rest wait their turn, and one core is left to the
   * main loop, so that a burst of logins does not slow everyone else. */
  auth->max_running = CLAMP (g_get_num_processors () - 1, 1, 4);
  g_queue_init (&auth->waiting);
  self->auth = auth;

  soup_server_add_handler (self->soup, "/api/v1/login", handle_login, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/logout", handle_logout, self, NULL);
  cd_server_users_install (self);
}
