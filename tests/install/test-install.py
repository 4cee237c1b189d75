#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""An installed Recipient Guard runs with an empty linker cache.

Usage: test-install.py BUILDDIR EVOLUTION_PRIVLIBDIR.  Prints TAP.

`meson install` runs no ldconfig, so a program that needs a shared library of ours from
/usr/local/lib would not start on a fresh machine until someone ran it.  The core is linked
privately into each program instead (README, "Install"); this test proves it the hard way: it
installs the build into a throwaway DESTDIR, then, in a mount namespace of its own with an
empty file over /etc/ld.so.cache (the loader then searches only its built-in system folders),
runs the installed command and native host and resolves the installed Evolution module's
libraries.  Nothing installed may be a shared library other than the module.
"""
import json
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile

builddir, evolution_privlibdir = sys.argv[1], sys.argv[2]
results = []


def check(ok, description, detail=""):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {description}")
    for line in str(detail).splitlines():
        print(f"# {line}")


def is_elf(path):
    with open(path, "rb") as f:
        return f.read(4) == b"\x7fELF"


def isolated(argv, **kwargs):
    """Runs @argv with an empty /etc/ld.so.cache, in a mount namespace of its own (as root, or
    as a user mapped to root in a user namespace)."""
    empty = os.path.join(tmp, "empty-ld.so.cache")
    open(empty, "wb").close()
    userns = [] if os.geteuid() == 0 else ["--map-root-user"]
    script = 'mount --bind "$0" /etc/ld.so.cache && exec "$@"'
    # meson points LD_LIBRARY_PATH at the build tree for tests: that would hide the very
    # library this test is about.
    env = {k: v for k, v in kwargs.pop("env", os.environ).items() if k != "LD_LIBRARY_PATH"}
    return subprocess.run(["unshare", "--mount", *userns, "sh", "-c", script, empty, *argv],
                          capture_output=True, timeout=60, env=env, **kwargs)


def frame(request):
    data = json.dumps(request).encode()
    return struct.pack("=I", len(data)) + data


def unframe(data):
    answers = []
    while len(data) >= 4:
        (length,) = struct.unpack("=I", data[:4])
        answers.append(json.loads(data[4:4 + length]))
        data = data[4 + length:]
    return answers


with tempfile.TemporaryDirectory(prefix="rg-install-") as tmp:
    destdir = os.path.join(tmp, "root")
    install = subprocess.run(["meson", "install", "-C", builddir, "--no-rebuild", "--quiet",
                              "--destdir", destdir], capture_output=True, text=True)
    check(install.returncode == 0, "meson install into a DESTDIR", install.stderr[-2000:])
    if install.returncode != 0:
        print(f"1..{len(results)}")
        sys.exit(1)

    elves = sorted(p for p in pathlib.Path(destdir).rglob("*")
                   if p.is_file() and not p.is_symlink() and is_elf(p))
    names = sorted(p.name for p in elves)
    check(sorted(names) == ["module-rcptguard.so", "rcptguard", "rcptguard-milter",
                            "rcptguard-native-host"],
          "the only programs installed are the command, the host, the milter and the module",
          "\n".join(str(p.relative_to(destdir)) for p in elves))
    shared = [p for p in elves if p.name.startswith("lib")]
    check(not shared, "no shared library of ours is installed", "\n".join(map(str, shared)))

    # Not even a hint of the build tree: a run-time path into it would hide a missing library.
    leaks = []
    for p in elves:
        dynamic = subprocess.run(["readelf", "-d", str(p)], capture_output=True,
                                 text=True).stdout
        if builddir in dynamic or os.path.realpath(builddir) in dynamic:
            leaks.append(p.name)
    check(not leaks, "no installed program names the build folder", " ".join(leaks))

    # The administrator's Thunderbird policy, as installed, names the .xpi as installed.
    policies = list(pathlib.Path(destdir).rglob("admin/thunderbird/policies.json"))
    url = None
    if len(policies) == 1:
        document = json.loads(policies[0].read_text(encoding="utf-8"))
        url = (document["policies"]["ExtensionSettings"]["rcptguard@rcptguard.org"]
               ["install_url"])
    xpi = destdir + url[len("file://"):] if url and url.startswith("file:///") else None
    check(xpi is not None and os.path.isfile(xpi),
          "the installed policies.json's install_url is the installed .xpi",
          f"{policies}\n{url}")

    programs = {p.name: str(p) for p in elves}
    if "rcptguard" in programs:
        run = isolated([programs["rcptguard"], "check", "--no-settings", "--format", "tsv",
                        "--known-domain", "army.mil", "ops@army.ml"], text=True)
        check(run.returncode == 1 and run.stdout == "ops@army.ml\twarn\tops@army.mil\n",
              "the installed command checks with an empty linker cache",
              f"exit {run.returncode}\n{run.stdout}{run.stderr}")
    if "rcptguard-milter" in programs:
        milter = programs["rcptguard-milter"]
        run = isolated([milter, "--version"], text=True)
        check(run.returncode == 0 and run.stdout.startswith("rcptguard-milter "),
              "the installed milter runs with an empty linker cache", run)
        check("/sbin/" in milter, "the milter is installed in sbindir", milter)
    if "rcptguard-native-host" in programs:
        request = frame({"id": 1, "type": "check", "lists": ["ops@gmial.com"]})
        run = isolated([programs["rcptguard-native-host"]], input=request,
                       env=dict(os.environ, GSETTINGS_BACKEND="memory"))
        answers = unframe(run.stdout) if run.returncode == 0 else []
        ok = (len(answers) == 1 and answers[0].get("ok") is True
              and answers[0]["findings"][0]["suggestion"] == "ops@gmail.com")
        check(ok, "the installed native host answers a check with an empty linker cache",
              f"exit {run.returncode}\n{answers}\n{run.stderr.decode(errors='replace')}")
    if "module-rcptguard.so" in programs:
        # Evolution loads the module into a process that has its own libraries already; what
        # the module needs beyond them must resolve from the system folders and Evolution's
        # private one (the module's RUNPATH, from evolution-shell-3.0.pc).
        run = isolated(["ldd", programs["module-rcptguard.so"]], text=True)
        missing = [line.strip() for line in run.stdout.splitlines() if "not found" in line]
        check(run.returncode == 0 and not missing,
              f"every library of the installed module resolves (Evolution's in "
              f"{evolution_privlibdir})", "\n".join(missing) or run.stderr)
        symbols = subprocess.run(["nm", "-D", "--defined-only", programs["module-rcptguard.so"]],
                                 capture_output=True, text=True).stdout
        exported = sorted(line.split()[-1] for line in symbols.splitlines()
                          if line.split() and line.split()[1] in "TDRBW"
                          and not line.split()[-1].startswith("_"))
        check(exported == ["e_module_load", "e_module_unload"],
              "the module exports e_module_load and e_module_unload, nothing of the core",
              " ".join(exported))

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
