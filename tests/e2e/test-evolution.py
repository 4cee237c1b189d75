#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""End-to-end test: a real Evolution under Xvfb, with the rcptguard module loaded.

    test-evolution.py --add-contact PATH --artefacts DIR [--module PATH] [--schema-dir DIR]
                      [--admin DIR] [--fault-module PATH] [--localedir DIR] [SCENARIO...]

Each scenario runs in a throwaway desktop session of its own: a fresh HOME and XDG folders,
Xvfb on a free display, a private D-Bus session bus (evolution-data-server's services and the
accessibility bus start there by D-Bus activation), a real system address book holding a
contact at army.mil, and a mail account whose transport is a "sendmail" that records what it
is given.  GSETTINGS_SCHEMA_DIR is --schema-dir, the build tree's compiled schema of the module
(it adds to the system's schemas, so Evolution's own still load).  Evolution's prompts that would
stop an unattended run are switched off in GSettings: by a keyfile in the throwaway home
(GSETTINGS_BACKEND=keyfile), except in "locked-block", which runs on dconf.

Evolution opens a composer from a mailto: URL; the test sends it the way a user does (a pointer
click on the Send button, File > Send in the menu bar, or Ctrl+Enter) and answers the "Check
recipients" dialog with a click (or a key), then asserts what the recording sendmail, the
composer and the local Sent folder show.

Scenarios (all by default; name some to run only those):
  edit       ops@army.ml, "Edit Message": nothing sent, the composer stays open, To unchanged;
  corrected  ops@army.ml, "Send Corrected": sendmail and the Sent copy get ops@army.mil only;
  anyway     ops@army.ml, "Send Anyway": sendmail and the Sent copy get ops@army.ml; the
             message has no X-Recipient-Guard-Confirmed (server-guard off, the default; no
             scenario without server-guard may send one);
  anyway-server-guard
             as "anyway" with server-guard true in the keyfile (the organisation's mail server
             runs rcptguard-milter): the message sendmail gets has
             "X-Recipient-Guard-Confirmed: ops@army.ml" (issue 16);
  corrected-server-guard
             server-guard true; To: ops@army.ml and someone@gmial.com; "Use ops@army.mil" (as
             the dialog opens) and "Keep someone@gmial.com", "Send Corrected": sendmail gets
             ops@army.mil and someone@gmial.com, and the header names someone@gmial.com alone:
             the corrected recipient, and the slip it replaced, are not named;
  clean      ops@army.mil: sent with no dialog, and the module's log shows it checked;
  escape     ops@army.ml, Escape: as "Edit Message";
  menu       ops@army.ml, sent with File > Send (two clicks in the composer's menu bar and
             menu), "Send Corrected": as "corrected";
  ctrl-enter ops@army.ml, sent with Ctrl+Enter in the composer, "Edit Message": as "edit".
             Keys go to the window with the keyboard focus: this one runs under a window manager
             (matchbox-window-manager) as a desktop does, and the test still focuses the composer
             itself (xdotool windowfocus) and waits until GTK reports it active before pressing
             the keys.  The others run with no window manager (matchbox maximises the composer
             and frames the dialog; nothing there needs it).
  locked-block
             the administrator's example policy (--admin, data/admin: .ml blocked, the block and
             allow-block-override locked) under real dconf locks: GSettings on the dconf backend,
             DCONF_PROFILE a profile "user-db:user" + "file-db:" a database compiled with
             "dconf compile" from the shipped keyfile and locks, copied as they are, plus
             Evolution's prompt settings as system defaults; dconf-service is activated on the
             session bus for writes.  Before Evolution starts, gsettings in the same environment
             must report the two keys locked and the administrator's values.  ops@army.ml, Send:
             the dialog says the administrator does not allow it and has no "Send Anyway";
             "Edit Message": as "edit".  Then Send again, "Send Corrected": as "corrected".
  anyway-again
             ops@army.ml, "Send Anyway": as "anyway"; then army.ml lands in the automatic
             contacts' book, as Evolution's "Automatic Contacts" plugin puts a recipient it
             has not seen there after a send: the session has an address book of its own for
             them, named by org.gnome.evolution.plugin.autocontacts addressbook-source.  A new
             message to ops@army.ml, in Evolution started again, must still open the dialog
             (the collected army.ml, one use, is weak beside the twelve contacts at army.mil:
             "rare-twin"); "Edit Message": nothing more sent.  The records: "sent-anyway", then
             "edited" with reason "rare-twin";
  blocked-only
             the administrator's policy as in "locked-block"; To: only friend@bamako.ml, .ml
             blocked, no suggestion (issue 13: Send Corrected used to send a message to
             nobody).  The dialog's one choice is "Remove", which would leave no recipient:
             "Send Corrected" is there but not usable, a line says why, there is no "Send
             Anyway"; a click on "Send Corrected" does nothing; "Edit Message": as "edit".
  blocks-when-off
             the administrator's policy as in "locked-block" but without the lock of
             "enabled", and the user turns checking off (gsettings set, through
             dconf-service); To: ops@army.ml and someone@gmial.com.  The locked block still
             applies, and only it: the dialog has the army.ml row alone (Use ops@army.mil,
             Remove), no "Send Anyway"; "Edit Message", "blocked" recorded; then "Send
             Corrected": sendmail gets ops@army.mil and someone@gmial.com (issue 14);
  trust      To: Ops Center <ops@army.ml> and someone@gmial.com; the first row shows the name
             (as "Ops Center <ops@army.ml>"); the rows offer "Always allow army.ml"; the
             test picks it for the first and "Keep this address" for the second, then "Send
             Corrected": sendmail gets both as they are, trusted-domains gains army.ml, and the
             record "corrected" says "trusted" and "kept".  Evolution started again on a new
             message to ops@army.ml sends it with no dialog.  The dialog's screenshot is the
             README's (docs/dialog-evolution.png, see RG_E2E_DOCS below);
  german, french
             ops@army.ml with LANGUAGE=de (fr), the module's translations from --localedir (the
             build tree's po/; read only by the test-only module --fault-module, which checks
             normally without RCPTGUARD_FAULT): the dialog's title, buttons and choices are
             translated; Escape: nothing sent;
  error-warn, error-block, error-allow
             the check fails: the fault-injection module (--fault-module,
             module-rcptguard-fault.so) with RCPTGUARD_FAULT=fail, and on-error set in the keyfile.
             ops@army.ml.  "warn": the dialog says "Recipients could not be checked" and offers
             "Edit Message" and "Send Anyway" only; "Send Anyway" sends to ops@army.ml.
             "block": "Edit Message" alone, and the user's settings (on-error is not locked: not
             "the administrator") do not allow sending without the check; "Edit Message": as
             "edit".  "allow": no dialog, sent to ops@army.ml.

With RG_E2E_DOCS naming a folder (docs/), the scenarios "trust", "german", "french" and
"error-warn" save their dialog window there as dialog-evolution.png, dialog-evolution-de.png,
dialog-evolution-fr.png and dialog-evolution-failed.png; without it, only in the artefacts.

With RG_E2E_INSTALLED=1 (tests/e2e/run-installed) the scenarios test the installed files: the
module Evolution loads from its own module folder (--module names it; nothing is copied), the
installed schema and translations, the installed administrator's example; "Installed mode"
below says how the "error-*" scenarios still run the fault-injection module.

After each answer the decision log ($XDG_STATE_HOME/rcptguard/decisions.jsonl, 0600 in a 0700
folder) must hold exactly the decisions of the path: "corrected", "sent-anyway", "edited",
"blocked" (with policy_locked true) then "corrected", "check-failed"; none for "clean".  Every
record names the client "evolution" and the sender's domain, hashes local parts (the local part
"ops" is nowhere in plain), and a checked one lists the flagged domain (army.ml) with its
suggestion (army.mil), and, where the scenario says, what became of each flagged recipient
("outcome": "trusted", "kept").

