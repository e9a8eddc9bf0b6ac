// SPDX-License-Identifier: GPL-3.0-or-later
/* test-sla-calendar.c: CdSlaCalendar, its JSON format and its conventions
 *
 * The expected values in the tables were worked out by hand from the
 * conventions and the zones' published transitions, and cross-checked
 * during development with a separate brute-force implementation on
 * Python's zoneinfo, never with this code. The property tests compare
 * random calendars with a minute-by-minute reference below. Fixtures are
 * written with ' instead of " for readability; quotes () swaps them back.
 */

#include <string.h>

#include "cd-sla-calendar.h"

#include "cd-test.h"

#define H(n) ((gint64) (n) * 3600)
#define M(n) ((gint64) (n) * 60)
#define D(n) ((gint64) (n) * 86400)

static char *
quotes (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static gint64
iso (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  if (dt == NULL)
    g_error ("bad time in a test table: %s", text);
  return g_date_time_to_unix (dt);
}

/* Fixtures {{{1 */

typedef struct
{
  const char *name;
  const char *json;
} Fixture;

#define OFFICE "[['08:00','13:00'],['14:00','17:00']]"
#define SHORT "[['08:00','13:00'],['14:00','16:00']]"
#define ALMATY_DAY "[['09:00','13:00'],['14:00','18:00']]"
#define NIGHT "[['22:00','06:00']]"

static const Fixture fixtures[] = {
  /* Belarus-like office: lunch, holidays (some next to weekends), a moved
   * working Saturday, shortened pre-holiday days and a day off override. */
  { "minsk",
    "{'timezone': 'Europe/Minsk',"
    " 'week': {'mon': " OFFICE ", 'tue': " OFFICE ", 'wed': " OFFICE ","
    "          'thu': " OFFICE ", 'fri': " OFFICE ", 'sat': [], 'sun': []},"
    " 'holidays': ['01-01', '01-02', '01-07', '03-08', '05-01', '05-09',"
    "              '07-03', '11-07', '12-25', '2026-04-21'],"
    " 'overrides': {'2026-01-10': " OFFICE ", '2026-03-06': " SHORT ","
    "               '2026-07-02': " SHORT ", '2026-12-31': []}}" },
  { "minsk247", "{'timezone': 'Europe/Minsk', 'week': '24/7'}" },
  /* Night shifts Monday to Friday, each belonging to the day it starts. */
  { "minsk-night",
    "{'timezone': 'Europe/Minsk',"
    " 'week': {'mon': [['20:00','08:00']], 'tue': [['20:00','08:00']],"
    "          'wed': [['20:00','08:00']], 'thu': [['20:00','08:00']],"
    "          'fri': [['20:00','08:00']], 'sat': [], 'sun': []},"
    " 'holidays': ['2026-01-07'],"
    " 'overrides': {'2026-01-11': [['20:00','02:00']]}}" },
  { "utc-office",
    "{'timezone': 'UTC',"
    " 'week': {'mon': [['09:00','17:00']], 'tue': [['09:00','17:00']],"
    "          'wed': [['09:00','17:00']], 'thu': [['09:00','17:00']],"
    "          'fri': [['09:00','17:00']], 'sat': [], 'sun': []}}" },
  { "berlin247", "{'timezone': 'Europe/Berlin', 'week': '24/7'}" },
  { "berlin-night",
    "{'timezone': 'Europe/Berlin',"
    " 'week': {'mon': " NIGHT ", 'tue': " NIGHT ", 'wed': " NIGHT ", 'thu': " NIGHT ","
    "          'fri': " NIGHT ", 'sat': " NIGHT ", 'sun': " NIGHT "}}" },
  /* Only Sunday 02:30-04:00: inside the skipped hour in March and the
   * repeated hour in October. */
  { "berlin-edge",
    "{'timezone': 'Europe/Berlin',"
    " 'week': {'mon': [], 'tue': [], 'wed': [], 'thu': [], 'fri': [], 'sat': [],"
    "          'sun': [['02:30','04:00']]}}" },
  { "kyiv247", "{'timezone': 'Europe/Kyiv', 'week': '24/7'}" },
  { "kyiv-night",
    "{'timezone': 'Europe/Kyiv',"
    " 'week': {'mon': [['20:00','08:00']], 'tue': [['20:00','08:00']],"
    "          'wed': [['20:00','08:00']], 'thu': [['20:00','08:00']],"
    "          'fri': [['20:00','08:00']], 'sat': [['20:00','08:00']],"
    "          'sun': [['20:00','08:00']]}}" },
  { "sp247", "{'timezone': 'America/Sao_Paulo', 'week': '24/7'}" },
  /* An evening desk whose shift crosses the midnight DST changes. */
  { "sp-evening",
    "{'timezone': 'America/Sao_Paulo',"
    " 'week': {'mon': [['18:00','02:00']], 'tue': [['18:00','02:00']],"
    "          'wed': [['18:00','02:00']], 'thu': [['18:00','02:00']],"
    "          'fri': [['18:00','02:00']], 'sat': [['18:00','02:00']], 'sun': []}}" },
  { "sydney247", "{'timezone': 'Australia/Sydney', 'week': '24/7'}" },
  { "sydney-night",
    "{'timezone': 'Australia/Sydney',"
    " 'week': {'mon': " NIGHT ", 'tue': " NIGHT ", 'wed': " NIGHT ", 'thu': " NIGHT ","
    "          'fri': " NIGHT ", 'sat': " NIGHT ", 'sun': " NIGHT "}}" },
  { "almaty247", "{'timezone': 'Asia/Almaty', 'week': '24/7'}" },
  { "almaty",
    "{'timezone': 'Asia/Almaty',"
    " 'week': {'mon': " ALMATY_DAY ", 'tue': " ALMATY_DAY ", 'wed': " ALMATY_DAY ","
    "          'thu': " ALMATY_DAY ", 'fri': " ALMATY_DAY ", 'sat': [], 'sun': []},"
    " 'holidays': ['03-08']}" },
  { "almaty-night",
    "{'timezone': 'Asia/Almaty',"
    " 'week': {'mon': [['22:00','02:00']], 'tue': [['22:00','02:00']],"
    "          'wed': [['22:00','02:00']], 'thu': [['22:00','02:00']],"
    "          'fri': [['22:00','02:00']], 'sat': [['22:00','02:00']],"
    "          'sun': [['22:00','02:00']]}}" },
  /* No weekly time at all: one working date only. */
  { "one-day",
    "{'timezone': 'Europe/Minsk',"
    " 'week': {'mon': [], 'tue': [], 'wed': [], 'thu': [], 'fri': [], 'sat': [], 'sun': []},"
    " 'overrides': {'2026-01-10': [['09:00','18:00']]}}" },
  { "utc247", "{'timezone': 'UTC', 'week': '24/7'}" },
};

static CdSlaCalendar *
load_fixture (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    if (strcmp (fixtures[i].name, name) == 0)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *json = quotes (fixtures[i].json);
        CdSlaCalendar *cal = cd_sla_calendar_new_from_json (json, -1, &error);

        g_assert_no_error (error);
        return cal;
      }
  g_error ("no fixture %s", name);
  return NULL;
}

/* Operations {{{1 */

typedef enum
{
  OP_ADD,
  OP_SUB,
  OP_BETWEEN,
  OP_WORKING,
  OP_NEXT,
  OP_WDAYS,
  OP_CDAYS,
} Op;

typedef struct
{
  const char *cal;
  Op          op;
  const char *a;
  const char *b;
  gint64      n;
  const char *expect;          /* NULL: CD_SLA_NEVER (or _NEVER_BEFORE) */
  gint64      expect_n;
} Case;

#define ADD(c, a, n, e)     { c, OP_ADD, a, NULL, n, e, 0 }
#define SUB(c, a, n, e)     { c, OP_SUB, a, NULL, n, e, 0 }
#define BETWEEN(c, a, b, n) { c, OP_BETWEEN, a, b, 0, NULL, n }
#define WORKING(c, a, yes)  { c, OP_WORKING, a, NULL, 0, NULL, yes }
#define NEXT(c, a, e)       { c, OP_NEXT, a, NULL, 0, e, 0 }
#define WDAYS(c, a, n, e)   { c, OP_WDAYS, a, NULL, n, e, 0 }
#define CDAYS(c, a, n, e)   { c, OP_CDAYS, a, NULL, n, e, 0 }

