// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CdConnectionState:
 * @CD_CONNECTION_STATE_NOT_CONFIGURED: no server has been chosen yet
 * @CD_CONNECTION_STATE_CONNECTING: connecting or logging in
 * @CD_CONNECTION_STATE_SYNCING: connected, catching up with the event feed
 * @CD_CONNECTION_STATE_ONLINE: connected and up to date
 * @CD_CONNECTION_STATE_OFFLINE: the server cannot be reached; the cache is shown
 *
 * Where the desktop stands with its server.
 */
typedef enum
{
  CD_CONNECTION_STATE_NOT_CONFIGURED,
  CD_CONNECTION_STATE_CONNECTING,
  CD_CONNECTION_STATE_SYNCING,
  CD_CONNECTION_STATE_ONLINE,
  CD_CONNECTION_STATE_OFFLINE,
} CdConnectionState;

G_END_DECLS
