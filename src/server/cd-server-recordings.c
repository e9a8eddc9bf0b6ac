// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-server-recordings.c: call recordings in the API
 *
 * GET /api/v1/recordings/{call} gives a recording's facts and analysis,
 * GET /api/v1/recordings?from=…&to=… which calls of a period have one;
 * GET /api/v1/recordings/{call}/audio serves the file with HTTP Range
 * (RFC 9110, section 14), so that a player seeks without downloading the
 * whole call. The file is streamed in chunks as the connection takes
 * them, never read whole. Who may listen is the role table's
 * `recordings` (an operator's "own": the calls of its PBX agent); every
 * listen is a `listen` event in the journal, one per
 * playback: a request without Range, or whose range starts at the first
 * byte, is a new playback, later ranges of it are not (docs/recordings.md).
 * The folder is scanned at start and then watched, its new files linked
 * and analysed on a thread of their own once they are complete.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cd-db.h"
#include "cd-server-private.h"
#include "cd-store-calls.h"
#include "cd-store-recordings.h"

#define PREFIX "/api/v1/recordings/"
#define LIST_PATH "/api/v1/recordings"
/* A work list spans a week, and the older calls complaints name. */
#define MAX_LISTED_DAYS 92
#define CHUNK_BYTES 65536

/* A call's journal id: a UUID, or at most 64 of its characters. */
static gboolean
is_call_id (const char *text,
            gsize       len)
{
  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (text[i]) && text[i] != '-')
      return FALSE;
  return TRUE;
}

static void
not_found (SoupServerMessage *msg,
           const char        *message)
{
  cd_server_send_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", message, NULL);
}

typedef struct
{
  FILE     *file;
  gint64    left;
  gboolean  complete;
} AudioStream;

static void
audio_stream_free (AudioStream *stream)
{
  if (stream->file != NULL)
    fclose (stream->file);
  g_free (stream);
}

/* Appends the next chunk, or completes the body; FALSE when the file
 * could not be read (the connection is then cut: its length was sent). */
static gboolean
append_chunk (SoupServerMessage *msg,
              AudioStream       *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize want = (gsize) MIN (stream->left, CHUNK_BYTES), got;
  char *chunk;

  if (stream->left == 0)
    {
      if (!stream->complete)
        soup_message_body_complete (body);
      stream->complete = TRUE;
      return TRUE;
    }
  chunk = g_malloc (want);
  got = fread (chunk, 1, want, stream->file);
  if (got != want)
    {
      g_free (chunk);
      return FALSE;
    }
  stream->left -= (gint64) got;
  soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, got);
  return TRUE;
}

static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           user_data)
{
  AudioStream *stream = user_data;

  if (!append_chunk (msg, stream))
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      /* Its length was promised: the client must see it cut short. */
      g_warning ("A recording became unreadable while it was sent");
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
    }
}

typedef enum
{
  RANGE_NONE,
  RANGE_ONE,
  RANGE_UNSATISFIABLE,
} RangeKind;

static gboolean
parse_pos (const char *text,
           gsize       len,
           gint64     *out)
{
  guint64 value = 0;

  if (len == 0 || len > 18)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint64) (text[i] - '0');
    }
  *out = (gint64) value;
  return TRUE;
}

/* RFC 9110, 14.1.2: `bytes=first-last`, `bytes=first-`, `bytes=-suffix`.
 * Another unit is ignored (the whole file), and so are several ranges,
 * which the RFC lets a server answer whole. A bytes range that does not
 * parse or cannot be satisfied is RANGE_UNSATISFIABLE: 416. */
