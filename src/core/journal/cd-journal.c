// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-journal.c: the hash chain over the events
 *
 * The canonical bytes of an event (version 1, see docs/journal.md):
 *
 *   "CDJ1"                     4 bytes, the format's magic and version
 *   seq                        8 bytes, big-endian two's complement
 *   time                       8 bytes, big-endian two's complement
 *   entity, type, actor, role, payload
 *                              each: 4-byte big-endian length in bytes,
 *                              then the UTF-8 bytes, no terminator
 *
 * An event with personal data (the resident's name and phone, kept apart
 * from the payload) is encoded in version 2: "CDJ2", the same fields, then
 * the 32 raw bytes of the SHA-256 of its personal text. The chain then holds
 * the personal data by digest, and a copy with the data masked, carrying
 * the digest of the original, still fits it.
 *
 * hash = SHA-256 (32 raw bytes of the previous hash || canonical bytes),
 * written as 64 lowercase hex digits; the previous hash of event 1 is 32
 * zero bytes. Length prefixes make the encoding unambiguous without any
 * escaping; the payload is hashed as the exact text stored, so no JSON
 * canonicalisation is needed to verify.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include <nettle/sha2.h>

#include "cd-journal.h"
#include "cd-personal.h"

G_DEFINE_QUARK (cd-journal-error-quark, cd_journal_error)

/**
 * cd_journal_to_hex:
 * @bytes: bytes, such as a digest
 * @n_bytes: how many
 * @out: (out caller-allocates): 2 * @n_bytes + 1 chars: lowercase hex and a NUL
 */
void
cd_journal_to_hex (const guint8 *bytes,
                   gsize         n_bytes,
                   char         *out)
{
  static const char hex[] = "0123456789abcdef";

  for (gsize i = 0; i < n_bytes; i++)
    {
      out[2 * i] = hex[bytes[i] >> 4];
      out[2 * i + 1] = hex[bytes[i] & 0xf];
    }
  out[2 * n_bytes] = '\0';
}

void
cd_journal_head_init (CdJournalHead *head)
{
  head->seq = 0;
  memcpy (head->hash, CD_JOURNAL_GENESIS, sizeof head->hash);
}

static void
put_u64 (GByteArray *out,
         guint64     value)
{
  guint8 bytes[8];

  for (int i = 7; i >= 0; i--)
    {
      bytes[i] = value & 0xff;
      value >>= 8;
    }
  g_byte_array_append (out, bytes, sizeof bytes);
}

