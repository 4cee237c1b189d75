// SPDX-License-Identifier: LGPL-2.1-or-later
// The host client against the real rcptguard-native-host (RCPTGUARD_NATIVE_HOST, set by
// meson), against programs that never answer or do not exist, and against a fake port for
// what the real host never does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { FakeEvent } from './fake-events.js';
import { HOST_PATH, makeSession, spawnPort } from './native-port.js';
import { HostClient, HostError, NOT_INSTALLED_MESSAGE }
  from '../../../plugin/thunderbird/extension/lib/host.js';

const CONFIG = {
  settings: { 'on-error': 'warn' },
  locked: [],
  known: { 'army.mil': 214, 'corp.example': 12 },
  identities: ['me@corp.example'],
};

function realHost(t) {
  assert.ok(HOST_PATH, 'RCPTGUARD_NATIVE_HOST names the native host');
  const session = makeSession();
  const ports = [];
  const client = new HostClient({
    connect: () => {
      const port = spawnPort(HOST_PATH, [], session.env);
      ports.push(port);
      return port;
    },
    log: () => {},
  });
  t.after(() => {
    client.close();
    session.cleanup();
  });
  return { client, ports, session };
}

test('configure, then a slip is a warning with its suggestion', async t => {
  const { client, session } = realHost(t);

  const configured = await client.configure(CONFIG);
  assert.equal(configured.ok, true);
  assert.equal(configured.settings?.['on-error'], 'warn');
  assert.deepEqual(configured.problems, []);

  const answer = await client.check(['Ops <ops@army.ml>', 'hr@corp.example']);
  assert.equal(answer.verdict, 'warn');
  assert.equal(answer.findings.length, 2);
  assert.equal(answer.findings[0].address, 'ops@army.ml');
  assert.equal(answer.findings[0].verdict, 'warn');
  assert.equal(answer.findings[0].suggestion, 'ops@army.mil');
  assert.equal(answer.findings[1].verdict, 'ok');

  assert.deepEqual(await client.record('edited', { check: answer.id, sender: 'me@corp.example' }),
                   { id: answer.id + 1, ok: true });
  const logged = readFileSync(session.logPath, 'utf8').trim().split('\n')
    .map(line => JSON.parse(line));
  assert.equal(logged.length, 1);
  assert.equal(logged[0].decision, 'edited');
  assert.equal(logged[0].client, 'thunderbird');
});

test('an error answer rejects with the host’s kind and message', async t => {
  const { client } = realHost(t);
  await assert.rejects(client.record('corrected', { check: 999 }),
                       error => error instanceof HostError && error.kind === 'protocol'
                                && /no check 999/.test(error.message));
  // The host goes on after an error.
  assert.equal((await client.check(['a@gmail.com'])).verdict, 'ok');
});

test('a host that never answers fails the request within its timeout', async () => {
  const ports = [];
  const client = new HostClient({
    connect: () => {
      const port = spawnPort('sleep', ['60']);
      ports.push(port);
      return port;
    },
    timeouts: { check: 300 },
  });
  const start = Date.now();
  await assert.rejects(client.check(['a@b.example']),
                       error => error.kind === 'timeout'
                                && /did not answer in time/.test(error.message));
  const elapsed = Date.now() - start;
  assert.ok(elapsed >= 290 && elapsed < 2000, `failed after ${elapsed} ms`);
  // The stuck program was ended, not left behind.
  const child = ports[0].child;
  await new Promise(resolve => child.exitCode !== null || child.signalCode !== null
    ? resolve() : child.once('exit', resolve));
  assert.equal(child.signalCode, 'SIGKILL');
  assert.equal(client.connected, false);
});

test('a host killed mid-session fails what is pending; the next request reconnects, '
     + 'configuring first', async t => {
  const { client, ports } = realHost(t);
  await client.configure(CONFIG);

  // Stopped, the host cannot answer before it is killed.
  ports[0].child.kill('SIGSTOP');
  const pending = client.check(['Ops <ops@army.ml>']);
  ports[0].child.kill('SIGKILL');
  await assert.rejects(pending, error => error.kind === 'disconnected'
                                         && /native host stopped/.test(error.message));

  const answer = await client.check(['Ops <ops@army.ml>']);
  assert.equal(ports.length, 2, 'a new host was started');
  assert.deepEqual(ports[1].sent.map(m => m.type), ['configure', 'check']);
  assert.deepEqual(ports[1].sent[0].known, CONFIG.known);
  // Only what configure told the new host makes army.mil the suggestion.
  assert.equal(answer.findings[0].suggestion, 'ops@army.mil');
});

