// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "cd-event.h"
#include "cd-journal.h"
#include "cd-routing.h"
#include "cd-sla-library.h"
#include "cd-ticket.h"

G_BEGIN_DECLS

#define CD_STORE_ERROR (cd_store_error_quark ())

typedef enum
{
  CD_STORE_ERROR_OPEN,
  CD_STORE_ERROR_NOT_A_DATABASE,
  CD_STORE_ERROR_TOO_NEW,
  CD_STORE_ERROR_SQL,
  CD_STORE_ERROR_NOT_FOUND,
  CD_STORE_ERROR_APPEND_ONLY,
  CD_STORE_ERROR_TRANSACTION,
  CD_STORE_ERROR_CONFLICT,
  CD_STORE_ERROR_BUSY,
  /* The demo's accounts and keys go only into a demo database. */
  CD_STORE_ERROR_NOT_DEMO,
  /* What the store does not do on PostgreSQL yet (docs/deploy.md). */
  CD_STORE_ERROR_NOT_AVAILABLE,
  /* The database could not be reached (a restart, a failover, a host
   * gone): nothing was written, and the next statement connects again. */
  CD_STORE_ERROR_UNREACHABLE,
} CdStoreError;

/* Mass incidents: N tickets of one category within an hour, in one street
 * or in one district (defaults; the meta keys mass-incident-street and
 * mass-incident-district override them). */
#define CD_STORE_MASS_INCIDENT_WINDOW 3600
#define CD_STORE_MASS_INCIDENT_STREET 5
#define CD_STORE_MASS_INCIDENT_DISTRICT 12

#define CD_TYPE_STORE (cd_store_get_type ())
G_DECLARE_FINAL_TYPE (CdStore, cd_store, CD, STORE, GObject)

GQuark      cd_store_error_quark          (void);
CdStore    *cd_store_open                 (const char  *path,
                                           GError     **error);
CdStore    *cd_store_open_reader          (const char  *path,
                                           GError     **error);
CdStore    *cd_store_open_replica         (const char  *uri,
                                           GError     **error);
const char *cd_store_get_path             (CdStore     *self);
void        cd_store_set_busy_timeout     (CdStore     *self,
                                           int          milliseconds);
int         cd_store_get_schema_version   (CdStore     *self);
int         cd_store_get_latest_version   (void);
char       *cd_store_get_meta             (CdStore     *self,
                                           const char  *key,
                                           GError     **error);
gboolean    cd_store_set_meta             (CdStore     *self,
                                           const char  *key,
                                           const char  *value,
                                           GError     **error);
gboolean    cd_store_is_demo              (CdStore     *self,
                                           gboolean    *is_demo,
                                           GError     **error);
gboolean    cd_store_probe_demo           (const char  *path,
                                           gboolean    *is_demo,
                                           GError     **error);


/* The journal writer (cd-store-journal.c). */
gboolean    cd_store_begin                (CdStore     *self,
                                           GError     **error);
gboolean    cd_store_begin_for            (CdStore     *self,
                                           const char  *id_or_number,
                                           GError     **error);
gboolean    cd_store_commit               (CdStore     *self,
                                           GError     **error);
void        cd_store_rollback             (CdStore     *self);
gboolean    cd_store_flush                (CdStore     *self,
                                           GError     **error);
gboolean    cd_store_in_transaction       (CdStore     *self);
gboolean    cd_store_set_bulk             (CdStore     *self,
                                           gboolean     bulk,
                                           GError     **error);
void        cd_store_seed_salts           (CdStore     *self,
                                           gboolean     seeded,
                                           guint64      seed);
gboolean    cd_store_append               (CdStore     *self,
                                           CdTicket    *ticket,
                                           CdEvent     *event,
                                           GError     **error);
gboolean    cd_store_import               (CdStore     *self,
                                           CdEvent     *event,
                                           GError     **error);
char       *cd_store_next_number          (CdStore     *self,
                                           int          year,
                                           GError     **error);
