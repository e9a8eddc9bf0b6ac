// SPDX-License-Identifier: GPL-3.0-or-later
//
// Call recordings waiting for a quality-control review.

#include "config.h"

#include <glib/gi18n.h>

#include "cd-recordings-page.h"

struct _CdRecordingsPage
{
  CdPage parent_instance;
};

G_DEFINE_FINAL_TYPE (CdRecordingsPage, cd_recordings_page, CD_TYPE_PAGE)

static void
cd_recordings_page_class_init (CdRecordingsPageClass *klass)
{
  CdPageClass *page_class = CD_PAGE_CLASS (klass);

  page_class->title = N_("Call recordings");
  page_class->icon_name = "audio-x-generic-symbolic";
  page_class->help_section = "call-recordings";
  page_class->empty_title = N_("No Recordings to Review");
  page_class->empty_description = N_(
      "Call recordings picked for quality review, and those a complaint points to, appear here "
      "once the server receives recordings from the telephone exchange.");
}

static void
cd_recordings_page_init (CdRecordingsPage *self)
{
}
