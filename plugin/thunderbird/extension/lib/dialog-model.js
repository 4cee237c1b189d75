// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What the "Check recipients" window shows and may answer, apart from the page that draws it
// (dialog/confirm.js), so that the rules are tested under Node.  They are those of the
// Evolution dialog (ui/rg-confirm-dialog.c, ui/rg-confirm-row.c).

import { displayNameOf } from './recipients.js';

export const FLAGGED_VERDICTS = Object.freeze(['warn', 'block']);

/**
 * What each choice of a row becomes in the decision log (the `outcomes` of the host's
 * `record`, PROTOCOL.md): "Use …", "Keep this address", "Remove", "Always allow DOMAIN".
 */
export const CHOICE_OUTCOMES = Object.freeze({
  fix: 'used-suggestion',
  keep: 'kept',
  remove: 'removed',
  trust: 'trusted',
});

// The window's size.  Its height grows with the rows up to DIALOG_MAX_HEIGHT, then the rows
// scroll (confirm.css): 800 px of a 1280×800 screen, less a title bar and a panel.  Per row:
// the address, the verdict, a reason of up to two lines and the choices, which may wrap.
const DIALOG_WIDTH = 680;
const DIALOG_BASE_HEIGHT = 250;
const DIALOG_ROW_HEIGHT = 135;
export const DIALOG_MAX_HEIGHT = 680;
const FAILED_SIZE = Object.freeze({ width: 560, height: 320 });

function isLocked(locked, key) {
  return Array.isArray(locked) && locked.includes(key);
}

/**
 * The dialog for a check with flagged recipients.
 *
 * @param {Array} items - the check items (recipients.js), for the field and name of each row
 * @param {Array} findings - the host's findings, one per address checked
 * @param {{allowOverride?: boolean, locked?: string[]}} policy - the setting
 *   allow-block-override, and the keys the administrator locked (Thunderbird's policy or the
 *   desktop's): a locked block-domains is the administrator's block, a locked trusted-domains
 *   cannot take "Always allow"
 * @returns {{kind: "confirm", allowOverride: boolean, blockLocked: boolean, total: number,
 *   rows: Array}} one row per finding of verdict warn or block, in order; `finding` is its
 *   index in @findings, `trustDomain` the domain "Always allow" adds (null: not offered);
 *   `total` is the number of recipients the check saw
 */
export function buildConfirmModel(items, findings, { allowOverride = false, locked = [] } = {}) {
  const trustLocked = isLocked(locked, 'trusted-domains');
  const rows = [];

  findings.forEach((finding, index) => {
    if (!FLAGGED_VERDICTS.includes(finding.verdict))
      return;
    const item = items[finding.list];
    const blocked = finding.verdict === 'block';
    const domain = typeof finding.domain === 'string' ? finding.domain : '';
    rows.push({
      finding: index,
      field: item ? item.field : 'to',
      address: finding.address,
      name: item ? displayNameOf(item.text, finding.address) : '',
      label: finding.label ?? '',
      description: finding.description ?? '',
      suggestion: typeof finding.suggestion === 'string' && finding.suggestion !== ''
        ? finding.suggestion : null,
      blocked,
      trustDomain: !blocked && !trustLocked && domain !== '' ? domain : null,
    });
  });
  return { kind: 'confirm', allowOverride: allowOverride === true,
           blockLocked: isLocked(locked, 'block-domains'), total: findings.length, rows };
}

/**
 * Why a check failed, in the user's terms: "not-started" (the host is not installed, or
 * exited before it answered anything), "stopped" (it crashed or did not answer in time), or
 * "other" (it refused the recipients, its answer was wrong, the window could not be shown).
 */
export function failureCause(error) {
  const kind = error?.kind;
  if (kind === 'not-installed' || kind === 'not-started')
    return 'not-started';
  if (kind === 'disconnected' || kind === 'timeout')
    return 'stopped';
  return 'other';
}

/**
 * The dialog for a check that failed: "failed" offers Edit Message and Send Anyway (on-error
 * "warn"), "refused" Edit Message alone (on-error "block").  `error` is the technical reason,
 * in English, shown under "Details".
 */
export function buildFailedModel(kind, error) {
  return { kind, cause: failureCause(error), error: String(error?.message ?? error ?? '') };
}

/** The choices a row offers, in the order shown: "Use …" where there is a suggestion, then
 * "Keep this address", or "Remove" for a blocked address (which cannot be kept), then
 * "Always allow DOMAIN" where it is offered. */
export function rowChoices(row) {
  const choices = row.suggestion !== null ? ['fix'] : [];
  choices.push(row.blocked ? 'remove' : 'keep');
  if (row.trustDomain)
    choices.push('trust');
  return choices;
}

/** The choice selected when the dialog opens: the suggestion where there is one. */
export function initialChoice(row) {
  return rowChoices(row)[0];
}

function blockedRows(model) {
  return model.kind === 'confirm' ? model.rows.filter(row => row.blocked).length : 0;
}