static void
put_string (GByteArray *out,
            const char *value)
{
  gsize len = value != NULL ? strlen (value) : 0;
  guint8 bytes[4] = { (len >> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff };

  g_byte_array_append (out, bytes, sizeof bytes);
  if (len > 0)
    g_byte_array_append (out, (const guint8 *) value, len);
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static gboolean
parse_hash (const char  *hex,
            guint8       raw[32],
            GError     **error)
{
  for (guint i = 0; i < 32; i++)
    {
      int hi = hex_value (hex[2 * i]);
      int lo = hi < 0 ? -1 : hex_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        goto bad;
      raw[i] = (guint8) (hi << 4 | lo);
    }
  if (hex[64] == '\0')
    return TRUE;

bad:
  g_set_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_INVALID_HASH,
               _("“%s” is not a SHA-256 hash in lowercase hexadecimal"), hex);
  return FALSE;
}

/* The digest the chain holds of @event's personal data: the one it
 * carries when it is a masked copy, else that of its text. */
static gboolean
personal_digest (const CdEvent  *event,
                 guint8          raw[32],
                 GError        **error)
{
  char hex[CD_EVENT_HASH_LEN];

  if (event->personal_hash != NULL)
    return parse_hash (event->personal_hash, raw, error);
  cd_personal_digest (event->personal, hex);
  return parse_hash (hex, raw, error);
}

/**
 * cd_journal_encode:
 * @event: an event with its sequence number set
 * @out: the bytes are appended here
 * @error: a %CD_JOURNAL_ERROR_INVALID_HASH when the event carries a
 *   malformed digest of its personal data
 *
 * Appends the canonical bytes of @event (see the top of this file).
 *
 * Returns: whether the bytes were appended
 */
gboolean
cd_journal_encode (const CdEvent  *event,
                   GByteArray     *out,
                   GError        **error)
{
  guint8 digest[32];

  if (event->personal != NULL && !personal_digest (event, digest, error))
    return FALSE;

  g_byte_array_append (out, (const guint8 *) (event->personal != NULL ? "CDJ2" : "CDJ1"), 4);
  put_u64 (out, (guint64) event->seq);
  put_u64 (out, (guint64) event->time);
  put_string (out, event->entity);
  put_string (out, event->type);
  put_string (out, event->actor);
  put_string (out, event->role);
  put_string (out, event->payload);
  if (event->personal != NULL)
    g_byte_array_append (out, digest, sizeof digest);
  return TRUE;
}

/**
 * cd_journal_compute_hash:
 * @prev_hash: the previous event's hash (or %CD_JOURNAL_GENESIS)
 * @event: the event, with its sequence number set
 * @out: (out caller-allocates): the hash, in hex
 * @error: a %CD_JOURNAL_ERROR_INVALID_HASH when @prev_hash, or the digest
 *   of personal data the event carries, is malformed
 *
 * Returns: whether @out was set
 */
gboolean
cd_journal_compute_hash (const char     *prev_hash,
                         const CdEvent  *event,
                         char            out[CD_EVENT_HASH_LEN],
                         GError        **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (256);
  struct sha256_ctx ctx;
  guint8 raw[SHA256_DIGEST_SIZE];
  guint8 digest[SHA256_DIGEST_SIZE];

  if (!parse_hash (prev_hash, raw, error) ||
      !cd_journal_encode (event, bytes, error))
    return FALSE;

  /* Nettle's SHA-256 uses the processor's SHA instructions where there
   * are some: a replay or a first sync hashes millions of events. */
  sha256_init (&ctx);
  sha256_update (&ctx, sizeof raw, raw);
  sha256_update (&ctx, bytes->len, bytes->data);
  sha256_digest (&ctx, sizeof digest, digest);
  cd_journal_to_hex (digest, sizeof digest, out);
  return TRUE;
}

/**
 * cd_journal_seal:
 * @head: the chain's last event; advanced to @event
 * @event: a new event
 * @error: return location for an error
 *
 * Gives @event the next sequence number and its hash.
 *
 * Returns: %TRUE, or %FALSE when @head is malformed
 */
gboolean
cd_journal_seal (CdJournalHead  *head,
                 CdEvent        *event,
                 GError        **error)
{
  event->seq = head->seq + 1;
  if (!cd_journal_compute_hash (head->hash, event, event->hash, error))
    return FALSE;

  head->seq = event->seq;
  memcpy (head->hash, event->hash, sizeof head->hash);
  return TRUE;
}

/**
 * cd_journal_check:
 * @head: the chain so far; advanced to @event when it holds
 * @event: the next event as stored
 * @error: %CD_JOURNAL_ERROR_SEQUENCE or %CD_JOURNAL_ERROR_HASH, naming the
 *   event
 *
 * A copy masked for a role that does not see phones follows as well: one
 * of format 2 is checked in full; one of format 1 (`payload_masked`) by
 * its sequence number only, its hash taken as it is.
 *
 * Returns: whether @event follows @head
 */
gboolean
cd_journal_check (CdJournalHead  *head,
                  const CdEvent  *event,
                  GError        **error)
{
  char expected[CD_EVENT_HASH_LEN];

  if (event->seq != head->seq + 1)
    {
      g_set_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_SEQUENCE,
                   _("Event %" PRId64 " follows event %" PRId64
                      ": events in between are missing or out of order"),
                   event->seq, head->seq);
      return FALSE;
    }

  /* A copy with its format-1 payload masked no longer has the bytes its
   * hash covers: the hash is taken as it is, and the chain goes on from
   * it. Only a registration ever carried a phone in its payload, and only
   * quality control's judgements and listens are masked whole for the
   * roles kept out of them (cd_event_is_maskable()); a journal of record
   * never holds such a copy (cd_journal_check_original()). */
  if (event->payload_masked)
    {
      guint8 raw[32];

      if (!cd_event_is_maskable (event))
        {
          g_set_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH,
                       _("Event %" PRId64
                          " (%s of %s) says it is masked, which only a registration can be"),
                       event->seq, event->type, event->entity);
          return FALSE;
        }
      if (!parse_hash (event->hash, raw, error))
        return FALSE;
      head->seq = event->seq;
      memcpy (head->hash, event->hash, sizeof head->hash);
      return TRUE;
    }

  if (!cd_journal_compute_hash (head->hash, event, expected, error))
    return FALSE;

  if (strcmp (expected, event->hash) != 0)
    {
      g_set_error (
          error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH,
          _("Event %" PRId64
             " (%s of %s) does not match its hash: it, or the event before it, was changed"),
          event->seq, event->type, event->entity);
      return FALSE;
    }

  head->seq = event->seq;
  memcpy (head->hash, event->hash, sizeof head->hash);
  return TRUE;
}

/**
 * cd_journal_check_original:
 * @head: the chain so far; advanced to @event when it holds
 * @event: the next event of a journal of record (the server's)
 * @error: as cd_journal_check(), and %CD_JOURNAL_ERROR_HASH for a masked
 *   copy of a format-1 event
 *
 * As cd_journal_check(), for a journal that holds the events as they were
 * written: there a masked copy would be an event no one can check.
 *
 * Returns: whether @event follows @head
 */
gboolean
cd_journal_check_original (CdJournalHead  *head,
                           const CdEvent  *event,
                           GError        **error)
{
  if (event->payload_masked)
    {
      g_set_error (error, CD_JOURNAL_ERROR, CD_JOURNAL_ERROR_HASH,
                   _("Event %" PRId64 " (%s of %s) is a masked copy, which only a client’s cache "
                                       "may hold: its hash cannot be checked"),
                   event->seq, event->type, event->entity);
      return FALSE;
    }
  return cd_journal_check (head, event, error);
}
