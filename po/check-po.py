#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Check the translations in po/ against the sources (a TAP test, run by meson).

    check-po.py --source-root DIR --msgfmt PATH --xgettext PATH --msgcmp PATH

1. Every po/<lang>.po of po/LINGUAS compiles with `msgfmt --check` and has no untranslated
   and no fuzzy message.
2. A POT regenerated from po/POTFILES.in (into a temporary directory, with the keywords of
   meson's "glib" preset) has no msgid that a .po lacks: a new string without a translation
   fails here, not in front of a German user.
3. Every source file under common/cli, common/glib, ui and plugin that marks text for
   translation
   (_(), N_(), C_(), NC_(), g_dngettext(), ngettext(), translatable="yes"), and every
   AppStream file under data, is listed in po/POTFILES.in.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

# The keywords of meson's i18n.gettext(preset: 'glib'), as po/meson.build uses them.
XGETTEXT_ARGS = [
    '--from-code=UTF-8',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
]

SCANNED_DIRS = ['common/cli', 'common/glib', 'ui', 'plugin']
SCANNED_SUFFIXES = ('.c', '.h', '.ui')
# A marker is a whole identifier: "_(" after a letter or digit is part of another name.
MARKER = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC)?_\s*\(|\b(?:g_d)?ngettext\s*\(|'
                    r'translatable="yes"')


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = False

    def result(self, ok, name, details=()):
        self.n += 1
        print(f'{"ok" if ok else "not ok"} {self.n} - {name}')
        for line in details:
            print(f'# {line}')
        self.failed |= not ok


def read_list(path):
    """The entries of a LINGUAS or POTFILES.in file: '#' starts a comment line."""
    with open(path, encoding='utf-8') as f:
        return [word for line in f if not line.lstrip().startswith('#')
                for word in line.split()]


def check_po(tap, args, po_dir, languages):
    for lang in languages:
        po = os.path.join(po_dir, lang + '.po')
        if not os.path.exists(po):
            tap.result(False, f'{lang}.po compiles, complete', [f'{po} does not exist'])
            continue
        proc = subprocess.run([args.msgfmt, '--check', '--statistics', '-o', os.devnull, po],
                              capture_output=True, text=True,
                              env=dict(os.environ, LC_ALL='C', LANGUAGE=''))
        output = (proc.stdout + proc.stderr).strip()
        incomplete = re.search(r'fuzzy|untranslated', output) is not None
        tap.result(proc.returncode == 0 and not incomplete,
                   f'{lang}.po compiles, complete', output.splitlines())


def check_pot(tap, args, po_dir, languages):
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'rcptguard.pot')
        proc = subprocess.run([args.xgettext, *XGETTEXT_ARGS, '--package-name=rcptguard',
                               '-f', os.path.join(po_dir, 'POTFILES.in'),
                               '-D', args.source_root, '-o', pot],
                              capture_output=True, text=True)
        if proc.returncode != 0 or not os.path.exists(pot):
            tap.result(False, 'POT regenerated from POTFILES.in',
                       (proc.stdout + proc.stderr).splitlines())
            return
        tap.result(True, 'POT regenerated from POTFILES.in')
        for lang in languages:
            po = os.path.join(po_dir, lang + '.po')
            # msgcmp fails on a msgid of the POT that the .po lacks or has fuzzy or
            # untranslated; messages only in the .po are warnings.
            cmp = subprocess.run([args.msgcmp, po, pot], capture_output=True, text=True,
                                 env=dict(os.environ, LC_ALL='C', LANGUAGE=''))
            details = [line for line in (cmp.stdout + cmp.stderr).splitlines()
                       if 'warning:' not in line]
            details = [line.replace(pot, 'POT') for line in details]
            tap.result(cmp.returncode == 0, f'{lang}.po translates every string of the POT',
                       details + (['run: ninja -C BUILDDIR rcptguard-update-po, then translate']
                                  if cmp.returncode != 0 else []))


def check_potfiles(tap, args, po_dir):
    listed = set(read_list(os.path.join(po_dir, 'POTFILES.in')))
    missing = []
    for entry in sorted(listed):
        if not os.path.exists(os.path.join(args.source_root, entry)):
            missing.append(f'{entry} is listed but does not exist')
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(args.source_root, top)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SCANNED_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, args.source_root)
                with open(path, encoding='utf-8', errors='replace') as f:
                    if MARKER.search(f.read()) and rel not in listed:
                        missing.append(f'{rel} has translatable text but is not in POTFILES.in')
    data = os.path.join(args.source_root, 'data')
    for name in sorted(os.listdir(data)):
        rel = os.path.join('data', name)
        if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')) and rel not in listed:
            missing.append(f'{rel} has translatable text but is not in POTFILES.in')
    tap.result(not missing, 'POTFILES.in lists every file with translatable text', missing)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--source-root', required=True)
    parser.add_argument('--msgfmt', required=True)
    parser.add_argument('--xgettext', required=True)
    parser.add_argument('--msgcmp', required=True)
    args = parser.parse_args()

    po_dir = os.path.join(args.source_root, 'po')
    languages = read_list(os.path.join(po_dir, 'LINGUAS'))
    tap = Tap()
    print('TAP version 13')
    if not languages:
        tap.result(False, 'LINGUAS names at least one language')
    check_po(tap, args, po_dir, languages)
    check_pot(tap, args, po_dir, languages)
    check_potfiles(tap, args, po_dir)
    print(f'1..{tap.n}')
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
