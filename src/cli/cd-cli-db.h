// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-cli-db.h: the dispatch commands of citydeskctl and what they share */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-store.h"

G_BEGIN_DECLS

int       cd_cli_verify       (int            argc,
                               char         **argv);
int       cd_cli_tickets      (int            argc,
                               char         **argv);
int       cd_cli_ticket       (int            argc,
                               char         **argv);
int       cd_cli_stats        (int            argc,
                               char         **argv);
int       cd_cli_routing      (int            argc,
                               char         **argv);

int       cd_cli_db_fail      (const char    *prog,
                               const char    *message);
gboolean  cd_cli_db_parse     (int           *argc,
                               char        ***argv,
                               const char    *usage,
                               const char    *summary,
                               GOptionEntry  *entries,
                               int            n_args,
                               int           *status);
CdStore  *cd_cli_db_open      (const char    *prog,
                               const char    *path,
                               gboolean       must_exist,
                               int           *status);
gboolean  cd_cli_db_refuse    (const char    *prog,
                               const char    *message,
                               int           *status);
gboolean  cd_cli_db_parse_duration (const char *prog,
                                    const char *option,
                                    const char *text,
                                    gboolean    zero_allowed,
                                    gint64     *seconds,
                                    int        *status);
gboolean  cd_cli_db_parse_now (const char    *prog,
                               const char    *text,
                               gint64        *now,
                               int           *status);
char     *cd_cli_db_format_time (gint64       time);
void      cd_cli_db_print_json (JsonNode     *node);

G_END_DECLS
