// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-input.c: what a client may send, field by field
 *
 * A value is acceptable text when it is UTF-8 (no overlong forms, no
 * surrogates) without control characters: none of U+0000 to U+001F,
 * U+007F or U+0080 to U+009F, except in free text, which may hold tabs and
 * line breaks (LF, or CR LF as browsers send a text area). Numbers from a
 * form or a query string are plain decimal, as in JSON but without an
 * exponent: no `+`, no white space, no hexadecimal, no `inf` or `nan`,
 * which strtod() would all take.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cd-input.h"
#include "cd-json-reader.h"

G_DEFINE_QUARK (cd-input-error-quark, cd_input_error)

/* 2100-01-01: later due times are typing mistakes, not plans. */
#define MAX_TIME G_GINT64_CONSTANT (4102444800)

#define TEXT(n, len) { n, CD_INPUT_KIND_TEXT, len, FALSE, 0, 0 }
#define FREE_TEXT(n, len) { n, CD_INPUT_KIND_TEXT, len, TRUE, 0, 0 }
#define NUMBER(n, lo, hi) { n, CD_INPUT_KIND_NUMBER, 0, FALSE, lo, hi }
#define INTEGER(n, lo, hi) { n, CD_INPUT_KIND_INTEGER, 0, FALSE, lo, hi }
#define TIME(n, lo, hi) { n, CD_INPUT_KIND_TIME, 0, FALSE, lo, hi }

/* Keep in step with docs/api.md ("Field rules") and docs/open311.md. */
static const CdInputField fields[] = {
  /* Registration (API v1). */
  TEXT ("kind", 32),
  TEXT ("category", 64),
  TEXT ("district", 128),
  TEXT ("street", 256),
  TEXT ("building", 32),
  TEXT ("flat", 32),
  TEXT ("name", 256),
  TEXT ("phone", 64),
  FREE_TEXT ("description", 10000),
  TEXT ("channel", 32),
  TEXT ("policy", 128),
  TEXT ("executor", 128),
  NUMBER ("lat", -90, 90),
  NUMBER ("lon", -180, 180),
  /* Unix seconds; a systemic proposal's (docs/complaints.md) an ISO 8601 date-time. */
  TIME ("due", 0, MAX_TIME),
  /* Actions (API v1). */
  TEXT ("action", 32),
  FREE_TEXT ("note", 10000),
  TEXT ("target", 64),
  TEXT ("relation", 32),
  INTEGER ("seconds", 1, 366 * 86400),
  INTEGER ("days", 1, 366),
  TEXT ("org", 128),
  /* A callback's rating by the resident (docs/feedback.md); its outcome is `outcome`. */
  INTEGER ("rating", 1, 5),
  /* A complaint's registration, classification and answer (docs/complaints.md). */
  TEXT ("about", 128),
  TEXT ("class", 1),
  TEXT ("responsible", 256),
  TEXT ("decision", 32),
  TEXT ("favour", 32),
  FREE_TEXT ("reasons", 10000),
  FREE_TEXT ("appeal", 10000),
  TEXT ("cause", 256),
  TEXT ("group", 512),
  /* Login. */
  TEXT ("user", 64),
  TEXT ("password", 1024),
  /* Open311 GeoReport v2 POST requests. */
  TEXT ("api_key", 128),
  TEXT ("jurisdiction_id", 64),
  TEXT ("service_code", 64),
  NUMBER ("long", -180, 180),
  TEXT ("address_string", 256),
  TEXT ("address_id", 128),
  TEXT ("zipcode", 16),
  TEXT ("email", 254),
  TEXT ("device_id", 128),
  TEXT ("account_id", 128),
  TEXT ("first_name", 120),
  TEXT ("last_name", 120),
  TEXT ("media_url", 2048),
  /* A call from the PBX's queue (docs/calls.md); its caller is `phone`. */
  TEXT ("call_id", 128),
  TEXT ("queue", 128),
  TEXT ("outcome", 32),
  INTEGER ("entered", 0, MAX_TIME),
  INTEGER ("answered", 0, MAX_TIME),
  INTEGER ("ended", 0, MAX_TIME),
  INTEGER ("hold", 0, MAX_TIME),
  INTEGER ("talk", 0, MAX_TIME),
  TEXT ("did", 64),
  TEXT ("agent", 128),
  TEXT ("ended_by", 16),
  TEXT ("transfer_to", 256),
  TEXT ("rings", 4096),
  TEXT ("recording", 256),
};

