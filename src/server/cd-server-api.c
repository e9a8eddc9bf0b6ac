// SPDX-License-Identifier: GPL-3.0-or-later
//
// The API v1 routes (docs/api.md): the event feed, registering and acting
// on tickets with an Idempotency-Key, thin reads, reference data,
// statistics, and the calls (their statistics, missed calls, callbacks).
// Every write runs in one SQLite transaction together with the answer
// stored under its key, so that a retry after a crash finds both
// or neither.

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cd-access.h"
#include "cd-call-stats.h"
#include "cd-category.h"
#include "cd-dispatch.h"
#include "cd-format.h"
#include "cd-input.h"
#include "cd-json-tree.h"
#include "cd-personal.h"
#include "cd-server-private.h"
#include "cd-store-calls.h"
#include "cd-store-search.h"

#define FEED_DEFAULT_LIMIT 1000
#define FEED_MAX_LIMIT 10000
#define LIST_DEFAULT_LIMIT 100
#define LIST_MAX_LIMIT 10000
#define MAX_KEY_LEN 128
/* A year in quarter hours, with room: more intervals than that in one
 * answer is a mistake, not a report. */
#define CALL_STATS_MAX_INTERVALS 40000

/* Helpers {{{1 */

static void
bad_request (SoupServerMessage *msg,
             const char        *field,
             const char        *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
bad_request (SoupServerMessage *msg,
             const char        *field,
             const char        *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, field);
}

/**
 * cd_server_may_read:
 * @msg: the request, answered 403 when the user may not read @resource
 * @user: who asks
 * @resource: what it reads
 * @scope: (out) (optional): how much of it
 *
 * The access table's word (cd_access_scope()) for this user. An executor
 * account without an organization has nothing of its own to read.
 *
 * Returns: whether @user may read some of @resource
 */
gboolean
cd_server_may_read (SoupServerMessage *msg,
                    CdUser            *user,
                    CdResource         resource,
                    CdAccessScope     *scope)
{
  CdAccessScope s = cd_access_scope (user->role, resource);

  if (s == CD_ACCESS_OWN && cd_access_own_is_agent (resource) && user->agent == NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("The account “%s” reads only its own %s, and it is not linked to its PBX agent: an "
          "administrator links it (citydeskctl user agent)."),
        user->name, cd_resource_get_label (resource));

      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", message, NULL);
      return FALSE;
    }
  if (s == CD_ACCESS_OWN && !cd_access_own_is_agent (resource) && user->org == NULL)
    s = CD_ACCESS_NONE;
  if (scope != NULL)
    *scope = s;
  if (s != CD_ACCESS_NONE)
    return TRUE;
  {
    g_autofree char *message = g_strdup_printf (_("The role “%s” may not read %s."),
                                                cd_role_label_for_code (user->role),
                                                cd_resource_get_label (resource));

    cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", message, NULL);
  }
  return FALSE;
}

/* A ticket's events for a role: masked as in the feed
 * (cd_event_for_role()), format-1 events included. */
static JsonArray *
events_json (GPtrArray  *events,
             const char *role)
{
  JsonArray *array = json_array_sized_new (events->len);

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(CdEvent) shown = cd_event_for_role (g_ptr_array_index (events, i), role);

      json_array_add_object_element (array, cd_event_to_json (shown));
    }
  return array;
}

/**
 * cd_server_ticket_json:
 * @ticket: a ticket
 * @role: the role of who asks
 *
 * Returns: (transfer full): the core's ticket JSON, the resident's phone
 *   masked for roles that do not need it
 */
JsonObject *
cd_server_ticket_json (const CdTicket *ticket,
                       const char     *role)
{
  JsonObject *object = cd_ticket_to_json (ticket);

  if (!cd_personal_role_sees (role) && ticket->resident_phone != NULL)
    {
      JsonObject *resident = json_object_get_object_member (object, "resident");
      g_autofree char *masked = cd_personal_mask_phone (ticket->resident_phone);

      if (resident != NULL)
        json_object_set_string_member (resident, "phone", masked);
    }
  return object;
}

