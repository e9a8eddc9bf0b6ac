// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-json-reader.c: a strict pull reader and a string writer for JSON
 *
 * The reader keeps one position in the text and the kinds of the arrays
 * and objects it is inside. The caller drives it: it asks what comes next
 * (cd_json_reader_peek()), enters containers, and reads or skips values.
 * Between those calls the reader knows only whether a value, a first
 * element or a further element comes next, which is all JSON's grammar
 * needs to check commas, colons and brackets.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cd-json-reader.h"

G_DEFINE_QUARK (cd-json-error-quark, cd_json_error)

typedef enum
{
  STATE_VALUE,  /* a value comes next */
  STATE_FIRST,  /* a container was just opened */
  STATE_NEXT,   /* a container's element was read: a comma or its end */
  STATE_DONE,   /* the document's value was read */
  STATE_FAILED, /* the text is not JSON; nothing more is read */
} State;

typedef enum
{
  SINK_NONE,
  SINK_STRING,
  SINK_NAME,
} Sink;

/* Bytes that stand for themselves inside a string. Quotes, backslashes and
 * control characters are not; bytes from 0x80 up are checked as UTF-8. */
static const guint8 read_plain[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Bytes the writer copies as they are. It escapes DEL as well, as
 * json-glib's generator does, so that both write the same bytes. */
static const guint8 write_plain[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Eight bytes at a time: whether any of them is a quote, a backslash, a
 * control character or from 0x80 up. Most strings have long runs of
 * plain ASCII, and a page of the feed is megabytes of strings. */
#define BYTES_ONES 0x0101010101010101ull
#define BYTES_HIGH 0x8080808080808080ull

static inline gboolean
word_is_plain (guint64 w)
{
  guint64 quote = w ^ (BYTES_ONES * '"');
  guint64 backslash = w ^ (BYTES_ONES * '\\');
  guint64 special = ((quote - BYTES_ONES) & ~quote) |
                    ((backslash - BYTES_ONES) & ~backslash) |
                    ((w - BYTES_ONES * 0x20) & ~w) |
                    w;

  return (special & BYTES_HIGH) == 0;
}

static inline const guchar *
skip_plain (const guchar *p,
            const guchar *end)
{
  guint64 w;

  while (end - p >= 8)
    {
      memcpy (&w, p, sizeof w);
      if (!word_is_plain (w))
        break;
      p += 8;
    }
  while (p < end && read_plain[*p])
    p++;
  return p;
}

/* Errors {{{1 */

static gboolean
fail (CdJsonReader  *self,
      gsize          offset,
      const char    *what,
      GError       **error)
{
  self->state = STATE_FAILED;
  self->peeked = CD_JSON_KIND_NONE;
  self->error_offset = offset;
  g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID,
               _("Invalid JSON at byte %zu: %s"), offset, what);
  return FALSE;
}

static const char *
kind_noun (CdJsonKind kind)
{
  switch (kind)
    {
    case CD_JSON_KIND_OBJECT:
      return _("an object");
    case CD_JSON_KIND_ARRAY:
      return _("an array");
    case CD_JSON_KIND_STRING:
      return _("a string");
    case CD_JSON_KIND_INT:
      return _("an integer");
    case CD_JSON_KIND_DOUBLE:
      return _("a number that is not a 64-bit integer");
    case CD_JSON_KIND_BOOLEAN:
      return _("true or false");
    case CD_JSON_KIND_NULL:
      return _("null");
    case CD_JSON_KIND_NONE:
    default:
      return _("nothing");
    }
}

/* The value is JSON but not what the caller asked for. The reader has not
 * moved, so the caller may still read it as something else or skip it. */
static gboolean
unexpected (CdJsonReader  *self,
            const char    *expected,
            GError       **error)
{
  g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED,
               _("Expected %s at byte %zu, found %s"),
               expected, self->pos, kind_noun (self->peeked));
  return FALSE;
}

/* Once the text turned out not to be JSON, the position means nothing. */
static gboolean
check_not_failed (CdJsonReader  *self,
                  GError       **error)
{
  if (self->state != STATE_FAILED)
    return TRUE;
  g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID,
               _("Invalid JSON at byte %zu: %s"), self->pos,
               _("reading stopped at an earlier error"));
  return FALSE;
}