/** Whether "Send Anyway" is there: never when refused; with a blocked row only if allowed. */
export function offersAnyway(model) {
  if (model.kind === 'refused')
    return false;
  if (model.kind === 'failed')
    return true;
  return blockedRows(model) === 0 || model.allowOverride === true;
}

/** The buttons, in their order: Edit Message (the default), Send Anyway, Send Corrected. */
export function dialogButtons(model) {
  const buttons = ['edit'];
  if (offersAnyway(model))
    buttons.push('anyway');
  if (model.kind === 'confirm')
    buttons.push('corrected');
  return buttons;
}

/** Whether @choices (per row) would take every recipient the check saw out of the message. */
export function removesEveryone(model, choices) {
  const removed = model.rows.filter((row, i) => (choices[i] ?? 'keep') === 'remove').length;
  return model.kind === 'confirm' && removed > 0 && removed >= model.total;
}

/**
 * The sentence under the rows that says why "Send Corrected" cannot be pressed (a message
 * name), or null.  Only a message left without recipients is explained; a button that waits
 * for a choice that changes something needs no sentence.
 */
export function correctedBlocker(model, choices) {
  return model.kind === 'confirm' && removesEveryone(model, choices) ? 'correctedEmpty' : null;
}

/** "Send Corrected" can be pressed only when a choice changes something and someone is left. */
export function correctedEnabled(model, choices) {
  return model.kind === 'confirm' && !removesEveryone(model, choices)
         && model.rows.some((row, i) => (choices[i] ?? 'keep') !== 'keep');
}

/**
 * The line above the rows, "3 of 150 recipients may be wrong", or "The only recipient of this
 * message may be wrong".  WebExtension i18n has no plural forms: the sentence is chosen by the
 * number of flagged rows, one or more (countOne, countOther), which is all that English,
 * German and French tell apart (French "one" also takes 0, which never occurs: there is a
 * row).  A language with more forms needs the count in a phrasing without them.
 *
 * @returns {{name: string, substitutions: string[]} | null} null without rows
 */
export function countMessage(model) {
  if (model.kind !== 'confirm' || model.rows.length === 0)
    return null;
  const flagged = model.rows.length;
  const total = Math.max(model.total, flagged);
  if (total === 1)
    return { name: 'countOnly', substitutions: [] };
  return { name: flagged === 1 ? 'countOne' : 'countOther',
           substitutions: [String(flagged), String(total)] };
}

// The body of a failure, a whole sentence each: what is wrong in plain words, and what to do.
// A refused send cannot go anyway: the administrator is the way out.
const FAILED_BODIES = {
  failed: { 'not-started': 'failedNotStarted', stopped: 'failedStopped', other: 'failedOther' },
  refused: { 'not-started': 'refusedNotStarted', stopped: 'refusedOther', other: 'refusedOther' },
};

/**
 * The heading, the body (message names of _locales) and the icon.  A block is the
 * administrator's only when block-domains is locked; else it is the user's own never-send
 * list.
 *
 * @returns {{icon: "warning" | "error", heading: string, body: string}}
 */
export function dialogMessages(model) {
  if (model.kind === 'failed' || model.kind === 'refused')
    return { icon: model.kind === 'failed' ? 'warning' : 'error', heading: 'headingFailed',
             body: FAILED_BODIES[model.kind][model.cause] ?? FAILED_BODIES[model.kind].other };
  if (blockedRows(model) === 0)
    return { icon: 'warning', heading: 'headingWarn', body: 'bodyWarn' };
  if (!model.allowOverride)
    return { icon: 'error', heading: model.blockLocked ? 'headingBlocked' : 'headingBlockedOwn',
             body: 'bodyBlocked' };
  return { icon: 'warning', heading: model.blockLocked ? 'headingOverride' : 'headingBlockedOwn',
           body: 'bodyOverride' };
}

/** The window's size for @model: whatever the number of rows, it fits a 1280×800 screen. */
export function dialogSize(model) {
  if (model.kind !== 'confirm')
    return { ...FAILED_SIZE };
  return { width: DIALOG_WIDTH,
           height: Math.min(DIALOG_MAX_HEIGHT,
                            DIALOG_BASE_HEIGHT + DIALOG_ROW_HEIGHT * model.rows.length) };
}

/**
 * The dialog's answer, checked against what it offered: an action it did not offer, a choice
 * a row does not offer, or corrections that would remove every recipient, are taken as
 * "edit", the safe answer.
 *
 * @returns {{action: "edit" | "corrected" | "anyway", choices: string[]}} choices per row
 */
export function validateAnswer(model, answer) {
  const edit = { action: 'edit', choices: [] };

  if (!answer || !dialogButtons(model).includes(answer.action))
    return edit;
  if (answer.action !== 'corrected')
    return { action: answer.action, choices: [] };

  const choices = Array.isArray(answer.choices) ? answer.choices : [];
  if (choices.length !== model.rows.length)
    return edit;
  for (let i = 0; i < model.rows.length; i++) {
    if (!rowChoices(model.rows[i]).includes(choices[i]))
      return edit;
  }
  if (!correctedEnabled(model, choices))
    return edit;
  return { action: 'corrected', choices: [...choices] };
}
