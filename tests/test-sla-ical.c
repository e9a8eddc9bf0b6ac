// SPDX-License-Identifier: GPL-3.0-or-later
/* test-sla-ical.c: holidays imported from iCalendar into CdSlaCalendar */

#include <string.h>

#include "cd-sla-ical.h"

#include "cd-test.h"

#define BEGIN "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Citydesk//Test//EN\r\n"
#define END "END:VCALENDAR\r\n"
#define EVENT(body) "BEGIN:VEVENT\r\nUID:x@test\r\n" body "END:VEVENT\r\n"

/* Parsing {{{1 */

typedef struct
{
  const char *name;
  const char *zone;
  const char *ics;
  const char *expect;          /* "DATE summary" lines joined by '\n' */
} ParseCase;

static const ParseCase parse_cases[] = {
  { "all-day", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nSUMMARY:New Year\r\n") END,
    "2026-01-01 New Year" },
  { "multi-day-dtend-exclusive", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260103\r\nSUMMARY:New Year\r\n")
        END,
    "2026-01-01 New Year\n2026-01-02 New Year" },
  { "one-day-dtend", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260307\r\nDTEND;VALUE=DATE:20260308\r\n") END,
    "2026-03-07 (null)" },
  { "across-years", "Europe/Kyiv",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:Break\r\n")
        END,
    "2026-12-31 Break\n2027-01-01 Break" },
  { "across-leap-day", "Asia/Almaty",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20240228\r\nDTEND;VALUE=DATE:20240302\r\nSUMMARY:Long\r\n")
        END,
    "2024-02-28 Long\n2024-02-29 Long\n2024-03-01 Long" },
  { "duration-days", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260501\r\nDURATION:P2D\r\nSUMMARY:May\r\n") END,
    "2026-05-01 May\n2026-05-02 May" },
  { "yearly", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20250107\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Christmas\r\n") END,
    "01-07 Christmas" },
  { "yearly-redundant-parts", "Europe/Minsk",
    BEGIN EVENT (
        "DTSTART;VALUE=DATE:20250703\r\nRRULE:FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=3;WKST=MO\r\n"
        "SUMMARY:Independence Day\r\n") END,
    "07-03 Independence Day" },
  { "yearly-two-days", "Asia/Almaty",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250103\r\nRRULE:FREQ=YEARLY\r\n"
                 "SUMMARY:New Year\r\n") END,
    "01-01 New Year\n01-02 New Year" },
  { "yearly-count", "Europe/Minsk",
    BEGIN EVENT (
        "DTSTART;VALUE=DATE:20250308\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nSUMMARY:Women's Day\r\n") END,
    "2025-03-08 Women's Day\n2026-03-08 Women's Day\n2027-03-08 Women's Day" },
  { "yearly-until", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20250308\r\nRRULE:FREQ=YEARLY;UNTIL=20270101\r\n") END,
    "2025-03-08 (null)\n2026-03-08 (null)" },
  { "yearly-interval", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20250505\r\nRRULE:FREQ=YEARLY;INTERVAL=2;COUNT=2\r\n") END,
    "2025-05-05 (null)\n2027-05-05 (null)" },
  { "yearly-leap-day", "UTC",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Leap\r\n") END,
    "02-29 Leap" },
  { "yearly-leap-day-count", "UTC",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;COUNT=2\r\n") END,
    "2024-02-29 (null)\n2028-02-29 (null)" },
  { "folded-lines", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DA\r\n TE:20260703\r\nSUMMARY:Indepen\r\n dence\r\n\t Day\r\n") END,
    "2026-07-03 Independence Day" },
  { "lf-line-ends", "Europe/Minsk",
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261107\nSUMMARY:October \n"
    " Revolution Day\nEND:VEVENT\nEND:VCALENDAR\n",
    "2026-11-07 October Revolution Day" },
  { "no-final-newline", "Europe/Minsk",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nEND:VEVENT\r\nEND:VCALENDAR",
    "2026-12-25 (null)" },
  { "escaped-text", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260308\r\nSUMMARY:Women\\, Day\\; a\\\\b\\nc\r\n") END,
    "2026-03-08 Women, Day; a\\b c" },
  /* 1 January in Minsk (UTC+3) starts at 21:00 UTC on 31 December. */
  { "utc-time-minsk", "Europe/Minsk",
    BEGIN EVENT ("DTSTART:20251231T210000Z\r\nDTEND:20260101T210000Z\r\nSUMMARY:New Year\r\n") END,
    "2026-01-01 New Year" },
  { "utc-time-no-end", "Europe/Minsk", BEGIN EVENT ("DTSTART:20251231T210000Z\r\n") END,
    "2026-01-01 (null)" },
  { "utc-time-kyiv", "Europe/Kyiv", BEGIN EVENT ("DTSTART:20251231T210000Z\r\n") END,
    "2025-12-31 (null)" },
  { "tzid-time", "America/Sao_Paulo",
    BEGIN EVENT ("DTSTART;TZID=Europe/Minsk:20260101T000000\r\n") END, "2025-12-31 (null)" },
  { "tzid-quoted", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;TZID=\"Asia/Almaty\":20260101T010000\r\n") END, "2025-12-31 (null)" },
  { "floating-time", "Australia/Sydney",
    BEGIN EVENT ("DTSTART:20260126T000000\r\nDTEND:20260127T000000\r\nSUMMARY:Australia Day\r\n")
        END,
    "2026-01-26 Australia Day" },
  /* Almaty's 29 February 2024 lasted 25 hours: 00:00+06 to 00:00+05. */
  { "utc-time-almaty-zone-change", "Asia/Almaty",
    BEGIN EVENT ("DTSTART:20240228T180000Z\r\nDTEND:20240229T190000Z\r\n") END,
    "2024-02-29 (null)" },
  { "yearly-utc-time", "Europe/Minsk",
    BEGIN EVENT ("DTSTART:20241231T210000Z\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:New Year\r\n") END,
    "01-01 New Year" },
  { "cancelled", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nSTATUS:CANCELLED\r\n")
        EVENT ("DTSTART;VALUE=DATE:20260102\r\nSTATUS:CONFIRMED\r\n") END,
    "2026-01-02 (null)" },
  { "alarm-and-timezone-ignored", "Europe/Minsk",
    BEGIN "BEGIN:VTIMEZONE\r\nTZID:Europe/Minsk\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
          "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" EVENT (
              "DTSTART;VALUE=DATE:20260501\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nSUMMARY:Alarm\r\n"
              "TRIGGER:-PT15M\r\nEND:VALARM\r\nSUMMARY:Labour Day\r\n") END,
    "2026-05-01 Labour Day" },
  { "duplicates-and-order", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20270101\r\nSUMMARY:Once\r\n")
        EVENT ("DTSTART;VALUE=DATE:20260107\r\nSUMMARY:First\r\n")
            EVENT ("DTSTART;VALUE=DATE:20260107\r\nSUMMARY:Second\r\n")
                EVENT ("DTSTART;VALUE=DATE:20250101\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Yearly\r\n")
                    EVENT ("DTSTART;VALUE=DATE:20250309\r\nSUMMARY:Early\r\n") END,
    "01-01 Yearly\n2025-03-09 Early\n2026-01-07 First" },
  { "byte-order-mark", "Europe/Minsk",
    "\xef\xbb\xbf" BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\n") END, "2026-01-01 (null)" },
  { "lower-case-names", "Europe/Minsk",
    "begin:vcalendar\r\nbegin:vevent\r\ndtstart;value=date:20260101\r\nsummary:Lower\r\n"
    "end:vevent\r\nend:vcalendar\r\n",
    "2026-01-01 Lower" },
  { "no-events", "Europe/Minsk", BEGIN END, "" },
  { "cyrillic-summary", "Europe/Minsk",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260421\r\nSUMMARY:Радуница\r\n") END,
    "2026-04-21 Радуница" },
};

