// SPDX-License-Identifier: GPL-3.0-or-later
//
// The player of a call's recording (the template cd-call-player.ui): the
// waveform of both sides with the playhead, play and pause, the time, the
// speed, "Next Silence" and a status line. It streams the recording from
// the server of the session it is given (CdAudioPlayer); the page around
// it keeps the call's facts, the comments and the form.
//
// The stream opens on the first play or seek, not when a call is chosen:
// the server journals a listen when the audio is asked for (personal
// data), and glancing at a call's facts and waveform is not listening.
//
// Keys, while the focus is in the player or the page hands them over
// (help/C/call-recordings.page): Space plays or pauses, Left and Right go
// 5 s back or on, with Shift 1 s, Home goes to the start, N to the next
// silence, [ and ] slow down and speed up.

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cd-call-player.h"
#include "cd-client.h"
#include "cd-waveform-view.h"

#define STEP_US (5 * G_USEC_PER_SEC)
#define FINE_STEP_US (1 * G_USEC_PER_SEC)
/* Past the silence the playhead is in, to find the next one. */
#define SILENCE_AFTER_MS 50

static const double speeds[] = { 0.75, 1.0, 1.25, 1.5, 2.0 };
#define NORMAL_SPEED 1

struct _CdCallPlayer
{
  GtkWidget       parent_instance;

  GtkLabel       *status;
  CdWaveformView *waveform;
  GtkButton      *play_button;
  GtkLabel       *time_label;
  GtkButton      *silence_button;
  GtkDropDown    *speed_choice;
  GtkStringList  *speed_names;

  CdAudioPlayer  *audio;
  char           *call;
  /* Where the recording is, until the stream opens. */
  char           *uri;
  char           *token;
  GTlsDatabase   *tls_database;
  /* A seek asked for before the stream was prepared, or -1. */
  gint64          pending_seek;
};

G_DEFINE_FINAL_TYPE (CdCallPlayer, cd_call_player, GTK_TYPE_WIDGET)

static char *
format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* Where the playhead is, or will be once the stream is prepared. */
static gint64
get_position (CdCallPlayer *self)
{
  if (self->pending_seek >= 0)
    return self->pending_seek;
  return cd_audio_player_get_position (self->audio);
}

static void
update_controls (CdCallPlayer *self)
{
  gboolean ready = self->uri != NULL && cd_audio_player_get_error (self->audio) == NULL;
  gboolean playing = cd_audio_player_get_playing (self->audio);
  gint64 position = get_position (self);
  gint64 duration = cd_audio_player_get_duration (self->audio);
  g_autofree char *at = NULL;
  g_autofree char *length = NULL;
  g_autofree char *time = NULL;

  /* Before the stream opens, the analysis knows how long the call is. */
  if (duration <= 0)
    duration = cd_waveform_view_get_duration (self->waveform) * 1000;
  at = format_duration (position / G_USEC_PER_SEC);
  length = format_duration (duration / G_USEC_PER_SEC);
  time = g_strdup_printf ("%s / %s", at, length);

  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->silence_button), ready);
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause (Space)") : _("Play (Space)"));
  gtk_label_set_text (self->time_label, time);
  cd_waveform_view_set_position (self->waveform, position / 1000);
}

/* Opens the stream if it is not yet: the first play or seek. */
static gboolean
ensure_open (CdCallPlayer *self)
{
  if (self->uri == NULL)
    return FALSE;
  if (cd_audio_player_get_uri (self->audio) == NULL)
    {
      cd_call_player_set_status (self, _("Fetching the recording…"));
      cd_audio_player_open (self->audio, self->uri, self->token, self->tls_database);
    }
  return TRUE;
}

static void
seek_to (CdCallPlayer *self,
         gint64        us)
{
  if (!ensure_open (self))
    return;
  if (cd_audio_player_get_prepared (self->audio))
    cd_audio_player_seek (self->audio, us);
  else
    self->pending_seek = MAX (us, 0);
}

static void
on_prepared (CdCallPlayer *self)
{
  if (cd_audio_player_get_prepared (self->audio) && cd_audio_player_get_error (self->audio) == NULL)
    {
      cd_call_player_set_status (self, NULL);
      if (self->pending_seek >= 0)
        cd_audio_player_seek (self->audio, self->pending_seek);
    }
  self->pending_seek = -1;
  update_controls (self);
}

static void
on_error (CdCallPlayer *self)
{
  const GError *error = cd_audio_player_get_error (self->audio);
  g_autofree char *text = NULL;

  update_controls (self);
  if (error == NULL)
    return;
  text = g_strdup_printf (_("The recording cannot be played: %s"), error->message);
  cd_call_player_set_status (self, text);
}

