// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-db-pg.c: CdDb on a PostgreSQL database, through libpq
 *
 * Statements are prepared on the server once (PQprepare) and run with
 * their values as text; a result is read whole at the first step (see
 * cd_db_prepare()). Errors carry the server's message, classed by its
 * SQLSTATE; connection errors name the host and the database, never the
 * password.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "cd-db-private.h"

/* How many statements a connection keeps prepared on the server: the
 * store's SQL is a fixed set of texts, a few hundred at most; past this,
 * a statement is prepared for its own use and deallocated with it. */
#define MAX_PREPARED 512

typedef struct
{
  char *name;
  int   n_params;
} Prepared;

typedef struct
{
  CdDb        base;
  PGconn     *conn;
  guint       next_name;
  /* SQL text -> Prepared: each text is parsed and planned once per
   * connection, not at every cd_db_prepare() (a write prepares a dozen,
   * and each prepare and deallocation was a round trip of its own). */
  GHashTable *prepared;
  /* Statements sent in pipeline mode whose results are not read yet
   * (cd_db_step_deferred()), and the first failure among those read. */
  guint       n_pending;
  GError     *pending_error;
  /* The statements prepared in the pipeline: a failure there may have
   * skipped them, so they are forgotten with it. */
  GPtrArray  *pipeline_prepared;
  /* The channels this connection LISTENs on, to listen again after a
   * reconnect. */
  GPtrArray  *channels;
  /* Counts the reconnects: a statement prepared before the last one is
   * prepared again before it runs. */
  guint       generation;
  /* A statement sent ahead in the pipeline (pg_begin_reading()), and its
   * place there: its result is kept for its first step. */
  CdDbStmt   *ahead;
  guint       ahead_index;
} CdDbPg;

typedef struct
{
  CdDbStmt   base;
  char      *name;
  /* The text, to prepare again on a new connection (reconnect()), and
   * the connection's generation it was prepared in. */
  char      *sql;
  guint      generation;
  /* Whether the statement on the server is the connection's to keep. */
  gboolean   shared;
  int        n_params;
  char     **values;
  int       *lengths;
  int       *formats;
  PGresult  *result;
  int        row;
  gint64     changes;
  /* Bytes unescaped from the current row's bytea columns, by column. */
  GHashTable *blobs;
} CdDbPgStmt;

static PGconn *
conn_of (CdDb *db)
{
  return ((CdDbPg *) db)->conn;
}

/* libpq's messages end with a newline, and may hold several lines. */
static char *
tidy_message (const char *message)
{
  return g_strstrip (g_strdup (message != NULL && *message != '\0' ? message : "?"));
}

static int
code_of_state (const char *state)
{
  if (state == NULL)
    return CD_DB_ERROR_SQL;
  if (g_str_has_prefix (state, "23"))
    return CD_DB_ERROR_CONSTRAINT;
  if (g_str_equal (state, "42501"))
    return CD_DB_ERROR_PERMISSION;
  if (g_str_equal (state, "40001") || g_str_equal (state, "40P01"))
    return CD_DB_ERROR_SERIALIZATION;
  if (g_str_has_prefix (state, "08"))
    return CD_DB_ERROR_CONNECT;
  return CD_DB_ERROR_SQL;
}

/* Whether the failure of @result (NULL: no result at all) is the
 * connection's: libpq says so, or the failure has no SQLSTATE, which
 * every error the server sends has. A write to a socket the server has
 * closed (a crash, an immediate shutdown, a failover) fails so, and libpq
 * marks the connection bad only at a later read. */
static gboolean
connection_lost (CdDbPg   *pg,
                 PGresult *result)
{
  return PQstatus (pg->conn) == CONNECTION_BAD || result == NULL ||
         (PQresultStatus (result) == PGRES_FATAL_ERROR &&
          PQresultErrorField (result, PG_DIAG_SQLSTATE) == NULL);
}

/* Sets @error from @result, or from the connection when there is no
 * result, unless @result succeeded; frees @result when it failed. */
static gboolean
check_result (CdDb      *db,
              PGresult  *result,
              GError   **error)
{
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  g_autofree char *message = NULL;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)
    return TRUE;

  if (result != NULL && PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) != NULL)
    message = tidy_message (PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY));
  else
    message = tidy_message (PQerrorMessage (conn_of (db)));
  g_set_error (error, CD_DB_ERROR,
               connection_lost ((CdDbPg *) db, result)
                   ? CD_DB_ERROR_CONNECT
                   : code_of_state (PQresultErrorField (result, PG_DIAG_SQLSTATE)),
               "%s", message);
  PQclear (result);
  return FALSE;
}

