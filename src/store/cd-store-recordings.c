// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-store-recordings.c: call recordings, linked to their calls and analysed
 *
 * The WAV reader reads the RIFF chunks itself and decodes in blocks of
 * 32 KiB, so that an hour's recording never sits in memory whole; G.711
 * is expanded with the ITU tables' arithmetic. Other files (Ogg/Opus) go
 * through GStreamer's decodebin when the build has it, into the same
 * detector; without it they are linked but not analysed.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if HAVE_GSTREAMER
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#endif

#include "cd-demo-recording.h"
#include "cd-store-private.h"
#include "cd-store-recordings.h"
#include "cd-voice-activity.h"

G_DEFINE_QUARK (cd-recording-error-quark, cd_recording_error)

/* A folder of the dated layout is at most YYYY/MM/DD deep. */
#define MAX_DEPTH 3
#define MAX_NAME 160
#define BLOCK_BYTES 32768

enum
{
  WAVE_PCM = 1,
  WAVE_ALAW = 6,
  WAVE_MULAW = 7,
  WAVE_EXTENSIBLE = 0xFFFE,
};

void
cd_recording_free (CdRecording *recording)
{
  if (recording == NULL)
    return;
  g_free (recording->call);
  g_free (recording->path);
  g_free (recording->format);
  g_free (recording->figures);
  g_free (recording->note);
  g_free (recording->agent);
  g_free (recording);
}

void
cd_recording_scan_free (CdRecordingScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->problems, g_ptr_array_unref);
  g_free (scan);
}

/**
 * cd_recording_to_json:
 * @recording: a linked recording
 * @error: a %G_IO_ERROR_INVALID_DATA when its stored figures do not read
 *
 * Returns: (transfer full): `{"call", "path", "size", "format",
 *   "duration_ms", "analysis", "note"}`, the analysis being the
 *   detector's figures (docs/qa.md, "Figures in JSON") or null
 */
JsonObject *
cd_recording_to_json (const CdRecording  *recording,
                      GError            **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "call", recording->call);
  json_object_set_string_member (object, "path", recording->path);
  json_object_set_int_member (object, "size", recording->size);
  json_object_set_string_member (object, "format", recording->format);
  if (recording->duration_ms >= 0)
    json_object_set_int_member (object, "duration_ms", recording->duration_ms);
  else
    json_object_set_null_member (object, "duration_ms");
  if (recording->figures != NULL)
    {
      JsonNode *figures = json_from_string (recording->figures, error);

      if (figures == NULL)
        return NULL;
      json_object_set_member (object, "analysis", figures);
    }
  else
    json_object_set_null_member (object, "analysis");
  if (recording->note != NULL)
    json_object_set_string_member (object, "note", recording->note);
  else
    json_object_set_null_member (object, "note");
  return g_steal_pointer (&object);
}

/**
 * cd_recording_to_json_text:
 * @recording: a linked recording
 * @error: a %G_IO_ERROR_INVALID_DATA when its stored figures do not read
 *
 * cd_recording_to_json() as compact text, with the figures exactly as the
 * detector wrote them (0.2900, not 0.28999999999999998).
 *
 * Returns: (transfer full): the JSON text, or %NULL
 */
char *
cd_recording_to_json_text (const CdRecording  *recording,
                           GError            **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) figures = NULL;
  g_autofree char *text = NULL;
  GString *json;

  if (recording->figures != NULL &&
      ((figures = json_from_string (recording->figures, error)) == NULL ||
       !JSON_NODE_HOLDS_OBJECT (figures)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     _("The figures of the recording of call %s are damaged."), recording->call);
      return NULL;
    }
  {
    CdRecording bare = *recording;

    bare.figures = NULL;
    object = cd_recording_to_json (&bare, error);
  }
  json_object_remove_member (object, "analysis");
  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  json = g_string_new_len (text, (gssize) strlen (text) - 1);
  g_string_append (json, ",\"analysis\":");
  g_string_append (json, recording->figures != NULL ? recording->figures : "null");
  g_string_append_c (json, '}');
  return g_string_free (json, FALSE);
}

/* Names and paths {{{1 */

static gboolean
is_digits (const char *text,
           gsize       max)
{
  gsize n = strlen (text);

  if (n == 0 || n > max)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

/**
 * cd_recording_check_name:
 * @name: a file's name, without a folder
 * @uniqueid: (out) (optional) (transfer full): the call's uniqueid it names
 * @format: (out) (optional): `wav`, `ogg` or `opus`
 * @error: a %CD_RECORDING_ERROR_NAME
 *
 * A recording is named after its call's uniqueid and its format: Latin
 * letters, digits, `.`, `-`, `_`, starting with a letter or a digit, at
 * most 160 bytes, never `..`: nothing that could name another folder.
 *
 * Returns: whether @name is a recording's
 */
gboolean
cd_recording_check_name (const char  *name,
                         char       **uniqueid,
                         const char **format,
                         GError     **error)
{
  static const char * const formats[] = { "wav", "ogg", "opus" };
  const char *dot = strrchr (name, '.');
  gsize n = strlen (name);

  if (n == 0 || n > MAX_NAME || !g_ascii_isalnum (name[0]) || strstr (name, "..") != NULL ||
      dot == NULL || dot == name)
    goto refused;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '.' && name[i] != '-' && name[i] != '_')
      goto refused;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strcasecmp (dot + 1, formats[i]) == 0)
      {
        if (uniqueid != NULL)
          *uniqueid = g_strndup (name, dot - name);
        if (format != NULL)
          *format = formats[i];
        return TRUE;
      }

refused:
  g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
               _("“%s” is not a recording’s name (a call’s uniqueid and .wav, .ogg or .opus)."),
               name);
  return FALSE;
}

