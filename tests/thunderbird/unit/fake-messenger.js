// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A fake of the parts of Thunderbird's Manifest V2 API that the add-on reads (address books,
// contacts, mailing lists, identities), built from plain data.  What it answers follows the
// schemas of Thunderbird 153 (addressBook.json, identities.json, messenger_utilities.json).

import { FakeEvent } from './fake-events.js';

/**
 * @param {object} data
 * @param {Array} data.books - [{id, name, remote?, contacts: [{id, DisplayName?, PrimaryEmail?,
 *   SecondEmail?}], lists: [{id, name, members: [contact id]}]}]
 * @param {Array} [data.identities] - [{id, email, name?}]
 * @param {boolean} [data.expandsLists] - whether parseMailboxString knows expandMailingLists
 *   (Thunderbird ≥ 13x); without it, only a boolean is accepted, as in Thunderbird 128
 */
export function fakeAddressApi({ books, identities = [], expandsLists = true }) {
  const calls = [];
  const contactNode = (book, contact) => ({
    id: contact.id, parentId: book.id, type: 'contact', readOnly: false, remote: !!book.remote,
    properties: Object.fromEntries(Object.entries(contact).filter(([key]) => key !== 'id')),
  });
  const findContact = id => {
    for (const book of books) {
      const contact = book.contacts.find(c => c.id === id);
      if (contact)
        return contactNode(book, contact);
    }
    throw new Error(`contact with id=${id} could not be found.`);
  };
  const findList = id => {
    for (const book of books) {
      const list = (book.lists ?? []).find(l => l.id === id);
      if (list)
        return { book, list };
    }
    throw new Error(`mailing list with id=${id} could not be found.`);
  };
  const membersOf = ({ list }) => list.members.map(findContact);
  const listByName = name => {
    for (const book of books) {
      const list = (book.lists ?? []).find(l => l.name === name);
      if (list)
        return { book, list };
    }
    return null;
  };

  // Splits at top-level commas only as far as the tests need: "Name <a@b>" or "a@b".
  const parse = text => text.split(',').map(part => {
    const m = part.trim().match(/^(?:"?([^"<]*?)"?\s*)?<([^>]*)>$/);
    return m ? { name: m[1] || undefined, email: m[2] } : { email: part.trim() };
  });

  return {
    calls,
    addressBooks: {
      list: async complete => {
        calls.push(['addressBooks.list', complete]);
        return books.map(book => ({ id: book.id, type: 'addressBook', name: book.name,
                                    readOnly: false, remote: !!book.remote }));
      },
      onCreated: new FakeEvent(), onUpdated: new FakeEvent(), onDeleted: new FakeEvent(),
    },
    contacts: {
      list: async parentId => {
        calls.push(['contacts.list', parentId]);
        const book = books.find(b => b.id === parentId);
        if (book.remote)
          throw new Error('a remote book was listed');
        return book.contacts.map(c => contactNode(book, c));
      },
      get: async id => findContact(id),
      onCreated: new FakeEvent(), onUpdated: new FakeEvent(), onDeleted: new FakeEvent(),
    },
    mailingLists: {
      list: async parentId => {
        const book = books.find(b => b.id === parentId);
        return (book.lists ?? []).map(list => ({ id: list.id, parentId, type: 'mailingList',
                                                 name: list.name, nickName: '', description: '' }));
      },
      listMembers: async id => membersOf(findList(id)),
      onCreated: new FakeEvent(), onUpdated: new FakeEvent(), onDeleted: new FakeEvent(),
      onMemberAdded: new FakeEvent(), onMemberRemoved: new FakeEvent(),
    },
    identities: {
      list: async () => identities.map(identity => ({ accountId: 'account1', ...identity })),
      onCreated: new FakeEvent(), onUpdated: new FakeEvent(), onDeleted: new FakeEvent(),
    },
    messengerUtilities: {
      parseMailboxString: async (text, options) => {
        calls.push(['parseMailboxString', text, options]);
        if (options !== undefined && typeof options !== 'boolean' && !expandsLists)
          throw new Error('Type error for parameter options (Expected boolean instead of object)');
        const parsed = parse(text);
        if (!options?.expandMailingLists)
          return parsed;
        return parsed.flatMap(entry => {
          const found = entry.name === entry.email ? listByName(entry.name) : null;
          if (!found)
            return [entry];
          return membersOf(found).map(node => ({ name: node.properties.DisplayName,
                                                 email: node.properties.PrimaryEmail }));
        });
      },
    },
  };
}
