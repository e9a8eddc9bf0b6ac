// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-open311.c: tickets as Open311 GeoReport v2 service requests
 *
 * See docs/open311.md for the mapping and its fallbacks. Dumps come from
 * real servers, which disagree on the details: ids are numbers or strings,
 * a missing value is null, "" or 0, and every city adds fields of its own.
 * The parser takes all of that and refuses a record only when a ticket
 * cannot honestly be made of it.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cd-open311.h"

G_DEFINE_QUARK (cd-open311-error-quark, cd_open311_error)

/**
 * cd_open311_status_for_state:
 * @state: a ticket's state
 *
 * A resolved ticket is still `open` to Open311: it is closed only when the
 * resident has confirmed the work (or could not be reached), or when it
 * was refused or cancelled.
 *
 * Returns: `open` or `closed`
 */
const char *
cd_open311_status_for_state (CdTicketState state)
{
  return cd_ticket_state_is_open (state) || state == CD_TICKET_STATE_NEW ? "open" : "closed";
}

/**
 * cd_open311_status_parse:
 * @status: a status as a client or a dump gives it
 * @closed: (out): whether it means closed
 *
 * Besides the spec's two values, takes the words some servers send instead
 * (`acknowledged`, `in_progress`, `completed`…), in any case.
 *
 * Returns: whether @status was understood
 */
gboolean
cd_open311_status_parse (const char *status,
                         gboolean   *closed)
{
  static const char * const open_words[] = {
    "open", "opened", "new", "acknowledged", "pending", "in_progress", "in progress", "reopened",
  };
  static const char * const closed_words[] = {
    "closed", "completed", "resolved", "done", "cancelled", "canceled", "duplicate",
  };

  if (status == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (open_words); i++)
    if (g_ascii_strcasecmp (status, open_words[i]) == 0)
      {
        *closed = FALSE;
        return TRUE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (closed_words); i++)
    if (g_ascii_strcasecmp (status, closed_words[i]) == 0)
      {
        *closed = TRUE;
        return TRUE;
      }
  return FALSE;
}

/**
 * cd_open311_format_time:
 * @time: Unix seconds
 * @tz: (nullable): the zone to write it in; %NULL for UTC
 *
 * Returns: (transfer full): the W3C form the spec asks for, always with an
 *   offset: `2026-11-23T16:00:00+03:00`
 */
char *
cd_open311_format_time (gint64     time,
                        GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  local = tz != NULL ? g_date_time_to_timezone (utc, tz) : g_date_time_ref (utc);
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

/**
 * cd_open311_parse_time:
 * @text: an ISO 8601 date and time
 * @time: (out): Unix seconds
 *
 * Takes the W3C subset the spec uses, and what servers send besides: a
 * space instead of `T`, fractions of a second, and no offset at all (read
 * as UTC), or a bare date (its midnight, UTC).
 *
 * Returns: whether @text was a date
 */
gboolean
cd_open311_parse_time (const char *text,
                       gint64     *time)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *copy = NULL;
  gsize len;

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  len = strlen (copy);
  if (len == 10)
    {
      char *full = g_strconcat (copy, "T00:00:00", NULL);

      g_free (copy);
      copy = full;
    }
  else if (len > 10 && copy[10] == ' ')
    copy[10] = 'T';

  dt = g_date_time_new_from_iso8601 (copy, utc);
  if (dt == NULL)
    return FALSE;
  *time = g_date_time_to_unix (dt);
  return TRUE;
}

/**
 * cd_open311_is_service:
 * @category: a category
 *
 * Returns: whether @category is offered as a service: only categories a
 *   ticket can have, not the groups that merely hold them
 */
gboolean
cd_open311_is_service (const CdCategory *category)
{
  return category != NULL && cd_category_is_assignable (category);
}

/**
 * cd_open311_service_to_json:
 * @category: a category that cd_open311_is_service() accepts
 *
 * Returns: (transfer full): its entry in services.json
 */
