// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-journal-db.c: the journal on a CdDb, SQLite or PostgreSQL
 *
 * One code for both backends: the head read in a transaction that holds
 * the database's write lock (cd_db_begin_write()), events sealed by the
 * core's cd_journal_seal() and checked by cd_journal_check_original(), the
 * journal walked a page at a time by its key. On PostgreSQL the database
 * itself keeps the journal's rules, whoever connects: triggers refuse
 * UPDATE, DELETE and TRUNCATE of events and an insert that is not the
 * head's next sequence number (so no gap, even from a writer that skips
 * the lock), and the server's role may only INSERT and SELECT
 * (cd_journal_db_grant()).
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "cd-journal-db.h"

#define EVENT_COLUMNS \
  "seq, entity, type, actor, role, time, payload, hash, personal, personal_hash"

/* A page of the journal walked by verify and copy: bounded memory on
 * PostgreSQL, whose results are read whole. */
#define PAGE 5000

/* Migration N turns a PostgreSQL database of schema N-1 into one of N, in
 * one transaction. Append new steps; never edit a step that has shipped.
 * The events table has the columns of SQLite's (docs/journal.md). */
static const char * const pg_migrations[] = {
  /* 1: the journal, append-only and gap-free by the database's own rules. */
  "CREATE TABLE events ("
  "  seq           BIGINT PRIMARY KEY CHECK (seq > 0),"
  "  entity        TEXT NOT NULL,"
  "  type          TEXT NOT NULL,"
  "  actor         TEXT NOT NULL,"
  "  role          TEXT NOT NULL,"
  "  time          BIGINT NOT NULL,"
  "  payload       TEXT NOT NULL,"
  "  hash          TEXT NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),"
  "  personal      TEXT,"
  "  personal_hash TEXT"
  ");"
  "CREATE INDEX events_entity ON events (entity, seq);"
  "CREATE FUNCTION citydesk_events_refuse () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  "  RAISE EXCEPTION 'the journal is append-only: events cannot be %',"
  "    CASE TG_OP WHEN 'UPDATE' THEN 'changed' WHEN 'DELETE' THEN 'deleted'"
  "    ELSE 'truncated' END"
  "    USING ERRCODE = 'integrity_constraint_violation';"
  " END $$;"
  "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_events_refuse ();"
  "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_events_refuse ();"
  "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events"
  "  FOR EACH STATEMENT EXECUTE FUNCTION citydesk_events_refuse ();"
  /* A concurrent insert of the same number waits on the primary key and
   * then fails; one past the head fails here: no gap can be committed. */
  "CREATE FUNCTION citydesk_events_next () RETURNS trigger LANGUAGE plpgsql AS $$"
  " DECLARE head BIGINT;"
  " BEGIN"
  "  SELECT COALESCE (max (seq), 0) INTO head FROM events;"
  "  IF NEW.seq <> head + 1 THEN"
  "    RAISE EXCEPTION 'event % does not follow the journal''s head %', NEW.seq, head"
  "      USING ERRCODE = 'integrity_constraint_violation';"
  "  END IF;"
  "  RETURN NEW;"
  " END $$;"
  "CREATE TRIGGER events_in_order BEFORE INSERT ON events"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_events_next ();"
  "REVOKE ALL ON events FROM PUBLIC;",

  /* 2: the store's settings (cd_store_get_meta()), as SQLite's. */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT NOT NULL"
  ");",

  /* 3: the tickets' projection, its numbers and the routing rules, with
   * the columns of SQLite's schema at its version 13 (cd-store.c). Not
   * yet: the counts by executor its triggers keep, and SQLite's NOCASE on
   * the address (repeats match an address's exact case here). */
  "CREATE TABLE tickets ("
  "  id             TEXT PRIMARY KEY NOT NULL,"
  "  number         TEXT NOT NULL UNIQUE,"
  "  year           INTEGER NOT NULL,"
  "  kind           TEXT NOT NULL,"
  "  category       TEXT NOT NULL,"
  "  category_group TEXT NOT NULL,"
  "  channel        TEXT,"
  "  district       TEXT NOT NULL,"
  "  street         TEXT NOT NULL,"
  "  building       TEXT NOT NULL,"
  "  flat           TEXT,"
  "  lat            DOUBLE PRECISION,"
  "  lon            DOUBLE PRECISION,"
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
  "  created_at     BIGINT NOT NULL,"
  "  updated_at     BIGINT NOT NULL,"
  "  assigned_at    BIGINT,"
  "  accepted_at    BIGINT,"
  "  resolved_at    BIGINT,"
  "  closed_at      BIGINT,"
  "  due_at         BIGINT,"
  "  reopen_count   INTEGER NOT NULL DEFAULT 0,"
  "  escalations    INTEGER NOT NULL DEFAULT 0,"
  "  extensions     INTEGER NOT NULL DEFAULT 0,"
  "  last_seq       BIGINT NOT NULL,"
  "  resume_state   TEXT,"
  "  incident       TEXT,"
  "  at_risk_at     BIGINT,"
  "  breached       INTEGER NOT NULL DEFAULT 0,"
  "  clocks         TEXT,"
  "  sla_history    TEXT,"
  "  executor_at    BIGINT,"
  "  reminders      INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX tickets_open_due ON tickets (due_at, number) WHERE open = 1;"
  "CREATE INDEX tickets_open_executor ON tickets (executor, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_executor_state ON tickets (executor, state, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_district ON tickets (district, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_category ON tickets (category, due_at) WHERE open = 1;"
  "CREATE INDEX tickets_open_executor_at ON tickets (executor_at) WHERE open = 1;"
  "CREATE INDEX tickets_state ON tickets (state);"
  "CREATE INDEX tickets_created ON tickets (created_at, number, state, category);"
  "CREATE INDEX tickets_place ON tickets (building, street, district, category);"
  "CREATE INDEX tickets_incident ON tickets (incident) WHERE incident IS NOT NULL;"
  "CREATE INDEX tickets_repeat_of ON tickets (repeat_of) WHERE repeat_of IS NOT NULL;"
  "CREATE INDEX tickets_arrivals ON tickets (category, district, created_at);"
  "CREATE TABLE number_sequences ("
  "  year INTEGER PRIMARY KEY,"
  "  last BIGINT NOT NULL"
  ");"
  "CREATE TABLE routing_rules ("
  "  position INTEGER PRIMARY KEY,"
  "  category TEXT,"
  "  district TEXT,"
  "  executor TEXT NOT NULL"
  ");",

  /* 4: the accounts, their sessions, the Open311 api keys and the
   * idempotent answers (cd-store-users.c), as SQLite's are by its latest
   * migration. An answer's primary key is what lets two processes given
   * the same key at once act once: the second's insert fails, and its
   * whole transaction with it. */
  "CREATE TABLE users ("
  "  name          TEXT PRIMARY KEY NOT NULL,"
  "  role          TEXT NOT NULL,"
  "  org           TEXT,"
  "  password_hash TEXT,"
  "  created_at    BIGINT NOT NULL,"
  "  disabled_at   BIGINT,"
  "  agent         TEXT"
  ");"
  "CREATE UNIQUE INDEX users_agent ON users (agent) WHERE agent IS NOT NULL;"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY NOT NULL,"
  "  \"user\"     TEXT NOT NULL REFERENCES users (name),"
  "  created_at BIGINT NOT NULL,"
  "  expires_at BIGINT NOT NULL,"
  "  revoked_at BIGINT"
  ");"
  "CREATE INDEX sessions_user ON sessions (\"user\") WHERE revoked_at IS NULL;"
  "CREATE TABLE api_keys ("
  "  key_hash   TEXT PRIMARY KEY NOT NULL,"
  "  name       TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  revoked_at BIGINT"
  ");"
  "CREATE TABLE idempotency_keys ("
  "  scope        TEXT NOT NULL,"
  "  key          TEXT NOT NULL,"
  "  request_hash TEXT NOT NULL,"
  "  status       INTEGER NOT NULL,"
  "  response     TEXT NOT NULL,"
  "  first_seq    BIGINT,"
  "  last_seq     BIGINT,"
  "  created_at   BIGINT NOT NULL,"
  "  PRIMARY KEY (scope, key)"
  ");",
  /* 5: the counts by executor, kept as SQLite's triggers keep them
   * (cd-store.c, its step 5), by one trigger in PL/pgSQL: the same
   * figures on both backends, with no scan of the year. And the address
   * compared without regard to case, as SQLite's NOCASE does, by citext
   * (a trusted extension of PostgreSQL's own: the database's owner, who
   * runs the migrations, may create it), so that a repeat at "lenin st"
   * finds the ticket at "Lenin St" on both. */
  "CREATE EXTENSION IF NOT EXISTS citext;"
  "ALTER TABLE tickets ALTER COLUMN district TYPE citext,"
  "  ALTER COLUMN street TYPE citext, ALTER COLUMN building TYPE citext;"
  "CREATE TABLE executor_counts ("
  "  executor TEXT PRIMARY KEY NOT NULL,"
  "  total    BIGINT NOT NULL,"
  "  reopens  BIGINT NOT NULL,"
  "  reopened BIGINT NOT NULL,"
  "  resolved BIGINT NOT NULL"
  ");"
  "INSERT INTO executor_counts SELECT executor, count(*), sum(reopen_count),"
  "  sum(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END),"
  "  sum(CASE WHEN resolved_at IS NOT NULL OR reopen_count > 0 THEN 1 ELSE 0 END)"
  "  FROM tickets WHERE executor IS NOT NULL GROUP BY executor;"
  "CREATE FUNCTION citydesk_executor_count () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  "  IF TG_OP = 'UPDATE' AND OLD.executor IS NOT DISTINCT FROM NEW.executor"
  "     AND OLD.reopen_count = NEW.reopen_count"
  "     AND (OLD.resolved_at IS NULL) = (NEW.resolved_at IS NULL) THEN"
  "    RETURN NULL;"
  "  END IF;"
  "  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.executor IS NOT NULL THEN"
  "    UPDATE executor_counts SET total = total - 1, reopens = reopens - OLD.reopen_count,"
  "      reopened = reopened - (CASE WHEN OLD.reopen_count > 0 THEN 1 ELSE 0 END),"
  "      resolved = resolved - (CASE WHEN OLD.resolved_at IS NOT NULL"
  "        OR OLD.reopen_count > 0 THEN 1 ELSE 0 END)"
  "    WHERE executor = OLD.executor;"
  "  END IF;"
  "  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.executor IS NOT NULL THEN"
  "    INSERT INTO executor_counts VALUES (NEW.executor, 1, NEW.reopen_count,"
  "      CASE WHEN NEW.reopen_count > 0 THEN 1 ELSE 0 END,"
  "      CASE WHEN NEW.resolved_at IS NOT NULL OR NEW.reopen_count > 0 THEN 1 ELSE 0 END)"
  "    ON CONFLICT (executor) DO UPDATE SET total = executor_counts.total + 1,"
  "      reopens = executor_counts.reopens + excluded.reopens,"
  "      reopened = executor_counts.reopened + excluded.reopened,"
  "      resolved = executor_counts.resolved + excluded.resolved;"
  "  END IF;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE TRIGGER tickets_count AFTER INSERT OR UPDATE OR DELETE ON tickets"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_executor_count ();",

  /* 6: the messages to residents (cd-store-notifications.c) and the
   * callback tasks (cd-store-feedback.c), as SQLite's steps 17 and 18:
   * what `resolve`, `close`, `reopen` and `callback` write beside their
   * events. A queued message's id is an identity, whose numbers the
   * server's role takes with its INSERT alone (no grant on a sequence). */
  "CREATE TABLE notifications ("
  "  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  seq          BIGINT NOT NULL,"
  "  ticket       TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  ticket_state TEXT NOT NULL,"
  "  channel      TEXT NOT NULL,"
  "  key          TEXT NOT NULL UNIQUE,"
  "  state        TEXT NOT NULL DEFAULT 'pending',"
  "  attempts     INTEGER NOT NULL DEFAULT 0,"
  "  next_try     BIGINT NOT NULL,"
  "  last_error   TEXT,"
  "  created_at   BIGINT NOT NULL,"
  "  sent_at      BIGINT,"
  "  UNIQUE (seq, channel)"
  ");"
  "CREATE INDEX notifications_due ON notifications (next_try, id) WHERE state = 'pending';"
  "CREATE INDEX notifications_state ON notifications (state, id);"
  "CREATE TABLE feedback_tasks ("
  "  resolve_seq      BIGINT PRIMARY KEY NOT NULL,"
  "  ticket           TEXT NOT NULL,"
  "  feedback_policy  TEXT NOT NULL,"
  "  resolver         TEXT NOT NULL,"
  "  resolve_time     BIGINT NOT NULL,"
  "  attempts_allowed INTEGER NOT NULL,"
  "  spacing          BIGINT NOT NULL,"
  "  next_attempt     INTEGER NOT NULL,"
  "  earliest         BIGINT NOT NULL,"
  "  due_time         BIGINT NOT NULL,"
  "  ended_time       BIGINT,"
  "  ending           TEXT"
  ");"
  "CREATE UNIQUE INDEX feedback_tasks_open ON feedback_tasks (ticket) WHERE ended_time IS NULL;"
  "CREATE INDEX feedback_tasks_due ON feedback_tasks (due_time) WHERE ended_time IS NULL;"
  "CREATE INDEX feedback_tasks_ended ON feedback_tasks (ended_time)"
  "  WHERE ended_time IS NOT NULL;"
  "CREATE INDEX feedback_tasks_resolved ON feedback_tasks (resolve_time);"
  "CREATE TABLE feedback_attempts ("
  "  seq     BIGINT PRIMARY KEY NOT NULL,"
  "  task    BIGINT NOT NULL,"
  "  time    BIGINT NOT NULL,"
  "  actor   TEXT NOT NULL,"
  "  outcome TEXT NOT NULL,"
  "  rating  INTEGER,"
  "  note    TEXT"
  ");"
  "CREATE INDEX feedback_attempts_task ON feedback_attempts (task, seq);"
  "CREATE INDEX feedback_attempts_time ON feedback_attempts (time);"
  "CREATE TABLE feedback_counts ("
  "  feedback_policy TEXT NOT NULL,"
  "  resolver        TEXT NOT NULL,"
  "  resolutions     BIGINT NOT NULL,"
  "  PRIMARY KEY (feedback_policy, resolver)"
  ");",

  /* 7: the city's reference data (cd-store-reference.c), as SQLite's step
   * 11: the names behind the codes. The server reads them; an owner's
   * `citydeskctl reference import` writes them. */
  "CREATE TABLE reference_entries ("
  "  kind TEXT NOT NULL,"
  "  code TEXT NOT NULL,"
  "  PRIMARY KEY (kind, code)"
  ");"
  "CREATE TABLE reference_names ("
  "  kind     TEXT NOT NULL,"
  "  code     TEXT NOT NULL,"
  "  language TEXT NOT NULL,"
  "  name     TEXT NOT NULL,"
  "  PRIMARY KEY (kind, code, language)"
  ");",

  /* 8: calls from the PBX and the callbacks to missed ones
   * (cd-store-calls.c), with the columns, view, triggers and indexes of
   * SQLite's steps 14, 15, 16 and 20: a row per `call` and per missed
   * call's `callback` event, and missed_open kept by one trigger on each
   * table, as SQLite's triggers keep it, so that both backends list the
   * same calls as waiting. A masked number (with a `*`) closes nothing. */
  "CREATE TABLE calls ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  seq          BIGINT NOT NULL,"
  "  pbx_id       TEXT NOT NULL,"
  "  queue        TEXT NOT NULL,"
  "  caller       TEXT,"
  "  did          TEXT,"
  "  entered_at   BIGINT NOT NULL,"
  "  answered_at  BIGINT,"
  "  ended_at     BIGINT NOT NULL,"
  "  outcome      TEXT NOT NULL,"
  "  hold_seconds BIGINT NOT NULL,"
  "  talk_seconds BIGINT NOT NULL,"
  "  agent        TEXT,"
  "  ended_by     TEXT,"
  "  transfer_to  TEXT,"
  "  rings        BIGINT NOT NULL,"
  "  recording    TEXT,"
  "  missed_open  INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX calls_caller ON calls (caller, entered_at) WHERE caller IS NOT NULL;"
  "CREATE INDEX calls_missed_open ON calls (ended_at) WHERE missed_open = 1;"
  "CREATE INDEX calls_figures ON calls (entered_at, answered_at, ended_at, outcome,"
  "  hold_seconds, talk_seconds, agent, rings, seq);"
  "CREATE INDEX calls_pbx_id ON calls (pbx_id);"
  "CREATE TABLE callbacks ("
  "  seq     BIGINT PRIMARY KEY NOT NULL,"
  "  call    TEXT NOT NULL,"
  "  time    BIGINT NOT NULL,"
  "  actor   TEXT NOT NULL,"
  "  role    TEXT NOT NULL,"
  "  outcome TEXT NOT NULL"
  ");"
  "CREATE INDEX callbacks_call ON callbacks (call, seq);"
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
  "LEFT JOIN calls AS l ON l.id = (SELECT x.id FROM calls AS x WHERE x.caller = c.caller"
  "  AND strpos (c.caller, '*') = 0"
  "  AND x.entered_at >= c.ended_at AND x.answered_at IS NOT NULL"
  "  ORDER BY x.entered_at, x.seq LIMIT 1) "
  "WHERE c.outcome IN ('abandoned', 'timeout', 'exit_empty', 'exit_key')"
  "  AND c.caller IS NOT NULL AND c.caller <> '';"
  "CREATE FUNCTION citydesk_calls_missed_open () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  "  UPDATE calls SET missed_open = 1 WHERE id = NEW.id"
  "    AND NEW.outcome IN ('abandoned', 'timeout', 'exit_empty', 'exit_key')"
  "    AND NEW.caller IS NOT NULL AND NEW.caller <> ''"
  "    AND NOT EXISTS (SELECT 1 FROM callbacks WHERE callbacks.call = NEW.id"
  "      AND callbacks.outcome IN ('reached', 'wrong_number'))"
  "    AND NOT EXISTS (SELECT 1 FROM calls AS x WHERE x.caller = NEW.caller"
  "      AND strpos (NEW.caller, '*') = 0 AND x.entered_at >= NEW.ended_at"
  "      AND x.answered_at IS NOT NULL);"
  "  UPDATE calls SET missed_open = 0 WHERE NEW.answered_at IS NOT NULL"
  "    AND missed_open = 1 AND caller = NEW.caller AND strpos (caller, '*') = 0"
  "    AND ended_at <= NEW.entered_at;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE TRIGGER calls_missed_open AFTER INSERT ON calls"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_calls_missed_open ();"
  "CREATE FUNCTION citydesk_callbacks_missed_open () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  "  UPDATE calls SET missed_open = 0 WHERE id = NEW.call;"
  "  RETURN NULL;"
  " END $$;"
  "CREATE TRIGGER callbacks_missed_open AFTER INSERT ON callbacks"
  "  FOR EACH ROW WHEN (NEW.outcome IN ('reached', 'wrong_number'))"
  "  EXECUTE FUNCTION citydesk_callbacks_missed_open ();",

  /* 9: the quality-control desk (cd-store-qa.c), as SQLite's step 19:
   * forms by id and version, never edited, deleted only while no
   * evaluation uses them; evaluations, one row per `evaluate` event,
   * append-only as the journal is; the calibration sessions of
   * `calibrate` events. The shipped forms are written by the store in
   * the same transaction (cd_journal_db_migration_creates()). */
  "CREATE TABLE qa_forms ("
  "  id         TEXT NOT NULL,"
  "  version    BIGINT NOT NULL,"
  "  document   TEXT NOT NULL,"
  "  added_at   BIGINT NOT NULL,"
  "  retired_at BIGINT,"
  "  PRIMARY KEY (id, version)"
  ");"
  "CREATE TABLE qa_evaluations ("
  "  id           TEXT PRIMARY KEY NOT NULL,"
  "  seq          BIGINT NOT NULL,"
  "  call         TEXT NOT NULL,"
  "  form         TEXT NOT NULL,"
  "  form_version BIGINT NOT NULL,"
  "  evaluator    TEXT NOT NULL,"
  "  role         TEXT NOT NULL,"
  "  time         BIGINT NOT NULL,"
  "  total        DOUBLE PRECISION,"
  "  band         TEXT,"
  "  critical     DOUBLE PRECISION,"
  "  fatal        INTEGER NOT NULL,"
  "  supersedes   TEXT UNIQUE,"
  "  calibration  TEXT,"
  "  revision     BIGINT NOT NULL"
  ");"
  "CREATE INDEX qa_evaluations_call ON qa_evaluations (call);"
  "CREATE INDEX qa_evaluations_form ON qa_evaluations (form, form_version);"
  "CREATE INDEX qa_evaluations_calibration ON qa_evaluations (calibration)"
  "  WHERE calibration IS NOT NULL;"
  "CREATE TABLE qa_calibrations ("
  "  id        TEXT PRIMARY KEY NOT NULL,"
  "  call      TEXT NOT NULL,"
  "  owner     TEXT NOT NULL,"
  "  reference TEXT,"
  "  opened_at BIGINT NOT NULL,"
  "  closed_at BIGINT"
  ");"
  "CREATE FUNCTION citydesk_qa_evaluations_refuse () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  "  RAISE EXCEPTION '%', CASE TG_OP"
  "    WHEN 'UPDATE' THEN 'evaluations are append-only: a correction is a new version'"
  "    ELSE 'evaluations are append-only' END"
  "    USING ERRCODE = 'integrity_constraint_violation';"
  " END $$;"
  "CREATE TRIGGER qa_evaluations_no_update BEFORE UPDATE ON qa_evaluations"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_qa_evaluations_refuse ();"
  "CREATE TRIGGER qa_evaluations_no_delete BEFORE DELETE ON qa_evaluations"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_qa_evaluations_refuse ();"
  "CREATE TRIGGER qa_evaluations_no_truncate BEFORE TRUNCATE ON qa_evaluations"
  "  FOR EACH STATEMENT EXECUTE FUNCTION citydesk_qa_evaluations_refuse ();"
  /* SQLite's four triggers on forms, as one: an edit, a retired version
   * brought back, the deletion of a version in use. */
  "CREATE FUNCTION citydesk_qa_forms_guard () RETURNS trigger LANGUAGE plpgsql AS $$"
  " BEGIN"
  "  IF TG_OP = 'UPDATE' THEN"
  "    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.version IS DISTINCT FROM OLD.version"
  "       OR NEW.document IS DISTINCT FROM OLD.document"
  "       OR NEW.added_at IS DISTINCT FROM OLD.added_at THEN"
  "      RAISE EXCEPTION 'a form version is never edited: add a new version'"
  "        USING ERRCODE = 'integrity_constraint_violation';"
  "    END IF;"
  "    IF OLD.retired_at IS NOT NULL"
  "       AND NEW.retired_at IS DISTINCT FROM OLD.retired_at THEN"
  "      RAISE EXCEPTION 'a retired form version stays retired'"
  "        USING ERRCODE = 'integrity_constraint_violation';"
  "    END IF;"
  "    RETURN NEW;"
  "  END IF;"
  "  IF EXISTS (SELECT 1 FROM qa_evaluations"
  "             WHERE form = OLD.id AND form_version = OLD.version) THEN"
  "    RAISE EXCEPTION 'a form with evaluations is never deleted: retire it'"
  "      USING ERRCODE = 'integrity_constraint_violation';"
  "  END IF;"
  "  RETURN OLD;"
  " END $$;"
  "CREATE TRIGGER qa_forms_guard BEFORE UPDATE OR DELETE ON qa_forms"
  "  FOR EACH ROW EXECUTE FUNCTION citydesk_qa_forms_guard ();",

  /* 10: the calls' recordings (cd-store-recordings.c), as SQLite's step
   * 20: one row per call, rewritten by each scan that finds the file grown
   * or moved. The recordings folder is its source, not the journal. The
   * index of `calls.pbx_id` is the calls' migration's. */
  "CREATE TABLE recordings ("
  "  call        TEXT PRIMARY KEY NOT NULL,"
  "  path        TEXT NOT NULL,"
  "  size        BIGINT NOT NULL,"
  "  format      TEXT NOT NULL,"
  "  duration_ms BIGINT,"
  "  figures     TEXT,"
  "  note        TEXT,"
  "  scanned_at  BIGINT NOT NULL"
  ");"
  "CREATE INDEX recordings_path ON recordings (path);",

  /* 11: the counts by executor are kept by triggers that fire only when
   * a count changes, as SQLite's: most writes (a comment, a reminder)
   * change none, and entering PL/pgSQL for them cost every write. */
  "DROP TRIGGER tickets_count ON tickets;"
  "CREATE TRIGGER tickets_count_insert AFTER INSERT ON tickets"
  "  FOR EACH ROW WHEN (NEW.executor IS NOT NULL)"
  "  EXECUTE FUNCTION citydesk_executor_count ();"
  "CREATE TRIGGER tickets_count_update AFTER UPDATE ON tickets"
  "  FOR EACH ROW WHEN (OLD.executor IS DISTINCT FROM NEW.executor"
  "    OR OLD.reopen_count <> NEW.reopen_count"
  "    OR (OLD.resolved_at IS NULL) <> (NEW.resolved_at IS NULL))"
  "  EXECUTE FUNCTION citydesk_executor_count ();"
  "CREATE TRIGGER tickets_count_delete AFTER DELETE ON tickets"
  "  FOR EACH ROW WHEN (OLD.executor IS NOT NULL)"
  "  EXECUTE FUNCTION citydesk_executor_count ();",
};