static RangeKind
parse_range (const char *header,
             gint64      size,
             gint64     *first,
             gint64     *last)
{
  const char *spec, *dash;
  gint64 a = 0, b = 0;
  gsize len;

  if (header == NULL)
    return RANGE_NONE;
  while (*header == ' ' || *header == '\t')
    header++;
  if (g_ascii_strncasecmp (header, "bytes=", 6) != 0)
    return RANGE_NONE;
  spec = header + 6;
  if (strchr (spec, ',') != NULL)
    return RANGE_NONE;
  while (*spec == ' ' || *spec == '\t')
    spec++;
  len = strlen (spec);
  while (len > 0 && (spec[len - 1] == ' ' || spec[len - 1] == '\t'))
    len--;
  if ((dash = memchr (spec, '-', len)) == NULL)
    return RANGE_UNSATISFIABLE;
  if (dash == spec)
    {
      /* The last N bytes. */
      if (!parse_pos (dash + 1, len - 1, &b) || b == 0 || size == 0)
        return RANGE_UNSATISFIABLE;
      *first = MAX (size - b, 0);
      *last = size - 1;
      return RANGE_ONE;
    }
  if (!parse_pos (spec, (gsize) (dash - spec), &a))
    return RANGE_UNSATISFIABLE;
  if ((gsize) (dash - spec) + 1 == len)
    b = size - 1;
  else if (!parse_pos (dash + 1, len - (gsize) (dash - spec) - 1, &b) || b < a)
    return RANGE_UNSATISFIABLE;
  if (a >= size)
    return RANGE_UNSATISFIABLE;
  *first = a;
  *last = MIN (b, size - 1);
  return RANGE_ONE;
}

static const char *
content_type (const char *format)
{
  return g_str_equal (format, "wav") ? "audio/wav" : "audio/ogg";
}

static void
serve_audio (CdServer          *self,
             SoupServerMessage *msg,
             CdUser            *user,
             CdRecording       *recording)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *range = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Range");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  AudioStream *stream;
  GStatBuf st;
  gint64 first = 0, last = 0, size;
  RangeKind kind;
  FILE *file;

  if ((path = cd_recording_resolve (self->config->recordings, recording->path, &error)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("The recording of call %s is no longer in the recordings folder."), recording->call);

      g_message ("Recording %s: %s", recording->path, error->message);
      not_found (msg, message);
      return;
    }
  if ((file = fopen (path, "rb")) == NULL || fstat (fileno (file), &st) != 0)
    {
      g_message ("Recording %s: %s", recording->path, g_strerror (errno));
      if (file != NULL)
        fclose (file);
      not_found (msg, _("The recording cannot be read."));
      return;
    }
  size = st.st_size;
  kind = parse_range (range, size, &first, &last);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  if (kind == RANGE_UNSATISFIABLE)
    {
      g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GINT64_FORMAT, size);

      fclose (file);
      soup_message_headers_replace (headers, "Content-Range", content_range);
      cd_server_send_error (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
                            "range_not_satisfiable",
                            _("The range asked for is not within the recording."), "Range");
      return;
    }
  if (kind == RANGE_NONE)
    {
      first = 0;
      last = size - 1;
    }

  /* A playback starts at the first byte; its later ranges are the same
   * listen. The event is written before a byte is sent: a listen that
   * cannot be journaled is not served. */
  if (first == 0 &&
      !cd_store_record_listen (self->store, recording->call, user->name, user->role,
                               cd_server_now (self), &error))
    {
      fclose (file);
      cd_server_send_gerror (msg, error);
      return;
    }
  if (first == 0)
    cd_server_notify_committed (self);
  if (first > 0 && fseeko (file, first, SEEK_SET) != 0)
    {
      fclose (file);
      not_found (msg, _("The recording cannot be read."));
      return;
    }

  soup_message_headers_set_content_type (headers, content_type (recording->format), NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CONTENT_LENGTH);
  soup_message_headers_set_content_length (headers, (goffset) (last - first + 1));
  /* Personal data: no shared cache keeps it. */
  soup_message_headers_replace (headers, "Cache-Control", "private, no-store");
  if (kind == RANGE_ONE)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_message_headers_set_content_range (headers, first, last, size);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);

  stream = g_new0 (AudioStream, 1);
  stream->file = file;
  stream->left = last - first + 1;
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "cd-audio-stream", stream,
                          (GDestroyNotify) audio_stream_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk), stream);
  if (!append_chunk (msg, stream))
    {
      soup_message_headers_set_content_length (headers, 0);
      soup_message_headers_remove (headers, "Content-Range");
      not_found (msg, _("The recording cannot be read."));
    }
}

