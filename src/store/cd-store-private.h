// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-private.h: what the store's source files share */

#pragma once

#include <sqlite3.h>

#include "cd-call.h"
#include "cd-db.h"
#include "cd-dispatch.h"
#include "cd-journal.h"
#include "cd-sla-library.h"
#include "cd-store.h"

G_BEGIN_DECLS

/* Statements prepared once per store and reused (cd_store_db_stmt()). */
typedef enum
{
  STMT_HEAD,
  STMT_INSERT_EVENT,
  STMT_INSERT_TICKET,
  STMT_UPDATE_TICKET,
  STMT_UPSERT_TICKET,
  STMT_LOAD_TICKET_BY_ID,
  STMT_LOAD_TICKET_BY_NUMBER,
  STMT_NEXT_NUMBER,
  STMT_SAME_PLACE,
  STMT_HAS_CALL,
  STMT_INSERT_CALL,
  N_STMTS
} CdStoreStmt;

typedef struct _CdStoreReferenceMemo CdStoreReferenceMemo;

void          cd_store_reference_memo_free (CdStoreReferenceMemo *memo);

struct _CdStore
{
  GObject        parent_instance;

  char          *path;
  /* The connection: a SQLite file or a PostgreSQL database. The files
   * ported to CdDb use it; the others still speak to `db`, the SQLite
   * connection under it. On PostgreSQL `db` is an empty in-memory
   * database of its own, so that their statements fail (reported by
   * cd_store_set_sql_error() as not available yet) rather than crash. */
  CdDb          *conn;
  sqlite3       *db;
  int            schema_version;

  /* The statements prepared once (cd_store_db_stmt()). */
  CdDbStmt      *db_stmts[N_STMTS];
  /* The ticket whose row cd_store_begin_for() read with the lock, kept in
   * its statement (ahead_stmt) for the load that follows. */
  char          *ahead_ref;
  CdStoreStmt    ahead_stmt;
  gboolean       in_transaction;
  gboolean       bulk;
  CdJournalHead  head;
  /* The head's number when the transaction began. */
  gint64         begin_seq;
  /* Tickets changed in the open transaction, by id; written at commit. */
  GHashTable    *dirty;
  /* The events appended in the open transaction, in order. */
  GPtrArray     *appended;
  /* The SLA policies and calendars, read when first needed. */
  CdSlaLibrary  *sla;
  /* The feedback policies (CdFeedbackPolicy), read when first needed. */
  GPtrArray     *feedback;
  /* The complaint letters (cd-complaint-templates.h), read when first
   * needed, in this language (NULL: the plain files). */
  struct _CdComplaintTemplates *complaint_templates;
  char          *complaint_language;
  /* A generated city's salts come from its seed (cd_store_seed_salts()). */
  gboolean       salt_seeded;
  guint64        salt_seed;
  /* The names cd_store_reference_name() hands out (cd-store-reference.c). */
  CdStoreReferenceMemo *reference;
};

/* The columns cd_journal_db_event_from_row() reads, in its order. */
#define CD_STORE_EVENT_COLUMNS \
  "seq, entity, type, actor, role, time, payload, hash, personal, personal_hash"

gboolean      cd_store_mark_demo     (CdStore     *self,
                                      GError     **error);
gboolean      cd_store_insert_user   (CdStore     *self,
                                      const char  *name,
                                      const char  *role,
                                      const char  *org,
                                      const char  *password,
                                      gboolean     check_policy,
                                      gint64       now,
                                      GError     **error);
gboolean      cd_store_set_sql_error (CdStore     *self,
                                      const char  *what,
                                      GError     **error);
gboolean      cd_store_is_postgresql (CdStore     *self);
gboolean      cd_store_require_sqlite (CdStore    *self,
                                       const char *what,
                                       GError    **error);
gboolean      cd_store_db_error      (CdStore     *self,
                                      const char  *what,
                                      GError      *db_error,
                                      GError     **error);
CdDbStmt     *cd_store_prepare       (CdStore     *self,
                                      const char  *sql,
                                      const char  *what,
                                      GError     **error);
/* A table cd_store_copy_rows() copies: its columns, its key's first;
 * a letter per column, `t` text, `i` integer, `d` float. */
typedef struct
{
  const char *table;
  const char *columns;
  guint       n_keys;
  const char *types;
} CdStoreCopyTable;

gboolean      cd_store_copy_tables   (CdStore                *self,
                                      CdStore                *from,
                                      const CdStoreCopyTable *tables,
                                      guint                   n_tables,
                                      gint64                 *n_copied,
                                      GError                **error);
gboolean      cd_store_copy_rows     (CdStore     *self,
                                      CdStore     *from,
                                      const char  *table,
                                      const char  *columns,
                                      guint        n_keys,
                                      const char  *types,
                                      gint64      *n_copied,
                                      GError     **error);
gboolean      cd_store_exec          (CdStore     *self,
                                      const char  *sql,
                                      const char  *what,
                                      GError     **error);
CdDbStmt     *cd_store_db_stmt       (CdStore     *self,
                                      CdStoreStmt  which,
                                      GError     **error);
void          cd_store_finalize_journal (CdStore  *self);
/* The index of `sla_history` in a row that selects it after
 * cd_store_ticket_columns(). */
#define CD_STORE_TICKET_HISTORY_COLUMN 41

CdTicket     *cd_store_ticket_from_row  (sqlite3_stmt *stmt);
CdTicket     *cd_store_ticket_from_db_row (CdDbStmt *stmt);
CdTicket     *cd_store_ticket_from_db_row_with_history (CdDbStmt *stmt);
const char   *cd_store_ticket_columns   (void);
gboolean      cd_store_read_head        (CdStore        *self,
                                         CdJournalHead  *head,
                                         GError        **error);
gboolean      cd_store_judge_clocks     (CdStore   *self,
                                         CdTicket  *ticket,
                                         GError   **error);
gboolean      cd_store_require_transaction (CdStore  *self,
                                            GError  **error);
CdTicket     *cd_store_load_or_new_ticket  (CdStore     *self,
                                            const char  *id,
                                            GError     **error);
gboolean      cd_store_insert_event     (CdStore  *self,
                                         CdEvent  *event,
                                         GError  **error);
gboolean      cd_store_write_ticket_row (CdStore     *self,
                                         CdTicket    *ticket,
                                         const char  *history,
                                         gboolean     is_new,
                                         GError     **error);
gboolean      cd_store_append_entity_event (CdStore  *self,
                                            CdEvent  *event,
                                            GError  **error);
gboolean      cd_store_is_call_event    (CdEvent    *event);
gboolean      cd_store_write_call_event (CdStore  *self,
                                         CdEvent  *event,
                                         GError  **error);
gboolean      cd_store_enqueue_notifications (CdStore         *self,
                                              const CdTicket  *ticket,
                                              CdTicketState    before,
                                              const CdEvent   *event,
                                              GError         **error);
gboolean      cd_store_project_feedback (CdStore         *self,
                                         const CdTicket  *ticket,
                                         CdEvent         *event,
                                         GError         **error);
JsonObject   *cd_store_fill_callback    (CdStore         *self,
                                         const CdTicket  *ticket,
                                         JsonObject      *payload,
                                         GError         **error);
gboolean      cd_store_is_ticket_callback (CdEvent       *event);
gboolean      cd_store_defer_indexes    (CdStore  *self,
                                         GError  **error);
gboolean      cd_store_restore_indexes  (CdStore  *self,
                                         GError  **error);

G_END_DECLS
