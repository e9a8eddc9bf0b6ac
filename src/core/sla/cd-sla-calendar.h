// SPDX-License-Identifier: GPL-3.0-or-later
/* cd-sla-calendar.h: working-time calendars of the SLA engine
 *
 * A CdSlaCalendar answers "how much working time lies between two instants"
 * and "when does a budget of working time run out". Instants are #gint64
 * Unix seconds (UTC); working intervals are local wall-clock times of the
 * calendar's IANA time zone. See docs/sla-calendar.md for the JSON format.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * CD_SLA_ERROR:
 *
 * The error domain of the SLA engine (calendars, iCalendar import, and the
 * policies and clocks built on them).
 */
#define CD_SLA_ERROR (cd_sla_error_quark ())

/**
 * CdSlaError:
 * @CD_SLA_ERROR_INVALID_JSON: the text is not JSON, or not a JSON object
 * @CD_SLA_ERROR_INVALID_TYPE: a value has the wrong JSON type
 * @CD_SLA_ERROR_UNKNOWN_KEY: an object has a key the format does not know
 * @CD_SLA_ERROR_MISSING_KEY: a required key is absent
 * @CD_SLA_ERROR_INVALID_TIME: a time is not `HH:MM` (00:00 to 23:59, or
 *   24:00 as the end of an interval)
 * @CD_SLA_ERROR_INVALID_INTERVAL: an interval is empty, or overlaps or
 *   precedes the one before it, or a day has too many intervals
 * @CD_SLA_ERROR_INVALID_DATE: a date is not `MM-DD` or `YYYY-MM-DD`, does
 *   not exist, or lies outside the supported years
 * @CD_SLA_ERROR_INVALID_TIMEZONE: the time zone identifier is unknown
 * @CD_SLA_ERROR_NO_WORKING_TIME: the calendar has no working time at all
 * @CD_SLA_ERROR_INVALID_ICALENDAR: an iCalendar file cannot be imported
 * @CD_SLA_ERROR_INVALID_VALUE: a policy value is out of range or not one
 *   of the names the format allows (an unknown event type or ticket state,
 *   a negative limit, a target named twice)
 * @CD_SLA_ERROR_UNKNOWN_CALENDAR: a policy target names a calendar that is
 *   not in the set of calendars it is evaluated with
 * @CD_SLA_ERROR_INVALID_EVENTS: a ticket's events cannot be evaluated
 *   (not in time order, an unknown action or state, a bad events file)
 *
 * One code per distinct failure. The policy and clock modules append their
 * own codes after these.
 */
typedef enum
{
  CD_SLA_ERROR_INVALID_JSON,
  CD_SLA_ERROR_INVALID_TYPE,
  CD_SLA_ERROR_UNKNOWN_KEY,
  CD_SLA_ERROR_MISSING_KEY,
  CD_SLA_ERROR_INVALID_TIME,
  CD_SLA_ERROR_INVALID_INTERVAL,
  CD_SLA_ERROR_INVALID_DATE,
  CD_SLA_ERROR_INVALID_TIMEZONE,
  CD_SLA_ERROR_NO_WORKING_TIME,
  CD_SLA_ERROR_INVALID_ICALENDAR,
  CD_SLA_ERROR_INVALID_VALUE,
  CD_SLA_ERROR_UNKNOWN_CALENDAR,
  CD_SLA_ERROR_INVALID_EVENTS,
} CdSlaError;

GQuark cd_sla_error_quark (void);

/**
 * CD_SLA_NEVER:
 *
 * Returned instead of an instant when there is no answer after the given
 * one: the budget cannot be spent because the calendar has no more working
 * time (or the answer lies after %CD_SLA_CALENDAR_MAX_YEAR).
 */
#define CD_SLA_NEVER G_MAXINT64

/**
 * CD_SLA_NEVER_BEFORE:
 *
 * Returned by cd_sla_calendar_subtract() when there is not that much working
 * time before the given instant.
 */
#define CD_SLA_NEVER_BEFORE G_MININT64

/**
 * CD_SLA_CALENDAR_MIN_YEAR:
 *
 * The first local year in which a calendar has working time. Before
 * 1 January of this year every calendar is closed.
 */
#define CD_SLA_CALENDAR_MIN_YEAR 1900