/* The facts with the tickets registered during the call
 * (cd_store_list_call_tickets()), as a ticket's summary in the tickets'
 * API shows them: the route's role rules already hold, the caller may
 * read this call. */
static void
serve_facts (CdServer          *self,
             SoupServerMessage *msg,
             CdRecording       *recording)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) facts = cd_recording_to_json (recording, &error);
  g_autoptr(GPtrArray) tickets = NULL;
  JsonArray *list;

  if (facts == NULL ||
      !cd_store_list_call_tickets (self->store, recording->call, &tickets, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  list = json_array_new ();
  for (guint i = 0; i < tickets->len; i++)
    {
      const CdTicket *ticket = g_ptr_array_index (tickets, i);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "number", ticket->number);
      json_object_set_string_member (entry, "category", ticket->category);
      json_object_set_int_member (entry, "created_at", ticket->created_at);
      json_object_set_string_member (entry, "status", cd_ticket_state_to_string (ticket->state));
      json_array_add_object_element (list, entry);
    }
  json_object_set_array_member (facts, "tickets", list);
  cd_server_send_object (msg, SOUP_STATUS_OK, facts);
}

/* GET /api/v1/recordings?from=…&to=…: the calls of a period that have a
 * recording, so that a work list marks them without asking for every
 * call's facts; to an operator (@scope own), only their own calls, as
 * the single route answers. */