/* Set-up {{{1 */

/**
 * cd_json_reader_init:
 * @self: a reader, usually on the stack
 * @data: (array length=len): the document's UTF-8 text, which must stay
 *   alive and unchanged while @self reads it
 * @len: its length in bytes; a NUL byte is not an end
 *
 * Sets up @self to read one value from @data. A reader must not be copied
 * once set up.
 */
void
cd_json_reader_init (CdJsonReader *self,
                     const char   *data,
                     gsize         len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  self->data = data != NULL ? data : "";
  self->len = len;
  self->pos = 0;
  self->error_offset = 0;
  self->depth = 0;
  self->max_depth = CD_JSON_MAX_DEPTH;
  self->state = STATE_VALUE;
  self->peeked = CD_JSON_KIND_NONE;
  self->token_end = 0;
  self->int_value = 0;
  self->string = self->string_inline;
  self->string_size = sizeof self->string_inline;
  self->name = self->name_inline;
  self->name_size = sizeof self->name_inline;
}

/**
 * cd_json_reader_clear:
 * @self: a reader set up with cd_json_reader_init(), or zero-filled
 *
 * Frees what @self allocated. Strings it returned are gone with it.
 */
void
cd_json_reader_clear (CdJsonReader *self)
{
  if (self->string != self->string_inline)
    g_free (self->string);
  if (self->name != self->name_inline)
    g_free (self->name);
  self->string = NULL;
  self->name = NULL;
  self->string_size = 0;
  self->name_size = 0;
}

/**
 * cd_json_reader_get_offset:
 * @self: a reader
 *
 * Returns: the byte offset the reader has reached
 */
gsize
cd_json_reader_get_offset (CdJsonReader *self)
{
  return self->pos;
}

/**
 * cd_json_reader_get_error_offset:
 * @self: a reader that failed with %CD_JSON_ERROR_INVALID or
 *   %CD_JSON_ERROR_TOO_DEEP
 *
 * Returns: the byte offset at which the text stopped being acceptable:
 *   where the offending token, escape or byte starts
 */
gsize
cd_json_reader_get_error_offset (CdJsonReader *self)
{
  return self->error_offset;
}

/**
 * cd_json_reader_get_name_length:
 * @self: a reader whose cd_json_reader_next_member() just returned a name
 *
 * Returns: the name's length in bytes, which tells a name holding a NUL
 *   (from `\u0000`) from a shorter one
 */
gsize
cd_json_reader_get_name_length (CdJsonReader *self)
{
  return self->name_length;
}

/**
 * cd_json_reader_set_max_depth:
 * @self: a reader that has not read anything yet
 * @max_depth: how deep arrays and objects may nest, at most
 *   %CD_JSON_MAX_DEPTH (larger values are taken as that)
 *
 * Lowers the nesting limit, for documents from clients (see
 * %CD_JSON_INPUT_MAX_DEPTH).
 */
void
cd_json_reader_set_max_depth (CdJsonReader *self,
                              guint         max_depth)
{
  self->max_depth = MIN (max_depth, CD_JSON_MAX_DEPTH);
}

/* Lexing {{{1 */

static inline void
skip_space (CdJsonReader *self)
{
  const char *p = self->data + self->pos;
  const char *end = self->data + self->len;

  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  self->pos = p - self->data;
}

static inline gboolean
is_digit (guchar c)
{
  return c >= '0' && c <= '9';
}

/* Reads the number at the position without moving: its end and, when it
 * is an integer that fits, its value are kept for the read that follows. */
