// SPDX-License-Identifier: GPL-3.0-or-later
//
// The strict JSON reader and writer (cd-json-reader.c), and what is built
// on them: the event payload's getters, the feed's events as the server
// writes them and the client's decoding of a feed page. json-glib is the
// reference throughout: whatever it reads from our text must be what we
// read, and what we write must be what its generator writes.

#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-client.h"
#include "cd-dispatch.h"
#include "cd-event.h"
#include "cd-json-reader.h"

#include "cd-test.h"

/* Helpers {{{1 */

/* Walks any document with the reader and writes it back compactly:
 * doubles with %.17g, everything else as cd_json_append_*() writes it. */
static gboolean
write_value (CdJsonReader  *reader,
             GString       *out,
             GError       **error)
{
  CdJsonKind kind = cd_json_reader_peek (reader, error);
  gboolean more;
  const char *name;
  const char *s;
  gboolean b;
  gint64 i;
  double d;

  switch (kind)
    {
    case CD_JSON_KIND_NONE:
      return FALSE;

    case CD_JSON_KIND_OBJECT:
      if (!cd_json_reader_begin_object (reader, error))
        return FALSE;
      g_string_append_c (out, '{');
      for (guint n = 0; ; n++)
        {
          if (!cd_json_reader_next_member (reader, &name, error))
            return FALSE;
          if (name == NULL)
            break;
          if (n > 0)
            g_string_append_c (out, ',');
          cd_json_append_string (out, name);
          g_string_append_c (out, ':');
          if (!write_value (reader, out, error))
            return FALSE;
        }
      g_string_append_c (out, '}');
      return TRUE;

    case CD_JSON_KIND_ARRAY:
      if (!cd_json_reader_begin_array (reader, error))
        return FALSE;
      g_string_append_c (out, '[');
      for (guint n = 0; ; n++)
        {
          if (!cd_json_reader_next_element (reader, &more, error))
            return FALSE;
          if (!more)
            break;
          if (n > 0)
            g_string_append_c (out, ',');
          if (!write_value (reader, out, error))
            return FALSE;
        }
      g_string_append_c (out, ']');
      return TRUE;

    case CD_JSON_KIND_STRING:
      if ((s = cd_json_reader_read_string (reader, NULL, error)) == NULL)
        return FALSE;
      cd_json_append_string (out, s);
      return TRUE;

    case CD_JSON_KIND_INT:
      if (!cd_json_reader_read_int (reader, &i, error))
        return FALSE;
      cd_json_append_int (out, i);
      return TRUE;

    case CD_JSON_KIND_DOUBLE:
      if (!cd_json_reader_read_double (reader, &d, error))
        return FALSE;
      g_string_append_printf (out, "%.17g", d);
      return TRUE;

    case CD_JSON_KIND_BOOLEAN:
      if (!cd_json_reader_read_boolean (reader, &b, error))
        return FALSE;
      g_string_append (out, b ? "true" : "false");
      return TRUE;

    case CD_JSON_KIND_NULL:
    default:
      if (!cd_json_reader_read_null (reader, error))
        return FALSE;
      g_string_append (out, "null");
      return TRUE;
    }
}

/* The reader must not look past @len: under AddressSanitizer an exact
 * copy with no NUL after it shows when it does. */
