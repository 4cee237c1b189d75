#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`rcptguard check` when the check itself fails: the on-error policy (TAP).

test-on-error.py --rcptguard-fault EXE --rcptguard EXE [--release-has-faults]

rcptguard-fault is the command built with fault injection (common/glib/rg-guard.h):
RCPTGUARD_FAULT=fail makes the core fail, =hang makes it outlive the 2 s budget, =garbage
makes its report one the validator must refuse.  on-error is set as an administrator sets it:
in a dconf database compiled by `dconf compile` from a keyfile, locked, and named by a
DCONF_PROFILE of its own ("file-db:PATH" after the user's database), so no root and no D-Bus
are needed.  Run inside a
throwaway HOME (tests/common/rg-session) with GSETTINGS_SCHEMA_DIR pointing to the schema
compiled in the build tree.  Without a session bus the command says once that it did not read
the address books; that line is expected, any other is not.
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

BUDGET_S = 2
# Generous: a hung check must end near the budget, and under three budgets shows that the
# command did not wait for the worker.
HANG_BOUND_S = 3 * BUDGET_S
EXIT = {'allow': 0, 'warn': 1, 'block': 2}
CONSEQUENCE = {
    'allow': 'on-error is allow: passed unchecked',
    'warn': 'on-error is warn: counted as a warning',
    'block': 'on-error is block: counted as a block',
}
REASON = {
    'fail': re.escape('internal error in a library'),
    'hang': re.escape('the check did not finish within %d s' % BUDGET_S),
    'garbage': re.escape("the checker's report is not valid: ") + r'.+',
}
ADDRESS_BOOKS = re.compile(r'^rcptguard: address books: not read \(.*\); checking without them$')
ARGUMENTS = ['Ops <ops@army.ml>', 'x@gmial.com']


class Run:
    def __init__(self, argv, env, done, elapsed):
        self.argv = argv
        self.env = env
        self.status = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr
        self.elapsed = elapsed

    def error_lines(self):
        """The lines on stderr, but for the one about address books (no session bus)."""
        return [line for line in self.stderr.splitlines() if not ADDRESS_BOOKS.match(line)]

    def __str__(self):
        return 'command: %s\nenvironment: %s\nexit status: %d\nstdout:\n%s\nstderr:\n%s' % (
            ' '.join(self.argv), self.env, self.status, self.stdout, self.stderr)


def run(argv, env=None, stdin='', timeout=60):
    environment = dict(os.environ)
    environment.pop('RCPTGUARD_FAULT', None)
    environment.update(env or {})
    start = time.monotonic()
    done = subprocess.run(argv, env=environment, input=stdin, capture_output=True, text=True,
                          timeout=timeout)
    return Run(argv, env, done, time.monotonic() - start)


def compile_profile(tmp, on_error):
    """A dconf profile whose one database sets on-error, locked, as an administrator would."""
    return rg_dconf.compile_profile(tmp, on_error, {'on-error': repr(on_error)}, ['on-error'])


def failed_lines_match(lines, wheres, fault, mode):
    """One line per list, in order, naming it, the reason and what on-error made of it."""
    if len(lines) != len(wheres):
        return False
    for line, where in zip(lines, wheres):
        pattern = '^rcptguard: %s: recipients could not be checked: %s \\(%s\\)$' % (
            re.escape(where), REASON[fault], re.escape(CONSEQUENCE[mode]))
        if re.match(pattern, line) is None:
            return False
    return True


def argument_wheres(arguments):
    return ["argument %d '%s'" % (i, a) for i, a in enumerate(arguments, 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--rcptguard-fault', required=True)
    parser.add_argument('--rcptguard', required=True)
    parser.add_argument('--release-has-faults', action='store_true',
                        help='built with -Dfault_injection=true')
    args = parser.parse_args()

    print('TAP version 13', flush=True)
    if 'GSETTINGS_SCHEMA_DIR' not in os.environ:
        print('Bail out! GSETTINGS_SCHEMA_DIR is not set: run from meson test')
        return 1
    if shutil.which('dconf') is None:
        print('Bail out! dconf is not installed (dconf-cli)')
        return 1

    t = Tap()
    fault_cli = args.rcptguard_fault
    with tempfile.TemporaryDirectory(prefix='rg-on-error.') as tmp:
        profiles = {mode: compile_profile(tmp, mode) for mode in EXIT}

        # Each fault under each policy, at the command line as at Send.
        for mode, profile in profiles.items():
            for fault in ('fail', 'hang', 'garbage'):
                env = {'DCONF_PROFILE': profile, 'RCPTGUARD_FAULT': fault}
                got = run([fault_cli, 'check', '--format', 'json'] + ARGUMENTS, env=env)
                what = 'on-error %s, %s:' % (mode, fault)
                t.check(got.status == EXIT[mode], '%s exit status %d' % (what, EXIT[mode]), got)
                t.check(got.stdout == '', '%s nothing on stdout for lists not checked' % what,
                        got)
                t.check(failed_lines_match(got.error_lines(), argument_wheres(ARGUMENTS), fault,
                                           mode),
                        '%s one line on stderr per list, saying why and what on-error made of it'
                        % what, got)
                if fault == 'hang':
                    print('# a hung check: the command ended after %.2f s (budget %d s)'
                          % (got.elapsed, BUDGET_S), flush=True)
                    t.check(got.elapsed < HANG_BOUND_S,
                            '%s the command ends near the budget, not with the worker' % what,
                            got)

        # Each failed check is recorded in the decision log (client "cli"), as at Send.
        path = os.path.join(os.environ.get('XDG_STATE_HOME',
                                           os.path.expanduser('~/.local/state')),
                            'rcptguard', 'decisions.jsonl')
        records = []
        if os.path.exists(path):
            with open(path, encoding='utf-8') as f:
                records = [json.loads(line) for line in f]
        failed = [r for r in records if r.get('decision') == 'check-failed'
                  and r.get('client') == 'cli']
        t.check(len(failed) == len(records) == len(EXIT) * 3 * len(ARGUMENTS),
                'every list not checked is recorded as check-failed, client cli (%d records)'
                % len(records))

        # Lines of standard input are named by their number.
        got = run([fault_cli, 'check', '--format', 'tsv', '--stdin'],
                  env={'DCONF_PROFILE': profiles['block'], 'RCPTGUARD_FAULT': 'fail'},
                  stdin='ops@army.ml\n\nx@gmial.com\n')
        t.check(got.status == 2 and got.stdout == ''
                and failed_lines_match(got.error_lines(), ['line 1', 'line 3'], 'fail', 'block'),
                '--stdin: each line not checked is named, on-error block exits 2', got)

        # Without a fault, the fault build checks as the command does.
        got = run([fault_cli, 'check', '--format', 'tsv'] + ARGUMENTS,
                  env={'DCONF_PROFILE': profiles['allow']})
        t.check(got.status == 1 and got.error_lines() == []
                and got.stdout == ('Ops <ops@army.ml>\tok\t-\n'
                                   'x@gmial.com\twarn\tx@gmail.com\n'),
                'no fault: the recipients are checked (on-error plays no part)', got)

        # --no-settings: the schema's default, warn, whatever the administrator set.
        got = run([fault_cli, 'check', '--no-settings', '--format', 'json'] + ARGUMENTS,
                  env={'DCONF_PROFILE': profiles['allow'], 'RCPTGUARD_FAULT': 'fail'})
        t.check(got.status == 1 and got.stdout == ''
                and failed_lines_match(got.error_lines(), argument_wheres(ARGUMENTS), 'fail',
                                       'warn'),
                '--no-settings: on-error is warn, exit 1', got)

        # Bad input is not a check failure: the core refuses it before any report, and it
        # stays exit 65, which wins over what on-error makes of the other list.
        for mode in ('allow', 'block'):
            bad = ['a@b.com\nc@d.com', 'a@example.org']
            got = run([fault_cli, 'check', '--format', 'json'] + bad,
                      env={'DCONF_PROFILE': profiles[mode], 'RCPTGUARD_FAULT': 'garbage'})
            lines = got.error_lines()
            t.check(got.status == 65 and got.stdout == '' and len(lines) == 2
                    and lines[0] == ("rcptguard: argument 1 'a@b.com\\nc@d.com': contains a "
                                     "control character (NUL, CR, LF, ...)")
                    and failed_lines_match(lines[1:], ["argument 2 'a@example.org'"],
                                           'garbage', mode),
                    'on-error %s: bad input is still exit 65, the other list on-error' % mode,
                    got)

        # The release command has no fault injection at all.
        got = run([args.rcptguard, 'check', '--no-settings', '--format', 'tsv', 'x@gmial.com'],
                  env={'RCPTGUARD_FAULT': 'fail'})
        if args.release_has_faults:
            t.check(got.status == 1 and got.stdout == '',
                    'the release command, built with -Dfault_injection=true, injects faults',
                    got)
        else:
            t.check(got.status == 1 and got.stdout == 'x@gmial.com\twarn\tx@gmail.com\n'
                    and got.stderr == '',
                    'the release command ignores RCPTGUARD_FAULT', got)

    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