test('a host that is not installed says so', async () => {
  const client = new HostClient({ connect: () => spawnPort('/nonexistent/rcptguard-native-host') });
  const notInstalled = error => error.kind === 'not-installed'
                                && error.message === NOT_INSTALLED_MESSAGE;
  await assert.rejects(client.check(['a@b.example']), notInstalled);

  const throwing = new HostClient({
    connect: () => { throw new Error('No such native application org.rcptguard.host'); },
  });
  await assert.rejects(throwing.configure(CONFIG), notInstalled);
});

// A port that answers as a test tells it to.
function fakePort() {
  const port = {
    sent: [], onMessage: new FakeEvent(), onDisconnect: new FakeEvent(), disconnected: false,
    postMessage: message => port.sent.push(message),
    disconnect: () => { port.disconnected = true; },
    answer: message => port.onMessage.fire(message),
  };
  return port;
}

test('an answer with "id": null fails the oldest request; a late answer is ignored', async () => {
  const port = fakePort();
  const logs = [];
  const client = new HostClient({ connect: () => port, log: message => logs.push(message) });

  const first = client.check(['a']);
  const second = client.check(['b']);
  port.answer({ id: null, ok: false,
                error: { kind: 'protocol', message: 'the request has no integer “id”' } });
  await assert.rejects(first, error => error.kind === 'protocol');
  port.answer({ id: 99, ok: true });
  assert.match(logs.join(), /no pending request/);
  port.answer({ id: port.sent[1].id, ok: true, verdict: 'ok', findings: [] });
  assert.equal((await second).verdict, 'ok');
  client.close();
  assert.equal(port.disconnected, true);
});

test('a record the log has not written in time fails alone: the host is kept', async () => {
  const port = fakePort();
  const client = new HostClient({ connect: () => port, timeouts: { record: 100 } });
  const record = client.record('edited', { check: 1 });
  const check = client.check(['a']);
  // An answer the host could not read ("id": null) belongs to the check, not to the record
  // still waiting for the disk.
  port.answer({ id: null, ok: false, error: { kind: 'protocol', message: 'not JSON' } });
  await assert.rejects(check, error => error.kind === 'protocol');
  await assert.rejects(record, error => error.kind === 'timeout'
                                        && /did not answer in time \(record/.test(error.message));
  assert.equal(port.disconnected, false);
  assert.equal(client.connected, true);
  const next = client.check(['b']);
  port.answer({ id: port.sent.at(-1).id, ok: true, verdict: 'ok', findings: [] });
  assert.equal((await next).verdict, 'ok');
  client.close();
});

test('a disconnect without an error still fails what is pending', async () => {
  const port = fakePort();
  const client = new HostClient({ connect: () => port });
  const first = client.check(['a']);
  port.answer({ id: port.sent[0].id, ok: true, verdict: 'ok', findings: [] });
  await first;
  const pending = client.check(['b']);
  port.error = null;
  port.onDisconnect.fire(port);
  await assert.rejects(pending, error => error.kind === 'disconnected' && error.message
                                         === 'the Recipient Guard native host stopped');
  assert.equal(client.connected, false);
});

test('a host that goes away before its first answer never started', async () => {
  // A manifest that names a program that is not there: Thunderbird connects, then the port
  // disconnects with an error that is not "No such native application".
  const port = fakePort();
  const client = new HostClient({ connect: () => port });
  const pending = client.check(['a']);
  port.error = { message: 'An unexpected error occurred' };
  port.onDisconnect.fire(port);
  await assert.rejects(pending, error => error.kind === 'not-started' && error.message
    === 'the Recipient Guard native host exited before it answered: An unexpected error occurred');

  // A program that exits at once, before reading anything.
  const exiting = new HostClient({ connect: () => spawnPort('false') });
  await assert.rejects(exiting.check(['a@b.example']), error => error.kind === 'not-started');
});

test('record sends the outcome of each flagged recipient', async t => {
  const { client, session } = realHost(t);
  await client.configure(CONFIG);
  const answer = await client.check(['Ops <ops@army.ml>', 'hr@corp.exmaple', 'a@gmail.com']);
  assert.deepEqual(answer.findings.map(f => f.verdict), ['warn', 'warn', 'ok']);

  await client.record('corrected', { check: answer.id, outcomes: ['used-suggestion', 'kept'] });
  const [logged] = readFileSync(session.logPath, 'utf8').trim().split('\n')
    .map(line => JSON.parse(line));
  assert.deepEqual(logged.recipients.map(r => [r.domain, r.outcome]),
                   [['army.ml', 'used-suggestion'], ['corp.exmaple', 'kept']]);
  // One outcome per flagged recipient, or the host refuses the record.
  await assert.rejects(client.record('corrected', { check: answer.id, outcomes: ['kept'] }),
                       error => error.kind === 'protocol');
});
