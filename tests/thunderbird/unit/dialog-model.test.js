// SPDX-License-Identifier: LGPL-2.1-or-later
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  CHOICE_OUTCOMES, DIALOG_MAX_HEIGHT, buildConfirmModel, buildFailedModel, correctedBlocker,
  correctedEnabled, countMessage, dialogButtons, dialogMessages, dialogSize, initialChoice,
  rowChoices, validateAnswer,
} from '../../../plugin/thunderbird/extension/lib/dialog-model.js';
import { HostError } from '../../../plugin/thunderbird/extension/lib/host.js';

const ITEMS = [{ field: 'to', text: 'Army Ops <ops@army.ml>' },
               { field: 'cc', text: 'new@far.example' }, { field: 'bcc', text: 'x@evil.tk' }];
const WARN = { list: 0, address: 'ops@army.ml', domain: 'army.ml', verdict: 'warn',
               suggestion: 'ops@army.mil', label: 'Looks like a slip',
               description: 'army.ml is one letter away from army.mil' };
const NOTICE = { list: 1, address: 'new@far.example', domain: 'far.example', verdict: 'notice',
                 suggestion: null };
const BLOCK = { list: 2, address: 'x@evil.tk', domain: 'evil.tk', verdict: 'block',
                suggestion: null, label: 'Blocked by policy',
                description: 'Mail to evil.tk is not allowed' };

test('rows are the warn and block findings, with their field, name and finding index', () => {
  const model = buildConfirmModel(ITEMS, [WARN, NOTICE, BLOCK]);
  assert.deepEqual(model, {
    kind: 'confirm', allowOverride: false, blockLocked: false, total: 3,
    rows: [
      { finding: 0, field: 'to', address: 'ops@army.ml', name: 'Army Ops',
        label: 'Looks like a slip', description: WARN.description, suggestion: 'ops@army.mil',
        blocked: false, trustDomain: 'army.ml' },
      { finding: 2, field: 'bcc', address: 'x@evil.tk', name: '', label: 'Blocked by policy',
        description: BLOCK.description, suggestion: null, blocked: true, trustDomain: null },
    ],
  });
});

test('choices as in RgConfirmRow: the suggestion first and preselected, trust last', () => {
  const [warn, block] = buildConfirmModel(ITEMS, [WARN, BLOCK]).rows;
  assert.deepEqual(rowChoices(warn), ['fix', 'keep', 'trust']);
  assert.equal(initialChoice(warn), 'fix');
  assert.deepEqual(rowChoices(block), ['remove']);
  assert.equal(initialChoice(block), 'remove');
  const blockWithSuggestion = { ...block, suggestion: 'x@evil.to' };
  assert.deepEqual(rowChoices(blockWithSuggestion), ['fix', 'remove']);
  assert.deepEqual(rowChoices({ ...warn, suggestion: null }), ['keep', 'trust']);
  assert.equal(initialChoice({ ...warn, suggestion: null }), 'keep');
});

test('"Always allow" needs a domain, and a trusted-domains the administrator did not lock', () => {
  const locked = buildConfirmModel(ITEMS, [WARN], { locked: ['trusted-domains'] });
  assert.deepEqual(rowChoices(locked.rows[0]), ['fix', 'keep']);
  const noDomain = buildConfirmModel(ITEMS, [{ ...WARN, domain: undefined }]);
  assert.deepEqual(rowChoices(noDomain.rows[0]), ['fix', 'keep']);
  // A blocked row never offers it, even with the override allowed.
  const override = buildConfirmModel(ITEMS, [BLOCK], { allowOverride: true });
  assert.deepEqual(rowChoices(override.rows[0]), ['remove']);
});

test('each choice has its outcome in the decision log', () => {
  assert.deepEqual(CHOICE_OUTCOMES, { fix: 'used-suggestion', keep: 'kept', remove: 'removed',
                                      trust: 'trusted' });
});

