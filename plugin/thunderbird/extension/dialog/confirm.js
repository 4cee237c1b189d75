// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The "Check recipients" window: asks the background for what to show (runtime.sendMessage),
// draws it, and sends the answer back the same way; the background then closes the window.
// Escape, like the window's close button, is "Edit Message", the safe answer.

import {
  correctedBlocker, correctedEnabled, countMessage, dialogButtons, dialogMessages, initialChoice,
  rowChoices,
} from '../lib/dialog-model.js';

const api = globalThis.messenger ?? globalThis.browser;
const token = new URLSearchParams(location.search).get('dialog');
const BUTTONS = ['edit', 'anyway', 'corrected'];
const FIELD_MESSAGES = { to: 'fieldTo', cc: 'fieldCc', bcc: 'fieldBcc' };

let model = null;
let answered = false;

function message(name, substitutions) {
  return api.i18n.getMessage(name, substitutions) || name;
}

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'className' || key === 'textContent' || key === 'id' || key === 'type'
        || key === 'name' || key === 'value' || key === 'checked' || key === 'htmlFor')
      node[key] = value;
    else
      node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

// "Use <b>ADDRESS</b>": the sentence is translated as a whole and the address set in bold
// where the translation puts it.
function useLabel(address) {
  const marker = '\u0001';
  const [before, after = ''] = message('choiceUse', [marker]).split(marker);
  return [before, element('b', { textContent: address }), after];
}

// "Name <address>", the address in bold: it is what the question is about.
function recipientLabel(row) {
  const address = element('b', { className: 'address', textContent: row.address });
  if (row.name === '')
    return [address];
  return [element('span', { className: 'name', textContent: row.name }), ' <', address, '>'];
}

function currentChoices() {
  return model.rows.map((row, i) =>
    document.querySelector(`input[name="row-${i}"]:checked`)?.value ?? initialChoice(row));
}

function updateCorrected() {
  const button = document.getElementById('corrected');
  if (!button)
    return;
  const choices = currentChoices();
  const blocker = correctedBlocker(model, choices);
  const empty = document.getElementById('empty');
  button.disabled = !correctedEnabled(model, choices);
  empty.textContent = blocker !== null ? message(blocker) : '';
  empty.hidden = blocker === null;
}

function renderRow(row, i) {
  const reasonId = `row-${i}-reason`;
  const choices = element('div', { className: 'choices' });

  if (row.suggestion === null)
    choices.append(element('span', { className: 'no-suggestion',
                                     textContent: message('noSuggestion') }));
  for (const choice of rowChoices(row)) {
    const id = `row-${i}-${choice}`;
    let label;
    let name;
    if (choice === 'fix') {
      label = useLabel(row.suggestion);
      name = message('choiceUseName', [row.suggestion, row.address]);
    } else if (choice === 'remove') {
      label = [message('choiceRemove')];
      name = message('choiceRemoveName', [row.address]);
    } else if (choice === 'trust') {
      label = [message('choiceTrust', [row.trustDomain])];
      name = message('choiceTrustName', [row.address, row.trustDomain]);
    } else {
      label = [message('choiceKeep')];
      name = message('choiceKeepName', [row.address]);
    }
    const input = element('input', { type: 'radio', name: `row-${i}`, id, value: choice,
                                     checked: choice === initialChoice(row), 'aria-label': name,
                                     'aria-describedby': reasonId });
    input.addEventListener('change', updateCorrected);
    choices.append(element('span', { className: 'choice' },
                           [input, ' ', element('label', { htmlFor: id }, label)]));
  }

  const verdict = row.blocked ? 'block' : 'warn';
  return element('fieldset', { className: `row ${verdict}`, id: `row-${i}` }, [
    element('legend', {}, [
      element('span', { className: 'field',
                        textContent: message(FIELD_MESSAGES[row.field] ?? 'fieldTo') }),
      ' ',
      element('span', { className: 'recipient' }, recipientLabel(row)),
    ]),
    element('p', { className: `verdict ${verdict}`, textContent: row.label }),
    element('p', { className: 'reason', id: reasonId, textContent: row.description }),
    choices,
  ]);
}

function answer(action) {
  if (answered || model === null)
    return;
  answered = true;
  for (const id of BUTTONS) {
    const button = document.getElementById(id);
    if (button)
      button.disabled = true;
  }
  api.runtime.sendMessage({
    type: 'rcptguard-dialog-answer',
    dialog: token,
    action,
    choices: action === 'corrected' ? currentChoices() : [],
  });
}

function render() {
  const texts = dialogMessages(model);
  const offered = dialogButtons(model);

  document.title = message('dialogTitle');
  document.getElementById('icon').className = `icon ${texts.icon}`;
  document.getElementById('heading').textContent = message(texts.heading);
  document.getElementById('body').textContent = message(texts.body);
  document.getElementById('rows').setAttribute('aria-label', message('rowsLabel'));

  const count = countMessage(model);
  if (count !== null) {
    const line = document.getElementById('count');
    line.textContent = message(count.name, count.substitutions);
    line.hidden = false;
  }
  if (model.kind === 'confirm')
    document.getElementById('rows').append(...model.rows.map(renderRow));
  // The technical reason of a failure, in English, for whoever helps: behind "Details".
  if (model.kind !== 'confirm' && model.error !== '') {
    document.getElementById('details-label').textContent = message('detailsLabel');
    document.getElementById('error').textContent = model.error;
    document.getElementById('details').hidden = false;
  }

  // Buttons that do not apply are absent, not disabled: a disabled "Send Anyway" would still
  // promise a way that the policy closes.
  for (const id of BUTTONS) {
    const button = document.getElementById(id);
    if (!offered.includes(id)) {
      button.remove();
      continue;
    }
    const labels = { edit: 'buttonEdit', anyway: 'buttonAnyway', corrected: 'buttonCorrected' };
    button.textContent = message(labels[id]);
    button.accessKey = api.i18n.getMessage(`${labels[id]}AccessKey`);
    button.addEventListener('click', () => answer(id));
  }
  updateCorrected();

  document.getElementById('dialog').hidden = false;
  document.getElementById('edit').focus();
}

document.addEventListener('keydown', event => {
  if (event.key === 'Escape') {
    event.preventDefault();
    answer('edit');
  }
});

model = await api.runtime.sendMessage({ type: 'rcptguard-dialog-load', dialog: token });
if (model === null || model === undefined)
  window.close(); // Nobody waits for this window any more.
else
  render();
