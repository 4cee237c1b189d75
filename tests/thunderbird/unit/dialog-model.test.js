// SPDX-License-Identifier: LGPL-2.1-or-later
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  buildConfirmModel, buildFailedModel, correctedEnabled, dialogButtons, dialogMessages,
  initialChoice, rowChoices, validateAnswer,
} from '../../../plugin/thunderbird/extension/lib/dialog-model.js';

const ITEMS = [{ field: 'to' }, { field: 'cc' }, { field: 'bcc' }];
const WARN = { list: 0, address: 'ops@army.ml', verdict: 'warn', suggestion: 'ops@army.mil',
               label: 'Looks like a slip',
               description: 'army.ml is one letter away from army.mil' };
const NOTICE = { list: 1, address: 'new@far.example', verdict: 'notice', suggestion: null };
const BLOCK = { list: 2, address: 'x@evil.tk', verdict: 'block', suggestion: null,
                label: 'Blocked by policy',
                description: 'Your administrator does not allow mail to evil.tk' };

test('rows are the warn and block findings, with their field and finding index', () => {
  const model = buildConfirmModel(ITEMS, [WARN, NOTICE, BLOCK], false);
  assert.deepEqual(model, {
    kind: 'confirm', allowOverride: false,
    rows: [
      { finding: 0, field: 'to', address: 'ops@army.ml', label: 'Looks like a slip',
        description: WARN.description, suggestion: 'ops@army.mil', blocked: false },
      { finding: 2, field: 'bcc', address: 'x@evil.tk', label: 'Blocked by policy',
        description: BLOCK.description, suggestion: null, blocked: true },
    ],
  });
});

test('choices as in RgConfirmRow: the suggestion first and preselected', () => {
  const [warn, block] = buildConfirmModel(ITEMS, [WARN, BLOCK], false).rows;
  assert.deepEqual(rowChoices(warn), ['fix', 'keep']);
  assert.equal(initialChoice(warn), 'fix');
  assert.deepEqual(rowChoices(block), ['remove']);
  assert.equal(initialChoice(block), 'remove');
  const blockWithSuggestion = { ...block, suggestion: 'x@evil.to' };
  assert.deepEqual(rowChoices(blockWithSuggestion), ['fix', 'remove']);
  assert.deepEqual(rowChoices({ ...warn, suggestion: null }), ['keep']);
});

test('buttons: Send Anyway is absent with a blocked row unless overriding is allowed', () => {
  const buttons = (findings, allow) => dialogButtons(buildConfirmModel(ITEMS, findings, allow));
  assert.deepEqual(buttons([WARN], false), ['edit', 'anyway', 'corrected']);
  assert.deepEqual(buttons([WARN, BLOCK], false), ['edit', 'corrected']);
  assert.deepEqual(buttons([BLOCK], true), ['edit', 'anyway', 'corrected']);
  assert.deepEqual(dialogButtons(buildFailedModel('failed', 'x')), ['edit', 'anyway']);
  assert.deepEqual(dialogButtons(buildFailedModel('refused', 'x')), ['edit']);
});

test('the heading follows the blocked rows and the override', () => {
  assert.equal(dialogMessages(buildConfirmModel(ITEMS, [WARN], false)).heading, 'headingWarn');
  assert.deepEqual(dialogMessages(buildConfirmModel(ITEMS, [WARN, BLOCK], false)),
                   { icon: 'error', heading: 'headingBlocked', body: 'bodyBlocked' });
  assert.equal(dialogMessages(buildConfirmModel(ITEMS, [BLOCK], true)).heading, 'headingOverride');
  assert.equal(dialogMessages(buildFailedModel('failed', 'x')).icon, 'warning');
  assert.equal(dialogMessages(buildFailedModel('refused', 'x')).icon, 'error');
});

test('Send Corrected is enabled only when a choice changes something', () => {
  const model = buildConfirmModel(ITEMS, [WARN, BLOCK], false);
  assert.equal(correctedEnabled(model, ['keep', 'remove']), true);
  assert.equal(correctedEnabled(model, ['fix', 'remove']), true);
  const warnOnly = buildConfirmModel(ITEMS, [WARN], false);
  assert.equal(correctedEnabled(warnOnly, ['keep']), false);
});

test('an answer the dialog did not offer is Edit Message', () => {
  const blocked = buildConfirmModel(ITEMS, [WARN, BLOCK], false);
  assert.deepEqual(validateAnswer(blocked, { action: 'anyway' }), { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['fix', 'keep'] }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['fix'] }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['keep', 'remove'] }),
                   { action: 'corrected', choices: ['keep', 'remove'] });
  assert.deepEqual(validateAnswer(blocked, null), { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(buildFailedModel('refused', 'x'), { action: 'anyway' }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(buildFailedModel('failed', 'x'), { action: 'anyway' }),
                   { action: 'anyway', choices: [] });
});
