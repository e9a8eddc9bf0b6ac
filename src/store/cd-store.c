// SPDX-License-Identifier: GPL-3.0-or-later
//
// One SQLite database, used both as the server's store and as the desktop's
// cache. Opening it applies the schema migrations this program knows, in
// one transaction each, so that a half-migrated file cannot exist.

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cd-complaint-templates.h"
#include "cd-journal-db.h"
#include "cd-store-private.h"
#include "cd-store-qa.h"

G_DEFINE_FINAL_TYPE (CdStore, cd_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cd-store-error-quark, cd_store_error)

/* Migration N turns a database of user_version N-1 into one of version N.
 * Append new steps; never edit a step that has shipped. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ") STRICT;",

  /* 2: the dispatch journal and its projection (see docs/journal.md). */
  "CREATE TABLE events ("
  "  seq     INTEGER PRIMARY KEY,"
  "  entity  TEXT NOT NULL,"
  "  type    TEXT NOT NULL,"
  "  actor   TEXT NOT NULL,"
  "  role    TEXT NOT NULL,"
  "  time    INTEGER NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  hash    TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX events_entity ON events (entity, seq);"
  "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
  " BEGIN SELECT RAISE (ABORT, 'the journal is append-only: events cannot be changed'); END;"
  "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
  " BEGIN SELECT RAISE (ABORT, 'the journal is append-only: events cannot be deleted'); END;"
  "CREATE TABLE tickets ("
  "  id             TEXT PRIMARY KEY NOT NULL,"
  "  number         TEXT NOT NULL UNIQUE,"
  "  year           INTEGER NOT NULL,"
  "  kind           TEXT NOT NULL,"
  "  category       TEXT NOT NULL,"
  "  category_group TEXT NOT NULL,"
  "  channel        TEXT,"
  "  district       TEXT NOT NULL COLLATE NOCASE,"
  "  street         TEXT NOT NULL COLLATE NOCASE,"
  "  building       TEXT NOT NULL COLLATE NOCASE,"
  "  flat           TEXT,"
  "  lat            REAL,"
  "  lon            REAL,"
  "  resident_name  TEXT,"
  "  resident_phone TEXT,"
  "  description    TEXT,"
  "  executor       TEXT,"
  "  repeat_of      TEXT,"
  "  duplicate_of   TEXT,"
  "  notice         TEXT,"
  "  policy         TEXT,"
  "  state          TEXT NOT NULL,"
  "  open           INTEGER NOT NULL,"
  "  created_at     INTEGER NOT NULL,"
  "  updated_at     INTEGER NOT NULL,"
  "  assigned_at    INTEGER,"
  "  accepted_at    INTEGER,"
  "  resolved_at    INTEGER,"
  "  closed_at      INTEGER,"
  "  due_at         INTEGER,"
  "  reopen_count   INTEGER NOT NULL DEFAULT 0,"
  "  escalations    INTEGER NOT NULL DEFAULT 0,"
  "  extensions     INTEGER NOT NULL DEFAULT 0,"
  "  last_seq       INTEGER NOT NULL"
  ") STRICT;"
  /* The dashboards' questions, over open tickets only. */
  "CREATE INDEX tickets_open_due ON tickets (due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_executor ON tickets (executor, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_district ON tickets (district, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_category ON tickets (category, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_updated ON tickets (updated_at) WHERE open = 1;"
  "CREATE INDEX tickets_state ON tickets (state);"
  "CREATE INDEX tickets_created ON tickets (created_at);"
  /* Repeats: the same building and category. */
  "CREATE INDEX tickets_place ON tickets (building, street, district, category);"
  /* Ticket numbers: one sequence per year, never handed out twice. */
  "CREATE TABLE number_sequences ("
  "  year INTEGER PRIMARY KEY,"
  "  last INTEGER NOT NULL"
  ") STRICT;"
  /* Routing: position orders the rules; NULL category or district matches
   * anything. The default executor is kept in meta (routing-default). */
  "CREATE TABLE routing_rules ("
  "  position INTEGER PRIMARY KEY,"
  "  category TEXT,"
  "  district TEXT,"
  "  executor TEXT NOT NULL"
  ") STRICT;"
  /* The desktop's cache: how far it has synced from each server, and the
   * actions taken offline, sent in order with their idempotency keys. */
  "CREATE TABLE sync_cursors ("
  "  server     TEXT PRIMARY KEY NOT NULL,"
  "  last_seq   INTEGER NOT NULL,"
  "  last_hash  TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE outbox ("
  "  id              INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  entity          TEXT,"
  "  action          TEXT NOT NULL,"
  "  body            TEXT NOT NULL,"
  "  created_at      INTEGER NOT NULL,"
  "  status          TEXT NOT NULL DEFAULT 'pending',"
  "  error           TEXT"
  ") STRICT;"
  "CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';",

  /* 3: the server's accounts, login sessions, Open311 api keys, and the
   * answers given to writes, by idempotency key (see cd-store-users.c). */
  "CREATE TABLE users ("
  "  name          TEXT PRIMARY KEY NOT NULL,"
  "  role          TEXT NOT NULL,"
  "  org           TEXT,"
  "  password_hash TEXT,"
  "  created_at    INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  user       TEXT NOT NULL REFERENCES users (name),"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ") STRICT;"
  "CREATE TABLE api_keys ("
  "  key_hash   TEXT PRIMARY KEY NOT NULL,"
  "  name       TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") STRICT;"
  "CREATE TABLE idempotency_keys ("
  "  scope        TEXT NOT NULL,"
  "  key          TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status       INTEGER NOT NULL,"
  "  response     TEXT NOT NULL,"
  "  first_seq    INTEGER,"
  "  last_seq     INTEGER,"
  "  created_at   INTEGER NOT NULL,"
  "  PRIMARY KEY (scope, key)"
  ") STRICT;",

  /* 4: the SLA engine's summary of each ticket's clocks, where `resume`
   * returns to, mass incidents (see docs/dispatch.md). */
  "ALTER TABLE tickets ADD COLUMN resume_state TEXT;"
  "ALTER TABLE tickets ADD COLUMN incident TEXT;"
  "ALTER TABLE tickets ADD COLUMN at_risk_at INTEGER;"
  "ALTER TABLE tickets ADD COLUMN breached INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE tickets ADD COLUMN clocks TEXT;"
  "CREATE INDEX tickets_incident ON tickets (incident) WHERE incident IS NOT NULL;"
  "CREATE INDEX tickets_repeat_of ON tickets (repeat_of) WHERE repeat_of IS NOT NULL;"
  "CREATE INDEX tickets_arrivals ON tickets (category, district, created_at);",

  /* 5: counts by executor without a scan of the year: totals kept by
   * triggers, open and overdue from an index of open tickets only. */
  "CREATE TABLE executor_counts ("
  "  executor TEXT PRIMARY KEY NOT NULL,"
  "  total    INTEGER NOT NULL,"
  "  reopens  INTEGER NOT NULL,"
  "  reopened INTEGER NOT NULL,"
  "  resolved INTEGER NOT NULL"
  ") STRICT;"
  "INSERT INTO executor_counts SELECT executor, count(*), sum(reopen_count), sum(reopen_count > 0),"
  "  sum(resolved_at IS NOT NULL OR reopen_count > 0) FROM tickets WHERE executor IS NOT NULL "
  "GROUP BY executor;"
  "CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets WHEN new.executor IS NOT NULL BEGIN"
  "  INSERT INTO executor_counts SELECT new.executor, 1, new.reopen_count, new.reopen_count > 0,"
  "    new.resolved_at IS NOT NULL OR new.reopen_count > 0 WHERE true"
  "  ON CONFLICT (executor) DO UPDATE SET total = total + 1, reopens = reopens + excluded.reopens,"
  "    reopened = reopened + excluded.reopened, resolved = resolved + excluded.resolved;"
  "END;"
  "CREATE TRIGGER tickets_count_update AFTER UPDATE ON tickets"
  " WHEN old.executor IS NOT new.executor OR old.reopen_count != new.reopen_count"
  "   OR (old.resolved_at IS NULL) != (new.resolved_at IS NULL) BEGIN"
  "  UPDATE executor_counts SET total = total - 1, reopens = reopens - old.reopen_count,"
  "    reopened = reopened - (old.reopen_count > 0),"
  "    resolved = resolved - (old.resolved_at IS NOT NULL OR old.reopen_count > 0)"
  "  WHERE executor = old.executor;"
  "  INSERT INTO executor_counts SELECT new.executor, 1, new.reopen_count, new.reopen_count > 0,"
  "    new.resolved_at IS NOT NULL OR new.reopen_count > 0 WHERE new.executor IS NOT NULL"
  "  ON CONFLICT (executor) DO UPDATE SET total = total + 1, reopens = reopens + excluded.reopens,"
  "    reopened = reopened + excluded.reopened, resolved = resolved + excluded.resolved;"
  "END;"
  "CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets WHEN old.executor IS NOT NULL BEGIN"
  "  UPDATE executor_counts SET total = total - 1, reopens = reopens - old.reopen_count,"
  "    reopened = reopened - (old.reopen_count > 0),"
  "    resolved = resolved - (old.resolved_at IS NOT NULL OR old.reopen_count > 0)"
  "  WHERE executor = old.executor;"
  "END;"
  "CREATE INDEX tickets_open_executor_state ON tickets (executor, state, due_at) WHERE open = 1;"
  /* Overdue, worst first, in the index's order: no sort. */
  "DROP INDEX tickets_open_due;"
  "CREATE INDEX tickets_open_due ON tickets (due_at, number) WHERE open = 1;",

  /* 6: each ticket's history as the SLA engine reads it, so that a ticket
   * read back to be changed is judged without a replay of its events; the
   * indexes a bulk load sets aside (see cd_store_set_bulk()), so that they
   * are rebuilt at the next open when the load did not finish. */
  "ALTER TABLE tickets ADD COLUMN sla_history TEXT;"
  "CREATE TABLE deferred_indexes ("
  "  name TEXT PRIMARY KEY NOT NULL,"
  "  sql  TEXT NOT NULL"
  ") STRICT;",

  /* 7: residents' personal data apart from the payload, which the chain
   * covers by digest (docs/journal.md, "Personal data"); personal_hash is
   * set only on a cache that received a masked copy. */
  "ALTER TABLE events ADD COLUMN personal TEXT;"
  "ALTER TABLE events ADD COLUMN personal_hash TEXT;",

  /* 8: accounts can be disabled (their sessions are revoked with them),
   * and a user's sessions are found without a scan, to revoke them all. */
  "ALTER TABLE users ADD COLUMN disabled_at INTEGER;"
  "CREATE INDEX sessions_user ON sessions (user) WHERE revoked_at IS NULL;",

  /* 9: the public Open311 list pages through tickets newest first within a
   * window of registration, filtered by state and category: all of it in
   * one index, so that a deep page skips index entries rather than table
   * rows and its total is counted without reading a ticket
   * (cd_store_search_tickets()). It serves every use of the index it
   * replaces. */
  "DROP INDEX tickets_created;"
  "CREATE INDEX tickets_created ON tickets (created_at, number, state, category);",

  /* 10: Open311 api keys are revoked, not deleted, so that a rotation
   * leaves a record of who held which key when. */
  "ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;",

  /* 11: the city's reference data, the names behind the codes (the
   * server's own, or the desktop's copy of it): an entry may have no name,
   * so that a code the server knows is listed all the same. */
  "CREATE TABLE reference_entries ("
  "  kind TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  PRIMARY KEY (kind, code)"
  ") STRICT, WITHOUT ROWID;"
  "CREATE TABLE reference_names ("
  "  kind     TEXT NOT NULL,"
  "  code     TEXT NOT NULL,"
  "  language TEXT NOT NULL,"
  "  name     TEXT NOT NULL,"
  "  PRIMARY KEY (kind, code, language)"
  ") STRICT, WITHOUT ROWID;",
  /* 12: "stale" measures from the last event on the executor's side, not
   * from any event (cd_monitor_is_stale()); filled in from the journal by
   * backfill_executor_at(). The index on updated_at served only the old
   * stale query. */
  "ALTER TABLE tickets ADD COLUMN executor_at INTEGER;"
  "DROP INDEX tickets_open_updated;"
  "CREATE INDEX tickets_open_executor_at ON tickets (executor_at) WHERE open = 1;",

  /* 13: reminders to the executor are counted on the ticket, as
   * escalations are, so that the lists mark a reminded ticket; counted
   * from the journal, as cd_ticket_apply() counts them. */
  "ALTER TABLE tickets ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;"
  "UPDATE tickets SET reminders = (SELECT count(*) FROM events "
  "  WHERE events.entity = tickets.id AND events.type = 'remind') "
  "WHERE id IN (SELECT entity FROM events WHERE type = 'remind');",

  /* 14: calls from the PBX, one row per `call` event (docs/calls.md). */
  "CREATE TABLE calls ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  seq          INTEGER NOT NULL,"
  "  pbx_id       TEXT NOT NULL,"
  "  queue        TEXT NOT NULL,"
  "  caller       TEXT,"
  "  did          TEXT,"
  "  entered_at   INTEGER NOT NULL,"
  "  answered_at  INTEGER,"
  "  ended_at     INTEGER NOT NULL,"
  "  outcome      TEXT NOT NULL,"
  "  hold_seconds INTEGER NOT NULL,"
  "  talk_seconds INTEGER NOT NULL,"
  "  agent        TEXT,"
  "  ended_by     TEXT,"
  "  transfer_to  TEXT,"
  "  rings        INTEGER NOT NULL,"
  "  recording    TEXT"
  ") STRICT;"
  "CREATE INDEX calls_entered ON calls (entered_at);",

  /* 15: missed calls as work (docs/calls.md, "Missed calls"): a row per
   * `callback` event, and each missed call's state. The outcomes that
   * count are cd_call_outcome_is_missed()'s; the earliest of a callback
   * that ends it and a later answered call from the same number decides.
   * The due time is the SLA engine's, computed when read. */
  "CREATE TABLE callbacks ("
  "  seq     INTEGER PRIMARY KEY NOT NULL,"
  "  call    TEXT NOT NULL,"
  "  time    INTEGER NOT NULL,"
  "  actor   TEXT NOT NULL,"
  "  role    TEXT NOT NULL,"
  "  outcome TEXT NOT NULL"
  ") STRICT;"
  "CREATE INDEX callbacks_call ON callbacks (call, seq);"
  "CREATE INDEX calls_caller ON calls (caller, entered_at) WHERE caller IS NOT NULL;"
  "CREATE VIEW missed_calls AS "
  "SELECT c.id, c.seq, c.queue, c.caller, c.outcome, c.ended_at AS missed_at,"
  "  (SELECT count(*) FROM callbacks WHERE callbacks.call = c.id) AS attempts,"
  "  b.time AS callback_at, b.actor AS callback_by, b.role AS callback_role,"
  "  b.outcome AS callback_outcome, l.id AS closed_by, l.answered_at AS closed_at,"
  "  CASE WHEN b.seq IS NOT NULL AND (l.id IS NULL OR b.time <= l.answered_at) THEN"
  "    CASE b.outcome WHEN 'reached' THEN 'called_back' ELSE 'wrong_number' END"
  "  WHEN l.id IS NOT NULL THEN 'closed' ELSE 'waiting' END AS state "
  "FROM calls AS c "
  "LEFT JOIN callbacks AS b ON b.seq = (SELECT min(seq) FROM callbacks AS e "
  "  WHERE e.call = c.id AND e.outcome IN ('reached', 'wrong_number')) "
  /* A number masked for the desktop's role (+375 29 ***-**-67) says who
   * called no more: it closes nothing, rather than close another
   * caller's missed call. */
  "LEFT JOIN calls AS l ON l.id = (SELECT x.id FROM calls AS x WHERE x.caller = c.caller"
  "  AND instr (c.caller, '*') = 0"
  "  AND x.entered_at >= c.ended_at AND x.answered_at IS NOT NULL"
  "  ORDER BY x.entered_at, x.seq LIMIT 1) "
  "WHERE c.outcome IN ('abandoned', 'timeout', 'exit_empty', 'exit_key')"
  "  AND c.caller IS NOT NULL AND c.caller <> '';",

  /* 16: the missed calls still awaiting a callback, marked on their row so
   * that the live queue and the lists find them by an index rather than
   * judging every missed call of the years (the view above still says
   * how each one ended). A row is open while the view would call it
   * waiting: missed, with a number, no callback that reached the caller
   * or found a wrong number, and no later answered call from the same
   * unmasked number. Triggers keep it so as rows arrive, in any order. */
  "ALTER TABLE calls ADD COLUMN missed_open INTEGER NOT NULL DEFAULT 0;"
  "UPDATE calls SET missed_open = 1 "
  "  WHERE id IN (SELECT id FROM missed_calls WHERE state = 'waiting');"
  "CREATE INDEX calls_missed_open ON calls (ended_at) WHERE missed_open = 1;"
  "CREATE TRIGGER calls_missed_open AFTER INSERT ON calls BEGIN"
  "  UPDATE calls SET missed_open = 1 WHERE id = NEW.id"
  "    AND NEW.outcome IN ('abandoned', 'timeout', 'exit_empty', 'exit_key')"
  "    AND NEW.caller IS NOT NULL AND NEW.caller <> ''"
  "    AND NOT EXISTS (SELECT 1 FROM callbacks WHERE callbacks.call = NEW.id"
  "      AND callbacks.outcome IN ('reached', 'wrong_number'))"
  "    AND NOT EXISTS (SELECT 1 FROM calls AS x WHERE x.caller = NEW.caller"
  "      AND instr (NEW.caller, '*') = 0 AND x.entered_at >= NEW.ended_at"
  "      AND x.answered_at IS NOT NULL);"
  "  UPDATE calls SET missed_open = 0 WHERE NEW.answered_at IS NOT NULL"
  "    AND missed_open = 1 AND caller = NEW.caller AND instr (caller, '*') = 0"
  "    AND ended_at <= NEW.entered_at;"
  "END;"
  "CREATE TRIGGER callbacks_missed_open AFTER INSERT ON callbacks"
  "  WHEN NEW.outcome IN ('reached', 'wrong_number') BEGIN"
  "  UPDATE calls SET missed_open = 0 WHERE id = NEW.call;"
  "END;"
  /* The statistics read a period's figures in entry order: an index that
   * holds them all reads a year three times faster than the rows it
   * points to (bench-queue), and its first column replaces the index on
   * the entry. */
  "CREATE INDEX calls_figures ON calls (entered_at, answered_at, ended_at, outcome,"
  "  hold_seconds, talk_seconds, agent, rings, seq);"
  "DROP INDEX calls_entered;",

  /* 17: the queue of messages to residents, written with the event that
   * resolves or closes their ticket (docs/notifications.md). The key is
   * sent with every try of a row, so that a receiver drops a repeat. */
  "CREATE TABLE notifications ("
  "  id           INTEGER PRIMARY KEY,"
  "  seq          INTEGER NOT NULL,"
  "  ticket       TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  ticket_state TEXT NOT NULL,"
  "  channel      TEXT NOT NULL,"
  "  key          TEXT NOT NULL UNIQUE,"
  "  state        TEXT NOT NULL DEFAULT 'pending',"
  "  attempts     INTEGER NOT NULL DEFAULT 0,"
  "  next_try     INTEGER NOT NULL,"
  "  last_error   TEXT,"
  "  created_at   INTEGER NOT NULL,"
  "  sent_at      INTEGER,"
  "  UNIQUE (seq, channel)"
  ") STRICT;"
  "CREATE INDEX notifications_due ON notifications (next_try, id) WHERE state = 'pending';"
  "CREATE INDEX notifications_state ON notifications (state, id);",

  /* 18: callbacks to residents after a resolve (docs/feedback.md): a task
   * per `resolve` its feedback policy selects, keyed by that event, its
   * attempts (one per ticket `callback` event), and each executor's count
   * of resolutions per policy, which the stratified sample is drawn from
   * in journal order. Columns are named apart from the tickets' so that a
   * task reads joined with its ticket. */
  "CREATE TABLE feedback_tasks ("
  "  resolve_seq      INTEGER PRIMARY KEY NOT NULL,"
  "  ticket           TEXT NOT NULL,"
  "  feedback_policy  TEXT NOT NULL,"
  "  resolver         TEXT NOT NULL,"
  "  resolve_time     INTEGER NOT NULL,"
  "  attempts_allowed INTEGER NOT NULL,"
  "  spacing          INTEGER NOT NULL,"
  "  next_attempt     INTEGER NOT NULL,"
  "  earliest         INTEGER NOT NULL,"
  "  due_time         INTEGER NOT NULL,"
  "  ended_time       INTEGER,"
  "  ending           TEXT"
  ") STRICT;"
  "CREATE UNIQUE INDEX feedback_tasks_open ON feedback_tasks (ticket) WHERE ended_time IS NULL;"
  "CREATE INDEX feedback_tasks_due ON feedback_tasks (due_time) WHERE ended_time IS NULL;"
  "CREATE INDEX feedback_tasks_ended ON feedback_tasks (ended_time) WHERE ended_time IS NOT NULL;"
  "CREATE INDEX feedback_tasks_resolved ON feedback_tasks (resolve_time);"
  "CREATE TABLE feedback_attempts ("
  "  seq     INTEGER PRIMARY KEY NOT NULL,"
  "  task    INTEGER NOT NULL,"
  "  time    INTEGER NOT NULL,"
  "  actor   TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  rating  INTEGER,"
  "  note    TEXT"
  ") STRICT;"
  "CREATE INDEX feedback_attempts_task ON feedback_attempts (task, seq);"
  "CREATE INDEX feedback_attempts_time ON feedback_attempts (time);"
  "CREATE TABLE feedback_counts ("
  "  feedback_policy TEXT NOT NULL,"
  "  resolver        TEXT NOT NULL,"
  "  resolutions     INTEGER NOT NULL,"
  "  PRIMARY KEY (feedback_policy, resolver)"
  ") STRICT, WITHOUT ROWID;",

  /* 19: the quality-control desk (docs/qa.md): evaluation forms by id and
   * version, never edited, deleted only while no evaluation uses them;
   * evaluations, one row per `evaluate` event, append-only (a correction
   * is a new row that `supersedes` the one it corrects, once); the
   * calibration sessions of `calibrate` events. */
  "CREATE TABLE qa_forms ("
  "  id         TEXT NOT NULL,"
  "  version    INTEGER NOT NULL,"
  "  document   TEXT NOT NULL,"
  "  added_at   INTEGER NOT NULL,"
  "  retired_at INTEGER,"
  "  PRIMARY KEY (id, version)"
  ") STRICT;"
  "CREATE TABLE qa_evaluations ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  seq          INTEGER NOT NULL,"
  "  call         TEXT NOT NULL,"
  "  form         TEXT NOT NULL,"
  "  form_version INTEGER NOT NULL,"
  "  evaluator    TEXT NOT NULL,"
  "  role         TEXT NOT NULL,"
  "  time         INTEGER NOT NULL,"
  "  total        REAL,"
  "  band         TEXT,"
  "  critical     REAL,"
  "  fatal        INTEGER NOT NULL,"
  "  supersedes   TEXT UNIQUE,"
  "  calibration  TEXT,"
  "  revision     INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX qa_evaluations_call ON qa_evaluations (call);"
  "CREATE INDEX qa_evaluations_form ON qa_evaluations (form, form_version);"
  "CREATE INDEX qa_evaluations_calibration ON qa_evaluations (calibration) "
  "  WHERE calibration IS NOT NULL;"
  "CREATE TABLE qa_calibrations ("
  "  id        TEXT PRIMARY KEY NOT NULL,"
  "  call      TEXT NOT NULL,"
  "  owner     TEXT NOT NULL,"
  "  reference TEXT,"
  "  opened_at INTEGER NOT NULL,"
  "  closed_at INTEGER"
  ") STRICT;"
  "CREATE TRIGGER qa_evaluations_no_update BEFORE UPDATE ON qa_evaluations"
  "  BEGIN SELECT RAISE(ABORT, 'evaluations are append-only: a correction is a new version');"
  "  END;"
  "CREATE TRIGGER qa_evaluations_no_delete BEFORE DELETE ON qa_evaluations"
  "  BEGIN SELECT RAISE(ABORT, 'evaluations are append-only'); END;"
  "CREATE TRIGGER qa_forms_no_edit BEFORE UPDATE OF id, version, document, added_at ON qa_forms"
  "  BEGIN SELECT RAISE(ABORT, 'a form version is never edited: add a new version'); END;"
  "CREATE TRIGGER qa_forms_no_unretire BEFORE UPDATE OF retired_at ON qa_forms"
  "  WHEN old.retired_at IS NOT NULL"
  "  BEGIN SELECT RAISE(ABORT, 'a retired form version stays retired'); END;"
  "CREATE TRIGGER qa_forms_no_delete BEFORE DELETE ON qa_forms"
  "  WHEN EXISTS (SELECT 1 FROM qa_evaluations"
  "               WHERE form = old.id AND form_version = old.version)"
  "  BEGIN SELECT RAISE(ABORT, 'a form with evaluations is never deleted: retire it'); END;",

  /* 20: call recordings linked to their calls (docs/recordings.md): the
   * file under the recordings folder, its facts and the voice-activity
   * figures, computed once. Not a projection of the journal: a scan of
   * the folder writes it, and may write it again. */
  "CREATE TABLE recordings ("
  "  call        TEXT PRIMARY KEY NOT NULL,"
  "  path        TEXT NOT NULL,"
  "  size        INTEGER NOT NULL,"
  "  format      TEXT NOT NULL,"
  "  duration_ms INTEGER,"
  "  figures     TEXT,"
  "  note        TEXT,"
  "  scanned_at  INTEGER NOT NULL"
  ") STRICT;"
  "CREATE INDEX recordings_path ON recordings (path);"
  "CREATE INDEX calls_pbx_id ON calls (pbx_id);",

  /* 21: an account linked to its PBX agent, the queue member's name as
   * the calls carry it (calls.agent), so that an operator reads their own
   * evaluations (docs/qa.md). One account per agent: two accounts of one
   * agent would each read the other's. */
  "ALTER TABLE users ADD COLUMN agent TEXT;"
  "CREATE UNIQUE INDEX users_agent ON users (agent) WHERE agent IS NOT NULL;",
};

