#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The milter's cost to Postfix: Postfix's own smtp-source against the private Postfix
(rg_postfix.py) relaying to smtp-sink, with and without rcptguard-milter, 10 recipients a
message, the milter's store holding 1,000,000 learned domains.  Prints messages per second
both ways, their ratio, the milter's start-up (store read and checker built) and its peak
memory (VmHWM).  Needs root.  `ninja -C BUILD bench-milter`, or:

    bench-milter.py PATH-TO-RCPTGUARD-MILTER [MESSAGES] [SESSIONS] [DOMAINS]
"""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rg_postfix import Postfix, free_port, wait_for_port  # noqa: E402


def fill_store(state, n):
    os.makedirs(state, exist_ok=True)
    db = sqlite3.connect(os.path.join(state, 'learned.sqlite'))
    db.execute('PRAGMA journal_mode=WAL')
    db.execute('CREATE TABLE IF NOT EXISTS domains (domain TEXT PRIMARY KEY NOT NULL, '
               'count INTEGER NOT NULL CHECK (count >= 0)) WITHOUT ROWID')
    rnd = random.Random(1)
    letters = 'abcdefghijklmnopqrstuvwxyz'
    tlds = ['com', 'org', 'net', 'de', 'fr', 'co.uk', 'mil', 'gov', 'io', 'nl']
    rows = set()
    while len(rows) < n:
        name = ''.join(rnd.choice(letters) for _ in range(rnd.randint(5, 14)))
        rows.add('%s.%s' % (name, rnd.choice(tlds)))
    db.executemany('INSERT OR IGNORE INTO domains VALUES (?, ?)',
                   ((d, rnd.randint(1, 500)) for d in rows))
    db.execute("INSERT OR REPLACE INTO domains VALUES ('army.mil', 100000)")
    db.commit()
    db.close()


def vm(pid, key):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) // 1024
    return 0


def source(postfix, messages, sessions):
    start = time.monotonic()
    subprocess.run(['smtp-source', '-s', str(sessions), '-m', str(messages), '-r', '10',
                    '-l', '2048', '-f', 'sender@example.org', '-t', 'ops@army.mil',
                    '127.0.0.1:%d' % postfix.port], check=True, timeout=1800,
                   stdout=subprocess.DEVNULL)
    return messages / (time.monotonic() - start)


def run(milter_exe, messages, sessions, domains):
    root = tempfile.mkdtemp(prefix='rg-bench-milter-', dir=os.environ.get('RG_TEST_TMPDIR'))
    os.chmod(root, 0o755)
    state = os.path.join(root, 'state')
    t = time.monotonic()
    fill_store(state, domains)
    print('store: %d learned domains written in %.1f s' % (domains, time.monotonic() - t))
    conf = os.path.join(root, 'milter.conf')
    with open(conf, 'w') as f:
        f.write('[policy]\nlog-decisions = true\n[milter]\norganisation-domains = example.org\n')
    port = free_port()
    sock = os.path.join(root, 'milter.sock')
    unix = os.environ.get('RG_BENCH_SOCKET') == 'unix'
    spec = 'unix:%s' % sock if unix else 'inet:%d@127.0.0.1' % port
    t = time.monotonic()
    milter = subprocess.Popen([milter_exe, '--config', conf, '--state-dir', state, '--socket',
                               spec], stderr=subprocess.DEVNULL)
    results = {}
    try:
        if unix:
            while not os.path.exists(sock) and milter.poll() is None:
                time.sleep(0.05)
            # Postfix's daemons run as postfix; the socket is the service group's (0770).
            os.chmod(sock, 0o777)
        else:
            wait_for_port(port, timeout=600, proc=milter)
        startup = time.monotonic() - t
        rss_start = vm(milter.pid, 'VmRSS')
        for label, milter_port in (('without', None), ('with', port)):
            sub = os.path.join(root, label)
            os.makedirs(sub)
            os.chmod(sub, 0o755)
            extra = {'smtp_destination_concurrency_limit': '20'}
            if milter_port is not None and unix:
                extra['smtpd_milters'] = extra['non_smtpd_milters'] = 'unix:' + sock
            postfix = Postfix(sub, milter_port, extra)
            # No dump files: the sink only answers.
            postfix.start()
            try:
                source(postfix, min(200, messages), sessions)  # warm-up
                results[label] = max(source(postfix, messages, sessions) for _ in range(2))
            finally:
                postfix.stop()
        hwm = vm(milter.pid, 'VmHWM')
    finally:
        milter.send_signal(signal.SIGTERM)
        milter.wait(60)
    shutil.rmtree(root, ignore_errors=True)
    print('milter start-up (1,000,000 domains read, checker built): %.1f s, RSS %d MiB'
          % (startup, rss_start))
    print('| socket: %s | messages/s (10 recipients each, %d sessions, %d messages) |'
          % ('unix' if unix else 'inet', sessions, messages))
    print('|---|---|')
    print('| Postfix without the milter | %.0f |' % results['without'])
    print('| Postfix with rcptguard-milter | %.0f |' % results['with'])
    print('| ratio | %.2f (the milter costs %.0f%%) |'
          % (results['with'] / results['without'],
             100 * (1 - results['with'] / results['without'])))
    print('| milter peak memory (VmHWM) | %d MiB |' % hwm)


if __name__ == '__main__':
    if os.geteuid() != 0:
        sys.exit('bench-milter: a private Postfix needs root')
    run(os.path.abspath(sys.argv[1]),
        int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
        int(sys.argv[3]) if len(sys.argv) > 3 else 10,
        int(sys.argv[4]) if len(sys.argv) > 4 else 1000000)
