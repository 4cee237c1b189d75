// SPDX-License-Identifier: LGPL-2.1-or-later
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { SOURCE_ROOT } from './paths.js';
import {
  FALLBACK_SETTINGS, effectiveFromAnswer, fallbackEffective, mergeSettings, readStorages,
} from '../../../plugin/thunderbird/extension/lib/settings.js';

test('the user’s value wins over the administrator’s unless the key is locked', () => {
  const managed = {
    'on-error': 'block', 'on-error:locked': true,
    'block-domains': ['ml'],
    'allow-block-override': false, 'allow-block-override:locked': false,
  };
  const local = { 'on-error': 'allow', 'block-domains': ['tk'], 'allow-block-override': true };

  assert.deepEqual(mergeSettings(managed, local), {
    settings: { 'on-error': 'block', 'block-domains': ['tk'], 'allow-block-override': true },
    locked: ['on-error'],
  });
});

test('a key locked without a value takes the schema’s default, not the user’s value', () => {
  const merged = mergeSettings({ 'enabled:locked': true },
                               { enabled: false, 'warn-domains': ['ml'] });
  assert.deepEqual(merged, { settings: { 'warn-domains': ['ml'] }, locked: ['enabled'] });
});

test('the administrator’s values apply where the user set nothing', () => {
  assert.deepEqual(mergeSettings({ 'warn-domains': ['ml'], 'log-local-parts': 'none' }, {}), {
    settings: { 'warn-domains': ['ml'], 'log-local-parts': 'none' },
    locked: [],
  });
});

test('unknown keys pass through to the host; the user cannot lock', () => {
  const merged = mergeSettings({ 'no-such-key': 1, 'other:locked': true },
                               { 'typo-key': 'x', 'enabled:locked': true, enabled: false });
  assert.deepEqual(merged.settings, { 'no-such-key': 1, 'typo-key': 'x', enabled: false });
  assert.deepEqual(merged.locked, ['other']);
});

test('missing or malformed storages are no settings', () => {
  assert.deepEqual(mergeSettings(undefined, null), { settings: {}, locked: [] });
  assert.deepEqual(mergeSettings(['x'], 'y'), { settings: {}, locked: [] });
});

test('storage.managed that throws (no policy) reads as empty', async () => {
  const storage = {
    managed: { get: async () => { throw new Error('Managed storage manifest not found'); } },
    local: { get: async () => ({ enabled: false }) },
  };
  assert.deepEqual(await readStorages(storage), { managed: {}, local: { enabled: false } });
});

// The schema's defaults, read from the XML as GSettings would.
function schemaDefault(xml, key) {
  const match = xml.match(new RegExp(`<key name="${key}"[^>]*>\\s*<default>([^<]*)</default>`));
  assert.ok(match, `the schema has a key ${key} with a default`);
  const text = match[1].trim();
  if (text === 'true' || text === 'false')
    return text === 'true';
  const nick = text.match(/^'(.*)'$/);
  assert.ok(nick, `the default of ${key} is a boolean or an enumeration nick: ${text}`);
  return nick[1];
}

test('the fallback settings are the schema’s defaults', () => {
  const xml = readFileSync(join(SOURCE_ROOT, 'data', 'org.rcptguard.RecipientGuard.gschema.xml'),
                           'utf8');
  assert.deepEqual(Object.keys(FALLBACK_SETTINGS).sort(),
                   ['allow-block-override', 'enabled', 'on-error', 'server-guard']);
  for (const [key, value] of Object.entries(FALLBACK_SETTINGS))
    assert.equal(value, schemaDefault(xml, key), key);
});

test('without the host, the merged settings of the right type still apply', () => {
  assert.deepEqual(fallbackEffective({ 'on-error': 'block', enabled: 'no',
                                       'allow-block-override': true }, ['block-domains']),
                   { enabled: true, 'on-error': 'block', 'allow-block-override': true,
                     'server-guard': false, locked: ['block-domains'], scope: 'all' });
  assert.equal(fallbackEffective({ 'server-guard': true })['server-guard'], true);
  assert.equal(fallbackEffective({ 'server-guard': 'yes' })['server-guard'], false);
  assert.deepEqual(fallbackEffective({ 'on-error': 'sometimes' }),
                   { ...FALLBACK_SETTINGS, locked: [], scope: 'all' });
});

test('the host’s settings in effect win; without its schema the merged ones apply', () => {
  const merged = { 'on-error': 'block' };
  assert.deepEqual(
    effectiveFromAnswer({ settings: { enabled: false, 'on-error': 'allow',
                                      'allow-block-override': true, 'warn-domains': [] } },
                        merged),
    { enabled: false, 'on-error': 'allow', 'allow-block-override': true,
      'server-guard': false, locked: [], scope: 'off' });
  assert.deepEqual(effectiveFromAnswer({ settings: null }, merged),
                   { enabled: true, 'on-error': 'block', 'allow-block-override': false,
                     'server-guard': false, locked: [], scope: 'all' });
  // The host's value in effect (the desktop's dconf may set it) wins over the add-on's own.
  assert.equal(effectiveFromAnswer({ settings: { 'server-guard': true } },
                                   { 'server-guard': false })['server-guard'], true);
});

test('checking off: only a block list the administrator locked still applies', () => {
  const off = { enabled: false, 'block-domains': ['ml'] };
  assert.equal(fallbackEffective(off).scope, 'off', 'the user\'s own block list goes with it');
  assert.equal(fallbackEffective(off, ['block-domains']).scope, 'blocks');
  assert.equal(fallbackEffective({ ...off, 'block-domains': [] }, ['block-domains']).scope,
               'off', 'a locked empty list blocks nothing');
  // The host's word wins, and without one its settings decide by the same rule.
  assert.equal(effectiveFromAnswer({ settings: { enabled: false }, scope: 'blocks' }, {}).scope,
               'blocks');
  assert.equal(effectiveFromAnswer({ settings: { enabled: false, 'block-domains': ['ml'] },
                                     desktop_locked: ['block-domains'] }, {}).scope, 'blocks');
});

test('the keys locked are Thunderbird’s policy’s and the desktop’s, once each', () => {
  const answer = { settings: null, desktop_locked: ['trusted-domains', 'block-domains'] };
  assert.deepEqual(effectiveFromAnswer(answer, {}, ['block-domains', 'on-error']).locked,
                   ['block-domains', 'on-error', 'trusted-domains']);
});
