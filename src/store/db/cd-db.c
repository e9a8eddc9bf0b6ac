// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-db.c: a connection to SQLite or PostgreSQL, the part both share
 *
 * The backends (cd-db-sqlite.c, cd-db-pg.c) implement CdDbClass; this file
 * picks one by the location's form, rewrites parameters for libpq, and
 * holds what must read the same on both: the transactions' shape and the
 * dialect's table.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cd-db-private.h"

G_DEFINE_QUARK (cd-db-error-quark, cd_db_error)

/**
 * cd_db_is_uri:
 * @location: what the user gave as `--db`
 *
 * Returns: whether @location names a PostgreSQL database (a
 *   `postgresql://` or `postgres://` URI) rather than a SQLite file
 */
gboolean
cd_db_is_uri (const char *location)
{
  return location != NULL && (g_str_has_prefix (location, "postgresql://") ||
                              g_str_has_prefix (location, "postgres://"));
}

/**
 * cd_db_redact:
 * @location: a file name or a PostgreSQL URI
 *
 * @location as messages may show it: a URI's password, in its user part or
 * as a `password` parameter, becomes `***`.
 *
 * Returns: (transfer full): the text to show
 */
char *
cd_db_redact (const char *location)
{
  g_autoptr(GString) out = g_string_new (location);
  g_autofree char *authority = NULL;
  const char *scheme_end;
  const char *at;
  const char *colon;
  gsize from = 0;
  char *param;

  if (!cd_db_is_uri (location))
    return g_string_free (g_steal_pointer (&out), FALSE);

  /* The user part ends at the last @ before the path: a password may
   * hold an @ of its own when percent-encoding was forgotten. */
  scheme_end = strstr (location, "://") + 3;
  authority = g_strndup (scheme_end, strcspn (scheme_end, "/?"));
  at = strrchr (authority, '@');
  colon = strchr (authority, ':');
  if (at != NULL && colon != NULL && colon < at)
    {
      colon = scheme_end + (colon - authority);
      at = scheme_end + (at - authority);
      g_string_erase (out, colon + 1 - location, at - colon - 1);
      g_string_insert (out, colon + 1 - location, "***");
    }
  while ((param = strstr (out->str + from, "password=")) != NULL)
    {
      gsize start = param - out->str;
      gsize value = start + strlen ("password=");
      gsize len = strcspn (out->str + value, "&");

      if (start > 0 && out->str[start - 1] != '?' && out->str[start - 1] != '&')
        {
          from = value;
          continue;
        }
      g_string_erase (out, value, len);
      g_string_insert (out, value, "***");
      from = value + 3;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Rewrites `?N` and `?` to @mark followed by the number; with @names,
 * also `:name`, numbered in order of first appearance after the highest
 * so far as SQLite numbers them, its name stored at its number - 1. */
static char *
rewrite_params (const char *sql,
                const char *mark,
                GPtrArray  *names)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (sql) + 16);
  int highest = 0;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '"')
        {
          const char *end = strchr (p + 1, *p);

          if (end == NULL)
            end = p + strlen (p) - 1;
          g_string_append_len (out, p, end - p + 1);
          p = end;
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          gsize len = strcspn (p, "\n");

          g_string_append_len (out, p, len);
          p += len - 1;
        }
      else if (*p == '?')
        {
          int n = 0;

          while (g_ascii_isdigit (p[1]))
            n = n * 10 + (*++p - '0');
          if (n == 0)
            n = highest + 1;
          highest = MAX (highest, n);
          g_string_append_printf (out, "%s%d", mark, n);
        }
      else if (names != NULL && *p == ':' && (g_ascii_isalpha (p[1]) || p[1] == '_') &&
               (p == sql || p[-1] != ':'))
        {
          gsize len = 1;
          g_autofree char *name = NULL;
          int n = 0;

          while (g_ascii_isalnum (p[len]) || p[len] == '_')
            len++;
          name = g_strndup (p, len);
          for (guint i = 0; i < names->len && n == 0; i++)
            if (g_strcmp0 (names->pdata[i], name) == 0)
              n = (int) i + 1;
          if (n == 0)
            {
              n = ++highest;
              while (names->len < (guint) n)
                g_ptr_array_add (names, NULL);
              names->pdata[n - 1] = g_steal_pointer (&name);
            }
          g_string_append_printf (out, "%s%d", mark, n);
          p += len - 1;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * cd_db_rewrite_params:
 * @sql: SQL with SQLite's parameters: `?N`, or `?` for the one after the
 *   highest so far
 *
 * The same SQL with libpq's `$N`. Quoted strings, quoted names and
 * comments are left as they are.
 *
 * Returns: (transfer full): the rewritten SQL
 */
char *
cd_db_rewrite_params (const char *sql)
{
  return rewrite_params (sql, "$", NULL);
}

/**
 * cd_db_open:
 * @location: a `postgresql://` or `postgres://` URI (libpq's), else the
 *   name of a SQLite file, made when missing
 * @error: a #CD_DB_ERROR_URI for a malformed URI, #CD_DB_ERROR_CONNECT
 *   naming the host and database when they cannot be reached or refuse
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
CdDb *
cd_db_open (const char  *location,
            GError     **error)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (cd_db_is_uri (location))
    return cd_db_pg_open (location, error);
  return cd_db_sqlite_open (location, error);
}

void
cd_db_close (CdDb *db)
{
  if (db == NULL)
    return;
  db->klass->close (db);
}

CdDbBackend
cd_db_get_backend (CdDb *db)
{
  return cd_db_is_uri (db->location) ? CD_DB_BACKEND_POSTGRESQL : CD_DB_BACKEND_SQLITE;
}

/**
 * cd_db_backend_name:
 * @db: a connection
 *
 * Returns: `sqlite` or `postgresql`
 */
const char *
cd_db_backend_name (CdDb *db)
{
  return db->klass->name;
}

/**
 * cd_db_get_location:
 * @db: a connection
 *
 * Returns: the file or URI it was opened with, its password redacted
 */
const char *
cd_db_get_location (CdDb *db)
{
  return db->location;
}

/**
 * cd_db_dialect:
 * @db: a connection
 * @what: which piece of SQL
 *
 * The one place the two dialects differ in a text the store writes:
 * `"CREATE TABLE t (n " INT64 ")" TABLE_OPTIONS`, each looked up here.
 *
 * Returns: the SQL for @what on @db's backend
 */
const char *
cd_db_dialect (CdDb        *db,
               CdDbDialect  what)
{
  g_return_val_if_fail (what < CD_DB_N_DIALECT, "");
  return db->klass->dialect[what];
}

/**
 * cd_db_exec:
 * @db: a connection
 * @sql: one or more statements without parameters, separated by `;`
 * @error: return location for an error
 *
 * Returns: whether all of them ran
 */
gboolean
cd_db_exec (CdDb        *db,
            const char  *sql,
            GError     **error)
{
  return db->klass->exec (db, sql, error);
}

/**
 * cd_db_begin:
 * @db: a connection
 * @error: return location for an error
 *
 * Starts a transaction that reads; see cd_db_begin_write() for one that
 * appends to the journal.
 *
 * Returns: whether it started
 */
gboolean
cd_db_begin (CdDb    *db,
             GError **error)
{
  if (!db->klass->exec (db, "BEGIN", error))
    return FALSE;
  db->in_transaction = TRUE;
  return TRUE;
}

/* Any number that no other program on the database takes as its advisory
 * lock: "CDJ1" in ASCII. */
#define CD_DB_WRITE_LOCK "1128549937"

/**
 * cd_db_begin_write:
 * @db: a connection
 * @error: return location for an error
 *
 * Starts a transaction that holds the database's one write lock until it
 * ends, whichever process or connection else writes: what a gap-free
 * journal needs, since the next sequence number is the head's plus one.
 * SQLite takes its file's lock (`BEGIN IMMEDIATE`); PostgreSQL a
 * transaction-level advisory lock, which a rollback or a lost connection
 * releases, so a sequence number is never taken and dropped.
 *
 * Returns: whether it started, the lock held
 */
gboolean
cd_db_begin_write (CdDb    *db,
                   GError **error)
{
  const char *sql = cd_db_get_backend (db) == CD_DB_BACKEND_POSTGRESQL
                        ? "BEGIN; SELECT pg_advisory_xact_lock (" CD_DB_WRITE_LOCK ")"
                        : "BEGIN IMMEDIATE";

  if (!db->klass->exec (db, sql, error))
    {
      cd_db_rollback (db);
      return FALSE;
    }
  db->in_transaction = TRUE;
  return TRUE;
}

/**
 * cd_db_begin_write_reading:
 * @db: a connection
 * @sql: one query without parameters
 * @error: return location for an error
 *
 * cd_db_begin_write() and @sql's first run under the lock, in one round
 * trip on PostgreSQL (a writer's first question, the journal's head, is
 * asked while it holds the lock every other writer waits on). Step the
 * statement for @sql's rows; it runs once: free it, do not reset it.
 *
 * Returns: (transfer full): the statement, or %NULL with @error set and
 *   no transaction open
 */
CdDbStmt *
cd_db_begin_write_reading (CdDb        *db,
                           const char  *sql,
                           GError     **error)
{
  return cd_db_begin_write_reading_ahead (db, NULL, sql, error);
}

/**
 * cd_db_begin_write_reading_ahead:
 * @db: a connection
 * @ahead: (nullable): a statement of @db, prepared and bound, that the
 *   writer will read next (the row it is about to change)
 * @sql: one query without parameters
 * @error: return location for an error
 *
 * cd_db_begin_write_reading(), and on PostgreSQL @ahead runs in the same
 * round trip, under the lock: its first cd_db_step() reads the rows kept
 * then, without asking the server. On SQLite, where a statement costs no
 * round trip, @ahead runs at its first step. Either way, reset @ahead
 * before binding it again.
 *
 * Returns: (transfer full): the statement, or %NULL with @error set and
 *   no transaction open
 */
CdDbStmt *
cd_db_begin_write_reading_ahead (CdDb        *db,
                                 CdDbStmt    *ahead,
                                 const char  *sql,
                                 GError     **error)
{
  CdDbStmt *stmt;

  g_return_val_if_fail (ahead == NULL || ahead->db == db, NULL);

  if (db->klass->begin_reading == NULL)
    {
      if (!cd_db_begin_write (db, error))
        return NULL;
      if ((stmt = cd_db_prepare (db, sql, error)) == NULL)
        cd_db_rollback (db);
      return stmt;
    }
  if ((stmt = db->klass->begin_reading (db, "SELECT pg_advisory_xact_lock (" CD_DB_WRITE_LOCK ")",
                                        ahead, sql, error)) == NULL)
    {
      cd_db_rollback (db);
      return NULL;
    }
  db->in_transaction = TRUE;
  return stmt;
}

gboolean
cd_db_commit (CdDb    *db,
              GError **error)
{
  if (!db->klass->exec (db, "COMMIT", error))
    {
      cd_db_rollback (db);
      return FALSE;
    }
  db->in_transaction = FALSE;
  return TRUE;
}

/* Whether a transaction begun through @db (cd_db_begin(),
 * cd_db_begin_write()) is open. */
gboolean
cd_db_in_transaction (CdDb *db)
{
  return db->in_transaction;
}

/* Rolls back the open transaction, if any; a failure here leaves nothing
 * more to undo, so it is not reported. */
void
cd_db_rollback (CdDb *db)
{
  db->klass->exec (db, "ROLLBACK", NULL);
  db->in_transaction = FALSE;
}

/**
 * cd_db_prepare:
 * @db: a connection
 * @sql: one statement, parameters as `?N` or `?`
 * @error: return location for an error
 *
 * A statement runs at its first cd_db_step() after its parameters are
 * bound; cd_db_reset() lets it run again. On PostgreSQL the whole result
 * is read at the first step, so another statement may run while this
 * one's rows are walked: a caller walking a large table pages it by its
 * key (`WHERE seq > ? ORDER BY seq LIMIT ?`).
 *
 * Returns: (transfer full): the statement, or %NULL with @error set
 */
CdDbStmt *
cd_db_prepare (CdDb        *db,
               const char  *sql,
               GError     **error)
{
  g_autofree char *rewritten = NULL;
  g_autoptr(GPtrArray) names = NULL;
  CdDbStmt *stmt;

  /* Named parameters are numbered here, the same on both backends, for
   * cd_db_parameter_index() to find them; libpq knows none. */
  if (strchr (sql, ':') != NULL)
    names = g_ptr_array_new_with_free_func (g_free);
  if (cd_db_get_backend (db) == CD_DB_BACKEND_POSTGRESQL)
    sql = rewritten = rewrite_params (sql, "$", names);
  else if (names != NULL)
    sql = rewritten = rewrite_params (sql, "?", names);
  stmt = db->klass->prepare (db, sql, error);
  if (stmt != NULL && names != NULL && names->len > 0)
    stmt->names = g_steal_pointer (&names);
  return stmt;
}

/**
 * cd_db_parameter_index:
 * @stmt: a statement
 * @name: a named parameter with its colon, such as `:now`
 *
 * SQL may name its parameters (`:now`), as SQLite does; a name used more
 * than once is one parameter.
 *
 * Returns: the index to bind @name at, or 0 when @stmt does not use it
 */
int
cd_db_parameter_index (CdDbStmt   *stmt,
                       const char *name)
{
  if (stmt->names == NULL)
    return 0;
  for (guint i = 0; i < stmt->names->len; i++)
    if (g_strcmp0 (stmt->names->pdata[i], name) == 0)
      return (int) i + 1;
  return 0;
}

void
cd_db_stmt_free (CdDbStmt *stmt)
{
  if (stmt != NULL)
    {
      g_clear_pointer (&stmt->names, g_ptr_array_unref);
      stmt->db->klass->stmt_free (stmt);
    }
}

/* Forgets the rows and the bound values, for the statement to run again. */
void
cd_db_reset (CdDbStmt *stmt)
{
  stmt->db->klass->reset (stmt);
}

/* Parameters count from 1, as in the SQL. Values are copied. */
void
cd_db_bind_text (CdDbStmt   *stmt,
                 int         index,
                 const char *value)
{
  stmt->db->klass->bind (stmt, index, value, 0, 0, NULL, 0, value != NULL ? 't' : 'n');
}

/* As cd_db_bind_text(), without a copy where the backend can do without:
 * @value must then stay as it is until the statement's next step or
 * reset (a hot path's strings, owned by the object being written). */
void
cd_db_bind_text_static (CdDbStmt   *stmt,
                        int         index,
                        const char *value)
{
  stmt->db->klass->bind (stmt, index, value, 0, 0, NULL, 0, value != NULL ? 's' : 'n');
}

void
cd_db_bind_int64 (CdDbStmt *stmt,
                  int       index,
                  gint64    value)
{
  stmt->db->klass->bind (stmt, index, NULL, value, 0, NULL, 0, 'i');
}

void
cd_db_bind_double (CdDbStmt *stmt,
                   int       index,
                   double    value)
{
  stmt->db->klass->bind (stmt, index, NULL, 0, value, NULL, 0, 'd');
}

void
cd_db_bind_null (CdDbStmt *stmt,
                 int       index)
{
  stmt->db->klass->bind (stmt, index, NULL, 0, 0, NULL, 0, 'n');
}

void
cd_db_bind_blob (CdDbStmt     *stmt,
                 int           index,
                 const guint8 *data,
                 gsize         size)
{
  stmt->db->klass->bind (stmt, index, NULL, 0, 0, data, size, 'b');
}

/**
 * cd_db_step:
 * @stmt: a statement
 * @error: return location for an error
 *
 * Runs @stmt at its first step, then moves to its next row.
 *
 * Returns: %CD_DB_ROW when a row is there to read, %CD_DB_DONE after the
 *   last one, %CD_DB_FAILED with @error set
 */
CdDbStep
cd_db_step (CdDbStmt  *stmt,
            GError   **error)
{
  return stmt->db->klass->step (stmt, error);
}

/**
 * cd_db_step_deferred:
 * @stmt: a statement whose rows and count of changes nobody reads (an
 *   INSERT, an UPDATE, a NOTIFY)
 * @error: return location for an error
 *
 * Runs @stmt without waiting for it, in a transaction: PostgreSQL's
 * statements deferred so go to the server together, in pipeline mode,
 * with the next statement that waits for its answer (a step, an exec,
 * the commit), which then fails with the first of them that failed, its
 * own error; the transaction must then be rolled back. Outside a
 * transaction, and on SQLite, whose statements cost no round trip, it
 * runs at once, as cd_db_step(). Either way, @stmt may be reset or freed
 * as soon as this returns.
 *
 * Returns: whether @stmt ran or was sent; %FALSE with @error set when
 *   it, or a statement deferred before it, failed
 */
gboolean
cd_db_step_deferred (CdDbStmt  *stmt,
                     GError   **error)
{
  CdDb *db = stmt->db;

  if (db->klass->step_deferred != NULL && db->in_transaction)
    return db->klass->step_deferred (stmt, error);
  return db->klass->step (stmt, error) != CD_DB_FAILED;
}

/* The rows the statement inserted, updated or deleted. */
gint64
cd_db_changes (CdDbStmt *stmt)
{
  return stmt->db->klass->changes (stmt);
}

int
cd_db_column_count (CdDbStmt *stmt)
{
  return stmt->db->klass->column_count (stmt);
}

gboolean
cd_db_column_is_null (CdDbStmt *stmt,
                      int       column)
{
  return stmt->db->klass->is_null (stmt, column);
}

/* %NULL for SQL's NULL; valid until the next step or reset. */
const char *
cd_db_column_text (CdDbStmt *stmt,
                   int       column)
{
  return stmt->db->klass->text (stmt, column);
}

gint64
cd_db_column_int64 (CdDbStmt *stmt,
                    int       column)
{
  return stmt->db->klass->int64 (stmt, column);
}

double
cd_db_column_double (CdDbStmt *stmt,
                     int       column)
{
  return stmt->db->klass->real (stmt, column);
}

const guint8 *
cd_db_column_blob (CdDbStmt *stmt,
                   int       column,
                   gsize    *size)
{
  return stmt->db->klass->blob (stmt, column, size);
}

struct sqlite3 *
cd_db_get_sqlite (CdDb *db)
{
  if (cd_db_get_backend (db) != CD_DB_BACKEND_SQLITE)
    return NULL;
  return cd_db_sqlite_handle (db);
}

/* LISTEN/NOTIFY is PostgreSQL's: on a SQLite file, whose writers are all
 * in one process, there is nobody else to tell. */
static gboolean
require_postgresql (CdDb     *db,
                    GError  **error)
{
  if (cd_db_get_backend (db) == CD_DB_BACKEND_POSTGRESQL)
    return TRUE;
  g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL,
               _("“%s” is a SQLite file: notifications need PostgreSQL"), db->location);
  return FALSE;
}