static char *
rewrite (const char  *text,
         gsize        len,
         GError     **error)
{
  g_auto(CdJsonReader) reader = { 0 };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *exact = g_memdup2 (text, len);

  cd_json_reader_init (&reader, exact, len);
  if (!write_value (&reader, out, error) || !cd_json_reader_end (&reader, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Skips the document instead of reading it. */
static gboolean
skip_all (const char  *text,
          gsize        len,
          GError     **error)
{
  g_auto(CdJsonReader) reader = { 0 };
  g_autofree char *exact = g_memdup2 (text, len);

  cd_json_reader_init (&reader, exact, len);
  return cd_json_reader_skip (&reader, error) && cd_json_reader_end (&reader, error);
}

static char *
nested (guint       depth,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

/* Valid documents {{{1 */

static void
test_valid (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{}", "{}" },
    { "[]", "[]" },
    { " \t\r\n[ 1 , 2 ]\n", "[1,2]" },
    { "\"x\"", "\"x\"" },
    { "0", "0" },
    { "-0", "0" },
    { "123", "123" },
    { "-123", "-123" },
    { "1.5", "1.5" },
    { "1e2", "100" },
    { "1E+2", "100" },
    { "-1.25e-2", "-0.012500000000000001" },
    { "0.0", "0" },
    { "true", "true" },
    { "false", "false" },
    { "null", "null" },
    { "{\"a\":[{\"b\":null}],\"c\":{},\"d\":[[],[[]]]}",
      "{\"a\":[{\"b\":null}],\"c\":{},\"d\":[[],[[]]]}" },
    { "{ \"a\" : 1 , \"b\" : [ true , false ] }", "{\"a\":1,\"b\":[true,false]}" },
    { "{\"a\":1,\"a\":2}", "{\"a\":1,\"a\":2}" },
    { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\"" },
    { "\"\\u0041\\u00e9\\u20AC\"", "\"Aé€\"" },
    { "\"\\ud83d\\ude00\"", "\"😀\"" },
    { "\"\\uD834\\uDD1E\"", "\"𝄞\"" },
    { "\"é€😀\"", "\"é€😀\"" },
    { "\"\x7f\"", "\"\\u007f\"" },
    { "\"\\u001f\"", "\"\\u001f\"" },
    { "{\"\\u00e9\":\"\"}", "{\"é\":\"\"}" },
    { "9223372036854775807", "9223372036854775807" },
    { "-9223372036854775808", "-9223372036854775808" },
    { "9223372036854775808", "9.2233720368547758e+18" },
    { "-9223372036854775809", "-9.2233720368547758e+18" },
    { "123456789012345678901234567890", "1.2345678901234568e+29" },
    { "1e-400", "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = rewrite (cases[i].text, strlen (cases[i].text), &error);

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].expected);
      g_assert_true (skip_all (cases[i].text, strlen (cases[i].text), &error));
      g_assert_no_error (error);
    }
}

/* Invalid documents {{{1 */

static void
test_invalid (void)
{
  static const struct {
    const char *text;
    gssize      len;  /* -1: up to the NUL */
    gsize       offset;
    const char *what;
  } cases[] = {
    { "", -1, 0, "ends where a value should be" },
    { "   ", -1, 3, "ends where a value should be" },
    { "[", -1, 1, "ends where a value should be" },
    { "[1,", -1, 3, "ends where a value should be" },
    { "[1,]", -1, 3, "expected a value" },
    { "[,1]", -1, 1, "expected a value" },
    { "[1 2]", -1, 3, "expected “,” or “]”" },
    { "[1}", -1, 2, "expected “,” or “]”" },
    { "[1]]", -1, 3, "after the value" },
    { "[1] x", -1, 4, "after the value" },
    { "[1],", -1, 3, "after the value" },
    { "{", -1, 1, "member name or “}”" },
    { "{,}", -1, 1, "member name or “}”" },
    { "{\"a\":1,}", -1, 7, "expected a member name" },
    { "{\"a\" 1}", -1, 5, "expected “:”" },
    { "{\"a\"", -1, 4, "expected “:”" },
    { "{\"a\":", -1, 5, "ends where a value should be" },
    { "{\"a\":1]", -1, 6, "expected “,” or “}”" },
    { "{\"a\":1}}", -1, 7, "after the value" },
    { "{a:1}", -1, 1, "member name or “}”" },
    { "{'a':1}", -1, 1, "member name or “}”" },
    { "[01]", -1, 1, "start with a zero" },
    { "[-01]", -1, 2, "start with a zero" },
    { "[-]", -1, 2, "expected a digit" },
    { "-", -1, 1, "expected a digit" },
    { "[1.]", -1, 3, "after the decimal point" },
    { "[1.e5]", -1, 3, "after the decimal point" },
    { "[.5]", -1, 1, "expected a value" },
    { "[+1]", -1, 1, "expected a value" },
    { "[1e]", -1, 3, "in the exponent" },
    { "[1e+]", -1, 4, "in the exponent" },
    { "[0x10]", -1, 2, "expected “,” or “]”" },
    { "[NaN]", -1, 1, "expected a value" },
    { "[Infinity]", -1, 1, "expected a value" },
    { "[tru]", -1, 1, "expected a value" },
    { "[nul]", -1, 1, "expected a value" },
    { "[True]", -1, 1, "expected a value" },
    { "\"abc", -1, 0, "does not end" },
    { "\"\\", -1, 0, "does not end" },
    { "[\"a\x01" "b\"]", -1, 3, "control character" },
    { "[\"a\x1f" "b\"]", -1, 3, "control character" },
    { "[\"a\tb\"]", -1, 3, "control character" },
    { "[\"a\nb\"]", -1, 3, "control character" },
    { "[\"\\x\"]", -1, 2, "unknown escape" },
    { "[\"\\U0041\"]", -1, 2, "unknown escape" },
    { "[\"\\u12\"]", -1, 2, "four hexadecimal digits" },
    { "[\"\\u12g4\"]", -1, 2, "four hexadecimal digits" },
    { "[\"\\ud800\"]", -1, 2, "high surrogate" },
    { "[\"\\ud800\\u0041\"]", -1, 2, "high surrogate" },
    { "[\"\\ud800\\ud800\"]", -1, 2, "high surrogate" },
    { "[\"\\ud800x\"]", -1, 2, "high surrogate" },
    { "[\"\\udc00\"]", -1, 2, "low surrogate" },
    { "[\"\\udfff\\ud800\"]", -1, 2, "low surrogate" },
    { "[\"\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xc0\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xc1\xbf\"]", -1, 2, "UTF-8" },
    { "[\"\xe0\x80\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xed\xa0\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xf0\x80\x80\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xf4\x90\x80\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xf5\x80\x80\x80\"]", -1, 2, "UTF-8" },
    { "[\"\xe2\x82\"]", -1, 2, "UTF-8" },
    { "[\"\xe2\x82", -1, 2, "UTF-8" },
    { "[\"ab\xff\"]", -1, 4, "UTF-8" },
    { "\xef\xbb\xbf[1]", -1, 0, "expected a value" },
    { "//c\n[1]", -1, 0, "expected a value" },
    { "/*c*/[1]", -1, 0, "expected a value" },
    { "[1,\0]", 5, 3, "expected a value" },
    { "[1]\0", 4, 3, "after the value" },
    { "[\"a\0b\"]", 7, 3, "control character" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].len < 0 ? strlen (cases[i].text) : (gsize) cases[i].len;
      g_autofree char *at = g_strdup_printf ("at byte %" G_GSIZE_FORMAT ":", cases[i].offset);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) skip_error = NULL;
      g_autofree char *out = rewrite (cases[i].text, len, &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (out);
      g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, at));
      g_assert_nonnull (strstr (error->message, cases[i].what));

      /* Skipping checks as strictly as reading. */
      g_assert_false (skip_all (cases[i].text, len, &skip_error));
      g_assert_error (skip_error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID);
      g_assert_cmpstr (skip_error->message, ==, error->message);

      /* json-glib refuses them too, where it is strict itself. */
      if (strstr (cases[i].what, "UTF-8") != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();

          g_assert_false (json_parser_load_from_data (parser, cases[i].text, len, NULL) &&
                          json_parser_get_root (parser) != NULL);
        }
    }
}

/* After the text turned out not to be JSON, nothing more is read. */
static void
test_failed_stays_failed (void)
{
  g_auto(CdJsonReader) reader = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean more;
  gint64 value;

  cd_json_reader_init (&reader, "[1,x,2]", 7);
  g_assert_true (cd_json_reader_begin_array (&reader, NULL));
  g_assert_true (cd_json_reader_next_element (&reader, &more, NULL));
  g_assert_true (cd_json_reader_read_int (&reader, &value, NULL));
  g_assert_true (cd_json_reader_next_element (&reader, &more, NULL));
  g_assert_false (cd_json_reader_read_int (&reader, &value, &error));
  g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cd_json_reader_skip (&reader, &error));
  g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "earlier error"));
}

