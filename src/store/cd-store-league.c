// SPDX-License-Identifier: GPL-3.0-or-later
//
// The executor league table: who keeps their tickets, over a chosen
// period. Open and overdue are counted now; the rest over the tickets
// resolved in the period, so that a quiet week is not hidden by a busy
// year. Best on-time share first.

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cd-store-league.h"
#include "cd-store-overdue-private.h"
#include "cd-store-overdue.h"
#include "cd-store-private.h"
#include "cd-ticket-list-model.h"

void
cd_league_row_free (CdLeagueRow *row)
{
  if (row == NULL)
    return;
  g_free (row->executor);
  g_free (row);
}

/**
 * cd_league_row_on_time:
 *
 * The share on time of the overdue breakdown (cd_overdue_on_time_condition(),
 * docs/overdue-dashboard.md, "On time"), taken of the tickets resolved in the period.
 *
 * Returns: the share of tickets resolved in the period under an SLA policy
 *   that are on time, from 0 to 1; -1 when none was
 */
double
cd_league_row_on_time (const CdLeagueRow *row)
{
  return row->judged > 0 ? (double) row->on_time / (double) row->judged : -1;
}

/**
 * cd_league_row_reopen_rate:
 *
 * Returns: the share of tickets resolved in the period that the resident
 *   reopened, from 0 to 1; -1 when none was resolved
 */
double
cd_league_row_reopen_rate (const CdLeagueRow *row)
{
  return row->resolved > 0 ? (double) row->reopened / (double) row->resolved : -1;
}

static CdLeagueRow *
row_for (GHashTable *rows,
         const char *executor)
{
  CdLeagueRow *row = g_hash_table_lookup (rows, executor);

  if (row == NULL)
    {
      row = g_new0 (CdLeagueRow, 1);
      row->executor = g_strdup (executor);
      row->median_resolve = -1;
      g_hash_table_insert (rows, row->executor, row);
    }
  return row;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CdLeagueRow *x = *(CdLeagueRow **) a;
  const CdLeagueRow *y = *(CdLeagueRow **) b;
  double sx = cd_league_row_on_time (x), sy = cd_league_row_on_time (y);

  if (sx != sy)
    return sx > sy ? -1 : 1;
  if (x->overdue != y->overdue)
    return x->overdue < y->overdue ? -1 : 1;
  return g_strcmp0 (x->executor, y->executor);
}

static void
set_median (CdLeagueRow *row,
            GArray      *durations)
{
  guint n = durations->len;

  if (row == NULL || n == 0)
    return;
  /* Already sorted by SQL. */
  row->median_resolve = n % 2 == 1
    ? g_array_index (durations, gint64, n / 2)
    : (g_array_index (durations, gint64, n / 2 - 1) + g_array_index (durations, gint64, n / 2)) / 2;
}

/**
 * cd_store_executor_league:
 * @self: a store
 * @since: the start of the period (Unix seconds, included)
 * @until: its end (excluded)
 * @now: the moment open and overdue are counted at
 *
 * Returns: (transfer container) (element-type CdLeagueRow): one row per
 *   executor with open tickets or tickets resolved in the period, best
 *   on-time share first
 */
