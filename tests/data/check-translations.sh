#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a catalogue of po/LINGUAS is not complete against the strings the
# sources hold today: a message missing from po/LANG.po (not merged with the
# template), untranslated, fuzzy, or translated with other printf
# placeholders, plural forms or mnemonics than its msgid. A person reads
# names, never codes, in their language, so no language may fall behind.
#
# The template is built afresh in a temporary folder, with the options of
# po/meson.build; nothing in the source tree is regenerated.
set -eu
top=${1:-.}
cd "$top"

for tool in xgettext msgmerge msgattrib msgcomm msgfmt; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "skip: $tool (gettext) is not installed"
    exit 77
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# meson's i18n.gettext(preset: 'glib'), then the args of po/meson.build.
set -- \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
for arg in $(sed -n "/args:/,/]/p" po/meson.build | grep -o "'[^']*'" | tr -d "'"); do
  set -- "$@" "$arg"
done

pot="$tmp/citydesk.pot"
if ! xgettext --package-name=citydesk -f po/POTFILES.in -D . -k_ -o "$pot" "$@" \
       2>"$tmp/xgettext.log"; then
  cat "$tmp/xgettext.log"
  echo "not ok: xgettext cannot build the template from po/POTFILES.in"
  exit 1
fi

# One message a line: its context in brackets (if any), then its msgid.
list_messages ()
{
  msgattrib --no-wrap --no-location --no-obsolete "$1" | awk '
    function unquote(s) { return substr(s, 2, length(s) - 2) }
    function flush() { if (id != "") print (ctx != "" ? "[" ctx "] " : "") id; id = ""; ctx = "" }
    /^msgctxt / { flush(); ctx = unquote(substr($0, 9)); state = "ctx"; next }
    /^msgid /   { if (id != "") flush(); id = unquote(substr($0, 7)); state = "id"; next }
    /^"/        { if (state == "id") id = id unquote($0); else if (state == "ctx") ctx = ctx unquote($0); next }
                { state = "" }
    END         { flush() }'
}

status=0
report ()
{
  lang=$1 what=$2 file=$3
  list_messages "$file" >"$file.list"
  count=$(wc -l <"$file.list")
  if [ "$count" -gt 0 ]; then
    echo "not ok: po/$lang.po: $count $what:"
    sed 's/^/    /' "$file.list"
    status=1
    lang_bad=1
  fi
}

languages=$(sed -e 's/#.*//' po/LINGUAS | tr -s '[:space:]' '\n' | sed '/^$/d')
if [ -z "$languages" ]; then
  echo "not ok: po/LINGUAS lists no language"
  exit 1
fi

for lang in $languages; do
  po="po/$lang.po"
  lang_bad=0
  if [ ! -f "$po" ]; then
    echo "not ok: po/LINGUAS lists $lang, but $po does not exist"
    status=1
    continue
  fi

  if ! grep -q "^\"Language: $lang\\\\n\"$" "$po"; then
    echo "not ok: $po does not say \"Language: $lang\" in its header"
    status=1
  fi

  # Messages of the template that the catalogue does not hold at all.
  msgcomm --no-wrap --less-than=2 -o "$tmp/$lang.unique.po" "$pot" "$po"
  if [ -s "$tmp/$lang.unique.po" ]; then
    msgcomm --no-wrap --more-than=1 -o "$tmp/$lang.missing.po" "$tmp/$lang.unique.po" "$pot"
    if [ -f "$tmp/$lang.missing.po" ]; then
      report "$lang" "messages missing (run: meson compile -C BUILDDIR citydesk-update-po)" \
             "$tmp/$lang.missing.po"
    fi
  fi

  # Messages it holds, of those the template still has, with no translation
  # or a fuzzy one.
  for kind in untranslated fuzzy; do
    case $kind in
      untranslated) select=--untranslated what="messages untranslated" ;;
      fuzzy) select=--only-fuzzy what="messages fuzzy (check them, then drop the fuzzy flag)" ;;
    esac
    msgattrib --no-wrap --no-obsolete "$select" -o "$tmp/$lang.$kind.all.po" "$po"
    [ -f "$tmp/$lang.$kind.all.po" ] || continue
    msgcomm --no-wrap --more-than=1 -o "$tmp/$lang.$kind.po" "$tmp/$lang.$kind.all.po" "$pot"
    if [ -f "$tmp/$lang.$kind.po" ]; then
      report "$lang" "$what" "$tmp/$lang.$kind.po"
    fi
  done

  # The catalogue as it would be after merging: placeholders, plural forms,
  # the header and mnemonics of every translation it keeps.
  msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$tmp/$lang.po" "$po" "$pot"
  if ! msgfmt --check --check-accelerators=_ --statistics -o /dev/null "$tmp/$lang.po" \
         2>"$tmp/$lang.msgfmt.log"; then
    echo "not ok: po/$lang.po fails msgfmt --check:"
    # msgfmt names a line of the merged file; name the message there too.
    sed -n "s|^$tmp/$lang.po:\([0-9]*\): \(.*\)|\1 \2|p" "$tmp/$lang.msgfmt.log" \
      | while read -r line problem; do
          msgid=$(sed -n "1,${line}p" "$tmp/$lang.po" | grep '^msgid ' | tail -n 1)
          echo "    $msgid: $problem"
        done
    grep -v -e "^$tmp/$lang.po:[0-9]*:" -e 'fatal error' -e 'translated message' \
      "$tmp/$lang.msgfmt.log" | sed 's/^/    /' || true
    status=1
  elif [ $lang_bad -eq 0 ] && grep -q 'untranslated\|fuzzy' "$tmp/$lang.msgfmt.log"; then
    # A plural message with one form left empty, for one.
    echo "not ok: po/$lang.po: msgfmt counts $(cat "$tmp/$lang.msgfmt.log")"
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "ok: po/LINGUAS ($(echo "$languages" | tr '\n' ' ' | sed 's/ $//')): every message of the sources is translated"
fi
exit $status
