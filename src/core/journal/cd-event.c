// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-event.c: one entry of the append-only journal */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "cd-access.h"
#include "cd-event.h"
#include "cd-personal.h"
#include "cd-vocabulary.h"

G_DEFINE_BOXED_TYPE (CdEvent, cd_event, cd_event_ref, cd_event_unref)

/* The payload's top-level members, parsed once for the typed getters: a
 * replay asks each event for a dozen members, and json-glib's parser took
 * some 3 µs an event to build a tree for them. One allocation holds the
 * header, the members and, after them, their names and strings. Like the
 * tree, it is filled on first use without a lock: an event is handed from
 * thread to thread but never used by two at once. */
typedef struct
{
  const char *name;
  CdJsonKind  kind;
  union
  {
    const char *string;
    gint64      integer;
    double      number;
    gboolean    boolean;
  } value;
} Field;

typedef struct
{
  guint    n_fields;
  gboolean nested;  /* a member is an object or an array */
  Field    fields[];
} Fields;

/* The cache of a payload that is not a JSON object. */
static Fields not_an_object;

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

/* The payload without the personal members, which go to their own text. */
static JsonObject *
split_personal (JsonObject  *payload,
                char       **personal)
{
  g_autoptr(JsonObject) rest = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gboolean any = FALSE;

  json_object_iter_init_ordered (&iter, payload);
  while (!any && json_object_iter_next_ordered (&iter, &member, &value))
    any = cd_personal_is_member (member);
  if (!any)
    return json_object_ref (payload);

  rest = json_object_new ();
  data = json_object_new ();
  json_object_iter_init_ordered (&iter, payload);
  while (json_object_iter_next_ordered (&iter, &member, &value))
    json_object_set_member (cd_personal_is_member (member) ? data : rest, member,
                            json_node_copy (value));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, data);
  *personal = json_to_string (node, FALSE);
  return g_steal_pointer (&rest);
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
 * serialized once, here; that text is what the hash chain covers. Members
 * that hold personal data (cd_personal_is_member()) go to the event's
 * personal text instead, which the store salts before it seals the event.
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
  self->data = payload != NULL ? split_personal (payload, &self->personal) : json_object_new ();
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

static void
forget_personal_fields (CdEvent *self)
{
  if (self->personal_fields != &not_an_object)
    g_free (self->personal_fields);
  self->personal_fields = NULL;
}

/**
 * cd_event_set_personal:
 * @self: an event
 * @personal: (nullable): the text of its personal data, as stored or sent
 * @personal_hash: (nullable): the digest of the original when @personal is
 *   a masked copy
 *
 * Gives an event read back from a journal or a feed its personal data.
 */
void
cd_event_set_personal (CdEvent    *self,
                       const char *personal,
                       const char *personal_hash)
{
  g_return_if_fail (self != NULL);

  g_free (self->personal);
  g_free (self->personal_hash);
  self->personal = g_strdup (personal);
  self->personal_hash = personal != NULL ? g_strdup (personal_hash) : NULL;
  forget_personal_fields (self);
}

/**
 * cd_event_salt_personal:
 * @self: an event not yet in the journal, from cd_event_new()
 * @salt: 32 hex digits of random bytes
 *
 * Adds @salt to the event's personal data, if it has any: the chain covers
 * that text by its digest, and without a salt the digest of a phone number
 * would give the number away to whoever tries them all.
 */
void
cd_event_salt_personal (CdEvent    *self,
                        const char *salt)
{
  g_autofree char *salted = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->seq == 0);

  if (self->personal == NULL || self->personal_hash != NULL)
    return;
  salted = cd_personal_salt (self->personal, salt);
  g_free (self->personal);
  self->personal = g_steal_pointer (&salted);
  forget_personal_fields (self);
}

/* Quality control's judgements of staff (`evaluate`, `calibrate`) and who
 * listened to which recording (`listen`), for the roles the role table
 * lets read them. A role that reads only its own (an operator) gets the
 * evaluations of its agent's calls, which name their operator, and never
 * a calibration's: calibration is no operator's result. Who listened
 * stays with those who read every recording. */