/* Depth {{{1 */

static void
test_depth (void)
{
  static const struct {
    const char *open;
    const char *inner;
    const char *close;
  } shapes[] = {
    { "[", "", "]" },
    { "[", "1", "]" },
    { "{\"a\":", "{}", "}" },
    { "[{\"a\":", "null", "}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      guint per_level = g_str_equal (shapes[i].open, "[{\"a\":") ? 2 : 1;
      guint extra = g_str_equal (shapes[i].inner, "{}") ? 1 : 0;
      guint levels = (CD_JSON_MAX_DEPTH - extra) / per_level;
      g_autofree char *deep = nested (levels, shapes[i].open, shapes[i].inner, shapes[i].close);
      g_autofree char *deeper = nested (levels + 1, shapes[i].open, shapes[i].inner,
                                        shapes[i].close);
      g_autoptr(GError) error = NULL;
      g_autofree char *out = rewrite (deep, strlen (deep), &error);
      g_autofree char *refused = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, deep);
      g_assert_true (skip_all (deep, strlen (deep), &error));
      g_assert_no_error (error);

      refused = rewrite (deeper, strlen (deeper), &error);
      g_assert_null (refused);
      g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "at byte"));
      g_clear_error (&error);
      g_assert_false (skip_all (deeper, strlen (deeper), &error));
      g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP);
    }

  /* A hostile document is refused at the limit, not walked to its end. */
  {
    g_autofree char *huge = nested (1000000, "[", "", "]");
    g_autoptr(GError) error = NULL;
    g_autofree char *expected = g_strdup_printf ("at byte %d:", CD_JSON_MAX_DEPTH);

    g_assert_false (skip_all (huge, strlen (huge), &error));
    g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP);
    g_assert_nonnull (strstr (error->message, expected));
  }
}

/* Numbers and kinds {{{1 */

static void
test_numbers (void)
{
  static const struct {
    const char *text;
    CdJsonKind  kind;
    gint64      integer;
    double      number;
  } cases[] = {
    { "0", CD_JSON_KIND_INT, 0, 0 },
    { "-0", CD_JSON_KIND_INT, 0, 0 },
    { "7", CD_JSON_KIND_INT, 7, 7 },
    { "9223372036854775807", CD_JSON_KIND_INT, G_MAXINT64, 9223372036854775807.0 },
    { "-9223372036854775808", CD_JSON_KIND_INT, G_MININT64, -9223372036854775808.0 },
    { "9223372036854775808", CD_JSON_KIND_DOUBLE, 0, 9223372036854775808.0 },
    { "-9223372036854775809", CD_JSON_KIND_DOUBLE, 0, -9223372036854775809.0 },
    { "18446744073709551616", CD_JSON_KIND_DOUBLE, 0, 18446744073709551616.0 },
    { "1.0", CD_JSON_KIND_DOUBLE, 0, 1.0 },
    { "1e0", CD_JSON_KIND_DOUBLE, 0, 1.0 },
    { "-2.5E-3", CD_JSON_KIND_DOUBLE, 0, -2.5e-3 },
    { "53.942086935703735", CD_JSON_KIND_DOUBLE, 0, 53.942086935703735 },
    { "1.7976931348623157e308", CD_JSON_KIND_DOUBLE, 0, 1.7976931348623157e308 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CdJsonReader) reader = { 0 };
      g_autoptr(GError) error = NULL;
      gint64 integer = -1;
      double number = -1;

      g_test_message ("%s", cases[i].text);
      cd_json_reader_init (&reader, cases[i].text, strlen (cases[i].text));
      g_assert_cmpint (cd_json_reader_peek (&reader, &error), ==, cases[i].kind);
      if (cases[i].kind == CD_JSON_KIND_INT)
        {
          g_assert_true (cd_json_reader_read_int (&reader, &integer, &error));
          g_assert_cmpint (integer, ==, cases[i].integer);
        }
      else
        {
          /* Refused as an integer, and the reader has not moved. */
          g_assert_false (cd_json_reader_read_int (&reader, &integer, &error));
          g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED);
          g_assert_nonnull (strstr (error->message, "an integer at byte 0"));
          g_clear_error (&error);
          g_assert_true (cd_json_reader_read_double (&reader, &number, &error));
          g_assert_cmpfloat (number, ==, cases[i].number);
        }
      g_assert_no_error (error);
      g_assert_true (cd_json_reader_end (&reader, &error));
      g_assert_no_error (error);
    }

  /* Integers read as doubles too. */
  {
    g_auto(CdJsonReader) reader = { 0 };
    double number = 0;

    cd_json_reader_init (&reader, " -42 ", 5);
    g_assert_true (cd_json_reader_read_double (&reader, &number, NULL));
    g_assert_cmpfloat (number, ==, -42.0);
    g_assert_true (cd_json_reader_end (&reader, NULL));
  }

  /* Beyond a double. */
  {
    g_auto(CdJsonReader) reader = { 0 };
    g_autoptr(GError) error = NULL;
    double number = 0;

    cd_json_reader_init (&reader, "[1e400]", 7);
    g_assert_true (cd_json_reader_begin_array (&reader, NULL));
    g_assert_true (cd_json_reader_next_element (&reader, &(gboolean) { FALSE }, NULL));
    g_assert_false (cd_json_reader_read_double (&reader, &number, &error));
    g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED);
    g_assert_nonnull (strstr (error->message, "byte 1"));
  }
}

