// SPDX-License-Identifier: GPL-3.0-or-later
//
// A call recording streamed from the server and played with GStreamer's
// playbin: souphttpsrc fetches the audio as it plays and asks for an HTTP
// Range when the player seeks, so the first sound does not wait for the
// whole file and no copy of a resident's voice lands on the disk. The
// session's bearer token and TLS database go to souphttpsrc in playbin's
// "source-setup". The speed is a flushing seek with that rate, and
// scaletempo, as playbin's audio filter, keeps the voices' pitch.
//
// The main thread never waits on the pipeline: state changes and seeks
// (which may open the audio device or take the streaming locks) run in
// order on one worker thread of the player's own; the bus is watched from
// the main loop, which is where every property changes. The position is
// read ten times a second, and only while playing.

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>

#include "cd-audio-player.h"

#define TICK_MS 100

G_DEFINE_QUARK (cd-audio-player-error-quark, cd_audio_player_error)

/* What the streaming threads share, one per pipeline: the token and the
 * certificates, set once; the bytes fetched, counted as they come. */
typedef struct
{
  char         *token;
  GTlsDatabase *tls_database;
  gint          bytes;           /* atomic */
} SourceSetup;

typedef enum
{
  COMMAND_STATE,
  COMMAND_SEEK,
} CommandKind;

typedef struct
{
  GstElement  *pipeline;
  CommandKind  kind;
  GstState     state;
  double       rate;
  gint64       position_ns;
} Command;

struct _CdAudioPlayer
{
  GObject       parent_instance;

  GThreadPool  *worker;          /* one thread: the commands in order */
  GstElement   *pipeline;
  guint         bus_watch;
  guint         tick_id;
  char         *uri;

  gboolean      prepared;
  gboolean      playing;
  gboolean      ended;
  gboolean      seeking;         /* until the flushing seek is done */
  gboolean      buffering;       /* paused until the network catches up */
  gint64        position;        /* µs */
  gint64        duration;        /* µs, 0 until known */
  double        rate;
  GError       *error;
  gint64        first_sound;     /* monotonic µs, 0 until then */
  gint64        first_sound_bytes;
};

enum
{
  PROP_0,
  PROP_PLAYING,
  PROP_PREPARED,
  PROP_ENDED,
  PROP_POSITION,
  PROP_DURATION,
  PROP_RATE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FIRST_SOUND,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CdAudioPlayer, cd_audio_player, G_TYPE_OBJECT)

/* The worker {{{1 */

static void
run_command (gpointer data,
             gpointer user_data)
{
  Command *command = data;

  if (command->kind == COMMAND_STATE)
    gst_element_set_state (command->pipeline, command->state);
  else if (!gst_element_seek (command->pipeline, command->rate, GST_FORMAT_TIME,
                              GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
                              command->position_ns, GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE))
    g_debug ("The seek to %" G_GINT64_FORMAT " ns at %.2f× was refused",
             command->position_ns, command->rate);
  gst_object_unref (command->pipeline);
  g_free (command);
}

static void
push_command (CdAudioPlayer *self,
              CommandKind    kind,
              GstState       state,
              gint64         position)
{
  Command *command;

  if (self->pipeline == NULL)
    return;
  command = g_new0 (Command, 1);
  command->pipeline = gst_object_ref (self->pipeline);
  command->kind = kind;
  command->state = state;
  command->rate = self->rate;
  command->position_ns = position * GST_USECOND;
  g_thread_pool_push (self->worker, command, NULL);
}

/* The streaming threads {{{1 */

static void
source_setup_clear (SourceSetup *setup)
{
  g_free (setup->token);
  g_clear_object (&setup->tls_database);
}

static void
source_setup_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) source_setup_clear);
}

static void
source_setup_release_closure (gpointer  data,
                              GClosure *closure)
{
  source_setup_release (data);
}

static GstPadProbeReturn
count_bytes (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  SourceSetup *setup = user_data;
  gsize size = 0;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    size = gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));
  else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    size = gst_buffer_list_calculate_size (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_atomic_int_add (&setup->bytes, (gint) MIN (size, G_MAXINT));
  return GST_PAD_PROBE_OK;
}

