#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The decision log against a real system, in a throwaway mount and PID namespace of its own
(unshare), so that nothing of the machine's own /run, journal or disks is touched:

1. a private systemd-journald (its own /run on a tmpfs): a record made with the default
   writer is read back with journalctl, with MESSAGE_ID and every RCPTGUARD_* field as
   README ("Decision log") promises, equal to the file's record, and no local part anywhere
   in the journal;
2. a full file system (a 64 KiB tmpfs, filled up): recording goes on, the failure is reported
   once, and the file holds only whole records although the last write was cut short.

Usage: test-log-system.py PATH-TO-RG-TEST-LOG-WRITER

Prints TAP.  Where a private namespace or journald cannot be had (not root, no unshare, no
systemd-journald, a container that forbids mounts), the cases are skipped with the reason:
the capturing writer of test-decision-log checks the journal fields in any case.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

MESSAGE_ID = 'a95d97d4cccf4972904fe0f16b3a29d8'
JOURNALD = '/lib/systemd/systemd-journald'
MARK = 'zq7'
WAIT = 10  # seconds for journald to start and to store an entry


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def outer(writer):
    """Re-runs this script inside new namespaces, or skips with the reason why it cannot."""
    reason = None
    if not os.path.exists(JOURNALD):
        reason = 'systemd-journald is not installed (%s)' % JOURNALD
    elif shutil.which('unshare') is None:
        reason = 'unshare (util-linux) is not installed'
    elif shutil.which('journalctl') is None:
        reason = 'journalctl is not installed'
    elif os.geteuid() != 0:
        reason = 'a private mount namespace with tmpfs mounts needs root'
    if reason is None:
        probe = subprocess.run(['unshare', '--mount', '--pid', '--fork', '--mount-proc',
                                '--propagation', 'private', '--', 'sh', '-c',
                                'mount -t tmpfs tmpfs /run'],
                               capture_output=True, text=True, timeout=30)
        if probe.returncode != 0:
            reason = 'no private mount namespace here (%s)' % (probe.stderr.strip()
                                                                 or probe.returncode)
    if reason is not None:
        print('1..0 # SKIP ' + reason)
        return 0
    # --kill-child and the PID namespace: journald ends with the test, whatever happens.
    proc = subprocess.run(['unshare', '--mount', '--pid', '--fork', '--mount-proc',
                           '--kill-child', '--propagation', 'private', '--',
                           sys.executable, os.path.abspath(__file__), '--inside', writer],
                          timeout=240)
    return proc.returncode


def journalctl(*args):
    # Bytes: the export format holds binary fields (and other programs' entries may hold
    # anything).
    proc = subprocess.run(['journalctl', '--directory=/run/log/journal', '--no-pager',
                           *args], capture_output=True, timeout=30)
    return proc.stdout


def entries(*matches):
    return [json.loads(line) for line in
            journalctl('-o', 'json', *matches).splitlines()
            if line.strip()]


