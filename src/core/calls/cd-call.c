// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call.c: one call to the contact centre, as the PBX's queue saw it */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-call.h"

static const char * const outcomes[CD_N_CALL_OUTCOMES] = {
  [CD_CALL_WAITING] = "waiting",
  [CD_CALL_TALKING] = "talking",
  [CD_CALL_ANSWERED] = "answered",
  [CD_CALL_ABANDONED] = "abandoned",
  [CD_CALL_TIMEOUT] = "timeout",
  [CD_CALL_TRANSFERRED] = "transferred",
  [CD_CALL_EXIT_EMPTY] = "exit_empty",
  [CD_CALL_EXIT_KEY] = "exit_key",
  [CD_CALL_WITHDRAWN] = "withdrawn",
  [CD_CALL_INTERRUPTED] = "interrupted",
};

/* Separators of the `rings` text; an agent's name is escaped to keep them
 * apart (Asterisk's member names may hold spaces). */
#define RINGS_KEEP "/@:.-_+#*()"

/**
 * cd_call_new:
 * @pbx_id: the PBX's call id
 * @queue: the queue's name
 * @entered_at: Unix seconds of queue entry
 *
 * Returns: (transfer full): a call waiting in @queue
 */
CdCall *
cd_call_new (const char *pbx_id,
             const char *queue,
             gint64      entered_at)
{
  CdCall *self = g_new0 (CdCall, 1);

  self->pbx_id = g_strdup (pbx_id);
  self->queue = g_strdup (queue);
  self->entered_at = entered_at;
  self->outcome = CD_CALL_WAITING;
  self->rings = g_array_new (FALSE, TRUE, sizeof (CdCallRing));
  return self;
}

void
cd_call_free (CdCall *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->rings->len; i++)
    g_free (g_array_index (self->rings, CdCallRing, i).agent);
  g_array_unref (self->rings);
  g_free (self->pbx_id);
  g_free (self->queue);
  g_free (self->caller);
  g_free (self->did);
  g_free (self->agent);
  g_free (self->ended_by);
  g_free (self->transfer_to);
  g_free (self->recording);
  g_free (self);
}

static void
add_rings (GArray     *rings,
           const char *agent,
           guint       count)
{
  CdCallRing ring;

  for (guint i = 0; i < rings->len; i++)
    {
      CdCallRing *r = &g_array_index (rings, CdCallRing, i);

      if (g_strcmp0 (r->agent, agent) == 0)
        {
          r->count += count;
          return;
        }
    }
  ring.agent = g_strdup (agent != NULL ? agent : "");
  ring.count = count;
  g_array_append_val (rings, ring);
}

/**
 * cd_call_add_ring:
 * @self: a call
 * @agent: the operator whose phone rang unanswered
 *
 * Counts one missed offer of @agent (Asterisk's RINGNOANSWER).
 */
void
cd_call_add_ring (CdCall     *self,
                  const char *agent)
{
  add_rings (self->rings, agent, 1);
}

/**
 * cd_call_get_n_rings:
 * @self: a call
 *
 * Returns: the missed offers of all operators together
 */
guint
cd_call_get_n_rings (const CdCall *self)
{
  guint n = 0;

  for (guint i = 0; i < self->rings->len; i++)
    n += g_array_index (self->rings, CdCallRing, i).count;
  return n;
}

/**
 * cd_call_is_open:
 * @self: a call
 *
 * Returns: whether the call is still waiting or talking
 */
gboolean
cd_call_is_open (const CdCall *self)
{
  return self->outcome == CD_CALL_WAITING || self->outcome == CD_CALL_TALKING;
}

/**
 * cd_call_end:
 * @self: an open call
 * @outcome: how it ended
 * @ended_at: Unix seconds of the end
 *
 * Ends the call and counts its hold and talk times from its own times:
 * hold from queue entry to the answer (or to the end, unanswered), talk
 * from the answer to the end.
 */
