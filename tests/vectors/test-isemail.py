#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The isemail test set through `rcptguard check`: agree with it, or say why not, case by case.

Usage: test-isemail.py RCPTGUARD TESTS_XML EXCEPTIONS_TSV.  Prints TAP.

tests/data/isemail-tests.xml is Dominic Sayers' isemail test set (BSD-3-Clause, see its
header) as shipped in the npm package email-addresses 5.0.0 (test/tests.xml).  Its categories
map to what a mail guard must do with the address:

  ISEMAIL_VALID_CATEGORY, ISEMAIL_DNSWARN, ISEMAIL_RFC5321, ISEMAIL_CFWS, ISEMAIL_DEPREC
      a valid address (DEPREC: obsolete syntax, still valid): accept it
  ISEMAIL_RFC5322, ISEMAIL_ERR
      valid only in a message header, not over SMTP, or not valid at all: reject it

"accept" is a verdict other than an invalid-address or invalid-domain warning (a domain can
still be warned about, e.g. for an unknown TLD); "reject" is such a warning, or exit 65 (bad
input, e.g. a control character).  Every test whose outcome differs must be listed in
EXCEPTIONS_TSV with the reason; a listed test that agrees fails too, so the list stays true.
Nothing may crash or hang.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

ACCEPT = {"ISEMAIL_VALID_CATEGORY", "ISEMAIL_DNSWARN", "ISEMAIL_RFC5321", "ISEMAIL_CFWS",
          "ISEMAIL_DEPREC"}
REJECT = {"ISEMAIL_RFC5322", "ISEMAIL_ERR"}
INVALID = {"invalid-address", "invalid-domain"}


def decode(text):
    """The test set writes control characters as U+2400 + code (and DEL as U+2421)."""
    return "".join(chr(ord(c) - 0x2400) if 0x2400 <= ord(c) < 0x2420
                   else "\x7f" if c == "\u2421" else c for c in text)


def outcome(rcptguard, address):
    """'accept', 'reject' or a description of what went wrong."""
    if "\x00" in address:
        # argv cannot carry a NUL: the line goes through --stdin.
        args, stdin = [rcptguard, "check", "--no-settings", "--format", "json", "--stdin"], \
            address.encode()
    else:
        args, stdin = [rcptguard, "check", "--no-settings", "--format", "json", "--",
                       address], None
    try:
        p = subprocess.run(args, input=stdin, capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return "hang"
    if p.returncode < 0:
        return f"killed by signal {-p.returncode}"
    if p.returncode == 65:
        return "reject"
    if p.returncode not in (0, 1, 2):
        return f"exit {p.returncode}"
    lines = p.stdout.decode().splitlines()
    if not lines:
        return "accept" if address.strip() else "reject"
    codes = {r["code"] for line in lines for r in json.loads(line)["reasons"]}
    return "reject" if codes & INVALID else "accept"


def main():
    rcptguard, xml_path, exceptions_path = sys.argv[1:4]
    exceptions = {}
    for line in open(exceptions_path, encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            test_id, why = line.rstrip("\n").split("\t", 1)
            exceptions[test_id] = why
    tests = list(ET.parse(xml_path).getroot().iter("test"))
    print(f"1..{len(tests)}")
    failed = agreed = 0
    for n, test in enumerate(tests, 1):
        test_id = test.get("id")
        category = test.findtext("category")
        address = decode(test.findtext("address") or "")
        expected = "accept" if category in ACCEPT else "reject"
        got = outcome(rcptguard, address)
        label = f"{test_id} {category} {address!r}"
        if got not in ("accept", "reject"):
            print(f"not ok {n} - {label}: {got}")
            failed += 1
        elif got == expected and test_id in exceptions:
            print(f"not ok {n} - {label}: agrees, but is listed as an exception")
            failed += 1
        elif got == expected:
            print(f"ok {n} - {label}: {got}")
            agreed += 1
        elif test_id in exceptions:
            print(f"ok {n} - {label}: {got}, on purpose: {exceptions[test_id]}")
        else:
            print(f"not ok {n} - {label}: expected {expected}, got {got}")
            failed += 1
    print(f"# {agreed} of {len(tests)} agree with isemail; {len(exceptions)} differ on purpose")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
