// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-input.h: what a client may send, field by field
 *
 * One table names every field a write route takes (API v1 and Open311
 * alike): its kind, its longest length, whether it is free text that may
 * hold tabs and line breaks, and the range of a number. The server checks
 * every value against it, whichever decoding produced the value (JSON,
 * form, multipart, query string), and the store checks every event
 * against the rules that keep the journal readable. docs/api.md and
 * docs/open311.md list the same lengths.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CD_INPUT_ERROR (cd_input_error_quark ())

/**
 * CdInputError:
 * @CD_INPUT_ERROR_INVALID_TEXT: not UTF-8, or a NUL or other control
 *   character
 * @CD_INPUT_ERROR_TOO_LONG: longer than the field allows
 * @CD_INPUT_ERROR_NOT_A_NUMBER: not a plain decimal number
 * @CD_INPUT_ERROR_OUT_OF_RANGE: a number outside the field's range
 * @CD_INPUT_ERROR_WRONG_TYPE: a JSON value of the wrong type
 * @CD_INPUT_ERROR_INVALID_JSON: a stored text is not strict JSON
 */
typedef enum
{
  CD_INPUT_ERROR_INVALID_TEXT,
  CD_INPUT_ERROR_TOO_LONG,
  CD_INPUT_ERROR_NOT_A_NUMBER,
  CD_INPUT_ERROR_OUT_OF_RANGE,
  CD_INPUT_ERROR_WRONG_TYPE,
  CD_INPUT_ERROR_INVALID_JSON,
} CdInputError;

typedef enum
{
  CD_INPUT_KIND_TEXT,
  CD_INPUT_KIND_NUMBER,
  CD_INPUT_KIND_INTEGER,
  CD_INPUT_KIND_TIME,
} CdInputKind;

/**
 * CdInputField:
 * @name: the field's name
 * @kind: text, number or whole number
 * @max_length: for texts, the longest value in bytes of UTF-8
 * @multiline: for texts, whether tabs and line breaks are allowed (free
 *   text: a description, a note)
 * @min: for numbers, the smallest value
 * @max: for numbers, the largest value
 */
typedef struct
{
  const char  *name;
  CdInputKind  kind;
  gsize        max_length;
  gboolean     multiline;
  gint64       min;
  gint64       max;
} CdInputField;

/* Fields the table does not name (an Open311 attribute the server does
 * not keep) are still text of at most this many bytes. */
#define CD_INPUT_OTHER_MAX_LENGTH 1024

GQuark               cd_input_error_quark    (void);
const CdInputField  *cd_input_get_fields     (guint         *n_fields);
const CdInputField  *cd_input_lookup         (const char    *name);
gboolean             cd_input_text_is_clean  (const char    *text,
                                              gsize          len,
                                              gboolean       multiline,
                                              gsize         *bad_offset);
gboolean             cd_input_check_text     (const char    *field,
                                              const char    *text,
                                              gsize          len,
                                              GError       **error);
gboolean             cd_input_parse_number   (const char    *field,
                                              const char    *text,
                                              double        *value,
                                              GError       **error);
gboolean             cd_input_parse_integer  (const char    *field,
                                              const char    *text,
                                              gint64        *value,
                                              GError       **error);
gboolean             cd_input_check_member   (const char    *field,
                                              JsonNode      *node,
                                              GError       **error);
gboolean             cd_input_check_object   (JsonObject    *object,
                                              char         **field,
                                              GError       **error);
gboolean             cd_input_check_json     (const char    *json,
                                              gsize          len,
                                              char         **field,
                                              GError       **error);

G_END_DECLS
