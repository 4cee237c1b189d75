// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The add-on's settings page (options/options.html) apart from the page that draws it, so
// that its rules are tested under Node: what it shows (the controls of Evolution's page,
// ui/rg-preferences-page.c, with the values in effect and the locks), what it writes to
// storage.local (the user's own values), what a `configure` answer says about an entry
// just added, and what the field holds after an entry was added or refused.

import { CHOICES, SCHEMA_DEFAULTS } from './settings.js';

export const OPTIONS_URL = 'options/options.html';

/**
 * The page's runtime messages to the background (lib/app.js), which alone talks to the host.
 * Both are answered with the state the page shows: {settings (every key's value in effect),
 * locked (by Thunderbird's policy), desktopLocked (by the desktop's dconf), problems and
 * refused (the last `configure` answer's), hostError (null, or {kind, message} when the host
 * could not be configured)}.  LOAD answers after the configure under way; APPLY configures at
 * once, with what is stored now, and answers with that configure's outcome: the page sends it
 * after it wrote storage.local.
 */
export const MESSAGE_OPTIONS_LOAD = 'rcptguard-options-load';
export const MESSAGE_OPTIONS_APPLY = 'rcptguard-options-apply';

/** The message names of the choices (_locales). */
const CHOICE_MESSAGES = {
  'on-error': { allow: 'onErrorAllow', warn: 'onErrorWarn', block: 'onErrorBlock' },
  'log-local-parts': { none: 'localPartsNone', hmac: 'localPartsHmac', plain: 'localPartsPlain' },
};

/**
 * The page, section by section, as Evolution's: a switch or a choice is {key, title,
 * description} (message names), a list {key, title, description, list: true}.  The first
 * section has no heading.
 */
export const SECTIONS = Object.freeze([
  { id: 'general', legend: null, rows: [
    { key: 'enabled', title: 'settingEnabled', description: 'settingEnabledDescription' },
  ] },
  { id: 'domains', legend: 'sectionDomains', rows: [
    { key: 'trusted-domains', title: 'listTrusted', description: 'listTrustedDescription',
      list: true },
    { key: 'known-domains', title: 'listKnown', description: 'listKnownDescription',
      list: true },
    { key: 'warn-domains', title: 'listWarn', description: 'listWarnDescription', list: true },
    { key: 'block-domains', title: 'listBlock', description: 'listBlockDescription',
      list: true },
  ] },
  { id: 'checks', legend: 'sectionChecks', rows: [
    { key: 'check-lookalikes', title: 'settingLookalikes',
      description: 'settingLookalikesDescription' },
    { key: 'notice-new-domains', title: 'settingNewDomains',
      description: 'settingNewDomainsDescription' },
    { key: 'allow-block-override', title: 'settingOverride',
      description: 'settingOverrideDescription' },
    { key: 'on-error', title: 'settingOnError', description: 'settingOnErrorDescription' },
  ] },
  { id: 'log', legend: 'sectionLog', rows: [
    { key: 'log-decisions', title: 'settingLogDecisions',
      description: 'settingLogDecisionsDescription' },
    { key: 'log-local-parts', title: 'settingLocalParts',
      description: 'settingLocalPartsDescription' },
  ] },
]);

/**
 * The keys the page does not show, as Evolution's Preferences does not: `server-guard` says
 * whether the organisation's mail server runs rcptguard-milter, which the administrator knows
 * and the user cannot; policies.json (or the desktop's dconf) sets it.
 */
export const ADMIN_ONLY_KEYS = Object.freeze(['server-guard']);

export const LIST_KEYS = Object.freeze(['trusted-domains', 'known-domains', 'warn-domains',
                                        'block-domains']);

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether @value has the type (and, for an enumeration, a nick) of @key. */
export function isValidValue(key, value) {
  const fallback = SCHEMA_DEFAULTS[key];

  if (fallback === undefined)
    return false;
  if (Array.isArray(fallback))
    return Array.isArray(value) && value.every(entry => typeof entry === 'string');
  if (CHOICES[key])
    return CHOICES[key].includes(value);
  return typeof value === typeof fallback;
}

/**
 * Every key's value in effect: the host's (its `configure` answer has every key), else the
 * merged settings where they have the right type, else the schema's defaults.
 *
 * @param {object|null} answer - the last `configure` answer, or null without one
 * @param {object} mergedSettings - the `settings` of mergeSettings()
 */