static void
test_kinds (void)
{
  static const struct {
    const char *text;
    CdJsonKind  kind;
  } cases[] = {
    { "  {}", CD_JSON_KIND_OBJECT },
    { "  []", CD_JSON_KIND_ARRAY },
    { "  \"\"", CD_JSON_KIND_STRING },
    { "  1", CD_JSON_KIND_INT },
    { "  1.5", CD_JSON_KIND_DOUBLE },
    { "  true", CD_JSON_KIND_BOOLEAN },
    { "  false", CD_JSON_KIND_BOOLEAN },
    { "  null", CD_JSON_KIND_NULL },
  };

  /* Every read but the right one refuses, names byte 2 and leaves the
   * value to be skipped. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (CdJsonKind want = CD_JSON_KIND_OBJECT; want <= CD_JSON_KIND_NULL; want++)
      {
        g_auto(CdJsonReader) reader = { 0 };
        g_autoptr(GError) error = NULL;
        gboolean ok = FALSE;
        gboolean b;
        gint64 n;
        double d;

        cd_json_reader_init (&reader, cases[i].text, strlen (cases[i].text));
        switch (want)
          {
          case CD_JSON_KIND_OBJECT:
            ok = cd_json_reader_begin_object (&reader, &error);
            break;
          case CD_JSON_KIND_ARRAY:
            ok = cd_json_reader_begin_array (&reader, &error);
            break;
          case CD_JSON_KIND_STRING:
            ok = cd_json_reader_read_string (&reader, NULL, &error) != NULL;
            break;
          case CD_JSON_KIND_INT:
            ok = cd_json_reader_read_int (&reader, &n, &error);
            break;
          case CD_JSON_KIND_DOUBLE:
            ok = cd_json_reader_read_double (&reader, &d, &error);
            break;
          case CD_JSON_KIND_BOOLEAN:
            ok = cd_json_reader_read_boolean (&reader, &b, &error);
            break;
          case CD_JSON_KIND_NULL:
          case CD_JSON_KIND_NONE:
          default:
            ok = cd_json_reader_read_null (&reader, &error);
            break;
          }

        if (want == cases[i].kind ||
            (want == CD_JSON_KIND_DOUBLE && cases[i].kind == CD_JSON_KIND_INT))
          {
            g_assert_no_error (error);
            g_assert_true (ok);
            continue;
          }
        g_assert_false (ok);
        g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED);
        g_assert_nonnull (strstr (error->message, "at byte 2,"));
        g_clear_error (&error);
        g_assert_true (cd_json_reader_skip (&reader, &error));
        g_assert_true (cd_json_reader_end (&reader, &error));
        g_assert_no_error (error);
      }
}

static void
test_skip (void)
{
  static const char text[] =
      "{\"a\":{\"x\":[1,{\"y\":\"z\\\"}\"}],\"w\":{}},\"b\":[[],{}],\"c\":2,\"d\":\"e\"}";
  g_auto(CdJsonReader) reader = { 0 };
  const char *name;
  gint64 value = 0;

  cd_json_reader_init (&reader, text, strlen (text));
  g_assert_true (cd_json_reader_begin_object (&reader, NULL));
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_cmpstr (name, ==, "a");
  g_assert_true (cd_json_reader_skip (&reader, NULL));
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_cmpstr (name, ==, "b");
  g_assert_true (cd_json_reader_skip (&reader, NULL));
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_cmpstr (name, ==, "c");
  g_assert_true (cd_json_reader_read_int (&reader, &value, NULL));
  g_assert_cmpint (value, ==, 2);
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_cmpstr (name, ==, "d");
  g_assert_true (cd_json_reader_skip (&reader, NULL));
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_null (name);
  g_assert_true (cd_json_reader_end (&reader, NULL));
  g_assert_cmpuint (cd_json_reader_get_offset (&reader), ==, strlen (text));
}

/* Strings {{{1 */

static void
test_strings (void)
{
  g_autoptr(GString) text = g_string_new ("{\"");
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GString) long_value = g_string_new (NULL);
  g_auto(CdJsonReader) reader = { 0 };
  g_autofree char *copy = NULL;
  const char *name;
  const char *value;
  gsize len = 0;

  /* Longer than the inline buffers, escapes across their ends. */
  for (guint i = 0; i < 500; i++)
    {
      g_string_append (text, "n\\u00e9");
      g_string_append (long_name, "né");
    }
  g_string_append (text, "\":\"");
  for (guint i = 0; i < 5000; i++)
    {
      g_string_append (text, "ab\\\"\\\\\\n€");
      g_string_append (long_value, "ab\"\\\n€");
    }
  g_string_append (text, "\",\"nul\":\"a\\u0000b\"}");

  cd_json_reader_init (&reader, text->str, text->len);
  g_assert_true (cd_json_reader_begin_object (&reader, NULL));
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_cmpstr (name, ==, long_name->str);
  value = cd_json_reader_read_string (&reader, &len, NULL);
  g_assert_cmpstr (value, ==, long_value->str);
  g_assert_cmpuint (len, ==, long_value->len);

  /* A NUL from \u0000 stays in the string; its length says so. */
  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_cmpstr (name, ==, "nul");
  copy = cd_json_reader_dup_string (&reader, &len, NULL);
  g_assert_cmpuint (len, ==, 3);
  g_assert_cmpmem (copy, 4, "a\0b", 4);

  g_assert_true (cd_json_reader_next_member (&reader, &name, NULL));
  g_assert_null (name);
  g_assert_true (cd_json_reader_end (&reader, NULL));
}

/* The writer {{{1 */

static void
append_random_char (GString *s,
                    GRand   *rand)
{
  static const char specials[] = "\"\\/\b\f\n\r\t\x1f\x7f \x01";
  gunichar c;

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      g_string_append_c (s, specials[g_rand_int_range (rand, 0, sizeof specials - 1)]);
      return;
    case 1:
      c = g_rand_int_range (rand, 1, 0x20);
      break;
    case 2:
      c = g_rand_int_range (rand, 0x20, 0x80);
      break;
    case 3:
      c = g_rand_int_range (rand, 0x80, 0x800);
      break;
    case 4:
      do
        c = g_rand_int_range (rand, 0x800, 0x10000);
      while (c >= 0xD800 && c <= 0xDFFF);
      break;
    default:
      c = g_rand_int_range (rand, 0x10000, 0x110000);
      break;
    }
  g_string_append_unichar (s, c);
}