static void
on_source_setup (GstElement *playbin,
                 GstElement *source,
                 gpointer    user_data)
{
  SourceSetup *setup = user_data;
  GObjectClass *klass = G_OBJECT_GET_CLASS (source);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (source, "src");

  if (setup->token != NULL && g_object_class_find_property (klass, "extra-headers") != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", setup->token, NULL);
      g_autoptr(GstStructure) headers = gst_structure_new ("extra-headers", "Authorization",
                                                           G_TYPE_STRING, bearer, NULL);

      g_object_set (source, "extra-headers", headers, NULL);
    }
  /* The client's own trust: the same certificate database, and never a
   * certificate it would refuse. */
  if (g_object_class_find_property (klass, "ssl-strict") != NULL)
    g_object_set (source, "ssl-strict", TRUE, NULL);
  if (setup->tls_database != NULL && g_object_class_find_property (klass, "tls-database") != NULL)
    g_object_set (source, "tls-database", setup->tls_database, NULL);
  if (pad != NULL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                       count_bytes, g_atomic_rc_box_acquire (setup), source_setup_release);
}

/* A computer without a sound card (CI under Xvfb) has no audio output
 * that opens: autoaudiosink then plays into a fakesink. It must keep to
 * the clock, so that the recording still plays in real time and the
 * player behaves as with speakers (position, speed, end). */
static void
on_sink_child_added (GstBin     *bin,
                     GstElement *child,
                     gpointer    user_data)
{
  GstElementFactory *factory = gst_element_get_factory (child);

  if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "fakesink"))
    {
      g_debug ("No audio output: playing in real time into a fakesink");
      g_object_set (child, "sync", TRUE, NULL);
    }
}

/* The first buffer reaching the audio sink: the first sound, once playing.
 * The time, and how much was fetched by then, go to the main loop through
 * the bus. */
static GstPadProbeReturn
on_first_buffer (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  SourceSetup *setup = user_data;
  GstElement *sink = GST_ELEMENT (gst_pad_get_parent_element (pad));
  GstStructure *structure = gst_structure_new ("cd-first-sound", "time", G_TYPE_INT64,
                                               g_get_monotonic_time (), "bytes", G_TYPE_INT64,
                                               (gint64) g_atomic_int_get (&setup->bytes), NULL);

  if (sink != NULL)
    {
      gst_element_post_message (sink, gst_message_new_application (GST_OBJECT (sink),
                                                                   structure));
      gst_object_unref (sink);
    }
  else
    gst_structure_free (structure);
  return GST_PAD_PROBE_REMOVE;
}

/* The main loop {{{1 */

