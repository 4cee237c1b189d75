#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rcptguard-native-host driven through the native-messaging protocol (TAP).

test-native-host.py --host EXE --host-fault EXE --schema XML --manifest JSON
                    --installed-path PATH [--release-has-faults]

Each case starts the real host as Thunderbird does (the manifest's path and the add-on's id
as arguments), with a throwaway XDG_STATE_HOME of its own for the decision log, writes framed
requests on its standard input and reads framed answers from its standard output
(plugin/thunderbird/PROTOCOL.md).  Run inside tests/common/rg-session (a throwaway HOME) with
GSETTINGS_SCHEMA_DIR pointing to the schema compiled in the build tree, and
GSETTINGS_BACKEND=memory: no case reads the machine's dconf.  The desktop cases run the host
on dconf instead (GSETTINGS_BACKEND=dconf), with a DCONF_PROFILE of their own: the user's
database, then a system database compiled by `dconf compile` with a lock, as an administrator
deploys it (data/admin/dconf); dconf reads its databases without a bus.

rcptguard-native-host-fault is the same host built with fault injection (RCPTGUARD_FAULT,
common/glib/rg-guard.h) and with the build tree's translations (po/): the German case runs
it without a fault, because the release host reads only installed translations.
"""

import argparse
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'common'))
from rg_tap import Tap  # noqa: E402

MAX_REQUEST = 8 * 1024 * 1024
MAX_ANSWER = 1024 * 1024
BUDGET_S = 2
ARGUMENTS = ['/usr/lib/mozilla/native-messaging-hosts/org.rcptguard.host.json',
             'rcptguard@rcptguard.org']
ANSWER_TIMEOUT_S = 20
FINDING_MEMBERS = ['list', 'input', 'address', 'domain', 'verdict', 'label', 'score',
                   'reasons', 'description', 'suggestion']


def frame(payload):
    if not isinstance(payload, bytes):
        payload = json.dumps(payload).encode('utf-8')
    return struct.pack('=I', len(payload)) + payload


class Host:
    """One host process with its own state folder."""

    def __init__(self, exe, env=None, unset=()):
        self.state = tempfile.TemporaryDirectory(prefix='rg-native-host.')
        self.env = dict(os.environ)
        self.env.pop('RCPTGUARD_FAULT', None)
        self.env['XDG_STATE_HOME'] = self.state.name
        for name in unset:
            self.env.pop(name, None)
        self.env.update(env or {})
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([exe] + ARGUMENTS, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr,
                                     env=self.env)
        self.log_path = os.path.join(self.state.name, 'rcptguard', 'decisions.jsonl')

    def write(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, payload):
        self.write(frame(payload))

    def read_exact(self, n, timeout=ANSWER_TIMEOUT_S):
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        data = b''
        while len(data) < n:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError('no answer within %d s' % timeout)
            chunk = os.read(fd, n - len(data))
            if not chunk:
                raise EOFError('the host closed its output after %d of %d bytes'
                               % (len(data), n))
            data += chunk
        return data

    def receive(self, timeout=ANSWER_TIMEOUT_S):
        (n,) = struct.unpack('=I', self.read_exact(4, timeout))
        if n > MAX_ANSWER:
            raise ValueError('an answer of %d bytes' % n)
        return json.loads(self.read_exact(n, timeout).decode('utf-8'))

    def request(self, payload, timeout=ANSWER_TIMEOUT_S):
        self.send(payload)
        return self.receive(timeout)

    def close(self, timeout=10):
        """Ends the input; returns (exit status, what was left on stdout)."""
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        rest = self.proc.stdout.read()
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        return status, rest

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode('utf-8', 'replace')

    def records(self):
        if not os.path.exists(self.log_path):
            return []
        with open(self.log_path, encoding='utf-8') as f:
            return [json.loads(line) for line in f]

    def cleanup(self):
        if self.proc.poll() is None:
            self.close()
        self.stderr.close()
        self.state.cleanup()


def schema_defaults(path):
    """Every key of the schema with its default, as the host serialises it."""
    defaults = {}
    schema = ElementTree.parse(path).getroot().find('schema')
    for key in schema.findall('key'):
        text = key.find('default').text.strip()
        if key.get('enum') is not None:
            value = text.strip("'")
        elif key.get('type') == 'b':
            value = text == 'true'
        elif key.get('type') == 'as':
            value = json.loads(text.replace("'", '"'))
        else:
            raise ValueError('a key of type %s' % key.get('type'))
        defaults[key.get('name')] = value
    return defaults


def ok_answer(answer, id_):
    return answer.get('id') == id_ and answer.get('ok') is True


def error_kind(answer):
    error = answer.get('error')
    if answer.get('ok') is not False or not isinstance(error, dict):
        return None
    if not isinstance(error.get('message'), str) or not error['message']:
        return None
    return error.get('kind')


def is_error(answer, id_, kind):
    return answer.get('id') == id_ and error_kind(answer) == kind


def finding(answer, index=0):
    findings = answer.get('findings') or []
    return findings[index] if index < len(findings) else {}


def describe(host, *answers):
    return '\n'.join([json.dumps(a, ensure_ascii=False) for a in answers]
                     + ['stderr:', host.stderr_text()])


def test_check_before_configure(t, exe):
    host = Host(exe)
    try:
        a = host.request({'id': 1, 'type': 'check', 'lists': ['x@gmial.com', 'hr@example.com']})
        f = finding(a)
        t.check(ok_answer(a, 1) and a.get('verdict') == 'warn'
                and len(a.get('findings', [])) == 2,
                'before configure: x@gmial.com warns (built-in providers), one finding each',
                describe(host, a))
        t.check(list(f.keys()) == FINDING_MEMBERS and f['list'] == 0
                and f['input'] == 'x@gmial.com' and f['address'] == 'x@gmial.com'
                and f['domain'] == 'gmial.com' and f['verdict'] == 'warn'
                and f['label'] == 'Looks like a slip' and isinstance(f['score'], int)
                and f['reasons'] and all(isinstance(r, str) for r in f['reasons'])
                and 'gmail.com' in f['description'] and f['suggestion'] == 'x@gmail.com',
                'before configure: the finding has every member, suggestion x@gmail.com',
                describe(host, a))
        f2 = finding(a, 1)
        t.check(f2.get('list') == 1 and f2.get('verdict') in ('ok', 'notice')
                and f2.get('suggestion') is None and f2.get('reasons') == []
                and isinstance(f2.get('label'), str),
                'an ok recipient is a finding too, with suggestion null', describe(host, a))
        status, rest = host.close()
        t.check(status == 0 and rest == b'', 'end of input: exit 0, nothing else on stdout',
                'status %s, rest %r' % (status, rest), host.stderr_text())
    finally:
        host.cleanup()


def test_configure(t, exe, defaults):
    host = Host(exe)
    try:
        a = host.request({'id': 1, 'type': 'configure', 'settings': {},
                          'known': {'army.mil': 214}, 'identities': ['me@corp.example']})
        t.check(ok_answer(a, 1) and a.get('settings') == defaults and a.get('problems') == []
                and a.get('desktop_locked') == [],
                'configure: every key of the schema in effect, the defaults, no problems, '
                'no desktop locks',
                describe(host, a), 'expected settings: %s' % json.dumps(defaults))

        a = host.request({'id': 2, 'type': 'check', 'lists': ['Ops <ops@army.ml>']})
        f = finding(a)
        t.check(ok_answer(a, 2) and a.get('verdict') == 'warn' and f.get('verdict') == 'warn'
                and f.get('address') == 'ops@army.ml' and f.get('input') == 'Ops <ops@army.ml>'
                and f.get('suggestion') == 'ops@army.mil' and 'tld-swap' in f.get('reasons', [])
                and 'army.mil' in f.get('description', '')
                and '214' in f.get('description', ''),
                'known army.mil (214): ops@army.ml warns, suggests ops@army.mil, says so',
                describe(host, a))

        a = host.request({'id': 3, 'type': 'check', 'lists': ['hr@corp.exampel']})
        t.check(ok_answer(a, 3) and finding(a).get('verdict') == 'warn'
                and finding(a).get('suggestion') == 'hr@corp.example',
                "an identity's domain is known: hr@corp.exampel suggests hr@corp.example",
                describe(host, a))

        a = host.request({'id': 4, 'type': 'configure', 'settings': {'block-domains': ['ml']},
                          'known': {'army.mil': 3}})
        t.check(ok_answer(a, 4) and a['settings'].get('block-domains') == ['ml']
                and a.get('problems') == [],
                'configure block-domains ["ml"]: in effect', describe(host, a))
        t.check(a.get('scope') == 'all', 'checking on: scope "all"', describe(host, a))
        a = host.request({'id': 5, 'type': 'check', 'lists': ['ops@army.ml', 'ops@army.mil']})
        f = finding(a)
        t.check(ok_answer(a, 5) and a.get('verdict') == 'block' and f.get('verdict') == 'block'
                and f.get('label') == 'Blocked by policy'
                and 'policy-block' in f.get('reasons', [])
                and finding(a, 1).get('verdict') == 'ok',
                'block-domains ml: ops@army.ml is blocked, ops@army.mil is not',
                describe(host, a))

        a = host.request({'id': 6, 'type': 'check', 'lists': ['hr@corp.exampel']})
        t.check(ok_answer(a, 6) and finding(a).get('suggestion') is None,
                'a configure replaces the one before: the identity is no longer known',
                describe(host, a))

        a = host.request({'id': 7, 'type': 'configure'})
        t.check(ok_answer(a, 7) and a.get('settings') == defaults,
                'a configure without settings brings back every default', describe(host, a))
        a = host.request({'id': 8, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 8) and a.get('verdict') != 'block',
                'and the block list is gone', describe(host, a))

        # Checking off: Thunderbird's policy locked the block list, which still applies alone;
        # the user's own block list goes with the switch.
        a = host.request({'id': 9, 'type': 'configure',
                          'settings': {'enabled': False, 'block-domains': ['ml']},
                          'locked': ['block-domains'], 'known': {'army.mil': 214}})
        c = host.request({'id': 10, 'type': 'check', 'lists': ['ops@army.ml', 'x@gmial.com']})
        t.check(ok_answer(a, 9) and a.get('scope') == 'blocks' and ok_answer(c, 10)
                and [f.get('verdict') for f in c.get('findings', [])] == ['block', 'ok'],
                'enabled off, block-domains locked: scope "blocks", only the block is reported',
                describe(host, a, c))
        a = host.request({'id': 11, 'type': 'configure',
                          'settings': {'enabled': False, 'block-domains': ['ml']}})
        t.check(ok_answer(a, 11) and a.get('scope') == 'off',
                'enabled off, the user\'s own block list: scope "off"', describe(host, a))
    finally:
        host.cleanup()


def test_bad_settings(t, exe, defaults):
    host = Host(exe)
    try:
        settings = {
            'no-such-key': True,
            'enabled': 'yes',
            'on-error': 'loud',
            'block-domains': ['ml', 'a..b'],
            'allow-block-override': True,
            'log-local-parts': 'plain',
        }
        a = host.request({'id': 1, 'type': 'configure', 'settings': settings,
                          'known': {'army.mil': 2, 'a..b': 1, 'zero.example': 0}})
        problems = a.get('problems') or []
        expected = dict(defaults)
        expected.update({'block-domains': ['ml', 'a..b'], 'allow-block-override': True,
                         'log-local-parts': 'plain'})

        def named(*words):
            return any(all(w in p for w in words) for p in problems)

        t.check(ok_answer(a, 1) and len(problems) == 6
                and all(isinstance(p, str) for p in problems)
                and named('no-such-key') and named('enabled', 'yes')
                and named('on-error', 'loud') and named('block-domains', 'a..b')
                and named('known', 'a..b') and named('known', 'zero.example'),
                'bad settings: an unknown key, a wrong type, a bad enum nick, a refused entry, '
                'refused known domains: each a problem', describe(host, a))
        t.check(a.get('settings') == expected,
                'bad settings: the rest applies (effective settings)', describe(host, a),
                'expected: %s' % json.dumps(expected))
        a = host.request({'id': 2, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 2) and a.get('verdict') == 'block',
                'bad settings: the good entry of block-domains applies', describe(host, a))

        bad = {'bad..domain%03d' % i: 1 for i in range(150)}
        a = host.request({'id': 9, 'type': 'configure', 'known': bad})
        problems = a.get('problems') or []
        t.check(ok_answer(a, 9) and len(problems) == 100
                and all('bad..domain' in p for p in problems[:99])
                and problems[99] == '… and 51 more problems',
                '150 refused domains: 99 problems named, the 100th counts the rest',
                describe(host, a))
        a = host.request({'id': 10, 'type': 'configure', 'settings': {'block-domains': ['ml']},
                          'known': {'army.mil': 2}})
        t.check(ok_answer(a, 10), 'configured again', describe(host, a))

        a = host.request({'id': 3, 'type': 'configure', 'settings': {'enabled': False},
                          'identities': 'me@corp.example'})
        t.check(is_error(a, 3, 'protocol'), 'identities a string: protocol error',
                describe(host, a))
        a = host.request({'id': 4, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 4) and a.get('verdict') == 'block',
                'a configure refused as a whole changes nothing', describe(host, a))
        for id_, request, what in [
                (5, {'settings': []}, 'settings an array'),
                (6, {'locked': 'on-error'}, 'locked a string'),
                (7, {'identities': [1]}, 'an identity a number'),
                (8, {'known': ['army.mil']}, 'known an array')]:
            request.update({'id': id_, 'type': 'configure'})
            a = host.request(request)
            t.check(is_error(a, id_, 'protocol'), 'configure with %s: protocol error' % what,
                    describe(host, a))
    finally:
        host.cleanup()


def rare_twin(answer, id_, suggestion):
    f = finding(answer)
    return (ok_answer(answer, id_) and f.get('verdict') == 'warn'
            and f.get('reasons', [None])[0] == 'rare-twin' and f.get('suggestion') == suggestion)


def test_known_evidence(t, exe):
    host = Host(exe)
    try:
        # army.ml collected three times: weak beside army.mil's 214 uses.  As a contact (the
        # object form or a plain count) the same three uses are not.
        for id_, army_ml, warns, what in [
                (1, {'count': 3, 'source': 'collected'}, True, 'collected'),
                (3, {'count': 3, 'source': 'contact'}, False, 'a contact (object form)'),
                (5, 3, False, 'a contact (a count)')]:
            a = host.request({'id': id_, 'type': 'configure',
                              'known': {'army.mil': 214, 'army.ml': army_ml}})
            t.check(ok_answer(a, id_) and a.get('problems') == [],
                    'known army.ml as %s: taken' % what, describe(host, a))
            a = host.request({'id': id_ + 1, 'type': 'check', 'lists': ['ops@army.ml']})
            if warns:
                t.check(rare_twin(a, id_ + 1, 'ops@army.mil'),
                        'army.ml collected 3 times beside army.mil 214: a rare twin',
                        describe(host, a))
            else:
                t.check(ok_answer(a, id_ + 1) and finding(a).get('verdict') == 'ok',
                        'army.ml as %s 3 times beside army.mil 214: ok' % what,
                        describe(host, a))

        # An identity and the administrator's known-domains are certain: one use of army.mil
        # outweighs one of army.ml.  As a contact's, it does not.
        for id_, request, warns, what in [
                (7, {'identities': ['me@army.mil']}, True, 'an identity'),
                (9, {'settings': {'known-domains': ['army.mil']}}, True, 'known-domains'),
                (11, {'known': {'army.ml': 1, 'army.mil': 1}}, False, 'a contact')]:
            request.setdefault('known', {'army.ml': 1})
            request.update({'id': id_, 'type': 'configure'})
            a = host.request(request)
            t.check(ok_answer(a, id_) and a.get('problems') == [],
                    'army.mil as %s: configured' % what, describe(host, a))
            a = host.request({'id': id_ + 1, 'type': 'check', 'lists': ['ops@army.ml']})
            if warns:
                t.check(rare_twin(a, id_ + 1, 'ops@army.mil'),
                        'army.mil as %s outweighs army.ml written to once' % what,
                        describe(host, a))
            else:
                t.check(ok_answer(a, id_ + 1) and finding(a).get('verdict') == 'ok',
                        'army.mil as a contact used once does not outweigh army.ml',
                        describe(host, a))

        bad = {
            'a.example': 'many',
            'b.example': {'count': 2},
            'c.example': {'source': 'collected'},
            'd.example': {'count': 2, 'source': 'weak'},
            'e.example': {'count': 2, 'source': 'identity'},
            'f.example': {'count': '2', 'source': 'collected'},
            'g.example': {'count': 2, 'source': 'collected', 'since': 2024},
            'h.example': {'count': 0, 'source': 'collected'},
            'i.example': {'count': 2, 'source': 3},
            'j.example': [2],
            'k.example': 2.5,
            'bundeswehr.org': {'count': 9, 'source': 'Contact'},
        }
        a = host.request({'id': 13, 'type': 'configure',
                          'known': {'army.mil': 214, **bad,
                                    'army.ml': {'count': 1, 'source': 'collected'}}})
        problems = a.get('problems') or []
        t.check(ok_answer(a, 13) and len(problems) == len(bad)
                and all(any(p.startswith('known: “%s”: ' % d) for p in problems) for d in bad),
                'known entries of the wrong form or source: each a problem naming its domain',
                describe(host, a))
        t.check(any('“weak”' in p and 'd.example' in p for p in problems)
                and any('at least 1' in p and 'h.example' in p for p in problems),
                'the problems say what is wrong: the source, the count', describe(host, a))
        a = host.request({'id': 14, 'type': 'check',
                          'lists': ['ops@army.ml', 'x@bundeswher.org']})
        t.check(rare_twin(a, 14, 'ops@army.mil') and finding(a, 1).get('suggestion') is None,
                'the good entries apply, the bad ones are skipped (bundeswehr.org unknown)',
                describe(host, a))
    finally:
        host.cleanup()


def record_of(host, index):
    records = host.records()
    return records[index] if index < len(records) else {}


def test_policy_words(t, exe):
    """A policy finding is the administrator's only where configure's locks say so (the
    add-on's or the desktop's): a block or an always-ask entry of the user's own list is said
    as theirs."""
    host = Host(exe)
    try:
        settings = {'block-domains': ['ml'], 'warn-domains': ['example.org']}
        expected = {
            True: ('Your administrator does not allow mail to army.ml',
                   'Your administrator asks you to confirm mail to example.org'),
            False: ('You asked never to send mail to army.ml',
                    'You asked to confirm mail to example.org'),
        }
        for id_, locked in ((1, True), (4, False)):
            a = host.request({'id': id_, 'type': 'configure', 'settings': settings,
                              'locked': ['block-domains', 'warn-domains'] if locked else []})
            blocked = host.request({'id': id_ + 1, 'type': 'check', 'lists': ['ops@army.ml']})
            warned = host.request({'id': id_ + 2, 'type': 'check', 'lists': ['x@example.org']})
            block_words, warn_words = expected[locked]
            t.check(ok_answer(a, id_) and blocked.get('verdict') == 'block'
                    and finding(blocked).get('description', '').startswith(block_words)
                    and finding(warned).get('description', '').startswith(warn_words),
                    'policy words, lists %s: "%s", "%s"'
                    % ('locked' if locked else 'open', block_words, warn_words),
                    describe(host, a, blocked, warned))
    finally:
        host.cleanup()


def test_record(t, exe):
    host = Host(exe)
    try:
        # The administrator locked the block list.
        a = host.request({'id': 1, 'type': 'configure',
                          'settings': {'block-domains': ['ml'], 'warn-domains': ['example.org']},
                          'locked': ['block-domains'], 'known': {'army.mil': 5}})
        t.check(ok_answer(a, 1), 'record: configured', describe(host, a))
        blocked = host.request({'id': 10, 'type': 'check', 'lists': ['Ops <ops@army.ml>']})
        slip = host.request({'id': 11, 'type': 'check', 'lists': ['ops@gmial.com']})
        policy_warn = host.request({'id': 12, 'type': 'check', 'lists': ['ops@example.org']})
        t.check(blocked.get('verdict') == 'block' and slip.get('verdict') == 'warn'
                and policy_warn.get('verdict') == 'warn'
                and 'policy-warn' in finding(policy_warn).get('reasons', []),
                'record: a block, a slip and a policy warning checked',
                describe(host, blocked, slip, policy_warn))

        cases = [
            # decision, check, locked after a reconfigure (None: as configured), expected lock
            ('blocked', 10, True),
            ('corrected', 11, False),
            ('sent-anyway', 11, False),
            ('edited', 12, False),   # warn-domains is not locked
        ]
        id_ = 20
        for decision, check, locked in cases:
            a = host.request({'id': id_, 'type': 'record', 'decision': decision, 'check': check,
                              'sender': 'Me@Corp.Example'})
            r = record_of(host, len(host.records()) - 1)
            t.check(a == {'id': id_, 'ok': True} and r.get('decision') == decision
                    and r.get('client') == 'thunderbird'
                    and r.get('sender_domain') == 'corp.example'
                    and r.get('policy_locked') is locked,
                    'record %s: a line with client thunderbird, sender_domain, policy_locked %s'
                    % (decision, str(locked).lower()), describe(host, a, r))
            id_ += 1

        # Locks follow the latest configure; kept reports survive it.
        a = host.request({'id': 30, 'type': 'configure',
                          'settings': {'block-domains': ['ml'], 'warn-domains': ['example.org']},
                          'locked': ['warn-domains', 'on-error']})
        b = host.request({'id': 31, 'type': 'record', 'decision': 'edited', 'check': 12})
        r = record_of(host, len(host.records()) - 1)
        t.check(ok_answer(a, 30) and b == {'id': 31, 'ok': True}
                and r.get('policy_locked') is True and r.get('sender_domain') is None,
                'record edited of a policy warning, warn-domains locked: policy_locked true',
                describe(host, a, b, r))
        b = host.request({'id': 32, 'type': 'record', 'decision': 'blocked', 'check': 10})
        r = record_of(host, len(host.records()) - 1)
        t.check(b == {'id': 32, 'ok': True} and r.get('policy_locked') is False,
                'record blocked, block-domains no longer locked: policy_locked false',
                describe(host, b, r))
        b = host.request({'id': 33, 'type': 'record', 'decision': 'check-failed',
                          'sender': 'me@corp.example',
                          'error': "Recipient Guard's checker did not answer in time"})
        r = record_of(host, len(host.records()) - 1)
        t.check(b == {'id': 33, 'ok': True} and r.get('decision') == 'check-failed'
                and r.get('policy_locked') is True and r.get('verdict') is None
                and r.get('recipients') == [] and 'did not answer' in r.get('error', ''),
                'record check-failed, on-error locked: policy_locked true, the error recorded',
                describe(host, b, r))
        host.request({'id': 34, 'type': 'configure'})
        b = host.request({'id': 35, 'type': 'record', 'decision': 'check-failed',
                          'error': 'the check did not finish within 2 s'})
        r = record_of(host, len(host.records()) - 1)
        t.check(b == {'id': 35, 'ok': True} and r.get('policy_locked') is False,
                'record check-failed, on-error not locked: policy_locked false',
                describe(host, b, r))

        # What became of each flagged recipient, as the add-on says; sent-anyway: kept.
        b = host.request({'id': 36, 'type': 'record', 'decision': 'corrected', 'check': 11,
                          'outcomes': ['trusted']})
        r = record_of(host, len(host.records()) - 1)
        t.check(b == {'id': 36, 'ok': True} and r.get('v') == 2
                and [x.get('outcome') for x in r.get('recipients', [])] == ['trusted'],
                'record corrected with outcomes: each recipient has its outcome',
                describe(host, b, r))
        r = record_of(host, 2)
        t.check(r.get('decision') == 'sent-anyway'
                and [x.get('outcome') for x in r.get('recipients', [])] == ['kept'],
                'record sent-anyway without outcomes: the recipient kept', describe(host, r))

        # Local parts: hashed by default, never plain.
        with open(host.log_path, encoding='utf-8') as f:
            text = f.read()
        records = host.records()
        locals_ = [rec.get('local') for r in records for rec in r.get('recipients', [])]
        t.check(len(records) == 9 and all(r.get('local_parts') == 'hmac' for r in records)
                and locals_ and all(isinstance(l, str) and l.startswith('hmac-sha256:')
                                    for l in locals_)
                and '"ops"' not in text and 'ops@' not in text and 'Me@' not in text,
                'the log has every decision, local parts as hmac, no plain local part',
                text, host.stderr_text())

        # Protocol errors of record.
        for id_, request, what in [
                (40, {'decision': 'corrected', 'check': 999}, 'for an unknown check'),
                (41, {'decision': 'corrected'}, 'without a check'),
                (42, {'decision': 'corrected', 'check': '10'}, 'with a check that is a string'),
                (43, {'decision': 'shrugged', 'check': 10}, 'with an unknown decision'),
                (44, {'decision': 'check-failed'}, 'check-failed without an error'),
                (45, {'check': 10}, 'without a decision'),
                (46, {'decision': 'edited', 'check': 10, 'sender': 7}, 'with a numeric sender'),
                (47, {'decision': 'corrected', 'check': 11, 'outcomes': ['kept', 'kept']},
                 'with more outcomes than flagged recipients'),
                (48, {'decision': 'corrected', 'check': 11, 'outcomes': ['fixed']},
                 'with an unknown outcome'),
                (49, {'decision': 'corrected', 'check': 11, 'outcomes': 'kept'},
                 'with outcomes that are not a list'),
                (50, {'decision': 'check-failed', 'error': 'x', 'outcomes': []},
                 'with outcomes but no check')]:
            request.update({'id': id_, 'type': 'record'})
            before = len(host.records())
            a = host.request(request)
            t.check(is_error(a, id_, 'protocol') and len(host.records()) == before,
                    'record %s: protocol error, nothing written' % what, describe(host, a))

        # A record that cannot be written is answered as such ("log"), and nothing is
        # written where a link in the log's place points.
        os.rename(host.log_path, host.log_path + '.saved')
        elsewhere = os.path.join(host.state.name, 'elsewhere')
        open(elsewhere, 'w').close()
        os.symlink(elsewhere, host.log_path)
        a = host.request({'id': 60, 'type': 'record', 'decision': 'edited', 'check': 12})
        t.check(is_error(a, 60, 'log') and 'symbolic link' in a['error']['message']
                and os.path.getsize(elsewhere) == 0,
                'record into a log that is a symbolic link: a "log" error, nothing written',
                describe(host, a))
        os.unlink(host.log_path)
        os.rename(host.log_path + '.saved', host.log_path)

        # Only the last 32 checks are kept.
        first = host.request({'id': 100, 'type': 'check', 'lists': ['ops@gmial.com']})
        for i in range(101, 133):
            host.request({'id': i, 'type': 'check', 'lists': ['a@example.com']})
        a = host.request({'id': 200, 'type': 'record', 'decision': 'edited', 'check': 100})
        b = host.request({'id': 201, 'type': 'record', 'decision': 'edited', 'check': 101})
        t.check(ok_answer(first, 100) and is_error(a, 200, 'protocol')
                and b == {'id': 201, 'ok': True},
                'the host keeps the reports of its last 32 checks', describe(host, a, b))
    finally:
        host.cleanup()


def test_log_off(t, exe):
    host = Host(exe)
    try:
        a = host.request({'id': 1, 'type': 'configure', 'settings': {'log-decisions': False}})
        c = host.request({'id': 2, 'type': 'check', 'lists': ['ops@gmial.com']})
        r1 = host.request({'id': 3, 'type': 'record', 'decision': 'sent-anyway', 'check': 2})
        r2 = host.request({'id': 4, 'type': 'record', 'decision': 'check-failed',
                           'error': 'failed'})
        t.check(ok_answer(a, 1) and ok_answer(c, 2) and r1 == {'id': 3, 'ok': True}
                and r2 == {'id': 4, 'ok': True} and not os.path.exists(host.log_path),
                'log-decisions false: records are answered, nothing is written',
                describe(host, a, c, r1, r2))
        host.request({'id': 5, 'type': 'configure', 'settings': {'log-local-parts': 'none'}})
        host.request({'id': 6, 'type': 'record', 'decision': 'edited', 'check': 2})
        r = record_of(host, 0)
        t.check(r.get('local_parts') == 'none'
                and all('local' not in rec for rec in r.get('recipients', [{}])),
                'log-local-parts none: no local part at all', json.dumps(r))
    finally:
        host.cleanup()


def test_malformed(t, exe):
    host = Host(exe)
    try:
        cases = [
            (b'{"id": 1, "type": "check", "lists": [', None, 'invalid JSON'),
            (b'', None, 'an empty message'),
            (b'[1, 2]', None, 'an array'),
            (b'"check"', None, 'a string'),
            (b'{"type": "check", "lists": []}', None, 'a request without an id'),
            (b'{"id": "7", "type": "check", "lists": []}', None, 'an id that is a string'),
            (b'{"id": 1.5, "type": "check", "lists": []}', None, 'an id that is a fraction'),
            (b'{"id": 8, "type": "launch"}', 8, 'an unknown type'),
            (b'{"id": 9}', 9, 'no type'),
            (b'{"id": 10, "type": "check"}', 10, 'a check without lists'),
            (b'{"id": 11, "type": "check", "lists": "a@b.c"}', 11, 'lists a string'),
            (b'{"id": 12, "type": "check", "lists": [1]}', 12, 'a list that is a number'),
            # json-glib would cut the string short: refused before it is parsed.
            (b'{"id": 13, "type": "check", "lists": ["a@b.c\\u0000x@y.z"]}', None,
             'a string with U+0000'),
            (b'{"id": 14, "type": "check", "lists": [\'a@b.c\']}', None,
             'single quotes (not JSON)'),
            (b'{"id": 15, "type": "check", "lists": ["\xff@b.c"]}', None, 'not UTF-8'),
            (b'[' * 100000, None, 'nested 100,000 deep'),
            # What json-glib takes and JSON does not: the host refuses it, so that what it
            # echoes is always UTF-8 JSON.
            (b'{"id": 16, "type": "check", "lists": ["a@b.c\\333"]}', None,
             'an octal escape'),
            (b'{"id": 17, "type": "check", "lists": ["a@b.c\\x41"]}', None, 'a \\x escape'),
            (b'{"id": 18, "type": "check", "lists": ["a@b.c\\ud800"]}', None,
             'a lone high surrogate'),
            (b'{"id": 19, "type": "check", "lists": ["\\udc00a@b.c"]}', None,
             'a lone low surrogate'),
            (b'{"id": 24, "type": "check", "lists": ["a@b.c\tx"]}', None,
             'a raw tab inside a string'),
            (b'{"id": 25, "type": "check", "lists": []}{"id": 26, "type": "launch"}', None,
             'a second object after the request'),
            (b'{"id": 27, "type": "check", "lists": []} x', None, 'text after the request'),
            (b'{"id": 9007199254740993, "type": "check", "lists": []}', None,
             'an id beyond 2^53'),
            (b'{"id": 05, "type": "check", "lists": []}', None, 'a number with a leading 0'),
            (b'{"id": 0x10, "type": "check", "lists": []}', None, 'a hexadecimal number'),
            (b'{"id": 1, "type": "check", "lists": [], "x": .5}', None,
             'a number without its integer part'),
            (b'{"id": 1, "type": "check", "lists": [], "x": 1.}', None,
             'a number without fraction digits'),
            (b'{"id": 1, "type": "check", "lists": [], "x": nul}', None, 'a misspelt null'),
            (b'{"id": -9007199254740993, "type": "check", "lists": []}', None,
             'an id below -2^53'),
        ]
        for payload, id_, what in cases:
            a = host.request(payload)
            if id_ is None:
                ok = is_error(a, None, 'protocol') and 'id' in a
            else:
                ok = is_error(a, id_, 'protocol')
            t.check(ok, '%s: protocol error, id %s' % (what, 'null' if id_ is None else id_),
                    describe(host, a))

        a = host.request(b'{"id": 9007199254740992, "type": "check", "lists": []} \n')
        t.check(ok_answer(a, 9007199254740992), 'an id of 2^53, white space after: answered',
                describe(host, a))
        a = host.request({'id': 28, 'type': 'check', 'lists': ['\U0001f600@b.c\u00e9']})
        b = host.request(b'{"id": 29, "type": "check", "lists": ["\\ud83d\\ude00@b.c\\/"]}')
        t.check(ok_answer(a, 28) and ok_answer(b, 29)
                and b['findings'][0]['input'] == '\U0001f600@b.c/',
                'escapes JSON has (a surrogate pair, \\/) are taken', describe(host, a, b))
        a = host.request({'id': 20, 'type': 'check', 'lists': ['a@b.com\nc@d.com']})
        t.check(is_error(a, 20, 'input'), 'a control character in a list: input error',
                describe(host, a))
        a = host.request({'id': 21, 'type': 'check', 'lists': []})
        t.check(a == {'id': 21, 'ok': True, 'verdict': 'ok', 'findings': []},
                'no lists: verdict ok, no findings', describe(host, a))

        # A message of 8 MiB is read; one byte more is refused, skipped, and the host goes on.
        request = b'{"id": 22, "type": "check", "lists": ["x@gmial.com"]}'
        request += b' ' * (MAX_REQUEST - len(request))
        a = host.request(request, timeout=60)
        t.check(ok_answer(a, 22) and a.get('verdict') == 'warn',
                'a request of exactly 8 MiB is answered', describe(host, a))
        host.send(b'{' + b' ' * MAX_REQUEST)
        a = host.receive(timeout=60)
        t.check(is_error(a, None, 'protocol'),
                'a request of 8 MiB + 1 byte: protocol error, id null', describe(host, a))
        b = host.request({'id': 23, 'type': 'check', 'lists': ['x@gmial.com']})
        t.check(ok_answer(b, 23) and b.get('verdict') == 'warn',
                'and the host answers the next request', describe(host, b))
        # A length of 4 GiB - 1 is not allocated: discarded as it arrives, here cut short.
        host.write(struct.pack('=I', 0xFFFFFFFF) + b'x' * 1000)
        status, rest = host.close()
        t.check(status == 0 and rest == b'',
                'end of input inside an over-long request: exit 0, nothing on stdout',
                'status %s, rest %r' % (status, rest), host.stderr_text())
    finally:
        host.cleanup()

    for what, data in [('in the middle of a message', struct.pack('=I', 100) + b'{"id": 1, '),
                       ('in the middle of a length', b'\x10\x00'),
                       ('before any message', b'')]:
        host = Host(exe)
        try:
            host.write(data)
            status, rest = host.close()
            t.check(status == 0 and rest == b'', 'end of input %s: exit 0, no answer' % what,
                    'status %s, rest %r' % (status, rest), host.stderr_text())
        finally:
            host.cleanup()


def test_reader_gone(t, exe):
    host = Host(exe)
    try:
        a = host.request({'id': 1, 'type': 'check', 'lists': ['x@gmial.com']})
        host.proc.stdout.close()
        host.send({'id': 2, 'type': 'check', 'lists': ['x@gmial.com']})
        try:
            status = host.proc.wait(10)
        except subprocess.TimeoutExpired:
            host.proc.kill()
            status = host.proc.wait()
        t.check(ok_answer(a, 1) and status == 1
                and 'writing standard output' in host.stderr_text(),
                'nobody reads the answers: the host says so on stderr and exits 1 (no SIGPIPE)',
                'status %s' % status, host.stderr_text())
    finally:
        host.proc.stdin.close()
        host.stderr.close()
        host.state.cleanup()


def test_pipelined(t, exe):
    host = Host(exe)
    try:
        requests = []
        for i in range(1, 201):
            if i % 50 == 0:
                requests.append({'id': i, 'type': 'configure', 'known': {'army.mil': i}})
            elif i % 7 == 0:
                requests.append({'id': i, 'type': 'launch'})
            else:
                requests.append({'id': i, 'type': 'check',
                                 'lists': ['ops@army.ml', 'u%d@gmial.com' % i]})
        data = b''.join(frame(r) for r in requests)
        # Written from a thread: the answers fill the pipe while the requests are still
        # going in.
        writer = threading.Thread(target=host.write, args=(data,))
        writer.start()
        answers = [host.receive() for _ in requests]
        writer.join()
        ids = [a.get('id') for a in answers]
        kinds_right = all(
            (error_kind(a) == 'protocol') if r['type'] == 'launch' else a.get('ok') is True
            for r, a in zip(requests, answers))
        suggestions_right = all(
            finding(a, 1).get('suggestion') == 'u%d@gmail.com' % r['id']
            for r, a in zip(requests, answers) if r['type'] == 'check')
        t.check(ids == list(range(1, 201)) and kinds_right and suggestions_right,
                '200 requests written at once: 200 answers, in order, each its own',
                'ids: %s' % ids, host.stderr_text())
        status, rest = host.close()
        t.check(status == 0 and rest == b'', 'then end of input: exit 0',
                'status %s, rest %r' % (status, rest))
    finally:
        host.cleanup()


def test_too_many_findings(t, exe):
    host = Host(exe)
    try:
        lists = ['recipient-number-%05d@gmial.com' % i for i in range(8000)]
        a = host.request({'id': 1, 'type': 'check', 'lists': lists}, timeout=60)
        b = host.request({'id': 2, 'type': 'check', 'lists': lists[:10]})
        t.check(is_error(a, 1, 'input') and '1048576' in a['error']['message'],
                'a check whose answer would exceed 1 MiB: an input error',
                describe(host, a))
        c = host.request({'id': 3, 'type': 'record', 'decision': 'edited', 'check': 1})
        t.check(ok_answer(b, 2) and len(b.get('findings', [])) == 10
                and is_error(c, 3, 'protocol'),
                'the host goes on, and has not kept the report it could not send',
                describe(host, b, c))
    finally:
        host.cleanup()


def test_no_schema(t, exe):
    empty = tempfile.TemporaryDirectory(prefix='rg-no-schema.')
    host = Host(exe, env={'XDG_DATA_DIRS': empty.name, 'GSETTINGS_SCHEMA_DIR': empty.name})
    try:
        a = host.request({'id': 1, 'type': 'configure', 'settings': {'enabled': False},
                          'known': {'army.mil': 3}})
        c = host.request({'id': 2, 'type': 'check', 'lists': ['x@gmial.com', 'ops@army.ml']})
        r = host.request({'id': 3, 'type': 'record', 'decision': 'edited', 'check': 2})
        t.check(ok_answer(a, 1) and 'settings' in a and a['settings'] is None
                and len(a.get('problems', [])) == 1,
                'without the schema: "settings": null, the settings sent are a problem',
                describe(host, a))
        t.check(ok_answer(c, 2) and finding(c, 0).get('suggestion') == 'x@gmail.com'
                and finding(c, 1).get('suggestion') == 'ops@army.mil',
                "without the schema: the core's defaults and the known domains check",
                describe(host, c))
        records = host.records()
        t.check(r == {'id': 3, 'ok': True} and len(records) == 1
                and records[0].get('local_parts') == 'hmac',
                "without the schema: decisions are recorded with the schema's defaults",
                describe(host, r), records)
    finally:
        host.cleanup()
        empty.cleanup()


def test_german(t, exe_fault):
    host = Host(exe_fault, env={'LANG': 'C.UTF-8', 'LANGUAGE': 'de'},
                unset=('LC_ALL', 'LC_MESSAGES'))
    try:
        host.request({'id': 1, 'type': 'configure', 'known': {'army.mil': 214}})
        a = host.request({'id': 2, 'type': 'check', 'lists': ['ops@army.ml']})
        f = finding(a)
        t.check(ok_answer(a, 2) and f.get('label') == 'Sieht nach einem Vertipper aus'
                and 'unterscheidet sich nur in einem Buchstaben von army.mil'
                in f.get('description', ''),
                'LANGUAGE=de: label and description in German (build-tree translations)',
                describe(host, a))
    finally:
        host.cleanup()


def test_refused(t, exe_fault):
    """A list entry that is not a domain: named in "refused" with the sentence Evolution's
    Preferences shows for it, in the language of the configure; the rest applies."""
    host = Host(exe_fault, env={'LANG': 'C.UTF-8'}, unset=('LC_ALL', 'LC_MESSAGES', 'LANGUAGE'))
    try:
        settings = {'trusted-domains': ['army.mil', 'foo bar'],
                    'warn-domains': ['not a domain!'], 'block-domains': ['ml', 'a..b'],
                    'known-domains': ['partner.example', 'ops@example.com']}
        refused = [('trusted-domains', 'foo bar'), ('warn-domains', 'not a domain!'),
                   ('block-domains', 'a..b'), ('known-domains', 'ops@example.com')]
        for id_, language, sentence in [
                (1, 'en', '“%s” is not a domain such as example.com.'),
                (2, 'de', '„%s“ ist keine Domain wie example.com.')]:
            a = host.request({'id': id_, 'type': 'configure', 'settings': settings,
                              'language': language})
            expected = [{'key': key, 'entry': entry, 'message': sentence % entry}
                        for key, entry in refused]
            t.check(ok_answer(a, id_) and a.get('refused') == expected
                    and len(a.get('problems', [])) == len(refused),
                    'configure (%s): each entry of each list that is not a domain is refused, '
                    'with the sentence of Preferences' % language, describe(host, a))
        a = host.request({'id': 3, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 3) and a.get('verdict') == 'block',
                'refused entries: the others apply', describe(host, a))
        a = host.request({'id': 4, 'type': 'configure', 'settings': {'warn-domains': ['ml']}})
        t.check(ok_answer(a, 4) and a.get('refused') == [] and a.get('problems') == [],
                'configure without such entries: nothing refused', describe(host, a))
    finally:
        host.cleanup()


def test_language(t, exe_fault):
    """"language" in configure: the sentences follow Thunderbird's language, whatever the
    environment's; a "C" locale for messages is made C.UTF-8, where $LANGUAGE counts."""
    for lang in ('C.UTF-8', 'C'):
        host = Host(exe_fault, env={'LANG': lang}, unset=('LC_ALL', 'LC_MESSAGES', 'LANGUAGE'))
        try:
            labels = []
            for i, tag in enumerate(('de', 'en-US', 'de-AT')):
                host.request({'id': 10 * i + 1, 'type': 'configure', 'known': {'army.mil': 2},
                              'language': tag})
                a = host.request({'id': 10 * i + 2, 'type': 'check', 'lists': ['ops@army.ml']})
                labels.append(finding(a).get('label'))
            t.check(labels == ['Sieht nach einem Vertipper aus', 'Looks like a slip',
                               'Sieht nach einem Vertipper aus'],
                    'LANG=%s, language de, en-US, de-AT: German, English, German' % lang,
                    describe(host, *labels))
            a = host.request({'id': 40, 'type': 'configure', 'language': 'de;rm -rf'})
            t.check(ok_answer(a, 40) and any('language' in p for p in a.get('problems', [])),
                    'LANG=%s: a language that is not a tag is a problem' % lang,
                    describe(host, a))
        finally:
            host.cleanup()


