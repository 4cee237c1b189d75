#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Unicode's UTS 46 conformance tests through `rcptguard check`: agree, or fall under a
stated rule.

Usage: test-idna.py RCPTGUARD IDNATESTV2_TXT.  Prints TAP (one point per rule, so 6,000
lines stay readable) and lists every case that fits no rule.

tests/data/IdnaTestV2.txt is Unicode's IdnaTestV2.txt for Unicode 13.0 (© Unicode, Inc.,
Unicode terms of use, see its header) as shipped in Debian's librust-idna-dev 0.3.0-1.  Each
source string is checked as the domain of "x@SOURCE".  When the file says toASCII
(non-transitional) succeeds, we must accept the domain and give the same Unicode form; when it
says toASCII fails, we must flag it (invalid-domain, invalid-address, invisible-character, or
bad input).  Where we differ, each case must fall under one of these rules, which the test
checks against the case itself:

  single-label    we refuse a domain of one label ("ab"): it is no one's mail domain
  numeric-tld     we refuse a last label of digits: no such TLD exists; an IP needs brackets
  invisible       we flag ignorable or compatibility characters (ZWJ, variation selectors,
                  full-width forms, ideographic full stops): what is seen is not what is sent
  idna2008        libidn2 follows IDNA2008 (RFC 5892), which disallows symbols, punctuation
                  and non-decimal numbers that UTS 46 lets through
"""
import json
import re
import subprocess
import sys
import unicodedata

DOT_LIKE = {"\u3002", "\uff0e", "\uff61"}
IGNORABLE = ({chr(c) for c in range(0xFE00, 0xFE10)} | {chr(c) for c in range(0xE0100, 0xE01F0)}
             | {chr(c) for c in range(0x180B, 0x1810)}
             | {"\u00ad", "\u034f", "\u115f", "\u1160", "\u3164", "\uffa0"})


def unescape(text):
    text = re.sub(r"\\x\{([0-9A-Fa-f]+)\}", lambda m: chr(int(m.group(1), 16)), text)
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), text)


def read_cases(path):
    cases = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#")[0].rstrip("\n")
        if not line.strip():
            continue
        cols = [c.strip() for c in line.split(";")]
        source = unescape(cols[0])
        to_unicode = unescape(cols[1]) or source
        status = cols[4] or cols[2]
        cases.append((source, to_unicode, "" if status == "[]" else status))
    return cases


def strip_dot(domain):
    return domain[:-1] if domain.endswith(".") else domain


def rules_for(source, to_unicode, status):
    """The rules that could explain a difference on this case."""
    rules = set()
    unicode = strip_dot(to_unicode)
    if unicode and "." not in unicode and not any(c in DOT_LIKE for c in source):
        rules.add("single-label")
    if unicode.split(".")[-1].isdigit():
        rules.add("numeric-tld")
    if any(unicodedata.category(c) == "Cf" or c in IGNORABLE or c in DOT_LIKE
           or unicodedata.normalize("NFKC", c) != c for c in source):
        rules.add("invisible")
    if any(unicodedata.category(c)[0] in "SP" and c not in ".-" or unicodedata.category(c) == "No"
           for c in to_unicode):
        rules.add("idna2008")
    return rules


def main():
    rcptguard, path = sys.argv[1:3]
    cases = read_cases(path)
    lines = ["x@" + source for source, _, _ in cases]
    stdin = "\n".join(line.replace("\r", " ").replace("\n", " ") for line in lines) + "\n"
    p = subprocess.run([rcptguard, "check", "--no-settings", "--format", "json", "--stdin"],
                       input=stdin.encode("utf-8", "surrogatepass"), capture_output=True,
                       timeout=300)
    if p.returncode < 0 or p.returncode not in (0, 1, 2, 65):
        print("1..1\nnot ok 1 - rcptguard exited with", p.returncode)
        return 1
    results = {}
    for line in p.stdout.decode("utf-8").splitlines():
        finding = json.loads(line)
        results[finding["input"]] = finding

    agreed, explained, unexplained = 0, {}, []
    for (source, to_unicode, status), line in zip(cases, lines):
        finding = results.get(line.strip(" \t"))
        codes = {r["code"] for r in finding["reasons"]} if finding else {"bad-input"}
        flagged = bool(codes & {"invalid-domain", "invalid-address", "invisible-character",
                                "bad-input"})
        if status == "" and not flagged:
            if finding["domain"] == strip_dot(to_unicode):
                agreed += 1
                continue
            why = f"domain {finding['domain']!r}, expected {strip_dot(to_unicode)!r}"
        elif status != "" and flagged:
            agreed += 1
            continue
        else:
            why = f"UTS 46 says {status or 'valid'}, we say {'flagged' if flagged else 'valid'}"
        rules = rules_for(source, to_unicode, status)
        if status == "" and not flagged:
            rules = set()  # a different Unicode form has no excuse
        elif flagged and "invisible-character" in codes:
            rules &= {"invisible"}
        elif flagged:
            rules &= {"single-label", "numeric-tld", "invisible", "idna2008"}
        else:
            rules = set()  # accepting what UTS 46 refuses has no excuse
        if rules:
            rule = sorted(rules)[0]
            explained[rule] = explained.get(rule, 0) + 1
        else:
            unexplained.append(f"{source!r}: {why} ({', '.join(sorted(codes)) or 'ok'})")

    print("1..2")
    print(f"ok 1 - no crash, no hang, {len(cases)} cases checked, {agreed} agree")
    for rule, count in sorted(explained.items()):
        print(f"# {count} differ under rule {rule}")
    if unexplained:
        print(f"not ok 2 - {len(unexplained)} differences fit no rule")
        for case in unexplained:
            print(f"# {case}")
        return 1
    print("ok 2 - every difference fits a stated rule")
    return 0


if __name__ == "__main__":
    sys.exit(main())
