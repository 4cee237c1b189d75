// SPDX-License-Identifier: LGPL-2.1-or-later
//
// peers.mjs - runs a peer of rcptguard (an npm package that suggests corrections for
// mistyped e-mail domains) on the benchmark's data, for run-bench.py.
//
// Usage:
//   node peers.mjs run  --peer NAME --modules DIR --known FILE --addresses FILE
//   node peers.mjs time --peer NAME --modules DIR --known FILE --addresses FILE
//                       --truth FILE [--warmup N]
//
// NAME is mailcheck or email-misspelled; DIR is the node_modules folder they were installed
// into (npm install --prefix PREFIX puts them in PREFIX/node_modules).
//
// "run" does what a whole-process run of `rcptguard check --format tsv` does: load the known
// domains, check every address, print "address<TAB>suggested-domain-or-dash" a line.
// run-bench.py times it from outside.
//
// "time" measures in-process with performance.now(): the setup (building the peer's
// checker from the known domains), a warm-up pass over the first N addresses (default
// 1,000) so that V8 has compiled the hot paths, reported separately and excluded, and then
// one timed pass over all addresses.  It counts the suggestions against truth.tsv and prints
// one JSON object.
//
// Both peers get the same known domains as rcptguard, as full domain strings.  mailcheck
// also takes second-level names and top-level domains: it gets them derived from the same
// known domains the way its README shows them (the name label, "hotmail", and the public
// suffix, "com" or "co.uk"), so that it can use its split matching as intended.  Both keep
// their default thresholds.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

function usage (message) {
  process.stderr.write(`peers.mjs: ${message}\n`);
  process.exit(64);
}

function parseArgs (argv) {
  const args = { mode: argv[0], warmup: 1000 };
  if (args.mode !== 'run' && args.mode !== 'time') {
    usage('the first argument must be "run" or "time"');
  }
  for (let i = 1; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${key} needs a value`);
    switch (key) {
      case '--peer': args.peer = value; break;
      case '--modules': args.modules = value; break;
      case '--known': args.known = value; break;
      case '--addresses': args.addresses = value; break;
      case '--truth': args.truth = value; break;
      case '--warmup': args.warmup = Number.parseInt(value, 10); break;
      default: usage(`unknown option ${key}`);
    }
  }
  for (const key of ['peer', 'modules', 'known', 'addresses']) {
    if (!args[key]) usage(`--${key} is required`);
  }
  if (args.mode === 'time' && !args.truth) usage('--truth is required with "time"');
  return args;
}

function readLines (file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

// The public suffixes of the generated data: the last label, or the last two when they
// look like "co.uk", "com.au" (a generic second level under a two-letter country domain).
const SECOND_LEVEL_SUFFIX = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu']);

function splitSuffix (domain) {
  const labels = domain.split('.');
  let n = 1;
  if (labels.length >= 3 && labels[labels.length - 1].length === 2 &&
      SECOND_LEVEL_SUFFIX.has(labels[labels.length - 2])) {
    n = 2;
  }
  return {
    name: labels[labels.length - n - 1],
    suffix: labels.slice(labels.length - n).join('.'),
  };
}

function domainOf (address) {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase();
}

// Imports the package NAME installed in the node_modules folder MODULES by its own entry
// point: the "import" entry of its "exports" when it has one (email-misspelled's "require"
// entry cannot be loaded by Node), else "main" (mailcheck, CommonJS).
async function importPackage (modules, name) {
  const dir = path.resolve(modules, name);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const root = pkg.exports?.['.'] ?? pkg.exports;
  let entry = typeof root === 'string' ? root : root?.import ?? root?.default;
  entry = entry ?? pkg.module ?? pkg.main ?? 'index.js';
  const ns = await import(pathToFileURL(path.join(dir, entry)).href);
  return { ns, version: pkg.version };
}

// Each peer is a function (address) -> suggested domain or null, made by a setup function
// from the imported package and the known domains.
const PEERS = {
  mailcheck (ns, known) {
    const Mailcheck = ns.default;
    const names = [];
    const suffixes = [];
    const seenNames = new Set();
    const seenSuffixes = new Set();
    for (const d of known) {
      const { name, suffix } = splitSuffix(d);
      if (!seenNames.has(name)) { seenNames.add(name); names.push(name); }
      if (!seenSuffixes.has(suffix)) { seenSuffixes.add(suffix); suffixes.push(suffix); }
    }
    return (address) => {
      const result = Mailcheck.suggest(address, known, names, suffixes);
      return result ? result.domain : null;
    };
  },

  'email-misspelled' (ns, known) {
    const factory = ns.default ?? ns.emailMisspelled;
    const check = factory({ domains: known });
    return (address) => {
      const result = check(address);
      // Sorted by the number of edits, fewest first.
      return result.length > 0 ? result[0].suggest : null;
    };
  },
};

function score (addresses, suggestions, truthFile) {
  // truth.tsv is in the order of the addresses, one row each.
  const truth = readFileSync(truthFile, 'utf8').split('\n').filter((line) => line !== '')
    .map((line) => line.split('\t'));
  if (truth.length !== addresses.length) {
    throw new Error(`${truthFile} has ${truth.length} rows for ${addresses.length} addresses`);
  }
  const s = {
    typos: 0, typos_caught: 0, typos_wrong: 0,
    exact: 0, exact_flagged: 0, unknown: 0, unknown_flagged: 0, correct: 0,
  };
  addresses.forEach((address, i) => {
    const [truthAddress, intended] = truth[i];
    const suggested = suggestions[i];
    if (truthAddress !== address) throw new Error(`${truthFile} row ${i + 1} is not ${address}`);
    if (intended === '-' || intended === domainOf(address)) {
      const kind = intended === '-' ? 'unknown' : 'exact';
      s[kind]++;
      if (suggested !== null) s[`${kind}_flagged`]++;
      else s.correct++;
    } else {
      s.typos++;
      if (suggested === intended) { s.typos_caught++; s.correct++; }
      else if (suggested !== null) s.typos_wrong++;
    }
  });
  return s;
}

async function main () {
  const args = parseArgs(process.argv.slice(2));
  const setupPeer = PEERS[args.peer];
  if (!setupPeer) usage(`unknown peer ${args.peer}; known: ${Object.keys(PEERS).join(', ')}`);
  const { ns, version } = await importPackage(args.modules, args.peer);
  const known = readLines(args.known);
  const addresses = readLines(args.addresses);

  if (args.mode === 'run') {
    const check = setupPeer(ns, known);
    const out = addresses.map((a) => `${a}\t${check(a) ?? '-'}\n`);
    process.stdout.write(out.join(''));
    return;
  }

  let t0 = performance.now();
  const check = setupPeer(ns, known);
  const setupMs = performance.now() - t0;

  const warm = addresses.slice(0, Math.min(args.warmup, addresses.length));
  t0 = performance.now();
  for (const a of warm) check(a);
  const warmupMs = performance.now() - t0;

  const suggestions = new Array(addresses.length);
  t0 = performance.now();
  for (let i = 0; i < addresses.length; i++) suggestions[i] = check(addresses[i]);
  const checkMs = performance.now() - t0;

  const result = {
    peer: args.peer,
    version,
    node: process.version,
    known: known.length,
    addresses: addresses.length,
    setup_ms: setupMs,
    warmup_addresses: warm.length,
    warmup_us_per_address: warm.length > 0 ? (warmupMs * 1000) / warm.length : 0,
    check_ms: checkMs,
    us_per_address: (checkMs * 1000) / addresses.length,
    ...score(addresses, suggestions, args.truth),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
