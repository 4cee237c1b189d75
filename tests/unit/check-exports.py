#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The shared library exports exactly the functions rcptguard.h declares with RG_API.

Usage: check-exports.py LIBRARY HEADER.  Prints TAP.
"""
import re
import subprocess
import sys

library, header = sys.argv[1], sys.argv[2]
text = open(header, encoding="utf-8").read()
declared = set(re.findall(r"^RG_API\b[^(;]*?\b(rg_\w+)\s*\(", text, re.MULTILINE))
out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                     capture_output=True, text=True).stdout
exported = {line.split()[-1] for line in out.splitlines() if line.split()}
exported = {name for name in exported if not name.startswith("_")}

print("1..2")
extra = sorted(exported - declared)
missing = sorted(declared - exported)
print(("ok" if not extra else "not ok") + " 1 - nothing exported beyond the API")
for name in extra:
    print(f"# exported but not declared: {name}")
print(("ok" if not missing and declared else "not ok") + " 2 - every declared function exported")
for name in missing:
    print(f"# declared but not exported: {name}")
print(f"# {len(declared)} functions declared, {len(exported)} exported")
sys.exit(1 if extra or missing or not declared else 0)
