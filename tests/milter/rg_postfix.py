# SPDX-License-Identifier: LGPL-2.1-or-later
"""A private Postfix for tests: its own config_directory, queue_directory and data_directory
under a temporary folder, smtpd on 127.0.0.1 and a free port, relaying everything to
Postfix's own smtp-sink on another free port, which dumps each message to a file.  Nothing
of the machine's Postfix is used or touched (its /etc/postfix is only read for postfix-files).

Needs root (Postfix's master starts as root and its daemons run as the postfix user).
"""

import glob
import os
import pwd
import shutil
import signal
import smtplib
import socket
import subprocess
import tempfile
import time

POSTFIX = '/usr/sbin/postfix'
SMTP_SINK = '/usr/sbin/smtp-sink'


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=20.0, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError('the process listening on %d exited: %r' % (port, proc.returncode))
        try:
            with socket.create_connection(('127.0.0.1', port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError('nothing listens on 127.0.0.1:%d after %.0f s' % (port, timeout))


MASTER_CF = """\
{smtpd_listen} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class Postfix:
    """A private Postfix with a sink.  milter_port None: no milter."""

    def __init__(self, root, milter_port=None, extra=None):
        self.root = root
        self.config = os.path.join(root, 'etc')
        self.queue = os.path.join(root, 'queue')
        self.data = os.path.join(root, 'data')
        self.sink_dir = os.path.join(root, 'sink')
        self.maillog = os.path.join(root, 'maillog')
        for d in (self.config, self.queue, self.data, self.sink_dir):
            os.makedirs(d, exist_ok=True)
        # The daemons and smtp-sink run as postfix: they must reach and write these.
        os.chmod(root, 0o755)
        os.chmod(self.sink_dir, 0o777)
        pw = pwd.getpwnam('postfix')
        os.chown(self.data, pw.pw_uid, pw.pw_gid)
        self.port = free_port()
        self.sink_port = free_port()
        self.sink = None
        self.started = False
        lines = {
            'compatibility_level': '3.6',
            'queue_directory': self.queue,
            'data_directory': self.data,
            'mail_owner': 'postfix',
            'setgid_group': 'postdrop',
            'inet_interfaces': '127.0.0.1',
            'inet_protocols': 'ipv4',
            'myhostname': 'mx.test.example',
            'mydomain': 'test.example',
            'mydestination': '',
            'mynetworks': '127.0.0.0/8',
            'relayhost': '[127.0.0.1]:%d' % self.sink_port,
            'smtp_dns_support_level': 'disabled',
            'alias_maps': '',
            'alias_database': '',
            'local_recipient_maps': '',
            'smtpd_recipient_limit': '20000',
            'smtpd_recipient_restrictions': 'permit_mynetworks, reject',
            'smtpd_relay_restrictions': 'permit_mynetworks, reject',
            'message_size_limit': '52428800',
            'smtputf8_enable': 'yes',
            'maillog_file': self.maillog,
            'maillog_file_prefixes': root,
            'milter_default_action': 'tempfail',
            'smtp_destination_concurrency_limit': '4',
            'default_destination_recipient_limit': '20000',
            'smtp_destination_recipient_limit': '20000',
            'relay_destination_recipient_limit': '20000',
            'queue_run_delay': '1s',
            'minimal_backoff_time': '1s',
            'maximal_backoff_time': '2s',
        }
        if milter_port is not None:
            lines['smtpd_milters'] = 'inet:127.0.0.1:%d' % milter_port
            lines['non_smtpd_milters'] = 'inet:127.0.0.1:%d' % milter_port
        lines.update(extra or {})
        with open(os.path.join(self.config, 'main.cf'), 'w') as f:
            for key, value in lines.items():
                f.write('%s = %s\n' % (key, value))
        with open(os.path.join(self.config, 'master.cf'), 'w') as f:
            f.write(MASTER_CF.format(smtpd_listen='127.0.0.1:%d' % self.port))

    def start(self):
        self.sink = subprocess.Popen([SMTP_SINK, '-u', 'postfix', '-R', self.sink_dir,
                                      '-d', '%Y%m%d%H%M%S.', '127.0.0.1:%d' % self.sink_port,
                                      '1000'],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.sink_port, proc=self.sink)
        run = subprocess.run([POSTFIX, '-c', self.config, 'start'], capture_output=True,
                             text=True, timeout=60)
        if run.returncode != 0:
            raise RuntimeError('postfix start: %s' % (run.stdout + run.stderr))
        self.started = True
        wait_for_port(self.port)

    def stop(self):
        if self.started:
            subprocess.run([POSTFIX, '-c', self.config, 'stop'], capture_output=True,
                           timeout=60)
            # master exits within a second or two; its children follow.
            pidfile = os.path.join(self.queue, 'pid', 'master.pid')
            deadline = time.monotonic() + 15
            while os.path.exists(pidfile) and time.monotonic() < deadline:
                try:
                    pid = int(open(pidfile).read().strip())
                    os.kill(pid, 0)
                except (OSError, ValueError):
                    break
                time.sleep(0.1)
            self.started = False
        if self.sink is not None:
            self.sink.terminate()
            try:
                self.sink.wait(10)
            except subprocess.TimeoutExpired:
                self.sink.kill()
                self.sink.wait()
            self.sink = None

    def smtp(self):
        return smtplib.SMTP('127.0.0.1', self.port, timeout=120)

    def delivered(self):
        """The messages smtp-sink received: the text of each dump file."""
        out = []
        for path in sorted(glob.glob(os.path.join(self.sink_dir, '**', '*'), recursive=True)):
            if os.path.isfile(path):
                with open(path, 'rb') as f:
                    out.append(f.read().decode('utf-8', 'replace'))
        return out

    def wait_delivered(self, predicate, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for text in self.delivered():
                if predicate(text):
                    return text
            time.sleep(0.1)
        return None

    def postqueue(self):
        return subprocess.run(['postqueue', '-c', self.config, '-p'], capture_output=True,
                              text=True, timeout=30).stdout

    def log_text(self):
        try:
            with open(self.maillog, encoding='utf-8', errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''