/**
 * cd_input_get_fields:
 * @n_fields: (out): how many
 *
 * Returns: (array length=n_fields): the table
 */
const CdInputField *
cd_input_get_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (fields);
  return fields;
}

/**
 * cd_input_lookup:
 * @name: a field's name
 *
 * Returns: (nullable): the field's rule, or %NULL when the table does not
 *   name it
 */
const CdInputField *
cd_input_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

/**
 * cd_input_text_is_clean:
 * @text: (array length=len): bytes
 * @len: their number
 * @multiline: whether tabs and line breaks are allowed
 * @bad_offset: (out) (optional): where the first bad byte is
 *
 * Returns: whether @text is UTF-8 without control characters (but for
 *   tabs and line breaks when @multiline)
 */
gboolean
cd_input_text_is_clean (const char *text,
                        gsize       len,
                        gboolean    multiline,
                        gsize      *bad_offset)
{
  const char *end = NULL;
  const guchar *p = (const guchar *) text;

  if (!g_utf8_validate_len (text, len, &end))
    {
      if (bad_offset != NULL)
        *bad_offset = end - text;
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    {
      gboolean bad;

      if (p[i] >= 0x20 && p[i] < 0x7F)
        continue;
      if (p[i] == '\t' || p[i] == '\n')
        bad = !multiline;
      else if (p[i] == '\r')
        bad = !multiline || i + 1 == len || p[i + 1] != '\n';
      else if (p[i] == 0xC2 && i + 1 < len && p[i + 1] < 0xA0)
        bad = TRUE;  /* U+0080 to U+009F, the C1 controls */
      else
        bad = p[i] < 0x80;
      if (bad)
        {
          if (bad_offset != NULL)
            *bad_offset = i;
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_text (const char          *field,
            const CdInputField  *rule,
            const char          *text,
            gsize                len,
            GError             **error)
{
  gsize max = rule == NULL ? CD_INPUT_OTHER_MAX_LENGTH
            : rule->kind == CD_INPUT_KIND_TEXT ? rule->max_length
            : 64;  /* a number's text, before it is parsed */
  gboolean multiline = rule != NULL && rule->multiline;
  gsize bad = 0;

  if (!cd_input_text_is_clean (text, len, multiline, &bad))
    {
      g_set_error (
          error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_TEXT,
          multiline
              ? _("“%s” is not UTF-8 text without control characters (byte %zu).")
              : _("“%s” is not one line of UTF-8 text without control characters (byte %zu)."),
          field, bad);
      return FALSE;
    }
  if (len > max)
    {
      g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_TOO_LONG,
                   _("“%s” is longer than %zu bytes."), field, max);
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_input_check_text:
 * @field: the field's name
 * @text: (array length=len): its value
 * @len: the value's length in bytes
 * @error: a %CD_INPUT_ERROR naming @field
 *
 * Checks a text value by the table's rule for @field (or, for a field the
 * table does not name, as one line of at most %CD_INPUT_OTHER_MAX_LENGTH
 * bytes).
 *
 * Returns: whether the value is acceptable
 */
gboolean
cd_input_check_text (const char  *field,
                     const char  *text,
                     gsize        len,
                     GError     **error)
{
  return check_text (field, cd_input_lookup (field), text, len, error);
}

static gboolean
out_of_range (const char          *field,
              const CdInputField  *rule,
              GError             **error)
{
  g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_OUT_OF_RANGE,
               _("“%s” must be from %" PRId64 " to %" PRId64 "."),
               field, rule->min, rule->max);
  return FALSE;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)? with @fraction, else without the fraction. */
static gboolean
is_plain_decimal (const char *text,
                  gboolean    fraction)
{
  const char *p = text;

  if (*p == '-')
    p++;
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    while (g_ascii_isdigit (*p))
      p++;
  else
    return FALSE;
  if (fraction && *p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  return *p == '\0' && p - text <= 40;
}

/**
 * cd_input_parse_number:
 * @field: a field of kind %CD_INPUT_KIND_NUMBER
 * @text: its value as a form or query string gave it
 * @value: (out): the number
 * @error: a %CD_INPUT_ERROR naming @field
 *
 * Returns: whether @text is a plain decimal number in the field's range
 */
gboolean
cd_input_parse_number (const char  *field,
                       const char  *text,
                       double      *value,
                       GError     **error)
{
  const CdInputField *rule = cd_input_lookup (field);

  g_return_val_if_fail (rule != NULL && rule->kind != CD_INPUT_KIND_TEXT, FALSE);

  if (text == NULL || !is_plain_decimal (text, rule->kind == CD_INPUT_KIND_NUMBER))
    {
      g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_NOT_A_NUMBER,
                   rule->kind == CD_INPUT_KIND_NUMBER
                     ? _("“%s” must be a plain decimal number, such as -12.5.")
                     : _("“%s” must be a whole number in decimal digits."),
                   field);
      return FALSE;
    }
  *value = g_ascii_strtod (text, NULL);
  if (!(*value >= (double) rule->min && *value <= (double) rule->max))
    return out_of_range (field, rule, error);
  return TRUE;
}

/**
 * cd_input_parse_integer:
 * @field: a field of kind %CD_INPUT_KIND_INTEGER
 * @text: its value as a form or query string gave it
 * @value: (out): the number
 * @error: a %CD_INPUT_ERROR naming @field
 *
 * Returns: whether @text is a whole decimal number in the field's range
 */
gboolean
cd_input_parse_integer (const char  *field,
                        const char  *text,
                        gint64      *value,
                        GError     **error)
{
  const CdInputField *rule = cd_input_lookup (field);

  g_return_val_if_fail (rule != NULL && (rule->kind == CD_INPUT_KIND_INTEGER ||
                                         rule->kind == CD_INPUT_KIND_TIME), FALSE);

  if (text == NULL || !is_plain_decimal (text, FALSE) ||
      !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL))
    {
      g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_NOT_A_NUMBER,
                   _("“%s” must be a whole number in decimal digits."), field);
      return FALSE;
    }
  if (*value < rule->min || *value > rule->max)
    return out_of_range (field, rule, error);
  return TRUE;
}

/**
 * cd_input_check_member:
 * @field: a member's name
 * @node: its JSON value
 * @error: a %CD_INPUT_ERROR naming @field
 *
 * Checks a JSON member by the table: texts are strings, clean and not too
 * long; numbers are numbers in range; whole numbers are JSON integers in
 * range. A member the table does not name must be a string, checked as
 * one line of at most %CD_INPUT_OTHER_MAX_LENGTH bytes.
 *
 * Returns: whether the member is acceptable
 */
gboolean
cd_input_check_member (const char  *field,
                       JsonNode    *node,
                       GError     **error)
{
  const CdInputField *rule = cd_input_lookup (field);
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (!g_utf8_validate (field, -1, NULL))
    {
      g_set_error_literal (error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_TEXT,
                           _("A field name is not valid UTF-8 text."));
      return FALSE;
    }

  if (rule == NULL || rule->kind == CD_INPUT_KIND_TEXT)
    {
      const char *text;

      if (type != G_TYPE_STRING)
        {
          g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_WRONG_TYPE,
                       _("“%s” must be a string."), field);
          return FALSE;
        }
      text = json_node_get_string (node);
      return check_text (field, rule, text, strlen (text), error);
    }

  if (rule->kind == CD_INPUT_KIND_NUMBER)
    {
      double value;

      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        {
          g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_WRONG_TYPE,
                       _("“%s” must be a number."), field);
          return FALSE;
        }
      value = json_node_get_double (node);
      if (!isfinite (value) || value < (double) rule->min || value > (double) rule->max)
        return out_of_range (field, rule, error);
      return TRUE;
    }

  if (rule->kind == CD_INPUT_KIND_TIME && type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) time = NULL;

      if (!check_text (field, rule, text, strlen (text), error))
        return FALSE;
      if ((time = g_date_time_new_from_iso8601 (text, utc)) == NULL)
        {
          g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_WRONG_TYPE,
                       _("“%s” must be Unix seconds or an ISO 8601 date-time."), field);
          return FALSE;
        }
      if (g_date_time_to_unix (time) < rule->min || g_date_time_to_unix (time) > rule->max)
        return out_of_range (field, rule, error);
      return TRUE;
    }
  if (type != G_TYPE_INT64)
    {
      g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_WRONG_TYPE,
                   rule->kind == CD_INPUT_KIND_TIME
                       ? _("“%s” must be Unix seconds or an ISO 8601 date-time.")
                       : _("“%s” must be a whole number."), field);
      return FALSE;
    }
  if (json_node_get_int (node) < rule->min || json_node_get_int (node) > rule->max)
    return out_of_range (field, rule, error);
  return TRUE;
}