JsonObject *
cd_open311_service_to_json (const CdCategory *category)
{
  JsonObject *object = json_object_new ();
  const CdCategory *group = category->parent != NULL ? cd_category_lookup (category->parent)
                                                     : category;
  g_autofree char *keywords = g_strdelimit (g_strdup (category->id), "._", ',');

  json_object_set_string_member (object, "service_code", category->id);
  json_object_set_string_member (object, "service_name", cd_category_get_name (category));
  if (category->parent != NULL)
    {
      g_autofree char *description = g_strdup_printf ("%s: %s", cd_category_get_name (group),
                                                      cd_category_get_name (category));

      json_object_set_string_member (object, "description", description);
    }
  else
    json_object_set_string_member (object, "description", cd_category_get_name (category));
  json_object_set_boolean_member (object, "metadata", FALSE);
  json_object_set_string_member (object, "type", "realtime");
  json_object_set_string_member (object, "keywords", keywords);
  json_object_set_string_member (object, "group", cd_category_get_name (group));
  return object;
}

/**
 * cd_open311_service_definition:
 * @category: a service's category
 *
 * Our services ask for no attributes beyond the spec's own fields.
 *
 * Returns: (transfer full): services/{code}.json
 */
JsonObject *
cd_open311_service_definition (const CdCategory *category)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "service_code", category->id);
  json_object_set_array_member (object, "attributes", json_array_new ());
  return object;
}

/* Words in a service's name or code, in the languages of the cities whose
 * dumps we have seen, and the category they mean. The first hit wins, so
 * the specific ones ("hot water") come before the general ("water"). */
static const struct
{
  const char *word;
  const char *category;
} service_words[] = {
  { "hot water", "housing.hot_water" },
  { "warmwasser", "housing.hot_water" },
  { "eau chaude", "housing.hot_water" },
  { "heat", "housing.heating" },
  { "heizung", "housing.heating" },
  { "chauffage", "housing.heating" },
  { "sewer", "housing.sewerage" },
  { "drain", "housing.sewerage" },
  { "catch basin", "housing.sewerage" },
  { "kanal", "housing.sewerage" },
  { "égout", "housing.sewerage" },
  { "egout", "housing.sewerage" },
  { "hydrant", "housing.cold_water" },
  { "water", "housing.cold_water" },
  { "wasser", "housing.cold_water" },
  { "eau", "housing.cold_water" },
  { "power", "housing.power" },
  { "electric", "housing.power" },
  { "strom", "housing.power" },
  { "elevator", "housing.lifts" },
  { "lift", "housing.lifts" },
  { "aufzug", "housing.lifts" },
  { "ascenseur", "housing.lifts" },
  { "roof", "housing.roofs" },
  { "dach", "housing.roofs" },
  { "bus", "transport" },
  { "transit", "transport" },
  { "tram", "transport" },
  { "train", "transport" },
  { "cta ", "transport" },
  { "muni", "transport" },
  { "parking", "parking" },
  { "vehicle", "parking" },
  { "parken", "parking" },
  { "parkverst", "parking" },
  { "fahrzeug", "parking" },
  { "stationnement", "parking" },
  { "véhicule", "parking" },
  { "vendor", "street_trade" },
  { "kiosk", "street_trade" },
  { "peddl", "street_trade" },
  { "noise", "noise" },
  { "lärm", "noise" },
  { "bruit", "noise" },
  { "pothole", "roads" },
  { "schlagloch", "roads" },
  { "street", "roads" },
  { "road", "roads" },
  { "pavement", "roads" },
  { "sidewalk", "roads" },
  { "curb", "roads" },
  { "straße", "roads" },
  { "strasse", "roads" },
  { "gehweg", "roads" },
  { "voirie", "roads" },
  { "chaussée", "roads" },
  { "trottoir", "roads" },
  { "graffiti", "housing.yards" },
  { "garbage", "housing.yards" },
  { "trash", "housing.yards" },
  { "litter", "housing.yards" },
  { "dumping", "housing.yards" },
  { "sanitation", "housing.yards" },
  { "tree", "housing.yards" },
  { "weed", "housing.yards" },
  { "müll", "housing.yards" },
  { "abfall", "housing.yards" },
  { "grün", "housing.yards" },
  { "déchet", "housing.yards" },
  { "dechet", "housing.yards" },
  { "propreté", "housing.yards" },
};

/* Whether @word occurs in @text at the start of a word, so that "bus" is
 * not found in "abuse" nor "eau" in "bureau". */
