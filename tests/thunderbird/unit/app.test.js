// SPDX-License-Identifier: LGPL-2.1-or-later
// The whole background (lib/app.js) over a fake of Thunderbird's API and the real native
// host: configure at start and after changes, the guard at Send, the dialog window through
// runtime messages, and the decisions in the host's log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

import { FakeEvent } from './fake-events.js';
import { fakeAddressApi } from './fake-messenger.js';
import { HOST_PATH, makeSession, spawnPort } from './native-port.js';
import {
  DIALOG_URL, MESSAGE_ANSWER, MESSAGE_LOAD, MESSAGE_OPTIONS_APPLY, MESSAGE_OPTIONS_LOAD,
  startRecipientGuard,
} from '../../../plugin/thunderbird/extension/lib/app.js';
import {
  addListEntry, applyEdit, fieldAfterAdd, removeListEntry,
} from '../../../plugin/thunderbird/extension/lib/options-model.js';
import { SCHEMA_DEFAULTS } from '../../../plugin/thunderbird/extension/lib/settings.js';

const BOOKS = [{
  id: 'book', name: 'Personal',
  contacts: [
    { id: 'c1', DisplayName: 'Ops', PrimaryEmail: 'ops@army.mil' },
    { id: 'c2', DisplayName: 'Jo', PrimaryEmail: 'jo@army.mil', SecondEmail: 'jo@corp.example' },
  ],
}];

const DETAILS = { from: 'Me <me@corp.example>', to: ['Ops <ops@army.ml>'], cc: [], bcc: [] };

function fakeMessenger({ managed = null, local = {}, books = BOOKS } = {}) {
  const api = fakeAddressApi({ books, identities: [{ id: 'id1', email: 'me@corp.example' }] });
  const stored = { ...local };
  api.storage = {
    managed: {
      get: async () => {
        if (managed === null)
          throw new Error('Managed storage manifest not found');
        return managed;
      },
    },
    local: {
      get: async () => ({ ...stored }),
      set: async values => api.storage.set(values, 'local'),
    },
    stored,
    onChanged: new FakeEvent(),
    set: (values, area = 'local') => {
      Object.assign(stored, values);
      const changes = Object.fromEntries(Object.entries(values)
        .map(([key, value]) => [key, { newValue: value }]));
      api.storage.onChanged.fire(changes, area);
    },
  };
  api.runtime = { onMessage: new FakeEvent() };
  api.windows = {
    created: [], removed: [], nextId: 100,
    create: async data => {
      const window = { id: api.windows.nextId++, ...data };
      api.windows.created.push(window);
      return window;
    },
    remove: async id => { api.windows.removed.push(id); },
    onRemoved: new FakeEvent(),
  };
  api.compose = { onBeforeSend: new FakeEvent(), onAfterSend: new FakeEvent() };
  api.accounts = { onCreated: new FakeEvent(), onUpdated: new FakeEvent(),
                   onDeleted: new FakeEvent() };
  return api;
}

function fakeConsole() {
  const lines = { info: [], warn: [] };
  return { lines, info: line => lines.info.push(line), warn: line => lines.warn.push(line) };
}

