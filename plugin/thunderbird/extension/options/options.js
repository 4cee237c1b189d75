// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The settings page: asks the background what is in effect (runtime.sendMessage), draws the
// rows of options-model.js, and writes the user's changes to storage.local.  After each write
// it asks the background to configure the host with it, and shows what the host said: a new
// list entry the host refuses is taken out again, with the host's sentence beside the list
// and the typed text selected in the field, so that typing replaces it.  A locked
// key is shown disabled with "Set by your administrator" and never written.

import {
  MESSAGE_OPTIONS_APPLY, MESSAGE_OPTIONS_LOAD, addListEntry, applyEdit, buildOptionsModel,
  fieldAfterAdd, removeListEntry,
} from '../lib/options-model.js';

const api = globalThis.messenger ?? globalThis.browser;

let state = null;
let rows = [];
// One change at a time, in the order made: each write and its configure before the next.
let queue = Promise.resolve();

function message(name, substitutions) {
  return api.i18n.getMessage(name, substitutions) || name;
}

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (['className', 'textContent', 'id', 'type', 'value', 'htmlFor', 'hidden', 'disabled',
         'title', 'maxLength', 'spellcheck', 'size'].includes(key))
      node[key] = value;
    else
      node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function lockIndicator(key) {
  return element('span', { className: 'lock', id: `${key}-lock`, hidden: true }, [
    element('span', { className: 'lock-icon', 'aria-hidden': 'true' }),
    element('span', { textContent: message('lockedLabel') }),
  ]);
}

// A switch or a choice: the title and its description, then the lock and the control.
function settingRow(row) {
  const control = row.control === 'switch'
    ? element('input', { type: 'checkbox', id: row.key, role: 'switch' })
    : element('select', { id: row.key }, row.choices.map(choice =>
      element('option', { value: choice.value, textContent: message(choice.label) })));
  control.addEventListener('change', () => {
    const value = row.control === 'switch' ? control.checked : control.value;
    enqueue(() => save(row.key, value));
  });
  return element('div', { className: `row ${row.control}` }, [
    element('div', { className: 'texts' }, [
      element('label', { htmlFor: row.key, id: `${row.key}-title`,
                         textContent: message(row.title) }),
      element('p', { className: 'description', id: `${row.key}-description`,
                     textContent: message(row.description) }),
    ]),
    lockIndicator(row.key),
    control,
  ]);
}

// A list: its heading and description, the entries, a field with Add and Remove (Enter adds,
// Delete in the list removes), and the reason a typed entry was refused.
function listRow(row) {
  const key = row.key;
  const title = message(row.title);
  const list = element('select', { id: key, size: 6, 'aria-labelledby': `${key}-title`,
                                   'aria-describedby': `${key}-description` });
  const entry = element('input', { type: 'text', id: `${key}-entry`, maxLength: 256,
                                   spellcheck: false, autocomplete: 'off',
                                   autocapitalize: 'none', placeholder: 'example.com',
                                   'aria-label': message('listEntryName', [title]) });
  const add = element('button', { type: 'button', id: `${key}-add`,
                                   textContent: message('listAdd'),
                                   'aria-label': message('listAddName', [title]) });
  const remove = element('button', { type: 'button', id: `${key}-remove`, disabled: true,
                                     textContent: message('listRemove'),
                                     'aria-label': message('listRemoveName', [title]) });

  entry.addEventListener('keydown', event => {
    if (event.key === 'Enter') {
      event.preventDefault();
      enqueue(() => addEntry(key));
    }
  });
  entry.addEventListener('input', () => clearError(key));
  add.addEventListener('click', () => enqueue(() => addEntry(key)));
  remove.addEventListener('click', () => enqueue(() => removeSelected(key)));
  list.addEventListener('change', () => updateRemove(key));
  list.addEventListener('keydown', event => {
    if (event.key === 'Delete') {
      event.preventDefault();
      enqueue(() => removeSelected(key));
    }
  });

  return element('fieldset', { className: 'domain-list', id: `${key}-box` }, [
    element('legend', {}, [element('span', { id: `${key}-title`, textContent: title }),
                           lockIndicator(key)]),
    element('p', { className: 'description', id: `${key}-description`,
                   textContent: message(row.description) }),
    list,
    element('div', { className: 'add' }, [entry, add, remove]),
    element('p', { className: 'entry-error', id: `${key}-error`, hidden: true }),
  ]);
}

function build(model) {
  const container = document.getElementById('sections');

  rows = model.sections.flatMap(section => section.rows);
  for (const section of model.sections) {
    const children = section.rows.map(row => (row.control === 'list' ? listRow : settingRow)(row));
    if (section.legend === null) {
      container.append(element('div', { className: 'section', id: `section-${section.id}` },
                               children));
      continue;
    }
    const body = element('div', { className: section.id === 'domains' ? 'lists' : 'rows' },
                         children);
    container.append(element('fieldset', { className: 'section', id: `section-${section.id}` }, [
      element('legend', { textContent: message(section.legend) }),
      body,
    ]));
  }
}

function setDescribedBy(node, ids) {
  const value = ids.filter(Boolean).join(' ');
  if (value === '')
    node.removeAttribute('aria-describedby');
  else
    node.setAttribute('aria-describedby', value);
}

function updateRemove(key) {
  const list = document.getElementById(key);
  const remove = document.getElementById(`${key}-remove`);
  remove.disabled = list.disabled || list.selectedIndex < 0
    || list.options[list.selectedIndex]?.disabled === true;
}

