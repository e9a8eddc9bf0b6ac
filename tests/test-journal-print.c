// SPDX-License-Identifier: GPL-3.0-or-later
//
// The printed complaint journal (src/print): the PDF's pages against
// paginate's count, every complaint's number in the text pdftotext reads
// back (poppler-utils; skipped without it), a row taller than a page that
// loses no word, the pages a print operation asks for, and `citydeskctl
// complaints journal --pdf` writing the file, or failing on a path it cannot
// write.

#include "config.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cd-journal-print.h"
#include "cd-test.h"
#include "cd-test-ctl.h"

/* Monday 2 November 2026, 09:00 UTC. */
#define FIRST_RECEIVED G_GINT64_CONSTANT (1793610000)

static CdComplaint *
complaint_new (guint       i,
               const char *summary)
{
  CdComplaint *c = g_new0 (CdComplaint, 1);

  c->number = g_strdup_printf ("2026-%06u", i + 1);
  c->received = FIRST_RECEIVED + i * 600;
  c->klass = g_strdup ((const char *[]) { "A", "B", "C" }[i % 3]);
  c->complainant = g_strdup_printf ("Иванова М. П., ул. Ленина %u, кв. %u, Первомайский",
                                    i % 90 + 1, i % 200 + 1);
  c->summary = g_strdup (summary != NULL ? summary : "Горячая вода еле тёплая третью неделю");
  if (i % 4 != 3)
    {
      c->decision = g_strdup (i % 4 == 2 ? "refused" : "upheld");
      c->favour = g_strdup (i % 4 == 2 ? "organization" : "resident");
      if (i % 4 == 2)
        c->reasons = g_strdup ("Работы выполнены в срок, акт подписан жителем");
    }
  return c;
}

static GPtrArray *
journal_new (guint n)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_complaint_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, complaint_new (i, NULL));
  return rows;
}

/* The pages of a PDF that cairo wrote: its page objects ("/Type /Page",
 * not the "/Type /Pages" tree). */
static guint
count_pdf_pages (const char *data,
                 gsize       length)
{
  static const char needle[] = "/Type /Page";
  guint pages = 0;

  for (const char *p = data; (p = memmem (p, length - (p - data), needle,
                                          sizeof needle - 1)) != NULL; p++)
    if (p + sizeof needle - 1 < data + length && p[sizeof needle - 1] != 's')
      pages++;
  return pages;
}

/* What pdftotext reads from @path, or NULL (the test skipped) without
 * poppler-utils. */
static char *
pdf_text (const char *path)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (pdftotext == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return NULL;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, pdftotext, "-enc", "UTF-8",
                           path, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (proc));
  return out;
}

static guint
paginate_a4 (GPtrArray *rows)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr(CdJournalPrint) print = cd_journal_print_new (rows, "Complaint journal", zone);
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (NULL, NULL, 842, 595);
  cairo_t *cr = cairo_create (surface);
  guint pages = cd_journal_print_paginate (print, cr, 842 - 72, 595 - 72);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return pages;
}

static void
test_pages (void)
{
  g_autoptr(GPtrArray) rows = journal_new (300);
  g_autoptr(GPtrArray) twice = journal_new (600);
  g_autoptr(GPtrArray) none = journal_new (0);
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr(CdJournalPrint) print = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "journal.pdf", NULL);
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;
  gsize length;
  guint pages = paginate_a4 (rows), pages_twice = paginate_a4 (twice);

  /* Two-line rows: some 20 to a page, so 300 take more than ten pages and
   * twice as many take twice as many pages, give or take the last. */
  g_assert_cmpuint (pages, >, 10);
  g_assert_cmpuint (pages, <, 40);
  g_assert_cmpuint (pages_twice, >=, 2 * pages - 1);
  g_assert_cmpuint (pages_twice, <=, 2 * pages);
  /* An empty period still prints its title and header. */
  g_assert_cmpuint (paginate_a4 (none), ==, 1);

  print = cd_journal_print_new (rows, "Complaint journal, 2026-11-02 – 2026-11-04", zone);
  g_assert_true (cd_journal_print_to_pdf (print, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_assert_cmpuint (count_pdf_pages (data, length), ==, pages);

  text = pdf_text (path);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Complaint journal, 2026-11-02 – 2026-11-04"));
  /* Cyrillic renders (a font with it was found), and the footer counts. */
  g_assert_nonnull (strstr (text, "Первомайский"));
  g_assert_nonnull (strstr (text, "Page 1 of "));
  for (guint i = 0; i < rows->len; i++)
    {
      const CdComplaint *c = g_ptr_array_index (rows, i);

      if (strstr (text, c->number) == NULL)
        g_error ("complaint %s is missing from the PDF", c->number);
    }
}

/* A summary longer than a page: cut between lines, every word printed once
 * and the rows around it printed too. */
static void
test_long_row (void)
{
  g_autoptr(GPtrArray) rows = journal_new (3);
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr(CdJournalPrint) print = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "long.pdf", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint pages;

  for (guint i = 0; i < 2500; i++)
    g_string_append_printf (summary, "слово%u ", i);
  g_ptr_array_insert (rows, 1, complaint_new (99, summary->str));
  pages = paginate_a4 (rows);
  g_assert_cmpuint (pages, >=, 3);

  print = cd_journal_print_new (rows, "Complaint journal", zone);
  g_assert_true (cd_journal_print_to_pdf (print, path, &error));
  g_assert_no_error (error);
  text = pdf_text (path);
  if (text == NULL)
    return;
  words = g_strsplit_set (text, " \n\f", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (g_str_has_prefix (words[i], "слово"))
      {
        g_assert_false (g_hash_table_contains (seen, words[i]));
        g_hash_table_add (seen, words[i]);
      }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2500);
  for (guint i = 0; i < 2500; i++)
    {
      g_autofree char *word = g_strdup_printf ("слово%u", i);

      g_assert_true (g_hash_table_contains (seen, word));
    }
  for (guint i = 0; i < rows->len; i++)
    g_assert_nonnull (strstr (text, ((CdComplaint *) g_ptr_array_index (rows, i))->number));
  g_assert_nonnull (strstr (text, "Page 3 of "));
}

/* What a print operation does: paginate for its page, then draw each page
 * it asks for, on its own cairo context (here an image, 2 pixels a point). */
static void
test_print_operation (void)
{
  g_autoptr(GPtrArray) rows = journal_new (200);
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr(CdJournalPrint) print = cd_journal_print_new (rows, "Complaint journal", zone);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1190, 842);
  cairo_t *cr = cairo_create (surface);
  guint pages;
  guint dark = 0;
  unsigned char *pixels;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, 2, 2);
  /* A4 portrait this time: narrower columns, more lines, more pages. */
  pages = cd_journal_print_paginate (print, cr, 595 - 72, 842 - 72);
  g_assert_cmpuint (pages, >, paginate_a4 (rows));
  cd_journal_print_draw_page (print, cr, pages - 1);
  /* A page past the end draws nothing rather than failing. */
  cd_journal_print_draw_page (print, cr, pages + 5);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  for (int y = 0; y < 842; y++)
    for (int x = 0; x < 1190; x++)
      if (pixels[y * cairo_image_surface_get_stride (surface) + 4 * x] < 128)
        dark++;
  /* Ink: the title, the header, the rules and the last rows. */
  g_assert_cmpuint (dark, >, 1000);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