static void
set_boolean (CdAudioPlayer *self,
             gboolean      *field,
             gboolean       value,
             guint          prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_position (CdAudioPlayer *self,
              gint64         position)
{
  if (self->position == position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
query_duration (CdAudioPlayer *self)
{
  gint64 duration = 0;

  if (self->pipeline == NULL ||
      !gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) || duration < 0)
    return;
  duration /= GST_USECOND;
  if (self->duration == duration)
    return;
  self->duration = duration;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
}

static void
query_position (CdAudioPlayer *self)
{
  gint64 position = 0;

  if (self->pipeline == NULL || self->seeking ||
      !gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &position) || position < 0)
    return;
  set_position (self, position / GST_USECOND);
}

static gboolean
tick (gpointer data)
{
  query_position (data);
  return G_SOURCE_CONTINUE;
}

static void
update_tick (CdAudioPlayer *self)
{
  if (self->playing && self->tick_id == 0)
    self->tick_id = g_timeout_add (TICK_MS, tick, self);
  else if (!self->playing)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
set_playing (CdAudioPlayer *self,
             gboolean       playing)
{
  set_boolean (self, &self->playing, playing, PROP_PLAYING);
  update_tick (self);
}

static void
fail (CdAudioPlayer *self,
      GError        *error)
{
  g_clear_error (&self->error);
  self->error = error;
  set_playing (self, FALSE);
  push_command (self, COMMAND_STATE, GST_STATE_NULL, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  CdAudioPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        GError *error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("%s: %s (%s)", self->uri, error->message, debug != NULL ? debug : "");
        fail (self, error);
      }
      break;

    case GST_MESSAGE_EOS:
      set_playing (self, FALSE);
      set_boolean (self, &self->ended, TRUE, PROP_ENDED);
      query_duration (self);
      set_position (self, self->duration);
      push_command (self, COMMAND_STATE, GST_STATE_PAUSED, 0);
      break;

    case GST_MESSAGE_ASYNC_DONE:
      if (GST_MESSAGE_SRC (message) != GST_OBJECT (self->pipeline))
        break;
      self->seeking = FALSE;
      query_duration (self);
      if (!self->prepared && self->rate != 1.0)
        push_command (self, COMMAND_SEEK, 0, self->position);
      set_boolean (self, &self->prepared, TRUE, PROP_PREPARED);
      query_position (self);
      break;

    case GST_MESSAGE_BUFFERING:
      {
        int percent = 100;

        /* A slow network pauses the playback rather than stutter; the
         * playing property stays what the user asked. */
        gst_message_parse_buffering (message, &percent);
        if (percent < 100 && !self->buffering)
          {
            self->buffering = TRUE;
            if (self->playing)
              push_command (self, COMMAND_STATE, GST_STATE_PAUSED, 0);
          }
        else if (percent >= 100 && self->buffering)
          {
            self->buffering = FALSE;
            if (self->playing)
              push_command (self, COMMAND_STATE, GST_STATE_PLAYING, 0);
          }
      }
      break;

    case GST_MESSAGE_DURATION_CHANGED:
      query_duration (self);
      break;

    case GST_MESSAGE_APPLICATION:
      if (gst_message_has_name (message, "cd-first-sound") && self->first_sound == 0)
        {
          gst_structure_get_int64 (gst_message_get_structure (message), "time",
                                   &self->first_sound);
          gst_structure_get_int64 (gst_message_get_structure (message), "bytes",
                                   &self->first_sound_bytes);
          g_signal_emit (self, signals[SIGNAL_FIRST_SOUND], 0);
        }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* The pipeline {{{1 */

static GstElement *
make_element (const char  *factory,
              const char  *package,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, CD_AUDIO_PLAYER_ERROR, CD_AUDIO_PLAYER_ERROR_MISSING_PLUGIN,
                 _("The GStreamer element %s is missing (package %s)"), factory, package);
  return element;
}

static GstElement *
make_pipeline (const char    *uri,
               const char    *token,
               GTlsDatabase  *tls_database,
               GError       **error)
{
  g_autoptr(GstElement) playbin = NULL;
  GstElement *sink;
  GstElement *filter;
  g_autoptr(GstPad) pad = NULL;
  SourceSetup *setup;

  if (!gst_init_check (NULL, NULL, error))
    return NULL;
  if ((playbin = make_element ("playbin", "gstreamer1.0-plugins-base", error)) == NULL)
    return NULL;
  gst_object_ref_sink (playbin);
  if ((sink = make_element ("autoaudiosink", "gstreamer1.0-plugins-good", error)) == NULL)
    return NULL;
  g_signal_connect (sink, "element-added", G_CALLBACK (on_sink_child_added), NULL);
  if ((filter = make_element ("scaletempo", "gstreamer1.0-plugins-good", error)) == NULL)
    {
      gst_object_unref (gst_object_ref_sink (sink));
      return NULL;
    }
  g_object_set (playbin, "uri", uri, "audio-sink", sink, "audio-filter", filter, NULL);
  gst_util_set_object_arg (G_OBJECT (playbin), "flags", "audio+soft-volume");

  setup = g_atomic_rc_box_new0 (SourceSetup);
  setup->token = g_strdup (token);
  setup->tls_database = tls_database != NULL ? g_object_ref (tls_database) : NULL;
  pad = gst_element_get_static_pad (sink, "sink");
  if (pad != NULL)
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                       on_first_buffer, g_atomic_rc_box_acquire (setup), source_setup_release);
  g_signal_connect_data (playbin, "source-setup", G_CALLBACK (on_source_setup), setup,
                         source_setup_release_closure, 0);
  return g_steal_pointer (&playbin);
}

/* Public {{{1 */

CdAudioPlayer *
cd_audio_player_new (void)
{
  return g_object_new (CD_TYPE_AUDIO_PLAYER, NULL);
}

/**
 * cd_audio_player_open:
 * @self: the player
 * @uri: the recording's address (http or https)
 * @token: (nullable): the session's bearer token
 * @tls_database: (nullable): the certificates the client trusts
 *
 * Starts fetching @uri and prepares it (paused at the start); what was
 * open before is closed. The speed chosen stays.
 */
void
cd_audio_player_open (CdAudioPlayer *self,
                      const char    *uri,
                      const char    *token,
                      GTlsDatabase  *tls_database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;

  g_return_if_fail (CD_IS_AUDIO_PLAYER (self));
  g_return_if_fail (uri != NULL);

  cd_audio_player_close (self);
  self->uri = g_strdup (uri);
  self->pipeline = make_pipeline (uri, token, tls_database, &error);
  if (self->pipeline == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  push_command (self, COMMAND_STATE, GST_STATE_PAUSED, 0);
}

/**
 * cd_audio_player_close:
 * @self: the player
 *
 * Stops and forgets the recording: nothing of it is kept.
 */
void
cd_audio_player_close (CdAudioPlayer *self)
{
  GObject *object = G_OBJECT (self);

  g_return_if_fail (CD_IS_AUDIO_PLAYER (self));

  g_object_freeze_notify (object);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->pipeline != NULL)
    {
      push_command (self, COMMAND_STATE, GST_STATE_NULL, 0);
      gst_clear_object (&self->pipeline);
    }
  g_clear_pointer (&self->uri, g_free);
  set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
  set_boolean (self, &self->prepared, FALSE, PROP_PREPARED);
  set_boolean (self, &self->ended, FALSE, PROP_ENDED);
  self->seeking = FALSE;
  self->buffering = FALSE;
  self->first_sound = 0;
  self->first_sound_bytes = 0;
  set_position (self, 0);
  if (self->duration != 0)
    {
      self->duration = 0;
      g_object_notify_by_pspec (object, properties[PROP_DURATION]);
    }
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (object, properties[PROP_ERROR]);
    }
  g_object_thaw_notify (object);
}

const char *
cd_audio_player_get_uri (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), NULL);
  return self->uri;
}

/* Plays from where it is, from the start once it has ended. */
void
cd_audio_player_play (CdAudioPlayer *self)
{
  g_return_if_fail (CD_IS_AUDIO_PLAYER (self));

  if (self->pipeline == NULL || self->error != NULL || self->playing)
    return;
  if (self->ended)
    cd_audio_player_seek (self, 0);
  if (!self->buffering)
    push_command (self, COMMAND_STATE, GST_STATE_PLAYING, 0);
  set_playing (self, TRUE);
}

void
cd_audio_player_pause (CdAudioPlayer *self)
{
  g_return_if_fail (CD_IS_AUDIO_PLAYER (self));

  if (self->pipeline == NULL || !self->playing)
    return;
  push_command (self, COMMAND_STATE, GST_STATE_PAUSED, 0);
  set_playing (self, FALSE);
  query_position (self);
}

/**
 * cd_audio_player_seek:
 * @self: the player
 * @position: where to go, in microseconds from the start
 *
 * Goes to @position (within the recording) once prepared, playing on if
 * it was playing. souphttpsrc asks the server for the rest from there, a
 * Range that is not a new listen.
 */
void
cd_audio_player_seek (CdAudioPlayer *self,
                      gint64         position)
{
  g_return_if_fail (CD_IS_AUDIO_PLAYER (self));

  if (self->pipeline == NULL || !self->prepared || self->error != NULL)
    return;
  position = CLAMP (position, 0, MAX (self->duration, 0));
  self->seeking = TRUE;
  push_command (self, COMMAND_SEEK, 0, position);
  set_boolean (self, &self->ended, FALSE, PROP_ENDED);
  set_position (self, position);
}

/**
 * cd_audio_player_set_rate:
 * @self: the player
 * @rate: the speed, from 0.75 to 2 (clamped)
 *
 * Plays at @rate from where it is, the voices' pitch kept.
 */
void
cd_audio_player_set_rate (CdAudioPlayer *self,
                          double         rate)
{
  g_return_if_fail (CD_IS_AUDIO_PLAYER (self));

  rate = CLAMP (rate, CD_AUDIO_PLAYER_MIN_RATE, CD_AUDIO_PLAYER_MAX_RATE);
  if (G_APPROX_VALUE (rate, self->rate, 0.001))
    return;
  self->rate = rate;
  if (self->prepared && self->error == NULL && !self->ended)
    {
      query_position (self);
      self->seeking = TRUE;
      push_command (self, COMMAND_SEEK, 0, self->position);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

gboolean
cd_audio_player_get_playing (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), FALSE);
  return self->playing;
}

gboolean
cd_audio_player_get_prepared (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), FALSE);
  return self->prepared;
}

