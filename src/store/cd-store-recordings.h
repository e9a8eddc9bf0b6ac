// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-recordings.h: call recordings, linked to their calls and analysed
 *
 * A recordings folder holds what the PBX wrote, one file per call named
 * after its uniqueid (`1767225600.42.wav`, maybe in `YYYY/MM/DD/`). A scan
 * links each file to the calls of that `pbx_id`, decodes WAV (16-bit PCM,
 * G.711 µ-law and A-law) straight into the voice-activity detector, and
 * Ogg/Opus through GStreamer when the build has it, and keeps the figures
 * in the `recordings` table, once. Every name is
 * checked and every path resolved under the folder, so that nothing
 * outside it is ever read (docs/recordings.md).
 */

#pragma once

#include "cd-store.h"

G_BEGIN_DECLS

#define CD_RECORDING_ERROR (cd_recording_error_quark ())

/**
 * CdRecordingError:
 * @CD_RECORDING_ERROR_NAME: a name or path that is not a recording's, or
 *   leads out of the recordings folder
 * @CD_RECORDING_ERROR_FORMAT: a file that is not a WAV file this reader
 *   knows, or is damaged
 * @CD_RECORDING_ERROR_NO_FOLDER: no recordings folder is configured
 */
typedef enum
{
  CD_RECORDING_ERROR_NAME,
  CD_RECORDING_ERROR_FORMAT,
  CD_RECORDING_ERROR_NO_FOLDER,
} CdRecordingError;

/* The journal's event for one listen: on the call's entity, payload {}. */
#define CD_LISTEN_EVENT_TYPE "listen"

/**
 * CdRecording:
 * @call: the call's journal id
 * @path: the file, relative to the recordings folder
 * @size: its size in bytes when scanned
 * @format: `wav`, `ogg` or `opus`
 * @duration_ms: its length, or -1 when not known (not decoded)
 * @figures: (nullable): cd_voice_activity_result_to_json()'s text, or
 *   %NULL when not analysed
 * @note: (nullable): why there are no figures
 * @scanned_at: when the scan linked it (Unix seconds)
 * @agent: (nullable): the call's operator (calls.agent), whose own
 *   recording it is
 */
typedef struct
{
  char   *call;
  char   *path;
  gint64  size;
  char   *format;
  gint64  duration_ms;
  char   *figures;
  char   *note;
  gint64  scanned_at;
  char   *agent;
} CdRecording;

/**
 * CdRecordingScan:
 * @n_files: recording files found
 * @n_linked: calls newly linked (a file may serve several calls of one
 *   uniqueid, one per queue)
 * @n_known: calls whose link was already there, unchanged
 * @n_unmatched: files of no known call (yet)
 * @n_unsettled: new files left for a later look because their size was
 *   not the same at the look before (cd_store_scan_recordings_settled())
 * @problems: (element-type utf8): one line per file refused or that
 *   could not be analysed: its path and the reason
 */
typedef struct
{
  guint      n_files;
  guint      n_linked;
  guint      n_known;
  guint      n_unmatched;
  guint      n_unsettled;
  GPtrArray *problems;
} CdRecordingScan;

GQuark       cd_recording_error_quark      (void);

void         cd_recording_free             (CdRecording      *recording);
void         cd_recording_scan_free        (CdRecordingScan  *scan);
JsonObject  *cd_recording_to_json          (const CdRecording *recording,
                                            GError          **error);
char        *cd_recording_to_json_text     (const CdRecording *recording,
                                            GError          **error);

gboolean     cd_recording_check_name       (const char       *name,
                                            char            **uniqueid,
                                            const char      **format,
                                            GError          **error);
char        *cd_recording_resolve          (const char       *folder,
                                            const char       *relative,
                                            GError          **error);
gboolean     cd_recording_analyze_file     (const char       *path,
                                            gint64           *duration_ms,
                                            char            **figures,
                                            char            **note,
                                            GError          **error);

gboolean     cd_store_scan_recordings      (CdStore          *self,
                                            const char       *folder,
                                            gint64            now,
                                            GCancellable     *cancellable,
                                            CdRecordingScan **scan,
                                            GError          **error);
gboolean     cd_store_scan_recordings_settled (CdStore       *self,
                                               const char    *folder,
                                               const char    *under,
                                               gboolean       recursive,
                                               gint64         now,
                                               GHashTable    *sizes,
                                               GCancellable  *cancellable,
                                               CdRecordingScan **scan,
                                               GError       **error);
gboolean     cd_store_get_recording        (CdStore          *self,
                                            const char       *call,
                                            CdRecording     **recording,
                                            GError          **error);
gboolean     cd_store_list_recordings      (CdStore          *self,
                                            GPtrArray       **recordings,
                                            GError          **error);
gboolean     cd_store_list_recordings_between (CdStore       *self,
                                               gint64         from,
                                               gint64         to,
                                               GPtrArray    **recordings,
                                               GError       **error);
gboolean     cd_store_record_listen        (CdStore          *self,
                                            const char       *call,
                                            const char       *actor,
                                            const char       *role,
                                            gint64            time,
                                            GError          **error);

/* The demo's sample: at most this many recordings of this many seconds. */
#define CD_DEMO_RECORDINGS_MAX 60
#define CD_DEMO_RECORDING_MAX_SECONDS 40

gboolean     cd_store_write_demo_recordings (CdStore         *self,
                                             const char      *folder,
                                             gint64           until,
                                             guint            max_files,
                                             guint           *n_written,
                                             GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdRecording, cd_recording_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdRecordingScan, cd_recording_scan_free)

gboolean     cd_store_copy_recordings      (CdStore          *self,
                                            CdStore          *from,
                                            gint64           *n_copied,
                                            GError          **error);

G_END_DECLS