static char *
holidays_to_string (GPtrArray *list)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < list->len; i++)
    {
      const CdSlaHoliday *h = g_ptr_array_index (list, i);
      g_autofree char *date = cd_sla_holiday_to_string (h);

      g_string_append_printf (out, "%s%s %s", i ? "\n" : "", date,
                              h->summary != NULL ? h->summary : "(null)");
    }
  return g_string_free (out, FALSE);
}

static void
test_parse (gconstpointer data)
{
  const ParseCase *c = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (c->zone);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = cd_sla_ical_parse (c->ics, -1, tz, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = holidays_to_string (list);
  g_assert_cmpstr (text, ==, c->expect);
}

typedef struct
{
  const char *name;
  const char *ics;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "not-ical", "hello", "not an iCalendar file (it does not start with BEGIN:VCALENDAR)" },
  { "other-component", "BEGIN:VCARD\r\nEND:VCARD\r\n",
    "not an iCalendar file (it does not start with BEGIN:VCALENDAR)" },
  { "unterminated", BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\n"),
    "the file ends inside VCALENDAR (END:VCALENDAR is missing)" },
  { "unterminated-event", BEGIN "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\n",
    "the file ends inside VEVENT (END:VEVENT is missing)" },
  { "mismatched-end", BEGIN "BEGIN:VEVENT\r\nEND:VTODO\r\n" END,
    "line 5: END:VTODO does not close the open component" },
  { "no-dtstart", BEGIN EVENT ("SUMMARY:Nothing\r\n") END, "line 4: the VEVENT has no DTSTART" },
  { "short-date", BEGIN EVENT ("DTSTART;VALUE=DATE:2026013\r\n") END,
    "line 6: DTSTART “2026013” is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, "
    "optionally with Z)" },
  { "no-such-date", BEGIN EVENT ("DTSTART;VALUE=DATE:20260230\r\n") END,
    "line 6: DTSTART “20260230” is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, "
    "optionally with Z)" },
  { "time-in-date", BEGIN EVENT ("DTSTART;VALUE=DATE:20260101T000000\r\n") END,
    "line 6: DTSTART “20260101T000000” is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, "
    "optionally with Z)" },
  { "bad-dtend", BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:2026-01-02\r\n") END,
    "line 7: DTEND “2026-01-02” is not a date (YYYYMMDD) or a date-time (YYYYMMDDTHHMMSS, "
    "optionally with Z)" },
  { "monthly", BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=MONTHLY\r\n") END,
    "line 7: RRULE “FREQ=MONTHLY” is not supported (only FREQ=YEARLY, with COUNT, UNTIL or "
    "INTERVAL)" },
  { "by-day",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260525\r\nRRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO\r\n") END,
    "line 7: RRULE “FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO” is not supported (only FREQ=YEARLY, with "
    "COUNT, UNTIL or INTERVAL)" },
  { "other-month",
    BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;BYMONTH=2\r\n") END,
    "line 7: RRULE “FREQ=YEARLY;BYMONTH=2” is not supported (only FREQ=YEARLY, with COUNT, UNTIL "
    "or INTERVAL)" },
  { "exdate",
    BEGIN EVENT (
        "DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\nEXDATE;VALUE=DATE:20270101\r\n") END,
    "line 8: EXDATE is not supported; list each holiday as its own event" },
  { "unknown-tzid", BEGIN EVENT ("DTSTART;TZID=Mars/Base:20260101T000000\r\n") END,
    "line 6: DTSTART has an unknown time zone “Mars/Base”" },
  { "bad-duration", BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nDURATION:1D\r\n") END,
    "line 7: DURATION “1D” is not a duration such as P1D" },
  { "not-a-property", BEGIN "GARBAGE\r\n" END, "line 4: “GARBAGE” is not a property (NAME:value)" },
  { "too-early", BEGIN EVENT ("DTSTART;VALUE=DATE:18500101\r\n") END,
    "line 6: 18500101 is outside the years 1900 to 2199" },
  { "too-long", BEGIN EVENT ("DTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20270301\r\n") END,
    "line 6: the event lasts 424 days, too long for a holiday" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = cd_sla_ical_parse (c->ics, -1, tz, &error);

  g_assert_null (list);
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR);
  g_assert_cmpstr (error->message, ==, c->message);
}