test('buttons: Send Anyway is absent with a blocked row unless overriding is allowed', () => {
  const buttons = (findings, allowOverride) =>
    dialogButtons(buildConfirmModel(ITEMS, findings, { allowOverride }));
  assert.deepEqual(buttons([WARN], false), ['edit', 'anyway', 'corrected']);
  assert.deepEqual(buttons([WARN, BLOCK], false), ['edit', 'corrected']);
  assert.deepEqual(buttons([BLOCK], true), ['edit', 'anyway', 'corrected']);
  assert.deepEqual(dialogButtons(buildFailedModel('failed', 'x')), ['edit', 'anyway']);
  assert.deepEqual(dialogButtons(buildFailedModel('refused', 'x')), ['edit']);
});

test('a block is the administrator’s only when block-domains is locked', () => {
  const messages = (findings, policy) => dialogMessages(buildConfirmModel(ITEMS, findings, policy));
  assert.equal(messages([WARN]).heading, 'headingWarn');
  assert.deepEqual(messages([WARN, BLOCK], { locked: ['block-domains'] }),
                   { icon: 'error', heading: 'headingBlocked', body: 'bodyBlocked' });
  assert.deepEqual(messages([WARN, BLOCK]),
                   { icon: 'error', heading: 'headingBlockedOwn', body: 'bodyBlocked' });
  assert.deepEqual(messages([BLOCK], { allowOverride: true, locked: ['block-domains'] }),
                   { icon: 'warning', heading: 'headingOverride', body: 'bodyOverride' });
  assert.deepEqual(messages([BLOCK], { allowOverride: true }),
                   { icon: 'warning', heading: 'headingBlockedOwn', body: 'bodyOverride' });
  // Another key's lock does not make the block the administrator's.
  assert.equal(messages([BLOCK], { locked: ['trusted-domains'] }).heading, 'headingBlockedOwn');
});

test('a failure says whether the checker never started or stopped', () => {
  const failed = error => buildFailedModel('failed', error);
  const missing = failed(new HostError('not-installed', 'the native host is not installed'));
  assert.deepEqual(missing, { kind: 'failed', cause: 'not-started',
                              error: 'the native host is not installed' });
  assert.deepEqual(dialogMessages(missing),
                   { icon: 'warning', heading: 'headingFailed', body: 'failedNotStarted' });
  assert.equal(dialogMessages(failed(new HostError('not-started', 'exited'))).body,
               'failedNotStarted');
  assert.equal(dialogMessages(failed(new HostError('disconnected', 'stopped'))).body,
               'failedStopped');
  assert.equal(dialogMessages(failed(new HostError('timeout', 'late'))).body, 'failedStopped');
  assert.equal(dialogMessages(failed(new HostError('input', 'too many'))).body, 'failedOther');
  assert.equal(dialogMessages(failed('a plain reason')).body, 'failedOther');
  assert.equal(failed('a plain reason').error, 'a plain reason');

  const refused = error => dialogMessages(buildFailedModel('refused', error));
  assert.deepEqual(refused(new HostError('not-installed', 'x')),
                   { icon: 'error', heading: 'headingFailed', body: 'refusedNotStarted' });
  assert.equal(refused(new HostError('timeout', 'x')).body, 'refusedOther');
});

test('Send Corrected is enabled only when a choice changes something', () => {
  const model = buildConfirmModel(ITEMS, [WARN, BLOCK]);
  assert.equal(correctedEnabled(model, ['keep', 'remove']), true);
  assert.equal(correctedEnabled(model, ['fix', 'remove']), true);
  const warnOnly = buildConfirmModel(ITEMS, [WARN]);
  assert.equal(correctedEnabled(warnOnly, ['keep']), false);
  assert.equal(correctedBlocker(warnOnly, ['keep']), null);
  // Trusting a domain is a change: the message goes, and the domain is trusted.
  assert.equal(correctedEnabled(warnOnly, ['trust']), true);
});