static gboolean
is_under (const char *real_folder,
          const char *real_path)
{
  gsize n = strlen (real_folder);

  return strncmp (real_path, real_folder, n) == 0 &&
         (real_path[n] == '/' || (n > 0 && real_folder[n - 1] == '/'));
}

static char *
real_path (const char  *path,
           GError     **error)
{
  char *real = realpath (path, NULL);
  char *copy;
  int saved = errno;

  if (real == NULL)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot read “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }
  copy = g_strdup (real);
  free (real);
  return copy;
}

/**
 * cd_recording_resolve:
 * @folder: the recordings folder
 * @relative: a recording's path relative to it, as a scan stored it:
 *   `NAME` or `YYYY/MM/DD/NAME`
 * @error: a %CD_RECORDING_ERROR_NAME for a path that is not a
 *   recording's or leads out of @folder (a link), a #GFileError
 *
 * Returns: (transfer full): the file's real path, inside @folder's
 */
char *
cd_recording_resolve (const char  *folder,
                      const char  *relative,
                      GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);
  guint n = g_strv_length (parts);
  g_autofree char *root = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *real = NULL;
  GStatBuf st;

  if (n == 0 || n > MAX_DEPTH + 1 || !cd_recording_check_name (parts[n - 1], NULL, NULL, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
                     _("“%s” is not a recording’s path."), relative);
      return NULL;
    }
  for (guint i = 0; i + 1 < n; i++)
    if (!is_digits (parts[i], 4))
      {
        g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
                     _("“%s” is not a recording’s path."), relative);
        return NULL;
      }
  if ((root = real_path (folder, error)) == NULL)
    return NULL;
  joined = g_build_filename (root, relative, NULL);
  if ((real = real_path (joined, error)) == NULL)
    return NULL;
  if (!is_under (root, real))
    {
      g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
                   _("Refused: “%s” leads out of the recordings folder."), relative);
      return NULL;
    }
  if (g_stat (real, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
                   _("“%s” is not a file."), relative);
      return NULL;
    }
  return g_steal_pointer (&real);
}

/* The WAV reader {{{1 */

