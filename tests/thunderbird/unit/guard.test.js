// SPDX-License-Identifier: LGPL-2.1-or-later
// The decision at Send, with the host and the dialog replaced by fakes: every path of
// plugin/evolution/rg-composer-extension.c's on_presend, as the add-on takes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { Guard } from '../../../plugin/thunderbird/extension/lib/guard.js';
import { HostError } from '../../../plugin/thunderbird/extension/lib/host.js';
import { addressOf, flattenRecipients }
  from '../../../plugin/thunderbird/extension/lib/recipients.js';

const TAB = { id: 7 };
const DETAILS = {
  from: 'Me <me@corp.example>',
  to: ['Ops <ops@army.ml>', 'hr@example.com'],
  cc: ['x@evil.tk'],
  bcc: [],
};

// A host that flags what it is told to, one finding per recipient (each has one address).
function fakeCheck(flagged, checkId = 42) {
  return async lists => ({
    id: checkId, ok: true,
    verdict: lists.some(text => flagged[addressOf(text)]?.verdict === 'block') ? 'block'
      : lists.some(text => flagged[addressOf(text)]) ? 'warn' : 'ok',
    findings: lists.map((text, list) => {
      const hit = flagged[addressOf(text)];
      return { list, input: text, address: addressOf(text),
               domain: addressOf(text).split('@')[1], verdict: hit?.verdict ?? 'ok',
               suggestion: hit?.suggestion ?? null,
               label: hit ? 'Looks like a slip' : 'No problem found',
               description: 'why' };
    }),
  });
}

const SLIP = { 'ops@army.ml': { verdict: 'warn', suggestion: 'ops@army.mil' } };
const SLIP_AND_BLOCK = { ...SLIP, 'x@evil.tk': { verdict: 'block', suggestion: null } };

function harness({ settings = {}, check = fakeCheck(SLIP), answers = [], dialogFails = 0 } = {}) {
  const h = { dialogs: [], records: [], recordedLists: [], trusted: [], checks: 0, logs: [] };
  let failures = dialogFails;
  h.guard = new Guard({
    settings: () => ({ enabled: true, 'on-error': 'warn', 'allow-block-override': false,
                       scope: 'all', ...settings }),
    flatten: details => flattenRecipients(details, {}),
    check: async lists => { h.checks++; return check(lists); },
    openDialog: async model => {
      h.dialogs.push(model);
      if (failures > 0) {
        failures--;
        throw new Error('no window');
      }
      return answers.shift() ?? { action: 'edit' };
    },
    // What was checked goes with each record (for a host that lost the check), apart.
    record: async (decision, { lists, ...details }) => {
      h.records.push({ decision, ...details });
      h.recordedLists.push(lists);
    },
    trust: async domains => { h.trusted.push(domains); },
    log: message => h.logs.push(message),
  });
  h.send = async (details = DETAILS, tab = TAB) => {
    const result = await h.guard.beforeSend(tab, details);
    await h.guard.idle();
    return result;
  };
  h.sent = async (sendInfo = { mode: 'sendNow' }, tab = TAB) => {
    h.guard.afterSend(tab, sendInfo);
    await h.guard.idle();
  };
  return h;
}

test('nothing flagged: sent as it is, no dialog, no record', async () => {
  const h = harness({ check: fakeCheck({ 'hr@example.com': { verdict: 'notice' } }) });
  assert.deepEqual(await h.send(), {});
  assert.equal(h.checks, 1);
  assert.deepEqual(h.dialogs, []);
  await h.sent();
  assert.deepEqual(h.records, []);
});

test('checking turned off: sent without a check', async () => {
  const h = harness({ settings: { enabled: false, scope: 'off' } });
  assert.deepEqual(await h.send(), {});
  assert.equal(h.checks, 0);
  assert.deepEqual(h.dialogs, []);
});

test('checking turned off under a locked block list: still checked, blocks still refused',
     async () => {
  const h = harness({ settings: { enabled: false, scope: 'blocks' },
                      check: fakeCheck({ 'x@evil.tk': { verdict: 'block', suggestion: null } }),
                      answers: [{ action: 'edit' }] });
  assert.deepEqual(await h.send({ ...DETAILS, to: [], cc: ['x@evil.tk'] }), { cancel: true });
  assert.equal(h.checks, 1);
  assert.deepEqual(h.dialogs.map(d => d.kind), ['confirm']);
  assert.equal(h.records[0].decision, 'blocked');
});