static void
test_writer_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (311);
  guint same_as_json_glib = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      g_autoptr(GString) written = g_string_new (NULL);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(CdJsonReader) reader = { 0 };
      guint n = g_rand_int_range (rand, 0, 64);
      const char *back;
      gsize len = 0;

      for (guint k = 0; k < n; k++)
        append_random_char (s, rand);
      g_assert_true (g_utf8_validate (s->str, s->len, NULL));

      cd_json_append_string (written, s->str);

      /* json-glib reads back the same string... */
      node = json_from_string (written->str, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json_node_get_string (node), ==, s->str);

      /* ...and so does the reader... */
      cd_json_reader_init (&reader, written->str, written->len);
      back = cd_json_reader_read_string (&reader, &len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (len, ==, s->len);
      g_assert_cmpmem (back, len, s->str, s->len);
      g_assert_true (cd_json_reader_end (&reader, &error));

      /* ...and json-glib's generator writes the same bytes, but for
       * U+001F, which json-glib 1.6 does not escape (an invalid JSON). */
      if (strchr (s->str, 0x1f) == NULL)
        {
          g_autofree char *generated = json_to_string (node, FALSE);

          g_assert_cmpstr (written->str, ==, generated);
          same_as_json_glib++;
        }
    }
  g_test_message ("%u strings compared byte for byte with json-glib", same_as_json_glib);
  g_assert_cmpuint (same_as_json_glib, >, 100);
}

static void
test_writer_ints (void)
{
  static const gint64 values[] = { 0, 1, -1, 9, 10,
                                   -10, 1760497833, G_MAXINT64, G_MININT64, G_MININT64 + 1 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonNode) node = json_node_init_int (json_node_alloc (), values[i]);
      g_autofree char *generated = json_to_string (node, FALSE);

      cd_json_append_int (out, values[i]);
      g_assert_cmpstr (out->str, ==, generated);
    }
}

/* Events {{{1 */

static GPtrArray *
odd_events (void)
{
  static const char * const odd[] = {
    "plain",
    "quote \" backslash \\ slash /",
    "controls \b\f\n\r\t\x01\x7f",
    "Минск, ул. Энергетиков 😀",
    "",
  };
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);

  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autoptr(JsonObject) payload = json_object_new ();
      CdEvent *event;

      json_object_set_string_member (payload, "note", odd[i]);
      json_object_set_double_member (payload, "lat", 53.942086935703735);
      json_object_set_int_member (payload, "due", G_MAXINT64 - i);
      event = cd_event_new (odd[(i + 1) % G_N_ELEMENTS (odd)], odd[(i + 2) % G_N_ELEMENTS (odd)],
                            odd[i], odd[(i + 3) % G_N_ELEMENTS (odd)], G_MININT64 + i, payload);
      event->seq = i * 1000003;
      g_strlcpy (event->hash, "4bda29986115e4f140122115e70643917e0d4e9790dd6c5443db65b5e51bb4ef",
                 sizeof event->hash);
      g_ptr_array_add (events, event);
    }
  g_ptr_array_add (events,
                   cd_event_new_stored (
                       2000001, "1e0977f4-3349-483c-8b70-2078555dbbb7", "register", "operator07",
                       "operator", 1760497833,
                       "{\"number\":\"2025-311309\",\"lat\":53.9,\"name\":\"A \\\"B\\\"\"}", NULL));
  /* Personal data apart (journal format 2), as stored and masked. */
  {
    CdEvent *event =
        cd_event_new_stored (2000002, "1e0977f4-3349-483c-8b70-2078555dbbb7", "register",
                             "operator07", "operator", 1760497833, "{\"number\":\"2025-311310\"}",
                             "4bda29986115e4f140122115e70643917e0d4e9790dd6c5443db65b5e51bb4ef");

    cd_event_set_personal (
        event, "{\"name\":\"Ірина \\\"К\\\"\",\"phone\":\"+375 29 123-45-67\",\"salt\":\"00ff\"}",
        NULL);
    g_ptr_array_add (events, cd_event_for_role (event, "qc"));
    g_ptr_array_add (events, event);
  }
  return events;
}

static void
assert_same_event (CdEvent *a,
                   CdEvent *b)
{
  g_assert_cmpint (a->seq, ==, b->seq);
  g_assert_cmpstr (a->entity, ==, b->entity);
  g_assert_cmpstr (a->type, ==, b->type);
  g_assert_cmpstr (a->actor, ==, b->actor);
  g_assert_cmpstr (a->role, ==, b->role);
  g_assert_cmpint (a->time, ==, b->time);
  g_assert_cmpstr (a->payload, ==, b->payload);
  g_assert_cmpstr (a->hash, ==, b->hash);
  g_assert_cmpstr (a->personal, ==, b->personal);
  g_assert_cmpstr (a->personal_hash, ==, b->personal_hash);
}

static void
test_event_append_json (void)
{
  g_autoptr(GPtrArray) events = odd_events ();

  for (guint i = 0; i < events->len; i++)
    {
      CdEvent *event = g_ptr_array_index (events, i);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonObject) object = cd_event_to_json (event);
      g_autoptr(JsonNode) expected = json_node_init_object (json_node_alloc (), object);
      g_autofree char *generated = json_to_string (expected, FALSE);
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(CdEvent) back = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(CdJsonReader) reader = { 0 };

      cd_event_append_json (event, out);
      g_assert_cmpstr (out->str, ==, generated);
      parsed = json_from_string (out->str, &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (parsed, expected));

      cd_json_reader_init (&reader, out->str, out->len);
      back = cd_event_read_json (&reader, &error);
      g_assert_no_error (error);
      g_assert_true (cd_json_reader_end (&reader, &error));
      assert_same_event (back, event);
    }
}

/* A page as handle_events() in cd-server-api.c writes it. */
static void
test_event_page (void)
{
  g_autoptr(GPtrArray) events = odd_events ();
  g_autoptr(GString) out = g_string_new ("{\"events\":[");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *page;
  JsonArray *array;

  for (guint i = 0; i < events->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      cd_event_append_json (g_ptr_array_index (events, i), out);
    }
  g_string_append (out, "],\"last\":");
  cd_json_append_int (out, 2000001);
  g_string_append (out, ",\"head\":");
  cd_json_append_int (out, 2586205);
  g_string_append (out, ",\"more\":true}");

  root = json_from_string (out->str, &error);
  g_assert_no_error (error);
  page = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (page, "last"), ==, 2000001);
  g_assert_cmpint (json_object_get_int_member (page, "head"), ==, 2586205);
  g_assert_true (json_object_get_boolean_member (page, "more"));
  array = json_object_get_array_member (page, "events");
  g_assert_cmpuint (json_array_get_length (array), ==, events->len);
  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(CdEvent) back = cd_event_new_from_json (json_array_get_object_element (array, i),
                                                         &error);

      g_assert_no_error (error);
      assert_same_event (back, g_ptr_array_index (events, i));
    }
}