static gboolean
reads_staff_event (CdEvent    *self,
                   const char *role,
                   const char *agent)
{
  CdAccessScope scope;

  if (g_str_equal (self->type, "evaluate"))
    {
      scope = cd_access_scope (role, CD_RESOURCE_QA);
      if (scope != CD_ACCESS_OWN)
        return scope == CD_ACCESS_ALL;
      return !cd_event_has_member (self, "calibration") &&
             cd_access_agent_owns (agent, cd_event_get_string (self, "operator"));
    }
  if (g_str_equal (self->type, "calibrate"))
    return cd_access_scope (role, CD_RESOURCE_QA) == CD_ACCESS_ALL;
  if (g_str_equal (self->type, "listen"))
    return cd_access_scope (role, CD_RESOURCE_RECORDINGS) == CD_ACCESS_ALL;
  return TRUE;
}

/**
 * cd_event_is_maskable:
 * @self: an event
 *
 * Whether a copy of @self may come masked (`payload_masked`) from
 * cd_event_for_role(): a format-1 registration, which carried the
 * resident's phone in its payload, or quality control's `evaluate`,
 * `calibrate` and `listen`, masked whole for the roles kept out of them.
 * A reader takes the hash of such a copy as it is.
 *
 * Returns: whether @self's type is one a masked copy may have
 */
gboolean
cd_event_is_maskable (const CdEvent *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_strcmp0 (self->type, "register") == 0 || g_strcmp0 (self->type, "evaluate") == 0 ||
         g_strcmp0 (self->type, "calibrate") == 0 || g_strcmp0 (self->type, "listen") == 0;
}

/**
 * cd_event_for_role:
 * @self: an event of the journal
 * @role: the role of who will read it
 *
 * The event as @role gets it. A role that does not see residents' phones
 * (cd_personal_role_sees()) gets its personal data masked
 * (cd_personal_mask()) with the digest of the original, which keeps the
 * copy in the hash chain. An event written before personal data was kept
 * apart (format 1) has the phone in its payload, which its hash covers:
 * the copy has it masked there (cd_personal_mask_payload()) and is marked
 * `payload_masked`, for its hash can then only be taken as it is.
 * Quality control's evaluations and calibrations (`evaluate`,
 * `calibrate`) are judgements of staff, a `listen` says who heard which
 * call: a role the role table keeps out of them (%CD_RESOURCE_QA,
 * %CD_RESOURCE_RECORDINGS) gets them without actor and with an empty
 * payload, marked `payload_masked` likewise, so that its copy of the
 * journal stays whole and chained without the answers, scores or names.
 *
 * Returns: (transfer full): a masked copy, or @self when @role sees the
 *   event as it is
 */
CdEvent *
cd_event_for_role (CdEvent    *self,
                   const char *role)
{
  return cd_event_for_reader (self, role, NULL);
}

/**
 * cd_event_for_reader:
 * @self: an event of the journal
 * @role: the role of who will read it
 * @agent: (nullable): the PBX agent the reader's account is linked to
 *
 * Like cd_event_for_role(), for a reader whose role reads only its own
 * evaluations (%CD_ACCESS_OWN on %CD_RESOURCE_QA: an operator): an
 * `evaluate` event whose `operator` is @agent (cd_access_agent_owns()),
 * and that is no calibration's, is theirs and is not masked.
 *
 * Returns: (transfer full): a masked copy, or @self when the reader sees
 *   the event as it is
 */
CdEvent *
cd_event_for_reader (CdEvent    *self,
                     const char *role,
                     const char *agent)
{
  CdEvent *copy;
  char digest[CD_EVENT_HASH_LEN];
  g_autofree char *masked = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!self->payload_masked && !reads_staff_event (self, role, agent))
    {
      copy = cd_event_new_stored (self->seq, self->entity, self->type, "", self->role,
                                  self->time, "{}", self->hash);
      copy->payload_masked = TRUE;
      return copy;
    }

  if (cd_personal_role_sees (role) || self->personal_hash != NULL || self->payload_masked)
    return cd_event_ref (self);

  if (self->personal == NULL)
    {
      /* Format 1: only a registration carried the resident's phone. */
      if (g_strcmp0 (self->type, "register") != 0 || strstr (self->payload, "\"phone\"") == NULL ||
          (masked = cd_personal_mask_payload (self->payload)) == NULL)
        return cd_event_ref (self);
      copy = cd_event_new_stored (self->seq, self->entity, self->type, self->actor, self->role,
                                  self->time, masked, self->hash);
      copy->payload_masked = TRUE;
      return copy;
    }

  cd_personal_digest (self->personal, digest);
  copy = cd_event_new_stored (self->seq, self->entity, self->type, self->actor, self->role,
                              self->time, self->payload, self->hash);
  copy->personal = cd_personal_mask (self->personal);
  copy->personal_hash = g_strdup (digest);
  return copy;
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
  g_free (self->personal);
  g_free (self->personal_hash);
  g_clear_pointer (&self->data, json_object_unref);
  if (self->fields != &not_an_object)
    g_free (self->fields);
  forget_personal_fields (self);
  g_free (self);
}

