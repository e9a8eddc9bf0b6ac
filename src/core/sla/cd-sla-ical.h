// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-ical.h: import of public holidays from iCalendar (RFC 5545)
 *
 * Reads the VEVENTs of a VCALENDAR as holidays of a CdSlaCalendar: all-day
 * events (DTSTART;VALUE=DATE, DTEND exclusive, several days if DTEND says
 * so), RRULE:FREQ=YEARLY for yearly holidays, and timed events mapped to
 * local dates of the calendar's time zone.
 */

#pragma once

#include "cd-sla-calendar.h"

G_BEGIN_DECLS

/**
 * cd_sla_ical_parse:
 * @data: the iCalendar text (CRLF or LF line ends, folded lines allowed)
 * @len: the length of @data in bytes, or -1 if it is nul-terminated
 * @tz: the time zone whose local dates the holidays are
 * @error: return location for a #CD_SLA_ERROR
 *
 * Reads every holiday the file describes. Cancelled events are skipped;
 * an RRULE other than FREQ=YEARLY (with an optional COUNT, UNTIL or
 * INTERVAL) is an error naming its line.
 *
 * Returns: (transfer full) (element-type CdSlaHoliday) (nullable): the
 *   holidays sorted (yearly ones first), each date once, or %NULL on error
 */
GPtrArray     *cd_sla_ical_parse   (const char     *data,
                                    gssize          len,
                                    GTimeZone      *tz,
                                    GError        **error);

/**
 * cd_sla_ical_preview:
 * @calendar: the calendar the holidays are for
 * @data: the iCalendar text
 * @len: the length of @data in bytes, or -1 if it is nul-terminated
 * @error: return location for a #CD_SLA_ERROR
 *
 * Shows what cd_sla_ical_merge() would add: the holidays of @data in the
 * zone of @calendar that @calendar does not have yet, with their summaries.
 *
 * Returns: (transfer full) (element-type CdSlaHoliday) (nullable): the new
 *   holidays, possibly none, or %NULL on error
 */
GPtrArray     *cd_sla_ical_preview (CdSlaCalendar  *calendar,
                                    const char     *data,
                                    gssize          len,
                                    GError        **error);

/**
 * cd_sla_ical_merge:
 * @calendar: a calendar
 * @data: the iCalendar text
 * @len: the length of @data in bytes, or -1 if it is nul-terminated
 * @error: return location for a #CD_SLA_ERROR
 *
 * Returns: (transfer full) (nullable): a new calendar with the holidays of
 *   cd_sla_ical_preview() added, or %NULL on error
 */
CdSlaCalendar *cd_sla_ical_merge   (CdSlaCalendar  *calendar,
                                    const char     *data,
                                    gssize          len,
                                    GError        **error);

G_END_DECLS
