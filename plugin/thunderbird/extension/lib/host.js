// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The client of rcptguard-native-host (PROTOCOL.md) over a native-messaging port: requests
// with ids, a deadline for each, and a new connection after the host went away.  The port
// comes from an injected connect() (runtime.connectNative in Thunderbird, a child process in
// the tests); it has postMessage, onMessage.addListener, onDisconnect.addListener, disconnect
// and, once disconnected, `error`.

/**
 * How long each request may take, in milliseconds.  The host gives the checker 2 s; these
 * leave room for starting the host, and `configure` for indexing large address books.
 */
export const DEFAULT_TIMEOUTS = Object.freeze({ configure: 10000, check: 5000, record: 5000 });

export const HOST_NAME = 'org.rcptguard.host';

export const NOT_INSTALLED_MESSAGE = 'the Recipient Guard native host is not installed';

/**
 * A request that failed.  `kind` is one of the host's error kinds (protocol, input, timeout,
 * garbage, internal) or one of the client's: "not-installed" (no manifest names the host),
 * "not-started" (the host went away before it answered anything: its program is missing or
 * exited at start), "disconnected" (it went away later: it crashed), "timeout".
 */
export class HostError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'HostError';
    this.kind = kind;
  }
}

// Thunderbird's (and Firefox's) words when no manifest names the host.
const NOT_INSTALLED_PATTERN = /no such native application/i;

// @answered: whether the host answered anything on this port.  The messages hold one reason
// after a colon, never brackets: they are shown inside sentences that have their own.
function disconnectError(port, answered) {
  const error = port && port.error ? port.error : null;
  const message = error && typeof error.message === 'string' ? error.message : '';
  const detail = message !== '' ? `: ${message}` : '';

  if (NOT_INSTALLED_PATTERN.test(message))
    return new HostError('not-installed', NOT_INSTALLED_MESSAGE);
  if (!answered)
    return new HostError('not-started',
                         `the Recipient Guard native host exited before it answered${detail}`);
  return new HostError('disconnected', `the Recipient Guard native host stopped${detail}`);
}

export class HostClient {
  #connect;
  #timeouts;
  #log;
  #port = null;
  // Whether the host on #port has answered anything yet.
  #answered = false;
  #pending = new Map();
  #nextId = 1;
  #lastConfigure = null;

  /**
   * @param {object} options
   * @param {function(): object} options.connect - opens a port to the host
   * @param {object} [options.timeouts] - per request type, overriding DEFAULT_TIMEOUTS
   * @param {function(string): void} [options.log] - for what has no caller to report to
   */
  constructor({ connect, timeouts = {}, log = () => {} }) {
    this.#connect = connect;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.#log = log;
  }

  /** Whether a port is open (the host may still have died without Thunderbird noticing yet). */
  get connected() {
    return this.#port !== null;
  }

  /**
   * Sends `configure`; it is remembered and sent again first after each new connection.
   *
   * @param {{settings: object, locked: string[], known: object, identities: string[]}} config
   * @returns {Promise<object>} the answer: {settings, problems}
   */
  configure(config) {
    const body = {
      settings: config.settings ?? {},
      locked: config.locked ?? [],
      known: config.known ?? {},
      identities: config.identities ?? [],
    };
    if (config.language)
      body.language = config.language;
    this.#lastConfigure = body;
    return this.#request('configure', body);
  }

  /**
   * @param {string[]} lists - one recipient each
   * @returns {Promise<object>} the answer: {id, verdict, findings}; `id` names the check for
   *   record()
   */
  check(lists) {
    return this.#request('check', { lists });
  }

  /**
   * @param {string} decision - corrected, sent-anyway, edited, blocked or check-failed
   * @param {{check?: number, sender?: string, error?: string, outcomes?: string[]}} details -
   *   outcomes: what became of each flagged recipient of the check, in order
   */
  record(decision, { check, sender, error, outcomes } = {}) {
    const body = { decision };
    if (Array.isArray(outcomes))
      body.outcomes = [...outcomes];
    if (check !== undefined && check !== null)
      body.check = check;
    if (typeof sender === 'string' && sender !== '')
      body.sender = sender;
    if (error !== undefined && error !== null)
      body.error = String(error);
    return this.#request('record', body);
  }

