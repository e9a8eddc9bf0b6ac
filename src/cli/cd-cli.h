// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses shared by every command: 1 is kept for "the check ran and
 * found a problem" (verify), 2 for bad input or a failure. */
#define CD_CLI_EXIT_OK 0
#define CD_CLI_EXIT_FOUND 1
#define CD_CLI_EXIT_ERROR 2

/* A command gets argv with argv[0] set to "citydeskctl COMMAND". */
typedef int (*CdCliCommandFunc) (int    argc,
                                 char **argv);

int cd_cli_calls (int    argc,
                  char **argv);
int cd_cli_callbacks (int    argc,
                      char **argv);
int cd_cli_complaints (int    argc,
                       char **argv);
int cd_cli_demo (int    argc,
                 char **argv);
int cd_cli_erlang (int    argc,
                   char **argv);
int cd_cli_import (int    argc,
                   char **argv);
int cd_cli_apikey (int    argc,
                   char **argv);
int cd_cli_user (int    argc,
                 char **argv);
int cd_cli_migrate (int    argc,
                    char **argv);
int cd_cli_qa (int    argc,
               char **argv);
int cd_cli_recordings (int    argc,
                       char **argv);
int cd_cli_reference (int    argc,
                      char **argv);
int cd_cli_notifications (int    argc,
                          char **argv);

G_END_DECLS