test('a slip and Edit Message: not sent, recorded as edited', async () => {
  const h = harness({ answers: [{ action: 'edit' }] });
  assert.deepEqual(await h.send(), { cancel: true });
  assert.equal(h.dialogs.length, 1);
  assert.equal(h.dialogs[0].kind, 'confirm');
  assert.deepEqual(h.dialogs[0].rows.map(r => [r.field, r.address, r.suggestion]),
                   [['to', 'ops@army.ml', 'ops@army.mil']]);
  assert.deepEqual(h.records, [{ decision: 'edited', check: 42, sender: 'me@corp.example' }]);
});

test('a slip and Send Corrected: the fixed recipients, recorded once sent', async () => {
  const h = harness({ answers: [{ action: 'corrected', choices: ['fix'] }] });
  const result = await h.send();
  assert.deepEqual(result, { details: { to: ['Ops <ops@army.mil>', 'hr@example.com'],
                                        cc: ['x@evil.tk'], bcc: [] } });
  assert.equal(result.details.cc[0], DETAILS.cc[0]);
  assert.deepEqual(h.records, [], 'nothing is recorded before the message left');

  await h.sent({ mode: 'sendNow' }, { id: 8 }); // another composer
  assert.deepEqual(h.records, []);
  await h.sent({ mode: 'sendNow', error: 'SMTP server refused' });
  assert.deepEqual(h.records, [], 'a failed send is not recorded');
  assert.equal(h.guard.pendingCount, 0);
});

test('Send Corrected recorded as corrected after compose.onAfterSend', async () => {
  const h = harness({ answers: [{ action: 'corrected', choices: ['fix'] }] });
  await h.send();
  await h.sent({ mode: 'sendLater' });
  assert.deepEqual(h.records, [{ decision: 'corrected', check: 42, sender: 'me@corp.example',
                                 outcomes: ['used-suggestion'] }]);
  assert.deepEqual(h.recordedLists, [['Ops <ops@army.ml>', 'hr@example.com', 'x@evil.tk']],
                   'the record carries what was checked');
  await h.sent();
  assert.equal(h.records.length, 1, 'recorded once');
});

test('a slip and Send Anyway: sent unchanged, recorded as sent-anyway once sent', async () => {
  const h = harness({ answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), {});
  await h.sent();
  assert.deepEqual(h.records, [{ decision: 'sent-anyway', check: 42, sender: 'me@corp.example' }]);
});

test('a new Send forgets the confirmation of one that did not leave', async () => {
  const h = harness({ answers: [{ action: 'anyway' }, { action: 'edit' }] });
  await h.send();
  await h.send();
  await h.sent();
  assert.deepEqual(h.records.map(r => r.decision), ['edited']);
});

const TWO_SLIPS = { ...SLIP, 'hr@example.com': { verdict: 'warn', suggestion: 'hr@example.org' } };

test('each row’s outcome is recorded: used, kept, trusted', async () => {
  const h = harness({ check: fakeCheck(TWO_SLIPS),
                      answers: [{ action: 'corrected', choices: ['trust', 'keep'] }] });
  // Trusting and keeping change no address: the message goes as it is.
  assert.deepEqual(await h.send(), { details: { to: DETAILS.to, cc: DETAILS.cc, bcc: [] } });
  assert.deepEqual(h.dialogs[0].rows.map(r => r.trustDomain), ['army.ml', 'example.com']);
  assert.deepEqual(h.trusted, [], 'nothing is trusted before the message left');
  await h.sent();
  assert.deepEqual(h.records, [{ decision: 'corrected', check: 42, sender: 'me@corp.example',
                                 outcomes: ['trusted', 'kept'] }]);
  assert.deepEqual(h.trusted, [['army.ml']]);
});

test('"Always allow" of a send that failed, or was not confirmed, trusts nothing', async () => {
  const h = harness({ answers: [{ action: 'corrected', choices: ['trust'] },
                                { action: 'edit' }] });
  await h.send();
  await h.sent({ mode: 'sendNow', error: 'SMTP server refused' });
  await h.send();
  await h.sent();
  assert.deepEqual(h.trusted, []);
  assert.deepEqual(h.records.map(r => r.decision), ['edited']);
});