#define MIGRATION_EXECUTOR_AT 12
/* The shipped evaluation forms are written into the store by the
 * migration that makes their table, so that every new database has them. */
#define MIGRATION_QA_FORMS 19

/* Migration 12's data: each ticket's executor_at as cd_ticket_apply()
 * would have set it, from its events. The condition is built from the
 * transition table, as the projection decides it, so that both agree. */
static gboolean
backfill_executor_at (CdStore  *self,
                      GError  **error)
{
  g_autoptr(GString) condition = g_string_new ("0");
  g_autofree char *sql = NULL;

  for (guint a = 0; a < CD_N_ACTIONS; a++)
    for (guint r = 0; r < CD_N_ROLES; r++)
      if (cd_dispatch_hands_over (a) || cd_dispatch_is_executor_side (a, r))
        g_string_append_printf (condition, " OR (type = '%s' AND role = '%s')",
                                cd_action_to_string (a), cd_role_to_string (r));
  sql = g_strdup_printf ("UPDATE tickets SET executor_at = (SELECT time FROM events "
                         "WHERE entity = tickets.id AND (%s) ORDER BY seq DESC LIMIT 1)",
                         condition->str);
  return cd_store_exec (self, sql, _("upgrading the schema"), error);
}

/* A few seconds: long enough to ride out another process's checkpoint,
 * short enough that a stuck writer is reported rather than waited on. */
