// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-complaint.h: a complaint as its journal and figures read it
 *
 * A complaint is a ticket of kind complaint; what the quality department's
 * journal needs beyond the ticket (the class, the person responsible, the
 * decision, in whose favour, what it is about) is in its classify, answer
 * and link events, read here without I/O (docs/complaints.md).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cd-types.h"

G_BEGIN_DECLS

typedef struct
{
  char     *number;
  gint64    received;
  char     *klass;         /* A, B, C, or NULL before classify */
  char     *responsible;
  char     *complainant;   /* the name and the address, as one text */
  char     *summary;
  char     *decision;      /* upheld, partly_upheld, refused, or NULL */
  char     *favour;        /* resident, organization, or NULL */
  char     *reasons;
  char     *about;         /* a ticket's number or a call's id, or NULL */
  char     *about_kind;    /* ticket or call */
  gint64    answered_at;   /* 0 before the answer */
  gboolean  on_time;       /* answered within the answer clock; the caller's to say */
  char     *executor;      /* the executor of the ticket it is about; the caller's */
  char     *operator;      /* the operator of the call it is about; the caller's */
  gint64    call_entered;  /* that call: when it entered the queue (0: unknown) */
  gint64    call_wait;     /* its seconds in the queue */
  gint64    call_talk;     /* its seconds of talk */
  char     *cause;         /* the last classify's cause, or NULL */
  char     *answer;        /* the last answer's text sent to the resident */
  char     *appeal;        /* the last refusal's appeal notice, or NULL */
  char     *proposal;      /* the last systemic proposal's text, or NULL */
  gint64    proposed_at;   /* 0 before a proposal */
  char     *proposal_group; /* the last proposal's group ("address:Lenina 5"), or NULL */
  CdTicket *ticket;        /* the complaint's ticket (a reference) */
} CdComplaint;

CdComplaint *cd_complaint_new                (const CdTicket   *ticket,
                                              CdEvent * const  *events,
                                              guint             n_events);
void         cd_complaint_free               (CdComplaint      *self);
const char  *cd_complaint_decision_label     (const char       *decision);
const char  *cd_complaint_favour_label       (const char       *favour);
char        *cd_complaint_journal_to_csv     (CdComplaint * const *rows,
                                              guint             n_rows,
                                              GTimeZone        *zone);
JsonObject  *cd_complaint_stats              (CdComplaint * const *rows,
                                              guint             n_rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdComplaint, cd_complaint_free)

G_END_DECLS