test('a trusted-domains the administrator locked offers no "Always allow"', async () => {
  const h = harness({ settings: { locked: ['trusted-domains'] },
                      answers: [{ action: 'corrected', choices: ['trust'] }] });
  assert.deepEqual(await h.send(), { cancel: true }, '"trust" was not offered: back');
  assert.equal(h.dialogs[0].rows[0].trustDomain, null);
  assert.deepEqual(h.trusted, []);
});

test('a block is the user’s own unless block-domains is locked', async () => {
  const own = harness({ check: fakeCheck(SLIP_AND_BLOCK) });
  await own.send();
  assert.equal(own.dialogs[0].blockLocked, false);
  const admin = harness({ check: fakeCheck(SLIP_AND_BLOCK),
                          settings: { locked: ['block-domains'] } });
  await admin.send();
  assert.equal(admin.dialogs[0].blockLocked, true);
});

test('removing the only recipient is no answer: back to the message, nothing sent', async () => {
  const h = harness({ check: fakeCheck(SLIP_AND_BLOCK),
                      answers: [{ action: 'corrected', choices: ['remove'] }] });
  const details = { from: 'Me <me@corp.example>', to: ['x@evil.tk'], cc: [], bcc: [] };
  assert.deepEqual(await h.send(details), { cancel: true });
  assert.equal(h.dialogs[0].total, 1);
  assert.deepEqual(h.records.map(r => r.decision), ['blocked']);
  await h.sent();
  assert.equal(h.records.length, 1);
});

test('a blocked recipient: no Send Anyway; going back records blocked', async () => {
  const h = harness({ check: fakeCheck(SLIP_AND_BLOCK), answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), { cancel: true }, 'Send Anyway was not offered');
  assert.equal(h.dialogs[0].allowOverride, false);
  assert.deepEqual(h.dialogs[0].rows.map(r => r.blocked), [false, true]);
  assert.deepEqual(h.records, [{ decision: 'blocked', check: 42, sender: 'me@corp.example' }]);
});

test('a blocked recipient removed with Send Corrected', async () => {
  const h = harness({ check: fakeCheck(SLIP_AND_BLOCK),
                      answers: [{ action: 'corrected', choices: ['keep', 'remove'] }] });
  assert.deepEqual(await h.send(), { details: { to: DETAILS.to, cc: [], bcc: [] } });
});

test('a blocked recipient kept is no answer: back to the message', async () => {
  const h = harness({ check: fakeCheck(SLIP_AND_BLOCK),
                      answers: [{ action: 'corrected', choices: ['fix', 'keep'] }] });
  assert.deepEqual(await h.send(), { cancel: true });
  assert.deepEqual(h.records.map(r => r.decision), ['blocked']);
});

test('allow-block-override lets a blocked recipient be sent anyway', async () => {
  const h = harness({ settings: { 'allow-block-override': true }, check: fakeCheck(SLIP_AND_BLOCK),
                      answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), {});
  await h.sent();
  assert.deepEqual(h.records.map(r => r.decision), ['sent-anyway']);
});

const TIMEOUT = async () => { throw new HostError('timeout', 'the core did not answer in time'); };

test('a failed check with on-error allow: sent, and recorded as check-failed', async () => {
  const h = harness({ settings: { 'on-error': 'allow' }, check: TIMEOUT });
  assert.deepEqual(await h.send(), {});
  assert.deepEqual(h.dialogs, []);
  assert.deepEqual(h.records, [{ decision: 'check-failed', sender: 'me@corp.example',
                                 error: 'the core did not answer in time' }]);
});

test('a failed check with on-error warn asks; Send Anyway sends, Edit does not', async () => {
  const h = harness({ check: TIMEOUT, answers: [{ action: 'anyway' }, { action: 'edit' }] });
  assert.deepEqual(await h.send(), {});
  assert.deepEqual(h.dialogs[0], { kind: 'failed', cause: 'stopped',
                                   error: 'the core did not answer in time' });
  assert.deepEqual(await h.send(), { cancel: true });
  assert.deepEqual(h.records.map(r => r.decision), ['check-failed', 'check-failed']);
  await h.sent();
  assert.equal(h.records.length, 2, 'nothing pending after a failed check');
});

test('a failed check with on-error block refuses, whatever the answer', async () => {
  const h = harness({ settings: { 'on-error': 'block' }, check: TIMEOUT,
                      answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), { cancel: true });
  assert.equal(h.dialogs[0].kind, 'refused');
  assert.deepEqual(h.records.map(r => r.decision), ['check-failed']);
});