function fillList(key, entries, selected) {
  const list = document.getElementById(key);
  const keep = selected ?? list.value;

  list.replaceChildren(...entries.map(domain =>
    element('option', { value: domain, textContent: domain })));
  if (entries.length === 0) {
    list.append(element('option', { className: 'placeholder', disabled: true,
                                    textContent: message('listEmpty') }));
  } else if (entries.includes(keep)) {
    list.value = keep;
  }
}

// The values, locks and bars of @state on the rows built already.
function update(selections = {}) {
  const model = buildOptionsModel(state);
  const byKey = new Map(model.sections.flatMap(section => section.rows)
    .map(row => [row.key, row]));

  for (const row of rows) {
    const current = byKey.get(row.key);
    const lock = document.getElementById(`${row.key}-lock`);
    const lockId = current.lock !== null ? lock.id : null;

    lock.hidden = current.lock === null;
    lock.title = current.lock === 'desktop' ? message('lockedDesktopTooltip')
                                           : message('lockedTooltip');
    if (current.control === 'list') {
      const list = document.getElementById(row.key);
      const entry = document.getElementById(`${row.key}-entry`);
      fillList(row.key, current.value, selections[row.key]);
      for (const node of [list, entry, document.getElementById(`${row.key}-add`)])
        node.disabled = current.disabled;
      setDescribedBy(list, [`${row.key}-description`, lockId]);
      if (current.disabled) {
        clearError(row.key);
        setDescribedBy(entry, [lockId]);
      }
      updateRemove(row.key);
    } else {
      const control = document.getElementById(row.key);
      if (current.control === 'switch')
        control.checked = current.value === true;
      else
        control.value = current.value;
      control.disabled = current.disabled;
      setDescribedBy(control, [`${row.key}-description`, lockId]);
    }
  }

  const bar = document.getElementById('host-bar');
  bar.hidden = model.host === null;
  if (model.host !== null) {
    const missing = model.host.kind === 'missing';
    bar.className = `bar ${missing ? 'error' : 'warning'}`;
    document.getElementById('host-heading').textContent =
      message(missing ? 'optionsHostMissingHeading' : 'optionsHostFailedHeading');
    document.getElementById('host-body').textContent = missing
      ? message('optionsHostMissingBody')
      : message('optionsHostFailedBody', [model.host.reason]);
  }

  const problems = model.problems;
  document.getElementById('problems-bar').hidden = problems.length === 0;
  document.getElementById('problems-heading').textContent = message('optionsProblemsHeading');
  document.getElementById('problems').replaceChildren(...problems.map(problem =>
    element('li', { textContent: problem })));
}

function showError(key, error) {
  const node = document.getElementById(`${key}-error`);
  const entry = document.getElementById(`${key}-entry`);

  // The host's sentence comes translated; the page's own checks name a message.
  node.textContent = error.text ?? message(error.name, error.substitutions);
  node.hidden = false;
  entry.setAttribute('aria-invalid', 'true');
  setDescribedBy(entry, [node.id]);
}

function clearError(key) {
  const node = document.getElementById(`${key}-error`);
  const entry = document.getElementById(`${key}-entry`);

  if (node.hidden)
    return;
  node.hidden = true;
  node.textContent = '';
  entry.removeAttribute('aria-invalid');
  setDescribedBy(entry, []);
}

function enqueue(task) {
  queue = queue.then(task).catch(error => {
    console.warn(`rcptguard: the settings page: ${error?.message ?? error}`);
  });
  return queue;
}

// Writes @values (from applyEdit()), has the background configure with them, and resolves
// to what it says now.
async function write(values) {
  await api.storage.local.set(values);
  return api.runtime.sendMessage({ type: MESSAGE_OPTIONS_APPLY });
}

async function save(key, value) {
  const values = applyEdit(state, key, value);
  if (values !== null)
    state = await write(values);
  update(); // A locked key shows its value again.
}

async function addEntry(key) {
  const entry = document.getElementById(`${key}-entry`);
  const typed = entry.value;
  const result = await addListEntry(state, key, typed, write);
  const field = fieldAfterAdd(result, typed);

  state = result.state;
  entry.value = field.value;
  if (result.error) {
    update();
    showError(key, result.error);
    entry.focus();
    if (field.selectAll)
      entry.select();
    return;
  }
  clearError(key);
  update({ [key]: result.entry });
}

async function removeSelected(key) {
  const list = document.getElementById(key);
  const index = list.selectedIndex;
  const option = list.options[index];

  if (option === undefined || option.disabled)
    return;
  const now = await removeListEntry(state, key, option.value, write);
  if (now === null)
    return;
  state = now;
  clearError(key);
  // Keep the keyboard in the list: the next entry, or the last.
  const entries = state.settings[key];
  update({ [key]: entries[Math.min(index, entries.length - 1)] });
  if (entries.length === 0)
    document.getElementById(`${key}-entry`).focus();
}

document.documentElement.lang = api.i18n.getUILanguage();
document.title = message('extensionName');
// The background may still be starting (the page opened with Thunderbird): ask again.
for (let attempt = 1; !state; attempt++) {
  try {
    state = await api.runtime.sendMessage({ type: MESSAGE_OPTIONS_LOAD });
  } catch (error) {
    if (attempt >= 20)
      throw error;
  }
  if (!state && attempt >= 20)
    throw new Error('the background did not answer');
  if (!state)
    await new Promise(resolve => setTimeout(resolve, 250));
}
build(buildOptionsModel(state));
update();
document.getElementById('page').removeAttribute('aria-busy');
