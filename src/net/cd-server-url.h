// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_SERVER_URL_ERROR (cd_server_url_error_quark ())

typedef enum
{
  CD_SERVER_URL_ERROR_EMPTY,
  CD_SERVER_URL_ERROR_INVALID,
  CD_SERVER_URL_ERROR_UNSUPPORTED_SCHEME,
  CD_SERVER_URL_ERROR_EXTRA_PARTS,
} CdServerUrlError;

GQuark  cd_server_url_error_quark (void);
char   *cd_server_url_normalize   (const char  *text,
                                   GError     **error);

G_END_DECLS