static CdJsonKind
scan_number (CdJsonReader  *self,
             GError       **error)
{
  const guchar *start = (const guchar *) self->data + self->pos;
  const guchar *end = (const guchar *) self->data + self->len;
  const guchar *p = start;
  gboolean negative = FALSE;
  gboolean integral = TRUE;
  gboolean overflow = FALSE;
  guint64 magnitude = 0;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p == end || !is_digit (*p))
    {
      fail (self, p - (const guchar *) self->data, _("expected a digit"), error);
      return CD_JSON_KIND_NONE;
    }
  if (*p == '0')
    {
      p++;
      if (p < end && is_digit (*p))
        {
          fail (self, p - 1 - (const guchar *) self->data,
                _("a number may not start with a zero"), error);
          return CD_JSON_KIND_NONE;
        }
    }
  else
    {
      for (; p < end && is_digit (*p); p++)
        {
          guint digit = *p - '0';

          if (magnitude > (G_MAXUINT64 - digit) / 10)
            overflow = TRUE;
          else
            magnitude = magnitude * 10 + digit;
        }
    }

  if (p < end && *p == '.')
    {
      integral = FALSE;
      p++;
      if (p == end || !is_digit (*p))
        {
          fail (self, p - (const guchar *) self->data,
                _("expected a digit after the decimal point"), error);
          return CD_JSON_KIND_NONE;
        }
      while (p < end && is_digit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integral = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || !is_digit (*p))
        {
          fail (self, p - (const guchar *) self->data, _("expected a digit in the exponent"),
                error);
          return CD_JSON_KIND_NONE;
        }
      while (p < end && is_digit (*p))
        p++;
    }

  self->token_end = p - (const guchar *) self->data;
  if (integral && !overflow)
    {
      if (!negative && magnitude <= G_MAXINT64)
        {
          self->int_value = (gint64) magnitude;
          return CD_JSON_KIND_INT;
        }
      if (negative && magnitude <= (guint64) G_MAXINT64 + 1)
        {
          /* Negating in unsigned arithmetic reaches G_MININT64 too. */
          self->int_value = (gint64) (0 - magnitude);
          return CD_JSON_KIND_INT;
        }
    }
  return CD_JSON_KIND_DOUBLE;
}

static CdJsonKind
scan_literal (CdJsonReader  *self,
              const char    *word,
              CdJsonKind     kind,
              gint64         value,
              GError       **error)
{
  gsize n = strlen (word);

  if (self->len - self->pos < n || memcmp (self->data + self->pos, word, n) != 0)
    {
      fail (self, self->pos, _("expected a value"), error);
      return CD_JSON_KIND_NONE;
    }
  self->token_end = self->pos + n;
  self->int_value = value;
  return kind;
}

/* The length of the well-formed UTF-8 sequence at @p (Unicode's table
 * 3-7: no overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static gsize
utf8_sequence (const guchar *p,
               const guchar *end)
{
  gsize avail = end - p;
  guchar lo = 0x80, hi = 0xBF;

  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;

  if (p[0] >= 0xE0 && p[0] <= 0xEF)
    {
      if (p[0] == 0xE0)
        lo = 0xA0;
      else if (p[0] == 0xED)
        hi = 0x9F;
      return avail >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }

  if (p[0] >= 0xF0 && p[0] <= 0xF4)
    {
      if (p[0] == 0xF0)
        lo = 0x90;
      else if (p[0] == 0xF4)
        hi = 0x8F;
      return avail >= 4 && p[1] >= lo && p[1] <= hi &&
             (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80 ? 4 : 0;
    }

  return 0;
}

static gboolean
read_hex4 (const guchar *p,
           const guchar *end,
           gunichar     *out)
{
  gunichar u = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return FALSE;
      u = (u << 4) | (gunichar) digit;
    }
  *out = u;
  return TRUE;
}

/* Makes room for @needed bytes in the sink's buffer, moving it from the
 * reader's inline space to the heap when it outgrows it. */
static char *
reserve (CdJsonReader *self,
         Sink          sink,
         gsize         needed)
{
  char **buffer = sink == SINK_NAME ? &self->name : &self->string;
  gsize *size = sink == SINK_NAME ? &self->name_size : &self->string_size;
  char *inline_buffer = sink == SINK_NAME ? self->name_inline : self->string_inline;
  gsize new_size = MAX (needed, *size * 2);

  if (needed <= *size)
    return *buffer;
  if (*buffer == inline_buffer)
    {
      char *heap = g_malloc (new_size);

      memcpy (heap, *buffer, *size);
      *buffer = heap;
    }
  else
    *buffer = g_realloc (*buffer, new_size);
  *size = new_size;
  return *buffer;
}

/* Reads the string whose opening quote is at the position, unescaping it
 * into @sink's buffer (or only checking it, for SINK_NONE), and moves past
 * its closing quote. */
