// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CD_TYPE_WELCOME_PAGE (cd_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (CdWelcomePage, cd_welcome_page, CD, WELCOME_PAGE, AdwBin)

void cd_welcome_page_set_server_url (CdWelcomePage *self,
                                     const char    *url);
void cd_welcome_page_set_busy       (CdWelcomePage *self,
                                     const char    *status);
void cd_welcome_page_set_error      (CdWelcomePage *self,
                                     const char    *message);

G_END_DECLS
