// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-journal.h: the hash chain over the events
 *
 * hash(n) = SHA-256 (raw hash(n-1) || canonical bytes of event n), with 32
 * zero bytes before the first event; an event's personal data counts by
 * its digest. docs/journal.md defines the canonical
 * bytes so that another implementation can verify a journal.
 */

#pragma once

#include "cd-event.h"

G_BEGIN_DECLS

#define CD_JOURNAL_ERROR (cd_journal_error_quark ())

/**
 * CdJournalError:
 * @CD_JOURNAL_ERROR_SEQUENCE: an event's sequence number is not the one
 *   after its predecessor's (an event was removed, or inserted out of order)
 * @CD_JOURNAL_ERROR_HASH: an event's stored hash is not the hash of its
 *   bytes and its predecessor's hash (it, or history before it, was edited)
 * @CD_JOURNAL_ERROR_INVALID_HASH: a hash is not 64 lowercase hex digits
 */
typedef enum
{
  CD_JOURNAL_ERROR_SEQUENCE,
  CD_JOURNAL_ERROR_HASH,
  CD_JOURNAL_ERROR_INVALID_HASH,
} CdJournalError;

/* The hash "before" the first event: 32 zero bytes, in hex. */
#define CD_JOURNAL_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  gint64 seq;
  char   hash[CD_EVENT_HASH_LEN];
} CdJournalHead;

GQuark   cd_journal_error_quark    (void);
void     cd_journal_to_hex         (const guint8   *bytes,
                                    gsize           n_bytes,
                                    char           *out);
void     cd_journal_head_init      (CdJournalHead  *head);
gboolean cd_journal_encode         (const CdEvent  *event,
                                    GByteArray     *out,
                                    GError        **error);
gboolean cd_journal_compute_hash   (const char     *prev_hash,
                                    const CdEvent  *event,
                                    char            out[CD_EVENT_HASH_LEN],
                                    GError        **error);
gboolean cd_journal_seal           (CdJournalHead  *head,
                                    CdEvent        *event,
                                    GError        **error);
gboolean cd_journal_check          (CdJournalHead  *head,
                                    const CdEvent  *event,
                                    GError        **error);
gboolean cd_journal_check_original (CdJournalHead  *head,
                                    const CdEvent  *event,
                                    GError        **error);

G_END_DECLS