/**
 * CD_SLA_CALENDAR_MAX_YEAR:
 *
 * The last local year in which a calendar has working time (an overnight
 * interval of its last day still ends on the next morning). After it every
 * calendar is closed.
 */
#define CD_SLA_CALENDAR_MAX_YEAR 2199

/**
 * CdSlaDays:
 * @CD_SLA_DAYS_WORKING: count working days: the deadline is the end of the
 *   last working interval of the Nth working day after the start day (the
 *   start day does not count; with N = 0, the start day if it is a working
 *   day, else the next working day)
 * @CD_SLA_DAYS_CALENDAR: count calendar days: the deadline is the end of the
 *   last working interval of the Nth calendar day after the start day, or of
 *   the first day after it that has working time
 *
 * How cd_sla_calendar_add_days() counts. A working day is a local date whose
 * own intervals (week, holiday or override) are not empty.
 */
typedef enum
{
  CD_SLA_DAYS_WORKING,
  CD_SLA_DAYS_CALENDAR,
} CdSlaDays;

/**
 * CdSlaHoliday:
 * @year: the year of a one-time holiday, or 0 for a yearly one
 * @month: 1 to 12
 * @day: 1 to 31
 * @summary: (nullable): what the holiday is, e.g. from an iCalendar SUMMARY
 *
 * A public holiday: a local date of the calendar's time zone.
 */
typedef struct
{
  int   year;
  int   month;
  int   day;
  char *summary;
} CdSlaHoliday;

#define CD_TYPE_SLA_HOLIDAY (cd_sla_holiday_get_type ())
GType         cd_sla_holiday_get_type (void) G_GNUC_CONST;

/**
 * cd_sla_holiday_new:
 * @year: the year, or 0 for a yearly holiday
 * @month: the month, 1 to 12
 * @day: the day of the month
 * @summary: (nullable): a description
 *
 * Returns: (transfer full): a new holiday (not validated)
 */
CdSlaHoliday *cd_sla_holiday_new      (int                 year,
                                       int                 month,
                                       int                 day,
                                       const char         *summary);

/**
 * cd_sla_holiday_copy:
 * @holiday: a holiday
 *
 * Returns: (transfer full): a copy of @holiday
 */
CdSlaHoliday *cd_sla_holiday_copy     (const CdSlaHoliday *holiday);

/**
 * cd_sla_holiday_free:
 * @holiday: (nullable): a holiday
 *
 * Frees @holiday and its summary.
 */
void          cd_sla_holiday_free     (CdSlaHoliday       *holiday);

/**
 * cd_sla_holiday_to_string:
 * @holiday: a holiday
 *
 * Returns: (transfer full): `MM-DD` for a yearly holiday, `YYYY-MM-DD` for
 *   a one-time one, as in the calendar's JSON
 */
char         *cd_sla_holiday_to_string (const CdSlaHoliday *holiday);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSlaHoliday, cd_sla_holiday_free)

/**
 * CdSlaCalendar:
 *
 * A working-time calendar. Immutable once built and reference counted, so
 * one calendar can be read from any number of threads at once.
 */
typedef struct _CdSlaCalendar CdSlaCalendar;

#define CD_TYPE_SLA_CALENDAR (cd_sla_calendar_get_type ())
GType          cd_sla_calendar_get_type        (void) G_GNUC_CONST;

/**
 * cd_sla_calendar_new_from_json:
 * @json: the calendar as JSON text (see docs/sla-calendar.md)
 * @len: the length of @json in bytes, or -1 if it is nul-terminated
 * @error: return location for a #CD_SLA_ERROR
 *
 * Parses a calendar. Unknown keys, bad times, dates and time zones, and a
 * calendar without any working time are errors whose message names the key,
 * e.g. `week.mon[1][0]: “25:00” is not a time (HH:MM)`.
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL on error
 */
CdSlaCalendar *cd_sla_calendar_new_from_json   (const char     *json,
                                                gssize          len,
                                                GError        **error);

/**
 * cd_sla_calendar_new_from_bytes:
 * @bytes: the calendar as JSON text, e.g. a file's contents
 * @error: return location for a #CD_SLA_ERROR
 *
 * Like cd_sla_calendar_new_from_json(); the core does no I/O, so callers
 * read the file themselves.
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL on error
 */
CdSlaCalendar *cd_sla_calendar_new_from_bytes  (GBytes         *bytes,
                                                GError        **error);