static void
list_recordings (CdServer          *self,
                 SoupServerMessage *msg,
                 GHashTable        *query,
                 CdUser            *user,
                 CdAccessScope      scope)
{
  static const char * const known[] = { "from", "to", NULL };
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = json_object_new ();
  JsonArray *found;
  gint64 from, to;

  if (!cd_server_only_known_params (msg, query, known) ||
      !cd_server_parse_time (msg, query, "from", TRUE, zone, &from) ||
      !cd_server_parse_time (msg, query, "to", TRUE, zone, &to))
    return;
  if (to <= from || to - from > MAX_LISTED_DAYS * 86400)
    {
      g_autofree char *message = g_strdup_printf (_("“to” must be after “from”, by at most %d "
                                                    "days."),
                                                  MAX_LISTED_DAYS);

      cd_server_send_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message, "to");
      return;
    }
  if (!cd_store_list_recordings_between (self->store, from, to, &recordings, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  found = json_array_new ();
  json_object_set_array_member (root, "recordings", found);
  for (guint i = 0; i < recordings->len; i++)
    {
      const CdRecording *recording = g_ptr_array_index (recordings, i);
      JsonObject *entry;

      if (scope == CD_ACCESS_OWN && !cd_access_agent_owns (user->agent, recording->agent))
        continue;
      entry = json_object_new ();
      json_object_set_string_member (entry, "call", recording->call);
      if (recording->duration_ms >= 0)
        json_object_set_int_member (entry, "duration_ms", recording->duration_ms);
      else
        json_object_set_null_member (entry, "duration_ms");
      json_array_add_object_element (found, entry);
    }
  cd_server_send_object (msg, SOUP_STATUS_OK, root);
}

static void
handle_recordings (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  CdServer *self = user_data;
  g_autoptr(CdUser) user = NULL;
  g_autoptr(CdRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *call = NULL;
  const char *rest, *slash;
  gboolean audio = FALSE;
  CdAccessScope scope;

  if ((user = cd_server_authenticate (self, msg, query)) == NULL ||
      !cd_server_may_read (msg, user, CD_RESOURCE_RECORDINGS, &scope) ||
      !cd_server_check_method (msg, SOUP_METHOD_GET))
    return;

  if (g_str_equal (path, LIST_PATH))
    {
      if (self->config->recordings == NULL)
        not_found (msg, _("This server keeps no recordings (no recordings folder is set)."));
      else
        list_recordings (self, msg, query, user, scope);
      return;
    }
  rest = g_str_has_prefix (path, PREFIX) ? path + strlen (PREFIX) : "";
  slash = strchr (rest, '/');
  if (slash != NULL && g_str_equal (slash, "/audio"))
    audio = TRUE;
  if ((slash != NULL && !audio) || !is_call_id (rest, slash != NULL ? (gsize) (slash - rest)
                                                                     : strlen (rest)))
    {
      g_autofree char *message = g_strdup_printf (_("No such resource: %s"), path);

      not_found (msg, message);
      return;
    }
  call = g_strndup (rest, slash != NULL ? (gsize) (slash - rest) : strlen (rest));
  if (self->config->recordings == NULL)
    {
      not_found (msg, _("This server keeps no recordings (no recordings folder is set)."));
      return;
    }
  if (!cd_store_get_recording (self->store, call, &recording, &error))
    {
      cd_server_send_gerror (msg, error);
      return;
    }
  /* Another operator's call is answered as one without a recording: an
   * operator learns nothing of which of the others' calls were recorded. */
  if (recording == NULL ||
      (scope == CD_ACCESS_OWN && !cd_access_agent_owns (user->agent, recording->agent)))
    {
      g_autofree char *message = g_strdup_printf (_("Call %s has no recording."), call);

      not_found (msg, message);
      return;
    }
  if (audio)
    serve_audio (self, msg, user, recording);
  else
    serve_facts (self, msg, recording);
}

/* The folder is watched (GFileMonitor) and walked whole every few
 * minutes, for the network folders whose changes a monitor never hears.
 * A new file is analysed once its size stayed the same over two looks
 * this far apart: a recording still being written grows. A look is
 * asked at most this often, however many files the PBX closes. */
#define RESCAN_SECONDS (5 * 60)
#define SETTLE_MS 1500
#define LOOK_DELAY_MS 300

/* One place to look: a dated subfolder (relative, "" for the folder
 * itself), alone or with the subfolders under it. */
typedef struct
{
  char     *under;
  gboolean  recursive;
} Look;

static void
look_free (Look *look)
{
  g_free (look->under);
  g_free (look);
}

struct _CdServerRecordingsScan
{
  CdServer     *server;
  GThread      *thread;
  GCancellable *cancellable;
  char         *db;
  char         *folder;
  gint64        now;

  /* Shared with the thread, under lock. */
  GMutex        lock;
  GCond         cond;
  GPtrArray    *looks;
  gint64        looks_now;
  gboolean      quit;

  /* The main loop's: the watched folders (the folder and its latest
   * dated subfolders, where the PBX writes and a new day's folder
   * appears), their monitors, the timers. */
  GHashTable   *monitors;
  GPtrArray    *pending;
  guint         look_id;
  guint         rescan_id;
};

static void
tell_scan (const char      *folder,
           CdRecordingScan *scan,
           GHashTable      *told)
{
  for (guint i = 0; i < scan->problems->len; i++)
    {
      const char *problem = scan->problems->pdata[i];

      /* A damaged file is tried again at each look, and told once. */
      if (told != NULL && !g_hash_table_add (told, g_strdup (problem)))
        continue;
      g_printerr ("citydesk-server: %s\n", problem);
    }
  if (told == NULL || scan->n_linked > 0)
    g_printerr (_("citydesk-server: recordings in %s: %u files, %u calls newly linked, %u files "
                  "of no known call\n"),
                folder, scan->n_files, scan->n_linked, scan->n_unmatched);
}

/* Waits for looks to take, or for the settle time of the files seen
 * growing; FALSE when the server stops. */
static gboolean
wait_for_looks (CdServerRecordingsScan  *self,
                gint64                   settle_until,
                GPtrArray              **looks,
                gint64                  *now)
{
  gboolean go_on;

  g_mutex_lock (&self->lock);
  while (!self->quit && self->looks->len == 0)
    {
      if (settle_until == 0)
        g_cond_wait (&self->cond, &self->lock);
      else if (!g_cond_wait_until (&self->cond, &self->lock, settle_until))
        break;
    }
  go_on = !self->quit;
  *looks = self->looks;
  self->looks = g_ptr_array_new_with_free_func ((GDestroyNotify) look_free);
  *now = self->looks_now;
  g_mutex_unlock (&self->lock);
  return go_on;
}

static void
add_look (GPtrArray  *looks,
          const char *under,
          gboolean    recursive)
{
  Look *look = g_new0 (Look, 1);

  look->under = g_strdup (under);
  look->recursive = recursive;
  g_ptr_array_add (looks, look);
}

/* The folders of the files seen growing (or refused) at the look before,
 * each alone: the second look of a file is not a walk of the folder. */
static void
add_settle_looks (GPtrArray  *looks,
                  GHashTable *sizes)
{
  g_autoptr(GHashTable) dirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, sizes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *slash = strrchr (key, '/');
      char *dir = slash != NULL ? g_strndup (key, (gsize) (slash - (const char *) key))
                                : g_strdup ("");

      if (g_hash_table_add (dirs, dir))
        add_look (looks, dir, FALSE);
    }
}

/* On a connection of its own: the server's stays free for requests, and
 * each file's rows hold the database for a moment only. */
static gpointer
scan_thread (gpointer data)
{
  CdServerRecordingsScan *self = data;
  g_autoptr(CdStore) store = NULL;
  g_autoptr(CdRecordingScan) scan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) told = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 settle_until = 0;

  if ((store = cd_store_open (self->db, &error)) == NULL ||
      !cd_store_scan_recordings (store, self->folder, self->now, self->cancellable, &scan,
                                 &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("citydesk-server: %s\n", error->message);
      if (store == NULL)
        return NULL;
      g_clear_error (&error);
    }
  else
    tell_scan (self->folder, scan, NULL);

  for (;;)
    {
      g_autoptr(GPtrArray) looks = NULL;
      gboolean unsettled = FALSE;
      gint64 now;

      if (!wait_for_looks (self, settle_until, &looks, &now))
        break;
      if (settle_until != 0 && g_get_monotonic_time () >= settle_until)
        {
          add_settle_looks (looks, sizes);
          settle_until = 0;
        }
      for (guint i = 0; i < looks->len; i++)
        {
          const Look *look = looks->pdata[i];

          g_clear_pointer (&scan, cd_recording_scan_free);
          if (!cd_store_scan_recordings_settled (store, self->folder, look->under,
                                                 look->recursive, now, sizes, self->cancellable,
                                                 &scan, &error))
            {
              if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
                return NULL;
              /* A subfolder gone, a folder unmounted: the next look tells. */
              if (!g_hash_table_contains (told, error->message))
                {
                  g_printerr ("citydesk-server: %s\n", error->message);
                  g_hash_table_add (told, g_strdup (error->message));
                }
              g_clear_error (&error);
              continue;
            }
          tell_scan (self->folder, scan, told);
          unsettled |= scan->n_unsettled > 0;
        }
      if (unsettled && settle_until == 0)
        settle_until = g_get_monotonic_time () + SETTLE_MS * G_TIME_SPAN_MILLISECOND;
    }
  return NULL;
}

static gboolean
on_look (gpointer user_data)
{
  CdServerRecordingsScan *self = user_data;

  self->look_id = 0;
  g_mutex_lock (&self->lock);
  g_ptr_array_extend_and_steal (self->looks, g_steal_pointer (&self->pending));
  self->looks_now = cd_server_now (self->server);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) look_free);
  return G_SOURCE_REMOVE;
}

