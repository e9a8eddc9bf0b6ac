// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-journal-print.c: the complaint journal on paper and in PDF */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <stdio.h>

#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "cd-journal-print.h"

/* A4 landscape, in points, and the margins the PDF leaves around the
 * content (the app's print dialog sets its own). */
#define A4_LONG   841.889763
#define A4_SHORT  595.275591
#define MARGIN    36.0

#define PAD_X     3.0
#define PAD_Y     2.0
#define N_COLUMNS 7

/* The columns that repeat a few values (a date, a class, a label): each
 * value is laid out once, for paginate and for every page it is drawn on. */
static const gboolean column_repeats[N_COLUMNS] = { FALSE, TRUE, TRUE, FALSE, FALSE, TRUE, TRUE };

/* One piece of a row on a page: the whole row, or for a row taller than a
 * page the band [from, to) of it, drawn at y below the header. */
typedef struct
{
  guint  row;
  double from;
  double to;
  double y;
} Piece;

struct _CdJournalPrint
{
  GPtrArray            *rows;
  char                 *title;
  GTimeZone            *zone;
  char                 *printed;

  /* What paginate lays out, for draw_page. */
  PangoContext         *context;
  PangoLayout          *layout;
  PangoFontDescription *body_font;
  PangoFontDescription *head_font;
  PangoFontDescription *title_font;
  double                width;
  double                height;
  double                col_x[N_COLUMNS + 1];
  double                title_h;
  double                header_h;
  double                footer_h;
  double                line_h;
  GArray               *heights;     /* (element-type double) per row */
  GArray               *pieces;      /* (element-type Piece) */
  GArray               *page_first;  /* (element-type guint) a page's first piece */
  GHashTable           *repeats[N_COLUMNS];  /* text -> PangoLayout, for column_repeats */
  GHashTable           *advances;            /* gunichar -> its advance, in Pango units */
  GString              *scratch;
};

static const char *
column_title (guint column)
{
  switch (column)
    {
    case 0: return _("No.");
    case 1: return _("Date received");
    case 2: return _("Classification");
    case 3: return _("Complainant’s name and address");
    case 4: return _("Summary");
    case 5: return _("Result");
    default: return _("In whose favour");
    }
}

/* The text of one cell, exactly as cd_complaint_journal_to_csv() writes it;
 * valid until the next call. */
static const char *
cell_text (CdJournalPrint    *self,
           const CdComplaint *c,
           guint              column)
{
  const char *text = NULL;

  switch (column)
    {
    case 0:
      text = c->number;
      break;
    case 1:
      {
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (c->received);
        g_autoptr(GDateTime) local = dt != NULL ? g_date_time_to_timezone (dt, self->zone) : NULL;
        g_autofree char *date = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;

        g_string_assign (self->scratch, date != NULL ? date : "");
        return self->scratch->str;
      }
    case 2:
      text = c->klass;
      break;
    case 3:
      text = c->complainant;
      break;
    case 4:
      text = c->summary;
      break;
    case 5:
      if (c->reasons != NULL)
        {
          g_string_printf (self->scratch, _("%s: %s"), cd_complaint_decision_label (c->decision),
                           c->reasons);
          return self->scratch->str;
        }
      text = cd_complaint_decision_label (c->decision);
      break;
    default:
      text = cd_complaint_favour_label (c->favour);
      break;
    }
  return text != NULL ? text : "";
}

/**
 * cd_journal_print_new:
 * @rows: (element-type CdComplaint): the complaints, in order of receipt
 * @title: the title, with the period
 * @zone: the zone of the dates
 *
 * Returns: (transfer full): the journal, to paginate before drawing
 */