static gboolean
scan_string (CdJsonReader  *self,
             Sink           sink,
             gsize         *length,
             GError       **error)
{
  const guchar *base = (const guchar *) self->data;
  const guchar *end = base + self->len;
  const guchar *p = base + self->pos + 1;
  char *out = NULL;
  gsize size = 0;
  gsize n = 0;

  if (sink != SINK_NONE)
    {
      out = sink == SINK_NAME ? self->name : self->string;
      size = sink == SINK_NAME ? self->name_size : self->string_size;
    }

  for (;;)
    {
      const guchar *run = p;

      p = skip_plain (p, end);

      /* Room for the run, one escape or UTF-8 sequence (at most four
       * bytes) and the NUL, so that nothing below has to check. */
      if (out != NULL)
        {
          gsize run_len = p - run;

          if (n + run_len + 5 > size)
            {
              out = reserve (self, sink, n + run_len + 5);
              size = sink == SINK_NAME ? self->name_size : self->string_size;
            }
          memcpy (out + n, run, run_len);
          n += run_len;
        }

      if (p == end)
        return fail (self, self->pos, _("the string does not end"), error);

      if (*p == '"')
        break;

      if (*p == '\\')
        {
          const guchar *escape = p;
          gunichar u;

          if (++p == end)
            return fail (self, self->pos, _("the string does not end"), error);
          switch (*p)
            {
            case '"':
            case '\\':
            case '/':
              u = *p;
              break;
            case 'b':
              u = '\b';
              break;
            case 'f':
              u = '\f';
              break;
            case 'n':
              u = '\n';
              break;
            case 'r':
              u = '\r';
              break;
            case 't':
              u = '\t';
              break;
            case 'u':
              if (!read_hex4 (p + 1, end, &u))
                return fail (self, escape - base, _("“\\u” needs four hexadecimal digits"), error);
              p += 4;
              if (u >= 0xD800 && u <= 0xDBFF)
                {
                  gunichar low = 0;

                  if (end - p < 7 || p[1] != '\\' || p[2] != 'u' ||
                      !read_hex4 (p + 3, end, &low) || low < 0xDC00 || low > 0xDFFF)
                    return fail (self, escape - base,
                                 _("a UTF-16 high surrogate without the low one after it"), error);
                  u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                  p += 6;
                }
              else if (u >= 0xDC00 && u <= 0xDFFF)
                return fail (self, escape - base,
                             _("a UTF-16 low surrogate without the high one before it"), error);
              break;
            default:
              return fail (self, escape - base, _("an unknown escape in a string"), error);
            }
          p++;
          if (out != NULL)
            {
              if (u < 0x80)
                out[n++] = (char) u;
              else
                n += g_unichar_to_utf8 (u, out + n);
            }
        }
      else if (*p < 0x20)
        return fail (self, p - base, _("a control character in a string must be escaped"), error);
      else
        {
          gsize seq = utf8_sequence (p, end);

          if (seq == 0)
            return fail (self, p - base, _("the text is not valid UTF-8"), error);
          if (out != NULL)
            {
              memcpy (out + n, p, seq);
              n += seq;
            }
          p += seq;
        }
    }

  if (out != NULL)
    out[n] = '\0';
  if (length != NULL)
    *length = n;
  self->pos = p + 1 - base;
  return TRUE;
}

/* Reading {{{1 */

static inline void
value_read (CdJsonReader *self,
            gsize         end)
{
  self->pos = end;
  self->peeked = CD_JSON_KIND_NONE;
  self->state = self->depth == 0 ? STATE_DONE : STATE_NEXT;
}

/**
 * cd_json_reader_peek:
 * @self: a reader where a value comes next: at the start, after
 *   cd_json_reader_next_member() returned a name or after
 *   cd_json_reader_next_element() found an element
 * @error: a %CD_JSON_ERROR_INVALID when no value starts there
 *
 * Tells the kind of the next value without reading it. Peeking twice
 * costs nothing: numbers are scanned once.
 *
 * Returns: the kind, or %CD_JSON_KIND_NONE with @error set
 */
