// SPDX-License-Identifier: GPL-3.0-or-later
//
// The complaint journal of a demo year (20,000 complaints, DOMAIN.md) to an
// A4 PDF (src/print: every row laid out, paginated, drawn and written; goal
// under 10 s), against the same journal to CSV (cd_complaint_journal_to_csv
// and the file written) in the same run: the ratio is what the pages, the
// fonts and the PDF cost over the same rows. The rows are built in memory,
// with Cyrillic names and addresses and summaries of one to several lines,
// as the demo's. Run with `meson test -C _build --benchmark --verbose
// complaints-pdf` or directly: bench-complaints-pdf [COMPLAINTS] (300 in the
// small mode, cd-bench.h).

#include "config.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-bench.h"
#include "cd-journal-print.h"

/* 1 January 2026, 00:00 UTC. */
#define T0 G_GINT64_CONSTANT (1767225600)

static const char * const names[] = {
  "Иванова М. П.", "Kozlova V. L.", "Петренко А. С.", "Sidorenko R. G.", "Ахметова Г. К.",
  "Bondarenko P. P.", "Смирнов Д. В.", "Volkova A. S.",
};
static const char * const streets[] = {
  "ул. Ленина", "ul. Kalinovskogo", "пр. Мира", "ul. Brestskaya", "ул. Садовая",
};
static const char * const summaries[] = {
  "Горячая вода еле тёплая",
  "The crew came twice and left without fixing the heating riser in the basement; the flat "
  "is cold and nobody answers the phone at the housing office",
  "Оператор грубо разговаривал и положил трубку, не записав адрес; прошу разобраться и "
  "сообщить о принятых мерах. Это уже третье обращение за месяц, вода в подвале стоит",
  "Rubbish bins overflowing",
};
static const char * const reasons[] = {
  "Работы выполнены в срок, акт подписан жителем",
  "The repair is in the capital plan for next year; the temporary measure was taken",
};

static GPtrArray *
make_journal (guint n)
{
  GPtrArray *rows = g_ptr_array_new_full (n, (GDestroyNotify) cd_complaint_free);

  for (guint i = 0; i < n; i++)
    {
      CdComplaint *c = g_new0 (CdComplaint, 1);
      guint decision = i % 20;

      c->number = g_strdup_printf ("2026-%06u", i * 13 + 1);
      c->received = T0 + (gint64) i * (365 * 86400 / MAX (n, 1));
      c->klass = g_strdup (i % 10 < 7 ? "A" : i % 10 < 9 ? "B" : "C");
      c->complainant = g_strdup_printf ("%s, %s %u, кв. %u, Первомайский",
                                        names[i % G_N_ELEMENTS (names)],
                                        streets[i % G_N_ELEMENTS (streets)], i % 120 + 1,
                                        i % 300 + 1);
      c->summary = g_strdup (summaries[i % G_N_ELEMENTS (summaries)]);
      if (decision < 9)
        c->decision = g_strdup ("upheld");
      else if (decision < 13)
        c->decision = g_strdup ("partly_upheld");
      else if (decision < 19)
        {
          c->decision = g_strdup ("refused");
          c->reasons = g_strdup (reasons[i % G_N_ELEMENTS (reasons)]);
        }
      if (c->decision != NULL)
        c->favour = g_strdup (decision < 13 ? "resident" : "organization");
      g_ptr_array_add (rows, c);
    }
  return rows;
}

int
main (int    argc,
      char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : cd_bench_small () ? 300 : 20000;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL, *pdf_path = NULL, *csv = NULL;
  g_autoptr(CdJournalPrint) print = NULL;
  gint64 start;
  double csv_s, pdf_s, paginate_s;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint pages;
  GStatBuf st;

  cd_test_own_tmp_dir ();
  csv_path = g_build_filename (g_get_tmp_dir (), "journal.csv", NULL);
  pdf_path = g_build_filename (g_get_tmp_dir (), "journal.pdf", NULL);
  rows = make_journal (n);

  /* The baseline: the same rows, the same words, to CSV on disk. */
  start = g_get_monotonic_time ();
  csv = cd_complaint_journal_to_csv ((CdComplaint * const *) rows->pdata, rows->len, zone);
  if (!g_file_set_contents (csv_path, csv, -1, &error))
    g_error ("%s", error->message);
  csv_s = (g_get_monotonic_time () - start) / 1e6;

  /* Pagination alone, as a print dialog's begin-print does it. */
  print = cd_journal_print_new (rows, "Complaint journal, 2026-01-01 – 2026-12-31", zone);
  surface = cairo_pdf_surface_create_for_stream (NULL, NULL, 842, 595);
  cr = cairo_create (surface);
  start = g_get_monotonic_time ();
  pages = cd_journal_print_paginate (print, cr, 842 - 72, 595 - 72);
  paginate_s = (g_get_monotonic_time () - start) / 1e6;
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_clear_pointer (&print, cd_journal_print_free);

  /* The whole PDF, from a fresh journal: layout, pages, fonts, the file. */
  print = cd_journal_print_new (rows, "Complaint journal, 2026-01-01 – 2026-12-31", zone);
  start = g_get_monotonic_time ();
  if (!cd_journal_print_to_pdf (print, pdf_path, &error))
    g_error ("%s", error->message);
  pdf_s = (g_get_monotonic_time () - start) / 1e6;
  if (g_stat (pdf_path, &st) != 0 || st.st_size == 0)
    g_error ("no PDF written");

  printf ("complaints:              %u\n", n);
  printf ("CSV (baseline):          %.3f s, %zu bytes\n", csv_s, strlen (csv));
  printf ("paginate:                %.3f s, %u pages\n", paginate_s, pages);
  printf ("PDF (paginate + draw):   %.3f s, %" G_GINT64_FORMAT " bytes (goal under 10 s)\n",
          pdf_s, (gint64) st.st_size);
  printf ("ratio PDF / CSV:         %.1f\n", csv_s > 0 ? pdf_s / csv_s : 0);
  return 0;
}