/* Whether a failed call lost the connection (the server restarted,
 * failed over, or ended this session), and may be retried once on a new
 * one: only outside a transaction, where nothing of the caller's is lost
 * with the old connection (inside one, the transaction is gone: its
 * caller rolls back and reports). */
static gboolean
may_reconnect (CdDbPg   *pg,
               PGresult *result)
{
  return connection_lost (pg, result) && !pg->base.in_transaction && pg->n_pending == 0;
}

/* Connects again with the same parameters. What the old session had
 * prepared is gone with it; the channels it listened on are listened on
 * again. Said once in the log: a restart of the database is an
 * operator's event, not an error of the caller's. */
static gboolean
reconnect (CdDbPg *pg)
{
  PQreset (pg->conn);
  if (PQstatus (pg->conn) != CONNECTION_OK)
    return FALSE;
  g_hash_table_remove_all (pg->prepared);
  g_ptr_array_set_size (pg->pipeline_prepared, 0);
  pg->generation++;
  for (guint i = 0; i < pg->channels->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("LISTEN %s", (char *) pg->channels->pdata[i]);
      PGresult *result = PQexec (pg->conn, sql);
      gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

      PQclear (result);
      if (!ok)
        return FALSE;
    }
  g_message ("Connected again to the PostgreSQL database %s", pg->base.location);
  return TRUE;
}

static gboolean
has_name (gpointer key,
          gpointer value,
          gpointer name)
{
  return g_str_equal (((Prepared *) value)->name, name);
}

static void
forget_prepared (CdDbPg     *pg,
                 const char *name)
{
  g_hash_table_foreach_remove (pg->prepared, has_name, (gpointer) name);
}

static void clear_result (CdDbPgStmt *self);
static void set_result   (CdDbPgStmt *self,
                          PGresult   *result);

/* Reads the results of the statements sent in pipeline mode, up to the
 * sync that ends them, and leaves pipeline mode. The first failure is
 * kept in pending_error, with the failing statement's own message: the
 * server skips every statement after it until the sync, and in a
 * transaction block the transaction is failed until rolled back. With
 * @last, the last statement's result is kept there when all succeeded
 * (a step that joined the pipeline: see pg_step()). */
static void
drain_keeping (CdDbPg    *pg,
               PGresult **last)
{
  PGresult *result;
  gboolean synced = FALSE;

  /* Nothing was sent after all (the first statement was refused). */
  if (pg->n_pending == 0)
    {
      if (PQpipelineStatus (pg->conn) != PQ_PIPELINE_OFF)
        PQexitPipelineMode (pg->conn);
      return;
    }
  if (PQpipelineSync (pg->conn))
    {
      for (guint i = 0; i < pg->n_pending; i++)
        while ((result = PQgetResult (pg->conn)) != NULL)
          {
            /* check_result() frees a failure's result. */
            if (PQresultStatus (result) == PGRES_PIPELINE_ABORTED || pg->pending_error != NULL)
              PQclear (result);
            else if (check_result (&pg->base, result, &pg->pending_error))
              {
                if (last != NULL && i + 1 == pg->n_pending && *last == NULL)
                  *last = result;
                else if (pg->ahead != NULL && i == pg->ahead_index &&
                         ((CdDbPgStmt *) pg->ahead)->result == NULL)
                  set_result ((CdDbPgStmt *) pg->ahead, result);
                else
                  PQclear (result);
              }
          }
      if ((result = PQgetResult (pg->conn)) != NULL)
        {
          synced = PQresultStatus (result) == PGRES_PIPELINE_SYNC;
          PQclear (result);
        }
    }
  pg->n_pending = 0;
  /* Its rows are read only when everything before it ran. */
  if (pg->ahead != NULL && pg->pending_error != NULL)
    clear_result ((CdDbPgStmt *) pg->ahead);
  pg->ahead = NULL;
  if ((!synced || !PQexitPipelineMode (pg->conn)) && pg->pending_error == NULL)
    {
      g_autofree char *message = tidy_message (PQerrorMessage (pg->conn));

      g_set_error (&pg->pending_error, CD_DB_ERROR, CD_DB_ERROR_CONNECT,
                   _("Lost the connection to “%s”: %s"), pg->base.location, message);
    }
  if (pg->pending_error != NULL)
    {
      for (guint i = 0; i < pg->pipeline_prepared->len; i++)
        forget_prepared (pg, pg->pipeline_prepared->pdata[i]);
      if (last != NULL)
        g_clear_pointer (last, PQclear);
    }
  g_ptr_array_set_size (pg->pipeline_prepared, 0);
}

