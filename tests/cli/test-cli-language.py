#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`rcptguard` in German and French (TAP).

test-cli-language.py --rcptguard EXE --table tests/data/finding-text.tsv

EXE reads its translations from the build tree (common/cli/meson.build: rcptguard-fault, run
without RCPTGUARD_FAULT).  Under LANGUAGE=de or fr and LANG=C.UTF-8 (gettext ignores LANGUAGE
in the plain C locale):

- `check --format text` explains each recipient with the sentence the dialog shows at Send:
  the very rows of finding-text.tsv, which tests/unit/test-finding-text.c checks against
  rg_finding_dup_description();
- `--format json` and `--format tsv` are the contract, byte for byte the English output;
- every message on standard error, every usage error and the help are translated: each line
  differs from the English one, and the exit status is the same;
- a policy finding names the administrator only when they locked its list (a dconf database
  compiled here, as the administrator's, with and without a lock).

Run inside a throwaway HOME (tests/common/rg-session) with GSETTINGS_SCHEMA_DIR pointing to the
schema compiled in the build tree.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
import rg_dconf  # noqa: E402
from rg_tap import Tap  # noqa: E402

LANGUAGES = ['de', 'fr']
RCPTGUARD = None


class Run:
    def __init__(self, argv, language, done):
        self.argv = argv
        self.language = language
        self.status = done.returncode
        self.stdout = done.stdout.decode('utf-8')
        self.stderr = done.stderr.decode('utf-8')

    def __str__(self):
        return 'LANGUAGE=%s rcptguard %s\nexit status: %d\nstdout:\n%s\nstderr:\n%s' % (
            self.language, ' '.join(repr(a) for a in self.argv), self.status, self.stdout,
            self.stderr)


def run(argv, language, stdin=b'', env=None):
    environment = dict(os.environ)
    for name in ('LC_ALL', 'LC_MESSAGES', 'RCPTGUARD_FAULT'):
        environment.pop(name, None)
    environment.update({'LANG': 'C.UTF-8', 'LANGUAGE': language, 'G_DEBUG': 'fatal-criticals'})
    environment.update(env or {})
    done = subprocess.run([RCPTGUARD] + argv, input=stdin, capture_output=True, env=environment,
                          timeout=30)
    return Run(argv, language, done)


def table_rows(path, language):
    """recipient -> (locked, description) of the rows of finding-text.tsv for language."""
    rows = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            columns = line.split('\t')
            if columns[0] == language:
                rows.setdefault(columns[1], []).append((columns[2] == 'yes', columns[5]))
    return rows


def explanations(text):
    """The explanation line of each recipient of `check --format text`: input -> sentence."""
    result = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith('  ') and i + 1 < len(lines) and lines[i + 1].startswith('  '):
            result[line.rsplit('  ', 1)[0]] = lines[i + 1][2:]
    return result


def main():
    global RCPTGUARD
    parser = argparse.ArgumentParser()
    parser.add_argument('--rcptguard', required=True)
    parser.add_argument('--table', required=True)
    args = parser.parse_args()
    RCPTGUARD = args.rcptguard

    print('TAP version 13', flush=True)
    t = Tap()
    tmp = tempfile.mkdtemp(prefix='rg-cli-language.')
    try:
        known = os.path.join(tmp, 'known')
        with open(known, 'w', encoding='utf-8') as f:
            f.write('army.mil 214\nexample.com 3\n')
        bad_known = os.path.join(tmp, 'bad-known')
        with open(bad_known, 'wb') as f:
            f.write(b'example.com many\nexample.com 1 2\nexample.com 1 contact more\n'
                    b'a..b\nnul\x00here\n')
        bad_log = os.path.join(tmp, 'decisions.jsonl')
        with open(bad_log, 'w', encoding='utf-8') as f:
            f.write('not json\n{"time": "2026-11-28T09:00:00Z"}\n')
        recipients = ['ops@army.ml', 'someone@gmial.com', 'info@example.cm', 'ops@army.mil']

        # The explanations are the dialog's sentences, in each language.
        for language in ['en'] + LANGUAGES:
            got = run(['check', '--no-settings', '--known', known, '--format', 'text']
                      + recipients, '' if language == 'en' else language)
            rows = table_rows(args.table, language)
            explained = explanations(got.stdout)
            expected = {r: rows[r][0][1] for r in recipients[:3]}
            t.check(got.status == 1 and got.stderr == '' and explained == expected,
                    '%s: check --format text explains as the dialog does' % language,
                    got, 'expected: %r' % expected)

        english = {fmt: run(['check', '--no-settings', '--known', known, '--format', fmt]
                            + recipients, '') for fmt in ('json', 'tsv')}
        words = {'de': ('WARNUNG', 'Meinten Sie ops@army.mil?'),
                 'fr': ('ATTENTION', 'Vouliez-vous dire ops@army.mil\u00a0?')}
        for language in LANGUAGES:
            got = run(['check', '--no-settings', '--known', known, '--format', 'text']
                      + recipients, language)
            verdict, suggestion = words[language]
            t.check(got.stdout.startswith('ops@army.ml  %s\n' % verdict)
                    and '  %s\n' % suggestion in got.stdout
                    and 'ops@army.mil  ok\n' in got.stdout,
                    '%s: the verdict and the suggestion are translated' % language, got)
            for fmt in ('json', 'tsv'):
                got = run(['check', '--no-settings', '--known', known, '--format', fmt]
                          + recipients, language)
                t.check(got.status == english[fmt].status and got.stderr == ''
                        and got.stdout == english[fmt].stdout and got.stdout != '',
                        '%s: --format %s is the contract, as in English' % (language, fmt),
                        got, english[fmt])

        # Every message of the command, in each language: the same statuses, and no line
        # left in English.
        cases = [
            ([], b''),
            (['frobnicate'], b''),
            (['--bogus'], b''),
            (['check', '--format', 'xml', 'x@example.com'], b''),
            (['check', '--no-settings'], b''),
            (['check', '--no-settings', '--stdin', 'x@example.com'], b''),
            (['check', '--bogus'], b''),
            (['check', '--no-settings', '--known-domain', 'a..b', 'x@example.com'], b''),
            (['check', '--no-settings', '--known', bad_known, 'x@example.com'], b''),
            (['check', '--no-settings', '--format', 'tsv', '--stdin'],
             b'x@example.com\nnul\x00here\n\xff@example.com\n'),
            (['check', '--no-settings', '--format', 'tsv', 'a@b.com\nc@d.com', 'ops@'], b''),
            (['log', '--format', 'xml'], b''),
            (['policy', '--format', 'xml'], b''),
            (['policy', 'extra'], b''),
            (['log', '--since', 'yesterday'], b''),
            (['log', 'extra'], b''),
            (['log', '--file', bad_log], b''),
            (['log', '--file', os.path.join(tmp, 'none.jsonl')], b''),
        ]
        for argv, stdin in cases:
            en = run(argv, '', stdin)
            en_lines = en.stderr.splitlines()
            for language in LANGUAGES:
                got = run(argv, language, stdin)
                lines = got.stderr.splitlines()
                same = [line for line in lines if line in en_lines]
                t.check(got.status == en.status and len(lines) == len(en_lines) > 0
                        and not same,
                        '%s: rcptguard %s: every message translated, exit %d'
                        % (language, ' '.join(argv).replace('\n', '\\n')[:60], en.status),
                        got, 'in English: %s' % en, 'left in English: %r' % same)

        # The help of each command.
        for argv, english_line in ((['--help'], 'Recipient Guard: warn when'),
                                   (['check', '--help'], 'Each ADDRESS-LIST is one list'),
                                   (['log', '--help'], 'Shows the decisions recorded'),
                                   (['policy', '--help'], 'For each key of the settings')):
            en = run(argv, '')
            for language in LANGUAGES:
                got = run(argv, language)
                t.check(got.status == en.status == 0 and english_line in en.stdout
                        and english_line not in got.stdout
                        and len(got.stdout.splitlines()) >= len(en.stdout.splitlines()) - 2,
                        '%s: rcptguard %s is translated' % (language, ' '.join(argv)), got)

        # A block in the administrator's words only when they locked the list.
        if shutil.which('dconf') is None or 'GSETTINGS_SCHEMA_DIR' not in os.environ:
            t.skip('the words of a block follow its lock', 'no dconf or no schema')
        else:
            for locked in (True, False):
                profile = rg_dconf.compile_profile(tmp, 'locked' if locked else 'open',
                                                   {'block-domains': "['nl']"},
                                                   ['block-domains'] if locked else [])
                for language in ['en'] + LANGUAGES:
                    rows = table_rows(args.table, language)
                    expected = [d for lock, d in rows['someone@shop.nl'] if lock == locked][0]
                    got = run(['check', '--format', 'text', 'someone@shop.nl'],
                              '' if language == 'en' else language,
                              env={'DCONF_PROFILE': profile})
                    t.check(got.status == 2
                            and explanations(got.stdout).get('someone@shop.nl') == expected,
                            '%s: a %s block says “%s”' % (language,
                                                        'locked' if locked else 'user\'s',
                                                        expected), got)
    finally:
        shutil.rmtree(tmp)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
