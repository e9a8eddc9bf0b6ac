// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-journal.c: appending to the journal and keeping the projection
 *
 * Every change goes through cd_store_append(): inside one transaction it
 * applies the event to its ticket with cd_ticket_apply() (the same code the
 * desktop runs when it syncs), gives the event the next sequence number and
 * its hash, and inserts it. The ticket rows changed in a transaction are
 * written once, at commit, in the same transaction: a crash leaves either
 * the events and their projection, or neither.
 *
 * Statements are prepared once per store and reused. In bulk mode (for
 * generators and imports) the store trades durability of the last
 * transactions for speed: a crash may lose whole recent transactions, but
 * still never half of one.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "cd-category.h"
#include "cd-input.h"
#include "cd-journal-db.h"
#include "cd-missed-call.h"
#include "cd-personal.h"
#include "cd-store-private.h"
#include "cd-store-qa.h"

#define TICKET_COLUMNS \
  "id, number, year, kind, category, category_group, channel, district, street, building, " \
  "flat, lat, lon, resident_name, resident_phone, description, executor, repeat_of, " \
  "duplicate_of, notice, policy, state, open, created_at, updated_at, assigned_at, " \
  "accepted_at, resolved_at, closed_at, due_at, reopen_count, escalations, extensions, last_seq, " \
  "resume_state, incident, at_risk_at, breached, clocks, executor_at, reminders"

/* What an event after `register` can change: SQLite rewrites every index
 * on a column an UPDATE names, and the registration's columns (kind,
 * category, address, resident, policy, created_at) never change. */
#define TICKET_CHANGES \
  "executor = ?17, repeat_of = ?18, duplicate_of = ?19, notice = ?20, " \
  "state = ?22, open = ?23, updated_at = ?25, assigned_at = ?26, accepted_at = ?27, " \
  "resolved_at = ?28, closed_at = ?29, due_at = ?30, reopen_count = ?31, escalations = ?32, " \
  "extensions = ?33, last_seq = ?34, resume_state = ?35, incident = ?36, at_risk_at = ?37, " \
  "breached = ?38, clocks = ?39, sla_history = ?40, executor_at = ?41, reminders = ?42"

static const char * const stmt_sql[N_STMTS] = {
  [STMT_HEAD] = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
  [STMT_INSERT_EVENT] =
    "INSERT INTO events (" CD_STORE_EVENT_COLUMNS ") "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [STMT_INSERT_TICKET] =
    "INSERT INTO tickets (" TICKET_COLUMNS ", sla_history) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, "
    "?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?41, ?42, ?40)",
  /* The same parameters. */
  [STMT_UPDATE_TICKET] = "UPDATE tickets SET " TICKET_CHANGES " WHERE id = ?1",
  /* One statement whatever the row's state, so that PostgreSQL need not
   * answer whether the UPDATE found it: sent with the commit
   * (cd_db_step_deferred()). The AFTER triggers see the UPDATE when the
   * row was there. */
  [STMT_UPSERT_TICKET] =
    "INSERT INTO tickets (" TICKET_COLUMNS ", sla_history) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, "
    "?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?41, ?42, ?40) "
    "ON CONFLICT (id) DO UPDATE SET " TICKET_CHANGES,
  /* Tickets loaded to change them come with their history (the column
   * after TICKET_COLUMNS), so that their clocks are judged without
   * reading their events. */
  [STMT_LOAD_TICKET_BY_ID] = "SELECT " TICKET_COLUMNS ", sla_history FROM tickets WHERE id = ?1",
  [STMT_LOAD_TICKET_BY_NUMBER] = "SELECT " TICKET_COLUMNS
                                 ", sla_history FROM tickets WHERE number = ?1",
  [STMT_NEXT_NUMBER] = "INSERT INTO number_sequences (year, last) VALUES (?1, 1) "
                       "ON CONFLICT (year) DO UPDATE SET last = number_sequences.last + 1 "
                       "RETURNING last",
  [STMT_SAME_PLACE] = "SELECT " TICKET_COLUMNS
                      ", sla_history FROM tickets WHERE building = ?1 AND street = ?2 "
                      "AND district = ?3 AND category = ?4 AND (open = 1 OR closed_at >= ?5)",
  /* Once per call of an import or the demo's year (cd-store-calls.c). */
  [STMT_HAS_CALL] = "SELECT 1 FROM calls WHERE id = ?1",
  [STMT_INSERT_CALL] =
    "INSERT INTO calls (id, seq, pbx_id, queue, caller, did, entered_at, answered_at, ended_at, "
    "outcome, hold_seconds, talk_seconds, agent, ended_by, transfer_to, rings, recording) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
};

/* The statement @which on CdDb, prepared once and reset for its next run. */
CdDbStmt *
cd_store_db_stmt (CdStore      *self,
                  CdStoreStmt   which,
                  GError      **error)
{
  GError *db_error = NULL;

  /* Its kept row is gone with the reset. */
  if (self->ahead_ref != NULL && which == self->ahead_stmt)
    g_clear_pointer (&self->ahead_ref, g_free);
  if (self->db_stmts[which] != NULL)
    {
      cd_db_reset (self->db_stmts[which]);
      return self->db_stmts[which];
    }
  if ((self->db_stmts[which] = cd_db_prepare (self->conn, stmt_sql[which], &db_error)) == NULL)
    cd_store_db_error (self, _("preparing a query"), db_error, error);
  return self->db_stmts[which];
}

void
cd_store_finalize_journal (CdStore *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->db_stmts[i], cd_db_stmt_free);
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_pointer (&self->appended, g_ptr_array_unref);
  g_clear_pointer (&self->ahead_ref, g_free);
}

gboolean
cd_store_read_head (CdStore        *self,
                    CdJournalHead  *head,
                    GError        **error)
{
  GError *db_error = NULL;
  CdDbStmt *stmt;
  CdDbStep step;

  cd_journal_head_init (head);
  if ((stmt = cd_store_db_stmt (self, STMT_HEAD, error)) == NULL)
    return FALSE;
  step = cd_db_step (stmt, &db_error);
  if (step == CD_DB_ROW)
    {
      head->seq = cd_db_column_int64 (stmt, 0);
      g_strlcpy (head->hash, cd_db_column_text (stmt, 1), sizeof head->hash);
    }
  /* Reset at once: a statement left on its row holds SQLite's read
   * snapshot. */
  cd_db_reset (stmt);
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the journal"), db_error, error);
  return TRUE;
}

/**
 * cd_store_get_last_seq:
 * @self: a store
 * @error: return location for an error
 *
 * Returns: the sequence number of the last event, 0 when there is none, or
 *   -1 with @error set
 */
