// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-db-sqlite.c: CdDb on a SQLite file */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "cd-db-private.h"

typedef struct
{
  CdDb     base;
  sqlite3 *handle;
} CdDbSqlite;

typedef struct
{
  CdDbStmt      base;
  sqlite3_stmt *handle;
  gint64        changes;
} CdDbSqliteStmt;

static sqlite3 *
handle_of (CdDb *db)
{
  return ((CdDbSqlite *) db)->handle;
}

static gboolean
set_error (CdDb    *db,
           int      rc,
           GError **error)
{
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      code = CD_DB_ERROR_CONSTRAINT;
      break;
    case SQLITE_AUTH:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = CD_DB_ERROR_PERMISSION;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = CD_DB_ERROR_SERIALIZATION;
      break;
    default:
      code = CD_DB_ERROR_SQL;
    }
  g_set_error (error, CD_DB_ERROR, code, "%s", sqlite3_errmsg (handle_of (db)));
  return FALSE;
}

static void
sqlite_close (CdDb *db)
{
  sqlite3_close_v2 (handle_of (db));
  g_free (db->location);
  g_free (db);
}

static gboolean
sqlite_exec (CdDb        *db,
             const char  *sql,
             GError     **error)
{
  int rc = sqlite3_exec (handle_of (db), sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || set_error (db, rc, error);
}

static CdDbStmt *
sqlite_prepare (CdDb        *db,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *handle = NULL;
  CdDbSqliteStmt *stmt;
  int rc;

  if ((rc = sqlite3_prepare_v3 (handle_of (db), sql, -1, SQLITE_PREPARE_PERSISTENT, &handle,
                                NULL)) != SQLITE_OK)
    {
      set_error (db, rc, error);
      return NULL;
    }
  stmt = g_new0 (CdDbSqliteStmt, 1);
  stmt->base.db = db;
  stmt->handle = handle;
  return &stmt->base;
}

static void
sqlite_stmt_free (CdDbStmt *stmt)
{
  sqlite3_finalize (((CdDbSqliteStmt *) stmt)->handle);
  g_free (stmt);
}

static void
sqlite_reset (CdDbStmt *stmt)
{
  sqlite3_stmt *handle = ((CdDbSqliteStmt *) stmt)->handle;

  sqlite3_reset (handle);
  sqlite3_clear_bindings (handle);
}

static void
sqlite_bind (CdDbStmt     *stmt,
             int           index,
             const char   *text,
             gint64        int64,
             double        real,
             const guint8 *blob,
             gsize         size,
             char          kind)
{
  sqlite3_stmt *handle = ((CdDbSqliteStmt *) stmt)->handle;

  switch (kind)
    {
    case 't':
      sqlite3_bind_text (handle, index, text, -1, SQLITE_TRANSIENT);
      break;
    case 's':
      sqlite3_bind_text (handle, index, text, -1, SQLITE_STATIC);
      break;
    case 'i':
      sqlite3_bind_int64 (handle, index, int64);
      break;
    case 'd':
      sqlite3_bind_double (handle, index, real);
      break;
    case 'b':
      /* SQLite takes a NULL pointer for SQL's NULL, not for no bytes. */
      if (size == 0)
        sqlite3_bind_zeroblob (handle, index, 0);
      else
        sqlite3_bind_blob64 (handle, index, blob, size, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_bind_null (handle, index);
    }
}

static CdDbStep
sqlite_step (CdDbStmt  *stmt,
             GError   **error)
{
  CdDbSqliteStmt *self = (CdDbSqliteStmt *) stmt;
  int rc = sqlite3_step (self->handle);

  if (rc == SQLITE_ROW)
    return CD_DB_ROW;
  if (rc == SQLITE_DONE)
    {
      self->changes = sqlite3_changes64 (handle_of (stmt->db));
      return CD_DB_DONE;
    }
  /* The statement's error is the connection's until it is reset. */
  set_error (stmt->db, rc, error);
  sqlite3_reset (self->handle);
  return CD_DB_FAILED;
}

static gint64
sqlite_changes (CdDbStmt *stmt)
{
  return ((CdDbSqliteStmt *) stmt)->changes;
}

static int
sqlite_column_count (CdDbStmt *stmt)
{
  return sqlite3_column_count (((CdDbSqliteStmt *) stmt)->handle);
}

static gboolean
sqlite_is_null (CdDbStmt *stmt,
                int       column)
{
  return sqlite3_column_type (((CdDbSqliteStmt *) stmt)->handle, column) == SQLITE_NULL;
}

static const char *
sqlite_text (CdDbStmt *stmt,
             int       column)
{
  return (const char *) sqlite3_column_text (((CdDbSqliteStmt *) stmt)->handle, column);
}

static gint64
sqlite_column_int64 (CdDbStmt *stmt,
              int       column)
{
  return sqlite3_column_int64 (((CdDbSqliteStmt *) stmt)->handle, column);
}

static double
sqlite_real (CdDbStmt *stmt,
             int       column)
{
  return sqlite3_column_double (((CdDbSqliteStmt *) stmt)->handle, column);
}

static const guint8 *
sqlite_blob (CdDbStmt *stmt,
             int       column,
             gsize    *size)
{
  sqlite3_stmt *handle = ((CdDbSqliteStmt *) stmt)->handle;
  const guint8 *data = sqlite3_column_blob (handle, column);

  *size = sqlite3_column_bytes (handle, column);
  return data;
}

static const CdDbClass sqlite_class = {
  .name = "sqlite",
  .dialect = {
    [CD_DB_DIALECT_INT64] = "INTEGER",
    [CD_DB_DIALECT_DOUBLE] = "REAL",
    [CD_DB_DIALECT_BLOB] = "BLOB",
    [CD_DB_DIALECT_TABLE_OPTIONS] = " STRICT",
    [CD_DB_DIALECT_LIKE_NOCASE] = "LIKE",
    [CD_DB_DIALECT_ROW_KEY] = "rowid",
    [CD_DB_DIALECT_BINARY_ORDER] = "",
  },
  .close = sqlite_close,
  .exec = sqlite_exec,
  .prepare = sqlite_prepare,
  .stmt_free = sqlite_stmt_free,
  .reset = sqlite_reset,
  .bind = sqlite_bind,
  .step = sqlite_step,
  .changes = sqlite_changes,
  .column_count = sqlite_column_count,
  .is_null = sqlite_is_null,
  .text = sqlite_text,
  .int64 = sqlite_column_int64,
  .real = sqlite_real,
  .blob = sqlite_blob,
};

/* A connection belongs to one thread at a time (cd-db.h): SQLite's own
 * mutexes would only cost. */
sqlite3 *
cd_db_sqlite_handle (CdDb *db)
{
  return handle_of (db);
}

CdDb *
cd_db_sqlite_open (const char  *path,
                   GError     **error)
{
  sqlite3 *handle = NULL;
  CdDbSqlite *db;

  if (sqlite3_open_v2 (path, &handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_CONNECT, _("Cannot open “%s”: %s"), path,
                   handle != NULL ? sqlite3_errmsg (handle) : g_strerror (ENOMEM));
      sqlite3_close_v2 (handle);
      return NULL;
    }
  /* Another connection holding the write lock (the server's) makes this
   * one wait a while rather than fail at once. */
  sqlite3_busy_timeout (handle, 10000);
  sqlite3_extended_result_codes (handle, 1);

  db = g_new0 (CdDbSqlite, 1);
  db->base.klass = &sqlite_class;
  db->base.location = g_strdup (path);
  db->handle = handle;
  return &db->base;
}