/* The payload {{{1 */

/* Members collected while reading, with their names and strings as
 * offsets into an arena that is copied into the Fields block at the end. */
#define BUILDER_FIELDS 32
#define BUILDER_ARENA 1024

typedef struct
{
  gsize      name;
  CdJsonKind kind;
  gsize      string;
  gint64     integer;
  double     number;
} Pending;

typedef struct
{
  Pending *pending;
  guint    n_pending;
  guint    pending_size;
  char    *arena;
  gsize    arena_len;
  gsize    arena_size;
  gboolean nested;
  Pending  stack_pending[BUILDER_FIELDS];
  char     stack_arena[BUILDER_ARENA];
} Builder;

static void
builder_init (Builder *b)
{
  b->pending = b->stack_pending;
  b->n_pending = 0;
  b->pending_size = BUILDER_FIELDS;
  b->arena = b->stack_arena;
  b->arena_len = 0;
  b->arena_size = BUILDER_ARENA;
  b->nested = FALSE;
}

static void
builder_clear (Builder *b)
{
  if (b->pending != b->stack_pending)
    g_free (b->pending);
  if (b->arena != b->stack_arena)
    g_free (b->arena);
}

static gsize
builder_add_string (Builder    *b,
                    const char *s,
                    gsize       len)
{
  gsize offset = b->arena_len;

  if (b->arena_len + len + 1 > b->arena_size)
    {
      gsize size = MAX (b->arena_size * 2, b->arena_len + len + 1);

      if (b->arena == b->stack_arena)
        {
          b->arena = g_malloc (size);
          memcpy (b->arena, b->stack_arena, b->arena_len);
        }
      else
        b->arena = g_realloc (b->arena, size);
      b->arena_size = size;
    }
  memcpy (b->arena + offset, s, len);
  b->arena[offset + len] = '\0';
  b->arena_len += len + 1;
  return offset;
}

static Pending *
builder_add (Builder    *b,
             const char *name,
             CdJsonKind  kind)
{
  Pending *p;

  if (b->n_pending == b->pending_size)
    {
      if (b->pending == b->stack_pending)
        b->pending = g_memdup2 (b->stack_pending, sizeof b->stack_pending);
      b->pending_size *= 2;
      b->pending = g_renew (Pending, b->pending, b->pending_size);
    }
  p = &b->pending[b->n_pending++];
  memset (p, 0, sizeof *p);
  p->name = builder_add_string (b, name, strlen (name));
  p->kind = kind;
  if (kind == CD_JSON_KIND_OBJECT || kind == CD_JSON_KIND_ARRAY)
    b->nested = TRUE;
  return p;
}

static Fields *
builder_finish (Builder *b)
{
  gsize head = sizeof (Fields) + b->n_pending * sizeof (Field);
  Fields *fields = g_malloc (head + b->arena_len);
  char *arena = (char *) fields + head;

  memcpy (arena, b->arena, b->arena_len);
  fields->n_fields = b->n_pending;
  fields->nested = b->nested;
  for (guint i = 0; i < b->n_pending; i++)
    {
      const Pending *p = &b->pending[i];
      Field *f = &fields->fields[i];

      f->name = arena + p->name;
      f->kind = p->kind;
      switch (p->kind)
        {
        case CD_JSON_KIND_STRING:
          f->value.string = arena + p->string;
          break;
        case CD_JSON_KIND_INT:
          f->value.integer = p->integer;
          break;
        case CD_JSON_KIND_DOUBLE:
          f->value.number = p->number;
          break;
        case CD_JSON_KIND_BOOLEAN:
          f->value.boolean = p->integer != 0;
          break;
        case CD_JSON_KIND_NONE:
        case CD_JSON_KIND_OBJECT:
        case CD_JSON_KIND_ARRAY:
        case CD_JSON_KIND_NULL:
        default:
          f->value.integer = 0;
          break;
        }
    }
  return fields;
}

