#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-bench.py - the benchmark of rcptguard: against its peers, and as the known set grows.
#
# Usage (the one documented way):
#
#     ninja -C build bench
#
# which runs  run-bench.py SOURCE_DIR BUILD_DIR RG_BENCH RCPTGUARD [OPTIONS]  with
#   --runs N        whole-process runs per tool, the median is reported (default 5; a peer
#                   whose single run takes over a minute gets 3)
#   --sizes A,B,C   known-set sizes of the scaling runs (default 10000,100000,1000000)
#   --queries M     recipients per scaling round (default 100000)
#   --no-peers      skip the npm peers (the run then exits 1: it is not a full run)
# (pass options by running the script by hand with the same four arguments).
#
# It takes about 25 minutes on 2 cores, most of it in email-misspelled, and needs ~0.5 GiB
# of memory; nothing is timed against a limit and CI never runs it.  It needs Python 3,
# Node.js 20 and npm with access to the npm registry (for the peers), and uses hyperfine for
# the whole-process timings when it is installed (Debian package "hyperfine"), else times
# the processes itself.
#
# What it does, in BUILD_DIR/bench/:
#   1. gen-data.py writes known.txt (9,000 known domains), addresses.txt (10,000 addresses:
#      45% exact, 35% one-edit typos, 20% unknown) and truth.tsv, from a fixed seed.
#   2. npm install --prefix BUILD_DIR/bench-npm mailcheck email-misspelled.
#   3. The peers, on those files:
#      - rcptguard whole-process: rcptguard check --no-settings --known known.txt --stdin
#        --format tsv < addresses.txt, its output scored against truth.tsv, then timed;
#      - rcptguard in-process: rg-bench --known ... --addresses ... --truth ...;
#      - each npm peer in-process (peers.mjs time) and whole-process (peers.mjs run, timed).
#   4. The scaling runs: rg-bench --generate N --queries M, each N in its own process.
#   5. Prints two Markdown tables for README (peers; scaling), the targets met or missed,
#      and the machine and date.
#
# Scoring, the same in peers.mjs, rg-bench.c and here: a typo counts as caught when the
# suggested domain is the one intended; an exact or unknown address counts as a false alarm
# when anything is suggested (or, for rcptguard, its verdict is warn or block).
#
# Exit status: 0 for a full run; 1 when any part could not run (npm or the network
# unavailable, a tool failed), after printing everything that did run.

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time

PEERS = ['mailcheck', 'email-misspelled']
TARGET_BUILD_S = 2.0
TARGET_US = 20.0
TARGET_MIB = 512.0
TARGET_RATIO = 100.0


def log(message):
    sys.stderr.write('bench: %s\n' % message)
    sys.stderr.flush()


