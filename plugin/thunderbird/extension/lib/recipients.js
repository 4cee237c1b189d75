// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The recipients of a message as the host checks them, and the user's corrections put back.
//
// compose.ComposeDetails holds `to`, `cc` and `bcc` as lists of entries: a mailbox string
// ("Name <a@b>", rarely several of them separated by commas), a mailing list as a string
// ("ListName <ListName>"), or an object {id, type: "contact" | "mailingList"}.  Each entry
// becomes one check item, or one per member for a mailing list, since the host cannot expand
// Thunderbird's lists.  The API object is passed in, so that Node can run this with a fake.

export const FIELDS = Object.freeze(['to', 'cc', 'bcc']);

// Characters that RFC 5322 does not allow in an unquoted display name (its "specials").
const SPECIALS = /[()<>[\]:;@\\,."]/;

function toArray(list) {
  if (list === undefined || list === null)
    return [];
  return Array.isArray(list) ? list : [list];
}

/**
 * A mailbox string: `Name <email>`, with the name quoted where it needs to be, or the bare
 * address without a name.
 */
export function formatMailbox(name, email) {
  const display = typeof name === 'string' ? name.trim() : '';

  if (display === '')
    return email;
  if (SPECIALS.test(display))
    return `"${display.replace(/(["\\])/g, '\\$1')}" <${email}>`;
  return `${display} <${email}>`;
}

/**
 * Calls @visit (c, i) for each character of @text outside quoted strings and comments, the
 * places where commas and angle brackets mean something in a mailbox string.
 */
function forEachTopLevel(text, visit) {
  let quoted = false;
  let comment = 0;

  for (let i = 0; i < text.length; i++) {
    const c = text[i];

    if (quoted) {
      if (c === '\\')
        i++;
      else if (c === '"')
        quoted = false;
    } else if (comment > 0) {
      if (c === '\\')
        i++;
      else if (c === '(')
        comment++;
      else if (c === ')')
        comment--;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '(') {
      comment = 1;
    } else {
      visit(c, i);
    }
  }
}

/**
 * Splits a mailbox string at the commas that separate mailboxes: not those inside a quoted
 * name, an angle-bracketed address or a comment.  The parts keep their spaces, so that
 * parts.join(",") gives the string back.
 */
export function splitMailboxes(text) {
  const parts = [];
  let start = 0;
  let angle = false;

  forEachTopLevel(text, (c, i) => {
    if (c === '<') {
      angle = true;
    } else if (c === '>') {
      angle = false;
    } else if (c === ',' && !angle) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  });
  parts.push(text.slice(start));
  return parts;
}

/**
 * Where the address of one mailbox (a part of splitMailboxes()) is: the text between the
 * last top-level angle brackets, else the whole part without spaces and comments.
 *
 * @returns {{start: number, end: number}} the address is part.slice(start, end)
 */
function locateAddress(part) {
  let open = -1;
  let found = null;

  forEachTopLevel(part, (c, i) => {
    if (c === '<') {
      open = i;
    } else if (c === '>' && open >= 0) {
      found = { start: open + 1, end: i };
      open = -1;
    }
  });
  if (found !== null)
    return { start: found.start + leadingSpace(part.slice(found.start, found.end)),
             end: found.end - trailingSpace(part.slice(found.start, found.end)) };

  // A bare address, perhaps with a comment after it: "a@b (Name)".
  const bare = part.replace(/\(.*\)\s*$/, '');
  return { start: leadingSpace(bare), end: bare.length - trailingSpace(bare) };
}

function leadingSpace(text) {
  return text.length - text.trimStart().length;
}

function trailingSpace(text) {
  return text.length - text.trimEnd().length;
}

/** The address of one mailbox string, e.g. "a@b" of "Name <a@b>". */
export function addressOf(part) {
  const { start, end } = locateAddress(part);
  return part.slice(start, end);
}

/** @part with its address replaced by @address, everything else (the name) kept. */
export function replaceAddress(part, address) {
  const { start, end } = locateAddress(part);
  return part.slice(0, start) + address + part.slice(end);
}

/**
 * The display name that @text (a recipient, perhaps of several mailboxes) gives @address: the
 * words before its angle brackets, unquoted, or "" where it has none.
 */
export function displayNameOf(text, address) {
  const wanted = String(address).toLowerCase();
  const part = splitMailboxes(String(text ?? ''))
    .find(candidate => addressOf(candidate).toLowerCase() === wanted);

  if (part === undefined)
    return '';
  const { start } = locateAddress(part);
  const before = part.slice(0, start).trim();
  if (!before.endsWith('<'))
    return ''; // A bare address: "a@b", or "a@b (comment)".
  const name = before.slice(0, -1).trim();
  const quoted = name.match(/^"((?:[^"\\]|\\.)*)"$/);
  return quoted ? quoted[1].replace(/\\(.)/g, '$1') : name;
}

