# SPDX-License-Identifier: GPL-3.0-or-later
"""Validate the shipped working calendars and print their yearly totals.

Usage: check-calendars.py [DIR] [--years 2025-2027]

DIR defaults to data/calendars next to this script's parent folder.  Every
*.json file in DIR must be a calendar in Citydesk's format:

  {"timezone": "Europe/Minsk",
   "week": {"mon": [["08:00","13:00"],["14:00","17:00"]], ..., "sun": []}
           or "24/7",
   "holidays": ["01-01", "2026-01-02"],
   "overrides": {"2026-01-10": [["09:00","18:00"]]}}

Checked: valid JSON with no duplicate keys at any level; only the keys
timezone, week, holidays and overrides; an IANA zone known to this machine;
all seven weekdays and no other; every interval a pair of "HH:MM" strings,
"24:00" only as an end, start != end (an end before the start is an interval
that crosses midnight and belongs to the day it starts, and must be the last
of its day); intervals of a day in order and not overlapping; holidays either
"MM-DD" (a day that exists in some year) or a real "YYYY-MM-DD", none listed
twice; override keys real "YYYY-MM-DD" dates; no date that is both a one-time
holiday and an override (the override would silently win).

Then, per file and year, the number of days with working time and the
working hours (wall-clock hours as production calendars count them), using
the precedence override > holiday > weekday pattern, and a comparison with
the officially published totals listed in OFFICIAL below.  A published
total that does not match is a failure too.

Exit status: 0 when every file is valid and every published total matches,
1 otherwise, 2 on bad usage.
"""

import datetime
import json
import pathlib
import re
import sys
import zoneinfo

ALLOWED_KEYS = ("timezone", "week", "holidays", "overrides")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME_RE = re.compile(r"^([01][0-9]|2[0-4]):([0-5][0-9])$")
YEARLY_RE = re.compile(r"^([0-9]{2})-([0-9]{2})$")
ONCE_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")

# Officially published totals for a 40-hour five-day week: (days, hours);
# None where only one of the two is published.  See data/calendars/README.md.
OFFICIAL = {
    ("ru.json", 2025): (247, 1972, "Russian production calendar 2025 (Decree No. 1335 of 04.10.2024)"),
    ("ru.json", 2026): (247, 1972, "Russian production calendar 2026 (decree of 24.09.2025)"),
    ("by.json", 2026): (None, 2024, "Belarus Ministry of Labour, calculated norm for 2026"),
}


class CalendarError(Exception):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise CalendarError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _minutes(text, where, is_end):
    if not isinstance(text, str):
        raise CalendarError(f"{where}: time {text!r} is not a string \"HH:MM\"")
    m = TIME_RE.match(text)
    if not m:
        raise CalendarError(f"{where}: time {text!r} is not \"HH:MM\"")
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours == 24 and minutes != 0:
        raise CalendarError(f"{where}: time {text!r} is past 24:00")
    if hours == 24 and not is_end:
        raise CalendarError(f"{where}: \"24:00\" is valid only as an end")
    return hours * 60 + minutes


def _intervals(value, where):
    """Return [(start_min, end_min)] with end_min > start_min (overnight: end + 1440)."""
    if not isinstance(value, list):
        raise CalendarError(f"{where}: expected a list of [start, end] pairs")
    out = []
    for i, pair in enumerate(value):
        w = f"{where}[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise CalendarError(f"{w}: expected [start, end]")
        start = _minutes(pair[0], w, is_end=False)
        end = _minutes(pair[1], w, is_end=True)
        if end == start:
            raise CalendarError(f"{w}: empty interval {pair[0]}-{pair[1]}")
        if end < start:
            if end == 24 * 60:
                raise CalendarError(f"{w}: bad interval {pair[0]}-{pair[1]}")
            end += 24 * 60  # crosses midnight, belongs to the day it starts
        out.append((start, end))
    for i in range(1, len(out)):
        if out[i][0] < out[i - 1][1]:
            raise CalendarError(f"{where}[{i}]: intervals out of order or overlapping")
    for i, (start, end) in enumerate(out[:-1]):
        if end > 24 * 60:
            raise CalendarError(f"{where}[{i}]: only the last interval of a day may cross midnight")
    return out


def _date(text, where):
    m = ONCE_RE.match(text) if isinstance(text, str) else None
    if not m:
        raise CalendarError(f"{where}: {text!r} is not \"YYYY-MM-DD\"")
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CalendarError(f"{where}: {text!r} is not a real date") from None


