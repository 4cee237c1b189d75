#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Golden tests of the rcptguard command: exit statuses, JSON Lines, TSV and text output.

Usage: test-cli.py PATH-TO-RCPTGUARD

Prints TAP.  Every run of the command has a timeout, so a hang fails its test, and a death
by a signal (a crash) fails it too.  The expected outputs live in golden/ next to this file;
they were written from the command-line contract (DESIGN.md, "The rcptguard command") and
checked by eye against the core's wording before they were recorded.
"""

import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

TIMEOUT = 10  # seconds per run of the command
GOLDEN = Path(__file__).resolve().parent / 'golden'

# Keys of a JSON line, in the order the contract gives.
JSON_KEYS = ['input', 'address', 'domain', 'verdict', 'score', 'reasons', 'suggestion']


class Failure(Exception):
    pass


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    @property
    def out(self):
        return self.stdout.decode('utf-8')

    @property
    def err(self):
        return self.stderr.decode('utf-8')


RCPTGUARD = None


def run(*args, stdin=b'', stdout=None, env=None):
    """Runs rcptguard with args; returns a Result.  Fails on timeout or a signal."""
    environ = dict(os.environ)
    environ.setdefault('LC_ALL', 'C.UTF-8')
    # A GLib critical is a bug in the command: make it a crash, which fails the test.
    environ['G_DEBUG'] = 'fatal-criticals'
    if env:
        environ.update(env)
    try:
        proc = subprocess.run([RCPTGUARD, *args], input=stdin,
                              stdout=stdout if stdout is not None else subprocess.PIPE,
                              stderr=subprocess.PIPE, env=environ, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Failure(f'timed out after {TIMEOUT} s: rcptguard {short(args)}')
    if proc.returncode < 0:
        raise Failure(f'killed by signal {-proc.returncode}: rcptguard {short(args)}')
    return Result(proc.returncode, proc.stdout if proc.stdout is not None else b'',
                  proc.stderr)


def short(args):
    text = ' '.join(repr(a) for a in args)
    return text if len(text) <= 200 else text[:200] + '...'


def check(condition, message):
    if not condition:
        raise Failure(message)


def expect_exit(result, code):
    check(result.returncode == code,
          f'exit status {result.returncode}, expected {code}; stderr: {result.stderr[:500]!r}')


def expect_equal(actual, expected, what):
    check(actual == expected, f'{what}:\n--- actual\n{actual}\n--- expected\n{expected}')


def expect_no_stderr(result):
    check(result.stderr == b'', f'unexpected stderr: {result.stderr[:500]!r}')


def expect_error_lines(result, expected):
    """stderr is exactly these lines, each 'rcptguard: <where>: <what>'."""
    expect_equal(result.err, ''.join(line + '\n' for line in expected), 'stderr')


def expect_one_error_line(result, pattern=None):
    """stderr is one line 'rcptguard: ...' (matching pattern if given)."""
    lines = result.err.splitlines()
    check(len(lines) == 1 and result.err.endswith('\n'),
          f'expected one line on stderr, got {result.err!r}')
    check(lines[0].startswith('rcptguard: '), f'error line without prefix: {lines[0]!r}')
    if pattern is not None:
        check(re.search(pattern, lines[0]), f'error line {lines[0]!r} does not match {pattern!r}')


def golden(name):
    return (GOLDEN / name).read_text(encoding='utf-8')


def json_lines(result):
    """Parses stdout as JSON Lines, checking the shape of every object."""
    check(result.stdout == b'' or result.stdout.endswith(b'\n'), 'output does not end in \\n')
    objects = []
    for line in result.out.splitlines():
        try:
            obj = json.loads(line, object_pairs_hook=list)
        except ValueError as e:
            raise Failure(f'not JSON ({e}): {line[:300]!r}')
        keys = [k for k, _ in obj]
        check(keys == JSON_KEYS, f'keys {keys}, expected {JSON_KEYS}')
        obj = dict(obj)
        check(obj['verdict'] in ('ok', 'notice', 'warn', 'block'), f'verdict {obj["verdict"]}')
        check(isinstance(obj['score'], int) and 0 <= obj['score'] <= 100,
              f'score {obj["score"]!r}')
        check(obj['suggestion'] is None or isinstance(obj['suggestion'], str),
              f'suggestion {obj["suggestion"]!r}')
        for reason in obj['reasons']:
            check([k for k, _ in reason] == ['code', 'message'], f'reason {reason}')
        obj['reasons'] = [dict(r) for r in obj['reasons']]
        objects.append(obj)
    return objects


# ------------------------------------------------------------------------------------------
# The seed: army.ml for army.mil

def test_seed_json():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'json',
            'Ops <ops@army.ml>')
    expect_exit(r, 1)
    expect_no_stderr(r)
    [f] = json_lines(r)
    check(f['input'] == 'Ops <ops@army.ml>', f'input {f["input"]!r}')
    check(f['address'] == 'ops@army.ml', f'address {f["address"]!r}')
    check(f['domain'] == 'army.ml', f'domain {f["domain"]!r}')
    check(f['verdict'] == 'warn', f'verdict {f["verdict"]!r}')
    check(f['suggestion'] == 'ops@army.mil', f'suggestion {f["suggestion"]!r}')
    check(f['reasons'] and f['reasons'][0]['code'] == 'tld-swap', f'reasons {f["reasons"]}')
    check(any('Mali' in reason['message'] for reason in f['reasons']),
          f'no message names Mali: {f["reasons"]}')
    expect_equal(r.out, golden('seed.jsonl'), 'stdout')


def test_seed_default_format_is_json_off_a_terminal():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', 'Ops <ops@army.ml>')
    expect_exit(r, 1)
    expect_equal(r.out, golden('seed.jsonl'), 'stdout')


def test_default_format_is_text_on_a_terminal():
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([RCPTGUARD, 'check', '--no-settings', '--known-domain',
                                 'army.mil', 'ops@army.mil'],
                                stdin=subprocess.DEVNULL, stdout=slave,
                                env=dict(os.environ, LC_ALL='C.UTF-8'))
        os.close(slave)
        try:
            # The output is far smaller than a terminal's buffer: the command never waits
            # for it to be read.
            code = proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise Failure(f'timed out after {TIMEOUT} s')
        output = b''
        while select.select([master], [], [], 0.5)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: nothing more, the other end is closed
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(master)
    check(code == 0, f'exit status {code}')
    # The terminal turns "\n" into "\r\n".
    expect_equal(output.decode('utf-8').replace('\r\n', '\n'), 'ops@army.mil  ok\n', 'stdout')


def test_known_ok():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', 'ops@army.mil')
    expect_exit(r, 0)
    expect_no_stderr(r)
    [f] = json_lines(r)
    check(f['verdict'] == 'ok', f'verdict {f["verdict"]!r}')
    check(f['suggestion'] is None, f'suggestion {f["suggestion"]!r}')
    expect_equal(r.out, golden('ok.jsonl'), 'stdout')


def test_builtin_provider_typo():
    r = run('check', '--no-settings', 'someone@gmial.com')
    expect_exit(r, 1)
    expect_no_stderr(r)
    [f] = json_lines(r)
    check(f['verdict'] == 'warn', f'verdict {f["verdict"]!r}')
    check(f['suggestion'] == 'someone@gmail.com', f'suggestion {f["suggestion"]!r}')
    expect_equal(r.out, golden('gmial.jsonl'), 'stdout')


# ------------------------------------------------------------------------------------------
# Formats

FEW = ['Ops <ops@army.ml>', 'ops@army.mil', 'someone@gmial.com, Ann <ann@example.org>',
       'Tab\t<tab@army.mil>']


def test_tsv():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv', *FEW)
    expect_exit(r, 1)
    expect_no_stderr(r)
    expect_equal(r.out, golden('few.tsv'), 'stdout')
    for line in r.out.splitlines():
        check(line.count('\t') == 2, f'not three columns: {line!r}')


def test_text():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'text', *FEW)
    expect_exit(r, 1)
    expect_no_stderr(r)
    expect_equal(r.out, golden('few.txt'), 'stdout')


def test_json_few():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'json', *FEW)
    expect_exit(r, 1)
    expect_no_stderr(r)
    found = json_lines(r)
    check([f['address'] for f in found] ==
          ['ops@army.ml', 'ops@army.mil', 'someone@gmial.com', 'ann@example.org',
           'tab@army.mil'], f'addresses {[f["address"] for f in found]}')
    expect_equal(r.out, golden('few.jsonl'), 'stdout')


def test_stdin_same_as_arguments():
    lines = ''.join(f + '\n' for f in FEW).encode()
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv',
            '--stdin', stdin=lines)
    expect_exit(r, 1)
    expect_no_stderr(r)
    expect_equal(r.out, golden('few.tsv'), 'stdout')


def test_stdin_crlf_and_no_final_newline():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv',
            '--stdin', stdin=b'ops@army.mil\r\nsomeone@gmial.com')
    expect_exit(r, 1)
    expect_no_stderr(r)
    expect_equal(r.out, 'ops@army.mil\tok\t-\nsomeone@gmial.com\twarn\tsomeone@gmail.com\n',
                 'stdout')


def test_new_domain_is_exit_0():
    # A domain far from every known one is ok, or a notice: neither is worth a non-zero
    # status.  (Blocks, exit 2, need a policy: they come with "rcptguard policy".)
    r = run('check', '--no-settings', '--format', 'tsv', 'a@example.org')
    expect_exit(r, 0)
    check(r.out.split('\t')[1] in ('ok', 'notice'), f'stdout {r.out!r}')


def test_utf8_in_c_locale():
    # Values are bytes, not locale text: a UTF-8 address is no usage error under LC_ALL=C.
    r = run('check', '--no-settings', '--known-domain', 'bücher.de', '--format', 'tsv',
            'x@bücher.de', env={'LC_ALL': 'C'})
    expect_exit(r, 0)
    expect_no_stderr(r)
    expect_equal(r.out, 'x@bücher.de\tok\t-\n', 'stdout')


# ------------------------------------------------------------------------------------------
# Usage

def test_usage_errors():
    cases = [
        [],
        ['frob'],
        ['--bogus'],
        ['check'],
        ['check', '--no-settings'],
        ['check', '--stdin', 'x@example.org'],
        ['check', '--bogus', 'x@example.org'],
        ['check', '--format', 'xml', 'x@example.org'],
        ['check', '--format', 'JSON', 'x@example.org'],
        ['check', 'x@example.org', '--format'],
        ['check', '--known-domain'],
    ]
    for args in cases:
        r = run(*args, stdin=b'x@example.org\n')
        check(r.returncode == 64, f'{args}: exit {r.returncode}, expected 64')
        check(r.stdout == b'', f'{args}: stdout {r.stdout!r}')
        expect_one_error_line(r)


def test_format_xml_message():
    r = run('check', '--format', 'xml', 'x@example.org')
    expect_exit(r, 64)
    expect_error_lines(r, ["rcptguard: check: unknown --format 'xml': use text, json or tsv "
                           "(see 'rcptguard check --help')"])


def test_help_and_version():
    r = run('--help')
    expect_exit(r, 0)
    check('check' in r.out and 'Usage:' in r.out, f'top-level help: {r.out!r}')
    r = run('check', '--help')
    expect_exit(r, 0)
    for option in ('--known-domain', '--known', '--from', '--no-settings', '--stdin',
                   '--format', 'address books'):
        check(option in r.out, f'check --help does not mention {option}')
    r = run('--version')
    expect_exit(r, 0)
    check(re.fullmatch(r'rcptguard \d+\.\d+\.\d+\n', r.out), f'version {r.out!r}')


def test_dash_dash_ends_options():
    r = run('check', '--no-settings', '--format', 'tsv', '--', '--x@gmial.com')
    check(r.returncode in (0, 1), f'exit {r.returncode}: {r.err!r}')
    check(r.out.startswith('--x@gmial.com\t'), f'stdout {r.out!r}')


# ------------------------------------------------------------------------------------------
# Known domains: --known, --known-domain, --from

KNOWN_FILE = """\
# Domains this user writes to, with how often.
army.mil 300
hr@example.com\t12   # an address counts its domain
   \t
