// SPDX-License-Identifier: GPL-3.0-or-later
//
// Complaints about executors and about the contact center, and their deadlines.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-complaints-page.h"

struct _CdComplaintsPage
{
  CdPage parent_instance;
};

G_DEFINE_FINAL_TYPE (CdComplaintsPage, cd_complaints_page, CD_TYPE_PAGE)

static void
cd_complaints_page_class_init (CdComplaintsPageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);

  page_class->title = N_("Complaints");
  page_class->icon_name = "emblem-important-symbolic";
  page_class->help_section = "complaints";
  page_class->empty_title = N_("No Complaints Yet");
  page_class->empty_description = N_(
      "Complaints about executors and about the contact center itself, with the days left to "
      "answer each, appear here once the server keeps the complaint journal.");
}

static void
cd_complaints_page_init (CdComplaintsPage *self)
{
}
