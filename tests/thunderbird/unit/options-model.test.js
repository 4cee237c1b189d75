// SPDX-License-Identifier: LGPL-2.1-or-later
// The settings page's rules (lib/options-model.js): the rows of Evolution's page with the
// values in effect and the locks, what an edit writes to storage.local, what the host says of
// a new entry, and what the field holds afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SOURCE_ROOT } from './paths.js';
import {
  ADMIN_ONLY_KEYS, LIST_KEYS, SECTIONS, applyEdit, buildOptionsModel, canonicalDomain,
  checkNewEntry, effectiveSettings, entryError, fieldAfterAdd, lockOf, normalizeList,
  withEntry, withoutEntry,
} from '../../../plugin/thunderbird/extension/lib/options-model.js';
import { CHOICES, SCHEMA_DEFAULTS } from '../../../plugin/thunderbird/extension/lib/settings.js';

const SCHEMA = readFileSync(join(SOURCE_ROOT, 'data', 'org.rcptguard.RecipientGuard.gschema.xml'),
                            'utf8');

function state(overrides = {}) {
  return { settings: effectiveSettings(null, {}), locked: [], desktopLocked: [], problems: [],
           refused: [], hostError: null, ...overrides };
}

function rowsOf(model) {
  return Object.fromEntries(model.sections.flatMap(s => s.rows).map(row => [row.key, row]));
}