typedef enum
{
  PARSED,
  PARSED_NOT_AN_OBJECT,
  NOT_STRICT_JSON,
} ParseResult;

/* The fast path: RFC 8259 text, read in place. */
static ParseResult
parse_fields (const char  *payload,
              Fields     **out)
{
  g_auto(CdJsonReader) reader = { 0 };
  Builder b;
  CdJsonKind kind;
  const char *name;

  cd_json_reader_init (&reader, payload, strlen (payload));
  kind = cd_json_reader_peek (&reader, NULL);
  if (kind == CD_JSON_KIND_NONE)
    return NOT_STRICT_JSON;
  if (kind != CD_JSON_KIND_OBJECT)
    return cd_json_reader_skip (&reader, NULL) && cd_json_reader_end (&reader, NULL) ?
           PARSED_NOT_AN_OBJECT : NOT_STRICT_JSON;

  builder_init (&b);
  if (!cd_json_reader_begin_object (&reader, NULL))
    goto not_strict;
  for (;;)
    {
      Pending *p;
      const char *s;
      gsize len;
      gboolean boolean;

      if (!cd_json_reader_next_member (&reader, &name, NULL))
        goto not_strict;
      if (name == NULL)
        break;
      if ((kind = cd_json_reader_peek (&reader, NULL)) == CD_JSON_KIND_NONE)
        goto not_strict;

      p = builder_add (&b, name, kind);
      switch (kind)
        {
        case CD_JSON_KIND_STRING:
          if ((s = cd_json_reader_read_string (&reader, &len, NULL)) == NULL)
            goto not_strict;
          p->string = builder_add_string (&b, s, len);
          break;
        case CD_JSON_KIND_INT:
          if (!cd_json_reader_read_int (&reader, &p->integer, NULL))
            goto not_strict;
          break;
        case CD_JSON_KIND_BOOLEAN:
          if (!cd_json_reader_read_boolean (&reader, &boolean, NULL))
            goto not_strict;
          p->integer = boolean;
          break;
        case CD_JSON_KIND_DOUBLE:
          /* A number too large for a double is left to json-glib. */
          if (!cd_json_reader_read_double (&reader, &p->number, NULL))
            goto not_strict;
          break;
        case CD_JSON_KIND_OBJECT:
        case CD_JSON_KIND_ARRAY:
        case CD_JSON_KIND_NULL:
        case CD_JSON_KIND_NONE:
        default:
          if (!cd_json_reader_skip (&reader, NULL))
            goto not_strict;
          break;
        }
    }
  if (!cd_json_reader_end (&reader, NULL))
    goto not_strict;

  *out = builder_finish (&b);
  builder_clear (&b);
  return PARSED;

not_strict:
  builder_clear (&b);
  return NOT_STRICT_JSON;
}

/* The old path, for payloads that are not strict JSON but that json-glib
 * accepts (it takes raw control characters, comments and more): an
 * existing journal must replay exactly as before. */
static JsonObject *
parse_data (CdEvent  *self,
            GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, self->payload, -1, &local_error))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                   _("The details of event %" PRId64 " are not JSON: %s"),
                   self->seq, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                   _("The details of event %" PRId64 " are not a JSON object"),
                   self->seq);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static Fields *