def load(path):
    """Parse and validate one calendar file; return a normalised dict."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)
    except CalendarError:
        raise
    except (ValueError, UnicodeDecodeError) as e:
        raise CalendarError(f"not valid JSON: {e}") from None
    if not isinstance(raw, dict):
        raise CalendarError("top level must be an object")
    for key in raw:
        if key not in ALLOWED_KEYS:
            raise CalendarError(f"unknown key {key!r} (allowed: {', '.join(ALLOWED_KEYS)})")
    for key in ("timezone", "week"):
        if key not in raw:
            raise CalendarError(f"missing key {key!r}")

    tz = raw["timezone"]
    if not isinstance(tz, str) or not tz:
        raise CalendarError("timezone: expected an IANA zone name")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise CalendarError(f"timezone: {tz!r} is not a zone known to this machine") from None

    week = raw["week"]
    if week == "24/7":
        pattern = None
    elif isinstance(week, dict):
        for key in week:
            if key not in DAYS:
                raise CalendarError(f"week: unknown key {key!r} (allowed: {', '.join(DAYS)})")
        for day in DAYS:
            if day not in week:
                raise CalendarError(f"week: missing {day!r}")
        pattern = [_intervals(week[day], f"week.{day}") for day in DAYS]
    else:
        raise CalendarError("week: expected an object of weekdays or \"24/7\"")

    holidays = raw.get("holidays", [])
    if not isinstance(holidays, list):
        raise CalendarError("holidays: expected a list")
    yearly, once, seen = set(), set(), set()
    for i, h in enumerate(holidays):
        where = f"holidays[{i}]"
        if not isinstance(h, str):
            raise CalendarError(f"{where}: {h!r} is not a string")
        if h in seen:
            raise CalendarError(f"{where}: {h!r} is listed twice")
        seen.add(h)
        m = YEARLY_RE.match(h)
        if m:
            try:
                datetime.date(2024, int(m.group(1)), int(m.group(2)))  # a leap year
            except ValueError:
                raise CalendarError(f"{where}: {h!r} is not a real month and day") from None
            yearly.add((int(m.group(1)), int(m.group(2))))
        else:
            once.add(_date(h, where))

    overrides = raw.get("overrides", {})
    if not isinstance(overrides, dict):
        raise CalendarError("overrides: expected an object of dates")
    ovr = {}
    for key, value in overrides.items():
        d = _date(key, f"overrides key {key!r}")
        if d in ovr:  # e.g. "2025-1-05" style duplicates cannot pass the regex, but be safe
            raise CalendarError(f"overrides: {key!r} is listed twice")
        if d in once:
            raise CalendarError(f"overrides: {key!r} is also a one-time holiday")
        ovr[d] = _intervals(value, f"overrides.{key}")

    return {"timezone": tz, "pattern": pattern, "yearly": yearly, "once": once, "overrides": ovr}


def day_intervals(cal, d):
    if d in cal["overrides"]:
        return cal["overrides"][d]
    if d in cal["once"] or (d.month, d.day) in cal["yearly"]:
        return []
    if cal["pattern"] is None:
        return [(0, 24 * 60)]
    return cal["pattern"][d.weekday()]


def totals(cal, year):
    days, minutes = 0, 0
    d = datetime.date(year, 1, 1)
    while d.year == year:
        mins = sum(end - start for start, end in day_intervals(cal, d))
        if mins:
            days += 1
            minutes += mins
        d += datetime.timedelta(days=1)
    return days, minutes


def main(argv):
    args = list(argv[1:])
    years = range(2025, 2028)
    if "--years" in args:
        i = args.index("--years")
        try:
            first, _, last = args[i + 1].partition("-")
            years = range(int(first), int(last or first) + 1)
        except (IndexError, ValueError):
            print("usage: check-calendars.py [DIR] [--years 2025-2027]", file=sys.stderr)
            return 2
        del args[i:i + 2]
    if len(args) > 1:
        print("usage: check-calendars.py [DIR] [--years 2025-2027]", file=sys.stderr)
        return 2
    folder = pathlib.Path(args[0]) if args else \
        pathlib.Path(__file__).resolve().parent.parent / "data" / "calendars"
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"error: no *.json calendars in {folder}", file=sys.stderr)
        return 1

    passed = failed = 0
    calendars = {}
    for path in files:
        try:
            calendars[path.name] = load(path)
            passed += 1
            print(f"ok   {path.name}")
        except CalendarError as e:
            failed += 1
            print(f"FAIL {path.name}: {e}")

    print()
    print(f"{'file':<20} {'year':>4} {'days':>5} {'hours':>8}   official (days/hours)")
    for name, cal in calendars.items():
        for year in years:
            days, minutes = totals(cal, year)
            hours = f"{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
            note = ""
            official = OFFICIAL.get((name, year))
            if official:
                o_days, o_hours, source = official
                ok = (o_days is None or o_days == days) and (o_hours is None or o_hours * 60 == minutes)
                shown = f"{o_days if o_days is not None else '-'}/{o_hours if o_hours is not None else '-'}"
                note = f"{shown} {'match' if ok else 'MISMATCH'} ({source})"
                if ok:
                    passed += 1
                else:
                    failed += 1
            print(f"{name:<20} {year:>4} {days:>5} {hours:>8}   {note}")
    for (name, year) in sorted(OFFICIAL):
        if not (folder / name).exists():
            print(f"note: no {name} here, its published {year} total was not checked")

    print()
    print(f"calendars: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