static gint16
mulaw_to_linear (guint8 byte)
{
  int u = ~byte & 0xFF;
  int t = ((u & 0x0F) << 3) + 0x84;

  t <<= (u & 0x70) >> 4;
  return (gint16) ((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

static gint16
alaw_to_linear (guint8 byte)
{
  int a = byte ^ 0x55;
  int t = (a & 0x0F) << 4;
  int segment = (a & 0x70) >> 4;

  if (segment == 0)
    t += 8;
  else if (segment == 1)
    t += 0x108;
  else
    t = (t + 0x108) << (segment - 1);
  return (gint16) ((a & 0x80) ? t : -t);
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24;
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | p[1] << 8);
}

typedef struct
{
  guint   format;
  guint   channels;
  guint   rate;
  guint   bits;
  guint64 data_bytes;
} WaveInfo;

static gboolean
format_error (GError     **error,
              const char  *path,
              const char  *reason)
{
  g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_FORMAT,
               _("“%s” cannot be read as a recording: %s"), path, reason);
  return FALSE;
}

/* Reads the header up to the start of the samples. */
static gboolean
read_header (FILE        *file,
             const char  *path,
             WaveInfo    *info,
             GError     **error)
{
  guint8 head[12], chunk[8], fmt[40];
  gboolean has_fmt = FALSE;
  GStatBuf st;
  gint64 size;

  if (fstat (fileno (file), &st) != 0)
    return format_error (error, path, g_strerror (errno));
  size = st.st_size;
  if (fread (head, 1, sizeof head, file) != sizeof head || memcmp (head, "RIFF", 4) != 0 ||
      memcmp (head + 8, "WAVE", 4) != 0)
    return format_error (error, path, _("not a RIFF WAVE file"));

  for (;;)
    {
      guint32 chunk_size;

      if (fread (chunk, 1, sizeof chunk, file) != sizeof chunk)
        return format_error (error, path, _("it ends before its samples"));
      chunk_size = le32 (chunk + 4);
      if (memcmp (chunk, "fmt ", 4) == 0)
        {
          gsize take = MIN (chunk_size, sizeof fmt);

          if (chunk_size < 16 || fread (fmt, 1, take, file) != take)
            return format_error (error, path, _("its format chunk is damaged"));
          info->format = le16 (fmt);
          info->channels = le16 (fmt + 2);
          info->rate = le32 (fmt + 4);
          info->bits = le16 (fmt + 14);
          if (info->format == WAVE_EXTENSIBLE && take >= 26)
            info->format = le16 (fmt + 24);
          if (fseek (file, (long) (chunk_size - take + (chunk_size & 1)), SEEK_CUR) != 0)
            return format_error (error, path, _("its format chunk is damaged"));
          has_fmt = TRUE;
        }
      else if (memcmp (chunk, "data", 4) == 0)
        {
          if (!has_fmt)
            return format_error (error, path, _("its samples come before their format"));
          info->data_bytes = chunk_size;
          break;
        }
      else if (fseek (file, (long) chunk_size + (chunk_size & 1), SEEK_CUR) != 0)
        return format_error (error, path, _("it ends before its samples"));
    }

  if (!((info->format == WAVE_PCM && info->bits == 16) ||
        ((info->format == WAVE_ALAW || info->format == WAVE_MULAW) && info->bits == 8)))
    return format_error (error, path,
                         _("only 16-bit PCM and 8-bit G.711 (µ-law, A-law) are read"));
  if (info->channels < 1 || info->channels > 2 || info->rate < 8000 || info->rate > 192000)
    return format_error (error, path, _("one or two channels at 8 to 192 kHz are read"));
  if ((gint64) info->data_bytes > size - ftell (file))
    return format_error (error, path,
                         _("it is shorter than its header says (cut, or still being written)"));
  return TRUE;
}

static gboolean
analyze_wav (const char  *path,
             gint64      *duration_ms,
             char       **figures,
             char       **note,
             GError     **error);

#if HAVE_GSTREAMER
/* Decoded to 16-bit samples at the file's rate, or one the detector
 * takes; more than two channels are mixed down to two. */
#define DECODE_PIPELINE \
  "filesrc name=src ! decodebin ! audioconvert ! audioresample ! " \
  "audio/x-raw,format=S16LE,layout=interleaved,channels=[1,2]," \
  "rate={48000,16000,8000,32000,24000,12000} ! appsink name=sink sync=false"

static gboolean
bus_error (GstElement  *pipeline,
           const char  *path,
           GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr(GError) gst_error = NULL;

  if (message == NULL)
    return FALSE;
  gst_message_parse_error (message, &gst_error, NULL);
  format_error (error, path, gst_error->message);
  return TRUE;
}

static gboolean
analyze_gst (const char  *path,
             gint64      *duration_ms,
             char       **figures,
             char       **note,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(CdVoiceActivity) detector = NULL;
  g_autoptr(CdVoiceActivityResult) result = NULL;
  GstElement *pipeline, *source, *sink;
  guint channels = 0, rate = 0;
  guint64 n_frames = 0;
  gboolean ok = FALSE;

  if (!gst_init_check (NULL, NULL, &local_error))
    return format_error (error, path, local_error->message);
  if ((pipeline = gst_parse_launch (DECODE_PIPELINE, &local_error)) == NULL)
    return format_error (error, path, local_error->message);
  gst_object_ref_sink (pipeline);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (source, "location", path, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  for (;;)
    {
      g_autoptr(GstSample) sample = NULL;
      GstMapInfo map;
      GstBuffer *buffer;

      if (bus_error (pipeline, path, error))
        goto out;
      sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 100 * GST_MSECOND);
      if (sample == NULL)
        {
          if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
            break;
          continue;
        }
      if (channels == 0)
        {
          GstStructure *caps = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
          int c = 0, r = 0;

          gst_structure_get_int (caps, "channels", &c);
          gst_structure_get_int (caps, "rate", &r);
          channels = (guint) c;
          rate = (guint) r;
          if (channels == 2)
            {
              CdVoiceActivityConfig config;

              cd_voice_activity_config_init (&config, rate);
              if ((detector = cd_voice_activity_new (&config, error)) == NULL)
                goto out;
            }
        }
      buffer = gst_sample_get_buffer (sample);
      if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
        continue;
      n_frames += map.size / 2 / MAX (channels, 1);
      if (detector != NULL)
        cd_voice_activity_feed (detector, (const gint16 *) map.data, map.size / 2);
      gst_buffer_unmap (buffer, &map);
    }
  if (bus_error (pipeline, path, error))
    goto out;
  if (channels == 0 || rate == 0)
    {
      format_error (error, path, _("it holds no audio"));
      goto out;
    }
  if (detector == NULL)
    {
      *duration_ms = (gint64) (n_frames * 1000 / rate);
      *note = g_strdup (_("One channel: the two sides are mixed and cannot be told apart."));
      ok = TRUE;
      goto out;
    }
  result = cd_voice_activity_finish (detector);
  *duration_ms = result->duration_ms;
  *figures = cd_voice_activity_result_to_json (result);
  ok = TRUE;

out:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (source);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return ok;
}
#endif

/**
 * cd_recording_analyze_file:
 * @path: a recording: WAV, or with GStreamer any format it decodes
 * @duration_ms: (out): its length
 * @figures: (out) (transfer full) (nullable): the detector's figures in
 *   JSON, or %NULL for a recording of one channel (the sides mixed)
 * @note: (out) (transfer full) (nullable): why there are no figures
 * @error: a %CD_RECORDING_ERROR_FORMAT for a file that does not decode,
 *   or a damaged one, a #GFileError
 *
 * A RIFF file, or one named .wav, is read by the WAV reader here,
 * anything else by GStreamer when the build has it.
 *
 * Returns: whether @path was read
 */
gboolean
cd_recording_analyze_file (const char  *path,
                           gint64      *duration_ms,
                           char       **figures,
                           char       **note,
                           GError     **error)
{
  char magic[4] = { 0 };
  FILE *file;
  gboolean riff;

  *figures = NULL;
  *note = NULL;
  if ((file = fopen (path, "rb")) == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot read “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  riff = fread (magic, 1, 4, file) == 4 && memcmp (magic, "RIFF", 4) == 0;
  fclose (file);
#if HAVE_GSTREAMER
  /* A damaged .wav is the WAV reader's to explain, not a decoder's. */
  if (!riff && !g_str_has_suffix (path, ".wav") && !g_str_has_suffix (path, ".WAV"))
    return analyze_gst (path, duration_ms, figures, note, error);
#endif
  return analyze_wav (path, duration_ms, figures, note, error);
}

/*
 * analyze_wav:
 * @path: a WAV file
 * @duration_ms: (out): its length
 * @figures: (out) (transfer full) (nullable): the detector's figures in
 *   JSON, or %NULL for a recording of one channel (the sides mixed)
 * @note: (out) (transfer full) (nullable): why there are no figures
 * @error: a %CD_RECORDING_ERROR_FORMAT for a file this reader does not
 *   know or a damaged one, a #GFileError
 *
 * Decodes @path block by block into the voice-activity detector with its
 * default settings at the file's rate.
 *
 * Returns: whether @path was read
 */
static gboolean
analyze_wav (const char  *path,
             gint64      *duration_ms,
             char       **figures,
             char       **note,
             GError     **error)
{
  g_autoptr(CdVoiceActivity) detector = NULL;
  g_autoptr(CdVoiceActivityResult) result = NULL;
  g_autofree guint8 *block = NULL;
  g_autofree gint16 *samples = NULL;
  CdVoiceActivityConfig config;
  WaveInfo info = { 0 };
  guint64 left;
  guint bytes_per_sample;
  FILE *file;

  *figures = NULL;
  *note = NULL;
  if ((file = fopen (path, "rb")) == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot read “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (!read_header (file, path, &info, error))
    {
      fclose (file);
      return FALSE;
    }
  bytes_per_sample = info.format == WAVE_PCM ? 2 : 1;
  if (info.channels == 1)
    {
      /* The two sides mixed cannot be told apart. */
      *duration_ms = (gint64) (info.data_bytes / bytes_per_sample * 1000 / info.rate);
      *note = g_strdup (_("One channel: the two sides are mixed and cannot be told apart."));
      fclose (file);
      return TRUE;
    }
  cd_voice_activity_config_init (&config, info.rate);
  if ((detector = cd_voice_activity_new (&config, error)) == NULL)
    {
      fclose (file);
      return FALSE;
    }
  block = g_malloc (BLOCK_BYTES);
  samples = g_new (gint16, BLOCK_BYTES);
  /* A whole number of sample frames; an odd last byte is dropped. */
  left = info.data_bytes - info.data_bytes % (bytes_per_sample * info.channels);
  while (left > 0)
    {
      gsize want = (gsize) MIN (left, BLOCK_BYTES), got, n;

      got = fread (block, 1, want, file);
      if (got != want)
        {
          fclose (file);
          return format_error (error, path, _("it ends before its samples"));
        }
      left -= got;
      if (info.format == WAVE_PCM)
        {
          n = got / 2;
          for (gsize i = 0; i < n; i++)
            samples[i] = (gint16) le16 (block + 2 * i);
        }
      else
        {
          n = got;
          for (gsize i = 0; i < n; i++)
            samples[i] = info.format == WAVE_MULAW ? mulaw_to_linear (block[i])
                                                   : alaw_to_linear (block[i]);
        }
      cd_voice_activity_feed (detector, samples, n);
    }
  fclose (file);
  result = cd_voice_activity_finish (detector);
  *duration_ms = result->duration_ms;
  *figures = cd_voice_activity_result_to_json (result);
  return TRUE;
}

/* The table {{{1 */

/* The call's operator decides whose recording it is for an operator's
 * account (the role table's "own"). */
#define RECORDING_COLUMNS                                                          \
  "r.call, r.path, r.size, r.format, r.duration_ms, r.figures, r.note, r.scanned_at, " \
  "(SELECT c.agent FROM calls c WHERE c.id = r.call)"

static char *
column_text (CdDbStmt *stmt,
             int       column)
{
  return g_strdup (cd_db_column_text (stmt, column));
}

static CdRecording *
recording_from_row (CdDbStmt *stmt)
{
  CdRecording *recording = g_new0 (CdRecording, 1);

  recording->call = column_text (stmt, 0);
  recording->path = column_text (stmt, 1);
  recording->size = cd_db_column_int64 (stmt, 2);
  recording->format = column_text (stmt, 3);
  recording->duration_ms = cd_db_column_is_null (stmt, 4) ? -1 : cd_db_column_int64 (stmt, 4);
  recording->figures = column_text (stmt, 5);
  recording->note = column_text (stmt, 6);
  recording->scanned_at = cd_db_column_int64 (stmt, 7);
  recording->agent = column_text (stmt, 8);
  return recording;
}

/* The rows of @sql (RECORDING_COLUMNS), its `?1` bound to @text when not
 * %NULL, or `?1` and `?2` to @from and @to when @period. */
static gboolean
read_recordings (CdStore     *self,
                 const char  *sql,
                 const char  *text,
                 gboolean     period,
                 gint64       from,
                 gint64       to,
                 GPtrArray   *list,
                 GError     **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("reading the recordings"), db_error, error);
  if (text != NULL)
    cd_db_bind_text (stmt, 1, text);
  else if (period)
    {
      cd_db_bind_int64 (stmt, 1, from);
      cd_db_bind_int64 (stmt, 2, to);
    }
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (list, recording_from_row (stmt));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the recordings"), db_error, error);
  return TRUE;
}

/**
 * cd_store_get_recording:
 * @self: a store
 * @call: a call's journal id
 * @recording: (out) (transfer full) (nullable): its recording, or %NULL
 *   when it has none
 * @error: a #CD_STORE_ERROR
 *
 * Returns: whether the table was read
 */
gboolean
cd_store_get_recording (CdStore      *self,
                        const char   *call,
                        CdRecording **recording,
                        GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_recording_free);

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  *recording = NULL;
  if (!read_recordings (self, "SELECT " RECORDING_COLUMNS " FROM recordings r WHERE r.call = ?1",
                        call, FALSE, 0, 0, list, error))
    return FALSE;
  if (list->len > 0)
    *recording = g_ptr_array_steal_index (list, 0);
  return TRUE;
}

/**
 * cd_store_list_recordings:
 * @self: a store
 * @recordings: (out) (transfer full) (element-type CdRecording): the
 *   linked recordings, by path, then call
 * @error: a #CD_STORE_ERROR
 *
 * Returns: whether the table was read
 */
gboolean
cd_store_list_recordings (CdStore    *self,
                          GPtrArray **recordings,
                          GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_recording_free);
  g_autofree char *sql = NULL;
  const char *bytewise;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  /* Paths and ids in their bytes' order on both backends. */
  bytewise = cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER);
  sql = g_strdup_printf ("SELECT " RECORDING_COLUMNS " FROM recordings r "
                         "ORDER BY r.path%s, r.call%s", bytewise, bytewise);
  if (!read_recordings (self, sql, NULL, FALSE, 0, 0, list, error))
    return FALSE;
  *recordings = g_steal_pointer (&list);
  return TRUE;
}

