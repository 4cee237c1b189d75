# SPDX-License-Identifier: LGPL-2.1-or-later
"""False alarms at scale: real domains the user has never written to, typed by a user who knows
5,000 or 50,000 other real domains.  Every warning here is a false alarm.

    python3 tests/detection/test-false-alarms.py RCPTGUARD [--top N] [--alarms FILE]

Typed: tests/data/falsealarm-typed.txt (3,000 academic and organisation domains).  Known:
tests/data/falsealarm-known-5000.txt, and with falsealarm-known-45000.txt the 50,000 set
(gen-false-alarms.py says where they come from and how they were drawn).  Each typed domain is
checked as user@DOMAIN with `rcptguard check --no-settings --known FILE... --format json
--stdin`, the built-in providers being known as always.

First the corpus itself is checked, since a test on a wrong corpus measures nothing: no typed
domain is known, a subdomain or parent of a known domain, or a built-in provider (or under or
above one); the sets have their sizes.  (All entries are registrable domains, so "same
registrable domain" is "the same domain".)  Then the figures: warnings (warn or block) and
notices per 1,000 typed domains, the reason codes of the warnings, the top N false alarms (by
score, then name).  Asserted targets: at most 20 warnings per 1,000 with 5,000 known domains,
at most 60 per 1,000 with 50,000.  --alarms writes every false alarm as TSV.
"""

import argparse
import collections
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rg_detect  # noqa: E402

TARGETS = (('5,000', ['falsealarm-known-5000.txt'], 5000, 20.0),
           ('50,000', ['falsealarm-known-5000.txt', 'falsealarm-known-45000.txt'], 50000,
            60.0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('rcptguard')
    parser.add_argument('--data', default=rg_detect.DATA_DIR)
    parser.add_argument('--providers', default=rg_detect.PROVIDERS)
    parser.add_argument('--top', type=int, default=20, help='false alarms listed per set')
    parser.add_argument('--alarms', help='write every false alarm to this TSV file')
    args = parser.parse_args()

    started = time.monotonic()
    checks = rg_detect.Checks('false-alarms')
    typed = rg_detect.read_known(os.path.join(args.data, 'falsealarm-typed.txt'))
    providers = rg_detect.KnownSet(rg_detect.read_known(args.providers))
    checks.check(len(typed) == len(set(typed)) >= 1000,
                 '%d typed domains, all distinct' % len(typed))
    clash = [t for t in typed if providers.relation(t)]
    checks.check(not clash, 'no typed domain is, or is under or above, a built-in provider %s'
                 % clash[:5])

    rows = []
    alarms_out = []
    for label, names, size, target in TARGETS:
        paths = [os.path.join(args.data, n) for n in names]
        known_list = [d for p in paths for d in rg_detect.read_known(p)]
        known = rg_detect.KnownSet(known_list)
        checks.check(len(known_list) == len(known.domains) == size,
                     '%s set: %d known domains, all distinct' % (label, len(known_list)))
        clash = [(t, known.relation(t)) for t in typed if known.relation(t)]
        checks.check(not clash, '%s set: no typed domain is known, or under or above a known '
                     'domain %s' % (label, clash[:5]))

        results, status, seconds = rg_detect.check_domains(args.rcptguard, paths, typed)
        checks.check(status in (0, 1, 2), '%s set: rcptguard exit status %d is 0, 1 or 2'
                     % (label, status))
        alarms = [r for r in results if r['verdict'] in rg_detect.WARNED]
        notices = [r for r in results if r['verdict'] == 'notice']
        codes = collections.Counter(c['code'] for r in alarms for c in r['reasons'])
        rate = 1000.0 * len(alarms) / len(typed)
        rows.append((label, len(typed), len(alarms), rate,
                     1000.0 * len(notices) / len(typed), seconds, codes, target))
        alarms.sort(key=lambda r: (-r['score'], r['domain']))
        print('Top %d false alarms with %s known domains (of %d):'
              % (min(args.top, len(alarms)), label, len(alarms)))
        for r in alarms[:args.top]:
            print('- %s: %s %d, %s, suggestion %s'
                  % (r['domain'], r['verdict'], r['score'], rg_detect.reason_codes(r),
                     r.get('suggestion')))
        print()
        alarms_out += [(label, r) for r in alarms]

    print('False alarms per 1,000 typed domains (%d typed real domains, never written to):'
          % len(typed))
    print()
    print('| known domains | typed | warned | warnings per 1,000 | notices per 1,000 '
          '| target | check time | warning reasons |')
    print('|---:|---:|---:|---:|---:|---:|---:|---|')
    for label, n, warned, rate, notice_rate, seconds, codes, target in rows:
        print('| %s | %d | %d | %.1f | %.1f | ≤ %.0f | %.2f s | %s |'
              % (label, n, warned, rate, notice_rate, target, seconds,
                 ', '.join('%s %d' % kv for kv in sorted(codes.items(),
                                                         key=lambda kv: (-kv[1], kv[0])))
                 or '-'))
    print()
    for label, n, warned, rate, notice_rate, seconds, codes, target in rows:
        checks.check(rate <= target, '%s known: %.1f warnings per 1,000 <= %.0f'
                     % (label, rate, target))
    if args.alarms:
        with open(args.alarms, 'w', encoding='utf-8') as out:
            out.write('known\ttyped\tverdict\tscore\tsuggestion\treasons\n')
            for label, r in alarms_out:
                out.write('%s\t%s\t%s\t%d\t%s\t%s\n'
                          % (label, r['domain'], r['verdict'], r['score'], r.get('suggestion'),
                             rg_detect.reason_codes(r)))
    print('run time %.2f s' % (time.monotonic() - started))
    return checks.finish()


if __name__ == '__main__':
    sys.exit(main())