/** Whether @text names a mailbox without "@": how Thunderbird writes a mailing list. */
function mayHoldList(text) {
  return splitMailboxes(text).some(part => {
    const address = addressOf(part);
    return address !== '' && !address.includes('@');
  });
}

function contactMailbox(contact) {
  const properties = contact && contact.properties ? contact.properties : {};
  const email = typeof properties.PrimaryEmail === 'string' ? properties.PrimaryEmail.trim() : '';

  if (email === '')
    return null;
  return formatMailbox(properties.DisplayName, email);
}

function membersToMailboxes(contacts) {
  return contacts.map(contactMailbox).filter(text => text !== null);
}

/** The members of the mailing list called @name in any local address book, or null. */
async function findListMembersByName(api, name) {
  if (!api.addressBooks || !api.mailingLists)
    return null;
  for (const book of await api.addressBooks.list(false)) {
    if (book.remote)
      continue;
    for (const list of await api.mailingLists.list(book.id)) {
      if (list.name === name)
        return membersToMailboxes(await api.mailingLists.listMembers(list.id));
    }
  }
  return null;
}

/**
 * The mailboxes of a string entry with its mailing lists expanded, or null when it names no
 * mailing list that Thunderbird knows (then it is checked as typed, and a list name that is
 * no list is flagged as the bad address it is).
 */
async function expandListString(text, api) {
  const utilities = api.messengerUtilities;

  if (!mayHoldList(text) || !utilities || typeof utilities.parseMailboxString !== 'function')
    return null;

  let parsed = null;
  try {
    // Thunderbird ≥ 13x expands its lists itself (the addressBooks permission is needed).
    parsed = await utilities.parseMailboxString(text, { expandMailingLists: true });
  } catch (e) {
    parsed = null; // An older Thunderbird: its schema takes only a boolean.
  }
  if (parsed === null) {
    const plain = await utilities.parseMailboxString(text);
    parsed = [];
    for (const mailbox of plain) {
      const email = mailbox.email ?? '';
      const members = !email.includes('@') ? await findListMembersByName(api, mailbox.name ?? email)
                                           : null;
      if (members !== null)
        parsed.push(...members.map(member => ({ text: member })));
      else
        parsed.push(mailbox);
    }
  }

  // A mailbox still without "@" is a list Thunderbird does not know; a member without an
  // address is one Thunderbird leaves out when it sends.
  const mailboxes = parsed.filter(mailbox => mailbox.text !== undefined
                                             || (mailbox.email ?? '') !== '');
  if (mailboxes.some(mailbox => mailbox.text === undefined && !mailbox.email.includes('@')))
    return null;
  return mailboxes.map(mailbox => mailbox.text ?? formatMailbox(mailbox.name, mailbox.email));
}

/**
 * The check items of a message: one per recipient entry, or one per member of a mailing list.
 *
 * @param {object} details - compose.ComposeDetails (only to, cc and bcc are read)
 * @param {object} api - the WebExtension API: contacts, mailingLists, addressBooks and
 *   messengerUtilities are used where an entry needs them
 * @returns {Promise<Array<{field: string, index: number, kind: string, text: string,
 *   member?: number}>>} `kind` is "string", "contact" or "list"; `index` is the entry's
 *   position in its field; the host is sent items.map(item => item.text)
 * @throws when an entry names a contact or list that cannot be read: the check fails then,
 *   rather than pass a recipient unchecked
 */