test('the defaults and choices are the schema’s, and the page shows every key once but the '
     + 'administrator’s', () => {
  const keys = [...SCHEMA.matchAll(/<key name="([^"]+)"/g)].map(m => m[1]);
  assert.deepEqual(Object.keys(SCHEMA_DEFAULTS).sort(), [...keys].sort());
  for (const [key, value] of Object.entries(SCHEMA_DEFAULTS)) {
    const text = SCHEMA.match(new RegExp(`<key name="${key}"[^>]*>\\s*<default>([^<]*)</default>`))[1]
      .trim();
    const expected = text === '[]' ? [] : text === 'true' ? true : text === 'false' ? false
      : text.match(/^'(.*)'$/)[1];
    assert.deepEqual(value, expected, key);
  }
  for (const [key, nicks] of Object.entries(CHOICES)) {
    const enumId = SCHEMA.match(new RegExp(`<key name="${key}" enum="([^"]+)"`))[1];
    const body = SCHEMA.match(new RegExp(`<enum id="${enumId}">([\\s\\S]*?)</enum>`))[1];
    assert.deepEqual([...nicks], [...body.matchAll(/nick="([^"]+)"/g)].map(m => m[1]), key);
  }
  const shown = SECTIONS.flatMap(s => s.rows.map(r => r.key));
  assert.deepEqual([...ADMIN_ONLY_KEYS], ['server-guard']);
  assert.deepEqual([...shown].sort(), keys.filter(key => !ADMIN_ONLY_KEYS.includes(key)).sort());
  assert.deepEqual(SECTIONS.map(s => s.id), ['general', 'domains', 'checks', 'log']);
  assert.deepEqual(SECTIONS[1].rows.map(r => r.key), LIST_KEYS);
});

test('the values in effect: the host’s, else the merged ones of the right type, else defaults',
     () => {
  const host = { settings: { ...SCHEMA_DEFAULTS, 'on-error': 'block', 'warn-domains': ['ml'] } };
  assert.equal(effectiveSettings(host, { 'on-error': 'allow' })['on-error'], 'block');
  assert.deepEqual(effectiveSettings(host, {})['warn-domains'], ['ml']);

  const merged = { 'on-error': 'allow', 'log-local-parts': 'loud', 'block-domains': ['tk', 3],
                   'known-domains': ['corp.example'], 'enabled': false };
  const fallback = effectiveSettings(null, merged);
  assert.equal(fallback['on-error'], 'allow');
  assert.equal(fallback['log-local-parts'], 'hmac', 'out of range: the default');
  assert.deepEqual(fallback['block-domains'], [], 'not a list of strings: the default');
  assert.deepEqual(fallback['known-domains'], ['corp.example']);
  assert.equal(fallback.enabled, false);
  assert.deepEqual(effectiveSettings({ settings: null }, {}), effectiveSettings(null, {}));
  assert.deepEqual(Object.keys(fallback).sort(), Object.keys(SCHEMA_DEFAULTS).sort());
});

test('the model: controls, values, and locked keys disabled, by admin or desktop', () => {
  const model = buildOptionsModel(state({
    settings: { ...effectiveSettings(null, {}), 'on-error': 'block', 'block-domains': ['ml'] },
    locked: ['on-error', 'block-domains'],
    desktopLocked: ['allow-block-override', 'on-error'],
  }));
  const rows = rowsOf(model);

  assert.equal(model.host, null);
  assert.deepEqual(model.sections.map(s => s.legend),
                   [null, 'sectionDomains', 'sectionChecks', 'sectionLog']);
  assert.deepEqual([rows.enabled.control, rows.enabled.value, rows.enabled.lock,
                    rows.enabled.disabled], ['switch', true, null, false]);
  assert.deepEqual([rows['on-error'].control, rows['on-error'].value, rows['on-error'].lock,
                    rows['on-error'].disabled], ['choice', 'block', 'admin', true],
                   'locked by both: the add-on’s lock');
  assert.deepEqual(rows['on-error'].choices.map(c => c.value), ['allow', 'warn', 'block']);
  assert.deepEqual(rows['on-error'].choices.map(c => c.label),
                   ['onErrorAllow', 'onErrorWarn', 'onErrorBlock']);
  assert.deepEqual([rows['allow-block-override'].lock, rows['allow-block-override'].disabled],
                   ['desktop', true]);
  assert.deepEqual([rows['block-domains'].control, rows['block-domains'].value,
                    rows['block-domains'].disabled], ['list', ['ml'], true]);
  assert.equal(rows['log-local-parts'].control, 'choice');
  assert.deepEqual([rows['warn-domains'].value, rows['warn-domains'].disabled], [[], false]);
});

test('the model says when the host is missing or failed', () => {
  const missing = buildOptionsModel(state({
    hostError: { kind: 'not-installed', message: 'the Recipient Guard native host is not installed' },
  }));
  assert.deepEqual(missing.host,
                   { kind: 'missing', reason: 'the Recipient Guard native host is not installed' });
  const failed = buildOptionsModel(state({
    hostError: { kind: 'timeout', message: 'the Recipient Guard native host did not answer' },
  }));
  assert.equal(failed.host.kind, 'failed');
});

test('entries are compared and stored as Evolution does', () => {
  assert.equal(canonicalDomain('  *.Example.COM. '), 'example.com');
  assert.equal(canonicalDomain('.ML'), 'ml');
  assert.equal(canonicalDomain('MAIL.MIL'), 'mail.mil', 'no locale-dependent dotless i');
  assert.equal(canonicalDomain('Cafe\u0301.example'), 'caf\u00e9.example', 'NFC');
  assert.deepEqual(normalizeList(['A.com', 'a.com', '', '*.b.org', 'B.org']), ['a.com', 'b.org']);
  assert.deepEqual(withEntry(['ml'], 'TK'), ['ml', 'tk']);
  assert.deepEqual(withoutEntry(['ml', 'Example.COM', 'tk'], 'example.com'), ['ml', 'tk']);
});

test('cheap checks before saving: empty, spaces, duplicates', () => {
  assert.deepEqual(checkNewEntry([], '   '), { error: { name: 'errorEmpty', substitutions: [] } });
  assert.deepEqual(checkNewEntry([], '*.'), { error: { name: 'errorEmpty', substitutions: [] } });
  assert.deepEqual(checkNewEntry([], 'exa mple.com'),
                   { error: { name: 'errorNotDomain', substitutions: ['exa mple.com'] } });
  assert.deepEqual(checkNewEntry([], 'ops@army.mil'),
                   { error: { name: 'errorNotDomain', substitutions: ['ops@army.mil'] } });
  assert.deepEqual(checkNewEntry(['Example.COM'], ' example.com '),
                   { error: { name: 'errorDuplicate', substitutions: ['example.com'] } });
  assert.deepEqual(checkNewEntry(['ml'], ' *.Army.MIL'), { entry: 'army.mil' });
});

test('an edit writes the key alone to storage.local, never a locked one', () => {
  const s = state({ locked: ['on-error'], desktopLocked: ['log-decisions'] });
  assert.deepEqual(applyEdit(s, 'enabled', false), { enabled: false });
  assert.deepEqual(applyEdit(s, 'log-local-parts', 'none'), { 'log-local-parts': 'none' });
  assert.deepEqual(applyEdit(s, 'block-domains', ['ML', 'ml', ' *.Tk ']),
                   { 'block-domains': ['ml', 'tk'] });
  assert.equal(applyEdit(s, 'on-error', 'allow'), null, 'locked by the administrator');
  assert.equal(applyEdit(s, 'log-decisions', false), null, 'locked by the desktop');
  assert.equal(applyEdit(s, 'log-local-parts', 'loud'), null);
  assert.equal(applyEdit(s, 'enabled', 'yes'), null);
  assert.equal(applyEdit(s, 'block-domains', 'ml'), null);
  assert.equal(applyEdit(s, 'no-such-key', true), null);
  assert.equal(applyEdit(s, 'server-guard', true), null, 'the administrator’s, not on the page');
  assert.equal(lockOf(s, 'enabled'), null);
});

test('the host’s sentence about a new entry', () => {
  const refused = [
    { key: 'block-domains', entry: 'a..b',
      message: '“a..b” is not a domain such as example.com.' },
    { key: 'known-domains', entry: 'co.uk',
      message: '„co.uk“ ist eine Endung, die sich viele Inhaber teilen, keine Domain: …' },
  ];
  assert.deepEqual(entryError(refused, 'block-domains', 'a..b'),
                   { text: '“a..b” is not a domain such as example.com.' });
  assert.deepEqual(entryError(refused, 'known-domains', 'co.uk'), { text: refused[1].message },
                   'in the host’s language, as it said it');
  assert.equal(entryError(refused, 'warn-domains', 'a..b'), null, 'another list');
  assert.equal(entryError(refused, 'block-domains', 'a'), null, 'another entry');
  assert.equal(entryError([], 'block-domains', 'a..b'), null);
  assert.equal(entryError(undefined, 'block-domains', 'a..b'), null, 'no answer');
});

test('after a refusal the typed text stays, selected, so that typing replaces it', () => {
  const refusedByHost = { state: state(),
                          error: { text: '“bar!” is not a domain such as example.com.' } };
  const refusedHere = { state: state(), error: { name: 'errorDuplicate', substitutions: ['ml'] } };
  const added = { state: state(), entry: 'example.org' };

  assert.deepEqual(fieldAfterAdd(refusedByHost, 'bar!'), { value: 'bar!', selectAll: true });
  assert.deepEqual(fieldAfterAdd(refusedHere, ' ML '), { value: ' ML ', selectAll: true });
  assert.deepEqual(fieldAfterAdd(added, 'Example.ORG'), { value: '', selectAll: false });
});
