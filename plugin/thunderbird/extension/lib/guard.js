// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The decision at Send (compose.onBeforeSend), as the Evolution module takes it
// (plugin/evolution/rg-composer-extension.c): check, ask when something is flagged, apply the
// answer, and record the decision.  Everything it talks to is injected.

import { applyChoices as defaultApplyChoices, addressOf } from './recipients.js';
import { confirmedAddresses, withConfirmedHeader } from './confirmed-header.js';
import { CHOICE_OUTCOMES, buildConfirmModel, buildFailedModel, validateAnswer }
  from './dialog-model.js';

// Sends confirmed but not yet reported by compose.onAfterSend; a composer closed before it
// sent leaves its entry behind, so the oldest go beyond this many.
const MAX_PENDING = 64;

const CANCEL = Object.freeze({ cancel: true });

function senderOf(details) {
  const from = details && typeof details.from === 'string' ? details.from : '';
  const address = from !== '' ? addressOf(from) : '';
  return address.includes('@') ? address : undefined;
}

// The host's answer is checked before anything is shown from it or applied.
function validateReport(report, nItems) {
  if (!report || !Array.isArray(report.findings))
    throw new Error('the answer of the check has no findings');
  for (const finding of report.findings) {
    if (!finding || !Number.isInteger(finding.list) || finding.list < 0 || finding.list >= nItems
        || typeof finding.address !== 'string' || typeof finding.verdict !== 'string')
      throw new Error('the answer of the check has a malformed finding');
  }
}

export class Guard {
  #settings;
  #flatten;
  #check;
  #openDialog;
  #recordFn;
  #trustFn;
  #applyChoices;
  #isReachable;
  #log;
  #pending = new Map();
  #records = new Set();

  /**
   * @param {object} deps
   * @param {function(object): Promise<Array>} deps.flatten - details → check items
   * @param {function(string[]): Promise<object>} deps.check - lists → {id, verdict, findings}
   * @param {function(): object} deps.settings - the settings in effect: enabled, on-error,
   *   allow-block-override, server-guard, locked (the keys the administrator locked) and scope
   *   (settings.js)
   * @param {function(object): Promise<{action: string, choices: string[]}>} deps.openDialog -
   *   shows a model of dialog-model.js; rejects when it cannot be shown
   * @param {function(string, object): Promise} deps.record - (decision, {check, sender, error,
   *   lists, outcomes}); lists: what was checked, for a host that no longer has the check;
   *   outcomes: one per row, for "corrected"
   * @param {function(string[]): Promise} [deps.trust] - adds domains to the user's
   *   trusted-domains ("Always allow DOMAIN"), once the message left
   * @param {function} [deps.applyChoices] - recipients.js's applyChoices
   * @param {function(Error): boolean} [deps.isReachable] - whether the host can take a record
   *   after this error (not when it is not installed)
   * @param {function(string): void} [deps.log]
   */
  constructor({ settings, flatten, check, openDialog, record, trust = async () => {},
                applyChoices = defaultApplyChoices,
                isReachable = error => error?.kind !== 'not-installed', log = () => {} }) {
    this.#settings = settings;
    this.#flatten = flatten;
    this.#check = check;
    this.#openDialog = openDialog;
    this.#recordFn = record;
    this.#trustFn = trust;
    this.#applyChoices = applyChoices;
    this.#isReachable = isReachable;
    this.#log = log;
  }

  /**
   * The answer to compose.onBeforeSend.
   *
   * @returns {Promise<object>} {} to send as it is, {cancel: true} to go back to the message,
   *   or {details: {to, cc, bcc, customHeaders}} to send with corrected recipients, and with
   *   the header naming the recipients the user confirmed (server-guard, confirmed-header.js)
   *   set or a stale one taken out
   */
  async beforeSend(tab, details) {
    const tabId = tab ? tab.id : undefined;
    // A send confirmed earlier that did not leave is not recorded: this Send decides anew, and
    // the header it set (still in the compose window) is taken out unless this one confirms.
    this.#pending.delete(tabId);

    const settings = this.#settings();
    const confirmed = [];
    const answer = await this.#decide(tabId, details, settings, confirmed);
    return withConfirmedHeader(answer, details,
                               settings['server-guard'] === true ? confirmed : []);
  }

  // beforeSend()'s answer, without the header; @confirmed gets the addresses the user
  // confirmed in the window, for a message that leaves.
  async #decide(tabId, details, settings, confirmed) {
    // Checking turned off: no check and no policy, as the setting promises, except a block
    // list the administrator locked (scope "blocks"), which the host then checks alone.
    if (settings.scope === 'off')
      return {};

