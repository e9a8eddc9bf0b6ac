// SPDX-License-Identifier: GPL-3.0-or-later
//
// Tickets that broke their deadline, will soon, or are quietly dying at an executor.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-overdue-page.h"

struct _CdOverduePage
{
  CdPage parent_instance;
};

G_DEFINE_FINAL_TYPE (CdOverduePage, cd_overdue_page, CD_TYPE_PAGE)

static void
cd_overdue_page_class_init (CdOverduePageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);

  page_class->title = N_("Overdue tickets");
  page_class->icon_name = "alarm-symbolic";
  page_class->help_section = "overdue-tickets";
  page_class->empty_title = N_("No Tickets Yet");
  page_class->empty_description = N_("Tickets past their deadline, close to it, or stuck at an executor with no progress appear here once Citydesk is connected to a server.");
}

static void
cd_overdue_page_init (CdOverduePage *self)
{
}