static gboolean
parse_int (SoupServerMessage *msg,
           GHashTable        *query,
           const char        *name,
           gint64             min,
           gint64             max,
           gint64            *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value = 0;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &value, NULL))
    {
      bad_request (msg, name, _("“%s” must be a whole number from %" PRId64 " to %" PRId64 "."),
                   name, min, max);
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

static gboolean
parse_bool (SoupServerMessage *msg,
            GHashTable        *query,
            const char        *name,
            gboolean          *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true") || g_str_equal (text, "1"))
    *out = TRUE;
  else if (g_str_equal (text, "false") || g_str_equal (text, "0"))
    *out = FALSE;
  else
    {
      bad_request (msg, name, _("“%s” must be true or false."), name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_now (SoupServerMessage *msg,
           GHashTable        *query,
           gint64            *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "now") : NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return TRUE;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      bad_request (msg, "now",
                   _("“now” must be an ISO 8601 time with a zone, e.g. 2026-11-24T09:00:00Z."));
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Every route refuses a query parameter it does not read, naming it: a
 * typo is told, never silently ignored. */
gboolean
cd_server_only_known_params (SoupServerMessage  *msg,
                             GHashTable         *query,
                             const char * const *known)
{
  GHashTableIter iter;
  gpointer key;

  if (query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (known, key))
      {
        bad_request (msg, key, _("Unknown parameter “%s”."), (const char *) key);
        return FALSE;
      }
  return TRUE;
}

/* The feed {{{1 */

typedef struct
{
  CdUser        *user;
  CdAccessScope  scope;
  gint64         after;
  gint64         limit;
} FeedRead;

static void
feed_read_free (FeedRead *read)
{
  cd_user_free (read->user);
  g_free (read);
}

/* A page of the feed from @store, the primary or a replica that has
 * replayed at least the cursor: the same page either would give. */
static gboolean
read_feed (CdServer          *self,
           SoupServerMessage *msg,
           CdStore           *store,
           gint64             head,
           gpointer           data,
           GError           **error)
{
  FeedRead *read = data;
  CdUser *user = read->user;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) prev_hashes = NULL;
  gint64 after = read->after, limit = read->limit, upto, last;
  GString *out;

  upto = after < head - CD_STORE_ORG_SCAN_WINDOW ? after + CD_STORE_ORG_SCAN_WINDOW : head;
  events = read->scope == CD_ACCESS_ALL
             ? cd_store_list_events (store, NULL, after, (guint) limit, error)
             : cd_store_list_org_events (store, user->org, after, upto, (guint) limit,
                                         &prev_hashes, error);
  if (events == NULL)
    return FALSE;

  /* A filtered page that is not full went through the journal up to
   * @upto: the client's cursor moves there, past the events it may not
   * see, and its next page walks on from there. */
  if (events->len > 0 && (read->scope == CD_ACCESS_ALL || events->len == (guint) limit))
    last = ((CdEvent *) g_ptr_array_index (events, events->len - 1))->seq;
  else
    last = read->scope == CD_ACCESS_ALL ? after : MAX (upto, after);

  /* Written straight as text, in the members' order json-glib kept: a
   * tree of ten thousand objects cost more than reading the events. An
   * event is some 300 bytes. */
  out = g_string_sized_new (64 + 320 * (gsize) events->len);
  g_string_append (out, "{\"events\":[");
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(CdEvent) shown = cd_event_for_reader (g_ptr_array_index (events, i), user->role,
                                                      user->agent);

      if (i > 0)
        g_string_append_c (out, ',');
      cd_event_append_json (shown, out);
      /* Without the events in between, the reader checks each event's hash
       * from the hash before it, which it cannot compute. A masked
       * format-1 copy has nothing to check, and with the hash before it a
       * reader could try every number the mask leaves open. */
      if (prev_hashes != NULL && !shown->payload_masked)
        {
          g_string_truncate (out, out->len - 1);
          g_string_append (out, ",\"prev_hash\":");
          cd_json_append_string (out, g_ptr_array_index (prev_hashes, i));
          g_string_append_c (out, '}');
        }
    }
  g_string_append (out, "],\"last\":");
  cd_json_append_int (out, last);
  g_string_append (out, ",\"head\":");
  cd_json_append_int (out, MAX (head, last));
  g_string_append (out, last < head ? ",\"more\":true" : ",\"more\":false");
  if (read->scope != CD_ACCESS_ALL)
    g_string_append (out, ",\"filtered\":true");
  g_string_append_c (out, '}');
  cd_server_send_json_text (msg, SOUP_STATUS_OK, out);
  return TRUE;
}

static void
handle_events (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  static const char * const known[] = { "after", "limit", NULL };
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  FeedRead *read;
  CdAccessScope scope;
  gint64 after = 0, limit = FEED_DEFAULT_LIMIT, min_seq = 0;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_EVENTS, &scope) ||
      !cd_server_only_known_params (msg, query, known) ||
      !parse_int (msg, query, "after", 0, G_MAXINT64, &after) ||
      !parse_int (msg, query, "limit", 1, FEED_MAX_LIMIT, &limit) ||
      !cd_server_parse_min_seq (msg, &min_seq))
    return;

  read = g_new0 (FeedRead, 1);
  read->user = g_steal_pointer (&user);
  read->scope = scope;
  read->after = after;
  read->limit = limit;
  /* The cursor is what the client has seen. */
  cd_server_read_at (self, msg, MAX (after, min_seq), read_feed, read,
                     (GDestroyNotify) feed_read_free);
}

/* Writes {{{1 */

/* The members each write takes; what each may hold is the core's table
 * (cd-input.c), the same for every route. */
static const char * const register_fields[] = {
  "kind", "category", "district", "street", "building", "flat", "name", "phone", "description",
  "channel", "policy", "executor", "lat", "lon", "due", "about", NULL,
};

static const char * const action_fields[] = {
  "action", "executor", "note", "target", "relation", "seconds", "days", "due", "outcome",
  "rating", "class", "responsible", "decision", "favour", "reasons", "appeal", "cause", "group",
  NULL,
};

static gboolean
check_fields (SoupServerMessage  *msg,
              JsonObject         *body,
              const char * const *fields)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, &node))
    {
      g_autoptr(GError) error = NULL;

      if (!g_strv_contains (fields, member))
        {
          bad_request (msg, member, _("Unknown field “%s”."), member);
          return FALSE;
        }
      if (!cd_input_check_member (member, node, &error))
        {
          bad_request (msg, member, "%s", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_executor (CdServer          *self,
                SoupServerMessage *msg,
                JsonObject        *body)
{
  g_autoptr(GError) error = NULL;
  const char *executor;
  gboolean exists = FALSE;

  if (!json_object_has_member (body, "executor"))
    return TRUE;
  executor = json_object_get_string_member (body, "executor");
  if (!cd_store_has_executor (self->store, executor, &exists, &error))
    {
      cd_server_send_gerror (msg, error);
      return FALSE;
    }
  if (!exists)
    {
      bad_request (msg, "executor",
                   _("There is no executor organization “%s” (see /api/v1/executors)."), executor);
      return FALSE;
    }
  return TRUE;
}

/* What a registration names must exist: its executor; its coordinates
 * come as a pair. */
static gboolean
check_registration (CdServer          *self,
                    SoupServerMessage *msg,
                    JsonObject        *body)
{
  gboolean has_lat = json_object_has_member (body, "lat");
  gboolean has_lon = json_object_has_member (body, "lon");

  if (has_lat != has_lon)
    {
      bad_request (msg, has_lat ? "lon" : "lat", _("“lat” and “lon” come together, or neither."));
      return FALSE;
    }
  return check_executor (self, msg, body);
}

static gboolean
clocks_have_target (const CdTicket *ticket,
                    const char     *target)
{
  g_autoptr(JsonNode) clocks = NULL;
  JsonArray *array;

  if (ticket->clocks == NULL ||
      (clocks = cd_json_parse (ticket->clocks, strlen (ticket->clocks), CD_JSON_MAX_DEPTH,
                               NULL, NULL, NULL)) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (clocks))
    return FALSE;
  array = json_node_get_array (clocks);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *clock = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (clock) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (clock),
                                                                 "target", NULL),
                     target) == 0)
        return TRUE;
    }
  return FALSE;
}

