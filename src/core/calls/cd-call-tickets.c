// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call-tickets.c: which tickets an operator registered during a call */

#include "cd-call-tickets.h"

#include <string.h>

/* The prefixes dropped before a number's national digits, by the length
 * of the whole number: the country codes of Belarus (375, nine national
 * digits) and Russia and Kazakhstan (7, ten), and the trunk prefixes
 * dialled inside them (80 and 8, and 0 before a Belarusian code). Russian
 * codes never begin with 0, so an 11-digit 80… is Belarusian. */
static const struct
{
  const char *prefix;
  gsize       length;
} prefixes[] = {
  { "375", 12 }, { "80", 11 }, { "7", 11 }, { "8", 11 }, { "0", 10 },
};

/* Shorter numbers are not compared: an extension or a short service
 * number says nothing of who called. */
#define NATIONAL_DIGITS 9

/**
 * cd_call_phone_normalize:
 * @phone: (nullable): a number as written or as the PBX gave it
 *
 * The digits that say which line called, the same for every way of
 * writing one number: `+375 29 123-45-67`, `375291234567`,
 * `8 029 123-45-67` and `80291234567` all give `291234567`;
 * `+7 495 123-45-67` and `8 (495) 123-45-67` give `4951234567`. The
 * country code and the national trunk prefix are dropped. A masked
 * number (`+375 29 ***-**-67`) or one of fewer than nine digits gives
 * %NULL.
 *
 * Returns: (transfer full) (nullable): the digits, or %NULL
 */
char *
cd_call_phone_normalize (const char *phone)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *start;

  if (phone == NULL || strchr (phone, '*') != NULL)
    return NULL;
  for (const char *p = phone; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  start = digits->str;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (digits->len == prefixes[i].length && g_str_has_prefix (start, prefixes[i].prefix))
      {
        start += strlen (prefixes[i].prefix);
        break;
      }
  if (strlen (start) < NATIONAL_DIGITS)
    return NULL;
  return g_strdup (start);
}

/**
 * cd_call_phone_equal:
 * @a: (nullable): a number
 * @b: (nullable): another
 *
 * Returns: whether both are the same line (cd_call_phone_normalize());
 *   never for a missing, masked or short number
 */
gboolean
cd_call_phone_equal (const char *a,
                     const char *b)
{
  g_autofree char *na = cd_call_phone_normalize (a);
  g_autofree char *nb = cd_call_phone_normalize (b);

  return na != NULL && nb != NULL && g_str_equal (na, nb);
}

/**
 * cd_call_ticket_match:
 * @call: an answered call
 * @ticket: a ticket's facts
 *
 * Whether @ticket was registered during @call: taken on the phone,
 * registered from the answer to the end plus %CD_CALL_WRAP_UP_SECONDS
 * (both included), and either for the caller's number or by the account
 * linked to the call's operator. An unanswered call has no ticket: nobody
 * took the request.
 *
 * Returns: how it matches, %CD_CALL_TICKET_NONE when it does not
 */
CdCallTicketMatch
cd_call_ticket_match (const CdCallTicketCall  *call,
                      const CdCallTicketFacts *ticket)
{
  g_return_val_if_fail (call != NULL, CD_CALL_TICKET_NONE);
  g_return_val_if_fail (ticket != NULL, CD_CALL_TICKET_NONE);

  if (call->answered_at <= 0 || g_strcmp0 (ticket->channel, CD_CALL_TICKET_CHANNEL) != 0 ||
      ticket->created_at < call->answered_at ||
      ticket->created_at > MAX (call->ended_at, call->answered_at) + CD_CALL_WRAP_UP_SECONDS)
    return CD_CALL_TICKET_NONE;
  if (cd_call_phone_equal (call->caller, ticket->phone))
    return CD_CALL_TICKET_BY_PHONE;
  if (call->account != NULL && call->account[0] != '\0' &&
      g_strcmp0 (call->account, ticket->registered_by) == 0)
    return CD_CALL_TICKET_BY_AGENT;
  return CD_CALL_TICKET_NONE;
}

/**
 * cd_call_ticket_nearer:
 * @a_match: how a ticket matches call a (cd_call_ticket_match())
 * @a_answered_at: call a's answer
 * @a_id: call a's id
 * @b_match: how the same ticket matches call b
 * @b_answered_at: call b's answer
 * @b_id: call b's id
 *
 * Whether call a is nearer to the ticket than call b, so that the ticket
 * is a's, not b's. The caller's number outweighs the operator: a ticket
 * for the first caller typed while the operator already took the next
 * call is the first call's. Then the latest answer before the ticket:
 * the call the operator was on, or had just finished. Then the call id,
 * so that the order is total and every reader picks the same call.
 *
 * Returns: %TRUE when a is nearer; %FALSE when b is, or a does not match
 */
gboolean
cd_call_ticket_nearer (CdCallTicketMatch  a_match,
                       gint64             a_answered_at,
                       const char        *a_id,
                       CdCallTicketMatch  b_match,
                       gint64             b_answered_at,
                       const char        *b_id)
{
  if (a_match == CD_CALL_TICKET_NONE)
    return FALSE;
  if (a_match != b_match)
    return a_match > b_match;
  if (a_answered_at != b_answered_at)
    return a_answered_at > b_answered_at;
  return g_strcmp0 (a_id, b_id) < 0;
}
