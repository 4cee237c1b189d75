// SPDX-License-Identifier: LGPL-2.1-or-later
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { fakeAddressApi } from './fake-messenger.js';
import {
  addressOf, applyChoices, displayNameOf, flattenRecipients, formatMailbox, replaceAddress,
  splitMailboxes,
} from '../../../plugin/thunderbird/extension/lib/recipients.js';

const BOOKS = [{
  id: 'book', name: 'Personal',
  contacts: [
    { id: 'c1', DisplayName: 'Doe, Jane', PrimaryEmail: 'jane@army.ml' },
    { id: 'c2', DisplayName: 'Bob', PrimaryEmail: 'bob@corp.example' },
    { id: 'c3', DisplayName: 'Eve', PrimaryEmail: 'eve@gmial.com' },
    { id: 'c4', DisplayName: 'Nobody' },
  ],
  lists: [{ id: 'l1', name: 'Team', members: ['c2', 'c3', 'c4'] }],
}];

// What the host would answer for @items: one finding per address; those given are flagged.
function findings(items, flagged) {
  return items.map((item, list) => {
    const address = addressOf(item.text);
    const hit = flagged[address];
    return { list, input: item.text, address, verdict: hit ? hit.verdict ?? 'warn' : 'ok',
             suggestion: hit ? hit.suggestion ?? null : null, label: '', description: '' };
  });
}

test('mailbox strings are split and rewritten with their names kept', () => {
  assert.deepEqual(splitMailboxes('"Doe, J" <a@b>, c@d (Mr, C), <e@f>'),
                   ['"Doe, J" <a@b>', ' c@d (Mr, C)', ' <e@f>']);
  assert.equal(addressOf('"Doe, J" <a@b>'), 'a@b');
  assert.equal(addressOf(' c@d (Mr, C)'), 'c@d');
  assert.equal(replaceAddress('"Doe, J" < a@b >', 'x@y'), '"Doe, J" < x@y >');
  assert.equal(replaceAddress(' c@d (Mr, C)', 'x@y'), ' x@y (Mr, C)');
  assert.equal(formatMailbox('Doe, Jane', 'j@x'), '"Doe, Jane" <j@x>');
  assert.equal(formatMailbox('Say "hi"', 'j@x'), '"Say \\"hi\\"" <j@x>');
  assert.equal(formatMailbox('Bob', 'b@x'), 'Bob <b@x>');
  assert.equal(formatMailbox('', 'b@x'), 'b@x');
});

test('the display name of an address, unquoted; none for a bare address', () => {
  assert.equal(displayNameOf('Army Ops <ops@army.ml>', 'ops@army.ml'), 'Army Ops');
  assert.equal(displayNameOf('"Doe, J" <a@b>, Kim <k@x>', 'K@X'), 'Kim');
  assert.equal(displayNameOf('"Doe, J" <a@b>, Kim <k@x>', 'a@b'), 'Doe, J');
  assert.equal(displayNameOf('"Say \\"hi\\"" <j@x>', 'j@x'), 'Say "hi"');
  assert.equal(displayNameOf('c@d (Mr C)', 'c@d'), '');
  assert.equal(displayNameOf('<e@f>', 'e@f'), '');
  assert.equal(displayNameOf('Kim <k@x>', 'other@x'), '');
});

test('strings, contacts and lists become check items in field order', async () => {
  const api = fakeAddressApi({ books: BOOKS });
  const details = {
    to: ['Ops <ops@army.ml>', { id: 'c1', type: 'contact' }],
    cc: [{ id: 'l1', type: 'mailingList' }, '  '],
    bcc: 'hr@example.com',
  };

  const items = await flattenRecipients(details, api);

  assert.deepEqual(items, [
    { field: 'to', index: 0, kind: 'string', text: 'Ops <ops@army.ml>' },
    { field: 'to', index: 1, kind: 'contact', text: '"Doe, Jane" <jane@army.ml>' },
    // "Nobody" has no address: Thunderbird leaves such a member out.
    { field: 'cc', index: 0, kind: 'list', text: 'Bob <bob@corp.example>', member: 0 },
    { field: 'cc', index: 0, kind: 'list', text: 'Eve <eve@gmial.com>', member: 1 },
    { field: 'bcc', index: 0, kind: 'string', text: 'hr@example.com' },
  ]);
  // An ordinary address is not sent through parseMailboxString at all.
  assert.ok(!api.calls.some(([name]) => name === 'parseMailboxString'));
});

for (const expandsLists of [true, false]) {
  const how = expandsLists ? 'expandMailingLists' : 'Thunderbird 128';
  test(`a list written as "Team <Team>" is expanded (${how})`, async () => {
    const api = fakeAddressApi({ books: BOOKS, expandsLists });
    const items = await flattenRecipients({ to: ['Team <Team>', 'Unknown <Unknown>'] }, api);

    assert.deepEqual(items, [
      { field: 'to', index: 0, kind: 'list', text: 'Bob <bob@corp.example>', member: 0 },
      { field: 'to', index: 0, kind: 'list', text: 'Eve <eve@gmial.com>', member: 1 },
      // Not a list Thunderbird knows: checked as typed, and flagged by the host.
      { field: 'to', index: 1, kind: 'string', text: 'Unknown <Unknown>' },
    ]);
  });
}