static void
drain (CdDbPg *pg)
{
  drain_keeping (pg, NULL);
}

/* Before anything that waits for an answer: the deferred statements'
 * results, and their failure, if any, as this call's. */
static gboolean
settle (CdDb    *db,
        GError **error)
{
  CdDbPg *pg = (CdDbPg *) db;

  drain (pg);
  if (pg->pending_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&pg->pending_error));
      return FALSE;
    }
  return TRUE;
}

static void
prepared_free (Prepared *prepared)
{
  g_free (prepared->name);
  g_free (prepared);
}

static void
pg_close (CdDb *db)
{
  g_clear_pointer (&((CdDbPg *) db)->prepared, g_hash_table_unref);
  g_clear_error (&((CdDbPg *) db)->pending_error);
  g_clear_pointer (&((CdDbPg *) db)->pipeline_prepared, g_ptr_array_unref);
  g_clear_pointer (&((CdDbPg *) db)->channels, g_ptr_array_unref);
  PQfinish (conn_of (db));
  g_free (db->location);
  g_free (db);
}

/* After libpq was given one more statement for the pipeline (@sent). */
static gboolean
queued (CdDbPg   *pg,
        int       sent,
        GError  **error)
{
  if (!sent)
    {
      /* Nothing of this one is on its way: what went before is read,
       * and this failure reported. */
      g_autofree char *message = tidy_message (PQerrorMessage (pg->conn));

      drain (pg);
      if (pg->pending_error == NULL)
        g_set_error (&pg->pending_error, CD_DB_ERROR, CD_DB_ERROR_CONNECT, "%s", message);
      return settle (&pg->base, error);
    }
  pg->n_pending++;
  return TRUE;
}

static gboolean
enter_pipeline (CdDbPg   *pg,
                GError  **error)
{
  if (pg->n_pending == 0 && !PQenterPipelineMode (pg->conn))
    return check_result (&pg->base, NULL, error);
  return TRUE;
}

static gboolean
send_deferred (CdDb        *db,
               const char  *name,
               const char  *sql,
               int          n_params,
               char       **values,
               int         *lengths,
               int         *formats,
               GError     **error)
{
  CdDbPg *pg = (CdDbPg *) db;

  if (!enter_pipeline (pg, error))
    return FALSE;
  if (name != NULL)
    return queued (pg, PQsendQueryPrepared (pg->conn, name, n_params,
                                            (const char * const *) values, lengths, formats, 0),
                   error);
  return queued (pg, PQsendQueryParams (pg->conn, sql, 0, NULL, NULL, NULL, NULL, 0), error);
}

static gboolean
pg_exec (CdDb        *db,
         const char  *sql,
         GError     **error)
{
  CdDbPg *pg = (CdDbPg *) db;
  PGresult *result;

  /* A commit goes out with the statements deferred before it, in one
   * flush, and fails with the first of them that failed. A rollback
   * ends whatever failed: their failure is no longer news. */
  if (pg->n_pending > 0 && g_str_equal (sql, "COMMIT"))
    return send_deferred (db, NULL, sql, 0, NULL, NULL, NULL, error) && settle (db, error);
  if (g_str_equal (sql, "ROLLBACK"))
    {
      drain (pg);
      g_clear_error (&pg->pending_error);
    }
  else if (!settle (db, error))
    return FALSE;

  result = PQexec (conn_of (db), sql);
  /* A COMMIT or ROLLBACK is never sent again: their transaction was the
   * old connection's. */
  if (PQresultStatus (result) != PGRES_COMMAND_OK && may_reconnect (pg, result) &&
      !g_str_equal (sql, "COMMIT") && !g_str_equal (sql, "ROLLBACK") && reconnect (pg))
    {
      PQclear (result);
      result = PQexec (conn_of (db), sql);
    }

  if (!check_result (db, result, error))
    return FALSE;
  if (g_str_has_prefix (sql, "LISTEN "))
    g_ptr_array_add (pg->channels, g_strdup (sql + strlen ("LISTEN ")));
  PQclear (result);
  return TRUE;
}