gint64
cd_store_get_last_seq (CdStore  *self,
                       GError  **error)
{
  CdJournalHead head;

  g_return_val_if_fail (CD_IS_STORE (self), -1);

  if (self->in_transaction)
    return self->head.seq;
  if (!cd_store_read_head (self, &head, error))
    return -1;
  return head.seq;
}

/**
 * cd_store_begin:
 * @self: a store
 * @error: return location for an error
 *
 * Starts a write transaction. It takes the write lock at once
 * (cd_db_begin_write()), so the chain's head read here stays the head
 * until commit, whichever process else writes to the file or the
 * PostgreSQL database.
 *
 * Returns: whether the transaction started
 */
gboolean
cd_store_begin (CdStore  *self,
                GError  **error)
{
  return cd_store_begin_for (self, NULL, error);
}

/**
 * cd_store_begin_for:
 * @self: a store
 * @id_or_number: (nullable): the ticket the transaction is to change
 * @error: return location for an error
 *
 * cd_store_begin(); on PostgreSQL the ticket's row is read in the same
 * round trip, under the lock, for the cd_store_load_ticket() of it that
 * follows (an action's).
 *
 * Returns: whether the transaction started
 */
gboolean
cd_store_begin_for (CdStore     *self,
                    const char  *id_or_number,
                    GError     **error)
{
  GError *db_error = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (self->in_transaction)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_TRANSACTION,
                   _("A transaction is already open on “%s”."), self->path);
      return FALSE;
    }
  if (cd_store_is_postgresql (self))
    {
      /* The head is read with the lock taken, in its round trip, and so
       * is the ticket's row. */
      g_autoptr(CdDbStmt) stmt = NULL;
      CdDbStmt *ahead = NULL;
      CdDbStep step;

      g_clear_pointer (&self->ahead_ref, g_free);
      if (id_or_number != NULL)
        {
          CdStoreStmt which = cd_ticket_number_parse (id_or_number, NULL, NULL)
                                  ? STMT_LOAD_TICKET_BY_NUMBER
                                  : STMT_LOAD_TICKET_BY_ID;

          if ((ahead = cd_store_db_stmt (self, which, error)) == NULL)
            return FALSE;
          cd_db_bind_text (ahead, 1, id_or_number);
          self->ahead_stmt = which;
        }
      if ((stmt = cd_db_begin_write_reading_ahead (self->conn, ahead, stmt_sql[STMT_HEAD],
                                                   &db_error)) == NULL)
        return cd_store_db_error (self, _("starting a transaction"), db_error, error);
      if (ahead != NULL)
        self->ahead_ref = g_strdup (id_or_number);
      cd_journal_head_init (&self->head);
      if ((step = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
        {
          cd_db_rollback (self->conn);
          return cd_store_db_error (self, _("reading the journal"), db_error, error);
        }
      if (step == CD_DB_ROW)
        {
          self->head.seq = cd_db_column_int64 (stmt, 0);
          g_strlcpy (self->head.hash, cd_db_column_text (stmt, 1), sizeof self->head.hash);
        }
    }
  else
    {
      if (!cd_db_begin_write (self->conn, &db_error))
        return cd_store_db_error (self, _("starting a transaction"), db_error, error);
      if (!cd_store_read_head (self, &self->head, error))
        {
          cd_db_rollback (self->conn);
          return FALSE;
        }
    }
  self->begin_seq = self->head.seq;

  if (self->dirty == NULL)
    self->dirty = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) cd_ticket_unref);
  if (self->appended == NULL)
    self->appended = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_ptr_array_set_size (self->appended, 0);
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
cd_store_in_transaction (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  return self->in_transaction;
}

/* The ticket's own strings: they outlive the statement's step. */
static void
bind_text (CdDbStmt   *stmt,
           int         i,
           const char *value)
{
  cd_db_bind_text_static (stmt, i, value);
}

static void
bind_time (CdDbStmt *stmt,
           int       i,
           gint64    value)
{
  if (value != 0)
    cd_db_bind_int64 (stmt, i, value);
  else
    cd_db_bind_null (stmt, i);
}

/**
 * cd_store_get_sla_library:
 * @self: a store
 * @error: a #CD_SLA_ERROR when the data cannot be read
 *
 * The policies and calendars the store judges clocks with: those given to
 * cd_store_set_sla_library(), else those of cd_sla_library_default_dir(),
 * read once.
 *
 * Returns: (transfer none): the library, or %NULL with @error set
 */
CdSlaLibrary *
cd_store_get_sla_library (CdStore  *self,
                          GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (self->sla == NULL)
    self->sla = cd_sla_library_new_from_dir (cd_sla_library_default_dir (), error);
  return self->sla;
}

void
cd_store_set_sla_library (CdStore      *self,
                          CdSlaLibrary *library)
{
  g_return_if_fail (CD_IS_STORE (self));

  if (library != NULL)
    cd_sla_library_ref (library);
  g_clear_pointer (&self->sla, cd_sla_library_unref);
  self->sla = library;
}

/**
 * cd_store_load_history:
 * @self: a store
 * @ticket: a ticket read from the projection
 * @error: return location for an error
 *
 * Gives @ticket the history the SLA engine needs, replayed from its
 * events, when it does not have one.
 *
 * Returns: whether @ticket has its history
 */
gboolean
cd_store_load_history (CdStore   *self,
                       CdTicket  *ticket,
                       GError   **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CdTicket) replay = NULL;

  if (ticket->history != NULL)
    return TRUE;
  if ((events = cd_store_list_events (self, ticket->id, 0, 0, error)) == NULL ||
      (replay = cd_ticket_new_from_events ((CdEvent * const *) events->pdata, events->len,
                                           error)) == NULL)
    return FALSE;
  ticket->history = g_steal_pointer (&replay->history);
  return TRUE;
}

gboolean
cd_store_judge_clocks (CdStore   *self,
                       CdTicket  *t,
                       GError   **error)
{
  CdSlaLibrary *sla;

  if (t->policy == NULL)
    {
      cd_ticket_set_clocks (t, NULL);
      return TRUE;
    }
  if ((sla = cd_store_get_sla_library (self, error)) == NULL ||
      !cd_store_load_history (self, t, error))
    return FALSE;
  return cd_sla_library_update (sla, t, error);
}

