// SPDX-License-Identifier: LGPL-2.1-or-later
// The packed add-on (RCPTGUARD_XPI, built by meson): a valid manifest, exactly the files that
// the manifest leads to, each as in the sources, stored reproducibly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { inflateRawSync } from 'node:zlib';

import { EXTENSION_DIR, SOURCE_ROOT } from './paths.js';
import { DIALOG_URL, OPTIONS_URL } from '../../../plugin/thunderbird/extension/lib/app.js';

const XPI = process.env.RCPTGUARD_XPI;

// The entries of a zip file, from its central directory, in their stored order.
function readZip(path) {
  const data = readFileSync(path);
  let eocd = data.length - 22;
  while (eocd >= 0 && data.readUInt32LE(eocd) !== 0x06054b50)
    eocd--;
  assert.ok(eocd >= 0, 'the xpi is a zip file');
  const count = data.readUInt16LE(eocd + 10);
  let offset = data.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(data.readUInt32LE(offset), 0x02014b50, 'a central directory entry');
    const method = data.readUInt16LE(offset + 10);
    const time = data.readUInt16LE(offset + 12);
    const date = data.readUInt16LE(offset + 14);
    const compressedSize = data.readUInt32LE(offset + 20);
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    const mode = data.readUInt32LE(offset + 38) >>> 16;
    const local = data.readUInt32LE(offset + 42);
    const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const raw = data.subarray(start, start + compressedSize);
    const content = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    entries.push({ name, time, date, mode, content });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

// Every file under @dir, as paths relative to it with "/".
function walk(dir, prefix = '') {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

// The files an HTML page or a module loads, relative to the add-on's root.
function references(name, text) {
  const dir = posix.dirname(name);
  const found = [];
  if (name.endsWith('.html')) {
    for (const m of text.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g))
      found.push(m[1]);
  } else if (name.endsWith('.js')) {
    const modules = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*'([^']+)'|^\s*import\s*'([^']+)'/gm;
    for (const m of text.matchAll(modules))
      found.push(m[1] ?? m[2]);
  }
  return found.map(ref => posix.normalize(posix.join(dir, ref)));
}

const entries = XPI ? readZip(XPI) : [];
const byName = new Map(entries.map(e => [e.name, e]));

test('the xpi was built', () => {
  assert.ok(XPI, 'RCPTGUARD_XPI names the xpi');
  assert.ok(entries.length > 0);
});

test('manifest.json is valid and says what Thunderbird needs', () => {
  const manifest = JSON.parse(byName.get('manifest.json').content.toString('utf8'));
  const version = readFileSync(join(SOURCE_ROOT, 'meson.build'), 'utf8')
    .match(/version:\s*'([^']+)'/)[1];
  const messages = JSON.parse(byName.get('_locales/en/messages.json').content.toString('utf8'));

  assert.equal(manifest.manifest_version, 2);
  assert.equal(manifest.version, version);
  assert.deepEqual(manifest.browser_specific_settings,
                   { gecko: { id: 'rcptguard@rcptguard.org', strict_min_version: '128.0' } });
  assert.equal(manifest.default_locale, 'en');
  assert.deepEqual(manifest.background, { page: 'background.html', persistent: true });
  // Add-ons Manager → Recipient Guard → Options; drawn by the page itself, not browser_style.
  assert.deepEqual(manifest.options_ui,
                   { page: OPTIONS_URL, open_in_tab: false, browser_style: false });
  for (const permission of ['compose', 'addressBooks', 'accountsRead', 'nativeMessaging',
                            'storage'])
    assert.ok(manifest.permissions.includes(permission), permission);
  for (const field of ['name', 'description']) {
    const key = manifest[field].match(/^__MSG_(\w+)__$/)?.[1];
    assert.ok(key && messages[key], `${field} is a message of the default locale`);
  }
});

test('the xpi holds exactly the files the manifest leads to, as in the sources', () => {
  const manifest = JSON.parse(byName.get('manifest.json').content.toString('utf8'));
  const needed = new Set(['manifest.json']);
  const queue = [manifest.background.page, DIALOG_URL, manifest.options_ui.page];
  while (queue.length > 0) {
    const name = queue.shift();
    if (needed.has(name))
      continue;
    needed.add(name);
    assert.ok(byName.has(name), `${name} is packed`);
    queue.push(...references(name, byName.get(name).content.toString('utf8')));
  }
  const locales = walk(join(EXTENSION_DIR, '_locales')).map(name => `_locales/${name}`);
  assert.ok(locales.includes(`_locales/${manifest.default_locale}/messages.json`));
  locales.forEach(name => needed.add(name));

  assert.deepEqual(entries.map(e => e.name).sort(), [...needed].sort());
  // Nothing in the sources is left out, or packed from elsewhere.
  const sources = walk(EXTENSION_DIR)
    .filter(name => !['meson.build', 'manifest.json.in'].includes(name));
  assert.deepEqual([...sources, 'manifest.json'].sort(), [...needed].sort());
  for (const name of sources)
    assert.ok(byName.get(name).content.equals(readFileSync(join(EXTENSION_DIR, name))),
              `${name} as in the sources`);
});

test('the zip is reproducible: sorted names, fixed times and modes', () => {
  const names = entries.map(e => e.name);
  assert.deepEqual(names, [...names].sort());
  for (const entry of entries) {
    assert.equal(entry.date, (0 << 9) | (1 << 5) | 1, `${entry.name}: 1980-01-01`);
    assert.equal(entry.time, 0, `${entry.name}: 00:00:00`);
    assert.equal(entry.mode, 0o100644, `${entry.name}: mode`);
  }
});
