#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fail when a folder's README.md does not name every file of the folder.

Usage: check-readmes.py [TOP]

Every folder that holds files git tracks (the top folder too) needs a
README.md, and that README must mention each tracked file of the folder
(not those of its subfolders, which have READMEs of their own; a
subfolder is named by its own README), either:

- by name (`cd-ticket.c`), or
- by stem, which covers a file and its header or template at once
  (`cd-ticket` names cd-ticket.c and cd-ticket.h), the stem standing
  alone, not as part of a longer name (`cd-store` does not name
  cd-store-users.c).

The escape hatch, for a family of files that one line describes: a
pattern of FAMILIES below, in backquotes in the README, with `*` for any
run of characters and LANG for a language code (`LANG.po`).  Keep the
list short: a file that one cannot describe in the family's words
deserves its own line, and a family is named here, in review, not by
whoever adds a file.

README.md itself needs no mention.
"""

import fnmatch
import os
import re
import subprocess
import sys

NAME_CHARS = "A-Za-z0-9_-"

# The families a backquoted pattern may stand for.  The translations are
# one file per language, alike but for the language.
FAMILIES = ("LANG.po",)


def tracked_files(top):
    out = subprocess.run(["git", "-C", top, "ls-files", "-z"],
                         check=True, capture_output=True, text=True).stdout
    return [f for f in out.split("\0") if f and os.path.exists(os.path.join(top, f))]


def patterns(text):
    """The backquoted globs of a README, as regular expressions."""
    result = []
    for word in re.findall(r"`([^`\s]+)`", text):
        if word not in FAMILIES:
            continue
        glob = fnmatch.translate(word.replace("LANG", "\0"))
        result.append(re.compile(glob.replace("\0", "[a-z]{2,3}(?:_[A-Z]{2})?")))
    return result


def mentioned(name, text, globs):
    stem = name.split(".")[0] if not name.startswith(".") else name
    for word in (name, stem):
        if word and re.search(r"(?<![%s])%s(?![%s])" % (NAME_CHARS, re.escape(word), NAME_CHARS),
                              text):
            return True
    return any(g.match(name) for g in globs)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    try:
        files = tracked_files(top)
    except (OSError, subprocess.CalledProcessError):
        print("skip: not a git checkout, so which files belong is unknown")
        return 77
    folders = {}
    for path in files:
        folder, name = os.path.split(path)
        folders.setdefault(folder, []).append(name)
    bad = 0
    for folder in sorted(folders):
        readme = os.path.join(folder, "README.md")
        shown = readme if folder else "README.md"
        if not os.path.exists(os.path.join(top, readme)):
            print(f"not ok: {folder or '.'}/ has no README.md naming its files")
            bad += 1
            continue
        with open(os.path.join(top, readme), encoding="utf-8") as f:
            text = f.read()
        globs = patterns(text)
        for name in sorted(folders[folder]):
            if name != "README.md" and not mentioned(name, text, globs):
                print(f"not ok: {shown} does not name {name}")
                bad += 1
    if bad:
        print(f"not ok: {bad} files or folders not named by their README")
        return 1
    print(f"ok: the README.md of each of {len(folders)} folders names its files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
