// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-event.h: one entry of the append-only journal
 *
 * An event is a fact: who did what to which entity, when, with which
 * details. Its payload is kept as the exact JSON text that the hash chain
 * covers (see docs/journal.md); what is parsed from it is a cache: a flat
 * list of its top-level members for the typed getters, which a replay calls
 * millions of times, and a JsonObject for the callers that want a tree.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-json-reader.h"
#include "cd-types.h"

G_BEGIN_DECLS

/* The value of a masked copy's `masked` member: what was masked. */
#define CD_EVENT_MASKED_PAYLOAD "payload"

struct _CdEvent
{
  gint64  seq;
  char   *entity;
  char   *type;
  char   *actor;
  char   *role;
  gint64  time;
  char   *payload;
  char    hash[CD_EVENT_HASH_LEN];

  /* The resident's personal data, kept apart from the payload: a JSON
   * object's text that the chain covers by its SHA-256, or %NULL. On a copy
   * masked for a role that does not see it (cd_event_for_role()), the
   * masked text and, in personal_hash, the digest of the original. */
  char   *personal;
  char   *personal_hash;

  /* A copy of an event written before personal data was kept apart
   * (format 1), its phone masked in the payload for a role that does not
   * see it (cd_event_for_role()): its hash is the original's, which no
   * one can recompute from the copy (docs/journal.md). */
  gboolean payload_masked;

  /*< private >*/
  JsonObject *data;
  gpointer    fields;
  gpointer    personal_fields;
  gint        ref_count;
};

#define CD_TYPE_EVENT (cd_event_get_type ())

GType       cd_event_get_type      (void) G_GNUC_CONST;
CdEvent    *cd_event_new           (const char    *entity,
                                    const char    *type,
                                    const char    *actor,
                                    const char    *role,
                                    gint64         time,
                                    JsonObject    *payload);
CdEvent    *cd_event_new_stored    (gint64         seq,
                                    const char    *entity,
                                    const char    *type,
                                    const char    *actor,
                                    const char    *role,
                                    gint64         time,
                                    const char    *payload,
                                    const char    *hash);
CdEvent    *cd_event_new_from_json (JsonObject    *object,
                                    GError       **error);
CdEvent    *cd_event_read_json     (CdJsonReader  *reader,
                                    GError       **error);
void        cd_event_set_personal  (CdEvent       *self,
                                    const char    *personal,
                                    const char    *personal_hash);
void        cd_event_salt_personal (CdEvent       *self,
                                    const char    *salt);
CdEvent    *cd_event_for_role      (CdEvent       *self,
                                    const char    *role);
gboolean    cd_event_is_maskable   (const CdEvent *self);
CdEvent    *cd_event_for_reader    (CdEvent       *self,
                                    const char    *role,
                                    const char    *agent);
CdEvent    *cd_event_ref           (CdEvent       *self);
void        cd_event_unref         (CdEvent       *self);
JsonObject *cd_event_get_data      (CdEvent       *self,
                                    GError       **error);
gboolean    cd_event_check_payload (CdEvent       *self,
                                    GError       **error);
gboolean    cd_event_has_member    (CdEvent       *self,
                                    const char    *member);
const char *cd_event_get_string    (CdEvent       *self,
                                    const char    *member);
gint64      cd_event_get_int       (CdEvent       *self,
                                    const char    *member,
                                    gint64         fallback);
gboolean    cd_event_lookup_int    (CdEvent       *self,
                                    const char    *member,
                                    gint64        *value);
double      cd_event_get_double    (CdEvent       *self,
                                    const char    *member,
                                    double         fallback);
JsonObject *cd_event_to_json       (CdEvent       *self);
void        cd_event_append_json   (CdEvent       *self,
                                    GString       *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdEvent, cd_event_unref)

G_END_DECLS
