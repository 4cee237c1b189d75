# SPDX-License-Identifier: LGPL-2.1-or-later
"""The peers' own test suites (mailcheck, email-misspelled, @zootools/email-spell-checker),
ported to rcptguard: tests/data/peers-cases.tsv (its header says where each case comes from,
how the peers' configurations became known domains, and what the columns mean).

    python3 tests/detection/test-peers.py RCPTGUARD [--cases FILE]

The cases of each known set go through one `rcptguard check --no-settings --known FILE
--format json --stdin`, one input a line.  A case passes when the verdict is the expected one
(warn also accepts block) and the suggestion is the expected address (compared without case;
'-' no suggestion, '*' not asserted).  Rows with a precision reason are checked the same way,
against the row's own expectation.  Prints the pass counts per peer as a markdown table and
every failing case; exits 1 when any case fails.
"""

import argparse
import collections
import itertools
import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rg_detect  # noqa: E402

PEERS = {'mc': 'mailcheck (spec/mailcheckSpec.js)',
         'em': 'email-misspelled (__tests__)',
         'zt': '@zootools/email-spell-checker (test/index.spec.ts)'}
VERDICTS = ('ok', 'notice', 'warn')
Case = collections.namedtuple('Case', 'line id known input verdict suggestion peer reason')


def expand(items, sets):
    """The domains of a known row: '@NAME' includes a set, '{a,b}.{x,y}' is a product,
    '!DOMAIN' takes a domain out again."""
    out = []
    drop = {item[1:] for item in items.split() if item.startswith('!')}
    for item in items.split():
        if item.startswith('!'):
            continue
        if item.startswith('@'):
            out += sets[item[1:]]
            continue
        parts = re.split(r'(\{[^}]*\})', item)
        choices = [p[1:-1].split(',') if p.startswith('{') else [p] for p in parts if p]
        out += [''.join(combo) for combo in itertools.product(*choices)]
    return list(dict.fromkeys(d.lower() for d in out if d not in drop))


def read_cases(path):
    sets, cases = {}, []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            fields = line.rstrip('\n').split('\t')
            where = '%s:%d' % (path, number)
            if fields[0] == 'known' and len(fields) == 3:
                if fields[1] in sets:
                    raise SystemExit('%s: known set %s defined twice' % (where, fields[1]))
                sets[fields[1]] = expand(fields[2], sets)
            elif fields[0] == 'case' and len(fields) == 8:
                case = Case(number, *fields[1:])
                if case.known not in sets or case.verdict not in VERDICTS:
                    raise SystemExit('%s: unknown known set or verdict' % where)
                if case.id[:2] not in PEERS or any(c.id == case.id for c in cases):
                    raise SystemExit('%s: bad or repeated id %s' % (where, case.id))
                if case.suggestion == '*' and not case.reason:
                    raise SystemExit('%s: a suggestion left unasserted needs a reason' % where)
                cases.append(case)
            else:
                raise SystemExit('%s: expected a known row (3 fields) or a case (8)' % where)
    return sets, cases


def judge(case, result):
    """None when the result is what the case expects, else what differs."""
    problems = []
    verdict = result['verdict']
    if not (verdict == case.verdict or (case.verdict == 'warn' and verdict == 'block')):
        problems.append('verdict %s, expected %s' % (verdict, case.verdict))
    got = (result.get('suggestion') or '-').lower()
    if case.suggestion != '*' and got != case.suggestion.lower():
        problems.append('suggestion %s, expected %s' % (got, case.suggestion))
    return '; '.join(problems) or None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('rcptguard')
    parser.add_argument('--cases', default=os.path.join(rg_detect.DATA_DIR, 'peers-cases.tsv'))
    args = parser.parse_args()

    sets, cases = read_cases(args.cases)
    checks = rg_detect.Checks('peers')
    by_known = collections.defaultdict(list)
    for case in cases:
        by_known[case.known].append(case)

    failures = []
    passed = collections.Counter()
    total = collections.Counter()
    differs = collections.Counter()
    for name, group in by_known.items():
        path = rg_detect.write_known((d, 0) for d in sets[name])
        try:
            results, status, _ = rg_detect.check_inputs(args.rcptguard, path,
                                                         [c.input for c in group])
        finally:
            os.unlink(path)
        if status not in (0, 1, 2):
            failures.append(('known set %s' % name, 'rcptguard exit status %d' % status))
        for case, result in zip(group, results):
            peer = case.id[:2]
            total[peer] += 1
            differs[peer] += bool(case.reason)
            problem = judge(case, result)
            if problem:
                failures.append((case, '%s (%s)' % (problem, rg_detect.reason_codes(result))))
            else:
                passed[peer] += 1

    print('Peers\' test suites, ported (tests/data/peers-cases.tsv):')
    print()
    print('| peer | cases | passed | failed | of them with a precision reason |')
    print('|---|---:|---:|---:|---:|')
    for peer, title in PEERS.items():
        print('| %s | %d | %d | %d | %d |' % (title, total[peer], passed[peer],
                                              total[peer] - passed[peer], differs[peer]))
    print('| all | %d | %d | %d | %d |' % (sum(total.values()), sum(passed.values()),
                                           sum(total.values()) - sum(passed.values()),
                                           sum(differs.values())))
    print()
    for case, problem in failures:
        if isinstance(case, str):
            checks.check(False, '%s: %s' % (case, problem))
            continue
        print('FAIL: %s (line %d, known %s): %r: %s%s'
              % (case.id, case.line, case.known, case.input, problem,
                 '; precision reason: ' + case.reason if case.reason else
                 '; the peer suggests %s' % case.peer if case.peer != '-' else ''))
    # Each case counts once in the summary; the known-set failures above are counted there.
    checks.passed += sum(passed.values())
    checks.failed += [c.id for c, _ in failures if not isinstance(c, str)]
    return checks.finish()


if __name__ == '__main__':
    sys.exit(main())
