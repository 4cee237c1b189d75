#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""rcptguard-milter through a real, private Postfix (rg_postfix.py): per case a fresh Postfix
(own config, queue and data directories, 127.0.0.1, free ports) relaying to smtp-sink, and a
fresh milter with its own config file and state directory.  Mail is submitted with smtplib.

Usage: test-milter.py PATH-TO-RCPTGUARD-MILTER

Prints TAP.  Needs root (Postfix).  Where it can, it runs itself in a private mount and PID
namespace with a private systemd-journald (as tests/log/test-log-system.py does), so that the
decision records are read back from a real journal; elsewhere the journal checks are skipped
with the reason and the records are checked on the milter's standard error.
"""

import grp
import json
import os
import shutil
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rg_postfix import Postfix, free_port, wait_for_port  # noqa: E402

MESSAGE_ID = 'a95d97d4cccf4972904fe0f16b3a29d8'
JOURNALD = '/lib/systemd/systemd-journald'
SENDER = 'sender@example.org'
MILTER = None
JOURNAL = False   # a private journald is running
WORKDIR = None


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def message(to, extra_headers='', subject='test'):
    return ('From: %s\r\nTo: %s\r\nSubject: %s\r\n%s\r\nhello\r\n'
            % (SENDER, ', '.join(to), subject, extra_headers))


def postfix_log_line(i, address, status='sent'):
    return ('Dec  4 10:%02d:%02d mx postfix/smtp[%d]: 4B%06X: to=<%s>, relay=mx.%s[192.0.2.1]'
            ':25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=%s (250 2.0.0 Ok: '
            'queued as %d)\n' % (i // 60 % 60, i % 60, 1000 + i, i, address,
                                 address.split('@')[1], status, i))


class Milter:
    def __init__(self, root, config):
        self.root = root
        self.state = os.path.join(root, 'state')
        self.config = os.path.join(root, 'milter.conf')
        self.stderr_path = os.path.join(root, 'milter.stderr')
        with open(self.config, 'w') as f:
            f.write(config)
        self.port = free_port()
        self.proc = None

    def learn(self, *files, stdin=None):
        return subprocess.run([MILTER, 'learn', '--state-dir', self.state, *files],
                              input=stdin, capture_output=True, text=True, timeout=300)

    def start(self, unix_socket=None):
        # A unix socket's path is at most 107 bytes, and build folders can be deep: the milter
        # binds it relative to its working directory.
        spec = ('unix:' + os.path.basename(unix_socket) if unix_socket
                else 'inet:%d@127.0.0.1' % self.port)
        self.proc = subprocess.Popen([MILTER, '--config', self.config, '--state-dir',
                                      self.state, '--socket', spec],
                                     cwd=os.path.dirname(unix_socket) if unix_socket else None,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(self.stderr_path, 'w'))
        if unix_socket is None:
            wait_for_port(self.port, proc=self.proc)
            return
        deadline = time.monotonic() + 30
        while not os.path.exists(unix_socket) and time.monotonic() < deadline:
            check(self.proc.poll() is None, 'the milter runs: %s' % self.stderr())
            time.sleep(0.05)
        # As the unit's SupplementaryGroups=postfix would: the socket (0770) is the group's.
        gid = grp.getgrnam('postfix').gr_gid
        os.chown(unix_socket, -1, gid)
        check(os.stat(unix_socket).st_mode & 0o777 == 0o770, 'the socket is 0770')

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode
        self.proc = None
        return rc

    def stderr(self):
        with open(self.stderr_path, encoding='utf-8', errors='replace') as f:
            return f.read()

    def db(self):
        return sqlite3.connect(os.path.join(self.state, 'learned.sqlite'))

    def count(self, domain):
        with self.db() as db:
            row = db.execute('SELECT count FROM domains WHERE domain = ?', (domain,)).fetchone()
        return row[0] if row else 0


class Setup:
    """A Postfix and a milter for one case; stops both, whatever happens."""

    def __init__(self, config, milter=True, postfix_extra=None, unix=False):
        self.root = tempfile.mkdtemp(prefix='case-', dir=WORKDIR)
        self.milter = Milter(self.root, config)
        self.with_milter = milter
        self.unix_socket = None
        extra = dict(postfix_extra or {})
        if unix:
            # A path relative to the queue directory, as README advises for a chrooted smtpd.
            extra['smtpd_milters'] = extra['non_smtpd_milters'] = \
                'unix:rcptguard-milter/milter.sock'
        self.postfix = Postfix(self.root, self.milter.port if milter else None, extra)
        if unix:
            folder = os.path.join(self.postfix.queue, 'rcptguard-milter')
            os.makedirs(folder)
            os.chmod(folder, 0o755)
            self.unix_socket = os.path.join(folder, 'milter.sock')

    def __enter__(self):
        try:
            if self.with_milter:
                self.milter.start(self.unix_socket)
            self.postfix.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        self.postfix.stop()
        rc = self.milter.stop()
        if self.with_milter and exc[0] is None:
            check(rc == 0, 'the milter stopped cleanly on SIGTERM: exit %r; stderr: %s'
                  % (rc, self.milter.stderr()[-2000:]))
        return False

    def send(self, to, body=None, envelope_to=None):
        """(code, text) of the answer to the message: 250 when accepted."""
        smtp = self.postfix.smtp()
        try:
            smtp.sendmail(SENDER, envelope_to or to, body or message(to))
            return 250, ''
        except smtplib.SMTPDataError as e:
            return e.smtp_code, e.smtp_error.decode('utf-8', 'replace')
        except smtplib.SMTPRecipientsRefused as e:
            code, text = list(e.recipients.values())[0]
            return code, text.decode('utf-8', 'replace')
        finally:
            try:
                smtp.quit()
            except smtplib.SMTPException:
                pass


def journal_entries(**matches):
    args = ['journalctl', '--directory=/run/log/journal', '--no-pager', '-o', 'json',
            'MESSAGE_ID=' + MESSAGE_ID]
    args += ['%s=%s' % kv for kv in matches.items()]
    out = subprocess.run(args, capture_output=True, timeout=30).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def wait_journal(timeout=10, **matches):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = journal_entries(**matches)
        if entries:
            return entries
        time.sleep(0.1)
    return []


def check_recorded(setup, action, decision, domain):
    """The decision is recorded: in the journal when there is one, else on standard error."""
    if JOURNAL:
        entries = wait_journal(RCPTGUARD_MILTER_ACTION=action, RCPTGUARD_CLIENT='milter',
                               _PID=str(setup.milter.proc.pid))
        entries = [e for e in entries if e.get('RCPTGUARD_RECIPIENT_DOMAIN') == domain
                   or domain in (e.get('RCPTGUARD_RECIPIENT_DOMAIN') or [])]
        check(entries, 'a journal entry for %s of %s: %r' % (action, domain,
                                                              journal_entries()[-3:]))
        e = entries[-1]
        check(e.get('RCPTGUARD_DECISION') == decision and e.get('RCPTGUARD_QUEUE_ID'),
              'the entry has the decision %s and a queue id: %r' % (decision, e))
    else:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and domain not in setup.milter.stderr():
            time.sleep(0.1)
        check('Recipient Guard:' in setup.milter.stderr() and domain in setup.milter.stderr(),
              'the decision went to standard error: %s' % setup.milter.stderr()[-1000:])


SEED_CONFIG = """\
[policy]
log-local-parts = hmac
[milter]
organisation-domains = example.org
"""


def seed_army_mil(setup, n=40):
    log = os.path.join(setup.root, 'seed.log')
    with open(log, 'w') as f:
        for i in range(n):
            f.write(postfix_log_line(i, 'user%d@army.mil' % i))
        f.write(postfix_log_line(n, 'lost@nowhere.example', status='bounced'))
    run = setup.milter.learn(log)
    check(run.returncode == 0, 'learn: %r' % run)
    check(setup.milter.count('army.mil') == n, 'army.mil learned %d times' % n)


# ---------------------------------------------------------------------------------------

def case_seed_reject_once():
    """1. army.mil learned: ops@army.ml rejected with the suggestion, the resend passes."""
    setup = Setup(SEED_CONFIG)
    seed_army_mil(setup)
    with setup:
        code, text = setup.send(['ops@army.ml'])
        check(code == 550 and text.startswith('5.1.0 ') and 'Did you mean ops@army.mil?' in text
              and '24 hours' in text, 'first send: %r %r' % (code, text))
        check(not setup.postfix.delivered(), 'nothing delivered after the rejection')
        check_recorded(setup, 'reject-once', 'edited', 'army.ml')
        code, text = setup.send(['ops@army.ml'])
        check(code == 250, 'the resend is accepted: %r %r' % (code, text))
        got = setup.postfix.wait_delivered(lambda t: 'ops@army.ml' in t)
        check(got is not None, 'the resend reached the sink')
        check_recorded(setup, 'resent', 'sent-anyway', 'army.ml')
        # Another sender is not confirmed by this one's resend.
        smtp = setup.postfix.smtp()
        try:
            smtp.sendmail('other@example.org', ['ops@army.ml'], message(['ops@army.ml']))
            check(False, "another sender's first message to army.ml is rejected too")
        except smtplib.SMTPDataError as e:
            check(e.smtp_code == 550, 'other sender: %r' % e)
        finally:
            smtp.quit()
        # What left is learned: army.ml once, as the slip it may be.
        check(setup.milter.count('army.ml') == 1, 'army.ml learned from the delivered mail')
        if JOURNAL:
            blob = json.dumps(journal_entries())
            check('ops@army.ml' not in blob and '"ops' not in blob,
                  'no plain local part in the journal (log-local-parts = hmac)')


def case_block():
    """2. ml in block-domains: 550 5.7.1, also on resend."""
    setup = Setup(SEED_CONFIG + '[policy]\n'.replace('[policy]\n', '')
                  + '')
    with open(setup.milter.config, 'w') as f:
        f.write('[policy]\nblock-domains = ml;bad..entry\n[milter]\n'
                'organisation-domains = example.org\n')
    seed_army_mil(setup)
    with setup:
        for attempt in range(2):
            code, text = setup.send(['ops@army.ml'])
            check(code == 550 and text.startswith('5.7.1 ') and 'army.ml' in text,
                  'attempt %d: %r %r' % (attempt + 1, code, text))
        check(not setup.postfix.delivered(), 'nothing delivered')
        check("block-domains 'bad..entry'" in setup.milter.stderr(),
              'the bad entry is named: %s' % setup.milter.stderr()[-1000:])
        check_recorded(setup, 'blocked', 'blocked', 'army.ml')
        # A clean message passes.
        code, text = setup.send(['ops@army.mil'])
        check(code == 250, 'army.mil passes: %r' % text)


def case_confirmed_header():
    """3. accept-confirmations: the confirmed recipient passes, the header never leaves."""
    setup = Setup(SEED_CONFIG + 'accept-confirmations = true\n')
    seed_army_mil(setup)
    with setup:
        body = message(['ops@army.ml', 'ops@army.mil'],
                       'X-Recipient-Guard-Confirmed: Ops <ops@army.ml>,\r\n other@example.net\r\n')
        code, text = setup.send(['ops@army.ml', 'ops@army.mil'], body)
        check(code == 250, 'accepted with the header: %r %r' % (code, text))
        got = setup.postfix.wait_delivered(lambda t: 'ops@army.ml' in t)
        check(got is not None, 'delivered')
        check('x-recipient-guard-confirmed' not in got.lower(),
              'the header was removed: %s' % got)
        check_recorded(setup, 'confirmed-header', 'sent-anyway', 'army.ml')
        # A header naming someone else confirms nothing.
        body = message(['ops@army.ml'], 'X-Recipient-Guard-Confirmed: someone@army.ml\r\n')
        code, text = setup.send(['ops@army.ml'], body)
        check(code == 550 and '5.1.0' in text, 'not confirmed: %r %r' % (code, text))

    # Off (the default): not honoured, and still removed.
    setup = Setup(SEED_CONFIG)
    seed_army_mil(setup)
    with setup:
        body = message(['ops@army.ml'], 'X-Recipient-Guard-Confirmed: ops@army.ml\r\n')
        code, text = setup.send(['ops@army.ml'], body)
        check(code == 550 and '5.1.0' in text, 'not honoured when off: %r %r' % (code, text))
        body = message(['ops@army.mil'], 'X-Recipient-Guard-Confirmed: ops@army.mil\r\n'
                       'X-Recipient-Guard-Confirmed: x@army.mil\r\n')
        code, text = setup.send(['ops@army.mil'], body)
        check(code == 250, 'clean message accepted: %r' % text)
        got = setup.postfix.wait_delivered(lambda t: 'ops@army.mil' in t)
        check(got is not None and 'x-recipient-guard-confirmed' not in got.lower(),
              'both headers removed although not honoured: %s' % got)


def case_learn_postfix_log():
    """4. learn on the private Postfix's own maillog_file."""
    setup = Setup(SEED_CONFIG, milter=False)
    with setup:
        plan = {'partner.example': 3, 'other.example': 2, 'army.mil': 1}
        for domain, n in plan.items():
            for i in range(n):
                code, text = setup.send(['user%d@%s' % (i, domain)])
                check(code == 250, 'sent: %r' % text)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and \
                setup.postfix.log_text().count('status=sent') < sum(plan.values()):
            time.sleep(0.2)
    log = setup.postfix.log_text()
    check(log.count('status=sent') == sum(plan.values()),
          'Postfix logged the deliveries: %s' % log[-2000:])
    run = setup.milter.learn(setup.postfix.maillog)
    check(run.returncode == 0 and '6 deliveries' in run.stdout, 'learn: %r' % run)
    for domain, n in plan.items():
        check(setup.milter.count(domain) == n, '%s learned %d times, not %d'
              % (domain, n, setup.milter.count(domain)))
    # The same from standard input, gzip too.
    gz = os.path.join(setup.root, 'maillog.1.gz')
    subprocess.run(['sh', '-c', 'gzip -c "$0" > "$1"', setup.postfix.maillog, gz], check=True)
    run = setup.milter.learn(gz)
    check(run.returncode == 0 and setup.milter.count('partner.example') == 6,
          'learn from .gz: %r' % run)
    run = setup.milter.learn('-', stdin=log)
    check(run.returncode == 0 and setup.milter.count('partner.example') == 9,
          'learn from standard input: %r' % run)