/* The tables the server's role writes beside the journal, as the store
 * does: INSERT and UPDATE, never DELETE (cd_journal_db_grant()). The
 * counts by executor are written by the tickets' trigger, which runs with
 * the writer's rights. Add a migration's new table here. */
static const char * const server_tables[] = {
  "meta", "tickets", "number_sequences", "users", "sessions", "api_keys", "idempotency_keys",
  "executor_counts", "notifications", "feedback_tasks", "feedback_attempts", "feedback_counts",
  "calls", "callbacks",
  "qa_forms", "qa_evaluations", "qa_calibrations",
  "recordings",
  NULL
};

/* The tables the server's role reads only: the schema's version, what an
 * owner's command writes (the routing rules, the reference data), and the
 * views over the tables it writes (the missed calls). */
static const char * const server_read_tables[] = {
  "citydesk_schema", "routing_rules", "reference_entries", "reference_names", "missed_calls",
  NULL
};

int
cd_journal_db_latest_version (void)
{
  return G_N_ELEMENTS (pg_migrations);
}

static gboolean
read_int (CdDb        *db,
          const char  *sql,
          gint64      *value,
          GError     **error)
{
  g_autoptr(CdDbStmt) stmt = cd_db_prepare (db, sql, error);
  CdDbStep step;

  if (stmt == NULL)
    return FALSE;
  *value = 0;
  if ((step = cd_db_step (stmt, error)) == CD_DB_ROW)
    *value = cd_db_column_int64 (stmt, 0);
  return step != CD_DB_FAILED;
}