CdJournalPrint *
cd_journal_print_new (GPtrArray  *rows,
                      const char *title,
                      GTimeZone  *zone)
{
  CdJournalPrint *self = g_new0 (CdJournalPrint, 1);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);

  g_return_val_if_fail (rows != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);

  self->rows = g_ptr_array_ref (rows);
  self->title = g_strdup (title != NULL ? title : "");
  self->zone = g_time_zone_ref (zone);
  self->printed = g_date_time_format (now, "%Y-%m-%d %H:%M");
  self->heights = g_array_new (FALSE, FALSE, sizeof (double));
  self->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
  self->page_first = g_array_new (FALSE, FALSE, sizeof (guint));
  self->scratch = g_string_new (NULL);
  self->body_font = pango_font_description_from_string ("Sans 8");
  self->head_font = pango_font_description_from_string ("Sans Bold 8");
  self->title_font = pango_font_description_from_string ("Sans Bold 12");
  return self;
}

void
cd_journal_print_free (CdJournalPrint *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rows);
  g_free (self->title);
  g_time_zone_unref (self->zone);
  g_free (self->printed);
  g_clear_object (&self->layout);
  g_clear_object (&self->context);
  pango_font_description_free (self->body_font);
  pango_font_description_free (self->head_font);
  pango_font_description_free (self->title_font);
  g_array_unref (self->heights);
  g_array_unref (self->pieces);
  g_array_unref (self->page_first);
  for (guint col = 0; col < N_COLUMNS; col++)
    g_clear_pointer (&self->repeats[col], g_hash_table_unref);
  g_clear_pointer (&self->advances, g_hash_table_unref);
  g_string_free (self->scratch, TRUE);
  g_free (self);
}

/* The height, in points, of @text laid out in @width points (-1: one
 * line, unwrapped); the natural width in @natural. */
static double
measure (CdJournalPrint *self,
         const char     *text,
         double          width,
         double         *natural)
{
  int w, h;

  pango_layout_set_width (self->layout, width < 0 ? -1 : (int) (width * PANGO_SCALE));
  pango_layout_set_text (self->layout, text, -1);
  pango_layout_get_size (self->layout, &w, &h);
  if (natural != NULL)
    *natural = (double) w / PANGO_SCALE;
  return (double) h / PANGO_SCALE;
}

static double
natural_width (CdJournalPrint *self,
               const char     *text)
{
  double w;

  measure (self, text, -1, &w);
  return w;
}

/* The widest word of a column's title: the title may wrap, a word not. */
static double
title_word_width (CdJournalPrint *self,
                  guint           column)
{
  g_auto(GStrv) words = g_strsplit (column_title (column), " ", -1);
  double widest = 0;

  for (guint i = 0; words[i] != NULL; i++)
    widest = MAX (widest, natural_width (self, words[i]));
  return widest;
}

/* Narrow columns as wide as their widest value or title word; the rest
 * of the width shared by the three columns of free text. */
static void
set_column_widths (CdJournalPrint *self)
{
  static const double share[N_COLUMNS] = { 0, 0, 0, 0.29, 0.42, 0.29, 0 };
  double widths[N_COLUMNS] = { 0 };
  double fixed = 0;
  const char *longest_number = "";

  for (guint i = 0; i < self->rows->len; i++)
    {
      const CdComplaint *c = g_ptr_array_index (self->rows, i);

      if (c->number != NULL && strlen (c->number) > strlen (longest_number))
        longest_number = c->number;
    }

  pango_layout_set_font_description (self->layout, self->head_font);
  for (guint col = 0; col < N_COLUMNS; col++)
    if (share[col] == 0)
      widths[col] = title_word_width (self, col);
  pango_layout_set_font_description (self->layout, self->body_font);
  widths[0] = MAX (widths[0], natural_width (self, longest_number));
  widths[1] = MAX (widths[1], natural_width (self, "2026-12-31"));
  widths[2] = MAX (widths[2], natural_width (self, "A"));
  widths[6] = MAX (widths[6], natural_width (self, cd_complaint_favour_label ("resident")));
  widths[6] = MAX (widths[6], natural_width (self, cd_complaint_favour_label ("organization")));
  for (guint col = 0; col < N_COLUMNS; col++)
    if (share[col] == 0)
      {
        widths[col] = MIN (widths[col] + 2 * PAD_X + 1, self->width * 0.12);
        fixed += widths[col];
      }
  for (guint col = 0; col < N_COLUMNS; col++)
    if (share[col] != 0)
      widths[col] = MAX (self->width - fixed, self->width * 0.4) * share[col];

  self->col_x[0] = 0;
  for (guint col = 0; col < N_COLUMNS; col++)
    self->col_x[col + 1] = self->col_x[col] + widths[col];
}