/**
 * cd_db_notify:
 * @db: a connection
 * @channel: the channel
 * @payload: what the listeners receive
 * @error: return location for an error
 *
 * Queues a notification, which PostgreSQL delivers to every connection
 * listening on @channel when the transaction commits, and never when it
 * rolls back. Does nothing on SQLite.
 *
 * Returns: whether it was queued
 */
gboolean
cd_db_notify (CdDb        *db,
              const char  *channel,
              const char  *payload,
              GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;

  if (cd_db_get_backend (db) != CD_DB_BACKEND_POSTGRESQL)
    return TRUE;
  if ((stmt = cd_db_prepare (db, "SELECT pg_notify (?1, ?2)", error)) == NULL)
    return FALSE;
  cd_db_bind_text (stmt, 1, channel);
  cd_db_bind_text (stmt, 2, payload);
  return cd_db_step_deferred (stmt, error);
}

/**
 * cd_db_listen:
 * @db: a PostgreSQL connection
 * @channel: the channel, an SQL identifier
 * @error: return location for an error
 *
 * Returns: whether @db now receives @channel's notifications
 */
gboolean
cd_db_listen (CdDb        *db,
              const char  *channel,
              GError     **error)
{
  g_autofree char *sql = NULL;

  if (!require_postgresql (db, error))
    return FALSE;
  for (const char *c = channel; *c != '\0'; c++)
    g_return_val_if_fail (g_ascii_isalnum (*c) || *c == '_', FALSE);
  sql = g_strdup_printf ("LISTEN %s", channel);
  return db->klass->exec (db, sql, error);
}

/**
 * cd_db_wait_notification:
 * @db: a PostgreSQL connection that cd_db_listen()s
 * @timeout_ms: how long to wait at most
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the next notification's payload,
 *   or %NULL when none came in time (@error unset) or the connection
 *   failed (@error set)
 */
char *
cd_db_wait_notification (CdDb     *db,
                         int       timeout_ms,
                         GError  **error)
{
  if (!require_postgresql (db, error))
    return NULL;
  return cd_db_pg_wait_notification (db, timeout_ms, error);
}