CdTicket   *cd_store_peek_ticket          (CdStore     *self,
                                           const char  *id_or_number,
                                           GError     **error);
CdTicket   *cd_store_load_ticket          (CdStore     *self,
                                           const char  *id_or_number,
                                           GError     **error);
gint64      cd_store_get_last_seq         (CdStore     *self,
                                           GError     **error);
GPtrArray  *cd_store_list_events          (CdStore     *self,
                                           const char  *entity,
                                           gint64       after,
                                           guint        limit,
                                           GError     **error);
GPtrArray  *cd_store_list_appended_events (CdStore     *self,
                                           const char  *entity);
/* How much of the journal one page of an organization's events walks. */
#define CD_STORE_ORG_SCAN_WINDOW 20000

GPtrArray  *cd_store_list_org_events      (CdStore     *self,
                                           const char  *org,
                                           gint64       after,
                                           gint64       upto,
                                           guint        limit,
                                           GPtrArray  **prev_hashes,
                                           GError     **error);
CdSlaLibrary *cd_store_get_sla_library   (CdStore     *self,
                                           GError     **error);
void        cd_store_set_sla_library      (CdStore     *self,
                                           CdSlaLibrary *library);
gboolean    cd_store_load_history         (CdStore     *self,
                                           CdTicket    *ticket,
                                           GError     **error);
GPtrArray  *cd_store_list_incident        (CdStore     *self,
                                           const char  *incident,
                                           GError     **error);
GPtrArray  *cd_store_list_repeats         (CdStore     *self,
                                           const CdTicket *ticket,
                                           GError     **error);
gboolean    cd_store_project_journal      (CdStore     *self,
                                           guint        batch,
                                           gint64      *n_events,
                                           GError     **error);
gboolean    cd_store_verify_projection    (CdStore     *self,
                                           gint64      *n_checked,
                                           char       **bad_number,
                                           GError     **error);
gboolean    cd_store_verify               (CdStore     *self,
                                           gint64      *n_checked,
                                           gint64      *bad_seq,
                                           GError     **error);

/* Tickets, reference data and the desktop's sync state
 * (cd-store-tickets.c). */
CdTicket   *cd_store_register             (CdStore     *self,
                                           JsonObject  *fields,
                                           const char  *actor,
                                           const char  *role,
                                           gint64       time,
                                           GError     **error);
CdTicket   *cd_store_act                  (CdStore     *self,
                                           const char  *number,
                                           const char  *action,
                                           const char  *actor,
                                           const char  *role,
                                           JsonObject  *payload,
                                           gint64       time,
                                           GError     **error);
GPtrArray  *cd_store_find_same_place      (CdStore     *self,
                                           const CdTicket *ticket,
                                           GError     **error);
JsonObject *cd_store_count_by_executor    (CdStore     *self,
                                           gint64       now,
                                           GError     **error);
JsonObject *cd_store_get_stats            (CdStore     *self,
                                           gint64       now,
                                           GError     **error);
CdRouting  *cd_store_load_routing         (CdStore     *self,
                                           GError     **error);
gboolean    cd_store_has_executor         (CdStore     *self,
                                           const char  *executor,
                                           gboolean    *exists,
                                           GError     **error);
gboolean    cd_store_save_routing         (CdStore     *self,
                                           CdRouting   *routing,
                                           GError     **error);
gboolean    cd_store_copy_routing         (CdStore     *self,
                                           CdStore     *from,
                                           gint64      *n_rules,
                                           gint64      *n_settings,
                                           GError     **error);
gboolean    cd_store_copy_numbers         (CdStore     *self,
                                           CdStore     *from,
                                           GError     **error);
gboolean    cd_store_get_sync_cursor      (CdStore     *self,
                                           const char  *server,
                                           CdJournalHead *head,
                                           GError     **error);
gboolean    cd_store_set_sync_cursor      (CdStore     *self,
                                           const char  *server,
                                           const CdJournalHead *head,
                                           gint64       now,
                                           GError     **error);

G_END_DECLS
