#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gen-data.py - the data set of the peer benchmark: known domains, recipients, and the truth.
#
# Usage: gen-data.py OUTDIR [--providers FILE] [--known N] [--addresses M] [--seed S]
#
# Writes into OUTDIR:
#   known.txt      ~9,000 known domains, one a line: organisation-like names built from
#                  syllables (5-14 letters, some hyphenated, some subdomains such as
#                  mail.x.com) under a realistic mix of public suffixes.
#   addresses.txt  10,000 addresses, one a line: ~45% at an exact known domain, ~35% at a
#                  single-edit typo of a known domain (omission, insertion, substitution,
#                  transposition, TLD swap), ~20% at a domain far from every known one.
#   truth.tsv      address<TAB>intended<TAB>kind, in the order of addresses.txt.  intended is
#                  the domain the sender meant: the address's own domain when it is exact
#                  (nothing should be suggested), "-" when it is unknown (nothing should be
#                  suggested), the known domain otherwise (it should be suggested).  kind is
#                  exact, omission, insertion, substitution, transposition, tld-swap or unknown.
#
# The output depends only on the arguments: a fixed seed, Python's documented random
# algorithms, and no iteration over sets or hashes.
#
# A typo is kept only when the known domain it came from is the only known domain within one
# edit of it, and no built-in provider (--providers, the library's data/providers.txt) is:
# otherwise "intended" would be a guess.  An unknown domain is kept only when its name is
# more than two edits from every known name and every provider's name.

import argparse
import os
import random
import sys

ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v',
          'w', 'z', 'br', 'cr', 'dr', 'fl', 'gr', 'kl', 'pl', 'pr', 'st', 'tr', 'sh', 'ch',
          'th', 'sk', 'sp', 'qu']
VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'i', 'o', 'ai', 'ea', 'io', 'ou', 'y']
CODAS = ['', '', '', '', '', '', 'n', 'r', 's', 'l', 't', 'x', 'm', 'nd', 'rt', 'st', 'ck', 'ng']
# Words that organisations like to end or start their names with.
WORDS = ['tech', 'corp', 'labs', 'group', 'bank', 'media', 'soft', 'data', 'med', 'bau',
         'werk', 'haus', 'net', 'works', 'energy', 'trans', 'nord', 'sud', 'west', 'east',
         'pharma', 'consult', 'invest', 'logic', 'systems', 'health', 'legal', 'air']

# Public suffixes with weights that resemble a business address book: mostly .com, then
# the large country domains, some government and military ones.
SUFFIXES = [('com', 34), ('org', 8), ('net', 6), ('de', 7), ('fr', 5), ('co.uk', 6),
            ('com.au', 3), ('mil', 3), ('gov', 3), ('edu', 4), ('io', 3), ('nl', 2),
            ('it', 2), ('es', 2), ('ch', 2), ('se', 1), ('ca', 2), ('co.jp', 1), ('us', 1),
            ('eu', 1), ('info', 1), ('be', 1), ('at', 1), ('pl', 1)]
SUBDOMAIN_LABELS = ['mail', 'hr', 'eu', 'us', 'lists', 'cs', 'corp', 'intl', 'mx', 'news']

# One-edit slips of the last label that people make, many landing on another real TLD
# (.co Colombia, .cm Cameroon, .om Oman, .ml Mali, .ne Niger).
TLD_SWAPS = {
    'com': ['co', 'cm', 'om', 'con', 'cpm'],
    'net': ['ne', 'nt', 'nte'],
    'org': ['or', 'og', 'ogr'],
    'mil': ['ml', 'mill'],
    'gov': ['go', 'gob'],
    'edu': ['ed', 'eud'],
    'de': ['ed'],
    'fr': ['rf'],
    'io': ['oi'],
}

# Neighbouring keys on a QWERTY keyboard, for realistic substitutions and insertions.
QWERTY_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm']
LETTERS = 'abcdefghijklmnopqrstuvwxyz'


def keyboard_neighbours():
    pos = {}
    for r, row in enumerate(QWERTY_ROWS):
        for c, ch in enumerate(row):
            pos[ch] = (r, c)
    near = {}
    for ch, (r, c) in pos.items():
        near[ch] = [o for o, (r2, c2) in pos.items()
                    if o != ch and abs(r2 - r) <= 1 and abs(c2 - c) <= 1]
    return near


