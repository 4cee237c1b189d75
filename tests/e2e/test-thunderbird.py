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
  edit       forty slips (user1@army.ml ...) on a 1280x800 screen: the window fits it (its
             buttons on screen, the rows scroll) with forty rows of three choices and the line
             "40 of 40 recipients may be wrong"; "Edit Message": nothing reaches the SMTP
             server, the compose window stays open with its forty To; the log records
             "edited";
  corrected  in French (Thunderbird's language pack, intl.locale.requested): To "Army Ops
             <ops@army.ml>", Cc "Jo Field <jo@army.mill>"; the window speaks French and shows
             the name; "Use ops@army.mil" on the first row, "Keep this address" on the second,
             "Send Corrected": RCPT TO:<ops@army.mil> and <jo@army.mill> only; "corrected"
             with the outcomes "used-suggestion", "kept";
  anyway     in German, the same message, "Send Anyway": both as typed; "sent-anyway" with
             both rows "kept";
  anyway-server-guard
             the same message in English, with server-guard true in the add-on's stored
             settings (the organisation's mail server runs rcptguard-milter), "Send Anyway":
             the message the server receives has "X-Recipient-Guard-Confirmed: ops@army.ml,
             jo@army.mill" (issue 16); every other scenario's message has no such header;
  corrected-server-guard
             the same with "Use ops@army.mil" and "Keep this address", "Send Corrected": the
             header names jo@army.mill alone (the corrected recipient is not confirmed);
  trust      the same message in English, "Always allow army.ml" on the first row, "Keep this
             address" on the second, "Send Corrected": both as typed; "corrected" with the
             outcomes "trusted", "kept".  The add-on adds army.ml to the user's trusted domains
             and configures the host again: a new message to ops@army.ml goes out without the
             window (nothing more is recorded);
  blocked-only
             the user's own never-send list holds "ml" (the add-on's storage.local, as the
             settings page writes it), To friend@bamako.ml only: the window says "You asked
             never to send to some of these recipients", its one choice is "Remove", and "Send
             Corrected" cannot be pressed, with the line "Every recipient would be removed";
             "Edit Message": nothing sent, "blocked";
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
  no-host    no native host registered: the window says "Recipients could not be checked",
             that Recipient Guard is not installed completely, with the technical reason under
             "Details", and offers "Edit Message" and "Send Anyway" only (on-error's default,
             warn); "Send Anyway" sends to ops@army.ml; nothing is recorded (the log is the
             host's);
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
  blocks-when-off
             the administrator's policy as in "admin-block", without its "enabled" and
             "enabled:locked", and the user's stored settings turn checking off; To:
             ops@army.ml, Cc: someone@gmial.com.  The locked block still applies, and only it:
             "1 of 2 recipients may be wrong", the army.ml row alone (two choices), no "Send
             Anyway"; "Edit Message": nothing sent, "blocked" recorded (issue 14);
  host-hang  the host built with fault injection (--fault-host, RCPTGUARD_FAULT=hang) never
             finishes the check: after the guard's 2 s budget the same window appears;
             "Edit Message": nothing sent; "check-failed" is recorded.

Every record of the decision log ($XDG_STATE_HOME/rcptguard/decisions.jsonl, written by the
host) names the client "thunderbird" and the sender's domain, and never the local part "ops"
in plain; where a scenario says so, the outcome of each flagged recipient.

The words the test looks for are the add-on's own, read from the --xpi's _locales in the
scenario's language.  With RG_E2E_DOCS naming a folder (the project's docs/), the windows of
"trust", "anyway", "corrected" and "no-host" are saved there as dialog-thunderbird.png,
dialog-thunderbird-de.png, dialog-thunderbird-fr.png and dialog-thunderbird-failed.png; the
language scenarios are skipped where Thunderbird has no language pack for them (Debian's
thunderbird-l10n-de and -fr).  They run the host built for fault injection, without a fault:
it reads its translations from the build tree, and its rows must not be in English.

With RG_E2E_INSTALLED=1 (tests/e2e/run-installed) the scenarios test the installed files: the
host that the system's manifest names, the installed .xpi installed by policies.json, the
installed translations and example ("Installed mode", below).

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
import re
import tempfile
import time
import zipfile

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
# The buttons by their action; their words are the add-on's, in the scenario's language.
EDIT, CORRECTED, ANYWAY = 'edit', 'corrected', 'anyway'
BUTTON_MESSAGES = {EDIT: 'buttonEdit', CORRECTED: 'buttonCorrected', ANYWAY: 'buttonAnyway'}
# The message of "trust", "anyway" and "corrected": a slip with a name, and one without.
PAIR_TO, PAIR_CC = 'Army Ops <ops@army.ml>', 'Jo Field <jo@army.mill>'
PAIR_SENT = ('ops@army.ml', 'jo@army.mill')
# What the add-on adds for the organisation's rcptguard-milter when server-guard is on
# (extension/lib/confirmed-header.js).
CONFIRMED_HEADER = 'X-Recipient-Guard-Confirmed'
# For "edit": more rows than a 1280x800 screen holds.
MANY = tuple(f'user{i}@army.ml' for i in range(1, 41))
# Where Debian's thunderbird-l10n-* put their language packs.
LANGPACKS = '/usr/lib/thunderbird/extensions'
# Where Thunderbird keeps an add-on's storage.local before it moves it into its database; it
# moves it at the first use when extensions.webextensions.keepStorageOnUninstall says that
# an add-on installed anew may find data of an earlier install.
STORAGE_FILE = os.path.join('browser-extension-data', 'rcptguard@rcptguard.org', 'storage.js')
# Where Debian's Thunderbird reads policies/policies.json.
POLICIES_DIR = '/etc/thunderbird'
# What the add-on's background page writes to the console (Thunderbird's standard output, with
# devtools.console.stdout.content) each time the host has taken a new configuration.
READY_LINE = 'rcptguard: ready'
# What it writes when "Always allow" added a domain to the user's trusted domains.
TRUSTED_LINE = 'rcptguard: always allowing '
DECISION_LOG = os.path.join('rcptguard', 'decisions.jsonl')
XVFB_SCREEN = '1280x1024x24'
SMALL_SCREEN = '1280x800x24'
# matchbox gives every window the whole screen: for the pictures in docs/, a screen about the
# size the add-on asks for its window (dialog-model.js, dialogSize) shows it as a desktop would.
DOCS_SCREEN = '720x560x24'


class Scenario:
    def __init__(self, name, to, answer, sends_to, host='release', buttons=None,
                 heading=None, body=None, records=(), outcomes=None, admin=False, locked=False,
                 cc=None, team=False, cc_header=None, again_collected=False, radios=None,
                 choices=None, locale=None, screen=XVFB_SCREEN, docs=None, stored=None,
                 corrected_blocked=False, trust_again=False, unlock=(), confirmed=None):
        self.name = name
        self.to = to
        self.answer = answer          # the button pressed, or None: no window may appear
        self.cc = cc                  # the Cc field, or None
        # The addresses the server must get (RCPT TO), exactly; None: nothing may be sent.
        self.sends_to = (sends_to,) if isinstance(sends_to, str) else sends_to
        self.team = team              # add TEAM to the address book
        self.cc_header = cc_header    # what the sent message's Cc header must read
        # 'release', 'fault' (RCPTGUARD_FAULT=hang) or None; in another language than English,
        # the fault-injection build without a fault, which reads its translations from the
        # build tree (the release build reads the installed ones, and nothing is installed).
        self.host = 'translated' if locale and host == 'release' else host
        self.buttons = buttons        # the window's buttons (EDIT, ...), exactly
        self.heading = heading        # the message (_locales) the window must show, or None
        self.body = body              # another one it must show
        self.records = list(records)  # the decisions the log must hold afterwards
        # Per record, the outcome of each flagged recipient, or None: not looked at.
        self.outcomes = outcomes or [None] * len(self.records)
        self.admin = admin            # deploy --admin's policies.json
        self.locked = locked          # the records' policy_locked
        # Add ARMY_COLLEAGUES; after the answer, once Thunderbird collected the recipient, a
        # new message to it must open the window again ("Edit Message").
        self.again_collected = again_collected
        self.radios = radios          # how many choices the rows offer in all, or None
        self.choices = choices        # per row, the choice to select before the answer
        self.locale = locale          # Thunderbird's language (a language pack), or None
        self.screen = screen          # Xvfb's screen
        self.docs = docs              # the window's screenshot under RG_E2E_DOCS
        self.stored = stored          # the add-on's storage.local at start
        # "Send Corrected" is there but cannot be pressed, and says why.
        self.corrected_blocked = corrected_blocked
        # After the send, a new message to self.to goes out without the window.
        self.trust_again = trust_again
        # With admin: the keys whose locks (and values) are left out of --admin's policy.
        self.unlock = tuple(unlock)
        # The value the sent message's X-Recipient-Guard-Confirmed must have (server-guard on,
        # in stored); None: the message must have no such header.
        self.confirmed = confirmed


SCENARIOS = {s.name: s for s in (
    Scenario('edit', ', '.join(MANY), EDIT, None, buttons={EDIT, CORRECTED, ANYWAY},
             records=['edited'], radios=3 * len(MANY), screen=SMALL_SCREEN,
             body=('countOther', str(len(MANY)), str(len(MANY)))),
    Scenario('corrected', PAIR_TO, CORRECTED, ('ops@army.mil', 'jo@army.mill'), cc=PAIR_CC,
             buttons={EDIT, CORRECTED, ANYWAY}, records=['corrected'],
             outcomes=[['used-suggestion', 'kept']], radios=6, choices=['fix', 'keep'],
             locale='fr', docs='dialog-thunderbird-fr.png', screen=DOCS_SCREEN,
             heading='headingWarn'),
    Scenario('anyway', PAIR_TO, ANYWAY, PAIR_SENT, cc=PAIR_CC,
             buttons={EDIT, CORRECTED, ANYWAY}, records=['sent-anyway'],
             outcomes=[['kept', 'kept']], radios=6, locale='de',
             docs='dialog-thunderbird-de.png', screen=DOCS_SCREEN, heading='headingWarn'),
    # Issue 16: with server-guard on, the organisation's rcptguard-milter is told what the user
    # confirmed: every row after Send Anyway, the kept ones after Send Corrected.
    Scenario('anyway-server-guard', PAIR_TO, ANYWAY, PAIR_SENT, cc=PAIR_CC,
             buttons={EDIT, CORRECTED, ANYWAY}, records=['sent-anyway'],
             outcomes=[['kept', 'kept']], radios=6, heading='headingWarn',
             stored={'server-guard': True}, confirmed='ops@army.ml, jo@army.mill'),
    Scenario('corrected-server-guard', PAIR_TO, CORRECTED, ('ops@army.mil', 'jo@army.mill'),
             cc=PAIR_CC, buttons={EDIT, CORRECTED, ANYWAY}, records=['corrected'],
             outcomes=[['used-suggestion', 'kept']], radios=6, choices=['fix', 'keep'],
             heading='headingWarn', stored={'server-guard': True}, confirmed='jo@army.mill'),
    Scenario('trust', PAIR_TO, CORRECTED, PAIR_SENT, cc=PAIR_CC,
             buttons={EDIT, CORRECTED, ANYWAY}, records=['corrected'],
             outcomes=[['trusted', 'kept']], radios=6, choices=['trust', 'keep'],
             docs='dialog-thunderbird.png', screen=DOCS_SCREEN, heading='headingWarn',
             trust_again=True),
    Scenario('blocked-only', 'friend@bamako.ml', EDIT, None, buttons={EDIT, CORRECTED},
             heading='headingBlockedOwn', body='correctedEmpty', records=['blocked'],
             radios=1, stored={'block-domains': ['ml']}, corrected_blocked=True),
    Scenario('anyway-again', 'ops@army.ml', ANYWAY, 'ops@army.ml',
             buttons={EDIT, CORRECTED, ANYWAY}, records=['sent-anyway', 'edited'],
             outcomes=[['kept'], None], radios=3, again_collected=True),
    Scenario('clean', 'ops@army.mil', None, 'ops@army.mil'),
    Scenario('cc-list', f'{TEAM[0]} <{TEAM[0]}>', CORRECTED,
             ('colleague@corp.example', 'pat@army.mil', 'ops@army.mil'),
             cc='Army Ops <ops@army.ml>', team=True, buttons={EDIT, CORRECTED, ANYWAY},
             cc_header='Army Ops <ops@army.mil>', records=['corrected'], radios=3),
    Scenario('no-host', 'ops@army.ml', ANYWAY, 'ops@army.ml', host=None,
             buttons={EDIT, ANYWAY}, heading='headingFailed', body='failedNotStarted',
             docs='dialog-thunderbird-failed.png', screen=DOCS_SCREEN),
    Scenario('admin-block', 'ops@army.ml', CORRECTED, 'ops@army.mil', buttons={EDIT, CORRECTED},
             heading='headingBlocked', records=['corrected'], outcomes=[['used-suggestion']],
             admin=True, locked=True, radios=2),
    # Issue 14: the user turned checking off; the administrator's locked block still holds,
    # alone: the slip in Cc is not asked about.
    Scenario('blocks-when-off', 'ops@army.ml', EDIT, None, cc='someone@gmial.com',
             buttons={EDIT, CORRECTED}, heading='headingBlocked', body=('countOne', '1', '2'),
             records=['blocked'], admin=True, unlock=('enabled',), stored={'enabled': False},
             locked=True, radios=2),
    Scenario('host-hang', 'ops@army.ml', EDIT, None, host='fault', buttons={EDIT, ANYWAY},
             heading='headingFailed', body='failedStopped', records=['check-failed']),
)}


class Texts:
    """The add-on's messages in one language, from the .xpi that is tested."""

    def __init__(self, xpi, locale):
        with zipfile.ZipFile(xpi) as z:
            self.messages = json.loads(z.read(f'_locales/{locale or "en"}/messages.json'))

    def __call__(self, name, *substitutions):
        entry = self.messages[name]
        text = entry['message']
        for placeholder, value in entry.get('placeholders', {}).items():
            index = int(value['content'].lstrip('$')) - 1
            text = re.sub(re.escape(f'${placeholder}$'), lambda m: substitutions[index], text,
                          flags=re.IGNORECASE)
        return text


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def user_js(smtp_port, marionette_port, extra):
    """The whole profile: one account whose POP3 server is never asked, Local Folders, the
    sink as the only SMTP server, and no first-run prompts; @extra: the scenario's own
    preferences."""
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
        **extra,
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
        self.t = Texts(args.xpi, scenario.locale)
        # Read before the scenario's own environment replaces the runner's.
        self.docs = os.environ.get('RG_E2E_DOCS')

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

        if self.s.host and not uses_system_host(self.s):
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
        if not self.s.admin and not policy_installs():  # else the administrator's policy
            shutil.copy(self.args.xpi,
                        os.path.join(self.profile, 'extensions', f'{ADDON_ID}.xpi'))
        prefs = {}
        if self.s.locale:
            prefs['intl.locale.requested'] = self.s.locale
        if self.s.stored is not None:
            prefs['extensions.webextensions.keepStorageOnUninstall'] = True
            stored = os.path.join(self.profile, STORAGE_FILE)
            os.makedirs(os.path.dirname(stored))
            with open(stored, 'w', encoding='utf-8') as f:
                json.dump(self.s.stored, f)
        with open(os.path.join(self.profile, 'user.js'), 'w', encoding='utf-8') as f:
            f.write(user_js(self.sink.port, self.marionette_port, prefs))

        session_log = os.path.join(self.artefacts, 'session.log')
        xvfb, display = start_with_fd(
            ['Xvfb', '-displayfd', '{fd}', '-screen', '0', self.s.screen, '-nolisten', 'tcp'],
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
        managed = policies['policies']['3rdparty']['Extensions'][ADDON_ID]
        for key in self.s.unlock:
            managed.pop(key, None)
            managed.pop(key + ':locked', None)
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
        if policy_installs():
            argv = installed_namespace(self) + argv
        elif self.s.admin:
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
        if s.host in ('release', 'translated'):
            wait_for('the add-on to configure the host', self.ready_lines, 30)
        m.chrome(ADD_CONTACT_JS, *CONTACT)
        for colleague in ARMY_COLLEAGUES if s.again_collected else ():
            m.chrome(ADD_CONTACT_JS, *colleague)
        if s.team:
            m.chrome(ADD_LIST_JS, TEAM[0], [list(member) for member in TEAM[1]])
        if s.host in ('release', 'translated'):
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
        if s.trust_again:
            self.send_again_when_trusted()
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
                if w.get_name().startswith(self.t('dialogTitle')):
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

    def send_again_when_trusted(self):
        """After "Always allow": once the add-on added the domain to the trusted domains and
        configured the host again (a "ready" line after its "always allowing" line), a new
        message to the same recipient goes out without the window."""
        s, m = self.s, self.marionette

        def configured():
            lines = self.output().splitlines()
            trusted = [i for i, line in enumerate(lines) if TRUSTED_LINE in line]
            return trusted and any(READY_LINE in line for line in lines[trusted[-1]:])

        wait_for('the add-on to trust the domain and configure the host', configured, 30)
        self.mark(f'{[line for line in self.output().splitlines() if TRUSTED_LINE in line]}; '
                  'configured again')
        m.chrome(COMPOSE_JS, s.to, f'rcptguard {s.name} again', None)
        send = wait_for('the new compose window', lambda: m.chrome(SEND_BUTTON_JS), 30)
        click(self.env, *send)
        self.mark('Send clicked again')

        def sent():
            self.check_alive()
            if self.dialog() is not None:
                raise Failure(f'the window appeared again for {s.to}')
            return len(self.sink.received()) == 2

        wait_for('the second message to reach the SMTP server', sent, 30,
                 pump=self.desktop.pump)
        self.write_received()
        rcpt = list(self.sink.received()[-1]['rcpt'])
        if rcpt != ['RCPT TO:<ops@army.ml>']:
            raise Failure(f'the second message went to {rcpt}, expected ops@army.ml only')
        self.mark('the trusted domain was not asked about again')

    def answer_window(self, answer=None):
        s, t = self.s, self.t
        d = self.desktop
        answer = answer or s.answer
        label = t(BUTTON_MESSAGES[answer])
        window = wait_for(f'the "{t("dialogTitle")}" window', self.dialog, 20, pump=d.pump)
        self.mark(f'window "{window.get_name()}" shown')

        def buttons_ready():
            # The page's accessible tree fills in after the window maps; wait for the buttons
            # and for their positions.
            found = {b.get_name(): b for b in d.find_all(window, 'push button')}
            wanted = found.get(label)
            if wanted is None:
                return None
            e = wanted.get_extents(d.Atspi.CoordType.SCREEN)
            return found if e.width > 1 and e.height > 1 and e.x >= 0 else None

        buttons = wait_for(f'the "{label}" button', buttons_ready, 15, pump=d.pump)
        self.shot('window')
        offered = {action for action, name in BUTTON_MESSAGES.items() if t(name) in buttons}
        if offered != s.buttons:
            raise Failure(f'the window offers {sorted(offered)}, expected {sorted(s.buttons)}')
        self.expect_fits(window, buttons)
        radios = d.find_all(window, 'radio button')
        if s.radios is not None and len(radios) != s.radios:
            raise Failure(f'the window has {len(radios)} choices, expected {s.radios}: '
                          f'{[r.get_name() for r in radios[:12]]}')
        texts = self.texts(window)
        for message in (s.heading, s.body):
            wanted = t(*message) if isinstance(message, tuple) else message and t(message)
            if wanted and not any(wanted in text for text in texts):
                raise Failure(f'the window does not say "{wanted}": {texts[:20]}')
        if not s.heading and not any('army.mil' in text for text in texts):
            raise Failure(f'the window does not name army.mil: {texts[:20]}')
        # The row shows "Name <address>".
        if s.cc == PAIR_CC and not any(PAIR_TO in text for text in texts):
            raise Failure(f'the window does not show "{PAIR_TO}": {texts[:20]}')
        # The host was told Thunderbird's language (configure): its sentences follow.
        if s.locale and any('Looks like a slip' in text for text in texts):
            raise Failure(f'the rows are in English, not in {s.locale}: {texts[:20]}')
        if s.host is None and not any(t('detailsLabel') in text for text in texts):
            raise Failure(f'the window has no "{t("detailsLabel")}": {texts}')
        self.save_docs()
        if s.choices:
            self.choose(window, s.choices)
        if s.corrected_blocked:
            self.expect_insensitive(buttons[t(BUTTON_MESSAGES[CORRECTED])])
        click(self.env, *d.centre(buttons[label]))
        self.mark(f'"{label}" clicked')
        wait_for('the window to close', lambda: self.dialog() is None, 10, pump=d.pump)

    def expect_fits(self, window, buttons):
        """The window and its buttons are within the screen."""
        d = self.desktop
        width, height = (int(n) for n in self.s.screen.split('x')[:2])
        e = window.get_extents(d.Atspi.CoordType.SCREEN)
        if e.x < 0 or e.y < 0 or e.x + e.width > width or e.y + e.height > height:
            raise Failure(f'the window ({e.width}x{e.height} at {e.x},{e.y}) does not fit the '
                          f'{width}x{height} screen')
        for name, button in buttons.items():
            x, y = d.centre(button)
            if x >= width or y >= height:
                raise Failure(f'the button "{name}" is off the {width}x{height} screen: {x},{y}')
        self.mark(f'the window fits the screen: {e.width}x{e.height} at {e.x},{e.y}')

    def choose(self, window, choices):
        """Selects, row by row, the choice named by @choices (fix, keep, trust) with a click
        on its radio button, found by its accessible name."""
        d, t = self.desktop, self.t
        names = {'fix': lambda: t('choiceUseName', 'ops@army.mil', 'ops@army.ml'),
                 'keep': lambda: t('choiceKeepName', address),
                 'trust': lambda: t('choiceTrustName', address, address.split('@')[1])}
        for address, choice in zip(PAIR_SENT, choices):
            name = names[choice]()
            radio = d.find(window, 'radio button', name)
            if radio is None:
                raise Failure(f'no choice "{name}" in the window')
            click(self.env, *d.centre(radio))
            wait_for(f'"{name}" to be selected',
                     lambda: d.has_state(radio, d.Atspi.StateType.CHECKED), 5, pump=d.pump)
            self.mark(f'chose "{name}"')

    def expect_insensitive(self, button):
        """"Send Corrected" cannot be pressed: it says so, and a click does nothing."""
        d = self.desktop
        if d.has_state(button, d.Atspi.StateType.ENABLED):
            raise Failure(f'"{button.get_name()}" can be pressed')
        click(self.env, *d.centre(button))
        time.sleep(1)
        d.pump()
        if self.dialog() is None:
            raise Failure(f'a click on the insensitive "{button.get_name()}" closed the window')
        self.mark(f'"{button.get_name()}" cannot be pressed; a click changes nothing')

    def save_docs(self):
        """The window alone, under RG_E2E_DOCS (the project's docs/) when it is set, else with
        the artefacts."""
        if not self.s.docs:
            return
        title = self.t('dialogTitle')
        found = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}'],
                               env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, timeout=10).stdout.split()
        if not found:
            raise Failure(f'no X window named "{title}" for the screenshot')
        # Let it draw before the picture.
        time.sleep(0.5)
        path = os.path.join(self.docs or self.artefacts, self.s.docs)
        screenshot(self.env, path, window=found[-1])
        self.mark(f'saved {path}')

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
                raise Failure(f'the "{self.t("dialogTitle")}" window appeared for {s.to}')
            return self.sink.received()

        messages = wait_for('the SMTP server to receive the message', sent, 30, pump=d.pump)
        self.write_received()
        rcpt = sorted(line for message in messages for line in message['rcpt'])
        wanted = sorted(f'RCPT TO:<{address}>' for address in s.sends_to)
        if rcpt != wanted:
            raise Failure(f'the SMTP server got {rcpt}, expected {wanted} only')
        self.mark(f'the SMTP server received {", ".join(rcpt)}')
        confirmed = [' '.join(str(value).split()) for message in messages
                     for value in email.message_from_bytes(message['data'])
                     .get_all(CONFIRMED_HEADER, [])]
        if s.confirmed is None and confirmed:
            raise Failure(f'{CONFIRMED_HEADER} {confirmed} in a message sent with server-guard '
                          'off, or with nothing confirmed')
        if s.confirmed is not None and confirmed != [s.confirmed]:
            raise Failure(f'{CONFIRMED_HEADER} {confirmed}, expected [{s.confirmed!r}]')
        self.mark(f'{CONFIRMED_HEADER}: {confirmed}')
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
        to = [address.strip() for address in s.to.split(',')]
        if windows != [to]:
            raise Failure(f'compose windows with To {windows}, expected one with {to}')
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
        for record, outcomes in zip(got, self.s.outcomes):
            found = [rc.get('outcome') for rc in record.get('recipients', [])
                     if rc.get('outcome') is not None]
            if outcomes is not None and found != outcomes:
                raise Failure(f'the record "{record.get("decision")}" has the outcomes {found}, '
                              f'expected {outcomes}: {record}')
        if self.s.again_collected:
            reasons = [rc.get('reasons') for rc in got[-1].get('recipients', [])
                       if rc.get('domain') == 'army.ml']
            if reasons != [['rare-twin']]:
                raise Failure(f'the last record gives army.ml the reasons {reasons}, expected '
                              "[['rare-twin']]")
        if got:
            self.mark(f'decision log: {[r["decision"] for r in got]}, client thunderbird, '
                      f'no plain local part; outcomes {self.s.outcomes}')

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