/**
 * cd_journal_db_migration_creates:
 * @version: a migration's number, from 1
 * @table: a table's name
 *
 * Steps are found by what they create rather than by their number, which
 * changes when branches adding steps are merged.
 *
 * Returns: whether migration @version creates @table
 */
gboolean
cd_journal_db_migration_creates (int         version,
                                 const char *table)
{
  g_autofree char *create = g_strdup_printf ("CREATE TABLE %s (", table);

  if (version < 1 || version > cd_journal_db_latest_version ())
    return FALSE;
  return strstr (pg_migrations[version - 1], create) != NULL;
}

/**
 * cd_journal_db_migrate:
 * @db: a PostgreSQL database
 * @version: (out) (optional): its schema's version after
 * @error: return location for an error
 *
 * cd_journal_db_migrate_full() without a step of the caller's.
 *
 * Returns: whether @db has the latest schema
 */
gboolean
cd_journal_db_migrate (CdDb     *db,
                       int      *version,
                       GError  **error)
{
  return cd_journal_db_migrate_full (db, NULL, NULL, version, error);
}

/**
 * cd_journal_db_migrate_full:
 * @db: a PostgreSQL database
 * @after_step: (nullable) (scope call): called after each step's SQL, in
 *   its transaction
 * @user_data: for @after_step
 * @version: (out) (optional): its schema's version after
 * @error: return location for an error
 *
 * Applies the migrations @db lacks, each in a transaction holding the
 * write lock, so that two processes starting at once apply each step
 * once. A database of a later schema than this program knows is refused.
 * A SQLite file is left alone: cd_store_open() migrates it.
 *
 * Returns: whether @db has the latest schema
 */