void
cd_call_end (CdCall        *self,
             CdCallOutcome  outcome,
             gint64         ended_at)
{
  g_return_if_fail (outcome != CD_CALL_WAITING && outcome != CD_CALL_TALKING);

  self->outcome = outcome;
  self->ended_at = MAX (ended_at, self->entered_at);
  if (self->answered_at != 0)
    {
      self->answered_at = CLAMP (self->answered_at, self->entered_at, self->ended_at);
      self->hold_seconds = self->answered_at - self->entered_at;
      self->talk_seconds = self->ended_at - self->answered_at;
    }
  else
    {
      self->hold_seconds = self->ended_at - self->entered_at;
      self->talk_seconds = 0;
    }
}

const char *
cd_call_outcome_to_string (CdCallOutcome outcome)
{
  g_return_val_if_fail (outcome < CD_N_CALL_OUTCOMES, NULL);
  return outcomes[outcome];
}

gboolean
cd_call_outcome_from_string (const char    *text,
                             CdCallOutcome *outcome)
{
  for (guint i = 0; i < CD_N_CALL_OUTCOMES; i++)
    if (g_strcmp0 (text, outcomes[i]) == 0)
      {
        *outcome = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * cd_call_dup_entity:
 * @self: a call
 *
 * The journal's id of the call: a UUID (version 8, RFC 9562) made of the
 * SHA-256 of the PBX's call id, the queue and the time of entry. The same
 * call read from the same log again has the same id, which is how a second
 * import knows it has it; a call that enters a second queue (or the same
 * one again) is a second record.
 *
 * Returns: (transfer full): the id
 */
char *
cd_call_dup_entity (const CdCall *self)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, self->entered_at);
  guint8 d[32];
  gsize len = sizeof d;

  g_checksum_update (checksum, (const guint8 *) "citydesk call", 14);
  g_checksum_update (checksum, (const guint8 *) self->pbx_id, strlen (self->pbx_id) + 1);
  g_checksum_update (checksum, (const guint8 *) self->queue, strlen (self->queue) + 1);
  g_checksum_update (checksum, (const guint8 *) when, strlen (when));
  g_checksum_get_digest (checksum, d, &len);
  d[6] = (d[6] & 0x0F) | 0x80;
  d[8] = (d[8] & 0x3F) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9],
                          d[10], d[11], d[12], d[13], d[14], d[15]);
}

/**
 * cd_call_json_set_time:
 * @object: a JSON object
 * @name: the member to set
 * @time: Unix seconds
 * @zone: the clock to show @time on
 *
 * Sets @name to @time as ISO 8601 on @zone's clock, as the calls' JSON
 * (statistics, missed calls) shows every time, on the command line and
 * in the API alike.
 */
void
cd_call_json_set_time (JsonObject *object,
                       const char *name,
                       gint64      time,
                       GTimeZone  *zone)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = dt != NULL ? g_date_time_to_timezone (dt, zone) : NULL;
  g_autofree char *text = local != NULL ? g_date_time_format_iso8601 (local) : NULL;

  json_object_set_string_member (object, name, text);
}

static void
set_text (JsonObject *payload,
          const char *member,
          const char *value)
{
  if (value != NULL)
    json_object_set_string_member (payload, member, value);
}

static void
set_time (JsonObject *payload,
          const char *member,
          gint64      value)
{
  if (value != 0)
    json_object_set_int_member (payload, member, value);
}

static char *
rings_to_text (const CdCall *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->rings->len; i++)
    {
      const CdCallRing *r = &g_array_index (self->rings, CdCallRing, i);
      g_autofree char *agent = g_uri_escape_string (r->agent, RINGS_KEEP, FALSE);

      g_string_append_printf (text, "%s%s %u", i > 0 ? ";" : "", agent, r->count);
    }
  return g_string_free (text, FALSE);
}

/**
 * cd_call_to_payload:
 * @self: a call that has ended
 *
 * The details of the call's `call` event (docs/calls.md). The caller's
 * number goes in as `phone`, which cd_event_new() keeps apart as personal
 * data.
 *
 * Returns: (transfer full): the payload
 */