fields_from_object (JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  Builder b;
  Fields *fields;

  builder_init (&b);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      Pending *p;

      switch (JSON_NODE_TYPE (node))
        {
        case JSON_NODE_OBJECT:
          builder_add (&b, name, CD_JSON_KIND_OBJECT);
          break;
        case JSON_NODE_ARRAY:
          builder_add (&b, name, CD_JSON_KIND_ARRAY);
          break;
        case JSON_NODE_NULL:
          builder_add (&b, name, CD_JSON_KIND_NULL);
          break;
        case JSON_NODE_VALUE:
        default:
          switch (json_node_get_value_type (node))
            {
            case G_TYPE_STRING:
              {
                const char *s = json_node_get_string (node);

                p = builder_add (&b, name, CD_JSON_KIND_STRING);
                p->string = builder_add_string (&b, s, strlen (s));
              }
              break;
            case G_TYPE_INT64:
              p = builder_add (&b, name, CD_JSON_KIND_INT);
              p->integer = json_node_get_int (node);
              break;
            case G_TYPE_DOUBLE:
              p = builder_add (&b, name, CD_JSON_KIND_DOUBLE);
              p->number = json_node_get_double (node);
              break;
            case G_TYPE_BOOLEAN:
              p = builder_add (&b, name, CD_JSON_KIND_BOOLEAN);
              p->integer = json_node_get_boolean (node);
              break;
            default:
              builder_add (&b, name, CD_JSON_KIND_NULL);
              break;
            }
          break;
        }
    }
  fields = builder_finish (&b);
  builder_clear (&b);
  return fields;
}

static Fields *
get_fields (CdEvent *self)
{
  Fields *fields = NULL;

  if (self->fields != NULL)
    return self->fields;

  switch (parse_fields (self->payload, &fields))
    {
    case PARSED:
      self->fields = fields;
      break;

    case PARSED_NOT_AN_OBJECT:
      self->fields = &not_an_object;
      break;

    case NOT_STRICT_JSON:
    default:
      if (self->data == NULL)
        self->data = parse_data (self, NULL);
      self->fields = self->data != NULL ? fields_from_object (self->data) : &not_an_object;
      break;
    }
  return self->fields;
}

/* The personal text is always written by the journal's own generator, so
 * the strict reader takes it; anything else reads as no members. */
static Fields *
get_personal_fields (CdEvent *self)
{
  Fields *fields = NULL;

  if (self->personal_fields == NULL)
    self->personal_fields = parse_fields (self->personal, &fields) == PARSED ? fields
                                                                             : &not_an_object;
  return self->personal_fields;
}

/* The last one of a name wins, as in json-glib's objects. */
static const Field *
find_field (const Fields *fields,
            const char   *member)
{
  for (guint i = fields->n_fields; i-- > 0;)
    if (fields->fields[i].name[0] == member[0] && strcmp (fields->fields[i].name, member) == 0)
      return &fields->fields[i];
  return NULL;
}

/* A member of the payload or, failing that, of the personal data. */
static const Field *
lookup (CdEvent    *self,
        const char *member)
{
  const Field *f = find_field (get_fields (self), member);

  if (f == NULL && self->personal != NULL)
    f = find_field (get_personal_fields (self), member);
  return f;
}

/* A tree from the flat members, when they hold no objects or arrays:
 * cheaper than json-glib's parser, and the same values. */
static JsonObject *
object_from_fields (const Fields *fields)
{
  JsonObject *object = json_object_new ();

  for (guint i = 0; i < fields->n_fields; i++)
    {
      const Field *f = &fields->fields[i];

      switch (f->kind)
        {
        case CD_JSON_KIND_STRING:
          json_object_set_string_member (object, f->name, f->value.string);
          break;
        case CD_JSON_KIND_INT:
          json_object_set_int_member (object, f->name, f->value.integer);
          break;
        case CD_JSON_KIND_DOUBLE:
          json_object_set_double_member (object, f->name, f->value.number);
          break;
        case CD_JSON_KIND_BOOLEAN:
          json_object_set_boolean_member (object, f->name, f->value.boolean);
          break;
        case CD_JSON_KIND_NULL:
        case CD_JSON_KIND_NONE:
        case CD_JSON_KIND_OBJECT:
        case CD_JSON_KIND_ARRAY:
        default:
          json_object_set_null_member (object, f->name);
          break;
        }
    }
  return object;
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
  const Fields *fields;

  if (self->data != NULL)
    return self->data;

  fields = get_fields (self);
  if (fields == &not_an_object || fields->nested)
    self->data = parse_data (self, error);
  else
    self->data = object_from_fields (fields);
  return self->data;
}