static gboolean
starts_a_word (const char *text,
               const char *word)
{
  for (const char *p = strstr (text, word); p != NULL; p = strstr (p + 1, word))
    if (p == text || p[-1] == ' ' || p[-1] == '(' || p[-1] == '\'' || p[-1] == '"')
      return TRUE;
  return FALSE;
}

/**
 * cd_open311_category_for_service:
 * @service_code: (nullable): a source's service_code
 * @service_name: (nullable): its service_name
 *
 * A code that is one of our services is taken as it is; otherwise the
 * first word of a short list (English, German, French) found in the name
 * or the code decides; otherwise the ticket goes to `other`, where a
 * supervisor can reclassify it.
 *
 * Returns: a category id that cd_open311_is_service() accepts
 */
const char *
cd_open311_category_for_service (const char *service_code,
                                 const char *service_name)
{
  const CdCategory *category = cd_category_lookup (service_code);
  g_autofree char *text = NULL;

  if (cd_open311_is_service (category))
    return category->id;

  /* A trailing space lets "cta " match as a word at the end too. */
  text = g_strconcat (service_name ? service_name : "", " ", service_code ? service_code : "", " ",
                      NULL);
  if (g_utf8_validate (text, -1, NULL))
    {
      char *folded = g_utf8_strdown (text, -1);

      g_free (text);
      text = folded;
    }
  g_strdelimit (text, "_-/", ' ');

  for (guint i = 0; i < G_N_ELEMENTS (service_words); i++)
    if (starts_a_word (text, service_words[i].word))
      return service_words[i].category;
  return "other";
}

static gboolean
is_house_number (const char *token)
{
  /* "12", "12a", "12-14", "12/3": starts with a digit, short. */
  return token != NULL && g_ascii_isdigit (token[0]) && strlen (token) <= 8;
}

/**
 * cd_open311_split_address:
 * @address: (nullable): a one-line address: "3600 W FULLERTON AVE, CHICAGO,
 *   IL, 60647" or "Bornheimer Straße 45, 53111 Bonn"
 * @zipcode: (nullable): the request's zipcode
 * @district: (out): the zipcode, else the rest of the address after the
 *   first comma, else `unknown`
 * @street: (out): the street, or the whole first part when no number is
 *   found
 * @building: (out): the house number at the start (American style) or the
 *   end (European style) of the first part, or `—` when there is none
 *
 * Registration needs a district, a street and a building; Open311 gives
 * one line. This is the documented, predictable split.
 */
void
cd_open311_split_address (const char  *address,
                          const char  *zipcode,
                          char       **district,
                          char       **street,
                          char       **building)
{
  g_auto(GStrv) parts = NULL;
  g_auto(GStrv) tokens = NULL;
  g_autofree char *first = NULL;
  guint n_tokens;

  parts = g_strsplit (address != NULL ? address : "", ",", 2);
  first = g_strstrip (g_strdup (parts[0] != NULL ? parts[0] : ""));

  if (zipcode != NULL && *zipcode != '\0')
    *district = g_strdup (zipcode);
  else if (parts[0] != NULL && parts[1] != NULL && *g_strstrip (parts[1]) != '\0')
    *district = g_strdup (parts[1]);
  else
    *district = g_strdup ("unknown");

  tokens = g_strsplit_set (first, " \t", -1);
  n_tokens = 0;
  /* Drop the empty tokens of repeated spaces. */
  for (guint i = 0; tokens[i] != NULL; i++)
    if (*tokens[i] != '\0')
      {
        char *t = tokens[i];

        tokens[i] = NULL;
        tokens[n_tokens++] = t;
      }
    else
      g_clear_pointer (&tokens[i], g_free);
  tokens[n_tokens] = NULL;

  if (n_tokens >= 2 && is_house_number (tokens[0]))
    {
      *building = g_strdup (tokens[0]);
      *street = g_strjoinv (" ", tokens + 1);
    }
  else if (n_tokens >= 2 && is_house_number (tokens[n_tokens - 1]))
    {
      *building = g_strdup (tokens[n_tokens - 1]);
      g_clear_pointer (&tokens[n_tokens - 1], g_free);
      *street = g_strjoinv (" ", tokens);
    }
  else
    {
      *building = g_strdup ("—");
      *street = g_strdup (*first != '\0' ? first : "unknown");
    }
}