static double
text_width (CdJournalPrint *self,
            guint           column)
{
  return MAX (self->col_x[column + 1] - self->col_x[column] - 2 * PAD_X, 1);
}

/* The layout of a cell's text at its column's width: for a value that
 * repeats, its own layout, kept; else the one shared layout, laid out anew. */
static PangoLayout *
cell_layout (CdJournalPrint    *self,
             const CdComplaint *c,
             guint              column)
{
  const char *text = cell_text (self, c, column);
  PangoLayout *layout;

  /* A refusal's result carries its reasons: not a repeated value. */
  if (!column_repeats[column] || (column == 5 && c->reasons != NULL))
    {
      pango_layout_set_width (self->layout, (int) (text_width (self, column) * PANGO_SCALE));
      pango_layout_set_text (self->layout, text, -1);
      return self->layout;
    }
  layout = g_hash_table_lookup (self->repeats[column], text);
  if (layout == NULL)
    {
      layout = pango_layout_new (self->context);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_font_description (layout, self->body_font);
      pango_layout_set_width (layout, (int) (text_width (self, column) * PANGO_SCALE));
      pango_layout_set_text (layout, text, -1);
      g_hash_table_insert (self->repeats[column], g_strdup (text), layout);
    }
  return layout;
}

/* Whether @text surely takes one line of @width: its characters' advances,
 * each measured once, add up to well under it. Only for the scripts of the
 * body font (Latin, Greek, Cyrillic, dashes and quotes), whose lines are
 * all as tall; a character another font draws, or a line break, needs the
 * real layout. Most numbers and many summaries fit: pagination lays out
 * only the cells that may wrap. */
static gboolean
fits_one_line (CdJournalPrint *self,
               const char     *text,
               double          width)
{
  double total = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      gpointer known;
      double advance;

      if (ch < 0x20 || (ch >= 0x530 && (ch < 0x2010 || ch > 0x201f)))
        return FALSE;
      if (g_hash_table_lookup_extended (self->advances, GUINT_TO_POINTER (ch), NULL, &known))
        advance = GPOINTER_TO_UINT (known) / (double) PANGO_SCALE;
      else
        {
          char one[8] = { 0 };

          g_unichar_to_utf8 (ch, one);
          measure (self, one, -1, &advance);
          g_hash_table_insert (self->advances, GUINT_TO_POINTER (ch),
                               GUINT_TO_POINTER ((guint) (advance * PANGO_SCALE)));
        }
      total += advance;
      /* Kerning may widen a pair a little: keep a margin. */
      if (total > width * 0.95)
        return FALSE;
    }
  return TRUE;
}

/* A row's height: its tallest cell. */
static double
row_height (CdJournalPrint    *self,
            const CdComplaint *c)
{
  int tallest = 0;

  for (guint col = 0; col < N_COLUMNS; col++)
    {
      int h;

      if (!column_repeats[col] || (col == 5 && c->reasons != NULL))
        {
          const char *text = cell_text (self, c, col);

          if (fits_one_line (self, text, text_width (self, col)))
            continue;
        }
      pango_layout_get_size (cell_layout (self, c, col), NULL, &h);
      tallest = MAX (tallest, h);
    }
  return MAX ((double) tallest / PANGO_SCALE, self->line_h) + 2 * PAD_Y;
}

typedef struct
{
  double top;
  double bottom;
} Band;

/* The lines of every cell of a row, in the row's coordinates: where a row
 * taller than a page may be cut. */
