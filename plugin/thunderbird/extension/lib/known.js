// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What the checker knows (`configure`'s `known` and `identities`, PROTOCOL.md): the domains of
// the address books' contacts, each with the number of contacts using it, and the user's own
// addresses.  The API object is passed in (Manifest V2: addressBooks, contacts, identities or
// accounts), so that Node can run this with a fake.

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

/**
 * Counts the domains of @contacts (ContactNode of Manifest V2): each contact counts once per
 * domain, whether its PrimaryEmail and SecondEmail share it or not.
 *
 * @param {Iterable<object>} contacts
 * @param {Map<string, number>} counts - added to
 */
export function countContactDomains(contacts, counts) {
  for (const contact of contacts) {
    const properties = contact && contact.properties ? contact.properties : {};
    const domains = new Set();

    for (const key of ['PrimaryEmail', 'SecondEmail']) {
      const domain = domainOf(properties[key]);
      if (domain !== null)
        domains.add(domain);
    }
    for (const domain of domains)
      counts.set(domain, (counts.get(domain) ?? 0) + 1);
  }
}

/**
 * The contacts of every local address book.  Remote books (LDAP) are skipped: listing them
 * would query the server, and their entries are a directory, not people the user writes to.
 * Mailing lists are not counted apart: their members are contacts of the same book.
 */
async function listContacts(api) {
  const books = await api.addressBooks.list(false);
  const result = [];

  for (const book of books) {
    if (book.remote)
      continue;
    result.push(...await api.contacts.list(book.id));
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
 * Everything `configure` needs to know besides the settings.
 *
 * @param {object} api - the WebExtension API (messenger)
 * @returns {Promise<{known: Object<string, number>, identities: string[]}>} `known` has its
 *   domains in sorted order, so that equal address books give equal requests
 */
export async function collectKnown(api) {
  const counts = new Map();

  countContactDomains(await listContacts(api), counts);
  const known = {};
  for (const domain of [...counts.keys()].sort())
    known[domain] = counts.get(domain);
  return { known, identities: await listIdentityAddresses(api) };
}
