// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-on's words are the Evolution dialog's: English as in the sources (the msgids of
// po/), German as po/de.po translates them, placeholders where the C strings have %s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { EXTENSION_DIR, SOURCE_ROOT } from './paths.js';

function readMessages(locale) {
  return JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', locale, 'messages.json'), 'utf8'));
}

// The entries of a .po file: "context\u0004msgid" → msgstr (plural forms are kept apart,
// under "msgstr[N]", and not looked up here).
function readPo(path) {
  const entries = new Map();
  let current = null;
  let key = null;
  const hasTranslation = entry => entry && Object.keys(entry).some(k => k.startsWith('msgstr'));
  const finish = () => {
    if (current && current.msgid !== undefined && current.msgstr !== undefined)
      entries.set(current.msgctxt !== undefined ? `${current.msgctxt}\u0004${current.msgid}`
                                                : current.msgid,
                  current.msgstr);
  };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '')
      continue;
    const keyword = line.match(/^(msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)\s+(".*")\s*$/);
    if (keyword) {
      if ((keyword[1] === 'msgctxt' || keyword[1] === 'msgid') && hasTranslation(current)) {
        finish();
        current = null;
      }
      current ??= {};
      key = keyword[1];
      current[key] = JSON.parse(keyword[2]);
    } else if (line.startsWith('"') && current !== null) {
      current[key] += JSON.parse(line);
    } else {
      throw new Error(`${path}: a line this reader does not know: ${line}`);
    }
  }
  finish();
  return entries;
}

// Message name → [msgctxt, msgid, placeholders in the order of the %s].
const FROM_PO = {
  extensionDescription: [null, 'Catch mistyped recipient domains before sending'],
  dialogTitle: ['dialog title', 'Check recipients'],
  headingWarn: [null, 'This message may be going to the wrong place'],
  bodyWarn: [null, 'Check each address below: use the suggestion, or keep the address as typed '
                   + 'if it is right.'],
  headingBlocked: [null, 'Your administrator does not allow sending to some of these recipients'],
  bodyBlocked: [null, 'Use the suggestion for each blocked address or remove it, or go back to '
                      + 'the message.'],
  headingOverride: [null, 'Your administrator advises against sending to some of these recipients'],
  bodyOverride: [null, 'Check each address below. You may still send the message as typed.'],
  headingFailed: [null, 'Recipients could not be checked'],
  detailFailed: [null, 'Recipient Guard could not finish its check (%s).', ['$REASON$']],
  detailRefused: [null, 'Your administrator does not allow sending without the check.'],
  buttonEdit: [null, '_Edit Message'],
  buttonCorrected: [null, 'Send _Corrected'],
  buttonAnyway: [null, 'Send _Anyway'],
  fieldTo: ['header', 'To'],
  fieldCc: ['header', 'Cc'],
  fieldBcc: ['header', 'Bcc'],
  choiceUse: ['recipient choice', 'Use <b>%s</b>', ['$ADDRESS$']],
  choiceUseName: ['recipient choice', 'Use %s instead of %s', ['$SUGGESTION$', '$TYPED$']],
  choiceKeep: ['recipient choice', 'Keep as typed'],
  choiceKeepName: ['recipient choice', 'Keep %s as typed', ['$ADDRESS$']],
  choiceRemove: ['recipient choice', 'Remove'],
  choiceRemoveName: ['recipient choice', 'Remove %s', ['$ADDRESS$']],
  noSuggestion: ['recipient choice', 'No suggestion'],
  rowsLabel: [null, 'Flagged recipients'],
};

// A C string as the add-on writes it: no mnemonic, no markup, named placeholders.
function asMessage(text, placeholders = []) {
  let i = 0;
  return text.replace(/_(?=\p{L})/u, '').replace(/<\/?b>/g, '')
    .replace(/%s/g, () => placeholders[i++]);
}

function mnemonic(text) {
  return text.match(/_(\p{L})/u)?.[1];
}

const en = readMessages('en');
const de = readMessages('de');
const po = readPo(join(SOURCE_ROOT, 'po', 'de.po'));

test('every locale has the same messages with the same placeholders', () => {
  const locales = readdirSync(join(EXTENSION_DIR, '_locales')).sort();
  assert.deepEqual(locales, ['de', 'en']);
  assert.deepEqual(Object.keys(de).sort(), Object.keys(en).sort());
  for (const [name, { message, placeholders = {} }] of Object.entries({ ...en, ...de })) {
    const used = [...message.matchAll(/\$(\w+)\$/g)].map(m => m[1].toLowerCase()).sort();
    assert.deepEqual(used, Object.keys(placeholders).sort(), `the placeholders of ${name}`);
  }
  for (const name of Object.keys(en))
    assert.deepEqual(Object.keys(de[name].placeholders ?? {}),
                     Object.keys(en[name].placeholders ?? {}), name);
});

test('the English messages are the strings of the Evolution dialog', () => {
  for (const [name, [, msgid, placeholders]] of Object.entries(FROM_PO))
    assert.equal(en[name].message, asMessage(msgid, placeholders), name);
});

test('the German messages are po/de.po’s translations', () => {
  for (const [name, [msgctxt, msgid, placeholders]] of Object.entries(FROM_PO)) {
    const msgstr = po.get(msgctxt !== null ? `${msgctxt}\u0004${msgid}` : msgid);
    assert.ok(msgstr, `de.po translates “${msgid}”`);
    assert.equal(de[name].message, asMessage(msgstr, placeholders), name);
  }
});

test('the access keys are the mnemonics of the Evolution buttons', () => {
  for (const name of ['buttonEdit', 'buttonCorrected', 'buttonAnyway']) {
    const msgid = FROM_PO[name][1];
    assert.equal(en[`${name}AccessKey`].message, mnemonic(msgid), name);
    assert.equal(de[`${name}AccessKey`].message, mnemonic(po.get(msgid)), name);
    assert.ok(de[name].message.includes(de[`${name}AccessKey`].message),
              `${name}: a letter of the label`);
  }
});