CdJsonKind
cd_json_reader_peek (CdJsonReader  *self,
                     GError       **error)
{
  CdJsonKind kind;

  if (self->peeked != CD_JSON_KIND_NONE)
    return self->peeked;
  if (!check_not_failed (self, error))
    return CD_JSON_KIND_NONE;
  g_return_val_if_fail (self->state == STATE_VALUE, CD_JSON_KIND_NONE);

  skip_space (self);
  if (self->pos == self->len)
    {
      fail (self, self->pos, _("the text ends where a value should be"), error);
      return CD_JSON_KIND_NONE;
    }

  switch (self->data[self->pos])
    {
    case '{':
      kind = CD_JSON_KIND_OBJECT;
      break;
    case '[':
      kind = CD_JSON_KIND_ARRAY;
      break;
    case '"':
      kind = CD_JSON_KIND_STRING;
      break;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      kind = scan_number (self, error);
      break;
    case 't':
      kind = scan_literal (self, "true", CD_JSON_KIND_BOOLEAN, TRUE, error);
      break;
    case 'f':
      kind = scan_literal (self, "false", CD_JSON_KIND_BOOLEAN, FALSE, error);
      break;
    case 'n':
      kind = scan_literal (self, "null", CD_JSON_KIND_NULL, 0, error);
      break;
    default:
      fail (self, self->pos, _("expected a value"), error);
      return CD_JSON_KIND_NONE;
    }

  self->peeked = kind;
  return kind;
}

static gboolean
begin_container (CdJsonReader  *self,
                 CdJsonKind     kind,
                 GError       **error)
{
  CdJsonKind found = cd_json_reader_peek (self, error);

  if (found == CD_JSON_KIND_NONE)
    return FALSE;
  if (found != kind)
    return unexpected (self, kind_noun (kind), error);
  if (self->depth >= self->max_depth)
    {
      self->state = STATE_FAILED;
      self->peeked = CD_JSON_KIND_NONE;
      self->error_offset = self->pos;
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP,
                   _("Invalid JSON at byte %zu: arrays and objects nest deeper than %u levels"),
                   self->pos, self->max_depth);
      return FALSE;
    }
  self->stack[self->depth++] = kind;
  self->pos++;
  self->peeked = CD_JSON_KIND_NONE;
  self->state = STATE_FIRST;
  return TRUE;
}

/**
 * cd_json_reader_begin_object:
 * @self: a reader where a value comes next
 * @error: a %CD_JSON_ERROR_UNEXPECTED when it is not an object
 *
 * Enters the object; read its members with cd_json_reader_next_member().
 *
 * Returns: whether an object was entered
 */
gboolean
cd_json_reader_begin_object (CdJsonReader  *self,
                             GError       **error)
{
  return begin_container (self, CD_JSON_KIND_OBJECT, error);
}

/**
 * cd_json_reader_begin_array:
 * @self: a reader where a value comes next
 * @error: a %CD_JSON_ERROR_UNEXPECTED when it is not an array
 *
 * Enters the array; step through it with cd_json_reader_next_element().
 *
 * Returns: whether an array was entered
 */
gboolean
cd_json_reader_begin_array (CdJsonReader  *self,
                            GError       **error)
{
  return begin_container (self, CD_JSON_KIND_ARRAY, error);
}

/* Past the comma before the next element, or past the closing bracket
 * (then *closed is TRUE). */
static gboolean
step (CdJsonReader  *self,
      char           close,
      gboolean      *closed,
      GError       **error)
{
  *closed = FALSE;
  skip_space (self);
  if (self->pos < self->len && self->data[self->pos] == close)
    {
      self->depth--;
      value_read (self, self->pos + 1);
      *closed = TRUE;
      return TRUE;
    }
  if (self->state == STATE_NEXT)
    {
      if (self->pos == self->len || self->data[self->pos] != ',')
        return fail (self, self->pos,
                     close == '}' ? _("expected “,” or “}”") : _("expected “,” or “]”"), error);
      self->pos++;
      skip_space (self);
    }
  return TRUE;
}