static void
bind_ticket (CdDbStmt       *stmt,
             const CdTicket *t,
             const char     *history)
{
  g_autofree char *group = NULL;
  int year = 0;

  group = cd_category_dup_group (t->category);
  cd_ticket_number_parse (t->number, &year, NULL);

  bind_text (stmt, 1, t->id);
  bind_text (stmt, 2, t->number);
  cd_db_bind_int64 (stmt, 3, year);
  bind_text (stmt, 4, cd_ticket_kind_to_string (t->kind));
  bind_text (stmt, 5, t->category);
  /* Copied: @group is gone when the statement runs. */
  cd_db_bind_text (stmt, 6, group);
  bind_text (stmt, 7, t->channel);
  bind_text (stmt, 8, t->district);
  bind_text (stmt, 9, t->street);
  bind_text (stmt, 10, t->building);
  bind_text (stmt, 11, t->flat);
  if (t->has_location)
    {
      cd_db_bind_double (stmt, 12, t->lat);
      cd_db_bind_double (stmt, 13, t->lon);
    }
  else
    {
      cd_db_bind_null (stmt, 12);
      cd_db_bind_null (stmt, 13);
    }
  bind_text (stmt, 14, t->resident_name);
  bind_text (stmt, 15, t->resident_phone);
  bind_text (stmt, 16, t->description);
  bind_text (stmt, 17, t->executor);
  bind_text (stmt, 18, t->repeat_of);
  bind_text (stmt, 19, t->duplicate_of);
  bind_text (stmt, 20, t->notice);
  bind_text (stmt, 21, t->policy);
  bind_text (stmt, 22, cd_ticket_state_to_string (t->state));
  cd_db_bind_int64 (stmt, 23, cd_ticket_is_open (t));
  cd_db_bind_int64 (stmt, 24, t->created_at);
  cd_db_bind_int64 (stmt, 25, t->updated_at);
  bind_time (stmt, 26, t->assigned_at);
  bind_time (stmt, 27, t->accepted_at);
  bind_time (stmt, 28, t->resolved_at);
  bind_time (stmt, 29, t->closed_at);
  bind_time (stmt, 30, t->due_at);
  cd_db_bind_int64 (stmt, 31, t->reopen_count);
  cd_db_bind_int64 (stmt, 32, t->escalations);
  cd_db_bind_int64 (stmt, 33, t->extensions);
  cd_db_bind_int64 (stmt, 34, t->last_seq);
  bind_text (stmt, 35,
             t->state == CD_TICKET_STATE_WAITING ? cd_ticket_state_to_string (t->resume_state)
                                                 : NULL);
  bind_text (stmt, 36, t->incident);
  bind_time (stmt, 37, t->at_risk_at);
  cd_db_bind_int64 (stmt, 38, t->breached);
  bind_text (stmt, 39, t->clocks);
  bind_text (stmt, 40, history);
  bind_time (stmt, 41, t->executor_at);
  cd_db_bind_int64 (stmt, 42, t->reminders);
}

/* Writes @t's row as its clocks and @history were judged; @is_new tries
 * the INSERT first. */
gboolean
cd_store_write_ticket_row (CdStore    *self,
                           CdTicket   *t,
                           const char *history,
                           gboolean    is_new,
                           GError    **error)
{
  GError *db_error = NULL;
  gboolean changed;
  CdDbStmt *stmt;
  CdDbStep step;

  /* On PostgreSQL, where asking costs a round trip, the row goes with the
   * commit; a conflict fails the commit (cd_store_commit()). */
  if (!is_new && cd_store_is_postgresql (self))
    {
      gboolean sent;

      if ((stmt = cd_store_db_stmt (self, STMT_UPSERT_TICKET, error)) == NULL)
        return FALSE;
      bind_ticket (stmt, t, history);
      sent = cd_db_step_deferred (stmt, &db_error);
      cd_db_reset (stmt);
      if (!sent)
        return cd_store_db_error (self, _("saving a ticket"), db_error, error);
      return TRUE;
    }

  for (CdStoreStmt which = is_new ? STMT_INSERT_TICKET : STMT_UPDATE_TICKET; ;
       which = STMT_INSERT_TICKET)
    {
      if ((stmt = cd_store_db_stmt (self, which, error)) == NULL)
        return FALSE;
      bind_ticket (stmt, t, history);
      step = cd_db_step (stmt, &db_error);
      changed = cd_db_changes (stmt) > 0;
      cd_db_reset (stmt);
      if (step == CD_DB_FAILED || which == STMT_INSERT_TICKET || changed)
        break;
    }
  if (step == CD_DB_FAILED)
    {
      if (g_error_matches (db_error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT))
        {
          g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                       _("Ticket %s cannot be saved: %s"), t->number, db_error->message);
          g_error_free (db_error);
          return FALSE;
        }
      return cd_store_db_error (self, _("saving a ticket"), db_error, error);
    }
  return TRUE;
}

static gboolean
write_ticket (CdStore   *self,
              CdTicket  *t,
              GError   **error)
{
  g_autofree char *history = NULL;

  /* The clocks are judged once per ticket and transaction, over all its
   * events, as of its last one. */
  if (!cd_store_judge_clocks (self, t, error))
    {
      g_prefix_error (error, _("Ticket %s: "), t->number);
      return FALSE;
    }
  history = cd_ticket_dup_history_text (t);

  /* Most writes are of a ticket the table has: an update, else a new
   * row. */
  return cd_store_write_ticket_row (self, t, history, FALSE, error);
}

static gboolean
flush (CdStore  *self,
       GError  **error)
{
  GHashTableIter iter;
  gpointer value;

  if (self->dirty == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      CdTicket *t = value;

      if (!write_ticket (self, t, error))
        return FALSE;
      g_hash_table_iter_remove (&iter);
    }
  return TRUE;
}

/**
 * cd_store_flush:
 * @self: a store in a transaction
 * @error: return location for an error
 *
 * Writes the tickets changed so far in the transaction, so that queries in
 * the same transaction see them. cd_store_commit() does it too.
 *
 * Returns: whether the tickets were written
 */
gboolean
cd_store_flush (CdStore  *self,
                GError  **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  return flush (self, error);
}

/**
 * cd_store_commit:
 * @self: a store in a transaction
 * @error: return location for an error
 *
 * Writes the changed tickets and commits. On PostgreSQL a transaction
 * that appended events notifies %CD_JOURNAL_DB_CHANNEL with the new head,
 * delivered at commit. On failure the transaction is rolled back:
 * nothing of it remains.
 *
 * Returns: whether the transaction was committed
 */
gboolean
cd_store_commit (CdStore  *self,
                 GError  **error)
{
  GError *db_error = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (!self->in_transaction)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_TRANSACTION,
                   _("No transaction is open on “%s”."), self->path);
      return FALSE;
    }

  /* The notification goes out with the commit, never without it. */
  if (!flush (self, error) ||
      (self->head.seq != self->begin_seq &&
       !cd_journal_db_notify (self->conn, self->head.seq, &db_error)))
    {
      if (db_error != NULL)
        cd_store_db_error (self, _("committing"), db_error, error);
      cd_store_rollback (self);
      return FALSE;
    }
  if (!cd_db_commit (self->conn, &db_error))
    {
      /* The statements deferred to the commit (cd_db_step_deferred())
       * fail here. Under the write lock, a key refuses only what another
       * process committed first: an idempotency key, a ticket's number. */
      if (g_error_matches (db_error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT))
        {
          g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT, _("Refused while %s: %s"),
                       _("committing"), db_error->message);
          g_error_free (db_error);
        }
      else
        cd_store_db_error (self, _("committing"), db_error, error);
      cd_store_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  g_clear_pointer (&self->ahead_ref, g_free);
  return TRUE;
}