/* What an action names must exist: the executor it assigns to, the other
 * ticket it links to, the SLA target it extends. Checked once the table
 * allows the action, so that a role or a state that refuses it is told so
 * (403, 409) first. */
static gboolean
check_action (CdServer          *self,
              SoupServerMessage *msg,
              CdUser            *user,
              const char        *ticket_ref,
              CdAction           action,
              JsonObject        *body)
{
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GError) error = NULL;
  const char *target;
  CdRole role;

  /* Nothing named: the write's own reading of the ticket, under the
   * lock, says all (a missing ticket is 404 there too). Most actions
   * (a comment, accept, resolve) save a round trip to the database. */
  if (!json_object_has_member (body, "executor") && !json_object_has_member (body, "target"))
    return TRUE;
  /* Without its history, which the write reads under the lock. */
  if ((ticket = cd_store_peek_ticket (self->store, ticket_ref, &error)) == NULL)
    {
      cd_server_send_gerror (msg, error);
      return FALSE;
    }
  if (!cd_role_from_string (user->role, &role) ||
      !cd_dispatch_check (ticket, action, role, body, NULL))
    return TRUE;

  if (!check_executor (self, msg, body))
    return FALSE;
  if (!json_object_has_member (body, "target"))
    return TRUE;
  target = json_object_get_string_member (body, "target");
  if (action == CD_ACTION_LINK)
    {
      g_autoptr(CdTicket) other = cd_store_peek_ticket (self->store, target, &error);

      if (other == NULL && !g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
        {
          cd_server_send_gerror (msg, error);
          return FALSE;
        }
      if (other == NULL || g_str_equal (other->id, ticket->id))
        {
          bad_request (msg, "target",
                       other == NULL ? _("There is no ticket “%s” to link to.")
                                     : _("A ticket cannot be linked to itself (“%s”)."),
                       target);
          return FALSE;
        }
      /* Links name tickets by number, as the journal's own links do. */
      json_object_set_string_member (body, "target", other->number);
    }
  else if (action == CD_ACTION_EXTEND && !clocks_have_target (ticket, target))
    {
      bad_request (msg, "target", _("Ticket %s has no SLA target “%s” to extend."), ticket->number,
                   target);
      return FALSE;
    }
  return TRUE;
}

static const char *
idempotency_key (SoupServerMessage *msg)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                  "Idempotency-Key");
  gsize len;

  if (key == NULL)
    {
      bad_request (
          msg, "Idempotency-Key",
          _("Every write needs an Idempotency-Key header (1 to %d printable ASCII characters)."),
          MAX_KEY_LEN);
      return NULL;
    }
  len = strlen (key);
  if (len == 0 || len > MAX_KEY_LEN)
    {
      bad_request (msg, "Idempotency-Key", _("The Idempotency-Key must have 1 to %d characters."),
                   MAX_KEY_LEN);
      return NULL;
    }
  for (gsize i = 0; i < len; i++)
    if (key[i] < 0x20 || key[i] > 0x7e)
      {
        bad_request (msg, "Idempotency-Key", _("The Idempotency-Key must be printable ASCII."));
        return NULL;
      }
  return key;
}

/* Stores a refusal by the transition table (403 or 409: the role or the
 * ticket's state) under the key, in a transaction of its own, and answers
 * it: a retry gets the same refusal. A refusal for the request's content
 * (400) is answered but not stored: it changed nothing, and the client
 * may correct the request and send it again under the same key. */
static void
refuse_and_remember (CdServer          *self,
                     SoupServerMessage *msg,
                     CdUser            *user,
                     const char        *key,
                     const char        *request_hash,
                     const GError      *error)
{
  g_autoptr(GError) save_error = NULL;
  g_autofree char *text = NULL;
  CdIdempotentAnswer answer = { 0 };
  const char *code;
  guint status;
  gsize len = 0;

  /* A locked database refused nothing: the same key is good for the
   * retry the 503 asks for. */
  if (!cd_server_classify_error (error, &status, &code) ||
      status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  text = cd_server_error_text (code, error->message, NULL, &len);
  if (status != SOUP_STATUS_FORBIDDEN && status != SOUP_STATUS_CONFLICT)
    {
      cd_server_send_text (msg, status, text, len);
      return;
    }
  answer.request_hash = (char *) request_hash;
  answer.status = status;
  answer.response = text;
  if (!cd_store_save_idempotent_answer (self->store, user->name, key, &answer,
                                        g_get_real_time () / G_USEC_PER_SEC, &save_error))
    {
      g_autofree char *what = g_strdup_printf ("Could not remember the refusal for key %s", key);

      cd_server_log_failure (what, save_error);
    }
  cd_server_send_text (msg, status, text, len);
}

/* A write's Idempotency-Key and the request's identity (where it goes and
 * its exact bytes). A key already used is answered here: the same answer
 * for the same request, 409 for another.
 *
 * Returns: whether the write is new and to be carried out */
static gboolean
replay_or_hash (CdServer           *self,
                SoupServerMessage  *msg,
                CdUser             *user,
                const char        **key,
                char              **request_hash)
{
  g_autoptr(CdIdempotentAnswer) previous = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GChecksum) checksum = NULL;

  if ((*key = idempotency_key (msg)) == NULL)
    return FALSE;

  raw = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) cd_server_path (msg), -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  *request_hash = g_strdup (g_checksum_get_string (checksum));

  previous = cd_store_find_idempotent_answer (self->store, user->name, *key, &error);
  if (previous != NULL)
    {
      if (g_str_equal (previous->request_hash, *request_hash))
        cd_server_send_text (msg, previous->status, previous->response,
                             strlen (previous->response));
      else
        cd_server_send_error (msg, SOUP_STATUS_CONFLICT, "conflict",
                              _("This Idempotency-Key was already used with another request."),
                              "Idempotency-Key");
      return FALSE;
    }
  if (!g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      cd_server_send_gerror (msg, error);
      return FALSE;
    }
  return TRUE;
}