JsonObject *
cd_call_to_payload (const CdCall *self)
{
  JsonObject *payload = json_object_new ();

  json_object_set_string_member (payload, "call_id", self->pbx_id);
  json_object_set_string_member (payload, "queue", self->queue);
  json_object_set_string_member (payload, "outcome", cd_call_outcome_to_string (self->outcome));
  json_object_set_int_member (payload, "entered", self->entered_at);
  set_time (payload, "answered", self->answered_at);
  set_time (payload, "ended", self->ended_at);
  json_object_set_int_member (payload, "hold", self->hold_seconds);
  json_object_set_int_member (payload, "talk", self->talk_seconds);
  set_text (payload, "did", self->did);
  set_text (payload, "agent", self->agent);
  set_text (payload, "ended_by", self->ended_by);
  set_text (payload, "transfer_to", self->transfer_to);
  set_text (payload, "recording", self->recording);
  if (self->rings->len > 0)
    {
      g_autofree char *rings = rings_to_text (self);

      json_object_set_string_member (payload, "rings", rings);
    }
  set_text (payload, "phone", self->caller);
  return payload;
}

static const char *
get_text (JsonObject *payload,
          const char *member)
{
  JsonNode *node = json_object_get_member (payload, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_time (JsonObject *payload,
          const char *member,
          gboolean    required,
          gint64     *value,
          GError    **error)
{
  JsonNode *node = json_object_get_member (payload, member);

  *value = 0;
  if (node == NULL && !required)
    return TRUE;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("A call’s “%s” must be a whole number."), member);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

/**
 * cd_call_rings_parse:
 * @text: a `call` event's `rings` text
 * @rings: (element-type CdCallRing): where to add the missed offers; the
 *   agents' names are the array's to free
 * @error: a #G_IO_ERROR_INVALID_DATA
 *
 * Reads the rings cd_call_to_payload() wrote, for a reader of the events
 * that needs them without the whole call.
 *
 * Returns: whether @text could be read (@rings may hold a part if not)
 */
gboolean
cd_call_rings_parse (const char  *text,
                     GArray      *rings,
                     GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *space = strrchr (parts[i], ' ');
      g_autofree char *escaped = NULL;
      g_autofree char *agent = NULL;
      guint64 count = 0;

      if (space == NULL ||
          !g_ascii_string_to_unsigned (space + 1, 10, 1, G_MAXUINT, &count, NULL) ||
          (agent = g_uri_unescape_segment (parts[i], space, NULL)) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("A call’s rings “%s” cannot be read."), text);
          return FALSE;
        }
      add_rings (rings, agent, (guint) count);
    }
  return TRUE;
}

/**
 * cd_call_new_from_payload:
 * @payload: a `call` event's details (without personal data)
 * @caller: (nullable): the caller's number from the event's personal data
 * @error: a #G_IO_ERROR_INVALID_DATA
 *
 * Reads back what cd_call_to_payload() wrote.
 *
 * Returns: (transfer full): the call, or %NULL
 */
CdCall *
cd_call_new_from_payload (JsonObject  *payload,
                          const char  *caller,
                          GError     **error)
{
  g_autoptr(CdCall) call = NULL;
  const char *pbx_id = get_text (payload, "call_id");
  const char *queue = get_text (payload, "queue");
  const char *rings = get_text (payload, "rings");
  gint64 entered;

  if (pbx_id == NULL || queue == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("A call has no call id or no queue."));
      return NULL;
    }
  if (!get_time (payload, "entered", TRUE, &entered, error))
    return NULL;
  call = cd_call_new (pbx_id, queue, entered);
  if (!get_time (payload, "answered", FALSE, &call->answered_at, error) ||
      !get_time (payload, "ended", FALSE, &call->ended_at, error) ||
      !get_time (payload, "hold", TRUE, &call->hold_seconds, error) ||
      !get_time (payload, "talk", TRUE, &call->talk_seconds, error))
    return NULL;
  if (!cd_call_outcome_from_string (get_text (payload, "outcome"), &call->outcome))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a call’s outcome."), get_text (payload, "outcome"));
      return NULL;
    }
  call->caller = g_strdup (caller);
  call->did = g_strdup (get_text (payload, "did"));
  call->agent = g_strdup (get_text (payload, "agent"));
  call->ended_by = g_strdup (get_text (payload, "ended_by"));
  call->transfer_to = g_strdup (get_text (payload, "transfer_to"));
  call->recording = g_strdup (get_text (payload, "recording"));
  if (rings != NULL && !cd_call_rings_parse (rings, call->rings, error))
    return NULL;
  return g_steal_pointer (&call);
}
