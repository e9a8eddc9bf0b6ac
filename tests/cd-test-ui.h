// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-test-ui.h: what the ui tests share: their start (catalogue, a home
 * of their own, the display, the app), logging in, opening a dashboard,
 * finding widgets, waiting for a painted window, screenshots */
#pragma once

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <gtk/gtk.h>

#include "cd-application.h"
#include "cd-test.h"
#include "cd-window.h"

static inline void
cd_test_find_into (GtkWidget *widget,
                   GType      type,
                   GPtrArray *found)
{
  if (g_type_is_a (G_OBJECT_TYPE (widget), type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cd_test_find_into (child, type, found);
}

/* Every widget of @type under @root, @root included. */
static inline GPtrArray *
cd_test_find (GtkWidget *root,
              GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  cd_test_find_into (root, type, found);
  return found;
}

/* The one widget of @type under @root; fails the test if there is not
 * exactly one. */
static inline gpointer
cd_test_find_one (GtkWidget *root,
                  GType      type)
{
  g_autoptr(GPtrArray) found = cd_test_find (root, type);

  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

static inline gboolean
cd_test_set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static inline void
cd_test_count_frame (GdkFrameClock *clock,
                     guint         *frames)
{
  (*frames)++;
}

/* Iterates until the window has painted twice, so that layout and styles
 * have settled. */
static inline void
cd_test_wait_painted (GtkWidget *window)
{
  gboolean timed_out = FALSE;
  guint frames = 0;
  guint timeout_id = g_timeout_add_seconds (20, cd_test_set_flag, &timed_out);
  GdkFrameClock *clock;
  gulong handler;

  while (!gtk_widget_get_mapped (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);

  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (cd_test_count_frame), &frames);
  while (frames < 2 && !timed_out)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
}

/* Renders @widget into NAME in the build directory, where people look,
 * and also into CITYDESK_SCREENSHOT_DIR when it is set. */
static inline void
cd_test_save_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  const char *copy_dir;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);

  /* A blank image would pass the save: check that something was drawn. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (width, >, 300);

  copy_dir = g_getenv ("CITYDESK_SCREENSHOT_DIR");
  if (copy_dir != NULL && *copy_dir != '\0')
    {
      g_autofree char *copy = g_build_filename (copy_dir, name, NULL);

      g_assert_true (gdk_texture_save_to_png (texture, copy));
      g_test_message ("screenshot copied: %s", copy);
    }
}

/* A home of its own, so that nothing of the user's leaks in or out. Unlike
 * G_TEST_OPTION_ISOLATE_DIRS this keeps XDG_DATA_DIRS: the window needs the
 * system's icon theme and fonts to look as it does for users. */
static inline char *
cd_test_isolate_home (void)
{
  g_autoptr(GError) error = NULL;
  char *home = g_dir_make_tmp ("citydesk-ui-XXXXXX", &error);
  static const struct {
    const char *variable;
    const char *subdir;
  } dirs[] = {
    { "HOME", "" },
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_STATE_HOME", ".local/state" },
    { "XDG_CACHE_HOME", ".cache" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (home, dirs[i].subdir, NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i].variable, path, TRUE);
    }
  return home;
}

/* Fails naming every label on screen under @root whose text is cut with
 * an ellipsis. A label that gives way by design carries its whole text in
 * a tooltip, and is let through. */
static inline void
cd_test_assert_nothing_cut (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = cd_test_find (root, GTK_TYPE_LABEL);
  g_autoptr(GString) cut = g_string_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      const char *text = gtk_label_get_text (label);
      const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (label));

      if (!gtk_widget_is_drawable (GTK_WIDGET (label))
          || gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE
          || !pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        continue;
      if (tooltip != NULL && strstr (tooltip, text) != NULL)
        continue;
      g_string_append_printf (cut, " «%s» (%s in %s, %d px)", text,
                              G_OBJECT_TYPE_NAME (label),
                              G_OBJECT_TYPE_NAME (gtk_widget_get_parent (GTK_WIDGET (label))),
                              gtk_widget_get_width (GTK_WIDGET (label)));
    }
  if (cut->len > 0)
    g_test_message ("cut off:%s", cut->str);
  g_assert_cmpstr (cut->str, ==, "");
}

/* Fails when a label under @root that wraps breaks a line inside a word
 * («Пратэрмінаван-ыя»): each line but the first must start after a space,
 * or after a hyphen the text itself holds; and no line may be wider than
 * the label, as a word that does not fit would be. */
static inline void
cd_test_assert_words_whole (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = cd_test_find (root, GTK_TYPE_LABEL);
  g_autoptr(GString) broken = g_string_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      PangoLayout *layout;
      const char *text;

      if (!gtk_widget_is_drawable (GTK_WIDGET (label)) || !gtk_label_get_wrap (label))
        continue;
      layout = gtk_label_get_layout (label);
      text = pango_layout_get_text (layout);
      for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;
          PangoRectangle logical;
          const char *before;
          gunichar c;

          pango_layout_line_get_pixel_extents (line, NULL, &logical);
          if (logical.width > gtk_widget_get_width (GTK_WIDGET (label)))
            g_string_append_printf (broken, " «%s» wider than its %d px (%d px)", text,
                                    gtk_widget_get_width (GTK_WIDGET (label)), logical.width);
          if (line->start_index == 0)
            continue;
          before = g_utf8_find_prev_char (text, text + line->start_index);
          c = before != NULL ? g_utf8_get_char (before) : ' ';
          if (!g_unichar_isspace (c) && c != '-' && c != 0x2010)
            g_string_append_printf (broken, " «%s» at byte %d (%d px)", text, line->start_index,
                                    gtk_widget_get_width (GTK_WIDGET (label)));
        }
    }
  if (broken->len > 0)
    g_test_message ("broken inside a word:%s", broken->str);
  g_assert_cmpstr (broken->str, ==, "");
}