/**
 * cd_event_check_payload:
 * @self: an event
 * @error: a %CD_DISPATCH_ERROR_INVALID_PAYLOAD when the payload is not a
 *   JSON object
 *
 * Checks the payload as cd_event_get_data() does, without building a
 * tree when it is a JSON object.
 *
 * Returns: whether the payload is a JSON object
 */
gboolean
cd_event_check_payload (CdEvent  *self,
                        GError  **error)
{
  g_autoptr(JsonObject) object = NULL;

  if (get_fields (self) != &not_an_object)
    return TRUE;
  /* Only to say why, in json-glib's words as before. */
  object = parse_data (self, error);
  return object != NULL;
}

/**
 * cd_event_has_member:
 * @self: an event
 * @member: a payload member
 *
 * Returns: whether the payload has @member, whatever its value
 */
gboolean
cd_event_has_member (CdEvent    *self,
                     const char *member)
{
  return lookup (self, member) != NULL;
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
  const Field *f = lookup (self, member);

  if (f == NULL || f->kind != CD_JSON_KIND_STRING || f->value.string[0] == '\0')
    return NULL;
  return f->value.string;
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
  gint64 value;

  return cd_event_lookup_int (self, member, &value) ? value : fallback;
}

/**
 * cd_event_lookup_int:
 * @self: an event
 * @member: a payload member
 * @value: (out): the member's value
 *
 * Returns: whether the member is there and an integer
 */
gboolean
cd_event_lookup_int (CdEvent    *self,
                     const char *member,
                     gint64     *value)
{
  const Field *f = lookup (self, member);

  if (f == NULL || f->kind != CD_JSON_KIND_INT)
    return FALSE;
  *value = f->value.integer;
  return TRUE;
}

/**
 * cd_event_get_double:
 * @self: an event
 * @member: a payload member
 * @fallback: returned when the member is absent or not a number
 *
 * Returns: the member's value, integers included
 */
double
cd_event_get_double (CdEvent    *self,
                     const char *member,
                     double      fallback)
{
  const Field *f = lookup (self, member);

  if (f == NULL)
    return fallback;
  if (f->kind == CD_JSON_KIND_INT)
    return (double) f->value.integer;
  if (f->kind == CD_JSON_KIND_DOUBLE)
    return f->value.number;
  return fallback;
}

/**
 * cd_event_to_json:
 * @self: an event
 *
 * The form of the sync feed (`GET /api/v1/events`). The payload and the
 * personal data travel as their exact text so that a client can check the
 * hash chain.
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
  if (self->personal != NULL)
    json_object_set_string_member (object, "personal", self->personal);
  if (self->personal_hash != NULL)
    json_object_set_string_member (object, "personal_hash", self->personal_hash);
  if (self->payload_masked)
    json_object_set_string_member (object, "masked", CD_EVENT_MASKED_PAYLOAD);
  return object;
}

#define APPEND_LITERAL(out, literal) g_string_append_len ((out), (literal), sizeof (literal) - 1)

/**
 * cd_event_append_json:
 * @self: an event
 * @out: where to write
 *
 * Writes what cd_event_to_json() returns as JSON text, byte for byte as
 * json-glib's generator writes it, without building the object: the feed
 * writes ten thousand events a page.
 */
void
cd_event_append_json (CdEvent *self,
                      GString *out)
{
  APPEND_LITERAL (out, "{\"seq\":");
  cd_json_append_int (out, self->seq);
  APPEND_LITERAL (out, ",\"entity\":");
  cd_json_append_string (out, self->entity);
  APPEND_LITERAL (out, ",\"type\":");
  cd_json_append_string (out, self->type);
  APPEND_LITERAL (out, ",\"actor\":");
  cd_json_append_string (out, self->actor);
  APPEND_LITERAL (out, ",\"role\":");
  cd_json_append_string (out, self->role);
  APPEND_LITERAL (out, ",\"time\":");
  cd_json_append_int (out, self->time);
  APPEND_LITERAL (out, ",\"payload\":");
  cd_json_append_string (out, self->payload);
  APPEND_LITERAL (out, ",\"hash\":");
  cd_json_append_string (out, self->hash);
  if (self->personal != NULL)
    {
      APPEND_LITERAL (out, ",\"personal\":");
      cd_json_append_string (out, self->personal);
    }
  if (self->personal_hash != NULL)
    {
      APPEND_LITERAL (out, ",\"personal_hash\":");
      cd_json_append_string (out, self->personal_hash);
    }
  if (self->payload_masked)
    APPEND_LITERAL (out, ",\"masked\":\"" CD_EVENT_MASKED_PAYLOAD "\"");
  g_string_append_c (out, '}');
}