/* SQLite lets a statement leave some of its numbered parameters unused
 * (an UPDATE bound like the INSERT beside it); PostgreSQL cannot infer
 * the type of a parameter it never sees, so those are declared text,
 * the others left for the server to infer. */
static Oid *
param_types (const char *sql,
             int        *n_params)
{
  g_autofree gboolean *used = NULL;
  Oid *types;
  int highest = 0;

  for (int pass = 0; pass < 2; pass++)
    {
      for (const char *p = sql; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '"')
            {
              const char *end = strchr (p + 1, *p);

              if (end == NULL)
                break;
              p = end;
            }
          else if (*p == '$' && g_ascii_isdigit (p[1]))
            {
              int n = 0;

              while (g_ascii_isdigit (p[1]))
                n = n * 10 + (*++p - '0');
              if (pass == 0)
                highest = MAX (highest, n);
              else if (n > 0)
                used[n - 1] = TRUE;
            }
        }
      if (pass == 0)
        used = g_new0 (gboolean, MAX (highest, 1));
    }
  types = g_new0 (Oid, MAX (highest, 1));
  for (int i = 0; i < highest; i++)
    types[i] = used[i] ? 0 : 25 /* text */;
  *n_params = highest;
  return types;
}

static CdDbStmt *
pg_prepare (CdDb        *db,
            const char  *sql,
            GError     **error)
{
  CdDbPg *pg = (CdDbPg *) db;
  Prepared *prepared = g_hash_table_lookup (pg->prepared, sql);
  g_autofree char *name = NULL;
  g_autofree Oid *types = NULL;
  PGresult *result;
  CdDbPgStmt *stmt;
  int n_params;

  if (prepared != NULL)
    {
      name = g_strdup (prepared->name);
      n_params = prepared->n_params;
    }
  else if (pg->n_pending > 0 && g_hash_table_size (pg->prepared) < MAX_PREPARED)
    {
      /* Statements are deferred: this one's text goes with them rather
       * than making them wait. The server counts its parameters as
       * param_types() does, from the highest $N. */
      name = g_strdup_printf ("cd%u", ++pg->next_name);
      types = param_types (sql, &n_params);
      if (!queued (pg, PQsendPrepare (pg->conn, name, sql, n_params, types), error))
        return NULL;
      g_ptr_array_add (pg->pipeline_prepared, g_strdup (name));
      prepared = g_new0 (Prepared, 1);
      prepared->name = g_strdup (name);
      prepared->n_params = n_params;
      g_hash_table_insert (pg->prepared, g_strdup (sql), prepared);
    }
  else
    {
      if (!settle (db, error))
        return NULL;
      name = g_strdup_printf ("cd%u", ++pg->next_name);
      types = param_types (sql, &n_params);
      result = PQprepare (pg->conn, name, sql, n_params, types);
      if (PQresultStatus (result) != PGRES_COMMAND_OK && may_reconnect (pg, result) &&
          reconnect (pg))
        {
          PQclear (result);
          result = PQprepare (pg->conn, name, sql, n_params, types);
        }
      if (!check_result (db, result, error))
        return NULL;
      PQclear (result);

      result = PQdescribePrepared (pg->conn, name);
      if (!check_result (db, result, error))
        return NULL;
      n_params = PQnparams (result);
      PQclear (result);

      /* A prepared statement is the session's, not the transaction's: a
       * rollback keeps it, so it is kept from the first use on. */
      if (g_hash_table_size (pg->prepared) < MAX_PREPARED)
        {
          prepared = g_new0 (Prepared, 1);
          prepared->name = g_strdup (name);
          prepared->n_params = n_params;
          g_hash_table_insert (pg->prepared, g_strdup (sql), prepared);
        }
    }

  stmt = g_new0 (CdDbPgStmt, 1);
  stmt->base.db = db;
  stmt->name = g_steal_pointer (&name);
  stmt->sql = g_strdup (sql);
  stmt->generation = pg->generation;
  stmt->shared = prepared != NULL;
  stmt->n_params = n_params;
  stmt->values = g_new0 (char *, MAX (n_params, 1));
  stmt->lengths = g_new0 (int, MAX (n_params, 1));
  stmt->formats = g_new0 (int, MAX (n_params, 1));
  stmt->row = -1;
  return &stmt->base;
}

