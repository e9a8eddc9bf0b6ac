// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-journal-print.h: the complaint journal on paper and in PDF
 *
 * The journal as quality departments keep it (docs/complaints.md): a title,
 * the seven columns of cd_complaint_journal_to_csv() as a table whose header
 * row repeats on every page, "Page N of M" and the print date in the
 * footer. The app prints it with GtkPrintOperation (begin-print: paginate
 * with the print context's cairo and page size; draw-page: draw_page), the
 * command line writes a PDF.
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-complaint.h"

G_BEGIN_DECLS

typedef struct _CdJournalPrint CdJournalPrint;

/* rows: (element-type CdComplaint) in order of receipt; title e.g. "Complaint journal,
 * 1-30 November 2026"; zone for dates. Keeps a reference to rows. */
CdJournalPrint *cd_journal_print_new        (GPtrArray       *rows,
                                             const char      *title,
                                             GTimeZone       *zone);
void            cd_journal_print_free       (CdJournalPrint  *self);
/* Lays out for a page of width x height points (content area, after margins the caller leaves),
 * using @cr's font options/resolution; returns the number of pages. */
guint           cd_journal_print_paginate   (CdJournalPrint  *self,
                                             cairo_t         *cr,
                                             double           width,
                                             double           height);
/* Draws page @page (from 0) at the origin of @cr. */
void            cd_journal_print_draw_page  (CdJournalPrint  *self,
                                             cairo_t         *cr,
                                             guint            page);
/* The whole journal to a PDF file, A4 landscape. */
gboolean        cd_journal_print_to_pdf     (CdJournalPrint  *self,
                                             const char      *path,
                                             GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJournalPrint, cd_journal_print_free)

G_END_DECLS
