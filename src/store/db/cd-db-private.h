// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-db-private.h: what a backend of CdDb implements */

#pragma once

#include "cd-db.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *dialect[CD_DB_N_DIALECT];

  void          (*close)        (CdDb        *db);
  gboolean      (*exec)         (CdDb        *db,
                                 const char  *sql,
                                 GError     **error);
  /* @sql has its parameters as this backend wants them. */
  CdDbStmt     *(*prepare)      (CdDb        *db,
                                 const char  *sql,
                                 GError     **error);
  void          (*stmt_free)    (CdDbStmt    *stmt);
  void          (*reset)        (CdDbStmt    *stmt);
  void          (*bind)         (CdDbStmt    *stmt,
                                 int          index,
                                 const char  *text,
                                 gint64       int64,
                                 double       real,
                                 const guint8 *blob,
                                 gsize        size,
                                 char         kind);
  CdDbStep      (*step)         (CdDbStmt    *stmt,
                                 GError     **error);
  /* Begins a transaction, runs @lock_sql, @ahead (bound, its rows kept
   * for its first step) when not NULL, and @sql, without parameters, in
   * one round trip; @sql's rows are read through the statement returned
   * (NULL: cd_db_begin_write_reading() begins, then prepares). */
  CdDbStmt     *(*begin_reading) (CdDb       *db,
                                  const char *lock_sql,
                                  CdDbStmt   *ahead,
                                  const char *sql,
                                  GError    **error);
  /* Sends without waiting (NULL: cd_db_step_deferred() steps at once). */
  gboolean      (*step_deferred) (CdDbStmt   *stmt,
                                  GError    **error);
  gint64        (*changes)      (CdDbStmt    *stmt);
  int           (*column_count) (CdDbStmt    *stmt);
  gboolean      (*is_null)      (CdDbStmt    *stmt,
                                 int          column);
  const char   *(*text)         (CdDbStmt    *stmt,
                                 int          column);
  gint64        (*int64)        (CdDbStmt    *stmt,
                                 int          column);
  double        (*real)         (CdDbStmt    *stmt,
                                 int          column);
  const guint8 *(*blob)         (CdDbStmt    *stmt,
                                 int          column,
                                 gsize       *size);
} CdDbClass;

/* The start of every backend's connection and statement. */
struct _CdDb
{
  const CdDbClass *klass;
  char            *location;
  gboolean         in_transaction;
};

struct _CdDbStmt
{
  CdDb      *db;
  /* The named parameters, at their number - 1 (cd_db_parameter_index()). */
  GPtrArray *names;
};

CdDb *cd_db_sqlite_open (const char  *path,
                         GError     **error);
CdDb *cd_db_pg_open     (const char  *uri,
                         GError     **error);

struct sqlite3 *cd_db_sqlite_handle (CdDb *db);
char *cd_db_pg_wait_notification (CdDb     *db,
                                  int       timeout_ms,
                                  GError  **error);

G_END_DECLS
