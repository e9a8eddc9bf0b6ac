// SPDX-License-Identifier: GPL-3.0-or-later
//
// The strict JSON reader against a corpus written from RFC 8259 and the
// categories of the well-known JSON test suites (JSONTestSuite's y_, n_
// and i_ cases): every y_ document is accepted and survives a round trip
// through cd_json_parse(); every n_ document is refused at the byte where
// it goes wrong; the i_ cases (where RFC 8259 leaves the choice to the
// parser) are refused or accepted as documented. Then random mutations of
// the valid documents: nothing crashes, the reader, the checker and the
// tree builder agree, and a cheap reference judgement (a proper prefix of
// an object or array is never a document) holds.

#include "config.h"

#include <string.h>

#include "cd-json-reader.h"
#include "cd-json-tree.h"

#include "cd-test.h"

typedef struct
{
  const char *name;
  const char *text;
  gsize       len;     /* 0: strlen (text) */
} Valid;

typedef struct
{
  const char *name;
  const char *text;
  gsize       offset;  /* where the reader must say it goes wrong */
  gsize       len;     /* 0: strlen (text) */
} Invalid;

#define DEEP_OK "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"

static const Valid valid[] = {
  /* Structure. */
  { "y_object_empty", "{}" },
  { "y_array_empty", "[]" },
  { "y_object_basic", "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}" },
  { "y_array_heterogeneous", "[null, 1, \"1\", {}, []]" },
  { "y_array_nested_empty", "[[], [[]], {\"a\":[]}]" },
  { "y_object_empty_key", "{\"\":0}" },
  { "y_object_long_strings",
    "{\"x\":[{\"id\": "
    "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]}" },
  { "y_structure_deep_32", DEEP_OK },
  /* White space: only space, tab, LF, CR. */
  { "y_structure_whitespace_around", " \t\r\n[ 1 , 2 ]\n\t " },
  { "y_object_whitespace_everywhere", "{ \"a\" : [ 1 , { } ] }" },
  /* Top-level scalars (RFC 8259 allows any value). */
  { "y_structure_lonely_int", "42" },
  { "y_structure_lonely_negative", "-0" },
  { "y_structure_lonely_string", "\"asd\"" },
  { "y_structure_lonely_true", "true" },
  { "y_structure_lonely_false", "false" },
  { "y_structure_lonely_null", "null" },
  { "y_structure_string_empty", "\"\"" },
  /* Numbers. */
  { "y_number_0", "[0]" },
  { "y_number_negative_zero", "[-0]" },
  { "y_number_int", "[123]" },
  { "y_number_negative_int", "[-123]" },
  { "y_number_simple_real", "[123.456789]" },
  { "y_number_real_exponent", "[123e45]" },
  { "y_number_real_capital_e", "[1E22]" },
  { "y_number_real_capital_e_neg_exp", "[1E-2]" },
  { "y_number_real_capital_e_pos_exp", "[1E+2]" },
  { "y_number_real_fraction_exponent", "[123.456e78]" },
  { "y_number_real_neg_exp", "[1e-2]" },
  { "y_number_real_pos_exponent", "[1e+2]" },
  { "y_number_0e1", "[0e1]" },
  { "y_number_0e+1", "[0e+1]" },
  { "y_number_minus_zero_fraction", "[-0.0]" },
  { "y_number_after_space", "[ 4]" },
  { "y_number_int64_max", "[9223372036854775807]" },
  { "y_number_int64_min", "[-9223372036854775808]" },
  { "y_number_big_int_as_double", "[9223372036854775808]" },
  /* Strings and escapes. */
  { "y_string_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]" },
  { "y_string_unicode_escape", "[\"\\u0061\\u30af\\u30EA\\u30b9\"]" },
  { "y_string_surrogate_pair", "[\"\\uD834\\uDD1E\"]" },
  { "y_string_escaped_noncharacter", "[\"\\uFFFF\"]" },
  { "y_string_u2028_u2029", "[\"\xe2\x80\xa8\xe2\x80\xa9\"]" },
  { "y_string_utf8", "[\"\xe2\x82\xac\xf0\x9d\x84\x9e\"]" },
  { "y_string_two_byte_utf8", "[\"\xc2\xa3\"]" },
  { "y_string_last_code_point", "[\"\xf4\x8f\xbf\xbf\"]" },
  { "y_string_del_raw", "[\"a\x7f" "b\"]" },
  { "y_string_escaped_control", "[\"\\u0012\"]" },
  { "y_string_accepted_surrogate_pairs", "[\"\\ud83d\\ude39\\ud83d\\udc8d\"]" },
  { "y_string_with_del_escape", "[\"\\u007f\"]" },
  { "y_string_comments_inside", "[\"a/*b*/c/*d//e\"]" },
  { "y_string_in_array_with_leading_space", "[ \"asd\"]" },
  { "y_string_nul_escape", "[\"a\\u0000b\"]" },
  { "y_object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}" },
};