gboolean
cd_journal_db_migrate_full (CdDb                 *db,
                            CdJournalDbStepFunc   after_step,
                            gpointer              user_data,
                            int                  *version,
                            GError              **error)
{
  int latest = cd_journal_db_latest_version ();
  gint64 current = 0;

  if (cd_db_get_backend (db) != CD_DB_BACKEND_POSTGRESQL)
    {
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL,
                   _("“%s” is a SQLite file: the store migrates its schema when it opens it"),
                   cd_db_get_location (db));
      return FALSE;
    }
  /* The server's role may not create tables, even one that exists. */
  if (!read_int (db, "SELECT count(*) FROM pg_tables WHERE tablename = 'citydesk_schema' "
                 "AND schemaname = current_schema ()", &current, error))
    goto failed;
  if (current == 0 &&
      !cd_db_exec (db, "CREATE TABLE IF NOT EXISTS citydesk_schema (version INTEGER NOT NULL)",
                   error))
    goto failed;

  do
    {
      g_autofree char *bump = NULL;

      if (!cd_db_begin_write (db, error))
        goto failed;
      if (!read_int (db, "SELECT COALESCE (max (version), 0) FROM citydesk_schema", &current,
                     error))
        goto rollback;
      if (current > latest)
        {
          g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL,
                       _("The database “%s” has schema version %" PRId64
                          ", newer than this program’s %d: upgrade Citydesk"),
                       cd_db_get_location (db), current, latest);
          cd_db_rollback (db);
          return FALSE;
        }
      if (current == latest)
        {
          cd_db_rollback (db);
          break;
        }
      bump = g_strdup_printf ("DELETE FROM citydesk_schema;"
                              "INSERT INTO citydesk_schema (version) VALUES (%" PRId64 ")",
                              current + 1);
      if (!cd_db_exec (db, pg_migrations[current], error) ||
          (after_step != NULL && !after_step (db, (int) current + 1, user_data, error)) ||
          !cd_db_exec (db, bump, error) || !cd_db_commit (db, error))
        goto rollback;
    }
  while (TRUE);

  if (version != NULL)
    *version = (int) current;
  return TRUE;

