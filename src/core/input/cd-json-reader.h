// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-json-reader.h: a strict pull reader and a string writer for JSON
 *
 * The event feed moves millions of small JSON documents; json-glib builds
 * a tree of nodes for each through GScanner, which is most of the time a
 * sync takes. This reader walks the text in place instead: the caller asks
 * for the value it expects next and gets it unescaped in a reused buffer,
 * so reading a document allocates next to nothing. It accepts exactly
 * RFC 8259 JSON in UTF-8 and says at which byte anything else starts.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_JSON_ERROR (cd_json_error_quark ())

/**
 * CdJsonError:
 * @CD_JSON_ERROR_INVALID: the text is not JSON (RFC 8259)
 * @CD_JSON_ERROR_TOO_DEEP: arrays and objects nest deeper than
 *   %CD_JSON_MAX_DEPTH
 * @CD_JSON_ERROR_UNEXPECTED: the text is JSON, but the value is not of the
 *   kind asked for (or a number does not fit it)
 * @CD_JSON_ERROR_REFUSED: the text is JSON, but holds what Citydesk never
 *   takes from a client: a NUL character in a string, a member named twice
 */
typedef enum
{
  CD_JSON_ERROR_INVALID,
  CD_JSON_ERROR_TOO_DEEP,
  CD_JSON_ERROR_UNEXPECTED,
  CD_JSON_ERROR_REFUSED,
} CdJsonError;

/**
 * CdJsonKind:
 * @CD_JSON_KIND_NONE: no value (only returned with an error)
 * @CD_JSON_KIND_OBJECT: an object
 * @CD_JSON_KIND_ARRAY: an array
 * @CD_JSON_KIND_STRING: a string
 * @CD_JSON_KIND_INT: a number without fraction or exponent that fits a
 *   #gint64
 * @CD_JSON_KIND_DOUBLE: any other number
 * @CD_JSON_KIND_BOOLEAN: `true` or `false`
 * @CD_JSON_KIND_NULL: `null`
 */
typedef enum
{
  CD_JSON_KIND_NONE,
  CD_JSON_KIND_OBJECT,
  CD_JSON_KIND_ARRAY,
  CD_JSON_KIND_STRING,
  CD_JSON_KIND_INT,
  CD_JSON_KIND_DOUBLE,
  CD_JSON_KIND_BOOLEAN,
  CD_JSON_KIND_NULL,
} CdJsonKind;

/* Deeper documents are refused rather than walked: nothing Citydesk reads
 * nests more than three levels, and a limit keeps a hostile document from
 * costing more than its length. */
#define CD_JSON_MAX_DEPTH 256

/* The limit for documents from clients (request bodies, stored payloads
 * checked before they join the journal): Citydesk's own documents nest
 * three levels at most, and docs/api.md promises 32. */
#define CD_JSON_INPUT_MAX_DEPTH 32

/* Strings this short are unescaped without touching the heap. */
#define CD_JSON_READER_INLINE 256

/**
 * CdJsonReader:
 *
 * A reader over one JSON document, meant to live on the stack: set it up
 * with cd_json_reader_init() and release it with cd_json_reader_clear()
 * (or declare it g_auto(CdJsonReader)). Its fields are private.
 */
typedef struct
{
  /*< private >*/
  const char *data;
  gsize       len;
  gsize       pos;
  gsize       error_offset;
  guint       depth;
  guint       max_depth;
  int         state;
  CdJsonKind  peeked;
  gsize       token_end;
  gint64      int_value;
  char       *string;
  gsize       string_size;
  char       *name;
  gsize       name_size;
  gsize       name_length;
  guint8      stack[CD_JSON_MAX_DEPTH];
  char        string_inline[CD_JSON_READER_INLINE];
  char        name_inline[64];
} CdJsonReader;

GQuark      cd_json_error_quark         (void);

void        cd_json_reader_init         (CdJsonReader  *self,
                                         const char    *data,
                                         gsize          len);
void        cd_json_reader_clear        (CdJsonReader  *self);
gsize       cd_json_reader_get_offset   (CdJsonReader  *self);
gsize       cd_json_reader_get_error_offset (CdJsonReader *self);
gsize       cd_json_reader_get_name_length  (CdJsonReader *self);
void        cd_json_reader_set_max_depth (CdJsonReader *self,
                                          guint         max_depth);
CdJsonKind  cd_json_reader_peek         (CdJsonReader  *self,
                                         GError       **error);
gboolean    cd_json_reader_begin_object (CdJsonReader  *self,
                                         GError       **error);
gboolean    cd_json_reader_next_member  (CdJsonReader  *self,
                                         const char   **name,
                                         GError       **error);
gboolean    cd_json_reader_begin_array  (CdJsonReader  *self,
                                         GError       **error);
gboolean    cd_json_reader_next_element (CdJsonReader  *self,
                                         gboolean      *has_element,
                                         GError       **error);
const char *cd_json_reader_read_string  (CdJsonReader  *self,
                                         gsize         *length,
                                         GError       **error);
char       *cd_json_reader_dup_string   (CdJsonReader  *self,
                                         gsize         *length,
                                         GError       **error);
gboolean    cd_json_reader_read_int     (CdJsonReader  *self,
                                         gint64        *value,
                                         GError       **error);
gboolean    cd_json_reader_read_double  (CdJsonReader  *self,
                                         double        *value,
                                         GError       **error);
gboolean    cd_json_reader_read_boolean (CdJsonReader  *self,
                                         gboolean      *value,
                                         GError       **error);
gboolean    cd_json_reader_read_null    (CdJsonReader  *self,
                                         GError       **error);
gboolean    cd_json_reader_skip         (CdJsonReader  *self,
                                         GError       **error);
gboolean    cd_json_reader_end          (CdJsonReader  *self,
                                         GError       **error);

void        cd_json_append_string       (GString       *out,
                                         const char    *s);
void        cd_json_append_int          (GString       *out,
                                         gint64         value);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdJsonReader, cd_json_reader_clear)

G_END_DECLS