/* Fails unless every column of @view fits the width its scrolled window
 * shows: a column past the right edge is cut off, whatever its labels say. */
static inline void
cd_test_assert_columns_fit (GtkColumnView *view)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GPtrArray) titles = NULL;
  graphene_rect_t bounds[16];
  int minimum;

  g_assert_nonnull (scrolled);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (view)));
  gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_test_message ("columns need %d px, the view shows %d", minimum,
                  gtk_widget_get_width (scrolled));

  /* The headers are the columns' widths: each within the view. */
  titles = cd_test_find (GTK_WIDGET (view), g_type_from_name ("GtkColumnViewTitle"));
  g_assert_cmpuint (titles->len, >, 0);
  for (guint i = 0; i < titles->len; i++)
    {
      GtkWidget *title = g_ptr_array_index (titles, i);
      GtkLabel *label = cd_test_find_one (title, GTK_TYPE_LABEL);
      int header;

      g_assert_true (
          gtk_widget_compute_bounds (title, scrolled, &bounds[i % G_N_ELEMENTS (bounds)]));
      gtk_widget_measure (title, GTK_ORIENTATION_HORIZONTAL, -1, &header, NULL, NULL, NULL);
      g_test_message ("column «%s»: %.0f px from %.0f, its header at least %d",
                      gtk_label_get_text (label), bounds[i % G_N_ELEMENTS (bounds)].size.width,
                      bounds[i % G_N_ELEMENTS (bounds)].origin.x, header);
    }
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (scrolled));
  for (guint i = 0; i < titles->len && i < G_N_ELEMENTS (bounds); i++)
    g_assert_cmpfloat (bounds[i].origin.x + bounds[i].size.width, <=,
                       gtk_widget_get_width (scrolled));
}

static inline GLogWriterOutput
cd_test_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0
        && g_str_has_prefix (fields[i].value, "Whoever translated default:LTR"))
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* Debian 12's Belarusian catalogue of GTK itself translates the text
 * direction, which GTK warns about (harmlessly: it falls back to left to
 * right); the tests make warnings fatal, so that one is let through. Call
 * before GTK starts. */
