// SPDX-License-Identifier: LGPL-2.1-or-later
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { fakeAddressApi } from './fake-messenger.js';
import {
  collectKnown, collectedBookId, domainOf,
} from '../../../plugin/thunderbird/extension/lib/known.js';

// In Thunderbird's order: the Personal Address Book first, Collected Addresses last.
const BOOKS = [
  {
    id: 'personal', name: 'Personal Address Book',
    contacts: [
      { id: 'c1', DisplayName: 'Ops', PrimaryEmail: 'ops@army.mil' },
      { id: 'c2', DisplayName: 'Two addresses', PrimaryEmail: 'a@Army.MIL',
        SecondEmail: 'a@corp.example' },
      { id: 'c3', DisplayName: 'No address at all' },
      { id: 'c4', DisplayName: 'Same domain twice', PrimaryEmail: 'x@corp.example',
        SecondEmail: 'y@CORP.example' },
      { id: 'c5', PrimaryEmail: 'not-an-address' },
      { id: 'c6', PrimaryEmail: 'HR@Example.COM' },
    ],
    lists: [{ id: 'l1', name: 'Team', members: ['c1', 'c2'] }],
  },
  { id: 'ldap', name: 'Directory', remote: true,
    contacts: [{ id: 'r1', PrimaryEmail: 'far@remote.example' }] },
  {
    id: 'collected', name: 'Collected Addresses',
    contacts: [{ id: 'd1', PrimaryEmail: 'someone@army.mil' }],
  },
];

test('known domains count the contacts of every local book, lower-cased', async () => {
  const api = fakeAddressApi({
    books: BOOKS,
    identities: [{ id: 'id1', email: 'me@corp.example' }, { id: 'id2', email: 'Me@Home.example' },
                 { id: 'id3', email: 'me@corp.example' }, { id: 'id4', email: '' }],
  });

  const { known, identities } = await collectKnown(api);

  // army.mil: c1, c2 and d1; corp.example: c2 and c4 (once each, though c4 has it twice);
  // the members of the list "Team" are not counted again; the remote book is not read.
  assert.deepEqual(known, { 'army.mil': 3, 'corp.example': 2, 'example.com': 1 });
  assert.deepEqual(Object.keys(known), ['army.mil', 'corp.example', 'example.com']);
  assert.deepEqual(identities, ['Me@Home.example', 'me@corp.example']);
  assert.ok(!api.calls.some(([name, id]) => name === 'contacts.list' && id === 'ldap'));
});

test('a domain known from Collected Addresses alone is sent as collected', async () => {
  const api = fakeAddressApi({
    books: [
      { id: 'pab', name: 'Personal Address Book',
        contacts: [{ id: 'p1', PrimaryEmail: 'ops@army.mil' }] },
      { id: 'work', name: 'Work',
        contacts: [{ id: 'w1', PrimaryEmail: 'hq@army.mil' }] },
      { id: 'history', name: 'Gesammelte Adressen',
        contacts: [{ id: 'h1', PrimaryEmail: 'ops@army.ml' },
                   { id: 'h2', PrimaryEmail: 'duty@army.mil' },
                   { id: 'h3', PrimaryEmail: 'a@new.example' },
                   { id: 'h4', PrimaryEmail: 'b@new.example', SecondEmail: 'b@army.ml' }] },
    ],
  });

  const { known } = await collectKnown(api);

  // army.mil: two kept contacts and one collected, a contact's domain with all three; army.ml
  // and new.example only ever collected, in whatever language Thunderbird names the book.
  assert.deepEqual(known, {
    'army.mil': 3,
    'army.ml': { count: 2, source: 'collected' },
    'new.example': { count: 2, source: 'collected' },
  });
});

test('the user\'s own addresses are no contacts; their domains stay known', async () => {
  // The seed of issue 13: two colleagues at army.mil, the user's own card and their address
  // collected from a reply said "which 4 of your contacts use".
  const api = fakeAddressApi({
    books: [
      { id: 'pab', name: 'Personal Address Book',
        contacts: [{ id: 'p1', PrimaryEmail: 'ann@army.mil' },
                   { id: 'p2', PrimaryEmail: 'bob@army.mil' },
                   { id: 'p3', DisplayName: 'Me', PrimaryEmail: ' ME@Army.Mil ',
                     SecondEmail: 'me@home.example' },
                   { id: 'p4', DisplayName: 'Me, alone', PrimaryEmail: 'me@alone.example' }] },
      { id: 'history', name: 'Collected Addresses',
        contacts: [{ id: 'h1', PrimaryEmail: 'me@army.mil' }] },
    ],
    identities: [{ id: 'id1', email: 'Me@army.mil' }, { id: 'id2', email: 'me@alone.example' }],
  });

  const { known, identities } = await collectKnown(api);

  // army.mil: Ann and Bob, not the user's card nor the collected copy; the card's other
  // address still counts; alone.example has only the user: no contact, an identity.
  assert.deepEqual(known, { 'army.mil': 2, 'home.example': 1 });
  assert.deepEqual(identities, ['Me@army.mil', 'me@alone.example']);
});

test('a book created while Thunderbird runs is not taken for Collected Addresses', async () => {
  // Thunderbird lists a book created since it started after Collected Addresses.
  const books = [
    { id: 'pab', name: 'Personal Address Book', contacts: [] },
    { id: 'history', name: 'Collected Addresses',
      contacts: [{ id: 'h1', PrimaryEmail: 'ops@army.ml' }] },
    { id: 'imported', name: 'Imported',
      contacts: [{ id: 'i1', PrimaryEmail: 'x@partner.example' }] },
  ];
  const api = fakeAddressApi({ books });

  const { known } = await collectKnown(api, new Set(['imported']));

  assert.deepEqual(known, { 'army.ml': { count: 1, source: 'collected' },
                            'partner.example': 1 });
  assert.equal(collectedBookId(books, new Set()), 'imported', 'without it, the last book');
});

test('fewer than two books name no Collected Addresses', () => {
  assert.equal(collectedBookId([{ id: 'pab' }], new Set()), null);
  assert.equal(collectedBookId([{ id: 'pab' }, { id: 'new' }], new Set(['new'])), null);
  assert.equal(collectedBookId([], new Set()), null);
});

test('identities come from accounts.list() where identities.list() is missing', async () => {
  const api = fakeAddressApi({ books: [] });
  delete api.identities;
  api.accounts = {
    list: async () => [{ id: 'a1', identities: [{ email: 'me@corp.example' }] },
                       { id: 'a2', identities: [] }],
  };
  assert.deepEqual(await collectKnown(api), { known: {}, identities: ['me@corp.example'] });
});

test('domainOf takes the part after the last @', () => {
  assert.equal(domainOf('"a@b"@Army.Mil'), 'army.mil');
  assert.equal(domainOf('@army.mil'), null);
  assert.equal(domainOf('ops@'), null);
  assert.equal(domainOf(undefined), null);
});