def test_language_while_checking(t, exe_fault):
    """The language is set through the environment, which no thread may read meanwhile: while
    a check that outlived its budget still runs, a new language waits, and is taken once the
    worker is done."""
    host = Host(exe_fault, env={'LANG': 'C.UTF-8', 'RCPTGUARD_FAULT': 'hang'},
                unset=('LC_ALL', 'LC_MESSAGES', 'LANGUAGE'))
    settings = {'trusted-domains': ['foo bar']}
    english = '“foo bar” is not a domain such as example.com.'
    german = '„foo bar“ ist keine Domain wie example.com.'

    def sentence(answer):
        refused = answer.get('refused') or [{}]
        return refused[0].get('message')
    try:
        a = host.request({'id': 1, 'type': 'configure', 'settings': settings, 'language': 'de'})
        b = host.request({'id': 2, 'type': 'check', 'lists': ['x@gmial.com']})
        # The worker sleeps 1 s past the 2 s budget: it still runs now.
        c = host.request({'id': 3, 'type': 'configure', 'settings': settings, 'language': 'en'})
        t.check(sentence(a) == german and is_error(b, 2, 'timeout') and sentence(c) == german,
                'a language asked for while a hung check still runs waits for it',
                describe(host, a, b, c))
        time.sleep(1.5)
        d = host.request({'id': 4, 'type': 'configure', 'settings': settings})
        t.check(sentence(d) == english, 'and is taken once no check runs', describe(host, d))
    finally:
        host.cleanup()


