# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the truth table tests/data/verdicts.tsv through the rcptguard command.

    cli-table.py RCPTGUARD TABLE

The command has no options for policies or flags, so rows whose config holds block:, warn:,
trust:, +notice, -lookalikes or -builtin are left to the library's runner (test-table.c).
The other rows are grouped by config; each group is one 'rcptguard check --stdin
--no-settings --format json' with the group's known domains in a temporary --known file.
For each row the verdict, the suggestion and the first reason code are compared; for each
group the exit status must be that of the highest verdict reported (0 ok or notice, 1 warn,
2 block).  Output is TAP; the exit status is 1 when anything failed.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

VERDICTS = ('ok', 'notice', 'warn', 'block')
REASONS = frozenset((
    'typo-omission', 'typo-insertion', 'typo-repetition', 'typo-adjacent-key',
    'typo-vowel-swap', 'typo-substitution', 'typo-transposition', 'typo-hyphen', 'tld-swap',
    'missing-dot', 'extra-dot', 'moved-dot', 'truncated-suffix', 'confusable', 'mixed-script',
    'invisible-character', 'unknown-tld', 'invalid-domain', 'invalid-address', 'ip-literal',
    'new-domain', 'policy-warn', 'policy-block', 'rare-twin', 'compound-slip',
    'extra-ending'))
EXIT_OF_VERDICT = {'ok': 0, 'notice': 0, 'warn': 1, 'block': 2}
CORE_ONLY_PREFIXES = ('block:', 'warn:', 'trust:')
CORE_ONLY_FLAGS = ('+notice', '-lookalikes', '-builtin')
TIMEOUT = 60


class Row:
    def __init__(self, line, klass, config, raw, text, verdict, suggestion, reason):
        self.line = line
        self.raw = raw
        self.klass = klass
        self.config = config
        self.text = text
        self.verdict = verdict
        self.suggestion = suggestion
        self.reason = reason


class TableError(Exception):
    pass


def unescape(text):
    def one(match):
        code = int(match.group(1), 16)
        if code == 0 or 0xD800 <= code <= 0xDFFF:
            raise TableError('\\u escape of NUL or of a surrogate')
        return chr(code)
    return re.sub(r'\\u([0-9A-Fa-f]{4})', one, text)


def read_table(path):
    """Returns (rows, errors); errors are 'path:line: why' for malformed lines."""
    rows = []
    errors = []
    with open(path, 'rb') as f:
        data = f.read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        return [], ['%s: not valid UTF-8: %s' % (path, e)]
    for number, line in enumerate(text.split('\n'), 1):
        if line == '' or line.startswith('#'):
            continue
        fields = line.split('\t')
        where = '%s:%d' % (path, number)
        if len(fields) != 6:
            errors.append('%s: expected 6 TAB-separated columns, found %d' % (where, len(fields)))
            continue
        if any(field == '' for field in fields):
            errors.append('%s: empty column' % where)
            continue
        klass, config, text_in, verdict, suggestion, reason = fields
        if verdict not in VERDICTS:
            errors.append('%s: unknown verdict %r' % (where, verdict))
            continue
        if reason != '-' and reason not in REASONS:
            errors.append('%s: unknown reason code %r' % (where, reason))
            continue
        if (verdict == 'ok') != (reason == '-'):
            errors.append('%s: the reason must be "-" exactly when the verdict is ok' % where)
            continue
        raw = text_in
        try:
            text_in = unescape(text_in)
        except TableError as e:
            errors.append('%s: %s' % (where, e))
            continue
        rows.append(Row(number, klass, config, raw, text_in, verdict,
                        None if suggestion == '-' else suggestion,
                        None if reason == '-' else reason))
    return rows, errors


def known_lines(config):
    """The --known file for a config the command can express, or None if it cannot."""
    if config == '-':
        return []
    lines = []
    for token in config.split(','):
        if token in CORE_ONLY_FLAGS or token.startswith(CORE_ONLY_PREFIXES):
            return None
        if token == '' or token.startswith(('+', '-')):
            raise TableError('bad config token %r' % token)
        domain, sep, count = token.rpartition('=')
        if sep and count.isdigit():
            lines.append('%s %s' % (domain, count))
        else:
            lines.append('%s 1' % token)
    return lines