gboolean
cd_audio_player_get_ended (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), FALSE);
  return self->ended;
}

/* Returns: the position in microseconds */
gint64
cd_audio_player_get_position (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), 0);
  return self->position;
}

/* Returns: the duration in microseconds, 0 until known */
gint64
cd_audio_player_get_duration (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), 0);
  return self->duration;
}

double
cd_audio_player_get_rate (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), 1.0);
  return self->rate;
}

const GError *
cd_audio_player_get_error (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), NULL);
  return self->error;
}

/* Returns: when (g_get_monotonic_time()) the first buffer of what is open
 *   reached the audio sink, 0 until it has */
gint64
cd_audio_player_get_first_sound (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), 0);
  return self->first_sound;
}

/* Returns: how many bytes of the recording had been fetched when its
 *   first buffer reached the audio sink (less than the whole: it streams) */
gint64
cd_audio_player_get_first_sound_bytes (CdAudioPlayer *self)
{
  g_return_val_if_fail (CD_IS_AUDIO_PLAYER (self), 0);
  return self->first_sound_bytes;
}

/* GObject {{{1 */

static void
cd_audio_player_dispose (GObject *object)
{
  CdAudioPlayer *self = CD_AUDIO_PLAYER (object);

  cd_audio_player_close (self);
  /* The worker ends once the pipeline is stopped, without the main thread
   * waiting for it. */
  if (self->worker != NULL)
    g_thread_pool_free (g_steal_pointer (&self->worker), FALSE, FALSE);

  G_OBJECT_CLASS (cd_audio_player_parent_class)->dispose (object);
}