/**
 * cd_store_list_recordings_between:
 * @self: a store
 * @from: Unix seconds
 * @to: Unix seconds, not included
 * @recordings: (out) (transfer full) (element-type CdRecording): the
 *   recordings of the calls that entered the queue from @from to @to, in
 *   the calls' order
 * @error: return location for an error
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
cd_store_list_recordings_between (CdStore    *self,
                                  gint64      from,
                                  gint64      to,
                                  GPtrArray **recordings,
                                  GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_recording_free);
  g_autofree char *sql = NULL;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  sql = g_strdup_printf ("SELECT " RECORDING_COLUMNS " FROM recordings r "
                         "JOIN calls c ON c.id = r.call "
                         "WHERE c.entered_at >= ?1 AND c.entered_at < ?2 "
                         "ORDER BY c.entered_at, r.call%s",
                         cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER));
  if (!read_recordings (self, sql, NULL, TRUE, from, to, list, error))
    return FALSE;
  *recordings = g_steal_pointer (&list);
  return TRUE;
}

/* The scan {{{1 */

typedef struct
{
  CdStore         *store;
  char            *root;
  gint64           now;
  GCancellable    *cancellable;
  CdRecordingScan *scan;
  /* (nullable) relative path → the size seen at the look before, of the
   * files not linked yet (cd_store_scan_recordings_settled()). */
  GHashTable      *sizes;
  gboolean         recursive;
} Scan;