static void
test_event_read_errors (void)
{
  static const struct {
    const char *text;
    const char *message;  /* NULL: read */
  } cases[] = {
    { "{\"seq\":1,\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\",\"time\":2,"
      "\"payload\":\"{}\",\"hash\":\"h\"}",
      NULL },
    { "{\"hash\":\"h\",\"payload\":\"{}\",\"time\":2,\"role\":\"r\",\"actor\":\"a\",\"type\":\"t\","
      "\"entity\":\"e\",\"seq\":1,"
      "\"extra\":{\"x\":[1,2,{\"y\":null}]},\"more\":1.5}",
      NULL },
    { "{\"seq\":1,\"entity\":\"x\",\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\","
      "\"time\":2,\"payload\":\"{}\",\"hash\":\"h\"}",
      NULL },
    { "{}", "An event in the feed has no string “entity”" },
    { "{\"seq\":1,\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\",\"time\":2,"
      "\"payload\":\"{}\"}",
      "An event in the feed has no string “hash”" },
    { "{\"seq\":1,\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\",\"time\":2,"
      "\"payload\":{},\"hash\":\"h\"}",
      "An event in the feed has no string “payload”" },
    { "{\"seq\":1,\"entity\":\"e\",\"type\":\"t\",\"actor\":null,\"role\":\"r\",\"time\":2,"
      "\"payload\":\"{}\",\"hash\":\"h\"}",
      "An event in the feed has no string “actor”" },
    { "{\"seq\":\"1\",\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\",\"time\":2,"
      "\"payload\":\"{}\",\"hash\":\"h\"}",
      "An event in the feed has no integer “seq”" },
    { "{\"seq\":1,\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\",\"time\":2.0,"
      "\"payload\":\"{}\",\"hash\":\"h\"}",
      "An event in the feed has no integer “time”" },
    { "{\"seq\":1,\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\",\"payload\":\"{}"
      "\",\"hash\":\"h\"}",
      "An event in the feed has no integer “time”" },
    /* The last of a name counts, as in json-glib. */
    { "{\"seq\":1,\"entity\":\"e\",\"entity\":7,\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\","
      "\"time\":2,\"payload\":\"{}\",\"hash\":\"h\"}",
      "An event in the feed has no string “entity”" },
    /* Strings are checked before integers. */
    { "{\"seq\":true,\"type\":\"t\"}", "An event in the feed has no string “entity”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat ("[", cases[i].text, ",42]", NULL);
      g_autoptr(JsonNode) node = json_from_string (cases[i].text, NULL);
      g_autoptr(CdEvent) event = NULL;
      g_autoptr(CdEvent) reference = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) reference_error = NULL;
      g_auto(CdJsonReader) reader = { 0 };
      gboolean more;
      gint64 after = 0;

      g_test_message ("%s", cases[i].text);
      cd_json_reader_init (&reader, text, strlen (text));
      g_assert_true (cd_json_reader_begin_array (&reader, NULL));
      g_assert_true (cd_json_reader_next_element (&reader, &more, NULL));
      event = cd_event_read_json (&reader, &error);

      /* The same verdict as through a json-glib tree. */
      reference = cd_event_new_from_json (json_node_get_object (node), &reference_error);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_no_error (reference_error);
          assert_same_event (event, reference);
          g_assert_cmpstr (event->entity, ==, "e");
        }
      else
        {
          g_assert_null (event);
          g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD);
          g_assert_cmpstr (error->message, ==, cases[i].message);
          g_assert_error (reference_error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD);
          g_assert_cmpstr (reference_error->message, ==, cases[i].message);
        }

      /* Either way the whole event was read. */
      g_assert_true (cd_json_reader_next_element (&reader, &more, NULL));
      g_assert_true (more);
      g_assert_true (cd_json_reader_read_int (&reader, &after, NULL));
      g_assert_cmpint (after, ==, 42);
    }
}

/* The payload's getters {{{1 */

/* What the getters returned when they read json-glib's tree. */
static const char *
reference_string (JsonObject *data,
                  const char *member)
{
  JsonNode *node;
  const char *value;

  if (data == NULL || (node = json_object_get_member (data, member)) == NULL ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  value = json_node_get_string (node);
  return value != NULL && *value != '\0' ? value : NULL;
}

static gint64
reference_int (JsonObject *data,
               const char *member,
               gint64      fallback)
{
  JsonNode *node;

  if (data == NULL || (node = json_object_get_member (data, member)) == NULL ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static double
reference_double (JsonObject *data,
                  const char *member,
                  double      fallback)
{
  JsonNode *node;
  GType type;

  if (data == NULL || (node = json_object_get_member (data, member)) == NULL)
    return fallback;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return fallback;
  return json_node_get_double (node);
}

static JsonObject *
reference_data (const char  *payload,
                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, payload, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                           "not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static void
check_payload (const char *payload,
               const char *error_part)
{
  static const char * const members[] = {
    "s", "empty", "n", "d", "b", "z", "o", "a", "missing", "nul", "é", "",
  };
  g_autoptr(JsonObject) reference = reference_data (payload, NULL);
  g_autoptr(CdEvent) event = cd_event_new_stored (7, "e", "comment", "a", "qc", 1, payload, NULL);
  g_autoptr(CdEvent) fresh = cd_event_new_stored (7, "e", "comment", "a", "qc", 1, payload, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  JsonObject *data;

  g_test_message ("payload %s", payload);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_assert_cmpstr (cd_event_get_string (event, members[i]), ==,
                       reference_string (reference, members[i]));
      g_assert_cmpint (cd_event_get_int (event, members[i], -5), ==,
                       reference_int (reference, members[i], -5));
      {
        gint64 value = -7;
        gboolean found = cd_event_lookup_int (event, members[i], &value);

        /* Found exactly when the member is an integer, whatever the fallback. */
        g_assert_cmpint (found, ==,
                         reference_int (reference, members[i], 1) ==
                             reference_int (reference, members[i], 2));
        g_assert_cmpint (value, ==, found ? reference_int (reference, members[i], 0) : -7);
      }
      g_assert_cmpfloat (cd_event_get_double (event, members[i], -0.5), ==,
                         reference_double (reference, members[i], -0.5));
      g_assert_cmpint (cd_event_has_member (event, members[i]), ==,
                       reference != NULL && json_object_has_member (reference, members[i]));
    }

  /* The tree is json-glib's, whichever way it was built. */
  data = cd_event_get_data (event, &error);
  g_assert_cmpint (cd_event_check_payload (fresh, &check_error), ==, reference != NULL);
  if (reference != NULL)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), data);
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), reference);

      g_assert_no_error (error);
      g_assert_no_error (check_error);
      g_assert_true (json_node_equal (a, b));
      g_assert_null (error_part);
    }
  else
    {
      g_assert_null (data);
      g_assert_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD);
      g_assert_error (check_error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD);
      g_assert_cmpstr (error->message, ==, check_error->message);
      g_assert_nonnull (strstr (error->message, "event 7"));
      g_assert_nonnull (strstr (error->message, error_part));
    }
}

