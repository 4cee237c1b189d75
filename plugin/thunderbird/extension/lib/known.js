// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What the checker knows (`configure`'s `known` and `identities`, PROTOCOL.md): the domains of
// the address books' contacts, each with the number of contacts using it and whether they are
// only Thunderbird's Collected Addresses, and the user's own addresses.  The API object is
// passed in (Manifest V2: addressBooks, contacts, identities or accounts), so that Node can run
// this with a fake.

/**
 * The domain of an address, lower-cased; null when @address has none.  The host normalises
 * further (IDNA, trailing dots) and reports the domains it refuses.
 */
export function domainOf(address) {
  if (typeof address !== 'string')
    return null;
  const at = address.lastIndexOf('@');
  if (at < 1)
    return null;
  const domain = address.slice(at + 1).trim().toLowerCase();
  return domain === '' ? null : domain;
}

/** @address trimmed and lower-cased: one key for one mailbox, whatever its case. */
function addressKey(address) {
  return address.trim().toLowerCase();
}

/**
 * Counts the domains of @contacts (ContactNode of Manifest V2): each contact counts once per
 * domain, whether its PrimaryEmail and SecondEmail share it or not.  Thunderbird keeps how
 * often the user wrote to a contact (its PopularityIndex), but Thunderbird 128 to 153 do not
 * give it to add-ons (ext-addressBook.js leaves its hidden properties out of `properties`):
 * a contact counts 1.  An address that is one of the user's own (in any case) counts for
 * nothing: the user's own card, or their address collected from a reply, is not a contact at
 * that domain; the contact's other address still counts.
 *
 * @param {Iterable<object>} contacts
 * @param {Map<string, number>} counts - added to
 * @param {Iterable<string>} [ownAddresses] - the user's identities
 */
export function countContactDomains(contacts, counts, ownAddresses = []) {
  const own = new Set([...ownAddresses].map(addressKey));

  for (const contact of contacts) {
    const properties = contact && contact.properties ? contact.properties : {};
    const domains = new Set();

    for (const key of ['PrimaryEmail', 'SecondEmail']) {
      const domain = domainOf(properties[key]);
      if (domain !== null && !own.has(addressKey(properties[key])))
        domains.add(domain);
    }
    for (const domain of domains)
      counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
}

/**
 * The id of Thunderbird's Collected Addresses, where it puts the recipients of the mail that
 * leaves (and so a slip sent once), among @books as addressBooks.list() gives them; null when
 * there are none.  The API names it by a random id and a translated name that the user may
 * change, and hides its URI (jsaddrbook://history.sqlite); but Thunderbird lists its books with
 * the Personal Address Book first and Collected Addresses last (compareAddressBooks in
 * AddrBookUtils.sys.mjs).  A book created while Thunderbird runs is listed after it until the
 * next start (ext-addressBook.js appends it to the list it keeps): @createdIds leaves those
 * out.  Both books are built in and cannot be deleted: a list of fewer is not Thunderbird's
 * whole list, and names no Collected Addresses.
 *
 * @param {Array<{id: string}>} books
 * @param {Set<string>} createdIds - the books created since the add-on started
 * @returns {?string}
 */
export function collectedBookId(books, createdIds) {
  const listed = books.filter(book => !createdIds.has(book.id));
  return listed.length > 1 ? listed[listed.length - 1].id : null;
}

/**
 * The contacts of every local address book, those of Collected Addresses apart.  Remote books
 * (LDAP) are skipped: listing them would query the server, and their entries are a directory,
 * not people the user writes to.  Mailing lists are not counted apart: their members are
 * contacts of the same book.
 */
async function listContacts(api, createdIds) {
  const books = await api.addressBooks.list(false);
  const collectedId = collectedBookId(books, createdIds);
  const result = { kept: [], collected: [] };

  for (const book of books) {
    if (book.remote)
      continue;
    const contacts = await api.contacts.list(book.id);
    (book.id === collectedId ? result.collected : result.kept).push(...contacts);
  }
  return result;
}

/**
 * The user's own addresses: identities.list() (Thunderbird ≥ 91), else the identities of
 * accounts.list().  Sorted, without duplicates.
 */
export async function listIdentityAddresses(api) {
  let identities = [];

  if (api.identities && typeof api.identities.list === 'function') {
    identities = await api.identities.list();
  } else if (api.accounts && typeof api.accounts.list === 'function') {
    const accounts = await api.accounts.list(false);
    identities = accounts.flatMap(account => account.identities ?? []);
  }
  const addresses = new Set();
  for (const identity of identities) {
    if (identity && typeof identity.email === 'string' && domainOf(identity.email) !== null)
      addresses.add(identity.email.trim());
  }
  return [...addresses].sort();
}

/**
 * Everything `configure` needs to know besides the settings.  A domain that a contact outside
 * Collected Addresses uses is a contact's, with the number of contacts in all books (a plain
 * count); one known from Collected Addresses alone is sent as {count, source: 'collected'}:
 * weak evidence, which does not make a slip sent once safe.  The user's own addresses are no
 * contacts (countContactDomains()); they make their domains known as identities.
 *
 * @param {object} api - the WebExtension API (messenger)
 * @param {Set<string>} [createdIds] - the address books created since the add-on started
 * @returns {Promise<{known: Object<string, number|{count: number, source: string}>,
 *   identities: string[]}>} `known` has its domains in sorted order, so that equal address
 *   books give equal requests
 */
export async function collectKnown(api, createdIds = new Set()) {
  const { kept, collected } = await listContacts(api, createdIds);
  const identities = await listIdentityAddresses(api);
  const keptCounts = new Map();
  const collectedCounts = new Map();

  countContactDomains(kept, keptCounts, identities);
  countContactDomains(collected, collectedCounts, identities);
  const known = {};
  for (const domain of [...new Set([...keptCounts.keys(), ...collectedCounts.keys()])].sort()) {
    const inCollected = collectedCounts.get(domain) ?? 0;
    known[domain] = keptCounts.has(domain)
      ? keptCounts.get(domain) + inCollected
      : { count: inCollected, source: 'collected' };
  }
  return { known, identities };
}
