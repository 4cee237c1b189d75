#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fault injection is compiled into the test variants only.

Usage: check-fault-free.py --free FILE... --faulty FILE...  Prints TAP.

The name of the environment variable that drives it, RCPTGUARD_FAULT, is in the binary that
has fault injection (rg-guard.c reads it) and in no other: without -Dfault_injection=true the
command and the Evolution module carry none of its code.  The test variants must have it, or
this check would prove nothing.
"""
import argparse
import sys

MARKER = b'RCPTGUARD_FAULT'

parser = argparse.ArgumentParser()
# 'extend': either option may come twice (meson puts the release binaries under --faulty
# when they are built with fault injection).
parser.add_argument('--free', nargs='*', action='extend', default=[],
                    help='binaries without fault injection')
parser.add_argument('--faulty', nargs='*', action='extend', default=[],
                    help='binaries with fault injection')
args = parser.parse_args()

results = []
for path, expected in [(p, False) for p in args.free] + [(p, True) for p in args.faulty]:
    with open(path, 'rb') as f:
        found = MARKER in f.read()
    results.append((found == expected, '%s %s %s' % (
        path, 'has' if expected else 'has no', MARKER.decode())))

print('1..%d' % len(results))
for number, (ok, description) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', number, description))
sys.exit(0 if results and all(ok for ok, _ in results) else 1)