GPtrArray *
cd_store_executor_league (CdStore  *self,
                          gint64    since,
                          gint64    until,
                          gint64    now,
                          GError  **error)
{
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) cd_league_row_free);
  g_autoptr(GArray) durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *breached = cd_overdue_tile_condition (CD_OVERDUE_TILE_BREACHED);
  g_autofree char *on_time = cd_overdue_on_time_condition ();
  g_autofree char *open_sql = NULL;
  g_autofree char *resolved_sql = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  GPtrArray *result;
  CdLeagueRow *current = NULL;
  GHashTableIter iter;
  gpointer value;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!cd_store_flush (self, error))
    return NULL;

  /* A condition is counted as CASE … THEN 1: PostgreSQL sums no booleans. */
  open_sql = g_strdup_printf ("SELECT executor, count(*), sum(CASE WHEN %s THEN 1 ELSE 0 END) "
                              "FROM tickets WHERE open = 1 AND executor IS NOT NULL "
                              "GROUP BY executor",
                              breached);
  if ((stmt = cd_db_prepare (self->conn, open_sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("counting open tickets by executor"), db_error, error),
           NULL;
  cd_overdue_bind_times_db (self, stmt, now);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      CdLeagueRow *row = row_for (rows, cd_db_column_text (stmt, 0));

      row->open = cd_db_column_int64 (stmt, 1);
      row->overdue = cd_db_column_int64 (stmt, 2);
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("counting open tickets by executor"), db_error, error),
           NULL;
  g_clear_pointer (&stmt, cd_db_stmt_free);

  /* The executors in bytes' order on both backends, for the median's
   * runs; the truths read as 0 or 1 on both. */
  resolved_sql = g_strdup_printf ("SELECT executor, resolved_at - created_at, "
                                  "CASE WHEN %s THEN 1 ELSE 0 END, "
                                  "CASE WHEN %s THEN 1 ELSE 0 END, "
                                  "CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END FROM tickets "
                                  "WHERE resolved_at >= :since AND resolved_at < :until "
                                  "AND executor IS NOT NULL ORDER BY executor%s, 2",
                                  cd_overdue_judged_condition (), on_time,
                                  cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER));
  if ((stmt = cd_db_prepare (self->conn, resolved_sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("reading resolved tickets"), db_error, error), NULL;
  cd_db_bind_int64 (stmt, cd_db_parameter_index (stmt, ":since"), since);
  cd_db_bind_int64 (stmt, cd_db_parameter_index (stmt, ":until"), until);
  cd_overdue_bind_times_db (self, stmt, now);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      const char *executor = cd_db_column_text (stmt, 0);
      gint64 duration = cd_db_column_int64 (stmt, 1);

      if (current == NULL || !g_str_equal (current->executor, executor))
        {
          set_median (current, durations);
          g_array_set_size (durations, 0);
          current = row_for (rows, executor);
        }
      current->resolved++;
      current->judged += cd_db_column_int64 (stmt, 2);
      current->on_time += cd_db_column_int64 (stmt, 3);
      current->reopened += cd_db_column_int64 (stmt, 4);
      g_array_append_val (durations, duration);
    }
  set_median (current, durations);
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading resolved tickets"), db_error, error), NULL;

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_league_row_free);
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (result, value);
      g_hash_table_iter_steal (&iter);
    }
  g_ptr_array_sort (result, compare_rows);
  return result;
}

/**
 * cd_league_write_csv:
 * @rows: (element-type CdLeagueRow): the table
 * @file: where to write it (created private to the user)
 *
 * Writes RFC 4180 CSV with a header line; shares as decimals, times in
 * seconds, so that a spreadsheet can compute with them.
 */
gboolean
cd_league_write_csv (GPtrArray  *rows,
                     GFile      *file,
                     GError    **error)
{
  g_autoptr(GString) csv = g_string_new (
      "executor,open,overdue,resolved,on_time_share,reopen_rate,median_resolve_seconds\r\n");

  for (guint i = 0; i < rows->len; i++)
    {
      CdLeagueRow *row = g_ptr_array_index (rows, i);
      char on_time[G_ASCII_DTOSTR_BUF_SIZE] = "", reopen[G_ASCII_DTOSTR_BUF_SIZE] = "";

      if (row->judged > 0)
        g_ascii_formatd (on_time, sizeof on_time, "%.4f", cd_league_row_on_time (row));
      if (row->resolved > 0)
        g_ascii_formatd (reopen, sizeof reopen, "%.4f", cd_league_row_reopen_rate (row));
      cd_csv_append_field (csv, row->executor);
      g_string_append_printf (csv,
                              ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                              ",%s,%s,",
                              row->open, row->overdue, row->resolved, on_time, reopen);
      if (row->median_resolve >= 0)
        g_string_append_printf (csv, "%" G_GINT64_FORMAT, row->median_resolve);
      g_string_append (csv, "\r\n");
    }

  return g_file_replace_contents (file, csv->str, csv->len, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                  NULL, NULL, error);
}