static void
on_rate (CdCallPlayer *self)
{
  double rate = cd_audio_player_get_rate (self->audio);

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (G_APPROX_VALUE (speeds[i], rate, 0.001) &&
        gtk_drop_down_get_selected (self->speed_choice) != i)
      gtk_drop_down_set_selected (self->speed_choice, i);
}

static void
on_speed_chosen (CdCallPlayer *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_choice);

  if (selected < G_N_ELEMENTS (speeds))
    cd_audio_player_set_rate (self->audio, speeds[selected]);
}

static void
change_speed (CdCallPlayer *self,
              int           delta)
{
  int selected = (int) gtk_drop_down_get_selected (self->speed_choice) + delta;

  if (selected < 0 || selected >= (int) G_N_ELEMENTS (speeds))
    gtk_widget_error_bell (GTK_WIDGET (self));
  else
    gtk_drop_down_set_selected (self->speed_choice, selected);
}

static void
toggle_play (CdCallPlayer *self)
{
  if (!ensure_open (self))
    return;
  if (cd_audio_player_get_playing (self->audio))
    cd_audio_player_pause (self->audio);
  else
    cd_audio_player_play (self->audio);
}

static void
step (CdCallPlayer *self,
      gint64        delta_us)
{
  seek_to (self, get_position (self) + delta_us);
}

static void
next_silence (CdCallPlayer *self)
{
  gint64 at = get_position (self) / 1000;
  gint64 next = cd_waveform_view_next_silence (self->waveform, at + SILENCE_AFTER_MS);

  if (next >= 0 && self->uri != NULL)
    seek_to (self, next * 1000);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
on_waveform_seek (CdWaveformView *view,
                  gint64          ms,
                  CdCallPlayer   *self)
{
  /* "Click the waveform to play from there". */
  seek_to (self, ms * 1000);
  if (self->uri != NULL && !cd_audio_player_get_playing (self->audio))
    cd_audio_player_play (self->audio);
}

static gboolean
on_key (GtkEventControllerKey *controller,
        guint                  keyval,
        guint                  keycode,
        GdkModifierType        state,
        CdCallPlayer          *self)
{
  return cd_call_player_handle_key (self, keyval, state);
}

/* Closes the stream and forgets the call and where its recording is. */
static void
forget (CdCallPlayer *self)
{
  g_clear_pointer (&self->call, g_free);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->tls_database);
  self->pending_seek = -1;
  cd_audio_player_close (self->audio);
}

/* Public {{{1 */

GtkWidget *
cd_call_player_new (void)
{
  return g_object_new (CD_TYPE_CALL_PLAYER, NULL);
}

/**
 * cd_call_player_load:
 * @self: the player
 * @session: the session whose server has the recording
 * @call: the call's id
 *
 * Readies @call's recording to stream from the server (with the session's
 * token and the client's TLS trust) on the first play or seek, over the
 * analysis set before or after. Nothing is written to the disk.
 */
void
cd_call_player_load (CdCallPlayer *self,
                     CdSession    *session,
                     const char   *call)
{
  CdClient *client;
  SoupSession *soup;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (CD_IS_CALL_PLAYER (self));
  g_return_if_fail (CD_IS_SESSION (session));
  g_return_if_fail (call != NULL);

  /* The analysis may have come first: it stays. */
  forget (self);
  client = cd_session_get_client (session);
  if (client == NULL)
    {
      update_controls (self);
      return;
    }
  self->call = g_strdup (call);
  soup = cd_client_get_session (client);
  escaped = g_uri_escape_string (call, NULL, FALSE);
  self->uri = g_strdup_printf ("%s/api/v1/recordings/%s/audio",
                               cd_client_get_server_url (client), escaped);
  self->token = g_strdup (cd_client_get_token (client));
  if (soup != NULL && soup_session_get_tls_database (soup) != NULL)
    self->tls_database = g_object_ref (soup_session_get_tls_database (soup));
  cd_call_player_set_status (self, NULL);
  update_controls (self);
}

/**
 * cd_call_player_play:
 * @self: the player
 *
 * Plays the loaded recording, opening its stream if it is not yet (a
 * complaint's "Play the Recording").
 */
void
cd_call_player_play (CdCallPlayer *self)
{
  g_return_if_fail (CD_IS_CALL_PLAYER (self));
  if (ensure_open (self) && !cd_audio_player_get_playing (self->audio))
    cd_audio_player_play (self->audio);
}

/* Stops and forgets the recording and its analysis. */
void
cd_call_player_clear (CdCallPlayer *self)
{
  g_return_if_fail (CD_IS_CALL_PLAYER (self));

  forget (self);
  cd_waveform_view_set_analysis (self->waveform, NULL);
  cd_call_player_set_status (self, NULL);
  update_controls (self);
}

