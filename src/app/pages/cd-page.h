// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"
#include "cd-source.h"
#include "cd-store.h"

G_BEGIN_DECLS

#define CD_TYPE_PAGE (cd_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (CdPage, cd_page, CD, PAGE, GtkWidget)

/**
 * CdPageClass:
 * @title: the dashboard's name (untranslated, marked with N_())
 * @icon_name: its symbolic icon
 * @help_section: the page of the user help that explains it
 * @empty_title: the title of the state shown when the cache holds nothing
 *   for this dashboard
 * @empty_description: what will appear there, and when; it must be true
 *   while connected
 * @refresh: reads the dashboard's data again (F5, the page shown); by
 *   default, refreshes the source
 * @make_source: a new source for @context, set up and connected to the
 *   page (g_signal_connect_object() with the page as data); the page keeps
 *   it, disconnects and drops it when the context changes, and refreshes it
 * @action_sent: the server accepted an action the page queued with
 *   cd_page_send_action(); @key is the one the page gave then
 * @action_refused: the server refused such an action, for @message (its
 *   own words, to show the person who acted)
 *
 * A dashboard: its identity is class data, set in the subclass's
 * class_init, so that the sidebar, the header and the help agree. The
 * page is a template; its data comes from a #CdSource that the page makes
 * from its #CdPage:context.
 *
 * The page follows its context's session's #CdSync (the session makes
 * another at each login), and tells a subclass only of the outcome of the
 * actions that the subclass itself queued.
 */
struct _CdPageClass
{
  GtkWidgetClass parent_class;

  const char *title;
  const char *icon_name;
  const char *help_section;
  const char *empty_title;
  const char *empty_description;

  void (*refresh)        (CdPage     *self);
  CdSource *(*make_source) (CdPage    *self,
                            CdContext *context);
  void (*action_sent)    (CdPage     *self,
                          gint64      id,
                          const char *key);
  void (*action_refused) (CdPage     *self,
                          gint64      id,
                          const char *key,
                          const char *message);
};

const char *cd_page_get_title          (CdPage  *self);
const char *cd_page_get_icon_name      (CdPage  *self);
const char *cd_page_get_help_section   (CdPage  *self);
guint       cd_page_get_badge          (CdPage  *self);
void        cd_page_set_badge          (CdPage  *self,
                                        guint    badge);
gboolean    cd_page_get_search_mode    (CdPage  *self);
void        cd_page_set_search_mode    (CdPage  *self,
                                        gboolean search_mode);
void        cd_page_start_search       (CdPage  *self);
CdContext  *cd_page_get_context        (CdPage    *self);
void        cd_page_set_context        (CdPage    *self,
                                        CdContext *context);
CdStore    *cd_page_get_store          (CdPage  *self);
void        cd_page_refresh            (CdPage  *self);
void        cd_page_set_content        (CdPage    *self,
                                        GtkWidget *content);
void        cd_page_set_empty          (CdPage    *self,
                                        gboolean   empty);
GtkEditable *cd_page_get_search_entry  (CdPage  *self);
CdSync     *cd_page_get_sync           (CdPage  *self);
CdSource   *cd_page_get_source         (CdPage  *self);
gint64      cd_page_send_action        (CdPage      *self,
                                        const char  *ticket,
                                        CdAction     action,
                                        JsonObject  *fields,
                                        const char  *key,
                                        GError     **error);

G_END_DECLS
