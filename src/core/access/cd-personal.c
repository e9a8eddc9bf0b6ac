// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-personal.c: residents' personal data, and who may see it */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <nettle/sha2.h>

#include "cd-access.h"
#include "cd-personal.h"

/**
 * cd_personal_is_member:
 * @member: a member of a `register` event's details
 *
 * Returns: whether @member holds personal data (the resident's `name` or
 *   `phone`), which the journal commits to by digest
 */
gboolean
cd_personal_is_member (const char *member)
{
  return g_strcmp0 (member, "name") == 0 || g_strcmp0 (member, "phone") == 0;
}

/**
 * cd_personal_role_sees:
 * @role: (nullable): a role
 *
 * Operators, supervisors, the feedback department and administrators call
 * residents or answer for them; executors and quality control do their
 * work without the resident's number. The access table
 * (cd_access_personal()) says so.
 *
 * Returns: whether @role sees residents' phones unmasked
 */
gboolean
cd_personal_role_sees (const char *role)
{
  return cd_access_personal (role) == CD_PERSONAL_FULL;
}

/**
 * cd_personal_mask_phone:
 * @phone: (nullable): a phone number as written, e.g. `+375 29 123-45-67`
 *
 * Hides the subscriber's number but its last two digits, keeping the
 * punctuation and the country and operator or area code, which say nothing
 * of the person: `+375 29 ***-**-67`, `8 (017) ***-**-44`. Subscriber
 * numbers have seven digits in most plans, so a code is what comes before
 * the last seven digits, five at most. The last two digits let whoever
 * calls back recognise the number the resident gives.
 *
 * Returns: (transfer full) (nullable): the masked number
 */
char *
cd_personal_mask_phone (const char *phone)
{
  g_autofree char *masked = NULL;
  guint digits = 0, seen = 0, code;
  gsize len;

  if (phone == NULL)
    return NULL;

  len = strlen (phone);
  for (gsize i = 0; i < len; i++)
    if (g_ascii_isdigit (phone[i]))
      digits++;

  code = digits > 7 ? MIN (digits - 7, 5) : 0;
  masked = g_strdup (phone);
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (phone[i]))
        continue;
      seen++;
      if (seen > code && seen + 2 <= digits)
        masked[i] = '*';
    }
  return g_steal_pointer (&masked);
}

/**
 * cd_personal_digest:
 * @personal: the text of an event's personal data, as the journal holds it
 * @out: (out caller-allocates): its SHA-256, in lowercase hex
 *
 * What the hash chain covers of an event's personal data. The text holds a
 * random salt, so the digest says nothing of a number that anyone could
 * otherwise find by trying every phone number there is.
 */
void
cd_personal_digest (const char *personal,
                    char        out[CD_EVENT_HASH_LEN])
{
  static const char hex[] = "0123456789abcdef";
  struct sha256_ctx ctx;
  guint8 digest[SHA256_DIGEST_SIZE];

  sha256_init (&ctx);
  sha256_update (&ctx, strlen (personal), (const guint8 *) personal);
  sha256_digest (&ctx, sizeof digest, digest);
  /* As cd_journal_to_hex(), which the journal above this module owns. */
  for (gsize i = 0; i < sizeof digest; i++)
    {
      out[2 * i] = hex[digest[i] >> 4];
      out[2 * i + 1] = hex[digest[i] & 0xf];
    }
  out[2 * sizeof digest] = '\0';
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static char *
object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/**
 * cd_personal_mask:
 * @personal: the text of an event's personal data
 *
 * The copy for a role that does not see phones: the phone masked with
 * cd_personal_mask_phone(), the salt left out (with it, the digest would
 * let anyone find the number by trying them all), the rest as it is.
 *
 * Returns: (transfer full): the masked text; `{}` when @personal is not a
 *   JSON object
 */
char *
cd_personal_mask (const char *personal)
{
  g_autoptr(JsonObject) object = parse_object (personal);
  g_autoptr(JsonObject) masked = json_object_new ();
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (object != NULL)
    {
      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &member, &node))
        {
          if (g_str_equal (member, "salt"))
            continue;
          if (g_str_equal (member, "phone") && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            {
              g_autofree char *phone = cd_personal_mask_phone (json_node_get_string (node));

              json_object_set_string_member (masked, member, phone);
            }
          else
            json_object_set_member (masked, member, json_node_copy (node));
        }
    }
  return object_to_text (masked);
}

/**
 * cd_personal_salt:
 * @personal: the text of an event's personal data, without its salt
 * @salt: %CD_PERSONAL_SALT_LEN - 1 hex digits of random bytes
 *
 * Returns: (transfer full): the text with its `salt` member set, or a copy
 *   of @personal when it is not a JSON object
 */
char *
cd_personal_salt (const char *personal,
                  const char *salt)
{
  g_autoptr(JsonObject) object = parse_object (personal);

  if (object == NULL)
    return g_strdup (personal);
  json_object_set_string_member (object, "salt", salt);
  return object_to_text (object);
}

/**
 * cd_personal_mask_payload:
 * @payload: the payload of an event written before the journal kept
 *   personal data apart (format 1), with the resident's `phone` in it
 *
 * Returns: (transfer full) (nullable): the payload with its phone masked
 *   by cd_personal_mask_phone(), the rest as it is; %NULL when it holds no
 *   phone to mask
 */
char *
cd_personal_mask_payload (const char *payload)
{
  g_autoptr(JsonObject) object = parse_object (payload);
  JsonNode *node;
  g_autofree char *masked = NULL;

  if (object == NULL || (node = json_object_get_member (object, "phone")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  masked = cd_personal_mask_phone (json_node_get_string (node));
  json_object_set_string_member (object, "phone", masked);
  return object_to_text (object);
}