def case_journald(writer):
    os.makedirs('/run/systemd', exist_ok=True)
    os.makedirs('/run/log/journal', exist_ok=True)
    # A machine whose journal is persistent must not get ours.
    if os.path.isdir('/var/log/journal'):
        subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', '/var/log/journal'], check=True)
    # No journal yet (no socket in this /run): the entry's MESSAGE goes to standard error.
    state = tempfile.mkdtemp(prefix='rg-log-journal-')
    run = subprocess.run([writer, '--folder', os.path.join(state, 'rcptguard')],
                         capture_output=True, text=True, timeout=60)
    check(run.returncode == 0, 'the writer ran without a journal: %r' % run)
    check(run.stderr.startswith('rcptguard-Message: ')
          and 'Recipient Guard: sent anyway; flagged: army.ml (warn: tld-swap; suggested '
              'army.mil; kept)' in run.stderr and MARK not in run.stderr.lower(),
          'without a journal, standard error: %r' % run.stderr)
    shutil.rmtree(state)

    with tempfile.TemporaryFile() as log:
        journald = subprocess.Popen([JOURNALD], stdout=log, stderr=log)
        try:
            socket = Path('/run/systemd/journal/socket')
            deadline = time.monotonic() + WAIT
            while not socket.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            check(socket.exists(), 'the private systemd-journald started')

            state = tempfile.mkdtemp(prefix='rg-log-journal-')
            folder = os.path.join(state, 'rcptguard')
            run = subprocess.run([writer, '--folder', folder, '--writer', '5'],
                                 capture_output=True, text=True, timeout=60)
            check(run.returncode == 0 and run.stdout == 'done\n', 'the writer ran: %r' % run)
            check(run.stderr == '', 'the entry went to the journal, not to standard error: %r'
                  % run.stderr)
            with open(os.path.join(folder, 'decisions.jsonl'), encoding='utf-8') as f:
                records = [json.loads(line) for line in f]
            check(len(records) == 1, 'one record in the file')
            record = records[0]

            found = []
            deadline = time.monotonic() + WAIT
            while not found and time.monotonic() < deadline:
                found = entries('MESSAGE_ID=' + MESSAGE_ID)
                if not found:
                    time.sleep(0.1)
            check(len(found) == 1, 'one entry with MESSAGE_ID=%s, got %d' % (MESSAGE_ID,
                                                                             len(found)))
            entry = found[0]
            want = {
                'PRIORITY': '5',
                'SYSLOG_IDENTIFIER': 'rcptguard',
                'GLIB_DOMAIN': 'rcptguard',
                'RCPTGUARD_DECISION': 'sent-anyway',
                'RCPTGUARD_CLIENT': 'evolution',
                'RCPTGUARD_TIME': record['time'],
                'RCPTGUARD_SENDER_DOMAIN': 's0.w5.example',
                'RCPTGUARD_POLICY_LOCKED': 'false',
                'RCPTGUARD_LOCAL_PARTS': 'hmac',
                'RCPTGUARD_VERDICT': 'warn',
                'RCPTGUARD_RECIPIENT_COUNT': '1',
                'RCPTGUARD_RECIPIENT_DOMAIN': 'army.ml',
            }
            for key, value in want.items():
                check(entry.get(key) == value, '%s=%r, got %r' % (key, value, entry.get(key)))
            check(json.loads(entry['RCPTGUARD_RECIPIENTS']) == record['recipients'],
                  'RCPTGUARD_RECIPIENTS is the file\'s "recipients"')
            check(entry['MESSAGE'].startswith('Recipient Guard: sent anyway; flagged: army.ml'),
                  'MESSAGE: %r' % entry['MESSAGE'])
            check('RCPTGUARD_ERROR' not in entry, 'no RCPTGUARD_ERROR for a decision')
            check(len(entries('RCPTGUARD_RECIPIENT_DOMAIN=army.ml')) == 1,
                  'journalctl RCPTGUARD_RECIPIENT_DOMAIN=army.ml finds it')
            everything = journalctl('-o', 'export').lower()
            check(MESSAGE_ID.encode() in everything, 'the export holds the entry')
            check(MARK.encode() not in everything, 'no local part anywhere in the journal')
        finally:
            journald.terminate()
            journald.wait(timeout=30)


def case_full_disk(writer):
    root = tempfile.mkdtemp(prefix='rg-log-full-')
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', root],
                   check=True)
    try:
        folder = os.path.join(root, 'rcptguard')
        path = os.path.join(folder, 'decisions.jsonl')
        # The folder, key, lock and a first record while there is room.
        run = subprocess.run([writer, '--folder', folder, '--journal', 'none'],
                             capture_output=True, text=True, timeout=60)
        check(run.returncode == 0 and run.stderr == '', 'the first record: %r' % run)
        filler = os.path.join(root, 'filler')
        with open(filler, 'wb', buffering=0) as f:
            try:
                while True:
                    f.write(b'\0' * 4096)
            except OSError:
                pass
        # The file's last page still has room for a few records, then a write is cut short.
        run = subprocess.run([writer, '--folder', folder, '--journal', 'none',
                              '--count', '40'], capture_output=True, text=True, timeout=60)
        check(run.returncode == 0 and run.stdout == 'done\n',
              'recording went on, the process ended normally: %r' % run)
        reports = [line for line in run.stderr.splitlines() if 'Decision log:' in line]
        check(len(reports) == 1, 'reported once: %r' % run.stderr)
        check('No space left on device' in reports[0], 'says why: %r' % reports[0])
        with open(path, 'rb') as f:
            data = f.read()
        check(data.endswith(b'\n'), 'the file ends with a whole line')
        lines = data.splitlines()
        for line in lines:
            json.loads(line)
        check(1 < len(lines) < 41, 'some records fitted before the disk was full: %d'
              % len(lines))
        print('# %d of 41 records fitted in the full file system' % len(lines))
    finally:
        subprocess.run(['umount', root], check=False)
        os.rmdir(root)


CASES = [case_journald, case_full_disk]


def inside(writer):
    # Everything below is private to this namespace: /run is a fresh tmpfs.
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', '/run'], check=True)
    print('1..%d' % len(CASES))
    failed = 0
    for number, case in enumerate(CASES, 1):
        name = case.__name__[len('case_'):]
        try:
            case(writer)
            print('ok %d - %s' % (number, name))
        except Exception as e:  # a failed check or a crash of the test itself
            failed += 1
            print('not ok %d - %s' % (number, name))
            detail = str(e) if isinstance(e, Failure) else traceback.format_exc()
            for line in detail.splitlines():
                print('# ' + line)
        sys.stdout.flush()
    return 1 if failed else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--inside':
        return inside(sys.argv[2])
    return outer(sys.argv[1])


if __name__ == '__main__':
    sys.exit(main())