static void
clear_result (CdDbPgStmt *self)
{
  g_clear_pointer (&self->result, PQclear);
  g_clear_pointer (&self->blobs, g_hash_table_unref);
  self->row = -1;
}

static void
pg_reset (CdDbStmt *stmt)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;

  clear_result (self);
  for (int i = 0; i < self->n_params; i++)
    {
      g_clear_pointer (&self->values[i], g_free);
      self->lengths[i] = 0;
      self->formats[i] = 0;
    }
}

static void
pg_stmt_free (CdDbStmt *stmt)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;
  PGconn *conn = conn_of (stmt->db);

  pg_reset (stmt);
  /* A transaction that failed refuses even this until it ends; the name
   * is never used again either way. */
  if (!self->shared)
    drain ((CdDbPg *) stmt->db);
  if (!self->shared &&
      (PQtransactionStatus (conn) == PQTRANS_IDLE || PQtransactionStatus (conn) == PQTRANS_INTRANS))
    {
      g_autofree char *sql = g_strdup_printf ("DEALLOCATE %s", self->name);

      PQclear (PQexec (conn, sql));
    }
  g_free (self->values);
  g_free (self->lengths);
  g_free (self->formats);
  g_free (self->name);
  g_free (self->sql);
  g_free (self);
}

static void
pg_bind (CdDbStmt     *stmt,
         int           index,
         const char   *text,
         gint64        int64,
         double        real,
         const guint8 *blob,
         gsize         size,
         char          kind)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;
  int i = index - 1;

  g_return_if_fail (i >= 0 && i < self->n_params);

  g_clear_pointer (&self->values[i], g_free);
  self->formats[i] = 0;
  self->lengths[i] = 0;
  switch (kind)
    {
    case 't':
    case 's':
      self->values[i] = g_strdup (text);
      break;
    case 'i':
      self->values[i] = g_strdup_printf ("%" G_GINT64_FORMAT, int64);
      break;
    case 'd':
      self->values[i] = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
      g_ascii_dtostr (self->values[i], G_ASCII_DTOSTR_BUF_SIZE, real);
      break;
    case 'b':
      /* Not NULL for no bytes: that would be SQL's NULL. */
      self->values[i] = size > 0 ? g_memdup2 (blob, size) : g_strdup ("");
      self->lengths[i] = size;
      self->formats[i] = 1;
      break;
    default:
      break;
    }
}

static gboolean
result_failed (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY;
}

/* Prepares @self's text under its name on a new connection (and keeps it
 * there when the old one kept it).
 *
 * Returns: %NULL, or the failed preparation's result */
static PGresult *
prepare_again (CdDbPgStmt *self)
{
  CdDbPg *pg = (CdDbPg *) self->base.db;
  g_autofree Oid *types = NULL;
  PGresult *result;
  int n_params;

  types = param_types (self->sql, &n_params);
  result = PQprepare (pg->conn, self->name, self->sql, n_params, types);
  /* Statements of one text share its name: another may have prepared it
   * on this connection already (42P05). */
  if (result_failed (result) &&
      g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), "42P05") != 0)
    return result;
  PQclear (result);
  self->generation = pg->generation;
  if (self->shared && g_hash_table_size (pg->prepared) < MAX_PREPARED &&
      !g_hash_table_contains (pg->prepared, self->sql))
    {
      Prepared *prepared = g_new0 (Prepared, 1);

      prepared->name = g_strdup (self->name);
      prepared->n_params = self->n_params;
      g_hash_table_insert (pg->prepared, g_strdup (self->sql), prepared);
    }
  return NULL;
}

/* A statement prepared before the connection was made again: prepared on
 * the new one before it runs. */
static gboolean
ensure_prepared (CdDbPgStmt  *self,
                 GError     **error)
{
  PGresult *result;

  if (self->sql == NULL || self->generation == ((CdDbPg *) self->base.db)->generation)
    return TRUE;
  if (!settle (self->base.db, error))
    return FALSE;
  if ((result = prepare_again (self)) != NULL)
    return check_result (self->base.db, result, error);
  return TRUE;
}

static void
set_result (CdDbPgStmt *self,
            PGresult   *result)
{
  const char *tuples = PQcmdTuples (result);

  self->result = result;
  self->changes = tuples != NULL && *tuples != '\0' ? g_ascii_strtoll (tuples, NULL, 10) : 0;
}