def read_truth(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            fields = line.rstrip('\n').split('\t')
            rows.append((fields[0], fields[1]))
    return rows


def score(truth, answers):
    """answers: (suggested domain or None, flagged) for each row of truth, in its order."""
    s = dict(typos=0, typos_caught=0, typos_wrong=0, exact=0, exact_flagged=0, unknown=0,
             unknown_flagged=0, correct=0)
    for (address, intended), (suggested, flagged) in zip(truth, answers):
        domain = address.rsplit('@', 1)[-1].lower()
        if intended == '-' or intended == domain:
            kind = 'unknown' if intended == '-' else 'exact'
            s[kind] += 1
            if suggested is not None or flagged:
                s[kind + '_flagged'] += 1
            else:
                s['correct'] += 1
        else:
            s['typos'] += 1
            if suggested == intended:
                s['typos_caught'] += 1
                s['correct'] += 1
            elif suggested is not None:
                s['typos_wrong'] += 1
    return s


def run_json(cmd, what, timeout=3600):
    """Runs cmd, returns its standard output parsed as JSON, or None (logged) on failure."""
    log('running %s' % what)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        log('%s could not run: %s' % (what, e))
        return None
    if p.returncode != 0:
        log('%s failed with exit status %d:\n%s' % (what, p.returncode, p.stderr[-2000:]))
        return None
    try:
        return json.loads(p.stdout)
    except ValueError:
        log('%s printed no JSON:\n%s' % (what, p.stdout[-2000:]))
        return None


def time_process(name, cmd, stdin_path, runs, warmup, workdir, ok_codes=(0,)):
    """Whole-process wall time of cmd (a list), median of runs, in seconds, or None.
    Uses hyperfine when installed, else time.perf_counter around subprocess.run."""
    hyperfine = shutil.which('hyperfine')
    log('timing %s as a whole process: %d run(s)%s' % (
        name, runs, ' with hyperfine' if hyperfine else ''))
    if hyperfine:
        shell_cmd = ' '.join(shlex.quote(c) for c in cmd)
        if stdin_path:
            shell_cmd += ' < ' + shlex.quote(stdin_path)
        export = os.path.join(workdir, 'hyperfine-%s.json' % name)
        hf = [hyperfine, '--runs', str(runs), '--warmup', str(warmup), '--ignore-failure',
              '--style', 'none', '--export-json', export, '--command-name', name, shell_cmd]
        p = subprocess.run(hf, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            log('hyperfine failed:\n%s' % p.stdout[-2000:])
            return None, 0
        with open(export, encoding='utf-8') as f:
            result = json.load(f)['results'][0]
        codes = set(result.get('exit_codes') or [0])
        if not codes <= set(ok_codes):
            log('%s exited with %s' % (name, sorted(codes)))
            return None, 0
        return result['median'], len(result['times'])
    times = []
    for i in range(warmup + runs):
        stdin = open(stdin_path, 'rb') if stdin_path else subprocess.DEVNULL
        try:
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - t0
        finally:
            if stdin_path:
                stdin.close()
        if p.returncode not in ok_codes:
            log('%s exited with %d' % (name, p.returncode))
            return None, 0
        if i >= warmup:
            times.append(elapsed)
    return statistics.median(times), len(times)


def npm_install(prefix):
    """Installs the peers into prefix; returns (node_modules dir or None, message)."""
    npm = shutil.which('npm')
    node = shutil.which('node')
    if not npm or not node:
        return None, 'npm or node is not installed'
    os.makedirs(prefix, exist_ok=True)
    cmd = [npm, 'install', '--prefix', prefix, '--no-audit', '--no-fund',
           '--loglevel', 'error'] + PEERS
    log('installing the peers: %s' % ' '.join(cmd))
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=600)
    except subprocess.TimeoutExpired:
        return None, 'npm install timed out (is the npm registry reachable?)'
    modules = os.path.join(prefix, 'node_modules')
    if p.returncode != 0:
        errors = [line for line in p.stdout.splitlines()
                  if line.strip() and 'complete log' not in line]
        return None, 'npm install failed (is the npm registry reachable?): %s' % (
            ' / '.join(errors[:3]) or 'no output')
    for peer in PEERS:
        if not os.path.isfile(os.path.join(modules, peer, 'package.json')):
            return None, 'npm install did not install %s' % peer
    return modules, None


def machine_info(builddir):
    cpu = 'unknown CPU'
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as f:
            for line in f:
                if line.startswith('model name'):
                    cpu = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ''
    try:
        with open('/proc/meminfo', encoding='utf-8') as f:
            kb = int(f.readline().split()[1])
            mem = ', %.0f GiB RAM' % (kb / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    build = ''
    try:
        with open(os.path.join(builddir, 'meson-info', 'intro-buildoptions.json'),
                  encoding='utf-8') as f:
            opts = {o['name']: o['value'] for o in json.load(f)}
        build = ', buildtype %s (-O%s)' % (opts.get('buildtype'), opts.get('optimization'))
    except (OSError, ValueError, KeyError):
        pass
    node = ''
    if shutil.which('node'):
        node = ', Node.js ' + subprocess.run(['node', '--version'], stdout=subprocess.PIPE,
                                             text=True).stdout.strip()
    return '%s, nproc %d%s, Linux %s%s%s' % (cpu, os.cpu_count() or 0, mem,
                                             platform.release(), build, node)


def fmt_us(us):
    if us is None:
        return 'n/a'
    if us >= 1000:
        return '{:,.0f}'.format(us)
    if us >= 100:
        return '%.0f' % us
    if us >= 10:
        return '%.1f' % us
    return '%.2f' % us


def fmt_ratio(r):
    if r is None:
        return 'n/a'
    if r >= 100:
        return '{:,.0f}×'.format(r)
    return '%.1f×' % r


def fmt_ms(ms):
    if ms is None:
        return 'n/a'
    if ms >= 1000:
        return '%.2f s' % (ms / 1000)
    return '%.1f ms' % ms


def pct(n, d):
    return '%.1f%%' % (100.0 * n / d) if d else 'n/a'


def score_cells(s):
    if s is None:
        return ['n/a', 'n/a', 'n/a']
    return ['%s (%d/%d)' % (pct(s['typos_caught'], s['typos']), s['typos_caught'], s['typos']),
            '%d / %d' % (s['exact_flagged'], s['unknown_flagged']),
            pct(s['correct'], s['typos'] + s['exact'] + s['unknown'])]


def table(header, rows):
    out = ['| ' + ' | '.join(header) + ' |',
           '|' + '|'.join('---' if i == 0 else '---:' for i in range(len(header))) + '|']
    for row in rows:
        out.append('| ' + ' | '.join(row) + ' |')
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description='Benchmark rcptguard against its peers.')
    ap.add_argument('srcdir')
    ap.add_argument('builddir')
    ap.add_argument('rg_bench')
    ap.add_argument('rcptguard')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--sizes', default='10000,100000,1000000')
    ap.add_argument('--queries', type=int, default=100000)
    ap.add_argument('--no-peers', action='store_true')
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    work = os.path.join(os.path.abspath(args.builddir), 'bench')
    os.makedirs(work, exist_ok=True)
    known = os.path.join(work, 'known.txt')
    addresses = os.path.join(work, 'addresses.txt')
    truth_path = os.path.join(work, 'truth.tsv')
    problems = []
    started = datetime.datetime.now(datetime.timezone.utc)

    # 1. The data.
    log('generating the data in %s' % work)
    subprocess.run([sys.executable, os.path.join(here, 'gen-data.py'), work, '--providers',
                    os.path.join(args.srcdir, 'data', 'providers.txt')], check=True)
    truth = read_truth(truth_path)
    n_addr = len(truth)
    with open(known, encoding='utf-8') as f:
        n_known = sum(1 for line in f if line.strip() and not line.startswith('#'))

    # 2. The peers' packages.
    modules = None
    if args.no_peers:
        problems.append('the npm peers were skipped (--no-peers)')
    else:
        modules, why = npm_install(os.path.join(os.path.abspath(args.builddir), 'bench-npm'))
        if modules is None:
            problems.append('npm peers NOT RUN: ' + why)
            log(problems[-1])

    # 3. rcptguard, whole process and in-process.
    results = {}
    cli = [os.path.abspath(args.rcptguard), 'check', '--no-settings', '--known', known,
           '--stdin', '--format', 'tsv']
    log('running the rcptguard command once for its answers')
    with open(addresses, 'rb') as stdin:
        p = subprocess.run(cli, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cli_score = None
    if p.returncode in (0, 1, 2):
        # One line in, one address, one line out, in order.
        answers = []
        lines = p.stdout.decode('utf-8').splitlines()
        for (address, _), line in zip(truth, lines):
            fields = line.split('\t')
            if len(fields) < 3 or fields[0] != address:
                problems.append('rcptguard check answered %r for %s' % (line, address))
                break
            suggestion = None if fields[2] == '-' else fields[2].rsplit('@', 1)[-1]
            answers.append((suggestion, fields[1] in ('warn', 'block')))
        if len(answers) != n_addr or len(lines) != n_addr:
            problems.append('rcptguard check printed %d lines for %d addresses'
                            % (len(lines), n_addr))
        cli_score = score(truth, answers)
        whole, runs = time_process('rcptguard', cli, addresses, args.runs, 1, work,
                                   ok_codes=(0, 1, 2))
    else:
        problems.append('rcptguard check failed with exit status %d: %s' % (
            p.returncode, p.stderr.decode('utf-8', 'replace').strip()[-500:]))
        whole, runs = None, 0
    inproc = run_json([args.rg_bench, '--known', known, '--addresses', addresses,
                       '--truth', truth_path], 'rg-bench (in-process)')
    if inproc is None:
        problems.append('rg-bench --known failed')
    results['rcptguard'] = dict(whole=whole, runs=runs, inproc=inproc, score=cli_score)

    # 4. The npm peers.
    for peer in PEERS if modules else []:
        base = ['node', os.path.join(here, 'peers.mjs')]
        opts = ['--peer', peer, '--modules', modules, '--known', known,
                '--addresses', addresses]
        ip = run_json(base + ['time'] + opts + ['--truth', truth_path],
                      '%s (in-process)' % peer)
        if ip is None:
            problems.append('%s failed in-process' % peer)
            continue
        runs = args.runs
        if (ip['setup_ms'] + ip['check_ms']) > 60000 and runs > 3:
            runs = 3
        whole, runs = time_process(peer, base + ['run'] + opts, None, runs, 0, work)
        if whole is None:
            problems.append('%s failed as a whole process' % peer)
        results[peer] = dict(whole=whole, runs=runs, inproc=ip, score=ip)

    # 5. Scaling.
    scaling = []
    for size in [int(s) for s in args.sizes.split(',') if s]:
        r = run_json([args.rg_bench, '--generate', str(size), '--queries', str(args.queries)],
                     'rg-bench --generate %d' % size)
        if r is None:
            problems.append('rg-bench --generate %d failed' % size)
        else:
            scaling.append(r)

    # 6. The report.
    def per_address(res):
        return res['whole'] * 1e6 / n_addr if res.get('whole') is not None else None

    rg = results['rcptguard']
    rg_whole_us = per_address(rg)
    rg_in_us = rg['inproc']['us_per_address'] if rg['inproc'] else None
    rows = []
    best_peer_ratio = None
    for name, res in results.items():
        w_us = per_address(res)
        ip = res['inproc']
        in_us = ip['us_per_address'] if ip else None
        if name == 'rcptguard':
            label = 'rcptguard %s (C; CLI / library)' % '0.1.0'
            ratio_w = ratio_i = '1×'
        else:
            label = '%s %s (Node.js)' % (name, ip['version'])
            rw = w_us / rg_whole_us if w_us is not None and rg_whole_us else None
            ri = in_us / rg_in_us if in_us is not None and rg_in_us else None
            ratio_w, ratio_i = fmt_ratio(rw), fmt_ratio(ri)
            if rw is not None and (best_peer_ratio is None or rw < best_peer_ratio):
                best_peer_ratio = rw
        setup = 'n/a'
        if ip:
            setup = '%s / %s µs' % (fmt_ms(ip['setup_ms']), fmt_us(ip['warmup_us_per_address']))
        whole_cell = 'n/a' if res['whole'] is None else '%.3f s (median of %d)' % (
            res['whole'], res['runs'])
        # rcptguard's hit columns are the CLI's; rg-bench's must agree (checked below).
        rows.append([label, whole_cell, fmt_us(w_us), fmt_us(in_us), setup]
                    + score_cells(res['score']) + [ratio_w, ratio_i])
    if rg['inproc'] and rg['score'] and rg['inproc'].get('correct') != rg['score']['correct']:
        problems.append('rg-bench and the rcptguard command disagree: %s vs %s correct' % (
            rg['inproc'].get('correct'), rg['score']['correct']))

    t = truth
    n_exact = sum(1 for a, i in t if i != '-' and i == a.rsplit('@', 1)[-1])
    n_unknown = sum(1 for _, i in t if i == '-')
    print()
    print('### Peers: %s addresses against %s known domains' % (
        '{:,}'.format(n_addr), '{:,}'.format(n_known)))
    print()
    print('Data from tests/bench/gen-data.py (fixed seed): %d exact known domains, %d one-edit '
          'typos (omission, insertion, substitution, transposition, TLD swap), %d unknown '
          'domains.  Whole process: load the known domains, check every address, print a '
          'line each.  In-process: the checks only, after a warm-up pass over 1,000 '
          'addresses.' % (n_exact, n_addr - n_exact - n_unknown, n_unknown))
    print()
    if modules is None:
        print('**The npm peers were not run** (%s): this table has rcptguard only.' % (
            '; '.join(p for p in problems if 'peers' in p)))
        print()
    print(table(['Tool', 'Whole process', 'µs/address (whole)', 'µs/address (in-process)',
                 'Setup / warm-up µs/address', 'Typos caught', 'False alarms (exact / unknown)',
                 'Correct overall', 'Peer / rcptguard (whole)', 'Peer / rcptguard (in-process)'],
                rows))
    print()

    print('### Scaling: rg-bench --generate N --queries %s' % '{:,}'.format(args.queries))
    print()
    srows = []
    for r in scaling:
        srows.append([
            '{:,}'.format(r['known']),
            fmt_ms(r['fill_ms']),
            fmt_ms(r['build_ms']),
            fmt_us(r['us_per_check']),
            '%s / %s' % (fmt_us(r['p50_us']), fmt_us(r['p99_us'])),
            '%.0f → %.0f MiB (+%.0f)' % (r['rss_filled_mib'], r['rss_built_mib'],
                                         r['rss_built_mib'] - r['rss_filled_mib']),
            '%.0f MiB' % r['peak_rss_mib'],
            pct(r['typos_caught'], r['typos']),
        ])
    print(table(['Known domains', 'Fill config', 'Index build (rg_checker_new)',
                 'µs/recipient (median of 5 rounds)', 'p50 / p99 µs',
                 'RSS before → after build', 'Peak RSS', 'Typos caught'], srows))
    print()
    print('Each N in its own process; each check is rg_checker_check() of a one-address list; '
          'recipients are 45% exact, 35% one-edit typos, 20% unknown.')
    print()

    print('### Targets')
    print()
    big = max(scaling, key=lambda r: r['known']) if scaling else None

    def verdict(ok):
        return 'met' if ok else 'MISSED'

    if big:
        n = '{:,}'.format(big['known'])
        print('- index build at %s known domains under %.0f s: %s, %s' % (
            n, TARGET_BUILD_S, fmt_ms(big['build_ms']),
            verdict(big['build_ms'] < TARGET_BUILD_S * 1000)))
        print('- under %.0f µs per recipient at %s: %s µs, %s' % (
            TARGET_US, n, fmt_us(big['us_per_check']),
            verdict(big['us_per_check'] < TARGET_US)))
        print('- peak memory under %.0f MiB at %s: %.0f MiB, %s' % (
            TARGET_MIB, n, big['peak_rss_mib'], verdict(big['peak_rss_mib'] < TARGET_MIB)))
        if big['known'] < 1000000:
            print('  (the targets are for 1,000,000 known domains; this run stopped at %s)' % n)
    if best_peer_ratio is not None:
        print('- at least %.0f× faster than the best peer, whole process: %s, %s' % (
            TARGET_RATIO, fmt_ratio(best_peer_ratio), verdict(best_peer_ratio >= TARGET_RATIO)))
    else:
        print('- at least %.0f× faster than the best peer, whole process: not measured' %
              TARGET_RATIO)
    print()
    print('Machine: %s.  Date: %s.' % (machine_info(args.builddir),
                                       started.strftime('%Y-%m-%d %H:%M UTC')))
    if problems:
        print()
        print('**NOT A FULL RUN:**')
        for p in problems:
            print('- ' + p)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