static const Case cases[] = {
  /* Minsk office, 2026: Jan 1-2 Thu-Fri and Jan 7 Wed are holidays,
   * Sat Jan 10 is worked, Mar 6 and Jul 2 end at 16:00, Dec 31 is off. */
  ADD ("minsk", "2026-01-05T08:00:00+03:00", 0, "2026-01-05T08:00:00+03:00"),
  ADD ("minsk", "2026-01-05T09:00:00+03:00", H (1), "2026-01-05T10:00:00+03:00"),
  ADD ("minsk", "2026-01-05T12:30:00+03:00", H (1), "2026-01-05T14:30:00+03:00"),
  /* Starts at lunch: the clock starts at 14:00. */
  ADD ("minsk", "2026-01-05T13:00:00+03:00", H (1), "2026-01-05T15:00:00+03:00"),
  /* Runs out exactly at closing time: ends at closing time. */
  ADD ("minsk", "2026-01-05T16:00:00+03:00", H (1), "2026-01-05T17:00:00+03:00"),
  ADD ("minsk", "2026-01-05T12:00:00+03:00", H (1), "2026-01-05T13:00:00+03:00"),
  ADD ("minsk", "2026-01-05T16:00:00+03:00", H (1) + 1, "2026-01-06T08:00:01+03:00"),
  ADD ("minsk", "2026-01-05T17:00:00+03:00", 0, "2026-01-06T08:00:00+03:00"),
  ADD ("minsk", "2026-01-05T18:00:00+03:00", M (30), "2026-01-06T08:30:00+03:00"),
  ADD ("minsk", "2026-01-06T16:00:00+03:00", H (2), "2026-01-08T09:00:00+03:00"),
  ADD ("minsk", "2025-12-31T16:00:00+03:00", M (90), "2026-01-05T08:30:00+03:00"),
  ADD ("minsk", "2026-01-09T16:00:00+03:00", H (2), "2026-01-10T09:00:00+03:00"),
  ADD ("minsk", "2026-01-10T12:00:00+03:00", H (3), "2026-01-10T16:00:00+03:00"),
  ADD ("minsk", "2026-01-10T16:30:00+03:00", H (1), "2026-01-12T08:30:00+03:00"),
  ADD ("minsk", "2026-03-06T15:00:00+03:00", H (1), "2026-03-06T16:00:00+03:00"),
  ADD ("minsk", "2026-03-06T15:00:00+03:00", H (2), "2026-03-09T09:00:00+03:00"),
  ADD ("minsk", "2026-07-02T15:30:00+03:00", H (1), "2026-07-06T08:30:00+03:00"),
  ADD ("minsk", "2026-12-30T16:00:00+03:00", M (90), "2027-01-04T08:30:00+03:00"),
  ADD ("minsk", "2026-04-20T16:00:00+03:00", H (2), "2026-04-22T09:00:00+03:00"),
  ADD ("minsk", "2026-01-05T08:00:00+03:00", H (40), "2026-01-10T17:00:00+03:00"),
  ADD ("minsk", "2026-02-02T08:00:00+03:00", H (160), "2026-02-27T17:00:00+03:00"),
  ADD ("minsk", "2026-01-05T08:00:00+03:00", H (160), "2026-01-30T17:00:00+03:00"),
  /* The same instant written in UTC. */
  ADD ("minsk", "2026-01-05T06:00:00Z", H (1), "2026-01-05T10:00:00+03:00"),
  ADD ("minsk", "2026-01-05T09:00:00+03:00", 1, "2026-01-05T09:00:01+03:00"),
  SUB ("minsk", "2026-01-06T09:00:00+03:00", H (1), "2026-01-05T17:00:00+03:00"),
  SUB ("minsk", "2026-01-06T09:00:00+03:00", M (90), "2026-01-05T16:30:00+03:00"),
  SUB ("minsk", "2026-01-08T08:30:00+03:00", H (1), "2026-01-06T16:30:00+03:00"),
  SUB ("minsk", "2026-01-05T14:30:00+03:00", H (1), "2026-01-05T12:30:00+03:00"),
  SUB ("minsk", "2026-01-04T12:00:00+03:00", 0, "2026-01-04T12:00:00+03:00"),
  SUB ("minsk", "2026-01-12T10:00:00+03:00", H (10), "2026-01-09T17:00:00+03:00"),
  BETWEEN ("minsk", "2026-01-05T00:00:00+03:00", "2026-01-12T00:00:00+03:00", H (40)),
  BETWEEN ("minsk", "2026-01-12T00:00:00+03:00", "2026-01-05T00:00:00+03:00", 0),
  BETWEEN ("minsk", "2026-01-05T10:00:00+03:00", "2026-01-05T10:00:00+03:00", 0),
  BETWEEN ("minsk", "2026-01-05T12:59:59+03:00", "2026-01-05T14:00:01+03:00", 2),
  BETWEEN ("minsk", "2026-01-05T13:00:00+03:00", "2026-01-05T14:00:00+03:00", 0),
  BETWEEN ("minsk", "2026-01-01T00:00:00+03:00", "2027-01-01T00:00:00+03:00", H (2030)),
  BETWEEN ("minsk", "2026-03-06T00:00:00+03:00", "2026-03-07T00:00:00+03:00", H (7)),
  WORKING ("minsk", "2026-01-05T08:00:00+03:00", TRUE),
  WORKING ("minsk", "2026-01-05T07:59:59+03:00", FALSE),
  WORKING ("minsk", "2026-01-05T12:59:59+03:00", TRUE),
  WORKING ("minsk", "2026-01-05T13:00:00+03:00", FALSE),
  WORKING ("minsk", "2026-01-05T16:59:59+03:00", TRUE),
  WORKING ("minsk", "2026-01-05T17:00:00+03:00", FALSE),
  WORKING ("minsk", "2026-01-07T10:00:00+03:00", FALSE),
  WORKING ("minsk", "2026-01-10T10:00:00+03:00", TRUE),
  WORKING ("minsk", "2026-12-31T10:00:00+03:00", FALSE),
  WORKING ("minsk", "2026-03-06T16:30:00+03:00", FALSE),
  NEXT ("minsk", "2026-01-05T13:00:00+03:00", "2026-01-05T14:00:00+03:00"),
  NEXT ("minsk", "2026-01-05T10:00:00+03:00", "2026-01-05T10:00:00+03:00"),
  NEXT ("minsk", "2026-01-09T17:00:00+03:00", "2026-01-10T08:00:00+03:00"),
  NEXT ("minsk", "2026-01-10T17:00:00+03:00", "2026-01-12T08:00:00+03:00"),
  NEXT ("minsk", "2026-12-30T17:00:00+03:00", "2027-01-04T08:00:00+03:00"),
  WDAYS ("minsk", "2026-01-05T10:00:00+03:00", 0, "2026-01-05T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-05T10:00:00+03:00", 1, "2026-01-06T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-05T10:00:00+03:00", 2, "2026-01-08T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-05T10:00:00+03:00", 4, "2026-01-10T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-05T10:00:00+03:00", 5, "2026-01-12T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-03T12:00:00+03:00", 0, "2026-01-05T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-03T12:00:00+03:00", 1, "2026-01-05T17:00:00+03:00"),
  WDAYS ("minsk", "2026-03-05T10:00:00+03:00", 1, "2026-03-06T16:00:00+03:00"),
  WDAYS ("minsk", "2026-04-15T10:00:00+03:00", 10, "2026-04-30T17:00:00+03:00"),
  /* The start day is the local date: 22:30 UTC is already Jan 6 in Minsk. */
  WDAYS ("minsk", "2026-01-05T20:30:00Z", 1, "2026-01-06T17:00:00+03:00"),
  WDAYS ("minsk", "2026-01-05T22:30:00Z", 1, "2026-01-08T17:00:00+03:00"),
  CDAYS ("minsk", "2026-01-05T10:00:00+03:00", 0, "2026-01-05T17:00:00+03:00"),
  CDAYS ("minsk", "2026-01-05T10:00:00+03:00", 2, "2026-01-08T17:00:00+03:00"),
  CDAYS ("minsk", "2026-01-05T10:00:00+03:00", 3, "2026-01-08T17:00:00+03:00"),
  CDAYS ("minsk", "2026-01-09T10:00:00+03:00", 1, "2026-01-10T17:00:00+03:00"),
  CDAYS ("minsk", "2026-01-09T10:00:00+03:00", 2, "2026-01-12T17:00:00+03:00"),
  CDAYS ("minsk", "2026-12-29T10:00:00+03:00", 2, "2027-01-04T17:00:00+03:00"),
  CDAYS ("minsk", "2026-03-04T10:00:00+03:00", 2, "2026-03-06T16:00:00+03:00"),

  /* Minsk around the clock. */
  ADD ("minsk247", "2026-01-01T00:00:00+03:00", D (3), "2026-01-04T00:00:00+03:00"),
  ADD ("minsk247", "2024-02-29T12:00:00+03:00", D (365), "2025-02-28T12:00:00+03:00"),
  ADD ("minsk247", "2026-01-05T10:20:30+03:00", 0, "2026-01-05T10:20:30+03:00"),
  SUB ("minsk247", "2026-03-01T00:00:00+03:00", D (1), "2026-02-28T00:00:00+03:00"),
  BETWEEN ("minsk247", "2020-01-01T00:00:00+03:00", "2040-01-01T00:00:00+03:00", D (7305)),
  CDAYS ("minsk247", "2026-01-05T10:00:00+03:00", 3, "2026-01-09T00:00:00+03:00"),
  CDAYS ("minsk247", "2026-01-05T10:00:00+03:00", 0, "2026-01-06T00:00:00+03:00"),
  WDAYS ("minsk247", "2026-01-05T10:00:00+03:00", 1, "2026-01-07T00:00:00+03:00"),

  /* Night shifts: an interval belongs to the day it starts. */
  BETWEEN ("minsk-night", "2026-01-06T19:00:00+03:00", "2026-01-07T09:00:00+03:00", H (12)),
  BETWEEN ("minsk-night", "2026-01-07T19:00:00+03:00", "2026-01-08T09:00:00+03:00", 0),
  BETWEEN ("minsk-night", "2026-01-11T19:00:00+03:00", "2026-01-12T09:00:00+03:00", H (6)),
  WORKING ("minsk-night", "2026-01-07T07:00:00+03:00", TRUE),
  WORKING ("minsk-night", "2026-01-07T21:00:00+03:00", FALSE),
  WORKING ("minsk-night", "2026-01-10T05:00:00+03:00", TRUE),
  WORKING ("minsk-night", "2026-01-05T02:00:00+03:00", FALSE),
  WORKING ("minsk-night", "2026-01-12T01:59:59+03:00", TRUE),
  WORKING ("minsk-night", "2026-01-12T02:00:00+03:00", FALSE),
  ADD ("minsk-night", "2026-01-09T20:00:00+03:00", H (12), "2026-01-10T08:00:00+03:00"),
  ADD ("minsk-night", "2026-01-09T20:00:00+03:00", H (13), "2026-01-11T21:00:00+03:00"),
  ADD ("minsk-night", "2026-01-09T20:00:00+03:00", H (19), "2026-01-12T21:00:00+03:00"),
  ADD ("minsk-night", "2026-01-06T12:00:00+03:00", H (13), "2026-01-08T21:00:00+03:00"),
  WDAYS ("minsk-night", "2026-01-06T10:00:00+03:00", 1, "2026-01-09T08:00:00+03:00"),
  CDAYS ("minsk-night", "2026-01-06T10:00:00+03:00", 1, "2026-01-09T08:00:00+03:00"),
  CDAYS ("minsk-night", "2026-01-09T10:00:00+03:00", 1, "2026-01-12T02:00:00+03:00"),

  /* UTC office: leap days and long spans. */
  ADD ("utc-office", "2024-02-28T16:00:00Z", H (2), "2024-02-29T10:00:00+00:00"),
  ADD ("utc-office", "2024-02-29T16:00:00Z", H (2), "2024-03-01T10:00:00+00:00"),
  ADD ("utc-office", "2023-02-28T16:00:00Z", H (2), "2023-03-01T10:00:00+00:00"),
  BETWEEN ("utc-office", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", H (168)),
  BETWEEN ("utc-office", "2023-02-01T00:00:00Z", "2023-03-01T00:00:00Z", H (160)),
  /* 1044 whole weeks of 40 hours. */
  BETWEEN ("utc-office", "2000-01-03T00:00:00Z", "2020-01-06T00:00:00Z", H (41760)),
  /* 1560 weeks of 40 hours end on a Friday at 17:00, 30 years on. */
  ADD ("utc-office", "2000-01-03T09:00:00Z", H (62400), "2029-11-23T17:00:00+00:00"),
  ADD ("utc-office", "2024-03-02T10:00:00Z", 0, "2024-03-04T09:00:00+00:00"),
  WDAYS ("utc-office", "2024-02-23T12:00:00Z", 10, "2024-03-08T17:00:00+00:00"),
  CDAYS ("utc-office", "2024-02-28T12:00:00Z", 1, "2024-02-29T17:00:00+00:00"),
  CDAYS ("utc-office", "2023-02-28T12:00:00Z", 1, "2023-03-01T17:00:00+00:00"),

  /* Berlin, DST on 2026-03-29 (02:00 -> 03:00) and 2026-10-25 (03:00 -> 02:00). */
  ADD ("berlin247", "2026-03-29T01:30:00+01:00", H (1), "2026-03-29T03:30:00+02:00"),
  ADD ("berlin247", "2026-10-25T01:30:00+02:00", H (2), "2026-10-25T02:30:00+01:00"),
  ADD ("berlin247", "2026-10-25T02:30:00+02:00", H (1), "2026-10-25T02:30:00+01:00"),
  BETWEEN ("berlin247", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", H (23)),
  BETWEEN ("berlin247", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", H (25)),
  SUB ("berlin247", "2026-10-25T03:00:00+01:00", H (1), "2026-10-25T02:00:00+01:00"),
  SUB ("berlin247", "2026-03-29T03:00:00+02:00", 1, "2026-03-29T01:59:59+01:00"),
  CDAYS ("berlin247", "2026-03-28T12:00:00+01:00", 1, "2026-03-30T00:00:00+02:00"),
  CDAYS ("berlin247", "2026-10-24T12:00:00+02:00", 1, "2026-10-26T00:00:00+01:00"),
  WORKING ("berlin247", "2026-10-25T02:30:00+02:00", TRUE),
  BETWEEN ("berlin-night", "2026-03-28T21:00:00+01:00", "2026-03-29T07:00:00+02:00", H (7)),
  BETWEEN ("berlin-night", "2026-10-24T21:00:00+02:00", "2026-10-25T07:00:00+01:00", H (9)),
  BETWEEN ("berlin-night", "2026-03-21T21:00:00+01:00", "2026-03-22T07:00:00+01:00", H (8)),
  ADD ("berlin-night", "2026-03-28T22:00:00+01:00", H (7), "2026-03-29T06:00:00+02:00"),
  ADD ("berlin-night", "2026-03-28T22:00:00+01:00", H (7) + 1, "2026-03-29T22:00:01+02:00"),
  ADD ("berlin-night", "2026-10-24T22:00:00+02:00", H (8), "2026-10-25T05:00:00+01:00"),
  ADD ("berlin-night", "2026-10-24T22:00:00+02:00", H (9), "2026-10-25T06:00:00+01:00"),
  NEXT ("berlin-night", "2026-03-29T07:00:00+02:00", "2026-03-29T22:00:00+02:00"),
  WORKING ("berlin-night", "2026-03-29T01:59:59+01:00", TRUE),
  WORKING ("berlin-night", "2026-03-29T03:00:00+02:00", TRUE),
  WORKING ("berlin-night", "2026-10-25T02:30:00+01:00", TRUE),
  WDAYS ("berlin-night", "2026-03-24T12:00:00+01:00", 1, "2026-03-26T06:00:00+01:00"),
  WDAYS ("berlin-night", "2026-03-27T12:00:00+01:00", 1, "2026-03-29T06:00:00+02:00"),
  BETWEEN ("berlin-edge", "2026-03-29T00:00:00+01:00", "2026-03-29T12:00:00+02:00", H (1)),
  BETWEEN ("berlin-edge", "2026-10-25T00:00:00+02:00", "2026-10-25T12:00:00+01:00", H (2)),
  BETWEEN ("berlin-edge", "2026-11-01T00:00:00+01:00", "2026-11-01T12:00:00+01:00", M (90)),
  NEXT ("berlin-edge", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00"),
  NEXT ("berlin-edge", "2026-10-25T02:10:00+01:00", "2026-10-25T02:30:00+01:00"),
  WORKING ("berlin-edge", "2026-10-25T02:15:00+01:00", FALSE),
  WORKING ("berlin-edge", "2026-10-25T02:45:00+02:00", TRUE),
  WORKING ("berlin-edge", "2026-10-25T02:45:00+01:00", TRUE),
  ADD ("berlin-edge", "2026-10-25T02:30:00+02:00", M (30), "2026-10-25T02:00:00+01:00"),
  ADD ("berlin-edge", "2026-10-25T02:30:00+02:00", M (31), "2026-10-25T02:31:00+01:00"),
  WDAYS ("berlin-edge", "2026-03-22T12:00:00+01:00", 1, "2026-03-29T04:00:00+02:00"),
  WDAYS ("berlin-edge", "2026-03-22T12:00:00+01:00", 2, "2026-04-05T04:00:00+02:00"),
  WDAYS ("berlin-edge", "2026-10-18T12:00:00+02:00", 1, "2026-10-25T04:00:00+01:00"),

  /* Kyiv, DST on 2026-03-29 (03:00 -> 04:00) and 2026-10-25 (04:00 -> 03:00). */
  BETWEEN ("kyiv-night", "2026-03-28T20:00:00+02:00", "2026-03-29T08:00:00+03:00", H (11)),
  BETWEEN ("kyiv-night", "2026-10-24T20:00:00+03:00", "2026-10-25T08:00:00+02:00", H (13)),
  ADD ("kyiv-night", "2026-10-24T20:00:00+03:00", H (12), "2026-10-25T07:00:00+02:00"),
  ADD ("kyiv-night", "2026-03-28T20:00:00+02:00", H (12), "2026-03-29T21:00:00+03:00"),
  SUB ("kyiv-night", "2026-03-29T21:00:00+03:00", H (12), "2026-03-28T08:00:00+02:00"),
  WDAYS ("kyiv-night", "2026-10-23T09:00:00+03:00", 1, "2026-10-25T08:00:00+02:00"),
  BETWEEN ("kyiv247", "2026-03-29T00:00:00+02:00", "2026-03-30T00:00:00+03:00", H (23)),
  ADD ("kyiv247", "2026-03-29T02:59:59+02:00", 1, "2026-03-29T04:00:00+03:00"),
  ADD ("kyiv247", "2026-10-25T03:59:59+03:00", 1, "2026-10-25T03:00:00+02:00"),
  CDAYS ("kyiv247", "2026-10-24T10:00:00+03:00", 1, "2026-10-26T00:00:00+02:00"),

  /* Sao Paulo: DST began 2018-11-04 at 00:00 (-> 01:00) and ended
   * 2019-02-17 at 00:00 (-> Feb 16 23:00); none since 2019. */
  BETWEEN ("sp-evening", "2018-11-03T17:00:00-03:00", "2018-11-04T03:00:00-02:00", H (7)),
  BETWEEN ("sp-evening", "2019-02-16T17:00:00-02:00", "2019-02-17T03:00:00-03:00", H (9)),
  ADD ("sp-evening", "2018-11-03T23:00:00-03:00", H (1), "2018-11-04T01:00:00-02:00"),
  ADD ("sp-evening", "2018-11-03T23:00:00-03:00", H (3), "2018-11-05T19:00:00-02:00"),
  NEXT ("sp-evening", "2018-11-04T03:00:00-02:00", "2018-11-05T18:00:00-02:00"),
  ADD ("sp-evening", "2019-02-16T18:00:00-02:00", H (5), "2019-02-16T23:00:00-02:00"),
  ADD ("sp-evening", "2019-02-16T18:00:00-02:00", H (6), "2019-02-16T23:00:00-03:00"),
  WORKING ("sp-evening", "2019-02-16T23:30:00-02:00", TRUE),
  WORKING ("sp-evening", "2019-02-16T23:30:00-03:00", TRUE),
  WORKING ("sp-evening", "2019-02-17T02:00:00-03:00", FALSE),
  WDAYS ("sp-evening", "2019-02-15T12:00:00-02:00", 1, "2019-02-17T02:00:00-03:00"),
  BETWEEN ("sp247", "2019-02-16T00:00:00-02:00", "2019-02-17T00:00:00-03:00", H (25)),
  BETWEEN ("sp247", "2019-11-03T00:00:00-03:00", "2019-11-04T00:00:00-03:00", H (24)),
  CDAYS ("sp247", "2019-02-15T12:00:00-02:00", 1, "2019-02-17T00:00:00-03:00"),
  /* 24:00 of Nov 3 2018 never shows on a clock: it is the 01:00 after the
   * skipped hour. */
  CDAYS ("sp247", "2018-11-02T12:00:00-03:00", 1, "2018-11-04T01:00:00-02:00"),

  /* Sydney: DST ended 2026-04-05 (03:00 -> 02:00) and began 2026-10-04
   * (02:00 -> 03:00). */
  BETWEEN ("sydney-night", "2026-04-04T21:00:00+11:00", "2026-04-05T07:00:00+10:00", H (9)),
  BETWEEN ("sydney-night", "2026-10-03T21:00:00+10:00", "2026-10-04T07:00:00+11:00", H (7)),
  ADD ("sydney-night", "2026-04-04T22:00:00+11:00", H (5), "2026-04-05T02:00:00+10:00"),
  ADD ("sydney-night", "2026-10-03T22:00:00+10:00", H (4), "2026-10-04T03:00:00+11:00"),
  ADD ("sydney-night", "2026-10-03T22:00:00+10:00", H (7), "2026-10-04T06:00:00+11:00"),
  SUB ("sydney-night", "2026-04-05T06:00:00+10:00", H (9), "2026-04-04T06:00:00+11:00"),
  CDAYS ("sydney247", "2026-04-04T09:00:00+11:00", 0, "2026-04-05T00:00:00+11:00"),
  CDAYS ("sydney247", "2026-04-04T09:00:00+11:00", 1, "2026-04-06T00:00:00+10:00"),
  BETWEEN ("sydney247", "2026-10-04T00:00:00+10:00", "2026-10-05T00:00:00+11:00", H (23)),

  /* Almaty moved from UTC+6 to UTC+5 at 2024-03-01 00:00 (back to
   * Feb 29 23:00): no DST, but a repeated hour on a leap day. */
  ADD ("almaty", "2024-02-29T17:00:00+06:00", H (2), "2024-03-01T10:00:00+05:00"),
  BETWEEN ("almaty", "2024-02-29T00:00:00+06:00", "2024-03-02T00:00:00+05:00", H (16)),
  BETWEEN ("almaty", "2024-01-01T00:00:00+06:00", "2025-01-01T00:00:00+05:00", H (2088)),
  WORKING ("almaty", "2024-02-29T12:00:00+06:00", TRUE),
  WORKING ("almaty", "2024-03-08T12:00:00+05:00", FALSE),
  WDAYS ("almaty", "2024-02-28T10:00:00+06:00", 1, "2024-02-29T18:00:00+06:00"),
  WDAYS ("almaty", "2024-02-28T10:00:00+06:00", 2, "2024-03-01T18:00:00+05:00"),
  WDAYS ("almaty", "2024-02-28T10:00:00+06:00", 7, "2024-03-11T18:00:00+05:00"),
  BETWEEN ("almaty247", "2024-02-29T00:00:00+06:00", "2024-03-01T00:00:00+05:00", H (25)),
  CDAYS ("almaty247", "2024-02-28T12:00:00+06:00", 1, "2024-03-01T00:00:00+05:00"),
  ADD ("almaty247", "2024-02-29T23:30:00+06:00", H (1), "2024-02-29T23:30:00+05:00"),
  BETWEEN ("almaty-night", "2024-02-29T21:00:00+06:00", "2024-03-01T03:00:00+05:00", H (5)),
  ADD ("almaty-night", "2024-02-29T22:00:00+06:00", H (5), "2024-03-01T02:00:00+05:00"),
  ADD ("almaty-night", "2024-02-29T22:00:00+06:00", H (5) + 1, "2024-03-01T22:00:01+05:00"),

  /* No more working time: the sentinels. */
  ADD ("one-day", "2026-01-01T00:00:00+03:00", H (9), "2026-01-10T18:00:00+03:00"),
  ADD ("one-day", "2026-01-01T00:00:00+03:00", H (9) + 1, NULL),
  ADD ("one-day", "2026-01-10T18:00:00+03:00", 1, NULL),
  NEXT ("one-day", "2026-01-10T18:00:00+03:00", NULL),
  SUB ("one-day", "2026-01-10T10:00:00+03:00", H (2), NULL),
  SUB ("one-day", "2026-01-10T18:00:00+03:00", H (9) - 1, "2026-01-10T09:00:01+03:00"),
  BETWEEN ("one-day", "1900-01-01T00:00:00Z", "2199-01-01T00:00:00Z", H (9)),
  WDAYS ("one-day", "2026-01-10T12:00:00+03:00", 1, NULL),
  WDAYS ("one-day", "2025-06-01T12:00:00+03:00", 1, "2026-01-10T18:00:00+03:00"),
  CDAYS ("one-day", "2026-01-01T12:00:00+03:00", 3, "2026-01-10T18:00:00+03:00"),
  /* The supported years end with 2199. */
  ADD ("utc247", "2199-12-31T12:00:00Z", H (12), "2200-01-01T00:00:00+00:00"),
  ADD ("utc247", "2199-12-31T12:00:00Z", D (1), NULL),
  CDAYS ("utc247", "2199-12-31T12:00:00Z", 0, "2200-01-01T00:00:00+00:00"),
  CDAYS ("utc247", "2199-12-31T12:00:00Z", 1, NULL),
  ADD ("utc247", "1899-12-31T12:00:00Z", H (1), "1900-01-01T01:00:00+00:00"),
  ADD ("utc247", "2026-01-01T00:00:00Z", D (365) * 100, "2125-12-08T00:00:00+00:00"),
};

static const char *
op_name (Op op)
{
  static const char * const names[] = {
    "add", "subtract", "between", "is-working", "next-working", "working-days",
    "calendar-days",
  };

  return names[op];
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(CdSlaCalendar) cal = load_fixture (c->cal);
  gint64 a = iso (c->a), got = 0;
  gboolean instant = TRUE;

  switch (c->op)
    {
    case OP_ADD:
      got = cd_sla_calendar_add (cal, a, c->n);
      break;
    case OP_SUB:
      got = cd_sla_calendar_subtract (cal, a, c->n);
      break;
    case OP_BETWEEN:
      g_assert_cmpint (cd_sla_calendar_between (cal, a, iso (c->b)), ==, c->expect_n);
      instant = FALSE;
      break;
    case OP_WORKING:
      g_assert_cmpint (cd_sla_calendar_is_working (cal, a), ==, c->expect_n);
      instant = FALSE;
      break;
    case OP_NEXT:
      got = cd_sla_calendar_next_working (cal, a);
      break;
    case OP_WDAYS:
      got = cd_sla_calendar_add_days (cal, a, c->n, CD_SLA_DAYS_WORKING);
      break;
    case OP_CDAYS:
      got = cd_sla_calendar_add_days (cal, a, c->n, CD_SLA_DAYS_CALENDAR);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!instant)
    return;
  if (c->expect == NULL)
    {
      g_assert_cmpint (got, ==, c->op == OP_SUB ? CD_SLA_NEVER_BEFORE : CD_SLA_NEVER);
      g_assert_null (cd_sla_calendar_format (cal, got));
    }
  else
    {
      g_autofree char *text = cd_sla_calendar_format (cal, got);

      /* The string also checks the zone's offset at the result. */
      g_assert_cmpstr (text, ==, c->expect);
      g_assert_cmpint (got, ==, iso (c->expect));
    }
}

/* Parsing {{{1 */

typedef struct
{
  const char *json;
  int         code;
  const char *message;         /* the whole message, or its start ending in '*' */
} BadCase;

#define WEEK_REST "'tue': [], 'wed': [], 'thu': [], 'fri': [], 'sat': [], 'sun': []"
#define MON_ONLY(mon) "{'timezone': 'UTC', 'week': {'mon': " mon ", " WEEK_REST "}}"
#define WITH(extra) "{'timezone': 'UTC', 'week': {'mon': " OFFICE ", " WEEK_REST "}, " extra "}"

static const BadCase bad_cases[] = {
  { "not json", CD_SLA_ERROR_INVALID_JSON, "the calendar is not valid JSON: *" },
  { "", CD_SLA_ERROR_INVALID_JSON, "*" },
  { "['24/7']", CD_SLA_ERROR_INVALID_JSON, "a calendar must be a JSON object" },
  { "{'timezone': 'UTC', 'week': '24/7', 'name': 'x'}", CD_SLA_ERROR_UNKNOWN_KEY,
    "name: unknown key (a calendar has timezone, week, holidays and overrides)" },
  { "{'timezone': 'UTC', 'week': '24/7', 'holiday': []}", CD_SLA_ERROR_UNKNOWN_KEY,
    "holiday: unknown key (a calendar has timezone, week, holidays and overrides)" },
  { "{'week': '24/7'}", CD_SLA_ERROR_MISSING_KEY, "timezone: missing" },
  { "{'timezone': 'UTC'}", CD_SLA_ERROR_MISSING_KEY, "week: missing" },
  { "{'timezone': 3, 'week': '24/7'}", CD_SLA_ERROR_INVALID_TYPE,
    "timezone: expected a string such as \"Europe/Minsk\"" },
  { "{'timezone': 'Mars/Olympus', 'week': '24/7'}", CD_SLA_ERROR_INVALID_TIMEZONE,
    "timezone: “Mars/Olympus” is not a known time zone (use an IANA name such as Europe/Minsk)" },
  { "{'timezone': '/etc/passwd', 'week': '24/7'}", CD_SLA_ERROR_INVALID_TIMEZONE, "*" },
  { "{'timezone': '../zoneinfo/UTC', 'week': '24/7'}", CD_SLA_ERROR_INVALID_TIMEZONE, "*" },
  { "{'timezone': '', 'week': '24/7'}", CD_SLA_ERROR_INVALID_TIMEZONE, "*" },
  { "{'timezone': 'UTC', 'week': '8/5'}", CD_SLA_ERROR_INVALID_TYPE,
    "week: expected \"24/7\" or an object with the keys mon, tue, wed, thu, fri, sat and sun" },
  { "{'timezone': 'UTC', 'week': {'mon': [], 'tue': [], 'wed': [], 'thu': [], 'fri': [], 'sat': "
    "[]}}",
    CD_SLA_ERROR_MISSING_KEY, "week.sun: missing (write [] for a day off)" },
  { "{'timezone': 'UTC', 'week': {'mon': [], 'hol': [], " WEEK_REST "}}", CD_SLA_ERROR_UNKNOWN_KEY,
    "week.hol: unknown key (the days are mon, tue, wed, thu, fri, sat and sun)" },
  { MON_ONLY ("[['08:00','13:00'],['25:00','17:00']]"), CD_SLA_ERROR_INVALID_TIME,
    "week.mon[1][0]: “25:00” is not a time (HH:MM)" },
  { MON_ONLY ("[['8:00','13:00']]"), CD_SLA_ERROR_INVALID_TIME,
    "week.mon[0][0]: “8:00” is not a time (HH:MM)" },
  { MON_ONLY ("[['08:00','12:60']]"), CD_SLA_ERROR_INVALID_TIME,
    "week.mon[0][1]: “12:60” is not a time (HH:MM)" },
  { MON_ONLY ("[['08:00','24:01']]"), CD_SLA_ERROR_INVALID_TIME,
    "week.mon[0][1]: “24:01” is not a time (HH:MM)" },
  { MON_ONLY ("[['08:00:00','12:00']]"), CD_SLA_ERROR_INVALID_TIME,
    "week.mon[0][0]: “08:00:00” is not a time (HH:MM)" },
  { MON_ONLY ("[['24:00','08:00']]"), CD_SLA_ERROR_INVALID_TIME,
    "week.mon[0][0]: “24:00” can only end an interval" },
  { MON_ONLY ("[['09:00','09:00']]"), CD_SLA_ERROR_INVALID_INTERVAL,
    "week.mon[0]: the interval is empty (it starts and ends at 09:00)" },
  { MON_ONLY ("[['08:00','13:00'],['12:00','17:00']]"), CD_SLA_ERROR_INVALID_INTERVAL,
    "week.mon[1]: starts before week.mon[0] ends (list a day's intervals in order, an overnight "
    "one last)" },
  { MON_ONLY ("[['14:00','17:00'],['08:00','13:00']]"), CD_SLA_ERROR_INVALID_INTERVAL,
    "week.mon[1]: starts before week.mon[0] ends (list a day's intervals in order, an overnight "
    "one last)" },
  { MON_ONLY ("[['20:00','02:00'],['22:00','23:00']]"), CD_SLA_ERROR_INVALID_INTERVAL,
    "week.mon[1]: starts before week.mon[0] ends (list a day's intervals in order, an overnight "
    "one last)" },
  { MON_ONLY ("[['08:00','13:00','17:00']]"), CD_SLA_ERROR_INVALID_TYPE,
    "week.mon[0]: expected a pair of times like [\"08:00\", \"17:00\"]" },
  { MON_ONLY ("[[8, 17]]"), CD_SLA_ERROR_INVALID_TYPE,
    "week.mon[0]: expected a pair of times like [\"08:00\", \"17:00\"]" },
  { MON_ONLY ("'08:00-17:00'"), CD_SLA_ERROR_INVALID_TYPE,
    "week.mon: expected a list of intervals like [[\"08:00\", \"17:00\"]]" },
  { MON_ONLY ("[['00:00','01:00'],['01:00','02:00'],['02:00','03:00'],['03:00','04:00'],"
              "['04:00','05:00'],['05:00','06:00'],['06:00','07:00'],['07:00','08:00'],"
              "['08:00','09:00'],['09:00','10:00'],['10:00','11:00'],['11:00','12:00'],"
              "['12:00','13:00'],['13:00','14:00'],['14:00','15:00'],['15:00','16:00'],"
              "['16:00','17:00']]"),
    CD_SLA_ERROR_INVALID_INTERVAL, "week.mon: 17 intervals, at most 16 are allowed in a day" },
  { MON_ONLY ("[]"), CD_SLA_ERROR_NO_WORKING_TIME,
    "week: the calendar has no working time: every weekday is empty and no override opens a day" },
  { WITH ("'holidays': '01-01'"), CD_SLA_ERROR_INVALID_TYPE,
    "holidays: expected a list of dates like [\"01-01\", \"2026-01-02\"]" },
  { WITH ("'holidays': ['01-01', 5]"), CD_SLA_ERROR_INVALID_TYPE,
    "holidays[1]: expected a date string (MM-DD or YYYY-MM-DD)" },
  { WITH ("'holidays': ['01-01', '13-01']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[1]: “13-01” does not exist" },
  { WITH ("'holidays': ['02-30']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[0]: “02-30” does not exist" },
  { WITH ("'holidays': ['2025-02-29']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[0]: “2025-02-29” does not exist" },
  { WITH ("'holidays': ['1-1']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[0]: “1-1” is not a date (MM-DD or YYYY-MM-DD)" },
  { WITH ("'holidays': ['2026/01/02']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[0]: “2026/01/02” is not a date (MM-DD or YYYY-MM-DD)" },
  { WITH ("'holidays': ['01-01', '05-01', '01-01']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[2]: 01-01 is listed twice" },
  { WITH ("'holidays': ['2026-01-02', '2026-01-02']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[1]: 2026-01-02 is listed twice" },
  { WITH ("'holidays': ['2300-01-01']"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[0]: “2300-01-01” is outside the years 1900 to 2199" },
  { WITH ("'overrides': []"), CD_SLA_ERROR_INVALID_TYPE,
    "overrides: expected an object of dates like {\"2026-01-10\": [[\"09:00\", \"18:00\"]]}" },
  { WITH ("'overrides': {'2026-1-10': []}"), CD_SLA_ERROR_INVALID_DATE,
    "overrides.2026-1-10: “2026-1-10” is not a date (YYYY-MM-DD)" },
  { WITH ("'overrides': {'01-10': []}"), CD_SLA_ERROR_INVALID_DATE,
    "overrides.01-10: “01-10” is not a date (YYYY-MM-DD)" },
  { WITH ("'overrides': {'2026-01-10': [['09:00','18.00']]}"), CD_SLA_ERROR_INVALID_TIME,
    "overrides.2026-01-10[0][1]: “18.00” is not a time (HH:MM)" },
  { WITH ("'overrides': {'2026-01-10': {}}"), CD_SLA_ERROR_INVALID_TYPE,
    "overrides.2026-01-10: expected a list of intervals like [[\"08:00\", \"17:00\"]]" },
  { WITH ("'holidays': ['2026-01-10'], 'overrides': {'2026-01-10': []}"), CD_SLA_ERROR_INVALID_DATE,
    "holidays[0]: 2026-01-10 also has an override, which would win (remove one of them)" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *json = quotes (c->json);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = cd_sla_calendar_new_from_json (json, -1, &error);
  gsize len = strlen (c->message);

  g_assert_null (cal);
  g_assert_error (error, CD_SLA_ERROR, c->code);
  if (len > 0 && c->message[len - 1] == '*')
    g_assert_true (strncmp (error->message, c->message, len - 1) == 0);
  else
    g_assert_cmpstr (error->message, ==, c->message);
}

static void
test_parse_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = NULL;
  g_autofree char *json = NULL;

  /* 24:00 ends a day; 19:00-24:00 and 00:00-24:00 are fine. */
  json = quotes (MON_ONLY ("[['00:00','12:00'],['19:00','24:00']]"));
  cal = cd_sla_calendar_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cd_sla_calendar_between (cal, iso ("2026-01-05T00:00:00Z"),
                                            iso ("2026-01-06T00:00:00Z")), ==, H (17));
  g_assert_cmpint (cd_sla_calendar_add (cal, iso ("2026-01-05T23:00:00Z"), H (1)),
                   ==, iso ("2026-01-06T00:00:00Z"));
  g_assert_false (cd_sla_calendar_is_24_7 (cal));
  g_assert_cmpstr (cd_sla_calendar_get_timezone_id (cal), ==, "UTC");
  g_assert_nonnull (cd_sla_calendar_get_timezone (cal));
  g_clear_pointer (&cal, cd_sla_calendar_unref);
  g_clear_pointer (&json, g_free);

  /* A yearly 29 February is a holiday in leap years only. */
  json = quotes (WITH ("'holidays': ['02-29']"));
  cal = cd_sla_calendar_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_false (cd_sla_calendar_is_working_day (cal, 2028, 2, 29));
  g_assert_true (cd_sla_calendar_is_working_day (cal, 2027, 3, 1));
  g_assert_false (cd_sla_calendar_is_working_day (cal, 2027, 2, 29));
  g_clear_pointer (&cal, cd_sla_calendar_unref);
  g_clear_pointer (&json, g_free);

  /* 24/7 with holidays: those dates are closed. */
  json = quotes ("{'timezone': 'Europe/Minsk', 'week': '24/7', 'holidays': ['01-01']}");
  cal = cd_sla_calendar_new_from_json (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (cd_sla_calendar_is_24_7 (cal));
  g_assert_cmpint (cd_sla_calendar_between (cal, iso ("2025-12-31T00:00:00+03:00"),
                                            iso ("2026-01-03T00:00:00+03:00")), ==, H (48));
  g_clear_pointer (&cal, cd_sla_calendar_unref);
  g_clear_pointer (&json, g_free);

  /* A length instead of a terminating nul. */
  {
    const char *text = "{\"timezone\":\"UTC\",\"week\":\"24/7\"}garbage";

    cal = cd_sla_calendar_new_from_json (text, strlen (text) - strlen ("garbage"), &error);
  }
  g_assert_no_error (error);
  g_assert_true (cd_sla_calendar_is_working (cal, 0));
}

static void
test_24_7 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = cd_sla_calendar_new_24_7 ("Europe/Kyiv", &error);
  g_autoptr(CdSlaCalendar) utc = cd_sla_calendar_new_24_7 (NULL, &error);
  g_autoptr(CdSlaCalendar) bad = NULL;
  g_autofree char *json = NULL;

  g_assert_no_error (error);
  g_assert_true (cd_sla_calendar_is_24_7 (cal));
  g_assert_cmpint (cd_sla_calendar_between (cal, iso ("2026-10-25T00:00:00+03:00"),
                                            iso ("2026-10-26T00:00:00+02:00")), ==, H (25));
  g_assert_cmpstr (cd_sla_calendar_get_timezone_id (utc), ==, "UTC");
  json = cd_sla_calendar_to_json (cal);
  g_assert_nonnull (strstr (json, "\"week\": \"24/7\""));

  bad = cd_sla_calendar_new_24_7 ("Europe/Atlantis", &error);
  g_assert_null (bad);
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_TIMEZONE);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = load_fixture ("minsk");
  g_autoptr(CdSlaCalendar) night = load_fixture ("minsk-night");
  g_autofree char *json = cd_sla_calendar_to_json (cal);
  g_autofree char *night_json = cd_sla_calendar_to_json (night);
  g_autoptr(CdSlaCalendar) again = cd_sla_calendar_new_from_json (json, -1, &error);
  g_autoptr(CdSlaCalendar) night_again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CdSlaCalendar) from_bytes = NULL;
  g_autofree char *json2 = NULL;
  gint64 t = iso ("2026-01-01T00:00:00+03:00");

  g_assert_no_error (error);
  json2 = cd_sla_calendar_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  g_assert_nonnull (
      strstr (json, "\"2026-01-10\": [[\"08:00\", \"13:00\"], [\"14:00\", \"17:00\"]]"));
  g_assert_nonnull (strstr (json, "\"2026-12-31\": []"));
  g_assert_nonnull (strstr (night_json, "\"mon\": [[\"20:00\", \"08:00\"]]"));

  night_again = cd_sla_calendar_new_from_json (night_json, -1, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new (json, strlen (json));
  from_bytes = cd_sla_calendar_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  for (gint64 d = 0; d < D (30); d += H (7) + 11)
    {
      g_assert_cmpint (cd_sla_calendar_add (cal, t, d), ==, cd_sla_calendar_add (again, t, d));
      g_assert_cmpint (cd_sla_calendar_add (cal, t, d), ==, cd_sla_calendar_add (from_bytes, t, d));
      g_assert_cmpint (cd_sla_calendar_add (night, t, d), ==,
                       cd_sla_calendar_add (night_again, t, d));
    }
}

static void
test_boxed (void)
{
  g_autoptr(CdSlaCalendar) cal = load_fixture ("minsk");
  CdSlaCalendar *copy = g_boxed_copy (CD_TYPE_SLA_CALENDAR, cal);
  g_autoptr(CdSlaHoliday) h = cd_sla_holiday_new (0, 2, 29, "Leap");
  CdSlaHoliday *h2 = g_boxed_copy (CD_TYPE_SLA_HOLIDAY, h);
  g_autofree char *s1 = cd_sla_holiday_to_string (h);
  g_autofree char *s2 = NULL;
  g_autoptr(GDateTime) dt = NULL;

  g_assert_true (copy == cal);
  g_boxed_free (CD_TYPE_SLA_CALENDAR, copy);
  g_assert_cmpstr (h2->summary, ==, "Leap");
  g_assert_cmpstr (s1, ==, "02-29");
  h2->year = 2028;
  s2 = cd_sla_holiday_to_string (h2);
  g_assert_cmpstr (s2, ==, "2028-02-29");
  g_boxed_free (CD_TYPE_SLA_HOLIDAY, h2);

  dt = cd_sla_calendar_to_date_time (cal, 0);
  g_assert_cmpint (g_date_time_get_hour (dt), ==, 3);
  g_assert_null (cd_sla_calendar_to_date_time (cal, CD_SLA_NEVER));
  g_assert_null (cd_sla_calendar_to_date_time (cal, CD_SLA_NEVER_BEFORE));
}

static void
test_add_holidays (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSlaCalendar) cal = load_fixture ("minsk");
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_sla_holiday_free);
  g_autoptr(CdSlaCalendar) more = NULL;
  g_autoptr(CdSlaCalendar) bad = NULL;
  g_autoptr(CdSlaHoliday) known = cd_sla_holiday_new (2027, 1, 7, NULL);
  g_autoptr(CdSlaHoliday) unknown = cd_sla_holiday_new (2026, 1, 8, NULL);

  g_assert_true (cd_sla_calendar_has_holiday (cal, known));   /* yearly 01-07 */
  g_assert_false (cd_sla_calendar_has_holiday (cal, unknown));

  g_ptr_array_add (list, cd_sla_holiday_new (2026, 1, 8, "Extra"));
  g_ptr_array_add (list, cd_sla_holiday_new (0, 6, 1, "Yearly"));
  g_ptr_array_add (list, cd_sla_holiday_new (2026, 1, 1, "Known"));
  /* An override is more specific than an imported holiday. */
  g_ptr_array_add (list, cd_sla_holiday_new (2026, 1, 10, "Moved"));
  more = cd_sla_calendar_add_holidays (cal, list, &error);
  g_assert_no_error (error);

  /* The original is unchanged. */
  g_assert_true (cd_sla_calendar_is_working_day (cal, 2026, 1, 8));
  g_assert_false (cd_sla_calendar_is_working_day (more, 2026, 1, 8));
  g_assert_false (cd_sla_calendar_is_working_day (more, 2026, 6, 1));   /* Monday */
  g_assert_false (cd_sla_calendar_is_working_day (more, 2027, 6, 1));   /* Tuesday */
  g_assert_true (cd_sla_calendar_is_working_day (more, 2026, 1, 10));
  g_assert_true (cd_sla_calendar_has_holiday (more, unknown));
  g_assert_cmpint (cd_sla_calendar_add (more, iso ("2026-01-06T16:00:00+03:00"), H (2)),
                   ==, iso ("2026-01-09T09:00:00+03:00"));

  g_ptr_array_add (list, cd_sla_holiday_new (2026, 2, 30, NULL));
  bad = cd_sla_calendar_add_holidays (cal, list, &error);
  g_assert_null (bad);
  g_assert_error (error, CD_SLA_ERROR, CD_SLA_ERROR_INVALID_DATE);
}

/* Properties on random calendars {{{1 */

static const char * const random_zones[] = {
  "Europe/Kyiv", "Europe/Berlin", "America/Sao_Paulo", "Australia/Sydney",
  "Europe/Minsk", "Asia/Almaty", "UTC", "America/St_Johns",
};

/* Instants near the zones' changes, to aim the random starts at them. */
static const char * const random_near[] = {
  "2026-03-29T00:00:00Z", "2026-10-25T00:00:00Z", "2018-11-04T00:00:00Z",
  "2019-02-17T00:00:00Z", "2026-04-05T00:00:00Z", "2026-10-04T00:00:00Z",
  "2024-03-01T00:00:00Z", "2025-11-02T00:00:00Z", "2026-01-01T00:00:00Z",
};

typedef struct
{
  GTimeZone *tz;
  int        spans[7][4][2];   /* minutes from midnight; end may pass 1440 */
  int        n[7];
  GDate      holidays[6];
  int        n_holidays;
  GDate      override_date;
  int        override_span[2];
  gboolean   has_override;
} RandomCal;

static void
random_day (GRand *rand,
            int    spans[4][2],
            int   *n)
{
  int at = g_rand_int_range (rand, 0, 8) * 60 + g_rand_int_range (rand, 0, 4) * 15;

  *n = g_rand_int_range (rand, 0, 4);
  for (int i = 0; i < *n; i++)
    {
      int start = at + g_rand_int_range (rand, i == 0 ? 0 : 1, 240);
      int end = start + g_rand_int_range (rand, 1, 600);

      if (start >= 1440 || (end > 1440 && i < *n - 1))
        {
          *n = i;
          break;
        }
      spans[i][0] = start;
      spans[i][1] = MIN (end, start + 1439);
      at = spans[i][1];
      if (at >= 1440)
        {
          *n = i + 1;
          break;
        }
    }
}

static void
append_span (GString *json,
             int      start,
             int      end)
{
  int e = end > 1440 ? end - 1440 : end;

  g_string_append_printf (json, "[\"%02d:%02d\",\"%02d:%02d\"]",
                          start / 60, start % 60, e / 60, e % 60);
}

static CdSlaCalendar *
random_calendar (GRand     *rand,
                 RandomCal *rc)
{
  static const char * const names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const char *zone = random_zones[g_rand_int_range (rand, 0, G_N_ELEMENTS (random_zones))];
  CdSlaCalendar *cal;
  gboolean any = FALSE;
  GDate base;

  memset (rc, 0, sizeof *rc);
  rc->tz = g_time_zone_new_identifier (zone);
  g_string_append_printf (json, "{\"timezone\":\"%s\",\"week\":{", zone);
  for (int w = 0; w < 7; w++)
    {
      random_day (rand, rc->spans[w], &rc->n[w]);
      any |= rc->n[w] > 0;
      g_string_append_printf (json, "%s\"%s\":[", w ? "," : "", names[w]);
      for (int i = 0; i < rc->n[w]; i++)
        {
          if (i)
            g_string_append_c (json, ',');
          append_span (json, rc->spans[w][i][0], rc->spans[w][i][1]);
        }
      g_string_append_c (json, ']');
    }
  if (!any)
    {
      /* Keep some working time: Wednesday 10:00-11:00. */
      rc->n[2] = 1;
      rc->spans[2][0][0] = 600;
      rc->spans[2][0][1] = 660;
      g_string_truncate (json, 0);
      g_string_append_printf (json, "{\"timezone\":\"%s\",\"week\":{\"mon\":[],\"tue\":[],"
                              "\"wed\":[[\"10:00\",\"11:00\"]],\"thu\":[],\"fri\":[],"
                              "\"sat\":[],\"sun\":[]", zone);
    }
  g_string_append (json, "},\"holidays\":[");

  /* Holidays and an override near the instants the tests aim at. */
  g_date_clear (&base, 1);
  {
    g_autoptr(GDateTime) near = g_date_time_new_from_iso8601 (
      random_near[g_rand_int_range (rand, 0, G_N_ELEMENTS (random_near))], NULL);

    g_date_set_dmy (&base, g_date_time_get_day_of_month (near),
                    g_date_time_get_month (near), g_date_time_get_year (near));
  }
  rc->n_holidays = g_rand_int_range (rand, 0, 4);
  for (int i = 0; i < rc->n_holidays; i++)
    {
      GDate *d = &rc->holidays[i];

      *d = base;
      g_date_add_days (d, g_rand_int_range (rand, 0, 10));
      g_date_subtract_days (d, 5);
      /* Different days, so that none is listed twice. */
      g_date_add_days (d, i * 11);
      g_string_append_printf (json, "%s\"%04d-%02d-%02d\"", i ? "," : "",
                              g_date_get_year (d), g_date_get_month (d),
                              g_date_get_day (d));
    }
  g_string_append (json, "],\"overrides\":{");
  if (g_rand_boolean (rand))
    {
      rc->has_override = TRUE;
      rc->override_date = base;
      g_date_add_days (&rc->override_date, 3 + 11 * 4);
      rc->override_span[0] = g_rand_int_range (rand, 0, 1200);
      rc->override_span[1] = rc->override_span[0] + g_rand_int_range (rand, 1, 900);
      g_string_append_printf (json, "\"%04d-%02d-%02d\":[",
                              g_date_get_year (&rc->override_date),
                              g_date_get_month (&rc->override_date),
                              g_date_get_day (&rc->override_date));
      append_span (json, rc->override_span[0], rc->override_span[1]);
      g_string_append (json, "]");
    }
  g_string_append (json, "}}");

  cal = cd_sla_calendar_new_from_json (json->str, -1, &error);
  g_assert_no_error (error);
  return cal;
}

static void
random_cal_clear (RandomCal *rc)
{
  g_time_zone_unref (rc->tz);
}

/* The reference: is the minute starting at @t working? Reads the zone's
 * offset from GTimeZone and the local date from GDate, and the intervals
 * from the description, minute by minute; no arithmetic shared with the
 * calendar (and no allocation, so that it stays quick under ASan). */
static gboolean
brute_minute (const RandomCal *rc,
              gint64           t)
{
  int interval = g_time_zone_find_interval (rc->tz, G_TIME_TYPE_UNIVERSAL, t);
  gint64 local = t + g_time_zone_get_offset (rc->tz, interval);
  gint64 days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  int minute = (int) (local - days * 86400) / 60;
  GDate date;

  g_date_clear (&date, 1);
  /* Julian day 719163 of GDate is 1970-01-01. */
  g_date_set_julian (&date, (guint32) (719163 + days));

  /* Today's own intervals, then yesterday's overnight one. */
  for (int back = 0; back < 2; back++)
    {
      GDate d = date;
      int at = minute + back * 1440;
      gboolean holiday = FALSE;

      g_date_subtract_days (&d, back);
      for (int i = 0; i < rc->n_holidays; i++)
        holiday |= g_date_compare (&d, &rc->holidays[i]) == 0;
      if (rc->has_override && g_date_compare (&d, &rc->override_date) == 0)
        {
          if (at >= rc->override_span[0] && at < rc->override_span[1])
            return TRUE;
          continue;
        }
      if (holiday)
        continue;
      {
        int w = g_date_get_weekday (&d) - 1;

        for (int i = 0; i < rc->n[w]; i++)
          if (at >= rc->spans[w][i][0] && at < rc->spans[w][i][1])
            return TRUE;
      }
    }
  return FALSE;
}

static void
test_random_brute (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260105);
  guint checked = 0;

  for (int k = 0; k < 150; k++)
    {
      RandomCal rc;
      g_autoptr(CdSlaCalendar) cal = random_calendar (rand, &rc);

      for (int j = 0; j < 6; j++)
        {
          gint64 near = iso (random_near[g_rand_int_range (rand, 0, G_N_ELEMENTS (random_near))]);
          gint64 start = near - D (3) + M (g_rand_int_range (rand, 0, 6 * 1440));
          gint64 budget = M (g_rand_int_range (rand, 0, 1200));
          gint64 count = 0, t = start, first = -1;
          gint64 end;

          /* Walk minutes until the budget is spent or 10 days pass. */
          while (t < start + D (10) && (count < budget / 60 || first < 0))
            {
              if (brute_minute (&rc, t))
                {
                  if (first < 0)
                    first = t;
                  count++;
                }
              t += 60;
            }
          if (first < 0 || count < budget / 60)
            continue;
          end = budget == 0 ? first : t;

          g_assert_cmpint (cd_sla_calendar_add (cal, start, budget), ==, end);
          g_assert_cmpint (cd_sla_calendar_next_working (cal, start), ==, first);
          g_assert_cmpint (cd_sla_calendar_between (cal, start, end), ==, budget);
          checked++;

          /* And minute by minute over six hours, is_working and between. */
          for (gint64 u = start, acc = 0; u < start + H (6); u += 60)
            {
              gboolean w = brute_minute (&rc, u);

              g_assert_cmpint (cd_sla_calendar_is_working (cal, u), ==, w);
              g_assert_cmpint (cd_sla_calendar_is_working (cal, u + 59), ==, w);
              g_assert_cmpint (cd_sla_calendar_between (cal, start, u), ==, acc);
              acc += w ? 60 : 0;
            }
        }
      random_cal_clear (&rc);
    }
  g_assert_cmpuint (checked, >, 500);
}

static void
test_random_algebra (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);

  for (int k = 0; k < 40; k++)
    {
      RandomCal rc;
      g_autoptr(CdSlaCalendar) cal = random_calendar (rand, &rc);

      for (int j = 0; j < 200; j++)
        {
          gint64 s = iso ("2015-01-01T00:00:00Z") + (gint64) g_rand_int_range (rand, 0, 1 << 30);
          gint64 d = g_rand_boolean (rand) ? g_rand_int_range (rand, 0, 100000)
                                           : (gint64) g_rand_int_range (rand, 0, 1 << 30) / 8;
          gint64 e = cd_sla_calendar_add (cal, s, d);
          gint64 e1 = cd_sla_calendar_add (cal, s, d + 1);
          gint64 e_later = cd_sla_calendar_add (cal, s + 1 + g_rand_int_range (rand, 0, 100000), d);
          gint64 back, mid;

          if (e == CD_SLA_NEVER)
            {
              g_assert_cmpint (cd_sla_calendar_between (cal, s, G_MAXINT64), <, d);
              continue;
            }
          /* add then between gives the budget back; working time at the end. */
          g_assert_cmpint (cd_sla_calendar_between (cal, s, e), ==, d);
          g_assert_cmpint (e, >=, s);
          if (d > 0)
            g_assert_true (cd_sla_calendar_is_working (cal, e - 1));
          /* Monotonic in the budget and in the start. */
          g_assert_cmpint (e1, >, e);
          g_assert_cmpint (e_later, >=, e);
          /* subtract inverts add. */
          back = cd_sla_calendar_subtract (cal, e, d);
          if (d > 0)
            {
              g_assert_cmpint (cd_sla_calendar_between (cal, back, e), ==, d);
              g_assert_cmpint (cd_sla_calendar_add (cal, back, d), ==, e);
              g_assert_cmpint (back, <=, cd_sla_calendar_next_working (cal, s));
              if (cd_sla_calendar_is_working (cal, s) && cd_sla_calendar_is_working (cal, s - 1))
                g_assert_cmpint (back, ==, s);
            }
          /* between is additive. */
          mid = s + (e - s) / 3;
          g_assert_cmpint (cd_sla_calendar_between (cal, s, mid)
                           + cd_sla_calendar_between (cal, mid, e), ==, d);
          /* next_working is working and nothing is skipped before it. */
          {
            gint64 n = cd_sla_calendar_next_working (cal, e);

            g_assert_true (cd_sla_calendar_is_working (cal, n));
            g_assert_cmpint (cd_sla_calendar_between (cal, e, n), ==, 0);
          }
          /* Day deadlines end working time and grow with N. */
          {
            gint64 w1 = cd_sla_calendar_add_days (cal, s, 1, CD_SLA_DAYS_WORKING);
            gint64 w2 = cd_sla_calendar_add_days (cal, s, 2, CD_SLA_DAYS_WORKING);
            gint64 c1 = cd_sla_calendar_add_days (cal, s, 1, CD_SLA_DAYS_CALENDAR);

            g_assert_cmpint (w2, >=, w1);
            g_assert_cmpint (w1, >, s);
            g_assert_true (cd_sla_calendar_is_working (cal, w1 - 1));
            /* One calendar day and one working day are the same date. */
            g_assert_cmpint (c1, ==, w1);
          }
        }
      random_cal_clear (&rc);
    }
}

/* Multi-year spans: each between equals the sum of its years. */
static void
test_long_spans (void)
{
  g_autoptr(CdSlaCalendar) cal = load_fixture ("minsk");
  g_autoptr(CdSlaCalendar) berlin = load_fixture ("berlin-night");
  gint64 total = 0, total_b = 0;
  gint64 a = iso ("2000-01-01T00:00:00Z");

  for (int y = 2000; y < 2040; y++)
    {
      g_autofree char *from = g_strdup_printf ("%d-01-01T00:00:00Z", y);
      g_autofree char *to = g_strdup_printf ("%d-01-01T00:00:00Z", y + 1);

      total += cd_sla_calendar_between (cal, iso (from), iso (to));
      total_b += cd_sla_calendar_between (berlin, iso (from), iso (to));
    }
  g_assert_cmpint (cd_sla_calendar_between (cal, a, iso ("2040-01-01T00:00:00Z")), ==, total);
  g_assert_cmpint (cd_sla_calendar_add (cal, a, total), ==,
                   cd_sla_calendar_add (cal, a, total - 1) + 1);
  /* Each night lasts 8 hours, but the two DST nights a year: +1 - 1. */
  g_assert_cmpint (total_b, ==, H (8) * 14610);
  g_assert_cmpint (cd_sla_calendar_between (berlin, a, iso ("2040-01-01T00:00:00Z")), ==, total_b);
}

/* Threads read one calendar at once. */
static gpointer
reader (gpointer data)
{
  CdSlaCalendar *cal = data;
  gint64 t = iso ("2026-01-01T00:00:00+03:00");
  gint64 sum = 0;

  for (int i = 0; i < 20000; i++)
    sum += cd_sla_calendar_add (cal, t + i * 977, (i % 300) * 600) - t;
  return GINT_TO_POINTER (sum % 1000003);
}

static void
test_threads (void)
{
  g_autoptr(CdSlaCalendar) cal = load_fixture ("minsk");
  gpointer expect = reader (cal);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("reader", reader, cd_sla_calendar_ref (cal));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_assert_true (g_thread_join (threads[i]) == expect);
      cd_sla_calendar_unref (cal);
    }
}

int
main (int   argc,
      char *argv[])
{
  cd_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-calendar/%s/%s/%03u",
                                               cases[i].cal, op_name (cases[i].op), i);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sla-calendar/parse/invalid/%02u", i);

      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/sla-calendar/parse/valid", test_parse_valid);
  g_test_add_func ("/sla-calendar/24-7", test_24_7);
  g_test_add_func ("/sla-calendar/json-round-trip", test_round_trip);
  g_test_add_func ("/sla-calendar/boxed", test_boxed);
  g_test_add_func ("/sla-calendar/add-holidays", test_add_holidays);
  g_test_add_func ("/sla-calendar/property/brute-force", test_random_brute);
  g_test_add_func ("/sla-calendar/property/algebra", test_random_algebra);
  g_test_add_func ("/sla-calendar/property/long-spans", test_long_spans);
  g_test_add_func ("/sla-calendar/threads", test_threads);

  return g_test_run ();
}