example.org # no count: 1
it#ops@navy.mil 5 # "#" inside a word starts no comment
"""


def with_file(content, suffix='.txt'):
    f = tempfile.NamedTemporaryFile('wb', suffix=suffix, delete=False)
    f.write(content if isinstance(content, bytes) else content.encode('utf-8'))
    f.close()
    return f.name


def test_known_file():
    path = with_file(KNOWN_FILE)
    try:
        r = run('check', '--no-settings', '--known', path, '--format', 'tsv',
                'ops@army.ml', 'x@exampel.com', 'y@example.org', 'z@hr.example.com',
                'y@navy.ml')
        expect_exit(r, 1)
        expect_no_stderr(r)
        expect_equal(r.out, golden('known.tsv'), 'stdout')
        r = run('check', '--no-settings', '--known', path, '--format', 'text',
                'ops@army.ml', 'x@exampel.com', 'y@example.org')
        expect_exit(r, 1)
        expect_no_stderr(r)
        expect_equal(r.out, golden('known.txt'), 'stdout')
    finally:
        os.unlink(path)


def test_known_file_bad_lines():
    content = ('army.mil 300\n'
               'a..b\n'
               'example.com many\n'
               'example.com 1 2\n'
               'co.uk\n'
               'ok.example.net\n'
               'x\x00y.com\n')
    path = with_file(content)
    try:
        r = run('check', '--no-settings', '--known', path, '--format', 'tsv', 'ops@army.ml')
        expect_exit(r, 65)
        lines = r.err.splitlines()
        check(len(lines) == 5, f'expected 5 error lines, got {r.err!r}')
        for number, line in zip((2, 3, 4, 5, 7), lines):
            check(line.startswith(f'rcptguard: {path}:{number}: '),
                  f'{line!r} is not about line {number}')
        check(lines[0] == f'rcptguard: {path}:2: not a valid domain name', lines[0])
        check(lines[4] == f'rcptguard: {path}:7: contains a NUL byte', lines[4])
        # The good lines still count, and the recipients are still checked.
        expect_equal(r.out, 'ops@army.ml\twarn\tops@army.mil\n', 'stdout')
    finally:
        os.unlink(path)


def test_known_file_sources():
    # army.ml collected three times is weak evidence next to army.mil's 214 uses: a rare twin.
    # The same three uses as a contact (the default, or named) are not.
    cases = [('army.ml 3 collected\n', 1, 'ops@army.ml\twarn\tops@army.mil\n'),
             ('army.ml 3\n', 0, 'ops@army.ml\tok\t-\n'),
             ('army.ml 3 contact\n', 0, 'ops@army.ml\tok\t-\n')]
    for line, status, out in cases:
        path = with_file('army.mil 214\n' + line)
        try:
            r = run('check', '--no-settings', '--known', path, '--format', 'tsv', 'ops@army.ml')
            expect_exit(r, status)
            expect_no_stderr(r)
            expect_equal(r.out, out, f'stdout for {line!r}')
        finally:
            os.unlink(path)

    # An identity or the administrator is certain evidence: one use of army.mil outweighs one
    # of army.ml then, and the reason says why.
    for source in ('identity', 'admin'):
        path = with_file(f'army.mil 1 {source}\narmy.ml 1 # a contact written to once\n')
        try:
            r = run('check', '--no-settings', '--known', path, '--format', 'json',
                    'ops@army.ml')
            expect_exit(r, 1)
            expect_no_stderr(r)
            [finding] = json_lines(r)
            check([reason['code'] for reason in finding['reasons']] == ['rare-twin'],
                  f'{source}: reasons {finding["reasons"]!r}')
            check(finding['suggestion'] == 'ops@army.mil', f'{source}: {finding!r}')
        finally:
            os.unlink(path)


def test_known_file_bad_sources():
    content = ('army.mil 214\n'
               'army.ml 1 bogus\n'
               'army.ml collected\n'
               'army.ml 1 collected extra\n'
               'navy.ml 1 collected\n')
    path = with_file(content)
    try:
        r = run('check', '--no-settings', '--known', path, '--format', 'tsv', 'ops@army.ml',
                'ops@navy.ml')
        expect_exit(r, 65)
        expect_error_lines(r, [
            f"rcptguard: {path}:2: expected a source after the use count (contact, collected, "
            "identity or admin), found 'bogus'",
            f"rcptguard: {path}:3: expected a decimal use count after the domain or address, "
            "found 'collected'",
            f"rcptguard: {path}:4: expected a domain or an address, a use count and a source at "
            "most, found 'extra' after them",
        ])
        # The bad lines added nothing (army.ml is not known), the good ones count.
        expect_equal(r.out, 'ops@army.ml\twarn\tops@army.mil\nops@navy.ml\tok\t-\n', 'stdout')
    finally:
        os.unlink(path)


def test_known_file_missing():
    r = run('check', '--no-settings', '--known', '/nonexistent/known.txt', 'x@example.org')
    expect_exit(r, 65)
    expect_error_lines(r, ['rcptguard: /nonexistent/known.txt: No such file or directory'])


def test_known_domain_bad():
    r = run('check', '--no-settings', '--known-domain', 'a..b', '--format', 'tsv',
            'x@example.org')
    expect_exit(r, 65)
    expect_error_lines(r, ["rcptguard: --known-domain 'a..b': not a valid domain name"])
    check(r.out.startswith('x@example.org\t'), f'stdout {r.out!r}')


def test_from():
    r = run('check', '--no-settings', '--from', 'me@army.mil', '--format', 'tsv', 'ops@army.ml',
            'ops@army.mil')
    expect_exit(r, 1)
    expect_no_stderr(r)
    expect_equal(r.out, 'ops@army.ml\twarn\tops@army.mil\nops@army.mil\tok\t-\n', 'stdout')


def test_from_is_an_identity():
    # The sender's domain is the user's own: certain, so a contact's domain written to once
    # that is a slip of it is a rare twin.  --known-domain is a contact: no such weight.
    path = with_file('army.ml 1\n')
    try:
        r = run('check', '--no-settings', '--known', path, '--from', 'me@army.mil', '--format',
                'tsv', 'ops@army.ml')
        expect_exit(r, 1)
        expect_no_stderr(r)
        expect_equal(r.out, 'ops@army.ml\twarn\tops@army.mil\n', 'stdout')
        r = run('check', '--no-settings', '--known', path, '--known-domain', 'army.mil',
                '--format', 'tsv', 'ops@army.ml')
        expect_exit(r, 0)
        expect_equal(r.out, 'ops@army.ml\tok\t-\n', 'stdout')
    finally:
        os.unlink(path)


def test_from_bad():
    r = run('check', '--no-settings', '--from', 'me@a..b', '--format', 'tsv', 'x@example.org')
    expect_exit(r, 65)
    expect_one_error_line(r, r"^rcptguard: --from 'me@a\.\.b': ")


# ------------------------------------------------------------------------------------------
# Bad input: on the command line and on standard input.  Either the core rejects the list
# (65, one error line) or it checks it and warns (1); never ok, never a crash or a hang.

BAD_LISTS = {
    'empty-label': b'x@a..b',
    'bad-punycode': b'x@xn--zz.com',
    'long-local-part': b'a' * (1024 * 1024) + b'@example.com',
    'long-local-part-120k': b'a' * 120000 + b'@example.com',
    'long-domain': b'x@' + b'a' * 100000 + b'.com',
    'long-label': b'x@' + b'a' * 64 + b'.com',
    'many-labels': b'x@' + b'a.' * 200 + b'com',
    'no-domain': b'x@',
    'no-at': b'just text',
    'unclosed-quote': b'"x@example.com',
    'unclosed-angle': b'Ops <ops@army.mil',
    'unclosed-comment-after': b'x@gmial.com (',
    'deep-comments-closed': b'(' * 1000 + b'c' + b')' * 1000 + b' x@example.com',
    'cr': b'x@example.com\rBcc: y@example.com',
    'lf': b'x@example.com\nBcc: y@example.com',
    'crlf': b'x@example.com\r\n y@example.com',
    'escape': b'x@example.com\x1b[31m',
}

# A comment "(" that is never closed must not hide the recipient after it: that would be a
# silent pass of x@gmial.com.
UNCLOSED_COMMENTS = {
    'unclosed-comment': b'(x@gmial.com',
    'deep-comments': b'(' * 1000 + b'x@example.com',
}


# Linux refuses (E2BIG) a single argument of 128 KiB or more (MAX_ARG_STRLEN): the 1 MiB local
# part goes through stdin only, and a 120,000-octet one through both.
MAX_ARGUMENT = 128 * 1024 - 1


def expected_bad(name):
    """What the command must do with a bad list (golden/bad-input.json): either
    {"exit": 65, "error": why} or {"exit": 1, "findings": [[verdict, [codes], suggestion]]}."""
    return json.loads(golden('bad-input.json'))[name]


def summarize(result):
    return [[f['verdict'], [reason['code'] for reason in f['reasons']], f['suggestion']]
            for f in json_lines(result)]


def expect_bad(name, result, where):
    exp = expected_bad(name)
    check(result.returncode in (1, 65),
          f'{name}: exit {result.returncode}, expected 1 or 65; stderr {result.err[:300]!r}')
    if result.returncode == 65:
        check(result.stdout == b'', f'{name}: stdout {result.stdout[:300]!r}')
        expect_one_error_line(result, '^rcptguard: ' + re.escape(where))
    else:
        expect_no_stderr(result)
        found = summarize(result)
        check(found and all(f[0] == 'warn' for f in found),
              f'{name}: a bad list must give warnings, got {found}')
    check(result.returncode == exp['exit'],
          f'{name}: exit {result.returncode}, expected {exp["exit"]}; stderr {result.err[:300]!r}')
    if exp['exit'] == 65:
        check(result.err.endswith(': ' + exp['error'] + '\n'),
              f'{name}: stderr {result.err!r}, expected ...: {exp["error"]}')
    else:
        expect_equal(summarize(result), exp['findings'], name)


def check_bad_lists(lists):
    """Runs every list on the command line and on stdin; reports all failures at once."""
    failures = []
    for name, data in lists.items():
        runs = []
        if len(data) <= MAX_ARGUMENT:
            runs.append((['check', '--no-settings', '--format', 'json', os.fsdecode(data)],
                         b'', 'argument 1 '))
        if b'\n' not in data:  # on stdin a newline ends the line: not the same input
            runs.append((['check', '--no-settings', '--format', 'json', '--stdin'],
                         data + b'\n', 'line 1: '))
        for args, stdin, where in runs:
            try:
                expect_bad(name, run(*args, stdin=stdin), where)
            except Failure as e:
                failures.append(f'{"stdin" if stdin else "argv"}: {e}')
    if failures:
        raise Failure('\n'.join(failures))


def test_bad_input():
    check_bad_lists(BAD_LISTS)


def test_unclosed_comment_is_not_dropped():
    check_bad_lists(UNCLOSED_COMMENTS)


def test_control_characters_argv():
    r = run('check', '--no-settings', 'x@example.com\r\nBcc: y@example.com')
    expect_exit(r, 65)
    expect_error_lines(r, ["rcptguard: argument 1 'x@example.com\\r\\nBcc: y@example.com': "
                           "contains a control character (NUL, CR, LF, ...)"])
    check(r.stdout == b'', f'stdout {r.stdout!r}')


def test_nul_on_stdin():
    r = run('check', '--no-settings', '--stdin', stdin=b'x@exa\x00mple.com\n')
    expect_exit(r, 65)
    expect_error_lines(r, ['rcptguard: line 1: contains a NUL byte'])
    check(r.stdout == b'', f'stdout {r.stdout!r}')


INVALID_UTF8 = {
    'lone-continuation': b'x@\x80example.com',
    'ff': b'x@exa\xffmple.com',
    'overlong-slash': b'x@a\xc0\xafb.com',
    'overlong-3': b'x@a\xe0\x80\xafb.com',
    'surrogate': b'x@a\xed\xa0\x80b.com',
    'beyond-10ffff': b'x@a\xf4\x90\x80\x80b.com',
    'truncated': b'x@a\xe2\x82',
    'latin1': b'J\xfcrgen <j@example.com>',
    'in-local-part': b'j\xfc@example.com',
}


def test_invalid_utf8_stdin():
    for name, data in INVALID_UTF8.items():
        r = run('check', '--no-settings', '--stdin', stdin=data + b'\n')
        check(r.returncode == 65, f'{name}: exit {r.returncode}, expected 65: {r.err!r}')
        expect_error_lines(r, ['rcptguard: line 1: not valid UTF-8'])
        check(r.stdout == b'', f'{name}: stdout {r.stdout!r}')


def test_invalid_utf8_argv():
    for name, data in INVALID_UTF8.items():
        r = run('check', '--no-settings', os.fsdecode(data))
        check(r.returncode == 65, f'{name}: exit {r.returncode}, expected 65: {r.err!r}')
        expect_one_error_line(r, r'^rcptguard: argument 1 .*: not valid UTF-8$')


def test_empty_line():
    r = run('check', '--no-settings', '--stdin', stdin=b'\n')
    expect_exit(r, 0)
    expect_no_stderr(r)
    check(r.stdout == b'', f'stdout {r.stdout!r}')
    r = run('check', '--no-settings', '--stdin', stdin=b'\r\n\n')
    expect_exit(r, 0)
    check(r.stdout == b'', f'stdout {r.stdout!r}')
    r = run('check', '--no-settings', '--stdin', stdin=b'')
    expect_exit(r, 0)
    check(r.stdout == b'' and r.stderr == b'', f'output {r.stdout!r} {r.stderr!r}')


def test_line_over_the_list_limit():
    # 4 MiB is the core's limit for one list; the line is dropped, the next one is checked.
    data = b'x@example.com, ' * (300 * 1024) + b'\nops@army.ml\n'
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv',
            '--stdin', stdin=data)
    expect_exit(r, 65)
    expect_error_lines(r, ['rcptguard: line 1: longer than the limit (4194304 octets)'])
    expect_equal(r.out, 'ops@army.ml\twarn\tops@army.mil\n', 'stdout')


def test_recipients_over_the_limit():
    # 50,000 recipients is the core's limit for one check: the error names it.
    data = b', '.join(b'u%d@example.com' % i for i in range(50001)) + b'\n'
    r = run('check', '--no-settings', '--format', 'tsv', '--stdin', stdin=data)
    expect_exit(r, 65)
    expect_error_lines(r, ['rcptguard: line 1: more recipients than the limit of 50000 '
                           'in one check'])


def test_mixed_good_and_bad_lines():
    data = (b'ops@army.mil\n'
            b'x@exa\x00mple.com\n'
            b'Ops <ops@army.ml>\n'
            b'j\xfc@example.com\n'
            b'\n'
            b'a@example.com\rb@example.com\n'
            b'someone@gmial.com\n')
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv',
            '--stdin', stdin=data)
    expect_exit(r, 65)
    expect_equal(r.out,
                 'ops@army.mil\tok\t-\n'
                 'Ops <ops@army.ml>\twarn\tops@army.mil\n'
                 'someone@gmial.com\twarn\tsomeone@gmail.com\n', 'stdout')
    expect_error_lines(r, ['rcptguard: line 2: contains a NUL byte',
                           'rcptguard: line 4: not valid UTF-8',
                           'rcptguard: line 6: contains a control character (NUL, CR, LF, ...)'])


def test_mixed_good_and_bad_arguments():
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv',
            'ops@army.mil', 'a@b.com\nc@d.com', 'ops@army.ml')
    expect_exit(r, 65)
    expect_equal(r.out, 'ops@army.mil\tok\t-\nops@army.ml\twarn\tops@army.mil\n', 'stdout')
    expect_one_error_line(r, r"^rcptguard: argument 2 'a@b\.com\\nc@d\.com': ")


# ------------------------------------------------------------------------------------------
# Volume

def test_20000_recipients_in_one_list():
    n = 20000
    addresses = [f'u{i}@army.ml' if i % 1000 == 999 else f'u{i}@army.mil' for i in range(n)]
    data = (', '.join(addresses) + '\n').encode()
    start = time.monotonic()
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'json',
            '--stdin', stdin=data)
    elapsed = time.monotonic() - start
    print(f'# 20,000 recipients in one list: {elapsed:.3f} s')
    expect_exit(r, 1)
    expect_no_stderr(r)
    found = json_lines(r)
    check(len(found) == n, f'{len(found)} lines, expected {n}')
    check([f['address'] for f in found] == addresses, 'addresses not in input order')
    warned = [f['address'] for f in found if f['verdict'] == 'warn']
    check(warned == [a for a in addresses if a.endswith('.ml')], f'warned {warned[:5]}...')
    check(all(f['verdict'] == 'ok' for f in found if f['address'].endswith('.mil')),
          'a known address was not ok')


def test_20000_lines():
    n = 20000
    data = b''.join(b'u%d@army.mil\n' % i for i in range(n))
    start = time.monotonic()
    r = run('check', '--no-settings', '--known-domain', 'army.mil', '--format', 'tsv',
            '--stdin', stdin=data)
    elapsed = time.monotonic() - start
    print(f'# 20,000 lines of one recipient: {elapsed:.3f} s')
    expect_exit(r, 0)
    expect_no_stderr(r)
    expect_equal(r.out, ''.join(f'u{i}@army.mil\tok\t-\n' for i in range(n)), 'stdout')


# ------------------------------------------------------------------------------------------
# Output errors

def test_dev_full():
    if not os.path.exists('/dev/full'):
        raise Failure('/dev/full is missing')
    for args, stdin in ((['check', '--no-settings', 'x@example.org'], b''),
                        (['check', '--no-settings', '--stdin'], b'x@example.org\n' * 10000),
                        (['check', '--no-settings', '--format', 'text', 'x@gmial.com'], b''),
                        (['--version'], b'')):
        with open('/dev/full', 'wb') as full:
            r = run(*args, stdin=stdin, stdout=full)
        check(r.returncode == 70, f'{args}: exit {r.returncode}, expected 70')
        expect_one_error_line(r, r'No space left on device$')


# ------------------------------------------------------------------------------------------

def main():
    global RCPTGUARD
    if len(sys.argv) != 2:
        print('usage: test-cli.py PATH-TO-RCPTGUARD', file=sys.stderr)
        return 2
    RCPTGUARD = sys.argv[1]

    tests = [(name, fn) for name, fn in globals().items()
             if name.startswith('test_') and callable(fn)]
    print('TAP version 13')
    print(f'1..{len(tests)}')
    failed = 0
    for number, (name, fn) in enumerate(tests, 1):
        try:
            fn()
        except Failure as e:
            failed += 1
            print(f'not ok {number} - {name}')
            for line in str(e).splitlines():
                print(f'# {line}')
        except Exception:
            failed += 1
            print(f'not ok {number} - {name}')
            for line in traceback.format_exc().splitlines():
                print(f'# {line}')
        else:
            print(f'ok {number} - {name}')
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
