// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What the add-on tells the organisation's mail server about the recipients the user
// confirmed in the "Check recipients" window, as the Evolution module does
// (common/glib/rg-confirmed-header.c).  With the administrator's setting `server-guard` (the
// mail server runs rcptguard-milter), a message that leaves after the window carries the
// header X-Recipient-Guard-Confirmed with the flagged addresses that go out as they were, so
// that the server does not refuse them a second time; otherwise nothing is added.

/** The header's name, as Thunderbird's compose API writes custom headers (Train-Case). */
export const CONFIRMED_HEADER = 'X-Recipient-Guard-Confirmed';

// The choices of a row that send its address as it was ("Keep this address", "Always allow").
const KEEPING_CHOICES = Object.freeze(['keep', 'trust']);

function isConfirmedHeader(header) {
  return typeof header?.name === 'string'
         && header.name.trim().toLowerCase() === CONFIRMED_HEADER.toLowerCase();
}

/**
 * The addresses a message that leaves after the window confirms: every row's after "Send
 * Anyway", the rows kept or trusted after "Send Corrected", none otherwise; each once
 * (ignoring case), in the rows' order.
 *
 * @param {Array<{address: string}>} rows - the rows of dialog-model.js's confirm model
 * @param {{action: string, choices: string[]}} answer - validateAnswer()'s
 * @returns {string[]}
 */
export function confirmedAddresses(rows, answer) {
  let kept = [];

  if (answer?.action === 'anyway')
    kept = rows;
  else if (answer?.action === 'corrected')
    kept = rows.filter((row, i) => KEEPING_CHOICES.includes(answer.choices[i]));
  const seen = new Set();
  return kept.map(row => row.address)
    .filter(address => typeof address === 'string' && address !== '')
    .filter(address => !seen.has(address.toLowerCase()) && seen.add(address.toLowerCase()));
}

/**
 * The answer to compose.onBeforeSend with the message's custom headers set: a header of an
 * earlier Send that did not leave (or that came with the message) is always taken out, and
 * the header naming @addresses put in when there are any.  Thunderbird replaces all custom
 * headers with `details.customHeaders`, so the message's others are given back as they were.
 * An answer that cancels, or that changes nothing, is returned as it is.
 *
 * @param {object} answer - {} or {details: {...}} (or {cancel: true})
 * @param {object} details - the compose.ComposeDetails onBeforeSend was given
 * @param {string[]} addresses - confirmedAddresses(), or [] (server-guard off)
 * @returns {object} the answer
 */
export function withConfirmedHeader(answer, details, addresses) {
  if (answer?.cancel)
    return answer;
  const existing = Array.isArray(details?.customHeaders) ? details.customHeaders : [];
  const others = existing.filter(header => !isConfirmedHeader(header))
    .map(header => ({ name: header.name, value: header.value }));
  if (addresses.length === 0 && others.length === existing.length)
    return answer;
  const customHeaders = addresses.length === 0
    ? others : [...others, { name: CONFIRMED_HEADER, value: addresses.join(', ') }];
  return { ...answer, details: { ...(answer?.details ?? {}), customHeaders } };
}