/* The members of the feed's form, strings first: they are checked in this
 * order, which decides the message when several are wrong. */
static const char * const feed_members[] = {
  "entity", "type", "actor", "role", "payload", "hash", "seq", "time",
};

enum
{
  MEMBER_ENTITY,
  MEMBER_TYPE,
  MEMBER_ACTOR,
  MEMBER_ROLE,
  MEMBER_PAYLOAD,
  MEMBER_HASH,
  MEMBER_SEQ,
  MEMBER_TIME,
  N_MEMBERS,
  N_STRING_MEMBERS = MEMBER_SEQ,
  /* Optional, strings when there */
  MEMBER_PERSONAL = N_MEMBERS,
  MEMBER_PERSONAL_HASH,
  MEMBER_MASKED,
};

static gboolean
missing_member (guint     member,
                GError  **error)
{
  if (member < N_STRING_MEMBERS)
    g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                 _("An event in the feed has no string “%s”"), feed_members[member]);
  else
    g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                 _("An event in the feed has no integer “%s”"), feed_members[member]);
  return FALSE;
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
  CdEvent *event;

  for (guint i = 0; i < N_STRING_MEMBERS; i++)
    if (member_string (object, feed_members[i]) == NULL)
      {
        missing_member (i, error);
        return NULL;
      }
  for (guint i = N_STRING_MEMBERS; i < N_MEMBERS; i++)
    {
      JsonNode *node = json_object_get_member (object, feed_members[i]);

      if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          missing_member (i, error);
          return NULL;
        }
    }

  event = cd_event_new_stored (json_object_get_int_member (object, "seq"),
                               member_string (object, "entity"),
                               member_string (object, "type"),
                               member_string (object, "actor"),
                               member_string (object, "role"),
                               json_object_get_int_member (object, "time"),
                               member_string (object, "payload"),
                               member_string (object, "hash"));
  cd_event_set_personal (event, member_string (object, "personal"),
                         member_string (object, "personal_hash"));
  event->payload_masked = g_strcmp0 (member_string (object, "masked"), CD_EVENT_MASKED_PAYLOAD) ==
                          0;
  return event;
}

static int
feed_member (const char *name)
{
  int i;

  /* The first letter tells all but type and time apart. */
  switch (name[0])
    {
    case 'e':
      i = MEMBER_ENTITY;
      break;
    case 't':
      i = name[1] == 'y' ? MEMBER_TYPE : MEMBER_TIME;
      break;
    case 'a':
      i = MEMBER_ACTOR;
      break;
    case 'r':
      i = MEMBER_ROLE;
      break;
    case 'p':
      if (strcmp (name, "personal") == 0)
        return MEMBER_PERSONAL;
      if (strcmp (name, "personal_hash") == 0)
        return MEMBER_PERSONAL_HASH;
      i = MEMBER_PAYLOAD;
      break;
    case 'h':
      i = MEMBER_HASH;
      break;
    case 'm':
      return strcmp (name, "masked") == 0 ? MEMBER_MASKED : -1;
    case 's':
      i = MEMBER_SEQ;
      break;
    default:
      return -1;
    }
  return strcmp (name, feed_members[i]) == 0 ? i : -1;
}

/**
 * cd_event_read_json:
 * @reader: a reader where an event as cd_event_append_json() writes it
 *   comes next
 * @error: a %CD_JSON_ERROR when the text is not JSON or the value not an
 *   object, a %CD_DISPATCH_ERROR_INVALID_PAYLOAD when a member is missing
 *   or of another kind (as cd_event_new_from_json() says it)
 *
 * Reads one event of the feed; members it does not know are skipped. After
 * a %CD_DISPATCH_ERROR the whole object has been read, so the caller may
 * go on reading the document.
 *
 * Returns: (transfer full): the event, or %NULL with @error set
 */
