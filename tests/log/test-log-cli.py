#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of "rcptguard log" on prepared decision logs: text for people, JSON Lines, the
summary, --since (durations, dates), rotated files read oldest first, lines that are not
records, usage errors, and a log written by the real writer (rg-test-log-writer).

Usage: test-log-cli.py PATH-TO-RCPTGUARD PATH-TO-RG-TEST-LOG-WRITER

Prints TAP.  Each case gets a fresh $XDG_STATE_HOME under a temporary folder.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

TIMEOUT = 30
RCPTGUARD = None
WRITER = None
PSEUDONYM = 'hmac-sha256:' + '0123456789abcdef' * 4


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def stamp(delta=datetime.timedelta(0), at=None):
    """RFC 3339 UTC with milliseconds, as the log writes it."""
    when = at or datetime.datetime.now(datetime.timezone.utc) + delta
    return when.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (when.microsecond // 1000)


def record(decision, time, recipients=(), **extra):
    rec = {'v': 1, 'time': time, 'decision': decision, 'client': 'evolution',
           'sender_domain': 'example.org', 'policy_locked': False, 'local_parts': 'hmac',
           'verdict': 'warn' if recipients else None, 'recipients': list(recipients)}
    rec.update(extra)
    return json.dumps(rec, ensure_ascii=False, separators=(',', ':'))


def recipient(domain, local=None, suggestion='army.mil', suggestion_local=None,
              reasons=('tld-swap',), score=92, verdict='warn', outcome=None):
    r = {'domain': domain}
    if local is not None:
        r['local'] = local
    r.update({'verdict': verdict, 'score': score, 'reasons': list(reasons)})
    if suggestion is None:
        r['suggestion'] = None
    else:
        r['suggestion'] = {'domain': suggestion}
        if suggestion_local is not None:
            r['suggestion']['local'] = suggestion_local
    if outcome is not None:
        r['outcome'] = outcome
    return r


class Case:
    def __init__(self, root):
        self.state = Path(root) / 'state'
        self.folder = self.state / 'rcptguard'
        self.path = self.folder / 'decisions.jsonl'

    def write(self, name, lines):
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.folder / name, 'w', encoding='utf-8') as f:
            for line in lines:
                f.write(line + '\n')

    def run(self, *args, env=None):
        environ = dict(os.environ)
        environ.update({'XDG_STATE_HOME': str(self.state), 'LC_ALL': 'C.UTF-8', 'TZ': 'UTC',
                        'G_DEBUG': 'fatal-criticals'})
        if env:
            environ.update(env)
        proc = subprocess.run([RCPTGUARD, 'log', *args], capture_output=True, env=environ,
                              timeout=TIMEOUT)
        check(proc.returncode >= 0, 'rcptguard log killed by signal %d' % -proc.returncode)
        return proc.returncode, proc.stdout.decode('utf-8'), proc.stderr.decode('utf-8')


def sample(case):
    """Three files: .2 (oldest), .1, and the current one; six records."""
    lines = [
        record('corrected', stamp(datetime.timedelta(hours=-5)),
               [recipient('army.ml', PSEUDONYM, suggestion_local=PSEUDONYM)],
               policy_locked=True),
        record('sent-anyway', stamp(datetime.timedelta(hours=-4)),
               [recipient('gmial.com', 'ops', suggestion='gmail.com', suggestion_local='ops',
                          reasons=('typo-transposition',), score=75, outcome='kept')],
               local_parts='plain', v=2),
        record('edited', stamp(datetime.timedelta(hours=-3)),
               [recipient('army.ml'), recipient('hsbc.co', suggestion='hsbc.co.uk',
                                                reasons=('truncated-suffix',))],
               local_parts='none', recipients_omitted=3),
        record('blocked', stamp(datetime.timedelta(minutes=-90)),
               [recipient('example.ml', suggestion=None, reasons=('policy-block',),
                          score=100, verdict='block')], policy_locked=True),
        record('check-failed', stamp(datetime.timedelta(minutes=-30)), [],
               error='out of memory\x1b[31m'),
        record('corrected', stamp(datetime.timedelta(minutes=-5)),
               [recipient('army.ml', PSEUDONYM, suggestion_local=PSEUDONYM,
                          outcome='used-suggestion'),
                recipient('army.mill', reasons=('typo-insertion',), score=80, outcome='kept'),
                recipient('amry.ml', reasons=('compound-slip',), score=85, outcome='removed'),
                recipient('corp.ml', suggestion=None, reasons=('rare-twin',), score=70,
                          outcome='trusted')], local_parts='none', v=2),
    ]
    case.write('decisions.jsonl.2', lines[0:2])
    case.write('decisions.jsonl.1', lines[2:4])
    case.write('decisions.jsonl', lines[4:6])
    return lines