rollback:
  cd_db_rollback (db);
failed:
  g_prefix_error (error, _("Upgrading the schema of “%s”: "), cd_db_get_location (db));
  return FALSE;
}

/**
 * cd_journal_db_check_version:
 * @db: a PostgreSQL database this program may not migrate (a replica)
 * @version: (out) (optional): its schema's version
 * @error: return location for an error
 *
 * Reads the schema's version without writing anything. A database of
 * another schema than this program's, older or newer, is refused: a
 * replica is migrated only through its primary.
 *
 * Returns: whether @db has exactly this program's schema
 */
gboolean
cd_journal_db_check_version (CdDb     *db,
                             int      *version,
                             GError  **error)
{
  int latest = cd_journal_db_latest_version ();
  gint64 tables = 0, current = 0;

  g_return_val_if_fail (cd_db_get_backend (db) == CD_DB_BACKEND_POSTGRESQL, FALSE);

  if (!read_int (db, "SELECT count(*) FROM pg_tables WHERE tablename = 'citydesk_schema' "
                 "AND schemaname = current_schema ()", &tables, error) ||
      (tables > 0 &&
       !read_int (db, "SELECT COALESCE (max (version), 0) FROM citydesk_schema", &current,
                  error)))
    {
      g_prefix_error (error, _("Reading the schema of “%s”: "), cd_db_get_location (db));
      return FALSE;
    }
  if (version != NULL)
    *version = (int) current;
  if (current != latest)
    {
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL,
                   _("The database “%s” has schema version %" PRId64 ", not this program’s %d: "
                     "a read replica is never migrated, only its primary"),
                   cd_db_get_location (db), current, latest);
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_journal_db_grant:
 * @db: a PostgreSQL database, connected as the owner of its tables
 * @role: the role the server connects as (it must exist)
 * @error: return location for an error
 *
 * Gives @role what the server needs and nothing more: SELECT and INSERT
 * on events, SELECT on the schema's version, the routing rules and the
 * reference data (server_read_tables), and
 * SELECT, INSERT and UPDATE on the tables the store keeps beside the
 * journal (server_tables: its projection, accounts, queues), never DELETE.
 * With the triggers, history then cannot change through the server's
 * connection even if the triggers were dropped: only the tables' owner
 * could. Run it again after a migration that adds a table.
 *
 * Returns: whether the grants were made
 */
gboolean
cd_journal_db_grant (CdDb        *db,
                     const char  *role,
                     GError     **error)
{
  g_autofree char *sql = NULL;
  g_autofree char *tables = NULL;
  g_autofree char *read_only = NULL;

  if (role == NULL || *role == '\0' || strspn (role, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
                                           strlen (role))
    {
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_SQL,
                   _("“%s” is not a role name: lowercase letters, digits and _ only"),
                   role != NULL ? role : "");
      return FALSE;
    }
  tables = g_strjoinv (", ", (char **) server_tables);
  read_only = g_strjoinv (", ", (char **) server_read_tables);
  sql = g_strdup_printf ("REVOKE ALL ON events, %s, %s FROM %s;"
                         "GRANT SELECT, INSERT ON events TO %s;"
                         "GRANT SELECT ON %s TO %s;"
                         "GRANT SELECT, INSERT, UPDATE ON %s TO %s",
                         read_only, tables, role, role, read_only, role, tables, role);
  if (!cd_db_exec (db, sql, error))
    {
      g_prefix_error (error, _("Granting the journal to the role “%s”: "), role);
      return FALSE;
    }
  return TRUE;
}

/* A row of the columns EVENT_COLUMNS names, in its order. */
CdEvent *
cd_journal_db_event_from_row (CdDbStmt *stmt)
{
  CdEvent *event = cd_event_new_stored (cd_db_column_int64 (stmt, 0),
                                        cd_db_column_text (stmt, 1),
                                        cd_db_column_text (stmt, 2),
                                        cd_db_column_text (stmt, 3),
                                        cd_db_column_text (stmt, 4),
                                        cd_db_column_int64 (stmt, 5),
                                        cd_db_column_text (stmt, 6),
                                        cd_db_column_text (stmt, 7));

  if (!cd_db_column_is_null (stmt, 8))
    cd_event_set_personal (event, cd_db_column_text (stmt, 8), cd_db_column_text (stmt, 9));
  else if (g_strcmp0 (cd_db_column_text (stmt, 9), CD_EVENT_MASKED_PAYLOAD) == 0)
    event->payload_masked = TRUE;
  return event;
}

/**
 * cd_journal_db_read_head:
 * @db: a connection
 * @head: (out): the last event's sequence number and hash, or the
 *   genesis when there is none
 * @error: return location for an error
 *
 * Returns: whether @head was read
 */
gboolean
cd_journal_db_read_head (CdDb           *db,
                         CdJournalHead  *head,
                         GError        **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep step;

  cd_journal_head_init (head);
  if ((stmt = cd_db_prepare (db, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                             error)) == NULL)
    goto failed;
  if ((step = cd_db_step (stmt, error)) == CD_DB_FAILED)
    goto failed;
  if (step == CD_DB_ROW)
    {
      head->seq = cd_db_column_int64 (stmt, 0);
      g_strlcpy (head->hash, cd_db_column_text (stmt, 1), sizeof head->hash);
    }
  return TRUE;

failed:
  g_prefix_error (error, _("Reading the journal of “%s”: "), cd_db_get_location (db));
  return FALSE;
}

static gboolean
insert_event (CdDbStmt  *stmt,
              CdEvent   *event,
              GError   **error)
{
  cd_db_reset (stmt);
  cd_db_bind_int64 (stmt, 1, event->seq);
  cd_db_bind_text (stmt, 2, event->entity);
  cd_db_bind_text (stmt, 3, event->type);
  cd_db_bind_text (stmt, 4, event->actor != NULL ? event->actor : "");
  cd_db_bind_text (stmt, 5, event->role != NULL ? event->role : "");
  cd_db_bind_int64 (stmt, 6, event->time);
  cd_db_bind_text (stmt, 7, event->payload);
  cd_db_bind_text (stmt, 8, event->hash);
  cd_db_bind_text (stmt, 9, event->personal);
  cd_db_bind_text (stmt, 10, event->payload_masked ? CD_EVENT_MASKED_PAYLOAD
                                                   : event->personal_hash);
  return cd_db_step (stmt, error) == CD_DB_DONE;
}

static CdDbStmt *
prepare_insert (CdDb    *db,
                GError **error)
{
  return cd_db_prepare (db,
                        "INSERT INTO events (" EVENT_COLUMNS ") "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                        error);
}

/**
 * cd_journal_db_notify:
 * @db: a connection in the write transaction that appended up to @seq
 * @seq: the journal's head at commit
 * @error: return location for an error
 *
 * Tells every connection that LISTENs on %CD_JOURNAL_DB_CHANNEL that the
 * journal reaches @seq, once the transaction commits: PostgreSQL delivers
 * a notification at commit and drops it at rollback, so a listener never
 * hears of an event it could not read. Does nothing on SQLite.
 *
 * Returns: whether the notification was queued
 */
gboolean
cd_journal_db_notify (CdDb     *db,
                      gint64    seq,
                      GError  **error)
{
  char payload[24];

  g_snprintf (payload, sizeof payload, "%" G_GINT64_FORMAT, seq);
  return cd_db_notify (db, CD_JOURNAL_DB_CHANNEL, payload, error);
}

/**
 * cd_journal_db_append:
 * @db: a connection
 * @events: (array length=n_events): new events; their personal data, if
 *   any, already salted (cd_event_salt_personal())
 * @n_events: how many
 * @error: return location for an error
 *
 * Appends @events in one transaction that holds the write lock: each gets
 * the next sequence number and its hash from the head read under that
 * lock, so that writers on any number of connections or processes make
 * one chain without a gap. On failure nothing is appended and the events'
 * `seq` and `hash` mean nothing.
 *
 * Returns: whether the events were committed
 */
gboolean
cd_journal_db_append (CdDb             *db,
                      CdEvent * const  *events,
                      guint             n_events,
                      GError          **error)
{
  g_autoptr(CdDbStmt) insert = NULL;
  CdJournalHead head;

  if (!cd_db_begin_write (db, error))
    goto failed;
  if (!cd_journal_db_read_head (db, &head, error))
    goto rollback;
  if ((insert = prepare_insert (db, error)) == NULL)
    goto rollback;
  for (guint i = 0; i < n_events; i++)
    if (!cd_journal_seal (&head, events[i], error) || !insert_event (insert, events[i], error))
      goto rollback;
  if ((n_events > 0 && !cd_journal_db_notify (db, head.seq, error)) ||
      !cd_db_commit (db, error))
    goto failed;
  return TRUE;

rollback:
  cd_db_rollback (db);
failed:
  g_prefix_error (error, _("Appending to the journal of “%s”: "), cd_db_get_location (db));
  return FALSE;
}

/**
 * cd_journal_db_list:
 * @db: a connection
 * @after: the events after this sequence number
 * @limit: at most this many
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type CdEvent): the events in
 *   sequence order, or %NULL with @error set
 */
GPtrArray *
cd_journal_db_list (CdDb     *db,
                    gint64    after,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_unref);
  g_autoptr(CdDbStmt) stmt = NULL;
  CdDbStep step;

  if ((stmt = cd_db_prepare (db,
                             "SELECT " EVENT_COLUMNS " FROM events WHERE seq > ?1 "
                             "ORDER BY seq LIMIT ?2",
                             error)) == NULL)
    goto failed;
  cd_db_bind_int64 (stmt, 1, after);
  cd_db_bind_int64 (stmt, 2, limit);
  while ((step = cd_db_step (stmt, error)) == CD_DB_ROW)
    g_ptr_array_add (events, cd_journal_db_event_from_row (stmt));
  if (step == CD_DB_FAILED)
    goto failed;
  return g_steal_pointer (&events);

failed:
  g_prefix_error (error, _("Reading the journal of “%s”: "), cd_db_get_location (db));
  return NULL;
}

