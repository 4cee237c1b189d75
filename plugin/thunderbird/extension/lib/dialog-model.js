// SPDX-License-Identifier: LGPL-2.1-or-later
//
// What the "Check recipients" window shows and may answer, apart from the page that draws it
// (dialog/confirm.js), so that the rules are tested under Node.  They are those of the
// Evolution dialog (ui/rg-confirm-dialog.c, ui/rg-confirm-row.c).

export const FLAGGED_VERDICTS = Object.freeze(['warn', 'block']);

/**
 * The dialog for a check with flagged recipients.
 *
 * @param {Array} items - the check items (recipients.js), for the field of each row
 * @param {Array} findings - the host's findings
 * @param {boolean} allowOverride - the setting allow-block-override
 * @returns {{kind: "confirm", allowOverride: boolean, rows: Array}} one row per finding of
 *   verdict warn or block, in order; `finding` is its index in @findings
 */
export function buildConfirmModel(items, findings, allowOverride) {
  const rows = [];

  findings.forEach((finding, index) => {
    if (!FLAGGED_VERDICTS.includes(finding.verdict))
      return;
    const item = items[finding.list];
    rows.push({
      finding: index,
      field: item ? item.field : 'to',
      address: finding.address,
      label: finding.label ?? '',
      description: finding.description ?? '',
      suggestion: typeof finding.suggestion === 'string' && finding.suggestion !== ''
        ? finding.suggestion : null,
      blocked: finding.verdict === 'block',
    });
  });
  return { kind: 'confirm', allowOverride: allowOverride === true, rows };
}

/**
 * The dialog for a check that failed: "failed" offers Edit Message and Send Anyway (on-error
 * "warn"), "refused" Edit Message alone (on-error "block").
 */
export function buildFailedModel(kind, error) {
  return { kind, error: String(error ?? '') };
}

/** The choices a row offers, in the order shown: "Use …" where there is a suggestion, then
 * "Keep as typed", or "Remove" for a blocked address (which cannot be kept). */
export function rowChoices(row) {
  const choices = row.suggestion !== null ? ['fix'] : [];
  choices.push(row.blocked ? 'remove' : 'keep');
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

/** "Send Corrected" can be pressed only when a choice changes something. */
export function correctedEnabled(model, choices) {
  return model.kind === 'confirm' && model.rows.some((row, i) => (choices[i] ?? 'keep') !== 'keep');
}

/**
 * The heading and body (message names of _locales) and the icon.
 *
 * @returns {{icon: "warning" | "error", heading: string, body: string | null}}
 */
export function dialogMessages(model) {
  if (model.kind === 'failed')
    return { icon: 'warning', heading: 'headingFailed', body: 'detailFailed' };
  if (model.kind === 'refused')
    return { icon: 'error', heading: 'headingFailed', body: 'detailFailed' };
  if (blockedRows(model) === 0)
    return { icon: 'warning', heading: 'headingWarn', body: 'bodyWarn' };
  if (!model.allowOverride)
    return { icon: 'error', heading: 'headingBlocked', body: 'bodyBlocked' };
  return { icon: 'warning', heading: 'headingOverride', body: 'bodyOverride' };
}

/**
 * The dialog's answer, checked against what it offered: an action it did not offer, or a
 * choice a row does not offer, is taken as "edit", the safe answer.
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
  return { action: 'corrected', choices: [...choices] };
}