#define BUSY_TIMEOUT_MS 5000

static void
cd_store_finalize (GObject *object)
{
  CdStore *self = (CdStore *)object;

  cd_store_finalize_journal (self);
  g_clear_pointer (&self->reference, cd_store_reference_memo_free);
  g_clear_pointer (&self->sla, cd_sla_library_unref);
  g_clear_pointer (&self->feedback, g_ptr_array_unref);
  g_clear_pointer (&self->complaint_templates, cd_complaint_templates_free);
  g_clear_pointer (&self->complaint_language, g_free);
  /* On SQLite `db` is the connection's own; on PostgreSQL a stand-in. */
  if (cd_store_is_postgresql (self))
    g_clear_pointer (&self->db, sqlite3_close);
  self->db = NULL;
  g_clear_pointer (&self->conn, cd_db_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (cd_store_parent_class)->finalize (object);
}

static void
cd_store_class_init (CdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_store_finalize;
}

static void
cd_store_init (CdStore *self)
{
}

gboolean
cd_store_is_postgresql (CdStore *self)
{
  return self->conn != NULL && cd_db_get_backend (self->conn) == CD_DB_BACKEND_POSTGRESQL;
}

/* Every statement of a file not yet ported to CdDb fails on PostgreSQL
 * (its `db` holds no table), and every such failure comes here: the one
 * place that says so, rather than a check in each public function. */
static gboolean
set_not_available (CdStore     *self,
                   const char  *what,
                   GError     **error)
{
  g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_AVAILABLE,
               _("The store cannot do this on PostgreSQL yet (while %s in “%s”): "
                 "use a SQLite file for it."),
               what, self->path);
  return FALSE;
}