/* Preview and merge {{{1 */

#define OFFICE "[[\"08:00\",\"13:00\"],[\"14:00\",\"17:00\"]]"

static CdSlaCalendar *
office (void)
{
  g_autoptr(GError) error = NULL;
  CdSlaCalendar *cal = cd_sla_calendar_new_from_json (
    "{\"timezone\":\"Europe/Minsk\",\"week\":{\"mon\":" OFFICE ",\"tue\":" OFFICE ","
    "\"wed\":" OFFICE ",\"thu\":" OFFICE ",\"fri\":" OFFICE ",\"sat\":[],\"sun\":[]},"
    "\"holidays\":[\"01-01\",\"01-07\"],"
    "\"overrides\":{\"2026-01-10\":" OFFICE "}}", -1, &error);

  g_assert_no_error (error);
  return cal;
}

static const char belarus_ics[] =
  BEGIN
  "X-WR-CALNAME:Belarus\r\n"
  EVENT ("DTSTART;VALUE=DATE:20250101\r\nDTEND;VALUE=DATE:20250103\r\nRRULE:FREQ=YEARLY\r\n"
         "SUMMARY:New Year\r\n")
  EVENT ("DTSTART;VALUE=DATE:20250107\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Orthodox Christmas\r\n")
  EVENT ("DTSTART;VALUE=DATE:20260110\r\nSUMMARY:Not a holiday here\r\n")
  EVENT ("DTSTART;VALUE=DATE:20260421\r\nSUMMARY:Radunitsa\r\n")
  EVENT ("DTSTART:20260308T210000Z\r\nDTEND:20260309T210000Z\r\nSUMMARY:Women's Day (moved)\r\n")
  END;