static GArray *
row_lines (CdJournalPrint    *self,
           const CdComplaint *c)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Band));

  for (guint col = 0; col < N_COLUMNS; col++)
    {
      PangoLayoutIter *iter;

      iter = pango_layout_get_iter (cell_layout (self, c, col));
      do
        {
          PangoRectangle logical;
          Band band;

          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          band.top = PAD_Y + (double) logical.y / PANGO_SCALE;
          band.bottom = band.top + (double) logical.height / PANGO_SCALE;
          g_array_append_val (lines, band);
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
    }
  return lines;
}

/* Where to end a piece that starts at @from and may be @room tall: before
 * any line that would be cut, across all the cells. */
static double
cut_row (GArray *lines,
         double  from,
         double  room)
{
  double end = from + room;
  gboolean moved = TRUE;

  while (moved)
    {
      moved = FALSE;
      for (guint i = 0; i < lines->len; i++)
        {
          const Band *band = &g_array_index (lines, Band, i);

          if (band->top >= from && band->top < end && band->bottom > end)
            {
              end = band->top;
              moved = TRUE;
            }
        }
    }
  return end;
}

static void
start_page (CdJournalPrint *self)
{
  guint first = self->pieces->len;

  g_array_append_val (self->page_first, first);
}

static void
add_piece (CdJournalPrint *self,
           guint           row,
           double          from,
           double          to,
           double          y)
{
  Piece piece = { row, from, to, y };

  g_array_append_val (self->pieces, piece);
}

/**
 * cd_journal_print_paginate:
 * @self: the journal
 * @cr: a cairo context whose user unit is the point (a print operation's
 *   with gtk_print_operation_set_unit (op, GTK_UNIT_POINTS)); its font
 *   options and target are the layout's
 * @width: the content area's width, in points
 * @height: its height
 *
 * Lays every row out once, at the width of the columns, and cuts the
 * journal into pages; a row taller than a page is cut between lines.
 *
 * Returns: the number of pages, at least 1
 */
guint
cd_journal_print_paginate (CdJournalPrint *self,
                           cairo_t        *cr,
                           double          width,
                           double          height)
{
  double body, y = 0;

  g_return_val_if_fail (self != NULL, 0);

  g_clear_object (&self->layout);
  g_clear_object (&self->context);
  self->context = pango_cairo_create_context (cr);
  /* The user unit is the point, so a font's size is in points as well. */
  pango_cairo_context_set_resolution (self->context, 72);
  self->layout = pango_layout_new (self->context);
  pango_layout_set_wrap (self->layout, PANGO_WRAP_WORD_CHAR);
  self->width = width;
  self->height = height;
  g_array_set_size (self->heights, 0);
  g_array_set_size (self->pieces, 0);
  g_array_set_size (self->page_first, 0);

  pango_layout_set_font_description (self->layout, self->title_font);
  self->title_h = measure (self, self->title, width, NULL) + 6;
  pango_layout_set_font_description (self->layout, self->body_font);
  /* A line of every script fits_one_line() passes, as tall as any of them
   * is drawn, whichever fonts draw them. */
  self->line_h = measure (self, "AgЖщΩ–”", -1, NULL);
  self->footer_h = self->line_h + 6;

  set_column_widths (self);
  pango_layout_set_font_description (self->layout, self->head_font);
  self->header_h = 0;
  for (guint col = 0; col < N_COLUMNS; col++)
    self->header_h = MAX (self->header_h,
                          measure (self, column_title (col), text_width (self, col), NULL));
  self->header_h += 2 * PAD_Y;
  pango_layout_set_font_description (self->layout, self->body_font);

  /* A page too small for a line still gets its rows, one line a page. */
  body = MAX (height - self->title_h - self->header_h - self->footer_h, self->line_h + 2 * PAD_Y);

  g_clear_pointer (&self->advances, g_hash_table_unref);
  self->advances = g_hash_table_new (NULL, NULL);
  for (guint col = 0; col < N_COLUMNS; col++)
    {
      g_clear_pointer (&self->repeats[col], g_hash_table_unref);
      if (column_repeats[col])
        self->repeats[col] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                    g_object_unref);
    }
  start_page (self);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const CdComplaint *c = g_ptr_array_index (self->rows, i);
      double h = row_height (self, c);

      g_array_append_val (self->heights, h);
      if (h <= body)
        {
          if (y + h > body)
            {
              start_page (self);
              y = 0;
            }
          add_piece (self, i, 0, h, y);
          y += h;
          continue;
        }

      /* Taller than a page: cut between lines, starting on this page if a
       * few lines still fit. */
      {
        g_autoptr(GArray) lines = row_lines (self, c);
        double from = 0;

        if (y > 0 && body - y < 3 * self->line_h + 2 * PAD_Y)
          {
            start_page (self);
            y = 0;
          }
        while (from < h)
          {
            double to = cut_row (lines, from, body - y);

            if (to <= from)
              {
                if (y > 0)
                  {
                    start_page (self);
                    y = 0;
                    continue;
                  }
                to = MIN (from + body, h);
              }
            if (to >= h - PAD_Y)
              to = h;
            add_piece (self, i, from, to, y);
            y += to - from;
            from = to;
            if (from < h)
              {
                start_page (self);
                y = 0;
              }
          }
      }
    }
  return self->page_first->len;
}

