#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Recipient Guard's settings against real dconf locks and a real evolution-data-server (TAP).

test-settings.py --case CASE --rcptguard EXE --admin DIR --schema XML [--add-contact EXE]

Run inside a throwaway session (tests/common/rg-session --dbus): dconf writes go through
dconf-service and address books through evolution-data-server, both started by D-Bus
activation on that session's bus.  GSETTINGS_SCHEMA_DIR points to the schema compiled in the
build tree.

The administrator's policy is the example in data/admin, deployed as the README says except
for where it lives: the system database named by the shipped profile ("system-db:local") is
compiled with `dconf compile` from the shipped keyfile and locks into a temporary folder, and
the profile, with that line turned into "file-db:PATH", goes to DCONF_PROFILE.  So no root is
needed, and the files an administrator copies are the files tested.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from rg_tap import Tap  # noqa: E402

SCHEMA = 'org.rcptguard.RecipientGuard'
DCONF_BACKEND = 'DConfSettingsBackend'


class Run:
    def __init__(self, argv, done):
        self.argv = argv
        self.status = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr

    def __str__(self):
        return 'command: %s\nexit status: %d\nstdout:\n%s\nstderr:\n%s' % (
            ' '.join(self.argv), self.status, self.stdout, self.stderr)

    def json_lines(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]