/* Whether a file not linked yet had this size at the look before too: a
 * recording still being written grows between two looks. Remembers the
 * size for the next look when not. */
static gboolean
is_settled (Scan       *scan,
            const char *relative,
            gint64      size)
{
  gpointer seen;

  if (scan->sizes == NULL)
    return TRUE;
  if (g_hash_table_lookup_extended (scan->sizes, relative, NULL, &seen) &&
      *(gint64 *) seen == size)
    return TRUE;
  g_hash_table_insert (scan->sizes, g_strdup (relative), g_memdup2 (&size, sizeof size));
  scan->scan->n_unsettled++;
  return FALSE;
}

static void
problem (Scan       *scan,
         const char *relative,
         const char *reason)
{
  g_ptr_array_add (scan->scan->problems, g_strdup_printf ("%s: %s", relative, reason));
}

static gboolean
calls_of (CdStore     *self,
          const char  *uniqueid,
          GPtrArray  **calls,
          GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdDbStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  sql = g_strdup_printf ("SELECT id FROM calls WHERE pbx_id = ?1 ORDER BY entered_at, id%s",
                         cd_db_dialect (self->conn, CD_DB_DIALECT_BINARY_ORDER));
  if ((stmt = cd_db_prepare (self->conn, sql, &db_error)) == NULL)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  cd_db_bind_text (stmt, 1, uniqueid);
  while ((step = cd_db_step (stmt, &db_error)) == CD_DB_ROW)
    g_ptr_array_add (list, column_text (stmt, 0));
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  *calls = g_steal_pointer (&list);
  return TRUE;
}

/* One statement on its own (autocommit on both backends): a scan never
 * holds the write lock across files. */