export function effectiveSettings(answer, mergedSettings) {
  const hostSettings = answer && isPlainObject(answer.settings) ? answer.settings : null;
  const merged = isPlainObject(mergedSettings) ? mergedSettings : {};
  const result = {};

  for (const [key, fallback] of Object.entries(SCHEMA_DEFAULTS)) {
    let value = Array.isArray(fallback) ? [] : fallback;
    if (hostSettings !== null && isValidValue(key, hostSettings[key]))
      value = hostSettings[key];
    else if (isValidValue(key, merged[key]))
      value = merged[key];
    result[key] = Array.isArray(value) ? [...value] : value;
  }
  return result;
}

/**
 * Who locked @key: "admin" (Thunderbird's policy, `KEY:locked` in storage.managed), "desktop"
 * (the desktop's dconf, as the host says), or null.  The add-on's lock wins where both lock,
 * as the host's does (PROTOCOL.md).
 */
export function lockOf(state, key) {
  if ((state.locked ?? []).includes(key))
    return 'admin';
  if ((state.desktopLocked ?? []).includes(key))
    return 'desktop';
  return null;
}

/**
 * What the page draws.
 *
 * @param {object} state - the background's answer to MESSAGE_OPTIONS_LOAD: {settings,
 *   locked, desktopLocked, problems, hostError: null | {kind, message}}
 * @returns {{host: null | {kind: "missing" | "failed", reason: string}, problems: string[],
 *   sections: Array}} each row with `control` ("switch", "choice" or "list"), `value`,
 *   `lock` (lockOf()), `disabled`, and for a choice its `choices` [{value, label}]
 */
export function buildOptionsModel(state) {
  const settings = effectiveSettings({ settings: state.settings }, {});
  let host = null;

  if (state.hostError) {
    host = {
      kind: state.hostError.kind === 'not-installed' ? 'missing' : 'failed',
      reason: String(state.hostError.message ?? ''),
    };
  }
  return {
    host,
    problems: Array.isArray(state.problems) ? state.problems.map(String) : [],
    sections: SECTIONS.map(section => ({
      id: section.id,
      legend: section.legend,
      rows: section.rows.map(row => {
        const lock = lockOf(state, row.key);
        const control = row.list ? 'list' : CHOICES[row.key] ? 'choice' : 'switch';
        const built = { ...row, control, value: settings[row.key], lock, disabled: lock !== null };
        delete built.list;
        if (control === 'choice')
          built.choices = CHOICES[row.key].map(value => ({ value,
                                                         label: CHOICE_MESSAGES[row.key][value] }));
        return built;
      }),
    })),
  };
}

/**
 * An entry as the lists store and compare it, as Evolution's page does: trimmed, without the
 * optional leading "*." or "." and a trailing root dot, lower-cased (toLowerCase() does not
 * depend on the locale) and in NFC.
 */
export function canonicalDomain(text) {
  let domain = String(text ?? '').trim();

  if (domain.startsWith('*.'))
    domain = domain.slice(2);
  else if (domain.startsWith('.'))
    domain = domain.slice(1);
  if (domain.endsWith('.'))
    domain = domain.slice(0, -1);
  return domain.toLowerCase().normalize('NFC');
}

/**
 * @param {string[]} entries - a list's entries
 * @returns {string[]} canonical, each once, in their first order, without empty ones
 */
export function normalizeList(entries) {
  const seen = new Set();
  const result = [];

  for (const entry of entries ?? []) {
    const domain = canonicalDomain(entry);
    if (domain === '' || seen.has(domain))
      continue;
    seen.add(domain);
    result.push(domain);
  }
  return result;
}

/**
 * The checks the page makes before saving a new entry; the host checks the rest.
 *
 * @returns {{entry: string} | {error: {name: string, substitutions: string[]}}} the entry to
 *   add, or why not (a message of _locales: Evolution's sentences)
 */
export function checkNewEntry(entries, typed) {
  const trimmed = String(typed ?? '').trim();
  const entry = canonicalDomain(trimmed);

  if (entry === '')
    return { error: { name: 'errorEmpty', substitutions: [] } };
  if (/[\s,;@\/\\]/u.test(entry))
    return { error: { name: 'errorNotDomain', substitutions: [trimmed] } };
  if (normalizeList(entries).includes(entry))
    return { error: { name: 'errorDuplicate', substitutions: [entry] } };
  return { entry };
}