test('Send Corrected never takes every recipient out of the message', () => {
  // To: only a blocked address without a suggestion: its one choice removes everybody.
  const only = buildConfirmModel([ITEMS[2]], [{ ...BLOCK, list: 0 }]);
  assert.equal(only.total, 1);
  assert.deepEqual(rowChoices(only.rows[0]), ['remove']);
  assert.equal(correctedEnabled(only, ['remove']), false);
  assert.equal(correctedBlocker(only, ['remove']), 'correctedEmpty');
  assert.deepEqual(validateAnswer(only, { action: 'corrected', choices: ['remove'] }),
                   { action: 'edit', choices: [] });

  // Two blocked of three recipients: one is left.
  const two = buildConfirmModel(ITEMS, [BLOCK, NOTICE, { ...BLOCK, list: 0 }]);
  assert.equal(correctedEnabled(two, ['remove', 'remove']), true);
  assert.equal(correctedBlocker(two, ['remove', 'remove']), null);

  // Two blocked of two: removing both empties it; using a suggestion does not.
  const both = buildConfirmModel(ITEMS, [{ ...BLOCK, suggestion: 'x@evil.to' }, BLOCK]);
  assert.equal(correctedBlocker(both, ['remove', 'remove']), 'correctedEmpty');
  assert.equal(correctedEnabled(both, ['fix', 'remove']), true);
});

test('the count line: one or more of how many, or the only recipient', () => {
  const many = Array.from({ length: 150 }, (_, i) => ({ ...NOTICE, address: `p${i}@far.example` }));
  many[3] = WARN;
  assert.deepEqual(countMessage(buildConfirmModel(ITEMS, many)),
                   { name: 'countOne', substitutions: ['1', '150'] });
  many[7] = BLOCK;
  many[9] = WARN;
  assert.deepEqual(countMessage(buildConfirmModel(ITEMS, many)),
                   { name: 'countOther', substitutions: ['3', '150'] });
  assert.deepEqual(countMessage(buildConfirmModel(ITEMS, [WARN])),
                   { name: 'countOnly', substitutions: [] });
  assert.equal(countMessage(buildFailedModel('failed', 'x')), null);
});

test('the window fits a 1280×800 screen at any number of rows', () => {
  for (const n of [1, 2, 5, 40, 1000]) {
    const findings = Array.from({ length: n }, (_, i) => ({ ...WARN, address: `u${i}@army.ml` }));
    const { width, height } = dialogSize(buildConfirmModel(ITEMS, findings));
    assert.ok(width <= 1280 && height <= DIALOG_MAX_HEIGHT, `${n} rows: ${width}×${height}`);
  }
  // Room for a title bar and a panel of 800 px.
  assert.ok(DIALOG_MAX_HEIGHT <= 720);
  // A few rows need no scrolling: the window grows with them.
  const one = dialogSize(buildConfirmModel(ITEMS, [WARN])).height;
  const three = dialogSize(buildConfirmModel(ITEMS, [WARN, WARN, WARN])).height;
  assert.ok(one < three, `${one} < ${three}`);
  const failed = dialogSize(buildFailedModel('failed', 'x'));
  assert.ok(failed.width <= 1280 && failed.height <= DIALOG_MAX_HEIGHT);
});

test('an answer the dialog did not offer is Edit Message', () => {
  const blocked = buildConfirmModel(ITEMS, [WARN, BLOCK]);
  assert.deepEqual(validateAnswer(blocked, { action: 'anyway' }), { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['fix', 'keep'] }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['fix'] }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['keep', 'remove'] }),
                   { action: 'corrected', choices: ['keep', 'remove'] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['trust', 'remove'] }),
                   { action: 'corrected', choices: ['trust', 'remove'] });
  assert.deepEqual(validateAnswer(blocked, { action: 'corrected', choices: ['fix', 'trust'] }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(blocked, null), { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(buildFailedModel('refused', 'x'), { action: 'anyway' }),
                   { action: 'edit', choices: [] });
  assert.deepEqual(validateAnswer(buildFailedModel('failed', 'x'), { action: 'anyway' }),
                   { action: 'anyway', choices: [] });
});
