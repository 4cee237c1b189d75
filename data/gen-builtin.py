#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gen-builtin.py - generate rg-builtin.c, the built-in data of librcptguard:
#
#   rg_builtin_providers ()  the list of large public mail providers (data/providers.txt)
#   rg_tld_country ()        the country or territory of each country-code TLD, from
#                            iso-codes' iso_3166-1.json and data/cctld-overrides.tsv
#
# Usage:
#   gen-builtin.py --providers data/providers.txt \
#                  --iso3166 /usr/share/iso-codes/json/iso_3166-1.json \
#                  --overrides data/cctld-overrides.tsv --output rg-builtin.c
#
# The input is validated and the output is deterministic (sorted, no paths or dates in it).
# On bad input the script prints "gen-builtin.py: error: FILE:LINE: ..." to stderr, writes
# nothing and exits with status 1.

import argparse
import json
import os
import re
import sys
import unicodedata

LABEL_RE = re.compile(r'^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')
CCTLD_RE = re.compile(r'^[a-z]{2}$')
MAX_DOMAIN_OCTETS = 253  # RG_MAX_DOMAIN_OCTETS

# The self-check: the output must contain these, whatever the input files say.
EXPECTED_COUNTRIES = {
    'ml': 'Mali',
    'co': 'Colombia',
    'cm': 'Cameroon',
    'om': 'Oman',
    'uk': 'the United Kingdom',
}
EXPECTED_PROVIDERS = ['gmail.com', 'outlook.com', 'yahoo.com', 'web.de', 'qq.com']


class InputError(Exception):
    pass


def strip_comment(line):
    return line.split('#', 1)[0].strip()


def check_domain(domain):
    """Returns None when domain is a valid lower-case LDH name with a dot, else why not."""
    if len(domain) > MAX_DOMAIN_OCTETS:
        return 'longer than %d octets' % MAX_DOMAIN_OCTETS
    labels = domain.split('.')
    if len(labels) < 2:
        return 'no dot: a provider is a domain under a public suffix'
    for label in labels:
        if not LABEL_RE.match(label):
            return ('label "%s" is not lower-case LDH (a-z, 0-9, inner hyphens, '
                    '1 to 63 octets)' % label)
    if labels[-1].isdigit():
        return 'the top-level label is numeric'
    return None


def read_providers(path):
    """Returns the sorted list of provider domains in path."""
    seen = {}
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            domain = strip_comment(line)
            if not domain:
                continue
            where = '%s:%d' % (path, lineno)
            if domain.endswith('.'):
                raise InputError('%s: "%s": remove the trailing dot' % (where, domain))
            problem = check_domain(domain)
            if problem:
                raise InputError('%s: "%s": %s' % (where, domain, problem))
            if domain in seen:
                raise InputError('%s: "%s" is a duplicate of line %d'
                                 % (where, domain, seen[domain]))
            seen[domain] = lineno
    if not seen:
        raise InputError('%s: no providers' % path)
    return sorted(seen)


def read_iso3166(path):
    """Returns {cctld: name} from iso-codes' iso_3166-1.json."""
    with open(path, encoding='utf-8') as f:
        try:
            data = json.load(f)
        except ValueError as e:
            raise InputError('%s: not JSON: %s' % (path, e))
    entries = data.get('3166-1') if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError('%s: no "3166-1" list; is this iso_3166-1.json?' % path)
    countries = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise InputError('%s: bad entry %r' % (path, entry))
        code = entry.get('alpha_2', '')
        name = entry.get('common_name') or entry.get('name')
        if not re.match(r'^[A-Z]{2}$', code) or not name:
            raise InputError('%s: bad entry %r' % (path, entry))
        tld = code.lower()
        if tld in countries:
            raise InputError('%s: alpha_2 "%s" appears twice' % (path, code))
        countries[tld] = name
    return countries


