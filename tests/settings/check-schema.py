#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The settings schema as administrators and the code rely on it (TAP).

check-schema.py --compiler glib-compile-schemas SCHEMA.gschema.xml OVERRIDE

- it compiles with --strict, alone and with the vendor override example;
- its gettext domain is rcptguard, so that the summaries can be translated;
- every key has a summary and a description (what `gsettings describe` and dconf-editor
  show an administrator);
- the keys named in the settings issue exist with their types, enumerations and defaults:
  dconf databases, overrides and the code refer to them by name.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SCHEMA_ID = 'org.rcptguard.RecipientGuard'
SCHEMA_PATH = '/org/rcptguard/RecipientGuard/'

# name: (type or enum nicks, default as written in the schema)
CONTRACT = {
    'enabled': ('b', 'true'),
    'trusted-domains': ('as', '[]'),
    'known-domains': ('as', '[]'),
    'warn-domains': ('as', '[]'),
    'block-domains': ('as', '[]'),
    'allow-block-override': ('b', None),
    'check-lookalikes': ('b', None),
    'notice-new-domains': ('b', None),
    'on-error': (('allow', 'warn', 'block'), "'warn'"),
    # Off unless the administrator says the mail server runs rcptguard-milter: without it, the
    # clients add nothing to the message.
    'server-guard': ('b', 'false'),
    'log-decisions': ('b', 'true'),
    'log-local-parts': (('none', 'hmac', 'plain'), "'hmac'"),
}

results = []


def check(ok, description, detail=None):
    results.append(ok)
    print(('ok' if ok else 'not ok') + ' %d - %s' % (len(results), description))
    if not ok and detail:
        for line in str(detail).splitlines():
            print('# ' + line)


def compile_strict(compiler, files):
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            shutil.copy(path, tmp)
        done = subprocess.run([compiler, '--strict', '--targetdir', tmp, tmp],
                              capture_output=True, text=True)
        ok = done.returncode == 0 and os.path.exists(os.path.join(tmp, 'gschemas.compiled'))
        return ok, done.stdout + done.stderr


def text_of(element, name):
    child = element.find(name)
    return ' '.join(child.text.split()) if child is not None and child.text else ''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--compiler', required=True)
    parser.add_argument('schema')
    parser.add_argument('override')
    args = parser.parse_args()

    ok, output = compile_strict(args.compiler, [args.schema])
    check(ok, 'glib-compile-schemas --strict accepts the schema', output)
    ok, output = compile_strict(args.compiler, [args.schema, args.override])
    check(ok, 'glib-compile-schemas --strict accepts the vendor override example', output)

    root = ET.parse(args.schema).getroot()
    check(root.get('gettext-domain') == 'rcptguard', 'gettext-domain is rcptguard',
          root.get('gettext-domain'))
    schemas = root.findall('schema')
    schema = next((s for s in schemas if s.get('id') == SCHEMA_ID), None)
    check(schema is not None, 'the schema %s is defined' % SCHEMA_ID)
    if schema is None:
        print('1..%d' % len(results))
        return 1
    check(schema.get('path') == SCHEMA_PATH, 'its path is ' + SCHEMA_PATH, schema.get('path'))

    enums = {e.get('id'): tuple(v.get('nick') for v in e.findall('value'))
             for e in root.findall('enum')}
    keys = {k.get('name'): k for k in schema.findall('key')}
    for name, key in sorted(keys.items()):
        summary = text_of(key, 'summary')
        description = text_of(key, 'description')
        check(len(summary) >= 10, '%s has a summary' % name, repr(summary))
        check(len(description) >= 40 and description.endswith('.'),
              '%s has a description in sentences' % name, repr(description))

    for name, (kind, default) in CONTRACT.items():
        key = keys.get(name)
        if key is None:
            check(False, 'the key %s exists' % name)
            continue
        if isinstance(kind, tuple):
            got = enums.get(key.get('enum'))
            check(got == kind, '%s is the enumeration %s' % (name, '|'.join(kind)), got)
        else:
            check(key.get('type') == kind, '%s has type %s' % (name, kind), key.get('type'))
        if default is not None:
            got = key.findtext('default', '').strip()
            check(got == default, '%s defaults to %s' % (name, default), got)

    print('1..%d' % len(results))
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