/**
 * cd_store_require_sqlite:
 * @self: a store
 * @what: what the store was about to do, for the message
 * @error: return location for %CD_STORE_ERROR_NOT_AVAILABLE
 *
 * For what is SQLite's by design (the desktop's cache: its sync cursors,
 * its outbox, its ticket list model): says so on PostgreSQL before any
 * statement runs.
 *
 * Returns: whether @self is a SQLite file
 */
gboolean
cd_store_require_sqlite (CdStore     *self,
                         const char  *what,
                         GError     **error)
{
  return !cd_store_is_postgresql (self) || set_not_available (self, what, error);
}

/**
 * cd_store_prepare:
 * @self: a store
 * @sql: a statement for cd_db_prepare()
 * @what: what the store is doing, for the message of a failure
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the statement on @self's
 *   connection, or %NULL with @error set as cd_store_db_error() sets it
 */
CdDbStmt *
cd_store_prepare (CdStore     *self,
                  const char  *sql,
                  const char  *what,
                  GError     **error)
{
  GError *db_error = NULL;
  CdDbStmt *stmt;

  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    cd_store_db_error (self, what, db_error, error);
  return stmt;
}

/**
 * cd_store_db_error:
 * @self: a store
 * @what: what the store was doing, for the message
 * @db_error: (transfer full): a #CD_DB_ERROR from @self's connection
 * @error: return location for the #CD_STORE_ERROR
 *
 * A failure of the code ported to CdDb, reported as the store reports a
 * SQLite failure (cd_store_set_sql_error()), on either backend.
 *
 * Returns: %FALSE
 */