# Installed mode: RG_E2E_INSTALLED=1 in the environment (tests/e2e/run-installed, once the
# Debian packages are installed): --xpi, --host and --admin are the installed files.  The
# release host is the one the system's manifest (SYSTEM_HOSTS_DIR) names, which the test
# checks first; no manifest of the user's is written for it, as it would take precedence.  It
# reads the installed translations, so the language scenarios run it too.  The add-on is
# installed as an administrator does: Thunderbird reads /etc/thunderbird/policies/policies.json
# in a private mount namespace (as "admin-block" does), made of the installed example's
# ExtensionSettings (force_installed, install_url the installed .xpi), its 3rdparty policy too
# for "admin-block"; for "no-host", the system's manifest folder is empty there.  That needs
# root and unshare: without them the installed .xpi is copied into the profile, and "no-host"
# and "admin-block" are skipped.  "host-hang" still registers the build tree's --fault-host for
# the user.

INSTALLED = os.environ.get('RG_E2E_INSTALLED') == '1'
SYSTEM_HOSTS_DIR = '/usr/lib/mozilla/native-messaging-hosts'


def policy_installs():
    """In installed mode, whether the add-on is installed from policies.json."""
    return (INSTALLED and os.geteuid() == 0 and shutil.which('unshare') is not None
            and os.path.isdir(POLICIES_DIR))