CdEvent *
cd_event_read_json (CdJsonReader  *reader,
                    GError       **error)
{
  char *strings[N_STRING_MEMBERS] = { NULL, };
  char *optional[3] = { NULL, };
  gint64 ints[N_MEMBERS - N_STRING_MEMBERS] = { 0, };
  gboolean has_int[N_MEMBERS - N_STRING_MEMBERS] = { FALSE, };
  char hash[CD_EVENT_HASH_LEN] = "";
  gboolean has_hash = FALSE;
  CdEvent *self = NULL;

  if (!cd_json_reader_begin_object (reader, error))
    return NULL;

  for (;;)
    {
      const char *name;
      CdJsonKind kind;
      int member;

      if (!cd_json_reader_next_member (reader, &name, error))
        goto out;
      if (name == NULL)
        break;
      member = feed_member (name);
      if ((kind = cd_json_reader_peek (reader, error)) == CD_JSON_KIND_NONE)
        goto out;

      /* As in a json-glib object, the last of a name counts. */
      if (member == MEMBER_HASH)
        {
          const char *s;
          gsize len;

          has_hash = kind == CD_JSON_KIND_STRING;
          if (has_hash)
            {
              if ((s = cd_json_reader_read_string (reader, &len, error)) == NULL)
                goto out;
              /* Cut as cd_event_new_stored() cuts it. */
              len = MIN (len, sizeof hash - 1);
              memcpy (hash, s, len);
              hash[len] = '\0';
              continue;
            }
        }
      else if (member >= 0 && member < N_STRING_MEMBERS)
        {
          g_clear_pointer (&strings[member], g_free);
          if (kind == CD_JSON_KIND_STRING)
            {
              if ((strings[member] = cd_json_reader_dup_string (reader, NULL, error)) == NULL)
                goto out;
              continue;
            }
        }
      else if (member >= MEMBER_PERSONAL)
        {
          g_clear_pointer (&optional[member - MEMBER_PERSONAL], g_free);
          if (kind == CD_JSON_KIND_STRING)
            {
              if ((optional[member - MEMBER_PERSONAL] = cd_json_reader_dup_string (reader, NULL,
                                                                                   error)) == NULL)
                goto out;
              continue;
            }
        }
      else if (member >= N_STRING_MEMBERS)
        {
          has_int[member - N_STRING_MEMBERS] = kind == CD_JSON_KIND_INT;
          if (kind == CD_JSON_KIND_INT)
            {
              if (!cd_json_reader_read_int (reader, &ints[member - N_STRING_MEMBERS], error))
                goto out;
              continue;
            }
        }
      if (!cd_json_reader_skip (reader, error))
        goto out;
    }

  for (guint i = 0; i < N_MEMBERS; i++)
    if (i == MEMBER_HASH ? !has_hash :
        i < N_STRING_MEMBERS ? strings[i] == NULL : !has_int[i - N_STRING_MEMBERS])
      {
        missing_member (i, error);
        goto out;
      }

  self = g_new0 (CdEvent, 1);
  self->ref_count = 1;
  self->seq = ints[MEMBER_SEQ - N_STRING_MEMBERS];
  self->time = ints[MEMBER_TIME - N_STRING_MEMBERS];
  self->entity = g_steal_pointer (&strings[MEMBER_ENTITY]);
  self->type = g_steal_pointer (&strings[MEMBER_TYPE]);
  self->actor = g_steal_pointer (&strings[MEMBER_ACTOR]);
  self->role = g_steal_pointer (&strings[MEMBER_ROLE]);
  self->payload = g_steal_pointer (&strings[MEMBER_PAYLOAD]);
  memcpy (self->hash, hash, sizeof hash);
  self->personal = g_steal_pointer (&optional[0]);
  if (self->personal != NULL)
    self->personal_hash = g_steal_pointer (&optional[1]);
  self->payload_masked = g_strcmp0 (optional[2], CD_EVENT_MASKED_PAYLOAD) == 0;

out:
  for (guint i = 0; i < N_STRING_MEMBERS; i++)
    g_free (strings[i]);
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    g_free (optional[i]);
  return self;
}