def test_faults(t, exe_fault, exe, release_has_faults):
    for fault, kind in [('hang', 'timeout'), ('garbage', 'garbage'), ('fail', 'internal')]:
        host = Host(exe_fault, env={'RCPTGUARD_FAULT': fault})
        try:
            start = time.monotonic()
            a = host.request({'id': 1, 'type': 'check', 'lists': ['x@gmial.com']})
            elapsed = time.monotonic() - start
            t.check(is_error(a, 1, kind), 'RCPTGUARD_FAULT=%s: error kind %s' % (fault, kind),
                    describe(host, a))
            if fault == 'hang':
                print('# a hung check was answered after %.2f s (budget %d s)'
                      % (elapsed, BUDGET_S), flush=True)
                t.check(BUDGET_S - 0.5 < elapsed < BUDGET_S + 1.5,
                        'RCPTGUARD_FAULT=hang: answered near the 2 s budget, not with the '
                        'worker (%.2f s)' % elapsed)
            b = host.request({'id': 2, 'type': 'configure', 'settings': {'on-error': 'block'},
                              'locked': ['on-error']})
            c = host.request({'id': 3, 'type': 'record', 'decision': 'check-failed',
                              'sender': 'me@corp.example', 'error': a['error']['message']})
            records = host.records()
            t.check(ok_answer(b, 2) and c == {'id': 3, 'ok': True} and len(records) == 1
                    and records[0].get('decision') == 'check-failed'
                    and records[0].get('policy_locked') is True,
                    'RCPTGUARD_FAULT=%s: the host answers the next requests, records the '
                    'failure' % fault, describe(host, b, c), records)
            status, rest = host.close()
            t.check(status == 0 and rest == b'', 'RCPTGUARD_FAULT=%s: exit 0 at the end' % fault,
                    'status %s' % status, host.stderr_text())
        finally:
            host.cleanup()

    host = Host(exe_fault)
    try:
        a = host.request({'id': 1, 'type': 'check', 'lists': ['x@gmial.com']})
        t.check(ok_answer(a, 1) and a.get('verdict') == 'warn',
                'the fault variant without RCPTGUARD_FAULT checks', describe(host, a))
    finally:
        host.cleanup()

    host = Host(exe, env={'RCPTGUARD_FAULT': 'fail'})
    try:
        a = host.request({'id': 1, 'type': 'check', 'lists': ['x@gmial.com']})
        if release_has_faults:
            t.check(is_error(a, 1, 'internal'),
                    'the release host, built with -Dfault_injection=true, injects faults',
                    describe(host, a))
        else:
            t.check(ok_answer(a, 1) and a.get('verdict') == 'warn',
                    'the release host ignores RCPTGUARD_FAULT', describe(host, a))
    finally:
        host.cleanup()