static void
ask_look (CdServerRecordingsScan *self,
          const char             *under,
          gboolean                recursive)
{
  for (guint i = 0; i < self->pending->len; i++)
    {
      Look *look = self->pending->pdata[i];

      if (g_str_equal (look->under, under))
        {
          look->recursive |= recursive;
          return;
        }
    }
  add_look (self->pending, under, recursive);
  if (self->look_id == 0)
    self->look_id = g_timeout_add (LOOK_DELAY_MS, on_look, self);
}

/* The dated subfolder (1 to 4 digits) with the greatest number in @dir,
 * or NULL: where the PBX writes today, or the folder of today's month. */
static char *
latest_dated (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autofree char *best = NULL;
  guint64 best_value = 0;
  const char *name;

  if (handle == NULL)
    return NULL;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *full = NULL;
      guint64 value;
      gsize n = strlen (name);

      if (n == 0 || n > 4 || strspn (name, "0123456789") != n)
        continue;
      value = g_ascii_strtoull (name, NULL, 10);
      if (best != NULL && value <= best_value)
        continue;
      full = g_build_filename (dir, name, NULL);
      if (!g_file_test (full, G_FILE_TEST_IS_DIR))
        continue;
      g_free (best);
      best = g_strdup (name);
      best_value = value;
    }
  return g_steal_pointer (&best);
}