static void
test_preview (void)
{
  g_autoptr(CdSlaCalendar) cal = office ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fresh = cd_sla_ical_preview (cal, belarus_ics, -1, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = holidays_to_string (fresh);
  /* 01-01 and 01-07 are known; 2026-01-10 has an override. */
  g_assert_cmpstr (text, ==,
                   "01-02 New Year\n2026-03-09 Women's Day (moved)\n2026-04-21 Radunitsa");
}

static void
test_merge (void)
{
  g_autoptr(CdSlaCalendar) cal = office ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) merged = cd_sla_ical_merge (cal, belarus_ics, -1, &error);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 ("2026-03-06T16:00:00+03:00", NULL);
  g_autoptr(GDateTime) expect = g_date_time_new_from_iso8601 ("2026-03-10T09:00:00+03:00", NULL);

  g_assert_no_error (error);
  g_assert_true (cd_sla_calendar_is_working_day (cal, 2026, 3, 9));
  g_assert_false (cd_sla_calendar_is_working_day (merged, 2026, 3, 9));
  g_assert_false (cd_sla_calendar_is_working_day (merged, 2027, 1, 1));
  g_assert_false (cd_sla_calendar_is_working_day (merged, 2030, 1, 2));
  g_assert_true (cd_sla_calendar_is_working_day (merged, 2026, 1, 10));
  g_assert_true (cd_sla_calendar_is_working_day (merged, 2026, 3, 10));
  /* Friday 16:00 + 2 h: 1 h on Friday, Monday 9 March is now a holiday. */
  g_assert_cmpint (cd_sla_calendar_add (merged, g_date_time_to_unix (start), 7200),
                   ==, g_date_time_to_unix (expect));

  json = cd_sla_calendar_to_json (merged);
  g_assert_nonnull (strstr (json, "\"holidays\": [\"01-01\", \"01-02\", \"01-07\", "
                                  "\"2026-03-09\", \"2026-04-21\"]"));

  /* Importing the same file again adds nothing. */
  again = cd_sla_ical_preview (merged, belarus_ics, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
}

static void
test_merge_error (void)
{
  g_autoptr(CdSlaCalendar) cal = office ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) merged = cd_sla_ical_merge (cal, "nonsense", -1, &error);

  g_assert_null (merged);
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_ICALENDAR);
}

/* A holiday given in UTC lands on the calendar's local date. */
static void
test_local_date (void)
{
  static const char ics[] =
    BEGIN EVENT ("DTSTART:20251231T210000Z\r\nDTEND:20260101T210000Z\r\nSUMMARY:New Year\r\n") END;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = cd_sla_calendar_new_from_json (
    "{\"timezone\":\"Europe/Minsk\",\"week\":\"24/7\"}", -1, &error);
  g_autoptr(CdSlaCalendar) merged = cd_sla_ical_merge (cal, ics, -1, &error);
  g_autoptr(GDateTime) a = g_date_time_new_from_iso8601 ("2025-12-31T00:00:00+03:00", NULL);
  g_autoptr(GDateTime) b = g_date_time_new_from_iso8601 ("2026-01-03T00:00:00+03:00", NULL);

  g_assert_no_error (error);
  g_assert_true (cd_sla_calendar_is_working_day (merged, 2025, 12, 31));
  g_assert_false (cd_sla_calendar_is_working_day (merged, 2026, 1, 1));
  g_assert_true (cd_sla_calendar_is_working_day (merged, 2026, 1, 2));
  g_assert_cmpint (cd_sla_calendar_between (merged, g_date_time_to_unix (a),
                                            g_date_time_to_unix (b)), ==, 2 * 86400);
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-ical/parse/%s", parse_cases[i].name);

      g_test_add_data_func (path, &parse_cases[i], test_parse);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-ical/invalid/%s", bad_cases[i].name);

      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/sla-ical/preview", test_preview);
  g_test_add_func ("/sla-ical/merge", test_merge);
  g_test_add_func ("/sla-ical/merge-error", test_merge_error);
  g_test_add_func ("/sla-ical/local-date", test_local_date);

  return g_test_run ();
}
