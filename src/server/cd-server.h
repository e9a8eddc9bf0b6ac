// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "cd-server-config.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_SERVER (cd_server_get_type ())
G_DECLARE_FINAL_TYPE (CdServer, cd_server, CD, SERVER, GObject)

CdServer   *cd_server_new              (CdStore               *store,
                                        const CdServerConfig  *config);
gboolean    cd_server_listen           (CdServer              *self,
                                        const char            *address,
                                        GError               **error);
GSList     *cd_server_get_uris         (CdServer              *self);
CdStore    *cd_server_get_store        (CdServer              *self);
SoupServer *cd_server_get_soup_server  (CdServer              *self);
void        cd_server_set_clock        (CdServer              *self,
                                        gint64                 start,
                                        double                 speed);
gint64      cd_server_get_time         (CdServer              *self);
void        cd_server_notify_committed (CdServer              *self);
gboolean    cd_server_set_read_db      (CdServer              *self,
                                        const char            *uri,
                                        GError               **error);

/* The recordings folder's scan (cd-server-recordings.c). */
typedef struct _CdServerRecordingsScan CdServerRecordingsScan;

CdServerRecordingsScan *cd_server_recordings_scan_start (CdServer               *self);
void                    cd_server_recordings_scan_stop  (CdServerRecordingsScan *scan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdServerRecordingsScan, cd_server_recordings_scan_stop)

G_END_DECLS
