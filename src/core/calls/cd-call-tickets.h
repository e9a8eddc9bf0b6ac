// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-call-tickets.h: which tickets an operator registered during a call
 *
 * The queue_log says nothing of the tickets a call led to, so the link is
 * inferred, by one rule (docs/calls.md, "The tickets registered during a
 * call"): a ticket registered by phone between the call's answer and its
 * end plus the wrap-up allowance, whose resident's phone is the caller's
 * number or which the account linked to the call's operator registered.
 * A ticket belongs to one call at most, the nearest.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* After hanging up an operator finishes the ticket they were typing: five
 * minutes covers a long description typed after the call, and is shorter
 * than the gap between two calls of one operator on all but the calmest
 * nights, where the operator rule alone might take the next call's
 * ticket (the phone rule and the nearest call decide then). */
#define CD_CALL_WRAP_UP_SECONDS (5 * 60)

/* The ticket's channel for a request taken on the phone. */
#define CD_CALL_TICKET_CHANNEL "phone"

/* A call waits and talks well under a day together: the bound that lets a
 * search for the nearest call read calls by their entry time. */
#define CD_CALL_LONGEST_SECONDS (24 * 3600)

/**
 * CdCallTicketMatch:
 * @CD_CALL_TICKET_NONE: not registered during the call
 * @CD_CALL_TICKET_BY_AGENT: registered in the call's time by the account
 *   linked to its operator, for another phone (or none)
 * @CD_CALL_TICKET_BY_PHONE: registered in the call's time for the
 *   caller's number
 *
 * Ordered: a match by phone is stronger than one by operator.
 */
typedef enum
{
  CD_CALL_TICKET_NONE,
  CD_CALL_TICKET_BY_AGENT,
  CD_CALL_TICKET_BY_PHONE,
} CdCallTicketMatch;

/**
 * CdCallTicketCall:
 * @answered_at: Unix seconds of the answer, 0 for an unanswered call
 * @ended_at: Unix seconds of the end
 * @caller: (nullable): the caller's number as the PBX gave it
 * @account: (nullable): the account linked to the call's operator
 *   (users.agent)
 */
typedef struct
{
  gint64      answered_at;
  gint64      ended_at;
  const char *caller;
  const char *account;
} CdCallTicketCall;

/**
 * CdCallTicketFacts:
 * @channel: (nullable): the ticket's channel
 * @created_at: Unix seconds of its registration
 * @phone: (nullable): the resident's phone as registered
 * @registered_by: (nullable): the account that registered it (the actor
 *   of its first event)
 */
typedef struct
{
  const char *channel;
  gint64      created_at;
  const char *phone;
  const char *registered_by;
} CdCallTicketFacts;

char              *cd_call_phone_normalize (const char              *phone);
gboolean           cd_call_phone_equal     (const char              *a,
                                            const char              *b);
CdCallTicketMatch  cd_call_ticket_match    (const CdCallTicketCall  *call,
                                            const CdCallTicketFacts *ticket);
gboolean           cd_call_ticket_nearer   (CdCallTicketMatch        a_match,
                                            gint64                   a_answered_at,
                                            const char              *a_id,
                                            CdCallTicketMatch        b_match,
                                            gint64                   b_answered_at,
                                            const char              *b_id);

G_END_DECLS
