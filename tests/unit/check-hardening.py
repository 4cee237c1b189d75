#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The binaries are built hardened: full RELRO, no executable stack, and fortified calls.

Usage: check-hardening.py BINARY...  Prints TAP.
"""
import subprocess
import sys


def readelf(*args):
    return subprocess.run(["readelf", "-W", *args], check=True, capture_output=True,
                          text=True).stdout


binaries = sys.argv[1:]
checks = []
fortified = False
for binary in binaries:
    segments = readelf("-l", binary)
    dynamic = readelf("-d", binary)
    symbols = readelf("--dyn-syms", binary)
    stack = [line for line in segments.splitlines() if "GNU_STACK" in line]
    bind_now = any(("BIND_NOW" in line) or ("FLAGS" in line and " NOW" in line)
                   for line in dynamic.splitlines())
    checks.append((f"{binary}: full RELRO", "GNU_RELRO" in segments and bind_now))
    checks.append((f"{binary}: non-executable stack",
                   len(stack) == 1 and "RWE" not in stack[0]))
    checks.append((f"{binary}: stack protector",
                   "__stack_chk_fail" in symbols))
    fortified = fortified or "_chk@" in symbols

checks.append(("fortified calls (_FORTIFY_SOURCE) in at least one binary", fortified))
print(f"1..{len(checks)}")
failed = 0
for number, (name, ok) in enumerate(checks, 1):
    print(f"{'ok' if ok else 'not ok'} {number} - {name}")
    failed += not ok
sys.exit(1 if failed else 0)