static void
rule (cairo_t *cr,
      double   x0,
      double   y0,
      double   x1,
      double   y1,
      double   line_width,
      double   grey)
{
  cairo_set_source_rgb (cr, grey, grey, grey);
  cairo_set_line_width (cr, line_width);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
}

/* A cell's laid out text, its lines whose top lies in [from, to) of the
 * row, the row's @from drawn at @top. */
static void
draw_cell (CdJournalPrint *self,
           cairo_t        *cr,
           PangoLayout    *layout,
           guint           column,
           double          top,
           double          from,
           double          to,
           gboolean        whole)
{
  double x = self->col_x[column] + PAD_X;
  PangoLayoutIter *iter;

  if (whole)
    {
      cairo_move_to (cr, x, top + PAD_Y);
      pango_cairo_show_layout (cr, layout);
      return;
    }
  iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      double line_top;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      line_top = PAD_Y + (double) logical.y / PANGO_SCALE;
      if (line_top >= from && line_top < to)
        {
          double baseline = PAD_Y + (double) pango_layout_iter_get_baseline (iter) / PANGO_SCALE;

          cairo_move_to (cr, x + (double) logical.x / PANGO_SCALE, top + baseline - from);
          pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
        }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/**
 * cd_journal_print_draw_page:
 * @self: the journal, paginated
 * @cr: where to draw, the content area's top left at the origin
 * @page: the page, from 0
 *
 * Draws the title, the header row, the page's rows and the footer.
 */
void
cd_journal_print_draw_page (CdJournalPrint *self,
                            cairo_t        *cr,
                            guint           page)
{
  guint first, last;
  double body_top, body_bottom;
  g_autofree char *page_text = NULL;
  g_autofree char *printed_text = NULL;
  double w;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->layout != NULL);
  if (page >= self->page_first->len)
    return;

  first = g_array_index (self->page_first, guint, page);
  last = page + 1 < self->page_first->len ? g_array_index (self->page_first, guint, page + 1)
                                          : self->pieces->len;

  cairo_save (cr);
  /* One context for all the layouts: they see a change of it by its serial. */
  pango_cairo_update_context (cr, self->context);
  cairo_set_source_rgb (cr, 0, 0, 0);

  pango_layout_set_font_description (self->layout, self->title_font);
  pango_layout_set_width (self->layout, (int) (self->width * PANGO_SCALE));
  pango_layout_set_text (self->layout, self->title, -1);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, self->layout);

  body_top = self->title_h + self->header_h;
  cairo_set_source_rgb (cr, 0.92, 0.92, 0.92);
  cairo_rectangle (cr, 0, self->title_h, self->width, self->header_h);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_layout_set_font_description (self->layout, self->head_font);
  for (guint col = 0; col < N_COLUMNS; col++)
    {
      pango_layout_set_width (self->layout, (int) (text_width (self, col) * PANGO_SCALE));
      pango_layout_set_text (self->layout, column_title (col), -1);
      draw_cell (self, cr, self->layout, col, self->title_h, 0, 0, TRUE);
    }
  rule (cr, 0, self->title_h, self->width, self->title_h, 0.8, 0);
  rule (cr, 0, body_top, self->width, body_top, 0.8, 0);

  pango_layout_set_font_description (self->layout, self->body_font);
  body_bottom = body_top;
  for (guint i = first; i < last; i++)
    {
      const Piece *piece = &g_array_index (self->pieces, Piece, i);
      const CdComplaint *c = g_ptr_array_index (self->rows, piece->row);
      double h = g_array_index (self->heights, double, piece->row);
      gboolean whole = piece->from == 0 && piece->to >= h;
      double top = body_top + piece->y;

      cairo_set_source_rgb (cr, 0, 0, 0);
      for (guint col = 0; col < N_COLUMNS; col++)
        draw_cell (self, cr, cell_layout (self, c, col), col, top, piece->from, piece->to,
                   whole);
      body_bottom = top + piece->to - piece->from;
      rule (cr, 0, body_bottom, self->width, body_bottom, 0.3, 0.55);
    }
  for (guint col = 0; col <= N_COLUMNS; col++)
    rule (cr, self->col_x[col], self->title_h, self->col_x[col], body_bottom, 0.3, 0.55);

  /* Translators: the complaint journal's footer: this page, of how many. */
  page_text = g_strdup_printf (_("Page %u of %u"), page + 1, self->page_first->len);
  /* Translators: the complaint journal's footer: when it was printed. */
  printed_text = g_strdup_printf (_("Printed %s"), self->printed);
  cairo_set_source_rgb (cr, 0, 0, 0);
  pango_layout_set_width (self->layout, -1);
  pango_layout_set_text (self->layout, page_text, -1);
  cairo_move_to (cr, 0, self->height - self->line_h);
  pango_cairo_show_layout (cr, self->layout);
  w = natural_width (self, printed_text);
  cairo_move_to (cr, self->width - w, self->height - self->line_h);
  pango_cairo_show_layout (cr, self->layout);
  cairo_restore (cr);
}

