// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CD_STORE_ERROR (cd_store_error_quark ())

typedef enum
{
  CD_STORE_ERROR_OPEN,
  CD_STORE_ERROR_NOT_A_DATABASE,
  CD_STORE_ERROR_TOO_NEW,
  CD_STORE_ERROR_SQL,
  CD_STORE_ERROR_NOT_FOUND,
} CdStoreError;

#define CD_TYPE_STORE (cd_store_get_type ())
G_DECLARE_FINAL_TYPE (CdStore, cd_store, CD, STORE, GObject)

GQuark      cd_store_error_quark          (void);
CdStore    *cd_store_open                 (const char  *path,
                                           GError     **error);
const char *cd_store_get_path             (CdStore     *self);
int         cd_store_get_schema_version   (CdStore     *self);
int         cd_store_get_latest_version   (void);
char       *cd_store_get_meta             (CdStore     *self,
                                           const char  *key,
                                           GError     **error);
gboolean    cd_store_set_meta             (CdStore     *self,
                                           const char  *key,
                                           const char  *value,
                                           GError     **error);

G_END_DECLS
