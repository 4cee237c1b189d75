// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-on's words are those of the Evolution dialog and preferences page: English as in
// the sources (the msgids of po/), German as po/de.po translates them, placeholders where the
// C strings have %s.  The few the add-on has alone are named in OWN.
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
  // The settings page: Evolution's (ui/rg-preferences-page.c, rg-domain-list.c,
  // rg-lock-indicator.c, common/glib/rg-settings.c).
  settingEnabled: [null, '_Check recipients at Send'],
  settingEnabledDescription: [null, 'Ask before a message goes to a domain that looks like a slip '
                                    + 'of one you write to, or that is listed below.'],
  sectionDomains: ['preferences section', 'Domains'],
  listTrusted: [null, '_Trusted domains'],
  listTrustedDescription: [null, 'Never warned about, and recognised when mistyped. Each entry '
                                 + 'covers its subdomains.'],
  listKnown: [null, '_Partner domains'],
  listKnownDescription: [null, 'Domains you write to besides those in your address books. An '
                               + 'address one slip away from one of them is flagged.'],
  listWarn: [null, 'Always _ask'],
  listWarnDescription: [null, 'Sending to these domains always asks first. “ml” covers every '
                              + 'address under .ml.'],
  listBlock: [null, '_Never send'],
  listBlockDescription: [null, 'Messages to these domains are not sent until the address is '
                               + 'corrected or removed.'],
  sectionChecks: ['preferences section', 'Checks'],
  settingLookalikes: [null, 'Check for _lookalike domains'],
  settingLookalikesDescription: [null, 'Flag domains that look like a known one but use other '
                                       + 'characters, such as a Cyrillic “а” for a Latin “a”.'],
  settingNewDomains: [null, 'Point out ne_w domains'],
  settingNewDomainsDescription: [null, 'Mention recipients at domains you have never written to. '
                                       + 'This alone does not stop a message.'],
  settingOverride: [null, 'Allow sending to _blocked domains'],
  settingOverrideDescription: [null, 'Offer “Send Anyway” for blocked recipients too, which '
                                     + 'turns a block into a warning.'],
  settingOnError: [null, '_If recipients cannot be checked'],
  settingOnErrorDescription: [null, 'When the check itself fails. The failure is logged in any '
                                    + 'case.'],
  onErrorAllow: ['check failed', 'Send without asking'],
  onErrorWarn: ['check failed', 'Ask before sending'],
  onErrorBlock: ['check failed', 'Do not send'],
  sectionLog: ['preferences section', 'Decision log'],
  settingLogDecisions: [null, '_Record decisions in the log'],
  settingLogDecisionsDescription: [null, 'What was flagged and what you chose, for your '
                                         + 'administrator. The content of messages is never '
                                         + 'recorded.'],
  settingLocalParts: [null, 'Na_mes before the “@”'],
  settingLocalPartsDescription: [null, 'How the log records the part of an address before the '
                                       + '“@”. A keyed hash tells repeated recipients apart '
                                       + 'without naming them.'],
  localPartsNone: ['logged name', 'Not recorded'],
  localPartsHmac: ['logged name', 'Recorded as a keyed hash'],
  localPartsPlain: ['logged name', 'Recorded as typed'],
  listAdd: ['domain list', 'Add'],
  listRemove: ['domain list', 'Remove'],
  listEmpty: [null, 'No domains'],
  listEntryName: [null, 'Domain to add to “%s”', ['$LIST$']],
  listAddName: [null, 'Add to “%s”', ['$LIST$']],
  listRemoveName: [null, 'Remove the selected domain from “%s”', ['$LIST$']],
  lockedLabel: [null, 'Set by your administrator'],
  lockedTooltip: [null, 'Your administrator has locked this setting, so it cannot be changed '
                        + 'here.'],
  listLockedError: [null, 'This list is set by your administrator and cannot be changed.'],
  errorEmpty: [null, 'Enter a domain such as example.com.'],
  errorNotDomain: [null, '“%s” is not a domain such as example.com.', ['$DOMAIN$']],
  errorDuplicate: [null, '“%s” is already in the list.', ['$DOMAIN$']],
  errorPublicSuffix: [null, '“%s” is an ending shared by many owners, not a domain: list it '
                            + 'under warned or blocked domains instead.', ['$DOMAIN$']],
  errorTooLong: [null, '“%s” is too long for a domain.', ['$DOMAIN$']],
  errorUnchecked: [null, 'The domain could not be checked (%s).', ['$REASON$']],
};

// The add-on's own words, which Evolution has no string for: translated here, in
// _locales/de, and checked only for their placeholders.
const OWN = new Set([
  'extensionName',
  'buttonEditAccessKey', 'buttonCorrectedAccessKey', 'buttonAnywayAccessKey',
  'lockedDesktopTooltip', 'errorOverLimit',
  'optionsHostMissingHeading', 'optionsHostMissingBody',
  'optionsHostFailedHeading', 'optionsHostFailedBody', 'optionsProblemsHeading',
]);

// The sources the English strings are quoted from: each msgid of FROM_PO is in one of them
// as written, so that a changed sentence in Evolution fails here rather than drifts.
const EVOLUTION_SOURCES = [
  'ui/rg-confirm-dialog.c', 'ui/rg-confirm-dialog.ui', 'ui/rg-confirm-row.c',
  'ui/rg-preferences-page.c', 'ui/rg-preferences-page.ui', 'ui/rg-domain-list.c',
  'ui/rg-domain-list.ui', 'ui/rg-lock-indicator.c', 'common/glib/rg-settings.c',
  'plugin/evolution/rg-composer-extension.c',
];

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

test('every message is Evolution’s or named as the add-on’s own', () => {
  for (const name of Object.keys(en))
    assert.ok(FROM_PO[name] || OWN.has(name), `${name}: add it to FROM_PO or OWN`);
  for (const name of OWN)
    assert.ok(en[name], `${name} is a message`);
});

test('the Evolution strings are still in its sources', () => {
  // C string literals joined as the compiler does ("a " "b" → "a b"), and the .ui files' text.
  const text = EVOLUTION_SOURCES.map(path => readFileSync(join(SOURCE_ROOT, path), 'utf8'))
    .join('\n')
    .replace(/"\s*\n\s*(?:\/\*[^]*?\*\/\s*)*"/g, '');
  for (const [name, [, msgid]] of Object.entries(FROM_PO)) {
    if (name === 'extensionDescription')
      continue; // The metainfo's summary (data/), not the dialog's.
    assert.ok(text.includes(msgid.replace(/"/g, '\\"')) || text.includes(`>${msgid}<`),
              `${name}: “${msgid}” is in the Evolution sources`);
  }
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