static const Invalid invalid[] = {
  /* Structure. */
  { "n_structure_empty", "", 0 },
  { "n_structure_only_whitespace", " \n ", 3 },
  { "n_structure_two_values", "[] []", 3 },
  { "n_structure_trailing_garbage", "{\"a\":1}x", 7 },
  { "n_structure_two_scalars", "1 2", 2 },
  { "n_structure_unclosed_array", "[1", 2 },
  { "n_structure_unclosed_object", "{\"a\":1", 6 },
  { "n_structure_close_unopened", "]", 0 },
  { "n_structure_mismatched", "[1}", 2 },
  { "n_structure_bom", "\xef\xbb\xbf{}", 0 },
  { "n_structure_nul_after", "[]\0", 2, 3 },
  { "n_structure_single_quote", "['a']", 1 },
  { "n_structure_comment_line", "[1]//x", 3 },
  { "n_structure_comment_block", "[1/*x*/]", 2 },
  { "n_structure_comment_before", "/*x*/[1]", 0 },
  { "n_structure_angle", "<.>", 0 },
  { "n_structure_deep_33", "[" DEEP_OK "]", 32 },
  { "n_structure_form_feed_space", "[\f1]", 1 },
  { "n_structure_vertical_tab", "[\v1]", 1 },
  { "n_structure_nbsp", "[\xc2\xa0" "1]", 1 },
  /* Arrays. */
  { "n_array_trailing_comma", "[1,]", 3 },
  { "n_array_leading_comma", "[,1]", 1 },
  { "n_array_double_comma", "[1,,2]", 3 },
  { "n_array_missing_comma", "[1 2]", 3 },
  { "n_array_colon", "[\"a\":1]", 4 },
  /* Objects. */
  { "n_object_trailing_comma", "{\"a\":1,}", 7 },
  { "n_object_unquoted_key", "{a:1}", 1 },
  { "n_object_single_quoted_key", "{'a':1}", 1 },
  { "n_object_missing_colon", "{\"a\" 1}", 5 },
  { "n_object_missing_value", "{\"a\":}", 5 },
  { "n_object_number_key", "{1:1}", 1 },
  { "n_object_double_colon", "{\"a\"::1}", 5 },
  /* Numbers. */
  { "n_number_leading_zero", "[012]", 1 },
  { "n_number_negative_leading_zero", "[-012]", 2 },
  { "n_number_plus", "[+1]", 1 },
  { "n_number_leading_dot", "[.5]", 1 },
  { "n_number_trailing_dot", "[1.]", 3 },
  { "n_number_minus_only", "[-]", 2 },
  { "n_number_exponent_empty", "[1e]", 3 },
  { "n_number_exponent_sign_only", "[1e+]", 4 },
  { "n_number_hex", "[0x1]", 2 },
  { "n_number_nan", "[NaN]", 1 },
  { "n_number_infinity", "[Infinity]", 1 },
  { "n_number_minus_infinity", "[-Infinity]", 2 },
  { "n_number_space_after_minus", "[- 1]", 2 },
  { "n_number_comma_decimal", "[1,5.]", 5 },
  { "n_number_fullwidth_digit", "[\xef\xbc\x91]", 1 },
  /* Literals. */
  { "n_literal_capital_true", "[True]", 1 },
  { "n_literal_truncated", "[tru]", 1 },
  { "n_literal_nul", "[nul]", 1 },
  /* Strings. */
  { "n_string_unterminated", "[\"a", 1 },
  { "n_string_single_quote", "['x']", 1 },
  { "n_string_raw_newline", "[\"a\nb\"]", 3 },
  { "n_string_raw_tab", "[\"a\tb\"]", 3 },
  { "n_string_raw_nul", "[\"a\0b\"]", 3, 7 },
  { "n_string_escape_x", "[\"\\x41\"]", 2 },
  { "n_string_escape_apostrophe", "[\"\\'\"]", 2 },
  { "n_string_escape_short_u", "[\"\\u12\"]", 2 },
  { "n_string_escape_bad_hex", "[\"\\u12G4\"]", 2 },
  { "n_string_backslash_at_end", "[\"\\", 1 },
  /* Surrogates, escaped. */
  { "n_string_lone_high_surrogate", "[\"\\uD800\"]", 2 },
  { "n_string_lone_low_surrogate", "[\"\\uDC00\"]", 2 },
  { "n_string_inverted_surrogates", "[\"\\uDC00\\uD800\"]", 2 },
  { "n_string_high_then_letter", "[\"\\uD800a\"]", 2 },
  { "n_string_two_highs", "[\"\\uD800\\uD800\"]", 2 },
  /* UTF-8. */
  { "n_string_invalid_byte_ff", "[\"\xff\"]", 2 },
  { "n_string_continuation_alone", "[\"\x80\"]", 2 },
  { "n_string_overlong_slash", "[\"\xc0\xaf\"]", 2 },
  { "n_string_overlong_nul", "[\"\xc0\x80\"]", 2 },
  { "n_string_overlong_3_bytes", "[\"\xe0\x80\xaf\"]", 2 },
  { "n_string_overlong_4_bytes", "[\"\xf0\x80\x80\xaf\"]", 2 },
  { "n_string_utf8_surrogate", "[\"\xed\xa0\x80\"]", 2 },
  { "n_string_past_u10ffff", "[\"\xf4\x90\x80\x80\"]", 2 },
  { "n_string_five_byte_form", "[\"\xf8\x88\x80\x80\x80\"]", 2 },
  { "n_string_truncated_sequence", "[\"\xe2\x82\"]", 2 },
  { "n_string_utf8_outside_string", "[\xe2\x82\xac]", 1 },
  { "n_object_key_invalid_utf8", "{\"\xff\":1}", 2 },
};

