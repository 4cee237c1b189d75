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
  DIALOG_URL, MESSAGE_ANSWER, MESSAGE_LOAD, startRecipientGuard,
} from '../../../plugin/thunderbird/extension/lib/app.js';

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
    local: { get: async () => ({ ...stored }) },
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
                     'the confirmation could not be shown (the dialog window did not load)']]);
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

test('without the host, the administrator’s on-error still holds', async t => {
  const api = fakeMessenger({ managed: { 'on-error': 'block', 'on-error:locked': true },
                              local: { 'on-error': 'allow' } });
  const { app, console } = start(t, api, { hostPath: '/nonexistent/rcptguard-native-host' });
  await app.ready;
  assert.deepEqual(console.lines.info, []);
  assert.match(console.lines.warn.join('\n'),
               /could not be configured: the Recipient Guard native host is not installed/);
  assert.deepEqual(app.settings(),
                   { enabled: true, 'on-error': 'block', 'allow-block-override': false });

  const [sending] = api.compose.onBeforeSend.fire({ id: 7 }, DETAILS);
  await waitFor(() => api.windows.created.length === 1, 'the refused dialog');
  const model = await page(api, api.windows.created[0]).load();
  assert.deepEqual(model,
                   { kind: 'refused', error: 'the Recipient Guard native host is not installed' });
  await page(api, api.windows.created[0]).answer('anyway');
  assert.deepEqual(await sending, { cancel: true });
});