def run_check(rcptguard, known_path, texts):
    """Runs one 'check --stdin'; returns (exit status, JSON objects, stderr text)."""
    args = [rcptguard, 'check', '--no-settings', '--format', 'json', '--stdin']
    if known_path is not None:
        args[2:2] = ['--known', known_path]
    stdin = ''.join(text + '\n' for text in texts).encode('utf-8')
    try:
        proc = subprocess.run(args, input=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, [], str(e)
    stderr = proc.stderr.decode('utf-8', 'replace').strip()
    objects = []
    for line in proc.stdout.decode('utf-8', 'replace').split('\n'):
        if line.strip() == '':
            continue
        try:
            objects.append(json.loads(line))
        except ValueError:
            objects.append({'unparsable output line': line})
    return proc.returncode, objects, stderr


def first_reason(obj):
    reasons = obj.get('reasons') or []
    if not reasons:
        return None, []
    return reasons[0].get('code'), reasons


def compare(row, obj):
    """Returns None when the row passes, else a list of diagnostic lines."""
    if obj is None:
        return ['no output for this row']
    if not isinstance(obj, dict) or 'verdict' not in obj:
        return ['unexpected output: %r' % (obj,)]
    reason, reasons = first_reason(obj)
    got = (obj.get('verdict'), obj.get('suggestion'), reason)
    expected = (row.verdict, row.suggestion, row.reason)
    if got == expected:
        return None
    show = lambda value: '-' if value is None else value
    lines = ['expected: %s, suggestion %s, reason %s' % tuple(show(v) for v in expected),
             'got:      %s, suggestion %s, reason %s (domain %r)'
             % (show(got[0]), show(got[1]), show(got[2]), obj.get('domain'))]
    for r in reasons:
        lines.append('  %s: %s' % (r.get('code'), r.get('message')))
    return lines


def main(argv):
    if len(argv) != 3:
        sys.stderr.write('usage: cli-table.py RCPTGUARD TABLE\n')
        return 2
    rcptguard, table = argv[1], argv[2]

    rows, errors = read_table(table)
    groups = {}
    skipped = 0
    for row in rows:
        try:
            lines = known_lines(row.config)
        except TableError as e:
            errors.append('%s:%d: %s' % (table, row.line, e))
            continue
        if lines is None:
            skipped += 1
            continue
        groups.setdefault(row.config, (lines, []))[1].append(row)

    n_run = sum(len(group_rows) for _, group_rows in groups.values())
    results = []    # (ok, description, diagnostic lines)

    for message in errors:
        results.append((False, 'malformed table line', [message]))

    with tempfile.TemporaryDirectory(prefix='rg-cli-table-') as tmp:
        for index, (config, (lines, group_rows)) in enumerate(groups.items()):
            known_path = None
            if lines:
                known_path = os.path.join(tmp, 'known-%d.txt' % index)
                with open(known_path, 'w', encoding='utf-8') as f:
                    f.write('# config: %s\n' % config)
                    f.write(''.join(line + '\n' for line in lines))

            status, objects, stderr = run_check(rcptguard, known_path,
                                                [row.text for row in group_rows])
            per_row = [[obj] for obj in objects]
            statuses = None
            if len(objects) != len(group_rows):
                # A list the command rejected printed nothing: run the rows one at a time so
                # that each row gets its own output (or its own error).
                per_row = []
                statuses = []
                for row in group_rows:
                    one_status, one_objects, one_stderr = run_check(rcptguard, known_path,
                                                                    [row.text])
                    per_row.append(one_objects if one_objects
                                   else [{'error': 'exit %s: %s' % (one_status, one_stderr)}])
                    statuses.append(one_status)

            for row, objs in zip(group_rows, per_row):
                desc = '%s:%d [%s] %s | %s' % (os.path.basename(table), row.line, row.klass,
                                               row.config, row.raw)
                if len(objs) != 1:
                    diag = ['expected 1 finding, got %d: %r' % (len(objs), objs)]
                else:
                    diag = compare(row, objs[0])
                results.append((diag is None, desc, diag or []))

            verdicts = [obj.get('verdict') for objs in per_row for obj in objs
                        if isinstance(obj, dict) and obj.get('verdict') in VERDICTS]
            want = max((EXIT_OF_VERDICT[v] for v in verdicts), default=0)
            desc = 'exit status for config %s' % config
            if statuses is None:
                ok = status == want
                diag = [] if ok else ['expected exit %d, got %s%s'
                                      % (want, status, ': ' + stderr if stderr else '')]
            else:
                # Run row by row: each run's status must match its own finding.
                diag = ['the command did not print one finding per row together (exit %s%s)'
                        % (status, ': ' + stderr if stderr else '')]
                for row, objs, one_status in zip(group_rows, per_row, statuses):
                    one_verdicts = [obj.get('verdict') for obj in objs
                                    if isinstance(obj, dict) and obj.get('verdict') in VERDICTS]
                    one_want = max((EXIT_OF_VERDICT[v] for v in one_verdicts), default=0)
                    if one_verdicts and one_status != one_want:
                        diag.append('line %d: expected exit %d, got %s'
                                    % (row.line, one_want, one_status))
                ok = len(diag) == 1
            results.append((ok, desc, diag))

    print('1..%d' % len(results))
    failed = 0
    for number, (ok, desc, diag) in enumerate(results, 1):
        desc = desc.replace('#', '\\#')
        print('%s %d - %s' % ('ok' if ok else 'not ok', number, desc))
        if not ok:
            failed += 1
            for line in diag:
                for part in str(line).split('\n'):
                    print('# ' + part)
    print('# ran %d of %d rows; %d need core-only config' % (n_run, len(rows), skipped))
    print('# %d of %d checks failed' % (failed, len(results)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.stdout.reconfigure(encoding='utf-8')
    sys.exit(main(sys.argv))