/* A desktop's cache (it has a sync cursor) may hold copies masked for its
 * role; a journal of record holds only events as written. */
static gboolean
is_cache (CdDb *db)
{
  g_autoptr(CdDbStmt) stmt = NULL;

  if (cd_db_get_backend (db) != CD_DB_BACKEND_SQLITE)
    return FALSE;
  stmt = cd_db_prepare (db, "SELECT 1 FROM sync_cursors LIMIT 1", NULL);
  return stmt != NULL && cd_db_step (stmt, NULL) == CD_DB_ROW;
}

/**
 * cd_journal_db_verify:
 * @db: a connection
 * @n_checked: (out) (optional): how many events hold
 * @bad_seq: (out) (optional): the first event that does not match, or 0
 * @error: a #CD_JOURNAL_ERROR naming the first event that does not
 *   match, or a #CD_DB_ERROR
 *
 * Walks the whole journal in sequence order and recomputes every hash
 * with the core's code: the checks of cd_store_verify(), on either
 * backend.
 *
 * Returns: whether the chain holds
 */
gboolean
cd_journal_db_verify (CdDb     *db,
                      gint64   *n_checked,
                      gint64   *bad_seq,
                      GError  **error)
{
  gboolean cache = is_cache (db);
  CdJournalHead head;
  gint64 n = 0;
  gboolean ok = TRUE;

  if (bad_seq != NULL)
    *bad_seq = 0;
  cd_journal_head_init (&head);
  while (ok)
    {
      g_autoptr(GPtrArray) page = cd_journal_db_list (db, head.seq, PAGE, error);

      if (page == NULL)
        {
          ok = FALSE;
          break;
        }
      for (guint i = 0; i < page->len && ok; i++)
        {
          CdEvent *event = page->pdata[i];

          if (!(cache ? cd_journal_check (&head, event, error)
                      : cd_journal_check_original (&head, event, error)))
            {
              if (bad_seq != NULL)
                *bad_seq = event->seq;
              ok = FALSE;
            }
          else
            n++;
        }
      if (page->len < PAGE)
        break;
    }
  if (n_checked != NULL)
    *n_checked = n;
  return ok;
}

