# SPDX-License-Identifier: LGPL-2.1-or-later
"""Regenerates tests/data/dnstwist-permutations.tsv with Debian's dnstwist, fully offline.

    /usr/bin/python3 tests/detection/gen-dnstwist.py > tests/data/dnstwist-permutations.tsv

Why the permutations are committed rather than made at test time: the suite measures the
detection model, and its figures must move only when the model does.  dnstwist's fuzzers
change between releases (Debian 12 has 20221213; later releases add `plural`, change
`homoglyph` and `various`), and a test that needs dnstwist installed could not run where it is
not.  So the list is data, like the other tables in tests/data, and this script is how it was
made.

No network: the permutations come from dnstwist's Fuzzer class alone (what `dnstwist --format
list` prints, with the fuzzer's name kept), never from its Scanner, which is what resolves.
To make that a fact rather than a promise, every socket call is replaced by one that raises
before dnstwist is imported; run it under `unshare -rn` for a second fence.

Fuzzers: all that dnstwist 20221213 has (`plural` does not exist yet), `dictionary` with its
own english.dict and `tld-swap` with its own common_tlds.dict (the files its package ships).
`homoglyph` makes about 100,000 domains for these forty (two rounds of substitution); a fixed
sample of at most HOMOGLYPH_CAP per original is kept, the ones with the smallest SHA-256 of
"original/domain", so the sample does not depend on set order or Python's hash seed.
"""

import hashlib
import os
import re
import socket
import sys

HOMOGLYPH_CAP = 200
DICT_DIR = '/usr/share/dnstwist/dictionaries'
FUZZERS = ['addition', 'bitsquatting', 'cyrillic', 'dictionary', 'homoglyph', 'hyphenation',
           'insertion', 'omission', 'repetition', 'replacement', 'subdomain', 'tld-swap',
           'transposition', 'various', 'vowel-swap', 'plural']


def _no_network(*args, **kwargs):
    raise OSError('gen-dnstwist.py: network use refused (permutations only)')


class _NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        _no_network()


socket.socket = _NoSocket
for _name in ('create_connection', 'getaddrinfo', 'gethostbyname', 'gethostbyname_ex',
              'gethostbyaddr'):
    setattr(socket, _name, _no_network)

sys.path.append('/usr/lib/python3/dist-packages')
import dnstwist  # noqa: E402  (after the sockets are fenced off)


def read_words(name, pattern):
    """Reads a dnstwist dictionary the way its command line does (`-d`, `--tld`)."""
    with open(os.path.join(DICT_DIR, name), encoding='utf-8') as f:
        return sorted(x for x in set(f.read().splitlines()) if re.match(pattern, x))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    known = os.path.join(here, '..', 'data', 'dnstwist-known.txt')
    with open(known, encoding='utf-8') as f:
        originals = [line.split()[0] for line in f if line.strip() and not line.startswith('#')]
    words = read_words('english.dict', r'^[a-zA-Z0-9]+$')
    tlds = read_words('common_tlds.dict', r'^[a-z0-9-]{2,63}(\.[a-z0-9-]{2,63}){0,1}$')

    print('# SPDX-License-Identifier: LGPL-2.1-or-later')
    print('#')
    print('# dnstwist-permutations.tsv - what dnstwist %s (Debian 12 package dnstwist'
          % dnstwist.__version__)
    print('# 0~20221213-1, Apache-2.0) generates from each domain of dnstwist-known.txt, made')
    print('# offline by tests/detection/gen-dnstwist.py (see there: fuzzers, dictionaries, the')
    print('# homoglyph sample of at most %d per original).  Columns: original, fuzzer, domain as'
          % HOMOGLYPH_CAP)
    print('# dnstwist prints it (IDNs as A-labels).  Read by tests/detection/test-dnstwist.py.')
    for original in originals:
        fuzz = dnstwist.Fuzzer(original, dictionary=words, tld_dictionary=list(tlds))
        fuzz.generate(fuzzers=FUZZERS)
        rows = sorted({(p['fuzzer'], p['domain']) for p in fuzz.domains
                       if p['domain'] != original})
        homoglyphs = [r for r in rows if r[0] == 'homoglyph']
        if len(homoglyphs) > HOMOGLYPH_CAP:
            def digest(row):
                return hashlib.sha256(('%s/%s' % (original, row[1])).encode()).hexdigest()
            keep = set(sorted(homoglyphs, key=digest)[:HOMOGLYPH_CAP])
            rows = [r for r in rows if r[0] != 'homoglyph' or r in keep]
        for fuzzer, domain in rows:
            print('%s\t%s\t%s' % (original, fuzzer, domain))


if __name__ == '__main__':
    main()