/**
 * cd_sla_calendar_new_24_7:
 * @timezone: an IANA time zone identifier, e.g. `Europe/Minsk`, or %NULL
 *   for UTC
 * @error: return location for a #CD_SLA_ERROR
 *
 * Creates a calendar that is always working (real elapsed seconds; the time
 * zone only matters for calendar-day deadlines and for formatting).
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL if the time
 *   zone is unknown
 */
CdSlaCalendar *cd_sla_calendar_new_24_7        (const char     *timezone,
                                                GError        **error);

/**
 * cd_sla_calendar_ref:
 * @self: a calendar
 *
 * Returns: (transfer full): @self, with one more reference
 */
CdSlaCalendar *cd_sla_calendar_ref             (CdSlaCalendar  *self);

/**
 * cd_sla_calendar_unref:
 * @self: (transfer full): a calendar
 *
 * Drops a reference; the last one frees the calendar.
 */
void           cd_sla_calendar_unref           (CdSlaCalendar  *self);

/**
 * cd_sla_calendar_to_json:
 * @self: a calendar
 *
 * Serializes the calendar in the format cd_sla_calendar_new_from_json()
 * reads (holidays and overrides sorted), e.g. to save it after an
 * iCalendar import.
 *
 * Returns: (transfer full): pretty-printed JSON
 */
char          *cd_sla_calendar_to_json         (CdSlaCalendar  *self);

/**
 * cd_sla_calendar_get_timezone:
 * @self: a calendar
 *
 * Returns: (transfer none): the calendar's time zone
 */
GTimeZone     *cd_sla_calendar_get_timezone    (CdSlaCalendar  *self);

/**
 * cd_sla_calendar_get_timezone_id:
 * @self: a calendar
 *
 * Returns: (transfer none): the time zone identifier as written in the
 *   calendar, e.g. `Europe/Minsk`
 */
const char    *cd_sla_calendar_get_timezone_id (CdSlaCalendar  *self);

/**
 * cd_sla_calendar_is_24_7:
 * @self: a calendar
 *
 * Returns: %TRUE if every weekday is worked from 00:00 to 24:00 (holidays
 *   and overrides may still close some dates)
 */
gboolean       cd_sla_calendar_is_24_7         (CdSlaCalendar  *self);

/**
 * cd_sla_calendar_add:
 * @self: a calendar
 * @start: the instant the clock starts (Unix seconds)
 * @working_seconds: the budget, >= 0
 *
 * Spends @working_seconds of working time from @start. A start outside
 * working time starts at the next working moment; a budget that runs out
 * exactly at closing time ends at closing time. With a zero budget the
 * result is cd_sla_calendar_next_working (@start).
 *
 * Returns: the deadline, or %CD_SLA_NEVER if the calendar does not have
 *   that much working time after @start
 */
gint64         cd_sla_calendar_add             (CdSlaCalendar  *self,
                                                gint64          start,
                                                gint64          working_seconds);

/**
 * cd_sla_calendar_subtract:
 * @self: a calendar
 * @end: an instant, typically a deadline
 * @working_seconds: the amount to go back, >= 0
 *
 * The earliest instant from which exactly @working_seconds of working time
 * remain until @end, i.e. the earliest @t with
 * cd_sla_calendar_between (@t, @end) == @working_seconds. When it falls on a
 * boundary it is a closing time, as with cd_sla_calendar_add(): for an
 * "at risk 1 hour before" warning on a 09:00 deadline of an 08:00-17:00
 * calendar this is 17:00 the working day before. With a zero amount the
 * result is @end.
 *
 * Returns: the instant, or %CD_SLA_NEVER_BEFORE if there is not that much
 *   working time before @end
 */
gint64         cd_sla_calendar_subtract        (CdSlaCalendar  *self,
                                                gint64          end,
                                                gint64          working_seconds);

/**
 * cd_sla_calendar_between:
 * @self: a calendar
 * @a: the first instant
 * @b: the second instant
 *
 * Counts the working seconds in the half-open interval [@a, @b): every real
 * second once: a working wall-clock hour that repeats when summer time
 * ends counts as the two real hours it lasts, and one that is skipped when
 * summer time begins does not count.
 *
 * Returns: the working seconds, 0 if @b <= @a
 */