/* Whether @to's journal, whose head is @head, is the beginning of
 * @from's: the same event at the head's number. */
static gboolean
check_prefix (CdDb                 *from,
              CdDb                 *to,
              const CdJournalHead  *head,
              GError              **error)
{
  g_autoptr(GPtrArray) there = NULL;

  if (head->seq == 0)
    return TRUE;
  if ((there = cd_journal_db_list (from, head->seq - 1, 1, error)) == NULL)
    return FALSE;
  if (there->len == 0 || ((CdEvent *) there->pdata[0])->seq != head->seq)
    {
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT,
                   _("“%s” holds %" PRId64 " events, more than “%s”: it is another history"),
                   cd_db_get_location (to), head->seq, cd_db_get_location (from));
      return FALSE;
    }
  if (!g_str_equal (((CdEvent *) there->pdata[0])->hash, head->hash))
    {
      g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_CONSTRAINT,
                   _("“%s” already holds a journal whose event %" PRId64
                      " differs from that of “%s”: it is another history"),
                   cd_db_get_location (to), head->seq, cd_db_get_location (from));
      return FALSE;
    }
  return TRUE;
}

/**
 * cd_journal_db_copy:
 * @from: the journal to copy (a server's SQLite file)
 * @to: a PostgreSQL database with the latest schema, its journal empty
 *   or the beginning of @from's
 * @batch: events per transaction
 * @stats: (out): what was done, also when it fails part-way
 * @error: return location for an error
 *
 * Copies @from's events as they are (numbers, hashes, personal data),
 * each checked against the chain on the way, @batch at a time, each batch
 * in a transaction holding the write lock. An interrupted copy resumes:
 * the next run finds @to's journal a prefix of @from's and goes on after
 * it. A @to holding another history is refused, and nothing is written.
 *
 * Returns: whether @to's journal is now all of @from's
 */
