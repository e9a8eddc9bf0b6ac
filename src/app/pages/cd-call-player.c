// SPDX-License-Identifier: GPL-3.0-or-later
//
// The player of a call's recording (the template cd-call-player.ui): the
// waveform of both sides with the playhead, play and pause, the time, the
// speed, "Next Silence" and a status line. It streams the recording from
// the server of the session it is given (CdAudioPlayer); the page around
// it keeps the call's facts, the comments and the form.
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

static void
update_controls (CdCallPlayer *self)
{
  gboolean ready = cd_audio_player_get_prepared (self->audio) &&
                   cd_audio_player_get_error (self->audio) == NULL;
  gboolean playing = cd_audio_player_get_playing (self->audio);
  gint64 position = cd_audio_player_get_position (self->audio);
  gint64 duration = cd_audio_player_get_duration (self->audio);
  g_autofree char *at = format_duration (position / G_USEC_PER_SEC);
  g_autofree char *length = format_duration (duration / G_USEC_PER_SEC);
  g_autofree char *time = g_strdup_printf ("%s / %s", at, length);

  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), ready);
  gtk_widget_set_sensitive (GTK_WIDGET (self->silence_button), ready);
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button),
                               playing ? _("Pause (Space)") : _("Play (Space)"));
  gtk_label_set_text (self->time_label, time);
  cd_waveform_view_set_position (self->waveform, position / 1000);
}

static void
on_prepared (CdCallPlayer *self)
{
  if (cd_audio_player_get_prepared (self->audio) && cd_audio_player_get_error (self->audio) == NULL)
    cd_call_player_set_status (self, NULL);
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
  if (!cd_audio_player_get_prepared (self->audio))
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
  cd_audio_player_seek (self->audio, cd_audio_player_get_position (self->audio) + delta_us);
}

static void
next_silence (CdCallPlayer *self)
{
  gint64 at = cd_audio_player_get_position (self->audio) / 1000;
  gint64 next = cd_waveform_view_next_silence (self->waveform, at + SILENCE_AFTER_MS);

  if (next >= 0 && cd_audio_player_get_prepared (self->audio))
    cd_audio_player_seek (self->audio, next * 1000);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
on_waveform_seek (CdWaveformView *view,
                  gint64          ms,
                  CdCallPlayer   *self)
{
  cd_audio_player_seek (self->audio, ms * 1000);
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
 * Streams @call's recording from the server (with the session's token and
 * the client's TLS trust), prepared at its start, over the analysis set
 * before or after. Nothing is written to the disk.
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
  g_clear_pointer (&self->call, g_free);
  cd_audio_player_close (self->audio);
  client = cd_session_get_client (session);
  if (client == NULL)
    return;
  self->call = g_strdup (call);
  soup = cd_client_get_session (client);
  escaped = g_uri_escape_string (call, NULL, FALSE);
  uri = g_strdup_printf ("%s/api/v1/recordings/%s/audio", cd_client_get_server_url (client),
                         escaped);
  cd_call_player_set_status (self, _("Fetching the recording…"));
  cd_audio_player_open (self->audio, uri, cd_client_get_token (client),
                        soup != NULL ? soup_session_get_tls_database (soup) : NULL);
}

/* Stops and forgets the recording and its analysis. */
void
cd_call_player_clear (CdCallPlayer *self)
{
  g_return_if_fail (CD_IS_CALL_PLAYER (self));

  g_clear_pointer (&self->call, g_free);
  cd_audio_player_close (self->audio);
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
  return cd_audio_player_get_position (self->audio) / 1000;
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
      cd_audio_player_seek (self->audio, 0);
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
      cd_audio_player_close (self->audio);
      g_clear_object (&self->audio);
    }
  g_clear_pointer (&self->call, g_free);
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

  self->audio = cd_audio_player_new ();
  g_signal_connect_swapped (self->audio, "notify::position", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->audio, "notify::duration", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->audio, "notify::playing", G_CALLBACK (update_controls), self);
  g_signal_connect_swapped (self->audio, "notify::prepared", G_CALLBACK (on_prepared), self);
  g_signal_connect_swapped (self->audio, "notify::error", G_CALLBACK (on_error), self);
  g_signal_connect_swapped (self->audio, "notify::rate", G_CALLBACK (on_rate), self);
  update_controls (self);
}