def read_overrides(path):
    """Returns [(cctld, name or None, "file:line")] from the overrides file."""
    overrides = []
    seen = {}
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\r\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            where = '%s:%d' % (path, lineno)
            fields = line.split('\t')
            if len(fields) != 2:
                raise InputError('%s: expected "tld<TAB>name", got %r' % (where, line))
            tld, name = fields[0], fields[1].strip()
            if not CCTLD_RE.match(tld):
                raise InputError('%s: "%s" is not a two-letter lower-case ccTLD'
                                 % (where, tld))
            if not name:
                raise InputError('%s: empty name for "%s" (use "-" to remove it)'
                                 % (where, tld))
            if tld in seen:
                raise InputError('%s: "%s" is already overridden on line %d'
                                 % (where, tld, seen[tld]))
            seen[tld] = lineno
            overrides.append((tld, None if name == '-' else name, where))
    return overrides


def build_countries(iso, overrides):
    countries = dict(iso)
    for tld, name, where in overrides:
        if name is None:
            if tld not in countries:
                raise InputError('%s: cannot remove "%s": it is not in ISO 3166-1'
                                 % (where, tld))
            del countries[tld]
        else:
            countries[tld] = name
    for tld, name in countries.items():
        if not unicodedata.is_normalized('NFC', name):
            raise InputError('the name of "%s" is not in NFC: %r' % (tld, name))
        if any(unicodedata.category(c).startswith('C') for c in name):
            raise InputError('the name of "%s" holds a control character: %r' % (tld, name))
    return countries


def self_check(providers, countries):
    """Fails when the data lost something the library's messages and tests rely on."""
    for tld, name in EXPECTED_COUNTRIES.items():
        if countries.get(tld) != name:
            raise InputError('self-check: "%s" maps to %r, expected %r'
                             % (tld, countries.get(tld), name))
    for tld in countries:
        if not CCTLD_RE.match(tld):
            raise InputError('self-check: "%s" is not a two-letter ccTLD' % tld)
    provider_set = set(providers)
    for domain in EXPECTED_PROVIDERS:
        if domain not in provider_set:
            raise InputError('self-check: "%s" is missing from the providers' % domain)
    if providers != sorted(provider_set):
        raise InputError('self-check: the providers are not sorted and unique')


def c_string(text):
    """Returns text as a C string literal: ASCII only, other bytes as octal escapes."""
    out = ['"']
    for byte in text.encode('utf-8'):
        char = chr(byte)
        if char in '"\\':
            out.append('\\' + char)
        elif 0x20 <= byte < 0x7f:
            out.append(char)
        else:
            out.append('\\%03o' % byte)
    out.append('"')
    return ''.join(out)