SUMMARY = '5 warnings: 2 corrected, 1 sent anyway, 1 edited, 1 blocked; 1 check failed'


def case_text(case):
    lines = sample(case)
    status, out, err = case.run()
    check(status == 0, 'exit 0, got %d: %s' % (status, err))
    check(err == '', 'nothing on stderr: %r' % err)
    times = [json.loads(line)['time'] for line in lines]
    heads = [line for line in out.splitlines() if line[:2] == '20']
    check([h.split()[0] for h in heads] == times,
          'records oldest first, rotated files first: %r' % heads)
    check(heads[0].endswith('corrected  evolution  from example.org  policy locked'),
          'the header line: %r' % heads[0])
    # A version 1 record, and one that did not leave, show what was suggested, not where the
    # mail went; version 2 says what became of each recipient.
    want = [
        '  army.ml (hmac-sha256:0123456789ab…)  warn 92  tld-swap  suggested army.mil',
        '  ops@gmial.com  warn 75  typo-transposition  kept, suggested ops@gmail.com',
        '  army.ml  warn 92  tld-swap  suggested army.mil',
        '  hsbc.co  warn 92  truncated-suffix  suggested hsbc.co.uk',
        '  and 3 more flagged recipients',
        '  example.ml  block 100  policy-block',
        '  error: out of memory\ufffd[31m',
        '  army.ml (hmac-sha256:0123456789ab…)  warn 92  tld-swap  used-suggestion -> army.mil',
        '  army.mill  warn 80  typo-insertion  kept, suggested army.mil',
        '  amry.ml  warn 85  compound-slip  removed, suggested army.mil',
        '  corp.ml  warn 70  rare-twin  trusted',
    ]
    for w in want:
        check(w in out.splitlines(), 'a line %r in:\n%s' % (w, out))
    check(out.endswith('\n\n' + SUMMARY + '\n'), 'the summary last: %r' % out[-200:])


def case_json(case):
    lines = sample(case)
    status, out, err = case.run('--format', 'json')
    check(status == 0 and err == '', 'exit 0, quiet: %d %r' % (status, err))
    check(out.splitlines() == lines, 'the records as the log holds them, oldest first')


def case_summary(case):
    sample(case)
    status, out, _ = case.run('--summary')
    check(status == 0 and out == SUMMARY + '\n', 'summary only: %r' % out)
    status, out, _ = case.run('--summary', '--format', 'json')
    check(status == 0, 'exit 0')
    check(json.loads(out) == {'warnings': 5, 'corrected': 2, 'sent_anyway': 1, 'edited': 1,
                              'blocked': 1, 'check_failed': 1}, 'json summary: %r' % out)
    # The example: no blocked, no failed check, so neither is named.
    case.write('decisions.jsonl.1', [])
    case.write('decisions.jsonl.2', [])
    case.write('decisions.jsonl', [record('corrected', stamp())] * 9
               + [record('sent-anyway', stamp())] * 2 + [record('edited', stamp())])
    status, out, _ = case.run('--summary')
    check(out == '12 warnings: 9 corrected, 2 sent anyway, 1 edited\n', 'plain summary: %r' % out)
    case.write('decisions.jsonl', [record('edited', stamp())])
    status, out, _ = case.run('--summary')
    check(out == '1 warning: 0 corrected, 0 sent anyway, 1 edited\n', 'singular: %r' % out)


