#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Packs the Thunderbird add-on into a reproducible .xpi (a zip file).

    make-xpi.py --output OUT.xpi --base SRCDIR --manifest BUILT/manifest.json FILE...

Each FILE is stored under its path relative to --base; the generated manifest as
"manifest.json".  Names are sorted, timestamps fixed and modes normalised, so that the same
sources give the same bytes.  The manifest must be valid JSON and every file it names
(background page, default locale) must be packed.
"""

import argparse
import json
import os
import sys
import zipfile

# The earliest time a zip file can hold: nothing about the build machine's clock leaks in.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def archive_name(path, base):
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base))
    if rel.startswith('..') or os.path.isabs(rel):
        raise SystemExit(f'make-xpi: {path} is not under {base}')
    return rel.replace(os.sep, '/')


def check_manifest(manifest, names):
    """Fails when the manifest names a file that is not packed."""
    needed = []
    background = manifest.get('background', {})
    if 'page' in background:
        needed.append(background['page'])
    needed.extend(background.get('scripts', []))
    if 'default_locale' in manifest:
        needed.append(f"_locales/{manifest['default_locale']}/messages.json")
    missing = [name for name in needed if name not in names]
    if missing:
        raise SystemExit('make-xpi: the manifest names files that are not packed: '
                         + ', '.join(missing))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--output', required=True)
    parser.add_argument('--base', required=True, help='the folder the file names are relative to')
    parser.add_argument('--manifest', required=True, help='the generated manifest.json')
    parser.add_argument('files', nargs='*')
    args = parser.parse_args()

    with open(args.manifest, 'rb') as f:
        manifest_bytes = f.read()
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as e:
        raise SystemExit(f'make-xpi: {args.manifest} is not valid JSON: {e}')

    entries = {'manifest.json': manifest_bytes}
    for path in args.files:
        name = archive_name(path, args.base)
        if name in entries:
            raise SystemExit(f'make-xpi: {name} is given twice')
        with open(path, 'rb') as f:
            entries[name] = f.read()
    check_manifest(manifest, entries)

    tmp = args.output + '.tmp'
    with zipfile.ZipFile(tmp, 'w', compression=zipfile.ZIP_DEFLATED) as xpi:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the mode below is what readers see.
            info.external_attr = 0o100644 << 16
            xpi.writestr(info, entries[name], compresslevel=9)
    os.replace(tmp, args.output)
    return 0


if __name__ == '__main__':
    sys.exit(main())