/* Draws the sides, silences and overtalk of the call's analysis. */
void
cd_call_player_set_analysis (CdCallPlayer *self,
                             JsonObject   *analysis)
{
  g_return_if_fail (CD_IS_CALL_PLAYER (self));
  cd_waveform_view_set_analysis (self->waveform, analysis);
}

void
cd_call_player_set_status (CdCallPlayer *self,
                           const char   *text)
{
  g_return_if_fail (CD_IS_CALL_PLAYER (self));
  gtk_label_set_text (self->status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL && *text != '\0');
}

const char *
cd_call_player_get_status (CdCallPlayer *self)
{
  g_return_val_if_fail (CD_IS_CALL_PLAYER (self), NULL);
  return gtk_label_get_text (self->status);
}

/* Returns: where the playhead is, in milliseconds */
gint64
cd_call_player_get_position_ms (CdCallPlayer *self)
{
  g_return_val_if_fail (CD_IS_CALL_PLAYER (self), 0);
  return get_position (self) / 1000;
}

/**
 * cd_call_player_handle_key:
 * @self: the player
 * @keyval: the key pressed
 * @state: the modifiers held
 *
 * Does what a player's key does (see the file's comment), so that a page
 * can hand the player the keys pressed around it.
 *
 * Returns: whether the key was the player's
 */
gboolean
cd_call_player_handle_key (CdCallPlayer    *self,
                           guint            keyval,
                           GdkModifierType  state)
{
  gboolean fine = (state & GDK_SHIFT_MASK) != 0;

  g_return_val_if_fail (CD_IS_CALL_PLAYER (self), FALSE);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_space:
      toggle_play (self);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step (self, fine ? -FINE_STEP_US : -STEP_US);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step (self, fine ? FINE_STEP_US : STEP_US);
      return TRUE;
    case GDK_KEY_Home:
      seek_to (self, 0);
      return TRUE;
    case GDK_KEY_n:
    case GDK_KEY_N:
      next_silence (self);
      return TRUE;
    case GDK_KEY_bracketleft:
      change_speed (self, -1);
      return TRUE;
    case GDK_KEY_bracketright:
      change_speed (self, 1);
      return TRUE;
    default:
      return FALSE;
    }
}

CdAudioPlayer *
cd_call_player_get_audio (CdCallPlayer *self)
{
  g_return_val_if_fail (CD_IS_CALL_PLAYER (self), NULL);
  return self->audio;
}

/* GObject {{{1 */

static gboolean
cd_call_player_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (CD_CALL_PLAYER (widget)->waveform));
}

static void
cd_call_player_dispose (GObject *object)
{
  CdCallPlayer *self = CD_CALL_PLAYER (object);
  GtkWidget *child;

  if (self->audio != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->audio, self);
      forget (self);
      g_clear_object (&self->audio);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_CALL_PLAYER);
  /* A widget of its own layout owns its children, bound or not. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cd_call_player_parent_class)->dispose (object);
}

static void
cd_call_player_class_init (CdCallPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_call_player_dispose;
  widget_class->grab_focus = cd_call_player_grab_focus;

  g_type_ensure (CD_TYPE_WAVEFORM_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/citydesk/Citydesk/ui/cd-call-player.ui");
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, status);
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, waveform);
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, play_button);
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, time_label);
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, silence_button);
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, speed_choice);
  gtk_widget_class_bind_template_child (widget_class, CdCallPlayer, speed_names);
  gtk_widget_class_bind_template_callback (widget_class, on_key);
  gtk_widget_class_bind_template_callback (widget_class, on_waveform_seek);
  gtk_widget_class_bind_template_callback (widget_class, toggle_play);
  gtk_widget_class_bind_template_callback (widget_class, next_silence);
  gtk_widget_class_bind_template_callback (widget_class, on_speed_chosen);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "callplayer");
}

static void
cd_call_player_init (CdCallPlayer *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);

  /* The speeds in the locale's numbers ("1,5×"), so no translation. */
  g_signal_handlers_block_by_func (self->speed_choice, on_speed_chosen, self);
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *name = g_strdup_printf ("%g×", speeds[i]);

      gtk_string_list_append (self->speed_names, name);
    }
  gtk_drop_down_set_selected (self->speed_choice, NORMAL_SPEED);
  g_signal_handlers_unblock_by_func (self->speed_choice, on_speed_chosen, self);

  self->pending_seek = -1;
  self->audio = cd_audio_player_new ();
  g_signal_connect_swapped (self->audio, "notify::position", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->audio, "notify::duration", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->audio, "notify::playing", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->audio, "notify::prepared", G_CALLBACK (on_prepared), self);
  g_signal_connect_swapped (self->audio, "notify::error", G_CALLBACK (on_error), self);
  g_signal_connect_swapped (self->audio, "notify::rate", G_CALLBACK (on_rate), self);
  update_controls (self);
}