/**
 * cd_input_check_object:
 * @object: the members a client sent (or a payload built from them)
 * @field: (out) (optional) (transfer full): the member at fault
 * @error: a %CD_INPUT_ERROR naming it
 *
 * cd_input_check_member() for every member.
 *
 * Returns: whether every member is acceptable
 */
gboolean
cd_input_check_object (JsonObject  *object,
                       char       **field,
                       GError     **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  if (field != NULL)
    *field = NULL;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &node))
    if (!cd_input_check_member (member, node, error))
      {
        if (field != NULL)
          *field = g_strdup (member);
        return FALSE;
      }
  return TRUE;
}

/* The journal's rule for stored texts {{{1 */

static gboolean
walk (CdJsonReader  *reader,
      char         **member,
      GError       **error)
{
  CdJsonKind kind = cd_json_reader_peek (reader, error);
  gboolean has_element;
  const char *name;
  const char *s;
  gsize len = 0;

  switch (kind)
    {
    case CD_JSON_KIND_OBJECT:
      if (!cd_json_reader_begin_object (reader, error))
        return FALSE;
      for (;;)
        {
          if (!cd_json_reader_next_member (reader, &name, error))
            return FALSE;
          if (name == NULL)
            return TRUE;
          g_free (*member);
          *member = g_strdup (name);
          if (!cd_input_text_is_clean (name, cd_json_reader_get_name_length (reader), FALSE, NULL))
            {
              g_set_error_literal (error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_TEXT,
                                   _("A member name is not one line of text."));
              return FALSE;
            }
          if (!walk (reader, member, error))
            return FALSE;
        }
    case CD_JSON_KIND_ARRAY:
      if (!cd_json_reader_begin_array (reader, error))
        return FALSE;
      for (;;)
        {
          if (!cd_json_reader_next_element (reader, &has_element, error))
            return FALSE;
          if (!has_element)
            return TRUE;
          if (!walk (reader, member, error))
            return FALSE;
        }
    case CD_JSON_KIND_STRING:
      if ((s = cd_json_reader_read_string (reader, &len, error)) == NULL)
        return FALSE;
      if (!cd_input_text_is_clean (s, len, TRUE, NULL))
        {
          g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_TEXT,
                       _("“%s” is not UTF-8 text without control characters."),
                       *member != NULL ? *member : "");
          return FALSE;
        }
      return TRUE;
    case CD_JSON_KIND_NONE:
      return FALSE;
    default:
      return cd_json_reader_skip (reader, error);
    }
}

