// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "cd-context.h"
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
 * @refresh: reads the dashboard's data again (F5, the page shown)
 *
 * A dashboard: its identity is class data, set in the subclass's
 * class_init, so that the sidebar, the header and the help agree. The
 * page is a template; its data comes from a #CdSource that the page makes
 * from its #CdPage:context.
 */
struct _CdPageClass
{
  GtkWidgetClass parent_class;

  const char *title;
  const char *icon_name;
  const char *help_section;
  const char *empty_title;
  const char *empty_description;

  void (*refresh) (CdPage *self);
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

G_END_DECLS