static gboolean
write_recording (CdStore            *self,
                 const CdRecording  *recording,
                 GError            **error)
{
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;

  stmt = cd_db_prepare (self->conn,
                        "INSERT INTO recordings (call, path, size, format, duration_ms, figures, "
                        "note, scanned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                        "ON CONFLICT (call) DO UPDATE SET path = excluded.path, "
                        "size = excluded.size, format = excluded.format, "
                        "duration_ms = excluded.duration_ms, figures = excluded.figures, "
                        "note = excluded.note, scanned_at = excluded.scanned_at",
                        &db_error);
  if (stmt == NULL)
    return cd_store_db_error (self, _("writing a recording"), db_error, error);
  cd_db_bind_text_static (stmt, 1, recording->call);
  cd_db_bind_text_static (stmt, 2, recording->path);
  cd_db_bind_int64 (stmt, 3, recording->size);
  cd_db_bind_text_static (stmt, 4, recording->format);
  if (recording->duration_ms >= 0)
    cd_db_bind_int64 (stmt, 5, recording->duration_ms);
  else
    cd_db_bind_null (stmt, 5);
  cd_db_bind_text_static (stmt, 6, recording->figures);
  cd_db_bind_text_static (stmt, 7, recording->note);
  cd_db_bind_int64 (stmt, 8, recording->scanned_at);
  if (cd_db_step (stmt, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("writing a recording"), db_error, error);
  return TRUE;
}

static gboolean
scan_file (Scan        *scan,
           const char  *full,
           const char  *relative,
           const char  *name,
           gint64       size,
           GError     **error)
{
  g_autofree char *uniqueid = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) local_error = NULL;
  CdRecording found = { 0 };
  const char *format = NULL;
  gboolean analysed = FALSE;

  if (!cd_recording_check_name (name, &uniqueid, &format, &local_error))
    {
      problem (scan, relative, local_error->message);
      return TRUE;
    }
  scan->scan->n_files++;
  if (!calls_of (scan->store, uniqueid, &calls, error))
    return FALSE;
  if (calls->len == 0)
    {
      scan->scan->n_unmatched++;
      return TRUE;
    }

  for (guint i = 0; i < calls->len; i++)
    {
      g_autoptr(CdRecording) known = NULL;

      if (!cd_store_get_recording (scan->store, calls->pdata[i], &known, error))
        return FALSE;
      if (known != NULL && g_str_equal (known->path, relative) && known->size == size)
        {
          scan->scan->n_known++;
          continue;
        }
      if (!analysed)
        {
          if (!is_settled (scan, relative, size))
            return TRUE;
          found.duration_ms = -1;
          if ((HAVE_GSTREAMER || g_str_equal (format, "wav")) &&
              !cd_recording_analyze_file (full, &found.duration_ms, &found.figures, &found.note,
                                          &local_error))
            {
              /* Nothing is stored of a file that does not read. */
              problem (scan, relative, local_error->message);
              return TRUE;
            }
          if (!HAVE_GSTREAMER && !g_str_equal (format, "wav"))
            found.note = g_strdup (_("Ogg/Opus: not analysed without GStreamer."));
          analysed = TRUE;
        }
      found.call = calls->pdata[i];
      found.path = (char *) relative;
      found.size = size;
      found.format = (char *) format;
      found.scanned_at = scan->now;
      if (!write_recording (scan->store, &found, error))
        {
          g_free (found.figures);
          g_free (found.note);
          return FALSE;
        }
      scan->scan->n_linked++;
    }
  if (analysed && scan->sizes != NULL)
    g_hash_table_remove (scan->sizes, relative);
  g_free (found.figures);
  g_free (found.note);
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
scan_folder (Scan        *scan,
             const char  *prefix,
             guint        depth,
             GError     **error)
{
  g_autofree char *folder = prefix[0] != '\0' ? g_build_filename (scan->root, prefix, NULL)
                                              : g_strdup (scan->root);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if ((dir = g_dir_open (folder, 0, error)) == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* In order, so that two scans report the same way. */
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *entry = names->pdata[i];
      g_autofree char *full = g_build_filename (folder, entry, NULL);
      g_autofree char *relative = prefix[0] != '\0' ? g_strconcat (prefix, "/", entry, NULL)
                                                    : g_strdup (entry);
      GStatBuf st;

      if (g_cancellable_set_error_if_cancelled (scan->cancellable, error))
        return FALSE;
      if (g_lstat (full, &st) != 0)
        continue;
      if (S_ISLNK (st.st_mode))
        {
          g_autofree char *real = real_path (full, NULL);

          if (real == NULL || !is_under (scan->root, real))
            {
              problem (scan, relative, _("refused: a link out of the recordings folder"));
              continue;
            }
          if (g_stat (real, &st) != 0)
            continue;
        }
      if (S_ISDIR (st.st_mode))
        {
          /* Only the dated folders YYYY/MM/DD, whatever else is there. */
          if (scan->recursive && depth < MAX_DEPTH && is_digits (entry, 4) &&
              !scan_folder (scan, relative, depth + 1, error))
            return FALSE;
          continue;
        }
      if (!S_ISREG (st.st_mode))
        continue;
      {
        const char *dot = strrchr (entry, '.');

        /* Other files (a PBX's notes, a half-written .tmp) are not ours. */
        if (dot == NULL || (g_ascii_strcasecmp (dot, ".wav") != 0 &&
                            g_ascii_strcasecmp (dot, ".ogg") != 0 &&
                            g_ascii_strcasecmp (dot, ".opus") != 0))
          continue;
      }
      if (!scan_file (scan, full, relative, entry, st.st_size, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * cd_store_scan_recordings:
 * @self: a store, outside a transaction
 * @folder: the recordings folder (read only)
 * @now: the time to note the links with
 * @cancellable: (nullable): stops the scan between two files
 * @scan: (out) (transfer full): what was found
 * @error: a #GFileError when @folder cannot be read, a #CD_STORE_ERROR,
 *   %G_IO_ERROR_CANCELLED
 *
 * Links the recordings in @folder and its dated subfolders to the calls
 * of their uniqueid and analyses the new ones (a file already linked with
 * the same size is left as it was). A file that cannot be read is a
 * problem in @scan, with nothing stored of it, not an error. Each file's
 * rows are written in a statement of their own, so that another
 * connection (the server's) waits for a moment at most, never for the
 * whole scan.
 *
 * Returns: whether the scan ran
 */
gboolean
cd_store_scan_recordings (CdStore          *self,
                          const char       *folder,
                          gint64            now,
                          GCancellable     *cancellable,
                          CdRecordingScan **scan,
                          GError          **error)
{
  return cd_store_scan_recordings_settled (self, folder, NULL, TRUE, now, NULL, cancellable, scan,
                                           error);
}

/**
 * cd_store_scan_recordings_settled:
 * @self: a store, outside a transaction
 * @folder: the recordings folder (read only)
 * @under: (nullable): one of its dated subfolders to look at
 *   (`2026/01/01`), or %NULL for the folder itself
 * @recursive: whether to look into the dated subfolders too
 * @now: the time to note the links with
 * @sizes: (nullable) (element-type utf8 gint64): what the look before saw
 *   of the files not linked yet, their relative paths to their sizes
 *   (keys and values freed with g_free()); updated for the next look
 * @cancellable: (nullable): stops the scan between two files
 * @scan: (out) (transfer full): what was found
 * @error: as cd_store_scan_recordings()'s
 *
 * Like cd_store_scan_recordings(), for a folder the PBX is writing into:
 * a new file is analysed only when its size is the one the look before
 * saw (@sizes), for a recording still being written grows between two
 * looks and would be refused, or worse analysed cut. The others are
 * counted in @scan's @n_unsettled, for a later look. A look may be
 * limited to the subfolder a file appeared in (@under, @recursive), for a
 * PBX's folder of years is a long walk.
 *
 * Returns: whether the scan ran
 */
gboolean
cd_store_scan_recordings_settled (CdStore          *self,
                                  const char       *folder,
                                  const char       *under,
                                  gboolean          recursive,
                                  gint64            now,
                                  GHashTable       *sizes,
                                  GCancellable     *cancellable,
                                  CdRecordingScan **scan,
                                  GError          **error)
{
  g_autoptr(CdRecordingScan) result = g_new0 (CdRecordingScan, 1);
  g_autofree char *root = NULL;
  Scan state = { self, NULL, now, cancellable, NULL, sizes, recursive };
  g_auto(GStrv) parts = NULL;
  guint depth = 0;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (under != NULL && *under != '\0')
    {
      guint n;
      gboolean dated;

      /* Only a dated subfolder's relative path: nothing to climb out by. */
      parts = g_strsplit (under, "/", -1);
      n = g_strv_length (parts);
      dated = n <= MAX_DEPTH;
      for (guint i = 0; dated && i < n; i++)
        dated = is_digits (parts[i], 4);
      depth = n;
      if (!dated)
        {
          g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
                       _("“%s” is not a dated subfolder of the recordings folder."), under);
          return FALSE;
        }
    }

  result->problems = g_ptr_array_new_with_free_func (g_free);
  if ((root = real_path (folder, error)) == NULL)
    return FALSE;
  state.root = root;
  state.scan = result;
  if (depth > 0)
    {
      g_autofree char *joined = g_build_filename (root, under, NULL);
      g_autofree char *real = real_path (joined, error);

      /* A dated folder that is a link out of the folder is not looked in,
       * as the whole walk refuses it. */
      if (real == NULL)
        return FALSE;
      if (!is_under (root, real))
        {
          g_set_error (error, CD_RECORDING_ERROR, CD_RECORDING_ERROR_NAME,
                       _("“%s” is not a dated subfolder of the recordings folder."), under);
          return FALSE;
        }
    }
  if (!scan_folder (&state, depth > 0 ? under : "", depth, error))
    return FALSE;
  *scan = g_steal_pointer (&result);
  return TRUE;
}

/* Listens {{{1 */

/**
 * cd_store_record_listen:
 * @self: a store, outside a transaction
 * @call: the call's journal id
 * @actor: who listens
 * @role: in which role
 * @time: when
 * @error: a #CD_STORE_ERROR (%CD_STORE_ERROR_NOT_FOUND for no such call)
 *
 * Appends a `listen` event on the call's entity, with an empty payload:
 * who listened to which call and when is the event itself.
 *
 * Returns: whether the event was appended
 */
gboolean
cd_store_record_listen (CdStore     *self,
                        const char  *call,
                        const char  *actor,
                        const char  *role,
                        gint64       time,
                        GError     **error)
{
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(CdEvent) event = NULL;
  g_autoptr(CdDbStmt) stmt = NULL;
  GError *db_error = NULL;
  CdDbStep step;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (!cd_store_begin (self, error))
    return FALSE;
  if ((stmt = cd_db_prepare (self->conn, "SELECT 1 FROM calls WHERE id = ?1", &db_error)) == NULL)
    {
      cd_store_db_error (self, _("reading the calls"), db_error, error);
      goto failed;
    }
  cd_db_bind_text (stmt, 1, call);
  if ((step = cd_db_step (stmt, &db_error)) == CD_DB_FAILED)
    {
      cd_store_db_error (self, _("reading the calls"), db_error, error);
      goto failed;
    }
  if (step == CD_DB_DONE)
    {
      g_set_error (error, CD_STORE_ERROR, CD_STORE_ERROR_NOT_FOUND, _("No such call: %s"), call);
      goto failed;
    }
  event = cd_event_new (call, CD_LISTEN_EVENT_TYPE, actor, role, time, payload);
  if (!cd_store_append_entity_event (self, event, error) || !cd_store_commit (self, error))
    goto failed;
  return TRUE;

failed:
  if (cd_store_in_transaction (self))
    cd_store_rollback (self);
  return FALSE;
}

/* The demo's recordings {{{1 */

typedef struct
{
  char   *pbx_id;
  gint64  entered_at;
  gint64  talk_seconds;
} DemoCall;

static void
demo_call_free (DemoCall *call)
{
  g_free (call->pbx_id);
  g_free (call);
}

/* Adds the calls of @stmt's rows (pbx_id, entered_at, talk_seconds) not
 * seen yet; counts the rows in @n_rows. */
static CdDbStep
read_demo_calls (CdDbStmt    *stmt,
                 GPtrArray   *calls,
                 GHashTable  *seen,
                 guint       *n_rows,
                 GError     **error)
{
  CdDbStep step;

  while ((step = cd_db_step (stmt, error)) == CD_DB_ROW)
    {
      DemoCall *call = g_new0 (DemoCall, 1);

      (*n_rows)++;
      call->pbx_id = column_text (stmt, 0);
      call->entered_at = cd_db_column_int64 (stmt, 1);
      call->talk_seconds = cd_db_column_int64 (stmt, 2);
      if (call->pbx_id == NULL || g_hash_table_contains (seen, call->pbx_id))
        {
          demo_call_free (call);
          continue;
        }
      g_hash_table_add (seen, g_strdup (call->pbx_id));
      g_ptr_array_add (calls, call);
    }
  return step;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

/* The answered calls the complaints are about, up to @limit: their `link`
 * events' targets, read from the payloads in C rather than by the two
 * dialects' JSON functions. */
static gboolean
read_complained_calls (CdStore     *self,
                       guint        limit,
                       GPtrArray   *calls,
                       GHashTable  *seen,
                       GError     **error)
{
  g_autoptr(CdDbStmt) links = NULL;
  g_autoptr(CdDbStmt) call = NULL;
  GError *db_error = NULL;
  CdDbStep step = CD_DB_DONE;
  guint found = 0;

  links = cd_db_prepare (self->conn, "SELECT payload FROM events WHERE type = 'link' ORDER BY seq",
                         &db_error);
  if (links == NULL ||
      (call = cd_db_prepare (self->conn,
                             "SELECT pbx_id, entered_at, talk_seconds FROM calls "
                             "WHERE id = ?1 AND answered_at IS NOT NULL",
                             &db_error)) == NULL)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  while (found < limit && (step = cd_db_step (links, &db_error)) == CD_DB_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string (cd_db_column_text (links, 0), NULL);
      JsonObject *payload = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                              ? json_node_get_object (node) : NULL;
      const char *target = string_member (payload, "target");

      if (g_strcmp0 (string_member (payload, "about"), "call") != 0 || target == NULL)
        continue;
      cd_db_reset (call);
      cd_db_bind_text (call, 1, target);
      if (read_demo_calls (call, calls, seen, &found, &db_error) == CD_DB_FAILED)
        return cd_store_db_error (self, _("reading the calls"), db_error, error);
    }
  if (step == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  return TRUE;
}

/**
 * cd_store_write_demo_recordings:
 * @self: a demo city's store
 * @folder: the folder to write into (created when missing)
 * @until: the end of the demo's history, or 0 for the latest call's entry
 * @max_files: how many recordings of answered calls at most
 * @n_written: (out) (optional): how many files were written (a file
 *   already there is left as it is)
 * @error: a #GFileError, a #CD_STORE_ERROR
 *
 * Writes the synthesized recordings (cd_demo_recording_synthesize()) of
 * a bounded sample, in `YYYY/MM/DD/UNIQUEID.wav` as a PBX lays them out:
 * the answered calls of the two days before @until, latest first, up to
 * @max_files, and every call a complaint is about. Each is at most
 * %CD_DEMO_RECORDING_MAX_SECONDS long, so that the sample stays within
 * a couple of hundred megabytes. Run cd_store_scan_recordings() after.
 *
 * Returns: whether every file was written
 */
gboolean
cd_store_write_demo_recordings (CdStore     *self,
                                const char  *folder,
                                gint64       until,
                                guint        max_files,
                                guint       *n_written,
                                GError     **error)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_call_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(CdDbStmt) recent = NULL;
  GError *db_error = NULL;
  guint written = 0, n_rows = 0;

  g_return_val_if_fail (CD_IS_STORE (self), FALSE);

  if (n_written != NULL)
    *n_written = 0;
  if (until <= 0)
    {
      g_autoptr(CdDbStmt) stmt = NULL;

      stmt = cd_db_prepare (self->conn, "SELECT coalesce (max (entered_at), 0) FROM calls",
                            &db_error);
      if (stmt == NULL || cd_db_step (stmt, &db_error) != CD_DB_ROW)
        return cd_store_db_error (self, _("reading the calls"), db_error, error);
      until = cd_db_column_int64 (stmt, 0);
    }
  recent = cd_db_prepare (self->conn,
                          "SELECT pbx_id, entered_at, talk_seconds FROM calls "
                          "WHERE answered_at IS NOT NULL AND talk_seconds > 0 "
                          "AND entered_at >= ?1 ORDER BY entered_at DESC, id LIMIT ?2",
                          &db_error);
  if (recent == NULL)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  cd_db_bind_int64 (recent, 1, until - 2 * 86400);
  cd_db_bind_int64 (recent, 2, max_files);
  if (read_demo_calls (recent, calls, seen, &n_rows, &db_error) == CD_DB_FAILED)
    return cd_store_db_error (self, _("reading the calls"), db_error, error);
  if (!read_complained_calls (self, max_files, calls, seen, error))
    return FALSE;

  for (guint i = 0; i < calls->len; i++)
    {
      DemoCall *call = calls->pdata[i];
      g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc (call->entered_at);
      g_autofree char *dated = g_date_time_format (day, "%Y/%m/%d");
      g_autofree char *dir = g_build_filename (folder, dated, NULL);
      g_autofree char *name = g_strconcat (call->pbx_id, ".wav", NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GBytes) wav = NULL;
      guint seconds;

      if (!cd_recording_check_name (name, NULL, NULL, error))
        return FALSE;
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      if (g_mkdir_with_parents (dir, 0750) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved));
          return FALSE;
        }
      seconds = (guint) CLAMP (call->talk_seconds, 1, CD_DEMO_RECORDING_MAX_SECONDS);
      wav = cd_demo_recording_synthesize (call->pbx_id, seconds, NULL);
      if (!g_file_set_contents (path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav),
                                error))
        return FALSE;
      written++;
    }
  if (n_written != NULL)
    *n_written = written;
  return TRUE;
}

/**
 * cd_store_copy_recordings:
 * @self: the store written (`citydeskctl migrate`'s target), outside a
 *   transaction
 * @from: the store read
 * @n_copied: (out) (optional): how many recordings' rows @self was given
 * @error: return location for an error
 *
 * Gives @self the recordings' rows of @from that it lacks (their files'
 * paths, sizes and figures), so that the server there lists them before
 * its first scan; a row @self holds otherwise (a scan there found the
 * file changed) is refused, and nothing is copied.
 *
 * Returns: whether every recording's row of @from is in @self
 */
gboolean
cd_store_copy_recordings (CdStore  *self,
                          CdStore  *from,
                          gint64   *n_copied,
                          GError  **error)
{
  static const CdStoreCopyTable table = {
    "recordings", "call, path, size, format, duration_ms, figures, note, scanned_at", 1,
    "ttititti"
  };

  return cd_store_copy_tables (self, from, &table, 1, n_copied, error);
}