static void
set_time_or_null (JsonObject *object,
                  const char *member,
                  gint64      time,
                  GTimeZone  *tz)
{
  g_autofree char *text = time > 0 ? cd_open311_format_time (time, tz) : NULL;

  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static const char *
note_summary (CdEvent *event)
{
  CdAction action;

  if (!cd_action_from_string (event->type, &action))
    return event->type;
  /* A callback that closes or reopens reads as the close or reopen. */
  if (action == CD_ACTION_CALLBACK &&
      cd_dispatch_effective_action (action, event) != CD_ACTION_COMMENT)
    action = cd_dispatch_effective_action (action, event);
  switch (action)
    {
    case CD_ACTION_REGISTER: return _("Request opened");
    case CD_ACTION_ASSIGN: return _("Sent to the responsible organization");
    case CD_ACTION_ACCEPT: return _("Accepted by the responsible organization");
    case CD_ACTION_START: return _("Work started");
    case CD_ACTION_WAIT: return _("Waiting (for example for access)");
    case CD_ACTION_RESUME: return _("Work resumed");
    case CD_ACTION_RESOLVE: return _("Work reported done; waiting for the resident’s confirmation");
    case CD_ACTION_REOPEN: return _("Reopened: the problem is not solved");
    case CD_ACTION_CLOSE: return _("Closed: the resident confirmed the work");
    case CD_ACTION_CLOSE_UNCONFIRMED: return _("Closed: the resident could not be reached");
    case CD_ACTION_REFUSE: return _("Refused with reasons");
    case CD_ACTION_CANCEL: return _("Cancelled");
    case CD_ACTION_ESCALATE: return _("Escalated");
    case CD_ACTION_EXTEND: return _("Deadline extended");
    case CD_ACTION_COMMENT: return _("Comment");
    case CD_ACTION_LINK: return _("Linked to another request");
    case CD_ACTION_REMIND: return _("The responsible organization was reminded");
    case CD_ACTION_CALLBACK: return _("The resident was called back");
    case CD_ACTION_CLASSIFY: return _("Complaint classified; a person responsible named");
    case CD_ACTION_ANSWER: return _("Complaint answered");
    case CD_ACTION_PROPOSE: return _("A systemic measure proposed");
    case CD_N_ACTIONS:
    default:
      return event->type;
    }
}

static const char *
note_type (CdEvent *event)
{
  const CdTransition *t;
  CdAction action;

  if (!cd_action_from_string (event->type, &action))
    return "activity";
  if (action == CD_ACTION_REGISTER)
    return "opened";
  /* A callback closes or reopens as its outcome says. */
  t = cd_dispatch_get_transition (cd_dispatch_effective_action (action, event));
  if (t != NULL && t->to != CD_TICKET_STATE_SAME && !cd_ticket_state_is_open (t->to))
    return "closed";
  return "activity";
}

/**
 * cd_open311_notes_from_events:
 * @events: (array length=n_events): a ticket's events, in order
 * @n_events: how many
 * @tz: (nullable): the zone for the dates
 *
 * The request's activity history for `extensions=true`: one note per
 * event, with its date, a type (`opened`, `activity`, `closed`), a summary
 * and the note the actor wrote. Who acted is not published.
 *
 * Returns: (transfer full): the notes
 */
JsonArray *
cd_open311_notes_from_events (CdEvent * const *events,
                              guint            n_events,
                              GTimeZone       *tz)
{
  JsonArray *notes = json_array_new ();

  for (guint i = 0; i < n_events; i++)
    {
      JsonObject *note = json_object_new ();

      set_time_or_null (note, "datetime", events[i]->time, tz);
      json_object_set_string_member (note, "type", note_type (events[i]));
      json_object_set_string_member (note, "summary", note_summary (events[i]));
      set_string_or_null (note, "description", cd_event_get_string (events[i], "note"));
      json_array_add_object_element (notes, note);
    }
  return notes;
}

/**
 * cd_open311_request_to_json:
 * @ticket: a ticket
 * @events: (array length=n_events) (nullable): its events, for the status
 *   notes and, with @extensions, the notes
 * @n_events: how many
 * @extensions: add the `notes` extension
 * @tz: (nullable): the zone for the dates
 *
 * The resident's name and phone are never part of a service request.
 *
 * Returns: (transfer full): the service request
 */
JsonObject *
cd_open311_request_to_json (const CdTicket  *ticket,
                            CdEvent * const *events,
                            guint            n_events,
                            gboolean         extensions,
                            GTimeZone       *tz)
{
  JsonObject *object = json_object_new ();
  const CdCategory *category = cd_category_lookup (ticket->category);
  g_autofree char *address = NULL;
  const char *status_notes = NULL;

  /* The note of the last event that set the state explains it. */
  for (guint i = n_events; i > 0; i--)
    {
      CdAction action;

      if (cd_action_from_string (events[i - 1]->type, &action) &&
          cd_dispatch_get_transition (cd_dispatch_effective_action (action, events[i - 1]))->to !=
            CD_TICKET_STATE_SAME)
        {
          status_notes = cd_event_get_string (events[i - 1], "note");
          break;
        }
    }

  if (!cd_ticket_has_address (ticket))
    address = NULL;
  else if (ticket->building != NULL && g_strcmp0 (ticket->building, CD_TICKET_NO_ADDRESS) != 0)
    address = g_strdup_printf ("%s %s", ticket->street, ticket->building);
  else
    address = g_strdup (ticket->street);

  json_object_set_string_member (object, "service_request_id", ticket->number);
  json_object_set_string_member (object, "status", cd_open311_status_for_state (ticket->state));
  set_string_or_null (object, "status_notes", status_notes);
  json_object_set_string_member (object, "service_name",
                                 category != NULL ? cd_category_get_name (category)
                                                  : ticket->category);
  json_object_set_string_member (object, "service_code", ticket->category);
  set_string_or_null (object, "description", ticket->description);
  set_string_or_null (object, "agency_responsible", ticket->executor);
  json_object_set_null_member (object, "service_notice");
  set_time_or_null (object, "requested_datetime", ticket->created_at, tz);
  set_time_or_null (object, "updated_datetime", ticket->updated_at, tz);
  set_time_or_null (object, "expected_datetime",
                    cd_ticket_is_open (ticket) ? ticket->due_at : 0, tz);
  set_string_or_null (object, "address", address);
  json_object_set_null_member (object, "address_id");
  json_object_set_null_member (object, "zipcode");
  if (ticket->has_location)
    {
      json_object_set_double_member (object, "lat", ticket->lat);
      json_object_set_double_member (object, "long", ticket->lon);
    }
  else
    {
      json_object_set_null_member (object, "lat");
      json_object_set_null_member (object, "long");
    }
  json_object_set_null_member (object, "media_url");
  if (extensions)
    json_object_set_array_member (object, "notes",
                                  cd_open311_notes_from_events (events, n_events, tz));
  return object;
}

/**
 * cd_open311_error_list:
 * @code: the HTTP status
 * @description: what is wrong
 *
 * Returns: (transfer full): the spec's error form, `[{"code":…,"description":…}]`
 */
JsonNode *
cd_open311_error_list (guint       code,
                       const char *description)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "code", code);
  json_object_set_string_member (object, "description", description);
  json_array_add_object_element (array, object);
  json_node_take_array (node, array);
  return node;
}