/**
 * cd_json_reader_next_member:
 * @self: a reader inside an object, where its first member, or the next
 *   one after a value, comes
 * @name: (out) (transfer none): the member's name, valid until the next
 *   call; %NULL at the end of the object
 * @error: a %CD_JSON_ERROR_INVALID when the text is not JSON
 *
 * Moves to the next member's value, or past the object's end. Like
 * g_file_enumerator_iterate(), it returns %FALSE only for an error.
 *
 * Returns: %FALSE with @error set when the text is not JSON
 */
gboolean
cd_json_reader_next_member (CdJsonReader  *self,
                            const char   **name,
                            GError       **error)
{
  gboolean first = self->state == STATE_FIRST;
  gboolean closed;

  *name = NULL;
  if (!check_not_failed (self, error))
    return FALSE;
  g_return_val_if_fail (self->state == STATE_FIRST || self->state == STATE_NEXT, FALSE);
  g_return_val_if_fail (self->depth > 0 && self->stack[self->depth - 1] == CD_JSON_KIND_OBJECT,
                        FALSE);

  if (!step (self, '}', &closed, error))
    return FALSE;
  if (closed)
    return TRUE;

  if (self->pos == self->len || self->data[self->pos] != '"')
    return fail (self, self->pos,
                 first ? _("expected a member name or “}”") : _("expected a member name"), error);
  if (!scan_string (self, SINK_NAME, &self->name_length, error))
    return FALSE;
  skip_space (self);
  if (self->pos == self->len || self->data[self->pos] != ':')
    return fail (self, self->pos, _("expected “:”"), error);
  self->pos++;
  self->state = STATE_VALUE;
  *name = self->name;
  return TRUE;
}

/**
 * cd_json_reader_next_element:
 * @self: a reader inside an array, where its first element, or the next
 *   one after a value, comes
 * @has_element: (out): whether an element follows; %FALSE at the end of
 *   the array
 * @error: a %CD_JSON_ERROR_INVALID when the text is not JSON
 *
 * Moves to the next element, or past the array's end.
 *
 * Returns: %FALSE with @error set when the text is not JSON
 */
gboolean
cd_json_reader_next_element (CdJsonReader  *self,
                             gboolean      *has_element,
                             GError       **error)
{
  gboolean closed;

  *has_element = FALSE;
  if (!check_not_failed (self, error))
    return FALSE;
  g_return_val_if_fail (self->state == STATE_FIRST || self->state == STATE_NEXT, FALSE);
  g_return_val_if_fail (self->depth > 0 && self->stack[self->depth - 1] == CD_JSON_KIND_ARRAY,
                        FALSE);

  if (!step (self, ']', &closed, error))
    return FALSE;
  if (!closed)
    {
      self->state = STATE_VALUE;
      *has_element = TRUE;
    }
  return TRUE;
}

/* Whether the next value is of @kind: otherwise the reader fails. */
static gboolean
expect (CdJsonReader  *self,
        CdJsonKind     kind,
        GError       **error)
{
  CdJsonKind next = cd_json_reader_peek (self, error);

  if (next == CD_JSON_KIND_NONE)
    return FALSE;
  if (next != kind)
    return unexpected (self, kind_noun (kind), error);
  return TRUE;
}

/**
 * cd_json_reader_read_string:
 * @self: a reader where a value comes next
 * @length: (out) (optional): the string's length in bytes; it may hold
 *   NUL bytes (from `\u0000`)
 * @error: a %CD_JSON_ERROR_UNEXPECTED when the value is not a string
 *
 * Returns: (transfer none): the unescaped, NUL-terminated string, valid
 *   until the next string read; %NULL with @error set
 */
const char *
cd_json_reader_read_string (CdJsonReader  *self,
                            gsize         *length,
                            GError       **error)
{
  if (!expect (self, CD_JSON_KIND_STRING, error) ||
      !scan_string (self, SINK_STRING, length, error))
    return NULL;
  value_read (self, self->pos);
  return self->string;
}

/**
 * cd_json_reader_dup_string:
 * @self: a reader where a value comes next
 * @length: (out) (optional): the string's length in bytes
 * @error: a %CD_JSON_ERROR_UNEXPECTED when the value is not a string
 *
 * Returns: (transfer full): a copy of the unescaped string, or %NULL with
 *   @error set
 */