gboolean
cd_store_db_error (CdStore     *self,
                   const char  *what,
                   GError      *db_error,
                   GError     **error)
{
  g_autoptr(GError) local_error = db_error;

  if (local_error->domain != CD_DB_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (local_error->code == CD_DB_ERROR_SERIALIZATION)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_BUSY,
                 _("The database is locked by another connection (while %s)."), what);
  else if (local_error->code == CD_DB_ERROR_CONSTRAINT)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_APPEND_ONLY,
                 _("Refused while %s: %s"), what, local_error->message);
  else if (local_error->code == CD_DB_ERROR_CONNECT)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_UNREACHABLE,
                 _("The database “%s” cannot be reached (while %s): %s"),
                 self->path, what, local_error->message);
  else
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_SQL,
                 _("Database error in “%s” while %s: %s"),
                 self->path, what, local_error->message);
  return FALSE;
}

gboolean
cd_store_set_sql_error (CdStore     *self,
                        const char  *what,
                        GError     **error)
{
  int code = sqlite3_extended_errcode (self->db);

  if (cd_store_is_postgresql (self))
    return set_not_available (self, what, error);
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_BUSY,
                 _("The database is locked by another connection (while %s)."), what);
  else if (code == SQLITE_CONSTRAINT_TRIGGER)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_APPEND_ONLY,
                 _("Refused while %s: %s"), what, sqlite3_errmsg (self->db));
  else if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE,
                 _("“%s” is not a Citydesk database, or it is damaged: %s"),
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_SQL,
                 _("Database error in “%s” while %s: %s"),
                 self->path, what, sqlite3_errmsg (self->db));
  return FALSE;
}

/**
 * cd_store_set_busy_timeout:
 * @self: a store
 * @milliseconds: how long a statement waits for a lock another connection
 *   holds before it fails with %CD_STORE_ERROR_BUSY
 *
 * A store opens with a few seconds, for programs that would rather wait;
 * a server that must go on answering others sets a short bound.
 */
void
cd_store_set_busy_timeout (CdStore *self,
                           int      milliseconds)
{
  g_return_if_fail (CD_IS_STORE (self));
  g_return_if_fail (milliseconds >= 0);

  /* PostgreSQL's writers queue on the write lock (cd_db_begin_write())
   * rather than fail: there is no SQLite busy handler to bound. */
  if (!cd_store_is_postgresql (self))
    sqlite3_busy_timeout (self->db, milliseconds);
}

/* SQLite only, on the file's own connection: its schema's steps, its
 * pragmas and the deferred indexes below (PostgreSQL's schema is
 * cd-journal-db.c's). On PostgreSQL it fails, not available. */
gboolean
cd_store_exec (CdStore     *self,
               const char  *sql,
               const char  *what,
               GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, what, error);
  return TRUE;
}

/* SQLite only, as cd_store_exec(). */
static gboolean
read_int (CdStore     *self,
          const char  *sql,
          int         *out,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return cd_store_set_sql_error (self, _("reading the schema"), error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW)
    return cd_store_set_sql_error (self, _("reading the schema"), error);
  return TRUE;
}