/* The answer to a write that went through: kept under its Idempotency-Key
 * in the same transaction as its events, then sent and pushed to the
 * streams. A failure rolls everything back. */
static void
commit_and_answer (CdServer          *self,
                   SoupServerMessage *msg,
                   CdUser            *user,
                   const char        *key,
                   const char        *request_hash,
                   guint              status,
                   JsonObject        *root,
                   GPtrArray         *events)
{
  CdIdempotentAnswer answer = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  text = cd_server_object_to_text (root, &len);
  answer.request_hash = (char *) request_hash;
  answer.status = status;
  answer.response = text;
  if (events->len > 0)
    {
      answer.first_seq = ((CdEvent *) g_ptr_array_index (events, 0))->seq;
      answer.last_seq = ((CdEvent *) g_ptr_array_index (events, events->len - 1))->seq;
    }
  if (!cd_store_save_idempotent_answer (self->store, user->name, key, &answer,
                                        g_get_real_time () / G_USEC_PER_SEC, &error) ||
      !cd_store_commit (self->store, &error))
    {
      g_autoptr(CdIdempotentAnswer) first = NULL;

      cd_store_rollback (self->store);
      /* Another process sharing the database took the key between our
       * look-up and our save: our events are rolled back with the save,
       * and the client gets that process's answer, as on a retry. */
      if (g_error_matches (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT) &&
          (first = cd_store_find_idempotent_answer (self->store, user->name, key,
                                                    NULL)) != NULL &&
          g_str_equal (first->request_hash, request_hash))
        {
          cd_server_send_text (msg, first->status, first->response,
                               strlen (first->response));
          return;
        }
      cd_server_send_gerror (msg, error);
      return;
    }
  cd_server_send_text (msg, status, text, len);
  cd_server_notify_committed (self);
}