def case_since(case):
    sample(case)
    for since, want in [('1h', 2), ('2h', 3), ('100m', 3), ('3600s', 2), ('1d', 6), ('1w', 6),
                        ('4m', 0)]:
        status, out, err = case.run('--since', since, '--format', 'json')
        check(status == 0, '--since %s: exit 0, got %d %r' % (since, status, err))
        check(len(out.splitlines()) == want,
              '--since %s: %d records, got %d' % (since, want, len(out.splitlines())))
    case.write('decisions.jsonl.2', [])
    case.write('decisions.jsonl.1', [])
    old = datetime.datetime(2020, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
    case.write('decisions.jsonl', [record('edited', stamp(at=old)), record('corrected', stamp())])
    for since, want in [('2020-01-01', 2), ('2020-01-02', 1), ('2020-01-01T12:00:00Z', 2),
                        ('2020-01-01T12:00:01Z', 1), ('2020-01-01 11:00:00', 2),
                        ('2020-01-01T13:00:00+02:00', 2)]:
        status, out, err = case.run('--since', since, '--summary', '--format', 'json')
        check(status == 0, '--since %s: exit 0, got %d %r' % (since, status, err))
        got = json.loads(out)['warnings']
        check(got == want, '--since %s: %d records, got %d' % (since, want, got))


def case_malformed(case):
    good = [record('corrected', stamp()), record('sent-anyway', stamp())]
    case.write('decisions.jsonl', [
        good[0],
        'not json at all',
        '[1, 2]',
        json.dumps({'decision': 'corrected', 'recipients': []}),
        record('teleported', stamp()),
        json.dumps({'time': stamp(), 'decision': 'edited'}),
        '{"time": "' + 'x' * 70000 + '"}',
        '{"v":1,"time":"' + stamp() + '","decision":"edi',  # a torn line
        good[1],
    ])
    status, out, err = case.run('--format', 'json')
    check(status == 65, 'exit 65, got %d' % status)
    check(out.splitlines() == good, 'the good records still shown: %r' % out)
    errors = err.splitlines()
    check(len(errors) == 7, 'one line per bad line: %r' % errors)
    for number, why in [(2, 'not JSON'), (3, 'not a JSON object'), (4, 'no valid "time"'),
                        (5, 'no known "decision"'), (6, 'no "recipients" list'),
                        (7, 'longer than a record can be'), (8, 'not JSON')]:
        want = 'rcptguard: %s:%d: not a decision record (%s); skipped' % (case.path, number,
                                                                         why)
        check(want in errors, 'stderr names line %d: %r' % (number, errors))
    status, out, _ = case.run('--summary')
    check(status == 65 and out == '2 warnings: 1 corrected, 1 sent anyway, 0 edited\n',
          'the summary counts the good records: %d %r' % (status, out))


def case_empty(case):
    status, out, err = case.run()
    check(status == 0, 'no log yet: exit 0, got %d' % status)
    check(out == '0 warnings: 0 corrected, 0 sent anyway, 0 edited\n', 'zero summary: %r' % out)
    check(err == 'rcptguard: log: nothing recorded in %s\n' % case.path, 'says so: %r' % err)
    check(not case.folder.exists(), 'reading creates nothing')
    status, out, err = case.run('--format', 'json')
    check(status == 0 and out == '', 'json: no lines: %r' % out)


def case_usage(case):
    for args in [('--format', 'xml'), ('--since', 'yesterday'), ('--since', '5y'),
                 ('--since', '99999999999999w'), ('extra',), ('--nope',)]:
        status, out, err = case.run(*args)
        check(status == 64, '%r: exit 64, got %d' % (args, status))
        check(out == '', '%r: nothing on stdout' % (args,))
        check(err.startswith('rcptguard: log: ') and "(see 'rcptguard log --help')" in err,
              '%r: one usage line: %r' % (args, err))
    status, out, _ = case.run('--help')
    check(status == 0 and 'MESSAGE_ID=a95d97d4cccf4972904fe0f16b3a29d8' in out,
          '--help names the journal MESSAGE_ID')


def case_file(case):
    elsewhere = case.state.parent / 'collected' / 'alice.jsonl'
    elsewhere.parent.mkdir(parents=True)
    elsewhere.write_text(record('edited', stamp()) + '\n')
    Path(str(elsewhere) + '.1').write_text(record('corrected', stamp(datetime.timedelta(-1)))
                                           + '\n')
    status, out, _ = case.run('--file', str(elsewhere), '--format', 'json')
    check(status == 0, 'exit 0')
    check([json.loads(line)['decision'] for line in out.splitlines()] == ['corrected', 'edited'],
          '--file reads that log and its rotated files: %r' % out)


def case_unreadable(case):
    case.write('decisions.jsonl', [record('edited', stamp())])
    (case.folder / 'decisions.jsonl.1').mkdir()
    status, out, err = case.run()
    check(status == 70, 'a part that cannot be read: exit 70, got %d' % status)
    check('decisions.jsonl.1' in err, 'names it: %r' % err)


def case_fifo(case):
    """A FIFO in place of a rotated file: named and refused at once, never waited on."""
    case.write('decisions.jsonl', [record('edited', stamp())])
    os.mkfifo(case.folder / 'decisions.jsonl.2')
    status, out, err = case.run()  # TIMEOUT bounds the wait if it ever blocks
    check(status == 70, 'a FIFO among the parts: exit 70, got %d' % status)
    check('decisions.jsonl.2' in err and 'not a regular file' in err, 'says why: %r' % err)


def case_folder_closed(case):
    """A folder the reader cannot enter is named, not the first rotated file looked for."""
    if os.geteuid() != 0 or shutil.which('setpriv') is None:
        return 'needs root and setpriv, to read as another user'
    case.write('decisions.jsonl', [record('edited', stamp())])
    for folder in (case.state.parent, case.state):
        folder.chmod(0o755)
    case.folder.chmod(0o700)
    binary = os.path.abspath(RCPTGUARD)
    if not os.access(binary, os.X_OK, effective_ids=False):
        return 'the command is not reachable for another user'
    proc = subprocess.run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
                           binary, 'log'], capture_output=True, timeout=TIMEOUT,
                          env=dict(os.environ, XDG_STATE_HOME=str(case.state), LC_ALL='C.UTF-8'))
    err = proc.stderr.decode('utf-8')
    if 'error while loading shared libraries' in err:
        return 'the library is not reachable for another user'
    check(proc.returncode == 70,
          'a folder that cannot be entered: exit 70, got %d' % proc.returncode)
    check('cannot enter the folder' in err and '.99' not in err, 'names the folder: %r' % err)
    return None