static void
cd_audio_player_finalize (GObject *object)
{
  CdAudioPlayer *self = CD_AUDIO_PLAYER (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (cd_audio_player_parent_class)->finalize (object);
}

static void
cd_audio_player_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CdAudioPlayer *self = CD_AUDIO_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_PREPARED:
      g_value_set_boolean (value, self->prepared);
      break;
    case PROP_ENDED:
      g_value_set_boolean (value, self->ended);
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_DURATION:
      g_value_set_int64 (value, self->duration);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_audio_player_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CdAudioPlayer *self = CD_AUDIO_PLAYER (object);

  switch (prop_id)
    {
    case PROP_PLAYING:
      if (g_value_get_boolean (value))
        cd_audio_player_play (self);
      else
        cd_audio_player_pause (self);
      break;
    case PROP_RATE:
      cd_audio_player_set_rate (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_audio_player_class_init (CdAudioPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cd_audio_player_dispose;
  object_class->finalize = cd_audio_player_finalize;
  object_class->get_property = cd_audio_player_get_property;
  object_class->set_property = cd_audio_player_set_property;

  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, rw);
  properties[PROP_PREPARED] = g_param_spec_boolean ("prepared", NULL, NULL, FALSE, ro);
  properties[PROP_ENDED] = g_param_spec_boolean ("ended", NULL, NULL, FALSE, ro);
  properties[PROP_POSITION] = g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DURATION] = g_param_spec_int64 ("duration", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, CD_AUDIO_PLAYER_MIN_RATE,
                                               CD_AUDIO_PLAYER_MAX_RATE, 1.0, rw);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CdAudioPlayer::first-sound:
   *
   * The first buffer of the recording reached the audio sink
   * (cd_audio_player_get_first_sound() says when).
   */
  signals[SIGNAL_FIRST_SOUND] = g_signal_new ("first-sound", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 0);
}

static void
cd_audio_player_init (CdAudioPlayer *self)
{
  self->rate = 1.0;
  /* One thread, so that the commands run in the order given. */
  self->worker = g_thread_pool_new (run_command, NULL, 1, FALSE, NULL);
}
