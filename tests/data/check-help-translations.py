#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a translation of the help (help/LINGUAS, help/LANG/LANG.po) is
not complete against the pages of help/C as they are today: a message
missing (not merged), untranslated or fuzzy, a translation whose markup
differs from its message's, or a label in <gui> that is not the label the
translated interface shows (po/LANG.po): the help must name what the reader
sees on screen.

The template is built afresh with itstool in a temporary folder, as
gnome.yelp() builds it; nothing in the source tree is regenerated."""

import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def unquote(line):
    body = line[line.index('"') + 1:line.rindex('"')]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), body)


def read_po(path):
    """The entries of a po file: a dict from (msgctxt, msgid) to (msgstr,
    flags), without the header and obsolete entries."""
    entries = {}
    entry = {}
    field = None

    def done():
        return any(name.startswith('msgstr') for name in entry)

    def flush():
        if entry.get('msgid'):
            msgstr = entry.get('msgstr', entry.get('msgstr[0]', ''))
            entries[(entry.get('msgctxt'), entry['msgid'])] = (msgstr, entry.get('flags', set()))
        entry.clear()

    with open(path, encoding='utf-8') as po:
        for line in po:
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#~'):
                flush()
                field = None
                continue
            if line.startswith('#'):
                if done():
                    flush()
                if line.startswith('#,'):
                    entry.setdefault('flags', set()).update(f.strip() for f in line[2:].split(','))
                continue
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ', line)
            if match:
                field = match.group(1)
                if field in ('msgctxt', 'msgid') and done():
                    flush()
                entry[field] = unquote(line)
            elif line.startswith('"') and field:
                entry[field] += unquote(line)
    flush()
    return entries


def tags(text):
    """The element names of a message's markup, in order."""
    return re.findall(r'<(/?[\w:.-]+)', text)


def guis(text):
    return re.findall(r'<gui(?: [^>]*)?>(.*?)</gui>', text)


def ui_labels(po_path):
    """For each interface message, the labels its translation may show:
    the mnemonic dropped, and the text before a trailing placeholder kept
    ("Offline since %s" is shown as "Offline since" and a time)."""
    labels = {}

    def shown(text):
        text = text.replace('_', '')
        return re.sub(r'\s*%[a-z]$', '', text)

    for (_, msgid), (msgstr, flags) in read_po(po_path).items():
        if msgstr and 'fuzzy' not in flags:
            labels.setdefault(shown(msgid), set()).add(shown(msgstr))
    return labels


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else '.'
    help_dir = os.path.join(top, 'help')
    if not shutil.which('itstool'):
        print('skip: itstool is not installed')
        return SKIP

    with open(os.path.join(help_dir, 'LINGUAS'), encoding='utf-8') as linguas:
        languages = [w for line in linguas for w in line.split('#')[0].split()]
    if not languages:
        print('not ok: help/LINGUAS lists no language')
        return 1

    sources = sorted(os.path.join('C', name) for name in os.listdir(os.path.join(help_dir, 'C'))
                     if name.endswith(('.page', '.xml')))
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        pot_path = os.path.join(tmp, 'citydesk.pot')
        run = subprocess.run(['itstool', '-o', pot_path] + sources, cwd=help_dir,
                             capture_output=True, text=True)
        if run.returncode != 0:
            print('not ok: itstool cannot build the template from help/C:\n' + run.stderr)
            return 1
        pot = read_po(pot_path)

        for lang in languages:
            po_path = os.path.join(help_dir, lang, lang + '.po')
            if not os.path.isfile(po_path):
                print(f'not ok: help/LINGUAS lists {lang}, but help/{lang}/{lang}.po does not exist')
                status = 1
                continue
            po = read_po(po_path)
            ui_po = os.path.join(top, 'po', lang + '.po')
            labels = ui_labels(ui_po) if os.path.isfile(ui_po) else None
            problems = {}

            for key in pot:
                msgid = key[1]
                if key not in po:
                    problems.setdefault('missing (run: meson compile -C BUILDDIR help-citydesk-update-po)', []).append(msgid)
                    continue
                msgstr, flags = po[key]
                if not msgstr:
                    problems.setdefault('untranslated', []).append(msgid)
                elif 'fuzzy' in flags:
                    problems.setdefault('fuzzy (check them, then drop the fuzzy flag)', []).append(msgid)
                elif sorted(tags(msgid)) != sorted(tags(msgstr)):
                    problems.setdefault('with other markup than their message', []).append(msgid)
                elif labels is not None:
                    for shown, label in zip(guis(msgid), guis(msgstr)):
                        if shown in labels and label not in labels[shown]:
                            problems.setdefault(f'naming a label otherwise than po/{lang}.po', []).append(
                                f'{msgid}\n      <gui>{label}</gui>, but the interface shows: '
                                + ' or '.join(sorted(labels[shown])))

            for what, msgids in problems.items():
                print(f'not ok: help/{lang}/{lang}.po: {len(msgids)} messages {what}:')
                for msgid in msgids:
                    print('    ' + msgid)
                status = 1

            check = subprocess.run(['msgfmt', '--check', '-o', os.devnull, po_path],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                print(f'not ok: help/{lang}/{lang}.po fails msgfmt --check:\n' + check.stderr)
                status = 1

    if status == 0:
        print(f'ok: help/LINGUAS ({" ".join(languages)}): every message of help/C is translated, '
              'and every label named as the interface shows it')
    return status


if __name__ == '__main__':
    sys.exit(main())