def uses_system_host(scenario):
    return INSTALLED and scenario.host in ('release', 'translated')


def installed_skip_reason(scenario):
    if INSTALLED and not scenario.host and not policy_installs():
        return ('installed mode: hiding the system\'s host manifest in a private mount '
                'namespace needs root and unshare')
    return None


def installed_problem(args):
    """In installed mode, what is wrong with the installed manifest or example, or None."""
    if not INSTALLED:
        return None
    manifest = os.path.join(SYSTEM_HOSTS_DIR, f'{HOST_NAME}.json')
    try:
        with open(manifest, encoding='utf-8') as f:
            host = json.load(f)
        with open(args.admin, encoding='utf-8') as f:
            url = json.load(f)['policies']['ExtensionSettings'][ADDON_ID]['install_url']
    except (OSError, ValueError, KeyError) as e:
        return f'cannot read the manifest or the example: {e}'
    if (host.get('name'), host.get('path'), host.get('allowed_extensions')) != (
            HOST_NAME, args.host, [ADDON_ID]):
        return f'{manifest} does not name {args.host} for {ADDON_ID} alone: {host}'
    if not os.access(args.host, os.X_OK):
        return f'{args.host}, which {manifest} names, is not an executable'
    if url != 'file://' + args.xpi or not os.path.isfile(args.xpi):
        return f'{args.admin} installs the add-on from {url}, not from {args.xpi}'
    return None