static void
handle_write (CdServer          *self,
              SoupServerMessage *msg,
              CdUser            *user,
              const char        *ticket_ref)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request_hash = NULL;
  g_autofree char *action = NULL;
  const char *key;
  gint64 now;

  if (!replay_or_hash (self, msg, user, &key, &request_hash))
    return;

  if ((body = cd_server_read_object (self, msg, NULL)) == NULL)
    return;

  if (ticket_ref == NULL)
    {
      if (!check_fields (msg, body, register_fields) ||
          !check_registration (self, msg, body))
        return;
    }
  else
    {
      CdAction a;
      CdRole role;

      if (!check_fields (msg, body, action_fields))
        return;
      if (!json_object_has_member (body, "action"))
        {
          bad_request (msg, "action", _("“action” is missing."));
          return;
        }
      action = g_strdup (json_object_get_string_member (body, "action"));
      if (!cd_action_from_string (action, &a) || a == CD_ACTION_REGISTER)
        {
          bad_request (msg, "action",
                       _("“%s” is not an action (register with POST /api/v1/tickets)."), action);
          return;
        }

      json_object_remove_member (body, "action");
      /* The account's organization, never one the client names (the
       * fields above refuse `org`): the table checks it. */
      if (cd_role_from_string (user->role, &role))
        {
          JsonObject *with_org = cd_dispatch_actor_payload (role, user->org, body);

          json_object_unref (body);
          body = with_org;
        }
      if (!check_action (self, msg, user, ticket_ref, a, body))
        return;
    }

  now = cd_server_now (self);
  if (!cd_store_begin_for (self->store, ticket_ref, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  if (ticket_ref == NULL)
    ticket = cd_store_register (self->store, body, user->name, user->role, now, &error);
  else
    ticket = cd_store_act (self->store, ticket_ref, action, user->name, user->role,
                           json_object_get_size (body) > 0 ? body : NULL, now, &error);
  if (ticket == NULL)
    {
      cd_store_rollback (self->store);
      if (error->domain == CD_DISPATCH_ERROR)
        refuse_and_remember (self, msg, user, key, request_hash, error);
      else
        cd_server_send_gerror (msg, error);
      return;
    }

  /* As the journal will read them, without asking the database. */
  events = cd_store_list_appended_events (self->store, ticket->id);

  root = json_object_new ();
  json_object_set_object_member (root, "ticket", cd_server_ticket_json (ticket, user->role));
  json_object_set_array_member (root, "events", events_json (events, user->role));
  commit_and_answer (self, msg, user, key, request_hash,
                     ticket_ref == NULL ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, root, events);
}

/* Tickets {{{1 */

typedef struct
{
  char           *role;
  CdTicketFilter *filter;
  /* Asked for another organization's tickets: none. */
  gboolean        none;
  gint64          limit;
  gint64          offset;
} TicketsRead;

static void
tickets_read_free (TicketsRead *read)
{
  g_free (read->role);
  cd_ticket_filter_free (read->filter);
  g_free (read);
}

static gboolean
read_tickets (CdServer          *self,
              SoupServerMessage *msg,
              CdStore           *store,
              gint64             head,
              gpointer           data,
              GError           **error)
{
  TicketsRead *read = data;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *array;

  if (read->none)
    tickets = g_ptr_array_new ();
  else if ((tickets = cd_store_list_tickets (store, read->filter, 0, error)) == NULL)
    return FALSE;

  array = json_array_new ();
  for (guint i = (guint) MIN (read->offset, (gint64) tickets->len);
       i < tickets->len && (gint64) json_array_get_length (array) < read->limit; i++)
    json_array_add_object_element (array, cd_server_ticket_json (g_ptr_array_index (tickets, i),
                                                                 read->role));

  root = json_object_new ();
  json_object_set_array_member (root, "tickets", array);
  json_object_set_int_member (root, "total", tickets->len);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
  return TRUE;
}

static void
list_tickets (CdServer          *self,
              SoupServerMessage *msg,
              CdUser            *user,
              GHashTable        *query)
{
  static const char * const known[] = {
    "state", "executor", "overdue", "stale", "now", "limit", "offset", NULL
  };
  CdTicketFilter q = { 0 };
  gboolean overdue = FALSE, stale = FALSE;
  TicketsRead *read;
  gint64 limit = LIST_DEFAULT_LIMIT, offset = 0, min_seq = 0;
  CdTicketState state;
  CdAccessScope scope;

  q.now = cd_server_now (self);
  if (!cd_server_may_read (msg, user, CD_RESOURCE_TICKETS, &scope) ||
      !cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_min_seq (msg, &min_seq) ||
      !parse_bool (msg, query, "overdue", &overdue) ||
      !parse_bool (msg, query, "stale", &stale) ||
      !parse_now (msg, query, &q.now) ||
      !parse_int (msg, query, "limit", 1, LIST_MAX_LIMIT, &limit) ||
      !parse_int (msg, query, "offset", 0, G_MAXINT32, &offset))
    return;
  if (query != NULL)
    {
      q.state = g_hash_table_lookup (query, "state");
      q.executor = g_hash_table_lookup (query, "executor");
    }
  if (q.state != NULL &&
      (!cd_ticket_state_from_string (q.state, &state) || state == CD_TICKET_STATE_NEW))
    {
      bad_request (msg, "state", _("“%s” is not a ticket state."), q.state);
      return;
    }
  if (overdue && stale)
    {
      bad_request (msg, "stale", _("Ask for overdue or for stale tickets, not both at once."));
      return;
    }
  q.open_only = overdue || stale;
  q.tile = overdue ? CD_OVERDUE_TILE_BREACHED
           : stale ? CD_OVERDUE_TILE_STALE
                   : CD_OVERDUE_TILE_NONE;

  /* An organization's own tickets only: asking for another's gets none. */
  read = g_new0 (TicketsRead, 1);
  if (scope == CD_ACCESS_OWN)
    {
      if (q.executor != NULL && !cd_access_may_read_ticket (scope, user->org, q.executor))
        read->none = TRUE;
      q.executor = user->org;
    }
  read->role = g_strdup (user->role);
  read->filter = cd_ticket_filter_copy (&q);
  read->limit = limit;
  read->offset = offset;
  cd_server_read_at (self, msg, min_seq, read_tickets, read, (GDestroyNotify) tickets_read_free);
}

typedef struct
{
  char          *role;
  char          *org;
  CdAccessScope  scope;
  char          *ref;
} TicketRead;

static void
ticket_read_free (TicketRead *read)
{
  g_free (read->role);
  g_free (read->org);
  g_free (read->ref);
  g_free (read);
}

/* One ticket with its history (its events) and its SLA clocks. */
static gboolean
read_ticket (CdServer          *self,
             SoupServerMessage *msg,
             CdStore           *store,
             gint64             head,
             gpointer           data,
             GError           **error)
{
  TicketRead *read = data;
  g_autoptr(CdTicket) ticket = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;

  if ((ticket = cd_store_load_ticket (store, read->ref, &local_error)) == NULL)
    {
      /* Not there at this head: an answer, not a failure of @store. */
      if (!g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      cd_server_send_gerror (msg, local_error);
      return TRUE;
    }
  if (!cd_access_may_read_ticket (read->scope, read->org, ticket->executor))
    {
      cd_server_send_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                            _("This ticket is assigned to another executor organization."), NULL);
      return TRUE;
    }
  if ((events = cd_store_list_events (store, ticket->id, 0, 0, error)) == NULL)
    return FALSE;
  root = cd_server_ticket_json (ticket, read->role);
  json_object_set_array_member (root, "events", events_json (events, read->role));
  /* The SLA engine's clocks as the store last judged them. */
  {
    g_autoptr(JsonParser) parser = json_parser_new_immutable ();
    JsonNode *clocks;

    if (ticket->clocks != NULL &&
        json_parser_load_from_data (parser, ticket->clocks, -1, NULL) &&
        (clocks = json_parser_get_root (parser)) != NULL)
      json_object_set_member (root, "clocks", json_node_copy (clocks));
    else
      json_object_set_array_member (root, "clocks", json_array_new ());
  }
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
  json_object_unref (root);
  return TRUE;
}

static void
show_ticket (CdServer          *self,
             SoupServerMessage *msg,
             CdUser            *user,
             const char        *ref)
{
  TicketRead *read;
  CdAccessScope scope;
  gint64 min_seq = 0;

  if (!cd_server_may_read (msg, user, CD_RESOURCE_TICKETS, &scope) ||
      !cd_server_parse_min_seq (msg, &min_seq))
    return;
  read = g_new0 (TicketRead, 1);
  read->role = g_strdup (user->role);
  read->org = g_strdup (user->org);
  read->scope = scope;
  read->ref = g_strdup (ref);
  cd_server_read_at (self, msg, min_seq, read_ticket, read, (GDestroyNotify) ticket_read_free);
}

static void
handle_tickets (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_auto(GStrv) parts = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *rest;
  guint n;

  rest = path + strlen ("/api/v1/tickets");
  if (*rest == '/')
    rest++;
  parts = g_strsplit (rest, "/", -1);
  n = g_strv_length (parts);
  if (n > 0 && *parts[n - 1] == '\0')
    n--;

  if (n > 2 || (n == 2 && !g_str_equal (parts[1], "actions")) || (n >= 1 && *parts[0] == '\0'))
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

      cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
      return;
    }

  if ((user = cd_server_authenticate (self, msg, query)) == NULL)
    return;

  if (n == 0)
    {
      if (g_str_equal (method, SOUP_METHOD_GET))
        list_tickets (self, msg, user, query);
      else if (cd_server_check_method (msg, SOUP_METHOD_POST))
        handle_write (self, msg, user, NULL);
    }
  else if (n == 1)
    {
      if (cd_server_check_method (msg, SOUP_METHOD_GET))
        show_ticket (self, msg, user, parts[0]);
    }
  else if (cd_server_check_method (msg, SOUP_METHOD_POST))
    handle_write (self, msg, user, parts[0]);
}

/* Reference data and statistics {{{1 */

