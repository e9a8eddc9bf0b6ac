#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a file with translatable strings is missing from po/POTFILES.in,
# or when POTFILES.in names a file that does not exist.
set -eu
top=${1:-.}
cd "$top"

status=0
found=$(grep -rlE '(^|[^A-Za-z0-9_])(_|N_|C_|NC_)\(|g_dngettext|translatable="yes"|<summary>|<_?name>' \
          src data --include='*.c' --include='*.ui' --include='*.desktop.in' \
          --include='*.metainfo.xml.in' --include='*.gschema.xml' | sort)

for f in $found; do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "not ok: $f has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

for f in $(grep -v '^#' po/POTFILES.in | sed '/^$/d'); do
  if [ ! -f "$f" ]; then
    echo "not ok: po/POTFILES.in names $f, which does not exist"
    status=1
  fi
done

[ $status -eq 0 ] && echo "ok: po/POTFILES.in lists every file with translatable strings"
exit $status
