// SPDX-License-Identifier: GPL-3.0-or-later
//
// The load on the call queue through the day: who is waiting now, and how the peak hours compare.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-queue-page.h"

struct _CdQueuePage
{
  CdPage parent_instance;
};

G_DEFINE_FINAL_TYPE (CdQueuePage, cd_queue_page, CD_TYPE_PAGE)

static void
cd_queue_page_class_init (CdQueuePageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);

  page_class->title = N_("Queue load");
  page_class->icon_name = "call-incoming-symbolic";
  page_class->help_section = "queue-load";
  page_class->empty_title = N_("No Queue Data Yet");
  page_class->empty_description = N_(
      "Calls waiting, answered and abandoned, hour by hour against the peak hours, appear here "
      "once the server receives calls from the contact center’s telephone exchange.");
}

static void
cd_queue_page_init (CdQueuePage *self)
{
}