/**
 * What to write to storage.local for an edit made on the page: only @key, never a locked
 * one; lists canonical and without duplicates.
 *
 * @returns {object|null} the values for storage.local.set(), or null when the key is locked,
 *   unknown, not on the page (ADMIN_ONLY_KEYS), or the value is not of its type
 */
export function applyEdit(state, key, value) {
  if (lockOf(state, key) !== null || SCHEMA_DEFAULTS[key] === undefined
      || ADMIN_ONLY_KEYS.includes(key))
    return null;
  if (Array.isArray(SCHEMA_DEFAULTS[key])) {
    if (!Array.isArray(value) || !value.every(entry => typeof entry === 'string'))
      return null;
    return { [key]: normalizeList(value) };
  }
  if (!isValidValue(key, value))
    return null;
  return { [key]: value };
}

/** The list with @entry added at the end (canonical, once): for applyEdit(). */
export function withEntry(entries, entry) {
  return normalizeList([...(entries ?? []), entry]);
}

/** The list without @entry, in any spelling. */
export function withoutEntry(entries, entry) {
  const gone = canonicalDomain(entry);
  return normalizeList(entries).filter(domain => domain !== gone);
}

/**
 * The sentence to show by the list when the host refused @entry of @key: the `message` of
 * its `configure` answer's `refused`, which is the sentence of Evolution's page
 * (rg_settings_validate_domain ()) in Thunderbird's language; null when it took the entry.
 *
 * @param {Array<{key: string, entry: string, message: string}>|undefined} refused
 * @returns {{text: string} | null}
 */
export function entryError(refused, key, entry) {
  if (!Array.isArray(refused))
    return null;
  const found = refused.find(item => item?.key === key && item?.entry === entry);
  return found === undefined ? null : { text: String(found.message ?? '') };
}

/**
 * What the field holds after the page tried to add what was typed: empty once added; after a
 * refusal, the text as typed, all of it selected, so that typing replaces it (as Evolution's
 * page does) rather than being appended to it.
 *
 * @returns {{value: string, selectAll: boolean}}
 */
export function fieldAfterAdd(result, typed) {
  if (result.error)
    return { value: String(typed ?? ''), selectAll: true };
  return { value: '', selectAll: false };
}

/**
 * Adds what the user typed to the list @key, as the page does: the cheap checks, then the
 * write and the configure that follows (@write), then, if the host refused the new entry,
 * a second write without it.  Without the host (`hostError`), nothing can say whether the
 * entry is good, and it stays.
 *
 * @param {object} state - what the page shows (MESSAGE_OPTIONS_LOAD's answer)
 * @param {string} key - one of LIST_KEYS
 * @param {string} typed - the text of the field
 * @param {function(object): Promise<object>} write - writes values to storage.local, asks
 *   the background for MESSAGE_OPTIONS_APPLY and resolves to its answer
 * @returns {Promise<{state: object, entry?: string, error?: object}>} the state now; `entry`
 *   when added, `error` when not: {name, substitutions} (a message of _locales) for the
 *   page's own checks, {text} (the host's sentence) for the host's
 */
export async function addListEntry(state, key, typed, write) {
  if (lockOf(state, key) !== null)
    return { state, error: { name: 'listLockedError', substitutions: [] } };
  const checked = checkNewEntry(state.settings[key], typed);
  if (checked.error)
    return { state, error: checked.error };
  const values = applyEdit(state, key, withEntry(state.settings[key], checked.entry));
  if (values === null)
    return { state, error: { name: 'listLockedError', substitutions: [] } };

  let now = await write(values);
  const refused = now.hostError ? null : entryError(now.refused, key, checked.entry);
  if (refused === null)
    return { state: now, entry: checked.entry };
  const back = applyEdit(now, key, withoutEntry(now.settings[key], checked.entry));
  if (back !== null)
    now = await write(back);
  return { state: now, error: refused };
}

/**
 * Removes @entry from the list @key, as the page does.
 *
 * @returns {Promise<object|null>} the state after the write, or null when nothing was written
 *   (the key is locked)
 */
export async function removeListEntry(state, key, entry, write) {
  const values = applyEdit(state, key, withoutEntry(state.settings[key], entry));
  return values === null ? null : write(values);
}
