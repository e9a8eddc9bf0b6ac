// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-open311.h: tickets as Open311 GeoReport v2 service requests
 *
 * The pure half of Open311: how a ticket reads as a service request, how a
 * category reads as a service, which of our states are `open`, how the
 * spec's dates are written and read, and how a city's dump of requests is
 * turned into records the importer can register. No I/O here: the server
 * (src/server/cd-server-open311.c) and citydeskctl import call it.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-category.h"
#include "cd-dispatch.h"
#include "cd-event.h"
#include "cd-ticket.h"

G_BEGIN_DECLS

#define CD_OPEN311_ERROR (cd_open311_error_quark ())

/**
 * CdOpen311Error:
 * @CD_OPEN311_ERROR_NOT_A_DUMP: the document is neither an array of
 *   requests nor an object holding one in `service_requests`
 * @CD_OPEN311_ERROR_INVALID: a record or a field cannot be taken
 */
typedef enum
{
  CD_OPEN311_ERROR_NOT_A_DUMP,
  CD_OPEN311_ERROR_INVALID,
} CdOpen311Error;

/* The spec's own name, and where an external reference from an import
 * starts (`open311:` followed by the dump's service_request_id). */
#define CD_OPEN311_SPECIFICATION "http://wiki.open311.org/GeoReport_v2"
#define CD_OPEN311_REF_PREFIX "open311:"

/**
 * CdOpen311Record:
 * @index: the record's position in the dump, from 0
 * @id: the source's service_request_id, as text
 * @category: our category for its service (see cd_open311_category_for_service())
 * @closed: whether the source says `closed`
 * @requested: when it was requested, Unix seconds
 * @updated: when it was last updated, Unix seconds (at least @requested)
 * @district, @street, @building: the address split for registration
 * @address: the source's address as it came, or %NULL
 * @description: (nullable): what the resident wrote
 * @agency: (nullable): agency_responsible
 * @status_notes: (nullable): the source's status_notes
 * @has_location: whether @lat and @lon are set
 */
typedef struct
{
  guint     index;
  char     *id;
  char     *service_code;
  char     *service_name;
  const char *category;
  gboolean  closed;
  gint64    requested;
  gint64    updated;
  char     *district;
  char     *street;
  char     *building;
  char     *address;
  char     *description;
  char     *agency;
  char     *status_notes;
  gboolean  has_location;
  double    lat;
  double    lon;
} CdOpen311Record;

/**
 * CdOpen311Refusal:
 * @index: the refused record's position in the dump, from 0
 * @id: (nullable): its service_request_id when it had one
 * @reason: why, in words a person can act on
 */
typedef struct
{
  guint  index;
  char  *id;
  char  *reason;
} CdOpen311Refusal;

GQuark       cd_open311_error_quark         (void);

const char  *cd_open311_status_for_state    (CdTicketState   state);
gboolean     cd_open311_status_parse        (const char     *status,
                                             gboolean       *closed);
char        *cd_open311_format_time         (gint64          time,
                                             GTimeZone      *tz);
gboolean     cd_open311_parse_time          (const char     *text,
                                             gint64         *time);
gboolean     cd_open311_is_service          (const CdCategory *category);
JsonObject  *cd_open311_service_to_json     (const CdCategory *category);
JsonObject  *cd_open311_service_definition  (const CdCategory *category);
const char  *cd_open311_category_for_service (const char    *service_code,
                                             const char     *service_name);
void         cd_open311_split_address       (const char     *address,
                                             const char     *zipcode,
                                             char          **district,
                                             char          **street,
                                             char          **building);
JsonObject  *cd_open311_request_to_json     (const CdTicket  *ticket,
                                             CdEvent * const *events,
                                             guint            n_events,
                                             gboolean         extensions,
                                             GTimeZone       *tz);
JsonArray   *cd_open311_notes_from_events   (CdEvent * const *events,
                                             guint            n_events,
                                             GTimeZone       *tz);
JsonNode    *cd_open311_error_list          (guint           code,
                                             const char     *description);
char        *cd_open311_to_xml              (JsonNode       *node,
                                             const char     *root);

GPtrArray   *cd_open311_parse_dump          (JsonNode       *root,
                                             GPtrArray     **refusals,
                                             GError        **error);
void         cd_open311_record_free         (CdOpen311Record *record);
void         cd_open311_refusal_free        (CdOpen311Refusal *refusal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdOpen311Record, cd_open311_record_free)

G_END_DECLS
