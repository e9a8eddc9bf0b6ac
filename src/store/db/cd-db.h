// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-db.h: one connection to a database, SQLite or PostgreSQL
 *
 * The store's SQL is written once, portable, with `?` or `?N` parameters;
 * a connection prepares it for its backend (cd_db_prepare() rewrites the
 * parameters to libpq's `$N`), binds values, steps through the rows and
 * reads columns by index from 0. Where the two SQL dialects cannot share
 * a text, the difference lives here, in cd_db_dialect() and
 * cd_db_begin_write(), never in the store's files.
 *
 * A connection belongs to one thread at a time. Every failure is a
 * GError; a PostgreSQL connection's errors name its host and database,
 * never its password.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_DB_ERROR (cd_db_error_quark ())

/**
 * CdDbError:
 * @CD_DB_ERROR_URI: the location is not a file name nor a PostgreSQL URI
 * @CD_DB_ERROR_CONNECT: the database could not be opened or reached
 *   (no such file, server not running, authentication refused)
 * @CD_DB_ERROR_SQL: a statement failed
 * @CD_DB_ERROR_CONSTRAINT: a statement broke a constraint (a key, a check,
 *   a trigger refusing the change)
 * @CD_DB_ERROR_PERMISSION: the role may not do this (PostgreSQL's grants)
 * @CD_DB_ERROR_SERIALIZATION: a concurrent transaction won; try again
 */
typedef enum
{
  CD_DB_ERROR_URI,
  CD_DB_ERROR_CONNECT,
  CD_DB_ERROR_SQL,
  CD_DB_ERROR_CONSTRAINT,
  CD_DB_ERROR_PERMISSION,
  CD_DB_ERROR_SERIALIZATION,
} CdDbError;

typedef enum
{
  CD_DB_BACKEND_SQLITE,
  CD_DB_BACKEND_POSTGRESQL,
} CdDbBackend;

/* What cd_db_step() found. */
typedef enum
{
  CD_DB_ROW,
  CD_DB_DONE,
  CD_DB_FAILED,
} CdDbStep;

/**
 * CdDbDialect:
 * @CD_DB_DIALECT_INT64: the column type of a 64-bit integer
 * @CD_DB_DIALECT_DOUBLE: the column type of an 8-byte float (PostgreSQL's
 *   REAL has 4)
 * @CD_DB_DIALECT_BLOB: the column type of bytes
 * @CD_DB_DIALECT_TABLE_OPTIONS: what follows a CREATE TABLE's parentheses
 *   (SQLite's `STRICT`, nothing on PostgreSQL)
 * @CD_DB_DIALECT_LIKE_NOCASE: the operator matching a pattern without
 *   regard to case: SQLite's LIKE folds ASCII letters only, PostgreSQL's
 *   ILIKE every letter; the same for Latin text
 * @CD_DB_DIALECT_ROW_KEY: a column naming a row of any table, for a page
 *   chosen over narrow rows then read in full (`rowid`, `ctid`)
 * @CD_DB_DIALECT_BINARY_ORDER: what follows an ORDER BY's expression
 *   for texts to sort by their bytes, as SQLite sorts them by default
 *   (PostgreSQL's `COLLATE "C"`)
 * @CD_DB_N_DIALECT: how many there are
 */
typedef enum
{
  CD_DB_DIALECT_INT64,
  CD_DB_DIALECT_DOUBLE,
  CD_DB_DIALECT_BLOB,
  CD_DB_DIALECT_TABLE_OPTIONS,
  CD_DB_DIALECT_LIKE_NOCASE,
  CD_DB_DIALECT_ROW_KEY,
  CD_DB_DIALECT_BINARY_ORDER,
  CD_DB_N_DIALECT,
} CdDbDialect;

typedef struct _CdDb     CdDb;
typedef struct _CdDbStmt CdDbStmt;

GQuark        cd_db_error_quark   (void);
gboolean      cd_db_is_uri        (const char   *location);
char         *cd_db_redact        (const char   *location);
char         *cd_db_rewrite_params (const char  *sql);

CdDb         *cd_db_open          (const char   *location,
                                   GError      **error);
void          cd_db_close         (CdDb         *db);
CdDbBackend   cd_db_get_backend   (CdDb         *db);
const char   *cd_db_backend_name  (CdDb         *db);
const char   *cd_db_get_location  (CdDb         *db);
const char   *cd_db_dialect       (CdDb         *db,
                                   CdDbDialect   what);

gboolean      cd_db_exec          (CdDb         *db,
                                   const char   *sql,
                                   GError      **error);
gboolean      cd_db_begin         (CdDb         *db,
                                   GError      **error);
gboolean      cd_db_begin_write   (CdDb         *db,
                                   GError      **error);
CdDbStmt     *cd_db_begin_write_reading (CdDb   *db,
                                         const char *sql,
                                         GError **error);
CdDbStmt     *cd_db_begin_write_reading_ahead (CdDb       *db,
                                               CdDbStmt   *ahead,
                                               const char *sql,
                                               GError    **error);
gboolean      cd_db_commit        (CdDb         *db,
                                   GError      **error);
void          cd_db_rollback      (CdDb         *db);
gboolean      cd_db_in_transaction (CdDb        *db);

CdDbStmt     *cd_db_prepare       (CdDb         *db,
                                   const char   *sql,
                                   GError      **error);
void          cd_db_stmt_free     (CdDbStmt     *stmt);
void          cd_db_reset         (CdDbStmt     *stmt);
int           cd_db_parameter_index (CdDbStmt   *stmt,
                                     const char *name);
void          cd_db_bind_text     (CdDbStmt     *stmt,
                                   int           index,
                                   const char   *value);
void          cd_db_bind_text_static (CdDbStmt  *stmt,
                                      int        index,
                                      const char *value);
void          cd_db_bind_int64    (CdDbStmt     *stmt,
                                   int           index,
                                   gint64        value);
void          cd_db_bind_double   (CdDbStmt     *stmt,
                                   int           index,
                                   double        value);
void          cd_db_bind_null     (CdDbStmt     *stmt,
                                   int           index);
void          cd_db_bind_blob     (CdDbStmt     *stmt,
                                   int           index,
                                   const guint8 *data,
                                   gsize         size);
CdDbStep      cd_db_step          (CdDbStmt     *stmt,
                                   GError      **error);
gboolean      cd_db_step_deferred (CdDbStmt     *stmt,
                                   GError      **error);
gint64        cd_db_changes       (CdDbStmt     *stmt);
int           cd_db_column_count  (CdDbStmt     *stmt);
gboolean      cd_db_column_is_null (CdDbStmt    *stmt,
                                    int          column);
const char   *cd_db_column_text   (CdDbStmt     *stmt,
                                   int           column);
gint64        cd_db_column_int64  (CdDbStmt     *stmt,
                                   int           column);
double        cd_db_column_double (CdDbStmt     *stmt,
                                   int           column);
const guint8 *cd_db_column_blob   (CdDbStmt     *stmt,
                                   int           column,
                                   gsize        *size);

/* The SQLite connection under @db, for the store's files that still speak
 * to sqlite3 directly; %NULL on PostgreSQL. */
struct sqlite3 *cd_db_get_sqlite  (CdDb         *db);

gboolean      cd_db_notify        (CdDb         *db,
                                   const char   *channel,
                                   const char   *payload,
                                   GError      **error);
gboolean      cd_db_listen        (CdDb         *db,
                                   const char   *channel,
                                   GError      **error);
char         *cd_db_wait_notification (CdDb     *db,
                                       int       timeout_ms,
                                       GError  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdDb, cd_db_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdDbStmt, cd_db_stmt_free)

G_END_DECLS
