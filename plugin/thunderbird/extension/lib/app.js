// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The add-on's background, wired to the API object it is given (messenger in Thunderbird, a
// fake in the tests): the host connection and its configuration, the guard at Send, the
// "Check recipients" window, and what the settings page shows (runtime messages: the page
// never talks to the host itself).

import { HostClient, HOST_NAME } from './host.js';
import { dialogSize } from './dialog-model.js';
import { Guard } from './guard.js';
import { collectKnown } from './known.js';
import { MESSAGE_OPTIONS_APPLY, MESSAGE_OPTIONS_LOAD, effectiveSettings } from './options-model.js';
import { flattenRecipients } from './recipients.js';
import { effectiveFromAnswer, fallbackEffective, mergeSettings, readStorages } from './settings.js';

export const DIALOG_URL = 'dialog/confirm.html';
export const MESSAGE_LOAD = 'rcptguard-dialog-load';
export const MESSAGE_ANSWER = 'rcptguard-dialog-answer';
// The settings page's messages (options-model.js says what they answer).
export { MESSAGE_OPTIONS_APPLY, MESSAGE_OPTIONS_LOAD, OPTIONS_URL } from './options-model.js';

// A change to an address book often comes in bursts (an import, a sync): one configure after
// the burst is enough.
const DEFAULT_DEBOUNCE_MS = 200;
// A Send right after start waits this long at most for the first configure, so that it is
// checked with the address books rather than without.
const CONFIGURE_WAIT_MS = 5000;
// A window that does not ask for its content within this time is taken as one that failed to
// open: the guard then decides as for a failed check rather than wait for ever.
const DIALOG_LOAD_TIMEOUT_MS = 10000;

// The events after which the checker must be told again what is known.
const CONFIGURE_EVENTS = [
  ['contacts', ['onCreated', 'onManyCreated', 'onUpdated', 'onDeleted']],
  ['mailingLists', ['onCreated', 'onUpdated', 'onDeleted', 'onMemberAdded', 'onMemberRemoved']],
  ['addressBooks', ['onCreated', 'onUpdated', 'onDeleted']],
  ['identities', ['onCreated', 'onUpdated', 'onDeleted']],
  ['accounts', ['onCreated', 'onUpdated', 'onDeleted']],
];