static gboolean
migrate (CdStore  *self,
         GError  **error)
{
  int latest = G_N_ELEMENTS (migrations);

  if (!read_int (self, "PRAGMA user_version", &self->schema_version, error))
    return FALSE;

  if (self->schema_version > latest)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer Citydesk (schema %d; this version knows up to "
                      "%d). Update Citydesk to open it."),
                   self->path, self->schema_version, latest);
      return FALSE;
    }

  while (self->schema_version < latest)
    {
      int next = self->schema_version + 1;
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", next);

      /* IMMEDIATE takes the write lock first, so two processes opening the
       * same new file cannot both run the same step. */
      if (!cd_store_exec (self, "BEGIN IMMEDIATE", _("starting a migration"), error))
        return FALSE;

      if (!read_int (self, "PRAGMA user_version", &self->schema_version, error))
        goto rollback;
      if (self->schema_version >= next)
        {
          cd_store_exec (self, "COMMIT", _("finishing a migration"), NULL);
          continue;
        }

      if (!cd_store_exec (self, migrations[next - 1], _("upgrading the schema"), error) ||
          (next == MIGRATION_EXECUTOR_AT && !backfill_executor_at (self, error)) ||
          (next == MIGRATION_QA_FORMS && !cd_store_seed_qa_forms (self, error)) ||
          !cd_store_exec (self, bump, _("upgrading the schema"), error) ||
          !cd_store_exec (self, "COMMIT", _("finishing a migration"), error))
        goto rollback;

      self->schema_version = next;
      continue;

    rollback:
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

/* Deferred indexes {{{1 */

/* SQLite only (its `sqlite_schema`): cd_store_set_bulk() does not call them
 * on PostgreSQL. */

/* A bulk load into an empty store (the demo city, the desktop's first
 * sync) writes hundreds of thousands of tickets and millions of events:
 * keeping a dozen indexes of tickets up to date row by row costs more than
 * building them once, sorted, at the end. The definitions set aside are kept in the
 * database, in the same transaction as the drops, so that an interrupted
 * load gets them back at the next open. */

static char *
collect_sql (CdStore     *self,
             const char  *query,
             const char  *what,
             GError     **error)
{
  g_autoptr(GString) script = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, query, -1, &stmt, NULL) != SQLITE_OK)
    {
      cd_store_set_sql_error (self, what, error);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_string_append_printf (script, "%s;", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      cd_store_set_sql_error (self, what, error);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&script), FALSE);
}

/* The tickets' indexes of our own: sql is NULL for those of constraints
 * (the primary key, the numbers' uniqueness), which the load relies on.
 * The journal's index by entity stays: ticket ids are time-ordered, so it
 * grows at its end, which costs less than building it again from the
 * whole journal. */
#define DEFERRABLE "type = 'index' AND sql IS NOT NULL AND tbl_name = 'tickets'"

/* Both run in one write transaction, so that two connections to the same
 * file (the desktop's window and its sync) never act on a stale view. */
static gboolean
defer_indexes (CdStore  *self,
               GError  **error)
{
  g_autofree char *drops = NULL;
  g_autofree char *script = NULL;
  int empty = 0;

  if (!read_int (self, "SELECT NOT EXISTS (SELECT 1 FROM tickets)", &empty, error))
    return FALSE;
  if (!empty)
    return TRUE;
  drops = collect_sql (self,
                       "SELECT format ('DROP INDEX %w', name) FROM sqlite_schema WHERE " DEFERRABLE,
                       _("setting indexes aside"), error);
  if (drops == NULL)
    return FALSE;
  script = g_strconcat ("INSERT INTO deferred_indexes (name, sql) "
                        "SELECT name, sql FROM sqlite_schema WHERE " DEFERRABLE
                        " ON CONFLICT (name) DO NOTHING;",
                        drops, NULL);
  return cd_store_exec (self, script, _("setting indexes aside"), error);
}

static gboolean
restore_indexes (CdStore  *self,
                 GError  **error)
{
  g_autofree char *creates = NULL;
  g_autofree char *script = NULL;

  creates =
      collect_sql (self,
                   "SELECT d.sql FROM deferred_indexes AS d WHERE NOT EXISTS "
                   "(SELECT 1 FROM sqlite_schema AS s WHERE s.type = 'index' AND s.name = d.name)",
                   _("rebuilding indexes"), error);
  if (creates == NULL)
    return FALSE;
  script = g_strconcat (creates, "DELETE FROM deferred_indexes;", NULL);
  return cd_store_exec (self, script, _("rebuilding indexes"), error);
}