def case_learn_killed():
    """5. learn killed with SIGKILL mid-way: the store is intact, a second learn completes."""
    setup = Setup(SEED_CONFIG, milter=False)
    log = os.path.join(setup.root, 'big.log')
    n = 1500000
    with open(log, 'w') as f:
        chunk = []
        for i in range(n):
            chunk.append(postfix_log_line(i, 'u@d%d.example' % (i % 200000)))
            if len(chunk) == 10000:
                f.write(''.join(chunk))
                chunk = []
        f.write(''.join(chunk))
    store = os.path.join(setup.milter.state, 'learned.sqlite')
    proc = subprocess.Popen([MILTER, 'learn', '--state-dir', setup.milter.state, log],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Kill once a batch or two are committed, before the end.
    deadline = time.monotonic() + 60
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(store, timeout=5) as db:
                committed = db.execute('SELECT count(*) FROM domains').fetchone()[0]
        except sqlite3.Error:
            committed = 0
        if committed > 0:
            break
        time.sleep(0.02)
    check(proc.poll() is None, 'learn was still running when killed (make the log bigger)')
    proc.kill()
    proc.wait()
    with sqlite3.connect(store) as db:
        ok = db.execute('PRAGMA integrity_check').fetchone()[0]
        partial = db.execute('SELECT count(*), coalesce(sum(count), 0) FROM domains').fetchone()
    check(ok == 'ok', 'integrity_check after SIGKILL: %r' % ok)
    check(partial[1] < n, 'the kill came mid-way: %r of %d' % (partial, n))
    start = time.monotonic()
    run = setup.milter.learn(log)
    took = time.monotonic() - start
    check(run.returncode == 0, 'the second learn completes: %r' % run)
    with sqlite3.connect(store) as db:
        total = db.execute('SELECT count(*), sum(count) FROM domains').fetchone()
        ok = db.execute('PRAGMA integrity_check').fetchone()[0]
    check(ok == 'ok' and total[0] == 200000 and total[1] >= n,
          'all 200,000 domains stored, %d+ deliveries: %r' % (n, total))
    print('# learn: %d lines, 200,000 domains in %.1f s (%.0f lines/s)' % (n, took, n / took))


def case_hostile():
    """6. 10,000 recipients, a 4 MiB header, broken encodings: answered, the milter lives."""
    setup = Setup(SEED_CONFIG, postfix_extra={'header_size_limit': '8388608'})
    seed_army_mil(setup)
    with setup:
        rcpts = ['user%d@army.mil' % i for i in range(9999)] + ['many@army.ml']
        start = time.monotonic()
        code, text = setup.send(rcpts, message(['many@army.mil']))
        print('# 10,000 recipients answered in %.1f s: %d' % (time.monotonic() - start, code))
        check(code in (250, 550, 451) and setup.milter.alive(),
              '10,000 recipients: %r %r' % (code, text[:200]))
        check(code == 550 and 'many@army.ml' in text, 'the slip among 10,000 is found: %r'
              % text[:300])

        big = 'X-Big: ' + '\r\n '.join(['a' * 990] * (4 * 1024 * 1024 // 990)) + '\r\n'
        code, text = setup.send(['ops@army.mil'], message(['ops@army.mil'], big))
        check(code in (250, 550, 451) and setup.milter.alive(),
              '4 MiB header: %r %r' % (code, text[:200]))
        print('# 4 MiB header answered: %d %s' % (code, text[:80]))

        conf = 'X-Recipient-Guard-Confirmed: ' + ', '.join(
            'x%d@army.ml' % i for i in range(300000)) + '\r\n'
        code, text = setup.send(['ops@army.mil'], message(['ops@army.mil'], conf))
        check(code in (250, 550, 451) and setup.milter.alive(),
              '4 MiB confirmation header: %r %r' % (code, text[:200]))

        # Broken encodings: raw 8-bit and broken encoded words in headers, a recipient with a
        # byte that is not UTF-8, straight over a socket (smtplib encodes).
        with socket.create_connection(('127.0.0.1', setup.postfix.port), timeout=60) as s:
            f = s.makefile('rwb')

            def cmd(line):
                f.write(line + b'\r\n')
                f.flush()
                reply = b''
                while True:
                    got = f.readline()
                    reply += got
                    if len(got) < 4 or got[3:4] != b'-':
                        return reply
            f.readline()
            cmd(b'EHLO test')
            cmd(b'MAIL FROM:<sender@example.org> BODY=8BITMIME')
            r1 = cmd(b'RCPT TO:<ops@arm\xffy.ml>')
            r2 = cmd(b'RCPT TO:<\xd0\xb0rmy@\xd0\xb0rmy.mil>')
            r3 = cmd(b'RCPT TO:<ops@army.mil>')
            r = cmd(b'DATA')
            if r.startswith(b'354'):
                f.write(b'From: =?utf-8?b?////?= <sender@example.org>\r\n'
                        b'To: =?x-unknown?q?=ZZ?= <ops@army.mil>\r\n'
                        b'Subject: \xff\xfe broken \xc3\r\n'
                        b'X-Recipient-Guard-Confirmed: \xff@\xfe, <\x01@x>\r\n'
                        b'\r\n\xff\xfe\x00body\r\n.\r\n')
                f.flush()
                reply = f.readline()
            else:
                reply = r
            cmd(b'QUIT')
        print('# broken encodings: %r %r %r -> %r' % (r1[:40], r2[:40], r3[:40], reply[:80]))
        check(reply[:1] in (b'2', b'4', b'5') and setup.milter.alive(),
              'broken encodings answered: %r' % reply)
        # Still working afterwards.
        code, text = setup.send(['ops@army.ml'])
        check(code == 550 and 'Did you mean ops@army.mil?' in text and setup.milter.alive(),
              'the milter still checks: %r %r' % (code, text))


def case_tag_and_hold():
    """7. warn-action tag delivers with X-Recipient-Guard; hold puts the message on hold."""
    setup = Setup(SEED_CONFIG + 'warn-action = tag\n')
    seed_army_mil(setup)
    with setup:
        code, text = setup.send(['ops@army.ml'])
        check(code == 250, 'tag accepts: %r' % text)
        got = setup.postfix.wait_delivered(lambda t: 'ops@army.ml' in t)
        check(got is not None
              and 'X-Recipient-Guard: warn ops@army.ml; suggested ops@army.mil' in got,
              'delivered with the tag: %s' % got)
        check_recorded(setup, 'tag', 'sent-anyway', 'army.ml')

    setup = Setup(SEED_CONFIG + 'warn-action = hold\n')
    seed_army_mil(setup)
    with setup:
        code, text = setup.send(['ops@army.ml'])
        check(code == 250, 'hold accepts: %r' % text)
        deadline = time.monotonic() + 15
        queue = ''
        while time.monotonic() < deadline:
            queue = setup.postfix.postqueue()
            if '!' in queue:
                break
            time.sleep(0.2)
        check('!' in queue and 'ops@army.ml' in queue, 'on hold in postqueue -p: %s' % queue)
        held = os.listdir(os.path.join(setup.postfix.queue, 'hold'))
        check(len(held) == 1, 'one file in the hold queue: %r' % held)
        time.sleep(1)
        check(not setup.postfix.delivered(), 'not delivered')
        check_recorded(setup, 'hold', 'edited', 'army.ml')


def case_unix_socket():
    """The unix socket in the queue directory, named relative to it in main.cf."""
    setup = Setup(SEED_CONFIG, unix=True)
    seed_army_mil(setup)
    with setup:
        code, text = setup.send(['ops@army.ml'])
        check(code == 550 and 'Did you mean ops@army.mil?' in text, 'checked: %r %r'
              % (code, text))
        code, text = setup.send(['ops@army.mil'])
        check(code == 250, 'clean mail passes: %r' % text)


def case_sendmail():
    """Mail from the sendmail command (non_smtpd_milters, seen as 127.0.0.1) is checked too."""
    setup = Setup(SEED_CONFIG + 'warn-action = tag\n')
    seed_army_mil(setup)
    with setup:
        run = subprocess.run(['sendmail', '-C', setup.postfix.config, '-f', SENDER,
                              'ops@army.ml'], input=message(['ops@army.ml']).encode(),
                             capture_output=True, timeout=60)
        check(run.returncode == 0, 'sendmail: %r' % run)
        got = setup.postfix.wait_delivered(lambda t: 'ops@army.ml' in t)
        check(got is not None
              and 'X-Recipient-Guard: warn ops@army.ml; suggested ops@army.mil' in got,
              'delivered with the tag: %s' % got)


def case_not_outgoing():
    """8. a client outside organisation-networks, not authenticated: not checked."""
    setup = Setup('[milter]\norganisation-domains = example.org\n'
                  'organisation-networks = 10.0.0.0/8;2001:db8::/32\n')
    seed_army_mil(setup)
    with setup:
        code, text = setup.send(['ops@army.ml'])
        check(code == 250, 'not outgoing, not checked: %r %r' % (code, text))
        check(setup.postfix.wait_delivered(lambda t: 'ops@army.ml' in t) is not None,
              'delivered')
        time.sleep(0.5)
        check(setup.milter.count('army.ml') == 0, 'incoming mail teaches nothing')
        check('Recipient Guard:' not in setup.milter.stderr(), 'nothing recorded')
        if JOURNAL:
            check(not journal_entries(_PID=str(setup.milter.proc.pid)),
                  'nothing in the journal from this milter')


def case_reload():
    """SIGHUP reads the config again (and does not stop the milter, as libmilter would)."""
    setup = Setup(SEED_CONFIG + 'warn-action = accept\n')
    seed_army_mil(setup)
    with setup:
        code, text = setup.send(['ops@army.ml'])
        check(code == 250, 'accept: %r' % text)
        with open(setup.milter.config, 'w') as f:
            f.write('[policy]\nblock-domains = ml\n[milter]\norganisation-domains = example.org\n')
        setup.milter.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and 'read again' not in setup.milter.stderr():
            time.sleep(0.1)
        time.sleep(0.5)
        check(setup.milter.alive(), 'alive after SIGHUP: %s' % setup.milter.stderr()[-500:])
        code, text = setup.send(['ops@army.ml'])
        check(code == 550 and '5.7.1' in text, 'blocked after the reload: %r %r' % (code, text))


def case_journal():
    """9. the actions are in the journal with the decision log's fields."""
    if not JOURNAL:
        return 'SKIP ' + JOURNAL_SKIP
    entries = journal_entries(RCPTGUARD_CLIENT='milter')
    actions = {e.get('RCPTGUARD_MILTER_ACTION') for e in entries}
    want = {'reject-once', 'resent', 'blocked', 'confirmed-header', 'tag', 'hold'}
    check(want <= actions, 'every action recorded: %r' % actions)
    for e in entries:
        check(e.get('PRIORITY') in ('5', '4') and e.get('RCPTGUARD_SENDER_DOMAIN') in
              ('example.org', None), 'fields: %r' % e)
    return None


CASES = [case_seed_reject_once, case_block, case_confirmed_header, case_learn_postfix_log,
         case_learn_killed, case_hostile, case_tag_and_hold, case_unix_socket, case_sendmail,
         case_not_outgoing, case_reload, case_journal]
JOURNAL_SKIP = 'no private systemd-journald here'


def run_cases():
    global WORKDIR
    WORKDIR = tempfile.mkdtemp(prefix='rg-milter-test-', dir=os.environ.get('RG_TEST_TMPDIR'))
    os.chmod(WORKDIR, 0o755)  # Postfix's daemons (user postfix) walk through it
    only = os.environ.get('RG_MILTER_CASES')
    cases = [c for c in CASES if not only or c.__name__ in only.split(',')]
    print('1..%d' % len(cases))
    failed = 0
    for i, case in enumerate(cases, 1):
        start = time.monotonic()
        try:
            result = case()
            if isinstance(result, str) and result.startswith('SKIP'):
                print('ok %d - %s # %s' % (i, case.__name__, result))
            else:
                print('ok %d - %s (%.1f s)' % (i, case.__name__, time.monotonic() - start))
        except Exception as e:  # noqa: BLE001
            failed += 1
            print('not ok %d - %s' % (i, case.__name__))
            for line in traceback.format_exc().splitlines():
                print('# ' + line)
        sys.stdout.flush()
    if failed == 0:
        shutil.rmtree(WORKDIR, ignore_errors=True)
    else:
        print('# kept for inspection: %s' % WORKDIR)
    return 1 if failed else 0


def inside():
    """PID 1 of the private namespace: our own /run with a journald in it, then the cases in a
    child process, while this one reaps every orphan (Postfix's daemons among them) as an
    init must: unreaped, they would look alive to the tests."""
    # PID 1: the first process of the new PID namespace that unshare --fork made.  Only
    # there is /run ours to cover: the journal's sockets must never land in the machine's.
    if os.getpid() != 1 or os.environ.get('RG_MILTER_NS') != '1':
        raise RuntimeError('--inside is only for the private namespace')
    subprocess.run(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', '/run'], check=True)
    os.makedirs('/run/systemd', exist_ok=True)
    os.makedirs('/run/log/journal', exist_ok=True)
    if os.path.isdir('/var/log/journal'):
        subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', '/var/log/journal'], check=True)
    journald_log = tempfile.TemporaryFile()
    journald = subprocess.Popen([JOURNALD], stdout=journald_log, stderr=journald_log)
    deadline = time.monotonic() + 10
    while not os.path.exists('/run/systemd/journal/socket') and time.monotonic() < deadline:
        time.sleep(0.05)
    env = dict(os.environ, RG_MILTER_JOURNAL='1' if os.path.exists(
        '/run/systemd/journal/socket') else '0')
    cases = subprocess.Popen([sys.executable, os.path.abspath(__file__), MILTER, '--cases'],
                             env=env)
    status = 1
    while True:
        try:
            pid, wait_status = os.wait()
        except ChildProcessError:
            break
        if pid == cases.pid:
            status = os.waitstatus_to_exitcode(wait_status)
            break
    journald.terminate()
    journald.wait()
    return status


def cases_in_namespace():
    global JOURNAL
    JOURNAL = os.environ.get('RG_MILTER_JOURNAL') == '1'
    return run_cases()


def main():
    global MILTER, JOURNAL_SKIP
    MILTER = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print('1..0 # SKIP a private Postfix needs root')
        return 0
    for tool in ('/usr/sbin/postfix', '/usr/sbin/smtp-sink', 'postqueue'):
        if shutil.which(tool) is None:
            print('1..0 # SKIP %s is not installed (scripts/install-deps)' % tool)
            return 0
    if len(sys.argv) > 2 and sys.argv[2] == '--inside':
        return inside()
    if len(sys.argv) > 2 and sys.argv[2] == '--cases':
        return cases_in_namespace()
    reason = None
    if not os.path.exists(JOURNALD) or shutil.which('journalctl') is None:
        reason = 'systemd-journald is not installed'
    elif os.path.exists('/run/systemd/journal/socket'):
        reason = None
    elif shutil.which('unshare') is None:
        reason = 'unshare is not installed'
    else:
        probe = subprocess.run(['unshare', '--mount', '--pid', '--fork', '--mount-proc',
                                '--propagation', 'private', '--', 'sh', '-c',
                                'mount -t tmpfs tmpfs /run'], capture_output=True, timeout=30)
        if probe.returncode != 0:
            reason = 'no private mount namespace here'
    if reason is not None:
        JOURNAL_SKIP = reason
        return run_cases()
    if os.path.exists('/run/systemd/journal/socket'):
        JOURNAL_SKIP = 'the system journal is running; not read by tests'
        return run_cases()
    # --kill-child and the PID namespace: journald, Postfix and the milter end with the test.
    return subprocess.run(['unshare', '--mount', '--pid', '--fork', '--mount-proc',
                           '--kill-child', '--propagation', 'private', '--',
                           sys.executable, os.path.abspath(__file__), MILTER, '--inside'],
                          env=dict(os.environ, RG_MILTER_NS='1'), timeout=1800).returncode


if __name__ == '__main__':
    sys.exit(main())