gint64         cd_sla_calendar_between         (CdSlaCalendar  *self,
                                                gint64          a,
                                                gint64          b);

/**
 * cd_sla_calendar_is_working:
 * @self: a calendar
 * @t: an instant
 *
 * Returns: %TRUE if the second [@t, @t + 1) is working time
 */
gboolean       cd_sla_calendar_is_working      (CdSlaCalendar  *self,
                                                gint64          t);

/**
 * cd_sla_calendar_next_working:
 * @self: a calendar
 * @t: an instant
 *
 * Returns: @t if it is working time, else the next instant that is
 *   (an opening time), or %CD_SLA_NEVER if there is none
 */
gint64         cd_sla_calendar_next_working    (CdSlaCalendar  *self,
                                                gint64          t);

/**
 * cd_sla_calendar_add_days:
 * @self: a calendar
 * @start: the instant of the start event; its local date is the start day
 * @days: the number of days, N
 * @kind: whether to count working or calendar days
 *
 * Computes a day-based deadline as described for #CdSlaDays. On a 24/7
 * calendar a calendar-day deadline is 24:00 local time of the Nth day.
 *
 * Returns: the deadline, or %CD_SLA_NEVER if there is no such day
 */
gint64         cd_sla_calendar_add_days        (CdSlaCalendar  *self,
                                                gint64          start,
                                                guint           days,
                                                CdSlaDays       kind);

/**
 * cd_sla_calendar_is_working_day:
 * @self: a calendar
 * @year: the local year
 * @month: 1 to 12
 * @day: 1 to 31
 *
 * Returns: %TRUE if the date has working intervals of its own (its week day
 *   has intervals and it is not a holiday, or an override gives it some)
 */
gboolean       cd_sla_calendar_is_working_day  (CdSlaCalendar  *self,
                                                int             year,
                                                int             month,
                                                int             day);

/**
 * cd_sla_calendar_has_holiday:
 * @self: a calendar
 * @holiday: a holiday
 *
 * Returns: %TRUE if the calendar already lists @holiday (a one-time holiday
 *   is also covered by a yearly one on the same day)
 */
gboolean       cd_sla_calendar_has_holiday     (CdSlaCalendar      *self,
                                                const CdSlaHoliday *holiday);

/**
 * cd_sla_calendar_has_override:
 * @self: a calendar
 * @year: the local year
 * @month: 1 to 12
 * @day: 1 to 31
 *
 * Returns: %TRUE if an override gives this date its own intervals (a moved
 *   working day, a shortened day, or a day off)
 */
gboolean       cd_sla_calendar_has_override    (CdSlaCalendar  *self,
                                                int             year,
                                                int             month,
                                                int             day);

/**
 * cd_sla_calendar_add_holidays:
 * @self: a calendar
 * @holidays: (element-type CdSlaHoliday): the holidays to add
 * @error: return location for a #CD_SLA_ERROR
 *
 * Builds a new calendar: @self plus @holidays. Those it already has are
 * skipped, and so are one-time holidays on a date with an override (the
 * override is more specific). @self itself is not changed.
 *
 * Returns: (transfer full) (nullable): the new calendar, or %NULL if a
 *   holiday is not a valid date
 */
CdSlaCalendar *cd_sla_calendar_add_holidays    (CdSlaCalendar  *self,
                                                GPtrArray      *holidays,
                                                GError        **error);

/**
 * cd_sla_calendar_to_date_time:
 * @self: a calendar
 * @t: an instant
 *
 * Returns: (transfer full) (nullable): @t in the calendar's time zone, or
 *   %NULL for %CD_SLA_NEVER, %CD_SLA_NEVER_BEFORE or an instant GDateTime
 *   cannot hold
 */
GDateTime     *cd_sla_calendar_to_date_time    (CdSlaCalendar  *self,
                                                gint64          t);

/**
 * cd_sla_calendar_format:
 * @self: a calendar
 * @t: an instant
 *
 * Returns: (transfer full) (nullable): @t as ISO 8601 with the calendar
 *   zone's offset, e.g. `2026-01-12T09:00:00+03:00`, or %NULL as for
 *   cd_sla_calendar_to_date_time()
 */
char          *cd_sla_calendar_format          (CdSlaCalendar  *self,
                                                gint64          t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSlaCalendar, cd_sla_calendar_unref)

G_END_DECLS