/**
 * cd_input_check_json:
 * @json: (array length=len): a JSON text the journal is to keep (an
 *   event's payload or personal data)
 * @len: its length in bytes
 * @field: (out) (optional) (transfer full): the member at fault, if any
 * @error: a %CD_INPUT_ERROR_INVALID_JSON or %CD_INPUT_ERROR_INVALID_TEXT
 *
 * The last line of defence of the journal: whatever route built @json, it
 * must be one strict JSON object (RFC 8259, nested at most
 * %CD_JSON_INPUT_MAX_DEPTH levels) whose names are single lines and whose
 * strings are text without control characters but tabs and line breaks,
 * so that every client's strict reader can read it back.
 *
 * Returns: whether @json may join the journal
 */
gboolean
cd_input_check_json (const char  *json,
                     gsize        len,
                     char       **field,
                     GError     **error)
{
  g_auto(CdJsonReader) reader = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *member = NULL;

  if (field != NULL)
    *field = NULL;
  cd_json_reader_init (&reader, json, len);
  cd_json_reader_set_max_depth (&reader, CD_JSON_INPUT_MAX_DEPTH);
  if (cd_json_reader_peek (&reader, &local_error) != CD_JSON_KIND_OBJECT)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED,
                             _("it is not an object"));
    }
  else if (walk (&reader, &member, &local_error))
    cd_json_reader_end (&reader, &local_error);

  if (local_error == NULL)
    return TRUE;
  if (field != NULL)
    *field = g_steal_pointer (&member);
  if (local_error->domain == CD_INPUT_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, CD_INPUT_ERROR, CD_INPUT_ERROR_INVALID_JSON,
                 _("The text is not a strict JSON object: %s"), local_error->message);
  return FALSE;
}