  /** Closes the port (ending the host); pending requests fail. */
  close() {
    this.#teardown(new HostError('disconnected',
      'the connection to the Recipient Guard native host was closed'));
  }

  #request(type, body) {
    let port;
    try {
      port = this.#ensurePort(type !== 'configure');
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#send(port, type, body);
  }

  #send(port, type, body) {
    const id = this.#nextId++;
    const timeout = this.#timeouts[type] ?? DEFAULT_TIMEOUTS.check;

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new HostError('timeout',
          `the Recipient Guard native host did not answer in time (${type}, ${timeout} ms)`);
        // A record is answered once the decision log's writer has written it, after the
        // requests behind it: a disk that does not answer holds up only that answer, never
        // a check, and the host is kept.
        if (type === 'record') {
          this.#pending.delete(id);
          reject(error);
          return;
        }
        // Anything else the host answers in order: one that missed a deadline holds up
        // everything behind it.  It is ended, and the next request starts a new one.
        this.#teardown(error);
      }, timeout);
      this.#pending.set(id, { type, resolve, reject, timer });
      try {
        port.postMessage({ id, type, ...body });
      } catch (e) {
        this.#teardown(new HostError('disconnected',
          `the Recipient Guard native host could not be reached: ${e.message}`));
      }
    });
  }

  #ensurePort(reconfigure) {
    if (this.#port !== null)
      return this.#port;

    let port;
    try {
      port = this.#connect();
    } catch (e) {
      if (NOT_INSTALLED_PATTERN.test(e?.message ?? ''))
        throw new HostError('not-installed', NOT_INSTALLED_MESSAGE);
      throw new HostError('not-started',
        `the Recipient Guard native host could not be started: ${e?.message ?? e}`);
    }
    this.#port = port;
    this.#answered = false;
    port.onMessage.addListener(message => this.#onMessage(port, message));
    port.onDisconnect.addListener(p => this.#onDisconnect(port, p));

    // A new host knows nothing: what the last one was told comes first.  Its answer goes to
    // the log; a failure fails the request behind it too.
    if (reconfigure && this.#lastConfigure !== null) {
      this.#send(port, 'configure', this.#lastConfigure).then(
        answer => this.#log(`configured again after reconnecting${answer.problems?.length
          ? `; problems: ${answer.problems.join('; ')}` : ''}`),
        error => this.#log(`configuring again failed: ${error.message}`));
    }
    return port;
  }

  #onMessage(port, message) {
    if (port !== this.#port || message === null || typeof message !== 'object')
      return;
    this.#answered = true;

    let id = message.id;
    // An answer to what the host could not read: it answers in order, so it is the oldest
    // request but a record (records are answered when written, out of order).
    if (id === null)
      id = [...this.#pending].find(([, request]) => request.type !== 'record')?.[0] ?? null;
    const request = this.#pending.get(id);
    if (request === undefined) {
      this.#log(`an answer to no pending request: ${JSON.stringify(message).slice(0, 200)}`);
      return;
    }
    this.#pending.delete(id);
    clearTimeout(request.timer);
    if (message.ok === true) {
      request.resolve(message);
    } else {
      const error = message.error ?? {};
      request.reject(new HostError(typeof error.kind === 'string' ? error.kind : 'protocol',
        typeof error.message === 'string' ? error.message : 'the host refused the request'));
    }
  }

  #onDisconnect(port, p) {
    if (port !== this.#port)
      return;
    this.#port = null;
    this.#failAll(disconnectError(p ?? port, this.#answered));
  }

  #teardown(error) {
    const port = this.#port;

    this.#port = null;
    if (port !== null) {
      try {
        port.disconnect();
      } catch (e) {
        // Already gone.
      }
    }
    this.#failAll(error);
  }

  #failAll(error) {
    const pending = [...this.#pending.values()];

    this.#pending.clear();
    for (const request of pending) {
      clearTimeout(request.timer);
      request.reject(error);
    }
  }
}
