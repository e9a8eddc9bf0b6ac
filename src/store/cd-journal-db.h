// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-journal-db.h: the journal on a CdDb, SQLite or PostgreSQL
 *
 * The same code reads, appends, verifies and copies the journal on either
 * backend; the PostgreSQL database's schema has its own numbered
 * migrations here (a SQLite file's are cd_store_open()'s).
 */

#pragma once

#include "cd-db.h"
#include "cd-journal.h"

G_BEGIN_DECLS

/* The channel a commit that appended events notifies on PostgreSQL, with
 * the journal's new head as payload (cd_journal_db_notify()). */
#define CD_JOURNAL_DB_CHANNEL "citydesk_events"

/* What cd_journal_db_copy() did. */
typedef struct
{
  gint64 copied;
  /* Events the target held already: the same history's beginning. */
  gint64 present;
  gint64 batches;
} CdJournalCopyStats;

/* Called in a migration's transaction after step @version's SQL, for
 * what the step writes that SQL alone cannot (the store's seeded rows). */
typedef gboolean (*CdJournalDbStepFunc) (CdDb     *db,
                                         int       version,
                                         gpointer  user_data,
                                         GError  **error);

int        cd_journal_db_latest_version (void);
gboolean   cd_journal_db_migration_creates (int         version,
                                            const char *table);
gboolean   cd_journal_db_migrate     (CdDb                *db,
                                      int                 *version,
                                      GError             **error);
gboolean   cd_journal_db_migrate_full (CdDb               *db,
                                       CdJournalDbStepFunc after_step,
                                       gpointer            user_data,
                                       int                *version,
                                       GError            **error);
gboolean   cd_journal_db_check_version (CdDb              *db,
                                        int               *version,
                                        GError           **error);
gboolean   cd_journal_db_grant       (CdDb                *db,
                                      const char          *role,
                                      GError             **error);
gboolean   cd_journal_db_read_head   (CdDb                *db,
                                      CdJournalHead       *head,
                                      GError             **error);
gboolean   cd_journal_db_notify      (CdDb                *db,
                                      gint64               seq,
                                      GError             **error);
gboolean   cd_journal_db_append      (CdDb                *db,
                                      CdEvent * const     *events,
                                      guint                n_events,
                                      GError             **error);
CdEvent   *cd_journal_db_event_from_row (CdDbStmt        *stmt);
GPtrArray *cd_journal_db_list        (CdDb                *db,
                                      gint64               after,
                                      guint                limit,
                                      GError             **error);
gboolean   cd_journal_db_verify      (CdDb                *db,
                                      gint64              *n_checked,
                                      gint64              *bad_seq,
                                      GError             **error);
gboolean   cd_journal_db_copy        (CdDb                *from,
                                      CdDb                *to,
                                      guint                batch,
                                      CdJournalCopyStats  *stats,
                                      GError             **error);

G_END_DECLS
