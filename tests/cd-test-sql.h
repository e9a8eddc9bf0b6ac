// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-sql.h: read a value straight from a database file in a test */
#pragma once

#include <glib.h>
#include <sqlite3.h>

/* The first column of the first row of @sql, read through a connection of
 * its own; %NULL when there is no row. */
static inline char *
cd_test_sql_text (const char *path,
                  const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}