# The desktop's policy: block-domains locked, warn-domains a value the user may change.
DESKTOP_KEYFILE = """[org/rcptguard/RecipientGuard]
block-domains=['ml']
warn-domains=['example.org']
"""
DESKTOP_LOCKS = '/org/rcptguard/RecipientGuard/block-domains\n'


def desktop_profile(tmp):
    """A DCONF_PROFILE with the user's database and a system database locking block-domains."""
    source = os.path.join(tmp, 'db.d')
    os.makedirs(os.path.join(source, 'locks'))
    with open(os.path.join(source, '50-rcptguard'), 'w', encoding='utf-8') as f:
        f.write(DESKTOP_KEYFILE)
    with open(os.path.join(source, 'locks', 'rcptguard'), 'w', encoding='utf-8') as f:
        f.write(DESKTOP_LOCKS)
    database = os.path.join(tmp, 'db')
    subprocess.run(['dconf', 'compile', database, source], check=True)
    profile = os.path.join(tmp, 'profile')
    with open(profile, 'w', encoding='utf-8') as f:
        f.write('user-db:user\nfile-db:%s\n' % database)
    return profile


def test_desktop_locks(t, exe):
    if shutil.which('dconf') is None:
        t.skip('the desktop\'s dconf locks', 'dconf is not installed (dconf-cli)')
        return
    tmp = tempfile.TemporaryDirectory(prefix='rg-desktop.')
    profile = desktop_profile(tmp.name)
    dconf = {'GSETTINGS_BACKEND': 'dconf', 'DCONF_PROFILE': profile}

    host = Host(exe, env=dconf)
    try:
        a = host.request({'id': 1, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 1) and a.get('verdict') == 'block',
                'desktop lock: before configure, ops@army.ml is blocked', describe(host, a))

        a = host.request({'id': 2, 'type': 'configure'})
        t.check(ok_answer(a, 2) and a.get('desktop_locked') == ['block-domains']
                and a['settings'].get('block-domains') == ['ml'] and a.get('problems') == [],
                'desktop lock: configure without settings takes block-domains [\'ml\'], '
                'desktop_locked ["block-domains"]', describe(host, a))
        c = host.request({'id': 3, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(c, 3) and c.get('verdict') == 'block'
                and 'policy-block' in finding(c).get('reasons', []),
                'desktop lock: ops@army.ml is blocked', describe(host, c))
        r = host.request({'id': 4, 'type': 'record', 'decision': 'blocked', 'check': 3})
        record = record_of(host, len(host.records()) - 1)
        t.check(r == {'id': 4, 'ok': True} and record.get('policy_locked') is True,
                'desktop lock: the record of the block has policy_locked true',
                describe(host, r, record))

        # An unlocked value of the desktop is the user's preference in Evolution: not read.
        t.check(a['settings'].get('warn-domains') == [],
                'desktop lock: the unlocked warn-domains of dconf is not applied',
                describe(host, a))
        c = host.request({'id': 5, 'type': 'check', 'lists': ['hr@example.org']})
        t.check(ok_answer(c, 5) and c.get('verdict') == 'ok',
                'desktop lock: hr@example.org (warn-domains in dconf, unlocked) is ok',
                describe(host, c))

        a = host.request({'id': 6, 'type': 'configure', 'settings': {'block-domains': []}})
        c = host.request({'id': 7, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 6) and a.get('desktop_locked') == ['block-domains']
                and a['settings'].get('block-domains') == ['ml']
                and ok_answer(c, 7) and c.get('verdict') == 'block',
                'desktop lock: the user\'s block-domains [] from the add-on does not lift it',
                describe(host, a, c))

        # Locked by both: Thunderbird's policies.json, the more specific policy, wins.
        a = host.request({'id': 8, 'type': 'configure',
                          'settings': {'block-domains': ['example.org']},
                          'locked': ['block-domains']})
        c = host.request({'id': 9, 'type': 'check', 'lists': ['ops@army.ml', 'x@example.org']})
        t.check(ok_answer(a, 8) and a.get('desktop_locked') == []
                and a['settings'].get('block-domains') == ['example.org']
                and ok_answer(c, 9) and finding(c, 0).get('verdict') != 'block'
                and finding(c, 1).get('verdict') == 'block',
                'desktop lock: a key the add-on locks too keeps the add-on\'s value',
                describe(host, a, c))
        r = host.request({'id': 10, 'type': 'record', 'decision': 'blocked', 'check': 9})
        record = record_of(host, len(host.records()) - 1)
        t.check(r == {'id': 10, 'ok': True} and record.get('policy_locked') is True,
                'desktop lock: locked by the add-on, policy_locked true',
                describe(host, r, record))

        a = host.request({'id': 11, 'type': 'configure', 'settings': {'warn-domains': []}})
        c = host.request({'id': 12, 'type': 'check', 'lists': ['ops@army.ml']})
        t.check(ok_answer(a, 11) and a.get('desktop_locked') == ['block-domains']
                and c.get('verdict') == 'block',
                'desktop lock: the next configure without the add-on\'s lock takes it again',
                describe(host, a, c))

        # Checking turned off by the user: the desktop's locked block still applies, alone.
        a = host.request({'id': 13, 'type': 'configure', 'settings': {'enabled': False},
                          'known': {'army.mil': 214}})
        c = host.request({'id': 14, 'type': 'check',
                          'lists': ['Ops <ops@army.ml>', 'x@gmial.com', 'not an address']})
        t.check(ok_answer(a, 13) and a.get('scope') == 'blocks'
                and a['settings'].get('enabled') is False
                and ok_answer(c, 14) and c.get('verdict') == 'block'
                and finding(c, 0).get('verdict') == 'block'
                and finding(c, 0).get('suggestion') == 'ops@army.mil'
                and [finding(c, i).get('verdict') for i in (1, 2)] == ['ok', 'ok']
                and [finding(c, i).get('reasons') for i in (1, 2)] == [[], []],
                'desktop lock, enabled off: scope "blocks"; only ops@army.ml is flagged '
                '(blocked, still with its suggestion)', describe(host, a, c))
    finally:
        host.cleanup()

    # The same profile on another backend: no dconf, no desktop locks.
    host = Host(exe, env={'GSETTINGS_BACKEND': 'memory', 'DCONF_PROFILE': profile})
    try:
        c = host.request({'id': 1, 'type': 'check', 'lists': ['ops@army.ml']})
        a = host.request({'id': 2, 'type': 'configure'})
        t.check(ok_answer(c, 1) and c.get('verdict') != 'block'
                and ok_answer(a, 2) and a.get('desktop_locked') == []
                and a['settings'].get('block-domains') == [],
                'desktop lock: on the memory backend dconf is not read, desktop_locked []',
                describe(host, c, a))
    finally:
        host.cleanup()

    # dconf without a lock of ours.
    user_only = os.path.join(tmp.name, 'profile-user-only')
    with open(user_only, 'w', encoding='utf-8') as f:
        f.write('user-db:user\n')
    host = Host(exe, env={'GSETTINGS_BACKEND': 'dconf', 'DCONF_PROFILE': user_only})
    try:
        a = host.request({'id': 1, 'type': 'configure', 'settings': {'block-domains': ['ml']}})
        t.check(ok_answer(a, 1) and a.get('desktop_locked') == []
                and a['settings'].get('block-domains') == ['ml'],
                'dconf without locks: desktop_locked [], the add-on\'s values apply',
                describe(host, a))
    finally:
        host.cleanup()
        tmp.cleanup()


def test_manifest(t, path, installed_path):
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)
    expected = {
        'name': 'org.rcptguard.host',
        'path': installed_path,
        'type': 'stdio',
        'allowed_extensions': ['rcptguard@rcptguard.org'],
    }
    t.check(os.path.isabs(manifest.get('path', ''))
            and {k: manifest.get(k) for k in expected} == expected
            and isinstance(manifest.get('description'), str) and manifest['description'],
            'the manifest names the host, its absolute installed path, stdio, only the add-on',
            json.dumps(manifest))