NEAR = keyboard_neighbours()


def deletes(s, depth):
    """Every string made by deleting at most depth characters from s (as a list, sorted)."""
    out = {s}
    frontier = {s}
    for _ in range(depth):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1:])
        out |= nxt
        frontier = nxt
    return sorted(out)


class Neighbourhood:
    """Finds the strings within a given Levenshtein distance by symmetric deletion: two
    strings within d edits share a string made by deleting at most d characters from each.
    Strings up to 2d edits apart may share one too; that only makes the filters stricter."""

    def __init__(self, depth):
        self.depth = depth
        self.index = {}

    def add(self, s, ident):
        for v in deletes(s, self.depth):
            self.index.setdefault(v, []).append(ident)

    def near(self, s):
        found = []
        for v in deletes(s, self.depth):
            found.extend(self.index.get(v, ()))
        return found


def weighted_choice(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def make_word(rng):
    while True:
        n = rng.choice([2, 2, 2, 3, 3, 4])
        word = ''.join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                       for _ in range(n))
        if rng.random() < 0.25:
            w = rng.choice(WORDS)
            word = word + w if rng.random() < 0.7 else w + word
        if 5 <= len(word) <= 14:
            return word


def make_name(rng):
    """An organisation-like name: 5-14 letters, sometimes two words joined by a hyphen."""
    if rng.random() < 0.08:
        while True:
            a = make_word(rng)[:rng.randint(3, 7)]
            b = rng.choice(WORDS) if rng.random() < 0.5 else make_word(rng)[:rng.randint(3, 7)]
            name = a + '-' + b
            if 5 <= len(name) - 1 <= 14:
                return name
    return make_word(rng)


def split_domain(domain):
    """(prefix labels, name label, suffix) of a generated domain."""
    for suffix, _ in sorted(SUFFIXES, key=lambda p: -len(p[0])):
        if domain.endswith('.' + suffix):
            rest = domain[:-len(suffix) - 1].split('.')
            return rest[:-1], rest[-1], suffix
    raise ValueError(domain)


def read_providers(path):
    names, full = [], []
    if not path:
        return names, full
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip().lower()
            if not line:
                continue
            full.append(line)
            names.append(line.split('.')[0])
    return names, full


def valid_label(label):
    return (label != '' and len(label) <= 63 and label[0] != '-' and label[-1] != '-'
            and '--' not in label and all(c in LETTERS or c == '-' for c in label))


def typo_of_name(rng, name, kind):
    """One edit of kind in name, or None when it does not apply."""
    n = len(name)
    if kind == 'omission':
        i = rng.randrange(n)
        return name[:i] + name[i + 1:]
    if kind == 'insertion':
        i = rng.randrange(n + 1)
        r = rng.random()
        if r < 0.4 and i > 0 and name[i - 1] != '-':
            ch = name[i - 1]                      # a doubled letter
        elif r < 0.8 and i > 0 and name[i - 1] in NEAR:
            ch = rng.choice(NEAR[name[i - 1]])    # a neighbouring key hit too
        else:
            ch = rng.choice(LETTERS)
        return name[:i] + ch + name[i:]
    if kind == 'substitution':
        i = rng.randrange(n)
        if name[i] == '-':
            return None
        if rng.random() < 0.7:
            ch = rng.choice(NEAR[name[i]])
        else:
            ch = rng.choice(LETTERS.replace(name[i], ''))
        return name[:i] + ch + name[i + 1:]
    if kind == 'transposition':
        pairs = [i for i in range(n - 1) if name[i] != name[i + 1]]
        if not pairs:
            return None
        i = rng.choice(pairs)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    raise ValueError(kind)


def make_typo(rng, domain, kind):
    prefix, name, suffix = split_domain(domain)
    if kind == 'tld-swap':
        last = suffix.split('.')[-1]
        if last not in TLD_SWAPS:
            return None
        swapped = suffix[:len(suffix) - len(last)] + rng.choice(TLD_SWAPS[last])
        return '.'.join(prefix + [name, swapped])
    new = typo_of_name(rng, name, kind)
    if new is None or not valid_label(new) or len(new) < 3 or new == name:
        return None
    return '.'.join(prefix + [new, suffix])