/* The element of one item of a list, as the spec's XML names them. */
static const char *
item_name (const char *list)
{
  static const struct {
    const char *list;
    const char *item;
  } names[] = {
    { "services", "service" },
    { "service_requests", "request" },
    { "errors", "error" },
    { "endpoints", "endpoint" },
    { "formats", "format" },
    { "notes", "note" },
    { "attributes", "attribute" },
    { "values", "value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (list, names[i].list))
      return names[i].item;
  return "item";
}

static void
append_xml (GString    *xml,
            const char *name,
            JsonNode   *node)
{
  g_string_append_printf (xml, "<%s>", name);
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        /* In the order the members were set: the spec's field order. */
        g_autoptr(GList) members = json_object_get_members (object);

        for (GList *l = members; l != NULL; l = l->next)
          append_xml (xml, l->data, json_object_get_member (object, l->data));
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        const char *item = item_name (name);

        for (guint i = 0; i < json_array_get_length (array); i++)
          append_xml (xml, item, json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        if (type == G_TYPE_STRING)
          {
            g_autofree char *escaped = g_markup_escape_text (json_node_get_string (node), -1);

            g_string_append (xml, escaped);
          }
        else if (type == G_TYPE_INT64)
          g_string_append_printf (xml, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          g_string_append (xml,
                           g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (xml, json_node_get_boolean (node) ? "true" : "false");
      }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
  g_string_append_printf (xml, "</%s>", name);
}

/**
 * cd_open311_to_xml:
 * @node: an answer as this module builds it in JSON
 * @root: the root element: `services`, `service_requests`, `errors`,
 *   `discovery` or `service_definition`
 *
 * The spec's XML form of the same answer: lists are wrapped in their
 * plural element with one singular element per item (`<services><service>`,
 * `<service_requests><request>`, `<errors><error>`), a `null` is an empty
 * element.
 *
 * Returns: (transfer full): the document, with its XML declaration
 */
char *
cd_open311_to_xml (JsonNode   *node,
                   const char *root)
{
  GString *xml = g_string_new ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");

  append_xml (xml, root, node);
  g_string_append_c (xml, '\n');
  return g_string_free (xml, FALSE);
}

void
cd_open311_record_free (CdOpen311Record *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_free (record->service_code);
  g_free (record->service_name);
  g_free (record->district);
  g_free (record->street);
  g_free (record->building);
  g_free (record->address);
  g_free (record->description);
  g_free (record->agency);
  g_free (record->status_notes);
  g_free (record);
}

void
cd_open311_refusal_free (CdOpen311Refusal *refusal)
{
  if (refusal == NULL)
    return;
  g_free (refusal->id);
  g_free (refusal->reason);
  g_free (refusal);
}

/* A member as text, or NULL for what servers send for "none": a missing
 * member, null, "", 0, false. Numbers become their decimal text so that
 * 1234 and "1234" are the same id. */
static char *
member_text (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      g_autofree char *text = g_strstrip (g_strdup (json_node_get_string (node)));

      if (*text == '\0' || g_str_equal (text, "0") || !g_utf8_validate (text, -1, NULL))
        return NULL;
      return g_steal_pointer (&text);
    }
  if (type == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      return value != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, value) : NULL;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      if (value == 0.0 || !isfinite (value))
        return NULL;
      if (value == floor (value) && fabs (value) < 1e15)
        return g_strdup_printf ("%.0f", value);
      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value));
    }
  return NULL;
}