/**
 * cd_store_rollback:
 * @self: a store
 *
 * Abandons the open transaction, if any. Tickets handed to
 * cd_store_append() in it hold changes the database does not: reload them.
 */
void
cd_store_rollback (CdStore *self)
{
  g_return_if_fail (CD_IS_STORE (self));

  if (!self->in_transaction)
    return;
  cd_db_rollback (self->conn);
  if (self->dirty != NULL)
    g_hash_table_remove_all (self->dirty);
  self->in_transaction = FALSE;
  g_clear_pointer (&self->ahead_ref, g_free);
}

/**
 * cd_store_set_bulk:
 * @self: a store, outside a transaction
 * @bulk: whether to write in bulk mode
 * @error: return location for an error
 *
 * Bulk mode is for generators and imports that write hundreds of thousands
 * of events in large transactions: the file is not synced at each commit,
 * SQLite keeps a large page cache and copies the write-ahead log into the
 * database less often (a page changed by several transactions is copied
 * once) and reads the file through a larger memory map. Entering it on a
 * store without tickets also sets the indexes of the tickets aside, to be built
 * once when the load ends: until then, queries that need them are slower,
 * never wrong. Leaving bulk mode builds them, restores the normal
 * durability and lets SQLite update its statistics.
 *
 * Returns: whether the mode changed
 */
gboolean
cd_store_set_bulk (CdStore   *self,
                   gboolean   bulk,
                   GError   **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  bulk = !!bulk;
  if (self->bulk == bulk)
    return TRUE;

  /* PostgreSQL's durability and memory are the server's settings, and
   * its indexes are kept as rows come: there bulk mode only leaves out
   * what a history does not need (messages to residents). */
  if (cd_store_is_postgresql (self))
    {
      self->bulk = bulk;
      return TRUE;
    }
  if (bulk)
    {
      if (!cd_store_defer_indexes (self, error) ||
          !cd_store_exec (self,
                          "PRAGMA synchronous = OFF;"
                          "PRAGMA cache_size = -262144;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA wal_autocheckpoint = 16384;"
                          /* Reads from the map instead of copies by read(): the
                           * index builds at the end read the whole table. */
                          "PRAGMA mmap_size = 2147418112;",
                          _("starting a bulk load"), error))
        return FALSE;
    }
  else
    {
      if (!cd_store_restore_indexes (self, error) ||
          !cd_store_exec (self,
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA cache_size = -2000;"
                          "PRAGMA wal_autocheckpoint = 1000;"
                          "PRAGMA mmap_size = 134217728;"
                          "PRAGMA optimize;"
                          /* Now rather than at the next small commit, which
                           * would wait for up to 64 MiB of log. */
                          "PRAGMA wal_checkpoint(TRUNCATE);",
                          _("finishing a bulk load"), error))
        return FALSE;
    }
  self->bulk = bulk;
  return TRUE;
}

gboolean
cd_store_insert_event (CdStore  *self,
                       CdEvent  *event,
                       GError  **error)
{
  CdDbStmt *stmt = cd_store_db_stmt (self, STMT_INSERT_EVENT, error);
  GError *db_error = NULL;
  gboolean sent;

  if (stmt == NULL)
    return FALSE;
  cd_db_bind_int64 (stmt, 1, event->seq);
  cd_db_bind_text_static (stmt, 2, event->entity);
  cd_db_bind_text_static (stmt, 3, event->type);
  cd_db_bind_text_static (stmt, 4, event->actor);
  cd_db_bind_text_static (stmt, 5, event->role);
  cd_db_bind_int64 (stmt, 6, event->time);
  cd_db_bind_text_static (stmt, 7, event->payload);
  cd_db_bind_text_static (stmt, 8, event->hash);
  cd_db_bind_text_static (stmt, 9, event->personal);
  /* A cache marks a masked copy of a format-1 event where a format-2 copy
   * keeps its digest: neither has a use for the other. */
  cd_db_bind_text_static (stmt, 10,
                          event->payload_masked ? CD_EVENT_MASKED_PAYLOAD : event->personal_hash);
  /* The trigger and the key that refuse a wrong number fail the commit
   * if not here: the transaction is lost either way. */
  sent = cd_db_step_deferred (stmt, &db_error);
  cd_db_reset (stmt);
  if (!sent)
    return cd_store_db_error (self, _("appending to the journal"), db_error, error);
  return TRUE;
}

gboolean
cd_store_require_transaction (CdStore  *self,
                              GError  **error)
{
  if (self->in_transaction)
    return TRUE;
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_TRANSACTION,
               _("Events are appended inside a transaction (cd_store_begin)."));
  return FALSE;
}

static void
mark_dirty (CdStore  *self,
            CdTicket *ticket)
{
  if (g_hash_table_lookup (self->dirty, ticket->id) != ticket)
    g_hash_table_replace (self->dirty, ticket->id, cd_ticket_ref (ticket));
}

/**
 * cd_store_seed_salts:
 * @self: a store
 * @seeded: whether to derive salts from @seed
 * @seed: a generated city's seed
 *
 * For writing a generated demo city's history only: the salt of each
 * event's personal data (cd_event_salt_personal()) is then derived from
 * @seed and the event's sequence number rather than drawn at random, so
 * that the same seed gives the same journal. Anyone who knows the seed can
 * find the invented residents' phones from their digests: turn it off
 * before anything else is written.
 */
void
cd_store_seed_salts (CdStore  *self,
                     gboolean  seeded,
                     guint64   seed)
{
  g_return_if_fail (CD_IS_STORE (self));

  self->salt_seeded = seeded;
  self->salt_seed = seed;
}

static void
make_salt (CdStore *self,
           gint64   seq,
           char     out[CD_PERSONAL_SALT_LEN])
{
  guint8 bytes[(CD_PERSONAL_SALT_LEN - 1) / 2];

  if (self->salt_seeded)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      guint64 words[2] = { GUINT64_TO_BE (self->salt_seed), GUINT64_TO_BE ((guint64) seq) };
      guint8 digest[32];
      gsize len = sizeof digest;

      g_checksum_update (checksum, (const guint8 *) "citydesk demo salt", 18);
      g_checksum_update (checksum, (const guint8 *) words, sizeof words);
      g_checksum_get_digest (checksum, digest, &len);
      memcpy (bytes, digest, sizeof bytes);
    }
  else
    {
      /* Idempotent, and cheap once it has run. */
      if (sodium_init () < 0)
        g_error ("libsodium could not start");
      randombytes_buf (bytes, sizeof bytes);
    }
  cd_journal_to_hex (bytes, sizeof bytes, out);
}