async function waitFor(condition, what, ms = 3000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

function start(t, api, { hostPath = HOST_PATH, ...options } = {}) {
  assert.ok(hostPath, 'RCPTGUARD_NATIVE_HOST names the native host');
  const session = makeSession();
  const console = fakeConsole();
  const ports = [];
  const app = startRecipientGuard(api, {
    connect: () => {
      const port = spawnPort(hostPath, [], session.env);
      ports.push(port);
      return port;
    },
    console,
    debounceMs: 50,
    ...options,
  });
  t.after(() => { app.stop(); session.cleanup(); });
  return { app, console, ports, session, decisions: () => existsSync(session.logPath)
    ? readFileSync(session.logPath, 'utf8').trim().split('\n').map(line => JSON.parse(line)) : [] };
}

// What the settings page does: asks what to show, and writes a change to storage.local, then
// asks for the configure that follows.
function optionsPage(api) {
  const send = message => api.runtime.onMessage.fire(message, { url: 'options/options.html' })
    .find(r => r !== undefined);
  return {
    load: () => send({ type: MESSAGE_OPTIONS_LOAD }),
    write: async values => {
      await api.storage.local.set(values);
      return send({ type: MESSAGE_OPTIONS_APPLY });
    },
  };
}

// What the dialog page does: asks for its model, and answers.
function page(api, window) {
  const dialog = new URL(window.url, 'moz-extension://x/').searchParams.get('dialog');
  const send = message =>
    api.runtime.onMessage.fire(message, { url: window.url }).find(r => r !== undefined);
  return {
    load: () => send({ type: MESSAGE_LOAD, dialog }),
    answer: (action, choices = []) => send({ type: MESSAGE_ANSWER, dialog, action, choices }),
  };
}

test('ready at start; a slip corrected in the dialog is sent corrected and recorded', async t => {
  const api = fakeMessenger();
  const { app, console, decisions } = start(t, api);
  await app.ready;
  assert.deepEqual(console.lines.info, ['rcptguard: ready, 2 known domains']);

  const [sending] = api.compose.onBeforeSend.fire({ id: 3 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  const window = api.windows.created[0];
  assert.equal(window.type, 'popup');
  assert.ok(window.url.startsWith(`${DIALOG_URL}?dialog=`), window.url);

  const model = await page(api, window).load();
  assert.equal(model.kind, 'confirm');
  assert.deepEqual(model.rows.map(r => [r.address, r.suggestion, r.blocked]),
                   [['ops@army.ml', 'ops@army.mil', false]]);
  assert.match(model.rows[0].description, /army\.mil/);
  await page(api, window).answer('corrected', ['fix']);

  assert.deepEqual(await sending, { details: { to: ['Ops <ops@army.mil>'], cc: [], bcc: [] } });
  assert.deepEqual(api.windows.removed, [window.id]);
  assert.deepEqual(decisions(), [], 'recorded only once sent');

  api.compose.onAfterSend.fire({ id: 3 }, { mode: 'sendNow', messages: [] });
  await app.guard.idle();
  assert.deepEqual(decisions().map(d => [d.decision, d.client, d.sender_domain]),
                   [['corrected', 'thunderbird', 'corp.example']]);
  assert.deepEqual(decisions()[0].recipients.map(r => [r.domain, r.outcome]),
                   [['army.ml', 'used-suggestion']]);
});

test('"Always allow army.ml": trusted once sent, and the next message is not asked', async t => {
  const api = fakeMessenger({ local: { 'trusted-domains': ['partner.example'] } });
  const { app, console, decisions } = start(t, api);
  await app.ready;
  const details = { ...DETAILS, cc: ['Jo <jo@army.mill>'] };

  const [sending] = api.compose.onBeforeSend.fire({ id: 3 }, details);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  const model = await page(api, api.windows.created[0]).load();
  assert.deepEqual(model.rows.map(r => [r.name, r.address, r.trustDomain]),
                   [['Ops', 'ops@army.ml', 'army.ml'], ['Jo', 'jo@army.mill', 'army.mill']]);
  await page(api, api.windows.created[0]).answer('corrected', ['trust', 'keep']);
  assert.deepEqual(await sending, { details: { to: details.to, cc: details.cc, bcc: [] } });
  assert.deepEqual(api.storage.stored['trusted-domains'], ['partner.example'],
                   'nothing trusted before the message left');

  api.compose.onAfterSend.fire({ id: 3 }, { mode: 'sendNow', messages: [] });
  await app.guard.idle();
  assert.deepEqual(decisions().map(d => d.recipients.map(r => [r.domain, r.outcome])),
                   [[['army.ml', 'trusted'], ['army.mill', 'kept']]]);
  assert.deepEqual(api.storage.stored['trusted-domains'], ['partner.example', 'army.ml']);
  assert.deepEqual((await optionsPage(api).load()).settings['trusted-domains'],
                   ['partner.example', 'army.ml'], 'the settings page shows it');
  const configures = console.lines.info.length;

  // The host was told at once: the next message to army.ml goes without a question.
  assert.deepEqual(await api.compose.onBeforeSend.fire({ id: 4 }, DETAILS)[0], {});
  assert.equal(api.windows.created.length, 1);

  // Trusting it again adds no second entry.
  const [again] = api.compose.onBeforeSend.fire({ id: 5 }, { ...DETAILS, to: ['ops@Army.ML'],
                                                             cc: ['jo@army.mill'] });
  await waitFor(() => api.windows.created.length === 2, 'the second dialog window');
  const second = await page(api, api.windows.created[1]).load();
  assert.deepEqual(second.rows.map(r => r.address), ['jo@army.mill']);
  await page(api, api.windows.created[1]).answer('corrected', ['trust']);
  await again;
  api.compose.onAfterSend.fire({ id: 5 }, { mode: 'sendNow', messages: [] });
  await app.guard.idle();
  assert.deepEqual(api.storage.stored['trusted-domains'],
                   ['partner.example', 'army.ml', 'army.mill']);
  assert.ok(console.lines.info.length > configures);
});

test('a trusted-domains the administrator locked is not written to', async t => {
  const api = fakeMessenger({ managed: { 'trusted-domains': [], 'trusted-domains:locked': true } });
  const { app } = start(t, api);
  await app.ready;
  const [sending] = api.compose.onBeforeSend.fire({ id: 3 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  const model = await page(api, api.windows.created[0]).load();
  assert.equal(model.rows[0].trustDomain, null);
  await page(api, api.windows.created[0]).answer('corrected', ['trust']);
  assert.deepEqual(await sending, { cancel: true }, 'an answer it did not offer is Edit');
  assert.equal(api.storage.stored['trusted-domains'], undefined);
});

test('the rows speak Thunderbird’s language, not the environment’s', async t => {
  // The fault-injection build of the host (no fault asked for) reads the build tree's
  // translations; the environment is C.UTF-8, English.
  assert.ok(process.env.RCPTGUARD_NATIVE_HOST_FAULT, 'RCPTGUARD_NATIVE_HOST_FAULT is set');
  const api = fakeMessenger();
  api.i18n = { getUILanguage: () => 'de' };
  const { app } = start(t, api, { hostPath: process.env.RCPTGUARD_NATIVE_HOST_FAULT });
  await app.ready;

  const [sending] = api.compose.onBeforeSend.fire({ id: 3 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  const model = await page(api, api.windows.created[0]).load();
  assert.equal(model.rows[0].label, 'Sieht nach einem Vertipper aus');
  assert.match(model.rows[0].description, /unterscheidet sich nur in einem Buchstaben/);
  await page(api, api.windows.created[0]).answer('edit');
  assert.deepEqual(await sending, { cancel: true });
});

test('a decision still recorded when the host that checked has gone', async t => {
  const api = fakeMessenger();
  const { app, ports, decisions } = start(t, api);
  await app.ready;

  const [sending] = api.compose.onBeforeSend.fire({ id: 3 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  await page(api, api.windows.created[0]).answer('corrected', ['fix']);
  await sending;
  // The host ends (a crash, Thunderbird restarting it) before the message has left: the new
  // one has no report of that check.
  ports[0].child.kill('SIGKILL');
  await waitFor(() => ports[0].child.exitCode !== null || ports[0].child.signalCode !== null,
                'the host to end');
  api.compose.onAfterSend.fire({ id: 3 }, { mode: 'sendNow', messages: [] });
  await app.guard.idle();
  assert.equal(ports.length, 2, 'a new host was started');
  assert.deepEqual(decisions().map(d => [d.decision, d.recipients?.[0]?.domain]),
                   [['corrected', 'army.ml']]);
});

test('closing the window is Edit Message', async t => {
  const api = fakeMessenger();
  const { app, decisions } = start(t, api);
  await app.ready;

  const [sending] = api.compose.onBeforeSend.fire({ id: 4 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  await page(api, api.windows.created[0]).load();
  api.windows.onRemoved.fire(api.windows.created[0].id);

  assert.deepEqual(await sending, { cancel: true });
  await app.guard.idle();
  assert.deepEqual(decisions().map(d => d.decision), ['edited']);
});

test('a window that never loads is a failed check, and nothing hangs', async t => {
  const api = fakeMessenger();
  const { app, decisions } = start(t, api, { dialogLoadTimeoutMs: 150 });
  await app.ready;

  const result = await api.compose.onBeforeSend.fire({ id: 5 }, DETAILS)[0];
  assert.deepEqual(result, { cancel: true }, 'on-error warn cannot ask: not sent');
  assert.equal(api.windows.created.length, 2, 'the dialog, then the failed-check dialog');
  assert.deepEqual(api.windows.removed, api.windows.created.map(w => w.id));
  await app.guard.idle();
  assert.deepEqual(decisions().map(d => [d.decision, d.error]),
                   [['check-failed',
                     'the confirmation could not be shown: the dialog window did not load']]);
});

test('settings and address-book changes configure again, once per burst', async t => {
  const api = fakeMessenger();
  const { app, console } = start(t, api);
  await app.ready;

  api.storage.set({ 'block-domains': ['ml'] });
  api.contacts.onCreated.fire({ id: 'c9' });
  api.identities.onUpdated.fire('id1', {});
  await waitFor(() => console.lines.info.length === 2, 'configure after the changes');
  await new Promise(resolve => setTimeout(resolve, 150));
  assert.equal(console.lines.info.length, 2, 'one configure for the burst');

  const [sending] = api.compose.onBeforeSend.fire({ id: 6 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the dialog window');
  const model = await page(api, api.windows.created[0]).load();
  assert.deepEqual(model.rows.map(r => r.blocked), [true]);
  await page(api, api.windows.created[0]).answer('anyway');
  assert.deepEqual(await sending, { cancel: true }, 'no Send Anyway for a blocked recipient');
});

test('a book created while running is a contact book, Collected Addresses stays collected',
     async t => {
       const books = [
         BOOKS[0],
         { id: 'history', name: 'Collected Addresses',
           contacts: [{ id: 'h1', PrimaryEmail: 'ops@army.ml' }] },
       ];
       const api = fakeMessenger({ books });
       const { app } = start(t, api);
       await app.ready;
       const sent = [];
       const configure = app.client.configure.bind(app.client);
       app.client.configure = request => {
         sent.push(request.known);
         return configure(request);
       };

       // Thunderbird lists the new book last, after Collected Addresses.
       books.push({ id: 'imported', name: 'Imported',
                    contacts: [{ id: 'i1', PrimaryEmail: 'x@partner.example' }] });
       api.addressBooks.onCreated.fire({ id: 'imported', type: 'addressBook', name: 'Imported' });
       await waitFor(() => sent.length === 1, 'configure after the new book');
       assert.deepEqual(sent[0], { 'army.mil': 2, 'army.ml': { count: 1, source: 'collected' },
                                   'corp.example': 1, 'partner.example': 1 });
     });

test('without the host, the administrator’s on-error still holds', async t => {
  const api = fakeMessenger({ managed: { 'on-error': 'block', 'on-error:locked': true },
                              local: { 'on-error': 'allow' } });
  const { app, console } = start(t, api, { hostPath: '/nonexistent/rcptguard-native-host' });
  await app.ready;
  assert.deepEqual(console.lines.info, []);
  assert.match(console.lines.warn.join('\n'),
               /could not be configured: the Recipient Guard native host is not installed/);
  assert.deepEqual(app.settings(),
                   { enabled: true, 'on-error': 'block', 'allow-block-override': false,
                     'server-guard': false,
                     locked: ['on-error'], scope: 'all' });

  const [sending] = api.compose.onBeforeSend.fire({ id: 7 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the refused dialog');
  const model = await page(api, api.windows.created[0]).load();
  assert.deepEqual(model, { kind: 'refused', cause: 'not-started',
                            error: 'the Recipient Guard native host is not installed' });
  await page(api, api.windows.created[0]).answer('anyway');
  assert.deepEqual(await sending, { cancel: true });
});

test('the settings page gets every key in effect and the administrator’s locks', async t => {
  const api = fakeMessenger({
    managed: { 'on-error': 'block', 'on-error:locked': true, 'warn-domains': ['ml'] },
    local: { 'on-error': 'allow', 'notice-new-domains': true },
  });
  const { app } = start(t, api);
  await app.ready;

  const state = await optionsPage(api).load();
  assert.deepEqual(Object.keys(state.settings).sort(), Object.keys(SCHEMA_DEFAULTS).sort());
  assert.equal(state.settings['on-error'], 'block', 'locked: the administrator’s value');
  assert.equal(state.settings['notice-new-domains'], true);
  assert.deepEqual(state.settings['warn-domains'], ['ml']);
  assert.deepEqual(state.locked, ['on-error']);
  assert.deepEqual(state.desktopLocked, [], 'GSETTINGS_BACKEND=memory: no dconf locks');
  assert.deepEqual(state.problems, []);
  assert.equal(state.hostError, null);
  assert.deepEqual(app.options(), state);
  assert.equal(applyEdit(state, 'on-error', 'warn'), null, 'the page never writes it');
});

test('a new entry the host refuses is taken out again, with the reason', async t => {
  const api = fakeMessenger({ local: { 'block-domains': ['tk'] } });
  const { app } = start(t, api);
  await app.ready;
  const page = optionsPage(api);

  const refused = await addListEntry(await page.load(), 'block-domains', 'A..B', page.write);
  assert.deepEqual(refused.error, { text: '“a..b” is not a domain such as example.com.' },
                   'the host’s sentence, the one Evolution’s page shows');
  assert.deepEqual(refused.state.settings['block-domains'], ['tk']);
  assert.deepEqual(refused.state.problems, [], 'the configure without it has no problem');
  assert.deepEqual(refused.state.refused, []);
  assert.deepEqual(api.storage.stored['block-domains'], ['tk']);
  assert.deepEqual(fieldAfterAdd(refused, 'A..B'), { value: 'A..B', selectAll: true },
                   'the refused text stays selected: typing replaces it');

  // Every list, whatever the page's own checks let through (issue 13: "not a domain!").
  for (const key of ['trusted-domains', 'known-domains', 'warn-domains', 'block-domains']) {
    const before = [...api.storage.stored[key] ?? []];
    const bang = await addListEntry(await page.load(), key, 'not-a-domain!', page.write);
    assert.deepEqual(bang.error,
                     { text: '“not-a-domain!” is not a domain such as example.com.' }, key);
    assert.deepEqual(api.storage.stored[key] ?? [], before, `${key}: not added`);
  }

  const suffix = await addListEntry(refused.state, 'known-domains', 'co.uk', page.write);
  assert.deepEqual(suffix.error, { text: '“co.uk” is an ending shared by many owners, not a '
                                         + 'domain: list it under warned or blocked domains '
                                         + 'instead.' });
  assert.deepEqual(api.storage.stored['known-domains'], []);
});

test('a blocked domain added on the settings page blocks at once', async t => {
  const api = fakeMessenger();
  const { app } = start(t, api);
  await app.ready;
  const page = optionsPage(api);

  const added = await addListEntry(await page.load(), 'block-domains', ' Example.ORG ',
                                   page.write);
  assert.equal(added.error, undefined);
  assert.equal(added.entry, 'example.org');
  assert.deepEqual(added.state.settings['block-domains'], ['example.org']);
  assert.deepEqual(api.storage.stored['block-domains'], ['example.org']);
  assert.equal((await app.client.check(['x@example.org'])).verdict, 'block');

  const duplicate = await addListEntry(added.state, 'block-domains', 'EXAMPLE.org', page.write);
  assert.deepEqual(duplicate.error, { name: 'errorDuplicate', substitutions: ['example.org'] });

  const removed = await removeListEntry(added.state, 'block-domains', 'example.org', page.write);
  assert.deepEqual(removed.settings['block-domains'], []);
  assert.equal((await app.client.check(['x@example.org'])).verdict, 'ok');

  const off = await page.write(applyEdit(removed, 'enabled', false));
  assert.equal(off.settings.enabled, false);
  assert.equal(app.settings().enabled, false, 'the guard follows');
});

test('a list the administrator locked cannot be added to', async t => {
  const api = fakeMessenger({ managed: { 'block-domains': ['ml'], 'block-domains:locked': true } });
  const { app } = start(t, api);
  await app.ready;
  const page = optionsPage(api);
  const state = await page.load();

  const result = await addListEntry(state, 'block-domains', 'tk', page.write);
  assert.deepEqual(result.error, { name: 'listLockedError', substitutions: [] });
  assert.equal(await removeListEntry(state, 'block-domains', 'ml', page.write), null);
  assert.deepEqual(api.storage.stored, {}, 'nothing written');
});

test('checking turned off: the real host still enforces a locked block list, and only it',
     async t => {
  const api = fakeMessenger({ managed: { 'block-domains': ['ml'], 'block-domains:locked': true },
                              local: { enabled: false } });
  const { app } = start(t, api);
  await app.ready;
  assert.equal(app.settings().enabled, false);
  assert.equal(app.settings().scope, 'blocks');
  assert.equal((await app.client.check(['ops@army.ml'])).verdict, 'block');
  assert.equal((await app.client.check(['x@gmial.com'])).verdict, 'ok', 'no slip is looked for');

  // The same list, the user's own: it goes with the switch.
  const own = fakeMessenger({ local: { enabled: false, 'block-domains': ['ml'] } });
  const second = start(t, own).app;
  await second.ready;
  assert.equal(second.settings().scope, 'off');
});

test('without the host the settings page says why, and shows the stored settings', async t => {
  const api = fakeMessenger({ managed: { 'on-error': 'block', 'on-error:locked': true },
                              local: { 'warn-domains': ['ml'], 'check-lookalikes': false } });
  const { app } = start(t, api, { hostPath: '/nonexistent/rcptguard-native-host' });
  await app.ready;
  const page = optionsPage(api);

  const state = await page.load();
  assert.deepEqual(state.hostError, { kind: 'not-installed',
                                      message: 'the Recipient Guard native host is not installed' });
  assert.equal(state.settings['on-error'], 'block');
  assert.deepEqual(state.settings['warn-domains'], ['ml']);
  assert.equal(state.settings['check-lookalikes'], false);
  assert.equal(state.settings['log-local-parts'], 'hmac');
  assert.deepEqual(state.locked, ['on-error']);

  // Nothing can check the entry: it stays.
  const added = await addListEntry(state, 'warn-domains', 'a..b', page.write);
  assert.equal(added.entry, 'a..b');
  assert.deepEqual(api.storage.stored['warn-domains'], ['ml', 'a..b']);
});

test('a key the desktop locked is marked as such on the settings page', async t => {
  const api = fakeMessenger();
  // A host on a desktop whose dconf locks allow-block-override.
  const connect = () => {
    const listeners = [];
    return {
      postMessage(message) {
        const answer = message.type === 'configure'
          ? { id: message.id, ok: true,
              settings: { ...SCHEMA_DEFAULTS, 'allow-block-override': true },
              desktop_locked: ['allow-block-override'], problems: [] }
          : { id: message.id, ok: false, error: { kind: 'internal', message: 'not here' } };
        setTimeout(() => listeners.forEach(fn => fn(answer)), 0);
      },
      onMessage: { addListener: fn => listeners.push(fn) },
      onDisconnect: { addListener: () => {} },
      disconnect: () => {},
    };
  };
  const app = startRecipientGuard(api, { connect, console: fakeConsole(), debounceMs: 50 });
  t.after(() => app.stop());
  await app.ready;

  const state = await optionsPage(api).load();
  assert.deepEqual(state.desktopLocked, ['allow-block-override']);
  assert.equal(state.settings['allow-block-override'], true, 'the desktop’s value');
  assert.equal(applyEdit(state, 'allow-block-override', false), null);
  assert.deepEqual(applyEdit(state, 'enabled', false), { enabled: false });
});