gboolean
cd_journal_db_copy (CdDb                *from,
                    CdDb                *to,
                    guint                batch,
                    CdJournalCopyStats  *stats,
                    GError             **error)
{
  g_autoptr(CdDbStmt) insert = NULL;
  CdJournalHead head;

  g_return_val_if_fail (batch > 0, FALSE);

  stats->copied = stats->present = stats->batches = 0;
  if (!cd_journal_db_read_head (to, &head, error) || !check_prefix (from, to, &head, error))
    return FALSE;
  stats->present = head.seq;
  if ((insert = prepare_insert (to, error)) == NULL)
    return FALSE;

  while (TRUE)
    {
      g_autoptr(GPtrArray) events = cd_journal_db_list (from, head.seq, batch, error);
      CdJournalHead next = head;
      CdJournalHead there;

      if (events == NULL)
        return FALSE;
      if (events->len == 0)
        break;

      /* The head is read again under the lock: another copy running at the
       * same time must not make this one write a batch twice. */
      if (!cd_db_begin_write (to, error) || !cd_journal_db_read_head (to, &there, error))
        goto rollback;
      if (there.seq != head.seq || !g_str_equal (there.hash, head.hash))
        {
          g_set_error (error, CD_DB_ERROR, CD_DB_ERROR_SERIALIZATION,
                       _("“%s” changed during the copy"), cd_db_get_location (to));
          goto rollback;
        }
      for (guint i = 0; i < events->len; i++)
        {
          CdEvent *event = events->pdata[i];

          if (!cd_journal_check_original (&next, event, error))
            {
              g_prefix_error (error, _("“%s”: "), cd_db_get_location (from));
              goto rollback;
            }
          if (!insert_event (insert, event, error))
            {
              g_prefix_error (error, _("Writing event %" PRId64 " to “%s”: "), event->seq,
                              cd_db_get_location (to));
              goto rollback;
            }
        }
      if (!cd_db_commit (to, error))
        return FALSE;
      head = next;
      stats->copied += events->len;
      stats->batches++;
    }
  return TRUE;

rollback:
  cd_db_rollback (to);
  return FALSE;
}