/** Resolves when @promise settles or after @ms, whichever comes first; never rejects. */
function settledOrAfter(promise, ms) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).catch(() => {}),
    new Promise(resolve => { timer = setTimeout(resolve, ms); }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts Recipient Guard.
 *
 * @param {object} api - the WebExtension API (messenger)
 * @param {object} [options] - for the tests: connect (instead of runtime.connectNative),
 *   timeouts (HostClient's), debounceMs, dialogLoadTimeoutMs, console
 * @returns {{ready: Promise, configure: function(): Promise, guard: Guard, client: HostClient,
 *   settings: function(): object, options: function(): object, stop: function(): void}}
 */
export function startRecipientGuard(api, options = {}) {
  const out = options.console ?? globalThis.console;
  const log = message => out.warn(`rcptguard: ${message}`);
  const client = new HostClient({
    connect: options.connect ?? (() => api.runtime.connectNative(HOST_NAME)),
    timeouts: options.timeouts,
    log,
  });
  const debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
  const dialogLoadTimeoutMs = options.dialogLoadTimeoutMs ?? DIALOG_LOAD_TIMEOUT_MS;
  const listeners = [];
  const dialogs = new Map();
  let effective = fallbackEffective({});
  // What the last configure sent and got, for the settings page.
  let lastConfigure = { merged: { settings: {}, locked: [] }, answer: null, error: null };
  let configuring = Promise.resolve();
  let debounceTimer = null;
  // The address books created while the add-on runs: Thunderbird lists them after Collected
  // Addresses until it restarts (collectedBookId ()).
  const createdBooks = new Set();
  let dialogCounter = 0;

  function listen(target, fn) {
    if (target && typeof target.addListener === 'function') {
      target.addListener(fn);
      listeners.push([target, fn]);
    }
  }

  async function configureOnce() {
    const { managed, local } = await readStorages(api.storage);
    const merged = mergeSettings(managed, local);
    let known = {};
    let identities = [];

    effective = fallbackEffective(merged.settings, merged.locked);
    lastConfigure = { merged, answer: null, error: null };
    try {
      ({ known, identities } = await collectKnown(api, createdBooks));
    } catch (error) {
      log(`the address books could not be read: ${error?.message ?? error}`);
    }
    try {
      // The host translates the rows' sentences into the window's language.
      const language = api.i18n?.getUILanguage?.();
      const answer = await client.configure({ ...merged, known, identities,
                                              ...(language ? { language } : {}) });
      effective = effectiveFromAnswer(answer, merged.settings, merged.locked);
      lastConfigure = { merged, answer, error: null };
      out.info(`rcptguard: ready, ${Object.keys(known).length} known domains`);
      if (Array.isArray(answer.problems) && answer.problems.length > 0)
        log(`settings with problems: ${answer.problems.join('; ')}`);
    } catch (error) {
      log(`the native host could not be configured: ${error.message}`);
      lastConfigure = {
        merged,
        answer: null,
        error: { kind: typeof error.kind === 'string' ? error.kind : 'internal',
                 message: String(error.message ?? error) },
      };
    }
  }

  // Configures after the one under way, never at the same time: the last one sent wins.
  function configure() {
    configuring = configuring.then(configureOnce, configureOnce);
    return configuring;
  }

  function scheduleConfigure() {
    if (debounceTimer !== null)
      clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => {
      debounceTimer = null;
      configure();
    }, debounceMs);
  }

  // What the settings page shows: every key's value in effect, who locked what, and what the
  // host had to say about the settings (or why it could not be asked).
  function optionsState() {
    const { merged, answer, error } = lastConfigure;
    return {
      settings: effectiveSettings(answer, merged.settings),
      locked: [...merged.locked],
      desktopLocked: Array.isArray(answer?.desktop_locked) ? [...answer.desktop_locked] : [],
      problems: Array.isArray(answer?.problems) ? [...answer.problems] : [],
      refused: Array.isArray(answer?.refused) ? answer.refused.map(item => ({ ...item })) : [],
      hostError: error,
    };
  }

  async function loadOptions() {
    await configuring.catch(() => {});
    return optionsState();
  }

  // The page has written storage.local: configure now rather than after the debounce, so that
  // the answer is about what it wrote.
  async function applyOptions() {
    if (debounceTimer !== null) {
      clearTimeout(debounceTimer);
      debounceTimer = null;
    }
    await configure().catch(() => {});
    return optionsState();
  }

  // "Always allow DOMAIN", once the message left: the domains join the user's trusted-domains
  // (the list in effect, as the settings page shows and writes it), and the host is told at
  // once, so that the next message to them is not asked about.
  async function trust(domains) {
    await configuring.catch(() => {});
    const { managed, local } = await readStorages(api.storage);
    const merged = mergeSettings(managed, local);
    if (effectiveFromAnswer(lastConfigure.answer, merged.settings, merged.locked).locked
      .includes('trusted-domains')) {
      log(`trusted-domains is locked: ${domains.join(', ')} not added`);
      return;
    }
    const current = effectiveSettings(lastConfigure.answer, merged.settings)['trusted-domains'];
    const seen = new Set(current.map(domain => domain.toLowerCase()));
    const added = domains.filter(domain => !seen.has(domain.toLowerCase())
                                           && seen.add(domain.toLowerCase()));
    if (added.length === 0)
      return;
    await api.storage.local.set({ 'trusted-domains': [...current, ...added] });
    out.info(`rcptguard: always allowing ${added.join(', ')}`);
    await applyOptions();
  }

  function finishDialog(token, answer, error) {
    const entry = dialogs.get(token);

    if (entry === undefined)
      return;
    dialogs.delete(token);
    clearTimeout(entry.loadTimer);
    if (entry.windowId !== null)
      Promise.resolve().then(() => api.windows.remove(entry.windowId)).catch(() => {});
    if (error)
      entry.reject(error);
    else
      entry.resolve(answer);
  }

  function openDialog(model) {
    const token = `${++dialogCounter}-${Math.random().toString(36).slice(2)}`;

    return new Promise((resolve, reject) => {
      const entry = { model, resolve, reject, windowId: null, loadTimer: null };

      dialogs.set(token, entry);
      entry.loadTimer = setTimeout(
        () => finishDialog(token, null, new Error('the dialog window did not load')),
        dialogLoadTimeoutMs);
      Promise.resolve()
        .then(() => api.windows.create({
          type: 'popup',
          url: `${DIALOG_URL}?dialog=${encodeURIComponent(token)}`,
          ...dialogSize(model),
        }))
        .then(window => {
          if (dialogs.has(token))
            entry.windowId = window.id;
          else
            api.windows.remove(window.id).catch(() => {}); // Answered or given up already.
        })
        .catch(error => finishDialog(token, null, error));
    });
  }

  function onMessage(message) {
    if (!message || typeof message !== 'object')
      return undefined;
    if (message.type === MESSAGE_LOAD) {
      const entry = dialogs.get(message.dialog);
      if (entry === undefined)
        return Promise.resolve(null);
      clearTimeout(entry.loadTimer);
      return Promise.resolve(entry.model);
    }
    if (message.type === MESSAGE_ANSWER) {
      finishDialog(message.dialog, { action: message.action, choices: message.choices });
      return Promise.resolve(true);
    }
    if (message.type === MESSAGE_OPTIONS_LOAD)
      return loadOptions();
    if (message.type === MESSAGE_OPTIONS_APPLY)
      return applyOptions();
    return undefined;
  }

  // The user closed the window: back to the message, as Escape does.
  function onWindowRemoved(windowId) {
    for (const [token, entry] of dialogs) {
      if (entry.windowId === windowId) {
        entry.windowId = null;
        finishDialog(token, { action: 'edit', choices: [] });
      }
    }
  }

  const guard = new Guard({
    settings: () => effective,
    flatten: details => flattenRecipients(details, api),
    check: async lists => {
      await settledOrAfter(configuring, CONFIGURE_WAIT_MS);
      return client.check(lists);
    },
    openDialog,
    trust,
    record: async (decision, details) => {
      try {
        return await client.record(decision, details);
      } catch (error) {
        // The host that made the check is gone (restarted since, or 32 checks ago): the
        // report is checked again, so that the decision is still recorded.
        if (error?.kind !== 'protocol' || details.check === undefined || !details.lists)
          throw error;
        const report = await client.check(details.lists);
        return client.record(decision, { ...details, check: report.id });
      }
    },
    log,
  });

  listen(api.compose?.onBeforeSend, (tab, details) => guard.beforeSend(tab, details));
  listen(api.compose?.onAfterSend, (tab, sendInfo) => guard.afterSend(tab, sendInfo));
  listen(api.runtime?.onMessage, onMessage);
  listen(api.windows?.onRemoved, onWindowRemoved);
  listen(api.addressBooks?.onCreated, node => createdBooks.add(node.id));
  for (const [namespace, events] of CONFIGURE_EVENTS) {
    for (const event of events)
      listen(api[namespace]?.[event], () => scheduleConfigure());
  }
  listen(api.storage?.onChanged, (changes, area) => {
    if (area === 'local' || area === 'managed')
      scheduleConfigure();
  });

  const ready = configure();

  return {
    ready,
    configure,
    guard,
    client,
    settings: () => effective,
    options: optionsState,
    stop() {
      if (debounceTimer !== null)
        clearTimeout(debounceTimer);
      for (const [target, fn] of listeners)
        target.removeListener?.(fn);
      for (const token of [...dialogs.keys()])
        finishDialog(token, { action: 'edit', choices: [] });
      client.close();
    },
  };
}