static void
test_payload_getters (void)
{
  static const struct {
    const char *payload;
    const char *error_part;
  } cases[] = {
    { "{}", NULL },
    { "{\"s\":\"x\",\"empty\":\"\",\"n\":-12,\"d\":2.5,\"b\":true,\"z\":null,\"é\":\"e\",\"\":"
      "\"blank\"}",
      NULL },
    { "{\"s\":\"Минск \\\"q\\\" \\u00e9\\ud83d\\ude00\",\"n\":9223372036854775807,\"d\":-0.0}",
      NULL },
    { "{\"n\":\"12\",\"d\":\"2.5\",\"s\":12,\"b\":false}", NULL },
    { "{\"s\":\"a\",\"s\":\"b\",\"n\":1,\"n\":\"x\"}", NULL },
    { "{\"nul\":\"\\u0000x\",\"s\":\"a\\u0000b\"}", NULL },
    { "{\"d\":1e2,\"n\":1.0,\"z\":-9223372036854775808}", NULL },
    { "{\"lat\":53.942086935703735,\"lon\":27.661412971287955,\"d\":0.1}", NULL },
    /* Nested values: the getters skip them, the tree has them. */
    { "{\"o\":{\"s\":\"inner\",\"n\":1},\"a\":[1,\"s\",{}],\"s\":\"outer\"}", NULL },
    /* Not strict JSON, but json-glib took it before: still read the same. */
    { "{\"s\":\"raw\x1f"
      "control\",\"n\":3}",
      NULL },
    { "{\"s\":\"tab\tinside\"}", NULL },
    { "/* comment */ {\"n\":4}", NULL },
    { "{'s':'single'}", NULL },
    { "{\"n\":01}", NULL },
    /* Not objects. */
    { "[1,2]", "JSON object" },
    { "\"text\"", "JSON object" },
    { "42", "JSON object" },
    { "", "JSON object" },
    { "{\"s\":", "not JSON" },
    { "{\"s\":\"x\"", "not JSON" },
    { "nonsense", "not JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_payload (cases[i].payload, cases[i].error_part);
}

/* More members and longer strings than the cache's builder holds on the
 * stack. */
static void
test_payload_large (void)
{
  g_autoptr(GString) payload = g_string_new ("{");
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(JsonObject) reference = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  JsonObject *data;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *value = g_strnfill (i * 7, 'a' + i % 26);

      if (i > 0)
        g_string_append_c (payload, ',');
      g_string_append_printf (payload, "\"s%u\":\"%s\",\"n%u\":%u", i, value, i, i * 3);
    }
  g_string_append_c (payload, '}');

  event = cd_event_new_stored (1, "e", "comment", "a", "qc", 1, payload->str, NULL);
  reference = reference_data (payload->str, NULL);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *s = g_strdup_printf ("s%u", i);
      g_autofree char *n = g_strdup_printf ("n%u", i);

      g_assert_cmpstr (cd_event_get_string (event, s), ==, reference_string (reference, s));
      g_assert_cmpint (cd_event_get_int (event, n, -1), ==, i * 3);
    }
  data = cd_event_get_data (event, NULL);
  g_assert_cmpuint (json_object_get_size (data), ==, 200);
  a = json_node_init_object (json_node_alloc (), data);
  b = json_node_init_object (json_node_alloc (), reference);
  g_assert_true (json_node_equal (a, b));
}

/* Doubles read exactly as json-glib reads them. */
static void
test_payload_doubles (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2025);

  for (guint i = 0; i < 3000; i++)
    {
      double value = (g_rand_double (rand) - 0.5) * pow (10.0, g_rand_int_range (rand, -30, 30));
      g_autofree char *payload = g_strdup_printf ("{\"d\":%.*g}", g_rand_int_range (rand, 1, 18),
                                                  value);
      g_autoptr(JsonObject) reference = reference_data (payload, NULL);
      g_autoptr(CdEvent) event = cd_event_new_stored (1, "e", "comment", "a", "qc", 1, payload,
                                                       NULL);

      g_assert_nonnull (reference);
      g_assert_cmpfloat (cd_event_get_double (event, "d", NAN), ==,
                         reference_double (reference, "d", NAN));
    }
}

/* An event made from a JsonObject reads its own serialization. */
static void
test_payload_new (void)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdEvent) event = NULL;

  json_object_set_string_member (payload, "executor", "zhes-1");
  json_object_set_int_member (payload, "days", 3);
  event = cd_event_new ("e", "assign", "a", "operator", 1, payload);
  g_assert_cmpstr (cd_event_get_string (event, "executor"), ==, "zhes-1");
  g_assert_cmpint (cd_event_get_int (event, "days", 0), ==, 3);
  g_assert_true (cd_event_get_data (event, NULL) == payload);
}