def installed_namespace(child):
    """The command that runs Thunderbird in installed mode (policy_installs()): in a mount
    namespace of its own where policies.json installs the add-on, and for "no-host" no system
    manifest is found."""
    s, args = child.s, child.args
    if s.admin:
        return child.policy_namespace()  # the installed example, whose install_url is checked
    with open(args.admin, encoding='utf-8') as f:
        example = json.load(f)
    policies = {'policies': {'ExtensionSettings': example['policies']['ExtensionSettings']}}
    etc = os.path.join(child.root, 'etc-thunderbird')
    shutil.copytree(POLICIES_DIR, etc, symlinks=True)
    os.makedirs(os.path.join(etc, 'policies'), exist_ok=True)
    with open(os.path.join(etc, 'policies', 'policies.json'), 'w', encoding='utf-8') as f:
        json.dump(policies, f)
    mounts = [etc, POLICIES_DIR]
    if not s.host:
        empty = os.path.join(child.root, 'no-native-hosts')
        os.makedirs(empty)
        mounts += [empty, SYSTEM_HOSTS_DIR]
    child.mark(f'installed mode: policies.json installs {args.xpi}'
               + ('; no system host manifest' if not s.host else ''))
    return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c',
            'while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 1; shift 2; done; '
            'shift; exec "$@"', 'rg-e2e-mounts', *mounts, '--']


def skip_reason(scenario):
    """Why @scenario cannot run on this machine, or None."""
    if why := installed_skip_reason(scenario):
        return why
    if scenario.locale:
        langpack = os.path.join(LANGPACKS,
                                f'langpack-{scenario.locale}@thunderbird.mozilla.org.xpi')
        if not os.path.exists(langpack):
            return (f'Thunderbird has no {scenario.locale} language pack '
                    f'(thunderbird-l10n-{scenario.locale})')
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
    if problem := installed_problem(args):
        print(f'Bail out! installed mode: {problem}')
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