static void
handle_categories (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(JsonObject) root = NULL;
  const CdCategory *categories;
  JsonArray *array;
  guint n;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_CATEGORIES, NULL))
    return;

  categories = cd_category_get_all (&n);
  array = json_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *c = json_object_new ();

      json_object_set_string_member (c, "id", categories[i].id);
      if (categories[i].parent != NULL)
        json_object_set_string_member (c, "parent", categories[i].parent);
      else
        json_object_set_null_member (c, "parent");
      json_object_set_string_member (c, "name", cd_category_get_name (&categories[i]));
      json_object_set_boolean_member (c, "assignable", cd_category_is_assignable (&categories[i]));
      json_object_set_int_member (c, "stale_seconds", categories[i].stale_seconds);
      json_object_set_int_member (c, "ack_seconds", categories[i].ack_seconds);
      json_array_add_object_element (array, c);
    }
  root = json_object_new ();
  json_object_set_array_member (root, "categories", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* The request's Accept-Language tags, most wanted first (their weights
 * are ignored: clients list them in order). */
static GStrv
request_languages (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Accept-Language");
  GStrv tags;

  if (header == NULL)
    return NULL;
  tags = g_strsplit (header, ",", 16);
  for (guint i = 0; tags[i] != NULL; i++)
    g_strstrip (tags[i]);
  return tags;
}

/* The executors of the reference data (cd-server-reference.c): an
 * organization with names carries its `name` in the client's language and
 * `names` in every language the city gives; another is known by its code
 * alone. */
static void
handle_executors (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) executors = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) languages = NULL;
  JsonArray *array;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_EXECUTORS, NULL))
    return;
  if ((executors = cd_server_reference_section (self, user, CD_REFERENCE_EXECUTOR, &error)) == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }

  languages = request_languages (msg);
  array = json_array_sized_new (executors->len);
  for (guint i = 0; i < executors->len; i++)
    {
      const CdReferenceEntry *entry = g_ptr_array_index (executors, i);
      const char *name = cd_reference_entry_get_name (entry, (const char * const *) languages);
      JsonObject *executor = json_object_new ();

      json_object_set_string_member (executor, "id", entry->code);
      if (name != NULL)
        {
          JsonObject *names = json_object_new ();
          GHashTableIter iter;
          gpointer language, value;

          g_hash_table_iter_init (&iter, entry->names);
          while (g_hash_table_iter_next (&iter, &language, &value))
            json_object_set_string_member (names, language, value);
          json_object_set_string_member (executor, "name", name);
          json_object_set_object_member (executor, "names", names);
        }
      json_array_add_object_element (array, executor);
    }
  root = json_object_new ();
  json_object_set_array_member (root, "executors", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The shipped policies or calendars: every JSON file of a data folder. */
static void
send_data_files (CdServer          *self,
                 SoupServerMessage *msg,
                 const char        *folder)
{
  /* The very files the store judges clocks with. */
  CdSlaLibrary *library = cd_store_get_sla_library (self->store, NULL);
  g_autofree char *dir_path = g_build_filename (library != NULL ? cd_sla_library_get_dir (library)
                                                                : cd_sla_library_default_dir (),
                                                folder, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *array = json_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_strdup (name));
  g_ptr_array_sort (files, compare_names);

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, files->pdata[i], NULL);
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonNode *node;

      if (!json_parser_load_from_file (parser, path, NULL) ||
          (node = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      node = json_node_copy (node);
      if (!json_object_has_member (json_node_get_object (node), "id"))
        {
          g_autofree char *id = g_strndup (files->pdata[i], strlen (files->pdata[i]) - 5);

          json_object_set_string_member (json_node_get_object (node), "id", id);
        }
      json_array_add_element (array, node);
    }
  json_object_set_array_member (root, folder, array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static void
handle_policies (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_POLICIES, NULL))
    return;
  send_data_files (self, msg, "policies");
}

static void
handle_calendars (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_CALENDARS, NULL))
    return;
  send_data_files (self, msg, "calendars");
}