static gboolean
in_write_transaction (CdStore   *self,
                      gboolean (*func) (CdStore *, GError **),
                      GError   **error)
{
  if (!cd_store_exec (self, "BEGIN IMMEDIATE", _("starting a transaction"), error))
    return FALSE;
  if (!func (self, error) ||
      !cd_store_exec (self, "COMMIT", _("committing"), error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Sets the indexes of the tickets aside when the store holds no
 * ticket yet; does nothing otherwise. */
gboolean
cd_store_defer_indexes (CdStore  *self,
                        GError  **error)
{
  return in_write_transaction (self, defer_indexes, error);
}

/* Builds the indexes a bulk load set aside, if any. */
gboolean
cd_store_restore_indexes (CdStore  *self,
                          GError  **error)
{
  int pending = 0;

  /* Most opens find nothing to do: no write lock for them. */
  if (!read_int (self, "SELECT EXISTS (SELECT 1 FROM deferred_indexes)", &pending, error))
    return FALSE;
  return !pending || in_write_transaction (self, restore_indexes, error);
}

/* The cache holds residents' personal data: the file is the user's alone
 * from the moment it exists. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN,
                   _("Cannot create the database “%s”: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  g_close (fd, NULL);
  return TRUE;
}

/* The step that makes the quality-control tables also writes the shipped
 * forms, as SQLite's does. */
static gboolean
pg_migration_step (CdDb      *db,
                   int        version,
                   gpointer   user_data,
                   GError   **error)
{
  if (cd_journal_db_migration_creates (version, "qa_forms"))
    return cd_store_seed_qa_forms (user_data, error);
  return TRUE;
}

/* The PostgreSQL schema is cd-journal-db.c's list of migrations: the
 * journal's first, then the tables of the store's files ported to CdDb. */
static CdStore *
open_postgresql (const char  *uri,
                 GError     **error)
{
  g_autoptr(CdStore) self = g_object_new (CD_TYPE_STORE, NULL);
  g_autoptr(GError) local_error = NULL;
  int rc;

  if ((self->conn = cd_db_open (uri, &local_error)) == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN, "%s", local_error->message);
      return NULL;
    }
  self->path = g_strdup (cd_db_get_location (self->conn));
  rc = sqlite3_open_v2 (":memory:", &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), self->path, sqlite3_errstr (rc));
      return NULL;
    }
  if (!cd_journal_db_migrate_full (self->conn, pg_migration_step, self, &self->schema_version,
                                   &local_error))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN, "%s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * cd_store_open:
 * @path: the database file, created (mode 0600) when it does not exist;
 *   or a `postgresql://` URI (cd_db_is_uri())
 * @error: return location for a #CD_STORE_ERROR
 *
 * Opens a file in WAL mode with foreign keys enforced, and brings its
 * schema up to date; or connects to a PostgreSQL database and brings its
 * schema up to date. On PostgreSQL what is ported to CdDb works (the
 * journal, the settings, the ticket core: docs/deploy.md); the rest fails
 * with %CD_STORE_ERROR_NOT_AVAILABLE. The path a PostgreSQL store gives
 * back (cd_store_get_path()) is its URI with the password redacted.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
CdStore *
cd_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CdStore) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (cd_db_is_uri (path))
    return open_postgresql (path, error);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) &&
      !create_private_file (path, error))
    return NULL;

  self = g_object_new (CD_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if ((self->conn = cd_db_open (path, &local_error)) == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN, "%s", local_error->message);
      return NULL;
    }
  self->db = cd_db_get_sqlite (self->conn);

  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, TRUE);

  if (!cd_store_exec (self, "PRAGMA journal_mode = WAL", _("opening"), error) ||
      !cd_store_exec (self, "PRAGMA synchronous = NORMAL", _("opening"), error) ||
      !cd_store_exec (self, "PRAGMA foreign_keys = ON", _("opening"), error) ||
      /* The dashboards read a year of tickets again and again: map the
       * hot part of the file rather than copy every page through read(2).
       * Mapped pages count as the desktop's resident memory, so the map
       * stays small; the kernel's page cache holds the rest. */
      !cd_store_exec (self, "PRAGMA mmap_size = 134217728", _("opening"), error) ||
      !migrate (self, error) ||
      /* A bulk load that did not finish. */
      !cd_store_restore_indexes (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * cd_store_open_reader:
 * @path: a database another store (its writer) opened
 * @error: return location for a #CD_STORE_ERROR
 *
 * A second connection to @path for reads only (SQLite refuses it any
 * write), which a worker thread can use beside the writer: in WAL mode the
 * two never wait for each other. Like any store it belongs to one thread
 * at a time.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
CdStore *
cd_store_open_reader (const char  *path,
                      GError     **error)
{
  g_autoptr(CdStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if ((self = cd_store_open (path, error)) == NULL ||
      !cd_store_exec (self, "PRAGMA query_only = ON", _("opening"), error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * cd_store_open_replica:
 * @uri: a `postgresql://` URI, typically of a streaming replica
 * @error: return location for a #CD_STORE_ERROR
 *
 * A store that reads @uri and never writes it: no migration (a replica
 * is migrated through its primary), every transaction read-only, so even
 * a primary named by mistake is not written. A database whose schema is
 * not exactly this program's, older or newer, is refused
 * (%CD_STORE_ERROR_NOT_A_DATABASE, as is a location that is not a URI);
 * one that cannot be reached is %CD_STORE_ERROR_OPEN.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
CdStore *
cd_store_open_replica (const char  *uri,
                       GError     **error)
{
  g_autoptr(CdStore) self = NULL;
  g_autoptr(GError) local_error = NULL;
  int rc;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!cd_db_is_uri (uri))
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_A_DATABASE,
                   _("“%s” is not a postgresql:// URI: a read replica is a PostgreSQL "
                     "database"), uri);
      return NULL;
    }
  self = g_object_new (CD_TYPE_STORE, NULL);
  if ((self->conn = cd_db_open (uri, &local_error)) == NULL)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN, "%s", local_error->message);
      return NULL;
    }
  self->path = g_strdup (cd_db_get_location (self->conn));
  rc = sqlite3_open_v2 (":memory:", &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN,
                   _("Cannot open the database “%s”: %s"), self->path, sqlite3_errstr (rc));
      return NULL;
    }
  self->schema_version = -1;
  if (!cd_db_exec (self->conn, "SET default_transaction_read_only = on", &local_error) ||
      !cd_journal_db_check_version (self->conn, &self->schema_version, &local_error))
    {
      g_set_error (error, CD_STORE_ERROR,
                   self->schema_version >= 0 ? CD_STORE_ERROR_NOT_A_DATABASE
                                             : CD_STORE_ERROR_OPEN,
                   "%s", local_error->message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
cd_store_get_path (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), NULL);

  return self->path;
}

int
cd_store_get_schema_version (CdStore *self)
{
  g_return_val_if_fail (CD_IS_STORE (self), 0);

  return self->schema_version;
}

int
cd_store_get_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

/**
 * cd_store_get_meta:
 * @self: a #CdStore
 * @key: the key
 * @error: return location for an error; %CD_STORE_ERROR_NOT_FOUND when
 *   the key has no value
 *
 * Returns: (transfer full): the value, or %NULL with @error set
 */
char *
cd_store_get_meta (CdStore     *self,
                   const char  *key,
                   GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if ((stmt = cd_db_prepare (self->conn, "SELECT value FROM meta WHERE key = ?1",
                             &db_error)) == NULL)
    {
      cd_store_db_error (self, _("reading settings"), db_error, error);
      return NULL;
    }
  cd_db_bind_text (stmt, 1, key);

  step = cd_db_step (stmt, &db_error);
  if (step == CD_DB_ROW)
    return g_strdup (cd_db_column_text (stmt, 0));
  if (step == CD_DB_DONE)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND,
                 _("“%s” has no value for “%s”"), self->path, key);
  else
    cd_store_db_error (self, _("reading settings"), db_error, error);
  return NULL;
}

