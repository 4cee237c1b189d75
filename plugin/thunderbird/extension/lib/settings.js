// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The settings sent to the native host with `configure` (PROTOCOL.md): the administrator's
// values (storage.managed, from policies.json → 3rdparty.Extensions["rcptguard@rcptguard.org"])
// merged with the user's own (storage.local).  The key names are those of the GSettings schema
// org.rcptguard.RecipientGuard; the host checks names, types and ranges and reports problems,
// so nothing here second-guesses it.

/**
 * The suffix that locks a key in the managed storage:
 * {"on-error": "block", "on-error:locked": true}.
 */
export const LOCK_SUFFIX = ':locked';

/**
 * Every key of the schema org.rcptguard.RecipientGuard with its default, for when the host
 * cannot say what is in effect.  tests/thunderbird/unit compares them with
 * data/org.rcptguard.RecipientGuard.gschema.xml.
 */
export const SCHEMA_DEFAULTS = Object.freeze({
  'enabled': true,
  'trusted-domains': Object.freeze([]),
  'known-domains': Object.freeze([]),
  'warn-domains': Object.freeze([]),
  'block-domains': Object.freeze([]),
  'allow-block-override': false,
  'check-lookalikes': true,
  'notice-new-domains': false,
  'on-error': 'warn',
  'server-guard': false,
  'log-decisions': true,
  'log-local-parts': 'hmac',
});

/** The nicks of the enumerations, in the order the page offers them. */
export const CHOICES = Object.freeze({
  'on-error': Object.freeze(['allow', 'warn', 'block']),
  'log-local-parts': Object.freeze(['none', 'hmac', 'plain']),
});

/**
 * The settings the add-on itself acts on, with the schema's defaults, for when the host cannot
 * be reached and so cannot say what is in effect.
 */
export const FALLBACK_SETTINGS = Object.freeze(Object.fromEntries(
  ['enabled', 'on-error', 'allow-block-override', 'server-guard']
    .map(key => [key, SCHEMA_DEFAULTS[key]])));

const ON_ERROR_VALUES = CHOICES['on-error'];

/** What is checked at Send (the host's `scope`): everything, the locked block list, nothing. */
export const SCOPES = Object.freeze(['all', 'blocks', 'off']);

/**
 * The scope when the host cannot say: the same rule as the host's (rg_settings_get_scope):
 * with checking off, a block list the administrator locked still applies.
 */
function scopeOf(enabled, locked, blockDomains) {
  if (enabled !== false)
    return 'all';
  return locked.includes('block-domains') && Array.isArray(blockDomains)
         && blockDomains.length > 0 ? 'blocks' : 'off';
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function lockedKeys(keys) {
  return [...new Set((Array.isArray(keys) ? keys : []).filter(key => typeof key === 'string'))]
    .sort();
}

function isLockKey(key) {
  return key.endsWith(LOCK_SUFFIX) && key.length > LOCK_SUFFIX.length;
}

/**
 * Merges the administrator's and the user's settings.
 *
 * A key the administrator locked takes the managed value, or none at all (the schema's default)
 * when the administrator locked it without a value: the user's value never wins over a lock.
 * Any other key takes the user's value, else the managed one.  Keys the schema does not have
 * pass through: the host names them in its `problems`.
 *
 * @param {object|null|undefined} managed - what storage.managed.get() returned
 * @param {object|null|undefined} local - what storage.local.get() returned
 * @returns {{settings: object, locked: string[]}} for `configure`; `locked` is sorted
 */
export function mergeSettings(managed, local) {
  const admin = isPlainObject(managed) ? managed : {};
  const user = isPlainObject(local) ? local : {};
  const settings = {};
  const locked = new Set();

  for (const [key, value] of Object.entries(admin)) {
    if (isLockKey(key)) {
      if (value === true)
        locked.add(key.slice(0, -LOCK_SUFFIX.length));
      continue;
    }
    settings[key] = value;
  }
  for (const [key, value] of Object.entries(user)) {
    // A user cannot lock anything; such a key is no setting at all.
    if (isLockKey(key) || locked.has(key) || value === undefined)
      continue;
    settings[key] = value;
  }
  return { settings, locked: [...locked].sort() };
}

/**
 * The settings the add-on acts on when the host could not answer `configure`: the merged
 * values where they have the right type, else FALLBACK_SETTINGS.  An administrator's
 * "on-error": "block" thus still holds when the host is missing.
 *
 * @param {object} settings - the `settings` of mergeSettings()
 * @param {string[]} [locked] - the `locked` of mergeSettings()
 * @returns {{enabled: boolean, 'on-error': string, 'allow-block-override': boolean,
 *   'server-guard': boolean, locked: string[], scope: string}} locked: the keys the
 *   administrator locked, sorted; scope: one of SCOPES
 */
export function fallbackEffective(settings, locked = []) {
  const merged = isPlainObject(settings) ? settings : {};
  const result = { ...FALLBACK_SETTINGS, locked: lockedKeys(locked) };

  if (typeof merged['enabled'] === 'boolean')
    result['enabled'] = merged['enabled'];
  if (ON_ERROR_VALUES.includes(merged['on-error']))
    result['on-error'] = merged['on-error'];
  for (const key of ['allow-block-override', 'server-guard']) {
    if (typeof merged[key] === 'boolean')
      result[key] = merged[key];
  }
  result.scope = scopeOf(result.enabled, result.locked, merged['block-domains']);
  return result;
}

/**
 * The settings in effect after a `configure` answer: the host's (every key of the schema), or
 * fallbackEffective() where the host has none (no schema installed: "settings": null).  The
 * keys locked are those of Thunderbird's policy and of the desktop's (`desktop_locked`).
 */
export function effectiveFromAnswer(answer, mergedSettings, locked = []) {
  const desktop = Array.isArray(answer?.desktop_locked) ? answer.desktop_locked : [];
  const result = fallbackEffective(mergedSettings, [...locked, ...desktop]);
  const hostSettings = answer && isPlainObject(answer.settings) ? answer.settings : null;

  if (hostSettings === null)
    return result;
  for (const key of Object.keys(FALLBACK_SETTINGS)) {
    if (typeof hostSettings[key] === typeof FALLBACK_SETTINGS[key])
      result[key] = hostSettings[key];
  }
  if (!ON_ERROR_VALUES.includes(result['on-error']))
    result['on-error'] = FALLBACK_SETTINGS['on-error'];
  result.scope = SCOPES.includes(answer?.scope)
    ? answer.scope : scopeOf(result.enabled, result.locked, hostSettings['block-domains']);
  return result;
}

/**
 * Reads both storages.  storage.managed throws when no policy configures the add-on (and on
 * systems without managed storage): that is no administrator's settings, not an error.
 *
 * @param {object} storage - the `storage` namespace of the WebExtension API
 * @returns {Promise<{managed: object, local: object}>}
 */
export async function readStorages(storage) {
  let managed = {};
  let local = {};

  try {
    if (storage && storage.managed)
      managed = (await storage.managed.get()) ?? {};
  } catch (e) {
    managed = {};
  }
  if (storage && storage.local)
    local = (await storage.local.get()) ?? {};
  return { managed, local };
}