static void
handle_users (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;
  JsonArray *array;

  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_USERS, NULL))
    return;
  if ((users = cd_store_list_users (self->store, &error)) == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  array = json_array_sized_new (users->len);
  for (guint i = 0; i < users->len; i++)
    {
      CdUser *u = g_ptr_array_index (users, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "user", u->name);
      json_object_set_string_member (o, "role", u->role);
      if (u->org != NULL)
        json_object_set_string_member (o, "org", u->org);
      if (u->agent != NULL)
        json_object_set_string_member (o, "agent", u->agent);
      json_array_add_object_element (array, o);
    }
  root = json_object_new ();
  json_object_set_array_member (root, "users", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static void
handle_stats (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char * const known[] = { "now", NULL };
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;

  now = cd_server_now (self);
  if (!cd_server_check_method (msg, SOUP_METHOD_GET) ||
      (user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_STATS, NULL) ||
      !cd_server_only_known_params (msg, query, known) ||
      !parse_now (msg, query, &now))
    return;
  if ((stats = cd_store_get_stats (self->store, now, &error)) == NULL)
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  cd_server_send_object (msg, SOUP_STATUS_OK, stats);
}

/* Calls {{{1 */

/**
 * cd_server_parse_time:
 * @msg: the request, answered 400 naming @name when the time is bad
 * @query: (nullable): its query
 * @name: the parameter
 * @required: whether a missing one is refused; else @out is left as is
 * @zone: the zone of a time written without one
 * @out: (out): the time, in Unix seconds
 *
 * The one reader of a time in a route's query (ISO 8601).
 *
 * Returns: whether the request may go on
 */
gboolean
cd_server_parse_time (SoupServerMessage *msg,
                      GHashTable        *query,
                      const char        *name,
                      gboolean           required,
                      GTimeZone         *zone,
                      gint64            *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    {
      if (required)
        bad_request (msg, name, _("“%s” is missing."), name);
      return !required;
    }
  if ((dt = g_date_time_new_from_iso8601 (text, zone)) == NULL)
    {
      bad_request (msg, name, _("“%s” must be an ISO 8601 time, e.g. 2026-11-24T09:00:00Z."),
                   name);
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
parse_duration (SoupServerMessage *msg,
                GHashTable        *query,
                const char        *name,
                gboolean           zero_allowed,
                gint64            *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  g_autofree char *message = NULL;

  if (text == NULL)
    return TRUE;
  if (!cd_format_parse_duration (name, text, out, &message))
    {
      bad_request (msg, name, "%s", message);
      return FALSE;
    }
  if (*out == 0 && !zero_allowed)
    {
      bad_request (msg, name, _("“%s” must be longer than 0."), name);
      return FALSE;
    }
  return TRUE;
}

/* The same figures as `citydeskctl calls stats --json`, on the server's
 * local clock, which the intervals start on. */
static void
calls_stats (CdServer          *self,
             SoupServerMessage *msg,
             CdUser            *user,
             GHashTable        *query)
{
  static const char * const known[] = {
    "from", "to", "interval", "target", "short_abandon", NULL
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdCallStats) stats = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  CdCallStatsLimits limits = { 40, 5 };
  gint64 interval = 30 * 60;
  gint64 from, to;

  if (!cd_server_may_read (msg, user, CD_RESOURCE_CALLS, NULL) ||
      !cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_time (msg, query, "from", TRUE, zone, &from) ||
      !cd_server_parse_time (msg, query, "to", TRUE, zone, &to) ||
      !parse_duration (msg, query, "interval", FALSE, &interval) ||
      !parse_duration (msg, query, "target", TRUE, &limits.target) ||
      !parse_duration (msg, query, "short_abandon", TRUE, &limits.short_abandon))
    return;
  if (to <= from)
    {
      bad_request (msg, "to", _("The period ends before it starts."));
      return;
    }
  if ((to - from) / interval > CALL_STATS_MAX_INTERVALS)
    {
      bad_request (msg, "interval", _("At most %d intervals in one answer: ask for longer ones."),
                   CALL_STATS_MAX_INTERVALS);
      return;
    }
  if (!cd_store_call_stats (self->store, from, to, interval, zone, &limits, &stats, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  root = cd_call_stats_to_json (stats, interval, zone);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* The peak hours, as `citydeskctl calls heatmap --json` prints them. */
static void
calls_heatmap (CdServer          *self,
               SoupServerMessage *msg,
               CdUser            *user,
               GHashTable        *query)
{
  static const char * const known[] = { "from", "to", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdCallHeatmap) map = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from, to;

  if (!cd_server_may_read (msg, user, CD_RESOURCE_CALLS, NULL) ||
      !cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_time (msg, query, "from", TRUE, zone, &from) ||
      !cd_server_parse_time (msg, query, "to", TRUE, zone, &to))
    return;
  if (!cd_store_call_heatmap (self->store, from, to, zone, &map, &error))
    {
      /* A period the heatmap refuses is the client's to fix. */
      if (g_error_matches (error, CD_CALL_STATS_ERROR, CD_CALL_STATS_ERROR_INVALID))
        bad_request (msg, "to", "%s", error->message);
      else
        cd_server_send_gerror (msg, error);
      return;
    }
  root = cd_call_heatmap_to_json (map, zone);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* A share in the query: a plain number from @low to @high, each bound
 * included or not. */
static gboolean
parse_share (SoupServerMessage *msg,
             GHashTable        *query,
             const char        *name,
             double             low,
             gboolean           low_included,
             double             high,
             gboolean           high_included,
             double            *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  char *end = NULL;
  double value;

  if (text == NULL)
    return TRUE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || isnan (value) || value < low ||
      (value == low && !low_included) || value > high || (value == high && !high_included))
    {
      bad_request (msg, name, _("“%s” must be a number from %g to %g."), name, low, high);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

/* A local date, YYYY-MM-DD: any time of it will do for the forecast. */
static gboolean
parse_day (SoupServerMessage *msg,
           GHashTable        *query,
           GTimeZone         *zone,
           gint64            *out)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, "day") : NULL;
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    {
      *out = g_get_real_time () / G_USEC_PER_SEC;
      return TRUE;
    }
  if (strlen (text) == 10)
    iso = g_strconcat (text, "T12:00:00", NULL);
  if (iso == NULL || (dt = g_date_time_new_from_iso8601 (iso, zone)) == NULL)
    {
      bad_request (msg, "day", _("“%s” must be a date, e.g. 2026-11-24."), "day");
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* The day's forecast and staff, as `citydeskctl calls forecast --json`
 * prints them, on the server's local clock. */
static void
calls_forecast (CdServer          *self,
                SoupServerMessage *msg,
                CdUser            *user,
                GHashTable        *query)
{
  static const char * const known[] = {
    "day", "interval", "target", "sl", "max_occupancy", "shrinkage", NULL
  };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CdForecast) forecast = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  CdErlangTarget target = { 0.8, 1.0, 0.0 };
  gint64 interval = 30 * 60, target_seconds = 40;
  gint64 day = 0;

  if (!cd_server_may_read (msg, user, CD_RESOURCE_CALLS, NULL) ||
      !cd_server_only_known_params (msg, query, known) ||
      !parse_day (msg, query, zone, &day) ||
      !parse_duration (msg, query, "interval", FALSE, &interval) ||
      !parse_duration (msg, query, "target", TRUE, &target_seconds) ||
      !parse_share (msg, query, "sl", 0, FALSE, 1, FALSE, &target.service_level) ||
      !parse_share (msg, query, "max_occupancy", 0, FALSE, 1, TRUE, &target.max_occupancy) ||
      !parse_share (msg, query, "shrinkage", 0, TRUE, 1, FALSE, &target.shrinkage))
    return;
  if (interval < 60 || interval > 86400)
    {
      bad_request (msg, "interval", _("The intervals must be from 1 minute to 1 day long."));
      return;
    }
  if (!cd_store_call_forecast (self->store, day, interval, zone, &target, target_seconds,
                               &forecast, &error))
    {
      if (g_error_matches (error, CD_ERLANG_ERROR, CD_ERLANG_ERROR_INVALID))
        bad_request (msg, NULL, "%s", error->message);
      else
        cd_server_send_gerror (msg, error);
      return;
    }
  root = cd_forecast_to_json (forecast, interval, target_seconds, &target, zone);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* The lost callers, as `citydeskctl calls missed --json` lists them; the
 * store masks the callers' numbers for a role that does not see phones. */
static void
calls_missed (CdServer          *self,
              SoupServerMessage *msg,
              CdUser            *user,
              GHashTable        *query)
{
  static const char * const known[] = { "now", "all", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) missed = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  gboolean all = FALSE;
  gint64 now;

  now = cd_server_now (self);
  if (!cd_server_may_read (msg, user, CD_RESOURCE_CALLS, NULL) ||
      !cd_server_only_known_params (msg, query, known) ||
      !parse_now (msg, query, &now) ||
      !parse_bool (msg, query, "all", &all))
    return;
  if (!cd_store_list_missed_calls (self->store, !all, now, user->role, &missed, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  array = json_array_sized_new (missed->len);
  for (guint i = 0; i < missed->len; i++)
    json_array_add_object_element (array, cd_missed_call_to_json (missed->pdata[i], now, zone));
  root = json_object_new ();
  json_object_set_array_member (root, "missed_calls", array);
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

/* The body a callback takes: its outcome, and nothing else (who called
 * back is the account, when is the server's clock). */
static gboolean
read_callback (CdServer           *self,
               SoupServerMessage  *msg,
               CdCallbackOutcome  *outcome)
{
  g_autoptr(JsonObject) body = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if ((body = cd_server_read_object (self, msg, NULL)) == NULL)
    return FALSE;
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, &node))
    if (!g_str_equal (member, "outcome"))
      {
        bad_request (msg, member, _("Unknown field “%s”."), member);
        return FALSE;
      }
  node = json_object_get_member (body, "outcome");
  if (node == NULL)
    {
      bad_request (msg, "outcome", _("“outcome” is missing."));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !cd_callback_outcome_from_string (json_node_get_string (node), outcome))
    {
      bad_request (msg, "outcome",
                   _("“outcome” must be reached, no_answer, busy or wrong_number."));
      return FALSE;
    }
  return TRUE;
}

/* Records a callback as the account that asks, now, under an
 * Idempotency-Key as ticket actions are: the callback event and the
 * answer stored under the key commit together. A role that does not see
 * callers' numbers is refused 403, a missed call no longer waiting 409;
 * both refusals are remembered under the key. */
static void
calls_callback (CdServer          *self,
                SoupServerMessage *msg,
                CdUser            *user,
                const char        *call)
{
  g_autoptr(CdMissedCall) missed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GError) error = NULL;
  g_autofree char *request_hash = NULL;
  CdCallbackOutcome outcome;
  const char *key;
  gint64 before, now;

  if (!cd_server_may_read (msg, user, CD_RESOURCE_CALLS, NULL) ||
      !replay_or_hash (self, msg, user, &key, &request_hash) ||
      !read_callback (self, msg, &outcome))
    return;
  if (!cd_callback_role_may (user->role))
    {
      g_set_error (&error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_ROLE_NOT_ALLOWED,
                   _("Refused: the role “%s” does not see callers’ numbers, so it cannot "
                     "call back."),
                   user->role);
      refuse_and_remember (self, msg, user, key, request_hash, error);
      return;
    }

  now = cd_server_now (self);
  if (!cd_store_begin (self->store, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  before = cd_store_get_last_seq (self->store, NULL);
  if (!cd_store_record_callback (self->store, call, outcome, user->name, user->role, now,
                                 &missed, &error))
    {
      cd_store_rollback (self->store);
      refuse_and_remember (self, msg, user, key, request_hash, error);
      return;
    }
  if ((events = cd_store_list_events (self->store, missed->call, before, 0, &error)) == NULL)
    {
      cd_store_rollback (self->store);
      cd_server_send_gerror (msg, error);
      return;
    }

  root = json_object_new ();
  json_object_set_object_member (root, "missed_call", cd_missed_call_to_json (missed, now, zone));
  json_object_set_array_member (root, "events", events_json (events, user->role));
  commit_and_answer (self, msg, user, key, request_hash, SOUP_STATUS_CREATED, root, events);
  /* One fewer missed call awaiting a callback, for the live queue. */
  cd_server_live_missed_changed (self->live);
}

static void
handle_calls (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_auto(GStrv) parts = NULL;
  const char *rest;
  guint n;

  rest = path + strlen ("/api/v1/calls");
  if (*rest == '/')
    rest++;
  parts = g_strsplit (rest, "/", -1);
  n = g_strv_length (parts);
  if (n > 0 && *parts[n - 1] == '\0')
    n--;

  if (!(n == 1 && (g_str_equal (parts[0], "stats") || g_str_equal (parts[0], "missed") ||
                   g_str_equal (parts[0], "heatmap") || g_str_equal (parts[0], "forecast"))) &&
      !(n == 2 && *parts[0] != '\0' && g_str_equal (parts[1], "callbacks")))
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

      cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
      return;
    }

  if ((user = cd_server_authenticate (self, msg, query)) == NULL)
    return;

  if (n == 2)
    {
      if (cd_server_check_method (msg, SOUP_METHOD_POST))
        calls_callback (self, msg, user, parts[0]);
    }
  else if (!cd_server_check_method (msg, SOUP_METHOD_GET))
    return;
  else if (g_str_equal (parts[0], "stats"))
    calls_stats (self, msg, user, query);
  else if (g_str_equal (parts[0], "heatmap"))
    calls_heatmap (self, msg, user, query);
  else if (g_str_equal (parts[0], "forecast"))
    calls_forecast (self, msg, user, query);
  else
    calls_missed (self, msg, user, query);
}

void
cd_server_api_install (CdServer *self)
{
  soup_server_add_handler (self->soup, "/api/v1/events", handle_events, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/tickets", handle_tickets, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/categories", handle_categories, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/executors", handle_executors, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/policies", handle_policies, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/calendars", handle_calendars, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/users", handle_users, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/stats", handle_stats, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/calls", handle_calls, self, NULL);
}
