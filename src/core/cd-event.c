// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-event.c: one entry of the append-only journal */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-dispatch.h"
#include "cd-event.h"

G_DEFINE_BOXED_TYPE (CdEvent, cd_event, cd_event_ref, cd_event_unref)

static CdEvent *
event_alloc (const char *entity,
             const char *type,
             const char *actor,
             const char *role,
             gint64      time)
{
  CdEvent *self = g_new0 (CdEvent, 1);

  self->ref_count = 1;
  self->entity = g_strdup (entity);
  self->type = g_strdup (type);
  self->actor = g_strdup (actor != NULL ? actor : "");
  self->role = g_strdup (role);
  self->time = time;
  return self;
}

/**
 * cd_event_new:
 * @entity: the id of the entity (a ticket's UUID)
 * @type: the action, such as `assign`
 * @actor: (nullable): who acted
 * @role: the role they acted in
 * @time: Unix seconds
 * @payload: (nullable) (transfer none): the details
 *
 * Creates an event that is not yet in the journal (its sequence number is
 * 0 and it has no hash until the store appends it). The payload is
 * serialized once, here; that text is what the hash chain covers.
 *
 * Returns: (transfer full): the event
 */
CdEvent *
cd_event_new (const char *entity,
              const char *type,
              const char *actor,
              const char *role,
              gint64      time,
              JsonObject *payload)
{
  CdEvent *self;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (role != NULL, NULL);

  self = event_alloc (entity, type, actor, role, time);
  self->data = payload != NULL ? json_object_ref (payload) : json_object_new ();
  json_node_set_object (node, self->data);
  self->payload = json_to_string (node, FALSE);
  return self;
}

/**
 * cd_event_new_stored:
 * @seq: its sequence number
 * @entity: the entity's id
 * @type: the action
 * @actor: who acted
 * @role: the role
 * @time: Unix seconds
 * @payload: the payload's JSON text, exactly as stored
 * @hash: (nullable): the stored hash
 *
 * Creates an event as read back from a journal. Nothing is checked here:
 * cd_journal_check() does that.
 *
 * Returns: (transfer full): the event
 */
CdEvent *
cd_event_new_stored (gint64      seq,
                     const char *entity,
                     const char *type,
                     const char *actor,
                     const char *role,
                     gint64      time,
                     const char *payload,
                     const char *hash)
{
  CdEvent *self;

  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (role != NULL, NULL);

  self = event_alloc (entity, type, actor, role, time);
  self->seq = seq;
  self->payload = g_strdup (payload != NULL ? payload : "{}");
  if (hash != NULL)
    g_strlcpy (self->hash, hash, sizeof self->hash);
  return self;
}

CdEvent *
cd_event_ref (CdEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
cd_event_unref (CdEvent *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;

  g_free (self->entity);
  g_free (self->type);
  g_free (self->actor);
  g_free (self->role);
  g_free (self->payload);
  g_clear_pointer (&self->data, json_object_unref);
  g_free (self);
}

/**
 * cd_event_get_data:
 * @self: an event
 * @error: a %CD_DISPATCH_ERROR_INVALID_PAYLOAD when the payload is not a
 *   JSON object
 *
 * Returns: (transfer none): the parsed payload, or %NULL with @error set
 */
JsonObject *
cd_event_get_data (CdEvent  *self,
                   GError  **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (self->data != NULL)
    return self->data;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, self->payload, -1, &local_error))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                   _("The details of event %" G_GINT64_FORMAT " are not JSON: %s"),
                   self->seq, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                   _("The details of event %" G_GINT64_FORMAT " are not a JSON object"),
                   self->seq);
      return NULL;
    }

  self->data = json_object_ref (json_node_get_object (root));
  return self->data;
}

/**
 * cd_event_get_string:
 * @self: an event
 * @member: a payload member
 *
 * Returns: (nullable): the member when it is a non-empty string, else %NULL
 */
const char *
cd_event_get_string (CdEvent    *self,
                     const char *member)
{
  JsonObject *data = cd_event_get_data (self, NULL);
  JsonNode *node;
  const char *value;

  if (data == NULL || (node = json_object_get_member (data, member)) == NULL)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value != NULL && *value != '\0' ? value : NULL;
}

/**
 * cd_event_get_int:
 * @self: an event
 * @member: a payload member
 * @fallback: returned when the member is absent or not an integer
 *
 * Returns: the member's integer value
 */
gint64
cd_event_get_int (CdEvent    *self,
                  const char *member,
                  gint64      fallback)
{
  JsonObject *data = cd_event_get_data (self, NULL);
  JsonNode *node;

  if (data == NULL || (node = json_object_get_member (data, member)) == NULL)
    return fallback;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

/**
 * cd_event_to_json:
 * @self: an event
 *
 * The form of the sync feed (`GET /api/v1/events`). The payload travels as
 * its exact text so that a client can check the hash chain.
 *
 * Returns: (transfer full): a JSON object
 */
JsonObject *
cd_event_to_json (CdEvent *self)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "seq", self->seq);
  json_object_set_string_member (object, "entity", self->entity);
  json_object_set_string_member (object, "type", self->type);
  json_object_set_string_member (object, "actor", self->actor);
  json_object_set_string_member (object, "role", self->role);
  json_object_set_int_member (object, "time", self->time);
  json_object_set_string_member (object, "payload", self->payload);
  json_object_set_string_member (object, "hash", self->hash);
  return object;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * cd_event_new_from_json:
 * @object: an event as cd_event_to_json() writes it
 * @error: a %CD_DISPATCH_ERROR_INVALID_PAYLOAD when a member is missing
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
CdEvent *
cd_event_new_from_json (JsonObject  *object,
                        GError     **error)
{
  static const char * const strings[] = { "entity", "type", "actor", "role", "payload", "hash" };
  static const char * const ints[] = { "seq", "time" };

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (member_string (object, strings[i]) == NULL)
      {
        g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                     _("An event in the feed has no string “%s”"), strings[i]);
        return NULL;
      }
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      JsonNode *node = json_object_get_member (object, ints[i]);

      if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                       _("An event in the feed has no integer “%s”"), ints[i]);
          return NULL;
        }
    }

  return cd_event_new_stored (json_object_get_int_member (object, "seq"),
                              member_string (object, "entity"),
                              member_string (object, "type"),
                              member_string (object, "actor"),
                              member_string (object, "role"),
                              json_object_get_int_member (object, "time"),
                              member_string (object, "payload"),
                              member_string (object, "hash"));
}