The test finds the widgets through the accessibility tree (AT-SPI, python3-gi's Atspi): the
composer window, its Send button, its menu bar's File menu and that menu's Send item, the To
entry's text, the dialog's title, buttons and default button, all by their accessible names, and
their positions wherever the dialog is placed.  The presses themselves go through the X server
(xdotool clicks at those positions, Escape and Ctrl+Return as keys) as a user's do, rather than
through AT-SPI's DoAction, which would run the Send handler, and the modal dialog it opens,
inside an accessibility call.

Every scenario with the module also fails if Evolution's log shows that the module did not find
its schema (it would check with its built-in defaults, and no policy would apply).

Output is TAP, one line per scenario.  Every scenario runs in a child process of its own
process group (the AT-SPI library binds to one session bus per process), with a marker in the
environment of every process it starts.  When the child is done, or after SCENARIO_TIMEOUT_S,
whatever is left of that group or carries that marker is ended, and nothing else is touched;
Evolution itself is asked to leave with "evolution --quit" (never --force-shutdown, which would
end every Evolution on the machine).  Artefacts per scenario: screenshots, Evolution's output,
what sendmail got and the Sent folder's copy.
"""

import argparse
import email
import email.policy
import email.utils
import gettext
import os
import shutil
import stat
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse

from rg_e2e import (Desktop, Failure, click, log, missing_tools, run_child, run_in_child,
                    screenshot, set_deadline, start_window_manager, start_with_fd, wait_for,
                    xdotool)

# A whole scenario, from the first process to the last one ended, must finish within this;
# the runner ends what is left after it.  The scenario's own waits stop SHUTDOWN_RESERVE_S
# earlier, so that it can still fail with a message and shut Evolution down.  A scenario takes
# 5-10 s here (15 s with both cores busy).
SCENARIO_TIMEOUT_S = 90
SHUTDOWN_RESERVE_S = 25
# The debug lines (G_MESSAGES_DEBUG=rcptguard) the test reads from Evolution's output: the
# module's known-domain loader prints the first once it has read the address books (pressing
# Send before it would test a checker that knows no domains); the composer extension prints the
# second when it checks a Send.
KNOWN_DOMAINS_LINE = 'known domains loaded:'
PRESEND_LINE = 'presend:'
XVFB_SCREEN = '1280x1024x24'
DIALOG_TITLE = 'Check recipients'
DIALOG_BUTTONS = ('Edit Message', 'Send Corrected', 'Send Anyway')
# Their msgids, mnemonics included (for the translated names).
BUTTON_MSGIDS = {'Edit Message': '_Edit Message', 'Send Corrected': 'Send _Corrected',
                 'Send Anyway': 'Send _Anyway'}
DEFAULT_BUTTON = 'Edit Message'
# With a blocked recipient and allow-block-override false (ui/rg-confirm-dialog.c): the heading,
# and the button that must be absent, not merely insensitive.
ANYWAY_BUTTON = 'Send Anyway'
CORRECTED_BUTTON = 'Send Corrected'
BLOCKED_HEADING = 'Your administrator does not allow sending to some of these recipients'
# What the module logs (common/glib/rg-guard.c) when it did not find its schema, and when
# GSettings is not on dconf (so no administrator's lock applies).
NO_SCHEMA_LINE = 'checks with its built-in defaults'
NOT_DCONF_LINE = 'not dconf'
SCHEMA = 'org.rcptguard.RecipientGuard'
# The keys data/admin locks, and the values it gives them, as gsettings prints them.
ADMIN_LOCKED = (('block-domains', "['ml']"), ('allow-block-override', 'false'))
SENDER = 'me@corp.example'
# Where Send is in the composer's menu bar, by accessible names.
SEND_MENU = 'File'
SEND_MENU_ITEM = 'Send'
# GTK takes the first button release within 500 ms of a menu popping up for the end of the
# press that opened it and activates nothing (MENU_SHELL_TIMEOUT).  That is normally the release
# of the click on "File" itself; the click on the item still waits this long after it, so that
# it counts whichever way the first release went.
MENU_RELEASE_DELAY_S = 0.6
# The decision log (common/glib/rg-decision-log.c): one JSON line per decision, in the
# session's $XDG_STATE_HOME; the file 0600 in a 0700 folder.
DECISION_LOG = os.path.join('rcptguard', 'decisions.jsonl')
# The check-failed dialog (ui/rg-confirm-dialog.c), for on-error "warn" and "block".
ERROR_HEADING = 'Recipients could not be checked'
# on-error "block" from the user's own settings (the keyfile: not locked), not an administrator.
ERROR_BLOCK_TEXT = 'your settings do not allow sending without it'
# The line that says why "Send Corrected" is not usable (ui/rg-confirm-dialog.c).
EMPTY_TEXT = 'Every recipient would be removed'
# The environment variable naming the folder for the README's screenshots.
DOCS_ENV = 'RG_E2E_DOCS'
# What the module adds for the organisation's rcptguard-milter when server-guard is on
# (common/glib/rg-confirmed-header.h).
CONFIRMED_HEADER = 'X-Recipient-Guard-Confirmed'
CONTACTS = (('Army Operations', 'ops@army.mil'), ('Corp Colleague', 'colleague@corp.example'))
# "anyway-again": the address book of the automatic contacts (a local book, by its source's
# uid), and more people at army.mil: a domain collected once is a rare twin only of one with
# much stronger evidence (ten times the uses, and at least five).
AUTOCONTACTS_BOOK = 'rg-e2e-autocontacts'
ARMY_COLLEAGUES = tuple((f'Army Colleague {i}', f'colleague{i}@army.mil') for i in range(1, 12))


class Scenario:
    def __init__(self, name, to, answer, sends_to, send_by='button', window_manager=False,
                 admin_policy=False, blocked=False, then=None, records=(), fault=False,
                 on_error=None, again_collected=False, empty=False, choices=(), outcomes=None,
                 again_clean=False, language=None, docs=None, flagged=('army.ml', 'army.mil'),
                 user_off=False, server_guard=False, confirmed=None):
        self.name = name
        self.to = to                  # the recipients in the mailto: URL, comma-separated
        self.answer = answer          # the dialog button to click, or a key to press (with
        #                               "key:"); None: no dialog may appear
        self.sends_to = sends_to      # the one recipient sendmail must get; None: no call
        self.send_by = send_by        # how Send is pressed: "button" (a click on the toolbar's
        #                               Send), "menu" (File > Send, clicked) or "ctrl-enter"
        self.window_manager = window_manager  # run matchbox-window-manager in the session
        self.admin_policy = admin_policy  # GSettings on dconf, with data/admin's policy and
        #                                   locks in a system database (else: the keyfile)
        self.blocked = blocked        # the dialog must show a recipient blocked, no override
        self.then = then              # (answer, sends_to): after a first answer that sent
        #                               nothing, Send again and answer this
        self.records = tuple(records)  # the decisions the log must hold after each step (one
        #                               tuple per step: the first answer, then "then")
        self.fault = fault            # the fault-injection module with RCPTGUARD_FAULT=fail:
        #                               every check fails
        self.on_error = on_error      # the on-error setting (keyfile), or None: the default
        self.again_collected = again_collected  # after the answer, the recipient goes into
        #                               the automatic contacts' book and a new message to it
        #                               is sent: the dialog must come again, "Edit Message"
        self.empty = empty            # every choice would remove the only recipient: "Send
        #                               Corrected" there but insensitive, with the reason
        self.choices = tuple(choices)  # radio buttons (accessible names) to click first
        self.outcomes = outcomes      # {domain: outcome} the last record must hold
        self.again_clean = again_clean  # after the send, a new message to the first recipient
        #                               (Evolution started again) goes with no dialog
        self.language = language      # LANGUAGE for Evolution and the module, or None
        self.docs = docs              # the file name of the dialog's screenshot in docs/
        self.flagged = flagged        # (domain, suggested domain or None) of the records
        self.user_off = user_off      # with admin_policy: the lock of "enabled" left out, and
        #                               the user turns checking off (gsettings, through dconf)
        #                               before Evolution starts: only the blocked row shows
        self.server_guard = server_guard  # server-guard true (keyfile): the organisation's
        #                               mail server runs rcptguard-milter
        self.confirmed = confirmed    # the value the sent message's X-Recipient-Guard-Confirmed
        #                               must have; None: the message must have no such header

    @property
    def addresses(self):
        """The addresses of @to, without display names."""
        return [email.utils.parseaddr(r)[1] for r in self.to.split(',')]

    @property
    def first_to(self):
        return self.addresses[0]

    def mailto(self, subject=None):
        subject = subject or self.subject
        return (f'mailto:{urllib.parse.quote(self.to, safe="@,")}?'
                f'subject={urllib.parse.quote(subject)}&body=Hello')

    @property
    def subject(self):
        return f'rcptguard e2e {self.name}'


SCENARIOS = {s.name: s for s in (
    Scenario('edit', 'ops@army.ml', 'Edit Message', None, records=[('edited',)]),
    Scenario('corrected', 'ops@army.ml', 'Send Corrected', 'ops@army.mil',
             records=[('corrected',)]),
    Scenario('anyway', 'ops@army.ml', 'Send Anyway', 'ops@army.ml',
             records=[('sent-anyway',)]),
    # Issue 16: with server-guard on, the organisation's rcptguard-milter is told what the user
    # confirmed; a corrected recipient is not named (nor is the address it replaced).
    Scenario('anyway-server-guard', 'ops@army.ml', 'Send Anyway', 'ops@army.ml',
             records=[('sent-anyway',)], server_guard=True, confirmed='ops@army.ml'),
    Scenario('corrected-server-guard', 'ops@army.ml,someone@gmial.com', 'Send Corrected',
             ['ops@army.mil', 'someone@gmial.com'], choices=('Keep someone@gmial.com',),
             outcomes={'army.ml': 'used-suggestion', 'gmial.com': 'kept'},
             records=[('corrected',)], server_guard=True, confirmed='someone@gmial.com'),
    # A slip sent anyway once is collected, and still a slip.
    Scenario('anyway-again', 'ops@army.ml', 'Send Anyway', 'ops@army.ml', again_collected=True,
             records=[('sent-anyway',), ('sent-anyway', 'edited')]),
    Scenario('clean', 'ops@army.mil', None, 'ops@army.mil', records=[()]),
    # Escape answers the dialog as its default button does: back to the message.
    Scenario('escape', 'ops@army.ml', 'key:Escape', None, records=[('edited',)]),
    # The other two ways to send: the composer's menu, and its accelerator.
    Scenario('menu', 'ops@army.ml', 'Send Corrected', 'ops@army.mil', send_by='menu',
             records=[('corrected',)]),
    Scenario('ctrl-enter', 'ops@army.ml', 'Edit Message', None, send_by='ctrl-enter',
             window_manager=True, records=[('edited',)]),
    # The administrator's locked block: no way to send to .ml, the correction still goes.
    Scenario('locked-block', 'ops@army.ml', 'Edit Message', None, admin_policy=True,
             blocked=True, then=('Send Corrected', 'ops@army.mil'),
             records=[('blocked',), ('blocked', 'corrected')]),
    # Issue 13: a message whose only recipient is blocked, with nothing to suggest, is never
    # sent to nobody.
    Scenario('blocked-only', 'friend@bamako.ml', 'Edit Message', None, admin_policy=True,
             blocked=True, empty=True, records=[('blocked',)], flagged=('bamako.ml', None)),
    # Issue 14: the user turned checking off, and the administrator's locked block still
    # holds, alone: the slip someone@gmial.com is not asked about.
    Scenario('blocks-when-off', 'ops@army.ml,someone@gmial.com', 'Edit Message', None,
             admin_policy=True, blocked=True, user_off=True,
             then=('Send Corrected', ['ops@army.mil', 'someone@gmial.com']),
             records=[('blocked',), ('blocked', 'corrected')]),
    # "Always allow army.ml" and "Keep this address", then no dialog for army.ml any more.
    Scenario('trust', 'Ops Center <ops@army.ml>,someone@gmial.com', 'Send Corrected',
             ['ops@army.ml', 'someone@gmial.com'],
             choices=('Keep ops@army.ml and always allow army.ml', 'Keep someone@gmial.com'),
             outcomes={'army.ml': 'trusted', 'gmial.com': 'kept'}, again_clean=True,
             records=[('corrected',)], docs='dialog-evolution.png'),
    # The dialog speaks the user's language (and the README shows it).
    Scenario('german', 'ops@army.ml', 'key:Escape', None, language='de',
             records=[('edited',)], docs='dialog-evolution-de.png'),
    Scenario('french', 'ops@army.ml', 'key:Escape', None, language='fr',
             records=[('edited',)], docs='dialog-evolution-fr.png'),
    # The check fails (fault injection): on-error decides.
    Scenario('error-warn', 'ops@army.ml', 'Send Anyway', 'ops@army.ml', fault=True,
             on_error='warn', records=[('check-failed',)], docs='dialog-evolution-failed.png'),
    Scenario('error-block', 'ops@army.ml', 'Edit Message', None, fault=True,
             on_error='block', records=[('check-failed',)]),
    Scenario('error-allow', 'ops@army.ml', None, 'ops@army.ml', fault=True,
             on_error='allow', records=[('check-failed',)]),
)}


# ---------------------------------------------------------------------------------------------
# The session: files written before anything starts.

RECORDING_SENDMAIL = r'''#!/bin/sh
# Records one sendmail call: its arguments (NUL-terminated) and the message on stdin.  The
# folder appears under its final name only once complete, so a reader never sees half a call.
set -eu
out=%(out)s
tmp="$out/.call-$$"
mkdir -p "$tmp"
printf '%%s\0' "$@" > "$tmp/argv"
cat > "$tmp/message"
mv "$tmp" "$out/call-$(date +%%s%%N)-$$"
'''

# Evolution's prompts that would stop an unattended run, off.  The same text serves the keyfile
# backend ($XDG_CONFIG_HOME/glib-2.0/settings/keyfile) and "dconf compile" (a keyfile of a
# system database): both take groups named by paths and values in GVariant text.
GSETTINGS_KEYFILE = '''\
[org/gnome/evolution-data-server]
network-monitor-gio-name='always-online'

[org/gnome/evolution/shell]
start-offline=false
skip-warning-dialog=true

[org/gnome/evolution/mail]
prompt-on-accel-send=false
prompt-check-if-default-mailer=false
prompt-on-empty-subject=false
composer-use-outbox=false
'''


def write_file(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    os.chmod(path, mode)


def write_session_files(env, root, scenario, admin):
    config = env['XDG_CONFIG_HOME']
    data = env['XDG_DATA_HOME']
    sources = os.path.join(config, 'evolution', 'sources')
    outbox = os.path.join(root, 'sendmail')
    os.makedirs(outbox)
    sendmail = os.path.join(root, 'bin', 'recording-sendmail')
    write_file(sendmail, RECORDING_SENDMAIL % {'out': shell_quote(outbox)}, 0o755)

    write_file(os.path.join(sources, 'rg-e2e-account.source'), f'''\
[Data Source]
DisplayName={SENDER}
Enabled=true
Parent=

[Mail Account]
BackendName=none
IdentityUid=rg-e2e-identity
NeedsInitialSetup=false
''')
    write_file(os.path.join(sources, 'rg-e2e-identity.source'), f'''\
[Data Source]
DisplayName={SENDER}
Enabled=true
Parent=rg-e2e-account

[Mail Identity]
Address={SENDER}
Name=Test Sender

[Mail Submission]
TransportUid=rg-e2e-transport
SentFolder=folder://local/Sent
''')
    write_file(os.path.join(sources, 'rg-e2e-transport.source'), f'''\
[Data Source]
DisplayName={SENDER}
Enabled=true
Parent=rg-e2e-account

[Mail Transport]
BackendName=sendmail

[Sendmail Backend]
UseCustomBinary=true
CustomBinary={sendmail}
SendInOffline=true
''')
    if scenario.again_collected:
        write_file(os.path.join(sources, f'{AUTOCONTACTS_BOOK}.source'), '''\
[Data Source]
DisplayName=Automatic Contacts
Enabled=true
Parent=local-stub

[Address Book]
BackendName=local
''')
    if scenario.admin_policy:
        write_dconf_database(env, root, admin, unlock=('enabled',) if scenario.user_off else ())
    else:
        keyfile = GSETTINGS_KEYFILE
        rcptguard = []
        if scenario.on_error is not None:
            rcptguard.append(f"on-error='{scenario.on_error}'")
        if scenario.server_guard:
            rcptguard.append('server-guard=true')
        if rcptguard:
            keyfile += '\n[org/rcptguard/RecipientGuard]\n' + '\n'.join(rcptguard) + '\n'
        if scenario.again_collected:
            keyfile += ("\n[org/gnome/evolution/plugin/autocontacts]\n"
                        f"addressbook-source='{AUTOCONTACTS_BOOK}'\n")
        write_file(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), keyfile)
    # Without these folders WebKit warns about its sandbox on every start.
    for sub in ('webkit-editor-plugins', 'preview-plugins'):
        os.makedirs(os.path.join(data, 'evolution', sub), exist_ok=True)
    return outbox


def write_dconf_database(env, root, admin, unlock=()):
    """A system database as an administrator deploys it (data/admin, README "For
    administrators"), but in the session's folder: the shipped keyfile and locks, copied as they
    are, with Evolution's prompt settings as further defaults, compiled by "dconf compile"; and a
    profile naming the user's database (written through dconf-service) and then that one, in
    DCONF_PROFILE.  The environment must be complete before the bus starts: the data-server
    services, activated there, read their settings through it too."""
    shipped = os.path.join(admin, 'dconf', 'db', 'local.d')
    keyfiles = os.path.join(root, 'dconf', 'local.d')
    shutil.copytree(shipped, keyfiles)
    for name in ('50-rcptguard', os.path.join('locks', 'rcptguard')):
        if not os.path.isfile(os.path.join(keyfiles, name)):
            raise Failure(f'{os.path.join(shipped, name)} is missing')
    if unlock:
        locks = os.path.join(keyfiles, 'locks', 'rcptguard')
        with open(locks, encoding='utf-8') as f:
            kept = [line for line in f if line.strip().rsplit('/', 1)[-1] not in unlock]
        write_file(locks, ''.join(kept))
    write_file(os.path.join(keyfiles, '00-rg-e2e-evolution'), GSETTINGS_KEYFILE)
    database = os.path.join(root, 'dconf', 'local')
    done = subprocess.run(['dconf', 'compile', database, keyfiles], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=30)
    if done.returncode != 0:
        raise Failure(f'dconf compile {keyfiles} failed: {done.stdout.strip()}')
    profile = os.path.join(root, 'dconf', 'profile')
    write_file(profile, f'user-db:user\nfile-db:{database}\n')
    env['DCONF_PROFILE'] = profile


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def session_env(root, scenario, schema_dir, localedir=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ('DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY', 'NO_AT_BRIDGE',
                        'LANGUAGE', 'XAUTHORITY', 'SESSION_MANAGER', 'GTK_MODULES',
                        'GSETTINGS_BACKEND', 'DCONF_PROFILE')
           and not k.startswith('LC_')}
    home = os.path.join(root, 'home')
    env.update({
        # Every process of the session carries this marker, so that leftovers can be found.
        'RG_E2E_SESSION': root,
        'HOME': home,
        'XDG_CONFIG_HOME': os.path.join(home, '.config'),
        'XDG_DATA_HOME': os.path.join(home, '.local', 'share'),
        'XDG_CACHE_HOME': os.path.join(home, '.cache'),
        'XDG_STATE_HOME': os.path.join(home, '.local', 'state'),
        'XDG_RUNTIME_DIR': os.path.join(root, 'run'),
        # Untranslated labels, which the test looks for by name.
        'LANG': 'C.UTF-8',
        'LC_ALL': 'C.UTF-8',
        'G_MESSAGES_DEBUG': 'rcptguard',
    })
    if scenario.language:
        # gettext ignores LANGUAGE in the "C" locale, not in C.UTF-8 (LC_ALL would win).
        del env['LC_ALL']
        env['LANGUAGE'] = scenario.language
        if localedir:
            env['RCPTGUARD_LOCALEDIR'] = localedir
    # Set before the bus starts, so that the activated data-server services inherit it.  With
    # neither, GSettings takes dconf (write_dconf_database sets DCONF_PROFILE).
    if not scenario.admin_policy:
        env['GSETTINGS_BACKEND'] = 'keyfile'
    if scenario.fault:
        env['RCPTGUARD_FAULT'] = 'fail'
    # The module's schema, compiled in the build tree; added to the system's schema folders.
    if schema_dir:
        env['GSETTINGS_SCHEMA_DIR'] = schema_dir
    for key in ('XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_STATE_HOME'):
        os.makedirs(env[key], exist_ok=True)
    os.makedirs(env['XDG_RUNTIME_DIR'], mode=0o700, exist_ok=True)
    return env


# ---------------------------------------------------------------------------------------------
# Reading what was sent.

class SendmailCall:
    def __init__(self, path):
        self.path = path
        with open(os.path.join(path, 'argv'), 'rb') as f:
            self.argv = [a.decode() for a in f.read().split(b'\0')[:-1]]
        with open(os.path.join(path, 'message'), 'rb') as f:
            self.raw = f.read()
        self.message = email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def recipients(self):
        if '--' not in self.argv:
            raise Failure(f'sendmail arguments without "--": {self.argv}')
        return self.argv[self.argv.index('--') + 1:]

    def header_addresses(self, name):
        return [addr for _, addr in email.utils.getaddresses(self.message.get_all(name, []))]


def sendmail_calls(outbox):
    return [SendmailCall(os.path.join(outbox, d))
            for d in sorted(os.listdir(outbox)) if d.startswith('call-')]


def sent_folder_messages(env):
    """The files of the messages in Evolution's local Sent folder: the local store is a Maildir
    under $XDG_DATA_HOME/evolution/mail/local, and Sent is its ".Sent" folder."""
    folder = os.path.join(env['XDG_DATA_HOME'], 'evolution', 'mail', 'local', '.Sent')
    return [os.path.join(folder, sub, name)
            for sub in ('cur', 'new') if os.path.isdir(os.path.join(folder, sub))
            for name in sorted(os.listdir(os.path.join(folder, sub)))]


def read_message(path):
    with open(path, 'rb') as f:
        return email.message_from_bytes(f.read(), policy=email.policy.default)


# ---------------------------------------------------------------------------------------------
# One scenario, run in the child process.

class Child:
    def __init__(self, scenario, root, artefacts, module, add_contact, schema_dir=None,
                 admin=None, localedir=None):
        self.s = scenario
        self.root = root
        self.artefacts = artefacts
        self.module = module
        self.add_contact = add_contact
        self.schema_dir = schema_dir
        self.admin = admin
        self.localedir = localedir
        # Read before the session's environment replaces this process's.
        self.docs_dir = os.environ.get(DOCS_ENV)
        if self.docs_dir:
            self.docs_dir = os.path.abspath(self.docs_dir)
        self.t0 = time.monotonic()
        set_deadline(self.t0 + SCENARIO_TIMEOUT_S - SHUTDOWN_RESERVE_S)
        self.env = None
        self.xvfb = self.wm = self.bus = self.evolution = None
        self.composer_xids = []

    def mark(self, what):
        log(f'{time.monotonic() - self.t0:6.2f} s  {what}')

    def run(self):
        try:
            self.start_session()
            self.scenario()
        except BaseException:
            self.record_failure()
            raise
        finally:
            self.stop_session()
            self.mark('session ended')

    def start_session(self):
        env = session_env(self.root, self.s, self.schema_dir, self.localedir)
        self.env = env
        self.outbox = write_session_files(env, self.root, self.s, self.admin)
        session_log = os.path.join(self.artefacts, 'session.log')

        self.xvfb, display = start_with_fd(
            ['Xvfb', '-displayfd', '{fd}', '-screen', '0', XVFB_SCREEN, '-nolisten', 'tcp'],
            env, session_log, 'Xvfb')
        env['DISPLAY'] = ':' + display
        if self.s.window_manager:
            self.wm = start_window_manager(env, session_log)
            self.mark('matchbox-window-manager running')
        self.bus, address = start_with_fd(
            ['dbus-daemon', '--session', '--nofork', '--nopidfile', '--print-address={fd}'],
            env, session_log, 'the D-Bus session bus')
        env['DBUS_SESSION_BUS_ADDRESS'] = address
        self.mark(f'Xvfb on {env["DISPLAY"]}, session bus up')
        if self.s.admin_policy:
            self.check_dconf_policy()

        contacts = CONTACTS + (ARMY_COLLEAGUES if self.s.again_collected else ())
        args = [a for contact in contacts for a in contact]
        proc = subprocess.run([self.add_contact, *args], env=env, timeout=60,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in proc.stdout.splitlines():
            log(f'  {line}')
        if proc.returncode != 0:
            raise Failure(f'rg-test-add-contact exited with {proc.returncode}')
        self.mark('contacts in the system address book')

        if self.module and INSTALLED:
            installed_session(env, self.root, self.module)
        elif self.module:
            prefix = os.path.join(self.root, 'prefix')
            moduledir = os.path.join(prefix, 'lib', 'evolution', 'modules')
            os.makedirs(moduledir)
            shutil.copy(self.module, moduledir)
            env['EDS_EXTRA_PREFIXES'] = prefix

        url = self.s.mailto()
        self.evolution_log = os.path.join(self.artefacts, 'evolution.log')
        with open(self.evolution_log, 'wb') as logf:
            self.evolution = subprocess.Popen(['evolution', '--force-online', url], env=env,
                                              stdin=subprocess.DEVNULL, stdout=logf,
                                              stderr=subprocess.STDOUT)
        self.mark('evolution started')

        # The accessibility library binds to the session's buses when it starts; start it once
        # Evolution has a window, when Evolution has brought up the accessibility bus and its
        # registry (earlier, the library can catch the registry starting and warn).
        def x_window():
            self.check_alive()
            found = subprocess.run(['xdotool', 'search', '--name', f'^{self.s.subject}$'],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, timeout=10)
            return found.stdout.split()

        self.composer_xids = wait_for('the composer\'s X window', x_window, 45)
        os.environ.clear()
        os.environ.update(env)
        self.desktop = Desktop('evolution')

    def gsettings(self, *argv):
        """Runs gsettings (or dconf, when argv starts with "dconf") in the session's environment,
        the one Evolution gets; returns (exit status, output stripped)."""
        cmd = list(argv) if argv[0] == 'dconf' else ['gsettings', *argv]
        done = subprocess.run(cmd, env=self.env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=30)
        log(f'  $ {" ".join(cmd)} -> {done.returncode} {done.stdout.strip()!r}')
        return done.returncode, done.stdout.strip()

    def check_dconf_policy(self):
        """The administrator's policy holds in this session: the locked keys are not writable and
        have the administrator's values, a user cannot change them, Evolution's prompt settings
        come from the system database, and writes (of other keys) reach the user's database
        through dconf-service on the session bus."""
        for key, value in ADMIN_LOCKED:
            status, out = self.gsettings('writable', SCHEMA, key)
            if (status, out) != (0, 'false'):
                raise Failure(f'gsettings writable {SCHEMA} {key}: {out!r} (exit {status}), '
                              'expected false: the lock is not in effect')
            status, out = self.gsettings('get', SCHEMA, key)
            if (status, out) != (0, value):
                raise Failure(f'gsettings get {SCHEMA} {key}: {out!r}, expected {value}')
        status, out = self.gsettings('set', SCHEMA, 'block-domains', '[]')
        if status == 0:
            raise Failure('gsettings set block-domains [] succeeded despite the lock')
        status, out = self.gsettings('get', SCHEMA, 'block-domains')
        if out != "['ml']":
            raise Failure(f'block-domains is {out!r} after a refused set, expected [\'ml\']')
        status, out = self.gsettings('writable', SCHEMA, 'warn-domains')
        if out != 'true':
            raise Failure(f'warn-domains, not locked, is not writable ({out!r})')
        if self.s.user_off:
            # As a user does in Preferences: the value goes to the user's database.
            status, out = self.gsettings('set', SCHEMA, 'enabled', 'false')
            status, out = self.gsettings('get', SCHEMA, 'enabled')
            if (status, out) != (0, 'false'):
                raise Failure(f'the user could not turn checking off: enabled is {out!r}')
        # Evolution's prompts: the values of the keyfile, now system defaults.
        group = None
        for line in GSETTINGS_KEYFILE.splitlines():
            if line.startswith('['):
                group = line.strip('[]')
            elif '=' in line:
                key, value = line.split('=', 1)
                status, out = self.gsettings('get', group.replace('/', '.'), key)
                if (status, out) != (0, value):
                    raise Failure(f'{group}/{key} is {out!r}, expected {value} from the system '
                                  'database')
        # A write goes through dconf-service, activated on this bus, into the user's database.
        probe = '/org/rcptguard/e2e-probe'
        status, out = self.gsettings('dconf', 'write', probe, "'written'")
        if status != 0:
            raise Failure(f'dconf write failed: {out}')
        status, out = self.gsettings('dconf', 'read', probe)
        if out != "'written'":
            raise Failure(f'dconf read {probe} gave {out!r} after the write')
        self.gsettings('dconf', 'reset', probe)
        self.mark('dconf: block-domains and allow-block-override locked to the admin\'s values')

    def record_failure(self):
        """Keeps what the screen and Evolution showed when the scenario failed."""
        env = self.env
        if env is not None and 'DISPLAY' in env:
            try:
                screenshot(env, os.path.join(self.artefacts, 'failure.png'))
            except (subprocess.SubprocessError, OSError) as e:
                log(f'  no screenshot of the failure: {e}')
        if self.evolution is not None:
            lines = self.evolution_output().splitlines()
            log(f'  the last {min(len(lines), 25)} lines of {self.evolution_log}:')
            for line in lines[-25:]:
                log(f'  | {line}')

    def evolution_output(self):
        with open(self.evolution_log, encoding='utf-8', errors='replace') as f:
            return f.read()

    def check_alive(self):
        if self.evolution.poll() is not None:
            raise Failure(f'evolution exited early with {self.evolution.returncode}')

    def scenario(self):
        s, d, env = self.s, self.desktop, self.env

        def composer():
            self.check_alive()
            return d.window(s.subject, ('frame',))

        frame = wait_for(f'the composer window "{s.subject}"', composer, 45, pump=d.pump)
        self.mark('composer shown')

        if self.module:
            def known_domains_line():
                self.check_alive()
                return [line for line in self.evolution_output().splitlines()
                        if KNOWN_DOMAINS_LINE in line]

            lines = wait_for(f'"{KNOWN_DOMAINS_LINE}" in the Evolution log', known_domains_line,
                             30)
            self.mark('module has loaded the known domains')
            log(f'  {lines[0].strip()}')
            self.check_module_settings()
            if s.on_error is not None:
                status, out = self.gsettings('get', SCHEMA, 'on-error')
                if (status, out) != (0, f"'{s.on_error}'"):
                    raise Failure(f'on-error is {out!r}, expected {s.on_error!r}')
            if s.server_guard:
                status, out = self.gsettings('get', SCHEMA, 'server-guard')
                if (status, out) != (0, 'true'):
                    raise Failure(f'server-guard is {out!r}, expected true')

        if not s.language:
            to = wait_for('the To entry', lambda: d.find(frame, 'text', 'To:'), 10, pump=d.pump)
            to_text = d.text(to)
            missing = [a for a in s.addresses if a not in to_text]
            if missing:
                raise Failure(f'the To entry shows {to_text!r}, not {missing}')
        send = d.find(frame, 'push button', self.tr('evolution', 'Send'))
        if send is None:
            raise Failure(f'the composer has no "{self.tr("evolution", "Send")}" button')
        screenshot(env, os.path.join(self.artefacts, '1-composer.png'))
        self.press_send(frame, send)

        if s.answer is not None:
            self.answer_dialog(s.answer)
        else:
            self.expect_no_dialog()

        if s.sends_to is None:
            self.expect_nothing_sent(frame)
        else:
            self.expect_sent(s.sends_to)
        if s.records:
            self.expect_records(s.records[0])

        if s.then is not None:
            answer, sends_to = s.then
            log('  again:')
            self.press_send(frame, send)
            self.answer_dialog(answer, shot='4-dialog-again.png')
            self.expect_sent(sends_to)
            if len(s.records) > 1:
                self.expect_records(s.records[1])
        if s.again_collected:
            self.send_again_when_collected()
        if s.again_clean:
            self.send_again_clean()

    def start_evolution_again(self, subject, to, meanwhile=None):
        """Evolution started on a mailto: URL alone leaves once the composer has closed: a new
        message comes from a new start (as a user's next one would), after @meanwhile (called
        while Evolution is not running).  Returns the composer's frame and the module's
        "known domains loaded" line."""
        d, env = self.desktop, self.env
        wait_for('Evolution to leave after the send', lambda: self.evolution.poll() is not None,
                 20)
        self.mark('evolution left')
        if meanwhile is not None:
            meanwhile()
        url = f'mailto:{to}?subject={urllib.parse.quote(subject)}&body=Hello'
        self.evolution_log = os.path.join(self.artefacts, 'evolution-again.log')
        with open(self.evolution_log, 'wb') as logf:
            self.evolution = subprocess.Popen(['evolution', '--force-online', url], env=env,
                                              stdin=subprocess.DEVNULL, stdout=logf,
                                              stderr=subprocess.STDOUT)
        self.mark('evolution started again')

        def composer():
            self.check_alive()
            return d.window(subject, ('frame',))

        frame = wait_for(f'the composer window "{subject}"', composer, 45, pump=d.pump)
        line = wait_for(f'"{KNOWN_DOMAINS_LINE}" in the Evolution log', lambda: [
            line for line in self.evolution_output().splitlines() if KNOWN_DOMAINS_LINE in line],
            30)[0]
        log(f'  {line.strip()}')
        return frame, line

    def send_again_clean(self):
        """After "Always allow army.ml": the domain is in the user's trusted domains, and a new
        message to it is sent with no dialog (and, a clean send, no record)."""
        s, d = self.s, self.desktop
        status, out = self.gsettings('get', SCHEMA, 'trusted-domains')
        domain = s.first_to.split('@')[1]
        if status != 0 or f"'{domain}'" not in out:
            raise Failure(f'trusted-domains is {out!r} after "Always allow {domain}"')
        subject = f'{s.subject} again'
        frame, _ = self.start_evolution_again(subject, s.first_to)
        send = d.find(frame, 'push button', 'Send')
        if send is None:
            raise Failure('the composer has no "Send" button')
        first = len(sendmail_calls(self.outbox))
        x, y = d.centre(send)
        click(self.env, x, y)
        self.mark(f'clicked Send at {x},{y}')

        def sent_or_dialog():
            if d.window(DIALOG_TITLE) is not None:
                screenshot(self.env, os.path.join(self.artefacts, '4-unexpected-dialog.png'))
                raise Failure(f'a "{DIALOG_TITLE}" dialog appeared for the allowed {domain}')
            return len(sendmail_calls(self.outbox)) > first

        wait_for('sendmail to be called again', sent_or_dialog, 20, interval=0.1, pump=d.pump)
        time.sleep(1)
        calls = sendmail_calls(self.outbox)
        if len(calls) != first + 1 or calls[-1].recipients != [s.first_to]:
            raise Failure(f'sendmail calls after the first: {[c.recipients for c in calls]}')
        self.mark(f'sent to {s.first_to} with no dialog')
        self.expect_records(s.records[-1])

    def send_again_when_collected(self):
        """After a Send Anyway: the recipient goes into the automatic contacts' book, and a new
        message to it must still open the dialog, for "rare-twin"; "Edit Message" sends nothing.

        Evolution's "Automatic Contacts" plugin is not active here: its "enable" key keeps its
        default (off), and Debian ships it in evolution-plugins, which a machine running this
        test need not have.  So the test adds the contact as the plugin's bbdb_do_it () does
        after a send (the local part as the name, and the address) through
        evolution-data-server, into the book that its addressbook-source names.

        Evolution started on a mailto: URL alone leaves once the composer has closed: the new
        message comes from a new start, which reads the address books again."""
        s, d, env = self.s, self.desktop, self.env

        def collect():
            proc = subprocess.run([self.add_contact, '--book', AUTOCONTACTS_BOOK,
                                   s.to.split('@')[0], s.to], env=env, timeout=60,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for line in proc.stdout.splitlines():
                log(f'  {line}')
            if proc.returncode != 0:
                raise Failure(f'rg-test-add-contact --book exited with {proc.returncode}')
            self.mark(f'{s.to} in the automatic contacts\' book')

        subject = f'{s.subject} again'
        frame, line = self.start_evolution_again(subject, s.to, collect)
        # army.mil and corp.example from "Personal", army.ml from the automatic contacts.
        if ', 3 domains,' not in line:
            raise Failure('the module does not know the collected army.ml beside the contacts')
        send = d.find(frame, 'push button', 'Send')
        if send is None:
            raise Failure('the composer has no "Send" button')
        self.press_send(frame, send)
        self.answer_dialog('Edit Message', shot='4-dialog-again.png', sent_before=1)

        # A send started by mistake reaches sendmail within a second here; give it four.
        time.sleep(4)
        d.pump()
        calls = sendmail_calls(self.outbox)
        if len(calls) != 1:
            raise Failure(f'sendmail was called {len(calls)} times, expected only the first')
        if d.window(subject, ('frame',)) is None:
            raise Failure('the composer closed')
        self.mark('the collected slip still asked; nothing more sent')
        self.expect_records(s.records[1])
        reasons = [rc.get('reasons') for rc in self.read_records()[1][-1].get('recipients', [])
                   if rc.get('domain') == 'army.ml']
        if reasons != [['rare-twin']]:
            raise Failure(f'the second record gives army.ml the reasons {reasons}, expected '
                          "[['rare-twin']]")

    def decision_log_path(self):
        return os.path.join(self.env['XDG_STATE_HOME'], DECISION_LOG)

    def read_records(self):
        path = self.decision_log_path()
        if not os.path.exists(path):
            return None, []
        with open(path, encoding='utf-8') as f:
            text = f.read()
        records = []
        for n, line in enumerate(text.splitlines(), 1):
            try:
                records.append(json.loads(line))
            except ValueError as e:
                raise Failure(f'{path}:{n} is not JSON ({e}): {line!r}')
        return text, records

    def expect_records(self, decisions):
        """The decision log holds exactly @decisions, in order, with the shape the scenario
        implies; none at all (no file, or an empty one) for ()."""
        s = self.s
        path = self.decision_log_path()
        if decisions:
            wait_for(f'{len(decisions)} record(s) in {path}',
                     lambda: len(self.read_records()[1]) >= len(decisions), 10)
        # A record written late (or one too many) would come right after.
        time.sleep(1)
        text, records = self.read_records()
        if text is not None:
            shutil.copy(path, os.path.join(self.artefacts, 'decisions.jsonl'))
        for r in records:
            log(f'  record: {json.dumps(r, sort_keys=True)}')
        got = tuple(r.get('decision') for r in records)
        if got != tuple(decisions):
            raise Failure(f'the decision log holds {list(got)}, expected {list(decisions)}')
        if not decisions:
            self.mark('no decision recorded')
            return
        # The folder 0700, the file 0600.
        for where, want in ((os.path.dirname(path), 0o700), (path, 0o600)):
            mode = stat.S_IMODE(os.stat(where).st_mode)
            if mode != want:
                raise Failure(f'{where} has mode {mode:04o}, expected {want:04o}')
        # Local parts are hashed by default: "ops" is nowhere in plain.
        if 'ops@' in text or '"ops"' in text or '"ops' in text:
            raise Failure(f'the local part "ops" is in plain in {path}')
        for r in records:
            if r.get('client') != 'evolution':
                raise Failure(f'record client {r.get("client")!r}, expected "evolution"')
            if r.get('sender_domain') != SENDER.split('@')[1]:
                raise Failure(f'record sender_domain {r.get("sender_domain")!r}, expected '
                              f'{SENDER.split("@")[1]}')
            if r.get('local_parts') != 'hmac':
                raise Failure(f'record local_parts {r.get("local_parts")!r}, expected "hmac"')
        last = records[-1]
        if last['decision'] == 'check-failed':
            if last.get('verdict') is not None:
                raise Failure(f'a check-failed record with verdict {last.get("verdict")!r}')
        else:
            domain, suggested = s.flagged
            flagged = [rc for rc in last.get('recipients', []) if rc.get('domain') == domain]
            if len(flagged) != 1:
                raise Failure(f'the last record has no single recipient at {domain}: '
                              f'{last.get("recipients")}')
            rc = flagged[0]
            if not str(rc.get('local', '')).startswith('hmac-sha256:'):
                raise Failure(f'recipient local part {rc.get("local")!r}, expected an HMAC')
            sugg = rc.get('suggestion') or {}
            if sugg.get('domain') != suggested:
                raise Failure(f'recipient suggestion {sugg!r}, expected domain {suggested}')
            # What became of each flagged recipient: only when the message left.  Send
            # Anyway keeps every one; Send Corrected, in these scenarios, uses the suggestion
            # unless the scenario chose otherwise.
            outcomes = s.outcomes or {domain: {'corrected': 'used-suggestion',
                                               'sent-anyway': 'kept'}.get(last['decision'])}
            got_outcomes = {rc.get('domain'): rc.get('outcome')
                            for rc in last.get('recipients', [])}
            if last['decision'] not in ('corrected', 'sent-anyway'):
                outcomes = {name: None for name in outcomes}
            for name, want in outcomes.items():
                if got_outcomes.get(name) != want:
                    raise Failure(f'the "{last["decision"]}" record gives {name} the outcome '
                                  f'{got_outcomes.get(name)!r}, expected {want!r}')
        if s.blocked:
            block = records[0]
            if block['decision'] != 'blocked' or block.get('policy_locked') is not True:
                raise Failure(f'the block record has policy_locked '
                              f'{block.get("policy_locked")!r}, expected true')
        self.mark(f'decision log: {list(got)}')

    def check_module_settings(self):
        """The module found its schema (else it checks with built-in defaults, and no policy
        applies); on dconf, it must not report another backend."""
        lines = self.evolution_output().splitlines()
        no_schema = [line.strip() for line in lines if NO_SCHEMA_LINE in line]
        if no_schema:
            raise Failure(f'the module did not find its settings: {no_schema[0]}')
        not_dconf = [line.strip() for line in lines if NOT_DCONF_LINE in line]
        if self.s.admin_policy and not_dconf:
            raise Failure(f'Evolution is not on dconf: {not_dconf[0]}')

    def press_send(self, frame, send):
        s, d, env = self.s, self.desktop, self.env
        if s.send_by == 'menu':
            self.send_from_menu(frame)
        elif s.send_by == 'ctrl-enter':
            self.send_with_ctrl_enter(frame)
        else:
            x, y = d.centre(send)
            click(env, x, y)
            self.mark(f'clicked Send at {x},{y}')

    def send_from_menu(self, frame):
        """Opens the menu bar's File menu and clicks its Send item, both at the positions AT-SPI
        reports for them."""
        d, env = self.desktop, self.env
        showing = d.Atspi.StateType.SHOWING
        bar = d.find(frame, 'menu bar')
        if bar is None:
            raise Failure('the composer has no menu bar')

        def children(acc, role, name):
            kids = (acc.get_child_at_index(i) for i in range(acc.get_child_count()))
            return [k for k in kids
                    if k is not None and k.get_role_name() == role and k.get_name() == name]

        def on_screen(acc):
            e = acc.get_extents(d.Atspi.CoordType.SCREEN)
            return d.has_state(acc, showing) and e.width > 1 and e.height > 1 and e.x >= 0

        # The bar also holds a second "File" menu, never shown (its only item is "Empty"): take
        # the one on screen.
        def menu_in_bar():
            found = [m for m in children(bar, 'menu', SEND_MENU) if on_screen(m)]
            return found[0] if len(found) == 1 else None

        menu = wait_for(f'the "{SEND_MENU}" menu in the menu bar', menu_in_bar, 5, pump=d.pump)
        x, y = d.centre(menu)
        click(env, x, y)
        opened = time.monotonic()
        self.mark(f'clicked the "{SEND_MENU}" menu at {x},{y}')

        def item_shown():
            found = [i for i in children(menu, 'menu item', SEND_MENU_ITEM) if on_screen(i)]
            return found[0] if len(found) == 1 else None

        item = wait_for(f'"{SEND_MENU_ITEM}" in the open "{SEND_MENU}" menu', item_shown, 5,
                        pump=d.pump)
        time.sleep(max(0.0, opened + MENU_RELEASE_DELAY_S - time.monotonic()))
        screenshot(env, os.path.join(self.artefacts, '1-menu.png'))
        x, y = d.centre(item)
        click(env, x, y)
        self.mark(f'clicked "{SEND_MENU} > {SEND_MENU_ITEM}" at {x},{y}')

    def send_with_ctrl_enter(self, frame):
        """Gives the composer the keyboard focus, as clicking its window would, waits until GTK
        shows it has it (the frame is "active"), and presses Ctrl+Return."""
        d, env = self.desktop, self.env
        if len(self.composer_xids) != 1:
            raise Failure(f'expected one X window named "{self.s.subject}", found '
                          f'{self.composer_xids}')
        xdotool(env, 'windowfocus', '--sync', self.composer_xids[0])
        wait_for('the composer to have the keyboard focus',
                 lambda: d.has_state(frame, d.Atspi.StateType.ACTIVE), 5, pump=d.pump)
        xdotool(env, 'key', 'ctrl+Return')
        self.mark('pressed Ctrl+Return in the composer')

    def tr(self, domain, msgid, context=None):
        """@msgid as the scenario's language shows it (itself without a language), from the
        build tree's .mo for "rcptguard" and the system's for Evolution's own; the accessible
        name of a button, without the mnemonic's underscore."""
        if self.s.language:
            localedir = self.localedir if domain == 'rcptguard' else None
            t = gettext.translation(domain, localedir, languages=[self.s.language],
                                    fallback=True)
            msgid = t.pgettext(context, msgid) if context else t.gettext(msgid)
        return msgid.replace('_', '')

    def dialog_title(self):
        return self.tr('rcptguard', DIALOG_TITLE, 'dialog title')

    def dialog_xid(self):
        """The X window of the dialog (for a screenshot of it alone), or None."""
        found = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name',
                                f'^{self.dialog_title()}$'], env=self.env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               timeout=10)
        xids = found.stdout.split()
        return xids[-1] if xids else None

    def shoot_dialog(self):
        """The dialog window alone, into the artefacts and, for a scenario that makes one of
        the README's pictures, into $RG_E2E_DOCS."""
        xid = self.dialog_xid()
        if xid is None:
            raise Failure('no X window for the dialog')
        path = os.path.join(self.artefacts, 'dialog-window.png')
        screenshot(self.env, path, xid)
        docs = self.docs_dir
        if self.s.docs and docs:
            os.makedirs(docs, exist_ok=True)
            shutil.copy(path, os.path.join(docs, self.s.docs))
            self.mark(f'dialog saved as {os.path.join(docs, self.s.docs)}')

    def shows_label(self, root, start):
        """Whether a label under @root that starts with @start is on screen (AT-SPI also
        lists the hidden ones)."""
        d = self.desktop
        return any(d.has_state(label, d.Atspi.StateType.SHOWING)
                   for label in d.find_all(root, 'label')
                   if (label.get_name() or '').startswith(start))

    def answer_dialog(self, answer, shot='2-dialog.png', sent_before=0):
        s, d, env = self.s, self.desktop, self.env
        title = self.dialog_title()

        def dialog_shown():
            calls = sendmail_calls(self.outbox)
            if len(calls) > sent_before:
                raise Failure(f'sent to {calls[-1].recipients} with no "{title}" dialog')
            self.check_alive()
            return d.window(title)

        dialog = wait_for(f'the "{title}" dialog', dialog_shown, 15, pump=d.pump)
        self.mark(f'dialog shown (role {dialog.get_role_name()})')
        # Let it draw before the screenshot.
        time.sleep(0.5)
        screenshot(env, os.path.join(self.artefacts, shot))

        buttons = {b.get_name(): b for b in d.find_all(dialog, 'push button')}
        log(f'  dialog buttons: {sorted(buttons)}')
        labels = [lbl for lbl in (l.get_name() for l in d.find_all(dialog, 'label')) if lbl]
        for text in labels:
            log(f'  dialog text: {text!r}')
        # A row's choices (a blocked row: "Use <suggestion>" or "Remove", no "keep").
        choices = {r.get_name(): r for r in d.find_all(dialog, 'radio button')}
        checked = [n for n, r in choices.items() if d.has_state(r, d.Atspi.StateType.CHECKED)]
        if choices:
            log(f'  dialog choices: {sorted(choices)}, chosen: {checked}')
        names = {b: self.tr('rcptguard', BUTTON_MSGIDS[b]) for b in DIALOG_BUTTONS}
        if s.language:
            translated = title != DIALOG_TITLE
            state = 'translated' if translated else 'no translation: English'
            log(f'  in {s.language}: title {title!r} ({state})')
            if not translated:
                raise Failure(f'no {s.language} title for "{DIALOG_TITLE}" in {self.localedir}')
            # The choices too (the screen reader's names, which the module translates).
            keep = self.tr('rcptguard', 'Keep %s', 'recipient choice') % s.first_to
            if keep not in choices:
                raise Failure(f'no choice "{keep}" in the dialog')
        if s.fault:
            expected = [DEFAULT_BUTTON] + ([ANYWAY_BUTTON] if s.on_error != 'block' else [])
        else:
            expected = [b for b in DIALOG_BUTTONS if not (s.blocked and b == ANYWAY_BUTTON)]
        missing = [names[b] for b in expected if names[b] not in buttons]
        if missing:
            raise Failure(f'the dialog lacks the buttons {missing}; it has {sorted(buttons)}')
        if s.fault:
            extra = [b for b in DIALOG_BUTTONS if b in buttons and b not in expected]
            if extra:
                raise Failure(f'the check-failed dialog (on-error {s.on_error}) offers {extra}')
            if ERROR_HEADING not in labels:
                raise Failure(f'the dialog does not say "{ERROR_HEADING}"')
            if s.on_error == 'block' and not any(ERROR_BLOCK_TEXT in text for text in labels):
                raise Failure(f'the dialog does not say "{ERROR_BLOCK_TEXT}"')
            if any('administrator' in text for text in labels):
                raise Failure('the check-failed dialog speaks of an administrator, with no lock')
            # The technical reason is behind "Details", not in the sentences.
            if d.find(dialog, 'toggle button', 'Details') is None:
                raise Failure('the check-failed dialog has no "Details"')
        if s.blocked:
            # A blocked recipient, and the administrator allows no override.
            if ANYWAY_BUTTON in buttons:
                raise Failure(f'the dialog offers "{ANYWAY_BUTTON}" for a locked block')
            if BLOCKED_HEADING not in labels:
                raise Failure(f'the dialog does not say "{BLOCKED_HEADING}"')
            if not any('administrator' in text and text != BLOCKED_HEADING for text in labels):
                raise Failure('no row says that the administrator does not allow it')
        if s.user_off and sorted(choices) != ['Remove ops@army.ml',
                                              'Use ops@army.mil instead of ops@army.ml']:
            raise Failure(f'with checking off, the blocked row alone was expected; the dialog '
                          f'offers {sorted(choices)}')
        if s.blocked and not s.empty:
            if not any('ops@army.mil' in name for name in checked):
                raise Failure(f'the suggestion ops@army.mil is not the chosen correction '
                              f'(choices {sorted(choices)}, chosen {checked})')
            if not d.has_state(buttons[CORRECTED_BUTTON], d.Atspi.StateType.SENSITIVE):
                raise Failure(f'"{CORRECTED_BUTTON}" is not usable')
        if s.empty:
            # The only choice would remove the only recipient: no way to send, and why.
            if sorted(choices) != [f'Remove {s.first_to}'] or not checked:
                raise Failure(f'expected the one choice "Remove {s.first_to}", chosen; got '
                              f'{sorted(choices)}, chosen {checked}')
            if d.has_state(buttons[CORRECTED_BUTTON], d.Atspi.StateType.SENSITIVE):
                raise Failure(f'"{CORRECTED_BUTTON}" is usable: it would send to nobody')
            if not self.shows_label(dialog, EMPTY_TEXT):
                raise Failure(f'the dialog does not say "{EMPTY_TEXT}..."')
            x, y = d.centre(buttons[CORRECTED_BUTTON])
            click(env, x, y)
            self.mark(f'clicked the insensitive "{CORRECTED_BUTTON}" at {x},{y}')
            time.sleep(1)
            d.pump()
            if d.window(title) is None:
                raise Failure(f'a click on the insensitive "{CORRECTED_BUTTON}" closed the dialog')
        is_default = d.Atspi.StateType.IS_DEFAULT
        default = names[DEFAULT_BUTTON]
        if not d.has_state(buttons[default], is_default):
            defaults = [n for n, b in buttons.items() if d.has_state(b, is_default)]
            raise Failure(f'"{default}" is not the default button (default: {defaults})')
        if not s.fault and s.flagged[1] is not None \
                and not any(s.flagged[1] in text for text in labels + list(choices)):
            raise Failure(f'the dialog does not mention the suggestion {s.flagged[1]}')
        if not s.empty and self.shows_label(dialog, EMPTY_TEXT):
            raise Failure(f'the dialog says "{EMPTY_TEXT}..." with a recipient left')
        if not s.fault and not s.language:
            # "2 of 2 recipients may be wrong", or the one recipient's line; with checking
            # off, the blocked one alone.
            n = len(s.addresses)
            rows = 1 if s.user_off else n
            count = ('The only recipient of this message may be wrong' if n == 1
                     else f'{rows} of {n} recipients may be wrong')
            if count not in labels:
                raise Failure(f'the dialog does not say "{count}"')

        for name in s.to.split(','):
            if '<' in name and name not in labels:
                raise Failure(f'no row shows the recipient as "{name}"')
        # The README's picture: the dialog as it opens (the suggestions chosen).
        if s.docs:
            self.shoot_dialog()
        for name in s.choices:
            if name not in choices:
                raise Failure(f'the dialog has no choice "{name}"; it has {sorted(choices)}')
            x, y = d.centre(choices[name])
            click(env, x, y)
            self.mark(f'clicked "{name}" at {x},{y}')
            wait_for(f'"{name}" to be chosen',
                     lambda: d.has_state(choices[name], d.Atspi.StateType.CHECKED), 5,
                     pump=d.pump)

        if answer.startswith('key:'):
            key = answer[len('key:'):]
            xdotool(env, 'key', key)
            self.mark(f'pressed {key}')
        else:
            x, y = d.centre(buttons[names[answer]])
            click(env, x, y)
            self.mark(f'clicked "{answer}" at {x},{y}')
        wait_for('the dialog to close', lambda: d.window(title) is None, 10, pump=d.pump)
        self.mark('dialog closed')

    def expect_no_dialog(self):
        """The send must go through with no dialog: watch for one until sendmail is called."""
        d = self.desktop

        def sent_or_dialog():
            if d.window(DIALOG_TITLE) is not None:
                screenshot(self.env, os.path.join(self.artefacts, '2-unexpected-dialog.png'))
                raise Failure(f'a "{DIALOG_TITLE}" dialog appeared for a clean recipient')
            return sendmail_calls(self.outbox)

        wait_for('sendmail to be called', sent_or_dialog, 20, interval=0.1, pump=d.pump)
        if d.window(DIALOG_TITLE) is not None:
            raise Failure(f'a "{DIALOG_TITLE}" dialog appeared for a clean recipient')
        self.mark('sent with no dialog')
        if self.module and PRESEND_LINE not in self.evolution_output():
            raise Failure(f'no "{PRESEND_LINE}" line in the Evolution log: the module did not '
                          'check this Send')

    def expect_nothing_sent(self, frame):
        s, d = self.s, self.desktop
        # A send started by mistake reaches sendmail within a second here; give it four.
        time.sleep(4)
        d.pump()
        calls = sendmail_calls(self.outbox)
        if calls:
            raise Failure(f'sendmail was called {len(calls)} time(s), to {calls[0].recipients}')
        self.check_alive()
        if d.window(s.subject, ('frame',)) is None:
            raise Failure('the composer closed')
        if not s.language:
            to = d.find(frame, 'text', 'To:')
            to_text = d.text(to) if to is not None else None
            log(f'  To entry: {to_text!r}')
            if to_text is None or s.first_to not in to_text or 'army.mil' in to_text:
                raise Failure(f'the To entry shows {to_text!r}, expected {s.to}')
        sent = sent_folder_messages(self.env)
        if sent:
            raise Failure(f'the Sent folder holds {len(sent)} message(s)')
        # Back to the message means the user can edit and send again.
        send = d.find(frame, 'push button', self.tr('evolution', 'Send'))
        wait_for('the Send button to be usable again',
                 lambda: d.has_state(send, d.Atspi.StateType.SENSITIVE), 5, pump=d.pump)
        screenshot(self.env, os.path.join(self.artefacts, '3-after.png'))
        self.mark('nothing sent, composer open with To unchanged')

    def expect_sent(self, sends_to):
        """One sendmail call to @sends_to (an address, or a list of them in the order of the
        To field), which is also what the To: header and the copy in Sent say."""
        s, d = self.s, self.desktop
        sends_to = [sends_to] if isinstance(sends_to, str) else list(sends_to)
        calls = wait_for('sendmail to be called', lambda: sendmail_calls(self.outbox), 20,
                         pump=d.pump)
        self.mark('sendmail called')
        # A second call would come right after the first; do not miss it.
        time.sleep(1)
        calls = sendmail_calls(self.outbox)
        shutil.copytree(self.outbox, os.path.join(self.artefacts, 'sendmail'))
        if len(calls) != 1:
            raise Failure(f'sendmail was called {len(calls)} times')
        call = calls[0]
        log(f'  sendmail argv: {call.argv}')
        log(f'  To: {call.message["To"]}')
        if call.recipients != sends_to:
            raise Failure(f'sendmail recipients {call.recipients}, expected {sends_to}')
        if call.header_addresses('To') != sends_to:
            raise Failure(f'To: header {call.message["To"]!r}, expected {sends_to}')
        if call.message['Subject'] != s.subject:
            raise Failure(f'Subject: {call.message["Subject"]!r}, expected {s.subject!r}')
        confirmed = call.message.get_all(CONFIRMED_HEADER, [])
        log(f'  {CONFIRMED_HEADER}: {confirmed}')
        if s.confirmed is None and confirmed:
            raise Failure(f'{CONFIRMED_HEADER} {confirmed} in a message sent with server-guard '
                          'off, or with nothing confirmed')
        if s.confirmed is not None and [str(v) for v in confirmed] != [s.confirmed]:
            raise Failure(f'{CONFIRMED_HEADER} {confirmed}, expected [{s.confirmed!r}]')
        everything = ' '.join(call.argv) + call.raw.decode('utf-8', 'replace')
        for typed in s.addresses:
            if typed not in sends_to and typed in everything:
                raise Failure(f'{typed} is still in the sent message or the arguments')

        wait_for('the composer to close',
                 lambda: d.window(s.subject, ('frame',)) is None, 15, pump=d.pump)
        self.mark('composer closed')

        sent = wait_for('the copy in the local Sent folder',
                        lambda: sent_folder_messages(self.env), 15)
        shutil.copy(sent[-1], os.path.join(self.artefacts, 'sent-folder-copy.eml'))
        copy = read_message(sent[-1])
        to = [a for _, a in email.utils.getaddresses(copy.get_all('To', []))]
        log(f'  Sent folder copy: To: {copy["To"]}  ({len(sent)} message(s))')
        if len(sent) != 1 or to != sends_to:
            raise Failure(f'the Sent folder holds {len(sent)} message(s), the last To: {to}')
        self.mark('copy in the Sent folder')

    def stop_session(self):
        env = self.env
        if self.evolution is not None and self.evolution.poll() is None:
            try:
                subprocess.run(['evolution', '--quit'], env=env, timeout=8,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                self.evolution.wait(timeout=5)
            except subprocess.TimeoutExpired:
                # A modal dialog left open (after a failure) holds the quit: end our process.
                log('  evolution --quit did not end Evolution; terminating it')
                self.evolution.terminate()
                try:
                    self.evolution.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    self.evolution.kill()
                    self.evolution.wait()
            self.mark('evolution ended')
        # The data-server and accessibility services leave when their bus goes away.
        for proc in (self.wm, self.bus, self.xvfb):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


# ---------------------------------------------------------------------------------------------
# Installed mode: RG_E2E_INSTALLED=1 in the environment (tests/e2e/run-installed, once the
# Debian packages are installed).  --module is then the module installed in Evolution's own
# module folder, which Evolution loads by itself: the test copies nothing into a prefix of its
# own (EDS_EXTRA_PREFIXES would load a second copy beside it, whose types clash with the
# first's), and --localedir is the installed translations, which "german" and "french" read
# through that same module.  The "error-*" scenarios need the build tree's --fault-module:
# Evolution starts in a mount namespace of its own where that file is bind-mounted over the
# installed module, so that again one copy loads (unshare: needs root, as CI is; the
# scenarios are skipped otherwise).

INSTALLED = os.environ.get('RG_E2E_INSTALLED') == '1'
INSTALLED_PATHS = {}  # 'module': the installed module (child_main)


def installed_skip_reason(scenario):
    """Why @scenario cannot run in installed mode on this machine, or None."""
    if INSTALLED and scenario.fault and (os.geteuid() != 0 or not shutil.which('unshare')):
        return ('installed mode: the fault module takes the installed module\'s place in a '
                'private mount namespace, which needs root and unshare')
    return None


def installed_session(env, root, module):
    """Installed mode: for a @module other than the installed one, puts an "evolution" first
    on the session's PATH that starts the real one with @module in the installed one's place."""
    installed = INSTALLED_PATHS['module']
    if module == installed:
        return
    bindir = os.path.join(root, 'installed-bin')
    os.makedirs(bindir)
    wrapper = os.path.join(bindir, 'evolution')
    with open(wrapper, 'w', encoding='utf-8') as f:
        f.write('#!/bin/sh\nexec unshare --mount --propagation private -- sh -c '
                + shell_quote('mount --bind "$0" "$1" && shift && exec "$@"') + ' '
                + ' '.join(shell_quote(a) for a in (module, installed,
                                                      shutil.which('evolution', path=env['PATH'])))
                + ' "$@"\n')
    os.chmod(wrapper, 0o755)
    env['PATH'] = bindir + os.pathsep + env['PATH']
    log(f'  installed mode: {module} bind-mounted over {installed} for Evolution')


# ---------------------------------------------------------------------------------------------
# The TAP runner.

def run_scenario(number, name, args):
    artefacts = os.path.join(args.artefacts, name)
    shutil.rmtree(artefacts, ignore_errors=True)
    os.makedirs(artefacts)
    root = tempfile.mkdtemp(prefix=f'rg-e2e-{name}-')
    cmd = [sys.executable, os.path.abspath(__file__), '--child', name, '--root', root,
           '--artefacts', artefacts, '--add-contact', args.add_contact]
    for option, value in (('--module', args.module), ('--schema-dir', args.schema_dir),
                          ('--admin', args.admin), ('--fault-module', args.fault_module),
                          ('--localedir', args.localedir)):
        if value:
            cmd += [option, value]
    return run_child(number, name, cmd, root, SCENARIO_TIMEOUT_S, args.keep)


def child_main(args):
    scenario = SCENARIOS[args.child]
    # The language scenarios take the module's translations from the build tree, which only
    # the test-only module reads (RCPTGUARD_LOCALEDIR); it checks as the other one does.
    module = args.fault_module if scenario.fault or scenario.language else args.module
    if INSTALLED:  # the installed module reads the installed translations
        INSTALLED_PATHS['module'] = args.module
        module = args.fault_module if scenario.fault else args.module
    child = Child(scenario, args.root, args.artefacts, module, args.add_contact,
                  args.schema_dir, args.admin, args.localedir)
    return run_in_child(child.run, args.artefacts, (Failure, subprocess.TimeoutExpired))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--add-contact', required=True, help='the rg-test-add-contact tool')
    parser.add_argument('--artefacts', required=True, help='folder for logs and screenshots')
    parser.add_argument('--module', help='module-rcptguard.so; without it, only "clean" runs, '
                        'against a plain Evolution')
    parser.add_argument('--schema-dir', help='the folder of the module\'s compiled schema '
                        '(GSETTINGS_SCHEMA_DIR); without it, the schemas installed')
    parser.add_argument('--admin', help='data/admin, the administrator\'s example: '
                        '"locked-block" deploys its dconf database')
    parser.add_argument('--fault-module', help='module-rcptguard-fault.so, the module with '
                        'fault injection, for the "error-*" scenarios and the languages')
    parser.add_argument('--localedir', help='the build tree\'s po/ (<lang>/LC_MESSAGES/'
                        'rcptguard.mo), for "german" and "french"')
    parser.add_argument('--keep', action='store_true', help='keep the throwaway session folders')
    parser.add_argument('--child', choices=SCENARIOS, help=argparse.SUPPRESS)
    parser.add_argument('--root', help=argparse.SUPPRESS)
    parser.add_argument('scenarios', nargs='*', metavar='SCENARIO',
                        help=f'scenarios to run (default: all): {", ".join(SCENARIOS)}')
    args = parser.parse_args()
    args.add_contact = os.path.abspath(args.add_contact)
    args.artefacts = os.path.abspath(args.artefacts)
    for option in ('module', 'schema_dir', 'admin', 'fault_module', 'localedir'):
        if getattr(args, option):
            setattr(args, option, os.path.abspath(getattr(args, option)))
    if args.child:
        return child_main(args)

    names = args.scenarios or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f'unknown scenarios: {unknown}')
    tools = ['evolution', 'Xvfb', 'dbus-daemon', 'xdotool', 'import']
    if any(SCENARIOS[n].window_manager for n in names):
        tools += ['matchbox-window-manager', 'xprop']
    if args.admin and any(SCENARIOS[n].admin_policy for n in names):
        tools += ['dconf', 'gsettings']
    missing = missing_tools(tools)
    if missing:
        print(f'Bail out! missing: {", ".join(missing)} (scripts/install-deps installs them)')
        return 1

    print(f'1..{len(names)}', flush=True)
    os.makedirs(args.artefacts, exist_ok=True)
    failed = 0
    for number, name in enumerate(names, 1):
        if why := installed_skip_reason(SCENARIOS[name]):
            print(f'ok {number} - {name} # SKIP {why}', flush=True)
        elif args.module is None and SCENARIOS[name].answer is not None:
            # Only by hand, against a plain Evolution: meson always passes the module.
            print(f'ok {number} - {name} # SKIP the dialog needs --module', flush=True)
        elif args.fault_module is None and SCENARIOS[name].fault:
            print(f'ok {number} - {name} # SKIP the check failure needs --fault-module',
                  flush=True)
        elif (args.fault_module is None or args.localedir is None) and SCENARIOS[name].language:
            print(f'ok {number} - {name} # SKIP the translations need --fault-module and '
                  '--localedir', flush=True)
        elif args.admin is None and SCENARIOS[name].admin_policy:
            # Likewise: meson always passes data/admin.
            print(f'ok {number} - {name} # SKIP the policy needs --admin', flush=True)
        elif not run_scenario(number, name, args):
            failed += 1
    print(f'# artefacts (screenshots, Evolution logs, what sendmail got): {args.artefacts}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