static CdDbStep
pg_step (CdDbStmt  *stmt,
         GError   **error)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;
  CdDbPg *pg = (CdDbPg *) stmt->db;

  if (self->result == NULL && pg->n_pending > 0 && self->generation == pg->generation)
    {
      PGresult *result = NULL;

      /* Statements wait in the pipeline: this one joins them, and their
       * results and its own come back in one round trip. */
      if (!send_deferred (stmt->db, self->name, NULL, self->n_params, self->values,
                          self->lengths, self->formats, error))
        return CD_DB_FAILED;
      drain_keeping (pg, &result);
      if (pg->pending_error == NULL && result == NULL)
        {
          g_autofree char *message = tidy_message (PQerrorMessage (pg->conn));

          g_set_error (&pg->pending_error, CD_DB_ERROR, CD_DB_ERROR_CONNECT,
                       _("Lost the connection to “%s”: %s"), pg->base.location, message);
        }
      if (pg->pending_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&pg->pending_error));
          return CD_DB_FAILED;
        }
      set_result (self, result);
    }
  else if (self->result == NULL)
    {
      PGresult *result;

      if (!settle (stmt->db, error) || !ensure_prepared (self, error))
        return CD_DB_FAILED;
      result = PQexecPrepared (conn_of (stmt->db), self->name, self->n_params,
                               (const char * const *) self->values, self->lengths,
                               self->formats, 0);
      /* Lost with its connection: on a new one, prepared again; or a
       * statement kept from before a reconnect, whose name the new
       * session does not know (26000). */
      if (result_failed (result) && self->sql != NULL &&
          ((may_reconnect ((CdDbPg *) stmt->db, result) && reconnect ((CdDbPg *) stmt->db)) ||
           (!stmt->db->in_transaction &&
            g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), "26000") == 0)))
        {
          PQclear (result);
          result = prepare_again (self);
          if (result == NULL)
            result = PQexecPrepared (conn_of (stmt->db), self->name, self->n_params,
                                     (const char * const *) self->values, self->lengths,
                                     self->formats, 0);
        }

      /* A table changed under a kept statement so that its rows changed
       * shape (a migration by another process): the server refuses to
       * run it again, and it is prepared anew at its next use. */
      if (result != NULL && self->shared &&
          g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), "0A000") == 0)
        forget_prepared ((CdDbPg *) stmt->db, self->name);
      if (!check_result (stmt->db, result, error))
        return CD_DB_FAILED;
      set_result (self, result);
    }
  if (self->blobs != NULL)
    g_hash_table_remove_all (self->blobs);
  if (self->row + 1 < PQntuples (self->result))
    {
      self->row++;
      return CD_DB_ROW;
    }
  self->row = PQntuples (self->result);
  return CD_DB_DONE;
}

/* The statement goes into the connection's pipeline; its values are
 * copied into libpq's buffer, so the statement may be reset at once. */
static gboolean
pg_step_deferred (CdDbStmt  *stmt,
                  GError   **error)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;

  clear_result (self);
  self->changes = 0;
  if (!ensure_prepared (self, error))
    return FALSE;
  return send_deferred (stmt->db, self->name, NULL, self->n_params, self->values,
                        self->lengths, self->formats, error);
}

static gboolean
send_ahead (CdDbPg      *pg,
            CdDbPgStmt  *ahead,
            GError     **error)
{
  pg->ahead = &ahead->base;
  pg->ahead_index = pg->n_pending;
  if (send_deferred (&pg->base, ahead->name, NULL, ahead->n_params, ahead->values,
                     ahead->lengths, ahead->formats, error))
    return TRUE;
  pg->ahead = NULL;
  return FALSE;
}

/* BEGIN, the lock and @sql's first run go out in one pipeline, each
 * statement prepared once per connection: a write's first round trip
 * is parsed and planned on the server no more than its others. */