export async function flattenRecipients(details, api = {}) {
  const items = [];

  for (const field of FIELDS) {
    const entries = toArray(details ? details[field] : undefined);

    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index];

      if (typeof entry === 'string') {
        if (entry.trim() === '')
          continue;
        const members = await expandListString(entry, api);
        if (members === null)
          items.push({ field, index, kind: 'string', text: entry });
        else
          members.forEach((text, member) =>
            items.push({ field, index, kind: 'list', text, member }));
      } else if (entry && entry.type === 'contact') {
        const text = contactMailbox(await api.contacts.get(entry.id ?? entry.nodeId));
        if (text !== null)
          items.push({ field, index, kind: 'contact', text });
      } else if (entry && entry.type === 'mailingList') {
        const nodes = await api.mailingLists.listMembers(entry.id ?? entry.nodeId);
        const members = membersToMailboxes(nodes);
        members.forEach((text, member) => items.push({ field, index, kind: 'list', text, member }));
      } else {
        throw new Error(`a recipient of ${field} is neither a string nor a contact or list`);
      }
    }
  }
  return items;
}

/**
 * @text with the changes made: each {address, action: "fix" | "remove", suggestion} finds the
 * first mailbox with that address (exactly, else ignoring case; a single mailbox in any case)
 * and changes it.  Returns "" when nothing is left.
 */
function applyToString(text, changes) {
  const parts = splitMailboxes(text);
  const removed = new Set();
  const changed = new Set();

  for (const change of changes) {
    const free = parts.map((part, j) => j).filter(j => !changed.has(j));
    let j = free.find(k => addressOf(parts[k]) === change.address);
    if (j === undefined) {
      const wanted = change.address.toLowerCase();
      j = free.find(k => addressOf(parts[k]).toLowerCase() === wanted);
    }
    if (j === undefined && parts.length === 1 && free.length === 1)
      j = 0;
    if (j === undefined)
      throw new Error(`the address ${change.address} is not in the recipient “${text}”`);
    changed.add(j);
    if (change.action === 'remove')
      removed.add(j);
    else
      parts[j] = replaceAddress(parts[j], change.suggestion);
  }
  return parts.filter((part, j) => !removed.has(j)).join(',').trim();
}

/**
 * The recipients with the user's choices applied.
 *
 * @param {object} details - the compose.ComposeDetails that flattenRecipients() was given
 * @param {Array} items - what flattenRecipients() returned
 * @param {Array} findings - the host's findings (`list` is an index into @items)
 * @param {Array<string|undefined>} choices - per finding: "fix" replaces its address by the
 *   suggestion (kept when it has none), "remove" drops it; anything else keeps it
 * @returns {{to: Array, cc: Array, bcc: Array}} an entry without a change is the very same
 *   value as before; a changed contact becomes a mailbox string, a changed mailing list its
 *   members as strings
 * @throws when a finding's address cannot be found in its recipient
 */
export function applyChoices(details, items, findings, choices) {
  const changesByItem = new Map();

  findings.forEach((finding, i) => {
    const choice = choices[i];
    let change = null;

    if (choice === 'fix' && typeof finding.suggestion === 'string' && finding.suggestion !== '')
      change = { address: finding.address, action: 'fix', suggestion: finding.suggestion };
    else if (choice === 'remove')
      change = { address: finding.address, action: 'remove' };
    if (change === null)
      return;
    if (!Number.isInteger(finding.list) || items[finding.list] === undefined)
      throw new Error(`a finding refers to recipient ${finding.list}, which was not checked`);
    if (!changesByItem.has(finding.list))
      changesByItem.set(finding.list, []);
    changesByItem.get(finding.list).push(change);
  });

  const itemsByEntry = new Map();
  items.forEach((item, i) => {
    const key = `${item.field}:${item.index}`;
    if (!itemsByEntry.has(key))
      itemsByEntry.set(key, []);
    itemsByEntry.get(key).push(i);
  });

  const result = {};
  for (const field of FIELDS) {
    const entries = toArray(details ? details[field] : undefined);
    const out = [];

    entries.forEach((entry, index) => {
      const entryItems = itemsByEntry.get(`${field}:${index}`) ?? [];

      if (!entryItems.some(i => changesByItem.has(i))) {
        out.push(entry);
        return;
      }
      // A string entry is changed in place, so that its display names and its form stay; a
      // contact or mailing list becomes the mailbox strings it stood for.
      const sources = items[entryItems[0]].kind === 'string'
        ? [{ text: entry, changes: changesByItem.get(entryItems[0]) ?? [] }]
        : entryItems.map(i => ({ text: items[i].text, changes: changesByItem.get(i) ?? [] }));
      for (const source of sources) {
        const text = applyToString(source.text, source.changes);
        if (text !== '')
          out.push(text);
      }
    });
    result[field] = out;
  }
  return result;
}