/* The journal's last line of defence: whatever route made @event, what
 * it keeps must be readable by every client's strict reader, or `verify`
 * and every sync would stop at it for ever. */
static gboolean
check_event_text (CdEvent  *event,
                  GError  **error)
{
  const char *names[] = { "entity", "type", "actor", "role" };
  const char *values[] = { event->entity, event->type, event->actor, event->role };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *field = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL && !cd_input_text_is_clean (values[i], strlen (values[i]), FALSE, NULL))
      {
        g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                     _("Refused by the journal: the event’s %s is not one line of UTF-8 text."),
                     names[i]);
        return FALSE;
      }
  if (!cd_input_check_json (event->payload, strlen (event->payload), &field, &local_error) ||
      (event->personal != NULL &&
       !cd_input_check_json (event->personal, strlen (event->personal), &field, &local_error)))
    {
      g_set_error (error, CD_DISPATCH_ERROR, CD_DISPATCH_ERROR_INVALID_PAYLOAD,
                   _("Refused by the journal: the %s event’s details cannot be kept (%s): %s"),
                   event->type, field != NULL ? field : "-", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_append:
 * @self: a store in a transaction
 * @ticket: the ticket @event is about, as its earlier events left it: from
 *   cd_store_load_ticket(), or cd_ticket_new() for a `register` event
 * @event: a new event (its sequence number and hash are set here)
 * @error: a #CD_DISPATCH_ERROR when the transition table refuses the event
 *   (%CD_DISPATCH_ERROR_INVALID_PAYLOAD when its texts are not what the
 *   journal keeps: see cd_input_check_json()), or a #CD_STORE_ERROR
 *
 * Applies @event to @ticket with cd_ticket_apply(), seals it into the
 * chain and inserts it. The store keeps a reference to @ticket and writes
 * it at commit: change it only through this function until then. When the
 * table refuses @event, neither @ticket nor the database change and the
 * transaction stays usable; after any other error, roll back.
 *
 * Returns: whether @event was appended
 */
gboolean
cd_store_append (CdStore   *self,
                 CdTicket  *ticket,
                 CdEvent   *event,
                 GError   **error)
{
  CdJournalHead head;
  CdTicketState before;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (ticket != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (!cd_store_require_transaction (self, error) ||
      !check_event_text (event, error))
    return FALSE;

  if (event->personal != NULL)
    {
      char salt[CD_PERSONAL_SALT_LEN];

      make_salt (self, self->head.seq + 1, salt);
      cd_event_salt_personal (event, salt);
    }

  /* Seal a copy of the head first: apply needs the sequence number, and a
   * refusal must leave the chain where it was. */
  head = self->head;
  before = ticket->state;
  if (!cd_journal_seal (&head, event, error))
    return FALSE;
  if (!cd_ticket_apply (ticket, event, error))
    {
      event->seq = 0;
      event->hash[0] = '\0';
      return FALSE;
    }
  /* The resident's message is queued with the event, in its transaction:
   * whichever program appends it, the server sends it. */
  if (!cd_store_insert_event (self, event, error) ||
      !cd_store_enqueue_notifications (self, ticket, before, event, error) ||
      !cd_store_project_feedback (self, ticket, event, error))
    return FALSE;

  self->head = head;
  mark_dirty (self, ticket);
  g_ptr_array_add (self->appended, cd_event_ref (event));
  return TRUE;
}

/**
 * cd_store_list_appended_events:
 * @self: a store in a transaction
 * @entity: (nullable): the ticket's or call's id, %NULL for all
 *
 * What cd_store_list_events() would read of the events appended in the
 * open transaction, without reading them: a write's answer names its
 * events, and on PostgreSQL asking for them costs a round trip under the
 * write lock.
 *
 * Returns: (transfer container): the events about @entity appended in
 *   the open transaction, in order; empty outside one
 */
GPtrArray *
cd_store_list_appended_events (CdStore    *self,
                               const char *entity)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);

  g_return_val_if_fail (CD_IS_STORE (self), events);

  for (guint i = 0; self->in_transaction && self->appended != NULL && i < self->appended->len;
       i++)
    {
      CdEvent *event = self->appended->pdata[i];

      if (entity == NULL || g_strcmp0 (event->entity, entity) == 0)
        g_ptr_array_add (events, cd_event_ref (event));
    }
  return events;
}

/**
 * cd_store_append_entity_event:
 * @self: a store in a transaction
 * @event: a new event about something other than a ticket (a call)
 * @error: %CD_DISPATCH_ERROR_INVALID_PAYLOAD when its texts are not what
 *   the journal keeps, or a #CD_STORE_ERROR
 *
 * cd_store_append() without the transition table: the same checks of what
 * the journal keeps, the same salt for personal data, the same seal. The
 * caller writes the event's projection in the same transaction.
 *
 * Returns: whether @event was appended
 */
gboolean
cd_store_append_entity_event (CdStore  *self,
                              CdEvent  *event,
                              GError  **error)
{
  CdJournalHead head;

  if (!cd_store_require_transaction (self, error) ||
      !check_event_text (event, error))
    return FALSE;
  if (event->personal != NULL)
    {
      char salt[CD_PERSONAL_SALT_LEN];

      make_salt (self, self->head.seq + 1, salt);
      cd_event_salt_personal (event, salt);
    }
  head = self->head;
  if (!cd_journal_seal (&head, event, error) ||
      !cd_store_insert_event (self, event, error))
    return FALSE;
  self->head = head;
  g_ptr_array_add (self->appended, cd_event_ref (event));
  return TRUE;
}

/**
 * cd_store_import:
 * @self: a store in a transaction
 * @event: an event from another journal (the server's feed), with its
 *   sequence number and hash
 * @error: a #CD_JOURNAL_ERROR when @event does not follow this journal's
 *   last event, a #CD_DISPATCH_ERROR when it does not apply
 *
 * How the desktop's cache follows the server: the event must continue the
 * chain exactly, and is projected with the same cd_ticket_apply().
 *
 * Returns: whether @event was imported
 */
gboolean
cd_store_import (CdStore  *self,
                 CdEvent  *event,
                 GError  **error)
{
  g_autoptr(CdTicket) ticket = NULL;
  CdJournalHead head;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (!cd_store_require_transaction (self, error))
    return FALSE;

  head = self->head;
  if (!cd_journal_check (&head, event, error))
    return FALSE;

  if (cd_store_is_call_event (event))
    {
      if (!cd_store_insert_event (self, event, error) ||
          !cd_store_write_call_event (self, event, error))
        return FALSE;
      self->head = head;
      return TRUE;
    }
  if ((ticket = cd_store_load_or_new_ticket (self, event->entity, error)) == NULL)
    return FALSE;
  if (!cd_ticket_apply (ticket, event, error) ||
      !cd_store_insert_event (self, event, error) ||
      !cd_store_project_feedback (self, ticket, event, error))
    return FALSE;

  self->head = head;
  mark_dirty (self, ticket);
  return TRUE;
}

static gboolean
read_projected_seq (CdStore  *self,
                    gint64   *seq,
                    GError  **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  /* The last event that has a row: a ticket's, a call's or a missed
   * call's callback. */
  if ((stmt = cd_db_prepare (self->conn,
                             "SELECT COALESCE (max (s), 0) FROM ("
                             "SELECT max (last_seq) AS s FROM tickets "
                             "UNION ALL SELECT max (seq) FROM calls "
                             "UNION ALL SELECT max (seq) FROM callbacks) AS projected",
                             &db_error)) == NULL ||
      (step = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
    return cd_store_db_error (self, _("replaying the journal"), db_error, error);
  *seq = step == CD_DB_ROW ? cd_db_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/**
 * cd_store_project_journal:
 * @self: a store, outside a transaction
 * @batch: events per transaction
 * @n_events: (out) (optional): how many ticket events were applied
 * @error: return location for an error
 *
 * Brings the tickets' projection up to the journal: the ticket events
 * after the last one a ticket's row holds are applied in journal order,
 * with the code cd_store_import() runs (cd_ticket_apply(), the SLA
 * engine at commit, the same rows), a batch per transaction, so that a
 * run that stopped goes on where it stopped. For a journal copied without
 * its projection (`citydeskctl migrate`). The calls and the missed
 * calls' callbacks get their rows too (cd_store_write_call_event()), so
 * that a migrated city has its calls, and so do the evaluations and
 * calibration sessions (a row there already is left as it is).
 *
 * Returns: whether the projection reaches the journal's head
 */
gboolean
cd_store_project_journal (CdStore  *self,
                          guint     batch,
                          gint64   *n_events,
                          GError  **error)
{
  gint64 after = 0, applied = 0;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (batch > 0, FALSE);

  if (n_events != NULL)
    *n_events = 0;
  if (!read_projected_seq (self, &after, error))
    return FALSE;
  for (;;)
    {
      g_autoptr(GPtrArray) events = NULL;

      if (!cd_store_begin (self, error))
        return FALSE;
      if ((events = cd_store_list_events (self, NULL, after, batch, error)) == NULL)
        goto failed;
      for (guint i = 0; i < events->len; i++)
        {
          CdEvent *event = events->pdata[i];
          g_autoptr(CdTicket) ticket = NULL;

          after = event->seq;
          if (cd_store_is_qa_event (event))
            {
              if (!cd_store_project_qa_event (self, event, error))
                goto failed;
              continue;
            }
          if (cd_store_is_call_event (event))
            {
              if ((g_str_equal (event->type, CD_CALL_EVENT_TYPE) ||
                   g_str_equal (event->type, CD_CALLBACK_EVENT_TYPE)) &&
                  !cd_store_write_call_event (self, event, error))
                goto failed;
              continue;
            }
          if ((ticket = cd_store_load_or_new_ticket (self, event->entity, error)) == NULL ||
              !cd_ticket_apply (ticket, event, error))
            goto failed;
          mark_dirty (self, ticket);
          applied++;
        }
      if (!cd_store_commit (self, error))
        return FALSE;
      if (n_events != NULL)
        *n_events = applied;
      if (events->len < batch)
        return TRUE;
    }

failed:
  cd_store_rollback (self);
  return FALSE;
}

/**
 * cd_store_copy_numbers:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @error: return location for an error
 *
 * Gives @self the ticket numbers' sequences of @from, each year's the
 * greater of the two: the projection rebuilt from the journal does not
 * take numbers, and a sequence that started again would hand out the
 * numbers of tickets there are.
 *
 * Returns: whether @self's sequences are at least @from's
 */
gboolean
cd_store_copy_numbers (CdStore  *self,
                       CdStore  *from,
                       GError  **error)
{
  g_autoptr(CdDbStmt) read = NULL;
  g_autoptr(CdDbStmt) write = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (CD_IS_STORE (from), FALSE);

  if ((read = cd_db_prepare (from->conn, "SELECT year, last FROM number_sequences ORDER BY year",
                             &db_error)) == NULL)
    return cd_store_db_error (from, _("copying the ticket numbers"), db_error, error);
  if (!cd_store_begin (self, error))
    return FALSE;
  if ((write = cd_db_prepare (self->conn,
                              "INSERT INTO number_sequences (year, last) VALUES (?1, ?2) "
                              "ON CONFLICT (year) DO UPDATE SET last = excluded.last "
                              "WHERE excluded.last > number_sequences.last",
                              &db_error)) == NULL)
    goto failed;
  while ((step = cd_db_step (read, &db_error)) == CD_DB_ROW)
    {
      cd_db_reset (write);
      cd_db_bind_int64 (write, 1, cd_db_column_int64 (read, 0));
      cd_db_bind_int64 (write, 2, cd_db_column_int64 (read, 1));
      if (cd_db_step (write, &db_error) == CD_DB_FAILED)
        goto failed;
    }
  if (step == CD_DB_FAILED)
    {
      cd_store_rollback (self);
      return cd_store_db_error (from, _("copying the ticket numbers"), db_error, error);
    }
  return cd_store_commit (self, error);

failed:
  cd_store_rollback (self);
  return cd_store_db_error (self, _("copying the ticket numbers"), db_error, error);
}

/**
 * cd_store_next_number:
 * @self: a store in a transaction
 * @year: the year of registration
 * @error: return location for an error
 *
 * Takes the next number of @year's sequence. The sequence only grows: a
 * number that a committed transaction took is never handed out again, even
 * when its ticket is cancelled.
 *
 * Returns: (transfer full): a number such as `2026-000124`, or %NULL
 */
char *
cd_store_next_number (CdStore  *self,
                      int       year,
                      GError  **error)
{
  GError *db_error = NULL;
  CdDbStmt *stmt;
  gint64 last = 0;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  if (!cd_store_require_transaction (self, error) ||
      (stmt = cd_store_db_stmt (self, STMT_NEXT_NUMBER, error)) == NULL)
    return NULL;

  cd_db_bind_int64 (stmt, 1, year);
  step = cd_db_step (stmt, &db_error);
  if (step == CD_DB_ROW)
    {
      last = cd_db_column_int64 (stmt, 0);
      step = cd_db_step (stmt, &db_error);
    }
  cd_db_reset (stmt);
  if (step == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("numbering a ticket"), db_error, error);
      return NULL;
    }
  return cd_ticket_number_format (year, (guint) last);
}

/* A row being read: from CdDb, or from a statement a file not yet ported
 * prepared on SQLite directly; one reader for both. */
typedef struct
{
  CdDbStmt     *db;
  sqlite3_stmt *lite;
} Row;

static const char *
row_text (const Row *row,
          int        i)
{
  return row->db != NULL ? cd_db_column_text (row->db, i)
                         : (const char *) sqlite3_column_text (row->lite, i);
}

static gint64
row_int64 (const Row *row,
           int        i)
{
  return row->db != NULL ? cd_db_column_int64 (row->db, i) : sqlite3_column_int64 (row->lite, i);
}

static double
row_double (const Row *row,
            int        i)
{
  return row->db != NULL ? cd_db_column_double (row->db, i)
                         : sqlite3_column_double (row->lite, i);
}

static gboolean
row_is_null (const Row *row,
             int        i)
{
  return row->db != NULL ? cd_db_column_is_null (row->db, i)
                         : sqlite3_column_type (row->lite, i) == SQLITE_NULL;
}

static CdTicket *
ticket_from_row (const Row *row)
{
  CdTicket *t = cd_ticket_new_summary ();

  t->id = g_strdup (row_text (row, 0));
  t->number = g_strdup (row_text (row, 1));
  cd_ticket_kind_from_string (row_text (row, 3), &t->kind);
  t->category = g_strdup (row_text (row, 4));
  t->channel = g_strdup (row_text (row, 6));
  t->district = g_strdup (row_text (row, 7));
  t->street = g_strdup (row_text (row, 8));
  t->building = g_strdup (row_text (row, 9));
  t->flat = g_strdup (row_text (row, 10));
  t->has_location = !row_is_null (row, 11);
  t->lat = row_double (row, 11);
  t->lon = row_double (row, 12);
  t->resident_name = g_strdup (row_text (row, 13));
  t->resident_phone = g_strdup (row_text (row, 14));
  t->description = g_strdup (row_text (row, 15));
  t->executor = g_strdup (row_text (row, 16));
  t->repeat_of = g_strdup (row_text (row, 17));
  t->duplicate_of = g_strdup (row_text (row, 18));
  t->notice = g_strdup (row_text (row, 19));
  t->policy = g_strdup (row_text (row, 20));
  cd_ticket_state_from_string (row_text (row, 21), &t->state);
  t->created_at = row_int64 (row, 23);
  t->updated_at = row_int64 (row, 24);
  t->assigned_at = row_int64 (row, 25);
  t->accepted_at = row_int64 (row, 26);
  t->resolved_at = row_int64 (row, 27);
  t->closed_at = row_int64 (row, 28);
  t->due_at = row_int64 (row, 29);
  t->reopen_count = (int) row_int64 (row, 30);
  t->escalations = (int) row_int64 (row, 31);
  t->extensions = (int) row_int64 (row, 32);
  t->last_seq = row_int64 (row, 33);
  if (!cd_ticket_state_from_string (row_text (row, 34), &t->resume_state))
    t->resume_state = CD_TICKET_STATE_IN_PROGRESS;
  t->incident = g_strdup (row_text (row, 35));
  t->at_risk_at = row_int64 (row, 36);
  t->breached = (int) row_int64 (row, 37);
  t->clocks = g_strdup (row_text (row, 38));
  t->executor_at = row_int64 (row, 39);
  t->reminders = (int) row_int64 (row, 40);
  return t;
}

/* A row of cd_store_ticket_columns() on the SQLite connection: for the
 * desktop's ticket list model (cd-ticket-list-model.c), a SQLite cache by
 * design. */
CdTicket *
cd_store_ticket_from_row (sqlite3_stmt *stmt)
{
  Row row = { NULL, stmt };

  return ticket_from_row (&row);
}

CdTicket *
cd_store_ticket_from_db_row (CdDbStmt *stmt)
{
  Row row = { stmt, NULL };

  return ticket_from_row (&row);
}

/* A row of a query that selects `sla_history` after TICKET_COLUMNS. A
 * history that does not parse is replayed from the events when needed. */
CdTicket *
cd_store_ticket_from_db_row_with_history (CdDbStmt *stmt)
{
  CdTicket *t = cd_store_ticket_from_db_row (stmt);

  cd_ticket_set_history_text (t, cd_db_column_text (stmt, CD_STORE_TICKET_HISTORY_COLUMN));
  return t;
}

const char *
cd_store_ticket_columns (void)
{
  return TICKET_COLUMNS;
}

static CdTicket *
load_ticket (CdStore     *self,
             const char  *id_or_number,
             gboolean     with_history,
             GError     **error);

/**
 * cd_store_peek_ticket:
 * @self: a store
 * @id_or_number: a ticket's UUID or its number
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such ticket
 *
 * cd_store_load_ticket() without the history its clocks are judged with,
 * whose text grows with every event and costs the more to read: for
 * what looks at a ticket without changing it (a write's checks before it
 * takes the write lock). cd_store_load_history() gives it the history
 * when needed.
 *
 * Returns: (transfer full): the ticket, or %NULL with @error set
 */
CdTicket *
cd_store_peek_ticket (CdStore     *self,
                      const char  *id_or_number,
                      GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_number != NULL, NULL);

  return load_ticket (self, id_or_number, FALSE, error);
}

/**
 * cd_store_load_ticket:
 * @self: a store
 * @id_or_number: a ticket's UUID or its number
 * @error: %CD_STORE_ERROR_NOT_FOUND when there is no such ticket
 *
 * Inside a transaction, a ticket changed in it is returned as it is now
 * (the same object cd_store_append() was given).
 *
 * Returns: (transfer full): the ticket, or %NULL with @error set
 */
CdTicket *
cd_store_load_ticket (CdStore     *self,
                      const char  *id_or_number,
                      GError     **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (id_or_number != NULL, NULL);

  return load_ticket (self, id_or_number, TRUE, error);
}

static CdTicket *
load_ticket (CdStore     *self,
             const char  *id_or_number,
             gboolean     with_history,
             GError     **error)
{
  GError *db_error = NULL;
  gboolean is_number;
  CdDbStmt *stmt;
  CdTicket *ticket = NULL;
  CdDbStep step;

  if (self->dirty != NULL && (ticket = g_hash_table_lookup (self->dirty, id_or_number)) != NULL)
    return cd_ticket_ref (ticket);

  is_number = cd_ticket_number_parse (id_or_number, NULL, NULL);
  if (is_number && self->dirty != NULL && g_hash_table_size (self->dirty) > 0 &&
      !flush (self, error))
    return NULL;

  if (with_history && self->ahead_ref != NULL && g_str_equal (self->ahead_ref, id_or_number))
    {
      /* Read with the lock (cd_store_begin_for()): its rows are here. */
      stmt = self->db_stmts[self->ahead_stmt];
      g_clear_pointer (&self->ahead_ref, g_free);
    }
  else
    {
      stmt = cd_store_db_stmt (self,
                               is_number ? STMT_LOAD_TICKET_BY_NUMBER : STMT_LOAD_TICKET_BY_ID,
                               error);
      if (stmt == NULL)
        return NULL;
      cd_db_bind_text_static (stmt, 1, id_or_number);
    }
  step = cd_db_step (stmt, &db_error);
  /* Reset at once: a statement left on its row holds SQLite's read
   * snapshot, which a checkpoint or another writer would wait on. */
  if (step == CD_DB_ROW)
    ticket = with_history ? cd_store_ticket_from_db_row_with_history (stmt)
                          : cd_store_ticket_from_db_row (stmt);
  cd_db_reset (stmt);
  if (step == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("There is no ticket %s in “%s”."), id_or_number, self->path);
  else if (step == CD_DB_FAILED)
    cd_store_db_error (self, _("reading a ticket"), db_error, error);
  return ticket;
}

/* The ticket an imported event is about, with the history its clocks are
 * judged with (replayed now for an older row, while the file holds all
 * its events), or a new one when the store has none. */
CdTicket *
cd_store_load_or_new_ticket (CdStore     *self,
                             const char  *id,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdTicket) ticket = cd_store_load_ticket (self, id, &local_error);

  if (ticket == NULL)
    {
      if (!g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return cd_ticket_new ();
    }
  if (ticket->policy != NULL && !cd_store_load_history (self, ticket, error))
    return NULL;
  return g_steal_pointer (&ticket);
}

/**
 * cd_store_list_events:
 * @self: a store
 * @entity: (nullable): only this entity's events
 * @after: only events after this sequence number (the sync cursor)
 * @limit: at most this many; 0 for all
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdEvent): the events in
 *   sequence order, or %NULL with @error set
 */
GPtrArray *
cd_store_list_events (CdStore     *self,
                      const char  *entity,
                      gint64       after,
                      guint        limit,
                      GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  const char *sql;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  /* No LIMIT -1 (PostgreSQL's is NULL, SQLite's negative): the largest
   * number means all, on both. */
  sql = entity != NULL
          ? "SELECT " CD_STORE_EVENT_COLUMNS " FROM events "
            "WHERE entity = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
          : "SELECT " CD_STORE_EVENT_COLUMNS " FROM events "
            "WHERE seq > ?1 ORDER BY seq LIMIT ?2";
  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    {
      cd_store_db_error (self, _("reading the journal"), db_error, error);
      return NULL;
    }
  if (entity != NULL)
    cd_db_bind_text (stmt, 1, entity);
  cd_db_bind_int64 (stmt, entity != NULL ? 2 : 1, after);
  cd_db_bind_int64 (stmt, entity != NULL ? 3 : 2, limit > 0 ? (gint64) limit : G_MAXINT64);

  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (events, cd_journal_db_event_from_row (stmt));

  if (step == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("reading the journal"), db_error, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

/**
 * cd_store_list_org_events:
 * @self: a store
 * @org: an executor organization
 * @after: only events after this sequence number
 * @upto: and up to this one (the head the caller read, so that it knows
 *   how far the answer goes even when it holds no event)
 * @limit: at most this many; 0 for all
 * @prev_hashes: (out) (element-type utf8) (transfer container): for each
 *   event, the hash of the journal's event before it (%CD_JOURNAL_GENESIS
 *   before the first), which the reader needs to check its hash alone
 * @error: return location for an error
 *
 * The events of the tickets whose current executor is @org, all of each
 * such ticket's events: what an executor reads of the journal
 * (cd_access_scope()). The journal is walked in sequence order from
 * @after, so a request costs at most the events between @after and
 * @upto: callers bound that span (%CD_STORE_ORG_SCAN_WINDOW) so that an
 * organization with few tickets cannot make one page read the whole
 * journal.
 *
 * Returns: (transfer container) (element-type CdEvent): the events in
 *   sequence order, or %NULL with @error set
 */
GPtrArray *
cd_store_list_org_events (CdStore     *self,
                          const char  *org,
                          gint64       after,
                          gint64       upto,
                          guint        limit,
                          GPtrArray  **prev_hashes,
                          GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autoptr(GPtrArray) prevs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (org != NULL, NULL);

  if (!cd_store_flush (self, error))
    return NULL;
  /* The same SQL on both backends (an executor's feed on a file, on
   * PostgreSQL and on its read replica); no LIMIT -1: the largest number
   * means all on both. */
  if ((stmt = cd_db_prepare (self->conn,
                             "SELECT " CD_STORE_EVENT_COLUMNS ", "
                             "  (SELECT p.hash FROM events AS p WHERE p.seq = e.seq - 1) "
                             "FROM events AS e WHERE e.seq > ?1 AND e.seq <= ?2 "
                             "AND EXISTS (SELECT 1 FROM tickets AS t "
                             "            WHERE t.id = e.entity AND t.executor = ?3) "
                             "ORDER BY e.seq LIMIT ?4",
                             &db_error)) == NULL)
    {
      cd_store_db_error (self, _("reading the journal"), db_error, error);
      return NULL;
    }
  cd_db_bind_int64 (stmt, 1, after);
  cd_db_bind_int64 (stmt, 2, upto);
  cd_db_bind_text (stmt, 3, org);
  cd_db_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : G_MAXINT64);

  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    {
      const char *prev = cd_db_column_is_null (stmt, 10) ? NULL : cd_db_column_text (stmt, 10);

      g_ptr_array_add (events, cd_journal_db_event_from_row (stmt));
      g_ptr_array_add (prevs, g_strdup (prev != NULL ? prev : CD_JOURNAL_GENESIS));
    }
  if (step == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("reading the journal"), db_error, error);
      return NULL;
    }
  if (prev_hashes != NULL)
    *prev_hashes = g_steal_pointer (&prevs);
  return g_steal_pointer (&events);
}

/**
 * cd_store_verify:
 * @self: a store
 * @n_checked: (out) (optional): how many events hold
 * @bad_seq: (out) (optional): the first event that does not match, or 0
 * @error: a #CD_JOURNAL_ERROR naming the first event that does not match
 *
 * Walks the whole journal in sequence order and recomputes every hash.
 *
 * Returns: whether the chain holds
 */
gboolean
cd_store_verify (CdStore  *self,
                 gint64   *n_checked,
                 gint64   *bad_seq,
                 GError  **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  /* The journal's own walk, on either backend: a desktop's cache (it has
   * a sync cursor) may hold copies masked for its role, the server's
   * journal only events as written. */
  if (!cd_journal_db_verify (self->conn, n_checked, bad_seq, &local_error))
    {
      if (local_error->domain == CD_DB_ERROR)
        return cd_store_db_error (self, _("reading the journal"), local_error, error);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}