/* The client's decoding of a page {{{1 */

#define EVENT(seq)                                                                           \
  "{\"seq\":" #seq ",\"entity\":\"e\",\"type\":\"comment\",\"actor\":\"a\",\"role\":\"qc\"," \
  "\"time\":100,\"payload\":\"{\\\"note\\\":\\\"x\\\"}\",\"hash\":\"h" #seq "\"}"
#define NO_HEAD "The event feed’s answer has no “events”, “last” or “head”."

static void
test_client_decode (void)
{
  static const struct {
    const char *body;
    const char *message;  /* NULL: decoded */
    guint       n_events;
    gint64      last;
    gboolean    more;
  } cases[] = {
    { "{\"events\":[" EVENT (1) "," EVENT (2) "],\"last\":2,\"head\":5,\"more\":true}", NULL, 2, 2,
      TRUE },
    { "{\"events\":[],\"last\":0,\"head\":0,\"more\":false}", NULL, 0, 0, FALSE },
    { " {\"more\":false,\"head\":0,\"x\":{\"events\":[1]},\"last\":0,\"events\":[" EVENT (1) "]} ",
      NULL, 1, 0, FALSE },
    { "{\"events\":[" EVENT (1) "],\"last\":1,\"head\":1}", NULL, 1, 1, FALSE },
    { "{\"events\":[1],\"events\":[" EVENT (1) "],\"last\":1,\"head\":1}", NULL, 1, 1, FALSE },
    { "[]", NO_HEAD, 0, 0, FALSE },
    { "{}", NO_HEAD, 0, 0, FALSE },
    { "{\"events\":[],\"last\":1}", NO_HEAD, 0, 0, FALSE },
    { "{\"events\":{},\"last\":1,\"head\":1}", NO_HEAD, 0, 0, FALSE },
    { "{\"events\":[],\"last\":\"1\",\"head\":1}", NO_HEAD, 0, 0, FALSE },
    { "{\"events\":[" EVENT (1) "],\"last\":1,\"head\":1,\"events\":null}", NO_HEAD, 0, 0, FALSE },
    { "{\"events\":[" EVENT (1) ",7],\"last\":1,\"head\":1}",
      "The event after event 1 (number 1 of the feed’s page) cannot be read: not an object", 0, 0,
      FALSE },
    { "{\"events\":[" EVENT (1) ",{\"seq\":2}],\"last\":1,\"head\":1}",
      "The event after event 1 (number 1 of the feed’s page) cannot be read: "
      "An event in the feed has no string “entity”",
      0, 0, FALSE },
    { "{\"events\":[{\"seq\":\"1\",\"entity\":\"e\",\"type\":\"t\",\"actor\":\"a\",\"role\":\"r\","
      "\"time\":2,"
      "\"payload\":\"{}\",\"hash\":\"h\"},{}],\"last\":1,\"head\":1}",
      "Event 0 of the feed’s page is not an event: An event in the feed has no integer “seq”", 0, 0,
      FALSE },
    /* A page without its head is reported before a bad event, and text
     * that is not JSON before either, as when json-glib read it whole. */
    { "{\"events\":[7],\"last\":1}", NO_HEAD, 0, 0, FALSE },
    { "{\"events\":[7],\"last\":1,\"head\":1,\"x\":[1,]}", "The server’s answer is not JSON: ", 0,
      0, FALSE },
    { "{\"events\":[" EVENT (1), "The server’s answer is not JSON: ", 0, 0, FALSE },
    { "", "The server’s answer is not JSON: ", 0, 0, FALSE },
    { "{\"events\":[],\"last\":0,\"head\":0} {}", "The server’s answer is not JSON: ", 0, 0,
      FALSE },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdEventPage) page = NULL;
      g_autoptr(GBytes) body = NULL;

      g_test_message ("%s", cases[i].body);
      body = g_bytes_new (cases[i].body, strlen (cases[i].body));
      page = cd_event_page_new_from_bytes (body, &error);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (page->events->len, ==, cases[i].n_events);
          g_assert_cmpint (page->more, ==, cases[i].more);
          g_assert_cmpuint (page->bytes, ==, strlen (cases[i].body));
          for (guint k = 0; k < page->events->len; k++)
            {
              CdEvent *event = g_ptr_array_index (page->events, k);

              g_assert_cmpint (event->seq, ==, k + 1);
              g_assert_cmpstr (cd_event_get_string (event, "note"), ==, "x");
            }
          g_assert_cmpint (page->last, ==, cases[i].last);
        }
      else
        {
          g_assert_null (page);
          g_assert_error (error, CD_CLIENT_ERROR, CD_CLIENT_ERROR_PROTOCOL);
          g_test_message ("-> %s", error->message);
          g_assert_true (g_str_has_prefix (error->message, cases[i].message));
          g_clear_error (&error);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/json-reader/valid", test_valid);
  g_test_add_func ("/json-reader/invalid", test_invalid);
  g_test_add_func ("/json-reader/failed-stays-failed", test_failed_stays_failed);
  g_test_add_func ("/json-reader/depth", test_depth);
  g_test_add_func ("/json-reader/numbers", test_numbers);
  g_test_add_func ("/json-reader/kinds", test_kinds);
  g_test_add_func ("/json-reader/skip", test_skip);
  g_test_add_func ("/json-reader/strings", test_strings);
  g_test_add_func ("/json-writer/round-trip", test_writer_round_trip);
  g_test_add_func ("/json-writer/ints", test_writer_ints);
  g_test_add_func ("/event/append-json", test_event_append_json);
  g_test_add_func ("/event/page", test_event_page);
  g_test_add_func ("/event/read-errors", test_event_read_errors);
  g_test_add_func ("/event/payload-getters", test_payload_getters);
  g_test_add_func ("/event/payload-large", test_payload_large);
  g_test_add_func ("/event/payload-doubles", test_payload_doubles);
  g_test_add_func ("/event/payload-new", test_payload_new);
  g_test_add_func ("/client/decode", test_client_decode);

  return g_test_run ();
}
