#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The service's sandbox: systemd's own rating of rcptguard-milter.service stays under 2.0
("OK" goes up to 3.9), and the unit loads (systemd-analyze verify, but for the binary, which
the build tree has elsewhere).  Usage: check-unit.py UNIT.  Prints TAP."""
import re
import subprocess
import sys

unit = sys.argv[1]
run = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit],
                     capture_output=True, text=True)
match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", run.stdout)
level = float(match.group(1)) if match else None
print("1..1")
ok = level is not None and level < 2.0
print(f"{'ok' if ok else 'not ok'} 1 - exposure {level} < 2.0")
for line in run.stdout.splitlines():
    if line.startswith("✗"):
        print(f"# {line}")
if run.stderr:
    print("# " + run.stderr.strip().replace("\n", "\n# "))
sys.exit(0 if ok else 1)