STALL_FS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'common',
                        'stall-fs.py')


def stall_fs_problem():
    """Why a FUSE file system cannot be mounted here, or None."""
    if os.geteuid() != 0:
        return 'mounting needs root'
    if not os.path.exists('/dev/fuse'):
        return 'there is no /dev/fuse'
    probe = subprocess.run(['/usr/bin/python3', '-c', 'import fusepy'], capture_output=True)
    if probe.returncode != 0:
        return "Debian's python3 has no fusepy (python3-fusepy)"
    return None


def test_stalled_disk(t, exe):
    """A disk that stops answering (writes that hang, on FUSE): the next check is answered at
    once, before the record that waits; the queue of waiting records is bounded; once the
    disk answers again every queued record is written and answered."""
    problem = stall_fs_problem()
    if problem is not None:
        t.skip('a stalled disk', problem)
        return
    host = Host(exe)
    folder = os.path.dirname(host.log_path)
    control = os.path.join(host.state.name, 'stall')
    os.mkdir(folder, 0o700)
    open(control, 'w').close()
    fs = subprocess.Popen(['/usr/bin/python3', STALL_FS, folder, control],
                          stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while not os.path.ismount(folder) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not os.path.ismount(folder):
            t.skip('a stalled disk', 'the FUSE file system did not mount: %r'
                   % fs.stderr.read1().decode('utf-8', 'replace') if fs.poll() is not None
                   else 'the FUSE file system did not mount in 10 s')
            return
        a = host.request({'id': 1, 'type': 'configure',
                          'settings': {'log-local-parts': 'none'}})
        c = host.request({'id': 2, 'type': 'check', 'lists': ['ops@gmial.com']})
        t.check(ok_answer(a, 1) and c.get('verdict') == 'warn',
                'stalled disk: configured and checked', describe(host, a, c))

        host.send({'id': 3, 'type': 'record', 'decision': 'edited', 'check': 2})
        start = time.monotonic()
        c = host.request({'id': 4, 'type': 'check', 'lists': ['ops@gmial.com']})
        took = time.monotonic() - start
        t.check(c.get('id') == 4 and c.get('verdict') == 'warn' and took < 1.0,
                'stalled disk: the next check is answered at once (%.3f s), before the record'
                % took, describe(host, c))

        # 1 record being written and 63 waiting fill the queue; the next is refused at once.
        for id_ in range(100, 163):
            host.send({'id': id_, 'type': 'record', 'decision': 'edited', 'check': 2})
        a = host.request({'id': 163, 'type': 'record', 'decision': 'edited', 'check': 2},
                         timeout=5)
        t.check(is_error(a, 163, 'log') and '64 records are waiting' in a['error']['message'],
                'stalled disk: past 64 waiting records, a record is refused with the reason',
                describe(host, a))

        os.unlink(control)
        answers = [host.receive() for _ in range(64)]
        ids = [answer.get('id') for answer in answers]
        t.check(ids == [3] + list(range(100, 163))
                and all(answer.get('ok') is True for answer in answers),
                'stalled disk: once it answers, every waiting record is written and answered, '
                'in order', describe(host, *answers[:3]))
        records = host.records()
        t.check(len(records) == 64 and all(r.get('decision') == 'edited' for r in records),
                'stalled disk: the 64 records are in the file, whole', len(records))
    finally:
        if os.path.exists(control):
            os.unlink(control)
        host.close()
        subprocess.run(['umount', '-l', folder], capture_output=True)
        try:
            fs.wait(10)
        except subprocess.TimeoutExpired:
            fs.kill()
            fs.wait()
        host.cleanup()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--host', required=True)
    parser.add_argument('--host-fault', required=True)
    parser.add_argument('--schema', required=True, help='the .gschema.xml')
    parser.add_argument('--manifest', required=True, help='org.rcptguard.host.json')
    parser.add_argument('--installed-path', required=True,
                        help='where the host is installed (an absolute path)')
    parser.add_argument('--release-has-faults', action='store_true',
                        help='built with -Dfault_injection=true')
    args = parser.parse_args()

    print('TAP version 13', flush=True)
    if 'GSETTINGS_SCHEMA_DIR' not in os.environ:
        print('Bail out! GSETTINGS_SCHEMA_DIR is not set: run from meson test')
        return 1
    if os.environ.get('GSETTINGS_BACKEND') != 'memory':
        print('Bail out! GSETTINGS_BACKEND is not memory: run from meson test')
        return 1

    t = Tap()
    defaults = schema_defaults(args.schema)
    test_check_before_configure(t, args.host)
    test_configure(t, args.host, defaults)
    test_bad_settings(t, args.host, defaults)
    test_known_evidence(t, args.host)
    test_record(t, args.host)
    test_policy_words(t, args.host)
    test_stalled_disk(t, args.host)
    test_log_off(t, args.host)
    test_malformed(t, args.host)
    test_pipelined(t, args.host)
    test_reader_gone(t, args.host)
    test_too_many_findings(t, args.host)
    test_no_schema(t, args.host)
    test_german(t, args.host_fault)
    test_language(t, args.host_fault)
    test_language_while_checking(t, args.host_fault)
    test_refused(t, args.host_fault)
    test_faults(t, args.host_fault, args.host, args.release_has_faults)
    test_desktop_locks(t, args.host)
    test_manifest(t, args.manifest, args.installed_path)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
