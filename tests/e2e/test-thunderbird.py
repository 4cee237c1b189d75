#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""End-to-end test: a real Thunderbird under Xvfb, with the Recipient Guard add-on installed.

    test-thunderbird.py --xpi PATH --host PATH --fault-host PATH --schema-dir DIR
                        --artefacts DIR [SCENARIO...]

Each scenario runs in a throwaway session of its own: a fresh HOME and XDG folders, Xvfb on a
free display with matchbox-window-manager (windows.create() returns only once the new window
has the focus, which needs a window manager), a private D-Bus session bus for the
accessibility bus, and a recording SMTP server on a loopback port (smtp_sink.py).

Thunderbird starts on a fresh profile made of a user.js alone: a POP3 account on 127.0.0.1 that
is never polled (Thunderbird opens a compose window only with a default account), Local
Folders, and the SMTP server of the sink.  The add-on is the .xpi that meson built (--xpi),
copied into the profile's extensions/ folder under its id, and loaded unsigned
(xpinstall.signatures.required=false, extensions.autoDisableScopes=0).  The native host
(--host) is registered for the user in $HOME/.mozilla/native-messaging-hosts, as README's
per-user install does; GSETTINGS_SCHEMA_DIR is --schema-dir, where the host finds the schema.

The test drives Thunderbird through Marionette (--marionette --remote-allow-system-access;
marionette.py), which adds a contact ops@army.mil to the personal address book through
Thunderbird's own address-book service and opens a compose window to the scenario's
recipient.  It then presses Send and answers the "Check recipients" window as a user does: the
buttons are found in the accessibility tree (AT-SPI) and clicked through the X server
(xdotool) at their positions.