char *
cd_json_reader_dup_string (CdJsonReader  *self,
                           gsize         *length,
                           GError       **error)
{
  gsize n = 0;
  const char *s = cd_json_reader_read_string (self, &n, error);

  if (s == NULL)
    return NULL;
  if (length != NULL)
    *length = n;
  return g_memdup2 (s, n + 1);
}

/**
 * cd_json_reader_read_int:
 * @self: a reader where a value comes next
 * @value: (out): the integer
 * @error: a %CD_JSON_ERROR_UNEXPECTED when the value is not a number
 *   without fraction or exponent between %G_MININT64 and %G_MAXINT64
 *
 * Returns: whether @value was read
 */
gboolean
cd_json_reader_read_int (CdJsonReader  *self,
                         gint64        *value,
                         GError       **error)
{
  if (!expect (self, CD_JSON_KIND_INT, error))
    return FALSE;
  *value = self->int_value;
  value_read (self, self->token_end);
  return TRUE;
}

/**
 * cd_json_reader_read_double:
 * @self: a reader where a value comes next
 * @value: (out): the number
 * @error: a %CD_JSON_ERROR_UNEXPECTED when the value is not a number or
 *   too large for a double
 *
 * Returns: whether @value was read
 */
gboolean
cd_json_reader_read_double (CdJsonReader  *self,
                            double        *value,
                            GError       **error)
{
  CdJsonKind kind = cd_json_reader_peek (self, error);
  g_autofree char *heap = NULL;
  char buffer[64];
  const char *token;
  gsize n;
  double d;

  if (kind == CD_JSON_KIND_NONE)
    return FALSE;
  if (kind == CD_JSON_KIND_INT)
    {
      *value = (double) self->int_value;
      value_read (self, self->token_end);
      return TRUE;
    }
  if (kind != CD_JSON_KIND_DOUBLE)
    return unexpected (self, _("a number"), error);

  /* g_ascii_strtod() wants a terminated string; the text may go on. */
  n = self->token_end - self->pos;
  if (n < sizeof buffer)
    {
      memcpy (buffer, self->data + self->pos, n);
      buffer[n] = '\0';
      token = buffer;
    }
  else
    token = heap = g_strndup (self->data + self->pos, n);

  d = g_ascii_strtod (token, NULL);
  if (!isfinite (d))
    {
      g_set_error (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED,
                   _("The number at byte %zu is too large"), self->pos);
      return FALSE;
    }
  *value = d;
  value_read (self, self->token_end);
  return TRUE;
}

/**
 * cd_json_reader_read_boolean:
 * @self: a reader where a value comes next
 * @value: (out): the value
 * @error: a %CD_JSON_ERROR_UNEXPECTED when it is not `true` or `false`
 *
 * Returns: whether @value was read
 */
gboolean
cd_json_reader_read_boolean (CdJsonReader  *self,
                             gboolean      *value,
                             GError       **error)
{
  if (!expect (self, CD_JSON_KIND_BOOLEAN, error))
    return FALSE;
  *value = self->int_value != 0;
  value_read (self, self->token_end);
  return TRUE;
}

/**
 * cd_json_reader_read_null:
 * @self: a reader where a value comes next
 * @error: a %CD_JSON_ERROR_UNEXPECTED when it is not `null`
 *
 * Returns: whether a `null` was read
 */
gboolean
cd_json_reader_read_null (CdJsonReader  *self,
                          GError       **error)
{
  if (!expect (self, CD_JSON_KIND_NULL, error))
    return FALSE;
  value_read (self, self->token_end);
  return TRUE;
}

/**
 * cd_json_reader_skip:
 * @self: a reader where a value comes next
 * @error: a %CD_JSON_ERROR_INVALID when the value is not JSON
 *
 * Moves past the next value, whatever it is, checking it as strictly as
 * reading it would.
 *
 * Returns: whether the value was skipped
 */