def make_local(rng):
    first = make_word(rng)[:rng.randint(3, 7)]
    last = make_word(rng)[:rng.randint(4, 9)]
    r = rng.random()
    if r < 0.4:
        return first + '.' + last
    if r < 0.6:
        return first[0] + '.' + last
    if r < 0.75:
        return rng.choice(['ops', 'info', 'hr', 'sales', 'admin', 'billing', 'support',
                           'press', 'jobs', 'it-help'])
    return first + last[:3] + str(rng.randint(1, 99))


def generate(n_known, n_addresses, seed, providers_path):
    rng = random.Random(seed)
    prov_names, prov_full = read_providers(providers_path)

    # Names within two edits of a provider's name are not generated at all: then no typo of
    # a known domain is also a typo of gmail.com, and no unknown domain is near one.
    prov_near2 = Neighbourhood(2)
    for i, p in enumerate(prov_names):
        if len(p) >= 3:
            prov_near2.add(p, i)

    known = []
    known_set = {}
    names_used = {}
    while len(known) < n_known:
        name = make_name(rng)
        if prov_near2.near(name):
            continue
        suffix = weighted_choice(rng, SUFFIXES)
        domain = name + '.' + suffix
        if rng.random() < 0.06:
            domain = rng.choice(SUBDOMAIN_LABELS) + '.' + domain
        if domain in known_set:
            continue
        known_set[domain] = len(known)
        names_used.setdefault(name, len(known))
        known.append(domain)

    # Whole domains within one edit of each known domain and provider, for the typo filter.
    near1 = Neighbourhood(1)
    for i, d in enumerate(known):
        near1.add(d, i)
    for d in prov_full:
        near1.add(d, -1)

    # Names within two edits of a known name, for the unknown filter.
    near2 = Neighbourhood(2)
    for name, i in names_used.items():
        near2.add(name, i)

    n_exact = round(n_addresses * 0.45)
    n_typo = round(n_addresses * 0.35)
    n_unknown = n_addresses - n_exact - n_typo
    rows = []

    for _ in range(n_exact):
        d = rng.choice(known)
        rows.append((make_local(rng) + '@' + d, d, 'exact'))

    kinds = ['omission', 'insertion', 'substitution', 'transposition', 'tld-swap']
    made = 0
    while made < n_typo:
        d = rng.choice(known)
        kind = kinds[made % len(kinds)]
        t = make_typo(rng, d, kind)
        if t is None or t in known_set:
            continue
        # The intended domain must be the only known domain (or provider) within one edit.
        if any(j != known_set[d] for j in near1.near(t)):
            continue
        rows.append((make_local(rng) + '@' + t, d, kind))
        made += 1

    made = 0
    unknown_set = {}
    while made < n_unknown:
        name = make_name(rng)
        if near2.near(name) or prov_near2.near(name) or name in unknown_set:
            continue
        unknown_set[name] = True
        d = name + '.' + weighted_choice(rng, SUFFIXES)
        rows.append((make_local(rng) + '@' + d, '-', 'unknown'))
        made += 1

    rng.shuffle(rows)
    return known, rows


def main():
    ap = argparse.ArgumentParser(description='Generate the peer benchmark data set.')
    ap.add_argument('outdir')
    ap.add_argument('--providers', help='built-in provider list to keep away from')
    ap.add_argument('--known', type=int, default=9000)
    ap.add_argument('--addresses', type=int, default=10000)
    ap.add_argument('--seed', type=int, default=20231)
    args = ap.parse_args()

    known, rows = generate(args.known, args.addresses, args.seed, args.providers)
    os.makedirs(args.outdir, exist_ok=True)
    with open(os.path.join(args.outdir, 'known.txt'), 'w', encoding='utf-8') as f:
        for d in known:
            f.write(d + '\n')
    with open(os.path.join(args.outdir, 'addresses.txt'), 'w', encoding='utf-8') as f:
        for addr, _, _ in rows:
            f.write(addr + '\n')
    with open(os.path.join(args.outdir, 'truth.tsv'), 'w', encoding='utf-8') as f:
        for row in rows:
            f.write('\t'.join(row) + '\n')
    counts = {}
    for _, _, kind in rows:
        counts[kind] = counts.get(kind, 0) + 1
    sys.stderr.write('gen-data: %d known domains, %d addresses (%s)\n' % (
        len(known), len(rows), ', '.join('%s %d' % (k, counts[k]) for k in sorted(counts))))


if __name__ == '__main__':
    main()
