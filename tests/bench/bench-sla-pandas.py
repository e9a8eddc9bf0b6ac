# SPDX-License-Identifier: GPL-3.0-or-later
"""Deadlines with pandas' CustomBusinessHour, for bench-sla to compare.

Reads from stdin:
  line 1: the working intervals of a weekday, e.g. "08:00-13:00 14:00-17:00"
  line 2: the weekmask, e.g. "Mon Tue Wed Thu Fri"
  line 3: the holidays, space separated YYYY-MM-DD (may be empty)
  then:   one "YYYY-MM-DDTHH:MM:SS HOURS" per deadline (local, naive)
Writes one deadline per input line, then "seconds-per-call S" (the loop
only: the offsets are built beforehand, one per distinct number of hours).
Exits with status 3 when pandas cannot be imported.
"""

import sys
import time

try:
    import pandas as pd
except ImportError:
    sys.exit(3)


def main():
    lines = sys.stdin.read().splitlines()
    spans = [s.split("-") for s in lines[0].split()]
    weekmask = lines[1]
    holidays = lines[2].split()
    inputs = []
    for line in lines[3:]:
        start, hours = line.split()
        inputs.append((pd.Timestamp(start), int(hours)))

    offsets = {}
    for _, hours in inputs:
        if hours not in offsets:
            offsets[hours] = pd.offsets.CustomBusinessHour(
                n=hours,
                start=[s for s, _ in spans],
                end=[e for _, e in spans],
                weekmask=weekmask,
                holidays=holidays,
            )

    t0 = time.perf_counter()
    results = [start + offsets[hours] for start, hours in inputs]
    elapsed = time.perf_counter() - t0

    out = [r.strftime("%Y-%m-%dT%H:%M:%S") for r in results]
    out.append("seconds-per-call %.9f" % (elapsed / max(len(inputs), 1)))
    sys.stdout.write("\n".join(out) + "\n")


main()
