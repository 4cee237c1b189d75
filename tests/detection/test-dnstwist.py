# SPDX-License-Identifier: LGPL-2.1-or-later
"""How many of dnstwist's permutations of forty real correspondent domains rcptguard catches,
and how often it names the right domain, per fuzzer.

    python3 tests/detection/test-dnstwist.py RCPTGUARD [--misses FILE] [--show N]

Known set: tests/data/dnstwist-known.txt (forty domains, count 10 each) plus the built-in
providers.  Typed: every permutation in tests/data/dnstwist-permutations.tsv (made offline by
gen-dnstwist.py; why it is committed is said there), as user@PERMUTATION, in one
`rcptguard check --no-settings --known FILE --format json --stdin`.  A permutation that is a
known domain, or a subdomain or parent of one, is excluded (rcptguard rightly calls it ok) and
counted.  Recall: verdict warn or block.  Right suggestion: the suggestion's domain is the
domain the permutation was made from, whatever the verdict (a notice can carry one too).

Asserted targets: recall and right suggestion at least 97% for each typing fuzzer, at least
80% for homoglyph; the other fuzzers (bitsquatting, cyrillic, dictionary, tld-swap, various)
are measured only: many of their outputs are other words, not slips.  The IDN permutations
(dnstwist prints A-labels) are also checked in their U-label form, shown as "FUZZER (U-label)"
rows and measured only.  The figures are printed
as a markdown table whatever the outcome; --misses writes every miss as TSV.
"""

import argparse
import collections
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rg_detect  # noqa: E402

TYPING = ('addition', 'insertion', 'omission', 'repetition', 'replacement', 'transposition',
          'vowel-swap', 'hyphenation', 'subdomain')
TARGETS = dict({f: 97.0 for f in TYPING}, homoglyph=80.0)


def to_unicode(domain):
    """The U-label form of a domain of A-labels (plain RFC 3492 decoding, no mapping)."""
    return '.'.join(label[4:].encode('ascii').decode('punycode')
                    if label.startswith('xn--') else label for label in domain.split('.'))


def read_permutations(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.startswith('#'):
                continue
            fields = line.rstrip('\n').split('\t')
            if len(fields) != 3:
                raise SystemExit('%s:%d: expected 3 tab-separated fields' % (path, number))
            rows.append(tuple(fields))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('rcptguard')
    parser.add_argument('--data', default=rg_detect.DATA_DIR)
    parser.add_argument('--providers', default=rg_detect.PROVIDERS)
    parser.add_argument('--show', type=int, default=5, help='misses printed per fuzzer')
    parser.add_argument('--misses', help='write every miss to this TSV file')
    args = parser.parse_args()

    started = time.monotonic()
    known_path = os.path.join(args.data, 'dnstwist-known.txt')
    known = rg_detect.KnownSet(rg_detect.read_known(known_path)
                               + rg_detect.read_known(args.providers))
    rows = read_permutations(os.path.join(args.data, 'dnstwist-permutations.tsv'))

    excluded = collections.Counter()
    cases = []
    for original, fuzzer, domain in rows:
        if known.relation(domain):
            excluded[fuzzer] += 1
        else:
            cases.append((original, fuzzer, domain))
    # An IDN permutation is also checked as a person sees it (U-labels), measured apart.
    cases += [(o, f + ' (U-label)', to_unicode(d)) for o, f, d in list(cases) if 'xn--' in d]
    results, status, seconds = rg_detect.check_domains(
        args.rcptguard, known_path, [c[2] for c in cases])

    total = collections.Counter()
    caught = collections.Counter()
    right = collections.Counter()
    misses = collections.defaultdict(list)
    for (original, fuzzer, domain), result in zip(cases, results):
        total[fuzzer] += 1
        warned = result['verdict'] in rg_detect.WARNED
        named = rg_detect.suggested_domain(result) == original
        caught[fuzzer] += warned
        right[fuzzer] += named
        if not (warned and named):
            misses[fuzzer].append((original, domain, result))

    order = list(TARGETS)
    fuzzers = sorted(set(total) | set(excluded),
                     key=lambda f: (order.index(f) if f in order else len(order), f))
    print('dnstwist permutations of %d known domains (%d built-in providers also known): '
          '%d checked, %d excluded as known/subdomain/parent, rcptguard exit %d, %.2f s'
          % (len(rg_detect.read_known(known_path)), len(rg_detect.read_known(args.providers)),
             len(cases), sum(excluded.values()), status, seconds))
    print()
    print('| fuzzer | checked | excluded | warn or block | recall | right suggestion | target |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for f in fuzzers:
        print('| %s | %d | %d | %d | %.1f%% | %.1f%% | %s |'
              % (f, total[f], excluded[f], caught[f], rg_detect.percent(caught[f], total[f]),
                 rg_detect.percent(right[f], total[f]),
                 '≥ %.0f%%' % TARGETS[f] if f in TARGETS else '-'))
    print('| all | %d | %d | %d | %.1f%% | %.1f%% | |'
          % (sum(total.values()), sum(excluded.values()), sum(caught.values()),
             rg_detect.percent(sum(caught.values()), sum(total.values())),
             rg_detect.percent(sum(right.values()), sum(total.values()))))
    print()

    for f in fuzzers:
        for original, domain, result in misses[f][:args.show]:
            print('miss: %s %s -> %s: %s, suggestion %s, %s'
                  % (f, original, domain, result['verdict'], result.get('suggestion'),
                     rg_detect.reason_codes(result)))
    if args.misses:
        with open(args.misses, 'w', encoding='utf-8') as out:
            out.write('fuzzer\toriginal\ttyped\tverdict\tsuggestion\treasons\n')
            for f in fuzzers:
                for original, domain, result in misses[f]:
                    out.write('%s\t%s\t%s\t%s\t%s\t%s\n'
                              % (f, original, domain, result['verdict'],
                                 result.get('suggestion'), rg_detect.reason_codes(result)))
    print()

    checks = rg_detect.Checks('dnstwist')
    checks.check(status in (0, 1, 2), 'rcptguard exit status %d is 0, 1 or 2' % status)
    for f in TARGETS:
        checks.check(total[f] > 0, '%s has permutations to check (%d)' % (f, total[f]))
        for what, count in (('recall', caught[f]), ('right suggestion', right[f])):
            rate = rg_detect.percent(count, total[f])
            checks.check(rate >= TARGETS[f], '%s %s %.1f%% >= %.0f%%'
                         % (f, what, rate, TARGETS[f]))
    print('run time %.2f s (rcptguard %.2f s)' % (time.monotonic() - started, seconds))
    return checks.finish()


if __name__ == '__main__':
    sys.exit(main())