/* Where RFC 8259 lets a parser choose: Citydesk's choice. */
typedef struct
{
  const char *name;
  const char *text;
  gboolean    reader_accepts;  /* the pull reader walking (skipping) it */
  gboolean    tree_accepts;    /* cd_json_parse() */
} Choice;

static const Choice choices[] = {
  { "i_number_huge_exp", "[1e999]", TRUE, FALSE },
  { "i_number_neg_huge_exp", "[-1e999]", TRUE, FALSE },
  { "i_number_tiny_exp", "[1e-999]", TRUE, TRUE },
  { "i_number_very_big_int", "[100000000000000000000000000000000000000]", TRUE, TRUE },
  { "i_string_escaped_nul", "[\"\\u0000\"]", TRUE, FALSE },
  { "i_object_duplicate_key", "{\"a\":1,\"a\":2}", TRUE, FALSE },
  { "i_object_key_with_nul", "{\"a\\u0000\":1}", TRUE, FALSE },
  { "i_string_noncharacter_fffe", "[\"\xef\xbf\xbe\"]", TRUE, TRUE },
  { "i_structure_deep_300", NULL, FALSE, FALSE },
};

/* The round trip's writer. json-glib 1.6's generator is not used: it
 * writes 1e22 as "1e+22.0", which is not JSON. */
static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &value))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            cd_json_append_string (out, name);
            g_string_append_c (out, ':');
            write_node (out, value);
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        cd_json_append_string (out, json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        cd_json_append_int (out, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.17e",
                                                 json_node_get_double (node)));
        }
      break;
    }
}

static char *
to_text (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_node (out, node);
  return g_string_free (out, FALSE);
}

static gsize
text_len (const char *text,
          gsize       len)
{
  return len != 0 ? len : strlen (text);
}

