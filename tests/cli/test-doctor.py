#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`rcptguard doctor` on a throwaway desktop, whole and then broken one part at a time (TAP).

test-doctor.py --rcptguard EXE --rcptguard-l10n EXE --host EXE --manifest FILE
               --module module-rcptguard.so --xpi FILE

Run inside tests/common/rg-session --dbus (a throwaway HOME, a session bus on which dconf and
evolution-data-server are started by D-Bus activation) with GSETTINGS_SCHEMA_DIR pointing to
the schema compiled in the build tree.  The desktop is made of this build's real parts:

- the administrator's dconf database, compiled by `dconf compile` with real locks
  (block-domains locked to ['ml']), named by DCONF_PROFILE;
- the native host's manifest (the build's, its "path" pointed at the build's
  rcptguard-native-host) in HOME/.mozilla/native-messaging-hosts, where Thunderbird looks
  first; the system folder is a folder of the test's (RCPTGUARD_DOCTOR_HOSTS_DIRS), so that a
  manifest installed on this machine plays no part;
- the build's module-rcptguard.so (its folder in RCPTGUARD_DOCTOR_MODULE_DIR), loaded for
  real;
- a policies.json that force-installs the build's .xpi (RCPTGUARD_DOCTOR_POLICIES).

All of it whole: exit 0, every check ok.  Then each part is broken alone, and the exit
status, the check's status and the path or fix it names are asserted; --format json must say
the same as the text, and be byte for byte the same in German and French, whose text is
translated (EXE-l10n reads the build tree's translations).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
import rg_dconf  # noqa: E402
from rg_tap import Tap  # noqa: E402

IDS = ['schema', 'backend', 'checking', 'locks', 'lists', 'clients', 'evolution-module',
       'native-host', 'thunderbird-policies', 'decision-log', 'address-books']
TEXT_STATUS = {'ok': 'ok', 'warn': 'WARN', 'fail': 'FAIL', 'skip': 'skip'}
OVERALL = {0: 'ok', 1: 'degraded', 2: 'off'}
# The add-on waits 5 s for an answer, and so does the doctor; a hung host must not keep it
# much longer (the reaping is immediate).
HOST_BUDGET_S = 5
HUNG_BOUND_S = HOST_BUDGET_S + 4
ADDON = 'rcptguard@rcptguard.org'


class Run:
    def __init__(self, argv, env, done, elapsed):
        self.argv = argv
        self.env = env
        self.status = done.returncode
        self.stdout = done.stdout.decode('utf-8')
        self.stderr = done.stderr.decode('utf-8')
        self.elapsed = elapsed

    def lines(self):
        """id -> (status word, message, fix or None), from the text output."""
        result = {}
        lines = self.stdout.splitlines()
        for i, line in enumerate(lines):
            match = re.match(r'^(\S+)\s+(\S+)\s+(.*)$', line)
            if match is None or match.group(2) not in IDS:
                continue
            fix = None
            if i + 1 < len(lines) and lines[i + 1].startswith(' '):
                fix = lines[i + 1].strip()
            result[match.group(2)] = (match.group(1), match.group(3), fix)
        return result

    def json(self):
        return json.loads(self.stdout)

    def __str__(self):
        return ('rcptguard %s\nenvironment: %s\nexit status: %d (%.2f s)\nstdout:\n%s\nstderr:\n%s'
                % (' '.join(self.argv), self.env, self.status, self.elapsed, self.stdout,
                   self.stderr))


class Desktop:
    """The parts, whole; each case breaks one in a copy of the environment."""

    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        home = os.environ['HOME']
        self.user_hosts = os.path.join(home, '.mozilla', 'native-messaging-hosts')
        self.system_hosts = os.path.join(tmp, 'system-hosts')
        os.makedirs(self.user_hosts, exist_ok=True)
        os.makedirs(self.system_hosts, exist_ok=True)
        self.manifest = os.path.join(self.user_hosts, 'org.rcptguard.host.json')
        self.write_manifest(self.manifest, args.host)
        self.policies = os.path.join(tmp, 'policies.json')
        self.write_policies(self.policies, 'file://' + args.xpi)
        self.profile = rg_dconf.compile_profile(
            tmp, 'admin', {'block-domains': "['ml']", 'allow-block-override': 'false'},
            ['block-domains', 'allow-block-override'])
        self.state = os.environ.get('XDG_STATE_HOME', os.path.join(home, '.local', 'state'))
        self.log_folder = os.path.join(self.state, 'rcptguard')
        self.log_file = os.path.join(self.log_folder, 'decisions.jsonl')
        self.env = {
            'DCONF_PROFILE': self.profile,
            'RCPTGUARD_DOCTOR_MODULE_DIR': args.module_dir,
            'RCPTGUARD_DOCTOR_HOSTS_DIRS': self.user_hosts + ':' + self.system_hosts,
            'RCPTGUARD_DOCTOR_POLICIES': self.policies,
        }

    def write_manifest(self, path, host, **changes):
        """The build's manifest, naming @host, with @changes to its members (None: left out)."""
        with open(self.args.manifest, encoding='utf-8') as f:
            manifest = json.load(f)
        manifest['path'] = host
        for key, value in changes.items():
            if value is None:
                manifest.pop(key, None)
            else:
                manifest[key] = value
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(manifest, f)

    def write_policies(self, path, install_url, extra=None):
        policies = {'ExtensionSettings': {ADDON: {'installation_mode': 'force_installed',
                                                  'install_url': install_url}}}
        if extra:
            policies.update(extra)
        with open(path, 'w', encoding='utf-8') as f:
            json.dump({'policies': policies}, f)

    def script(self, name, body):
        path = os.path.join(self.tmp, name)
        with open(path, 'w', encoding='utf-8') as f:
            f.write('#!/bin/sh\n' + body + '\n')
        os.chmod(path, 0o755)
        return path

    def run(self, *argv, env=None, exe=None, language=None, timeout=60):
        environment = dict(os.environ)
        environment.update(self.env)
        environment['G_DEBUG'] = 'fatal-warnings'
        if language is not None:
            for name in ('LC_ALL', 'LC_MESSAGES'):
                environment.pop(name, None)
            environment.update({'LANG': 'C.UTF-8', 'LANGUAGE': language})
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        command = [exe or self.args.rcptguard] + list(argv)
        start = time.monotonic()
        done = subprocess.run(command, capture_output=True, env=environment, timeout=timeout)
        return Run(list(argv), env, done, time.monotonic() - start)


def check_consistent(t, desktop, what, text, env=None):
    """The JSON of the same desktop says what the text said, in its fixed words."""
    got = desktop.run('doctor', '--format', 'json', env=env)
    try:
        report = got.json()
    except ValueError as e:
        t.check(False, '%s: --format json parses' % what, got, e)
        return None
    lines = text.lines()
    statuses = [c['status'] for c in report['checks']]
    t.check(got.status == text.status and report['status'] == OVERALL.get(text.status)
            and [c['id'] for c in report['checks']] == IDS
            and all(TEXT_STATUS[c['status']] == lines.get(c['id'], ('?',))[0]
                    for c in report['checks'])
            and all((c['fix'] is None) == (lines[c['id']][2] is None)
                    for c in report['checks'])
            and got.stdout.count('\n') == 1 and got.stderr == '',
            '%s: --format json has the same statuses and fixes (%s)' % (what, ','.join(statuses)),
            got, text)
    return report


def expect(t, desktop, what, status, checks, env=None, contains=(), fix_contains=(),
           exe=None):
    """Runs the doctor; @checks: id -> expected status word of JSON; the others must be ok."""
    got = desktop.run('doctor', env=env, exe=exe)
    lines = got.lines()
    wanted = {i: 'ok' for i in IDS}
    wanted.update(checks)
    seen = {i: lines.get(i, ('missing',))[0] for i in IDS}
    t.check(got.status == status and seen == {i: TEXT_STATUS[s] for i, s in wanted.items()}
            and got.stderr == '',
            '%s: exit %d, %s' % (what, status,
                                 ', '.join('%s %s' % (i, s) for i, s in checks.items())
                                 or 'every check ok'),
            got)
    for check_id, text in contains:
        message = lines.get(check_id, ('', '', None))[1]
        t.check(text in message, '%s: %s names %s' % (what, check_id, text), got)
    for check_id, text in fix_contains:
        fix = lines.get(check_id, ('', '', None))[2] or ''
        t.check(text in fix, '%s: the fix of %s says %s' % (what, check_id, text), got)
    return got


def without_our_schema(tmp):
    """A data folder whose glib-2.0/schemas holds the system's schemas but ours, compiled."""
    data = os.path.join(tmp, 'data-without-schema')
    schemas = os.path.join(data, 'glib-2.0', 'schemas')
    os.makedirs(schemas)
    dirs = os.environ.get('XDG_DATA_DIRS') or '/usr/local/share:/usr/share'
    for folder in reversed(dirs.split(':')):
        source = os.path.join(folder, 'glib-2.0', 'schemas')
        if not os.path.isdir(source):
            continue
        for name in os.listdir(source):
            if name.startswith('org.rcptguard.') or not name.endswith(('.xml', '.override')):
                continue
            shutil.copy(os.path.join(source, name), schemas)
    subprocess.run(['glib-compile-schemas', schemas], check=True)
    return data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rcptguard', required=True)
    parser.add_argument('--rcptguard-l10n', required=True)
    parser.add_argument('--host', required=True)
    parser.add_argument('--manifest', required=True)
    parser.add_argument('--module', required=True)
    parser.add_argument('--xpi', required=True)
    args = parser.parse_args()
    # meson passes the build's files relative to the build folder; a manifest's path, and
    # what the doctor is told, must be absolute.
    for name in ('rcptguard', 'rcptguard_l10n', 'host', 'manifest', 'module', 'xpi'):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    args.module_dir = os.path.dirname(args.module)

    print('TAP version 13', flush=True)
    if 'GSETTINGS_SCHEMA_DIR' not in os.environ:
        print('Bail out! GSETTINGS_SCHEMA_DIR is not set: run from meson test')
        return 1
    if shutil.which('dconf') is None:
        print('Bail out! dconf is not installed (dconf-cli)')
        return 1
    if 'DBUS_SESSION_BUS_ADDRESS' not in os.environ:
        print('Bail out! no session bus: run inside tests/common/rg-session --dbus')
        return 1

    t = Tap()
    with tempfile.TemporaryDirectory(prefix='rg-doctor.') as tmp:
        d = Desktop(args, tmp)

        # Everything installed: all is well.
        whole = expect(t, d, 'whole', 0, {},
                       contains=[('native-host', d.manifest), ('native-host', args.host),
                                 ('evolution-module', args.module_dir),
                                 ('thunderbird-policies', args.xpi),
                                 ('locks', 'block-domains')])
        t.check(whole.stdout.endswith('\nRecipient Guard protects this desktop.\n'),
                'whole: the last line says the desktop is protected', whole)
        report = check_consistent(t, d, 'whole', whole)
        if report is not None:
            checks = {c['id']: c for c in report['checks']}
            t.check(checks['locks'].get('dconf') == ['allow-block-override', 'block-domains']
                    and checks['native-host'].get('path') == d.manifest
                    and checks['native-host'].get('host') == args.host
                    and checks['evolution-module'].get('path')
                    == os.path.join(args.module_dir, 'module-rcptguard.so')
                    and checks['checking'].get('evolution') == 'all',
                    'whole: the JSON names the locks, the manifest, the host and the module',
                    json.dumps(report, indent=1))
        t.check(not os.path.exists(d.log_file),
                'the doctor adds no record to the decision log', d.log_file)

        # The native host's manifest removed: Thunderbird cannot start the checker.
        os.rename(d.manifest, d.manifest + '.away')
        got = expect(t, d, 'manifest removed', 2, {'native-host': 'fail'},
                     contains=[('native-host', d.manifest),
                               ('native-host',
                                os.path.join(d.system_hosts, 'org.rcptguard.host.json'))],
                     fix_contains=[('native-host', d.system_hosts)])
        check_consistent(t, d, 'manifest removed', got)
        # ... then installed system-wide only: found there.
        d.write_manifest(os.path.join(d.system_hosts, 'org.rcptguard.host.json'), args.host)
        expect(t, d, 'manifest in the system folder only', 0, {},
               contains=[('native-host', d.system_hosts)])
        os.rename(d.manifest + '.away', d.manifest)

        # A user's manifest Thunderbird skips (no allowed_extensions), the system's works.
        d.write_manifest(d.manifest, args.host, allowed_extensions=None)
        expect(t, d, 'a skipped user manifest before a good one', 1, {'native-host': 'warn'},
               contains=[('native-host', 'allowed_extensions')])
        os.unlink(os.path.join(d.system_hosts, 'org.rcptguard.host.json'))
        expect(t, d, 'only a manifest Thunderbird skips', 2, {'native-host': 'fail'},
               contains=[('native-host', 'allowed_extensions')])

        # A manifest naming a host that is not there.
        missing = os.path.join(tmp, 'no-such-host')
        d.write_manifest(d.manifest, missing)
        expect(t, d, 'manifest naming a missing host', 2, {'native-host': 'fail'},
               contains=[('native-host', missing)])

        # Hosts that do not answer: one that echoes (cat reads back the request, which is no
        # answer), one that hangs, one that dies.
        # (cat as the host prints the manifest, its first argument, as Thunderbird would see.)
        for name, host, words, bound in (
                ('cat', shutil.which('cat'), 'not a native message', HUNG_BOUND_S),
                ('an echo', d.script('echoes', 'exec cat'), 'not an answer to a check',
                 HUNG_BOUND_S),
                ('a sleeping host', d.script('sleeps', 'exec sleep 120'),
                 'did not answer a check within %d s' % HOST_BUDGET_S, HUNG_BOUND_S),
                ('a host that exits', d.script('exits', 'exit 3'), 'exit status 3',
                 HUNG_BOUND_S)):
            d.write_manifest(d.manifest, host)
            got = expect(t, d, 'host is %s' % name, 2, {'native-host': 'fail'},
                         contains=[('native-host', words)])
            print('# host is %s: the doctor took %.2f s' % (name, got.elapsed), flush=True)
            t.check(got.elapsed < bound, 'host is %s: the doctor ends within %d s'
                    % (name, bound), got)
        d.write_manifest(d.manifest, args.host)

        # policies.json installing the add-on from a file that is not there.
        gone = os.path.join(tmp, 'gone', ADDON + '.xpi')
        d.write_policies(d.policies, 'file://' + gone)
        got = expect(t, d, 'policies.json names a missing .xpi', 2,
                     {'thunderbird-policies': 'fail'},
                     contains=[('thunderbird-policies', gone),
                               ('thunderbird-policies', d.policies)],
                     fix_contains=[('thunderbird-policies', gone)])
        check_consistent(t, d, 'missing .xpi', got)
        # ... blocking the add-on.
        with open(d.policies, 'w', encoding='utf-8') as f:
            json.dump({'policies': {'ExtensionSettings': {ADDON: {
                'installation_mode': 'blocked'}}}}, f)
        expect(t, d, 'policies.json blocks the add-on', 2, {'thunderbird-policies': 'fail'},
               contains=[('thunderbird-policies', 'blocked')])
        # ... in a file Thunderbird does not read while the first one exists.
        first = os.path.join(tmp, 'etc-policies.json')
        with open(first, 'w', encoding='utf-8') as f:
            json.dump({'policies': {'DisableTelemetry': True}}, f)
        d.write_policies(d.policies, 'file://' + args.xpi)
        expect(t, d, 'the add-on in an ignored policies.json', 1,
               {'thunderbird-policies': 'warn'},
               env={'RCPTGUARD_DOCTOR_POLICIES': first + ':' + d.policies},
               contains=[('thunderbird-policies', first)])
        # ... and Thunderbird reads the second when the first is not there.
        expect(t, d, 'the first policies.json absent', 0, {},
               env={'RCPTGUARD_DOCTOR_POLICIES': os.path.join(tmp, 'none.json') + ':'
                    + d.policies},
               contains=[('thunderbird-policies', d.policies)])
        # ... locks in policies.json, one of them no setting at all.
        d.write_policies(d.policies, 'file://' + args.xpi,
                         {'3rdparty': {'Extensions': {ADDON: {
                             'warn-domains': ['example.org', 'not a domain'],
                             'warn-domains:locked': True, 'bogus:locked': True}}}})
        expect(t, d, 'policies.json locks an unknown key and lists a bad entry', 1,
               {'locks': 'warn', 'lists': 'warn'},
               contains=[('locks', 'bogus'), ('locks', 'warn-domains'),
                         ('lists', "'not a domain'")])
        d.write_policies(d.policies, 'file://' + args.xpi)

        # The decision log's modes.
        os.makedirs(d.log_folder, mode=0o700, exist_ok=True)
        with open(d.log_file, 'w', encoding='utf-8'):
            pass
        os.chmod(d.log_file, 0o600)
        expect(t, d, 'log 0700/0600', 0, {}, contains=[('decision-log', d.log_file)])
        os.chmod(d.log_folder, 0o755)
        expect(t, d, 'log folder 0755', 1, {'decision-log': 'warn'},
               contains=[('decision-log', d.log_folder)],
               fix_contains=[('decision-log', 'chmod 700 ' + d.log_folder)])
        os.chmod(d.log_folder, 0o700)
        os.chmod(d.log_file, 0o644)
        got = expect(t, d, 'log file 0644', 1, {'decision-log': 'warn'},
                     contains=[('decision-log', d.log_file)],
                     fix_contains=[('decision-log', 'chmod 600 ' + d.log_file)])
        check_consistent(t, d, 'log file 0644', got)
        os.unlink(d.log_file)
        os.symlink('/dev/null', d.log_file)
        expect(t, d, 'log file is a symbolic link', 1, {'decision-log': 'warn'},
               contains=[('decision-log', 'symbolic link')])
        os.unlink(d.log_file)
        os.rmdir(d.log_folder)
        profile = rg_dconf.compile_profile(tmp, 'log-off', {'log-decisions': 'false'})
        expect(t, d, 'log-decisions off', 1, {'decision-log': 'warn'},
               env={'DCONF_PROFILE': profile},
               fix_contains=[('decision-log', 'log-decisions true')])
        profile = rg_dconf.compile_profile(tmp, 'log-off-locked', {'log-decisions': 'false'},
                                           ['log-decisions'])
        expect(t, d, 'log-decisions locked off by the administrator', 0, {},
               env={'DCONF_PROFILE': profile})

        # GSettings not on dconf: the locks are not enforced.
        got = expect(t, d, 'memory backend', 1, {'backend': 'warn'},
                     env={'GSETTINGS_BACKEND': 'memory'},
                     contains=[('backend', 'GMemorySettingsBackend')],
                     fix_contains=[('backend', 'GSETTINGS_BACKEND=memory')])
        check_consistent(t, d, 'memory backend', got, env={'GSETTINGS_BACKEND': 'memory'})

        # Checking turned off.
        profile = rg_dconf.compile_profile(tmp, 'off', {'enabled': 'false'})
        expect(t, d, 'enabled off, no locked block list', 2, {'checking': 'fail'},
               env={'DCONF_PROFILE': profile},
               fix_contains=[('checking', 'enabled true')])
        profile = rg_dconf.compile_profile(tmp, 'off-blocks',
                                           {'enabled': 'false', 'block-domains': "['ml']"},
                                           ['block-domains'])
        got = expect(t, d, 'enabled off, block-domains locked', 1, {'checking': 'warn'},
                     env={'DCONF_PROFILE': profile},
                     contains=[('checking', 'blocked domains')])
        report = check_consistent(t, d, 'enabled off, blocks locked', got,
                                  env={'DCONF_PROFILE': profile})
        if report is not None:
            t.check(report['checks'][2].get('evolution') == 'blocks',
                    'enabled off, blocks locked: the scope is "blocks"', report['checks'][2])
        profile = rg_dconf.compile_profile(tmp, 'off-locked', {'enabled': 'false'},
                                           ['enabled'])
        expect(t, d, 'enabled locked off by the administrator', 2, {'checking': 'fail'},
               env={'DCONF_PROFILE': profile},
               fix_contains=[('checking', 'dconf update')])
        d.write_policies(d.policies, 'file://' + args.xpi,
                         {'3rdparty': {'Extensions': {ADDON: {
                             'enabled': False, 'enabled:locked': True}}}})
        # The desktop's locked block list applies to Thunderbird too (PROTOCOL.md).
        expect(t, d, 'enabled locked off in policies.json, blocks locked in dconf', 1,
               {'checking': 'warn'},
               contains=[('checking', 'Thunderbird')],
               fix_contains=[('checking', d.policies)])
        profile = rg_dconf.compile_profile(tmp, 'nothing', {})
        expect(t, d, 'enabled locked off in policies.json, no locked blocks', 2,
               {'checking': 'fail', 'locks': 'ok'},
               env={'DCONF_PROFILE': profile},
               contains=[('checking', 'Thunderbird')],
               fix_contains=[('checking', d.policies)])
        d.write_policies(d.policies, 'file://' + args.xpi)

        # An entry of a list that is not a domain.
        profile = rg_dconf.compile_profile(tmp, 'bad-entry',
                                           {'warn-domains': "['foo bar', 'example.org']"})
        expect(t, d, 'a list entry that is not a domain', 1, {'lists': 'warn'},
               env={'DCONF_PROFILE': profile},
               contains=[('lists', "warn-domains 'foo bar'")])

        # Evolution's module.
        empty = os.path.join(tmp, 'modules-empty')
        os.makedirs(empty)
        expect(t, d, 'module missing', 2, {'evolution-module': 'fail'},
               env={'RCPTGUARD_DOCTOR_MODULE_DIR': empty},
               contains=[('evolution-module', os.path.join(empty, 'module-rcptguard.so'))],
               fix_contains=[('evolution-module', empty)])
        broken = os.path.join(tmp, 'modules-broken')
        os.makedirs(broken)
        with open(os.path.join(broken, 'module-rcptguard.so'), 'w', encoding='utf-8') as f:
            f.write('not a shared object\n')
        got = expect(t, d, 'module not loadable', 2, {'evolution-module': 'fail'},
                     env={'RCPTGUARD_DOCTOR_MODULE_DIR': broken},
                     contains=[('evolution-module', 'cannot be loaded')])
        report = check_consistent(t, d, 'module not loadable', got,
                                  env={'RCPTGUARD_DOCTOR_MODULE_DIR': broken})
        if report is not None:
            t.check(broken in report['checks'][6].get('detail', ''),
                    "module not loadable: the loader's reason is the detail",
                    report['checks'][6])
        libc = None
        with open('/proc/self/maps', encoding='utf-8') as f:
            for line in f:
                path = line.split()[-1]
                if re.search(r'/libc\.so\.6$', path):
                    libc = path
                    break
        if libc is None:
            t.skip('a shared object without e_module_load is refused', 'no libc.so.6 mapped')
        else:
            other = os.path.join(tmp, 'modules-other')
            os.makedirs(other)
            shutil.copy(libc, os.path.join(other, 'module-rcptguard.so'))
            expect(t, d, 'a shared object without e_module_load', 2,
                   {'evolution-module': 'fail'},
                   env={'RCPTGUARD_DOCTOR_MODULE_DIR': other},
                   contains=[('evolution-module', 'e_module_load')])

        # Evolution not installed: its checks do not apply.
        expect(t, d, 'Evolution not installed', 0,
               {'evolution-module': 'skip', 'address-books': 'skip'},
               env={'RCPTGUARD_DOCTOR_MODULE_DIR': None, 'PATH': '/nonexistent'})

        # No session bus (a help desk over ssh): the address books cannot be read.
        expect(t, d, 'no session bus', 1, {'address-books': 'warn'},
               env={'DBUS_SESSION_BUS_ADDRESS': None},
               contains=[('address-books', 'session bus')])

        # The schema missing: protection off, and the checks that need it are skipped.  The
        # machine's other schemas stay (evolution-data-server needs its own); ours may be
        # installed system-wide, so they are compiled without it into a folder of the test's.
        data = without_our_schema(tmp)
        expect(t, d, 'schema missing', 2,
               {'schema': 'fail', 'checking': 'skip', 'locks': 'skip', 'lists': 'skip'},
               env={'GSETTINGS_SCHEMA_DIR': None, 'XDG_DATA_DIRS': data},
               fix_contains=[('schema', 'glib-compile-schemas')])

        # In German and French: the text translated, the JSON the same bytes as in English.
        os.rename(d.manifest, d.manifest + '.away')
        english = d.run('doctor', exe=args.rcptguard_l10n, language='')
        english_json = d.run('doctor', '--format', 'json', exe=args.rcptguard_l10n,
                             language='')
        for language, words in (('de', ('FEHLER', 'Abhilfe:')),
                                ('fr', ('ÉCHEC', 'correctif'))):
            got = d.run('doctor', exe=args.rcptguard_l10n, language=language)
            same = [line for line in got.stdout.splitlines()
                    if line in english.stdout.splitlines() and line.strip()]
            t.check(got.status == english.status == 2 and words[0] in got.stdout
                    and words[1] in got.stdout and not same and got.stderr == '',
                    '%s: the text is translated, exit status 2' % language, got,
                    'left in English: %r' % same)
            got = d.run('doctor', '--format', 'json', exe=args.rcptguard_l10n,
                        language=language)
            t.check(got.status == 2 and got.stdout == english_json.stdout
                    and got.stdout != '',
                    '%s: --format json is byte for byte the English' % language, got,
                    english_json)
            got = d.run('doctor', '--help', exe=args.rcptguard_l10n, language=language)
            t.check(got.status == 0 and 'Exit status' not in got.stdout
                    and 'RCPTGUARD_DOCTOR_MODULE_DIR' in got.stdout,
                    '%s: doctor --help is translated' % language, got)
        os.rename(d.manifest + '.away', d.manifest)

        # A fix made of commands stays a line a shell takes, in every language (French puts a
        # no-break space before ";" in sentences, never between commands).
        os.makedirs(d.log_folder, mode=0o755, exist_ok=True)
        os.chmod(d.log_folder, 0o755)
        with open(d.log_file, 'w', encoding='utf-8'):
            pass
        os.chmod(d.log_file, 0o644)
        commands = 'chmod 700 %s; chmod 600 %s' % (d.log_folder, d.log_file)
        for language in ('de', 'fr'):
            got = d.run('doctor', exe=args.rcptguard_l10n, language=language)
            fix = got.lines().get('decision-log', ('', '', ''))[2] or ''
            t.check(got.status == 1 and fix.endswith(' ' + commands),
                    '%s: the fix of two modes is one shell line' % language, got)
        os.unlink(d.log_file)
        os.rmdir(d.log_folder)

        # Usage.
        for argv in (['doctor', 'extra'], ['doctor', '--format', 'xml'], ['doctor', '--bogus']):
            got = d.run(*argv)
            t.check(got.status == 64 and got.stdout == ''
                    and got.stderr.startswith('rcptguard: doctor: ')
                    and "(see 'rcptguard doctor --help')" in got.stderr,
                    'usage: rcptguard %s exits 64' % ' '.join(argv), got)
        got = d.run('doctor', '--help')
        t.check(got.status == 0 and 'Exit status:' in got.stdout
                and '2   protection is off' in got.stdout and '--probe-module' not in got.stdout,
                'doctor --help: the exit statuses, not the internal option', got)
        got = d.run('--help')
        t.check(got.status == 0 and re.search(r'^  doctor ', got.stdout, re.M) is not None,
                'rcptguard --help lists doctor', got)

    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