test('a contact that cannot be read fails the check rather than pass unchecked', async () => {
  const api = fakeAddressApi({ books: BOOKS });
  await assert.rejects(flattenRecipients({ to: [{ id: 'gone', type: 'contact' }] }, api),
                       /could not be found/);
  await assert.rejects(flattenRecipients({ to: [42] }, api), /neither a string/);
});

test('applyChoices fixes in place, keeps names and leaves the rest untouched', async () => {
  const api = fakeAddressApi({ books: BOOKS });
  const keptObject = { id: 'c2', type: 'contact' };
  const details = {
    to: ['"Ops, Army" <OPS@Army.ML>', keptObject, 'ok@corp.example'],
    cc: [{ id: 'c1', type: 'contact' }, { id: 'l1', type: 'mailingList' }],
    bcc: ['Blocked <x@evil.tk>', 'Kept <kept@army.ml>', 'Team <Team>'],
  };
  const items = await flattenRecipients(details, api);
  const found = findings(items, {
    'OPS@Army.ML': { suggestion: 'OPS@army.mil' },
    'jane@army.ml': { suggestion: 'jane@army.mil' },
    'eve@gmial.com': { suggestion: 'eve@gmail.com' },
    'x@evil.tk': { verdict: 'block', suggestion: null },
    'kept@army.ml': { suggestion: 'kept@army.mil' },
  });
  const choices = found.map(f => ({
    'OPS@Army.ML': 'fix', 'jane@army.ml': 'fix', 'eve@gmial.com': 'fix', 'x@evil.tk': 'remove',
    'kept@army.ml': 'keep',
  })[f.address]);

  const result = applyChoices(details, items, found, choices);

  assert.deepEqual(result, {
    to: ['"Ops, Army" <OPS@army.mil>', keptObject, 'ok@corp.example'],
    cc: ['"Doe, Jane" <jane@army.mil>', 'Bob <bob@corp.example>', 'Eve <eve@gmail.com>'],
    // The removed recipient is gone; the list written as "Team <Team>" becomes its members,
    // Eve corrected.
    bcc: ['Kept <kept@army.ml>', 'Bob <bob@corp.example>', 'Eve <eve@gmail.com>'],
  });
  // Unflagged entries are the very same values.
  assert.equal(result.to[1], keptObject);
  assert.equal(result.bcc[0], details.bcc[1]);
});

test('an entry whose only finding is kept stays the same object', async () => {
  const contact = { id: 'c1', type: 'contact' };
  const list = { id: 'l1', type: 'mailingList' };
  const details = { to: [contact], cc: [list] };
  const api = fakeAddressApi({ books: BOOKS });
  const items = await flattenRecipients(details, api);
  const found = findings(items, { 'jane@army.ml': { suggestion: 'jane@army.mil' },
                                  'eve@gmial.com': { suggestion: 'eve@gmail.com' } });

  const result = applyChoices(details, items, found, found.map(() => 'keep'));
  assert.equal(result.to[0], contact);
  assert.equal(result.cc[0], list);
  assert.deepEqual(result.bcc, []);
});

test('removing the one member of a string drops the entry; of several, just that one', async () => {
  const details = { to: ['a@evil.tk', 'Kim <kim@ok.example>, "Lee, B" <b@evil.tk>, c@ok.example'],
                    cc: [], bcc: [] };
  const items = await flattenRecipients(details, {});
  // The host finds each address of the second string: it holds several.
  const found = [
    { list: 0, address: 'a@evil.tk', verdict: 'block', suggestion: null },
    { list: 1, address: 'kim@ok.example', verdict: 'ok', suggestion: null },
    { list: 1, address: 'b@evil.tk', verdict: 'block', suggestion: null },
    { list: 1, address: 'c@ok.example', verdict: 'ok', suggestion: null },
  ];

  const result = applyChoices(details, items, found, ['remove', undefined, 'remove', undefined]);
  assert.deepEqual(result.to, ['Kim <kim@ok.example>, c@ok.example']);
});

test('removing a contact or a whole list’s members leaves nothing of them', async () => {
  const api = fakeAddressApi({ books: BOOKS });
  const details = { to: [{ id: 'c1', type: 'contact' }], cc: [{ id: 'l1', type: 'mailingList' }] };
  const items = await flattenRecipients(details, api);
  const found = findings(items, { 'jane@army.ml': {}, 'eve@gmial.com': {},
                                  'bob@corp.example': {} });

  assert.deepEqual(applyChoices(details, items, found, found.map(() => 'remove')),
                   { to: [], cc: [], bcc: [] });
});

test('a fix without a suggestion keeps the address; an unknown address is an error', async () => {
  const details = { to: ['Ops <ops@army.ml>', 'a@x.example, b@y.example'] };
  const items = await flattenRecipients(details, {});

  const kept = applyChoices(details, items,
                            [{ list: 0, address: 'ops@army.ml', suggestion: null }], ['fix']);
  assert.equal(kept.to[0], details.to[0]);
  const stranger = { list: 1, address: 'zz@y.example', suggestion: 'zz@z.example' };
  assert.throws(() => applyChoices(details, items, [stranger], ['fix']),
                /not in the recipient/);
  assert.throws(() => applyChoices(details, items,
                                   [{ list: 9, address: 'a@x', suggestion: 'b@x' }], ['fix']),
                /not checked/);
});
