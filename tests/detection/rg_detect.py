# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the detection suites share: running domains through `rcptguard check --stdin`, reading
known-domain files, the relation of a domain to a known set, and the closing summary."""

import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.normpath(os.path.join(HERE, '..', 'data'))
PROVIDERS = os.path.normpath(os.path.join(HERE, '..', '..', 'data', 'providers.txt'))
WARNED = ('warn', 'block')


def read_known(path):
    """The domains of a --known file (first field of each line; '#' comments), in order."""
    with open(path, encoding='utf-8') as f:
        return [line.split()[0].lower() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def parents(domain):
    """The proper parents of a domain that still have a dot: a.b.c.d -> b.c.d, c.d."""
    labels = domain.split('.')
    return ['.'.join(labels[i:]) for i in range(1, len(labels) - 1)]


class KnownSet:
    """A set of known domains, to tell whether a domain is one of them, under one of them, or
    above one of them: the cases where rcptguard rightly answers ok without a comparison."""

    def __init__(self, domains):
        self.domains = set(domains)
        self.ancestors = {p for d in self.domains for p in parents(d)}

    def relation(self, domain):
        if domain in self.domains:
            return 'known'
        if any(p in self.domains for p in parents(domain)):
            return 'subdomain of a known domain'
        if domain in self.ancestors:
            return 'parent of a known domain'
        return None


def check_inputs(rcptguard, known_paths, inputs, timeout=600):
    """Runs `rcptguard check --no-settings --known KNOWN... --format json --stdin` on INPUTS,
    one address list of one recipient a line.  KNOWN_PATHS is a path or a list of paths.
    Returns (one result per input, in order; exit status; seconds)."""
    if isinstance(known_paths, str):
        known_paths = [known_paths]
    argv = [rcptguard, 'check', '--no-settings']
    for path in known_paths:
        argv += ['--known', path]
    argv += ['--format', 'json', '--stdin']
    start = time.monotonic()
    proc = subprocess.run(argv, input=''.join(i + '\n' for i in inputs).encode('utf-8'),
                          capture_output=True, timeout=timeout)
    seconds = time.monotonic() - start
    results = [json.loads(line) for line in proc.stdout.decode('utf-8').splitlines() if line]
    if len(results) != len(inputs):
        sys.stderr.write(proc.stderr.decode('utf-8', 'replace'))
        raise RuntimeError('rcptguard answered %d lines for %d inputs (exit %d)'
                           % (len(results), len(inputs), proc.returncode))
    return results, proc.returncode, seconds


def check_domains(rcptguard, known_paths, domains, local='user', timeout=600):
    """check_inputs() on LOCAL@DOMAIN for each domain; each answer must name its input."""
    inputs = ['%s@%s' % (local, d) for d in domains]
    results, status, seconds = check_inputs(rcptguard, known_paths, inputs, timeout)
    for address, result in zip(inputs, results):
        if result.get('input') != address:
            raise RuntimeError('rcptguard answered %r for %s' % (result.get('input'), address))
    return results, status, seconds


def write_known(entries):
    """A temporary --known file of (domain, count) pairs; the caller removes it."""
    fd, path = tempfile.mkstemp(prefix='rg-known-', suffix='.txt')
    with os.fdopen(fd, 'w', encoding='utf-8') as f:
        for domain, count in entries:
            f.write('%s %d\n' % (domain, count) if count else '%s\n' % domain)
    return path


def suggested_domain(result):
    suggestion = result.get('suggestion')
    if not suggestion:
        return None
    return suggestion.rpartition('@')[2].lower()


def reason_codes(result):
    return ','.join(r['code'] for r in result.get('reasons', [])) or '-'


def percent(part, whole):
    return 100.0 * part / whole if whole else 0.0


class Checks:
    """The asserted results of a suite; finish() prints 'N passed, N failed' and returns the
    exit status (1 when anything failed or nothing was checked)."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = []

    def check(self, ok, description):
        print('%s: %s' % ('PASS' if ok else 'FAIL', description), flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(description)
        return ok

    def finish(self):
        print('%s: %d passed, %d failed' % (self.name, self.passed, len(self.failed)),
              flush=True)
        return 0 if self.passed and not self.failed else 1