static void on_changed (GFileMonitor           *monitor,
                        GFile                  *file,
                        GFile                  *other,
                        GFileMonitorEvent       event,
                        CdServerRecordingsScan *self);

static void
monitor_free (gpointer data)
{
  GFileMonitor *monitor = data;

  g_signal_handlers_disconnect_matched (monitor, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_changed,
                                        NULL);
  g_file_monitor_cancel (monitor);
  g_object_unref (monitor);
}

static void
watch (CdServerRecordingsScan *self,
       const char             *relative)
{
  g_autofree char *dir = g_build_filename (self->folder, relative, NULL);
  g_autoptr(GFile) file = NULL;
  GFileMonitor *monitor;

  if (g_hash_table_contains (self->monitors, relative))
    return;
  file = g_file_new_for_path (dir);
  /* No monitor (a folder gone, no inotify): the periodic walk finds it. */
  if ((monitor = g_file_monitor_directory (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL)) == NULL)
    return;
  g_object_set_data_full (G_OBJECT (monitor), "cd-relative", g_strdup (relative), g_free);
  g_signal_connect (monitor, "changed", G_CALLBACK (on_changed), self);
  g_hash_table_insert (self->monitors, g_strdup (relative), monitor);
}

/* Watches the folder and its latest dated subfolders, three deep at
 * most: a new day's folder appears in the watched month's, a new month's
 * in the watched year's. Older folders are the periodic walk's. */
static void
watch_latest (CdServerRecordingsScan *self)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *relative = g_strdup ("");
  GHashTableIter iter;
  gpointer key;

  for (guint depth = 0; relative != NULL; depth++)
    {
      g_autofree char *dir = g_build_filename (self->folder, relative, NULL);
      g_autofree char *next = depth < 3 ? latest_dated (dir) : NULL;
      char *child = NULL;

      watch (self, relative);
      g_hash_table_add (wanted, g_strdup (relative));
      if (next != NULL)
        child = relative[0] != '\0' ? g_strconcat (relative, "/", next, NULL) : g_strdup (next);
      g_free (relative);
      relative = child;
    }

  g_hash_table_iter_init (&iter, self->monitors);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (wanted, key))
      g_hash_table_iter_remove (&iter);
}

static void
on_changed (GFileMonitor           *monitor,
            GFile                  *file,
            GFile                  *other,
            GFileMonitorEvent       event,
            CdServerRecordingsScan *self)
{
  const char *relative = g_object_get_data (G_OBJECT (monitor), "cd-relative");
  GFile *target = event == G_FILE_MONITOR_EVENT_RENAMED && other != NULL ? other : file;
  g_autofree char *name = g_file_get_basename (target);
  g_autofree char *under = NULL;

  /* A file closed after writing, one moved in or renamed to its name, a
   * new folder: each write of a growing file is not a reason to look,
   * nor is a file just created, empty. */
  if (event != G_FILE_MONITOR_EVENT_CREATED && event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
      event != G_FILE_MONITOR_EVENT_MOVED_IN && event != G_FILE_MONITOR_EVENT_RENAMED)
    return;
  if (g_file_query_file_type (target, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) ==
      G_FILE_TYPE_DIRECTORY)
    {
      gsize n = strlen (name);

      if (n == 0 || n > 4 || strspn (name, "0123456789") != n)
        return;
      /* A new dated folder: watched if it is the latest, and looked in
       * whole, for files may be in it before its monitor is. */
      under = relative[0] != '\0' ? g_strconcat (relative, "/", name, NULL) : g_strdup (name);
      watch_latest (self);
      ask_look (self, under, TRUE);
      return;
    }
  if (event != G_FILE_MONITOR_EVENT_CREATED)
    ask_look (self, relative, FALSE);
}