test('a host that is not installed: the policy decides, nothing to record with', async () => {
  const notInstalled = async () => {
    throw new HostError('not-installed', 'the Recipient Guard native host is not installed');
  };
  const h = harness({ check: notInstalled, answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), {});
  assert.equal(h.dialogs[0].error, 'the Recipient Guard native host is not installed');
  assert.deepEqual(h.records, []);
});

test('a malformed answer of the host is a failed check', async () => {
  const malformed = async () => ({ id: 1,
                                   findings: [{ list: 5, address: 'a@b', verdict: 'warn' }] });
  const h = harness({ check: malformed,
                      answers: [{ action: 'edit' }] });
  assert.deepEqual(await h.send(), { cancel: true });
  assert.equal(h.dialogs[0].kind, 'failed');
  assert.match(h.records[0].error, /malformed finding/);
});

for (const [onError, expected, dialogs] of [['allow', {}, 1], ['warn', { cancel: true }, 2],
                                             ['block', { cancel: true }, 2]]) {
  test(`a dialog that cannot be shown is a failed check (on-error ${onError})`, async () => {
    const h = harness({ settings: { 'on-error': onError }, dialogFails: 2 });
    assert.deepEqual(await h.send(), expected);
    assert.equal(h.dialogs.length, dialogs);
    assert.deepEqual(h.records.map(r => r.decision), ['check-failed']);
    assert.match(h.records[0].error, /confirmation could not be shown: no window/);
  });
}

test('a dialog that fails, then the failed-check dialog answering Send Anyway', async () => {
  const h = harness({ dialogFails: 1, answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), {});
  assert.deepEqual(h.dialogs.map(d => d.kind), ['confirm', 'failed']);
});

test('a record that fails only reaches the log', async () => {
  const h = harness({ answers: [{ action: 'edit' }] });
  const guard = new Guard({
    settings: () => ({ enabled: true, 'on-error': 'warn', scope: 'all' }),
    flatten: details => flattenRecipients(details, {}),
    check: fakeCheck(SLIP),
    openDialog: async () => ({ action: 'edit' }),
    record: async () => { throw new Error('the host has no check 42'); },
    log: message => h.logs.push(message),
  });
  assert.deepEqual(await guard.beforeSend(TAB, DETAILS), { cancel: true });
  await guard.idle();
  assert.match(h.logs.join('\n'), /“edited” was not recorded: the host has no check 42/);
});

test('no recipients: nothing to check', async () => {
  const h = harness();
  assert.deepEqual(await h.send({ from: 'me@corp.example', to: [], cc: [], bcc: [] }), {});
  assert.equal(h.checks, 0);
});

// server-guard: the header that tells the organisation's rcptguard-milter which recipients
// the user confirmed (lib/confirmed-header.js, as common/glib/rg-confirmed-header.c).
const HEADER = 'X-Recipient-Guard-Confirmed';
const SERVER_GUARD = { 'server-guard': true };
// Four flagged recipients, one per choice of a row (only a blocked one offers "Remove").
const FOUR = {
  from: 'Me <me@corp.example>',
  to: ['Ops <ops@army.ml>', 'someone@gmial.com'],
  cc: ['jo@army.mill'],
  bcc: ['al@gmial.com'],
  customHeaders: [{ name: 'X-Mailer-Campaign', value: 'spring' }],
};
const FOUR_FLAGGED = {
  'ops@army.ml': { verdict: 'warn', suggestion: 'ops@army.mil' },
  'someone@gmial.com': { verdict: 'warn', suggestion: 'someone@gmail.com' },
  'jo@army.mill': { verdict: 'block', suggestion: 'jo@army.mil' },
  'al@gmial.com': { verdict: 'warn', suggestion: 'al@gmail.com' },
};

test('server-guard and Send Anyway: the header names every flagged recipient', async () => {
  const h = harness({ settings: { ...SERVER_GUARD, 'allow-block-override': true },
                      check: fakeCheck(SLIP_AND_BLOCK), answers: [{ action: 'anyway' }] });
  assert.deepEqual(await h.send(), {
    details: { customHeaders: [{ name: HEADER, value: 'ops@army.ml, x@evil.tk' }] },
  });
  await h.sent();
  assert.equal(h.records[0].decision, 'sent-anyway');
});

