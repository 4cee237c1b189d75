// SPDX-License-Identifier: LGPL-2.1-or-later
// The add-on's words are those of the Evolution dialog and preferences page: English as in
// the sources (the msgids of po/), German and French as po/de.po and po/fr.po translate them,
// placeholders where the C strings have %s.  The few the add-on has alone are named in OWN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { EXTENSION_DIR, SOURCE_ROOT } from './paths.js';

function readMessages(locale) {
  return JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', locale, 'messages.json'), 'utf8'));
}

// The entries of a .po file: "context\u0004msgid" → msgstr; for plural forms, an array of
// the msgstr[N].
function readPo(path) {
  const entries = new Map();
  let current = null;
  let key = null;
  const hasTranslation = entry => entry && Object.keys(entry).some(k => k.startsWith('msgstr'));
  const finish = () => {
    const plural = Object.keys(current ?? {}).filter(k => k.startsWith('msgstr[')).sort()
      .map(k => current[k]);
    const msgstr = current?.msgstr ?? (plural.length > 0 ? plural : undefined);
    if (current && current.msgid !== undefined && msgstr !== undefined)
      entries.set(current.msgctxt !== undefined ? `${current.msgctxt}\u0004${current.msgid}`
                                                : current.msgid,
                  msgstr);
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
  bodyWarn: [null, 'Check each address below: use the suggestion, or keep the address if it is '
                   + 'right.'],
  headingBlocked: [null, 'Your administrator does not allow sending to some of these recipients'],
  bodyBlocked: [null, 'Use the suggestion for each blocked address or remove it, or go back to '
                      + 'the message.'],
  headingBlockedOwn: [null, 'You asked never to send to some of these recipients'],
  headingOverride: [null, 'Your administrator advises against sending to some of these recipients'],
  bodyOverride: [null, 'Check each address below. You may still send the message as it is.'],
  headingFailed: [null, 'Recipients could not be checked'],
  failedOther: [null, 'Recipient Guard could not finish its check. Go back to the message and try '
                      + 'again, or send anyway if you are sure.'],
  refusedOther: [null, 'Recipient Guard could not finish its check. Your administrator does not '
                       + 'allow sending without the check: go back to the message and try again.'],
  detailsLabel: [null, '_Details'],
  buttonEdit: [null, '_Edit Message'],
  buttonCorrected: [null, 'Send _Corrected'],
  buttonAnyway: [null, 'Send _Anyway'],
  fieldTo: ['header', 'To'],
  fieldCc: ['header', 'Cc'],
  fieldBcc: ['header', 'Bcc'],
  choiceUse: ['recipient choice', 'Use <b>%s</b>', ['$ADDRESS$']],
  choiceUseName: ['recipient choice', 'Use %s instead of %s', ['$SUGGESTION$', '$TYPED$']],
  choiceKeep: ['recipient choice', 'Keep this address'],
  choiceKeepName: ['recipient choice', 'Keep %s', ['$ADDRESS$']],
  choiceRemove: ['recipient choice', 'Remove'],
  choiceRemoveName: ['recipient choice', 'Remove %s', ['$ADDRESS$']],
  choiceTrust: ['recipient choice', 'Always allow %s', ['$DOMAIN$']],
  choiceTrustName: ['recipient choice', 'Keep %s and always allow %s', ['$ADDRESS$', '$DOMAIN$']],
  noSuggestion: ['recipient choice', 'No suggestion'],
  rowsLabel: [null, 'Flagged recipients'],
  countOnly: [null, 'The only recipient of this message may be wrong'],
  correctedEmpty: [null, 'Every recipient would be removed: use a suggestion, or go back to the '
                         + 'message.'],
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
};

// The add-on's own words, which Evolution has no string for: translated here, in
// _locales/de and _locales/fr, and checked only for their placeholders.
const OWN = new Set([
  'extensionName',
  // The host is the add-on's alone: Evolution's checker cannot be missing or stop.
  'failedNotStarted', 'failedStopped', 'refusedNotStarted',
  // Evolution's "%u of %u recipients may be wrong" has plural forms, which these two stand
  // for (dialog-model.js, countMessage); checked against po/ below.
  'countOne', 'countOther',
  'buttonEditAccessKey', 'buttonCorrectedAccessKey', 'buttonAnywayAccessKey',
  'lockedDesktopTooltip',
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
    .replace(/%[su]/g, () => placeholders[i++]);
}

// Evolution's count line has plural forms; the add-on has a message for one flagged recipient
// and one for more (dialog-model.js, countMessage), which are its forms for 1 and for 2.
const COUNT_MSGID = '%u of %u recipients may be wrong';
const COUNT_PLACEHOLDERS = ['$FLAGGED$', '$TOTAL$'];

function mnemonic(text) {
  return text.match(/_(\p{L})/u)?.[1];
}

const en = readMessages('en');
const de = readMessages('de');
const fr = readMessages('fr');
const TRANSLATIONS = { de, fr };
const PO = Object.fromEntries(Object.keys(TRANSLATIONS)
  .map(locale => [locale, readPo(join(SOURCE_ROOT, 'po', `${locale}.po`))]));

test('every locale has the same messages with the same placeholders', () => {
  const locales = readdirSync(join(EXTENSION_DIR, '_locales')).sort();
  assert.deepEqual(locales, ['de', 'en', 'fr']);
  for (const [locale, messages] of Object.entries(TRANSLATIONS)) {
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(en).sort(), locale);
    for (const [name, { message, placeholders = {} }] of Object.entries({ ...en, ...messages })) {
      const used = [...message.matchAll(/\$(\w+)\$/g)].map(m => m[1].toLowerCase()).sort();
      assert.deepEqual(used, Object.keys(placeholders).sort(),
                       `the placeholders of ${name} (${locale})`);
    }
    for (const name of Object.keys(en))
      assert.deepEqual(Object.keys(messages[name].placeholders ?? {}),
                       Object.keys(en[name].placeholders ?? {}), `${name} (${locale})`);
  }
});

test('French is a translation: no sentence is left in English', () => {
  // The product's name and the words that are the same in both languages.
  const same = new Set(['extensionName']);
  for (const [name, { message }] of Object.entries(en)) {
    if (!same.has(name) && /\p{L}{3}/u.test(message))
      assert.notEqual(fr[name].message, message, `${name} is translated`);
  }
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

test('the German and French messages are po/’s translations', () => {
  for (const [locale, messages] of Object.entries(TRANSLATIONS)) {
    for (const [name, [msgctxt, msgid, placeholders]] of Object.entries(FROM_PO)) {
      const msgstr = PO[locale].get(msgctxt !== null ? `${msgctxt}\u0004${msgid}` : msgid);
      assert.ok(msgstr, `${locale}.po translates “${msgid}”`);
      assert.equal(messages[name].message, asMessage(msgstr, placeholders), `${name} (${locale})`);
    }
  }
});

test('the count line is Evolution’s, in its forms for one and for more', () => {
  assert.equal(en.countOne.message, asMessage(COUNT_MSGID, COUNT_PLACEHOLDERS));
  assert.equal(en.countOther.message, asMessage(COUNT_MSGID, COUNT_PLACEHOLDERS));
  // German's and French's plural rules: form 0 for 1, form 1 for 2 and more (never 0 here).
  for (const [locale, messages] of Object.entries(TRANSLATIONS)) {
    const forms = PO[locale].get(COUNT_MSGID);
    assert.ok(Array.isArray(forms) && forms.length === 2,
              `${locale}.po translates “${COUNT_MSGID}”`);
    assert.equal(messages.countOne.message, asMessage(forms[0], COUNT_PLACEHOLDERS), locale);
    assert.equal(messages.countOther.message, asMessage(forms[1], COUNT_PLACEHOLDERS), locale);
  }
});

test('the access keys are the mnemonics of the Evolution buttons', () => {
  for (const name of ['buttonEdit', 'buttonCorrected', 'buttonAnyway']) {
    const msgid = FROM_PO[name][1];
    assert.equal(en[`${name}AccessKey`].message, mnemonic(msgid), name);
    for (const [locale, messages] of Object.entries(TRANSLATIONS)) {
      assert.equal(messages[`${name}AccessKey`].message, mnemonic(PO[locale].get(msgid)),
                   `${name} (${locale})`);
      assert.ok(messages[name].message.includes(messages[`${name}AccessKey`].message),
                `${name}: a letter of the label (${locale})`);
    }
  }
});
