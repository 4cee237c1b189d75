#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-bench-presend.py GEN-DATA PROVIDERS BENCH-PRESEND - generates 50,000 known domains and
# 100 recipients (about a third of them one slip away from a known domain) with the peer
# benchmark's generator, then runs bench-presend on them.
import subprocess
import sys
import tempfile

gen_data, providers, bench = sys.argv[1:4]
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, gen_data, tmp, '--providers', providers,
                    '--known', '50000', '--addresses', '100'], check=True)
    sys.exit(subprocess.run([bench, f'{tmp}/known.txt', f'{tmp}/addresses.txt', '200'],
                            env={'LC_ALL': 'C.UTF-8'}).returncode)