static inline void
cd_test_allow_gtk_catalogue_warnings (void)
{
  g_log_set_writer_func (cd_test_log_writer, NULL, NULL);
}

/* Runs citydeskctl (CITYDESK_CTL) to make a test's data, which must
 * succeed; logs what it printed. Returns its output without the spaces
 * around it, e.g. the number of a ticket it registered. */
static inline char *
cd_test_ui_ctl (const char *first,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *ctl = g_getenv ("CITYDESK_CTL");
  va_list args;

  if (ctl == NULL)
    g_error ("CITYDESK_CTL is not set; run the tests through meson");
  g_ptr_array_add (argv, (char *) ctl);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                            &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("citydeskctl %s: %s%s", first, out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return g_strstrip (g_steal_pointer (&out));
}

/* The start of a ui test's main(): the catalogue the build made (the
 * translated runs set CITYDESK_TEST_LOCALEDIR), cd_test_init(), a home of
 * its own in *@home. Without a display it skips the test and returns
 * FALSE: main() then returns g_test_run(). */
static inline gboolean
cd_test_ui_init (int    *argc,
                 char ***argv,
                 char  **home)
{
  const char *localedir = g_getenv ("CITYDESK_TEST_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  cd_test_init (argc, argv, NULL);
  *home = cd_test_isolate_home ();

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_skip ("No display: run the ui suite under xvfb-run");
      return FALSE;
    }
  return TRUE;
}

/* The app, registered but not run: the tests open its windows
 * themselves. Not unique, so that a Citydesk the user runs is not the one
 * tested. */
static inline CdApplication *
cd_test_ui_new_app (void)
{
  CdApplication *app;

  cd_test_allow_gtk_catalogue_warnings ();
  app = cd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  return app;
}

static inline gboolean
cd_test_ui_session_synced (gpointer data)
{
  CdSession *session = data;
  CdSync *sync = cd_session_get_sync (session);

  return cd_session_get_state (session) == CD_CONNECTION_STATE_ONLINE && sync != NULL &&
         !cd_sync_get_first_sync (sync);
}

/* Logs @app in to the server at @url and waits for the first sync to end:
 * before, the dashboards show its progress rather than their figures. */
static inline void
cd_test_ui_log_in (CdApplication *app,
                   const char    *url,
                   const char    *user,
                   const char    *password)
{
  CdSession *session = cd_application_get_session (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cd_session_connect_async (session, url, user, password, NULL, cd_test_store_result, &result);
  cd_test_wait_for (cd_test_result_ready, &result, "the app to log in");
  g_assert_true (cd_session_connect_finish (session, result, &error));
  g_assert_no_error (error);
  cd_test_wait_for (cd_test_ui_session_synced, session, "the first sync");
}

/* A new window of @app, @width × @height as the screenshots show it, open
 * on the dashboard @name (as the window remembers its last page) and
 * painted; the dashboard, of @page_type, in *@page. The page may still be
 * reading: each test waits for what it needs shown. */
static inline CdWindow *
cd_test_ui_open_dashboard (CdApplication *app,
                           const char    *name,
                           int            width,
                           int            height,
                           GType          page_type,
                           gpointer       page)
{
  GSettings *settings = cd_application_get_settings (app);
  CdWindow *window;

  g_settings_set_string (settings, "last-page", name);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  window = cd_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  cd_test_wait_painted (GTK_WIDGET (window));
  *(gpointer *) page = cd_test_find_one (GTK_WIDGET (window), page_type);
  return window;
}

/* "@stem-LANGUAGE.png": the translated runs keep their own screenshots. */
static inline char *
cd_test_ui_screenshot_name (const char *stem)
{
  const char *language = g_getenv ("LANGUAGE");

  if (language == NULL || *language == '\0')
    language = "en";
  return g_strdup_printf ("%s-%s.png", stem, language);
}