class Session:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.env = dict(os.environ)
        # A profile with the user's database alone: no administrator.
        self.user_profile = os.path.join(tmp, 'profile-user-only')
        with open(self.user_profile, 'w', encoding='utf-8') as f:
            f.write('user-db:user\n')
        self.admin_profile = None

    def run(self, argv, profile=None, env=None, timeout=120):
        environment = dict(self.env)
        environment['DCONF_PROFILE'] = profile or self.user_profile
        environment.update(env or {})
        for key, value in list(environment.items()):
            if value is None:
                del environment[key]
        done = subprocess.run(argv, env=environment, capture_output=True, text=True,
                              timeout=timeout)
        return Run(argv, done)

    def rcptguard(self, *argv, **kwargs):
        return self.run([self.args.rcptguard] + list(argv), **kwargs)

    def gsettings(self, *argv, **kwargs):
        return self.run(['gsettings'] + list(argv), **kwargs)

    def deploy_admin(self, unlock=()):
        """The shipped profile, its system databases compiled from the shipped keyfiles;
        without the locks of the keys in @unlock, if any."""
        shipped = os.path.join(self.args.admin, 'dconf', 'profile', 'user')
        lines = []
        n_system = 0
        with open(shipped, encoding='utf-8') as f:
            for line in f.read().splitlines():
                match = re.fullmatch(r'\s*system-db:(\S+)\s*', line)
                if match is None:
                    lines.append(line)
                    continue
                name = match.group(1)
                source = os.path.join(self.args.admin, 'dconf', 'db', name + '.d')
                if unlock:
                    copy = os.path.join(self.tmp, 'db-source', name + '.d')
                    shutil.rmtree(copy, ignore_errors=True)
                    shutil.copytree(source, copy)
                    for locks in glob.glob(os.path.join(copy, 'locks', '*')):
                        with open(locks, encoding='utf-8') as f:
                            kept = [line for line in f if line.strip().rsplit('/', 1)[-1]
                                    not in unlock]
                        with open(locks, 'w', encoding='utf-8') as f:
                            f.writelines(kept)
                    source = copy
                target = os.path.join(self.tmp, 'db', name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                subprocess.run(['dconf', 'compile', target, source], check=True)
                lines.append('file-db:' + target)
                n_system += 1
        if n_system == 0:
            raise RuntimeError(shipped + ' names no system-db')
        self.admin_profile = os.path.join(self.tmp, 'profile-admin')
        with open(self.admin_profile, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
        return self.admin_profile


def policy_keys(run):
    document = json.loads(run.stdout)
    return document, {entry['key']: entry for entry in document['keys']}


def verdicts(run):
    return [(f['address'], f['verdict'], f['suggestion']) for f in run.json_lines()]


# ---------------------------------------------------------------------------------------------

def case_locked(t, s):
    """The README's example: .ml blocked and locked for everyone."""
    admin = s.deploy_admin()

    got = s.gsettings('get', SCHEMA, 'block-domains', profile=admin)
    t.check(got.status == 0 and got.stdout.strip() == "['ml']",
            'the deployed block-domains is [\'ml\']', got)
    got = s.gsettings('writable', SCHEMA, 'block-domains', profile=admin)
    t.check(got.stdout.strip() == 'false', 'block-domains is not writable', got)
    got = s.gsettings('set', SCHEMA, 'block-domains', '[]', profile=admin)
    t.check(got.status != 0, 'gsettings set block-domains "[]" fails', got)
    got = s.gsettings('set', SCHEMA, 'allow-block-override', 'true', profile=admin)
    t.check(got.status != 0, 'gsettings set allow-block-override true fails', got)
    got = s.gsettings('get', SCHEMA, 'block-domains', profile=admin)
    t.check(got.stdout.strip() == "['ml']", 'block-domains is still [\'ml\']', got)

    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', profile=admin)
    t.check(got.status == 2, 'rcptguard check ops@army.ml exits 2', got)
    t.check(verdicts(got) == [('ops@army.ml', 'block', None)], 'its verdict is block', got)
    t.check('policy-block' in got.stdout, 'the reason is policy-block', got)
    t.check('not dconf' not in got.stderr, 'no warning about the backend', got)

    got = s.rcptguard('check', '--format', 'json', 'ops@army.mil', 'Ops <ops@army.mil>',
                      profile=admin)
    t.check(got.status == 0, 'rcptguard check ops@army.mil exits 0', got)
    t.check(all(v == 'ok' for _, v, _ in verdicts(got)) and len(verdicts(got)) == 2,
            'army.mil is not blocked', got)
    got = s.rcptguard('check', '--format', 'json', 'x@mail.gov.ml', profile=admin)
    t.check(got.status == 2, 'a subdomain of .ml is blocked too', got)

    got = s.rcptguard('policy', '--format', 'json', profile=admin)
    t.check(got.status == 0, 'rcptguard policy exits 0', got)
    document, keys = policy_keys(got)
    t.check(document['backend'] == DCONF_BACKEND and document['locks_enforced'] is True,
            'policy reports dconf and enforced locks', got)
    t.check(keys['block-domains'] == {'key': 'block-domains', 'value': ['ml'],
                                      'origin': 'admin', 'locked': True},
            'policy reports block-domains [\'ml\'], from the admin, locked', got)
    # Set to the schema's own default, but locked: the administrator's decision.
    t.check(keys['allow-block-override'] == {'key': 'allow-block-override', 'value': False,
                                             'origin': 'admin', 'locked': True},
            'policy reports allow-block-override false, from the admin, locked', got)
    t.check(keys['warn-domains']['locked'] is False
            and keys['warn-domains']['origin'] == 'default',
            'policy reports warn-domains as an unlocked default', got)
    t.check(set(keys) >= {'enabled', 'trusted-domains', 'known-domains', 'warn-domains',
                          'block-domains', 'allow-block-override', 'check-lookalikes',
                          'notice-new-domains', 'on-error', 'log-decisions',
                          'log-local-parts'},
            'policy lists every key', sorted(keys))

    got = s.rcptguard('policy', profile=admin)
    row = re.search(r'^block-domains\s+admin\s+yes\s+\[\'ml\'\]$', got.stdout, re.M)
    t.check(got.status == 0 and row is not None,
            'the text form shows block-domains, admin, locked, [\'ml\']', got)
    t.check(re.search(r'^backend: ' + DCONF_BACKEND + r' \(dconf: locks are enforced\)$',
                      got.stdout, re.M) is not None, 'the text form names the backend', got)


def case_blocks_when_off(t, s):
    """Checking turned off by the user: a block list the administrator locked still applies
    at Send (scope "blocks"); the example locks "enabled" as well, so the user cannot even turn
    it off there."""
    admin = s.deploy_admin()
    got = s.gsettings('set', SCHEMA, 'enabled', 'false', profile=admin)
    t.check(got.status != 0, 'with the shipped locks, gsettings set enabled false fails', got)
    got = s.rcptguard('policy', '--format', 'json', profile=admin)
    document, keys = policy_keys(got)
    t.check(document['scope'] == 'all' and keys['enabled']['locked'] is True,
            'policy: enabled locked, every recipient checked', got)

    admin = s.deploy_admin(unlock=('enabled',))
    got = s.gsettings('set', SCHEMA, 'enabled', 'false', profile=admin)
    t.check(got.status == 0, 'without the lock of enabled, the user turns checking off', got)
    got = s.rcptguard('policy', '--format', 'json', profile=admin)
    document, keys = policy_keys(got)
    t.check(keys['enabled']['value'] is False and document['scope'] == 'blocks',
            'policy: enabled off, scope "blocks" (the locked block list still applies)', got)
    got = s.rcptguard('policy', profile=admin)
    t.check('at Send: only the locked block-domains (enabled is off)' in got.stdout,
            'the text form says so', got)

    admin = s.deploy_admin(unlock=('enabled', 'block-domains'))
    got = s.rcptguard('policy', '--format', 'json', profile=admin)
    document, keys = policy_keys(got)
    t.check(keys['enabled']['value'] is False and document['scope'] == 'off',
            'with block-domains unlocked too, nothing is checked (scope "off")', got)


def case_user(t, s):
    """A key the administrator did not lock stays the user's."""
    admin = s.deploy_admin()

    got = s.gsettings('set', SCHEMA, 'warn-domains', "['example.org']", profile=admin)
    t.check(got.status == 0, 'gsettings set warn-domains succeeds', got)
    got = s.gsettings('set', SCHEMA, 'known-domains', "['bundeswehr.org']", profile=admin)
    t.check(got.status == 0, 'gsettings set known-domains succeeds', got)

    got = s.rcptguard('policy', '--format', 'json', profile=admin)
    _, keys = policy_keys(got)
    t.check(keys['warn-domains'] == {'key': 'warn-domains', 'value': ['example.org'],
                                     'origin': 'user', 'locked': False},
            'policy reports warn-domains from the user, unlocked', got)
    t.check(keys['block-domains']['origin'] == 'admin', 'block-domains is still the admin\'s',
            got)

    got = s.rcptguard('check', '--format', 'json', 'hr@sub.example.org', profile=admin)
    t.check(got.status == 1 and verdicts(got)[0][1] == 'warn' and 'policy-warn' in got.stdout,
            'a warned domain (and its subdomains) warns', got)
    got = s.rcptguard('check', '--format', 'json', 'a@bundeswher.org', 'b@bundeswehr.org',
                      profile=admin)
    t.check(got.status == 1 and verdicts(got) == [
        ('a@bundeswher.org', 'warn', 'a@bundeswehr.org'),
        ('b@bundeswehr.org', 'ok', None)],
        'a known domain from the settings is suggested, and is itself ok', got)
    got = s.rcptguard('check', '--no-settings', '--format', 'json', 'ops@army.ml',
                      'hr@example.org', profile=admin)
    t.check(got.status == 0 and got.stderr == '',
            '--no-settings reads no settings and says nothing', got)

    got = s.gsettings('set', SCHEMA, 'trusted-domains', "['bad..domain', 'army.mil']",
                      profile=admin)
    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', profile=admin)
    # army.mil, trusted, counts as known: the blocked recipient gets a suggestion.
    refusal = 'trusted-domains: “bad..domain” is not a domain such as example.com.'
    t.check(got.status == 65 and refusal in got.stderr
            and verdicts(got) == [('ops@army.ml', 'block', 'ops@army.mil')],
            'an entry that is not a domain is named and skipped, the rest applies', got)
    got = s.rcptguard('policy', profile=admin)
    t.check(got.status == 65 and refusal in got.stderr,
            'policy names it too, with exit status 65', got)


def case_stale_user_value(t, s):
    """A user's value from before the lock does not count once the key is locked."""
    got = s.gsettings('set', SCHEMA, 'block-domains', "['example.net']")
    t.check(got.status == 0, 'before the lock, the user sets block-domains', got)
    admin = s.deploy_admin()
    got = s.gsettings('get', SCHEMA, 'block-domains', profile=admin)
    t.check(got.stdout.strip() == "['ml']", 'after the lock, the admin\'s value is read', got)
    got = s.rcptguard('policy', '--format', 'json', profile=admin)
    _, keys = policy_keys(got)
    t.check(keys['block-domains']['origin'] == 'admin'
            and keys['block-domains']['value'] == ['ml'],
            'policy reports the admin, not the stale user value', got)
    got = s.rcptguard('check', '--format', 'json', 'a@example.net', 'ops@army.ml',
                      profile=admin)
    t.check([v for _, v, _ in verdicts(got)] == ['ok', 'block'],
            'the check follows the admin\'s value', got)


def case_lock_loss(t, s):
    """Without the dconf GIO module GLib falls back to another backend without a word: the
    locks and the administrator's values are gone.  The command must say so."""
    admin = s.deploy_admin()
    empty = os.path.join(s.tmp, 'no-gio-modules')
    os.makedirs(empty)
    no_dconf = {'GIO_MODULE_DIR': empty, 'GSETTINGS_BACKEND': None}

    got = s.rcptguard('policy', '--format', 'json', profile=admin, env=no_dconf)
    document, keys = policy_keys(got)
    t.check(got.status == 0 and document['backend'] != DCONF_BACKEND
            and document['locks_enforced'] is False,
            'policy reports a backend other than dconf, locks not enforced', got)
    t.check('not dconf' in got.stderr and 'locks are not enforced' in got.stderr,
            'policy says on stderr that locks are not enforced', got)
    t.check(keys['block-domains']['locked'] is False and keys['block-domains']['value'] == [],
            'the lock and the admin\'s value are indeed gone', got)
    got = s.rcptguard('policy', profile=admin, env=no_dconf)
    t.check('locks are NOT enforced' in got.stdout, 'the text form says so as well', got)

    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', profile=admin, env=no_dconf)
    t.check('not dconf' in got.stderr and 'locks are not enforced' in got.stderr,
            'check warns on stderr', got)
    t.check(verdicts(got) == [('ops@army.ml', 'ok', None)],
            'and the block does not apply (which is why it warns)', got)
    got = s.rcptguard('check', '--no-settings', '--format', 'json', 'ops@army.ml',
                      profile=admin, env=no_dconf)
    t.check(got.stderr == '', 'with --no-settings there is nothing to warn about', got)


def case_vendor_override(t, s):
    """A vendor override changes the defaults: reported as "default", unlocked."""
    schemas = os.path.join(s.tmp, 'schemas')
    os.makedirs(schemas)
    shutil.copy(s.args.schema, schemas)
    shutil.copy(s.args.override, schemas)
    subprocess.run(['glib-compile-schemas', '--strict', schemas], check=True)
    env = {'GSETTINGS_SCHEMA_DIR': schemas}

    got = s.rcptguard('policy', '--format', 'json', env=env)
    _, keys = policy_keys(got)
    t.check(keys['warn-domains'] == {'key': 'warn-domains', 'value': ['ml'],
                                     'origin': 'default', 'locked': False},
            'warn-domains [\'ml\'] from the override, a default, unlocked', got)
    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', env=env)
    t.check(got.status == 1 and 'policy-warn' in got.stdout, 'ops@army.ml now asks', got)
    got = s.gsettings('set', SCHEMA, 'warn-domains', '[]', env=env)
    t.check(got.status == 0, 'the user can change it', got)
    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', env=env)
    t.check(got.status == 0, 'and then ops@army.ml no longer asks', got)


def case_no_schema(t, s):
    """Without the schema the check goes on with the built-in defaults and says so once."""
    env = {'GSETTINGS_SCHEMA_DIR': None, 'XDG_DATA_DIRS': schemas_without_ours(s.tmp)}

    got = s.rcptguard('check', '--known-domain', 'army.mil', '--format', 'json', 'ops@army.ml',
                      env=env)
    lines = [l for l in got.stderr.splitlines() if 'schema' in l]
    t.check(len(lines) == 1 and SCHEMA in lines[0] and 'not installed' in lines[0],
            'check says in one line that the schema is not installed', got)
    t.check(got.status == 1 and verdicts(got) == [('ops@army.ml', 'warn', 'ops@army.mil')],
            'and checks with the built-in defaults', got)
    got = s.rcptguard('policy', env=env)
    t.check(got.status == 70 and SCHEMA in got.stderr and got.stdout == '',
            'policy exits 70 naming the schema', got)


def schemas_without_ours(tmp):
    """A data folder with every installed schema but ours (evolution-data-server's client
    library needs its own), for XDG_DATA_DIRS: so that a copy of ours installed on this machine
    (by scripts/demo, say) cannot hide that it is missing."""
    data = os.path.join(tmp, 'share-without-rcptguard')
    target = os.path.join(data, 'glib-2.0', 'schemas')
    os.makedirs(target)
    dirs = os.environ.get('XDG_DATA_DIRS') or '/usr/local/share:/usr/share'
    for folder in reversed(dirs.split(':')):
        source = os.path.join(folder, 'glib-2.0', 'schemas')
        if not os.path.isdir(source):
            continue
        for name in os.listdir(source):
            if 'rcptguard' in name.lower():
                continue
            if name.endswith(('.gschema.xml', '.enums.xml')):
                shutil.copy(os.path.join(source, name), target)
    subprocess.run(['glib-compile-schemas', target], check=True, capture_output=True)
    return data


def case_address_book(t, s):
    """The same known domains as Evolution: a real address book with a contact at army.mil."""
    # evolution-data-server reads this before any backend starts: no waiting for a network
    # monitor that a container does not have.
    got = s.run(['dconf', 'write', '/org/gnome/evolution-data-server/network-monitor-gio-name',
                 "'always-online'"])
    t.check(got.status == 0, 'dconf write works in this session', got)
    got = s.run([s.args.add_contact, 'Ops Desk', 'ops.desk@army.mil'], timeout=180)
    t.check(got.status == 0, 'a contact at army.mil is stored in the address book', got)

    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', timeout=180)
    t.check(got.status == 1 and verdicts(got) == [('ops@army.ml', 'warn', 'ops@army.mil')],
            'ops@army.ml warns and suggests ops@army.mil', got)
    t.check('address books' not in got.stderr and 'not dconf' not in got.stderr,
            'nothing is said on stderr', got)
    got = s.rcptguard('check', '--no-settings', '--format', 'json', 'ops@army.ml')
    t.check(got.status == 0, 'with --no-settings the address book is not read', got)


def case_no_session_bus(t, s):
    """No session bus: one line says the address books were not read, and the check goes on."""
    env = {'DBUS_SESSION_BUS_ADDRESS': 'unix:path=' + os.path.join(s.tmp, 'no-bus'),
           'DISPLAY': None}
    got = s.rcptguard('check', '--known-domain', 'army.mil', '--format', 'json',
                      'ops@army.ml', env=env)
    t.check(len(got.stderr.splitlines()) == 1 and 'address books' in got.stderr
            and 'not read' in got.stderr, 'one line says the address books were not read', got)
    t.check(got.status == 1 and verdicts(got) == [('ops@army.ml', 'warn', 'ops@army.mil')],
            'and the check goes on', got)


def load_entries(path):
    """The rows of tests/data/domain-entries.tsv: (kind, entry, status name)."""
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f.read().splitlines():
            if not line or line.startswith('#'):
                continue
            kind, entry, status = line.split('\t')
            if entry == '(empty)':
                entry = ''
            entry = re.sub(r'\{(.+?)\*(\d+)\}', lambda m: m.group(1) * int(m.group(2)), entry)
            entry = re.sub(r'\\u([0-9A-Fa-f]{4})', lambda m: chr(int(m.group(1), 16)), entry)
            rows.append((kind, entry, status))
    return rows


def gvariant_strv(entries):
    """A list of strings in GVariant's text form (which takes JSON's string escapes)."""
    return '[' + ', '.join(json.dumps(entry) for entry in entries) + ']'


def refusal_line(key, entry):
    """What rcptguard says on stderr of an entry it leaves out: rg_settings_validate_domain ()'s
    sentence, in English here."""
    if entry == '':
        return 'rcptguard: policy: %s: Enter a domain such as example.com.' % key
    return 'rcptguard: policy: %s: “%s” ' % (key, entry)


def case_lists(t, s):
    """Every list refuses what is not a domain: policy exits 65 naming each entry with the
    sentence Preferences shows, and still prints the policy."""
    lists = {'trusted-domains': 'army.mil', 'warn-domains': 'example.org',
             'block-domains': 'ml', 'known-domains': 'bundeswehr.org'}
    for key, good in lists.items():
        got = s.gsettings('set', SCHEMA, key, gvariant_strv(['foo bar', good, 'not a domain!']))
        t.check(got.status == 0, 'gsettings stores %s with two entries that are not domains'
                % key, got)
    got = s.rcptguard('policy')
    lines = got.stderr.splitlines()
    expected = []
    for key in ('trusted-domains', 'warn-domains', 'block-domains', 'known-domains'):
        for entry in ('foo bar', 'not a domain!'):
            expected.append('rcptguard: policy: %s: “%s” is not a domain such as example.com.'
                            % (key, entry))
    t.check(got.status == 65 and [l for l in lines if 'not a domain such' in l] == expected,
            'policy exits 65 naming each entry of each list with the same sentence', got)
    t.check(re.search(r"^warn-domains\s+user\s+no\s+\['foo bar', 'example.org', "
                      r"'not a domain!'\]$", got.stdout, re.M) is not None,
            'and still prints the policy, the entries as stored', got)
    got = s.rcptguard('policy', '--format', 'json')
    _, keys = policy_keys(got)
    t.check(got.status == 65 and keys['block-domains']['value'] == ['foo bar', 'ml',
                                                                   'not a domain!'],
            'the JSON form too', got)
    got = s.rcptguard('check', '--format', 'json', 'ops@army.ml', 'hr@example.org')
    t.check(got.status == 65 and [v for _, v, _ in verdicts(got)] == ['block', 'warn'],
            'check names them too (65) and applies the entries that are domains', got)

    # Every row of the table: 65 exactly for the entries the core refuses.
    wrong = []
    for kind, entry, status in load_entries(s.args.entries):
        key = 'known-domains' if kind == 'known' else 'warn-domains'
        for other in lists:
            s.gsettings('reset', SCHEMA, other)
        got = s.gsettings('set', SCHEMA, key, gvariant_strv([entry]))
        if got.status != 0:
            wrong.append('gsettings could not store %r: %s' % (entry, got.stderr))
            continue
        got = s.rcptguard('policy', '--format', 'json')
        named = refusal_line(key, entry) in got.stderr
        if status == 'RG_OK' and (got.status != 0 or got.stderr != ''):
            wrong.append('%s %r: taken by the core, but: %s' % (key, entry, got))
        elif status != 'RG_OK' and (got.status != 65 or not named):
            wrong.append('%s %r: refused by the core (%s), but: %s' % (key, entry, status, got))
    t.check(wrong == [], 'policy exits 65 for every entry the core refuses, 0 for the others',
            '\n'.join(wrong))


CASES = {
    'lists': case_lists,
    'locked': case_locked,
    'user': case_user,
    'stale-user-value': case_stale_user_value,
    'lock-loss': case_lock_loss,
    'vendor-override': case_vendor_override,
    'blocks-when-off': case_blocks_when_off,
    'no-schema': case_no_schema,
    'address-book': case_address_book,
    'no-session-bus': case_no_session_bus,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--case', required=True, choices=sorted(CASES))
    parser.add_argument('--rcptguard', required=True)
    parser.add_argument('--admin', required=True, help='data/admin')
    parser.add_argument('--override', required=True,
                        help='the generated 90_rcptguard.gschema.override')
    parser.add_argument('--schema', required=True, help='the .gschema.xml')
    parser.add_argument('--add-contact')
    parser.add_argument('--entries', help='tests/data/domain-entries.tsv')
    args = parser.parse_args()

    for variable in ('DBUS_SESSION_BUS_ADDRESS', 'GSETTINGS_SCHEMA_DIR'):
        if variable not in os.environ:
            print('Bail out! %s is not set: run under rg-session --dbus from meson test'
                  % variable)
            return 1
    for program in ('dconf', 'gsettings'):
        if shutil.which(program) is None:
            print('Bail out! %s is not installed (dconf-cli, libglib2.0-bin)' % program)
            return 1

    t = Tap()
    with tempfile.TemporaryDirectory(prefix='rg-settings.') as tmp:
        try:
            CASES[args.case](t, Session(args, tmp))
        except Exception as e:  # a crash of the harness is a failure, with its reason
            t.check(False, 'the case ran to its end', repr(e))
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