def case_written(case):
    """The real writer, then the real reader: the default policy, end to end."""
    environ = dict(os.environ, XDG_STATE_HOME=str(case.state))
    proc = subprocess.run([WRITER, '--count', '3', '--writer', '2', '--journal', 'none'],
                          capture_output=True, env=environ, timeout=TIMEOUT)
    check(proc.returncode == 0 and proc.stdout == b'done\n', 'the writer ran: %r' % (proc,))
    status, out, err = case.run('--summary')
    check(status == 0 and out == '3 warnings: 0 corrected, 3 sent anyway, 0 edited\n',
          'its records read back: %d %r %r' % (status, out, err))
    status, out, _ = case.run()
    check('zq7' not in out.lower() and 'zq7' not in case.path.read_text().lower(),
          'no local part in the log or its text form')
    check('  army.ml (hmac-sha256:' in out and 'kept, suggested army.mil' in out,
          'text form: %r' % out)


CASES = [case_text, case_json, case_summary, case_since, case_malformed, case_empty,
         case_usage, case_file, case_unreadable, case_fifo, case_folder_closed, case_written]


def main():
    global RCPTGUARD, WRITER
    RCPTGUARD, WRITER = sys.argv[1], sys.argv[2]
    print('1..%d' % len(CASES))
    failed = 0
    for number, case in enumerate(CASES, 1):
        name = case.__name__[len('case_'):]
        with tempfile.TemporaryDirectory() as root:
            try:
                skipped = case(Case(root))
                print('ok %d - %s%s' % (number, name,
                                        ' # SKIP ' + skipped if skipped else ''))
            except Exception as e:  # a failed check or a crash of the test itself
                failed += 1
                print('not ok %d - %s' % (number, name))
                detail = str(e) if isinstance(e, Failure) else traceback.format_exc()
                for line in detail.splitlines():
                    print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