static cairo_status_t
write_file (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  return fwrite (data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS
                                                     : CAIRO_STATUS_WRITE_ERROR;
}

/**
 * cd_journal_print_to_pdf:
 * @self: the journal
 * @path: the PDF file to write
 * @error: where a failure to write goes
 *
 * The whole journal to a PDF file, A4 landscape with margins of half an
 * inch.
 *
 * Returns: whether the file was written
 */
gboolean
cd_journal_print_to_pdf (CdJournalPrint  *self,
                         const char      *path,
                         GError         **error)
{
  FILE *file;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  guint n_pages;
  int saved_errno;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_fopen (path, "wb");
  if (file == NULL)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write the PDF “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  surface = cairo_pdf_surface_create_for_stream (write_file, file, A4_LONG, A4_SHORT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cr = cairo_create (surface);
  n_pages = cd_journal_print_paginate (self, cr, A4_LONG - 2 * MARGIN, A4_SHORT - 2 * MARGIN);
  for (guint page = 0; page < n_pages; page++)
    {
      cairo_save (cr);
      cairo_translate (cr, MARGIN, MARGIN);
      cd_journal_print_draw_page (self, cr, page);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  saved_errno = 0;
  if (fclose (file) != 0)
    saved_errno = errno;

  if (status != CAIRO_STATUS_SUCCESS || saved_errno != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write the PDF “%s”: %s"), path,
                   saved_errno != 0 ? g_strerror (saved_errno) : cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
