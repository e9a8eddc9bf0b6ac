// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-reference.h: a city's reference data, the names behind its codes
 *
 * Executors, districts, categories and SLA policies are known everywhere by
 * their codes (`zhes-3`, `Tsentralny`); a person reads their names, which a
 * city gives per language. One JSON format carries them: the file
 * `citydeskctl reference import` loads, and the answer of
 * `GET /api/v1/reference` the desktop caches (docs/api.md, "Reference
 * data").
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_REFERENCE_ERROR (cd_reference_error_quark ())

/**
 * CdReferenceError:
 * @CD_REFERENCE_ERROR_INVALID: the document is not reference data: not
 *   JSON, or a member, code, language or name the format does not allow
 */
typedef enum
{
  CD_REFERENCE_ERROR_INVALID,
} CdReferenceError;

/**
 * CdReferenceKind:
 * @CD_REFERENCE_EXECUTOR: executor organizations (`executors`)
 * @CD_REFERENCE_CATEGORY: ticket categories (`categories`)
 * @CD_REFERENCE_DISTRICT: districts (`districts`)
 * @CD_REFERENCE_POLICY: SLA policies, the targets (`policies`)
 */
typedef enum
{
  CD_REFERENCE_EXECUTOR,
  CD_REFERENCE_CATEGORY,
  CD_REFERENCE_DISTRICT,
  CD_REFERENCE_POLICY,
  CD_N_REFERENCE_KINDS
} CdReferenceKind;

/* Longer codes, tags and names are refused: none is meant to be a text. */
#define CD_REFERENCE_MAX_CODE 128
#define CD_REFERENCE_MAX_NAME 256

/**
 * CdReferenceEntry:
 * @code: the code every route and row uses
 * @names: (element-type utf8 utf8): language tag (`ru`, `en`) -> name;
 *   possibly empty: an entry known by its code alone
 */
typedef struct
{
  char       *code;
  GHashTable *names;
} CdReferenceEntry;

/**
 * CdReferenceData:
 * @entries: per kind, the entries sorted by code, or %NULL when the
 *   document has no such section (which then says nothing of that kind)
 */
typedef struct
{
  GPtrArray *entries[CD_N_REFERENCE_KINDS];
} CdReferenceData;

GQuark            cd_reference_error_quark     (void);

const char       *cd_reference_kind_to_string  (CdReferenceKind        kind);
const char       *cd_reference_kind_to_section (CdReferenceKind        kind);

CdReferenceEntry *cd_reference_entry_new       (const char            *code);
void              cd_reference_entry_free      (CdReferenceEntry      *entry);
void              cd_reference_entry_set_name  (CdReferenceEntry      *entry,
                                                const char            *language,
                                                const char            *name);
const char       *cd_reference_entry_get_name  (const CdReferenceEntry *entry,
                                                const char * const    *locales);

gboolean          cd_reference_language_is_valid (const char          *language);
const char       *cd_reference_pick_name       (GHashTable            *names,
                                                const char * const    *locales);

CdReferenceData  *cd_reference_data_new        (void);
void              cd_reference_data_free       (CdReferenceData       *data);
CdReferenceData  *cd_reference_data_parse      (const char            *text,
                                                gsize                  len,
                                                GError               **error);
char             *cd_reference_data_to_json    (const CdReferenceData *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdReferenceEntry, cd_reference_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdReferenceData, cd_reference_data_free)

G_END_DECLS
