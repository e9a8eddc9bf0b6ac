// SPDX-License-Identifier: GPL-3.0-or-later
//
// Residents the feedback department must call back before a ticket may close.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-callbacks-page.h"

struct _CdCallbacksPage
{
  CdPage parent_instance;
};

G_DEFINE_FINAL_TYPE (CdCallbacksPage, cd_callbacks_page, CD_TYPE_PAGE)

static void
cd_callbacks_page_class_init (CdCallbacksPageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);

  page_class->title = N_("Callbacks");
  page_class->icon_name = "call-start-symbolic";
  page_class->help_section = "callbacks";
  page_class->empty_title = N_("No Callbacks Due");
  page_class->empty_description = N_(
      "Residents to call back before their tickets may close appear here once the server plans "
      "feedback calls for resolved tickets.");
}

static void
cd_callbacks_page_init (CdCallbacksPage *self)
{
}