gboolean
cd_store_set_meta (CdStore     *self,
                   const char  *key,
                   const char  *value,
                   GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if ((stmt = cd_db_prepare (self->conn,
                             "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             &db_error)) == NULL)
    return cd_store_db_error (self, _("saving settings"), db_error, error);

  cd_db_bind_text (stmt, 1, key);
  cd_db_bind_text (stmt, 2, value);
  if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("saving settings"), db_error, error);
  return TRUE;
}

/* Copying a table to another database {{{1 */

static gboolean
same_value (CdDbStmt *a,
            CdDbStmt *b,
            int       column,
            char      type)
{
  gboolean a_null = cd_db_column_is_null (a, column);

  if (a_null || cd_db_column_is_null (b, column))
    return a_null && cd_db_column_is_null (b, column);
  switch (type)
    {
    case 'i':
      return cd_db_column_int64 (a, column) == cd_db_column_int64 (b, column);
    case 'd':
      return cd_db_column_double (a, column) == cd_db_column_double (b, column);
    default:
      return g_strcmp0 (cd_db_column_text (a, column), cd_db_column_text (b, column)) == 0;
    }
}

static void
bind_column (CdDbStmt *to,
             int       parameter,
             CdDbStmt *from,
             int       column,
             char      type)
{
  if (cd_db_column_is_null (from, column))
    cd_db_bind_null (to, parameter);
  else if (type == 'i')
    cd_db_bind_int64 (to, parameter, cd_db_column_int64 (from, column));
  else if (type == 'd')
    cd_db_bind_double (to, parameter, cd_db_column_double (from, column));
  else
    cd_db_bind_text (to, parameter, cd_db_column_text (from, column));
}

/**
 * cd_store_copy_rows:
 * @self: the store written, in a transaction
 * @from: the store read
 * @table: a table both hold
 * @columns: its columns, comma-separated, its key's first
 * @n_keys: how many of @columns make its key
 * @types: a letter per column: `t` text, `i` integer, `d` float
 * @n_copied: (out) (optional): how many rows @self was given
 * @error: return location for an error
 *
 * Gives @self the rows of @from's @table that it lacks, by their key. A
 * row both hold with other content is refused: the two databases hold
 * different cities, and neither is the one to trust. So a copy run again
 * adds nothing, and one that stopped goes on.
 *
 * Returns: whether every row of @from is in @self
 */
gboolean
cd_store_copy_rows (CdStore     *self,
                    CdStore     *from,
                    const char  *table,
                    const char  *columns,
                    guint        n_keys,
                    const char  *types,
                    gint64      *n_copied,
                    GError     **error)
{
  g_auto(GStrv) names = g_strsplit (columns, ",", -1);
  g_autoptr(GString) where = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) order = g_string_new (NULL);
  g_autoptr(CdDbStmt) read = NULL;
  g_autoptr(CdDbStmt) find = NULL;
  g_autoptr(CdDbStmt) insert = NULL;
  g_autofree char *read_sql = NULL;
  g_autofree char *find_sql = NULL;
  g_autofree char *insert_sql = NULL;
  g_autofree char *what = g_strdup_printf (_("copying the table “%s”"), table);
  guint n_columns = g_strv_length (names);
  GError *db_error = NULL;
  gint64 n = 0;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (CD_IS_STORE (from), FALSE);
  g_return_val_if_fail (strlen (types) == n_columns && n_keys > 0 && n_keys <= n_columns,
                        FALSE);

  if (n_copied != NULL)
    *n_copied = 0;
  for (guint i = 0; i < n_columns; i++)
    {
      g_strstrip (names[i]);
      if (i < n_keys)
        {
          g_string_append_printf (where, "%s%s = ?%u", i > 0 ? " AND " : "", names[i], i + 1);
          g_string_append_printf (order, "%s%s", i > 0 ? ", " : "", names[i]);
        }
      g_string_append_printf (values, "%s?%u", i > 0 ? ", " : "", i + 1);
    }
  read_sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", columns, table, order->str);
  find_sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s", columns, table, where->str);
  insert_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", table, columns, values->str);
  if ((read = cd_db_prepare (from->conn, read_sql, &db_error)) == NULL)
    return cd_store_db_error (from, what, db_error, error);
  if ((find = cd_db_prepare (self->conn, find_sql, &db_error)) == NULL ||
      (insert = cd_db_prepare (self->conn, insert_sql, &db_error)) == NULL)
    return cd_store_db_error (self, what, db_error, error);

  while ((step = cd_db_step (read, &db_error)) == CD_DB_ROW)
    {
      CdDbStep found;

      cd_db_reset (find);
      for (guint i = 0; i < n_keys; i++)
        bind_column (find, i + 1, read, i, types[i]);
      if ((found = cd_db_step (find, &db_error)) == CD_DB_FAILED)
        return cd_store_db_error (self, what, db_error, error);
      if (found == CD_DB_ROW)
        {
          for (guint i = n_keys; i < n_columns; i++)
            if (!same_value (read, find, i, types[i]))
              {
                g_autoptr(GString) key = g_string_new (NULL);

                for (guint k = 0; k < n_keys; k++)
                  g_string_append_printf (key, "%s%s", k > 0 ? ", " : "",
                                          cd_db_column_is_null (read, k)
                                            ? "NULL" : cd_db_column_text (read, k));
                g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_CONFLICT,
                             _("The table “%s” of “%s” holds its row “%s” with another “%s” "
                               "than “%s”: a different city, refused; nothing more is copied."),
                             table, self->path, key->str, names[i], from->path);
                return FALSE;
              }
          continue;
        }
      cd_db_reset (insert);
      for (guint i = 0; i < n_columns; i++)
        bind_column (insert, i + 1, read, i, types[i]);
      if (cd_db_step (insert, &db_error) == CD_DB_FAILED)
        return cd_store_db_error (self, what, db_error, error);
      n++;
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (from, what, db_error, error);
  if (n_copied != NULL)
    *n_copied = n;
  return TRUE;
}

/**
 * cd_store_copy_tables:
 * @self: the store written, outside a transaction
 * @from: the store read
 * @tables: (array length=n_tables): the tables, in the order copied
 * @n_tables: how many
 * @n_copied: (array length=n_tables) (optional): the rows each gave @self
 * @error: return location for an error
 *
 * cd_store_copy_rows() for each of @tables, in one transaction: a table
 * refused leaves @self as it was, the others of @tables too.
 *
 * Returns: whether every row of @tables is in @self
 */
gboolean
cd_store_copy_tables (CdStore                *self,
                      CdStore                *from,
                      const CdStoreCopyTable *tables,
                      guint                   n_tables,
                      gint64                 *n_copied,
                      GError                **error)
{
  g_return_val_if_fail (CD_IS_STORE (self), FALSE);
  g_return_val_if_fail (CD_IS_STORE (from), FALSE);

  if (!cd_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_tables; i++)
    if (!cd_store_copy_rows (self, from, tables[i].table, tables[i].columns, tables[i].n_keys,
                             tables[i].types, n_copied != NULL ? &n_copied[i] : NULL, error))
      {
        cd_store_rollback (self);
        return FALSE;
      }
  return cd_store_commit (self, error);
}

/* Demo databases {{{1 */

/* The meta key that marks a database the demo city was written into: only
 * such a database may hold the demo's accounts, whose passwords everyone
 * knows. */
#define DEMO_META_KEY "demo"

/**
 * cd_store_is_demo:
 * @self: a store
 * @is_demo: (out): whether the demo city was written into it
 * @error: return location for an error
 *
 * Returns: whether @is_demo was read
 */
gboolean
cd_store_is_demo (CdStore   *self,
                  gboolean  *is_demo,
                  GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  value = cd_store_get_meta (self, DEMO_META_KEY, &local_error);
  if (value == NULL && !g_error_matches (local_error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *is_demo = g_strcmp0 (value, "1") == 0;
  return TRUE;
}

/* Marks @self as a demo database; cd-store-demo.c does it in the
 * transaction that writes the city. */
gboolean
cd_store_mark_demo (CdStore  *self,
                    GError  **error)
{
  return cd_store_set_meta (self, DEMO_META_KEY, "1", error);
}

/**
 * cd_store_probe_demo:
 * @path: an existing database file
 * @is_demo: (out): whether it is a demo database
 * @error: return location for an error
 *
 * Looks without changing anything: the file is opened read-only and its
 * schema is not migrated, so that a database the demo must not touch
 * stays as it was, byte for byte.
 *
 * Returns: whether @is_demo was read
 */
gboolean
cd_store_probe_demo (const char  *path,
                     gboolean    *is_demo,
                     GError     **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *uri = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  *is_demo = FALSE;
  absolute = g_canonicalize_filename (path, NULL);
  wal = g_strconcat (absolute, "-wal", NULL);
  uri = g_filename_to_uri (absolute, NULL, error);
  if (uri == NULL)
    return FALSE;
  /* Without a write-ahead log the file holds everything: read it as it
   * is, without the -shm and -wal files a WAL reader would leave. */
  if (!g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      char *immutable = g_strconcat (uri, "?immutable=1", NULL);

      g_free (uri);
      uri = immutable;
    }
  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
      rc = sqlite3_prepare_v2 (db, "SELECT value = '1' FROM meta WHERE key = '" DEMO_META_KEY "'",
                               -1, &stmt, NULL);
      /* No meta table: not a Citydesk database, or an empty one; neither
       * is a demo. */
      if (rc != SQLITE_OK && sqlite3_errcode (db) == SQLITE_ERROR &&
          g_str_has_prefix (sqlite3_errmsg (db), "no such table"))
        {
          sqlite3_close (db);
          return TRUE;
        }
    }
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *is_demo = sqlite3_column_int (stmt, 0) != 0;
      if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_OPEN,
                 _("Cannot read the database “%s”: %s"),
                 path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rc == SQLITE_OK;
}