Scenarios (all by default; name some to run only those):
  edit       ops@army.ml, "Edit Message": nothing reaches the SMTP server, the compose window
             stays open and its To still reads ops@army.ml; the log records "edited";
  corrected  ops@army.ml, "Send Corrected": the server receives RCPT TO:<ops@army.mil> and no
             other recipient; "corrected";
  anyway     ops@army.ml, "Send Anyway": RCPT TO:<ops@army.ml>; "sent-anyway";
  clean      ops@army.mil: sent with no window, nothing recorded;
  cc-list    To the mailing list "Field Team" (colleague@corp.example and pat@army.mil, in the
             address book), Cc "Army Ops <ops@army.ml>": the window has one row, the Cc one
             (the list is expanded into its members, which are fine); "Send Corrected": the
             server receives the two members and ops@army.mil, and the message's Cc header
             reads "Army Ops <ops@army.mil>" (the display name kept); "corrected";
  anyway-again
             with eleven more colleagues at army.mil in the address book: ops@army.ml, "Send
             Anyway": as "anyway", and Thunderbird itself puts ops@army.ml into Collected
             Addresses as the mail leaves (its default, mail.collect_email_address_outgoing);
             the add-on configures the host again with army.ml.  A new message to ops@army.ml
             must still open the window (army.ml, collected once, is weak beside the twelve
             contacts at army.mil: "rare-twin"); "Edit Message": nothing more sent, the new
             compose window stays open.  The log: "sent-anyway", then "edited" with
             "rare-twin";
  no-host    no native host registered: the window says "Recipients could not be checked"
             and offers "Edit Message" and "Send Anyway" only (on-error's default, warn);
             "Send Anyway" sends to ops@army.ml; nothing is recorded (the log is the host's);
  admin-block
             the administrator's example (--admin, data/admin/thunderbird/policies.json) as
             Thunderbird reads it from /etc/thunderbird/policies/policies.json: it installs the
             add-on for every profile (ExtensionSettings, force_installed; the test points
             install_url at --xpi, and copies nothing into the profile), and its
             3rdparty.Extensions.<id> blocks .ml and locks it ("block-domains:locked").  The
             file is put there in a private mount namespace of Thunderbird's alone (unshare;
             needs root, as CI is, and is skipped otherwise), so the machine's own /etc is not
             touched.  ops@army.ml: the window
             says the administrator does not allow it and has no "Send Anyway"; "Send
             Corrected" sends to ops@army.mil; "corrected" is recorded with policy_locked;
  host-hang  the host built with fault injection (--fault-host, RCPTGUARD_FAULT=hang) never
             finishes the check: after the guard's 2 s budget the same window appears;
             "Edit Message": nothing sent; "check-failed" is recorded.

Every record of the decision log ($XDG_STATE_HOME/rcptguard/decisions.jsonl, written by the
host) names the client "thunderbird" and the sender's domain, and never the local part "ops"
in plain.

Output is TAP, one line per scenario.  Every scenario runs in a child process of its own
process group (the AT-SPI library binds to one session bus per process), with a marker in the
environment of every process it starts; when it is done, or after SCENARIO_TIMEOUT_S, whatever
is left of that group or carries the marker is ended (rg_e2e.py).  Artefacts per scenario:
screenshots, Thunderbird's output and what the SMTP server received.
"""

import argparse
import email
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from marionette import Marionette, MarionetteError
from rg_e2e import (Desktop, Failure, click, log, missing_tools, run_child, run_in_child,
                    screenshot, set_deadline, start_window_manager, start_with_fd, wait_for)
from smtp_sink import SmtpSink

# A scenario takes 15-25 s here; the runner ends what is left after SCENARIO_TIMEOUT_S, and the
# scenario's own waits stop SHUTDOWN_RESERVE_S earlier so that it can still fail with a message.
SCENARIO_TIMEOUT_S = 120
SHUTDOWN_RESERVE_S = 20
ADDON_ID = 'rcptguard@rcptguard.org'
HOST_NAME = 'org.rcptguard.host'
SENDER = 'me@corp.example'
# The address book: ops@army.mil, and for "cc-list" a mailing list of two more.
CONTACT = ('Army Operations', 'ops@army.mil')
TEAM = ('Field Team', (('Corp Colleague', 'colleague@corp.example'),
                       ('Pat Field', 'pat@army.mil')))
# For "anyway-again": a domain collected once is a rare twin only of one with much stronger
# evidence (ten times the uses, and at least five).
ARMY_COLLEAGUES = tuple((f'Army Colleague {i}', f'colleague{i}@army.mil') for i in range(1, 12))
DIALOG_TITLE = 'Check recipients'
EDIT, CORRECTED, ANYWAY = 'Edit Message', 'Send Corrected', 'Send Anyway'
FAILED_HEADING = 'Recipients could not be checked'
BLOCKED_HEADING = 'Your administrator does not allow sending to some of these recipients'
# Where Debian's Thunderbird reads policies/policies.json.
POLICIES_DIR = '/etc/thunderbird'
# What the add-on's background page writes to the console (Thunderbird's standard output, with
# devtools.console.stdout.content) each time the host has taken a new configuration.
READY_LINE = 'rcptguard: ready'
DECISION_LOG = os.path.join('rcptguard', 'decisions.jsonl')
XVFB_SCREEN = '1280x1024x24'


class Scenario:
    def __init__(self, name, to, answer, sends_to, host='release', buttons=None,
                 heading=None, records=(), admin=False, locked=False, cc=None, team=False,
                 cc_header=None, again_collected=False):
        self.name = name
        self.to = to
        self.answer = answer          # the button pressed, or None: no window may appear
        self.cc = cc                  # the Cc field, or None
        # The addresses the server must get (RCPT TO), exactly; None: nothing may be sent.
        self.sends_to = (sends_to,) if isinstance(sends_to, str) else sends_to
        self.team = team              # add TEAM to the address book
        self.cc_header = cc_header    # what the sent message's Cc header must read
        self.host = host              # 'release', 'fault' (RCPTGUARD_FAULT=hang) or None
        self.buttons = buttons        # the window's buttons, exactly
        self.heading = heading        # text the window must show
        self.records = list(records)  # the decisions the log must hold afterwards
        self.admin = admin            # deploy --admin's policies.json
        self.locked = locked          # the records' policy_locked
        # Add ARMY_COLLEAGUES; after the answer, once Thunderbird collected the recipient, a
        # new message to it must open the window again ("Edit Message").
        self.again_collected = again_collected


SCENARIOS = {s.name: s for s in (
    Scenario('edit', 'ops@army.ml', EDIT, None, buttons={EDIT, CORRECTED, ANYWAY},
             records=['edited']),
    Scenario('corrected', 'ops@army.ml', CORRECTED, 'ops@army.mil',
             buttons={EDIT, CORRECTED, ANYWAY}, records=['corrected']),
    Scenario('anyway', 'ops@army.ml', ANYWAY, 'ops@army.ml', buttons={EDIT, CORRECTED, ANYWAY},
             records=['sent-anyway']),
    Scenario('anyway-again', 'ops@army.ml', ANYWAY, 'ops@army.ml',
             buttons={EDIT, CORRECTED, ANYWAY}, records=['sent-anyway', 'edited'],
             again_collected=True),
    Scenario('clean', 'ops@army.mil', None, 'ops@army.mil'),
    Scenario('cc-list', f'{TEAM[0]} <{TEAM[0]}>', CORRECTED,
             ('colleague@corp.example', 'pat@army.mil', 'ops@army.mil'),
             cc='Army Ops <ops@army.ml>', team=True, buttons={EDIT, CORRECTED, ANYWAY},
             cc_header='Army Ops <ops@army.mil>', records=['corrected']),
    Scenario('no-host', 'ops@army.ml', ANYWAY, 'ops@army.ml', host=None,
             buttons={EDIT, ANYWAY}, heading=FAILED_HEADING),
    Scenario('admin-block', 'ops@army.ml', CORRECTED, 'ops@army.mil', buttons={EDIT, CORRECTED},
             heading=BLOCKED_HEADING, records=['corrected'], admin=True, locked=True),
    Scenario('host-hang', 'ops@army.ml', EDIT, None, host='fault', buttons={EDIT, ANYWAY},
             heading=FAILED_HEADING, records=['check-failed']),
)}


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def user_js(smtp_port, marionette_port):
    """The whole profile: one account whose POP3 server is never asked, Local Folders, the
    sink as the only SMTP server, and no first-run prompts."""
    prefs = {
        'xpinstall.signatures.required': False,
        'extensions.autoDisableScopes': 0,
        'marionette.port': marionette_port,
        # The add-on's console.info lines go to standard output, where the test reads them.
        'devtools.console.stdout.content': True,
        'devtools.console.stdout.chrome': True,
        'mail.shell.checkDefaultClient': False,
        'mail.provider.suppress_dialog_on_startup': True,
        'mail.spotlight.firstRunDone': True,
        'mail.rights.version': 1,
        'mailnews.start_page.enabled': False,
        'datareporting.policy.dataSubmissionEnabled': False,
        'toolkit.telemetry.reportingpolicy.firstRunURL': '',
        'app.update.auto': False,
        'mail.warn_on_send_accel_key': False,
        'mail.accountmanager.accounts': 'account1,account2',
        'mail.accountmanager.defaultaccount': 'account1',
        'mail.accountmanager.localfoldersserver': 'server2',
        'mail.account.account1.identities': 'id1',
        'mail.account.account1.server': 'server1',
        'mail.account.account2.server': 'server2',
        'mail.identity.id1.fullName': 'Test Sender',
        'mail.identity.id1.useremail': SENDER,
        'mail.identity.id1.smtpServer': 'smtp1',
        'mail.identity.id1.valid': True,
        'mail.identity.id1.fcc': False,
        'mail.server.server1.type': 'pop3',
        'mail.server.server1.hostname': '127.0.0.1',
        'mail.server.server1.port': 9,
        'mail.server.server1.userName': 'me',
        'mail.server.server1.login_at_startup': False,
        'mail.server.server1.check_new_mail': False,
        'mail.server.server2.type': 'none',
        'mail.server.server2.hostname': 'Local Folders',
        'mail.server.server2.userName': 'nobody',
        'mail.smtpservers': 'smtp1',
        'mail.smtp.defaultserver': 'smtp1',
        'mail.smtpserver.smtp1.type': 'smtp',
        'mail.smtpserver.smtp1.hostname': '127.0.0.1',
        'mail.smtpserver.smtp1.port': smtp_port,
        'mail.smtpserver.smtp1.authMethod': 1,  # no authentication
        'mail.smtpserver.smtp1.try_ssl': 0,
    }
    return ''.join(f'user_pref({json.dumps(k)}, {json.dumps(v)});\n' for k, v in prefs.items())


# Thunderbird's side, run through Marionette in its parent process.
ADDON_ACTIVE_JS = '''
const { AddonManager } = ChromeUtils.importESModule("resource://gre/modules/AddonManager.sys.mjs");
return AddonManager.getAddonByID(arguments[0])
  .then(addon => addon ? [addon.isActive, addon.version] : null);
'''
ADD_CONTACT_JS = '''
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const card = Cc["@mozilla.org/addressbook/cardproperty;1"].createInstance(Ci.nsIAbCard);
card.displayName = arguments[0];
card.primaryEmail = arguments[1];
MailServices.ab.getDirectory("jsaddrbook://abook.sqlite").addCard(card);
'''
# A mailing list of new contacts: arguments[0] its name, arguments[1] [[name, address], ...].
ADD_LIST_JS = '''
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const book = MailServices.ab.getDirectory("jsaddrbook://abook.sqlite");
const list = Cc["@mozilla.org/addressbook/directoryproperty;1"].createInstance(Ci.nsIAbDirectory);
list.isMailList = true;
list.dirName = arguments[0];
const added = book.addMailList(list);
for (const [name, address] of arguments[1]) {
  const card = Cc["@mozilla.org/addressbook/cardproperty;1"].createInstance(Ci.nsIAbCard);
  card.displayName = name;
  card.primaryEmail = address;
  added.addCard(book.addCard(card));
}
'''
COMPOSE_JS = '''
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const params = Cc["@mozilla.org/messengercompose/composeparams;1"]
  .createInstance(Ci.nsIMsgComposeParams);
const fields = Cc["@mozilla.org/messengercompose/composefields;1"]
  .createInstance(Ci.nsIMsgCompFields);
fields.to = arguments[0];
if (arguments[2]) fields.cc = arguments[2];
fields.subject = arguments[1];
fields.body = "Hello";
params.composeFields = fields;
params.type = Ci.nsIMsgCompType.New;
params.format = Ci.nsIMsgCompFormat.PlainText;
params.identity = MailServices.accounts.defaultAccount.defaultIdentity;
MailServices.compose.OpenComposeWindowWithParams(null, params);
'''
# The compose window's Send button, on screen, once the window is ready; null before.
SEND_BUTTON_JS = '''
const w = Services.wm.getMostRecentWindow("msgcompose");
if (!w || !w.composeEditorReady) return null;
const r = w.document.getElementById("button-send").getBoundingClientRect();
const scale = w.devicePixelRatio;
return [Math.round((w.mozInnerScreenX + r.x + r.width / 2) * scale),
        Math.round((w.mozInnerScreenY + r.y + r.height / 2) * scale)];
'''
# The addresses in Thunderbird's Collected Addresses.
COLLECTED_JS = '''
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
return MailServices.ab.getDirectory("jsaddrbook://history.sqlite").childCards
  .map(card => card.primaryEmail);
'''
# The compose windows open, each with the addresses of its To pills.
COMPOSE_WINDOWS_JS = '''
const out = [];
for (const w of Services.wm.getEnumerator("msgcompose")) {
  if (w.closed) continue;
  const pills = w.document.querySelectorAll("#toAddrContainer mail-address-pill");
  out.push([...pills].map(p => p.emailAddress));
}
return out;
'''


class Child:
    """One scenario, in its own process: the session, Thunderbird, the answer, the checks."""

    def __init__(self, scenario, root, artefacts, args):
        self.s = scenario
        self.root = root
        self.artefacts = artefacts
        self.args = args
        self.t0 = time.monotonic()
        self.procs = []
        self.thunderbird = None
        self.marionette = None
        self.shots = 0

    def mark(self, what):
        log(f'{time.monotonic() - self.t0:6.1f} s  {what}')

    def shot(self, name):
        self.shots += 1
        try:
            screenshot(self.env, os.path.join(self.artefacts, f'{self.shots}-{name}.png'))
        except subprocess.SubprocessError as e:
            log(f'screenshot {name} failed: {e}')

    def run(self):
        set_deadline(self.t0 + SCENARIO_TIMEOUT_S - SHUTDOWN_RESERVE_S)
        try:
            self.start_session()
            self.start_thunderbird()
            self.scenario()
        except Exception:
            if getattr(self, 'env', None) and 'DISPLAY' in self.env:
                self.shot('failure')
            raise
        finally:
            self.stop()

    def start_session(self):
        home = os.path.join(self.root, 'home')
        env = {k: v for k, v in os.environ.items()
               if k in ('PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR')}
        env.update({
            'HOME': home,
            'XDG_CONFIG_HOME': os.path.join(home, '.config'),
            'XDG_DATA_HOME': os.path.join(home, '.local', 'share'),
            'XDG_CACHE_HOME': os.path.join(home, '.cache'),
            'XDG_STATE_HOME': os.path.join(home, '.local', 'state'),
            'XDG_RUNTIME_DIR': os.path.join(self.root, 'run'),
            'RG_E2E_SESSION': self.root,
            'GSETTINGS_SCHEMA_DIR': self.args.schema_dir,
            # The host would also take the locks of the machine's own dconf policy, if it had
            # one for Recipient Guard (tests/thunderbird/host tests that with a dconf database
            # of its own); the scenarios' settings are the add-on's alone.
            'GSETTINGS_BACKEND': 'memory',
            'GNOME_ACCESSIBILITY': '1',
            'MOZ_CRASHREPORTER_DISABLE': '1',
            'MOZ_DISABLE_AUTO_SAFE_MODE': '1',
            'LANG': 'C.UTF-8',
        })
        env.pop('LC_ALL', None)
        for key in ('XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'):
            os.makedirs(env[key], exist_ok=True)
        os.makedirs(env['XDG_RUNTIME_DIR'], mode=0o700, exist_ok=True)
        self.env = env

        if self.s.host:
            host = self.args.host if self.s.host == 'release' else self.args.fault_host
            if self.s.host == 'fault':
                env['RCPTGUARD_FAULT'] = 'hang'
            manifest = os.path.join(home, '.mozilla', 'native-messaging-hosts',
                                    f'{HOST_NAME}.json')
            os.makedirs(os.path.dirname(manifest))
            with open(manifest, 'w', encoding='utf-8') as f:
                json.dump({'name': HOST_NAME, 'description': 'Recipient Guard (test)',
                           'path': host, 'type': 'stdio',
                           'allowed_extensions': [ADDON_ID]}, f)

        self.sink = SmtpSink()
        self.marionette_port = free_port()
        self.profile = os.path.join(self.root, 'profile')
        os.makedirs(os.path.join(self.profile, 'extensions'))
        if not self.s.admin:  # the administrator's policy installs it
            shutil.copy(self.args.xpi,
                        os.path.join(self.profile, 'extensions', f'{ADDON_ID}.xpi'))
        with open(os.path.join(self.profile, 'user.js'), 'w', encoding='utf-8') as f:
            f.write(user_js(self.sink.port, self.marionette_port))

        session_log = os.path.join(self.artefacts, 'session.log')
        xvfb, display = start_with_fd(
            ['Xvfb', '-displayfd', '{fd}', '-screen', '0', XVFB_SCREEN, '-nolisten', 'tcp'],
            env, session_log, 'Xvfb')
        self.procs.append(xvfb)
        env['DISPLAY'] = ':' + display
        self.procs.append(start_window_manager(env, session_log))
        bus, address = start_with_fd(
            ['dbus-daemon', '--session', '--nofork', '--nopidfile', '--print-address={fd}'],
            env, session_log, 'the D-Bus session bus')
        self.procs.append(bus)
        env['DBUS_SESSION_BUS_ADDRESS'] = address
        self.mark(f'Xvfb on {env["DISPLAY"]} with matchbox, session bus up, SMTP sink on '
                  f'port {self.sink.port}')

    def policy_namespace(self):
        """The command that runs Thunderbird in a mount namespace of its own where
        POLICIES_DIR is a copy of the machine's with policies/policies.json added."""
        with open(self.args.admin, encoding='utf-8') as f:
            policies = json.load(f)
        install = policies['policies']['ExtensionSettings'][ADDON_ID]
        install['install_url'] = 'file://' + self.args.xpi
        etc = os.path.join(self.root, 'etc-thunderbird')
        shutil.copytree(POLICIES_DIR, etc, symlinks=True)
        os.makedirs(os.path.join(etc, 'policies'), exist_ok=True)
        with open(os.path.join(etc, 'policies', 'policies.json'), 'w', encoding='utf-8') as f:
            json.dump(policies, f)
        return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c',
                'mount --bind "$0" "$1" && shift && exec "$@"', etc, POLICIES_DIR]

    def start_thunderbird(self):
        self.tb_log = os.path.join(self.artefacts, 'thunderbird.log')
        argv = ['thunderbird', '--marionette', '--remote-allow-system-access', '--no-remote',
                '-profile', self.profile]
        if self.s.admin:
            argv = self.policy_namespace() + argv
        with open(self.tb_log, 'wb') as logf:
            self.thunderbird = subprocess.Popen(
                argv, env=self.env, stdin=subprocess.DEVNULL, stdout=logf,
                stderr=subprocess.STDOUT)
        self.marionette = Marionette(self.marionette_port, 60,
                                     alive=lambda: self.thunderbird.poll() is None)
        self.mark('Thunderbird started, Marionette connected')
        def active():
            addon = self.marionette.chrome(ADDON_ACTIVE_JS, ADDON_ID)
            return addon if addon and addon[0] else None

        version = wait_for('the add-on to be active', active, 30)[1]
        self.mark(f'add-on {ADDON_ID} {version} active')

    def output(self):
        with open(self.tb_log, encoding='utf-8', errors='replace') as f:
            return f.read()

    def ready_lines(self):
        return [line for line in self.output().splitlines() if READY_LINE in line]

    def check_alive(self):
        if self.thunderbird.poll() is not None:
            raise Failure(f'Thunderbird exited with {self.thunderbird.returncode} '
                          f'(see {self.tb_log})')

    def scenario(self):
        s = self.s
        m = self.marionette
        # The add-on reads the address books at start and again when they change: a contact
        # added now must reach the host before Send, or the check would know no army.mil.
        contacts = [CONTACT] + (list(TEAM[1]) if s.team else [])
        domains = {address.split('@')[1] for _, address in contacts}
        expected = f'{READY_LINE}, {len(domains)} known domains'
        if s.host == 'release':
            wait_for('the add-on to configure the host', self.ready_lines, 30)
        m.chrome(ADD_CONTACT_JS, *CONTACT)
        for colleague in ARMY_COLLEAGUES if s.again_collected else ():
            m.chrome(ADD_CONTACT_JS, *colleague)
        if s.team:
            m.chrome(ADD_LIST_JS, TEAM[0], [list(member) for member in TEAM[1]])
        if s.host == 'release':
            wait_for(f'the add-on to configure the host with {", ".join(sorted(domains))}',
                     lambda: expected in (self.ready_lines() or [''])[-1], 30)
            self.mark(f'address book filled; {self.ready_lines()[-1].strip()}')

        subject = f'rcptguard {s.name}'
        m.chrome(COMPOSE_JS, s.to, subject, s.cc)
        send = wait_for('the compose window', lambda: m.chrome(SEND_BUTTON_JS), 30)
        self.mark(f'compose window to {s.to} ready')
        self.shot('compose')

        os.environ.clear()
        os.environ.update(self.env)
        self.desktop = Desktop(self.app_name(), skip=('menu bar', 'menu'))
        click(self.env, *send)
        self.mark('Send clicked')

        if s.answer is None:
            self.expect_sent(no_window=True)
        else:
            self.answer_window()
            if s.sends_to:
                self.expect_sent()
            else:
                self.expect_nothing_sent()
        if s.again_collected:
            self.send_again_when_collected()
        self.expect_records()

    def app_name(self):
        import gi
        gi.require_version('Atspi', '2.0')
        from gi.repository import Atspi
        Atspi.init()

        def find():
            desktop = Atspi.get_desktop(0)
            for i in range(desktop.get_child_count()):
                app = desktop.get_child_at_index(i)
                name = app.get_name() if app is not None else ''
                if 'thunderbird' in name.lower():
                    return name
            return None

        return wait_for('Thunderbird on the accessibility bus', find, 20)

    def dialog(self):
        d = self.desktop
        for w in d.windows():
            try:
                if w.get_name().startswith(DIALOG_TITLE):
                    return w
            except Exception:  # a window that went away while we looked
                continue
        return None

    def send_again_when_collected(self):
        """After a Send Anyway: Thunderbird has put the recipient into Collected Addresses,
        the add-on has told the host, and a new message to it must still open the window;
        "Edit Message" sends nothing more."""
        s, m = self.s, self.marionette
        wait_for(f'{s.to} in Collected Addresses', lambda: s.to in m.chrome(COLLECTED_JS), 15)
        # army.mil, and now army.ml.
        expected = f'{READY_LINE}, 2 known domains'
        wait_for('the add-on to configure the host with the collected army.ml',
                 lambda: expected in (self.ready_lines() or [''])[-1], 30)
        self.mark(f'{s.to} collected; {self.ready_lines()[-1].strip()}')

        m.chrome(COMPOSE_JS, s.to, f'rcptguard {s.name} again', None)
        send = wait_for('the new compose window', lambda: m.chrome(SEND_BUTTON_JS), 30)
        self.shot('compose-again')
        click(self.env, *send)
        self.mark('Send clicked again')
        self.answer_window(EDIT)
        # Sending happens within a second of the answer here; three seconds of silence, with
        # the compose window still there, is "nothing sent".
        time.sleep(3)
        self.check_alive()
        self.write_received()
        if len(self.sink.received()) != 1:
            raise Failure(f'the SMTP server got {len(self.sink.received())} messages, '
                          'expected only the first')
        windows = m.chrome(COMPOSE_WINDOWS_JS)
        if windows != [[s.to]]:
            raise Failure(f'compose windows with To {windows}, expected one with [{s.to!r}]')
        self.mark('the collected slip still asked; nothing more sent')

    def answer_window(self, answer=None):
        s = self.s
        d = self.desktop
        answer = answer or s.answer
        window = wait_for(f'the "{DIALOG_TITLE}" window', self.dialog, 20, pump=d.pump)
        self.mark(f'window "{window.get_name()}" shown')

        def buttons_ready():
            # The page's accessible tree fills in after the window maps; wait for the buttons
            # and for their positions.
            found = {b.get_name(): b for b in d.find_all(window, 'push button')}
            wanted = found.get(answer)
            if wanted is None:
                return None
            e = wanted.get_extents(d.Atspi.CoordType.SCREEN)
            return found if e.width > 1 and e.height > 1 and e.x >= 0 else None

        buttons = wait_for(f'the "{answer}" button', buttons_ready, 15, pump=d.pump)
        self.shot('window')
        names = set(buttons) & {EDIT, CORRECTED, ANYWAY}
        if names != s.buttons:
            raise Failure(f'the window offers {sorted(names)}, expected {sorted(s.buttons)}')
        if not s.heading:
            # One row, two choices each: only the slip is asked about.
            radios = [r.get_name() for r in d.find_all(window, 'radio button')]
            if len(radios) != 2:
                raise Failure(f'the window has the choices {radios}, expected one row\'s two')
        if s.heading:
            texts = self.texts(window)
            if not any(s.heading in t for t in texts):
                raise Failure(f'the window does not say "{s.heading}": {texts}')
        else:
            texts = self.texts(window)
            if not any('army.mil' in t for t in texts):
                raise Failure(f'the window does not name army.mil: {texts}')
        click(self.env, *d.centre(buttons[answer]))
        self.mark(f'"{answer}" clicked')
        wait_for('the window to close', lambda: self.dialog() is None, 10, pump=d.pump)

    def texts(self, window):
        """Every name and text the window's accessible tree shows."""
        d = self.desktop
        out = []

        def walk(acc, depth):
            if depth > 40:
                return
            for i in range(acc.get_child_count()):
                child = acc.get_child_at_index(i)
                if child is None:
                    continue
                if child.get_name():
                    out.append(child.get_name())
                try:
                    text = d.text(child)
                    if text and text.strip():
                        out.append(text)
                except Exception:
                    pass
                walk(child, depth + 1)

        walk(window, 0)
        return out

    def expect_sent(self, no_window=False):
        s = self.s
        d = self.desktop

        def sent():
            self.check_alive()
            if no_window and self.dialog() is not None:
                raise Failure(f'the "{DIALOG_TITLE}" window appeared for {s.to}')
            return self.sink.received()

        messages = wait_for('the SMTP server to receive the message', sent, 30, pump=d.pump)
        self.write_received()
        rcpt = sorted(line for message in messages for line in message['rcpt'])
        wanted = sorted(f'RCPT TO:<{address}>' for address in s.sends_to)
        if rcpt != wanted:
            raise Failure(f'the SMTP server got {rcpt}, expected {wanted} only')
        self.mark(f'the SMTP server received {", ".join(rcpt)}')
        if s.cc_header:
            message = email.message_from_bytes(messages[-1]['data'])
            if message['Cc'] != s.cc_header:
                raise Failure(f'the message has Cc: {message["Cc"]!r}, expected {s.cc_header!r}')
            self.mark(f'Cc: {message["Cc"]}')
        wait_for('the compose window to close', lambda: not self.marionette.chrome(
            COMPOSE_WINDOWS_JS), 15)

    def expect_nothing_sent(self):
        s = self.s
        # Sending happens within a second of the answer here; three seconds of silence, with
        # the compose window still there, is "nothing sent".
        time.sleep(3)
        self.check_alive()
        self.write_received()
        if self.sink.received() or any(c.startswith(('MAIL', 'RCPT'))
                                       for c in self.sink.commands()):
            raise Failure(f'the SMTP server was given a message: {self.sink.commands()}')
        windows = self.marionette.chrome(COMPOSE_WINDOWS_JS)
        if windows != [[s.to]]:
            raise Failure(f'compose windows with To {windows}, expected one with [{s.to!r}]')
        self.shot('still-composing')
        self.mark(f'nothing sent; the compose window is open, To {windows[0]}')

    def write_received(self):
        with open(os.path.join(self.artefacts, 'smtp.txt'), 'w', encoding='utf-8') as f:
            f.write('\n'.join(self.sink.commands()) + '\n')
            for message in self.sink.received():
                f.write('\n' + message['data'].decode('utf-8', 'replace'))

    def expect_records(self):
        path = os.path.join(self.env['XDG_STATE_HOME'], DECISION_LOG)

        def records():
            if not os.path.exists(path):
                return []
            with open(path, encoding='utf-8') as f:
                return [json.loads(line) for line in f if line.strip()]

        expected = self.s.records
        if expected:
            # "corrected" and "sent-anyway" are written once Thunderbird reports the send.
            wait_for(f'the decision log to hold {expected}',
                     lambda: len(records()) >= len(expected), 10)
        else:
            time.sleep(1)
        got = records()
        if [r.get('decision') for r in got] != expected:
            raise Failure(f'the decision log holds {[r.get("decision") for r in got]}, '
                          f'expected {expected}')
        text = json.dumps(got)
        for r in got:
            if r.get('client') != 'thunderbird' or r.get('sender_domain') != 'corp.example':
                raise Failure(f'record of client {r.get("client")!r}, sender domain '
                              f'{r.get("sender_domain")!r}: {r}')
            if r.get('policy_locked') != self.s.locked:
                raise Failure(f'record with policy_locked {r.get("policy_locked")!r}, '
                              f'expected {self.s.locked}: {r}')
        if 'ops@' in text:
            raise Failure('the decision log holds the local part "ops" in plain')
        if self.s.again_collected:
            reasons = [rc.get('reasons') for rc in got[-1].get('recipients', [])
                       if rc.get('domain') == 'army.ml']
            if reasons != [['rare-twin']]:
                raise Failure(f'the last record gives army.ml the reasons {reasons}, expected '
                              "[['rare-twin']]")
        if got:
            self.mark(f'decision log: {[r["decision"] for r in got]}, client thunderbird, '
                      'no plain local part')

    def stop(self):
        if self.marionette is not None:
            try:
                self.marionette.call('Marionette:Quit', {'flags': ['eForceQuit']})
            except (MarionetteError, OSError):
                pass
            self.marionette.close()
        if self.thunderbird is not None:
            try:
                self.thunderbird.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.thunderbird.terminate()
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
        if getattr(self, 'sink', None):
            self.sink.close()