static CdDbStmt *
pg_begin_reading (CdDb        *db,
                  const char  *lock_sql,
                  CdDbStmt    *ahead,
                  const char  *sql,
                  GError     **error)
{
  CdDbPg *pg = (CdDbPg *) db;

  if (!settle (db, error))
    return NULL;
  if (ahead != NULL)
    clear_result ((CdDbPgStmt *) ahead);
  for (int attempt = 0;; attempt++)
    {
      g_autoptr(CdDbStmt) lock = NULL;
      g_autoptr(CdDbStmt) stmt = NULL;
      GError *local_error = NULL;

      if ((lock = pg_prepare (db, lock_sql, &local_error)) != NULL &&
          (stmt = pg_prepare (db, sql, &local_error)) != NULL &&
          (ahead == NULL || ensure_prepared ((CdDbPgStmt *) ahead, &local_error)) &&
          send_deferred (db, NULL, "BEGIN", 0, NULL, NULL, NULL, &local_error) &&
          pg_step_deferred (lock, &local_error) &&
          (ahead == NULL || send_ahead (pg, (CdDbPgStmt *) ahead, &local_error)) &&
          pg_step (stmt, &local_error) != CD_DB_FAILED)
        {
          /* Read again from its first row by the caller's first step. */
          ((CdDbPgStmt *) stmt)->row = -1;
          return g_steal_pointer (&stmt);
        }
      /* The connection was lost before anything of the transaction ran:
       * once more on a new one, as a lone statement would be. */
      if (attempt == 0 && g_error_matches (local_error, CD_DB_ERROR, CD_DB_ERROR_CONNECT) &&
          pg->n_pending == 0 && reconnect (pg))
        {
          g_clear_error (&local_error);
          continue;
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
}

static gint64
pg_changes (CdDbStmt *stmt)
{
  return ((CdDbPgStmt *) stmt)->changes;
}

static int
pg_column_count (CdDbStmt *stmt)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;

  return self->result != NULL ? PQnfields (self->result) : 0;
}

static gboolean
has_value (CdDbPgStmt *self,
           int         column)
{
  return self->result != NULL && self->row >= 0 && self->row < PQntuples (self->result) &&
         column >= 0 && column < PQnfields (self->result) &&
         !PQgetisnull (self->result, self->row, column);
}

static gboolean
pg_is_null (CdDbStmt *stmt,
            int       column)
{
  return !has_value ((CdDbPgStmt *) stmt, column);
}

static const char *
pg_column_text (CdDbStmt *stmt,
         int       column)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;

  return has_value (self, column) ? PQgetvalue (self->result, self->row, column) : NULL;
}

static gint64
pg_column_int64 (CdDbStmt *stmt,
          int       column)
{
  const char *text = pg_column_text (stmt, column);

  /* A boolean reads as SQLite's 0 or 1. */
  if (text != NULL && (text[0] == 't' || text[0] == 'f') && text[1] == '\0')
    return text[0] == 't';
  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static double
pg_column_real (CdDbStmt *stmt,
         int       column)
{
  const char *text = pg_column_text (stmt, column);

  return text != NULL ? g_ascii_strtod (text, NULL) : 0;
}

static const guint8 *
pg_column_blob (CdDbStmt *stmt,
         int       column,
         gsize    *size)
{
  CdDbPgStmt *self = (CdDbPgStmt *) stmt;
  const char *text = pg_column_text (stmt, column);
  GBytes *bytes;
  unsigned char *raw;
  size_t len = 0;

  *size = 0;
  if (text == NULL)
    return NULL;
  if (self->blobs == NULL)
    self->blobs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_bytes_unref);
  if ((bytes = g_hash_table_lookup (self->blobs, GINT_TO_POINTER (column + 1))) == NULL)
    {
      if ((raw = PQunescapeBytea ((const unsigned char *) text, &len)) == NULL)
        return NULL;
      bytes = g_bytes_new_with_free_func (raw, len, PQfreemem, raw);
      g_hash_table_insert (self->blobs, GINT_TO_POINTER (column + 1), bytes);
    }
  return g_bytes_get_data (bytes, size);
}