typedef enum
{
  COORD_MISSING,
  COORD_OK,
  COORD_BAD,
} CoordResult;

static CoordResult
member_coordinate (JsonObject *object,
                   const char *member,
                   double      limit,
                   double     *value)
{
  g_autofree char *text = member_text (object, member);
  char *end = NULL;

  if (text == NULL)
    return COORD_MISSING;
  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*value) || fabs (*value) > limit)
    return COORD_BAD;
  return COORD_OK;
}

static void
refuse (GPtrArray  *refusals,
        guint       index,
        const char *id,
        char       *reason)
{
  CdOpen311Refusal *refusal = g_new0 (CdOpen311Refusal, 1);

  refusal->index = index;
  refusal->id = g_strdup (id);
  refusal->reason = reason;
  g_ptr_array_add (refusals, refusal);
}

static CdOpen311Record *
parse_record (JsonNode   *node,
              guint       index,
              GPtrArray  *refusals)
{
  g_autoptr(CdOpen311Record) record = g_new0 (CdOpen311Record, 1);
  g_autofree char *requested = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *status = NULL;
  g_autofree char *zipcode = NULL;
  CoordResult lat, lon;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      refuse (refusals, index, NULL, g_strdup (_("it is not a JSON object")));
      return NULL;
    }
  object = json_node_get_object (node);
  record->index = index;

  record->id = member_text (object, "service_request_id");
  if (record->id == NULL)
    {
      refuse (refusals, index, NULL, g_strdup (_("service_request_id is missing")));
      return NULL;
    }

  requested = member_text (object, "requested_datetime");
  if (requested == NULL)
    {
      refuse (refusals, index, record->id, g_strdup (_("requested_datetime is missing")));
      return NULL;
    }
  if (!cd_open311_parse_time (requested, &record->requested))
    {
      refuse (refusals, index, record->id,
              g_strdup_printf (_("requested_datetime “%s” is not an ISO 8601 date"), requested));
      return NULL;
    }
  updated = member_text (object, "updated_datetime");
  if (updated != NULL && !cd_open311_parse_time (updated, &record->updated))
    {
      refuse (refusals, index, record->id,
              g_strdup_printf (_("updated_datetime “%s” is not an ISO 8601 date"), updated));
      return NULL;
    }
  record->updated = MAX (record->updated, record->requested);

  status = member_text (object, "status");
  if (status != NULL && !cd_open311_status_parse (status, &record->closed))
    {
      refuse (refusals, index, record->id,
              g_strdup_printf (_("status “%s” is neither open nor closed"), status));
      return NULL;
    }

  lat = member_coordinate (object, "lat", 90.0, &record->lat);
  lon = member_coordinate (object, "long", 180.0, &record->lon);
  if (lat == COORD_BAD || lon == COORD_BAD)
    {
      refuse (refusals, index, record->id,
              g_strdup_printf (_("%s is not a coordinate"), lat == COORD_BAD ? "lat" : "long"));
      return NULL;
    }
  record->has_location = lat == COORD_OK && lon == COORD_OK;

  record->address = member_text (object, "address");
  if (record->address == NULL)
    record->address = member_text (object, "address_string");

  zipcode = member_text (object, "zipcode");
  if (record->address != NULL)
    cd_open311_split_address (record->address, zipcode, &record->district, &record->street,
                              &record->building);
  else if (!record->has_location)
    {
      /* Real cities publish records without any location (a complaint
       * about a phone line, a hidden address): a ticket without one. */
      record->district = g_strdup (zipcode != NULL ? zipcode : "unknown");
      record->street = g_strdup (CD_TICKET_NO_ADDRESS);
      record->building = g_strdup (CD_TICKET_NO_ADDRESS);
    }
  else
    {
      record->district = g_strdup (zipcode != NULL ? zipcode : "unknown");
      record->street = g_strdup_printf ("%.6f, %.6f", record->lat, record->lon);
      record->building = g_strdup ("—");
    }

  record->service_code = member_text (object, "service_code");
  record->service_name = member_text (object, "service_name");
  record->category = cd_open311_category_for_service (record->service_code, record->service_name);
  record->description = member_text (object, "description");
  record->agency = member_text (object, "agency_responsible");
  record->status_notes = member_text (object, "status_notes");
  return g_steal_pointer (&record);
}