/* The pull reader's own verdict: skip the value, then the end. */
static gboolean
reader_accepts (const char *text,
                gsize       len,
                guint       max_depth,
                gsize      *offset)
{
  g_auto(CdJsonReader) reader = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  cd_json_reader_init (&reader, text, len);
  cd_json_reader_set_max_depth (&reader, max_depth);
  ok = cd_json_reader_skip (&reader, &error) && cd_json_reader_end (&reader, &error);
  if (!ok)
    {
      g_assert_true (error->domain == CD_JSON_ERROR);
      *offset = cd_json_reader_get_error_offset (&reader);
      g_assert_cmpuint (*offset, <=, len);
    }
  return ok;
}

static void
test_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      gsize len = text_len (valid[i].text, valid[i].len);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) tree = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *written = NULL;
      gsize offset = 0;
      gboolean refused_by_tree = strstr (valid[i].name, "nul_escape") != NULL ||
                                 strstr (valid[i].name, "duplicated_key") != NULL;

      g_test_message ("%s", valid[i].name);
      g_assert_true (reader_accepts (valid[i].text, len, CD_JSON_INPUT_MAX_DEPTH, &offset));

      tree = cd_json_parse (valid[i].text, len, CD_JSON_INPUT_MAX_DEPTH, NULL, NULL, &error);
      if (refused_by_tree)
        {
          /* Valid JSON that json-glib cannot hold faithfully. */
          g_assert_error (error, CD_JSON_ERROR, CD_JSON_ERROR_REFUSED);
          g_assert_null (tree);
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (cd_json_check_text (valid[i].text, len, CD_JSON_INPUT_MAX_DEPTH, NULL, NULL));

      /* The round trip: written out by json-glib and read again, the
       * same tree. */
      written = to_text (tree);
      again = cd_json_parse (written, strlen (written), CD_JSON_INPUT_MAX_DEPTH, NULL, NULL,
                             &error);
      g_assert_no_error (error);
      g_assert_true (json_node_equal (tree, again));
    }
}

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      gsize len = text_len (invalid[i].text, invalid[i].len);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) tree = NULL;
      gsize offset = G_MAXSIZE, tree_offset = G_MAXSIZE;

      g_test_message ("%s", invalid[i].name);
      g_assert_false (reader_accepts (invalid[i].text, len, CD_JSON_INPUT_MAX_DEPTH, &offset));
      g_assert_cmpuint (offset, ==, invalid[i].offset);

      tree = cd_json_parse (invalid[i].text, len, CD_JSON_INPUT_MAX_DEPTH, &tree_offset, NULL,
                            &error);
      g_assert_null (tree);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CD_JSON_ERROR);
      g_assert_cmpuint (tree_offset, ==, invalid[i].offset);
      g_assert_false (
          cd_json_check_text (invalid[i].text, len, CD_JSON_INPUT_MAX_DEPTH, NULL, NULL));
    }
}

static void
test_choices (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      g_autofree char *deep = NULL;
      const char *text = choices[i].text;
      g_autoptr(JsonNode) tree = NULL;
      gsize offset = 0;

      if (text == NULL)
        {
          /* Deeper than even the reader's stack: refused, not walked. */
          deep = g_strnfill (300, '[');
          text = deep;
        }
      g_test_message ("%s", choices[i].name);
      g_assert_cmpint (reader_accepts (text, strlen (text), CD_JSON_MAX_DEPTH, &offset), ==,
                       choices[i].reader_accepts);
      tree = cd_json_parse (text, strlen (text), CD_JSON_MAX_DEPTH, NULL, NULL, NULL);
      g_assert_cmpint (tree != NULL, ==, choices[i].tree_accepts);
    }
}

/* The error names the member at fault, for the server's "field". */
static void
test_error_member (void)
{
  static const struct { const char *text; const char *member; } cases[] = {
    { "{\"kind\":\"a\\u0000b\"}", "kind" },
    { "{\"a\":{\"note\":\"x\\u0000\"}}", "note" },
    { "{\"lat\":1e999}", "lat" },
    { "{\"kind\":1,\"kind\":2}", "kind" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *member = NULL;
      g_autoptr(JsonNode) tree = cd_json_parse (cases[i].text, strlen (cases[i].text),
                                                 CD_JSON_INPUT_MAX_DEPTH, NULL, &member, &error);

      g_assert_null (tree);
      g_assert_nonnull (error);
      g_assert_cmpstr (member, ==, cases[i].member);
    }
}

static void
mutate (GString *s,
        GRand   *rand)
{
  static const char bytes[] = "[]{}\",:\\0123456789eE.-+ \ttfnu\x80\xc0\xff\xed'/";
  guint n = g_rand_int_range (rand, 1, 4);

  for (guint k = 0; k < n; k++)
    {
      guint pos = s->len > 0 ? (guint) g_rand_int_range (rand, 0, s->len) : 0;
      char c = bytes[g_rand_int_range (rand, 0, sizeof bytes - 1)];

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          if (s->len > 0)
            s->str[pos] = c;
          break;
        case 1:
          g_string_insert_c (s, pos, c);
          break;
        case 2:
          if (s->len > 0)
            g_string_erase (s, pos, 1);
          break;
        default:
          g_string_truncate (s, pos);
          break;
        }
    }
}

