#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-bench-native-host.py GEN-DATA PROVIDERS HOST BENCH-PRESEND - what Send costs in
# Thunderbird, where the add-on asks rcptguard-native-host over native messaging, next to the
# same check in process (bench-presend, Evolution's path), on the same data: 50,000 known
# domains and 100 recipients from the peer benchmark's generator.
#
# It speaks the protocol of plugin/thunderbird/PROTOCOL.md as Thunderbird does (a 32-bit
# native-order length, then JSON, through pipes), so the times include both JSON encodings and
# the pipe round trip, but not Thunderbird's own message passing to the add-on.
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

RUNS = 200


def main():
    gen_data, providers, host, presend = sys.argv[1:5]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, gen_data, tmp, '--providers', providers,
                        '--known', '50000', '--addresses', '100'], check=True)
        with open(os.path.join(tmp, 'known.txt'), encoding='utf-8') as f:
            known = [line.strip() for line in f if line.strip()]
        with open(os.path.join(tmp, 'addresses.txt'), encoding='utf-8') as f:
            recipients = [line.strip() for line in f if line.strip()]

        env = dict(os.environ, LC_ALL='C.UTF-8', XDG_STATE_HOME=tmp)
        proc = subprocess.Popen([host], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                env=env)

        def ask(request):
            data = json.dumps(request).encode()
            proc.stdin.write(struct.pack('=I', len(data)) + data)
            proc.stdin.flush()
            (length,) = struct.unpack('=I', proc.stdout.read(4))
            answer = json.loads(proc.stdout.read(length))
            if not answer.get('ok'):
                sys.exit(f'the host refused {request["type"]}: {answer}')
            return answer

        start = time.perf_counter()
        ask({'id': 0, 'type': 'configure', 'known': {d: 1 + i % 7 for i, d in enumerate(known)},
             'settings': {'log-decisions': False}})
        configure_ms = (time.perf_counter() - start) * 1000

        times = []
        flagged = 0
        for i in range(RUNS):
            start = time.perf_counter()
            answer = ask({'id': i + 1, 'type': 'check', 'lists': recipients})
            times.append((time.perf_counter() - start) * 1000)
            flagged = sum(f['verdict'] in ('warn', 'block') for f in answer['findings'])
        proc.stdin.close()
        proc.wait()

        times.sort()
        print(f'native host: configure with {len(known)} known domains in {configure_ms:.1f} ms '
              f'(at start and after a change, never at Send)')
        print(f'native host: check of {len(recipients)} recipients ({flagged} flagged), '
              f'{RUNS} runs: median {statistics.median(times):.2f} ms, '
              f'p95 {times[int(RUNS * 0.95) - 1]:.2f} ms, max {times[-1]:.2f} ms')
        print('in process (Evolution\'s path), the same data:', flush=True)
        return subprocess.run([presend, os.path.join(tmp, 'known.txt'),
                               os.path.join(tmp, 'addresses.txt'), str(RUNS)],
                              env={'LC_ALL': 'C.UTF-8'}).returncode


if __name__ == '__main__':
    sys.exit(main())