def skip_reason(scenario):
    """Why @scenario cannot run on this machine, or None."""
    if not scenario.admin:
        return None
    if os.geteuid() != 0 or shutil.which('unshare') is None:
        return 'placing policies.json in a private mount namespace needs root and unshare'
    if not os.path.isdir(POLICIES_DIR):
        return f'{POLICIES_DIR} does not exist (Thunderbird is not Debian\'s)'
    return None


def run_scenario(number, name, args):
    artefacts = os.path.join(args.artefacts, name)
    shutil.rmtree(artefacts, ignore_errors=True)
    os.makedirs(artefacts)
    root = tempfile.mkdtemp(prefix=f'rg-tb-{name}-')
    cmd = [sys.executable, os.path.abspath(__file__), '--child', name, '--root', root,
           '--artefacts', artefacts, '--xpi', args.xpi, '--host', args.host,
           '--fault-host', args.fault_host, '--schema-dir', args.schema_dir,
           '--admin', args.admin]
    return run_child(number, name, cmd, root, SCENARIO_TIMEOUT_S, args.keep)


def child_main(args):
    child = Child(SCENARIOS[args.child], args.root, args.artefacts, args)
    return run_in_child(child.run, args.artefacts,
                        (Failure, MarionetteError, subprocess.SubprocessError))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--xpi', required=True, help='the add-on, rcptguard@rcptguard.org.xpi')
    parser.add_argument('--host', required=True, help='rcptguard-native-host')
    parser.add_argument('--fault-host', required=True,
                        help='rcptguard-native-host-fault, for "host-hang"')
    parser.add_argument('--schema-dir', required=True,
                        help='the compiled schema (GSETTINGS_SCHEMA_DIR) the host reads')
    parser.add_argument('--admin', required=True,
                        help='data/admin/thunderbird/policies.json, for "admin-block"')
    parser.add_argument('--artefacts', required=True, help='folder for logs and screenshots')
    parser.add_argument('--keep', action='store_true', help='keep the throwaway folders')
    parser.add_argument('--child', choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument('--root', help=argparse.SUPPRESS)
    parser.add_argument('scenarios', nargs='*', metavar='SCENARIO',
                        help=f'scenarios to run (default: all): {", ".join(SCENARIOS)}')
    args = parser.parse_args()
    for option in ('xpi', 'host', 'fault_host', 'schema_dir', 'admin', 'artefacts'):
        setattr(args, option, os.path.abspath(getattr(args, option)))
    if args.child:
        return child_main(args)

    names = args.scenarios or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f'unknown scenarios: {unknown}')
    tools = ['thunderbird', 'Xvfb', 'dbus-daemon', 'matchbox-window-manager', 'xprop',
             'xdpyinfo', 'xdotool', 'import']
    missing = missing_tools(tools)
    if missing:
        print(f'Bail out! missing: {", ".join(missing)} (scripts/install-deps installs them)')
        return 1

    print(f'1..{len(names)}', flush=True)
    os.makedirs(args.artefacts, exist_ok=True)
    failed = 0
    for number, name in enumerate(names, 1):
        why = skip_reason(SCENARIOS[name])
        if why:
            print(f'ok {number} - {name} # SKIP {why}', flush=True)
        elif not run_scenario(number, name, args):
            failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