static gboolean
on_rescan (gpointer user_data)
{
  CdServerRecordingsScan *self = user_data;

  watch_latest (self);
  ask_look (self, "", TRUE);
  return G_SOURCE_CONTINUE;
}

/**
 * cd_server_recordings_scan_start:
 * @self: a server
 *
 * Starts linking the recordings folder's new files to their calls and
 * analysing them, in a thread with a database connection of its own,
 * while the server answers: a PBX's folder of years holds hours of
 * decoding. What was found and refused is told on standard error. Then
 * watches the folder: a recording the PBX writes while the server runs is
 * linked once it is complete (its size the same over two looks), looked
 * for when the folder's monitor tells of it and in a walk of the whole
 * folder every five minutes (a network folder's monitor hears nothing).
 *
 * Returns: (transfer full) (nullable): the scan, or %NULL without a
 *   recordings folder
 */
CdServerRecordingsScan *
cd_server_recordings_scan_start (CdServer *self)
{
  CdServerRecordingsScan *scan;

  g_return_val_if_fail (CD_IS_SERVER (self), NULL);

  if (self->config->recordings == NULL)
    return NULL;
  scan = g_new0 (CdServerRecordingsScan, 1);
  scan->server = self;
  scan->cancellable = g_cancellable_new ();
  /* The thread opens a connection of its own: on PostgreSQL with the
   * configured URI, whose password the store's path has redacted. */
  scan->db = g_strdup (self->config->db != NULL && cd_db_is_uri (self->config->db)
                         ? self->config->db : cd_store_get_path (self->store));
  scan->folder = g_strdup (self->config->recordings);
  scan->now = cd_server_now (self);
  scan->looks_now = scan->now;
  g_mutex_init (&scan->lock);
  g_cond_init (&scan->cond);
  scan->looks = g_ptr_array_new_with_free_func ((GDestroyNotify) look_free);
  scan->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) look_free);
  scan->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, monitor_free);
  /* Watched before the first walk, so that no file falls between. */
  watch_latest (scan);
  scan->rescan_id = g_timeout_add_seconds (RESCAN_SECONDS, on_rescan, scan);
  scan->thread = g_thread_new ("recordings-scan", scan_thread, scan);
  return scan;
}

/**
 * cd_server_recordings_scan_stop:
 * @scan: (transfer full) (nullable): a scan
 *
 * Stops the scan after the file it is on, waits for it and frees it.
 */
void
cd_server_recordings_scan_stop (CdServerRecordingsScan *scan)
{
  if (scan == NULL)
    return;
  g_cancellable_cancel (scan->cancellable);
  g_mutex_lock (&scan->lock);
  scan->quit = TRUE;
  g_cond_signal (&scan->cond);
  g_mutex_unlock (&scan->lock);
  g_thread_join (scan->thread);
  g_clear_handle_id (&scan->look_id, g_source_remove);
  g_clear_handle_id (&scan->rescan_id, g_source_remove);
  g_hash_table_unref (scan->monitors);
  g_ptr_array_unref (scan->looks);
  g_ptr_array_unref (scan->pending);
  g_mutex_clear (&scan->lock);
  g_cond_clear (&scan->cond);
  g_object_unref (scan->cancellable);
  g_free (scan->db);
  g_free (scan->folder);
  g_free (scan);
}

void
cd_server_recordings_install (CdServer *self)
{
  soup_server_add_handler (self->soup, PREFIX, handle_recordings, self, NULL);
  soup_server_add_handler (self->soup, LIST_PATH, handle_recordings, self, NULL);
}