static void
ignore_notice (void       *data,
               const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static const CdDbClass pg_class = {
  .name = "postgresql",
  .dialect = {
    [CD_DB_DIALECT_INT64] = "BIGINT",
    [CD_DB_DIALECT_DOUBLE] = "DOUBLE PRECISION",
    [CD_DB_DIALECT_BLOB] = "BYTEA",
    [CD_DB_DIALECT_TABLE_OPTIONS] = "",
    [CD_DB_DIALECT_LIKE_NOCASE] = "ILIKE",
    [CD_DB_DIALECT_ROW_KEY] = "ctid",
    [CD_DB_DIALECT_BINARY_ORDER] = " COLLATE \"C\"",
  },
  .close = pg_close,
  .exec = pg_exec,
  .prepare = pg_prepare,
  .stmt_free = pg_stmt_free,
  .reset = pg_reset,
  .bind = pg_bind,
  .step = pg_step,
  .begin_reading = pg_begin_reading,
  .step_deferred = pg_step_deferred,
  .changes = pg_changes,
  .column_count = pg_column_count,
  .is_null = pg_is_null,
  .text = pg_column_text,
  .int64 = pg_column_int64,
  .real = pg_column_real,
  .blob = pg_column_blob,
};

/* A URI's password (in its user part or as a parameter), so that no
 * message shows it, even one of libpq's quoting the URI. */
static char *
hide_password (const char *message,
               const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  g_autofree char *out = g_strdup (message);

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    {
      if (g_str_equal (o->keyword, "password") && o->val != NULL && *o->val != '\0')
        {
          g_auto(GStrv) parts = g_strsplit (out, o->val, -1);

          g_free (out);
          out = g_strjoinv ("***", parts);
        }
    }
  PQconninfoFree (options);
  return g_steal_pointer (&out);
}

CdDb *
cd_db_pg_open (const char  *uri,
               GError     **error)
{
  /* Defaults the URI may override (it comes after them): a database host
   * that vanishes from the network makes a connection attempt, and then a
   * statement, fail in seconds, not at the kernel's TCP timeout, which
   * would hold the server's main loop. Unix sockets ignore them. */
  static const char * const keywords[] = {
    "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
    "tcp_user_timeout", "dbname", NULL,
  };
  const char *values[] = { "10", "30", "10", "3", "30000", uri, NULL };

  g_autofree char *shown = cd_db_redact (uri);
  PQconninfoOption *options;
  char *parse_error = NULL;
  PGconn *conn;
  CdDbPg *db;

  if ((options = PQconninfoParse (uri, &parse_error)) == NULL)
    {
      g_autofree char *message = tidy_message (parse_error);
      g_autofree char *safe = NULL;

      /* libpq may quote the part it could not read, password and all. */
      safe = g_strrstr (message, "@") != NULL || g_strrstr (message, "password") != NULL
                 ? g_strdup (_("malformed URI")) : g_steal_pointer (&message);
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_URI,
                   _("“%s” is not a PostgreSQL URI: %s"), shown, safe);
      PQfreemem (parse_error);
      return NULL;
    }
  PQconninfoFree (options);

  conn = PQconnectdbParams (keywords, values, TRUE);
  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = tidy_message (conn != NULL ? PQerrorMessage (conn) : NULL);
      g_autofree char *safe = hide_password (message, uri);
      const char *host = conn != NULL ? PQhost (conn) : NULL;
      const char *name = conn != NULL ? PQdb (conn) : NULL;

      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_CONNECT,
                   _("Cannot connect to the PostgreSQL database “%s” on “%s”: %s"),
                   name != NULL ? name : "?", host != NULL && *host != '\0' ? host : "localhost",
                   safe);
      PQfinish (conn);
      return NULL;
    }
  PQsetNoticeProcessor (conn, ignore_notice, NULL);

  db = g_new0 (CdDbPg, 1);
  db->base.klass = &pg_class;
  db->base.location = g_steal_pointer (&shown);
  db->conn = conn;
  db->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) prepared_free);
  db->pipeline_prepared = g_ptr_array_new_with_free_func (g_free);
  db->channels = g_ptr_array_new_with_free_func (g_free);
  return &db->base;
}

/* Waits on the connection's socket, so that a listener sleeps until the
 * server has something for it. */
char *
cd_db_pg_wait_notification (CdDb     *db,
                            int       timeout_ms,
                            GError  **error)
{
  PGconn *conn = conn_of (db);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      PGnotify *notify;
      GPollFD fd = { PQsocket (conn), G_IO_IN, 0 };
      gint64 left;

      if (!PQconsumeInput (conn))
        {
          g_autofree char *message = tidy_message (PQerrorMessage (conn));

          g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_CONNECT,
                       _("Lost the connection to “%s”: %s"), db->location, message);
          return NULL;
        }
      if ((notify = PQnotifies (conn)) != NULL)
        {
          char *payload = g_strdup (notify->extra);

          PQfreemem (notify);
          return payload;
        }
      left = deadline - g_get_monotonic_time ();
      if (left <= 0)
        return NULL;
      g_poll (&fd, 1, (int) MAX (1, left / 1000));
    }
}