def generate(providers, countries, inputs):
    lines = []
    add = lines.append
    add('/* SPDX-License-Identifier: LGPL-2.1-or-later */')
    add('/*')
    add(' * rg-builtin.c - the built-in data of librcptguard.')
    add(' *')
    add(' * Generated by data/gen-builtin.py, do not edit.  Sources:')
    for name in inputs:
        add(' *   %s' % name)
    add(' */')
    add('')
    add('#include "rcptguard.h"')
    add('')
    add('/* Large public mail providers, sorted (data/providers.txt). */')
    add('static const char *const builtin_providers[] = {')
    for domain in providers:
        add('  %s,' % c_string(domain))
    add('};')
    add('')
    add('/* Country-code TLDs and their countries, sorted by TLD (byte order). */')
    add('typedef struct {')
    add('  char tld[3];')
    add('  const char *name;')
    add('} rg_tld_country_entry;')
    add('')
    add('static const rg_tld_country_entry tld_countries[] = {')
    for tld in sorted(countries):
        add('  { "%s", %s },' % (tld, c_string(countries[tld])))
    add('};')
    add('')
    add('RG_API const char *const *')
    add('rg_builtin_providers (size_t *n)')
    add('{')
    add('  if (n != NULL)')
    add('    *n = sizeof (builtin_providers) / sizeof (builtin_providers[0]);')
    add('  return builtin_providers;')
    add('}')
    add('')
    add('/* Compares @key, in any ASCII case, with the lower-case @tld, like strcmp ().')
    add(' * No <ctype.h>: it must not depend on the locale. */')
    add('static int')
    add('compare_tld (const char *key,')
    add('             const char *tld)')
    add('{')
    add('  size_t i;')
    add('')
    add('  for (i = 0; ; i++)')
    add('    {')
    add('      int a = (unsigned char) key[i];')
    add('      int b = (unsigned char) tld[i];')
    add('')
    add("      if (a >= 'A' && a <= 'Z')")
    add("        a += 'a' - 'A';")
    add("      if (a != b || a == '\\0')")
    add('        return a - b;')
    add('    }')
    add('}')
    add('')
    add('RG_API const char *')
    add('rg_tld_country (const char *tld)')
    add('{')
    add('  size_t lo = 0;')
    add('  size_t hi = sizeof (tld_countries) / sizeof (tld_countries[0]);')
    add('')
    add('  if (tld == NULL)')
    add('    return NULL;')
    add('')
    add('  while (lo < hi)')
    add('    {')
    add('      size_t mid = lo + (hi - lo) / 2;')
    add('      int cmp = compare_tld (tld, tld_countries[mid].tld);')
    add('')
    add('      if (cmp == 0)')
    add('        return tld_countries[mid].name;')
    add('      if (cmp < 0)')
    add('        hi = mid;')
    add('      else')
    add('        lo = mid + 1;')
    add('    }')
    add('')
    add('  return NULL;')
    add('}')
    return '\n'.join(lines) + '\n'


def write_output(path, text):
    """Writes text to path through a temporary file, so a failed run leaves no half file."""
    tmp = path + '.tmp'
    with open(tmp, 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)
    os.replace(tmp, path)


def near_pairs(domains):
    """Yields the pairs of domains at Damerau-Levenshtein distance 1 (for review)."""
    def one_edit(a, b):
        if a == b or abs(len(a) - len(b)) > 1:
            return False
        if len(a) == len(b):
            diff = [i for i in range(len(a)) if a[i] != b[i]]
            if len(diff) == 1:
                return True
            return (len(diff) == 2 and diff[1] == diff[0] + 1
                    and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
        if len(a) > len(b):
            a, b = b, a
        return any(b[:i] + b[i + 1:] == a for i in range(len(b)))

    for i, a in enumerate(domains):
        for b in domains[i + 1:]:
            if one_edit(a, b):
                yield a, b


def main():
    parser = argparse.ArgumentParser(
        description='Generate rg-builtin.c, the built-in providers and ccTLD countries '
                    'of librcptguard.')
    parser.add_argument('--providers', required=True,
                        help='data/providers.txt: one provider domain per line')
    parser.add_argument('--iso3166', required=True,
                        help="iso-codes' iso_3166-1.json")
    parser.add_argument('--overrides', required=True,
                        help='data/cctld-overrides.tsv: tld<TAB>name, "-" removes')
    parser.add_argument('--output', required=True, help='the C file to write')
    parser.add_argument('--verbose', action='store_true',
                        help='print counts and the providers one edit apart')
    args = parser.parse_args()

    try:
        providers = read_providers(args.providers)
        iso = read_iso3166(args.iso3166)
        countries = build_countries(iso, read_overrides(args.overrides))
        self_check(providers, countries)
        inputs = [os.path.basename(args.providers),
                  os.path.basename(args.iso3166) + ' (iso-codes)',
                  os.path.basename(args.overrides)]
        write_output(args.output, generate(providers, countries, inputs))
    except (InputError, OSError, UnicodeDecodeError) as e:
        print('gen-builtin.py: error: %s' % e, file=sys.stderr)
        return 1

    if args.verbose:
        print('%d providers, %d ccTLDs' % (len(providers), len(countries)))
        for a, b in near_pairs(providers):
            print('one edit apart: %s %s' % (a, b))
    return 0


if __name__ == '__main__':
    sys.exit(main())