register_complaint (const char *db,
                    const char *name,
                    const char *description,
                    const char *now)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (cd_test_ctl (&out, &err, "ticket", "register", "--db", db, "--kind",
                                "complaint", "--category", "housing.heating", "--district",
                                "Central", "--street", "Lenin St", "--building", "5", "--name",
                                name, "--description", description, "--now", now, NULL),
                   ==, 0);
}

static void
test_cli (void)
{
  g_autofree char *db = g_build_filename (g_get_tmp_dir (), "journal.db", NULL);
  g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "cli.pdf", NULL);
  g_autofree char *csv = g_build_filename (g_get_tmp_dir (), "cli.csv", NULL);
  g_autofree char *bad = g_build_filename (g_get_tmp_dir (), "no-such-dir", "x.pdf", NULL);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autofree char *data = NULL, *csv_data = NULL, *text = NULL;

  register_complaint (db, "Ольга Иванова", "Батареи холодные", "2026-11-02T09:00:00Z");
  register_complaint (db, "Olga Petrova", "The crew never came", "2026-11-03T09:00:00Z");
  register_complaint (db, "Outside", "Not in the period", "2026-12-03T09:00:00Z");

  g_assert_cmpint (cd_test_ctl (&out, &err, "complaints", "journal", "--db", db, "--from",
                                "2026-11-01T00:00:00Z", "--to", "2026-11-30T23:59:59Z",
                                "--pdf", pdf, "--csv", csv, NULL),
                   ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_file_get_contents (pdf, &data, NULL, NULL));
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_assert_true (g_file_get_contents (csv, &csv_data, NULL, NULL));
  g_assert_nonnull (strstr (csv_data, "2026-000002"));

  /* A path that cannot be written: said, with the path, and a failure. */
  g_assert_cmpint (cd_test_ctl (&out2, &err2, "complaints", "journal", "--db", db, "--from",
                                "2026-11-01T00:00:00Z", "--to", "2026-11-30T23:59:59Z",
                                "--pdf", bad, NULL),
                   ==, 2);
  g_assert_nonnull (strstr (err2, bad));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  text = pdf_text (pdf);
  if (text == NULL)
    return;
  g_assert_nonnull (strstr (text, "Complaint journal, 2026-11-01 – 2026-11-30"));
  g_assert_nonnull (strstr (text, "2026-000001"));
  g_assert_nonnull (strstr (text, "Ольга Иванова"));
  g_assert_nonnull (strstr (text, "2026-000002"));
  g_assert_null (strstr (text, "2026-000003"));
}

int
main (int    argc,
      char **argv)
{
  /* The journal's dates and title are in the local zone, citydeskctl's too. */
  g_setenv ("TZ", "UTC", TRUE);
  cd_test_init (&argc, &argv, NULL);
  g_test_add_func ("/journal-print/pages", test_pages);
  g_test_add_func ("/journal-print/long-row", test_long_row);
  g_test_add_func ("/journal-print/print-operation", test_print_operation);
  g_test_add_func ("/journal-print/cli", test_cli);
  return g_test_run ();
}