static void
test_mutations (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (8259);
  guint accepted = 0, refused = 0;

  for (guint round = 0; round < 20000; round++)
    {
      const Valid *v = &valid[g_rand_int_range (rand, 0, G_N_ELEMENTS (valid))];
      g_autoptr(GString) s = g_string_new_len (v->text, text_len (v->text, v->len));
      g_autoptr(JsonNode) tree = NULL;
      g_autoptr(GError) error = NULL;
      gboolean read_ok, checked_ok;
      gsize offset = 0, tree_offset = 0;

      mutate (s, rand);
      read_ok = reader_accepts (s->str, s->len, CD_JSON_INPUT_MAX_DEPTH, &offset);
      tree = cd_json_parse (s->str, s->len, CD_JSON_INPUT_MAX_DEPTH, &tree_offset, NULL, &error);
      checked_ok = cd_json_check_text (s->str, s->len, CD_JSON_INPUT_MAX_DEPTH, NULL, NULL);

      /* The checker and the builder agree; both take no more than the
       * reader, and refuse beyond it only for what json-glib cannot
       * hold or a number too large. */
      g_assert_cmpint (checked_ok, ==, tree != NULL);
      if (tree != NULL)
        g_assert_true (read_ok);
      else if (read_ok)
        g_assert_true (g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_REFUSED) ||
                       g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_UNEXPECTED));
      else if (g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_INVALID) ||
               g_error_matches (error, CD_JSON_ERROR, CD_JSON_ERROR_TOO_DEEP))
        g_assert_cmpuint (tree_offset, ==, offset);
      else
        /* A refusal that came before the text's own error. */
        g_assert_cmpuint (tree_offset, <=, offset);

      /* The reference: a proper prefix of an array or object (ignoring
       * trailing white space) is never a document. */
      {
        gsize full = text_len (v->text, v->len);
        gsize end = s->len;

        while (end > 0 && strchr (" \t\r\n", s->str[end - 1]) != NULL)
          end--;
        if (end < full && end > 0 && memcmp (s->str, v->text, end) == 0 &&
            (v->text[strspn (v->text, " \t\r\n")] == '[' ||
             v->text[strspn (v->text, " \t\r\n")] == '{'))
          {
            gsize full_end = full;

            while (full_end > 0 && strchr (" \t\r\n", v->text[full_end - 1]) != NULL)
              full_end--;
            if (end < full_end)
              g_assert_false (read_ok);
          }
      }

      if (tree != NULL)
        {
          g_autofree char *written = to_text (tree);
          g_autoptr(JsonNode) again = cd_json_parse (written, strlen (written),
                                                      CD_JSON_INPUT_MAX_DEPTH, NULL, NULL, NULL);

          g_assert_nonnull (again);
          g_assert_true (json_node_equal (tree, again));
          accepted++;
        }
      else
        refused++;
    }
  g_test_message ("mutations: %u accepted, %u refused", accepted, refused);
  g_assert_cmpuint (accepted, >, 0);
  g_assert_cmpuint (refused, >, 0);
}

int
main (int    argc,
      char **argv)
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  g_test_add_func ("/json-corpus/valid", test_valid);
  g_test_add_func ("/json-corpus/invalid", test_invalid);
  g_test_add_func ("/json-corpus/implementation-defined", test_choices);
  g_test_add_func ("/json-corpus/error-member", test_error_member);
  g_test_add_func ("/json-corpus/mutations", test_mutations);

  return g_test_run ();
}