    const sender = senderOf(details);
    let items;
    let lists;
    let report;
    try {
      items = await this.#flatten(details);
      if (items.length === 0)
        return {}; // Thunderbird itself says that a message needs a recipient.
      lists = items.map(item => item.text);
      report = await this.#check(lists);
      validateReport(report, items.length);
    } catch (error) {
      return this.#failed(error, settings, sender);
    }

    const model = buildConfirmModel(items, report.findings,
                                    { allowOverride: settings['allow-block-override'],
                                      locked: settings.locked });
    if (model.rows.length === 0)
      return {};
    const blocked = model.rows.some(row => row.blocked);

    let answer;
    try {
      answer = validateAnswer(model, await this.#openDialog(model));
    } catch (error) {
      const reason = error?.message ?? error;
      return this.#failed(new Error(`the confirmation could not be shown: ${reason}`),
                          settings, sender);
    }

    if (answer.action === 'corrected') {
      const choices = [];
      model.rows.forEach((row, i) => { choices[row.finding] = answer.choices[i]; });
      try {
        const recipients = this.#applyChoices(details, items, report.findings, choices);
        const trust = model.rows.filter((row, i) => answer.choices[i] === 'trust')
          .map(row => row.trustDomain);
        this.#remember(tabId, 'corrected', report.id, sender, lists, {
          outcomes: answer.choices.map(choice => CHOICE_OUTCOMES[choice]),
          trust: [...new Set(trust)],
        });
        confirmed.push(...confirmedAddresses(model.rows, answer));
        return { details: recipients };
      } catch (error) {
        // Sending what the user did not choose would be worse than going back.
        this.#log(`the corrections could not be applied: ${error.message}`);
      }
    } else if (answer.action === 'anyway') {
      this.#remember(tabId, 'sent-anyway', report.id, sender, lists);
      confirmed.push(...confirmedAddresses(model.rows, answer));
      return {};
    }

    this.#record(blocked ? 'blocked' : 'edited', { check: report.id, sender, lists });
    return CANCEL;
  }

  /** compose.onAfterSend: a confirmed send that left is recorded now, as in Evolution. */
  afterSend(tab, sendInfo) {
    const tabId = tab ? tab.id : undefined;
    const pending = this.#pending.get(tabId);

    if (pending === undefined)
      return;
    this.#pending.delete(tabId);
    if (sendInfo && sendInfo.error) {
      this.#log(`sending failed (${sendInfo.error}); the decision is not recorded`);
      return;
    }
    const { decision, trust, ...details } = pending;
    this.#record(decision, details);
    if (trust.length > 0)
      this.#track(Promise.resolve().then(() => this.#trustFn(trust)),
                  `${trust.join(', ')} could not be added to the trusted domains`);
  }

  /** Resolves when every record and trust started so far has been done (or has failed). */
  async idle() {
    while (this.#records.size > 0)
      await Promise.all([...this.#records]);
  }

  /** The number of sends confirmed and waiting for compose.onAfterSend. */
  get pendingCount() {
    return this.#pending.size;
  }

  // The check failed as a whole: never a silent pass.  The failure is recorded whatever
  // on-error then decides: "allow" sends, "warn" asks with going back as the default,
  // "block" refuses.
  async #failed(error, settings, sender) {
    const message = error?.message ?? String(error);
    const onError = ['allow', 'warn', 'block'].includes(settings['on-error'])
      ? settings['on-error'] : 'warn';

    this.#log(`could not check the recipients: ${message}`);
    if (this.#isReachable(error))
      this.#record('check-failed', { sender, error: message });
    if (onError === 'allow')
      return {};

    const model = buildFailedModel(onError === 'block' ? 'refused' : 'failed', error);
    let answer;
    try {
      answer = validateAnswer(model, await this.#openDialog(model));
    } catch (e) {
      this.#log(`the failed check could not be shown either (${e?.message ?? e}); not sending`);
      return CANCEL;
    }
    return answer.action === 'anyway' ? {} : CANCEL;
  }

  // @extra: the outcome of each row and the domains to trust, of a "corrected".
  #remember(tabId, decision, check, sender, lists, { outcomes, trust = [] } = {}) {
    this.#pending.set(tabId, { decision, check, sender, lists, trust,
                               ...(outcomes ? { outcomes } : {}) });
    while (this.#pending.size > MAX_PENDING)
      this.#pending.delete(this.#pending.keys().next().value);
  }

  // Records never hold up the send, and their failure only reaches the log.
  #record(decision, details) {
    this.#track(Promise.resolve().then(() => this.#recordFn(decision, details)),
                `the decision “${decision}” was not recorded`);
  }

  // Waited for by idle(); a failure only reaches the log.
  #track(work, failure) {
    const promise = work
      .catch(error => this.#log(`${failure}: ${error?.message ?? error}`))
      .finally(() => this.#records.delete(promise));
    this.#records.add(promise);
  }
}