gboolean
cd_json_reader_skip (CdJsonReader  *self,
                     GError       **error)
{
  guint base = self->depth;

  do
    {
      CdJsonKind kind = cd_json_reader_peek (self, error);

      switch (kind)
        {
        case CD_JSON_KIND_NONE:
          return FALSE;

        case CD_JSON_KIND_OBJECT:
        case CD_JSON_KIND_ARRAY:
          if (!begin_container (self, kind, error))
            return FALSE;
          break;

        case CD_JSON_KIND_STRING:
          if (!scan_string (self, SINK_NONE, NULL, error))
            return FALSE;
          value_read (self, self->pos);
          break;

        case CD_JSON_KIND_INT:
        case CD_JSON_KIND_DOUBLE:
        case CD_JSON_KIND_BOOLEAN:
        case CD_JSON_KIND_NULL:
        default:
          value_read (self, self->token_end);
          break;
        }

      /* Close what ends here, until a value comes next or the skipped
       * value itself is closed. */
      while (self->depth > base)
        {
          gboolean closed;

          if (self->stack[self->depth - 1] == CD_JSON_KIND_OBJECT &&
              self->state != STATE_VALUE)
            {
              gboolean first = self->state == STATE_FIRST;

              if (!step (self, '}', &closed, error))
                return FALSE;
              if (closed)
                continue;
              if (self->pos == self->len || self->data[self->pos] != '"')
                return fail (self, self->pos,
                             first ? _("expected a member name or “}”")
                                   : _("expected a member name"),
                             error);
              if (!scan_string (self, SINK_NONE, NULL, error))
                return FALSE;
              skip_space (self);
              if (self->pos == self->len || self->data[self->pos] != ':')
                return fail (self, self->pos, _("expected “:”"), error);
              self->pos++;
              self->state = STATE_VALUE;
              break;
            }
          else if (self->state != STATE_VALUE)
            {
              if (!step (self, ']', &closed, error))
                return FALSE;
              if (closed)
                continue;
              self->state = STATE_VALUE;
              break;
            }
          else
            break;
        }
    }
  while (self->depth > base);

  return TRUE;
}

/**
 * cd_json_reader_end:
 * @self: a reader that has read the document's value
 * @error: a %CD_JSON_ERROR_INVALID when anything but white space follows
 *
 * Returns: whether the document ended after its value
 */
gboolean
cd_json_reader_end (CdJsonReader  *self,
                    GError       **error)
{
  if (!check_not_failed (self, error))
    return FALSE;
  g_return_val_if_fail (self->state == STATE_DONE, FALSE);

  skip_space (self);
  if (self->pos != self->len)
    return fail (self, self->pos, _("unexpected text after the value"), error);
  return TRUE;
}

/* Writing {{{1 */

/**
 * cd_json_append_string:
 * @out: where to write
 * @s: a UTF-8 string
 *
 * Appends @s as a JSON string literal: quotes, backslashes and control
 * characters escaped, everything else (UTF-8 included) as it is. For the
 * same string it writes the same bytes as json-glib's generator, except
 * that it also escapes U+001F, which json-glib 1.6 leaves raw.
 */
void
cd_json_append_string (GString    *out,
                       const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const guchar *p = (const guchar *) s;

  g_string_append_c (out, '"');
  for (;;)
    {
      const guchar *run = p;

      while (write_plain[*p])
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);

      switch (*p)
        {
        case '\0':
          g_string_append_c (out, '"');
          return;
        case '"':
          g_string_append_len (out, "\\\"", 2);
          break;
        case '\\':
          g_string_append_len (out, "\\\\", 2);
          break;
        case '\b':
          g_string_append_len (out, "\\b", 2);
          break;
        case '\f':
          g_string_append_len (out, "\\f", 2);
          break;
        case '\n':
          g_string_append_len (out, "\\n", 2);
          break;
        case '\r':
          g_string_append_len (out, "\\r", 2);
          break;
        case '\t':
          g_string_append_len (out, "\\t", 2);
          break;
        default:
          {
            char escape[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xF] };

            g_string_append_len (out, escape, sizeof escape);
          }
          break;
        }
      p++;
    }
}

/**
 * cd_json_append_int:
 * @out: where to write
 * @value: an integer
 *
 * Appends @value in decimal, as a JSON number.
 */
void
cd_json_append_int (GString *out,
                    gint64   value)
{
  char buffer[24];
  char *q = buffer + sizeof buffer;
  guint64 magnitude = value < 0 ? 0 - (guint64) value : (guint64) value;

  do
    {
      *--q = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--q = '-';
  g_string_append_len (out, q, buffer + sizeof buffer - q);
}