test('server-guard and Send Corrected: only the kept and trusted recipients are named, the '
     + 'message’s other headers kept', async () => {
  const h = harness({ settings: SERVER_GUARD, check: fakeCheck(FOUR_FLAGGED),
                      answers: [{ action: 'corrected', choices: ['keep', 'fix', 'remove',
                                                                 'trust'] }] });
  const result = await h.send(FOUR);
  assert.deepEqual(result, {
    details: {
      to: ['Ops <ops@army.ml>', 'someone@gmail.com'], cc: [], bcc: ['al@gmial.com'],
      customHeaders: [{ name: 'X-Mailer-Campaign', value: 'spring' },
                      { name: HEADER, value: 'ops@army.ml, al@gmial.com' }],
    },
  });
});

test('server-guard, every row corrected or removed: no header', async () => {
  const h = harness({ settings: SERVER_GUARD, check: fakeCheck(FOUR_FLAGGED),
                      answers: [{ action: 'corrected', choices: ['fix', 'fix', 'remove',
                                                                 'fix'] }] });
  const result = await h.send(FOUR);
  assert.equal(result.details.customHeaders, undefined, 'nothing to change in the headers');
});

test('server-guard off (the default): Send Anyway and Send Corrected add nothing', async () => {
  const anyway = harness({ answers: [{ action: 'anyway' }] });
  assert.deepEqual(await anyway.send(), {});
  const corrected = harness({ check: fakeCheck(FOUR_FLAGGED),
                              answers: [{ action: 'corrected',
                                          choices: ['keep', 'fix', 'remove', 'trust'] }] });
  assert.equal((await corrected.send(FOUR)).details.customHeaders, undefined);
  const explicit = harness({ settings: { 'server-guard': false },
                             answers: [{ action: 'anyway' }] });
  assert.deepEqual(await explicit.send(), {});
});

test('server-guard without a dialog: no header, and one of an earlier Send is taken out',
     async () => {
  const clean = harness({ settings: SERVER_GUARD,
                          check: fakeCheck({ 'hr@example.com': { verdict: 'notice' } }) });
  assert.deepEqual(await clean.send(), {});

  // The compose window keeps what an earlier onBeforeSend set, also when that Send did not
  // leave: this Send asked nothing, so the header goes, and the other headers stay.
  const stale = { ...DETAILS, customHeaders: [{ name: HEADER, value: 'ops@army.ml' },
                                              { name: 'X-Other', value: 'kept' }] };
  assert.deepEqual(await clean.send(stale),
                   { details: { customHeaders: [{ name: 'X-Other', value: 'kept' }] } });
  // Also with the setting off, and with checking turned off.
  const off = harness({ settings: { enabled: false, scope: 'off' } });
  assert.deepEqual(await off.send(stale),
                   { details: { customHeaders: [{ name: 'X-Other', value: 'kept' }] } });
});

test('server-guard, a stale header and a new confirmation: one header, the new one',
     async () => {
  const h = harness({ settings: SERVER_GUARD, answers: [{ action: 'anyway' }] });
  const stale = { ...DETAILS, to: ['Ops <ops@army.ml>'], cc: [],
                  customHeaders: [{ name: 'x-recipient-guard-confirmed', value: 'x@evil.tk' }] };
  assert.deepEqual(await h.send(stale),
                   { details: { customHeaders: [{ name: HEADER, value: 'ops@army.ml' }] } });
});

test('server-guard and Edit Message, or a failed check sent anyway: no header', async () => {
  const edit = harness({ settings: SERVER_GUARD, answers: [{ action: 'edit' }] });
  assert.deepEqual(await edit.send(), { cancel: true });
  const failed = harness({ settings: SERVER_GUARD,
                           check: async () => { throw new Error('no host'); },
                           answers: [{ action: 'anyway' }] });
  assert.deepEqual(await failed.send(), {});
});

test('server-guard: an address flagged twice is named once', async () => {
  const twice = { ...DETAILS, to: ['Ops <ops@army.ml>'], cc: ['OPS@army.ml'] };
  const flagged = { 'ops@army.ml': SLIP['ops@army.ml'], 'OPS@army.ml': SLIP['ops@army.ml'] };
  const g = harness({ settings: SERVER_GUARD, check: fakeCheck(flagged),
                      answers: [{ action: 'anyway' }] });
  assert.deepEqual(await g.send(twice),
                   { details: { customHeaders: [{ name: HEADER, value: 'ops@army.ml' }] } });
});
