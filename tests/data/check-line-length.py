#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fail on any line of a C source or header in src/ or tests/ longer than the
max_line_length that .editorconfig sets for *.{c,h}.

Usage: check-line-length.py [TOP]

Lines are counted in characters of UTF-8, as an editor shows them, not in
bytes: "Не удалось" is ten columns wide, not nineteen.  The files checked are
those git tracks when TOP is a git checkout (so that a scratch file is not
held against anyone), and every *.c and *.h under src/ and tests/ otherwise
(a release tarball).  Each long line is named as FILE:LINE, the form editors
and compilers jump to.
"""

import configparser
import os
import subprocess
import sys

FOLDERS = ("src", "tests")


def max_line_length(top):
    parser = configparser.ConfigParser(interpolation=None)
    with open(os.path.join(top, ".editorconfig"), encoding="utf-8") as f:
        # .editorconfig has keys before its first section (root = true).
        parser.read_string("[top]\n" + f.read())
    for section in parser.sections():
        if "c" in section and "h" in section and section.startswith("*."):
            value = parser[section].get("max_line_length")
            if value is not None:
                return int(value)
    sys.exit("not ok: .editorconfig sets no max_line_length for *.{c,h}")


def tracked_sources(top):
    try:
        out = subprocess.run(
            ["git", "-C", top, "ls-files", "-z", "--"] + list(FOLDERS),
            check=True, capture_output=True, text=True).stdout
        files = [f for f in out.split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for folder in FOLDERS:
            for root, _dirs, names in os.walk(os.path.join(top, folder)):
                for name in names:
                    files.append(os.path.relpath(os.path.join(root, name), top))
    return sorted(f for f in files if f.endswith((".c", ".h")))


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    limit = max_line_length(top)
    files = tracked_sources(top)
    if not files:
        sys.exit("not ok: no C sources found under " + top)
    bad = 0
    for name in files:
        path = os.path.join(top, name)
        if not os.path.exists(path):
            continue  # deleted but not yet staged
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                width = len(line.rstrip("\n"))
                if width > limit:
                    print(f"{name}:{number}: {width} characters, more than {limit}")
                    bad += 1
    if bad:
        print(f"not ok: {bad} lines longer than {limit} characters")
        return 1
    print(f"ok: every line of {len(files)} files within {limit} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
