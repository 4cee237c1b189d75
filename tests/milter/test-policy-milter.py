#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rcptguard policy --milter: the milter's config file as the milter reads it (its reader,
common/glib/rg-milter-config.c), in the table and in JSON; skipped entries on standard error
with exit status 65; a missing file shows the defaults.

Usage: test-policy-milter.py PATH-TO-RCPTGUARD   (prints TAP)
"""

import json
import os
import subprocess
import sys
import tempfile

RCPTGUARD = sys.argv[1]
results = []


def run(*args):
    return subprocess.run([RCPTGUARD, 'policy', '--milter', *args], capture_output=True,
                          text=True, timeout=60)


def case(name, condition, detail=''):
    results.append((name, condition, detail))


with tempfile.TemporaryDirectory() as tmp:
    conf = os.path.join(tmp, 'milter.conf')
    with open(conf, 'w') as f:
        f.write('[policy]\nblock-domains = ml;a..b\non-error = block\n'
                '[milter]\norganisation-domains = example.org\nwarn-action = hold\n'
                'organisation-networks = 10.0.0.0/8\n')
    r = run('--config', conf)
    rows = {tuple(line.split(None, 2)[:2]): line.split(None, 2)[2]
            for line in r.stdout.splitlines()[4:] if len(line.split(None, 2)) == 3}
    case('table', r.returncode == 65 and rows.get(('policy', 'block-domains')) == "['ml']"
         and rows.get(('policy', 'on-error')) == 'block'
         and rows.get(('milter', 'warn-action')) == 'hold'
         and rows.get(('milter', 'organisation-networks')) == "['10.0.0.0/8']"
         and rows.get(('milter', 'reject-once-hours')) == '24', repr(r))
    case('skipped entry named', "block-domains 'a..b'" in r.stderr, r.stderr)

    r = run('--config', conf, '--format', 'json')
    doc = json.loads(r.stdout)
    keys = {(k['group'], k['key']): k['value'] for k in doc['keys']}
    case('json', doc['found'] and keys[('policy', 'block-domains')] == ['ml']
         and keys[('milter', 'organisation-domains')] == ['example.org']
         and any('a..b' in p for p in doc['problems']), r.stdout)

    r = run('--config', os.path.join(tmp, 'none.conf'))
    case('missing file: defaults, exit 0', r.returncode == 0 and 'missing' in r.stdout
         and 'reject-once' in r.stdout, repr(r))

    r = subprocess.run([RCPTGUARD, 'policy', '--config', conf], capture_output=True, text=True)
    case('--config without --milter is a usage error', r.returncode == 64, repr(r))

print('1..%d' % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        for line in str(detail).splitlines():
            print('# ' + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