/**
 * cd_open311_parse_dump:
 * @root: a parsed requests.json: a bare array, or an object with the
 *   array in `service_requests` (or `requests`)
 * @refusals: (out) (transfer container) (element-type CdOpen311Refusal):
 *   the records that cannot be taken, with their index and reason
 * @error: %CD_OPEN311_ERROR_NOT_A_DUMP when @root holds no requests array
 *
 * Returns: (transfer container) (element-type CdOpen311Record): the
 *   records that can be registered, in the dump's order
 */
GPtrArray *
cd_open311_parse_dump (JsonNode   *root,
                       GPtrArray **refusals,
                       GError    **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_open311_record_free);
  g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func (
      (GDestroyNotify) cd_open311_refusal_free);
  JsonArray *array = NULL;

  g_return_val_if_fail (refusals != NULL, NULL);

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *names[] = { "service_requests", "requests" };

      for (guint i = 0; i < G_N_ELEMENTS (names) && array == NULL; i++)
        {
          JsonNode *member = json_object_get_member (object, names[i]);

          if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
            array = json_node_get_array (member);
        }
    }
  if (array == NULL)
    {
      g_set_error_literal (error, CD_OPEN311_ERROR, CD_OPEN311_ERROR_NOT_A_DUMP,
                           _("This is not an Open311 requests dump: expected an array of service "
                             "requests or an object with a “service_requests” array."));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CdOpen311Record *record = parse_record (json_array_get_element (array, i), i, refused);

      if (record != NULL)
        g_ptr_array_add (records, record);
    }

  *refusals = g_steal_pointer (&refused);
  return g_steal_pointer (&records);
}
